/*
 * arena.c - bump allocation in chunks, for one compilation.
 */
#include "arena.h"

#include "alloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

/* Tests build the library with SMC_ARENA_CHUNK=0: every allocation is
 * then a call of the allocator, so the fault walk reaches each one. */
#ifndef SMC_ARENA_CHUNK
#define SMC_ARENA_CHUNK (64 * 1024)
#endif
enum { CHUNK = SMC_ARENA_CHUNK };

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} chunk;

struct smc_arena {
    chunk *head;
    jmp_buf *on_oom; /* where a failed allocation jumps, or NULL */
};

smc_arena *smc_arena_new(void)
{
    return smc_calloc(1, sizeof(smc_arena));
}

void smc_arena_free(smc_arena *a)
{
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        smc_free(c);
    }
    smc_free(a);
}

void smc_arena_reset(smc_arena *a)
{
    chunk *keep = a->head;
    for (chunk *c = keep ? keep->next : NULL, *next; c; c = next) {
        next = c->next;
        smc_free(c);
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
    chunk *c = smc_malloc(sizeof(chunk) + size);
    if (!c)
        return NULL;
    c->next = a->head;
    c->used = 0;
    c->size = size;
    a->head = c;
    return c;
}

/* A failed allocation: jump to the handler if one is set, else NULL. */
static void *out_of_memory(smc_arena *a)
{
    if (a->on_oom)
        longjmp(*a->on_oom, SMC_ARENA_OOM);
    return NULL;
}

void *smc_alloc(smc_arena *a, size_t n)
{
    size_t align = alignof(max_align_t);
    if (n > SIZE_MAX / 2) /* rounding up would wrap */
        return out_of_memory(a);
    n = (n + align - 1) & ~(align - 1);
    chunk *c = a->head;
    if (!c || c->size - c->used < n)
        c = grow(a, n);
    if (!c)
        return out_of_memory(a);
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

void smc_arena_on_oom(smc_arena *a, jmp_buf *jb)
{
    a->on_oom = jb;
}
