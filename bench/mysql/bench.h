/*
 * bench.h - shared pieces of bench_mysql: raw connections, server
 * counters, the hand-written libmysqlclient floor loop, cluster mode.
 */
#ifndef SM_BENCH_MYSQL_H
#define SM_BENCH_MYSQL_H

#include <mysql.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in seconds: one clock for every process of a run. */
double bench_now(void);
/* The median of v[0..n) (n > 0), sorting v in place; the mean of the
 * middle two when n is even. */
double bench_median(double *v, size_t n);
/* A raw connection to url; exits on failure. */
MYSQL *bench_connect(const char *url);
/* Run sql; exits on failure. */
void bench_exec(MYSQL *c, const char *sql);
/* Prepare sql on c; exits on failure. */
MYSQL_STMT *bench_prep(MYSQL *c, const char *sql);
/* A bind of buffer v of type (length and the rest zero). */
MYSQL_BIND bench_bind(enum enum_field_types type, void *v);
/* The global status variables names[0..n) into out (0 if absent). */
void bench_status(MYSQL *c, const char *const *names, size_t n, double *out);
/* The server counters we report, from SHOW GLOBAL STATUS. */
typedef struct counters {
    double questions, insert, update, commit, begin, select;
} counters;
counters bench_counters(MYSQL *c);
/* n first transitions of fresh parents (base + i) with the pk
 * statements, prepared, autocommit off, READ COMMITTED: SELECT, INSERT,
 * UPDATE, COMMIT, the floor. Returns 0 on ok. */
int bench_floor(const char *url, const char *table, int64_t base, int n);

/* The workloads of bench_mysql and its cluster mode: each worker's own
 * fresh parents, random ones of 1000, two hot ones. */
enum { FRESH, RANDOM, HOT };
extern const char *const bench_workloads[3];
/* Worker w's parent for its transition i under workload wl (RANDOM and
 * HOT draw from rand()). */
int64_t bench_pick(int wl, int w, int i);

/* The cluster mode: per_node processes on each of 1, 2, 3 of the
 * nodes urls[0..3) (or only_nodes), one JSON line per run; batch > 0:
 * each run again in batches of that many (not on the hot workload). */
int bench_cluster(const char *const urls[3], int n, int per_node,
                  const char *mode, const char *opts, const char *only_w,
                  int only_nodes, int batch);

#endif
