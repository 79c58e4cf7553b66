/*
 * sema_names.c - names as C sees them: the name tables, upper-case
 * constants that must not clash (ORDER_STATE_PAID), and across machines
 * the C names each generates, which must all differ.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sema_int.h"

/* FNV-1a hash of a NUL-terminated string (of its lower case: nocase). */
static size_t hash(const char *s, bool nocase)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)(nocase ? tolower((unsigned char)*s) : *s)) *
            1099511628211u;
    return h;
}

bool sema_ntab_init(sema *s, ntab *t, size_t n, const char *const *first,
                    size_t stride, bool nocase)
{
    size_t cap = 4; /* always a free slot: at most n of 2n are used */
    while (cap < 2 * n)
        cap *= 2;
    t->slots = smc_alloc(s->tmp, cap * sizeof *t->slots);
    t->base = (const char *)first;
    t->stride = stride;
    t->mask = cap - 1;
    t->nocase = nocase;
    s->oom = s->oom || !t->slots;
    return !s->oom;
}

/* The name of index i. */
static const char *key(const ntab *t, int i)
{
    return *(const char *const *)(t->base + (size_t)i * t->stride);
}

/* The slot holding name, or the empty slot where it would go. */
static size_t slot(const ntab *t, const char *name)
{
    size_t i = hash(name, t->nocase) & t->mask;
    while (t->slots[i] && (t->nocase ? strcasecmp(key(t, t->slots[i] - 1), name)
                                     : strcmp(key(t, t->slots[i] - 1), name)))
        i = (i + 1) & t->mask;
    return i;
}

int sema_ntab_put(ntab *t, const char *name, int v)
{
    size_t i = slot(t, name);
    if (t->slots[i])
        return t->slots[i] - 1;
    t->slots[i] = v + 1;
    return -1;
}

int sema_ntab_get(const ntab *t, const char *name)
{
    return t->slots[slot(t, name)] - 1;
}

const char *sema_upper(sema *s, const char *name)
{
    size_t n = strlen(name);
    char *u = smc_alloc(s->tmp, n + 1);
    if (!u) {
        s->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        u[i] = (char)toupper((unsigned char)name[i]);
    return u;
}

/*
 * Enum constants are upper case (ORDER_STATE_PENDING), so names that
 * differ only in case would give one constant twice, and _count would be
 * the enum's own __COUNT.
 */
int sema_constant_clash(sema *s, ntab *t, const char *kind, const ast_name *x,
                        int v)
{
    const char *mu =
        strcasecmp(x->s, "_count") ? NULL : sema_upper(s, s->m->name);
    if (mu)
        smc_diag_error(s->d, x->loc,
                       "%s '%s' would be the constant "
                       "%s_%s__COUNT, which counts the %ss",
                       kind, x->s, mu, kind[0] == 's' ? "STATE" : "EVENT",
                       kind);
    return sema_ntab_put(t, x->s, v);
}

void sema_case_clash(sema *s, const char *kind, const ast_name *x,
                     const char *other, smc_loc loc)
{
    smc_diag_error(s->d, x->loc,
                   "%s '%s' differs from '%s' only in case "
                   "(the C constants would clash)",
                   kind, x->s, other);
    smc_diag_note(s->d, loc, "'%s' declared here", other);
}

/*
 * Names the generated code uses itself after the machine prefix (the
 * functions, types and static tables of emit_c_header.c and
 * emit_c_source.c): a hook with one of them would redeclare it.
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

bool sema_reserved_hook(const char *n)
{
    for (int i = 0; generated[i]; i++)
        if (!strcmp(generated[i], n))
            return true;
    return false;
}

/* "a" sep "b" from the arena; NULL when out of memory. */
static const char *join(sema *s, const char *a, const char *sep, const char *b)
{
    if (!a || !b)
        return NULL; /* out of memory already */
    size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
    char *r = smc_alloc(s->tmp, n);
    if (!r) {
        s->oom = true;
        return NULL;
    }
    snprintf(r, n, "%s%s%s", a, sep, b);
    return r;
}

/* The C names generated so far, each with the machine generating it. */
typedef struct gen_names {
    ntab t;
    struct gen {
        const char *name; /* first: the table's key */
        int machine;
    } * v;
    int n;
} gen_names;

/* Record name for machine mi; report it once if another machine has it. */
static void put_generated(sema *s, gen_names *g, const smc_unit *u, int mi,
                          const char *name, bool *reported)
{
    if (!name)
        return; /* out of memory */
    g->v[g->n] = (struct gen){name, mi};
    int prev = sema_ntab_put(&g->t, name, g->n);
    if (prev < 0) {
        g->n++;
        return;
    }
    prev = g->v[prev].machine;
    if (prev == mi || *reported)
        return;
    const smc_machine *m = &u->machines[mi], *o = &u->machines[prev];
    smc_diag_error(s->d, m->loc,
                   "machine '%s' would generate '%s', as "
                   "machine '%s' does",
                   m->name, name, o->name);
    smc_diag_note(s->d, o->loc, "'%s' declared here", o->name);
    *reported = true;
}

/* Record every C name machine i generates. */
static void put_machine(sema *s, gen_names *g, const smc_unit *u, int i)
{
    const smc_machine *m = &u->machines[i];
    const char *p = m->name, *up = sema_upper(s, p);
    const char *st = join(s, up, "_", "STATE_");
    const char *ev = join(s, up, "_", "EVENT_");
    bool rep = false;
    size_t k;
    s->m = &u->machines[i];
    for (k = 0; generated[k]; k++)
        put_generated(s, g, u, i, join(s, p, "_", generated[k]), &rep);
    for (k = 0; k < m->nhooks; k++)
        put_generated(s, g, u, i, join(s, p, "_", m->hooks[k].name), &rep);
    for (k = 0; k < m->nstates && st; k++)
        put_generated(s, g, u, i,
                      join(s, st, "", sema_upper(s, m->states[k].name)), &rep);
    for (k = 0; k < m->nevents && ev; k++)
        put_generated(s, g, u, i,
                      join(s, ev, "", sema_upper(s, m->events[k].name)), &rep);
    put_generated(s, g, u, i, join(s, st, "", "_COUNT"), &rep);
    put_generated(s, g, u, i, join(s, ev, "", "_COUNT"), &rep);
    put_generated(s, g, u, i, join(s, up, "_", "STATE"), &rep);
    put_generated(s, g, u, i, join(s, up, "_", "EVENT"), &rep);
}

/*
 * Across machines, the C names each generates (prefix_NAME functions,
 * tables and hooks; PREFIX_STATE_X and PREFIX_EVENT_X constants; the
 * PREFIX_STATE(X) and PREFIX_EVENT(X) macros) must differ: machine `a` with
 * hook `x_def` and machine `a_x` would both define a_x_def. Within a machine
 * the other checks rule this out, so it runs only for clean files of several
 * machines.
 */
void sema_generated(sema *s, const smc_unit *u)
{
    size_t n = 0;
    gen_names g = {.n = 0};
    if (u->nmachines < 2 || s->d->errors)
        return;
    for (size_t i = 0; i < u->nmachines; i++)
        n += sizeof generated / sizeof *generated + 4 + u->machines[i].nstates +
             u->machines[i].nevents + u->machines[i].nhooks;
    g.v = smc_alloc(s->tmp, n * sizeof *g.v);
    s->oom = !g.v;
    if (!g.v || !sema_ntab_init(s, &g.t, n, &g.v[0].name, sizeof *g.v, false))
        return;
    for (size_t i = 0; i < u->nmachines && !s->oom; i++)
        put_machine(s, &g, u, (int)i);
}
