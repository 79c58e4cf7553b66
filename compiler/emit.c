/*
 * emit.c - smc_emit: one entry point from an output kind to its back
 * end, its file name and its --emit name, so no host picks emitters or
 * suffixes on its own.
 */
#include "emit.h"

#include <string.h>

#include "emit_util.h"

static const char *const suffixes[SMC_EMIT__COUNT] = {
    "_sm.h", "_sm.c", ".dot", ".sql", ".json", ".mermaid.md"};

const char smc_emit_names[] = "c, dot, sql, json, mermaid";

unsigned smc_emit_kinds(const char *name)
{
    static const struct {
        const char *name;
        unsigned kinds;
    } names[] = {
        {"c", 1u << SMC_EMIT_C_HEADER | 1u << SMC_EMIT_C_SOURCE},
        {"dot", 1u << SMC_EMIT_DOT},
        {"sql", 1u << SMC_EMIT_SQL},
        {"json", 1u << SMC_EMIT_JSON},
        {"mermaid", 1u << SMC_EMIT_MERMAID},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i].name))
            return names[i].kinds;
    return 0;
}

/* Append the stem of path: its last component less the extension (a
 * leading dot is part of the name, not an extension). */
static void put_stem(smc_buf *out, const char *path)
{
    const char *name = smc_emit_basename(path);
    const char *dot = strrchr(name, '.');
    smc_buf_putn(out, name,
                 dot && dot != name ? (size_t)(dot - name) : strlen(name));
}

void smc_emit_path(smc_buf *out, const char *dir, const char *path,
                   smc_emit_kind kind)
{
    if (dir)
        smc_buf_printf(out, "%s/", dir);
    put_stem(out, path);
    smc_buf_puts(out, (unsigned)kind < SMC_EMIT__COUNT ? suffixes[kind] : "");
}

int smc_emit(smc_buf *out, const smc_unit *u, smc_emit_kind kind)
{
    smc_buf base;
    smc_buf_init(&base);
    put_stem(&base, u->path);
    if (!smc_buf_ok(&base)) {
        out->failed = true;
        return -1;
    }
    const char *stem = base.data ? base.data : "";
    switch (kind) {
    case SMC_EMIT_C_HEADER:
        smc_emit_c_header(out, u, u->path, stem);
        break;
    case SMC_EMIT_C_SOURCE:
        smc_emit_c_source(out, u, u->path, stem);
        break;
    case SMC_EMIT_DOT:
        smc_emit_dot(out, u, u->path);
        break;
    case SMC_EMIT_SQL:
        smc_emit_sql(out, u, u->path);
        break;
    case SMC_EMIT_JSON:
        smc_emit_json(out, u, u->path);
        break;
    case SMC_EMIT_MERMAID:
        smc_emit_mermaid(out, u, u->path);
        break;
    default:
        out->failed = true;
    }
    smc_buf_free(&base);
    return smc_buf_ok(out) ? 0 : -1;
}
