/*
 * mtest.h - helpers shared by the MySQL tests: the server URL (a test
 * without SM_TEST_MYSQL_URL fails), raw connections, per-test tables.
 */
#ifndef SM_MTEST_H
#define SM_MTEST_H

#include <mysql.h>
#include <stdint.h>

#include <sm/mysql.h>
#include <sm/sm.h>

#include "tdef.h"

/* SM_TEST_MYSQL_URL; exits 1 with a message when unset. */
const char *mt_url(void);
/* The URL with "&opts" appended (static buffer). */
const char *mt_url_with(const char *opts);
/* A raw autocommit connection to the test database; exits 1 on failure. */
MYSQL *mt_connect(void);
/* The same to url's server. */
MYSQL *mt_connect_url(const char *url);
/* Run sql; exits 1 with the server's message on failure. */
void mt_exec(MYSQL *c, const char *sql);
/* The first column of the first row of sql as an integer (-1 if NULL). */
int64_t mt_scalar(MYSQL *c, const char *sql);
/* The first column of sql's first row as text into out; "" for NULL or
 * no row. */
void mt_text(MYSQL *c, const char *sql, char *out, size_t cap);
/* The machine base on its own table (dropped and recreated). */
sm_def mt_table(MYSQL *c, const sm_def *base, const char *table,
                const char *parent_table);
/* The order machine of tdef.h on its own table: mt_table(c, &tdef_order..). */
sm_def mt_def(MYSQL *c, const char *table, const char *parent_table);
/* The parent table `table` (dropped and recreated) holding ids
 * [first, last], with a state column `state` defaulting to state when
 * state is not NULL (sm_ddl_state_column's). */
void mt_parents(MYSQL *c, const char *table, int64_t first, int64_t last,
                const char *state);
/* n history rows of parent in d's table, as with_rows writes them:
 * checking_out, failed, ..., the last one most_recent. */
void mt_history(MYSQL *c, const sm_def *d, int64_t parent, int n);
/* How many of d's parents (rows of d->parent_table) have a state
 * column other than their most_recent row's to_state (the initial state
 * without one): 0 when the cache agrees with the history. */
int64_t mt_drift(MYSQL *c, const sm_def *d);
/* Run scripts/mariadb with args (start DIR, stop DIR): a private server
 * for tests that kill one, never the shared one; its stdout into out
 * (may be NULL). Fails the test unless the script succeeds. */
void mt_script(const char *args, char *out, size_t cap);
/* Fork a writer that moves parent of d (its hooks replaced by an after
 * hook that blocks once the row is written) to state `to` on a store of
 * url, and SIGKILL it there, inside its transaction; fails the test
 * unless it died by the signal. */
void mt_kill_in_write(const char *url, const sm_def *d, int64_t parent, int to);
/* The connection a store opened by URL runs on (libsm's private). */
MYSQL *mt_store_conn(sm_store *s);
/* A session status counter of c (SHOW SESSION STATUS). */
int64_t mt_status(MYSQL *c, const char *name);

#endif
