/*
 * test_node_kill.c - kill -9 a node under a multi-process load. Two
 * processes write through each node (their URLs list every node, their
 * own first). Node 3 dies after KILL_AT acknowledgements: the others
 * carry on (REJOIN_AT - KILL_AT more while it is down), its clients fail
 * over. It rejoins; afterwards every node holds every acknowledged
 * transition and the invariants, and only node 3's in-flight calls were
 * lost (their fate unknown, so they may or may not be there). Then the
 * same with batches of BATCH: only node 3's in-flight batches are lost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "gtest.h"
#include "stress.h"

enum {
    PROCS = 2 * GT_NODES,
    PER = 60,
    KILL_AT = 60,
    REJOIN_AT = 200,
    BATCH = 10,
    BATCH_PER = 120
};

/* The load's progress decides when node 3 dies and comes back. */
static void on_ack(long acks, void *ctx)
{
    (void)ctx;
    if (acks == KILL_AT)
        gt_script("kill", 3);
    if (acks == REJOIN_AT)
        gt_script("rejoin", 3);
}

/* Node i + 1, reading causally. */
static MYSQL *node(size_t i)
{
    return gt_connect((int)i + 1);
}

/* PROCS workers on every node's failover URL, per transitions each, in
 * batches of `batch` (0: one by one), node 3 killed and rejoined. */
static stress_tally run(const char *table, int per, int batch)
{
    static char urls[GT_NODES][1024];
    const char *list[GT_NODES];
    for (int n = 0; n < GT_NODES; n++)
        list[n] = gt_failover_url(urls[n], sizeof urls[n], "root", n + 1);
    stress_cfg cfg = {.urls = list,
                      .nurls = GT_NODES,
                      .workload = STRESS_RANDOM,
                      .procs = PROCS,
                      .per = per,
                      .lenient = true,
                      .on_ack = on_ack,
                      .node = node,
                      .nnodes = GT_NODES,
                      .batch = batch};
    stress_tally t = stress_run(&cfg, table);
    assert_true(t.acks >= REJOIN_AT); /* the survivors carried on */
    assert_int_equal(t.acks + t.lost, PROCS * per);
    return t;
}

static void test_node_killed(void **st)
{
    (void)st;
    stress_tally t = run("kill_transitions", PER, 0);
    assert_true(t.lost <= PROCS / GT_NODES); /* node 3's in-flight calls */
}

static void test_node_killed_batches(void **st)
{
    (void)st;
    stress_tally t = run("kill_batches", BATCH_PER, BATCH);
    assert_true(t.lost <= PROCS / GT_NODES * BATCH); /* in-flight batches */
}

int main(void)
{
    gt_url(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_killed),
        cmocka_unit_test(test_node_killed_batches)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
