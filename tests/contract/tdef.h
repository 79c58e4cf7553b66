/*
 * tdef.h - a hand-written sm_def of the README's order machine, for tests.
 *
 * Its hooks log to a tlog passed as the machine's user pointer, and can
 * be told to fail, so tests see exactly what ran and in what order.
 */
#ifndef SM_TDEF_H
#define SM_TDEF_H

#include <sm/sm.h>

enum { PENDING, CHECKING_OUT, PURCHASED, FAILED, SHIPPED, CANCELLED };
enum { EV_CHECKOUT, EV_CANCEL };

typedef struct tlog {
    char buf[2048];  /* "name(from>to@current) " per hook call */
    int fail_before; /* reserve_stock returns this */
    int fail_after;  /* notify_shipping returns this */
} tlog;

extern const sm_def tdef_order;

#endif
