/*
 * store.c - the MySQL store's vtable: load, begin, lock, insert, commit.
 *
 * A transition is INSERT (most_recent per mode) and one UPDATE of
 * most_recent, inside a transaction that autocommit=0 opens implicitly,
 * or inside a SAVEPOINT when wrapping a caller's open transaction. One
 * connection holds one transaction: the handle is the store's my_tx.
 */
#include <string.h>
#include <time.h>

#include "priv.h"
#include "row.h"

/* Reconnect if needed, then the statements of def. */
static sm_status ready(my_store *s, const sm_def *def, my_stmts **k)
{
    sm_status st = my_ensure(s);
    return st == SM_OK ? my_stmts_get(s, def, k) : st;
}

/* End the read view a load opened with autocommit off. */
sm_status my_end_read(my_store *s)
{
    if (s->tx.open || !s->owned)
        return SM_OK;
    return mysql_commit(s->conn) == 0 ? SM_OK : my_fail_conn(s, "COMMIT");
}

sm_status my_read_done(my_store *s, sm_status st)
{
    if (s->lost)
        return st;
    if (st == SM_OK)
        return my_end_read(s);
    char keep[sizeof s->base.errmsg];
    memcpy(keep, s->base.errmsg, sizeof keep);
    (void)my_end_read(s);
    memcpy(s->base.errmsg, keep, sizeof keep);
    return st;
}

static const char *my_errmsg(void *impl, const sm_store_tx *tx)
{
    (void)tx;
    return ((my_store *)impl)->base.errmsg;
}

/* In tx: read what tx sees. Outside: reconnect once if the connection
 * was lost, and end the read view after. */
static sm_status my_load(void *impl, sm_store_tx *tx, const sm_def *def,
                         int64_t parent_id, sm_rows *out)
{
    my_store *s = impl;
    my_stmts *k;
    sm_status st;
    if (tx) {
        st = my_stmts_get(s, def, &k);
        return st == SM_OK ? my_row_load(s, k->load, def, parent_id, out) : st;
    }
    st = ready(s, def, &k);
    if (st == SM_OK) {
        st = my_row_load(s, k->load, def, parent_id, out);
        if (st == SM_E_STORE && s->lost && s->owned &&
            ready(s, def, &k) == SM_OK)
            st = my_row_load(s, k->load, def, parent_id, out);
    }
    return my_read_done(s, st);
}

/* Open the write: a SAVEPOINT in the caller's tx, else START TRANSACTION
 * (wrapped) or nothing (own: autocommit off starts one implicitly). A
 * connection runs one transaction: a second (a hook's nested write on
 * this store) is refused before anything is written. */
static sm_status my_begin(void *impl, sm_store_tx **out)
{
    my_store *s = impl;
    *out = NULL;
    if (s->tx.open)
        return sm_store_fail(&s->base, SM_E_ARG,
                             "mysql: this store's connection is already "
                             "in a transition (a hook's nested one needs a "
                             "second store)");
    sm_status st = my_ensure(s);
    if (st != SM_OK)
        return st;
    bool sp = !s->owned && (s->conn->server_status & SERVER_STATUS_IN_TRANS);
    if (sp)
        st = my_exec(s, "SAVEPOINT sm_tx");
    else if (!s->owned)
        st = my_exec(s, "START TRANSACTION");
    if (st != SM_OK)
        return st;
    s->tx = (my_tx){true, sp, false, false};
    *out = (sm_store_tx *)&s->tx;
    return SM_OK;
}

/* lock_parent=1: lock the parent row, then compare its latest row with
 * the machine's view. The read after the lock sees every writer that
 * held the lock before (README: "lock_parent"). */
static sm_status my_lock(void *impl, sm_store_tx *tx, const sm_def *def,
                         int64_t parent_id, const sm_transition *last,
                         bool *stale)
{
    my_store *s = impl;
    my_stmts *k;
    (void)tx;
    *stale = false;
    if (!s->url.lock_parent)
        return SM_OK;
    sm_status st = my_stmts_get(s, def, &k);
    s->tx.holds = s->tx.locked = true;
    if (st == SM_OK)
        st = my_row_lock_parent(s, k->lock, def, parent_id);
    int64_t id = 0;
    if (st == SM_OK)
        st = my_row_latest(s, k->latest, parent_id, &id);
    *stale = st == SM_OK && id != (last ? last->id : 0);
    return st;
}

int64_t my_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The mode's statements for t, in the open transaction. */
static sm_status insert_once(my_store *s, const sm_def *def,
                             const sm_transition *prev, sm_transition *t)
{
    my_stmts *k;
    sm_status st = my_stmts_get(s, def, &k);
    if (st != SM_OK)
        return st;
    bool mr = s->url.gaplock == SM_GAPLOCK_NONE;
    if (mr && (st = my_row_flip(s, k->flip, t, prev)) != SM_OK)
        return st;
    st = my_row_insert(s, k->insert, def, t, mr);
    if (st == SM_OK && !mr)
        st = my_row_flip(s, k->flip, t, prev);
    return st;
}

/*
 * Write one row. If the connection was lost and the transaction is ours
 * and held nothing before this row (own connection, no lock, no earlier
 * row), the server has rolled it back: reconnect once and write again.
 */
static sm_status insert_write(my_store *s, sm_store_write *w)
{
    sm_transition *t = w->t;
    t->sort_key = w->prev ? w->prev->sort_key + 10 : 10;
    t->created_at_us = my_now_us();
    bool fresh = !s->tx.holds;
    s->tx.holds = true;
    sm_status st = insert_once(s, w->def, w->prev, t);
    if (st == SM_E_STORE && s->lost && s->owned && fresh &&
        my_ensure(s) == SM_OK)
        st = insert_once(s, w->def, w->prev, t);
    t->most_recent = st == SM_OK;
    return st;
}

/*
 * A batch (libsm calls no lock op for it) locks its parents here first
 * with lock_parent=1. In pk mode on a server with RETURNING, more than
 * one row goes through batch.c's multi-row statements; otherwise (the
 * legacy modes, older servers) each row is written as a single
 * transition writes it, in the order given.
 */
static sm_status my_insert(void *impl, sm_store_tx *tx, sm_store_write *w,
                           size_t n)
{
    my_store *s = impl;
    sm_status st = SM_OK;
    (void)tx;
    if (s->url.lock_parent && !s->tx.locked)
        st = my_batch_lock(s, w, n);
    bool pk = s->url.gaplock == SM_GAPLOCK_PK;
    if (st == SM_OK && n > 1 && pk)
        st = my_batch_server(s);
    if (st == SM_OK && n > 1 && pk && s->returning)
        return my_batch_insert(s, w, n);
    for (size_t i = 0; i < n && st == SM_OK; i++)
        st = insert_write(s, &w[i]);
    return st;
}

static sm_status my_commit(void *impl, sm_store_tx *tx, bool *deferred)
{
    my_store *s = impl;
    sm_status st;
    (void)tx;
    *deferred = s->tx.savepoint;
    if (s->tx.savepoint)
        st = my_exec(s, "RELEASE SAVEPOINT sm_tx");
    else
        st = mysql_commit(s->conn) == 0 ? SM_OK : my_fail_conn(s, "COMMIT");
    if (st == SM_OK)
        s->tx = (my_tx){0};
    return st;
}

/* Undo; the message of the failure that led here is kept. */
static void my_rollback(void *impl, sm_store_tx *tx)
{
    my_store *s = impl;
    char keep[sizeof s->base.errmsg];
    (void)tx;
    memcpy(keep, s->base.errmsg, sizeof keep);
    if (s->tx.savepoint)
        (void)my_exec(s, "ROLLBACK TO SAVEPOINT sm_tx");
    else if (!s->lost)
        (void)mysql_rollback(s->conn);
    if (s->tx.savepoint)
        (void)my_exec(s, "RELEASE SAVEPOINT sm_tx");
    memcpy(s->base.errmsg, keep, sizeof keep);
    s->tx = (my_tx){0};
}

const sm_store_ops sm_mysql_ops = {SM_STORE_OPS_VERSION,
                                   "mysql",
                                   my_close,
                                   my_errmsg,
                                   my_load,
                                   my_begin,
                                   my_lock,
                                   my_insert,
                                   my_commit,
                                   my_rollback,
                                   my_in_state};
