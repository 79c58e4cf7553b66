/*
 * engine.c - deciding and writing transitions (README: "Callback order").
 *
 * Order, as Statesman: validate -> guards -> before -> begin -> insert
 * -> after -> commit -> after_commit. Any failure rolls the store back
 * and leaves the machine's cache equal to the store.
 */
#include <string.h>

#include "json.h"
#include "machine.h"

/* The transition m would write to `to`, with md (NULL = "{}"). */
static sm_transition propose(sm_machine *m, int to, const char *md)
{
    const sm_transition *last = sm_last_transition(m);
    return (sm_transition){0,
                           m->parent_id,
                           sm_current_state(m),
                           to,
                           md ? md : "{}",
                           last ? last->sort_key + 10 : 10,
                           false,
                           0};
}

/* propose, for allowed.c (kept static here so the engine inlines it). */
sm_transition sm_propose(sm_machine *m, int to, const char *md)
{
    return propose(m, to, md);
}

/* Check m, to and md; fill *t. */
static sm_status prepare(sm_machine *m, int to, const char *md,
                         sm_transition *t)
{
    if (!m)
        return SM_E_ARG;
    if (to < 0 || (uint32_t)to >= m->def->nstates)
        return sm_machine_fail(m, SM_E_ARG, "unknown state %d", to);
    sm_status st = sm_json_check(md, m->errmsg, sizeof m->errmsg);
    if (st == SM_E_NOMEM)
        sm_machine_fail(m, st, "out of memory");
    *t = propose(m, to, md);
    return st;
}

/* Table and guards only; no failure hooks run. */
sm_status sm_can_transition_to(sm_machine *m, int to, const char *md)
{
    sm_transition t;
    sm_status st = prepare(m, to, md, &t);
    if (st != SM_OK)
        return st;
    if (!sm_def_allows(m->def, t.from_state, to))
        return sm_machine_fail(
            m, SM_E_TRANSITION_FAILED, "no transition %s -> %s",
            sm_state_name(m->def, t.from_state), sm_state_name(m->def, to));
    const sm_hook *g = sm_hooks_guard(m, &t);
    if (g)
        return sm_machine_fail(
            m, SM_E_GUARD_FAILED, "guard '%s' rejected %s -> %s", g->name,
            sm_state_name(m->def, t.from_state), sm_state_name(m->def, to));
    return SM_OK;
}

/* A store call failed with st: roll back, re-read, report. */
static sm_status store_failed(sm_machine *m, sm_status st)
{
    m->store->ops->rollback(m->store);
    sm_machine_fail(m, st, "%s", sm_store_errmsg(m->store));
    char keep[sizeof m->errmsg];
    memcpy(keep, m->errmsg, sizeof keep);
    (void)sm_reload(m);
    memcpy(m->errmsg, keep, sizeof keep);
    return st;
}

/* A before/after hook h aborted t. */
static sm_status hook_failed(sm_machine *m, const sm_hook *h,
                             const sm_transition *t)
{
    return sm_machine_fail(m, SM_E_CALLBACK, "%s hook '%s' aborted %s -> %s",
                           h->kind == SM_HOOK_BEFORE ? "before" : "after",
                           h->name, sm_state_name(m->def, t->from_state),
                           sm_state_name(m->def, t->to_state));
}

/* Append the written row t to the cache, as the new most recent. */
static sm_status cache_push(sm_machine *m, const sm_transition *t)
{
    if (sm_rows_push(&m->rows, t) != SM_OK)
        return SM_E_NOMEM;
    if (m->rows.n > 1)
        m->rows.v[m->rows.n - 2].most_recent = false;
    return SM_OK;
}

/* Undo cache_push. */
static void cache_pop(sm_machine *m)
{
    sm_rows_pop(&m->rows);
    if (m->rows.n)
        m->rows.v[m->rows.n - 1].most_recent = true;
}

/* begin -> insert -> cache -> after -> commit -> after_commit. */
static sm_status write(sm_machine *m, sm_transition *t)
{
    sm_store *s = m->store;
    const sm_transition *prev = sm_last_transition(m);
    sm_status st = s->ops->begin(s, m->def, m->parent_id);
    if (st == SM_OK)
        st = s->ops->insert(s, m->def, prev, t);
    if (st != SM_OK)
        return store_failed(m, st);
    if (cache_push(m, t) != SM_OK) {
        s->ops->rollback(s);
        return sm_machine_fail(m, SM_E_NOMEM, "out of memory");
    }
    const sm_hook *h = sm_hooks_run(m, SM_HOOK_AFTER, sm_last_transition(m));
    if (h) {
        s->ops->rollback(s);
        cache_pop(m);
        return hook_failed(m, h, t);
    }
    bool deferred = false;
    st = s->ops->commit(s, &deferred);
    if (st != SM_OK)
        return store_failed(m, st);
    sm_hooks_after_commit(m, sm_last_transition(m), deferred);
    return SM_OK;
}

/* Validate, run guards and before hooks, then write. */
sm_status sm_transition_to(sm_machine *m, int to, const char *md)
{
    sm_transition t;
    sm_status st = sm_can_transition_to(m, to, md);
    if (st == SM_E_TRANSITION_FAILED || st == SM_E_GUARD_FAILED) {
        t = propose(m, to, md);
        (void)sm_hooks_run(m,
                           st == SM_E_GUARD_FAILED
                               ? SM_HOOK_AFTER_GUARD_FAILURE
                               : SM_HOOK_AFTER_TRANSITION_FAILURE,
                           &t);
    }
    if (st != SM_OK)
        return st;
    t = propose(m, to, md);
    const sm_hook *h = sm_hooks_run(m, SM_HOOK_BEFORE, &t);
    if (h)
        return hook_failed(m, h, &t);
    return write(m, &t);
}

/* The event's arrow from the current state, then sm_transition_to. */
sm_status sm_fire(sm_machine *m, int event, const char *md)
{
    if (!m)
        return SM_E_ARG;
    if (event < 0 || (uint32_t)event >= m->def->nevents)
        return sm_machine_fail(m, SM_E_ARG, "unknown event %d", event);
    int cur = sm_current_state(m);
    const sm_def *d = m->def;
    for (uint32_t i = d->event_index[event]; i < d->event_index[event + 1]; i++)
        if (d->event_arrows[i].from == cur)
            return sm_transition_to(m, d->event_arrows[i].to, md);
    sm_transition t = propose(m, -1, md);
    (void)sm_hooks_run(m, SM_HOOK_AFTER_TRANSITION_FAILURE, &t);
    return sm_machine_fail(m, SM_E_TRANSITION_FAILED,
                           "event '%s' has no transition from %s",
                           d->event_names[event], sm_state_name(d, cur));
}

/*
 * Call op until it does not fail with SM_E_CONFLICT / SM_E_DEADLOCK, at
 * most attempts times. A store failure has reloaded the machine, so each
 * try decides again from the fresh state.
 */
static sm_status retry(sm_status (*op)(sm_machine *, int, const char *),
                       sm_machine *m, int arg, const char *md, int attempts)
{
    if (!m || attempts < 1)
        return SM_E_ARG;
    sm_status st;
    do
        st = op(m, arg, md);
    while ((st == SM_E_CONFLICT || st == SM_E_DEADLOCK) && --attempts > 0);
    return st;
}

sm_status sm_transition_to_retry(sm_machine *m, int to, const char *md,
                                 int attempts)
{
    return retry(sm_transition_to, m, to, md, attempts);
}

/* The event's target is found again on each try, from the fresh state. */
sm_status sm_fire_retry(sm_machine *m, int event, const char *md, int attempts)
{
    return retry(sm_fire, m, event, md, attempts);
}
