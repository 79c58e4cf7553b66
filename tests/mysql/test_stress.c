/*
 * test_stress.c - forked workers, one connection each, per gap-lock mode
 * and workload (fresh parents, random parents of 1000, two hot parents).
 * Afterwards every acknowledged transition is in the table, each parent
 * has one most_recent on its highest sort_key, and each row legally
 * follows the previous one, and the wrapped (odd) workers end with no
 * transaction open. pk must see zero deadlocks, on the bare table and
 * on the default schema (parent table, foreign key, CHECK); others are
 * reported. Then four workers in batches of 100 over 1000 shared
 * parents (pk with and without lock_parent, and beside single
 * transitions: zero deadlocks; statesman reported).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "stress.h"

enum { PROCS = 3, PER = 40 };

/* The one server. */
static MYSQL *server(size_t i)
{
    (void)i;
    return mt_connect();
}

/*
 * The full schema smcc emits by default, on `table` and `table`_parents:
 * the parent table (holding every parent a workload picks), the foreign
 * key (each INSERT reads the parent row) and the CHECK.
 */
static sm_def full_schema(MYSQL *c, const char *table)
{
    static char parents[80];
    char sql[256];
    snprintf(parents, sizeof parents, "%s_parents", table);
    sm_def d = tdef_order;
    d.table = table;
    d.parent_table = parents;
    d.schema = SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY | SM_SCHEMA_STATE_CHECK;
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`, `%s`", table,
             parents);
    mt_exec(c, sql);
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    sm_store_close(s);
    snprintf(sql, sizeof sql,
             "INSERT INTO `%s` (id) SELECT seq FROM seq_1_to_1000 UNION "
             "SELECT w.seq * 100000 + i.seq FROM seq_1_to_%d w, seq_0_to_%d i",
             parents, PROCS, PER - 1);
    mt_exec(c, sql);
    return d;
}

static void run(const char *mode, int wl, bool full)
{
    static const char *const wls[] = {"fresh", "random", "hot"};
    char table[64], opts[64];
    snprintf(table, sizeof table, "stress_%s_%s%s", mode, wls[wl],
             full ? "_full" : "");
    snprintf(opts, sizeof opts, "gaplock=%s", mode);
    const char *url = mt_url_with(opts);
    stress_cfg cfg = {.urls = &url,
                      .nurls = 1,
                      .opts = opts,
                      .workload = wl,
                      .procs = PROCS,
                      .per = PER,
                      .node = server,
                      .nnodes = 1,
                      .create = full ? full_schema : NULL};
    stress_tally t = stress_run(&cfg, table);
    assert_int_equal(t.acks, PROCS * PER);
    assert_int_equal(t.cluster, 0);
    if (strcmp(mode, "pk") == 0)
        assert_int_equal(t.deadlocks, 0);
}

#define CASE(mode, wl)                                                         \
    static void test_##mode##_##wl(void **st)                                  \
    {                                                                          \
        (void)st;                                                              \
        run(#mode, STRESS_##wl, false);                                        \
    }
CASE(pk, FRESH)
CASE(pk, RANDOM)
CASE(pk, HOT)
CASE(statesman, FRESH)
CASE(statesman, RANDOM)
CASE(statesman, HOT)
CASE(none, FRESH)
CASE(none, RANDOM)
CASE(none, HOT)

/* pk on the default schema: the foreign key's read of the parent row
 * adds no deadlock. */
static void test_pk_full_RANDOM(void **st)
{
    (void)st;
    run("pk", STRESS_RANDOM, true);
}
static void test_pk_full_HOT(void **st)
{
    (void)st;
    run("pk", STRESS_HOT, true);
}

/*
 * Batches: four workers commit batches of 100 random parents of the
 * 1000 shared ones (`singles` of them write single transitions
 * instead), on the default schema; 800 transitions each. With `zero`,
 * no deadlock.
 */
static void batches(const char *table, const char *opts, int singles, bool zero)
{
    const char *url = mt_url_with(opts);
    stress_cfg cfg = {.urls = &url,
                      .nurls = 1,
                      .opts = opts,
                      .workload = STRESS_RANDOM,
                      .procs = 4,
                      .per = 800,
                      .node = server,
                      .nnodes = 1,
                      .create = full_schema,
                      .batch = 100,
                      .singles = singles};
    stress_tally t = stress_run(&cfg, table);
    assert_int_equal(t.acks, 4 * 800);
    if (zero)
        assert_int_equal(t.deadlocks, 0);
}

static void test_batch_pk(void **st)
{
    (void)st;
    batches("stress_batch_pk", "gaplock=pk", 0, true);
}
static void test_batch_pk_lock_parent(void **st)
{
    (void)st;
    batches("stress_batch_lp", "gaplock=pk&lock_parent=1", 0, true);
}
/* Two batch writers beside two single-transition writers. */
static void test_batch_pk_singles(void **st)
{
    (void)st;
    batches("stress_batch_mix", "gaplock=pk", 2, true);
}
static void test_batch_statesman(void **st)
{
    (void)st;
    batches("stress_batch_sm", "gaplock=statesman", 0, false);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pk_FRESH),
        cmocka_unit_test(test_pk_RANDOM),
        cmocka_unit_test(test_pk_HOT),
        cmocka_unit_test(test_statesman_FRESH),
        cmocka_unit_test(test_statesman_RANDOM),
        cmocka_unit_test(test_statesman_HOT),
        cmocka_unit_test(test_none_FRESH),
        cmocka_unit_test(test_none_RANDOM),
        cmocka_unit_test(test_none_HOT),
        cmocka_unit_test(test_pk_full_RANDOM),
        cmocka_unit_test(test_pk_full_HOT),
        cmocka_unit_test(test_batch_pk),
        cmocka_unit_test(test_batch_pk_lock_parent),
        cmocka_unit_test(test_batch_pk_singles),
        cmocka_unit_test(test_batch_statesman)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
