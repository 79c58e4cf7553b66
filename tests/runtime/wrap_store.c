/*
 * wrap_store.c - the failing test store (see wrap_store.h).
 */
#include <string.h>

#include "wrap_store.h"

static wrap_store *W(sm_store *s)
{
    return (wrap_store *)s;
}

/* Count an op; the injected failure when it is the chosen one. */
static sm_status tick(sm_store *s)
{
    wrap_store *w = W(s);
    if (++w->calls == w->fail_at)
        return sm_store_fail(s, w->code, "injected failure at op %d", w->calls);
    return SM_OK;
}

static void w_close(sm_store *s)
{
    (void)s;
}

static sm_status w_load(sm_store *s, const sm_def *d, int64_t p, sm_rows *o)
{
    sm_status st = tick(s);
    return st ? st : W(s)->inner->ops->load(W(s)->inner, d, p, o);
}

static sm_status w_begin(sm_store *s, const sm_def *d, int64_t p)
{
    sm_status st = tick(s);
    return st ? st : W(s)->inner->ops->begin(W(s)->inner, d, p);
}

static sm_status w_insert(sm_store *s, const sm_def *d,
                          const sm_transition *prev, sm_transition *t)
{
    wrap_store *w = W(s);
    if (++w->inserts <= w->fail_inserts)
        return sm_store_fail(s, w->code, "injected insert failure");
    sm_status st = tick(s);
    return st ? st : w->inner->ops->insert(w->inner, d, prev, t);
}

static sm_status w_commit(sm_store *s, bool *deferred)
{
    sm_status st = tick(s);
    *deferred = false;
    if (st)
        return st;
    st = W(s)->inner->ops->commit(W(s)->inner, deferred);
    *deferred = W(s)->deferred;
    return st;
}

static void w_rollback(sm_store *s)
{
    W(s)->rollbacks++;
    W(s)->inner->ops->rollback(W(s)->inner);
}

static const sm_store_ops wrap_ops = {SM_STORE_OPS_VERSION,
                                      "wrap",
                                      w_close,
                                      w_load,
                                      w_begin,
                                      w_insert,
                                      w_commit,
                                      w_rollback};

void wrap_open(wrap_store *w)
{
    memset(w, 0, sizeof *w);
    w->base.ops = &wrap_ops;
    w->code = SM_E_STORE;
    sm_store_open(&w->inner, "memory:");
}

void wrap_close(wrap_store *w)
{
    sm_store_signal_commit(&w->base, false);
    sm_store_close(w->inner);
}
