/*
 * cli_util.c - what smcc's subcommands share (cli.h): numbers from the
 * command line, compiling an input quietly, writing the result.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "input.h"
#include "smcc.h"

bool smc_cli_number(const char *cmd, const char *opt, const char *s, long lo,
                    long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s && !*end && v >= lo && v <= hi) {
        *out = v;
        return true;
    }
    fprintf(stderr,
            "smcc %s: error: %s wants a number from %ld to %ld, not '%s'\n",
            cmd, opt, lo, hi, s);
    return false;
}

bool smc_cli_compile(smc_arena *a, const char *cmd, const char *path,
                     smc_unit **u)
{
    size_t len = 0;
    char *src = smc_read_input(path, &len);
    if (!src)
        return false;
    smc_buf diag;
    smc_buf_init(&diag);
    smc_options o = {.no_warnings = true, .error_limit = 20};
    int n = smc_compile(a, path, src, len, &o, &diag, u);
    if (diag.len)
        fwrite(diag.data, 1, diag.len, stderr);
    if (n < 0)
        fprintf(stderr, "smcc %s: error: out of memory\n", cmd);
    else if (n > 0)
        fprintf(stderr, "smcc %s: error: '%s' has errors\n", cmd, path);
    smc_buf_free(&diag);
    free(src);
    return n == 0;
}

int smc_cli_write(const char *cmd, const smc_buf *out)
{
    const char *err =
        !smc_buf_ok(out) ? "out of memory"
        : fwrite(out->data ? out->data : "", 1, out->len, stdout) != out->len ||
                fflush(stdout) != 0
            ? "cannot write to standard output"
            : NULL;
    if (err)
        fprintf(stderr, "smcc %s: error: %s\n", cmd, err);
    return err ? 2 : 0;
}
