/*
 * emit_util.c - helpers shared by the emitters (see emit_util.h).
 *
 * Kept tiny and allocation-free; everything is written through smc_buf.
 */
#include "emit_util.h"

#include <string.h>

const char *smc_emit_basename(const char *path)
{
    const char *slash;

    if (!path)
        return "";
    slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void smc_emit_upper(smc_buf *out, const char *s)
{
    char c;

    for (; *s; s++) {
        c = *s;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        smc_buf_putn(out, &c, 1);
    }
}

void smc_emit_macro(smc_buf *out, const char *s)
{
    if (*s >= '0' && *s <= '9')
        smc_buf_puts(out, "_");
    for (; *s; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            c = '_';
        smc_buf_putn(out, &c, 1);
    }
}

const char *smc_emit_hook_kind(sm_hook_kind k)
{
    static const char *const names[SM_HOOK__COUNT] = {
        "guard",
        "before",
        "after",
        "after_commit",
        "after_guard_failure",
        "after_transition_failure"};

    return (unsigned)k < SM_HOOK__COUNT ? names[k] : "?";
}

void smc_emit_json_str(smc_buf *out, const char *s)
{
    if (!s) {
        smc_buf_puts(out, "null");
        return;
    }
    smc_buf_puts(out, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            smc_buf_printf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            smc_buf_printf(out, "\\u%04x", *p);
        else
            smc_buf_putn(out, (const char *)p, 1);
    }
    smc_buf_puts(out, "\"");
}
