/*
 * bench_audit.c - `smcc audit` on tables of 10k, 100k and 1M rows: wall
 * time (median of 3 runs), rows per second and the peak RSS of the smcc
 * process (wait4), against a floor measured in the same run: the same
 * rows in the same order read by one plain streaming query
 * (mysql_use_result) and thrown away. One JSON line per size.
 * Usage: bench_audit [SMCC [URL]]; URL defaults to $SM_TEST_MYSQL_URL.
 * Memory that stays flat from 10k to 1M rows is the point.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../ddl/ddl.h"
#include "bench.h" /* bench/mysql: connections, the clock, medians */

static const char machine[] =
    "machine bench_audit {\n"
    "    initial state pending;\n"
    "    state checking_out, failed;\n"
    "    final state done;\n"
    "    transition pending -> checking_out;\n"
    "    transition checking_out -> failed, done;\n"
    "    transition failed -> checking_out;\n"
    "    event pay { checking_out -> done; }\n"
    "    storage { create_parent = \"no\"; foreign_key = \"no\"; }\n"
    "}\n";

/* The table with n rows: parents of 10 rows each, a history the
 * machine allows (checking_out and failed in turn). */
static void fill(MYSQL *c, long n)
{
    char sql[2048];
    bench_exec(c, "DROP TABLE IF EXISTS bench_audit_transitions");
    sm_ddl_format(sql, sizeof sql, "bench_audit_transitions", "bench_audit_id");
    bench_exec(c, sql);
    snprintf(sql, sizeof sql,
             "INSERT INTO bench_audit_transitions (from_state, to_state, "
             "metadata, sort_key, bench_audit_id, most_recent, created_at, "
             "updated_at) SELECT IF(p = 0, 'pending', IF(p %% 2 = 1, "
             "'checking_out', 'failed')), IF(p = 0, 'checking_out', "
             "IF(p %% 2 = 1, 'failed', 'checking_out')), '{}', 10 * (p + 1), "
             "(seq - 1) DIV 10 + 1, IF(p = 9, 1, NULL), NOW(6), NOW(6) FROM "
             "(SELECT seq, (seq - 1) %% 10 AS p FROM seq_1_to_%ld) s "
             "ORDER BY seq",
             n);
    bench_exec(c, sql);
    bench_exec(c, "COMMIT");
}

/* Run smcc audit; wall seconds into *wall, peak RSS (KiB) into *rss. */
static int audit(const char *smcc, const char *url, const char *sm,
                 double *wall, long *rss)
{
    struct rusage ru;
    int status;
    double t0 = bench_now();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        execl(smcc, smcc, "audit", "--url", url, sm, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
        return -1;
    *wall = bench_now() - t0;
    *rss = ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The floor: every row, same columns and order, streamed and dropped. */
static double floor_read(MYSQL *c, long n)
{
    double t0 = bench_now();
    bench_exec(c, "SELECT id, bench_audit_id, from_state, to_state, sort_key, "
                  "most_recent FROM bench_audit_transitions ORDER BY "
                  "bench_audit_id, sort_key, id");
    MYSQL_RES *r = mysql_use_result(c);
    long k = 0;
    while (r && mysql_fetch_row(r))
        k++;
    mysql_free_result(r);
    if (k != n)
        fprintf(stderr, "bench_audit: the floor read %ld of %ld rows\n", k, n);
    return bench_now() - t0;
}

int main(int argc, char **argv)
{
    const char *smcc = argc > 1 ? argv[1] : SMCC_PATH;
    const char *url = argc > 2 ? argv[2] : getenv("SM_TEST_MYSQL_URL");
    char sm[] = "/tmp/bench_audit_XXXXXX.sm";
    if (!url) {
        fprintf(stderr, "bench_audit: no URL (set SM_TEST_MYSQL_URL)\n");
        return 1;
    }
    int fd = mkstemps(sm, 3);
    if (fd < 0 || write(fd, machine, sizeof machine - 1) < 0 || close(fd))
        return 1;
    MYSQL *c = bench_connect(url);
    static const long sizes[] = {10000, 100000, 1000000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        long n = sizes[i], rss = 0, peak = 0;
        double wall[3], floor[3];
        fill(c, n);
        for (int k = 0; k < 3; k++) {
            if (audit(smcc, url, sm, &wall[k], &rss) != 0) {
                fprintf(stderr, "bench_audit: smcc audit failed\n");
                return 1;
            }
            peak = rss > peak ? rss : peak;
            floor[k] = floor_read(c, n);
        }
        double w = bench_median(wall, 3), f = bench_median(floor, 3);
        printf("{\"rows\": %ld, \"audit_s\": %.3f, \"audit_rows_per_s\": %.0f, "
               "\"peak_rss_kb\": %ld, \"floor_s\": %.3f, "
               "\"floor_rows_per_s\": %.0f}\n",
               n, w, n / w, peak, f, n / f);
        fflush(stdout);
    }
    bench_exec(c, "DROP TABLE bench_audit_transitions");
    mysql_close(c);
    unlink(sm);
    return 0;
}
