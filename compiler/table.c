/*
 * table.c - aligned text tables (table.h). Widths count UTF-8 code
 * points, so a name or metadata in any script lines up.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

struct smc_table {
    size_t ncols, nrows, cap;
    bool failed; /* a row could not be added */
    char *align;
    char **cells; /* (nrows + 1) * ncols, the headings first */
};

void smc_table_escape(smc_buf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == '\n')
            smc_buf_puts(out, "\\n");
        else if (*p == '\t')
            smc_buf_puts(out, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            smc_buf_printf(out, "\\x%02x", *p);
        else
            smc_buf_putn(out, (const char *)p, 1);
}

/* A copy of s, escaped; NULL when memory ran out. */
static char *cell(const char *s)
{
    smc_buf b;
    smc_buf_init(&b);
    smc_table_escape(&b, s ? s : "");
    char *c = smc_buf_ok(&b) ? strdup(b.data ? b.data : "") : NULL;
    smc_buf_free(&b);
    return c;
}

void smc_table_add(smc_table *t, const char *const *cells)
{
    if (!t || t->failed)
        return;
    if (t->nrows + 1 == t->cap) {
        size_t cap = t->cap * 2;
        char **v = realloc(t->cells, cap * t->ncols * sizeof *v);
        if (!v) {
            t->failed = true;
            return;
        }
        t->cells = v, t->cap = cap;
    }
    char **row = t->cells + (t->nrows + 1) * t->ncols;
    for (size_t i = 0; i < t->ncols; i++)
        if (!(row[i] = cell(cells[i]))) {
            while (i-- > 0)
                free(row[i]);
            t->failed = true;
            return;
        }
    t->nrows++;
}

static void table_free(smc_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->cells && i < (t->nrows + 1) * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->align);
    free(t);
}

smc_table *smc_table_new(size_t ncols, const char *const *heads,
                         const char *align)
{
    smc_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols, t->cap = 16;
    t->align = strdup(align);
    t->cells = calloc(t->cap * ncols, sizeof *t->cells);
    if (!t->align || !t->cells) {
        table_free(t);
        return NULL;
    }
    for (size_t i = 0; i < ncols; i++)
        if (!(t->cells[i] = cell(heads[i]))) {
            table_free(t);
            return NULL;
        }
    return t;
}

/* The width of s in code points. */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Append n spaces. */
static void pad(smc_buf *out, size_t n)
{
    while (n--)
        smc_buf_putn(out, " ", 1);
}

/* Append t to out (see smc_table_done). */
static void put(smc_buf *out, const smc_table *t, const char *indent)
{
    size_t *w = calloc(t->ncols, sizeof *w);
    if (!w) {
        out->failed = true;
        return;
    }
    for (size_t r = 0; r <= t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t n = width(t->cells[r * t->ncols + c]);
            w[c] = n > w[c] ? n : w[c];
        }
    for (size_t r = 0; r <= t->nrows; r++) {
        smc_buf_puts(out, indent);
        size_t start = out->len;
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t gap = w[c] - width(s);
            bool last = c + 1 == t->ncols;
            if (t->align[c] == 'r')
                pad(out, gap);
            smc_buf_puts(out, s);
            if (t->align[c] != 'r' && !last)
                pad(out, gap);
            if (!last)
                smc_buf_puts(out, "  ");
        }
        while (smc_buf_ok(out) && out->len > start &&
               out->data[out->len - 1] == ' ')
            out->data[--out->len] = '\0';
        smc_buf_puts(out, "\n");
    }
    free(w);
}

void smc_table_done(smc_buf *out, smc_table *t, const char *indent)
{
    if (!t || t->failed)
        out->failed = true;
    else if (t->nrows)
        put(out, t, indent);
    table_free(t);
}
