/*
 * alloc.c - the compiler library's allocator (see alloc.h): the C
 * library's by default, swappable as a whole.
 */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static smc_allocator g_alloc = {malloc, realloc, free};

void smc_set_allocator(const smc_allocator *a)
{
    smc_allocator def = {malloc, realloc, free};
    g_alloc = a ? *a : def;
}

void *smc_malloc(size_t n)
{
    return g_alloc.malloc(n ? n : 1);
}

void *smc_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = smc_malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *smc_realloc(void *p, size_t n)
{
    return g_alloc.realloc(p, n ? n : 1);
}

void smc_free(void *p)
{
    if (p)
        g_alloc.free(p);
}
