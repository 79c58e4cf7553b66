/*
 * memory.c - the "memory:" store: every parent's history in a hash table.
 *
 * Thread-safe (one mutex per store). begin claims a parent for the
 * calling thread until commit/rollback, as a database's row lock would;
 * insert refuses a stale prev with SM_E_CONFLICT.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rows.h"
#include "store_priv.h"

typedef struct mparent {
    int64_t id;
    sm_rows rows;
    bool claimed;
    struct mparent *next;
} mparent;

typedef struct mem_store {
    sm_store base;
    pthread_mutex_t mu;
    mparent **buckets;
    size_t nbuckets, nparents;
    int64_t next_id, last_us;
} mem_store;

/* Failures of a shared store are per thread: its message lives here. */
static _Thread_local char t_err[sizeof((sm_store *)0)->errmsg];

/* Record this thread's failure message; returns st. */
static sm_status mem_fail(sm_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t_err, sizeof t_err, fmt, ap);
    va_end(ap);
    return st;
}

/* The write in progress on this thread (one at a time per thread). */
static _Thread_local struct {
    mem_store *s;
    mparent *p;
    bool inserted;
} tx;

static size_t bucket_of(const mem_store *m, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (m->nbuckets - 1);
}

/* The parent entry of id, or NULL. Lock held. */
static mparent *find(mem_store *m, int64_t id)
{
    mparent *p = m->buckets[bucket_of(m, id)];
    while (p && p->id != id)
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
            p->next = nb[bucket_of(m, p->id)];
            nb[bucket_of(m, p->id)] = p;
        }
    sm_free(ob);
}

/* Find or create id's entry; NULL when out of memory. Lock held. */
static mparent *get(mem_store *m, int64_t id)
{
    mparent *p = find(m, id);
    if (p)
        return p;
    maybe_grow(m);
    p = sm_malloc(sizeof *p);
    if (!p)
        return NULL;
    memset(p, 0, sizeof *p);
    p->id = id;
    p->next = m->buckets[bucket_of(m, id)];
    m->buckets[bucket_of(m, id)] = p;
    m->nparents++;
    return p;
}

static void mem_close(sm_store *s)
{
    mem_store *m = (mem_store *)s;
    for (size_t i = 0; i < m->nbuckets; i++)
        for (mparent *p = m->buckets[i], *n; p; p = n) {
            n = p->next;
            sm_rows_clear(&p->rows);
            sm_free(p);
        }
    sm_free(m->buckets);
    pthread_mutex_destroy(&m->mu);
    sm_free(m);
}

/* Copy parent_id's rows (kept in sort_key order) into out. */
static sm_status mem_load(sm_store *s, const sm_def *def, int64_t parent_id,
                          sm_rows *out)
{
    mem_store *m = (mem_store *)s;
    sm_status st = SM_OK;
    (void)def;
    pthread_mutex_lock(&m->mu);
    mparent *p = find(m, parent_id);
    for (size_t i = 0; p && st == SM_OK && i < p->rows.n; i++)
        st = sm_rows_push(out, &p->rows.v[i]);
    pthread_mutex_unlock(&m->mu);
    return st == SM_OK ? st : mem_fail(st, "memory: out of memory");
}

/* Claim parent_id for this thread; SM_E_CONFLICT if someone holds it. */
static sm_status mem_begin(sm_store *s, const sm_def *def, int64_t parent_id)
{
    mem_store *m = (mem_store *)s;
    sm_status st = SM_OK;
    (void)def;
    pthread_mutex_lock(&m->mu);
    mparent *p = get(m, parent_id);
    if (!p)
        st = mem_fail(SM_E_NOMEM, "memory: out of memory");
    else if (p->claimed)
        st = mem_fail(SM_E_CONFLICT, "memory: parent %lld is being written",
                      (long long)parent_id);
    else {
        p->claimed = true;
        tx.s = m, tx.p = p, tx.inserted = false;
    }
    pthread_mutex_unlock(&m->mu);
    return st;
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

/* Store t as p's new last row; t gets id, sort_key, time. Lock held. */
static sm_status append(mem_store *m, mparent *p, sm_transition *t)
{
    sm_rows *r = &p->rows;
    sm_transition row = *t;
    row.sort_key = r->n ? r->v[r->n - 1].sort_key + 10 : 10;
    row.id = m->next_id + 1;
    row.created_at_us = now_us(m);
    row.most_recent = true;
    if (sm_rows_push(r, &row) != SM_OK)
        return mem_fail(SM_E_NOMEM, "memory: out of memory");
    m->next_id++;
    if (r->n > 1)
        r->v[r->n - 2].most_recent = false;
    *t = row;
    t->metadata = r->v[r->n - 1].metadata;
    return SM_OK;
}

/* Append t after prev to the claimed parent; a stale prev conflicts. */
static sm_status mem_insert(sm_store *s, const sm_def *def,
                            const sm_transition *prev, sm_transition *t)
{
    mem_store *m = (mem_store *)s;
    (void)def;
    if (tx.s != m || !tx.p || tx.inserted || tx.p->id != t->parent_id)
        return mem_fail(SM_E_STORE, "memory: insert without begin");
    sm_status st;
    pthread_mutex_lock(&m->mu);
    if (!prev_matches(tx.p, prev))
        st = mem_fail(SM_E_CONFLICT,
                      "memory: parent %lld has a newer transition",
                      (long long)t->parent_id);
    else
        st = append(m, tx.p, t);
    tx.inserted = st == SM_OK;
    pthread_mutex_unlock(&m->mu);
    return st;
}

/* Release the claim; the write stays. */
static sm_status mem_commit(sm_store *s, bool *deferred)
{
    mem_store *m = (mem_store *)s;
    *deferred = false;
    if (tx.s != m || !tx.p)
        return mem_fail(SM_E_STORE, "memory: commit without begin");
    pthread_mutex_lock(&m->mu);
    tx.p->claimed = false;
    pthread_mutex_unlock(&m->mu);
    tx.s = NULL, tx.p = NULL, tx.inserted = false;
    return SM_OK;
}

/* Undo the insert (if any) and release the claim; no-op without begin. */
static void mem_rollback(sm_store *s)
{
    mem_store *m = (mem_store *)s;
    if (tx.s != m || !tx.p)
        return;
    pthread_mutex_lock(&m->mu);
    sm_rows *r = &tx.p->rows;
    if (tx.inserted) {
        sm_rows_pop(r);
        if (r->n)
            r->v[r->n - 1].most_recent = true;
    }
    tx.p->claimed = false;
    pthread_mutex_unlock(&m->mu);
    tx.s = NULL, tx.p = NULL, tx.inserted = false;
}

static const sm_store_ops mem_ops = {
    SM_STORE_OPS_VERSION, "memory",   mem_close,   mem_load, mem_begin,
    mem_insert,           mem_commit, mem_rollback};

/* This thread's message buffer when s is a memory store, else NULL. */
char *sm_memory_errmsg(const sm_store *s)
{
    return s->ops == &mem_ops ? t_err : NULL;
}

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
    memset(b, 0, 64 * sizeof *b);
    m->base.ops = &mem_ops;
    m->buckets = b, m->nbuckets = 64;
    pthread_mutex_init(&m->mu, NULL);
    *out = &m->base;
    return SM_OK;
}
