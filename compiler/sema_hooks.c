/*
 * sema_hooks.c - hooks: each declaration's selector resolved to sorted
 * state sets, checked to select some declared transition (guards and
 * before/after hooks), and one smc_hook per (declaration, name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_util.h" /* smc_emit_hook_kind */
#include "sema_int.h"

/* Order of ints. */
static int int_cmp(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return (a > b) - (a < b);
}

/*
 * Resolve a selector side to sorted unique indices; NULL and 0 for '*'.
 * *unsure is set when a name did not resolve or is retired (reported
 * already).
 */
static int *resolve_side(sema *s, const ast_name *names, size_t *n,
                         bool *unsure)
{
    *n = 0;
    if (!names)
        return NULL;
    int *v = smc_alloc(s->a, ast_names_len(names) * sizeof *v);
    if (!v) {
        s->oom = true;
        return NULL;
    }
    for (const ast_name *x = names; x; x = x->next) {
        int guess, i = sema_state(s, x, &guess);
        i = sema_movable(s, x, i, &guess, "a hook selector");
        if (i >= 0)
            v[(*n)++] = i;
        *unsure = *unsure || i < 0 || sema_lost(s, x->s);
    }
    qsort(v, *n, sizeof *v, int_cmp);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (!k || v[k - 1] != v[i])
            v[k++] = v[i];
    *n = k;
    return v;
}

/* Whether x is in the sorted side (NULL side: everything). */
static bool in_side(const int *v, size_t n, int x)
{
    return !v || bsearch(&x, v, n, sizeof *v, int_cmp);
}

/*
 * Whether the hook selects at least one declared transition. Each source
 * costs the smaller of its row and the target side, so no selector can
 * make this quadratic.
 */
static bool selects_any(const sema *s, const smc_hook *h)
{
    if (!h->from) {
        for (size_t i = 0; h->to && i < h->nto; i++)
            if (s->indeg[h->to[i]])
                return true;
        return !h->to && s->m->ntrans > 0;
    }
    for (size_t i = 0; i < h->nfrom; i++) {
        size_t lo = s->first[h->from[i]], hi = s->first[h->from[i] + 1];
        if (lo < hi && !h->to)
            return true;
        if (hi - lo <= h->nto) {
            for (size_t k = lo; k < hi; k++)
                if (in_side(h->to, h->nto, s->m->trans[k].to))
                    return true;
        } else {
            for (size_t k = 0; k < h->nto; k++)
                if (sema_declared(s, h->from[i], h->to[k]))
                    return true;
        }
    }
    return false;
}

/* Append one selector side as written ("*", "a", "a, b, ..."). */
static size_t side_text(char *buf, size_t n, const ast_name *x)
{
    if (!x)
        return (size_t)snprintf(buf, n, "*");
    size_t o = 0;
    for (int i = 0; x && o < n; x = x->next, i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "",
                              i < 3 ? x->s : "...");
    return o < n ? o : n;
}

/* Report a guard, before or after hook that selects nothing. */
static void selects_none(sema *s, const ast_item *it)
{
    char sel[200];
    size_t o = side_text(sel, sizeof sel, it->from);
    o += (size_t)snprintf(sel + o, sizeof sel - o, " -> ");
    side_text(sel + o, sizeof sel - o, it->to);
    smc_diag_error(s->d, it->loc, "%s '%s' selects no declared transition",
                   smc_emit_hook_kind(it->hook), sel);
}

/*
 * Check one hook name against the reserved names and earlier hooks;
 * returns whether an earlier hook has it.
 */
static bool check_hook_name(sema *s, ntab *t, const smc_hook *h)
{
    if (sema_reserved_hook(h->name))
        smc_diag_error(s->d, h->loc,
                       "hook name '%s' collides with a generated name",
                       h->name);
    int prev = sema_ntab_put(t, h->name, (int)s->m->nhooks);
    const smc_hook *o = prev >= 0 ? &s->m->hooks[prev] : NULL;
    if (!o || (o->kind == SM_HOOK_GUARD) == (h->kind == SM_HOOK_GUARD))
        return o != NULL;
    smc_diag_error(s->d, h->loc,
                   "'%s' is used both as a guard and as a non-guard hook",
                   h->name);
    smc_diag_note(s->d, o->loc, "previously used here");
    return true;
}

/*
 * Build one smc_hook per (declaration, name). A selector naming a state
 * that did not resolve, or a machine with lost items, may well select
 * something: "selects no declared transition" would be a follow-on.
 */
void sema_hooks(sema *s, ast_item *items)
{
    size_t n = 0;
    for (ast_item *it = items; it; it = it->next)
        n += it->kind == AST_HOOK ? ast_names_len(it->names) : 0;
    ntab names;
    s->m->hooks = smc_alloc(s->a, (n + 1) * sizeof *s->m->hooks);
    if (!s->m->hooks || !sema_ntab_init(s, &names, n, &s->m->hooks[0].name,
                                        sizeof *s->m->hooks, false)) {
        s->oom = true;
        return;
    }
    for (ast_item *it = items; it && !s->oom; it = it->next) {
        if (it->kind != AST_HOOK)
            continue;
        smc_hook h = {.kind = it->hook};
        bool unsure = s->partial;
        h.from = resolve_side(s, it->from, &h.nfrom, &unsure);
        h.to = resolve_side(s, it->to, &h.nto, &unsure);
        if (it->hook <= SM_HOOK_AFTER && !unsure && !s->oom &&
            !selects_any(s, &h))
            selects_none(s, it);
        for (ast_name *x = it->names; x; x = x->next) {
            h.name = x->s;
            h.loc = x->loc;
            h.repeat = check_hook_name(s, &names, &h);
            s->m->hooks[s->m->nhooks++] = h;
        }
    }
}
