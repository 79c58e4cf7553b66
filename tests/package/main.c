/*
 * main.c - the package consumers' program: one transition of door 1 on
 * the memory store, then print the state. Shared by the CMake, Make and
 * subdirectory consumers, so all three prove the same thing.
 */
#include <stdio.h>

#include <sm/sm.h>
#include <sm/version.h>

#include "door_sm.h"

/* Print "closed -> open (libsm X.Y.Z)" or the failure; 0 on success. */
int main(void)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    sm_status st = sm_store_open(&s, "memory:");
    if (st == SM_OK)
        st = sm_machine_open(&m, &door_def, s, 1, NULL);
    if (st == SM_OK) {
        printf("%s", door_state_name(door_current_state(m)));
        st = door_transition_to(m, DOOR_STATE(OPEN), NULL);
    }
    if (st == SM_OK)
        printf(" -> %s (libsm %s)\n", door_state_name(door_current_state(m)),
               SM_VERSION_STRING);
    else
        fprintf(stderr, "door: %s\n", sm_status_name(st));
    sm_machine_close(m);
    sm_store_close(s);
    return st == SM_OK ? 0 : 1;
}
