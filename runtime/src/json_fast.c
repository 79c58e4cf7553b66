/*
 * json_fast.c - a no-allocation check for the common, simple metadata.
 *
 * Accepts only a flat JSON object of ASCII keys and scalar values with
 * no escapes, short integers or plain decimals, and distinct keys; says
 * "don't know" for anything else, which json.c's parser then decides.
 * Whatever it accepts jansson accepts too (tests/runtime/test_json.c
 * checks).
 */
#include <string.h>

#include "json.h"

typedef struct cur {
    const char *p;
} cur;

static void ws(cur *c)
{
    while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
        c->p++;
}

/* A string without escapes or bytes >= 0x80; its span in *s, *n. */
static bool str(cur *c, const char **s, size_t *n)
{
    if (*c->p != '"')
        return false;
    const char *b = ++c->p;
    while (*c->p != '"') {
        unsigned char ch = (unsigned char)*c->p;
        if (ch < 0x20 || ch >= 0x80 || ch == '\\')
            return false;
        c->p++;
    }
    *s = b, *n = (size_t)(c->p++ - b);
    return true;
}

/* -?(0|[1-9][0-9]{0,14})(\.[0-9]+)? : never overflows jansson. */
static bool num(cur *c)
{
    if (*c->p == '-')
        c->p++;
    const char *b = c->p;
    if (*c->p == '0')
        c->p++;
    else
        while (*c->p >= '0' && *c->p <= '9')
            c->p++;
    if (c->p == b || c->p - b > 15)
        return false;
    if (*c->p != '.')
        return true;
    b = ++c->p;
    while (*c->p >= '0' && *c->p <= '9')
        c->p++;
    return c->p - b > 0 && c->p - b < 16;
}

static bool word(cur *c, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(c->p, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

static bool scalar(cur *c)
{
    const char *s;
    size_t n;
    if (*c->p == '"')
        return str(c, &s, &n);
    return word(c, "true") || word(c, "false") || word(c, "null") || num(c);
}

enum { MAXKEYS = 8 };

/* Is key (s, n) unique among the k keys seen? */
static bool fresh_key(const char *ks[], const size_t kn[], int k, const char *s,
                      size_t n)
{
    for (int i = 0; i < k; i++)
        if (kn[i] == n && memcmp(ks[i], s, n) == 0)
            return false;
    return true;
}

/* True only when md is certainly a JSON object sm_json_check accepts. */
bool sm_json_fast_ok(const char *md)
{
    cur c = {md};
    const char *ks[MAXKEYS];
    size_t kn[MAXKEYS];
    int k = 0;
    ws(&c);
    if (*c.p++ != '{')
        return false;
    ws(&c);
    if (*c.p == '}')
        goto end;
    for (;;) {
        if (k == MAXKEYS || !str(&c, &ks[k], &kn[k]) ||
            !fresh_key(ks, kn, k, ks[k], kn[k]))
            return false;
        k++;
        ws(&c);
        if (*c.p++ != ':')
            return false;
        ws(&c);
        if (!scalar(&c))
            return false;
        ws(&c);
        if (*c.p == '}')
            break;
        if (*c.p++ != ',')
            return false;
        ws(&c);
    }
end:
    c.p++;
    ws(&c);
    return *c.p == '\0';
}
