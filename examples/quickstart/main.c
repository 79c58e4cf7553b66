#include <stdio.h>
#include <string.h>

#include "order_sm.h" /* smcc order.sm */

/* The guard: pay before purchase. It sees the proposed transition. */
bool order_payment_ok(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    return strstr(t->metadata, "\"paid\":true") != NULL;
}

/* The other hooks order.sm names; 0 lets the transition go on. */
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

int main(void)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    if (sm_store_open(&s, "memory:") != SM_OK ||
        sm_machine_open(&m, &order_def, s, 42, NULL) != SM_OK) {
        fprintf(stderr, "%s\n", sm_store_errmsg(s));
        sm_store_close(s);
        return 1;
    }
    sm_status st = order_fire(m, ORDER_EVENT(CHECKOUT), NULL);
    printf("checkout: %s\n", sm_status_name(st));
    st = order_transition_to(m, ORDER_STATE(PURCHASED), NULL);
    printf("purchase: %s (%s)\n", sm_status_name(st), sm_errmsg(m));
    const char *paid = "{\"paid\":true}";
    st = order_transition_to_retry(m, ORDER_STATE(PURCHASED), paid, 3);
    printf("purchase: %s, now %s\n", sm_status_name(st),
           order_state_name(order_current_state(m)));

    const sm_transition *h;
    size_t n;
    sm_history(m, &h, &n);
    for (size_t i = 0; i < n; i++)
        printf("%d %s -> %s %s%s\n", (int)h[i].sort_key,
               sm_def_state_name(&order_def, h[i].from_state),
               sm_def_state_name(&order_def, h[i].to_state), h[i].metadata,
               h[i].most_recent ? " (most recent)" : "");
    sm_machine_close(m);
    sm_store_close(s);
    return 0;
}
