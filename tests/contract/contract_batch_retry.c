/*
 * contract_batch_retry.c - sm_batch_commit_retry on the store under
 * test: a second writer beats some items; retrying queues exactly those
 * again from their reloaded machines and commits; items the fresh state
 * refuses are listed while the rest commit; what is not retryable is
 * not retried.
 */
#include <stdio.h>
#include <string.h>

#include "cpriv.h"
#include "tlamp.h"

enum { N = 5 };

typedef struct fixture {
    sm_store *s;
    sm_batch *b;
    int64_t p[N];
    sm_machine *m[N];
    tlog l;
} fixture;

/* N fresh parents, their machines, and each fired `event` in a batch. */
static void setup(fixture *f, int event)
{
    memset(f, 0, sizeof *f);
    f->s = c_open_store();
    assert_int_equal(sm_batch_begin(&f->b, f->s), SM_OK);
    for (int i = 0; i < N; i++) {
        f->p[i] = c_fresh();
        f->m[i] = c_open_m(&tdef_order, f->s, f->p[i], &f->l);
        assert_int_equal(sm_batch_fire(f->b, f->m[i], event, "{\"n\":1}"),
                         SM_OK);
    }
}

static void teardown(fixture *f)
{
    sm_batch_free(f->b);
    for (int i = 0; i < N; i++)
        sm_machine_close(f->m[i]);
    sm_store_close(f->s);
}

/* A second writer, another machine on s (the memory store's handles do
 * not share data), moves parent to `to` behind the batch's back. */
static void second_writer(sm_store *s, int64_t parent, int to)
{
    tlog l = {0};
    sm_machine *o = c_open_m(&tdef_order, s, parent, &l);
    assert_int_equal(sm_transition_to(o, to, NULL), SM_OK);
    sm_machine_close(o);
}

/* Two items beaten: one retry writes all five, the beaten two after
 * the second writer's rows, with the metadata they were queued with;
 * the others are written once. */
static void retry_requeues_beaten(void **st)
{
    (void)st;
    fixture f;
    setup(&f, EV_CANCEL);
    second_writer(f.s, f.p[1], CHECKING_OUT);
    second_writer(f.s, f.p[3], CHECKING_OUT);
    assert_int_equal(sm_batch_commit_retry(f.b, 2), SM_OK);
    assert_int_equal(sm_batch_failures(f.b, NULL), 0);
    assert_string_equal(sm_batch_errmsg(f.b), "");
    for (int i = 0; i < N; i++) {
        const sm_transition *t = sm_last_transition(f.m[i]);
        bool beaten = i == 1 || i == 3;
        assert_int_equal(sm_current_state(f.m[i]), CANCELLED);
        assert_int_equal(t->from_state, beaten ? CHECKING_OUT : PENDING);
        assert_int_equal(t->sort_key, beaten ? 20 : 10);
        assert_string_equal(t->metadata, "{\"n\":1}");
        assert_int_equal(c_stored_rows(f.s, f.p[i]), beaten ? 2 : 1);
    }
    /* after_commit ran once per item, the re-queued last */
    char want[512] = "";
    for (int k = 0; k < N; k++)
        strcat(want, k < 3 ? "refund(0>5@5) audit(0>5@5) "
                           : "refund(1>5@5) audit(1>5@5) ");
    assert_string_equal(f.l.buf, want);
    teardown(&f);
}

/* The same race with one attempt: the conflict comes back, nothing is
 * written, the beaten items are listed and not queued again. */
static void retry_one_attempt_is_commit(void **st)
{
    (void)st;
    fixture f;
    setup(&f, EV_CANCEL);
    second_writer(f.s, f.p[2], CHECKING_OUT);
    assert_int_equal(sm_batch_commit_retry(f.b, 1), SM_E_CONFLICT);
    const sm_batch_failure *fl;
    assert_int_equal(sm_batch_failures(f.b, &fl), 1);
    assert_ptr_equal(fl[0].machine, f.m[2]);
    assert_int_equal(fl[0].status, SM_E_CONFLICT);
    for (int i = 0; i < N; i++)
        assert_int_equal(c_stored_rows(f.s, f.p[i]), i == 2);
    /* the four others are still queued; item 2 is not */
    assert_int_equal(sm_batch_commit(f.b), SM_OK);
    for (int i = 0; i < N; i++)
        assert_int_equal(sm_current_state(f.m[i]),
                         i == 2 ? CHECKING_OUT : CANCELLED);
    assert_int_equal(sm_batch_commit_retry(f.b, 0), SM_E_ARG);
    assert_string_equal(sm_batch_errmsg(f.b),
                        "sm_batch_commit_retry: attempts is 0, not >= 1");
    assert_int_equal(sm_batch_commit_retry(NULL, 3), SM_E_ARG);
    teardown(&f);
}

/* The second writer cancels an order the batch checks out: queued
 * again, checkout is refused from cancelled; the rest commit, SM_OK,
 * and the refused item is the one failure listed. */
static void retry_lists_refused(void **st)
{
    (void)st;
    fixture f;
    setup(&f, EV_CHECKOUT);
    second_writer(f.s, f.p[0], CHECKING_OUT);
    second_writer(f.s, f.p[4], CANCELLED);
    assert_int_equal(sm_batch_commit_retry(f.b, 3), SM_OK);
    const sm_batch_failure *fl;
    assert_int_equal(sm_batch_failures(f.b, &fl), 2);
    const char *no = "event 'checkout' has no transition from ";
    char want[2][200];
    snprintf(want[0], sizeof want[0], "%schecking_out", no);
    snprintf(want[1], sizeof want[1], "%scancelled", no);
    for (int k = 0; k < 2; k++) {
        assert_ptr_equal(fl[k].machine, f.m[k ? 4 : 0]);
        assert_int_equal(fl[k].status, SM_E_TRANSITION_FAILED);
        assert_string_equal(fl[k].message, want[k]);
    }
    char msg[600];
    snprintf(msg, sizeof msg,
             "committed; 2 items refused when queued again, not written; "
             "the first: %s",
             want[0]);
    assert_string_equal(sm_batch_errmsg(f.b), msg);
    for (int i = 0; i < N; i++) {
        int want_state = i == 4 ? CANCELLED : CHECKING_OUT;
        assert_int_equal(sm_current_state(f.m[i]), want_state);
        assert_int_equal(c_stored_rows(f.s, f.p[i]), 1);
    }
    /* b is empty: committing again writes nothing */
    assert_int_equal(sm_batch_commit(f.b), SM_OK);
    assert_int_equal(c_stored_rows(f.s, f.p[1]), 1);
    teardown(&f);
}

/* An after hook aborts: SM_E_CALLBACK is not retried (the hook ran
 * once), the item is listed, the others stay queued. */
static void retry_not_callback(void **st)
{
    (void)st;
    fixture f;
    setup(&f, EV_CHECKOUT);
    assert_int_equal(sm_batch_commit(f.b), SM_OK);
    tlog l[N];
    for (int i = 0; i < N; i++) {
        memset(&l[i], 0, sizeof l[i]);
        sm_machine_close(f.m[i]);
        f.m[i] = c_open_m(&tdef_order, f.s, f.p[i], &l[i]);
        assert_int_equal(sm_transition_to(f.m[i], PURCHASED, "{\"paid\":true}"),
                         SM_OK);
        assert_int_equal(sm_batch_transition_to(f.b, f.m[i], SHIPPED, NULL),
                         SM_OK);
        l[i].buf[0] = '\0';
    }
    l[1].fail_after = 1;
    assert_int_equal(sm_batch_commit_retry(f.b, 5), SM_E_CALLBACK);
    assert_string_equal(l[0].buf, "notify_shipping(2>4@4) ");
    assert_string_equal(l[1].buf, "notify_shipping(2>4@4) ");
    const sm_batch_failure *fl;
    assert_int_equal(sm_batch_failures(f.b, &fl), 1);
    assert_ptr_equal(fl[0].machine, f.m[1]);
    assert_int_equal(fl[0].status, SM_E_CALLBACK);
    for (int i = 0; i < N; i++)
        assert_int_equal(c_stored_rows(f.s, f.p[i]), 2);
    assert_int_equal(sm_batch_commit(f.b), SM_OK);
    for (int i = 0; i < N; i++)
        assert_int_equal(c_stored_rows(f.s, f.p[i]), i == 1 ? 2 : 3);
    teardown(&f);
}

const struct CMUnitTest sm_contract_batch_retry_tests[] = {
    cmocka_unit_test(retry_requeues_beaten),
    cmocka_unit_test(retry_one_attempt_is_commit),
    cmocka_unit_test(retry_lists_refused),
    cmocka_unit_test(retry_not_callback),
};
const size_t sm_contract_batch_retry_count =
    sizeof sm_contract_batch_retry_tests /
    sizeof sm_contract_batch_retry_tests[0];
