/*
 * store_priv.h - the store object and its internals (private).
 *
 * An sm_store is libsm's wrapper around one implementation of the
 * vtable: its ops and state, the machines open on it (so closing or a
 * caller's rollback can reach them), after_commit hooks waiting for the
 * caller, and the message of its last failed store-level call.
 */
#ifndef SM_STORE_PRIV_H
#define SM_STORE_PRIV_H

#include <pthread.h>
#include <stdarg.h>

#include "sm/sys/store.h"

typedef struct sm_deferred sm_deferred;

struct sm_store {
    const sm_store_ops *ops;
    void *impl;
    sm_status failed;      /* SM_OK, or why the store could not open */
    bool dirty;            /* a deferred commit since the last signal */
    pthread_mutex_t mu;    /* guards machines */
    sm_machine *machines;  /* open on this store, most recent first */
    sm_batch *batches;     /* open on this store (guarded by mu too) */
    sm_deferred *deferred; /* after_commit hooks awaiting the caller */
    char errmsg[512];      /* the last failed store-level call's */
};

/*
 * Where a built-in store (memory, MySQL) keeps the message its errmsg
 * op returns; sm_store_fail() writes it.
 */
typedef struct sm_backend {
    char errmsg[512];
} sm_backend;

/* Format fmt/ap into buf; returns st (the fail helpers' one body). */
sm_status sm_vfail(char *buf, size_t cap, sm_status st, const char *fmt,
                   va_list ap);

/* Set b->errmsg printf-style; returns st so callers can return it. */
sm_status sm_store_fail(sm_backend *b, sm_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Set s->errmsg printf-style (s may be NULL); returns st. */
sm_status sm_store_seterr(sm_store *s, sm_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Copy the implementation's store-level message into s; returns st. */
sm_status sm_store_copyerr(sm_store *s, sm_status st);

/* A failed store carrying code and msg into *out (NULL for NOMEM). */
sm_status sm_store_open_failed(sm_store **out, sm_status code, const char *msg);

/* s's implementation when s runs ops, else NULL. */
void *sm_store_impl(const sm_store *s, const sm_store_ops *ops);

/* Open a "memory:" store into *out; SM_E_NOMEM leaves *out NULL. */
sm_status sm_memory_open(sm_store **out);

/* Track m as open on its store, or stop tracking it. */
void sm_store_attach(sm_store *s, sm_machine *m);
void sm_store_detach(sm_store *s, sm_machine *m);

/* Queue fn(NULL, t, user) until sm_store_signal_commit(s, ...). Copies t. */
sm_status sm_deferred_push(sm_store *s, sm_hook_fn fn, const sm_transition *t,
                           void *user);
/* Drop every queued hook without running it. */
void sm_deferred_drop(sm_store *s);

#endif
