/*
 * conn.c - opening, reconnecting and closing MySQL store connections.
 *
 * Own connections run with autocommit off (a transition is then INSERT,
 * UPDATE, COMMIT: three round trips) and reconnect once when the
 * connection was lost outside a transaction. Wrapped ones are borrowed.
 */
#include <stdio.h>
#include <string.h>

#include "priv.h"
#include "sm/mysql.h"

/* Connect c to u: utf8mb4, no auto-reconnect. False: see mysql_error. */
static bool connect_to(MYSQL *c, const sm_mysql_url *u)
{
    my_bool off = 0;
    mysql_options(c, MYSQL_OPT_RECONNECT, &off);
    mysql_options(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    return mysql_real_connect(c, *u->host ? u->host : NULL,
                              *u->user ? u->user : NULL, u->pass, u->db,
                              u->port, *u->socket ? u->socket : NULL, 0);
}

MYSQL *sm_mysql_connect_url(const char *url, char *err, size_t errlen)
{
    sm_mysql_url u;
    if (sm_mysql_url_parse(&u, url, err, errlen) != SM_OK)
        return NULL;
    MYSQL *c = mysql_init(NULL);
    if (c && connect_to(c, &u))
        return c;
    snprintf(err, errlen, "mysql: connect: %s",
             c ? mysql_error(c) : "out of memory");
    mysql_close(c);
    return NULL;
}

/* Open s->conn from s->url: utf8mb4, no auto-reconnect, autocommit off. */
static sm_status connect_url(my_store *s)
{
    s->conn = mysql_init(NULL);
    if (!s->conn)
        return sm_store_fail(&s->base, SM_E_NOMEM, "mysql_init failed");
    if (!connect_to(s->conn, &s->url))
        return my_fail_conn(s, "connect");
    if (mysql_autocommit(s->conn, 0) != 0)
        return my_fail_conn(s, "autocommit");
    s->lost = false;
    return SM_OK;
}

/* Drop the dead connection and its statements; connect again. */
sm_status my_ensure(my_store *s)
{
    if (!s->lost)
        return SM_OK;
    if (!s->owned)
        return sm_store_fail(&s->base, SM_E_STORE,
                             "mysql: the wrapped connection was lost");
    my_stmts_free(s);
    mysql_close(s->conn);
    s->conn = NULL;
    s->max_packet = 0; /* another server, perhaps: read it again */
    return connect_url(s);
}

my_store *my_store_new(void)
{
    my_store *s = sm_malloc(sizeof *s);
    if (s)
        memset(s, 0, sizeof *s);
    return s;
}

/* Close statements, the connection if owned, and s. */
void my_close(void *impl)
{
    my_store *s = impl;
    my_stmts_free(s);
    if (s->owned && s->conn)
        mysql_close(s->conn);
    sm_free(s);
}

sm_status sm_mysql_open_url(sm_store **out, const char *url, char *err,
                            size_t errlen)
{
    *out = NULL;
    my_store *s = my_store_new();
    if (!s)
        return SM_E_NOMEM;
    sm_status st = sm_mysql_url_parse(&s->url, url, err, errlen);
    s->owned = true;
    if (st == SM_OK)
        st = connect_url(s);
    if (st == SM_OK)
        st = sm_store_open_ops(out, &sm_mysql_ops, s);
    if (st != SM_OK) {
        if (*s->base.errmsg)
            snprintf(err, errlen, "%s", s->base.errmsg);
        sm_store_close(*out), *out = NULL;
        my_close(s);
    }
    return st;
}

sm_status sm_mysql_wrap(sm_store **out, struct st_mysql *conn,
                        const char *options)
{
    char err[256];
    if (!out)
        return SM_E_ARG;
    *out = NULL;
    if (!conn)
        return sm_store_open_failed(out, SM_E_ARG,
                                    "sm_mysql_wrap: conn is NULL");
    my_store *s = my_store_new();
    if (!s)
        return SM_E_NOMEM;
    s->url.gaplock = SM_GAPLOCK_PK;
    s->conn = conn;
    sm_status st = sm_mysql_options_parse(&s->url, options, err, sizeof err);
    if (st != SM_OK) {
        my_close(s);
        return sm_store_open_failed(out, st, err);
    }
    st = sm_store_open_ops(out, &sm_mysql_ops, s);
    if (st != SM_OK)
        my_close(s);
    return st;
}
