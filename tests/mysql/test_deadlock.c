/*
 * test_deadlock.c - the seed deadlock of issue 4, statement by statement
 * on two raw connections: Statesman's original order (gaplock=none)
 * deadlocks two first transitions; the pk protocol completes both. And
 * a store chosen as a deadlock's victim reports SM_E_DEADLOCK.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <mysqld_error.h>

#include "mtest.h"
#include "victim.h"

#define INS                                                                    \
    "INSERT INTO dl_transitions (from_state, to_state, metadata, "             \
    "sort_key, order_id, most_recent, created_at, updated_at) "                \
    "VALUES ('pending', 'checking_out', '{}', 10, %d, %s, "                    \
    "NOW(6), NOW(6))"

static void q(MYSQL *c, const char *fmt, int parent, const char *mr)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, parent, mr);
    mt_exec(c, sql);
}

/* A raw connection that waits at most 5 s for a lock. */
static MYSQL *conn(void)
{
    MYSQL *c = mt_connect();
    mt_exec(c, "SET SESSION innodb_lock_wait_timeout = 5");
    return c;
}

/* none: UPDATE, UPDATE, INSERT (blocks), INSERT -> one gets 1213. */
static void test_none_deadlocks(void **st)
{
    (void)st;
    MYSQL *a = conn(), *b = conn();
    mt_def(a, "dl_transitions", "orders");
    mt_exec(a, "START TRANSACTION");
    mt_exec(b, "START TRANSACTION");
    q(a,
      "UPDATE dl_transitions SET most_recent = NULL WHERE order_id = %d"
      " AND most_recent = 1%s",
      1, "");
    q(b,
      "UPDATE dl_transitions SET most_recent = NULL WHERE order_id = %d"
      " AND most_recent = 1%s",
      42, "");
    char sql[512];
    snprintf(sql, sizeof sql, INS, 1, "1");
    assert_int_equal(mysql_send_query(a, sql, strlen(sql)), 0);
    snprintf(sql, sizeof sql, INS, 42, "1");
    int rb = mysql_query(b, sql) ? (int)mysql_errno(b) : 0;
    int ra = mysql_read_query_result(a) ? (int)mysql_errno(a) : 0;
    /* exactly one victim, and it is a deadlock */
    assert_true((ra == ER_LOCK_DEADLOCK) != (rb == ER_LOCK_DEADLOCK));
    assert_int_equal(ra + rb, ER_LOCK_DEADLOCK);
    mt_exec(a, "ROLLBACK");
    mt_exec(b, "ROLLBACK");
    mysql_close(a);
    mysql_close(b);
}

/* pk: INSERT, INSERT, UPDATE by id, UPDATE by id, COMMIT x2 -> both. */
static void test_pk_completes(void **st)
{
    (void)st;
    MYSQL *a = conn(), *b = conn();
    mt_def(a, "dl_transitions", "orders");
    mt_exec(a, "START TRANSACTION");
    mt_exec(b, "START TRANSACTION");
    q(a, INS, 1, "NULL");
    int64_t ida = (int64_t)mysql_insert_id(a);
    q(b, INS, 42, "NULL");
    int64_t idb = (int64_t)mysql_insert_id(b);
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE dl_transitions SET most_recent = "
             "IF(id = %lld, 1, NULL) WHERE id IN (%lld, %lld) ORDER BY id",
             (long long)ida, (long long)ida, (long long)ida);
    mt_exec(a, sql);
    snprintf(sql, sizeof sql,
             "UPDATE dl_transitions SET most_recent = "
             "IF(id = %lld, 1, NULL) WHERE id IN (%lld, %lld) ORDER BY id",
             (long long)idb, (long long)idb, (long long)idb);
    mt_exec(b, sql);
    mt_exec(a, "COMMIT");
    mt_exec(b, "COMMIT");
    assert_int_equal(mt_scalar(a, "SELECT COUNT(*) FROM dl_transitions "
                                  "WHERE most_recent = 1"),
                     2);
    mysql_close(a);
    mysql_close(b);
}

/* A real deadlock is SM_E_DEADLOCK with the server's message. */
static void test_store_victim(void **st)
{
    (void)st;
    char msg[600];
    assert_int_equal(victim_run(mt_url(), msg, sizeof msg), SM_E_DEADLOCK);
    assert_string_equal(msg, "order 7: chosen as a deadlock victim, nothing "
                             "written: mysql: UPDATE most_recent: Deadlock "
                             "found when trying to get lock; try "
                             "restarting transaction (1213)");
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_none_deadlocks),
                                       cmocka_unit_test(test_pk_completes),
                                       cmocka_unit_test(test_store_victim)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
