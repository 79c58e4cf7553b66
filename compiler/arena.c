/*
 * arena.c - bump allocation in chunks, for one compilation.
 */
#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 64 * 1024 };

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} chunk;

struct smc_arena {
    chunk *head;
};

smc_arena *smc_arena_new(void)
{
    return calloc(1, sizeof(smc_arena));
}

void smc_arena_free(smc_arena *a)
{
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void smc_arena_reset(smc_arena *a)
{
    chunk *keep = a->head;
    for (chunk *c = keep ? keep->next : NULL, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
}

/* A fresh chunk big enough for n bytes, pushed at the head. */
static chunk *grow(smc_arena *a, size_t n)
{
    size_t size = n > CHUNK ? n : CHUNK;
    chunk *c = malloc(sizeof(chunk) + size);
    if (!c)
        return NULL;
    c->next = a->head;
    c->used = 0;
    c->size = size;
    a->head = c;
    return c;
}

void *smc_alloc(smc_arena *a, size_t n)
{
    size_t align = alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    chunk *c = a->head;
    if (!c || c->size - c->used < n)
        c = grow(a, n);
    if (!c)
        return NULL;
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *smc_strndup(smc_arena *a, const char *s, size_t n)
{
    char *p = smc_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *smc_strdup(smc_arena *a, const char *s)
{
    return smc_strndup(a, s, strlen(s));
}
