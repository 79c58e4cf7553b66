/*
 * conn.c - opening, reconnecting and closing MySQL store connections.
 *
 * Own connections run with autocommit off (a transition is then INSERT,
 * UPDATE, COMMIT: three round trips) at READ COMMITTED, and reconnect
 * when the connection was lost outside a transaction: to the next host
 * of the URL's list, so a client of a dead cluster node fails over.
 * Wrapped connections are borrowed.
 */
#include <stdio.h>
#include <string.h>

#include "priv.h"
#include "sm/mysql.h"

/* Connect c to host h of u: utf8mb4, no auto-reconnect. */
static bool connect_to(MYSQL *c, const sm_mysql_url *u, const sm_mysql_host *h)
{
    my_bool off = 0;
    mysql_options(c, MYSQL_OPT_RECONNECT, &off);
    mysql_options(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    return mysql_real_connect(c, *h->name ? h->name : NULL,
                              *u->user ? u->user : NULL, u->pass, u->db,
                              h->port, *u->socket ? u->socket : NULL, 0);
}

/*
 * The session of a store's own connection, set by the client library
 * as it connects. READ COMMITTED: under REPEATABLE READ a transition
 * holds gap locks that the appliers of a Galera node must wait for, and
 * the node then aborts it (README: "Galera"); and a read holds no
 * snapshot, so the transaction a read opens can stay open until the
 * next write commits it (store.c) while every later read, the one after
 * lock_parent's lock included, still sees the latest commits. The
 * unique keys, not the isolation level, are the arbiter. causal=1:
 * reads wait until the node has applied what the cluster committed
 * before them.
 */
static void session_options(MYSQL *c, const sm_mysql_url *u)
{
    mysql_options(c, MYSQL_INIT_COMMAND,
                  "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    if (u->causal)
        mysql_options(c, MYSQL_INIT_COMMAND, "SET SESSION wsrep_sync_wait = 1");
}

/*
 * A connection to the first of u's hosts that answers, trying them from
 * index *at on and wrapping around; *at becomes its index. NULL with the
 * last refusal in err.
 */
static MYSQL *connect_hosts(const sm_mysql_url *u, bool store, size_t *at,
                            char *err, size_t errlen)
{
    snprintf(err, errlen, "mysql: connect: out of memory");
    for (size_t k = 0; k < u->nhosts; k++) {
        size_t i = (*at + k) % u->nhosts;
        MYSQL *c = mysql_init(NULL);
        if (!c)
            return NULL;
        if (store)
            session_options(c, u);
        if (connect_to(c, u, &u->hosts[i])) {
            *at = i;
            return c;
        }
        snprintf(err, errlen, "mysql: connect: %s (%u)%s", mysql_error(c),
                 mysql_errno(c),
                 u->nhosts > 1 ? ", and so did every other host" : "");
        mysql_close(c);
    }
    return NULL;
}

MYSQL *sm_mysql_connect_url(const char *url, char *err, size_t errlen)
{
    sm_mysql_url u;
    size_t at = 0;
    if (sm_mysql_url_parse(&u, url, err, errlen) != SM_OK)
        return NULL;
    return connect_hosts(&u, false, &at, err, errlen);
}

/* Open s->conn on the first host that answers from s->host on:
 * autocommit off, the server's deadlock counter read. */
static sm_status connect_url(my_store *s)
{
    char err[sizeof s->base.errmsg];
    s->conn = connect_hosts(&s->url, true, &s->host, err, sizeof err);
    if (!s->conn)
        return sm_store_fail(&s->base, SM_E_STORE, "%s", err);
    if (mysql_autocommit(s->conn, 0) != 0)
        return my_fail_conn(s, "autocommit");
    s->lost = false;
    s->reading = false;
    my_probe(s);
    return SM_OK;
}

/*
 * On a cluster node reached by a reconnect, wait (one causal no-op,
 * MariaDB's SET STATEMENT) until it has applied what the cluster
 * committed, ours on the lost node included: else the next write could
 * meet an older history there. Only a lost connection fails it.
 */
static sm_status catch_up(my_store *s)
{
    static const char sql[] = "SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1";
    if (!s->cluster)
        return SM_OK;
    if (mysql_real_query(s->conn, sql, sizeof sql - 1) == 0) {
        mysql_free_result(mysql_store_result(s->conn));
        return SM_OK;
    }
    sm_status st = my_fail_conn(s, "catch up");
    return s->lost ? st : SM_OK;
}

/* Drop the dead connection and its statements; connect again, to the
 * next host first (the one we lost may be the one that died). */
sm_status my_ensure(my_store *s)
{
    if (!s->lost)
        return SM_OK;
    if (!s->owned)
        return sm_store_fail(&s->base, SM_E_STORE,
                             "mysql: the wrapped connection was lost");
    my_stmts_free(s);
    if (s->conn)
        mysql_close(s->conn);
    s->conn = NULL;
    s->max_packet = 0; /* another server, perhaps: read it again */
    s->host = (s->host + 1) % s->url.nhosts;
    sm_status st = connect_url(s);
    return st == SM_OK ? catch_up(s) : st;
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
    if (st == SM_OK && s->url.causal) { /* the session is the caller's */
        snprintf(err, sizeof err,
                 "mysql: causal=1 needs a connection the store opens; "
                 "set wsrep_sync_wait on yours");
        st = SM_E_ARG;
    }
    if (st != SM_OK) {
        my_close(s);
        return sm_store_open_failed(out, st, err);
    }
    my_probe(s);
    st = sm_store_open_ops(out, &sm_mysql_ops, s);
    if (st != SM_OK)
        my_close(s);
    return st;
}
