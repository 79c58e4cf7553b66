/*
 * rows.h - sm_rows, a growable array of history rows (private layout).
 *
 * Each row owns a copy of its metadata string. Used by the machine's
 * cache and by stores to return loaded history.
 */
#ifndef SM_ROWS_H
#define SM_ROWS_H

#include "sm/sys/store.h"

struct sm_rows {
    sm_transition *v;
    size_t n, cap;
};

/* Free every row's metadata and the array; r becomes empty. */
void sm_rows_clear(sm_rows *r);
/* Drop the last row (no-op when empty). */
void sm_rows_pop(sm_rows *r);
/* Append a copy of *t as r's latest row, the one before it no longer
 * the most recent; SM_E_NOMEM leaves r as it was. */
sm_status sm_rows_push_latest(sm_rows *r, const sm_transition *t);
/* Undo sm_rows_push_latest: the row before is the most recent again. */
void sm_rows_pop_latest(sm_rows *r);
/* Move src's rows into dst (dst cleared first); src becomes empty. */
void sm_rows_move(sm_rows *dst, sm_rows *src);
/* Copy a string with sm_malloc; NULL on failure. */
char *sm_strdup(const char *s);

#endif
