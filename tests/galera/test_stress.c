/*
 * test_stress.c - the stress workload across a Galera cluster: two
 * processes on each of the three nodes, then the invariants checked on
 * every node. Fresh parents, which no two writers share, see no abort
 * of any kind; other workloads only retried races (hot ones, through
 * causal=1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

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

int main(void)
{
    gt_url(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh), cmocka_unit_test(test_random),
        cmocka_unit_test(test_hot), cmocka_unit_test(test_wrapped)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
