/*
 * test_stress.c - forked workers, one connection each, per gap-lock mode
 * and workload (fresh parents, random parents of 1000, two hot parents).
 * Afterwards every acknowledged transition is in the table, each parent
 * has one most_recent on its highest sort_key, and each row legally
 * follows the previous one, and the wrapped (odd) workers end with no
 * transaction open. pk must see zero deadlocks; others are reported.
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

static void run(const char *mode, int wl)
{
    static const char *const wls[] = {"fresh", "random", "hot"};
    char table[64], opts[64];
    snprintf(table, sizeof table, "stress_%s_%s", mode, wls[wl]);
    snprintf(opts, sizeof opts, "gaplock=%s", mode);
    const char *url = mt_url_with(opts);
    stress_cfg cfg = {&url,  1,    opts, wl,     PROCS, PER,
                      false, NULL, NULL, server, 1};
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
        run(#mode, STRESS_##wl);                                               \
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

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_pk_FRESH),
                                       cmocka_unit_test(test_pk_RANDOM),
                                       cmocka_unit_test(test_pk_HOT),
                                       cmocka_unit_test(test_statesman_FRESH),
                                       cmocka_unit_test(test_statesman_RANDOM),
                                       cmocka_unit_test(test_statesman_HOT),
                                       cmocka_unit_test(test_none_FRESH),
                                       cmocka_unit_test(test_none_RANDOM),
                                       cmocka_unit_test(test_none_HOT)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
