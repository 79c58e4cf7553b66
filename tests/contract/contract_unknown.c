/*
 * contract_unknown.c - states in the history that the machine does not
 * know: an older version of the order machine (three states) reads the
 * table the full one wrote. Opening, reloading and in_state say
 * SM_E_SCHEMA; SM_UNKNOWN_STATE lists such parents; none is ever
 * silently left out.
 */
#include <stdio.h>
#include <string.h>

#include "cpriv.h"

/* The order machine before shipping, failing and cancelling existed. */
static const char *const names[] = {"pending", "checking_out", "purchased"};
static const int32_t by_name[] = {CHECKING_OUT, PENDING, PURCHASED};
static const uint8_t flags[] = {SM_STATE_INITIAL, 0, 0};
static const uint32_t tidx[] = {0, 1, 2, 2};
static const int32_t tto[] = {CHECKING_OUT, PURCHASED};
static const uint32_t eidx[] = {0};

static const sm_def old_order = {SM_DEF_VERSION,
                                 "order",
                                 3,
                                 names,
                                 by_name,
                                 flags,
                                 PENDING,
                                 tidx,
                                 tto,
                                 0,
                                 NULL,
                                 NULL,
                                 eidx,
                                 NULL,
                                 0,
                                 NULL,
                                 "order_transitions",
                                 "orders",
                                 "order_id",
                                 0,
                                 0,
                                 NULL,
                                 NULL,
                                 NULL};

/* A fresh parent that the full machine moved through to..., in order;
 * the id of its last row. */
static int64_t walk(sm_store *s, int64_t p, const int *to, size_t n)
{
    tlog l = {0};
    sm_machine *m = c_open_m(&tdef_order, s, p, &l);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sm_transition_to(m, to[i], NULL), SM_OK);
    int64_t id = sm_last_transition(m)->id;
    sm_machine_close(m);
    return id;
}

/* Does msg start with "order P: " and name "row ID"? */
static void names_parent_and_row(const char *msg, int64_t p, int64_t row)
{
    char want[64];
    snprintf(want, sizeof want, "order %lld: ", (long long)p);
    if (strncmp(msg, want, strlen(want)) != 0)
        fail_msg("'%s' does not start with '%s'", msg, want);
    snprintf(want, sizeof want, "row %lld ", (long long)row);
    if (!strstr(msg, want))
        fail_msg("'%s' does not name %s", msg, want);
    assert_non_null(strstr(msg, "does not know"));
}

/* Opening a parent whose history holds an unknown state fails with
 * SM_E_SCHEMA, naming the parent and the row; so does a reload that
 * meets one, which keeps the cache it had. */
static void unknown_open_reload(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh(), q = c_fresh();
    int64_t row = walk(s, p, (int[]){CANCELLED}, 1);
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_machine_open(&m, &old_order, s, p, &l), SM_E_SCHEMA);
    assert_null(m);
    names_parent_and_row(sm_store_errmsg(s), p, row);

    m = c_open_m(&old_order, s, q, &l);
    int64_t first = walk(s, q, (int[]){CHECKING_OUT}, 1);
    assert_int_equal(sm_reload(m), SM_OK);
    assert_int_equal(sm_current_state(m), CHECKING_OUT);
    sm_machine *w = c_open_m(&tdef_order, s, q, &l);
    assert_int_equal(sm_transition_to(w, FAILED, NULL), SM_OK);
    row = sm_last_transition(w)->id;
    sm_machine_close(w);
    assert_int_equal(sm_reload(m), SM_E_SCHEMA);
    names_parent_and_row(sm_errmsg(m), q, row);
    assert_int_equal(sm_current_state(m), CHECKING_OUT);
    assert_int_equal(sm_last_transition(m)->id, first);
    sm_machine_close(m);
    sm_store_close(s);
}

/* Does ids[0..n) hold id? */
static bool has(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* in_state never leaves a parent out: one in a state the def does not
 * know makes it SM_E_SCHEMA, unless SM_UNKNOWN_STATE asks for them. */
static void unknown_in_state(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh(), q = c_fresh();
    walk(s, p, (int[]){CANCELLED}, 1);
    walk(s, q, (int[]){CHECKING_OUT}, 1);
    int64_t *ids = (int64_t *)&ids;
    size_t n = 9;
    int want[] = {CHECKING_OUT, SM_UNKNOWN_STATE};
    assert_int_equal(
        sm_store_in_state(s, &old_order, want, 1, INT64_MIN, 0, &ids, &n),
        SM_E_SCHEMA);
    assert_null(ids);
    assert_int_equal(n, 0);
    const char *msg = sm_store_errmsg(s);
    assert_non_null(strstr(msg, "does not know"));
    assert_non_null(strstr(msg, "SM_UNKNOWN_STATE"));

    assert_int_equal(
        sm_store_in_state(s, &old_order, want + 1, 1, INT64_MIN, 0, &ids, &n),
        SM_OK);
    assert_true(has(ids, n, p));
    assert_false(has(ids, n, q));
    for (size_t i = 1; i < n; i++)
        assert_true(ids[i - 1] < ids[i]);
    sm_ids_free(ids);
    assert_int_equal(
        sm_store_in_state(s, &old_order, want, 2, INT64_MIN, 0, &ids, &n),
        SM_OK);
    assert_true(has(ids, n, p));
    assert_true(has(ids, n, q));
    sm_ids_free(ids);
    /* The machine that wrote them knows every state. */
    assert_int_equal(
        sm_store_in_state(s, &tdef_order, want + 1, 1, INT64_MIN, 0, &ids, &n),
        SM_OK);
    assert_false(has(ids, n, p));
    assert_false(has(ids, n, q));
    sm_ids_free(ids);
    /* -1 (no state) is still a bad argument. */
    assert_int_equal(
        sm_store_in_state(s, &tdef_order, (int[]){-1}, 1, 0, 0, &ids, &n),
        SM_E_ARG);
    assert_string_equal(sm_store_errmsg(s),
                        "sm_store_in_state: order has no state -1");
    sm_store_close(s);
}

/* One listing of old_order's parents after `after`, a page of limit;
 * its status, and the ids (freed) equal to want[0..nw) on SM_OK. */
static sm_status listing(sm_store *s, bool in, const int *states, size_t ns,
                         int64_t after, size_t limit, const int64_t *want,
                         size_t nw)
{
    int64_t *ids = NULL;
    size_t n = 0;
    sm_status st =
        c_list(s, &old_order, in, states, ns, after, limit, &ids, &n);
    if (st == SM_OK) {
        assert_int_equal(n, nw);
        assert_memory_equal(ids, want, nw * sizeof *want);
    }
    sm_ids_free(ids);
    return st;
}

/*
 * The same rule a page at a time, in and not in: a page meets what a
 * database query of it returns, so a parent in an unknown state fails
 * the page it falls in (not an earlier one); not_in_state lists it only
 * unawares, never: SM_E_SCHEMA, or left out when SM_UNKNOWN_STATE says.
 */
static void unknown_pages(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p[4];
    for (int i = 0; i < 4; i++)
        p[i] = c_fresh();
    walk(s, p[0], (int[]){CHECKING_OUT}, 1);
    walk(s, p[1], (int[]){CHECKING_OUT}, 1);
    walk(s, p[2], (int[]){CANCELLED}, 1);
    walk(s, p[3], (int[]){CHECKING_OUT}, 1);
    const int co[] = {CHECKING_OUT}, co_u[] = {CHECKING_OUT, SM_UNKNOWN_STATE};
    int64_t from = p[0] - 1;
    assert_int_equal(listing(s, true, co, 1, from, 2, p, 2), SM_OK);
    assert_int_equal(listing(s, true, co, 1, p[1], 2, NULL, 0), SM_E_SCHEMA);
    assert_non_null(strstr(sm_store_errmsg(s), "does not know"));
    assert_int_equal(listing(s, true, co_u, 2, p[1], 2, p + 2, 2), SM_OK);
    assert_int_equal(listing(s, false, co, 1, from, 0, NULL, 0), SM_E_SCHEMA);
    assert_int_equal(listing(s, false, co_u, 2, from, 0, NULL, 0), SM_OK);
    assert_int_equal(listing(s, false, (int[]){SM_UNKNOWN_STATE}, 1, from, 0,
                             (int64_t[]){p[0], p[1], p[3]}, 3),
                     SM_OK);
    sm_store_close(s);
}

const struct CMUnitTest sm_contract_unknown_tests[] = {
    cmocka_unit_test(unknown_open_reload),
    cmocka_unit_test(unknown_in_state),
    cmocka_unit_test(unknown_pages),
};
const size_t sm_contract_unknown_count =
    sizeof sm_contract_unknown_tests / sizeof sm_contract_unknown_tests[0];
