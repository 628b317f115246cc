/* The command table: every subcommand is declared here once; --help, `vulnd
 * help CMD` and the man page (`vulnd help --man`) are generated from it. */
#include "cli_int.h"
#include "vulnd/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VULND_VERSION "0.1.0"

static int run_score(vd_cli *cli, int argc, char **argv)
{
	(void)cli;
	return vd_cmd_score(argc, argv);
}

const vd_command vd_commands[] = {
	{"import", "import FORMAT PATH",
	 "import records from a file, directory, .zip/.tar.gz bundle or - (stdin)",
	 "FORMAT is auto (recognise by content), cve5 or osv.\n"
	 "PATH may be one JSON or YAML file, a directory tree (cvelistV5 layout, the\n"
	 "OSV/PyPI advisory layouts), a .zip or .tar.gz bundle, or - for stdin.\n"
	 "Bad records are reported with file, position and reason and skipped; the\n"
	 "rest is imported. Re-importing the same input changes nothing.\n"
	 "Exit status: 0 all imported, 1 some records skipped, 2 unreadable input,\n"
	 "4 storage error (the current batch is rolled back).",
	 vd_cmd_import},
	{"show", "show [--json] ID",
	 "print one record; ID may be any alias (CVE-…, GHSA-…, GO-…, PYSEC-…)",
	 "  --json     print the whole record as JSON (the canonical form)\n"
	 "Exit status: 0 found, 1 not found.",
	 vd_cmd_show},
	{"search", "search [--json] [--severity S] [--limit N] [--offset N] [--all] QUERY",
	 "find records whose id, title or description contains QUERY",
	 "  --severity S  critical, high, medium or low\n"
	 "  --limit N     at most N hits (default 20, max 1000)\n"
	 "  --offset N    skip the first N hits\n"
	 "  --all         include unpublished, rejected and withdrawn records\n"
	 "  --json        one JSON object a line\n"
	 "Exit status: 0 hits found, 1 no match.",
	 vd_cmd_search},
	{"db", "db init|migrate|check|stats [--json]",
	 "create, migrate, check or describe the database",
	 "  init      create the database (or migrate it to the latest schema)\n"
	 "  migrate   apply forward-only migrations to an existing database\n"
	 "  check     integrity check: storage, indexes in step with records\n"
	 "  stats     counts by state, aliases, sources, size (--json for JSON)",
	 vd_cmd_db},
	{"serve", "serve [--listen ADDR:PORT] [--threads N]",
	 "serve the HTTP API (GET /api/v1/vulns/{id}, GET /healthz)",
	 "  --listen ADDR:PORT  default 127.0.0.1:8080\n"
	 "  --threads N         worker threads (default 4)\n"
	 "Only published records are served. Stops on SIGINT/SIGTERM.",
	 vd_cmd_serve},
	{"score", "score [--json] VECTOR...|-",
	 "score CVSS v2.0/v3.0/v3.1/v4.0 vectors",
	 "  --json   one JSON object a line\n"
	 "  -        read one vector a line from standard input\n"
	 "Exit status: 0 all vectors valid, 2 some invalid.",
	 run_score},
	{"help", "help [COMMAND] [--man]", "show help for a command, or the man page",
	 "  --man   print the manual page (troff) generated from this table", vd_cmd_help},
	{"version", "version", "print the version", "", vd_cmd_version},
	{NULL, NULL, NULL, NULL, NULL},
};

const vd_command *vd_command_find(const char *name)
{
	for (const vd_command *c = vd_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void vd_command_usage(const vd_command *c, bool full)
{
	printf("usage: vulnd [--db PATH] %s\n\n%s\n", c->synopsis, c->summary);
	if (full && c->help && *c->help)
		printf("\n%s\n", c->help);
}

static void global_usage(FILE *f)
{
	fprintf(f, "usage: vulnd [--db PATH] [-q] COMMAND [ARGS]\n\n"
	           "vulnd is a vulnerability database and coordinated-disclosure platform.\n\n"
	           "Commands:\n");
	for (const vd_command *c = vd_commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "\nGlobal options:\n"
	           "  --db PATH   database file (default $VULND_DB or ./vulnd.db)\n"
	           "  -q          quiet: no progress output\n"
	           "  --help      this text; `vulnd help COMMAND` for a command\n\n"
	           "Exit status: 0 done; 1 some input skipped, or not found/no match;\n"
	           "2 usage error or unreadable input; 3 refused by policy; 4 storage or internal error.\n");
}

/* Escape a line for troff: leading dots and backslashes. */
static void troff_text(const char *s)
{
	bool bol = true;
	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", stdout);
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
		bol = *s == '\n';
	}
	putchar('\n');
}

static void man_page(void)
{
	printf(".TH VULND 1 \"\" \"vulnd " VULND_VERSION "\" \"User Commands\"\n"
	       ".SH NAME\nvulnd \\- vulnerability database and coordinated\\-disclosure platform\n"
	       ".SH SYNOPSIS\n.B vulnd\n[\\-\\-db PATH] [\\-q] COMMAND [ARGS]\n"
	       ".SH DESCRIPTION\nOne program for a vulnerability catalogue: import (CVE JSON 5, OSV),\n"
	       "search, show, and an HTTP API.\n.SH COMMANDS\n");
	for (const vd_command *c = vd_commands; c->name; c++) {
		printf(".TP\n.B ");
		troff_text(c->synopsis);
		troff_text(c->summary);
		if (c->help && *c->help) {
			printf(".nf\n");
			troff_text(c->help);
			printf(".fi\n");
		}
	}
	printf(".SH ENVIRONMENT\n.TP\n.B VULND_DB\ndatabase path when \\-\\-db is not given\n"
	       ".SH EXIT STATUS\n0 done; 1 some input skipped, or not found/no match; 2 usage error or\n"
	       "unreadable input; 3 refused by policy or permission; 4 storage or internal error.\n");
}

int vd_cmd_help(vd_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc >= 2 && strcmp(argv[1], "--man") == 0) {
		man_page();
		return VD_EXIT_OK;
	}
	if (argc >= 2) {
		const vd_command *c = vd_command_find(argv[1]);
		if (!c) {
			fprintf(stderr, "vulnd help: no command '%s'\n", argv[1]);
			return VD_EXIT_USAGE;
		}
		vd_command_usage(c, true);
		return VD_EXIT_OK;
	}
	global_usage(stdout);
	return VD_EXIT_OK;
}

int vd_cmd_version(vd_cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	printf("vulnd " VULND_VERSION "\n");
	return VD_EXIT_OK;
}

bool vd_cli_wants_help(const vd_command *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			vd_command_usage(c, true);
			return true;
		}
	}
	return false;
}

int vd_cli_fail(const char *cmd, int rc)
{
	fprintf(stderr, "vulnd %s: %s\n", cmd, vd_error_msg()[0] ? vd_error_msg() : vd_strerror(rc));
	switch (rc) {
	case VD_ENOTFOUND: return VD_EXIT_PARTIAL;
	case VD_EINVAL: case VD_ETOOBIG: case VD_EUNSUPPORTED: return VD_EXIT_USAGE;
	case VD_EPERM: return VD_EXIT_POLICY;
	default: return VD_EXIT_STORE;
	}
}

int vd_cli_open(vd_cli *cli, const char *cmd, bool create, vd_service **out)
{
	int rc = vd_service_open(cli->db, create, out);
	if (rc) {
		fprintf(stderr, "vulnd %s: %s\n", cmd, vd_error_msg());
		return rc == VD_EINVAL ? VD_EXIT_USAGE : VD_EXIT_STORE;
	}
	return VD_EXIT_OK;
}

int vd_cli_main(int argc, char **argv)
{
	vd_cli cli = {.db = getenv("VULND_DB")};
	if (!cli.db || !*cli.db)
		cli.db = "./vulnd.db";
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			cli.db = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			cli.db = argv[i] + 5;
		} else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
			cli.quiet = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			global_usage(stdout);
			return VD_EXIT_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			return vd_cmd_version(&cli, 0, NULL);
		} else {
			fprintf(stderr, "vulnd: unknown option '%s'\n\n", argv[i]);
			global_usage(stderr);
			return VD_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		global_usage(stderr);
		return VD_EXIT_USAGE;
	}
	const vd_command *c = vd_command_find(argv[i]);
	if (!c) {
		fprintf(stderr, "vulnd: unknown command '%s' (try `vulnd --help`)\n", argv[i]);
		return VD_EXIT_USAGE;
	}
	if (c->run != run_score && vd_cli_wants_help(c, argc - i, argv + i))
		return VD_EXIT_OK;
	return c->run(&cli, argc - i, argv + i);
}
