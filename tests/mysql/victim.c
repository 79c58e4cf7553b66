/*
 * victim.c - a store made the victim of a real InnoDB deadlock. The
 * store runs in a child process (it blocks on a lock) and reports its
 * status and message through a pipe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "victim.h"

#define ROW                                                                    \
    "INSERT INTO victim_transitions (from_state, to_state, metadata, "         \
    "sort_key, order_id, most_recent, created_at, updated_at) VALUES "

/* In a child: transition parent 7 through a store on url; write the
 * status and message to fd. */
static void store_side(const char *url, const sm_def *d, int fd)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    char out[600];
    sm_status st = sm_store_open(&s, url);
    if (st == SM_OK)
        st = sm_machine_open(&m, d, s, 7, &l);
    if (st == SM_OK)
        st = sm_transition_to(m, CHECKING_OUT, NULL);
    snprintf(out, sizeof out, "%d %s", (int)st, m ? sm_errmsg(m) : "");
    exit(write(fd, out, strlen(out) + 1) > 0 ? 0 : 1);
}

/* Wait until some transaction of the server waits for a lock. InnoDB
 * refreshes INNODB_TRX only after 0.1 s without a read of it. */
static void await_lock_wait(MYSQL *c)
{
    for (int i = 0; i < 100; i++) {
        nanosleep(&(struct timespec){0, 150000000}, NULL);
        if (mt_scalar(c, "SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                         " WHERE trx_state = 'LOCK WAIT'") > 0)
            return;
    }
    fail_msg("the store never waited for the lock");
}

sm_status victim_run(const char *url, char *msg, size_t cap)
{
    MYSQL *a = mt_connect_url(url);
    sm_def d = mt_def(a, "victim_transitions", "orders");
    char sql[512];
    mt_exec(a, ROW "(NULL, 'failed', '{}', 10, 7, 1, NOW(6), NOW(6))");
    unsigned long long last = (unsigned long long)mysql_insert_id(a);
    mt_exec(a, "START TRANSACTION");
    /* by primary key: a record lock, no gap the store's INSERT needs */
    snprintf(sql, sizeof sql,
             "UPDATE victim_transitions SET updated_at = NOW(6) WHERE id = "
             "%llu",
             last);
    mt_exec(a, sql);
    for (int i = 0; i < 8; i++) { /* heavier than the store: not the victim */
        snprintf(sql, sizeof sql,
                 ROW "(NULL, 'failed', '{}', 10, %d, NULL, NOW(6), NOW(6))",
                 1000 + i);
        mt_exec(a, sql);
    }
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0)
        close(fds[0]), store_side(url, &d, fds[1]);
    close(fds[1]);
    await_lock_wait(a);
    mt_exec(a, ROW "('failed', 'checking_out', '{}', 20, 7, NULL, NOW(6), "
                   "NOW(6))");
    char out[600] = "";
    assert_true(read(fds[0], out, sizeof out - 1) > 0);
    close(fds[0]);
    int status, code = -1;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    mt_exec(a, "ROLLBACK");
    mysql_close(a);
    assert_int_equal(sscanf(out, "%d", &code), 1);
    snprintf(msg, cap, "%s", strchr(out, ' ') ? strchr(out, ' ') + 1 : "");
    return (sm_status)code;
}
