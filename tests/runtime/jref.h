/*
 * jref.h - jansson's verdict on metadata, as libsm took it before it had
 * its own parser: the reference the metadata tests compare against.
 */
#ifndef SM_JREF_H
#define SM_JREF_H

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

/* Is s one JSON object, without duplicate keys, to jansson? */
static inline bool jansson_object(const char *s)
{
    json_error_t e;
    json_t *j = json_loadb(s, strlen(s), JSON_REJECT_DUPLICATES, &e);
    bool ok = j && json_is_object(j);
    json_decref(j);
    return ok;
}

#endif
