/*
 * use.c - the typed API of a generated machine used as README documents
 * it: ORDER_STATE(X) / ORDER_EVENT(X) values, a switch on .id, name
 * lookups both ways, and every typed machine and batch call. Run as
 * typed.use; typed.cmake also compiles it with gcc and clang in every C
 * standard at -pedantic -Werror.
 */
#include <stdio.h>
#include <string.h>

#include "order_sm.h"

#define PAID "{\"paid\":true}"

bool order_payment_ok(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    return strstr(t->metadata, "\"paid\":true") != NULL;
}
#define HOOK(f)                                                                \
    int f(sm_machine *m, const sm_transition *t, void *user)                   \
    {                                                                          \
        (void)m, (void)t, (void)user;                                          \
        return 0;                                                              \
    }
HOOK(order_reserve_stock)
HOOK(order_notify_shipping)
HOOK(order_refund)
HOOK(order_audit)
HOOK(order_log_guard)
HOOK(order_log_failure)

static int failures;
#define CHECK(c)                                                               \
    ((c) ? (void)0                                                             \
         : (void)(failures++,                                                  \
                  fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c)))

/* In a static initializer, braces make the value (a compound literal
 * is not a constant expression in ISO C). */
static const order_state finals[] = {{ORDER_STATE_SHIPPED},
                                     {ORDER_STATE_CANCELLED}};

/* What a status page says: the switch on .id (-Wswitch checks it). */
static const char *describe(order_state s)
{
    switch (s.id) {
    case ORDER_STATE_PENDING:
        return "waiting";
    case ORDER_STATE_CHECKING_OUT:
        return "paying";
    case ORDER_STATE_PURCHASED:
        return "paid";
    case ORDER_STATE_FAILED:
        return "payment failed";
    case ORDER_STATE_SHIPPED:
        return "on its way";
    case ORDER_STATE_CANCELLED:
        return "cancelled";
    case ORDER_STATE__COUNT:
        break;
    }
    return "?";
}

/* Names and lookups, without a machine. */
static void names(void)
{
    order_state s = ORDER_STATE(PENDING);
    order_event e = ORDER_EVENT(CANCEL);
    CHECK(order_state_from_name("checking_out", &s) == 0);
    CHECK(s.id == ORDER_STATE_CHECKING_OUT);
    CHECK(order_state_from_name("checkout", &s) == -1);
    CHECK(s.id == ORDER_STATE_CHECKING_OUT);
    CHECK(order_event_from_name("checkout", &e) == 0);
    CHECK(e.id == ORDER_EVENT_CHECKOUT);
    CHECK(order_event_from_name("checking_out", &e) == -1);
    CHECK(strcmp(order_state_name(finals[1]), "cancelled") == 0);
    CHECK(strcmp(order_event_name(ORDER_EVENT(CANCEL)), "cancel") == 0);
    CHECK(order_transition_allowed(ORDER_STATE(PENDING), finals[1]));
    CHECK(!order_transition_allowed(finals[0], ORDER_STATE(PENDING)));
}

/* The machine calls, each through its typed wrapper. */
static void calls(sm_machine *m)
{
    order_event checkout;
    CHECK(strcmp(describe(order_current_state(m)), "waiting") == 0);
    CHECK(order_event_from_name("checkout", &checkout) == 0);
    CHECK(order_fire(m, checkout, NULL) == SM_OK);
    CHECK(order_current_state(m).id == ORDER_STATE_CHECKING_OUT);
    CHECK(order_can_transition_to(m, ORDER_STATE(PURCHASED), NULL) ==
          SM_E_GUARD_FAILED);
    CHECK(order_can_transition_to(m, ORDER_STATE(PURCHASED), PAID) == SM_OK);
    CHECK(order_transition_to(m, ORDER_STATE(PENDING), NULL) ==
          SM_E_TRANSITION_FAILED);
    CHECK(order_transition_to(m, ORDER_STATE(FAILED), NULL) == SM_OK);
    CHECK(strcmp(describe(order_current_state(m)), "payment failed") == 0);
    CHECK(order_transition_to_retry(m, ORDER_STATE(CHECKING_OUT), NULL, 2) ==
          SM_OK);
    CHECK(order_fire_retry(m, ORDER_EVENT(CANCEL), NULL, 2) == SM_OK);
    CHECK(order_current_state(m).id == finals[1].id);
    CHECK(order_fire(m, checkout, NULL) == SM_E_TRANSITION_FAILED);
    CHECK(strcmp(sm_errmsg(m), "event 'checkout' has no transition from "
                               "cancelled") == 0);
    CHECK(order_fire_retry(m, checkout, NULL, 0) == SM_E_ARG);
    CHECK(strcmp(sm_errmsg(m), "sm_fire_retry: attempts is 0, not >= 1") == 0);
}

/* The batch wrappers: a typed target, then a typed event. */
static void batch(sm_store *s)
{
    sm_machine *a = NULL, *b = NULL;
    sm_batch *q = NULL;
    CHECK(sm_machine_open(&a, &order_def, s, 8, NULL) == SM_OK);
    CHECK(sm_machine_open(&b, &order_def, s, 9, NULL) == SM_OK);
    CHECK(sm_batch_begin(&q, s) == SM_OK);
    CHECK(order_batch_transition_to(q, a, ORDER_STATE(CHECKING_OUT), NULL) ==
          SM_OK);
    CHECK(order_batch_fire(q, b, ORDER_EVENT(CANCEL), NULL) == SM_OK);
    CHECK(order_batch_fire(q, a, ORDER_EVENT(CANCEL), NULL) == SM_E_ARG);
    CHECK(order_current_state(a).id == ORDER_STATE_PENDING);
    CHECK(sm_batch_commit(q) == SM_OK);
    CHECK(order_current_state(a).id == ORDER_STATE_CHECKING_OUT);
    CHECK(order_current_state(b).id == ORDER_STATE_CANCELLED);
    CHECK(order_batch_transition_to(q, b, ORDER_STATE(PENDING), NULL) ==
          SM_E_TRANSITION_FAILED);
    sm_batch_free(q);
    sm_machine_close(a);
    sm_machine_close(b);
}

int main(void)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    names();
    if (sm_store_open(&s, "memory:") != SM_OK ||
        sm_machine_open(&m, &order_def, s, 7, NULL) != SM_OK) {
        fprintf(stderr, "open: %s\n", sm_store_errmsg(s));
        sm_store_close(s);
        return 1;
    }
    calls(m);
    batch(s);
    sm_machine_close(m);
    sm_store_close(s);
    if (failures)
        return 1;
    puts("typed: ok");
    return 0;
}
