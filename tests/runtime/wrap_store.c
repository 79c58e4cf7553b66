/*
 * wrap_store.c - the failing test store (see wrap_store.h). It reaches
 * into the memory store it wraps through libsm's private store object.
 */
#include <stdio.h>
#include <string.h>

#include "store_priv.h"
#include "wrap_store.h"

/* Count an op; the injected failure when it is the chosen one. */
static sm_status tick(wrap_store *w)
{
    w->err[0] = '\0';
    ++w->calls;
    if (!w->fail_at || w->calls < w->fail_at ||
        w->calls > w->fail_at + w->fail_more)
        return SM_OK;
    snprintf(w->err, sizeof w->err, "injected failure at op %d", w->calls);
    return w->code;
}

static void w_close(void *impl)
{
    (void)impl;
}

/* The injected message, or the inner store's own. */
static const char *w_errmsg(void *impl, const sm_store_tx *tx)
{
    wrap_store *w = impl;
    return *w->err ? w->err : w->inner->ops->errmsg(w->inner->impl, tx);
}

static sm_status w_latest(void *impl, sm_store_tx *tx, const sm_def *d,
                          int64_t p, sm_rows *o)
{
    wrap_store *w = impl;
    sm_status st = tick(w);
    return st ? st : w->inner->ops->latest(w->inner->impl, tx, d, p, o);
}

static sm_status w_page(void *impl, sm_store_tx *tx, const sm_def *d, int64_t p,
                        const sm_store_page *pg, sm_rows *o)
{
    wrap_store *w = impl;
    sm_status st = tick(w);
    return st ? st : w->inner->ops->page(w->inner->impl, tx, d, p, pg, o);
}

static sm_status w_begin(void *impl, sm_store_tx **out)
{
    wrap_store *w = impl;
    sm_status st = tick(w);
    *out = NULL;
    return st ? st : w->inner->ops->begin(w->inner->impl, out);
}

static sm_status w_insert(void *impl, sm_store_tx *tx, sm_store_write *wr,
                          size_t n)
{
    wrap_store *w = impl;
    if (++w->inserts <= w->fail_inserts) {
        snprintf(w->err, sizeof w->err, "injected insert failure");
        return w->code;
    }
    sm_status st = tick(w);
    return st ? st : w->inner->ops->insert(w->inner->impl, tx, wr, n);
}

static sm_status w_commit(void *impl, sm_store_tx *tx, bool *deferred)
{
    wrap_store *w = impl;
    sm_status st = tick(w);
    *deferred = false;
    if (st)
        return st;
    st = w->inner->ops->commit(w->inner->impl, tx, deferred);
    *deferred = w->deferred;
    if (st == SM_OK && w->lose_commits > 0) {
        w->lose_commits--;
        w->gone = tx;
        snprintf(w->err, sizeof w->err, "injected: the commit's reply lost");
        return w->code;
    }
    return st;
}

/* Forward (a failed begin hands no transaction over). */
static void w_rollback(void *impl, sm_store_tx *tx)
{
    wrap_store *w = impl;
    w->rollbacks++;
    w->err[0] = '\0';
    if (tx && tx != w->gone)
        w->inner->ops->rollback(w->inner->impl, tx);
    w->gone = NULL;
}

static const sm_store_ops wrap_ops = {SM_STORE_OPS_VERSION,
                                      "wrap",
                                      w_close,
                                      w_errmsg,
                                      w_latest,
                                      w_page,
                                      w_begin,
                                      NULL,
                                      w_insert,
                                      w_commit,
                                      w_rollback,
                                      NULL,
                                      NULL};

void wrap_open(wrap_store *w)
{
    memset(w, 0, sizeof *w);
    w->code = SM_E_STORE;
    sm_store_open(&w->inner, "memory:");
    sm_store_open_ops(&w->store, &wrap_ops, w);
}

void wrap_close(wrap_store *w)
{
    sm_store_close(w->store);
    sm_store_close(w->inner);
}
