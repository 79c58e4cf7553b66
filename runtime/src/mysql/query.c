/*
 * query.c - schema creation and the in_state query of the MySQL store.
 *
 * The DDL text is ddl/'s, shared with `smcc --emit sql`. The
 * in_state query is Statesman's: parents LEFT JOIN their most_recent row.
 */
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
    bool parent = d->schema & (SM_SCHEMA_PARENT | SM_SCHEMA_FOREIGN_KEY);
    if (!my_ident_ok(d->table) || !my_ident_ok(d->parent_key) ||
        (parent && !my_ident_ok(d->parent_table)))
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

/* The parent table (when asked for), then the transitions table. */
static sm_status create(my_store *s, const sm_def *def, const char **names)
{
    sm_ddl spec = {def->table,      def->parent_table,
                   def->parent_key, def->schema,
                   names,           (size_t)def->nstates + def->naliases};
    sm_status st = my_ensure(s);
    if (st == SM_OK && (def->schema & SM_SCHEMA_PARENT))
        st = run_ddl(s, &spec, sm_ddl_parent);
    if (st == SM_OK)
        st = run_ddl(s, &spec, sm_ddl_table);
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

/* The old (`was`) names of the states[0..n): rows that still hold one
 * are in that state too. */
static size_t old_names_of(const sm_def *d, const int *states, size_t n)
{
    size_t k = 0;
    for (uint32_t a = 0; d->alias_states && a < d->naliases; a++)
        for (size_t i = 0; i < n; i++)
            k += d->alias_states[a] == states[i];
    return k;
}

/* Bind the initial state's name, every state's, then their old names
 * (nold of them) as parameters. */
static MYSQL_BIND *in_state_params(const sm_def *d, const int *states, size_t n,
                                   size_t nold, unsigned long *lens)
{
    MYSQL_BIND *p = sm_malloc((n + nold + 1) * sizeof *p);
    if (!p)
        return NULL;
    memset(p, 0, (n + nold + 1) * sizeof *p);
    const char **names = sm_malloc((n + nold + 1) * sizeof *names);
    if (!names) {
        sm_free(p);
        return NULL;
    }
    size_t k = 0;
    names[k++] = d->state_names[d->initial];
    for (size_t i = 0; i < n; i++)
        names[k++] = d->state_names[states[i]];
    for (uint32_t a = 0; nold && a < d->naliases; a++)
        for (size_t i = 0; i < n; i++)
            if (d->alias_states[a] == states[i])
                names[k++] = d->alias_names[a];
    for (size_t i = 0; i < k; i++) {
        lens[i] = (unsigned long)strlen(names[i]);
        p[i].buffer_type = MYSQL_TYPE_STRING;
        p[i].buffer = (void *)names[i];
        p[i].length = &lens[i];
    }
    sm_free(names);
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
    size_t nold = old_names_of(d, sts, ns);
    char *sql = in_state_sql(d, ns + nold);
    unsigned long *lens = sm_malloc((ns + nold + 1) * sizeof *lens);
    MYSQL_BIND *p = lens ? in_state_params(d, sts, ns, nold, lens) : NULL;
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
