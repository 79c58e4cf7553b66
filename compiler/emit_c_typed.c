/*
 * emit_c_typed.c - the typed API of NAME_sm.h / NAME_sm.c. A state and
 * an event are one-member structs, so mixing them up is a type error in
 * every compiler mode; every function is a one-line call into libsm,
 * described once in a table for both its prototype and its definition.
 */
#include "emit_c_typed.h"
#include "emit_util.h"

#include <string.h>

/* Append one id enum: PREFIX_KIND_NAME per item, then PREFIX_KIND__COUNT. */
static void emit_enum(smc_buf *out, const smc_machine *m, const char *kind,
                      const char *const *names, size_t stride, size_t n)
{
    size_t i;

    smc_buf_printf(out, "typedef enum %s_%s_id {\n", m->name, kind);
    for (i = 0; i <= n; i++) {
        smc_buf_puts(out, "    ");
        smc_emit_upper(out, m->name);
        smc_buf_puts(out, "_");
        smc_emit_upper(out, kind);
        smc_buf_puts(out, "_");
        if (i == n) {
            smc_buf_puts(out, "_COUNT\n");
            break;
        }
        smc_emit_upper(
            out, *(const char *const *)(const void *)((const char *)names +
                                                      i * stride));
        smc_buf_puts(out, ",\n");
    }
    smc_buf_printf(out, "} %s_%s_id;\n\n", m->name, kind);
}

/* Append the struct of kind and its PREFIX_KIND(NAME) maker. */
static void emit_struct(smc_buf *out, const smc_machine *m, const char *kind)
{
    smc_buf_printf(out,
                   "typedef struct %s_%s {\n    %s_%s_id id;\n} %s_%s;\n"
                   "#define ",
                   m->name, kind, m->name, kind, m->name, kind);
    smc_emit_upper(out, m->name);
    smc_buf_puts(out, "_");
    smc_emit_upper(out, kind);
    smc_buf_printf(out, "(name) ((%s_%s){", m->name, kind);
    smc_emit_upper(out, m->name);
    smc_buf_puts(out, "_");
    smc_emit_upper(out, kind);
    smc_buf_puts(out, "_##name})\n\n");
}

void smc_emit_c_types(smc_buf *out, const smc_machine *m)
{
    emit_enum(out, m, "state", &m->states[0].name, sizeof(smc_state),
              m->nstates);
    emit_enum(out, m, "event", m->nevents ? &m->events[0].name : NULL,
              sizeof(smc_event), m->nevents);
    smc_buf_puts(out, "/*\n * Distinct types: a state where an event "
                      "belongs (or the reverse) does\n * not compile. ");
    smc_emit_upper(out, m->name);
    smc_buf_puts(out, "_STATE(NAME) makes one; switch on its .id.\n */\n");
    emit_struct(out, m, "state");
    emit_struct(out, m, "event");
}

/*
 * One function of the typed API. In each string '@' stands for the
 * machine's name; body is the statement(s) of the definition; a comment
 * opens a group of prototypes in the header.
 */
typedef struct wrapper {
    const char *comment, *ret, *name, *params, *body;
} wrapper;

static const wrapper api[] = {
    {"/* Names (NULL when out of range) and lookups (0, or -1 if unknown). */",
     "const char *", "state_name", "@_state s",
     "return sm_def_state_name(&@_def, (int)s.id);"},
    {NULL, "int", "state_from_name", "const char *name, @_state *out",
     "int i = sm_def_state_index(&@_def, name);\n\n"
     "    if (i >= 0 && out)\n        out->id = (@_state_id)i;\n"
     "    return i < 0 ? -1 : 0;"},
    {NULL, "const char *", "event_name", "@_event e",
     "return sm_def_event_name(&@_def, (int)e.id);"},
    {NULL, "int", "event_from_name", "const char *name, @_event *out",
     "int i = sm_def_event_index(&@_def, name);\n\n"
     "    if (i >= 0 && out)\n        out->id = (@_event_id)i;\n"
     "    return i < 0 ? -1 : 0;"},
    {NULL, "bool", "transition_allowed", "@_state from, @_state to",
     "return sm_def_allows(&@_def, (int)from.id, (int)to.id);"},
    {"/* libsm's machine calls, typed (see <sm/sm.h>). */", "@_state",
     "current_state", "const sm_machine *m",
     "return (@_state){(@_state_id)sm_current_state(m)};"},
    {NULL, "sm_status", "can_transition_to",
     "sm_machine *m, @_state to, const char *metadata",
     "return sm_can_transition_to(m, (int)to.id, metadata);"},
    {NULL, "sm_status", "transition_to",
     "sm_machine *m, @_state to, const char *metadata",
     "return sm_transition_to(m, (int)to.id, metadata);"},
    {NULL, "sm_status", "transition_to_retry",
     "sm_machine *m, @_state to, const char *metadata, int attempts",
     "return sm_transition_to_retry(m, (int)to.id, metadata, attempts);"},
    {NULL, "sm_status", "fire",
     "sm_machine *m, @_event e, const char *metadata",
     "return sm_fire(m, (int)e.id, metadata);"},
    {NULL, "sm_status", "fire_retry",
     "sm_machine *m, @_event e, const char *metadata, int attempts",
     "return sm_fire_retry(m, (int)e.id, metadata, attempts);"},
    {"/* Queueing in a batch, typed (see <sm/sm.h>). */", "sm_status",
     "batch_transition_to",
     "sm_batch *b, sm_machine *m, @_state to, const char *metadata",
     "return sm_batch_transition_to(b, m, (int)to.id, metadata);"},
    {NULL, "sm_status", "batch_fire",
     "sm_batch *b, sm_machine *m, @_event e, const char *metadata",
     "return sm_batch_fire(b, m, (int)e.id, metadata);"},
};

/* Append n bytes of tmpl with each '@' replaced by the machine name p. */
static void put_tmpl(smc_buf *out, const char *tmpl, size_t n, const char *p)
{
    const char *at;

    while (n && (at = memchr(tmpl, '@', n)) != NULL) {
        smc_buf_putn(out, tmpl, (size_t)(at - tmpl));
        smc_buf_puts(out, p);
        n -= (size_t)(at - tmpl) + 1;
        tmpl = at + 1;
    }
    smc_buf_putn(out, tmpl, n);
}

/* Length of tmpl once each '@' is p. */
static size_t tmpl_len(const char *tmpl, size_t n, const char *p)
{
    size_t len = n;

    while (n--)
        if (*tmpl++ == '@')
            len += strlen(p) - 1;
    return len;
}

/*
 * Append w's signature, its parameters wrapped at 80 columns under the
 * opening parenthesis as clang-format would; then ";" for a prototype,
 * else the opening of the body.
 */
static void put_sig(smc_buf *out, const wrapper *w, const char *p, bool decl)
{
    size_t rl = strlen(w->ret), col, indent;
    const char *a = w->params, *comma;
    bool star = rl && w->ret[rl - 1] == '*';

    put_tmpl(out, w->ret, rl, p);
    smc_buf_printf(out, "%s%s_%s(", star ? "" : " ", p, w->name);
    indent = col =
        tmpl_len(w->ret, rl, p) + !star + strlen(p) + 1 + strlen(w->name) + 1;
    for (;;) {
        comma = strchr(a, ',');
        size_t n = comma ? (size_t)(comma - a) : strlen(a);
        size_t len = tmpl_len(a, n, p) + (comma ? 1 : decl ? 2 : 1);
        if (a != w->params && col + 1 + len > 80) {
            smc_buf_printf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (a != w->params) {
            smc_buf_puts(out, " ");
            col++;
        }
        put_tmpl(out, a, n, p);
        col += len;
        if (!comma)
            break;
        smc_buf_puts(out, ",");
        a = comma + 2;
    }
    smc_buf_puts(out, decl ? ");\n" : ")\n{\n    ");
}

void smc_emit_c_api_decls(smc_buf *out, const smc_machine *m)
{
    size_t i;

    smc_buf_printf(out, "extern const sm_def %s_def;\n\n", m->name);
    for (i = 0; i < sizeof api / sizeof api[0]; i++) {
        if (api[i].comment)
            smc_buf_printf(out, "%s%s\n", i ? "\n" : "", api[i].comment);
        put_sig(out, &api[i], m->name, true);
    }
}

void smc_emit_c_api_defs(smc_buf *out, const smc_machine *m)
{
    size_t i;

    for (i = 0; i < sizeof api / sizeof api[0]; i++) {
        put_sig(out, &api[i], m->name, false);
        put_tmpl(out, api[i].body, strlen(api[i].body), m->name);
        smc_buf_puts(out, "\n}\n\n");
    }
}
