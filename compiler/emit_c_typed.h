/*
 * emit_c_typed.h - the typed C API of a machine: its state and event
 * types (distinct structs, so one cannot be passed for the other) and
 * the one-line wrappers over libsm that take them.
 */
#ifndef SMC_EMIT_C_TYPED_H
#define SMC_EMIT_C_TYPED_H

#include "buf.h"
#include "model.h"

/* The id enums, the NAME_state / NAME_event structs and their macros. */
void smc_emit_c_types(smc_buf *out, const smc_machine *m);

/* The wrappers' prototypes (header) and definitions (source). */
void smc_emit_c_api_decls(smc_buf *out, const smc_machine *m);
void smc_emit_c_api_defs(smc_buf *out, const smc_machine *m);

#endif
