/*
 * audit_report.c - what `smcc audit` prints (audit_report.h): the text
 * report (a summary, the first offenders, the coverage) or one JSON
 * object with the same content.
 */
#include "audit_report.h"

#include <stdio.h>

#include "emit_util.h"
#include "table.h"

/* The state name of index s. */
static const char *sname(const smc_audit *a, int s)
{
    return sm_def_state_name(a->def, s);
}

/* The summary: rows, parents, and how many of each problem. */
static void text_summary(smc_buf *out, const smc_audit *a, const char *source)
{
    smc_buf_printf(out,
                   "audit of %s against machine %s (%s): %llu rows, %llu "
                   "parents\n",
                   a->def->table, a->def->name, smc_emit_basename(source),
                   (unsigned long long)a->rows, (unsigned long long)a->parents);
    if (!a->problems) {
        smc_buf_puts(out, "no problems found\n");
        return;
    }
    smc_buf_printf(out, "%llu %s:\n", (unsigned long long)a->problems,
                   a->problems == 1 ? "problem" : "problems");
    for (int p = 0; p < SMC_PROBLEM__COUNT; p++)
        if (a->count[p])
            smc_buf_printf(out, "  %-34s %llu\n",
                           smc_problem_title((smc_problem)p),
                           (unsigned long long)a->count[p]);
}

/* The offenders kept, as a table. */
static void text_offenders(smc_buf *out, const smc_audit *a)
{
    static const char *const heads[] = {"parent", "row", "problem", "detail"};
    if (!a->noffenders)
        return;
    if (a->noffenders < a->problems)
        smc_buf_printf(out, "the first %zu offenders (--limit):\n",
                       a->noffenders);
    else
        smc_buf_puts(out, "offenders:\n");
    smc_table *t = smc_table_new(4, heads, "rrll");
    for (size_t i = 0; i < a->noffenders; i++) {
        const smc_offender *o = &a->offenders[i];
        char parent[24], row[24];
        snprintf(parent, sizeof parent, "%lld", (long long)o->parent);
        snprintf(row, sizeof row, "%lld", (long long)o->row);
        const char *cells[] = {parent, row, smc_problem_name(o->problem),
                               o->detail};
        smc_table_add(t, cells);
    }
    smc_table_done(out, t, "  ");
}

/* How often each declared transition was taken, and which never were. */
static void text_transitions(smc_buf *out, const smc_audit *a,
                             const smc_machine *m)
{
    static const char *const heads[] = {"from", "to", "taken"};
    size_t taken = 0;
    for (size_t i = 0; i < m->ntrans; i++)
        taken += a->taken[i] != 0;
    smc_buf_printf(out, "transitions taken: %zu of %zu\n", taken, m->ntrans);
    smc_table *t = smc_table_new(3, heads, "llr");
    for (size_t i = 0; i < m->ntrans; i++) {
        char n[24];
        snprintf(n, sizeof n, "%llu", (unsigned long long)a->taken[i]);
        const char *cells[] = {sname(a, m->trans[i].from),
                               sname(a, m->trans[i].to), n};
        smc_table_add(t, cells);
    }
    smc_table_done(out, t, "  ");
    if (taken == m->ntrans)
        return;
    const char *sep = "never taken: ";
    for (size_t i = 0; i < m->ntrans; i++)
        if (!a->taken[i]) {
            smc_buf_printf(out, "%s%s -> %s", sep, sname(a, m->trans[i].from),
                           sname(a, m->trans[i].to));
            sep = ", ";
        }
    smc_buf_puts(out, "\n");
}

/* How often each event was taken. */
static void text_events(smc_buf *out, const smc_audit *a, const smc_machine *m)
{
    static const char *const heads[] = {"event", "taken"};
    if (!m->nevents)
        return;
    smc_buf_puts(out, "events taken:\n");
    smc_table *t = smc_table_new(2, heads, "lr");
    for (size_t e = 0; e < m->nevents; e++) {
        char n[24];
        snprintf(n, sizeof n, "%llu",
                 (unsigned long long)smc_audit_event_taken(a, (int)e));
        const char *cells[] = {m->events[e].name, n};
        smc_table_add(t, cells);
    }
    smc_table_done(out, t, "  ");
}

void smc_audit_text(smc_buf *out, const smc_audit *a, const smc_machine *m,
                    const char *source)
{
    text_summary(out, a, source);
    text_offenders(out, a);
    text_transitions(out, a, m);
    text_events(out, a, m);
}

/* "key": "from", "key2": "to" of transition i, as JSON members. */
static void json_trans(smc_buf *out, const smc_audit *a, const smc_machine *m,
                       size_t i)
{
    smc_buf_puts(out, "{\"from\": ");
    smc_emit_json_str(out, sname(a, m->trans[i].from));
    smc_buf_puts(out, ", \"to\": ");
    smc_emit_json_str(out, sname(a, m->trans[i].to));
}

static void json_offenders(smc_buf *out, const smc_audit *a)
{
    smc_buf_puts(out, ",\n \"offenders\": [");
    for (size_t i = 0; i < a->noffenders; i++) {
        const smc_offender *o = &a->offenders[i];
        smc_buf_printf(out,
                       "%s\n  {\"problem\": \"%s\", \"parent\": %lld, "
                       "\"row\": %lld, \"detail\": ",
                       i ? "," : "", smc_problem_name(o->problem),
                       (long long)o->parent, (long long)o->row);
        smc_emit_json_str(out, o->detail);
        smc_buf_puts(out, "}");
    }
    smc_buf_puts(out, a->noffenders ? "\n ]" : "]");
}

static void json_coverage(smc_buf *out, const smc_audit *a,
                          const smc_machine *m)
{
    smc_buf_puts(out, ",\n \"transitions\": [");
    for (size_t i = 0; i < m->ntrans; i++) {
        smc_buf_puts(out, i ? ",\n  " : "\n  ");
        json_trans(out, a, m, i);
        smc_buf_printf(out, ", \"taken\": %llu}",
                       (unsigned long long)a->taken[i]);
    }
    smc_buf_puts(out,
                 m->ntrans ? "\n ],\n \"events\": [" : "],\n \"events\": [");
    for (size_t e = 0; e < m->nevents; e++) {
        smc_buf_puts(out, e ? ",\n  {\"name\": " : "\n  {\"name\": ");
        smc_emit_json_str(out, m->events[e].name);
        smc_buf_printf(out, ", \"taken\": %llu}",
                       (unsigned long long)smc_audit_event_taken(a, (int)e));
    }
    smc_buf_puts(out, m->nevents ? "\n ],\n \"never_taken\": ["
                                 : "],\n \"never_taken\": [");
    const char *sep = "";
    for (size_t i = 0; i < m->ntrans; i++)
        if (!a->taken[i]) {
            smc_buf_puts(out, sep);
            json_trans(out, a, m, i);
            smc_buf_puts(out, "}");
            sep = ", ";
        }
    smc_buf_puts(out, "]");
}

void smc_audit_json(smc_buf *out, const smc_audit *a, const smc_machine *m,
                    const char *source)
{
    smc_buf_puts(out, "{\"source\": ");
    smc_emit_json_str(out, smc_emit_basename(source));
    smc_buf_puts(out, ", \"machine\": ");
    smc_emit_json_str(out, a->def->name);
    smc_buf_puts(out, ", \"table\": ");
    smc_emit_json_str(out, a->def->table);
    smc_buf_printf(out,
                   ",\n \"rows\": %llu, \"parents\": %llu, \"problems\": "
                   "%llu,\n \"counts\": {",
                   (unsigned long long)a->rows, (unsigned long long)a->parents,
                   (unsigned long long)a->problems);
    for (int p = 0; p < SMC_PROBLEM__COUNT; p++)
        smc_buf_printf(out, "%s\"%s\": %llu", p ? ", " : "",
                       smc_problem_name((smc_problem)p),
                       (unsigned long long)a->count[p]);
    smc_buf_puts(out, "}");
    json_offenders(out, a);
    json_coverage(out, a, m);
    smc_buf_puts(out, "}\n");
}
