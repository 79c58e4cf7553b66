/*
 * errors.c - mapping MySQL/MariaDB errors to sm_status.
 *
 * Duplicates are conflicts; 1213 is a deadlock, or on a Galera node a
 * cluster conflict when InnoDB chose no victim; everything else is a
 * store failure carrying the server's message. Lost connections (and a
 * cluster node not ready for clients) are remembered so the next use
 * outside a transaction reconnects, to the next host.
 */
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "priv.h"

/* The status for error number err (1213: see cluster_abort). */
static sm_status map(unsigned err)
{
    switch (err) {
    case ER_DUP_ENTRY:
        return SM_E_CONFLICT;
    case ER_LOCK_DEADLOCK:
        return SM_E_DEADLOCK;
    case CR_OUT_OF_MEMORY:
        return SM_E_NOMEM;
    default:
        return SM_E_STORE;
    }
}

/* Read the server's Innodb_deadlocks and whether it is a connected
 * Galera node; on any failure keep what we knew. */
void my_probe(my_store *s)
{
    if (mysql_query(s->conn, "SHOW GLOBAL STATUS WHERE Variable_name IN "
                             "('Innodb_deadlocks', 'wsrep_connected')") != 0)
        return;
    MYSQL_RES *r = mysql_store_result(s->conn);
    MYSQL_ROW row;
    while (r && (row = mysql_fetch_row(r)))
        if (row[0] && row[1] && strcmp(row[0], "wsrep_connected") == 0)
            s->cluster = strcmp(row[1], "ON") == 0;
        else if (row[0] && row[1])
            s->deadlocks = strtoll(row[1], NULL, 10);
    mysql_free_result(r);
}

/*
 * Is this 1213 a cluster conflict (a certification failure, or a
 * brute-force abort by another node's write) rather than an InnoDB
 * deadlock? The server says so where it can: Codership and Percona
 * servers name WSREP in the message; InnoDB never makes a COMMIT its
 * victim; and its deadlock counter moves whenever it picks one. Every
 * doubt is left a deadlock (equally retryable).
 */
static bool cluster_abort(my_store *s, const char *msg, const char *what)
{
    if (strstr(msg, "WSREP"))
        return true;
    if (!s->cluster)
        return false;
    if (strcmp(what, "COMMIT") == 0)
        return true;
    long long before = s->deadlocks;
    my_probe(s);
    return s->cluster && s->deadlocks == before;
}

/* Record err/msg from `what`; mark the connection lost if it is. */
sm_status my_fail(my_store *s, unsigned err, const char *msg, const char *what)
{
    char text[400];
    snprintf(text, sizeof text, "%s", msg && *msg ? msg : "unknown error");
    if (err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
        err == CR_CONN_HOST_ERROR || err == CR_CONNECTION_ERROR ||
        err == ER_CONNECTION_KILLED || /* KILL CONNECTION from a session */
        err == ER_UNKNOWN_COM_ERROR)   /* 1047: a Galera node not synced */
        s->lost = true;
    s->last_err = err;
    if (err == ER_LOCK_DEADLOCK && cluster_abort(s, text, what))
        return sm_store_fail(&s->base, SM_E_CLUSTER_CONFLICT,
                             "mysql: %.60s: cluster conflict: a write "
                             "replicated from another node aborted this "
                             "transaction (certification failure or "
                             "brute-force abort): %s (%u)",
                             what, text, err);
    return sm_store_fail(&s->base, map(err), "mysql: %.60s: %s (%u)", what,
                         text, err);
}

sm_status my_fail_conn(my_store *s, const char *what)
{
    return my_fail(s, mysql_errno(s->conn), mysql_error(s->conn), what);
}

sm_status my_fail_stmt(my_store *s, MYSQL_STMT *st, const char *what)
{
    return my_fail(s, mysql_stmt_errno(st), mysql_stmt_error(st), what);
}

/* Run sql (no parameters, no result) on the connection. */
sm_status my_exec(my_store *s, const char *sql)
{
    if (mysql_real_query(s->conn, sql, strlen(sql)) != 0)
        return my_fail_conn(s, sql);
    return SM_OK;
}

/* A defensive identifier check: the .sm checker already did it. */
bool my_ident_ok(const char *name)
{
    if (!name || !*name)
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789_") == strlen(name);
}

bool my_def_names_ok(const sm_def *d, bool parent)
{
    return my_ident_ok(d->table) && my_ident_ok(d->parent_key) &&
           (!parent || my_ident_ok(d->parent_table)) &&
           (!d->state_column || my_ident_ok(d->state_column));
}
