/*
 * diag.h - the diagnostic sink: counts errors, warnings and notes, caps
 * what it shows at the error limit, and writes each diagnostic as text
 * (clang style: header, source line, caret and range, fix-it line) or as
 * GCC-shaped JSON. Memory per diagnostic is bounded, whatever the line.
 */
#ifndef SMC_DIAG_H
#define SMC_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "model.h"

typedef enum smc_diag_format {
    SMC_DIAG_TEXT, /* path:LINE:COL: error: ..., source line, caret */
    SMC_DIAG_JSON  /* one JSON object per diagnostic, comma-separated */
} smc_diag_format;

typedef enum smc_diag_kind {
    SMC_DIAG_ERROR,
    SMC_DIAG_WARNING,
    SMC_DIAG_NOTE
} smc_diag_kind;

enum { SMC_DIAG_MSG = 512, SMC_DIAG_FIX = 72, SMC_DIAG_NFIX = 2 };

/* An edit that would fix the mistake: replace `at` by text. */
typedef struct smc_fixit {
    smc_loc at; /* at.off == at.end: insert before at.off */
    char text[SMC_DIAG_FIX];
} smc_fixit;

/* One diagnostic, kept until the next so fix-its can be attached. */
typedef struct smc_diag_item {
    smc_diag_kind kind;
    bool werror; /* a warning shown as an error */
    smc_loc loc; /* line 0: about the whole file */
    char msg[SMC_DIAG_MSG];
    smc_fixit fix[SMC_DIAG_NFIX];
    int nfix;
} smc_diag_item;

typedef struct smc_diag {
    smc_buf *out;
    const char *path;
    const char *src;
    size_t len;
    smc_diag_format format;
    int error_limit; /* errors shown at most; 0: no limit */
    bool werror;
    bool no_warnings;
    int errors;       /* all errors, shown or not (with -Werror warnings) */
    int shown_errors; /* errors written */
    int hidden_errors, hidden_warnings; /* past the error limit */
    bool last_shown;  /* the last error/warning was written (notes) */
    bool pending;     /* item holds a diagnostic not yet written */
    bool json_open;   /* JSON: a top-level object awaits its children */
    int json_objects; /* JSON: top-level objects written */
    int json_children;
    smc_diag_item item;
} smc_diag;

/* A sink writing to out for the source src (len bytes) read from path. */
void smc_diag_init(smc_diag *d, smc_buf *out, const char *path, const char *src,
                   size_t len);
/* Report an error at loc. */
void smc_diag_error(smc_diag *d, smc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Report a warning at loc (an error under -Werror, nothing under -w). */
void smc_diag_warning(smc_diag *d, smc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a note to the last error or warning (dropped if it was). */
void smc_diag_note(smc_diag *d, smc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a fix-it (replace at by text) to the last diagnostic or note. */
void smc_diag_fixit(smc_diag *d, smc_loc at, const char *text);
/* Whether the next error would go unshown (skip costly hints then). */
bool smc_diag_muted(const smc_diag *d);
/* Write what is pending and, past the limit, how much was not shown. */
void smc_diag_finish(smc_diag *d);

/* The point just after loc (its end): where a missing token goes. */
smc_loc smc_loc_after(smc_loc loc);

/* Writers of one item, for diag.c: text and JSON. */
void smc_diag_write_text(smc_diag *d, const smc_diag_item *it);
void smc_diag_write_json(smc_diag *d, const smc_diag_item *it);

#endif
