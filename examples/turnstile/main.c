/*
 * main.c - the turnstile example: events (coin, push) drive the machine
 * with sm_fire; a refused event shows its error. Usage: turnstile [URL].
 */
#include <stdio.h>

#include "turnstile_sm.h"

/* Count people who went through (user points at the counter). */
int turnstile_count_pass(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t;
    ++*(int *)user;
    return 0;
}

/* Fire ev and print the outcome and the new state. */
static void fire(sm_machine *m, turnstile_event ev)
{
    sm_status st = turnstile_fire(m, ev, NULL);
    printf("%-5s -> %-9s %s%s%s\n", turnstile_event_name(ev),
           turnstile_state_name(turnstile_current_state(m)), sm_status_name(st),
           st ? ": " : "", st ? sm_errmsg(m) : "");
}

int main(int argc, char **argv)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    int passes = 0;
    if (sm_store_open(&s, argc > 1 ? argv[1] : "memory:") != SM_OK ||
        sm_machine_open(&m, &turnstile_def, s, 1, &passes) != SM_OK) {
        fprintf(stderr, "turnstile: %s\n", sm_store_errmsg(s));
        sm_store_close(s);
        return 1;
    }
    printf("start    %s\n", turnstile_state_name(turnstile_current_state(m)));
    fire(m, TURNSTILE_EVENT(PUSH));
    fire(m, TURNSTILE_EVENT(COIN));
    fire(m, TURNSTILE_EVENT(COIN));
    fire(m, TURNSTILE_EVENT(PUSH));
    fire(m, TURNSTILE_EVENT(COIN));
    fire(m, TURNSTILE_EVENT(PUSH));
    printf("passes   %d\n", passes);
    sm_machine_close(m);
    sm_store_close(s);
    return 0;
}
