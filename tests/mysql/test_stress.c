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
 * transitions: zero deadlocks; statesman reported). Every mode and
 * workload, and the pk batches, run again on the default schema with a
 * cached state column, which must then agree with every parent's
 * most_recent row.
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

/* The table layouts a run may use. */
enum { BARE, FULL, CACHED };

/* The order machine on `table` and `table`_parents with the default
 * schema, and with the parents' state column when cached. */
static sm_def schema_def(const char *table, bool cached)
{
    static char parents[80];
    snprintf(parents, sizeof parents, "%s_parents", table);
    sm_def d = tdef_order;
    d.table = table;
    d.parent_table = parents;
    d.schema = SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY | SM_SCHEMA_STATE_CHECK;
    d.state_column = cached ? "state" : NULL;
    return d;
}

/*
 * Create d's schema: the parent table (holding every parent a workload
 * picks), the foreign key (each INSERT reads the parent row), the CHECK
 * and the state column when d has one.
 */
static sm_def create_schema(MYSQL *c, sm_def d)
{
    char sql[256];
    const char *table = d.table, *parents = d.parent_table;
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

/* The default schema, without and with the state column. */
static sm_def full_schema(MYSQL *c, const char *table)
{
    return create_schema(c, schema_def(table, false));
}
static sm_def cached_schema(MYSQL *c, const char *table)
{
    return create_schema(c, schema_def(table, true));
}

static void run(const char *mode, int wl, int layout)
{
    static const char *const wls[] = {"fresh", "random", "hot"};
    static const char *const suffix[] = {"", "_full", "_cached"};
    static sm_def (*const create[])(MYSQL *, const char *) = {NULL, full_schema,
                                                              cached_schema};
    char table[64], opts[64];
    snprintf(table, sizeof table, "stress_%s_%s%s", mode, wls[wl],
             suffix[layout]);
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
                      .create = create[layout]};
    stress_tally t = stress_run(&cfg, table);
    assert_int_equal(t.acks, PROCS * PER);
    assert_int_equal(t.cluster, 0);
    if (layout == CACHED) {
        MYSQL *c = mt_connect();
        sm_def d = schema_def(table, true);
        assert_int_equal(mt_drift(c, &d), 0);
        mysql_close(c);
    }
    if (strcmp(mode, "pk") == 0)
        assert_int_equal(t.deadlocks, 0);
}

#define CASE(mode, wl)                                                         \
    static void test_##mode##_##wl(void **st)                                  \
    {                                                                          \
        (void)st;                                                              \
        run(#mode, STRESS_##wl, BARE);                                         \
    }                                                                          \
    static void test_##mode##_##wl##_cached(void **st)                         \
    {                                                                          \
        (void)st;                                                              \
        run(#mode, STRESS_##wl, CACHED);                                       \
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
    run("pk", STRESS_RANDOM, FULL);
}
static void test_pk_full_HOT(void **st)
{
    (void)st;
    run("pk", STRESS_HOT, FULL);
}

/*
 * Batches: four workers commit batches of 100 random parents of the
 * 1000 shared ones (`singles` of them write single transitions
 * instead), on the default schema (with the state column when layout
 * is CACHED); 800 transitions each. With `zero`, no deadlock.
 */
static void batches(const char *table, const char *opts, int singles, bool zero,
                    int layout)
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
                      .create = layout == CACHED ? cached_schema : full_schema,
                      .batch = 100,
                      .singles = singles};
    stress_tally t = stress_run(&cfg, table);
    assert_int_equal(t.acks, 4 * 800);
    if (layout == CACHED) {
        MYSQL *c = mt_connect();
        sm_def d = schema_def(table, true);
        assert_int_equal(mt_drift(c, &d), 0);
        mysql_close(c);
    }
    if (zero)
        assert_int_equal(t.deadlocks, 0);
}

static void test_batch_pk(void **st)
{
    (void)st;
    batches("stress_batch_pk", "gaplock=pk", 0, true, FULL);
}
static void test_batch_pk_lock_parent(void **st)
{
    (void)st;
    batches("stress_batch_lp", "gaplock=pk&lock_parent=1", 0, true, FULL);
}
/* Two batch writers beside two single-transition writers. */
static void test_batch_pk_singles(void **st)
{
    (void)st;
    batches("stress_batch_mix", "gaplock=pk", 2, true, FULL);
}
/* The same, on the cached layout: the state column adds no deadlock. */
static void test_batch_pk_cached(void **st)
{
    (void)st;
    batches("stress_batch_pk_cached", "gaplock=pk", 0, true, CACHED);
}
static void test_batch_pk_lock_parent_cached(void **st)
{
    (void)st;
    batches("stress_batch_lp_cached", "gaplock=pk&lock_parent=1", 0, true,
            CACHED);
}
static void test_batch_pk_singles_cached(void **st)
{
    (void)st;
    batches("stress_batch_mix_cached", "gaplock=pk", 2, true, CACHED);
}
static void test_batch_statesman(void **st)
{
    (void)st;
    batches("stress_batch_sm", "gaplock=statesman", 0, false, FULL);
}

#define BOTH(mode, wl)                                                         \
    cmocka_unit_test(test_##mode##_##wl),                                      \
        cmocka_unit_test(test_##mode##_##wl##_cached)

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        BOTH(pk, FRESH),
        BOTH(pk, RANDOM),
        BOTH(pk, HOT),
        BOTH(statesman, FRESH),
        BOTH(statesman, RANDOM),
        BOTH(statesman, HOT),
        BOTH(none, FRESH),
        BOTH(none, RANDOM),
        BOTH(none, HOT),
        cmocka_unit_test(test_pk_full_RANDOM),
        cmocka_unit_test(test_pk_full_HOT),
        cmocka_unit_test(test_batch_pk),
        cmocka_unit_test(test_batch_pk_lock_parent),
        cmocka_unit_test(test_batch_pk_singles),
        cmocka_unit_test(test_batch_statesman),
        cmocka_unit_test(test_batch_pk_cached),
        cmocka_unit_test(test_batch_pk_lock_parent_cached),
        cmocka_unit_test(test_batch_pk_singles_cached)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
