/*
 * input.h - reading the command line's inputs (input.c).
 */
#ifndef SMC_INPUT_H
#define SMC_INPUT_H

#include <stddef.h>

/*
 * The whole of the regular file path in a malloc'd buffer (NUL-
 * terminated, *len bytes before the NUL); NULL after a message on
 * stderr: missing, unreadable, or not a regular file (a FIFO, a device
 * or a directory is refused without waiting on it).
 */
char *smc_read_input(const char *path, size_t *len);

#endif
