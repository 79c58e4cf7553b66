/*
 * test_engine.c - the engine's behaviour, ported from Statesman's
 * machine specs, on the memory store and the hand-written order def.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <sm/sys/store.h>

#include "tdef.h"
#ifndef SM_TEST_NO_MYSQL
#include <sm/mysql.h>
#endif

typedef struct fx {
    sm_store *s;
    sm_machine *m;
    tlog l;
} fx;

static int setup(void **state)
{
    static fx f;
    memset(&f, 0, sizeof f);
    assert_int_equal(sm_store_open(&f.s, "memory:"), SM_OK);
    assert_int_equal(sm_machine_open(&f.m, &tdef_order, f.s, 1, &f.l), SM_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sm_machine_close(f->m);
    sm_store_close(f->s);
    return 0;
}

static void current_state_and_in_state(void **state)
{
    fx *f = *state;
    assert_int_equal(sm_current_state(f->m), PENDING);
    assert_true(sm_in_state(f->m, PENDING));
    assert_int_equal(sm_transition_to(f->m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_current_state(f->m), CHECKING_OUT);
    assert_false(sm_in_state(f->m, PENDING));
    assert_true(sm_in_state(f->m, CHECKING_OUT));
}

static void can_transition_to(void **state)
{
    fx *f = *state;
    assert_int_equal(sm_can_transition_to(f->m, SHIPPED, NULL),
                     SM_E_TRANSITION_FAILED);
    assert_string_equal(sm_errmsg(f->m), "no transition pending -> shipped");
    sm_transition_to(f->m, CHECKING_OUT, NULL);
    f->l.buf[0] = 0;
    assert_int_equal(sm_can_transition_to(f->m, SHIPPED, "{\"paid\":true}"),
                     SM_E_TRANSITION_FAILED);
    assert_string_equal(f->l.buf, ""); /* guards not called */
    assert_int_equal(sm_can_transition_to(f->m, PURCHASED, NULL),
                     SM_E_GUARD_FAILED);
    assert_string_equal(f->l.buf, "payment_ok(1>2@1) "); /* no log_guard */
    assert_int_equal(sm_can_transition_to(f->m, PURCHASED, "{\"paid\":true}"),
                     SM_OK);
}

static void failure_callbacks(void **state)
{
    fx *f = *state;
    assert_int_equal(sm_transition_to(f->m, SHIPPED, NULL),
                     SM_E_TRANSITION_FAILED);
    assert_string_equal(f->l.buf, "log_failure(0>4@0) ");
    sm_transition_to(f->m, CHECKING_OUT, NULL);
    f->l.buf[0] = 0;
    assert_int_equal(sm_transition_to(f->m, PURCHASED, "{\"paid\":false}"),
                     SM_E_GUARD_FAILED);
    assert_string_equal(f->l.buf, "payment_ok(1>2@1) log_guard(1>2@1) ");
    assert_string_equal(sm_errmsg(f->m),
                        "guard 'payment_ok' rejected checking_out -> "
                        "purchased");
}

static void before_old_after_new(void **state)
{
    fx *f = *state;
    sm_transition_to(f->m, CHECKING_OUT, NULL);
    f->l.buf[0] = 0;
    assert_int_equal(sm_transition_to(f->m, PURCHASED, "{\"paid\":true}"),
                     SM_OK);
    assert_string_equal(f->l.buf, "payment_ok(1>2@1) reserve_stock(1>2@1) ");
    f->l.buf[0] = 0;
    assert_int_equal(sm_transition_to(f->m, SHIPPED, NULL), SM_OK);
    assert_string_equal(f->l.buf, "notify_shipping(2>4@4) ");
}

static void before_abort_writes_nothing(void **state)
{
    fx *f = *state;
    sm_transition_to(f->m, CHECKING_OUT, NULL);
    f->l.fail_before = 7;
    assert_int_equal(sm_transition_to(f->m, PURCHASED, "{\"paid\":true}"),
                     SM_E_CALLBACK);
    assert_string_equal(sm_errmsg(f->m), "before hook 'reserve_stock' "
                                         "aborted checking_out -> purchased");
    assert_int_equal(sm_current_state(f->m), CHECKING_OUT);
    assert_int_equal(sm_reload(f->m), SM_OK);
    assert_int_equal(sm_last_transition(f->m)->sort_key, 10);
}

static void history_and_last(void **state)
{
    fx *f = *state;
    assert_null(sm_last_transition_to(f->m, CHECKING_OUT));
    sm_transition_to(f->m, CHECKING_OUT, "{\"n\":1}");
    sm_transition_to(f->m, FAILED, NULL);
    sm_transition_to(f->m, CHECKING_OUT, "{\"n\":2}");
    sm_transition_to(f->m, FAILED, NULL);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(f->m, &h, &n), SM_OK);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(h[i].sort_key, 10 * (int)(i + 1));
    assert_ptr_equal(sm_last_transition(f->m), &h[3]);
    assert_string_equal(sm_last_transition_to(f->m, CHECKING_OUT)->metadata,
                        "{\"n\":2}");
    assert_int_equal(sm_last_transition_to(f->m, CHECKING_OUT)->sort_key, 30);
}

static void after_commit_runs_after_commit(void **state)
{
    fx *f = *state;
    assert_int_equal(sm_fire(f->m, EV_CANCEL, NULL), SM_OK);
    assert_string_equal(f->l.buf, "refund(0>5@5) audit(0>5@5) ");
}

static void metadata_validation(void **state)
{
    fx *f = *state;
    assert_int_equal(sm_can_transition_to(f->m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_can_transition_to(f->m, CHECKING_OUT, "{}"), SM_OK);
    assert_int_equal(sm_can_transition_to(f->m, CHECKING_OUT, "[]"),
                     SM_E_METADATA);
    assert_int_equal(sm_can_transition_to(f->m, CHECKING_OUT, "1"),
                     SM_E_METADATA);
    assert_int_equal(sm_transition_to(f->m, CHECKING_OUT, "{bad"),
                     SM_E_METADATA);
    assert_int_equal(
        sm_can_transition_to(f->m, CHECKING_OUT, "{\"a\":1,\"a\":2}"),
        SM_E_METADATA);
    assert_int_equal(
        sm_transition_to(f->m, CHECKING_OUT, "{\"a\":{\"b\":[1]}}"), SM_OK);
    assert_string_equal(sm_last_transition(f->m)->metadata,
                        "{\"a\":{\"b\":[1]}}");
}

static void fire(void **state)
{
    fx *f = *state;
    assert_int_equal(sm_fire(f->m, EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_current_state(f->m), CHECKING_OUT);
    f->l.buf[0] = 0;
    assert_int_equal(sm_fire(f->m, EV_CHECKOUT, NULL), SM_E_TRANSITION_FAILED);
    assert_string_equal(f->l.buf, "log_failure(1>-1@1) ");
    assert_string_equal(sm_errmsg(f->m),
                        "event 'checkout' has no transition from "
                        "checking_out");
    assert_int_equal(sm_fire(f->m, EV_CANCEL, NULL), SM_OK);
    assert_int_equal(sm_current_state(f->m), CANCELLED);
    assert_int_equal(sm_fire(f->m, 2, NULL), SM_E_ARG);
    assert_int_equal(sm_fire(f->m, -1, NULL), SM_E_ARG);
}

static void arg_errors(void **state)
{
    fx *f = *state;
    sm_machine *m = (sm_machine *)1;
    sm_def bad = tdef_order;
    bad.version = 99;
    assert_int_equal(sm_machine_open(&m, &bad, f->s, 1, NULL), SM_E_ARG);
    assert_null(m);
    assert_int_equal(sm_machine_open(&m, &tdef_order, NULL, 1, NULL), SM_E_ARG);
    assert_int_equal(sm_machine_open(NULL, &tdef_order, f->s, 1, NULL),
                     SM_E_ARG);
    assert_int_equal(sm_transition_to(f->m, 6, NULL), SM_E_ARG);
    assert_int_equal(sm_transition_to(f->m, -1, NULL), SM_E_ARG);
    assert_int_equal(sm_transition_to(NULL, 1, NULL), SM_E_ARG);
    assert_int_equal(sm_can_transition_to(NULL, 1, NULL), SM_E_ARG);
    assert_int_equal(sm_transition_to_retry(f->m, 1, NULL, 0), SM_E_ARG);
    assert_int_equal(sm_history(NULL, NULL, NULL), SM_E_ARG);
    assert_int_equal(sm_reload(NULL), SM_E_ARG);
    assert_int_equal(sm_current_state(NULL), -1);
    assert_null(sm_last_transition(NULL));
    sm_machine_close(NULL);
    sm_store_close(NULL);
}

static void store_open_errors(void **state)
{
    (void)state;
    sm_store *s = NULL;
    assert_int_equal(sm_store_open(&s, "nosuch:"), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s), "unknown store URL 'nosuch:' "
                                            "(expected memory: or mysql://)");
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &tdef_order, s, 1, NULL), SM_E_ARG);
    sm_store_close(s);
    assert_int_equal(sm_store_open(NULL, "memory:"), SM_E_ARG);
#ifdef SM_TEST_NO_MYSQL
    assert_int_equal(sm_store_open(&s, "mysql://root@localhost/x"), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s), "mysql: support not built");
    sm_store_close(s);
#endif
}

static void conflict_message(void **state)
{
    fx *f = *state;
    sm_machine *b = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&b, &tdef_order, f->s, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(f->m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(b, CANCELLED, NULL), SM_E_CONFLICT);
    assert_string_equal(sm_errmsg(b),
                        "order 1: another writer transitioned it first "
                        "(sort_key 10 taken): memory: it has a newer "
                        "transition (parent 1)");
    sm_machine_close(b);
}

/* Fail m with a known message, so a stale one would show. */
static void poison(sm_machine *m)
{
    assert_int_equal(sm_transition_to(m, 99, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(m), "unknown state 99");
}

/* Every failing call leaves its own message in the machine. */
static void machine_messages(void **state)
{
    fx *f = *state;
    const sm_transition *h;
    poison(f->m);
    assert_int_equal(sm_history(f->m, NULL, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(f->m), "sm_history: rows or n is NULL");
    poison(f->m);
    assert_int_equal(sm_history(f->m, &h, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(f->m), "sm_history: rows or n is NULL");
    size_t n;
    poison(f->m);
    assert_int_equal(sm_allowed_transitions(f->m, NULL, 0, NULL, NULL),
                     SM_E_ARG);
    assert_string_equal(sm_errmsg(f->m), "sm_allowed_transitions: n is NULL");
    poison(f->m);
    assert_int_equal(sm_allowed_events(f->m, NULL, 0, &n, "[]"), SM_E_METADATA);
    assert_string_equal(sm_errmsg(f->m), "metadata: not a JSON object");
    poison(f->m);
    assert_int_equal(sm_fire_retry(f->m, EV_CANCEL, NULL, 0), SM_E_ARG);
    assert_string_equal(sm_errmsg(f->m),
                        "sm_fire_retry: attempts is 0, not >= 1");
    poison(f->m);
    assert_int_equal(sm_transition_to_retry(f->m, CHECKING_OUT, NULL, 0),
                     SM_E_ARG);
    assert_string_equal(sm_errmsg(f->m),
                        "sm_transition_to_retry: attempts is 0, not >= 1");
    poison(f->m);
    assert_int_equal(sm_can_transition_to(f->m, -2, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(f->m), "unknown state -2");
    poison(f->m);
    assert_int_equal(sm_fire(f->m, 7, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(f->m), "unknown event 7");
    poison(f->m);
    assert_int_equal(sm_transition_to(f->m, CHECKING_OUT, "[1]"),
                     SM_E_METADATA);
    assert_string_equal(sm_errmsg(f->m), "metadata: not a JSON object");
    poison(f->m);
    assert_int_equal(sm_transition_to(f->m, CHECKING_OUT, "{\"a\" 1}"),
                     SM_E_METADATA);
    assert_string_equal(sm_errmsg(f->m), "metadata: expected ':' at byte 5");
}

/* Fail s with a known message. */
static void poison_store(sm_store *s)
{
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(sm_store_in_state(s, &tdef_order, (int[]){9}, 1, &ids, &n),
                     SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s),
                        "sm_store_in_state: order has no state 9");
}

/* Store-level calls, NULL arguments included, say why they failed. */
static void store_messages(void **state)
{
    fx *f = *state;
    int64_t *ids = NULL;
    size_t n = 0;
    sm_machine *m = NULL;
    sm_def bad = tdef_order;
    bad.version = 7;
    poison_store(f->s);
    assert_int_equal(sm_store_in_state(f->s, NULL, NULL, 0, &ids, &n),
                     SM_E_ARG);
    assert_string_equal(sm_store_errmsg(f->s),
                        "sm_store_in_state: def is NULL");
    poison_store(f->s);
    assert_int_equal(sm_store_in_state(f->s, &tdef_order, NULL, 1, &ids, &n),
                     SM_E_ARG);
    assert_string_equal(sm_store_errmsg(f->s),
                        "sm_store_in_state: states is NULL");
    poison_store(f->s);
    assert_int_equal(
        sm_store_in_state(f->s, &tdef_order, (int[]){1}, 1, NULL, &n),
        SM_E_ARG);
    assert_string_equal(sm_store_errmsg(f->s),
                        "sm_store_in_state: ids or n is NULL");
    poison_store(f->s);
    assert_int_equal(sm_machine_open(&m, NULL, f->s, 1, NULL), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(f->s), "sm_machine_open: def is NULL");
    poison_store(f->s);
    assert_int_equal(sm_machine_open(NULL, &tdef_order, f->s, 1, NULL),
                     SM_E_ARG);
    assert_string_equal(sm_store_errmsg(f->s), "sm_machine_open: out is NULL");
    poison_store(f->s);
    assert_int_equal(sm_machine_open(&m, &bad, f->s, 1, NULL), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(f->s),
                        "sm_machine_open: machine 'order' has def version "
                        "7; this libsm reads version 3");
#ifndef SM_TEST_NO_MYSQL
    poison_store(f->s);
    assert_int_equal(sm_mysql_create_schema(f->s, &tdef_order), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(f->s),
                        "sm_mysql_create_schema: store 'memory' is not a "
                        "MySQL store");
#endif
}

/* A vtable of another version, or lacking an op, is refused at open. */
static void vtable_checked(void **state)
{
    (void)state;
    static sm_store_ops ops;
    sm_store *s = NULL;
    ops.version = 1;
    ops.scheme = "mine";
    assert_int_equal(sm_store_open_ops(&s, &ops, NULL), SM_E_ARG);
    char want[160];
    snprintf(want, sizeof want,
             "store 'mine': vtable version 1, but this libsm (%s) runs "
             "version 2",
             SM_VERSION_STRING);
    assert_string_equal(sm_store_errmsg(s), want);
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &tdef_order, s, 1, NULL), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s) + strlen("order 1: "), want);
    sm_store_close(s);
    ops.version = SM_STORE_OPS_VERSION;
    assert_int_equal(sm_store_open_ops(&s, &ops, NULL), SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s), "store 'mine': op 'close' is NULL");
    sm_store_close(s);
    assert_int_equal(sm_store_open_ops(NULL, &ops, NULL), SM_E_ARG);
}

/* Closing a store first detaches its machines: no use after free. */
static void store_closed_first(void **state)
{
    (void)state;
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, "memory:"), SM_OK);
    assert_int_equal(sm_machine_open(&m, &tdef_order, s, 4, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    sm_store_close(s);
    const char *want = "order 4: its store was closed";
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(m), want);
    assert_int_equal(sm_fire(m, EV_CANCEL, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(m), want);
    assert_int_equal(sm_transition_to_retry(m, FAILED, NULL, 3), SM_E_ARG);
    assert_int_equal(sm_reload(m), SM_E_ARG);
    assert_string_equal(sm_errmsg(m), want);
    /* the cached history still answers */
    assert_int_equal(sm_current_state(m), CHECKING_OUT);
    assert_int_equal(sm_last_transition(m)->sort_key, 10);
    sm_machine_close(m);
}

static void status_names(void **state)
{
    (void)state;
    const char *want[] = {"SM_OK",
                          "SM_E_ARG",
                          "SM_E_TRANSITION_FAILED",
                          "SM_E_GUARD_FAILED",
                          "SM_E_CALLBACK",
                          "SM_E_CONFLICT",
                          "SM_E_DEADLOCK",
                          "SM_E_METADATA",
                          "SM_E_STORE",
                          "SM_E_NOMEM",
                          "SM_E_CLUSTER_CONFLICT",
                          "SM_E_SCHEMA"};
    for (int i = 0; i <= SM_E_SCHEMA; i++)
        assert_string_equal(sm_status_name((sm_status)i), want[i]);
    assert_string_equal(sm_status_name((sm_status)99), "SM_E_UNKNOWN");
    assert_string_equal(sm_status_name((sm_status)-1), "SM_E_UNKNOWN");
}

/* Exactly the lost races are retryable: conflicts, deadlocks, and a
 * cluster node's abort of the write for another node's. */
static void retryable_statuses(void **state)
{
    (void)state;
    for (int i = -1; i <= SM_E_CLUSTER_CONFLICT + 1; i++)
        assert_int_equal(sm_status_retryable((sm_status)i),
                         i == SM_E_CONFLICT || i == SM_E_DEADLOCK ||
                             i == SM_E_CLUSTER_CONFLICT);
}

/* tdef_order with 'failed' retired: its declared transitions in and out
 * are refused all the same, with the failure hooks, writing nothing. */
static void retired_state(void **state)
{
    fx *f = *state;
    uint8_t flags[6];
    memcpy(flags, tdef_order.state_flags, sizeof flags);
    flags[FAILED] |= SM_STATE_RETIRED;
    sm_def r = tdef_order;
    r.state_flags = flags;
    assert_int_equal(sm_transition_to(f->m, CHECKING_OUT, NULL), SM_OK);
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &r, f->s, 1, &l), SM_OK);
    int out[8];
    size_t n;
    assert_int_equal(sm_allowed_transitions(m, out, 8, &n, NULL), SM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], CANCELLED);
    l.buf[0] = '\0';
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_E_TRANSITION_FAILED);
    assert_string_equal(sm_errmsg(m), "no transition checking_out -> failed: "
                                      "'failed' is retired");
    assert_string_equal(l.buf, "log_failure(1>3@1) ");
    /* A history already in it (written before it was retired). */
    assert_int_equal(sm_transition_to(f->m, FAILED, NULL), SM_OK);
    assert_int_equal(sm_reload(m), SM_OK);
    assert_int_equal(sm_current_state(m), FAILED);
    assert_int_equal(sm_allowed_transitions(m, out, 8, &n, NULL), SM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(sm_can_transition_to(m, CHECKING_OUT, NULL),
                     SM_E_TRANSITION_FAILED);
    assert_string_equal(sm_errmsg(m), "no transition failed -> checking_out: "
                                      "'failed' is retired");
    const sm_transition *h;
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_int_equal(n, 2);
    sm_machine_close(m);
}

/* A stored name: a state's own, an old one (`was`), or unknown. */
static void state_lookup(void **state)
{
    (void)state;
    static const char *const olds[] = {"awaiting", "paying"};
    static const int32_t to[] = {PENDING, CHECKING_OUT};
    sm_def d = tdef_order;
    d.naliases = 2;
    d.alias_names = olds;
    d.alias_states = to;
    const char *old = "x";
    assert_int_equal(sm_def_state_lookup(&d, "shipped", &old), SHIPPED);
    assert_null(old);
    assert_int_equal(sm_def_state_lookup(&d, "paying", &old), CHECKING_OUT);
    assert_ptr_equal(old, olds[1]);
    assert_int_equal(sm_def_state_lookup(&d, "awaiting", NULL), PENDING);
    assert_int_equal(sm_def_state_lookup(&d, "Paying", &old), -1);
    assert_null(old);
    assert_int_equal(sm_def_state_lookup(&d, "zzz", &old), -1);
    assert_int_equal(sm_def_state_lookup(&d, NULL, &old), -1);
    assert_int_equal(sm_def_state_lookup(NULL, "paying", &old), -1);
    assert_int_equal(sm_def_state_lookup(&tdef_order, "paying", &old), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(current_state_and_in_state),
        T(can_transition_to),
        T(failure_callbacks),
        T(before_old_after_new),
        T(before_abort_writes_nothing),
        T(history_and_last),
        T(after_commit_runs_after_commit),
        T(metadata_validation),
        T(fire),
        T(arg_errors),
        T(store_open_errors),
        T(conflict_message),
        T(status_names),
        T(retryable_statuses),
        T(machine_messages),
        T(store_messages),
        T(store_closed_first),
        T(vtable_checked),
        T(retired_state),
        T(state_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
