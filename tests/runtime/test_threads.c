/*
 * test_threads.c - many threads, one memory store, a few shared parents.
 *
 * Each thread has its own machine and walks checking_out <-> failed with
 * sm_transition_to_retry. Every SM_OK must be a stored row; each parent
 * ends with one most_recent (its highest sort_key) and unique sort keys.
 * Then threads toggle shared lamps with sm_fire_retry, where every call
 * must succeed, and toggle them all in batches, every batch landing.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tlamp.h"

enum { NTHREADS = 8, NPARENTS = 3, STEPS = 200 };

static sm_store *g_store;

typedef struct worker {
    int64_t parent;
    int ok;
} worker;

/* The next target from what the machine believes now. */
static int next_target(sm_machine *m)
{
    return sm_current_state(m) == CHECKING_OUT ? FAILED : CHECKING_OUT;
}

static void *run(void *arg)
{
    worker *w = arg;
    tlog l = {0};
    sm_machine *m = NULL;
    if (sm_machine_open(&m, &tdef_order, g_store, w->parent, &l) != SM_OK)
        return NULL;
    for (int i = 0; i < STEPS; i++) {
        l.buf[0] = 0;
        sm_status st = sm_transition_to_retry(m, next_target(m), NULL, 50);
        if (st == SM_OK)
            w->ok++;
        else if (st == SM_E_TRANSITION_FAILED) /* lost a race, reloaded */
            continue;
        else
            break;
    }
    sm_machine_close(m);
    return NULL;
}

/* Run fn in NTHREADS threads on a fresh g_store, worker i on parent
 * 1 + i % NPARENTS; return when all are done. */
static void run_threads(void *(*fn)(void *), worker *w)
{
    pthread_t th[NTHREADS];
    assert_int_equal(sm_store_open(&g_store, "memory:"), SM_OK);
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (worker){1 + i % NPARENTS, 0};
        assert_int_equal(pthread_create(&th[i], NULL, fn, &w[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(th[i], NULL);
}

static void threads_share_parents(void **state)
{
    (void)state;
    worker w[NTHREADS];
    run_threads(run, w);
    int ok[NPARENTS] = {0};
    for (int i = 0; i < NTHREADS; i++)
        ok[i % NPARENTS] += w[i].ok;
    for (int p = 0; p < NPARENTS; p++) {
        sm_machine *m = NULL;
        tlog l = {0};
        assert_int_equal(sm_machine_open(&m, &tdef_order, g_store, 1 + p, &l),
                         SM_OK);
        const sm_transition *h;
        size_t n;
        sm_history(m, &h, &n);
        assert_int_equal(n, ok[p]);
        assert_true(n >= STEPS / 2);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(h[i].sort_key, 10 * (int)(i + 1));
            assert_int_equal(h[i].most_recent, i == n - 1);
            if (i)
                assert_int_equal(h[i].from_state, h[i - 1].to_state);
        }
        sm_machine_close(m);
    }
    sm_store_close(g_store);
}

/* Toggle a lamp STEPS times with sm_fire_retry; count SM_OKs. */
static void *toggler(void *arg)
{
    worker *w = arg;
    tlog l = {0};
    sm_machine *m = NULL;
    if (sm_machine_open(&m, &tdef_lamp, g_store, w->parent, &l) != SM_OK)
        return NULL;
    for (int i = 0; i < STEPS; i++) {
        l.buf[0] = 0;
        if (sm_fire_retry(m, EV_TOGGLE, LAMP_POWER, 100000) != SM_OK)
            break;
        w->ok++;
    }
    sm_machine_close(m);
    return NULL;
}

/* Lamp parent's history on g_store: `want` rows alternating off -> on
 * -> off with no gap, one most_recent, on the last. */
static void assert_alternates(int64_t parent, size_t want)
{
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &tdef_lamp, g_store, parent, &l),
                     SM_OK);
    const sm_transition *h;
    size_t n;
    sm_history(m, &h, &n);
    assert_int_equal(n, want);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(h[i].sort_key, 10 * (int)(i + 1));
        assert_int_equal(h[i].from_state, i % 2 ? LAMP_ON : LAMP_OFF);
        assert_int_equal(h[i].to_state, i % 2 ? LAMP_OFF : LAMP_ON);
        assert_int_equal(h[i].most_recent, i == n - 1);
    }
    sm_machine_close(m);
}

/*
 * Threads toggle shared lamps. The target depends on the state, yet
 * sm_fire_retry never loses a race for good: every call succeeds and
 * each history alternates off -> on -> off with no gap.
 */
static void threads_toggle_with_fire_retry(void **state)
{
    (void)state;
    worker w[NTHREADS];
    run_threads(toggler, w);
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(w[i].ok, STEPS);
    for (int p = 0; p < NPARENTS; p++)
        assert_alternates(1 + p, STEPS * ((NTHREADS - 1 - p) / NPARENTS + 1));
    sm_store_close(g_store);
}

/*
 * A thread toggles every lamp in one batch, STEPS times: each commit
 * that fails is tried again with the named lamps queued again (their
 * machines reloaded, so the toggle resolves afresh).
 */
static void *batch_toggler(void *arg)
{
    worker *w = arg;
    tlog l = {0};
    sm_machine *m[NPARENTS] = {NULL};
    sm_batch *b = NULL;
    sm_batch_begin(&b, g_store);
    for (int p = 0; p < NPARENTS; p++)
        if (sm_machine_open(&m[p], &tdef_lamp, g_store, 1 + p, &l) != SM_OK)
            return NULL;
    for (int i = 0; i < STEPS; i++) {
        for (int p = 0; p < NPARENTS; p++)
            sm_batch_fire(b, m[p], EV_TOGGLE, LAMP_POWER);
        sm_status st;
        for (int k = 0; (st = sm_batch_commit(b)) != SM_OK && k < 100000; k++) {
            const sm_batch_failure *f;
            size_t n = sm_batch_failures(b, &f);
            for (size_t j = 0; j < n; j++)
                sm_batch_fire(b, f[j].machine, EV_TOGGLE, LAMP_POWER);
        }
        if (st != SM_OK)
            break;
        w->ok++;
    }
    sm_batch_free(b);
    for (int p = 0; p < NPARENTS; p++)
        sm_machine_close(m[p]);
    return NULL;
}

/* Threads commit batches over the same lamps: every batch lands once,
 * each history alternates with no gap and one most_recent. */
static void threads_batch_the_same_parents(void **state)
{
    (void)state;
    worker w[NTHREADS];
    run_threads(batch_toggler, w);
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(w[i].ok, STEPS);
    for (int p = 0; p < NPARENTS; p++)
        assert_alternates(1 + p, STEPS * NTHREADS);
    sm_store_close(g_store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_share_parents),
        cmocka_unit_test(threads_toggle_with_fire_retry),
        cmocka_unit_test(threads_batch_the_same_parents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
