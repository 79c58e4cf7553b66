/*
 * diff.h - what changed between two versions of a .sm file, as far as
 * the stored history is concerned: the compatibility report of
 * `smcc diff` and what its migration is written from (README: "Evolving
 * a machine"). Machines are matched by name.
 */
#ifndef SMC_DIFF_H
#define SMC_DIFF_H

#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "model.h"

/* The kinds of change, in report order: the breaking ones first. */
typedef enum smc_change_kind {
    SMC_MACHINE_REMOVED,
    SMC_TABLE_CHANGED,
    SMC_PARENT_TABLE_CHANGED,
    SMC_PARENT_KEY_CHANGED,
    SMC_INITIAL_CHANGED,
    SMC_STATE_REMOVED,
    SMC_OLD_NAME_DROPPED,
    SMC_TRANSITION_REMOVED,
    SMC_MACHINE_ADDED, /* the compatible ones from here */
    SMC_STATE_RENAMED,
    SMC_STATE_RETIRED,
    SMC_STATE_UNRETIRED,
    SMC_STATE_ADDED,
    SMC_TRANSITION_ADDED,
    SMC_PARENT_CREATED,
    SMC_FOREIGN_KEY_ADDED,
    SMC_FOREIGN_KEY_DROPPED,
    SMC_CHECK_CHANGED,
    SMC_CHECK_DROPPED,
    SMC_STATE_COLUMN_ADDED,
    SMC_STATE_COLUMN_DROPPED,
    SMC_CHANGE__COUNT
} smc_change_kind;

/* One change. old/new name what it is about in each version (a state,
 * an old name, "a -> b", a table), NULL where there is none. */
typedef struct smc_change {
    smc_change_kind kind;
    const char *old;
    const char *new;
} smc_change;

/* The changes of one machine, in kind order. */
typedef struct smc_machine_diff {
    const char *name;
    const smc_machine *old; /* NULL: added */
    const smc_machine *new; /* NULL: removed */
    smc_change *changes;
    size_t nchanges;
    size_t nbreaking;
    bool moved; /* its tables changed: nothing of it is migrated */
} smc_machine_diff;

typedef struct smc_diff {
    const char *old_path, *new_path;
    smc_machine_diff *machines; /* NEW's order, then the removed ones */
    size_t nmachines;
    size_t nbreaking; /* breaking changes in all machines */
    size_t nmigrated; /* changes the migration SQL carries out */
} smc_diff;

/*
 * Compare old with new (checked units) into *out, allocated in a.
 * Returns 0, or -1 when memory ran out.
 */
int smc_diff_units(smc_arena *a, const smc_unit *old, const smc_unit *new,
                   smc_diff **out);

/* Whether k breaks compatibility with the history; whether the
 * migration SQL has a part for it. */
bool smc_change_breaking(smc_change_kind k);
bool smc_change_migrated(smc_change_kind k);

/* The report: readable text, or JSON (one object). */
void smc_diff_text(smc_buf *out, const smc_diff *d);
void smc_diff_json(smc_buf *out, const smc_diff *d);

/*
 * The migration SQL of d, runnable with the mariadb client. step 1 is
 * the schema (run it before the new code writes), step 2 the rewrite
 * of renamed states in batches of `batch` rows (run it once no process
 * runs the old code); step 0 is both.
 */
void smc_emit_migration(smc_buf *out, const smc_diff *d, int step, long batch);

#endif
