/*
 * wrap_store.h - a test store that forwards to a memory store and fails
 * the Nth operation (or every insert) with a chosen code.
 */
#ifndef SM_WRAP_STORE_H
#define SM_WRAP_STORE_H

#include <sm/sys/store.h>

typedef struct wrap_store {
    sm_store *store;  /* the store to test with (its impl is this) */
    sm_store *inner;  /* a "memory:" store */
    int fail_at;      /* the op (load/begin/insert/commit) to fail, 0 = none */
    int calls;        /* ops counted so far */
    int inserts;      /* insert calls */
    int fail_inserts; /* fail the first this many inserts */
    sm_status code;   /* the code failures return */
    bool deferred;    /* commit reports *deferred = true */
    int rollbacks;    /* rollback calls */
    char err[128];    /* the injected failure's message */
} wrap_store;

/* Set up w over a fresh memory store. */
void wrap_open(wrap_store *w);
/* Close w's stores (w itself is the caller's). */
void wrap_close(wrap_store *w);

#endif
