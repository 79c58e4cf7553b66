/*
 * test_stress.c - forked workers, one connection each, per gap-lock mode
 * and workload (fresh parents, random parents of 1000, two hot parents).
 * Afterwards every acknowledged transition is in the table, each parent
 * has one most_recent on its highest sort_key, and each row legally
 * follows the previous one, and the wrapped (odd) workers end with no
 * transaction open. pk must see zero deadlocks, on the bare table and
 * on the default schema (parent table, foreign key, CHECK); others are
 * reported. Every mode and workload runs again on the default schema
 * with a cached state column, which must then agree with every
 * parent's most_recent row.
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

#define BOTH(mode, wl)                                                         \
    cmocka_unit_test(test_##mode##_##wl),                                      \
        cmocka_unit_test(test_##mode##_##wl##_cached)

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {BOTH(pk, FRESH),
                                       BOTH(pk, RANDOM),
                                       BOTH(pk, HOT),
                                       BOTH(statesman, FRESH),
                                       BOTH(statesman, RANDOM),
                                       BOTH(statesman, HOT),
                                       BOTH(none, FRESH),
                                       BOTH(none, RANDOM),
                                       BOTH(none, HOT),
                                       cmocka_unit_test(test_pk_full_RANDOM),
                                       cmocka_unit_test(test_pk_full_HOT)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
