/*
 * test_reads.c - what the MySQL store reads and how many statements it
 * spends, from the server's own counters on the store's connection: an
 * open reads one row however long the history, a page reads its page,
 * open-then-transition is SELECT, INSERT, UPDATE, COMMIT; and the read
 * transaction left open for the write sees every commit (READ
 * COMMITTED) and ends when the machine closes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mtest.h"

/* The counters a test compares. */
typedef struct counts {
    int64_t questions, select, insert, update, commit, rows;
} counts;

/* The store connection's counters now; rows is what the handler read. */
static counts now(MYSQL *c)
{
    counts k = {mt_status(c, "Questions"),  mt_status(c, "Com_select"),
                mt_status(c, "Com_insert"), mt_status(c, "Com_update"),
                mt_status(c, "Com_commit"), mt_status(c, "Handler_read_key")};
    k.rows += mt_status(c, "Handler_read_next") +
              mt_status(c, "Handler_read_prev") +
              mt_status(c, "Handler_read_rnd_next");
    return k;
}

/* b - a, less what now() itself adds (its SHOW statements). */
static counts since(counts a, counts b)
{
    static counts self;
    static bool known;
    counts d = {b.questions - a.questions, b.select - a.select,
                b.insert - a.insert,       b.update - a.update,
                b.commit - a.commit,       b.rows - a.rows};
    if (known)
        return (counts){d.questions - self.questions, d.select - self.select,
                        d.insert - self.insert,       d.update - self.update,
                        d.commit - self.commit,       d.rows - self.rows};
    self = d, known = true;
    return d;
}

/* Learn since()'s overhead on c: two now()s with nothing between. */
static void calibrate(MYSQL *c)
{
    counts a = now(c);
    (void)since(a, now(c));
}

/* A store on the test server and its connection. */
static sm_store *open_store(const char *opts, MYSQL **conn)
{
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, opts ? mt_url_with(opts) : mt_url()),
                     SM_OK);
    *conn = mt_store_conn(s);
    assert_non_null(*conn);
    calibrate(*conn);
    return s;
}

/* One machine's open and first transition, then its close: the floor's
 * four statements and nothing else (statements prepared beforehand). */
static void test_open_transition_statements(void **st)
{
    (void)st;
    tlog l = {0};
    MYSQL *c = mt_connect(), *sc;
    sm_def d = mt_def(c, "stmts_transitions", "orders");
    sm_store *s = open_store(NULL, &sc);
    sm_machine *m = NULL;
    for (int64_t p = 1; p <= 2; p++) { /* the first prepares */
        counts a = now(sc);
        assert_int_equal(sm_machine_open(&m, &d, s, p, &l), SM_OK);
        assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
        sm_machine_close(m);
        counts k = since(a, now(sc));
        if (p == 1)
            continue;
        assert_int_equal(k.questions, 4);
        assert_int_equal(k.select, 1);
        assert_int_equal(k.insert, 1);
        assert_int_equal(k.update, 1);
        assert_int_equal(k.commit, 1);
    }
    /* an open without a write: its SELECT, and the COMMIT at close */
    counts a = now(sc);
    assert_int_equal(sm_machine_open(&m, &d, s, 2, &l), SM_OK);
    sm_machine_close(m);
    counts k = since(a, now(sc));
    assert_int_equal(k.questions, 2);
    assert_int_equal(k.commit, 1);
    sm_store_close(s);
    mysql_close(c);
}

/* Opening reads one row with 1 or 10,000 rows of history; a page reads
 * its page; the whole history reads it all. */
static void test_open_reads_latest_only(void **st)
{
    (void)st;
    tlog l = {0};
    MYSQL *c = mt_connect(), *sc;
    sm_def d = mt_def(c, "latest_transitions", "orders");
    mt_history(c, &d, 1, 1);
    mt_history(c, &d, 2, 10000);
    sm_store *s = open_store(NULL, &sc);
    sm_machine *m = NULL;
    /* the first use of the table checks it and prepares: not counted */
    assert_int_equal(sm_machine_open(&m, &d, s, 3, &l), SM_OK);
    sm_machine_close(m);
    for (int64_t p = 1; p <= 2; p++) {
        counts a = now(sc);
        assert_int_equal(sm_machine_open(&m, &d, s, p, &l), SM_OK);
        counts k = since(a, now(sc));
        assert_true(k.rows <= 2);
        assert_int_equal(k.questions, 1);
        assert_int_equal(sm_last_transition(m)->sort_key, p == 1 ? 10 : 100000);
        assert_true(sm_last_transition(m)->most_recent);
        if (p == 2) {
            const sm_transition *h;
            size_t n;
            a = now(sc);
            assert_int_equal(sm_history_page(m, 50000, 10, &h, &n), SM_OK);
            k = since(a, now(sc));
            assert_int_equal(n, 10);
            assert_int_equal(h[0].sort_key, 50010);
            assert_true(k.rows <= 12);
            assert_int_equal(sm_history(m, &h, &n), SM_OK);
            assert_int_equal(n, 10000);
        }
        sm_machine_close(m);
    }
    sm_store_close(s);
    mysql_close(c);
}

/* An open leaves its read's transaction open for the write; closing the
 * machine ends it, so DDL on the table no longer waits. */
static void test_close_ends_the_read(void **st)
{
    (void)st;
    tlog l = {0};
    MYSQL *c = mt_connect(), *sc;
    sm_def d = mt_def(c, "endread_transitions", "orders");
    sm_store *s = open_store(NULL, &sc);
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_OK);
    assert_true(sc->server_status & SERVER_STATUS_IN_TRANS);
    sm_machine_close(m);
    assert_false(sc->server_status & SERVER_STATUS_IN_TRANS);
    mt_exec(c, "SET SESSION lock_wait_timeout = 2");
    mt_exec(c, "ALTER TABLE endread_transitions ADD COLUMN x INT NULL");
    /* after a write, nothing is left open either */
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_false(sc->server_status & SERVER_STATUS_IN_TRANS);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/* A read after another read of the same open transaction still sees
 * what other writers committed in between (READ COMMITTED). */
static void test_reads_see_new_commits(void **st)
{
    (void)st;
    tlog l = {0};
    MYSQL *c = mt_connect(), *sc, *oc;
    sm_def d = mt_def(c, "fresh_transitions", "orders");
    sm_store *s = open_store(NULL, &sc), *o = open_store(NULL, &oc);
    sm_machine *a = NULL, *b = NULL, *w = NULL;
    assert_int_equal(sm_machine_open(&a, &d, s, 1, &l), SM_OK);
    assert_int_equal(sm_machine_open(&w, &d, o, 2, &l), SM_OK);
    assert_int_equal(sm_transition_to(w, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_machine_open(&b, &d, s, 2, &l), SM_OK);
    assert_int_equal(sm_current_state(b), CHECKING_OUT);
    assert_int_equal(sm_transition_to(w, FAILED, NULL), SM_OK);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(b, &h, &n), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(sm_reload(b), SM_OK);
    assert_int_equal(sm_current_state(b), FAILED);
    sm_machine_close(a), sm_machine_close(b), sm_machine_close(w);
    sm_store_close(s), sm_store_close(o);
    mysql_close(c);
}

/*
 * lock_parent=1 after an open whose read left its transaction open:
 * another writer moved the parent in between, and the read after the
 * lock must see it (a snapshot from the open would not), so the machine
 * reloads and decides again instead of conflicting.
 */
static void test_lock_parent_after_open(void **st)
{
    (void)st;
    tlog l = {0};
    MYSQL *c = mt_connect(), *sc, *oc;
    sm_def d = mt_def(c, "lpread_transitions", "lpread_parents");
    mt_parents(c, "lpread_parents", 1, 3, NULL);
    sm_store *s = open_store("lock_parent=1", &sc);
    sm_store *o = open_store("lock_parent=1", &oc);
    sm_machine *m = NULL, *w = NULL, *x = NULL;
    assert_int_equal(sm_machine_open(&x, &d, s, 3, &l), SM_OK);
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_OK);
    assert_int_equal(sm_machine_open(&w, &d, o, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(w, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(h[1].from_state, CHECKING_OUT);
    sm_machine_close(x), sm_machine_close(m), sm_machine_close(w);
    sm_store_close(s), sm_store_close(o);
    mysql_close(c);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_transition_statements),
        cmocka_unit_test(test_open_reads_latest_only),
        cmocka_unit_test(test_close_ends_the_read),
        cmocka_unit_test(test_reads_see_new_commits),
        cmocka_unit_test(test_lock_parent_after_open)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
