/*
 * ddl.c - the MySQL DDL of one machine (README: "The schema").
 *
 * The transitions table is the layout Statesman recommends for MySQL,
 * so a Rails app and a C service can share it. Every statement is
 * IF NOT EXISTS, so running the schema again changes nothing.
 */
#include "ddl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sm/def.h"

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

void sm_ddl_name(char *out, const char *table, const char *suffix)
{
    size_t t = strlen(table), s = strlen(suffix);
    if (t + s <= SM_DDL_NAME_MAX) {
        memcpy(out, table, t);
        memcpy(out + t, suffix, s + 1);
        return;
    }
    uint32_t h = 2166136261u;
    for (const char *c = table; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    snprintf(out, SM_DDL_NAME_MAX + 1, "%.*s_%08x%s",
             (int)(SM_DDL_NAME_MAX - 9 - s), table, (unsigned)h, suffix);
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
    const char *t = d->table, *p = d->parent_key;
    sm_ddl_cat(buf, cap, &n,
               "CREATE TABLE IF NOT EXISTS `%s` (\n"
               "  `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
               "  `from_state` VARCHAR(255) NULL,\n"
               "  `to_state` VARCHAR(255) NOT NULL,\n"
               "  `metadata` JSON,\n"
               "  `sort_key` INT NOT NULL,\n"
               "  `%s` BIGINT NOT NULL,\n"
               "  `most_recent` TINYINT(1) NULL,\n"
               "  `created_at` DATETIME(6) NOT NULL,\n"
               "  `updated_at` DATETIME(6) NOT NULL,\n"
               "  UNIQUE KEY `index_%s_parent_sort` (`%s`, `sort_key`),\n"
               "  UNIQUE KEY `index_%s_parent_most_recent` (`%s`, "
               "`most_recent`)",
               t, p, t, p, t, p);
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
    sm_ddl d = {table, NULL, parent_key, 0, NULL, 0};
    return sm_ddl_table(buf, cap, &d);
}
