/*
 * cli.h - the subcommands of smcc: `smcc NAME ARGS...` runs NAME's entry
 * point with argv[0] = NAME. Each parses its own options, prints its own
 * usage (`smcc NAME --help`) and returns the exit status.
 */
#ifndef SMC_CLI_H
#define SMC_CLI_H

/* `smcc diff [options] OLD.sm NEW.sm` (cli_diff.c). */
int smc_cli_diff(int argc, char **argv);

#endif
