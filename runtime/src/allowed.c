/*
 * allowed.c - what a UI may offer now: the targets and the events that
 * the table allows from the current state and whose guards pass with
 * the caller's metadata. Guards only; nothing is written.
 */
#include "json.h"
#include "machine.h"

/* Check m, n and md (once for every candidate); *n = 0. name is the
 * caller's, for the message. */
static sm_status start(sm_machine *m, size_t *n, const char *md,
                       const char *name)
{
    if (!m)
        return SM_E_ARG;
    if (!n)
        return sm_machine_fail(m, SM_E_ARG, "%s: n is NULL", name);
    *n = 0;
    sm_status st = sm_json_check(md, m->errmsg, sizeof m->errmsg);
    if (st == SM_E_NOMEM)
        sm_machine_fail(m, st, "out of memory");
    return st;
}

/* True when from -> to is declared, neither end is retired, and every
 * guard on it passes. */
static bool passes(sm_machine *m, int from, int to, const char *md)
{
    if (!sm_def_allows(m->def, from, to) || sm_state_retired(m->def, from) ||
        sm_state_retired(m->def, to))
        return false;
    sm_transition t = sm_propose(m, to, md);
    return sm_hooks_guard(m, &t) == NULL;
}

/* Count v, storing it while out has room. */
static void put(int *out, size_t cap, size_t *n, int v)
{
    if (out && *n < cap)
        out[*n] = v;
    ++*n;
}

sm_status sm_allowed_transitions(sm_machine *m, int *out, size_t cap, size_t *n,
                                 const char *md)
{
    sm_status st = start(m, n, md, "sm_allowed_transitions");
    if (st != SM_OK)
        return st;
    const sm_def *d = m->def;
    int cur = sm_current_state(m);
    if (cur < 0 || (uint32_t)cur >= d->nstates ||
        (d->state_flags[cur] & SM_STATE_FINAL))
        return SM_OK;
    for (uint32_t i = d->trans_index[cur]; i < d->trans_index[cur + 1]; i++)
        if (passes(m, cur, d->trans_to[i], md))
            put(out, cap, n, d->trans_to[i]);
    return SM_OK;
}

sm_status sm_allowed_events(sm_machine *m, int *out, size_t cap, size_t *n,
                            const char *md)
{
    sm_status st = start(m, n, md, "sm_allowed_events");
    if (st != SM_OK)
        return st;
    const sm_def *d = m->def;
    int cur = sm_current_state(m);
    for (uint32_t e = 0; e < d->nevents; e++)
        for (uint32_t i = d->event_index[e]; i < d->event_index[e + 1]; i++)
            if (d->event_arrows[i].from == cur &&
                passes(m, cur, d->event_arrows[i].to, md)) {
                put(out, cap, n, (int)e);
                break;
            }
    return SM_OK;
}
