/*
 * ddl_state.c - the DDL of the cached current-state column: adding it to
 * the parent table, and the backfill from each parent's most_recent row
 * (README: "A cached current-state column").
 */
#include "ddl.h"

size_t sm_ddl_state_column(char *buf, size_t cap, const sm_ddl *d)
{
    size_t n = 0;
    const char *c = d->state_column;
    sm_ddl_cat(buf, cap, &n,
               "ALTER TABLE `%s`\n"
               "  ADD COLUMN IF NOT EXISTS `%s` VARCHAR(255) NOT NULL "
               "DEFAULT '%s',\n"
               "  ADD KEY IF NOT EXISTS `%s` (`%s`, `id`)",
               d->parent_table, c, d->initial, c, c);
    return n;
}

size_t sm_ddl_state_backfill(char *buf, size_t cap, const sm_ddl *d)
{
    size_t n = 0;
    sm_ddl_cat(buf, cap, &n,
               "UPDATE `%s` p LEFT JOIN `%s` t\n"
               "  ON t.`%s` = p.`id` AND t.`most_recent` = 1\n"
               "  SET p.`%s` = COALESCE(t.`to_state`, '%s')",
               d->parent_table, d->table, d->parent_key, d->state_column,
               d->initial);
    return n;
}
