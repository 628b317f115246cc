/* Version schemes: names, dispatch, the generic fallback, comparator-list
 * ranges and OSV range evaluation.  No I/O. */
#include "match_int.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- small helpers ---- */
int vm_sign(int x) { return x < 0 ? -1 : x > 0; }

bool vm_isdigits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

int vm_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	while (an > 0 && *a == '0') { a++; an--; }
	while (bn > 0 && *b == '0') { b++; bn--; }
	if (an != bn)
		return an < bn ? -1 : 1;
	return vm_sign(memcmp(a, b, an));
}

int vm_strcmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int c = memcmp(a, b, n);
	if (c)
		return vm_sign(c);
	return an == bn ? 0 : an < bn ? -1 : 1;
}

int vm_bad(vd_scheme s, const char *v, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return vd_error_set(VD_EINVAL, "%s version '%.100s%s': %s", vd_scheme_name(s), v ? v : "",
	                    v && strlen(v) > 100 ? "..." : "", why);
}

int vm_check_len(vd_scheme s, const char *v)
{
	if (!v)
		return vm_bad(s, "", "missing");
	if (strlen(v) > VD_VERSION_MAX)
		return vm_bad(s, v, "longer than %d bytes", VD_VERSION_MAX);
	if (!*v)
		return vm_bad(s, v, "empty");
	return VD_OK;
}

/* ---- scheme names ---- */
static const char *const names[VD_SCHEME_COUNT] = {
	"generic", "semver", "npm", "pypi", "deb", "rpm", "maven", "golang", "gem", "nuget", "apk",
};

const char *vd_scheme_name(vd_scheme s)
{
	return (unsigned)s < VD_SCHEME_COUNT ? names[s] : "?";
}

static const struct { const char *name; vd_scheme s; } aliases[] = {
	{"python", VD_SCHEME_PYPI}, {"pep440", VD_SCHEME_PYPI},
	{"debian", VD_SCHEME_DEB}, {"ubuntu", VD_SCHEME_DEB}, {"dpkg", VD_SCHEME_DEB},
	{"go", VD_SCHEME_GOLANG}, {"alpine", VD_SCHEME_APK}, {"apk-tools", VD_SCHEME_APK},
	{"cargo", VD_SCHEME_SEMVER}, {"crates.io", VD_SCHEME_SEMVER}, {"hex", VD_SCHEME_SEMVER},
	{"pub", VD_SCHEME_SEMVER}, {"rubygems", VD_SCHEME_GEM}, {"ruby", VD_SCHEME_GEM},
	{"node", VD_SCHEME_NPM}, {"custom", VD_SCHEME_GENERIC}, {"redhat", VD_SCHEME_RPM},
};

int vd_scheme_parse(const char *name, vd_scheme *out)
{
	if (!name || !*name)
		return vd_error_set(VD_EINVAL, "missing version scheme name");
	for (int i = 0; i < VD_SCHEME_COUNT; i++)
		if (strcasecmp(name, names[i]) == 0) {
			*out = (vd_scheme)i;
			return VD_OK;
		}
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcasecmp(name, aliases[i].name) == 0) {
			*out = aliases[i].s;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown version scheme '%.60s' (known: generic, semver, npm, "
	                    "pypi, deb, rpm, maven, golang, gem, nuget, apk)", name);
}

static const struct { const char *eco; vd_scheme s; } ecos[] = {
	{"npm", VD_SCHEME_NPM}, {"PyPI", VD_SCHEME_PYPI}, {"Go", VD_SCHEME_GOLANG},
	{"Maven", VD_SCHEME_MAVEN}, {"crates.io", VD_SCHEME_SEMVER}, {"Debian", VD_SCHEME_DEB},
	{"Ubuntu", VD_SCHEME_DEB}, {"Alpine", VD_SCHEME_APK}, {"Wolfi", VD_SCHEME_APK},
	{"Chainguard", VD_SCHEME_APK}, {"MinimOS", VD_SCHEME_APK}, {"RubyGems", VD_SCHEME_GEM},
	{"NuGet", VD_SCHEME_NUGET}, {"Hex", VD_SCHEME_SEMVER}, {"Pub", VD_SCHEME_SEMVER},
	{"SwiftURL", VD_SCHEME_SEMVER}, {"Bitnami", VD_SCHEME_SEMVER},
	{"Red Hat", VD_SCHEME_RPM}, {"Rocky Linux", VD_SCHEME_RPM}, {"AlmaLinux", VD_SCHEME_RPM},
	{"openSUSE", VD_SCHEME_RPM}, {"SUSE", VD_SCHEME_RPM}, {"Mageia", VD_SCHEME_RPM},
	{"Photon OS", VD_SCHEME_RPM}, {"Azure Linux", VD_SCHEME_RPM}, {"openEuler", VD_SCHEME_RPM},
	{"Oracle Linux", VD_SCHEME_RPM}, {"Fedora", VD_SCHEME_RPM},
	{"Packagist", VD_SCHEME_GENERIC}, {"Hackage", VD_SCHEME_GENERIC}, {"CRAN", VD_SCHEME_GENERIC},
	{"ConanCenter", VD_SCHEME_GENERIC}, {"GitHub Actions", VD_SCHEME_GENERIC},
	{"Linux", VD_SCHEME_GENERIC}, {"Android", VD_SCHEME_GENERIC}, {"OSS-Fuzz", VD_SCHEME_GENERIC},
	{"GIT", VD_SCHEME_GENERIC},
};

int vd_scheme_from_ecosystem(const char *eco, vd_scheme *out)
{
	*out = VD_SCHEME_GENERIC;
	if (!eco || !*eco)
		return VD_ENOTFOUND;
	size_t n = strcspn(eco, ":");   /* "Debian:12" → "Debian" */
	for (size_t i = 0; i < sizeof ecos / sizeof ecos[0]; i++)
		if (strlen(ecos[i].eco) == n && strncasecmp(eco, ecos[i].eco, n) == 0) {
			*out = ecos[i].s;
			return VD_OK;
		}
	return VD_ENOTFOUND;
}

/* ---- dispatch ---- */
typedef int (*cmp_fn)(const char *, const char *, int *);
static const cmp_fn cmps[VD_SCHEME_COUNT] = {
	vm_generic_cmp, vm_semver_cmp, vm_npm_cmp, vm_pypi_cmp, vm_deb_cmp, vm_rpm_cmp,
	vm_maven_cmp, vm_golang_cmp, vm_gem_cmp, vm_nuget_cmp, vm_apk_cmp,
};

int vd_version_compare(vd_scheme s, const char *a, const char *b, int *out)
{
	if ((unsigned)s >= VD_SCHEME_COUNT)
		return vd_error_set(VD_EINVAL, "bad version scheme %d", (int)s);
	int rc = vm_check_len(s, a);
	if (rc == VD_OK)
		rc = vm_check_len(s, b);
	if (rc)
		return rc;
	int r = 0;
	rc = cmps[s](a, b, &r);
	if (rc == VD_OK)
		*out = vm_sign(r);
	return rc;
}

int vd_version_validate(vd_scheme s, const char *v)
{
	int r;
	return vd_version_compare(s, v, v, &r);
}

int vd_version_match(vd_scheme s, const char *version, const char *range, bool *out)
{
	if ((unsigned)s >= VD_SCHEME_COUNT)
		return vd_error_set(VD_EINVAL, "bad version scheme %d", (int)s);
	if (!range)
		return vd_error_set(VD_EINVAL, "missing range");
	if (strlen(range) > VD_RANGE_MAX)
		return vd_error_set(VD_ETOOBIG, "range longer than %d bytes", VD_RANGE_MAX);
	int rc = vd_version_validate(s, version);
	if (rc)
		return rc;
	if (strncasecmp(range, "vers:", 5) == 0) {
		vd_vers *v = NULL;
		rc = vd_vers_parse(range, &v);
		if (rc)
			return rc;
		if (v->known && v->scheme != s) {
			rc = vd_error_set(VD_EINVAL, "range '%.60s' is for scheme %s, not %s", range,
			                  v->scheme_name, vd_scheme_name(s));
		} else if (!v->known && s != VD_SCHEME_GENERIC) {
			rc = vd_error_set(VD_EINVAL, "range '%.60s': unknown vers scheme '%s'", range,
			                  v->scheme_name);
		} else {
			rc = vd_vers_contains(v, version, out);
		}
		vd_vers_free(v);
		return rc;
	}
	switch (s) {
	case VD_SCHEME_NPM: return vm_npm_range(version, range, out);
	case VD_SCHEME_PYPI: return vm_pypi_range(version, range, out);
	case VD_SCHEME_MAVEN: case VD_SCHEME_NUGET: return vm_interval_range(s, version, range, out);
	case VD_SCHEME_GEM: return vm_gem_range(version, range, out);
	default: return vm_oplist_range(s, version, range, out);
	}
}

/* ---- generic fallback ----
 * Tokens are runs of digits (compared as numbers) and runs of letters
 * (compared case-insensitively); everything else separates.  A leading
 * "v" before a digit is ignored.  Letters sort before numbers and a missing
 * token counts as the number 0, so 1.0rc1 < 1.0 == 1.0.0 < 1.0.1 and
 * 1.0a < 1.0b.  Lexicographic on tokens, hence a total preorder. */
typedef struct { const char *p; size_t n; bool num; } gtok;

static size_t gen_tokens(const char *s, gtok *t, size_t max)
{
	size_t k = 0;
	if ((s[0] == 'v' || s[0] == 'V') && isdigit((unsigned char)s[1]))
		s++;
	while (*s && k < max) {
		if (isdigit((unsigned char)*s)) {
			const char *b = s;
			while (isdigit((unsigned char)*s))
				s++;
			t[k++] = (gtok){b, (size_t)(s - b), true};
		} else if (isalpha((unsigned char)*s)) {
			const char *b = s;
			while (isalpha((unsigned char)*s))
				s++;
			t[k++] = (gtok){b, (size_t)(s - b), false};
		} else {
			s++;
		}
	}
	return k;
}

int vm_generic_cmp(const char *a, const char *b, int *out)
{
	gtok ta[128], tb[128];
	size_t na = gen_tokens(a, ta, 128), nb = gen_tokens(b, tb, 128);
	static const gtok zero = {"0", 1, true};
	for (size_t i = 0; i < na || i < nb; i++) {
		/* a missing token is the number 0: 1.0 == 1, 1.0a < 1 < 1.0.1 */
		const gtok *x = i < na ? &ta[i] : &zero, *y = i < nb ? &tb[i] : &zero;
		if (x->num != y->num) {
			*out = x->num ? 1 : -1;
			return VD_OK;
		}
		int c;
		if (x->num) {
			c = vm_numcmp(x->p, x->n, y->p, y->n);
		} else {
			size_t n = x->n < y->n ? x->n : y->n;
			c = vm_sign(strncasecmp(x->p, y->p, n));
			if (!c && x->n != y->n)
				c = x->n < y->n ? -1 : 1;
		}
		if (c) {
			*out = c;
			return VD_OK;
		}
	}
	*out = 0;
	return VD_OK;
}

/* ---- comparator lists: "> 1.0, <= 2.0 || = 3" ---- */
typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } cmp_op;

static size_t parse_op(const char *s, cmp_op *op)
{
	if (strncmp(s, "<<", 2) == 0) { *op = OP_LT; return 2; }
	if (strncmp(s, ">>", 2) == 0) { *op = OP_GT; return 2; }
	if (strncmp(s, "<=", 2) == 0) { *op = OP_LE; return 2; }
	if (strncmp(s, ">=", 2) == 0) { *op = OP_GE; return 2; }
	if (strncmp(s, "==", 2) == 0) { *op = OP_EQ; return 2; }
	if (strncmp(s, "!=", 2) == 0) { *op = OP_NE; return 2; }
	if (*s == '<') { *op = OP_LT; return 1; }
	if (*s == '>') { *op = OP_GT; return 1; }
	if (*s == '=') { *op = OP_EQ; return 1; }
	*op = OP_EQ;
	return 0;
}

static bool op_holds(cmp_op op, int c)
{
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	}
	return false;
}

int vm_oplist_range(vd_scheme s, const char *v, const char *range, bool *out)
{
	const char *p = range;
	bool any_alt = false, result = false;
	while (1) {
		/* one alternative up to "||" */
		const char *end = strstr(p, "||");
		size_t alen = end ? (size_t)(end - p) : strlen(p);
		bool ok = true, any = false;
		size_t i = 0;
		while (i < alen) {
			while (i < alen && (isspace((unsigned char)p[i]) || p[i] == ','))
				i++;
			if (i >= alen)
				break;
			cmp_op op;
			i += parse_op(p + i, &op);
			while (i < alen && isspace((unsigned char)p[i]))
				i++;
			size_t b = i;
			while (i < alen && !isspace((unsigned char)p[i]) && p[i] != ',')
				i++;
			if (i == b)
				return vd_error_set(VD_EINVAL, "%s range '%.80s': comparator without a version",
				                    vd_scheme_name(s), range);
			char ver[VD_VERSION_MAX + 1];
			if (i - b > VD_VERSION_MAX)
				return vd_error_set(VD_EINVAL, "%s range '%.80s': version too long",
				                    vd_scheme_name(s), range);
			memcpy(ver, p + b, i - b);
			ver[i - b] = '\0';
			int c, rc = vd_version_compare(s, v, ver, &c);
			if (rc) {
				vd_error_prefix("range '%.80s': ", range);
				return rc;
			}
			any = true;
			if (!op_holds(op, c))
				ok = false;
		}
		if (!any)
			return vd_error_set(VD_EINVAL, "%s range '%.80s': empty alternative",
			                    vd_scheme_name(s), range);
		any_alt = true;
		if (ok)
			result = true;
		if (!end)
			break;
		p = end + 2;
	}
	*out = any_alt && result;
	return VD_OK;
}

/* ---- OSV ranges ---- */
int vd_range_scheme(const char *eco, const char *type, vd_scheme *out)
{
	vd_scheme es;
	bool eco_known = vd_scheme_from_ecosystem(eco, &es) == VD_OK;
	if (type && strcasecmp(type, "GIT") == 0)
		return vd_error_set(VD_EUNSUPPORTED, "GIT ranges name commits, not versions: they "
		                    "cannot be evaluated against a version");
	if (!type || !*type || strcasecmp(type, "ECOSYSTEM") == 0) {
		*out = es;
		return VD_OK;
	}
	if (strcasecmp(type, "SEMVER") == 0) {
		/* Go and npm versions are SemVer with extras; keep their parser */
		*out = eco_known && (es == VD_SCHEME_GOLANG || es == VD_SCHEME_NPM) ? es : VD_SCHEME_SEMVER;
		return VD_OK;
	}
	/* CVE 5 versionType: a scheme name, else the ecosystem's, else generic */
	if (vd_scheme_parse(type, out) == VD_OK)
		return VD_OK;
	vd_error_clear();
	*out = es;
	return VD_OK;
}

typedef struct { const vd_event *e; bool zero; } sev;

static int ev_order(vd_event_kind k) { return k == VD_EV_INTRODUCED ? 0 : 1; }

int vd_range_affects(vd_scheme s, const vd_range *r, const char *version, bool *out)
{
	if (r->type && strcasecmp(r->type, "GIT") == 0)
		return vd_error_set(VD_EUNSUPPORTED, "GIT ranges name commits, not versions: they "
		                    "cannot be evaluated against a version");
	int rc = vd_version_validate(s, version);
	if (rc)
		return rc;
	if (r->n_events > 4096)
		return vd_error_set(VD_ETOOBIG, "range with %zu events", r->n_events);
	sev *ev = malloc((r->n_events + 1) * sizeof *ev);
	if (!ev)
		return vd_error_set(VD_ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < r->n_events; i++) {
		const vd_event *e = &r->events[i];
		if (!e->value)
			continue;
		bool zero = e->kind == VD_EV_INTRODUCED && strcmp(e->value, "0") == 0;
		if (!zero && (rc = vd_version_validate(s, e->value)) != VD_OK) {
			vd_error_prefix("%s event: ", vd_event_kind_name(e->kind));
			free(ev);
			return rc;
		}
		/* insertion sort: introduced "0" first, then by version, introduced
		 * before fixed/last_affected/limit at equal versions */
		size_t j = n;
		while (j > 0) {
			const sev *p = &ev[j - 1];
			int c;
			if (zero || p->zero)
				c = zero && p->zero ? 0 : zero ? -1 : 1;
			else
				vd_version_compare(s, e->value, p->e->value, &c);
			if (c == 0)
				c = ev_order(e->kind) - ev_order(p->e->kind);
			if (c >= 0)
				break;
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = (sev){e, zero};
		n++;
	}
	bool affected = false, limited = false;
	for (size_t i = 0; i < n; i++) {
		const vd_event *e = ev[i].e;
		int c = 0;
		if (!ev[i].zero)
			vd_version_compare(s, version, e->value, &c);
		switch (e->kind) {
		case VD_EV_INTRODUCED:
			if (ev[i].zero || c >= 0)
				affected = true;
			break;
		case VD_EV_FIXED:
			if (c >= 0)
				affected = false;
			break;
		case VD_EV_LAST_AFFECTED:
			if (c > 0)
				affected = false;
			break;
		case VD_EV_LIMIT:
			if (c >= 0)
				limited = true;
			break;
		}
	}
	free(ev);
	*out = affected && !limited;
	return VD_OK;
}

int vd_affected_contains(const vd_affected *a, const char *version, bool *out)
{
	vd_scheme es;
	vd_scheme_from_ecosystem(a->ecosystem, &es);
	bool evaluated = false;
	int last = VD_OK;
	*out = false;
	for (size_t i = 0; i < a->n_versions; i++) {
		int c;
		if (!a->versions[i])
			continue;
		evaluated = true;
		if (strcmp(a->versions[i], version) == 0 ||
		    (vd_version_compare(es, a->versions[i], version, &c) == VD_OK && c == 0)) {
			*out = true;
			return VD_OK;
		}
	}
	if (a->vers) {
		vd_vers *v = NULL;
		bool in = false;
		if ((last = vd_vers_parse(a->vers, &v)) == VD_OK &&
		    (last = vd_vers_contains(v, version, &in)) == VD_OK) {
			evaluated = true;
			if (in) {
				vd_vers_free(v);
				*out = true;
				return VD_OK;
			}
		}
		vd_vers_free(v);
	}
	for (size_t i = 0; i < a->n_ranges; i++) {
		vd_scheme s;
		bool in = false;
		if ((last = vd_range_scheme(a->ecosystem, a->ranges[i].type, &s)) != VD_OK)
			continue;
		if ((last = vd_range_affects(s, &a->ranges[i], version, &in)) != VD_OK)
			continue;
		evaluated = true;
		if (in) {
			*out = true;
			return VD_OK;
		}
	}
	if (!evaluated) {
		if (last == VD_OK)
			return vd_error_set(VD_EUNSUPPORTED, "affected entry has no versions or ranges");
		return last;
	}
	vd_error_clear();
	return VD_OK;
}
