/* vulnd match SBOM-FILE [--json] [--fail-on LEVEL] [--vex FILE]... [--vex-out FILE]
 *                       [--store-vex] [--show-suppressed] [--all]
 *
 * Reads a CycloneDX or SPDX SBOM, matches every component against the
 * catalogue (vd_service_match) and prints the findings as a table (or one
 * JSON document with --json).  VEX documents given with --vex (CycloneDX VEX
 * or CSAF) suppress not_affected / fixed findings for this run; with
 * --store-vex their statements are also stored, so later runs apply them
 * without --vex.  --vex-out writes a CycloneDX VEX document of the findings
 * (their VEX state, else in_triage) to edit and feed back with --vex.
 *
 * Exit status: 0 no finding (with --fail-on: none at or above LEVEL);
 * 1 findings (at or above LEVEL); 2 usage error or unreadable SBOM/VEX;
 * 4 storage error.  Findings without a grade count only for --fail-on any.
 */
#include "cli_int.h"
#include "vulnd/error.h"
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_VEX 16

typedef struct {
	size_t comp;
	char *name, *version, *purl, *ref, *id, *aliases, *grade, *fixed, *by, *state, *just;
	vd_vex_state vex;
	bool suppressed;
} row;

typedef struct {
	row *v;
	size_t n, cap;
	int rc;
} rows;

static char *dup(const char *s) { return s ? strdup(s) : NULL; }

static int keep(void *ctx, const vd_finding *f)
{
	rows *r = ctx;
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		row *nv = realloc(r->v, nc * sizeof *nv);
		if (!nv)
			return vd_error_set(VD_ENOMEM, "match: out of memory");
		r->v = nv;
		r->cap = nc;
	}
	vd_buf al;
	vd_buf_init(&al, 1 << 16);
	for (size_t i = 0; i < f->n_aliases; i++)
		if (i ? vd_buf_printf(&al, ",%s", f->aliases[i]) : vd_buf_adds(&al, f->aliases[i]))
			break;
	const char *nm = f->comp->name;
	char full[1024];
	if (f->comp->group && f->comp->name) {
		snprintf(full, sizeof full, "%s/%s", f->comp->group, f->comp->name);
		nm = full;
	}
	row *w = &r->v[r->n++];
	*w = (row){f->component, dup(nm), dup(f->version), dup(f->purl), dup(f->comp->ref), dup(f->vuln_id),
	           al.len ? vd_buf_detach(&al) : NULL, dup(f->grade), dup(f->fixed), dup(f->matched_by),
	           dup(f->vex != VD_VEX_NONE ? vd_vex_state_name(f->vex) : NULL), dup(f->vex_justification),
	           f->vex, f->suppressed};
	vd_buf_free(&al);
	return VD_OK;
}

static void rows_free(rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		row *w = &r->v[i];
		free(w->name), free(w->version), free(w->purl), free(w->ref), free(w->id), free(w->aliases);
		free(w->grade), free(w->fixed), free(w->by), free(w->state), free(w->just);
	}
	free(r->v);
}

/* Severity rank: critical 4 ... low 1, unknown 0. */
static int rank(const char *g)
{
	static const char *n[] = {"low", "medium", "high", "critical"};
	for (int i = 0; g && i < 4; i++)
		if (!strcasecmp(g, n[i]))
			return i + 1;
	return 0;
}

/* Printable: no control characters from data on the terminal. */
static void clean(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

static void print_table(const rows *r, bool show_state)
{
	size_t w[6] = {9, 7, 4, 7, 5, 5};
	for (size_t i = 0; i < r->n; i++) {
		const row *x = &r->v[i];
		const char *c[6] = {x->name, x->version, x->id, x->aliases, x->grade, x->fixed};
		for (int k = 0; k < 6; k++) {
			size_t l = c[k] ? strlen(c[k]) : 1;
			if (l > w[k])
				w[k] = l > 60 ? 60 : l;
		}
	}
	printf("%-*s  %-*s  %-*s  %-*s  %-*s  %-*s%s\n", (int)w[0], "COMPONENT", (int)w[1], "VERSION", (int)w[2],
	       "VULN", (int)w[3], "ALIASES", (int)w[4], "GRADE", (int)w[5], "FIXED", show_state ? "  VEX" : "");
	for (size_t i = 0; i < r->n; i++) {
		const row *x = &r->v[i];
		printf("%-*.60s  %-*.60s  %-*.60s  %-*.60s  %-*.60s  %-*.60s", (int)w[0], x->name ? x->name : "-",
		       (int)w[1], x->version ? x->version : "-", (int)w[2], x->id, (int)w[3],
		       x->aliases ? x->aliases : "-", (int)w[4], x->grade ? x->grade : "-", (int)w[5],
		       x->fixed ? x->fixed : "-");
		if (show_state && x->state)
			printf("  %s%s%s%s", x->state, x->just ? " (" : "", x->just ? x->just : "", x->just ? ")" : "");
		printf("\n");
	}
}

static json_t *row_json(const row *x)
{
	json_t *j = json_object();
	json_object_set_new(j, "component", json_string(x->name ? x->name : ""));
	if (x->ref) json_object_set_new(j, "bom_ref", json_string(x->ref));
	if (x->version) json_object_set_new(j, "version", json_string(x->version));
	if (x->purl) json_object_set_new(j, "purl", json_string(x->purl));
	json_object_set_new(j, "id", json_string(x->id));
	json_t *al = json_array();
	for (char *p = x->aliases; p && *p;) {
		char *e = strchr(p, ',');
		json_array_append_new(al, e ? json_stringn(p, (size_t)(e - p)) : json_string(p));
		p = e ? e + 1 : p + strlen(p);
	}
	json_object_set_new(j, "aliases", al);
	json_object_set_new(j, "grade", x->grade ? json_string(x->grade) : json_null());
	json_object_set_new(j, "fixed", x->fixed ? json_string(x->fixed) : json_null());
	json_object_set_new(j, "matched_by", json_string(x->by));
	if (x->state) json_object_set_new(j, "vex_state", json_string(x->state));
	if (x->just) json_object_set_new(j, "vex_justification", json_string(x->just));
	if (x->suppressed) json_object_set_new(j, "suppressed", json_true());
	return j;
}

static int write_vex(const char *path, const rows *r, const vd_sbom *sb)
{
	vd_vex_out *o = calloc(r->n ? r->n : 1, sizeof *o);
	if (!o)
		return vd_error_set(VD_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n; i++) {
		const row *x = &r->v[i];
		const vd_sbom_component *c = &sb->comps[x->comp];
		o[i] = (vd_vex_out){x->id, "vulnd", c->ref, c->name, c->version, c->purl,
		                    x->vex != VD_VEX_NONE ? x->vex : VD_VEX_UNDER_INVESTIGATION,
		                    x->vex != VD_VEX_NONE ? x->just : NULL, NULL, x->grade};
	}
	char *doc = NULL;
	int rc = vd_vex_write_cdx(o, r->n, sb->name, sb->version, NULL, &doc);
	free(o);
	if (rc)
		return rc;
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f) {
		free(doc);
		return vd_error_set(VD_EIO, "--vex-out %s: cannot open for writing", path);
	}
	bool ok = fputs(doc, f) >= 0 && fputc('\n', f) != EOF;
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	free(doc);
	return ok ? VD_OK : vd_error_set(VD_EIO, "--vex-out %s: write failed", path);
}

int vd_cmd_match(vd_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"fail-on", required_argument, NULL, 'f'},
		{"vex", required_argument, NULL, 'v'},
		{"vex-out", required_argument, NULL, 'o'},
		{"store-vex", no_argument, NULL, 's'},
		{"show-suppressed", no_argument, NULL, 'S'},
		{"all", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	bool json = false, store_vex = false, show_supp = false, all = false;
	int fail_rank = -1;   /* -1: any finding */
	const char *vex_files[MAX_VEX], *vex_out = NULL;
	size_t n_vex = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jf:v:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'f':
			if (!strcasecmp(optarg, "any"))
				fail_rank = -1;
			else if ((fail_rank = rank(optarg)) == 0) {
				fprintf(stderr, "vulnd match: --fail-on: '%s' is not critical, high, medium, low or any\n", optarg);
				return VD_EXIT_USAGE;
			}
			break;
		case 'v':
			if (n_vex == MAX_VEX) {
				fprintf(stderr, "vulnd match: at most %d --vex files\n", MAX_VEX);
				return VD_EXIT_USAGE;
			}
			vex_files[n_vex++] = optarg;
			break;
		case 'o': vex_out = optarg; break;
		case 's': store_vex = true; break;
		case 'S': show_supp = true; break;
		case 'a': all = true; break;
		default:
			vd_command_usage(vd_command_find("match"), false);
			return VD_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		vd_command_usage(vd_command_find("match"), false);
		return VD_EXIT_USAGE;
	}
	if (store_vex && !n_vex) {
		fprintf(stderr, "vulnd match: --store-vex needs --vex FILE\n");
		return VD_EXIT_USAGE;
	}
	vd_sbom *sb = NULL, *vx[MAX_VEX] = {0};
	vd_service *svc = NULL;
	rows r = {0};
	int ex = VD_EXIT_OK, rc;
	if ((rc = vd_sbom_read_file(argv[optind], &sb))) {
		ex = vd_cli_fail("match", rc);
		ex = rc == VD_ENOMEM ? VD_EXIT_STORE : VD_EXIT_USAGE;   /* unreadable input */
		goto out;
	}
	for (size_t i = 0; i < n_vex; i++)
		if ((rc = vd_sbom_read_file(vex_files[i], &vx[i]))) {
			ex = vd_cli_fail("match --vex", rc);
			ex = rc == VD_ENOMEM ? VD_EXIT_STORE : VD_EXIT_USAGE;
			goto out;
		}
	if ((ex = vd_cli_open(cli, "match", false, &svc)) != VD_EXIT_OK)
		goto out;
	for (size_t i = 0; store_vex && i < n_vex; i++) {
		size_t ns = 0, nk = 0;
		if ((rc = vd_service_vex_store(svc, vx[i], vex_files[i], &ns, &nk))) {
			ex = vd_cli_fail("match --store-vex", rc);
			goto out;
		}
		if (!cli->quiet)
			fprintf(stderr, "vulnd match: stored %zu VEX statements from %s%s\n", ns, vex_files[i],
			        nk ? " (some had no product purl, CPE or reference and were skipped)" : "");
	}
	vd_match_opts mo = {(const vd_sbom *const *)vx, n_vex, false, show_supp || vex_out};
	vd_match_stats st;
	if ((rc = vd_service_match(svc, all ? VD_VIEW_ALL : VD_VIEW_PUBLIC, sb, &mo, keep, &r, &st))) {
		ex = vd_cli_fail("match", rc);
		goto out;
	}
	if (vex_out && (rc = write_vex(vex_out, &r, sb))) {
		ex = vd_cli_fail("match --vex-out", rc);
		goto out;
	}
	/* what is shown: suppressed rows only with --show-suppressed */
	rows shown = {0};
	shown.v = calloc(r.n ? r.n : 1, sizeof *shown.v);
	if (!shown.v) {
		ex = vd_cli_fail("match", vd_error_set(VD_ENOMEM, "out of memory"));
		goto out;
	}
	bool any_state = false, trip = false;
	for (size_t i = 0; i < r.n; i++) {
		if (r.v[i].suppressed && !show_supp)
			continue;
		shown.v[shown.n++] = r.v[i];
		any_state |= r.v[i].state != NULL;
		if (!r.v[i].suppressed && (fail_rank < 0 || rank(r.v[i].grade) >= fail_rank))
			trip = true;
	}
	if (json) {
		json_t *j = json_object(), *fa = json_array();
		json_t *sj = json_pack("{s:s,s:s?,s:s?,s:s?}", "format", vd_sbom_format_name(sb->format), "spec_version",
		                       sb->spec_version, "name", sb->name, "version", sb->version);
		json_object_set_new(j, "sbom", sj);
		for (size_t i = 0; i < shown.n; i++)
			json_array_append_new(fa, row_json(&shown.v[i]));
		json_object_set_new(j, "findings", fa);
		json_object_set_new(j, "summary", json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I,s:I,s:I}}",
			"components", (json_int_t)st.components, "matchable", (json_int_t)st.matchable,
			"with_findings", (json_int_t)st.with_findings, "findings", (json_int_t)st.findings,
			"suppressed", (json_int_t)st.suppressed, "unevaluable", (json_int_t)st.unevaluable,
			"by_grade", "critical", (json_int_t)st.by_severity[0], "high", (json_int_t)st.by_severity[1],
			"medium", (json_int_t)st.by_severity[2], "low", (json_int_t)st.by_severity[3],
			"unknown", (json_int_t)st.by_severity[4]));
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		for (size_t i = 0; i < shown.n; i++) {
			clean(shown.v[i].name), clean(shown.v[i].version), clean(shown.v[i].aliases);
			clean(shown.v[i].fixed), clean(shown.v[i].just);
		}
		if (shown.n)
			print_table(&shown, any_state);
		printf("%s%zu finding%s in %zu of %zu components (%zu matchable: purl or CPE)", shown.n ? "\n" : "",
		       st.findings, st.findings == 1 ? "" : "s", st.with_findings, st.components, st.matchable);
		if (st.suppressed)
			printf("; %zu suppressed by VEX", st.suppressed);
		printf("\n");
	}
	free(shown.v);
	ex = trip ? VD_EXIT_PARTIAL : VD_EXIT_OK;
out:
	rows_free(&r);
	vd_service_close(svc);
	vd_sbom_free(sb);
	for (size_t i = 0; i < n_vex; i++)
		vd_sbom_free(vx[i]);
	return ex;
}
