/*
 * fuzz_compile.c - libFuzzer target over the whole compile pipeline:
 * the input bytes are a .sm file; it is scanned, parsed and checked, its
 * diagnostics written as text (with smcc's default error limit) and as
 * JSON (limit 50), and when it checks cleanly every emitter runs. The
 * JSON must parse; crashes, leaks and UB are what the sanitizers report,
 * and run.sh's -timeout and -rss_limit_mb catch unbounded time or memory.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
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

/* Compile once with opt; abort if JSON output does not parse. */
static void compile(const uint8_t *data, size_t size, const smc_options *opt)
{
    smc_arena *a = smc_arena_new();
    smc_buf diag;
    smc_unit *u = NULL;
    if (!a)
        return;
    smc_buf_init(&diag);
    if (opt->format == SMC_DIAG_JSON)
        smc_buf_puts(&diag, "[");
    int errors =
        smc_compile(a, "fuzz.sm", (const char *)data, size, opt, &diag, &u);
    if (opt->format == SMC_DIAG_JSON) {
        smc_buf_puts(&diag, "]");
        const char *end = smc_buf_ok(&diag) ? json_value(diag.data) : "";
        if (!end || *json_space(end))
            abort();
    }
    if (errors == 0 && u && opt->format == SMC_DIAG_TEXT)
        fuzz_emit_all(u);
    smc_buf_free(&diag);
    smc_arena_free(a);
}

/* One input, as smcc reads it by default and in JSON. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smc_options text = {.error_limit = 20, .format = SMC_DIAG_TEXT};
    smc_options json = {.error_limit = 50, .format = SMC_DIAG_JSON};
    compile(data, size, &text);
    compile(data, size, &json);
    return 0;
}
