/*
 * machine.c - opening and closing machines, their messages, loading the
 * latest row, and the queries that read only that cache (no I/O).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "store_priv.h"

/* Format m->errmsg; return st. */
sm_status sm_machine_fail(sm_machine *m, sm_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st = sm_vfail(m->errmsg, sizeof m->errmsg, st, fmt, ap);
    va_end(ap);
    return st;
}

sm_status sm_machine_fail_parent(sm_machine *m, sm_status st, const char *fmt,
                                 ...)
{
    int n = snprintf(m->errmsg, sizeof m->errmsg,
                     "%s %lld: ", m->def->name ? m->def->name : "machine",
                     (long long)m->parent_id);
    size_t o = n > 0 && (size_t)n < sizeof m->errmsg ? (size_t)n : 0;
    va_list ap;
    va_start(ap, fmt);
    st = sm_vfail(m->errmsg + o, sizeof m->errmsg - o, st, fmt, ap);
    va_end(ap);
    return st;
}

const char *sm_state_name(const sm_def *def, int s)
{
    const char *name = sm_def_state_name(def, s);
    return name ? name : "?";
}

/*
 * SM_E_SCHEMA when a row read holds a state index m's def does not
 * have: a store that keeps indexes (memory) read by a def other than
 * the one that wrote them. A store that keeps names has mapped them
 * already, and refused those it could not.
 */
static sm_status check_states(sm_machine *m, const sm_rows *r)
{
    const sm_def *d = m->def;
    for (size_t i = 0; i < r->n; i++) {
        const sm_transition *t = &r->v[i];
        bool to = t->to_state < 0 || (uint32_t)t->to_state >= d->nstates;
        if (to || t->from_state < -1 || t->from_state >= (int)d->nstates)
            return sm_machine_fail_parent(
                m, SM_E_SCHEMA,
                "row %lld has %s %d, which machine %s does not know (it "
                "has %u states): another version of the machine wrote it; "
                "read it with that version's def",
                (long long)t->id, to ? "to_state" : "from_state",
                to ? t->to_state : t->from_state, d->name ? d->name : "?",
                (unsigned)d->nstates);
    }
    return SM_OK;
}

sm_status sm_machine_take(sm_machine *m, sm_status st, sm_store_tx *tx,
                          sm_rows *fresh, sm_rows *into)
{
    sm_store *s = m->store;
    if (st != SM_OK)
        st = sm_machine_fail_parent(m, st, "%s", s->ops->errmsg(s->impl, tx));
    else
        st = check_states(m, fresh);
    if (st == SM_OK)
        sm_rows_move(into, fresh);
    else
        sm_rows_clear(fresh);
    return st;
}

sm_status sm_machine_load(sm_machine *m, sm_store_tx *tx)
{
    sm_store *s = m->store;
    sm_rows fresh = {0};
    sm_status st = s->ops->latest(s->impl, tx, m->def, m->parent_id, &fresh);
    size_t n = fresh.n;
    if (st == SM_OK && n > 1) {
        sm_rows_clear(&fresh);
        return sm_machine_fail_parent(m, SM_E_STORE,
                                      "store '%s' read %zu latest rows",
                                      s->ops->scheme, n);
    }
    st = sm_machine_take(m, st, tx, &fresh, &m->rows);
    if (st == SM_OK)
        m->stale = false;
    return st;
}

sm_status sm_machine_reload(sm_machine *m)
{
    return sm_machine_load(m, NULL);
}

/* Re-read the store, unless m may not use it now. */
sm_status sm_reload(sm_machine *m)
{
    if (!m)
        return SM_E_ARG;
    if (m->busy)
        return sm_machine_fail_parent(m, SM_E_ARG,
                                      "sm_reload: not from the machine's "
                                      "own hooks");
    if (!m->store)
        return sm_machine_fail_parent(m, SM_E_ARG, "its store was closed");
    return sm_machine_reload(m);
}

/* Why def cannot be opened on s, in s's message; SM_OK when it can. */
static sm_status check_open(sm_machine **out, const sm_def *def, sm_store *s)
{
    if (!out)
        return sm_store_seterr(s, SM_E_ARG, "sm_machine_open: out is NULL");
    if (!def)
        return sm_store_seterr(s, SM_E_ARG, "sm_machine_open: def is NULL");
    char why[256];
    if (!sm_def_check(def, why, sizeof why))
        return sm_store_seterr(s, SM_E_ARG, "%s", why);
    return SM_OK;
}

/* Open parent_id's machine on s; *out NULL on failure. */
sm_status sm_machine_open(sm_machine **out, const sm_def *def, sm_store *s,
                          int64_t parent_id, void *user)
{
    if (out)
        *out = NULL;
    if (!s)
        return SM_E_ARG;
    sm_status st = check_open(out, def, s);
    if (st != SM_OK)
        return st;
    sm_machine *m = sm_malloc(sizeof *m);
    if (!m)
        return sm_store_seterr(s, SM_E_NOMEM, "out of memory");
    memset(m, 0, sizeof *m);
    m->def = def, m->store = s, m->parent_id = parent_id, m->user = user;
    st = sm_machine_reload(m);
    if (st != SM_OK) {
        if (s->ops->end_read) /* no machine is left to end it at close */
            s->ops->end_read(s->impl);
        sm_store_seterr(s, st, "%s", m->errmsg);
        sm_rows_clear(&m->rows);
        sm_free(m);
        return st;
    }
    sm_store_attach(s, m);
    *out = m;
    return SM_OK;
}

/* Free m, its cache and the rows it lends (NULL-safe); the store stays
 * open, and ends a read transaction m's last read may have left. */
void sm_machine_close(sm_machine *m)
{
    if (!m)
        return;
    sm_batch_forget(m);
    if (m->store) {
        sm_store *s = m->store;
        sm_store_detach(s, m);
        if (s->ops->end_read)
            s->ops->end_read(s->impl);
    }
    sm_rows_clear(&m->rows);
    sm_rows_clear(&m->read);
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

bool sm_in_state(const sm_machine *m, int state)
{
    return m && sm_current_state(m) == state;
}

const sm_transition *sm_last_transition(const sm_machine *m)
{
    return m && m->rows.n ? &m->rows.v[m->rows.n - 1] : NULL;
}
