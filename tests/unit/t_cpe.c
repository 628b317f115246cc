/* CPE 2.3: formatted string and URI bindings (NISTIR 7695 examples),
 * name matching (NISTIR 7696 relations), NVD cpeMatch evaluation. */
#include "harness.h"
#include "vulnd/error.h"
#include "vulnd/match.h"

static vd_cpe *P(const char *s)
{
	vd_cpe *c = NULL;
	if (vd_cpe_parse(s, &c) != VD_OK)
		fprintf(stderr, "  parse '%s': %s\n", s, vd_error_msg());
	return c;
}

static void roundtrip(const char *in, const char *fs, const char *uri)
{
	vd_cpe *c = P(in);
	CHECK(c != NULL);
	if (!c)
		return;
	char *o = NULL;
	CHECK_INT(vd_cpe_format(c, &o), VD_OK);
	CHECK_STR(o, fs);
	free(o);
	o = NULL;
	if (uri) {
		CHECK_INT(vd_cpe_format_uri(c, &o), VD_OK);
		CHECK_STR(o, uri);
		free(o);
	}
	vd_cpe_free(c);
}

static void t_bindings(void)
{
	roundtrip("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
	          "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
	          "cpe:/a:microsoft:internet_explorer:8.0.6001:beta");
	roundtrip("cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
	          "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
	          "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~");
	roundtrip("cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*",
	          "cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*",
	          "cpe:/a:foo%5cbar:big%24money_manager_2010:::~~special~ipod_touch~80gb~");
	roundtrip("cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*",
	          "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*",
	          "cpe:/a:hp:openview_network_manager:7.51::~~~linux~~");
	/* wildcards survive the formatted string; quoted ones are literals */
	roundtrip("cpe:2.3:a:micr\\?soft:internet_explorer:8.\\*:sp?:*:*:*:*:*:*",
	          "cpe:2.3:a:micr\\?soft:internet_explorer:8.\\*:sp?:*:*:*:*:*:*", NULL);
	/* URI → formatted string */
	roundtrip("cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
	          "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*", NULL);
	roundtrip("cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
	          "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*", NULL);
	roundtrip("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
	          "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*", NULL);
	roundtrip("cpe:/a:foo%5cbar:big%24money_2010%7e:::~~special~ipod_touch~80gb~",
	          "cpe:2.3:a:foo\\\\bar:big\\$money_2010\\~:*:*:*:*:special:ipod_touch:80gb:*", NULL);
	roundtrip("cpe:/o:linux:linux_kernel:2.6.0", "cpe:2.3:o:linux:linux_kernel:2.6.0:*:*:*:*:*:*:*",
	          "cpe:/o:linux:linux_kernel:2.6.0");
	vd_cpe *c = P("cpe:2.3:a:vendor:prod\\:uct:1.0\\-beta:*:*:*:*:*:*:*");
	REQUIRE(c);
	CHECK_STR(c->a[VD_CPE_PRODUCT].value, "prod:uct");
	CHECK_STR(c->a[VD_CPE_VERSION].value, "1.0-beta");
	CHECK_INT(c->a[VD_CPE_UPDATE].kind, VD_CPE_ANY);
	vd_cpe_free(c);
}

static void t_bad(void)
{
	static const struct { const char *s, *msg; } bad[] = {
		{"cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*", "11 components"},
		{"cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*:*", "more than 11"},
		{"cpe:2.3:x:vendor:product:1.0:*:*:*:*:*:*:*", "part: must be a, o or h"},
		{"cpe:2.3:a:ven*dor:product:1.0:*:*:*:*:*:*:*", "vendor: '*' and '?'"},
		{"cpe:2.3:a:vendor:product:1.0\\:*:*:*:*:*:*:*", "11 components"},
		{"cpe:2.3:a:vendor:pro duct:1.0:*:*:*:*:*:*:*", "product: space"},
		{"cpe:2.3:a::product:1.0:*:*:*:*:*:*:*", "vendor: empty"},
		{"cpe:2.3:a:vendor:product:**:*:*:*:*:*:*:*", "'**'"},
		{"cpe:/a:vendor:product:1.0:a:b:c:d", "more than 7"},
		{"cpe:/a:vendor:product:1.0::~a~b", "packed edition"},
		{"cpe:/a:vendor:%zzproduct", "percent"},
		{"cpe:a:vendor", "must start with"},
		{"cpe:2.3:a:micr?soft:internet_explorer:8.*:*:*:*:*:*:*:*", "vendor: '*' and '?'"},
		{"cpe:/a:foo:bar%07", "encoded control"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vd_cpe *c = NULL;
		CHECK_INT(vd_cpe_parse(bad[i].s, &c), VD_EINVAL);
		if (!strstr(vd_error_msg(), bad[i].msg)) {
			fprintf(stderr, "  '%s': message '%s' lacks '%s'\n", bad[i].s, vd_error_msg(), bad[i].msg);
			CHECK(0);
		}
		vd_cpe_free(c);
	}
}

static vd_cpe_rel rel(const char *a, const char *b)
{
	vd_cpe *x = P(a), *y = P(b);
	vd_cpe_rel r = x && y ? vd_cpe_compare(x, y) : VD_CPE_REL_UNDEFINED;
	vd_cpe_free(x);
	vd_cpe_free(y);
	return r;
}

static void t_relations(void)
{
	/* NISTIR 7696 §6.1 examples and table 6-2 cases */
	CHECK_INT(rel("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
	              "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*"), VD_CPE_REL_UNDEFINED);
	CHECK_INT(rel("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
	              "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp1:*:*:*:*:*:*"), VD_CPE_REL_SUPERSET);
	CHECK_INT(rel("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
	              "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"), VD_CPE_REL_DISJOINT);
	CHECK_INT(rel("cpe:2.3:a:adobe:*:9.*:*:PalmOS:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:9.0.1:*:palmos:*:*:*:*:*"), VD_CPE_REL_SUPERSET);
	CHECK_INT(rel("cpe:2.3:a:adobe:reader:9.0.1:*:palmos:*:*:*:*:*",
	              "cpe:2.3:a:adobe:*:9.*:*:PalmOS:*:*:*:*:*"), VD_CPE_REL_UNDEFINED);
	CHECK_INT(rel("cpe:2.3:a:Adobe:Reader:9.0:*:*:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:9.0:*:*:*:*:*:*:*"), VD_CPE_REL_EQUAL);
	CHECK_INT(rel("cpe:2.3:a:adobe:reader:9.0:-:*:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:9.0:*:*:*:*:*:*:*"), VD_CPE_REL_SUBSET);
	CHECK_INT(rel("cpe:2.3:a:adobe:reader:*:*:*:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:9.0:-:*:*:*:*:*:*"), VD_CPE_REL_SUPERSET);
	CHECK_INT(rel("cpe:2.3:a:adobe:reader:9.0:-:*:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:9.0:sp1:*:*:*:*:*:*"), VD_CPE_REL_DISJOINT);
	CHECK_INT(rel("cpe:2.3:a:adobe:reader:*:sp1:*:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:9.0:*:*:*:*:*:*:*"), VD_CPE_REL_UNDEFINED);
	CHECK_INT(rel("cpe:2.3:a:adobe:reader:1?:*:*:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:1:*:*:*:*:*:*:*"), VD_CPE_REL_SUPERSET);   /* up to one */
	CHECK_INT(rel("cpe:2.3:a:adobe:reader:1?:*:*:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:123:*:*:*:*:*:*:*"), VD_CPE_REL_DISJOINT);
	CHECK_INT(rel("cpe:2.3:a:adobe:reader:*1:*:*:*:*:*:*:*",
	              "cpe:2.3:a:adobe:reader:9.1:*:*:*:*:*:*:*"), VD_CPE_REL_SUPERSET);
	CHECK_STR(vd_cpe_rel_name(VD_CPE_REL_SUPERSET), "SUPERSET");
	vd_cpe *x = P("cpe:2.3:*:*:*:*:*:*:*:*:*:*:*"), *y = P("cpe:/o:linux:linux_kernel:5.10");
	REQUIRE(x && y);
	CHECK(vd_cpe_matches(x, y));
	CHECK(!vd_cpe_matches(y, x));
	vd_cpe_free(x);
	vd_cpe_free(y);
}

static bool nvd(const char *crit, const char *si, const char *se, const char *ei, const char *ee,
                const char *target)
{
	vd_cpe_match m = {crit, si, se, ei, ee};
	vd_cpe *t = P(target);
	bool out = false;
	if (t)
		CHECK_INT(vd_cpe_match_eval(&m, t, &out), VD_OK);
	vd_cpe_free(t);
	return out;
}

static void t_cpematch(void)
{
	const char *crit = "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*";
	CHECK(nvd(crit, "2.4.0", NULL, NULL, "2.4.50", "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"));
	CHECK(!nvd(crit, "2.4.0", NULL, NULL, "2.4.50", "cpe:2.3:a:apache:http_server:2.4.50:*:*:*:*:*:*:*"));
	CHECK(nvd(crit, NULL, NULL, "2.4.50", NULL, "cpe:2.3:a:apache:http_server:2.4.50:*:*:*:*:*:*:*"));
	CHECK(!nvd(crit, "2.4.0", NULL, NULL, NULL, "cpe:2.3:a:apache:http_server:2.2.34:*:*:*:*:*:*:*"));
	CHECK(!nvd(crit, NULL, "2.4.0", NULL, NULL, "cpe:2.3:a:apache:http_server:2.4.0:*:*:*:*:*:*:*"));
	CHECK(nvd(crit, NULL, "2.4.0", NULL, NULL, "cpe:2.3:a:apache:http_server:2.4.0.1:*:*:*:*:*:*:*"));
	CHECK(!nvd(crit, "2.4.0", NULL, NULL, NULL, "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*"));
	CHECK(!nvd(crit, "2.4.0", NULL, NULL, NULL, "cpe:2.3:a:apache:tomcat:2.4.1:*:*:*:*:*:*:*"));
	CHECK(nvd("cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL,
	          "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"));
	CHECK(!nvd("cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL,
	           "cpe:2.3:a:apache:http_server:2.4.48:*:*:*:*:*:*:*"));
	vd_cpe_match bad = {"cpe:2.3:a:x", NULL, NULL, NULL, NULL};
	vd_cpe *t = P("cpe:/a:x:y");
	bool out;
	CHECK_INT(vd_cpe_match_eval(&bad, t, &out), VD_EINVAL);
	vd_cpe_free(t);
}

int main(void)
{
	RUN(t_bindings);
	RUN(t_bad);
	RUN(t_relations);
	RUN(t_cpematch);
	return vt_done();
}
