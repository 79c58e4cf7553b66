/*
 * redact.c - quoting untrusted text in messages: URLs without their
 * password, fragments with control bytes escaped and a length cap.
 *
 * Messages end up in logs; a log must never learn a password, and a
 * hostile input must not be able to forge lines in it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "redact.h"

/* An output buffer that stops, with "...", when full. */
typedef struct out {
    char *p;
    size_t cap, n; /* n excludes the NUL */
    bool full;
} out;

/* Room kept for "..." and the NUL. */
enum { RESERVE = 4 };

/* Append text of length k as is, or mark the buffer full. */
static void put(out *o, const char *text, size_t k)
{
    if (o->full)
        return;
    if (o->n + k + RESERVE > o->cap) {
        o->full = true;
        if (o->cap >= RESERVE) {
            memcpy(o->p + o->n, "...", 4);
            o->n += 3;
        }
        return;
    }
    memcpy(o->p + o->n, text, k);
    o->n += k;
    o->p[o->n] = '\0';
}

/* Append s[0..n), escaping every byte a log should not get raw. */
static void put_escaped(out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !o->full; i++) {
        unsigned char c = (unsigned char)s[i];
        char x[5];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            put(o, (const char *)&s[i], 1);
        else
            put(o, x, (size_t)snprintf(x, sizeof x, "\\x%02x", c));
    }
}

static out out_init(char *dst, size_t cap)
{
    if (cap)
        dst[0] = '\0';
    return (out){dst, cap, 0, cap < RESERVE};
}

void sm_quote(char *dst, size_t cap, const char *s, size_t n)
{
    out o = out_init(dst, cap);
    put_escaped(&o, s, n);
}

const char *sm_url_userinfo(const char *url)
{
    const char *scheme = strstr(url, "://");
    const char *at = strchr(url, '@');
    return scheme && (!at || scheme < at) ? scheme + 3 : url;
}

/* True when the user name u[0..n) may be shown. */
static bool user_shown(const char *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (u[i] == '/' || u[i] == '?' || u[i] == '#')
            return false;
    return true;
}

void sm_redact_url(char *dst, size_t cap, const char *url)
{
    out o = out_init(dst, cap);
    const char *info = sm_url_userinfo(url);
    const char *at = strrchr(info, '@');
    if (!at) {
        put_escaped(&o, url, strlen(url));
        return;
    }
    size_t len = (size_t)(at - info);
    const char *colon = memchr(info, ':', len);
    size_t un = colon ? (size_t)(colon - info) : len;
    put_escaped(&o, url, (size_t)(info - url));
    if (user_shown(info, un)) {
        put_escaped(&o, info, un);
        if (colon)
            put(&o, ":***", 4);
    } else {
        put(&o, "***", 3);
    }
    put_escaped(&o, at, strlen(at));
}
