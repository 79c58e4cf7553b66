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
