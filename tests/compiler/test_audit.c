/*
 * test_audit.c - the audit's judge (compiler/audit.c) in-process, rows
 * fed by hand, no database: each problem found alone and exactly once,
 * old names and retired states known, event attribution, the offender
 * limit, rows out of order refused; then a property test: thousands of
 * random histories the machine allows are clean, their coverage adds
 * up, and one corruption of each kind in one of them is found once,
 * and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "def_build.h"
#include "smcc.h"

static smc_arena *g_arena;
static sm_def g_def; /* shop.sm */

/* A row: id, parent, from (NULL), to, sort_key, most_recent. */
#define ROW(id, p, f, t, sk, mr) ((sm_scan_row){id, p, f, t, sk, mr})

/* Audit rows[0..n), keeping up to max offenders. */
static void run(smc_audit *a, const sm_scan_row *rows, size_t n, size_t max)
{
    assert_true(smc_audit_init(a, &g_def, max));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(smc_audit_row(a, &rows[i]), SM_OK);
    smc_audit_finish(a);
}

/* Exactly one problem, of kind p, on row `row`, saying detail. */
static void one(const sm_scan_row *rows, size_t n, smc_problem p, int64_t row,
                const char *detail)
{
    smc_audit a;
    run(&a, rows, n, 10);
    assert_int_equal(a.problems, 1);
    assert_int_equal(a.count[p], 1);
    assert_int_equal(a.noffenders, 1);
    assert_int_equal(a.offenders[0].problem, p);
    assert_int_equal(a.offenders[0].row, row);
    assert_string_equal(a.offenders[0].detail, detail);
    smc_audit_free(&a);
}

static void each_problem(void **st)
{
    (void)st;
    one((sm_scan_row[]){ROW(1, 7, NULL, "shipped", 10, 1)}, 1, SMC_NOT_ALLOWED,
        1, "first row: pending -> shipped is not a transition of shop");
    one((sm_scan_row[]){ROW(1, 7, "failed", "checking_out", 10, 1)}, 1,
        SMC_FROM_MISMATCH, 1,
        "from_state 'failed' on the first row; the history starts in "
        "'pending'");
    one((sm_scan_row[]){ROW(1, 7, NULL, "checking_out", 10, 0),
                        ROW(2, 7, "pending", "failed", 20, 1)},
        2, SMC_FROM_MISMATCH, 2,
        "from_state 'pending'; the previous row (1) is in 'checking_out'");
    one((sm_scan_row[]){ROW(1, 7, NULL, "checking_out", 10, 0),
                        ROW(2, 7, NULL, "failed", 10, 1)},
        2, SMC_DUPLICATE_SORT_KEY, 2, "sort_key 10 is also on row 1");
    one((sm_scan_row[]){ROW(5, 7, NULL, "checking_out", 10, 0),
                        ROW(2, 7, NULL, "failed", 20, 1)},
        2, SMC_SORT_KEY_ORDER, 2,
        "sort_key 20, after row 5's 10, but written before it");
    one((sm_scan_row[]){ROW(1, 7, NULL, "checking_out", 10, 0)}, 1,
        SMC_NO_MOST_RECENT, 1, "no row is most_recent (the last is row 1)");
    one((sm_scan_row[]){ROW(1, 7, NULL, "checking_out", 10, 1),
                        ROW(2, 7, NULL, "failed", 20, 1),
                        ROW(3, 7, NULL, "checking_out", 30, 1)},
        3, SMC_MANY_MOST_RECENT, 2, "3 rows are most_recent (rows 1, 2, ...)");
    one((sm_scan_row[]){ROW(1, 7, NULL, "checking_out", 10, 1),
                        ROW(2, 7, NULL, "failed", 20, 0)},
        2, SMC_MOST_RECENT_NOT_LAST, 1,
        "row 1 (sort_key 10) is most_recent; the last is row 2 (sort_key 20)");
    one((sm_scan_row[]){ROW(1, 7, NULL, "archived", 10, 1)}, 1,
        SMC_UNKNOWN_STATE, 1,
        "to_state 'archived': machine shop does not know it");
    one((sm_scan_row[]){ROW(1, 7, "limbo", "Checking_out", 10, 1)}, 1,
        SMC_UNKNOWN_STATE, 1,
        "from_state 'limbo', to_state 'Checking_out': machine shop does not "
        "know it");
    /* After an unknown state the next row cannot be judged, only its
     * own names and order. */
    one((sm_scan_row[]){ROW(1, 7, NULL, "archived", 10, 0),
                        ROW(2, 7, NULL, "shipped", 20, 1)},
        2, SMC_UNKNOWN_STATE, 1,
        "to_state 'archived': machine shop does not know it");
}

/* Old names and retired states are the machine's; a retired state's
 * transitions are history, neither judged nor counted. */
static void old_names_retired(void **st)
{
    (void)st;
    smc_audit a;
    sm_scan_row rows[] = {ROW(1, 3, "pending", "paying", 10, 0),
                          ROW(2, 3, "paying", "on_hold", 20, 0),
                          ROW(3, 3, "on_hold", "shipped", 30, 0),
                          ROW(4, 3, "shipped", "cancelled", 40, 1)};
    run(&a, rows, 4, 10);
    assert_int_equal(a.problems, 1); /* shipped is final */
    assert_int_equal(a.count[SMC_NOT_ALLOWED], 1);
    assert_int_equal(a.offenders[0].row, 4);
    assert_int_equal(a.rows, 4);
    assert_int_equal(a.parents, 1);
    uint64_t sum = 0;
    for (uint32_t t = 0; t < g_def.trans_index[g_def.nstates]; t++)
        sum += a.taken[t];
    assert_int_equal(sum, 1); /* pending -> checking_out only */
    smc_audit_free(&a);
}

/* cancel and abort share pending -> cancelled: a row counts for both. */
static void events(void **st)
{
    (void)st;
    smc_audit a;
    sm_scan_row rows[] = {ROW(1, 1, NULL, "cancelled", 10, 1),
                          ROW(2, 2, NULL, "checking_out", 10, 0),
                          ROW(3, 2, NULL, "cancelled", 20, 1)};
    run(&a, rows, 3, 10);
    assert_int_equal(a.problems, 0);
    int cancel = sm_def_event_index(&g_def, "cancel");
    int abort_ = sm_def_event_index(&g_def, "abort");
    int checkout = sm_def_event_index(&g_def, "checkout");
    int pay = sm_def_event_index(&g_def, "pay");
    assert_int_equal(smc_audit_event_taken(&a, cancel), 2);
    assert_int_equal(smc_audit_event_taken(&a, abort_), 1);
    assert_int_equal(smc_audit_event_taken(&a, checkout), 1);
    assert_int_equal(smc_audit_event_taken(&a, pay), 0);
    smc_audit_free(&a);
}

/* The first max offenders are kept; every one is counted. */
static void limit_and_order(void **st)
{
    (void)st;
    smc_audit a;
    sm_scan_row rows[] = {ROW(1, 1, NULL, "shipped", 10, 1),
                          ROW(2, 2, NULL, "shipped", 10, 1),
                          ROW(3, 3, NULL, "shipped", 10, 1)};
    run(&a, rows, 3, 2);
    assert_int_equal(a.problems, 3);
    assert_int_equal(a.noffenders, 2);
    assert_int_equal(a.offenders[1].parent, 2);
    smc_audit_free(&a);
    run(&a, rows, 3, 0);
    assert_int_equal(a.problems, 3);
    assert_int_equal(a.noffenders, 0);
    smc_audit_free(&a);
    assert_true(smc_audit_init(&a, &g_def, 1));
    assert_int_equal(smc_audit_row(&a, &rows[1]), SM_OK);
    assert_int_equal(smc_audit_row(&a, &rows[0]), SM_E_ARG);
    smc_audit_free(&a);
}

/* A random history of parent p the machine allows, into rows (ids from
 * *id up); its length. */
static size_t walk(sm_scan_row *rows, size_t cap, int64_t p, int64_t *id)
{
    size_t n = (size_t)rand() % cap;
    int s = g_def.initial, len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t lo = g_def.trans_index[s], hi = g_def.trans_index[s + 1];
        if (lo == hi)
            break;
        int to = g_def.trans_to[lo + (uint32_t)rand() % (hi - lo)];
        rows[len] = ROW(++*id, p, rand() % 2 ? g_def.state_names[s] : NULL,
                        g_def.state_names[to], 10 * (len + 1), 0);
        s = to, len++;
    }
    if (len)
        rows[len - 1].most_recent = true;
    return (size_t)len;
}

enum { CORRUPTIONS = SMC_PROBLEM__COUNT };

/* Corrupt history h (n >= 2 rows) with kind k; false when it cannot. */
static bool corrupt(sm_scan_row *h, size_t n, int k)
{
    sm_scan_row *last = &h[n - 1], *prev = &h[n - 2];
    int from = sm_def_state_index(&g_def, prev->to);
    switch ((smc_problem)k) {
    case SMC_UNKNOWN_STATE:
        last->to = "zzz";
        return true;
    case SMC_NOT_ALLOWED:
        for (uint32_t t = 0; t < g_def.nstates; t++)
            if (!sm_def_allows(&g_def, from, (int)t) &&
                !(g_def.state_flags[t] & SM_STATE_RETIRED)) {
                last->to = g_def.state_names[t];
                return true;
            }
        return false;
    case SMC_FROM_MISMATCH:
        last->from = strcmp(prev->to, "failed") ? "failed" : "pending";
        return true;
    case SMC_DUPLICATE_SORT_KEY:
        last->sort_key = prev->sort_key;
        return true;
    case SMC_SORT_KEY_ORDER: {
        int64_t t = last->id;
        last->id = prev->id, prev->id = t;
        return true;
    }
    case SMC_NO_MOST_RECENT:
        last->most_recent = false;
        return true;
    case SMC_MANY_MOST_RECENT:
        h[0].most_recent = true;
        return true;
    default:
        h[0].most_recent = true, last->most_recent = false;
        return true;
    }
}

static void property(void **st)
{
    (void)st;
    enum { PARENTS = 3000, CAP = 12 };
    static sm_scan_row rows[PARENTS * CAP];
    srand(12345);
    for (int round = 0; round <= CORRUPTIONS; round++) {
        int64_t id = 0;
        size_t n = 0, target = 0;
        bool planted = round == CORRUPTIONS;
        for (int64_t p = 1; p <= PARENTS; p++) {
            size_t k = walk(rows + n, CAP, p, &id);
            if (!planted && k >= 2 && p > PARENTS / 2)
                planted = corrupt(rows + n, k, round), target = (size_t)p;
            n += k;
        }
        smc_audit a;
        run(&a, rows, n, 5);
        uint64_t sum = 0;
        for (uint32_t t = 0; t < g_def.trans_index[g_def.nstates]; t++)
            sum += a.taken[t];
        if (round == CORRUPTIONS) { /* no corruption: clean, all counted */
            assert_int_equal(a.problems, 0);
            assert_int_equal(sum, n);
        } else {
            assert_true(target != 0);
            assert_int_equal(a.problems, 1);
            assert_int_equal(a.count[round], 1);
            assert_int_equal(a.offenders[0].parent, (int64_t)target);
        }
        smc_audit_free(&a);
    }
}

static int setup(void **st)
{
    (void)st;
    static char src[8192];
    FILE *f = fopen(SHOP_SM, "rb");
    size_t len = f ? fread(src, 1, sizeof src, f) : 0;
    if (f)
        fclose(f);
    smc_buf diag;
    smc_buf_init(&diag);
    smc_unit *u = NULL;
    g_arena = smc_arena_new();
    int errors = smc_compile(g_arena, SHOP_SM, src, len, NULL, &diag, &u);
    smc_buf_free(&diag);
    return errors != 0 || smc_def_build(g_arena, &u->machines[0], &g_def);
}

static int teardown(void **st)
{
    (void)st;
    smc_arena_free(g_arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_problem), cmocka_unit_test(old_names_retired),
        cmocka_unit_test(events), cmocka_unit_test(limit_and_order),
        cmocka_unit_test(property)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
