/*
 * ddl_machine.h - the compiler's side of ddl/: the sm_ddl of a checked
 * machine, and appending a formatter's statements (or comments) to an
 * output buffer.
 * emit_sql.c and emit_migration.c write their DDL through here.
 */
#ifndef SMC_DDL_MACHINE_H
#define SMC_DDL_MACHINE_H

#include <stdbool.h>

#include "buf.h"
#include "ddl.h"
#include "model.h"

/* Fill d from m; its sorted name list comes from smc_malloc. False
 * (out of memory) leaves nothing to free. */
bool smc_ddl_init(sm_ddl *d, const smc_machine *m);
void smc_ddl_free(sm_ddl *d);

/* A formatter of ddl.h: sm_ddl_parent, sm_ddl_table, ... */
typedef size_t (*smc_ddl_fn)(char *buf, size_t cap, const sm_ddl *d);

/* Append f's text for d to out (out fails when memory runs out). */
void smc_ddl_put(smc_buf *out, const sm_ddl *d, smc_ddl_fn f);

/* Append text as SQL comments, "-- " before each of its lines (out
 * fails when text did). */
void smc_ddl_put_comment(smc_buf *out, const smc_buf *text);

/* Append m's tables, each statement followed by ";\n": the parent table
 * (when its options ask for it), the transitions table, then the state
 * column (when m has one). */
void smc_ddl_put_machine(smc_buf *out, const smc_machine *m);

#endif
