/*
 * test_json.c - the metadata check: the no-allocation fast path accepts
 * only what jansson accepts, and sm_json_check's verdicts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jref.h"
#include "json.h"
#include "tdef.h"

static void fast_agrees(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool fast, valid;
    } c[] = {
        {"{}", true, true},
        {" { } ", true, true},
        {"{\"k\":1}", true, true},
        {"{\"paid\":true,\"card\":\"visa\"}", true, true},
        {"{\"a\":null,\"b\":false,\"c\":-0.5,\"d\":\"\"}", true, true},
        {"{\"a\":1,\"a\":2}", false, false},
        {"{\"a\":1,\"\\u0061\":2}", false, false},
        {"{\"a\":{\"b\":1}}", false, true},
        {"{\"a\":[1]}", false, true},
        {"{\"a\":1e5}", false, true},
        {"{\"a\":1234567890123456789012}", false, false},
        {"{\"a\":\"caf\xc3\xa9\"}", false, true},
        {"{\"a\":\"\xff\"}", false, false},
        {"{\"a\":01}", false, false},
        {"{\"a\":1,}", false, false},
        {"{\"a\":1} x", false, false},
        {"{\"a\":truex}", false, false},
        {"{\"a\":-}", false, false},
        {"{\"a\":1.}", false, false},
        {"{bad", false, false},
        {"[]", false, false},
        {"1", false, false},
        {"", false, false},
        {"{\"a\"}", false, false},
        {"{\"a\":\"x\ty\"}", false, false},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        assert_int_equal(sm_json_fast_ok(c[i].s), c[i].fast);
        assert_int_equal(jansson_object(c[i].s), c[i].valid);
        char err[128];
        assert_int_equal(sm_json_check(c[i].s, err, sizeof err),
                         c[i].valid ? SM_OK : SM_E_METADATA);
    }
}

static size_t g_host_calls, g_sm_calls;
static void *host_malloc(size_t n)
{
    g_host_calls++;
    return malloc(n);
}
static void host_free(void *p)
{
    free(p);
}
static void *sm_counting_malloc(size_t n)
{
    g_sm_calls++;
    return malloc(n);
}
static void *sm_counting_realloc(void *p, size_t n)
{
    g_sm_calls++;
    return realloc(p, n);
}

/* The host's jansson keeps the host's allocator whatever libsm is told,
 * and libsm parses metadata with its own allocator, never jansson's. */
static void host_jansson_untouched(void **state)
{
    (void)state;
    static const sm_allocator mine = {sm_counting_malloc, sm_counting_realloc,
                                      free};
    json_malloc_t gm = NULL;
    json_free_t gf = NULL;
    json_set_alloc_funcs(host_malloc, host_free);
    sm_set_allocator(&mine);
    json_get_alloc_funcs(&gm, &gf);
    assert_ptr_equal(gm, host_malloc);
    assert_ptr_equal(gf, host_free);
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, "memory:"), SM_OK);
    assert_int_equal(sm_machine_open(&m, &tdef_order, s, 1, &l), SM_OK);
    g_host_calls = g_sm_calls = 0;
    /* nested: not the fast path's; an object of 40 keys needs memory */
    char big[1024] = "{\"n\":{\"a\":[1,{\"b\":\"\\u00e9\"}]}";
    for (int i = 0; i < 40; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), ",\"k%d\":%d", i,
                 i);
    strcat(big, "}");
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, big), SM_OK);
    assert_int_equal(sm_transition_to(m, FAILED, "{\"a\":1,\"a\":2}"),
                     SM_E_METADATA);
    assert_int_equal(g_host_calls, 0);
    assert_true(g_sm_calls > 0);
    sm_machine_close(m);
    sm_store_close(s);
    sm_set_allocator(NULL);
    json_get_alloc_funcs(&gm, &gf);
    assert_ptr_equal(gm, host_malloc);
    /* and the host's own parsing still goes through its allocator */
    json_t *j = json_loads("{\"x\":[1]}", 0, NULL);
    assert_non_null(j);
    assert_true(g_host_calls > 0);
    json_decref(j);
    json_set_alloc_funcs(malloc, free);
}

/* n (< 400) levels: {"a":[[...]]}, and a string full of brackets. */
static const char *nested(int n)
{
    static char b[1024];
    assert_true(n < 400);
    int o = snprintf(b, sizeof b, "{\"s\":\"[[{\\\"[\",\"a\":");
    for (int i = 1; i < n; i++)
        b[o++] = '[';
    for (int i = 1; i < n; i++)
        b[o++] = ']';
    snprintf(b + o, sizeof b - (size_t)o, "}");
    return b;
}

/* MariaDB stores 31 levels and refuses 32; so does the check. */
static void depth_limit(void **state)
{
    (void)state;
    char err[128] = "";
    assert_int_equal(sm_json_check(nested(31), err, sizeof err), SM_OK);
    assert_int_equal(sm_json_check(nested(32), err, sizeof err), SM_E_METADATA);
    assert_string_equal(err,
                        "metadata: nested deeper than 31 levels at byte 48");
    assert_int_equal(sm_json_check(nested(300), err, sizeof err),
                     SM_E_METADATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(fast_agrees),
                                       cmocka_unit_test(host_jansson_untouched),
                                       cmocka_unit_test(depth_limit)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
