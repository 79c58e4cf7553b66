/*
 * def_check.c - refusing, at sm_machine_open, a def the engine would
 * read out of bounds: no states, an initial state that is not one, a
 * NULL table that a count says is there, offsets that run backwards,
 * a hook without its function or name. smcc's output always passes.
 */
#include <stdio.h>

#include "machine.h"

/* Offsets idx[0..n] ascending, so every range ends within idx[n]. */
static bool ascending(const uint32_t *idx, uint32_t n, uint32_t *bad)
{
    for (uint32_t i = 0; i < n; i++)
        if (idx[i] > idx[i + 1])
            return *bad = i, false;
    return true;
}

/* The first NULL of names[0..n), or n. */
static uint32_t first_null(const char *const *names, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && names[i])
        i++;
    return i;
}

/* States and their transitions. */
static bool states_ok(const sm_def *d, char *err, size_t n)
{
    uint32_t i;
    if (d->nstates == 0)
        return snprintf(err, n, "no states"), false;
    if (!d->state_names || !d->state_flags || !d->trans_index)
        return snprintf(err, n, "a NULL state table"), false;
    if (d->initial < 0 || (uint32_t)d->initial >= d->nstates)
        return snprintf(err, n, "initial state %d is not one of its %u",
                        (int)d->initial, (unsigned)d->nstates),
               false;
    if ((i = first_null(d->state_names, d->nstates)) < d->nstates)
        return snprintf(err, n, "state %u has no name", (unsigned)i), false;
    if (!ascending(d->trans_index, d->nstates, &i))
        return snprintf(err, n, "trans_index descends after state %u",
                        (unsigned)i),
               false;
    if (d->trans_index[d->nstates] && !d->trans_to)
        return snprintf(err, n, "trans_to is NULL"), false;
    return true;
}

/* Events and their arrows. */
static bool events_ok(const sm_def *d, char *err, size_t n)
{
    uint32_t i;
    if (d->nevents == 0)
        return true;
    if (!d->event_names || !d->event_index)
        return snprintf(err, n, "a NULL event table"), false;
    if ((i = first_null(d->event_names, d->nevents)) < d->nevents)
        return snprintf(err, n, "event %u has no name", (unsigned)i), false;
    if (!ascending(d->event_index, d->nevents, &i))
        return snprintf(err, n, "event_index descends after event %u",
                        (unsigned)i),
               false;
    if (d->event_index[d->nevents] && !d->event_arrows)
        return snprintf(err, n, "event_arrows is NULL"), false;
    return true;
}

/* Hooks: a known kind, the function that kind calls, a name. */
static bool hooks_ok(const sm_def *d, char *err, size_t n)
{
    if (d->nhooks && !d->hooks)
        return snprintf(err, n, "hooks is NULL"), false;
    for (uint32_t i = 0; i < d->nhooks; i++) {
        const sm_hook *h = &d->hooks[i];
        bool guard = h->kind == SM_HOOK_GUARD;
        if ((unsigned)h->kind >= SM_HOOK__COUNT || !h->name ||
            (guard ? !h->guard : !h->call))
            return snprintf(err, n,
                            "hook %u has an unknown kind or no "
                            "function or name",
                            (unsigned)i),
                   false;
    }
    return true;
}

bool sm_def_check(const sm_def *d, char *err, size_t n)
{
    char why[160];
    if (d->version != SM_DEF_VERSION)
        snprintf(why, sizeof why, "version %u (this libsm reads %u)",
                 (unsigned)d->version, SM_DEF_VERSION);
    else if (states_ok(d, why, sizeof why) && events_ok(d, why, sizeof why) &&
             hooks_ok(d, why, sizeof why))
        return true;
    snprintf(err, n, "sm_machine_open: bad sm_def '%.60s': %s",
             d->name ? d->name : "?", why);
    return false;
}
