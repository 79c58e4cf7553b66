/*
 * mtest.c - helpers shared by the MySQL tests.
 *
 * They exit(1) on setup failures, so a test without its server fails
 * loudly instead of skipping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ddl/ddl.h"
#include "mtest.h"
#include "open.h"

const char *mt_url(void)
{
    const char *u = getenv("SM_TEST_MYSQL_URL");
    if (!u || !*u) {
        fprintf(stderr, "SM_TEST_MYSQL_URL is not set: run "
                        "eval \"$(scripts/mariadb start)\" first\n");
        exit(1);
    }
    return u;
}

const char *mt_url_with(const char *opts)
{
    static char b[1024];
    const char *u = mt_url();
    snprintf(b, sizeof b, "%s%s%s", u, strchr(u, '?') ? "&" : "?", opts);
    return b;
}

MYSQL *mt_connect(void)
{
    return mt_connect_url(mt_url());
}

MYSQL *mt_connect_url(const char *url)
{
    char err[512];
    MYSQL *c = sm_mysql_connect_url(url, err, sizeof err);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    return c;
}

void mt_exec(MYSQL *c, const char *sql)
{
    if (mysql_query(c, sql) != 0) {
        fprintf(stderr, "%s: %s\n", sql, mysql_error(c));
        exit(1);
    }
}

int64_t mt_scalar(MYSQL *c, const char *sql)
{
    mt_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
    int64_t v = row && row[0] ? strtoll(row[0], NULL, 10) : -1;
    mysql_free_result(r);
    return v;
}

sm_def mt_table(MYSQL *c, const sm_def *base, const char *table,
                const char *parent_table)
{
    char sql[2048];
    sm_def d = *base;
    d.table = table;
    d.parent_table = parent_table;
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`", table);
    mt_exec(c, sql);
    sm_ddl_format(sql, sizeof sql, table, d.parent_key);
    mt_exec(c, sql);
    return d;
}

sm_def mt_def(MYSQL *c, const char *table, const char *parent_table)
{
    return mt_table(c, &tdef_order, table, parent_table);
}
