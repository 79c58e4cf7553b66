/*
 * store.c - the MySQL store's vtable: reads, begin, lock, insert, commit.
 *
 * A transition is INSERT (most_recent per mode) and one UPDATE of
 * most_recent (after an UPDATE of the parent's state column, when the
 * def names one), inside a transaction that autocommit=0 opens, or
 * inside a SAVEPOINT when wrapping a caller's open transaction. One
 * connection holds one transaction: the handle is the store's my_tx.
 * A read outside a write leaves its transaction open at READ COMMITTED
 * (conn.c), so the write that usually follows commits both: a machine
 * opened and moved once costs SELECT, INSERT, UPDATE, COMMIT.
 */
#include <string.h>
#include <time.h>

#include "priv.h"
#include "row.h"

/* End the transaction reads opened with autocommit off. */
sm_status my_end_read(my_store *s)
{
    if (s->tx.open || !s->owned)
        return SM_OK;
    s->reading = false;
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

/* The vtable's end_read: only when a read left a transaction open. */
static void my_end_read_op(void *impl)
{
    my_store *s = impl;
    if (s->reading)
        (void)my_end_read(s);
}

static const char *my_errmsg(void *impl, const sm_store_tx *tx)
{
    (void)tx;
    return ((my_store *)impl)->base.errmsg;
}

/* Run the read `slot` of def for parent (pg: a page; NULL: latest). */
static sm_status read_once(my_store *s, const sm_def *def, my_slot slot,
                           int64_t parent, const sm_store_page *pg,
                           sm_rows *out)
{
    MYSQL_STMT *st;
    sm_status r = my_stmt(s, def, slot, &st);
    return r == SM_OK ? my_row_load(s, st, def, parent, pg, out) : r;
}

/*
 * In tx (or while a write is open on the connection): read what it
 * sees. Outside: reconnect once if the connection was lost, and leave
 * the read's transaction open (own connection) for the next write or
 * end_read to end; at READ COMMITTED it holds no snapshot or row lock.
 */
static sm_status my_read(my_store *s, sm_store_tx *tx, const sm_def *def,
                         my_slot slot, int64_t parent, const sm_store_page *pg,
                         sm_rows *out)
{
    if (tx || s->tx.open)
        return read_once(s, def, slot, parent, pg, out);
    sm_status st = my_ensure(s);
    if (st == SM_OK)
        st = read_once(s, def, slot, parent, pg, out);
    if (st == SM_E_STORE && s->lost && s->owned && my_ensure(s) == SM_OK)
        st = read_once(s, def, slot, parent, pg, out);
    if (s->owned && !s->lost) /* even a failed read may have begun it */
        s->reading = true;
    return st;
}

static sm_status my_latest(void *impl, sm_store_tx *tx, const sm_def *def,
                           int64_t parent_id, sm_rows *out)
{
    return my_read(impl, tx, def, MY_LATEST, parent_id, NULL, out);
}

static sm_status my_page(void *impl, sm_store_tx *tx, const sm_def *def,
                         int64_t parent_id, const sm_store_page *pg,
                         sm_rows *out)
{
    bool to = pg->to_state >= 0;
    my_slot slot = pg->newest_first ? (to ? MY_PAGE_DESC_TO : MY_PAGE_DESC)
                                    : (to ? MY_PAGE_TO : MY_PAGE);
    return my_read(impl, tx, def, slot, parent_id, pg, out);
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
    s->reading = false; /* the write carries on the read's transaction */
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
    MYSQL_STMT *lk, *latest;
    (void)tx;
    *stale = false;
    if (!s->url.lock_parent)
        return SM_OK;
    sm_status st = my_stmt(s, def, MY_LOCK, &lk);
    if (st == SM_OK)
        st = my_stmt(s, def, MY_LATEST_ID, &latest);
    s->tx.holds = s->tx.locked = true;
    if (st == SM_OK)
        st = my_row_lock_parent(s, lk, def, parent_id);
    int64_t id = 0;
    if (st == SM_OK)
        st = my_row_latest(s, latest, parent_id, &id);
    *stale = st == SM_OK && id != (last ? last->id : 0);
    return st;
}

int64_t my_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * The parent's state column, by primary key, in the write's transaction,
 * before anything else of it: every writer of a parent locks the parent
 * row first, so none waits on it while holding a transitions row (or,
 * with the foreign key, a shared lock on that very parent row) that
 * another needs. Nothing changed means the row already held the state,
 * or there is no parent row: then the cache cannot be kept, and the
 * write fails rather than leave a parent row to be created with a wrong
 * one.
 */
static sm_status set_state(my_store *s, const sm_def *def,
                           const sm_transition *t)
{
    MYSQL_STMT *up, *ex;
    bool changed = false, found = false;
    sm_status st = my_stmt(s, def, MY_STATE, &up);
    if (st == SM_OK)
        st = my_row_state(s, up, def, t, &changed);
    if (st != SM_OK || changed)
        return st;
    st = my_stmt(s, def, MY_PARENT, &ex);
    if (st == SM_OK)
        st = my_row_exists(s, ex, t->parent_id, &found);
    if (st == SM_OK && !found)
        st = sm_store_fail(&s->base, SM_E_STORE,
                           "mysql: state column: no row with id %lld in %s",
                           (long long)t->parent_id, def->parent_table);
    return st;
}

/* The mode's statements for t, in the open transaction. */
static sm_status insert_once(my_store *s, const sm_def *def,
                             const sm_transition *prev, sm_transition *t)
{
    MYSQL_STMT *ins, *flip;
    sm_status st = my_stmt(s, def, MY_INSERT, &ins);
    if (st == SM_OK)
        st = my_stmt(s, def, MY_FLIP, &flip);
    if (st != SM_OK)
        return st;
    bool mr = s->url.gaplock == SM_GAPLOCK_NONE;
    if (def->state_column && (st = set_state(s, def, t)) != SM_OK)
        return st;
    MYSQL_TIME at;
    my_time(t->created_at_us, &at);
    if (mr && (st = my_row_flip(s, flip, t, prev, &at)) != SM_OK)
        return st;
    st = my_row_insert(s, ins, def, t, mr, &at);
    if (st == SM_OK && !mr)
        st = my_row_flip(s, flip, t, prev, &at);
    return st;
}

/* Write one row (the previous is w->prev), in the open transaction. */
static sm_status insert_write(my_store *s, sm_store_write *w)
{
    sm_transition *t = w->t;
    t->sort_key = w->prev ? w->prev->sort_key + 10 : 10;
    t->created_at_us = my_now_us();
    s->tx.holds = true;
    sm_status st = insert_once(s, w->def, w->prev, t);
    t->most_recent = st == SM_OK;
    return st;
}

/*
 * The rows of one write: a batch (libsm calls no lock op for it) locks
 * its parents here first with lock_parent=1. In pk mode on a server
 * with RETURNING, more than one row goes through batch.c's multi-row
 * statements; otherwise (the legacy modes, older servers) each row is
 * written as a single transition writes it, in the order given.
 */
static sm_status insert_rows(my_store *s, sm_store_write *w, size_t n)
{
    sm_status st = SM_OK;
    if (s->url.lock_parent && !s->tx.locked)
        st = my_batch_lock(s, w, n);
    bool pk = s->url.gaplock == SM_GAPLOCK_PK;
    if (st == SM_OK && n > 1 && pk)
        st = my_batch_server(s);
    if (st == SM_OK && n > 1 && pk && s->returning)
        return my_batch_insert(s, w, n);
    for (size_t i = 0; i < n && st == SM_OK; i++)
        if ((st = insert_write(s, &w[i])) != SM_OK && n > 1 && !s->lost &&
            (st == SM_E_STORE || st == SM_E_CONFLICT))
            w[i].failed = st; /* this row's own refusal: name it */
    return st;
}

/*
 * Write the rows. If the connection was lost and the transaction is ours
 * and held nothing before (own connection; no lock, no row: only reads,
 * which at READ COMMITTED hold nothing), the server has rolled back all
 * of it: reconnect once, to the next host, and write them all again. A
 * batch, like a single transition, so moves past a node that died
 * between its machines' reads and its commit.
 */
static sm_status my_insert(void *impl, sm_store_tx *tx, sm_store_write *w,
                           size_t n)
{
    my_store *s = impl;
    (void)tx;
    bool fresh = !s->tx.holds;
    sm_status st = insert_rows(s, w, n);
    if (st == SM_E_STORE && s->lost && s->owned && fresh &&
        my_ensure(s) == SM_OK) {
        for (size_t i = 0; i < n; i++)
            w[i].failed = SM_OK;
        s->tx.holds = false;
        st = insert_rows(s, w, n);
    }
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
        s->tx = (my_tx){0}, s->reading = false;
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
    s->reading = false;
}

const sm_store_ops sm_mysql_ops = {SM_STORE_OPS_VERSION,
                                   "mysql",
                                   my_close,
                                   my_errmsg,
                                   my_latest,
                                   my_page,
                                   my_begin,
                                   my_lock,
                                   my_insert,
                                   my_commit,
                                   my_rollback,
                                   my_in_state,
                                   my_end_read_op};
