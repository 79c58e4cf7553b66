/*
 * query.c - schema creation and the in_state query of the MySQL store.
 *
 * The DDL text is ddl/'s, shared with `smcc --emit sql`. The in_state
 * query reads the parents' state column when the def names one, else it
 * is Statesman's: parents LEFT JOIN their most_recent row. Both page by
 * parent id (keyset), and both count a row holding a state's old (`was`)
 * name as that state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddl.h"
#include "priv.h"
#include "sm/mysql.h"

/* Every name def's DDL puts into SQL is [A-Za-z0-9_]+ (smcc checked
 * them; a hand-written def may not have). */
static bool ddl_names_ok(const sm_def *d)
{
    bool parent = (d->schema & (SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY)) ||
                  d->state_column;
    if (!my_ident_ok(d->table) || !my_ident_ok(d->parent_key) ||
        (parent && !my_ident_ok(d->parent_table)) ||
        (d->state_column && !my_ident_ok(d->state_column)))
        return false;
    for (uint32_t i = 0;
         (d->schema & SM_SCHEMA_STATE_CHECK) && i < d->nstates + d->naliases;
         i++)
        if (!my_ident_ok(i < d->nstates ? d->state_names[i]
                                        : d->alias_names[i - d->nstates]))
            return false;
    return true;
}

/* Format statement f of spec and run it. */
static sm_status run_ddl(my_store *s, const sm_ddl *spec,
                         size_t (*f)(char *, size_t, const sm_ddl *))
{
    size_t n = f(NULL, 0, spec);
    char *sql = sm_malloc(n + 1);
    if (!sql)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    f(sql, n + 1, spec);
    sm_status st = my_exec(s, sql);
    sm_free(sql);
    return st;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every name def's history may hold, sorted (the CHECK's list); NULL
 * when out of memory. Free with sm_free. */
static const char **check_names(const sm_def *d)
{
    size_t n = (size_t)d->nstates + d->naliases;
    const char **v = sm_malloc((n + 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++)
        v[i] =
            i < d->nstates ? d->state_names[i] : d->alias_names[i - d->nstates];
    qsort(v, n, sizeof *v, name_cmp);
    return v;
}

/* The parent table (when asked for), the transitions table, then the
 * parent's state column (when the def names one). */
static sm_status create(my_store *s, const sm_def *def, const char **names)
{
    sm_ddl spec = {def->table,
                   def->parent_table,
                   def->parent_key,
                   def->schema,
                   names,
                   (size_t)def->nstates + def->naliases,
                   def->state_column,
                   def->state_names[def->initial]};
    sm_status st = my_ensure(s);
    s->reading = false; /* DDL commits what a read left open */
    if (st == SM_OK && (def->schema & SM_SCHEMA_PARENT))
        st = run_ddl(s, &spec, sm_ddl_parent);
    if (st == SM_OK)
        st = run_ddl(s, &spec, sm_ddl_table);
    if (st == SM_OK && def->state_column)
        st = run_ddl(s, &spec, sm_ddl_state_column);
    return st;
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
    if (!def || !ddl_names_ok(def))
        return sm_store_seterr(base, SM_E_ARG,
                               "sm_mysql_create_schema: def is NULL or has "
                               "an unsafe table, column or state name");
    const char **names = check_names(def);
    if (!names)
        return sm_store_seterr(base, SM_E_NOMEM, "out of memory");
    sm_status st = create(s, def, names);
    sm_free(names);
    return st == SM_OK ? st : sm_store_copyerr(base, st);
}

/*
 * The names a listing matches: each state's name, then the old (`was`)
 * names of those states, since rows that still hold one are in that
 * state too. In *n; NULL when out of memory (free with sm_free).
 */
static const char **match_names(const sm_def *d, const sm_store_filter *f,
                                size_t *n)
{
    size_t k = 0;
    const char **v = sm_malloc((f->nstates + d->naliases + 1) * sizeof *v);
    for (size_t i = 0; v && i < f->nstates; i++)
        v[k++] = d->state_names[f->states[i]];
    for (uint32_t a = 0; v && d->alias_states && a < d->naliases; a++)
        for (size_t i = 0; i < f->nstates; i++)
            if (d->alias_states[a] == f->states[i])
                v[k++] = d->alias_names[a];
    *n = k;
    return v;
}

/* "expr [NOT] IN (?, ...) AND " for n names, or "" for none. */
static int names_sql(char *b, size_t cap, const char *expr, bool negate,
                     size_t n)
{
    if (!n)
        return snprintf(b, cap, "%s", "");
    int o = snprintf(b, cap, "%s %sIN (", expr, negate ? "NOT " : "");
    for (size_t i = 0; i < n; i++)
        o += snprintf(b + o, cap - (size_t)o, i ? ", ?" : "?");
    return o + snprintf(b + o, cap - (size_t)o, ") AND ");
}

/* The query text of f, matching n names, for d: by the state column,
 * or by the join. */
static char *in_state_sql(const sm_def *d, const sm_store_filter *f, size_t n)
{
    size_t cap = 640 + 3 * n;
    char *b = sm_malloc(cap);
    if (!b)
        return NULL;
    const char *pt = d->parent_table, *c = d->state_column;
    int o;
    if (c) {
        char col[80];
        snprintf(col, sizeof col, "`%s`", c);
        o = snprintf(b, cap, "SELECT `id` FROM `%s` WHERE ", pt);
        o += names_sql(b + o, cap - (size_t)o, col, f->negate, n);
        o += snprintf(b + o, cap - (size_t)o, "`id` > ? ORDER BY `id`");
    } else {
        o = snprintf(b, cap,
                     "SELECT p.`id` FROM `%s` p LEFT JOIN `%s` t ON "
                     "t.`%s` = p.`id` AND t.`most_recent` = 1 WHERE ",
                     pt, d->table, d->parent_key);
        o += names_sql(b + o, cap - (size_t)o, "COALESCE(t.`to_state`, ?)",
                       f->negate, n);
        o += snprintf(b + o, cap - (size_t)o, "p.`id` > ? ORDER BY p.`id`");
    }
    if (f->limit)
        snprintf(b + o, cap - (size_t)o, " LIMIT ?");
    return b;
}

/* The values a listing binds, which the binds point into. */
typedef struct in_state_args {
    int64_t after;
    uint64_t limit;
    unsigned long lens[]; /* one per name, +1 for the initial */
} in_state_args;

/* A string parameter over name (its length kept in *len). */
static MYSQL_BIND name_param(const char *name, unsigned long *len)
{
    MYSQL_BIND b;
    memset(&b, 0, sizeof b);
    *len = (unsigned long)strlen(name);
    b.buffer_type = MYSQL_TYPE_STRING;
    b.buffer = (void *)name;
    b.length = len;
    return b;
}

/* Bind [the initial state's name (join),] names[0..n), the id bound
 * and [the limit]; p holds n + 3. */
static void in_state_params(MYSQL_BIND *p, in_state_args *a, const sm_def *d,
                            const sm_store_filter *f, const char **names,
                            size_t n)
{
    size_t k = 0;
    memset(p, 0, (n + 3) * sizeof *p);
    if (n && !d->state_column)
        p[k] = name_param(d->state_names[d->initial], &a->lens[k]), k++;
    for (size_t i = 0; i < n; i++, k++)
        p[k] = name_param(names[i], &a->lens[k]);
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
    size_t nn = 0;
    const char **names = match_names(d, f, &nn);
    char *sql = names ? in_state_sql(d, f, nn) : NULL;
    in_state_args *a = sm_malloc(sizeof *a + (nn + 1) * sizeof a->lens[0]);
    MYSQL_BIND *p = sm_malloc((nn + 3) * sizeof *p);
    MYSQL_STMT *st = a && p && sql ? mysql_stmt_init(s->conn) : NULL;
    sm_status r = st ? SM_OK : sm_store_fail(&s->base, SM_E_NOMEM, "oom");
    if (r == SM_OK)
        in_state_params(p, a, d, f, names, nn);
    if (r == SM_OK &&
        (mysql_stmt_prepare(st, sql, strlen(sql)) != 0 ||
         mysql_stmt_bind_param(st, p) != 0 || mysql_stmt_execute(st) != 0))
        r = my_fail_stmt(s, st, "in_state query");
    if (r == SM_OK)
        r = fetch_ids(s, st, ids, n);
    if (st)
        mysql_stmt_close(st);
    sm_free(names), sm_free(sql), sm_free(a), sm_free(p);
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
