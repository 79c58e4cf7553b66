/*
 * store.c - the MySQL store's vtable: load, begin, insert, commit.
 *
 * A transition is INSERT (most_recent per mode) and one UPDATE of
 * most_recent, inside a transaction that autocommit=0 opens implicitly,
 * or inside a SAVEPOINT when wrapping a caller's open transaction.
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
    if (s->in_tx || !s->owned)
        return SM_OK;
    return mysql_commit(s->conn) == 0 ? SM_OK : my_fail_conn(s, "COMMIT");
}

static sm_status my_load(sm_store *base, const sm_def *def, int64_t parent_id,
                         sm_rows *out)
{
    my_store *s = (my_store *)base;
    my_stmts *k;
    sm_status st = ready(s, def, &k);
    if (st == SM_OK) {
        st = my_row_load(s, k->load, def, parent_id, out);
        if (st == SM_E_STORE && s->lost && !s->in_tx && s->owned &&
            ready(s, def, &k) == SM_OK)
            st = my_row_load(s, k->load, def, parent_id, out);
    }
    sm_status end = st == SM_OK ? my_end_read(s) : SM_OK;
    return st != SM_OK ? st : end;
}

/* Open the write: a SAVEPOINT in the caller's tx, else START TRANSACTION
 * (wrapped) or nothing (own: autocommit off starts one implicitly). */
static sm_status my_begin(sm_store *base, const sm_def *def, int64_t parent_id)
{
    my_store *s = (my_store *)base;
    my_stmts *k;
    sm_status st = ready(s, def, &k);
    if (st != SM_OK)
        return st;
    s->def = def;
    s->parent = parent_id;
    s->savepoint =
        !s->owned && (s->conn->server_status & SERVER_STATUS_IN_TRANS);
    if (s->savepoint)
        st = my_exec(s, "SAVEPOINT sm_tx");
    else if (!s->owned)
        st = my_exec(s, "START TRANSACTION");
    s->in_tx = st == SM_OK;
    if (st == SM_OK && k->lock)
        st = my_row_lock_parent(s, k->lock, parent_id);
    return st;
}

/* UTC now in microseconds. */
static int64_t now_us(void)
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
 * Write t. If the connection was lost and the whole transaction is ours
 * and holds nothing else (own connection, no parent lock), the server
 * has rolled it back: reconnect once and write again.
 */
static sm_status my_insert(sm_store *base, const sm_def *def,
                           const sm_transition *prev, sm_transition *t)
{
    my_store *s = (my_store *)base;
    s->in_tx = true;
    t->sort_key = prev ? prev->sort_key + 10 : 10;
    t->created_at_us = now_us();
    sm_status st = insert_once(s, def, prev, t);
    if (st == SM_E_STORE && s->lost && s->owned && !s->url.lock_parent &&
        my_ensure(s) == SM_OK)
        st = insert_once(s, def, prev, t);
    t->most_recent = st == SM_OK;
    return st;
}

static sm_status my_commit(sm_store *base, bool *deferred)
{
    my_store *s = (my_store *)base;
    sm_status st;
    *deferred = s->savepoint;
    if (s->savepoint)
        st = my_exec(s, "RELEASE SAVEPOINT sm_tx");
    else
        st = mysql_commit(s->conn) == 0 ? SM_OK : my_fail_conn(s, "COMMIT");
    if (st == SM_OK)
        s->in_tx = s->savepoint = false;
    return st;
}

static void my_rollback(sm_store *base)
{
    my_store *s = (my_store *)base;
    char keep[sizeof s->base.errmsg];
    memcpy(keep, s->base.errmsg, sizeof keep);
    if (s->savepoint)
        (void)my_exec(s, "ROLLBACK TO SAVEPOINT sm_tx");
    else if (!s->lost)
        (void)mysql_rollback(s->conn);
    if (s->savepoint)
        (void)my_exec(s, "RELEASE SAVEPOINT sm_tx");
    memcpy(s->base.errmsg, keep, sizeof keep);
    s->in_tx = s->savepoint = false;
}

const sm_store_ops sm_mysql_ops = {SM_STORE_OPS_VERSION,
                                   "mysql",
                                   my_close,
                                   my_load,
                                   my_begin,
                                   my_insert,
                                   my_commit,
                                   my_rollback};
