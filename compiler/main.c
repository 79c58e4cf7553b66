/*
 * main.c - the smcc command line: options, reading inputs, running the
 * pipeline, calling the emitters and writing outputs atomically (temp
 * file then rename), plus the -MD depfile. Exit 0 ok, 1 errors, 2 usage.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "sm/version.h"
#include "smcc.h"

enum { EMIT_C = 1, EMIT_DOT = 2, EMIT_SQL = 4, EMIT_JSON = 8 };

typedef struct cli {
    smc_buf json; /* --diagnostics-format=json: every file's objects */
    const char *outdir;
    const char *depfile;
    int emit;
    bool check;
    smc_options opt;
    const char **inputs;
    int ninputs;
    smc_buf deps; /* output names for the depfile */
} cli;

/* The usage text, to f. */
static void usage(FILE *f)
{
    fputs("usage: smcc [options] FILE.sm...\n"
          "  -o DIR          output directory (default: current directory)\n"
          "  --emit KIND     c (default) | dot | sql | json; may be repeated\n"
          "  --check         parse and check only, write nothing\n"
          "  -MD FILE        also write a Make/Ninja depfile\n"
          "  -Werror, -w     warnings as errors / no warnings\n"
          "  -ferror-limit=N show at most N errors per file (default 20; "
          "0: all)\n"
          "  --diagnostics-format=FORMAT\n"
          "                  text (default) or json (GCC's shape, one array)\n"
          "  --version, --help\n"
          "exit status: 0 success, 1 the input has errors, "
          "2 usage or I/O error\n",
          f);
}

/* Parse an --emit KIND argument into c->emit; false if unknown. */
static bool parse_emit(cli *c, const char *k)
{
    static const char *const names[] = {"c", "dot", "sql", "json"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(k, names[i])) {
            c->emit |= 1 << i;
            return true;
        }
    fprintf(stderr, "smcc: error: unknown emit kind '%s'\n", k);
    return false;
}

/* Parse "-ferror-limit=N" and "--diagnostics-format=F"; false if bad. */
static bool parse_diag_option(cli *c, const char *a)
{
    const char *v = strchr(a, '=') + 1;
    if (a[1] == 'f') {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (*v >= '0' && *v <= '9' && !*end && !errno && n <= INT_MAX) {
            c->opt.error_limit = (int)n;
            return true;
        }
    } else if (!strcmp(v, "text") || !strcmp(v, "json")) {
        c->opt.format = v[0] == 'j' ? SMC_DIAG_JSON : SMC_DIAG_TEXT;
        return true;
    }
    fprintf(stderr, "smcc: error: invalid value in '%s'\n", a);
    return false;
}

/* Parse argv into c. Returns -1 to go on, else the exit status. */
static int parse_args(cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("smcc %s\n", SM_VERSION_STRING);
            return 0;
        } else if (!strcmp(a, "-o") && more) {
            c->outdir = argv[++i];
        } else if (!strcmp(a, "-MD") && more) {
            c->depfile = argv[++i];
        } else if (!strcmp(a, "--emit") && more) {
            if (!parse_emit(c, argv[++i]))
                return 2;
        } else if (!strcmp(a, "--check")) {
            c->check = true;
        } else if (!strcmp(a, "-Werror")) {
            c->opt.werror = true;
        } else if (!strcmp(a, "-w")) {
            c->opt.no_warnings = true;
        } else if (!strncmp(a, "-ferror-limit=", 14) ||
                   !strncmp(a, "--diagnostics-format=", 21)) {
            if (!parse_diag_option(c, a))
                return 2;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr,
                    "smcc: error: unknown or incomplete option "
                    "'%s'\n",
                    a);
            usage(stderr);
            return 2;
        } else {
            c->inputs[c->ninputs++] = a;
        }
    }
    if (!c->ninputs) {
        fprintf(stderr, "smcc: error: no input files\n");
        usage(stderr);
        return 2;
    }
    return -1;
}

/* Read a whole file into a malloc'd buffer; NULL after a message. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "smcc: error: cannot open '%s': %s\n", path,
                strerror(errno));
        return NULL;
    }
    smc_buf b;
    smc_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        smc_buf_putn(&b, chunk, n);
    bool bad = ferror(f) || !smc_buf_ok(&b);
    int err = errno;
    fclose(f);
    if (bad) {
        fprintf(stderr, "smcc: error: cannot read '%s': %s\n", path,
                strerror(err));
        smc_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : calloc(1, 1);
}

/* Write data to path via a temp file and rename; false after a message. */
static bool write_atomic(const char *path, const smc_buf *data)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "smcc: error: cannot write '%s': %s\n", path,
                strerror(errno));
        return false;
    }
    bool ok = fwrite(data->data, 1, data->len, f) == data->len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "smcc: error: cannot write '%s': %s\n", path,
                strerror(errno));
        remove(tmp);
        return false;
    }
    return true;
}

/* Append s to b with spaces escaped for Make. */
static void put_make_path(smc_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '#')
            smc_buf_puts(b, "\\");
        if (*s == '$')
            smc_buf_puts(b, "$");
        smc_buf_putn(b, s, 1);
    }
}

/* Emit one kind of output for u into DIR/BASE SUFFIX. */
static bool emit_one(cli *c, const smc_unit *u, int kind, const char *src,
                     const char *base, const char *suffix)
{
    smc_buf out;
    smc_buf_init(&out);
    if (kind == EMIT_C && suffix[4] == 'h')
        smc_emit_c_header(&out, u, src, base);
    else if (kind == EMIT_C)
        smc_emit_c_source(&out, u, src, base);
    else if (kind == EMIT_DOT)
        smc_emit_dot(&out, u, src);
    else if (kind == EMIT_SQL)
        smc_emit_sql(&out, u, src);
    else
        smc_emit_json(&out, u, src);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", c->outdir, base, suffix);
    bool ok = smc_buf_ok(&out) && write_atomic(path, &out);
    smc_buf_free(&out);
    smc_buf_puts(&c->deps, " ");
    put_make_path(&c->deps, path);
    return ok;
}

/* Emit every requested output of one input. */
static bool emit_all(cli *c, const smc_unit *u, const char *input)
{
    const char *slash = strrchr(input, '/');
    const char *src = slash ? slash + 1 : input;
    char base[1024];
    snprintf(base, sizeof base, "%s", src);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    bool ok = true;
    if (c->emit & EMIT_C)
        ok = emit_one(c, u, EMIT_C, src, base, "_sm.h") &&
             emit_one(c, u, EMIT_C, src, base, "_sm.c");
    if (ok && (c->emit & EMIT_DOT))
        ok = emit_one(c, u, EMIT_DOT, src, base, ".dot");
    if (ok && (c->emit & EMIT_SQL))
        ok = emit_one(c, u, EMIT_SQL, src, base, ".sql");
    if (ok && (c->emit & EMIT_JSON))
        ok = emit_one(c, u, EMIT_JSON, src, base, ".json");
    return ok;
}

/* Write the depfile: every output, a colon, every input. */
static bool write_depfile(cli *c)
{
    smc_buf b;
    smc_buf_init(&b);
    smc_buf_putn(&b, c->deps.data ? c->deps.data + 1 : "",
                 c->deps.data ? c->deps.len - 1 : 0);
    smc_buf_puts(&b, ":");
    for (int i = 0; i < c->ninputs; i++) {
        smc_buf_puts(&b, " ");
        put_make_path(&b, c->inputs[i]);
    }
    smc_buf_puts(&b, "\n");
    bool ok = smc_buf_ok(&b) && write_atomic(c->depfile, &b);
    smc_buf_free(&b);
    return ok;
}

/* Compile one input into a (unit in *u). Returns errors, -2 on I/O. */
static int compile_one(cli *c, smc_arena *a, const char *path, smc_unit **u)
{
    size_t len = 0;
    char *src = read_file(path, &len);
    if (!src)
        return -2;
    smc_buf diag;
    smc_buf_init(&diag);
    int n = smc_compile(a, path, src, len, &c->opt, &diag, u);
    if (diag.len && c->opt.format == SMC_DIAG_JSON) {
        smc_buf_puts(&c->json, c->json.len ? ",\n" : "\n");
        smc_buf_putn(&c->json, diag.data, diag.len);
    } else if (diag.len) {
        fwrite(diag.data, 1, diag.len, stderr);
    }
    if (n < 0)
        fprintf(stderr, "smcc: error: out of memory\n");
    smc_buf_free(&diag);
    free(src);
    return n < 0 ? -2 : n;
}

/* Compile all inputs, then emit all if none had errors. */
static int run(cli *c, smc_arena *a)
{
    smc_unit **units = calloc((size_t)c->ninputs, sizeof *units);
    int status = units ? 0 : 2;
    for (int i = 0; i < c->ninputs && units; i++) {
        int n = compile_one(c, a, c->inputs[i], &units[i]);
        if (n == -2)
            status = 2;
        else if (n > 0 && status == 0)
            status = 1;
    }
    if (status == 0 && !c->check) {
        for (int i = 0; i < c->ninputs && status == 0; i++)
            if (!emit_all(c, units[i], c->inputs[i]))
                status = 2;
        if (status == 0 && c->depfile && !write_depfile(c))
            status = 2;
    }
    if (c->opt.format == SMC_DIAG_JSON)
        fprintf(stderr, "[%s%s]\n", c->json.len ? c->json.data : "",
                c->json.len ? "\n" : "");
    free(units);
    return status;
}

int main(int argc, char **argv)
{
    cli c = {.outdir = ".", .emit = 0, .opt = {.error_limit = 20}};
    c.inputs = calloc((size_t)argc + 1, sizeof *c.inputs);
    if (!c.inputs)
        return 2;
    smc_buf_init(&c.deps);
    smc_buf_init(&c.json);
    int status = parse_args(&c, argc, argv);
    if (status < 0) {
        if (!c.emit)
            c.emit = EMIT_C;
        smc_arena *a = smc_arena_new();
        status = a ? run(&c, a) : 2;
        smc_arena_free(a);
    }
    smc_buf_free(&c.deps);
    smc_buf_free(&c.json);
    free(c.inputs);
    return status;
}
