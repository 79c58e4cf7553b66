/*
 * contract_mysql.c - the store contract suite, unchanged, on MariaDB.
 *
 * setup recreates the contract's tables; parents count up from 1.
 */
#include <stdio.h>
#include <string.h>

#include "contract.h"
#include "tlamp.h"
#include "mtest.h"

/* Recreate the order and lamp tables through sm_mysql_create_schema. */
static int setup(void *ctx)
{
    (void)ctx;
    MYSQL *c = mt_connect();
    mt_exec(c, "DROP TABLE IF EXISTS order_transitions");
    mt_exec(c, "DROP TABLE IF EXISTS lamp_transitions");
    mysql_close(c);
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

int main(void)
{
    sm_contract_hooks h = {setup, NULL, NULL};
    return sm_contract_run(mt_url(), &h) ? 1 : 0;
}
