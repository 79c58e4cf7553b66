/*
 * json.c - metadata validation: is this text one JSON object?
 *
 * libsm's own parser, so it allocates through sm_malloc and never
 * touches another library's allocator. Its verdicts are jansson 2.14's
 * with JSON_REJECT_DUPLICATES (test_json checks them side by side):
 * RFC 8259, strict UTF-8, no \u0000, integers within int64, finite
 * numbers, and no duplicate keys (compared after unescaping: MySQL's
 * JSON type would keep only one of them); and, as MariaDB's JSON column
 * stores no deeper, at most SM_JSON_MAX_DEPTH nested arrays and objects
 * (jansson's own limit, 2048 values, is far beyond it).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "rows.h"

enum { LOCAL_KEYS = 32 };
_Static_assert(SM_JSON_MAX_DEPTH == 31, "value()'s message says 31");

/* A key as written, between its quotes. */
typedef struct span {
    const char *p;
    size_t n;
} span;

typedef struct parser {
    const char *s, *p; /* the text and the cursor */
    size_t depth;      /* arrays and objects open now */
    span *keys;        /* keys of the objects open now, innermost last */
    size_t nkeys, cap;
    span local[LOCAL_KEYS];
    const char *err; /* what is wrong at p, NULL while all is well */
    bool oom;
} parser;

static bool fail(parser *ps, const char *why)
{
    if (!ps->err)
        ps->err = why;
    return false;
}

static void ws(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

/* The length of the valid UTF-8 sequence at s (>= 0x80), or 0. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (s[0] < 0xC2 || s[0] > 0xF4)
        return 0;
    unsigned long v = s[0] & (0x3F >> (n - 1));
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    bool overlong = (n == 3 && v < 0x800) || (n == 4 && v < 0x10000);
    if (overlong || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    return n;
}

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The code unit of the \uXXXX at p (p at the 'u'), or -1. */
static long unit(const char *p)
{
    long v = 0;
    for (int i = 1; i <= 4; i++) {
        int h = hex(p[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

/* A \u escape at p (p at the 'u'): advance past it (and its pair). */
static bool uescape(parser *ps)
{
    long v = unit(ps->p);
    if (v < 0)
        return fail(ps, "invalid \\u escape");
    ps->p += 5;
    if (v >= 0xDC00 && v <= 0xDFFF)
        return fail(ps, "lone UTF-16 surrogate");
    if (v >= 0xD800 && v <= 0xDBFF) {
        long w = ps->p[0] == '\\' && ps->p[1] == 'u' ? unit(ps->p + 1) : -1;
        if (w < 0xDC00 || w > 0xDFFF)
            return fail(ps, "lone UTF-16 surrogate");
        ps->p += 6;
    }
    return v ? true : fail(ps, "\\u0000 is not allowed");
}

/* A string at p ('"'); its contents' span in *out. */
static bool string(parser *ps, span *out)
{
    const char *b = ++ps->p;
    for (;;) {
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"')
            break;
        if (c == '\0')
            return fail(ps, "unterminated string");
        if (c < 0x20)
            return fail(ps, "control character in a string");
        if (c == '\\') {
            char e = *++ps->p;
            if (e == 'u') {
                if (!uescape(ps))
                    return false;
                continue;
            }
            if (!e || !strchr("\"\\/bfnrt", e))
                return fail(ps, "invalid escape");
            ps->p++;
        } else if (c >= 0x80) {
            int n = utf8_len((const unsigned char *)ps->p);
            if (!n)
                return fail(ps, "invalid UTF-8");
            ps->p += n;
        } else
            ps->p++;
    }
    *out = (span){b, (size_t)(ps->p++ - b)};
    return true;
}

static const char *digits(const char *p)
{
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

/* Does the integer [b, e) (digits only, no leading zero) fit int64? */
static bool int64_fits(const char *b, const char *e, bool neg)
{
    size_t n = (size_t)(e - b);
    const char *max = neg ? "9223372036854775808" : "9223372036854775807";
    return n < 19 || (n == 19 && memcmp(b, max, 19) <= 0);
}

/*
 * Is the real with digits [ib, ie) '.' [fb, fe) 'e' exp finite as a
 * double? Decided by the first significant digit's power of ten; only
 * at 10^308 does strtod decide, on a copy written as "DIGITSeEXP" (no
 * decimal point, so the locale does not matter), digits past 760 kept
 * only as a sticky 1, which decides every halfway case the same way.
 */
static bool real_fits(const char *ib, const char *ie, const char *fb,
                      const char *fe, long exp)
{
    char d[800];
    size_t n = 0;
    long pow10 = (long)(ie - ib) - 1 + exp;
    bool sticky = false;
    for (const char *p = ib; p < fe; p++) {
        if (p == ie)
            p = fb;
        if (p >= fe)
            break;
        if (n == 0 && *p == '0') {
            pow10--;
            continue;
        }
        if (n < 760)
            d[n++] = *p;
        else if (*p != '0')
            sticky = true;
    }
    if (n == 0 || pow10 < 308)
        return true;
    if (pow10 > 308)
        return false;
    if (sticky)
        d[n++] = '1';
    snprintf(d + n, sizeof d - n, "e%ld", 308 - (long)(n - 1));
    errno = 0;
    double v = strtod(d, NULL);
    return !(errno == ERANGE && v == HUGE_VAL);
}

/* An exponent's value, saturated far beyond any double's range. */
static long exponent(const char *b, const char *e, bool neg)
{
    long v = 0;
    for (; b < e && v < 1000000; b++)
        v = v * 10 + (*b - '0');
    return neg ? -v : v;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? that jansson can hold. */
static bool number(parser *ps)
{
    bool neg = *ps->p == '-';
    const char *ib = ps->p + neg, *ie = digits(ib);
    if (ie == ib || (*ib == '0' && ie > ib + 1))
        return fail(ps, "invalid number");
    const char *fb = ie, *fe = ie;
    if (*ie == '.') {
        fb = ie + 1, fe = digits(fb);
        if (fe == fb)
            return fail(ps, "invalid number");
    }
    ps->p = fe;
    long exp = 0;
    if (*ps->p == 'e' || *ps->p == 'E') {
        bool eneg = *++ps->p == '-';
        ps->p += *ps->p == '-' || *ps->p == '+';
        const char *eb = ps->p;
        ps->p = digits(eb);
        if (ps->p == eb)
            return fail(ps, "invalid number");
        exp = exponent(eb, ps->p, eneg);
    } else if (fe == ie) {
        return int64_fits(ib, ie, neg) ? true
                                       : fail(ps, "integer out of range");
    }
    return real_fits(ib, ie, fb, fe, exp) ? true
                                          : fail(ps, "number out of range");
}

static bool literal(parser *ps, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(ps->p, w, n) != 0)
        return fail(ps, "invalid value");
    ps->p += n;
    return true;
}

/*
 * The next byte of key k decoded (k already valid), advancing *p;
 * pending UTF-8 bytes of an escape wait in buf[*bi..*bn).
 */
static int key_byte(const char **p, const char *end, unsigned char buf[4],
                    int *bi, int *bn)
{
    if (*bi < *bn)
        return buf[(*bi)++];
    if (*p >= end)
        return -1;
    if (**p != '\\')
        return (unsigned char)*(*p)++;
    char e = (*p)[1];
    *p += 2;
    const char *plain = strchr("\"\\/bfnrt", e);
    if (e != 'u')
        return plain ? (unsigned char)"\"\\/\b\f\n\r\t"[plain - "\"\\/bfnrt"]
                     : e;
    long v = unit(*p - 1);
    *p += 4;
    if (v >= 0xD800 && v <= 0xDBFF) {
        v = 0x10000 + ((v - 0xD800) << 10) + (unit(*p + 1) - 0xDC00);
        *p += 6;
    }
    int n = v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (int i = n - 1; i > 0; i--, v >>= 6)
        buf[i] = (unsigned char)(0x80 | (v & 0x3F));
    buf[0] = (unsigned char)(n == 1 ? v : (lead[n] | v));
    *bi = 1, *bn = n;
    return buf[0];
}

/* Keys compared as jansson compares them: unescaped, bytewise. */
static int key_cmp(const void *x, const void *y)
{
    const span *a = x, *b = y;
    const char *p = a->p, *q = b->p;
    unsigned char ba[4], bb[4];
    int ai = 0, an = 0, bi = 0, bn = 0;
    for (;;) {
        int c = key_byte(&p, a->p + a->n, ba, &ai, &an);
        int d = key_byte(&q, b->p + b->n, bb, &bi, &bn);
        if (c != d || c < 0)
            return c - d;
    }
}

/* Are the keys from mark on (one object's) all different? */
static bool keys_distinct(parser *ps, size_t mark)
{
    span *k = ps->keys + mark;
    size_t n = ps->nkeys - mark;
    if (n > 8)
        qsort(k, n, sizeof *k, key_cmp);
    for (size_t i = 1; i < n; i++)
        for (size_t j = n > 8 ? i - 1 : 0; j < i; j++)
            if (key_cmp(&k[j], &k[i]) == 0)
                return fail(ps, "duplicate key");
    return true;
}

static bool key_push(parser *ps, span k)
{
    if (ps->nkeys == ps->cap) {
        size_t cap = ps->cap * 2;
        span *v = ps->keys == ps->local ? sm_malloc(cap * sizeof *v)
                                        : sm_realloc(ps->keys, cap * sizeof *v);
        if (!v) {
            ps->oom = true;
            return fail(ps, "out of memory");
        }
        if (ps->keys == ps->local)
            memcpy(v, ps->local, sizeof ps->local);
        ps->keys = v, ps->cap = cap;
    }
    ps->keys[ps->nkeys++] = k;
    return true;
}

static bool value(parser *ps);

/* '{' (string ':' value (',' string ':' value)*)? '}' */
static bool object(parser *ps)
{
    size_t mark = ps->nkeys;
    ps->p++;
    ws(ps);
    bool ok = true;
    if (*ps->p == '}')
        goto end;
    for (;;) {
        span k;
        if (*ps->p != '"')
            return fail(ps, "expected a string or '}'");
        if (!string(ps, &k) || !key_push(ps, k))
            return false;
        ws(ps);
        if (*ps->p != ':')
            return fail(ps, "expected ':'");
        ps->p++;
        ws(ps);
        if (!value(ps))
            return false;
        ws(ps);
        if (*ps->p == '}')
            break;
        if (*ps->p != ',')
            return fail(ps, "expected ',' or '}'");
        ps->p++;
        ws(ps);
    }
    ok = keys_distinct(ps, mark);
end:
    ps->p++;
    ps->nkeys = mark;
    return ok;
}

/* '[' (value (',' value)*)? ']' */
static bool array(parser *ps)
{
    ps->p++;
    ws(ps);
    if (*ps->p == ']')
        return ps->p++, true;
    for (;;) {
        if (!value(ps))
            return false;
        ws(ps);
        if (*ps->p == ']')
            return ps->p++, true;
        if (*ps->p != ',')
            return fail(ps, "expected ',' or ']'");
        ps->p++;
        ws(ps);
    }
}

/* Any value at p; arrays and objects count towards the depth, as in
 * MariaDB. */
static bool value(parser *ps)
{
    span ignored;
    char c = *ps->p;
    bool nests = c == '{' || c == '[';
    if (nests && ++ps->depth > SM_JSON_MAX_DEPTH)
        return fail(ps, "nested deeper than 31 levels");
    bool ok = c == '{'                             ? object(ps)
              : c == '['                           ? array(ps)
              : c == '"'                           ? string(ps, &ignored)
              : c == '-' || (c >= '0' && c <= '9') ? number(ps)
              : c == 't'                           ? literal(ps, "true")
              : c == 'f'                           ? literal(ps, "false")
              : c == 'n'                           ? literal(ps, "null")
                         : fail(ps, "expected a value");
    ps->depth -= nests;
    return ok;
}

/* SM_OK when md is NULL or a JSON object; SM_E_NOMEM; else SM_E_METADATA
 * with "metadata: WHAT at byte N" in err. */
sm_status sm_json_check(const char *md, char *err, size_t errlen)
{
    if (!md || sm_json_fast_ok(md))
        return SM_OK;
    parser ps = {.s = md, .p = md, .cap = LOCAL_KEYS};
    ps.keys = ps.local;
    ws(&ps);
    if (*ps.p != '{')
        fail(&ps, "not a JSON object");
    else if (value(&ps)) {
        ws(&ps);
        if (*ps.p)
            fail(&ps, "text after the object");
    }
    if (ps.keys != ps.local)
        sm_free(ps.keys);
    if (ps.oom)
        return SM_E_NOMEM;
    if (!ps.err)
        return SM_OK;
    if (ps.p == md || strcmp(ps.err, "not a JSON object") == 0)
        snprintf(err, errlen, "metadata: %s", ps.err);
    else
        snprintf(err, errlen, "metadata: %s at byte %zu", ps.err,
                 (size_t)(ps.p - md));
    return SM_E_METADATA;
}
