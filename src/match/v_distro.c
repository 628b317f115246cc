/* Distribution package versions: Debian (dpkg), RPM (rpmvercmp) and
 * Alpine apk.  No I/O. */
#include "match_int.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- Debian ---- */
typedef struct { const char *ep; size_t epn; const char *up; size_t upn; const char *rev; size_t revn; } debv;

static int deb_parse(const char *s, debv *d)
{
	size_t n = strlen(s);
	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]))
			return vm_bad(VD_SCHEME_DEB, s, "contains whitespace at offset %zu", i);
	const char *colon = strchr(s, ':');
	const char *up = s;
	if (colon) {
		d->ep = s;
		d->epn = (size_t)(colon - s);
		if (!vm_isdigits(s, d->epn))
			return vm_bad(VD_SCHEME_DEB, s, "epoch '%.*s' is not a number", (int)d->epn, s);
		if (vm_numcmp(s, d->epn, "2147483647", 10) > 0)
			return vm_bad(VD_SCHEME_DEB, s, "epoch is too big");
		up = colon + 1;
		if (!*up)
			return vm_bad(VD_SCHEME_DEB, s, "nothing after the epoch colon");
	}
	const char *dash = strrchr(up, '-');
	d->up = up;
	d->upn = dash ? (size_t)(dash - up) : strlen(up);
	if (dash) {
		d->rev = dash + 1;
		d->revn = strlen(dash + 1);
		if (d->revn == 0)
			return vm_bad(VD_SCHEME_DEB, s, "revision is empty");
	}
	if (d->upn == 0)
		return vm_bad(VD_SCHEME_DEB, s, "upstream version is empty");
	if (!isdigit((unsigned char)up[0]))
		return vm_bad(VD_SCHEME_DEB, s, "upstream version does not start with a digit");
	for (size_t i = 0; i < d->upn; i++)
		if (!isalnum((unsigned char)up[i]) && !strchr(".+~-:", up[i]))
			return vm_bad(VD_SCHEME_DEB, s, "invalid character '%c' in the upstream version", up[i]);
	for (size_t i = 0; i < d->revn; i++)
		if (!isalnum((unsigned char)d->rev[i]) && !strchr(".+~", d->rev[i]))
			return vm_bad(VD_SCHEME_DEB, s, "invalid character '%c' in the revision", d->rev[i]);
	return VD_OK;
}

static int deb_order(int c)
{
	if (isdigit(c)) return 0;
	if (isalpha(c)) return c;
	if (c == '~') return -1;
	if (c) return c + 256;
	return 0;
}

/* dpkg's verrevcmp over two spans */
static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an || j < bn) {
		int first_diff = 0;
		while ((i < an && !isdigit((unsigned char)a[i])) || (j < bn && !isdigit((unsigned char)b[j]))) {
			int ac = i < an ? deb_order((unsigned char)a[i]) : 0;
			int bc = j < bn ? deb_order((unsigned char)b[j]) : 0;
			if (ac != bc)
				return ac < bc ? -1 : 1;
			i++;
			j++;
		}
		while (i < an && a[i] == '0') i++;
		while (j < bn && b[j] == '0') j++;
		while (i < an && j < bn && isdigit((unsigned char)a[i]) && isdigit((unsigned char)b[j])) {
			if (!first_diff)
				first_diff = a[i] - b[j];
			i++;
			j++;
		}
		if (i < an && isdigit((unsigned char)a[i])) return 1;
		if (j < bn && isdigit((unsigned char)b[j])) return -1;
		if (first_diff) return first_diff < 0 ? -1 : 1;
	}
	return 0;
}

int vm_deb_cmp(const char *a, const char *b, int *out)
{
	debv x, y;
	int rc = deb_parse(a, &x);
	if (rc == VD_OK)
		rc = deb_parse(b, &y);
	if (rc)
		return rc;
	int c = vm_numcmp(x.epn ? x.ep : "0", x.epn ? x.epn : 1, y.epn ? y.ep : "0", y.epn ? y.epn : 1);
	if (!c) c = verrevcmp(x.up, x.upn, y.up, y.upn);
	if (!c) c = verrevcmp(x.rev ? x.rev : "", x.revn, y.rev ? y.rev : "", y.revn);
	*out = c;
	return VD_OK;
}

/* ---- RPM: [epoch:]version[-release] ---- */
typedef struct { const char *ep; size_t epn; const char *v; size_t vn; const char *r; size_t rn; bool has_r; } rpmv;

static bool rpm_ch(char c) { return isalnum((unsigned char)c) || strchr("._+~^", c); }

static int rpm_parse(const char *s, rpmv *o)
{
	memset(o, 0, sizeof *o);
	const char *colon = strchr(s, ':');
	const char *v = s;
	if (colon) {
		o->ep = s;
		o->epn = (size_t)(colon - s);
		if (!vm_isdigits(s, o->epn))
			return vm_bad(VD_SCHEME_RPM, s, "epoch '%.*s' is not a number", (int)o->epn, s);
		v = colon + 1;
	}
	const char *dash = strchr(v, '-');
	o->v = v;
	o->vn = dash ? (size_t)(dash - v) : strlen(v);
	if (dash) {
		o->has_r = true;
		o->r = dash + 1;
		o->rn = strlen(dash + 1);
		if (o->rn == 0)
			return vm_bad(VD_SCHEME_RPM, s, "release after '-' is empty");
	}
	if (o->vn == 0)
		return vm_bad(VD_SCHEME_RPM, s, "version is empty");
	for (size_t i = 0; i < o->vn; i++)
		if (!rpm_ch(v[i]))
			return vm_bad(VD_SCHEME_RPM, s, "invalid character '%c' in the version", v[i]);
	for (size_t i = 0; i < o->rn; i++)
		if (!rpm_ch(o->r[i]))
			return vm_bad(VD_SCHEME_RPM, s, o->r[i] == '-' ? "more than one '-' (the release "
			              "cannot contain '-')" : "invalid character '%c' in the release", o->r[i]);
	return VD_OK;
}

/* librpm's rpmvercmp, over spans */
static int rpmvercmp(const char *a, size_t an, const char *b, size_t bn)
{
	if (an == bn && memcmp(a, b, an) == 0)
		return 0;
	size_t i = 0, j = 0;
#define AT(s, k, n) ((k) < (n) ? (s)[k] : '\0')
	while (i < an || j < bn) {
		while (i < an && !isalnum((unsigned char)a[i]) && a[i] != '~' && a[i] != '^') i++;
		while (j < bn && !isalnum((unsigned char)b[j]) && b[j] != '~' && b[j] != '^') j++;
		char ca = AT(a, i, an), cb = AT(b, j, bn);
		if (ca == '~' || cb == '~') {
			if (ca != '~') return 1;
			if (cb != '~') return -1;
			i++; j++;
			continue;
		}
		if (ca == '^' || cb == '^') {
			if (!ca) return -1;
			if (!cb) return 1;
			if (ca != '^') return 1;
			if (cb != '^') return -1;
			i++; j++;
			continue;
		}
		if (!ca || !cb)
			break;
		size_t i2 = i, j2 = j;
		bool isnum = isdigit((unsigned char)ca);
		if (isnum) {
			while (i2 < an && isdigit((unsigned char)a[i2])) i2++;
			while (j2 < bn && isdigit((unsigned char)b[j2])) j2++;
		} else {
			while (i2 < an && isalpha((unsigned char)a[i2])) i2++;
			while (j2 < bn && isalpha((unsigned char)b[j2])) j2++;
		}
		if (j2 == j)
			return isnum ? 1 : -1;
		int c = isnum ? vm_numcmp(a + i, i2 - i, b + j, j2 - j) : vm_strcmp(a + i, i2 - i, b + j, j2 - j);
		if (c)
			return c;
		i = i2;
		j = j2;
	}
#undef AT
	if (i >= an && j >= bn)
		return 0;
	return i >= an ? -1 : 1;
}

int vm_rpm_cmp(const char *a, const char *b, int *out)
{
	rpmv x, y;
	int rc = rpm_parse(a, &x);
	if (rc == VD_OK)
		rc = rpm_parse(b, &y);
	if (rc)
		return rc;
	int c = vm_numcmp(x.epn ? x.ep : "0", x.epn ? x.epn : 1, y.epn ? y.ep : "0", y.epn ? y.epn : 1);
	if (!c) c = rpmvercmp(x.v, x.vn, y.v, y.vn);
	/* a missing release compares as "" (before any release) so the order stays total */
	if (!c) c = rpmvercmp(x.has_r ? x.r : "", x.rn, y.has_r ? y.r : "", y.rn);
	*out = c;
	return VD_OK;
}

/* ---- Alpine apk: N(.N)*[a-z]?(_suffix[N])*(-rN)? ---- */
#define APK_MAX 32
typedef struct {
	const char *num[APK_MAX]; size_t numlen[APK_MAX]; int nnum;
	char letter;
	int suf[APK_MAX]; const char *sufn[APK_MAX]; size_t sufnl[APK_MAX]; int nsuf;
	const char *rev; size_t revn;
} apkv;

static const char *const apk_sufs[] = {"alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"};
/* rank: pre-release suffixes below "no suffix" (4), the rest above */
static int apk_rank(int k) { return k < 4 ? k : k + 1; }

static int apk_parse(const char *s, apkv *o)
{
	memset(o, 0, sizeof *o);
	size_t i = 0;
	while (1) {
		size_t b = i;
		while (isdigit((unsigned char)s[i])) i++;
		if (i == b)
			return vm_bad(VD_SCHEME_APK, s, "expected a number at offset %zu", b);
		if (o->nnum >= APK_MAX)
			return vm_bad(VD_SCHEME_APK, s, "too many components");
		o->num[o->nnum] = s + b;
		o->numlen[o->nnum++] = i - b;
		if (s[i] == '.') { i++; continue; }
		break;
	}
	if (islower((unsigned char)s[i]) && (s[i + 1] == '\0' || s[i + 1] == '_' || s[i + 1] == '-'))
		o->letter = s[i++];
	while (s[i] == '_') {
		i++;
		int k = -1;
		for (int q = 0; q < 9; q++) {
			size_t l = strlen(apk_sufs[q]);
			if (strncmp(s + i, apk_sufs[q], l) == 0 && !islower((unsigned char)s[i + l])) {
				k = q;
				i += l;
				break;
			}
		}
		if (k < 0)
			return vm_bad(VD_SCHEME_APK, s, "unknown suffix at offset %zu (alpha, beta, pre, rc, "
			              "cvs, svn, git, hg, p)", i);
		if (o->nsuf >= APK_MAX)
			return vm_bad(VD_SCHEME_APK, s, "too many suffixes");
		size_t b = i;
		while (isdigit((unsigned char)s[i])) i++;
		o->suf[o->nsuf] = k;
		o->sufn[o->nsuf] = s + b;
		o->sufnl[o->nsuf++] = i - b;
	}
	if (s[i] == '-') {
		if (s[i + 1] != 'r')
			return vm_bad(VD_SCHEME_APK, s, "expected '-r' and a revision at offset %zu", i);
		i += 2;
		size_t b = i;
		while (isdigit((unsigned char)s[i])) i++;
		if (i == b)
			return vm_bad(VD_SCHEME_APK, s, "revision number missing after '-r'");
		o->rev = s + b;
		o->revn = i - b;
	}
	if (s[i])
		return vm_bad(VD_SCHEME_APK, s, "unexpected '%c' at offset %zu", s[i], i);
	return VD_OK;
}

/* Gentoo-style component compare: a part after the first that starts with
 * '0' compares as a decimal fraction (trailing zeros dropped). */
static int apk_part(const char *a, size_t an, const char *b, size_t bn, bool first)
{
	if (!first && ((an && a[0] == '0') || (bn && b[0] == '0'))) {
		while (an && a[an - 1] == '0') an--;
		while (bn && b[bn - 1] == '0') bn--;
		return vm_strcmp(a, an, b, bn);
	}
	return vm_numcmp(a, an, b, bn);
}

int vm_apk_cmp(const char *a, const char *b, int *out)
{
	apkv x, y;
	int rc = apk_parse(a, &x);
	if (rc == VD_OK)
		rc = apk_parse(b, &y);
	if (rc)
		return rc;
	int c = 0;
	for (int k = 0; k < x.nnum && k < y.nnum && !c; k++)
		c = apk_part(x.num[k], x.numlen[k], y.num[k], y.numlen[k], k == 0);
	if (!c && x.nnum != y.nnum)
		c = x.nnum < y.nnum ? -1 : 1;
	if (!c && x.letter != y.letter)
		c = x.letter < y.letter ? -1 : 1;
	for (int k = 0; !c && (k < x.nsuf || k < y.nsuf); k++) {
		int rx = k < x.nsuf ? apk_rank(x.suf[k]) : 4, ry = k < y.nsuf ? apk_rank(y.suf[k]) : 4;
		if (rx != ry)
			c = rx < ry ? -1 : 1;
		else if (k < x.nsuf && k < y.nsuf)
			c = vm_numcmp(x.sufnl[k] ? x.sufn[k] : "0", x.sufnl[k] ? x.sufnl[k] : 1,
			              y.sufnl[k] ? y.sufn[k] : "0", y.sufnl[k] ? y.sufnl[k] : 1);
	}
	if (!c)
		c = vm_numcmp(x.revn ? x.rev : "0", x.revn ? x.revn : 1, y.revn ? y.rev : "0", y.revn ? y.revn : 1);
	*out = c;
	return VD_OK;
}
