/* CVE JSON 5.x converter: golden records from ../shared/data/cve5, the whole
 * tree, and malformed input. */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <dirent.h>
#include <sys/stat.h>

/* Convert ../shared/data/cve5/<rel>; NULL (and a failed CHECK) on any problem. */
static vd_record *load(const char *rel)
{
	const char *sh = vt_shared();
	CHECK(sh != NULL);
	if (!sh)
		return NULL;
	char path[4096];
	snprintf(path, sizeof path, "%s/data/cve5/%s", sh, rel);
	json_error_t err;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!doc) {
		fprintf(stderr, "  %s: %s (line %d)\n", path, err.text, err.line);
		CHECK(doc != NULL);
		return NULL;
	}
	vd_record *r = NULL;
	int rc = vd_cve5_to_record(doc, &r);
	json_decref(doc);
	if (rc)
		fprintf(stderr, "  %s: %s\n", path, vd_error_msg());
	CHECK_INT(rc, VD_OK);
	return r;
}

static bool has_prefix(const char *s, const char *p)
{
	return s && strncmp(s, p, strlen(p)) == 0;
}

static const vd_score *score(const vd_record *r, const char *version, const char *source)
{
	for (size_t i = 0; i < r->n_scores; i++)
		if (strcmp(r->scores[i].version, version) == 0 && strcmp(r->scores[i].source, source) == 0)
			return &r->scores[i];
	return NULL;
}

static bool has_prov(const vd_record *r, const char *field)
{
	for (size_t i = 0; i < r->n_prov; i++)
		if (strcmp(r->prov[i].field, field) == 0 && strcmp(r->prov[i].source, "cve5") == 0 &&
		    strcmp(r->prov[i].source_id, r->id) == 0)
			return true;
	return false;
}

static void check_event(const vd_range *g, size_t i, vd_event_kind k, const char *v)
{
	CHECK(i < g->n_events);
	if (i >= g->n_events)
		return;
	CHECK_STR(vd_event_kind_name(g->events[i].kind), vd_event_kind_name(k));
	CHECK_STR(g->events[i].value, v);
}

static int count_refs(const vd_record *r, const char *type)
{
	int n = 0;
	for (size_t i = 0; i < r->n_refs; i++)
		n += r->refs[i].type && strcmp(r->refs[i].type, type) == 0;
	return n;
}

/* A REJECTED record: state, dates, reason text, nothing else. */
static void t_rejected(void)
{
	vd_record *r = load("cves/2021/46xxx/CVE-2021-46907.json");
	REQUIRE(r);
	CHECK_STR(r->id, "CVE-2021-46907");
	CHECK_INT(r->state, VD_STATE_REJECTED);
	CHECK_STR(r->published, "2024-02-27T06:53:48Z");
	CHECK_STR(r->modified, "2024-03-19T13:12:47Z");
	CHECK_STR(r->withdrawn, "2024-03-19T13:12:47Z");
	CHECK_STR(r->description.en, "This CVE ID has been rejected or withdrawn by its CVE Numbering Authority.");
	CHECK(r->title.en == NULL && r->title.zh == NULL);
	CHECK_STR(r->publisher, "Linux");
	CHECK_INT(r->n_affected, 0);
	CHECK_INT(r->n_refs, 0);
	CHECK_INT(r->n_scores, 0);
	CHECK_INT(r->n_aliases, 1);
	CHECK_STR(r->aliases[0].id, "CVE-2021-46907");
	CHECK_STR(r->aliases[0].source, "cve5");
	CHECK(has_prov(r, "withdrawn"));
	CHECK(has_prov(r, "description.en"));
	CHECK(vd_record_validate(r) == VD_OK);
	vd_record_free(r);
}

/* VulDB record: CVSS 4.0, 3.1, 3.0 and 2.0 from the CNA, a German description
 * that must be ignored, explicit versions, ADP affected entry with a CPE and a
 * lessThanOrEqual range. */
static void t_vuldb_all_cvss(void)
{
	vd_record *r = load("cves/2024/7xxx/CVE-2024-7065.json");
	REQUIRE(r);
	CHECK_STR(r->id, "CVE-2024-7065");
	CHECK_INT(r->state, VD_STATE_PUBLISHED);
	CHECK_STR(r->published, "2024-07-24T09:31:03Z");
	CHECK_STR(r->modified, "2024-07-29T15:34:52Z");
	CHECK(r->withdrawn == NULL);
	CHECK_STR(r->title.en, "Spina CMS cross-site request forgery");
	CHECK(has_prefix(r->description.en, "A vulnerability was found in Spina CMS up to 2.18.0."));
	CHECK(r->description.zh == NULL);
	CHECK_STR(r->publisher, "VulDB");
	CHECK_INT(r->n_scores, 4);
	const vd_score *s4 = score(r, "4.0", "cna"), *s31 = score(r, "3.1", "cna"),
	               *s30 = score(r, "3.0", "cna"), *s2 = score(r, "2.0", "cna");
	REQUIRE(s4 && s31 && s30 && s2);
	CHECK_STR(s4->vector, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N");
	CHECK(s4->base == 6.9);
	CHECK_STR(s4->severity, "MEDIUM");
	CHECK_STR(s31->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N");
	CHECK(s31->base == 4.3);
	CHECK_STR(s30->vector, "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N");
	CHECK_STR(s2->vector, "AV:N/AC:L/Au:N/C:N/I:P/A:N");
	CHECK(s2->base == 5.0);
	CHECK(s2->severity == NULL);
	CHECK_INT(r->n_cwes, 1);
	CHECK_STR(r->cwes[0], "CWE-352");
	REQUIRE(r->n_affected == 2);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->vendor, "Spina");
	CHECK_STR(a->product, "CMS");
	CHECK_STR(a->source, "cve5");
	CHECK_INT(a->n_ranges, 0);
	CHECK_INT(a->n_versions, 19);
	if (a->n_versions == 19) {
		CHECK_STR(a->versions[0], "2.0");
		CHECK_STR(a->versions[18], "2.18");
	}
	a = &r->affected[1];
	CHECK_STR(a->vendor, "denkgroot");
	CHECK_STR(a->product, "spina");
	CHECK_STR(a->source, "adp:CISA-ADP");
	CHECK_STR(a->default_status, "unknown");
	REQUIRE(a->n_cpes == 1 && a->n_ranges == 1);
	CHECK_STR(a->cpes[0], "cpe:2.3:a:denkgroot:spina:*:*:*:*:*:*:*:*");
	CHECK_STR(a->ranges[0].type, "custom");
	CHECK_INT(a->ranges[0].n_events, 2);
	check_event(&a->ranges[0], 0, VD_EV_INTRODUCED, "0");
	check_event(&a->ranges[0], 1, VD_EV_LAST_AFFECTED, "2.18.0");
	CHECK_INT(r->n_refs, 4);
	CHECK_INT(count_refs(r, "web"), 2);      /* vdb-entry; signature */
	CHECK_INT(count_refs(r, "advisory"), 1); /* third-party-advisory */
	CHECK_INT(count_refs(r, "exploit"), 1);
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "xingfudeshi (VulDB User)");
	CHECK_STR(r->credits[0].type, "reporter");
	CHECK(has_prov(r, "title.en") && has_prov(r, "scores") && has_prov(r, "affected") &&
	      has_prov(r, "cwes") && has_prov(r, "references") && has_prov(r, "published"));
	vd_record_free(r);
}

/* 2005 record with CVSS 2.0 and reference tags in all classes. */
static void t_old_cvss2_ref_types(void)
{
	vd_record *r = load("cves/2005/10xxx/CVE-2005-10003.json");
	REQUIRE(r);
	CHECK_STR(r->id, "CVE-2005-10003");
	CHECK_STR(r->title.en, "mikexstudios Xcomic os command injection");
	CHECK(has_prefix(r->description.en, "A vulnerability classified as critical has been found in mikexstudios Xcomic"));
	const vd_score *s2 = score(r, "2.0", "cna");
	REQUIRE(s2);
	CHECK_STR(s2->vector, "AV:N/AC:H/Au:N/C:P/I:P/A:P");
	CHECK(s2->base == 5.1);
	CHECK_INT(r->n_scores, 4);
	CHECK_INT(r->n_cwes, 1);
	CHECK_STR(r->cwes[0], "CWE-78");
	REQUIRE(r->n_affected == 1);
	CHECK_INT(r->affected[0].n_versions, 3);
	CHECK_INT(r->n_refs, 6);
	REQUIRE(r->n_refs == 6);
	CHECK_STR(r->refs[0].type, "report");   /* vdb-entry + technical-description */
	CHECK_STR(r->refs[1].type, "web");      /* signature */
	CHECK_STR(r->refs[2].type, "exploit");  /* broken-link + exploit */
	CHECK_STR(r->refs[3].type, "patch");
	CHECK_STR(r->refs[4].type, "patch");
	CHECK_STR(r->refs[5].type, "web");      /* related */
	CHECK_STR(r->refs[3].source, "cve5");
	vd_record_free(r);
}

/* GitHub: lessThanOrEqual with changes[] → introduced/fixed at the change. */
static void t_lte_with_changes(void)
{
	vd_record *r = load("cves/2024/7xxx/CVE-2024-7711.json");
	REQUIRE(r);
	CHECK_STR(r->published, "2024-08-20T19:17:37Z");
	CHECK(has_prefix(r->description.en, "An Incorrect Authorization vulnerability was identified in GitHub Enterprise Server"));
	CHECK(r->title.en == NULL);
	CHECK_STR(r->publisher, "GitHub_P");
	const vd_score *s4 = score(r, "4.0", "cna");
	REQUIRE(s4);
	CHECK_STR(s4->vector, "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:L/SI:L/SA:N/S:N/AU:Y/R:U/V:D/RE:L/U:Amber");
	CHECK(s4->base == 5.3);
	CHECK_INT(r->n_scores, 1);
	CHECK_INT(r->n_cwes, 1);
	CHECK_STR(r->cwes[0], "CWE-863");
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->vendor, "GitHub");
	CHECK_STR(a->product, "GitHub Enterprise Server");
	CHECK_STR(a->default_status, "affected");
	REQUIRE(a->n_ranges == 3);
	static const char *lo[] = {"3.11.0", "3.12.0", "3.13.0"}, *fx[] = {"3.11.14", "3.12.8", "3.13.3"};
	for (int i = 0; i < 3; i++) {
		CHECK_STR(a->ranges[i].type, "semver");
		CHECK_INT(a->ranges[i].n_events, 2);
		check_event(&a->ranges[i], 0, VD_EV_INTRODUCED, lo[i]);
		check_event(&a->ranges[i], 1, VD_EV_FIXED, fx[i]);
	}
	CHECK_INT(r->n_refs, 3);
	CHECK_INT(count_refs(r, "web"), 3);
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "ahacker1");
	CHECK_STR(r->credits[0].type, "finder");
	vd_record_free(r);
}

/* Microsoft: cpes, en-US description, lessThan range, no CWE (Impact type),
 * timestamp without a zone, the ADP copy of the reference deduplicated. */
static void t_cpes_en_us(void)
{
	vd_record *r = load("cves/2022/33xxx/CVE-2022-33672.json");
	REQUIRE(r);
	CHECK_STR(r->published, "2022-07-12T22:38:37Z");
	CHECK_STR(r->modified, "2024-09-11T14:25:13Z");
	CHECK_STR(r->title.en, "Azure Site Recovery Elevation of Privilege Vulnerability");
	CHECK_STR(r->description.en, "Azure Site Recovery Elevation of Privilege Vulnerability");
	CHECK_INT(r->n_cwes, 0);
	const vd_score *s = score(r, "3.1", "cna");
	REQUIRE(s);
	CHECK_STR(s->vector, "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:N/I:H/A:H/E:P/RL:O/RC:C");
	CHECK(s->base == 6.5);
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->vendor, "Microsoft");
	CHECK_STR(a->product, "Azure Site Recovery VMWare to Azure");
	REQUIRE(a->n_cpes == 1);
	CHECK_STR(a->cpes[0], "cpe:2.3:a:microsoft:azure_site_recovery:*:*:*:*:*:*:*:*");
	CHECK(a->default_status == NULL);
	REQUIRE(a->n_ranges == 1);
	CHECK_STR(a->ranges[0].type, "custom");
	CHECK_INT(a->ranges[0].n_events, 2);
	check_event(&a->ranges[0], 0, VD_EV_INTRODUCED, "9.0");
	check_event(&a->ranges[0], 1, VD_EV_FIXED, "9.49");
	CHECK_INT(r->n_refs, 1);
	CHECK_INT(count_refs(r, "advisory"), 1);
	vd_record_free(r);
}

/* 1999 record: CVSS and CWE only from the CISA ADP container. */
static void t_adp_cvss(void)
{
	vd_record *r = load("cves/1999/0xxx/CVE-1999-0006.json");
	REQUIRE(r);
	CHECK_STR(r->published, "1999-09-29T04:00:00Z");
	CHECK_STR(r->modified, "2024-08-01T18:53:34Z");
	CHECK(r->title.en == NULL);
	CHECK(has_prefix(r->description.en, "Buffer overflow in POP servers based on BSD/Qualcomm's qpopper"));
	CHECK_STR(r->publisher, "mitre");
	CHECK_INT(r->n_scores, 1);
	const vd_score *s = score(r, "3.1", "adp:CISA-ADP");
	REQUIRE(s);
	CHECK_STR(s->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	CHECK(s->base == 9.8);
	CHECK_STR(s->severity, "CRITICAL");
	CHECK_INT(r->n_cwes, 1);
	CHECK_STR(r->cwes[0], "CWE-121");
	REQUIRE(r->n_affected == 2);
	CHECK_STR(r->affected[0].vendor, "n/a");
	CHECK_INT(r->affected[0].n_versions, 1);
	CHECK_STR(r->affected[1].product, "qpopper");
	CHECK_STR(r->affected[1].source, "adp:CISA-ADP");
	REQUIRE(r->affected[1].n_cpes == 1 && r->affected[1].n_versions == 1);
	CHECK_STR(r->affected[1].cpes[0], "cpe:2.3:a:qualcomm:qpopper:2.4:*:*:*:*:*:*:*");
	CHECK_STR(r->affected[1].versions[0], "2.4");
	CHECK_INT(r->n_refs, 2);
	CHECK_INT(count_refs(r, "advisory"), 1);
	vd_record_free(r);
}

/* The CVE schema's advanced example: changes on an unaffected entry, an
 * Esperanto description, solutions, three credits, no datePublished. */
static void t_schema_advanced(void)
{
	vd_record *r = load("schema-examples/CVEv5_advanced-example.json");
	REQUIRE(r);
	CHECK_STR(r->id, "CVE-1337-1234");
	CHECK_INT(r->state, VD_STATE_PUBLISHED);
	CHECK(r->published == NULL);
	CHECK_STR(r->modified, "2021-09-08T16:24:00Z");   /* from cna.providerMetadata */
	CHECK_STR(r->title.en, "Buffer overflow in Example Enterprise allows Privilege Escalation.");
	CHECK(has_prefix(r->description.en, "OS Command Injection vulnerability parseFilename function"));
	CHECK_STR(r->solution.en, "This issue is fixed in 1.0.6, 2.1.9, and 3.0.0 and all later versions.");
	CHECK_STR(r->publisher, "example");
	CHECK_INT(r->n_scores, 3);
	const vd_score *s4 = score(r, "4.0", "cna");
	REQUIRE(s4);
	CHECK(s4->base == 7.8);
	CHECK_INT(r->n_cwes, 1);
	CHECK_STR(r->cwes[0], "CWE-78");
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->vendor, "Example.org");
	CHECK_STR(a->product, "Example Enterprise");
	CHECK_STR(a->package, "example_enterprise");
	CHECK(a->ecosystem == NULL);
	CHECK_STR(a->default_status, "unaffected");
	REQUIRE(a->n_ranges == 2);   /* third entry is unaffected only: skipped */
	CHECK_STR(a->ranges[0].type, "semver");
	check_event(&a->ranges[0], 0, VD_EV_INTRODUCED, "1.0.0");
	check_event(&a->ranges[0], 1, VD_EV_FIXED, "1.0.6");
	CHECK_INT(a->ranges[1].n_events, 2);
	check_event(&a->ranges[1], 0, VD_EV_INTRODUCED, "2.1.6");
	check_event(&a->ranges[1], 1, VD_EV_FIXED, "2.1.9");
	REQUIRE(r->n_refs == 4);
	CHECK_STR(r->refs[0].type, "advisory");
	CHECK_STR(r->refs[1].type, "advisory");   /* technical-description + third-party-advisory */
	CHECK_STR(r->refs[2].type, "report");
	CHECK_STR(r->refs[3].type, "web");
	REQUIRE(r->n_credits == 3);
	CHECK_STR(r->credits[2].name, "Acme Autofuzz");
	CHECK_STR(r->credits[2].type, "tool");
	CHECK(has_prov(r, "solution.en"));
	vd_record_free(r);
}

/* Log4Shell: a changes[] timeline with three affected stretches. */
static void t_log4j_changes(void)
{
	vd_record *r = load("cves/2021/44xxx/CVE-2021-44228.json");
	REQUIRE(r);
	CHECK_STR(r->published, "2021-12-10T00:00:00Z");
	CHECK_STR(r->modified, "2025-02-04T14:25:37Z");
	CHECK_STR(r->title.en, "Apache Log4j2 JNDI features do not protect against attacker controlled LDAP and other JNDI related endpoints");
	CHECK(has_prefix(r->description.en, "Apache Log4j2 2.0-beta9 through 2.15.0"));
	REQUIRE(r->n_cwes == 3);
	CHECK_STR(r->cwes[0], "CWE-502");
	CHECK_STR(r->cwes[1], "CWE-400");
	CHECK_STR(r->cwes[2], "CWE-20");
	CHECK_INT(r->n_scores, 1);
	const vd_score *s = score(r, "3.1", "adp:CISA-ADP");
	REQUIRE(s);
	CHECK_STR(s->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
	CHECK(s->base == 10.0);
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->vendor, "Apache Software Foundation");
	CHECK_STR(a->product, "Apache Log4j2");
	REQUIRE(a->n_ranges == 1);
	const vd_range *g = &a->ranges[0];
	CHECK_STR(g->type, "custom");
	CHECK_INT(g->n_events, 6);
	check_event(g, 0, VD_EV_INTRODUCED, "2.0-beta9");
	check_event(g, 1, VD_EV_FIXED, "2.3.1");
	check_event(g, 2, VD_EV_INTRODUCED, "2.4");
	check_event(g, 3, VD_EV_FIXED, "2.12.2");
	check_event(g, 4, VD_EV_INTRODUCED, "2.13.0");
	check_event(g, 5, VD_EV_FIXED, "2.15.0");
	CHECK_INT(r->n_refs, 51);   /* unique urls over cna + adp */
	REQUIRE(r->n_credits == 1);
	CHECK(has_prefix(r->credits[0].name, "This issue was discovered by Chen Zhaojun"));
	CHECK(r->credits[0].type == NULL);
	vd_record_free(r);
}

/* Linux kernel: git ranges carry the repo; the unaffected-only entry keeps
 * nothing but its defaultStatus. */
static void t_linux_git(void)
{
	vd_record *r = load("cves/2025/21xxx/CVE-2025-21772.json");
	REQUIRE(r);
	CHECK_STR(r->title.en, "partitions: mac: fix handling of bogus partition table");
	CHECK(has_prefix(r->description.en, "In the Linux kernel, the following vulnerability has been resolved:"));
	CHECK_STR(r->published, "2025-02-27T02:18:19Z");
	CHECK_INT(r->n_scores, 0);
	CHECK_INT(r->n_cwes, 0);
	REQUIRE(r->n_affected == 2);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->default_status, "unaffected");
	REQUIRE(a->n_ranges == 8);
	CHECK_STR(a->ranges[0].type, "git");
	CHECK_STR(a->ranges[0].repo, "https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git");
	check_event(&a->ranges[0], 0, VD_EV_INTRODUCED, "1da177e4c3f41524e886b7f1b8a0c1fc7321cac2");
	check_event(&a->ranges[0], 1, VD_EV_FIXED, "a3e77da9f843e4ab93917d30c314f0283e28c124");
	check_event(&a->ranges[7], 1, VD_EV_FIXED, "80e648042e512d5a767da251d44132553fe04ae0");
	a = &r->affected[1];
	CHECK_STR(a->default_status, "affected");
	CHECK_INT(a->n_ranges, 0);
	CHECK_INT(a->n_versions, 0);
	CHECK_INT(r->n_refs, 8);
	CHECK_INT(count_refs(r, "web"), 8);
	vd_record_free(r);
}

/* curl: CWE only in the description text; 95 single-version lte ranges. */
static void t_curl_cwe_from_text(void)
{
	vd_record *r = load("cves/2024/7xxx/CVE-2024-7264.json");
	REQUIRE(r);
	CHECK_STR(r->title.en, "ASN.1 date parser overread");
	REQUIRE(r->n_cwes == 1);
	CHECK_STR(r->cwes[0], "CWE-125");
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->default_status, "unaffected");
	REQUIRE(a->n_ranges == 95);
	check_event(&a->ranges[0], 0, VD_EV_INTRODUCED, "8.9.0");
	check_event(&a->ranges[0], 1, VD_EV_LAST_AFFECTED, "8.9.0");
	check_event(&a->ranges[94], 1, VD_EV_LAST_AFFECTED, "7.32.0");
	const vd_score *s = score(r, "3.1", "adp:CISA-ADP");
	REQUIRE(s);
	CHECK(s->base == 6.3);
	CHECK_INT(r->n_refs, 8);
	REQUIRE(r->n_credits == 2);
	CHECK_STR(r->credits[1].type, "remediation developer");
	vd_record_free(r);
}

/* Go: collectionURL pkg.go.dev → ecosystem Go; "CWE-400: ..." text. */
static void t_go_ecosystem(void)
{
	vd_record *r = load("cves/2023/39xxx/CVE-2023-39321.json");
	REQUIRE(r);
	CHECK_STR(r->title.en, "Panic when processing post-handshake message on QUIC connections in crypto/tls");
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK_STR(a->ecosystem, "Go");
	CHECK_STR(a->package, "crypto/tls");
	CHECK_STR(a->vendor, "Go standard library");
	REQUIRE(a->n_ranges == 1);
	CHECK_STR(a->ranges[0].type, "semver");
	check_event(&a->ranges[0], 0, VD_EV_INTRODUCED, "1.21.0-0");
	check_event(&a->ranges[0], 1, VD_EV_FIXED, "1.21.1");
	REQUIRE(r->n_cwes == 1);
	CHECK_STR(r->cwes[0], "CWE-400");
	CHECK_STR(r->publisher, "Go");
	vd_record_free(r);
}

/* ---- the whole tree ---- */
typedef struct {
	int total, published, rejected, failed, with_desc, with_scores, json_ok;
} walk_stats;

static void walk(const char *dir, walk_stats *st, int depth)
{
	DIR *d = opendir(dir);
	if (!d || depth > 8) {
		if (d)
			closedir(d);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &sb))
			continue;
		if (S_ISDIR(sb.st_mode)) {
			walk(path, st, depth + 1);
			continue;
		}
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		st->total++;
		json_error_t err;
		json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
		vd_record *r = NULL;
		if (!doc || vd_cve5_to_record(doc, &r)) {
			fprintf(stderr, "  %s: %s\n", path, doc ? vd_error_msg() : err.text);
			st->failed++;
		} else {
			st->published += r->state == VD_STATE_PUBLISHED;
			st->rejected += r->state == VD_STATE_REJECTED;
			st->with_desc += r->description.en != NULL;
			st->with_scores += r->n_scores > 0;
			/* the record survives the canonical JSON round trip */
			char *js = NULL;
			vd_record *back = NULL;
			if (vd_record_to_json(r, &js) == VD_OK &&
			    vd_record_from_json(js, strlen(js), &back) == VD_OK && back &&
			    strcmp(back->id, r->id) == 0 && back->n_affected == r->n_affected &&
			    back->n_scores == r->n_scores && back->n_refs == r->n_refs)
				st->json_ok++;
			free(js);
			vd_record_free(back);
			vd_record_free(r);
		}
		json_decref(doc);
	}
	closedir(d);
}

static void t_whole_tree(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh);
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/data/cve5/cves", sh);
	walk_stats st = {0};
	walk(dir, &st, 0);
	CHECK_INT(st.total, 1414);
	CHECK_INT(st.failed, 0);
	CHECK_INT(st.published, 1317);
	CHECK_INT(st.rejected, 97);
	CHECK_INT(st.with_desc, 1414);   /* every record has English text (or a rejection reason) */
	CHECK(st.with_scores > 1000);
	CHECK_INT(st.json_ok, 1414);
}

/* ---- synthetic and malformed input ---- */
static int conv_str(const char *text, vd_record **out)
{
	json_error_t err;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (!doc) {
		fprintf(stderr, "  bad test JSON: %s\n", err.text);
		return 99;
	}
	int rc = vd_cve5_to_record(doc, out);
	json_decref(doc);
	return rc;
}

static void expect_einval(const char *text, const char *needle)
{
	vd_record *r = (vd_record *)1;
	int rc = conv_str(text, &r);
	CHECK_INT(rc, VD_EINVAL);
	CHECK(r == NULL);
	if (!strstr(vd_error_msg(), needle)) {
		fprintf(stderr, "  message '%s' does not name '%s'\n", vd_error_msg(), needle);
		CHECK(0);
	}
}

static void t_malformed(void)
{
	expect_einval("[]", "expected a JSON object");
	expect_einval("\"CVE-2024-0001\"", "expected a JSON object");
	expect_einval("{}", "cveMetadata: missing");
	expect_einval("{\"cveMetadata\": []}", "cveMetadata: expected an object");
	expect_einval("{\"cveMetadata\": {\"state\": \"PUBLISHED\"}, \"containers\": {\"cna\": {}}}",
	              "cveMetadata.cveId: missing");
	expect_einval("{\"cveMetadata\": {\"cveId\": 2024, \"state\": \"PUBLISHED\"}, \"containers\": {\"cna\": {}}}",
	              "cveMetadata.cveId: expected a string, got integer");
	expect_einval("{\"cveMetadata\": {\"cveId\": \"CVE-24-1\", \"state\": \"PUBLISHED\"}, \"containers\": {\"cna\": {}}}",
	              "cveMetadata.cveId: 'CVE-24-1' is not a CVE id");
	expect_einval("{\"cveMetadata\": {\"cveId\": \"CVE-2024-123\", \"state\": \"PUBLISHED\"}, \"containers\": {\"cna\": {}}}",
	              "cveMetadata.cveId");
	expect_einval("{\"cveMetadata\": {\"cveId\": \"CVE-2024-1234x\", \"state\": \"PUBLISHED\"}, \"containers\": {\"cna\": {}}}",
	              "cveMetadata.cveId: 'CVE-2024-1234x' is not a CVE id");
	expect_einval("{\"cveMetadata\": {\"cveId\": \"cve-2024-1234\", \"state\": \"PUBLISHED\"}, \"containers\": {\"cna\": {}}}",
	              "cveMetadata.cveId");
	expect_einval("{\"cveMetadata\": {\"cveId\": \"CVE-2024-1234\"}, \"containers\": {\"cna\": {}}}",
	              "cveMetadata.state: missing");
	expect_einval("{\"cveMetadata\": {\"cveId\": \"CVE-2024-1234\", \"state\": \"RESERVED\"}, \"containers\": {\"cna\": {}}}",
	              "cveMetadata.state: unknown value 'RESERVED'");
	expect_einval("{\"cveMetadata\": {\"cveId\": \"CVE-2024-1234\", \"state\": \"PUBLISHED\"}}",
	              "containers: missing");
	expect_einval("{\"cveMetadata\": {\"cveId\": \"CVE-2024-1234\", \"state\": \"PUBLISHED\"}, \"containers\": {\"cna\": 1}}",
	              "containers.cna: expected an object");
	expect_einval("{\"dataType\": \"CVE_RECORD\", \"dataVersion\": \"4.0\", \"cveMetadata\": {}}",
	              "dataVersion");
	expect_einval("{\"dataType\": \"NVD_CVE\", \"cveMetadata\": {}}", "dataType");
	vd_record *r = (vd_record *)1;
	CHECK_INT(vd_cve5_to_record(NULL, &r), VD_EINVAL);
	CHECK(r == NULL);
}

/* Optional fields of the wrong type are skipped, not fatal. */
static void t_tolerant(void)
{
	vd_record *r = NULL;
	int rc = conv_str("{\"dataType\": \"CVE_RECORD\", \"dataVersion\": \"5.1\","
	                  "\"cveMetadata\": {\"cveId\": \"CVE-2024-99999\", \"state\": \"PUBLISHED\","
	                  "  \"datePublished\": 17, \"dateUpdated\": \"not a date\"},"
	                  "\"containers\": {\"cna\": {\"title\": [], \"descriptions\": {\"lang\": \"en\"},"
	                  "  \"metrics\": [1, {\"cvssV3_1\": {\"vectorString\": 3}}, {\"cvssV3_1\": {\"vectorString\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\", \"baseScore\": \"9.8\"}}],"
	                  "  \"problemTypes\": [{\"descriptions\": [{\"cweId\": \"CWE-79x\"}, {\"cweId\": \"NVD-CWE-Other\"}, {\"cweId\": 79}, {\"cweId\": \"CWE-89\"}]}],"
	                  "  \"affected\": [null, 3, {\"vendor\": 5, \"product\": \"p\", \"versions\": [null, {\"version\": \"1\"},"
	                  "     {\"version\": \"1.0\", \"status\": \"affected\", \"lessThan\": \"*\"},"
	                  "     {\"version\": \"2.0\", \"status\": \"unaffected\", \"lessThan\": \"3.0\"},"
	                  "     {\"version\": \"n/a\", \"status\": \"affected\", \"lessThanOrEqual\": \"4.0\", \"changes\": [7, {\"at\": 5}]}],"
	                  "     \"cpes\": [1, \"cpe:2.3:a:x:p:*:*:*:*:*:*:*:*\"]}],"
	                  "  \"references\": [{\"url\": \"https://x.example/a\", \"tags\": \"patch\"}, {\"url\": 4}, \"u\"],"
	                  "  \"credits\": [{\"value\": null}, {\"value\": \"Eve\", \"type\": 2}]},"
	                  "  \"adp\": {\"x\": 1}}}", &r);
	CHECK_INT(rc, VD_OK);
	REQUIRE(r);
	CHECK_STR(r->id, "CVE-2024-99999");
	CHECK(r->published == NULL && r->modified == NULL);
	CHECK(r->title.en == NULL && r->description.en == NULL);
	REQUIRE(r->n_scores == 1);
	CHECK(r->scores[0].base < 0);
	REQUIRE(r->n_cwes == 1);
	CHECK_STR(r->cwes[0], "CWE-89");
	REQUIRE(r->n_affected == 1);
	const vd_affected *a = &r->affected[0];
	CHECK(a->vendor == NULL);
	CHECK_STR(a->product, "p");
	CHECK_INT(a->n_cpes, 1);
	REQUIRE(a->n_ranges == 2);
	CHECK_INT(a->ranges[0].n_events, 1);   /* lessThan "*": open-ended */
	check_event(&a->ranges[0], 0, VD_EV_INTRODUCED, "1.0");
	CHECK_INT(a->ranges[1].n_events, 2);
	check_event(&a->ranges[1], 0, VD_EV_INTRODUCED, "0");
	check_event(&a->ranges[1], 1, VD_EV_LAST_AFFECTED, "4.0");
	REQUIRE(r->n_refs == 1);
	CHECK_STR(r->refs[0].type, "web");
	REQUIRE(r->n_credits == 1);
	CHECK(r->credits[0].type == NULL);
	vd_record_free(r);
}

/* No zh text exists in the sample data, so a synthetic record checks the
 * language choice: zh-CN description → description.zh, title follows it;
 * exact "en" wins over "en-US"; other languages are ignored. */
static void t_languages(void)
{
	vd_record *r = NULL;
	int rc = conv_str("{\"cveMetadata\": {\"cveId\": \"CVE-2024-0002\", \"state\": \"PUBLISHED\","
	                  "  \"datePublished\": \"2024-01-02T03:04:05+08:00\"},"
	                  "\"containers\": {\"cna\": {\"title\": \"\\u7f13\\u51b2\\u533a\\u6ea2\\u51fa\","
	                  "  \"descriptions\": [{\"lang\": \"de\", \"value\": \"Puffer\"},"
	                  "                     {\"lang\": \"zh-CN\", \"value\": \"\\u67d0\\u4ea7\\u54c1\\u5b58\\u5728\\u7f13\\u51b2\\u533a\\u6ea2\\u51fa\"}],"
	                  "  \"solutions\": [{\"lang\": \"zh\", \"value\": \"\\u5347\\u7ea7\"}, {\"lang\": \"en\", \"value\": \"Upgrade.\"},"
	                  "                  {\"lang\": \"en\", \"value\": \"Or disable it.\"}]}}}", &r);
	CHECK_INT(rc, VD_OK);
	REQUIRE(r);
	CHECK_STR(r->published, "2024-01-01T19:04:05Z");
	CHECK_STR(r->title.zh, "缓冲区溢出");
	CHECK(r->title.en == NULL);
	CHECK_STR(r->description.zh, "某产品存在缓冲区溢出");
	CHECK(r->description.en == NULL);
	CHECK_STR(r->solution.zh, "升级");
	CHECK_STR(r->solution.en, "Upgrade.\n\nOr disable it.");
	CHECK(has_prov(r, "title.zh") && has_prov(r, "description.zh"));
	CHECK(has_prov(r, "published"));
	vd_record_free(r);

	r = NULL;
	rc = conv_str("{\"cveMetadata\": {\"cveId\": \"CVE-2024-0003\", \"state\": \"PUBLISHED\"},"
	              "\"containers\": {\"cna\": {\"title\": \"T\","
	              "  \"references\": [{\"url\": \"https://x.example/poc\", \"tags\": [\"third-party-advisory\", \"exploit\", \"patch\"]},"
	              "                  {\"url\": \"https://x.example/fix\", \"tags\": [\"x_refsource_CONFIRM\", \"patch\", \"issue-tracking\"]}],"
	              "  \"descriptions\": [{\"lang\": \"enm\", \"value\": \"not english\"}, {\"lang\": \"en-US\", \"value\": \"regional\"},"
	              "                     {\"lang\": \"en\", \"value\": \"plain\"}]}}}", &r);
	CHECK_INT(rc, VD_OK);
	REQUIRE(r);
	CHECK_STR(r->title.en, "T");
	CHECK_STR(r->description.en, "plain");
	REQUIRE(r->n_refs == 2);
	CHECK_STR(r->refs[0].type, "exploit");   /* exploit outranks every other tag */
	CHECK_STR(r->refs[1].type, "patch");
	vd_record_free(r);

	r = NULL;
	rc = conv_str("{\"cveMetadata\": {\"cveId\": \"CVE-2024-0004\", \"state\": \"PUBLISHED\"},"
	              "\"containers\": {\"cna\": {\"descriptions\": [{\"lang\": \"enm\", \"value\": \"x\"},"
	              "  {\"lang\": \"en_GB\", \"value\": \"colour\"}]}}}", &r);
	CHECK_INT(rc, VD_OK);
	REQUIRE(r);
	CHECK_STR(r->description.en, "colour");
	vd_record_free(r);
}

int main(void)
{
	RUN(t_rejected);
	RUN(t_vuldb_all_cvss);
	RUN(t_old_cvss2_ref_types);
	RUN(t_lte_with_changes);
	RUN(t_cpes_en_us);
	RUN(t_adp_cvss);
	RUN(t_schema_advanced);
	RUN(t_log4j_changes);
	RUN(t_linux_git);
	RUN(t_curl_cwe_from_text);
	RUN(t_go_ecosystem);
	RUN(t_whole_tree);
	RUN(t_malformed);
	RUN(t_tolerant);
	RUN(t_languages);
	return vt_done();
}
