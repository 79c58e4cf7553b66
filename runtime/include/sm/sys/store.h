/*
 * sm/sys/store.h - the storage vtable (version 3), for store authors.
 *
 * Users of libsm never include this. The memory and MySQL stores
 * implement it, and so may anyone: fill an sm_store_ops, then hand it
 * and your own state to sm_store_open_ops(). The engine decides; a
 * store only reads and writes history, inside transactions it hands
 * out as handles.
 */
#ifndef SM_SYS_STORE_H
#define SM_SYS_STORE_H

#include "sm/sm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SM_STORE_OPS_VERSION 3u

/*
 * A transaction, opaque to libsm: a store returns a pointer to its own
 * transaction object, cast, and gets it back in every op of that write.
 * One handle may carry any number of inserts, for any parents and defs,
 * until commit or rollback (libsm writes one per transition; a batch
 * writes many). Nothing about a transaction may live anywhere else:
 * not in the store object, not in thread-local storage.
 */
typedef struct sm_store_tx sm_store_tx;

/* A growable list of history rows that owns its metadata strings. */
typedef struct sm_rows sm_rows;

/*
 * Append a copy of *t (and of t->metadata; NULL becomes "{}") to r.
 * SM_E_NOMEM leaves r as it was; SM_E_ARG for NULL.
 */
SM_API sm_status sm_rows_push(sm_rows *r, const sm_transition *t);

/*
 * Which of one parent's rows a page read returns: those past `after`
 * in reading order (sort_key > after ascending, or sort_key < after
 * when newest_first), only those whose to_state is to_state unless it
 * is -1, at most limit of them (0: every one), in reading order.
 */
typedef struct sm_store_page {
    int64_t after;     /* exclusive bound on sort_key */
    size_t limit;      /* 0: no limit */
    bool newest_first; /* by sort_key descending */
    int to_state;      /* -1: any */
} sm_store_page;

/*
 * Which parents in_state lists: those whose current state is one of
 * states[0..nstates) (negate: none of them; with nstates 0, every
 * parent), with an id greater than after_id, ascending, at most limit
 * of them (0: every one).
 */
typedef struct sm_store_filter {
    const int *states;
    size_t nstates;
    bool negate;
    int64_t after_id;
    size_t limit;
} sm_store_filter;

/* One row to write: t after prev, for a machine of def. */
typedef struct sm_store_write {
    const sm_def *def;
    const sm_transition *prev; /* the machine's last row; NULL: none */
    sm_transition *t;          /* the new row; see insert */
    sm_status failed;          /* SM_OK from libsm; insert may name this row's
                                  failure here (see insert) */
} sm_store_write;

/*
 * The operations. `impl` is the pointer given to sm_store_open_ops().
 * libsm calls them in this order for a write:
 *
 *   [latest] ... begin -> [lock] -> insert... -> commit   (one transition)
 *   begin -> insert(all rows) -> commit                   (a batch)
 *   begin -> ... any op fails -> errmsg -> rollback
 *
 * After an op fails, libsm reads errmsg(impl, tx) first, then calls
 * rollback(impl, tx) if a transaction was begun; after it the store
 * holds no transaction and no lock for that handle.
 */
typedef struct sm_store_ops {
    /* These two come first in every version, so a mismatch can be named */
    uint32_t version;   /* SM_STORE_OPS_VERSION */
    const char *scheme; /* "memory", "mysql", ...: names it in messages */
    /* Free impl and everything it holds. */
    void (*close)(void *impl);
    /*
     * The message of the failure the store just reported: tx's when the
     * failing op took one (tx is still open), else (tx NULL) the
     * store's. Never NULL; valid until the next op on impl or tx.
     */
    const char *(*errmsg)(void *impl, const sm_store_tx *tx);
    /*
     * Push parent_id's latest row (its most_recent one) of def onto out
     * with sm_rows_push(); nothing when it has no history. Opening and
     * reloading a machine read only this. tx is NULL outside a write,
     * or the open transaction (libsm re-reads after lock said stale, or
     * a hook reads), and must then see what that transaction sees. A
     * store that keeps names maps them with sm_def_state_lookup() and
     * refuses one def does not know with SM_E_SCHEMA, naming the row;
     * libsm refuses a row whose index def lacks (a store that keeps
     * indexes) the same way, here and in page.
     */
    sm_status (*latest)(void *impl, sm_store_tx *tx, const sm_def *def,
                        int64_t parent_id, sm_rows *out);
    /*
     * Push the rows of parent_id of def that pg selects onto out, in
     * pg's order (sm_history() and sm_history_page() read through it).
     * tx as for latest.
     */
    sm_status (*page)(void *impl, sm_store_tx *tx, const sm_def *def,
                      int64_t parent_id, const sm_store_page *pg, sm_rows *out);
    /* Open a transaction; *out is its handle. */
    sm_status (*begin)(void *impl, sm_store_tx **out);
    /*
     * May be NULL. Serialise this transaction with every other writer
     * of parent_id: wait (do not fail) until tx holds it, then set
     * *stale when last (the machine's view of the latest row, NULL: no
     * history) is no longer the parent's latest row, compared by id.
     * libsm then reloads through latest(impl, tx, ...) and decides again
     * before it writes. A store that does not lock this time sets
     * *stale = false; a stale view then shows at insert. Called for
     * single transitions only: a batch, decided when it was queued, is
     * not decided again, so a store that locks parents locks a batch's
     * inside insert (see there).
     */
    sm_status (*lock)(void *impl, sm_store_tx *tx, const sm_def *def,
                      int64_t parent_id, const sm_transition *last,
                      bool *stale);
    /*
     * Write w[0..n) in order, in tx, each as the new latest row of its
     * w[i].t->parent_id. Each t arrives with parent_id, from_state,
     * to_state, metadata (never NULL) and sort_key (prev's + 10, or
     * 10); on SM_OK the store has set its id, created_at_us and
     * most_recent = true, and cleared most_recent of prev; a store that
     * caches parents' current state (MySQL's def->state_column) updates
     * it in tx too. A prev that is no longer the parent's latest row is
     * SM_E_CONFLICT, as is a parent another open transaction is writing.
     *
     * A batch is one call with all its rows, sorted by def->table (by
     * strcmp) and then parent_id, each (table, parent) at most once.
     * Take row locks in that order and two batches over the same
     * parents cannot deadlock; a store with a lock op locks a batch's
     * parents here, in that order, and a stale prev is SM_E_CONFLICT.
     * On failure the store may set w[i].failed for each row that caused
     * it (SM_E_CONFLICT, ...), going on past the first to find them all
     * if it can; libsm rolls back either way, then reloads every
     * machine and also names each whose latest row is no longer prev.
     */
    sm_status (*insert)(void *impl, sm_store_tx *tx, sm_store_write *w,
                        size_t n);
    /*
     * Make tx's writes final and end it. *deferred = true when the
     * store runs inside a transaction of its caller's, whose outcome
     * sm_store_signal_commit() reports later. On failure tx stays open
     * for rollback.
     */
    sm_status (*commit)(void *impl, sm_store_tx *tx, bool *deferred);
    /*
     * Undo tx's writes, release what it holds and end it, whatever op
     * failed. Cannot fail: a store that cannot undo (a lost connection)
     * must still forget tx.
     */
    void (*rollback)(void *impl, sm_store_tx *tx);
    /*
     * May be NULL (sm_store_in_state() is then SM_E_ARG). The ids of
     * def's parents that f selects, in *ids (allocated with
     * sm_malloc(), ascending) and *n. libsm has checked the arguments.
     * A state may be SM_UNKNOWN_STATE: the parents whose latest row
     * holds a state def does not know (a name it lacks, or an index at
     * or past nstates that another def wrote), listed by in_state and
     * left out by not_in_state (negate). Meeting such a parent when it
     * is not among f's states is SM_E_SCHEMA: no parent is silently
     * left out, or silently listed.
     */
    sm_status (*in_state)(void *impl, const sm_def *def,
                          const sm_store_filter *f, int64_t **ids, size_t *n);
    /*
     * May be NULL. A read outside a write (tx NULL) may leave the
     * store's connection inside the transaction it opened, so that the
     * next begin needs no statement of its own. libsm calls end_read
     * when a machine closes: end such a transaction now, if one is open.
     */
    void (*end_read)(void *impl);
} sm_store_ops;

/*
 * A store running ops on impl. ops must outlive the store (a static
 * table). The version is checked first: ops->version other than
 * SM_STORE_OPS_VERSION, or a required op NULL, is SM_E_ARG with a
 * message naming both versions or the op. On SM_OK the store owns impl
 * (sm_store_close() calls ops->close(impl)); on failure impl stays the
 * caller's and *out is a failed store carrying the message, as
 * sm_store_open() returns (NULL for SM_E_NOMEM and out == NULL).
 */
SM_API sm_status sm_store_open_ops(sm_store **out, const sm_store_ops *ops,
                                   void *impl);

/*
 * The allocator set by sm_set_allocator(), for stores to use: rows and
 * the ids of in_state are freed by libsm with sm_free(). sm_malloc and
 * sm_realloc return NULL on failure (sm_realloc leaves p untouched);
 * sm_free(NULL) does nothing.
 */
SM_API void *sm_malloc(size_t n);
SM_API void *sm_realloc(void *p, size_t n);
SM_API void sm_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
