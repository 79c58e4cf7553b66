/*
 * ddl.h - the MySQL DDL of one transitions table.
 *
 * One source for both `smcc --emit sql` and sm_mysql_create_schema(), so
 * the two can never disagree. Identifiers must already be checked.
 */
#ifndef SM_DDL_H
#define SM_DDL_H

#include <stddef.h>

/*
 * Write the CREATE TABLE statement for `table` keyed by `parent_key`
 * into buf (NUL-terminated, truncated to cap). Returns the full length,
 * as snprintf does, so a caller can size buf with a first call.
 */
size_t sm_ddl_format(char *buf, size_t cap, const char *table,
                     const char *parent_key);

#endif
