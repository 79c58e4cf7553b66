/*
 * test_rows.c - what the MySQL store writes, row by row, in each mode;
 * sm_store_in_state on parents in every situation; wrap mode with a
 * caller's transaction (SAVEPOINT, after_commit deferred or dropped).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mtest.h"

static const char *const md[3] = {
    "{\"a\": 1}", "{\"paid\":true,\"q\":\"it's \\\"x\\\" \\\\ \"}", "{}"};

/* Open a machine of def on parent in store s; assert SM_OK. */
static sm_machine *open_m(const sm_def *d, sm_store *s, int64_t p, tlog *l)
{
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, d, s, p, l), SM_OK);
    return m;
}

/* Three transitions, then the rows as Statesman would have them. */
static void rows_in_mode(const char *mode)
{
    char table[64], opts[64], sql[512];
    snprintf(table, sizeof table, "rows_%s", mode);
    snprintf(opts, sizeof opts, "gaplock=%s", mode);
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, table, "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url_with(opts)), SM_OK);
    tlog l = {0};
    sm_machine *m = open_m(&d, s, 7, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, md[0]), SM_OK);
    assert_int_equal(sm_transition_to(m, PURCHASED, md[1]), SM_OK);
    assert_int_equal(sm_transition_to(m, SHIPPED, NULL), SM_OK);
    snprintf(sql, sizeof sql,
             "SELECT from_state, to_state, metadata, "
             "sort_key, most_recent, created_at, updated_at, order_id FROM "
             "%s ORDER BY sort_key",
             table);
    mt_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    assert_int_equal(mysql_num_rows(r), 3);
    static const char *const from[] = {"pending", "checking_out", "purchased"};
    static const char *const to[] = {"checking_out", "purchased", "shipped"};
    static const char *const sk[] = {"10", "20", "30"};
    char prev_at[64] = "";
    for (int i = 0; i < 3; i++) {
        MYSQL_ROW row = mysql_fetch_row(r);
        assert_string_equal(row[0], from[i]);
        assert_string_equal(row[1], to[i]);
        assert_string_equal(row[2], md[i]);
        assert_string_equal(row[3], sk[i]);
        if (i < 2)
            assert_null(row[4]);
        else
            assert_string_equal(row[4], "1");
        /* updated_at: the moment the row stopped being most recent,
         * i.e. the next row's created_at, as Statesman sets it */
        if (i > 0)
            assert_string_equal(prev_at, row[5]);
        if (i == 2)
            assert_string_equal(row[5], row[6]);
        assert_int_equal(strlen(row[5]), 26); /* microseconds */
        assert_true(strcmp(row[5], row[6]) <= 0);
        snprintf(prev_at, sizeof prev_at, "%s", row[6]);
        assert_string_equal(row[7], "7");
    }
    mysql_free_result(r);
    const sm_transition *last = sm_last_transition(m);
    assert_int_equal(last->sort_key, 30);
    assert_true(last->most_recent);
    assert_int_equal(sm_reload(m), SM_OK);
    assert_int_equal(sm_current_state(m), SHIPPED);
    assert_int_equal(sm_last_transition(m)->from_state, PURCHASED);
    assert_string_equal(sm_last_transition(m)->metadata, "{}");
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

static void test_rows_pk(void **st)
{
    (void)st;
    rows_in_mode("pk");
}
static void test_rows_none(void **st)
{
    (void)st;
    rows_in_mode("none");
}
static void test_rows_statesman(void **st)
{
    (void)st;
    rows_in_mode("statesman");
}

/* Assert the in_state ids of states[0..n) are want[0..nw). */
static void expect_ids(sm_store *s, const sm_def *d, const int *states,
                       size_t n, const int64_t *want, size_t nw)
{
    int64_t *ids = NULL;
    size_t got = 99;
    assert_int_equal(sm_store_in_state(s, d, states, n, &ids, &got), SM_OK);
    assert_int_equal(got, nw);
    for (size_t i = 0; i < nw; i++)
        assert_int_equal(ids[i], want[i]);
    sm_ids_free(ids);
}

/* Parents: 1 final, 2 no history, 3 middle, 4 cancelled, 5 none. */
static void test_in_state(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "instate_transitions", "instate_parents");
    mt_exec(c, "DROP TABLE IF EXISTS instate_parents");
    mt_exec(c, "CREATE TABLE instate_parents (id BIGINT PRIMARY KEY)");
    mt_exec(c, "INSERT INTO instate_parents VALUES (1),(2),(3),(4),(5)");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    tlog l = {0};
    sm_machine *m = open_m(&d, s, 1, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, PURCHASED, md[1]), SM_OK);
    assert_int_equal(sm_transition_to(m, SHIPPED, NULL), SM_OK);
    sm_machine_close(m);
    m = open_m(&d, s, 3, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    sm_machine_close(m);
    m = open_m(&d, s, 4, &l);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    sm_machine_close(m);
    expect_ids(s, &d, (int[]){PENDING}, 1, (int64_t[]){2, 5}, 2);
    expect_ids(s, &d, (int[]){SHIPPED, CHECKING_OUT}, 2, (int64_t[]){1, 3}, 2);
    expect_ids(s, &d, (int[]){CANCELLED, PENDING}, 2, (int64_t[]){2, 4, 5}, 3);
    expect_ids(s, &d, (int[]){FAILED}, 1, NULL, 0);
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(sm_store_in_state(s, &d, (int[]){99}, 1, &ids, &n),
                     SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s),
                        "sm_store_in_state: order has no state 99");
    sm_store_close(s);
    /* memory: no parent table, so only parents with history */
    assert_int_equal(sm_store_open(&s, "memory:"), SM_OK);
    assert_int_equal(sm_store_in_state(s, &d, (int[]){0}, 1, &ids, &n), SM_OK);
    assert_int_equal(n, 0);
    sm_ids_free(ids);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s),
                        "sm_mysql_create_schema: store 'memory' is not a "
                        "MySQL store");
    sm_store_close(s);
    mysql_close(c);
}

/* sm_mysql_wrap's failures come back as a failed store that says why. */
static void test_wrap_errors(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, NULL, NULL), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s), "sm_mysql_wrap: conn is NULL");
    sm_store_close(s);
    assert_int_equal(sm_mysql_wrap(&s, c, "gaplock=pk&color=red"), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s),
                        "mysql URL: unknown parameter 'color'");
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &tdef_order, s, 1, NULL), SM_E_ARG);
    sm_store_close(s);
    assert_int_equal(sm_mysql_wrap(NULL, c, NULL), SM_E_ARG);
    mysql_close(c);
}

/* A stale machine's conflict: the product's words, then the server's. */
static void test_conflict_message(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "cmsg_transitions", "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    tlog l = {0};
    sm_machine *a = open_m(&d, s, 30, &l), *b = open_m(&d, s, 30, &l);
    assert_int_equal(sm_transition_to(a, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(a, FAILED, NULL), SM_OK);
    assert_int_equal(sm_transition_to(a, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_reload(b), SM_OK);
    assert_int_equal(sm_transition_to(a, CANCELLED, NULL), SM_OK);
    assert_int_equal(sm_transition_to(b, CANCELLED, NULL), SM_E_CONFLICT);
    assert_string_equal(sm_errmsg(b),
                        "order 30: another writer transitioned it first "
                        "(sort_key 40 taken): mysql: INSERT transition: "
                        "Duplicate entry '30-40' for key "
                        "'index_cmsg_transitions_parent_sort' (1062)");
    sm_machine_close(a);
    sm_machine_close(b);
    sm_store_close(s);
    mysql_close(c);
}

/* Rows of parent p in table (by a fresh raw query). */
static int64_t count_rows(MYSQL *c, int64_t p)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM wrap_transitions "
             "WHERE order_id = %lld",
             (long long)p);
    return mt_scalar(c, sql);
}

/* Inside the caller's transaction: deferred after_commit, ROLLBACK. */
static void test_wrap(void **st)
{
    (void)st;
    MYSQL *c = mt_connect(), *other = mt_connect();
    sm_def d = mt_def(c, "wrap_transitions", "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, "gaplock=pk"), SM_OK);
    tlog l = {0};
    sm_machine *m = open_m(&d, s, 1, &l);
    mt_exec(c, "START TRANSACTION");
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_null(strstr(l.buf, "refund"));
    assert_int_equal(count_rows(other, 1), 0); /* not committed yet */
    mt_exec(c, "ROLLBACK");
    sm_store_signal_commit(s, false);
    assert_null(strstr(l.buf, "refund"));
    assert_int_equal(count_rows(other, 1), 0);
    assert_int_equal(sm_reload(m), SM_OK);
    assert_int_equal(sm_current_state(m), PENDING);
    mt_exec(c, "START TRANSACTION");
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    mt_exec(c, "COMMIT");
    assert_null(strstr(l.buf, "refund"));
    sm_store_signal_commit(s, true);
    assert_non_null(strstr(l.buf, "refund"));
    assert_int_equal(count_rows(other, 1), 1);
    sm_machine_close(m);
    /* No caller transaction: our own, committed at once. */
    m = open_m(&d, s, 2, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(count_rows(other, 2), 1);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
    mysql_close(other);
}

/*
 * The caller rolls back: machines bound to the store forget what the
 * rolled-back transaction wrote, without an explicit reload, and their
 * next transition works (it was SM_E_CONFLICT).
 */
static void test_wrap_rollback_reloads(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "wrapr_transitions", "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, NULL), SM_OK);
    tlog l = {0};
    sm_machine *m = open_m(&d, s, 1, &l), *q = open_m(&d, s, 2, &l);
    assert_int_equal(sm_transition_to(q, CHECKING_OUT, NULL), SM_OK);
    mt_exec(c, "START TRANSACTION");
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_OK);
    assert_int_equal(sm_transition_to(q, FAILED, NULL), SM_OK);
    mt_exec(c, "ROLLBACK");
    assert_int_equal(sm_store_signal_commit(s, false), SM_OK);
    assert_int_equal(sm_current_state(m), PENDING);
    assert_null(sm_last_transition(m));
    assert_int_equal(sm_current_state(q), CHECKING_OUT);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_int_equal(sm_transition_to(q, FAILED, NULL), SM_OK);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM wrapr_transitions"), 3);
    sm_machine_close(m);
    sm_machine_close(q);
    sm_store_close(s);
    mysql_close(c);
}

/*
 * Wrap mode, a failing transition inside the caller's transaction: it
 * rolls back to its savepoint only; the caller's own writes and earlier
 * transitions in the same transaction survive, and the transaction is
 * still open for the caller to commit.
 */
static void test_wrap_failure(void **st)
{
    (void)st;
    MYSQL *c = mt_connect(), *other = mt_connect();
    sm_def d = mt_def(c, "wrapf_transitions", "orders");
    mt_exec(c, "DROP TABLE IF EXISTS wrapf_notes");
    mt_exec(c, "CREATE TABLE wrapf_notes (id INT PRIMARY KEY)");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, NULL), SM_OK);
    tlog l = {.fail_after = 1};
    sm_machine *m = open_m(&d, s, 4, &l);
    mt_exec(c, "START TRANSACTION");
    mt_exec(c, "INSERT INTO wrapf_notes VALUES (1)");
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, PURCHASED, "{\"paid\":true}"), SM_OK);
    assert_int_equal(sm_transition_to(m, SHIPPED, NULL), SM_E_CALLBACK);
    assert_true(c->server_status & SERVER_STATUS_IN_TRANS);
    assert_int_equal(sm_current_state(m), PURCHASED);
    mt_exec(c, "INSERT INTO wrapf_notes VALUES (2)");
    mt_exec(c, "COMMIT");
    sm_store_signal_commit(s, true);
    assert_int_equal(mt_scalar(other, "SELECT COUNT(*) FROM wrapf_notes"), 2);
    assert_int_equal(mt_scalar(other, "SELECT COUNT(*) FROM "
                                      "wrapf_transitions WHERE order_id = 4"),
                     2);
    assert_int_equal(mt_scalar(other, "SELECT COUNT(*) FROM "
                                      "wrapf_transitions WHERE most_recent = 1 "
                                      "AND to_state = 'purchased'"),
                     1);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
    mysql_close(other);
}

/* create_schema on an existing table leaves it, and its rows, alone. */
static void test_schema_exists(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "schema_transitions", "orders");
    mt_exec(c, "INSERT INTO schema_transitions (to_state, sort_key, order_id, "
               "created_at, updated_at) VALUES ('pending', 10, 1, NOW(), "
               "NOW())");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM schema_transitions"),
                     1);
    mt_exec(c, "DROP TABLE schema_transitions");
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM schema_transitions"),
                     0);
    sm_store_close(s);
    mysql_close(c);
}

/* lock_parent=1: the parent row is locked first; no parent table is
 * refused before any SQL runs. */
static void test_lock_parent(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "lp_transitions", "lp_parents");
    mt_exec(c, "DROP TABLE IF EXISTS lp_parents");
    mt_exec(c, "CREATE TABLE lp_parents (id BIGINT PRIMARY KEY)");
    mt_exec(c, "INSERT INTO lp_parents VALUES (7), (8)");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url_with("lock_parent=1")), SM_OK);
    tlog l = {0};
    sm_machine *m = open_m(&d, s, 7, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM lp_transitions"), 2);
    sm_machine_close(m);
    /* Another holder of the parent row blocks us (until its timeout). */
    MYSQL *a = mt_connect(), *b = mt_connect();
    mt_exec(a, "SET SESSION innodb_lock_wait_timeout = 1");
    mt_exec(b, "START TRANSACTION");
    mt_exec(b, "SELECT id FROM lp_parents WHERE id = 8 FOR UPDATE");
    mysql_free_result(mysql_store_result(b));
    sm_store *w = NULL, *s2;
    assert_int_equal(sm_mysql_wrap(&w, a, "lock_parent=1"), SM_OK);
    m = open_m(&d, w, 8, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_E_STORE);
    assert_non_null(strstr(sm_errmsg(m), "Lock wait timeout"));
    assert_false(a->server_status & SERVER_STATUS_IN_TRANS);
    mt_exec(b, "ROLLBACK");
    sm_machine_close(m);
    sm_store_close(w);
    mysql_close(a);
    mysql_close(b);
    /* No parent row: refused, nothing written, no transaction left. */
    s2 = NULL;
    assert_int_equal(sm_mysql_wrap(&s2, c, "lock_parent=1"), SM_OK);
    m = open_m(&d, s2, 99, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_E_STORE);
    assert_string_equal(sm_errmsg(m), "order 99: mysql: lock parent: no row "
                                      "with id 99 in lp_parents");
    assert_false(c->server_status & SERVER_STATUS_IN_TRANS);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM lp_transitions "
                                  "WHERE order_id = 99"),
                     0);
    sm_machine_close(m);
    sm_store_close(s2);
    sm_def bad = d;
    bad.parent_table = NULL;
    m = NULL;
    assert_int_equal(sm_machine_open(&m, &bad, s, 9, &l), SM_E_ARG);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_pk),
        cmocka_unit_test(test_rows_none),
        cmocka_unit_test(test_rows_statesman),
        cmocka_unit_test(test_in_state),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_wrap_rollback_reloads),
        cmocka_unit_test(test_conflict_message),
        cmocka_unit_test(test_wrap_errors),
        cmocka_unit_test(test_wrap_failure),
        cmocka_unit_test(test_schema_exists),
        cmocka_unit_test(test_lock_parent)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
