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
#include "tdef.h"
#include <sm/sm.h>

enum { ROWS = 100, LOADS = 31, OPENS = 201, LONG = 10000 };

static double now_us(void)
{
    return bench_now() * 1e6;
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
    return bench_median(v, LOADS);
}

/* Parent 1 with one row, parent 2 with LONG rows, of the order machine
 * on bench_open_transitions. */
static sm_def fill_history(MYSQL *c)
{
    char sql[1024];
    sm_def d = tdef_order;
    d.table = "bench_open_transitions";
    bench_exec(c, "DROP TABLE IF EXISTS bench_open_transitions");
    sm_ddl_format(sql, sizeof sql, d.table, d.parent_key);
    bench_exec(c, sql);
    for (int p = 1; p <= 2; p++) {
        int n = p == 1 ? 1 : LONG;
        snprintf(sql, sizeof sql,
                 "INSERT INTO bench_open_transitions (from_state, to_state, "
                 "metadata, sort_key, order_id, most_recent, created_at, "
                 "updated_at) SELECT IF(seq %% 2, 'failed', 'checking_out'), "
                 "IF(seq %% 2, 'checking_out', 'failed'), '{\"k\":1}', "
                 "10 * seq, %d, IF(seq = %d, 1, NULL), NOW(6), NOW(6) FROM "
                 "seq_1_to_%d",
                 p, n, n);
        bench_exec(c, sql);
    }
    return d;
}

/* One open of parent p, timed alone (*open) and with the close. */
static void time_open(sm_store *s, const sm_def *d, int64_t p, double *open,
                      double *both)
{
    tlog l = {0};
    sm_machine *m = NULL;
    double t0 = now_us();
    if (sm_machine_open(&m, d, s, p, &l) != SM_OK) {
        fprintf(stderr, "bench_load: %s\n", sm_store_errmsg(s));
        exit(1);
    }
    *open = now_us() - t0;
    sm_machine_close(m);
    *both = now_us() - t0;
}

/* Median microseconds of n calls of one history read of parent 2. */
static double time_history(sm_store *s, const sm_def *d, size_t limit, int n)
{
    double v[LOADS];
    tlog l = {0};
    sm_machine *m = NULL;
    if (sm_machine_open(&m, d, s, 2, &l) != SM_OK)
        exit(1);
    for (int i = 0; i < n; i++) {
        const sm_transition *h;
        size_t got;
        double t0 = now_us();
        sm_status st = limit ? sm_history_page(m, 5000 * 10, limit, &h, &got)
                             : sm_history(m, &h, &got);
        v[i] = now_us() - t0;
        if (st != SM_OK)
            exit(1);
    }
    sm_machine_close(m);
    return bench_median(v, (size_t)n);
}

/* Opens by history length, interleaved so the load of the moment hits
 * both alike; one JSON line. */
static void open_by_history(MYSQL *c, sm_store *s)
{
    static double o1[OPENS], b1[OPENS], o2[OPENS], b2[OPENS];
    sm_def d = fill_history(c);
    for (int i = 0; i < OPENS; i++) {
        time_open(s, &d, 1, &o1[i], &b1[i]);
        time_open(s, &d, 2, &o2[i], &b2[i]);
    }
    double m1 = bench_median(o1, OPENS), m2 = bench_median(o2, OPENS);
    printf("{\"open_us_1_row\": %.1f, \"open_us_%d_rows\": %.1f, "
           "\"ratio\": %.3f, \"open_close_us_1_row\": %.1f, "
           "\"open_close_us_%d_rows\": %.1f, \"history_us_%d_rows\": %.0f, "
           "\"page_us_100_rows\": %.1f}\n",
           m1, LONG, m2, m2 / m1, bench_median(b1, OPENS), LONG,
           bench_median(b2, OPENS), LONG, time_history(s, &d, 0, 11),
           time_history(s, &d, 100, LOADS));
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
    open_by_history(c, s);
    /* The server works on for a moment after that phase's reads of
     * 10,000 rows: opens that followed at once ran ~30 us slower (a
     * pause of 10 ms did not help, 200 ms did). */
    nanosleep(&(struct timespec){0, 500000000}, NULL);
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        uint32_t n = sizes[k];
        char **names = malloc(n * sizeof *names);
        int32_t *by = malloc(n * sizeof *by);
        sm_def d = make_def(n, names, by);
        fill(c, n);
        double us = time_loads(s, &d);
        printf("{\"def_version\": %u, \"states\": %u, \"history_rows\": "
               "%d, \"open_us\": %.1f}\n",
               (unsigned)SM_DEF_VERSION, n, ROWS, us);
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
