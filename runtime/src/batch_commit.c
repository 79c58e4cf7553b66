/*
 * batch_commit.c - sm_batch_commit: every queued item in one transaction
 * of the store (README: "Batches"), or none of them.
 *
 * begin -> insert (all rows, sorted by table and parent) -> the caches
 * take the new rows -> after hooks in queue order -> commit ->
 * after_commit hooks in queue order. On any failure: roll back, reload
 * every machine, and take out the items that caused it; unless the
 * failure was a COMMIT whose outcome is unknown (a lost connection) and
 * the reloads show the batch's own rows: then it committed.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

/* Order of the writes: by table name, then parent id. */
static int by_table_parent(const void *a, const void *b)
{
    const sm_store_write *x = a, *y = b;
    int c = strcmp(sm_batch_table(x->def), sm_batch_table(y->def));
    if (c)
        return c;
    int64_t p = x->t->parent_id, q = y->t->parent_id;
    return (p > q) - (p < q);
}

/* Why b cannot commit now; SM_OK when it can. */
static sm_status check_commit(sm_batch *b)
{
    sm_status st = sm_batch_usable(b);
    for (size_t i = 0; st == SM_OK && i < b->n; i++) {
        const sm_machine *m = b->items[i].m;
        if (m && m->busy)
            return sm_batch_fail(b, SM_E_ARG,
                                 "sm_batch_commit: %s %lld is in the middle "
                                 "of a call (from one of its hooks)",
                                 m->def->name ? m->def->name : "machine",
                                 (long long)m->parent_id);
    }
    return st;
}

/* The live items' writes, sorted; *w NULL when there are none. */
static sm_status writes_of(sm_batch *b, sm_store_write **w, size_t *n)
{
    *n = 0;
    *w = b->n ? sm_malloc(b->n * sizeof **w) : NULL;
    if (b->n && !*w)
        return sm_batch_fail(b, SM_E_NOMEM, "out of memory");
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        it->failed = SM_OK;
        if (it->m)
            (*w)[(*n)++] = (sm_store_write){
                it->def, it->has_prev ? &it->prev : NULL, &it->t, SM_OK};
    }
    if (*n > 1)
        qsort(*w, *n, sizeof **w, by_table_parent);
    return SM_OK;
}

/* Hand tx (NULL: none) to every live item's machine, for the history
 * reads of its hooks. */
static void set_tx(sm_batch *b, sm_store_tx *tx)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].m)
            b->items[i].m->tx = tx;
}

/* Mark every live item's machine busy (or not) for the commit. */
static void set_busy(sm_batch *b, bool on)
{
    b->busy = on;
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].m)
            b->items[i].m->busy = on;
}

/* The item whose row w is. */
static sm_batch_item *item_of(const sm_store_write *w)
{
    return (sm_batch_item *)(void *)((char *)w->t - offsetof(sm_batch_item, t));
}

/* The store's op failed with st in tx (NULL: none begun): keep its
 * message and the rows it named, then roll back. */
static sm_status store_failed(sm_batch *b, sm_status st, sm_store_tx *tx,
                              const sm_store_write *w, size_t n)
{
    sm_store *s = b->store;
    sm_batch_fail(b, st, "%s", s->ops->errmsg(s->impl, tx));
    for (size_t i = 0; i < n; i++)
        if (w[i].failed != SM_OK)
            item_of(&w[i])->failed = w[i].failed;
    if (tx) {
        set_tx(b, NULL);
        s->ops->rollback(s->impl, tx);
    }
    return st;
}

/* Each machine's cache takes its new row (a machine a caller's rollback
 * left stale reads its history in tx instead). */
static sm_status push_all(sm_batch *b, sm_store_tx *tx)
{
    for (size_t i = 0; i < b->n; i++) {
        sm_machine *m = b->items[i].m;
        if (!m)
            continue;
        if (m->stale) { /* its read fails with its own status */
            sm_status st = sm_machine_load(m, tx);
            if (st != SM_OK)
                return sm_batch_fail(b, st, "%s", m->errmsg);
        } else if (sm_rows_push_latest(&m->rows, &b->items[i].t) != SM_OK)
            return sm_batch_fail(b, SM_E_NOMEM, "out of memory");
        else
            b->items[i].pushed = true;
    }
    return SM_OK;
}

/* The write is over: take the new rows out of the caches again (rolled
 * back), or keep only them (committed). A cache that stays wrong after
 * a rollback whose reload fails would show a row the store lacks. */
static void settle_caches(sm_batch *b, bool committed)
{
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        if (it->m && it->pushed && !committed)
            sm_rows_pop_latest(&it->m->rows);
        else if (it->m && committed)
            sm_machine_trim(it->m);
        it->pushed = false;
    }
}

/* The after hooks of each item, in queue order; the first that aborts
 * marks its item. */
static sm_status after_all(sm_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        if (!it->m)
            continue;
        const sm_hook *h =
            sm_hooks_run(it->m, SM_HOOK_AFTER, sm_last_transition(it->m));
        if (h) {
            it->failed = sm_engine_hook_failed(it->m, h, &it->t);
            return sm_batch_fail(b, it->failed, "%s", it->m->errmsg);
        }
    }
    return SM_OK;
}

/* The transaction: begin, insert, caches, after hooks, commit. *unsure
 * when the COMMIT failed as a lost connection fails: SM_E_STORE, which
 * does not say whether the server committed. */
static sm_status write_all(sm_batch *b, sm_store_write *w, size_t n,
                           bool *deferred, bool *unsure)
{
    sm_store *s = b->store;
    sm_store_tx *tx = NULL;
    sm_status st = s->ops->begin(s->impl, &tx);
    if (st != SM_OK)
        return store_failed(b, st, NULL, w, 0);
    set_tx(b, tx);
    st = s->ops->insert(s->impl, tx, w, n);
    if (st != SM_OK)
        return store_failed(b, st, tx, w, n);
    st = push_all(b, tx);
    if (st == SM_OK)
        st = after_all(b);
    if (st != SM_OK) {
        set_tx(b, NULL);
        s->ops->rollback(s->impl, tx);
        settle_caches(b, false);
        return st;
    }
    st = s->ops->commit(s->impl, tx, deferred);
    if (st != SM_OK) {
        *unsure = st == SM_E_STORE && !*deferred;
        settle_caches(b, false);
        return store_failed(b, st, tx, w, 0);
    }
    set_tx(b, NULL);
    settle_caches(b, true);
    return SM_OK;
}

/* Has m's latest row moved away from the one it was queued after? */
static bool moved(const sm_batch_item *it, const sm_machine *m)
{
    const sm_transition *last = sm_last_transition(m);
    return it->has_prev ? !last || last->id != it->prev.id : last != NULL;
}

/* Is m's latest row the one the store gave it (id, sort key and time
 * assigned in the failed write)? Then the write committed. */
static bool landed(const sm_batch_item *it, const sm_machine *m)
{
    const sm_transition *last = sm_last_transition(m);
    return last && it->t.id && last->id == it->t.id &&
           last->sort_key == it->t.sort_key &&
           last->created_at_us == it->t.created_at_us;
}

/* Reload every machine (one that fails is marked and reloads before its
 * next write); whether one shows its item's row. */
static bool reload_all(sm_batch *b)
{
    bool any = false;
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        sm_status r = it->m ? sm_machine_reload(it->m) : SM_OK;
        if (r != SM_OK) /* its message says why */
            it->failed = r, it->m->stale = true;
        else if (it->m)
            any |= landed(it, it->m);
    }
    return any;
}

/* End the read the reloads began: they leave no transaction open. */
static void end_read(sm_batch *b)
{
    sm_store *s = b->store;
    if (s && s->ops->end_read)
        s->ops->end_read(s->impl);
}

/* After the commit: the after_commit hooks, in queue order, each given
 * its item's row. */
static void after_commit_all(sm_batch *b, bool deferred)
{
    if (deferred) /* a shared (memory) store never defers */
        b->store->dirty = true;
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        if (it->m)
            sm_hooks_after_commit(it->m, &it->t, deferred);
    }
}

/*
 * A COMMIT whose reply was lost, and the reloads show the batch's rows:
 * it committed (a transaction is all or nothing, so every row is there).
 * A machine whose reload failed takes its row into the cache; it stays
 * marked to reload before its next write.
 */
static sm_status committed_after_all(sm_batch *b)
{
    end_read(b);
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        if (it->m && it->m->stale)
            (void)sm_rows_push_latest(&it->m->rows, &it->t);
        it->failed = SM_OK;
    }
    b->errmsg[0] = '\0';
    set_busy(b, true);
    after_commit_all(b, false);
    set_busy(b, false);
    sm_batch_clear(b);
    return SM_OK;
}

/* After a failed write (unsure: a COMMIT of unknown outcome): reload
 * every machine, name each item that failed (marked, moved, or unable to
 * reload), take them out, and end the read the reloads began. */
static sm_status recover(sm_batch *b, sm_status st, bool unsure)
{
    if (reload_all(b) && unsure)
        return committed_after_all(b);
    size_t failed = 0;
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        sm_machine *m = it->m;
        if (!m || m->stale) /* gone, or its reload failed */
            ;
        else if (it->failed == SM_E_CONFLICT || moved(it, m)) {
            it->failed = SM_E_CONFLICT;
            sm_machine_fail_parent(m, SM_E_CONFLICT,
                                   "another writer transitioned it first "
                                   "(sort_key %d taken)",
                                   (int)it->t.sort_key);
        } else if (it->failed != SM_OK && it->failed != SM_E_CALLBACK)
            sm_machine_fail_parent(m, it->failed, "%s", b->errmsg);
        failed += m && it->failed != SM_OK;
    }
    end_read(b);
    char why[sizeof b->errmsg];
    memcpy(why, b->errmsg, sizeof why);
    if (sm_batch_settle(b) != SM_OK)
        return sm_batch_fail(b, SM_E_NOMEM, "out of memory");
    if (!failed || strcmp(why, b->fails[0].message) == 0)
        return sm_batch_fail(b, st, "nothing written: %s", why);
    return sm_batch_fail(
        b, st, "nothing written: %zu item%s failed, the first: %s; %s", failed,
        failed == 1 ? "" : "s", b->fails[0].message, why);
}

sm_status sm_batch_commit(sm_batch *b)
{
    if (!b)
        return SM_E_ARG;
    sm_batch_forget_failures(b);
    sm_store_write *w;
    size_t n;
    sm_status st = check_commit(b);
    if (st != SM_OK)
        return st;
    if ((st = writes_of(b, &w, &n)) != SM_OK)
        return recover(b, st, false);
    bool deferred = false, unsure = false;
    set_busy(b, true);
    st = n ? write_all(b, w, n, &deferred, &unsure) : SM_OK;
    sm_free(w);
    if (st == SM_OK)
        after_commit_all(b, deferred);
    set_busy(b, false);
    if (st != SM_OK)
        return recover(b, st, unsure);
    sm_batch_clear(b);
    return SM_OK;
}
