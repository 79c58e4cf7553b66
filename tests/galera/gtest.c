/*
 * gtest.c - the Galera tests' cluster helpers. Like mtest.c they exit
 * on setup failures, so a missing cluster fails the test loudly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gtest.h"
#include "open.h"

/* The environment variable name, or exit 1 naming it. */
static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr,
                "%s is not set: run eval \"$(scripts/galera start)\" "
                "first\n",
                name);
        exit(1);
    }
    return v;
}

const char *gt_url(int n)
{
    char name[32];
    snprintf(name, sizeof name, "SM_TEST_GALERA_URL%d", n);
    return env(name);
}

const char *gt_with(char *buf, size_t cap, const char *url, const char *opts)
{
    snprintf(buf, cap, "%s%s%s", url, strchr(url, '?') ? "&" : "?", opts);
    return buf;
}

const char *gt_failover_url(char *buf, size_t cap, const char *user, int n)
{
    char err[256];
    int o = snprintf(buf, cap, "mysql://%s@", user);
    for (int k = 0; k < GT_NODES; k++) {
        sm_mysql_url u;
        if (sm_mysql_url_parse(&u, gt_url((n - 1 + k) % GT_NODES + 1), err,
                               sizeof err) != SM_OK) {
            fprintf(stderr, "%s\n", err);
            exit(1);
        }
        o += snprintf(buf + o, cap - (size_t)o, "%s%s:%u", k ? "," : "", u.host,
                      u.port);
    }
    snprintf(buf + o, cap - (size_t)o, "/smcc_test");
    return buf;
}

MYSQL *gt_connect(int n)
{
    MYSQL *c = mt_connect_url(gt_url(n));
    mt_exec(c, "SET SESSION wsrep_sync_wait = 1");
    return c;
}

void gt_script(const char *verb, int n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/scripts/galera %s '%s' %d", SMCC_SOURCE_DIR,
             verb, env("SM_GALERA_DIR"), n);
    assert_int_equal(system(cmd), 0);
}

size_t gt_clients(MYSQL *c, const char *user, int64_t *ids, size_t cap)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT id FROM information_schema.PROCESSLIST WHERE "
             "user = '%s' AND command <> 'Killed' ORDER BY id",
             user);
    mt_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row;
    size_t n = 0;
    while (r && (row = mysql_fetch_row(r)))
        if (n < cap)
            ids[n++] = strtoll(row[0], NULL, 10);
    mysql_free_result(r);
    return n;
}

void gt_overtake(MYSQL *other, const char *table, int64_t parent)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (from_state, to_state, metadata, sort_key,"
             " order_id, most_recent, created_at, updated_at) VALUES"
             " ('pending', 'checking_out', '{}', 10, %lld, 1, NOW(6),"
             " NOW(6))",
             table, (long long)parent);
    mt_exec(other, sql);
    MYSQL *n1 = gt_connect(1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM %s WHERE order_id = %lld AND to_state ="
             " 'checking_out'",
             table, (long long)parent);
    assert_int_equal(mt_scalar(n1, sql), 1);
    mysql_close(n1);
}
