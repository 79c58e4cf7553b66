/*
 * rusage.c - rusage [-t SECONDS] [-m MB] COMMAND [ARG...]: run a command
 * and print "EXIT SECONDS KB", its exit code (128 + signal if killed),
 * wall time and peak RSS (wait4). It is killed past SECONDS or MB of RSS,
 * so a regression fails fast instead of eating the machine. A small C
 * parent keeps the peak RSS honest: Linux carries a parent's high-water
 * mark across fork and exec, so from Python every run would start there.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Seconds since t0. */
static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The resident size of pid in MB, from /proc (0 if unknown). */
static long rss_mb(pid_t pid)
{
    char path[64];
    long size = 0, pages = 0;
    snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
    FILE *f = fopen(path, "r");
    if (f && fscanf(f, "%ld %ld", &size, &pages) != 2)
        pages = 0;
    if (f)
        fclose(f);
    return pages * (sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

int main(int argc, char **argv)
{
    double max_s = 1e9;
    long max_mb = 0;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2)
        if (!strcmp(argv[i], "-t"))
            max_s = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "-m"))
            max_mb = atol(argv[i + 1]);
    if (i >= argc) {
        fprintf(stderr, "usage: rusage [-t SECONDS] [-m MB] COMMAND...\n");
        return 2;
    }
    struct timespec t0, nap = {0, 5000000};
    struct rusage ru;
    int status;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork(), done = 0;
    if (pid == 0) {
        execv(argv[i], argv + i);
        _exit(127);
    }
    while (pid > 0 && (done = wait4(pid, &status, WNOHANG, &ru)) == 0) {
        if (since(&t0) > max_s || (max_mb && rss_mb(pid) > max_mb))
            kill(pid, SIGKILL);
        nanosleep(&nap, NULL);
    }
    if (done != pid)
        return 2;
    printf("%d %.3f %ld\n",
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
           since(&t0), ru.ru_maxrss);
    return 0;
}
