/* Version schemes: orderings per scheme, validation messages, native
 * ranges, OSV range evaluation, vers:, and order properties (antisymmetry,
 * transitivity) on random samples.  Reference-implementation comparisons
 * on the real data are in tests/cli/t_version.sh. */
#include "harness.h"
#include "vulnd/error.h"
#include "vulnd/match.h"
#include <stdint.h>

static int cmp(vd_scheme s, const char *a, const char *b)
{
	int c = 99;
	if (vd_version_compare(s, a, b, &c) != VD_OK) {
		fprintf(stderr, "  compare %s '%s' '%s' failed: %s\n", vd_scheme_name(s), a, b, vd_error_msg());
		return 99;
	}
	return c;
}

/* every list is strictly increasing */
static int check_order(vd_scheme s, const char *const *v, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int want = i < j ? -1 : i > j ? 1 : 0, got = cmp(s, v[i], v[j]);
			if (got != want) {
				fprintf(stderr, "  %s: '%s' vs '%s' = %d, want %d\n", vd_scheme_name(s), v[i], v[j], got, want);
				bad++;
			}
		}
	return bad;
}
#define ORDER(s, ...) do { static const char *const L[] = {__VA_ARGS__}; \
	CHECK_INT(check_order(s, L, sizeof L / sizeof L[0]), 0); } while (0)

static bool match(vd_scheme s, const char *v, const char *r)
{
	bool in = false;
	int rc = vd_version_match(s, v, r, &in);
	if (rc) {
		fprintf(stderr, "  match %s '%s' '%s': %s\n", vd_scheme_name(s), v, r, vd_error_msg());
		return false;
	}
	return in;
}

static void t_names(void)
{
	vd_scheme s;
	CHECK_INT(vd_scheme_parse("PyPI", &s), VD_OK); CHECK_INT(s, VD_SCHEME_PYPI);
	CHECK_INT(vd_scheme_parse("debian", &s), VD_OK); CHECK_INT(s, VD_SCHEME_DEB);
	CHECK_INT(vd_scheme_parse("cargo", &s), VD_OK); CHECK_INT(s, VD_SCHEME_SEMVER);
	CHECK_INT(vd_scheme_parse("nope", &s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "unknown version scheme 'nope'") != NULL);
	for (int i = 0; i < VD_SCHEME_COUNT; i++) {
		CHECK_INT(vd_scheme_parse(vd_scheme_name((vd_scheme)i), &s), VD_OK);
		CHECK_INT(s, i);
	}
	static const struct { const char *eco; vd_scheme s; } e[] = {
		{"PyPI", VD_SCHEME_PYPI}, {"Go", VD_SCHEME_GOLANG}, {"npm", VD_SCHEME_NPM},
		{"Maven", VD_SCHEME_MAVEN}, {"crates.io", VD_SCHEME_SEMVER}, {"Debian:12", VD_SCHEME_DEB},
		{"Ubuntu:22.04:LTS", VD_SCHEME_DEB}, {"Alpine:v3.18", VD_SCHEME_APK},
		{"RubyGems", VD_SCHEME_GEM}, {"NuGet", VD_SCHEME_NUGET}, {"Rocky Linux:9", VD_SCHEME_RPM},
	};
	for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
		CHECK_INT(vd_scheme_from_ecosystem(e[i].eco, &s), VD_OK);
		CHECK_INT(s, e[i].s);
	}
	CHECK_INT(vd_scheme_from_ecosystem("Frobnix", &s), VD_ENOTFOUND);
	CHECK_INT(s, VD_SCHEME_GENERIC);
}

static void t_orders(void)
{
	ORDER(VD_SCHEME_SEMVER, "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
	      "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0",
	      "18446744073709551616.0.0");
	CHECK_INT(cmp(VD_SCHEME_SEMVER, "1.0.0+a", "1.0.0+b"), 0);
	ORDER(VD_SCHEME_GOLANG, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa",
	      "v0.1.0", "v1", "v1.2.0-pre", "v1.2", "1.2.1", "v2.0.0+incompatible", "v2.1.0");
	CHECK_INT(cmp(VD_SCHEME_GOLANG, "v1.2", "v1.2.0"), 0);
	CHECK_INT(cmp(VD_SCHEME_GOLANG, "v2.0.0+incompatible", "2.0.0"), 0);
	ORDER(VD_SCHEME_PYPI, "1.0.dev0", "1.0a1.dev1", "1.0a1", "1.0a2.post1", "1.0b1", "1.0rc1",
	      "1.0", "1.0+abc", "1.0+abc.5", "1.0+5", "1.0.post1.dev0", "1.0.post1", "1.1", "1!0.1");
	ORDER(VD_SCHEME_DEB, "1.0~~", "1.0~~a", "1.0~", "1.0", "1.0-1", "1.0a", "1.0+b1", "1.1",
	      "1:0.1", "2:0~rc1");
	ORDER(VD_SCHEME_RPM, "1.0~rc1", "1.0", "1.0^git1", "1.0a", "1.0.1", "2", "1:0.1");
	ORDER(VD_SCHEME_MAVEN, "1-alpha-1", "1-beta", "1-milestone", "1-rc", "1-snapshot", "1",
	      "1-sp", "1-foo", "1-1", "1.1", "2");
	CHECK_INT(cmp(VD_SCHEME_MAVEN, "1.0.0", "1"), 0);
	CHECK_INT(cmp(VD_SCHEME_MAVEN, "1-ga", "1.final"), 0);
	ORDER(VD_SCHEME_GEM, "1.0.a", "1.0.b1", "1.0.rc1", "1.0", "1.0.1", "1.1", "2-pre", "2");
	CHECK_INT(cmp(VD_SCHEME_GEM, "1.0.0", "1"), 0);
	CHECK_INT(cmp(VD_SCHEME_GEM, "1.0.a.0", "1.a"), 0);
	ORDER(VD_SCHEME_NUGET, "1.0.0-alpha", "1.0.0-Alpha.2", "1.0.0-beta", "1.0.0-rc.1", "1.0.0",
	      "1.0.0.1", "1.0.1", "1.10.0");
	CHECK_INT(cmp(VD_SCHEME_NUGET, "1.0", "1.0.0.0"), 0);
	CHECK_INT(cmp(VD_SCHEME_NUGET, "1.0.0-BETA", "1.0.0-beta"), 0);
	CHECK_INT(cmp(VD_SCHEME_NUGET, "01.2", "1.2+meta"), 0);
	ORDER(VD_SCHEME_APK, "1.0_alpha", "1.0_beta2", "1.0_pre1", "1.0_rc1", "1.0", "1.0-r1",
	      "1.0_p1", "1.0a", "1.0.1", "1.2", "1.10", "2.0");
	CHECK_INT(cmp(VD_SCHEME_APK, "1.01", "1.1"), -1);
	ORDER(VD_SCHEME_GENERIC, "1.0rc1", "1.0", "1.0.1", "1.0.2a", "1.0.10", "2", "v10");
	CHECK_INT(cmp(VD_SCHEME_GENERIC, "1.0", "1.0.0"), 0);
	CHECK_INT(cmp(VD_SCHEME_GENERIC, "v1.2", "1.2"), 0);
	CHECK_INT(cmp(VD_SCHEME_NPM, "v1.2.3", " 1.2.3 "), 0);
}

static void t_invalid(void)
{
	static const struct { vd_scheme s; const char *v, *msg; } bad[] = {
		{VD_SCHEME_SEMVER, "1.2", "three numbers"},
		{VD_SCHEME_SEMVER, "01.2.3", "leading zero"},
		{VD_SCHEME_SEMVER, "1.2.3-01", "leading zero"},
		{VD_SCHEME_SEMVER, "v1.2.3", "expected a number"},
		{VD_SCHEME_SEMVER, "1.2.3-", "empty pre-release"},
		{VD_SCHEME_GOLANG, "v1.2-pre", "expected '.'"},
		{VD_SCHEME_PYPI, "1.0x", "unexpected 'x' at offset 3"},
		{VD_SCHEME_PYPI, "a1", "must start with a number"},
		{VD_SCHEME_PYPI, "1.0+", "empty local"},
		{VD_SCHEME_DEB, "a1.0", "does not start with a digit"},
		{VD_SCHEME_DEB, "x:1.0", "epoch"},
		{VD_SCHEME_DEB, "1.0-", "revision is empty"},
		{VD_SCHEME_DEB, "1.0 1", "whitespace"},
		{VD_SCHEME_RPM, "1.0-1-2", "more than one '-'"},
		{VD_SCHEME_RPM, "1.0#", "invalid character '#'"},
		{VD_SCHEME_NUGET, "1.0.0.0.0", "unexpected '.'"},
		{VD_SCHEME_NUGET, "99999999999.0", "larger than"},
		{VD_SCHEME_GEM, "1.0 beta", "unexpected ' '"},
		{VD_SCHEME_GEM, "a.1", "must start with a digit"},
		{VD_SCHEME_APK, "1.0_foo", "unknown suffix"},
		{VD_SCHEME_APK, "1.0-x", "-r"},
		{VD_SCHEME_MAVEN, "1.0 beta", "whitespace"},
		{VD_SCHEME_NPM, "1.2.3.4", "unexpected '.'"},
		{VD_SCHEME_NPM, "9007199254740992.0.0", "too large"},
		{VD_SCHEME_GENERIC, "", "empty"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = vd_version_validate(bad[i].s, bad[i].v);
		CHECK_INT(rc, VD_EINVAL);
		if (!strstr(vd_error_msg(), bad[i].msg) || !strstr(vd_error_msg(), vd_scheme_name(bad[i].s))) {
			fprintf(stderr, "  %s '%s': message '%s' lacks '%s'\n", vd_scheme_name(bad[i].s), bad[i].v,
			        vd_error_msg(), bad[i].msg);
			CHECK(0);
		}
	}
	char big[VD_VERSION_MAX + 10];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_INT(vd_version_validate(VD_SCHEME_GENERIC, big), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "longer than") != NULL);
}

static void t_native_ranges(void)
{
	/* maven */
	CHECK(match(VD_SCHEME_MAVEN, "1.0", "[1.0,2.0)"));
	CHECK(!match(VD_SCHEME_MAVEN, "2.0", "[1.0,2.0)"));
	CHECK(!match(VD_SCHEME_MAVEN, "1.0", "(1.0,2.0]"));
	CHECK(match(VD_SCHEME_MAVEN, "2.0", "(1.0,2.0]"));
	CHECK(match(VD_SCHEME_MAVEN, "0.5", "(,1.0],[1.2,)"));
	CHECK(!match(VD_SCHEME_MAVEN, "1.1", "(,1.0],[1.2,)"));
	CHECK(match(VD_SCHEME_MAVEN, "5", "(,1.0],[1.2,)"));
	CHECK(match(VD_SCHEME_MAVEN, "1.5", "[1.5]"));
	CHECK(match(VD_SCHEME_MAVEN, "1.5.0", "1.5"));
	CHECK(!match(VD_SCHEME_MAVEN, "2.0-rc1", "[1.0,2.0-alpha)"));
	bool in;
	CHECK_INT(vd_version_match(VD_SCHEME_MAVEN, "1", "[1.0,2.0", &in), VD_EINVAL);
	CHECK_INT(vd_version_match(VD_SCHEME_MAVEN, "1", "[,2.0)", &in), VD_EINVAL);
	/* nuget: bare = minimum */
	CHECK(match(VD_SCHEME_NUGET, "2.0", "1.0"));
	CHECK(!match(VD_SCHEME_NUGET, "0.9", "1.0"));
	CHECK(match(VD_SCHEME_NUGET, "1.5", "[1.0, 2.0)"));
	CHECK_INT(vd_version_match(VD_SCHEME_NUGET, "1", "[1,2),[3,4)", &in), VD_EINVAL);
	/* gem */
	CHECK(match(VD_SCHEME_GEM, "2.5", "~> 2.2"));
	CHECK(!match(VD_SCHEME_GEM, "3.0", "~> 2.2"));
	CHECK(match(VD_SCHEME_GEM, "2.2.9", "~> 2.2.0"));
	CHECK(!match(VD_SCHEME_GEM, "2.3.0", "~> 2.2.0"));
	CHECK(!match(VD_SCHEME_GEM, "2.2.0.pre", "~> 2.2.0"));
	CHECK(match(VD_SCHEME_GEM, "2.9.9", "~> 2.9.8, != 2.9.10"));
	CHECK(!match(VD_SCHEME_GEM, "10.0", "~> 9.9"));
	CHECK(match(VD_SCHEME_GEM, "9.10", "~> 9.9"));
	CHECK(!match(VD_SCHEME_GEM, "1.5", ">= 1.0, < 1.5"));
	CHECK(match(VD_SCHEME_GEM, "1.0", "1.0.0"));
	/* comparator lists */
	CHECK(match(VD_SCHEME_DEB, "1.0-1", ">= 1.0, << 1.1"));
	CHECK(!match(VD_SCHEME_DEB, "1.1~rc1", ">> 1.1"));
	CHECK(match(VD_SCHEME_RPM, "1.0-1.el8", "< 1.0-2.el8 || = 3.0"));
	CHECK(match(VD_SCHEME_RPM, "3.0", "< 1.0-2.el8 || = 3.0"));
	CHECK(match(VD_SCHEME_GOLANG, "v1.2.3", ">=v1.2.0 <v1.3.0"));
	CHECK(match(VD_SCHEME_APK, "1.2.3-r1", ">1.2.3-r0"));
	CHECK(match(VD_SCHEME_GENERIC, "2.4.49", ">=2.4.0,<=2.4.49"));
	CHECK_INT(vd_version_match(VD_SCHEME_DEB, "1.0", ">= ", &in), VD_EINVAL);
	CHECK_INT(vd_version_match(VD_SCHEME_DEB, "1.0", ">= x1", &in), VD_EINVAL);
	/* npm and pypi (more against the reference implementations in tests/cli) */
	CHECK(match(VD_SCHEME_NPM, "1.2.3", "^1.0.0"));
	CHECK(!match(VD_SCHEME_NPM, "1.3.0-beta", "^1.0.0"));
	CHECK(match(VD_SCHEME_NPM, "1.2.3-beta.3", "^1.2.3-beta.2"));
	CHECK(match(VD_SCHEME_PYPI, "1.4.7", "~=1.4.5"));
	CHECK(!match(VD_SCHEME_PYPI, "1.5", "~=1.4.5"));
	CHECK(!match(VD_SCHEME_PYPI, "2.0rc1", ">=1.0,<2.0"));  /* <2.0 excludes pre-releases of 2.0 */
	CHECK(match(VD_SCHEME_PYPI, "2.0rc1", ">=1.0,<2.0.1"));
	CHECK_INT(vd_version_match(VD_SCHEME_PYPI, "1.0", "~=1", &in), VD_EINVAL);
}

/* OSV range events on a throwaway record */
static vd_range *mkrange(vd_record *r, const char *type, const char *const *ev)
{
	vd_affected *a = vd_record_add_affected(r);
	vd_range *g = vd_affected_add_range(r, a, type, NULL);
	for (size_t i = 0; ev[i]; i += 2) {
		vd_event_kind k;
		vd_event_kind_parse(ev[i], &k);
		vd_range_add_event(r, g, k, ev[i + 1]);
	}
	return g;
}

static bool affects(vd_scheme s, const vd_range *g, const char *v)
{
	bool in = false;
	int rc = vd_range_affects(s, g, v, &in);
	if (rc)
		fprintf(stderr, "  affects '%s': %s\n", v, vd_error_msg());
	return in;
}

static void t_osv_ranges(void)
{
	vd_record *r = vd_record_new();
	REQUIRE(r);
	static const char *const e1[] = {"introduced", "0", "fixed", "1.2.0", "introduced", "2.0.0",
	                                 "fixed", "2.0.3", NULL};
	vd_range *g = mkrange(r, "SEMVER", e1);
	CHECK(affects(VD_SCHEME_SEMVER, g, "0.0.1"));
	CHECK(affects(VD_SCHEME_SEMVER, g, "1.1.9"));
	CHECK(!affects(VD_SCHEME_SEMVER, g, "1.2.0"));
	CHECK(!affects(VD_SCHEME_SEMVER, g, "1.9.9"));
	CHECK(affects(VD_SCHEME_SEMVER, g, "2.0.0"));
	CHECK(affects(VD_SCHEME_SEMVER, g, "2.0.3-rc.1"));
	CHECK(!affects(VD_SCHEME_SEMVER, g, "2.0.3"));
	/* unsorted events, last_affected, open-ended */
	static const char *const e2[] = {"last_affected", "3.1", "introduced", "3.0", "introduced", "5.0", NULL};
	g = mkrange(r, "ECOSYSTEM", e2);
	CHECK(!affects(VD_SCHEME_PYPI, g, "2.9"));
	CHECK(affects(VD_SCHEME_PYPI, g, "3.0"));
	CHECK(affects(VD_SCHEME_PYPI, g, "3.1"));
	CHECK(affects(VD_SCHEME_PYPI, g, "3.1.0"));
	CHECK(!affects(VD_SCHEME_PYPI, g, "3.1.post1"));
	CHECK(!affects(VD_SCHEME_PYPI, g, "4.0"));
	CHECK(affects(VD_SCHEME_PYPI, g, "99"));
	static const char *const e3[] = {"introduced", "0", "limit", "2.0", NULL};
	g = mkrange(r, "ECOSYSTEM", e3);
	CHECK(affects(VD_SCHEME_DEB, g, "1.9"));
	CHECK(!affects(VD_SCHEME_DEB, g, "2.0"));
	/* GIT ranges are not evaluable; bad event versions are named */
	static const char *const e4[] = {"introduced", "0", "fixed", "abcdef0123", NULL};
	g = mkrange(r, "GIT", e4);
	bool in;
	CHECK_INT(vd_range_affects(VD_SCHEME_GENERIC, g, "1.0", &in), VD_EUNSUPPORTED);
	CHECK(strstr(vd_error_msg(), "GIT") != NULL);
	static const char *const e5[] = {"introduced", "0", "fixed", "1.x.y", NULL};
	g = mkrange(r, "SEMVER", e5);
	CHECK_INT(vd_range_affects(VD_SCHEME_SEMVER, g, "1.0.0", &in), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "fixed event") != NULL);
	vd_scheme s;
	CHECK_INT(vd_range_scheme("Go", "SEMVER", &s), VD_OK); CHECK_INT(s, VD_SCHEME_GOLANG);
	CHECK_INT(vd_range_scheme("crates.io", "SEMVER", &s), VD_OK); CHECK_INT(s, VD_SCHEME_SEMVER);
	CHECK_INT(vd_range_scheme("PyPI", "ECOSYSTEM", &s), VD_OK); CHECK_INT(s, VD_SCHEME_PYPI);
	CHECK_INT(vd_range_scheme(NULL, "rpm", &s), VD_OK); CHECK_INT(s, VD_SCHEME_RPM);
	CHECK_INT(vd_range_scheme(NULL, "custom", &s), VD_OK); CHECK_INT(s, VD_SCHEME_GENERIC);
	CHECK_INT(vd_range_scheme("Go", "GIT", &s), VD_EUNSUPPORTED);
	/* a whole affected entry: explicit versions, ranges, vers */
	vd_affected *a = vd_record_add_affected(r);
	a->ecosystem = vd_record_str(r, "Go");
	vd_affected_add_version(r, a, "v0.3.1");
	vd_range *gg = vd_affected_add_range(r, a, "SEMVER", NULL);
	vd_range_add_event(r, gg, VD_EV_INTRODUCED, "1.0.0");
	vd_range_add_event(r, gg, VD_EV_FIXED, "1.4.2");
	CHECK_INT(vd_affected_contains(a, "v0.3.1", &in), VD_OK); CHECK(in);
	CHECK_INT(vd_affected_contains(a, "v1.4.1", &in), VD_OK); CHECK(in);
	CHECK_INT(vd_affected_contains(a, "v1.4.2", &in), VD_OK); CHECK(!in);
	vd_affected *b = vd_record_add_affected(r);
	b->vers = vd_record_str(r, "vers:deb/>=1.0|<1.5");
	CHECK_INT(vd_affected_contains(b, "1.2-1", &in), VD_OK); CHECK(in);
	vd_affected *c = vd_record_add_affected(r);
	vd_range *gc = vd_affected_add_range(r, c, "GIT", "https://example.org/x.git");
	vd_range_add_event(r, gc, VD_EV_INTRODUCED, "0");
	CHECK_INT(vd_affected_contains(c, "1.0", &in), VD_EUNSUPPORTED);
	vd_record_free(r);
}

static bool vers_in(const char *vers, const char *v)
{
	vd_vers *x = NULL;
	bool in = false;
	if (vd_vers_parse(vers, &x) || vd_vers_contains(x, v, &in))
		fprintf(stderr, "  vers '%s' '%s': %s\n", vers, v, vd_error_msg());
	vd_vers_free(x);
	return in;
}

static void t_vers(void)
{
	vd_vers *v = NULL;
	char *s = NULL;
	REQUIRE(vd_vers_parse("vers:npm/ <2.0.0 | >= 1.0.0 |!=1.5.0", &v) == VD_OK);
	CHECK_STR(v->scheme_name, "npm");
	CHECK_INT(v->n, 3);
	REQUIRE(vd_vers_format(v, &s) == VD_OK);
	CHECK_STR(s, "vers:npm/>=1.0.0|!=1.5.0|<2.0.0");
	free(s);
	vd_vers_free(v);
	CHECK(vers_in("vers:npm/>=1.0.0|<2.0.0", "1.0.0"));
	CHECK(vers_in("vers:npm/>=1.0.0|<2.0.0", "1.9.9"));
	CHECK(!vers_in("vers:npm/>=1.0.0|<2.0.0", "2.0.0"));
	CHECK(!vers_in("vers:npm/>=1.0.0|!=1.5.0|<2.0.0", "1.5.0"));
	CHECK(vers_in("vers:npm/*", "0.0.1"));
	CHECK(vers_in("vers:pypi/<1.0|>=2.0|<3.0|>4.0", "0.5"));
	CHECK(!vers_in("vers:pypi/<1.0|>=2.0|<3.0|>4.0", "1.5"));
	CHECK(vers_in("vers:pypi/<1.0|>=2.0|<3.0|>4.0", "2.5"));
	CHECK(!vers_in("vers:pypi/<1.0|>=2.0|<3.0|>4.0", "4.0"));
	CHECK(vers_in("vers:pypi/<1.0|>=2.0|<3.0|>4.0", "4.0.1"));
	CHECK(vers_in("vers:pypi/<=1.0", "1.0.0"));
	CHECK(vers_in("vers:pypi/>1.0", "1.1"));
	CHECK(!vers_in("vers:pypi/>1.0", "0.9"));
	CHECK(vers_in("vers:deb/1.0|2.0", "2.0"));
	CHECK(!vers_in("vers:deb/1.0|2.0", "1.5"));
	CHECK(vers_in("vers:maven/>=1.0|<=1.0%2Cx", "1.0"));
	CHECK(vers_in("vers:golang/>=v1.2.0|<v1.3.0", "v1.2.9"));
	/* errors */
	static const char *const bad[] = {"npm/>=1.0.0", "vers:npm", "vers:npm/", "vers:NPM/1.0.0",
		"vers:npm/>=1.0.0|>=1.0.0", "vers:npm/>=1.0.0|>1.1.0", "vers:npm/*|>1.0.0",
		"vers:npm/1.0.0|<1.5.0", "vers:npm/>=x", "vers:npm/%zz", "vers:npm/1.0.0|1.0.0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = NULL;
		int rc = vd_vers_parse(bad[i], &v);
		if (rc != VD_EINVAL)
			fprintf(stderr, "  vers '%s' accepted\n", bad[i]);
		CHECK_INT(rc, VD_EINVAL);
		CHECK(strstr(vd_error_msg(), "vers") != NULL);
		vd_vers_free(v);
	}
	bool in;
	CHECK_INT(vd_version_match(VD_SCHEME_NPM, "1.0.0", "vers:pypi/>=1.0", &in), VD_EINVAL);
}

/* ---- properties: a total preorder on random samples ---- */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* random strings from an alphabet of version pieces */
static void gen(char *out, size_t cap, const char *const *pieces, size_t np)
{
	size_t len = 0;
	unsigned k = 1 + rnd(6);
	out[0] = '\0';
	for (unsigned i = 0; i < k; i++) {
		const char *p = pieces[rnd((unsigned)np)];
		size_t pl = strlen(p);
		if (len + pl + 1 >= cap)
			break;
		memcpy(out + len, p, pl + 1);
		len += pl;
	}
}

/* structured versions: numbers, dots and a common suffix or two */
static void gen_struct(char *out, size_t cap)
{
	static const char *const suf[] = {"-alpha", "-beta.2", "-rc.1", "-1", "a1", "rc1", ".post1",
		".dev0", "~rc1", "-SNAPSHOT", "-sp", "_p1", "_rc2", "-r1", "+build", "^git1", "b2", ".a",
		"-0", "-alpha.10", "-x.7.z", "c1", ".0", "-2"};
	int len = snprintf(out, cap, "%u", rnd(12));
	for (unsigned k = rnd(4); k > 0 && len < (int)cap - 8; k--)
		len += snprintf(out + len, cap - (size_t)len, ".%u", rnd(12));
	for (unsigned k = rnd(3); k > 0 && len < (int)cap - 12; k--)
		len += snprintf(out + len, cap - (size_t)len, "%s", suf[rnd(sizeof suf / sizeof suf[0])]);
}

static void t_properties(void)
{
	static const char *const pieces[] = {"0", "1", "2", "10", "01", ".", ".", ".", "-", "+", "~",
		"^", "_", "a", "b", "rc", "alpha", "beta", "dev", "post", "pre", "p", "r", "sp", "ga",
		"final", "snapshot", "x", "v", ":", "!", "RC", "1:", "-r", "_p", "_rc"};
	enum { N = 160 };
	static char vs[N][64];
	long antisym = 0, trans = 0, checked = 0;
	for (int s = 0; s < VD_SCHEME_COUNT; s++) {
		size_t n = 0;
		for (int tries = 0; tries < 200000 && n < N; tries++) {
			char buf[64];
			/* Maven's own ordering is not transitive on odd strings (".snapshot.^",
			 * "_p~"...; checked against ComparableVersion): structured ones only */
			if (tries % 2 == 0 || s == VD_SCHEME_MAVEN)
				gen_struct(buf, sizeof buf);
			else
				gen(buf, sizeof buf, pieces, sizeof pieces / sizeof pieces[0]);
			if (buf[0] && vd_version_validate((vd_scheme)s, buf) == VD_OK)
				memcpy(vs[n++], buf, sizeof buf);
		}
		vd_error_clear();
		if (n < 20) {
			fprintf(stderr, "  %s: only %zu random valid versions\n", vd_scheme_name((vd_scheme)s), n);
			CHECK(0);
			continue;
		}
		static int c[N][N];
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				c[i][j] = cmp((vd_scheme)s, vs[i], vs[j]);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++) {
				checked++;
				if (c[i][j] != -c[j][i] || (i == j && c[i][j] != 0)) {
					if (antisym++ < 5)
						fprintf(stderr, "  %s: not antisymmetric: '%s' '%s'\n",
						        vd_scheme_name((vd_scheme)s), vs[i], vs[j]);
				}
			}
		for (int t = 0; t < 40000; t++) {
			size_t i = rnd((unsigned)n), j = rnd((unsigned)n), k = rnd((unsigned)n);
			/* i <= j and j <= k imply i <= k; equal chains stay equal */
			if (c[i][j] <= 0 && c[j][k] <= 0 &&
			    (c[i][k] > 0 || (c[i][j] < 0 || c[j][k] < 0 ? c[i][k] != -1 : c[i][k] != 0))) {
				if (trans++ < 5)
					fprintf(stderr, "  %s: not transitive: '%s' '%s' '%s'\n",
					        vd_scheme_name((vd_scheme)s), vs[i], vs[j], vs[k]);
			}
		}
	}
	printf("# order properties: %ld pairs, %d triples per scheme checked\n", checked, 40000);
	CHECK_INT(antisym, 0);
	CHECK_INT(trans, 0);
}

int main(void)
{
	RUN(t_names);
	RUN(t_orders);
	RUN(t_invalid);
	RUN(t_native_ranges);
	RUN(t_osv_ranges);
	RUN(t_vers);
	RUN(t_properties);
	return vt_done();
}
