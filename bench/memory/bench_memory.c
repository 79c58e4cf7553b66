/*
 * bench_memory.c - the runtime's speed and memory on the memory store.
 *
 * Each figure is the median over 15 batches of the batch's mean ns per
 * operation; memory per stored transition is counted by an allocator
 * installed with sm_set_allocator. Prints one JSON object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "order_sm.h"

enum { BATCHES = 15, OPS = 200000, PARENTS = 200, STEPS = 100 };

static volatile int sink;

/* Hooks of order.sm: all pass (the bench measures the engine). */
bool order_payment_ok(sm_machine *m, const sm_transition *t, void *u)
{
    (void)m, (void)t, (void)u;
    return true;
}
#define PASS(name)                                                             \
    int name(sm_machine *m, const sm_transition *t, void *u)                   \
    {                                                                          \
        (void)m, (void)t, (void)u;                                             \
        return 0;                                                              \
    }
PASS(order_reserve_stock)
PASS(order_notify_shipping)
PASS(order_refund)
PASS(order_audit)
PASS(order_log_guard)
PASS(order_log_failure)

/* The hand-written baseline: the order table as a switch. */
__attribute__((noinline)) static bool switch_allowed(int from, int to)
{
    switch (from) {
    case ORDER_STATE_PENDING:
        return to == ORDER_STATE_CHECKING_OUT || to == ORDER_STATE_CANCELLED;
    case ORDER_STATE_CHECKING_OUT:
        return to == ORDER_STATE_PURCHASED || to == ORDER_STATE_CANCELLED ||
               to == ORDER_STATE_FAILED;
    case ORDER_STATE_PURCHASED:
        return to == ORDER_STATE_SHIPPED || to == ORDER_STATE_FAILED;
    case ORDER_STATE_FAILED:
        return to == ORDER_STATE_CHECKING_OUT;
    default:
        return false;
    }
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v)
{
    qsort(v, BATCHES, sizeof *v, cmp_double);
    return v[BATCHES / 2];
}

/* Median ns per call of the table lookup (generated) or the switch. */
static double bench_allowed(bool generated)
{
    double v[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_ns();
        int acc = 0;
        for (int i = 0; i < OPS; i++) {
            int from = i % 6, to = (i >> 3) % 6;
            acc += generated ? order_transition_allowed(
                                   (order_state){(order_state_id)from},
                                   (order_state){(order_state_id)to})
                             : switch_allowed(from, to);
        }
        sink = acc;
        v[b] = (now_ns() - t0) / OPS;
    }
    return median(v);
}

/* Median ns of sm_can_transition_to (checking_out -> failed). */
static double bench_can(sm_store *s)
{
    sm_machine *m = NULL;
    sm_machine_open(&m, &order_def, s, 1, NULL);
    sm_transition_to(m, ORDER_STATE_CHECKING_OUT, NULL);
    double v[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_ns();
        for (int i = 0; i < OPS; i++)
            sink = sm_can_transition_to(m, ORDER_STATE_FAILED, NULL);
        v[b] = (now_ns() - t0) / OPS;
    }
    sm_machine_close(m);
    return median(v);
}

/* Walk pending -> checking_out -> failed -> checking_out ... n steps. */
static int walk(sm_machine *m, int n, const char *md)
{
    int bad = 0;
    for (int i = 0; i < n; i++)
        bad += sm_transition_to(
                   m, (i & 1) ? ORDER_STATE_FAILED : ORDER_STATE_CHECKING_OUT,
                   md) != SM_OK;
    return bad;
}

/* Median ns of sm_transition_to on fresh parents. */
static double bench_transition(sm_store *s, int64_t *next, const char *md)
{
    double v[BATCHES];
    sm_machine *ms[PARENTS];
    for (int b = 0; b < BATCHES; b++) {
        for (int p = 0; p < PARENTS; p++)
            sm_machine_open(&ms[p], &order_def, s, (*next)++, NULL);
        int bad = 0;
        double t0 = now_ns();
        for (int p = 0; p < PARENTS; p++)
            bad += walk(ms[p], STEPS, md);
        v[b] = (now_ns() - t0) / (PARENTS * STEPS);
        for (int p = 0; p < PARENTS; p++)
            sm_machine_close(ms[p]);
        if (bad)
            fprintf(stderr, "bench: %d transitions failed\n", bad);
    }
    return median(v);
}

/* A counting allocator: live bytes and calls, with a size header. */
static size_t live, calls;
static void *c_malloc(size_t n)
{
    size_t *p = malloc(n + 16);
    if (!p)
        return NULL;
    *p = n, live += n, calls++;
    return (char *)p + 16;
}
static void c_free(void *q)
{
    if (!q)
        return;
    size_t *p = (size_t *)((char *)q - 16);
    live -= *p;
    free(p);
}
static void *c_realloc(void *q, size_t n)
{
    if (!q)
        return c_malloc(n);
    size_t *p = (size_t *)((char *)q - 16), old = *p;
    p = realloc(p, n + 16);
    if (!p)
        return NULL;
    *p = n, live += n - old, calls++;
    return (char *)p + 16;
}

/* Bytes held by the store per stored transition (machines closed). */
static double bytes_per_row(const char *md, double *allocs)
{
    static const sm_allocator a = {c_malloc, c_realloc, c_free};
    sm_set_allocator(&a);
    sm_store *s = NULL;
    sm_store_open(&s, "memory:");
    size_t live0 = live, calls0 = calls;
    enum { NP = 1000, NS = 10 };
    for (int p = 0; p < NP; p++) {
        sm_machine *m = NULL;
        sm_machine_open(&m, &order_def, s, p + 1, NULL);
        walk(m, NS, md);
        sm_machine_close(m);
    }
    double per = (double)(live - live0) / (NP * NS);
    *allocs = (double)(calls - calls0) / (NP * NS);
    sm_store_close(s);
    sm_set_allocator(NULL);
    return per;
}

int main(void)
{
    sm_store *s = NULL;
    if (sm_store_open(&s, "memory:") != SM_OK)
        return 1;
    int64_t next = 100;
    double gen = bench_allowed(true), sw = bench_allowed(false);
    double can = bench_can(s);
    double t_null = bench_transition(s, &next, NULL);
    double t_md = bench_transition(s, &next, "{\"k\":1}");
    sm_store_close(s);
    double a_null, a_md;
    double b_null = bytes_per_row(NULL, &a_null);
    double b_md = bytes_per_row("{\"k\":1}", &a_md);
    printf("{\n  \"batches\": %d,\n", BATCHES);
    printf("  \"order_transition_allowed_ns\": %.2f,\n", gen);
    printf("  \"switch_baseline_ns\": %.2f,\n", sw);
    printf("  \"allowed_vs_switch\": %.2f,\n", gen / sw);
    printf("  \"sm_can_transition_to_ns\": %.1f,\n", can);
    printf("  \"sm_transition_to_null_md_ns\": %.1f,\n", t_null);
    printf("  \"sm_transition_to_k1_md_ns\": %.1f,\n", t_md);
    printf("  \"store_bytes_per_transition_null_md\": %.1f,\n", b_null);
    printf("  \"store_bytes_per_transition_k1_md\": %.1f,\n", b_md);
    printf("  \"allocs_per_transition_null_md\": %.2f,\n", a_null);
    printf("  \"allocs_per_transition_k1_md\": %.2f\n}\n", a_md);
    return 0;
}
