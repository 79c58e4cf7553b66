/*
 * json.c - metadata validation with jansson.
 *
 * Metadata must be one JSON object. Duplicate keys are rejected
 * (JSON_REJECT_DUPLICATES): MySQL's JSON type keeps only one of them,
 * so accepting them would store something other than what was given.
 * jansson quotes the offending input in its message: escaped here.
 * Nesting is capped at MariaDB's limit, so what passes here is stored
 * by every store.
 */
#include <string.h>

#include <jansson.h>

#include "json.h"
#include "redact.h"

/* The deepest nesting of arrays and objects in the valid JSON md. */
static size_t depth_of(const char *md)
{
    size_t d = 0, max = 0;
    bool in_string = false;
    for (const char *c = md; *c; c++) {
        if (in_string) {
            if (*c == '\\')
                c++;
            else if (*c == '"')
                in_string = false;
        } else if (*c == '"') {
            in_string = true;
        } else if (*c == '[' || *c == '{') {
            max = ++d > max ? d : max;
        } else if (*c == ']' || *c == '}') {
            d--;
        }
    }
    return max;
}

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
    if (!obj) {
        snprintf(err, errlen, "metadata: not a JSON object");
        return SM_E_METADATA;
    }
    if (depth_of(md) > SM_JSON_MAX_DEPTH) {
        snprintf(err, errlen, "metadata: nested deeper than %d levels",
                 SM_JSON_MAX_DEPTH);
        return SM_E_METADATA;
    }
    return SM_OK;
}
