/* The command table: every subcommand is declared here once; --help, `vulnd
 * help CMD` and the man page (`vulnd help --man`) are generated from it. */
#include "cli_int.h"
#include "vulnd/error.h"
#include "vulnd/http.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int run_score(vd_cli *cli, int argc, char **argv)
{
	(void)cli;
	return vd_cmd_score(argc, argv);
}

const vd_command vd_commands[] = {
	{"import", "import FORMAT PATH",
	 "import records from a file, directory, .zip/.tar.gz bundle or - (stdin)",
	 "FORMAT is auto (recognise each record by content), cve5, osv, nvd2 (NVD API\n"
	 "2.0 pages, items or bare cve objects), cnnvd (CNNVD XML), cnvd (CNVD XML) or\n"
	 "csaf (CSAF 2.0: one record per vulnerability); cnnvd-xml and cnvd-xml are\n"
	 "accepted too.  Or cwe for the MITRE CWE catalogue (a CSV view such as\n"
	 "1000.csv, or cwec_v4.*.xml).\n"
	 "PATH may be one JSON, YAML or XML file, a directory tree (cvelistV5 layout, the\n"
	 "OSV/PyPI advisory layouts), a .zip or .tar.gz bundle, or - for stdin.\n"
	 "XML may be UTF-8 or GBK/GB18030 (declared, or detected when not UTF-8);\n"
	 "DTDs and entities are refused.\n"
	 "Bad records are reported with file, position and reason and skipped; the\n"
	 "rest is imported. Re-importing the same input changes nothing.\n"
	 "Exit status: 0 all imported, 1 some records skipped, 2 unreadable input,\n"
	 "4 storage error (the current batch is rolled back).",
	 vd_cmd_import},
	{"show", "show [--json] [--provenance] ID",
	 "print one record; ID may be any alias (CVE-…, GHSA-…, GO-…, PYSEC-…)",
	 "  --json        print the whole record as JSON (the canonical form)\n"
	 "  --provenance  list each field with the source that set it, and the\n"
	 "                sources whose different value lost the merge\n"
	 "Exit status: 0 found, 1 not found.",
	 vd_cmd_show},
	{"cwe", "cwe show [--json] CWE-ID | cwe classes [--json]",
	 "show a CWE (name, parents, children, GB/T 30279 class) or the GB/T 30279 class tree",
	 "  show ID    ID is CWE-79 or 79; needs the catalogue (`vulnd import cwe FILE`)\n"
	 "             for names and relations, the class table works without it\n"
	 "  classes    the GB/T 30279-2020 classification tree with its codes\n"
	 "  --json     JSON output (classes: one object a line)\n"
	 "Exit status: 0 found, 1 not found.",
	 vd_cmd_cwe},
	{"search", "search [options] [QUERY]",
	 "full-text search in Chinese and English (titles, descriptions, ids, products)",
	 "QUERY words are matched as written: Chinese by character pairs (溢出, 缓冲区溢出),\n"
	 "English words case-folded, ids and versions exactly (CVE-2021-44228, 1.0.2k).\n"
	 "Ranked by relevance (title above description above the rest), then newest.\n"
	 "QUERY may be left out when a filter is given. docs/search.md has the details.\n"
	 "  --severity S          critical, high, medium, low (or 超危/高危/中危/低危)\n"
	 "  --score-min X         lowest CVSS base score; --score-max X highest\n"
	 "  --cwe CWE-79          records with this weakness (79 works too)\n"
	 "  --class CODE          GB/T 30279 class code (`vulnd cwe classes` lists them)\n"
	 "  --vendor V            affected vendor; --product P affected product\n"
	 "  --library L           library code (NVDB, APP, VEH, ...)\n"
	 "  --source S            records with a document from cve5, nvd2, osv, cnnvd, cnvd, csaf\n"
	 "  --published-from D    and --published-to D, --modified-from D, --modified-to D\n"
	 "  --state S             published (default), unpublished, rejected, withdrawn\n"
	 "  --all                 every state (the local operator only)\n"
	 "  --facets              counts by grade, year, vendor and CWE\n"
	 "  --limit N             at most N hits (default 20, max 1000)\n"
	 "  --cursor C            the next page (printed after each page)\n"
	 "  --offset N            skip the first N hits\n"
	 "  --no-snippets         no highlighted excerpts\n"
	 "  --json                one JSON object a line\n"
	 "Exit status: 0 hits found, 1 no match, 2 bad query or filter.",
	 vd_cmd_search},
	{"edit", "edit ID FIELD VALUE",
	 "set a field of a record by hand; later imports never overwrite it",
	 "FIELD is one of: state, published, withdrawn, title.zh, title.en,\n"
	 "description.zh, description.en, solution.zh, solution.en, existence.zh/en,\n"
	 "detection.zh/en, publisher, verifier, class_code, class_text, grade, library.\n"
	 "VALUE - reads the value from standard input (up to 1 MiB).\n"
	 "An empty VALUE (\"\") removes the manual edit: the imported value shows again.\n"
	 "`vulnd show --provenance ID` shows which source set each field.",
	 vd_cmd_edit},
	{"db", "db init|migrate|check|stats [--json]|reindex",
	 "create, migrate, check or describe the database",
	 "  init      create the database (or migrate it to the latest schema)\n"
	 "  migrate   apply forward-only migrations to an existing database\n"
	 "  check     integrity check: storage, indexes in step with records\n"
	 "  stats     counts by state, aliases, sources, size (--json for JSON)\n"
	 "  reindex   rebuild the full-text search index from the records",
	 vd_cmd_db},
	{"serve", "serve [--config FILE] [--listen ADDR:PORT] [--threads N] [--access-log PATH|-|off]",
	 "serve the HTTP API: records, lists, search, SBOM matching, OSV /v1, accounts, reports and cases",
	 "  --config FILE       read settings from FILE (vulnd.conf, key = value; see below)\n"
	 "  --listen ADDR:PORT  default 127.0.0.1:8080 (port 0: any free port)\n"
	 "  --threads N         worker threads (default 4)\n"
	 "  --access-log PATH   access log file, - for stderr (default), off for none\n"
	 "Options win over the file; --db / VULND_DB win over `database =`.\n"
	 "Public endpoints serve published records only; accounts, reports and cases\n"
	 "need a token or a session (docs/security.md, docs/api/openapi.yaml).\n"
	 "On SIGINT/SIGTERM the server stops\n"
	 "accepting, lets in-flight requests finish, and exits 0.\n"
	 "Endpoints: docs/api/openapi.yaml (also GET /api/v1/openapi.yaml).\n\n"
	 VD_HTTP_CONFIG_HELP,
	 vd_cmd_serve},
	{"score", "score [--json] VECTOR...|-",
	 "score CVSS v2.0/v3.0/v3.1/v4.0 vectors",
	 "  --json   one JSON object a line\n"
	 "  -        read one vector a line from standard input\n"
	 "Exit status: 0 all vectors valid, 2 some invalid.",
	 run_score},
	{"user", "user add NAME --role ROLE [--org ORG] | list [--json] | show NAME | role NAME ROLE | disable NAME | enable NAME | passwd NAME",
	 "manage user accounts (passwords are read from standard input)",
	 "  add NAME --role ROLE [--org ORG]  new account; the password is read from standard\n"
	 "                 input (without echo on a terminal), never from the command line\n"
	 "  list [--json]  every account: name, role, state, created, organisation\n"
	 "  show NAME      one account\n"
	 "  role NAME ROLE change the role\n"
	 "  disable NAME   refuse logins and tokens, end sessions (enable NAME undoes it)\n"
	 "  passwd NAME    set a new password from standard input\n"
	 "Roles: reporter, vendor (needs a vendor organisation), analyst, expert,\n"
	 "support-unit (needs a support-unit organisation), admin.\n"
	 "User names: 1-64 letters, digits and . _ - @. Passwords: 8-1024 bytes of UTF-8.",
	 vd_cmd_user},
	{"org", "org add NAME --type TYPE | list | show ORG | member ORG USER [--remove] | product ORG PRODUCT | contact ORG EMAIL [--name NAME]",
	 "manage organisations, their members, products and security contacts",
	 "  add NAME --type vendor|support-unit|reporter-team|alliance\n"
	 "  list [--json]          every organisation with member/product/contact counts\n"
	 "  show ORG [--json]      members, products, security contacts\n"
	 "  member ORG USER        add USER to ORG (--remove: take them out)\n"
	 "  product ORG PRODUCT    a product the vendor ORG owns (vendor organisations only)\n"
	 "  contact ORG EMAIL [--name NAME]  a security contact of ORG",
	 vd_cmd_org},
	{"token", "token create USER --scope read|write|admin [--expires DAYS] | revoke ID | list [USER]",
	 "create, revoke and list API tokens",
	 "  create USER --scope S [--expires DAYS]  print a new token once on standard output\n"
	 "                 (only its SHA-256 is stored; DAYS 1-3650, default: never expires)\n"
	 "  revoke ID      the token stops working at once\n"
	 "  list [USER]    tokens (of USER), newest first; never the token itself\n"
	 "Scopes: read (GET), write (+ changes), admin (+ administration); always\n"
	 "limited by the user's role.",
	 vd_cmd_token},
	{"library", "library add CODE --name NAME [OPTIONS] | policy CODE [OPTIONS] | list [--json] | show CODE [--json] | next-id CODE",
	 "manage libraries (national, APP, VEH ...): id prefix, numbering, policy, fields",
	 "  add CODE --name NAME   a sector library (--national for the national one;\n"
	 "                         `db init` creates the national library NVDB)\n"
	 "  policy CODE            change name, fields, deadlines, blackout windows\n"
	 "  list | show CODE       libraries and their settings (--json)\n"
	 "  next-id CODE           allocate the next id: CODE-YYYYMM-NNNN (per month,\n"
	 "                         never reused)\n"
	 "Options:\n"
	 "  --fields SET           extra fields: none, mobile-app, vehicle\n"
	 "  --fix-days N           vendor fix deadline (default 45)\n"
	 "  --ack-days N           vendor acknowledgement deadline (default 7)\n"
	 "  --report-days N        Art. 7 vendor report deadline (default 2)\n"
	 "  --blackout FROM/TO/REASON   no publication in [FROM, TO) (repeatable)\n"
	 "  --clear-blackouts      drop the existing windows (policy)\n"
	 "CODE: 2-12 upper-case letters and digits, starting with a letter.",
	 vd_cmd_library},
	{"audit", "audit verify | list [--limit N] [--json] | prune --before DATE",
	 "verify, list or prune the append-only audit hash chain",
	 "  verify         recompute the chain; names the first altered, deleted or\n"
	 "                 reordered entry (exit 4 when broken)\n"
	 "  list           the last N entries (default 50, 0: all)\n"
	 "  prune --before DATE   drop entries older than DATE; refused (exit 3) for\n"
	 "                 anything younger than 6 months (Art. 5)",
	 vd_cmd_audit},
	{"report", "report submit --title T --description D --product P [OPTIONS]",
	 "submit a vulnerability report; prints the new case id",
	 "  --title T --description D --product P   required\n"
	 "  --vendor V --version V --cwe CWE-N --cve CVE-Y-N   optional facts\n"
	 "  --vector V        suggested CVSS or GB/T 30279 vector\n"
	 "  --grade G         suggested grade (a reporter's grade alone never publishes)\n"
	 "  --steps S         steps to reproduce\n"
	 "  --library L       NVDB (default), APP, VEH ...; --field NAME=VALUE for its extra fields\n"
	 "  --learned DATE    Art. 7: when the (vendor) reporter learned of it; late reports are flagged\n"
	 "  --attach FILE[:KIND]  PoC or other file (KIND poc, exploit, screenshot, document,\n"
	 "                    patch); stored content-addressed in <db>.attachments (or\n"
	 "                    $VULND_ATTACHMENTS), never in public output; 10 MiB each\n"
	 "The duplicate check's candidates go to standard error.",
	 vd_cmd_report},
	{"case", "case list [--state S] [--json] | show ID [--json] | STEP ID [OPTIONS] | states [--dot|--mermaid|--markdown]",
	 "move a case through the disclosure workflow (docs/workflow.md)",
	 "  list | show ID | candidates ID | attachment ID SHA256 [-o FILE]\n"
	 "  assign ID ANALYST          triage → verifying\n"
	 "  refer ID EXPERT...         send to the expert working group\n"
	 "  opinion ID --text T [--verdict V]   an expert's opinion\n"
	 "  verify ID [--grade G] [--vector V] [--class C] [--cwe C] [--solution S]\n"
	 "                             grade/class computed, library id, unpublished record\n"
	 "  reject ID --reason T | duplicate ID ORIGINAL (case:N or a record id)\n"
	 "  notify ID [--vendor ORG]... mail the vendors' security contacts ($VULND_SMTP_URL)\n"
	 "  ack ID [--vendor ORG] | fix ID [--vendor ORG] [--in-progress] [--version V] [--patch REF]\n"
	 "                             per vendor; --vendor names the one acted for (needed\n"
	 "                             when the case has several)\n"
	 "  retest ID --pass|--fail [--text T]\n"
	 "  approve ID --reason T [--early]   publish without a fix (--early: before the deadline)\n"
	 "  update ID [--solution S] [--grade G] [--vector V] [--class C] [--cwe C]\n"
	 "            [--operator-details yes|no] [--override REASON] [--ref URL[=TYPE]]\n"
	 "            [--publish-attachment SHA256]\n"
	 "  comment ID --text T | publish ID (the publication gate, Art. 9)\n"
	 "  states                     the state table as Graphviz dot, mermaid or markdown\n"
	 "A refused step exits 3 and prints every reason.",
	 vd_cmd_case},
	{"cases", "cases due [--dry-run] [--json]",
	 "list reminders and overdue deadlines; send each reminder/escalation once",
	 "  --dry-run   list only, record and send nothing\n"
	 "Each reminder or escalation is recorded once per case, also when several\n"
	 "processes run this at the same time.",
	 vd_cmd_cases},
	{"match", "match [--json] [--fail-on LEVEL] [--vex FILE]... [--vex-out FILE] [--store-vex] SBOM-FILE",
	 "match the components of an SBOM (CycloneDX, SPDX 2) against the catalogue and list the findings",
	 "SBOM-FILE is CycloneDX 1.x (JSON or XML) or SPDX 2.2/2.3 (JSON or tag-value), or -\n"
	 "for stdin; SPDX 3.0 and the RDF/XML/YAML serialisations are refused with a message.\n"
	 "Each component is matched by purl first (OSV ecosystem + package, versions by the\n"
	 "ecosystem's scheme), by CPE when its purl finds nothing; findings show component,\n"
	 "version, vulnerability id, aliases, grade and the lowest fixed version.\n"
	 "  --json            one JSON document: sbom, findings[], summary\n"
	 "  --fail-on LEVEL   critical, high, medium or low: exit 1 only for a finding of that\n"
	 "                    grade or higher (findings without a grade do not count); any:\n"
	 "                    every finding (the default)\n"
	 "  --vex FILE        a CycloneDX VEX or CSAF VEX document: not_affected and fixed\n"
	 "                    findings are suppressed, affected / under_investigation shown\n"
	 "                    with their state (repeatable, up to 16)\n"
	 "  --store-vex       also store the --vex statements: later runs apply them\n"
	 "  --vex-out FILE    write a CycloneDX VEX document of the findings (state from VEX,\n"
	 "                    else in_triage) to edit and pass back with --vex; - for stdout\n"
	 "  --show-suppressed list suppressed findings too\n"
	 "  --all             match unpublished records as well\n"
	 "Exit status: 0 no finding (at or above LEVEL), 1 findings, 2 usage error or\n"
	 "unreadable SBOM/VEX, 4 storage error.",
	 vd_cmd_match},
	{"help", "help [COMMAND] [--man]", "show help for a command, or the man page",
	 "  --man   print the manual page (troff) generated from this table", vd_cmd_help},
	{"version", "version [compare|match [--json] SCHEME ARGS...]", "print the program version; compare versions or test a version against a range", "  compare SCHEME A B        print -1, 0 or 1 (exit 2 on an invalid version, with the reason)\n  match SCHEME VERSION RANGE  exit 0 when VERSION is in RANGE (vers: or native syntax), 1 when not\n  SCHEME -                  read \"A B\" / \"VERSION RANGE\" lines from stdin, one result a line\n  --json                    one JSON object a line\nSchemes: generic semver npm pypi deb rpm maven golang gem nuget apk (or an alias: python, debian, go, alpine, cargo, rubygems).", vd_cmd_version},
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

/* VULND_NOW (a date or RFC 3339 time): the clock of this command.  For
 * tests only (moving through deadlines); not for production use. */
static int64_t cli_now;
static int64_t cli_clock(void *ctx)
{
	(void)ctx;
	return cli_now;
}

int vd_cli_open(vd_cli *cli, const char *cmd, bool create, vd_service **out)
{
	int rc = vd_service_open(cli->db, create, out);
	if (rc) {
		fprintf(stderr, "vulnd %s: %s\n", cmd, vd_error_msg());
		return rc == VD_EINVAL ? VD_EXIT_USAGE : VD_EXIT_STORE;
	}
	const char *now = getenv("VULND_NOW");
	if (now && *now) {
		if (vd_time_parse(now, &cli_now) != VD_OK) {
			fprintf(stderr, "vulnd %s: VULND_NOW: '%.40s' is not a date or RFC 3339 time\n", cmd, now);
			vd_service_close(*out);
			*out = NULL;
			return VD_EXIT_USAGE;
		}
		vd_service_set_clock(*out, cli_clock, NULL);
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
