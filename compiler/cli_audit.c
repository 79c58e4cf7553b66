/*
 * cli_audit.c - `smcc audit FILE.sm`: the whole transitions table read
 * through libsm's scan (one query, rows fetched one at a time: memory
 * flat in the table's size), each row judged against the machine (audit.c),
 * then the report (audit_report.c) or the graph with its coverage
 * (emit_dot.c). Exit 0 consistent, 1 problems found, 2 usage, input or
 * database error.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "audit_report.h"
#include "cli.h"
#include "cli_db.h"
#include "emit.h"
#include "scan.h"

static void audit_usage(FILE *f)
{
    fputs("usage: smcc audit [options] FILE.sm\n"
          "  --url URL      the database, mysql://... (default: $SMCC_URL)\n"
          "  --machine M    the machine, when FILE.sm has several\n"
          "  --limit N      show the first N offenders (default 20)\n"
          "  --json         the report as JSON\n"
          "  --emit dot     the machine's graph with the coverage drawn on\n"
          "                 it, instead of the report\n"

          "  --help\n"
          "exit status: 0 the table agrees with the machine, 1 problems\n"
          "found, 2 usage, input or database error\n",
          f);
}

typedef struct audit_cli {
    smc_db_cli db;
    long limit;
    bool dot;
} audit_cli;

/* One option of audit's own: -1 to go on, else the exit status. */
static int own_option(audit_cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (!strcmp(a, "--help")) {
        audit_usage(stdout);
        return 0;
    }
    if (!v || (strcmp(a, "--limit") && strcmp(a, "--emit"))) {
        fprintf(stderr,
                "smcc audit: error: unknown or incomplete option "
                "'%s'\n",
                a);
        audit_usage(stderr);
        return 2;
    }
    ++*i;
    if (!strcmp(a, "--emit") && strcmp(v, "dot")) {
        fprintf(stderr,
                "smcc audit: error: unknown emit kind '%s' (expected dot)\n",
                v);
        return 2;
    }
    c->dot = c->dot || !strcmp(a, "--emit");
    if (!strcmp(a, "--limit"))
        return smc_cli_number("audit", a, v, 0, 1000000, &c->limit) ? -1 : 2;
    return -1;
}

/* Parse argv into c: -1 to go on, else the exit status. */
static int audit_args(audit_cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int r = smc_db_option(&c->db, argc, argv, &i);
        if (r < 0)
            return 2;
        if (!r && !smc_db_positional(&c->db, argv, &i) &&
            (r = own_option(c, argc, argv, &i)) >= 0)
            return r;
    }
    const char *why = c->db.npos != 1 ? "wants one file, FILE.sm"
                      : c->db.json && c->dot
                          ? "--json and --emit dot exclude each other"
                          : NULL;
    return smc_db_usage(&c->db, why, audit_usage);
}

/* Scan the table into a; 0, or 2 after a message. */
static int audit_scan(audit_cli *c, smc_audit *a)
{
    if (!smc_audit_init(a, &c->db.def, (size_t)c->limit))
        return smc_db_fail(&c->db, "out of memory");
    sm_status st = sm_store_scan(c->db.store, &c->db.def, smc_audit_row, a);
    if (st != SM_OK)
        return smc_db_fail(&c->db, "%s", sm_store_errmsg(c->db.store));
    smc_audit_finish(a);
    return 0;
}

/* Print what c asks for: 0 or 1 (problems), 2 when it cannot. */
static int audit_print(audit_cli *c, const smc_audit *a)
{
    smc_buf out;
    smc_buf_init(&out);
    if (c->dot) {
        char what[256];
        snprintf(what, sizeof what, "coverage of %.100s by smcc audit",
                 c->db.def.table);
        smc_emit_dot_coverage(&out, c->db.m, a->taken, what);
    } else if (c->db.json) {
        smc_audit_json(&out, a, c->db.m, c->db.pos[0]);
    } else {
        smc_audit_text(&out, a, c->db.m, c->db.pos[0]);
    }
    int st = smc_cli_write("audit", &out);
    smc_buf_free(&out);
    return st ? st : a->problems ? 1 : 0;
}

int smc_cli_audit(int argc, char **argv)
{
    audit_cli c = {.db = {.cmd = "audit"}, .limit = 20};
    int st = audit_args(&c, argc, argv);
    if (st >= 0)
        return st;
    smc_audit a = {0};
    st = smc_db_open(&c.db);
    if (!st)
        st = audit_scan(&c, &a);
    if (!st)
        st = audit_print(&c, &a);
    smc_audit_free(&a);
    smc_db_close(&c.db);
    return st;
}
