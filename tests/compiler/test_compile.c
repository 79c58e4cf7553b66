/*
 * test_compile.c - smc_compile in-process on a valid file: the model's
 * states, initial, transitions, events, hooks and storage defaults; the
 * error count and diagnostic text of invalid ones; the error limit, the
 * window on long lines, line ends, the JSON fragment and its escapes; an
 * input too long for the scanner.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit.h"
#include "smcc.h"

static const char src[] = "machine order {\n"
                          "    initial state pending;\n"
                          "    state paid;\n"
                          "    final state shipped, cancelled;\n"
                          "    transition paid -> shipped, cancelled;\n"
                          "    transition pending -> paid, cancelled;\n"
                          "    event cancel { paid, pending -> cancelled; }\n"
                          "    guard pending -> paid : ok;\n"
                          "    after_commit * -> cancelled, shipped : a, b;\n"
                          "}\n";

/* The model of src, checked field by field. */
static void test_model(void **state)
{
    (void)state;
    smc_arena *a = smc_arena_new();
    smc_buf d;
    smc_buf_init(&d);
    smc_unit *u = NULL;
    smc_options o = {0};
    assert_int_equal(smc_compile(a, "o.sm", src, strlen(src), &o, &d, &u), 0);
    assert_int_equal(d.len, 0);
    assert_non_null(u);
    assert_int_equal(u->nmachines, 1);
    const smc_machine *m = &u->machines[0];
    assert_string_equal(m->name, "order");
    assert_int_equal(m->nstates, 4);
    assert_string_equal(m->states[3].name, "cancelled");
    assert_true(m->states[3].final);
    assert_int_equal(m->initial, 0);
    assert_int_equal(m->ntrans, 4);
    int want[4][2] = {{0, 1}, {0, 3}, {1, 2}, {1, 3}};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(m->trans[i].from, want[i][0]);
        assert_int_equal(m->trans[i].to, want[i][1]);
    }
    assert_int_equal(m->nevents, 1);
    assert_int_equal(m->events[0].narrows, 2);
    assert_int_equal(m->events[0].arrows[0].from, 0);
    assert_int_equal(m->events[0].arrows[1].from, 1);
    assert_int_equal(m->nhooks, 3);
    assert_int_equal(m->hooks[0].kind, SM_HOOK_GUARD);
    assert_int_equal(m->hooks[0].nfrom, 1);
    assert_null(m->hooks[1].from);
    assert_string_equal(m->hooks[2].name, "b");
    assert_int_equal(m->hooks[2].nto, 2);
    assert_int_equal(m->hooks[2].to[0], 2);
    assert_int_equal(m->hooks[2].to[1], 3);
    assert_int_equal(m->hooks[2].loc.line, 9);
    assert_int_equal(m->hooks[2].loc.col, 47);
    assert_string_equal(m->table, "order_transitions");
    assert_string_equal(m->parent_table, "orders");
    assert_string_equal(m->parent_key, "order_id");
    smc_buf_free(&d);
    smc_arena_free(a);
}

/* Renames and retired states in the model: each state's old names as
 * written, one alias table sorted by name, the retired flag, and the
 * schema options (defaults on; "no" turns one off). */
static void test_model_renames(void **state)
{
    (void)state;
    static const char ren[] = "machine doc {\n"
                              "    initial state draft was new;\n"
                              "    state review was reviewing, asked;\n"
                              "    retired state legacy was held;\n"
                              "    final state done;\n"
                              "    transition draft -> review;\n"
                              "    transition review -> done;\n"
                              "    storage { foreign_key = \"no\"; }\n"
                              "}\n";
    smc_arena *a = smc_arena_new();
    smc_buf d;
    smc_buf_init(&d);
    smc_unit *u = NULL;
    assert_int_equal(smc_compile(a, "d.sm", ren, strlen(ren), NULL, &d, &u), 0);
    assert_int_equal(d.len, 0);
    const smc_machine *m = &u->machines[0];
    assert_int_equal(m->states[1].nwas, 2);
    assert_string_equal(m->states[1].was[0], "reviewing");
    assert_string_equal(m->states[1].was[1], "asked");
    assert_true(m->states[2].retired);
    assert_false(m->states[1].retired);
    assert_int_equal(m->naliases, 4);
    const char *names[] = {"asked", "held", "new", "reviewing"};
    int states[] = {1, 2, 0, 1};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(m->alias_names[i], names[i]);
        assert_int_equal(m->alias_states[i], states[i]);
    }
    assert_int_equal(m->schema, SM_SCHEMA_PARENT | SM_SCHEMA_STATE_CHECK);
    smc_buf_free(&d);
    smc_arena_free(a);
}

/* A machine of n states with 60-character names, each reachable and
 * with a way out, and `extra` inside its storage block. */
static char *many_states(int n, const char *extra)
{
    size_t cap = (size_t)n * 300 + 256;
    char *b = malloc(cap), *p = b;
    p += sprintf(p, "machine big {\n  initial state s0;\n");
    for (int i = 1; i < n; i++)
        p += sprintf(p,
                     "  state s%0*d;\n  transition s0 -> s%0*d;\n"
                     "  transition s%0*d -> s0;\n",
                     59, i, 59, i, 59, i);
    sprintf(p, "  storage { %s }\n}\n", extra);
    return b;
}

/* Compile many_states(n, extra): the error count, its diagnostics in d
 * (the caller frees them) and the machine's schema options. */
static int compile_big(int n, const char *extra, smc_buf *d, unsigned *schema)
{
    char *src = many_states(n, extra);
    smc_arena *a = smc_arena_new();
    smc_unit *u = NULL;
    smc_buf_init(d);
    int errors = smc_compile(a, "big.sm", src, strlen(src), NULL, d, &u);
    *schema = u ? u->machines[0].schema : 0;
    smc_arena_free(a);
    free(src);
    return errors;
}

/*
 * The CHECK lists every state name; MariaDB refuses one past 64 KB. By
 * default it is then left out, with a warning; asked for, an error.
 */
static void test_check_too_big(void **state)
{
    (void)state;
    smc_buf d;
    unsigned schema;
    assert_int_equal(compile_big(1000, "", &d, &schema), 0);
    assert_string_equal(d.data,
                        "big.sm:1:9: warning: the CHECK on to_state would "
                        "take 62974 bytes, more than MariaDB accepts (64 KB): "
                        "it is left out (say state_check = \"no\")\n"
                        "machine big {\n        ^~~\n");
    assert_int_equal(schema, SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY);
    smc_buf_free(&d);
    assert_int_equal(compile_big(1000, "state_check = \"yes\";", &d, &schema),
                     1);
    assert_non_null(strstr(d.data, "error: storage state_check \"yes\": the "
                                   "CHECK would take 62974 bytes, more than "
                                   "MariaDB accepts (64 KB)"));
    smc_buf_free(&d);
    assert_int_equal(compile_big(900, "", &d, &schema), 0);
    assert_int_equal(d.len, 0);
    assert_true(schema & SM_SCHEMA_STATE_CHECK);
    smc_buf_free(&d);
}

/* Two errors, reported in full; the undeclared target is still a way
 * out of a, so a gets no warning. */
static void test_errors(void **state)
{
    (void)state;
    static const char bad[] =
        "machine m {\n  state a;\n  transition a -> b;\n}\n";
    smc_arena *a = smc_arena_new();
    smc_buf d;
    smc_buf_init(&d);
    smc_unit *u = NULL;
    assert_int_equal(smc_compile(a, "b.sm", bad, strlen(bad), NULL, &d, &u), 2);
    assert_null(u);
    assert_string_equal(
        d.data, "b.sm:1:9: error: machine 'm' has no initial state\n"
                "machine m {\n        ^\n"
                "b.sm:2:3: note: mark 'a' initial if the machine starts there\n"
                "  state a;\n  ^~~~~\n  initial \n"
                "b.sm:3:19: error: undeclared state 'b'\n"
                "  transition a -> b;\n                  ^\n");
    smc_buf_free(&d);
    smc_arena_free(a);
}

/* Compile src with opt; the error count, the diagnostics in *d. */
static int compile(const char *src, size_t len, const smc_options *opt,
                   smc_buf *d)
{
    smc_arena *a = smc_arena_new();
    smc_unit *u = NULL;
    smc_buf_init(d);
    int n = smc_compile(a, "t.sm", src, len, opt, d, &u);
    smc_arena_free(a);
    return n;
}

/* n lines "transition a -> xI;" in a machine: n undeclared states. */
static char *undeclared(int n)
{
    static char buf[8192];
    int o = snprintf(buf, sizeof buf,
                     "machine m {\n initial state a;\n final state b;\n"
                     " transition a -> b;\n");
    for (int i = 0; i < n; i++)
        o += snprintf(buf + o, sizeof buf - (size_t)o,
                      " transition a -> x%d;\n", i);
    snprintf(buf + o, sizeof buf - (size_t)o, "}\n");
    return buf;
}

/* Count the lines of d that contain s. */
static int count(const smc_buf *d, const char *s)
{
    int n = 0;
    for (const char *p = d->data; p && (p = strstr(p, s)); p++)
        n++;
    return n;
}

/* NULL options: 20 errors shown, then how many more; all are counted. */
static void test_error_limit(void **state)
{
    (void)state;
    smc_buf d;
    const char *src = undeclared(25);
    assert_int_equal(compile(src, strlen(src), NULL, &d), 25);
    assert_int_equal(count(&d, ": error: undeclared state"), 20);
    assert_non_null(strstr(d.data, "t.sm: note: 5 more errors not shown "
                                   "(-ferror-limit=20; 0 shows all)\n"));
    smc_buf_free(&d);
    smc_options o = {.error_limit = 0};
    assert_int_equal(compile(src, strlen(src), &o, &d), 25);
    assert_int_equal(count(&d, ": error: undeclared state"), 25);
    assert_null(strstr(d.data, "not shown"));
    smc_buf_free(&d);
}

/*
 * A diagnostic on a 100 KB line shows a window of it, so its size does
 * not grow with the line: 20,000 errors on one line stay small.
 */
static void test_long_line(void **state)
{
    (void)state;
    size_t n = 100000;
    char *src = malloc(n + 1);
    assert_non_null(src);
    for (size_t i = 0; i < n; i += 5)
        memcpy(src + i, "$ $ ;", 5);
    src[n] = '\0';
    smc_buf d;
    smc_options o = {.error_limit = 0};
    assert_int_equal(compile(src, n, &o, &d), 40000);
    assert_true(d.len < 40000 * 400);
    assert_non_null(strstr(d.data, "t.sm:1:99998: error: stray '$' in program\n"
                                   "...$ ;$ $ ;$ $ ;"));
    smc_buf_free(&d);
    free(src);
}

/* A line of at most 160 bytes is shown whole, wherever the caret is. */
static void test_short_line(void **state)
{
    (void)state;
    char src[200], want[400];
    snprintf(src, sizeof src, "machine m { initial final state a; }%120s$\n",
             "");
    snprintf(want, sizeof want,
             "t.sm:1:157: error: stray '$' in program\n%.157s\n%156s^\n", src,
             "");
    smc_buf d;
    assert_int_equal(compile(src, strlen(src), NULL, &d), 1);
    assert_string_equal(d.data, want);
    smc_buf_free(&d);
}

/* "\r" alone and "\r\n" each end one line; NUL and CR never print raw. */
static void test_line_ends(void **state)
{
    (void)state;
    static const char cr[] = "machine m {\r initial state a;\r\n"
                             " final state b;\r transition a -> c;\r}\r";
    smc_buf d;
    assert_int_equal(compile(cr, strlen(cr), NULL, &d), 1);
    assert_string_equal(d.data, "t.sm:4:18: error: undeclared state 'c'\n"
                                " transition a -> c;\n"
                                "                 ^\n");
    smc_buf_free(&d);
    static const char nul[] = "machine m {\0 initial final state a; }";
    assert_int_equal(compile(nul, sizeof nul - 1, NULL, &d), 1);
    assert_string_equal(d.data, "t.sm:1:12: error: stray '\\x00' in program\n"
                                "machine m {\\x00 initial final state a; }\n"
                                "           ^~~~\n");
    smc_buf_free(&d);
}

/* JSON: objects separated by ",\n", no brackets (the caller's). */
static void test_json_fragment(void **state)
{
    (void)state;
    smc_buf d;
    smc_options o = {.error_limit = 20, .format = SMC_DIAG_JSON};
    const char *src = undeclared(2);
    assert_int_equal(compile(src, strlen(src), &o, &d), 2);
    assert_int_equal(d.data[0], '{');
    assert_int_equal(count(&d, "},\n{\"kind\": \"error\""), 1);
    assert_int_equal(d.data[d.len - 1], '}');
    smc_buf_free(&d);
}

/*
 * A path's control bytes, DEL included, are escaped alike in the JSON
 * diagnostics and in --emit json: both go through one string writer.
 */
static void test_json_escapes(void **state)
{
    (void)state;
    static const char path[] = "d/a\"\\\t\x7f.sm";
    static const char bad[] =
        "machine m { initial final state a; final state a; }";
    static const char good[] = "machine m { initial final state a; }";
    smc_options o = {.format = SMC_DIAG_JSON};
    smc_arena *a = smc_arena_new();
    smc_buf d, j;
    smc_buf_init(&d);
    smc_buf_init(&j);
    smc_unit *u = NULL;
    assert_int_equal(smc_compile(a, path, bad, strlen(bad), &o, &d, &u), 1);
    assert_int_equal(count(&d, "\"file\": \"d/a\\\"\\\\\\u0009\\u007f.sm\""),
                     6);
    assert_int_equal(smc_compile(a, path, good, strlen(good), &o, &d, &u), 0);
    assert_int_equal(smc_emit(&j, u, SMC_EMIT_JSON), 0);
    assert_int_equal(count(&j, "\"source\": \"a\\\"\\\\\\u0009\\u007f.sm\""),
                     1);
    smc_buf_free(&d);
    smc_buf_free(&j);
    smc_arena_free(a);
}

/* An input over INT_MAX bytes (flex counts in int) is refused before a
 * byte of it is read: len lies here, the buffer is tiny. */
static void test_too_long(void **state)
{
    (void)state;
    smc_arena *a = smc_arena_new();
    smc_buf d;
    smc_buf_init(&d);
    smc_unit *u = NULL;
    size_t len = (size_t)INT_MAX + 1;
    assert_int_equal(smc_compile(a, "big.sm", "x", len, NULL, &d, &u), 1);
    assert_null(u);
    assert_string_equal(d.data, "big.sm: error: input is 2147483648 bytes; "
                                "the limit is 2147483647\n");
    smc_buf_free(&d);
    smc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_model_renames),
        cmocka_unit_test(test_check_too_big),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_short_line),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_json_fragment),
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
