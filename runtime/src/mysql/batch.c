/*
 * batch.c - a batch's rows in the MySQL store. Rows arrive sorted by
 * table and parent id and are cut into chunks: rows of one def that fit
 * max_allowed_packet and a statement's 65,535 placeholders. In pk mode
 * each chunk is one multi-row INSERT ... RETURNING, then one UPDATE of
 * most_recent by primary key; with lock_parent=1 each chunk's parents
 * are locked first, in id order, and a stale prev is named.
 *
 * Those INSERTs and UPDATEs never wait for a row lock: one that meets a
 * lock fails at once (SM_E_CONFLICT). Ordering by parent is not enough
 * to keep a transaction over many parents out of deadlocks: setting
 * most_recent = 1 checks the unique (parent, most_recent) key, and
 * InnoDB then locks the next index record, the first of the next
 * parent, at any isolation level. A batch that has inserted rows of
 * high parents can so wait on a low one another writer holds while
 * that writer waits on it (README: "Batches and locks"). A batch that
 * never waits is in no such cycle; single transitions, which hold one
 * parent, wait as before.
 */
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "priv.h"
#include "row.h"

enum { MAX_ROWS = 65535 / 7, SLACK = 4096 };

/* Read max_allowed_packet and whether the server has INSERT ...
 * RETURNING (MariaDB 10.5 on), once per connection. */
sm_status my_batch_server(my_store *s)
{
    if (s->max_packet)
        return SM_OK;
    if (mysql_query(s->conn, "SELECT @@max_allowed_packet") != 0)
        return my_fail_conn(s, "SELECT @@max_allowed_packet");
    MYSQL_RES *r = mysql_store_result(s->conn);
    MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
    long long v = row && row[0] ? atoll(row[0]) : 0;
    mysql_free_result(r);
    if (v <= 0)
        return my_fail_conn(s, "SELECT @@max_allowed_packet");
    s->max_packet = (size_t)v;
    const char *info = mysql_get_server_info(s->conn);
    s->returning = info && strstr(info, "MariaDB") &&
                   mysql_get_server_version(s->conn) >= 100500;
    return SM_OK;
}

/* An upper bound of the bytes w's row adds to an INSERT's packet:
 * 7 parameters of at most 11 bytes of type and length, the values. */
static size_t row_bytes(const sm_store_write *w)
{
    const char *from = my_state_name(w->def, w->t->from_state);
    const char *to = my_state_name(w->def, w->t->to_state);
    return 7 * 11 + 40 + (from ? strlen(from) : 0) + (to ? strlen(to) : 0) +
           strlen(w->t->metadata);
}

/* The end of the chunk that starts at w[i]. A row alone larger than the
 * packet is still a chunk: the server then refuses it. */
static size_t chunk_end(const my_store *s, const sm_store_write *w, size_t i,
                        size_t n)
{
    size_t limit = s->max_packet > 2 * SLACK ? s->max_packet - SLACK : SLACK;
    size_t bytes = 0, j = i;
    for (; j < n && w[j].def == w[i].def && j - i < MAX_ROWS; j++) {
        size_t add = row_bytes(&w[j]);
        if (j > i && (bytes + add > limit || 3 * 11 * (j - i + 1) > limit))
            break;
        bytes += add;
    }
    return j;
}

/* The index in w[0..k) (sorted by parent) of parent, or k. */
static size_t find_parent(const sm_store_write *w, size_t k, int64_t parent)
{
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t p = w[mid].t->parent_id;
        if (p == parent)
            return mid;
        if (p < parent)
            lo = mid + 1;
        else
            hi = mid;
    }
    return k;
}

/* Execute st (its parameters bound), then hand each result row of two
 * integers (a, b) to on_row. */
static sm_status each_pair(my_store *s, MYSQL_STMT *st, MYSQL_BIND *p,
                           const char *what,
                           void (*on_row)(int64_t a, int64_t b, void *ctx),
                           void *ctx)
{
    int64_t a = 0, b = 0;
    MYSQL_BIND r[2] = {my_bind(MYSQL_TYPE_LONGLONG, &a, 0),
                       my_bind(MYSQL_TYPE_LONGLONG, &b, 0)};
    sm_status res = my_run(s, st, p, what);
    if (res == SM_OK && mysql_stmt_bind_result(st, r) != 0)
        res = my_fail_stmt(s, st, what);
    int rc = 0;
    while (res == SM_OK && (rc = mysql_stmt_fetch(st)) == 0)
        on_row(a, b, ctx);
    if (res == SM_OK && rc == 1)
        res = mysql_stmt_errno(st) ? my_fail_stmt(s, st, what)
                                   : my_fail_conn(s, what);
    mysql_stmt_free_result(st);
    return res;
}

/* A chunk being written: its rows and what the server said of them. */
typedef struct chunk {
    sm_store_write *w;
    size_t k;
    int64_t *seen;  /* per row: an id the server returned for it, or 0 */
    MYSQL_TIME *at; /* the rows' time (NULL: the lock pass) */
} chunk;

/* A result row (parent, id): note id for parent's row. */
static void note_parent(int64_t parent, int64_t id, void *ctx)
{
    chunk *c = ctx;
    size_t j = find_parent(c->w, c->k, parent);
    if (j < c->k)
        c->seen[j] = id;
}

/* A result row (id, parent) of the INSERT. */
static void note_id(int64_t id, int64_t parent, void *ctx)
{
    note_parent(parent, id, ctx);
}

/* A result row (id, 0) of the lock: the parent row exists. */
static void note_locked(int64_t id, int64_t unused, void *ctx)
{
    (void)unused;
    note_parent(id, 1, ctx);
}

/* One LONGLONG parameter per row, the parents of c. */
static MYSQL_BIND *bind_parents(const chunk *c)
{
    MYSQL_BIND *p = sm_malloc(c->k * sizeof *p);
    for (size_t j = 0; p && j < c->k; j++)
        p[j] = my_bind(MYSQL_TYPE_LONGLONG, &c->w[j].t->parent_id, 0);
    return p;
}

/* Name every row of c whose flag in seen is `want` with st; if any,
 * the store's message is why (said of each of them) and st returns. */
static sm_status name_rows(my_store *s, chunk *c, bool want, sm_status st,
                           const char *why)
{
    sm_status first = SM_OK;
    for (size_t j = 0; j < c->k; j++)
        if ((c->seen[j] != 0) == want)
            c->w[j].failed = first = st;
    return first == SM_OK ? first : sm_store_fail(&s->base, st, "%s", why);
}

/*
 * lock_parent: lock c's parents in id order, then read their latest
 * rows. A missing parent row is SM_E_STORE (the locking read would
 * otherwise take a gap lock); each row whose prev is not its parent's
 * latest is SM_E_CONFLICT. Every such row is named.
 */
static sm_status lock_chunk(my_store *s, my_sized *z, chunk *c)
{
    MYSQL_BIND *p = bind_parents(c);
    if (!p)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    memset(c->seen, 0, c->k * sizeof *c->seen);
    char why[256];
    snprintf(why, sizeof why, "mysql: lock parent: no row for it in %s",
             c->w[0].def->parent_table);
    sm_status st = each_pair(s, z->lock, p, "lock parents", note_locked, c);
    if (st == SM_OK)
        st = name_rows(s, c, false, SM_E_STORE, why);
    if (st == SM_OK) {
        memset(c->seen, 0, c->k * sizeof *c->seen);
        st = each_pair(s, z->latest, p, "latest transitions", note_parent, c);
    }
    sm_free(p);
    for (size_t j = 0; st == SM_OK && j < c->k; j++) {
        const sm_transition *prev = c->w[j].prev;
        c->seen[j] = c->seen[j] != (prev ? prev->id : 0); /* stale */
    }
    snprintf(why, sizeof why,
             "mysql: a newer transition of its parent is "
             "in %s",
             c->w[0].def->table);
    return st == SM_OK ? name_rows(s, c, true, SM_E_CONFLICT, why) : st;
}

/* The 7 parameters of each row of c; lens holds 3 lengths per row. */
static MYSQL_BIND *bind_rows(const chunk *c, unsigned long *lens)
{
    MYSQL_BIND *p = sm_malloc(7 * c->k * sizeof *p);
    for (size_t j = 0; p && j < c->k; j++)
        my_bind_row(p + 7 * j, lens + 3 * j, c->w[j].def, c->w[j].t, c->at);
    return p;
}

/* A write that met a row lock (it does not wait): SM_E_CONFLICT. */
static sm_status busy(my_store *s, sm_status res)
{
    if (res == SM_OK || s->last_err != ER_LOCK_WAIT_TIMEOUT)
        return res;
    return sm_store_fail(&s->base, SM_E_CONFLICT,
                         "mysql: another transaction holds a row the batch "
                         "writes, and a batch does not wait for locks (%u)",
                         (unsigned)ER_LOCK_WAIT_TIMEOUT);
}

/*
 * Name each row of c whose parent has no row, as a plain read of the
 * parent table says (why: what that stopped), so the others can commit
 * without them; res when it names none.
 */
static sm_status name_missing(my_store *s, chunk *c, sm_status res,
                              const char *why)
{
    MYSQL_STMT *q = NULL;
    MYSQL_BIND *p = bind_parents(c);
    sm_status st = p ? my_batch_parents(s, c->w[0].def, c->k, &q)
                     : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    memset(c->seen, 0, c->k * sizeof *c->seen);
    if (st == SM_OK)
        st = each_pair(s, q, p, "read parents", note_locked, c);
    if (q)
        mysql_stmt_close(q);
    sm_free(p);
    if (st == SM_OK)
        st = name_rows(s, c, false, SM_E_STORE, why);
    return st == SM_OK ? res : st;
}

/* The foreign key refused the INSERT of c (res): name the rows whose
 * parent has no row. */
static sm_status name_orphans(my_store *s, chunk *c, sm_status res)
{
    char why[256];
    snprintf(why, sizeof why,
             "mysql: no row for it in %s: the foreign key of %s refuses the "
             "transition",
             c->w[0].def->parent_table, c->w[0].def->table);
    return name_missing(s, c, res, why);
}

/*
 * The state column of c's parents (def->state_column), by primary key,
 * before any of their rows go in: as a single transition, every writer
 * locks a parent row before its transitions rows. A parent without its
 * row cannot keep the column: named, SM_E_STORE. (A parent already in
 * the state changes nothing either; fewer rows changed than c has asks
 * which parents exist.)
 */
static sm_status state_chunk(my_store *s, my_sized *z, chunk *c)
{
    size_t k = c->k;
    if (!c->w[0].def->state_column)
        return SM_OK;
    unsigned long *lens = sm_malloc(k * sizeof *lens);
    MYSQL_BIND *p = lens ? sm_malloc(3 * k * sizeof *p) : NULL;
    if (!p) {
        sm_free(lens);
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < k; j++) {
        sm_transition *t = c->w[j].t;
        p[2 * j] = my_bind(MYSQL_TYPE_LONGLONG, &t->parent_id, 0);
        p[2 * j + 1] =
            my_bind_str(my_state_name(c->w[j].def, t->to_state), &lens[j]);
        p[2 * k + j] = my_bind(MYSQL_TYPE_LONGLONG, &t->parent_id, 0);
    }
    s->last_err = 0;
    sm_status st = busy(s, my_run(s, z->state, p, "batch UPDATE state column"));
    my_ulonglong changed = mysql_stmt_affected_rows(z->state);
    sm_free(p), sm_free(lens);
    if (st != SM_OK || changed == k)
        return st;
    char why[256];
    snprintf(why, sizeof why, "mysql: state column: no row for it in %s",
             c->w[0].def->parent_table);
    return name_missing(s, c, SM_OK, why);
}

/* c's rows in one INSERT; each t gets the id RETURNING gave it. */
static sm_status insert_chunk(my_store *s, my_sized *z, chunk *c)
{
    unsigned long *lens = sm_malloc(3 * c->k * sizeof *lens);
    MYSQL_BIND *p = lens ? bind_rows(c, lens) : NULL;
    sm_status st =
        p ? SM_OK : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    memset(c->seen, 0, c->k * sizeof *c->seen);
    s->last_err = 0; /* what this INSERT meets, if anything */
    if (st == SM_OK)
        st = busy(s, each_pair(s, z->insert, p, "batch INSERT", note_id, c));
    sm_free(p), sm_free(lens);
    if (st != SM_OK && (s->last_err == ER_NO_REFERENCED_ROW_2 ||
                        s->last_err == ER_NO_REFERENCED_ROW))
        return name_orphans(s, c, st);
    for (size_t j = 0; st == SM_OK && j < c->k; j++) {
        if (!c->seen[j])
            return sm_store_fail(&s->base, SM_E_STORE,
                                 "mysql: batch INSERT: no id returned for "
                                 "parent %lld",
                                 (long long)c->w[j].t->parent_id);
        c->w[j].t->id = c->seen[j];
    }
    return st;
}

/*
 * c's most_recent flip: each prev cleared (by id, and it must still be
 * set), each new row set. A prev no longer the most recent changes one
 * row less (SM_E_CONFLICT), or meets its parent's newer row on the
 * (parent, most_recent) key (a duplicate: SM_E_CONFLICT too).
 */
static sm_status flip_chunk(my_store *s, my_sized *z, chunk *c)
{
    size_t k = c->k, prevs = 0;
    int64_t *ids = sm_malloc(3 * k * sizeof *ids);
    MYSQL_BIND *p = ids ? sm_malloc((3 * k + 1) * sizeof *p) : NULL;
    if (!p) {
        sm_free(ids);
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    }
    p[0] = my_bind(MYSQL_TYPE_DATETIME, c->at, sizeof *c->at);
    for (size_t j = 0; j < k; j++) {
        const sm_transition *prev = c->w[j].prev;
        prevs += prev != NULL;
        ids[j] = prev ? prev->id : -1;                /* SET: no row */
        ids[k + j] = prev ? prev->id : c->w[j].t->id; /* WHERE */
        ids[2 * k + j] = c->w[j].t->id;
    }
    for (size_t i = 0; i < 3 * k; i++)
        p[1 + i] = my_bind(MYSQL_TYPE_LONGLONG, &ids[i], 0);
    s->last_err = 0;
    sm_status st = busy(s, my_run(s, z->flip, p, "batch UPDATE most_recent"));
    my_ulonglong changed = mysql_stmt_affected_rows(z->flip);
    sm_free(ids), sm_free(p);
    if (st == SM_OK && changed != prevs + k)
        st = sm_store_fail(&s->base, SM_E_CONFLICT,
                           "mysql: batch UPDATE most_recent changed %llu "
                           "rows of %zu: a prev is no longer the most recent",
                           (unsigned long long)changed, prevs + k);
    return st;
}

/* The statements for the chunk of c's rows. */
static sm_status sized_for(my_store *s, const chunk *c, my_sized **z)
{
    my_stmts *k;
    sm_status st = my_stmts_get(s, c->w[0].def, &k);
    return st == SM_OK ? my_sized_get(s, k, c->k, z) : st;
}

/* What a pass does with one chunk. */
typedef sm_status (*chunk_fn)(my_store *s, my_sized *z, chunk *c);

/*
 * fn on every chunk of w[0..n) (rows at `at`), in order, until one
 * fails; with past_conflicts a chunk's SM_E_CONFLICT does not stop the
 * pass (so every stale row is named), and the first one's comes back at
 * the end.
 */
static sm_status each_chunk(my_store *s, sm_store_write *w, size_t n,
                            chunk_fn fn, MYSQL_TIME *at, bool past_conflicts)
{
    int64_t *seen = sm_malloc(n * sizeof *seen);
    if (!seen)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    sm_status st = SM_OK, first = SM_OK;
    char keep[sizeof s->base.errmsg];
    for (size_t i = 0, e; st == SM_OK && i < n; i = e) {
        e = chunk_end(s, w, i, n);
        chunk c = {w + i, e - i, seen + i, at};
        my_sized *z;
        st = sized_for(s, &c, &z);
        if (st == SM_OK)
            st = fn(s, z, &c);
        if (st == SM_E_CONFLICT && past_conflicts) {
            if (first == SM_OK)
                memcpy(keep, s->base.errmsg, sizeof keep), first = st;
            st = SM_OK;
        }
    }
    sm_free(seen);
    if (st == SM_OK && first != SM_OK)
        memcpy(s->base.errmsg, keep, sizeof keep), st = first;
    return st;
}

/* Lock every chunk's parents (lock_parent=1, when the lock op did not):
 * all stale rows are named before it returns SM_E_CONFLICT. */
sm_status my_batch_lock(my_store *s, sm_store_write *w, size_t n)
{
    sm_status st = my_batch_server(s);
    s->tx.holds = true;
    return st == SM_OK ? each_chunk(s, w, n, lock_chunk, NULL, true) : st;
}

/* Whether a def of w[0..n) names a state column. */
static bool any_state_column(const sm_store_write *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i].def->state_column)
            return true;
    return false;
}

/* pk with RETURNING: every chunk's state column (when its def has one),
 * then every chunk's INSERT, then every chunk's flip. */
sm_status my_batch_insert(my_store *s, sm_store_write *w, size_t n)
{
    MYSQL_TIME at;
    int64_t now = my_now_us();
    my_time(now, &at);
    for (size_t i = 0; i < n; i++) {
        const sm_transition *prev = w[i].prev;
        w[i].t->sort_key = prev ? prev->sort_key + 10 : 10;
        w[i].t->created_at_us = now;
    }
    s->tx.holds = true;
    sm_status st = SM_OK;
    if (any_state_column(w, n))
        st = each_chunk(s, w, n, state_chunk, &at, false);
    if (st == SM_OK)
        st = each_chunk(s, w, n, insert_chunk, &at, false);
    if (st == SM_OK)
        st = each_chunk(s, w, n, flip_chunk, &at, false);
    for (size_t i = 0; i < n; i++)
        w[i].t->most_recent = st == SM_OK;
    return st;
}
