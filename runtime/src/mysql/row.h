/*
 * row.h - executing the store's prepared statements on one row.
 *
 * Binding parameters and results is here; the order of statements (the
 * gap-lock mode) is decided in store.c.
 */
#ifndef SM_MYSQL_ROW_H
#define SM_MYSQL_ROW_H

#include "priv.h"

/* A bind of type ty over buf (len bytes). */
MYSQL_BIND my_bind(enum enum_field_types ty, void *buf, unsigned long len);
/* A string parameter of *len bytes (set here); NULL binds SQL NULL. */
MYSQL_BIND my_bind_str(const char *v, unsigned long *len);
/* Microseconds since the epoch as a UTC MYSQL_TIME. */
void my_time(int64_t us, MYSQL_TIME *m);
/* Bind p to st and execute it; my_fail_stmt naming what on error. */
sm_status my_run(my_store *s, MYSQL_STMT *st, MYSQL_BIND *p, const char *what);
/* def's name of state, NULL when out of range (-1: unknown). */
const char *my_state_name(const sm_def *def, int state);

/* The rows of parent the read st selects into out, names mapped to
 * indexes via def: its latest (pg NULL) or pg's page. */
sm_status my_row_load(my_store *s, MYSQL_STMT *st, const sm_def *def,
                      int64_t parent, const sm_store_page *pg, sm_rows *out);
/* SM_E_SCHEMA: row's column holds name, a state def does not know; the
 * message says how to fix it. */
sm_status my_row_unknown(my_store *s, const sm_def *def, int64_t row,
                         const char *column, const char *name);
/* The first 7 parameters of t's INSERT into p (3 lengths in l): the
 * columns of MY_INSERT_COLUMNS but most_recent, which comes last. */
void my_bind_row(MYSQL_BIND *p, unsigned long *l, const sm_def *def,
                 sm_transition *t, MYSQL_TIME *at);
/* Insert t (most_recent 1 if mr, else NULL), created and updated at
 * `at` (t->created_at_us, converted once for both statements); sets
 * t->id. */
sm_status my_row_insert(my_store *s, MYSQL_STMT *st, const sm_def *def,
                        sm_transition *t, bool mr, MYSQL_TIME *at);
/* The mode's most_recent UPDATE, updated at `at`; pk: a stale prev is
 * SM_E_CONFLICT. */
sm_status my_row_flip(my_store *s, MYSQL_STMT *st, const sm_transition *t,
                      const sm_transition *prev, MYSQL_TIME *at);
/* Set t's parent's state column to t's to_state, by primary key;
 * *changed when a row changed (not when it held that state already). */
sm_status my_row_state(my_store *s, MYSQL_STMT *st, const sm_def *def,
                       const sm_transition *t, bool *changed);
/* *found when the parent row `id` exists (a plain read, no lock). */
sm_status my_row_exists(my_store *s, MYSQL_STMT *st, int64_t id, bool *found);
/* SELECT def's parent row FOR UPDATE. */
sm_status my_row_lock_parent(my_store *s, MYSQL_STMT *st, const sm_def *def,
                             int64_t parent);
/* The id of parent's latest row into *id (0: no history). */
sm_status my_row_latest(my_store *s, MYSQL_STMT *st, int64_t parent,
                        int64_t *id);

#endif
