/*
 * stmt.c - the store's SQL, prepared per connection per def on first use.
 *
 * Identifiers come from the def (checked by smcc, re-checked here);
 * every value is a parameter. The flip statement depends on the mode.
 */
#include <stdio.h>
#include <string.h>

#include "priv.h"

/* The columns a read returns, in the order row.c binds them. */
#define COLS                                                                   \
    "`id`, `from_state`, `to_state`, `metadata`, `sort_key`, `most_recent`, "  \
    "`created_at`"

sm_status my_prepare(my_store *s, MYSQL_STMT **out, const char *sql, size_t len,
                     const char *what)
{
    *out = mysql_stmt_init(s->conn);
    if (!*out)
        return my_fail_conn(s, "mysql_stmt_init");
    if (mysql_stmt_prepare(*out, sql, len) == 0)
        return SM_OK;
    sm_status st = my_fail_stmt(s, *out, what);
    mysql_stmt_close(*out);
    *out = NULL;
    return st;
}

/*
 * The most_recent statement of s's mode for table t, parent column p.
 * As Statesman does, a row that stops being most recent gets updated_at
 * = now; updated_at is assigned first so it sees the old most_recent,
 * and a row already cleared is left unchanged (pk counts changed rows).
 */
static void flip_sql(my_store *s, char *b, size_t n, const char *t,
                     const char *p)
{
    static const char *const set =
        "SET `updated_at` = IF(`id` = ? OR `most_recent` IS NULL, "
        "`updated_at`, ?), `most_recent` = IF(`id` = ?, 1, NULL)";
    if (s->url.gaplock == SM_GAPLOCK_NONE)
        snprintf(b, n,
                 "UPDATE `%s` SET `most_recent` = NULL, `updated_at` "
                 "= ? WHERE `%s` = ? AND `most_recent` = 1",
                 t, p);
    else if (s->url.gaplock == SM_GAPLOCK_STATESMAN)
        snprintf(b, n,
                 "UPDATE `%s` %s WHERE `%s` = ? AND (`id` = ? OR "
                 "`most_recent` = 1) ORDER BY `id`",
                 t, set, p);
    else
        snprintf(b, n, "UPDATE `%s` %s WHERE `id` IN (?, ?) ORDER BY `id`", t,
                 set);
}

/* A page read: after (or before) a sort_key, maybe of one to_state,
 * given as its name and old (`was`) names, comma-separated. */
static void page_sql(char *b, size_t n, const sm_def *d, bool desc, bool to)
{
    snprintf(b, n,
             "SELECT " COLS " FROM `%s` WHERE `%s` = ?%s AND `sort_key` %s ? "
             "ORDER BY `sort_key`%s LIMIT ?",
             d->table, d->parent_key,
             to ? " AND FIND_IN_SET(`to_state`, ?) > 0" : "", desc ? "<" : ">",
             desc ? " DESC" : "");
}

/* The SQL of slot for def into b. */
static void slot_sql(my_store *s, char *b, size_t n, const sm_def *d,
                     my_slot slot)
{
    const char *t = d->table, *p = d->parent_key, *pt = d->parent_table;
    switch (slot) {
    case MY_LATEST:
        snprintf(b, n,
                 "SELECT " COLS " FROM `%s` WHERE `%s` = ? AND "
                 "`most_recent` = 1",
                 t, p);
        break;
    case MY_PAGE:
    case MY_PAGE_DESC:
    case MY_PAGE_TO:
    case MY_PAGE_DESC_TO:
        page_sql(b, n, d, slot == MY_PAGE_DESC || slot == MY_PAGE_DESC_TO,
                 slot == MY_PAGE_TO || slot == MY_PAGE_DESC_TO);
        break;
    case MY_INSERT:
        snprintf(b, n,
                 "INSERT INTO `%s` (" MY_INSERT_COLUMNS
                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 t, p);
        break;
    case MY_FLIP:
        flip_sql(s, b, n, t, p);
        break;
    case MY_LOCK:
        snprintf(b, n, "SELECT `id` FROM `%s` WHERE `id` = ? FOR UPDATE", pt);
        break;
    case MY_LATEST_ID:
        snprintf(b, n,
                 "SELECT `id` FROM `%s` WHERE `%s` = ? ORDER BY `sort_key` "
                 "DESC LIMIT 1",
                 t, p);
        break;
    case MY_STATE:
        snprintf(b, n, "UPDATE `%s` SET `%s` = ? WHERE `id` = ?", pt,
                 d->state_column);
        break;
    case MY_PARENT:
    default:
        snprintf(b, n, "SELECT 1 FROM `%s` WHERE `id` = ?", pt);
        break;
    }
}

sm_status my_stmt(my_store *s, const sm_def *def, my_slot slot,
                  MYSQL_STMT **out)
{
    my_stmts *k = NULL;
    sm_status st = my_stmts_get(s, def, &k);
    if (st != SM_OK)
        return st;
    if (!k->v[slot]) {
        char b[1024];
        slot_sql(s, b, sizeof b, def, slot);
        st = my_prepare(s, &k->v[slot], b, strlen(b), "prepare");
        if (st != SM_OK)
            return st;
    }
    *out = k->v[slot];
    return SM_OK;
}

/* Close k's statements and free it. */
static void stmts_free(my_stmts *k)
{
    for (size_t i = 0; i < MY_NSLOTS; i++)
        if (k->v[i])
            mysql_stmt_close(k->v[i]);
    my_sized_free(k->sized);
    sm_free(k);
}

/* Check the identifiers of def before they go into SQL. */
static sm_status check_def(my_store *s, const sm_def *d)
{
    if (!my_def_names_ok(d, s->url.lock_parent || d->state_column))
        return sm_store_fail(&s->base, SM_E_ARG,
                             "mysql: machine '%s' has "
                             "a missing or unsafe table/column name",
                             d->name ? d->name : "?");
    return SM_OK;
}

sm_status my_stmts_get(my_store *s, const sm_def *def, my_stmts **out)
{
    for (my_stmts *k = s->cache; k; k = k->next)
        if (k->def == def)
            return *out = k, SM_OK;
    sm_status st = check_def(s, def);
    if (st == SM_OK)
        st = my_schema_check(s, def);
    if (st != SM_OK)
        return st;
    my_stmts *k = sm_malloc(sizeof *k);
    if (!k)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    memset(k, 0, sizeof *k);
    k->def = def;
    k->next = s->cache;
    s->cache = *out = k;
    return SM_OK;
}

void my_stmts_free(my_store *s)
{
    my_schema_forget(s);
    while (s->cache) {
        my_stmts *next = s->cache->next;
        stmts_free(s->cache);
        s->cache = next;
    }
}
