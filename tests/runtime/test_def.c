/*
 * test_def.c - lookups on an sm_def alone: sm_def_state_index and
 * sm_def_event_index (binary search of the name index), the name
 * accessors, and sm_machine_open refusing a def without its index.
 * A property test checks the search on many random names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlamp.h"

static void order_names(void **state)
{
    (void)state;
    const char *names[] = {"pending", "checking_out", "purchased",
                           "failed",  "shipped",      "cancelled"};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(sm_def_state_index(&tdef_order, names[i]), i);
        assert_string_equal(sm_def_state_name(&tdef_order, i), names[i]);
    }
    assert_int_equal(sm_def_event_index(&tdef_order, "checkout"), EV_CHECKOUT);
    assert_int_equal(sm_def_event_index(&tdef_order, "cancel"), EV_CANCEL);
    assert_string_equal(sm_def_event_name(&tdef_order, EV_CANCEL), "cancel");
    assert_int_equal(sm_def_event_index(&tdef_lamp, "toggle"), EV_TOGGLE);
}

static void unknown_names(void **state)
{
    (void)state;
    const char *bad[] = {"",    "Pending", "pendin", "pendingx",
                         "zzz", "a",       "cancel", "shipped "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(sm_def_state_index(&tdef_order, bad[i]), -1);
    assert_int_equal(sm_def_event_index(&tdef_order, "pending"), -1);
    assert_int_equal(sm_def_state_index(&tdef_order, NULL), -1);
    assert_int_equal(sm_def_state_index(NULL, "pending"), -1);
    assert_int_equal(sm_def_event_index(NULL, "cancel"), -1);
    assert_null(sm_def_state_name(&tdef_order, 6));
    assert_null(sm_def_state_name(&tdef_order, -1));
    assert_null(sm_def_state_name(NULL, 0));
    assert_null(sm_def_event_name(&tdef_order, 2));
    assert_null(sm_def_event_name(&tdef_order, -1));
    assert_null(sm_def_event_name(NULL, 0));
}

/* A def without events has no event index; lookups say -1. */
static void no_events(void **state)
{
    (void)state;
    sm_def d = tdef_lamp;
    d.nevents = 0;
    d.event_names = NULL;
    d.event_by_name = NULL;
    assert_int_equal(sm_def_event_index(&d, "toggle"), -1);
    assert_null(sm_def_event_name(&d, 0));
}

/* The index is part of the layout: a def without it is refused. */
static void open_needs_index(void **state)
{
    (void)state;
    sm_store *s = NULL;
    sm_machine *m = (sm_machine *)1;
    assert_int_equal(sm_store_open(&s, "memory:"), SM_OK);
    sm_def d = tdef_order;
    d.state_by_name = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 1, NULL), SM_E_ARG);
    assert_null(m);
    d = tdef_order;
    d.event_by_name = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 1, NULL), SM_E_ARG);
    d = tdef_order;
    d.version = 1;
    assert_int_equal(sm_machine_open(&m, &d, s, 1, NULL), SM_E_ARG);
    sm_store_close(s);
}

/* Random names over a small alphabet (many shared prefixes). */
enum { NNAMES = 3000 };
static char g_names[NNAMES][12];
static const char *g_ptrs[NNAMES];

static int by_name(const void *a, const void *b)
{
    return strcmp(g_ptrs[*(const int32_t *)a], g_ptrs[*(const int32_t *)b]);
}

/* Fill g_names with n distinct names; returns n. */
static uint32_t random_names(unsigned seed)
{
    uint32_t n = 0;
    srand(seed);
    while (n < NNAMES) {
        int len = 1 + rand() % 10;
        for (int k = 0; k < len; k++)
            g_names[n][k] = "abc_"[rand() % 4];
        g_names[n][len] = '\0';
        bool dup = false;
        for (uint32_t j = 0; j < n && !dup; j++)
            dup = !strcmp(g_names[j], g_names[n]);
        if (!dup)
            g_ptrs[n] = g_names[n], n++;
    }
    return n;
}

/* Every name is found at its index; a near miss that is no name is -1. */
static void property_random_names(void **state)
{
    (void)state;
    static int32_t by[NNAMES];
    for (unsigned seed = 1; seed <= 3; seed++) {
        uint32_t n = random_names(seed);
        for (uint32_t i = 0; i < n; i++)
            by[i] = (int32_t)i;
        qsort(by, n, sizeof *by, by_name);
        sm_def d = tdef_order;
        d.nstates = n;
        d.state_names = g_ptrs;
        d.state_by_name = by;
        for (uint32_t i = 0; i < n; i++) {
            assert_int_equal(sm_def_state_index(&d, g_ptrs[i]), (int)i);
            char miss[16];
            snprintf(miss, sizeof miss, "%sd", g_ptrs[i]); /* 'd' unused */
            assert_int_equal(sm_def_state_index(&d, miss), -1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(order_names),
        cmocka_unit_test(unknown_names),
        cmocka_unit_test(no_events),
        cmocka_unit_test(open_needs_index),
        cmocka_unit_test(property_random_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
