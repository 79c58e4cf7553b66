/*
 * floor_batch.c - the hand-written libmysqlclient loop bench_batch
 * compares libsm with (bench_batch.h): the statements of k transitions
 * of parents whose latest rows the client already knows, prepared once,
 * with nothing else around them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_batch.h"

static const char *const names[] = {"pending", "checking_out", "failed"};

/* As libsm's batches, the floor's never wait for a row lock. */
#define NOWAIT "SET STATEMENT innodb_lock_wait_timeout = 0 FOR "

/* Append k copies of unit joined by ", " to b. */
static char *rows(char *b, const char *unit, int k)
{
    for (int i = 0; i < k; i++)
        strcat(strcat(b, i ? ", " : ""), unit);
    return b;
}

/* The INSERT (RETURNING id, parent) and the UPDATE of k rows. */
static void prepare(MYSQL *c, const char *table, int k, MYSQL_STMT **ins,
                    MYSQL_STMT **up)
{
    char *b = malloc(512 + (size_t)k * 80);
    if (!b)
        exit(1);
    sprintf(b,
            "%sINSERT INTO `%s` (from_state, to_state, metadata, sort_key, "
            "order_id, most_recent, created_at, updated_at) VALUES ",
            k > 1 ? NOWAIT : "", table);
    rows(b, "(?, ?, '{}', ?, ?, NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))", k);
    *ins = bench_prep(c, strcat(b, " RETURNING id, order_id"));
    sprintf(b,
            "%sUPDATE `%s` FORCE INDEX (PRIMARY) SET updated_at = "
            "IF(most_recent = 1, UTC_TIMESTAMP(6), updated_at), "
            "most_recent = IF(id IN (",
            k > 1 ? NOWAIT : "", table);
    rows(b, "?", k);
    strcat(b, "), NULL, 1) WHERE id IN (");
    rows(b, "?", 2 * k);
    *up = bench_prep(c, strcat(b, ") ORDER BY id"));
    free(b);
}

/* One batch's parameter buffers. */
typedef struct params {
    MYSQL_BIND *ins, *up;
    unsigned long *len;
    int64_t *ids; /* the UPDATE's: k prevs (-1: none), k, then k news */
    unsigned err; /* the INSERT's error number, read with its rows */
} params;

/* Bind parents x .. x + k - 1 of p for the INSERT; sort keys advance. */
static void bind_rows(bench_parents *p, int x, int k, params *q)
{
    for (int j = 0; j < k; j++) {
        int s = p->state[x + j], to = s == 1 ? 2 : 1;
        MYSQL_BIND *b = q->ins + 4 * j;
        q->len[2 * j] = strlen(names[s]), q->len[2 * j + 1] = strlen(names[to]);
        b[0] = bench_bind(MYSQL_TYPE_STRING, (void *)names[s]);
        b[0].length = &q->len[2 * j];
        b[1] = bench_bind(MYSQL_TYPE_STRING, (void *)names[to]);
        b[1].length = &q->len[2 * j + 1];
        p->sk[x + j] += 10;
        b[2] = bench_bind(MYSQL_TYPE_LONG, &p->sk[x + j]);
        b[3] = bench_bind(MYSQL_TYPE_LONGLONG, &p->id[x + j]);
    }
}

/* Run the INSERT; the new rows' ids, by parent, into the UPDATE's. An
 * error that ends the result set early is kept in q->err (freeing the
 * result clears it). */
static int insert(MYSQL *c, MYSQL_STMT *ins, bench_parents *p, int x, int k,
                  params *q)
{
    int64_t id = 0, parent = 0;
    MYSQL_BIND r[2] = {bench_bind(MYSQL_TYPE_LONGLONG, &id),
                       bench_bind(MYSQL_TYPE_LONGLONG, &parent)};
    if (mysql_stmt_bind_param(ins, q->ins) || mysql_stmt_execute(ins) ||
        mysql_stmt_bind_result(ins, r))
        return 1;
    int got = 0, rc;
    while ((rc = mysql_stmt_fetch(ins)) == 0) {
        int j = (int)(parent - p->id[x]); /* parents x.. are consecutive */
        if (j < 0 || j >= k)
            return 1;
        q->ids[2 * k + j] = id, got++;
    }
    if (rc == 1)
        q->err = mysql_stmt_errno(ins) ? mysql_stmt_errno(ins) : mysql_errno(c);
    mysql_stmt_free_result(ins);
    return got != k;
}

/* Flip most_recent of the batch at x and commit; p learns the rows. */
static int flip(MYSQL *c, MYSQL_STMT *up, bench_parents *p, int x, int k,
                params *q)
{
    for (int j = 0; j < k; j++) {
        int64_t prev = p->prev[x + j], id = q->ids[2 * k + j];
        q->ids[j] = prev ? prev : -1;
        q->ids[k + j] = prev ? prev : id;
        p->prev[x + j] = id;
        p->state[x + j] = p->state[x + j] == 1 ? 2 : 1;
    }
    for (int i = 0; i < 3 * k; i++)
        q->up[i] = bench_bind(MYSQL_TYPE_LONGLONG, &q->ids[i]);
    return mysql_stmt_bind_param(up, q->up) || mysql_stmt_execute(up) ||
           mysql_commit(c);
}

/* The batch at x, written again after a lock it met (1205) or a
 * deadlock (1213): rolled back, p as it was before. */
static int one_batch(MYSQL *c, MYSQL_STMT *ins, MYSQL_STMT *up,
                     bench_parents *p, int x, int k, params *q, long *retries)
{
    for (int tries = 0; tries < 100; tries++) {
        int32_t sk[k];
        int64_t prev[k];
        int state[k];
        memcpy(sk, p->sk + x, sizeof sk);
        memcpy(prev, p->prev + x, sizeof prev);
        memcpy(state, p->state + x, sizeof state);
        bind_rows(p, x, k, q);
        q->err = 0;
        if (!insert(c, ins, p, x, k, q) && !flip(c, up, p, x, k, q))
            return 0;
        unsigned e = q->err                  ? q->err
                     : mysql_stmt_errno(ins) ? mysql_stmt_errno(ins)
                     : mysql_stmt_errno(up)  ? mysql_stmt_errno(up)
                                             : mysql_errno(c);
        if (e != 1205 && e != 1213) {
            fprintf(stderr, "floor: error %u\n", e);
            return 1;
        }
        mysql_rollback(c);
        memcpy(p->sk + x, sk, sizeof sk);
        memcpy(p->prev + x, prev, sizeof prev);
        memcpy(p->state + x, state, sizeof state);
        ++*retries;
    }
    return 1;
}

int bench_floor_batch(const char *url, const char *table, bench_parents *p,
                      int total, int k, long *retries, void (*sync)(void *),
                      void *ctx)
{
    MYSQL *c = bench_connect(url);
    mysql_autocommit(c, 0);
    MYSQL_STMT *ins, *up;
    prepare(c, table, k, &ins, &up);
    params q = {calloc((size_t)k * 4, sizeof *q.ins),
                calloc((size_t)k * 3, sizeof *q.up),
                calloc((size_t)k * 2, sizeof *q.len),
                calloc((size_t)k * 3, sizeof *q.ids), 0};
    if (!q.ins || !q.up || !q.len || !q.ids)
        return 1;
    sync(ctx);
    int rc = 0;
    for (int i = 0; i < total && !rc; i += k)
        rc = one_batch(c, ins, up, p, i % p->n, k, &q, retries);
    if (rc)
        fprintf(stderr, "floor: %s\n", mysql_error(c));
    free(q.ins), free(q.up), free(q.len), free(q.ids);
    mysql_stmt_close(ins);
    mysql_stmt_close(up);
    mysql_close(c);
    return rc;
}
