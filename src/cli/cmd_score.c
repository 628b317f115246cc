/* vulnd score [--json] VECTOR...|-  — score CVSS v2.0/v3.0/v3.1/v4.0 vectors.
 *
 * "-" reads one vector per line from stdin (blank lines skipped). Every
 * vector is scored even when an earlier one was invalid; the exit status
 * is 0 when all were valid, 2 when any was invalid or on a usage error. */
#include "cli_int.h"
#include "vulnd/cvss.h"
#include "vulnd/error.h"
#include "vulnd/gbt30279.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: vulnd score [--json] VECTOR...\n"
	      "       vulnd score [--json] -        (one vector per line on stdin)\n"
	      "\n"
	      "Scores CVSS v2.0, v3.0, v3.1 and v4.0 vectors as FIRST specifies, and\n"
	      "grades GB/T 30279 vectors (GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S\n"
	      "[/EC:L/FD:H/SC:H], docs/gbt30279.md) with the grading table.\n"
	      "v3.x/v4.0 vectors need their prefix (CVSS:3.1/...); v2 vectors have none.\n"
	      "v4.0 metrics must be in the specification's order.\n"
	      "\n"
	      "  --json    one JSON object per line: version, vector (normalised),\n"
	      "            base_score, base_severity, and when defined temporal_score,\n"
	      "            environmental_score (v4.0: score, severity, nomenclature,\n"
	      "            macro_vector); an invalid vector gives {\"vector\", \"error\"}\n"
	      "            v3.x/v4.0 and GB/T 30279: grade, grade_zh, basis (the GB/T\n"
	      "            30279 grade: critical 超危, high 高危, medium 中危, low 低危)\n"
	      "  --gbt-table FILE  grading table instead of the built-in default\n"
	      "  -h, --help\n"
	      "\n"
	      "Exit status: 0 all vectors valid, 2 any invalid (the rest are still scored).\n", f);
}

static void put_score(json_t *o, const char *key, const char *sevkey, int version, double s)
{
	json_object_set_new(o, key, json_real(s));
	json_object_set_new(o, sevkey, json_string(vd_cvss_severity(version, s)));
}

static void print_json_line(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	if (s)
		printf("%s\n", s);
	free(s);
}

static vd_gbt_table *gbt_table;   /* --gbt-table, NULL: the default */

static void put_grade(json_t *o, vd_gbt_grade g, const char *basis)
{
	json_object_set_new(o, "grade", vd_gbt_grade_key(g) ? json_string(vd_gbt_grade_key(g)) : json_null());
	json_object_set_new(o, "grade_zh", vd_gbt_grade_zh(g) ? json_string(vd_gbt_grade_zh(g)) : json_null());
	json_object_set_new(o, "basis", json_string(basis));
}

/* A GB/T 30279 vector: parse and grade; 0 when valid, 1 when not. */
static int score_gbt(const char *vec, bool json)
{
	vd_gbt_vector v;
	vd_gbt_result res;
	if (vd_gbt_vector_parse(vec, &v) != VD_OK || vd_gbt_grade_vector(gbt_table, &v, &res) != VD_OK) {
		if (json) {
			json_t *o = json_object(), *jv = json_string(vec);
			json_object_set_new(o, "vector", jv ? jv : json_string("(not UTF-8)"));
			json_object_set_new(o, "error", json_string(vd_error_msg()));
			print_json_line(o);
			json_decref(o);
		} else {
			fflush(stdout);
			fprintf(stderr, "vulnd score: %.600s: %s\n", vec, vd_error_msg());
		}
		return 1;
	}
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "version", json_string("GBT30279:2020"));
		json_object_set_new(o, "vector", json_string(v.normalized));
		put_grade(o, res.overall, res.basis);
		json_object_set_new(o, "technical_grade", json_string(vd_gbt_grade_key(res.technical)));
		json_object_set_new(o, "exploitability_level", json_stringn(&res.exploit_level, 1));
		json_object_set_new(o, "impact_level", json_stringn(&res.impact_level, 1));
		json_object_set_new(o, "exploitability_points", json_integer(res.exploit_points));
		json_object_set_new(o, "impact_points", json_integer(res.impact_points));
		json_object_set_new(o, "environment_adjust", json_integer(res.adjust));
		print_json_line(o);
		json_decref(o);
		return 0;
	}
	printf("%s\n  grade %s %s  technical %s %s  exploitability %c  impact %c  environment %+d\n  basis %s\n",
	       v.normalized, vd_gbt_grade_key(res.overall), vd_gbt_grade_zh(res.overall),
	       vd_gbt_grade_key(res.technical), vd_gbt_grade_zh(res.technical), res.exploit_level,
	       res.impact_level, res.adjust, res.basis);
	return 0;
}

/* Scores one vector and prints its line; returns 0 when valid, 1 when not. */
static int score_one(const char *vec, bool json)
{
	if (vd_gbt_is_vector(vec))
		return score_gbt(vec, json);
	vd_cvss c;
	int rc = vd_cvss_parse(vec, &c);
	if (rc != VD_OK) {
		if (json) {
			json_t *o = json_object(), *v = json_string(vec);
			json_object_set_new(o, "vector", v ? v : json_string("(not UTF-8)"));
			json_object_set_new(o, "error", json_string(vd_error_msg()));
			print_json_line(o);
			json_decref(o);
		} else {
			fflush(stdout);
			fprintf(stderr, "vulnd score: %.600s: %s\n", vec, vd_error_msg());
		}
		return 1;
	}
	const char *ver = vd_cvss_version_str(c.version);
	char basis[256] = "";
	vd_gbt_grade g = c.version >= 30 ? vd_gbt_grade_cvss(gbt_table, ver, c.base, c.normalized, basis, sizeof basis)
	                                 : VD_GBT_GRADE_NONE;
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "version", json_string(ver));
		json_object_set_new(o, "vector", json_string(c.normalized));
		put_score(o, "base_score", "base_severity", c.version, c.base);
		if (c.version == 40) {
			put_grade(o, g, basis);   /* the GB/T 30279 grade of the base score */
			put_score(o, "score", "severity", c.version, c.score);
			json_object_set_new(o, "nomenclature", json_string(vd_cvss_nomenclature(&c)));
			json_object_set_new(o, "macro_vector", json_string(c.macro_vector));
		} else {
			if (c.has_temporal)
				put_score(o, "temporal_score", "temporal_severity", c.version, c.temporal);
			if (c.has_environmental)
				put_score(o, "environmental_score", "environmental_severity", c.version,
				          c.environmental);
			if (c.version >= 30)
				put_grade(o, g, basis);
		}
		print_json_line(o);
		json_decref(o);
		return 0;
	}
	printf("%s\n", c.normalized);
	if (c.version == 40) {
		printf("  version %s  score %.1f %s (%s)  base %.1f %s  macro-vector %s\n", ver,
		       c.score, vd_cvss_severity(40, c.score), vd_cvss_nomenclature(&c),
		       c.base, vd_cvss_severity(40, c.base), c.macro_vector);
		if (g)
			printf("  grade %s %s  (%s)\n", vd_gbt_grade_key(g), vd_gbt_grade_zh(g), basis);
		return 0;
	}
	printf("  version %s  base %.1f %s", ver, c.base, vd_cvss_severity(c.version, c.base));
	if (c.has_temporal)
		printf("  temporal %.1f %s", c.temporal, vd_cvss_severity(c.version, c.temporal));
	if (c.has_environmental)
		printf("  environmental %.1f %s", c.environmental,
		       vd_cvss_severity(c.version, c.environmental));
	printf("\n");
	if (g)
		printf("  grade %s %s  (%s)\n", vd_gbt_grade_key(g), vd_gbt_grade_zh(g), basis);
	return 0;
}

static int score_stdin(bool json, int *invalid)
{
	char line[VD_CVSS_MAX_LEN + 64];
	while (fgets(line, sizeof line, stdin)) {
		size_t n = strlen(line);
		if (n == sizeof line - 1 && line[n - 1] != '\n') {
			/* overlong line: drop the rest of it and report it invalid */
			int ch;
			while ((ch = getchar()) != EOF && ch != '\n')
				;
			line[64] = '\0';
			vd_error_set(VD_ETOOBIG, "CVSS vector: longer than %d bytes", VD_CVSS_MAX_LEN);
			if (json) {
				json_t *o = json_object(), *v = json_string(line);
				json_object_set_new(o, "vector", v ? v : json_string("(not UTF-8)"));
				json_object_set_new(o, "error", json_string(vd_error_msg()));
				print_json_line(o);
				json_decref(o);
			} else {
				fprintf(stderr, "vulnd score: %s...: %s\n", line, vd_error_msg());
			}
			(*invalid)++;
			continue;
		}
		line[strcspn(line, "\r\n")] = '\0';
		const char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			continue;
		*invalid += score_one(p, json);
	}
	if (ferror(stdin)) {
		fprintf(stderr, "vulnd score: error reading stdin\n");
		return -1;
	}
	return 0;
}

int vd_cmd_score(int argc, char **argv)
{
	bool json = false, opts_done = false;
	int nvec = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (opts_done || a[0] != '-' || strcmp(a, "-") == 0) {
			nvec++;
			continue;
		}
		if (strcmp(a, "--") == 0) opts_done = true;
		else if (strcmp(a, "--json") == 0 || strcmp(a, "-j") == 0) json = true;
		else if (strcmp(a, "--gbt-table") == 0 && i + 1 < argc) {
			vd_gbt_table *t;
			if (gbt_table || vd_gbt_load_table(argv[++i], &t) != VD_OK) {
				fprintf(stderr, "vulnd score: %s\n", gbt_table ? "--gbt-table given twice" : vd_error_msg());
				return VD_EXIT_USAGE;
			}
			gbt_table = t;
		}
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { usage(stdout); return VD_EXIT_OK; }
		else {
			fprintf(stderr, "vulnd score: unknown option '%s'\n", a);
			usage(stderr);
			return VD_EXIT_USAGE;
		}
	}
	if (nvec == 0) {
		usage(stderr);
		return VD_EXIT_USAGE;
	}
	int invalid = 0;
	opts_done = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!opts_done && a[0] == '-' && strcmp(a, "-") != 0) {
			if (strcmp(a, "--") == 0)
				opts_done = true;
			else if (strcmp(a, "--gbt-table") == 0)
				i++;
			continue;
		}
		if (strcmp(a, "-") == 0) {
			if (score_stdin(json, &invalid) < 0)
				return VD_EXIT_USAGE;
		} else {
			invalid += score_one(a, json);
		}
	}
	fflush(stdout);
	vd_gbt_table_free(gbt_table);
	gbt_table = NULL;
	return invalid ? VD_EXIT_USAGE : VD_EXIT_OK;
}
