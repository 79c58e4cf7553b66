/*
 * deferred.c - a store inside its caller's transaction: after_commit
 * hooks wait for the caller's outcome, and a rollback reaches the
 * machines that saw the rolled-back rows.
 */
#include <string.h>

#include "machine.h"
#include "rows.h"
#include "store_priv.h"

struct sm_deferred {
    sm_hook_fn fn;
    void *user;
    sm_transition t;   /* metadata owned */
    sm_deferred *next; /* the one queued before it */
};

/* Queue one after_commit call, in front: a batch queues one per item,
 * and finding the tail each time would cost the square of its size.
 * SM_E_NOMEM leaves the queue as it was. */
sm_status sm_deferred_push(sm_store *s, sm_hook_fn fn, const sm_transition *t,
                           void *user)
{
    sm_deferred *d = sm_malloc(sizeof *d);
    char *md = d ? sm_strdup(t->metadata) : NULL;
    if (!md) {
        sm_free(d);
        return SM_E_NOMEM;
    }
    *d = (sm_deferred){fn, user, *t, s->deferred};
    d->t.metadata = md;
    s->deferred = d;
    return SM_OK;
}

/* Run (committed) or drop the queue in the order it was queued, then
 * free it. */
static void deferred_finish(sm_store *s, bool run)
{
    sm_deferred *d = NULL;
    while (s->deferred) { /* newest first: turn it around */
        sm_deferred *next = s->deferred->next;
        s->deferred->next = d;
        d = s->deferred;
        s->deferred = next;
    }
    while (d) {
        sm_deferred *next = d->next;
        if (run)
            (void)d->fn(NULL, &d->t, d->user);
        sm_free((char *)d->t.metadata);
        sm_free(d);
        d = next;
    }
}

void sm_deferred_drop(sm_store *s)
{
    deferred_finish(s, false);
}

/* Reload every machine on s; a failure marks it stale and is kept, as
 * does a machine in the middle of a call (signalled from its hook). */
static sm_status reload_all(sm_store *s)
{
    sm_status first = SM_OK;
    pthread_mutex_lock(&s->mu);
    for (sm_machine *m = s->machines; m; m = m->next) {
        if (m->busy) {
            m->stale = true;
            continue;
        }
        sm_status st = sm_machine_reload(m);
        m->stale = st != SM_OK;
        if (st != SM_OK && first == SM_OK)
            first = sm_store_seterr(s, st, "%s", m->errmsg);
    }
    pthread_mutex_unlock(&s->mu);
    return first;
}

/* After the caller's COMMIT (true) or ROLLBACK (false). */
sm_status sm_store_signal_commit(sm_store *s, bool committed)
{
    if (!s)
        return SM_E_ARG;
    deferred_finish(s, committed);
    bool dirty = s->dirty;
    s->dirty = false;
    return dirty && !committed ? reload_all(s) : SM_OK;
}
