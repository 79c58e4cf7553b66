/*
 * sm/store.h - the storage vtable, for those who implement a store.
 *
 * The engine decides; a store only reads and writes history. Users of
 * libsm never need this header; the memory and MySQL stores implement
 * it, and so may anyone else.
 */
#ifndef SM_STORE_H
#define SM_STORE_H

#include <stdarg.h>

#include "sm/sm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SM_STORE_OPS_VERSION 1u

/* A growable list of history rows that owns its metadata strings. */
typedef struct sm_rows sm_rows;

/* Append a copy of *t (and of t->metadata) to r. */
sm_status sm_rows_push(sm_rows *r, const sm_transition *t);

/*
 * One write is begin -> insert -> commit, or begin -> ... -> rollback.
 * The engine runs `after` hooks between insert and commit. After any
 * failing call the engine calls rollback, and the store must then hold
 * no transaction and no lock.
 */
typedef struct sm_store_ops {
    uint32_t version;   /* SM_STORE_OPS_VERSION */
    const char *scheme; /* "memory", "mysql", ... */
    void (*close)(sm_store *s);
    /* Every row of parent_id, by sort_key ascending, into out. */
    sm_status (*load)(sm_store *s, const sm_def *def, int64_t parent_id,
                      sm_rows *out);
    sm_status (*begin)(sm_store *s, const sm_def *def, int64_t parent_id);
    /*
     * Write t as the new most recent row of t->parent_id. prev is the
     * machine's cached last row (NULL when it saw no history); if the
     * store's last row differs, that is SM_E_CONFLICT. On SM_OK the
     * store has set t->id, t->created_at_us and t->most_recent.
     */
    sm_status (*insert)(sm_store *s, const sm_def *def,
                        const sm_transition *prev, sm_transition *t);
    /*
     * Make the write final. *deferred = true when the store runs inside
     * a transaction of its caller's, so after_commit must wait for
     * sm_store_signal_commit().
     */
    sm_status (*commit)(sm_store *s, bool *deferred);
    void (*rollback)(sm_store *s);
} sm_store_ops;

typedef struct sm_deferred sm_deferred;

/* Every store begins with this. */
struct sm_store {
    const sm_store_ops *ops;
    char errmsg[512];      /* last failure, "" if none */
    sm_deferred *deferred; /* after_commit hooks awaiting the caller */
};

/* Set s->errmsg, printf-style; returns st so callers can return it. */
sm_status sm_store_fail(sm_store *s, sm_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The allocator set by sm_set_allocator(), for stores to use. */
void *sm_malloc(size_t n);
void *sm_realloc(void *p, size_t n);
void sm_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
