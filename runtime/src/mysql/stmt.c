/*
 * stmt.c - the store's SQL, prepared once per connection per def.
 *
 * Identifiers come from the def (checked by smcc, re-checked here);
 * every value is a parameter. The flip statement depends on the mode.
 */
#include <stdio.h>
#include <string.h>

#include "priv.h"

/* Prepare sql into *out. */
static sm_status prep(my_store *s, MYSQL_STMT **out, const char *sql)
{
    *out = mysql_stmt_init(s->conn);
    if (!*out)
        return my_fail_conn(s, "mysql_stmt_init");
    if (mysql_stmt_prepare(*out, sql, strlen(sql)) != 0)
        return my_fail_stmt(s, *out, "prepare");
    return SM_OK;
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

/* Prepare every statement of def into k. */
static sm_status prep_all(my_store *s, const sm_def *d, my_stmts *k)
{
    char b[1024];
    const char *t = d->table, *p = d->parent_key;
    snprintf(b, sizeof b,
             "SELECT `id`, `from_state`, `to_state`, "
             "`metadata`, `sort_key`, `most_recent`, `created_at` FROM `%s` "
             "WHERE `%s` = ? ORDER BY `sort_key`",
             t, p);
    sm_status st = prep(s, &k->load, b);
    snprintf(b, sizeof b,
             "INSERT INTO `%s` (`from_state`, `to_state`, "
             "`metadata`, `sort_key`, `%s`, `most_recent`, `created_at`, "
             "`updated_at`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             t, p);
    if (st == SM_OK)
        st = prep(s, &k->insert, b);
    flip_sql(s, b, sizeof b, t, p);
    if (st == SM_OK)
        st = prep(s, &k->flip, b);
    snprintf(b, sizeof b, "SELECT `id` FROM `%s` WHERE `id` = ? FOR UPDATE",
             d->parent_table ? d->parent_table : "");
    if (st == SM_OK && s->url.lock_parent)
        st = prep(s, &k->lock, b);
    snprintf(b, sizeof b,
             "SELECT `id` FROM `%s` WHERE `%s` = ? ORDER BY `sort_key` "
             "DESC LIMIT 1",
             t, p);
    if (st == SM_OK && s->url.lock_parent)
        st = prep(s, &k->latest, b);
    return st;
}

/* Close k's statements and free it. */
static void stmts_free(my_stmts *k)
{
    MYSQL_STMT *all[] = {k->load, k->insert, k->flip, k->lock, k->latest};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (all[i])
            mysql_stmt_close(all[i]);
    my_sized_free(k->sized);
    sm_free(k);
}

/* Check the identifiers of def before they go into SQL. */
static sm_status check_def(my_store *s, const sm_def *d)
{
    if (!my_ident_ok(d->table) || !my_ident_ok(d->parent_key) ||
        (s->url.lock_parent && !my_ident_ok(d->parent_table)))
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
    st = prep_all(s, def, k);
    if (st != SM_OK) {
        stmts_free(k);
        return st;
    }
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
