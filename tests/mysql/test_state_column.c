/*
 * test_state_column.c - the cached current-state column (storage
 * state_column): written with every transition in its transaction, in
 * each mode; a missing parent row refused; rolled back with the row;
 * created by sm_mysql_create_schema and backfilled; listed by in_state
 * exactly as the join lists; and never out of step with most_recent
 * after a writer is SIGKILLed, once or at random inside a run, or the
 * server is killed under writers and restarted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../ddl/ddl.h"
#include "mtest.h"
#include "open.h"

/* The order machine on table with parents parent_table 1..n, cached
 * in their `state` column. */
static sm_def cached_def(MYSQL *c, const char *table, const char *parents,
                         int64_t n)
{
    sm_def d = mt_def(c, table, parents);
    mt_parents(c, parents, 1, n, "pending");
    d.state_column = "state";
    return d;
}

/* parent's state column. */
static void expect_state(MYSQL *c, const sm_def *d, int64_t parent,
                         const char *want)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT `%s` FROM `%s` WHERE id = %lld",
             d->state_column, d->parent_table, (long long)parent);
    mt_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row = mysql_fetch_row(r);
    assert_non_null(row);
    assert_string_equal(row[0], want);
    mysql_free_result(r);
}

/* Three transitions of parent 2 in mode; parents 1 and 3 stay pending. */
static void written_in_mode(const char *mode)
{
    char table[64], parents[64], opts[64];
    snprintf(table, sizeof table, "sc_%s_transitions", mode);
    snprintf(parents, sizeof parents, "sc_%s_parents", mode);
    snprintf(opts, sizeof opts, "gaplock=%s", mode);
    MYSQL *c = mt_connect();
    sm_def d = cached_def(c, table, parents, 3);
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url_with(opts)), SM_OK);
    tlog l = {0};
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 2, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    expect_state(c, &d, 2, "checking_out");
    assert_int_equal(sm_transition_to(m, PURCHASED, "{\"paid\":true}"), SM_OK);
    assert_int_equal(sm_transition_to(m, SHIPPED, NULL), SM_OK);
    expect_state(c, &d, 2, "shipped");
    expect_state(c, &d, 1, "pending");
    assert_int_equal(mt_drift(c, &d), 0);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

static void test_written_pk(void **st)
{
    (void)st;
    written_in_mode("pk");
}
static void test_written_statesman(void **st)
{
    (void)st;
    written_in_mode("statesman");
}
static void test_written_none(void **st)
{
    (void)st;
    written_in_mode("none");
}

/* No parent row: the cache cannot be kept, so nothing is written. */
static void test_missing_parent(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = cached_def(c, "scm_transitions", "scm_parents", 3);
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    tlog l = {0};
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 99, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_E_STORE);
    assert_string_equal(sm_errmsg(m), "order 99: mysql: state column: no row "
                                      "with id 99 in scm_parents");
    assert_false(mt_store_conn(s)->server_status & SERVER_STATUS_IN_TRANS);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM scm_transitions"), 0);
    assert_int_equal(sm_current_state(m), PENDING);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/*
 * Batches in mode (lock_parent with lp): parents 1..5 have rows, 6 has
 * none, so the batch over 1..6 names 6 and writes nothing (pk's
 * multi-row statements, the legacy modes' row by row); the rest
 * commit next time, then all move on in a second batch (pk: one UPDATE
 * of the column more), the column right each time.
 */
static void batch_in_mode(const char *mode, bool lp)
{
    enum { K = 6 };
    char table[48], parents[64], opts[64], want[128];
    snprintf(table, sizeof table, "scb_%s%s", mode, lp ? "_lp" : "");
    snprintf(parents, sizeof parents, "%s_parents", table);
    snprintf(opts, sizeof opts, "gaplock=%s%s", mode,
             lp ? "&lock_parent=1" : "");
    MYSQL *c = mt_connect();
    sm_def d = cached_def(c, table, parents, K - 1);
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url_with(opts)), SM_OK);
    sm_machine *m[K];
    sm_batch *b = NULL;
    tlog l = {0};
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (int i = 0; i < K; i++) {
        assert_int_equal(sm_machine_open(&m[i], &d, s, i + 1, &l), SM_OK);
        assert_int_equal(sm_batch_fire(b, m[i], EV_CHECKOUT, NULL), SM_OK);
    }
    assert_int_equal(sm_batch_commit(b), SM_E_STORE);
    const sm_batch_failure *f;
    assert_int_equal(sm_batch_failures(b, &f), 1);
    assert_ptr_equal(f[0].machine, m[K - 1]);
    /* a multi-row batch's message, or a single transition's */
    bool pk = strcmp(mode, "pk") == 0;
    snprintf(want, sizeof want, "order 6: mysql: %s %s",
             lp   ? "lock parent: no row for it in"
             : pk ? "state column: no row for it in"
                  : "state column: no row with id 6 in",
             parents);
    assert_string_equal(f[0].message, want);
    snprintf(want, sizeof want, "SELECT COUNT(*) FROM %s", table);
    assert_int_equal(mt_scalar(c, want), 0);
    expect_state(c, &d, 1, "pending");
    assert_int_equal(sm_batch_commit(b), SM_OK);
    for (int i = 0; i < K - 1; i++)
        assert_int_equal(
            sm_batch_transition_to(b, m[i], i % 2 ? CANCELLED : FAILED, NULL),
            SM_OK);
    MYSQL *sc = mt_store_conn(s);
    int64_t ins = mt_status(sc, "Com_insert"), up = mt_status(sc, "Com_update");
    assert_int_equal(sm_batch_commit(b), SM_OK);
    if (pk && !lp) { /* the column's UPDATE, the INSERT, the flip */
        assert_int_equal(mt_status(sc, "Com_insert") - ins, 1);
        assert_int_equal(mt_status(sc, "Com_update") - up, 2);
    }
    expect_state(c, &d, 1, "failed");
    expect_state(c, &d, 2, "cancelled");
    expect_state(c, &d, 5, "failed");
    assert_int_equal(mt_drift(c, &d), 0);
    sm_batch_free(b);
    for (int i = 0; i < K; i++)
        sm_machine_close(m[i]);
    sm_store_close(s);
    mysql_close(c);
}

static void test_batch_pk(void **st)
{
    (void)st;
    batch_in_mode("pk", false);
}
static void test_batch_pk_lock_parent(void **st)
{
    (void)st;
    batch_in_mode("pk", true);
}
static void test_batch_statesman(void **st)
{
    (void)st;
    batch_in_mode("statesman", false);
}
static void test_batch_none(void **st)
{
    (void)st;
    batch_in_mode("none", false);
}

enum { IDLE, BUSY };
static const char *const jnames[] = {"idle", "busy"};
static const int32_t jby_name[] = {BUSY, IDLE};
static const uint8_t jflags[] = {SM_STATE_INITIAL, 0};
static const uint32_t jtidx[] = {0, 2, 3};
static const int32_t jtto[] = {IDLE, BUSY, IDLE};

/* idle -> idle, busy; busy -> idle: a transition to the state the
 * column already holds changes no row, and must still succeed. */
static const sm_def job_def = {.version = SM_DEF_VERSION,
                               .name = "job",
                               .nstates = 2,
                               .state_names = jnames,
                               .state_by_name = jby_name,
                               .state_flags = jflags,
                               .initial = IDLE,
                               .trans_index = jtidx,
                               .trans_to = jtto,
                               .table = "scself_transitions",
                               .parent_table = "scself_parents",
                               .parent_key = "job_id",
                               .state_column = "state"};

static void test_same_state(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = mt_table(c, &job_def, job_def.table, job_def.parent_table);
    mt_parents(c, "scself_parents", 1, 1, "idle");
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    sm_machine *m = NULL, *x = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 1, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, IDLE, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, BUSY, NULL), SM_OK);
    expect_state(c, &d, 1, "busy");
    assert_int_equal(sm_transition_to(m, IDLE, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, IDLE, NULL), SM_OK);
    expect_state(c, &d, 1, "idle");
    assert_int_equal(mt_drift(c, &d), 0);
    assert_int_equal(sm_machine_open(&x, &d, s, 2, NULL), SM_OK);
    assert_int_equal(sm_transition_to(x, IDLE, NULL), SM_E_STORE);
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM scself_transitions"),
                     4);
    sm_machine_close(x);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/* A hook that aborts rolls the column back with the row. */
static void test_rolled_back(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = cached_def(c, "scr_transitions", "scr_parents", 1);
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    tlog l = {0};
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, PURCHASED, "{\"paid\":true}"), SM_OK);
    l.fail_after = 1;
    assert_int_equal(sm_transition_to(m, SHIPPED, NULL), SM_E_CALLBACK);
    expect_state(c, &d, 1, "purchased");
    assert_int_equal(mt_drift(c, &d), 0);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/* Parents by state through the column are exactly the join's: random
 * histories, every set of states, in and not in, paged by 0, 1 and 7. */
static void test_in_state_matches_join(void **st)
{
    (void)st;
    enum { PARENTS = 40, MOVES = 160 };
    MYSQL *c = mt_connect();
    sm_def d = cached_def(c, "scq_transitions", "scq_parents", PARENTS);
    sm_def join = d;
    join.state_column = NULL;
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    srand(7);
    for (int i = 0; i < MOVES; i++) {
        tlog l = {0};
        sm_machine *m = NULL;
        assert_int_equal(sm_machine_open(&m, &d, s, 1 + rand() % PARENTS, &l),
                         SM_OK);
        int to[6];
        size_t n;
        assert_int_equal(
            sm_allowed_transitions(m, to, 6, &n, "{\"paid\":true}"), SM_OK);
        if (n)
            assert_int_equal(
                sm_transition_to(m, to[rand() % n], "{\"paid\":true}"), SM_OK);
        sm_machine_close(m);
    }
    assert_int_equal(mt_drift(c, &d), 0);
    for (int set = 0; set < 64; set++) {
        int states[6];
        size_t ns = 0;
        for (int k = 0; k < 6; k++)
            if (set & (1 << k))
                states[ns++] = k;
        for (int neg = 0; neg < 2; neg++)
            for (size_t limit = 0; limit < 8; limit += limit ? 6 : 1) {
                int64_t *a = NULL, *b = NULL, after = 0;
                size_t na = 0, nb = 0;
                do {
                    sm_status (*f)(sm_store *, const sm_def *, const int *,
                                   size_t, int64_t, size_t, int64_t **,
                                   size_t *) =
                        neg ? sm_store_not_in_state : sm_store_in_state;
                    assert_int_equal(
                        f(s, &d, states, ns, after, limit, &a, &na), SM_OK);
                    assert_int_equal(
                        f(s, &join, states, ns, after, limit, &b, &nb), SM_OK);
                    assert_int_equal(na, nb);
                    assert_memory_equal(a, b, na * sizeof *a);
                    assert_true(!limit || na <= limit);
                    after = na ? a[na - 1] : after;
                    sm_ids_free(a), sm_ids_free(b);
                } while (limit && na == limit);
            }
    }
    sm_store_close(s);
    mysql_close(c);
}

/* The column (initial state by default) and its index added to an
 * existing parent table; the backfill sets it from a history written
 * before the column existed; create_schema adds it too, and running it
 * again changes nothing. */
static void test_schema_and_backfill(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    mt_exec(c, "DROP TABLE IF EXISTS scb_transitions");
    mt_parents(c, "scb_parents", 1, 4, NULL);
    sm_def d = tdef_order;
    d.table = "scb_transitions";
    d.parent_table = "scb_parents";
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    mt_history(c, &d, 1, 3);
    mt_history(c, &d, 2, 4);
    mt_history(c, &d, 9, 1); /* a parent without a parent row */
    char sql[512];
    d.state_column = "state";
    sm_ddl spec = {"scb_transitions", "scb_parents", "order_id", 0, NULL, 0,
                   "state",           "pending"};
    sm_ddl_state_column(sql, sizeof sql, &spec);
    mt_exec(c, sql);
    assert_int_equal(mt_drift(c, &d), 2);
    sm_ddl_state_backfill(sql, sizeof sql, &spec);
    mt_exec(c, sql);
    assert_int_equal(mt_drift(c, &d), 0);
    expect_state(c, &d, 1, "checking_out");
    expect_state(c, &d, 2, "failed");
    expect_state(c, &d, 3, "pending");
    assert_int_equal(mt_scalar(c, "SELECT COUNT(*) FROM information_schema."
                                  "statistics WHERE table_schema = DATABASE()"
                                  " AND table_name = 'scb_parents' AND "
                                  "index_name = 'state'"),
                     2);
    /* create_schema runs the same ALTER, IF NOT EXISTS: again, it
     * changes nothing; without the column, it adds it */
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    expect_state(c, &d, 1, "checking_out");
    assert_int_equal(mt_drift(c, &d), 0);
    mt_exec(c, "ALTER TABLE scb_parents DROP KEY state, DROP COLUMN state");
    mt_exec(c, "DROP TABLE scb_transitions");
    assert_int_equal(sm_mysql_create_schema(s, &d), SM_OK);
    assert_int_equal(mt_drift(c, &d), 0);
    assert_int_equal(mt_scalar(c,
                               "SELECT COUNT(*) FROM scb_parents WHERE state = "
                               "'pending'"),
                     4);
    sm_store_close(s);
    mysql_close(c);
}

/* Old names of the order machine: "awaiting" was pending, "paying"
 * checking_out (by name, as smcc writes them). */
static const char *const old_names[] = {"awaiting", "paying"};
static const int32_t old_states[] = {PENDING, CHECKING_OUT};

/* The ids a listing of def gives: in (or not in) state, all of them. */
static void expect_listed(sm_store *s, const sm_def *d, bool in, int state,
                          const int64_t *want, size_t nw)
{
    int64_t *ids = NULL;
    size_t n = 0;
    sm_status st = in ? sm_store_in_state(s, d, &state, 1, 0, 0, &ids, &n)
                      : sm_store_not_in_state(s, d, &state, 1, 0, 0, &ids, &n);
    assert_int_equal(st, SM_OK);
    assert_int_equal(n, nw);
    assert_memory_equal(ids, want, nw * sizeof *want);
    sm_ids_free(ids);
}

/*
 * Rows and columns written by a version that called the states by
 * their old names: in_state finds them through the column and through
 * the join alike, and last_transition_to reads back to a row holding
 * an old name.
 */
static void test_old_names(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = cached_def(c, "sco_transitions", "sco_parents", 3);
    d.naliases = 2;
    d.alias_names = old_names;
    d.alias_states = old_states;
    mt_exec(c, "INSERT INTO sco_transitions (from_state, to_state, sort_key, "
               "order_id, most_recent, created_at, updated_at) VALUES "
               "('awaiting', 'paying', 10, 1, 1, NOW(6), NOW(6)), "
               "('awaiting', 'paying', 10, 2, NULL, NOW(6), NOW(6)), "
               "('checking_out', 'failed', 20, 2, 1, NOW(6), NOW(6))");
    mt_exec(c, "UPDATE sco_parents SET state = ELT(id, 'paying', 'failed', "
               "'awaiting')");
    assert_int_equal(mt_drift(c, &d), 1); /* 3: awaiting, not pending */
    sm_def join = d;
    join.state_column = NULL;
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    for (int k = 0; k < 2; k++) {
        const sm_def *x = k ? &join : &d;
        expect_listed(s, x, true, CHECKING_OUT, (int64_t[]){1}, 1);
        expect_listed(s, x, false, CHECKING_OUT, (int64_t[]){2, 3}, 2);
        expect_listed(s, x, true, PENDING, (int64_t[]){3}, 1);
    }
    tlog l = {0};
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 2, &l), SM_OK);
    const sm_transition *r;
    assert_int_equal(sm_last_transition_to(m, CHECKING_OUT, &r), SM_OK);
    assert_non_null(r);
    assert_int_equal(r->sort_key, 10);
    assert_string_equal(r->to_was, "paying");
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    expect_state(c, &d, 2, "checking_out");
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/* SIGKILL after the column and the row are written, before COMMIT:
 * neither stays, and the parent moves on. */
static void test_killed_in_the_write(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = cached_def(c, "sck_transitions", "sck_parents", 2);
    mt_kill_in_write(mt_url(), &d, 2, CHECKING_OUT);
    expect_state(c, &d, 2, "pending");
    assert_int_equal(mt_drift(c, &d), 0);
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_machine_open(&m, &d, s, 2, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    expect_state(c, &d, 2, "checking_out");
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/* A writer on url cycling random parents until it is killed; calls
 * that fail (the server is down) are tried again. */
static void churn(const char *url, const sm_def *d, int parents, unsigned seed)
{
    sm_store *s = NULL;
    if (sm_store_open(&s, url) != SM_OK)
        _exit(2);
    srand(seed);
    for (;;) {
        tlog l = {0};
        sm_machine *m = NULL;
        if (sm_machine_open(&m, d, s, 1 + rand() % parents, &l) != SM_OK) {
            nanosleep(&(struct timespec){0, 10000000L}, NULL);
            continue;
        }
        int to = sm_current_state(m) == CHECKING_OUT ? FAILED : CHECKING_OUT;
        (void)sm_transition_to_retry(m, to, NULL, 5);
        sm_machine_close(m);
    }
}

/* Start procs churners on url; their pids into pids. */
static void start_churn(pid_t *pids, int procs, const char *url,
                        const sm_def *d, int parents, unsigned seed)
{
    for (int w = 0; w < procs; w++)
        if ((pids[w] = fork()) == 0)
            churn(url, d, parents, seed + (unsigned)w);
}

/* SIGKILL the churners and reap them. */
static void kill_churn(const pid_t *pids, int procs)
{
    for (int w = 0; w < procs; w++) {
        int status;
        kill(pids[w], SIGKILL);
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFSIGNALED(status));
    }
}

static void sleep_ms(long ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

/* Writers on shared parents SIGKILLed at random moments, three times
 * over: the column agrees with most_recent after each round. */
static void test_killed_at_random(void **st)
{
    (void)st;
    enum { PROCS = 4, PARENTS = 20, ROUNDS = 3 };
    MYSQL *c = mt_connect();
    sm_def d = cached_def(c, "scz_transitions", "scz_parents", PARENTS);
    srand((unsigned)time(NULL));
    for (int round = 0; round < ROUNDS; round++) {
        pid_t pids[PROCS];
        start_churn(pids, PROCS, mt_url(), &d, PARENTS,
                    (unsigned)(round * PROCS + 1));
        for (int w = 0; w < PROCS; w++) {
            sleep_ms(100 + rand() % 200);
            kill_churn(&pids[w], 1);
        }
        assert_int_equal(mt_drift(c, &d), 0);
    }
    assert_true(mt_scalar(c, "SELECT COUNT(*) FROM scz_transitions") > 0);
    mysql_close(c);
}

/* A private server killed (-9) under writers and restarted: after
 * recovery the column agrees with most_recent, as before the crash. */
static void test_server_killed(void **st)
{
    (void)st;
    enum { PROCS = 3, PARENTS = 20 };
    char dir[] = "/tmp/smcc-scol.XXXXXX", out[2048], url[1024], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(out, sizeof out, "start %s", dir);
    mt_script(out, out, sizeof out);
    snprintf(url, sizeof url, "mysql://root@localhost/smcc_test?socket=%s/sock",
             dir);
    MYSQL *c = sm_mysql_connect_url(url, err, sizeof err);
    assert_non_null(c);
    sm_def d = cached_def(c, "scs_transitions", "scs_parents", PARENTS);
    mysql_close(c);
    pid_t pids[PROCS];
    start_churn(pids, PROCS, url, &d, PARENTS, 11);
    sleep_ms(400);
    snprintf(out, sizeof out, "kill -9 $(cat %s/pid)", dir);
    assert_int_equal(system(out), 0);
    sleep_ms(300);
    snprintf(out, sizeof out, "start %s", dir);
    mt_script(out, out, sizeof out);
    sleep_ms(400);
    kill_churn(pids, PROCS);
    c = sm_mysql_connect_url(url, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(mt_drift(c, &d), 0);
    assert_true(mt_scalar(c, "SELECT COUNT(*) FROM scs_transitions") > 0);
    mysql_close(c);
    snprintf(out, sizeof out, "stop %s", dir);
    mt_script(out, NULL, 0);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_pk),
        cmocka_unit_test(test_written_statesman),
        cmocka_unit_test(test_written_none),
        cmocka_unit_test(test_missing_parent),
        cmocka_unit_test(test_batch_pk),
        cmocka_unit_test(test_batch_pk_lock_parent),
        cmocka_unit_test(test_batch_statesman),
        cmocka_unit_test(test_batch_none),
        cmocka_unit_test(test_same_state),
        cmocka_unit_test(test_rolled_back),
        cmocka_unit_test(test_in_state_matches_join),
        cmocka_unit_test(test_schema_and_backfill),
        cmocka_unit_test(test_old_names),
        cmocka_unit_test(test_killed_in_the_write),
        cmocka_unit_test(test_killed_at_random),
        cmocka_unit_test(test_server_killed)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
