/*
 * history.c - reading a parent's history on demand: the whole of it, a
 * keyset page of it, or its latest row in a state. A machine caches only
 * the latest row; these read the store into the machine's read buffer,
 * whose rows the caller borrows until the next history read.
 */
#include <stdint.h>

#include "machine.h"
#include "store_priv.h"

/* Why m cannot read its history now (the message in m), or SM_OK;
 * outs_ok is false when an out-parameter is NULL (what names them). */
static sm_status can_read(sm_machine *m, const char *fn, bool outs_ok,
                          const char *what)
{
    if (!outs_ok)
        return sm_machine_fail(m, SM_E_ARG, "%s: %s is NULL", fn, what);
    if (!m->store)
        return sm_machine_fail_parent(m, SM_E_ARG, "its store was closed");
    return SM_OK;
}

/* Read the rows pg selects into m->read, in the write under way when
 * a hook reads. On failure m->read keeps what it lent before. */
static sm_status read_page(sm_machine *m, const sm_store_page *pg)
{
    sm_store *s = m->store;
    sm_rows fresh = {0};
    sm_status st =
        s->ops->page(s->impl, m->tx, m->def, m->parent_id, pg, &fresh);
    return sm_machine_take(m, st, m->tx, &fresh, &m->read);
}

/* Read a page and lend it: *rows[0..*n) (NULL, 0 on failure). */
static sm_status lend(sm_machine *m, const sm_store_page *pg,
                      const sm_transition **rows, size_t *n)
{
    sm_status st = read_page(m, pg);
    *rows = st == SM_OK ? m->read.v : NULL;
    *n = st == SM_OK ? m->read.n : 0;
    return st;
}

sm_status sm_history(sm_machine *m, const sm_transition **rows, size_t *n)
{
    if (!m)
        return SM_E_ARG;
    sm_status st = can_read(m, "sm_history", rows && n, "rows or n");
    if (st != SM_OK)
        return st;
    sm_store_page pg = {INT64_MIN, 0, false, -1};
    return lend(m, &pg, rows, n);
}

sm_status sm_history_page(sm_machine *m, int32_t after_sort_key, size_t limit,
                          const sm_transition **rows, size_t *n)
{
    if (!m)
        return SM_E_ARG;
    sm_status st = can_read(m, "sm_history_page", rows && n, "rows or n");
    if (st != SM_OK)
        return st;
    sm_store_page pg = {after_sort_key, limit, false, -1};
    return lend(m, &pg, rows, n);
}

/* Lend a copy of the cached latest row (same lifetime as any read). */
static sm_status lend_latest(sm_machine *m, const sm_transition **row)
{
    sm_rows copy = {0};
    if (sm_rows_push(&copy, sm_last_transition(m)) != SM_OK) {
        sm_rows_clear(&copy); /* its array, when only the string failed */
        return sm_machine_fail(m, SM_E_NOMEM, "out of memory");
    }
    sm_rows_move(&m->read, &copy);
    *row = m->read.v;
    return SM_OK;
}

/* The latest row in state, at or before m's latest row: the cache when
 * it is in state, else one read back from it, filtered by to_state. */
sm_status sm_last_transition_to(sm_machine *m, int state,
                                const sm_transition **row)
{
    if (!m)
        return SM_E_ARG;
    sm_status st = can_read(m, "sm_last_transition_to", row != NULL, "row");
    if (st != SM_OK)
        return st;
    *row = NULL;
    if (state < 0 || (uint32_t)state >= m->def->nstates || !m->rows.n)
        return SM_OK;
    if (sm_current_state(m) == state)
        return lend_latest(m, row);
    sm_store_page pg = {sm_last_transition(m)->sort_key, 1, true, state};
    size_t n;
    st = lend(m, &pg, row, &n);
    if (n == 0)
        *row = NULL;
    return st;
}
