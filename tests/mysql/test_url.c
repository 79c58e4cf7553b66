/*
 * test_url.c - the mysql:// URL parser, without a server.
 *
 * Every accepted form and every refused one, with the message that
 * names the problem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "open.h"

static sm_mysql_url u;
static char err[256];

static sm_status parse(const char *url)
{
    err[0] = '\0';
    return sm_mysql_url_parse(&u, url, err, sizeof err);
}

/* Full URL: every part decoded, options applied. */
static void test_full(void **state)
{
    (void)state;
    assert_int_equal(parse("mysql://bob:p%40ss%3Aw@db.example:3307/shop"
                           "?socket=/tmp/s%20k&gaplock=statesman&"
                           "lock_parent=1"),
                     SM_OK);
    assert_string_equal(u.user, "bob");
    assert_string_equal(u.pass, "p@ss:w");
    assert_string_equal(u.host, "db.example");
    assert_int_equal(u.port, 3307);
    assert_string_equal(u.db, "shop");
    assert_string_equal(u.socket, "/tmp/s k");
    assert_int_equal(u.gaplock, SM_GAPLOCK_STATESMAN);
    assert_true(u.lock_parent);
}

/* Minimal URL: defaults are pk, no parent lock, no port. */
static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse("mysql://localhost/db"), SM_OK);
    assert_string_equal(u.user, "");
    assert_string_equal(u.host, "localhost");
    assert_int_equal(u.port, 0);
    assert_int_equal(u.gaplock, SM_GAPLOCK_PK);
    assert_false(u.lock_parent);
    assert_false(u.causal);
    assert_int_equal(parse("mysql://root@localhost/db?gaplock=none"), SM_OK);
    assert_string_equal(u.user, "root");
    assert_int_equal(u.gaplock, SM_GAPLOCK_NONE);
}

/* A host list: every host in order, the first one also as host/port;
 * causal=1 asks for wsrep_sync_wait. */
static void test_hosts(void **state)
{
    (void)state;
    assert_int_equal(parse("mysql://u@a:1,b,c%2Dd:3/db?causal=1"), SM_OK);
    assert_int_equal(u.nhosts, 3);
    assert_string_equal(u.hosts[0].name, "a");
    assert_int_equal(u.hosts[0].port, 1);
    assert_string_equal(u.hosts[1].name, "b");
    assert_int_equal(u.hosts[1].port, 0);
    assert_string_equal(u.hosts[2].name, "c-d");
    assert_int_equal(u.hosts[2].port, 3);
    assert_string_equal(u.host, "a");
    assert_int_equal(u.port, 1);
    assert_true(u.causal);
    assert_int_equal(parse("mysql://a,b,c,d,e,f,g,h/db?causal=0"), SM_OK);
    assert_int_equal(u.nhosts, 8);
    assert_string_equal(u.hosts[7].name, "h");
    assert_false(u.causal);
    assert_int_equal(parse("mysql://localhost/db"), SM_OK);
    assert_int_equal(u.nhosts, 1);
    assert_string_equal(u.hosts[0].name, "localhost");
}

/* Each bad URL is SM_E_ARG with the message naming the problem. */
static void test_errors(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"mysql://h/db?color=red", "unknown parameter 'color'"},
        {"mysql://h:0/db", "bad port '0'"},
        {"mysql://h:99999/db", "bad port '99999'"},
        {"mysql://h:12x/db", "bad port '12x'"},
        {"mysql://h/", "missing database name"},
        {"mysql://h", "missing database name"},
        {"mysql://h/db?gaplock=fast", "bad value 'fast' for gaplock"},
        {"mysql://h/db?lock_parent=yes", "bad value 'yes' for lock_parent"},
        {"mysql://h/db?gaplock", "parameter 'gaplock' has no value"},
        {"mysql://u%zz@h/db", "bad or too long user"},
        {"mysql://h/d%00b", "bad or too long database"},
        {"postgres://h/db", "must start with mysql://"},
        {"mysql://h/db?causal=yes", "bad value 'yes' for causal"},
        {"mysql://a,,b/db", "empty host in the host list"},
        {"mysql://a,/db", "empty host in the host list"},
        {"mysql://,a/db", "empty host in the host list"},
        {"mysql://a:1,b:0/db", "bad port '0'"},
        {"mysql://a,b,c,d,e,f,g,h,i/db", "more than 8 hosts"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(parse(cases[i][0]), SM_E_ARG);
        if (!strstr(err, cases[i][1]))
            fail_msg("%s: got '%s'", cases[i][0], err);
    }
}

/* Wrap-mode option strings use the same parser. */
static void test_options(void **state)
{
    (void)state;
    sm_mysql_url o = {.gaplock = SM_GAPLOCK_PK};
    assert_int_equal(sm_mysql_options_parse(&o, "gaplock=none&lock_parent=1",
                                            err, sizeof err),
                     SM_OK);
    assert_int_equal(o.gaplock, SM_GAPLOCK_NONE);
    assert_true(o.lock_parent);
    assert_int_equal(sm_mysql_options_parse(&o, NULL, err, sizeof err), SM_OK);
    assert_int_equal(sm_mysql_options_parse(&o, "x=1", err, sizeof err),
                     SM_E_ARG);
}

/* Through sm_store_open: a failed store carrying the message. */
static void test_store_open(void **state)
{
    (void)state;
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, "mysql://h/db?gaplock=x"), SM_E_ARG);
    assert_non_null(s);
    assert_non_null(strstr(sm_store_errmsg(s), "bad value 'x' for gaplock"));
    sm_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),    cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_hosts),   cmocka_unit_test(test_errors),
        cmocka_unit_test(test_options), cmocka_unit_test(test_store_open)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
