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
/* The machine base on its own table (dropped and recreated). */
sm_def mt_table(MYSQL *c, const sm_def *base, const char *table,
                const char *parent_table);
/* The order machine of tdef.h on its own table: mt_table(c, &tdef_order..). */
sm_def mt_def(MYSQL *c, const char *table, const char *parent_table);

#endif
