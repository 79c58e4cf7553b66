/*
 * main.c - the smcc command line: subcommands (cli.h) or options,
 * reading inputs (input.c), running the pipeline and smc_emit, and
 * handing every output plus the -MD depfile to output.c, which writes
 * them all or none. Exit 0 ok, 1 errors, 2 usage or I/O.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "input.h"
#include "output.h"
#include "sm/version.h"
#include "smcc.h"

typedef struct cli {
    smc_buf json; /* --diagnostics-format=json: every file's objects */
    const char *outdir;
    const char *depfile;
    unsigned emit; /* 1u << smc_emit_kind */
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
          "       smcc COMMAND [options] ARGS...\n"
          "  -o DIR          output directory (default: current directory),\n"
          "                  created with its parents when missing\n"
          "  --emit KIND     c (default) | dot | sql | json | mermaid;\n"
          "                  may be repeated\n"
          "  --check         parse and check only, write nothing\n"
          "  -MD FILE        also write a Make/Ninja depfile\n"
          "  -Werror, -w     warnings as errors / no warnings\n"
          "  -ferror-limit=N show at most N errors per file (default 20; "
          "0: all)\n"
          "  --diagnostics-format=FORMAT\n"
          "                  text (default) or json (GCC's shape, one array)\n"
          "  --version, --help\n"
          "commands (smcc COMMAND --help for each):\n"
          "  diff OLD.sm NEW.sm       what changed for the stored history;\n"
          "                           the migration SQL\n"
          "  audit FILE.sm            check a table against the machine;\n"
          "                           how often each transition was taken\n"
          "  state FILE.sm PARENT     a parent's current state\n"
          "  history FILE.sm PARENT   a parent's transitions\n"
          "  in-state FILE.sm STATE   the parents in a state\n"
          "exit status: 0 success, 1 the input has errors, "
          "2 usage or I/O error\n",
          f);
}

/* The subcommands: `smcc NAME ...` (a file called NAME is ./NAME). */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {{"diff", smc_cli_diff},
                {"audit", smc_cli_audit},
                {"state", smc_cli_state},
                {"history", smc_cli_history},
                {"in-state", smc_cli_in_state}};

/* Parse an --emit KIND argument into c->emit; false if unknown. */
static bool parse_emit(cli *c, const char *k)
{
    unsigned kinds = smc_emit_kinds(k);
    if (!kinds)
        fprintf(stderr, "smcc: error: unknown emit kind '%s' (expected %s)\n",
                k, smc_emit_names);
    c->emit |= kinds;
    return kinds != 0;
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

/* The path of input i's first output: inputs clash exactly when these
 * are equal, since every kind appends its suffix to the same stem. */
static bool first_output(const cli *c, int i, smc_buf *out)
{
    smc_buf_init(out);
    smc_emit_path(out, c->outdir, c->inputs[i], SMC_EMIT_C_HEADER);
    return smc_buf_ok(out);
}

/* Refuse two inputs with one output name (p/x.sm, q/x.sm), and a
 * depfile that is also an output. Returns 0, or 2 after a message. */
static int check_clashes(const cli *c)
{
    int status = 0;
    for (int i = 0; i < c->ninputs && !status; i++) {
        smc_buf a;
        if (!first_output(c, i, &a))
            status = 2;
        for (int j = 0; j < i && !status; j++) {
            smc_buf b;
            if (!first_output(c, j, &b))
                status = 2;
            else if (!strcmp(a.data, b.data)) {
                fprintf(stderr,
                        "smcc: error: '%s' and '%s' would write the same "
                        "outputs ('%s', ...)\n",
                        c->inputs[j], c->inputs[i], a.data);
                status = 2;
            }
            smc_buf_free(&b);
        }
        for (int k = 0; k < SMC_EMIT__COUNT && c->depfile && !status; k++) {
            smc_buf o;
            smc_buf_init(&o);
            smc_emit_path(&o, c->outdir, c->inputs[i], (smc_emit_kind)k);
            if (smc_buf_ok(&o) && (c->emit & 1u << k) &&
                !strcmp(o.data, c->depfile)) {
                fprintf(stderr,
                        "smcc: error: the depfile '%s' is also an output "
                        "of '%s'\n",
                        c->depfile, c->inputs[i]);
                status = 2;
            }
            smc_buf_free(&o);
        }
        smc_buf_free(&a);
    }
    return status;
}

/* Emit every requested output of u (from input `path`) into o, and
 * note each one for the depfile. */
static bool emit_all(cli *c, smc_outputs *o, const smc_unit *u,
                     const char *path)
{
    bool ok = true;
    for (int k = 0; k < SMC_EMIT__COUNT && ok; k++) {
        if (!(c->emit & 1u << k))
            continue;
        smc_buf name, out;
        smc_buf_init(&name);
        smc_buf_init(&out);
        smc_emit_path(&name, c->outdir, path, (smc_emit_kind)k);
        ok = smc_emit(&out, u, (smc_emit_kind)k) == 0 && smc_buf_ok(&name) &&
             smc_outputs_add(o, name.data, &out) == 0;
        if (ok) {
            smc_buf_puts(&c->deps, " ");
            put_make_path(&c->deps, name.data);
        }
        smc_buf_free(&name);
        smc_buf_free(&out);
    }
    if (!ok)
        fprintf(stderr, "smcc: error: out of memory\n");
    return ok;
}

/* Add the depfile to o: every output, a colon, every input. */
static bool add_depfile(cli *c, smc_outputs *o)
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
    bool ok = smc_buf_ok(&b) && smc_outputs_add(o, c->depfile, &b) == 0;
    smc_buf_free(&b);
    if (!ok)
        fprintf(stderr, "smcc: error: out of memory\n");
    return ok;
}

/* Emit every output of every unit, then write them all or none. */
static int write_all(cli *c, smc_unit **units)
{
    smc_outputs *o = smc_outputs_new();
    bool ok = o && smc_outputs_mkdir(o, c->outdir) == 0;
    for (int i = 0; i < c->ninputs && ok; i++)
        ok = emit_all(c, o, units[i], c->inputs[i]);
    if (ok && c->depfile)
        ok = add_depfile(c, o);
    if (ok && smc_outputs_commit(o) != 0) {
        fprintf(stderr, "smcc: error: %s\n", smc_outputs_errmsg(o));
        ok = false;
    } else if (!o) {
        fprintf(stderr, "smcc: error: out of memory\n");
    }
    smc_outputs_free(o);
    return ok ? 0 : 2;
}

/* Compile one input into a (unit in *u). Returns errors, -2 on I/O. */
static int compile_one(cli *c, smc_arena *a, const char *path, smc_unit **u)
{
    size_t len = 0;
    char *src = smc_read_input(path, &len);
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
    if (!c->check && check_clashes(c))
        return 2;
    smc_unit **units = calloc((size_t)c->ninputs, sizeof *units);
    int status = units ? 0 : 2;
    for (int i = 0; i < c->ninputs && units; i++) {
        int n = compile_one(c, a, c->inputs[i], &units[i]);
        if (n == -2)
            status = 2;
        else if (n > 0 && status == 0)
            status = 1;
    }
    if (status == 0 && !c->check)
        status = write_all(c, units);
    if (c->opt.format == SMC_DIAG_JSON)
        fprintf(stderr, "[%s%s]\n", c->json.len ? c->json.data : "",
                c->json.len ? "\n" : "");
    free(units);
    return status;
}

int main(int argc, char **argv)
{
    for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cli c = {.outdir = ".", .opt = {.error_limit = 20}};
    c.inputs = calloc((size_t)argc + 1, sizeof *c.inputs);
    if (!c.inputs)
        return 2;
    smc_buf_init(&c.deps);
    smc_buf_init(&c.json);
    int status = parse_args(&c, argc, argv);
    if (status < 0) {
        if (!c.emit)
            c.emit = smc_emit_kinds("c");
        smc_arena *a = smc_arena_new();
        status = a ? run(&c, a) : 2;
        smc_arena_free(a);
    }
    smc_buf_free(&c.deps);
    smc_buf_free(&c.json);
    free(c.inputs);
    return status;
}
