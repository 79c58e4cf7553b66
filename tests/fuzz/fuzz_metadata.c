/*
 * fuzz_metadata.c - libFuzzer target over metadata validation. The
 * input, up to its first NUL, is metadata text. The no-allocation fast
 * path may accept only what the reference accepts, and sm_json_check's
 * verdict is exactly the reference's (tests/runtime/jref.h: jansson's,
 * an object without duplicate keys, with the nesting limit counted on
 * jansson's tree); a transition on a
 * memory store stores the text as given when valid and nothing
 * otherwise; every message is printable ASCII.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "jref.h"
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
