/*
 * engine.c - deciding and writing transitions (README: "Callback order").
 *
 * Order, as Statesman: validate -> guards -> begin -> [lock, and on a
 * stale view reload and decide again] -> before -> insert -> after ->
 * commit -> after_commit. Any failure rolls the store back and leaves
 * the machine's cache equal to the store.
 */
#include <string.h>

#include "json.h"
#include "machine.h"
#include "store_priv.h"

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
                           0,
                           NULL,
                           NULL};
}

/* propose, for allowed.c (kept static here so the engine inlines it). */
sm_transition sm_propose(sm_machine *m, int to, const char *md)
{
    return propose(m, to, md);
}

/* Start a call that writes: refuse re-entry, a queued machine and a
 * closed store, and catch up with a rollback the caller reported. */
sm_status sm_engine_enter(sm_machine *m)
{
    if (m->busy)
        return sm_machine_fail_parent(m, SM_E_ARG,
                                      "a transition of this machine is "
                                      "already in progress (started from "
                                      "one of its hooks)");
    if (m->batch)
        return sm_machine_fail_parent(m, SM_E_ARG,
                                      "it is queued in a batch (commit or "
                                      "free the batch first)");
    if (!m->store)
        return sm_machine_fail_parent(m, SM_E_ARG, "its store was closed");
    if (m->stale) {
        sm_status st = sm_machine_reload(m);
        if (st != SM_OK)
            return st;
    }
    m->busy = true;
    return SM_OK;
}

/* Check to and md (the metadata's message goes to m). */
static sm_status check_args(sm_machine *m, int to, const char *md)
{
    if (to < 0 || (uint32_t)to >= m->def->nstates)
        return sm_machine_fail(m, SM_E_ARG, "unknown state %d", to);
    sm_status st = sm_json_check(md, m->errmsg, sizeof m->errmsg);
    if (st == SM_E_NOMEM)
        sm_machine_fail(m, st, "out of memory");
    return st;
}

/* Whether state s of d is retired: in history only, never entered or
 * left, whatever a hand-written table says. */
bool sm_state_retired(const sm_def *d, int s)
{
    return s >= 0 && (uint32_t)s < d->nstates &&
           (d->state_flags[s] & SM_STATE_RETIRED);
}

/* The table, then the guards, on m's cache; *t is the proposal. */
static sm_status decide(sm_machine *m, int to, const char *md, sm_transition *t)
{
    *t = propose(m, to, md);
    const sm_def *d = m->def;
    if (sm_state_retired(d, t->from_state) || sm_state_retired(d, to))
        return sm_machine_fail(
            m, SM_E_TRANSITION_FAILED,
            "no transition %s -> %s: '%s' is retired",
            sm_state_name(d, t->from_state), sm_state_name(d, to),
            sm_state_name(d, sm_state_retired(d, to) ? to : t->from_state));
    if (!sm_def_allows(d, t->from_state, to))
        return sm_machine_fail(
            m, SM_E_TRANSITION_FAILED, "no transition %s -> %s",
            sm_state_name(d, t->from_state), sm_state_name(d, to));
    const sm_hook *g = sm_hooks_guard(m, t);
    if (g)
        return sm_machine_fail(
            m, SM_E_GUARD_FAILED, "guard '%s' rejected %s -> %s", g->name,
            sm_state_name(d, t->from_state), sm_state_name(d, to));
    return SM_OK;
}

/* Table and guards only; no failure hooks run. */
sm_status sm_can_transition_to(sm_machine *m, int to, const char *md)
{
    if (!m)
        return SM_E_ARG;
    sm_transition t;
    sm_status st = check_args(m, to, md);
    return st == SM_OK ? decide(m, to, md, &t) : st;
}

/* A refusal st for t: its failure hooks run, its message is kept. */
static sm_status refused(sm_machine *m, sm_status st, const sm_transition *t)
{
    char keep[sizeof m->errmsg];
    memcpy(keep, m->errmsg, sizeof keep);
    (void)sm_hooks_run(m,
                       st == SM_E_GUARD_FAILED
                           ? SM_HOOK_AFTER_GUARD_FAILURE
                           : SM_HOOK_AFTER_TRANSITION_FAILURE,
                       t);
    memcpy(m->errmsg, keep, sizeof keep);
    return st;
}

/* Roll tx back; m's hooks read outside any transaction from now on. */
static void rollback(sm_machine *m, sm_store_tx *tx)
{
    sm_store *s = m->store;
    m->tx = NULL;
    s->ops->rollback(s->impl, tx);
}

/* The store's op failed with st in tx (NULL: none begun) while writing
 * t: say so in the product's words, roll back, re-read, report. */
static sm_status store_failed(sm_machine *m, sm_status st, sm_store_tx *tx,
                              const sm_transition *t)
{
    sm_store *s = m->store;
    const char *why = s->ops->errmsg(s->impl, tx);
    if (st == SM_E_CONFLICT)
        sm_machine_fail_parent(m, st,
                               "another writer transitioned it first "
                               "(sort_key %d taken): %s",
                               (int)t->sort_key, why);
    else if (st == SM_E_DEADLOCK)
        sm_machine_fail_parent(m, st,
                               "chosen as a deadlock victim, nothing "
                               "written: %s",
                               why);
    else if (st == SM_E_CLUSTER_CONFLICT)
        sm_machine_fail_parent(m, st,
                               "another cluster node's write was ordered "
                               "first, nothing written: %s",
                               why);
    else
        sm_machine_fail_parent(m, st, "%s", why);
    if (tx)
        rollback(m, tx);
    char keep[sizeof m->errmsg];
    memcpy(keep, m->errmsg, sizeof keep);
    if (sm_machine_reload(m) != SM_OK)
        m->stale = true;  /* the next write reloads first */
    if (s->ops->end_read) /* a failed call leaves no transaction open */
        s->ops->end_read(s->impl);
    memcpy(m->errmsg, keep, sizeof keep);
    return st;
}

/* A before/after hook h aborted t. */
sm_status sm_engine_hook_failed(sm_machine *m, const sm_hook *h,
                                const sm_transition *t)
{
    return sm_machine_fail(m, SM_E_CALLBACK, "%s hook '%s' aborted %s -> %s",
                           h->kind == SM_HOOK_BEFORE ? "before" : "after",
                           h->name, sm_state_name(m->def, t->from_state),
                           sm_state_name(m->def, t->to_state));
}

void sm_machine_trim(sm_machine *m)
{
    sm_rows *r = &m->rows;
    if (r->n < 2)
        return;
    sm_free((char *)r->v[0].metadata);
    r->v[0] = r->v[r->n - 1];
    r->n = 1;
}

/*
 * In tx: lock the parent if the store does; when m's view was stale,
 * reload it in tx and decide again on the fresh state (a refusal rolls
 * back and runs the failure hooks). *t is re-proposed.
 */
static sm_status lock_and_recheck(sm_machine *m, sm_store_tx *tx, int to,
                                  const char *md, sm_transition *t)
{
    sm_store *s = m->store;
    bool stale = false;
    sm_status st = s->ops->lock
                       ? s->ops->lock(s->impl, tx, m->def, m->parent_id,
                                      sm_last_transition(m), &stale)
                       : SM_OK;
    if (st == SM_OK && stale)
        st = sm_machine_load(m, tx);
    if (st != SM_OK)
        return store_failed(m, st, tx, t);
    if (!stale)
        return SM_OK;
    st = decide(m, to, md, t);
    if (st == SM_OK)
        return st;
    rollback(m, tx);
    return refused(m, st, t);
}

/* before -> insert -> cache -> after -> commit -> after_commit, in tx. */
static sm_status write_in(sm_machine *m, sm_store_tx *tx, sm_transition *t)
{
    sm_store *s = m->store;
    const sm_hook *h = sm_hooks_run(m, SM_HOOK_BEFORE, t);
    if (h) {
        rollback(m, tx);
        return sm_engine_hook_failed(m, h, t);
    }
    sm_store_write w = {m->def, sm_last_transition(m), t, SM_OK};
    sm_status st = s->ops->insert(s->impl, tx, &w, 1);
    if (st != SM_OK)
        return store_failed(m, st, tx, t);
    if (sm_rows_push_latest(&m->rows, t) != SM_OK) {
        rollback(m, tx);
        return sm_machine_fail(m, SM_E_NOMEM, "out of memory");
    }
    h = sm_hooks_run(m, SM_HOOK_AFTER, sm_last_transition(m));
    if (h) {
        rollback(m, tx);
        sm_rows_pop_latest(&m->rows);
        return sm_engine_hook_failed(m, h, t);
    }
    bool deferred = false;
    st = s->ops->commit(s->impl, tx, &deferred);
    if (st != SM_OK) {
        sm_rows_pop_latest(&m->rows);
        return store_failed(m, st, tx, t);
    }
    m->tx = NULL;
    sm_machine_trim(m);
    if (deferred) /* a shared (memory) store never defers: no race here */
        s->dirty = true;
    sm_hooks_after_commit(m, sm_last_transition(m), deferred);
    return SM_OK;
}

/* The arguments, then the table and the guards on the cache; a refusal
 * runs its failure hooks. */
sm_status sm_engine_decide(sm_machine *m, int to, const char *md,
                           sm_transition *t)
{
    sm_status st = check_args(m, to, md);
    if (st != SM_OK)
        return st;
    st = decide(m, to, md, t);
    return st == SM_OK ? st : refused(m, st, t);
}

/* Decide on the cache, then write in a transaction of the store. */
static sm_status transition(sm_machine *m, int to, const char *md)
{
    sm_transition t;
    sm_status st = sm_engine_decide(m, to, md, &t);
    if (st != SM_OK)
        return st;
    sm_store *s = m->store;
    sm_store_tx *tx = NULL;
    st = s->ops->begin(s->impl, &tx);
    if (st != SM_OK)
        return store_failed(m, st, NULL, &t);
    m->tx = tx;
    st = lock_and_recheck(m, tx, to, md, &t);
    return st == SM_OK ? write_in(m, tx, &t) : st;
}

/* call(m, arg, md) as one write of m: entered, busy throughout. */
static sm_status as_write(sm_machine *m,
                          sm_status (*call)(sm_machine *, int, const char *),
                          int arg, const char *md)
{
    sm_status st = sm_engine_enter(m);
    if (st != SM_OK)
        return st;
    st = call(m, arg, md);
    m->busy = false;
    return st;
}

/* Validate, run guards, then write. */
sm_status sm_transition_to(sm_machine *m, int to, const char *md)
{
    return m ? as_write(m, transition, to, md) : SM_E_ARG;
}

/* The target of the event's arrow from the current state, in *to; no
 * arrow runs the failure hooks. The event was checked. */
sm_status sm_engine_target(sm_machine *m, int event, const char *md, int *to)
{
    const sm_def *d = m->def;
    int cur = sm_current_state(m);
    for (uint32_t i = d->event_index[event]; i < d->event_index[event + 1]; i++)
        if (d->event_arrows[i].from == cur)
            return *to = d->event_arrows[i].to, SM_OK;
    sm_transition t = propose(m, -1, md);
    sm_machine_fail(m, SM_E_TRANSITION_FAILED,
                    "event '%s' has no transition from %s",
                    d->event_names[event], sm_state_name(d, cur));
    return refused(m, SM_E_TRANSITION_FAILED, &t);
}

/* The event's arrow from the current state, then as sm_transition_to. */
static sm_status fire(sm_machine *m, int event, const char *md)
{
    int to;
    sm_status st = sm_engine_target(m, event, md, &to);
    return st == SM_OK ? transition(m, to, md) : st;
}

sm_status sm_fire(sm_machine *m, int event, const char *md)
{
    if (!m)
        return SM_E_ARG;
    if (event < 0 || (uint32_t)event >= m->def->nevents)
        return sm_machine_fail(m, SM_E_ARG, "unknown event %d", event);
    return as_write(m, fire, event, md);
}

/*
 * Call op until it does not fail with a status sm_status_retryable()
 * accepts, at most attempts times. A store failure has reloaded the machine, so
 * each try decides again from the fresh state. name is the caller's, for the
 * message.
 */
static sm_status retry(sm_status (*op)(sm_machine *, int, const char *),
                       const char *name, sm_machine *m, int arg, const char *md,
                       int attempts)
{
    if (!m)
        return SM_E_ARG;
    if (attempts < 1)
        return sm_machine_fail(m, SM_E_ARG, "%s: attempts is %d, not >= 1",
                               name, attempts);
    sm_status st;
    do
        st = op(m, arg, md);
    while (sm_status_retryable(st) && --attempts > 0);
    return st;
}

sm_status sm_transition_to_retry(sm_machine *m, int to, const char *md,
                                 int attempts)
{
    return retry(sm_transition_to, "sm_transition_to_retry", m, to, md,
                 attempts);
}

/* The event's target is found again on each try, from the fresh state. */
sm_status sm_fire_retry(sm_machine *m, int event, const char *md, int attempts)
{
    return retry(sm_fire, "sm_fire_retry", m, event, md, attempts);
}
