/*
 * invariants.c - the table invariants of invariants.h, as cmocka
 * assertions over the parent key order_id of the order machine's
 * tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "invariants.h"

void inv_check_chain(MYSQL *c, const sm_def *d, const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT order_id, sort_key, from_state, to_state FROM %s "
             "ORDER BY order_id, sort_key",
             table);
    mt_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row;
    long long parent = -1, want_sk = 10;
    int from = d->initial;
    while ((row = mysql_fetch_row(r))) {
        if (atoll(row[0]) != parent)
            parent = atoll(row[0]), want_sk = 10, from = d->initial;
        int to = sm_def_state_index(d, row[3]);
        assert_int_equal(atoll(row[1]), want_sk);
        assert_string_equal(row[2], d->state_names[from]);
        assert_true(sm_def_allows(d, from, to));
        from = to, want_sk += 10;
    }
    mysql_free_result(r);
}

void inv_check_most_recent(MYSQL *c, const char *table)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM (SELECT order_id, "
             "MAX(sort_key) mx, SUM(most_recent = 1) n, MAX(IF(most_recent "
             "= 1, sort_key, NULL)) mr FROM %s GROUP BY order_id) x WHERE "
             "n <> 1 OR mr <> mx",
             table);
    assert_int_equal(mt_scalar(c, sql), 0);
}

sm_store *inv_worker_store(const char *url, const char *opts, int w,
                           MYSQL **raw)
{
    sm_store *s = NULL;
    *raw = w % 2 ? mt_connect() : NULL;
    sm_status st =
        *raw ? sm_mysql_wrap(&s, *raw, opts) : sm_store_open(&s, url);
    if (st != SM_OK) {
        fprintf(stderr, "worker %d: %s\n", w, sm_store_errmsg(s));
        exit(2);
    }
    return s;
}

void inv_close_raw(MYSQL *raw)
{
    if (!raw)
        return;
    /* @@in_transaction, not information_schema.innodb_trx: InnoDB
     * refreshes that table's cache at most every 100 ms, so it may still
     * list the transaction the worker has just committed. */
    bool flag = raw->server_status & SERVER_STATUS_IN_TRANS;
    if (flag || mt_scalar(raw, "SELECT @@in_transaction") != 0) {
        fprintf(stderr, "worker: a transaction is left open (%s)\n",
                flag ? "the client's flag" : "the server's view");
        exit(6);
    }
    mysql_close(raw);
}
