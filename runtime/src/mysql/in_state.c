/*
 * in_state.c - the MySQL store's listing of parents by state: through
 * the parents' state column when the def names one, else Statesman's
 * join of each parent to its most_recent row; in or not in the states,
 * a page at a time by parent id (keyset). The server narrows the rows
 * down; every row is judged again here against the def, so a parent in
 * a state the def does not know is never silently left out or listed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "row.h"

/* One statement takes at most this many parameters. */
#define MAX_PARAMS 65535u

/*
 * What one listing asks: f's states as a byte per state of def, whether
 * SM_UNKNOWN_STATE is among them, the names a row of a wanted state may
 * hold (old ones included: nwant) and every name def knows (nknown).
 */
typedef struct in_query {
    const sm_def *def;
    const sm_store_filter *f;
    uint8_t *want;
    bool unknown;
    const char **names; /* wanted names, then every known name */
    size_t nwant, nknown;
} in_query;

/* Fill q for f; false when out of memory. */
static bool query_init(in_query *q, const sm_def *d, const sm_store_filter *f)
{
    size_t all = (size_t)d->nstates + d->naliases;
    *q = (in_query){.def = d, .f = f};
    q->want = sm_malloc(d->nstates ? d->nstates : 1);
    q->names = sm_malloc((2 * all + 1) * sizeof *q->names);
    if (!q->want || !q->names)
        return false;
    memset(q->want, 0, d->nstates ? d->nstates : 1);
    for (size_t i = 0; i < f->nstates; i++)
        if (f->states[i] == SM_UNKNOWN_STATE)
            q->unknown = true;
        else
            q->want[f->states[i]] = 1;
    for (uint32_t i = 0; i < d->nstates; i++)
        if (q->want[i])
            q->names[q->nwant++] = d->state_names[i];
    for (uint32_t a = 0; d->alias_states && a < d->naliases; a++)
        if (q->want[d->alias_states[a]])
            q->names[q->nwant++] = d->alias_names[a];
    for (size_t i = 0; i < all; i++)
        q->names[q->nwant + q->nknown++] =
            i < d->nstates ? d->state_names[i] : d->alias_names[i - d->nstates];
    return true;
}

static void query_free(in_query *q)
{
    sm_free(q->want);
    sm_free(q->names);
}

/* The statement being built: its text and its parameters, in order. */
typedef struct in_sql {
    char *b;
    size_t cap, o;
    MYSQL_BIND *p;
    unsigned long *lens;
    size_t np;
    int64_t after;
    uint64_t limit;
} in_sql;

/* Append printf-style; nothing past cap (the caller sized the buffer;
 * past it x->o only counts, and the query is refused). */
static void put(in_sql *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(in_sql *x, const char *fmt, ...)
{
    size_t room = x->o < x->cap ? x->cap - x->o : 0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(room ? x->b + x->o : NULL, room, fmt, ap);
    va_end(ap);
    x->o += n < 0 ? 0 : (size_t)n;
}

/* Append text as it is. */
static void put_s(in_sql *x, const char *text)
{
    put(x, "%s", text);
}

/* A string parameter. */
static void param_str(in_sql *x, const char *v)
{
    x->p[x->np] = my_bind_str(v, &x->lens[x->np]);
    x->np++;
}

/* A 64-bit integer parameter over *v. */
static void param_int(in_sql *x, void *v, bool is_unsigned)
{
    x->p[x->np] = my_bind(MYSQL_TYPE_LONGLONG, v, 0);
    x->p[x->np++].is_unsigned = is_unsigned;
}

/* The state of a parent: its column, or its latest row's (none: the
 * initial state), compared as written (binary) or by the collation. */
static void put_state(in_sql *x, const in_query *q, bool binary)
{
    const char *c = q->def->state_column, *bin = binary ? "BINARY " : "";
    if (c) {
        put(x, "%s`%s`", bin, c);
        return;
    }
    put(x, "%sCOALESCE(t.`to_state`, ?)", bin);
    param_str(x, q->def->state_names[q->def->initial]);
}

/* "state [NOT] IN (?, ...)" over names[0..n). */
static void put_in(in_sql *x, const in_query *q, bool binary, bool not,
                   const char **names, size_t n)
{
    put_state(x, q, binary);
    put(x, " %sIN (", not ? "NOT " : "");
    for (size_t i = 0; i < n; i++) {
        put_s(x, i ? ", ?" : "?");
        param_str(x, names[i]);
    }
    put_s(x, ")");
}

/* "ORDER BY id [LIMIT ?]" of a page of f, after "id > ?". */
static void put_page(in_sql *x, const in_query *q, const char *id, bool limited)
{
    put(x, "%s > ? ORDER BY %s", id, id);
    param_int(x, &x->after, false);
    if (q->f->limit && limited) {
        put_s(x, " LIMIT ?");
        param_int(x, &x->limit, true);
    }
}

/*
 * The join, for a def without a state column: each parent and its
 * latest row, kept by the server when in a state asked for (in) or not
 * (not in), or when holding a name outside def's (compared byte for
 * byte, as the loader does): those are judged here, listed when asked
 * for (SM_UNKNOWN_STATE; not in then leaves them out), else a failure.
 */
static void put_join(in_sql *x, const in_query *q, bool judge_only)
{
    const sm_def *d = q->def;
    const char **want = q->names, **known = q->names + q->nwant;
    bool negate = q->f->negate, drop = negate && q->unknown;
    put(x,
        "SELECT p.`id`, t.`id`, t.`to_state` FROM `%s` p LEFT JOIN `%s` t "
        "ON t.`%s` = p.`id` AND t.`most_recent` = 1 WHERE ",
        d->parent_table, d->table, d->parent_key);
    if (!judge_only && !(negate && !q->nwant && !drop)) {
        if (q->nwant) {
            put_s(x, drop ? "" : "(");
            put_in(x, q, false, negate, want, q->nwant);
            put_s(x, drop ? " AND " : " OR ");
        }
        put_in(x, q, true, !drop, known, q->nknown);
        put_s(x, q->nwant && !drop ? ") AND " : " AND ");
    }
    put_page(x, q, "p.`id`", !judge_only);
}

/* One SELECT of the parents whose column is [not] in names[0..n) (no
 * condition for none) and, with known, in a name def knows; a page of
 * them when limited. */
static void column_select(in_sql *x, const in_query *q, bool not,
                          const char **names, size_t n, bool known,
                          bool limited)
{
    put(x, "SELECT `id`, NULL, `%s` FROM `%s` WHERE ", q->def->state_column,
        q->def->parent_table);
    if (n) {
        put_in(x, q, false, not, names, n);
        put_s(x, " AND ");
    }
    if (known) {
        put_in(x, q, false, false, q->names + q->nwant, q->nknown);
        put_s(x, " AND ");
    }
    put_page(x, q, "`id`", limited);
}

/*
 * The column, each condition one range of its (state, id) index: in,
 * the wanted names, then (UNION ALL) the names outside def's (which the
 * collation may still equate with one of them: judged here); the page
 * is taken from both. Not in: the others, names outside def's included
 * unless SM_UNKNOWN_STATE asks to leave them out.
 */
static void put_column(in_sql *x, const in_query *q)
{
    const char **known = q->names + q->nwant;
    if (q->f->negate) {
        column_select(x, q, true, q->names, q->nwant, q->unknown, true);
        return;
    }
    if (q->nwant) {
        put_s(x, "(");
        column_select(x, q, false, q->names, q->nwant, false, true);
        put_s(x, ") UNION ALL (");
    }
    column_select(x, q, true, known, q->nknown, false, true);
    if (!q->nwant)
        return;
    put_s(x, ") ORDER BY 1");
    if (q->f->limit) {
        put_s(x, " LIMIT ?");
        param_int(x, &x->limit, true);
    }
}

/* Build the statement of q into x (its buffers are sized by the caller;
 * judge_only: no condition on the state, too many names to bind, and
 * the limit applied here). */
static void build(in_sql *x, const in_query *q, bool judge_only)
{
    x->after = q->f->after_id;
    x->limit = (uint64_t)q->f->limit;
    if (!q->def->state_column)
        put_join(x, q, judge_only);
    else if (judge_only)
        column_select(x, q, false, NULL, 0, false, false);
    else
        put_column(x, q);
}

/* One fetched row: the parent, its latest row (NULL with a column), and
 * the state it holds. */
typedef struct in_row {
    int64_t parent, row;
    char to[1024];
    unsigned long lto;
    my_bool nrow, nto;
} in_row;

/* The parents met in a state def does not know, not asked for: how
 * many, and the first. */
typedef struct in_unknown {
    size_t n;
    int64_t parent, row;
    bool column;
    char to[256];
} in_unknown;

/* Is the fetched row a parent q lists? Unknown states not asked for
 * are noted (and not listed). */
static bool judge(const in_query *q, in_row *r, in_unknown *u)
{
    int s = q->def->initial;
    if (!r->nto) {
        r->to[r->lto < sizeof r->to ? r->lto : sizeof r->to - 1] = '\0';
        s = sm_def_state_lookup(q->def, r->to, NULL);
    }
    if (s >= 0)
        return q->want[s] != q->f->negate;
    if (q->unknown)
        return !q->f->negate;
    if (u->n++ == 0) {
        u->parent = r->parent, u->row = r->row, u->column = r->nrow;
        snprintf(u->to, sizeof u->to, "%.64s", r->to);
    }
    return false;
}

/* Bind the result columns to r. */
static void bind_row(MYSQL_BIND *b, in_row *r)
{
    b[0] = my_bind(MYSQL_TYPE_LONGLONG, &r->parent, 0);
    b[1] = my_bind(MYSQL_TYPE_LONGLONG, &r->row, 0);
    b[1].is_null = &r->nrow;
    b[2] = my_bind(MYSQL_TYPE_STRING, r->to, sizeof r->to - 1);
    b[2].length = &r->lto, b[2].is_null = &r->nto;
}

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

/* Fetch the executed st row by row in id order, listing what q asks,
 * each parent once (a corrupt history with two most_recent rows joins
 * twice, next to each other), up to f's limit. */
static sm_status fetch_ids(my_store *s, MYSQL_STMT *st, const in_query *q,
                           int64_t **ids, size_t *n, in_unknown *u)
{
    in_row *r = sm_malloc(sizeof *r);
    MYSQL_BIND b[3];
    size_t cap = 0, limit = q->f->limit;
    if (!r)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    bind_row(b, r);
    sm_status res = mysql_stmt_bind_result(st, b) == 0
                        ? SM_OK
                        : my_fail_stmt(s, st, "in_state result");
    int rc = 0;
    while (res == SM_OK && (!limit || *n < limit) &&
           ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED))
        if (judge(q, r, u) && (!*n || (*ids)[*n - 1] != r->parent) &&
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
    char where[160];
    if (u->column)
        snprintf(where, sizeof where, "in column %s", d->state_column);
    else
        snprintf(where, sizeof where, "in row %lld", (long long)u->row);
    return sm_store_fail(
        &s->base, SM_E_SCHEMA,
        "mysql: in_state: %zu %s of %s %s machine %s does not know; the "
        "first, parent %lld, has %s '%s' %s: list them with "
        "SM_UNKNOWN_STATE (smcc in-state --unknown), then declare the "
        "states (was, retired) or rewrite the rows (smcc diff --emit "
        "migration)",
        u->n, u->n == 1 ? "parent" : "parents", d->parent_table,
        u->n == 1 ? "is in a state" : "are in states", d->name ? d->name : "?",
        (long long)u->parent, u->column ? "state" : "to_state", u->to, where);
}

/* Build, prepare, bind and run q's statement; ids on success. */
static sm_status run_query(my_store *s, const in_query *q, int64_t **ids,
                           size_t *n)
{
    size_t maxp = 2 * (q->nwant + q->nknown) + 4;
    bool judge_only = maxp > MAX_PARAMS;
    in_sql x = {0};
    x.cap = 768 + 3 * maxp;
    x.b = sm_malloc(x.cap);
    x.p = sm_malloc(maxp * sizeof *x.p);
    x.lens = sm_malloc(maxp * sizeof *x.lens);
    MYSQL_STMT *st = NULL;
    sm_status r = x.b && x.p && x.lens
                      ? SM_OK
                      : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    if (r == SM_OK)
        build(&x, q, judge_only);
    if (r == SM_OK && x.o >= x.cap)
        r = sm_store_fail(&s->base, SM_E_STORE,
                          "mysql: in_state: query "
                          "too long");
    if (r == SM_OK)
        r = my_prepare(s, &st, x.b, x.o, "in_state query");
    if (r == SM_OK)
        r = my_run(s, st, x.p, "in_state query");
    in_unknown u = {0};
    if (r == SM_OK)
        r = fetch_ids(s, st, q, ids, n, &u);
    if (r == SM_OK && u.n)
        r = unknown_fail(s, q->def, &u);
    if (st)
        mysql_stmt_close(st);
    sm_free(x.b), sm_free(x.p), sm_free(x.lens);
    return r;
}

/* The vtable's in_state: libsm has checked def and the states. */
sm_status my_in_state(void *impl, const sm_def *def, const sm_store_filter *f,
                      int64_t **ids, size_t *n)
{
    my_store *s = impl;
    if (!my_def_names_ok(def, true))
        return sm_store_fail(&s->base, SM_E_ARG,
                             "mysql: in_state: machine '%s' has a missing or "
                             "unsafe table or column name",
                             def->name ? def->name : "?");
    in_query q;
    sm_status r = query_init(&q, def, f)
                      ? my_ensure(s)
                      : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    if (r == SM_OK)
        r = my_read_done(s, run_query(s, &q, ids, n));
    query_free(&q);
    return r;
}
