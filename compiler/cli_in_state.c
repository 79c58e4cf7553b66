/*
 * cli_in_state.c - `smcc in-state FILE.sm STATE...`: the parents in
 * those states, through libsm's sm_store_in_state, each labelled with
 * its state. A parent in a state the machine does not know fails the
 * query (exit 1, the message naming the first) unless --unknown lists
 * such parents too, so the list is never silently short.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_db.h"
#include "emit_util.h"
#include "table.h"

static void in_state_usage(FILE *f)
{
    fputs("usage: smcc in-state [options] FILE.sm [STATE...]\n"
          "  --url URL      the database, mysql://... (default: $SMCC_URL)\n"
          "  --machine M    the machine, when FILE.sm has several\n"
          "  --unknown      also the parents in states the machine does not\n"
          "                 know (instead of failing)\n"
          "  --limit N      print the first N parents only\n"
          "  --json         JSON instead of a table\n"
          "  --help\n"
          "exit status: 0 success, 1 a parent is in a state the machine does\n"
          "not know (without --unknown), 2 usage, input or database error\n",
          f);
}

typedef struct in_cli {
    smc_db_cli db;
    bool unknown;
    long limit; /* -1: all */
    const char **states;
    int nstates;
} in_cli;

/* One option of in-state's own: -1 to go on, else the exit status. */
static int own_option(in_cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--help")) {
        in_state_usage(stdout);
        return 0;
    }
    if (!strcmp(a, "--unknown")) {
        c->unknown = true;
        return -1;
    }
    if (!strcmp(a, "--limit") && *i + 1 < argc)
        return smc_cli_number("in-state", a, argv[++*i], 0, 1L << 40, &c->limit)
                   ? -1
                   : 2;
    fprintf(stderr, "smcc in-state: error: unknown or incomplete option '%s'\n",
            a);
    in_state_usage(stderr);
    return 2;
}

/* Parse argv into c: -1 to go on, else the exit status. */
static int in_args(in_cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int r = smc_db_option(&c->db, argc, argv, &i);
        if (r < 0)
            return 2;
        if (r)
            continue;
        if (argv[i][0] == '-' && argv[i][1]) {
            if ((r = own_option(c, argc, argv, &i)) >= 0)
                return r;
        } else if (c->db.npos == 0) {
            c->db.pos[c->db.npos++] = argv[i];
        } else {
            c->states[c->nstates++] = argv[i];
        }
    }
    return smc_db_usage(&c->db,
                        !c->db.npos                  ? "wants FILE.sm"
                        : !c->nstates && !c->unknown ? "wants a STATE "
                                                       "(or --unknown)"
                                                     : NULL,
                        in_state_usage);
}

/* The state indexes the arguments name (old names map to their
 * state), each once, then SM_UNKNOWN_STATE when asked: into want[]. */
static int resolve(in_cli *c, int *want, size_t *n)
{
    *n = 0;
    for (int i = 0; i < c->nstates; i++) {
        int s = sm_def_state_lookup(&c->db.def, c->states[i], NULL);
        if (s < 0)
            return smc_db_fail(&c->db, "machine %s has no state '%s'",
                               c->db.def.name, c->states[i]);
        bool seen = false;
        for (size_t k = 0; k < *n; k++)
            seen = seen || want[k] == s;
        if (!seen)
            want[(*n)++] = s;
    }
    if (c->unknown)
        want[(*n)++] = SM_UNKNOWN_STATE;
    return 0;
}

/* The parents in want[0..n) into *ids; 0, 1 (SM_E_SCHEMA) or 2. */
static int query(in_cli *c, const int *want, size_t n, int64_t **ids,
                 size_t *count)
{
    sm_status st =
        sm_store_in_state(c->db.store, &c->db.def, want, n, ids, count);
    if (st == SM_OK)
        return 0;
    smc_db_fail(&c->db, "%s", sm_store_errmsg(c->db.store));
    return st == SM_E_SCHEMA ? 1 : 2;
}

static bool has(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] == id)
            return true;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/*
 * Label each of ids[0..n) (ascending) with its state in label[] (-1: a
 * state the machine does not know). One state asked is every parent's;
 * for several, one query per state, each with SM_UNKNOWN_STATE so that
 * it cannot fail on those, less the parents in unknown states.
 */
static int label_all(in_cli *c, const int *want, size_t nwant,
                     const int64_t *ids, size_t n, int *label)
{
    for (size_t i = 0; i < n; i++)
        label[i] = nwant == 1 && want[0] != SM_UNKNOWN_STATE ? want[0] : -1;
    if (nwant == 1 || !n)
        return 0;
    int q[2] = {SM_UNKNOWN_STATE, SM_UNKNOWN_STATE};
    int64_t *unk = NULL;
    size_t nunk = 0;
    int st = query(c, q, 1, &unk, &nunk);
    for (size_t k = 0; !st && k < nwant && want[k] != SM_UNKNOWN_STATE; k++) {
        int64_t *in = NULL;
        size_t nin = 0;
        q[0] = want[k];
        st = query(c, q, 2, &in, &nin);
        for (size_t i = 0; !st && i < n; i++)
            if (has(in, nin, ids[i]) && !has(unk, nunk, ids[i]))
                label[i] = want[k];
        sm_ids_free(in);
    }
    sm_ids_free(unk);
    return st;
}

static void put_text(smc_buf *out, const in_cli *c, const int64_t *ids,
                     size_t n, size_t shown, const int *label)
{
    static const char *const heads[] = {"parent", "state"};
    smc_table *t = smc_table_new(2, heads, "rl");
    for (size_t i = 0; i < shown; i++) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)ids[i]);
        const char *s = label[i] < 0 ? "(unknown)"
                                     : sm_def_state_name(&c->db.def, label[i]);
        const char *cells[] = {id, s};
        smc_table_add(t, cells);
    }
    smc_table_done(out, t, "");
    if (shown < n)
        smc_buf_printf(out, "%zu of %zu parents (--limit %ld)\n", shown, n,
                       c->limit);
    else
        smc_buf_printf(out, "%zu %s\n", n, n == 1 ? "parent" : "parents");
}

static void put_json(smc_buf *out, const in_cli *c, const int64_t *ids,
                     size_t n, size_t shown, const int *label)
{
    smc_buf_puts(out, "{\"machine\": ");
    smc_emit_json_str(out, c->db.def.name);
    smc_buf_puts(out, ", \"states\": [");
    for (int i = 0; i < c->nstates; i++) {
        smc_buf_puts(out, i ? ", " : "");
        smc_emit_json_str(out, c->states[i]);
    }
    smc_buf_printf(out, "], \"unknown\": %s, \"count\": %zu, \"parents\": [",
                   c->unknown ? "true" : "false", n);
    for (size_t i = 0; i < shown; i++) {
        smc_buf_printf(out, "%s\n  {\"id\": %lld, \"state\": ", i ? "," : "",
                       (long long)ids[i]);
        smc_emit_json_str(out, sm_def_state_name(&c->db.def, label[i]));
        smc_buf_puts(out, "}");
    }
    smc_buf_puts(out, shown ? "\n]}\n" : "]}\n");
}

/* Query, label and print; the exit status. */
static int in_run(in_cli *c)
{
    int *want = malloc(((size_t)c->nstates + 1) * sizeof *want);
    size_t nwant = 0, n = 0;
    int64_t *ids = NULL;
    int *label = NULL;
    int st = want ? resolve(c, want, &nwant) : smc_db_fail(&c->db, "oom");
    if (!st)
        st = query(c, want, nwant, &ids, &n);
    size_t shown = c->limit >= 0 && (size_t)c->limit < n ? (size_t)c->limit : n;
    if (!st && !(label = malloc((shown ? shown : 1) * sizeof *label)))
        st = smc_db_fail(&c->db, "out of memory");
    if (!st)
        st = label_all(c, want, nwant, ids, shown, label);
    if (!st) {
        smc_buf out;
        smc_buf_init(&out);
        (c->db.json ? put_json : put_text)(&out, c, ids, n, shown, label);
        st = smc_cli_write("in-state", &out);
        smc_buf_free(&out);
    }
    sm_ids_free(ids);
    free(want), free(label);
    return st;
}

int smc_cli_in_state(int argc, char **argv)
{
    in_cli c = {.db = {.cmd = "in-state"}, .limit = -1};
    c.states = calloc((size_t)argc + 1, sizeof *c.states);
    if (!c.states)
        return 2;
    int st = in_args(&c, argc, argv);
    if (st < 0) {
        st = smc_db_open(&c.db);
        if (!st)
            st = in_run(&c);
        smc_db_close(&c.db);
    }
    free(c.states);
    return st;
}
