/*
 * alloc.c - the one allocator every part of libsm uses.
 *
 * sm_set_allocator() swaps it for libsm alone: the metadata parser is
 * libsm's own, so no other library's allocator is ever changed. Not
 * thread-safe: set it before opening anything.
 */
#include <stdlib.h>

#include "sm/sys/store.h"

static sm_allocator g_alloc = {malloc, realloc, free};

/* Install a (or malloc/realloc/free for NULL). */
void sm_set_allocator(const sm_allocator *a)
{
    sm_allocator def = {malloc, realloc, free};
    g_alloc = a ? *a : def;
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
