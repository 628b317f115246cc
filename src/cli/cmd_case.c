/* vulnd case ... and vulnd cases due — the disclosure workflow from the
 * command line (issue 7).  Every step is vd_service_case_step(); a refused
 * step exits 3 and prints every reason.  The command line acts as the
 * local operator (admin role, named "cli" in the audit chain). */
#include "cli_int.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "vulnd case: %s\n", msg);
	vd_command_usage(vd_command_find("case"), true);
	return VD_EXIT_USAGE;
}

static int parse_id(const char *s, int64_t *id)
{
	long v;
	if (!s || vd_parse_long(s, 1, 1L << 62, &v)) {
		fprintf(stderr, "vulnd case: '%s' is not a case id (a number)\n", s ? s : "");
		return VD_EXIT_USAGE;
	}
	*id = v;
	return VD_EXIT_OK;
}

static json_t *case_json(const vd_case *c)
{
	char *doc = NULL;
	if (vd_case_to_json(c, &doc))
		return json_object();
	json_t *o = json_loads(doc, 0, NULL);
	free(doc);
	if (!o)
		return json_object();
	json_t *att = json_array();
	for (size_t i = 0; i < c->n_att; i++)
		json_array_append_new(att, json_pack("{s:s,s:s,s:I,s:s,s:b}", "sha256", c->att[i].sha256, "name",
		                                     c->att[i].name ? c->att[i].name : "", "size",
		                                     (json_int_t)c->att[i].size, "kind", c->att[i].kind ? c->att[i].kind : "",
		                                     "publish", c->att[i].publish));
	json_object_set_new(o, "attachments", att);
	return o;
}

static void print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	printf("%s\n", s ? s : "{}");
	free(s);
	json_decref(o);
}

static int list_cb(void *ctx, const vd_case *c)
{
	bool json = *(bool *)ctx;
	if (json) {
		print_json(case_json(c));
		return 0;
	}
	printf("%-6lld %-13s %-6s %-20s %s\n", (long long)c->id, vd_case_state_name(c->state), c->library,
	       c->record_id ? c->record_id : "-", c->title ? c->title : "");
	return 0;
}

static int thread_cb(void *ctx, const vd_case_event_row *e)
{
	json_t *arr = ctx;
	if (arr) {
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s}", "at", e->at, "actor", e->actor,
		                                     "kind", e->kind, "from", e->from_state, "to", e->to_state, "text",
		                                     e->text, "visibility", e->visibility));
		return 0;
	}
	printf("  %s  %-10s %-12s", e->at, e->actor, e->kind);
	if (e->from_state && e->to_state && strcmp(e->from_state, e->to_state) != 0)
		printf(" %s → %s", e->from_state, e->to_state);
	if (e->text && *e->text)
		printf("  %s", e->text);
	printf("\n");
	return 0;
}

static int notice_cb(void *ctx, const vd_notice_row *n)
{
	json_t *arr = ctx;
	if (arr) {
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s}", "at", n->at, "kind", n->kind, "to",
		                                     n->recipient, "subject", n->subject, "status", n->status));
		return 0;
	}
	printf("  %s  %-10s %s  %s\n", n->at, n->kind, n->recipient, n->status);
	return 0;
}

static void line(const char *k, const char *v)
{
	if (v && *v)
		printf("%-14s %s\n", k, v);
}

static int show(vd_service *s, const vd_principal *me, int64_t id, bool json)
{
	vd_case *c = NULL;
	int rc = vd_service_case_get(s, me, id, &c);
	if (rc)
		return vd_cli_fail("case show", rc);
	if (json) {
		json_t *o = case_json(c), *th = json_array(), *no = json_array();
		vd_service_case_thread(s, me, id, thread_cb, th);
		vd_service_case_notices(s, me, id, notice_cb, no);
		json_object_set_new(o, "thread", th);
		json_object_set_new(o, "notices", no);
		print_json(o);
		vd_case_free(c);
		return VD_EXIT_OK;
	}
	char idb[32];
	snprintf(idb, sizeof idb, "%lld", (long long)c->id);
	line("case", idb);
	line("state", vd_case_state_name(c->state));
	line("library", c->library);
	line("record", c->record_id);
	line("title", c->title);
	line("product", c->product);
	line("vendor", c->vendor);
	line("version", c->version);
	line("cwe", c->cwe);
	line("cve", c->cve);
	line("vector", c->vector);
	if (c->grade) {
		char g[300];
		snprintf(g, sizeof g, "%s (by %s%s%s)", c->grade, c->grade_by ? c->grade_by : "?",
		         c->grade_basis ? "; " : "", c->grade_basis ? c->grade_basis : "");
		line("grade", g);
	}
	line("class", c->class_code);
	line("reporter", c->reporter);
	line("submitted", c->submitted);
	if (c->learned_at) {
		char l[80];
		snprintf(l, sizeof l, "%s%s", c->learned_at, c->art7_late ? "  (Art. 7: reported late)" : "");
		line("learned", l);
	}
	line("duplicate of", c->duplicate_of);
	{
		/* credit: the case whose reporter is credited (and the name where
		 * this case may show it) */
		char cr[600];
		const char *who = c->state == VD_CS_DUPLICATE ? NULL
		                : (!c->credit_case || c->credit_case == c->id) ? c->reporter : c->credit;
		if (c->state == VD_CS_DUPLICATE)
			snprintf(cr, sizeof cr, "the original (%s) keeps the credit", c->duplicate_of ? c->duplicate_of : "?");
		else if (!c->credit_case || c->credit_case == c->id)
			snprintf(cr, sizeof cr, "%s (this case)", who ? who : "-");
		else
			snprintf(cr, sizeof cr, "%s (case:%lld)", who ? who : "(hidden)", (long long)c->credit_case);
		line("credit", cr);
		line("credit note", c->credit_note);
		for (size_t i = 0; i < c->n_dups; i++) {
			char d[300];
			snprintf(d, sizeof d, "case:%lld %s submitted %s", (long long)c->dups[i].case_id,
			         c->dups[i].reporter ? c->dups[i].reporter : "(hidden)",
			         c->dups[i].submitted ? c->dups[i].submitted : "-");
			line("duplicate", d);
		}
	}
	line("analyst", c->analyst);
	for (size_t i = 0; i < c->n_experts; i++)
		line("expert", c->experts[i]);
	for (size_t i = 0; i < c->n_vendors; i++) {
		const vd_case_vendor *v = &c->vstat[i];
		char vb[900];
		snprintf(vb, sizeof vb, "%s: %s%s%s%s%s%s%s", c->vendors[i] ? c->vendors[i] : "?",
		         !v->notified_at ? "not notified" : v->acked_at ? "acknowledged " : "NOT ACKNOWLEDGED",
		         v->acked_at ? v->acked_at : "", v->fix_status ? "; fix " : "", v->fix_status ? v->fix_status : "",
		         v->fix_version ? " in " : "", v->fix_version ? v->fix_version : "",
		         v->fix_patch ? " (patch)" : "");
		line("vendor org", vb);
	}
	line("notified", c->notified_at);
	line("acknowledged", c->acked_at);
	line("fix", c->fix_status);
	line("fixed in", c->fix_version);
	line("patch", c->fix_patch);
	if (c->retests_failed || c->retests_passed) {
		char r[64];
		snprintf(r, sizeof r, "%d passed, %d failed", c->retests_passed, c->retests_failed);
		line("retests", r);
	}
	line("approved by", c->approved_by);
	line("approval", c->approval);
	line("override", c->override_reason);
	line("operator", c->operator_details ? "may hold operator live-system details (not cleared)" : "cleared");
	line("solution", c->solution);
	line("published", c->published_at);
	for (size_t i = 0; i < c->n_refs; i++) {
		char r[1100];
		snprintf(r, sizeof r, "%s (%s)", c->refs[i].url, c->refs[i].type ? c->refs[i].type : "web");
		line("reference", r);
	}
	for (size_t i = 0; i < c->n_att; i++) {
		char r[400];
		snprintf(r, sizeof r, "%.16s %s %lld bytes %s%s", c->att[i].sha256, c->att[i].name ? c->att[i].name : "",
		         (long long)c->att[i].size, c->att[i].kind ? c->att[i].kind : "", c->att[i].publish ? " (public)" : "");
		line("attachment", r);
	}
	line("description", c->description);
	printf("thread:\n");
	vd_service_case_thread(s, me, id, thread_cb, NULL);
	printf("notifications:\n");
	vd_service_case_notices(s, me, id, notice_cb, NULL);
	vd_error_clear();
	vd_case_free(c);
	return VD_EXIT_OK;
}

static const struct {
	const char *cmd;
	vd_case_event ev;
} steps[] = {
	{"assign", VD_CE_ASSIGN}, {"refer", VD_CE_REFER}, {"opinion", VD_CE_OPINION}, {"verify", VD_CE_VERIFY},
	{"reject", VD_CE_REJECT}, {"duplicate", VD_CE_DUPLICATE}, {"notify", VD_CE_NOTIFY}, {"ack", VD_CE_ACK},
	{"fix", VD_CE_FIX_RELEASE}, {"retest", VD_CE_RETEST_PASS}, {"approve", VD_CE_APPROVE},
	{"update", VD_CE_UPDATE}, {"comment", VD_CE_COMMENT}, {"publish", VD_CE_PUBLISH},
};

/* Parse the options of a step into a; positional names go to users (or
 * original for duplicate).  Returns an exit code. */
static int step_args(const char *cmd, vd_case_event *ev, int argc, char **argv, vd_case_args *a)
{
	bool pass = false, fail = false;
	for (int i = 0; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name, field) if (strcmp(o, name) == 0) { if (!v) return usage(name " needs a value"); a->field = v; i++; continue; }
		OPT("--text", text)
		OPT("--reason", text)
		OPT("--verdict", verdict)
		OPT("--grade", grade)
		OPT("--vector", vector)
		OPT("--class", class_code)
		OPT("--cwe", cwe)
		OPT("--solution", solution)
		OPT("--version", version)
		OPT("--patch", patch)
		OPT("--override", override_reason)
		OPT("--publish-attachment", publish_attachment)
#undef OPT
		if (strcmp(o, "--vendor") == 0 && v) {
			if (a->n_vendors >= VD_CASE_PARTIES)
				return usage("too many --vendor");
			a->vendors[a->n_vendors++] = v;
			i++;
		} else if (strcmp(o, "--ref") == 0 && v) {
			/* URL or URL=TYPE */
			static char url[1100];
			vd_strlcpy(url, v, sizeof url);
			char *eq = strrchr(url, '=');
			if (eq && eq > strstr(url, "://") && strspn(eq + 1, "abcdefghijklmnopqrstuvwxyz-") == strlen(eq + 1) &&
			    strlen(eq + 1) > 0 && !strchr(eq + 1, '/')) {
				*eq = '\0';
				a->ref_type = eq + 1;
			}
			a->ref_url = url;
			i++;
		} else if (strcmp(o, "--operator-details") == 0 && v) {
			if (strcmp(v, "yes") && strcmp(v, "no"))
				return usage("--operator-details yes|no");
			a->operator_set = true;
			a->operator_details = strcmp(v, "yes") == 0;
			i++;
		} else if (strcmp(o, "--early") == 0) {
			a->early = true;
		} else if (strcmp(o, "--pass") == 0) {
			pass = true;
		} else if (strcmp(o, "--fail") == 0) {
			fail = true;
		} else if (strcmp(o, "--in-progress") == 0) {
			*ev = VD_CE_FIX_PROGRESS;
		} else if (o[0] == '-' && o[1]) {
			fprintf(stderr, "vulnd case %s: unknown option '%s'\n", cmd, o);
			return VD_EXIT_USAGE;
		} else if (*ev == VD_CE_DUPLICATE && !a->original) {
			a->original = o;
		} else {
			if (a->n_users >= VD_CASE_PARTIES)
				return usage("too many names");
			a->users[a->n_users++] = o;
		}
	}
	if (strcmp(cmd, "retest") == 0) {
		if (pass == fail)
			return usage("retest needs --pass or --fail");
		*ev = pass ? VD_CE_RETEST_PASS : VD_CE_RETEST_FAIL;
	}
	return VD_EXIT_OK;
}

static int run_step(vd_service *s, const vd_principal *me, const char *cmd, int64_t id, vd_case_event ev,
                    const vd_case_args *a, bool quiet)
{
	vd_reasons why;
	int rc = vd_service_case_step(s, me, id, ev, a, &why);
	if (rc == VD_EPERM && why.n) {
		fprintf(stderr, "vulnd case %s: refused (%zu reason%s):\n", cmd, why.n, why.n == 1 ? "" : "s");
		for (size_t i = 0; i < why.n; i++)
			fprintf(stderr, "  - [%s] %s\n", why.r[i].code, why.r[i].text);
		return VD_EXIT_POLICY;
	}
	if (rc)
		return vd_cli_fail(cmd, rc);
	vd_case *c = NULL;
	if (!quiet && vd_service_case_get(s, me, id, &c) == VD_OK) {
		printf("case %lld: %s%s%s\n", (long long)id, vd_case_state_name(c->state), c->record_id ? " " : "",
		       c->record_id ? c->record_id : "");
		char names[400];
		if (c->notified_at && vd_case_vendors_pending(c, names, sizeof names))
			printf("not acknowledged yet: %s\n", names);
		else if (c->notified_at && c->fix_status && vd_case_vendors_unfixed(c, names, sizeof names))
			printf("no fix released yet by: %s\n", names);
		if (ev == VD_CE_REJECT && c->credit_case && c->credit_case != c->id)
			printf("credit moved to case %lld (%s), reopened for triage\n", (long long)c->credit_case,
			       c->credit ? c->credit : "?");
		vd_case_free(c);
	}
	return VD_EXIT_OK;
}

static int cand(vd_service *s, const vd_principal *me, int64_t id)
{
	vd_dedup_candidate c[10];
	size_t n = 0;
	int rc = vd_service_case_candidates(s, me, id, c, 10, &n);
	if (rc)
		return vd_cli_fail("case candidates", rc);
	for (size_t i = 0; i < n; i++)
		printf("%-22s %.2f  %s  %s\n", c[i].id, c[i].score, c[i].why, c[i].title);
	return VD_EXIT_OK;
}

static int attachment(vd_service *s, const vd_principal *me, int64_t id, int argc, char **argv)
{
	if (argc < 1)
		return usage("case attachment ID SHA256 [-o FILE]");
	const char *outp = argc >= 3 && strcmp(argv[1], "-o") == 0 ? argv[2] : NULL;
	char *data = NULL, name[VD_ATTACH_NAME_MAX + 1];
	size_t len = 0;
	int rc = vd_service_attachment_get(s, me, id, argv[0], &data, &len, name);
	if (rc)
		return vd_cli_fail("case attachment", rc);
	FILE *f = outp ? fopen(outp, "wb") : stdout;
	int ret = VD_EXIT_OK;
	if (!f || fwrite(data, 1, len, f) != len) {
		fprintf(stderr, "vulnd case attachment: cannot write %s\n", outp ? outp : "stdout");
		ret = VD_EXIT_USAGE;
	}
	if (f && outp)
		fclose(f);
	free(data);
	return ret;
}

int vd_cmd_case(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	const char *sub = argv[1];
	if (strcmp(sub, "states") == 0) {
		const char *fmt = argc >= 3 ? argv[2] + (strncmp(argv[2], "--", 2) == 0 ? 2 : 0) : "dot";
		char *doc = NULL;
		if (vd_case_table_doc(fmt, &doc))
			return usage(vd_error_msg());
		fputs(doc, stdout);
		free(doc);
		return VD_EXIT_OK;
	}
	vd_service *s = NULL;
	int ret = vd_cli_open(cli, "case", false, &s);
	if (ret)
		return ret;
	vd_cli_case_config(cli, s);
	vd_principal me = vd_principal_local("cli");
	bool json = false;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--json") == 0)
			json = true;
	int64_t id = 0;
	if (strcmp(sub, "list") == 0) {
		const char *state = NULL;
		for (int i = 2; i + 1 < argc; i++)
			if (strcmp(argv[i], "--state") == 0)
				state = argv[i + 1];
		int rc = vd_service_case_list(s, &me, state, list_cb, &json);
		ret = rc ? vd_cli_fail("case list", rc) : VD_EXIT_OK;
	} else if (argc < 3) {
		ret = usage("a case id is needed");
	} else if ((ret = parse_id(argv[2], &id)) != VD_EXIT_OK) {
		/* message printed */
	} else if (strcmp(sub, "show") == 0) {
		ret = show(s, &me, id, json);
	} else if (strcmp(sub, "candidates") == 0) {
		ret = cand(s, &me, id);
	} else if (strcmp(sub, "attachment") == 0) {
		ret = attachment(s, &me, id, argc - 3, argv + 3);
	} else {
		ret = -1;
		for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
			if (strcmp(sub, steps[k].cmd) == 0) {
				vd_case_args a;
				memset(&a, 0, sizeof a);
				vd_case_event ev = steps[k].ev;
				if ((ret = step_args(sub, &ev, argc - 3, argv + 3, &a)) == VD_EXIT_OK)
					ret = run_step(s, &me, sub, id, ev, &a, cli->quiet);
				break;
			}
		if (ret == -1)
			ret = usage("unknown subcommand");
	}
	vd_service_close(s);
	return ret;
}

typedef struct {
	vd_service *s;
	const vd_principal *me;
	bool json;
} due_ctx;

static int due_cb(void *ctx, const vd_due_item *d)
{
	due_ctx *x = ctx;
	char due[VD_TIME_BUF], dl[VD_TIME_BUF], names[400] = "";
	vd_time_format(d->item.due, due, sizeof due);
	vd_time_format(d->item.deadline, dl, sizeof dl);
	/* the vendors the item is about: not acknowledged (ack-overdue), or
	 * without a released fix */
	bool ack = strcmp(d->item.kind, "ack-overdue") == 0;
	vd_case *c = NULL;
	if (vd_service_case_get(x->s, x->me, d->case_id, &c) == VD_OK) {
		if (ack)
			vd_case_vendors_pending(c, names, sizeof names);
		else
			vd_case_vendors_unfixed(c, names, sizeof names);
	}
	vd_error_clear();
	vd_case_free(c);
	if (x->json) {
		json_t *o = json_pack("{s:I,s:s?,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "case", (json_int_t)d->case_id, "record",
		                      d->record_id, "library", d->library ? d->library : "", "state", d->state, "kind",
		                      d->item.kind, "due", due, "deadline", dl, "escalation", d->item.escalation, "fired_now",
		                      d->fired_now, "vendors", names);
		print_json(o);
		return 0;
	}
	printf("%-6lld %-20s %-16s %-13s deadline %s%s%s%s\n", (long long)d->case_id, d->record_id ? d->record_id : "-",
	       d->item.kind, d->item.escalation ? "OVERDUE" : "reminder", dl,
	       d->fired_now ? "  (sent now)" : "  (sent before)", names[0] ? (ack ? "  not acknowledged: " : "  no fix: ") : "",
	       names);
	return 0;
}

int vd_cmd_cases(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "due") != 0) {
		fprintf(stderr, "vulnd cases: expected `cases due`\n");
		vd_command_usage(vd_command_find("cases"), true);
		return VD_EXIT_USAGE;
	}
	bool json = false, fire = true;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--dry-run") == 0)
			fire = false;
		else {
			fprintf(stderr, "vulnd cases due: unknown option '%s'\n", argv[i]);
			return VD_EXIT_USAGE;
		}
	}
	vd_service *s = NULL;
	int ret = vd_cli_open(cli, "cases", false, &s);
	if (ret)
		return ret;
	vd_cli_case_config(cli, s);
	vd_principal me = vd_principal_local("cli");
	due_ctx x = {s, &me, json};
	int rc = vd_service_cases_due(s, &me, fire, due_cb, &x);
	ret = rc ? vd_cli_fail("cases due", rc) : VD_EXIT_OK;
	vd_service_close(s);
	return ret;
}
