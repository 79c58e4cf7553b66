/*
 * ddl.c - the MySQL DDL of one transitions table (README: "The schema").
 *
 * The layout Statesman recommends for MySQL, so a Rails app and a C
 * service can share one table.
 */
#include "ddl.h"

#include <stdio.h>

size_t sm_ddl_format(char *buf, size_t cap, const char *table,
                     const char *parent_key)
{
    int n = snprintf(
        buf, cap,
        "CREATE TABLE `%s` (\n"
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
        "  UNIQUE KEY `index_%s_parent_most_recent` (`%s`, `most_recent`)\n"
        ") ENGINE=InnoDB",
        table, parent_key, table, parent_key, table, parent_key);
    return n < 0 ? 0 : (size_t)n;
}
