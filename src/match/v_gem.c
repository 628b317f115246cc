/* RubyGems versions (Gem::Version ordering) and requirements
 * ("~> 2.2", ">= 1.0, < 2").  No I/O. */
#include "match_int.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define GEM_MAX 128
typedef struct { const char *p; size_t n; bool num; } gseg;
typedef struct {
	char buf[VD_VERSION_MAX * 5 + 8];   /* "-" becomes ".pre." */
	gseg seg[GEM_MAX]; int nseg;       /* as scanned */
	gseg can[GEM_MAX]; int ncan;       /* canonical: trailing zeros dropped per part */
	bool prerelease;
} gver;

static bool is_zero(const gseg *g) { return g->num && vm_numcmp(g->p, g->n, "0", 1) == 0; }

/* [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)? */
static bool gem_valid(const char *s, size_t n, char *why, size_t wn)
{
	size_t i = 0;
	if (n == 0)
		return true;                  /* "" means "0" */
	if (!isdigit((unsigned char)s[0])) {
		snprintf(why, wn, "must start with a digit");
		return false;
	}
	while (i < n && isdigit((unsigned char)s[i])) i++;
	while (i < n && s[i] == '.') {
		size_t b = ++i;
		while (i < n && isalnum((unsigned char)s[i])) i++;
		if (i == b) {
			snprintf(why, wn, "empty segment at offset %zu", b);
			return false;
		}
	}
	if (i < n && s[i] == '-') {
		do {
			size_t b = ++i;
			while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-')) i++;
			if (i == b) {
				snprintf(why, wn, "empty pre-release segment at offset %zu", b);
				return false;
			}
		} while (i < n && s[i] == '.');
	}
	if (i < n) {
		snprintf(why, wn, "unexpected '%c' at offset %zu", s[i], i);
		return false;
	}
	return true;
}

static int gem_load(const char *in, gver *g)
{
	char why[160];
	size_t b = 0, n = strlen(in);
	while (b < n && isspace((unsigned char)in[b])) b++;
	while (n > b && isspace((unsigned char)in[n - 1])) n--;
	if (!gem_valid(in + b, n - b, why, sizeof why))
		return vm_bad(VD_SCHEME_GEM, in, "%s", why);
	size_t k = 0;
	if (n == b)
		g->buf[k++] = '0';
	for (size_t i = b; i < n; i++) {
		if (in[i] == '-') {
			memcpy(g->buf + k, ".pre.", 5);
			k += 5;
		} else {
			g->buf[k++] = in[i];
		}
	}
	g->buf[k] = '\0';
	g->nseg = 0;
	g->prerelease = false;
	for (const char *p = g->buf; *p;) {
		if (isdigit((unsigned char)*p) || isalpha((unsigned char)*p)) {
			bool num = isdigit((unsigned char)*p);
			const char *q = p;
			while (*q && (num ? isdigit((unsigned char)*q) : isalpha((unsigned char)*q))) q++;
			if (g->nseg >= GEM_MAX)
				return vm_bad(VD_SCHEME_GEM, in, "more than %d segments", GEM_MAX);
			g->seg[g->nseg++] = (gseg){p, (size_t)(q - p), num};
			if (!num)
				g->prerelease = true;
			p = q;
		} else {
			p++;
		}
	}
	/* canonical: numeric prefix and the rest, each without trailing zeros */
	int first_str = g->nseg;
	for (int i = 0; i < g->nseg; i++)
		if (!g->seg[i].num) { first_str = i; break; }
	int e1 = first_str;
	while (e1 > 0 && is_zero(&g->seg[e1 - 1])) e1--;
	int e2 = g->nseg;
	while (e2 > first_str && is_zero(&g->seg[e2 - 1])) e2--;
	g->ncan = 0;
	for (int i = 0; i < e1; i++) g->can[g->ncan++] = g->seg[i];
	for (int i = first_str; i < e2; i++) g->can[g->ncan++] = g->seg[i];
	return VD_OK;
}

static int gem_cmp(const gver *a, const gver *b)
{
	static const gseg zero = {"0", 1, true};
	for (int i = 0; i < a->ncan || i < b->ncan; i++) {
		const gseg *x = i < a->ncan ? &a->can[i] : &zero, *y = i < b->ncan ? &b->can[i] : &zero;
		if (x->num != y->num)
			return x->num ? 1 : -1;     /* strings sort before numbers */
		int c = x->num ? vm_numcmp(x->p, x->n, y->p, y->n) : vm_strcmp(x->p, x->n, y->p, y->n);
		if (c)
			return c;
	}
	return 0;
}

int vm_gem_cmp(const char *a, const char *b, int *out)
{
	static _Thread_local gver x, y;
	int rc = gem_load(a, &x);
	if (rc == VD_OK)
		rc = gem_load(b, &y);
	if (rc == VD_OK)
		*out = gem_cmp(&x, &y);
	return rc;
}

/* Gem::Version#release: drop everything from the first letter segment. */
static void gem_release(const gver *g, gver *r)
{
	*r = *g;
	if (!g->prerelease)
		return;
	int k = 0;
	while (k < g->nseg && g->seg[k].num) k++;
	r->nseg = k;
	int e = k;
	while (e > 0 && is_zero(&r->seg[e - 1])) e--;
	r->ncan = 0;
	for (int i = 0; i < e; i++) r->can[r->ncan++] = r->seg[i];
	r->prerelease = false;
}

/* Gem::Version#bump as a string into out: drop letter segments, drop the
 * last number (when more than one), add one to the new last. */
static bool gem_bump(const gver *g, char *out, size_t on)
{
	int k = 0;
	while (k < g->nseg && g->seg[k].num) k++;
	if (k > 1) k--;
	size_t len = 0;
	for (int i = 0; i < k; i++) {
		const gseg *s = &g->seg[i];
		if (len + s->n + 3 >= on)
			return false;
		if (i) out[len++] = '.';
		memcpy(out + len, s->p, s->n);
		len += s->n;
	}
	out[len] = '\0';
	/* increment the last number in place (decimal, with carry) */
	size_t i = len;
	size_t start = len;
	while (start > 0 && out[start - 1] != '.') start--;
	while (i > start) {
		if (out[i - 1] < '9') { out[i - 1]++; return true; }
		out[i - 1] = '0';
		i--;
	}
	memmove(out + start + 1, out + start, len - start + 1);
	out[start] = '1';
	return true;
}

static int rbad(const char *range, const char *why)
{
	return vd_error_set(VD_EINVAL, "gem requirement '%.100s': %s", range, why);
}

int vm_gem_range(const char *version, const char *range, bool *out)
{
	static _Thread_local gver v, r, tmp;
	int rc = gem_load(version, &v);
	if (rc)
		return rc;
	bool all = true, any = false;
	const char *p = range;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p)) p++;
		if (!*p) break;
		const char *op = p;
		while (*p && strchr("~=!<>", *p)) p++;
		size_t opn = (size_t)(p - op);
		while (isspace((unsigned char)*p)) p++;
		const char *vb = p;
		while (*p && *p != ',' && !isspace((unsigned char)*p)) p++;
		size_t vn = (size_t)(p - vb);
		char ver[VD_VERSION_MAX + 1];
		if (vn == 0 || vn > VD_VERSION_MAX)
			return rbad(range, vn ? "version too long" : "operator without a version");
		memcpy(ver, vb, vn);
		ver[vn] = '\0';
		if ((rc = gem_load(ver, &r))) {
			vd_error_prefix("gem requirement '%.100s': ", range);
			return rc;
		}
		int c = gem_cmp(&v, &r);
		bool ok;
		if (opn == 0 || (opn == 1 && *op == '=')) ok = c == 0;
		else if (opn == 2 && !memcmp(op, "!=", 2)) ok = c != 0;
		else if (opn == 2 && !memcmp(op, ">=", 2)) ok = c >= 0;
		else if (opn == 2 && !memcmp(op, "<=", 2)) ok = c <= 0;
		else if (opn == 1 && *op == '>') ok = c > 0;
		else if (opn == 1 && *op == '<') ok = c < 0;
		else if (opn == 2 && !memcmp(op, "~>", 2)) {
			char bump[VD_VERSION_MAX + 8];
			if (!gem_bump(&r, bump, sizeof bump))
				return rbad(range, "version too long");
			gver *rel = &tmp;
			gem_release(&v, rel);
			static _Thread_local gver bv;
			if ((rc = gem_load(bump, &bv)))
				return rc;
			ok = c >= 0 && gem_cmp(rel, &bv) < 0;
		} else {
			return rbad(range, "unknown operator (use = != > < >= <= ~>)");
		}
		any = true;
		if (!ok) all = false;
	}
	if (!any)
		return rbad(range, "empty requirement");
	*out = all;
	return VD_OK;
}
