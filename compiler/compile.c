/*
 * compile.c - smc_compile: scan and parse into the raw AST, then check
 * it into the model. No stdio, no exit: everything goes to the sink.
 * Running out of memory anywhere in the front end, and flex's fatal
 * path, unwind to one setjmp here and come back as a status.
 */
#include "smcc.h"

#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "sema.h"
#include "sm.tab.h"
#include "sm.lex.h"

/*
 * Give the scanner the source, copied into the arena with the two NULs
 * flex ends a buffer with. flex also rescans a token from its start at
 * every NUL inside it, so a run of NULs would take quadratic time: the
 * copy has each NUL as \x01 (to every rule both are bytes of no token),
 * and the rules that care look in the source for which it was.
 */
static YY_BUFFER_STATE scan_source(yyscan_t sc, smc_arena *a, const char *src,
                                   size_t len)
{
    char *buf = smc_alloc(a, len + 2); /* zeroed: the two NULs */
    memcpy(buf, src, len);
    for (char *p = memchr(buf, 0, len); p; p = memchr(p, 0, len - (p - buf)))
        *p++ = '\x01';
    return yy_scan_buffer(buf, len + 2, sc);
}

/* Scan, parse and check; *u is the unit. May longjmp to ctx->fatal. */
static void front_end(smc_pctx *ctx, smc_arena *scratch, const char *path,
                      const char *src, size_t len, smc_unit **u)
{
    yyscan_t sc;
    if (yylex_init_extra(ctx, &sc))
        smc_alloc(ctx->a, SIZE_MAX); /* cannot succeed: unwinds */
    YY_BUFFER_STATE b = scan_source(sc, ctx->a, src, len);
    int rc = yyparse(sc, ctx);
    yy_delete_buffer(b, sc);
    yylex_destroy(sc);
    smc_diag *d = ctx->d;
    if (rc != 0 && !d->errors) /* 2: the parser's stack limit */
        smc_diag_error(d, ctx->last, "syntax error");
    if (!ctx->file && !d->errors)
        smc_diag_error(d, (smc_loc){1, 1, 0, 0}, "no machine in file");
    *u = smc_sema_check(ctx->a, scratch, d, path, ctx->file);
}

/*
 * Run front_end under one setjmp: a failed allocation anywhere in it, in
 * the arena or the checker's scratch arena (smc_arena_on_oom), or flex's
 * fatal path (scan_fatal in sm.l) comes back here. Everything it holds
 * is in the two arenas, so the unwind leaks nothing. Returns 0, -1 when
 * memory ran out, -2 after a flex fatal error (ctx->fatal_msg).
 */
static int protected_front_end(smc_pctx *ctx, const char *path, const char *src,
                               size_t len, smc_unit **u)
{
    jmp_buf unwind;
    smc_arena *scratch = smc_arena_new();
    if (!scratch)
        return -1;
    ctx->fatal = &unwind;
    int why = setjmp(unwind);
    if (why == 0) {
        smc_arena_on_oom(ctx->a, &unwind);
        smc_arena_on_oom(scratch, &unwind);
        front_end(ctx, scratch, path, src, len, u);
    }
    smc_arena_on_oom(ctx->a, NULL);
    smc_arena_free(scratch);
    ctx->fatal = NULL;
    return why == 0 ? 0 : why == SMC_ARENA_OOM ? -1 : -2;
}

int smc_compile(smc_arena *a, const char *path, const char *src, size_t len,
                const smc_options *opt, smc_buf *diag, smc_unit **out)
{
    smc_diag d;
    smc_diag_init(&d, diag, path, src, len);
    if (opt) {
        d.werror = opt->werror;
        d.no_warnings = opt->no_warnings;
        d.error_limit = opt->error_limit;
        d.format = opt->format;
    }
    smc_pctx ctx = {.a = a, .d = &d, .line = 1, .col = 1};
    smc_unit *u = NULL;
    *out = NULL;
    int rc = 0;
    if (len > INT_MAX) /* flex counts in int */
        smc_diag_error(&d, (smc_loc){0, 0, 0, 0},
                       "input is %zu bytes; the limit is %d", len, INT_MAX);
    else
        rc = protected_front_end(&ctx, path, src, len, &u);
    if (rc == -2)
        smc_diag_error(&d, (smc_loc){ctx.line, ctx.col, ctx.off, ctx.off},
                       "scanner: %s", ctx.fatal_msg);
    smc_diag_finish(&d);
    if (rc == -1 || (rc == 0 && !u && len <= INT_MAX) || !smc_buf_ok(diag))
        return -1;
    if (!d.errors)
        *out = u;
    return d.errors;
}
