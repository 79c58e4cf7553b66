/*
 * compile.c - smc_compile: scan and parse into the raw AST, then check
 * it into the model. No stdio, no exit: everything goes to the sink.
 * Running out of memory anywhere in the front end, and flex's fatal
 * path, unwind to one setjmp here and come back as a status.
 */
#include "smcc.h"

#include <limits.h>
#include <stdint.h>
#include <setjmp.h>

#include "ast.h"
#include "diag.h"
#include "sema.h"
#include "sm.tab.h"
#include "sm.lex.h"

/* Scan, parse and check; *u is the unit (NULL only if sema ran out of
 * scratch memory). May longjmp to ctx->fatal. */
static void front_end(smc_pctx *ctx, const char *path, const char *src,
                      size_t len, smc_unit **u)
{
    yyscan_t sc;
    if (yylex_init_extra(ctx, &sc))
        smc_alloc(ctx->a, SIZE_MAX); /* cannot succeed: unwinds */
    YY_BUFFER_STATE b = yy_scan_bytes(src, (int)len, sc);
    int rc = yyparse(sc, ctx);
    yy_delete_buffer(b, sc);
    yylex_destroy(sc);
    smc_diag *d = ctx->d;
    if (rc != 0 && !d->errors) /* 2: the parser's stack limit */
        smc_diag_error(d, (smc_loc){ctx->line, ctx->col}, "syntax error");
    if (!ctx->file && !d->errors)
        smc_diag_error(d, (smc_loc){1, 1}, "no machine in file");
    *u = smc_sema_check(ctx->a, d, path, ctx->file);
}

/*
 * Run front_end under one setjmp: a failed arena allocation anywhere in
 * it (smc_arena_on_oom) or flex's fatal path (scan_fatal in sm.l) comes
 * back here. Everything it holds is in the arena, so the unwind leaks
 * nothing. Returns 0, -1 when memory ran out, -2 after a flex fatal
 * error (ctx->fatal_msg).
 */
static int protected_front_end(smc_pctx *ctx, const char *path, const char *src,
                               size_t len, smc_unit **u)
{
    jmp_buf unwind;
    ctx->fatal = &unwind;
    int why = setjmp(unwind);
    if (why == 0) {
        smc_arena_on_oom(ctx->a, &unwind);
        front_end(ctx, path, src, len, u);
    }
    smc_arena_on_oom(ctx->a, NULL);
    ctx->fatal = NULL;
    return why == 0 ? 0 : why == SMC_ARENA_OOM ? -1 : -2;
}

int smc_compile(smc_arena *a, const char *path, const char *src, size_t len,
                const smc_options *opt, smc_buf *diag, smc_unit **out)
{
    *out = NULL;
    if (len > INT_MAX) { /* flex counts in int */
        smc_buf_printf(diag, "%s: error: input is %zu bytes; the limit is %d\n",
                       path, len, INT_MAX);
        return smc_buf_ok(diag) ? 1 : -1;
    }
    smc_diag d = {.out = diag, .path = path, .src = src, .len = len};
    d.werror = opt && opt->werror;
    d.no_warnings = opt && opt->no_warnings;
    smc_pctx ctx = {.a = a, .d = &d, .line = 1, .col = 1};
    smc_unit *u = NULL;
    int rc = protected_front_end(&ctx, path, src, len, &u);
    if (rc == -2)
        smc_diag_error(&d, (smc_loc){ctx.line, ctx.col}, "scanner: %s",
                       ctx.fatal_msg);
    if (rc == -1 || (rc == 0 && !u) || !smc_buf_ok(diag))
        return -1;
    if (!d.errors)
        *out = u;
    return d.errors;
}
