/*
 * json.c - metadata validation with jansson.
 *
 * Metadata must be one JSON object. Duplicate keys are rejected
 * (JSON_REJECT_DUPLICATES): MySQL's JSON type keeps only one of them,
 * so accepting them would store something other than what was given.
 * jansson quotes the offending input in its message: escaped here.
 */
#include <string.h>

#include <jansson.h>

#include "json.h"
#include "redact.h"

/* SM_OK when md is NULL or a JSON object; SM_E_NOMEM; else SM_E_METADATA. */
sm_status sm_json_check(const char *md, char *err, size_t errlen)
{
    if (!md || sm_json_fast_ok(md))
        return SM_OK;
    json_error_t e;
    sm_json_oom = false;
    json_t *j = json_loadb(md, strlen(md), JSON_REJECT_DUPLICATES, &e);
    if (!j) {
        if (sm_json_oom || json_error_code(&e) == json_error_out_of_memory)
            return SM_E_NOMEM;
        char text[sizeof e.text * 4];
        sm_quote(text, sizeof text, e.text, strlen(e.text));
        snprintf(err, errlen, "metadata: %s", text);
        return SM_E_METADATA;
    }
    bool obj = json_is_object(j);
    json_decref(j);
    if (obj)
        return SM_OK;
    snprintf(err, errlen, "metadata: not a JSON object");
    return SM_E_METADATA;
}
