/*
 * stress.h - forked writers on the order machine (single transitions or
 * batches) and the invariants checked afterwards, for one server
 * (test_stress) and for a Galera cluster, where each worker writes
 * through its own node's URL.
 */
#ifndef SM_STRESS_H
#define SM_STRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "mtest.h"

enum { STRESS_FRESH, STRESS_RANDOM, STRESS_HOT };

typedef struct stress_cfg {
    const char *const *urls; /* worker w opens urls[w % nurls] */
    size_t nurls;
    const char *opts; /* wrap-mode options of odd workers, or NULL:
                         every worker opens its URL */
    int workload;     /* STRESS_* */
    int procs, per;   /* processes, transitions each */
    bool lenient;     /* SM_E_STORE (a lost node) is no failure: the
                         call (a batch's every item) counts as lost */
    void (*on_ack)(long acks, void *ctx); /* called per acknowledgement */
    void *ctx;
    MYSQL *(*node)(size_t i); /* a new connection to server i, ... */
    size_t nnodes;            /* ... i < nnodes, reading all committed */
    /* Creates `table` through c and returns its def; NULL: mt_def's bare
     * table with parent table "orders". */
    sm_def (*create)(MYSQL *c, const char *table);
    /* > 0: workers write batches of this many distinct parents, queueing
     * again the items a failed commit names, until all are written */
    int batch;
    int singles; /* ... but workers w < singles write single transitions */
} stress_cfg;

typedef struct stress_tally {
    long acks;      /* acknowledged transitions */
    long conflicts; /* SM_E_CONFLICT (of a transition or a commit) */
    long deadlocks; /* SM_E_DEADLOCK */
    long cluster;   /* SM_E_CLUSTER_CONFLICT */
    long lost;      /* SM_E_STORE, when lenient (per item of a batch) */
    int64_t rows;   /* in the table afterwards, on every server */
} stress_tally;

/*
 * Run cfg's workers on a fresh table `table` (created on server 0 and
 * seen empty on every server first), wait for them (each must exit 0),
 * then check the invariants on every server, on new connections: every
 * acknowledged row present with the id its machine was given (a
 * batch's from RETURNING), one most_recent per parent on its highest
 * sort key, legal chains, and no other rows but those of `lost` calls
 * (whose COMMIT may have landed). The same row count everywhere.
 */
stress_tally stress_run(const stress_cfg *cfg, const char *table);

#endif
