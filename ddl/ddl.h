/*
 * ddl.h - the MySQL DDL of one machine: its parent table, its
 * transitions table, and the foreign key and CHECK between them.
 *
 * One source for `smcc --emit sql`, `smcc diff --emit migration` and
 * sm_mysql_create_schema(), so they can never disagree. Identifiers
 * and names must already be checked ([A-Za-z0-9_]).
 */
#ifndef SM_DDL_H
#define SM_DDL_H

#include <stddef.h>

/*
 * What the DDL of one machine is made from. names are every name the
 * history may hold (states, retired states, old `was` names), sorted, so
 * two versions with the same names write the same CHECK.
 */
typedef struct sm_ddl {
    const char *table;        /* the transitions table */
    const char *parent_table; /* its parents, keyed by `id` */
    const char *parent_key;   /* the column naming the parent */
    unsigned schema;          /* SM_SCHEMA_* (sm/def.h) */
    const char *const *names; /* for the CHECK, in strcmp order */
    size_t nnames;
    const char *state_column; /* the parents' cached state, or NULL */
    const char *initial;      /* the initial state's name: its default */
} sm_ddl;

/* Derived names are at most this long (MySQL's identifier limit). */
enum { SM_DDL_NAME_MAX = 64 };

/* The transitions table's columns and unique keys. */
enum { SM_DDL_NCOLUMNS = 9, SM_DDL_NKEYS = 2 };

/* Column i (< SM_DDL_NCOLUMNS): its name, parent_key for the parent's
 * column, and its SQL type in *type (if type is not NULL). */
const char *sm_ddl_column(size_t i, const char *parent_key, const char **type);

/* The column unique key i pairs with the parent key: "sort_key",
 * "most_recent". */
const char *sm_ddl_key_column(size_t i);

/* "UNIQUE KEY `index_T_parent_sort` (`P`, `sort_key`)" for key i, into
 * buf as snprintf does; the name is sm_ddl_key_name's. */
size_t sm_ddl_key(char *buf, size_t cap, size_t i, const char *table,
                  const char *parent_key);

/* Unique key i's name, Statesman's index_T_parent_sort and
 * index_T_parent_most_recent, shortened as sm_ddl_name_around() does.
 * out holds SM_DDL_NAME_MAX + 1 bytes. */
void sm_ddl_key_name(char *out, size_t i, const char *table);

/*
 * Every function below writes into buf as snprintf does (NUL-terminated,
 * truncated to cap; buf may be NULL when cap is 0) and returns the full
 * length, so a caller can size buf with a first call.
 */

/* CREATE TABLE IF NOT EXISTS of the parent table: an `id` key only. */
size_t sm_ddl_parent(char *buf, size_t cap, const sm_ddl *d);

/* CREATE TABLE IF NOT EXISTS of the transitions table, with the foreign
 * key (SM_SCHEMA_FOREIGN_KEY) and the CHECK (SM_SCHEMA_STATE_CHECK). */
size_t sm_ddl_table(char *buf, size_t cap, const sm_ddl *d);

/* The bare transitions table of `table` keyed by `parent_key` (no
 * foreign key, no CHECK): sm_ddl_table of a spec with schema 0. */
size_t sm_ddl_format(char *buf, size_t cap, const char *table,
                     const char *parent_key);

/* "CONSTRAINT `T_parent_fk` FOREIGN KEY (`P`) REFERENCES `PT` (`id`)" */
size_t sm_ddl_foreign_key(char *buf, size_t cap, const sm_ddl *d);

/* "CONSTRAINT `T_to_state` CHECK (`to_state` IN ('a', ...))" of the
 * spec's names. */
size_t sm_ddl_state_check(char *buf, size_t cap, const sm_ddl *d);

/*
 * A name derived from a table's: prefix + table + suffix, or, when that
 * is longer than SM_DDL_NAME_MAX (MySQL refuses longer identifiers),
 * prefix, table cut short, '_', eight hex digits of a hash of the whole
 * table name, then suffix, so distinct tables keep distinct names and a
 * name that fits is the same as ever. Every identifier the DDL and the
 * migrations derive from a table is made here. out holds
 * SM_DDL_NAME_MAX + 1 bytes.
 */
void sm_ddl_name_around(char *out, const char *prefix, const char *table,
                        const char *suffix);

/* sm_ddl_name_around() with no prefix. */
void sm_ddl_name(char *out, const char *table, const char *suffix);

/* The names of table's foreign key and CHECK constraints:
 * sm_ddl_name(table, "_parent_fk"), sm_ddl_name(table, "_to_state"). */
void sm_ddl_fk_name(char *out, const char *table);
void sm_ddl_check_name(char *out, const char *table);

/* Append printf-style at buf + *n, writing nothing past cap (so it may
 * truncate); *n grows by the full length, as snprintf counts. */
void sm_ddl_cat(char *buf, size_t cap, size_t *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/*
 * The cached current-state column (storage `state_column`): ALTER TABLE
 * parent_table adding it (VARCHAR(255) NOT NULL, the initial state by
 * default, so a parent row without history is in it) and its index
 * (`state_column`, `id`), named after the column, which in_state reads
 * by. IF NOT EXISTS (MariaDB's), as the rest: running it again changes
 * nothing.
 */
size_t sm_ddl_state_column(char *buf, size_t cap, const sm_ddl *d);

/*
 * The UPDATE that sets every parent's state column from its most_recent
 * row in `table` (the initial state without one): run it once after
 * adding the column to a table that already has history.
 */
size_t sm_ddl_state_backfill(char *buf, size_t cap, const sm_ddl *d);

#endif
