/*
 * test_batch.c - what a batch writes in the MySQL store and with how
 * many statements: one INSERT ... RETURNING and one UPDATE per chunk in
 * pk mode (ids right even when not consecutive), chunks cut to
 * max_allowed_packet, per-row statements in the legacy modes,
 * lock_parent's locks and its named stale and missing parents, and
 * wrap mode (a savepoint in the caller's transaction).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mtest.h"

/* The INSERT, UPDATE and SELECT statements c has run, read in one
 * SELECT (counted). */
typedef struct counts {
    int64_t insert, update, select;
} counts;

static counts counts_of(MYSQL *c)
{
    mt_exec(c, "SELECT SUM(IF(VARIABLE_NAME = 'COM_INSERT', VARIABLE_VALUE, "
               "0)), SUM(IF(VARIABLE_NAME = 'COM_UPDATE', VARIABLE_VALUE, 0)), "
               "SUM(IF(VARIABLE_NAME = 'COM_SELECT', VARIABLE_VALUE, 0)) FROM "
               "information_schema.SESSION_STATUS");
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
    assert_non_null(row);
    counts k = {atoll(row[0]), atoll(row[1]), atoll(row[2])};
    mysql_free_result(r);
    return k;
}

/* machines m[0..n) of d on s for parents first, first + 1, ... */
static sm_machine **open_all(const sm_def *d, sm_store *s, int64_t first,
                             size_t n, tlog *l)
{
    sm_machine **m = calloc(n, sizeof *m);
    assert_non_null(m);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sm_machine_open(&m[i], d, s, first + (int64_t)i, l),
                         SM_OK);
    return m;
}

static void close_all(sm_machine **m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sm_machine_close(m[i]);
    free(m);
}

/* Queue every machine's move to `to` (metadata md, NULL for none) and
 * commit; assert st. */
static void batch_all(sm_store *s, sm_machine **m, size_t n, int to,
                      const char *md, sm_status want)
{
    sm_batch *b = NULL;
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sm_batch_transition_to(b, m[i], to, md), SM_OK);
    sm_status st = sm_batch_commit(b);
    if (st != want)
        fprintf(stderr, "commit: %s\n", sm_batch_errmsg(b));
    assert_int_equal(st, want);
    sm_batch_free(b);
}

/* Each parent first.. of table: its rows are the machine's, the older
 * one cleared with updated_at = the newer one's created_at. */
static void check_rows(MYSQL *c, const char *table, sm_machine **m, size_t n)
{
    char sql[512];
    for (size_t i = 0; i < n; i++) {
        const sm_transition *t = sm_last_transition(m[i]);
        snprintf(sql, sizeof sql,
                 "SELECT id FROM %s WHERE order_id = %lld AND sort_key = %d "
                 "AND most_recent = 1",
                 table, (long long)t->parent_id, (int)t->sort_key);
        assert_int_equal(mt_scalar(c, sql), t->id);
    }
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM %s a JOIN %s b ON a.order_id = b.order_id "
             "AND b.sort_key = a.sort_key + 10 WHERE a.most_recent IS NOT "
             "NULL OR a.updated_at <> b.created_at",
             table, table);
    assert_int_equal(mt_scalar(c, sql), 0);
}

/*
 * pk on table: k machines (queued out of parent order) through `rounds`
 * batches, ids `step` apart (auto_increment_increment, as on a Galera
 * node; RETURNING makes that harmless): each batch is one INSERT and one
 * UPDATE, and the rows are the machines'.
 */
static void pk_batches(const char *table, int k, int step, int rounds)
{
    char sql[128];
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, table, "orders");
    snprintf(sql, sizeof sql, "SET SESSION auto_increment_increment = %d",
             step);
    mt_exec(c, sql);
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, "gaplock=pk"), SM_OK);
    tlog l = {0};
    sm_machine **m = open_all(&d, s, 1, (size_t)k, &l);
    for (int i = 0; i < k / 2; i++) {
        sm_machine *x = m[i];
        m[i] = m[k - 1 - i], m[k - 1 - i] = x;
    }
    for (int round = 0; round < rounds; round++) {
        counts a = counts_of(c);
        batch_all(s, m, (size_t)k, round % 2 ? FAILED : CHECKING_OUT,
                  "{\"r\":1}", SM_OK);
        counts b = counts_of(c);
        assert_int_equal(b.insert - a.insert, 1);
        assert_int_equal(b.update - a.update, 1);
    }
    snprintf(sql, sizeof sql,
             "SELECT MAX(id) - MIN(id) FROM %s WHERE sort_key = 10", table);
    assert_int_equal(mt_scalar(c, sql), step * (k - 1));
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    assert_int_equal(mt_scalar(c, sql), rounds * k);
    check_rows(c, table, m, (size_t)k);
    assert_false(c->server_status & SERVER_STATUS_IN_TRANS);
    close_all(m, (size_t)k);
    sm_store_close(s);
    mysql_close(c);
}

/* A batch is one INSERT and one UPDATE, whatever its queue order; ids 7
 * apart change nothing. */
static void test_pk_statements(void **st)
{
    (void)st;
    pk_batches("bt_pk", 50, 7, 3);
}

/* A thousand items are still one INSERT and one UPDATE. */
static void test_pk_thousand(void **st)
{
    (void)st;
    pk_batches("bt_k", 1000, 1, 2);
}

/*
 * The flip touches its own rows only: on a small table the optimizer
 * would rather scan the whole primary key for a long IN list, and an
 * UPDATE locks every row it scans. A row of another parent held by
 * another transaction must not stop the batch.
 */
static void test_pk_own_rows_only(void **st)
{
    (void)st;
    enum { K = 9 };
    MYSQL *c = mt_connect(), *h = mt_connect();
    sm_def d = mt_def(c, "bt_own", "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, NULL), SM_OK);
    tlog l = {0};
    sm_machine **m = open_all(&d, s, 1, K + 1, &l);
    batch_all(s, m, K + 1, CHECKING_OUT, NULL, SM_OK);
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT id FROM bt_own WHERE id = %lld FOR UPDATE",
             (long long)sm_last_transition(m[K])->id);
    mt_exec(h, "START TRANSACTION");
    mt_exec(h, sql);
    mysql_free_result(mysql_store_result(h));
    batch_all(s, m, K, FAILED, NULL, SM_OK);
    mt_exec(h, "ROLLBACK");
    check_rows(c, "bt_own", m, K);
    close_all(m, K + 1);
    sm_store_close(s);
    mysql_close(h);
    mysql_close(c);
}

/*
 * A batch never waits for a row lock (a transaction that holds many
 * rows and waits is how deadlocks form): a row another transaction
 * holds fails the commit at once with SM_E_CONFLICT, nothing written,
 * every item still queued; once it is released the batch commits.
 */
static void test_pk_does_not_wait(void **st)
{
    (void)st;
    MYSQL *c = mt_connect(), *h = mt_connect();
    sm_def d = mt_def(c, "bt_wait", "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, NULL), SM_OK);
    tlog l = {0};
    sm_machine **m = open_all(&d, s, 1, 3, &l);
    mt_exec(h, "START TRANSACTION");
    mt_exec(h, "INSERT INTO bt_wait (from_state, to_state, metadata, "
               "sort_key, order_id, created_at, updated_at) VALUES "
               "('pending', 'failed', '{}', 10, 2, NOW(), NOW())");
    sm_batch *b = NULL;
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sm_batch_fire(b, m[i], EV_CHECKOUT, NULL), SM_OK);
    time_t t0 = time(NULL);
    assert_int_equal(sm_batch_commit(b), SM_E_CONFLICT);
    assert_true(time(NULL) - t0 <= 2); /* not innodb_lock_wait_timeout */
    assert_string_equal(sm_batch_errmsg(b),
                        "nothing written: mysql: another transaction holds a "
                        "row the batch writes, and a batch does not wait for "
                        "locks (1205)");
    assert_int_equal(sm_batch_failures(b, NULL), 0);
    assert_int_equal(mt_scalar(h, "SELECT COUNT(*) FROM bt_wait"), 1);
    mt_exec(h, "ROLLBACK");
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(mt_scalar(h, "SELECT COUNT(*) FROM bt_wait"), 3);
    sm_batch_free(b);
    close_all(m, 3);
    sm_store_close(s);
    mysql_close(h);
    mysql_close(c);
}

/*
 * On the default schema a parent without its row is refused by the
 * foreign key: the batch names each such item (the store reads which),
 * and the others commit next time.
 */
static void test_pk_no_parent_row(void **st)
{
    (void)st;
    enum { K = 5 };
    MYSQL *c = mt_connect();
    mt_exec(c, "DROP TABLE IF EXISTS bt_fk, bt_fk_parents");
    sm_def d = tdef_order;
    d.table = "bt_fk", d.parent_table = "bt_fk_parents";
    d.schema = SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY;
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, NULL), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    mt_exec(c, "INSERT INTO bt_fk_parents (id) VALUES (1), (3), (5)");
    tlog l = {0};
    sm_machine **m = open_all(&d, s, 1, K, &l);
    sm_batch *b = NULL;
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (int i = 0; i < K; i++)
        assert_int_equal(sm_batch_fire(b, m[i], EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_E_STORE);
    const sm_batch_failure *f;
    assert_int_equal(sm_batch_failures(b, &f), 2);
    assert_ptr_equal(f[0].machine, m[1]);
    assert_ptr_equal(f[1].machine, m[3]);
    assert_string_equal(f[0].message, "order 2: mysql: no row for it in "
                                      "bt_fk_parents: the foreign key of "
                                      "bt_fk refuses the transition");
    assert_string_equal(f[1].message, "order 4: mysql: no row for it in "
                                      "bt_fk_parents: the foreign key of "
                                      "bt_fk refuses the transition");
    assert_int_equal(f[0].status, SM_E_STORE);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM bt_fk"), 0);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM bt_fk"), 3);
    sm_batch_free(b);
    close_all(m, K);
    sm_store_close(s);
    mysql_close(c);
}

/* A connection whose max_allowed_packet is bytes (set globally just for
 * its handshake). */
static MYSQL *small_packet(MYSQL *c, int64_t bytes)
{
    char sql[96];
    int64_t was = mt_scalar(c, "SELECT @@GLOBAL.max_allowed_packet");
    snprintf(sql, sizeof sql, "SET GLOBAL max_allowed_packet = %lld",
             (long long)bytes);
    mt_exec(c, sql);
    MYSQL *small = mt_connect();
    snprintf(sql, sizeof sql, "SET GLOBAL max_allowed_packet = %lld",
             (long long)was);
    mt_exec(c, sql);
    assert_int_equal(mt_scalar(small, "SELECT @@max_allowed_packet"), bytes);
    return small;
}

/* A batch larger than max_allowed_packet goes in chunks (one INSERT and
 * one UPDATE each), all in one transaction; the rows are right. */
static void test_pk_chunks(void **st)
{
    (void)st;
    enum { K = 200, PACKET = 16384 };
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "bt_chunk", "orders");
    MYSQL *small = small_packet(c, PACKET);
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, small, NULL), SM_OK);
    char md[256];
    snprintf(md, sizeof md, "{\"pad\":\"%0200d\"}", 0);
    assert_true(K * strlen(md) > 2 * PACKET); /* one INSERT cannot hold it */
    tlog l = {0};
    sm_machine **m = open_all(&d, s, 1, K, &l);
    batch_all(s, m, K, CHECKING_OUT, md, SM_OK);
    counts a = counts_of(small);
    batch_all(s, m, K, FAILED, md, SM_OK);
    counts b = counts_of(small);
    int64_t chunks = b.insert - a.insert;
    assert_true(chunks >= 3 && chunks <= 12);
    assert_int_equal(b.update - a.update, chunks);
    check_rows(small, "bt_chunk", m, K);
    assert_int_equal(
        mt_scalar(small, "SELECT COUNT(*) FROM bt_chunk WHERE metadata LIKE "
                         "'{\"pad\":\"000%'"),
        2 * K);
    /* all or nothing across chunks: the last parent stale, none kept */
    tlog lo = {0};
    sm_store *o = NULL;
    assert_int_equal(sm_store_open(&o, mt_url()), SM_OK);
    sm_machine *x = NULL;
    assert_int_equal(sm_machine_open(&x, &d, o, K, &lo), SM_OK);
    assert_int_equal(sm_transition_to(x, CHECKING_OUT, NULL), SM_OK);
    batch_all(s, m, K, CHECKING_OUT, md, SM_E_CONFLICT);
    assert_int_equal(mt_scalar(small, "SELECT COUNT(*) FROM bt_chunk"),
                     2 * K + 1);
    sm_machine_close(x);
    sm_store_close(o);
    close_all(m, K);
    sm_store_close(s);
    mysql_close(small);
    mysql_close(c);
}

/* statesman and none: each item with its mode's own statements, the
 * rows as a single transition leaves them. */
static void legacy(const char *mode)
{
    enum { K = 10 };
    char table[32], opts[32];
    snprintf(table, sizeof table, "bt_%s", mode);
    snprintf(opts, sizeof opts, "gaplock=%s", mode);
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, table, "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, opts), SM_OK);
    tlog l = {0};
    sm_machine **m = open_all(&d, s, 1, K, &l);
    batch_all(s, m, K, CHECKING_OUT, NULL, SM_OK);
    counts a = counts_of(c);
    batch_all(s, m, K, FAILED, NULL, SM_OK);
    counts b = counts_of(c);
    assert_int_equal(b.insert - a.insert, K);
    assert_int_equal(b.update - a.update, K);
    check_rows(c, table, m, K);
    close_all(m, K);
    sm_store_close(s);
    mysql_close(c);
}

static void test_statesman(void **st)
{
    (void)st;
    legacy("statesman");
}

static void test_none(void **st)
{
    (void)st;
    legacy("none");
}

/* The failure a commit took out, which must be the only one. */
static const sm_batch_failure *only_failure(sm_batch *b)
{
    const sm_batch_failure *f;
    assert_int_equal(sm_batch_failures(b, &f), 1);
    return f;
}

/*
 * lock_parent=1: the parents are locked in one statement and their
 * latest rows read in another; a parent without its row and a stale
 * parent are each named (by the store), the rest stay queued; a parent
 * another transaction holds makes the batch wait.
 */
static void test_lock_parent(void **st)
{
    (void)st;
    enum { K = 10 };
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "bt_lp", "bt_parents");
    mt_exec(c, "DROP TABLE IF EXISTS bt_parents");
    mt_exec(c, "CREATE TABLE bt_parents (id BIGINT PRIMARY KEY)");
    mt_exec(c, "INSERT INTO bt_parents VALUES (1),(2),(3),(4),(5),(6),(7),"
               "(8),(9)");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, "lock_parent=1"), SM_OK);
    tlog l = {0};
    sm_machine **m = open_all(&d, s, 1, K, &l);
    sm_batch *b = NULL;
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (size_t i = 0; i < K; i++)
        assert_int_equal(sm_batch_fire(b, m[i], EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_E_STORE);
    const sm_batch_failure *f = only_failure(b);
    assert_ptr_equal(f->machine, m[9]);
    assert_string_equal(f->message,
                        "order 10: mysql: lock parent: no row for it in "
                        "bt_parents");
    counts a = counts_of(c);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    counts z = counts_of(c);
    assert_int_equal(z.select - a.select, 2 + 1); /* lock, latest; ours */
    assert_int_equal(z.insert - a.insert, 1);
    assert_int_equal(z.update - a.update, 1);
    /* parent 4 moved by another store: named, the rest stay queued */
    sm_store *o = NULL;
    assert_int_equal(sm_store_open(&o, mt_url_with("lock_parent=1")), SM_OK);
    sm_machine *x = NULL;
    assert_int_equal(sm_machine_open(&x, &d, o, 4, &l), SM_OK);
    assert_int_equal(sm_transition_to(x, FAILED, NULL), SM_OK);
    for (size_t i = 0; i < K - 1; i++)
        assert_int_equal(sm_batch_fire(b, m[i], EV_CANCEL, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_E_CONFLICT);
    f = only_failure(b);
    assert_ptr_equal(f->machine, m[3]);
    assert_int_equal(sm_current_state(m[3]), FAILED);
    assert_non_null(strstr(sm_batch_errmsg(b), "mysql: a newer transition of "
                                               "its parent is in bt_lp"));
    /* parent 6 held by another transaction: the batch waits on it */
    MYSQL *h = mt_connect();
    mt_exec(h, "START TRANSACTION");
    mt_exec(h, "SELECT id FROM bt_parents WHERE id = 6 FOR UPDATE");
    mysql_free_result(mysql_store_result(h));
    mt_exec(c, "SET SESSION innodb_lock_wait_timeout = 1");
    assert_int_equal(sm_batch_commit(b), SM_E_STORE);
    assert_non_null(strstr(sm_batch_errmsg(b), "Lock wait timeout"));
    assert_int_equal(sm_batch_failures(b, NULL), 0);
    assert_false(c->server_status & SERVER_STATUS_IN_TRANS);
    mt_exec(h, "ROLLBACK");
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM bt_lp"), 9 + 1 + 8);
    sm_batch_free(b);
    mysql_close(h);
    sm_machine_close(x);
    sm_store_close(o);
    close_all(m, K);
    sm_store_close(s);
    mysql_close(c);
}

/* Rows of parent p in wrap's table, read by another connection. */
static int64_t rows_seen(MYSQL *other, int64_t p)
{
    char sql[96];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM bt_wrap WHERE order_id = %lld",
             (long long)p);
    return mt_scalar(other, sql);
}

/*
 * Wrap mode: inside the caller's transaction a batch is a savepoint;
 * after_commit hooks wait for the caller's COMMIT (in queue order) and
 * are dropped by its ROLLBACK, which also reloads the machines. A
 * failed batch rolls back to its savepoint only.
 */
static void test_wrap(void **st)
{
    (void)st;
    MYSQL *c = mt_connect(), *other = mt_connect();
    sm_def d = mt_def(c, "bt_wrap", "orders");
    mt_exec(c, "DROP TABLE IF EXISTS bt_notes");
    mt_exec(c, "CREATE TABLE bt_notes (id INT PRIMARY KEY)");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, c, NULL), SM_OK);
    tlog l = {0};
    sm_machine **m = open_all(&d, s, 1, 3, &l);
    mt_exec(c, "START TRANSACTION");
    batch_all(s, m, 3, CANCELLED, NULL, SM_OK);
    assert_string_equal(l.buf, "");
    assert_int_equal(rows_seen(other, 1), 0);
    mt_exec(c, "ROLLBACK");
    assert_int_equal(sm_store_signal_commit(s, false), SM_OK);
    assert_string_equal(l.buf, "");
    for (int i = 0; i < 3; i++)
        assert_int_equal(sm_current_state(m[i]), PENDING);
    mt_exec(c, "START TRANSACTION");
    mt_exec(c, "INSERT INTO bt_notes VALUES (1)");
    sm_machine *x = NULL; /* parent 2 moved inside the transaction */
    assert_int_equal(sm_machine_open(&x, &d, s, 2, &l), SM_OK);
    assert_int_equal(sm_transition_to(x, CHECKING_OUT, NULL), SM_OK);
    batch_all(s, m, 3, CANCELLED, NULL, SM_E_CONFLICT);
    assert_true(c->server_status & SERVER_STATUS_IN_TRANS);
    assert_int_equal(rows_seen(c, 1), 0);
    assert_int_equal(rows_seen(c, 2), 1);
    batch_all(s, m, 3, CANCELLED, NULL, SM_OK);
    mt_exec(c, "COMMIT");
    assert_string_equal(l.buf, "");
    assert_int_equal(sm_store_signal_commit(s, true), SM_OK);
    assert_string_equal(l.buf, "refund(0>5@-9) audit(0>5@-9) "
                               "refund(1>5@-9) audit(1>5@-9) "
                               "refund(0>5@-9) audit(0>5@-9) ");
    assert_int_equal(mt_scalar(other, "SELECT COUNT(*) FROM bt_notes"), 1);
    assert_int_equal(rows_seen(other, 2), 2);
    assert_int_equal(mt_scalar(other, "SELECT COUNT(*) FROM bt_wrap"), 4);
    sm_machine_close(x);
    close_all(m, 3);
    sm_store_close(s);
    mysql_close(other);
    mysql_close(c);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pk_statements),
        cmocka_unit_test(test_pk_thousand),
        cmocka_unit_test(test_pk_own_rows_only),
        cmocka_unit_test(test_pk_does_not_wait),
        cmocka_unit_test(test_pk_no_parent_row),
        cmocka_unit_test(test_pk_chunks),
        cmocka_unit_test(test_statesman),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_lock_parent),
        cmocka_unit_test(test_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
