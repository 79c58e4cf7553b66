/*
 * test_json_diff.c - libsm's metadata parser against jansson, the
 * reference it replaced: the same verdict (a JSON object, or not) on
 * edge cases written out, on generated documents and on their random
 * mutations. A property test over the whole input class.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jref.h"
#include "json.h"

enum { CAP = 4096, CASES = 60000 };

static void agree(const char *s)
{
    char err[256] = "";
    bool mine = sm_json_check(s, err, sizeof err) == SM_OK;
    if (mine != jansson_object(s))
        fail_msg("verdicts differ (libsm %s, jansson %s) on [%s] %s",
                 mine ? "ok" : "no", mine ? "no" : "ok", s, err);
}

static void edge_cases(void **state)
{
    (void)state;
    static const char *const c[] = {
        "{}",
        "{\"a\":1e308}",
        "{\"a\":1e309}",
        "{\"a\":-1e309}",
        "{\"a\":1.7976931348623157e308}",
        "{\"a\":1.7976931348623158e308}",
        "{\"a\":1.7976931348623159e308}",
        "{\"a\":179769313486231580793728971405303415079934132710037826936173778"
        "98044496829276475094664736e222}",
        "{\"a\":179769313486231580793728971405303415079934132710037826936173778"
        "98044496829276475094664737e222}",
        "{\"a\":0.00000000000000000000000000001e338}",
        "{\"a\":1e-400}",
        "{\"a\":9223372036854775807}",
        "{\"a\":9223372036854775808}",
        "{\"a\":-9223372036854775808}",
        "{\"a\":-9223372036854775809}",
        "{\"a\":-0}",
        "{\"a\":-}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":1e}",
        "{\"a\":1e+}",
        "{\"a\":1E-2}",
        "{\"a\":+1}",
        "{\"a\":\"\\u0000\"}",
        "{\"\\u0000\":1}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\udc00\"}",
        "{\"a\":\"\\ud83d\\ude00\"}",
        "{\"a\":\"\\ud83d\\u0041\"}",
        "{\"a\":\"\\uD83D\\uDE00\"}",
        "{\"\\u00e9\":1,\"\xc3\xa9\":2}",
        "{\"\\/\":1,\"/\":2}",
        "{\"a\\nb\":1,\"a\\u000ab\":2}",
        "{\"a\":\"\xc0\xaf\"}",
        "{\"a\":\"\xe0\x80\xaf\"}",
        "{\"a\":\"\xf0\x80\x80\xaf\"}",
        "{\"a\":\"\xe0\xa0\x80\"}",
        "{\"a\":\"\xed\xa0\x80\"}",
        "{\"a\":\"\xf4\x90\x80\x80\"}",
        "{\"a\":\"\xf0\x9f\x98\x80\"}",
        "{\"a\":\"\xe2\x82\"}",
        "{\"a\":\"\x7f\"}",
        "{\"a\":\"\x1f\"}",
        "{\"a\":\"\\x\"}",
        "{\"a\":tru}",
        "{\"a\":nul}",
        "{\"a\":nulll}",
        "{\"a\":[1,]}",
        "{\"a\":[,1]}",
        "{\"a\":{}}",
        "{,}",
        "{\"a\" 1}",
        "[]",
        "[{}]",
        " \t\r\n{ \"a\" : [ 1 , 2 ] } \n",
        "{}x",
        "{}{}",
        "\xef\xbb\xbf{}",
        "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,"
        "\"i\":9,\"a\":10}",
        "{\"k\":{\"a\":1},\"j\":{\"a\":2}}",
        "{\"a\":{\"a\":{\"a\":1}}}",
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        agree(c[i]);
}

/* An object holding n nested arrays around a scalar: depth n + 2. */
static void nested(char *b, int n)
{
    size_t o = (size_t)sprintf(b, "{\"a\":");
    for (int i = 0; i < n; i++)
        b[o++] = '[';
    b[o++] = '1';
    for (int i = 0; i < n; i++)
        b[o++] = ']';
    strcpy(b + o, "}");
}

/* Around MariaDB's limit (31 arrays and objects), and jansson's (2048). */
static void depth_limit(void **state)
{
    (void)state;
    static char b[8192];
    static const int from[] = {26, 2040};
    for (int r = 0; r < 2; r++)
        for (int n = from[r]; n <= from[r] + 10; n++) {
            nested(b, n);
            agree(b);
        }
}

/* A small generator of JSON, valid and near-valid, seeded. */
typedef struct gen {
    char b[CAP];
    size_t n;
    unsigned seed;
} gen;

static unsigned rnd(gen *g, unsigned n)
{
    g->seed = g->seed * 1103515245u + 12345u;
    return (g->seed >> 16) % n;
}

static void put(gen *g, const char *s)
{
    size_t l = strlen(s);
    if (g->n + l < CAP - 1)
        memcpy(g->b + g->n, s, l), g->n += l;
}

static void gen_string(gen *g)
{
    static const char *const parts[] = {"a",
                                        "b",
                                        "k",
                                        "\\n",
                                        "\\u0061",
                                        "\\u00e9",
                                        "\xc3\xa9",
                                        "\\/",
                                        "\\\"",
                                        "\\ud83d\\ude00",
                                        "\xf0\x9f\x98\x80",
                                        "é",
                                        " ",
                                        "\\u0041",
                                        "\\t",
                                        "\\\\",
                                        "\\u20AC",
                                        "\xe2\x82\xac"};
    put(g, "\"");
    for (unsigned i = rnd(g, 4); i > 0; i--)
        put(g, parts[rnd(g, sizeof parts / sizeof parts[0])]);
    put(g, "\"");
}

static void gen_number(gen *g)
{
    static const char *const nums[] = {"0",
                                       "-0",
                                       "1",
                                       "42",
                                       "-7",
                                       "3.25",
                                       "1e5",
                                       "2E-3",
                                       "-1.5e+10",
                                       "9223372036854775807",
                                       "9223372036854775808",
                                       "-9223372036854775808",
                                       "123456789012345678901234567890",
                                       "1e308",
                                       "1e309",
                                       "0.1e310",
                                       "1.7976931348623157e308",
                                       "1.7976931348623159e308",
                                       "4.9e-324"};
    put(g, nums[rnd(g, sizeof nums / sizeof nums[0])]);
}

static void gen_value(gen *g, int depth);

static void gen_object(gen *g, int depth)
{
    put(g, "{");
    for (unsigned i = rnd(g, 5), k = 0; k < i; k++) {
        if (k)
            put(g, rnd(g, 8) ? "," : " , ");
        gen_string(g);
        put(g, ":");
        gen_value(g, depth + 1);
    }
    put(g, "}");
}

static void gen_value(gen *g, int depth)
{
    unsigned k = rnd(g, depth > 4 ? 5 : 7);
    if (k == 0)
        gen_string(g);
    else if (k == 1)
        gen_number(g);
    else if (k == 2)
        put(g, rnd(g, 2) ? "true" : "null");
    else if (k == 3)
        put(g, "false");
    else if (k == 4)
        put(g, "[]");
    else if (k == 5)
        gen_object(g, depth);
    else {
        put(g, "[");
        gen_value(g, depth + 1);
        put(g, ",");
        gen_value(g, depth + 1);
        put(g, "]");
    }
}

/* Change one byte, insert one or delete one, from a telling set. */
static void mutate(gen *g)
{
    static const char set[] = "{}[]:,\"\\u0123456789eE+-.tfn \x01\xc3\xa9\xff";
    if (!g->n)
        return;
    size_t at = rnd(g, (unsigned)g->n);
    char c = set[rnd(g, sizeof set - 1)];
    unsigned op = rnd(g, 3);
    if (op == 0)
        g->b[at] = c;
    else if (op == 1 && g->n + 1 < CAP) {
        memmove(g->b + at + 1, g->b + at, g->n - at);
        g->b[at] = c, g->n++;
    } else {
        memmove(g->b + at, g->b + at + 1, g->n - at - 1);
        g->n--;
    }
}

static void generated(void **state)
{
    (void)state;
    gen g = {.seed = 20240611u};
    for (int i = 0; i < CASES; i++) {
        g.n = 0;
        gen_object(&g, 0);
        for (unsigned m = rnd(&g, 4); m > 0 && i % 3; m--)
            mutate(&g);
        g.b[g.n] = '\0';
        if (strlen(g.b) == g.n) /* a mutation may have put a NUL in */
            agree(g.b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(edge_cases),
                                       cmocka_unit_test(depth_limit),
                                       cmocka_unit_test(generated)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
