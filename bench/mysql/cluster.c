/*
 * cluster.c - bench_mysql's cluster mode (-c): the store on a Galera
 * cluster with 1, 2 and 3 writing nodes, P processes on each. One JSON
 * line per run: transitions/s, aborts, conflicts, retries, the nodes'
 * wsrep abort counters, and how often two writers really touched one
 * parent at once, computed from every attempt's start and end. With
 * -b K, each single-transition run is followed by the same run in
 * batches of K (sm_batch_commit_retry), one record per batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../ddl/ddl.h"
#include "bench.h"
#include "tdef.h"

enum { MAX_NODES = 3 };

/* One attempt of one transition, as a worker reports it. */
typedef struct attempt {
    int64_t parent; /* 0: a batch */
    double t0, t1;  /* CLOCK_MONOTONIC seconds: shared by all processes */
    int worker;
    int status;         /* sm_status */
    int items, dropped; /* a batch's items written, and refused on re-queue */
} attempt;

typedef struct run_cfg {
    const char *urls[MAX_NODES]; /* with the store options appended */
    int nodes, per_node, n, wl;
    int batch; /* > 0: batches of this many */
} run_cfg;

/* Send one attempt record (small enough to be atomic on a pipe). */
static void report(int fd, const attempt *a)
{
    if (write(fd, a, sizeof *a) != (ssize_t)sizeof *a)
        exit(5);
}

/* One transition of parent p, each attempt reported; up to 100 tries. */
static void one(const sm_def *d, sm_store *s, int64_t p, int w, int fd)
{
    tlog l = {0};
    sm_machine *m = NULL;
    attempt a = {p, bench_now(), 0, w, SM_OK, 1, 0};
    if (sm_machine_open(&m, d, s, p, &l) != SM_OK) {
        fprintf(stderr, "worker %d: %s\n", w, sm_store_errmsg(s));
        exit(3);
    }
    for (int k = 0; k < 100; k++) {
        int to = sm_current_state(m) == CHECKING_OUT ? FAILED : CHECKING_OUT;
        a.status = (int)sm_transition_to(m, to, NULL);
        a.t1 = bench_now();
        report(fd, &a);
        if (a.status != SM_E_CONFLICT && a.status != SM_E_DEADLOCK &&
            !sm_status_retryable((sm_status)a.status))
            break;
        a.t0 = a.t1; /* the failed attempt reloaded the machine */
    }
    sm_machine_close(m);
}

/* Transitions i.. of worker w as one batch of up to cfg->batch distinct
 * parents, committed with up to 100 commits; reported as one record.
 * Returns how many transitions it stood for. */
static int one_batch(const run_cfg *cfg, const sm_def *d, sm_store *s, int w,
                     int i, int fd)
{
    int n = cfg->n - i < cfg->batch ? cfg->n - i : cfg->batch;
    sm_machine *m[n];
    sm_batch *b = NULL;
    tlog l = {0};
    attempt a = {0, bench_now(), 0, w, SM_OK, 0, 0};
    if (sm_batch_begin(&b, s) != SM_OK)
        exit(3);
    for (int j = 0; j < n; j++) {
        sm_status st;
        do { /* a parent another of this batch's machines has: pick again */
            if (sm_machine_open(&m[j], d, s, bench_pick(cfg->wl, w, i + j),
                                &l) != SM_OK)
                exit(3);
            int to =
                sm_current_state(m[j]) == CHECKING_OUT ? FAILED : CHECKING_OUT;
            st = sm_batch_transition_to(b, m[j], to, NULL);
            if (st != SM_OK)
                sm_machine_close(m[j]);
            if (st != SM_OK && st != SM_E_ARG)
                exit(3);
        } while (st != SM_OK);
    }
    a.status = (int)sm_batch_commit_retry(b, 100);
    a.t1 = bench_now();
    a.dropped = (int)sm_batch_failures(b, NULL);
    a.items = a.status == SM_OK ? n - a.dropped : 0;
    if (a.status != SM_OK)
        fprintf(stderr, "worker %d: %s\n", w, sm_batch_errmsg(b));
    report(fd, &a);
    sm_batch_free(b);
    for (int j = 0; j < n; j++)
        sm_machine_close(m[j]);
    return n;
}

/* Worker w of cfg: n transitions on node w % nodes. */
static void worker(const run_cfg *cfg, const sm_def *d, int w, int fd)
{
    sm_store *s = NULL;
    if (sm_store_open(&s, cfg->urls[w % cfg->nodes]) != SM_OK) {
        fprintf(stderr, "worker %d: %s\n", w, sm_store_errmsg(s));
        exit(2);
    }
    srand((unsigned)w * 7919u + 1u);
    for (int i = 0; i < cfg->n;)
        if (cfg->batch)
            i += one_batch(cfg, d, s, w, i, fd);
        else
            one(d, s, bench_pick(cfg->wl, w, i++), w, fd);
    sm_store_close(s);
    exit(0);
}

/* The abort counters of the wsrep provider and InnoDB, summed. */
typedef struct wsrep_counters {
    double cert_failures, bf_aborts, replays, innodb_deadlocks;
} wsrep_counters;

static wsrep_counters wsrep_read(MYSQL *c)
{
    static const char *const names[] = {
        "wsrep_local_cert_failures", "wsrep_local_bf_aborts",
        "wsrep_local_replays", "Innodb_deadlocks"};
    double v[4];
    bench_status(c, names, 4, v);
    return (wsrep_counters){v[0], v[1], v[2], v[3]};
}

/* The counters of every node in c[0..n), summed. */
static wsrep_counters wsrep_sum(MYSQL **c, int n)
{
    wsrep_counters s = {0};
    for (int i = 0; i < n; i++) {
        wsrep_counters k = wsrep_read(c[i]);
        s.cert_failures += k.cert_failures, s.bf_aborts += k.bf_aborts;
        s.replays += k.replays, s.innodb_deadlocks += k.innodb_deadlocks;
    }
    return s;
}

/* Attempts by (parent, start). */
static int by_parent(const void *x, const void *y)
{
    const attempt *a = x, *b = y;
    if (a->parent != b->parent)
        return a->parent < b->parent ? -1 : 1;
    return a->t0 < b->t0 ? -1 : a->t0 > b->t0;
}

/*
 * Attempts whose window [t0, t1] overlaps an attempt of another worker
 * on the same parent: the races no protocol can avoid. v is sorted.
 */
static long touched(const attempt *v, size_t n)
{
    long hits = 0;
    for (size_t i = 0; i < n; i++) {
        bool hit = false;
        for (size_t j = i; !hit && j-- > 0 && v[j].parent == v[i].parent;)
            hit = v[j].worker != v[i].worker && v[j].t1 > v[i].t0;
        for (size_t j = i + 1;
             !hit && j < n && v[j].parent == v[i].parent && v[j].t0 < v[i].t1;
             j++)
            hit = v[j].worker != v[i].worker;
        hits += hit;
    }
    return hits;
}

/* Read every attempt record from fd until EOF; *n records. */
static attempt *collect(int fd, size_t *n)
{
    size_t cap = 1024;
    attempt *v = malloc(cap * sizeof *v);
    *n = 0;
    while (v && read(fd, &v[*n], sizeof *v) == (ssize_t)sizeof *v)
        if (++*n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
    if (!v)
        exit(1);
    return v;
}

/* The outcome counts of a run. */
typedef struct outcome {
    long ok, conflicts, deadlocks, cluster, failed, attempts, touched;
    long dropped; /* batches: items refused on re-queue */
} outcome;

static outcome tally(attempt *v, size_t n)
{
    outcome o = {0};
    o.attempts = (long)n;
    for (size_t i = 0; i < n; i++) {
        sm_status st = (sm_status)v[i].status;
        o.ok += st == SM_OK ? v[i].items : 0;
        o.dropped += v[i].dropped;
        o.conflicts += st == SM_E_CONFLICT;
        o.deadlocks += st == SM_E_DEADLOCK;
        o.cluster += st != SM_E_CONFLICT && st != SM_E_DEADLOCK &&
                     sm_status_retryable(st);
        o.failed += st != SM_OK && st != SM_E_CONFLICT && st != SM_E_DEADLOCK &&
                    !sm_status_retryable(st);
    }
    qsort(v, n, sizeof *v, by_parent);
    o.touched = n && v[0].parent ? touched(v, n) : 0; /* batches: none */
    return o;
}

/* Fork the workers of cfg, wait for them; the attempts and seconds. */
static attempt *run_workers(const run_cfg *cfg, const sm_def *d, size_t *n,
                            double *secs)
{
    int fds[2], procs = cfg->nodes * cfg->per_node;
    if (pipe(fds) != 0)
        exit(1);
    double t0 = bench_now();
    for (int w = 0; w < procs; w++)
        if (fork() == 0)
            close(fds[0]), worker(cfg, d, w, fds[1]);
    close(fds[1]);
    attempt *v = collect(fds[0], n);
    close(fds[0]);
    for (int w = 0; w < procs; w++) {
        int status;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fprintf(stderr, "bench_mysql: a worker failed\n");
    }
    *secs = bench_now() - t0;
    return v;
}

/* A batch run's line: its transitions, batches, failed batches (their
 * last commit's status), items refused on re-queue; the counters. */
static void print_batch(const run_cfg *cfg, const char *mode, const outcome *o,
                        const wsrep_counters *k, double secs)
{
    printf("{\"cluster\":true,\"mode\":\"%s\",\"workload\":\"%s\","
           "\"nodes\":%d,\"procs_per_node\":%d,\"batch\":%d,"
           "\"transitions\":%ld,\"tps\":%.0f,\"batches\":%ld,"
           "\"failed_batches\":%ld,\"dropped\":%ld,\"cert_failures\":%.0f,"
           "\"bf_aborts\":%.0f,\"replays\":%.0f,\"innodb_deadlocks\":%.0f}\n",
           mode, bench_workloads[cfg->wl], cfg->nodes, cfg->per_node,
           cfg->batch, o->ok, o->ok / secs, o->attempts,
           o->failed + o->conflicts + o->deadlocks + o->cluster, o->dropped,
           k->cert_failures, k->bf_aborts, k->replays, k->innodb_deadlocks);
    fflush(stdout);
}

static void print(const run_cfg *cfg, const char *mode, const outcome *o,
                  const wsrep_counters *k, double secs)
{
    if (cfg->batch) {
        print_batch(cfg, mode, o, k, secs);
        return;
    }
    double ok = o->ok ? (double)o->ok : 1;
    long aborts = o->deadlocks + o->cluster;
    printf("{\"cluster\":true,\"mode\":\"%s\",\"workload\":\"%s\","
           "\"nodes\":%d,\"procs_per_node\":%d,\"transitions\":%ld,"
           "\"failed\":%ld,\"tps\":%.0f,\"aborts\":%ld,"
           "\"abort_rate\":%.5f,\"deadlocks\":%ld,\"cluster_conflicts\":%ld,"
           "\"conflicts\":%ld,\"retries\":%ld,\"touched\":%ld,"
           "\"touch_rate\":%.5f,\"cert_failures\":%.0f,\"bf_aborts\":%.0f,"
           "\"replays\":%.0f,\"innodb_deadlocks\":%.0f}\n",
           mode, bench_workloads[cfg->wl], cfg->nodes, cfg->per_node, o->ok,
           o->failed, o->ok / secs, aborts, aborts / ok, o->deadlocks,
           o->cluster, o->conflicts, o->attempts - o->ok - o->failed,
           o->touched, o->touched / ok, k->cert_failures, k->bf_aborts,
           k->replays, k->innodb_deadlocks);
    fflush(stdout);
}

/* Recreate the table on node 1; wait until every node has applied it
 * (a causal read), or a worker could open a machine before it exists. */
static void reset(MYSQL **c)
{
    char sql[2048];
    bench_exec(c[0], "DROP TABLE IF EXISTS bench_transitions");
    sm_ddl_format(sql, sizeof sql, "bench_transitions", "order_id");
    bench_exec(c[0], sql);
    for (int i = 0; i < MAX_NODES; i++) {
        bench_exec(c[i], "SET SESSION wsrep_sync_wait = 1");
        bench_exec(c[i], "SELECT COUNT(*) FROM bench_transitions");
        mysql_free_result(mysql_store_result(c[i]));
        bench_exec(c[i], "SET SESSION wsrep_sync_wait = 0");
    }
}

/* One run of cfg: reset the table, run, print. */
static void run(run_cfg *cfg, MYSQL **c, const char *mode)
{
    reset(c);
    sm_def d = tdef_order;
    d.table = "bench_transitions";
    wsrep_counters a = wsrep_sum(c, MAX_NODES);
    size_t n;
    double secs;
    attempt *v = run_workers(cfg, &d, &n, &secs);
    wsrep_counters b = wsrep_sum(c, MAX_NODES);
    wsrep_counters k = {b.cert_failures - a.cert_failures,
                        b.bf_aborts - a.bf_aborts, b.replays - a.replays,
                        b.innodb_deadlocks - a.innodb_deadlocks};
    outcome o = tally(v, n);
    free(v);
    print(cfg, mode, &o, &k, secs);
}

/* url with "&opts" or "?opts" appended, in a new string. */
static char *with_opts(const char *url, const char *opts)
{
    size_t n = strlen(url) + strlen(opts) + 2;
    char *u = malloc(n);
    if (!u)
        exit(1);
    snprintf(u, n, "%s%s%s", url, strchr(url, '?') ? "&" : "?", opts);
    return u;
}

int bench_cluster(const char *const urls[MAX_NODES], int n, int per_node,
                  const char *mode, const char *opts, const char *only_w,
                  int only_nodes, int batch)
{
    char o[512];
    snprintf(o, sizeof o, "gaplock=%s%s%s", mode, *opts ? "&" : "", opts);
    run_cfg cfg = {{NULL}, 0, per_node, n, 0, 0};
    MYSQL *c[MAX_NODES];
    for (int i = 0; i < MAX_NODES; i++) {
        cfg.urls[i] = with_opts(urls[i], o);
        c[i] = bench_connect(urls[i]);
    }
    for (cfg.nodes = 1; cfg.nodes <= MAX_NODES; cfg.nodes++)
        for (cfg.wl = 0; cfg.wl < 3; cfg.wl++)
            if ((!only_nodes || only_nodes == cfg.nodes) &&
                (!only_w || !strcmp(only_w, bench_workloads[cfg.wl]))) {
                cfg.batch = 0;
                run(&cfg, c, mode);
                cfg.batch = batch;
                if (batch && cfg.wl != HOT) /* two parents: no batch of K */
                    run(&cfg, c, mode);
            }
    for (int i = 0; i < MAX_NODES; i++) {
        mysql_close(c[i]);
        free((char *)cfg.urls[i]);
    }
    return 0;
}
