/*
 * compile.c - smc_compile: scan and parse into the raw AST, then check
 * it into the model. No stdio, no exit: everything goes to the sink,
 * and the scanner's fatal path comes back here as a status.
 */
#include "smcc.h"

#include <limits.h>
#include <setjmp.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "sema.h"
#include "sm.tab.h"
#include "sm.lex.h"

/*
 * Scan and parse src into ctx->file. Returns 0, 1 after syntax errors
 * (reported), -1 when memory ran out, -2 when flex failed for another
 * reason (ctx->fatal_msg). Everything the scanner and parser allocate
 * is in the arena, so the longjmp back from scan_fatal (sm.l) leaks
 * nothing and needs no scanner clean-up.
 */
static int parse(smc_pctx *ctx, const char *src, size_t len)
{
    jmp_buf fatal;
    yyscan_t sc;
    ctx->fatal = &fatal;
    if (setjmp(fatal)) {
        ctx->fatal = NULL;
        return strstr(ctx->fatal_msg, "out of dynamic memory") ? -1 : -2;
    }
    if (yylex_init_extra(ctx, &sc))
        return -1;
    YY_BUFFER_STATE b = yy_scan_bytes(src, (int)len, sc);
    int rc = yyparse(sc, ctx);
    yy_delete_buffer(b, sc);
    yylex_destroy(sc);
    ctx->fatal = NULL;
    return rc == 2 ? -1 : rc;
}

int smc_compile(smc_arena *a, const char *path, const char *src, size_t len,
                const smc_options *opt, smc_buf *diag, smc_unit **out)
{
    *out = NULL;
    if (len > INT_MAX) { /* flex counts in int */
        smc_buf_printf(diag,
                       "%s: error: input is %zu bytes; the limit is %d\n",
                       path, len, INT_MAX);
        return smc_buf_ok(diag) ? 1 : -1;
    }
    smc_diag d = {.out = diag, .path = path, .src = src, .len = len};
    d.werror = opt && opt->werror;
    d.no_warnings = opt && opt->no_warnings;
    smc_pctx ctx = {.a = a, .d = &d, .line = 1, .col = 1};
    int rc = parse(&ctx, src, len);
    if (rc == -1)
        return -1;
    if (rc == -2)
        smc_diag_error(&d, (smc_loc){ctx.line, ctx.col}, "scanner: %s",
                       ctx.fatal_msg);
    if (rc == 1 && !d.errors)
        smc_diag_error(&d, (smc_loc){ctx.line, ctx.col}, "syntax error");
    if (!ctx.file && !d.errors)
        smc_diag_error(&d, (smc_loc){1, 1}, "no machine in file");
    smc_unit *u = smc_sema_check(a, &d, path, ctx.file);
    if (!u)
        return -1;
    if (!smc_buf_ok(diag))
        return -1;
    if (!d.errors)
        *out = u;
    return d.errors;
}
