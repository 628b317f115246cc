/* vulnd/cli.h — the command-line front end. */
#ifndef VULND_CLI_H
#define VULND_CLI_H
/* Run the program: parses global options, dispatches the command table,
 * returns the process exit status (see docs/ARCHITECTURE.md: exit codes). */
int vd_cli_main(int argc, char **argv);
#endif
