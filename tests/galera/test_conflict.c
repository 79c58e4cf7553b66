/*
 * test_conflict.c - failures named for what they are on a cluster: a
 * transition that another node's write overtakes is
 * SM_E_CLUSTER_CONFLICT (with a message that says so) and is retried;
 * a real InnoDB deadlock on a cluster node stays SM_E_DEADLOCK.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gtest.h"
#include "victim.h"

static MYSQL *node2;       /* the other node's writer, used by the hook */
static int overtakes_left; /* how many more times the hook overtakes */

/* An `after` hook (inside node 1's transaction): node 2 commits parent
 * 5's first transition, and node 1 applies it, overtaking ours. */
static int overtake(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t, (void)user;
    if (overtakes_left-- <= 0)
        return 0;
    /* a causal read first: node 2 has applied all of node 1's past */
    assert_int_equal(mt_scalar(node2, "SELECT COUNT(*) FROM "
                                      "conflict_transitions"),
                     0);
    gt_overtake(node2, "conflict_transitions", 5);
    return 0;
}

static const sm_hook overtake_hooks[] = {
    {SM_HOOK_AFTER, NULL, 0, NULL, 0, NULL, overtake, "overtake"}};

static void test_cluster_conflict(void **st)
{
    (void)st;
    node2 = gt_connect(2);
    MYSQL *c = gt_connect(1);
    sm_def d = mt_def(c, "conflict_transitions", "orders");
    assert_int_equal(mt_scalar(node2, "SELECT COUNT(*) FROM "
                                      "conflict_transitions"),
                     0);
    sm_def hooked = d;
    hooked.hooks = overtake_hooks;
    hooked.nhooks = 1;
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, gt_url(1)), SM_OK);
    assert_int_equal(sm_machine_open(&m, &hooked, s, 5, &l), SM_OK);
    overtakes_left = 1;
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL),
                     SM_E_CLUSTER_CONFLICT);
    assert_string_equal(sm_errmsg(m),
                        "order 5: another cluster node's write was "
                        "ordered first, nothing written: "
                        "mysql: COMMIT: cluster conflict: a write "
                        "replicated from another node aborted this "
                        "transaction (certification failure or brute-force "
                        "abort): Deadlock found when trying to get lock; "
                        "try restarting transaction (1213)");
    assert_int_equal(sm_current_state(m), CHECKING_OUT); /* reloaded */
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM conflict_transitions"),
                     1);
    sm_machine_close(m);
    /* the retry helper retries it: node 2's row first, then ours */
    mt_exec(c, "DELETE FROM conflict_transitions");
    assert_int_equal(sm_machine_open(&m, &hooked, s, 5, &l), SM_OK);
    overtakes_left = 1;
    assert_int_equal(sm_transition_to_retry(m, CANCELLED, NULL, 3), SM_OK);
    sm_machine_close(m);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM conflict_transitions"
                                  " WHERE order_id = 5"),
                     2);
    sm_store_close(s);
    mysql_close(c);
    mysql_close(node2);
}

/* A real deadlock on a cluster node is still a deadlock. */
static void test_deadlock_stays_deadlock(void **st)
{
    (void)st;
    char msg[600];
    assert_int_equal(victim_run(gt_url(1), msg, sizeof msg), SM_E_DEADLOCK);
    assert_string_equal(msg, "order 7: chosen as a deadlock victim, nothing "
                             "written: mysql: UPDATE most_recent: Deadlock "
                             "found when trying to get lock; try "
                             "restarting transaction (1213)");
}

int main(void)
{
    gt_url(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_conflict),
        cmocka_unit_test(test_deadlock_stays_deadlock)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
