/*
 * test_schema.c - the schema's lifecycle on a real MariaDB: create_schema
 * run twice, the parent table, the foreign key refusing a parent that
 * does not exist, the CHECK refusing a state the table does not list,
 * and histories written under old (`was`) names or into a state since
 * retired, loaded by the machine that renamed or retired them.
 */
#include <mysqld_error.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mtest.h"

enum { ALL = SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY | SM_SCHEMA_STATE_CHECK };

/* Old names of the order machine: "awaiting" was pending, "paying"
 * checking_out (sorted by name, as smcc writes them). */
static const char *const old_names[] = {"awaiting", "paying"};
static const int32_t old_states[] = {PENDING, CHECKING_OUT};

/* tdef_order on `table` / `parent`, with every schema option and the
 * old names above; both tables dropped first. */
static sm_def full_def(MYSQL *c, const char *table, const char *parent)
{
    char sql[256];
    sm_def d = tdef_order;
    d.table = table;
    d.parent_table = parent;
    d.schema = ALL;
    d.naliases = 2;
    d.alias_names = old_names;
    d.alias_states = old_states;
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`, `%s`", table, parent);
    mt_exec(c, sql);
    return d;
}

/* The number of rows sql counts. */
static int64_t count(MYSQL *c, const char *fmt, const char *arg)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, arg);
    return mt_scalar(c, sql);
}

/* Run twice: the same tables, each constraint once, rows kept. */
static void test_create_twice(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = full_def(c, "twice_transitions", "twice_parents");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    mt_exec(c, "INSERT INTO twice_parents VALUES (1)");
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    assert_int_equal(count(c, "SELECT COUNT(*) FROM %s", "twice_parents"), 1);
    static const char q[] =
        "SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE "
        "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'twice_transitions' "
        "AND %s";
    assert_int_equal(count(c, q,
                           "CONSTRAINT_NAME = 'twice_transitions_parent_fk' "
                           "AND CONSTRAINT_TYPE = 'FOREIGN KEY'"),
                     1);
    assert_int_equal(count(c, q,
                           "CONSTRAINT_NAME = 'twice_transitions_to_state' "
                           "AND CONSTRAINT_TYPE = 'CHECK'"),
                     1);
    assert_int_equal(count(c, q, "CONSTRAINT_TYPE = 'UNIQUE'"), 2);
    sm_store_close(s);
    mysql_close(c);
}

/* A def whose CHECK would carry a name that is no identifier. */
static void test_unsafe_names(void **st)
{
    (void)st;
    static const char *const bad[] = {"pending", "x') OR ('1"};
    sm_def d = tdef_order;
    d.table = "unsafe_transitions";
    d.schema = SM_SCHEMA_STATE_CHECK;
    d.naliases = 1;
    d.alias_names = &bad[1];
    d.alias_states = old_states;
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s),
                        "sm_mysql_create_schema: def is NULL or has an unsafe "
                        "table, column or state name");
    sm_store_close(s);
}

/* No parent row: the foreign key refuses, with a message that says so;
 * nothing is written, and once the parent exists the same call works. */
static void test_foreign_key(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = full_def(c, "fk_transitions", "fk_parents");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &d, s, 5, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_E_STORE);
    assert_string_equal(sm_errmsg(m), "order 5: mysql: no row with id 5 in "
                                      "fk_parents: "
                                      "the foreign key of fk_transitions "
                                      "refuses the transition");
    assert_int_equal(count(c, "SELECT COUNT(*) FROM %s", "fk_transitions"), 0);
    assert_int_equal(sm_current_state(m), PENDING);
    mt_exec(c, "INSERT INTO fk_parents VALUES (5)");
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(count(c, "SELECT COUNT(*) FROM %s", "fk_transitions"), 1);
    /* A parent with history cannot be deleted from under it. */
    assert_int_not_equal(mysql_query(c, "DELETE FROM fk_parents WHERE id = 5"),
                         0);
    assert_int_equal(mysql_errno(c), ER_ROW_IS_REFERENCED_2);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/*
 * The CHECK lists every name the history may hold: the states and the
 * old names. A state it does not list (a machine newer than the table)
 * is refused with a message naming the fix; so is any other name.
 */
static void test_check(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = full_def(c, "ck_transitions", "ck_parents");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    mt_exec(c, "INSERT INTO ck_parents VALUES (1), (2)");
    mt_exec(c, "INSERT INTO ck_transitions (to_state, sort_key, order_id, "
               "most_recent, created_at, updated_at) VALUES ('paying', 10, 2, "
               "1, NOW(), NOW())");
    assert_int_not_equal(mysql_query(c, "INSERT INTO ck_transitions (to_state, "
                                        "sort_key, order_id, created_at, "
                                        "updated_at) VALUES ('lost', 20, 2, "
                                        "NOW(), NOW())"),
                         0);
    assert_int_equal(mysql_errno(c), ER_CONSTRAINT_FAILED);
    /* A newer machine that calls 'shipped' 'dispatched'. */
    static const char *const newer[] = {"pending", "checking_out", "purchased",
                                        "failed",  "dispatched",   "cancelled"};
    sm_def n = d;
    n.state_names = newer;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &n, s, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, PURCHASED, "{\"paid\":true}"), SM_OK);
    assert_int_equal(sm_transition_to(m, SHIPPED, NULL), SM_E_STORE);
    assert_string_equal(sm_errmsg(m),
                        "order 1: mysql: the CHECK of ck_transitions refuses "
                        "state "
                        "'dispatched': the table lists another version's "
                        "states (run smcc diff --emit migration OLD.sm "
                        "NEW.sm)");
    assert_int_equal(sm_current_state(m), PURCHASED);
    assert_int_equal(count(c, "SELECT COUNT(*) FROM %s WHERE order_id = 1",
                           "ck_transitions"),
                     2);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/* Insert one raw row of parent p, as an older machine would have. */
static void raw_row(MYSQL *c, int p, const char *from, const char *to, int sk,
                    int mr)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO ren_transitions (from_state, to_state, sort_key, "
             "order_id, most_recent, created_at, updated_at) VALUES "
             "(%s%s%s, '%s', %d, %d, %s, NOW(), NOW())",
             from ? "'" : "", from ? from : "NULL", from ? "'" : "", to, sk, p,
             mr ? "1" : "NULL");
    mt_exec(c, sql);
}

/* Rows under old names load as the states they are now; the name found
 * is recorded; in_state counts them; new rows use the new names. */
static void test_old_names_load(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = full_def(c, "ren_transitions", "ren_parents");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    mt_exec(c, "INSERT INTO ren_parents VALUES (3), (4), (5)");
    raw_row(c, 3, NULL, "awaiting", 10, 0);
    raw_row(c, 3, "awaiting", "paying", 20, 1);
    raw_row(c, 4, NULL, "paying", 10, 1);
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &d, s, 3, &l), SM_OK);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(h[0].from_state, -1);
    assert_null(h[0].from_was);
    assert_int_equal(h[0].to_state, PENDING);
    assert_string_equal(h[0].to_was, "awaiting");
    assert_int_equal(h[1].from_state, PENDING);
    assert_string_equal(h[1].from_was, "awaiting");
    assert_int_equal(h[1].to_state, CHECKING_OUT);
    assert_string_equal(h[1].to_was, "paying");
    assert_int_equal(sm_current_state(m), CHECKING_OUT);
    assert_int_equal(sm_transition_to(m, PURCHASED, "{\"paid\":true}"), SM_OK);
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_null(h[2].from_was);
    assert_null(h[2].to_was);
    assert_int_equal(count(c,
                           "SELECT COUNT(*) FROM %s WHERE order_id = 3 AND "
                           "sort_key = 30 AND from_state = 'checking_out' AND "
                           "to_state = 'purchased'",
                           "ren_transitions"),
                     1);
    sm_machine_close(m);
    int64_t *ids = NULL;
    size_t k = 0;
    int want = CHECKING_OUT;
    assert_int_equal(sm_store_in_state(s, &d, &want, 1, 0, 0, &ids, &k), SM_OK);
    assert_int_equal(k, 1);
    assert_int_equal(ids[0], 4);
    sm_ids_free(ids);
    /* Without the old names, the row is one the machine cannot read. */
    sm_def plain = d;
    plain.naliases = 0;
    assert_int_equal(sm_machine_open(&m, &plain, s, 4, &l), SM_E_SCHEMA);
    assert_non_null(strstr(sm_store_errmsg(s), "has to_state 'paying', "
                                               "which machine order does "
                                               "not know"));
    sm_store_close(s);
    mysql_close(c);
}

/* A history that ends in a state since retired loads; the machine can
 * neither leave it nor enter it again, and writes nothing trying. */
static void test_retired_loads(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = full_def(c, "ret_transitions", "ret_parents");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    mt_exec(c, "INSERT INTO ret_parents VALUES (1), (2)");
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_OK);
    sm_machine_close(m);
    uint8_t flags[6];
    memcpy(flags, tdef_order.state_flags, sizeof flags);
    flags[FAILED] |= SM_STATE_RETIRED;
    sm_def r = d;
    r.state_flags = flags;
    assert_int_equal(sm_machine_open(&m, &r, s, 1, &l), SM_OK);
    assert_int_equal(sm_current_state(m), FAILED);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL),
                     SM_E_TRANSITION_FAILED);
    assert_string_equal(sm_errmsg(m), "no transition failed -> checking_out: "
                                      "'failed' is retired");
    sm_machine_close(m);
    assert_int_equal(sm_machine_open(&m, &r, s, 2, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_E_TRANSITION_FAILED);
    assert_string_equal(sm_errmsg(m), "no transition checking_out -> failed: "
                                      "'failed' is retired");
    assert_int_equal(count(c, "SELECT COUNT(*) FROM %s", "ret_transitions"), 3);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/*
 * Names at MySQL's limit of 64 characters: the table, the parent table
 * and the state column. Every identifier the schema derives from them
 * (unique keys, constraints) stays within the limit, so the server takes
 * the DDL (twice), and the table check at open accepts what it made.
 */
#define LONG_TABLE                                                             \
    "order_transitions_named_as_long_as_mysql_allows_sixty_four_chars"
#define LONG_PARENT                                                            \
    "orders_named_as_long_as_mysql_allows_identifiers_to_be_sixty_fou"
#define LONG_COLUMN                                                            \
    "current_state_cached_in_a_column_named_as_long_as_mysql_allows_x"
static void test_long_names(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = full_def(c, LONG_TABLE, LONG_PARENT);
    d.state_column = LONG_COLUMN;
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    mt_exec(c, "INSERT INTO " LONG_PARENT " (id) VALUES (1), (2)");
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL),
                     SM_E_TRANSITION_FAILED);
    sm_machine_close(m);
    int want = CHECKING_OUT;
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(sm_store_in_state(s, &d, &want, 1, 0, 0, &ids, &n), SM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 1);
    sm_ids_free(ids);
    static const char q[] =
        "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME "
        "SEPARATOR ' ') FROM information_schema.STATISTICS WHERE "
        "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s'";
    char sql[512], got[512];
    snprintf(sql, sizeof sql, q, LONG_TABLE);
    mt_text(c, sql, got, sizeof got);
    assert_string_equal(
        got, "index_order_transitions_named_as_long_as_my_5a51a3e8_parent_sort "
             "index_order_transitions_named_as_lon_5a51a3e8_parent_most_recent "
             "PRIMARY");
    sm_store_close(s);
    mysql_close(c);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_create_twice),
                                       cmocka_unit_test(test_unsafe_names),
                                       cmocka_unit_test(test_foreign_key),
                                       cmocka_unit_test(test_check),
                                       cmocka_unit_test(test_old_names_load),
                                       cmocka_unit_test(test_retired_loads),
                                       cmocka_unit_test(test_long_names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
