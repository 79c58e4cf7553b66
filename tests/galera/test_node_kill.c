/*
 * test_node_kill.c - kill -9 a node under a multi-process load. Two
 * processes write through each node (their URLs list every node, their
 * own first). Node 3 dies after KILL_AT acknowledgements: the others
 * carry on (REJOIN_AT - KILL_AT more while it is down), its clients fail
 * over. It rejoins; afterwards every node holds every acknowledged
 * transition and the invariants, and only node 3's in-flight calls were
 * lost (their fate unknown, so they may or may not be there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "gtest.h"
#include "stress.h"

enum { PROCS = 2 * GT_NODES, PER = 60, KILL_AT = 60, REJOIN_AT = 200 };

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

static void test_node_killed(void **st)
{
    (void)st;
    static char urls[GT_NODES][1024];
    const char *list[GT_NODES];
    for (int n = 0; n < GT_NODES; n++)
        list[n] = gt_failover_url(urls[n], sizeof urls[n], "root", n + 1);
    stress_cfg cfg = {.urls = list,
                      .nurls = GT_NODES,
                      .workload = STRESS_RANDOM,
                      .procs = PROCS,
                      .per = PER,
                      .lenient = true,
                      .on_ack = on_ack,
                      .node = node,
                      .nnodes = GT_NODES};
    stress_tally t = stress_run(&cfg, "kill_transitions");
    assert_true(t.acks >= REJOIN_AT);        /* the survivors carried on */
    assert_true(t.lost <= PROCS / GT_NODES); /* node 3's in-flight calls */
    assert_int_equal(t.acks + t.lost, PROCS * PER);
}

int main(void)
{
    gt_url(1);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_node_killed)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
