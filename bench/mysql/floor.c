/*
 * floor.c - the hand-written libmysqlclient loop bench_mysql compares
 * the store with: the same statements a store transition of a fresh
 * parent issues (SELECT of the latest row, INSERT, UPDATE by id,
 * COMMIT: the read in the write's transaction, at READ COMMITTED),
 * prepared once, with nothing else around them; and what every
 * benchmark here shares (bench.h): the clock, medians, connections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "open.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

double bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const char *const bench_workloads[3] = {"fresh", "random", "hot"};

int64_t bench_pick(int wl, int w, int i)
{
    return wl == FRESH ? (int64_t)(w + 1) * 1000000 + i
           : wl == HOT ? 1 + rand() % 2
                       : 1 + rand() % 1000;
}

MYSQL *bench_connect(const char *url)
{
    char err[512];
    MYSQL *c = sm_mysql_connect_url(url, err, sizeof err);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    return c;
}

void bench_exec(MYSQL *c, const char *sql)
{
    if (mysql_query(c, sql) != 0) {
        fprintf(stderr, "%s: %s\n", sql, mysql_error(c));
        exit(1);
    }
}

void bench_status(MYSQL *c, const char *const *names, size_t n, double *out)
{
    char sql[1024];
    int o = snprintf(sql, sizeof sql,
                     "SHOW GLOBAL STATUS WHERE Variable_name IN (");
    for (size_t i = 0; i < n; i++) {
        o += snprintf(sql + o, sizeof sql - (size_t)o, "%s'%s'", i ? "," : "",
                      names[i]);
        out[i] = 0;
    }
    snprintf(sql + o, sizeof sql - (size_t)o, ")");
    bench_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row;
    while (r && (row = mysql_fetch_row(r)))
        for (size_t i = 0; i < n; i++)
            if (!strcmp(row[0], names[i]))
                out[i] = atof(row[1]);
    mysql_free_result(r);
}

counters bench_counters(MYSQL *c)
{
    static const char *const names[] = {"Questions",  "Com_insert",
                                        "Com_update", "Com_commit",
                                        "Com_begin",  "Com_select"};
    double v[6];
    bench_status(c, names, 6, v);
    return (counters){v[0], v[1], v[2], v[3], v[4], v[5]};
}

MYSQL_STMT *bench_prep(MYSQL *c, const char *sql)
{
    MYSQL_STMT *st = mysql_stmt_init(c);
    if (!st || mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
        fprintf(stderr, "prepare: %s\n", mysql_error(c));
        exit(1);
    }
    return st;
}

MYSQL_BIND bench_bind(enum enum_field_types type, void *v)
{
    MYSQL_BIND b;
    memset(&b, 0, sizeof b);
    b.buffer_type = type;
    b.buffer = v;
    return b;
}

/* One parameter bind of a 64-bit integer. */
static MYSQL_BIND i64(int64_t *v)
{
    return bench_bind(MYSQL_TYPE_LONGLONG, v);
}

int bench_floor(const char *url, const char *table, int64_t base, int n)
{
    char sql[512];
    MYSQL *c = bench_connect(url);
    bench_exec(c, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    mysql_autocommit(c, 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO `%s` (from_state, to_state, "
             "metadata, sort_key, order_id, most_recent, created_at, "
             "updated_at) VALUES ('pending', 'checking_out', '{}', 10, ?, "
             "NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
             table);
    MYSQL_STMT *ins = bench_prep(c, sql);
    snprintf(sql, sizeof sql,
             "UPDATE `%s` SET most_recent = IF(id = ?, 1, "
             "NULL) WHERE id IN (?, ?) ORDER BY id",
             table);
    MYSQL_STMT *up = bench_prep(c, sql);
    snprintf(sql, sizeof sql,
             "SELECT id, from_state, to_state, metadata, "
             "sort_key, most_recent, created_at FROM `%s` WHERE order_id = ?"
             " AND most_recent = 1",
             table);
    MYSQL_STMT *sel = bench_prep(c, sql);
    int64_t parent, id;
    MYSQL_BIND pi = i64(&parent), pu[3] = {i64(&id), i64(&id), i64(&id)};
    for (int i = 0; i < n; i++) {
        parent = base + i;
        if (mysql_stmt_bind_param(sel, &pi) || mysql_stmt_execute(sel) ||
            mysql_stmt_store_result(sel) || mysql_stmt_free_result(sel))
            return 1;
        if (mysql_stmt_bind_param(ins, &pi) || mysql_stmt_execute(ins))
            return 1;
        id = (int64_t)mysql_stmt_insert_id(ins);
        if (mysql_stmt_bind_param(up, pu) || mysql_stmt_execute(up) ||
            mysql_commit(c))
            return 1;
    }
    mysql_stmt_close(sel);
    mysql_stmt_close(ins);
    mysql_stmt_close(up);
    mysql_close(c);
    return 0;
}
