/*
 * bench_batch.c - batches against single transitions and the floor, in
 * one run: each process owns 1000 parents and moves them N times in
 * all, one transition per transaction or k per batch; at 1 and 4
 * processes, R rounds interleaving every variant. One JSON line per run
 * (transitions/s; statements, INSERTs, UPDATEs and COMMITs per
 * transition from the server's counters), then one summary line per
 * variant: median and range over the rounds, and the median against
 * single transitions and against the floor of the same k.
 * Usage: bench_batch [-n N] [-r R] [-p PROCS] [-D] [url]; -D runs with
 * durable commits (innodb_flush_log_at_trx_commit = 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../ddl/ddl.h"
#include "bench_batch.h"
#include "tdef.h"

enum { PARENTS = 1000, ROUNDS_MAX = 32 };
static const char *const TABLE = "bench_batch_transitions";

/* What a process does: libsm (single or batches of k, with machines
 * opened once or per transaction) or the hand-written floor. */
typedef struct variant {
    const char *name;
    int k;     /* transitions per transaction */
    bool sm;   /* libsm, not the floor */
    bool open; /* libsm opens the machines of each transaction */
} variant;

static const variant variants[] = {
    {"floor", 1, false, false},      {"single", 1, true, false},
    {"batch", 1, true, false},       {"batch", 10, true, false},
    {"batch", 100, true, false},     {"batch", 1000, true, false},
    {"floor", 10, false, false},     {"floor", 100, false, false},
    {"floor", 1000, false, false},   {"single_open", 1, true, true},
    {"batch_open", 100, true, true},
};
enum { NV = sizeof variants / sizeof variants[0] };

/* The pipes a run's processes start on and report their retries to. */
typedef struct gate {
    int ready[2], go[2], out[2];
} gate;

/* In a process: say it is ready, then wait for the start. */
static void sync_start(void *ctx)
{
    gate *g = ctx;
    char c = 0;
    if (write(g->ready[1], &c, 1) != 1 || read(g->go[0], &c, 1) != 1)
        exit(3);
}

static int next_state(const sm_machine *m)
{
    return sm_current_state(m) == CHECKING_OUT ? FAILED : CHECKING_OUT;
}

/* The machines of parents base + x .. base + x + k - 1; exits on
 * failure. */
static void open_range(const sm_def *d, sm_store *s, int64_t base, int x, int k,
                       sm_machine **m)
{
    static tlog l; /* the order machine's hooks log here (none runs) */
    for (int j = 0; j < k; j++)
        if (sm_machine_open(&m[x + j], d, s, base + x + j, &l) != SM_OK) {
            fprintf(stderr, "open: %s\n", sm_store_errmsg(s));
            exit(3);
        }
}

static void close_range(sm_machine **m, int x, int k)
{
    for (int j = 0; j < k; j++)
        sm_machine_close(m[x + j]), m[x + j] = NULL;
}

/* k transitions from parent x on: sm_transition_to for a single, one
 * batch otherwise, committed again while it fails retryably (the
 * parents are the process's own, so only a row lock of a neighbour's
 * can fail it, and nothing is named). */
static sm_status write_k(const variant *v, sm_batch *b, sm_machine **m, int x,
                         long *retries)
{
    if (strncmp(v->name, "single", 6) == 0)
        return sm_transition_to_retry(m[x], next_state(m[x]), NULL, 100);
    sm_status st = SM_OK;
    for (int j = 0; j < v->k && st == SM_OK; j++)
        st = sm_batch_transition_to(b, m[x + j], next_state(m[x + j]), NULL);
    for (int tries = 0; st == SM_OK && tries < 100; tries++) {
        st = sm_batch_commit(b);
        if (!sm_status_retryable(st) || sm_batch_failures(b, NULL))
            break;
        ++*retries, st = SM_OK;
    }
    return st;
}

/* A libsm process: total transitions of its parents from base. */
static int run_sm(const char *url, const variant *v, int64_t base, int total,
                  gate *g)
{
    sm_def d = tdef_order;
    d.table = TABLE;
    sm_store *s = NULL;
    sm_batch *b = NULL;
    sm_machine *m[PARENTS] = {0};
    if (sm_store_open(&s, url) != SM_OK || sm_batch_begin(&b, s) != SM_OK)
        return 2;
    if (!v->open)
        open_range(&d, s, base, 0, PARENTS, m);
    sync_start(g);
    long retries = 0;
    for (int i = 0; i < total; i += v->k) {
        int x = i % PARENTS;
        if (v->open)
            open_range(&d, s, base, x, v->k, m);
        sm_status st = write_k(v, b, m, x, &retries);
        if (st != SM_OK) {
            fprintf(stderr, "%s: %s %s %s\n", v->name, sm_status_name(st),
                    sm_batch_errmsg(b), m[x] ? sm_errmsg(m[x]) : "");
            return 4;
        }
        if (v->open)
            close_range(m, x, v->k);
    }
    close_range(m, 0, PARENTS);
    sm_batch_free(b);
    sm_store_close(s);
    return write(g->out[1], &retries, sizeof retries) == sizeof retries ? 0 : 5;
}

/* A floor process: the same transitions, hand-written. */
static int run_floor(const char *url, const variant *v, int64_t base, int total,
                     gate *g)
{
    static int64_t id[PARENTS], prev[PARENTS];
    static int32_t sk[PARENTS];
    static int state[PARENTS];
    for (int x = 0; x < PARENTS; x++)
        id[x] = base + x, prev[x] = 0, sk[x] = 0, state[x] = 0;
    bench_parents p = {PARENTS, id, prev, sk, state};
    long retries = 0;
    if (bench_floor_batch(url, TABLE, &p, total, v->k, &retries, sync_start, g))
        return 4;
    return write(g->out[1], &retries, sizeof retries) == sizeof retries ? 0 : 5;
}

/* The counters a run reports, read once before and once after it. */
static const char *const counter_names[] = {"Questions", "Com_insert",
                                            "Com_update", "Com_commit"};
enum { NC = sizeof counter_names / sizeof counter_names[0] };

/* One run: procs processes, each `per` transitions; its JSON line;
 * returns transitions/s. */
static double run(MYSQL *c, const char *url, const variant *v, int procs,
                  int per, int round)
{
    char sql[2048];
    bench_exec(c, "DROP TABLE IF EXISTS bench_batch_transitions");
    sm_ddl_format(sql, sizeof sql, TABLE, "order_id");
    bench_exec(c, sql);
    gate g;
    if (pipe(g.ready) || pipe(g.go) || pipe(g.out))
        exit(1);
    fflush(stdout); /* nothing buffered for the children to print again */
    for (int w = 0; w < procs; w++)
        if (fork() == 0) {
            int64_t base = (int64_t)(w + 1) * 1000000;
            exit(v->sm ? run_sm(url, v, base, per, &g)
                       : run_floor(url, v, base, per, &g));
        }
    char ch;
    for (int w = 0; w < procs; w++)
        if (read(g.ready[0], &ch, 1) != 1)
            exit(1);
    double a[NC], b[NC];
    bench_status(c, counter_names, NC, a);
    double t0 = bench_now();
    for (int w = 0; w < procs; w++)
        if (write(g.go[1], "g", 1) != 1)
            exit(1);
    int failed = 0;
    for (int w = 0; w < procs; w++) {
        int status;
        wait(&status);
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    double secs = bench_now() - t0;
    bench_status(c, counter_names, NC, b);
    long retries = 0, r;
    close(g.out[1]);
    while (read(g.out[0], &r, sizeof r) == sizeof r)
        retries += r;
    close(g.ready[0]), close(g.ready[1]), close(g.go[0]), close(g.go[1]);
    close(g.out[0]);
    double n = (double)procs * per, tps = failed ? 0 : n / secs;
    printf("{\"procs\":%d,\"variant\":\"%s\",\"k\":%d,\"round\":%d,"
           "\"transitions\":%.0f,\"failed\":%d,\"retries\":%ld,"
           "\"seconds\":%.3f,\"tps\":%.0f,"
           "\"statements_per_transition\":%.3f,\"insert\":%.3f,"
           "\"update\":%.3f,\"commit\":%.3f}\n",
           procs, v->name, v->k, round, n, failed, retries, secs, tps,
           (b[0] - a[0] - 1) / n, (b[1] - a[1]) / n, (b[2] - a[2]) / n,
           (b[3] - a[3]) / n);
    fflush(stdout);
    return tps;
}

/* The index of the variant named name with k, or -1. */
static int find(const char *name, int k)
{
    for (int i = 0; i < NV; i++)
        if (!strcmp(variants[i].name, name) && variants[i].k == k)
            return i;
    return -1;
}

/* Every variant's summary line at procs from its rounds' tps. */
static void summarize(int procs, double tps[NV][ROUNDS_MAX], int rounds)
{
    double med[NV], lo[NV], hi[NV];
    for (int i = 0; i < NV; i++) {
        med[i] = bench_median(tps[i], (size_t)rounds);
        lo[i] = tps[i][0], hi[i] = tps[i][rounds - 1];
    }
    for (int i = 0; i < NV; i++) {
        int f = find("floor", variants[i].k), s = find("single", 1);
        printf("{\"summary\":true,\"procs\":%d,\"variant\":\"%s\",\"k\":%d,"
               "\"rounds\":%d,\"tps_median\":%.0f,\"tps_min\":%.0f,"
               "\"tps_max\":%.0f,\"vs_single\":%.2f,\"vs_floor\":%.2f}\n",
               procs, variants[i].name, variants[i].k, rounds, med[i], lo[i],
               hi[i], med[i] / med[s], f >= 0 ? med[i] / med[f] : 0);
    }
    fflush(stdout);
}

/* -D: durable commits for the run (innodb_flush_log_at_trx_commit = 1,
 * the server's default; scripts/mariadb starts it at 2), and back. */
static void durable(MYSQL *c, bool on)
{
    static char was[64];
    char sql[128];
    if (on) {
        bench_exec(c, "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit");
        MYSQL_RES *r = mysql_store_result(c);
        MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
        snprintf(was, sizeof was, "%s", row && row[0] ? row[0] : "1");
        mysql_free_result(r);
    }
    snprintf(sql, sizeof sql, "SET GLOBAL innodb_flush_log_at_trx_commit = %s",
             on ? "1" : was);
    bench_exec(c, sql);
}

int main(int argc, char **argv)
{
    int per = 2000, rounds = 5, only_p = 0, opt;
    bool dur = false;
    while ((opt = getopt(argc, argv, "n:r:p:D")) != -1) {
        if (opt == 'n')
            per = atoi(optarg);
        else if (opt == 'r')
            rounds = atoi(optarg);
        else if (opt == 'p')
            only_p = atoi(optarg);
        else if (opt == 'D')
            dur = true;
    }
    const char *url =
        optind < argc ? argv[optind] : getenv("SM_TEST_MYSQL_URL");
    if (!url || per <= 0 || per % PARENTS || rounds < 1 ||
        rounds > ROUNDS_MAX) {
        fprintf(stderr,
                "usage: bench_batch [-n N, a multiple of %d] "
                "[-r ROUNDS] [-p 1|4] [mysql-url]\n",
                PARENTS);
        return 2;
    }
    MYSQL *c = bench_connect(url);
    if (dur)
        durable(c, true);
    static const int procs[] = {1, 4};
    for (int p = 0; p < 2; p++) {
        if (only_p && only_p != procs[p])
            continue;
        static double tps[NV][ROUNDS_MAX];
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < NV; i++)
                tps[i][r] = run(c, url, &variants[i], procs[p], per, r + 1);
        summarize(procs[p], tps, rounds);
    }
    if (dur)
        durable(c, false);
    mysql_close(c);
    return 0;
}
