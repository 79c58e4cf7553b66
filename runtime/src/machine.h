/*
 * machine.h - the machine object and the hook runner (private).
 *
 * A machine is one parent's cached latest row plus its def, store and
 * user pointer; the engine (engine.c) decides on it. History is read
 * from the store on demand (history.c).
 */
#ifndef SM_MACHINE_H
#define SM_MACHINE_H

#include "rows.h"

struct sm_machine {
    const sm_def *def;
    sm_store *store; /* NULL once the store was closed */
    int64_t parent_id;
    void *user;
    sm_rows rows;            /* the latest row; during a write also prev */
    sm_rows read;            /* the rows the last history read lent */
    sm_store_tx *tx;         /* the write under way, for its hooks' reads */
    bool busy;               /* a call running m's hooks is under way */
    bool stale;              /* reload before the next write */
    sm_batch *batch;         /* the batch m is queued in, or NULL */
    size_t batch_item;       /* ... and its item's index there */
    sm_machine *prev, *next; /* in the store's list of machines */
    char errmsg[512];
};

/* Set m->errmsg printf-style; returns st. */
sm_status sm_machine_fail(sm_machine *m, sm_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* True when the engine can run def without reading out of bounds; else
 * false with the reason in err (def_check.c). */
bool sm_def_check(const sm_def *def, char *err, size_t n);

/* As sm_machine_fail, the message led by "NAME PARENT: ". */
sm_status sm_machine_fail_parent(sm_machine *m, sm_status st, const char *fmt,
                                 ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Replace the cache with the store's latest row, read in tx (NULL:
 * outside a write). On failure the old cache stays, message in m. */
sm_status sm_machine_load(sm_machine *m, sm_store_tx *tx);
/* The rows a store op read into fresh, with its status st (in tx):
 * into takes them when st is SM_OK and their states are m's def's;
 * else they are dropped, into keeps its rows, and m says why
 * (SM_E_SCHEMA for a state index def lacks). */
sm_status sm_machine_take(sm_machine *m, sm_status st, sm_store_tx *tx,
                          sm_rows *fresh, sm_rows *into);
/* sm_machine_load outside a write. */
sm_status sm_machine_reload(sm_machine *m);

/* The transition m would write to `to` now, with md (NULL = "{}"). */
sm_transition sm_propose(sm_machine *m, int to, const char *md);

/*
 * What a transition and a batch item share (engine.c). enter refuses a
 * write of m (from its hooks, while queued, on a closed store), reloads
 * a stale m, and on SM_OK leaves m busy. decide checks to and md, then
 * the table and the guards on the cache (a refusal runs the failure
 * hooks); *t is the proposal. target resolves event's arrow from the
 * current state into *to (none: failure hooks, SM_E_TRANSITION_FAILED).
 */
sm_status sm_engine_enter(sm_machine *m);
sm_status sm_engine_decide(sm_machine *m, int to, const char *md,
                           sm_transition *t);
sm_status sm_engine_target(sm_machine *m, int event, const char *md, int *to);
/* A before/after hook h aborted t: SM_E_CALLBACK, saying which. */
sm_status sm_engine_hook_failed(sm_machine *m, const sm_hook *h,
                                const sm_transition *t);
/* Once a write is committed, the cache keeps only the latest row. */
void sm_machine_trim(sm_machine *m);

/* Drop m's queued item from its batch (m is being closed). */
void sm_batch_forget(sm_machine *m);

/* Whether state s is retired in def: no transition enters or leaves
 * it, whatever def's table says (engine.c). */
bool sm_state_retired(const sm_def *def, int s);

/* A state's name, or "?" when out of range. */
const char *sm_state_name(const sm_def *def, int s);

/* The first guard that rejects t, or NULL when all pass. */
const sm_hook *sm_hooks_guard(sm_machine *m, const sm_transition *t);
/* Run kind's hooks matching t in order; the first non-zero one, or NULL. */
const sm_hook *sm_hooks_run(sm_machine *m, sm_hook_kind kind,
                            const sm_transition *t);
/* Run (or, when deferred, queue on the store) after_commit hooks. */
void sm_hooks_after_commit(sm_machine *m, const sm_transition *t,
                           bool deferred);

#endif
