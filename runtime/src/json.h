/*
 * json.h - metadata validation (private).
 *
 * The engine calls this before any guard sees metadata.
 */
#ifndef SM_JSON_H
#define SM_JSON_H

#include <stdio.h>

#include "sm/sm.h"

/* True only when md is certainly a JSON object sm_json_check accepts
 * (flat, simple); false means "ask the parser" (json_fast.c). */
bool sm_json_fast_ok(const char *md);

/* MariaDB's JSON functions (and so its JSON column's CHECK) refuse
 * deeper nesting of arrays and objects: {"a":[...30 arrays...]} is the
 * deepest it stores. */
#define SM_JSON_MAX_DEPTH 31

/* SM_OK when md is NULL or a JSON object nested at most
 * SM_JSON_MAX_DEPTH deep; SM_E_NOMEM; else SM_E_METADATA with a message
 * in err. Allocates (sm_malloc) only for objects of many
 * keys. */
sm_status sm_json_check(const char *md, char *err, size_t errlen);

#endif
