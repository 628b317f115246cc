/* Package URLs: spec examples, normalisation per type, encoding, errors,
 * purl type <-> OSV ecosystem. */
#include "harness.h"
#include "vulnd/error.h"
#include "vulnd/match.h"

static void norm(const char *in, const char *want)
{
	char *o = NULL;
	int rc = vd_purl_normalize(in, &o);
	if (rc)
		fprintf(stderr, "  '%s': %s\n", in, vd_error_msg());
	CHECK_INT(rc, VD_OK);
	CHECK_STR(o, want);
	/* canonical form is a fixed point */
	char *o2 = NULL;
	if (o && vd_purl_normalize(o, &o2) == VD_OK)
		CHECK_STR(o2, o);
	free(o);
	free(o2);
}

static void t_examples(void)
{
	norm("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie");
	norm("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources",
	     "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources");
	norm("pkg:npm/foobar@12.3.1", "pkg:npm/foobar@12.3.1");
	norm("pkg:npm/%40angular/animation@12.3.1", "pkg:npm/%40angular/animation@12.3.1");
	norm("pkg:gem/jruby-launcher@1.1.2?platform=java", "pkg:gem/jruby-launcher@1.1.2?platform=java");
	norm("pkg:golang/google.golang.org/genproto#googleapis/api/annotations",
	     "pkg:golang/google.golang.org/genproto#googleapis/api/annotations");
	norm("pkg:docker/customer/dockerimage@sha256%3A244fd47e07d10?repository_url=gcr.io",
	     "pkg:docker/customer/dockerimage@sha256:244fd47e07d10?repository_url=gcr.io");
	norm("pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64", "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64");
	norm("pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25",
	     "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25");
	norm("pkg:generic/bitwarderl?vcs_url=git%2Bhttps://git.fsfe.org/dxtr/bitwarderl%40cc55108da32",
	     "pkg:generic/bitwarderl?vcs_url=git%2Bhttps:%2F%2Fgit.fsfe.org%2Fdxtr%2Fbitwarderl%40cc55108da32");
	norm("pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib", "pkg:cocoapods/GoogleUtilities@7.5.2#NSData%2Bzlib");
}

static void t_normalise(void)
{
	/* type and qualifier keys lower-cased, qualifiers sorted, empty values dropped */
	norm("PKG:PyPI/Django_Allauth@1.0?Foo=Bar&a=&B=2", "pkg:pypi/django-allauth@1.0?b=2&foo=Bar");
	norm("pkg:GitHub/Package-URL/Purl-Spec@244FD47", "pkg:github/package-url/purl-spec@244FD47");
	norm("pkg:npm/%40Babel/Core@7.0.0", "pkg:npm/%40babel/core@7.0.0");
	norm("pkg:nuget/EnterpriseLibrary.Common@6.0.1304", "pkg:nuget/EnterpriseLibrary.Common@6.0.1304");
	norm("pkg:maven/Org.Apache/Foo@1.0", "pkg:maven/Org.Apache/Foo@1.0");
	norm("pkg://npm/foo/", "pkg:npm/foo");
	norm("pkg:golang/github.com//gorilla/context@v1.1.1#/a/./b/../c//",
	     "pkg:golang/github.com/gorilla/context@v1.1.1#a/b/c");
	norm("pkg:generic/name%20with%20space@1.0%2Fx", "pkg:generic/name%20with%20space@1.0%2Fx");
	vd_purl *p = NULL;
	REQUIRE(vd_purl_parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar#x/y", &p) == VD_OK);
	CHECK_STR(p->type, "maven");
	CHECK_STR(p->ns, "org.apache.logging.log4j");
	CHECK_STR(p->name, "log4j-core");
	CHECK_STR(p->version, "2.14.1");
	CHECK_STR(p->subpath, "x/y");
	CHECK_STR(vd_purl_qualifier_get(p, "type"), "jar");
	CHECK(vd_purl_qualifier_get(p, "nope") == NULL);
	const char *eco = NULL;
	char *pkg = NULL;
	CHECK_INT(vd_purl_to_osv(p, &eco, &pkg), VD_OK);
	CHECK_STR(eco, "Maven");
	CHECK_STR(pkg, "org.apache.logging.log4j:log4j-core");
	free(pkg);
	vd_purl_free(p);
	REQUIRE(vd_purl_parse("pkg:npm/%40angular/core@1.0.0", &p) == VD_OK);
	CHECK_STR(p->ns, "@angular");
	CHECK_INT(vd_purl_to_osv(p, &eco, &pkg), VD_OK);
	CHECK_STR(eco, "npm");
	CHECK_STR(pkg, "@angular/core");
	free(pkg);
	vd_purl_free(p);
	REQUIRE(vd_purl_parse("pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1", &p) == VD_OK);
	CHECK_INT(vd_purl_to_osv(p, &eco, &pkg), VD_OK);
	CHECK_STR(eco, "Ubuntu");
	CHECK_STR(pkg, "openssl");
	free(pkg);
	vd_purl_free(p);
	REQUIRE(vd_purl_parse("pkg:conda/absl-py@0.4.1", &p) == VD_OK);
	CHECK_INT(vd_purl_to_osv(p, &eco, &pkg), VD_ENOTFOUND);
	vd_purl_free(p);
}

static void t_bad(void)
{
	static const struct { const char *s, *msg; } bad[] = {
		{"npm/foo@1.0", "must start with 'pkg:'"},
		{"pkg:npm", "missing '/'"},
		{"pkg:/foo", "missing '/'"},
		{"pkg:n&m/foo", "type may only"},
		{"pkg:1npm/foo", "start with a letter"},
		{"pkg:npm/", "missing name"},
		{"pkg:npm/foo@1%zz", "percent-encoding in the version"},
		{"pkg:npm/foo?a", "key=value"},
		{"pkg:npm/foo?1a=b", "cannot start with a digit"},
		{"pkg:npm/foo?a=1&a=2", "occurs twice"},
		{"pkg:npm/foo bar", "space"},
		{"pkg:maven/foo@1.0", "maven needs a namespace"},
		{"pkg:npm/a%2Fb/c", "encoded '/'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vd_purl *p = NULL;
		CHECK_INT(vd_purl_parse(bad[i].s, &p), VD_EINVAL);
		if (!strstr(vd_error_msg(), bad[i].msg)) {
			fprintf(stderr, "  '%s': message '%s' lacks '%s'\n", bad[i].s, vd_error_msg(), bad[i].msg);
			CHECK(0);
		}
		vd_purl_free(p);
	}
}

static void t_ecosystems(void)
{
	static const struct { const char *type, *ns, *eco; } m[] = {
		{"pypi", NULL, "PyPI"}, {"npm", NULL, "npm"}, {"golang", "github.com/x", "Go"},
		{"maven", "org.x", "Maven"}, {"cargo", NULL, "crates.io"}, {"gem", NULL, "RubyGems"},
		{"nuget", NULL, "NuGet"}, {"deb", "debian", "Debian"}, {"deb", "ubuntu", "Ubuntu"},
		{"apk", "alpine", "Alpine"}, {"composer", "laravel", "Packagist"},
		{"rpm", "rocky-linux", "Rocky Linux"}, {"hex", NULL, "Hex"}, {"pub", NULL, "Pub"},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		CHECK_STR(vd_purl_type_to_ecosystem(m[i].type, m[i].ns), m[i].eco);
		CHECK_STR(vd_ecosystem_to_purl_type(m[i].eco), m[i].type);
	}
	CHECK_STR(vd_ecosystem_to_purl_type("Debian:12"), "deb");
	CHECK_STR(vd_ecosystem_to_purl_type("Alpine:v3.18"), "apk");
	CHECK(vd_purl_type_to_ecosystem("rpm", "unknown-vendor") == NULL);
	CHECK(vd_purl_type_to_ecosystem("conda", NULL) == NULL);
	CHECK(vd_ecosystem_to_purl_type("Nope") == NULL);
	/* every mapped ecosystem has a version scheme */
	vd_scheme s;
	CHECK_INT(vd_scheme_from_ecosystem(vd_purl_type_to_ecosystem("cargo", NULL), &s), VD_OK);
	CHECK_INT(s, VD_SCHEME_SEMVER);
}

int main(void)
{
	RUN(t_examples);
	RUN(t_normalise);
	RUN(t_bad);
	RUN(t_ecosystems);
	return vt_done();
}
