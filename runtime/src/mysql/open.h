/*
 * open.h - the MySQL store's entry points inside libsm.
 *
 * store.c opens "mysql://" URLs through sm_mysql_open_url(); url.c
 * parses those URLs and the option strings of sm_mysql_wrap().
 */
#ifndef SM_MYSQL_OPEN_H
#define SM_MYSQL_OPEN_H

#include <stdbool.h>
#include <stddef.h>

#include "sm/sys/store.h"

typedef enum sm_gaplock {
    SM_GAPLOCK_NONE,      /* Statesman's original: UPDATE, then INSERT */
    SM_GAPLOCK_STATESMAN, /* INSERT, then one UPDATE over the parent */
    SM_GAPLOCK_PK         /* INSERT, then UPDATE by primary key only */
} sm_gaplock;

enum { SM_MYSQL_HOSTS_MAX = 8 };

/* One "host[:port]" of the URL's host list. */
typedef struct sm_mysql_host {
    char name[256];
    unsigned port; /* 0: the default */
} sm_mysql_host;

/* A parsed mysql:// URL; every string NUL-terminated, "" when absent. */
typedef struct sm_mysql_url {
    char user[128];
    char pass[128];
    char host[256]; /* the first host, as hosts[0].name */
    unsigned port;  /* its port (0: the default) */
    sm_mysql_host hosts[SM_MYSQL_HOSTS_MAX]; /* all, in URL order */
    size_t nhosts;                           /* >= 1 after a parse */
    char db[128];
    char socket[512];
    sm_gaplock gaplock; /* default SM_GAPLOCK_PK */
    bool lock_parent;   /* default false */
    bool causal;        /* wsrep_sync_wait = 1; default false */
} sm_mysql_url;

/*
 * Parse url ("mysql://user[:pass]@host[:port][,host[:port]...]/db?k=v&...")
 * into *u.
 * SM_E_ARG with a message in err naming the problem on any error.
 */
sm_status sm_mysql_url_parse(sm_mysql_url *u, const char *url, char *err,
                             size_t errlen);

/* Apply "gaplock=..&lock_parent=..&causal=..&socket=.." (NULL: none). */
sm_status sm_mysql_options_parse(sm_mysql_url *u, const char *opts, char *err,
                                 size_t errlen);

/*
 * A plain connection to url's server and database (utf8mb4, autocommit
 * on, no auto-reconnect), for tests and benchmarks that need raw SQL
 * beside a store. NULL with the reason in err.
 */
struct st_mysql *sm_mysql_connect_url(const char *url, char *err,
                                      size_t errlen);

/* Connect to url and return a MySQL store; message in err on failure. */
sm_status sm_mysql_open_url(sm_store **out, const char *url, char *err,
                            size_t errlen);

#endif
