/*
 * test_unknown.c - states in a MySQL history that the machine does not
 * know: the exact SM_E_SCHEMA messages (to_state and from_state, open
 * and in_state), the read view ended after such a failure, and in_state
 * on a machine with more names than a statement takes parameters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtest.h"

static const char *g_table; /* the current test's */

/* tdef_order on TABLE_transitions / TABLE_parents (no CHECK, so raw
 * rows may hold any name), parents 1 to 4. A table per test: a failed
 * one leaves its connections behind. */
static sm_def unk_def(MYSQL *c, sm_store **s, const char *table)
{
    static char t[64], p[64];
    char sql[256];
    snprintf(t, sizeof t, "%s_transitions", table);
    snprintf(p, sizeof p, "%s_parents", table);
    g_table = t;
    sm_def d = mt_table(c, &tdef_order, t, p);
    snprintf(sql, sizeof sql,
             "CREATE OR REPLACE TABLE %s (id BIGINT PRIMARY KEY) "
             "SELECT seq AS id FROM seq_1_to_4",
             p);
    mt_exec(c, sql);
    assert_int_equal(sm_store_open(s, mt_url()), SM_OK);
    return d;
}

/* Insert one raw row; its id. */
static int64_t raw_row(MYSQL *c, int p, const char *from, const char *to,
                       int sk, int mr)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (from_state, to_state, sort_key, "
             "order_id, most_recent, created_at, updated_at) VALUES "
             "(%s%s%s, '%s', %d, %d, %s, NOW(), NOW())",
             g_table, from ? "'" : "", from ? from : "NULL", from ? "'" : "",
             to, sk, p, mr ? "1" : "NULL");
    mt_exec(c, sql);
    return (int64_t)mysql_insert_id(c);
}

/* The message says which parent, which row, which column and name, and
 * how to fix it; the read view the load opened is ended, so the next
 * read sees what was committed since. */
static void test_open_message(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_store *s = NULL;
    sm_def d = unk_def(c, &s, "unk1");
    int64_t r1 = raw_row(c, 1, NULL, "archived", 10, 1);
    sm_machine *m = NULL;
    tlog l = {0};
    char want[512];
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_E_SCHEMA);
    snprintf(want, sizeof want,
             "order 1: mysql: row %lld of unk1_transitions has to_state "
             "'archived', which machine order does not know: declare it in "
             "the .sm file (state NEW was archived; or retired state "
             "archived;) or rewrite the rows (smcc diff --emit migration)",
             (long long)r1);
    assert_string_equal(sm_store_errmsg(s), want);

    raw_row(c, 2, NULL, "checking_out", 10, 1);
    assert_int_equal(sm_machine_open(&m, &d, s, 2, &l), SM_OK);
    assert_int_equal(sm_current_state(m), CHECKING_OUT);
    sm_machine_close(m);

    raw_row(c, 3, NULL, "checking_out", 10, 0);
    int64_t r3 = raw_row(c, 3, "paying", "failed", 20, 1);
    assert_int_equal(sm_machine_open(&m, &d, s, 3, &l), SM_E_SCHEMA);
    snprintf(want, sizeof want,
             "order 3: mysql: row %lld of unk1_transitions has from_state "
             "'paying', which machine order does not know: declare it in "
             "the .sm file (state NEW was paying; or retired state "
             "paying;) or rewrite the rows (smcc diff --emit migration)",
             (long long)r3);
    assert_string_equal(sm_store_errmsg(s), want);
    sm_store_close(s);
    mysql_close(c);
}

/* in_state names the first parent in an unknown state and counts them;
 * its read view is ended too. */
static void test_in_state_message(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_store *s = NULL;
    sm_def d = unk_def(c, &s, "unk2");
    raw_row(c, 1, NULL, "checking_out", 10, 1);
    int64_t r2 = raw_row(c, 2, NULL, "archived", 10, 1);
    raw_row(c, 3, NULL, "Checking_Out", 10, 1);
    int64_t *ids = NULL;
    size_t n = 0;
    int want[] = {PENDING, SM_UNKNOWN_STATE};
    assert_int_equal(sm_store_in_state(s, &d, want, 1, &ids, &n), SM_E_SCHEMA);
    char msg[512];
    snprintf(msg, sizeof msg,
             "mysql: in_state: 2 parents of unk2_parents are in states machine "
             "order does not know; the first, parent 2, has to_state "
             "'archived' in row %lld: list them with SM_UNKNOWN_STATE (smcc "
             "in-state --unknown), then declare the states (was, retired) or "
             "rewrite the rows (smcc diff --emit migration)",
             (long long)r2);
    assert_string_equal(sm_store_errmsg(s), msg);

    raw_row(c, 4, NULL, "shipped", 10, 1);
    int also[] = {SHIPPED, SM_UNKNOWN_STATE};
    assert_int_equal(sm_store_in_state(s, &d, also, 2, &ids, &n), SM_OK);
    assert_int_equal(n, 3); /* 4 is seen: the failed call's read ended */
    sm_ids_free(ids);
    assert_int_equal(sm_store_in_state(s, &d, want + 1, 1, &ids, &n), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[1], 3); /* names compare byte for byte */
    sm_ids_free(ids);
    int shipped = SHIPPED;
    assert_int_equal(sm_store_in_state(s, &d, &shipped, 1, &ids, &n),
                     SM_E_SCHEMA);
    mt_exec(c, "DELETE FROM unk2_transitions WHERE order_id IN (2, 3)");
    assert_int_equal(sm_store_in_state(s, &d, &shipped, 1, &ids, &n), SM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 4);
    sm_ids_free(ids);
    assert_int_equal(sm_store_in_state(s, &d, want, 1, &ids, &n), SM_OK);
    assert_int_equal(n, 2); /* 2 and 3, without history now */
    sm_ids_free(ids);
    sm_store_close(s);
    mysql_close(c);
}

/* A machine with more names than one statement takes parameters
 * (65,535): in_state still finds the unknown ones. */
static void test_in_state_many_names(void **st)
{
    (void)st;
    enum { N = 70000 };
    MYSQL *c = mt_connect();
    sm_store *s = NULL;
    sm_def d = unk_def(c, &s, "unk3");
    char **names = calloc(N, sizeof *names);
    int32_t *by = calloc(N, sizeof *by);
    uint8_t *flags = calloc(N, 1);
    uint32_t *tidx = calloc(N + 1, sizeof *tidx);
    assert_true(names && by && flags && tidx);
    for (int i = 0; i < N; i++) {
        names[i] = malloc(16);
        snprintf(names[i], 16, "s%06d", i);
        by[i] = i; /* s000000 < s000001 < ... */
    }
    flags[0] = SM_STATE_INITIAL;
    d.nstates = N;
    d.state_names = (const char *const *)names;
    d.state_by_name = by;
    d.state_flags = flags;
    d.initial = 0;
    d.trans_index = tidx;
    d.trans_to = NULL;
    d.nevents = 0;
    d.nhooks = 0;
    raw_row(c, 1, NULL, "s069999", 10, 1);
    raw_row(c, 2, NULL, "archived", 10, 1);
    int want[] = {69999, SM_UNKNOWN_STATE};
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(sm_store_in_state(s, &d, want, 1, &ids, &n), SM_E_SCHEMA);
    assert_non_null(strstr(sm_store_errmsg(s), "parent 2, has to_state "
                                               "'archived'"));
    assert_int_equal(sm_store_in_state(s, &d, want, 2, &ids, &n), SM_OK);
    assert_int_equal(n, 2);
    sm_ids_free(ids);
    assert_int_equal(sm_store_in_state(s, &d, want + 1, 1, &ids, &n), SM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 2);
    sm_ids_free(ids);
    assert_int_equal(sm_store_in_state(s, &d, (int[]){0}, 1, &ids, &n),
                     SM_E_SCHEMA);
    mt_exec(c, "DELETE FROM unk3_transitions WHERE order_id = 2");
    assert_int_equal(sm_store_in_state(s, &d, (int[]){0}, 1, &ids, &n), SM_OK);
    assert_int_equal(n, 3); /* 2, 3 and 4: no history */
    sm_ids_free(ids);
    for (int i = 0; i < N; i++)
        free(names[i]);
    free(names), free(by), free(flags), free(tidx);
    sm_store_close(s);
    mysql_close(c);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_message),
        cmocka_unit_test(test_in_state_message),
        cmocka_unit_test(test_in_state_many_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
