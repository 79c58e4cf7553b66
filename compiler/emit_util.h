/*
 * emit_util.h - small helpers the emitters share: the banner's file
 * name, upper-cased identifiers, JSON strings and hook kind names.
 * Output always goes through smc_buf.
 */
#ifndef SMC_EMIT_UTIL_H
#define SMC_EMIT_UTIL_H

#include "buf.h"
#include "model.h"

/* The last path component of `path` ("" for NULL). */
const char *smc_emit_basename(const char *path);

/* Append `s` upper-cased (ASCII). */
void smc_emit_upper(smc_buf *out, const char *s);

/* Append `s` as a macro name: upper-cased, every byte that cannot be in
 * a C identifier (a file stem's '-', '.', ...) as '_', and a leading
 * digit after a '_'. */
void smc_emit_macro(smc_buf *out, const char *s);

/* Append s as a JSON string literal (NULL as null), control bytes and
 * DEL escaped as \u00XX. */
void smc_emit_json_str(smc_buf *out, const char *s);

/* The .sm keyword of a hook kind ("guard", "after_commit", ...). */
const char *smc_emit_hook_kind(sm_hook_kind k);

#endif
