/*
 * bench_compile.c - times `smcc --emit c` on generated machines of 1k,
 * 10k and 100k states (~10 transitions each, some events and hooks) and
 * prints wall time, peak RSS (wait4) and output sizes as JSON.
 * Usage: bench_compile [SMCC [TMPDIR]]; SMCC defaults to the built smcc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Write bench.sm with n states; returns the transition count or -1. */
static long write_sm(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    long i, j, nt = 0;

    if (!f)
        return -1;
    fprintf(f, "machine bench {\n    initial state s0;\n");
    for (i = 1; i < n - 1; i++)
        fprintf(f, "    state s%ld;\n", i);
    fprintf(f, "    final state s%ld;\n", n - 1);
    for (i = 0; i < n - 1; i++) {
        fprintf(f, "    transition s%ld ->", i);
        for (j = i + 1; j <= i + 10 && j < n; j++, nt++)
            fprintf(f, "%s s%ld", j == i + 1 ? "" : ",", j);
        fprintf(f, ";\n");
    }
    for (i = 0; i + 1 < n; i += 100)
        fprintf(f, "    event e%ld { s%ld -> s%ld; }\n", i, i, i + 1);
    fprintf(f, "    guard s0 -> s1 : ok;\n    after * -> * : log;\n}\n");
    return fclose(f) == 0 ? nt : -1;
}

/* Size of a file in bytes, or -1. */
static long fsize(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Run smcc on dir/bench.sm; fills wall seconds and peak RSS in KiB. */
static int run(const char *smcc, const char *dir, double *wall, long *rss)
{
    char sm[4096];
    struct timespec a, b;
    struct rusage ru;
    int status;
    pid_t pid;

    snprintf(sm, sizeof sm, "%s/bench.sm", dir);
    clock_gettime(CLOCK_MONOTONIC, &a);
    pid = fork();
    if (pid == 0) {
        execl(smcc, smcc, "-o", dir, "--emit", "c", sm, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &b);
    *wall = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    *rss = ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Order of doubles, for the median. */
static int dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return (a > b) - (a < b);
}

#define REPEATS 5

int main(int argc, char **argv)
{
    static const long sizes[] = {1000, 10000, 100000};
    const char *dir = argc > 2 ? argv[2] : "/tmp";
#ifdef SMCC_PATH
    const char *smcc = argc > 1 ? argv[1] : SMCC_PATH;
#else
    const char *smcc = argc > 1 ? argv[1] : NULL;
#endif
    char path[4096];
    double wall[REPEATS];
    long rss, maxrss, nt;
    int i, r;

    if (!smcc) {
        fprintf(stderr, "usage: bench_compile SMCC [TMPDIR]\n");
        return 2;
    }
    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/bench.sm", dir);
        nt = write_sm(path, sizes[i]);
        if (nt < 0) {
            fprintf(stderr, "bench_compile: cannot write %s: %s\n", path,
                    strerror(errno));
            return 1;
        }
        for (r = 0, maxrss = 0; r < REPEATS; r++) {
            if (run(smcc, dir, &wall[r], &rss) != 0) {
                fprintf(stderr,
                        "bench_compile: %s -o %s failed on %ld "
                        "states\n",
                        smcc, dir, sizes[i]);
                return 1;
            }
            maxrss = rss > maxrss ? rss : maxrss;
        }
        qsort(wall, REPEATS, sizeof wall[0], dbl_cmp);
        snprintf(path, sizeof path, "%s/bench_sm.c", dir);
        if (i == 0)
            printf("{\"bench\":\"compile\",\"repeats\":%d,\"runs\":[", REPEATS);
        printf("%s{\"states\":%ld,\"transitions\":%ld,"
               "\"median_wall_s\":%.3f,\"peak_rss_kb\":%ld,"
               "\"c_bytes\":%ld,",
               i ? "," : "", sizes[i], nt, wall[REPEATS / 2], maxrss,
               fsize(path));
        snprintf(path, sizeof path, "%s/bench_sm.h", dir);
        printf("\"h_bytes\":%ld}", fsize(path));
    }
    printf("]}\n");
    return 0;
}
