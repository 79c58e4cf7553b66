/*
 * fuzz_compile.c - libFuzzer target over the whole compile pipeline:
 * the input bytes are a .sm file; it is scanned, parsed and checked,
 * and when that succeeds every emitter runs. Crashes, leaks and UB are
 * what the sanitizers report; the output itself is not checked here.
 */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "emit.h"
#include "smcc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run all five emitters over a checked unit, each into its own buffer. */
static void fuzz_emit_all(const smc_unit *u)
{
    smc_buf b[5];
    for (int i = 0; i < 5; i++)
        smc_buf_init(&b[i]);
    smc_emit_c_header(&b[0], u, "fuzz.sm", "fuzz");
    smc_emit_c_source(&b[1], u, "fuzz.sm", "fuzz");
    smc_emit_dot(&b[2], u, "fuzz.sm");
    smc_emit_sql(&b[3], u, "fuzz.sm");
    smc_emit_json(&b[4], u, "fuzz.sm");
    for (int i = 0; i < 5; i++)
        smc_buf_free(&b[i]);
}

/* One input: a fresh arena and diagnostics buffer, both freed after. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smc_arena *a = smc_arena_new();
    if (!a)
        return 0;
    smc_options opt = {.werror = false, .no_warnings = false};
    smc_buf diag;
    smc_buf_init(&diag);
    smc_unit *u = NULL;
    int errors =
        smc_compile(a, "fuzz.sm", (const char *)data, size, &opt, &diag, &u);
    if (errors == 0 && u)
        fuzz_emit_all(u);
    smc_buf_free(&diag);
    smc_arena_free(a);
    return 0;
}
