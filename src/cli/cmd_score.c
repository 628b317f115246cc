/* vulnd score [--json] VECTOR...|-  — score CVSS v2.0/v3.0/v3.1/v4.0 vectors.
 *
 * "-" reads one vector per line from stdin (blank lines skipped). Every
 * vector is scored even when an earlier one was invalid; the exit status
 * is 0 when all were valid, 2 when any was invalid or on a usage error. */
#include "cli_int.h"
#include "vulnd/cvss.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: vulnd score [--json] VECTOR...\n"
	      "       vulnd score [--json] -        (one vector per line on stdin)\n"
	      "\n"
	      "Scores CVSS v2.0, v3.0, v3.1 and v4.0 vectors as FIRST specifies.\n"
	      "v3.x/v4.0 vectors need their prefix (CVSS:3.1/...); v2 vectors have none.\n"
	      "v4.0 metrics must be in the specification's order.\n"
	      "\n"
	      "  --json    one JSON object per line: version, vector (normalised),\n"
	      "            base_score, base_severity, and when defined temporal_score,\n"
	      "            environmental_score (v4.0: score, severity, nomenclature,\n"
	      "            macro_vector); an invalid vector gives {\"vector\", \"error\"}\n"
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

/* Scores one vector and prints its line; returns 0 when valid, 1 when not. */
static int score_one(const char *vec, bool json)
{
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
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "version", json_string(ver));
		json_object_set_new(o, "vector", json_string(c.normalized));
		put_score(o, "base_score", "base_severity", c.version, c.base);
		if (c.version == 40) {
			put_score(o, "score", "severity", c.version, c.score);
			json_object_set_new(o, "nomenclature", json_string(vd_cvss_nomenclature(&c)));
			json_object_set_new(o, "macro_vector", json_string(c.macro_vector));
		} else {
			if (c.has_temporal)
				put_score(o, "temporal_score", "temporal_severity", c.version, c.temporal);
			if (c.has_environmental)
				put_score(o, "environmental_score", "environmental_severity", c.version,
				          c.environmental);
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
		return 0;
	}
	printf("  version %s  base %.1f %s", ver, c.base, vd_cvss_severity(c.version, c.base));
	if (c.has_temporal)
		printf("  temporal %.1f %s", c.temporal, vd_cvss_severity(c.version, c.temporal));
	if (c.has_environmental)
		printf("  environmental %.1f %s", c.environmental,
		       vd_cvss_severity(c.version, c.environmental));
	printf("\n");
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
	return invalid ? VD_EXIT_USAGE : VD_EXIT_OK;
}
