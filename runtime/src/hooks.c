/*
 * hooks.c - matching hooks to a transition and running them.
 *
 * A hook matches when its from selector is "*" or lists t's from state,
 * and likewise for to. Hooks run in declaration order.
 */
#include "machine.h"
#include "store_priv.h"

/* Is s in the selector list (NULL = any)? */
static bool selects(const int32_t *v, uint32_t n, int s)
{
    if (!v)
        return true;
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == s)
            return true;
    return false;
}

static bool matches(const sm_hook *h, sm_hook_kind k, const sm_transition *t)
{
    return h->kind == k && selects(h->from, h->nfrom, t->from_state) &&
           selects(h->to, h->nto, t->to_state);
}

/* The first guard that rejects t, or NULL. While guards run, m counts
 * as busy: a guard may read m, but a write or reload of it is refused. */
const sm_hook *sm_hooks_guard(sm_machine *m, const sm_transition *t)
{
    const sm_hook *no = NULL;
    bool was = m->busy;
    m->busy = true;
    for (uint32_t i = 0; i < m->def->nhooks && !no; i++) {
        const sm_hook *h = &m->def->hooks[i];
        if (matches(h, SM_HOOK_GUARD, t) && !h->guard(m, t, m->user))
            no = h;
    }
    m->busy = was;
    return no;
}

/* Run matching hooks of kind; stop at (and return) the first non-zero
 * one for before/after; failure hooks all run (their result ignored). */
const sm_hook *sm_hooks_run(sm_machine *m, sm_hook_kind kind,
                            const sm_transition *t)
{
    bool stops = kind == SM_HOOK_BEFORE || kind == SM_HOOK_AFTER;
    for (uint32_t i = 0; i < m->def->nhooks; i++) {
        const sm_hook *h = &m->def->hooks[i];
        if (matches(h, kind, t) && h->call(m, t, m->user) != 0 && stops)
            return h;
    }
    return NULL;
}

/* after_commit: run now, or queue on the store with a copy of t and the
 * user pointer (never m: it may be closed before the caller commits).
 * A queue entry that cannot be allocated is dropped. */
void sm_hooks_after_commit(sm_machine *m, const sm_transition *t, bool deferred)
{
    for (uint32_t i = 0; i < m->def->nhooks; i++) {
        const sm_hook *h = &m->def->hooks[i];
        if (!matches(h, SM_HOOK_AFTER_COMMIT, t))
            continue;
        if (deferred)
            (void)sm_deferred_push(m->store, h->call, t, m->user);
        else
            (void)h->call(m, t, m->user);
    }
}
