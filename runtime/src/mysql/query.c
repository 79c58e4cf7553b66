/*
 * query.c - schema creation and the in_state query of the MySQL store.
 *
 * The DDL text is ddl/'s, shared with `smcc --emit sql`. The in_state
 * query reads the parents' state column when the def names one, else it
 * is Statesman's: parents LEFT JOIN their most_recent row. Both page by
 * parent id (keyset).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ddl.h"
#include "priv.h"
#include "sm/mysql.h"

/* Statement i of def's schema (0: the table, 1: the state column) in
 * a fresh buffer; NULL when out of memory. */
static char *schema_sql(const sm_def *d, int i)
{
    const char *init = d->state_names[d->initial];
    size_t n =
        i ? sm_ddl_state_column(NULL, 0, d->parent_table, d->state_column, init)
          : sm_ddl_format(NULL, 0, d->table, d->parent_key);
    char *sql = sm_malloc(n + 1);
    if (sql && i)
        sm_ddl_state_column(sql, n + 1, d->parent_table, d->state_column, init);
    else if (sql)
        sm_ddl_format(sql, n + 1, d->table, d->parent_key);
    return sql;
}

/* Is every name of def that the schema uses safe in SQL? */
static bool schema_names_ok(const sm_def *d)
{
    return my_ident_ok(d->table) && my_ident_ok(d->parent_key) &&
           (!d->state_column ||
            (my_ident_ok(d->state_column) && my_ident_ok(d->parent_table)));
}

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
    if (!def || !schema_names_ok(def))
        return sm_store_seterr(base, SM_E_ARG,
                               "sm_mysql_create_schema: def is NULL or has "
                               "an unsafe table or column name");
    sm_status st = my_ensure(s);
    s->reading = false; /* DDL commits what a read left open */
    for (int i = 0; st == SM_OK && i < (def->state_column ? 2 : 1); i++) {
        char *sql = schema_sql(def, i);
        st = sql ? my_exec(s, sql)
                 : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
        sm_free(sql);
    }
    return st == SM_OK ? st : sm_store_copyerr(base, st);
}

/* "[NOT] IN (?, ...) AND " for n states after expr, or "" for none. */
static int states_sql(char *b, size_t cap, const char *expr,
                      const sm_store_filter *f)
{
    if (!f->nstates)
        return snprintf(b, cap, "%s", "");
    int o = snprintf(b, cap, "%s %sIN (", expr, f->negate ? "NOT " : "");
    for (size_t i = 0; i < f->nstates; i++)
        o += snprintf(b + o, cap - (size_t)o, i ? ", ?" : "?");
    return o + snprintf(b + o, cap - (size_t)o, ") AND ");
}

/* The query text of f for d: by the state column, or by the join. */
static char *in_state_sql(const sm_def *d, const sm_store_filter *f)
{
    size_t cap = 640 + 3 * f->nstates;
    char *b = sm_malloc(cap);
    if (!b)
        return NULL;
    const char *pt = d->parent_table, *c = d->state_column;
    int o;
    if (c) {
        char col[80];
        snprintf(col, sizeof col, "`%s`", c);
        o = snprintf(b, cap, "SELECT `id` FROM `%s` WHERE ", pt);
        o += states_sql(b + o, cap - (size_t)o, col, f);
        o += snprintf(b + o, cap - (size_t)o, "`id` > ? ORDER BY `id`");
    } else {
        o = snprintf(b, cap,
                     "SELECT p.`id` FROM `%s` p LEFT JOIN `%s` t ON "
                     "t.`%s` = p.`id` AND t.`most_recent` = 1 WHERE ",
                     pt, d->table, d->parent_key);
        o += states_sql(b + o, cap - (size_t)o, "COALESCE(t.`to_state`, ?)", f);
        o += snprintf(b + o, cap - (size_t)o, "p.`id` > ? ORDER BY p.`id`");
    }
    if (f->limit)
        snprintf(b + o, cap - (size_t)o, " LIMIT ?");
    return b;
}

/* The values f binds, which the binds point into. */
typedef struct in_state_args {
    int64_t after;
    uint64_t limit;
    unsigned long lens[]; /* one per state name, +1 for the initial */
} in_state_args;

/* Bind [the initial state's name (join),] every state's name, the id
 * bound and [the limit] as parameters; p holds nstates + 3. */
static void in_state_params(MYSQL_BIND *p, in_state_args *a, const sm_def *d,
                            const sm_store_filter *f)
{
    size_t k = 0;
    memset(p, 0, (f->nstates + 3) * sizeof *p);
    for (size_t i = d->state_column || !f->nstates ? 1 : 0; i <= f->nstates;
         i++, k++) {
        const char *name = d->state_names[i ? f->states[i - 1] : d->initial];
        a->lens[k] = (unsigned long)strlen(name);
        p[k].buffer_type = MYSQL_TYPE_STRING;
        p[k].buffer = (void *)name;
        p[k].length = &a->lens[k];
    }
    a->after = f->after_id;
    a->limit = (uint64_t)f->limit;
    p[k].buffer_type = MYSQL_TYPE_LONGLONG;
    p[k++].buffer = &a->after;
    p[k].buffer_type = MYSQL_TYPE_LONGLONG;
    p[k].buffer = &a->limit;
    p[k].is_unsigned = 1;
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
static sm_status in_state_run(my_store *s, const sm_def *d,
                              const sm_store_filter *f, int64_t **ids,
                              size_t *n)
{
    char *sql = in_state_sql(d, f);
    in_state_args *a =
        sm_malloc(sizeof *a + (f->nstates + 1) * sizeof a->lens[0]);
    MYSQL_BIND *p = sm_malloc((f->nstates + 3) * sizeof *p);
    MYSQL_STMT *st = a && p && sql ? mysql_stmt_init(s->conn) : NULL;
    sm_status r = st ? SM_OK : sm_store_fail(&s->base, SM_E_NOMEM, "oom");
    if (r == SM_OK)
        in_state_params(p, a, d, f);
    if (r == SM_OK &&
        (mysql_stmt_prepare(st, sql, strlen(sql)) != 0 ||
         mysql_stmt_bind_param(st, p) != 0 || mysql_stmt_execute(st) != 0))
        r = my_fail_stmt(s, st, "in_state query");
    if (r == SM_OK)
        r = fetch_ids(s, st, ids, n);
    if (st)
        mysql_stmt_close(st);
    sm_free(sql), sm_free(a), sm_free(p);
    return r;
}

/* The vtable's in_state: libsm has checked def and the states. */
sm_status my_in_state(void *impl, const sm_def *def, const sm_store_filter *f,
                      int64_t **ids, size_t *n)
{
    my_store *s = impl;
    if (!my_ident_ok(def->parent_table) || !my_ident_ok(def->table) ||
        !my_ident_ok(def->parent_key) ||
        (def->state_column && !my_ident_ok(def->state_column)))
        return sm_store_fail(&s->base, SM_E_ARG,
                             "mysql: in_state: machine '%s' has a missing or "
                             "unsafe table or column name",
                             def->name ? def->name : "?");
    sm_status r = my_ensure(s);
    if (r == SM_OK)
        r = in_state_run(s, def, f, ids, n);
    if (r == SM_OK)
        r = my_end_read(s);
    return r;
}
