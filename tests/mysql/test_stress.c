/*
 * test_stress.c - forked workers, one connection each, per gap-lock mode
 * and workload (fresh parents, random parents of 1000, two hot parents).
 * Afterwards every acknowledged transition is in the table, each parent
 * has one most_recent on its highest sort_key, and each row legally
 * follows the previous one, and the wrapped (odd) workers end with no
 * transaction open. pk must see zero deadlocks; others are reported.
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

enum { PROCS = 3, PER = 40, TRIES = 50 };
enum { FRESH, RANDOM, HOT };

typedef struct tally {
    long ok, deadlocks, conflicts;
} tally;

/* The next state of the order machine's cycle from cur. */
static int next_state(int cur)
{
    return cur == CHECKING_OUT ? FAILED : CHECKING_OUT;
}

/* The parent of worker w's i-th transition under workload wl. */
static int64_t pick(int wl, int w, int i)
{
    if (wl == FRESH)
        return (int64_t)(w + 1) * 100000 + i;
    if (wl == HOT)
        return 1 + rand() % 2;
    return 1 + rand() % 1000;
}

/* One transition on parent p, retrying conflicts and deadlocks. */
static void one(const sm_def *d, sm_store *s, int64_t p, const char *md,
                tally *t)
{
    tlog l = {0};
    sm_machine *m = NULL;
    if (sm_machine_open(&m, d, s, p, &l) != SM_OK)
        exit(3);
    for (int k = 0; k < TRIES; k++) {
        sm_status st = sm_transition_to(m, next_state(sm_current_state(m)), md);
        if (st == SM_OK) {
            t->ok++;
            break;
        }
        if (st == SM_E_DEADLOCK)
            t->deadlocks++;
        else if (st == SM_E_CONFLICT)
            t->conflicts++;
        else {
            fprintf(stderr, "worker: %s %s\n", sm_status_name(st),
                    sm_errmsg(m));
            exit(4);
        }
    }
    sm_machine_close(m);
}

/* A worker: PER transitions, each acknowledged one written to fd. */
static void worker(const char *url, const char *opts, const sm_def *d, int wl,
                   int w, int fd)
{
    MYSQL *raw;
    sm_store *s = inv_worker_store(url, opts, w, &raw);
    srand((unsigned)w * 7919u + 1u);
    tally t = {0};
    for (int i = 0; i < PER; i++) {
        char md[64];
        snprintf(md, sizeof md, "{\"w\":%d,\"s\":%d}", w, i);
        long before = t.ok;
        one(d, s, pick(wl, w, i), md, &t);
        if (t.ok == before)
            continue;
        if (write(fd, md, sizeof md) != (ssize_t)sizeof md)
            exit(5);
    }
    char sum[64] = {0};
    snprintf(sum, sizeof sum, "D %ld %ld", t.deadlocks, t.conflicts);
    if (write(fd, sum, sizeof sum) != (ssize_t)sizeof sum)
        exit(5);
    sm_store_close(s);
    inv_close_raw(raw);
    exit(0);
}

/* Assert every acknowledged metadata is a row; sum deadlocks. */
static long collect(MYSQL *c, const char *table, int fd, long *acks)
{
    char rec[64], sql[256];
    long dl = 0, cf = 0, d1, c1;
    while (read(fd, rec, sizeof rec) == (ssize_t)sizeof rec) {
        if (sscanf(rec, "D %ld %ld", &d1, &c1) == 2) {
            dl += d1, cf += c1;
            continue;
        }
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM %s WHERE metadata"
                 " = '%s'",
                 table, rec);
        assert_int_equal(mt_scalar(c, sql), 1);
        (*acks)++;
    }
    printf("# %s: %ld ok, %ld deadlocks, %ld conflicts\n", table, *acks, dl,
           cf);
    return dl;
}

static void run(const char *mode, int wl)
{
    static const char *const wls[] = {"fresh", "random", "hot"};
    char table[64], opts[64];
    snprintf(table, sizeof table, "stress_%s_%s", mode, wls[wl]);
    snprintf(opts, sizeof opts, "gaplock=%s", mode);
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, table, "orders");
    const char *url = mt_url_with(opts);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    for (int w = 0; w < PROCS; w++)
        if (fork() == 0)
            close(fds[0]), worker(url, opts, &d, wl, w, fds[1]);
    close(fds[1]);
    long acks = 0, dl = collect(c, table, fds[0], &acks);
    close(fds[0]);
    for (int w = 0; w < PROCS; w++) {
        int status;
        assert_true(wait(&status) > 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    assert_int_equal(mt_scalar(c, sql), acks);
    assert_int_equal(acks, PROCS * PER);
    inv_check_chain(c, &d, table);
    inv_check_most_recent(c, table);
    if (strcmp(mode, "pk") == 0)
        assert_int_equal(dl, 0);
    mysql_close(c);
}

#define CASE(mode, wl)                                                         \
    static void test_##mode##_##wl(void **st)                                  \
    {                                                                          \
        (void)st;                                                              \
        run(#mode, wl);                                                        \
    }
CASE(pk, FRESH)
CASE(pk, RANDOM)
CASE(pk, HOT)
CASE(statesman, FRESH)
CASE(statesman, RANDOM)
CASE(statesman, HOT)
CASE(none, FRESH)
CASE(none, RANDOM)
CASE(none, HOT)

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_pk_FRESH),
                                       cmocka_unit_test(test_pk_RANDOM),
                                       cmocka_unit_test(test_pk_HOT),
                                       cmocka_unit_test(test_statesman_FRESH),
                                       cmocka_unit_test(test_statesman_RANDOM),
                                       cmocka_unit_test(test_statesman_HOT),
                                       cmocka_unit_test(test_none_FRESH),
                                       cmocka_unit_test(test_none_RANDOM),
                                       cmocka_unit_test(test_none_HOT)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
