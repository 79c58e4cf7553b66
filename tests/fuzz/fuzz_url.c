/*
 * fuzz_url.c - libFuzzer target over every entry that parses a store
 * URL or an option string, asserting that secrets stay out of messages.
 * The input "A\0B" is the URL A + secret + B (no NUL: the input alone).
 * When the secret sits in the user info (after a ':' there, before a
 * later '@'), the outcomes and messages for two different secrets of one
 * shape must be identical, so no message shows or depends on it (the
 * input may hold the secret's text elsewhere: that may show). Every
 * message is printable ASCII.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "open.h"
#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Same length, letters and digits only, no hex digit first (a '%' just
 * before either decodes the same way: not at all). */
static const char *const secrets[2] = {"Zq7ySecretWv4k", "Kp3xHiddenQm8j"};

/* Abort, naming the property, when cond is false. */
static void require(int cond, const char *what, const char *url,
                    const char *msg)
{
    if (cond)
        return;
    fprintf(stderr, "fuzz_url: %s\n  url: %s\n  msg: %s\n", what, url, msg);
    abort();
}

/* The outcome of every entry for one URL. */
typedef struct seen {
    sm_status parse, open;
    char parse_msg[512], open_msg[512], opts_msg[512];
} seen;

/* Run url through the parser, sm_store_open (when that cannot connect:
 * the URL does not parse) and the option parser. */
static void run(const char *url, seen *o)
{
    sm_mysql_url u;
    memset(o, 0, sizeof *o);
    o->parse = sm_mysql_url_parse(&u, url, o->parse_msg, sizeof o->parse_msg);
    o->open = SM_OK;
    if (o->parse != SM_OK || strncmp(url, "mysql://", 8) != 0) {
        sm_store *s = NULL;
        o->open = sm_store_open(&s, url);
        snprintf(o->open_msg, sizeof o->open_msg, "%s", sm_store_errmsg(s));
        sm_store_close(s);
    }
    if (sm_mysql_options_parse(&u, url, o->opts_msg, sizeof o->opts_msg) ==
        SM_OK)
        o->opts_msg[0] = '\0';
    require(fuzz_printable(o->parse_msg) && fuzz_printable(o->open_msg) &&
                fuzz_printable(o->opts_msg),
            "a message is not printable ASCII", url,
            o->parse_msg[0] ? o->parse_msg : o->open_msg);
}

/* Is the secret at url + at inside the user info, after a ':'? */
static int in_userinfo(const char *url, size_t at, size_t len)
{
    const char *info = sm_url_userinfo(url), *s = url + at;
    const char *last = strrchr(info, '@');
    return info <= s && memchr(info, ':', (size_t)(s - info)) && last &&
           last >= s + len;
}

/* a + secret + b into a fresh string. */
static char *join(const char *a, const char *secret, const char *b)
{
    size_t na = strlen(a), ns = strlen(secret), nb = strlen(b);
    char *u = malloc(na + ns + nb + 1);
    if (u) {
        memcpy(u, a, na);
        memcpy(u + na, secret, ns);
        memcpy(u + na + ns, b, nb + 1);
    }
    return u;
}

/* A + secret + B for both secrets: the same outcome and messages. */
static void planted(const char *a, const char *b)
{
    char *u[2] = {join(a, secrets[0], b), join(a, secrets[1], b)};
    static seen o[2];
    if (u[0] && u[1] && in_userinfo(u[0], strlen(a), strlen(secrets[0]))) {
        for (int i = 0; i < 2; i++)
            run(u[i], &o[i]);
        require(o[0].parse == o[1].parse && o[0].open == o[1].open,
                "the outcome depends on the password", u[0], o[0].parse_msg);
        require(!strcmp(o[0].parse_msg, o[1].parse_msg) &&
                    !strcmp(o[0].open_msg, o[1].open_msg),
                "a message depends on the password", u[0],
                o[0].parse_msg[0] ? o[0].parse_msg : o[0].open_msg);
    } else if (u[0]) {
        run(u[0], &o[0]);
    }
    free(u[0]);
    free(u[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a = malloc(size + 1);
    if (!a)
        return 0;
    memcpy(a, data, size);
    a[size] = '\0';
    size_t na = strlen(a);
    static seen o;
    if (na < size)
        planted(a, a + na + 1);
    else
        run(a, &o);
    free(a);
    return 0;
}
