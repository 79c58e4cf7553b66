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
#include "diag.h"
#include "model.h"

typedef struct smc_options {
    bool werror;            /* -Werror: warnings count as errors */
    bool no_warnings;       /* -w: warnings are not printed */
    int error_limit;        /* -ferror-limit=N: errors shown; 0: all */
    smc_diag_format format; /* --diagnostics-format */
} smc_options;

/*
 * Scan, parse and check `src` (len bytes, need not be NUL-terminated),
 * read from `path`. Every diagnostic is appended to diag exactly as it
 * goes to stderr: as text ("path:LINE:COL: error: ...", the source line,
 * the caret line), or in JSON as objects separated by ",\n" that the
 * caller wraps in one array. At most opt->error_limit errors are shown
 * (NULL opt: 20), then one line says how many more there were. Returns
 * the number of errors, shown or not (warnings under -Werror included);
 * when it is 0, *out is the checked unit, allocated in a. Returns -1
 * only when memory ran out.
 */
int smc_compile(smc_arena *a, const char *path, const char *src, size_t len,
                const smc_options *opt, smc_buf *diag, smc_unit **out);

#endif
