/* core record: builders, dedup, validation, merge idempotence, JSON round trip. */
#include "harness.h"
#include "vulnd/record.h"
#include "vulnd/error.h"

static vd_record *sample(const char *id, const char *src)
{
	vd_record *r = vd_record_new();
	r->id = vd_record_str(r, id);
	r->published = vd_record_str(r, "2021-12-10T00:00:00Z");
	r->modified = vd_record_str(r, "2022-01-01T00:00:00Z");
	vd_record_set_text(r, &r->title, "en", "Remote code execution in Foo");
	vd_record_set_text(r, &r->title, "zh-CN", "Foo 远程代码执行漏洞");
	vd_record_set_text(r, &r->description, "en", "A flaw.");
	vd_record_add_alias(r, id, src);
	vd_record_add_cwe(r, "CWE-502");
	vd_record_add_score(r, "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "CRITICAL", src);
	vd_affected *a = vd_record_add_affected(r);
	a->ecosystem = vd_record_str(r, "Maven");
	a->package = vd_record_str(r, "org.foo:foo");
	a->source = vd_record_str(r, src);
	vd_affected_add_cpe(r, a, "cpe:2.3:a:foo:foo:*:*:*:*:*:*:*:*");
	vd_range *g = vd_affected_add_range(r, a, "ECOSYSTEM", NULL);
	vd_range_add_event(r, g, VD_EV_INTRODUCED, "2.0");
	vd_range_add_event(r, g, VD_EV_FIXED, "2.15.0");
	vd_record_add_ref(r, "https://example.org/a", "advisory", src);
	vd_record_add_credit(r, "Chen Zhaojun", "finder", src);
	vd_record_add_prov(r, "title.en", src, id, "2022-01-01T00:00:00Z");
	return r;
}

static void t_build_and_dedup(void)
{
	vd_record *r = sample("CVE-2021-44228", "cve5");
	CHECK_STR(r->title.zh, "Foo 远程代码执行漏洞");
	CHECK(vd_record_add_alias(r, "CVE-2021-44228", "x") == &r->aliases[0]);
	CHECK_INT(r->n_aliases, 1);
	vd_record_add_cwe(r, "CWE-502");
	CHECK_INT(r->n_cwes, 1);
	vd_record_add_ref(r, "https://example.org/a", NULL, NULL);
	CHECK_INT(r->n_refs, 1);
	CHECK(vd_record_add_alias(r, "", "x") == NULL);
	CHECK(vd_record_str(r, "   ") == NULL);
	for (int i = 0; i < 100; i++) {   /* growth across several reallocations */
		char id[32];
		snprintf(id, sizeof id, "GHSA-%04d", i);
		vd_record_add_alias(r, id, "osv");
	}
	CHECK_INT(r->n_aliases, 101);
	CHECK_STR(r->aliases[0].id, "CVE-2021-44228");
	CHECK_STR(r->aliases[100].id, "GHSA-0099");
	CHECK(vd_record_has_id(r, "GHSA-0050"));
	CHECK(!vd_record_has_id(r, "GHSA-0100"));
	vd_record_free(r);
}

static void t_validate(void)
{
	vd_record *r = sample("CVE-2021-44228", "cve5");
	CHECK_INT(vd_record_validate(r), VD_OK);
	r->published = vd_record_str(r, "not a date");
	CHECK_INT(vd_record_validate(r), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "published") != NULL);
	r->published = NULL;
	r->title.en = vd_record_str(r, "bad \xff utf8");
	CHECK_INT(vd_record_validate(r), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "title.en") != NULL);
	r->id = NULL;
	CHECK_INT(vd_record_validate(r), VD_EINVAL);
	vd_record_free(r);
}

static void t_json_round_trip(void)
{
	vd_record *r = sample("CVE-2021-44228", "cve5");
	r->state = VD_STATE_REJECTED;
	char *a = NULL, *b = NULL;
	REQUIRE(vd_record_to_json(r, &a) == VD_OK);
	vd_record *back = NULL;
	REQUIRE(vd_record_from_json(a, strlen(a), &back) == VD_OK);
	REQUIRE(vd_record_to_json(back, &b) == VD_OK);
	CHECK_STR(b, a);
	CHECK_INT(back->state, VD_STATE_REJECTED);
	CHECK_STR(back->affected[0].ranges[0].events[1].value, "2.15.0");
	CHECK_INT(back->affected[0].ranges[0].events[1].kind, VD_EV_FIXED);
	CHECK(strstr(a, "\"base_score\":10") != NULL);
	CHECK(strstr(a, "远程代码执行") != NULL);   /* UTF-8 kept, not \u-escaped */
	vd_record_free(back);
	back = NULL;
	CHECK_INT(vd_record_from_json("{\"id\":1,\"id\":2}", 15, &back), VD_EINVAL);
	CHECK(back == NULL);
	vd_record_free(r);
	free(a);
	free(b);
}

static void t_merge(void)
{
	vd_record *cve = sample("CVE-2021-44228", "cve5");
	vd_record *osv = vd_record_new();
	osv->id = vd_record_str(osv, "GHSA-jfh8-c2jp-5v3q");
	osv->modified = vd_record_str(osv, "2023-05-01T00:00:00Z");
	vd_record_set_text(osv, &osv->title, "en", "OSV title loses to CVE title");
	vd_record_set_text(osv, &osv->solution, "en", "Upgrade to 2.15.0");
	vd_record_add_alias(osv, "CVE-2021-44228", "osv");
	vd_record_add_cwe(osv, "CWE-20");
	vd_affected *a = vd_record_add_affected(osv);
	a->ecosystem = vd_record_str(osv, "Maven");
	a->package = vd_record_str(osv, "org.apache.logging.log4j:log4j-core");
	a->source = vd_record_str(osv, "osv");
	vd_record_add_prov(osv, "affected", "osv", "GHSA-jfh8-c2jp-5v3q", "2023-05-01T00:00:00Z");

	REQUIRE(vd_record_merge(cve, osv) == VD_OK);
	char *once = NULL, *twice = NULL;
	vd_record_to_json(cve, &once);
	REQUIRE(vd_record_merge(cve, osv) == VD_OK);
	vd_record_to_json(cve, &twice);
	CHECK_STR(twice, once);                      /* idempotent */
	CHECK_STR(cve->id, "CVE-2021-44228");
	CHECK_STR(cve->title.en, "Remote code execution in Foo");
	CHECK_STR(cve->solution.en, "Upgrade to 2.15.0");
	CHECK_STR(cve->modified, "2023-05-01T00:00:00Z");   /* newest wins */
	CHECK(vd_record_has_id(cve, "GHSA-jfh8-c2jp-5v3q"));
	CHECK_INT(cve->n_cwes, 2);
	CHECK_INT(cve->n_affected, 2);
	CHECK_INT(cve->n_prov, 2);
	free(once);
	free(twice);
	vd_record_free(cve);
	vd_record_free(osv);
}

int main(void)
{
	RUN(t_build_and_dedup);
	RUN(t_validate);
	RUN(t_json_round_trip);
	RUN(t_merge);
	return vt_done();
}
