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

/*
 * The cached current-state column (storage `state_column`), written as
 * sm_ddl_format writes: ALTER TABLE parent_table adding `column`
 * (VARCHAR(255) NOT NULL, the initial state by default, so a parent row
 * without history is in it) and its index (`column`, `id`), named after
 * the column, which in_state reads by.
 */
size_t sm_ddl_state_column(char *buf, size_t cap, const char *parent_table,
                           const char *column, const char *initial);

/*
 * The UPDATE that sets every parent's state column from its most_recent
 * row in `table` (the initial state without one): run it once after
 * adding the column to a table that already has history.
 */
size_t sm_ddl_state_backfill(char *buf, size_t cap, const char *table,
                             const char *parent_table, const char *parent_key,
                             const char *column, const char *initial);

#endif
