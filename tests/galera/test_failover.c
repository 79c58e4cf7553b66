/*
 * test_failover.c - a store whose URL lists every node. Its connection
 * killed between calls: the next call moves to the next host and works.
 * Killed inside a transition: that call fails cleanly (nothing written
 * on any node, the machine reloaded from the next host), the next one
 * works there. The store connects as its own user, so that nothing but
 * its connection is counted or killed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gtest.h"

#define USER "smcc_failover"

static int victim_node; /* the node whose store connection the hook kills */

/* KILL the store's connections to node n. */
static void kill_clients(int n)
{
    MYSQL *c = gt_connect(n);
    int64_t ids[16];
    size_t k = gt_clients(c, USER, ids, 16);
    assert_true(k > 0);
    for (size_t i = 0; i < k; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "KILL CONNECTION %lld", (long long)ids[i]);
        mt_exec(c, sql);
    }
    mysql_close(c);
}

/* How many connections the store has to node n. */
static size_t clients_of(int n)
{
    MYSQL *c = gt_connect(n);
    int64_t ids[16];
    size_t k = gt_clients(c, USER, ids, 16);
    mysql_close(c);
    return k;
}

/* The store has one connection, and it is to node n. */
static void assert_on(int n)
{
    size_t k[GT_NODES], all = 0;
    for (int i = 0; i < GT_NODES; i++)
        all += k[i] = clients_of(i + 1);
    if (all != 1 || k[n - 1] != 1)
        fail_msg("store connections per node: %zu %zu %zu; want node %d", k[0],
                 k[1], k[2], n);
}

/* An `after` hook: the store's node loses the store's connection while
 * its transaction is open. */
static int kill_mine(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t, (void)user;
    if (victim_node)
        kill_clients(victim_node);
    victim_node = 0;
    return 0;
}

static const sm_hook kill_hooks[] = {
    {SM_HOOK_AFTER, NULL, 0, NULL, 0, NULL, kill_mine, "kill_mine"}};

/* Rows of parent p on node n (a causal read). */
static int64_t rows_on(int n, int64_t p)
{
    char sql[128];
    MYSQL *c = gt_connect(n);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM failover_transitions "
             "WHERE order_id = %lld",
             (long long)p);
    int64_t v = mt_scalar(c, sql);
    mysql_close(c);
    return v;
}

static void test_failover(void **st)
{
    (void)st;
    char url[1024];
    MYSQL *c = gt_connect(1);
    sm_def d = mt_def(c, "failover_transitions", "orders");
    mt_exec(c, "CREATE USER IF NOT EXISTS " USER "@localhost, " USER
               "@'127.0.0.1'");
    mt_exec(c, "GRANT ALL ON smcc_test.* TO " USER "@localhost, " USER
               "@'127.0.0.1'");
    mysql_close(c);
    for (int n = 1; n <= GT_NODES; n++) { /* every node knows the user */
        c = gt_connect(n);
        assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM mysql.global_priv"
                                      " WHERE User = '" USER "'"),
                         2);
        mysql_close(c);
    }
    d.hooks = kill_hooks, d.nhooks = 1;
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    gt_failover_url(url, sizeof url, USER, 1);
    assert_int_equal(sm_store_open(&s, url), SM_OK);
    assert_int_equal(sm_machine_open(&m, &d, s, 3, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_on(1);

    /* outside a transaction: the next call moves to node 2 and works */
    kill_clients(1);
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_OK);
    assert_on(2);

    /* inside one: that call fails, nothing is written, node 3 is next */
    victim_node = 2;
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_E_STORE);
    assert_non_null(strstr(sm_errmsg(m), "mysql: COMMIT: "));
    assert_int_equal(sm_current_state(m), FAILED);
    for (int n = 1; n <= GT_NODES; n++)
        assert_int_equal(rows_on(n, 3), 2);
    assert_on(3);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    for (int n = 1; n <= GT_NODES; n++)
        assert_int_equal(rows_on(n, 3), 3);
    sm_machine_close(m);
    sm_store_close(s);
}

int main(void)
{
    gt_url(1);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_failover)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
