/*
 * smcc.h - the compile pipeline as a library: source text in, checked
 * model and diagnostics out. main.c, the tests and the fuzzer all call
 * this, so every path through the compiler is reachable in-process.
 */
#ifndef SMC_SMCC_H
#define SMC_SMCC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "model.h"

typedef struct smc_options {
    bool werror;      /* -Werror: warnings count as errors */
    bool no_warnings; /* -w: warnings are not printed */
} smc_options;

/*
 * Scan, parse and check `src` (len bytes, need not be NUL-terminated),
 * read from `path`. Every diagnostic is appended to diag exactly as it
 * goes to stderr ("path:LINE:COL: error: ...", the source line, the
 * caret line). Returns the number of errors (warnings under -Werror
 * included); when it is 0, *out is the checked unit, allocated in a.
 * Returns -1 only when memory ran out.
 */
int smc_compile(smc_arena *a, const char *path, const char *src, size_t len,
                const smc_options *opt, smc_buf *diag, smc_unit **out);

#endif
