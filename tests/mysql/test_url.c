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
    assert_int_equal(parse("mysql://[::1]:3307,[fe80::1%25eth0],h/db"), SM_OK);
    assert_int_equal(u.nhosts, 3);
    assert_string_equal(u.hosts[0].name, "::1");
    assert_int_equal(u.hosts[0].port, 3307);
    assert_string_equal(u.hosts[1].name, "fe80::1%eth0");
    assert_string_equal(u.hosts[2].name, "h");
}

/* Each cases[i][0] is SM_E_ARG with a message holding cases[i][1]. */
static void expect_errors(const char *const (*cases)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(parse(cases[i][0]), SM_E_ARG);
        if (!strstr(err, cases[i][1]))
            fail_msg("%s: got '%s'", cases[i][0], err);
    }
}

/* Each bad URL is SM_E_ARG with the message naming the problem. */
static void test_errors(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"mysql://h/db?color=red", "unknown parameter 'color'"},
        {"mysql://h:0/db", "bad port (not a number from 1 to 65535)"},
        {"mysql://h:99999/db", "bad port (not a number from 1 to 65535)"},
        {"mysql://h:12x/db", "bad port (not a number from 1 to 65535)"},
        {"mysql://h:/db", "bad port (not a number from 1 to 65535)"},
        {"mysql://h/", "missing database name"},
        {"mysql://h", "missing database name"},
        {"mysql://h/db?gaplock=fast", "bad value 'fast' for gaplock"},
        {"mysql://h/db?lock_parent=yes", "bad value 'yes' for lock_parent"},
        {"mysql://h/db?gaplock", "parameter 'gaplock' has no value"},
        {"mysql://u%zz@h/db", "bad %-escape in the user name"},
        {"mysql://h/d%00b", "bad %-escape in the database name"},
        {"postgres://h/db", "must start with mysql://"},
        {"mysql://h/a/b", "'/' in the database name"},
        {"mysql://h/db?gaplock=%0a", "bad value '\\x0a' for gaplock"},
        {"mysql://h/db?causal=yes", "bad value 'yes' for causal"},
        {"mysql://a,,b/db", "empty host in the host list"},
        {"mysql://a,/db", "empty host in the host list"},
        {"mysql://,a/db", "empty host in the host list"},
        {"mysql://a:1,b:0/db", "bad port (not a number from 1 to 65535)"},
        {"mysql://h/db?causal=", "parameter causal has an empty value"},
        {"mysql://h/db?causal=1&causal=1", "parameter causal given twice"},
        {"mysql://a,b,c,d,e,f,g,h,i/db", "more than 8 hosts"},
    };
    expect_errors(cases, sizeof cases / sizeof *cases);
}

/* Strictness: what used to slip through is refused, by name. */
static void test_strict(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"mysql://h/db?socket=", "parameter socket has an empty value"},
        {"mysql://h/db?gaplock=", "parameter gaplock has an empty value"},
        {"mysql://h/db?gaplock=pk&gaplock=none", "parameter gaplock given "
                                                 "twice"},
        {"mysql://h/db?socket=/a&lock_parent=1&socket=/a",
         "parameter socket given twice"},
        {"mysql://h/db?", "empty parameter (a stray '&' or '?')"},
        {"mysql://h/db?gaplock=pk&", "empty parameter"},
        {"mysql://h/db?gaplock=pk&&lock_parent=1", "empty parameter"},
        {"mysql://h/db ", "a space or control byte at offset 12"},
        {"mysql://h/d\tb", "a space or control byte at offset 11"},
        {"mysql://::1/db", "bad port (an IPv6 address goes in brackets"},
        {"mysql://[::1/db", "IPv6 address without its closing ']'"},
        {"mysql://[]/db", "bad IPv6 address in brackets"},
        {"mysql://[x]/db", "bad IPv6 address in brackets"},
        {"mysql://[::1]x/db", "after an IPv6 address's ']' only ':port'"},
        {"mysql://[::1]:0/db", "bad port"},
        {"mysql://h/db?socket=/run/a@b", "'@' after the host"},
    };
    expect_errors(cases, sizeof cases / sizeof *cases);
}

/* IPv6 literals, with and without a port, and a zone. */
static void test_ipv6(void **state)
{
    (void)state;
    assert_int_equal(parse("mysql://[::1]/db"), SM_OK);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 0);
    assert_int_equal(parse("mysql://app:pw@[2001:db8::7]:3307/db"), SM_OK);
    assert_string_equal(u.host, "2001:db8::7");
    assert_int_equal(u.port, 3307);
    assert_string_equal(u.pass, "pw");
    assert_int_equal(parse("mysql://[fe80::1%25eth0]:3306/db"), SM_OK);
    assert_string_equal(u.host, "fe80::1%eth0");
}

/* A password may hold '@', ':' and '#' unencoded; '/' and '?' encoded. */
static void test_password_chars(void **state)
{
    (void)state;
    assert_int_equal(parse("mysql://app:a@b:c#d@h/db"), SM_OK);
    assert_string_equal(u.user, "app");
    assert_string_equal(u.pass, "a@b:c#d");
    assert_string_equal(u.host, "h");
    assert_int_equal(parse("mysql://app:a%2Fb%3Fc@h/db"), SM_OK);
    assert_string_equal(u.pass, "a/b?c");
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
    assert_int_equal(
        sm_mysql_options_parse(&o, "gaplock=pk&gaplock=pk", err, sizeof err),
        SM_E_ARG);
    assert_string_equal(err, "mysql URL: parameter gaplock given twice");
    assert_int_equal(sm_mysql_options_parse(&o, "socket=", err, sizeof err),
                     SM_E_ARG);
    assert_string_equal(err, "mysql URL: parameter socket has an empty value");
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
        cmocka_unit_test(test_full),           cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_hosts),          cmocka_unit_test(test_errors),
        cmocka_unit_test(test_strict),         cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_password_chars), cmocka_unit_test(test_options),
        cmocka_unit_test(test_store_open)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
