/* tests/unit/t_cvss.c — CVSS v2/v3.0/v3.1/v4.0 against every reference
 * vector in ../shared/data/cvss, plus properties and bad vectors. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "harness.h"
#include "vulnd/cvss.h"
#include "vulnd/error.h"
#include <unistd.h>

int vd_cmd_score(int argc, char **argv);   /* src/cli/cmd_score.c */

/* ---- reference files ---- */

static int ref_mismatches_shown;

static void show_mismatch(const char *file, int lineno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void show_mismatch(const char *file, int lineno, const char *fmt, ...)
{
	if (ref_mismatches_shown++ >= 8)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "  mismatch %s:%d: ", file, lineno);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* "None" → NAN, else the number; *ok = false when unparsable */
static double num(const char *s, bool *ok)
{
	while (*s == ' ' || *s == '(')
		s++;
	if (strncmp(s, "None", 4) == 0)
		return NAN;
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		*ok = false;
	return v;
}

static bool same(double got, double want)
{
	return got == want;   /* both exact tenths; -0.0 == 0.0 */
}

/* Checks one file; returns the number of vectors checked, -1 when the
 * file cannot be read. v4 = true: a single score per line. */
static int check_file(const char *name, bool v4, int *mismatches)
{
	const char *sh = vt_shared();
	if (!sh)
		return -1;
	char path[4300];
	snprintf(path, sizeof path, "%s/data/cvss/%s", sh, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "  cannot open %s\n", path);
		return -1;
	}
	char line[1024];
	int n = 0, lineno = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		char *sep = strstr(line, " - ");
		if (!sep) {
			show_mismatch(name, lineno, "unparsable line '%s'", line);
			(*mismatches)++;
			continue;
		}
		*sep = '\0';
		const char *rest = sep + 3;
		bool ok = true;
		double want[3] = { NAN, NAN, NAN };
		int nw = 0;
		for (const char *p = rest; *p && nw < 3; ) {
			want[nw++] = num(p, &ok);
			const char *comma = strchr(p, ',');
			if (!comma)
				break;
			p = comma + 1;
			while (*p == ' ')
				p++;
			if (*p == ')' || !*p)
				break;
		}
		vd_cvss c;
		int rc = vd_cvss_parse(line, &c);
		n++;
		if (!ok || nw == 0) {
			show_mismatch(name, lineno, "bad expected scores '%s'", rest);
			(*mismatches)++;
			continue;
		}
		if (rc != VD_OK) {
			show_mismatch(name, lineno, "%s: parse failed: %s", line, vd_error_msg());
			(*mismatches)++;
			continue;
		}
		if (v4) {
			if (!same(c.score, want[0])) {
				show_mismatch(name, lineno, "%s: score %.1f, expected %.1f (macro %s)",
				              line, c.score, want[0], c.macro_vector);
				(*mismatches)++;
			}
			continue;
		}
		double got[3] = { c.base, c.temporal, c.environmental };
		bool has[3] = { true, c.has_temporal, c.has_environmental };
		if (c.version != 20)
			has[1] = has[2] = true;   /* v3 references always give all three */
		for (int k = 0; k < 3 && k < nw; k++) {
			bool want_none = isnan(want[k]);
			if (want_none != !has[k] || (!want_none && !same(got[k], want[k]))) {
				show_mismatch(name, lineno, "%s: scores (%.1f%s, %.1f%s, %.1f%s), expected %s",
				              line, got[0], "", got[1], has[1] ? "" : "/None",
				              got[2], has[2] ? "" : "/None", rest);
				(*mismatches)++;
				break;
			}
		}
	}
	fclose(f);
	return n;
}

static void t_reference_vectors(void)
{
	static const struct { const char *file; bool v4; int min; } files[] = {
		{ "vectors_simple2", false, 729 },
		{ "vectors_calculator2", false, 5 },
		{ "vectors_cvsslib2", false, 24 },
		{ "vectors_simple3", false, 2592 },
		{ "vectors_simple31", false, 2592 },
		{ "vectors_calculator3", false, 2 },
		{ "vectors_cvsslib3", false, 29 },
		{ "vectors_simple4", true, 1058 },
		{ "vectors_security4", true, 54 },
		{ "vectors_supplemental4", true, 576 },
		{ "vectors_threat4", true, 6 },
	};
	int total = 0, bad = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		int mism = 0;
		int n = check_file(files[i].file, files[i].v4, &mism);
		CHECK(n >= files[i].min);
		printf("  %-24s %5d vectors checked, %d mismatches\n", files[i].file, n < 0 ? 0 : n, mism);
		if (n > 0)
			total += n;
		bad += mism;
	}
	printf("  total: %d reference vectors checked, %d mismatches\n", total, bad);
	CHECK_INT(bad, 0);
}

static void t_nvd_go_scores(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh != NULL);
	static const char *files[] = { "v30-scores.json", "v31-scores.json" };
	int total = 0, bad = 0;
	for (size_t i = 0; i < 2; i++) {
		char path[4300];
		snprintf(path, sizeof path, "%s/data/cvss/nvd-go-scores/%s", sh, files[i]);
		json_error_t err;
		json_t *arr = json_load_file(path, 0, &err);
		CHECK(arr != NULL && json_is_array(arr));
		if (!arr) {
			fprintf(stderr, "  %s: %s\n", path, err.text);
			continue;
		}
		size_t k;
		json_t *it;
		int n = 0;
		json_array_foreach(arr, k, it) {
			const char *vec = json_string_value(json_object_get(it, "vector"));
			double want = json_number_value(json_object_get(it, "score"));
			const char *sev = json_string_value(json_object_get(it, "severity"));
			vd_cvss c;
			n++;
			if (!vec || vd_cvss_parse(vec, &c) != VD_OK) {
				show_mismatch(files[i], (int)k, "%s: %s", vec ? vec : "(no vector)", vd_error_msg());
				bad++;
				continue;
			}
			if (!same(c.base, want) || !sev ||
			    strcasecmp(vd_cvss_severity(c.version, c.base), sev) != 0) {
				show_mismatch(files[i], (int)k, "%s: %.1f %s, expected %.1f %s", vec,
				              c.base, vd_cvss_severity(c.version, c.base), want, sev ? sev : "?");
				bad++;
			}
		}
		printf("  nvd-go-scores/%-16s %5d vectors checked\n", files[i], n);
		total += n;
		json_decref(arr);
	}
	CHECK(total >= 82);
	CHECK_INT(bad, 0);
}

/* ---- known values ---- */

static void t_known(void)
{
	vd_cvss c;
	REQUIRE(vd_cvss_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &c) == VD_OK);
	CHECK_INT(c.version, 31);
	CHECK(c.base == 9.8);
	CHECK_STR(vd_cvss_severity(31, c.base), "Critical");
	CHECK(!c.has_temporal && !c.has_environmental);

	REQUIRE(vd_cvss_parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", &c) == VD_OK);
	CHECK_INT(c.version, 40);
	CHECK(c.score == 9.3 && c.base == 9.3);
	CHECK_STR(c.macro_vector, "000200");
	CHECK_STR(vd_cvss_nomenclature(&c), "CVSS-B");

	/* threat lowers the BTE score but not CVSS-B */
	REQUIRE(vd_cvss_parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", &c) == VD_OK);
	CHECK(c.base == 9.3);
	CHECK(c.score < 9.3);
	CHECK_STR(c.macro_vector, "000220");
	CHECK_STR(vd_cvss_nomenclature(&c), "CVSS-BT");

	REQUIRE(vd_cvss_parse("AV:N/AC:L/Au:N/C:C/I:C/A:C", &c) == VD_OK);
	CHECK_INT(c.version, 20);
	CHECK(c.base == 10.0);
	CHECK_STR(vd_cvss_severity(20, c.base), "High");
	CHECK(!c.has_temporal);

	/* v2 with the optional CVSS:2.0 prefix normalises without it */
	REQUIRE(vd_cvss_parse("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:N/A:N/E:ND", &c) == VD_OK);
	CHECK_STR(c.normalized, "AV:N/AC:L/Au:N/C:P/I:N/A:N");
	CHECK(c.base == 5.0);
	CHECK(!c.has_temporal);

	/* normalisation: canonical order, X dropped, whitespace trimmed */
	REQUIRE(vd_cvss_parse("  CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X\n", &c) == VD_OK);
	CHECK_STR(c.normalized, "CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F");
	CHECK(c.has_temporal && !c.has_environmental);
	CHECK(c.base == 3.8 && c.temporal == 3.7);

	CHECK_STR(vd_cvss_severity(40, 0.0), "None");
	CHECK_STR(vd_cvss_severity(31, 0.1), "Low");
	CHECK_STR(vd_cvss_severity(31, 3.9), "Low");
	CHECK_STR(vd_cvss_severity(31, 4.0), "Medium");
	CHECK_STR(vd_cvss_severity(31, 6.9), "Medium");
	CHECK_STR(vd_cvss_severity(31, 7.0), "High");
	CHECK_STR(vd_cvss_severity(31, 8.9), "High");
	CHECK_STR(vd_cvss_severity(31, 9.0), "Critical");
	CHECK_STR(vd_cvss_severity(20, 3.9), "Low");
	CHECK_STR(vd_cvss_severity(20, 6.9), "Medium");
	CHECK(vd_cvss_severity(25, 1.0) == NULL);
}

/* ---- bad vectors ---- */

static void expect_error(const char *vec, int code, const char *needle)
{
	vd_cvss c;
	int rc = vd_cvss_parse(vec, &c);
	if (rc != code || !strstr(vd_error_msg(), needle)) {
		vt_cur_failed = 1;
		fprintf(stderr, "  %s: parse(\"%s\") = %d \"%s\", expected %d containing \"%s\"\n",
		        vt_cur, vec, rc, vd_error_msg(), code, needle);
	}
}

static void t_bad_vectors(void)
{
	expect_error("", VD_EINVAL, "empty");
	expect_error("   ", VD_EINVAL, "empty");
	expect_error("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", VD_EINVAL, "unknown metric 'XX'");
	expect_error("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "duplicate metric 'AV'");
	expect_error("CVSS:3.1/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "missing mandatory metric 'AC'");
	expect_error("CVSS:3.1/AV:N/PR:N/UI:N/C:H/I:H/A:H", VD_EINVAL, "'AC', 'S'");
	expect_error("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "bad value 'Q' for metric 'AV'");
	expect_error("CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "bad value 'n'");
	expect_error("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "wrong prefix 'CVSS:3.2'");
	expect_error("CVSSv3/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "wrong prefix");
	expect_error("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "missing prefix");
	expect_error("CVSS:3.1/", VD_EINVAL, "no metrics");
	expect_error("CVSS:3.1", VD_EINVAL, "no metrics");
	expect_error("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", VD_EINVAL, "trailing '/'");
	expect_error("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "empty metric at position 2");
	expect_error("CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "malformed component 'AVN'");
	expect_error("CVSS:3.1/AV:N:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "bad value 'N:X'");
	expect_error("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MSI:S", VD_EINVAL, "unknown metric 'MSI'");
	/* v4.0 order */
	expect_error("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N", VD_EINVAL,
	             "metric 'VI' out of order");
	expect_error("CVSS:4.0/E:A/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", VD_EINVAL,
	             "out of order");
	expect_error("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", VD_EINVAL,
	             "bad value 'S' for metric 'SI'");
	expect_error("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", VD_EINVAL,
	             "missing mandatory metric 'SA'");
	expect_error("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:clear", VD_EINVAL,
	             "bad value 'clear' for metric 'U'");
	/* v2 */
	expect_error("AV:N/AC:L/Au:N/C:C/I:C", VD_EINVAL, "missing mandatory metric 'A'");
	expect_error("AV:N/AC:L/Au:N/C:C/I:C/A:C/XY:Z", VD_EINVAL, "unknown metric 'XY'");
	expect_error("AV:N/AC:L/AU:N/C:C/I:C/A:C", VD_EINVAL, "metric 'AU' is not a v2 metric");
	expect_error("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:X", VD_EINVAL, "bad value 'X' for metric 'E'");
	expect_error("CVSS:3.1/AV:N /AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VD_EINVAL, "invalid character 0x20 at offset 13");
	expect_error("CVSS:3.1/AV:\xc3\xa9/AC:L", VD_EINVAL, "invalid character 0xC3");
	/* size bound */
	char big[2000];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	expect_error(big, VD_ETOOBIG, "longer than");

	/* the same v4.0 vector out of order is accepted with VD_CVSS_ANY_ORDER */
	vd_cvss c;
	CHECK_INT(vd_cvss_parse_ex("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N",
	                           VD_CVSS_ANY_ORDER, &c), VD_OK);
	CHECK_STR(c.normalized, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
	CHECK(c.score == 9.3);
}

/* ---- properties ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static bool in_range(double x) { return x >= 0.0 && x <= 10.0 && !isnan(x); }

static void property(int version, int count)
{
	int nm = vd_cvss_metric_count(version);
	int bad = 0;
	for (int it = 0; it < count && bad < 5; it++) {
		int order[64];
		for (int i = 0; i < nm; i++)
			order[i] = i;
		if (version != 40)        /* any order is valid before v4.0 */
			for (int i = nm - 1; i > 0; i--) {
				int j = (int)rnd((uint32_t)i + 1), t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
		char vec[600];
		size_t len = 0;
		vec[0] = '\0';
		if (version != 20)
			len = (size_t)snprintf(vec, sizeof vec, "CVSS:%s", vd_cvss_version_str(version));
		for (int k = 0; k < nm; k++) {
			int i = order[k];
			if (!vd_cvss_metric_mandatory(version, i) && rnd(3) == 0)
				continue;
			int nv = vd_cvss_metric_nvalues(version, i);
			len += (size_t)snprintf(vec + len, sizeof vec - len, "%s%s:%s", len ? "/" : "",
			                        vd_cvss_metric_name(version, i),
			                        vd_cvss_metric_value(version, i, (int)rnd((uint32_t)nv)));
		}
		vd_cvss a, b;
		if (vd_cvss_parse(vec, &a) != VD_OK) {
			fprintf(stderr, "  %s: valid vector rejected: %s: %s\n", vt_cur, vec, vd_error_msg());
			bad++;
			continue;
		}
		if (!in_range(a.base) || !in_range(a.temporal) || !in_range(a.environmental) ||
		    !in_range(a.score)) {
			fprintf(stderr, "  %s: out of range: %s: %g %g %g %g\n", vt_cur, vec,
			        a.base, a.temporal, a.environmental, a.score);
			bad++;
		}
		if (vd_cvss_parse(a.normalized, &b) != VD_OK) {
			fprintf(stderr, "  %s: normalised vector rejected: %s: %s\n", vt_cur, a.normalized,
			        vd_error_msg());
			bad++;
			continue;
		}
		if (a.base != b.base || a.temporal != b.temporal || a.environmental != b.environmental ||
		    a.score != b.score || strcmp(a.normalized, b.normalized) != 0 ||
		    strcmp(a.macro_vector, b.macro_vector) != 0 || a.has_temporal != b.has_temporal ||
		    a.has_environmental != b.has_environmental || a.has_threat != b.has_threat) {
			fprintf(stderr, "  %s: normalised vector scores differ: %s vs %s\n", vt_cur, vec,
			        a.normalized);
			bad++;
		}
		if (version == 40 && (strlen(a.macro_vector) != 6 || a.base > 10.0))
			bad++;
	}
	CHECK_INT(bad, 0);
	printf("  v%s: %d random vectors\n", vd_cvss_version_str(version), count);
}

static void t_property_v2(void) { property(20, 100000); }
static void t_property_v30(void) { property(30, 100000); }
static void t_property_v31(void) { property(31, 100000); }
static void t_property_v40(void) { property(40, 100000); }

/* garbage never crashes and always yields an error or a valid result */
static void t_garbage(void)
{
	static const char alphabet[] = "CVSS:3.1/4.0AVNLPHUIRXSMEDTOFWQ//::ab";
	for (int it = 0; it < 50000; it++) {
		char s[80];
		int n = (int)rnd(sizeof s - 1);
		for (int i = 0; i < n; i++)
			s[i] = alphabet[rnd(sizeof alphabet - 1)];
		s[n] = '\0';
		vd_cvss c;
		int rc = vd_cvss_parse(s, &c);
		CHECK(rc == VD_OK || rc == VD_EINVAL);
		if (rc == VD_OK)
			CHECK(in_range(c.score));
	}
}

/* ---- the `vulnd score` command (stdout captured) ---- */

static int run_cmd(int argc, char **argv, char *out, size_t outsz)
{
	fflush(stdout);
	FILE *tmp = tmpfile();
	if (!tmp)
		return -100;
	int saved = dup(1);
	dup2(fileno(tmp), 1);
	int rc = vd_cmd_score(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	size_t n = fread(out, 1, outsz - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return rc;
}

static void t_cmd_score(void)
{
	char out[8192];
	char *ok_args[] = { "score", "--json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P",
	                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", NULL };
	CHECK_INT(run_cmd(4, ok_args, out, sizeof out), 0);
	CHECK(strstr(out, "{\"version\":\"3.1\",\"vector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P\","
	                  "\"base_score\":9.8,\"base_severity\":\"Critical\",\"temporal_score\":9.3,") != NULL);
	CHECK(strstr(out, "\"score\":9.3,\"severity\":\"Critical\",\"nomenclature\":\"CVSS-B\","
	                  "\"macro_vector\":\"000200\"}") != NULL);
	CHECK(strstr(out, "environmental_score") == NULL);

	char *bad_args[] = { "score", "--json", "CVSS:3.1/AV:N", "AV:N/AC:L/Au:N/C:C/I:C/A:C", NULL };
	CHECK_INT(run_cmd(4, bad_args, out, sizeof out), 2);
	CHECK(strstr(out, "{\"vector\":\"CVSS:3.1/AV:N\",\"error\":\"CVSS v3.1 vector: missing mandatory metrics") != NULL);
	CHECK(strstr(out, "\"base_score\":10.0") != NULL);   /* the valid one is still scored */

	char *human[] = { "score", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", NULL };
	CHECK_INT(run_cmd(2, human, out, sizeof out), 0);
	CHECK(strstr(out, "version 4.0") && strstr(out, "macro-vector 000220") && strstr(out, "CVSS-BT"));

	char *help[] = { "score", "--help", NULL };
	CHECK_INT(run_cmd(2, help, out, sizeof out), 0);
	CHECK(strstr(out, "usage: vulnd score") != NULL);
	char *none[] = { "score", NULL };
	CHECK_INT(run_cmd(1, none, out, sizeof out), 2);
	char *badopt[] = { "score", "--frob", "AV:N/AC:L/Au:N/C:C/I:C/A:C", NULL };
	CHECK_INT(run_cmd(3, badopt, out, sizeof out), 2);
}

int main(void)
{
	RUN(t_reference_vectors);
	RUN(t_nvd_go_scores);
	RUN(t_known);
	RUN(t_bad_vectors);
	RUN(t_property_v2);
	RUN(t_property_v30);
	RUN(t_property_v31);
	RUN(t_property_v40);
	RUN(t_garbage);
	RUN(t_cmd_score);
	return vt_done();
}
