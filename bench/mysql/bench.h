/*
 * bench.h - shared pieces of bench_mysql: raw connections, server
 * counters, and the hand-written libmysqlclient floor loop.
 */
#ifndef SM_BENCH_MYSQL_H
#define SM_BENCH_MYSQL_H

#include <mysql.h>
#include <stdint.h>

/* A raw connection to url; exits on failure. */
MYSQL *bench_connect(const char *url);
/* Run sql; exits on failure. */
void bench_exec(MYSQL *c, const char *sql);
/* The server counters we report, from SHOW GLOBAL STATUS. */
typedef struct counters {
    double questions, insert, update, commit, begin, select;
} counters;
counters bench_counters(MYSQL *c);
/* n first transitions of fresh parents (base + i) with the pk
 * statements, prepared, autocommit off, READ COMMITTED: SELECT, INSERT,
 * UPDATE, COMMIT, the floor. Returns 0 on ok. */
int bench_floor(const char *url, const char *table, int64_t base, int n);

#endif
