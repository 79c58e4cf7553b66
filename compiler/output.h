/*
 * output.h - the command line's outputs, written all or nothing: each
 * to a temporary file beside it, and all renamed into place only after
 * every one was written; on any failure nothing new is left behind.
 * An output whose bytes are already there is left untouched (mtime
 * included), so a build does not redo what depends on it. Only regular
 * files (or symbolic links to one) and new paths are written; anything
 * else is refused.
 */
#ifndef SMC_OUTPUT_H
#define SMC_OUTPUT_H

#include "buf.h"

typedef struct smc_outputs smc_outputs;

/* A new, empty set; NULL when memory ran out. */
smc_outputs *smc_outputs_new(void);
/* Free o, removing any temporary file it still has. NULL-safe. */
void smc_outputs_free(smc_outputs *o);

/* Create dir (and its missing parents) when committing. */
int smc_outputs_mkdir(smc_outputs *o, const char *dir);
/* Add path with the bytes of *data, which o takes over (*data is left
 * empty). Returns 0, or -1 when memory ran out. */
int smc_outputs_add(smc_outputs *o, const char *path, smc_buf *data);

/* Write them all. Returns 0, or -1 with smc_outputs_errmsg(o) set. */
int smc_outputs_commit(smc_outputs *o);
/* Why the last call failed ("cannot write 'x': ..."). */
const char *smc_outputs_errmsg(const smc_outputs *o);

/* What kind of file a st_mode is, for messages: "a directory",
 * "a FIFO", "a character device", ... */
const char *smc_file_kind(unsigned mode);

#endif
