/* vulnd library add|policy|list|show|next-id — libraries (the national
 * one and sector libraries such as APP and VEH): id prefix, per-month
 * numbering, policy settings, blackout windows, extra fields. */
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
		fprintf(stderr, "vulnd library: %s\n", msg);
	vd_command_usage(vd_command_find("library"), true);
	return VD_EXIT_USAGE;
}

/* "FROM/TO/REASON": dates or RFC 3339 times; the reason may hold '/'. */
static int parse_blackout(const char *arg, vd_blackout *b)
{
	char buf[512];
	if (strlen(arg) >= sizeof buf)
		return vd_error_set(VD_EINVAL, "--blackout: longer than %zu bytes", sizeof buf - 1);
	vd_strlcpy(buf, arg, sizeof buf);
	char *to = strchr(buf, '/'), *reason = to ? strchr(to + 1, '/') : NULL;
	if (!to || !reason)
		return vd_error_set(VD_EINVAL, "--blackout: expected FROM/TO/REASON, e.g. 2025-10-01/2025-10-08/National Day");
	*to++ = '\0';
	*reason++ = '\0';
	memset(b, 0, sizeof *b);
	if (vd_time_parse(buf, &b->starts) || vd_time_parse(to, &b->ends))
		return vd_error_set(VD_EINVAL, "--blackout: FROM and TO are dates (YYYY-MM-DD) or RFC 3339 times");
	if (strlen(reason) > VD_REASON_MAX)
		return vd_error_set(VD_EINVAL, "--blackout: the reason is longer than %d bytes", VD_REASON_MAX);
	vd_strlcpy(b->reason, reason, sizeof b->reason);
	return VD_OK;
}

static json_t *lib_json(const vd_library_info *l)
{
	json_t *bo = json_array();
	for (size_t i = 0; i < l->n_blackouts; i++) {
		char a[VD_TIME_BUF], z[VD_TIME_BUF];
		vd_time_format(l->blackouts[i].starts, a, sizeof a);
		vd_time_format(l->blackouts[i].ends, z, sizeof z);
		json_array_append_new(bo, json_pack("{s:s,s:s,s:s}", "from", a, "to", z, "reason", l->blackouts[i].reason));
	}
	json_t *fields = json_array();
	const vd_field_def *d;
	size_t n = 0;
	if (vd_library_fields(l->field_set, &d, &n) == VD_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *f = json_pack("{s:s,s:s,s:s,s:b}", "name", d[i].name, "label_en", d[i].label_en, "label_zh",
			                      d[i].label_zh, "required", d[i].required);
			if (d[i].values) {
				json_t *v = json_array();
				for (const char *const *p = d[i].values; *p; p++)
					json_array_append_new(v, json_string(*p));
				json_object_set_new(f, "values", v);
			}
			json_array_append_new(fields, f);
		}
	return json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:o,s:o,s:s}", "code", l->code, "name", l->name, "kind",
	                 l->national ? "national" : "sector", "field_set", l->field_set, "fix_days", l->fix_days,
	                 "ack_days", l->ack_days, "report_days", l->report_days, "blackouts", bo, "fields", fields,
	                 "created", l->created);
}

static void print_json(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	printf("%s\n", s ? s : "{}");
	free(s);
	json_decref(o);
}

static int list_cb(void *ctx, const vd_library_info *l)
{
	if (*(bool *)ctx)
		print_json(lib_json(l));
	else
		printf("%-8s %-9s %-11s fix %d d, ack %d d, report %d d, %zu blackout%s  %s\n", l->code,
		       l->national ? "national" : "sector", l->field_set, l->fix_days, l->ack_days, l->report_days,
		       l->n_blackouts, l->n_blackouts == 1 ? "" : "s", l->name);
	return 0;
}

static void show_text(const vd_library_info *l)
{
	printf("%s — %s (%s library), id format %s-YYYYMM-NNNN, created %s\n", l->code, l->name,
	       l->national ? "national" : "sector", l->code, l->created);
	printf("  fix deadline %d days, acknowledgement %d days, vendor report (Art. 7) %d days\n", l->fix_days,
	       l->ack_days, l->report_days);
	for (size_t i = 0; i < l->n_blackouts; i++) {
		char a[VD_TIME_BUF], z[VD_TIME_BUF];
		vd_time_format(l->blackouts[i].starts, a, sizeof a);
		vd_time_format(l->blackouts[i].ends, z, sizeof z);
		printf("  blackout %s .. %s: %s\n", a, z, l->blackouts[i].reason);
	}
	const vd_field_def *d;
	size_t n = 0;
	if (vd_library_fields(l->field_set, &d, &n) == VD_OK && n) {
		printf("  extra fields (%s):\n", l->field_set);
		for (size_t i = 0; i < n; i++) {
			printf("    %-12s %s / %s%s", d[i].name, d[i].label_en, d[i].label_zh, d[i].required ? ", required" : "");
			for (const char *const *p = d[i].values; p && *p; p++)
				printf("%s%s", p == d[i].values ? " — one of: " : ", ", *p);
			printf("\n");
		}
	}
}

int vd_cmd_library(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	const char *sub = argv[1], *code = NULL, *name = NULL, *fields = NULL;
	bool json = false, national = false, clear = false;
	long fix = -1, ack = -1, report = -1;
	vd_blackout bo[VD_BLACKOUT_MAX];
	size_t nbo = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long *days = !strcmp(a, "--fix-days") ? &fix : !strcmp(a, "--ack-days") ? &ack :
		             !strcmp(a, "--report-days") ? &report : NULL;
		if (days && v) {
			if (vd_parse_long(v, 1, 3650, days))
				return vd_cli_fail("library", vd_error_set(VD_EINVAL, "%s: 1 to 3650 days", a));
			i++;
		} else if (!strcmp(a, "--name") && v) {
			name = v;
			i++;
		} else if (!strcmp(a, "--fields") && v) {
			fields = v;
			i++;
		} else if (!strcmp(a, "--blackout") && v) {
			if (nbo == VD_BLACKOUT_MAX)
				return vd_cli_fail("library", vd_error_set(VD_EINVAL, "at most %d blackout windows", VD_BLACKOUT_MAX));
			if (parse_blackout(v, &bo[nbo]))
				return vd_cli_fail("library", VD_EINVAL);
			nbo++;
			i++;
		} else if (!strcmp(a, "--clear-blackouts")) {
			clear = true;
		} else if (!strcmp(a, "--national")) {
			national = true;
		} else if (!strcmp(a, "--sector")) {
			national = false;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (a[0] == '-' && a[1]) {
			return usage("unknown option or missing value");
		} else if (!code) {
			code = a;
		} else {
			return usage("too many arguments");
		}
	}
	bool is_add = !strcmp(sub, "add"), is_pol = !strcmp(sub, "policy");
	if (!is_add && !is_pol && strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "next-id"))
		return usage("unknown subcommand (add, policy, list, show, next-id)");
	if (strcmp(sub, "list") && !code)
		return usage("a library CODE is required");
	if (is_add && !name)
		return usage("add needs --name NAME");
	vd_service *svc;
	int ex = vd_cli_open(cli, "library", false, &svc);
	if (ex)
		return ex;
	vd_principal me = vd_principal_local("cli");
	int rc = VD_OK;
	vd_library_info *l = calloc(1, sizeof *l);
	if (!l) {
		vd_service_close(svc);
		return vd_cli_fail("library", vd_error_set(VD_ENOMEM, "out of memory"));
	}
	if (is_add || is_pol) {
		if (is_pol && (rc = vd_service_library_get(svc, &me, code, l)))
			goto out;
		if (is_add) {
			if (strlen(code) > VD_LIB_CODE_MAX || strlen(name) > VD_LIB_NAME_MAX) {
				rc = vd_error_set(VD_EINVAL, "library code is at most %d and name at most %d bytes",
				                  VD_LIB_CODE_MAX, VD_LIB_NAME_MAX);
				goto out;
			}
			vd_strlcpy(l->code, code, sizeof l->code);
			l->national = national;
		}
		if (name) {
			if (strlen(name) > VD_LIB_NAME_MAX) {
				rc = vd_error_set(VD_EINVAL, "library name is longer than %d bytes", VD_LIB_NAME_MAX);
				goto out;
			}
			vd_strlcpy(l->name, name, sizeof l->name);
		}
		if (fields) {
			if (strlen(fields) >= sizeof l->field_set) {
				rc = vd_error_set(VD_EINVAL, "unknown field set (field sets: none, mobile-app, vehicle)");
				goto out;
			}
			vd_strlcpy(l->field_set, fields, sizeof l->field_set);
		}
		if (fix > 0)
			l->fix_days = (int)fix;
		if (ack > 0)
			l->ack_days = (int)ack;
		if (report > 0)
			l->report_days = (int)report;
		if (clear)
			l->n_blackouts = 0;
		for (size_t i = 0; i < nbo && l->n_blackouts < VD_BLACKOUT_MAX; i++)
			l->blackouts[l->n_blackouts++] = bo[i];
		if (nbo && l->n_blackouts < nbo) {
			rc = vd_error_set(VD_EINVAL, "at most %d blackout windows", VD_BLACKOUT_MAX);
			goto out;
		}
		rc = is_add ? vd_service_library_add(svc, &me, l, NULL) : vd_service_library_update(svc, &me, l);
		if (!rc && !cli->quiet && !(rc = vd_service_library_get(svc, &me, l->code, l)))
			show_text(l);
	} else if (!strcmp(sub, "list")) {
		rc = vd_service_library_list(svc, &me, list_cb, &json);
	} else if (!strcmp(sub, "show")) {
		rc = vd_service_library_get(svc, &me, code, l);
		if (!rc && json)
			print_json(lib_json(l));
		else if (!rc)
			show_text(l);
	} else {
		char id[VD_LIB_ID_BUF];
		rc = vd_service_library_next_id(svc, &me, code, id);
		if (!rc)
			printf("%s\n", id);
	}
out:
	free(l);
	vd_service_close(svc);
	return rc ? vd_cli_fail("library", rc) : VD_EXIT_OK;
}
