/*
 * table.h - the readable tables smcc's database commands print: columns
 * aligned under their headings, numbers to the right, and every cell's
 * control characters escaped, since cells hold what a table stored
 * (names, metadata) and a terminal must not act on them.
 */
#ifndef SMC_TABLE_H
#define SMC_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct smc_table smc_table;

/* A table of ncols columns named heads[]; align[i] is 'r' (numbers) or
 * 'l'. NULL when memory ran out (every call below accepts it). */
smc_table *smc_table_new(size_t ncols, const char *const *heads,
                         const char *align);

/* Append a row of ncols cells (copied); out of memory is remembered
 * for smc_table_done. */
void smc_table_add(smc_table *t, const char *const *cells);

/* Append the table to out, unless it has no rows, then free it: each
 * line starts with indent, two spaces between columns, no trailing
 * blanks. out fails when memory ran out anywhere on the way. */
void smc_table_done(smc_buf *out, smc_table *t, const char *indent);

/* Append s with its control characters escaped (\n, \t, \xNN). */
void smc_table_escape(smc_buf *out, const char *s);

#endif
