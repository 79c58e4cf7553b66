/*
 * tlamp.c - the lamp of tlamp.h written out by hand, as smcc would
 * generate it from
 *   machine lamp { initial state off; state on;
 *     transition off -> on; transition on -> off;
 *     event toggle { off -> on; on -> off; }
 *     guard * -> on : powered; }
 */
#include <stdio.h>
#include <string.h>

#include "tlamp.h"

/* Logs "powered(from>to@current) "; passes with {"power":true}. */
static bool powered(sm_machine *m, const sm_transition *t, void *user)
{
    tlog *l = user;
    size_t n = strlen(l->buf);
    snprintf(l->buf + n, sizeof l->buf - n, "powered(%d>%d@%d) ", t->from_state,
             t->to_state, sm_current_state(m));
    return strstr(t->metadata, "\"power\":true") != NULL;
}

static const char *const names[] = {"off", "on"};
static const int32_t by_name[] = {LAMP_OFF, LAMP_ON};
static const uint8_t flags[] = {SM_STATE_INITIAL, 0};
static const uint32_t tidx[] = {0, 1, 2};
static const int32_t tto[] = {LAMP_ON, LAMP_OFF};
static const char *const evnames[] = {"toggle"};
static const int32_t ev_by_name[] = {EV_TOGGLE};
static const uint32_t eidx[] = {0, 2};
static const sm_arrow arrows[] = {{LAMP_OFF, LAMP_ON}, {LAMP_ON, LAMP_OFF}};
static const int32_t s_on[] = {LAMP_ON};
static const sm_hook hooks[] = {
    {SM_HOOK_GUARD, NULL, 0, s_on, 1, powered, NULL, "powered"},
};

const sm_def tdef_lamp = {SM_DEF_VERSION,
                          "lamp",
                          2,
                          names,
                          by_name,
                          flags,
                          LAMP_OFF,
                          tidx,
                          tto,
                          1,
                          evnames,
                          ev_by_name,
                          eidx,
                          arrows,
                          1,
                          hooks,
                          "lamp_transitions",
                          "lamps",
                          "lamp_id",
                          0,
                          0,
                          NULL,
                          NULL};
