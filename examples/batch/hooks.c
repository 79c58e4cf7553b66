/*
 * hooks.c - the hooks order.sm names, for the batch example: payment
 * checks metadata, every other hook lets the transition go on.
 */
#include <string.h>

#include "order_sm.h"

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
