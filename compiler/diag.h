/*
 * diag.h - the diagnostic sink: collects errors, warnings and notes,
 * counts them and formats each as "path:LINE:COL: kind: msg", then the
 * source line and a caret under the column.
 */
#ifndef SMC_DIAG_H
#define SMC_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "model.h"

typedef struct smc_diag {
    smc_buf *out;
    const char *path;
    const char *src;
    size_t len;
    int errors; /* warnings under -Werror included */
    bool werror;
    bool no_warnings;
    bool last_shown; /* whether the last error/warning printed (notes) */
    int cur_line;    /* cache: the start offset of line cur_line */
    size_t cur_off;
} smc_diag;

/* Report an error at loc. */
void smc_diag_error(smc_diag *d, smc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Report a warning at loc (an error under -Werror, nothing under -w). */
void smc_diag_warning(smc_diag *d, smc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a note to the last error or warning (dropped if it was). */
void smc_diag_note(smc_diag *d, smc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
