/* SBOM and VEX readers (include/vulnd/sbom.h) on every file of
 * ../shared/data/sbom, plus hand-written edge cases.
 *
 * Decisions per case (documented in src/formats/sbom_cdx.c / sbom_spdx.c):
 *  - CycloneDX specification test data: every valid-* file parses; of the
 *    invalid-* files those whose defect matters for matching are refused
 *    with a message naming the file (bomformat: not CycloneDX; namespace: not
 *    a CycloneDX namespace; empty-component: a component without a name);
 *    the others (hashes, licences, types, refs, ... that the reader does not
 *    use) are read leniently.
 *  - SPDX 3.0 (JSON-LD), SPDX RDF/XML, XML and YAML are refused with
 *    VD_EUNSUPPORTED and a message saying what to use instead; SPDX 2.2/2.3
 *    JSON and tag-value (also UTF-16) parse, including the Trivy SBOM that
 *    tools-python calls invalid (its defects are in fields not read here).
 *  - Component counts of the real SBOMs were checked by reading the files.
 */
#include "harness.h"
#include "vulnd/sbom.h"
#include "vulnd/error.h"
#include <dirent.h>
#include <sys/stat.h>

static char root[4096];

static bool has_root(void)
{
	const char *sh = vt_shared();
	if (!sh)
		return false;
	snprintf(root, sizeof root, "%s/data/sbom", sh);
	return true;
}

static vd_sbom *load(const char *rel, int *rc)
{
	char p[8192];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	vd_sbom *s = NULL;
	*rc = vd_sbom_read_file(p, &s);
	return s;
}

/* ---- walk every file ---- */
typedef struct {
	int files, ok, refused, unexpected;
	int valid_cdx, invalid_refused, invalid_lenient;
} tally;

static const char *refused_cdx[] = {"invalid-bomformat-", "invalid-namespace-", "invalid-empty-component-"};

static bool expect_refusal(const char *name, const char *path, bool *unsupported)
{
	*unsupported = false;
	for (size_t i = 0; i < sizeof refused_cdx / sizeof *refused_cdx; i++)
		if (!strncmp(name, refused_cdx[i], strlen(refused_cdx[i])))
			return true;
	if (strstr(path, "spdx3") || strstr(path, ".rdf.xml") || strstr(path, ".spdx.xml") ||
	    strstr(path, ".yaml")) {
		*unsupported = true;
		return true;
	}
	return false;
}

static void walk(const char *dir, tally *t)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[8192];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (stat(p, &sb))
			continue;
		if (S_ISDIR(sb.st_mode)) {
			walk(p, t);
			continue;
		}
		if (strstr(e->d_name, ".md") || strstr(e->d_name, ".txt"))
			continue;
		t->files++;
		bool unsup;
		bool refuse = expect_refusal(e->d_name, p, &unsup);
		vd_sbom *s = NULL;
		vd_error_clear();
		int rc = vd_sbom_read_file(p, &s);
		if (refuse) {
			bool good = rc != VD_OK && strstr(vd_error_msg(), e->d_name) &&
			            (!unsup || rc == VD_EUNSUPPORTED);
			if (good) {
				t->refused++;
				if (strstr(e->d_name, "invalid-"))
					t->invalid_refused++;
			} else {
				t->unexpected++;
				fprintf(stderr, "  expected a refusal with a message naming the file: %s (rc %d: %s)\n", p, rc,
				        vd_error_msg());
			}
		} else if (rc) {
			t->unexpected++;
			fprintf(stderr, "  did not parse: %s: %s\n", p, vd_error_msg());
		} else {
			t->ok++;
			if (!strncmp(e->d_name, "valid-", 6))
				t->valid_cdx++;
			if (!strncmp(e->d_name, "invalid-", 8))
				t->invalid_lenient++;
			/* every component has a name */
			for (size_t i = 0; i < s->n_comps; i++)
				if (!s->comps[i].name) {
					t->unexpected++;
					fprintf(stderr, "  %s: component %zu without a name\n", p, i);
					break;
				}
		}
		vd_sbom_free(s);
	}
	closedir(d);
}

static void t_every_file(void)
{
	REQUIRE(has_root());
	tally t = {0};
	walk(root, &t);
	printf("# sbom files: %d (%d parsed, %d refused as expected; CycloneDX valid-* %d, invalid-* refused %d,"
	       " read leniently %d)\n", t.files, t.ok, t.refused, t.valid_cdx, t.invalid_refused, t.invalid_lenient);
	CHECK_INT(t.unexpected, 0);
	CHECK_INT(t.files, 491);
	CHECK_INT(t.valid_cdx, 226);         /* every valid-* of CycloneDX 1.4-1.6 */
	CHECK_INT(t.invalid_refused, 12);    /* bomformat 3 + namespace 3 + empty-component 6 */
	CHECK_INT(t.invalid_lenient, 132);
}

/* ---- real SBOMs: counts checked by reading the files ---- */
static void check_count(const char *rel, vd_sbom_format f, size_t n, const char *spec)
{
	int rc;
	vd_sbom *s = load(rel, &rc);
	if (rc)
		fprintf(stderr, "  %s: %s\n", rel, vd_error_msg());
	REQUIRE(rc == VD_OK && s);
	CHECK_INT(s->format, f);
	CHECK_INT(s->n_comps, n);
	if (spec)
		CHECK_STR(s->spec_version, spec);
	vd_sbom_free(s);
}

static void t_real_counts(void)
{
	REQUIRE(has_root());
	const char *B = "cyclonedx/bom-examples/SBOM/";
	char p[512];
	snprintf(p, sizeof p, "%slaravel-7.12.0/bom.1.4.json", B);
	check_count(p, VD_SBOM_CDX_JSON, 62, "1.4");
	snprintf(p, sizeof p, "%slaravel-7.12.0/bom.1.4.xml", B);
	check_count(p, VD_SBOM_CDX_XML, 62, "1.4");
	snprintf(p, sizeof p, "%sproton-bridge/proton-bridge-v1.8.0.bom.json", B);
	check_count(p, VD_SBOM_CDX_JSON, 201, "1.2");
	snprintf(p, sizeof p, "%sproton-bridge/proton-bridge-v1.8.0.bom.xml", B);
	check_count(p, VD_SBOM_CDX_XML, 201, "1.2");
	snprintf(p, sizeof p, "%scern-lhc-vdm-editor-e564943/bom.json", B);
	check_count(p, VD_SBOM_CDX_JSON, 43, NULL);
	snprintf(p, sizeof p, "%scern-lhc-vdm-editor-e564943/bom.xml", B);
	check_count(p, VD_SBOM_CDX_XML, 43, NULL);
	check_count("spdx/tools-python-testdata/SPDXJSONExample-v2.3.spdx.json", VD_SBOM_SPDX_JSON, 4, "SPDX-2.3");
	check_count("spdx/tools-python-testdata/SPDXJSONExample-v2.2.spdx.json", VD_SBOM_SPDX_JSON, 4, "SPDX-2.2");
	check_count("spdx/tools-python-testdata/SPDXTagExample-v2.3.spdx", VD_SBOM_SPDX_TV, 4, "SPDX-2.3");
	check_count("spdx/tools-python-testdata/SPDXTagExample-v2.2.spdx", VD_SBOM_SPDX_TV, 4, "SPDX-2.2");
	check_count("spdx/tools-python-testdata/SPDXTagExample-UTF-16.spdx", VD_SBOM_SPDX_TV, 4, NULL);
	check_count("spdx/tools-python-testdata/invalid/spdx-trivy-vmware_log-intelligence-fluentd.json",
	            VD_SBOM_SPDX_JSON, 514, "SPDX-2.2");
	check_count("spdx/spdx-examples/software/example6/spdx2.2/example6-lib.spdx", VD_SBOM_SPDX_TV, 5, "SPDX-2.2");
}

static void t_real_fields(void)
{
	REQUIRE(has_root());
	int rc;
	vd_sbom *s = load("cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.4.json", &rc);
	REQUIRE(s);
	CHECK_STR(s->comps[0].purl, "pkg:composer/asm89/stack-cors@1.3.0");
	CHECK_STR(s->comps[0].name, "stack-cors");
	CHECK_STR(s->comps[0].group, "asm89");
	CHECK_STR(s->comps[0].version, "1.3.0");
	vd_sbom *x = load("cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml", &rc);
	REQUIRE(x);
	/* JSON and XML of the same BOM: the same components */
	CHECK_INT(x->n_comps, s->n_comps);
	for (size_t i = 0; i < s->n_comps && i < x->n_comps; i++) {
		CHECK_STR(x->comps[i].purl, s->comps[i].purl);
		CHECK_STR(x->comps[i].version, s->comps[i].version);
	}
	vd_sbom_free(s);
	vd_sbom_free(x);
	s = load("spdx/tools-python-testdata/SPDXTagExample-v2.3.spdx", &rc);
	REQUIRE(s);
	CHECK_STR(s->comps[0].name, "glibc");
	CHECK_STR(s->comps[0].version, "2.11.1");
	CHECK_INT(s->comps[0].n_cpes, 1);
	if (s->comps[0].n_cpes)
		CHECK_STR(s->comps[0].cpes[0], "cpe:2.3:a:pivotal_software:spring_framework:4.1.0:*:*:*:*:*:*:*");
	vd_sbom *j = load("spdx/tools-python-testdata/SPDXJSONExample-v2.3.spdx.json", &rc);
	REQUIRE(j);
	CHECK_STR(j->comps[0].name, "glibc");
	CHECK_STR(j->comps[0].ref, s->comps[0].ref);
	vd_sbom_free(j);
	vd_sbom_free(s);
}

static void t_vex_documents(void)
{
	REQUIRE(has_root());
	int rc;
	vd_sbom *s = load("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-not_affected.json", &rc);
	REQUIRE(s);
	CHECK_INT(s->n_vex, 1);
	CHECK_STR(s->vex[0].vuln_id, "CVE-2021-44228");
	CHECK_INT(s->vex[0].state, VD_VEX_NOT_AFFECTED);
	CHECK_STR(s->vex[0].justification, "code_not_present");
	CHECK_STR(s->vex[0].ref, "product-ABC");
	CHECK_STR(s->vex[0].name, "ABC");      /* resolved through metadata.component */
	CHECK_STR(s->vex[0].version, "4.2");
	vd_sbom_free(s);
	static const struct { const char *f; vd_vex_state st; } cases[] = {
		{"vex-affected.json", VD_VEX_AFFECTED}, {"vex-fixed.json", VD_VEX_FIXED},
		{"vex-under_investigation.json", VD_VEX_UNDER_INVESTIGATION},
	};
	for (size_t i = 0; i < 3; i++) {
		char p[256];
		snprintf(p, sizeof p, "cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/%s", cases[i].f);
		s = load(p, &rc);
		CHECK(s && s->n_vex >= 1);
		if (s && s->n_vex)
			CHECK_INT(s->vex[0].state, cases[i].st);
		vd_sbom_free(s);
	}
	/* CSAF VEX documents: statements with product purls */
	char p[8192];
	snprintf(p, sizeof p, "%s/data/csaf/oasis-examples/csaf_vex", vt_shared());
	DIR *d = opendir(p);
	REQUIRE(d);
	struct dirent *e;
	int docs = 0, stmts = 0, with_purl = 0, not_aff = 0;
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".json"))
			continue;
		char f[8500];
		snprintf(f, sizeof f, "%s/%s", p, e->d_name);
		vd_sbom *v = NULL;
		rc = vd_sbom_read_file(f, &v);
		if (rc)
			fprintf(stderr, "  %s: %s\n", f, vd_error_msg());
		CHECK_INT(rc, VD_OK);
		if (!v)
			continue;
		CHECK_INT(v->format, VD_SBOM_CSAF);
		docs++;
		for (size_t i = 0; i < v->n_vex; i++) {
			stmts++;
			with_purl += v->vex[i].purl != NULL;
			not_aff += v->vex[i].state == VD_VEX_NOT_AFFECTED;
		}
		vd_sbom_free(v);
	}
	closedir(d);
	printf("# CSAF VEX: %d documents, %d statements (%d with a purl, %d not_affected)\n", docs, stmts, with_purl,
	       not_aff);
	CHECK(docs >= 5);
	CHECK(stmts >= docs);
	CHECK(not_aff >= 1);
}

/* ---- hand-written edge cases ---- */
static int parse(const char *s, vd_sbom **out)
{
	*out = NULL;
	vd_error_clear();
	return vd_sbom_parse(s, strlen(s), "t", out);
}

static void t_edge_cases(void)
{
	vd_sbom *s;
	CHECK_INT(parse("", &s), VD_EINVAL);
	CHECK_INT(parse("{", &s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "line"));
	CHECK_INT(parse("[1]", &s), VD_EINVAL);
	CHECK_INT(parse("{\"x\":1}", &s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "not an SBOM"));
	CHECK_INT(parse("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"2.0\"}", &s), VD_EUNSUPPORTED);
	CHECK_INT(parse("{\"bomFormat\":\"CycloneDX\",\"components\":{}}", &s), VD_EINVAL);
	CHECK_INT(parse("{\"bomFormat\":\"CycloneDX\",\"components\":[{\"type\":\"library\"}]}", &s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "components[0]"));
	CHECK_INT(parse("{\"spdxVersion\":\"SPDX-3.0\"}", &s), VD_EUNSUPPORTED);
	CHECK_INT(parse("{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"@graph\":[]}", &s),
	          VD_EUNSUPPORTED);
	CHECK(strstr(vd_error_msg(), "SPDX 3"));
	/* nesting is bounded */
	char deep[8192];
	size_t dn = (size_t)snprintf(deep, sizeof deep, "{\"bomFormat\":\"CycloneDX\",\"components\":[");
	for (int i = 0; i < 40; i++)
		dn += (size_t)snprintf(deep + dn, sizeof deep - dn, "{\"name\":\"x\",\"components\":[");
	for (int i = 0; i < 40; i++)
		dn += (size_t)snprintf(deep + dn, sizeof deep - dn, "]}");
	snprintf(deep + dn, sizeof deep - dn, "]}");
	CHECK_INT(parse(deep, &s), VD_ETOOBIG);
	/* nested components are flattened, parent first */
	REQUIRE(parse("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"name\":\"a\","
	              "\"purl\":\"pkg:npm/a@1.0.0\",\"cpe\":\"cpe:2.3:a:x:a:1.0.0:*:*:*:*:*:*:*\",\"components\":"
	              "[{\"name\":\"b\",\"version\":\"2\"}]}]}", &s) == VD_OK);
	CHECK_INT(s->n_comps, 2);
	CHECK_STR(s->comps[0].purl, "pkg:npm/a@1.0.0");
	CHECK_INT(s->comps[0].n_cpes, 1);
	CHECK_STR(s->comps[1].name, "b");
	vd_sbom_free(s);
	/* XML: DOCTYPE refused, namespace checked, CDATA read */
	CHECK_INT(parse("<?xml version=\"1.0\"?><!DOCTYPE bom [<!ENTITY a \"b\">]><bom xmlns=\"http://cyclonedx.org/"
	                "schema/bom/1.5\"/>", &s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "DOCTYPE"));
	CHECK_INT(parse("<bom xmlns=\"http://example.com/bom\"/>", &s), VD_EINVAL);
	CHECK_INT(parse("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>", &s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "line"));
	REQUIRE(parse("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components><component type=\"library\" "
	              "bom-ref=\"r1\"><name><![CDATA[left-pad]]></name><version>1.0.0</version><purl>pkg:npm/left-pad@1.0.0"
	              "</purl></component></components><vulnerabilities><vulnerability><id>CVE-1</id><analysis><state>"
	              "resolved</state></analysis><affects><target><ref>r1</ref></target></affects></vulnerability>"
	              "</vulnerabilities></bom>", &s) == VD_OK);
	CHECK_STR(s->spec_version, "1.5");
	CHECK_STR(s->comps[0].name, "left-pad");
	CHECK_INT(s->n_vex, 1);
	CHECK_INT(s->vex[0].state, VD_VEX_FIXED);
	CHECK_STR(s->vex[0].purl, "pkg:npm/left-pad@1.0.0");
	vd_sbom_free(s);
	/* tag-value */
	CHECK_INT(parse("SPDXVersion: SPDX-2.3\nPackageName: a\nPackageDescription: <text>never closed\n", &s),
	          VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "</text>"));
	CHECK_INT(parse("SPDXVersion: SPDX-2.3\nthis is not a tag\n", &s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "line 2"));
	REQUIRE(parse("# comment\nSPDXVersion: SPDX-2.2\nDocumentName: d\nPackageName: openssl\nSPDXID: SPDXRef-1\n"
	              "PackageVersion: 3.0.1\nPackageComment: <text>multi\nline: not a tag\n</text>\n"
	              "ExternalRef: PACKAGE-MANAGER purl pkg:generic/openssl@3.0.1\nFileName: ./x.c\nSPDXID: SPDXRef-f\n",
	              &s) == VD_OK);
	CHECK_INT(s->n_comps, 1);
	CHECK_STR(s->comps[0].ref, "SPDXRef-1");
	CHECK_STR(s->comps[0].purl, "pkg:generic/openssl@3.0.1");
	vd_sbom_free(s);
}

static void t_vex_roundtrip(void)
{
	vd_vex_out o[2] = {
		{"CVE-2021-44228", "vulnd", NULL, "log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
		 VD_VEX_NOT_AFFECTED, "code_not_reachable", "JNDI lookups disabled", "critical"},
		{"CVE-2021-45046", NULL, "c2", "log4j-api", "2.14.1", NULL, VD_VEX_UNDER_INVESTIGATION, NULL, NULL, NULL},
	};
	char *doc = NULL, *doc2 = NULL;
	REQUIRE(vd_vex_write_cdx(o, 2, "app", "1.0", "2024-01-01T00:00:00Z", &doc) == VD_OK);
	REQUIRE(vd_vex_write_cdx(o, 2, "app", "1.0", "2024-01-01T00:00:00Z", &doc2) == VD_OK);
	CHECK_STR(doc, doc2);   /* deterministic */
	vd_sbom *s = NULL;
	REQUIRE(vd_sbom_parse(doc, strlen(doc), "out.json", &s) == VD_OK);
	CHECK_INT(s->n_comps, 2);
	CHECK_INT(s->n_vex, 2);
	CHECK_STR(s->vex[0].vuln_id, "CVE-2021-44228");
	CHECK_INT(s->vex[0].state, VD_VEX_NOT_AFFECTED);
	CHECK_STR(s->vex[0].purl, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
	CHECK_STR(s->vex[0].justification, "code_not_reachable");
	CHECK_INT(s->vex[1].state, VD_VEX_UNDER_INVESTIGATION);
	CHECK_STR(s->vex[1].ref, "c2");
	CHECK_STR(s->vex[1].name, "log4j-api");
	CHECK_STR(s->name, "app");
	vd_sbom_free(s);
	free(doc);
	free(doc2);
	vd_vex_state st;
	CHECK_INT(vd_vex_state_parse("exploitable", &st), VD_OK);
	CHECK_INT(st, VD_VEX_AFFECTED);
	CHECK_INT(vd_vex_state_parse("bogus", &st), VD_EINVAL);
	CHECK(!vd_vex_keeps(VD_VEX_NOT_AFFECTED) && !vd_vex_keeps(VD_VEX_FIXED));
	CHECK(vd_vex_keeps(VD_VEX_AFFECTED) && vd_vex_keeps(VD_VEX_UNDER_INVESTIGATION) && vd_vex_keeps(VD_VEX_NONE));
}

int main(void)
{
	RUN(t_every_file);
	RUN(t_real_counts);
	RUN(t_real_fields);
	RUN(t_vex_documents);
	RUN(t_edge_cases);
	RUN(t_vex_roundtrip);
	return vt_done();
}
