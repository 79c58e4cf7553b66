/*
 * diag.c - the diagnostic sink: counting, the error limit, and the one
 * pending item that fix-its attach to before it is written. Formatting
 * lives in diag_text.c and diag_json.c.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void smc_diag_init(smc_diag *d, smc_buf *out, const char *path, const char *src,
                   size_t len)
{
    memset(d, 0, sizeof *d);
    d->out = out;
    d->path = path;
    d->src = src;
    d->len = len;
    d->error_limit = 20;
}

smc_loc smc_loc_after(smc_loc loc)
{
    return (smc_loc){loc.line, loc.col + (int)(loc.end - loc.off), loc.end,
                     loc.end};
}

bool smc_diag_muted(const smc_diag *d)
{
    return d->error_limit > 0 && d->shown_errors >= d->error_limit;
}

/* Write the pending item, if any. */
static void flush(smc_diag *d)
{
    if (!d->pending)
        return;
    d->pending = false;
    if (d->format == SMC_DIAG_JSON)
        smc_diag_write_json(d, &d->item);
    else
        smc_diag_write_text(d, &d->item);
}

/* Close the JSON object of the last top-level diagnostic. */
static void close_object(smc_diag *d)
{
    if (!d->json_open)
        return;
    smc_buf_puts(d->out, "]}");
    d->json_open = false;
}

/*
 * Format the message into it->msg as printable ASCII: any other byte
 * (a NUL, a CR, a byte of a storage string) is written \xNN, so no raw
 * control byte reaches a terminal and the JSON stays valid; so is '\',
 * so that a quoted "\x01" cannot pass for the byte it spells.
 */
static void set_msg(smc_diag_item *it, const char *fmt, va_list ap)
{
    char raw[SMC_DIAG_MSG];
    int k = vsnprintf(raw, sizeof raw, fmt, ap);
    size_t n = k < 0 ? 0 : (size_t)k < sizeof raw ? (size_t)k : sizeof raw - 1;
    size_t o = 0;
    /* n, not the first NUL: a %c argument may be a NUL byte to show */
    for (size_t i = 0; i < n && o + 5 < sizeof it->msg; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            it->msg[o++] = (char)c;
        else
            o += (size_t)snprintf(it->msg + o, 5, "\\x%02X", c);
    }
    it->msg[o] = '\0';
}

/*
 * Count a diagnostic of kind at loc and make it the pending item; false
 * when it is not shown (-w, past the error limit, a note of a hidden
 * diagnostic), in which case fix-its and notes for it are dropped.
 */
static bool begin(smc_diag *d, smc_diag_kind kind, bool werror, smc_loc loc)
{
    bool error = kind == SMC_DIAG_ERROR || werror;
    flush(d);
    d->errors += error;
    if (kind == SMC_DIAG_NOTE) {
        if (!d->last_shown)
            return false;
    } else if (smc_diag_muted(d)) {
        d->hidden_errors += error;
        d->hidden_warnings += !error;
        d->last_shown = false;
        return false;
    } else {
        close_object(d);
        d->shown_errors += error;
        d->last_shown = true;
    }
    memset(&d->item, 0, sizeof d->item);
    d->item.kind = kind;
    d->item.werror = werror;
    d->item.loc = loc;
    d->pending = true;
    return true;
}

void smc_diag_error(smc_diag *d, smc_loc loc, const char *fmt, ...)
{
    if (!begin(d, SMC_DIAG_ERROR, false, loc))
        return;
    va_list ap;
    va_start(ap, fmt);
    set_msg(&d->item, fmt, ap);
    va_end(ap);
}

void smc_diag_warning(smc_diag *d, smc_loc loc, const char *fmt, ...)
{
    if (d->no_warnings) {
        flush(d);
        d->last_shown = false;
        return;
    }
    if (!begin(d, SMC_DIAG_WARNING, d->werror, loc))
        return;
    va_list ap;
    va_start(ap, fmt);
    set_msg(&d->item, fmt, ap);
    va_end(ap);
}

void smc_diag_note(smc_diag *d, smc_loc loc, const char *fmt, ...)
{
    if (!begin(d, SMC_DIAG_NOTE, false, loc))
        return;
    va_list ap;
    va_start(ap, fmt);
    set_msg(&d->item, fmt, ap);
    va_end(ap);
}

void smc_diag_fixit(smc_diag *d, smc_loc at, const char *text)
{
    if (!d->pending || d->item.nfix == SMC_DIAG_NFIX)
        return;
    smc_fixit *f = &d->item.fix[d->item.nfix++];
    f->at = at;
    snprintf(f->text, sizeof f->text, "%s", text);
}

void smc_diag_finish(smc_diag *d)
{
    flush(d);
    close_object(d);
    if (!d->hidden_errors && !d->hidden_warnings)
        return;
    smc_diag_item *it = &d->item;
    memset(it, 0, sizeof *it);
    it->kind = SMC_DIAG_NOTE;
    int e = d->hidden_errors, w = d->hidden_warnings;
    int n = 0;
    if (e)
        n = snprintf(it->msg, sizeof it->msg, "%d more error%s%s", e,
                     e == 1 ? "" : "s", w ? " and " : "");
    if (w)
        n += snprintf(it->msg + n, sizeof it->msg - (size_t)n, "%d %swarning%s",
                      w, e ? "" : "more ", w == 1 ? "" : "s");
    snprintf(it->msg + n, sizeof it->msg - (size_t)n,
             " not shown (-ferror-limit=%d; 0 shows all)", d->error_limit);
    d->pending = true;
    flush(d);
    close_object(d);
}
