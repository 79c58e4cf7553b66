/*
 * status.c - names of the sm_status codes, and which of them a retry
 * helper retries.
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
                                    "SM_E_CLUSTER_CONFLICT",
                                    "SM_E_SCHEMA"};

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
