/*
 * sema.c - checks one machine at a time: states into an open-addressing
 * name table, transitions expanded, sorted and deduplicated, events and
 * hooks resolved against them, reachability by BFS. No O(n^2) step.
 */
#include "sema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tx {
    int from, to;
    smc_loc loc;
} tx;

typedef struct sema {
    smc_arena *a;
    smc_diag *d;
    smc_machine *m;
    int *slots; /* name table: state index + 1, 0 empty */
    size_t mask;
    bool oom;
    bool retired_hit; /* a selector just named a retired state */
} sema;

/* FNV-1a hash of a NUL-terminated string. */
static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The table slot for name: holding it, or the empty slot it would go. */
static int *slot_of(sema *s, const char *name)
{
    size_t i = hash(name) & s->mask;
    while (s->slots[i] && strcmp(s->m->states[s->slots[i] - 1].name, name))
        i = (i + 1) & s->mask;
    return &s->slots[i];
}

/* A name -> index table for events and hook names (open addressing). */
typedef struct ntab {
    const char **keys;
    int *vals;
    size_t mask;
} ntab;

/* Size t for n names; false when out of memory. */
static bool ntab_init(sema *s, ntab *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    t->keys = smc_alloc(s->a, cap * sizeof *t->keys);
    t->vals = smc_alloc(s->a, cap * sizeof *t->vals);
    t->mask = cap - 1;
    s->oom = s->oom || !t->keys || !t->vals;
    return !s->oom;
}

/* The index stored for name, or -1. */
static int ntab_get(const ntab *t, const char *name)
{
    size_t i = hash(name) & t->mask;
    while (t->keys[i] && strcmp(t->keys[i], name))
        i = (i + 1) & t->mask;
    return t->keys[i] ? t->vals[i] : -1;
}

/* The index stored for name, or -1 after storing v for it. */
static int ntab_get_or_put(ntab *t, const char *name, int v)
{
    size_t i = hash(name) & t->mask;
    while (t->keys[i] && strcmp(t->keys[i], name))
        i = (i + 1) & t->mask;
    if (t->keys[i])
        return t->vals[i];
    t->keys[i] = name;
    t->vals[i] = v;
    return -1;
}

/*
 * Enum constants are upper case (ORDER_STATE_PENDING), so names that
 * differ only in case would give one constant twice. The upper-case form
 * of name, from the arena (NULL when out of memory).
 */
static const char *upper(sema *s, const char *name)
{
    size_t n = strlen(name);
    char *u = smc_alloc(s->a, n + 1);
    if (!u) {
        s->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        u[i] = (char)toupper((unsigned char)name[i]);
    return u;
}

/*
 * Check the C constant PREFIX_KIND_NAME of a new state or event (index
 * v): reports it when it is the enum's __COUNT; returns the index of an
 * earlier name with the same constant, or -1. t holds the upper-case
 * names seen so far.
 */
static int constant_clash(sema *s, ntab *t, const char *kind, const ast_name *x,
                          int v)
{
    const char *u = upper(s, x->s);
    const char *mu = upper(s, s->m->name);
    if (!u || !mu)
        return -1;
    if (!strcmp(u, "_COUNT"))
        smc_diag_error(s->d, x->loc,
                       "%s '%s' would be the constant "
                       "%s_%s__COUNT, which counts the %ss",
                       kind, x->s, mu, kind[0] == 's' ? "STATE" : "EVENT",
                       kind);
    return ntab_get_or_put(t, u, v);
}

/* The index of a declared state, or -1 after reporting it undeclared. */
static int lookup(sema *s, const ast_name *n)
{
    int v = *slot_of(s, n->s);
    if (!v)
        smc_diag_error(s->d, n->loc, "undeclared state '%s'", n->s);
    return v - 1;
}

/*
 * State i (named by n), or -1 when it is retired: a retired state is
 * never entered or left, so it is in no transition, event or selector.
 * `where` says which, for the message ("a transition", "event 'e'").
 */
static int movable(sema *s, const ast_name *n, int i, const char *where)
{
    if (i < 0 || !s->m->states[i].retired)
        return i;
    smc_diag_error(s->d, n->loc,
                   "retired state '%s' in %s: a retired state is never "
                   "entered or left",
                   n->s, where);
    smc_diag_note(s->d, s->m->states[i].loc, "'%s' retired here", n->s);
    return -1;
}

/* Report x, whose constant an earlier name (other, at loc) has. */
static void case_clash(sema *s, const char *kind, const ast_name *x,
                       const char *other, smc_loc loc)
{
    smc_diag_error(s->d, x->loc,
                   "%s '%s' differs from '%s' only in case "
                   "(the C constants would clash)",
                   kind, x->s, other);
    smc_diag_note(s->d, loc, "'%s' declared here", other);
}

/* Declare the states of all `state` items, in order. */
static void declare_states(sema *s, ast_item *items)
{
    size_t n = 0, cap = 16;
    for (ast_item *it = items; it; it = it->next)
        for (ast_name *x = it->kind == AST_STATE ? it->to : NULL; x;
             x = x->next)
            n++;
    while (cap < 2 * n)
        cap *= 2;
    s->slots = smc_alloc(s->a, cap * sizeof *s->slots);
    s->m->states = smc_alloc(s->a, (n + 1) * sizeof *s->m->states);
    s->mask = cap - 1;
    ntab up;
    if (!s->slots || !s->m->states || !ntab_init(s, &up, n)) {
        s->oom = true;
        return;
    }
    for (ast_item *it = items; it; it = it->next)
        for (ast_name *x = it->kind == AST_STATE ? it->to : NULL; x;
             x = x->next) {
            int *sl = slot_of(s, x->s);
            if (*sl) {
                smc_diag_error(s->d, x->loc, "state '%s' declared twice", x->s);
                smc_diag_note(s->d, s->m->states[*sl - 1].loc,
                              "previously declared here");
                continue;
            }
            int prev = constant_clash(s, &up, "state", x, (int)s->m->nstates);
            if (s->oom)
                return;
            if (prev >= 0)
                case_clash(s, "state", x, s->m->states[prev].name,
                           s->m->states[prev].loc);
            smc_state *st = &s->m->states[s->m->nstates];
            st->name = x->s;
            st->loc = x->loc;
            st->initial = it->flags & SM_STATE_INITIAL;
            st->final = it->flags & SM_STATE_FINAL;
            st->retired = it->flags & SM_STATE_RETIRED;
            *sl = (int)++s->m->nstates;
            if (it->names && x != it->to)
                smc_diag_error(s->d, x->loc,
                               "'was' renames one state: declare '%s' "
                               "in a 'state' item of its own",
                               x->s);
        }
}

/* An old name being gathered into the alias table. */
typedef struct alias {
    const char *name;
    int state;
    smc_loc loc;
} alias;

/* Order of aliases by name. */
static int alias_cmp(const void *pa, const void *pb)
{
    return strcmp(((const alias *)pa)->name, ((const alias *)pb)->name);
}

/*
 * Check old name w of state st against the states and the old names so
 * far (upper-case tables: MySQL compares names ignoring case, so two
 * names equal but for case would be one to the CHECK, in_state and the
 * migration). True when it may be added.
 */
static bool alias_ok(sema *s, ntab *states, ntab *olds, const alias *v,
                     const ast_name *w, int st)
{
    const smc_machine *m = s->m;
    const char *u = upper(s, w->s);
    int other = u ? ntab_get(states, u) : -1;
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
    int prev = u ? ntab_get_or_put(olds, u, (int)m->naliases) : -1;
    if (prev < 0)
        return u != NULL;
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
 * none (a duplicate) or several (reported by declare_states). */
static int renamed_state(sema *s, const ast_item *it)
{
    if (it->kind != AST_STATE || !it->names || !it->to || it->to->next)
        return -1;
    int i = *slot_of(s, it->to->s) - 1;
    const smc_loc *at = i >= 0 ? &s->m->states[i].loc : NULL;
    return at && at->line == it->to->loc.line && at->col == it->to->loc.col
               ? i
               : -1;
}

/* Record one checked old name w of state st (its was list, the table). */
static void add_alias(sema *s, alias *v, const ast_name *w, int st)
{
    smc_state *x = &s->m->states[st];
    v[s->m->naliases++] = (alias){w->s, st, w->loc};
    x->was[x->nwas++] = w->s;
}

/* Gather the old (`was`) names into each state and the alias table. */
static void declare_renames(sema *s, ast_item *items)
{
    smc_machine *m = s->m;
    size_t n = 0;
    for (ast_item *it = items; it; it = it->next)
        for (ast_name *w = renamed_state(s, it) >= 0 ? it->names : NULL; w;
             w = w->next)
            n++;
    ntab states, olds;
    alias *v = smc_alloc(s->a, (n + 1) * sizeof *v);
    if (!n || !v || !ntab_init(s, &states, m->nstates) ||
        !ntab_init(s, &olds, n)) {
        s->oom = s->oom || !v;
        return;
    }
    for (size_t i = 0; i < m->nstates; i++) {
        const char *u = upper(s, m->states[i].name);
        if (!u)
            return;
        ntab_get_or_put(&states, u, (int)i);
    }
    for (ast_item *it = items; it && !s->oom; it = it->next) {
        int st = renamed_state(s, it);
        size_t k = 0;
        for (ast_name *w = st >= 0 ? it->names : NULL; w; w = w->next)
            k++;
        if (st >= 0 &&
            !(m->states[st].was = smc_alloc(s->a, k * sizeof(char *))))
            s->oom = true;
        for (ast_name *w = st >= 0 ? it->names : NULL; w && !s->oom;
             w = w->next)
            if (alias_ok(s, &states, &olds, v, w, st))
                add_alias(s, v, w, st);
    }
    qsort(v, m->naliases, sizeof *v, alias_cmp);
    m->alias_names = smc_alloc(s->a, (m->naliases + 1) * sizeof(char *));
    m->alias_states = smc_alloc(s->a, (m->naliases + 1) * sizeof(int));
    s->oom = s->oom || !m->alias_names || !m->alias_states;
    for (size_t i = 0; i < m->naliases && !s->oom; i++) {
        m->alias_names[i] = v[i].name;
        m->alias_states[i] = v[i].state;
    }
}

/* Exactly one initial state. */
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
    if (m->initial < 0) {
        smc_diag_error(s->d, m->loc, "machine '%s' has no initial state",
                       m->name);
        m->initial = 0;
    }
}

/* Order of tx by (from, to), then by source position. */
static int tx_cmp(const void *pa, const void *pb)
{
    const tx *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    return (a->loc.col > b->loc.col) - (a->loc.col < b->loc.col);
}

/* Count the (from, to) pairs of all transition items. */
static size_t count_pairs(ast_item *items)
{
    size_t n = 0;
    for (ast_item *it = items; it; it = it->next) {
        if (it->kind != AST_TRANS)
            continue;
        size_t f = 0, t = 0;
        for (ast_name *x = it->from; x; x = x->next)
            f++;
        for (ast_name *x = it->to; x; x = x->next)
            t++;
        n += f * t;
    }
    return n;
}

/* Expand the transition items into tmp; returns how many are valid. */
static size_t expand_trans(sema *s, ast_item *items, tx *tmp)
{
    size_t n = 0;
    for (ast_item *it = items; it; it = it->next) {
        if (it->kind != AST_TRANS)
            continue;
        for (ast_name *f = it->from; f; f = f->next) {
            int fi = movable(s, f, lookup(s, f), "a transition");
            if (fi >= 0 && s->m->states[fi].final)
                smc_diag_error(s->d, f->loc,
                               "transition out of final "
                               "state '%s'",
                               f->s);
            for (ast_name *t = it->to; t; t = t->next) {
                int ti = *slot_of(s, t->s) - 1;
                if (f == it->from)
                    ti = movable(s, t, lookup(s, t), "a transition");
                else if (ti >= 0 && s->m->states[ti].retired)
                    ti = -1;
                if (fi >= 0 && ti >= 0)
                    tmp[n++] = (tx){fi, ti, t->loc};
            }
        }
    }
    return n;
}

/* Build m->trans sorted and unique, warning on duplicates. */
static void build_trans(sema *s, ast_item *items)
{
    size_t n = count_pairs(items);
    tx *tmp = smc_alloc(s->a, (n + 1) * sizeof *tmp);
    s->m->trans = smc_alloc(s->a, (n + 1) * sizeof *s->m->trans);
    if (!tmp || !s->m->trans) {
        s->oom = true;
        return;
    }
    n = expand_trans(s, items, tmp);
    qsort(tmp, n, sizeof *tmp, tx_cmp);
    for (size_t i = 0; i < n; i++) {
        const smc_trans *last =
            s->m->ntrans ? &s->m->trans[s->m->ntrans - 1] : NULL;
        if (last && last->from == tmp[i].from && last->to == tmp[i].to) {
            smc_diag_warning(s->d, tmp[i].loc,
                             "duplicated transition "
                             "'%s -> %s'",
                             s->m->states[tmp[i].from].name,
                             s->m->states[tmp[i].to].name);
            continue;
        }
        s->m->trans[s->m->ntrans++] = (smc_trans){tmp[i].from, tmp[i].to};
    }
}

/* Whether from -> to is declared (binary search). */
static bool declared(const smc_machine *m, int from, int to)
{
    size_t lo = 0, hi = m->ntrans;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const smc_trans *t = &m->trans[mid];
        if (t->from == from && t->to == to)
            return true;
        if (t->from < from || (t->from == from && t->to < to))
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Order of smc_trans by from. */
static int arrow_cmp(const void *pa, const void *pb)
{
    const smc_trans *a = pa, *b = pb;
    return (a->from > b->from) - (a->from < b->from);
}

/* Fill one event's arrows from its AST, checking each. */
static void build_event(sema *s, smc_event *ev, ast_item *it)
{
    size_t n = 0;
    for (ast_item *ar = it->arrows; ar; ar = ar->next)
        for (ast_name *f = ar->from; f; f = f->next)
            n++;
    ev->arrows = smc_alloc(s->a, (n + 1) * sizeof *ev->arrows);
    if (!ev->arrows) {
        s->oom = true;
        return;
    }
    char where[96];
    snprintf(where, sizeof where, "event '%.64s'", ev->name);
    for (ast_item *ar = it->arrows; ar; ar = ar->next) {
        int to = ar->to ? movable(s, ar->to, lookup(s, ar->to), where) : -1;
        for (ast_name *f = ar->from; f; f = f->next) {
            int from = movable(s, f, lookup(s, f), where);
            if (from < 0 || to < 0)
                continue;
            if (!declared(s->m, from, to)) {
                smc_diag_error(s->d, f->loc,
                               "event '%s': '%s -> %s' is "
                               "not a declared transition",
                               ev->name, f->s, ar->to->s);
                continue;
            }
            ev->arrows[ev->narrows++] = (smc_trans){from, to};
        }
    }
    qsort(ev->arrows, ev->narrows, sizeof *ev->arrows, arrow_cmp);
}

/* Report sources with two targets in one event and drop the extras. */
static void check_determinism(sema *s, smc_event *ev, smc_loc loc)
{
    size_t k = 0;
    for (size_t i = 0; i < ev->narrows; i++) {
        if (k && ev->arrows[k - 1].from == ev->arrows[i].from) {
            if (ev->arrows[k - 1].to != ev->arrows[i].to)
                smc_diag_error(s->d, loc,
                               "event '%s' has two targets for "
                               "state '%s' ('%s' and '%s')",
                               ev->name, s->m->states[ev->arrows[i].from].name,
                               s->m->states[ev->arrows[k - 1].to].name,
                               s->m->states[ev->arrows[i].to].name);
            continue;
        }
        ev->arrows[k++] = ev->arrows[i];
    }
    ev->narrows = k;
}

/* Build the events, rejecting duplicate names (linear via a table). */
static void build_events(sema *s, ast_item *items)
{
    size_t n = 0;
    for (ast_item *it = items; it; it = it->next)
        n += it->kind == AST_EVENT;
    ntab names, up;
    s->m->events = smc_alloc(s->a, (n + 1) * sizeof *s->m->events);
    if (!s->m->events || !ntab_init(s, &names, n) || !ntab_init(s, &up, n)) {
        s->oom = true;
        return;
    }
    for (ast_item *it = items; it; it = it->next) {
        if (it->kind != AST_EVENT || !it->name)
            continue;
        smc_event *ev = &s->m->events[s->m->nevents];
        int prev = ntab_get_or_put(&names, it->name->s, (int)s->m->nevents);
        if (prev >= 0) {
            smc_diag_error(s->d, it->name->loc,
                           "event '%s' declared "
                           "twice",
                           it->name->s);
            smc_diag_note(s->d, s->m->events[prev].loc,
                          "previously declared here");
            continue;
        }
        prev = constant_clash(s, &up, "event", it->name, (int)s->m->nevents);
        if (s->oom)
            return;
        if (prev >= 0)
            case_clash(s, "event", it->name, s->m->events[prev].name,
                       s->m->events[prev].loc);
        ev->name = it->name->s;
        ev->loc = it->name->loc;
        build_event(s, ev, it);
        check_determinism(s, ev, ev->loc);
        s->m->nevents++;
    }
}

/* Order of ints. */
static int int_cmp(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return (a > b) - (a < b);
}

/* Resolve a selector side: sorted unique indices; NULL/0 for '*'. */
static int *resolve_side(sema *s, ast_name *names, size_t *n)
{
    *n = 0;
    if (!names)
        return NULL;
    size_t c = 0;
    for (ast_name *x = names; x; x = x->next)
        c++;
    int *v = smc_alloc(s->a, c * sizeof *v);
    if (!v) {
        s->oom = true;
        return NULL;
    }
    for (ast_name *x = names; x; x = x->next) {
        int i = lookup(s, x);
        s->retired_hit = s->retired_hit || (i >= 0 && s->m->states[i].retired);
        i = movable(s, x, i, "a hook selector");
        if (i >= 0)
            v[(*n)++] = i;
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

/* Whether the hook selects at least one declared transition. */
static bool selects_any(const smc_machine *m, const smc_hook *h)
{
    for (size_t i = 0; i < m->ntrans; i++)
        if (in_side(h->from, h->nfrom, m->trans[i].from) &&
            in_side(h->to, h->nto, m->trans[i].to))
            return true;
    return false;
}

/*
 * Names the generated code uses itself after the machine prefix (the
 * functions, types and static tables of emit_c_header.c and emit_c_source.c):
 * a hook with one of them would redeclare it.
 */
static const char *const generated[] = {"def",
                                        "state",
                                        "event",
                                        "state_id",
                                        "event_id",
                                        "state_name",
                                        "state_from_name",
                                        "transition_allowed",
                                        "event_name",
                                        "event_from_name",
                                        "current_state",
                                        "can_transition_to",
                                        "transition_to",
                                        "transition_to_retry",
                                        "fire",
                                        "fire_retry",
                                        "batch_transition_to",
                                        "batch_fire",
                                        "names",
                                        "flags",
                                        "by_name",
                                        "event_by_name",
                                        "trans_index",
                                        "trans_to",
                                        "event_names",
                                        "event_index",
                                        "arrows",
                                        "hooks",
                                        "alias_names",
                                        "alias_states",
                                        NULL};

static bool reserved_hook(const char *n)
{
    for (int i = 0; generated[i]; i++)
        if (!strcmp(generated[i], n))
            return true;
    return false;
}

/* Check one hook name against the reserved names and earlier hooks. */
static void check_hook_name(sema *s, ntab *t, const smc_hook *h)
{
    if (reserved_hook(h->name))
        smc_diag_error(s->d, h->loc,
                       "hook name '%s' collides with a "
                       "generated name",
                       h->name);
    int prev = ntab_get_or_put(t, h->name, (int)s->m->nhooks);
    const smc_hook *o = prev >= 0 ? &s->m->hooks[prev] : NULL;
    if (!o || (o->kind == SM_HOOK_GUARD) == (h->kind == SM_HOOK_GUARD))
        return;
    smc_diag_error(s->d, h->loc,
                   "'%s' is used both as a guard and "
                   "as a non-guard hook",
                   h->name);
    smc_diag_note(s->d, o->loc, "previously used here");
}

static const char *const hook_words[] = {"guard",
                                         "before",
                                         "after",
                                         "after_commit",
                                         "after_guard_failure",
                                         "after_transition_failure"};

/* Build one smc_hook per (declaration, name). */
static void build_hooks(sema *s, ast_item *items)
{
    size_t n = 0;
    for (ast_item *it = items; it; it = it->next)
        for (ast_name *x = it->kind == AST_HOOK ? it->names : NULL; x;
             x = x->next)
            n++;
    ntab names;
    s->m->hooks = smc_alloc(s->a, (n + 1) * sizeof *s->m->hooks);
    if (!s->m->hooks || !ntab_init(s, &names, n)) {
        s->oom = true;
        return;
    }
    for (ast_item *it = items; it; it = it->next) {
        if (it->kind != AST_HOOK)
            continue;
        smc_hook h = {.kind = it->hook};
        s->retired_hit = false;
        h.from = resolve_side(s, it->from, &h.nfrom);
        h.to = resolve_side(s, it->to, &h.nto);
        if (it->hook <= SM_HOOK_AFTER && !s->retired_hit &&
            !selects_any(s->m, &h))
            smc_diag_error(s->d, it->loc,
                           "%s selects no declared "
                           "transition",
                           hook_words[it->hook]);
        for (ast_name *x = it->names; x; x = x->next) {
            h.name = x->s;
            h.loc = x->loc;
            check_hook_name(s, &names, &h);
            s->m->hooks[s->m->nhooks++] = h;
        }
    }
}

/* Whether v is a valid MySQL identifier: [A-Za-z0-9_]{1,64}, not digits. */
static bool mysql_ident(const char *v)
{
    size_t n = strlen(v);
    bool digits = true;
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return false;
        digits = digits && c >= '0' && c <= '9';
    }
    return !digits;
}

/* The storage keys: three names, then three yes/no schema options. */
static const char *const storage_keys[] = {"table",       "parent_table",
                                           "parent_key",  "create_parent",
                                           "foreign_key", "state_check"};
enum { NAME_KEYS = 3, STORAGE_KEYS = 6 };
static const unsigned schema_bits[] = {SM_SCHEMA_PARENT, SM_SCHEMA_FOREIGN_KEY,
                                       SM_SCHEMA_STATE_CHECK};

/* Apply a checked yes/no option k (NAME_KEYS..STORAGE_KEYS-1). */
static bool storage_option(sema *s, int k, const ast_name *kv)
{
    unsigned bit = schema_bits[k - NAME_KEYS];
    bool yes = !strcmp(kv->value, "yes");
    if (!yes && strcmp(kv->value, "no")) {
        smc_diag_error(s->d, kv->vloc,
                       "storage %s \"%s\" is neither \"yes\" nor "
                       "\"no\"",
                       kv->s, kv->value);
        return false;
    }
    s->m->schema = yes ? s->m->schema | bit : s->m->schema & ~bit;
    return true;
}

/* Apply one storage key = value, checking key and value. */
static void storage_kv(sema *s, ast_name *kv, smc_loc seen[STORAGE_KEYS])
{
    const char **dst[] = {&s->m->table, &s->m->parent_table, &s->m->parent_key};
    int k = 0;
    while (k < STORAGE_KEYS && strcmp(storage_keys[k], kv->s))
        k++;
    if (k == STORAGE_KEYS) {
        smc_diag_error(s->d, kv->loc,
                       "unknown storage key '%s' (expected table, "
                       "parent_table, parent_key, create_parent, "
                       "foreign_key or state_check)",
                       kv->s);
    } else if (seen[k].line) {
        smc_diag_error(s->d, kv->loc, "storage key '%s' set twice", kv->s);
        smc_diag_note(s->d, seen[k], "previously set here");
    } else if (k >= NAME_KEYS) {
        if (storage_option(s, k, kv))
            seen[k] = kv->loc;
    } else if (!mysql_ident(kv->value)) {
        smc_diag_error(s->d, kv->vloc,
                       "storage %s \"%s\" is not a valid "
                       "MySQL identifier ([A-Za-z0-9_], 1 to 64 characters, "
                       "not all digits)",
                       kv->s, kv->value);
    } else {
        seen[k] = kv->loc;
        *dst[k] = kv->value;
    }
}

/*
 * The CHECK lists every name the history may hold; MariaDB refuses a
 * CHECK whose text passes 64 KB ("Expression in the CHECK clause is too
 * big"). Past CHECK_MAX bytes (a margin under that, counting each name
 * as the server stores it, 'name',), an explicit state_check = "yes" is
 * an error and the default becomes "no", with a warning.
 */
enum { CHECK_MAX = 60000 };
static void check_size(sema *s, const ast_name *explicit_yes)
{
    smc_machine *m = s->m;
    size_t n = 32;
    for (size_t i = 0; i < m->nstates; i++)
        n += strlen(m->states[i].name) + 3;
    for (size_t i = 0; i < m->naliases; i++)
        n += strlen(m->alias_names[i]) + 3;
    if (n <= CHECK_MAX || !(m->schema & SM_SCHEMA_STATE_CHECK))
        return;
    if (explicit_yes)
        smc_diag_error(s->d, explicit_yes->vloc,
                       "storage state_check \"yes\": the CHECK would "
                       "take %zu bytes, more than MariaDB accepts (64 KB)",
                       n);
    else
        smc_diag_warning(s->d, m->loc,
                         "the CHECK on to_state would take %zu bytes, more "
                         "than MariaDB accepts (64 KB): it is left out "
                         "(say state_check = \"no\")",
                         n);
    m->schema &= ~(unsigned)SM_SCHEMA_STATE_CHECK;
}

/* Storage settings, then the defaults for what is unset: every schema
 * option is on unless the file says "no" (or the CHECK cannot be). */
static void build_storage(sema *s, ast_item *items)
{
    const ast_name *check_yes = NULL;
    smc_loc seen[STORAGE_KEYS] = {{0, 0}};
    s->m->schema =
        SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY | SM_SCHEMA_STATE_CHECK;
    for (ast_item *it = items; it; it = it->next)
        for (ast_name *kv = it->kind == AST_STORAGE ? it->names : NULL; kv;
             kv = kv->next) {
            storage_kv(s, kv, seen);
            if (!strcmp(kv->s, "state_check") && !strcmp(kv->value, "yes"))
                check_yes = kv;
        }
    check_size(s, check_yes);
    size_t n = strlen(s->m->name) + 16;
    char *t = smc_alloc(s->a, 3 * n);
    if (!t) {
        s->oom = true;
        return;
    }
    snprintf(t, n, "%s_transitions", s->m->name);
    snprintf(t + n, n, "%ss", s->m->name);
    snprintf(t + 2 * n, n, "%s_id", s->m->name);
    s->m->table = s->m->table ? s->m->table : t;
    s->m->parent_table = s->m->parent_table ? s->m->parent_table : t + n;
    s->m->parent_key = s->m->parent_key ? s->m->parent_key : t + 2 * n;
}

/* Warn on states unreachable from initial and non-final dead ends.
 * Scratch arrays come from the arena, like everything in the front end,
 * so running out of memory can unwind from anywhere (compile.c). */
static void check_reach(sema *s)
{
    smc_machine *m = s->m;
    size_t *first = smc_alloc(s->a, (m->nstates + 1) * sizeof *first);
    int *queue = smc_alloc(s->a, (m->nstates + 1) * sizeof *queue);
    bool *seen = smc_alloc(s->a, (m->nstates + 1) * sizeof *seen);
    if (!first || !queue || !seen) {
        s->oom = true;
        return;
    }
    for (size_t i = 0; i < m->ntrans; i++)
        first[m->trans[i].from + 1]++;
    for (size_t i = 0; i < m->nstates; i++)
        first[i + 1] += first[i];
    size_t head = 0, tail = 0;
    queue[tail++] = m->initial;
    seen[m->initial] = true;
    while (head < tail) {
        int q = queue[head++];
        for (size_t i = first[q]; i < first[q + 1]; i++)
            if (!seen[m->trans[i].to]) {
                seen[m->trans[i].to] = true;
                queue[tail++] = m->trans[i].to;
            }
    }
    for (size_t i = 0; i < m->nstates; i++) {
        if (m->states[i].retired) /* history only: no way in or out */
            continue;
        if (!seen[i])
            smc_diag_warning(s->d, m->states[i].loc,
                             "state '%s' is "
                             "unreachable from the initial state",
                             m->states[i].name);
        if (!m->states[i].final && first[i] == first[i + 1])
            smc_diag_warning(s->d, m->states[i].loc,
                             "non-final state '%s' "
                             "has no outgoing transition",
                             m->states[i].name);
    }
}

/* Whether the first n bytes of a and b are equal but for ASCII case. */
static bool same_upper_n(const char *a, const char *b, size_t n)
{
    for (; n && *a && toupper((unsigned char)*a) == toupper((unsigned char)*b);
         a++, b++, n--)
        ;
    return n == 0;
}

/* Whether a and b are equal but for ASCII case. */
static bool same_upper(const char *a, const char *b)
{
    for (; *a && toupper((unsigned char)*a) == toupper((unsigned char)*b);
         a++, b++)
        ;
    return !*a && !*b;
}

/* Check one machine into m. */
static void check_machine(sema *s, ast_machine *am, smc_machine *m)
{
    s->m = m;
    m->name = am->name->s;
    m->loc = am->name->loc;
    declare_states(s, am->items);
    if (!s->oom)
        declare_renames(s, am->items);
    if (s->oom)
        return;
    check_initial(s);
    build_trans(s, am->items);
    if (!s->oom)
        build_events(s, am->items);
    if (!s->oom)
        build_hooks(s, am->items);
    if (!s->oom)
        build_storage(s, am->items);
    if (!s->oom && m->nstates)
        check_reach(s);
}

/* "a" sep "b" from the arena; NULL when out of memory. */
static const char *join(sema *s, const char *a, const char *sep, const char *b)
{
    if (!a || !b)
        return NULL; /* out of memory already */
    size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
    char *r = smc_alloc(s->a, n);
    if (!r) {
        s->oom = true;
        return NULL;
    }
    snprintf(r, n, "%s%s%s", a, sep, b);
    return r;
}

/* Record name for machine mi; report it once if another machine has it. */
static void put_generated(sema *s, ntab *t, const smc_unit *u, int mi,
                          const char *name, bool *reported)
{
    int prev = name ? ntab_get_or_put(t, name, mi) : -1;
    if (prev < 0 || prev == mi || *reported)
        return;
    const smc_machine *m = &u->machines[mi], *o = &u->machines[prev];
    smc_diag_error(s->d, m->loc,
                   "machine '%s' would generate '%s', as "
                   "machine '%s' does",
                   m->name, name, o->name);
    smc_diag_note(s->d, o->loc, "'%s' declared here", o->name);
    *reported = true;
}

/*
 * Across machines, the C names each generates (prefix_NAME functions,
 * tables and hooks; PREFIX_STATE_X and PREFIX_EVENT_X constants; the
 * PREFIX_STATE(X) and PREFIX_EVENT(X) macros) must
 * differ: machine `a` with hook `x_def` and machine `a_x` would both
 * define a_x_def. Within a machine the other checks rule this out, so
 * it runs only for clean files of several machines.
 */
static void check_generated(sema *s, const smc_unit *u)
{
    size_t n = 0, i, k;
    ntab t;
    if (u->nmachines < 2 || s->d->errors)
        return;
    for (i = 0; i < u->nmachines; i++)
        n += sizeof generated / sizeof *generated + 4 + u->machines[i].nstates +
             u->machines[i].nevents + u->machines[i].nhooks;
    if (!ntab_init(s, &t, n))
        return;
    for (i = 0; i < u->nmachines && !s->oom; i++) {
        const smc_machine *m = &u->machines[i];
        const char *p = m->name, *up = upper(s, p);
        const char *st = join(s, up, "_", "STATE_");
        const char *ev = join(s, up, "_", "EVENT_");
        bool rep = false;
        s->m = &u->machines[i];
        for (k = 0; generated[k]; k++)
            put_generated(s, &t, u, (int)i, join(s, p, "_", generated[k]),
                          &rep);
        for (k = 0; k < m->nhooks; k++)
            put_generated(s, &t, u, (int)i, join(s, p, "_", m->hooks[k].name),
                          &rep);
        for (k = 0; k < m->nstates && st; k++)
            put_generated(s, &t, u, (int)i,
                          join(s, st, "", upper(s, m->states[k].name)), &rep);
        for (k = 0; k < m->nevents && ev; k++)
            put_generated(s, &t, u, (int)i,
                          join(s, ev, "", upper(s, m->events[k].name)), &rep);
        put_generated(s, &t, u, (int)i, join(s, st, "", "_COUNT"), &rep);
        put_generated(s, &t, u, (int)i, join(s, ev, "", "_COUNT"), &rep);
        put_generated(s, &t, u, (int)i, join(s, up, "_", "STATE"), &rep);
        put_generated(s, &t, u, (int)i, join(s, up, "_", "EVENT"), &rep);
    }
}

smc_unit *smc_sema_check(smc_arena *a, smc_diag *d, const char *path,
                         ast_machine *file)
{
    sema s = {.a = a, .d = d};
    size_t n = 0;
    for (ast_machine *am = file; am; am = am->next)
        n += am->name != NULL;
    smc_unit *u = smc_alloc(a, sizeof *u);
    if (!u || !(u->machines = smc_alloc(a, (n + 1) * sizeof *u->machines)))
        return NULL;
    u->path = path;
    for (ast_machine *am = file; am && !s.oom; am = am->next) {
        if (!am->name)
            continue;
        if (same_upper(am->name->s, "sm") ||
            (same_upper_n(am->name->s, "sm_", 3)))
            smc_diag_error(d, am->name->loc,
                           "machine name '%s' collides "
                           "with the runtime's sm_/SM_ names",
                           am->name->s);
        for (size_t i = 0; i < u->nmachines; i++) {
            const char *o = u->machines[i].name;
            if (!strcmp(o, am->name->s)) {
                smc_diag_error(d, am->name->loc,
                               "machine '%s' declared "
                               "twice",
                               am->name->s);
                smc_diag_note(d, u->machines[i].loc,
                              "previously declared here");
            } else if (same_upper(o, am->name->s)) {
                s.m = &u->machines[i];
                case_clash(&s, "machine", am->name, o, s.m->loc);
            }
        }
        check_machine(&s, am, &u->machines[u->nmachines++]);
    }
    if (!s.oom)
        check_generated(&s, u);
    return s.oom ? NULL : u;
}
