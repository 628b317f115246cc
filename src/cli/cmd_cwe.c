/* vulnd cwe show [--json] ID | vulnd cwe classes [--json]
 * and `vulnd import cwe FILE` (called from cmd_import.c). */
#include "cli_int.h"
#include "vulnd/cwe.h"
#include "vulnd/error.h"
#include "vulnd/gbt30279.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(o);
}

static json_t *class_json(const vd_gbt_class *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(c->code));
	json_object_set_new(o, "zh", json_string(c->zh));
	json_object_set_new(o, "en", json_string(c->en));
	json_object_set_new(o, "parent", c->parent ? json_string(c->parent) : json_null());
	return o;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static int show(vd_cli *cli, const char *id, bool json)
{
	vd_service *svc;
	int ex = vd_cli_open(cli, "cwe", false, &svc);
	if (ex)
		return ex;
	vd_cwe_info *info;
	int rc = vd_service_cwe_get(svc, id, &info);
	if (rc) {
		vd_service_close(svc);
		return vd_cli_fail("cwe", rc);
	}
	const vd_cwe *w = info->cwe;
	if (json) {
		json_t *o = json_object(), *ps = json_array(), *cs = json_array();
		char buf[24];
		snprintf(buf, sizeof buf, "CWE-%d", w->id);
		json_object_set_new(o, "id", json_string(buf));
		json_object_set_new(o, "name", str_or_null(w->name));
		json_object_set_new(o, "abstraction", str_or_null(w->abstraction));
		json_object_set_new(o, "status", str_or_null(w->status));
		json_object_set_new(o, "description", str_or_null(w->description));
		json_object_set_new(o, "in_catalogue", json_boolean(info->in_catalogue));
		for (size_t i = 0; i < w->n_parents; i++) {
			json_t *p = json_object();
			const char *name = NULL;
			for (size_t k = 0; k < info->n_parents; k++)
				if (info->parents[k]->id == w->parents[i])
					name = info->parents[k]->name;
			snprintf(buf, sizeof buf, "CWE-%d", w->parents[i]);
			json_object_set_new(p, "id", json_string(buf));
			json_object_set_new(p, "name", str_or_null(name));
			json_array_append_new(ps, p);
		}
		json_object_set_new(o, "parents", ps);
		for (size_t i = 0; i < info->n_children; i++) {
			snprintf(buf, sizeof buf, "CWE-%d", info->children[i]);
			json_array_append_new(cs, json_string(buf));
		}
		json_object_set_new(o, "children", cs);
		json_t *c = class_json(info->cls);
		if (info->class_via) {
			snprintf(buf, sizeof buf, "CWE-%d", info->class_via);
			json_object_set_new(c, "via", json_string(buf));
		} else {
			json_object_set_new(c, "via", json_null());
		}
		json_object_set_new(o, "gbt30279_class", c);
		print_json(o);
	} else {
		printf("CWE-%d  %s\n", w->id, w->name ? w->name : "(not in the imported catalogue)");
		if (w->abstraction || w->status)
			printf("%-12s %s%s%s\n", "abstraction", w->abstraction ? w->abstraction : "",
			       w->status ? "  status " : "", w->status ? w->status : "");
		for (size_t i = 0; i < w->n_parents; i++) {
			const char *name = NULL;
			for (size_t k = 0; k < info->n_parents; k++)
				if (info->parents[k]->id == w->parents[i])
					name = info->parents[k]->name;
			printf("%-12s CWE-%d %s\n", i ? "" : "parents", w->parents[i], name ? name : "");
		}
		if (info->n_children) {
			printf("%-12s", "children");
			for (size_t i = 0; i < info->n_children; i++)
				printf(" CWE-%d", info->children[i]);
			printf("\n");
		}
		printf("%-12s %s %s / %s", "GB/T 30279", info->cls->code, info->cls->zh, info->cls->en);
		if (info->class_via && info->class_via != w->id)
			printf(" (via CWE-%d)", info->class_via);
		else if (!info->class_via)
			printf(" (no mapped ancestor)");
		printf("\n");
		if (w->description)
			printf("\n%s\n", w->description);
	}
	vd_cwe_info_free(info);
	vd_service_close(svc);
	return VD_EXIT_OK;
}

static int classes(bool json)
{
	for (size_t i = 0; i < vd_gbt_class_count(); i++) {
		const vd_gbt_class *c = vd_gbt_class_at(i);
		if (json) {
			print_json(class_json(c));
			continue;
		}
		int depth = 0;
		for (const char *p = c->code; *p; p++)
			depth += *p == '.';
		printf("%-9s %*s%s  %s\n", c->code, depth * 2, "", c->zh, c->en);
	}
	return VD_EXIT_OK;
}

int vd_cmd_cwe(vd_cli *cli, int argc, char **argv)
{
	bool json = false;
	const char *args[3];
	int n = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "vulnd cwe: unknown option '%s'\n", argv[i]);
			return VD_EXIT_USAGE;
		} else if (n < 3)
			args[n++] = argv[i];
		else
			n++;
	}
	if (n == 2 && strcmp(args[0], "show") == 0)
		return show(cli, args[1], json);
	if (n == 1 && strcmp(args[0], "classes") == 0)
		return classes(json);
	vd_command_usage(vd_command_find("cwe"), false);
	return VD_EXIT_USAGE;
}

static void on_bad(void *ctx, const char *where, const char *reason)
{
	(void)ctx;
	fprintf(stderr, "vulnd import: skipped %s: %s\n", where, reason);
}

int vd_cmd_import_cwe(vd_cli *cli, const char *path)
{
	vd_service *svc;
	int ex = vd_cli_open(cli, "import", true, &svc);
	if (ex)
		return ex;
	vd_cwe_import_stats st;
	int rc = vd_service_cwe_import(svc, path, on_bad, NULL, &st);
	vd_service_close(svc);
	if (!cli->quiet || rc)
		fprintf(stderr, "%s: %llu CWE entries read, %llu stored, %llu skipped\n", path,
		        (unsigned long long)st.read, (unsigned long long)st.stored, (unsigned long long)st.skipped);
	if (rc == VD_EIO || (rc == VD_EINVAL && st.stored == 0)) {
		fprintf(stderr, "vulnd import: %s\n", vd_error_msg());
		return VD_EXIT_USAGE;
	}
	if (rc)
		return vd_cli_fail("import", rc);
	return st.skipped ? VD_EXIT_PARTIAL : VD_EXIT_OK;
}
