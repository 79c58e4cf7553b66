/*
 * input.c - reading a .sm input for the command line: regular files
 * only, refused before anything could block on a FIFO or act on a
 * device; every failure is one "smcc: error: ..." line on stderr.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "output.h"

/* Open path for reading, refusing anything but a regular file before
 * it could block (a FIFO) or act (a device); -1 after a message. The
 * O_NONBLOCK open and the fstat close the race with the first stat. */
static int open_input(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "smcc: error: cannot open '%s': %s\n", path,
                strerror(errno));
        return -1;
    }
    int fd = -1;
    if (S_ISREG(st.st_mode)) {
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "smcc: error: cannot open '%s': %s\n", path,
                    strerror(errno));
            return -1;
        }
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0)
            return fd;
        close(fd);
    }
    fprintf(stderr,
            "smcc: error: cannot read '%s': it is %s, not a regular "
            "file\n",
            path, smc_file_kind(st.st_mode));
    return -1;
}

char *smc_read_input(const char *path, size_t *len)
{
    int fd = open_input(path);
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
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
