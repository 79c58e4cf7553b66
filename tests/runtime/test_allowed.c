/*
 * test_allowed.c - sm_allowed_transitions and sm_allowed_events: the
 * table from the current state, guards run with the caller's metadata,
 * counts and truncation, and the errors. On the memory store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "tlamp.h"

typedef struct fx {
    sm_store *s;
    sm_machine *order, *lamp;
    tlog l;
} fx;

static int setup(void **state)
{
    static fx f;
    memset(&f, 0, sizeof f);
    assert_int_equal(sm_store_open(&f.s, "memory:"), SM_OK);
    assert_int_equal(sm_machine_open(&f.order, &tdef_order, f.s, 1, &f.l),
                     SM_OK);
    assert_int_equal(sm_machine_open(&f.lamp, &tdef_lamp, f.s, 2, &f.l), SM_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sm_machine_close(f->order);
    sm_machine_close(f->lamp);
    sm_store_close(f->s);
    return 0;
}

/* Targets ascending; the full count even when out is short. */
static void transitions_from_pending(void **state)
{
    fx *f = *state;
    int out[8] = {-7, -7, -7};
    size_t n = 99;
    assert_int_equal(sm_allowed_transitions(f->order, out, 8, &n, NULL), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], CHECKING_OUT);
    assert_int_equal(out[1], CANCELLED);
    out[0] = out[1] = -7;
    assert_int_equal(sm_allowed_transitions(f->order, out, 1, &n, NULL), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], CHECKING_OUT);
    assert_int_equal(out[1], -7);
    assert_int_equal(sm_allowed_transitions(f->order, NULL, 0, &n, NULL),
                     SM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(f->l.buf, "");
}

/* The guard sees the metadata given: purchased only when paid. */
static void transitions_with_metadata(void **state)
{
    fx *f = *state;
    int out[8];
    size_t n;
    assert_int_equal(sm_transition_to(f->order, CHECKING_OUT, NULL), SM_OK);
    f->l.buf[0] = 0;
    assert_int_equal(sm_allowed_transitions(f->order, out, 8, &n, NULL), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], FAILED);
    assert_int_equal(out[1], CANCELLED);
    assert_string_equal(f->l.buf, "payment_ok(1>2@1) ");
    f->l.buf[0] = 0;
    assert_int_equal(
        sm_allowed_transitions(f->order, out, 8, &n, "{\"paid\":true}"), SM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(out[0], PURCHASED);
    assert_int_equal(out[1], FAILED);
    assert_int_equal(out[2], CANCELLED);
    /* guards only: no failure hook ran, nothing was written */
    assert_string_equal(f->l.buf, "payment_ok(1>2@1) ");
    assert_int_equal(sm_last_transition(f->order)->sort_key, 10);
}

/* Every exit of off is guarded: empty with {}, not with power. */
static void every_exit_guarded(void **state)
{
    fx *f = *state;
    int out[4] = {-7};
    size_t n = 99;
    assert_int_equal(sm_allowed_transitions(f->lamp, out, 4, &n, NULL), SM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(sm_allowed_events(f->lamp, out, 4, &n, "{}"), SM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(out[0], -7);
    assert_int_equal(sm_allowed_transitions(f->lamp, out, 4, &n, LAMP_POWER),
                     SM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], LAMP_ON);
    assert_int_equal(sm_allowed_events(f->lamp, out, 4, &n, LAMP_POWER), SM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], EV_TOGGLE);
    assert_string_equal(f->l.buf, "powered(0>1@0) powered(0>1@0) "
                                  "powered(0>1@0) powered(0>1@0) ");
    /* at on, toggle needs no power */
    assert_int_equal(sm_fire(f->lamp, EV_TOGGLE, LAMP_POWER), SM_OK);
    assert_int_equal(sm_allowed_events(f->lamp, out, 4, &n, NULL), SM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], EV_TOGGLE);
}

/* Events with an arrow from here, ascending; none from a final state. */
static void events_by_state(void **state)
{
    fx *f = *state;
    int out[4] = {-7, -7, -7};
    size_t n = 99;
    assert_int_equal(sm_allowed_events(f->order, out, 4, &n, NULL), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], EV_CHECKOUT);
    assert_int_equal(out[1], EV_CANCEL);
    out[0] = -7;
    assert_int_equal(sm_allowed_events(f->order, out, 0, &n, NULL), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], -7);
    assert_int_equal(sm_fire(f->order, EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_allowed_events(f->order, out, 4, &n, NULL), SM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], EV_CANCEL);
    assert_int_equal(sm_fire(f->order, EV_CANCEL, NULL), SM_OK);
    assert_int_equal(sm_allowed_events(f->order, out, 4, &n, NULL), SM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(sm_allowed_transitions(f->order, out, 4, &n, NULL), SM_OK);
    assert_int_equal(n, 0);
}

/* Bad metadata: SM_E_METADATA with a message, no guard, *n = 0. */
static void errors(void **state)
{
    fx *f = *state;
    int out[4];
    size_t n = 99;
    assert_int_equal(sm_allowed_transitions(f->order, out, 4, &n, "[1]"),
                     SM_E_METADATA);
    assert_int_equal(n, 0);
    assert_string_equal(sm_errmsg(f->order), "metadata: not a JSON object");
    n = 99;
    assert_int_equal(sm_allowed_events(f->order, out, 4, &n, "{bad"),
                     SM_E_METADATA);
    assert_int_equal(n, 0);
    assert_string_equal(f->l.buf, "");
    assert_int_equal(sm_allowed_transitions(NULL, out, 4, &n, NULL), SM_E_ARG);
    assert_int_equal(sm_allowed_events(NULL, out, 4, &n, NULL), SM_E_ARG);
    assert_int_equal(sm_allowed_transitions(f->order, out, 4, NULL, NULL),
                     SM_E_ARG);
    assert_int_equal(sm_allowed_events(f->order, out, 4, NULL, NULL), SM_E_ARG);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(transitions_from_pending),
        T(transitions_with_metadata),
        T(every_exit_guarded),
        T(events_by_state),
        T(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
