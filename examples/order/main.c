/*
 * main.c - the order example: a few orders walked through checkout,
 * payment (a guard reading metadata), shipping and cancellation, with
 * each order's history printed as a table, then the orders in each
 * end state (sm_store_in_state). Usage: order [STORE_URL].
 */
#include <stdio.h>
#include <string.h>

#include "order_sm.h"

/* The guard: payment must be recorded in the metadata. */
bool order_payment_ok(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    return strstr(t->metadata, "\"paid\":true") != NULL;
}

int order_reserve_stock(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    printf("  [before] reserve stock for order %lld\n",
           (long long)t->parent_id);
    return 0;
}

int order_notify_shipping(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    printf("  [after] notify shipping for order %lld\n",
           (long long)t->parent_id);
    return 0;
}

int order_refund(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    printf("  [after_commit] refund order %lld\n", (long long)t->parent_id);
    return 0;
}

int order_audit(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    printf("  [after_commit] audit order %lld\n", (long long)t->parent_id);
    return 0;
}

int order_log_guard(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    printf("  [guard failure] %s -> %s\n",
           sm_def_state_name(&order_def, t->from_state),
           sm_def_state_name(&order_def, t->to_state));
    return 0;
}

int order_log_failure(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)user;
    printf("  [transition failure] from %s\n",
           sm_def_state_name(&order_def, t->from_state));
    return 0;
}

/* Try one transition and print the outcome. */
static void go(sm_machine *m, order_state to, const char *md)
{
    sm_status st = order_transition_to(m, to, md);
    printf("  -> %-12s %s%s%s\n", order_state_name(to), sm_status_name(st),
           st ? ": " : "", st ? sm_errmsg(m) : "");
}

/* Print m's history as a table. */
static void print_history(sm_machine *m, int64_t id)
{
    const sm_transition *h;
    size_t n;
    sm_history(m, &h, &n);
    printf("order %lld history:\n", (long long)id);
    printf("  %4s %4s %-12s %-12s %6s  %s\n", "id", "sort", "from", "to",
           "recent", "metadata");
    for (size_t i = 0; i < n; i++)
        printf("  %4lld %4d %-12s %-12s %6s  %s\n", (long long)h[i].id,
               (int)h[i].sort_key,
               sm_def_state_name(&order_def, h[i].from_state),
               sm_def_state_name(&order_def, h[i].to_state),
               h[i].most_recent ? "yes" : "no", h[i].metadata);
}

/* The orders that ended shipped, failed or cancelled. */
static void print_in_state(sm_store *s)
{
    static const int ends[] = {ORDER_STATE_SHIPPED, ORDER_STATE_FAILED,
                               ORDER_STATE_CANCELLED};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        int64_t *ids = NULL;
        size_t n = 0;
        if (sm_store_in_state(s, &order_def, &ends[i], 1, &ids, &n) != SM_OK) {
            printf("in_state: %s\n", sm_store_errmsg(s));
            return;
        }
        printf("%-9s orders:", sm_def_state_name(&order_def, ends[i]));
        for (size_t k = 0; k < n; k++)
            printf(" %lld", (long long)ids[k]);
        printf("\n");
        sm_ids_free(ids);
    }
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "memory:";
    sm_store *s = NULL;
    if (sm_store_open(&s, url) != SM_OK) {
        fprintf(stderr, "order: %s\n", sm_store_errmsg(s));
        sm_store_close(s);
        return 1;
    }
    sm_machine *m = NULL;
    for (int64_t id = 1; id <= 3; id++) {
        if (sm_machine_open(&m, &order_def, s, id, NULL) != SM_OK) {
            fprintf(stderr, "order: %s\n", sm_store_errmsg(s));
            break;
        }
        printf("order %lld: %s\n", (long long)id,
               order_state_name(order_current_state(m)));
        if (id == 3) {
            order_fire(m, ORDER_EVENT(CANCEL), "{\"reason\":\"changed mind\"}");
            printf("  cancel       %s\n",
                   order_state_name(order_current_state(m)));
            go(m, ORDER_STATE(SHIPPED), NULL);
        } else {
            order_fire(m, ORDER_EVENT(CHECKOUT), NULL);
            go(m, ORDER_STATE(PURCHASED), "{\"paid\":false}");
            if (id == 1) {
                go(m, ORDER_STATE(PURCHASED),
                   "{\"paid\":true,\"card\":\"visa\"}");
                go(m, ORDER_STATE(SHIPPED), NULL);
            } else {
                go(m, ORDER_STATE(FAILED), NULL);
            }
        }
        print_history(m, id);
        sm_machine_close(m);
        m = NULL;
    }
    print_in_state(s);
    sm_store_close(s);
    return 0;
}
