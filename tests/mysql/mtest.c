/*
 * mtest.c - helpers shared by the MySQL tests.
 *
 * They exit(1) on setup failures, so a test without its server fails
 * loudly instead of skipping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../ddl/ddl.h"
#include "mtest.h"
#include "open.h"
#include "priv.h"

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

void mt_text(MYSQL *c, const char *sql, char *out, size_t cap)
{
    mt_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
    snprintf(out, cap, "%s", row && row[0] ? row[0] : "");
    mysql_free_result(r);
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

void mt_parents(MYSQL *c, const char *table, int64_t first, int64_t last,
                const char *state)
{
    char sql[512];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`", table);
    mt_exec(c, sql);
    snprintf(sql, sizeof sql,
             "CREATE TABLE `%s` (id BIGINT PRIMARY KEY) ENGINE=InnoDB", table);
    mt_exec(c, sql);
    if (state) {
        sm_ddl d = {NULL, table, NULL, 0, NULL, 0, "state", state};
        sm_ddl_state_column(sql, sizeof sql, &d);
        mt_exec(c, sql);
    }
    snprintf(sql, sizeof sql,
             "INSERT INTO `%s` (id) SELECT seq FROM seq_%lld_to_%lld", table,
             (long long)first, (long long)last);
    mt_exec(c, sql);
}

void mt_history(MYSQL *c, const sm_def *d, int64_t parent, int n)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO `%s` (from_state, to_state, metadata, sort_key, "
             "`%s`, most_recent, created_at, updated_at) SELECT IF(seq = 1, "
             "'pending', IF(seq %% 2, 'failed', 'checking_out')), "
             "IF(seq %% 2, 'checking_out', 'failed'), CONCAT('{\"i\":', seq, "
             "'}'), 10 * seq, %lld, IF(seq = %d, 1, NULL), NOW(6), NOW(6) "
             "FROM seq_1_to_%d",
             d->table, d->parent_key, (long long)parent, n, n);
    mt_exec(c, sql);
}

int64_t mt_drift(MYSQL *c, const sm_def *d)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM `%s` p LEFT JOIN `%s` t ON t.`%s` = p.id "
             "AND t.most_recent = 1 WHERE p.`%s` <> COALESCE(t.to_state, "
             "'%s')",
             d->parent_table, d->table, d->parent_key, d->state_column,
             d->state_names[d->initial]);
    return mt_scalar(c, sql);
}

void mt_script(const char *args, char *out, size_t cap)
{
    char cmd[4096];
    int len = snprintf(cmd, sizeof cmd, "%s/scripts/mariadb %s",
                       SMCC_SOURCE_DIR, args);
    assert_true(len > 0 && (size_t)len < sizeof cmd);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = out ? fread(out, 1, cap - 1, p) : 0;
    if (out)
        out[n] = '\0';
    assert_int_equal(pclose(p), 0);
}

static int g_hook_fd = -1;

/* An after hook that tells the test it is inside, then blocks. */
static int block(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t, (void)user;
    if (write(g_hook_fd, "x", 1) != 1)
        return 1;
    pause();
    return 0;
}

void mt_kill_in_write(const char *url, const sm_def *d, int64_t parent, int to)
{
    static const sm_hook hooks[] = {
        {SM_HOOK_AFTER, NULL, 0, NULL, 0, NULL, block, "block"}};
    int fds[2], status;
    char x;
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sm_def blocking = *d;
        sm_store *s = NULL;
        sm_machine *m = NULL;
        blocking.hooks = hooks, blocking.nhooks = 1;
        g_hook_fd = fds[1];
        if (sm_store_open(&s, url) != SM_OK ||
            sm_machine_open(&m, &blocking, s, parent, NULL) != SM_OK)
            _exit(2);
        (void)sm_transition_to(m, to, NULL);
        _exit(3);
    }
    assert_int_equal(read(fds[0], &x, 1), 1); /* the row is written */
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    close(fds[0]), close(fds[1]);
}

MYSQL *mt_store_conn(sm_store *s)
{
    my_store *m = sm_store_impl(s, &sm_mysql_ops);
    return m ? m->conn : NULL;
}

int64_t mt_status(MYSQL *c, const char *name)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
             "WHERE VARIABLE_NAME = '%s'",
             name);
    return mt_scalar(c, sql);
}
