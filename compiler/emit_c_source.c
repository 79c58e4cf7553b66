/*
 * emit_c_source.c - NAME_sm.c, the source half of `smcc --emit c`: per
 * machine the const tables of its sm_def (names, flags, CSR transitions,
 * events, hooks, storage) and the small lookups declared in NAME_sm.h.
 * Tables grow with transitions, never states squared.
 */
#include "emit.h"
#include "alloc.h"
#include "emit_util.h"

#include <stdlib.h>
#include <string.h>

/* Order state pointers by name, for the sorted name index. */
static int by_name(const void *a, const void *b)
{
    const smc_state *const *x = a;
    const smc_state *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

/* Append the state names, flags and the sorted name index. */
static void emit_states(smc_buf *out, const smc_machine *m)
{
    const char *p = m->name;
    const smc_state **sorted = smc_malloc(m->nstates * sizeof *sorted);
    size_t s;

    if (!sorted) {
        out->failed = true;
        return;
    }
    smc_buf_printf(out, "static const char *const %s_names[] = {\n", p);
    for (s = 0; s < m->nstates; s++) {
        smc_buf_printf(out, "    \"%s\",\n", m->states[s].name);
        sorted[s] = &m->states[s];
    }
    smc_buf_printf(out, "};\n\nstatic const uint8_t %s_flags[] = {\n", p);
    for (s = 0; s < m->nstates; s++)
        smc_buf_printf(out, "    %d,\n",
                       (m->states[s].initial ? 1 : 0) |
                           (m->states[s].final ? 2 : 0));
    qsort(sorted, m->nstates, sizeof *sorted, by_name);
    smc_buf_printf(out, "};\n\nstatic const int32_t %s_by_name[] = {\n", p);
    for (s = 0; s < m->nstates; s++)
        smc_buf_printf(out, "    %d,\n", (int)(sorted[s] - m->states));
    smc_buf_puts(out, "};\n\n");
    smc_free(sorted);
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
    smc_buf_printf(out,
                   "};\n\nstatic const uint32_t %s_event_index[] = {\n"
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
                   "\"%s\", %zuu,\n    %s_names, %s_flags, %d,\n"
                   "    %s_trans_index, %s_trans_to,\n",
                   p, p, m->nstates, p, p, m->initial, p, p);
    if (m->nevents)
        smc_buf_printf(out,
                       "    %zuu, %s_event_names, %s_event_index, "
                       "%s_arrows,\n",
                       m->nevents, p, p, p);
    else
        smc_buf_puts(out, "    0u, NULL, NULL, NULL,\n");
    if (m->nhooks)
        smc_buf_printf(out, "    %zuu, %s_hooks,\n", m->nhooks, p);
    else
        smc_buf_puts(out, "    0u, NULL,\n");
    smc_buf_printf(out, "    \"%s\", \"%s\", \"%s\"\n};\n\n", m->table,
                   m->parent_table ? m->parent_table : "",
                   m->parent_key ? m->parent_key : "");
}

/* Append the name lookups of one machine. */
static void emit_names(smc_buf *out, const smc_machine *m)
{
    const char *p = m->name;

    smc_buf_printf(out,
                   "const char *%s_state_name(%s_state s)\n{\n"
                   "    return (unsigned)s < %zuu ? %s_names[s] : NULL;\n}\n\n",
                   p, p, m->nstates, p);
    smc_buf_printf(
        out,
        "int %s_state_from_name(const char *name, %s_state *out)\n{\n"
        "    size_t lo = 0, hi = %zu;\n\n"
        "    while (name && lo < hi) {\n"
        "        size_t mid = lo + (hi - lo) / 2;\n"
        "        int c = strcmp(name, %s_names[%s_by_name[mid]]);\n"
        "        if (c == 0) {\n"
        "            if (out)\n"
        "                *out = (%s_state)%s_by_name[mid];\n"
        "            return 0;\n"
        "        }\n"
        "        if (c < 0)\n            hi = mid;\n"
        "        else\n            lo = mid + 1;\n"
        "    }\n    return -1;\n}\n\n",
        p, p, m->nstates, p, p, p, p);
}

/* Append transition_allowed and event_name of one machine. */
static void emit_lookups(smc_buf *out, const smc_machine *m)
{
    const char *p = m->name;

    smc_buf_printf(
        out,
        "bool %s_transition_allowed(%s_state from, %s_state to)\n{\n"
        "    uint32_t lo, hi;\n\n"
        "    if ((unsigned)from >= %zuu || (unsigned)to >= %zuu)\n"
        "        return false;\n"
        "    lo = %s_trans_index[from];\n"
        "    hi = %s_trans_index[from + 1];\n"
        "    while (lo < hi) {\n"
        "        uint32_t mid = lo + (hi - lo) / 2;\n"
        "        if (%s_trans_to[mid] == (int32_t)to)\n"
        "            return true;\n"
        "        if (%s_trans_to[mid] < (int32_t)to)\n"
        "            lo = mid + 1;\n        else\n            hi = mid;\n"
        "    }\n    return false;\n}\n\n",
        p, p, p, m->nstates, m->nstates, p, p, p, p);
    if (m->nevents)
        smc_buf_printf(
            out,
            "const char *%s_event_name(%s_event e)\n{\n"
            "    return (unsigned)e < %zuu ? %s_event_names[e] : NULL;\n"
            "}\n\n",
            p, p, m->nevents, p);
    else
        smc_buf_printf(out,
                       "const char *%s_event_name(%s_event e)\n{\n"
                       "    (void)e;\n    return NULL;\n}\n\n",
                       p, p);
}

void smc_emit_c_source(smc_buf *out, const smc_unit *u, const char *source,
                       const char *base)
{
    size_t i;

    smc_buf_printf(out,
                   "/* generated by smcc from %s; do not edit */\n"
                   "#include \"%s_sm.h\"\n\n#include <stddef.h>\n"
                   "#include <stdint.h>\n#include <string.h>\n\n",
                   smc_emit_basename(source), base);
    for (i = 0; i < u->nmachines; i++) {
        const smc_machine *m = &u->machines[i];
        smc_buf_printf(out, "/* machine %s */\n", m->name);
        emit_states(out, m);
        emit_trans(out, m);
        emit_events(out, m);
        emit_hooks(out, m);
        emit_def(out, m);
        emit_names(out, m);
        emit_lookups(out, m);
    }
}
