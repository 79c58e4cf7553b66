/*
 * misuse.c - one mix-up of states and events per MISUSE=N, each of which
 * must fail to compile under any flags (typed.cmake checks that the
 * error is on the marked line). MISUSE=0 is the same file used rightly
 * and must compile under the same flags.
 */
#include "order_sm.h"
#include "turnstile_sm.h"

sm_status misuse(sm_machine *m, sm_batch *b);

sm_status misuse(sm_machine *m, sm_batch *b)
{
    order_state s = ORDER_STATE(PENDING);
    order_event e = ORDER_EVENT(CANCEL);
    sm_status st = SM_OK;

    (void)s, (void)e, (void)b;
#if MISUSE == 0
    st = order_transition_to(m, ORDER_STATE(SHIPPED), NULL);
    st = order_fire(m, ORDER_EVENT(CANCEL), NULL);
    st = order_fire(m, e, NULL);
    s = order_current_state(m);
    (void)order_transition_allowed(s, ORDER_STATE(CANCELLED));
    st = order_batch_transition_to(b, m, ORDER_STATE(SHIPPED), NULL);
    st = order_batch_fire(b, m, e, NULL);
#elif MISUSE == 1
    st = order_transition_to(m, ORDER_EVENT(CANCEL), NULL); /* misuse 1 */
#elif MISUSE == 2
    st = order_fire(m, ORDER_STATE(SHIPPED), NULL); /* misuse 2 */
#elif MISUSE == 3
    st = order_can_transition_to(m, e, NULL); /* misuse 3 */
#elif MISUSE == 4
    st = order_transition_to_retry(m, e, NULL, 3); /* misuse 4 */
#elif MISUSE == 5
    st = order_fire_retry(m, s, NULL, 3); /* misuse 5 */
#elif MISUSE == 6
    st = order_transition_to(m, ORDER_EVENT_CANCEL, NULL); /* misuse 6 */
#elif MISUSE == 7
    st = order_fire(m, ORDER_STATE_SHIPPED, NULL); /* misuse 7 */
#elif MISUSE == 8
    st = order_fire(m, order_current_state(m), NULL); /* misuse 8 */
#elif MISUSE == 9
    order_state bad = ORDER_EVENT(CANCEL); /* misuse 9 */
    (void)bad;
#elif MISUSE == 10
    e = ORDER_STATE(PENDING); /* misuse 10 */
#elif MISUSE == 11
    e = order_current_state(m); /* misuse 11 */
#elif MISUSE == 12
    (void)order_transition_allowed(s, e); /* misuse 12 */
#elif MISUSE == 13
    (void)order_state_name(e); /* misuse 13 */
#elif MISUSE == 14
    (void)order_event_name(s); /* misuse 14 */
#elif MISUSE == 15
    st = order_transition_to(m, 2, NULL); /* misuse 15 */
#elif MISUSE == 16
    st = order_transition_to(m, TURNSTILE_STATE(LOCKED), NULL); /* misuse 16 */
#elif MISUSE == 17
    st = order_fire(m, TURNSTILE_EVENT(COIN), NULL); /* misuse 17 */
#elif MISUSE == 18
    st = turnstile_fire(m, e, NULL); /* misuse 18 */
#elif MISUSE == 19
    st = order_batch_transition_to(b, m, e, NULL); /* misuse 19 */
#elif MISUSE == 20
    st = order_batch_fire(b, m, ORDER_STATE(SHIPPED), NULL); /* misuse 20 */
#elif MISUSE == 21
    st = order_batch_fire(b, m, ORDER_EVENT_CANCEL, NULL); /* misuse 21 */
#elif MISUSE == 22
    st = order_batch_fire(b, m, TURNSTILE_EVENT(COIN), NULL); /* misuse 22 */
#elif MISUSE == 23
    st = turnstile_batch_fire(b, m, ORDER_EVENT(CANCEL), NULL); /* misuse 23 */
#endif
    return st;
}
