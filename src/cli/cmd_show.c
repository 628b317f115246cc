/* vulnd show [--json] ID */
#include "cli_int.h"
#include "vulnd/error.h"
#include "vulnd/gbt30279.h"
#include "vulnd/cwe.h"
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void line(const char *label, const char *v)
{
	if (v)
		printf("%-12s %s\n", label, v);
}

static void print_text(vd_service *svc, const vd_record *r)
{
	printf("%s  [%s]\n", r->id, vd_state_name(r->state));
	line("title", r->title.en);
	line("标题", r->title.zh);
	line("published", r->published);
	line("modified", r->modified);
	line("withdrawn", r->withdrawn);
	if (r->grade)
		printf("%-12s %s (%s)\n", "grade", r->grade, r->grade_basis ? r->grade_basis : "given");
	if (r->n_aliases) {
		printf("%-12s", "aliases");
		for (size_t i = 0; i < r->n_aliases; i++)
			printf(" %s", r->aliases[i].id);
		printf("\n");
	}
	if (r->class_code) {
		const vd_gbt_class *c = vd_gbt_class_get(r->class_code);
		if (c)
			printf("%-12s %s %s / %s\n", "class", c->code, c->zh, c->en);
		else
			printf("%-12s %s\n", "class", r->class_code);
	}
	for (size_t i = 0; i < r->n_cwes; i++) {
		/* names from the imported CWE catalogue, when there is one */
		vd_cwe_info *ci = NULL;
		const char *name = NULL;
		if (vd_service_cwe_get(svc, r->cwes[i], &ci) == VD_OK && ci->cwe)
			name = ci->cwe->name;
		printf("%-12s %s%s%s\n", i ? "" : "cwe", r->cwes[i], name ? "  " : "", name ? name : "");
		vd_cwe_info_free(ci);
	}
	for (size_t i = 0; i < r->n_scores; i++) {
		const vd_score *s = &r->scores[i];
		printf("%-12s %s", i ? "" : "scores", s->vector);
		if (s->base >= 0)
			printf("  %.1f", s->base);
		if (s->severity)
			printf(" %s", s->severity);
		if (s->source)
			printf("  (%s)", s->source);
		printf("\n");
	}
	if (r->description.en)
		printf("\n%s\n", r->description.en);
	if (r->description.zh)
		printf("\n%s\n", r->description.zh);
	if (r->n_affected) {
		printf("\naffected:\n");
		for (size_t i = 0; i < r->n_affected; i++) {
			const vd_affected *a = &r->affected[i];
			printf("  - %s%s%s", a->ecosystem ? a->ecosystem : (a->vendor ? a->vendor : ""),
			       (a->ecosystem || a->vendor) ? " " : "",
			       a->package ? a->package : (a->product ? a->product : "?"));
			for (size_t k = 0; k < a->n_ranges; k++) {
				printf(" [");
				for (size_t e = 0; e < a->ranges[k].n_events; e++)
					printf("%s%s %s", e ? ", " : "", vd_event_kind_name(a->ranges[k].events[e].kind),
					       a->ranges[k].events[e].value);
				printf("]");
			}
			if (a->n_versions)
				printf(" (%zu listed versions)", a->n_versions);
			printf("\n");
		}
	}
	if (r->n_refs) {
		printf("\nreferences:\n");
		for (size_t i = 0; i < r->n_refs; i++)
			printf("  %s%s%s%s\n", r->refs[i].type ? "[" : "", r->refs[i].type ? r->refs[i].type : "",
			       r->refs[i].type ? "] " : "", r->refs[i].url);
	}
}

/* Each field with the source that set it; losers marked. */
static void print_provenance(const vd_record *r)
{
	printf("%s  [%s]\n", r->id, vd_state_name(r->state));
	printf("%-16s %-8s %-10s %-22s %s\n", "FIELD", "", "SOURCE", "SOURCE ID", "TIME");
	for (size_t i = 0; i < r->n_prov; i++) {
		const vd_provenance *p = &r->prov[i];
		printf("%-16s %-8s %-10s %-22s %s\n", p->field ? p->field : "-",
		       p->overridden ? "(lost)" : "", p->source ? p->source : "-",
		       p->source_id ? p->source_id : "-", p->time ? p->time : "-");
	}
}

int vd_cmd_show(vd_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, 0, 'j'}, {"provenance", no_argument, 0, 'p'}, {0, 0, 0, 0}};
	bool json = false, prov = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jp", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'p')
			prov = true;
		else
			return VD_EXIT_USAGE;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "vulnd show: expected one ID\n");
		vd_command_usage(vd_command_find("show"), false);
		return VD_EXIT_USAGE;
	}
	vd_service *svc;
	int ex = vd_cli_open(cli, "show", false, &svc);
	if (ex)
		return ex;
	vd_record *r = NULL;
	/* the local CLI is the operator: it sees every state, and says which */
	int rc = vd_service_get(svc, VD_VIEW_ALL, argv[optind], &r);
	if (rc == VD_ENOTFOUND) {
		fprintf(stderr, "vulnd show: no record %s\n", argv[optind]);
		vd_service_close(svc);
		return VD_EXIT_PARTIAL;
	}
	if (rc) {
		vd_service_close(svc);
		return vd_cli_fail("show", rc);
	}
	if (json) {
		json_t *o = vd_record_to_jansson(r);
		char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(10)) : NULL;
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(o);
	} else if (prov) {
		print_provenance(r);
	} else {
		print_text(svc, r);
	}
	vd_record_free(r);
	vd_service_close(svc);
	return VD_EXIT_OK;
}
