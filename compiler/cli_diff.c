/*
 * cli_diff.c - `smcc diff [options] OLD.sm NEW.sm`: compile both, compare
 * them (diff.c) and print the report, its JSON, or the migration SQL.
 * Exit 0 compatible, 1 breaking, 2 usage or I/O error or an input with
 * errors (so 1 always means "breaking").
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diff.h"
#include "input.h"
#include "smcc.h"

typedef struct diff_cli {
    const char *paths[2]; /* OLD, NEW */
    int npaths;
    bool json;
    bool migration;
    int step;   /* 0: both, 1, 2 */
    long batch; /* rows per rewrite transaction */
} diff_cli;

static void diff_usage(FILE *f)
{
    fputs("usage: smcc diff [options] OLD.sm NEW.sm\n"
          "  --json            the report as JSON\n"
          "  --emit migration  the migration SQL instead of the report\n"
          "  --step N          with --emit migration: 1 the schema only,\n"
          "                    2 the row rewrites only (default: both)\n"
          "  --batch N         rows per rewrite transaction (default 10000)\n"
          "  --help\n"
          "exit status: 0 compatible, 1 breaking changes, 2 usage or I/O\n"
          "error or an input with errors\n",
          f);
}

/* The number in s, within [lo, hi]; -1 after a message. */
static long number(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s && !*end && v >= lo && v <= hi)
        return v;
    fprintf(stderr,
            "smcc diff: error: %s wants a number from %ld to %ld, "
            "not '%s'\n",
            opt, lo, hi, s);
    return -1;
}

/* One option at argv[*i] (consuming its value); -1 to go on, else the
 * exit status. */
static int diff_option(diff_cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (!strcmp(a, "--help")) {
        diff_usage(stdout);
        return 0;
    }
    if (!strcmp(a, "--json")) {
        c->json = true;
        return -1;
    }
    if (!v ||
        (strcmp(a, "--emit") && strcmp(a, "--step") && strcmp(a, "--batch"))) {
        fprintf(stderr, "smcc diff: error: unknown or incomplete option '%s'\n",
                a);
        diff_usage(stderr);
        return 2;
    }
    ++*i;
    if (!strcmp(a, "--emit") && strcmp(v, "migration")) {
        fprintf(stderr,
                "smcc diff: error: unknown emit kind '%s' (expected "
                "migration)\n",
                v);
        return 2;
    }
    c->migration = c->migration || !strcmp(a, "--emit");
    if (!strcmp(a, "--step") && (c->step = (int)number(a, v, 1, 2)) < 0)
        return 2;
    if (!strcmp(a, "--batch") && (c->batch = number(a, v, 1, LONG_MAX)) < 0)
        return 2;
    return -1;
}

/* Parse argv (after "diff") into c: -1 to go on, else the exit status. */
static int diff_args(diff_cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int st = -1;
        if (argv[i][0] == '-' && argv[i][1])
            st = diff_option(c, argc, argv, &i);
        else if (c->npaths < 2)
            c->paths[c->npaths++] = argv[i];
        else
            c->npaths = 3;
        if (st >= 0)
            return st;
    }
    const char *why = c->npaths != 2 ? "wants two files, OLD.sm and NEW.sm"
                      : c->json && c->migration
                          ? "--json and --emit migration exclude each other"
                      : c->step && !c->migration
                          ? "--step needs --emit migration"
                          : NULL;
    if (!why)
        return -1;
    fprintf(stderr, "smcc diff: error: %s\n", why);
    diff_usage(stderr);
    return 2;
}

/* Compile path into *u (in a), warnings off: a diff is about the
 * history, not style. Returns false after its diagnostics. */
static bool diff_compile(smc_arena *a, const char *path, smc_unit **u)
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
        fprintf(stderr, "smcc diff: error: out of memory\n");
    else if (n > 0)
        fprintf(stderr, "smcc diff: error: '%s' has errors\n", path);
    smc_buf_free(&diag);
    free(src);
    return n == 0;
}

/* Compare, then print what c asks for; the exit status. */
static int diff_run(const diff_cli *c, smc_arena *a)
{
    smc_unit *u[2] = {NULL, NULL};
    smc_diff *d = NULL;
    if (!diff_compile(a, c->paths[0], &u[0]) ||
        !diff_compile(a, c->paths[1], &u[1]))
        return 2;
    smc_buf out;
    smc_buf_init(&out);
    if (smc_diff_units(a, u[0], u[1], &d) == 0) {
        if (c->migration)
            smc_emit_migration(&out, d, c->step, c->batch);
        else if (c->json)
            smc_diff_json(&out, d);
        else
            smc_diff_text(&out, d);
    }
    const char *err =
        !d || !smc_buf_ok(&out) ? "out of memory"
        : fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0
            ? "cannot write to standard output"
            : NULL;
    if (err)
        fprintf(stderr, "smcc diff: error: %s\n", err);
    smc_buf_free(&out);
    return err ? 2 : d->nbreaking ? 1 : 0;
}

int smc_cli_diff(int argc, char **argv)
{
    diff_cli c = {.batch = 10000};
    int st = diff_args(&c, argc, argv);
    if (st >= 0)
        return st;
    smc_arena *a = smc_arena_new();
    st = a ? diff_run(&c, a) : 2;
    smc_arena_free(a);
    return st;
}
