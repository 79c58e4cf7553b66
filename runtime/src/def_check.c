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

/*
 * n named rows (states, events) whose ranges idx[i] .. idx[i + 1] index
 * `to` (named to_name): every name set, idx ascending, `to` present
 * when idx[n] says it has entries.
 */
static bool rows_ok(const char *row, uint32_t n, const char *const *names,
                    const uint32_t *idx, const char *idx_name, const void *to,
                    const char *to_name, char *err, size_t len)
{
    uint32_t i;
    if ((i = first_null(names, n)) < n)
        return snprintf(err, len, "%s %u has no name", row, (unsigned)i), false;
    if (!ascending(idx, n, &i))
        return snprintf(err, len, "%s descends after %s %u", idx_name, row,
                        (unsigned)i),
               false;
    if (idx[n] && !to)
        return snprintf(err, len, "%s is NULL", to_name), false;
    return true;
}

/* States and their transitions. */
static bool states_ok(const sm_def *d, char *err, size_t n)
{
    if (d->nstates == 0)
        return snprintf(err, n, "no states"), false;
    if (!d->state_names || !d->state_flags || !d->trans_index)
        return snprintf(err, n, "a NULL state table"), false;
    if (d->initial < 0 || (uint32_t)d->initial >= d->nstates)
        return snprintf(err, n, "initial state %d is not one of its %u",
                        (int)d->initial, (unsigned)d->nstates),
               false;
    return rows_ok("state", d->nstates, d->state_names, d->trans_index,
                   "trans_index", d->trans_to, "trans_to", err, n);
}

/* Events and their arrows. */
static bool events_ok(const sm_def *d, char *err, size_t n)
{
    if (d->nevents == 0)
        return true;
    if (!d->event_names || !d->event_index)
        return snprintf(err, n, "a NULL event table"), false;
    return rows_ok("event", d->nevents, d->event_names, d->event_index,
                   "event_index", d->event_arrows, "event_arrows", err, n);
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
