/*
 * contract_batch.c - batches on the store under test: all or nothing,
 * refusals at queue time that leave the batch alone, hooks in queue
 * order, every conflicting item named while the others stay queued,
 * the once-per-batch limits, lifetimes, and calls from hooks (refused
 * with SM_E_ARG, the batch going on).
 * Batches stay within 16 items with history (the outside list store's
 * transaction size).
 */
#include <stdio.h>
#include <string.h>

#include "cpriv.h"
#include "tlamp.h"

enum { N = 12 };

/* The order machine's, which most tests use. */
static sm_machine *open_m(sm_store *s, int64_t parent, tlog *l)
{
    return c_open_m(&tdef_order, s, parent, l);
}

static sm_batch *begin(sm_store *s)
{
    sm_batch *b = NULL;
    assert_int_equal(sm_batch_begin(&b, s), SM_OK);
    assert_non_null(b);
    return b;
}

/* m's history as the store has it now (through a fresh machine). */
static const sm_transition *stored_last(sm_store *s, int64_t parent,
                                        sm_transition *out)
{
    tlog l = {0};
    sm_machine *f = open_m(s, parent, &l);
    const sm_transition *t = sm_last_transition(f);
    if (t)
        *out = *t, out->metadata = NULL;
    sm_machine_close(f);
    return t ? out : NULL;
}

/* N fresh parents moved to checking_out in one batch, queued in reverse
 * parent order; then cancelled in one batch: after_commit hooks run in
 * queue order, and each machine's cache is its stored history. */
static void batch_writes_all(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p[N];
    sm_machine *m[N];
    tlog l = {0};
    for (int i = 0; i < N; i++)
        p[i] = c_fresh();
    for (int i = 0; i < N; i++)
        m[i] = open_m(s, p[N - 1 - i], &l);
    sm_batch *b = begin(s);
    for (int i = 0; i < N; i++) {
        char md[32];
        snprintf(md, sizeof md, "{\"i\":%d}", i);
        assert_int_equal(sm_batch_transition_to(b, m[i], CHECKING_OUT, md),
                         SM_OK);
        assert_int_equal(sm_current_state(m[i]), PENDING); /* not yet */
    }
    assert_int_equal(c_stored_rows(s, p[0]), 0);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(sm_batch_failures(b, NULL), 0);
    assert_string_equal(sm_batch_errmsg(b), "");
    for (int i = 0; i < N; i++) {
        const sm_transition *t = sm_last_transition(m[i]);
        char md[32];
        snprintf(md, sizeof md, "{\"i\":%d}", i);
        assert_int_equal(sm_current_state(m[i]), CHECKING_OUT);
        assert_int_equal(t->sort_key, 10);
        assert_int_equal(t->from_state, PENDING);
        assert_true(t->most_recent);
        assert_string_equal(t->metadata, md);
        sm_transition row;
        assert_non_null(stored_last(s, p[N - 1 - i], &row));
        assert_int_equal(row.id, t->id);
        assert_int_equal(row.to_state, CHECKING_OUT);
    }
    assert_string_equal(l.buf, "");
    for (int i = 0; i < N; i++)
        assert_int_equal(sm_batch_fire(b, m[i], EV_CANCEL, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    char want[2048] = "";
    for (int i = 0; i < N; i++)
        strcat(want, "refund(1>5@5) audit(1>5@5) ");
    assert_string_equal(l.buf, want);
    for (int i = 0; i < N; i++) {
        assert_int_equal(sm_current_state(m[i]), CANCELLED);
        assert_int_equal(sm_last_transition(m[i])->sort_key, 20);
        assert_int_equal(c_stored_rows(s, p[i]), 2);
        sm_machine_close(m[i]);
    }
    sm_batch_free(b);
    sm_store_close(s);
}

/* Refusals come back at once, run the failure hooks, and leave the
 * batch as it was: the other items still commit. */
static void batch_refusals(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    tlog la = {0}, lb = {0}, lc = {0};
    sm_machine *a = open_m(s, c_fresh(), &la), *bm = open_m(s, c_fresh(), &lb),
               *c = open_m(s, c_fresh(), &lc);
    assert_int_equal(sm_transition_to(a, CHECKING_OUT, NULL), SM_OK);
    sm_batch *b = begin(s);
    assert_int_equal(sm_batch_transition_to(b, a, PURCHASED, NULL),
                     SM_E_GUARD_FAILED);
    assert_string_equal(sm_errmsg(a),
                        "guard 'payment_ok' rejected checking_out -> "
                        "purchased");
    assert_string_equal(sm_batch_errmsg(b), sm_errmsg(a));
    assert_string_equal(la.buf, "payment_ok(1>2@1) log_guard(1>2@1) ");
    assert_int_equal(sm_batch_transition_to(b, bm, SHIPPED, NULL),
                     SM_E_TRANSITION_FAILED);
    assert_string_equal(sm_errmsg(bm), "no transition pending -> shipped");
    assert_string_equal(lb.buf, "log_failure(0>4@0) ");
    assert_int_equal(sm_batch_fire(b, c, EV_CHECKOUT, "[1]"), SM_E_METADATA);
    assert_int_equal(sm_batch_fire(b, c, 7, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(c), "unknown event 7");
    assert_int_equal(sm_batch_transition_to(b, c, 9, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(c), "unknown state 9");
    /* a refused machine is not queued: it may be queued again */
    assert_int_equal(sm_batch_fire(b, c, EV_CHECKOUT, NULL), SM_OK);
    la.buf[0] = '\0';
    assert_int_equal(sm_batch_transition_to(b, a, PURCHASED, "{\"paid\":true}"),
                     SM_OK);
    assert_string_equal(la.buf, "payment_ok(1>2@1) reserve_stock(1>2@1) ");
    assert_int_equal(sm_batch_fire(b, bm, EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(sm_current_state(a), PURCHASED);
    assert_int_equal(sm_current_state(bm), CHECKING_OUT);
    assert_int_equal(sm_current_state(c), CHECKING_OUT);
    sm_machine_close(a);
    sm_machine_close(bm);
    sm_machine_close(c);
    sm_batch_free(b);
    sm_store_close(s);
}

/* A before hook runs at queue time; non-zero refuses that item alone. */
static void batch_before_at_queue(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh(), q = c_fresh();
    tlog l = {0}, lq = {0};
    sm_machine *m = open_m(s, p, &l), *o = open_m(s, q, &lq);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    sm_batch *b = begin(s);
    assert_int_equal(sm_batch_fire(b, o, EV_CHECKOUT, NULL), SM_OK);
    l.fail_before = 3;
    assert_int_equal(sm_batch_transition_to(b, m, PURCHASED, "{\"paid\":true}"),
                     SM_E_CALLBACK);
    assert_string_equal(sm_errmsg(m), "before hook 'reserve_stock' aborted "
                                      "checking_out -> purchased");
    assert_string_equal(l.buf, "payment_ok(1>2@1) reserve_stock(1>2@1) ");
    l.fail_before = 0;
    assert_int_equal(sm_batch_transition_to(b, m, PURCHASED, "{\"paid\":true}"),
                     SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    /* the hooks ran when queued, not again at commit */
    assert_string_equal(l.buf, "payment_ok(1>2@1) reserve_stock(1>2@1) "
                               "payment_ok(1>2@1) reserve_stock(1>2@1) ");
    assert_int_equal(c_stored_rows(s, p), 2);
    assert_int_equal(c_stored_rows(s, q), 1);
    sm_machine_close(m);
    sm_machine_close(o);
    sm_batch_free(b);
    sm_store_close(s);
}

/* What "order P: " leads a machine's message with. */
static const char *lead(int64_t p, const char *rest)
{
    static char b[512];
    snprintf(b, sizeof b, "order %lld: %s", (long long)p, rest);
    return b;
}

/* Once per batch: a machine, a parent, and a batch per machine. */
static void batch_limits(void **st)
{
    (void)st;
    sm_store *s = c_open_store(), *s2 = c_open_store();
    int64_t p = c_fresh(), q = c_fresh();
    tlog l = {0};
    sm_machine *m = open_m(s, p, &l), *twin = open_m(s, p, &l),
               *far = open_m(s2, q, &l);
    sm_batch *b = begin(s), *b2 = begin(s);
    assert_int_equal(sm_batch_fire(b, m, EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_batch_fire(b, m, EV_CANCEL, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(m), lead(p, "it is already queued in this "
                                              "batch (a machine appears "
                                              "once per batch)"));
    assert_string_equal(sm_batch_errmsg(b), sm_errmsg(m));
    assert_int_equal(sm_batch_fire(b2, m, EV_CANCEL, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(m), lead(p, "it is queued in another batch"));
    assert_int_equal(sm_batch_fire(b, twin, EV_CANCEL, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(twin),
                        lead(p, "another machine queued this parent in the "
                                "batch already (a parent appears once per "
                                "batch)"));
    assert_int_equal(sm_batch_fire(b, far, EV_CHECKOUT, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(far),
                        lead(q, "it is on another store than the batch"));
    /* queued: no single write, but reads are fine */
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(m),
                        lead(p, "it is queued in a batch (commit or free "
                                "the batch first)"));
    assert_int_equal(sm_fire_retry(m, EV_CANCEL, NULL, 3), SM_E_ARG);
    assert_int_equal(sm_current_state(m), PENDING);
    assert_int_equal(sm_batch_transition_to(NULL, m, CHECKING_OUT, NULL),
                     SM_E_ARG);
    assert_int_equal(sm_batch_transition_to(b, NULL, CHECKING_OUT, NULL),
                     SM_E_ARG);
    assert_string_equal(sm_batch_errmsg(b), "sm_batch: the machine is NULL");
    assert_int_equal(sm_batch_commit(b), SM_OK);
    /* committed: m is free again, and the twin may go in b2 */
    assert_int_equal(sm_reload(twin), SM_OK);
    assert_int_equal(sm_batch_fire(b2, twin, EV_CANCEL, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b2), SM_OK);
    assert_int_equal(sm_reload(m), SM_OK);
    assert_int_equal(sm_current_state(m), CANCELLED);
    assert_int_equal(c_stored_rows(s, p), 2);
    sm_machine_close(m);
    sm_machine_close(twin);
    sm_machine_close(far);
    sm_batch_free(b);
    sm_batch_free(b2);
    sm_store_close(s2);
    sm_store_close(s);
}

/* Moves parent of a fresh machine on s to checking_out behind the
 * batch's back. */
static void move_behind(sm_store *s, int64_t parent)
{
    tlog l = {0};
    sm_machine *o = open_m(s, parent, &l);
    assert_int_equal(sm_transition_to(o, CHECKING_OUT, NULL), SM_OK);
    sm_machine_close(o);
}

/* Two of five items are stale: nothing is written, both are named (in
 * queue order), the three others stay queued and commit next time,
 * and the failed two, queued again from the list, commit after. */
static void batch_conflicts_named(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p[5];
    sm_machine *m[5];
    tlog l = {0};
    for (int i = 0; i < 5; i++)
        p[i] = c_fresh(), m[i] = open_m(s, p[i], &l);
    sm_batch *b = begin(s);
    for (int i = 0; i < 5; i++)
        assert_int_equal(sm_batch_fire(b, m[i], EV_CANCEL, NULL), SM_OK);
    move_behind(s, p[3]);
    move_behind(s, p[1]);
    assert_int_equal(sm_batch_commit(b), SM_E_CONFLICT);
    assert_string_equal(l.buf, ""); /* no after_commit */
    for (int i = 0; i < 5; i++)
        assert_int_equal(c_stored_rows(s, p[i]), i == 1 || i == 3);
    const sm_batch_failure *f;
    assert_int_equal(sm_batch_failures(b, &f), 2);
    const char *why = "another writer transitioned it first (sort_key 10 "
                      "taken)";
    assert_ptr_equal(f[0].machine, m[1]);
    assert_ptr_equal(f[1].machine, m[3]);
    for (int k = 0; k < 2; k++) {
        int64_t fp = k ? p[3] : p[1];
        assert_int_equal(f[k].status, SM_E_CONFLICT);
        assert_string_equal(f[k].message, lead(fp, why));
        assert_string_equal(sm_errmsg(f[k].machine), f[k].message);
        /* reloaded: the other writer's row */
        assert_int_equal(sm_current_state(f[k].machine), CHECKING_OUT);
    }
    char want[600];
    snprintf(want, sizeof want,
             "nothing written: 2 items failed, the first: %s; ",
             lead(p[1], why));
    assert_memory_equal(sm_batch_errmsg(b), want, strlen(want));
    /* every cache equals the store */
    for (int i = 0; i < 5; i++)
        assert_int_equal(sm_current_state(m[i]),
                         i == 1 || i == 3 ? CHECKING_OUT : PENDING);
    /* the list stays valid while the failed are queued again */
    assert_int_equal(sm_batch_fire(b, f[0].machine, EV_CANCEL, NULL), SM_OK);
    assert_int_equal(sm_batch_fire(b, f[1].machine, EV_CANCEL, NULL), SM_OK);
    assert_int_equal(sm_batch_failures(b, &f), 2);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(sm_batch_failures(b, &f), 0);
    assert_null(f);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(sm_current_state(m[i]), CANCELLED);
        assert_int_equal(c_stored_rows(s, p[i]), i == 1 || i == 3 ? 2 : 1);
        sm_machine_close(m[i]);
    }
    sm_batch_free(b);
    sm_store_close(s);
}

/* An after hook aborting rolls everything back and names its item; the
 * caches equal the store; the rest commit next time. */
static void batch_after_aborts(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p[3];
    sm_machine *m[3];
    tlog l[3] = {{{0}, 0, 0}};
    sm_batch *b = begin(s);
    for (int i = 0; i < 3; i++) {
        p[i] = c_fresh(), m[i] = open_m(s, p[i], &l[i]);
        assert_int_equal(sm_transition_to(m[i], CHECKING_OUT, NULL), SM_OK);
        assert_int_equal(sm_transition_to(m[i], PURCHASED, "{\"paid\":true}"),
                         SM_OK);
        assert_int_equal(sm_batch_transition_to(b, m[i], SHIPPED, NULL), SM_OK);
        l[i].buf[0] = '\0';
    }
    l[1].fail_after = 1;
    assert_int_equal(sm_batch_commit(b), SM_E_CALLBACK);
    /* item 0's after hook ran (it saw its new row), item 2's never did */
    assert_string_equal(l[0].buf, "notify_shipping(2>4@4) ");
    assert_string_equal(l[1].buf, "notify_shipping(2>4@4) ");
    assert_string_equal(l[2].buf, "");
    const sm_batch_failure *f;
    assert_int_equal(sm_batch_failures(b, &f), 1);
    assert_ptr_equal(f[0].machine, m[1]);
    assert_int_equal(f[0].status, SM_E_CALLBACK);
    assert_string_equal(f[0].message, "after hook 'notify_shipping' aborted "
                                      "purchased -> shipped");
    assert_string_equal(sm_batch_errmsg(b),
                        "nothing written: after hook 'notify_shipping' "
                        "aborted purchased -> shipped");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sm_current_state(m[i]), PURCHASED);
        assert_int_equal(sm_last_transition(m[i])->sort_key, 20);
        assert_true(sm_last_transition(m[i])->most_recent);
        assert_int_equal(c_stored_rows(s, p[i]), 2);
    }
    assert_int_equal(sm_batch_commit(b), SM_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(c_stored_rows(s, p[i]), i == 1 ? 2 : 3);
    for (int i = 0; i < 3; i++)
        sm_machine_close(m[i]);
    sm_batch_free(b);
    sm_store_close(s);
}

/* An empty batch commits nothing; a closed machine's item is dropped; a
 * closed store detaches the batch. */
static void batch_lifetimes(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh(), q = c_fresh();
    tlog l = {0};
    sm_batch *b = begin(s);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    sm_machine *m = open_m(s, p, &l), *o = open_m(s, q, &l);
    assert_int_equal(sm_batch_fire(b, m, EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_batch_fire(b, o, EV_CHECKOUT, NULL), SM_OK);
    sm_machine_close(m);
    /* the parent is free again for another machine */
    m = open_m(s, p, &l);
    assert_int_equal(sm_batch_fire(b, m, EV_CANCEL, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(sm_current_state(m), CANCELLED);
    assert_int_equal(c_stored_rows(s, p), 1);
    assert_int_equal(c_stored_rows(s, q), 1);
    assert_int_equal(sm_batch_fire(b, o, EV_CANCEL, NULL), SM_OK);
    sm_store_close(s);
    assert_int_equal(sm_batch_commit(b), SM_E_ARG);
    assert_string_equal(sm_batch_errmsg(b), "sm_batch: its store was closed");
    assert_int_equal(sm_batch_fire(b, m, EV_CANCEL, NULL), SM_E_ARG);
    sm_batch_free(b);
    assert_int_equal(sm_transition_to(o, CANCELLED, NULL), SM_E_ARG);
    assert_string_equal(sm_errmsg(o), lead(q, "its store was closed"));
    sm_machine_close(m);
    sm_machine_close(o);
    sm_batch_free(NULL);
    assert_int_equal(sm_batch_begin(NULL, NULL), SM_E_ARG);
    assert_int_equal(sm_batch_commit(NULL), SM_E_ARG);
    assert_int_equal(sm_batch_failures(NULL, NULL), 0);
    assert_string_equal(sm_batch_errmsg(NULL), "");
}

/* A batch holds machines of different defs (and tables). */
static void batch_two_machines(void **st)
{
    (void)st;
    sm_store *s = c_open_store();
    int64_t p = c_fresh(), q = c_fresh();
    tlog l = {0};
    sm_machine *o = open_m(s, p, &l);
    sm_machine *lamp = c_open_m(&tdef_lamp, s, q, &l);
    sm_batch *b = begin(s);
    assert_int_equal(sm_batch_fire(b, lamp, EV_TOGGLE, NULL),
                     SM_E_GUARD_FAILED);
    assert_int_equal(sm_batch_fire(b, lamp, EV_TOGGLE, LAMP_POWER), SM_OK);
    assert_int_equal(sm_batch_fire(b, o, EV_CHECKOUT, NULL), SM_OK);
    assert_int_equal(sm_batch_commit(b), SM_OK);
    assert_int_equal(sm_current_state(lamp), LAMP_ON);
    assert_int_equal(sm_current_state(o), CHECKING_OUT);
    sm_machine *r = c_open_m(&tdef_lamp, s, q, &l);
    assert_int_equal(sm_current_state(r), LAMP_ON);
    sm_machine_close(r);
    sm_machine_close(o);
    sm_machine_close(lamp);
    sm_batch_free(b);
    sm_store_close(s);
}

/* What a hook of the re-entrancy tests does with its batch. */
typedef struct reenter {
    sm_batch *b;        /* the batch the hook's machine is queued in */
    sm_machine *other;  /* another machine of the store, not queued */
    sm_machine *queued; /* another machine queued in b */
    int calls;
    sm_status commit, queue, write; /* what each call returned */
} reenter;

/* Call into the batch and the machines from inside a hook. */
static void poke(reenter *r)
{
    r->calls++;
    r->commit = sm_batch_commit(r->b);
    r->queue = sm_batch_fire(r->b, r->other, EV_CANCEL, NULL);
    r->write = r->queued ? sm_transition_to(r->queued, CANCELLED, NULL) : SM_OK;
}

static int poke_hook(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t;
    poke(user);
    return 0;
}

static bool poke_guard(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t;
    poke(user);
    return true;
}

/*
 * A hook of kind k of a queued item commits its batch, queues another
 * machine in it and writes another queued machine: each is SM_E_ARG,
 * and the batch goes on (it commits, with both items).
 */
static void reentry(sm_hook_kind k)
{
    sm_hook h;
    sm_def d = c_def_with_hook(k, &h, poke_guard, poke_hook, "poke");
    sm_store *s = c_open_store();
    int64_t p = c_fresh(), q = c_fresh(), o = c_fresh();
    tlog l = {0};
    reenter r = {NULL, open_m(s, o, &l), NULL, 0, SM_OK, SM_OK, SM_OK};
    sm_machine *m = c_open_m(&d, s, p, &r), *n = open_m(s, q, &l);
    r.b = begin(s);
    assert_int_equal(sm_batch_fire(r.b, n, EV_CHECKOUT, NULL), SM_OK);
    r.queued = n;
    assert_int_equal(sm_batch_fire(r.b, m, EV_CHECKOUT, NULL), SM_OK);
    bool at_queue = k == SM_HOOK_GUARD || k == SM_HOOK_BEFORE;
    assert_int_equal(r.calls, at_queue);
    assert_int_equal(sm_batch_commit(r.b), SM_OK);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.commit, SM_E_ARG);
    assert_int_equal(r.queue, SM_E_ARG);
    assert_int_equal(r.write, SM_E_ARG);
    assert_string_equal(sm_batch_errmsg(r.b), "sm_batch: called from a hook "
                                              "of one of its items");
    assert_int_equal(sm_current_state(m), CHECKING_OUT);
    assert_int_equal(sm_current_state(n), CHECKING_OUT);
    assert_int_equal(sm_current_state(r.other), PENDING);
    assert_int_equal(c_stored_rows(s, o), 0);
    assert_int_equal(c_stored_rows(s, q), 1);
    sm_machine_close(m);
    sm_machine_close(n);
    sm_machine_close(r.other);
    sm_batch_free(r.b);
    sm_store_close(s);
}

static void batch_reentry_guard(void **st)
{
    (void)st;
    reentry(SM_HOOK_GUARD);
}
static void batch_reentry_before(void **st)
{
    (void)st;
    reentry(SM_HOOK_BEFORE);
}
static void batch_reentry_after(void **st)
{
    (void)st;
    reentry(SM_HOOK_AFTER);
}
static void batch_reentry_after_commit(void **st)
{
    (void)st;
    reentry(SM_HOOK_AFTER_COMMIT);
}

const struct CMUnitTest sm_contract_batch_tests[] = {
    cmocka_unit_test(batch_writes_all),
    cmocka_unit_test(batch_refusals),
    cmocka_unit_test(batch_before_at_queue),
    cmocka_unit_test(batch_limits),
    cmocka_unit_test(batch_conflicts_named),
    cmocka_unit_test(batch_after_aborts),
    cmocka_unit_test(batch_lifetimes),
    cmocka_unit_test(batch_two_machines),
    cmocka_unit_test(batch_reentry_guard),
    cmocka_unit_test(batch_reentry_before),
    cmocka_unit_test(batch_reentry_after),
    cmocka_unit_test(batch_reentry_after_commit),
};
const size_t sm_contract_batch_count =
    sizeof sm_contract_batch_tests / sizeof sm_contract_batch_tests[0];
