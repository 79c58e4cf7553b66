/*
 * alloc.h - the one allocator of the compiler library. Arena chunks,
 * output buffers, the scanner's buffers and the checker's scratch
 * arrays all come from here, so a host can swap it and the tests can
 * fail its Nth call and walk every failure path.
 */
#ifndef SMC_ALLOC_H
#define SMC_ALLOC_H

#include <stddef.h>

typedef struct smc_allocator {
    void *(*malloc)(size_t n);
    void *(*realloc)(void *p, size_t n);
    void (*free)(void *p);
} smc_allocator;

/* Install a (NULL: the C library's). Not thread-safe: set it before
 * compiling, not during. */
void smc_set_allocator(const smc_allocator *a);

void *smc_malloc(size_t n);              /* NULL on failure */
void *smc_calloc(size_t n, size_t size); /* zeroed; NULL on overflow too */
void *smc_realloc(void *p, size_t n);    /* NULL (p untouched) on failure */
void smc_free(void *p);                  /* NULL-safe */

#endif
