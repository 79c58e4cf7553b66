/*
 * alloc.c - the one allocator every part of libsm uses.
 *
 * sm_set_allocator() swaps it (and jansson's, so JSON parsing is covered
 * by fault injection too). Not thread-safe: set it before opening.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <jansson.h>

#include "sm/sys/store.h"

static sm_allocator g_alloc = {malloc, realloc, free};

/* Set when jansson's allocation failed on this thread (see json.c). */
_Thread_local bool sm_json_oom;

/* jansson's malloc: the current allocator, remembering a failure, since
 * jansson reports it as a syntax error. */
static void *json_malloc(size_t n)
{
    void *p = g_alloc.malloc(n ? n : 1);
    if (!p)
        sm_json_oom = true;
    return p;
}

static void json_free(void *p)
{
    if (p)
        g_alloc.free(p);
}

/* Install a (or malloc/realloc/free for NULL), for libsm and jansson. */
void sm_set_allocator(const sm_allocator *a)
{
    sm_allocator def = {malloc, realloc, free};
    g_alloc = a ? *a : def;
    json_set_alloc_funcs(json_malloc, json_free);
}

/* Allocate n bytes with the current allocator; NULL on failure. */
void *sm_malloc(size_t n)
{
    return g_alloc.malloc(n ? n : 1);
}

/* Resize p with the current allocator; NULL (p untouched) on failure. */
void *sm_realloc(void *p, size_t n)
{
    return g_alloc.realloc(p, n ? n : 1);
}

/* Free p (NULL-safe) with the current allocator. */
void sm_free(void *p)
{
    if (p)
        g_alloc.free(p);
}
