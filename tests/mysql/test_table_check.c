/*
 * test_table_check.c - the store checks a machine's table when it first binds
 * it on a connection, and refuses one that cannot keep the invariants
 * (a unique key, a column, a nullable most_recent missing) with
 * SM_E_STORE, naming what is missing and the ALTER TABLE that fixes it;
 * running that ALTER makes the same store accept the table. The check
 * costs two statements once per table per connection, and a transition
 * costs what it did before (the server's Questions counter).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mtest.h"

/* Open a machine of d on parent 1 of s; its status. */
static sm_status open_on(const sm_def *d, sm_store *s)
{
    sm_machine *m = NULL;
    sm_status st = sm_machine_open(&m, d, s, 1, NULL);
    if (st == SM_OK)
        assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    sm_machine_close(m);
    return st;
}

/*
 * Make table with the standard DDL, then run each of `breaks` on it.
 * A store must refuse it with exactly want (TABLE stands for the table
 * name), and accept it once the message's own fix has been run.
 */
static void refused_then_fixed(const char *table, const char *const *breaks,
                               const char *want)
{
    char sql[1024], expect[1024];
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, table, "orders");
    for (; *breaks; breaks++) {
        snprintf(sql, sizeof sql, *breaks, table);
        mt_exec(c, sql);
    }
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(open_on(&d, s), SM_E_STORE);
    /* sm_machine_open's message: the machine and parent, then the store's */
    size_t n = (size_t)snprintf(expect, sizeof expect, "order 1: ");
    snprintf(expect + n, sizeof expect - n, want, table, table, table, table);
    assert_string_equal(sm_store_errmsg(s), expect);
    /* The store's connection holds no lock that would stall the fix. */
    mt_exec(c, "SET SESSION lock_wait_timeout = 5");
    mt_exec(c, strstr(sm_store_errmsg(s), "fix: ") + 5);
    assert_int_equal(open_on(&d, s), SM_OK);
    sm_store_close(s);
    mysql_close(c);
}

static void missing_sort_key(void **state)
{
    (void)state;
    const char *const breaks[] = {
        "ALTER TABLE `%s` DROP INDEX `index_hs_sort_parent_sort`", NULL};
    refused_then_fixed(
        "hs_sort", breaks,
        "mysql: table `%s` cannot keep the invariants: it lacks a unique "
        "key on (`order_id`, `sort_key`); fix: ALTER TABLE `%s` ADD UNIQUE "
        "KEY `index_%s_parent_sort` (`order_id`, `sort_key`)");
}

static void missing_most_recent_key(void **state)
{
    (void)state;
    const char *const breaks[] = {
        "ALTER TABLE `%s` DROP INDEX `index_hs_mr_parent_most_recent`", NULL};
    refused_then_fixed("hs_mr", breaks,
                       "mysql: table `%s` cannot keep the invariants: it "
                       "lacks a unique key on (`order_id`, `most_recent`); "
                       "fix: ALTER TABLE `%s` ADD UNIQUE KEY "
                       "`index_%s_parent_most_recent` (`order_id`, "
                       "`most_recent`)");
}

static void missing_column(void **state)
{
    (void)state;
    const char *const breaks[] = {"ALTER TABLE `%s` DROP COLUMN `updated_at`",
                                  NULL};
    refused_then_fixed("hs_col", breaks,
                       "mysql: table `%s` cannot keep the invariants: it "
                       "lacks column `updated_at`; fix: ALTER TABLE `%s` "
                       "ADD COLUMN `updated_at` DATETIME(6) NOT NULL");
}

/* NOT NULL most_recent cannot hold the NULLs of rows no longer latest. */
static void most_recent_not_null(void **state)
{
    (void)state;
    const char *const breaks[] = {
        "ALTER TABLE `%s` MODIFY `most_recent` TINYINT(1) NOT NULL", NULL};
    refused_then_fixed("hs_nn", breaks,
                       "mysql: table `%s` cannot keep the invariants: it "
                       "lacks a nullable `most_recent`; fix: ALTER TABLE "
                       "`%s` MODIFY `most_recent` TINYINT(1) NULL");
}

/* Everything at once: one message, one ALTER. */
static void several(void **state)
{
    (void)state;
    const char *const breaks[] = {
        "ALTER TABLE `%s` DROP INDEX `index_hs_all_parent_sort`",
        "ALTER TABLE `%s` DROP INDEX `index_hs_all_parent_most_recent`",
        "ALTER TABLE `%s` DROP COLUMN `metadata`, DROP COLUMN `sort_key`",
        NULL};
    refused_then_fixed(
        "hs_all", breaks,
        "mysql: table `%s` cannot keep the invariants: it lacks column "
        "`metadata`, column `sort_key`, a unique key on (`order_id`, "
        "`sort_key`), a unique key on (`order_id`, `most_recent`); fix: "
        "ALTER TABLE `%s` ADD COLUMN `metadata` JSON, ADD COLUMN `sort_key` "
        "INT NOT NULL, ADD UNIQUE KEY `index_%s_parent_sort` (`order_id`, "
        "`sort_key`), ADD UNIQUE KEY `index_%s_parent_most_recent` "
        "(`order_id`, `most_recent`)");
}

/* A key over more columns than the pair enforces nothing about it. */
static void key_too_wide(void **state)
{
    (void)state;
    const char *const breaks[] = {
        "ALTER TABLE `%s` DROP INDEX `index_hs_wide_parent_sort`, ADD UNIQUE "
        "KEY `wide` (`order_id`, `sort_key`, `id`)",
        NULL};
    refused_then_fixed(
        "hs_wide", breaks,
        "mysql: table `%s` cannot keep the invariants: it lacks a unique "
        "key on (`order_id`, `sort_key`); fix: ALTER TABLE `%s` ADD UNIQUE "
        "KEY `index_%s_parent_sort` (`order_id`, `sort_key`)");
}

/* Keys in the other column order, or named otherwise, are as good. */
static void keys_any_order(void **state)
{
    (void)state;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "hs_order", "orders");
    mt_exec(c, "ALTER TABLE hs_order DROP INDEX index_hs_order_parent_sort, "
               "ADD UNIQUE KEY sk (sort_key, order_id)");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(open_on(&d, s), SM_OK);
    sm_store_close(s);
    mysql_close(c);
}

static void no_table(void **state)
{
    (void)state;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "hs_gone", "orders");
    mt_exec(c, "DROP TABLE hs_gone");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(open_on(&d, s), SM_E_STORE);
    assert_string_equal(sm_store_errmsg(s),
                        "order 1: mysql: no table `hs_gone` in this "
                        "database: create "
                        "it with sm_mysql_create_schema() or the output of "
                        "smcc --emit sql");
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    assert_int_equal(open_on(&d, s), SM_OK);
    sm_store_close(s);
    mysql_close(c);
}

/* A counter of this session's status ("QUESTIONS", "COM_STMT_PREPARE"). */
static int64_t counter(MYSQL *c, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
             "WHERE VARIABLE_NAME = '%s'",
             name);
    return mt_scalar(c, sql);
}

typedef struct spent {
    int64_t statements, prepares;
} spent;

/* What one machine open + transition of d on parent p costs. */
static spent cost(MYSQL *c, sm_store *s, const sm_def *d, int64_t p)
{
    int64_t q = counter(c, "QUESTIONS"), pr = counter(c, "COM_STMT_PREPARE");
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, d, s, p, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    sm_machine_close(m);
    int64_t pr2 = counter(c, "COM_STMT_PREPARE");
    /* minus the counters' own SELECTs after the first (each counts
     * itself) */
    return (spent){counter(c, "QUESTIONS") - q - 3, pr2 - pr};
}

/* Assert cost(c, s, d, p) is statements / prepares. */
#define COSTS(d, p, st, pr)                                                    \
    do {                                                                       \
        spent x = cost(c, s, d, p);                                            \
        assert_int_equal(x.statements, st);                                    \
        assert_int_equal(x.prepares, pr);                                      \
    } while (0)

/*
 * On a wrapped connection, so the counters are this store's alone. A
 * transition is SELECT (the load), START TRANSACTION, INSERT, UPDATE,
 * COMMIT: 5 statements, as before the check existed. Binding a def
 * prepares its 3 statements (a prepare is no Question); the check adds
 * one prepare and one statement, only for a table not yet checked on
 * this connection.
 */
static void statement_count(void **state)
{
    (void)state;
    MYSQL *c = mt_connect();
    int64_t q0 = counter(c, "QUESTIONS"), q1 = counter(c, "QUESTIONS");
    assert_int_equal(q1, q0 + 1);
    sm_def d1 = mt_def(c, "hs_count1", "orders");
    sm_def d2 = d1; /* another def on the same table */
    sm_def d3 = mt_def(c, "hs_count2", "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, NULL), SM_OK);
    COSTS(&d1, 1, 5 + 1, 3 + 1);
    COSTS(&d1, 2, 5, 0);
    COSTS(&d1, 3, 5, 0);
    COSTS(&d2, 4, 5, 3);
    COSTS(&d3, 5, 5 + 1, 3 + 1);
    COSTS(&d3, 6, 5, 0);
    COSTS(&d1, 7, 5, 0);
    sm_store_close(s);
    mysql_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_sort_key),
        cmocka_unit_test(missing_most_recent_key),
        cmocka_unit_test(missing_column),
        cmocka_unit_test(most_recent_not_null),
        cmocka_unit_test(several),
        cmocka_unit_test(key_too_wide),
        cmocka_unit_test(keys_any_order),
        cmocka_unit_test(no_table),
        cmocka_unit_test(statement_count)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
