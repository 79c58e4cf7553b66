/*
 * tlamp.h - a hand-written lamp: one event, toggle, whose target depends
 * on the state (off -> on, on -> off), and a guard on turning it on that
 * passes only with {"power":true}, so off's only exit is guarded. For
 * retries and allowed lists.
 */
#ifndef SM_TLAMP_H
#define SM_TLAMP_H

#include "tdef.h"

enum { LAMP_OFF, LAMP_ON };
enum { EV_TOGGLE };

/* The metadata the guard wants. */
#define LAMP_POWER "{\"power\":true}"

/* Hooks log to a tlog (tdef.h) passed as the machine's user pointer. */
extern const sm_def tdef_lamp;

#endif
