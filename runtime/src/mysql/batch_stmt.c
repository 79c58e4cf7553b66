/*
 * batch_stmt.c - the SQL of a batch chunk, prepared per def and row
 * count. A statement's shape depends only on its row count, so a few
 * sizes are kept per def (most recently used first) and a steady batch
 * size prepares once per connection.
 */
#include <stdio.h>
#include <string.h>

#include "priv.h"

enum { KEEP = 4 }; /* sizes kept per def */

/*
 * The prefix of the statements that write a batch's rows: they never
 * wait for a row lock (see batch.c).
 */
#define NOWAIT "SET STATEMENT innodb_lock_wait_timeout = 0 FOR "

/* A statement's text, built in one allocation sized for its rows. */
typedef struct sqltext {
    char *b;
    size_t n, cap;
} sqltext;

static void put(sqltext *q, const char *s)
{
    size_t l = strlen(s);
    if (q->b && q->n + l < q->cap)
        memcpy(q->b + q->n, s, l + 1), q->n += l;
}

/* rows copies of unit, joined by ", ". */
static void put_rows(sqltext *q, const char *unit, size_t rows)
{
    for (size_t i = 0; i < rows; i++) {
        if (i)
            put(q, ", ");
        put(q, unit);
    }
}

/* Prepare q's text into *out, then free the text. */
static sm_status prep(my_store *s, MYSQL_STMT **out, sqltext *q)
{
    sm_status st = q->b ? my_prepare(s, out, q->b, q->n, "prepare batch")
                        : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    sm_free(q->b);
    return st;
}

/* An empty text with room for a statement of `rows` rows. */
static sqltext text_for(size_t rows)
{
    size_t cap = 1024 + rows * 40;
    sqltext q = {sm_malloc(cap), 0, cap};
    if (q.b)
        q.b[0] = '\0';
    return q;
}

/*
 * The rows go in with most_recent NULL and come back with their ids
 * (RETURNING: no assumption that a multi-row INSERT's ids are
 * consecutive, which they are not under innodb_autoinc_lock_mode = 2).
 */
static sm_status prep_insert(my_store *s, const sm_def *d, my_sized *z)
{
    char b[512];
    sqltext q = text_for(z->rows);
    snprintf(b, sizeof b,
             NOWAIT "INSERT INTO `%s` (" MY_INSERT_COLUMNS ") VALUES ",
             d->table, d->parent_key);
    put(&q, b);
    put_rows(&q, "(?, ?, ?, ?, ?, ?, ?, NULL)", z->rows);
    snprintf(b, sizeof b, " RETURNING `id`, `%s`", d->parent_key);
    put(&q, b);
    return prep(s, &z->insert, &q);
}

/*
 * pk's flip for a chunk, by primary key only: each prev loses
 * most_recent (and gets updated_at = now, as in Statesman: updated_at
 * is assigned first, so it sees the old most_recent), each new row gains
 * it. Parameters: now, the prevs (a slot per row), then the WHERE list:
 * the prevs again and the new rows. By id, as the single flip: each
 * parent's prev is cleared before its new row is set. FORCE INDEX:
 * with a long IN list on a small table the optimizer prefers a full
 * scan of the primary key in id order (no sort), and an UPDATE locks
 * every row it scans; the range of the listed ids locks only those.
 */
static sm_status prep_flip(my_store *s, const sm_def *d, my_sized *z)
{
    char b[256];
    sqltext q = text_for(z->rows);
    snprintf(b, sizeof b,
             NOWAIT "UPDATE `%s` FORCE INDEX (PRIMARY) SET `updated_at` = "
                    "IF(`most_recent` = 1, ?, `updated_at`), `most_recent` = "
                    "IF(`id` IN (",
             d->table);
    put(&q, b);
    put_rows(&q, "?", z->rows);
    put(&q, "), NULL, 1) WHERE `id` IN (");
    put_rows(&q, "?", 2 * z->rows);
    put(&q, ") ORDER BY `id`");
    return prep(s, &z->flip, &q);
}

/* The parents' state column, by primary key (FORCE INDEX: as the
 * flip). Parameters: (id, state) per row for the CASE, then the ids. */
static sm_status prep_state(my_store *s, const sm_def *d, my_sized *z)
{
    char b[256];
    sqltext q = text_for(2 * z->rows);
    snprintf(b, sizeof b,
             NOWAIT "UPDATE `%s` FORCE INDEX (PRIMARY) SET `%s` = CASE `id`",
             d->parent_table, d->state_column);
    put(&q, b);
    for (size_t i = 0; i < z->rows; i++)
        put(&q, " WHEN ? THEN ?");
    put(&q, " END WHERE `id` IN (");
    put_rows(&q, "?", z->rows);
    put(&q, ") ORDER BY `id`");
    return prep(s, &z->state, &q);
}

/* lock_parent: the parents FOR UPDATE in ascending id order (a record
 * lock each: FORCE INDEX keeps it a range of the ids, as for the flip),
 * then their latest rows by a plain read (no lock). */
static sm_status prep_lock(my_store *s, const sm_def *d, my_sized *z)
{
    char b[256];
    sqltext q = text_for(z->rows);
    snprintf(b, sizeof b,
             "SELECT `id`, 0 FROM `%s` FORCE INDEX (PRIMARY) WHERE `id` IN (",
             d->parent_table);
    put(&q, b);
    put_rows(&q, "?", z->rows);
    put(&q, ") ORDER BY `id` FOR UPDATE");
    sm_status st = prep(s, &z->lock, &q);
    if (st != SM_OK)
        return st;
    q = text_for(z->rows);
    snprintf(b, sizeof b, "SELECT `%s`, `id` FROM `%s` WHERE `%s` IN (",
             d->parent_key, d->table, d->parent_key);
    put(&q, b);
    put_rows(&q, "?", z->rows);
    put(&q, ") AND `most_recent` = 1");
    return prep(s, &z->latest, &q);
}

sm_status my_batch_parents(my_store *s, const sm_def *d, size_t rows,
                           MYSQL_STMT **out)
{
    char b[256];
    sqltext q = text_for(rows);
    snprintf(b, sizeof b, "SELECT `id`, 0 FROM `%s` WHERE `id` IN (",
             d->parent_table);
    put(&q, b);
    put_rows(&q, "?", rows);
    put(&q, ")");
    *out = NULL;
    return prep(s, out, &q);
}

void my_sized_free(my_sized *z)
{
    while (z) {
        my_sized *next = z->next;
        MYSQL_STMT *all[] = {z->insert, z->flip, z->lock, z->latest, z->state};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++)
            if (all[i])
                mysql_stmt_close(all[i]);
        sm_free(z);
        z = next;
    }
}

/* Drop the sizes past the first KEEP of k's list. */
static void trim(my_stmts *k)
{
    my_sized **p = &k->sized;
    for (int i = 0; *p && i < KEEP; i++)
        p = &(*p)->next;
    my_sized_free(*p);
    *p = NULL;
}

/* Prepare what a chunk of z->rows rows of d needs in s's mode: the
 * multi-row writes only on a server with RETURNING (my_batch_server has
 * asked), which elsewhere would not even prepare. */
static sm_status prep_sized(my_store *s, const sm_def *d, my_sized *z)
{
    bool multi = s->url.gaplock == SM_GAPLOCK_PK && s->returning;
    sm_status st = SM_OK;
    if (s->url.lock_parent)
        st = prep_lock(s, d, z);
    if (st == SM_OK && multi)
        st = prep_insert(s, d, z);
    if (st == SM_OK && multi)
        st = prep_flip(s, d, z);
    if (st == SM_OK && multi && d->state_column)
        st = prep_state(s, d, z);
    return st;
}

sm_status my_sized_get(my_store *s, my_stmts *k, size_t rows, my_sized **out)
{
    for (my_sized **p = &k->sized; *p; p = &(*p)->next)
        if ((*p)->rows == rows) {
            my_sized *z = *p;
            *p = z->next, z->next = k->sized, k->sized = z;
            return *out = z, SM_OK;
        }
    my_sized *z = sm_malloc(sizeof *z);
    if (!z)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    memset(z, 0, sizeof *z);
    z->rows = rows;
    sm_status st = prep_sized(s, k->def, z);
    if (st != SM_OK) {
        my_sized_free(z);
        return st;
    }
    z->next = k->sized, k->sized = z;
    trim(k);
    return *out = z, SM_OK;
}
