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

/* SM_OK when md is NULL or a JSON object; SM_E_NOMEM; else SM_E_METADATA
 * with a message in err. Allocates (sm_malloc) only for objects of many
 * keys. */
sm_status sm_json_check(const char *md, char *err, size_t errlen);

#endif
