/*
 * diag.c - formats diagnostics gcc style: the header line, the source
 * line verbatim, and a caret line that keeps tabs so the caret lines up
 * under the offending column.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

/* Append the source line of loc and a caret under its column; the start
 * of the last line shown is cached so in-order reports stay linear. */
static void show_line(smc_diag *d, smc_loc loc)
{
    size_t i = 0;
    int line = 1;
    if (d->cur_line > 0 && d->cur_line <= loc.line) {
        i = d->cur_off;
        line = d->cur_line;
    }
    while (i < d->len && line < loc.line)
        if (d->src[i++] == '\n')
            line++;
    d->cur_line = line;
    d->cur_off = i;
    size_t end = i;
    while (end < d->len && d->src[end] != '\n')
        end++;
    smc_buf_putn(d->out, d->src + i, end - i);
    smc_buf_puts(d->out, "\n");
    for (int c = 1; c < loc.col; c++) {
        size_t k = i + (size_t)c - 1;
        smc_buf_puts(d->out, k < end && d->src[k] == '\t' ? "\t" : " ");
    }
    smc_buf_puts(d->out, "^\n");
}

/* Append one complete diagnostic of the given kind. */
static void emit(smc_diag *d, smc_loc loc, const char *kind, const char *suffix,
                 const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    smc_buf_printf(d->out, "%s:%d:%d: %s: %s%s\n", d->path, loc.line, loc.col,
                   kind, msg, suffix);
    show_line(d, loc);
}

void smc_diag_error(smc_diag *d, smc_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(d, loc, "error", "", fmt, ap);
    va_end(ap);
    d->errors++;
    d->last_shown = true;
}

void smc_diag_warning(smc_diag *d, smc_loc loc, const char *fmt, ...)
{
    d->last_shown = !d->no_warnings;
    if (d->no_warnings)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (d->werror)
        emit(d, loc, "error", " [-Werror]", fmt, ap);
    else
        emit(d, loc, "warning", "", fmt, ap);
    va_end(ap);
    if (d->werror)
        d->errors++;
}

void smc_diag_note(smc_diag *d, smc_loc loc, const char *fmt, ...)
{
    if (!d->last_shown)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, loc, "note", "", fmt, ap);
    va_end(ap);
}
