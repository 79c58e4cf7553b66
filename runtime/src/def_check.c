/*
 * def_check.c - refusing, at sm_machine_open, a def the engine would
 * read out of bounds: no states, an initial state that is not one, a
 * NULL table that a count says is there, a name index without its
 * entries or pointing outside them, offsets that run backwards, an old
 * (`was`) name without its name or state, a hook without its function
 * or name. smcc's output always passes.
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

/* One kind of named row (states, events) as a def lays it out. */
typedef struct named_rows {
    const char *row; /* "state", "event" */
    uint32_t n;
    const char *const *names; /* n names */
    const int32_t *by_name;   /* n row indexes, by name */
    const uint32_t *idx;      /* n + 1 offsets into `to` */
    const char *idx_name;
    const void *to; /* idx[n] entries */
    const char *to_name;
} named_rows;

/* The first entry of by[0..n) that is no row index, or n. */
static uint32_t first_bad_index(const int32_t *by, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && by[i] >= 0 && (uint32_t)by[i] < n)
        i++;
    return i;
}

/*
 * Every name set, the name index present and within range, the offsets
 * ascending, and `to` present when the last offset says it has entries.
 */
static bool rows_ok(const named_rows *r, char *err, size_t len)
{
    uint32_t i;
    if ((i = first_null(r->names, r->n)) < r->n)
        return snprintf(err, len, "%s %u has no name", r->row, (unsigned)i),
               false;
    if (!r->by_name)
        return snprintf(err, len, "no %s name index", r->row), false;
    if ((i = first_bad_index(r->by_name, r->n)) < r->n)
        return snprintf(err, len, "%s name index entry %u is out of range",
                        r->row, (unsigned)i),
               false;
    if (!ascending(r->idx, r->n, &i))
        return snprintf(err, len, "%s descends after %s %u", r->idx_name,
                        r->row, (unsigned)i),
               false;
    if (r->idx[r->n] && !r->to)
        return snprintf(err, len, "%s is NULL", r->to_name), false;
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
    named_rows r = {.row = "state",
                    .n = d->nstates,
                    .names = d->state_names,
                    .by_name = d->state_by_name,
                    .idx = d->trans_index,
                    .idx_name = "trans_index",
                    .to = d->trans_to,
                    .to_name = "trans_to"};
    return rows_ok(&r, err, n);
}

/* Events and their arrows. */
static bool events_ok(const sm_def *d, char *err, size_t n)
{
    if (d->nevents == 0)
        return true;
    if (!d->event_names || !d->event_index)
        return snprintf(err, n, "a NULL event table"), false;
    named_rows r = {.row = "event",
                    .n = d->nevents,
                    .names = d->event_names,
                    .by_name = d->event_by_name,
                    .idx = d->event_index,
                    .idx_name = "event_index",
                    .to = d->event_arrows,
                    .to_name = "event_arrows"};
    return rows_ok(&r, err, n);
}

/* Old (`was`) names: each set, each mapping to a state. */
static bool aliases_ok(const sm_def *d, char *err, size_t n)
{
    uint32_t i;
    if (d->naliases == 0)
        return true;
    if (!d->alias_names || !d->alias_states)
        return snprintf(err, n, "a NULL alias table"), false;
    if ((i = first_null(d->alias_names, d->naliases)) < d->naliases)
        return snprintf(err, n, "alias %u has no name", (unsigned)i), false;
    for (i = 0; i < d->naliases; i++)
        if (d->alias_states[i] < 0 ||
            (uint32_t)d->alias_states[i] >= d->nstates)
            return snprintf(err, n, "alias %u names no state", (unsigned)i),
                   false;
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
    const char *name = d->name ? d->name : "?";
    char why[160];
    if (d->version != SM_DEF_VERSION)
        snprintf(err, n,
                 "sm_machine_open: machine '%.60s' has def version %u; "
                 "this libsm reads version %u",
                 name, (unsigned)d->version, SM_DEF_VERSION);
    else if (!states_ok(d, why, sizeof why) || !events_ok(d, why, sizeof why) ||
             !aliases_ok(d, why, sizeof why) || !hooks_ok(d, why, sizeof why))
        snprintf(err, n, "sm_machine_open: machine '%.60s' has a bad def: %s",
                 name, why);
    else
        return true;
    return false;
}
