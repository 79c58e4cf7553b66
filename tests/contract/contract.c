/*
 * contract.c - the store contract suite (cmocka), see contract.h.
 *
 * Each test takes a fresh parent, so the suite can run on a database
 * that already holds rows.
 */
#include <stdio.h>
#include <string.h>

#include "cpriv.h"
#include "tlamp.h"

static const char *g_url;
static const sm_contract_hooks *g_hooks;
static int64_t g_counter = 1000;

int64_t c_fresh(void)
{
    if (g_hooks && g_hooks->fresh_parent)
        return g_hooks->fresh_parent(g_hooks->ctx);
    return ++g_counter;
}

sm_store *c_open_store(void)
{
    sm_store *s = NULL;
    sm_status st = g_hooks && g_hooks->open ? g_hooks->open(&s, g_hooks->ctx)
                                            : sm_store_open(&s, g_url);
    if (st != SM_OK)
        fail_msg("open %s: %s", g_url, sm_store_errmsg(s));
    return s;
}

sm_machine *c_open_m(const sm_def *def, sm_store *s, int64_t parent, void *user)
{
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, def, s, parent, user), SM_OK);
    return m;
}

sm_status c_list(sm_store *s, const sm_def *def, bool in, const int *states,
                 size_t ns, int64_t after, size_t limit, int64_t **ids,
                 size_t *n)
{
    return in ? sm_store_in_state(s, def, states, ns, after, limit, ids, n)
              : sm_store_not_in_state(s, def, states, ns, after, limit, ids, n);
}

/* Rows of parent of machine d as the store has them now. */
static size_t rows_of(sm_store *s, const sm_def *d, int64_t parent)
{
    tlog l = {0};
    sm_machine *m = c_open_m(d, s, parent, &l);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    sm_machine_close(m);
    return n;
}

size_t c_stored_rows(sm_store *s, int64_t parent)
{
    return rows_of(s, &tdef_order, parent);
}

static const int32_t to_co[] = {CHECKING_OUT};

sm_def c_def_with_hook(sm_hook_kind k, sm_hook *h, sm_guard_fn guard,
                       sm_hook_fn call, const char *name)
{
    bool g = k == SM_HOOK_GUARD;
    *h = (sm_hook){k,   NULL, 0, to_co, 1, g ? guard : NULL, g ? NULL : call,
                   name};
    sm_def d = tdef_order;
    d.hooks = h;
    d.nhooks = 1;
    return d;
}

/* The order machine's, which most tests use. */
static sm_machine *open_m(sm_store *s, int64_t parent, tlog *l)
{
    return c_open_m(&tdef_order, s, parent, l);
}

static void load_empty(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    tlog l = {0};
    sm_machine *m = open_m(s, c_fresh(), &l);
    const sm_transition *h;
    size_t n = 9;
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_int_equal(n, 0);
    assert_null(sm_last_transition(m));
    assert_int_equal(sm_current_state(m), PENDING);
    sm_machine_close(m);
    sm_store_close(s);
}

/* Sort keys 10,20,30; ids increase; one most_recent, the last. */
static void sort_keys_ids_most_recent(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog l = {0};
    sm_machine *m = open_m(s, p, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    sm_machine_close(m);
    m = open_m(s, p, &l);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_int_equal(n, 3);
    int want[] = {CHECKING_OUT, FAILED, CHECKING_OUT};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(h[i].sort_key, 10 * (int)(i + 1));
        assert_int_equal(h[i].to_state, want[i]);
        assert_int_equal(h[i].parent_id, p);
        assert_int_equal(h[i].most_recent, i == n - 1);
        if (i)
            assert_true(h[i].id > h[i - 1].id);
    }
    assert_int_equal(h[0].from_state, PENDING);
    assert_int_equal(h[2].from_state, FAILED);
    sm_machine_close(m);
    sm_store_close(s);
}

/* A stale machine gets SM_E_CONFLICT, writes nothing, and reloads. */
static void stale_conflict(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog l = {0};
    sm_machine *a = open_m(s, p, &l), *b = open_m(s, p, &l);
    assert_int_equal(sm_transition_to(a, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(b, CANCELLED, NULL), SM_E_CONFLICT);
    /* the product's words first, then the store's own text */
    char want[128];
    snprintf(want, sizeof want,
             "order %lld: another writer transitioned it first "
             "(sort_key 10 taken): ",
             (long long)p);
    assert_memory_equal(sm_errmsg(b), want, strlen(want));
    assert_true(strlen(sm_errmsg(b)) > strlen(want));
    assert_int_equal(c_stored_rows(s, p), 1);
    assert_int_equal(sm_current_state(b), CHECKING_OUT);
    assert_string_equal(l.buf, "");
    /* reloaded, b now wins */
    assert_int_equal(sm_transition_to(b, CANCELLED, NULL), SM_OK);
    assert_int_equal(c_stored_rows(s, p), 2);
    sm_machine_close(a);
    sm_machine_close(b);
    sm_store_close(s);
}

/* transition_to_retry wins on its second attempt. */
static void retry_wins(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog l = {0};
    sm_machine *a = open_m(s, p, &l), *b = open_m(s, p, &l);
    assert_int_equal(sm_transition_to(a, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to_retry(b, CANCELLED, NULL, 2), SM_OK);
    assert_int_equal(c_stored_rows(s, p), 2);
    assert_int_equal(sm_last_transition(b)->sort_key, 20);
    sm_machine_close(a);
    sm_machine_close(b);
    sm_store_close(s);
}

/* An aborting after hook leaves no row behind. */
static void rollback_leaves_nothing(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog l = {0};
    sm_machine *m = open_m(s, p, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_transition_to(m, PURCHASED, "{\"paid\":true}"), SM_OK);
    l.fail_after = 1;
    assert_int_equal(sm_transition_to(m, SHIPPED, NULL), SM_E_CALLBACK);
    assert_int_equal(sm_current_state(m), PURCHASED);
    assert_true(sm_last_transition(m)->most_recent);
    assert_int_equal(c_stored_rows(s, p), 2);
    sm_machine *r = open_m(s, p, &l);
    assert_int_equal(sm_current_state(r), PURCHASED);
    assert_true(sm_last_transition(r)->most_recent);
    l.fail_after = 0;
    assert_int_equal(sm_transition_to(m, SHIPPED, NULL), SM_OK);
    assert_int_equal(sm_last_transition(m)->sort_key, 30);
    sm_machine_close(r);
    sm_machine_close(m);
    sm_store_close(s);
}

/* Metadata comes back byte for byte. */
static void metadata_round_trip(void **st)
{
    (void)st;
    static const char *md =
        "{\"q\":\"say \\\"hi\\\"\",\"b\":\"a\\\\b\",\"u\":\"caf\xc3\xa9 "
        "\\u00e9\","
        "\"n\":{\"x\":[1,2,{\"y\":null}]}}";
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog l = {0};
    sm_machine *m = open_m(s, p, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, md), SM_OK);
    assert_string_equal(sm_last_transition(m)->metadata, md);
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_OK);
    sm_machine_close(m);
    m = open_m(s, p, &l);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(h[0].metadata, md);
    assert_string_equal(h[1].metadata, "{}");
    sm_machine_close(m);
    sm_store_close(s);
}

/* Two machines on one parent take turns; both see one history. */
static void two_machines(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog l = {0};
    sm_machine *a = open_m(s, p, &l), *b = open_m(s, p, &l);
    assert_int_equal(sm_transition_to(a, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_reload(b), SM_OK);
    assert_int_equal(sm_transition_to(b, FAILED, NULL), SM_OK);
    assert_int_equal(sm_reload(a), SM_OK);
    assert_int_equal(sm_transition_to(a, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(sm_reload(b), SM_OK);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(b, &h, &n), SM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(h[2].sort_key, 30);
    assert_int_equal(h[2].id, sm_last_transition(a)->id);
    assert_false(h[1].most_recent);
    sm_machine_close(a);
    sm_machine_close(b);
    sm_store_close(s);
}

/* Does ids[0..n) hold id? */
static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* in_state lists a parent with history in its current state only. */
static void in_state(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog l = {0};
    sm_machine *m = open_m(s, p, &l);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    int64_t *ids = NULL;
    size_t n = 0;
    int want[] = {FAILED, CHECKING_OUT};
    assert_int_equal(
        sm_store_in_state(s, &tdef_order, want, 2, INT64_MIN, 0, &ids, &n),
        SM_OK);
    assert_true(has_id(ids, n, p));
    for (size_t i = 1; i < n; i++)
        assert_true(ids[i - 1] < ids[i]);
    sm_ids_free(ids);
    assert_int_equal(
        sm_store_in_state(s, &tdef_order, want, 1, INT64_MIN, 0, &ids, &n),
        SM_OK);
    assert_false(has_id(ids, n, p));
    sm_ids_free(ids);
    assert_int_equal(sm_store_in_state(s, &tdef_order, (int[]){6}, 1, INT64_MIN,
                                       0, &ids, &n),
                     SM_E_ARG);
    assert_null(ids);
    assert_string_equal(sm_store_errmsg(s),
                        "sm_store_in_state: order has no state 6");
    sm_machine_close(m);
    sm_store_close(s);
}

/* A lamp machine on parent. */
static sm_machine *open_lamp(sm_store *s, int64_t parent, tlog *l)
{
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &tdef_lamp, s, parent, l), SM_OK);
    return m;
}

/*
 * Two writers toggle one lamp. b is stale: its toggle means off -> on,
 * which a already wrote. sm_fire_retry reloads, resolves toggle again
 * (on -> off) and writes that.
 */
static void fire_retry_resolves_again(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog la = {0}, lb = {0};
    sm_machine *a = open_lamp(s, p, &la), *b = open_lamp(s, p, &lb);
    assert_int_equal(sm_fire(a, EV_TOGGLE, LAMP_POWER), SM_OK);
    assert_int_equal(sm_fire_retry(b, EV_TOGGLE, LAMP_POWER, 3), SM_OK);
    assert_string_equal(lb.buf, "powered(0>1@0) ");
    assert_int_equal(sm_current_state(b), LAMP_OFF);
    sm_machine *r = open_lamp(s, p, &la);
    const sm_transition *h;
    size_t n;
    assert_int_equal(sm_history(r, &h, &n), SM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(h[0].from_state, LAMP_OFF);
    assert_int_equal(h[0].to_state, LAMP_ON);
    assert_int_equal(h[1].from_state, LAMP_ON);
    assert_int_equal(h[1].to_state, LAMP_OFF);
    assert_int_equal(h[1].sort_key, 20);
    assert_false(h[0].most_recent);
    assert_true(h[1].most_recent);
    sm_machine_close(r);
    sm_machine_close(a);
    sm_machine_close(b);
    sm_store_close(s);
}

/*
 * What the retry is for: without it the stale writer conflicts, and
 * retrying the target it computed fails once it sees that state.
 */
static void stale_toggle_without_fire_retry(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog la = {0}, lb = {0};
    sm_machine *a = open_lamp(s, p, &la), *b = open_lamp(s, p, &lb);
    assert_int_equal(sm_fire(a, EV_TOGGLE, LAMP_POWER), SM_OK);
    assert_int_equal(sm_fire(b, EV_TOGGLE, LAMP_POWER), SM_E_CONFLICT);
    assert_int_equal(sm_current_state(b), LAMP_ON); /* reloaded */
    assert_int_equal(sm_fire(a, EV_TOGGLE, NULL), SM_OK);
    assert_int_equal(sm_fire_retry(b, EV_TOGGLE, NULL, 1), SM_E_CONFLICT);
    assert_int_equal(sm_current_state(b), LAMP_OFF);
    assert_int_equal(sm_transition_to_retry(b, LAMP_ON, LAMP_POWER, 3), SM_OK);
    assert_int_equal(sm_transition_to_retry(a, LAMP_ON, LAMP_POWER, 3),
                     SM_E_TRANSITION_FAILED);
    assert_int_equal(sm_fire_retry(b, EV_TOGGLE, NULL, 0), SM_E_ARG);
    assert_int_equal(sm_fire_retry(NULL, EV_TOGGLE, NULL, 1), SM_E_ARG);
    assert_int_equal(rows_of(s, &tdef_lamp, p), 3);
    sm_machine_close(a);
    sm_machine_close(b);
    sm_store_close(s);
}

/*
 * On a retry the guard judges the fresh transition: b's stale toggle
 * (on -> off) needs no power, the fresh one (off -> on) does.
 */
static void fire_retry_guard_runs_again(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh();
    tlog la = {0}, lb = {0};
    sm_machine *a = open_lamp(s, p, &la);
    assert_int_equal(sm_fire(a, EV_TOGGLE, LAMP_POWER), SM_OK);
    sm_machine *b = open_lamp(s, p, &lb);
    assert_int_equal(sm_fire(a, EV_TOGGLE, NULL), SM_OK);
    assert_int_equal(sm_fire_retry(b, EV_TOGGLE, NULL, 5), SM_E_GUARD_FAILED);
    assert_string_equal(lb.buf, "powered(0>1@0) ");
    assert_string_equal(sm_errmsg(b), "guard 'powered' rejected off -> on");
    assert_int_equal(rows_of(s, &tdef_lamp, p), 2);
    sm_machine_close(a);
    sm_machine_close(b);
    sm_store_close(s);
}

static int group_setup(void **st)
{
    (void)st;
    return g_hooks && g_hooks->setup ? g_hooks->setup(g_hooks->ctx) : 0;
}

int sm_contract_run(const char *url, const sm_contract_hooks *h)
{
    g_url = url;
    g_hooks = h;
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_empty),
        cmocka_unit_test(sort_keys_ids_most_recent),
        cmocka_unit_test(stale_conflict),
        cmocka_unit_test(retry_wins),
        cmocka_unit_test(rollback_leaves_nothing),
        cmocka_unit_test(metadata_round_trip),
        cmocka_unit_test(two_machines),
        cmocka_unit_test(in_state),
        cmocka_unit_test(fire_retry_resolves_again),
        cmocka_unit_test(stale_toggle_without_fire_retry),
        cmocka_unit_test(fire_retry_guard_runs_again),
    };
    enum { OWN = sizeof tests / sizeof tests[0], MAX = 64 };
    struct CMUnitTest all[MAX];
    size_t n = 0;
    for (size_t i = 0; i < OWN; i++)
        all[n++] = tests[i];
    for (size_t i = 0; i < sm_contract_nest_count && n < MAX; i++)
        all[n++] = sm_contract_nest_tests[i];
    for (size_t i = 0; i < sm_contract_reads_count && n < MAX; i++)
        all[n++] = sm_contract_reads_tests[i];
    for (size_t i = 0; i < sm_contract_batch_count && n < MAX; i++)
        all[n++] = sm_contract_batch_tests[i];
    for (size_t i = 0; i < sm_contract_batch_retry_count && n < MAX; i++)
        all[n++] = sm_contract_batch_retry_tests[i];
    for (size_t i = 0; i < sm_contract_unknown_count && n < MAX; i++)
        all[n++] = sm_contract_unknown_tests[i];
    return _cmocka_run_group_tests(url, all, n, group_setup, NULL);
}
