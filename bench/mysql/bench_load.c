/*
 * bench_load.c - the MySQL store's load (what sm_machine_open reads) by
 * machine size: one parent with ROWS rows in the last two states, loaded
 * LOADS times. One JSON line per size: median microseconds per load and
 * per row. It builds against either sm_def layout, with or without the
 * name index, so old and new loaders compare. Usage: bench_load [url]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../ddl/ddl.h"
#include "bench.h"
#include <sm/sm.h>

enum { ROWS = 100, LOADS = 31 };

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The table holds parent 1 with ROWS rows alternating between the last
 * two states of an n-state machine (the end of a linear scan). */
static void fill(MYSQL *c, uint32_t n)
{
    static char sql[ROWS * 160 + 256];
    bench_exec(c, "DROP TABLE IF EXISTS bench_load_transitions");
    sm_ddl_format(sql, sizeof sql, "bench_load_transitions", "order_id");
    bench_exec(c, sql);
    size_t len = (size_t)snprintf(
        sql, sizeof sql,
        "INSERT INTO bench_load_transitions (from_state, to_state, "
        "metadata, sort_key, order_id, most_recent, created_at, "
        "updated_at) VALUES ");
    for (int i = 0; i < ROWS; i++)
        len += (size_t)snprintf(
            sql + len, sizeof sql - len,
            "%s('s%06u','s%06u','{}',%d,1,%s,NOW(6),NOW(6))", i ? "," : "",
            n - 1 - (unsigned)(i % 2), n - 2 + (unsigned)(i % 2), 10 * (i + 1),
            i == ROWS - 1 ? "1" : "NULL");
    bench_exec(c, sql);
}

/* An n-state def whose names are s000000, s000001, ... (already in
 * strcmp order); no transitions, events or hooks: only loads. */
static sm_def make_def(uint32_t n, char **names, int32_t *by)
{
    static const uint32_t zero[1] = {0};
    static const int32_t none[1] = {-1};
    uint32_t *tidx = calloc(n + 1, sizeof *tidx);
    uint8_t *flags = calloc(n, 1);
    for (uint32_t i = 0; i < n; i++) {
        names[i] = malloc(16);
        snprintf(names[i], 16, "s%06u", i);
        by[i] = (int32_t)i;
    }
    flags[0] = SM_STATE_INITIAL;
    sm_def d;
    memset(&d, 0, sizeof d);
    d.version = SM_DEF_VERSION;
    d.name = "big";
    d.nstates = n;
    d.state_names = (const char *const *)names;
#if SM_DEF_VERSION >= 2
    d.state_by_name = by;
#endif
    d.state_flags = flags;
    d.trans_index = tidx ? tidx : zero;
    d.trans_to = none;
    d.table = "bench_load_transitions";
    d.parent_table = "orders";
    d.parent_key = "order_id";
    return d;
}

/* Median microseconds of LOADS machine opens of parent 1. */
static double time_loads(sm_store *s, const sm_def *d)
{
    double v[LOADS];
    for (int i = 0; i < LOADS; i++) {
        sm_machine *m = NULL;
        double t0 = now_us();
        if (sm_machine_open(&m, d, s, 1, NULL) != SM_OK) {
            fprintf(stderr, "bench_load: %s\n", sm_store_errmsg(s));
            exit(1);
        }
        v[i] = now_us() - t0;
        sm_machine_close(m);
    }
    qsort(v, LOADS, sizeof *v, cmp_double);
    return v[LOADS / 2];
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : getenv("SM_TEST_MYSQL_URL");
    static const uint32_t sizes[] = {6, 1000, 10000, 100000};
    if (!url) {
        fprintf(stderr, "usage: bench_load [url] (or SM_TEST_MYSQL_URL)\n");
        return 2;
    }
    MYSQL *c = bench_connect(url);
    sm_store *s = NULL;
    if (sm_store_open(&s, url) != SM_OK) {
        fprintf(stderr, "bench_load: %s\n", sm_store_errmsg(s));
        return 1;
    }
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        uint32_t n = sizes[k];
        char **names = malloc(n * sizeof *names);
        int32_t *by = malloc(n * sizeof *by);
        sm_def d = make_def(n, names, by);
        fill(c, n);
        double us = time_loads(s, &d);
        printf("{\"def_version\": %u, \"states\": %u, \"rows\": %d, "
               "\"load_us\": %.1f, \"per_row_us\": %.2f}\n",
               (unsigned)SM_DEF_VERSION, n, ROWS, us, us / ROWS);
        for (uint32_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        free(by);
        free((void *)d.trans_index);
        free((void *)d.state_flags);
    }
    sm_store_close(s);
    mysql_close(c);
    return 0;
}
