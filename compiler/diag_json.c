/*
 * diag_json.c - a diagnostic as GCC's -fdiagnostics-format=json writes
 * it: kind, message, locations (caret, start, finish), fix-its (start,
 * next, string) and the notes as children. Columns count bytes from 1;
 * a finish is the range's last byte, a fix-it's next the byte after it.
 */
#include "diag.h"
#include "emit_util.h" /* smc_emit_json_str */

/* Append {"file": ..., "line": L, "column": C}. */
static void json_point(smc_diag *d, int line, int col)
{
    smc_buf_puts(d->out, "{\"file\": ");
    smc_emit_json_str(d->out, d->path);
    smc_buf_printf(d->out, ", \"line\": %d, \"column\": %d}", line, col);
}

/* The column of the last byte of loc's range on its first line. */
static int finish_col(const smc_diag *d, smc_loc loc)
{
    size_t e = loc.off;
    while (e < loc.end && e < d->len && d->src[e] != '\n' && d->src[e] != '\r')
        e++;
    return e > loc.off ? loc.col + (int)(e - loc.off) - 1 : loc.col;
}

/* Append "locations": [...] for loc (empty when it has no position). */
static void json_locations(smc_diag *d, smc_loc loc)
{
    smc_buf_puts(d->out, ", \"locations\": [");
    if (loc.line > 0) {
        smc_buf_puts(d->out, "{\"caret\": ");
        json_point(d, loc.line, loc.col);
        smc_buf_puts(d->out, ", \"start\": ");
        json_point(d, loc.line, loc.col);
        smc_buf_puts(d->out, ", \"finish\": ");
        json_point(d, loc.line, finish_col(d, loc));
        smc_buf_puts(d->out, "}");
    }
    smc_buf_puts(d->out, "]");
}

/* Append "fixits": [...] when there are any. */
static void json_fixits(smc_diag *d, const smc_diag_item *it)
{
    if (!it->nfix)
        return;
    smc_buf_puts(d->out, ", \"fixits\": [");
    for (int i = 0; i < it->nfix; i++) {
        smc_loc at = it->fix[i].at;
        smc_buf_puts(d->out, i ? ", {\"start\": " : "{\"start\": ");
        json_point(d, at.line, at.col);
        smc_buf_puts(d->out, ", \"next\": ");
        json_point(d, at.line, at.col + (int)(at.end - at.off));
        smc_buf_puts(d->out, ", \"string\": ");
        smc_emit_json_str(d->out, it->fix[i].text);
        smc_buf_puts(d->out, "}");
    }
    smc_buf_puts(d->out, "]");
}

/*
 * A note of an open diagnostic becomes one of its children; anything
 * else starts a top-level object whose children follow (diag.c closes
 * it).
 */
void smc_diag_write_json(smc_diag *d, const smc_diag_item *it)
{
    static const char *const kinds[] = {"error", "warning", "note"};
    bool child = it->kind == SMC_DIAG_NOTE && d->json_open;
    if (child && d->json_children++)
        smc_buf_puts(d->out, ", ");
    if (!child && d->json_objects++)
        smc_buf_puts(d->out, ",\n");
    smc_buf_printf(d->out, "{\"kind\": \"%s\", \"message\": ",
                   it->werror ? "error" : kinds[it->kind]);
    smc_emit_json_str(d->out, it->msg);
    if (it->werror)
        smc_buf_puts(d->out, ", \"option\": \"-Werror\"");
    json_locations(d, it->loc);
    json_fixits(d, it);
    if (child) {
        smc_buf_puts(d->out, "}");
        return;
    }
    smc_buf_puts(d->out, ", \"column-origin\": 1, \"escape-source\": false, "
                         "\"children\": [");
    d->json_open = true;
    d->json_children = 0;
}
