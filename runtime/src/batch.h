/*
 * batch.h - the batch object (private), shared by batch.c (queueing,
 * failures, lifetimes) and batch_commit.c (writing it).
 *
 * Items keep queue order; an index by (table, parent) refuses a parent
 * queued twice. A failed commit takes items out and lists them.
 */
#ifndef SM_BATCH_H
#define SM_BATCH_H

#include "machine.h"
#include "store_priv.h"

/* How an item was asked for, to ask again (sm_batch_commit_retry). */
typedef struct sm_batch_ask {
    bool event; /* sm_batch_fire (arg: the event), else to (arg) */
    int arg;
    char *metadata; /* as queued; owned */
} sm_batch_ask;

typedef struct sm_batch_item {
    sm_machine *m;      /* NULL once its machine was closed */
    bool event;         /* queued by sm_batch_fire (arg: the event) */
    int arg;            /* ... or by sm_batch_transition_to (arg: to) */
    const sm_def *def;  /* m's, kept for the index after a close */
    sm_transition t;    /* the row to write; metadata owned */
    sm_transition prev; /* the row it follows; metadata owned */
    bool has_prev;      /* false: the parent had no history */
    sm_status failed;   /* set while a failed commit sorts it out */
    bool pushed;        /* t is in m's cache, not yet committed */
} sm_batch_item;

struct sm_batch {
    sm_store *store; /* NULL once the store was closed */
    sm_batch_item *items;
    size_t n, cap;
    size_t *slots;             /* (table, parent) index: item + 1, 0 free */
    size_t nslots;             /* a power of two, > 2n; 0: none yet */
    sm_batch_failure *fails;   /* the last commit's, in queue order, in
                                  one block with their messages */
    sm_batch_ask *asks;        /* ... how each was queued (NULL: none) */
    size_t nfails;             /* ... and how many */
    bool busy;                 /* a call of b runs its items' hooks */
    sm_batch *prev_b, *next_b; /* in the store's list of batches */
    char errmsg[512];
};

/* def's table name, "" for none: what batches key parents by. */
const char *sm_batch_table(const sm_def *def);

/* Why b cannot be used now (its store closed, or a hook of one of its
 * items calling it), in b's message; SM_OK when it can. */
sm_status sm_batch_usable(sm_batch *b);

/* Set b->errmsg printf-style; returns st. */
sm_status sm_batch_fail(sm_batch *b, sm_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Take out of b every item whose `failed` is set, listing them as its
 * failures (with their machines' messages); the rest keep their order. */
sm_status sm_batch_settle(sm_batch *b);

/* Drop every item (their machines are no longer queued); b stays. */
void sm_batch_clear(sm_batch *b);

/* Forget the failures b lists. */
void sm_batch_forget_failures(sm_batch *b);

/* Queue m as sm_batch_fire (event) or sm_batch_transition_to does. */
sm_status sm_batch_queue(sm_batch *b, sm_machine *m, bool event, int arg,
                         const char *md);

/* List extra[0..n) (their messages copied) before b's failures. */
sm_status sm_batch_list_first(sm_batch *b, const sm_batch_failure *extra,
                              size_t n);

/* Track b as open on its store, or stop tracking it (store.c). */
void sm_store_attach_batch(sm_store *s, sm_batch *b);
void sm_store_detach_batch(sm_store *s, sm_batch *b);

#endif
