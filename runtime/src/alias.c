/*
 * alias.c - reading a state name found in the store: a current name
 * (def's name index, def.c), or an old one that a `was` clause maps to
 * its state now. The old names are def's alias table, sorted by name,
 * so either lookup is a binary search.
 */
#include <string.h>

#include "sm/def.h"

/* The index in def's alias table of the old name, or -1. */
static int alias(const sm_def *def, const char *name)
{
    uint32_t lo = 0, hi = def->alias_names ? def->naliases : 0;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, def->alias_names[mid]);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

int sm_def_state_lookup(const sm_def *def, const char *name, const char **old)
{
    if (old)
        *old = NULL;
    if (!def || !name)
        return -1;
    int s = sm_def_state_index(def, name);
    if (s >= 0)
        return s;
    int a = alias(def, name);
    if (a < 0 || !def->alias_states || def->alias_states[a] < 0 ||
        (uint32_t)def->alias_states[a] >= def->nstates)
        return -1;
    if (old)
        *old = def->alias_names[a];
    return def->alias_states[a];
}
