/*
 * query.c - schema creation and the in_state query of the MySQL store.
 *
 * The DDL text is sm_ddl_format's, shared with `smcc --emit sql`. The
 * in_state query is Statesman's: parents LEFT JOIN their most_recent row.
 */
#include <stdio.h>
#include <string.h>

#include "ddl.h"
#include "priv.h"
#include "sm/mysql.h"

sm_status sm_mysql_create_schema(sm_store *base, const sm_def *def)
{
    my_store *s = sm_store_impl(base, &sm_mysql_ops);
    if (!base)
        return SM_E_ARG;
    if (!s)
        return sm_store_seterr(base, SM_E_ARG,
                               "sm_mysql_create_schema: store '%s' is not a "
                               "MySQL store",
                               base->ops->scheme);
    if (!def || !my_ident_ok(def->table) || !my_ident_ok(def->parent_key))
        return sm_store_seterr(base, SM_E_ARG,
                               "sm_mysql_create_schema: def is NULL or has "
                               "an unsafe table or column name");
    size_t n = sm_ddl_format(NULL, 0, def->table, def->parent_key);
    char *sql = sm_malloc(n + 1);
    if (!sql)
        return sm_store_seterr(base, SM_E_NOMEM, "out of memory");
    sm_ddl_format(sql, n + 1, def->table, def->parent_key);
    sm_status st = my_ensure(s);
    if (st == SM_OK)
        st = my_exec(s, sql);
    sm_free(sql);
    return st == SM_OK ? st : sm_store_copyerr(base, st);
}

/* The query text for nstates states (n placeholders after the first). */
static char *in_state_sql(const sm_def *d, size_t nstates)
{
    size_t cap = 512 + 3 * nstates;
    char *b = sm_malloc(cap);
    if (!b)
        return NULL;
    int o = snprintf(b, cap,
                     "SELECT p.`id` FROM `%s` p LEFT JOIN `%s` t ON "
                     "t.`%s` = p.`id` AND t.`most_recent` = 1 WHERE "
                     "COALESCE(t.`to_state`, ?) IN (",
                     d->parent_table, d->table, d->parent_key);
    for (size_t i = 0; i < nstates; i++)
        o += snprintf(b + o, cap - (size_t)o, i ? ",?" : "?");
    snprintf(b + o, cap - (size_t)o, ") ORDER BY p.`id`");
    return b;
}

/* Bind the initial state's name then every state's as parameters. */
static MYSQL_BIND *in_state_params(const sm_def *d, const int *states, size_t n,
                                   unsigned long *lens)
{
    MYSQL_BIND *p = sm_malloc((n + 1) * sizeof *p);
    if (!p)
        return NULL;
    memset(p, 0, (n + 1) * sizeof *p);
    for (size_t i = 0; i <= n; i++) {
        const char *name = d->state_names[i ? states[i - 1] : d->initial];
        lens[i] = (unsigned long)strlen(name);
        p[i].buffer_type = MYSQL_TYPE_STRING;
        p[i].buffer = (void *)name;
        p[i].length = &lens[i];
    }
    return p;
}

/* Fetch every id of the executed st into *ids / *n. */
static sm_status fetch_ids(my_store *s, MYSQL_STMT *st, int64_t **ids,
                           size_t *n)
{
    int64_t id;
    MYSQL_BIND r;
    memset(&r, 0, sizeof r);
    r.buffer_type = MYSQL_TYPE_LONGLONG;
    r.buffer = &id;
    if (mysql_stmt_bind_result(st, &r) != 0 || mysql_stmt_store_result(st) != 0)
        return my_fail_stmt(s, st, "in_state result");
    size_t rows = (size_t)mysql_stmt_num_rows(st);
    *ids = sm_malloc((rows ? rows : 1) * sizeof **ids);
    if (!*ids)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    while (*n < rows && mysql_stmt_fetch(st) == 0)
        (*ids)[(*n)++] = id;
    return SM_OK;
}

/* Prepare, bind and run the query; ids on success. */
static sm_status in_state_run(my_store *s, const sm_def *d, const int *sts,
                              size_t ns, int64_t **ids, size_t *n)
{
    char *sql = in_state_sql(d, ns);
    unsigned long *lens = sm_malloc((ns + 1) * sizeof *lens);
    MYSQL_BIND *p = lens ? in_state_params(d, sts, ns, lens) : NULL;
    MYSQL_STMT *st = p && sql ? mysql_stmt_init(s->conn) : NULL;
    sm_status r = st ? SM_OK : sm_store_fail(&s->base, SM_E_NOMEM, "oom");
    if (r == SM_OK &&
        (mysql_stmt_prepare(st, sql, strlen(sql)) != 0 ||
         mysql_stmt_bind_param(st, p) != 0 || mysql_stmt_execute(st) != 0))
        r = my_fail_stmt(s, st, "in_state query");
    if (r == SM_OK)
        r = fetch_ids(s, st, ids, n);
    if (st)
        mysql_stmt_close(st);
    sm_free(sql), sm_free(lens), sm_free(p);
    return r;
}

/* The vtable's in_state: libsm has checked def and the states. */
sm_status my_in_state(void *impl, const sm_def *def, const int *states,
                      size_t nstates, int64_t **ids, size_t *n)
{
    my_store *s = impl;
    if (!my_ident_ok(def->parent_table) || !my_ident_ok(def->table) ||
        !my_ident_ok(def->parent_key))
        return sm_store_fail(&s->base, SM_E_ARG,
                             "mysql: in_state: machine '%s' has a missing or "
                             "unsafe table or column name",
                             def->name ? def->name : "?");
    sm_status r = my_ensure(s);
    if (r == SM_OK)
        r = in_state_run(s, def, states, nstates, ids, n);
    if (r == SM_OK)
        r = my_end_read(s);
    return r;
}
