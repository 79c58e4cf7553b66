/*
 * test_faults.c - the compile pipeline under an allocator that fails its
 * Nth call, for N = 1, 2, ... until a run needs no more: every .sm named
 * on the command line is scanned, parsed, checked and, when clean, put
 * through every emitter, `smcc diff` (report, JSON, migration) and the
 * sm_def builder of smcc's database commands. Each
 * failure must come back as a status (-1 from smc_compile, smc_emit or
 * smc_diff_units, or a failed buffer), never an exit or a crash; everything
 * allocated is freed (counted here, and checked by ASan in that build);
 * a run the failure did not reach gives exactly the fault-free output.
 * Built against smcc_core_faults (SMC_ARENA_CHUNK=0), so each arena
 * allocation is a call of the allocator and the walk reaches it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "def_build.h"
#include "diff.h"
#include "emit.h"
#include "smcc.h"

static long g_calls, g_fail_at, g_live;

static void *f_malloc(size_t n)
{
    if (++g_calls == g_fail_at)
        return NULL;
    void *p = malloc(n);
    g_live += p != NULL;
    return p;
}
static void *f_realloc(void *p, size_t n)
{
    if (++g_calls == g_fail_at)
        return NULL;
    void *q = realloc(p, n);
    g_live += q && !p;
    return q;
}
static void f_free(void *p)
{
    g_live -= p != NULL;
    free(p);
}
static const smc_allocator failing = {f_malloc, f_realloc, f_free};

/* The stages after compiling: every emit kind, then `smcc diff` of the
 * unit with itself (text), from nothing (migration: every table
 * created) and to nothing (JSON: every machine removed). */
enum {
    DIFF_SELF = SMC_EMIT__COUNT,
    DIFF_FROM_NONE,
    DIFF_TO_NONE,
    DEF_BUILD,
    STAGES
};

/* What one run produced: the status and bytes of each stage. */
typedef struct run {
    int compiled; /* smc_compile's result; -2: smc_arena_new failed */
    long compile_calls;
    smc_buf diag;
    int emitted[STAGES]; /* each stage's result (-1 failed); 1: not run */
    long emit_calls[STAGES];
    smc_buf out[STAGES];
} run;

/* Append n int32s as " v v v". */
static void put_ints(smc_buf *out, const int32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        smc_buf_printf(out, " %d", (int)v[i]);
    smc_buf_puts(out, "\n");
}

/* Build every machine's sm_def and write down its tables. */
static int build_defs(smc_arena *a, const smc_unit *u, smc_buf *out)
{
    for (size_t i = 0; i < u->nmachines; i++) {
        sm_def d;
        if (smc_def_build(a, &u->machines[i], &d) != 0) {
            out->failed = true;
            return -1;
        }
        smc_buf_printf(out, "%s %u %u %u\n", d.name, d.nstates, d.nevents,
                       d.naliases);
        put_ints(out, d.state_by_name, d.nstates);
        put_ints(out, d.trans_to, d.trans_index[d.nstates]);
        put_ints(out, d.event_by_name, d.nevents);
        for (uint32_t k = 0; k < d.event_index[d.nevents]; k++)
            smc_buf_printf(out, " %d>%d", (int)d.event_arrows[k].from,
                           (int)d.event_arrows[k].to);
        put_ints(out, d.alias_states, d.naliases);
    }
    return smc_buf_ok(out) ? 0 : -1;
}

/* Stage k of unit u into out: 0, or -1 when memory ran out. */
static int stage(smc_arena *a, const smc_unit *u, int k, smc_buf *out)
{
    static const smc_unit none = {"none.sm", NULL, 0};
    smc_diff *d = NULL;
    if (k < SMC_EMIT__COUNT)
        return smc_emit(out, u, (smc_emit_kind)k);
    if (k == DEF_BUILD)
        return build_defs(a, u, out);
    if (smc_diff_units(a, k == DIFF_FROM_NONE ? &none : u,
                       k == DIFF_TO_NONE ? &none : u, &d) != 0) {
        out->failed = true;
        return -1;
    }
    if (k == DIFF_SELF)
        smc_diff_text(out, d);
    else if (k == DIFF_FROM_NONE)
        smc_emit_migration(out, d, 0, 100);
    else
        smc_diff_json(out, d);
    return smc_buf_ok(out) ? 0 : -1;
}

/* Compile src and run every stage, failing allocation n (0: none). */
static void run_once(run *r, const char *path, const char *src, size_t len,
                     long n)
{
    memset(r, 0, sizeof *r);
    g_calls = 0;
    g_fail_at = n;
    smc_arena *a = smc_arena_new();
    smc_unit *u = NULL;
    r->compiled = a ? smc_compile(a, path, src, len, NULL, &r->diag, &u) : -2;
    r->compile_calls = g_calls;
    for (int k = 0; k < STAGES; k++) {
        r->emitted[k] = u ? stage(a, u, k, &r->out[k]) : 1;
        r->emit_calls[k] = g_calls;
    }
    smc_arena_free(a);
}

static void run_free(run *r)
{
    smc_buf_free(&r->diag);
    for (int k = 0; k < STAGES; k++)
        smc_buf_free(&r->out[k]);
}

static void assert_same_buf(const smc_buf *x, const smc_buf *y)
{
    assert_int_equal(x->len, y->len);
    if (x->len)
        assert_memory_equal(x->data, y->data, x->len);
}

/* Run r equals the fault-free run ok in every stage. */
static void assert_same_run(const run *r, const run *ok)
{
    assert_int_equal(r->compiled, ok->compiled);
    assert_same_buf(&r->diag, &ok->diag);
    for (int k = 0; k < STAGES; k++) {
        assert_int_equal(r->emitted[k], ok->emitted[k]);
        assert_same_buf(&r->out[k], &ok->out[k]);
    }
}

/* Run r failed allocation g_fail_at: the stage it fell in reports -1,
 * the stages before it match the fault-free run, none after ran. */
static void assert_reported(const run *r, const run *ok)
{
    if (g_fail_at <= r->compile_calls) {
        assert_true(r->compiled == -1 || r->compiled == -2);
        return;
    }
    assert_int_equal(r->compiled, ok->compiled);
    assert_same_buf(&r->diag, &ok->diag);
    int k = 0;
    while (k < STAGES - 1 && r->emit_calls[k] < g_fail_at) {
        assert_same_buf(&r->out[k], &ok->out[k]);
        k++;
    }
    assert_int_equal(r->emitted[k], -1);
    assert_false(smc_buf_ok(&r->out[k]));
}

/* Walk every allocation of one input. */
static void test_walk(void **state)
{
    const char *path = *state;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char src[1 << 20];
    size_t len = fread(src, 1, sizeof src, f);
    assert_true(len < sizeof src);
    fclose(f);

    smc_set_allocator(&failing);
    run ok, r;
    g_live = 0;
    run_once(&ok, path, src, len, 0);
    long kept = g_live; /* ok's buffers */
    assert_true(ok.compiled >= 0);
    bool reached = true;
    long n;
    for (n = 1; reached; n++) {
        run_once(&r, path, src, len, n);
        reached = g_calls >= n;
        if (reached)
            assert_reported(&r, &ok);
        else
            assert_same_run(&r, &ok);
        run_free(&r);
        assert_int_equal(g_live, kept); /* every allocation freed */
    }
    run_free(&ok);
    assert_int_equal(g_live, 0);
    smc_set_allocator(NULL);
    print_message("%s: %ld allocations walked\n", path, n - 2);
}

int main(int argc, char **argv)
{
    struct CMUnitTest *tests = calloc((size_t)argc, sizeof *tests);
    if (!tests || argc < 2)
        return 2;
    for (int i = 1; i < argc; i++)
        tests[i - 1] =
            (struct CMUnitTest){argv[i], test_walk, NULL, NULL, argv[i]};
    int rc = _cmocka_run_group_tests("compiler_faults", tests, (size_t)argc - 1,
                                     NULL, NULL);
    free(tests);
    return rc;
}
