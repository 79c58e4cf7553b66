/*
 * emit_label.c - edge labels shared by the dot and mermaid emitters
 * (see emit_label.h).
 */
#include "emit_label.h"

#include "alloc.h"

/* True when `list` (n items, NULL meaning '*') contains `s`. */
static bool sel_has(const int *list, size_t n, int s)
{
    if (!list)
        return true;
    for (size_t i = 0; i < n; i++)
        if (list[i] == s)
            return true;
    return false;
}

/* The index of transition from -> to in m->trans (sorted), or -1. */
static long find_trans(const smc_machine *m, int from, int to)
{
    size_t lo = 0, hi = m->ntrans;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const smc_trans *t = &m->trans[mid];
        if (t->from < from || (t->from == from && t->to < to))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->ntrans && m->trans[lo].from == from && m->trans[lo].to == to)
        return (long)lo;
    return -1;
}

bool smc_labels_build(smc_labels *l, const smc_machine *m)
{
    size_t a = 0;

    for (size_t e = 0; e < m->nevents; e++)
        a += m->events[e].narrows;
    l->m = m;
    l->first = smc_calloc(m->ntrans + 1, sizeof *l->first);
    l->next = smc_calloc(a + 1, sizeof *l->next);
    l->ev = smc_calloc(a + 1, sizeof *l->ev);
    if (!l->first || !l->next || !l->ev)
        return false;
    for (size_t t = 0; t < m->ntrans; t++)
        l->first[t] = -1;
    for (size_t e = m->nevents; e-- > 0;) {
        const smc_event *ev = &m->events[e];
        for (size_t k = ev->narrows; k-- > 0;) {
            long i = find_trans(m, ev->arrows[k].from, ev->arrows[k].to);
            a--;
            if (i < 0)
                continue;
            l->ev[a] = e;
            l->next[a] = l->first[i];
            l->first[i] = (long)a;
        }
    }
    return true;
}

void smc_labels_free(smc_labels *l)
{
    smc_free(l->first);
    smc_free(l->next);
    smc_free(l->ev);
}

/* Write `open` before the first item, `sep` before the others. */
static void item_sep(smc_buf *out, bool *any, const char *open, const char *sep)
{
    smc_buf_puts(out, *any ? sep : open);
    *any = true;
}

bool smc_labels_put(smc_buf *out, const smc_labels *l, size_t t,
                    const char *open)
{
    const smc_machine *m = l->m;
    const smc_trans *tr = &m->trans[t];
    bool any = false;

    for (long a = l->first[t]; a >= 0; a = l->next[a]) {
        item_sep(out, &any, open, ", ");
        smc_buf_puts(out, m->events[l->ev[a]].name);
    }
    for (size_t h = 0; h < m->nhooks; h++) {
        const smc_hook *k = &m->hooks[h];
        if (k->kind != SM_HOOK_GUARD || !sel_has(k->from, k->nfrom, tr->from) ||
            !sel_has(k->to, k->nto, tr->to))
            continue;
        item_sep(out, &any, open, " ");
        smc_buf_printf(out, "[%s]", k->name);
    }
    return any;
}
