/*
 * store_priv.h - store internals shared by store.c, memory.c, the engine.
 *
 * Opening stores by scheme, and the list of after_commit hooks a store
 * keeps while its caller's transaction is undecided.
 */
#ifndef SM_STORE_PRIV_H
#define SM_STORE_PRIV_H

#include "sm/store.h"

/* Open a "memory:" store into *out; SM_E_NOMEM leaves *out NULL. */
sm_status sm_memory_open(sm_store **out);

/* This thread's message buffer for s if s is a memory store, else NULL
 * (a memory store is shared by threads, so its message is per thread;
 * sm_store_fail writes there too). */
char *sm_memory_errmsg(const sm_store *s);

/* Queue fn(NULL, t, user) until sm_store_signal_commit(s, ...). Copies t. */
sm_status sm_deferred_push(sm_store *s, sm_hook_fn fn, const sm_transition *t,
                           void *user);
/* Drop every queued hook without running it. */
void sm_deferred_drop(sm_store *s);

#endif
