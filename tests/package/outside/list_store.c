/*
 * list_store.c - the linked-list store (see list_store.h).
 *
 * Every row of every parent in one list, in the order written. One
 * transaction at a time: a second begin (a hook's nested transition on
 * this store) is refused with SM_E_ARG, as the contract allows. A
 * transaction remembers where the list ended when it began, so rollback
 * cuts the rows it added and gives the latest row back its flag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list_store.h"

typedef struct row {
    sm_transition t; /* t.metadata is owned */
    char *table;
    struct row *next;
} row;

typedef struct list_tx {
    bool open;
    row **mark;       /* the list's end when the transaction began */
    row *cleared[16]; /* rows whose most_recent it cleared */
    size_t ncleared;
} list_tx;

typedef struct list_store {
    row *head, **tail;
    int64_t next_id, clock_us;
    list_tx tx;
    char err[256];
} list_store;

static sm_status fail(list_store *s, sm_status st, const char *msg,
                      int64_t parent)
{
    snprintf(s->err, sizeof s->err, "list: %s (parent %lld)", msg,
             (long long)parent);
    return st;
}

static bool same_table(const row *r, const sm_def *def)
{
    return strcmp(r->table, def->table ? def->table : "") == 0;
}

/* The latest row of parent in def's table, or NULL. */
static row *latest(list_store *s, const sm_def *def, int64_t parent)
{
    row *last = NULL;
    for (row *r = s->head; r; r = r->next)
        if (r->t.parent_id == parent && same_table(r, def))
            last = r;
    return last;
}

static void free_row(row *r)
{
    free((char *)r->t.metadata);
    free(r->table);
    free(r);
}

static void list_close(void *impl)
{
    list_store *s = impl;
    for (row *r = s->head, *n; r; r = n) {
        n = r->next;
        free_row(r);
    }
    free(s);
}

static const char *list_errmsg(void *impl, const sm_store_tx *tx)
{
    (void)tx;
    return ((list_store *)impl)->err;
}

static sm_status list_load(void *impl, sm_store_tx *tx, const sm_def *def,
                           int64_t parent, sm_rows *out)
{
    list_store *s = impl;
    (void)tx;
    for (row *r = s->head; r; r = r->next)
        if (r->t.parent_id == parent && same_table(r, def) &&
            sm_rows_push(out, &r->t) != SM_OK)
            return fail(s, SM_E_NOMEM, "out of memory", parent);
    return SM_OK;
}

static sm_status list_begin(void *impl, sm_store_tx **out)
{
    list_store *s = impl;
    *out = NULL;
    if (s->tx.open)
        return fail(s, SM_E_ARG, "one transaction at a time", 0);
    s->tx = (list_tx){true, s->tail, {0}, 0};
    *out = (sm_store_tx *)&s->tx;
    return SM_OK;
}

/* Append w's row after its prev, which must still be the latest. */
static sm_status write_one(list_store *s, sm_store_write *w)
{
    sm_transition *t = w->t;
    row *last = latest(s, w->def, t->parent_id);
    if (last ? !w->prev || w->prev->id != last->t.id : w->prev != NULL)
        return fail(s, SM_E_CONFLICT, "a newer transition exists",
                    t->parent_id);
    if (last &&
        s->tx.ncleared == sizeof s->tx.cleared / sizeof s->tx.cleared[0])
        return fail(s, SM_E_STORE, "transaction too large", t->parent_id);
    row *r = calloc(1, sizeof *r);
    char *md = r ? strdup(t->metadata) : NULL;
    char *table = md ? strdup(w->def->table ? w->def->table : "") : NULL;
    if (!table) {
        free(md), free(r);
        return fail(s, SM_E_NOMEM, "out of memory", t->parent_id);
    }
    t->id = ++s->next_id;
    t->sort_key = last ? last->t.sort_key + 10 : 10;
    t->created_at_us = ++s->clock_us;
    t->most_recent = true;
    r->t = *t, r->t.metadata = md, r->table = table;
    *s->tail = r, s->tail = &r->next;
    if (last) {
        last->t.most_recent = false;
        s->tx.cleared[s->tx.ncleared++] = last;
    }
    return SM_OK;
}

static sm_status list_insert(void *impl, sm_store_tx *tx, sm_store_write *w,
                             size_t n)
{
    sm_status st = SM_OK;
    (void)tx;
    for (size_t i = 0; i < n && st == SM_OK; i++)
        st = write_one(impl, &w[i]);
    return st;
}

static sm_status list_commit(void *impl, sm_store_tx *tx, bool *deferred)
{
    (void)tx;
    *deferred = false;
    ((list_store *)impl)->tx.open = false;
    return SM_OK;
}

static void list_rollback(void *impl, sm_store_tx *tx)
{
    list_store *s = impl;
    (void)tx;
    for (row *r = *s->tx.mark, *n; r; r = n) {
        n = r->next;
        free_row(r);
    }
    *s->tx.mark = NULL;
    s->tail = s->tx.mark;
    for (size_t i = 0; i < s->tx.ncleared; i++)
        s->tx.cleared[i]->t.most_recent = true;
    s->tx.open = false;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The state of r as def sees it: SM_UNKNOWN_STATE for an index another
 * def wrote that def does not have. */
static int state_of(const row *r, const sm_def *def)
{
    int s = r->t.to_state;
    return s >= 0 && (unsigned)s < def->nstates ? s : SM_UNKNOWN_STATE;
}

/* Parents with history whose latest row is in one of states; one in a
 * state def does not know is SM_E_SCHEMA unless states asks for it. */
static sm_status list_in_state(void *impl, const sm_def *def, const int *states,
                               size_t ns, int64_t **ids, size_t *n)
{
    list_store *s = impl;
    size_t cap = 1;
    bool unknown = false;
    for (row *r = s->head; r; r = r->next)
        cap++;
    for (size_t i = 0; i < ns; i++)
        unknown = unknown || states[i] == SM_UNKNOWN_STATE;
    *ids = sm_malloc(cap * sizeof **ids);
    if (!*ids)
        return fail(s, SM_E_NOMEM, "out of memory", 0);
    for (row *r = s->head; r; r = r->next) {
        if (!r->t.most_recent || !same_table(r, def))
            continue;
        int st = state_of(r, def);
        if (st == SM_UNKNOWN_STATE && !unknown)
            return fail(s, SM_E_SCHEMA,
                        "in_state: in a state the machine does not know; "
                        "list such parents with SM_UNKNOWN_STATE",
                        r->t.parent_id);
        for (size_t i = 0; i < ns; i++)
            if (states[i] == st)
                (*ids)[(*n)++] = r->t.parent_id;
    }
    qsort(*ids, *n, sizeof **ids, by_id);
    return SM_OK;
}

static const sm_store_ops list_ops = {
    SM_STORE_OPS_VERSION, "list", list_close,  list_errmsg, list_load,
    list_begin,           NULL,   list_insert, list_commit, list_rollback,
    list_in_state};

sm_status list_store_open(sm_store **out)
{
    list_store *s = calloc(1, sizeof *s);
    if (!s)
        return SM_E_NOMEM;
    s->tail = &s->head;
    sm_status st = sm_store_open_ops(out, &list_ops, s);
    if (st != SM_OK)
        free(s);
    return st;
}
