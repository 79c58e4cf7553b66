#include <stdio.h>

#include "order_sm.h" /* smcc order.sm; the hooks are in hooks.c */

enum { N = 5, FIRST = 101 };
static sm_machine *m[N]; /* orders FIRST .. FIRST + N - 1 */

/* Queue order i's checkout; a refusal leaves the batch as it was. */
static void queue_checkout(sm_batch *b, int i)
{
    if (order_batch_fire(b, m[i], ORDER_EVENT(CHECKOUT), NULL) != SM_OK)
        printf("order %d not queued: %s\n", FIRST + i, sm_errmsg(m[i]));
}

/* Queue again the items a failed commit names that may succeed now:
 * their machines have reloaded, so the checkout is decided afresh. */
static void queue_failed(sm_batch *b)
{
    const sm_batch_failure *f;
    size_t n = sm_batch_failures(b, &f);
    for (size_t k = 0; k < n; k++) {
        printf("failed: %s\n", f[k].message);
        for (int i = 0; i < N; i++)
            if (m[i] == f[k].machine && sm_status_retryable(f[k].status))
                queue_checkout(b, i);
    }
}

int main(void)
{
    sm_store *s = NULL;
    sm_machine *clerk = NULL;
    sm_batch *b = NULL;
    if (sm_store_open(&s, "memory:") != SM_OK)
        return 1;
    for (int i = 0; i < N; i++)
        sm_machine_open(&m[i], &order_def, s, FIRST + i, NULL);
    order_fire(m[4], ORDER_EVENT(CANCEL), NULL); /* 105 is cancelled */

    sm_batch_begin(&b, s);
    for (int i = 0; i < N; i++)
        queue_checkout(b, i);
    /* Meanwhile a clerk cancels order 103. */
    sm_machine_open(&clerk, &order_def, s, 103, NULL);
    order_fire(clerk, ORDER_EVENT(CANCEL), NULL);

    /* All or nothing: the stale item is named, the others stay queued. */
    sm_status st;
    for (int tries = 0; tries < 3; tries++) {
        st = sm_batch_commit(b);
        printf("commit: %s\n", sm_status_name(st));
        if (st == SM_OK || !sm_status_retryable(st))
            break;
        queue_failed(b);
    }
    for (int i = 0; i < N; i++)
        printf("order %d: %s\n", FIRST + i,
               order_state_name(order_current_state(m[i])));

    sm_batch_free(b);
    for (int i = 0; i < N; i++)
        sm_machine_close(m[i]);
    sm_machine_close(clerk);
    sm_store_close(s);
    return st == SM_OK ? 0 : 1;
}
