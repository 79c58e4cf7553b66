/*
 * emit_c_source.c - NAME_sm.c, the source half of `smcc --emit c`: per
 * machine the const tables of its sm_def (names and their sorted
 * indexes, flags, CSR transitions, events, hooks, old names, storage),
 * then the typed wrappers of emit_c_typed.c. Tables grow with
 * transitions, never states squared.
 */
#include "emit.h"
#include "alloc.h"
#include "def_build.h"
#include "emit_c_typed.h"
#include "emit_util.h"

/*
 * Append `static const int32_t TABLE[]`: the indexes of the n names at
 * base (one every stride bytes) in strcmp order, the name index libsm
 * searches.
 */
static void emit_by_name(smc_buf *out, const char *p, const char *table,
                         const void *base, size_t stride, size_t n)
{
    int32_t *v = smc_malloc((n ? n : 1) * sizeof *v);
    size_t i;

    if (!v || !smc_name_index(v, base, stride, n)) {
        out->failed = true;
        smc_free(v);
        return;
    }
    smc_buf_printf(out, "static const int32_t %s_%s[] = {\n", p, table);
    for (i = 0; i < n; i++)
        smc_buf_printf(out, "    %d,\n", (int)v[i]);
    smc_buf_puts(out, "};\n\n");
    smc_free(v);
}

/* Append the state names, the sorted name index and the flags. */
static void emit_states(smc_buf *out, const smc_machine *m)
{
    const char *p = m->name;
    size_t s;

    smc_buf_printf(out, "static const char *const %s_names[] = {\n", p);
    for (s = 0; s < m->nstates; s++)
        smc_buf_printf(out, "    \"%s\",\n", m->states[s].name);
    smc_buf_puts(out, "};\n\n");
    emit_by_name(out, p, "by_name", &m->states[0].name, sizeof(smc_state),
                 m->nstates);
    smc_buf_printf(out, "static const uint8_t %s_flags[] = {\n", p);
    for (s = 0; s < m->nstates; s++)
        smc_buf_printf(out, "    %d,\n", smc_state_flags(&m->states[s]));
    smc_buf_puts(out, "};\n\n");
}

/* Append the alias table: old (`was`) names by name, and their states
 * (nothing when the machine renamed nothing). */
static void emit_aliases(smc_buf *out, const smc_machine *m)
{
    size_t i;

    if (!m->naliases)
        return;
    smc_buf_printf(out, "static const char *const %s_alias_names[] = {\n",
                   m->name);
    for (i = 0; i < m->naliases; i++)
        smc_buf_printf(out, "    \"%s\",\n", m->alias_names[i]);
    smc_buf_printf(out, "};\n\nstatic const int32_t %s_alias_states[] = {\n",
                   m->name);
    for (i = 0; i < m->naliases; i++)
        smc_buf_printf(out, "    %d,\n", m->alias_states[i]);
    smc_buf_puts(out, "};\n\n");
}

/* Append the SM_SCHEMA_* options of m as a C expression. */
static void emit_schema(smc_buf *out, const smc_machine *m)
{
    static const struct {
        unsigned bit;
        const char *name;
    } opts[] = {{SM_SCHEMA_PARENT, "SM_SCHEMA_PARENT"},
                {SM_SCHEMA_FOREIGN_KEY, "SM_SCHEMA_FOREIGN_KEY"},
                {SM_SCHEMA_STATE_CHECK, "SM_SCHEMA_STATE_CHECK"}};
    const char *sep = "";
    size_t i;

    for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (m->schema & opts[i].bit) {
            smc_buf_printf(out, "%s%s", sep, opts[i].name);
            sep = " | ";
        }
    smc_buf_puts(out, *sep ? "" : "0u");
}

/* Append trans_index (nstates + 1 offsets) and trans_to. */
static void emit_trans(smc_buf *out, const smc_machine *m)
{
    size_t s, i = 0;

    smc_buf_printf(out, "static const uint32_t %s_trans_index[] = {\n    0,\n",
                   m->name);
    for (s = 0; s < m->nstates; s++) {
        while (i < m->ntrans && (size_t)m->trans[i].from == s)
            i++;
        smc_buf_printf(out, "    %zu,\n", i);
    }
    smc_buf_printf(out, "};\n\nstatic const int32_t %s_trans_to[] = {\n",
                   m->name);
    for (i = 0; i < m->ntrans; i++)
        smc_buf_printf(out, "    %d,\n", m->trans[i].to);
    if (!m->ntrans)
        smc_buf_puts(out, "    -1,\n");
    smc_buf_puts(out, "};\n\n");
}

/* Append event names, event_index and arrows (nothing if no events). */
static void emit_events(smc_buf *out, const smc_machine *m)
{
    size_t e, a, n = 0;

    if (!m->nevents)
        return;
    smc_buf_printf(out, "static const char *const %s_event_names[] = {\n",
                   m->name);
    for (e = 0; e < m->nevents; e++)
        smc_buf_printf(out, "    \"%s\",\n", m->events[e].name);
    smc_buf_puts(out, "};\n\n");
    emit_by_name(out, m->name, "event_by_name", &m->events[0].name,
                 sizeof(smc_event), m->nevents);
    smc_buf_printf(out,
                   "static const uint32_t %s_event_index[] = {\n"
                   "    0,\n",
                   m->name);
    for (e = 0; e < m->nevents; e++) {
        n += m->events[e].narrows;
        smc_buf_printf(out, "    %zu,\n", n);
    }
    smc_buf_printf(out, "};\n\nstatic const sm_arrow %s_arrows[] = {\n",
                   m->name);
    for (e = 0; e < m->nevents; e++)
        for (a = 0; a < m->events[e].narrows; a++)
            smc_buf_printf(out, "    {%d, %d},\n", m->events[e].arrows[a].from,
                           m->events[e].arrows[a].to);
    if (!n)
        smc_buf_puts(out, "    {-1, -1},\n");
    smc_buf_puts(out, "};\n\n");
}

/* Append one selector array for hook h, side `side` ("from"/"to"). */
static void emit_sel(smc_buf *out, const smc_machine *m, size_t h,
                     const char *side, const int *list, size_t n)
{
    size_t i;

    if (!list || !n)
        return;
    smc_buf_printf(out, "static const int32_t %s_h%zu_%s[] = {", m->name, h,
                   side);
    for (i = 0; i < n; i++)
        smc_buf_printf(out, "%s%d", i ? ", " : "", list[i]);
    smc_buf_puts(out, "};\n");
}

/* Append the hook selector arrays and the hooks table. */
static void emit_hooks(smc_buf *out, const smc_machine *m)
{
    static const char *const kinds[SM_HOOK__COUNT] = {
        "SM_HOOK_GUARD",
        "SM_HOOK_BEFORE",
        "SM_HOOK_AFTER",
        "SM_HOOK_AFTER_COMMIT",
        "SM_HOOK_AFTER_GUARD_FAILURE",
        "SM_HOOK_AFTER_TRANSITION_FAILURE"};
    size_t h;

    if (!m->nhooks)
        return;
    for (h = 0; h < m->nhooks; h++) {
        emit_sel(out, m, h, "from", m->hooks[h].from, m->hooks[h].nfrom);
        emit_sel(out, m, h, "to", m->hooks[h].to, m->hooks[h].nto);
    }
    smc_buf_printf(out, "\nstatic const sm_hook %s_hooks[] = {\n", m->name);
    for (h = 0; h < m->nhooks; h++) {
        const smc_hook *k = &m->hooks[h];
        bool g = k->kind == SM_HOOK_GUARD;
        smc_buf_printf(out, "    {%s, ", kinds[k->kind]);
        if (k->from && k->nfrom)
            smc_buf_printf(out, "%s_h%zu_from, %zuu, ", m->name, h, k->nfrom);
        else
            smc_buf_puts(out, "NULL, 0u, ");
        if (k->to && k->nto)
            smc_buf_printf(out, "%s_h%zu_to, %zuu,\n", m->name, h, k->nto);
        else
            smc_buf_puts(out, "NULL, 0u,\n");
        smc_buf_printf(out,
                       g ? "     %s_%s, NULL, \"%s\"},\n"
                         : "     NULL, %s_%s, \"%s\"},\n",
                       m->name, k->name, k->name);
    }
    smc_buf_puts(out, "};\n\n");
}

/* Append the sm_def initializer of one machine. */
static void emit_def(smc_buf *out, const smc_machine *m)
{
    const char *p = m->name;

    smc_buf_printf(out,
                   "const sm_def %s_def = {\n    SM_DEF_VERSION, "
                   "\"%s\", %zuu,\n    %s_names, %s_by_name, %s_flags, "
                   "%d,\n    %s_trans_index, %s_trans_to,\n",
                   p, p, m->nstates, p, p, p, m->initial, p, p);
    if (m->nevents)
        smc_buf_printf(out,
                       "    %zuu, %s_event_names, %s_event_by_name,\n"
                       "    %s_event_index, %s_arrows,\n",
                       m->nevents, p, p, p, p);
    else
        smc_buf_puts(out, "    0u, NULL, NULL, NULL, NULL,\n");
    if (m->nhooks)
        smc_buf_printf(out, "    %zuu, %s_hooks,\n", m->nhooks, p);
    else
        smc_buf_puts(out, "    0u, NULL,\n");
    smc_buf_printf(out, "    \"%s\", \"%s\", \"%s\",\n    ", m->table,
                   m->parent_table ? m->parent_table : "",
                   m->parent_key ? m->parent_key : "");
    emit_schema(out, m);
    if (m->naliases)
        smc_buf_printf(out, ",\n    %zuu, %s_alias_names, %s_alias_states\n",
                       m->naliases, p, p);
    else
        smc_buf_puts(out, ",\n    0u, NULL, NULL\n");
    smc_buf_puts(out, "};\n\n");
}

void smc_emit_c_source(smc_buf *out, const smc_unit *u, const char *source,
                       const char *base)
{
    size_t i;

    smc_buf_printf(out,
                   "/* generated by smcc from %s; do not edit */\n"
                   "#include \"%s_sm.h\"\n\n#include <stddef.h>\n"
                   "#include <stdint.h>\n\n",
                   smc_emit_basename(source), base);
    for (i = 0; i < u->nmachines; i++) {
        const smc_machine *m = &u->machines[i];
        smc_buf_printf(out, "/* machine %s */\n", m->name);
        emit_states(out, m);
        emit_trans(out, m);
        emit_events(out, m);
        emit_hooks(out, m);
        emit_aliases(out, m);
        emit_def(out, m);
        smc_emit_c_api_defs(out, m);
    }
}
