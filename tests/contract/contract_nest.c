/*
 * contract_nest.c - transitions started from inside hooks: on the same
 * machine (refused with SM_E_ARG before anything is written), on another
 * store (an independent transaction) and on the same store (independent
 * or refused with SM_E_ARG). Whatever happens, a failed call leaves no
 * row and no claim behind, and the next transition works.
 */
#include <stdio.h>
#include <string.h>

#include "cpriv.h"

/* What the hook under test does when called. */
typedef struct nest {
    sm_machine *target; /* machine to transition; NULL: the hook's own */
    int to;             /* its target state; -1: do nothing */
    int ret;            /* the hook's return value (before/after) */
    int calls;
    sm_status got; /* what the nested call returned */
    char msg[512]; /* and its message */
} nest;

static void nested(sm_machine *m, nest *n)
{
    if (n->to < 0)
        return;
    sm_machine *x = n->target ? n->target : m;
    n->calls++;
    n->got = sm_transition_to(x, n->to, NULL);
    snprintf(n->msg, sizeof n->msg, "%s", sm_errmsg(x));
}

static int nest_call(sm_machine *m, const sm_transition *t, void *user)
{
    (void)t;
    nested(m, user);
    return ((nest *)user)->ret;
}

static bool nest_guard(sm_machine *m, const sm_transition *t, void *user)
{
    (void)t;
    nested(m, user);
    return true;
}

/* The order machine with one nesting hook of kind k. */
static sm_def def_with(sm_hook_kind k, sm_hook *h)
{
    return c_def_with_hook(k, h, nest_guard, nest_call, "nest");
}

/* A hook of kind k re-enters its own machine: SM_E_ARG, nothing
 * written by it, and the outer transition is the only row. */
static void reentry(sm_hook_kind k)
{
    sm_hook h;
    sm_def d = def_with(k, &h);
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    nest n = {NULL, CANCELLED, 0, 0, SM_OK, ""};
    sm_machine *m = c_open_m(&d, s, p, &n);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(n.calls, 1);
    assert_int_equal(n.got, SM_E_ARG);
    char want[160];
    snprintf(want, sizeof want,
             "order %lld: a transition of this machine is already in "
             "progress (started from one of its hooks)",
             (long long)p);
    assert_string_equal(n.msg, want);
    const sm_transition *r;
    size_t nr;
    sm_machine *f = c_open_m(&tdef_order, s, p, &(tlog){0});
    assert_int_equal(sm_history(f, &r, &nr), SM_OK);
    assert_int_equal(nr, 1);
    assert_int_equal(r[0].to_state, CHECKING_OUT);
    assert_int_equal(r[0].sort_key, 10);
    sm_machine_close(f);
    assert_int_equal(sm_current_state(m), CHECKING_OUT);
    n.to = -1;
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_int_equal(c_stored_rows(s, p), 2);
    sm_machine_close(m);
    sm_store_close(s);
}

static void reentry_guard(void **st)
{
    (void)st;
    reentry(SM_HOOK_GUARD);
}
static void reentry_before(void **st)
{
    (void)st;
    reentry(SM_HOOK_BEFORE);
}
static void reentry_after(void **st)
{
    (void)st;
    reentry(SM_HOOK_AFTER);
}
static void reentry_after_commit(void **st)
{
    (void)st;
    reentry(SM_HOOK_AFTER_COMMIT);
}

/*
 * An after hook of m1 (store s1, parent p1) moves m2 (store s2, parent
 * p2) to checking_out, then returns ret. Checks what each store holds
 * and that both parents take their next transition.
 */
static void nest_stores(bool same_store, int ret)
{
    sm_hook h;
    sm_def d = def_with(SM_HOOK_AFTER, &h);
    sm_store *s1 = c_open_store(), *s2 = same_store ? s1 : c_open_store();
    int64_t p1 = c_fresh(), p2 = c_fresh();
    tlog l = {0};
    sm_machine *m2 = c_open_m(&tdef_order, s2, p2, &l);
    nest n = {m2, CHECKING_OUT, ret, 0, SM_OK, ""};
    sm_machine *m1 = c_open_m(&d, s1, p1, &n);
    sm_status st = sm_transition_to(m1, CHECKING_OUT, NULL);
    assert_int_equal(st, ret ? SM_E_CALLBACK : SM_OK);
    assert_int_equal(n.calls, 1);
    /* another store: always an independent transaction */
    if (!same_store)
        assert_int_equal(n.got, SM_OK);
    if (n.got != SM_OK) {
        assert_int_equal(n.got, SM_E_ARG);
        assert_true(strlen(n.msg) > 0);
    }
    assert_int_equal(c_stored_rows(s1, p1), ret ? 0 : 1);
    assert_int_equal(c_stored_rows(s2, p2), n.got == SM_OK ? 1 : 0);
    assert_int_equal(sm_current_state(m1), ret ? PENDING : CHECKING_OUT);
    /* nothing held: both parents move on */
    n.to = -1;
    assert_int_equal(sm_transition_to(m1, CANCELLED, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m2, CANCELLED, NULL), SM_OK);
    assert_int_equal(c_stored_rows(s1, p1), ret ? 1 : 2);
    assert_int_equal(c_stored_rows(s2, p2), n.got == SM_OK ? 2 : 1);
    sm_machine_close(m1);
    sm_machine_close(m2);
    if (!same_store)
        sm_store_close(s2);
    sm_store_close(s1);
}

static void nest_other_store(void **st)
{
    (void)st;
    nest_stores(false, 0);
}
static void nest_other_store_outer_fails(void **st)
{
    (void)st;
    nest_stores(false, 1);
}
static void nest_same_store(void **st)
{
    (void)st;
    nest_stores(true, 0);
}
static void nest_same_store_outer_fails(void **st)
{
    (void)st;
    nest_stores(true, 1);
}

const struct CMUnitTest sm_contract_nest_tests[] = {
    cmocka_unit_test(reentry_guard),
    cmocka_unit_test(reentry_before),
    cmocka_unit_test(reentry_after),
    cmocka_unit_test(reentry_after_commit),
    cmocka_unit_test(nest_other_store),
    cmocka_unit_test(nest_other_store_outer_fails),
    cmocka_unit_test(nest_same_store),
    cmocka_unit_test(nest_same_store_outer_fails),
};
const size_t sm_contract_nest_count =
    sizeof sm_contract_nest_tests / sizeof sm_contract_nest_tests[0];
