/*
 * scan.c - the MySQL store reading a whole table for sm_store_scan():
 * keyset pagination on (parent, sort_key, id), which the unique index
 * (parent, sort_key) serves in order (InnoDB keeps the primary key in
 * every secondary index), each chunk fetched row by row. One read view
 * spans every chunk (autocommit is off), so the scan sees one moment of
 * the table, and client memory is one row whatever its size.
 */
#include <stdio.h>
#include <string.h>

#include "../scan.h"
#include "priv.h"

/* Where the last chunk ended; the next starts after it. */
typedef struct scan_key {
    int64_t parent, parent2, id;
    int32_t sort_key, sort_key2;
    long long limit;
} scan_key;

/* One fetched row's buffers. */
typedef struct scan_buf {
    int64_t id, parent;
    char from[1024], to[1024];
    unsigned long lfrom, lto;
    my_bool nfrom, nto, nmr;
    int32_t sk;
    signed char mr;
} scan_buf;

/* The chunk query after a key (first: from the start). */
static sm_status prepare(my_store *s, const sm_def *d, bool first,
                         MYSQL_STMT **out)
{
    char sql[1024];
    const char *p = d->parent_key;
    int n = snprintf(sql, sizeof sql,
                     "SELECT `id`, `%s`, `from_state`, `to_state`, "
                     "`sort_key`, `most_recent` FROM `%s`",
                     p, d->table);
    if (!first)
        n += snprintf(sql + n, sizeof sql - (size_t)n,
                      " WHERE `%s` >= ? AND (`%s` > ? OR `sort_key` > ? OR "
                      "(`sort_key` = ? AND `id` > ?))",
                      p, p);
    snprintf(sql + n, sizeof sql - (size_t)n,
             " ORDER BY `%s`, `sort_key`, `id` LIMIT ?", p);
    *out = mysql_stmt_init(s->conn);
    if (!*out)
        return my_fail_conn(s, "mysql_stmt_init");
    if (mysql_stmt_prepare(*out, sql, strlen(sql)) != 0)
        return my_fail_stmt(s, *out, "scan: prepare");
    return SM_OK;
}

/* Bind k as the parameters of the chunk query (first: the limit only). */
static bool bind_key(MYSQL_STMT *st, scan_key *k, bool first)
{
    MYSQL_BIND b[6];
    memset(b, 0, sizeof b);
    void *v[6] = {&k->parent,    &k->parent2, &k->sort_key,
                  &k->sort_key2, &k->id,      &k->limit};
    enum enum_field_types t[6] = {MYSQL_TYPE_LONGLONG, MYSQL_TYPE_LONGLONG,
                                  MYSQL_TYPE_LONG,     MYSQL_TYPE_LONG,
                                  MYSQL_TYPE_LONGLONG, MYSQL_TYPE_LONGLONG};
    size_t from = first ? 5 : 0;
    for (size_t i = from; i < 6; i++)
        b[i].buffer_type = t[i], b[i].buffer = v[i];
    return mysql_stmt_bind_param(st, b + from) == 0;
}

/* Bind the result columns to f. */
static bool bind_row(MYSQL_STMT *st, scan_buf *f)
{
    MYSQL_BIND r[6];
    memset(r, 0, sizeof r);
    r[0].buffer_type = r[1].buffer_type = MYSQL_TYPE_LONGLONG;
    r[0].buffer = &f->id, r[1].buffer = &f->parent;
    r[2].buffer_type = r[3].buffer_type = MYSQL_TYPE_STRING;
    r[2].buffer = f->from, r[2].buffer_length = sizeof f->from - 1;
    r[2].length = &f->lfrom, r[2].is_null = &f->nfrom;
    r[3].buffer = f->to, r[3].buffer_length = sizeof f->to - 1;
    r[3].length = &f->lto, r[3].is_null = &f->nto;
    r[4].buffer_type = MYSQL_TYPE_LONG, r[4].buffer = &f->sk;
    r[5].buffer_type = MYSQL_TYPE_TINY, r[5].buffer = &f->mr;
    r[5].is_null = &f->nmr;
    return mysql_stmt_bind_result(st, r) == 0;
}

/* Terminate a fetched string of length len (cut at the buffer). */
static const char *text(char *buf, size_t cap, unsigned long len)
{
    buf[len < cap ? len : cap - 1] = '\0';
    return buf;
}

/* Run one chunk: hand each row to fn and move k past it. *rows: how
 * many came. */
static sm_status chunk_run(my_store *s, MYSQL_STMT *st, scan_key *k, bool first,
                           scan_buf *f, sm_scan_fn fn, void *ctx, size_t *rows)
{
    *rows = 0;
    if (!bind_key(st, k, first) || mysql_stmt_execute(st) != 0 ||
        !bind_row(st, f))
        return my_fail_stmt(s, st, "scan");
    sm_status r = SM_OK;
    int rc;
    while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
        if (r != SM_OK)
            continue; /* drain the rest of the chunk */
        sm_scan_row row = {f->id,
                           f->parent,
                           f->nfrom ? NULL
                                    : text(f->from, sizeof f->from, f->lfrom),
                           f->nto ? "" : text(f->to, sizeof f->to, f->lto),
                           f->sk,
                           !f->nmr && f->mr == 1};
        if ((r = fn(ctx, &row)) != SM_OK)
            sm_store_fail(&s->base, r, "mysql: scan: stopped at row %lld (%s)",
                          (long long)f->id, sm_status_name(r));
        k->parent = k->parent2 = f->parent;
        k->sort_key = k->sort_key2 = f->sk;
        k->id = f->id;
        ++*rows;
    }
    if (r == SM_OK && rc == 1)
        r = my_fail_stmt(s, st, "scan: fetch");
    mysql_stmt_free_result(st);
    return r;
}

/* Every chunk, until one comes back short. */
static sm_status scan_all(my_store *s, const sm_def *d, size_t chunk,
                          sm_scan_fn fn, void *ctx, scan_buf *f)
{
    MYSQL_STMT *st[2] = {NULL, NULL};
    scan_key k = {0};
    k.limit = (long long)chunk;
    sm_status r = prepare(s, d, true, &st[0]);
    if (r == SM_OK)
        r = prepare(s, d, false, &st[1]);
    size_t rows = chunk;
    for (bool first = true; r == SM_OK && rows == chunk; first = false)
        r = chunk_run(s, st[!first], &k, first, f, fn, ctx, &rows);
    for (int i = 0; i < 2; i++)
        if (st[i])
            mysql_stmt_close(st[i]);
    return r;
}

sm_status my_scan(my_store *s, const sm_def *d, size_t chunk, sm_scan_fn fn,
                  void *ctx)
{
    if (!my_ident_ok(d->table) || !my_ident_ok(d->parent_key))
        return sm_store_fail(&s->base, SM_E_ARG,
                             "mysql: scan: machine '%s' has a missing or "
                             "unsafe table or column name",
                             d->name ? d->name : "?");
    if (s->tx.open)
        return sm_store_fail(&s->base, SM_E_ARG,
                             "mysql: scan: the connection is in a "
                             "transition");
    scan_buf *f = sm_malloc(sizeof *f);
    if (!f)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    sm_status r = my_ensure(s);
    if (r == SM_OK)
        r = my_read_done(s, scan_all(s, d, chunk, fn, ctx, f));
    sm_free(f);
    return r;
}
