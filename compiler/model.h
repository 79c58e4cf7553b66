/*
 * model.h - the checked model of a .sm file, what the emitters read.
 *
 * sema turns the raw AST into this: states numbered in declaration
 * order, transitions sorted and unique, one hook per (declaration, name),
 * old (`was`) names gathered into one sorted alias table.
 * Everything lives in the compilation's arena.
 */
#ifndef SMC_MODEL_H
#define SMC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sm/def.h" /* sm_hook_kind */

/*
 * A span of source: where a token (or a rule's tokens) starts, as a line
 * and column for people and a byte offset for the diagnostics, which
 * find the source line from it in O(1).
 */
typedef struct smc_loc {
    int line;     /* 1-based; 0: no location */
    int col;      /* 1-based, in bytes */
    uint32_t off; /* byte offset of the first byte (inputs are < 2 GB) */
    uint32_t end; /* byte offset past the last byte; == off: a point */
} smc_loc;

typedef struct smc_state {
    const char *name;
    smc_loc loc; /* where it is declared */
    bool initial;
    bool final;
    bool retired;     /* in history only: never entered or left */
    const char **was; /* its old names, as declared */
    size_t nwas;
} smc_state;

typedef struct smc_trans {
    int from; /* state index */
    int to;
} smc_trans;

typedef struct smc_event {
    const char *name;
    smc_loc loc;
    smc_trans *arrows; /* sorted by from; at most one per from */
    size_t narrows;
} smc_event;

typedef struct smc_hook {
    sm_hook_kind kind;
    int *from; /* NULL: '*' */
    size_t nfrom;
    int *to; /* NULL: '*' */
    size_t nto;
    const char *name; /* C function name, without the machine prefix */
    smc_loc loc;
    bool repeat; /* an earlier hook has this name: it has its prototype */
} smc_hook;

typedef struct smc_machine {
    const char *name;
    smc_loc loc;
    smc_state *states; /* declaration order; the enum order */
    size_t nstates;
    int initial;      /* index into states */
    smc_trans *trans; /* sorted by (from, to), no duplicates */
    size_t ntrans;
    smc_event *events; /* declaration order */
    size_t nevents;
    smc_hook *hooks; /* declaration order; a name may repeat */
    size_t nhooks;
    const char *table; /* storage, defaults filled in */
    const char *parent_table;
    const char *parent_key;
    unsigned schema;          /* SM_SCHEMA_*: the storage options */
    const char **alias_names; /* every old (`was`) name, strcmp order */
    int *alias_states;        /* the state each old name is now */
    size_t naliases;
    const char *state_column; /* storage: NULL unless set */
} smc_machine;

typedef struct smc_unit {
    const char *path;      /* as given on the command line */
    smc_machine *machines; /* file order */
    size_t nmachines;
} smc_unit;

#endif
