/*
 * fuzz_compile.c - libFuzzer target over the whole compile pipeline:
 * the input bytes are a .sm file; it is scanned, parsed and checked
 * with smcc's default error limit, and when that succeeds every emitter
 * runs and `smcc diff` compares it with itself (no change allowed) and,
 * split at a line "%%", its first half with its second. Its diagnostics
 * are also written as JSON (limit 50), which must parse. Crashes, leaks
 * and UB are what the sanitizers report, and run.sh's -timeout and
 * -rss_limit_mb catch unbounded time or memory.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diff.h"
#include "emit.h"
#include "smcc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run every emitter over a checked unit, each into its own buffer. */
static void fuzz_emit_all(const smc_unit *u)
{
    for (int k = 0; k < SMC_EMIT__COUNT; k++) {
        smc_buf b;
        smc_buf_init(&b);
        smc_emit(&b, u, (smc_emit_kind)k);
        smc_buf_free(&b);
    }
}

/* Diff old with new and write the report, its JSON and the migration.
 * A unit diffed with itself must show no change: abort() if it does. */
static void fuzz_diff(smc_arena *a, const smc_unit *old, const smc_unit *new)
{
    smc_diff *d = NULL;
    if (smc_diff_units(a, old, new, &d) != 0)
        return;
    for (size_t i = 0; old == new &&i < d->nmachines; i++)
        if (d->machines[i].nchanges)
            abort();
    smc_buf b;
    smc_buf_init(&b);
    smc_diff_text(&b, d);
    smc_diff_json(&b, d);
    smc_emit_migration(&b, d, 0, 2);
    smc_buf_free(&b);
}

static const char *json_value(const char *p);

static const char *json_space(const char *p)
{
    while (*p == ' ' || *p == '\n')
        p++;
    return p;
}

/* A JSON string at p; the byte after it, or NULL. */
static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        unsigned char c = (unsigned char)*p++;
        if (c < 0x20)
            return NULL; /* a raw control byte, or the end of the text */
        if (c != '\\')
            continue;
        c = (unsigned char)*p++;
        if (c == 'u') {
            for (int i = 0; i < 4; i++)
                if (!isxdigit((unsigned char)*p++))
                    return NULL;
        } else if (!c || !strchr("\"\\/bfnrt", c)) {
            return NULL;
        }
    }
    return p + 1;
}

/* Members of an object or elements of an array up to `close`. */
static const char *json_items(const char *p, char close, bool keys)
{
    p = json_space(p);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (keys) {
            p = json_string(json_space(p));
            if (!p || *(p = json_space(p)) != ':')
                return NULL;
            p++;
        }
        p = json_value(p);
        if (!p)
            return NULL;
        p = json_space(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

/* The JSON value at p (the subset smcc writes); the byte after, or NULL. */
static const char *json_value(const char *p)
{
    p = json_space(p);
    if (*p == '{')
        return json_items(p + 1, '}', true);
    if (*p == '[')
        return json_items(p + 1, ']', false);
    if (*p == '"')
        return json_string(p);
    if (!strncmp(p, "false", 5))
        return p + 5;
    if (*p < '0' || *p > '9')
        return NULL;
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

/* The input's diagnostics as JSON, in an arena of their own: abort() if
 * they do not parse as one array. */
static void fuzz_json(const char *src, size_t n)
{
    smc_options opt = {.error_limit = 50, .format = SMC_DIAG_JSON};
    smc_arena *a = smc_arena_new();
    smc_buf diag;
    smc_unit *u = NULL;
    if (!a)
        return;
    smc_buf_init(&diag);
    smc_buf_puts(&diag, "[");
    smc_compile(a, "fuzz.sm", src, n, &opt, &diag, &u);
    smc_buf_puts(&diag, "]");
    const char *end = smc_buf_ok(&diag) ? json_value(diag.data) : "";
    if (!end || *json_space(end))
        abort();
    smc_buf_free(&diag);
    smc_arena_free(a);
}

/* Compile n bytes at src into *u; true when it checked cleanly. */
static bool fuzz_compile(smc_arena *a, const char *src, size_t n, smc_unit **u)
{
    smc_options opt = {.error_limit = 20, .format = SMC_DIAG_TEXT};
    smc_buf diag;
    smc_buf_init(&diag);
    int errors = smc_compile(a, "fuzz.sm", src, n, &opt, &diag, u);
    smc_buf_free(&diag);
    return errors == 0 && *u;
}

/*
 * One input, in a fresh arena freed after: compiled, emitted every way
 * and diffed with itself. An input with a line "%%" is also two
 * versions of a file, before and after it, diffed as `smcc diff` would.
 * Then its diagnostics are checked as JSON.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data, *cut = NULL;
    smc_arena *a = smc_arena_new();
    smc_unit *u = NULL, *v = NULL;
    if (!a)
        return 0;
    if (fuzz_compile(a, src, size, &u)) {
        fuzz_emit_all(u);
        fuzz_diff(a, u, u);
    }
    for (size_t i = 0; i + 4 <= size && !cut; i++)
        if (!memcmp(src + i, "\n%%\n", 4))
            cut = src + i;
    if (cut && fuzz_compile(a, src, (size_t)(cut - src) + 1, &u) &&
        fuzz_compile(a, cut + 4, size - (size_t)(cut - src) - 4, &v))
        fuzz_diff(a, u, v);
    smc_arena_free(a);
    fuzz_json(src, size);
    return 0;
}
