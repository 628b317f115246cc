/* Internal to src/cli/: the command table and shared helpers. */
#ifndef VULND_CLI_INT_H
#define VULND_CLI_INT_H
#include <stdbool.h>
#include "vulnd/service.h"

#define VULND_VERSION "0.1.0"   /* the program version, printed by `vulnd version` */

/* Exit codes, one table for every command (docs/ARCHITECTURE.md). */
enum {
	VD_EXIT_OK = 0,        /* done */
	VD_EXIT_PARTIAL = 1,   /* done with some input skipped; or not found / no match */
	VD_EXIT_USAGE = 2,     /* usage error or unreadable input */
	VD_EXIT_POLICY = 3,    /* refused by policy or permission */
	VD_EXIT_STORE = 4,     /* storage or internal error */
};

typedef struct {
	const char *db;        /* --db / VULND_DB / ./vulnd.db */
	bool quiet;
} vd_cli;

typedef struct {
	const char *name;
	const char *synopsis;      /* "import FORMAT PATH" */
	const char *summary;       /* one line */
	const char *help;          /* options and details, lines of text */
	int (*run)(vd_cli *cli, int argc, char **argv);   /* argv[0] is the command name */
} vd_command;

extern const vd_command vd_commands[];
const vd_command *vd_command_find(const char *name);
void vd_command_usage(const vd_command *c, bool full);

/* Map a status code to an exit code and print "vulnd CMD: message". */
int vd_cli_fail(const char *cmd, int rc);
/* Open the service for a command (create: db init). */
int vd_cli_open(vd_cli *cli, const char *cmd, bool create, vd_service **out);
/* true when argv has -h/--help (prints the command's help) */
bool vd_cli_wants_help(const vd_command *c, int argc, char **argv);

int vd_cmd_import(vd_cli *cli, int argc, char **argv);
int vd_cmd_show(vd_cli *cli, int argc, char **argv);
/* vulnd cwe show|classes (cmd_cwe.c); `import cwe FILE` lands in vd_cmd_import_cwe */
int vd_cmd_cwe(vd_cli *cli, int argc, char **argv);
int vd_cmd_import_cwe(vd_cli *cli, const char *path);
int vd_cmd_search(vd_cli *cli, int argc, char **argv);
int vd_cmd_db(vd_cli *cli, int argc, char **argv);
int vd_cmd_edit(vd_cli *cli, int argc, char **argv);
int vd_cmd_serve(vd_cli *cli, int argc, char **argv);
/* accounts, organisations, tokens, libraries, audit (issue 6) */
int vd_cmd_user(vd_cli *cli, int argc, char **argv);
int vd_cmd_org(vd_cli *cli, int argc, char **argv);
int vd_cmd_token(vd_cli *cli, int argc, char **argv);
int vd_cmd_library(vd_cli *cli, int argc, char **argv);
int vd_cmd_audit(vd_cli *cli, int argc, char **argv);
/* reports and cases (issue 7; cmd_report.c, cmd_case.c) */
int vd_cmd_report(vd_cli *cli, int argc, char **argv);
int vd_cmd_case(vd_cli *cli, int argc, char **argv);
int vd_cmd_cases(vd_cli *cli, int argc, char **argv);
/* Attachment directory (<db>.attachments or $VULND_ATTACHMENTS) and mail
 * ($VULND_SMTP_URL, $VULND_MAIL_FROM) for the case commands. */
void vd_cli_case_config(vd_cli *cli, vd_service *s);
int vd_cmd_help(vd_cli *cli, int argc, char **argv);
int vd_cmd_version(vd_cli *cli, int argc, char **argv);
/* vulnd match SBOM (issue 8; cmd_match.c) */
int vd_cmd_match(vd_cli *cli, int argc, char **argv);
/* score is library code from src/score with its own argument handling */
int vd_cmd_score(int argc, char **argv);

#endif
