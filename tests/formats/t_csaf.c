/* CSAF 2.0 reader: one record per vulnerability over ../shared/data/csaf,
 * records field by field (checked by reading the JSON), and the OASIS
 * validator test documents as robustness input. */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>

#define COLLECT_FMT VD_FMT_CSAF
#define COLLECT_SRC "csaf"
#define COLLECT_OWN_ON_DOC
#include "formats/collect.h"

/* Found by content; one record per vulnerability. */
static int on_doc(void *ctx, const vd_doc *d)
{
	coll *c = ctx;
	c->docs++;
	vd_format f;
	int rc = vd_format_to_records(VD_FMT_AUTO, d->doc, &f, keep, part_bad, c);
	if (rc && !c->conv_bad++)
		snprintf(c->first_bad, sizeof c->first_bad, "%s: %s", d->where, vd_error_msg());
	return VD_OK;
}

static bool has_ref_type(const vd_record *r, const char *url, const char *type)
{
	for (size_t i = 0; i < r->n_refs; i++)
		if (strcmp(r->refs[i].url, url) == 0)
			return !type || strcmp(r->refs[i].type, type) == 0;
	return false;
}

static bool has_csaf_prov(const vd_record *r, const char *field)
{
	for (size_t i = 0; i < r->n_prov; i++)
		if (strcmp(r->prov[i].field, field) == 0 && strcmp(r->prov[i].source, "csaf") == 0)
			return true;
	return false;
}

/* 74 CISA documents → 197 vulnerabilities; the OASIS examples → 59, and one
 * informational advisory without vulnerabilities is refused with a reason. */
static void t_counts(void)
{
	coll c = walk("cisagov-csaf", NULL);
	CHECK_INT(c.docs, 74);
	CHECK_INT(c.records, 197);
	CHECK_INT(c.bad + c.conv_bad + c.part_bad, 0);
	if (c.conv_bad)
		fprintf(stderr, "  %s\n", c.first_bad);
	c = walk("oasis-examples", NULL);
	CHECK_INT(c.docs, 19);   /* SOURCES.md says 20 files; 19 are in this slice */
	CHECK_INT(c.records, 59);
	CHECK_INT(c.conv_bad, 1);
	CHECK(strstr(c.first_bad, "rhsa-2019_1862.json") && strstr(c.first_bad, "no vulnerabilities"));
	c = walk("cisagov-csaf/IT/white/2024/va-24-201-01.json", NULL);
	CHECK_INT(c.records, 3);
}

/* BSI example: one vulnerability, product tree with CPEs, document title. */
static void t_bsi(void)
{
	const char *want[] = {"CVE-2022-27193", NULL};
	coll c = walk("oasis-examples/bsi-2022-0001.json", want);
	vd_record *r = get(&c, "CVE-2022-27193");
	REQUIRE(r);
	CHECK_INT(r->state, VD_STATE_PUBLISHED);
	CHECK_STR(r->title.en, "CVRF-CSAF-Converter: XML External Entities Vulnerability");
	CHECK(strncmp(r->description.en, "CSAF Tools CVRF-CSAF-Converter 1.0.0-rc1 resolves XML External Entities (XXE).",
	              78) == 0);
	CHECK_STR(r->publisher, "Bundesamt für Sicherheit in der Informationstechnik");
	CHECK_STR(r->published, "2022-03-17T13:03:42Z");
	CHECK_STR(r->modified, "2022-03-17T13:03:42Z");
	REQUIRE(r->n_cwes == 1);
	CHECK_STR(r->cwes[0], "CWE-611");
	REQUIRE(r->n_scores == 1);
	CHECK_STR(r->scores[0].version, "3.1");
	CHECK_STR(r->scores[0].vector, "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:L/E:F/RL:O/RC:C");
	CHECK(r->scores[0].base == 6.1);
	CHECK_STR(r->scores[0].source, "csaf");
	REQUIRE(r->n_affected == 5);      /* known_affected 0001..0005; 0006 is fixed */
	CHECK_STR(r->affected[0].product, "CSAF Tools CVRF-CSAF-Converter 1.0.0-alpha");
	CHECK_STR(r->affected[0].vendor, "CSAF Tools");
	REQUIRE(r->affected[0].n_versions == 1);
	CHECK_STR(r->affected[0].versions[0], "1.0.0-alpha");
	REQUIRE(r->affected[0].n_cpes == 1);
	CHECK_STR(r->affected[0].cpes[0], "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha");
	CHECK_STR(r->affected[0].default_status, "known_affected");
	CHECK_STR(r->affected[4].versions[0], "1.0.0-rc1");
	CHECK_STR(r->solution.en, "vendor_fix: Update to the latest version of the product. At least version 1.0.0-rc2 "
	          "https://github.com/csaf-tools/CVRF-CSAF-Converter/releases/tag/1.0.0-rc2");
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "Damian Pfammatter");
	CHECK_INT(r->n_aliases, 2);       /* id + advisory id; the GitHub issue id is not a vulnerability id */
	CHECK(r->source_key != NULL);     /* stored per advisory, so another vendor's advisory doesn't replace it */
	CHECK(has_csaf_prov(r, "affected"));
	CHECK(has_csaf_prov(r, "title.en"));
	release(&c);
}

/* Cisco: title per vulnerability, summary note, 259 affected products, CVSS 3.0. */
static void t_cisco(void)
{
	const char *want[] = {"CVE-2018-0171", NULL};
	coll c = walk("oasis-examples/cisco-sa-20180328-smi2.json", want);
	vd_record *r = get(&c, "CVE-2018-0171");
	REQUIRE(r);
	CHECK_STR(r->title.en, "Cisco IOS and IOS XE Software Smart Install Remote Code Execution Vulnerability");
	CHECK(strncmp(r->description.en, "A vulnerability in the Smart Install feature of Cisco IOS Software", 66) == 0);
	CHECK_STR(r->publisher, "Cisco PSIRT");
	CHECK_STR(r->published, "2018-03-28T16:00:00Z");
	CHECK_STR(r->modified, "2018-04-17T15:08:41Z");
	CHECK_INT(r->n_affected, 259);
	bool found = false;
	for (size_t i = 0; i < r->n_affected; i++)
		if (r->affected[i].product && strcmp(r->affected[i].product, "Cisco IOS 12.2EY 12.2(55)EY") == 0)
			found = r->affected[i].n_versions == 1 && strcmp(r->affected[i].versions[0], "12.2EY") == 0;
	CHECK(found);
	REQUIRE(r->n_scores == 1);
	CHECK_STR(r->scores[0].version, "3.0");
	CHECK(r->scores[0].base == 9.8);
	CHECK_STR(r->scores[0].severity, "CRITICAL");
	CHECK(r->solution.en && strncmp(r->solution.en, "workaround: There are no workarounds", 36) == 0);
	release(&c);
}

/* Red Hat: description in a "general" note, fixed-only status, acknowledgment. */
static void t_redhat(void)
{
	const char *want[] = {"CVE-2021-4133", NULL};
	coll c = walk("oasis-examples/rhsa-2021_5217.json", want);
	vd_record *r = get(&c, "CVE-2021-4133");
	REQUIRE(r);
	CHECK_STR(r->description.en, "Keycloak: Incorrect authorization allows unpriviledged users to create other users");
	CHECK_STR(r->published, "2021-12-16T17:05:00Z");   /* release_date of the vulnerability */
	CHECK_STR(r->modified, "2021-12-20T16:16:00Z");
	CHECK_STR(r->publisher, "Red Hat Product Security");
	CHECK_STR(r->cwes[0], "CWE-863");
	CHECK_INT(r->n_affected, 0);      /* only "fixed" products */
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "Grzegorz Sobański");
	CHECK(has_ref_type(r, "https://github.com/keycloak/keycloak/issues/9247", "web"));
	CHECK(r->solution.en && strncmp(r->solution.en, "vendor_fix: Before applying the update", 38) == 0);
	release(&c);
}

/* CISA IT advisory with a version-range product and a self reference. */
static void t_cisa(void)
{
	const char *want[] = {"CVE-2024-43201", NULL};
	coll c = walk("cisagov-csaf/IT/white/2024/va-24-262-01.json", want);
	vd_record *r = get(&c, "CVE-2024-43201");
	REQUIRE(r);
	CHECK_STR(r->title.en, "Planet Fitness Workouts mobile apps do not properly validate TLS certificates");
	CHECK(strncmp(r->description.en, "The Planet Fitness Workouts iOS and Android mobile apps prior to version 9.8.12", 79) == 0);
	CHECK_STR(r->published, "2024-07-25T16:00:00Z");
	CHECK_STR(r->modified, "2024-09-18T16:56:00Z");
	CHECK_STR(r->publisher, "CISA");
	CHECK_STR(r->cwes[0], "CWE-295");
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].product, "Planet Fitness Planet Fitness Workouts 0 < 9.8.12");
	CHECK_STR(r->affected[0].vendor, "Planet Fitness");
	CHECK(r->affected[0].vers == NULL);   /* "0 < 9.8.12" is not a vers: string */
	CHECK_STR(r->solution.en, "vendor_fix: Fixed in 9.8.12.");   /* the same remediation twice → once */
	CHECK_INT(r->n_credits, 2);
	CHECK(has_ref_type(r, "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/2024/va-24-262-01.json",
	              "advisory"));
	CHECK(has_ref_type(r, "https://dontvacuum.me/bugs/pf/", "web"));
	REQUIRE(r->n_scores == 1);
	CHECK(r->scores[0].base == 8.8);
	release(&c);
}

/* CSAF VEX: Log4Shell known_affected. */
static void t_vex(void)
{
	const char *want[] = {"CVE-2021-44228", NULL};
	coll c = walk("oasis-examples/csaf_vex/2022-evd-uc-01-a-001.json", want);
	vd_record *r = get(&c, "CVE-2021-44228");
	REQUIRE(r);
	CHECK_STR(r->publisher, "Example Company ProductCERT");
	CHECK(strncmp(r->description.en, "Apache Log4j2 2.0-beta9 through 2.15.0", 38) == 0);
	CHECK_INT(r->n_affected, 1);
	CHECK_STR(r->solution.en, "vendor_fix: Customers should update to version 1.1 of product DEF which fixes the issue.");
	release(&c);
}

/* The OASIS validator documents (valid and deliberately invalid): every one
 * converts or is refused with a reason; nothing crashes. */
static void t_validator_docs(void)
{
	coll c = walk("oasis-validator-testdata", NULL);
	CHECK(c.docs >= 200);
	CHECK(c.records + c.conv_bad + c.part_bad > 0);
}

/* Hand-made shapes: no cve, several vulnerabilities, Chinese document. */
static void t_shapes(void)
{
	json_t *d = json_pack("{s:{s:s,s:s,s:{s:s}}, s:[{s:[{s:s,s:s}]}, {s:s}, i]}",
	                      "document", "csaf_version", "2.0", "lang", "zh-CN", "tracking", "id", "ADV-1",
	                      "vulnerabilities", "ids", "system_name", "GHSA", "text", "GHSA-aaaa-bbbb-cccc",
	                      "title", "标题", 7);
	REQUIRE(d);
	CHECK_INT(vd_format_detect(d), VD_FMT_CSAF);
	coll c;
	memset(&c, 0, sizeof c);
	c.want[0] = "GHSA-aaaa-bbbb-cccc";
	c.want[1] = "ADV-1#2";
	CHECK_INT(vd_csaf_to_records(d, keep, &c, part_bad), VD_OK);
	CHECK_INT(c.records, 2);
	CHECK_INT(c.part_bad, 1);         /* the integer element */
	vd_record *r = get(&c, "ADV-1#2");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "标题");
	CHECK(r->title.en == NULL);
	REQUIRE(get(&c, "GHSA-aaaa-bbbb-cccc"));
	CHECK_INT(get(&c, "GHSA-aaaa-bbbb-cccc")->n_aliases, 2);   /* + the advisory id */
	release(&c);
	json_decref(d);
	d = json_pack("{s:{s:s}}", "document", "csaf_version", "1.2");
	CHECK_INT(vd_csaf_to_records(d, keep, &c, part_bad), VD_EUNSUPPORTED);
	json_decref(d);
	d = json_pack("{s:s}", "document", "x");
	CHECK_INT(vd_csaf_to_records(d, keep, &c, part_bad), VD_EINVAL);
	json_decref(d);
}

int main(void)
{
	RUN(t_counts);
	RUN(t_bsi);
	RUN(t_cisco);
	RUN(t_redhat);
	RUN(t_cisa);
	RUN(t_vex);
	RUN(t_validator_docs);
	RUN(t_shapes);
	return vt_done();
}
