/*
 * priv.h - the MySQL store's private state, shared by its source files.
 *
 * One my_store per connection; prepared statements are cached per def
 * (by pointer) and re-prepared after a reconnect.
 */
#ifndef SM_MYSQL_PRIV_H
#define SM_MYSQL_PRIV_H

#include <mysql.h>

#include "../store_priv.h"
#include "open.h"

/* The statements of one def, each prepared on its first use. */
typedef enum my_slot {
    MY_LATEST,       /* the parent's most_recent row */
    MY_PAGE,         /* its rows after a sort_key, ascending */
    MY_PAGE_DESC,    /* its rows before a sort_key, descending */
    MY_PAGE_TO,      /* MY_PAGE of one to_state */
    MY_PAGE_DESC_TO, /* MY_PAGE_DESC of one to_state */
    MY_INSERT,       /* the new row */
    MY_FLIP,         /* most_recent update of the chosen mode */
    MY_LOCK,         /* parent row FOR UPDATE (lock_parent) */
    MY_LATEST_ID,    /* the parent's latest row id, after the lock */
    MY_STATE,        /* the parent's state column, by primary key */
    MY_PARENT,       /* does the parent row exist */
    MY_NSLOTS
} my_slot;

/* The columns an INSERT of a transition names, parent column as %s
 * (row.c's my_bind_row binds them, in this order). */
#define MY_INSERT_COLUMNS                                                      \
    "`from_state`, `to_state`, `metadata`, `sort_key`, `%s`, `created_at`, "   \
    "`updated_at`, `most_recent`"

/* A batch chunk's statements for one row count (batch_stmt.c). */
typedef struct my_sized {
    size_t rows;
    MYSQL_STMT *insert; /* the rows, RETURNING id and parent */
    MYSQL_STMT *flip;   /* most_recent of their prevs and of them, pk */
    MYSQL_STMT *lock;   /* their parents FOR UPDATE (lock_parent) */
    MYSQL_STMT *latest; /* their parents' latest ids (lock_parent) */
    MYSQL_STMT *state;  /* their parents' state column (pk, state_column) */
    struct my_sized *next;
} my_sized;

/* The statements of one def on one connection. */
typedef struct my_stmts {
    const sm_def *def;
    MYSQL_STMT *v[MY_NSLOTS]; /* NULL until first used */
    my_sized *sized;          /* batch chunks by row count, most recent first */
    struct my_stmts *next;
} my_stmts;

/* The connection's one transaction: the handle begin returns. */
typedef struct my_tx {
    bool open;      /* begun and not yet committed or rolled back */
    bool savepoint; /* a SAVEPOINT in the caller's transaction */
    bool holds;     /* it wrote or locked: a lost connection lost that */
    bool locked;    /* lock_parent: the lock op already locked */
} my_tx;

typedef struct my_store {
    sm_backend base; /* the message the errmsg op returns */
    MYSQL *conn;
    bool owned;          /* we opened conn, so we close and reconnect it */
    bool lost;           /* the connection died; reconnect before use */
    bool cluster;        /* the server is a connected Galera node */
    long long deadlocks; /* its Innodb_deadlocks when last read */
    size_t host;         /* index in url.hosts of the connected host */
    bool reading;        /* a read left its transaction open (no write) */
    my_tx tx;
    sm_mysql_url url;
    my_stmts *cache;
    unsigned last_err;       /* the server's or client's number of my_fail's */
    size_t max_packet;       /* the server's max_allowed_packet; 0: not read */
    bool returning;          /* ... and whether it has INSERT ... RETURNING */
    struct my_table *tables; /* checked by my_schema_check */
} my_store;

extern const sm_store_ops sm_mysql_ops;

/* Map a server/client error number to a status; set the message. */
sm_status my_fail(my_store *s, unsigned err, const char *msg, const char *what);
/* my_fail from the connection's / statement's last error. */
sm_status my_fail_conn(my_store *s, const char *what);
sm_status my_fail_stmt(my_store *s, MYSQL_STMT *st, const char *what);

/* Read the server's deadlock counter and whether it is a Galera node,
 * so a later 1213 can be told apart (errors.c). */
void my_probe(my_store *s);

/* Run one statement without parameters (transaction control). */
sm_status my_exec(my_store *s, const char *sql);

/* Reconnect (owned connections only) if the connection was lost. */
sm_status my_ensure(my_store *s);

/* Prepare sql (len bytes) into *out; on failure *out is NULL and the
 * message names what. */
sm_status my_prepare(my_store *s, MYSQL_STMT **out, const char *sql, size_t len,
                     const char *what);
/* The statements of def (their cache entry, after checking def). */
sm_status my_stmts_get(my_store *s, const sm_def *def, my_stmts **out);
/* Statement `slot` of def, prepared on first use. */
sm_status my_stmt(my_store *s, const sm_def *def, my_slot slot,
                  MYSQL_STMT **out);
/* Close every cached statement. */
void my_stmts_free(my_store *s);

/* The cached statements of a batch chunk of `rows` rows of k's def. */
sm_status my_sized_get(my_store *s, my_stmts *k, size_t rows, my_sized **out);
/* Close every statement of the list z and free it. */
void my_sized_free(my_sized *z);
/* A plain read of which of `rows` parents of d have their row, in *out
 * (not kept: the caller closes it). */
sm_status my_batch_parents(my_store *s, const sm_def *d, size_t rows,
                           MYSQL_STMT **out);

/*
 * A batch's rows, sorted by table and parent as libsm sends them
 * (batch.c). server reads max_allowed_packet and RETURNING support once
 * per connection; lock locks every parent (lock_parent=1) and names the
 * stale rows; insert writes them in pk mode on a server with RETURNING.
 */
sm_status my_batch_server(my_store *s);
sm_status my_batch_lock(my_store *s, sm_store_write *w, size_t n);
sm_status my_batch_insert(my_store *s, sm_store_write *w, size_t n);
/* Check, once per connection, that def's table keeps the invariants:
 * SM_E_STORE naming what it lacks and the ALTER TABLE that fixes it. */
sm_status my_schema_check(my_store *s, const sm_def *def);
/* Forget the checked tables (a new connection checks them again). */
void my_schema_forget(my_store *s);

/* UTC now in microseconds: the created_at of the rows written. */
int64_t my_now_us(void);

/* End the transaction reads opened (own connection, no write open). */
sm_status my_end_read(my_store *s);
/* After a read that returned st: end its read view whether or not it
 * failed (a failure must not leave the next read in its snapshot),
 * keeping the failure's message; st, or the COMMIT's failure. */
sm_status my_read_done(my_store *s, sm_status st);
/* A zeroed store, not connected; NULL when out of memory. */
my_store *my_store_new(void);
/* The vtable's close. */
void my_close(void *impl);
/* The vtable's in_state (in_state.c). */
sm_status my_in_state(void *impl, const sm_def *def, const sm_store_filter *f,
                      int64_t **ids, size_t *n);

/* sm_store_scan on s (scan.c). */
struct sm_scan_row;
sm_status my_scan(my_store *s, const sm_def *def,
                  sm_status (*fn)(void *ctx, const struct sm_scan_row *row),
                  void *ctx);

/* True when name is a non-empty [A-Za-z0-9_]+ identifier. */
bool my_ident_ok(const char *name);
/* True when d's table, parent key, state column (if any) and, with
 * parent, parent table are such identifiers. */
bool my_def_names_ok(const sm_def *d, bool parent);

#endif
