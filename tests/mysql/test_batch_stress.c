/*
 * test_batch_stress.c - four forked workers, one connection each (odd
 * ones wrapped), commit batches of 100 random parents out of 1000
 * shared ones, queueing again the items a commit names until every item
 * is written (in one run, two of them write single transitions
 * instead). Afterwards every acknowledged row is in the table and no
 * other, each parent has one most_recent on its highest sort key, the
 * chains are legal, and no wrapped connection holds a transaction. pk,
 * with and without lock_parent, must see zero deadlocks; statesman's
 * per-row statements are reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "invariants.h"

enum { PROCS = 4, BATCHES = 8, SIZE = 100, PARENTS = 1000, TRIES = 100 };
enum { REC = 48 };

typedef struct tally {
    long acks, commits, conflicts, deadlocks, requeued, busy;
} tally;

/* The next state of the order machine's cycle from cur. */
static int next_state(int cur)
{
    return cur == CHECKING_OUT ? FAILED : CHECKING_OUT;
}

/* SIZE distinct parents of 1..PARENTS, in random order. */
static void pick(int64_t *p)
{
    static int64_t all[PARENTS];
    for (int i = 0; i < PARENTS; i++)
        all[i] = i + 1;
    for (int i = 0; i < SIZE; i++) {
        int j = i + rand() % (PARENTS - i);
        int64_t x = all[i];
        all[i] = all[j], all[j] = x;
        p[i] = all[i];
    }
}

/* One batch's items: a machine, its metadata, queued or written. */
typedef struct item {
    sm_machine *m;
    char md[REC];
    bool queued;
} item;

/* Exit the worker with code, saying why. */
static void die(int code, const char *what, sm_status st, const char *why)
{
    fprintf(stderr, "worker: %s: %s %s\n", what, sm_status_name(st), why);
    exit(code);
}

/* Queue its machine's next move; exit on anything but SM_OK. */
static void queue(sm_batch *b, item *it)
{
    sm_status st = sm_batch_transition_to(
        b, it->m, next_state(sm_current_state(it->m)), it->md);
    if (st != SM_OK)
        die(3, "queue", st, sm_batch_errmsg(b));
    it->queued = true;
}

/* Commit until every item is written: the items a failed commit names
 * (reloaded) are queued again; the others stay queued. */
static void commit_all(sm_batch *b, item *v, tally *t)
{
    for (int k = 0; k < TRIES; k++) {
        sm_status st = sm_batch_commit(b);
        t->commits++;
        if (st == SM_OK) {
            for (int i = 0; i < SIZE; i++)
                v[i].queued = false;
            return;
        }
        t->deadlocks += st == SM_E_DEADLOCK;
        if (st != SM_E_CONFLICT && st != SM_E_DEADLOCK)
            die(4, "commit", st, sm_batch_errmsg(b));
        const sm_batch_failure *f;
        size_t n = sm_batch_failures(b, &f);
        t->conflicts += (long)n;
        t->busy += st == SM_E_CONFLICT && n == 0;
        for (size_t j = 0; j < n; j++)
            for (int i = 0; i < SIZE; i++)
                if (v[i].m == f[j].machine)
                    t->requeued++, queue(b, &v[i]);
    }
    die(4, "commit", SM_E_CONFLICT, "every try failed");
}

/* One batch of SIZE random parents, reported on fd as each row lands. */
static void one_batch(const sm_def *d, sm_store *s, int w, int r, int fd,
                      tally *t)
{
    int64_t p[SIZE];
    item v[SIZE];
    tlog l = {0};
    sm_batch *b = NULL;
    pick(p);
    sm_status st = sm_batch_begin(&b, s);
    if (st != SM_OK)
        die(3, "begin", st, sm_store_errmsg(s));
    for (int i = 0; i < SIZE; i++) {
        memset(&v[i], 0, sizeof v[i]);
        snprintf(v[i].md, sizeof v[i].md, "{\"w\":%d,\"r\":%d,\"i\":%d}", w, r,
                 i);
        st = sm_machine_open(&v[i].m, d, s, p[i], &l);
        if (st != SM_OK)
            die(3, "open", st, sm_store_errmsg(s));
        queue(b, &v[i]);
    }
    commit_all(b, v, t);
    for (int i = 0; i < SIZE; i++) {
        if (write(fd, v[i].md, REC) != REC)
            exit(5);
        t->acks++;
        sm_machine_close(v[i].m);
    }
    sm_batch_free(b);
}

/* SIZE single transitions of random parents, each retried until it
 * lands, reported on fd as it does. */
static void singles(const sm_def *d, sm_store *s, int w, int r, int fd,
                    tally *t)
{
    for (int i = 0; i < SIZE; i++) {
        item it = {NULL, "", false};
        tlog l = {0};
        snprintf(it.md, sizeof it.md, "{\"w\":%d,\"r\":%d,\"i\":%d}", w, r, i);
        sm_status st = sm_machine_open(&it.m, d, s, 1 + rand() % PARENTS, &l);
        for (int k = 0; st == SM_OK && k < TRIES; k++) {
            st = sm_transition_to(it.m, next_state(sm_current_state(it.m)),
                                  it.md);
            t->commits++;
            t->conflicts += st == SM_E_CONFLICT;
            t->deadlocks += st == SM_E_DEADLOCK;
            if (st == SM_E_CONFLICT || st == SM_E_DEADLOCK)
                st = k + 1 < TRIES ? SM_OK : st;
            else
                break;
        }
        if (st != SM_OK)
            die(4, "single", st, it.m ? sm_errmsg(it.m) : sm_store_errmsg(s));
        if (write(fd, it.md, REC) != REC)
            exit(5);
        t->acks++;
        sm_machine_close(it.m);
    }
}

/* A worker: BATCHES batches (or as many rounds of single transitions
 * when it is one of the last `nsingle` workers), then its tally. */
static int g_singles;
static void worker(const char *url, const char *opts, const sm_def *d, int w,
                   int fd)
{
    MYSQL *raw;
    sm_store *s = inv_worker_store(url, opts, w, &raw);
    srand((unsigned)w * 7919u + 3u);
    tally t = {0};
    for (int r = 0; r < BATCHES; r++)
        if (w >= PROCS - g_singles)
            singles(d, s, w, r, fd, &t);
        else
            one_batch(d, s, w, r, fd, &t);
    char sum[REC] = {0};
    snprintf(sum, sizeof sum, "T %ld %ld %ld %ld %ld", t.commits, t.conflicts,
             t.deadlocks, t.requeued, t.busy);
    if (write(fd, sum, REC) != REC)
        exit(5);
    sm_store_close(s);
    inv_close_raw(raw);
    exit(0);
}

/* Read every worker's records: each acknowledged row must be in table
 * once; returns the summed tally. */
static tally collect(MYSQL *c, const char *table, int fd)
{
    char rec[REC], sql[256];
    tally t = {0}, one;
    while (read(fd, rec, REC) == REC) {
        if (sscanf(rec, "T %ld %ld %ld %ld %ld", &one.commits, &one.conflicts,
                   &one.deadlocks, &one.requeued, &one.busy) == 5) {
            t.commits += one.commits, t.conflicts += one.conflicts;
            t.deadlocks += one.deadlocks, t.requeued += one.requeued;
            t.busy += one.busy;
            continue;
        }
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM %s WHERE metadata = '%s'", table, rec);
        assert_int_equal(mt_scalar(c, sql), 1);
        t.acks++;
    }
    return t;
}

/* The parent table of lock_parent=1: rows 1..PARENTS. */
static void parents(MYSQL *c)
{
    mt_exec(c, "DROP TABLE IF EXISTS bs_parents");
    mt_exec(c, "CREATE TABLE bs_parents (id BIGINT PRIMARY KEY)");
    mt_exec(c, "INSERT INTO bs_parents SELECT seq FROM seq_1_to_1000");
}

/* Run the workers with options opts on table; returns the tally. */
static tally run(const char *table, const char *opts)
{
    MYSQL *c = mt_connect();
    parents(c);
    sm_def d = mt_def(c, table, "bs_parents");
    const char *url = mt_url_with(opts);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    for (int w = 0; w < PROCS; w++)
        if (fork() == 0)
            close(fds[0]), worker(url, opts, &d, w, fds[1]);
    close(fds[1]);
    tally t = collect(c, table, fds[0]);
    close(fds[0]);
    for (int w = 0; w < PROCS; w++) {
        int status;
        assert_true(wait(&status) > 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    assert_int_equal(t.acks, PROCS * BATCHES * SIZE);
    assert_int_equal(mt_scalar(c, sql), t.acks);
    inv_check_chain(c, &d, table);
    inv_check_most_recent(c, table);
    printf("# %s (%s): %ld rows, %ld commits, %ld items named (%ld queued "
           "again), %ld commits met a held row, %ld deadlocks\n",
           table, opts, t.acks, t.commits, t.conflicts, t.requeued, t.busy,
           t.deadlocks);
    mysql_close(c);
    return t;
}

static void test_pk(void **st)
{
    (void)st;
    assert_int_equal(run("bs_pk", "gaplock=pk").deadlocks, 0);
}

static void test_pk_lock_parent(void **st)
{
    (void)st;
    assert_int_equal(run("bs_lp", "gaplock=pk&lock_parent=1").deadlocks, 0);
}

/* Two workers commit batches while two write single transitions. */
static void test_pk_with_singles(void **st)
{
    (void)st;
    g_singles = 2;
    assert_int_equal(run("bs_mix", "gaplock=pk").deadlocks, 0);
    g_singles = 0;
}

static void test_statesman(void **st)
{
    (void)st;
    run("bs_sm", "gaplock=statesman");
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_pk),
                                       cmocka_unit_test(test_pk_lock_parent),
                                       cmocka_unit_test(test_pk_with_singles),
                                       cmocka_unit_test(test_statesman)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
