/*
 * test_faults.c - fault injection: an allocator failing its Nth call and
 * a store failing its Nth operation, walked over every path; plus the
 * retry rules and deferred after_commit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdef.h"
#include "wrap_store.h"

static long g_calls, g_fail_at;

static void *f_malloc(size_t n)
{
    return ++g_calls == g_fail_at ? NULL : malloc(n);
}
static void *f_realloc(void *p, size_t n)
{
    return ++g_calls == g_fail_at ? NULL : realloc(p, n);
}
static const sm_allocator failing = {f_malloc, f_realloc, free};

/* The machine's cache (its latest row) equals what a fresh machine
 * loads from s. */
static void assert_consistent(sm_machine *m, sm_store *s, int64_t parent)
{
    long saved = g_fail_at;
    g_fail_at = 0;
    sm_machine *f = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&f, &tdef_order, s, parent, &l), SM_OK);
    const sm_transition *a = sm_last_transition(m), *b = sm_last_transition(f);
    assert_int_equal(a == NULL, b == NULL);
    if (a) {
        assert_int_equal(a->id, b->id);
        assert_int_equal(a->sort_key, b->sort_key);
        assert_int_equal(a->to_state, b->to_state);
        assert_true(a->most_recent && b->most_recent);
        assert_string_equal(a->metadata, b->metadata);
    }
    assert_int_equal(sm_current_state(m), sm_current_state(f));
    sm_machine_close(f);
    g_fail_at = saved;
}

/* Metadata the parser needs memory for: nested, and 40 keys. */
static const char *many_keys(void)
{
    static char md[1024];
    if (!*md) {
        strcpy(md, "{\"k\":[1,{\"x\":\"y\"}]");
        for (int i = 0; i < 40; i++)
            sprintf(md + strlen(md), ",\"k%d\":%d", i, i);
        strcat(md, "}");
    }
    return md;
}

/* One walk step: open, transition, fire, history reads, reload, open again.
 * Returns true when every call succeeded. */
static bool scenario(void)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    bool ok = false;
    sm_status st = sm_store_open(&s, "memory:");
    if (st != SM_OK) {
        assert_int_equal(st, SM_E_NOMEM);
        assert_null(s);
        return false;
    }
    st = sm_machine_open(&m, &tdef_order, s, 1, &l);
    if (st == SM_OK)
        st = sm_transition_to(m, CHECKING_OUT, many_keys());
    if (st == SM_OK)
        st = sm_fire(m, EV_CANCEL, NULL);
    const sm_transition *h;
    size_t n;
    if (st == SM_OK)
        st = sm_history(m, &h, &n);
    if (st == SM_OK)
        st = sm_history_page(m, 10, 1, &h, &n);
    if (st == SM_OK)
        st = sm_last_transition_to(m, CHECKING_OUT, &h);
    if (st == SM_OK)
        st = sm_last_transition_to(m, CANCELLED, &h);
    if (st == SM_OK)
        st = sm_reload(m);
    if (st != SM_OK)
        assert_int_equal(st, SM_E_NOMEM);
    if (m)
        assert_consistent(m, s, 1);
    ok = st == SM_OK;
    if (ok)
        assert_int_equal(sm_current_state(m), CANCELLED);
    sm_machine_close(m);
    sm_store_close(s);
    return ok;
}

static void allocator_walk(void **state)
{
    (void)state;
    sm_set_allocator(&failing);
    long n;
    for (n = 1; n < 10000; n++) {
        g_calls = 0;
        g_fail_at = n;
        if (scenario())
            break;
    }
    sm_set_allocator(NULL);
    assert_true(n > 5 && n < 10000);
}

/* Queue fire(event) for machines m[0..n) in b; the first status other
 * than SM_OK. */
static sm_status queue_all(sm_batch *b, sm_machine **m, int n, int event,
                           const char *md)
{
    sm_status st = SM_OK;
    for (int i = 0; i < n && st == SM_OK; i++)
        st = sm_batch_fire(b, m[i], event, md);
    return st;
}

/* b's commit; on failure every machine of m[0..3) equals the store
 * (a failed commit reloads them all), but one listed because its own
 * reload failed. */
static sm_status commit_checked(sm_batch *b, sm_machine **m, sm_store *truth)
{
    sm_status st = sm_batch_commit(b);
    const sm_batch_failure *f;
    size_t nf = sm_batch_failures(b, &f);
    for (int i = 0; i < 3 && st != SM_OK; i++) {
        bool reloaded = true; /* unless its reload was what failed */
        for (size_t k = 0; k < nf; k++)
            reloaded &= f[k].machine != m[i] || f[k].status == SM_E_CONFLICT;
        if (reloaded)
            assert_consistent(m[i], truth, i + 1);
    }
    return st;
}

/*
 * One batch walk step on store s (truth: the store it writes through):
 * three machines checked out in a batch, then cancelled in a second one
 * whose parent 2 another machine moved first (a conflict, listed, and
 * m[1] queued again), committed again. Any failure is `fails`, and a
 * failed commit leaves every cache equal to the store. True when every
 * call succeeded.
 */
static bool batch_scenario(sm_store *s, sm_store *truth, sm_status fails)
{
    tlog l = {0};
    sm_machine *m[3] = {NULL, NULL, NULL}, *x = NULL;
    sm_batch *b = NULL;
    sm_status st = SM_OK;
    for (int i = 0; i < 3 && st == SM_OK; i++)
        st = sm_machine_open(&m[i], &tdef_order, s, i + 1, &l);
    if (st == SM_OK)
        st = sm_batch_begin(&b, s);
    if (st == SM_OK)
        st = queue_all(b, m, 3, EV_CHECKOUT, many_keys());
    if (st == SM_OK)
        st = commit_checked(b, m, truth);
    if (st == SM_OK)
        st = sm_machine_open(&x, &tdef_order, s, 2, &l);
    if (st == SM_OK)
        st = sm_transition_to(x, FAILED, NULL);
    if (st == SM_OK)
        st = queue_all(b, m, 3, EV_CANCEL, NULL);
    if (st == SM_OK && (st = commit_checked(b, m, truth)) == SM_E_CONFLICT) {
        const sm_batch_failure *f; /* m[1]'s, and any injected failure */
        size_t nf = sm_batch_failures(b, &f);
        st = nf ? SM_OK : SM_E_CONFLICT;
        for (size_t i = 0; i < nf && st == SM_OK; i++)
            st = f[i].status != SM_E_CONFLICT ? f[i].status
                 : f[i].machine == m[1]
                     ? sm_batch_transition_to(b, m[1], CHECKING_OUT, NULL)
                     : SM_E_CONFLICT;
    }
    if (st == SM_OK)
        st = commit_checked(b, m, truth);
    if (st != SM_OK)
        assert_int_equal(st, fails);
    else {
        assert_int_equal(sm_current_state(m[0]), CANCELLED);
        assert_int_equal(sm_current_state(m[1]), CHECKING_OUT);
        for (int i = 0; i < 3; i++)
            assert_consistent(m[i], truth, i + 1);
    }
    sm_batch_free(b);
    sm_machine_close(x);
    for (int i = 0; i < 3; i++)
        sm_machine_close(m[i]);
    return st == SM_OK;
}

/* Every allocation of a batch's life failed in turn. */
static void batch_allocator_walk(void **state)
{
    (void)state;
    long n;
    for (n = 1; n < 10000; n++) {
        sm_store *s = NULL;
        assert_int_equal(sm_store_open(&s, "memory:"), SM_OK);
        sm_set_allocator(&failing);
        g_calls = 0;
        g_fail_at = n;
        bool ok = batch_scenario(s, s, SM_E_NOMEM);
        g_fail_at = 0;
        sm_set_allocator(NULL);
        sm_store_close(s);
        if (ok)
            break;
    }
    assert_true(n > 20 && n < 10000);
}

/* Every store op of a batch's life failed in turn: the status comes
 * back, nothing is written, the caches equal the store. */
static void batch_store_walk(void **state)
{
    (void)state;
    int n;
    for (n = 1; n < 200; n++) {
        wrap_store w;
        wrap_open(&w);
        w.fail_at = n;
        bool ok = batch_scenario(w.store, w.inner, SM_E_STORE);
        wrap_close(&w);
        if (ok)
            break;
    }
    assert_true(n > 10 && n < 200);
}

/* Store failing op N: the engine returns the code, rolls back, and the
 * cache equals the store. */
static void store_walk(void **state)
{
    (void)state;
    int n;
    for (n = 1; n < 100; n++) {
        wrap_store w;
        wrap_open(&w);
        w.fail_at = n;
        tlog l = {0};
        sm_machine *m = NULL;
        sm_status st = sm_machine_open(&m, &tdef_order, w.store, 1, &l);
        if (st == SM_OK)
            st = sm_transition_to(m, CHECKING_OUT, NULL);
        if (st == SM_OK)
            st = sm_fire(m, EV_CANCEL, NULL);
        if (st != SM_OK) {
            assert_int_equal(st, SM_E_STORE);
            if (m) {
                assert_memory_equal(sm_errmsg(m),
                                    "order 1: injected failure at op ", 32);
                /* ops: load, then begin, insert, commit twice; a failed
                 * begin has no transaction to roll back */
                assert_int_equal(w.rollbacks, n == 2 || n == 5 ? 0 : 1);
                assert_consistent(m, w.inner, 1);
                assert_null(strstr(l.buf, "refund"));
            }
        }
        sm_machine_close(m);
        wrap_close(&w);
        if (st == SM_OK)
            break;
    }
    assert_int_equal(n, 8); /* load, 2 x (begin, insert, commit), +1 */
}

/*
 * A commit fails, and so does the reload after the rollback: the cache
 * must not keep the row the rollback undid, and the next write reloads
 * first (its prev is the stored one, so it does not conflict).
 */
static void commit_and_reload_fail(void **state)
{
    (void)state;
    wrap_store w;
    wrap_open(&w);
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &tdef_order, w.store, 1, &l), SM_OK);
    w.fail_at = 4; /* begin 2, insert 3, commit 4, reload 5 */
    w.fail_more = 1;
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_E_STORE);
    assert_int_equal(w.calls, 5);
    assert_int_equal(sm_current_state(m), PENDING);
    assert_null(sm_last_transition(m));
    assert_consistent(m, w.inner, 1);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_int_equal(w.calls, 9); /* the reload first, then the write */
    assert_int_equal(sm_last_transition(m)->sort_key, 10);
    sm_machine_close(m);
    wrap_close(&w);
}

/* A wrap store with machines of parents 1 and 2 on it, and a batch. */
static void open_two(wrap_store *w, sm_machine **m, sm_batch **b, tlog *l)
{
    wrap_open(w);
    for (int i = 0; i < 2; i++)
        assert_int_equal(
            sm_machine_open(&m[i], &tdef_order, w->store, i + 1, l), SM_OK);
    assert_int_equal(sm_batch_begin(b, w->store), SM_OK);
}

/* The same for a batch: a failed commit whose reloads fail too leaves
 * no machine showing the row the rollback undid. */
static void batch_commit_and_reload_fail(void **state)
{
    (void)state;
    wrap_store w;
    sm_machine *m[2] = {NULL, NULL};
    sm_batch *b = NULL;
    tlog l = {0};
    open_two(&w, m, &b, &l);
    assert_int_equal(queue_all(b, m, 2, EV_CHECKOUT, NULL), SM_OK);
    w.fail_at = 5; /* begin 3, insert 4, commit 5, reloads 6 and 7 */
    w.fail_more = 2;
    assert_int_equal(sm_batch_commit(b), SM_E_STORE);
    assert_int_equal(w.calls, 7);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sm_current_state(m[i]), PENDING);
        assert_null(sm_last_transition(m[i]));
        assert_consistent(m[i], w.inner, i + 1);
    }
    assert_int_equal(sm_transition_to(m[0], CANCELLED, NULL), SM_OK);
    assert_int_equal(sm_last_transition(m[0])->sort_key, 10);
    sm_batch_free(b);
    for (int i = 0; i < 2; i++)
        sm_machine_close(m[i]);
    wrap_close(&w);
}

/*
 * A batch's commit that committed but whose reply was lost (a connection
 * lost during COMMIT): the reloads show the batch's own rows, so the
 * commit is SM_OK, after_commit runs once per item, nothing is listed
 * and the batch is empty. A reply lost with a status that says the
 * commit failed (not SM_E_STORE) is taken at its word.
 */
static void batch_commit_reply_lost(void **state)
{
    (void)state;
    wrap_store w;
    sm_machine *m[2] = {NULL, NULL};
    sm_batch *b = NULL;
    tlog l = {0};
    open_two(&w, m, &b, &l);
    assert_int_equal(queue_all(b, m, 2, EV_CANCEL, NULL), SM_OK);
    w.lose_commits = 1;
    l.buf[0] = '\0';
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(w.lose_commits, 0);
    assert_string_equal(l.buf, "refund(0>5@5) audit(0>5@5) refund(0>5@5) "
                               "audit(0>5@5) ");
    assert_int_equal(sm_batch_failures(b, NULL), 0);
    assert_string_equal(sm_batch_errmsg(b), "");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sm_current_state(m[i]), CANCELLED);
        assert_consistent(m[i], w.inner, i + 1);
    }
    assert_int_equal(sm_batch_commit(b), SM_OK); /* empty */
    sm_batch_free(b);
    for (int i = 0; i < 2; i++)
        sm_machine_close(m[i]);
    wrap_close(&w);
}

static void retry_rules(void **state)
{
    (void)state;
    struct {
        sm_status code;
        int fail, attempts;
        sm_status want;
        int ins;
    } cases[] = {
        {SM_E_CONFLICT, 1, 3, SM_OK, 2},
        {SM_E_DEADLOCK, 1, 3, SM_OK, 2},
        {SM_E_CLUSTER_CONFLICT, 2, 3, SM_OK, 3},
        {SM_E_CLUSTER_CONFLICT, 99, 2, SM_E_CLUSTER_CONFLICT, 2},
        {SM_E_CONFLICT, 99, 3, SM_E_CONFLICT, 3},
        {SM_E_STORE, 1, 3, SM_E_STORE, 1},
        {SM_E_NOMEM, 1, 3, SM_E_NOMEM, 1},
    };
    /* both retry helpers, each through sm_status_retryable() */
    for (size_t i = 0; i < 2 * sizeof cases / sizeof cases[0]; i++) {
        size_t c = i / 2;
        wrap_store w;
        wrap_open(&w);
        w.code = cases[c].code;
        w.fail_inserts = cases[c].fail;
        sm_machine *m = NULL;
        tlog l = {0};
        assert_int_equal(sm_machine_open(&m, &tdef_order, w.store, 1, &l),
                         SM_OK);
        assert_int_equal(
            i % 2 ? sm_fire_retry(m, EV_CHECKOUT, NULL, cases[c].attempts)
                  : sm_transition_to_retry(m, CHECKING_OUT, NULL,
                                           cases[c].attempts),
            cases[c].want);
        assert_int_equal(w.inserts, cases[c].ins);
        assert_consistent(m, w.inner, 1);
        sm_machine_close(m);
        wrap_close(&w);
    }
}

static void guard_not_retried(void **state)
{
    (void)state;
    wrap_store w;
    wrap_open(&w);
    sm_machine *m = NULL;
    tlog l = {0};
    sm_machine_open(&m, &tdef_order, w.store, 1, &l);
    sm_transition_to(m, CHECKING_OUT, NULL);
    l.buf[0] = 0;
    assert_int_equal(sm_transition_to_retry(m, PURCHASED, NULL, 5),
                     SM_E_GUARD_FAILED);
    assert_string_equal(l.buf, "payment_ok(1>2@1) log_guard(1>2@1) ");
    sm_machine_close(m);
    wrap_close(&w);
}

/* With a caller-owned transaction, after_commit waits for the signal;
 * the machine may be closed before it (hooks get m == NULL). */
static void deferred_after_commit(void **state)
{
    (void)state;
    for (int commit = 0; commit < 2; commit++) {
        wrap_store w;
        wrap_open(&w);
        w.deferred = true;
        sm_machine *m = NULL;
        tlog l = {0};
        sm_machine_open(&m, &tdef_order, w.store, 1, &l);
        assert_int_equal(sm_fire(m, EV_CANCEL, NULL), SM_OK);
        assert_string_equal(l.buf, "");
        sm_machine_close(m);
        sm_store_signal_commit(w.store, commit);
        assert_string_equal(l.buf,
                            commit ? "refund(0>5@-9) audit(0>5@-9) " : "");
        sm_store_signal_commit(w.store, true); /* queue now empty */
        assert_string_equal(l.buf,
                            commit ? "refund(0>5@-9) audit(0>5@-9) " : "");
        wrap_close(&w);
    }
}

/* A batch inside a caller's transaction: its after_commit hooks wait
 * for the signal and run in queue order; a rollback drops them. */
static void batch_deferred_after_commit(void **state)
{
    (void)state;
    for (int commit = 0; commit < 2; commit++) {
        wrap_store w;
        wrap_open(&w);
        w.deferred = true;
        sm_machine *m[2] = {NULL, NULL};
        tlog l = {0};
        sm_batch *b = NULL;
        sm_batch_begin(&b, w.store);
        sm_machine_open(&m[0], &tdef_order, w.store, 1, &l);
        sm_machine_open(&m[1], &tdef_order, w.store, 2, &l);
        assert_int_equal(sm_transition_to(m[1], CHECKING_OUT, NULL), SM_OK);
        assert_int_equal(queue_all(b, m, 2, EV_CANCEL, NULL), SM_OK);
        assert_int_equal(sm_batch_commit(b), SM_OK);
        assert_string_equal(l.buf, "");
        assert_int_equal(sm_store_signal_commit(w.store, commit), SM_OK);
        assert_string_equal(l.buf, commit ? "refund(0>5@-9) audit(0>5@-9) "
                                            "refund(1>5@-9) audit(1>5@-9) "
                                          : "");
        sm_batch_free(b);
        sm_machine_close(m[0]);
        sm_machine_close(m[1]);
        wrap_close(&w);
    }
}

/* A batch whose machine a caller's rollback left stale reads that
 * machine's latest row in the batch's transaction; when that read fails,
 * the commit says so with the store's status and message, nothing
 * written. */
static void batch_stale_load_fails(void **state)
{
    (void)state;
    wrap_store w;
    wrap_open(&w);
    w.deferred = true;
    w.code = SM_E_STORE;
    sm_machine *m = NULL, *o = NULL; /* o: another write of the tx */
    tlog l = {0};
    sm_batch *b = NULL;
    sm_batch_begin(&b, w.store);
    sm_machine_open(&o, &tdef_order, w.store, 2, &l);
    sm_machine_open(&m, &tdef_order, w.store, 1, &l);
    assert_int_equal(queue_all(b, &m, 1, EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(o, CHECKING_OUT, NULL), SM_OK);
    w.fail_at = w.calls + 1, w.fail_more = 1; /* the rollback's reloads */
    assert_int_equal(sm_store_signal_commit(w.store, false), SM_E_STORE);
    w.fail_more = 0;
    w.fail_at = w.calls + 3; /* begin, insert, then the stale read */
    assert_int_equal(sm_batch_commit(b), SM_E_STORE);
    assert_non_null(strstr(sm_batch_errmsg(b), w.err));
    w.fail_at = 0;
    sm_machine *r = NULL;
    const sm_transition *h;
    size_t n = 1;
    assert_int_equal(sm_machine_open(&r, &tdef_order, w.inner, 1, &l), SM_OK);
    assert_int_equal(sm_history(r, &h, &n), SM_OK);
    assert_int_equal(n, 0);
    sm_machine_close(r);
    sm_batch_free(b);
    sm_machine_close(m);
    sm_machine_close(o);
    wrap_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocator_walk),
        cmocka_unit_test(store_walk),
        cmocka_unit_test(batch_stale_load_fails),
        cmocka_unit_test(commit_and_reload_fail),
        cmocka_unit_test(batch_commit_and_reload_fail),
        cmocka_unit_test(batch_commit_reply_lost),
        cmocka_unit_test(retry_rules),
        cmocka_unit_test(guard_not_retried),
        cmocka_unit_test(deferred_after_commit),
        cmocka_unit_test(batch_allocator_walk),
        cmocka_unit_test(batch_store_walk),
        cmocka_unit_test(batch_deferred_after_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
