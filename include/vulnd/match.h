/* vulnd/match.h — affected-product matching: version schemes, OSV range
 * evaluation, `vers:` ranges, CPE 2.3 names and package URLs (purl).
 *
 * Pure functions: nothing here does I/O.  All functions are thread-safe
 * (errors go to the per-thread message of vulnd/error.h).
 * Status codes: VD_OK, VD_EINVAL (malformed input; vd_error_msg() says what
 * is wrong and where), VD_ETOOBIG (input over the size limits below),
 * VD_EUNSUPPORTED (well-formed but not evaluable, e.g. GIT ranges),
 * VD_ENOMEM.
 */
#ifndef VULND_MATCH_H
#define VULND_MATCH_H
#include <stdbool.h>
#include <stddef.h>
#include "vulnd/record.h"

#define VD_VERSION_MAX 512      /* longest version string accepted (bytes) */
#define VD_RANGE_MAX   8192     /* longest range / vers string accepted */
#define VD_CPE_MAX     2048     /* longest CPE string accepted */
#define VD_PURL_MAX    8192     /* longest purl accepted */

/* ------------------------------------------------------------------ */
/* Version schemes                                                     */
/* ------------------------------------------------------------------ */
typedef enum {
	VD_SCHEME_GENERIC = 0, /* fallback: numeric/alpha runs, see below */
	VD_SCHEME_SEMVER,      /* SemVer 2.0.0, strict (no "v") */
	VD_SCHEME_NPM,         /* node-semver: SemVer + "v"/"=" prefix; npm ranges */
	VD_SCHEME_PYPI,        /* PEP 440; specifier sets */
	VD_SCHEME_DEB,         /* Debian [epoch:]upstream[-revision] */
	VD_SCHEME_RPM,         /* [epoch:]version[-release], rpmvercmp (~ and ^) */
	VD_SCHEME_MAVEN,       /* ComparableVersion; [1.0,2.0) ranges */
	VD_SCHEME_GOLANG,      /* Go modules: SemVer with optional "v", pseudo-versions */
	VD_SCHEME_GEM,         /* RubyGems Gem::Version; ~> requirements */
	VD_SCHEME_NUGET,       /* NuGetVersion; interval ranges */
	VD_SCHEME_APK,         /* Alpine apk (Gentoo-like) */
	VD_SCHEME_COUNT
} vd_scheme;

/* Static lower-case name ("npm", "pypi", ...). */
const char *vd_scheme_name(vd_scheme s);
/* Scheme by name: the names above plus aliases (purl types and vers schemes:
 * "python"→pypi, "debian"→deb, "go"→golang, "alpine"→apk, "cargo"→semver,
 * "rubygems"→gem, ...). Case-insensitive. VD_EINVAL when unknown. */
int vd_scheme_parse(const char *name, vd_scheme *out);
/* Scheme for an OSV ecosystem name ("PyPI", "Go", "Debian:12", "Alpine:v3.18",
 * "crates.io", "Rocky Linux:9", ...). Unknown ecosystems map to GENERIC and
 * return VD_ENOTFOUND (the out value is still set). */
int vd_scheme_from_ecosystem(const char *ecosystem, vd_scheme *out);

/* Is v a valid version in the scheme? VD_OK or VD_EINVAL with a message
 * naming what is wrong ("pypi version '1.0x': unexpected 'x' at offset 3"). */
int vd_version_validate(vd_scheme s, const char *v);
/* Compare: *out = -1, 0 or 1.  VD_EINVAL when either is invalid.
 * For every scheme the order is a total preorder (versions that compare
 * 0 are equivalent, e.g. PEP 440 "1.0" and "1.0.0"). */
int vd_version_compare(vd_scheme s, const char *a, const char *b, int *out);
/* Is version inside range?  range is a "vers:" string or the scheme's
 * native syntax:
 *   npm     node-semver ranges (^ ~ x-ranges, hyphen, ||); pre-releases
 *           only match a comparator on the same [major,minor,patch]
 *   pypi    PEP 440 specifier set ("~=1.4,!=1.4.3"); pre-releases allowed
 *   maven   intervals "[1.0,2.0)", "(,1.0],[1.2,)", "[1.5]"; bare = exact
 *   nuget   one interval; a bare version means ">= version"
 *   gem     requirements "~> 2.2, >= 2.2.1"
 *   others  comparator lists "> 1.0, <= 2.0" (also "<<"/">>" for deb),
 *           alternatives separated by "||"; a bare version means "=".
 * VD_EINVAL with a message on a malformed range or version. */
int vd_version_match(vd_scheme s, const char *version, const char *range, bool *out);

/* ---- OSV ranges ---- */
/* Scheme to use for one OSV/CVE range given the package's ecosystem
 * (may be NULL) and the range type (ECOSYSTEM, SEMVER, or a CVE 5
 * versionType such as "semver", "rpm", "maven", "custom").
 * VD_EUNSUPPORTED for GIT ranges (commit hashes, not versions). */
int vd_range_scheme(const char *ecosystem, const char *range_type, vd_scheme *out);
/* OSV semantics: events sorted by version (introduced "0" first), then
 * introduced sets affected, fixed (version >= fixed) and last_affected
 * (version > last_affected) clear it; version >= a limit is never affected.
 * VD_EUNSUPPORTED for GIT ranges; VD_EINVAL for an invalid version (either
 * the one tested or an event's, named in the message). */
int vd_range_affects(vd_scheme s, const vd_range *r, const char *version, bool *out);
/* A whole affected entry: explicit versions, vers string and every
 * evaluable range (scheme from a->ecosystem and the range type).
 * *out is true when any says affected.  VD_EUNSUPPORTED when nothing in the
 * entry could be evaluated (e.g. GIT ranges only). */
int vd_affected_contains(const vd_affected *a, const char *version, bool *out);

/* ---- vers: (package-url version range specifier) ---- */
typedef enum { VD_VERS_EQ, VD_VERS_NE, VD_VERS_LT, VD_VERS_LE, VD_VERS_GT, VD_VERS_GE,
               VD_VERS_ANY } vd_vers_op;
typedef struct { vd_vers_op op; char *version; } vd_vers_constraint;
typedef struct {
	char *scheme_name;          /* as written, lower-cased */
	vd_scheme scheme;           /* GENERIC for an unknown scheme name */
	bool known;                 /* scheme_name was recognised */
	vd_vers_constraint *c; size_t n;   /* sorted by version */
	vd_arena *arena;            /* owns everything */
} vd_vers;
/* Parse, validate (versions valid, unique, comparators alternate) and sort.
 * *out is the caller's: free with vd_vers_free(). */
int vd_vers_parse(const char *s, vd_vers **out);
void vd_vers_free(vd_vers *v);
/* Canonical string (sorted, no spaces); malloc'd, caller frees. */
int vd_vers_format(const vd_vers *v, char **out);
int vd_vers_contains(const vd_vers *v, const char *version, bool *out);

/* ------------------------------------------------------------------ */
/* CPE 2.3 (NISTIR 7695 naming, 7696 matching)                         */
/* ------------------------------------------------------------------ */
enum { VD_CPE_PART, VD_CPE_VENDOR, VD_CPE_PRODUCT, VD_CPE_VERSION, VD_CPE_UPDATE,
       VD_CPE_EDITION, VD_CPE_LANGUAGE, VD_CPE_SW_EDITION, VD_CPE_TARGET_SW,
       VD_CPE_TARGET_HW, VD_CPE_OTHER, VD_CPE_NATTR };
typedef enum { VD_CPE_VALUE = 0, VD_CPE_ANY, VD_CPE_NA } vd_cpe_kind;
typedef struct {
	vd_cpe_kind kind;
	char *value;     /* VALUE: the literal text without quoting or wildcards */
	int lead, trail; /* wildcards around value: 0 none, -1 '*', n>0 n '?'s */
} vd_cpe_attr;
typedef struct {
	vd_cpe_attr a[VD_CPE_NATTR];
	vd_arena *arena;            /* owns the values */
} vd_cpe;
/* Parse a formatted string ("cpe:2.3:a:...") or a URI ("cpe:/a:..."),
 * chosen by prefix.  *out is the caller's: free with vd_cpe_free(). */
int vd_cpe_parse(const char *s, vd_cpe **out);
void vd_cpe_free(vd_cpe *c);
/* Bind to the formatted string / URI form; malloc'd, caller frees.
 * URI binding fails (VD_EINVAL) for '*'/'?' inside values, which it cannot express. */
int vd_cpe_format(const vd_cpe *c, char **out);
int vd_cpe_format_uri(const vd_cpe *c, char **out);
/* Attribute name ("part", "vendor", ...). */
const char *vd_cpe_attr_name(int attr);

typedef enum { VD_CPE_REL_DISJOINT = 0, VD_CPE_REL_SUBSET, VD_CPE_REL_SUPERSET,
               VD_CPE_REL_EQUAL, VD_CPE_REL_UNDEFINED } vd_cpe_rel;
const char *vd_cpe_rel_name(vd_cpe_rel r);   /* "DISJOINT", ... */
/* Relation of source to target for one attribute, and for the whole name:
 * EQUAL when all attributes are EQUAL; SUPERSET/SUBSET when all are that or
 * EQUAL; DISJOINT when any is DISJOINT; otherwise UNDEFINED.  Values compare
 * case-insensitively. */
vd_cpe_rel vd_cpe_attr_compare(const vd_cpe_attr *source, const vd_cpe_attr *target);
vd_cpe_rel vd_cpe_compare(const vd_cpe *source, const vd_cpe *target);
/* NVD name matching: source is SUPERSET of or EQUAL to target. */
bool vd_cpe_matches(const vd_cpe *source, const vd_cpe *target);

/* One NVD configurations[].nodes[].cpeMatch[] entry (strings borrowed). */
typedef struct {
	const char *criteria;               /* CPE 2.3 formatted string */
	const char *version_start_including, *version_start_excluding;
	const char *version_end_including, *version_end_excluding;
} vd_cpe_match;
/* Does the entry match target?  criteria must match target; when any
 * version bound is given the target's version must be a plain value inside
 * the bounds (compared with the generic scheme).  VD_EINVAL on a bad criteria. */
int vd_cpe_match_eval(const vd_cpe_match *m, const vd_cpe *target, bool *out);

/* ------------------------------------------------------------------ */
/* Package URL                                                         */
/* ------------------------------------------------------------------ */
typedef struct { char *key, *value; } vd_purl_qualifier;
typedef struct {
	char *type;          /* lower case */
	char *ns;            /* namespace ("a/b"), decoded; NULL when absent */
	char *name;          /* decoded */
	char *version;       /* decoded; NULL when absent */
	vd_purl_qualifier *quals; size_t n_quals;   /* keys lower case, sorted */
	char *subpath;       /* decoded, "a/b"; NULL when absent */
	vd_arena *arena;     /* owns everything */
} vd_purl;
/* Parse and normalise (type rules: lower-case namespace/name for apk, deb,
 * github, bitbucket, composer, golang, hex, npm, pypi ...; pypi '_' → '-';
 * qualifier keys lower-cased and sorted, empty values dropped).
 * *out is the caller's: free with vd_purl_free(). */
int vd_purl_parse(const char *s, vd_purl **out);
void vd_purl_free(vd_purl *p);
/* Canonical string; malloc'd, caller frees. */
int vd_purl_format(const vd_purl *p, char **out);
/* parse + format in one step; malloc'd, caller frees. */
int vd_purl_normalize(const char *s, char **out);
/* Value of a qualifier, or NULL. */
const char *vd_purl_qualifier_get(const vd_purl *p, const char *key);

/* purl type ↔ OSV ecosystem.  Returns a static string or NULL.  ns is the
 * purl namespace (for deb/apk/rpm the distribution: debian, ubuntu, alpine,
 * redhat, rocky-linux ...); may be NULL. */
const char *vd_purl_type_to_ecosystem(const char *type, const char *ns);
const char *vd_ecosystem_to_purl_type(const char *ecosystem);
/* OSV ecosystem and package name for a purl ("Maven", "group:artifact";
 * "npm", "@scope/name"; "Go", "github.com/x/y"; ...).  *package is malloc'd,
 * caller frees; *ecosystem is static.  VD_ENOTFOUND when the type has no
 * OSV ecosystem. */
int vd_purl_to_osv(const vd_purl *p, const char **ecosystem, char **package);

#endif
