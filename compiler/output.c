/*
 * output.c - the command line's all-or-nothing outputs (see output.h).
 * A commit checks every destination, creates the output directory,
 * writes each changed output to a temporary file beside it, and only
 * then renames them all; a failure removes every temporary file and
 * every directory it created.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct output {
    char *path;   /* as given */
    char *target; /* where its symbolic link points, or NULL: path */
    char *tmp;    /* the temporary file, while there is one */
    smc_buf data;
    bool same; /* the bytes are already there */
} output;

struct smc_outputs {
    output *v;
    size_t n, cap;
    char *dir;   /* to create, with its parents */
    char **made; /* the directories created, outermost first */
    size_t nmade;
    char err[1024];
};

/* Set the error message; returns -1. */
static int fail(smc_outputs *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(smc_outputs *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->err, sizeof o->err, fmt, ap);
    va_end(ap);
    return -1;
}

smc_outputs *smc_outputs_new(void)
{
    return calloc(1, sizeof(smc_outputs));
}

int smc_outputs_mkdir(smc_outputs *o, const char *dir)
{
    free(o->dir);
    o->dir = strdup(dir);
    return o->dir ? 0 : fail(o, "out of memory");
}

int smc_outputs_add(smc_outputs *o, const char *path, smc_buf *data)
{
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 8;
        output *v = realloc(o->v, cap * sizeof *v);
        if (!v)
            return fail(o, "out of memory");
        o->v = v;
        o->cap = cap;
    }
    output *out = &o->v[o->n];
    memset(out, 0, sizeof *out);
    if (!(out->path = strdup(path)))
        return fail(o, "out of memory");
    out->data = *data;
    smc_buf_init(data);
    o->n++;
    return 0;
}

const char *smc_file_kind(unsigned mode)
{
    mode_t m = (mode_t)mode;
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    return S_ISREG(m) ? "a regular file" : "a special file";
}

/* Whether the regular file at path (st) holds exactly data. */
static bool same_bytes(const char *path, const struct stat *st,
                       const smc_buf *data)
{
    if ((size_t)st->st_size != data->len)
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[65536];
    size_t off = 0, n;
    bool same = true;
    while (same && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        same = off + n <= data->len && !memcmp(chunk, data->data + off, n);
        off += n;
    }
    same = same && !ferror(f) && off == data->len;
    fclose(f);
    return same;
}

/* Refuse a destination that is not a regular file (or a link to one),
 * resolve a link, and note whether the bytes are already there. */
static int check(smc_outputs *o, output *out)
{
    struct stat st;
    if (lstat(out->path, &st) != 0)
        return 0; /* a new path, or an error the write will report */
    bool link = S_ISLNK(st.st_mode);
    if (link && stat(out->path, &st) != 0)
        return fail(o, "cannot write '%s': it is a dangling symbolic link",
                    out->path);
    if (!S_ISREG(st.st_mode))
        return fail(o, "cannot write '%s': it is %s%s, not a regular file",
                    out->path, link ? "a symbolic link to " : "",
                    smc_file_kind(st.st_mode));
    if (link && !(out->target = realpath(out->path, NULL)))
        return fail(o, "cannot write '%s': %s", out->path, strerror(errno));
    out->same = same_bytes(out->path, &st, &out->data);
    return 0;
}

/* Create o->dir and its missing parents, remembering each one made. */
static int make_dirs(smc_outputs *o)
{
    char *p = o->dir;
    size_t len = strlen(p);
    o->made = calloc(len + 1, sizeof *o->made);
    if (!o->made)
        return fail(o, "out of memory");
    for (size_t i = 1; i <= len; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        if (p[i - 1] == '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        int rc = mkdir(p, 0777);
        int err = errno;
        char *made = rc == 0 ? strdup(p) : NULL;
        if (rc == 0 && !made)
            rmdir(p);
        p[i] = c;
        if (rc == 0 && !made)
            return fail(o, "out of memory");
        if (made)
            o->made[o->nmade++] = made;
        else if (err != EEXIST)
            return fail(o, "cannot create directory '%.*s': %s", (int)i, p,
                        strerror(err));
    }
    return 0;
}

/* Write all of b to fd; false with errno set. */
static bool write_all(int fd, const smc_buf *b)
{
    size_t off = 0;
    while (off < b->len) {
        ssize_t n = write(fd, b->data + off, b->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        off += (size_t)n;
    }
    return true;
}

/* Write out's bytes to a fresh temporary file in its target's
 * directory: ".NAME.smcc-PID-N", created exclusively, mode 0666 less
 * the umask, as a plain new file would be. */
static int write_tmp(smc_outputs *o, output *out)
{
    const char *t = out->target ? out->target : out->path;
    const char *slash = strrchr(t, '/');
    int dirlen = slash ? (int)(slash - t + 1) : 0;
    for (unsigned i = 0; i < 100; i++) {
        smc_buf name;
        smc_buf_init(&name);
        smc_buf_printf(&name, "%.*s.%s.smcc-%ld-%u", dirlen, t, t + dirlen,
                       (long)getpid(), i);
        if (!smc_buf_ok(&name))
            return fail(o, "out of memory");
        int fd = open(name.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) {
            int err = errno;
            smc_buf_free(&name);
            if (err == EEXIST)
                continue;
            return fail(o, "cannot write '%s': %s", out->path, strerror(err));
        }
        out->tmp = name.data;
        bool ok = write_all(fd, &out->data);
        int err = errno;
        if (close(fd) != 0 && ok) {
            ok = false;
            err = errno;
        }
        return ok ? 0
                  : fail(o, "cannot write '%s': %s", out->path, strerror(err));
    }
    return fail(o, "cannot write '%s': no free temporary name", out->path);
}

/* Remove every temporary file, then every directory made (innermost
 * first; one that is not empty stays). */
static void undo(smc_outputs *o)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->v[i].tmp) {
            unlink(o->v[i].tmp);
            free(o->v[i].tmp);
            o->v[i].tmp = NULL;
        }
    while (o->nmade > 0) {
        char *d = o->made[--o->nmade];
        rmdir(d);
        free(d);
    }
}

int smc_outputs_commit(smc_outputs *o)
{
    for (size_t i = 0; i < o->n; i++)
        if (check(o, &o->v[i]))
            return -1;
    if (o->dir && make_dirs(o))
        goto failed;
    for (size_t i = 0; i < o->n; i++)
        if (!o->v[i].same && write_tmp(o, &o->v[i]))
            goto failed;
    for (size_t i = 0; i < o->n; i++) {
        output *out = &o->v[i];
        if (!out->tmp)
            continue;
        if (rename(out->tmp, out->target ? out->target : out->path) != 0) {
            fail(o, "cannot write '%s': %s", out->path, strerror(errno));
            goto failed;
        }
        free(out->tmp);
        out->tmp = NULL;
    }
    while (o->nmade > 0) /* kept: forget them */
        free(o->made[--o->nmade]);
    return 0;
failed:
    undo(o);
    return -1;
}

const char *smc_outputs_errmsg(const smc_outputs *o)
{
    return o->err;
}

void smc_outputs_free(smc_outputs *o)
{
    if (!o)
        return;
    undo(o);
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].path);
        free(o->v[i].target);
        smc_buf_free(&o->v[i].data);
    }
    free(o->v);
    free(o->made);
    free(o->dir);
    free(o);
}
