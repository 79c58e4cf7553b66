/*
 * store.c - opening stores (by URL or by vtable), closing them, their
 * messages, the machines open on them, and the in_state query.
 *
 * A store that cannot be opened is still returned (sqlite3_open style)
 * as a failed store whose every operation fails with the open's code,
 * so its message is readable with sm_store_errmsg().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "machine.h"
#include "redact.h"
#include "rows.h"
#include "store_priv.h"
#ifdef SM_HAVE_MYSQL
#include "mysql/open.h"
#endif

sm_status sm_vfail(char *buf, size_t cap, sm_status st, const char *fmt,
                   va_list ap)
{
    vsnprintf(buf, cap, fmt, ap);
    return st;
}

sm_status sm_store_fail(sm_backend *b, sm_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st = sm_vfail(b->errmsg, sizeof b->errmsg, st, fmt, ap);
    va_end(ap);
    return st;
}

sm_status sm_store_seterr(sm_store *s, sm_status st, const char *fmt, ...)
{
    if (!s)
        return st;
    va_list ap;
    va_start(ap, fmt);
    st = sm_vfail(s->errmsg, sizeof s->errmsg, st, fmt, ap);
    va_end(ap);
    return st;
}

/* The store's last message, "" if none; "" for NULL. */
const char *sm_store_errmsg(const sm_store *s)
{
    return s ? s->errmsg : "";
}

sm_status sm_store_copyerr(sm_store *s, sm_status st)
{
    const char *e = s->ops->errmsg(s->impl, NULL);
    if (e != s->errmsg)
        snprintf(s->errmsg, sizeof s->errmsg, "%s", e);
    return st;
}

void *sm_store_impl(const sm_store *s, const sm_store_ops *ops)
{
    return s && s->ops == ops ? s->impl : NULL;
}

/* A failed store's ops: impl is the store itself. */
static sm_status failed_code(void *impl)
{
    return ((sm_store *)impl)->failed;
}
static void failed_close(void *impl)
{
    (void)impl;
}
static const char *failed_errmsg(void *impl, const sm_store_tx *tx)
{
    (void)tx;
    return ((sm_store *)impl)->errmsg;
}
static sm_status failed_latest(void *impl, sm_store_tx *tx, const sm_def *d,
                               int64_t p, sm_rows *o)
{
    (void)tx, (void)d, (void)p, (void)o;
    return failed_code(impl);
}
static sm_status failed_page(void *impl, sm_store_tx *tx, const sm_def *d,
                             int64_t p, const sm_store_page *pg, sm_rows *o)
{
    (void)tx, (void)d, (void)p, (void)pg, (void)o;
    return failed_code(impl);
}
static sm_status failed_begin(void *impl, sm_store_tx **out)
{
    *out = NULL;
    return failed_code(impl);
}
static sm_status failed_insert(void *impl, sm_store_tx *tx, sm_store_write *w,
                               size_t n)
{
    (void)tx, (void)w, (void)n;
    return failed_code(impl);
}
static sm_status failed_commit(void *impl, sm_store_tx *tx, bool *deferred)
{
    (void)tx;
    *deferred = false;
    return failed_code(impl);
}
static void failed_rollback(void *impl, sm_store_tx *tx)
{
    (void)impl, (void)tx;
}
static sm_status failed_in_state(void *impl, const sm_def *d,
                                 const sm_store_filter *f, int64_t **ids,
                                 size_t *n)
{
    (void)d, (void)f, (void)ids, (void)n;
    return failed_code(impl);
}

static const sm_store_ops failed_ops = {SM_STORE_OPS_VERSION,
                                        "failed",
                                        failed_close,
                                        failed_errmsg,
                                        failed_latest,
                                        failed_page,
                                        failed_begin,
                                        NULL,
                                        failed_insert,
                                        failed_commit,
                                        failed_rollback,
                                        failed_in_state,
                                        NULL};

/* A zeroed store running ops on impl; NULL when out of memory. */
static sm_store *store_new(const sm_store_ops *ops, void *impl)
{
    sm_store *s = sm_malloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->ops = ops;
    s->impl = impl;
    pthread_mutex_init(&s->mu, NULL);
    return s;
}

sm_status sm_store_open_failed(sm_store **out, sm_status code, const char *msg)
{
    *out = NULL;
    if (code == SM_E_NOMEM)
        return code;
    sm_store *s = store_new(&failed_ops, NULL);
    if (!s)
        return code;
    s->impl = s;
    s->failed = code;
    snprintf(s->errmsg, sizeof s->errmsg, "%s", msg);
    *out = s;
    return code;
}

/* The name of the first required op ops lacks, or NULL. */
static const char *missing_op(const sm_store_ops *o)
{
    return !o->close      ? "close"
           : !o->errmsg   ? "errmsg"
           : !o->latest   ? "latest"
           : !o->page     ? "page"
           : !o->begin    ? "begin"
           : !o->insert   ? "insert"
           : !o->commit   ? "commit"
           : !o->rollback ? "rollback"
                          : NULL;
}

sm_status sm_store_open_ops(sm_store **out, const sm_store_ops *ops, void *impl)
{
    char err[256];
    if (!out)
        return SM_E_ARG;
    *out = NULL;
    if (!ops)
        return sm_store_open_failed(out, SM_E_ARG,
                                    "sm_store_open_ops: ops is NULL");
    const char *scheme = ops->scheme ? ops->scheme : "?";
    if (ops->version != SM_STORE_OPS_VERSION) {
        snprintf(err, sizeof err,
                 "store '%.100s': vtable version %u, but this libsm (%s) "
                 "runs version %u",
                 scheme, (unsigned)ops->version, SM_VERSION_STRING,
                 SM_STORE_OPS_VERSION);
        return sm_store_open_failed(out, SM_E_ARG, err);
    }
    const char *op = missing_op(ops);
    if (op) {
        snprintf(err, sizeof err, "store '%.100s': op '%s' is NULL", scheme,
                 op);
        return sm_store_open_failed(out, SM_E_ARG, err);
    }
    *out = store_new(ops, impl);
    return *out ? SM_OK : SM_E_NOMEM;
}

/* Open the store url names: "memory:" or "mysql://..." (if built). */
sm_status sm_store_open(sm_store **out, const char *url)
{
    char err[512] = "";
    if (!out)
        return SM_E_ARG;
    *out = NULL;
    if (!url)
        return sm_store_open_failed(out, SM_E_ARG, "store URL is NULL");
    if (strcmp(url, "memory:") == 0) {
        sm_status st = sm_memory_open(out);
        return st == SM_OK ? st
                           : sm_store_open_failed(out, st, "out of memory");
    }
    if (strncmp(url, "mysql://", 8) == 0) {
#ifdef SM_HAVE_MYSQL
        sm_status st = sm_mysql_open_url(out, url, err, sizeof err);
        return st == SM_OK ? st : sm_store_open_failed(out, st, err);
#else
        return sm_store_open_failed(out, SM_E_ARG, "mysql: support not built");
#endif
    }
    char shown[400];
    sm_redact_url(shown, sizeof shown, url);
    snprintf(err, sizeof err,
             "unknown store URL '%s' (expected memory: or mysql://)", shown);
    return sm_store_open_failed(out, SM_E_ARG, err);
}

void sm_store_attach(sm_store *s, sm_machine *m)
{
    pthread_mutex_lock(&s->mu);
    m->prev = NULL;
    m->next = s->machines;
    if (s->machines)
        s->machines->prev = m;
    s->machines = m;
    pthread_mutex_unlock(&s->mu);
}

void sm_store_detach(sm_store *s, sm_machine *m)
{
    pthread_mutex_lock(&s->mu);
    if (m->prev)
        m->prev->next = m->next;
    else
        s->machines = m->next;
    if (m->next)
        m->next->prev = m->prev;
    m->prev = m->next = NULL;
    pthread_mutex_unlock(&s->mu);
}

void sm_store_attach_batch(sm_store *s, sm_batch *b)
{
    pthread_mutex_lock(&s->mu);
    b->prev_b = NULL;
    b->next_b = s->batches;
    if (s->batches)
        s->batches->prev_b = b;
    s->batches = b;
    pthread_mutex_unlock(&s->mu);
}

void sm_store_detach_batch(sm_store *s, sm_batch *b)
{
    pthread_mutex_lock(&s->mu);
    if (b->prev_b)
        b->prev_b->next_b = b->next_b;
    else
        s->batches = b->next_b;
    if (b->next_b)
        b->next_b->prev_b = b->prev_b;
    b->prev_b = b->next_b = NULL;
    pthread_mutex_unlock(&s->mu);
}

/* Detach every machine and batch (their calls then say the store was
 * closed), drop pending after_commit hooks, then close s. NULL-safe. */
void sm_store_close(sm_store *s)
{
    if (!s)
        return;
    sm_deferred_drop(s);
    for (sm_machine *m = s->machines, *next; m; m = next) {
        next = m->next;
        m->store = NULL;
        m->prev = m->next = NULL;
    }
    for (sm_batch *b = s->batches, *next; b; b = next) {
        next = b->next_b;
        b->store = NULL;
        b->prev_b = b->next_b = NULL;
    }
    if (s->ops->close)
        s->ops->close(s->impl);
    pthread_mutex_destroy(&s->mu);
    sm_free(s);
}

void sm_ids_free(int64_t *ids)
{
    sm_free(ids);
}

/* Check the arguments of a listing by state (fn names it in messages). */
static sm_status in_state_args(sm_store *s, const char *fn, const sm_def *def,
                               const int *states, size_t n)
{
    if (!def)
        return sm_store_seterr(s, SM_E_ARG, "%s: def is NULL", fn);
    if (!states && n)
        return sm_store_seterr(s, SM_E_ARG, "%s: states is NULL", fn);
    for (size_t i = 0; i < n; i++)
        if (states[i] != SM_UNKNOWN_STATE &&
            (states[i] < 0 || (uint32_t)states[i] >= def->nstates))
            return sm_store_seterr(s, SM_E_ARG, "%s: %s has no state %d", fn,
                                   def->name ? def->name : "?", states[i]);
    if (!s->ops->in_state)
        return sm_store_seterr(s, SM_E_ARG,
                               "%s: store '%s' cannot list parents by state",
                               fn, s->ops->scheme ? s->ops->scheme : "?");
    return SM_OK;
}

/* in_state and not_in_state: f's parents of def into *ids / *n. An
 * empty in_state selects nothing, so it is answered here. */
static sm_status list_by_state(sm_store *s, const char *fn, const sm_def *def,
                               const sm_store_filter *f, int64_t **ids,
                               size_t *n)
{
    if (!s)
        return SM_E_ARG;
    if (!ids || !n)
        return sm_store_seterr(s, SM_E_ARG, "%s: ids or n is NULL", fn);
    *ids = NULL, *n = 0;
    sm_status st = in_state_args(s, fn, def, f->states, f->nstates);
    if (st == SM_OK && f->nstates == 0 && !f->negate) {
        *ids = sm_malloc(sizeof **ids);
        st = *ids ? SM_OK : sm_store_seterr(s, SM_E_NOMEM, "out of memory");
    } else if (st == SM_OK) {
        st = s->ops->in_state(s->impl, def, f, ids, n);
        if (st != SM_OK)
            sm_store_copyerr(s, st);
    }
    if (st != SM_OK)
        sm_free(*ids), *ids = NULL, *n = 0;
    return st;
}

sm_status sm_store_in_state(sm_store *s, const sm_def *def, const int *states,
                            size_t nstates, int64_t after_id, size_t limit,
                            int64_t **ids, size_t *n)
{
    sm_store_filter f = {states, nstates, false, after_id, limit};
    return list_by_state(s, "sm_store_in_state", def, &f, ids, n);
}

sm_status sm_store_not_in_state(sm_store *s, const sm_def *def,
                                const int *states, size_t nstates,
                                int64_t after_id, size_t limit, int64_t **ids,
                                size_t *n)
{
    sm_store_filter f = {states, nstates, true, after_id, limit};
    return list_by_state(s, "sm_store_not_in_state", def, &f, ids, n);
}
