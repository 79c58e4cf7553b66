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
    long step = c->step;
    if (!strcmp(a, "--step") && !smc_cli_number("diff", a, v, 1, 2, &step))
        return 2;
    c->step = (int)step;
    if (!strcmp(a, "--batch") &&
        !smc_cli_number("diff", a, v, 1, LONG_MAX, &c->batch))
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

/* Compare, then print what c asks for; the exit status. */
static int diff_run(const diff_cli *c, smc_arena *a)
{
    smc_unit *u[2] = {NULL, NULL};
    smc_diff *d = NULL;
    if (!smc_cli_compile(a, "diff", c->paths[0], &u[0]) ||
        !smc_cli_compile(a, "diff", c->paths[1], &u[1]))
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
    if (!d)
        out.failed = true;
    int st = smc_cli_write("diff", &out);
    smc_buf_free(&out);
    return st ? st : d->nbreaking ? 1 : 0;
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
