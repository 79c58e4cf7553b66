/*
 * buf.h - the one growable output buffer every emitter writes through.
 *
 * Errors are sticky: after a failed allocation every call is a no-op
 * and smc_buf_ok() says false, so emitters need not check each write.
 */
#ifndef SMC_BUF_H
#define SMC_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct smc_buf {
    char *data; /* NUL-terminated while ok */
    size_t len;
    size_t cap;
    bool failed;
} smc_buf;

void smc_buf_init(smc_buf *b);
void smc_buf_free(smc_buf *b);
void smc_buf_puts(smc_buf *b, const char *s);
void smc_buf_putn(smc_buf *b, const char *s, size_t n);
void smc_buf_printf(smc_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
bool smc_buf_ok(const smc_buf *b);

#endif
