/* OSV converter: golden records from the shared data (JSON from golang/vulndb,
 * YAML from pypa/advisory-database read through vd_doc_split), whole-directory
 * conversion counts, and malformed input whose errors must name the path. */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>

/* ---- helpers ---- */

static json_t *load_json_file(const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fprintf(stderr, "  %s: %s (line %d)\n", path, err.text, err.line);
	return j;
}

/* vd_doc_split sink that keeps the first value and counts the others. */
typedef struct { json_t *doc; int docs, bad; } grab;
static int grab_doc(void *ctx, const vd_doc *d)
{
	grab *g = ctx;
	if (!g->doc)
		g->doc = json_incref(d->doc);
	g->docs++;
	return VD_OK;
}
static void grab_bad(void *ctx, const char *where, const char *reason)
{
	grab *g = ctx;
	g->bad++;
	fprintf(stderr, "  %s: %s\n", where, reason);
}

static json_t *load_yaml_file(const char *path)
{
	char *buf;
	size_t len;
	if (vd_file_read(path, VD_DOC_MAX, &buf, &len)) {
		fprintf(stderr, "  %s: %s\n", path, vd_error_msg());
		return NULL;
	}
	grab g = {0};
	vd_input_sink sink = {.doc = grab_doc, .bad = grab_bad, .ctx = &g};
	int rc = vd_doc_split(path, buf, len, &sink);
	free(buf);
	if (rc || g.docs != 1 || g.bad) {
		fprintf(stderr, "  %s: split rc %d, %d docs, %d bad\n", path, rc, g.docs, g.bad);
		json_decref(g.doc);
		return NULL;
	}
	return g.doc;
}

/* Convert shared/data/osv/<rel>; NULL (with a message) on any failure. */
static vd_record *conv(const char *rel)
{
	const char *sh = vt_shared();
	if (!sh)
		return NULL;
	char path[4400];
	snprintf(path, sizeof path, "%s/data/osv/%s", sh, rel);
	bool yaml = vd_str_has_suffix(rel, ".yaml");
	json_t *j = yaml ? load_yaml_file(path) : load_json_file(path);
	if (!j)
		return NULL;
	vd_record *r = NULL;
	if (vd_osv_to_record(j, &r))
		fprintf(stderr, "  %s: %s\n", rel, vd_error_msg());
	json_decref(j);
	return r;
}

/* Convert a JSON text; returns the status, *out the record (or NULL). */
static int conv_text(const char *text, vd_record **out)
{
	json_error_t err;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	*out = NULL;
	if (!j) {
		fprintf(stderr, "  test JSON does not parse: %s: %s\n", err.text, text);
		return 99;
	}
	vd_error_clear();
	int rc = vd_osv_to_record(j, out);
	json_decref(j);
	return rc;
}

static const vd_alias *alias_at(const vd_record *r, size_t i)
{
	return i < r->n_aliases ? &r->aliases[i] : NULL;
}

static const vd_provenance *prov_for(const vd_record *r, const char *field)
{
	for (size_t i = 0; i < r->n_prov; i++)
		if (r->prov[i].field && strcmp(r->prov[i].field, field) == 0)
			return &r->prov[i];
	return NULL;
}

static size_t refs_of_type(const vd_record *r, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_refs; i++)
		if (r->refs[i].type && strcmp(r->refs[i].type, type) == 0)
			n++;
	return n;
}

static bool has_cve_alias(const vd_record *r)
{
	for (size_t i = 0; i < r->n_aliases; i++)
		if (vd_str_has_prefix(r->aliases[i].id, "CVE-"))
			return true;
	return false;
}

static bool all_source_osv(const vd_record *r)
{
	for (size_t i = 0; i < r->n_aliases; i++)
		if (!r->aliases[i].source || strcmp(r->aliases[i].source, "osv"))
			return false;
	for (size_t i = 0; i < r->n_refs; i++)
		if (!r->refs[i].source || strcmp(r->refs[i].source, "osv"))
			return false;
	for (size_t i = 0; i < r->n_affected; i++)
		if (!r->affected[i].source || strcmp(r->affected[i].source, "osv"))
			return false;
	for (size_t i = 0; i < r->n_scores; i++)
		if (!r->scores[i].source || strcmp(r->scores[i].source, "osv"))
			return false;
	for (size_t i = 0; i < r->n_credits; i++)
		if (!r->credits[i].source || strcmp(r->credits[i].source, "osv"))
			return false;
	for (size_t i = 0; i < r->n_prov; i++)
		if (!r->prov[i].source || strcmp(r->prov[i].source, "osv") ||
		    !r->prov[i].source_id || strcmp(r->prov[i].source_id, r->id))
			return false;
	return true;
}

#define CHECK_NULL(x) CHECK((x) == NULL)
#define CHECK_EVENT(g, i, k, v) do { REQUIRE((i) < (g)->n_events); \
	CHECK_INT((g)->events[i].kind, (k)); CHECK_STR((g)->events[i].value, (v)); } while (0)

/* ---- golden records: Go (JSON) ---- */

/* Credits, a SEMVER range with introduced/fixed, two FIX references,
 * Go's zero "modified" read as absent. */
static void t_go_2020_0001_credits_semver(void)
{
	vd_record *r = conv("go/GO-2020-0001.json");
	REQUIRE(r);
	CHECK_STR(r->id, "GO-2020-0001");
	CHECK_INT(r->state, VD_STATE_PUBLISHED);
	CHECK_STR(r->published, "2021-04-14T20:04:52Z");
	CHECK_NULL(r->modified);      /* "0001-01-01T00:00:00Z" in the file */
	CHECK_NULL(r->withdrawn);
	CHECK_STR(r->title.en, "Arbitrary log line injection in github.com/gin-gonic/gin");
	CHECK_NULL(r->title.zh);
	CHECK(r->description.en && vd_str_has_prefix(r->description.en,
	      "The default Formatter for the Logger middleware (LoggerConfig.Formatter)"));
	CHECK(r->description.en && vd_str_has_suffix(r->description.en, "manipulating the request path."));
	REQUIRE(r->n_aliases == 3);
	CHECK_STR(alias_at(r, 0)->id, "GO-2020-0001");
	CHECK_STR(alias_at(r, 1)->id, "CVE-2020-36567");
	CHECK_STR(alias_at(r, 2)->id, "GHSA-6vm3-jj99-7229");
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->ecosystem, "Go");
	CHECK_STR(a->package, "github.com/gin-gonic/gin");
	CHECK_NULL(a->purl);
	CHECK_INT(a->n_versions, 0);
	REQUIRE(a->n_ranges == 1);
	CHECK_STR(a->ranges[0].type, "SEMVER");
	CHECK_NULL(a->ranges[0].repo);
	REQUIRE(a->ranges[0].n_events == 2);
	CHECK_EVENT(&a->ranges[0], 0, VD_EV_INTRODUCED, "0");
	CHECK_EVENT(&a->ranges[0], 1, VD_EV_FIXED, "1.6.0");
	REQUIRE(r->n_refs == 2);
	CHECK_STR(r->refs[0].url, "https://github.com/gin-gonic/gin/pull/2237");
	CHECK_STR(r->refs[0].type, "patch");
	CHECK_STR(r->refs[1].url, "https://github.com/gin-gonic/gin/commit/a71af9c144f9579f6dbe945341c1df37aaf09c0d");
	CHECK_STR(r->refs[1].type, "patch");
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "@thinkerou <thinkerou@gmail.com>");
	CHECK_NULL(r->credits[0].type);
	CHECK_INT(r->n_scores, 0);
	CHECK_INT(r->n_cwes, 0);
	CHECK(all_source_osv(r));
	const vd_provenance *p = prov_for(r, "credits");
	REQUIRE(p);
	CHECK_STR(p->source_id, "GO-2020-0001");
	CHECK_NULL(p->time);
	CHECK(prov_for(r, "published") != NULL);
	CHECK(prov_for(r, "title.en") != NULL);
	CHECK(prov_for(r, "description.en") != NULL);
	CHECK(prov_for(r, "affected") != NULL);
	CHECK(prov_for(r, "references") != NULL);
	CHECK(prov_for(r, "modified") == NULL);
	CHECK(prov_for(r, "withdrawn") == NULL);
	CHECK(prov_for(r, "scores") == NULL);
	CHECK_INT(vd_record_validate(r), VD_OK);
	vd_record_free(r);
}

/* Four affected modules (podman v1..v4), only the last one fixed. */
static void t_go_2022_0416_several_packages(void)
{
	vd_record *r = conv("go/GO-2022-0416.json");
	REQUIRE(r);
	CHECK_STR(r->id, "GO-2022-0416");
	CHECK_NULL(r->published);     /* Go zero time */
	REQUIRE(r->n_affected == 4);
	static const char *pk[] = {"github.com/containers/podman", "github.com/containers/podman/v2",
	                           "github.com/containers/podman/v3", "github.com/containers/podman/v4"};
	for (size_t i = 0; i < 4; i++) {
		const vd_affected *a = &r->affected[i];
		CHECK_STR(a->package, pk[i]);
		CHECK_STR(a->ecosystem, "Go");
		REQUIRE(a->n_ranges == 1);
		CHECK_STR(a->ranges[0].type, "SEMVER");
		CHECK_EVENT(&a->ranges[0], 0, VD_EV_INTRODUCED, "0");
		CHECK_INT(a->ranges[0].n_events, i == 3 ? 2 : 1);
	}
	CHECK_EVENT(&r->affected[3].ranges[0], 1, VD_EV_FIXED, "4.0.3");
	CHECK_INT(r->n_refs, 8);
	CHECK_INT(refs_of_type(r, "advisory"), 2);
	CHECK_INT(refs_of_type(r, "patch"), 1);
	CHECK_INT(refs_of_type(r, "web"), 5);
	CHECK_STR(r->refs[1].url, "https://nvd.nist.gov/vuln/detail/CVE-2022-27649");
	CHECK(vd_record_has_id(r, "CVE-2022-27649"));
	CHECK(vd_record_has_id(r, "GHSA-qvf8-p83w-v58j"));
	CHECK_INT(r->n_credits, 0);
	vd_record_free(r);
}

/* Withdrawn record: state, time, provenance. */
static void t_go_2022_0617_withdrawn(void)
{
	vd_record *r = conv("go/GO-2022-0617.json");
	REQUIRE(r);
	CHECK_INT(r->state, VD_STATE_WITHDRAWN);
	CHECK_STR(r->withdrawn, "2024-08-21T16:25:56Z");
	CHECK_NULL(r->published);
	CHECK_STR(r->title.en, "WITHDRAWN: Potential proxy IP restriction bypass in Kubernetes in k8s.io/kubernetes");
	CHECK(vd_str_has_prefix(r->description.en, "(This report has been withdrawn"));
	CHECK(prov_for(r, "withdrawn") != NULL);
	CHECK(prov_for(r, "state") != NULL);
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].package, "k8s.io/kubernetes");
	REQUIRE(r->affected[0].n_ranges == 1);
	CHECK_INT(r->affected[0].ranges[0].n_events, 1);
	CHECK_INT(r->n_refs, 5);
	CHECK_INT(refs_of_type(r, "advisory"), 1);
	CHECK_INT(refs_of_type(r, "web"), 4);
	CHECK(vd_record_has_id(r, "CVE-2020-8562"));
	CHECK_INT(vd_record_validate(r), VD_OK);
	vd_record_free(r);
}

/* related[] ids are not aliases. */
static void t_go_2020_0050_related_not_aliases(void)
{
	vd_record *r = conv("go/GO-2020-0050.json");
	REQUIRE(r);
	CHECK_INT(r->n_aliases, 3);
	CHECK(vd_record_has_id(r, "CVE-2020-15216"));
	CHECK(vd_record_has_id(r, "GHSA-q547-gmf8-8jr7"));
	CHECK(!vd_record_has_id(r, "CVE-2020-26290"));
	CHECK(!vd_record_has_id(r, "GHSA-m9hp-7r99-94h5"));
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "@jupenur");
	CHECK_STR(r->published, "2021-04-14T20:04:52Z");
	REQUIRE(r->n_affected == 1 && r->affected[0].n_ranges == 1);
	CHECK_EVENT(&r->affected[0].ranges[0], 1, VD_EV_FIXED, "1.1.0");
	vd_record_free(r);
}

/* database_specific.custom_ranges inside affected[] are ignored. */
static void t_go_2023_2385_custom_ranges_ignored(void)
{
	vd_record *r = conv("go/GO-2023-2385.json");
	REQUIRE(r);
	REQUIRE(r->n_affected == 4);
	CHECK_STR(r->affected[1].package, "github.com/pubnub/go/v5");
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(r->affected[i].n_ranges, 1);
	CHECK_INT(r->affected[1].ranges[0].n_events, 1);
	CHECK_INT(r->affected[2].ranges[0].n_events, 1);
	CHECK_STR(r->affected[3].package, "github.com/pubnub/go/v7");
	CHECK_EVENT(&r->affected[3].ranges[0], 1, VD_EV_FIXED, "7.2.0");
	CHECK(vd_str_has_suffix(r->description.en, "introduced in v7.2.0."));
	CHECK(r->description.en && strstr(r->description.en, "file.\n\nUsers") != NULL);
	vd_record_free(r);
}

/* ARTICLE reference; eight related ids left out. */
static void t_go_2022_1008_article(void)
{
	vd_record *r = conv("go/GO-2022-1008.json");
	REQUIRE(r);
	REQUIRE(r->n_refs == 2);
	CHECK_STR(r->refs[0].type, "article");
	CHECK_STR(r->refs[0].url, "https://www.benthamsgaze.org/2022/08/22/vulnerability-in-linux-containers-investigation-and-mitigation/");
	CHECK_STR(r->refs[1].type, "patch");
	CHECK_INT(r->n_aliases, 3);
	CHECK(!vd_record_has_id(r, "CVE-2022-2989"));
	CHECK_STR(r->title.en, "Unauthorized file access in github.com/containers/buildah");
	vd_record_free(r);
}

/* ---- golden records: PyPI (YAML) ---- */

/* GIT + ECOSYSTEM ranges, explicit versions, CVSS 3.1 severity, EVIDENCE ref,
 * unquoted YAML timestamp with microseconds. */
static void t_pypi_2023_246_git_severity(void)
{
	vd_record *r = conv("pypi/aiohttp/PYSEC-2023-246.yaml");
	REQUIRE(r);
	CHECK_STR(r->id, "PYSEC-2023-246");
	CHECK_STR(r->modified, "2023-11-22T23:23:57Z");
	CHECK_STR(r->published, "2023-11-14T21:15:00Z");
	CHECK_NULL(r->title.en);
	CHECK(vd_str_has_prefix(r->description.en, "aiohttp is an asynchronous HTTP client/server framework for asyncio and Python. The HTTP parser"));
	CHECK(vd_str_has_suffix(r->description.en, "There are no known workarounds for these issues."));
	REQUIRE(r->n_aliases == 3);
	CHECK_STR(alias_at(r, 1)->id, "CVE-2023-47627");
	CHECK_STR(alias_at(r, 2)->id, "GHSA-gfw2-4jvh-wgfg");
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->ecosystem, "PyPI");
	CHECK_STR(a->package, "aiohttp");
	CHECK_STR(a->purl, "pkg:pypi/aiohttp");
	REQUIRE(a->n_ranges == 2);
	CHECK_STR(a->ranges[0].type, "GIT");
	CHECK_STR(a->ranges[0].repo, "https://github.com/aio-libs/aiohttp");
	CHECK_EVENT(&a->ranges[0], 0, VD_EV_INTRODUCED, "0");
	CHECK_EVENT(&a->ranges[0], 1, VD_EV_FIXED, "d5c12ba890557a575c313bb3017910d7616fce3d");
	CHECK_STR(a->ranges[1].type, "ECOSYSTEM");
	CHECK_NULL(a->ranges[1].repo);
	CHECK_EVENT(&a->ranges[1], 1, VD_EV_FIXED, "3.8.6");
	REQUIRE(a->n_versions == 220);
	CHECK_STR(a->versions[0], "0.1");      /* quoted in the YAML */
	CHECK_STR(a->versions[1], "0.10.0");
	CHECK_STR(a->versions[35], "0.2");
	CHECK_STR(a->versions[219], "3.8.5");
	REQUIRE(r->n_scores == 1);
	CHECK_STR(r->scores[0].version, "3.1");
	CHECK_STR(r->scores[0].vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N");
	CHECK(r->scores[0].base < 0);
	CHECK_NULL(r->scores[0].severity);
	/* the GHSA URL is listed as EVIDENCE and as ADVISORY: one ref, "advisory" wins */
	REQUIRE(r->n_refs == 2);
	CHECK_STR(r->refs[0].url, "https://github.com/aio-libs/aiohttp/security/advisories/GHSA-gfw2-4jvh-wgfg");
	CHECK_STR(r->refs[0].type, "advisory");
	CHECK_STR(r->refs[1].type, "patch");
	CHECK(all_source_osv(r));
	const vd_provenance *p = prov_for(r, "scores");
	REQUIRE(p);
	CHECK_STR(p->time, "2023-11-22T23:23:57Z");
	CHECK_STR(p->source_id, "PYSEC-2023-246");
	vd_record_free(r);
}

/* The one PyPI file with a summary; PACKAGE reference; GHSA listed first. */
static void t_pypi_2023_120_summary_package_ref(void)
{
	vd_record *r = conv("pypi/aiohttp/PYSEC-2023-120.yaml");
	REQUIRE(r);
	CHECK_STR(r->title.en, "aiohttp.web.Application vulnerable to HTTP request smuggling via llhttp HTTP request parser");
	CHECK(vd_str_has_prefix(r->description.en, "### Impact\n\naiohttp v3.8.4 and earlier"));
	CHECK(vd_str_has_suffix(r->description.en, "* https://hackerone.com/reports/2001873\n"));
	CHECK_STR(r->modified, "2023-07-24T14:58:05Z");
	CHECK_STR(r->published, "2023-07-20T14:52:00Z");
	REQUIRE(r->n_aliases == 3);
	CHECK_STR(alias_at(r, 1)->id, "GHSA-45c4-8wx5-qw6w");
	CHECK_STR(alias_at(r, 2)->id, "CVE-2023-37276");
	REQUIRE(r->n_refs == 4);
	CHECK_INT(refs_of_type(r, "advisory"), 2);
	CHECK_STR(r->refs[2].type, "package");
	CHECK_STR(r->refs[2].url, "https://github.com/aio-libs/aiohttp");
	CHECK_STR(r->refs[3].type, "web");
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	REQUIRE(a->n_ranges == 1);
	CHECK_STR(a->ranges[0].type, "ECOSYSTEM");
	CHECK_EVENT(&a->ranges[0], 1, VD_EV_FIXED, "3.8.5");
	REQUIRE(a->n_versions == 219);
	CHECK_STR(a->versions[218], "3.8.4");
	CHECK_INT(r->n_scores, 0);
	vd_record_free(r);
}

/* Withdrawn PyPI record with single-quoted times and an open-ended range. */
static void t_pypi_2021_13_withdrawn(void)
{
	vd_record *r = conv("pypi/flask-caching/PYSEC-2021-13.yaml");
	REQUIRE(r);
	CHECK_INT(r->state, VD_STATE_WITHDRAWN);
	CHECK_STR(r->withdrawn, "2023-07-25T12:32:00Z");
	CHECK_STR(r->modified, "2023-07-25T00:34:15Z");
	CHECK_STR(r->published, "2021-05-13T23:15:00Z");
	CHECK(vd_str_has_prefix(r->description.en, "The Flask-Caching extension through 1.10.1 for Flask relies on Pickle"));
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->package, "flask-caching");
	CHECK_STR(a->purl, "pkg:pypi/flask-caching");
	REQUIRE(a->n_ranges == 1);
	REQUIRE(a->ranges[0].n_events == 1);
	CHECK_EVENT(&a->ranges[0], 0, VD_EV_INTRODUCED, "1.0.0");
	REQUIRE(a->n_versions == 24);
	CHECK_STR(a->versions[0], "1.0.0");
	CHECK_STR(a->versions[23], "2.0.2");
	REQUIRE(r->n_refs == 2);
	CHECK_STR(r->refs[0].type, "web");
	CHECK_STR(r->refs[1].type, "advisory");
	const vd_provenance *p = prov_for(r, "withdrawn");
	REQUIRE(p);
	CHECK_STR(p->time, "2023-07-25T00:34:15Z");
	vd_record_free(r);
}

/* ---- whole directories ---- */

typedef struct {
	int files, ok, failed, cve, withdrawn, json_fail;
} tally;

static void count_record(tally *t, const char *name, json_t *j)
{
	vd_record *r = NULL;
	t->files++;
	if (vd_osv_to_record(j, &r)) {
		t->failed++;
		if (t->failed <= 5)
			fprintf(stderr, "  %s: %s\n", name, vd_error_msg());
		return;
	}
	t->ok++;
	t->cve += has_cve_alias(r);
	t->withdrawn += r->state == VD_STATE_WITHDRAWN;
	char *js = NULL;
	if (vd_record_to_json(r, &js) || !js)
		t->json_fail++;
	free(js);
	vd_record_free(r);
}

static void t_go_directory(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh);
	char dir[4400];
	snprintf(dir, sizeof dir, "%s/data/osv/go", sh);
	DIR *d = opendir(dir);
	REQUIRE(d);
	tally t = {0};
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!vd_str_has_suffix(e->d_name, ".json"))
			continue;
		char path[4700];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		json_t *j = load_json_file(path);
		if (!j) {
			t.files++;
			t.failed++;
			continue;
		}
		count_record(&t, e->d_name, j);
		json_decref(j);
	}
	closedir(d);
	printf("  osv/go: %d files, %d converted, %d with a CVE alias, %d withdrawn\n",
	       t.files, t.ok, t.cve, t.withdrawn);
	CHECK_INT(t.files, 3862);
	CHECK_INT(t.failed, 0);
	CHECK_INT(t.cve, 3508);       /* SOURCES.md */
	CHECK_INT(t.withdrawn, 17);   /* files with a "withdrawn" key */
	CHECK_INT(t.json_fail, 0);
}

static void t_pypi_directory(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh);
	char top[4400];
	snprintf(top, sizeof top, "%s/data/osv/pypi", sh);
	DIR *d = opendir(top);
	REQUIRE(d);
	tally t = {0};
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4700];
		snprintf(sub, sizeof sub, "%s/%s", top, e->d_name);
		DIR *s = opendir(sub);
		if (!s)
			continue;
		struct dirent *f;
		while ((f = readdir(s))) {
			if (!vd_str_has_suffix(f->d_name, ".yaml"))
				continue;
			char path[5000];
			snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
			json_t *j = load_yaml_file(path);
			if (!j) {
				t.files++;
				t.failed++;
				continue;
			}
			count_record(&t, f->d_name, j);
			json_decref(j);
		}
		closedir(s);
	}
	closedir(d);
	printf("  osv/pypi: %d files, %d converted, %d with a CVE alias, %d withdrawn\n",
	       t.files, t.ok, t.cve, t.withdrawn);
	CHECK_INT(t.files, 1000);
	CHECK_INT(t.failed, 0);
	CHECK_INT(t.cve, 996);        /* SOURCES.md */
	CHECK_INT(t.withdrawn, 3);
	CHECK_INT(t.json_fail, 0);
}

/* ---- hand-written records: mapping details ---- */

static void t_minimal_and_nulls(void)
{
	vd_record *r;
	CHECK_INT(conv_text("{\"id\":\"X-1\",\"modified\":\"2024-01-02T03:04:05+01:00\"}", &r), VD_OK);
	REQUIRE(r);
	CHECK_STR(r->id, "X-1");
	CHECK_STR(r->modified, "2024-01-02T02:04:05Z");
	CHECK_INT(r->n_aliases, 1);
	CHECK_INT(r->n_affected, 0);
	CHECK_INT(r->state, VD_STATE_PUBLISHED);
	vd_record_free(r);
	CHECK_INT(conv_text("{\"id\":\"X-2\",\"modified\":\"2024-01-02T00:00:00Z\",\"summary\":null,"
	                    "\"details\":\"\",\"aliases\":null,\"affected\":[{}],\"references\":[],"
	                    "\"credits\":null,\"severity\":null,\"database_specific\":null,"
	                    "\"withdrawn\":null,\"published\":null}", &r), VD_OK);
	REQUIRE(r);
	CHECK_NULL(r->title.en);
	CHECK_NULL(r->description.en);
	CHECK_NULL(r->withdrawn);
	CHECK_INT(r->n_affected, 1);
	CHECK_STR(r->affected[0].source, "osv");
	vd_record_free(r);
}

static void t_mapping_details(void)
{
	vd_record *r;
	const char *doc =
		"{\"id\":\"GHSA-xxxx-yyyy-zzzz\",\"modified\":\"2024-05-06T07:08:09.123Z\","
		"\"published\":\"2024-05-01\",\"aliases\":[\"CVE-2024-0001\",\"GHSA-xxxx-yyyy-zzzz\",\"\"],"
		"\"related\":[\"CVE-2024-9999\"],"
		"\"severity\":[{\"type\":\"CVSS_V2\",\"score\":\"AV:N/AC:L/Au:N/C:P/I:P/A:P\"},"
		"  {\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"},"
		"  {\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"},"
		"  {\"type\":\"Ubuntu\",\"score\":\"high\"},{\"type\":\"CVSS_V3\"}],"
		"\"database_specific\":{\"cwe_ids\":[\"CWE-79\",\"CWE-79\",\"CWE-352\"],\"severity\":\"HIGH\"},"
		"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\",\"purl\":\"pkg:npm/left-pad\"},"
		"  \"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\"}],"
		"  \"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},{\"last_affected\":\"1.2\"},"
		"     {\"limit\":\"2.0\"}]}],\"versions\":[\"1.0\",7],\"ecosystem_specific\":{\"x\":[1,{}]}},"
		"  {\"ranges\":[{\"type\":\"GIT\",\"repo\":\"https://example.org/r.git\",\"events\":[{\"introduced\":\"abc\"}]}]}],"
		"\"references\":[{\"type\":\"GIT\",\"url\":\"https://e/1\"},{\"type\":\"DETECTION\",\"url\":\"https://e/2\"},"
		"  {\"type\":\"INTRODUCED\",\"url\":\"https://e/3\"},{\"type\":\"DISCUSSION\",\"url\":\"https://e/4\"},"
		"  {\"type\":\"NEW_KIND\",\"url\":\"https://e/5\"},{\"type\":\"we ird!\",\"url\":\"https://e/6\"},"
		"  {\"url\":\"https://e/7\"},{\"type\":\"WEB\"},{\"type\":\"EVIDENCE\",\"url\":\"https://e/8\"},"
		"  {\"type\":\"WEB\",\"url\":\"https://e/1\"},{\"type\":\"REPORT\",\"url\":\"https://e/2\"}],"
		"\"credits\":[{\"name\":\"Ann\",\"type\":\"FINDER\",\"contact\":[\"mailto:a@b\"]},"
		"  {\"name\":\"Bob\",\"type\":\"REMEDIATION_DEVELOPER\"},{\"type\":\"TOOL\"}]}";
	CHECK_INT(conv_text(doc, &r), VD_OK);
	REQUIRE(r);
	CHECK_STR(r->modified, "2024-05-06T07:08:09Z");
	CHECK_STR(r->published, "2024-05-01T00:00:00Z");
	CHECK_INT(r->n_aliases, 2);
	CHECK(!vd_record_has_id(r, "CVE-2024-9999"));
	REQUIRE(r->n_scores == 5);
	CHECK_STR(r->scores[0].version, "2.0");
	CHECK_STR(r->scores[1].version, "3.0");
	CHECK_STR(r->scores[2].version, "4.0");
	CHECK_STR(r->scores[3].version, "Ubuntu");
	CHECK_STR(r->scores[3].vector, "high");
	CHECK_STR(r->scores[4].version, "3.1");   /* from affected[0].severity */
	REQUIRE(r->n_cwes == 2);
	CHECK_STR(r->cwes[0], "CWE-79");
	CHECK_STR(r->cwes[1], "CWE-352");
	CHECK(prov_for(r, "cwes") != NULL);
	CHECK(prov_for(r, "scores") != NULL);
	REQUIRE(r->n_affected == 2);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->ecosystem, "npm");
	CHECK_STR(a->purl, "pkg:npm/left-pad");
	REQUIRE(a->n_ranges == 1 && a->ranges[0].n_events == 3);
	CHECK_EVENT(&a->ranges[0], 1, VD_EV_LAST_AFFECTED, "1.2");
	CHECK_EVENT(&a->ranges[0], 2, VD_EV_LIMIT, "2.0");
	REQUIRE(a->n_versions == 2);
	CHECK_STR(a->versions[1], "7");
	CHECK_NULL(r->affected[1].package);
	REQUIRE(r->affected[1].n_ranges == 1);
	CHECK_STR(r->affected[1].ranges[0].repo, "https://example.org/r.git");
	REQUIRE(r->n_refs == 8);
	CHECK_STR(r->refs[0].type, "patch");    /* GIT; a later WEB for the same URL does not win */
	CHECK_STR(r->refs[1].type, "report");   /* DETECTION, then REPORT for the same URL */
	CHECK_STR(r->refs[2].type, "web");
	CHECK_STR(r->refs[3].type, "web");
	CHECK_STR(r->refs[4].type, "new_kind");
	CHECK_STR(r->refs[5].type, "web");
	CHECK_NULL(r->refs[6].type);
	CHECK_STR(r->refs[7].type, "report");   /* EVIDENCE */
	REQUIRE(r->n_credits == 2);
	CHECK_STR(r->credits[0].type, "finder");
	CHECK_STR(r->credits[1].type, "remediation developer");
	CHECK(all_source_osv(r));
	CHECK_STR(prov_for(r, "id")->time, "2024-05-06T07:08:09Z");
	vd_record_free(r);
}

/* ---- malformed input: status and the path in the message ---- */

static void expect_err(const char *doc, int code, const char *msg)
{
	vd_record *r = (vd_record *)1;
	int rc = conv_text(doc, &r);
	CHECK_INT(rc, code);
	CHECK(r == NULL);
	if (strcmp(vd_error_msg(), msg) != 0) {
		vt_cur_failed = 1;
		fprintf(stderr, "  %s: message \"%s\", expected \"%s\" for %s\n", vt_cur, vd_error_msg(), msg, doc);
	}
}

#define M "\"modified\":\"2024-01-01T00:00:00Z\""

static void t_malformed_top(void)
{
	expect_err("[]", VD_EINVAL, "OSV record: not a JSON object");
	expect_err("\"GO-1\"", VD_EINVAL, "OSV record: not a JSON object");
	expect_err("{}", VD_EINVAL, "id: missing");
	expect_err("{\"id\":null," M "}", VD_EINVAL, "id: missing");
	expect_err("{\"id\":5," M "}", VD_EINVAL, "id: not a string");
	expect_err("{\"id\":[\"a\"]," M "}", VD_EINVAL, "id: not a string");
	expect_err("{\"id\":\"  \"," M "}", VD_EINVAL, "id: empty");
	expect_err("{\"id\":\"X\"}", VD_EINVAL, "modified: missing");
	expect_err("{\"id\":\"X\",\"modified\":\"\"}", VD_EINVAL, "modified: missing");
	expect_err("{\"id\":\"X\",\"modified\":17}", VD_EINVAL, "modified: not a string");
	expect_err("{\"id\":\"X\",\"modified\":\"yesterday\"}", VD_EINVAL,
	           "modified: 'yesterday' is not an RFC 3339 date-time");
	expect_err("{\"id\":\"X\"," M ",\"published\":\"2024-02-30\"}", VD_EINVAL,
	           "published: '2024-02-30' is not an RFC 3339 date-time");
	expect_err("{\"id\":\"X\"," M ",\"withdrawn\":true}", VD_EINVAL, "withdrawn: not a string");
	expect_err("{\"id\":\"X\"," M ",\"summary\":{}}", VD_EINVAL, "summary: not a string");
	expect_err("{\"id\":\"X\"," M ",\"details\":1.5}", VD_EINVAL, "details: not a string");
	expect_err("{\"id\":\"X\"," M ",\"aliases\":\"CVE-1\"}", VD_EINVAL, "aliases: not an array");
	expect_err("{\"id\":\"X\"," M ",\"aliases\":[\"CVE-1\",1.5]}", VD_EINVAL, "aliases[1]: not a string");
	expect_err("{\"id\":\"X\"," M ",\"credits\":\"x\"}", VD_EINVAL, "credits: not an array");
	expect_err("{\"id\":\"X\"," M ",\"credits\":[{\"name\":1}]}", VD_EINVAL, "credits[0].name: not a string");
	expect_err("{\"id\":\"X\"," M ",\"credits\":[[]]}", VD_EINVAL, "credits[0]: not an object");
	expect_err("{\"id\":\"X\"," M ",\"references\":[{\"url\":\"u\"},7]}", VD_EINVAL,
	           "references[1]: not an object");
	expect_err("{\"id\":\"X\"," M ",\"references\":[{\"url\":false}]}", VD_EINVAL,
	           "references[0].url: not a string");
	expect_err("{\"id\":\"X\"," M ",\"severity\":[\"CVSS:3.1/AV:N\"]}", VD_EINVAL,
	           "severity[0]: not an object");
	expect_err("{\"id\":\"X\"," M ",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":9.8}]}", VD_EINVAL,
	           "severity[0].score: not a string");
	expect_err("{\"id\":\"X\"," M ",\"database_specific\":[]}", VD_EINVAL,
	           "database_specific: not an object");
	expect_err("{\"id\":\"X\"," M ",\"database_specific\":{\"cwe_ids\":\"CWE-79\"}}", VD_EINVAL,
	           "database_specific.cwe_ids: not an array");
	expect_err("{\"id\":\"X\"," M ",\"database_specific\":{\"cwe_ids\":[null]}}", VD_EINVAL,
	           "database_specific.cwe_ids[0]: not a string");
}

static void t_malformed_affected(void)
{
	expect_err("{\"id\":\"X\"," M ",\"affected\":{}}", VD_EINVAL, "affected: not an array");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{},3]}", VD_EINVAL, "affected[1]: not an object");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"package\":\"p\"}]}", VD_EINVAL,
	           "affected[0].package: not an object");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"package\":{\"name\":[]}}]}", VD_EINVAL,
	           "affected[0].package.name: not a string");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{},{\"package\":{\"purl\":1}}]}", VD_EINVAL,
	           "affected[1].package.purl: not a string");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":{}}]}", VD_EINVAL,
	           "affected[0].ranges: not an array");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":[{},\"GIT\"]}]}", VD_EINVAL,
	           "affected[0].ranges[1]: not an object");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":[{\"type\":3}]}]}", VD_EINVAL,
	           "affected[0].ranges[0].type: not a string");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":[{\"events\":{}}]}]}", VD_EINVAL,
	           "affected[0].ranges[0].events: not an array");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":[{\"events\":[]},"
	           "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1\"},{\"foo\":\"2\"}]}]}]}",
	           VD_EINVAL, "affected[0].ranges[1].events[2]: unknown event 'foo'");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":[{\"events\":[{}]}]}]}", VD_EINVAL,
	           "affected[0].ranges[0].events[0]: empty event (want introduced, fixed, last_affected or limit)");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":[{\"events\":[[]]}]}]}", VD_EINVAL,
	           "affected[0].ranges[0].events[0]: not an object");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":[{\"events\":[{\"fixed\":null}]}]}]}", VD_EINVAL,
	           "affected[0].ranges[0].events[0].fixed: not a string");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"ranges\":[{\"events\":[{\"Fixed\":\"1\"}]}]}]}", VD_EINVAL,
	           "affected[0].ranges[0].events[0]: unknown event 'Fixed'");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"versions\":[\"1\",{}]}]}", VD_EINVAL,
	           "affected[0].versions[1]: not a string");
	expect_err("{\"id\":\"X\"," M ",\"affected\":[{\"severity\":[{\"score\":[]}]}]}", VD_EINVAL,
	           "affected[0].severity[0].score: not a string");
}

/* Ids longer than the record allows, and deep junk in ignored fields. */
static void t_malformed_limits(void)
{
	char doc[600];
	char id[200];
	memset(id, 'A', 199);
	id[199] = 0;
	snprintf(doc, sizeof doc, "{\"id\":\"%s\"," M "}", id);
	expect_err(doc, VD_EINVAL, "id: longer than 128 bytes");
	vd_record *r;
	CHECK_INT(conv_text("{\"id\":\"X\"," M ",\"ecosystem_specific\":[[[[[[[[[[{}]]]]]]]]]],"
	                    "\"affected\":[{\"database_specific\":{\"a\":[[[[1]]]]}}]}", &r), VD_OK);
	vd_record_free(r);
}

int main(void)
{
	RUN(t_go_2020_0001_credits_semver);
	RUN(t_go_2022_0416_several_packages);
	RUN(t_go_2022_0617_withdrawn);
	RUN(t_go_2020_0050_related_not_aliases);
	RUN(t_go_2023_2385_custom_ranges_ignored);
	RUN(t_go_2022_1008_article);
	RUN(t_pypi_2023_246_git_severity);
	RUN(t_pypi_2023_120_summary_package_ref);
	RUN(t_pypi_2021_13_withdrawn);
	RUN(t_go_directory);
	RUN(t_pypi_directory);
	RUN(t_minimal_and_nulls);
	RUN(t_mapping_details);
	RUN(t_malformed_top);
	RUN(t_malformed_affected);
	RUN(t_malformed_limits);
	return vt_done();
}
