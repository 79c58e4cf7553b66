/*
 * jref.h - jansson's verdict on metadata, as libsm took it before it had
 * its own parser, with MariaDB's nesting limit: the reference the
 * metadata tests and fuzz_metadata compare against.
 */
#ifndef SM_JREF_H
#define SM_JREF_H

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

/* MariaDB's nesting limit on arrays and objects (runtime/src/json.h). */
#define JREF_MAX_DEPTH 31

/* The nesting of arrays and objects in j, counted on jansson's tree. */
static inline size_t jansson_depth(json_t *j)
{
    size_t max = 0, d, i;
    const char *k;
    json_t *v;
    if (json_is_object(j)) {
        json_object_foreach(j, k, v) max =
            (d = jansson_depth(v)) > max ? d : max;
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v) max =
            (d = jansson_depth(v)) > max ? d : max;
    } else {
        return 0;
    }
    return max + 1;
}

/* Is s one JSON object, without duplicate keys, to jansson, and nested
 * no deeper than MariaDB stores? */
static inline bool jansson_object(const char *s)
{
    json_error_t e;
    json_t *j = json_loadb(s, strlen(s), JSON_REJECT_DUPLICATES, &e);
    bool ok = j && json_is_object(j) && jansson_depth(j) <= JREF_MAX_DEPTH;
    json_decref(j);
    return ok;
}

#endif
