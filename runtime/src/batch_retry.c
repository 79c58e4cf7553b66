/*
 * batch_retry.c - sm_batch_commit_retry: commit, and while a failure
 * names only items another writer beat (sm_status_retryable()), queue
 * them again as they were asked for, decided afresh on their reloaded
 * machines, and commit again.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "rows.h"

/* The items refused when queued again, each with its own copy of its
 * machine's message, until the call lists them. */
typedef struct refusals {
    sm_batch_failure *v;
    size_t n, cap;
} refusals;

static sm_status refusals_add(refusals *r, sm_machine *m, sm_status st)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 8;
        sm_batch_failure *v = sm_realloc(r->v, cap * sizeof *v);
        if (!v)
            return SM_E_NOMEM;
        r->v = v, r->cap = cap;
    }
    char *msg = sm_strdup(m->errmsg);
    if (!msg)
        return SM_E_NOMEM;
    r->v[r->n++] = (sm_batch_failure){m, st, msg};
    return SM_OK;
}

static void refusals_free(refusals *r)
{
    for (size_t i = 0; i < r->n; i++)
        sm_free((char *)r->v[i].message);
    sm_free(r->v);
}

/* May every item the last commit took out win if queued again? */
static bool all_retryable(const sm_batch *b)
{
    for (size_t i = 0; i < b->nfails; i++)
        if (!sm_status_retryable(b->fails[i].status))
            return false;
    return true;
}

/* Queue each item the last commit took out as it was asked for (its
 * machine has reloaded: table, guards and before hooks run again);
 * those refused now go to r. SM_E_NOMEM when r cannot take one. */
static sm_status requeue(sm_batch *b, refusals *r)
{
    for (size_t i = 0; i < b->nfails; i++) {
        const sm_batch_ask *a = &b->asks[i];
        sm_machine *m = b->fails[i].machine;
        sm_status st = sm_batch_queue(b, m, a->event, a->arg, a->metadata);
        if (st != SM_OK && refusals_add(r, m, st) != SM_OK)
            return sm_batch_fail(b, SM_E_NOMEM, "out of memory");
    }
    return SM_OK;
}

/* Before committing again after a failure that named no item: a batch
 * never waits for a row lock, so the row another transaction holds is
 * waited for here, 1 ms doubling up to MAX_WAIT_MS per wait (a Galera
 * cluster noticing a dead node stalls commits for seconds). */
enum { MAX_WAIT_MS = 256 };

static void back_off(int *ms)
{
    struct timespec ts = {*ms / 1000, (long)(*ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    *ms = *ms * 2 > MAX_WAIT_MS ? MAX_WAIT_MS : *ms * 2;
}

sm_status sm_batch_commit_retry(sm_batch *b, int attempts)
{
    if (!b)
        return SM_E_ARG;
    if (attempts < 1)
        return sm_batch_fail(b, SM_E_ARG,
                             "sm_batch_commit_retry: attempts is %d, not >= 1",
                             attempts);
    refusals r = {0};
    sm_status st;
    int wait_ms = 1;
    while ((st = sm_batch_commit(b)) != SM_OK && sm_status_retryable(st) &&
           --attempts > 0 && all_retryable(b)) {
        if (!b->nfails)
            back_off(&wait_ms);
        else if ((st = requeue(b, &r)) != SM_OK)
            break;
    }
    if (st == SM_OK && !r.n) /* the failures along the way are over */
        b->errmsg[0] = '\0';
    if (r.n && st == SM_OK)
        sm_batch_fail(b, SM_OK,
                      "committed; %zu item%s refused when queued again, "
                      "not written; the first: %s",
                      r.n, r.n == 1 ? "" : "s", r.v[0].message);
    if (r.n && sm_batch_list_first(b, r.v, r.n) != SM_OK)
        st = sm_batch_fail(b, SM_E_NOMEM, "out of memory");
    refusals_free(&r);
    return st;
}
