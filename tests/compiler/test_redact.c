/*
 * test_redact.c - the password of a URL hidden in every message smcc's
 * database commands print (compiler/cli_db.c): as written and as
 * percent-decoded, wherever and however often it occurs, the user
 * information ending at the last '@' of the host part; and nothing
 * hidden when there is no password.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli_db.h"

/* msg with url's password hidden. */
static void hidden(const char *url, const char *msg, const char *want)
{
    smc_buf out;
    smc_buf_init(&out);
    smc_db_redact(&out, msg, url);
    assert_true(smc_buf_ok(&out));
    assert_string_equal(out.data ? out.data : "", want);
    smc_buf_free(&out);
}

static void redact(void **st)
{
    (void)st;
    const char *u = "mysql://app:s%40cr%2Ft@db:3306/shop?socket=/s";
    hidden(u, "s@cr/t and s%40cr%2Ft", "*** and ***");
    hidden(u, "xs@cr/ts@cr/t", "x******");
    hidden(u, "nothing here", "nothing here");
    hidden(u, "", "");
    /* The user information ends at the last '@' before the path. */
    hidden("mysql://u:p@ss@host/db", "p@ss, not p", "***, not p");
    hidden("mysql://u:p%zz@host/db", "p%zz", "***");
    /* No password, or no URL at all: nothing is hidden. */
    hidden("mysql://u@host/db", "u@host", "u@host");
    hidden("mysql://host/db?socket=/a:b@c", "/a:b@c", "/a:b@c");
    hidden("mysql://u:@host/db", "u:@host", "u:@host");
    hidden(NULL, "a message", "a message");
    hidden("postgres://u:pw@h/d", "pw", "pw");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(redact)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
