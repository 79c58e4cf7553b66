/*
 * sm/mysql.h - the MySQL/MariaDB store's extra entry points.
 *
 * Running inside a caller's connection (and transaction), creating the
 * transitions table, and Statesman's in_state query. Needs no mysql.h.
 */
#ifndef SM_MYSQL_H
#define SM_MYSQL_H

#include <stddef.h>
#include <stdint.h>

#include "sm/sm.h"

#ifdef __cplusplus
extern "C" {
#endif

struct st_mysql;

/*
 * A store on the caller's connection (borrowed: never closed by the
 * store). options as in the URL query ("gaplock=pk&lock_parent=0"),
 * NULL for the defaults. When the caller has a transaction open, each
 * transition is a SAVEPOINT in it and after_commit hooks wait for
 * sm_store_signal_commit(s, true) after the caller's COMMIT.
 */
sm_status sm_mysql_wrap(sm_store **out, struct st_mysql *conn,
                        const char *options);

/* CREATE TABLE def->table exactly as `smcc --emit sql` prints it. */
sm_status sm_mysql_create_schema(sm_store *s, const sm_def *def);

/*
 * The ids (ascending, from def->parent_table's `id`) of the parents
 * whose current state is one of states[0..nstates); parents without
 * history are in the initial state. *ids is freed with sm_ids_free().
 */
sm_status sm_store_in_state(sm_store *s, const sm_def *def, const int *states,
                            size_t nstates, int64_t **ids, size_t *n);

/* Free the array of sm_store_in_state(). NULL-safe. */
void sm_ids_free(int64_t *ids);

#ifdef __cplusplus
}
#endif
#endif
