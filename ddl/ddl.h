/*
 * ddl.h - the MySQL DDL of one transitions table.
 *
 * One source for both `smcc --emit sql` and sm_mysql_create_schema(), so
 * the two can never disagree. Identifiers must already be checked.
 */
#ifndef SM_DDL_H
#define SM_DDL_H

#include <stddef.h>

enum { SM_DDL_NCOLUMNS = 9, SM_DDL_NKEYS = 2 };

/* Column i (< SM_DDL_NCOLUMNS): its name, parent_key for the parent's
 * column, and its SQL type in *type (if type is not NULL). */
const char *sm_ddl_column(size_t i, const char *parent_key, const char **type);

/* The column unique key i pairs with the parent key: "sort_key",
 * "most_recent". */
const char *sm_ddl_key_column(size_t i);

/* "UNIQUE KEY `index_T_parent_sort` (`P`, `sort_key`)" for key i, into
 * buf as snprintf does. */
size_t sm_ddl_key(char *buf, size_t cap, size_t i, const char *table,
                  const char *parent_key);

/* Append printf-style at buf + *n, writing nothing past cap (so it may
 * truncate); *n grows by the full length, as snprintf counts. */
void sm_ddl_cat(char *buf, size_t cap, size_t *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/*
 * Write the CREATE TABLE statement for `table` keyed by `parent_key`
 * into buf (NUL-terminated, truncated to cap). Returns the full length,
 * as snprintf does, so a caller can size buf with a first call.
 */
size_t sm_ddl_format(char *buf, size_t cap, const char *table,
                     const char *parent_key);

#endif
