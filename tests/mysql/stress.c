/*
 * stress.c - forked writers and the invariants behind test_stress and
 * the Galera tests. A worker writes single transitions or batches and
 * reports every acknowledged transition (its metadata and the id its
 * machine was given) through a pipe; the parent then looks for each one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "stress.h"

enum { TRIES = 50, REC = 64 };

/* The next state of the order machine's cycle from cur. */
static int next_state(int cur)
{
    return cur == CHECKING_OUT ? FAILED : CHECKING_OUT;
}

/* The parent of worker w's i-th transition under workload wl. */
static int64_t pick(int wl, int w, int i)
{
    if (wl == STRESS_FRESH)
        return (int64_t)(w + 1) * 100000 + i;
    if (wl == STRESS_HOT)
        return 1 + rand() % 2;
    return 1 + rand() % 1000;
}

/* Count st in t; false unless it is retryable. */
static bool count(stress_tally *t, sm_status st)
{
    t->conflicts += st == SM_E_CONFLICT;
    t->deadlocks += st == SM_E_DEADLOCK;
    t->cluster += st == SM_E_CLUSTER_CONFLICT;
    return sm_status_retryable(st);
}

/* One transition on parent p, retrying the lost races; *id is the
 * acknowledged row's, 0 when none was. */
static void one(int64_t *id, const stress_cfg *cfg, const sm_def *d,
                sm_store *s, int64_t p, const char *md, stress_tally *t)
{
    *id = 0;
    tlog l = {0};
    sm_machine *m = NULL;
    sm_status st = sm_machine_open(&m, d, s, p, &l);
    for (int k = 0; st == SM_OK && k < TRIES; k++) {
        st = sm_transition_to(m, next_state(sm_current_state(m)), md);
        if (st == SM_OK) {
            t->acks++;
            *id = sm_last_transition(m)->id;
            break;
        }
        if (count(t, st))
            st = SM_OK; /* lost a race: try again */
    }
    if (st == SM_E_STORE && cfg->lenient)
        t->lost++;
    else if (st != SM_OK) {
        fprintf(stderr, "worker: %s %s\n", sm_status_name(st),
                m ? sm_errmsg(m) : sm_store_errmsg(s));
        exit(4);
    }
    sm_machine_close(m);
}

/* Odd workers run wrapped on their own raw connection when cfg->opts
 * is set, so they can see that no transaction is left open on it. */
static sm_store *worker_store(const stress_cfg *cfg, int w, MYSQL **raw)
{
    sm_store *s = NULL;
    const char *url = cfg->urls[(size_t)w % cfg->nurls];
    *raw = cfg->opts && w % 2 ? mt_connect_url(url) : NULL;
    sm_status st =
        *raw ? sm_mysql_wrap(&s, *raw, cfg->opts) : sm_store_open(&s, url);
    if (st != SM_OK) {
        fprintf(stderr, "worker %d: %s\n", w, sm_store_errmsg(s));
        exit(2);
    }
    return s;
}

/* Exit 6 if raw has a transaction open (client flag or server view:
 * @@in_transaction, not information_schema.innodb_trx, which InnoDB
 * refreshes at most every 100 ms and so may still list the transaction
 * the worker has just committed). */
static void check_no_tx(MYSQL *raw)
{
    if (!raw)
        return;
    if ((raw->server_status & SERVER_STATUS_IN_TRANS) ||
        mt_scalar(raw, "SELECT @@in_transaction") != 0) {
        fprintf(stderr, "worker: a transaction is left open\n");
        exit(6);
    }
    mysql_close(raw);
}

/* Write one REC-byte record (atomic on a pipe). */
static void send_rec(int fd, const char *rec)
{
    char b[REC] = {0};
    snprintf(b, sizeof b, "%s", rec);
    if (write(fd, b, sizeof b) != (ssize_t)sizeof b)
        exit(5);
}

/* Report an acknowledged row: its metadata and the id it was given. */
static void send_ack(int fd, const char *md, int64_t id)
{
    char rec[REC];
    snprintf(rec, sizeof rec, "%.40s %lld", md, (long long)id);
    send_rec(fd, rec);
}

/* One item of a batch: its machine, metadata, and whether queued. */
typedef struct item {
    sm_machine *m;
    char md[REC];
    bool queued;
} item;

/* Exit 4 saying why call failed with st. */
static void die(const char *call, sm_status st, const char *why)
{
    fprintf(stderr, "worker: %s: %s %s\n", call, sm_status_name(st), why);
    exit(4);
}

/* Queue it's machine's next move; exit on a refusal. */
static void queue(sm_batch *b, item *it)
{
    sm_status st = sm_batch_transition_to(
        b, it->m, next_state(sm_current_state(it->m)), it->md);
    if (st != SM_OK)
        die("queue", st, sm_batch_errmsg(b));
    it->queued = true;
}

/* Exit 7 if a commit that failed wrote an item after all: its machine,
 * reloaded, shows the item's row (its metadata is the item's alone). */
static void check_unwritten(const item *v, int n, const char *why)
{
    for (int i = 0; i < n; i++) {
        const sm_transition *last = sm_last_transition(v[i].m);
        if (last && strcmp(last->metadata, v[i].md) == 0) {
            fprintf(stderr, "worker: a failed commit wrote %s: %s\n", v[i].md,
                    why);
            exit(7);
        }
    }
}

/* Wait *ms (then twice as long next time, up to 256 ms): a failure
 * that named no item met a row another transaction holds, and a batch
 * does not wait for it (on a cluster noticing a dead node, seconds). */
static void back_off(int *ms)
{
    struct timespec ts = {*ms / 1000, (long)(*ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    *ms = *ms * 2 > 256 ? 256 : *ms * 2;
}

/* Commit b until v[0..n) are all written; the items a failed commit
 * names (reloaded) are queued again, the others stay queued (and when
 * none is named, b waits before committing again). False when a lost
 * node ended it (lenient only: its fate is unknown). */
static bool commit_all(const stress_cfg *cfg, sm_batch *b, item *v, int n,
                       stress_tally *t)
{
    int wait_ms = 1;
    for (int k = 0; k < TRIES; k++) {
        sm_status st = sm_batch_commit(b);
        if (st == SM_OK)
            return true;
        check_unwritten(v, n, sm_batch_errmsg(b));
        if (st == SM_E_STORE && cfg->lenient)
            return false;
        if (!count(t, st))
            die("commit", st, sm_batch_errmsg(b));
        const sm_batch_failure *f;
        size_t nf = sm_batch_failures(b, &f);
        for (size_t j = 0; j < nf; j++)
            if (!sm_status_retryable(f[j].status))
                die("commit's failure", f[j].status, f[j].message);
        if (!nf)
            back_off(&wait_ms);
        for (size_t j = 0; j < nf; j++)
            for (int i = 0; i < n; i++)
                if (v[i].m == f[j].machine && sm_status_retryable(f[j].status))
                    queue(b, &v[i]);
    }
    die("commit: every try failed, the last", SM_E_CONFLICT,
        sm_batch_errmsg(b));
    return false;
}

/* The parents of a batch of n items from transition i on: n distinct
 * ones of the workload's. */
static void pick_batch(int wl, int w, int i, int64_t *p, int n)
{
    for (int j = 0; j < n; j++) {
        bool dup = true;
        while (dup) {
            p[j] = pick(wl, w, i + j);
            dup = false;
            for (int k = 0; k < j; k++)
                dup |= p[k] == p[j];
        }
    }
}

/* Transitions i.. of worker w as one batch of up to cfg->batch items,
 * each sent to fd once committed; returns how many. */
static int one_batch(const stress_cfg *cfg, const sm_def *d, sm_store *s, int w,
                     int i, int fd, stress_tally *t)
{
    int n = cfg->per - i < cfg->batch ? cfg->per - i : cfg->batch;
    if (cfg->workload == STRESS_HOT && n > 2)
        n = 2; /* two parents to pick from */
    int64_t p[n];
    item v[n];
    tlog l = {0};
    sm_batch *b = NULL;
    sm_status st = sm_batch_begin(&b, s);
    if (st != SM_OK)
        die("begin", st, sm_store_errmsg(s));
    pick_batch(cfg->workload, w, i, p, n);
    for (int j = 0; j < n; j++) {
        memset(&v[j], 0, sizeof v[j]);
        snprintf(v[j].md, sizeof v[j].md, "{\"w\":%d,\"s\":%d}", w, i + j);
        if ((st = sm_machine_open(&v[j].m, d, s, p[j], &l)) != SM_OK)
            die("open", st, sm_store_errmsg(s));
        queue(b, &v[j]);
    }
    bool written = commit_all(cfg, b, v, n, t);
    for (int j = 0; j < n; j++) {
        if (written)
            send_ack(fd, v[j].md, sm_last_transition(v[j].m)->id);
        t->acks += written, t->lost += !written;
        sm_machine_close(v[j].m);
    }
    sm_batch_free(b);
    return n;
}

/* A worker: cfg->per transitions, one by one or in batches, each
 * acknowledged one sent to fd, then its tally. */
static void worker(const stress_cfg *cfg, const sm_def *d, int w, int fd)
{
    MYSQL *raw;
    sm_store *s = worker_store(cfg, w, &raw);
    srand((unsigned)w * 7919u + 1u);
    stress_tally t = {0};
    for (int i = 0; i < cfg->per;) {
        if (cfg->batch > 0 && w >= cfg->singles) {
            i += one_batch(cfg, d, s, w, i, fd, &t);
            continue;
        }
        char md[REC];
        snprintf(md, sizeof md, "{\"w\":%d,\"s\":%d}", w, i);
        int64_t id;
        one(&id, cfg, d, s, pick(cfg->workload, w, i++), md, &t);
        if (id)
            send_ack(fd, md, id);
    }
    char sum[REC];
    snprintf(sum, sizeof sum, "T %ld %ld %ld %ld", t.conflicts, t.deadlocks,
             t.cluster, t.lost);
    send_rec(fd, sum);
    sm_store_close(s);
    check_no_tx(raw);
    exit(0);
}

/* The acknowledged metadata read from fd, one REC each; tallies summed. */
static char *collect(const stress_cfg *cfg, int fd, stress_tally *t)
{
    size_t cap = (size_t)(cfg->procs * cfg->per) + 1;
    char *acked = calloc(cap, REC), rec[REC];
    stress_tally one;
    assert_non_null(acked);
    while (read(fd, rec, sizeof rec) == (ssize_t)sizeof rec) {
        if (sscanf(rec, "T %ld %ld %ld %ld", &one.conflicts, &one.deadlocks,
                   &one.cluster, &one.lost) == 4) {
            t->conflicts += one.conflicts, t->deadlocks += one.deadlocks;
            t->cluster += one.cluster, t->lost += one.lost;
            continue;
        }
        assert_true((size_t)t->acks < cap);
        memcpy(acked + (size_t)t->acks++ * REC, rec, REC);
        if (cfg->on_ack)
            cfg->on_ack(t->acks, cfg->ctx);
    }
    return acked;
}

/* Each row's from_state is its predecessor's to_state, legally, and
 * sort keys run 10, 20, ... per parent. */
static void check_chain(MYSQL *c, const sm_def *d, const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT order_id, sort_key, from_state, "
             "to_state FROM %s ORDER BY order_id, sort_key",
             table);
    mt_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row;
    long long parent = -1, want_sk = 10;
    char prev[64] = "";
    int from = d->initial;
    while ((row = mysql_fetch_row(r))) {
        if (atoll(row[0]) != parent) {
            parent = atoll(row[0]), want_sk = 10, from = d->initial;
            snprintf(prev, sizeof prev, "%s", d->state_names[d->initial]);
        }
        assert_int_equal(atoll(row[1]), want_sk);
        assert_string_equal(row[2], prev);
        int to = sm_def_state_index(d, row[3]);
        assert_true(sm_def_allows(d, from, to));
        snprintf(prev, sizeof prev, "%s", row[3]);
        from = to, want_sk += 10;
    }
    mysql_free_result(r);
}

/* One most_recent per parent, on its highest sort_key. */
static void check_most_recent(MYSQL *c, const char *table)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM (SELECT order_id, "
             "MAX(sort_key) mx, SUM(most_recent = 1) n, MAX(IF(most_recent "
             "= 1, sort_key, NULL)) mr FROM %s GROUP BY order_id) x WHERE "
             "n <> 1 OR mr <> mx",
             table);
    assert_int_equal(mt_scalar(c, sql), 0);
}

/* Every invariant of the run on the server behind c; its row count. */
static int64_t check(MYSQL *c, const sm_def *d, const char *table,
                     const char *acked, const stress_tally *t)
{
    char sql[256], md[REC];
    for (long i = 0; i < t->acks; i++) {
        long long id = 0;
        if (sscanf(acked + (size_t)i * REC, "%63s %lld", md, &id) != 2)
            fail_msg("bad record '%s'", acked + (size_t)i * REC);
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM %s WHERE metadata = '%s' AND id = %lld",
                 table, md, id);
        if (mt_scalar(c, sql) != 1)
            fail_msg("%s: acknowledged row %s (id %lld) missing", table, md,
                     id);
    }
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    int64_t rows = mt_scalar(c, sql);
    assert_true(rows >= t->acks && rows <= t->acks + t->lost);
    check_chain(c, d, table);
    check_most_recent(c, table);
    return rows;
}

/* The table on every server: empty, and so created everywhere. */
static sm_def create(const stress_cfg *cfg, const char *table)
{
    char sql[128];
    MYSQL *c = cfg->node(0);
    sm_def d = cfg->create ? cfg->create(c, table) : mt_def(c, table, "orders");
    mysql_close(c);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    for (size_t i = 0; i < cfg->nnodes; i++) {
        c = cfg->node(i);
        assert_int_equal(mt_scalar(c, sql), 0);
        mysql_close(c);
    }
    return d;
}

stress_tally stress_run(const stress_cfg *cfg, const char *table)
{
    sm_def d = create(cfg, table);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    for (int w = 0; w < cfg->procs; w++)
        if (fork() == 0)
            close(fds[0]), worker(cfg, &d, w, fds[1]);
    close(fds[1]);
    stress_tally t = {0};
    char *acked = collect(cfg, fds[0], &t);
    close(fds[0]);
    for (int w = 0; w < cfg->procs; w++) {
        int status;
        assert_true(wait(&status) > 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    for (size_t i = 0; i < cfg->nnodes; i++) {
        MYSQL *c = cfg->node(i);
        int64_t rows = check(c, &d, table, acked, &t);
        mysql_close(c);
        if (i > 0)
            assert_int_equal(rows, t.rows);
        t.rows = rows;
    }
    free(acked);
    printf("# %s: %ld ok, %ld conflicts, %ld deadlocks, %ld cluster "
           "conflicts, %ld lost\n",
           table, t.acks, t.conflicts, t.deadlocks, t.cluster, t.lost);
    return t;
}
