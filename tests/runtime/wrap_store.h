/*
 * wrap_store.h - a test store that forwards to a memory store and fails
 * the Nth operation (or every insert) with a chosen code, or loses the
 * reply of a commit that committed.
 */
#ifndef SM_WRAP_STORE_H
#define SM_WRAP_STORE_H

#include <sm/sys/store.h>

typedef struct wrap_store {
    sm_store *store; /* the store to test with (its impl is this) */
    sm_store *inner; /* a "memory:" store */
    int fail_at;   /* the op (reads, begin, insert, commit) to fail, 0: none */
    int fail_more; /* and this many ops after it */
    int calls;     /* ops counted so far */
    int inserts;   /* insert calls */
    int fail_inserts;  /* fail the first this many inserts */
    sm_status code;    /* the code failures return */
    bool deferred;     /* commit reports *deferred = true */
    int lose_commits;  /* this many commits commit, then fail with code,
                          as when the connection is lost on the reply */
    sm_store_tx *gone; /* such a commit's transaction: not rolled back */
    int rollbacks;     /* rollback calls */
    char err[128];     /* the injected failure's message */
} wrap_store;

/* Set up w over a fresh memory store. */
void wrap_open(wrap_store *w);
/* Close w's stores (w itself is the caller's). */
void wrap_close(wrap_store *w);

#endif
