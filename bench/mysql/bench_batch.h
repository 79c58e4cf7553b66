/*
 * bench_batch.h - what bench_batch's runs share: the parents a process
 * owns (each walking pending -> checking_out <-> failed) and the
 * hand-written floor loop (floor_batch.c).
 */
#ifndef SM_BENCH_BATCH_H
#define SM_BENCH_BATCH_H

#include <stdint.h>

#include "bench.h"

/* The parents of one process, as a hand-written client tracks them. */
typedef struct bench_parents {
    int n;
    int64_t *id;   /* the parent ids, ascending */
    int64_t *prev; /* each one's latest row id; 0: no history */
    int32_t *sk;   /* ... and its sort_key */
    int *state;    /* 0 pending, 1 checking_out, 2 failed */
} bench_parents;

/*
 * The floor: `total` transitions of p's parents in turn, k per
 * transaction, with the statements a store issues (k = 1: INSERT,
 * UPDATE by id, COMMIT; k > 1: one INSERT ... RETURNING of k rows, one
 * UPDATE by id, COMMIT, neither waiting for a row lock), prepared once
 * on its own connection to url; a transaction that meets a lock or a
 * deadlock is written again, counted in *retries. sync(ctx) is called
 * once everything is prepared, before the first transition. k divides
 * p->n. 0 on success.
 */
int bench_floor_batch(const char *url, const char *table, bench_parents *p,
                      int total, int k, long *retries, void (*sync)(void *),
                      void *ctx);

#endif
