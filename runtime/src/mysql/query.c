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

/* One statement takes at most this many parameters. */
#define MAX_PARAMS 65535u

/*
 * What one in_state call asks: the states (a byte per state of def),
 * whether SM_UNKNOWN_STATE is among them, and the names the query binds
 * (owned): the initial state's, the names of the states asked for, old
 * ones included (nwant), then every name def knows (nknown, when the
 * server is to return unknown states too). nparams 0: no WHERE at all,
 * for a def with more names than a statement takes; every parent comes
 * back and is judged here.
 */
typedef struct in_query {
    const sm_def *def;
    uint8_t *want;
    bool unknown;
    const char **names;
    size_t nwant, nknown, nparams;
} in_query;

/* Append name to q->names (room was made for it). */
static void add_name(in_query *q, const char *name)
{
    q->names[q->nparams++] = name;
}

/* Fill q from states[0..n); false when out of memory. */
static bool in_query_init(in_query *q, const sm_def *d, const int *states,
                          size_t n)
{
    size_t all = (size_t)d->nstates + d->naliases;
    *q = (in_query){.def = d, .want = sm_malloc(d->nstates ? d->nstates : 1)};
    q->names = sm_malloc((1 + n + d->naliases + all) * sizeof *q->names);
    if (!q->want || !q->names)
        return false;
    memset(q->want, 0, d->nstates ? d->nstates : 1);
    for (size_t i = 0; i < n; i++)
        if (states[i] == SM_UNKNOWN_STATE)
            q->unknown = true;
        else
            q->want[states[i]] = 1, q->nwant = 1;
    if (q->nwant) {
        add_name(q, d->state_names[d->initial]);
        for (uint32_t i = 0; i < d->nstates; i++)
            if (q->want[i])
                add_name(q, d->state_names[i]);
        for (uint32_t a = 0; d->alias_states && a < d->naliases; a++)
            if (q->want[d->alias_states[a]])
                add_name(q, d->alias_names[a]);
        q->nwant = q->nparams - 1;
    }
    for (size_t i = 0; i < all; i++)
        add_name(q, i < d->nstates ? d->state_names[i]
                                   : d->alias_names[i - d->nstates]);
    q->nknown = all;
    if (q->nparams > MAX_PARAMS)
        q->nparams = q->nwant = q->nknown = 0;
    return true;
}

static void in_query_free(in_query *q)
{
    sm_free(q->want);
    sm_free(q->names);
}

/* Append ",?" n times (the first without the comma). */
static int marks(char *b, size_t cap, int o, size_t n)
{
    for (size_t i = 0; i < n; i++)
        o += snprintf(b + o, cap - (size_t)o, i ? ",?" : "?");
    return o;
}

/*
 * The query: every parent with its latest row's id and to_state, the
 * server keeping those in a state asked for (COALESCE: no history is
 * the initial state) or holding a name def does not know (compared
 * byte for byte, as the loader does). Every row is judged again here.
 */
static char *in_state_sql(const in_query *q)
{
    const sm_def *d = q->def;
    size_t cap = 512 + 3 * q->nparams;
    char *b = sm_malloc(cap);
    if (!b)
        return NULL;
    int o = snprintf(b, cap,
                     "SELECT p.`id`, t.`id`, t.`to_state` FROM `%s` p LEFT "
                     "JOIN `%s` t ON t.`%s` = p.`id` AND t.`most_recent` = 1",
                     d->parent_table, d->table, d->parent_key);
    if (q->nwant) {
        o += snprintf(b + o, cap - (size_t)o,
                      " WHERE COALESCE(t.`to_state`, ?) IN (");
        o = marks(b, cap, o, q->nwant);
        o += snprintf(b + o, cap - (size_t)o, ") OR");
    } else if (q->nknown) {
        o += snprintf(b + o, cap - (size_t)o, " WHERE");
    }
    if (q->nknown) {
        o += snprintf(b + o, cap - (size_t)o, " BINARY t.`to_state` NOT IN (");
        o = marks(b, cap, o, q->nknown);
        o += snprintf(b + o, cap - (size_t)o, ")");
    }
    snprintf(b + o, cap - (size_t)o, " ORDER BY p.`id`");
    return b;
}

/* Bind q's names as the statement's parameters (lens: one per name). */
static MYSQL_BIND *in_state_params(const in_query *q, unsigned long *lens)
{
    MYSQL_BIND *p = sm_malloc((q->nparams + 1) * sizeof *p);
    if (!p)
        return NULL;
    memset(p, 0, (q->nparams + 1) * sizeof *p);
    for (size_t i = 0; i < q->nparams; i++) {
        lens[i] = (unsigned long)strlen(q->names[i]);
        p[i].buffer_type = MYSQL_TYPE_STRING;
        p[i].buffer = (void *)q->names[i];
        p[i].length = &lens[i];
    }
    return p;
}

/* One fetched row of the in_state query. */
typedef struct in_row {
    int64_t parent, row;
    char to[1024];
    unsigned long lto;
    my_bool nrow, nto;
} in_row;

/* The parents def does not know the state of: how many, and the first. */
typedef struct in_unknown {
    size_t n;
    int64_t parent, row;
    char to[256];
} in_unknown;

/* Append id to *ids (n of cap used); false when out of memory. */
static bool push_id(int64_t **ids, size_t *n, size_t *cap, int64_t id)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        int64_t *v = sm_realloc(*ids, c * sizeof *v);
        if (!v)
            return false;
        *ids = v, *cap = c;
    }
    (*ids)[(*n)++] = id;
    return true;
}

/* Is the fetched row a parent q asks for? Unknown states are noted. */
static bool in_state_keep(const in_query *q, in_row *r, in_unknown *u)
{
    if (r->nto)
        return q->want[q->def->initial];
    r->to[r->lto < sizeof r->to ? r->lto : sizeof r->to - 1] = '\0';
    int s = sm_def_state_lookup(q->def, r->to, NULL);
    if (s >= 0)
        return q->want[s];
    if (!q->unknown && u->n++ == 0) {
        u->parent = r->parent, u->row = r->row;
        snprintf(u->to, sizeof u->to, "%.64s", r->to);
    }
    return q->unknown;
}

/* Bind the result columns to r. */
static void bind_in_row(MYSQL_BIND *b, in_row *r)
{
    memset(b, 0, 3 * sizeof *b);
    b[0].buffer_type = b[1].buffer_type = MYSQL_TYPE_LONGLONG;
    b[0].buffer = &r->parent;
    b[1].buffer = &r->row;
    b[1].is_null = &r->nrow;
    b[2].buffer_type = MYSQL_TYPE_STRING;
    b[2].buffer = r->to;
    b[2].buffer_length = sizeof r->to - 1;
    b[2].length = &r->lto;
    b[2].is_null = &r->nto;
}

/* Fetch the executed st row by row, keeping what q asks for, each
 * parent once (a corrupt history with two most_recent rows joins twice,
 * next to each other in id order). */
static sm_status fetch_ids(my_store *s, MYSQL_STMT *st, const in_query *q,
                           int64_t **ids, size_t *n, in_unknown *u)
{
    in_row *r = sm_malloc(sizeof *r);
    MYSQL_BIND b[3];
    size_t cap = 0;
    if (!r)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    bind_in_row(b, r);
    sm_status res = mysql_stmt_bind_result(st, b) == 0
                        ? SM_OK
                        : my_fail_stmt(s, st, "in_state result");
    int rc = 0;
    while (res == SM_OK &&
           ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED))
        if (in_state_keep(q, r, u) && (!*n || (*ids)[*n - 1] != r->parent) &&
            !push_id(ids, n, &cap, r->parent))
            res = sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    if (res == SM_OK && rc == 1)
        res = my_fail_stmt(s, st, "in_state fetch");
    if (res == SM_OK && !*ids && !(*ids = sm_malloc(sizeof **ids)))
        res = sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    mysql_stmt_free_result(st);
    sm_free(r);
    return res;
}

/* SM_E_SCHEMA for the parents u counted: the first, and what to do. */
static sm_status unknown_fail(my_store *s, const sm_def *d, const in_unknown *u)
{
    return sm_store_fail(
        &s->base, SM_E_SCHEMA,
        "mysql: in_state: %zu %s of %s %s machine %s does not know; the "
        "first, parent %lld, has to_state '%s' in row %lld: list them with "
        "SM_UNKNOWN_STATE (smcc in-state --unknown), then declare the "
        "states (was, retired) or rewrite the rows (smcc diff --emit "
        "migration)",
        u->n, u->n == 1 ? "parent" : "parents", d->parent_table,
        u->n == 1 ? "is in a state" : "are in states", d->name ? d->name : "?",
        (long long)u->parent, u->to, (long long)u->row);
}

/* Prepare, bind and run the query; ids on success. */
static sm_status in_state_run(my_store *s, const in_query *q, int64_t **ids,
                              size_t *n)
{
    char *sql = in_state_sql(q);
    unsigned long *lens = sm_malloc((q->nparams + 1) * sizeof *lens);
    MYSQL_BIND *p = lens ? in_state_params(q, lens) : NULL;
    MYSQL_STMT *st = p && sql ? mysql_stmt_init(s->conn) : NULL;
    sm_status r = st ? SM_OK : sm_store_fail(&s->base, SM_E_NOMEM, "oom");
    if (r == SM_OK &&
        (mysql_stmt_prepare(st, sql, strlen(sql)) != 0 ||
         mysql_stmt_bind_param(st, p) != 0 || mysql_stmt_execute(st) != 0))
        r = my_fail_stmt(s, st, "in_state query");
    in_unknown u = {0};
    if (r == SM_OK)
        r = fetch_ids(s, st, q, ids, n, &u);
    if (r == SM_OK && u.n)
        r = unknown_fail(s, q->def, &u);
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
    in_query q;
    sm_status r = in_query_init(&q, def, states, nstates)
                      ? my_ensure(s)
                      : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    if (r == SM_OK)
        r = my_read_done(s, in_state_run(s, &q, ids, n));
    in_query_free(&q);
    return r;
}
