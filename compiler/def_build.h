/*
 * def_build.h - a checked machine as an sm_def that libsm runs, built in
 * memory: what smcc's commands that read a live table hand the runtime.
 * The tables are those `--emit c` writes, without hooks (smcc runs no
 * user code), so no C compiler is needed between a .sm and libsm.
 */
#ifndef SMC_DEF_BUILD_H
#define SMC_DEF_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "model.h"
#include "sm/def.h"

/*
 * Fill *out with m's def, every table allocated in a (valid as long as a
 * and m are). Returns 0, or -1 when memory ran out.
 */
int smc_def_build(smc_arena *a, const smc_machine *m, sm_def *out);

/*
 * The indexes 0..n) of n names, sorted by name (strcmp): the name
 * index libsm searches. name i is at base + i * stride. Returns false
 * when memory ran out.
 */
bool smc_name_index(int32_t *out, const void *base, size_t stride, size_t n);

/* The SM_STATE_* flags of a state. */
uint8_t smc_state_flags(const smc_state *s);

#endif
