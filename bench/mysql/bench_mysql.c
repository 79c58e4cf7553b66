/*
 * bench_mysql.c - the MySQL store per gap-lock mode x workload x
 * processes, one JSON object per run: transitions/s, deadlocks,
 * conflicts, retries, statements per transition from the server's
 * counters (a load is one SELECT, the rest are the write's round
 * trips), the client's CPU per transition, and the hand-written floor
 * loop's rate at the same procs.
 * Usage: bench_mysql [-n per_process] [-m mode] [-w workload] [-p procs]
 * [-s] [-C] [-r rounds] [url]; -s: on the default schema, with parent
 * table, foreign key and CHECK; -C: the machine caches its state in
 * bench_parents.state; -r: repeat, the floor measured before the store
 * in even rounds and after it in odd ones; with -c, the cluster mode
 * of cluster.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../ddl/ddl.h"
#include "bench.h"
#include "sm/mysql.h"
#include "tdef.h"

typedef struct tally {
    long ok, deadlocks, conflicts, failed;
} tally;

/* -s: the schema smcc emits by default (parent table, foreign key,
 * CHECK) instead of the bare table; -C: a state column on the parents. */
static bool g_full, g_cached;

/* The def of the bench table, with the -s schema options. */
static sm_def bench_def(void)
{
    sm_def d = tdef_order;
    d.table = "bench_transitions";
    d.parent_table = "bench_parents";
    d.schema = g_full ? SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY |
                            SM_SCHEMA_STATE_CHECK
               : g_cached ? SM_SCHEMA_PARENT
                          : 0;
    d.state_column = g_cached ? "state" : NULL;
    return d;
}

/* Recreate the bench table; with -s or -C, through sm_mysql_create_schema,
 * with its parent table holding every parent a workload picks (fresh:
 * w * 1000000 + i). */
static void reset(MYSQL *c, const char *url, int n)
{
    char sql[2048];
    sm_def d = bench_def();
    sm_store *s = NULL;
    bench_exec(c, "DROP TABLE IF EXISTS bench_transitions, bench_parents");
    if (!g_full && !g_cached) {
        sm_ddl_format(sql, sizeof sql, d.table, d.parent_key);
        bench_exec(c, sql);
        return;
    }
    if (sm_store_open(&s, url) != SM_OK ||
        sm_mysql_create_schema(s, &d) != SM_OK) {
        fprintf(stderr, "create_schema: %s\n", sm_store_errmsg(s));
        exit(1);
    }
    sm_store_close(s);
    snprintf(sql, sizeof sql,
             "INSERT INTO bench_parents (id) SELECT seq FROM seq_1_to_1000 "
             "UNION SELECT w.seq * 1000000 + i.seq FROM seq_1_to_8 w, "
             "seq_0_to_%d i",
             n - 1);
    bench_exec(c, sql);
}

/* One transition of parent p, retried on conflict/deadlock. */
static void one(const sm_def *d, sm_store *s, int64_t p, tally *t)
{
    tlog l = {0};
    sm_machine *m = NULL;
    if (sm_machine_open(&m, d, s, p, &l) != SM_OK)
        exit(3);
    for (int k = 0; k < 100; k++) {
        int to = sm_current_state(m) == CHECKING_OUT ? FAILED : CHECKING_OUT;
        sm_status st = sm_transition_to(m, to, NULL);
        if (st == SM_OK) {
            t->ok++;
            break;
        }
        t->deadlocks += st == SM_E_DEADLOCK;
        t->conflicts += st == SM_E_CONFLICT;
        if (st != SM_E_DEADLOCK && st != SM_E_CONFLICT) {
            t->failed++;
            break;
        }
    }
    sm_machine_close(m);
}

/* Worker w: n transitions, tally written to fd. */
static void worker(const char *url, const sm_def *d, int wl, int w, int n,
                   int fd)
{
    sm_store *s = NULL;
    if (sm_store_open(&s, url) != SM_OK)
        exit(2);
    srand((unsigned)w * 7919u + 1u);
    tally t = {0};
    for (int i = 0; i < n; i++)
        one(d, s, bench_pick(wl, w, i), &t);
    sm_store_close(s);
    exit(write(fd, &t, sizeof t) == (ssize_t)sizeof t ? 0 : 5);
}

/* CPU seconds (user + system) of the children reaped so far. */
static double children_cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_CHILDREN, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* Fork procs workers (store runs) or floor loops; seconds taken, and
 * the workers' CPU seconds in *cpu. */
static double run_procs(const char *url, const sm_def *d, int wl, int procs,
                        int n, int floor, tally *sum, double *cpu)
{
    int fds[2];
    double cpu0 = children_cpu();
    if (pipe(fds) != 0)
        exit(1);
    double t0 = bench_now();
    for (int w = 0; w < procs; w++) {
        if (fork() != 0)
            continue;
        close(fds[0]);
        if (floor)
            exit(bench_floor(url, "bench_transitions",
                             (int64_t)(w + 1) * 1000000, n));
        worker(url, d, wl, w, n, fds[1]);
    }
    close(fds[1]);
    tally t;
    while (read(fds[0], &t, sizeof t) == (ssize_t)sizeof t)
        sum->ok += t.ok, sum->deadlocks += t.deadlocks,
            sum->conflicts += t.conflicts, sum->failed += t.failed;
    close(fds[0]);
    for (int w = 0; w < procs; w++)
        wait(NULL);
    *cpu = children_cpu() - cpu0;
    return bench_now() - t0;
}

/* The floor's rate at procs processes, its statements per transition
 * from the server's counters, and its client CPU per transition. */
typedef struct floor_run {
    double tps, statements, cpu_us;
} floor_run;

static floor_run floor_tps(MYSQL *c, const char *url, int procs, int n)
{
    tally t = {0};
    reset(c, url, n);
    counters a = bench_counters(c);
    double cpu, secs = run_procs(url, NULL, FRESH, procs, n, 1, &t, &cpu);
    counters b = bench_counters(c);
    return (floor_run){procs * n / secs,
                       (b.questions - a.questions - 1) / (procs * n),
                       cpu * 1e6 / (procs * n)};
}

/* One store run, printed as JSON with floor f. A floor of 0 tps is
 * measured after the store run instead. */
static void run(MYSQL *c, const char *base, const char *mode, int wl, int procs,
                int n, floor_run f)
{
    char url[1024];
    snprintf(url, sizeof url, "%s%sgaplock=%s", base,
             strchr(base, '?') ? "&" : "?", mode);
    reset(c, base, n);
    counters a = bench_counters(c);
    tally t = {0};
    sm_def d = bench_def(); /* on the table reset() recreates */
    double cpu, secs = run_procs(url, &d, wl, procs, n, 0, &t, &cpu);
    counters b = bench_counters(c);
    if (f.tps == 0)
        f = floor_tps(c, base, procs, n);
    double ok = t.ok ? (double)t.ok : 1;
    double q = b.questions - a.questions - 1; /* our SHOW */
    double loads = b.select - a.select;
    printf("{\"mode\":\"%s\",\"workload\":\"%s\",\"procs\":%d,"
           "\"schema\":\"%s\",\"state_column\":%s,"
           "\"transitions\":%ld,\"failed\":%ld,\"tps\":%.0f,"
           "\"deadlocks\":%ld,\"conflicts\":%ld,\"retries\":%ld,"
           "\"statements_per_transition\":%.2f,"
           "\"write_round_trips_per_transition\":%.2f,"
           "\"select\":%.2f,\"insert\":%.2f,\"update\":%.2f,"
           "\"commit\":%.2f,\"floor_tps\":%.0f,"
           "\"floor_statements_per_transition\":%.2f,\"vs_floor\":%.2f,"
           "\"client_cpu_us\":%.1f,\"floor_client_cpu_us\":%.1f}\n",
           mode, bench_workloads[wl], procs, g_full ? "default" : "bare",
           g_cached ? "true" : "false", t.ok, t.failed, t.ok / secs,
           t.deadlocks, t.conflicts, t.deadlocks + t.conflicts, q / ok,
           (q - loads) / ok, loads / ok, (b.insert - a.insert) / ok,
           (b.update - a.update) / ok, (b.commit - a.commit) / ok, f.tps,
           f.statements, t.ok / secs / f.tps, cpu * 1e6 / ok, f.cpu_us);
    fflush(stdout);
}

/* The cluster mode's node URLs: argv after the options, else the
 * SM_TEST_GALERA_URL1..3 that scripts/galera prints. */
static int cluster_urls(const char *urls[3], int argc, char **argv)
{
    static const char *const env[] = {
        "SM_TEST_GALERA_URL1", "SM_TEST_GALERA_URL2", "SM_TEST_GALERA_URL3"};
    for (int i = 0; i < 3; i++) {
        urls[i] = optind + i < argc ? argv[optind + i] : getenv(env[i]);
        if (!urls[i] || !*urls[i])
            return 0;
    }
    return 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_mysql [-n N] [-m none|statesman|pk]"
                    " [-w fresh|random|hot] [-p 1|4|8] [-s] [-C] [-r R]"
                    " [mysql-url]\n"
                    "       bench_mysql -c [-n N] [-m MODE] [-w WORKLOAD]"
                    " [-p PROCS_PER_NODE] [-k 1|2|3] [-b K] [-o OPTIONS]"
                    " [url1 url2 url3]\n");
    return 2;
}

int main(int argc, char **argv)
{
    int n = 120, only_p = 0, only_k = 0, cluster = 0, rounds = 1, batch = 0;
    int opt;
    const char *only_m = NULL, *only_w = NULL, *opts = "";
    while ((opt = getopt(argc, argv, "n:m:w:p:k:o:b:csCr:")) != -1) {
        if (opt == 's')
            g_full = true;
        else if (opt == 'C')
            g_cached = true;
        else if (opt == 'r')
            rounds = atoi(optarg);
        else if (opt == 'n')
            n = atoi(optarg);
        else if (opt == 'p')
            only_p = atoi(optarg);
        else if (opt == 'm')
            only_m = optarg;
        else if (opt == 'w')
            only_w = optarg;
        else if (opt == 'k')
            only_k = atoi(optarg);
        else if (opt == 'o')
            opts = optarg;
        else if (opt == 'b')
            batch = atoi(optarg);
        else if (opt == 'c')
            cluster = 1;
        else
            return usage();
    }
    if (cluster) {
        const char *urls[3];
        if (!cluster_urls(urls, argc, argv) || n <= 0 || g_full || g_cached ||
            batch < 0)
            return usage();
        return bench_cluster(urls, n, only_p ? only_p : 2,
                             only_m ? only_m : "pk", opts, only_w, only_k,
                             batch);
    }
    const char *url =
        optind < argc ? argv[optind] : getenv("SM_TEST_MYSQL_URL");
    if (!url || n <= 0 || rounds <= 0)
        return usage();
    MYSQL *c = bench_connect(url);
    static const char *const modes[] = {"none", "statesman", "pk"};
    static const int procs[] = {1, 4, 8};
    for (int p = 0; p < 3; p++) {
        if (only_p && only_p != procs[p])
            continue;
        for (int r = 0; r < rounds; r++) {
            /* odd rounds measure the floor after the store, so neither
             * always runs first on a loaded machine */
            floor_run f = {0, 0, 0};
            if (r % 2 == 0)
                f = floor_tps(c, url, procs[p], n);
            for (int m = 0; m < 3; m++)
                for (int w = 0; w < 3; w++)
                    if ((!only_m || !strcmp(only_m, modes[m])) &&
                        (!only_w || !strcmp(only_w, bench_workloads[w])))
                        run(c, url, modes[m], w, procs[p], n, f);
        }
    }
    mysql_close(c);
    return 0;
}
