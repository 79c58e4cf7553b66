/*
 * sema_trans.c - transitions and events: every `transition` item expanded
 * into (from, to) pairs, sorted and deduplicated; each event's arrows
 * checked against them, with at most one target per source state.
 */
#include <stdio.h>
#include <stdlib.h> /* qsort */

#include "sema_int.h"

/* Pairs per machine at most: a cross product must not eat the memory. */
enum { MAX_TRANS = 1 << 20 };

typedef struct tx {
    int from, to;
    uint32_t off;       /* where the target's name is: the sort's last key */
    bool guessed;       /* a name was misspelled: from or to is a guess */
    const ast_name *at; /* the target's name in the source */
} tx;

/* Order of tx by (from, to), then by source position. */
static int tx_cmp(const void *pa, const void *pb)
{
    const tx *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return (a->off > b->off) - (a->off < b->off);
}

/* Count the pairs of all transition items into *n; the item that takes
 * the count past MAX_TRANS, or NULL. */
static const ast_item *count_pairs(ast_item *items, size_t *n)
{
    *n = 0;
    for (ast_item *it = items; it; it = it->next) {
        if (it->kind != AST_TRANS)
            continue;
        size_t f = ast_names_len(it->from), t = ast_names_len(it->to);
        if (f && t > (MAX_TRANS - *n) / f)
            return it;
        *n += f * t;
    }
    return NULL;
}

/* Resolve a list of state names into idx[] and guess[] (source order). */
static void resolve(sema *s, const ast_name *x, int *idx, int *guess)
{
    for (size_t i = 0; x; x = x->next, i++)
        idx[i] = sema_movable(s, x, sema_state(s, x, &guess[i]), &guess[i],
                              "a transition");
}

/* Report a transition out of final state fi, named at f. */
static void final_out(sema *s, const ast_name *f, int fi)
{
    smc_diag_error(s->d, f->loc, "transition out of final state '%s'", f->s);
    smc_diag_note(s->d, s->m->states[fi].loc, "'%s' is declared final here",
                  f->s);
}

/*
 * Expand one transition item into tmp (at *n). A name that did not
 * resolve but was most likely a misspelling stands for the state it
 * meant, so the pair still counts for events, hooks and reachability
 * (the unit is not emitted: there was an error). Otherwise the pair is
 * dropped but credits what it names: a declared source still has an
 * exit, a declared target is still entered, and a target that names no
 * state at all may have been meant as any of them.
 */
static void expand_item(sema *s, const ast_item *it, int *v, tx *tmp, size_t *n)
{
    size_t nf = ast_names_len(it->from), nt = ast_names_len(it->to);
    int *fi = v, *fg = v + nf, *ti = v + 2 * nf, *tg = v + 2 * nf + nt;
    resolve(s, it->from, fi, fg);
    resolve(s, it->to, ti, tg);
    size_t i = 0;
    for (const ast_name *f = it->from; f; f = f->next, i++) {
        if (fi[i] >= 0 && s->m->states[fi[i]].final)
            final_out(s, f, fi[i]);
        int from = fi[i] >= 0 ? fi[i] : fg[i];
        size_t j = 0;
        for (const ast_name *t = it->to; t; t = t->next, j++) {
            int to = ti[j] >= 0 ? ti[j] : tg[j];
            if (from >= 0 && to >= 0)
                tmp[(*n)++] =
                    (tx){from, to, t->loc.off, fi[i] < 0 || ti[j] < 0, t};
            else if (from >= 0)
                s->exits[from] = s->unknown_target = true;
            else if (to >= 0)
                s->reached[to] = true;
        }
    }
}

/* Per state, where its transitions start in m->trans, and its in-degree. */
static void index_trans(sema *s)
{
    smc_machine *m = s->m;
    s->first = smc_alloc(s->tmp, (m->nstates + 1) * sizeof *s->first);
    s->indeg = smc_alloc(s->tmp, (m->nstates + 1) * sizeof *s->indeg);
    if (!s->first || !s->indeg) {
        s->oom = true;
        return;
    }
    for (size_t i = 0; i < m->ntrans; i++) {
        s->first[m->trans[i].from + 1]++;
        s->indeg[m->trans[i].to]++;
    }
    for (size_t i = 0; i < m->nstates; i++)
        s->first[i + 1] += s->first[i];
}

/* Keep tmp's (sorted) pairs once each, warning on duplicates. */
static void dedupe(sema *s, const tx *tmp, size_t n)
{
    smc_machine *m = s->m;
    for (size_t i = 0, kept = 0; i < n; i++) {
        if (i && tmp[kept].from == tmp[i].from && tmp[kept].to == tmp[i].to) {
            if (tmp[kept].guessed || tmp[i].guessed)
                continue;
            smc_diag_warning(
                s->d, tmp[i].at->loc, "duplicated transition '%s -> %s'",
                m->states[tmp[i].from].name, m->states[tmp[i].to].name);
            smc_diag_note(s->d, tmp[kept].at->loc, "first declared here");
            continue;
        }
        kept = i;
        m->trans[m->ntrans++] = (smc_trans){tmp[i].from, tmp[i].to};
    }
}

/* Build m->trans sorted and unique from the transition items. */
void sema_transitions(sema *s, ast_item *items)
{
    size_t n, most = 0;
    const ast_item *over = count_pairs(items, &n);
    if (over) {
        smc_diag_error(s->d, over->loc,
                       "machine '%s' declares more than %d transitions",
                       s->m->name, MAX_TRANS);
        s->partial = true;
        n = 0;
    }
    for (ast_item *it = items; it && !over; it = it->next)
        if (it->kind == AST_TRANS) {
            size_t k = 2 * (ast_names_len(it->from) + ast_names_len(it->to));
            most = k > most ? k : most;
        }
    tx *tmp = smc_alloc(s->tmp, (n + 1) * sizeof *tmp);
    int *v = smc_alloc(s->tmp, (most + 1) * sizeof *v);
    s->m->trans = smc_alloc(s->a, (n + 1) * sizeof *s->m->trans);
    if (!tmp || !v || !s->m->trans) {
        s->oom = true;
        return;
    }
    n = 0;
    for (ast_item *it = items; it && !over; it = it->next)
        if (it->kind == AST_TRANS)
            expand_item(s, it, v, tmp, &n);
    qsort(tmp, n, sizeof *tmp, tx_cmp);
    dedupe(s, tmp, n);
    index_trans(s);
}

bool sema_declared(const sema *s, int from, int to)
{
    size_t lo = s->first[from], hi = s->first[from + 1];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int t = s->m->trans[mid].to;
        if (t == to)
            return true;
        if (t < to)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

typedef struct arrow {
    int from, to;
    const ast_item *ar; /* its arrow: the '->' is ar->loc */
    size_t pos;         /* the source name's offset */
} arrow;

/* Order of arrows by source state, then by position in the file. */
static int arrow_cmp(const void *pa, const void *pb)
{
    const arrow *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Resolve one arrow's names into tmp (at *k), dropping undeclared pairs. */
static void resolve_arrow(sema *s, const smc_event *ev, const ast_item *ar,
                          arrow *tmp, size_t *k)
{
    size_t k0 = *k;
    int guess;
    char where[96];
    snprintf(where, sizeof where, "event '%.64s'", ev->name);
    for (const ast_name *f = ar->from; f; f = f->next) {
        int from = sema_movable(s, f, sema_state(s, f, &guess), &guess, where);
        tmp[(*k)++] = (arrow){from, -1, ar, f->loc.off};
    }
    int to = ar->to ? sema_state(s, ar->to, &guess) : -1;
    to = ar->to ? sema_movable(s, ar->to, to, &guess, where) : -1;
    size_t kept = k0, i = k0;
    for (const ast_name *f = ar->from; f; f = f->next, i++) {
        int from = tmp[i].from;
        if (from < 0 || to < 0)
            continue;
        if (!sema_declared(s, from, to)) {
            if (!s->partial && !sema_lost(s, f->s) && !sema_lost(s, ar->to->s))
                smc_diag_error(s->d, f->loc,
                               "event '%s': '%s -> %s' is not a declared "
                               "transition",
                               ev->name, f->s, ar->to->s);
            continue;
        }
        tmp[kept] = tmp[i];
        tmp[kept++].to = to;
    }
    *k = kept;
}

/*
 * Keep one arrow per source state: a second with another target is an
 * error at its arrow, with a note at the first; a repeat is dropped.
 */
static void check_determinism(sema *s, smc_event *ev, const arrow *tmp,
                              size_t n)
{
    const arrow *first = NULL;
    for (size_t i = 0; i < n; i++) {
        if (first && first->from == tmp[i].from) {
            if (first->to != tmp[i].to) {
                smc_diag_error(s->d, tmp[i].ar->loc,
                               "event '%s' has two targets for state '%s' "
                               "('%s' and '%s')",
                               ev->name, s->m->states[tmp[i].from].name,
                               s->m->states[first->to].name,
                               s->m->states[tmp[i].to].name);
                smc_diag_note(s->d, first->ar->loc,
                              "the first, to '%s', is here",
                              s->m->states[first->to].name);
            }
            continue;
        }
        first = &tmp[i];
        ev->arrows[ev->narrows++] = (smc_trans){tmp[i].from, tmp[i].to};
    }
}

/* Fill one event's arrows from its AST, checking each. */
static void build_event(sema *s, smc_event *ev, const ast_item *it)
{
    size_t n = 0, k = 0;
    for (const ast_item *ar = it->arrows; ar; ar = ar->next)
        n += ast_names_len(ar->from);
    arrow *tmp = smc_alloc(s->tmp, (n + 1) * sizeof *tmp);
    ev->arrows = smc_alloc(s->a, (n + 1) * sizeof *ev->arrows);
    if (!tmp || !ev->arrows) {
        s->oom = true;
        return;
    }
    for (const ast_item *ar = it->arrows; ar; ar = ar->next)
        resolve_arrow(s, ev, ar, tmp, &k);
    qsort(tmp, k, sizeof *tmp, arrow_cmp);
    check_determinism(s, ev, tmp, k);
}

/* Build the events, rejecting duplicate names (linear via a table). */
void sema_events(sema *s, ast_item *items)
{
    size_t n = 0;
    for (ast_item *it = items; it; it = it->next)
        n += it->kind == AST_EVENT;
    ntab names, up;
    s->m->events = smc_alloc(s->a, (n + 1) * sizeof *s->m->events);
    smc_event *e = s->m->events;
    if (!e || !sema_ntab_init(s, &names, n, &e[0].name, sizeof *e, false) ||
        !sema_ntab_init(s, &up, n, &e[0].name, sizeof *e, true)) {
        s->oom = true;
        return;
    }
    for (ast_item *it = items; it && !s->oom; it = it->next) {
        if (it->kind != AST_EVENT || !it->name)
            continue;
        smc_event *ev = &s->m->events[s->m->nevents];
        ev->name = it->name->s;
        ev->loc = it->name->loc;
        int prev = sema_ntab_put(&names, it->name->s, (int)s->m->nevents);
        if (prev >= 0) {
            smc_diag_error(s->d, it->name->loc, "event '%s' declared twice",
                           it->name->s);
            smc_diag_note(s->d, s->m->events[prev].loc,
                          "previously declared here");
            continue;
        }
        prev =
            sema_constant_clash(s, &up, "event", it->name, (int)s->m->nevents);
        if (prev >= 0)
            sema_case_clash(s, "event", it->name, s->m->events[prev].name,
                            s->m->events[prev].loc);
        build_event(s, ev, it);
        s->m->nevents++;
    }
}
