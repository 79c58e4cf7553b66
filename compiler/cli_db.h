/*
 * cli_db.h - what smcc's commands that read a live table share: the
 * options every one takes (--url, --machine, --json), compiling the .sm
 * and choosing its machine, the sm_def built from it, the store opened
 * through libsm, and error messages with the URL's password hidden.
 */
#ifndef SMC_CLI_DB_H
#define SMC_CLI_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "buf.h"
#include "model.h"
#include "sm/sm.h"

typedef struct smc_db_cli {
    const char *cmd;     /* "audit", ... for messages */
    const char *url;     /* --url, else $SMCC_URL */
    const char *machine; /* --machine */
    bool json;
    const char *pos[3]; /* the positional arguments */
    int npos;           /* how many were given (may exceed 3) */
    smc_arena *arena;   /* set by smc_db_open, like what follows */
    const smc_machine *m;
    sm_def def;
    sm_store *store;
} smc_db_cli;

/*
 * If argv[*i] is --url, --machine or --json, take it (and its value):
 * 1. 0 when it is none of them, -1 after a message (a missing value).
 */
int smc_db_option(smc_db_cli *c, int argc, char **argv, int *i);

/* Keep argv[*i] as a positional argument when it is not an option: 1
 * taken, 0 an option (the caller's to report). */
int smc_db_positional(smc_db_cli *c, char **argv, int *i);

/*
 * Print "smcc CMD: error: why" and usage (to stderr) when why is set;
 * 2 then, else -1. For the checks a command makes after parsing.
 */
int smc_db_usage(const smc_db_cli *c, const char *why, void (*usage)(FILE *f));

/*
 * Compile the .sm at c->pos[0], choose its machine (--machine, or the
 * only one), build its sm_def and open the store at the URL. 0, or 2
 * after a message. Undo it with smc_db_close.
 */
int smc_db_open(smc_db_cli *c);
void smc_db_close(smc_db_cli *c);

/* Print "smcc CMD: error: " and the message, with every occurrence of
 * the URL's password (as written and decoded) replaced by ***; 2. */
int smc_db_fail(const smc_db_cli *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Append msg to out with the password of url (as written, and
 * percent-decoded) replaced by *** wherever it occurs. */
void smc_db_redact(smc_buf *out, const char *msg, const char *url);

/* A parent id from the command line into *id; false after a message. */
bool smc_db_parent(const smc_db_cli *c, const char *s, int64_t *id);

/* The UTC time of us microseconds since the epoch, as
 * "2024-05-01 12:00:00.123456", into buf (32 bytes). */
const char *smc_db_time(char *buf, int64_t us);

#endif
