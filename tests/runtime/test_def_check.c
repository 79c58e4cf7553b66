/*
 * test_def_check.c - sm_machine_open refuses a def the engine would read out
 * of bounds, with SM_E_ARG and the reason in sm_store_errmsg(), and
 * still accepts the legal corner cases (no events, no hooks, no
 * transitions). Run under ASan, an accepted bad def would crash here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tdef.h"

static const char *const null_name[] = {"a", NULL};
static const char *const two_names[] = {"a", "b"};
static const int32_t two_by[] = {0, 1}, by_out[] = {0, 2}, ev_by[] = {0};
static const uint8_t two_flags[] = {SM_STATE_INITIAL, 0};
static const uint32_t descending[] = {0, 2, 1};
static const uint32_t two_trans[] = {0, 1, 1};
static const uint32_t no_trans[] = {0, 0, 0};
static const int32_t to_b[] = {1};
static const uint32_t one_arrow[] = {0, 1};
static const uint32_t ev_descending[] = {1, 0};
static const char *const ev_null[] = {NULL};
static const char *const ev_go[] = {"go"};

/* A two-state machine a -> b with no events and no hooks. */
static sm_def two(void)
{
    return (sm_def){.version = SM_DEF_VERSION,
                    .name = "two",
                    .nstates = 2,
                    .state_names = two_names,
                    .state_by_name = two_by,
                    .state_flags = two_flags,
                    .initial = 0,
                    .trans_index = two_trans,
                    .trans_to = to_b};
}

static bool nothing(sm_machine *m, const sm_transition *t, void *u)
{
    (void)m, (void)t, (void)u;
    return true;
}

/* Open d on a fresh memory store: SM_E_ARG, *m NULL, the message. */
static void refused(const sm_def *d, const char *why)
{
    sm_store *s = NULL;
    sm_machine *m = (sm_machine *)&s;
    char want[256];
    assert_int_equal(sm_store_open(&s, "memory:"), SM_OK);
    assert_int_equal(sm_machine_open(&m, d, s, 1, NULL), SM_E_ARG);
    assert_null(m);
    snprintf(want, sizeof want,
             "sm_machine_open: machine '%s' has a bad def: %s", d->name, why);
    assert_string_equal(sm_store_errmsg(s), want);
    sm_store_close(s);
}

static void states(void **state)
{
    (void)state;
    sm_def d = tdef_order;
    d.initial = 6;
    refused(&d, "initial state 6 is not one of its 6");
    d.initial = -1;
    refused(&d, "initial state -1 is not one of its 6");
    d = two(), d.nstates = 0;
    refused(&d, "no states");
    d = two(), d.state_names = NULL;
    refused(&d, "a NULL state table");
    d = two(), d.state_flags = NULL;
    refused(&d, "a NULL state table");
    d = two(), d.trans_index = NULL;
    refused(&d, "a NULL state table");
    d = two(), d.state_names = null_name;
    refused(&d, "state 1 has no name");
    d = two(), d.trans_index = descending;
    refused(&d, "trans_index descends after state 1");
    d = two(), d.trans_to = NULL;
    refused(&d, "trans_to is NULL");
    d = two(), d.state_by_name = NULL;
    refused(&d, "no state name index");
    d = two(), d.state_by_name = by_out;
    refused(&d, "state name index entry 1 is out of range");
}

static void events(void **state)
{
    (void)state;
    sm_def d = two();
    d.nevents = 1, d.event_names = ev_go, d.event_index = one_arrow;
    refused(&d, "no event name index");
    d.event_by_name = ev_by;
    refused(&d, "event_arrows is NULL");
    d.event_index = NULL;
    refused(&d, "a NULL event table");
    d.event_index = one_arrow, d.event_names = NULL;
    refused(&d, "a NULL event table");
    d.event_names = ev_null;
    refused(&d, "event 0 has no name");
    d.event_names = ev_go, d.event_index = ev_descending;
    refused(&d, "event_index descends after event 0");
}

/* Old (`was`) names: a name and a state each. */
static void aliases(void **state)
{
    (void)state;
    static const char *const old[] = {"z"}, *const old_null[] = {NULL};
    static const int32_t to_a[] = {0}, to_none[] = {2};
    sm_def d = two();
    d.naliases = 1;
    refused(&d, "a NULL alias table");
    d.alias_names = old, d.alias_states = to_none;
    refused(&d, "alias 0 names no state");
    d.alias_names = old_null, d.alias_states = to_a;
    refused(&d, "alias 0 has no name");
}

static void hooks(void **state)
{
    (void)state;
    sm_hook h = {SM_HOOK_GUARD, NULL, 0, NULL, 0, nothing, NULL, "nothing"};
    sm_def d = two();
    d.nhooks = 1;
    refused(&d, "hooks is NULL");
    d.hooks = &h;
    h.guard = NULL;
    refused(&d, "hook 0 has an unknown kind or no function or name");
    h.guard = nothing, h.name = NULL;
    refused(&d, "hook 0 has an unknown kind or no function or name");
    h.name = "nothing", h.kind = SM_HOOK_BEFORE;
    refused(&d, "hook 0 has an unknown kind or no function or name");
    h.kind = (sm_hook_kind)SM_HOOK__COUNT;
    refused(&d, "hook 0 has an unknown kind or no function or name");
}

/* Legal corners: no events, no hooks, no transitions at all. */
static void accepted(void **state)
{
    (void)state;
    sm_store *s = NULL;
    sm_machine *m = NULL;
    assert_int_equal(sm_store_open(&s, "memory:"), SM_OK);
    sm_def d = two();
    assert_int_equal(sm_machine_open(&m, &d, s, 1, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, 1, NULL), SM_OK);
    sm_machine_close(m);
    d.trans_index = no_trans, d.trans_to = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 2, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, 1, NULL), SM_E_TRANSITION_FAILED);
    size_t n = 9;
    assert_int_equal(sm_allowed_transitions(m, NULL, 0, &n, NULL), SM_OK);
    assert_int_equal(n, 0);
    sm_machine_close(m);
    sm_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(states), cmocka_unit_test(events),
        cmocka_unit_test(aliases), cmocka_unit_test(hooks),
        cmocka_unit_test(accepted)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
