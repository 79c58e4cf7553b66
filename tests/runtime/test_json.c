/*
 * test_json.c - the metadata check: the no-allocation fast path accepts
 * only what jansson accepts, and sm_json_check's verdicts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "json.h"

static bool jansson_object(const char *s)
{
    json_error_t e;
    json_t *j = json_loadb(s, strlen(s), JSON_REJECT_DUPLICATES, &e);
    bool ok = j && json_is_object(j);
    json_decref(j);
    return ok;
}

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

/* jansson quotes the input near an error: control bytes come escaped,
 * so metadata cannot write raw escapes or line breaks into a log. */
static void messages_escaped(void **state)
{
    (void)state;
    char err[128];
    assert_int_equal(sm_json_check("\x1b[31mred", err, sizeof err),
                     SM_E_METADATA);
    assert_string_equal(err, "metadata: '[' or '{' expected near '\\x1b'");
    assert_int_equal(sm_json_check("{\"a\":1}\rforged", err, sizeof err),
                     SM_E_METADATA);
    assert_string_equal(err, "metadata: end of file expected near 'forged'");
    assert_int_equal(sm_json_check("{\"a\":\x7f}", err, sizeof err),
                     SM_E_METADATA);
    assert_string_equal(err, "metadata: invalid token near '\\x7f'");
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
    assert_string_equal(err, "metadata: nested deeper than 31 levels");
    assert_int_equal(sm_json_check(nested(300), err, sizeof err),
                     SM_E_METADATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(fast_agrees),
                                       cmocka_unit_test(messages_escaped),
                                       cmocka_unit_test(depth_limit)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
