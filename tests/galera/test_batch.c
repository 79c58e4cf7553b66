/*
 * test_batch.c - batches on a Galera cluster, one case at a time: a
 * batch another node overtakes is SM_E_CLUSTER_CONFLICT and names the
 * overtaken item, which sm_batch_commit_retry queues again; ids are the ones
 * RETURNING gave, though the node's auto_increment_increment makes them stride;
 * a store whose connection is lost between its machines' reads and the commit
 * fails over and writes; one lost inside the batch's transaction fails cleanly
 * and leaves every item queued for the next node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gtest.h"

#define USER "smcc_gbatch"

enum { N = 6 };

/* d's rows of parent p on node n (a causal read). */
static int64_t rows_on(int n, const sm_def *d, int64_t p)
{
    char sql[160];
    MYSQL *c = gt_connect(n);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE order_id = %lld",
             d->table, (long long)p);
    int64_t v = mt_scalar(c, sql);
    mysql_close(c);
    return v;
}

/* Every node holds `rows` rows of each parent 1..N of d. */
static void assert_rows_everywhere(const sm_def *d, int64_t rows)
{
    for (int n = 1; n <= GT_NODES; n++)
        for (int64_t p = 1; p <= N; p++)
            assert_int_equal(rows_on(n, d, p), rows);
}

/* Machines of d on s for parents 1..N, each queued to `to` in b. */
static void queue_all(sm_batch *b, sm_store *s, const sm_def *d, sm_machine **m,
                      tlog *l, int to)
{
    for (int i = 0; i < N; i++) {
        if (!m[i])
            assert_int_equal(sm_machine_open(&m[i], d, s, i + 1, l), SM_OK);
        assert_int_equal(sm_batch_transition_to(b, m[i], to, NULL), SM_OK);
    }
}

static void close_all(sm_machine **m)
{
    for (int i = 0; i < N; i++)
        sm_machine_close(m[i]), m[i] = NULL;
}

/* -- Overtaken by another node ---------------------------------------- */

static MYSQL *node2;       /* the other node's writer, used by the hook */
static int overtakes_left; /* how many more times the hook overtakes */
static const char *overtaken = "gbatch_conflict"; /* the hook's table */

/* An `after` hook (inside node 1's batch transaction): node 2 commits
 * parent 4's first transition, and node 1 applies it, overtaking ours. */
static int overtake(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t, (void)user;
    if (overtakes_left-- <= 0)
        return 0;
    gt_overtake(node2, overtaken, 4);
    return 0;
}

static const sm_hook overtake_hooks[] = {
    {SM_HOOK_AFTER, NULL, 0, NULL, 0, NULL, overtake, "overtake"}};

/* Every node holds one row of each parent, two of parent 4 (node 2's
 * and ours); then everything is closed. */
static void overtaken_end(const sm_def *d, sm_batch *b, sm_machine **m,
                          sm_store *s, MYSQL *c)
{
    for (int n = 1; n <= GT_NODES; n++)
        for (int64_t p = 1; p <= N; p++)
            assert_int_equal(rows_on(n, d, p), p == 4 ? 2 : 1);
    sm_batch_free(b);
    close_all(m);
    sm_store_close(s);
    mysql_close(c);
    mysql_close(node2);
}

static void test_cluster_conflict(void **st)
{
    (void)st;
    node2 = gt_connect(2);
    MYSQL *c = gt_connect(1);
    sm_def d = mt_def(c, "gbatch_conflict", "orders");
    assert_int_equal(mt_scalar(node2, "SELECT COUNT(*) FROM gbatch_conflict"),
                     0);
    d.hooks = overtake_hooks, d.nhooks = 1;
    sm_store *s = NULL;
    sm_machine *m[N] = {0};
    sm_batch *b = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, gt_url(1)), SM_OK);
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    queue_all(b, s, &d, m, &l, CHECKING_OUT);
    overtakes_left = 1;
    assert_int_equal(sm_batch_commit(b), SM_E_CLUSTER_CONFLICT);
    assert_string_equal(
        sm_batch_errmsg(b),
        "nothing written: 1 item failed, the first: order 4: another "
        "writer transitioned it first (sort_key 10 taken); mysql: COMMIT: "
        "cluster conflict: a write replicated from another node aborted "
        "this transaction (certification failure or brute-force abort): "
        "Deadlock found when trying to get lock; try restarting "
        "transaction (1213)");
    const sm_batch_failure *f;
    assert_int_equal(sm_batch_failures(b, &f), 1);
    assert_ptr_equal(f[0].machine, m[3]);
    assert_int_equal(f[0].status, SM_E_CONFLICT);
    assert_true(sm_status_retryable(f[0].status));
    assert_int_equal(sm_current_state(m[3]), CHECKING_OUT); /* reloaded */
    for (int64_t p = 1; p <= N; p++)
        assert_int_equal(rows_on(1, &d, p), p == 4);
    /* the other five are still queued; parent 4 moves on from node 2's */
    assert_int_equal(sm_batch_transition_to(b, m[3], FAILED, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    overtaken_end(&d, b, m, s, c);
}

/* sm_batch_commit_retry: the same overtaking, and the retry queues
 * parent 4's cancel again from node 2's row; every node holds every
 * item once, parent 4 after node 2's row. (test_cluster_conflict is the
 * same race without the retry: SM_E_CLUSTER_CONFLICT, nothing written.) */
static void test_cluster_conflict_retried(void **st)
{
    (void)st;
    node2 = gt_connect(2);
    MYSQL *c = gt_connect(1);
    overtaken = "gbatch_retry";
    sm_def d = mt_def(c, overtaken, "orders");
    d.hooks = overtake_hooks, d.nhooks = 1;
    sm_store *s = NULL;
    sm_machine *m[N] = {0};
    sm_batch *b = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, gt_url(1)), SM_OK);
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (int i = 0; i < N; i++) {
        assert_int_equal(sm_machine_open(&m[i], &d, s, i + 1, &l), SM_OK);
        assert_int_equal(sm_batch_fire(b, m[i], EV_CANCEL, NULL), SM_OK);
    }
    overtakes_left = 1;
    assert_int_equal(sm_batch_commit_retry(b, 3), SM_OK);
    assert_int_equal(overtakes_left, 1 - 2 * N); /* two commits, N hooks each */
    assert_int_equal(sm_batch_failures(b, NULL), 0);
    for (int i = 0; i < N; i++) {
        const sm_transition *t = sm_last_transition(m[i]);
        assert_int_equal(sm_current_state(m[i]), CANCELLED);
        assert_int_equal(t->from_state, i == 3 ? CHECKING_OUT : PENDING);
        assert_int_equal(t->sort_key, i == 3 ? 20 : 10);
    }
    overtaken_end(&d, b, m, s, c);
    overtaken = "gbatch_conflict";
}

/* -- Ids ---------------------------------------------------------------- */

/* A batch through node 2: its ids stride by the node's
 * auto_increment_increment (the cluster's size), each in the node's
 * residue class, and each machine holds the id its row has on every
 * node. */
static void test_ids_stride(void **st)
{
    (void)st;
    MYSQL *c = gt_connect(1);
    sm_def d = mt_def(c, "gbatch_ids", "orders");
    mysql_close(c);
    sm_store *s = NULL;
    sm_machine *m[N] = {0};
    sm_batch *b = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, gt_url(2)), SM_OK);
    MYSQL *raw = mt_store_conn(s);
    int64_t step = mt_scalar(raw, "SELECT @@auto_increment_increment");
    int64_t offset = mt_scalar(raw, "SELECT @@auto_increment_offset");
    assert_int_equal(step, GT_NODES); /* wsrep_auto_increment_control */
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (int round = 0; round < 2; round++) {
        queue_all(b, s, &d, m, &l, round ? FAILED : CHECKING_OUT);
        assert_int_equal(sm_batch_commit(b), SM_OK);
        int64_t lo = sm_last_transition(m[0])->id;
        for (int i = 0; i < N; i++) {
            int64_t id = sm_last_transition(m[i])->id;
            assert_int_equal(id % step, offset % step);
            assert_int_equal(id, lo + step * i); /* parent order, strided */
        }
    }
    for (int n = 1; n <= GT_NODES; n++) {
        c = gt_connect(n);
        for (int i = 0; i < N; i++) {
            char sql[160];
            snprintf(sql, sizeof sql,
                     "SELECT id FROM gbatch_ids WHERE order_id = %d AND "
                     "most_recent = 1 AND to_state = 'failed'",
                     i + 1);
            assert_int_equal(mt_scalar(c, sql), sm_last_transition(m[i])->id);
        }
        mysql_close(c);
    }
    sm_batch_free(b);
    close_all(m);
    sm_store_close(s);
}

/* -- Failover ------------------------------------------------------------ */

static int victim_node; /* the node whose store connection the hook kills */

/* KILL the store's connections to node n; how many there were. */
static size_t kill_clients(int n)
{
    MYSQL *c = gt_connect(n);
    int64_t ids[16];
    size_t k = gt_clients(c, USER, ids, 16);
    for (size_t i = 0; i < k; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "KILL CONNECTION %lld", (long long)ids[i]);
        mt_exec(c, sql);
    }
    mysql_close(c);
    return k;
}

/* An `after` hook: the store's node loses the store's connection while
 * the batch's transaction is open. */
static int kill_mine(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t, (void)user;
    if (victim_node)
        assert_int_equal(kill_clients(victim_node), 1);
    victim_node = 0;
    return 0;
}

static const sm_hook kill_hooks[] = {
    {SM_HOOK_AFTER, NULL, 0, NULL, 0, NULL, kill_mine, "kill_mine"}};

/* The store's user, known on every node. */
static void create_user(void)
{
    MYSQL *c = gt_connect(1);
    mt_exec(c, "CREATE USER IF NOT EXISTS " USER "@localhost, " USER
               "@'127.0.0.1'");
    mt_exec(c, "GRANT ALL ON smcc_test.* TO " USER "@localhost, " USER
               "@'127.0.0.1'");
    mysql_close(c);
    for (int n = 1; n <= GT_NODES; n++) {
        c = gt_connect(n);
        assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM mysql.global_priv"
                                      " WHERE User = '" USER "'"),
                         2);
        mysql_close(c);
    }
}

/*
 * A store listing every node, node 1 first. Lost after its machines'
 * reads (whose transaction is still open) and before the commit: the
 * batch reconnects to node 2 and writes, for nothing was written yet.
 * Lost inside the batch (an after hook): SM_E_STORE, nothing written on
 * any node, every machine reloaded from node 3 and every item still
 * queued; committing again writes them there.
 */
static void test_failover(void **st)
{
    (void)st;
    char url[1024];
    create_user();
    MYSQL *c = gt_connect(1);
    sm_def d = mt_def(c, "gbatch_failover", "orders");
    mysql_close(c);
    d.hooks = kill_hooks, d.nhooks = 1;
    sm_store *s = NULL;
    sm_machine *m[N] = {0};
    sm_batch *b = NULL;
    tlog l = {0};
    assert_int_equal(
        sm_store_open(&s, gt_failover_url(url, sizeof url, USER, 1)), SM_OK);
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    queue_all(b, s, &d, m, &l, CHECKING_OUT);
    assert_int_equal(kill_clients(1), 1);
    sm_status r = sm_batch_commit(b);
    if (r != SM_OK)
        fail_msg("commit after the lost read: %s", sm_batch_errmsg(b));
    assert_rows_everywhere(&d, 1);

    victim_node = 2;
    queue_all(b, s, &d, m, &l, FAILED);
    assert_int_equal(sm_batch_commit(b), SM_E_STORE);
    assert_non_null(strstr(sm_batch_errmsg(b), "mysql: COMMIT: "));
    assert_int_equal(sm_batch_failures(b, NULL), 0);
    assert_rows_everywhere(&d, 1);
    for (int i = 0; i < N; i++)
        assert_int_equal(sm_current_state(m[i]), CHECKING_OUT);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_rows_everywhere(&d, 2);
    c = gt_connect(3);
    assert_int_equal(gt_clients(c, USER, (int64_t[4]){0}, 4), 1);
    mysql_close(c);
    sm_batch_free(b);
    close_all(m);
    sm_store_close(s);
}

int main(void)
{
    gt_url(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_conflict),
        cmocka_unit_test(test_cluster_conflict_retried),
        cmocka_unit_test(test_ids_stride), cmocka_unit_test(test_failover)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
