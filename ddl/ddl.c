/*
 * ddl.c - the MySQL DDL of one transitions table (README: "The schema").
 *
 * The layout Statesman recommends for MySQL, so a Rails app and a C
 * service can share one table. Its columns and keys are data here, so
 * the schema check (runtime/src/mysql/schema.c) names the same ones in
 * its fixes.
 */
#include "ddl.h"

#include <stdarg.h>
#include <stdio.h>

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
    {"parent_sort", "sort_key"},
    {"parent_most_recent", "most_recent"},
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

void sm_ddl_cat(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k =
        vsnprintf(*n < cap ? buf + *n : NULL, *n < cap ? cap - *n : 0, fmt, ap);
    va_end(ap);
    *n += k < 0 ? 0 : (size_t)k;
}

size_t sm_ddl_key(char *buf, size_t cap, size_t i, const char *table,
                  const char *parent_key)
{
    size_t n = 0;
    sm_ddl_cat(buf, cap, &n, "UNIQUE KEY `index_%s_%s` (`%s`, `%s`)", table,
               keys[i].suffix, parent_key, keys[i].column);
    return n;
}

size_t sm_ddl_format(char *buf, size_t cap, const char *table,
                     const char *parent_key)
{
    size_t n = 0;
    const char *type;
    sm_ddl_cat(buf, cap, &n, "CREATE TABLE `%s` (\n", table);
    for (size_t i = 0; i < SM_DDL_NCOLUMNS; i++) {
        const char *name = sm_ddl_column(i, parent_key, &type);
        sm_ddl_cat(buf, cap, &n, "  `%s` %s,\n", name, type);
    }
    for (size_t i = 0; i < SM_DDL_NKEYS; i++) {
        sm_ddl_cat(buf, cap, &n, "  ");
        n += sm_ddl_key(n < cap ? buf + n : NULL, n < cap ? cap - n : 0, i,
                        table, parent_key);
        sm_ddl_cat(buf, cap, &n, i + 1 < SM_DDL_NKEYS ? ",\n" : "\n");
    }
    sm_ddl_cat(buf, cap, &n, ") ENGINE=InnoDB");
    return n;
}
