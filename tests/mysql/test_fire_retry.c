/*
 * test_fire_retry.c - forked writers, one connection and one long-lived
 * machine each, toggle two shared lamps with sm_fire_retry. A toggle's
 * target depends on the state, so a stale writer must reload and
 * resolve it again: every call must succeed, and each lamp's history
 * must alternate off -> on -> off with sort keys 10, 20, ... and one
 * most_recent on the last row. In the pk and statesman gap-lock modes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "mtest.h"
#include "tlamp.h"

enum { PROCS = 4, PER = 25, LAMPS = 2, ATTEMPTS = 1000 };

/* A writer: PER toggles on lamp 1 + w % LAMPS; exits 0 if all were OK. */
static void writer(const char *url, const sm_def *d, int w)
{
    sm_store *s = NULL;
    sm_machine *m = NULL;
    tlog l = {0};
    if (sm_store_open(&s, url) != SM_OK ||
        sm_machine_open(&m, d, s, 1 + w % LAMPS, &l) != SM_OK)
        exit(2);
    for (int i = 0; i < PER; i++) {
        l.buf[0] = 0;
        sm_status st = sm_fire_retry(m, EV_TOGGLE, LAMP_POWER, ATTEMPTS);
        if (st != SM_OK) {
            fprintf(stderr, "writer %d: %s %s\n", w, sm_status_name(st),
                    sm_errmsg(m));
            exit(3);
        }
    }
    sm_machine_close(m);
    sm_store_close(s);
    exit(0);
}

/* Lamp p's rows alternate, with sort keys 10, 20, ...; returns the count. */
static long check_lamp(MYSQL *c, const char *table, int p)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT sort_key, from_state, to_state, most_recent FROM %s "
             "WHERE lamp_id = %d ORDER BY sort_key",
             table, p);
    mt_exec(c, sql);
    MYSQL_RES *r = mysql_store_result(c);
    long n = (long)mysql_num_rows(r), i = 0;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(r))) {
        assert_int_equal(atol(row[0]), 10 * (i + 1));
        assert_string_equal(row[1], i % 2 ? "on" : "off");
        assert_string_equal(row[2], i % 2 ? "off" : "on");
        assert_int_equal(row[3] != NULL, i == n - 1);
        i++;
    }
    mysql_free_result(r);
    return n;
}

static void run(const char *mode)
{
    char table[64], opts[64];
    snprintf(table, sizeof table, "fire_retry_%s", mode);
    snprintf(opts, sizeof opts, "gaplock=%s", mode);
    MYSQL *c = mt_connect();
    sm_def d = mt_table(c, &tdef_lamp, table, "lamps");
    const char *url = mt_url_with(opts);
    for (int w = 0; w < PROCS; w++)
        if (fork() == 0)
            writer(url, &d, w);
    for (int w = 0; w < PROCS; w++) {
        int status;
        assert_true(wait(&status) > 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    long total = 0;
    for (int p = 1; p <= LAMPS; p++)
        total += check_lamp(c, table, p);
    assert_int_equal(total, PROCS * PER);
    mysql_close(c);
}

static void pk(void **st)
{
    (void)st;
    run("pk");
}

static void statesman(void **st)
{
    (void)st;
    run("statesman");
}

int main(void)
{
    mt_url();
    const struct CMUnitTest tests[] = {cmocka_unit_test(pk),
                                       cmocka_unit_test(statesman)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
