/*
 * def.c - questions answered from a generated sm_def alone: is a
 * transition declared, what is a state or event called, and which index
 * has a name. No machine, no store, no allocation.
 */
#include <string.h>

#include "sm/def.h"

/* True when from -> to is in def's table (binary search of the row). */
bool sm_def_allows(const sm_def *def, int from, int to)
{
    /* unsigned compares also refuse negative indexes */
    if (!def || (uint32_t)from >= def->nstates || (uint32_t)to >= def->nstates)
        return false;
    uint32_t lo = def->trans_index[from], hi = def->trans_index[from + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (def->trans_to[mid] == to)
            return true;
        if (def->trans_to[mid] < to)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Binary search of name in names[] through the sorted index by[]. */
static int find(const char *const *names, const int32_t *by, uint32_t n,
                const char *name)
{
    uint32_t lo = 0, hi = n;
    if (!name || !names || !by)
        return -1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, names[by[mid]]);
        if (c == 0)
            return by[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

int sm_def_state_index(const sm_def *def, const char *name)
{
    return def ? find(def->state_names, def->state_by_name, def->nstates, name)
               : -1;
}

int sm_def_event_index(const sm_def *def, const char *name)
{
    return def ? find(def->event_names, def->event_by_name, def->nevents, name)
               : -1;
}

const char *sm_def_state_name(const sm_def *def, int i)
{
    return def && i >= 0 && (uint32_t)i < def->nstates ? def->state_names[i]
                                                       : NULL;
}

const char *sm_def_event_name(const sm_def *def, int i)
{
    return def && i >= 0 && (uint32_t)i < def->nevents ? def->event_names[i]
                                                       : NULL;
}
