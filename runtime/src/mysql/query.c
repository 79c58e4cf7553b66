/*
 * query.c - schema creation of the MySQL store: the parent table, the
 * transitions table and the parents' state column, as ddl/ writes them
 * for `smcc --emit sql` too. Listing parents by state is in_state.c.
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
    if (!my_def_names_ok(d, parent))
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
