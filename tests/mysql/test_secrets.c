/*
 * test_secrets.c - no message ever quotes a password. A corpus of
 * malformed and failing URLs, each holding a known password written in
 * several ways, goes through every entry that takes a URL; the ones
 * that parse reach the test server (or a closed loopback port) and fail
 * there. No piece of the password may appear in any message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtest.h"
#include "open.h"

/* The password's pieces: none may appear in a message. */
static const char *const pieces[] = {"Zx7q", "Wv4k", "Jm2p"};

/* The password as a user might write it: plain, with characters a URL
 * gives a meaning to, mis-encoded, too long. */
static const char *const passwords[] = {
    "Zx7qWv4kJm2p",  "Zx7q/Wv4kJm2p",  "Zx7q?Wv4k/Jm2p", "Zx7q#Wv4kJm2p",
    "Zx7q@Wv4kJm2p", "Zx7q:Wv4kJm2p",  "Zx7q Wv4kJm2p",  "Zx7q%zzWv4kJm2p",
    "Zx7q%2FWv4k%",  "Zx7q\nWv4kJm2p", "Zx7q'Wv4kJm2p",  "Zx7q\\Wv4k&Jm2p",
};

/*
 * URL templates: PW is the password, SOCK the test server's socket.
 * Those marked '!' have no '@' after the password, so an '@' in it
 * would make its tail the host by any reading: they get only the
 * passwords without '@'.
 */
static const char *const templates[] = {
    "mysql://app:PW@localhost/db?socket=SOCK",
    "mysql://root:PW@localhost/smcc_test?socket=SOCK",
    "mysql://root:PW@localhost/nosuchdb?socket=SOCK",
    "mysql://:PW@localhost/smcc_test?socket=SOCK",
    "mysql://app:PW@localhost/db?socket=/nonexistent/sock",
    "mysql://app:PW@127.0.0.1:1/db",
    "mysql://app:PW@[::1]:1/db",
    "MYSQL://app:PW@localhost/db",
    " mysql://app:PW@localhost/db",
    "mysql+tcp://app:PW@localhost/db",
    "mysql:/app:PW@localhost/db",
    "mysql:app:PW@localhost/db",
    "app:PW@localhost/db",
    "mysql://app:PW@localhost",
    "mysql://app:PW@localhost/",
    "mysql://app:PW@localhost:99999/db",
    "mysql://app:PW@localhost:x/db",
    "mysql://app:PW@[::1/db",
    "mysql://app:PW@localhost/db/x?socket=SOCK",
    "mysql://app:PW@localhost/db?socket=",
    "mysql://app:PW@localhost/db?gaplock=x",
    "mysql://app:PW@localhost/db?socket=SOCK&socket=SOCK",
    "mysql://app:PW@localhost/db?color=red",
    "mysql://app:PW@localhost/db?&",
    "mysql://app:PW@@localhost/db?socket=SOCK",
    "mysql://app:PWPWPWPWPWPWPWPWPWPWPWPW@localhost/db",
    "mysql://app@localhost:PW@localhost/db",
    "!mysql://app:PWlocalhost/db",
    "!mysql://app:PW/db",
    "!mysql://app:PW",
    "!mysql://app:PW?socket=SOCK",
};

/* tpl with every PW and SOCK replaced (static buffer). */
static const char *expand(const char *tpl, const char *pw, const char *sock)
{
    static char b[2048];
    size_t o = 0;
    while (*tpl && o < sizeof b - 600) {
        const char *with = NULL;
        if (strncmp(tpl, "PW", 2) == 0)
            with = pw, tpl += 2;
        else if (strncmp(tpl, "SOCK", 4) == 0)
            with = sock, tpl += 4;
        if (with)
            o += (size_t)snprintf(b + o, sizeof b - o, "%s", with);
        else
            b[o++] = *tpl++;
    }
    b[o] = '\0';
    return b;
}

/* Fail when msg is empty or holds a piece of the password. */
static void assert_clean(const char *entry, const char *url, const char *msg)
{
    if (!*msg)
        fail_msg("%s(\"%s\"): no message", entry, url);
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++)
        if (strstr(msg, pieces[i]))
            fail_msg("%s(\"%s\") leaked the password: %s", entry, url, msg);
}

/* url through the parser, sm_store_open and the plain connect. */
static void run_one(const char *url)
{
    char err[512] = "";
    sm_mysql_url u;
    if (sm_mysql_url_parse(&u, url, err, sizeof err) != SM_OK)
        assert_clean("sm_mysql_url_parse", url, err);
    sm_store *s = NULL;
    assert_int_not_equal(sm_store_open(&s, url), SM_OK);
    assert_clean("sm_store_open", url, sm_store_errmsg(s));
    sm_store_close(s);
    err[0] = '\0';
    MYSQL *c = sm_mysql_connect_url(url, err, sizeof err);
    assert_null(c);
    assert_clean("sm_mysql_connect_url", url, err);
}

/* The test server's socket, from SM_TEST_MYSQL_URL. */
static const char *server_socket(void)
{
    static char err[256];
    static sm_mysql_url u;
    if (sm_mysql_url_parse(&u, mt_url(), err, sizeof err) != SM_OK)
        fail_msg("SM_TEST_MYSQL_URL: %s", err);
    return u.socket;
}

static void test_no_password_in_messages(void **state)
{
    (void)state;
    const char *sock = server_socket();
    size_t ran = 0;
    for (size_t t = 0; t < sizeof templates / sizeof *templates; t++) {
        const char *tpl = templates[t];
        bool no_at = *tpl == '!';
        for (size_t p = 0; p < sizeof passwords / sizeof *passwords; p++) {
            if (no_at && strchr(passwords[p], '@'))
                continue;
            run_one(expand(tpl + no_at, passwords[p], sock));
            ran++;
        }
    }
    assert_true(ran > 300);
}

/* The three cases, message for message. */
static void test_reported_cases(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"MYSQL://app:TopSecret99@localhost/db",
         "unknown store URL 'MYSQL://app:***@localhost/db' "
         "(expected memory: or mysql://)"},
        {" mysql://app:TopSecret99@localhost/db",
         "unknown store URL ' mysql://app:***@localhost/db' "
         "(expected memory: or mysql://)"},
        {"mysql+tcp://app:TopSecret99@localhost/db",
         "unknown store URL 'mysql+tcp://app:***@localhost/db' "
         "(expected memory: or mysql://)"},
        {"mysql://app:Top/Secret99@localhost/db",
         "mysql URL: '@' after the host: in a user name or password "
         "write '/' as %2F and '?' as %3F, elsewhere '@' as %40"},
        {"mysql://app:TopSecret99/db",
         "mysql URL: bad port (not a number from 1 to 65535)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sm_store *s = NULL;
        assert_int_equal(sm_store_open(&s, cases[i][0]), SM_E_ARG);
        assert_string_equal(sm_store_errmsg(s), cases[i][1]);
        sm_store_close(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_password_in_messages),
        cmocka_unit_test(test_reported_cases)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
