/*
 * row.c - parameter and result binding for the store's statements.
 *
 * Values only ever travel as parameters. Timestamps are UTC with
 * microseconds, computed here, so created_at equals the row we return.
 */
#define _DEFAULT_SOURCE /* timegm */
#include <mysqld_error.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../rows.h"
#include "row.h"

MYSQL_BIND my_bind(enum enum_field_types ty, void *buf, unsigned long len)
{
    MYSQL_BIND b;
    memset(&b, 0, sizeof b);
    b.buffer_type = ty;
    b.buffer = buf;
    b.buffer_length = len;
    return b;
}

MYSQL_BIND my_bind_str(const char *v, unsigned long *len)
{
    MYSQL_BIND b =
        my_bind(v ? MYSQL_TYPE_STRING : MYSQL_TYPE_NULL, (void *)v, 0);
    *len = v ? (unsigned long)strlen(v) : 0;
    b.length = len;
    return b;
}

void my_time(int64_t us, MYSQL_TIME *m)
{
    time_t sec = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&sec, &tm);
    memset(m, 0, sizeof *m);
    m->year = (unsigned)tm.tm_year + 1900;
    m->month = (unsigned)tm.tm_mon + 1;
    m->day = (unsigned)tm.tm_mday;
    m->hour = (unsigned)tm.tm_hour;
    m->minute = (unsigned)tm.tm_min;
    m->second = (unsigned)tm.tm_sec;
    m->second_part = (unsigned long)(us % 1000000);
    m->time_type = MYSQL_TIMESTAMP_DATETIME;
}

static int64_t from_time(const MYSQL_TIME *m)
{
    struct tm tm = {0};
    tm.tm_year = (int)m->year - 1900;
    tm.tm_mon = (int)m->month - 1;
    tm.tm_mday = (int)m->day;
    tm.tm_hour = (int)m->hour;
    tm.tm_min = (int)m->minute;
    tm.tm_sec = (int)m->second;
    return (int64_t)timegm(&tm) * 1000000 + (int64_t)m->second_part;
}

/* Execute st with params p; my_fail on error. */
sm_status my_run(my_store *s, MYSQL_STMT *st, MYSQL_BIND *p, const char *what)
{
    if (mysql_stmt_bind_param(st, p) != 0 || mysql_stmt_execute(st) != 0)
        return my_fail_stmt(s, st, what);
    return SM_OK;
}

const char *my_state_name(const sm_def *def, int state)
{
    return state >= 0 && (uint32_t)state < def->nstates
               ? def->state_names[state]
               : NULL;
}

/*
 * The INSERT of t failed with the server's error err: the foreign key
 * (no parent row) and the CHECK (a state the table does not list) get
 * a message saying what to do; anything else is the server's.
 */
static sm_status insert_failed(my_store *s, MYSQL_STMT *st, const sm_def *def,
                               const sm_transition *t)
{
    unsigned err = mysql_stmt_errno(st);
    if (err == ER_NO_REFERENCED_ROW_2 || err == ER_NO_REFERENCED_ROW)
        return sm_store_fail(&s->base, SM_E_STORE,
                             "mysql: no row with id %lld in %s: the "
                             "foreign key of %s refuses the transition",
                             (long long)t->parent_id, def->parent_table,
                             def->table);
    if (err == ER_CONSTRAINT_FAILED)
        return sm_store_fail(&s->base, SM_E_STORE,
                             "mysql: the CHECK of %s refuses state '%s': "
                             "the table lists another version's states "
                             "(run smcc diff --emit migration OLD.sm NEW.sm)",
                             def->table, def->state_names[t->to_state]);
    return my_fail_stmt(s, st, "INSERT transition");
}

void my_bind_row(MYSQL_BIND *p, unsigned long *l, const sm_def *def,
                 sm_transition *t, MYSQL_TIME *at)
{
    p[0] = my_bind_str(my_state_name(def, t->from_state), &l[0]);
    p[1] = my_bind_str(my_state_name(def, t->to_state), &l[1]);
    p[2] = my_bind_str(t->metadata ? t->metadata : "{}", &l[2]);
    p[3] = my_bind(MYSQL_TYPE_LONG, &t->sort_key, 0);
    p[4] = my_bind(MYSQL_TYPE_LONGLONG, &t->parent_id, 0);
    p[5] = my_bind(MYSQL_TYPE_DATETIME, at, sizeof *at);
    p[6] = my_bind(MYSQL_TYPE_DATETIME, at, sizeof *at);
}

sm_status my_row_insert(my_store *s, MYSQL_STMT *st, const sm_def *def,
                        sm_transition *t, bool mr, MYSQL_TIME *at)
{
    if (!my_state_name(def, t->to_state))
        return sm_store_fail(&s->base, SM_E_ARG, "mysql: bad state index");
    unsigned long l[3];
    signed char one = 1;
    MYSQL_BIND p[8];
    my_bind_row(p, l, def, t, at);
    p[7] = my_bind(mr ? MYSQL_TYPE_TINY : MYSQL_TYPE_NULL, &one, 0);
    if (mysql_stmt_bind_param(st, p) != 0)
        return my_fail_stmt(s, st, "INSERT transition");
    if (mysql_stmt_execute(st) != 0)
        return insert_failed(s, st, def, t);
    t->id = (int64_t)mysql_stmt_insert_id(st);
    return SM_OK;
}

sm_status my_row_flip(my_store *s, MYSQL_STMT *st, const sm_transition *t,
                      const sm_transition *prev, MYSQL_TIME *at)
{
    int64_t id = t->id, parent = t->parent_id;
    int64_t pid = prev ? prev->id : t->id;
    MYSQL_BIND ti = my_bind(MYSQL_TYPE_DATETIME, at, sizeof *at);
    MYSQL_BIND bid = my_bind(MYSQL_TYPE_LONGLONG, &id, 0);
    MYSQL_BIND bpa = my_bind(MYSQL_TYPE_LONGLONG, &parent, 0);
    MYSQL_BIND bpr = my_bind(MYSQL_TYPE_LONGLONG, &pid, 0);
    MYSQL_BIND none[] = {ti, bpa}, sm[] = {bid, ti, bid, bpa, bid},
               pk[] = {bid, ti, bid, bpr, bid};
    MYSQL_BIND *p = s->url.gaplock == SM_GAPLOCK_NONE        ? none
                    : s->url.gaplock == SM_GAPLOCK_STATESMAN ? sm
                                                             : pk;
    sm_status r = my_run(s, st, p, "UPDATE most_recent");
    if (r != SM_OK || s->url.gaplock != SM_GAPLOCK_PK)
        return r;
    if (mysql_stmt_affected_rows(st) != (prev ? 2u : 1u))
        return sm_store_fail(&s->base, SM_E_CONFLICT,
                             "mysql: transition "
                             "%lld is no longer the most recent of parent "
                             "%lld",
                             (long long)pid, (long long)parent);
    return SM_OK;
}

sm_status my_row_state(my_store *s, MYSQL_STMT *st, const sm_def *def,
                       const sm_transition *t, bool *changed)
{
    unsigned long len;
    int64_t parent = t->parent_id;
    MYSQL_BIND p[2] = {my_bind_str(def->state_names[t->to_state], &len),
                       my_bind(MYSQL_TYPE_LONGLONG, &parent, 0)};
    sm_status r = my_run(s, st, p, "UPDATE state column");
    *changed = r == SM_OK && mysql_stmt_affected_rows(st) == 1;
    return r;
}

sm_status my_row_exists(my_store *s, MYSQL_STMT *st, int64_t id, bool *found)
{
    MYSQL_BIND p = my_bind(MYSQL_TYPE_LONGLONG, &id, 0);
    sm_status r = my_run(s, st, &p, "parent row");
    if (r == SM_OK && mysql_stmt_store_result(st) != 0)
        r = my_fail_stmt(s, st, "parent row");
    *found = r == SM_OK && mysql_stmt_num_rows(st) > 0;
    mysql_stmt_free_result(st);
    return r;
}

/*
 * Lock the parent row. A missing row is an error: the locking read
 * would otherwise take a gap lock, the very thing the pk mode avoids,
 * and serialise nothing.
 */
sm_status my_row_lock_parent(my_store *s, MYSQL_STMT *st, const sm_def *def,
                             int64_t parent)
{
    MYSQL_BIND p = my_bind(MYSQL_TYPE_LONGLONG, &parent, 0);
    sm_status r = my_run(s, st, &p, "lock parent");
    if (r == SM_OK && mysql_stmt_store_result(st) != 0)
        r = my_fail_stmt(s, st, "lock parent");
    else if (r == SM_OK && mysql_stmt_num_rows(st) == 0)
        r = sm_store_fail(&s->base, SM_E_STORE,
                          "mysql: lock parent: no "
                          "row with id %lld in %s",
                          (long long)parent, def->parent_table);
    mysql_stmt_free_result(st);
    return r;
}

/*
 * A consistent read: once the parent lock is granted, it sees every
 * writer that held the lock before (a read view starts at the first
 * consistent read of the transaction, and the lock is a locking read),
 * and it takes no lock, so no gap lock.
 */
sm_status my_row_latest(my_store *s, MYSQL_STMT *st, int64_t parent,
                        int64_t *id)
{
    MYSQL_BIND p = my_bind(MYSQL_TYPE_LONGLONG, &parent, 0);
    MYSQL_BIND r = my_bind(MYSQL_TYPE_LONGLONG, id, 0);
    *id = 0;
    sm_status res = my_run(s, st, &p, "latest transition");
    if (res == SM_OK && (mysql_stmt_bind_result(st, &r) != 0 ||
                         mysql_stmt_store_result(st) != 0))
        res = my_fail_stmt(s, st, "latest transition");
    if (res == SM_OK && mysql_stmt_fetch(st) == 1)
        res = my_fail_stmt(s, st, "latest transition");
    mysql_stmt_free_result(st);
    return res;
}

/* One fetched row's buffers. */
typedef struct fetched {
    int64_t id;
    char from[1024], to[1024], md[1024];
    unsigned long lfrom, lto, lmd;
    my_bool nfrom, nmd, nmr;
    int32_t sk;
    signed char mr;
    MYSQL_TIME at;
} fetched;

/* Bind the result columns of the load statement to f. */
static void bind_result(MYSQL_BIND *r, fetched *f)
{
    memset(r, 0, 7 * sizeof *r);
    r[0] = my_bind(MYSQL_TYPE_LONGLONG, &f->id, 0);
    r[1] = my_bind(MYSQL_TYPE_STRING, f->from, sizeof f->from - 1);
    r[1].length = &f->lfrom, r[1].is_null = &f->nfrom;
    r[2] = my_bind(MYSQL_TYPE_STRING, f->to, sizeof f->to - 1);
    r[2].length = &f->lto;
    r[3] = my_bind(MYSQL_TYPE_STRING, f->md, sizeof f->md - 1);
    r[3].length = &f->lmd, r[3].is_null = &f->nmd;
    r[4] = my_bind(MYSQL_TYPE_LONG, &f->sk, 0);
    r[5] = my_bind(MYSQL_TYPE_TINY, &f->mr, 0);
    r[5].is_null = &f->nmr;
    r[6] = my_bind(MYSQL_TYPE_DATETIME, &f->at, sizeof f->at);
}

/* The metadata text of the current row (fetching it whole if long). */
static char *metadata(MYSQL_STMT *st, fetched *f)
{
    if (f->nmd)
        return sm_strdup("{}");
    char *m = sm_malloc(f->lmd + 1);
    if (!m || f->lmd < sizeof f->md) {
        if (m)
            memcpy(m, f->md, f->lmd), m[f->lmd] = '\0';
        return m;
    }
    MYSQL_BIND b = my_bind(MYSQL_TYPE_STRING, m, f->lmd);
    if (mysql_stmt_fetch_column(st, &b, 3, 0) != 0) {
        sm_free(m);
        return NULL;
    }
    m[f->lmd] = '\0';
    return m;
}

sm_status my_row_unknown(my_store *s, const sm_def *def, int64_t row,
                         const char *column, const char *name)
{
    return sm_store_fail(&s->base, SM_E_SCHEMA,
                         "mysql: row %lld of %s has %s '%.64s', which "
                         "machine %s does not know: declare it in the .sm "
                         "file (state NEW was %.64s; or retired state "
                         "%.64s;) or rewrite the rows (smcc diff --emit "
                         "migration)",
                         (long long)row, def->table, column, name,
                         def->name ? def->name : "?", name, name);
}

/* Convert the fetched row and push it onto out. */
static sm_status push(my_store *s, MYSQL_STMT *st, const sm_def *def,
                      fetched *f, int64_t parent, sm_rows *out)
{
    f->from[f->nfrom ? 0 : f->lfrom] = '\0';
    f->to[f->lto < sizeof f->to ? f->lto : sizeof f->to - 1] = '\0';
    sm_transition t = {f->id,
                       parent,
                       -1,
                       -1,
                       NULL,
                       f->sk,
                       !f->nmr && f->mr == 1,
                       from_time(&f->at),
                       NULL,
                       NULL};
    t.to_state = sm_def_state_lookup(def, f->to, &t.to_was);
    if (!f->nfrom)
        t.from_state = sm_def_state_lookup(def, f->from, &t.from_was);
    if (t.to_state < 0)
        return my_row_unknown(s, def, f->id, "to_state", f->to);
    if (!f->nfrom && t.from_state < 0)
        return my_row_unknown(s, def, f->id, "from_state", f->from);
    char *md = metadata(st, f);
    if (!md)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    t.metadata = md;
    sm_status r = sm_rows_push(out, &t);
    sm_free(md);
    return r;
}

/* The parameter values of a read, which its binds point into. */
typedef struct read_args {
    int64_t parent, after;
    uint64_t limit;
    char *names; /* state's names for FIND_IN_SET, or NULL */
    unsigned long len;
} read_args;

/* "name,old1,old2": state's name and its old (`was`) names, which rows
 * may still hold, with sm_malloc; NULL when out of memory. */
static char *state_names(const sm_def *def, int state)
{
    size_t n = strlen(def->state_names[state]) + 1;
    for (uint32_t a = 0; def->alias_states && a < def->naliases; a++)
        if (def->alias_states[a] == state)
            n += strlen(def->alias_names[a]) + 1;
    char *v = sm_malloc(n);
    if (!v)
        return NULL;
    size_t o = (size_t)snprintf(v, n, "%s", def->state_names[state]);
    for (uint32_t a = 0; def->alias_states && a < def->naliases; a++)
        if (def->alias_states[a] == state)
            o += (size_t)snprintf(v + o, n - o, ",%s", def->alias_names[a]);
    return v;
}

/* Bind the parameters of a read: the parent alone (latest, pg NULL), or
 * pg's: the parent, [the state's names,] the sort_key bound and the
 * limit. False when out of memory. */
static bool bind_read(MYSQL_BIND *p, read_args *a, const sm_def *def,
                      const sm_store_page *pg)
{
    unsigned n = 0;
    p[n++] = my_bind(MYSQL_TYPE_LONGLONG, &a->parent, 0);
    if (!pg)
        return true;
    if (pg->to_state >= 0) {
        if (!(a->names = state_names(def, pg->to_state)))
            return false;
        p[n++] = my_bind_str(a->names, &a->len);
    }
    a->after = pg->after;
    a->limit = pg->limit ? (uint64_t)pg->limit : UINT64_MAX;
    p[n++] = my_bind(MYSQL_TYPE_LONGLONG, &a->after, 0);
    p[n] = my_bind(MYSQL_TYPE_LONGLONG, &a->limit, 0);
    p[n].is_unsigned = 1;
    return true;
}

sm_status my_row_load(my_store *s, MYSQL_STMT *st, const sm_def *def,
                      int64_t parent, const sm_store_page *pg, sm_rows *out)
{
    fetched *f = sm_malloc(sizeof *f);
    if (!f)
        return sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    MYSQL_BIND p[4], r[7];
    read_args a = {parent, 0, 0, NULL, 0};
    sm_status res =
        bind_read(p, &a, def, pg)
            ? my_run(s, st, p, pg ? "SELECT history" : "SELECT latest")
            : sm_store_fail(&s->base, SM_E_NOMEM, "out of memory");
    bind_result(r, f);
    if (res == SM_OK && mysql_stmt_bind_result(st, r) != 0)
        res = my_fail_stmt(s, st, "bind result");
    int rc = 0;
    while (res == SM_OK &&
           ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED))
        res = push(s, st, def, f, parent, out);
    if (res == SM_OK && rc == 1)
        res = my_fail_stmt(s, st, "fetch history");
    mysql_stmt_free_result(st);
    sm_free(a.names);
    sm_free(f);
    return res;
}
