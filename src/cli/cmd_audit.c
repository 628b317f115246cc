/* vulnd audit verify|list|prune — the append-only audit hash chain. */
#include "cli_int.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "vulnd audit: %s\n", msg);
	vd_command_usage(vd_command_find("audit"), true);
	return VD_EXIT_USAGE;
}

static int list_cb(void *ctx, const vd_audit_entry *e)
{
	if (*(bool *)ctx) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)e->seq, "at", e->at,
		                      "actor", e->actor ? e->actor : "", "action", e->action ? e->action : "", "target",
		                      e->target ? e->target : "", "outcome", e->outcome ? e->outcome : "", "why",
		                      e->why ? e->why : "", "prev", e->prev, "hash", e->hash);
		char *s = o ? json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
		printf("%s\n", s ? s : "{}");
		free(s);
		json_decref(o);
	} else {
		printf("%6lld %s %-12s %-18s %-7s %s%s%s\n", (long long)e->seq, e->at, e->actor ? e->actor : "",
		       e->action ? e->action : "", e->outcome ? e->outcome : "", e->target ? e->target : "",
		       e->why && *e->why ? ": " : "", e->why ? e->why : "");
	}
	return 0;
}

int vd_cmd_audit(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	const char *sub = argv[1], *before = NULL;
	bool json = false;
	long limit = 50;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--before") && i + 1 < argc)
			before = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
			if (vd_parse_long(argv[++i], 0, 1000000000L, &limit))
				return usage("--limit: a number (0: all)");
		} else
			return usage("unknown argument");
	}
	if (strcmp(sub, "verify") && strcmp(sub, "list") && strcmp(sub, "prune"))
		return usage("unknown subcommand (verify, list, prune)");
	if (!strcmp(sub, "prune") && !before)
		return usage("prune needs --before DATE");
	vd_service *svc;
	int ex = vd_cli_open(cli, "audit", false, &svc);
	if (ex)
		return ex;
	vd_principal me = vd_principal_local("cli");
	int rc;
	if (!strcmp(sub, "verify")) {
		vd_audit_report r;
		rc = vd_service_audit_verify(svc, &me, &r);
		if (!rc)
			printf("audit chain intact: %llu entries verified (entries %lld..%lld)\n", (unsigned long long)r.checked,
			       (long long)(r.anchor_seq + 1), (long long)r.head_seq);
		else if (r.first_bad)
			printf("audit chain BROKEN at entry %lld: %s\n", (long long)r.first_bad, r.why);
	} else if (!strcmp(sub, "list")) {
		vd_audit_bounds b;
		rc = vd_service_audit_bounds(svc, &me, &b);
		int64_t after = b.anchor_seq;
		if (!rc && limit > 0 && b.head_seq - limit > after)
			after = b.head_seq - limit;
		if (!rc)
			rc = vd_service_audit_list(svc, &me, after, 0, list_cb, &json);
	} else {
		int64_t n = 0;
		rc = vd_service_audit_prune(svc, &me, before, &n);
		if (!rc && !cli->quiet)
			printf("pruned %lld audit entries older than %s; the chain stays verifiable\n", (long long)n, before);
	}
	vd_service_close(svc);
	return rc ? vd_cli_fail("audit", rc) : VD_EXIT_OK;
}
