/*
 * url.c - parsing mysql:// store URLs and wrap-mode option strings.
 *
 * No server needed: every malformed URL is refused here with SM_E_ARG
 * and a message that names the offending part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "open.h"

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

/* Percent-decode src[0..n) into dst (cap bytes); false if bad or long. */
static bool decode(char *dst, size_t cap, const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= n)
                return false;
            int hi = hexval(src[i + 1]), lo = hexval(src[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (o + 1 >= cap)
            return false;
        dst[o++] = c;
    }
    dst[o] = '\0';
    return true;
}

/* Decode one URL part named what; SM_E_ARG naming it on failure. */
static sm_status part(char *dst, size_t cap, const char *src, size_t n,
                      const char *what, char *err, size_t errlen)
{
    if (decode(dst, cap, src, n))
        return SM_OK;
    snprintf(err, errlen, "mysql URL: bad or too long %s", what);
    return SM_E_ARG;
}

/* Apply one key=value option to u. */
static sm_status option(sm_mysql_url *u, const char *k, const char *v,
                        char *err, size_t errlen)
{
    if (strcmp(k, "gaplock") == 0) {
        if (strcmp(v, "none") == 0)
            u->gaplock = SM_GAPLOCK_NONE;
        else if (strcmp(v, "statesman") == 0)
            u->gaplock = SM_GAPLOCK_STATESMAN;
        else if (strcmp(v, "pk") == 0)
            u->gaplock = SM_GAPLOCK_PK;
        else
            goto bad;
        return SM_OK;
    }
    if (strcmp(k, "lock_parent") == 0) {
        if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
            goto bad;
        u->lock_parent = v[0] == '1';
        return SM_OK;
    }
    if (strcmp(k, "causal") == 0) {
        if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
            goto bad;
        u->causal = v[0] == '1';
        return SM_OK;
    }
    if (strcmp(k, "socket") == 0) {
        snprintf(u->socket, sizeof u->socket, "%s", v);
        return SM_OK;
    }
    snprintf(err, errlen, "mysql URL: unknown parameter '%.100s'", k);
    return SM_E_ARG;
bad:
    snprintf(err, errlen, "mysql URL: bad value '%.100s' for %s", v, k);
    return SM_E_ARG;
}

/* Parse one "k=v" of length n. */
static sm_status pair(sm_mysql_url *u, const char *s, size_t n, char *err,
                      size_t errlen)
{
    char k[64], v[512];
    const char *eq = memchr(s, '=', n);
    if (!eq) {
        snprintf(err, errlen, "mysql URL: parameter '%.*s' has no value",
                 (int)(n > 100 ? 100 : n), s);
        return SM_E_ARG;
    }
    sm_status st =
        part(k, sizeof k, s, (size_t)(eq - s), "parameter name", err, errlen);
    if (st == SM_OK)
        st = part(v, sizeof v, eq + 1, n - (size_t)(eq - s) - 1,
                  "parameter value", err, errlen);
    return st == SM_OK ? option(u, k, v, err, errlen) : st;
}

/* Apply an '&'-separated option list; NULL or "" is no options. */
sm_status sm_mysql_options_parse(sm_mysql_url *u, const char *opts, char *err,
                                 size_t errlen)
{
    while (opts && *opts) {
        size_t n = strcspn(opts, "&");
        sm_status st = pair(u, opts, n, err, errlen);
        if (st != SM_OK)
            return st;
        opts += n + (opts[n] == '&');
    }
    return SM_OK;
}

/* Parse "host[:port]" of length n. */
static sm_status hostport(sm_mysql_url *u, const char *s, size_t n, char *err,
                          size_t errlen)
{
    const char *colon = memchr(s, ':', n);
    size_t hn = colon ? (size_t)(colon - s) : n;
    sm_status st = part(u->host, sizeof u->host, s, hn, "host", err, errlen);
    if (st != SM_OK || !colon)
        return st;
    char num[16];
    size_t pn = n - hn - 1;
    if (pn == 0 || pn >= sizeof num || strspn(colon + 1, "0123456789") < pn)
        goto bad;
    memcpy(num, colon + 1, pn);
    num[pn] = '\0';
    long p = strtol(num, NULL, 10);
    if (p < 1 || p > 65535)
        goto bad;
    u->port = (unsigned)p;
    return SM_OK;
bad:
    snprintf(err, errlen, "mysql URL: bad port '%.*s'",
             (int)(pn > 20 ? 20 : pn), colon + 1);
    return SM_E_ARG;
}

/* Parse "user[:pass]" of length n. */
static sm_status userinfo(sm_mysql_url *u, const char *s, size_t n, char *err,
                          size_t errlen)
{
    const char *colon = memchr(s, ':', n);
    size_t un = colon ? (size_t)(colon - s) : n;
    sm_status st = part(u->user, sizeof u->user, s, un, "user", err, errlen);
    if (st == SM_OK && colon)
        st = part(u->pass, sizeof u->pass, colon + 1, n - un - 1, "password",
                  err, errlen);
    return st;
}

/* Parse "host[:port][,host[:port]...]" of length n into u->hosts; u->host
 * and u->port keep the first, the one connected to first. */
static sm_status hostlist(sm_mysql_url *u, const char *s, size_t n, char *err,
                          size_t errlen)
{
    const char *end = s + n;
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        size_t hn = comma ? (size_t)(comma - s) : (size_t)(end - s);
        if (u->nhosts == SM_MYSQL_HOSTS_MAX) {
            snprintf(err, errlen, "mysql URL: more than %d hosts",
                     SM_MYSQL_HOSTS_MAX);
            return SM_E_ARG;
        }
        if (hn == 0 && (comma || u->nhosts > 0)) {
            snprintf(err, errlen, "mysql URL: empty host in the host list");
            return SM_E_ARG;
        }
        u->port = 0;
        sm_status st = hostport(u, s, hn, err, errlen);
        if (st != SM_OK)
            return st;
        sm_mysql_host *h = &u->hosts[u->nhosts++];
        memcpy(h->name, u->host, sizeof h->name);
        h->port = u->port;
        if (!comma)
            break;
        s = comma + 1;
    }
    memcpy(u->host, u->hosts[0].name, sizeof u->host);
    u->port = u->hosts[0].port;
    return SM_OK;
}

/* Parse the authority "[user[:pass]@]hosts" of length n. */
static sm_status authority(sm_mysql_url *u, const char *s, size_t n, char *err,
                           size_t errlen)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    if (!at)
        return hostlist(u, s, n, err, errlen);
    sm_status st = userinfo(u, s, (size_t)(at - s), err, errlen);
    return st == SM_OK
               ? hostlist(u, at + 1, n - (size_t)(at - s) - 1, err, errlen)
               : st;
}

/* Parse a whole mysql:// URL into *u (defaults first). */
sm_status sm_mysql_url_parse(sm_mysql_url *u, const char *url, char *err,
                             size_t errlen)
{
    memset(u, 0, sizeof *u);
    u->gaplock = SM_GAPLOCK_PK;
    if (!url || strncmp(url, "mysql://", 8) != 0) {
        snprintf(err, errlen, "mysql URL: must start with mysql://");
        return SM_E_ARG;
    }
    const char *s = url + 8;
    size_t an = strcspn(s, "/?");
    sm_status st = authority(u, s, an, err, errlen);
    if (st != SM_OK)
        return st;
    s += an;
    size_t dn = *s == '/' ? strcspn(s + 1, "?") : 0;
    if (dn == 0) {
        snprintf(err, errlen, "mysql URL: missing database name");
        return SM_E_ARG;
    }
    st = part(u->db, sizeof u->db, s + 1, dn, "database", err, errlen);
    s += 1 + dn;
    if (st == SM_OK && *s == '?')
        st = sm_mysql_options_parse(u, s + 1, err, errlen);
    return st;
}
