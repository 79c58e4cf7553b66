/*
 * sm/def.h - the tables smcc generates and libsm reads.
 *
 * Generated code fills in one const sm_def per machine; the runtime's
 * generic engine interprets it. The layout is versioned: a def whose
 * version the runtime does not know is refused with SM_E_ARG.
 */
#ifndef SM_DEF_H
#define SM_DEF_H

#include <stdbool.h>
#include <stdint.h>

#include "sm/export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SM_DEF_VERSION 4u

typedef struct sm_machine sm_machine;
typedef struct sm_transition sm_transition;

/* A guard: true lets the transition go on. */
typedef bool (*sm_guard_fn)(sm_machine *m, const sm_transition *t, void *user);
/* Any other hook: 0 goes on; non-zero aborts (before/after only). */
typedef int (*sm_hook_fn)(sm_machine *m, const sm_transition *t, void *user);

typedef enum sm_hook_kind {
    SM_HOOK_GUARD,
    SM_HOOK_BEFORE,
    SM_HOOK_AFTER,
    SM_HOOK_AFTER_COMMIT,
    SM_HOOK_AFTER_GUARD_FAILURE,
    SM_HOOK_AFTER_TRANSITION_FAILURE,
    SM_HOOK__COUNT
} sm_hook_kind;

/* A state's flags. A retired state may be in history (rows load) but is
 * never entered or left again. */
enum {
    SM_STATE_INITIAL = 1u << 0,
    SM_STATE_FINAL = 1u << 1,
    SM_STATE_RETIRED = 1u << 2
};

/*
 * What sm_mysql_create_schema() (and `smcc --emit sql`) creates besides
 * the transitions table: the .sm file's storage options.
 */
enum {
    SM_SCHEMA_PARENT = 1u << 0,      /* the parent table, when missing */
    SM_SCHEMA_FOREIGN_KEY = 1u << 1, /* parent_key -> parent_table.id */
    SM_SCHEMA_STATE_CHECK = 1u << 2  /* to_state is one of its names */
};

/* One arrow of an event: in state `from`, the event goes to `to`. */
typedef struct sm_arrow {
    int32_t from;
    int32_t to;
} sm_arrow;

/*
 * One hook of the .sm file, in declaration order. A selector side is
 * either "*" (states == NULL) or the nstates listed state indexes.
 */
typedef struct sm_hook {
    sm_hook_kind kind;
    const int32_t *from; /* NULL: any state */
    uint32_t nfrom;
    const int32_t *to; /* NULL: any state */
    uint32_t nto;
    sm_guard_fn guard; /* set for SM_HOOK_GUARD, else NULL */
    sm_hook_fn call;   /* set for every other kind, else NULL */
    const char *name;  /* the C function's name, for messages */
} sm_hook;

/*
 * A machine. Transitions are stored as compressed rows: the targets of
 * state s are trans_to[trans_index[s] .. trans_index[s + 1]), ascending,
 * so the tables grow with the number of transitions, not states squared.
 * state_by_name lists the state indexes with their names in strcmp
 * order (event_by_name likewise), so a name is found by binary search.
 * Old names (`state b was a;`) are an alias table sorted by name: a row
 * that holds one loads as the state it names now.
 */
typedef struct sm_def {
    uint32_t version; /* SM_DEF_VERSION */
    const char *name; /* machine name */
    uint32_t nstates;
    const char *const *state_names; /* nstates names */
    const int32_t *state_by_name;   /* nstates indexes, by name */
    const uint8_t *state_flags;     /* SM_STATE_* per state */
    int32_t initial;                /* index of the initial state */
    const uint32_t *trans_index;    /* nstates + 1 offsets */
    const int32_t *trans_to;        /* trans_index[nstates] targets */
    uint32_t nevents;
    const char *const *event_names; /* nevents names */
    const int32_t *event_by_name;   /* nevents indexes, by name */
    const uint32_t *event_index;    /* nevents + 1 offsets */
    const sm_arrow *event_arrows;   /* event_index[nevents] arrows */
    uint32_t nhooks;
    const sm_hook *hooks;     /* declaration order */
    const char *table;        /* storage: transitions table */
    const char *parent_table; /* storage: parent table */
    const char *parent_key;   /* storage: parent id column */
    uint32_t schema;          /* SM_SCHEMA_*: what create_schema makes */
    uint32_t naliases;
    const char *const *alias_names; /* old (`was`) names, strcmp order */
    const int32_t *alias_states;    /* the state each old name is now */
    const char *state_column; /* storage: parent's cached state, or NULL */
} sm_def;

/*
 * True when `from -> to` is a declared transition of def (a binary
 * search of from's row); false for NULL def or a state out of range.
 * Reads def only: thread-safe.
 */
SM_API bool sm_def_allows(const sm_def *def, int from, int to);

/*
 * The index of the state (event) called name, found by binary search of
 * def's name index; -1 when def has no such name, or def or name is
 * NULL. Names compare byte for byte (strcmp), so case matters; old
 * (`was`) names are not states here (see sm_def_state_lookup). Reads def
 * only: thread-safe.
 */
SM_API int sm_def_state_index(const sm_def *def, const char *name);
SM_API int sm_def_event_index(const sm_def *def, const char *name);

/*
 * The name of state (event) index i, or NULL when i is out of range or
 * def is NULL. The string is def's: it lives as long as def does.
 * Thread-safe.
 */
SM_API const char *sm_def_state_name(const sm_def *def, int i);
SM_API const char *sm_def_event_name(const sm_def *def, int i);

/*
 * The state a name found in the store stands for: the state of that
 * name, or the state an old (`was`) name maps to. When old is not NULL,
 * *old is set to def's copy of the old name (it lives as long as def),
 * or NULL for a current name or none. -1 when def knows no such name,
 * or def or name is NULL. Names compare byte for byte. Thread-safe.
 */
SM_API int sm_def_state_lookup(const sm_def *def, const char *name,
                               const char **old);

#ifdef __cplusplus
}
#endif
#endif
