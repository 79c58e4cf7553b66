/*
 * fuzz_metadata.c - libFuzzer target over metadata validation. The
 * input, up to its first NUL, is metadata text. The no-allocation fast
 * path may accept only what jansson accepts; sm_json_check's verdict is
 * exactly jansson's (an object, no duplicate keys, depth counted on
 * jansson's tree at most SM_JSON_MAX_DEPTH); a transition on a
 * memory store stores the text as given when valid and nothing
 * otherwise; every message is printable ASCII.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_check.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort, naming the property, when cond is false. */
static void require(int cond, const char *what, const char *md)
{
    if (cond)
        return;
    fprintf(stderr, "fuzz_metadata: %s\n  metadata: %s\n", what, md);
    abort();
}

/* The nesting depth of j, counted on jansson's tree. */
static size_t depth(json_t *j)
{
    size_t max = 0, d;
    const char *k;
    json_t *v;
    size_t i;
    if (json_is_object(j))
        json_object_foreach(j, k, v) max = (d = depth(v)) > max ? d : max;
    else if (json_is_array(j))
        json_array_foreach(j, i, v) max = (d = depth(v)) > max ? d : max;
    else
        return 0;
    return max + 1;
}

/* What jansson itself says: an object without duplicate keys, nested
 * no deeper than MariaDB stores. */
static int jansson_object(const char *md)
{
    json_error_t e;
    json_t *j = json_loadb(md, strlen(md), JSON_REJECT_DUPLICATES, &e);
    int ok = j && json_is_object(j) && depth(j) <= SM_JSON_MAX_DEPTH;
    json_decref(j);
    return ok;
}

/* Two states, each going to the other: every transition is allowed. */
static const char *const names[] = {"a", "b"};
static const int32_t by_name[] = {0, 1};
static const uint8_t flags[] = {SM_STATE_INITIAL, 0};
static const uint32_t tidx[] = {0, 1, 2};
static const int32_t tto[] = {1, 0};
static const sm_def ab = {.version = SM_DEF_VERSION,
                          .name = "ab",
                          .nstates = 2,
                          .state_names = names,
                          .state_by_name = by_name,
                          .state_flags = flags,
                          .initial = 0,
                          .trans_index = tidx,
                          .trans_to = tto};

/* One transition with md: stored as given, or refused leaving nothing. */
static void transition(const char *md, int valid)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    if (sm_store_open(&s, "memory:") != SM_OK ||
        sm_machine_open(&m, &ab, s, 1, NULL) != SM_OK) {
        sm_store_close(s);
        return;
    }
    sm_status st = sm_transition_to(m, 1, md);
    const sm_transition *last = sm_last_transition(m);
    require(fuzz_printable(sm_errmsg(m)), "the message is not printable", md);
    if (valid)
        require(st == SM_OK && last && !strcmp(last->metadata, md),
                "valid metadata not stored as given", md);
    else
        require(st == SM_E_METADATA && !last,
                "invalid metadata not refused cleanly", md);
    sm_machine_close(m);
    sm_store_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *md = malloc(size + 1), err[256] = "";
    if (!md)
        return 0;
    memcpy(md, data, size);
    md[size] = '\0';
    int valid = jansson_object(md);
    require(!sm_json_fast_ok(md) || valid,
            "the fast path accepted what jansson refuses", md);
    sm_status st = sm_json_check(md, err, sizeof err);
    require(st == (valid ? SM_OK : SM_E_METADATA),
            "sm_json_check disagrees with jansson", md);
    require(fuzz_printable(err), "the message is not printable", md);
    transition(md, valid);
    free(md);
    return 0;
}
