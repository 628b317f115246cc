/* NVD API 2.0 reader: page cutting in the splitter, every shape in
 * ../shared/data/nvd2, records field by field (checked by reading the JSON),
 * other NVD APIs refused clearly. */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>

#define COLLECT_FMT VD_FMT_NVD2
#define COLLECT_SRC "nvd2"
#define COLLECT_OWN_ON_DOC
#include "formats/collect.h"

/* Found by content; another NVD API is counted apart (unsupported). */
static int on_doc(void *ctx, const vd_doc *d)
{
	coll *c = ctx;
	c->docs++;
	snprintf(c->last_where, sizeof c->last_where, "%s", d->where);
	vd_format f;
	int rc = vd_format_to_records(VD_FMT_AUTO, d->doc, &f, keep, NULL, c);
	CHECK_INT(f, VD_FMT_NVD2);
	if (rc == VD_EUNSUPPORTED)
		c->unsupported++;
	else if (rc && !c->conv_bad++)
		snprintf(c->first_bad, sizeof c->first_bad, "%s: %s", d->where, vd_error_msg());
	return VD_OK;
}

static const vd_score *score(const vd_record *r, const char *version, const char *source)
{
	for (size_t i = 0; i < r->n_scores; i++)
		if (strcmp(r->scores[i].version, version) == 0 && strcmp(r->scores[i].source, source) == 0)
			return &r->scores[i];
	return NULL;
}

static const char *ref_type(const vd_record *r, const char *url)
{
	for (size_t i = 0; i < r->n_refs; i++)
		if (strcmp(r->refs[i].url, url) == 0)
			return r->refs[i].type;
	return NULL;
}

static void check_event(const vd_range *g, size_t i, vd_event_kind k, const char *v)
{
	CHECK(i < g->n_events);
	if (i >= g->n_events)
		return;
	CHECK_STR(vd_event_kind_name(g->events[i].kind), vd_event_kind_name(k));
	CHECK_STR(g->events[i].value, v);
}

/* Item counts per file (SOURCES.md); wrappers are never values of their own. */
static void t_counts(void)
{
	static const struct { const char *rel; long records; } files[] = {
		{"pablotron-nvd-go/cves-1999-page.json", 180},
		{"pablotron-nvd-go/cves-2023-page.json", 180},
		{"pablotron-nvd-go/cves-CVE-2023-0001.json", 1},
		{"pablotron-nvd-go/vulnerability-item-CVE-2022-44006.json", 1},
		{"anchore-vunnel/full-page.json", 38},
		{"anchore-vunnel/single-entry.json", 1},
		{"osv.dev/page-13-cves.json", 13},
		{"osv.dev/nvdcve-2.0", 20},
		{"aquasecurity-vuln-list-update/cve-objects", 4},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		coll c = walk(files[i].rel, NULL);
		CHECK_INT(c.records, files[i].records);
		CHECK_INT(c.docs, files[i].records);   /* one value per item: the page was cut */
		CHECK_INT(c.bad, 0);
		CHECK_INT(c.conv_bad, 0);
	}
	coll c = walk("pablotron-nvd-go/cves-2023-page.json", NULL);
	CHECK(strstr(c.last_where, "cves-2023-page.json[179]") != NULL);
	/* the whole tree: 445 items (437 distinct CVEs), two other-API files */
	c = walk("", NULL);
	CHECK_INT(c.records, 445);
	CHECK_INT(c.unsupported, 2);
	CHECK_INT(c.bad, 0);
	CHECK_INT(c.conv_bad, 0);
	/* an empty CVE API response: no records, no complaint */
	c = walk("aquasecurity-vuln-list-update/api-pages/emptyResp.json", NULL);
	CHECK_INT(c.records, 0);
	CHECK_INT(c.bad + c.conv_bad + c.unsupported, 0);
}

/* Other NVD APIs: detected as NVD, refused with a message naming the API. */
static void t_other_apis(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh);
	static const char *files[][2] = {
		{"pablotron-nvd-go/cvehistory-CVE-2019-1010218.json", "CVE Change History API"},
		{"pablotron-nvd-go/cpematch-CVE-2022-32223.json", "CPE Match Criteria API"},
	};
	for (int i = 0; i < 2; i++) {
		char path[8300];
		snprintf(path, sizeof path, "%.4096s/data/nvd2/%s", sh, files[i][0]);
		json_t *doc = json_load_file(path, 0, NULL);
		REQUIRE(doc);
		CHECK_INT(vd_format_detect(doc), VD_FMT_NVD2);
		vd_record *r = NULL;
		CHECK_INT(vd_format_to_record(VD_FMT_AUTO, doc, &r, NULL), VD_EUNSUPPORTED);
		CHECK(strstr(vd_error_msg(), files[i][1]) != NULL);
		CHECK(r == NULL);
		json_decref(doc);
	}
}

/* TensorFlow: V3.1 primary + secondary, V2, CWE, version ranges, tags. */
static void t_tensorflow(void)
{
	const char *want[] = {"CVE-2022-29194", NULL};
	coll c = walk("osv.dev/nvdcve-2.0/CVE-2022-29194.json", want);
	vd_record *r = get(&c, "CVE-2022-29194");
	REQUIRE(r);
	CHECK_INT(r->state, VD_STATE_PUBLISHED);
	CHECK_STR(r->published, "2022-05-20T21:15:10Z");
	CHECK_STR(r->modified, "2022-06-02T12:58:23Z");
	CHECK(strncmp(r->description.en, "TensorFlow is an open source platform for machine learning. Prior to versions "
	              "2.9.0, 2.8.1, 2.7.2, and 2.6.4, the implementation of `tf.raw_ops.DeleteSessionTensor`", 150) == 0);
	CHECK(r->description.zh == NULL);      /* the Spanish text is not kept */
	CHECK_INT(r->n_scores, 3);
	const vd_score *p = score(r, "3.1", "nvd:nvd@nist.gov"), *s = score(r, "3.1", "nvd:security-advisories@github.com"),
	               *v2 = score(r, "2.0", "nvd:nvd@nist.gov");
	REQUIRE(p && s && v2);
	CHECK_STR(p->vector, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H");
	CHECK(p->base == 5.5);
	CHECK_STR(p->severity, "MEDIUM");
	CHECK_STR(v2->vector, "AV:L/AC:L/Au:N/C:N/I:N/A:P");
	CHECK(v2->base == 2.1);
	CHECK_STR(v2->severity, "LOW");       /* V2 severity sits beside cvssData */
	REQUIRE(r->n_cwes == 1);
	CHECK_STR(r->cwes[0], "CWE-20");
	/* six matches of one product: one affected entry, 4 distinct criteria,
	 * 3 ranges, no version (the 2.9.0 rc CPEs carry an update part) */
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->vendor, "google");
	CHECK_STR(a->product, "tensorflow");
	CHECK_STR(a->source, "nvd2");
	REQUIRE(a->n_cpes == 4);
	CHECK_STR(a->cpes[0], "cpe:2.3:a:google:tensorflow:*:*:*:*:*:*:*:*");
	CHECK_STR(a->cpes[1], "cpe:2.3:a:google:tensorflow:2.9.0:rc0:*:*:*:*:*:*");
	CHECK_STR(a->cpes[3], "cpe:2.3:a:google:tensorflow:2.9.0:rc2:*:*:*:*:*:*");
	CHECK(a->vers == NULL);                /* several ranges: no single vers interval */
	CHECK_INT(a->n_versions, 0);
	REQUIRE(a->n_ranges == 3);
	CHECK_STR(a->ranges[0].type, "cpe");
	check_event(&a->ranges[0], 0, VD_EV_INTRODUCED, "0");
	check_event(&a->ranges[0], 1, VD_EV_FIXED, "2.6.4");
	check_event(&a->ranges[1], 0, VD_EV_INTRODUCED, "2.7.0");
	check_event(&a->ranges[1], 1, VD_EV_FIXED, "2.7.2");
	check_event(&a->ranges[2], 0, VD_EV_INTRODUCED, "2.8.0");
	check_event(&a->ranges[2], 1, VD_EV_FIXED, "2.8.1");
	CHECK_INT(r->n_refs, 7);
	CHECK_STR(ref_type(r, "https://github.com/tensorflow/tensorflow/commit/cff267650c6a1b266e4b4500f69fbc49cdd773c5"),
	          "patch");
	CHECK_STR(ref_type(r, "https://github.com/tensorflow/tensorflow/releases/tag/v2.6.4"), "advisory");
	CHECK_STR(ref_type(r, "https://github.com/tensorflow/tensorflow/security/advisories/GHSA-h5g4-ppwx-48q2"),
	          "exploit");
	CHECK_INT(r->n_aliases, 1);
	CHECK_STR(r->aliases[0].source, "nvd2");
	CHECK(has_prov(r, "scores"));
	CHECK(has_prov(r, "affected"));
	CHECK(has_prov(r, "description.en"));
	release(&c);
}

/* Page items: a rejected one, EndIncluding, non-vulnerable platform CPEs. */
static void t_page_items(void)
{
	const char *want[] = {"CVE-2023-45109", "CVE-2022-22377", NULL};
	coll c = walk("anchore-vunnel/full-page.json", want);
	vd_record *r = get(&c, "CVE-2023-45109");
	REQUIRE(r);
	CHECK_STR(r->description.en, "Cross-Site Request Forgery (CSRF) vulnerability in ZAKSTAN WhitePage plugin "
	          "<=\xC2\xA0" "1.1.5 versions.");
	CHECK_STR(r->published, "2023-10-13T14:15:10Z");
	CHECK_INT(r->n_scores, 2);
	const vd_score *s = score(r, "3.1", "nvd:audit@patchstack.com");
	REQUIRE(s);
	CHECK(s->base == 5.4);
	CHECK_STR(s->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:L");
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].vendor, "myback.link");
	CHECK_STR(r->affected[0].product, "whitepage");
	CHECK_STR(r->affected[0].vers, "vers:cpe/<=1.1.5");
	REQUIRE(r->affected[0].n_ranges == 1);
	check_event(&r->affected[0].ranges[0], 0, VD_EV_INTRODUCED, "0");
	check_event(&r->affected[0].ranges[0], 1, VD_EV_LAST_AFFECTED, "1.1.5");
	CHECK_STR(r->cwes[0], "CWE-352");
	CHECK_INT(r->n_refs, 1);
	CHECK_STR(r->refs[0].type, "advisory");

	r = get(&c, "CVE-2022-22377");
	REQUIRE(r);
	CHECK_INT(r->n_affected, 1);           /* the macOS/Windows platform CPEs are not vulnerable */
	CHECK_STR(r->affected[0].product, "security_verify_privilege_on-premises");
	CHECK_INT(r->n_cwes, 1);               /* CWE-311 twice → once */
	CHECK_INT(r->n_scores, 2);             /* same vector, two scorers: both kept */
	CHECK_STR(ref_type(r, "https://exchange.xforce.ibmcloud.com/vulnerabilities/221827"), "advisory");
	release(&c);

	const char *want2[] = {"CVE-1999-1056", NULL};
	c = walk("pablotron-nvd-go/cves-1999-page.json", want2);
	r = get(&c, "CVE-1999-1056");
	REQUIRE(r);
	CHECK_INT(r->state, VD_STATE_REJECTED);
	CHECK_STR(r->published, "1992-12-31T05:00:00Z");
	CHECK_STR(r->modified, "2008-09-09T12:36:47Z");
	CHECK(strncmp(r->description.en, "** REJECT **  DO NOT USE THIS CANDIDATE NUMBER.", 47) == 0);
	CHECK_INT(r->n_scores, 0);
	CHECK_INT(r->n_refs, 0);
	CHECK(vd_record_validate(r) == VD_OK);
	release(&c);
}

/* CVSS 4.0 with a long vector, in a paged response and as a bare cve object. */
static void t_v40_and_bare(void)
{
	const char *want[] = {"CVE-2024-5732", NULL};
	coll c = walk("aquasecurity-vuln-list-update/api-pages/respPage2.json", want);
	vd_record *r = get(&c, "CVE-2024-5732");
	REQUIRE(r);
	const vd_score *s = score(r, "4.0", "nvd:cna@vuldb.com");
	REQUIRE(s);
	CHECK(s->base == 6.9);
	CHECK(strncmp(s->vector, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X/", 68) == 0);
	CHECK(score(r, "3.1", "nvd:nvd@nist.gov") != NULL);
	char *j1 = NULL, *j2 = NULL;
	CHECK_INT(vd_record_to_json(r, &j1), VD_OK);
	release(&c);

	c = walk("aquasecurity-vuln-list-update/cve-objects/CVE-2024-5732.json", want);
	r = get(&c, "CVE-2024-5732");
	REQUIRE(r);
	CHECK_INT(vd_record_to_json(r, &j2), VD_OK);
	CHECK(j1 && j2 && strcmp(j1, j2) == 0);   /* same item, two shapes, same record */
	free(j1);
	free(j2);
	release(&c);

	const char *want2[] = {"CVE-2022-44006", NULL};
	c = walk("pablotron-nvd-go/vulnerability-item-CVE-2022-44006.json", want2);
	CHECK(get(&c, "CVE-2022-44006") != NULL);
	release(&c);
}

/* An uncut page (vulnerabilities before format, built whole) still gives
 * one record per item; bad items are reported, not fatal. */
static void t_uncut_page(void)
{
	json_t *page = json_pack("{s:[{s:{s:s,s:s}},{s:{s:s}},{s:{s:s,s:s}}], s:s, s:i}",
	                         "vulnerabilities",
	                         "cve", "id", "CVE-2020-0001", "vulnStatus", "Analyzed",
	                         "cve", "id", "bogus",
	                         "cve", "id", "CVE-2020-0002", "vulnStatus", "Rejected",
	                         "format", "NVD_CVE", "totalResults", 3);
	REQUIRE(page);
	coll c;
	memset(&c, 0, sizeof c);
	vd_format f;
	int rc = vd_format_to_records(VD_FMT_AUTO, page, &f, keep, NULL, &c);
	CHECK_INT(rc, VD_OK);
	CHECK_INT(f, VD_FMT_NVD2);
	CHECK_INT(c.records, 2);                /* the item with id "bogus" is skipped */
	json_decref(page);
	/* the single-record call returns the first one */
	vd_record *r = NULL;
	json_t *bare = json_pack("{s:s,s:s,s:s}", "id", "CVE-2021-9999", "sourceIdentifier", "x", "published",
	                         "2021-01-01T00:00:00.000");
	CHECK_INT(vd_format_detect(bare), VD_FMT_NVD2);
	CHECK_INT(vd_nvd2_to_record(bare, &r), VD_OK);
	REQUIRE(r);
	CHECK_STR(r->published, "2021-01-01T00:00:00Z");
	vd_record_free(r);
	json_decref(bare);
	json_t *bad = json_pack("{s:{s:i}}", "cve", "id", 5);
	CHECK_INT(vd_nvd2_to_record(bad, &r), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "cve.id") != NULL);
	json_decref(bad);
}

/* The splitter cuts a page held in memory too, whatever its size. */
static void t_split_in_memory(void)
{
	const char *text = "{\"resultsPerPage\":2,\"format\":\"NVD_CVE\",\"vulnerabilities\":["
	                   "{\"cve\":{\"id\":\"CVE-2020-0001\"}},{\"cve\":{\"id\":\"CVE-2020-0002\"}}],"
	                   "\"timestamp\":\"x\"}";
	coll c;
	memset(&c, 0, sizeof c);
	vd_input_sink s = {on_doc, on_bad, NULL, &c};
	CHECK_INT(vd_doc_split("p.json", text, strlen(text), &s), VD_OK);
	CHECK_INT(c.docs, 2);
	CHECK_INT(c.records, 2);
	CHECK_INT(c.bad, 0);
	CHECK_STR(c.last_where, "p.json[1]");
	/* truncated inside an item: reported with the item index */
	memset(&c, 0, sizeof c);
	const char *trunc = "{\"format\":\"NVD_CVE\",\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2020-0001\"}},{\"cve\":{\"id\"";
	CHECK_INT(vd_doc_split("t.json", trunc, strlen(trunc), &s), VD_OK);
	CHECK_INT(c.records, 1);
	CHECK_INT(c.bad, 1);
	CHECK(strstr(c.first_bad, "t.json[1]") != NULL);
	/* a CSAF document's vulnerabilities[] is NOT cut */
	memset(&c, 0, sizeof c);
	const char *csaf = "{\"document\":{\"csaf_version\":\"2.0\"},\"vulnerabilities\":[{\"cve\":\"CVE-2020-0001\"}]}";
	vd_input_sink s2 = {NULL, on_bad, NULL, &c};
	CHECK_INT(vd_doc_split("c.json", csaf, strlen(csaf), &s2), VD_OK);
	CHECK_INT(c.bad, 0);
}

int main(void)
{
	RUN(t_counts);
	RUN(t_other_apis);
	RUN(t_tensorflow);
	RUN(t_page_items);
	RUN(t_v40_and_bare);
	RUN(t_uncut_page);
	RUN(t_split_in_memory);
	return vt_done();
}
