/*
 * ddl.c - the MySQL DDL of one machine (README: "The schema").
 *
 * The transitions table is the layout Statesman recommends for MySQL,
 * so a Rails app and a C service can share it. Every statement is
 * IF NOT EXISTS, so running the schema again changes nothing. Its
 * columns and keys are data here, so the table check
 * (runtime/src/mysql/schema.c) names the same ones in its fixes.
 */
#include "ddl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sm/def.h"

/* In table order; a NULL name is the parent key column. */
static const struct {
    const char *name, *type;
} columns[SM_DDL_NCOLUMNS] = {
    {"id", "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"},
    {"from_state", "VARCHAR(255) NULL"},
    {"to_state", "VARCHAR(255) NOT NULL"},
    {"metadata", "JSON"},
    {"sort_key", "INT NOT NULL"},
    {NULL, "BIGINT NOT NULL"},
    {"most_recent", "TINYINT(1) NULL"},
    {"created_at", "DATETIME(6) NOT NULL"},
    {"updated_at", "DATETIME(6) NOT NULL"},
};

/* The unique keys: name suffix and the column after the parent key. */
static const struct {
    const char *suffix, *column;
} keys[SM_DDL_NKEYS] = {
    {"_parent_sort", "sort_key"},
    {"_parent_most_recent", "most_recent"},
};

const char *sm_ddl_column(size_t i, const char *parent_key, const char **type)
{
    if (type)
        *type = columns[i].type;
    return columns[i].name ? columns[i].name : parent_key;
}

const char *sm_ddl_key_column(size_t i)
{
    return keys[i].column;
}

void sm_ddl_key_name(char *out, size_t i, const char *table)
{
    sm_ddl_name_around(out, "index_", table, keys[i].suffix);
}

size_t sm_ddl_key(char *buf, size_t cap, size_t i, const char *table,
                  const char *parent_key)
{
    char name[SM_DDL_NAME_MAX + 1];
    sm_ddl_key_name(name, i, table);
    return (size_t)snprintf(buf, cap, "UNIQUE KEY `%s` (`%s`, `%s`)", name,
                            parent_key, keys[i].column);
}

void sm_ddl_cat(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k =
        vsnprintf(*n < cap ? buf + *n : NULL, *n < cap ? cap - *n : 0, fmt, ap);
    va_end(ap);
    *n += k < 0 ? 0 : (size_t)k;
}

size_t sm_ddl_parent(char *buf, size_t cap, const sm_ddl *d)
{
    size_t n = 0;
    sm_ddl_cat(buf, cap, &n,
               "CREATE TABLE IF NOT EXISTS `%s` (\n"
               "  `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY\n"
               ") ENGINE=InnoDB",
               d->parent_table);
    return n;
}

void sm_ddl_name_around(char *out, const char *prefix, const char *table,
                        const char *suffix)
{
    size_t p = strlen(prefix), t = strlen(table), s = strlen(suffix);
    if (p + t + s <= SM_DDL_NAME_MAX) {
        snprintf(out, SM_DDL_NAME_MAX + 1, "%s%s%s", prefix, table, suffix);
        return;
    }
    uint32_t h = 2166136261u; /* FNV-1a of the whole table name */
    for (const char *c = table; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    snprintf(out, SM_DDL_NAME_MAX + 1, "%s%.*s_%08x%s", prefix,
             (int)(SM_DDL_NAME_MAX - 9 - p - s), table, (unsigned)h, suffix);
}

void sm_ddl_name(char *out, const char *table, const char *suffix)
{
    sm_ddl_name_around(out, "", table, suffix);
}

void sm_ddl_fk_name(char *out, const char *table)
{
    sm_ddl_name(out, table, "_parent_fk");
}

void sm_ddl_check_name(char *out, const char *table)
{
    sm_ddl_name(out, table, "_to_state");
}

size_t sm_ddl_foreign_key(char *buf, size_t cap, const sm_ddl *d)
{
    char name[SM_DDL_NAME_MAX + 1];
    size_t n = 0;
    sm_ddl_fk_name(name, d->table);
    sm_ddl_cat(buf, cap, &n,
               "CONSTRAINT `%s` FOREIGN KEY (`%s`) REFERENCES `%s` (`id`)",
               name, d->parent_key, d->parent_table);
    return n;
}

size_t sm_ddl_state_check(char *buf, size_t cap, const sm_ddl *d)
{
    char name[SM_DDL_NAME_MAX + 1];
    size_t n = 0, col = 80, total = d->nnames;
    sm_ddl_check_name(name, d->table);
    sm_ddl_cat(buf, cap, &n, "CONSTRAINT `%s` CHECK (`to_state` IN (", name);
    for (size_t i = 0; i < total; i++) {
        const char *s = d->names[i];
        size_t w = strlen(s) + 4; /* 's', */
        if (col + w > 76) {       /* a new line of names */
            sm_ddl_cat(buf, cap, &n, "\n    ");
            col = 4;
        } else {
            sm_ddl_cat(buf, cap, &n, " ");
            col++;
        }
        sm_ddl_cat(buf, cap, &n, "'%s'%s", s, i + 1 < total ? "," : "");
        col += w - 1;
    }
    sm_ddl_cat(buf, cap, &n, "))");
    return n;
}

/* Append one constraint clause, made by f, as a line of the table. */
static void add_clause(char *buf, size_t cap, size_t *n, const sm_ddl *d,
                       size_t (*f)(char *, size_t, const sm_ddl *))
{
    sm_ddl_cat(buf, cap, n, ",\n  ");
    *n += f(*n < cap ? buf + *n : NULL, *n < cap ? cap - *n : 0, d);
}

size_t sm_ddl_table(char *buf, size_t cap, const sm_ddl *d)
{
    size_t n = 0;
    const char *type;
    sm_ddl_cat(buf, cap, &n, "CREATE TABLE IF NOT EXISTS `%s` (\n", d->table);
    for (size_t i = 0; i < SM_DDL_NCOLUMNS; i++) {
        const char *name = sm_ddl_column(i, d->parent_key, &type);
        sm_ddl_cat(buf, cap, &n, "  `%s` %s,\n", name, type);
    }
    for (size_t i = 0; i < SM_DDL_NKEYS; i++) {
        sm_ddl_cat(buf, cap, &n, i ? ",\n  " : "  ");
        n += sm_ddl_key(n < cap ? buf + n : NULL, n < cap ? cap - n : 0, i,
                        d->table, d->parent_key);
    }
    if (d->schema & SM_SCHEMA_FOREIGN_KEY)
        add_clause(buf, cap, &n, d, sm_ddl_foreign_key);
    if (d->schema & SM_SCHEMA_STATE_CHECK)
        add_clause(buf, cap, &n, d, sm_ddl_state_check);
    sm_ddl_cat(buf, cap, &n, "\n) ENGINE=InnoDB");
    return n;
}

size_t sm_ddl_format(char *buf, size_t cap, const char *table,
                     const char *parent_key)
{
    sm_ddl d = {table, NULL, parent_key, 0, NULL, 0, NULL, NULL};
    return sm_ddl_table(buf, cap, &d);
}
