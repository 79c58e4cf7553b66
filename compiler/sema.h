/*
 * sema.h - the checker: raw AST in, checked model out, every rule of
 * README.md ("The .sm language") reported through the diagnostic sink.
 */
#ifndef SMC_SEMA_H
#define SMC_SEMA_H

#include "ast.h"
#include "diag.h"
#include "model.h"

/*
 * Check the machines of one file and build the unit (in a). What only
 * the checking needs lives in scratch, which is emptied after each
 * machine (smc_arena_reset). Errors go to d. Returns the unit, or NULL
 * when memory ran out.
 */
smc_unit *smc_sema_check(smc_arena *a, smc_arena *scratch, smc_diag *d,
                         const char *path, ast_machine *file);

#endif
