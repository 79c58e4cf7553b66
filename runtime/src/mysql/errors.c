/*
 * errors.c - mapping MySQL/MariaDB errors to sm_status.
 *
 * Duplicates are conflicts, 1213 is a deadlock, everything else is a
 * store failure carrying the server's message. Lost connections are
 * remembered so the next use outside a transaction reconnects.
 */
#include <errmsg.h>
#include <mysqld_error.h>
#include <string.h>

#include "priv.h"

/* The status for error number err. */
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

/* Record err/msg from `what`; mark the connection lost if it is. */
sm_status my_fail(my_store *s, unsigned err, const char *msg, const char *what)
{
    if (err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
        err == CR_CONN_HOST_ERROR || err == CR_CONNECTION_ERROR)
        s->lost = true;
    sm_status st = map(err);
    s->last_err = err;
    return sm_store_fail(&s->base, st, "mysql: %.60s: %s (%u)", what,
                         msg && *msg ? msg : "unknown error", err);
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
