/*
 * rows.c - sm_rows: a growable array of history rows.
 *
 * Rows own their metadata; pushing copies it. Every failure leaves the
 * array as it was.
 */
#include <string.h>

#include "rows.h"

/* Copy s with sm_malloc; NULL on failure. */
char *sm_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = sm_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Append a copy of *t (metadata NULL becomes "{}"); r unchanged on error. */
sm_status sm_rows_push(sm_rows *r, const sm_transition *t)
{
    if (!r || !t)
        return SM_E_ARG;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        sm_transition *v = sm_realloc(r->v, cap * sizeof *v);
        if (!v)
            return SM_E_NOMEM;
        r->v = v;
        r->cap = cap;
    }
    char *md = sm_strdup(t->metadata ? t->metadata : "{}");
    if (!md)
        return SM_E_NOMEM;
    r->v[r->n] = *t;
    r->v[r->n++].metadata = md;
    return SM_OK;
}

/* Drop the last row. */
void sm_rows_pop(sm_rows *r)
{
    if (r && r->n)
        sm_free((char *)r->v[--r->n].metadata);
}

sm_status sm_rows_push_latest(sm_rows *r, const sm_transition *t)
{
    if (sm_rows_push(r, t) != SM_OK)
        return SM_E_NOMEM;
    if (r->n > 1)
        r->v[r->n - 2].most_recent = false;
    return SM_OK;
}

void sm_rows_pop_latest(sm_rows *r)
{
    sm_rows_pop(r);
    if (r->n)
        r->v[r->n - 1].most_recent = true;
}

/* Free all rows and the array. */
void sm_rows_clear(sm_rows *r)
{
    if (!r)
        return;
    while (r->n)
        sm_rows_pop(r);
    sm_free(r->v);
    r->v = NULL;
    r->cap = 0;
}

/* Move src into dst. */
void sm_rows_move(sm_rows *dst, sm_rows *src)
{
    sm_rows_clear(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
}
