/*
 * buf.c - growable, NUL-terminated output buffer with sticky errors.
 */
#include "buf.h"

#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void smc_buf_init(smc_buf *b)
{
    memset(b, 0, sizeof *b);
}

void smc_buf_free(smc_buf *b)
{
    smc_free(b->data);
    smc_buf_init(b);
}

/* Make room for n more bytes plus the NUL. */
static bool reserve(smc_buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (b->len + n + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = smc_realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void smc_buf_putn(smc_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void smc_buf_puts(smc_buf *b, const char *s)
{
    smc_buf_putn(b, s, strlen(s));
}

void smc_buf_printf(smc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

bool smc_buf_ok(const smc_buf *b)
{
    return !b->failed;
}
