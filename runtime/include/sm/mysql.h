/*
 * sm/mysql.h - the MySQL/MariaDB store's own entry points.
 *
 * Running inside a caller's connection (and transaction), and creating
 * the transitions table. Needs no mysql.h. A "mysql://" store is opened
 * with sm_store_open() (sm/sm.h) like any other.
 */
#ifndef SM_MYSQL_H
#define SM_MYSQL_H

#include "sm/sm.h"

#ifdef __cplusplus
extern "C" {
#endif

struct st_mysql;

/*
 * A store on the caller's connection conn, which stays the caller's:
 * the store never closes it and never reconnects it. options as in the
 * URL query ("gaplock=pk&lock_parent=0"), NULL for the defaults. When
 * the caller has a transaction open, each transition is a SAVEPOINT in
 * it and after_commit hooks wait for sm_store_signal_commit() after the
 * caller's COMMIT or ROLLBACK; otherwise each transition is its own
 * transaction. On failure (conn NULL: SM_E_ARG; bad options: SM_E_ARG
 * naming the option) *out is a failed store carrying the message, as
 * sm_store_open() returns; only SM_E_NOMEM and out == NULL leave it
 * NULL. One thread at a time uses the store and conn.
 */
SM_API sm_status sm_mysql_wrap(sm_store **out, struct st_mysql *conn,
                               const char *options);

/*
 * Create def's schema on s's connection: exactly the statements `smcc
 * --emit sql` prints (the parent table when def->schema asks for it,
 * the transitions table with its foreign key and CHECK, then the state
 * column's ALTER TABLE), each IF NOT EXISTS, so running it again, at
 * every start-up, changes nothing and never alters a table that exists.
 * DDL commits as it goes: it ends a read transaction left open on the
 * connection (and, on a wrapped connection, the caller's transaction),
 * so call it outside transitions and hooks. SM_E_ARG when s is not a
 * MySQL store, or def is NULL or has a name that is not [A-Za-z0-9_]+;
 * SM_E_STORE with the server's message when a statement fails (those
 * before it stay done). Messages in sm_store_errmsg(s).
 */
SM_API sm_status sm_mysql_create_schema(sm_store *s, const sm_def *def);

#ifdef __cplusplus
}
#endif
#endif
