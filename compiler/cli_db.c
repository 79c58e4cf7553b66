/*
 * cli_db.c - the shared part of smcc's commands that read a live table
 * (cli_db.h). The .sm is compiled in-process and its machine becomes an
 * sm_def (def_build.c) that libsm's own MySQL store reads with: no
 * second SQL layer, no C compiler in between.
 *
 * The URL carries a password, so no message prints the URL, and every
 * message printed has the password hidden, whatever its source (libsm,
 * the server). libsm's parser refuses an '@' after the host part (a
 * password with a raw '/' or '?') without quoting it.
 */
#include "cli_db.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "def_build.h"

int smc_db_option(smc_db_cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--json")) {
        c->json = true;
        return 1;
    }
    const char **v = !strcmp(a, "--url")       ? &c->url
                     : !strcmp(a, "--machine") ? &c->machine
                                               : NULL;
    if (!v)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "smcc %s: error: %s wants a value\n", c->cmd, a);
        return -1;
    }
    *v = argv[++*i];
    return 1;
}

int smc_db_positional(smc_db_cli *c, char **argv, int *i)
{
    const char *a = argv[*i];
    if (a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9'))
        return 0;
    if (c->npos < 3)
        c->pos[c->npos] = a;
    c->npos++;
    return 1;
}

int smc_db_usage(const smc_db_cli *c, const char *why, void (*usage)(FILE *f))
{
    if (!why)
        return -1;
    fprintf(stderr, "smcc %s: error: %s\n", c->cmd, why);
    usage(stderr);
    return 2;
}

/* Percent-decode src[0..n) into dst (cap bytes, always terminated). */
static void decode(char *dst, size_t cap, const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned v;
        if (src[i] == '%' && i + 2 < n && sscanf(src + i + 1, "%2x", &v) == 1)
            dst[o++] = (char)v, i += 2;
        else
            dst[o++] = src[i];
    }
    dst[o] = '\0';
}

/* The password of url as written (raw) and decoded; "" when none. The
 * user information ends at the last '@' before the host part ends. */
static void password(const char *url, char *raw, char *dec, size_t cap)
{
    *raw = *dec = '\0';
    if (!url || strncmp(url, "mysql://", 8) != 0)
        return;
    const char *s = url + 8, *end = s + strcspn(s, "/?");
    const char *at = NULL;
    for (const char *p = s; p < end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(s, ':', (size_t)(at - s)) : NULL;
    if (!colon)
        return;
    size_t n = (size_t)(at - colon - 1);
    snprintf(raw, cap, "%.*s", (int)n, colon + 1);
    decode(dec, cap, colon + 1, n);
}

/* Append msg to out with each of the secrets (longest first) as ***. */
static void redact(smc_buf *out, const char *msg, const char *a, const char *b)
{
    if (strlen(b) > strlen(a)) {
        const char *t = a;
        a = b, b = t;
    }
    size_t na = strlen(a), nb = strlen(b);
    while (*msg) {
        if (na && !strncmp(msg, a, na))
            smc_buf_puts(out, "***"), msg += na;
        else if (nb && !strncmp(msg, b, nb))
            smc_buf_puts(out, "***"), msg += nb;
        else
            smc_buf_putn(out, msg++, 1);
    }
}

void smc_db_redact(smc_buf *out, const char *msg, const char *url)
{
    char raw[512], dec[512];
    password(url, raw, dec, sizeof raw);
    redact(out, msg, raw, dec);
}

int smc_db_fail(const smc_db_cli *c, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    smc_buf out;
    smc_buf_init(&out);
    smc_db_redact(&out, msg, c->url);
    fprintf(stderr, "smcc %s: error: %s\n", c->cmd,
            smc_buf_ok(&out) && out.data ? out.data : "out of memory");
    smc_buf_free(&out);
    return 2;
}

/* The machine c asks for: --machine, or the file's only one. */
static int choose(smc_db_cli *c, const smc_unit *u)
{
    smc_buf names;
    smc_buf_init(&names);
    for (size_t i = 0; i < u->nmachines; i++) {
        smc_buf_printf(&names, "%s%s", i ? ", " : "", u->machines[i].name);
        if (c->machine && !strcmp(c->machine, u->machines[i].name))
            c->m = &u->machines[i];
    }
    if (!c->m && !c->machine && u->nmachines == 1)
        c->m = &u->machines[0];
    int st = 0;
    if (!c->m && c->machine)
        st = smc_db_fail(c, "'%s' has no machine '%s' (it has %s)", c->pos[0],
                         c->machine, names.data);
    else if (!c->m)
        st = smc_db_fail(c,
                         "'%s' has %zu machines (%s): choose one with "
                         "--machine",
                         c->pos[0], u->nmachines, names.data);
    smc_buf_free(&names);
    return st;
}

/* Refuse what is not a database URL: "memory:" would open an empty
 * store and answer as if the table were empty. */
static int check_url(const smc_db_cli *c)
{
    if (!c->url)
        return smc_db_fail(c, "no database: give --url mysql://... or set "
                              "SMCC_URL");
    if (strncmp(c->url, "mysql://", 8) != 0)
        return smc_db_fail(c, "--url wants a mysql:// URL");
    return 0;
}

int smc_db_open(smc_db_cli *c)
{
    smc_unit *u = NULL;
    if (!c->url)
        c->url = getenv("SMCC_URL");
    c->arena = smc_arena_new();
    if (!c->arena)
        return smc_db_fail(c, "out of memory");
    if (!smc_cli_compile(c->arena, c->cmd, c->pos[0], &u))
        return 2;
    int st = choose(c, u);
    if (!st && smc_def_build(c->arena, c->m, &c->def) != 0)
        st = smc_db_fail(c, "out of memory");
    if (!st)
        st = check_url(c);
    if (!st && sm_store_open(&c->store, c->url) != SM_OK)
        st = smc_db_fail(
            c, "%s", c->store ? sm_store_errmsg(c->store) : "out of memory");
    return st;
}

void smc_db_close(smc_db_cli *c)
{
    sm_store_close(c->store);
    smc_arena_free(c->arena);
    c->store = NULL, c->arena = NULL;
}

bool smc_db_parent(const smc_db_cli *c, const char *s, int64_t *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s && !*end && errno == 0) {
        *id = v;
        return true;
    }
    smc_db_fail(c, "PARENT wants an id (an integer), not '%s'", s);
    return false;
}

const char *smc_db_time(char *buf, int64_t us)
{
    time_t sec = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf + n, 32 - n, ".%06d", (int)(us % 1000000));
    return buf;
}
