/*
 * def_build.c - a checked machine as an sm_def (see def_build.h): the
 * names with their sorted indexes, flags, the transitions as compressed
 * rows, event arrows, old names and storage, laid out as emit_c_source
 * writes them.
 */
#include "def_build.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* A name and its index, for sorting. */
typedef struct named {
    const char *name;
    int32_t index;
} named;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

bool smc_name_index(int32_t *out, const void *base, size_t stride, size_t n)
{
    named *v = smc_malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *p = (const char *)base + i * stride;
        v[i].name = *(const char *const *)(const void *)p;
        v[i].index = (int32_t)i;
    }
    qsort(v, n, sizeof *v, by_name);
    for (size_t i = 0; i < n; i++)
        out[i] = v[i].index;
    smc_free(v);
    return true;
}

uint8_t smc_state_flags(const smc_state *s)
{
    return (uint8_t)((s->initial ? SM_STATE_INITIAL : 0) |
                     (s->final ? SM_STATE_FINAL : 0) |
                     (s->retired ? SM_STATE_RETIRED : 0));
}

/* An array of n items of size each in a (at least one item). */
static void *array(smc_arena *a, size_t n, size_t size)
{
    return smc_alloc(a, (n ? n : 1) * size);
}

/* The state names, their name index and flags. */
static bool build_states(smc_arena *a, const smc_machine *m, sm_def *d)
{
    const char **names = array(a, m->nstates, sizeof *names);
    int32_t *by = array(a, m->nstates, sizeof *by);
    uint8_t *flags = array(a, m->nstates, sizeof *flags);
    if (!names || !by || !flags ||
        !smc_name_index(by, &m->states[0].name, sizeof *m->states, m->nstates))
        return false;
    for (size_t s = 0; s < m->nstates; s++) {
        const smc_state *st = &m->states[s];
        names[s] = st->name;
        flags[s] = smc_state_flags(st);
    }
    d->nstates = (uint32_t)m->nstates;
    d->state_names = names, d->state_by_name = by, d->state_flags = flags;
    d->initial = m->initial;
    return true;
}

/* trans_index (nstates + 1 offsets) and trans_to: m->trans is sorted by
 * (from, to), so each state's targets are one ascending run. */
static bool build_trans(smc_arena *a, const smc_machine *m, sm_def *d)
{
    uint32_t *idx = array(a, m->nstates + 1, sizeof *idx);
    int32_t *to = array(a, m->ntrans, sizeof *to);
    if (!idx || !to)
        return false;
    size_t i = 0;
    for (size_t s = 0; s < m->nstates; s++) {
        while (i < m->ntrans && (size_t)m->trans[i].from == s)
            to[i] = m->trans[i].to, i++;
        idx[s + 1] = (uint32_t)i;
    }
    d->trans_index = idx, d->trans_to = to;
    return true;
}

/* Event names, their name index, and every event's arrows in a row. */
static bool build_events(smc_arena *a, const smc_machine *m, sm_def *d)
{
    size_t n = 0;
    for (size_t e = 0; e < m->nevents; e++)
        n += m->events[e].narrows;
    const char **names = array(a, m->nevents, sizeof *names);
    int32_t *by = array(a, m->nevents, sizeof *by);
    uint32_t *idx = array(a, m->nevents + 1, sizeof *idx);
    sm_arrow *arrows = array(a, n, sizeof *arrows);
    if (!names || !by || !idx || !arrows ||
        !smc_name_index(by, &m->events[0].name, sizeof *m->events, m->nevents))
        return false;
    n = 0;
    for (size_t e = 0; e < m->nevents; e++) {
        names[e] = m->events[e].name;
        for (size_t k = 0; k < m->events[e].narrows; k++, n++)
            arrows[n] = (sm_arrow){m->events[e].arrows[k].from,
                                   m->events[e].arrows[k].to};
        idx[e + 1] = (uint32_t)n;
    }
    d->nevents = (uint32_t)m->nevents;
    d->event_names = names, d->event_by_name = by;
    d->event_index = idx, d->event_arrows = arrows;
    return true;
}

/* The old names (already sorted by name in the model) and their states. */
static bool build_aliases(smc_arena *a, const smc_machine *m, sm_def *d)
{
    int32_t *states = array(a, m->naliases, sizeof *states);
    if (!states)
        return false;
    for (size_t i = 0; i < m->naliases; i++)
        states[i] = m->alias_states[i];
    d->naliases = (uint32_t)m->naliases;
    d->alias_names = m->alias_names, d->alias_states = states;
    return true;
}

int smc_def_build(smc_arena *a, const smc_machine *m, sm_def *out)
{
    sm_def d;
    memset(&d, 0, sizeof d);
    d.version = SM_DEF_VERSION;
    d.name = m->name;
    d.table = m->table;
    d.parent_table = m->parent_table ? m->parent_table : "";
    d.parent_key = m->parent_key ? m->parent_key : "";
    d.schema = m->schema;
    if (!build_states(a, m, &d) || !build_trans(a, m, &d) ||
        !build_events(a, m, &d) || !build_aliases(a, m, &d))
        return -1;
    *out = d;
    return 0;
}
