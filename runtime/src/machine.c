/*
 * machine.c - opening and closing machines, and read-only queries.
 *
 * The history is loaded once on open and kept in sort_key order; queries
 * read this cache and never touch the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"

/* Format m->errmsg; return st. */
sm_status sm_machine_fail(sm_machine *m, sm_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->errmsg, sizeof m->errmsg, fmt, ap);
    va_end(ap);
    return st;
}

const char *sm_state_name(const sm_def *def, int s)
{
    const char *name = sm_def_state_name(def, s);
    return name ? name : "?";
}

static int by_sort_key(const void *a, const void *b)
{
    const sm_transition *x = a, *y = b;
    return (x->sort_key > y->sort_key) - (x->sort_key < y->sort_key);
}

/* Drop the cache and read the store again; on failure the old cache
 * stays and the store's message is copied. */
sm_status sm_reload(sm_machine *m)
{
    if (!m)
        return SM_E_ARG;
    sm_rows fresh = {0};
    sm_status st = m->store->ops->load(m->store, m->def, m->parent_id, &fresh);
    if (st != SM_OK) {
        sm_rows_clear(&fresh);
        return sm_machine_fail(m, st, "%s", sm_store_errmsg(m->store));
    }
    if (fresh.n > 1)
        qsort(fresh.v, fresh.n, sizeof *fresh.v, by_sort_key);
    sm_rows_move(&m->rows, &fresh);
    return SM_OK;
}

/* Open parent_id's machine on s; *out NULL on failure. */
sm_status sm_machine_open(sm_machine **out, const sm_def *def, sm_store *s,
                          int64_t parent_id, void *user)
{
    if (!out)
        return SM_E_ARG;
    *out = NULL;
    char why[256];
    if (!def || !s)
        return SM_E_ARG;
    if (!sm_def_check(def, why, sizeof why))
        return sm_store_fail(s, SM_E_ARG, "%s", why);
    sm_machine *m = sm_malloc(sizeof *m);
    if (!m)
        return SM_E_NOMEM;
    *m = (sm_machine){def, s, parent_id, user, {0}, ""};
    sm_status st = sm_reload(m);
    if (st != SM_OK) {
        sm_machine_close(m);
        return st;
    }
    *out = m;
    return SM_OK;
}

/* Free m and its cache (NULL-safe); the store stays open. */
void sm_machine_close(sm_machine *m)
{
    if (!m)
        return;
    sm_rows_clear(&m->rows);
    sm_free(m);
}

const char *sm_errmsg(const sm_machine *m)
{
    return m ? m->errmsg : "";
}

/* The last row's to_state, or the initial state (-1 for NULL m). */
int sm_current_state(const sm_machine *m)
{
    if (!m)
        return -1;
    return m->rows.n ? m->rows.v[m->rows.n - 1].to_state : m->def->initial;
}

bool sm_in_state(sm_machine *m, int state)
{
    return m && sm_current_state(m) == state;
}

const sm_transition *sm_last_transition(sm_machine *m)
{
    return m && m->rows.n ? &m->rows.v[m->rows.n - 1] : NULL;
}

/* The latest row whose to_state is state, or NULL. */
const sm_transition *sm_last_transition_to(sm_machine *m, int state)
{
    for (size_t i = m ? m->rows.n : 0; i > 0; i--)
        if (m->rows.v[i - 1].to_state == state)
            return &m->rows.v[i - 1];
    return NULL;
}

/* Borrow the cached history (valid until the next write or reload). */
sm_status sm_history(sm_machine *m, const sm_transition **out, size_t *n)
{
    if (!m || !out || !n)
        return SM_E_ARG;
    *out = m->rows.v;
    *n = m->rows.n;
    return SM_OK;
}
