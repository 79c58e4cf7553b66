/*
 * url.c - parsing mysql:// store URLs and wrap-mode option strings.
 *
 * Strictly, and without a server: every malformed URL is refused here
 * with SM_E_ARG and a message naming the offending part. Messages never
 * quote the authority (user, password, host, port): only parameters.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../redact.h"
#include "open.h"

/* One parse: the result and where its message goes. */
typedef struct url_parser {
    sm_mysql_url *u;
    char *err;
    size_t errlen;
    unsigned seen; /* a bit per params[] entry already given */
} url_parser;

/* Set the message ("mysql URL: " + fmt) and return SM_E_ARG. */
static sm_status fail(url_parser *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static sm_status fail(url_parser *p, const char *fmt, ...)
{
    int n = snprintf(p->err, p->errlen, "mysql URL: ");
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < p->errlen)
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return SM_E_ARG;
}

/* Hex digit value of c, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum { DECODED, BAD_ESCAPE, TOO_LONG };

/* Percent-decode src[0..n) into dst (cap bytes, NUL-terminated). */
static int decode(char *dst, size_t cap, const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= n)
                return BAD_ESCAPE;
            int hi = hexval(src[i + 1]), lo = hexval(src[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return BAD_ESCAPE;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (o + 1 >= cap)
            return TOO_LONG;
        dst[o++] = c;
    }
    dst[o] = '\0';
    return DECODED;
}

/* Decode one part named what into dst; its message on failure. */
static sm_status part(url_parser *p, char *dst, size_t cap, const char *src,
                      size_t n, const char *what)
{
    int r = decode(dst, cap, src, n);
    if (r == BAD_ESCAPE)
        return fail(p, "bad %%-escape in the %s", what);
    if (r == TOO_LONG)
        return fail(p, "%s longer than %zu bytes", what, cap - 1);
    return SM_OK;
}

static bool set_gaplock(sm_mysql_url *u, const char *v)
{
    static const struct {
        const char *name;
        sm_gaplock mode;
    } modes[] = {{"none", SM_GAPLOCK_NONE},
                 {"statesman", SM_GAPLOCK_STATESMAN},
                 {"pk", SM_GAPLOCK_PK}};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
        if (strcmp(v, modes[i].name) == 0)
            return u->gaplock = modes[i].mode, true;
    return false;
}

static bool set_lock_parent(sm_mysql_url *u, const char *v)
{
    if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
        return false;
    u->lock_parent = v[0] == '1';
    return true;
}

static bool set_causal(sm_mysql_url *u, const char *v)
{
    if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
        return false;
    u->causal = v[0] == '1';
    return true;
}

static bool set_socket(sm_mysql_url *u, const char *v)
{
    return (size_t)snprintf(u->socket, sizeof u->socket, "%s", v) <
           sizeof u->socket;
}

/* The parameters; a setter returns false for a value it refuses. */
static const struct param {
    const char *name;
    bool (*set)(sm_mysql_url *u, const char *v);
} params[] = {
    {"gaplock", set_gaplock},
    {"lock_parent", set_lock_parent},
    {"causal", set_causal},
    {"socket", set_socket},
};

/* Apply the decoded k=v: known, given once, not empty, a good value. */
static sm_status apply(url_parser *p, const char *k, const char *v)
{
    char q[128];
    for (unsigned i = 0; i < sizeof params / sizeof *params; i++) {
        if (strcmp(k, params[i].name) != 0)
            continue;
        if (p->seen & (1u << i))
            return fail(p, "parameter %s given twice", k);
        p->seen |= 1u << i;
        if (!*v)
            return fail(p, "parameter %s has an empty value", k);
        if (params[i].set(p->u, v))
            return SM_OK;
        sm_quote(q, sizeof q, v, strlen(v));
        return fail(p, "bad value '%s' for %s", q, k);
    }
    sm_quote(q, sizeof q, k, strlen(k));
    return fail(p, "unknown parameter '%s'", q);
}

/* Parse and apply one "k=v" of length n. */
static sm_status pair(url_parser *p, const char *s, size_t n)
{
    char k[64], v[512], q[128];
    if (n == 0)
        return fail(p, "empty parameter (a stray '&' or '?')");
    const char *eq = memchr(s, '=', n);
    if (!eq) {
        sm_quote(q, sizeof q, s, n);
        return fail(p, "parameter '%s' has no value", q);
    }
    size_t kn = (size_t)(eq - s);
    sm_status st = part(p, k, sizeof k, s, kn, "parameter name");
    if (st == SM_OK)
        st = part(p, v, sizeof v, eq + 1, n - kn - 1, "parameter value");
    return st == SM_OK ? apply(p, k, v) : st;
}

/* Apply every '&'-separated parameter of opts (not empty). */
static sm_status options(url_parser *p, const char *opts)
{
    for (;;) {
        size_t n = strcspn(opts, "&");
        sm_status st = pair(p, opts, n);
        if (st != SM_OK || !opts[n])
            return st;
        opts += n + 1;
    }
}

/* Refuse a space or control byte anywhere: they must be %-encoded. */
static sm_status printable(url_parser *p, const char *s)
{
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            return fail(p,
                        "a space or control byte at offset %zu "
                        "(percent-encode it)",
                        (size_t)(c - s));
    return SM_OK;
}

sm_status sm_mysql_options_parse(sm_mysql_url *u, const char *opts, char *err,
                                 size_t errlen)
{
    url_parser p = {u, err, errlen, 0};
    if (!opts || !*opts)
        return SM_OK;
    sm_status st = printable(&p, opts);
    return st == SM_OK ? options(&p, opts) : st;
}

/* Parse a port: 1 to 65535, digits only. */
static sm_status port_of(url_parser *p, const char *s, size_t n, unsigned *port)
{
    unsigned long v = 0;
    size_t i = 0;
    while (i < n && i < 6 && s[i] >= '0' && s[i] <= '9')
        v = v * 10 + (unsigned long)(s[i++] - '0');
    if (n > 0 && i == n && v >= 1 && v <= 65535)
        return *port = (unsigned)v, SM_OK;
    if (memchr(s, ':', n))
        return fail(p, "bad port (an IPv6 address goes in brackets: "
                       "[::1]:3306)");
    return fail(p, "bad port (not a number from 1 to 65535)");
}

/* Characters of an IPv6 literal, its zone (%25eth0) included. */
static const char v6chars[] = "0123456789:.%_-abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/*
 * Parse "host[:port]" or "[ipv6][:port]" of length n into host (cap
 * bytes) and *port. One host: hosts() calls it per host of a list.
 */
static sm_status host_port(url_parser *p, const char *s, size_t n, char *host,
                           size_t cap, unsigned *port)
{
    const char *h = s, *end = s + n, *rest;
    size_t hn;
    if (n && *s == '[') {
        const char *close = memchr(s, ']', n);
        if (!close)
            return fail(p, "IPv6 address without its closing ']'");
        h = s + 1, hn = (size_t)(close - h), rest = close + 1;
        if (hn == 0 || !memchr(h, ':', hn) || strspn(h, v6chars) < hn)
            return fail(p, "bad IPv6 address in brackets");
        if (rest < end && *rest != ':')
            return fail(p, "after an IPv6 address's ']' only ':port' "
                           "may follow");
    } else {
        const char *colon = memchr(s, ':', n);
        rest = colon ? colon : end;
        hn = (size_t)(rest - s);
    }
    sm_status st = part(p, host, cap, h, hn, "host");
    if (st != SM_OK || rest == end)
        return st;
    return port_of(p, rest + 1, (size_t)(end - rest - 1), port);
}

/* Parse "user[:pass]" of length n. */
static sm_status userinfo(url_parser *p, const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    size_t un = colon ? (size_t)(colon - s) : n;
    sm_mysql_url *u = p->u;
    sm_status st = part(p, u->user, sizeof u->user, s, un, "user name");
    if (st == SM_OK && colon)
        st =
            part(p, u->pass, sizeof u->pass, colon + 1, n - un - 1, "password");
    return st;
}

/* Parse "host[:port][,host[:port]...]" of length n into u->hosts; u->host
 * and u->port keep the first, the one connected to first. */
static sm_status hosts(url_parser *p, const char *s, size_t n)
{
    sm_mysql_url *u = p->u;
    const char *end = s + n;
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        size_t hn = comma ? (size_t)(comma - s) : (size_t)(end - s);
        if (u->nhosts == SM_MYSQL_HOSTS_MAX)
            return fail(p, "more than %d hosts", SM_MYSQL_HOSTS_MAX);
        if (hn == 0 && (comma || u->nhosts > 0))
            return fail(p, "empty host in the host list");
        sm_mysql_host *h = &u->hosts[u->nhosts++];
        sm_status st = host_port(p, s, hn, h->name, sizeof h->name, &h->port);
        if (st != SM_OK)
            return st;
        if (!comma)
            break;
        s = comma + 1;
    }
    memcpy(u->host, u->hosts[0].name, sizeof u->host);
    u->port = u->hosts[0].port;
    return SM_OK;
}

/* Parse the authority "[user[:pass]@]hosts" of length n; the user info
 * ends at the last '@', so a password may hold '@' unencoded. */
static sm_status authority(url_parser *p, const char *s, size_t n)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    sm_status st = at ? userinfo(p, s, (size_t)(at - s)) : SM_OK;
    if (at)
        n -= (size_t)(at + 1 - s), s = at + 1;
    return st == SM_OK ? hosts(p, s, n) : st;
}

/* Parse "/database" up to the query; '/' inside it is refused. */
static sm_status database(url_parser *p, const char *s, size_t *used)
{
    size_t dn = *s == '/' ? strcspn(s + 1, "?") : 0;
    if (dn == 0)
        return fail(p, "missing database name");
    if (memchr(s + 1, '/', dn))
        return fail(p, "'/' in the database name");
    *used = 1 + dn;
    return part(p, p->u->db, sizeof p->u->db, s + 1, dn, "database name");
}

/* Parse a whole mysql:// URL into *u (defaults first). */
sm_status sm_mysql_url_parse(sm_mysql_url *u, const char *url, char *err,
                             size_t errlen)
{
    url_parser p = {u, err, errlen, 0};
    memset(u, 0, sizeof *u);
    u->gaplock = SM_GAPLOCK_PK;
    if (!url || strncmp(url, "mysql://", 8) != 0)
        return fail(&p, "must start with mysql://");
    sm_status st = printable(&p, url);
    const char *s = url + 8;
    size_t an = strcspn(s, "/?"), dn = 0;
    /* Else a '/' or '?' in a password would put the rest of it in the
     * database or a parameter, where a message might quote it. */
    if (st == SM_OK && strchr(s + an, '@'))
        return fail(&p, "'@' after the host: in a user name or password "
                        "write '/' as %%2F and '?' as %%3F, elsewhere "
                        "'@' as %%40");
    if (st == SM_OK)
        st = authority(&p, s, an);
    if (st == SM_OK)
        st = database(&p, s + an, &dn);
    s += an + dn;
    if (st == SM_OK && *s == '?')
        st = options(&p, s + 1);
    return st;
}
