/*
 * schema.c - checking a machine's table before the store first uses it
 * on a connection: every column the statements name, a nullable
 * most_recent, and the unique keys on (parent, sort_key) and (parent,
 * most_recent) that make the database the arbiter. Without them, races
 * were acknowledged as SM_OK. One query, once per table per connection.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ddl.h"
#include "../rows.h"
#include "row.h"

/* What the table has, of what the invariants need. */
typedef struct found {
    bool exists;
    bool column[SM_DDL_NCOLUMNS];
    bool mr_not_null; /* most_recent cannot hold the NULLs it needs */
    bool key[SM_DDL_NKEYS];
} found;

/* A table checked on this connection. */
struct my_table {
    struct my_table *next;
    char *name, *parent_key;
};

/* The table's columns ('c') and unique keys ('k', columns listed). */
static const char query[] =
    "SELECT 'c', COLUMN_NAME, IS_NULLABLE FROM information_schema.COLUMNS "
    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? UNION ALL "
    "SELECT 'k', INDEX_NAME, GROUP_CONCAT(COLUMN_NAME SEPARATOR ',') "
    "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
    "AND TABLE_NAME = ? AND NON_UNIQUE = 0 GROUP BY INDEX_NAME";

/* One result row. */
typedef struct row {
    char kind[2], name[65], value[300];
    unsigned long len[3];
} row;

/* Is list ("a,b") exactly the set {x, y}? Names compare as MySQL's do. */
static bool same_pair(const char *list, const char *x, const char *y)
{
    const char *comma = strchr(list, ',');
    if (!comma || strchr(comma + 1, ','))
        return false;
    size_t n = (size_t)(comma - list);
    const char *second = comma + 1;
    bool xy = strlen(x) == n && strncasecmp(list, x, n) == 0 &&
              strcasecmp(second, y) == 0;
    bool yx = strlen(y) == n && strncasecmp(list, y, n) == 0 &&
              strcasecmp(second, x) == 0;
    return xy || yx;
}

/* Record what row r says about def's table. */
static void note(found *f, const sm_def *d, const row *r)
{
    for (size_t i = 0; r->kind[0] == 'c' && i < SM_DDL_NCOLUMNS; i++) {
        const char *col = sm_ddl_column(i, d->parent_key, NULL);
        if (strcasecmp(r->name, col) != 0)
            continue;
        f->column[i] = true;
        if (strcmp(col, "most_recent") == 0)
            f->mr_not_null = strcmp(r->value, "YES") != 0;
    }
    for (size_t i = 0; r->kind[0] == 'k' && i < SM_DDL_NKEYS; i++)
        if (same_pair(r->value, d->parent_key, sm_ddl_key_column(i)))
            f->key[i] = true;
}

/* A string result column over buf. */
static MYSQL_BIND bind_out(char *buf, size_t cap, unsigned long *len)
{
    MYSQL_BIND b = my_bind(MYSQL_TYPE_STRING, buf, (unsigned long)cap);
    b.length = len;
    return b;
}

/* Bind, run and read the prepared query for d's table into *f. */
static sm_status fetch(my_store *s, MYSQL_STMT *st, const sm_def *d, found *f)
{
    unsigned long tn;
    MYSQL_BIND in[2] = {my_bind_str(d->table, &tn), my_bind_str(d->table, &tn)};
    row r;
    MYSQL_BIND out[3] = {bind_out(r.kind, sizeof r.kind, &r.len[0]),
                         bind_out(r.name, sizeof r.name, &r.len[1]),
                         bind_out(r.value, sizeof r.value, &r.len[2])};
    if (mysql_stmt_bind_param(st, in) != 0 || mysql_stmt_execute(st) != 0 ||
        mysql_stmt_bind_result(st, out) != 0)
        return my_fail_stmt(s, st, "schema check");
    int rc;
    memset(f, 0, sizeof *f);
    while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
        f->exists = true;
        /* A value cut short (a key of many columns) is no pair. */
        if (r.len[0] < sizeof r.kind && r.len[1] < sizeof r.name &&
            r.len[2] < sizeof r.value) {
            r.kind[r.len[0]] = r.name[r.len[1]] = r.value[r.len[2]] = '\0';
            note(f, d, &r);
        }
    }
    return rc == MYSQL_NO_DATA ? SM_OK : my_fail_stmt(s, st, "schema check");
}

/* The refusal being written: what is missing, and the ALTER clauses. */
typedef struct report {
    char what[512], fix[1024];
    size_t wn, fn;
} report;

/* Add one missing piece and the clause that fixes it. */
static void lacks(report *r, const char *piece, const char *clause)
{
    sm_ddl_cat(r->what, sizeof r->what, &r->wn, "%s%s", r->wn ? ", " : "",
               piece);
    sm_ddl_cat(r->fix, sizeof r->fix, &r->fn, "%s%s", r->fn ? ", " : "",
               clause);
}

/* The message for a table that exists but lacks something f shows. */
static sm_status refuse(my_store *s, const sm_def *d, const found *f)
{
    report r = {"", "", 0, 0};
    char piece[160], clause[300];
    const char *type;
    for (size_t i = 0; i < SM_DDL_NCOLUMNS; i++) {
        const char *col = sm_ddl_column(i, d->parent_key, &type);
        if (!f->column[i]) {
            snprintf(piece, sizeof piece, "column `%s`", col);
            snprintf(clause, sizeof clause, "ADD COLUMN `%s` %s", col, type);
            lacks(&r, piece, clause);
        } else if (f->mr_not_null && strcmp(col, "most_recent") == 0) {
            snprintf(clause, sizeof clause, "MODIFY `%s` %s", col, type);
            lacks(&r, "a nullable `most_recent`", clause);
        }
    }
    for (size_t i = 0; i < SM_DDL_NKEYS; i++) {
        if (f->key[i])
            continue;
        snprintf(piece, sizeof piece, "a unique key on (`%s`, `%s`)",
                 d->parent_key, sm_ddl_key_column(i));
        size_t n = (size_t)snprintf(clause, sizeof clause, "ADD ");
        sm_ddl_key(clause + n, sizeof clause - n, i, d->table, d->parent_key);
        lacks(&r, piece, clause);
    }
    return sm_store_fail(&s->base, SM_E_STORE,
                         "mysql: table `%s` cannot keep the invariants: "
                         "it lacks %s; fix: ALTER TABLE `%s` %s",
                         d->table, r.what, d->table, r.fix);
}

/* Does f show every column and key, and a nullable most_recent? */
static bool complete(const found *f)
{
    for (size_t i = 0; i < SM_DDL_NCOLUMNS; i++)
        if (!f->column[i])
            return false;
    return !f->mr_not_null && f->key[0] && f->key[1];
}

/* Was d's table (with its parent key) checked on this connection? */
static bool known(const my_store *s, const sm_def *d)
{
    for (const struct my_table *t = s->tables; t; t = t->next)
        if (strcmp(t->name, d->table) == 0 &&
            strcmp(t->parent_key, d->parent_key) == 0)
            return true;
    return false;
}

/* Remember d's table as checked; forgetting it only costs a re-check. */
static void remember(my_store *s, const sm_def *d)
{
    struct my_table *t = sm_malloc(sizeof *t);
    char *name = sm_strdup(d->table), *key = sm_strdup(d->parent_key);
    if (!t || !name || !key) {
        sm_free(t), sm_free(name), sm_free(key);
        return;
    }
    *t = (struct my_table){s->tables, name, key};
    s->tables = t;
}

void my_schema_forget(my_store *s)
{
    while (s->tables) {
        struct my_table *next = s->tables->next;
        sm_free(s->tables->name), sm_free(s->tables->parent_key);
        sm_free(s->tables);
        s->tables = next;
    }
}

sm_status my_schema_check(my_store *s, const sm_def *d)
{
    found f;
    MYSQL_STMT *st;
    if (known(s, d))
        return SM_OK;
    sm_status r = my_prepare(s, &st, query, sizeof query - 1, "schema check");
    if (r != SM_OK)
        return r;
    r = fetch(s, st, d, &f);
    mysql_stmt_close(st);
    if (r == SM_OK && !f.exists)
        r = sm_store_fail(&s->base, SM_E_STORE,
                          "mysql: no table `%s` in this database: create "
                          "it with sm_mysql_create_schema() or the "
                          "output of smcc --emit sql",
                          d->table);
    else if (r == SM_OK && !complete(&f))
        r = refuse(s, d, &f);
    if (r == SM_OK)
        remember(s, d);
    return r;
}
