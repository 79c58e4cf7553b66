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
 * CREATE TABLE def->table exactly as `smcc --emit sql` prints it. An
 * existing table is SM_E_STORE with the server's message. SM_E_ARG when
 * s is not a MySQL store or def is NULL or has unsafe names. Messages in
 * sm_store_errmsg(s).
 */
SM_API sm_status sm_mysql_create_schema(sm_store *s, const sm_def *def);

#ifdef __cplusplus
}
#endif
#endif
