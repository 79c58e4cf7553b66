/*
 * compile.c - smc_compile: scan and parse into the raw AST, then check
 * it into the model. No stdio, no exit: everything goes to the sink.
 */
#include "smcc.h"

#include "ast.h"
#include "diag.h"
#include "sema.h"
#include "sm.tab.h"
#include "sm.lex.h"

int smc_compile(smc_arena *a, const char *path, const char *src, size_t len,
                const smc_options *opt, smc_buf *diag, smc_unit **out)
{
    smc_diag d = {.out = diag, .path = path, .src = src, .len = len};
    d.werror = opt && opt->werror;
    d.no_warnings = opt && opt->no_warnings;
    smc_pctx ctx = {.a = a, .d = &d, .line = 1, .col = 1};
    yyscan_t sc;
    *out = NULL;
    if (yylex_init_extra(&ctx, &sc))
        return -1;
    YY_BUFFER_STATE b = yy_scan_bytes(src, (int)len, sc);
    int rc = yyparse(sc, &ctx);
    yy_delete_buffer(b, sc);
    yylex_destroy(sc);
    if (rc == 2)
        return -1;
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
