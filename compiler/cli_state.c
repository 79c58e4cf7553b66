/*
 * cli_state.c - `smcc state` and `smcc history`: one parent's machine
 * opened through libsm (the def built from the .sm), its current state
 * or its rows, as a readable table or JSON. Exit 0, 1 when the history
 * holds a state the machine does not know (SM_E_SCHEMA, its message
 * naming the row), 2 usage, input or database errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_db.h"
#include "emit_util.h"
#include "table.h"

static void state_usage(FILE *f)
{
    fputs("usage: smcc state [options] FILE.sm PARENT\n"
          "  --url URL      the database, mysql://... (default: $SMCC_URL)\n"
          "  --machine M    the machine, when FILE.sm has several\n"
          "  --json         JSON instead of text\n"
          "  --help\n"
          "exit status: 0 success, 1 the history holds a state the machine\n"
          "does not know, 2 usage, input or database error\n",
          f);
}

static void history_usage(FILE *f)
{
    fputs("usage: smcc history [options] FILE.sm PARENT\n"
          "  --url URL      the database, mysql://... (default: $SMCC_URL)\n"
          "  --machine M    the machine, when FILE.sm has several\n"
          "  --json         JSON instead of a table\n"
          "  --help\n"
          "exit status: 0 success, 1 the history holds a state the machine\n"
          "does not know, 2 usage, input or database error\n",
          f);
}

/* Parse argv into c (FILE.sm PARENT): -1 to go on, else the status. */
static int one_parent_args(smc_db_cli *c, int argc, char **argv,
                           void (*usage)(FILE *f))
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        }
        int r = smc_db_option(c, argc, argv, &i);
        if (r < 0)
            return 2;
        if (!r && !smc_db_positional(c, argv, &i)) {
            fprintf(stderr, "smcc %s: error: unknown option '%s'\n", c->cmd,
                    argv[i]);
            usage(stderr);
            return 2;
        }
    }
    return smc_db_usage(c, c->npos != 2 ? "wants FILE.sm and PARENT" : NULL,
                        usage);
}

/* The parent's machine opened into *m: 0, 1 (SM_E_SCHEMA) or 2, after
 * a message. */
static int open_parent(smc_db_cli *c, sm_machine **m, int64_t *parent)
{
    if (!smc_db_parent(c, c->pos[1], parent))
        return 2;
    sm_status st = sm_machine_open(m, &c->def, c->store, *parent, NULL);
    if (st == SM_OK)
        return 0;
    smc_db_fail(c, "%s", sm_store_errmsg(c->store));
    return st == SM_E_SCHEMA ? 1 : 2;
}

/* The state name, with " (stored as OLD)" when the row holds an old one. */
static void put_state(smc_buf *out, const sm_def *d, int s, const char *was)
{
    smc_buf_puts(out, s < 0 ? "-" : sm_def_state_name(d, s));
    if (was)
        smc_buf_printf(out, " (stored as %s)", was);
}

/* The targets the machine declares from its current state. */
static void put_next(smc_buf *out, sm_machine *m, const sm_def *d, bool json)
{
    size_t n = 0;
    sm_allowed_transitions(m, NULL, 0, &n, NULL);
    int *next = malloc((n ? n : 1) * sizeof *next);
    if (!next) {
        out->failed = true;
        return;
    }
    sm_allowed_transitions(m, next, n, &n, NULL);
    smc_buf_puts(out, json ? "[" : n ? "" : "(none)");
    for (size_t i = 0; i < n; i++) {
        smc_buf_puts(out, i ? ", " : "");
        if (json)
            smc_emit_json_str(out, sm_def_state_name(d, next[i]));
        else
            smc_buf_puts(out, sm_def_state_name(d, next[i]));
    }
    smc_buf_puts(out, json ? "]" : "");
    free(next);
}

/* What a printer sees: the parent's machine, its history, its id. */
typedef struct shown {
    sm_machine *m;
    int64_t parent;
    const sm_transition *h; /* rows[0..n) */
    size_t n;
    int state;
    const sm_transition *last; /* NULL: no history */
} shown;

static void state_text(smc_buf *out, const smc_db_cli *c, const shown *p)
{
    char t[32];
    int s = p->state;
    const sm_transition *last = p->last;
    smc_buf_printf(out, "machine  %s\nparent   %lld\nstate    ", c->def.name,
                   (long long)p->parent);
    put_state(out, &c->def, s, last ? last->to_was : NULL);
    if (c->def.state_flags[s] & SM_STATE_RETIRED)
        smc_buf_puts(out, " (retired)");
    if (last)
        smc_buf_printf(out, "\nsince    %s\nrow      %lld (sort_key %d)",
                       smc_db_time(t, last->created_at_us), (long long)last->id,
                       (int)last->sort_key);
    else
        smc_buf_puts(out, "\nsince    -\nrow      -");
    smc_buf_printf(out, "\nrows     %zu\nnext     ", p->n);
    put_next(out, p->m, &c->def, false);
    smc_buf_puts(out, "\n");
}

static void state_json(smc_buf *out, const smc_db_cli *c, const shown *p)
{
    char t[32];
    int s = p->state;
    const sm_transition *last = p->last;
    smc_buf_puts(out, "{\"machine\": ");
    smc_emit_json_str(out, c->def.name);
    smc_buf_printf(out,
                   ", \"parent\": %lld, \"state\": ", (long long)p->parent);
    smc_emit_json_str(out, sm_def_state_name(&c->def, s));
    smc_buf_puts(out, ", \"stored_as\": ");
    smc_emit_json_str(out, last ? last->to_was : NULL);
    smc_buf_printf(out, ", \"retired\": %s, \"since\": ",
                   c->def.state_flags[s] & SM_STATE_RETIRED ? "true" : "false");
    smc_emit_json_str(out, last ? smc_db_time(t, last->created_at_us) : NULL);
    if (last)
        smc_buf_printf(out, ", \"row\": %lld, \"sort_key\": %d",
                       (long long)last->id, (int)last->sort_key);
    else
        smc_buf_puts(out, ", \"row\": null, \"sort_key\": null");
    smc_buf_printf(out, ", \"rows\": %zu, \"next\": ", p->n);
    put_next(out, p->m, &c->def, true);
    smc_buf_puts(out, "}\n");
}

/* One row's cells: row, sort_key, from, to, most_recent, created_at,
 * metadata. */
static bool history_row(smc_table *t, const sm_def *d, const sm_transition *r)
{
    char id[24], sk[16], at[32];
    smc_buf from, to;
    smc_buf_init(&from), smc_buf_init(&to);
    put_state(&from, d, r->from_state, r->from_was);
    put_state(&to, d, r->to_state, r->to_was);
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    snprintf(sk, sizeof sk, "%d", (int)r->sort_key);
    const char *cells[] = {id,
                           sk,
                           from.data ? from.data : "",
                           to.data ? to.data : "",
                           r->most_recent ? "yes" : "",
                           smc_db_time(at, r->created_at_us),
                           r->metadata};
    bool ok = smc_buf_ok(&from) && smc_buf_ok(&to);
    if (ok)
        smc_table_add(t, cells);
    smc_buf_free(&from), smc_buf_free(&to);
    return ok;
}

static void history_text(smc_buf *out, const smc_db_cli *c, const shown *p)
{
    const sm_transition *h = p->h;
    size_t n = p->n;
    int64_t parent = p->parent;
    int state = p->state;
    static const char *const heads[] = {"row",     "sort_key",    "from",
                                        "to",      "most_recent", "created_at",
                                        "metadata"};
    smc_buf_printf(out, "%s %lld: %s, %zu %s\n", c->def.name, (long long)parent,
                   sm_def_state_name(&c->def, state), n,
                   n == 1 ? "row" : "rows");
    if (!n)
        return;
    smc_table *t = smc_table_new(7, heads, "rrlllll");
    for (size_t i = 0; i < n; i++)
        if (!history_row(t, &c->def, &h[i]))
            out->failed = true;
    smc_table_done(out, t, "");
}

/* A state as JSON: its name, and the old name the row holds, if any. */
static void json_state(smc_buf *out, const char *key, const sm_def *d, int s,
                       const char *was)
{
    smc_buf_printf(out, ", \"%s\": ", key);
    smc_emit_json_str(out, sm_def_state_name(d, s));
    smc_buf_printf(out, ", \"%s_stored_as\": ", key);
    smc_emit_json_str(out, was);
}

static void history_json(smc_buf *out, const smc_db_cli *c, const shown *p)
{
    const sm_transition *h = p->h;
    size_t n = p->n;
    int64_t parent = p->parent;
    int state = p->state;
    char at[32];
    smc_buf_puts(out, "{\"machine\": ");
    smc_emit_json_str(out, c->def.name);
    smc_buf_printf(out, ", \"parent\": %lld, \"state\": ", (long long)parent);
    smc_emit_json_str(out, sm_def_state_name(&c->def, state));
    smc_buf_puts(out, ", \"rows\": [");
    for (size_t i = 0; i < n; i++) {
        const sm_transition *r = &h[i];
        smc_buf_printf(out, "%s\n  {\"id\": %lld, \"sort_key\": %d",
                       i ? "," : "", (long long)r->id, (int)r->sort_key);
        json_state(out, "from", &c->def, r->from_state, r->from_was);
        json_state(out, "to", &c->def, r->to_state, r->to_was);
        smc_buf_printf(out, ", \"most_recent\": %s, \"created_at\": ",
                       r->most_recent ? "true" : "false");
        smc_emit_json_str(out, smc_db_time(at, r->created_at_us));
        smc_buf_puts(out, ", \"metadata\": ");
        smc_emit_json_str(out, r->metadata);
        smc_buf_puts(out, "}");
    }
    smc_buf_puts(out, n ? "\n]}\n" : "]}\n");
}

typedef void (*printer)(smc_buf *out, const smc_db_cli *c, const shown *p);

/* state and history: parse, open the parent's machine, print it. */
static int one_parent(smc_db_cli *c, int argc, char **argv,
                      void (*usage)(FILE *f), printer text, printer json)
{
    int st = one_parent_args(c, argc, argv, usage);
    if (st >= 0)
        return st;
    shown p = {NULL, 0, NULL, 0, 0, NULL};
    st = smc_db_open(c);
    if (!st)
        st = open_parent(c, &p.m, &p.parent);
    if (!st) {
        sm_history(p.m, &p.h, &p.n);
        p.state = sm_current_state(p.m);
        p.last = sm_last_transition(p.m);
        smc_buf out;
        smc_buf_init(&out);
        (c->json ? json : text)(&out, c, &p);
        st = smc_cli_write(c->cmd, &out);
        smc_buf_free(&out);
    }
    sm_machine_close(p.m);
    smc_db_close(c);
    return st;
}

int smc_cli_state(int argc, char **argv)
{
    smc_db_cli c = {.cmd = "state"};
    return one_parent(&c, argc, argv, state_usage, state_text, state_json);
}

int smc_cli_history(int argc, char **argv)
{
    smc_db_cli c = {.cmd = "history"};
    return one_parent(&c, argc, argv, history_usage, history_text,
                      history_json);
}
