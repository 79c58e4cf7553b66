/*
 * diff.c - comparing two checked units for what the history sees.
 *
 * A row holds state names. Each name the old version could have written
 * (its states, retired ones included, and its old names) is looked up
 * in the new version: found as a state, as an old name of another
 * state (a rename), or not at all (breaking). Transitions are compared
 * through that mapping. Name lookups are binary searches of a sorted
 * index, so large machines diff in O(n log n).
 */
#include "diff.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A name the history may hold, and the state it stands for. */
typedef struct entry {
    const char *name;
    int state;
} entry;

/* Every name of a machine (states, then old names), sorted by name. */
typedef struct names {
    entry *v;
    size_t n;
} names;

/* The comparison of one machine in progress. */
typedef struct cmp {
    smc_arena *a;
    smc_machine_diff *md;
    const smc_machine *o, *n;
    names on, nn; /* the old and new machines' names */
    int *to_new;  /* per old state: the new state its name is, or -1 */
    size_t cap;
    bool oom;
} cmp;

static int entry_cmp(const void *pa, const void *pb)
{
    return strcmp(((const entry *)pa)->name, ((const entry *)pb)->name);
}

/* Build m's sorted names into x; false when out of memory. */
static bool names_build(smc_arena *a, const smc_machine *m, names *x)
{
    x->n = m->nstates + m->naliases;
    x->v = smc_alloc(a, (x->n + 1) * sizeof *x->v);
    if (!x->v)
        return false;
    for (size_t i = 0; i < m->nstates; i++)
        x->v[i] = (entry){m->states[i].name, (int)i};
    for (size_t i = 0; i < m->naliases; i++)
        x->v[m->nstates + i] = (entry){m->alias_names[i], m->alias_states[i]};
    qsort(x->v, x->n, sizeof *x->v, entry_cmp);
    return true;
}

/* The state name stands for in x, or -1. */
static int names_find(const names *x, const char *name)
{
    entry key = {name, -1};
    const entry *e = bsearch(&key, x->v, x->n, sizeof *x->v, entry_cmp);
    return e ? e->state : -1;
}

/* Whether x and y hold the same names (the CHECK's list, as a set). */
static bool names_same(const names *x, const names *y)
{
    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->v[i].name, y->v[i].name))
            return false;
    return true;
}

bool smc_change_breaking(smc_change_kind k)
{
    return k < SMC_MACHINE_ADDED;
}

bool smc_change_migrated(smc_change_kind k)
{
    return k == SMC_MACHINE_ADDED || k == SMC_STATE_RENAMED ||
           (k >= SMC_PARENT_CREATED && k != SMC_STATE_COLUMN_DROPPED);
}

/* Record a change (the caller sized the array for every one). */
static void add(cmp *c, smc_change_kind k, const char *old, const char *new)
{
    smc_machine_diff *md = c->md;
    if (md->nchanges == c->cap)
        return; /* not reached: cap bounds every pass */
    md->changes[md->nchanges++] = (smc_change){k, old, new};
    md->nbreaking += smc_change_breaking(k);
}

/* "a -> b" in the arena. */
static const char *arrow(cmp *c, const char *from, const char *to)
{
    size_t n = strlen(from) + strlen(to) + 5;
    char *s = smc_alloc(c->a, n);
    if (!s) {
        c->oom = true;
        return NULL;
    }
    memcpy(s, from, strlen(from));
    memcpy(s + strlen(from), " -> ", 4);
    memcpy(s + strlen(from) + 4, to, strlen(to) + 1);
    return s;
}

/* Table, parent table, parent key: any change is breaking, and moves
 * the machine (the first pass: its changes are the only ones yet). */
static void diff_storage(cmp *c)
{
    const smc_machine *o = c->o, *n = c->n;
    if (strcmp(o->table, n->table))
        add(c, SMC_TABLE_CHANGED, o->table, n->table);
    if (strcmp(o->parent_table, n->parent_table))
        add(c, SMC_PARENT_TABLE_CHANGED, o->parent_table, n->parent_table);
    if (strcmp(o->parent_key, n->parent_key))
        add(c, SMC_PARENT_KEY_CHANGED, o->parent_key, n->parent_key);
    c->md->moved = c->md->nchanges > 0;
}

/* The initial state, through the renames: parents without history
 * are in it, so moving it moves them. */
static void diff_initial(cmp *c)
{
    const char *was = c->o->states[c->o->initial].name;
    if (c->to_new[c->o->initial] != c->n->initial)
        add(c, SMC_INITIAL_CHANGED, was, c->n->states[c->n->initial].name);
}

/* Old states and old names the new version cannot read. */
static void diff_removed(cmp *c)
{
    for (size_t i = 0; i < c->o->nstates; i++)
        if (c->to_new[i] < 0)
            add(c, SMC_STATE_REMOVED, c->o->states[i].name, NULL);
    for (size_t i = 0; i < c->o->naliases; i++)
        if (names_find(&c->nn, c->o->alias_names[i]) < 0)
            add(c, SMC_OLD_NAME_DROPPED, c->o->alias_names[i],
                c->o->states[c->o->alias_states[i]].name);
}

static int trans_cmp(const void *pa, const void *pb)
{
    const smc_trans *x = pa, *y = pb;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* Old transition t in the new machine's numbering; false when an end
 * is gone (reported as a state) or retired (part of retiring it). */
static bool map_trans(const cmp *c, const smc_trans *t, smc_trans *out)
{
    *out = (smc_trans){c->to_new[t->from], c->to_new[t->to]};
    return out->from >= 0 && out->to >= 0 && !c->n->states[out->from].retired &&
           !c->n->states[out->to].retired;
}

/* Old transitions the new machine lacks (the history may hold them),
 * then new transitions no old one becomes. */
static void diff_trans(cmp *c, bool added)
{
    const smc_machine *o = c->o, *n = c->n;
    smc_trans *mapped = smc_alloc(c->a, (o->ntrans + 1) * sizeof *mapped);
    size_t k = 0;
    if (!mapped) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < o->ntrans; i++) {
        smc_trans t;
        if (!map_trans(c, &o->trans[i], &t))
            continue;
        mapped[k++] = t;
        if (!added && !bsearch(&t, n->trans, n->ntrans, sizeof t, trans_cmp))
            add(c, SMC_TRANSITION_REMOVED,
                arrow(c, o->states[o->trans[i].from].name,
                      o->states[o->trans[i].to].name),
                NULL);
    }
    qsort(mapped, k, sizeof *mapped, trans_cmp);
    for (size_t i = 0; added && i < n->ntrans; i++)
        if (!bsearch(&n->trans[i], mapped, k, sizeof *mapped, trans_cmp))
            add(c, SMC_TRANSITION_ADDED, NULL,
                arrow(c, n->states[n->trans[i].from].name,
                      n->states[n->trans[i].to].name));
}

/*
 * Names whose state is called something else now: every old state's
 * name and every old name, when the new version maps it to a state of
 * another name than the old version did. The migration rewrites them.
 * A name that is the new state's own needs no rewrite (the old version
 * knew the coming name as an old name of its state: a prepared rename).
 */
static void diff_renamed(cmp *c)
{
    const smc_machine *o = c->o, *n = c->n;
    for (size_t i = 0; i < c->on.n; i++) {
        const entry *e = &c->on.v[i];
        int s = names_find(&c->nn, e->name);
        if (s >= 0 && strcmp(o->states[e->state].name, n->states[s].name) &&
            strcmp(e->name, n->states[s].name))
            add(c, SMC_STATE_RENAMED, e->name, n->states[s].name);
    }
}

/* Old states retired now, and retired ones live again. */
static void diff_retired(cmp *c, bool retired)
{
    for (size_t i = 0; i < c->o->nstates; i++) {
        int s = c->to_new[i];
        if (s >= 0 && c->o->states[i].retired != retired &&
            c->n->states[s].retired == retired)
            add(c, retired ? SMC_STATE_RETIRED : SMC_STATE_UNRETIRED,
                c->o->states[i].name, c->n->states[s].name);
    }
}

/* New states that no name of the old version becomes. */
static void diff_added(cmp *c)
{
    bool *hit = smc_alloc(c->a, (c->n->nstates + 1) * sizeof *hit);
    if (!hit) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < c->on.n; i++) {
        int s = names_find(&c->nn, c->on.v[i].name);
        if (s >= 0)
            hit[s] = true;
    }
    for (size_t i = 0; i < c->n->nstates; i++)
        if (!hit[i])
            add(c, SMC_STATE_ADDED, NULL, c->n->states[i].name);
}

/* The parents' cached state column (MySQL ignores case in column
 * names): one version's column the other lacks is dropped or added. */
static void diff_state_column(cmp *c)
{
    const char *was = c->o->state_column, *is = c->n->state_column;
    bool same = was && is && !strcasecmp(was, is);
    if (was && !same)
        add(c, SMC_STATE_COLUMN_DROPPED, was, NULL);
    if (is && !same)
        add(c, SMC_STATE_COLUMN_ADDED, NULL, is);
}

/* The schema options, when the tables are the same ones. */
static void diff_schema(cmp *c)
{
    const smc_machine *o = c->o, *n = c->n;
    unsigned was = o->schema, is = n->schema;
    if (c->md->moved)
        return;
    if (!(was & SM_SCHEMA_PARENT) && (is & SM_SCHEMA_PARENT))
        add(c, SMC_PARENT_CREATED, NULL, n->parent_table);
    if (!(was & SM_SCHEMA_FOREIGN_KEY) && (is & SM_SCHEMA_FOREIGN_KEY))
        add(c, SMC_FOREIGN_KEY_ADDED, NULL, n->parent_table);
    if ((was & SM_SCHEMA_FOREIGN_KEY) && !(is & SM_SCHEMA_FOREIGN_KEY))
        add(c, SMC_FOREIGN_KEY_DROPPED, o->parent_table, NULL);
    if ((is & SM_SCHEMA_STATE_CHECK) &&
        (!(was & SM_SCHEMA_STATE_CHECK) || !names_same(&c->on, &c->nn)))
        add(c, SMC_CHECK_CHANGED, NULL, n->table);
    if ((was & SM_SCHEMA_STATE_CHECK) && !(is & SM_SCHEMA_STATE_CHECK))
        add(c, SMC_CHECK_DROPPED, o->table, NULL);
    diff_state_column(c);
}

/* Every pass, in the order of the kinds. */
static void diff_machine(cmp *c)
{
    const smc_machine *o = c->o;
    c->cap = 16 + 2 * (o->nstates + o->naliases) + o->nstates + o->ntrans +
             c->n->nstates + c->n->ntrans;
    c->md->changes = smc_alloc(c->a, c->cap * sizeof *c->md->changes);
    c->to_new = smc_alloc(c->a, (o->nstates + 1) * sizeof *c->to_new);
    if (!c->md->changes || !c->to_new || !names_build(c->a, o, &c->on) ||
        !names_build(c->a, c->n, &c->nn)) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < o->nstates; i++)
        c->to_new[i] = names_find(&c->nn, o->states[i].name);
    diff_storage(c);
    diff_initial(c);
    diff_removed(c);
    diff_trans(c, false);
    diff_renamed(c);
    diff_retired(c, true);
    diff_retired(c, false);
    diff_added(c);
    diff_trans(c, true);
    diff_schema(c);
}

/* The machine of u called name, or NULL. */
static const smc_machine *find(const smc_unit *u, const char *name)
{
    for (size_t i = 0; i < u->nmachines; i++)
        if (!strcmp(u->machines[i].name, name))
            return &u->machines[i];
    return NULL;
}

/* One machine's diff: compared, added or removed. */
static bool one(smc_arena *a, smc_machine_diff *md, const smc_machine *o,
                const smc_machine *n)
{
    *md = (smc_machine_diff){n ? n->name : o->name, o, n, NULL, 0, 0, false};
    if (o && n) {
        cmp c = {.a = a, .md = md, .o = o, .n = n};
        diff_machine(&c);
        return !c.oom;
    }
    md->changes = smc_alloc(a, sizeof *md->changes);
    if (!md->changes)
        return false;
    md->changes[0] = (smc_change){o ? SMC_MACHINE_REMOVED : SMC_MACHINE_ADDED,
                                  o ? o->name : NULL, n ? n->name : NULL};
    md->nchanges = 1;
    md->nbreaking = o != NULL;
    return true;
}

int smc_diff_units(smc_arena *a, const smc_unit *old, const smc_unit *new,
                   smc_diff **out)
{
    smc_diff *d = smc_alloc(a, sizeof *d);
    *out = NULL;
    if (!d ||
        !(d->machines = smc_alloc(a, (old->nmachines + new->nmachines + 1) *
                                         sizeof *d->machines)))
        return -1;
    d->old_path = old->path;
    d->new_path = new->path;
    for (size_t i = 0; i < new->nmachines; i++)
        if (!one(a, &d->machines[d->nmachines++],
                 find(old, new->machines[i].name), &new->machines[i]))
            return -1;
    for (size_t i = 0; i < old->nmachines; i++)
        if (!find(new, old->machines[i].name) &&
            !one(a, &d->machines[d->nmachines++], &old->machines[i], NULL))
            return -1;
    for (size_t i = 0; i < d->nmachines; i++) {
        d->nbreaking += d->machines[i].nbreaking;
        for (size_t k = 0; k < d->machines[i].nchanges; k++)
            d->nmigrated += smc_change_migrated(d->machines[i].changes[k].kind);
    }
    *out = d;
    return 0;
}
