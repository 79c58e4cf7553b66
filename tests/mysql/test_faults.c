/*
 * test_faults.c - the MySQL store under faults: lock wait timeout, a
 * worker SIGKILLed inside its transaction, odd metadata, a private
 * server killed and restarted (never the shared one), a host list whose
 * first host is down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mtest.h"
#include "open.h"

static int hook_fd = -1;

/* An `after` hook that tells the test it is inside and then blocks. */
static int block(sm_machine *m, const sm_transition *t, void *user)
{
    (void)m, (void)t, (void)user;
    if (write(hook_fd, "x", 1) != 1)
        return 1;
    pause();
    return 0;
}

static const sm_hook block_hooks[] = {
    {SM_HOOK_AFTER, NULL, 0, NULL, 0, NULL, block, "block"}};

/* Row count of parent p in table. */
static int64_t rows_of(MYSQL *c, const char *table, int64_t p)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM %s WHERE order_id = "
             "%lld",
             table, (long long)p);
    return mt_scalar(c, sql);
}

/* A row lock held elsewhere: SM_E_STORE naming it, no open tx after. */
static void test_lock_wait_timeout(void **st)
{
    (void)st;
    MYSQL *a = mt_connect(), *b = mt_connect();
    sm_def d = mt_def(a, "lwt_transitions", "orders");
    mt_exec(a, "SET SESSION innodb_lock_wait_timeout = 1");
    mt_exec(b, "START TRANSACTION");
    mt_exec(b, "INSERT INTO lwt_transitions (to_state, metadata, sort_key, "
               "order_id, created_at, updated_at) VALUES ('cancelled', '{}',"
               " 10, 5, NOW(6), NOW(6))");
    sm_store *s = NULL;
    assert_int_equal(sm_mysql_wrap(&s, a, NULL), SM_OK);
    tlog l = {0};
    sm_machine *m = NULL;
    assert_int_equal(sm_machine_open(&m, &d, s, 5, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_E_STORE);
    assert_non_null(strstr(sm_errmsg(m), "Lock wait timeout"));
    assert_false(a->server_status & SERVER_STATUS_IN_TRANS);
    assert_int_equal(sm_current_state(m), PENDING);
    mt_exec(b, "ROLLBACK");
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(rows_of(b, "lwt_transitions", 5), 1);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(a);
    mysql_close(b);
}

/* SIGKILL inside the transaction: no row, and the parent is free. */
static void test_worker_killed(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "kill_transitions", "orders");
    d.hooks = block_hooks;
    d.nhooks = 1;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sm_store *s = NULL;
        sm_machine *m = NULL;
        hook_fd = fds[1];
        if (sm_store_open(&s, mt_url()) != SM_OK ||
            sm_machine_open(&m, &d, s, 9, NULL) != SM_OK)
            _exit(2);
        (void)sm_transition_to(m, CHECKING_OUT, NULL);
        _exit(3);
    }
    char x;
    assert_int_equal(read(fds[0], &x, 1), 1); /* the row is written */
    kill(pid, SIGKILL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    d.nhooks = 0;
    sm_store *s = NULL;
    sm_machine *m = NULL;
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_machine_open(&m, &d, s, 9, NULL), SM_OK);
    assert_int_equal(sm_current_state(m), PENDING);
    assert_int_equal(sm_transition_to(m, CANCELLED, NULL), SM_OK);
    assert_int_equal(rows_of(c, "kill_transitions", 9), 1);
    sm_machine_close(m);
    sm_store_close(s);
    close(fds[0]), close(fds[1]);
    mysql_close(c);
}

/* Metadata: escapes and control-looking text round-trip exactly;
 * invalid UTF-8 is refused by the JSON check before any SQL. */
static void test_metadata(void **st)
{
    (void)st;
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "md_transitions", "orders");
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, mt_url()), SM_OK);
    assert_int_equal(sm_machine_open(&m, &d, s, 3, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, "{\"a\":\"\xff\"}"),
                     SM_E_METADATA);
    assert_int_equal(rows_of(c, "md_transitions", 3), 0);
    const char *odd = "{\"q\":\"'; DROP TABLE x; --\",\"b\":\"\\u0001\\u00ff"
                      "\\\\x00\",\"u\":\"\xc3\xa9\"}";
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, odd), SM_OK);
    assert_int_equal(sm_reload(m), SM_OK);
    assert_string_equal(sm_last_transition(m)->metadata, odd);
    sm_machine_close(m);
    sm_store_close(s);
    mysql_close(c);
}

/* Run scripts/mariadb with args; its stdout into out (may be NULL). */
static void script(const char *args, char *out, size_t cap)
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

/* Kill a private server mid-run, restart it: acknowledged rows stay. */
static void test_server_killed(void **st)
{
    (void)st;
    char dir[] = "/tmp/smcc-faults.XXXXXX", out[2048], url[1024], pidf[64];
    assert_non_null(mkdtemp(dir));
    snprintf(out, sizeof out, "start %s", dir);
    script(out, out, sizeof out);
    snprintf(url, sizeof url,
             "mysql://root@localhost/smcc_test?socket="
             "%s/sock",
             dir);
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, url), SM_OK);
    MYSQL *c = mysql_init(NULL);
    assert_non_null(mysql_real_connect(c, NULL, "root", "", "smcc_test", 0,
                                       strstr(url, "=") + 1, 0));
    sm_def d = mt_def(c, "crash_transitions", "orders");
    mysql_close(c);
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    snprintf(pidf, sizeof pidf, "kill -9 $(cat %s/pid)", dir);
    assert_int_equal(system(pidf), 0);
    nanosleep(&(struct timespec){0, 300000000}, NULL);
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_E_STORE);
    assert_non_null(strstr(sm_errmsg(m), "mysql"));
    snprintf(out, sizeof out, "start %s", dir);
    script(out, out, sizeof out);
    /* outside a transaction the store reconnects once by itself */
    assert_int_equal(sm_transition_to(m, FAILED, NULL), SM_OK);
    assert_int_equal(sm_reload(m), SM_OK);
    assert_int_equal(sm_current_state(m), FAILED);
    const sm_transition *h = NULL;
    size_t n = 0;
    assert_int_equal(sm_history(m, &h, &n), SM_OK);
    assert_int_equal(n, 2); /* both acknowledged transitions survive */
    assert_int_equal(h[0].to_state, CHECKING_OUT);
    sm_machine_close(m);
    sm_store_close(s);
    snprintf(out, sizeof out, "stop %s", dir);
    script(out, NULL, 0);
}

/* A host list: the first host refuses, the store uses the next; when
 * every host refuses, the message says so. */
static void test_host_list(void **st)
{
    (void)st;
    sm_mysql_url u;
    char err[256], url[1024];
    assert_int_equal(sm_mysql_url_parse(&u, mt_url(), err, sizeof err), SM_OK);
    snprintf(url, sizeof url,
             "mysql://root@127.0.0.1:1,localhost/smcc_test?socket=%s",
             u.socket);
    MYSQL *c = mt_connect();
    sm_def d = mt_def(c, "hosts_transitions", "orders");
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    assert_int_equal(sm_store_open(&s, url), SM_OK);
    assert_int_equal(sm_machine_open(&m, &d, s, 1, &l), SM_OK);
    assert_int_equal(sm_transition_to(m, CHECKING_OUT, NULL), SM_OK);
    assert_int_equal(rows_of(c, "hosts_transitions", 1), 1);
    sm_machine_close(m);
    sm_store_close(s);
    assert_int_equal(
        sm_store_open(&s, "mysql://root@127.0.0.1:1,127.0.0.1:2/smcc_test"),
        SM_E_STORE);
    assert_non_null(strstr(sm_store_errmsg(s), "mysql: connect: "));
    assert_non_null(
        strstr(sm_store_errmsg(s), ", and so did every other host"));
    sm_store_close(s);
    mysql_close(c);
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_wait_timeout),
        cmocka_unit_test(test_worker_killed), cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_server_killed), cmocka_unit_test(test_host_list)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
