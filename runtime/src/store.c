/*
 * store.c - opening stores by URL, store errors, deferred after_commit.
 *
 * A store that cannot be opened is still returned (sqlite3_open style)
 * as a failed store whose every operation fails with the open's code,
 * so its message is readable with sm_store_errmsg().
 */
#include <stdio.h>
#include <string.h>

#include "redact.h"
#include "rows.h"
#include "store_priv.h"
#ifdef SM_HAVE_MYSQL
#include "mysql/open.h"
#endif

struct sm_deferred {
    sm_hook_fn fn;
    void *user;
    sm_transition t;   /* metadata owned */
    sm_deferred *next; /* in queue order */
};

typedef struct failed_store {
    sm_store base;
    sm_status code;
} failed_store;

/* Format the message sm_store_errmsg(s) returns; return st. */
sm_status sm_store_fail(sm_store *s, sm_status st, const char *fmt, ...)
{
    if (!s)
        return st;
    char *mem = sm_memory_errmsg(s);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(mem ? mem : s->errmsg, sizeof s->errmsg, fmt, ap);
    va_end(ap);
    return st;
}

/* The store's last message, "" if none; "" for NULL. */
const char *sm_store_errmsg(const sm_store *s)
{
    if (!s)
        return "";
    const char *mem = sm_memory_errmsg(s);
    return mem ? mem : s->errmsg;
}

static sm_status failed_code(sm_store *s)
{
    return ((failed_store *)s)->code;
}
static void failed_close(sm_store *s)
{
    sm_free(s);
}
static sm_status failed_load(sm_store *s, const sm_def *d, int64_t p,
                             sm_rows *o)
{
    (void)d, (void)p, (void)o;
    return failed_code(s);
}
static sm_status failed_begin(sm_store *s, const sm_def *d, int64_t p)
{
    (void)d, (void)p;
    return failed_code(s);
}
static sm_status failed_insert(sm_store *s, const sm_def *d,
                               const sm_transition *p, sm_transition *t)
{
    (void)d, (void)p, (void)t;
    return failed_code(s);
}
static sm_status failed_commit(sm_store *s, bool *deferred)
{
    *deferred = false;
    return failed_code(s);
}
static void failed_rollback(sm_store *s)
{
    (void)s;
}

static const sm_store_ops failed_ops = {
    SM_STORE_OPS_VERSION, "failed",      failed_close,  failed_load,
    failed_begin,         failed_insert, failed_commit, failed_rollback};

/* Replace *out with a failed store carrying code and msg (NULL if NOMEM). */
static sm_status open_failed(sm_store **out, sm_status code, const char *msg)
{
    *out = NULL;
    if (code == SM_E_NOMEM)
        return code;
    failed_store *f = sm_malloc(sizeof *f);
    if (!f)
        return code;
    memset(f, 0, sizeof *f);
    f->base.ops = &failed_ops;
    f->code = code;
    snprintf(f->base.errmsg, sizeof f->base.errmsg, "%s", msg);
    *out = &f->base;
    return code;
}

/* Open the store url names: "memory:" or "mysql://..." (if built). */
sm_status sm_store_open(sm_store **out, const char *url)
{
    char err[512] = "";
    if (!out)
        return SM_E_ARG;
    *out = NULL;
    if (!url)
        return open_failed(out, SM_E_ARG, "store URL is NULL");
    if (strcmp(url, "memory:") == 0) {
        sm_status st = sm_memory_open(out);
        return st == SM_OK ? st : open_failed(out, st, "out of memory");
    }
    if (strncmp(url, "mysql://", 8) == 0) {
#ifdef SM_HAVE_MYSQL
        sm_status st = sm_mysql_open_url(out, url, err, sizeof err);
        return st == SM_OK ? st : open_failed(out, st, err);
#else
        return open_failed(out, SM_E_ARG, "mysql: support not built");
#endif
    }
    char shown[400];
    sm_redact_url(shown, sizeof shown, url);
    snprintf(err, sizeof err,
             "unknown store URL '%s' (expected memory: or mysql://)", shown);
    return open_failed(out, SM_E_ARG, err);
}

/* Drop pending after_commit hooks, then close s. NULL-safe. */
void sm_store_close(sm_store *s)
{
    if (!s)
        return;
    sm_deferred_drop(s);
    s->ops->close(s);
}

/* Queue one after_commit call; SM_E_NOMEM leaves the queue as it was. */
sm_status sm_deferred_push(sm_store *s, sm_hook_fn fn, const sm_transition *t,
                           void *user)
{
    sm_deferred *d = sm_malloc(sizeof *d);
    char *md = d ? sm_strdup(t->metadata) : NULL;
    if (!md) {
        sm_free(d);
        return SM_E_NOMEM;
    }
    *d = (sm_deferred){fn, user, *t, NULL};
    d->t.metadata = md;
    sm_deferred **tail = &s->deferred;
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    return SM_OK;
}

/* Run (committed) or drop the queue in order, then free it. */
static void deferred_finish(sm_store *s, bool run)
{
    sm_deferred *d = s->deferred;
    s->deferred = NULL;
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

/* After the caller's COMMIT (true) or ROLLBACK (false). NULL-safe. */
void sm_store_signal_commit(sm_store *s, bool committed)
{
    if (s)
        deferred_finish(s, committed);
}
