/* vulnd token create|revoke|list — API tokens.  A new token is printed
 * once on standard output; only its hash is stored. */
#include "cli_int.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "vulnd token: %s\n", msg);
	vd_command_usage(vd_command_find("token"), true);
	return VD_EXIT_USAGE;
}

static int list_cb(void *ctx, const vd_token_info *t)
{
	(void)ctx;
	printf("%-6lld %-24s %-6s created %s  expires %-20s %s%s\n", (long long)t->id, t->user,
	       vd_scope_name(t->scope), t->created, t->expires[0] ? t->expires : "never",
	       t->revoked[0] ? "revoked " : "active", t->revoked);
	return 0;
}

int vd_cmd_token(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	const char *sub = argv[1], *scope = NULL, *expires = NULL, *arg = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc)
			scope = argv[++i];
		else if (strcmp(argv[i], "--expires") == 0 && i + 1 < argc)
			expires = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return usage("unknown option");
		else if (!arg)
			arg = argv[i];
		else
			return usage("too many arguments");
	}
	vd_scope sc = VD_SCOPE_READ;
	long days = 0, id = 0;
	if (!strcmp(sub, "create")) {
		if (!arg || !scope)
			return usage("create needs USER --scope read|write|admin");
		if (vd_scope_parse(scope, &sc))
			return vd_cli_fail("token", VD_EINVAL);
		if (expires && vd_parse_long(expires, 1, 3650, &days))
			return vd_cli_fail("token", vd_error_set(VD_EINVAL, "--expires: a number of days, 1 to 3650"));
	} else if (!strcmp(sub, "revoke")) {
		if (!arg || vd_parse_long(arg, 1, LONG_MAX, &id))
			return usage("revoke needs a token ID (the number `token list` shows)");
	} else if (strcmp(sub, "list")) {
		return usage("unknown subcommand (create, revoke, list)");
	}
	vd_service *svc;
	int ex = vd_cli_open(cli, "token", false, &svc);
	if (ex)
		return ex;
	vd_principal me = vd_principal_local("cli");
	int rc;
	if (!strcmp(sub, "create")) {
		char token[VD_SECRET_BUF];
		vd_token_info t;
		rc = vd_service_token_create(svc, &me, arg, sc, (int)days, token, &t);
		if (!rc) {
			printf("%s\n", token);
			fflush(stdout);
			if (!cli->quiet)
				fprintf(stderr, "token %lld for %s, scope %s, expires %s: shown once, store it now\n",
				        (long long)t.id, t.user, vd_scope_name(t.scope), t.expires[0] ? t.expires : "never");
		}
		explicit_bzero(token, sizeof token);
	} else if (!strcmp(sub, "revoke")) {
		rc = vd_service_token_revoke(svc, &me, id);
		if (!rc && !cli->quiet)
			printf("token %ld revoked\n", id);
	} else {
		rc = vd_service_token_list(svc, &me, arg ? arg : "*", list_cb, NULL);
	}
	vd_service_close(svc);
	return rc ? vd_cli_fail("token", rc) : VD_EXIT_OK;
}
