/*
 * test_order_lookup.c - links the golden order_sm.c and checks what the
 * generated lookups and tables answer: names, reverse lookup, allowed
 * transitions, event names and the sm_def fields.
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
#define STUB(n)                                                                \
    int order_##n(sm_machine *m, const sm_transition *t, void *u)              \
    {                                                                          \
        (void)m, (void)t, (void)u;                                             \
        return 0;                                                              \
    }
STUB(charge)
STUB(log)
STUB(refund)
STUB(audit)
STUB(alarm)

static void test_names(void **st)
{
    order_state s = ORDER_STATE__COUNT;

    (void)st;
    assert_string_equal(order_state_name(ORDER_STATE_SHIPPED), "shipped");
    assert_null(order_state_name(ORDER_STATE__COUNT));
    assert_null(order_state_name((order_state)-1));
    assert_int_equal(order_state_from_name("failed", &s), 0);
    assert_int_equal(s, ORDER_STATE_FAILED);
    assert_int_equal(order_state_from_name("pending", &s), 0);
    assert_int_equal(s, ORDER_STATE_PENDING);
    assert_int_equal(order_state_from_name("nope", &s), -1);
    assert_int_equal(order_state_from_name(NULL, &s), -1);
    assert_string_equal(order_event_name(ORDER_EVENT_CANCEL), "cancel");
    assert_null(order_event_name(ORDER_EVENT__COUNT));
    assert_null(lamp_event_name(LAMP_EVENT__COUNT));
}

static void test_allowed(void **st)
{
    (void)st;
    assert_true(
        order_transition_allowed(ORDER_STATE_PENDING, ORDER_STATE_CANCELLED));
    assert_true(
        order_transition_allowed(ORDER_STATE_SHIPPED, ORDER_STATE_CANCELLED));
    assert_false(
        order_transition_allowed(ORDER_STATE_PENDING, ORDER_STATE_SHIPPED));
    assert_false(
        order_transition_allowed(ORDER_STATE_CANCELLED, ORDER_STATE_PENDING));
    assert_false(
        order_transition_allowed(ORDER_STATE__COUNT, ORDER_STATE_PENDING));
    assert_false(lamp_transition_allowed(LAMP_STATE_ONLY, LAMP_STATE_ONLY));
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
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_allowed),
        cmocka_unit_test(test_def),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
