/*
 * memory.c - the "memory:" store: every parent's history in a hash table.
 *
 * Thread-safe (one mutex per store). A parent's history belongs to its
 * def's table name, as in MySQL. An insert claims the parent for its
 * transaction until commit or rollback, as a database's row lock would;
 * a stale prev or another transaction's claim is SM_E_CONFLICT, named
 * on its row. Transactions are independent objects, recycled through a
 * free list.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rows.h"
#include "store_priv.h"

typedef struct mtable { /* an interned table name */
    char *name;
    struct mtable *next;
} mtable;

typedef struct mtx mtx;

typedef struct mparent {
    const mtable *table;
    int64_t id;
    sm_rows rows;
    const mtx *claim; /* the transaction writing it, or NULL */
    struct mparent *next;
} mparent;

struct mtx {
    mparent **wrote; /* one entry per row appended, in order */
    size_t n, cap;
    mtx *next_free;
    char err[256];
};

typedef struct mem_store {
    /* A failure outside transactions: out of memory (any thread, any
     * time), or in_state's, whose text is in `base` (written under mu;
     * README: a shared store's store-level message is one per store). */
    _Atomic(const char *) msg;
    sm_backend base;
    pthread_mutex_t mu;
    mparent **buckets;
    size_t nbuckets, nparents;
    mtable *tables;
    const char *last_name; /* a def's table pointer and ... */
    const mtable *last;    /* ... its interned name, the common case */
    mtx *free_tx;
    int64_t next_id, last_us;
} mem_store;

/* Record tx's failure message: "memory: " WHY " (parent P)". */
static sm_status tx_fail(mtx *tx, sm_status st, const char *why, int64_t p)
{
    snprintf(tx->err, sizeof tx->err, "memory: %s (parent %lld)", why,
             (long long)p);
    return st;
}

/* The interned table of def (lock held); NULL when out of memory. */
static const mtable *table_of(mem_store *m, const sm_def *def)
{
    const char *name = def->table ? def->table : "";
    if (name == m->last_name && strcmp(m->last->name, name) == 0)
        return m->last;
    mtable *t = m->tables;
    while (t && strcmp(t->name, name) != 0)
        t = t->next;
    if (!t) {
        t = sm_malloc(sizeof *t);
        char *copy = t ? sm_strdup(name) : NULL;
        if (!copy) {
            sm_free(t);
            return NULL;
        }
        *t = (mtable){copy, m->tables};
        m->tables = t;
    }
    m->last_name = name, m->last = t;
    return t;
}

static size_t bucket_of(const mem_store *m, const mtable *t, int64_t id)
{
    uint64_t h =
        ((uint64_t)id ^ (uint64_t)(uintptr_t)t) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (m->nbuckets - 1);
}

/* The parent entry of (t, id), or NULL. Lock held. */
static mparent *find(mem_store *m, const mtable *t, int64_t id)
{
    mparent *p = m->buckets[bucket_of(m, t, id)];
    while (p && (p->id != id || p->table != t))
        p = p->next;
    return p;
}

/* Double the table when it is full; failure just keeps chains longer. */
static void maybe_grow(mem_store *m)
{
    if (m->nparents < m->nbuckets)
        return;
    size_t old = m->nbuckets;
    mparent **nb = sm_malloc(2 * old * sizeof *nb);
    if (!nb)
        return;
    memset(nb, 0, 2 * old * sizeof *nb);
    mparent **ob = m->buckets;
    m->buckets = nb;
    m->nbuckets = 2 * old;
    for (size_t i = 0; i < old; i++)
        for (mparent *p = ob[i], *n; p; p = n) {
            n = p->next;
            size_t b = bucket_of(m, p->table, p->id);
            p->next = nb[b];
            nb[b] = p;
        }
    sm_free(ob);
}

/* Find or create (t, id)'s entry; NULL when out of memory. Lock held. */
static mparent *get(mem_store *m, const mtable *t, int64_t id)
{
    mparent *p = find(m, t, id);
    if (p)
        return p;
    maybe_grow(m);
    p = sm_malloc(sizeof *p);
    if (!p)
        return NULL;
    memset(p, 0, sizeof *p);
    p->table = t;
    p->id = id;
    size_t b = bucket_of(m, t, id);
    p->next = m->buckets[b];
    m->buckets[b] = p;
    m->nparents++;
    return p;
}

static void mem_close(void *impl)
{
    mem_store *m = impl;
    for (size_t i = 0; i < m->nbuckets; i++)
        for (mparent *p = m->buckets[i], *n; p; p = n) {
            n = p->next;
            sm_rows_clear(&p->rows);
            sm_free(p);
        }
    for (mtable *t = m->tables, *n; t; t = n) {
        n = t->next;
        sm_free(t->name);
        sm_free(t);
    }
    for (mtx *t = m->free_tx, *n; t; t = n) {
        n = t->next_free;
        sm_free(t->wrote);
        sm_free(t);
    }
    sm_free(m->buckets);
    pthread_mutex_destroy(&m->mu);
    sm_free(m);
}

static const char oom[] = "memory: out of memory";

/* Out of memory outside a transaction: that is the store's message. */
static sm_status mem_oom(mem_store *m)
{
    atomic_store(&m->msg, oom);
    return SM_E_NOMEM;
}

/* A transaction's own message, or (without one) the store's. */
static const char *mem_errmsg(void *impl, const sm_store_tx *tx)
{
    return tx ? ((const mtx *)tx)->err : atomic_load(&((mem_store *)impl)->msg);
}

/* parent_id's rows of def's table (kept in sort_key order), or NULL
 * (*st SM_E_NOMEM when the table could not be interned). Lock held. */
static const sm_rows *rows_of(mem_store *m, const sm_def *def,
                              int64_t parent_id, sm_status *st)
{
    const mtable *t = table_of(m, def);
    const mparent *p = t ? find(m, t, parent_id) : NULL;
    *st = t ? SM_OK : mem_oom(m);
    return p ? &p->rows : NULL;
}

/* Copy parent_id's last row into out. */
static sm_status mem_latest(void *impl, sm_store_tx *tx, const sm_def *def,
                            int64_t parent_id, sm_rows *out)
{
    mem_store *m = impl;
    sm_status st;
    (void)tx;
    pthread_mutex_lock(&m->mu);
    const sm_rows *r = rows_of(m, def, parent_id, &st);
    if (r && r->n)
        st = sm_rows_push(out, &r->v[r->n - 1]);
    pthread_mutex_unlock(&m->mu);
    return st;
}

/* How many rows of r (in sort_key order) have a sort_key below k, or
 * (or_equal) at most k: where a read past k starts. */
static size_t rows_before(const sm_rows *r, int64_t k, bool or_equal)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t v = r->v[mid].sort_key;
        if (v < k || (or_equal && v == k))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Copy the rows pg selects, in its order, into out. Lock held. */
static sm_status copy_page(const sm_rows *r, const sm_store_page *pg,
                           sm_rows *out)
{
    size_t i = rows_before(r, pg->after, !pg->newest_first);
    size_t got = 0;
    sm_status st = SM_OK;
    while (st == SM_OK && (pg->newest_first ? i > 0 : i < r->n) &&
           (!pg->limit || got < pg->limit)) {
        const sm_transition *t = pg->newest_first ? &r->v[--i] : &r->v[i++];
        if (pg->to_state >= 0 && t->to_state != pg->to_state)
            continue;
        st = sm_rows_push(out, t);
        got++;
    }
    return st;
}

static sm_status mem_page(void *impl, sm_store_tx *tx, const sm_def *def,
                          int64_t parent_id, const sm_store_page *pg,
                          sm_rows *out)
{
    mem_store *m = impl;
    sm_status st;
    (void)tx;
    pthread_mutex_lock(&m->mu);
    const sm_rows *r = rows_of(m, def, parent_id, &st);
    if (r)
        st = copy_page(r, pg, out);
    pthread_mutex_unlock(&m->mu);
    return st;
}

/* A transaction from the free list, or a new one. */
static sm_status mem_begin(void *impl, sm_store_tx **out)
{
    mem_store *m = impl;
    pthread_mutex_lock(&m->mu);
    mtx *tx = m->free_tx;
    if (tx)
        m->free_tx = tx->next_free;
    pthread_mutex_unlock(&m->mu);
    if (!tx && (tx = sm_malloc(sizeof *tx)) != NULL)
        memset(tx, 0, sizeof *tx);
    *out = (sm_store_tx *)tx;
    return tx ? SM_OK : mem_oom(m);
}

/* Microseconds since the epoch, strictly increasing per store. Lock held. */
static int64_t now_us(mem_store *m)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    m->last_us = us > m->last_us ? us : m->last_us + 1;
    return m->last_us;
}

/* Is prev (the caller's view) the stored last row of p? */
static bool prev_matches(const mparent *p, const sm_transition *prev)
{
    if (!p->rows.n)
        return prev == NULL;
    return prev && prev->id == p->rows.v[p->rows.n - 1].id;
}

/* Remember that tx appended a row to p. */
static bool note_write(mtx *tx, mparent *p)
{
    if (tx->n == tx->cap) {
        size_t cap = tx->cap ? 2 * tx->cap : 4;
        mparent **v = sm_realloc(tx->wrote, cap * sizeof *v);
        if (!v)
            return false;
        tx->wrote = v, tx->cap = cap;
    }
    tx->wrote[tx->n++] = p;
    return true;
}

/* Store t as p's new last row for tx; t gets id, sort_key, time. */
static sm_status append(mem_store *m, mtx *tx, mparent *p, sm_transition *t)
{
    sm_rows *r = &p->rows;
    sm_transition row = *t;
    row.sort_key = r->n ? r->v[r->n - 1].sort_key + 10 : 10;
    row.id = m->next_id + 1;
    row.created_at_us = now_us(m);
    row.most_recent = true;
    if (sm_rows_push_latest(r, &row) != SM_OK)
        return SM_E_NOMEM;
    if (!note_write(tx, p)) {
        sm_rows_pop_latest(r);
        return SM_E_NOMEM;
    }
    m->next_id++;
    p->claim = tx;
    row.metadata = t->metadata;
    *t = row;
    return SM_OK;
}

/* One write: claim its parent for tx and append. Lock held. */
static sm_status insert_one(mem_store *m, mtx *tx, sm_store_write *w)
{
    const mtable *t = table_of(m, w->def);
    mparent *p = t ? get(m, t, w->t->parent_id) : NULL;
    int64_t id = w->t->parent_id;
    if (!p)
        return tx_fail(tx, SM_E_NOMEM, "out of memory", id);
    if (p->claim && p->claim != tx)
        return tx_fail(tx, SM_E_CONFLICT,
                       "another open transaction is writing it", id);
    if (!prev_matches(p, w->prev))
        return tx_fail(tx, SM_E_CONFLICT, "it has a newer transition", id);
    if (append(m, tx, p, w->t) != SM_OK)
        return tx_fail(tx, SM_E_NOMEM, "out of memory", id);
    return SM_OK;
}

/* Every write in order. A conflict names its row and the others are
 * still tried, so a batch learns all its conflicts at once; the message
 * is the first failure's. Any other failure stops at once. */
static sm_status mem_insert(void *impl, sm_store_tx *stx, sm_store_write *w,
                            size_t n)
{
    mem_store *m = impl;
    mtx *tx = (mtx *)stx;
    sm_status first = SM_OK;
    char keep[sizeof tx->err];
    pthread_mutex_lock(&m->mu);
    for (size_t i = 0; i < n; i++) {
        sm_status st = insert_one(m, tx, &w[i]);
        if (st == SM_OK)
            continue;
        w[i].failed = st;
        if (first == SM_OK)
            first = st, memcpy(keep, tx->err, sizeof keep);
        if (st != SM_E_CONFLICT)
            break;
    }
    pthread_mutex_unlock(&m->mu);
    if (first != SM_OK)
        memcpy(tx->err, keep, sizeof keep);
    return first;
}

/* End tx (lock held): undo its rows when rolling back, release its
 * claims, and put it on the free list. */
static void finish(mem_store *m, mtx *tx, bool undo)
{
    for (size_t i = tx->n; i > 0; i--) {
        mparent *p = tx->wrote[i - 1];
        if (undo)
            sm_rows_pop_latest(&p->rows);
        p->claim = NULL;
    }
    tx->n = 0;
    tx->err[0] = '\0';
    tx->next_free = m->free_tx;
    m->free_tx = tx;
}

static sm_status mem_commit(void *impl, sm_store_tx *tx, bool *deferred)
{
    mem_store *m = impl;
    *deferred = false;
    pthread_mutex_lock(&m->mu);
    finish(m, (mtx *)tx, false);
    pthread_mutex_unlock(&m->mu);
    return SM_OK;
}

static void mem_rollback(void *impl, sm_store_tx *tx)
{
    mem_store *m = impl;
    pthread_mutex_lock(&m->mu);
    finish(m, (mtx *)tx, true);
    pthread_mutex_unlock(&m->mu);
}

/* Is s one of states[0..n)? A state def lacks (an index another def
 * wrote) is one when SM_UNKNOWN_STATE is. */
static bool one_of(const sm_def *def, int s, const int *states, size_t n)
{
    if (s < 0 || (uint32_t)s >= def->nstates)
        s = SM_UNKNOWN_STATE;
    for (size_t i = 0; i < n; i++)
        if (states[i] == s)
            return true;
    return false;
}

/* A parent a listing meets: its id, and whether def lacks its state
 * while the listing did not ask for SM_UNKNOWN_STATE (a failure). */
typedef struct mem_hit {
    int64_t id;
    const mparent *p;
    bool unknown;
} mem_hit;

static int by_hit_id(const void *a, const void *b)
{
    int64_t x = ((const mem_hit *)a)->id, y = ((const mem_hit *)b)->id;
    return (x > y) - (x < y);
}

/* Does f meet p (a parent of def's table with history, past after_id)?
 * *unknown when it is in a state def lacks that f did not ask about. */
static bool meets(const sm_def *def, const sm_store_filter *f, const mparent *p,
                  bool *unknown)
{
    int s = p->rows.v[p->rows.n - 1].to_state;
    bool known = s >= 0 && (uint32_t)s < def->nstates;
    bool asked = one_of(def, SM_UNKNOWN_STATE, f->states, f->nstates);
    *unknown = !known && !asked;
    return *unknown || one_of(def, s, f->states, f->nstates) != f->negate;
}

/* SM_E_SCHEMA for the n parents of h[0..k) def lacks the state of: the
 * first (lowest id) named. Lock held. */
static sm_status unknown_fail(mem_store *m, const sm_def *def, const mem_hit *h,
                              size_t k)
{
    size_t n = 0;
    const mparent *first = NULL;
    for (size_t i = 0; i < k; i++)
        if (h[i].unknown && n++ == 0)
            first = h[i].p;
    if (!n)
        return SM_OK;
    const sm_transition *t = &first->rows.v[first->rows.n - 1];
    sm_status st = sm_store_fail(
        &m->base, SM_E_SCHEMA,
        "memory: in_state: %zu %s machine %s does not "
        "know; the first, parent %lld, has to_state %d in "
        "row %lld: list them with SM_UNKNOWN_STATE",
        n, n == 1 ? "parent is in a state" : "parents are in states",
        def->name ? def->name : "?", (long long)first->id, t->to_state,
        (long long)t->id);
    atomic_store(&m->msg, m->base.errmsg);
    return st;
}

/* Every parent of table t that f meets, into h[0..*k). Lock held. */
static void collect(mem_store *m, const sm_def *def, const mtable *t,
                    const sm_store_filter *f, mem_hit *h, size_t *k)
{
    for (size_t b = 0; b < m->nbuckets; b++)
        for (const mparent *p = m->buckets[b]; p; p = p->next) {
            bool unknown;
            if (p->table == t && p->rows.n && p->id > f->after_id &&
                meets(def, f, p, &unknown))
                h[(*k)++] = (mem_hit){p->id, p, unknown};
        }
}

/*
 * The parents of def's table with history that f selects, a page of
 * them by id. As a database would, the page is taken from what the
 * listing meets, parents in a state def lacks included: one of those in
 * the page, not asked for, makes it SM_E_SCHEMA.
 */
static sm_status mem_in_state(void *impl, const sm_def *def,
                              const sm_store_filter *f, int64_t **ids,
                              size_t *n)
{
    mem_store *m = impl;
    sm_status st = SM_OK;
    size_t k = 0;
    pthread_mutex_lock(&m->mu);
    const mtable *t = table_of(m, def);
    size_t cap = m->nparents ? m->nparents : 1;
    mem_hit *h = t ? sm_malloc(cap * sizeof *h) : NULL;
    *ids = h ? sm_malloc(cap * sizeof **ids) : NULL;
    if (!*ids) {
        st = mem_oom(m);
    } else {
        collect(m, def, t, f, h, &k);
        qsort(h, k, sizeof *h, by_hit_id);
        if (f->limit && k > f->limit)
            k = f->limit;
        st = unknown_fail(m, def, h, k);
    }
    pthread_mutex_unlock(&m->mu);
    for (size_t i = 0; st == SM_OK && i < k; i++)
        (*ids)[(*n)++] = h[i].id;
    sm_free(h);
    return st;
}

static const sm_store_ops mem_ops = {SM_STORE_OPS_VERSION,
                                     "memory",
                                     mem_close,
                                     mem_errmsg,
                                     mem_latest,
                                     mem_page,
                                     mem_begin,
                                     NULL,
                                     mem_insert,
                                     mem_commit,
                                     mem_rollback,
                                     mem_in_state,
                                     NULL};

/* A new, empty memory store. */
sm_status sm_memory_open(sm_store **out)
{
    mem_store *m = sm_malloc(sizeof *m);
    mparent **b = sm_malloc(64 * sizeof *b);
    if (!m || !b) {
        sm_free(m), sm_free(b);
        return SM_E_NOMEM;
    }
    memset(m, 0, sizeof *m);
    atomic_init(&m->msg, oom);
    memset(b, 0, 64 * sizeof *b);
    m->buckets = b, m->nbuckets = 64;
    pthread_mutex_init(&m->mu, NULL);
    sm_status st = sm_store_open_ops(out, &mem_ops, m);
    if (st != SM_OK)
        mem_close(m);
    return st;
}
