/*
 * test_metadata.c - metadata at MariaDB's nesting limit is stored; one
 * level deeper is SM_E_METADATA before anything is written, on the
 * MySQL store as on the memory store (it was SM_E_STORE from the
 * column's CHECK on one, SM_OK on the other).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mtest.h"

/* {"a":[[...]]}: n levels in all. */
static const char *nested(int n)
{
    static char b[256];
    int o = snprintf(b, sizeof b, "{\"a\":");
    for (int i = 1; i < n && o < 200; i++)
        b[o++] = '[';
    for (int i = 1; i < n && o < 240; i++)
        b[o++] = ']';
    snprintf(b + o, sizeof b - (size_t)o, "}");
    return b;
}

/* One transition with md on a fresh parent of s: its status. */
static sm_status try_md(sm_store *s, const sm_def *d, int64_t p, const char *md)
{
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, d, s, p, NULL), SM_OK);
    sm_status st = sm_transition_to(m, CHECKING_OUT, md);
    const sm_transition *t = sm_last_transition(m);
    if (st == SM_OK)
        assert_string_equal(t->metadata, md);
    else
        assert_null(t);
    sm_machine_close(m);
    return st;
}

static void depth_limit(void **state)
{
    (void)state;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "md_depth", "orders");
    sm_store *stores[2] = {NULL, NULL};
    assert_int_equal(sm_store_open(&stores[0], mt_url()), SM_OK);
    assert_int_equal(sm_store_open(&stores[1], "memory:"), SM_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(try_md(stores[i], &d, 1, nested(31)), SM_OK);
        assert_int_equal(try_md(stores[i], &d, 2, nested(32)), SM_E_METADATA);
        sm_store_close(stores[i]);
    }
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM md_depth"), 1);
    mysql_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(depth_limit)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
