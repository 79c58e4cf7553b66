/*
 * emit_json.c - `smcc --emit json`: the checked model as JSON for other
 * tools. Keys and arrays come out in a fixed order, so the same model
 * always gives the same bytes.
 */
#include "emit.h"
#include "emit_util.h"

/* Append a selector: "*" for NULL, else an array of state names. */
static void put_sel(smc_buf *out, const smc_machine *m, const int *list,
                    size_t n)
{
    size_t i;

    if (!list) {
        smc_buf_puts(out, "\"*\"");
        return;
    }
    smc_buf_puts(out, "[");
    for (i = 0; i < n; i++) {
        smc_buf_puts(out, i ? ", " : "");
        smc_emit_json_str(out, m->states[list[i]].name);
    }
    smc_buf_puts(out, "]");
}

/* Append one {"from": .., "to": ..} pair. */
static void put_pair(smc_buf *out, const smc_machine *m, const smc_trans *t)
{
    smc_buf_puts(out, "{\"from\": ");
    smc_emit_json_str(out, m->states[t->from].name);
    smc_buf_puts(out, ", \"to\": ");
    smc_emit_json_str(out, m->states[t->to].name);
    smc_buf_puts(out, "}");
}

static void put_states(smc_buf *out, const smc_machine *m)
{
    size_t i;

    smc_buf_puts(out, "      \"states\": [");
    for (i = 0; i < m->nstates; i++) {
        smc_buf_puts(out, i ? ",\n" : "\n");
        smc_buf_puts(out, "        {\"name\": ");
        smc_emit_json_str(out, m->states[i].name);
        smc_buf_printf(out,
                       ", \"initial\": %s, \"final\": %s, \"retired\": %s, "
                       "\"was\": [",
                       m->states[i].initial ? "true" : "false",
                       m->states[i].final ? "true" : "false",
                       m->states[i].retired ? "true" : "false");
        for (size_t w = 0; w < m->states[i].nwas; w++) {
            smc_buf_puts(out, w ? ", " : "");
            smc_emit_json_str(out, m->states[i].was[w]);
        }
        smc_buf_puts(out, "]}");
    }
    smc_buf_puts(out, m->nstates ? "\n      ],\n" : "],\n");
}

static void put_trans(smc_buf *out, const smc_machine *m)
{
    size_t i;

    smc_buf_puts(out, "      \"transitions\": [");
    for (i = 0; i < m->ntrans; i++) {
        smc_buf_puts(out, i ? ",\n        " : "\n        ");
        put_pair(out, m, &m->trans[i]);
    }
    smc_buf_puts(out, m->ntrans ? "\n      ],\n" : "],\n");
}

static void put_events(smc_buf *out, const smc_machine *m)
{
    size_t i, a;

    smc_buf_puts(out, "      \"events\": [");
    for (i = 0; i < m->nevents; i++) {
        smc_buf_puts(out, i ? ",\n" : "\n");
        smc_buf_puts(out, "        {\"name\": ");
        smc_emit_json_str(out, m->events[i].name);
        smc_buf_puts(out, ", \"arrows\": [");
        for (a = 0; a < m->events[i].narrows; a++) {
            smc_buf_puts(out, a ? ", " : "");
            put_pair(out, m, &m->events[i].arrows[a]);
        }
        smc_buf_puts(out, "]}");
    }
    smc_buf_puts(out, m->nevents ? "\n      ],\n" : "],\n");
}

static void put_hooks(smc_buf *out, const smc_machine *m)
{
    size_t i;

    smc_buf_puts(out, "      \"hooks\": [");
    for (i = 0; i < m->nhooks; i++) {
        const smc_hook *h = &m->hooks[i];
        smc_buf_printf(out, "%s{\"kind\": \"%s\", \"from\": ",
                       i ? ",\n        " : "\n        ",
                       smc_emit_hook_kind(h->kind));
        put_sel(out, m, h->from, h->nfrom);
        smc_buf_puts(out, ", \"to\": ");
        put_sel(out, m, h->to, h->nto);
        smc_buf_puts(out, ", \"name\": ");
        smc_emit_json_str(out, h->name);
        smc_buf_puts(out, "}");
    }
    smc_buf_puts(out, m->nhooks ? "\n      ],\n" : "],\n");
}

/* Append one machine object (without trailing comma). */
static void put_machine(smc_buf *out, const smc_machine *m)
{
    smc_buf_puts(out, "    {\n      \"name\": ");
    smc_emit_json_str(out, m->name);
    smc_buf_puts(out, ",\n      \"initial\": ");
    smc_emit_json_str(out, m->states[m->initial].name);
    smc_buf_puts(out, ",\n");
    put_states(out, m);
    put_trans(out, m);
    put_events(out, m);
    put_hooks(out, m);
    smc_buf_puts(out, "      \"storage\": {\"table\": ");
    smc_emit_json_str(out, m->table);
    smc_buf_puts(out, ", \"parent_table\": ");
    smc_emit_json_str(out, m->parent_table);
    smc_buf_puts(out, ", \"parent_key\": ");
    smc_emit_json_str(out, m->parent_key);
    smc_buf_printf(out,
                   ",\n                  \"create_parent\": %s, "
                   "\"foreign_key\": %s, \"state_check\": %s}\n    }",
                   m->schema & SM_SCHEMA_PARENT ? "true" : "false",
                   m->schema & SM_SCHEMA_FOREIGN_KEY ? "true" : "false",
                   m->schema & SM_SCHEMA_STATE_CHECK ? "true" : "false");
}

void smc_emit_json(smc_buf *out, const smc_unit *u, const char *source)
{
    size_t i;

    smc_buf_puts(out, "{\n  \"source\": ");
    smc_emit_json_str(out, smc_emit_basename(source));
    smc_buf_puts(out, ",\n  \"machines\": [");
    for (i = 0; i < u->nmachines; i++) {
        smc_buf_puts(out, i ? ",\n" : "\n");
        put_machine(out, &u->machines[i]);
    }
    smc_buf_puts(out, u->nmachines ? "\n  ]\n}\n" : "]\n}\n");
}
