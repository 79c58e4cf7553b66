/*
 * test_stress.c - forked workers, one connection each, per gap-lock mode
 * and workload (fresh parents, random parents of 1000, two hot parents).
 * Afterwards every acknowledged transition is in the table, each parent
 * has one most_recent on its highest sort_key, and each row legally
 * follows the previous one, and the wrapped (odd) workers end with no
 * transaction open. pk must see zero deadlocks, on the bare table and
 * on the default schema (parent table, foreign key, CHECK); others are
 * reported.
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

#include "mtest.h"

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

/* Odd workers run wrapped on their own raw connection, so they can see
 * that no transaction is left open on it at the end. */
static sm_store *worker_store(const char *url, const char *opts, int w,
                              MYSQL **raw)
{
    sm_store *s = NULL;
    *raw = w % 2 ? mt_connect() : NULL;
    sm_status st =
        *raw ? sm_mysql_wrap(&s, *raw, opts) : sm_store_open(&s, url);
    if (st != SM_OK)
        exit(2);
    return s;
}

/* Exit 6 if raw has a transaction open (client flag or server view). */
static void check_no_tx(MYSQL *raw)
{
    if (!raw)
        return;
    if ((raw->server_status & SERVER_STATUS_IN_TRANS) ||
        mt_scalar(raw, "SELECT COUNT(*) FROM information_schema.innodb_trx"
                       " WHERE trx_mysql_thread_id = CONNECTION_ID()") != 0)
        exit(6);
    mysql_close(raw);
}

/* A worker: PER transitions, each acknowledged one written to fd. */
static void worker(const char *url, const char *opts, const sm_def *d, int wl,
                   int w, int fd)
{
    MYSQL *raw;
    sm_store *s = worker_store(url, opts, w, &raw);
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
    check_no_tx(raw);
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

/* Each row's from_state is its predecessor's to_state, legally. */
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
    const char *prev = d->state_names[d->initial];
    char prevbuf[64];
    int from = d->initial;
    while ((row = mysql_fetch_row(r))) {
        if (atoll(row[0]) != parent)
            parent = atoll(row[0]), want_sk = 10, from = d->initial,
            prev = d->state_names[d->initial];
        assert_int_equal(atoll(row[1]), want_sk);
        assert_string_equal(row[2], prev);
        int to = row[3][0] == 'c' ? CHECKING_OUT : FAILED;
        assert_string_equal(row[3], d->state_names[to]);
        assert_true(sm_def_allows(d, from, to));
        snprintf(prevbuf, sizeof prevbuf, "%s", row[3]);
        prev = prevbuf, from = to, want_sk += 10;
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

/*
 * The full schema smcc emits by default, on `table` and `parents`: the
 * parent table (holding every parent a workload picks), the foreign key
 * (each INSERT reads the parent row) and the CHECK.
 */
static sm_def full_schema(MYSQL *c, const char *table, const char *parents)
{
    char sql[256];
    sm_def d = tdef_order;
    d.table = table;
    d.parent_table = parents;
    d.schema = SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY | SM_SCHEMA_STATE_CHECK;
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`, `%s`", table,
             parents);
    mt_exec(c, sql);
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    sm_store_close(s);
    snprintf(sql, sizeof sql,
             "INSERT INTO `%s` (id) SELECT seq FROM seq_1_to_1000 UNION "
             "SELECT w.seq * 100000 + i.seq FROM seq_1_to_%d w, seq_0_to_%d i",
             parents, PROCS, PER - 1);
    mt_exec(c, sql);
    return d;
}

static void run(const char *mode, int wl, bool full)
{
    static const char *const wls[] = {"fresh", "random", "hot"};
    char table[64], opts[64], parents[80];
    snprintf(table, sizeof table, "stress_%s_%s%s", mode, wls[wl],
             full ? "_full" : "");
    snprintf(parents, sizeof parents, "%s_parents", table);
    snprintf(opts, sizeof opts, "gaplock=%s", mode);
    MYSQL *c = mt_connect();
    sm_def d =
        full ? full_schema(c, table, parents) : mt_def(c, table, "orders");
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
    check_chain(c, &d, table);
    check_most_recent(c, table);
    if (strcmp(mode, "pk") == 0)
        assert_int_equal(dl, 0);
    mysql_close(c);
}

#define CASE(mode, wl)                                                         \
    static void test_##mode##_##wl(void **st)                                  \
    {                                                                          \
        (void)st;                                                              \
        run(#mode, wl, false);                                                 \
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

/* pk on the default schema: the foreign key's read of the parent row
 * adds no deadlock. */
static void test_pk_full_RANDOM(void **st)
{
    (void)st;
    run("pk", RANDOM, true);
}
static void test_pk_full_HOT(void **st)
{
    (void)st;
    run("pk", HOT, true);
}

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
                                       cmocka_unit_test(test_none_HOT),
                                       cmocka_unit_test(test_pk_full_RANDOM),
                                       cmocka_unit_test(test_pk_full_HOT)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
