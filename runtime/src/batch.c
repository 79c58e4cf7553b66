/*
 * batch.c - sm_batch: beginning one, queueing items (each decided now:
 * checks, guards, before hooks), the failures of the last commit, and
 * the lifetimes it shares with its machines and its store. Writing it
 * is batch_commit.c's job.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "rows.h"

sm_status sm_batch_fail(sm_batch *b, sm_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st = sm_vfail(b->errmsg, sizeof b->errmsg, st, fmt, ap);
    va_end(ap);
    return st;
}

const char *sm_batch_errmsg(const sm_batch *b)
{
    return b ? b->errmsg : "";
}

sm_status sm_batch_begin(sm_batch **out, sm_store *s)
{
    if (out)
        *out = NULL;
    if (!s)
        return SM_E_ARG;
    if (!out)
        return sm_store_seterr(s, SM_E_ARG, "sm_batch_begin: out is NULL");
    sm_batch *b = sm_malloc(sizeof *b);
    if (!b)
        return sm_store_seterr(s, SM_E_NOMEM, "out of memory");
    memset(b, 0, sizeof *b);
    b->store = s;
    sm_store_attach_batch(s, b);
    *out = b;
    return SM_OK;
}

/* -- The (table, parent) index ---------------------------------------- */

const char *sm_batch_table(const sm_def *def)
{
    return def->table ? def->table : "";
}

static size_t key_hash(const char *table, int64_t parent)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a over the name */
    for (; *table; table++)
        h = (h ^ (unsigned char)*table) * 1099511628211ull;
    h = (h ^ (uint64_t)parent) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32);
}

/* The slot holding the live item of (def's table, parent), or the free
 * slot where it would go. Items of closed machines match nothing. */
static size_t *find_slot(sm_batch *b, const sm_def *def, int64_t parent)
{
    const char *table = sm_batch_table(def);
    size_t mask = b->nslots - 1, i = key_hash(table, parent) & mask;
    for (;; i = (i + 1) & mask) {
        size_t k = b->slots[i];
        if (!k)
            return &b->slots[i];
        const sm_batch_item *it = &b->items[k - 1];
        if (it->m && it->t.parent_id == parent &&
            strcmp(sm_batch_table(it->def), table) == 0)
            return &b->slots[i];
    }
}

/* Index every live item again (after items were taken out). */
static void index_rebuild(sm_batch *b)
{
    if (!b->nslots)
        return;
    memset(b->slots, 0, b->nslots * sizeof *b->slots);
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].m)
            *find_slot(b, b->items[i].def, b->items[i].t.parent_id) = i + 1;
}

/* Room in the index and the items for one more; SM_E_NOMEM. */
static sm_status reserve(sm_batch *b)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        sm_batch_item *v = sm_realloc(b->items, cap * sizeof *v);
        if (!v)
            return SM_E_NOMEM;
        b->items = v, b->cap = cap;
    }
    if (b->nslots > 2 * (b->n + 1))
        return SM_OK;
    size_t ns = b->nslots ? 2 * b->nslots : 32;
    size_t *v = sm_malloc(ns * sizeof *v);
    if (!v)
        return SM_E_NOMEM;
    sm_free(b->slots);
    b->slots = v, b->nslots = ns;
    index_rebuild(b);
    return SM_OK;
}

/* -- Queueing ------------------------------------------------------------ */

/* Refuse m with st: the message goes to m, then to b. */
static sm_status refuse(sm_batch *b, sm_machine *m, sm_status st,
                        const char *why)
{
    sm_machine_fail_parent(m, st, "%s", why);
    return sm_batch_fail(b, st, "%s", m->errmsg);
}

sm_status sm_batch_usable(sm_batch *b)
{
    if (!b->store)
        return sm_batch_fail(b, SM_E_ARG, "sm_batch: its store was closed");
    if (b->busy)
        return sm_batch_fail(b, SM_E_ARG,
                             "sm_batch: called from a hook of one of its "
                             "items");
    return SM_OK;
}

/* Why m cannot be queued in b now; SM_OK when it can. */
static sm_status check_queue(sm_batch *b, sm_machine *m)
{
    sm_status st = sm_batch_usable(b);
    if (st != SM_OK)
        return st;
    if (!m)
        return sm_batch_fail(b, SM_E_ARG, "sm_batch: the machine is NULL");
    if (m->store != b->store)
        return refuse(b, m, SM_E_ARG, "it is on another store than the batch");
    if (m->batch == b)
        return refuse(b, m, SM_E_ARG,
                      "it is already queued in this batch (a machine "
                      "appears once per batch)");
    if (m->batch)
        return refuse(b, m, SM_E_ARG, "it is queued in another batch");
    if (b->nslots && *find_slot(b, m->def, m->parent_id))
        return refuse(b, m, SM_E_ARG,
                      "another machine queued this parent in the batch "
                      "already (a parent appears once per batch)");
    return SM_OK;
}

/* Append the decided t of m (asked for as event/arg) as an item, with
 * copies of its metadata and of the row it follows. */
static sm_status add_item(sm_batch *b, sm_machine *m, bool event, int arg,
                          const sm_transition *t)
{
    const sm_transition *last = sm_last_transition(m);
    char *md = reserve(b) == SM_OK ? sm_strdup(t->metadata) : NULL;
    char *pmd = md && last ? sm_strdup(last->metadata) : NULL;
    if (!md || (last && !pmd)) {
        sm_free(md);
        return sm_machine_fail(m, SM_E_NOMEM, "out of memory");
    }
    sm_batch_item *it = &b->items[b->n];
    memset(it, 0, sizeof *it);
    it->m = m, it->def = m->def, it->t = *t, it->t.metadata = md;
    it->event = event, it->arg = arg;
    if (last)
        it->prev = *last, it->prev.metadata = pmd, it->has_prev = true;
    *find_slot(b, m->def, t->parent_id) = b->n + 1;
    m->batch = b, m->batch_item = b->n++;
    return SM_OK;
}

/* Decide (event: resolve arrow first), run the before hooks, queue. */
static sm_status decide_and_add(sm_batch *b, sm_machine *m, bool event, int arg,
                                const char *md)
{
    int to = arg;
    sm_transition t;
    sm_status st = event ? sm_engine_target(m, arg, md, &to) : SM_OK;
    if (st == SM_OK)
        st = sm_engine_decide(m, to, md, &t);
    if (st != SM_OK)
        return st;
    const sm_hook *h = sm_hooks_run(m, SM_HOOK_BEFORE, &t);
    return h ? sm_engine_hook_failed(m, h, &t) : add_item(b, m, event, arg, &t);
}

/* One queueing call: b and m are busy while their hooks run. */
sm_status sm_batch_queue(sm_batch *b, sm_machine *m, bool event, int arg,
                         const char *md)
{
    sm_status st = check_queue(b, m);
    if (st != SM_OK)
        return st;
    if (event && (arg < 0 || (uint32_t)arg >= m->def->nevents)) {
        sm_machine_fail(m, SM_E_ARG, "unknown event %d", arg);
        return sm_batch_fail(b, SM_E_ARG, "%s", m->errmsg);
    }
    st = sm_engine_enter(m);
    if (st == SM_OK) {
        b->busy = true;
        st = decide_and_add(b, m, event, arg, md);
        b->busy = false;
        m->busy = false;
    }
    return st == SM_OK ? st : sm_batch_fail(b, st, "%s", m->errmsg);
}

sm_status sm_batch_transition_to(sm_batch *b, sm_machine *m, int to,
                                 const char *md)
{
    return b ? sm_batch_queue(b, m, false, to, md) : SM_E_ARG;
}

sm_status sm_batch_fire(sm_batch *b, sm_machine *m, int event, const char *md)
{
    return b ? sm_batch_queue(b, m, true, event, md) : SM_E_ARG;
}

/* -- Failures, clearing, lifetimes ---------------------------------------- */

size_t sm_batch_failures(const sm_batch *b, const sm_batch_failure **out)
{
    size_t n = b ? b->nfails : 0;
    if (out)
        *out = n ? b->fails : NULL;
    return n;
}

/* Free an item's copies; its machine is no longer queued. */
static void item_drop(sm_batch_item *it)
{
    if (it->m)
        it->m->batch = NULL;
    sm_free((char *)it->t.metadata);
    sm_free((char *)it->prev.metadata);
}

void sm_batch_clear(sm_batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        item_drop(&b->items[i]);
    b->n = 0;
    if (b->nslots)
        memset(b->slots, 0, b->nslots * sizeof *b->slots);
}

/* A block of n failures with room for `bytes` of messages after them. */
static sm_batch_failure *failures_block(size_t n, size_t bytes)
{
    return sm_malloc(n * sizeof(sm_batch_failure) + bytes);
}

/* The failures of b's items whose `failed` is set, in one block, and
 * how each was asked for (its metadata moved out of the item). */
static sm_status list_failures(sm_batch *b)
{
    size_t k = 0, bytes = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].m && b->items[i].failed != SM_OK)
            k++, bytes += strlen(b->items[i].m->errmsg) + 1;
    if (!k)
        return SM_OK;
    sm_batch_failure *f = failures_block(k, bytes);
    sm_batch_ask *a = f ? sm_malloc(k * sizeof *a) : NULL;
    if (!a) {
        sm_free(f);
        return SM_E_NOMEM;
    }
    char *text = (char *)(f + k);
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        if (!it->m || it->failed == SM_OK)
            continue;
        size_t len = strlen(it->m->errmsg) + 1;
        memcpy(text, it->m->errmsg, len);
        a[b->nfails] =
            (sm_batch_ask){it->event, it->arg, (char *)it->t.metadata};
        it->t.metadata = NULL;
        f[b->nfails++] = (sm_batch_failure){it->m, it->failed, text};
        text += len;
    }
    b->fails = f, b->asks = a;
    return SM_OK;
}

void sm_batch_forget_failures(sm_batch *b)
{
    for (size_t i = 0; b->asks && i < b->nfails; i++)
        sm_free(b->asks[i].metadata);
    sm_free(b->asks);
    sm_free(b->fails);
    b->fails = NULL, b->asks = NULL, b->nfails = 0;
}

sm_status sm_batch_list_first(sm_batch *b, const sm_batch_failure *extra,
                              size_t n)
{
    size_t k = n + b->nfails, bytes = 0;
    for (size_t i = 0; i < k; i++)
        bytes += strlen(i < n ? extra[i].message : b->fails[i - n].message) + 1;
    sm_batch_failure *f = k ? failures_block(k, bytes) : NULL;
    if (k && !f)
        return SM_E_NOMEM;
    char *text = (char *)(f + k);
    for (size_t i = 0; i < k; i++) {
        f[i] = i < n ? extra[i] : b->fails[i - n];
        size_t len = strlen(f[i].message) + 1;
        memcpy(text, f[i].message, len);
        f[i].message = text, text += len;
    }
    sm_batch_forget_failures(b);
    b->fails = f, b->nfails = k;
    return SM_OK;
}

sm_status sm_batch_settle(sm_batch *b)
{
    sm_status st = list_failures(b);
    size_t kept = 0;
    for (size_t i = 0; i < b->n; i++) {
        sm_batch_item *it = &b->items[i];
        if (!it->m || it->failed != SM_OK) {
            item_drop(it);
            continue;
        }
        b->items[kept] = *it;
        it->m->batch_item = kept++;
    }
    b->n = kept;
    index_rebuild(b);
    return st;
}

/* sm_machine_close(m) while queued: its item stays, dead, until the
 * batch is committed, settled or cleared. */
void sm_batch_forget(sm_machine *m)
{
    if (!m->batch)
        return;
    m->batch->items[m->batch_item].m = NULL;
    m->batch = NULL;
}

void sm_batch_free(sm_batch *b)
{
    if (!b)
        return;
    sm_batch_clear(b);
    if (b->store)
        sm_store_detach_batch(b->store, b);
    sm_batch_forget_failures(b);
    sm_free(b->slots);
    sm_free(b->items);
    sm_free(b);
}
