/*
 * status.c - names of the sm_status codes, which of them a retry
 * helper retries, and sm_def_allows.
 *
 * Small lookups with no state, shared by the engine and by users.
 */
#include "sm/sm.h"

static const char *const names[] = {"SM_OK",
                                    "SM_E_ARG",
                                    "SM_E_TRANSITION_FAILED",
                                    "SM_E_GUARD_FAILED",
                                    "SM_E_CALLBACK",
                                    "SM_E_CONFLICT",
                                    "SM_E_DEADLOCK",
                                    "SM_E_METADATA",
                                    "SM_E_STORE",
                                    "SM_E_NOMEM",
                                    "SM_E_CLUSTER_CONFLICT"};

/* The enumerator's name, or "SM_E_UNKNOWN" when s is out of range. */
const char *sm_status_name(sm_status s)
{
    unsigned i = (unsigned)s;
    return i < sizeof names / sizeof names[0] ? names[i] : "SM_E_UNKNOWN";
}

/* The one place that decides what a retry helper retries. */
bool sm_status_retryable(sm_status s)
{
    return s == SM_E_CONFLICT || s == SM_E_DEADLOCK ||
           s == SM_E_CLUSTER_CONFLICT;
}

/* True when from -> to is in def's table (binary search of the row). */
bool sm_def_allows(const sm_def *def, int from, int to)
{
    if (!def || from < 0 || to < 0 || (uint32_t)from >= def->nstates ||
        (uint32_t)to >= def->nstates)
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
