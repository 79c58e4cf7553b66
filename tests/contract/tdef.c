/*
 * tdef.c - the README's order machine written out by hand, as
 * smcc would generate it, with logging hooks (see tdef.h).
 */
#include <stdio.h>
#include <string.h>

#include "tdef.h"

/* Append "name(from>to@current) " to the log. */
static void note(sm_machine *m, const sm_transition *t, void *user,
                 const char *name)
{
    tlog *l = user;
    size_t n = strlen(l->buf);
    snprintf(l->buf + n, sizeof l->buf - n, "%s(%d>%d@%d) ", name,
             t->from_state, t->to_state, m ? sm_current_state(m) : -9);
}

/* Passes when metadata has "paid":true. */
static bool payment_ok(sm_machine *m, const sm_transition *t, void *user)
{
    note(m, t, user, "payment_ok");
    return strstr(t->metadata, "\"paid\":true") != NULL;
}
static int reserve_stock(sm_machine *m, const sm_transition *t, void *u)
{
    note(m, t, u, "reserve_stock");
    return ((tlog *)u)->fail_before;
}
static int notify_shipping(sm_machine *m, const sm_transition *t, void *u)
{
    note(m, t, u, "notify_shipping");
    return ((tlog *)u)->fail_after;
}
static int refund(sm_machine *m, const sm_transition *t, void *u)
{
    note(m, t, u, "refund");
    return 1; /* ignored */
}
static int audit(sm_machine *m, const sm_transition *t, void *u)
{
    note(m, t, u, "audit");
    return 0;
}
static int log_guard(sm_machine *m, const sm_transition *t, void *u)
{
    note(m, t, u, "log_guard");
    return 0;
}
static int log_failure(sm_machine *m, const sm_transition *t, void *u)
{
    note(m, t, u, "log_failure");
    return 0;
}

static const char *const names[] = {"pending", "checking_out", "purchased",
                                    "failed",  "shipped",      "cancelled"};
/* The indexes by name: cancelled, checking_out, failed, pending, ... */
static const int32_t by_name[] = {CANCELLED, CHECKING_OUT, FAILED,
                                  PENDING,   PURCHASED,    SHIPPED};
static const uint8_t flags[] = {SM_STATE_INITIAL, 0, 0, 0, SM_STATE_FINAL,
                                SM_STATE_FINAL};
static const uint32_t tidx[] = {0, 2, 5, 7, 8, 8, 8};
static const int32_t tto[] = {1, 5, 2, 3, 5, 3, 4, 1};
static const char *const evnames[] = {"checkout", "cancel"};
static const int32_t ev_by_name[] = {EV_CANCEL, EV_CHECKOUT};
static const uint32_t eidx[] = {0, 1, 3};
static const sm_arrow arrows[] = {{0, 1}, {0, 5}, {1, 5}};
static const int32_t s_co[] = {CHECKING_OUT}, s_pu[] = {PURCHASED},
                     s_sh[] = {SHIPPED}, s_ca[] = {CANCELLED};

static const sm_hook hooks[] = {
    {SM_HOOK_GUARD, s_co, 1, s_pu, 1, payment_ok, NULL, "payment_ok"},
    {SM_HOOK_BEFORE, NULL, 0, s_pu, 1, NULL, reserve_stock, "reserve_stock"},
    {SM_HOOK_AFTER, s_pu, 1, s_sh, 1, NULL, notify_shipping, "notify_shipping"},
    {SM_HOOK_AFTER_COMMIT, NULL, 0, s_ca, 1, NULL, refund, "refund"},
    {SM_HOOK_AFTER_COMMIT, NULL, 0, s_ca, 1, NULL, audit, "audit"},
    {SM_HOOK_AFTER_GUARD_FAILURE, NULL, 0, NULL, 0, NULL, log_guard,
     "log_guard"},
    {SM_HOOK_AFTER_TRANSITION_FAILURE, NULL, 0, NULL, 0, NULL, log_failure,
     "log_failure"},
};

const sm_def tdef_order = {SM_DEF_VERSION,
                           "order",
                           6,
                           names,
                           by_name,
                           flags,
                           PENDING,
                           tidx,
                           tto,
                           2,
                           evnames,
                           ev_by_name,
                           eidx,
                           arrows,
                           sizeof hooks / sizeof hooks[0],
                           hooks,
                           "order_transitions",
                           "orders",
                           "order_id",
                           0,
                           0,
                           NULL,
                           NULL};
