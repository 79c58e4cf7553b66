/*
 * contract_reads.c - reads that do not load history: a machine opens on
 * its parent's latest row alone; the history comes from the store when
 * asked for, whole, by keyset pages, or as the latest row in a state;
 * hooks read inside the write; parents are listed by state a page at a
 * time, in and not in a set of states.
 */
#include <stdio.h>
#include <string.h>

#include "cpriv.h"

/* A fresh parent with n rows: checking_out, failed, checking_out, ...,
 * row i (from 1) with metadata {"i":i}. */
static int64_t with_rows(sm_store *s, int n)
{
    int64_t p = c_fresh();
    sm_machine *m = c_open_m(&tdef_order, s, p, &(tlog){0});
    for (int i = 1; i <= n; i++) {
        char md[32];
        snprintf(md, sizeof md, "{\"i\":%d}", i);
        assert_int_equal(sm_transition_to(m, i % 2 ? CHECKING_OUT : FAILED, md),
                         SM_OK);
    }
    sm_machine_close(m);
    return p;
}

/* A machine of the order on a fresh parent (*p) with n rows, as
 * with_rows writes them. */
static sm_machine *with_rows_m(sm_store *s, int n, int64_t *p)
{
    *p = with_rows(s, n);
    return c_open_m(&tdef_order, s, *p, &(tlog){0});
}

/* rows[0..n) are rows first..first+n-1 of with_rows' history of total. */
static void assert_rows(const sm_transition *rows, size_t n, int first,
                        int total, int64_t p)
{
    for (size_t k = 0; k < n; k++) {
        int i = first + (int)k;
        char md[32];
        snprintf(md, sizeof md, "{\"i\":%d}", i);
        assert_int_equal(rows[k].sort_key, 10 * i);
        assert_int_equal(rows[k].parent_id, p);
        assert_int_equal(rows[k].to_state, i % 2 ? CHECKING_OUT : FAILED);
        assert_int_equal(rows[k].from_state,
                         i == 1 ? PENDING : (i % 2 ? FAILED : CHECKING_OUT));
        assert_string_equal(rows[k].metadata, md);
        assert_int_equal(rows[k].most_recent, i == total);
        if (k)
            assert_true(rows[k].id > rows[k - 1].id);
    }
}

/* The open machine knows the latest row; pages of 10 walk the rest. */
static void history_pages(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p;
    sm_machine *m = with_rows_m(s, 25, &p);
    assert_rows(sm_last_transition(m), 1, 25, 25, p);
    assert_int_equal(sm_current_state(m), CHECKING_OUT);
    const sm_transition *h;
    size_t n;
    int32_t after = 0;
    for (int page = 0; page < 3; page++) {
        assert_int_equal(sm_history_page(m, after, 10, &h, &n), SM_OK);
        assert_int_equal(n, page < 2 ? 10 : 5);
        assert_rows(h, n, 10 * page + 1, 25, p);
        after = h[n - 1].sort_key;
    }
    assert_int_equal(sm_history_page(m, after, 10, &h, &n), SM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(sm_history_page(m, 35, 0, &h, &n), SM_OK);
    assert_int_equal(n, 22);
    assert_rows(h, n, 4, 25, p);
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_int_equal(n, 25);
    assert_rows(h, n, 1, 25, p);
    sm_machine_close(m);
    sm_store_close(s);
}

/* Keyset pages miss nothing written between them. */
static void history_page_sees_new_rows(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p;
    sm_machine *r = with_rows_m(s, 15, &p);
    sm_machine *w = c_open_m(&tdef_order, s, p, &(tlog){0});
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history_page(r, 0, 10, &h, &n), SM_OK);
    assert_int_equal(n, 10);
    assert_int_equal(sm_transition_to(w, FAILED, "{\"i\":16}"), SM_OK);
    assert_int_equal(sm_history_page(r, h[n - 1].sort_key, 10, &h, &n), SM_OK);
    assert_int_equal(n, 6);
    assert_rows(h, n, 11, 16, p);
    /* r's cache is its own view until it reloads */
    assert_int_equal(sm_last_transition(r)->sort_key, 150);
    assert_int_equal(sm_reload(r), SM_OK);
    assert_int_equal(sm_last_transition(r)->sort_key, 160);
    sm_machine_close(w);
    sm_machine_close(r);
    sm_store_close(s);
}

/* The latest row in a state, read back from the store when needed. */
static void last_transition_to(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p;
    sm_machine *m = with_rows_m(s, 25, &p);
    const sm_transition *r;
    assert_int_equal(sm_last_transition_to(m, CHECKING_OUT, &r), SM_OK);
    assert_rows(r, 1, 25, 25, p);
    assert_int_equal(sm_last_transition_to(m, FAILED, &r), SM_OK);
    assert_rows(r, 1, 24, 25, p);
    assert_int_equal(sm_last_transition_to(m, PENDING, &r), SM_OK);
    assert_null(r);
    assert_int_equal(sm_last_transition_to(m, SHIPPED, &r), SM_OK);
    assert_null(r);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_int_equal(sm_last_transition_to(m, CHECKING_OUT, &r), SM_OK);
    assert_rows(r, 1, 25, 26, p);
    sm_machine_close(m);
    m = c_open_m(&tdef_order, s, c_fresh(), &(tlog){0});
    assert_int_equal(sm_last_transition_to(m, PENDING, &r), SM_OK);
    assert_null(r);
    sm_machine_close(m);
    sm_store_close(s);
}

/* What a hook saw of its machine's history. */
typedef struct seen {
    size_t before, after; /* rows sm_history lent */
    int after_last;       /* the last of them's to_state */
} seen;

static int see_before(sm_machine *m, const sm_transition *t, void *user)
{
    const sm_transition *h;
    (void)t;
    return sm_history(m, &h, &((seen *)user)->before) != SM_OK;
}

static int see_after(sm_machine *m, const sm_transition *t, void *user)
{
    seen *v = user;
    const sm_transition *h;
    (void)t;
    if (sm_history(m, &h, &v->after) != SM_OK || !v->after)
        return 1;
    v->after_last = h[v->after - 1].to_state;
    return 0;
}

/* Hooks read inside the write: before sees the old history, after the
 * new row too. */
static void hooks_read_in_the_write(void **st)
{
    (void)st;
    static const sm_hook hooks[] = {
        {SM_HOOK_BEFORE, NULL, 0, NULL, 0, NULL, see_before, "see_before"},
        {SM_HOOK_AFTER, NULL, 0, NULL, 0, NULL, see_after, "see_after"}};
    sm_def d = tdef_order;
    d.hooks = hooks;
    d.nhooks = 2;
    sm_store *s = c_open_store();
    int64_t p = with_rows(s, 3);
    seen v = {0, 0, -1};
    sm_machine *m = c_open_m(&d, s, p, &v);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_int_equal(v.before, 3);
    assert_int_equal(v.after, 4);
    assert_int_equal(v.after_last, CANCELLED);
    sm_machine_close(m);
    sm_store_close(s);
}

/* The same in a batch: before hooks run at queue time, outside any
 * write; after hooks inside the batch's, each seeing its new row. */
static void batch_hooks_read_in_the_write(void **st)
{
    (void)st;
    static const sm_hook hooks[] = {
        {SM_HOOK_BEFORE, NULL, 0, NULL, 0, NULL, see_before, "see_before"},
        {SM_HOOK_AFTER, NULL, 0, NULL, 0, NULL, see_after, "see_after"}};
    sm_def d = tdef_order;
    d.hooks = hooks;
    d.nhooks = 2;
    sm_store *s = c_open_store();
    seen v[2] = {{0, 0, -1}, {0, 0, -1}};
    sm_machine *m[2];
    sm_batch *b = NULL;
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    for (int i = 0; i < 2; i++) {
        m[i] = c_open_m(&d, s, with_rows(s, 3 + 2 * i), &v[i]);
        assert_int_equal(sm_batch_transition_to(b, m[i], CANCELLED, NULL),
                         SM_OK);
    }
    assert_int_equal(sm_batch_commit(b), SM_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(v[i].before, 3 + 2 * i);
        assert_int_equal(v[i].after, 4 + 2 * i);
        assert_int_equal(v[i].after_last, CANCELLED);
        assert_int_equal(sm_current_state(m[i]), CANCELLED);
        sm_machine_close(m[i]);
    }
    sm_batch_free(b);
    sm_store_close(s);
}

/* Fresh parents p[0..7) in checking_out, cancelled, checking_out,
 * failed, checking_out, cancelled, checking_out. */
static void seven_parents(sm_store *s, int64_t p[7])
{
    static const int path[7][2] = {{CHECKING_OUT, -1}, {CANCELLED, -1},
                                   {CHECKING_OUT, -1}, {CHECKING_OUT, FAILED},
                                   {CHECKING_OUT, -1}, {CANCELLED, -1},
                                   {CHECKING_OUT, -1}};
    for (int i = 0; i < 7; i++) {
        p[i] = c_fresh();
        sm_machine *m = c_open_m(&tdef_order, s, p[i], &(tlog){0});
        for (int k = 0; k < 2 && path[i][k] >= 0; k++)
            assert_int_equal(sm_transition_to(m, path[i][k], NULL), SM_OK);
        sm_machine_close(m);
    }
}

/* One listing: in (or not in) states, after after, limit; it must be
 * want[0..nw) (indexes into p). */
static void expect_list(sm_store *s, bool in, const int *states, size_t ns,
                        int64_t after, size_t limit, const int64_t p[7],
                        const int *want, size_t nw)
{
    int64_t *ids = NULL;
    size_t n = 99;
    assert_int_equal(
        c_list(s, &tdef_order, in, states, ns, after, limit, &ids, &n), SM_OK);
    assert_non_null(ids);
    assert_int_equal(n, nw);
    for (size_t i = 0; i < nw; i++)
        assert_int_equal(ids[i], p[want[i]]);
    sm_ids_free(ids);
}

/* in_state and not_in_state, a page at a time by parent id. */
static void in_state_pages(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p[7];
    seven_parents(s, p);
    int64_t from = p[0] - 1;
    const int co[] = {CHECKING_OUT}, co_ca[] = {CHECKING_OUT, CANCELLED};
    expect_list(s, true, co, 1, from, 2, p, (int[]){0, 2}, 2);
    expect_list(s, true, co, 1, p[2], 2, p, (int[]){4, 6}, 2);
    expect_list(s, true, co, 1, p[6], 2, p, NULL, 0);
    expect_list(s, true, co_ca, 2, from, 0, p, (int[]){0, 1, 2, 4, 5, 6}, 6);
    expect_list(s, true, co_ca, 2, p[1], 3, p, (int[]){2, 4, 5}, 3);
    expect_list(s, false, co, 1, from, 0, p, (int[]){1, 3, 5}, 3);
    expect_list(s, false, co_ca, 2, from, 1, p, (int[]){3}, 1);
    expect_list(s, false, co_ca, 2, p[3], 1, p, NULL, 0);
    expect_list(s, false, NULL, 0, p[3], 2, p, (int[]){4, 5}, 2);
    expect_list(s, true, NULL, 0, from, 0, p, NULL, 0);
    sm_store_close(s);
}

const struct CMUnitTest sm_contract_reads_tests[] = {
    cmocka_unit_test(history_pages),
    cmocka_unit_test(history_page_sees_new_rows),
    cmocka_unit_test(last_transition_to),
    cmocka_unit_test(hooks_read_in_the_write),
    cmocka_unit_test(batch_hooks_read_in_the_write),
    cmocka_unit_test(in_state_pages),
};
const size_t sm_contract_reads_count =
    sizeof sm_contract_reads_tests / sizeof sm_contract_reads_tests[0];
