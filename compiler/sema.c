/*
 * sema.c - the checker's driver: machines one at a time; their states
 * (declared once, one initial), how a state name resolves (with a
 * did-you-mean), and reachability by BFS. Transitions, events, hooks,
 * storage and C names have files of their own. No O(n^2) step.
 */
#include <string.h>
#include <strings.h>

#include "sema_int.h"
#include "suggest.h"

bool sema_lost(const sema *s, const char *name)
{
    return sema_ntab_get(&s->lost, name) >= 0;
}

/* The state old name `name` now is (alias table), or -1. */
static int renamed_to(const smc_machine *m, const char *name)
{
    size_t lo = 0, hi = m->naliases;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->alias_names[mid], name);
        if (!c)
            return m->alias_states[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int sema_state(sema *s, const ast_name *n, int *guess)
{
    int i = sema_ntab_get(&s->states, n->s);
    *guess = -1;
    if (i >= 0 || sema_lost(s, n->s))
        return i;
    int now = renamed_to(s->m, n->s);
    if (now >= 0) {
        const char *to = s->m->states[now].name;
        smc_diag_error(s->d, n->loc,
                       "'%s' is an old name: the state is now '%s'", n->s, to);
        smc_diag_fixit(s->d, n->loc, to);
        *guess = now;
        return -1;
    }
    smc_suggest sg;
    smc_suggest_init(&sg, n->s);
    for (size_t k = 0; k < s->m->nstates && !smc_diag_muted(s->d); k++)
        smc_suggest_add(&sg, s->m->states[k].name);
    if (!sg.best) {
        smc_diag_error(s->d, n->loc, "undeclared state '%s'", n->s);
        return -1;
    }
    smc_diag_error(s->d, n->loc, "undeclared state '%s'; did you mean '%s'?",
                   n->s, sg.best);
    smc_diag_fixit(s->d, n->loc, sg.best);
    *guess = sema_ntab_get(&s->states, sg.best);
    return -1;
}

int sema_movable(sema *s, const ast_name *n, int i, int *guess,
                 const char *where)
{
    if (i < 0 || !s->m->states[i].retired)
        return i;
    smc_diag_error(s->d, n->loc,
                   "retired state '%s' in %s: a retired state is never "
                   "entered or left",
                   n->s, where);
    smc_diag_note(s->d, s->m->states[i].loc, "'%s' retired here", n->s);
    *guess = i;
    return -1;
}

/* Whether a state item declares exactly one name (a fix-it may edit it). */
static bool declares_one(const ast_item *it)
{
    return it->to && !it->to->next;
}

/* Size the per-state arrays and the name table for n states. */
static bool alloc_states(sema *s, size_t n)
{
    smc_machine *m = s->m;
    m->states = smc_alloc(s->a, (n + 1) * sizeof *m->states);
    s->decl = smc_alloc(s->tmp, (n + 1) * sizeof *s->decl);
    s->reached = smc_alloc(s->tmp, (n + 1) * sizeof *s->reached);
    s->exits = smc_alloc(s->tmp, (n + 1) * sizeof *s->exits);
    s->oom = s->oom || !m->states || !s->decl || !s->reached || !s->exits;
    return !s->oom && sema_ntab_init(s, &s->states, n, &m->states[0].name,
                                     sizeof *m->states, false);
}

/* Declare state x of item it (after checking it is new). */
static void declare(sema *s, const ast_item *it, const ast_name *x)
{
    smc_machine *m = s->m;
    smc_state *st = &m->states[m->nstates];
    st->name = x->s;
    st->loc = x->loc;
    int prev = sema_ntab_put(&s->states, x->s, (int)m->nstates);
    if (prev >= 0) {
        smc_diag_error(s->d, x->loc, "state '%s' declared twice", x->s);
        smc_diag_note(s->d, m->states[prev].loc, "previously declared here");
        return;
    }
    prev = sema_constant_clash(s, &s->folded, "state", x, (int)m->nstates);
    if (prev >= 0)
        sema_case_clash(s, "state", x, m->states[prev].name,
                        m->states[prev].loc);
    st->initial = it->flags & SM_STATE_INITIAL;
    st->final = it->flags & SM_STATE_FINAL;
    st->retired = it->flags & SM_STATE_RETIRED;
    s->decl[m->nstates++] = it;
    if (it->names && x != it->to)
        smc_diag_error(s->d, x->loc,
                       "'was' renames one state: declare '%s' in a 'state' "
                       "item of its own",
                       x->s);
}

/* Declare the states of all `state` items, in order. */
static void declare_states(sema *s, const ast_item *items)
{
    size_t n = 0;
    for (const ast_item *it = items; it; it = it->next)
        n += it->kind == AST_STATE ? ast_names_len(it->to) : 0;
    if (!alloc_states(s, n) ||
        !sema_ntab_init(s, &s->folded, n, &s->m->states[0].name,
                        sizeof *s->m->states, true))
        return;
    for (const ast_item *it = items; it && !s->oom; it = it->next)
        for (const ast_name *x = it->kind == AST_STATE ? it->to : NULL; x;
             x = x->next)
            declare(s, it, x);
}

/* The point just before loc: where a fix-it inserts a word. */
static smc_loc before(smc_loc loc)
{
    return (smc_loc){loc.line, loc.col, loc.off, loc.off};
}

/*
 * Exactly one initial state. A machine with a lost item may have lost
 * its `initial` with it, so it is not told it has none.
 */
static void check_initial(sema *s)
{
    smc_machine *m = s->m;
    m->initial = -1;
    for (size_t i = 0; i < m->nstates; i++) {
        if (!m->states[i].initial)
            continue;
        if (m->initial >= 0) {
            smc_diag_error(s->d, m->states[i].loc,
                           "more than one initial state: '%s'",
                           m->states[i].name);
            smc_diag_note(s->d, m->states[m->initial].loc,
                          "first initial state declared here");
        } else {
            m->initial = (int)i;
        }
    }
    if (m->initial >= 0 || s->am->dropped)
        goto out;
    smc_diag_error(s->d, m->loc, "machine '%s' has no initial state", m->name);
    if (m->nstates && declares_one(s->decl[0]) && !s->decl[0]->flags) {
        smc_diag_note(s->d, s->decl[0]->loc,
                      "mark '%s' initial if the machine starts there",
                      m->states[0].name);
        smc_diag_fixit(s->d, before(s->decl[0]->loc), "initial ");
    }
out:
    m->initial = m->initial < 0 ? 0 : m->initial;
}

/*
 * Table the names in lost items; those that are states count as entered
 * and left (the lost item may have been a transition).
 */
static void credit_lost(sema *s, const ast_name *lost)
{
    size_t n = ast_names_len(lost);
    const char **v = smc_alloc(s->tmp, (n + 1) * sizeof *v);
    s->oom = s->oom || !v;
    if (!v || !sema_ntab_init(s, &s->lost, n, v, sizeof *v, false))
        return;
    n = 0;
    for (const ast_name *x = lost; x; x = x->next) {
        v[n] = x->s;
        if (sema_ntab_put(&s->lost, x->s, (int)n) < 0)
            n++;
        int i = sema_ntab_get(&s->states, x->s);
        if (i >= 0)
            s->reached[i] = s->exits[i] = true;
    }
}

/* Warn on a non-final state with no way out; suggest `final`. */
static void no_exit(sema *s, size_t i)
{
    const ast_item *it = s->decl[i];
    smc_diag_warning(s->d, s->m->states[i].loc,
                     "non-final state '%s' has no outgoing transition",
                     s->m->states[i].name);
    smc_diag_note(s->d, it->loc,
                  "declare it final if the machine may end there");
    if (declares_one(it))
        smc_diag_fixit(s->d, before(it->loc), "final ");
}

/*
 * Warn on states unreachable from initial and non-final dead ends. The
 * search starts from the initial state and from every state an
 * erroneous item enters; a state an erroneous item leaves has an exit.
 * When a transition enters a name that is no state, any state may be
 * reachable, so none is reported unreachable.
 */
static void check_reach(sema *s)
{
    smc_machine *m = s->m;
    int *queue = smc_alloc(s->tmp, (m->nstates + 1) * sizeof *queue);
    bool *seen = smc_alloc(s->tmp, (m->nstates + 1) * sizeof *seen);
    size_t head = 0, tail = 0;
    if (!queue || !seen) {
        s->oom = true;
        return;
    }
    for (size_t i = 0; i < m->nstates; i++)
        if ((int)i == m->initial || s->reached[i]) {
            seen[i] = true;
            queue[tail++] = (int)i;
        }
    while (head < tail) {
        int q = queue[head++];
        for (size_t i = s->first[q]; i < s->first[q + 1]; i++)
            if (!seen[m->trans[i].to]) {
                seen[m->trans[i].to] = true;
                queue[tail++] = m->trans[i].to;
            }
    }
    for (size_t i = 0; i < m->nstates; i++) {
        if (m->states[i].retired) /* history only: no way in or out */
            continue;
        if (!seen[i] && !s->unknown_target)
            smc_diag_warning(s->d, m->states[i].loc,
                             "state '%s' is unreachable from the initial "
                             "state",
                             m->states[i].name);
        if (!m->states[i].final && s->first[i] == s->first[i + 1] &&
            !s->exits[i])
            no_exit(s, i);
    }
}

/* The phases of one machine, in order. */
static void check_phases(sema *s, const ast_machine *am)
{
    s->partial = am->dropped > 0; /* a lost item may be any transition */
    declare_states(s, am->items);
    if (!s->oom)
        sema_renames(s, am->items);
    if (!s->oom)
        credit_lost(s, am->lost);
    if (s->oom)
        return;
    check_initial(s);
    sema_transitions(s, am->items);
    if (!s->oom)
        sema_events(s, am->items);
    if (!s->oom)
        sema_hooks(s, am->items);
    if (!s->oom)
        sema_storage(s, am->items);
    if (!s->oom && s->m->nstates && !s->partial)
        check_reach(s);
}

/*
 * Check one machine into m. What only the checking needs (name tables,
 * per-state marks, sort buffers) lives in the scratch arena, emptied
 * right after, so a file of many machines costs little more than their
 * models.
 */
static void check_machine(sema *s, const ast_machine *am, smc_machine *m)
{
    *s = (sema){.a = s->a, .d = s->d, .tmp = s->tmp};
    s->m = m;
    s->am = am;
    m->loc = am->name->loc;
    check_phases(s, am);
    smc_arena_reset(s->tmp);
}

/*
 * The machine's name: not the runtime's (sm, sm_*), and new in the file,
 * reported once against the first machine of that name (or of that name
 * in upper case, as its C constants would clash).
 */
static void check_machine_name(sema *s, ntab *names, ntab *up,
                               const smc_unit *u, const ast_name *x)
{
    int i = (int)u->nmachines;
    u->machines[i].name = x->s; /* the tables' key */
    if (!strcasecmp(x->s, "sm") || !strncasecmp(x->s, "sm_", 3))
        smc_diag_error(s->d, x->loc,
                       "machine name '%s' collides with the runtime's "
                       "sm_/SM_ names",
                       x->s);
    int prev = sema_ntab_put(names, x->s, i);
    if (prev >= 0) {
        smc_diag_error(s->d, x->loc, "machine '%s' declared twice", x->s);
        smc_diag_note(s->d, u->machines[prev].loc, "previously declared here");
        return;
    }
    prev = sema_ntab_put(up, x->s, i);
    if (prev >= 0)
        sema_case_clash(s, "machine", x, u->machines[prev].name,
                        u->machines[prev].loc);
}

smc_unit *smc_sema_check(smc_arena *a, smc_arena *scratch, smc_diag *d,
                         const char *path, ast_machine *file)
{
    sema s = {.a = a, .tmp = a, .d = d};
    size_t n = 0;
    ntab names, up;
    for (ast_machine *am = file; am; am = am->next)
        n += am->name != NULL;
    smc_unit *u = smc_alloc(a, sizeof *u);
    bool ok = u &&
              (u->machines = smc_alloc(a, (n + 1) * sizeof *u->machines)) &&
              sema_ntab_init(&s, &names, n, &u->machines[0].name,
                             sizeof *u->machines, false) &&
              sema_ntab_init(&s, &up, n, &u->machines[0].name,
                             sizeof *u->machines, true);
    for (ast_machine *am = file; ok && am && !s.oom; am = am->next) {
        if (!am->name)
            continue;
        check_machine_name(&s, &names, &up, u, am->name);
        s.tmp = scratch;
        check_machine(&s, am, &u->machines[u->nmachines++]);
        s.tmp = a;
    }
    if (ok && !s.oom) {
        u->path = path;
        s.tmp = scratch;
        sema_generated(&s, u);
    }
    return ok && !s.oom ? u : NULL;
}
