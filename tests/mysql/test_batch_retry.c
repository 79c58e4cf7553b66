/*
 * test_batch_retry.c - sm_batch_commit_retry on one MariaDB server, the
 * other writer on its own connection: a row lock another transaction
 * holds names no item, so every commit fails as a whole until the
 * attempts run out, everything still queued; when that writer commits
 * while the retry backs off, the retry finds the parent it took, queues
 * that item again, sees the fresh state refuse it, and writes the rest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "mtest.h"

enum { N = 3 };

static int64_t rows(MYSQL *c, int64_t parent)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM bt_retry WHERE order_id = %lld",
             (long long)parent);
    return mt_scalar(c, sql);
}

/* The other writer's COMMIT, 100 ms later, on its connection. */
static void *commit_later(void *c)
{
    struct timespec ts = {0, 100 * 1000000L};
    nanosleep(&ts, NULL);
    mysql_thread_init();
    if (mysql_query(c, "COMMIT"))
        fprintf(stderr, "COMMIT: %s\n", mysql_error(c));
    mysql_thread_end();
    return NULL;
}

static void test_retry_held_then_taken(void **st)
{
    (void)st;
    MYSQL *c = mt_connect(), *h = mt_connect();
    sm_def d = mt_def(c, "bt_retry", "orders");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    tlog l = {0};
    sm_machine *m[N];
    sm_batch *b = NULL;
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (int i = 0; i < N; i++) {
        assert_int_equal(sm_machine_open(&m[i], &d, s, i + 1, &l), SM_OK);
        assert_int_equal(sm_batch_fire(b, m[i], EV_CHECKOUT, NULL), SM_OK);
    }
    mt_exec(h, "START TRANSACTION");
    mt_exec(h, "INSERT INTO bt_retry (from_state, to_state, metadata, "
               "sort_key, order_id, most_recent, created_at, updated_at) "
               "VALUES ('pending', 'cancelled', '{}', 10, 2, 1, NOW(), "
               "NOW())");
    /* held: three commits, each failing whole, nothing named */
    assert_int_equal(sm_batch_commit_retry(b, 3), SM_E_CONFLICT);
    assert_string_equal(sm_batch_errmsg(b),
                        "nothing written: mysql: another transaction holds a "
                        "row the batch writes, and a batch does not wait for "
                        "locks (1205)");
    assert_int_equal(sm_batch_failures(b, NULL), 0);
    for (int64_t p = 1; p <= N; p++)
        assert_int_equal(rows(h, p), p == 2);
    /* the other writer commits parent 2's cancel 100 ms from now, while
     * the retry backs off (1, 2, 4, ... ms: 127 ms after 8 commits) */
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, commit_later, h), 0);
    assert_int_equal(sm_batch_commit_retry(b, 12), SM_OK);
    assert_int_equal(pthread_join(th, NULL), 0);
    const sm_batch_failure *f;
    assert_int_equal(sm_batch_failures(b, &f), 1);
    assert_ptr_equal(f[0].machine, m[1]);
    assert_int_equal(f[0].status, SM_E_TRANSITION_FAILED);
    assert_string_equal(f[0].message,
                        "event 'checkout' has no transition from cancelled");
    assert_int_equal(sm_current_state(m[1]), CANCELLED);
    for (int i = 0; i < N; i++) {
        int64_t p = i + 1;
        assert_int_equal(rows(h, p), 1);
        if (i != 1)
            assert_int_equal(sm_current_state(m[i]), CHECKING_OUT);
    }
    assert_int_equal(mt_scalar(h, "SELECT COUNT(*) FROM bt_retry WHERE "
                                  "most_recent = 1 AND to_state = "
                                  "'checking_out'"),
                     2);
    sm_batch_free(b);
    for (int i = 0; i < N; i++)
        sm_machine_close(m[i]);
    sm_store_close(s);
    mysql_close(h);
    mysql_close(c);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retry_held_then_taken)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
