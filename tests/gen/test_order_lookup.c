/*
 * test_order_lookup.c - links the golden order_sm.c and checks what the
 * generated lookups and tables answer (through libsm): names, reverse
 * lookups of states and events, allowed transitions and the sm_def
 * fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "order_sm.h"

bool order_paid(sm_machine *m, const sm_transition *t, void *u)
{
    (void)m, (void)t, (void)u;
    return true;
}
/* The hooks order_sm.c references; no lookup here runs one. */
#define NOOP_HOOK(n)                                                           \
    int order_##n(sm_machine *m, const sm_transition *t, void *u)              \
    {                                                                          \
        (void)m, (void)t, (void)u;                                             \
        return 0;                                                              \
    }
NOOP_HOOK(charge)
NOOP_HOOK(log)
NOOP_HOOK(refund)
NOOP_HOOK(audit)
NOOP_HOOK(alarm)

static void test_names(void **st)
{
    order_state s = ORDER_STATE(_COUNT);
    order_event e = ORDER_EVENT(_COUNT);

    (void)st;
    assert_string_equal(order_state_name(ORDER_STATE(SHIPPED)), "shipped");
    assert_null(order_state_name(ORDER_STATE(_COUNT)));
    assert_int_equal(order_state_from_name("failed", &s), 0);
    assert_int_equal(s.id, ORDER_STATE_FAILED);
    assert_int_equal(order_state_from_name("pending", &s), 0);
    assert_int_equal(s.id, ORDER_STATE_PENDING);
    assert_int_equal(order_state_from_name("nope", &s), -1);
    assert_int_equal(s.id, ORDER_STATE_PENDING);
    assert_int_equal(order_state_from_name(NULL, &s), -1);
    assert_int_equal(order_state_from_name("shipped", NULL), 0);
    assert_string_equal(order_event_name(ORDER_EVENT(CANCEL)), "cancel");
    assert_null(order_event_name(ORDER_EVENT(_COUNT)));
    assert_int_equal(order_event_from_name("cancel", &e), 0);
    assert_int_equal(e.id, ORDER_EVENT_CANCEL);
    assert_int_equal(order_event_from_name("checkout", &e), 0);
    assert_int_equal(e.id, ORDER_EVENT_CHECKOUT);
    assert_int_equal(order_event_from_name("shipped", &e), -1);
    assert_int_equal(order_event_from_name(NULL, NULL), -1);
    assert_null(lamp_event_name(LAMP_EVENT(_COUNT)));
    assert_int_equal(lamp_event_from_name("only", NULL), -1);
    assert_int_equal(lamp_state_from_name("only", NULL), 0);
}

/* Every name of the golden order machine round-trips. */
static void test_round_trip(void **st)
{
    (void)st;
    for (int i = 0; i < ORDER_STATE__COUNT; i++) {
        order_state s = {(order_state_id)i}, back = ORDER_STATE(_COUNT);
        assert_int_equal(order_state_from_name(order_state_name(s), &back), 0);
        assert_int_equal(back.id, s.id);
    }
    for (int i = 0; i < ORDER_EVENT__COUNT; i++) {
        order_event e = {(order_event_id)i}, back = ORDER_EVENT(_COUNT);
        assert_int_equal(order_event_from_name(order_event_name(e), &back), 0);
        assert_int_equal(back.id, e.id);
    }
}

static void test_allowed(void **st)
{
    (void)st;
    assert_true(
        order_transition_allowed(ORDER_STATE(PENDING), ORDER_STATE(CANCELLED)));
    assert_true(
        order_transition_allowed(ORDER_STATE(SHIPPED), ORDER_STATE(CANCELLED)));
    assert_false(
        order_transition_allowed(ORDER_STATE(PENDING), ORDER_STATE(SHIPPED)));
    assert_false(
        order_transition_allowed(ORDER_STATE(CANCELLED), ORDER_STATE(PENDING)));
    assert_false(
        order_transition_allowed(ORDER_STATE(_COUNT), ORDER_STATE(PENDING)));
    assert_false(lamp_transition_allowed(LAMP_STATE(ONLY), LAMP_STATE(ONLY)));
}

static void test_def(void **st)
{
    (void)st;
    assert_int_equal(order_def.version, SM_DEF_VERSION);
    assert_int_equal(order_def.nstates, 6);
    assert_int_equal(order_def.trans_index[6], 7);
    assert_int_equal(order_def.event_index[2], 4);
    assert_int_equal(order_def.nhooks, 7);
    assert_true(order_def.hooks[0].guard == order_paid);
    assert_null(order_def.hooks[0].call);
    assert_true(order_def.hooks[4].call == order_audit);
    assert_null(order_def.hooks[2].from);
    assert_int_equal(order_def.state_flags[4], SM_STATE_FINAL);
    assert_string_equal(order_def.parent_key, "order_id");
    assert_null(lamp_def.hooks);
    assert_null(lamp_def.event_names);
    assert_null(lamp_def.event_by_name);
    assert_int_equal(order_def.state_by_name[0], ORDER_STATE_CANCELLED);
    assert_int_equal(order_def.event_by_name[0], ORDER_EVENT_CANCEL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_allowed),
        cmocka_unit_test(test_def),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
