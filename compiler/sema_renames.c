/*
 * sema_renames.c - old names (`state review was pending;`): each maps to
 * one state, once, and is no live state's name, ignoring case as MySQL
 * compares them; they are gathered into each state's `was` list and the
 * machine's sorted alias table.
 */
#include <stdlib.h>
#include <string.h>

#include "sema_int.h"

/* An old name being gathered into the alias table. */
typedef struct alias {
    const char *name; /* first: the old-names table's key */
    int state;
    smc_loc loc;
} alias;

/* Order of aliases by name. */
static int alias_cmp(const void *pa, const void *pb)
{
    return strcmp(((const alias *)pa)->name, ((const alias *)pb)->name);
}

/*
 * Check old name w of state st against the states (any case) and the
 * old names so far (olds, nocase, over v). True when it may be added.
 */
static bool alias_ok(sema *s, ntab *olds, alias *v, const ast_name *w, int st)
{
    const smc_machine *m = s->m;
    int other = sema_ntab_get(&s->folded, w->s);
    if (other >= 0 && !strcmp(m->states[other].name, w->s)) {
        smc_diag_error(s->d, w->loc, "old name '%s' is also a state", w->s);
        smc_diag_note(s->d, m->states[other].loc, "'%s' declared here", w->s);
        return false;
    }
    if (other >= 0 && other != st) {
        smc_diag_error(s->d, w->loc,
                       "old name '%s' differs from state '%s' only in "
                       "case (MySQL compares names ignoring case)",
                       w->s, m->states[other].name);
        smc_diag_note(s->d, m->states[other].loc, "'%s' declared here",
                      m->states[other].name);
        return false;
    }
    v[m->naliases] = (alias){w->s, st, w->loc};
    int prev = sema_ntab_put(olds, w->s, (int)m->naliases);
    if (prev < 0)
        return true;
    if (!strcmp(v[prev].name, w->s))
        smc_diag_error(s->d, w->loc, "old name '%s' given twice", w->s);
    else
        smc_diag_error(s->d, w->loc,
                       "old name '%s' differs from old name '%s' only "
                       "in case (MySQL compares names ignoring case)",
                       w->s, v[prev].name);
    smc_diag_note(s->d, v[prev].loc, "'%s' first given here, to '%s'",
                  v[prev].name, m->states[v[prev].state].name);
    return false;
}

/* The state a `state` item with `was` declares, or -1 if it declared
 * none (a duplicate) or several (reported when declared). */
static int renamed_state(sema *s, const ast_item *it)
{
    if (it->kind != AST_STATE || !it->names || !it->to || it->to->next)
        return -1;
    int i = sema_ntab_get(&s->states, it->to->s);
    return i >= 0 && s->m->states[i].loc.off == it->to->loc.off ? i : -1;
}

/* Copy the sorted aliases into the model's table. */
static void alias_table(sema *s, alias *v)
{
    smc_machine *m = s->m;
    qsort(v, m->naliases, sizeof *v, alias_cmp);
    m->alias_names = smc_alloc(s->a, (m->naliases + 1) * sizeof(char *));
    m->alias_states = smc_alloc(s->a, (m->naliases + 1) * sizeof(int));
    s->oom = s->oom || !m->alias_names || !m->alias_states;
    for (size_t i = 0; i < m->naliases && !s->oom; i++) {
        m->alias_names[i] = v[i].name;
        m->alias_states[i] = v[i].state;
    }
}

/* Gather the old (`was`) names into each state and the alias table. */
void sema_renames(sema *s, ast_item *items)
{
    smc_machine *m = s->m;
    size_t n = 0;
    for (ast_item *it = items; it; it = it->next)
        n += renamed_state(s, it) >= 0 ? ast_names_len(it->names) : 0;
    ntab olds;
    alias *v = n ? smc_alloc(s->tmp, (n + 1) * sizeof *v) : NULL;
    if (!v || !sema_ntab_init(s, &olds, n, &v[0].name, sizeof *v, true)) {
        s->oom = s->oom || (n && !v);
        return;
    }
    for (ast_item *it = items; it && !s->oom; it = it->next) {
        int st = renamed_state(s, it);
        smc_state *x = st >= 0 ? &m->states[st] : NULL;
        if (x && !(x->was = smc_alloc(s->a, ast_names_len(it->names) *
                                                sizeof *x->was)))
            s->oom = true;
        for (ast_name *w = x ? it->names : NULL; w && !s->oom; w = w->next)
            if (alias_ok(s, &olds, v, w, st)) {
                x->was[x->nwas++] = w->s;
                m->naliases++;
            }
    }
    alias_table(s, v);
}
