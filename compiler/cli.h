/*
 * cli.h - the subcommands of smcc: `smcc NAME ARGS...` runs NAME's entry
 * point with argv[0] = NAME. Each parses its own options, prints its own
 * usage (`smcc NAME --help`) and returns the exit status. The helpers
 * below are what they share (cli_util.c).
 */
#ifndef SMC_CLI_H
#define SMC_CLI_H

#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "model.h"

/* `smcc diff [options] OLD.sm NEW.sm` (cli_diff.c). */
int smc_cli_diff(int argc, char **argv);
/* `smcc audit`, `state`, `history`, `in-state`: a live table read
 * through libsm (cli_audit.c, cli_state.c, cli_in_state.c). */
int smc_cli_audit(int argc, char **argv);
int smc_cli_state(int argc, char **argv);
int smc_cli_history(int argc, char **argv);
int smc_cli_in_state(int argc, char **argv);

/* The number in s within [lo, hi] into *out; false after the message
 * "smcc CMD: error: OPT wants a number from LO to HI, not 'S'". */
bool smc_cli_number(const char *cmd, const char *opt, const char *s, long lo,
                    long hi, long *out);

/* Compile path into *u (in a) with warnings off: these commands are
 * about the table, not style. False after its diagnostics and
 * "smcc CMD: error: 'PATH' has errors" (or an I/O message). */
bool smc_cli_compile(smc_arena *a, const char *cmd, const char *path,
                     smc_unit **u);

/* Write out to standard output: 0, or 2 after a message (out of
 * memory, or standard output not writable). */
int smc_cli_write(const char *cmd, const smc_buf *out);

#endif
