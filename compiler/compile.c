/*
 * compile.c - smc_compile: scan and parse into the raw AST, then check
 * it into the model. No stdio, no exit: everything goes to the sink.
 */
#include "smcc.h"

#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "sema.h"
#include "sm.tab.h"
#include "sm.lex.h"

/*
 * The source as the scanner reads it: flex ends its buffers with NUL
 * bytes and rescans a token from its start at every NUL inside it, so a
 * run of NULs would take quadratic time. The scanner gets NULs as \x01
 * (to every rule, both are bytes of no token) and looks in the source
 * for which it was. NULL when src has no NUL (or memory ran out).
 */
static char *nul_free_copy(const char *src, size_t len, bool *oom)
{
    if (!memchr(src, 0, len))
        return NULL;
    char *c = malloc(len);
    *oom = !c;
    for (size_t i = 0; c && i < len; i++)
        c[i] = src[i] ? src[i] : '\x01';
    return c;
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
    yyscan_t sc;
    bool oom = false;
    char *copy = nul_free_copy(src, len, &oom);
    *out = NULL;
    if (oom || yylex_init_extra(&ctx, &sc)) {
        free(copy);
        return -1;
    }
    YY_BUFFER_STATE b = yy_scan_bytes(copy ? copy : src, (int)len, sc);
    int rc = yyparse(sc, &ctx);
    yy_delete_buffer(b, sc);
    yylex_destroy(sc);
    free(copy);
    if (rc == 2)
        return -1;
    if (rc == 1 && !d.errors)
        smc_diag_error(&d, ctx.last, "syntax error");
    if (!ctx.file && !d.errors)
        smc_diag_error(&d, (smc_loc){1, 1, 0, 0}, "no machine in file");
    smc_unit *u = smc_sema_check(a, &d, path, ctx.file);
    if (!u)
        return -1;
    smc_diag_finish(&d);
    if (!smc_buf_ok(diag))
        return -1;
    if (!d.errors)
        *out = u;
    return d.errors;
}
