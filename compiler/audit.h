/*
 * audit.h - a stored history checked against the machine, row by row:
 * what `smcc audit` finds. Rows arrive in (parent, sort_key, id) order
 * (libsm's table scan), so each parent is judged with O(1) state and
 * the whole table in bounded memory: the counts, the first N offenders
 * and one counter per declared transition.
 */
#ifndef SMC_AUDIT_H
#define SMC_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan.h" /* libsm's sm_scan_row */
#include "sm/def.h"

/* What can be wrong, in report order. */
typedef enum smc_problem {
    SMC_UNKNOWN_STATE,        /* a name the machine does not know */
    SMC_NOT_ALLOWED,          /* not a transition of the machine */
    SMC_FROM_MISMATCH,        /* from_state is not the previous state */
    SMC_DUPLICATE_SORT_KEY,   /* two rows of a parent on one sort_key */
    SMC_SORT_KEY_ORDER,       /* a later row (higher id), a lower sort_key */
    SMC_NO_MOST_RECENT,       /* a history without a most_recent row */
    SMC_MANY_MOST_RECENT,     /* more than one */
    SMC_MOST_RECENT_NOT_LAST, /* one, not on the highest sort_key */
    SMC_PROBLEM__COUNT
} smc_problem;

/* The problem's name in JSON ("not_allowed") and in the text report. */
const char *smc_problem_name(smc_problem p);
const char *smc_problem_title(smc_problem p);

/* One offending row. */
typedef struct smc_offender {
    smc_problem problem;
    int64_t parent;
    int64_t row; /* the row it is about */
    char detail[192];
} smc_offender;

/* The parent being read: what judging its next row needs. */
typedef struct smc_audit_parent {
    int64_t id;
    size_t rows;
    int64_t prev_id; /* the previous row (at the end: the last) */
    int32_t prev_sort_key;
    int prev_state;     /* its to_state; -1 unknown */
    size_t most_recent; /* rows flagged */
    int64_t mr_id[2];   /* the first two of them */
    int32_t mr_sort_key;
} smc_audit_parent;

typedef struct smc_audit {
    const sm_def *def;
    size_t max_offenders;
    uint64_t rows, parents, problems;
    uint64_t count[SMC_PROBLEM__COUNT];
    smc_offender *offenders; /* the first max_offenders, in scan order */
    size_t noffenders;
    uint64_t *taken; /* per declared transition, def's trans_to order */
    smc_audit_parent p;
} smc_audit;

/* Start an audit of def's history keeping the first max offenders.
 * Returns false when memory ran out (then free it). */
bool smc_audit_init(smc_audit *a, const sm_def *def, size_t max);
void smc_audit_free(smc_audit *a);

/* Judge one row (an sm_scan_fn: ctx is the smc_audit). SM_OK always,
 * unless rows arrive out of (parent, sort_key, id) order: SM_E_ARG. */
sm_status smc_audit_row(void *ctx, const sm_scan_row *row);

/* Judge the last parent's end; call once, after the last row. */
void smc_audit_finish(smc_audit *a);

/* How many times event e was taken: the rows whose transition is one
 * of its arrows (a row two events could have written counts for both). */
uint64_t smc_audit_event_taken(const smc_audit *a, int e);

#endif
