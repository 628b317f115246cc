/* GB/T 30279-2020: class tree, CWE → class table and its coverage of the
 * CWE ids in ../shared/data, grading vectors, tables and the CVSS mapping. */
#include "harness.h"
#include "vulnd/cwe.h"
#include "vulnd/error.h"
#include "vulnd/gbt30279.h"
#include "vulnd/util.h"
#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------- tree */

static void t_tree(void)
{
	size_t n = vd_gbt_class_count();
	CHECK(n >= 30);
	for (size_t i = 0; i < n; i++) {
		const vd_gbt_class *c = vd_gbt_class_at(i);
		REQUIRE(c && c->code && c->zh && c->en);
		CHECK(vd_gbt_class_get(c->code) == c);
		for (size_t k = i + 1; k < n; k++)
			CHECK(strcmp(vd_gbt_class_at(k)->code, c->code) != 0);
		if (c->parent) {
			const vd_gbt_class *p = vd_gbt_class_parent(c);
			REQUIRE(p);
			/* a child's code is its parent's code + ".N" */
			CHECK(strncmp(c->code, p->code, strlen(p->code)) == 0 && c->code[strlen(p->code)] == '.');
		} else {
			CHECK(strchr(c->code, '.') == NULL);
		}
		CHECK(vd_gbt_class_by_name(c->zh) == c);
		CHECK(vd_gbt_class_by_name(c->en) == c);
	}
	CHECK(vd_gbt_class_at(n) == NULL);
	CHECK_STR(vd_gbt_class_other()->zh, "其他");
	CHECK_STR(vd_gbt_class_get("1.2.2.4")->zh, "跨站脚本");
	CHECK_STR(vd_gbt_class_get("1.2.2.4")->parent, "1.2.2");
	CHECK_STR(vd_gbt_class_by_name("  缓冲区溢出 ")->code, "1.2.1");
	CHECK_STR(vd_gbt_class_by_name("cross-site scripting")->code, "1.2.2.4");
	CHECK(vd_gbt_class_by_name("no such class") == NULL);
	CHECK(vd_gbt_class_by_name("") == NULL);
	CHECK(vd_gbt_class_get("9.9") == NULL);
}

/* CNNVD's published type tree (cnnvd-api/vul_type.json): every label is a
 * class of ours (by name) and its parent label is our parent class. */
static int walk_types(json_t *arr, const vd_gbt_class *parent, int *checked)
{
	int bad = 0;
	size_t i;
	json_t *n;
	json_array_foreach(arr, i, n) {
		const char *label = json_string_value(json_object_get(n, "label"));
		const vd_gbt_class *c = vd_gbt_class_by_name(label);
		(*checked)++;
		if (!c) {
			fprintf(stderr, "  CNNVD type '%s' has no class\n", label ? label : "(null)");
			bad++;
			continue;
		}
		if (vd_gbt_class_parent(c) != parent) {
			fprintf(stderr, "  CNNVD type '%s': parent differs\n", label);
			bad++;
		}
		json_t *ch = json_object_get(n, "children");
		if (json_is_array(ch))
			bad += walk_types(ch, c, checked);
	}
	return bad;
}

static void t_tree_matches_cnnvd(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh);
	char path[4200];
	snprintf(path, sizeof path, "%s/data/cnnvd-api/vul_type.json", sh);
	json_t *j = json_load_file(path, 0, NULL);
	REQUIRE(json_is_array(j));
	int checked = 0;
	CHECK_INT(walk_types(j, NULL, &checked), 0);
	printf("# CNNVD type tree: %d labels checked against the class tree\n", checked);
	CHECK(checked >= 25);
	json_decref(j);
}

/* ------------------------------------------------- CWE table, coverage */

static void t_cwe_map(void)
{
	size_t n = vd_gbt_cwe_map_count();
	CHECK(n > 200);
	int prev = 0;
	for (size_t i = 0; i < n; i++) {
		int id;
		const vd_gbt_class *c;
		REQUIRE(vd_gbt_cwe_map_at(i, &id, &c) == VD_OK);
		CHECK(id > prev);      /* strictly ascending: binary search works */
		CHECK(c != NULL);
		CHECK(vd_gbt_cwe_class_direct(id) == c);
		prev = id;
	}
	CHECK(vd_gbt_cwe_map_at(n, &prev, &(const vd_gbt_class *){NULL}) == VD_ENOTFOUND);
	CHECK_STR(vd_gbt_cwe_class_direct(79)->code, "1.2.2.4");
	CHECK_STR(vd_gbt_cwe_class_direct(89)->code, "1.2.2.1");
	CHECK_STR(vd_gbt_cwe_class_direct(78)->code, "1.2.2.3");
	CHECK_STR(vd_gbt_cwe_class_direct(787)->code, "1.2.1");
	CHECK_STR(vd_gbt_cwe_class_direct(22)->code, "1.2.3");
	CHECK_STR(vd_gbt_cwe_class_direct(352)->code, "1.2.5");
	CHECK(vd_gbt_cwe_class_direct(3) == NULL);
	int via = -1;
	CHECK(vd_gbt_classify_cwe_str("NVD-CWE-Other", NULL, NULL, &via) == vd_gbt_class_other());
	CHECK_INT(via, 0);
	CHECK(vd_gbt_classify_cwe_str("NVD-CWE-noinfo", NULL, NULL, NULL) == vd_gbt_class_other());
	CHECK_STR(vd_gbt_classify_cwe_str("CWE-79", NULL, NULL, &via)->code, "1.2.2.4");
	CHECK_INT(via, 79);
	CHECK(vd_gbt_classify_cwe_str("CWE-999999", NULL, NULL, &via) == vd_gbt_class_other());
	CHECK(vd_gbt_classify_cwe_str("CWE-x", NULL, NULL, &via) == vd_gbt_class_other());
	CHECK(vd_gbt_classify_cwe_str(NULL, NULL, NULL, &via) == vd_gbt_class_other());
}

/* A CWE hierarchy in memory, from the CSV views. */
#define MAXID 2000
typedef struct {
	int parents[MAXID][8];
	int np[MAXID];
	bool known[MAXID];
	int entries;
} hier;

static int hier_add(void *ctx, const vd_cwe *w)
{
	hier *h = ctx;
	if (w->id <= 0 || w->id >= MAXID)
		return VD_OK;
	h->known[w->id] = true;
	h->entries++;
	h->np[w->id] = 0;
	for (size_t i = 0; i < w->n_parents && i < 8; i++)
		h->parents[w->id][h->np[w->id]++] = w->parents[i];
	return VD_OK;
}

static int hier_parents(void *ctx, int cwe, int *out, size_t max)
{
	hier *h = ctx;
	if (cwe <= 0 || cwe >= MAXID)
		return 0;
	int n = h->np[cwe];
	for (int i = 0; i < n && (size_t)i < max; i++)
		out[i] = h->parents[cwe][i];
	return n;
}

static hier *load_hier(const char *sh)
{
	hier *h = calloc(1, sizeof *h);
	const char *views[] = {"cwe-view-1000.csv", "cwe-view-1194.csv"};
	for (int i = 0; h && i < 2; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/data/cwe/%s", sh, views[i]);
		if (vd_cwe_read_file(path, hier_add, NULL, h) != VD_OK) {
			fprintf(stderr, "  %s: %s\n", path, vd_error_msg());
			free(h);
			return NULL;
		}
	}
	return h;
}

/* CWE ids found in the data: a sorted set of strings. */
typedef struct {
	char ids[4096][24];
	int n;
	int files;
} cweset;

static void set_add(cweset *s, const char *v)
{
	if (!v || strlen(v) >= 24)
		return;
	if (strncmp(v, "CWE-", 4) != 0 && strncmp(v, "NVD-CWE-", 8) != 0)
		return;
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->ids[i], v) == 0)
			return;
	if (s->n < 4096)
		snprintf(s->ids[s->n++], 24, "%s", v);
}

/* "CWE-<digits>" occurrences in free text (CNNVD/CNVD XML). */
static void scan_text(cweset *s, const char *buf)
{
	for (const char *p = buf; (p = strstr(p, "CWE-")) != NULL; p += 4) {
		size_t k = 0;
		while (k < 8 && p[4 + k] >= '0' && p[4 + k] <= '9')
			k++;
		if (k && (p == buf || !(p[-1] == '-' || (p[-1] >= 'A' && p[-1] <= 'Z')))) {
			char id[24];
			snprintf(id, sizeof id, "CWE-%.*s", (int)k, p + 4);
			set_add(s, id);
		}
	}
}

static void scan_problemtypes(cweset *s, json_t *pts)
{
	size_t i, k;
	json_t *pt, *d;
	json_array_foreach(pts, i, pt) {
		json_array_foreach(json_object_get(pt, "descriptions"), k, d) {
			const char *id = json_string_value(json_object_get(d, "cweId"));
			if (id)
				set_add(s, id);
			else
				scan_text(s, json_string_value(json_object_get(d, "description")) ?
				                 json_string_value(json_object_get(d, "description")) : "");
		}
	}
}

/* Every place a record format carries CWE ids. */
static void scan_json(cweset *s, json_t *j, int depth)
{
	if (depth > 40 || !j)
		return;
	size_t i;
	json_t *v;
	const char *key;
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			scan_json(s, v, depth + 1);
		return;
	}
	if (!json_is_object(j))
		return;
	json_object_foreach(j, key, v) {
		if (strcmp(key, "problemTypes") == 0 && json_is_array(v)) {
			scan_problemtypes(s, v);                           /* CVE 5 */
		} else if (strcmp(key, "cwe_ids") == 0 && json_is_array(v)) {
			json_t *e;                                          /* OSV database_specific */
			json_array_foreach(v, i, e)
				set_add(s, json_string_value(e));
		} else if (strcmp(key, "weaknesses") == 0 && json_is_array(v)) {
			json_t *w, *d;                                      /* NVD 2.0 */
			size_t k;
			json_array_foreach(v, i, w)
				json_array_foreach(json_object_get(w, "description"), k, d)
					set_add(s, json_string_value(json_object_get(d, "value")));
		} else if (strcmp(key, "cwe") == 0 && json_is_object(v)) {
			set_add(s, json_string_value(json_object_get(v, "id")));   /* CSAF */
		} else {
			scan_json(s, v, depth + 1);
		}
	}
}

static void scan_dir(cweset *s, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d || depth > 12) {
		if (d)
			closedir(d);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4600];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			scan_dir(s, path, depth + 1);
			continue;
		}
		bool json = vd_str_has_suffix(path, ".json"), xml = vd_str_has_suffix(path, ".xml") ||
		                                                     vd_str_has_suffix(path, ".csv");
		if (!json && !xml)
			continue;
		s->files++;
		if (json) {
			json_t *j = json_load_file(path, 0, NULL);
			scan_json(s, j, 0);
			json_decref(j);
		} else {
			char *buf;
			size_t len;
			if (vd_file_read(path, 64u << 20, &buf, &len) == VD_OK) {
				scan_text(s, buf);
				free(buf);
			}
		}
	}
	closedir(d);
}

static void t_cwe_coverage(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh);
	static cweset set;
	set.n = set.files = 0;
	const char *dirs[] = {"cve5", "osv", "nvd2", "csaf", "cnnvd", "cnnvd-api", "cnvd", "cnvd-web"};
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/data/%s", sh, dirs[i]);
		scan_dir(&set, path, 0);
	}
	hier *h = load_hier(sh);
	REQUIRE(h);
	CHECK_INT(h->entries, 938 + 108);
	int direct = 0, via_ancestor = 0, nvd = 0, unmapped = 0;
	for (int i = 0; i < set.n; i++) {
		const char *id = set.ids[i];
		if (strncmp(id, "NVD-CWE-", 8) == 0) {
			nvd++;   /* NVD's "Other" / "noinfo": 其他 by definition */
			CHECK(vd_gbt_classify_cwe_str(id, hier_parents, h, NULL) == vd_gbt_class_other());
			continue;
		}
		int via;
		const vd_gbt_class *c = vd_gbt_classify_cwe_str(id, hier_parents, h, &via);
		if (!via) {
			unmapped++;
			fprintf(stderr, "  %s: no class and no mapped ancestor (falls to %s)\n", id, c->zh);
		} else if (vd_gbt_cwe_class_direct((int)strtol(id + 4, NULL, 10))) {
			direct++;
		} else {
			via_ancestor++;
			printf("# %s: class %s via ancestor CWE-%d\n", id, c->code, via);
		}
	}
	printf("# CWE coverage: %d distinct ids in %d files of ../shared/data: %d in the table, "
	       "%d through an ancestor, %d NVD-CWE-*, %d unmapped\n",
	       set.n, set.files, direct, via_ancestor, nvd, unmapped);
	CHECK(set.n >= 150);
	CHECK_INT(unmapped, 0);

	/* every catalogue entry of both views reaches a class through the hierarchy */
	int total = 0, reached = 0;
	for (int id = 1; id < MAXID; id++) {
		if (!h->known[id])
			continue;
		total++;
		int via;
		vd_gbt_classify_cwe(id, hier_parents, h, &via);
		reached += via != 0;
	}
	printf("# CWE views 1000+1194: %d of %d entries reach a mapped class\n", reached, total);
	CHECK_INT(reached, total);
	/* the fallback: a variant not in the table takes its nearest mapped ancestor */
	int via;
	CHECK_STR(vd_gbt_classify_cwe(87, hier_parents, h, &via)->code, "1.2.2.4");
	CHECK_STR(vd_gbt_classify_cwe(24, hier_parents, h, &via)->code, "1.2.3");   /* → 23 */
	CHECK_INT(via, 23);
	free(h);
}

/* A cycle in a (broken) hierarchy ends, and the BFS prefers the nearest. */
static int cyc_parents(void *ctx, int cwe, int *out, size_t max)
{
	(void)ctx;
	(void)max;
	if (cwe == 100001) { out[0] = 100002; out[1] = 100003; return 2; }
	if (cwe == 100002) { out[0] = 100001; return 1; }
	if (cwe == 100003) { out[0] = 79; return 1; }
	return 0;
}

static int err_parents(void *ctx, int cwe, int *out, size_t max)
{
	(void)ctx; (void)cwe; (void)out; (void)max;
	return VD_EIO;
}

static void t_classify_edges(void)
{
	int via;
	CHECK_STR(vd_gbt_classify_cwe(100001, cyc_parents, NULL, &via)->code, "1.2.2.4");
	CHECK_INT(via, 79);
	CHECK(vd_gbt_classify_cwe(100002 + 10, cyc_parents, NULL, &via) == vd_gbt_class_other());
	CHECK(vd_gbt_classify_cwe(100001, err_parents, NULL, &via) == vd_gbt_class_other());
	CHECK(vd_gbt_classify_cwe(-5, cyc_parents, NULL, &via) == vd_gbt_class_other());
}

/* ---------------------------------------------------------- vectors */

static void expect_err(const char *v, const char *needle)
{
	vd_gbt_vector x;
	int rc = vd_gbt_vector_parse(v, &x);
	if (rc == VD_OK || !strstr(vd_error_msg(), needle)) {
		fprintf(stderr, "  %s: rc %d, message '%s', expected '%s'\n", v, rc, vd_error_msg(), needle);
		CHECK(0);
	}
}

static void t_vector_parse(void)
{
	vd_gbt_vector v;
	REQUIRE(vd_gbt_vector_parse("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S", &v) == VD_OK);
	CHECK_STR(v.normalized, "GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S");
	CHECK_INT(v.m[VD_GBT_AP], 1);
	CHECK_INT(v.m[VD_GBT_EC], 0);
	REQUIRE(vd_gbt_vector_parse("  GBT30279:2020/SC:N/A:N/I:M/C:N/UI:R/PR:H/TR:H/AP:P/FD:L/EC:H \n", &v) == VD_OK);
	CHECK_STR(v.normalized, "GBT30279:2020/AP:P/TR:H/PR:H/UI:R/C:N/I:M/A:N/EC:H/FD:L/SC:N");
	CHECK(vd_gbt_is_vector(" GBT30279:2020/AP:N"));
	CHECK(!vd_gbt_is_vector("CVSS:3.1/AV:N"));
	CHECK(!vd_gbt_is_vector(NULL));
	expect_err("CVSS:3.1/AV:N", "must start with GBT30279:2020/");
	expect_err("GBT30279:2019/AP:N", "unsupported version '2019'");
	expect_err("GBT30279:2020/", "no metrics");
	expect_err("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S/", "trailing '/'");
	expect_err("GBT30279:2020/AP:N//TR:L", "empty component 2");
	expect_err("GBT30279:2020/AP:N/XX:L", "unknown metric 'XX'");
	expect_err("GBT30279:2020/AP:Q", "bad value 'Q' for 'AP' (allowed: N, A, L, P)");
	expect_err("GBT30279:2020/AP:N/AP:L", "duplicate metric 'AP'");
	expect_err("GBT30279:2020/AP", "not NAME:VALUE");
	expect_err("GBT30279:2020/AP:N/TR:L/PR:N/UI:N", "missing mandatory metric(s) C, I, A");
	expect_err("GBT30279:2020/ap:n/TR:L/PR:N/UI:N/C:S/I:S/A:S", "unknown metric 'ap'");
	expect_err(NULL, "none given");
	char big[400];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "GBT30279:2020/", 14);
	CHECK_INT(vd_gbt_vector_parse(big, &v), VD_ETOOBIG);
	/* metric introspection */
	CHECK_STR(vd_gbt_metric_name(VD_GBT_SC), "SC");
	CHECK_INT(vd_gbt_metric_nvalues(VD_GBT_SC), 4);
	CHECK_STR(vd_gbt_metric_value_zh(VD_GBT_AP, 0), "网络");
	CHECK(vd_gbt_metric_value(VD_GBT_TR, 2) == NULL);
	CHECK(vd_gbt_metric_name(VD_GBT_NMETRICS) == NULL);
}

/* ---------------------------------------------------------- tables */

static void t_default_table_is_the_data_file(void)
{
	const vd_gbt_table *t = vd_gbt_table_default();
	REQUIRE(t);
	CHECK_STR(vd_gbt_table_version(t), "vulnd-default-2020.1");
	char *buf;
	size_t len;
	REQUIRE(vd_file_read("data/gbt30279-grading.tsv", 1u << 20, &buf, &len) == VD_OK);
	CHECK(strcmp(buf, vd_gbt_default_table_text()) == 0);
	CHECK(strstr(buf, "vulnd default grading table, GB/T 30279 metric set") != NULL);
	free(buf);
	vd_gbt_table *f;
	REQUIRE(vd_gbt_load_table("data/gbt30279-grading.tsv", &f) == VD_OK);
	CHECK_STR(vd_gbt_table_version(f), "vulnd-default-2020.1");
	vd_gbt_table_free(f);
	CHECK(vd_gbt_load_table("/nonexistent/table.tsv", &f) != VD_OK);
}

static const char *grade_of(const char *vec)
{
	vd_gbt_vector v;
	vd_gbt_result r;
	if (vd_gbt_vector_parse(vec, &v) || vd_gbt_grade_vector(NULL, &v, &r))
		return "error";
	return vd_gbt_grade_key(r.overall);
}

static void t_grading_examples(void)
{
	CHECK_STR(grade_of("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S"), "critical");
	CHECK_STR(grade_of("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:N/A:N"), "high");
	CHECK_STR(grade_of("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:M/I:N/A:N"), "medium");
	CHECK_STR(grade_of("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:N/I:N/A:N"), "low");
	CHECK_STR(grade_of("GBT30279:2020/AP:L/TR:L/PR:L/UI:N/C:S/I:S/A:N"), "high");
	CHECK_STR(grade_of("GBT30279:2020/AP:P/TR:H/PR:H/UI:R/C:S/I:S/A:S"), "medium");
	CHECK_STR(grade_of("GBT30279:2020/AP:P/TR:H/PR:H/UI:R/C:M/I:N/A:N"), "low");
	/* environment: +1 / 0 / -1 steps, clamped */
	CHECK_STR(grade_of("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:N/A:N/EC:L/FD:H/SC:H"), "critical");
	CHECK_STR(grade_of("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:N/A:N/EC:M"), "high");
	CHECK_STR(grade_of("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:N/A:N/SC:N"), "medium");
	CHECK_STR(grade_of("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S/EC:L/FD:H/SC:H"), "critical");
	CHECK_STR(grade_of("GBT30279:2020/AP:P/TR:H/PR:H/UI:R/C:N/I:N/A:N/SC:N"), "low");
	vd_gbt_vector v;
	vd_gbt_result r;
	REQUIRE(vd_gbt_vector_parse("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:N/A:N/EC:L/SC:H", &v) == VD_OK);
	REQUIRE(vd_gbt_grade_vector(NULL, &v, &r) == VD_OK);
	CHECK_INT(r.technical, VD_GBT_HIGH);
	CHECK_INT(r.overall, VD_GBT_CRITICAL);
	CHECK_INT(r.exploit_points, 7);
	CHECK_INT(r.impact_points, 4);
	CHECK_INT(r.env_points, 2);    /* EC:L 1 + FD default M 0 + SC:H 1 */
	CHECK_INT(r.adjust, 1);
	CHECK(r.exploit_level == 'H' && r.impact_level == 'M');
	CHECK_STR(r.basis, "gbt30279 GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:N/A:N/EC:L/SC:H; table vulnd-default-2020.1");
	CHECK_STR(vd_gbt_grade_zh(r.overall), "超危");
}

/* Every vector (103680, with absent environment metrics): a grade in range, and making
 * any metric worse for the defender never lowers the grade. */
static int worse_first[VD_GBT_NMETRICS] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

static void t_grading_exhaustive(void)
{
	int nv[VD_GBT_NMETRICS], idx[VD_GBT_NMETRICS] = {0};
	long total = 1, checked = 0, bad = 0;
	for (int i = 0; i < VD_GBT_NMETRICS; i++) {
		nv[i] = vd_gbt_metric_nvalues(i) + (i >= VD_GBT_EC);   /* +1: absent */
		total *= nv[i];
	}
	int counts[5] = {0};
	for (long k = 0; k < total; k++) {
		long x = k;
		vd_gbt_vector v;
		memset(&v, 0, sizeof v);
		for (int i = 0; i < VD_GBT_NMETRICS; i++) {
			idx[i] = (int)(x % nv[i]);
			x /= nv[i];
			v.m[i] = (unsigned char)(i >= VD_GBT_EC ? idx[i] : idx[i] + 1);
		}
		vd_gbt_result r;
		if (vd_gbt_grade_vector(NULL, &v, &r) != VD_OK || r.overall < VD_GBT_LOW || r.overall > VD_GBT_CRITICAL ||
		    r.technical < VD_GBT_LOW || r.technical > VD_GBT_CRITICAL) {
			bad++;
			continue;
		}
		counts[r.overall]++;
		checked++;
		/* monotonic: value index j-1 is worse (more dangerous) than j for every metric
		 * as the value lists are ordered; only among present values */
		for (int i = 0; i < VD_GBT_NMETRICS; i++) {
			if (!worse_first[i] || v.m[i] <= 1)
				continue;
			vd_gbt_vector w = v;
			w.m[i]--;
			vd_gbt_result r2;
			if (vd_gbt_grade_vector(NULL, &w, &r2) != VD_OK || r2.overall < r.overall) {
				if (bad++ < 5)
					fprintf(stderr, "  not monotonic in %s at vector %ld\n", vd_gbt_metric_name(i), k);
			}
		}
	}
	printf("# grading table: %ld vectors graded (low %d, medium %d, high %d, critical %d)\n", checked,
	       counts[1], counts[2], counts[3], counts[4]);
	CHECK_INT(checked, total);
	CHECK_INT(bad, 0);
	CHECK(counts[1] && counts[2] && counts[3] && counts[4]);
}

static void t_cvss_mapping(void)
{
	struct { double s; vd_gbt_grade g; } cases[] = {
		{10.0, VD_GBT_CRITICAL}, {9.0, VD_GBT_CRITICAL}, {8.9, VD_GBT_HIGH}, {7.0, VD_GBT_HIGH},
		{6.9, VD_GBT_MEDIUM}, {4.0, VD_GBT_MEDIUM}, {3.9, VD_GBT_LOW}, {0.1, VD_GBT_LOW},
		{0.0, VD_GBT_GRADE_NONE}, {-1.0, VD_GBT_GRADE_NONE}, {10.5, VD_GBT_GRADE_NONE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char basis[200];
		vd_gbt_grade g = vd_gbt_grade_cvss(NULL, "3.1", cases[i].s, NULL, basis, sizeof basis);
		if (g != cases[i].g) {
			fprintf(stderr, "  score %.1f: grade %d, expected %d\n", cases[i].s, g, cases[i].g);
			CHECK(0);
		}
	}
	char basis[200];
	CHECK_INT(vd_gbt_grade_cvss(NULL, "3.1", 9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", basis,
	                            sizeof basis), VD_GBT_CRITICAL);
	CHECK_STR(basis, "cvss:3.1 9.8 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H; table vulnd-default-2020.1");
	vd_gbt_grade g;
	CHECK(vd_gbt_grade_parse("超危", &g) == VD_OK && g == VD_GBT_CRITICAL);
	CHECK(vd_gbt_grade_parse("Low", &g) == VD_OK && g == VD_GBT_LOW);
	CHECK(vd_gbt_grade_parse("severe", &g) == VD_EINVAL);
	CHECK(vd_gbt_grade_key(VD_GBT_GRADE_NONE) == NULL);
}

/* A replaced table: parse errors name the line; a custom table is used. */
static void expect_table_err(const char *text, const char *needle)
{
	vd_gbt_table *t = NULL;
	int rc = vd_gbt_table_parse("t.tsv", text, strlen(text), &t);
	if (rc == VD_OK || !strstr(vd_error_msg(), needle)) {
		fprintf(stderr, "  table error: rc %d, message '%s', expected '%s'\n", rc, vd_error_msg(), needle);
		CHECK(0);
	}
	vd_gbt_table_free(t);
}

static char *replace_line(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	if (!p)
		return NULL;
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);
	snprintf(out, n, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
	return out;
}

static void t_custom_tables(void)
{
	const char *def = vd_gbt_default_table_text();
	expect_table_err("", "no 'table VERSION' line");
	expect_table_err("table v1\nbogus 1 2\n", "t.tsv:2: unknown line kind 'bogus'");
	expect_table_err("table v1\npoint AP X 1\n", "t.tsv:2: bad value 'X' for metric AP");
	expect_table_err("table v1\npoint ZZ N 1\n", "unknown metric 'ZZ'");
	expect_table_err("table v1\npoint AP N x\n", "points must be an integer");
	expect_table_err("table v1\ntable v2\n", "second 'table' line");
	expect_table_err("table v/1\n", "table version may hold only");
	expect_table_err("table v1\ncvss 11 low\n", "cvss MIN GRADE");
	expect_table_err("table v1\ncvss 5.0 worst\n", "unknown grade 'worst'");
	expect_table_err("table v1\ndefault AP N\n", "only for the environment metrics");
	expect_table_err("table v1\nadjust 1 9\n", "adjust MIN STEPS");
	expect_table_err("table v1\npoint AP N 1\n", "no 'point' line for AP:A");
	expect_table_err("table v1\n\xff\n", "not valid UTF-8");
	char *t1 = replace_line(def, "grade\tM\tN\tlow\n", "");
	expect_table_err(t1, "no 'grade M N' line");
	free(t1);
	t1 = replace_line(def, "cvss\t7.0\thigh\n", "cvss\t9.5\thigh\n");
	expect_table_err(t1, "'cvss' minimums must decrease");
	free(t1);
	t1 = replace_line(def, "elevel\tM\t4\n", "elevel\tM\t9\n");
	expect_table_err(t1, "elevel minimums must not increase");
	free(t1);

	/* a working replacement: other version, CVSS 8.0 already critical */
	char *t2 = replace_line(def, "table\tvulnd-default-2020.1", "table\tsite-2024");
	char *t3 = replace_line(t2, "cvss\t9.0\tcritical", "cvss\t8.0\tcritical");
	char path[] = "/tmp/t_gbt30279_XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(t3, f);
	fclose(f);
	vd_gbt_table *t;
	REQUIRE(vd_gbt_load_table(path, &t) == VD_OK);
	unlink(path);
	char basis[200];
	CHECK_INT(vd_gbt_grade_cvss(t, "3.1", 8.1, NULL, basis, sizeof basis), VD_GBT_CRITICAL);
	CHECK_STR(basis, "cvss:3.1 8.1; table site-2024");
	CHECK_INT(vd_gbt_grade_cvss(NULL, "3.1", 8.1, NULL, basis, sizeof basis), VD_GBT_HIGH);
	vd_gbt_vector v;
	vd_gbt_result r;
	REQUIRE(vd_gbt_vector_parse("GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S", &v) == VD_OK);
	REQUIRE(vd_gbt_grade_vector(t, &v, &r) == VD_OK);
	CHECK(strstr(r.basis, "; table site-2024") != NULL);
	vd_gbt_table_free(t);
	free(t2);
	free(t3);
}

int main(void)
{
	RUN(t_tree);
	RUN(t_tree_matches_cnnvd);
	RUN(t_cwe_map);
	RUN(t_cwe_coverage);
	RUN(t_classify_edges);
	RUN(t_vector_parse);
	RUN(t_default_table_is_the_data_file);
	RUN(t_grading_examples);
	RUN(t_grading_exhaustive);
	RUN(t_cvss_mapping);
	RUN(t_custom_tables);
	return vt_done();
}
