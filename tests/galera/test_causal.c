/*
 * test_causal.c - causal=1: a transition committed on node 1 is seen by
 * a machine opened at once on node 2, even while node 2 lags behind
 * (its appliers held back by FLUSH TABLES WITH READ LOCK); without
 * causal=1 the lagging node shows the old state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "gtest.h"

/* Parent p's current state through a new store on url. */
static int state_on(const char *url, const sm_def *d, int64_t p)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, url), SM_OK);
    assert_int_equal(sm_machine_open(&m, d, s, p, &l), SM_OK);
    int st = sm_current_state(m);
    sm_machine_close(m);
    sm_store_close(s);
    return st;
}

/* Commit CHECKING_OUT on parent p through node 1. */
static void commit_on_node1(const sm_def *d, int64_t p)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, gt_url(1)), SM_OK);
    assert_int_equal(sm_machine_open(&m, d, s, p, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    sm_machine_close(m);
    sm_store_close(s);
}

/* At once, on an idle cluster: many transitions, each seen at once. */
static void test_read_your_cluster_writes(void **st)
{
    (void)st;
    char causal[1024];
    gt_with(causal, sizeof causal, gt_url(2), "causal=1");
    MYSQL *c = gt_connect(1);
    sm_def d = mt_def(c, "causal_transitions", "orders");
    for (int64_t p = 1; p <= 20; p++) {
        commit_on_node1(&d, p);
        assert_int_equal(state_on(causal, &d, p), CHECKING_OUT);
    }
    mysql_close(c);
}

/* Node 2 lags: plain reads there are stale, causal ones wait and see. */
static void test_lagging_node(void **st)
{
    (void)st;
    char causal[1024];
    gt_with(causal, sizeof causal, gt_url(2), "causal=1");
    MYSQL *c = gt_connect(1), *lock = gt_connect(2);
    sm_def d = mt_def(c, "causal_transitions", "orders");
    assert_int_equal(mt_scalar(lock, "SELECT COUNT(*) FROM "
                                     "causal_transitions"),
                     0);
    mt_exec(lock, "FLUSH TABLES WITH READ LOCK");
    commit_on_node1(&d, 7);
    assert_int_equal(state_on(gt_url(2), &d, 7), PENDING); /* it lags */
    pid_t pid = fork();
    if (pid == 0)
        exit(state_on(causal, &d, 7) == CHECKING_OUT ? 0 : 1);
    nanosleep(&(struct timespec){0, 500000000}, NULL);
    mt_exec(lock, "UNLOCK TABLES");
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    mysql_close(lock);
    mysql_close(c);
}

/* A borrowed connection's session is its owner's: wrap refuses causal. */
static void test_wrap_refuses_causal(void **st)
{
    (void)st;
    MYSQL *c = gt_connect(2);
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, "causal=1"), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s),
                        "mysql: causal=1 needs a connection the store "
                        "opens; set wsrep_sync_wait on yours");
    sm_store_close(s);
    assert_int_equal(sm_mysql_wrap(&s, c, "causal=0"), SM_OK);
    sm_store_close(s);
    mysql_close(c);
}

int main(void)
{
    gt_url(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_your_cluster_writes),
        cmocka_unit_test(test_lagging_node),
        cmocka_unit_test(test_wrap_refuses_causal)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
