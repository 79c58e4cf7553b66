/*
 * test_stress.c - the stress workload across a Galera cluster: two
 * processes on each of the three nodes, then the invariants checked on
 * every node. Fresh parents, which no two writers share, see no abort
 * of any kind; other workloads only retried races (hot ones, through
 * causal=1). Then batches written through 2 and 3 nodes over shared
 * parents, queueing again what a failed commit names (the README's
 * pattern) until everything is written: on the bare table, and on the
 * default schema (foreign key, CHECK) with the state column, which
 * must then agree with every parent's most_recent row on every node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "sm/mysql.h"

#include "gtest.h"
#include "stress.h"

/* Fresh parents get enough transitions (1,800) that the old protocol's
 * 0.3-0.6 % aborts would show; the others stay short. */
enum { PROCS = 2 * GT_NODES, PER = 40, FRESH_PER = 300 };

/* Node i + 1, reading causally. */
static MYSQL *node(size_t i)
{
    return gt_connect((int)i + 1);
}

/* Run workload wl on every node, per transitions per process, with
 * url_opts (or none) on every URL (odd workers wrapped if opts). */
static stress_tally run(const char *table, int wl, int per, const char *opts,
                        const char *url_opts)
{
    static char bufs[GT_NODES][1024];
    const char *urls[GT_NODES];
    for (int n = 0; n < GT_NODES; n++)
        urls[n] =
            url_opts ? gt_with(bufs[n], sizeof bufs[n], gt_url(n + 1), url_opts)
                     : gt_url(n + 1);
    stress_cfg cfg = {.urls = urls,
                      .nurls = GT_NODES,
                      .opts = opts,
                      .workload = wl,
                      .procs = PROCS,
                      .per = per,
                      .node = node,
                      .nnodes = GT_NODES};
    stress_tally t = stress_run(&cfg, table);
    assert_int_equal(t.acks, PROCS * per);
    return t;
}

static void test_fresh(void **st)
{
    (void)st;
    stress_tally t = run("gstress_fresh", STRESS_FRESH, FRESH_PER, NULL, NULL);
    assert_int_equal(t.deadlocks + t.cluster + t.conflicts, 0);
}

static void test_random(void **st)
{
    (void)st;
    run("gstress_random", STRESS_RANDOM, PER, NULL, NULL);
}

/* Writers of one parent on several nodes: with causal=1 each retry's
 * reload sees what beat it. Without, a lagging node can show the same
 * stale history again and again (once in 15 runs a worker spent all 50
 * tries that way). */
static void test_hot(void **st)
{
    (void)st;
    stress_tally t = run("gstress_hot", STRESS_HOT, PER, NULL, "causal=1");
    assert_true(t.cluster > 0); /* writers on other nodes lost races */
}

/* Odd workers inside their own connection and transaction (wrap mode):
 * no transaction left open on it after the cluster's aborts. */
static void test_wrapped(void **st)
{
    (void)st;
    run("gstress_wrapped", STRESS_RANDOM, PER, "gaplock=pk", NULL);
}

/* Batches: workers per node, each writing `per` transitions in batches
 * of BATCH random parents of the 1000 shared ones. */
enum { BATCH = 40, BATCH_PER = 120 };

/* The default schema, with the state column, created through node 1;
 * its parent table holds parents 1..1000. */
static sm_def cached_schema(MYSQL *c, const char *table)
{
    static char parents[80];
    char sql[256];
    snprintf(parents, sizeof parents, "%s_parents", table);
    sm_def d = tdef_order;
    d.table = table;
    d.parent_table = parents;
    d.schema = SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY | SM_SCHEMA_STATE_CHECK;
    d.state_column = "state";
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`, `%s`", table,
             parents);
    mt_exec(c, sql);
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, gt_url(1)), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    sm_store_close(s);
    snprintf(sql, sizeof sql,
             "INSERT INTO `%s` (id) SELECT seq FROM seq_1_to_1000", parents);
    mt_exec(c, sql);
    return d;
}

/* Batches through the first `nodes` nodes, 2 workers each, on `table`
 * (the default schema and its state column when cached), odd workers
 * wrapped if opts. (Not on hot parents: three writers, one per node,
 * batching the same two parents, each commit all or nothing, ran out of
 * 50 commits in a row without one win.) */
static stress_tally batches(const char *table, int nodes, bool cached,
                            const char *opts)
{
    const char *urls[GT_NODES];
    for (int n = 0; n < nodes; n++)
        urls[n] = gt_url(n + 1);
    stress_cfg cfg = {.urls = urls,
                      .nurls = (size_t)nodes,
                      .opts = opts,
                      .workload = STRESS_RANDOM,
                      .procs = 2 * nodes,
                      .per = BATCH_PER,
                      .node = node,
                      .nnodes = GT_NODES,
                      .create = cached ? cached_schema : NULL,
                      .batch = BATCH};
    stress_tally t = stress_run(&cfg, table);
    assert_int_equal(t.acks, cfg.procs * BATCH_PER);
    char parents[80];
    snprintf(parents, sizeof parents, "%s_parents", table);
    if (cached)
        for (size_t i = 0; i < GT_NODES; i++) {
            MYSQL *c = node(i);
            sm_def d = tdef_order;
            d.table = table, d.parent_table = parents;
            d.state_column = "state";
            assert_int_equal(mt_drift(c, &d), 0);
            mysql_close(c);
        }
    return t;
}

/* Odd workers inside their own transaction: a batch is a SAVEPOINT. */
static void test_batch_two_nodes(void **st)
{
    (void)st;
    batches("gbatch_two", 2, false, "gaplock=pk");
}

static void test_batch_three_nodes_cached(void **st)
{
    (void)st;
    batches("gbatch_cached", 3, true, NULL);
}

int main(void)
{
    gt_url(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_hot),
        cmocka_unit_test(test_wrapped),
        cmocka_unit_test(test_batch_two_nodes),
        cmocka_unit_test(test_batch_three_nodes_cached)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
