/*
 * diag_text.c - a diagnostic as compilers print it: "path:L:C: kind:
 * msg", the source line, a caret with '~' under the rest of the range,
 * and each fix-it's text under where it goes. A long line is cut to a
 * window around the caret; control bytes are shown as \xNN.
 */
#include "diag.h"

#include <string.h>

enum {
    LEAD = 60,  /* bytes shown before the caret at most */
    WIDTH = 160 /* bytes shown at most */
};

/* The bytes [start, end) of a line that are shown. */
typedef struct window {
    size_t start, end;
    bool cut_before, cut_after;
} window;

static bool is_eol(char c)
{
    return c == '\n' || c == '\r';
}

/* Whether source byte c is shown escaped, as \xNN (four columns). */
static bool escaped(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* The end of the line from `from`, looking at no byte past `cap`. */
static size_t line_end(const smc_diag *d, size_t from, size_t cap)
{
    while (from < d->len && from <= cap && !is_eol(d->src[from]))
        from++;
    return from;
}

/*
 * The part of loc's line to show: all of it when it fits in WIDTH bytes,
 * else a window from LEAD bytes before the caret. The line starts col -
 * 1 bytes before loc.off, so only what is shown is ever scanned. False
 * when loc has no position in the source.
 */
static bool find_window(const smc_diag *d, smc_loc loc, window *w)
{
    size_t back = (size_t)loc.col - 1;
    if (loc.line < 1 || loc.col < 1 || back > loc.off || loc.off > d->len)
        return false;
    size_t start = loc.off - back, e = WIDTH;
    if (back <= WIDTH)
        e = line_end(d, loc.off, start + WIDTH);
    bool fits = back <= WIDTH && e <= start + WIDTH;
    size_t lead = fits ? back : back < LEAD ? back : LEAD;
    w->start = loc.off - lead;
    w->cut_before = lead < back;
    if (!fits)
        e = line_end(d, loc.off, w->start + WIDTH);
    w->cut_after = e > w->start + WIDTH;
    w->end = w->cut_after ? w->start + WIDTH : e;
    return true;
}

/* Append n bytes of source with control bytes escaped. */
static void echo(smc_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && !escaped((unsigned char)s[j]))
            j++;
        smc_buf_putn(b, s + i, j - i);
        if (j < n)
            smc_buf_printf(b, "\\x%02X", (unsigned char)s[j++]);
        i = j;
    }
}

/*
 * Append what lines up under n bytes of source as echo() shows them:
 * fill per column, tabs kept when padding, four per escaped byte and
 * nothing for a UTF-8 continuation byte.
 */
static void under(smc_buf *b, const char *s, size_t n, char fill)
{
    char f[2] = {fill, '\0'};
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t' && fill == ' ')
            smc_buf_puts(b, "\t");
        else if (escaped(c))
            smc_buf_putn(b, fill == ' ' ? "    " : "~~~~", 4);
        else if ((c & 0xC0) != 0x80)
            smc_buf_puts(b, f);
    }
}

/* The caret under loc's first byte and '~' under the rest of its range. */
static void caret_line(smc_diag *d, smc_loc loc, const window *w)
{
    const char *src = d->src;
    if (w->cut_before)
        smc_buf_puts(d->out, "   ");
    under(d->out, src + w->start, loc.off - w->start, ' ');
    size_t last = loc.end < w->end ? loc.end : w->end;
    if (loc.off < last && escaped((unsigned char)src[loc.off]))
        smc_buf_puts(d->out, "^~~~");
    else
        smc_buf_puts(d->out, "^");
    if (loc.off + 1 < last)
        under(d->out, src + loc.off + 1, last - loc.off - 1, '~');
    smc_buf_puts(d->out, "\n");
}

/* The fix-it's text under where it goes, when that is in the window. */
static void fixit_line(smc_diag *d, const smc_fixit *f, smc_loc loc,
                       const window *w)
{
    if (f->at.line != loc.line || f->at.off < w->start || f->at.off > w->end)
        return;
    if (w->cut_before)
        smc_buf_puts(d->out, "   ");
    under(d->out, d->src + w->start, f->at.off - w->start, ' ');
    echo(d->out, f->text, strlen(f->text));
    smc_buf_puts(d->out, "\n");
}

void smc_diag_write_text(smc_diag *d, const smc_diag_item *it)
{
    static const char *const kinds[] = {"error", "warning", "note"};
    smc_loc loc = it->loc;
    if (loc.line > 0)
        smc_buf_printf(d->out, "%s:%d:%d: ", d->path, loc.line, loc.col);
    else
        smc_buf_printf(d->out, "%s: ", d->path);
    smc_buf_printf(d->out, "%s: %s%s\n", it->werror ? "error" : kinds[it->kind],
                   it->msg, it->werror ? " [-Werror]" : "");
    window w;
    if (!find_window(d, loc, &w))
        return;
    if (w.cut_before)
        smc_buf_puts(d->out, "...");
    echo(d->out, d->src + w.start, w.end - w.start);
    smc_buf_puts(d->out, w.cut_after ? "...\n" : "\n");
    caret_line(d, loc, &w);
    for (int i = 0; i < it->nfix; i++)
        fixit_line(d, &it->fix[i], loc, &w);
}
