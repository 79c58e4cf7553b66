/*
 * scan.c - the MySQL store reading a whole table for sm_store_scan():
 * one query ordered by (parent, sort_key, id), its rows fetched one at
 * a time as the server sends them (no mysql_stmt_store_result), so the
 * client holds one row whatever the table's size, and the one statement
 * reads one moment of the table. The server sorts (its sort buffer,
 * then temporary files): sequential reads, where walking the
 * (parent, sort_key) index would fetch each row by primary key.
 */
#include <stdio.h>
#include <string.h>

#include "../scan.h"
#include "row.h"

/* One fetched row's buffers. */
typedef struct scan_buf {
    int64_t id, parent;
    char from[1024], to[1024];
    unsigned long lfrom, lto;
    my_bool nfrom, nto, nmr;
    int32_t sk;
    signed char mr;
} scan_buf;

/* Prepare the query of d's table into *out. */
static sm_status prepare(my_store *s, const sm_def *d, MYSQL_STMT **out)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT `id`, `%s`, `from_state`, `to_state`, `sort_key`, "
             "`most_recent` FROM `%s` ORDER BY `%s`, `sort_key`, `id`",
             d->parent_key, d->table, d->parent_key);
    return my_prepare(s, out, sql, strlen(sql), "scan: prepare");
}

/* Bind the result columns to f. */
static bool bind_row(MYSQL_STMT *st, scan_buf *f)
{
    MYSQL_BIND r[6] = {my_bind(MYSQL_TYPE_LONGLONG, &f->id, 0),
                       my_bind(MYSQL_TYPE_LONGLONG, &f->parent, 0),
                       my_bind(MYSQL_TYPE_STRING, f->from, sizeof f->from - 1),
                       my_bind(MYSQL_TYPE_STRING, f->to, sizeof f->to - 1),
                       my_bind(MYSQL_TYPE_LONG, &f->sk, 0),
                       my_bind(MYSQL_TYPE_TINY, &f->mr, 0)};
    r[2].length = &f->lfrom, r[2].is_null = &f->nfrom;
    r[3].length = &f->lto, r[3].is_null = &f->nto;
    r[5].is_null = &f->nmr;
    return mysql_stmt_bind_result(st, r) == 0;
}

/* Terminate a fetched string of length len (cut at the buffer). */
static const char *text(char *buf, size_t cap, unsigned long len)
{
    buf[len < cap ? len : cap - 1] = '\0';
    return buf;
}

/* Run the query: each row to fn, until the last or fn says stop (the
 * rest is still read, so the connection stays usable). */
static sm_status scan_rows(my_store *s, MYSQL_STMT *st, scan_buf *f,
                           sm_scan_fn fn, void *ctx)
{
    if (mysql_stmt_execute(st) != 0 || !bind_row(st, f))
        return my_fail_stmt(s, st, "scan");
    sm_status r = SM_OK;
    int rc;
    while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
        if (r != SM_OK)
            continue;
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
    }
    if (r == SM_OK && rc == 1)
        r = my_fail_stmt(s, st, "scan: fetch");
    mysql_stmt_free_result(st);
    return r;
}

sm_status my_scan(my_store *s, const sm_def *d, sm_scan_fn fn, void *ctx)
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
    MYSQL_STMT *st = NULL;
    sm_status r =
        f ? my_ensure(s) : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    if (r == SM_OK)
        r = prepare(s, d, &st);
    if (r == SM_OK)
        r = scan_rows(s, st, f, fn, ctx);
    if (st)
        mysql_stmt_close(st);
    if (f)
        r = my_read_done(s, r);
    sm_free(f);
    return r;
}
