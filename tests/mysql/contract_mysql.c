/*
 * contract_mysql.c - the store contract suite, unchanged, on MariaDB.
 *
 * setup recreates the contract's tables (order, lamp) and the order's
 * parent table `orders`; each fresh parent is a new row of `orders`,
 * counting up from 1.
 */
#include <stdio.h>
#include <string.h>

#include "contract.h"
#include "mtest.h"
#include "tlamp.h"

static MYSQL *g_raw;

/* Recreate the order and lamp tables through sm_mysql_create_schema. */
static int setup(void *ctx)
{
    (void)ctx;
    g_raw = mt_connect();
    mt_exec(g_raw, "DROP TABLE IF EXISTS order_transitions");
    mt_exec(g_raw, "DROP TABLE IF EXISTS lamp_transitions");
    mt_exec(g_raw, "DROP TABLE IF EXISTS orders");
    mt_exec(g_raw, "CREATE TABLE orders (id BIGINT PRIMARY KEY)");
    sm_store *s = NULL;
    sm_status st = sm_store_open(&s, mt_url());
    if (st == SM_OK)
        st = sm_mysql_create_schema(s, &tdef_order);
    if (st == SM_OK)
        st = sm_mysql_create_schema(s, &tdef_lamp);
    if (st != SM_OK)
        fprintf(stderr, "setup: %s\n", sm_store_errmsg(s));
    sm_store_close(s);
    return st == SM_OK ? 0 : 1;
}

/* The next parent id, with its row in `orders`. */
static int64_t fresh_parent(void *ctx)
{
    static int64_t next;
    char sql[96];
    (void)ctx;
    snprintf(sql, sizeof sql, "INSERT INTO orders VALUES (%lld)",
             (long long)++next);
    mt_exec(g_raw, sql);
    return next;
}

int main(void)
{
    sm_contract_hooks h = {.setup = setup, .fresh_parent = fresh_parent};
    int failed = sm_contract_run(mt_url(), &h);
    mysql_close(g_raw);
    return failed ? 1 : 0;
}
