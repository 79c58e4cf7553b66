/*
 * bench_in_state.c - listing parents by state on a table of a million
 * parents: through the cached state column against Statesman's join on
 * most_recent, whole and a page at a time. One JSON line per query:
 * median milliseconds of each form and the ids listed. The tables are
 * kept between runs (-f refills them). Usage: bench_in_state [-f] [url]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../ddl/ddl.h"
#include "bench.h"
#include "tdef.h"
#include <sm/sm.h>

enum { PARENTS = 1000000, RUNS = 7 };

static double now_ms(void)
{
    return bench_now() * 1e3;
}

/* The state of parent seq, by seq % 20: pending (no history) 10%,
 * checking_out 20%, purchased 10%, failed 5%, shipped 45%, cancelled
 * 10%. */
#define STATE_OF                                                               \
    "ELT(seq % 20 + 1, 'pending', 'pending', 'checking_out', "                 \
    "'checking_out', 'checking_out', 'checking_out', 'purchased', "            \
    "'purchased', 'failed', 'shipped', 'shipped', 'shipped', 'shipped', "      \
    "'shipped', 'shipped', 'shipped', 'shipped', 'shipped', 'cancelled', "     \
    "'cancelled')"

/* Recreate and fill the parent table (with its state column) and the
 * transitions table: one most_recent row per parent with history. */
static void fill(MYSQL *c)
{
    char sql[2048];
    bench_exec(c, "DROP TABLE IF EXISTS bench_is_transitions, "
                  "bench_is_parents");
    bench_exec(c, "CREATE TABLE bench_is_parents (id BIGINT PRIMARY KEY)");
    sm_ddl d = {NULL, "bench_is_parents", NULL, 0, NULL, 0, "state", "pending"};
    sm_ddl_state_column(sql, sizeof sql, &d);
    bench_exec(c, sql);
    sm_ddl_format(sql, sizeof sql, "bench_is_transitions", "order_id");
    bench_exec(c, sql);
    bench_exec(c,
               "INSERT INTO bench_is_parents (id, state) SELECT seq, " STATE_OF
               " FROM seq_1_to_1000000");
    bench_exec(c, "INSERT INTO bench_is_transitions (from_state, to_state, "
                  "metadata, sort_key, order_id, most_recent, created_at, "
                  "updated_at) SELECT 'pending', state, '{}', 10, id, 1, "
                  "NOW(6), NOW(6) FROM bench_is_parents WHERE state <> "
                  "'pending'");
    bench_exec(c, "ANALYZE TABLE bench_is_parents, bench_is_transitions");
    mysql_free_result(mysql_store_result(c));
}

/* One listing. */
typedef struct query {
    const char *name;
    bool negate;
    int states[2];
    size_t nstates;
    int64_t after;
    size_t limit;
} query;

/* Median milliseconds of RUNS runs of q on d (after one unmeasured);
 * *n the ids listed. */
static double time_query(sm_store *s, const sm_def *d, const query *q,
                         size_t *n)
{
    double v[RUNS];
    for (int i = -1; i < RUNS; i++) {
        int64_t *ids = NULL;
        double t0 = now_ms();
        sm_status st = q->negate
                           ? sm_store_not_in_state(s, d, q->states, q->nstates,
                                                   q->after, q->limit, &ids, n)
                           : sm_store_in_state(s, d, q->states, q->nstates,
                                               q->after, q->limit, &ids, n);
        if (i >= 0)
            v[i] = now_ms() - t0;
        sm_ids_free(ids);
        if (st != SM_OK) {
            fprintf(stderr, "bench_in_state: %s\n", sm_store_errmsg(s));
            exit(1);
        }
    }
    return bench_median(v, RUNS);
}

int main(int argc, char **argv)
{
    int opt, refill = 0;
    while ((opt = getopt(argc, argv, "f")) != -1)
        refill = opt == 'f';
    const char *url =
        optind < argc ? argv[optind] : getenv("SM_TEST_MYSQL_URL");
    if (!url) {
        fprintf(stderr, "usage: bench_in_state [-f] [mysql-url]\n");
        return 2;
    }
    MYSQL *c = bench_connect(url);
    mysql_query(c, "SELECT COUNT(*) FROM bench_is_transitions");
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
    if (refill || !row || atol(row[0]) < PARENTS * 8L / 10)
        fill(c);
    mysql_free_result(r);
    sm_store *s = NULL;
    if (sm_store_open(&s, url) != SM_OK) {
        fprintf(stderr, "bench_in_state: %s\n", sm_store_errmsg(s));
        return 1;
    }
    sm_def join = tdef_order, cached;
    join.table = "bench_is_transitions";
    join.parent_table = "bench_is_parents";
    cached = join;
    cached.state_column = "state";
    static const query qs[] = {
        {"in failed, all", false, {FAILED}, 1, 0, 0},
        {"in failed, first 100", false, {FAILED}, 1, 0, 100},
        {"in failed, 100 after id 500000", false, {FAILED}, 1, 500000, 100},
        {"in checking_out or failed, first 100",
         false,
         {CHECKING_OUT, FAILED},
         2,
         0,
         100},
        {"in pending (no history), first 100", false, {PENDING}, 1, 0, 100},
        {"not in shipped, first 100", true, {SHIPPED}, 1, 0, 100},
        {"not in shipped or cancelled, all",
         true,
         {SHIPPED, CANCELLED},
         2,
         0,
         0},
    };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        size_t nc, nj;
        double mc = time_query(s, &cached, &qs[i], &nc);
        double mj = time_query(s, &join, &qs[i], &nj);
        printf("{\"query\": \"%s\", \"parents\": %d, \"ids\": %zu, "
               "\"cached_ms\": %.2f, \"join_ms\": %.2f, \"join_vs_cached\": "
               "%.1f%s}\n",
               qs[i].name, PARENTS, nc, mc, mj, mj / mc,
               nc == nj ? "" : ", \"MISMATCH\": true");
        fflush(stdout);
    }
    sm_store_close(s);
    mysql_close(c);
    return 0;
}
