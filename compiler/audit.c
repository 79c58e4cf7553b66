/*
 * audit.c - judging a stored history against the machine (audit.h).
 *
 * Each row is judged as it arrives, against the row before it in its
 * parent's history (or the initial state, for the first); the end of a
 * parent is judged when the next parent's first row arrives, or at
 * finish. A state's old (`was`) names and retired states are known;
 * transitions into or out of a retired state are history, not judged.
 */
#include "audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sm/sm.h"

static const char *const names[SMC_PROBLEM__COUNT] = {
    "unknown_state",      "not_allowed",         "from_mismatch",
    "duplicate_sort_key", "sort_key_order",      "no_most_recent",
    "many_most_recent",   "most_recent_not_last"};

static const char *const titles[SMC_PROBLEM__COUNT] = {
    "unknown state",
    "transition not allowed",
    "from_state not the previous state",
    "duplicate sort_key",
    "sort_key out of order",
    "no most_recent row",
    "several most_recent rows",
    "most_recent not on the last row"};

const char *smc_problem_name(smc_problem p)
{
    return names[p];
}

const char *smc_problem_title(smc_problem p)
{
    return titles[p];
}

bool smc_audit_init(smc_audit *a, const sm_def *def, size_t max)
{
    memset(a, 0, sizeof *a);
    a->def = def;
    a->max_offenders = max;
    a->offenders = calloc(max ? max : 1, sizeof *a->offenders);
    a->taken = calloc(def->trans_index[def->nstates] + 1, sizeof *a->taken);
    return a->offenders && a->taken;
}

void smc_audit_free(smc_audit *a)
{
    free(a->offenders);
    free(a->taken);
}

/* Count a problem of row (parent's), keeping it while there is room. */
static void offend(smc_audit *a, smc_problem p, int64_t row, const char *fmt,
                   ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void offend(smc_audit *a, smc_problem p, int64_t row, const char *fmt,
                   ...)
{
    a->problems++;
    a->count[p]++;
    if (a->noffenders == a->max_offenders)
        return;
    smc_offender *o = &a->offenders[a->noffenders++];
    o->problem = p, o->parent = a->p.id, o->row = row;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->detail, sizeof o->detail, fmt, ap);
    va_end(ap);
}

/* The name of state s ("?" when unknown). */
static const char *name(const smc_audit *a, int s)
{
    const char *n = sm_def_state_name(a->def, s);
    return n ? n : "?";
}

/* The position of from -> to in def's transitions, or -1. */
static long trans_pos(const sm_def *d, int from, int to)
{
    uint32_t lo = d->trans_index[from], hi = d->trans_index[from + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->trans_to[mid] == to)
            return (long)mid;
        if (d->trans_to[mid] < to)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static bool retired(const sm_def *d, int s)
{
    return d->state_flags[s] & SM_STATE_RETIRED;
}

/* The end of the current parent: exactly one most_recent, the last. */
static void end_parent(smc_audit *a)
{
    smc_audit_parent *p = &a->p;
    if (!p->rows)
        return;
    if (p->most_recent == 0)
        offend(a, SMC_NO_MOST_RECENT, p->prev_id,
               "no row is most_recent (the last is row %lld)",
               (long long)p->prev_id);
    else if (p->most_recent > 1)
        offend(a, SMC_MANY_MOST_RECENT, p->mr_id[1],
               "%zu rows are most_recent (rows %lld, %lld%s)", p->most_recent,
               (long long)p->mr_id[0], (long long)p->mr_id[1],
               p->most_recent > 2 ? ", ..." : "");
    else if (p->mr_id[0] != p->prev_id)
        offend(a, SMC_MOST_RECENT_NOT_LAST, p->mr_id[0],
               "row %lld (sort_key %d) is most_recent; the last is row %lld "
               "(sort_key %d)",
               (long long)p->mr_id[0], (int)p->mr_sort_key,
               (long long)p->prev_id, (int)p->prev_sort_key);
}

/* Unknown names in r: one offence for the row, naming each. to and from
 * are the looked-up states (-1 unknown). */
static void check_names(smc_audit *a, const sm_scan_row *r, int from, int to)
{
    bool bad_from = r->from && from < 0;
    if (to >= 0 && !bad_from)
        return;
    char f[96] = "", t[96] = "";
    if (bad_from)
        snprintf(f, sizeof f, "from_state '%.64s'", r->from);
    if (to < 0)
        snprintf(t, sizeof t, "to_state '%.64s'", r->to);
    offend(a, SMC_UNKNOWN_STATE, r->id, "%s%s%s: machine %s does not know it",
           f, *f && *t ? ", " : "", t, a->def->name);
}

/* The row's from_state against the state before it (prev, known). */
static void check_from(smc_audit *a, const sm_scan_row *r, int from, int prev)
{
    if (!r->from || from < 0 || from == prev)
        return;
    if (a->p.rows == 0)
        offend(a, SMC_FROM_MISMATCH, r->id,
               "from_state '%s' on the first row; the history starts in '%s'",
               r->from, name(a, prev));
    else
        offend(a, SMC_FROM_MISMATCH, r->id,
               "from_state '%s'; the previous row (%lld) is in '%s'", r->from,
               (long long)a->p.prev_id, name(a, prev));
}

/* prev -> to against the machine; a declared one is counted. */
static void check_move(smc_audit *a, const sm_scan_row *r, int prev, int to)
{
    if (retired(a->def, prev) || retired(a->def, to))
        return;
    long t = trans_pos(a->def, prev, to);
    if (t >= 0)
        a->taken[t]++;
    else
        offend(a, SMC_NOT_ALLOWED, r->id,
               "%s%s -> %s is not a transition of %s",
               a->p.rows ? "" : "first row: ", name(a, prev), name(a, to),
               a->def->name);
}

/* sort_key against the previous row's: unique, and rising with id. */
static void check_order(smc_audit *a, const sm_scan_row *r)
{
    const smc_audit_parent *p = &a->p;
    if (!p->rows)
        return;
    if (r->sort_key == p->prev_sort_key)
        offend(a, SMC_DUPLICATE_SORT_KEY, r->id,
               "sort_key %d is also on row %lld", (int)r->sort_key,
               (long long)p->prev_id);
    else if (r->id < p->prev_id)
        offend(a, SMC_SORT_KEY_ORDER, r->id,
               "sort_key %d, after row %lld's %d, but written before it",
               (int)r->sort_key, (long long)p->prev_id, (int)p->prev_sort_key);
}

/* Start judging parent id (its first row is next). */
static void begin_parent(smc_audit *a, int64_t id)
{
    end_parent(a);
    memset(&a->p, 0, sizeof a->p);
    a->p.id = id;
    a->p.prev_state = a->def->initial;
    a->parents++;
}

sm_status smc_audit_row(void *ctx, const sm_scan_row *r)
{
    smc_audit *a = ctx;
    if (a->parents && r->parent_id < a->p.id)
        return SM_E_ARG;
    if (!a->parents || r->parent_id != a->p.id)
        begin_parent(a, r->parent_id);
    a->rows++;
    int to = sm_def_state_lookup(a->def, r->to, NULL);
    int from = r->from ? sm_def_state_lookup(a->def, r->from, NULL) : -1;
    int prev = a->p.prev_state;
    check_names(a, r, from, to);
    if (prev >= 0)
        check_from(a, r, from, prev);
    if (prev >= 0 && to >= 0)
        check_move(a, r, prev, to);
    check_order(a, r);
    smc_audit_parent *p = &a->p;
    if (r->most_recent && p->most_recent++ < 2)
        p->mr_id[p->most_recent - 1] = r->id;
    if (r->most_recent && p->most_recent == 1)
        p->mr_sort_key = r->sort_key;
    p->prev_id = r->id;
    p->prev_sort_key = r->sort_key;
    p->prev_state = to;
    p->rows++;
    return SM_OK;
}

void smc_audit_finish(smc_audit *a)
{
    end_parent(a);
    memset(&a->p, 0, sizeof a->p);
}

uint64_t smc_audit_event_taken(const smc_audit *a, int e)
{
    const sm_def *d = a->def;
    uint64_t n = 0;
    for (uint32_t k = d->event_index[e]; k < d->event_index[e + 1]; k++) {
        long t = trans_pos(d, d->event_arrows[k].from, d->event_arrows[k].to);
        n += t >= 0 ? a->taken[t] : 0;
    }
    return n;
}
