/*
 * ddl_state.c - the DDL of the cached current-state column: adding it to
 * the parent table, and the backfill from each parent's most_recent row
 * (README: "A cached current-state column").
 */
#include "ddl.h"

#include <stdio.h>

/* snprintf's length as a size_t (0 on an encoding error). */
static size_t length(int n)
{
    return n < 0 ? 0 : (size_t)n;
}

size_t sm_ddl_state_column(char *buf, size_t cap, const char *parent_table,
                           const char *column, const char *initial)
{
    return length(snprintf(buf, cap,
                           "ALTER TABLE `%s`\n"
                           "  ADD COLUMN `%s` VARCHAR(255) NOT NULL "
                           "DEFAULT '%s',\n"
                           "  ADD KEY `%s` (`%s`, `id`)",
                           parent_table, column, initial, column, column));
}

size_t sm_ddl_state_backfill(char *buf, size_t cap, const char *table,
                             const char *parent_table, const char *parent_key,
                             const char *column, const char *initial)
{
    return length(snprintf(buf, cap,
                           "UPDATE `%s` p LEFT JOIN `%s` t\n"
                           "  ON t.`%s` = p.`id` AND t.`most_recent` = 1\n"
                           "  SET p.`%s` = COALESCE(t.`to_state`, '%s')",
                           parent_table, table, parent_key, column, initial));
}
