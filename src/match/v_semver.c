/* SemVer 2.0.0 and its relatives: npm (node-semver), Go module versions,
 * NuGet.  No I/O. */
#include "match_int.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct {
	const char *num[3]; size_t numlen[3]; int nnum;
	const char *pre; size_t prelen;     /* without '-'; prelen 0 = none */
	bool has_pre;
} sv;

enum { SV_V = 1, SV_EQ = 2, SV_SHORT = 4, SV_TRIM = 8, SV_SAFE = 16 };

static bool ident_ch(char c) { return isalnum((unsigned char)c) || c == '-'; }

/* Parse s[0..n) as SemVer; on error *why says what. */
static bool sv_parse(const char *s, size_t n, int flags, sv *o, char *why, size_t wn)
{
	size_t i = 0;
	memset(o, 0, sizeof *o);
	if (flags & SV_TRIM) {
		while (i < n && isspace((unsigned char)s[i])) i++;
		while (n > i && isspace((unsigned char)s[n - 1])) n--;
	}
	if ((flags & SV_EQ) && i < n && s[i] == '=')
		i++;
	if ((flags & SV_V) && i < n && (s[i] == 'v' || s[i] == 'V'))
		i++;
	for (int k = 0; k < 3; k++) {
		size_t b = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == b) {
			snprintf(why, wn, "expected a number at offset %zu", b);
			return false;
		}
		if (i - b > 1 && s[b] == '0') {
			snprintf(why, wn, "number with a leading zero at offset %zu", b);
			return false;
		}
		if ((flags & SV_SAFE) && (i - b > 16 || vm_numcmp(s + b, i - b, "9007199254740991", 16) > 0)) {
			snprintf(why, wn, "number too large at offset %zu", b);
			return false;
		}
		o->num[k] = s + b;
		o->numlen[k] = i - b;
		o->nnum = k + 1;
		if (k < 2) {
			if (i < n && s[i] == '.') {
				i++;
				continue;
			}
			if ((flags & SV_SHORT) && (i == n)) {
				break;
			}
			snprintf(why, wn, i < n ? "expected '.' at offset %zu" :
			         "needs three numbers MAJOR.MINOR.PATCH (ends at offset %zu)", i);
			return false;
		}
	}
	if (o->nnum < 3 && i < n) {
		snprintf(why, wn, "a short version cannot have a pre-release or build");
		return false;
	}
	if (i < n && s[i] == '-') {
		i++;
		o->pre = s + i;
		o->has_pre = true;
		size_t b = i;
		while (1) {
			size_t ib = i;
			while (i < n && ident_ch(s[i]))
				i++;
			if (i == ib) {
				snprintf(why, wn, "empty pre-release identifier at offset %zu", i);
				return false;
			}
			if (vm_isdigits(s + ib, i - ib) && i - ib > 1 && s[ib] == '0') {
				snprintf(why, wn, "numeric pre-release identifier with a leading zero at offset %zu", ib);
				return false;
			}
			if (i < n && s[i] == '.') {
				i++;
				continue;
			}
			break;
		}
		o->prelen = i - b;
	}
	if (i < n && s[i] == '+') {
		i++;
		while (1) {
			size_t ib = i;
			while (i < n && ident_ch(s[i]))
				i++;
			if (i == ib) {
				snprintf(why, wn, "empty build identifier at offset %zu", i);
				return false;
			}
			if (i < n && s[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i < n) {
		snprintf(why, wn, "unexpected '%c' at offset %zu", s[i], i);
		return false;
	}
	return true;
}

/* Compare dot-separated pre-release strings (SemVer §11). */
static int pre_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an && j < bn) {
		size_t ie = i, je = j;
		while (ie < an && a[ie] != '.') ie++;
		while (je < bn && b[je] != '.') je++;
		bool na = vm_isdigits(a + i, ie - i), nb = vm_isdigits(b + j, je - j);
		int c;
		if (na && nb) c = vm_numcmp(a + i, ie - i, b + j, je - j);
		else if (na) c = -1;
		else if (nb) c = 1;
		else c = vm_strcmp(a + i, ie - i, b + j, je - j);
		if (c)
			return c;
		i = ie < an ? ie + 1 : ie;
		j = je < bn ? je + 1 : je;
		if ((i >= an) != (j >= bn))
			break;
		if (i >= an)
			return 0;
	}
	if (i >= an && j >= bn) return 0;
	return i >= an ? -1 : 1;
}

static int sv_cmp(const sv *a, const sv *b)
{
	for (int k = 0; k < 3; k++) {
		const char *x = k < a->nnum ? a->num[k] : "0", *y = k < b->nnum ? b->num[k] : "0";
		size_t xn = k < a->nnum ? a->numlen[k] : 1, yn = k < b->nnum ? b->numlen[k] : 1;
		int c = vm_numcmp(x, xn, y, yn);
		if (c)
			return c;
	}
	if (!a->has_pre || !b->has_pre)
		return a->has_pre == b->has_pre ? 0 : a->has_pre ? -1 : 1;
	return pre_cmp(a->pre, a->prelen, b->pre, b->prelen);
}

static int cmp_with(vd_scheme s, int flags, const char *a, const char *b, int *out)
{
	sv x, y;
	char why[160];
	if (!sv_parse(a, strlen(a), flags, &x, why, sizeof why))
		return vm_bad(s, a, "%s", why);
	if (!sv_parse(b, strlen(b), flags, &y, why, sizeof why))
		return vm_bad(s, b, "%s", why);
	*out = sv_cmp(&x, &y);
	return VD_OK;
}

int vm_semver_cmp(const char *a, const char *b, int *out)
{
	return cmp_with(VD_SCHEME_SEMVER, 0, a, b, out);
}

int vm_npm_cmp(const char *a, const char *b, int *out)
{
	return cmp_with(VD_SCHEME_NPM, SV_V | SV_TRIM | SV_SAFE, a, b, out);
}

/* Go: "v" optional here because OSV writes Go SEMVER events without it;
 * "v1" and "v1.2" are shorthands for v1.0.0 and v1.2.0; "+incompatible"
 * and other build metadata are ignored; pseudo-versions
 * (v0.0.0-20191109021931-daa7c04131f5) are pre-releases and order by time. */
int vm_golang_cmp(const char *a, const char *b, int *out)
{
	return cmp_with(VD_SCHEME_GOLANG, SV_V | SV_SHORT, a, b, out);
}

/* ---- NuGet: 1–4 numbers (leading zeros allowed), -labels, +metadata ---- */
typedef struct {
	const char *num[4]; size_t numlen[4]; int nnum;
	const char *pre; size_t prelen; bool has_pre;
} nv;

static bool nv_parse(const char *s, nv *o, char *why, size_t wn)
{
	size_t i = 0, n = strlen(s);
	memset(o, 0, sizeof *o);
	while (i < n && isspace((unsigned char)s[i])) i++;
	while (n > i && isspace((unsigned char)s[n - 1])) n--;
	for (int k = 0; k < 4; k++) {
		size_t b = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == b) {
			snprintf(why, wn, "expected a number at offset %zu", b);
			return false;
		}
		if (vm_numcmp(s + b, i - b, "2147483647", 10) > 0) {
			snprintf(why, wn, "number larger than 2147483647 at offset %zu", b);
			return false;
		}
		o->num[k] = s + b;
		o->numlen[k] = i - b;
		o->nnum = k + 1;
		if (k < 3 && i < n && s[i] == '.') {
			i++;
			continue;
		}
		break;
	}
	if (i < n && s[i] == '-') {
		i++;
		size_t b = i;
		o->has_pre = true;
		o->pre = s + i;
		while (1) {
			size_t ib = i;
			while (i < n && ident_ch(s[i]))
				i++;
			if (i == ib) {
				snprintf(why, wn, "empty release label at offset %zu", i);
				return false;
			}
			if (i < n && s[i] == '.') { i++; continue; }
			break;
		}
		o->prelen = i - b;
	}
	if (i < n && s[i] == '+') {
		i++;
		size_t b = i;
		while (i < n && (ident_ch(s[i]) || s[i] == '.'))
			i++;
		if (i == b || s[i - 1] == '.') {
			snprintf(why, wn, "bad metadata at offset %zu", b);
			return false;
		}
	}
	if (i < n) {
		snprintf(why, wn, "unexpected '%c' at offset %zu", s[i], i);
		return false;
	}
	return true;
}

static int label_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an || j < bn) {
		if (i >= an) return -1;
		if (j >= bn) return 1;
		size_t ie = i, je = j;
		while (ie < an && a[ie] != '.') ie++;
		while (je < bn && b[je] != '.') je++;
		bool na = vm_isdigits(a + i, ie - i), nb = vm_isdigits(b + j, je - j);
		int c;
		if (na && nb) c = vm_numcmp(a + i, ie - i, b + j, je - j);
		else if (na) c = -1;
		else if (nb) c = 1;
		else {
			size_t m = ie - i < je - j ? ie - i : je - j;
			c = vm_sign(strncasecmp(a + i, b + j, m));
			if (!c && ie - i != je - j)
				c = ie - i < je - j ? -1 : 1;
		}
		if (c)
			return c;
		i = ie + (ie < an);
		j = je + (je < bn);
		if (ie >= an && je < bn) return -1;
		if (je >= bn && ie < an) return 1;
	}
	return 0;
}

int vm_nuget_cmp(const char *a, const char *b, int *out)
{
	nv x, y;
	char why[160];
	if (!nv_parse(a, &x, why, sizeof why))
		return vm_bad(VD_SCHEME_NUGET, a, "%s", why);
	if (!nv_parse(b, &y, why, sizeof why))
		return vm_bad(VD_SCHEME_NUGET, b, "%s", why);
	for (int k = 0; k < 4; k++) {
		int c = vm_numcmp(k < x.nnum ? x.num[k] : "0", k < x.nnum ? x.numlen[k] : 1,
		                  k < y.nnum ? y.num[k] : "0", k < y.nnum ? y.numlen[k] : 1);
		if (c) { *out = c; return VD_OK; }
	}
	if (!x.has_pre || !y.has_pre)
		*out = x.has_pre == y.has_pre ? 0 : x.has_pre ? -1 : 1;
	else
		*out = label_cmp(x.pre, x.prelen, y.pre, y.prelen);
	return VD_OK;
}

/* ---- npm ranges (node-semver semantics, includePrerelease off) ---- */
typedef struct {
	uint64_t n[3];
	const char *pre; size_t prelen; bool has_pre;
} nver;                       /* a concrete bound */
typedef enum { C_ANY, C_LT, C_LE, C_GT, C_GE, C_EQ, C_NONE } cop;
typedef struct { cop op; nver v; } ncomp;
typedef struct { uint64_t n[3]; int have; /* numbers given before x */
                 const char *pre; size_t prelen; bool has_pre; } partial;

static int nver_cmp(const nver *a, const nver *b)
{
	for (int k = 0; k < 3; k++)
		if (a->n[k] != b->n[k])
			return a->n[k] < b->n[k] ? -1 : 1;
	if (!a->has_pre || !b->has_pre)
		return a->has_pre == b->has_pre ? 0 : a->has_pre ? -1 : 1;
	return pre_cmp(a->pre, a->prelen, b->pre, b->prelen);
}

static bool is_x(char c) { return c == 'x' || c == 'X' || c == '*'; }

/* Partial version "1", "1.2", "1.x", "1.2.3-pre+b", "*" */
static bool parse_partial(const char *s, size_t n, partial *p, char *why, size_t wn)
{
	size_t i = 0;
	memset(p, 0, sizeof *p);
	if (i < n && s[i] == '=') i++;
	if (i < n && (s[i] == 'v' || s[i] == 'V')) i++;
	if (i == n) {
		p->have = 0;
		return true;
	}
	for (int k = 0; k < 3; k++) {
		if (i < n && is_x(s[i])) {
			i++;
			/* further parts must be x too (or absent) */
			while (i < n && s[i] == '.') {
				i++;
				if (i < n && is_x(s[i])) i++;
				else if (i < n && isdigit((unsigned char)s[i])) {
					while (i < n && isdigit((unsigned char)s[i])) i++;
				}
			}
			break;
		}
		size_t b = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == b) {
			snprintf(why, wn, "expected a number or x at '%.*s'", (int)(n - b), s + b);
			return false;
		}
		if ((i - b > 1 && s[b] == '0') || i - b > 15) {
			snprintf(why, wn, "bad number '%.*s'", (int)(i - b), s + b);
			return false;
		}
		uint64_t v = 0;
		for (size_t j = b; j < i; j++)
			v = v * 10 + (uint64_t)(s[j] - '0');
		p->n[k] = v;
		p->have = k + 1;
		if (k < 2 && i < n && s[i] == '.') {
			i++;
			continue;
		}
		break;
	}
	if (p->have == 3 && i < n && s[i] == '-') {
		sv tmp;
		/* validate the pre-release part with the strict parser */
		char buf[VD_VERSION_MAX + 8];
		int len = snprintf(buf, sizeof buf, "0.0.0%.*s", (int)(n - i), s + i);
		if (len < 0 || (size_t)len >= sizeof buf || !sv_parse(buf, (size_t)len, 0, &tmp, why, wn)) {
			if (len >= 0 && (size_t)len >= sizeof buf)
				snprintf(why, wn, "version too long");
			return false;
		}
		i++;
		p->pre = s + i;
		p->has_pre = true;
		while (i < n && s[i] != '+') i++;
		p->prelen = (size_t)(s + i - p->pre);
	}
	if (p->have == 3 && i < n && s[i] == '+') {
		i++;
		while (i < n && (ident_ch(s[i]) || s[i] == '.')) i++;
	}
	if (i < n) {
		snprintf(why, wn, "unexpected '%c' in '%.*s'", s[i], (int)n, s);
		return false;
	}
	return true;
}

static nver mk(uint64_t a, uint64_t b, uint64_t c, bool zero_pre)
{
	nver v = {{a, b, c}, zero_pre ? "0" : NULL, zero_pre ? 1 : 0, zero_pre};
	return v;
}

static nver from_partial(const partial *p)
{
	nver v = {{p->n[0], p->n[1], p->n[2]}, p->pre, p->prelen, p->has_pre};
	for (int k = p->have; k < 3; k++)
		v.n[k] = 0;
	return v;
}

#define MAXC 64
typedef struct { ncomp c[MAXC]; int n; } cset;

static bool push(cset *s, cop op, nver v)
{
	if (s->n >= MAXC)
		return false;
	s->c[s->n++] = (ncomp){op, v};
	return true;
}

/* Desugar one operator + partial into comparators. */
static bool desugar(cset *s, const char *op, size_t opn, const partial *p)
{
	int M = p->have;
	if (opn == 1 && op[0] == '~') {
		if (M == 0) return push(s, C_ANY, mk(0, 0, 0, false));
		if (M == 1) return push(s, C_GE, mk(p->n[0], 0, 0, false)) &&
		                   push(s, C_LT, mk(p->n[0] + 1, 0, 0, true));
		return push(s, C_GE, from_partial(p)) &&
		       push(s, C_LT, mk(p->n[0], p->n[1] + 1, 0, true));
	}
	if (opn == 1 && op[0] == '^') {
		if (M == 0) return push(s, C_ANY, mk(0, 0, 0, false));
		nver lo = from_partial(p);
		if (M == 1)
			return push(s, C_GE, lo) && push(s, C_LT, mk(p->n[0] + 1, 0, 0, true));
		if (p->n[0] > 0)
			return push(s, C_GE, lo) && push(s, C_LT, mk(p->n[0] + 1, 0, 0, true));
		if (M == 2 || p->n[1] > 0)
			return push(s, C_GE, lo) && push(s, C_LT, mk(0, p->n[1] + 1, 0, true));
		return push(s, C_GE, lo) && push(s, C_LT, mk(0, 0, p->n[2] + 1, true));
	}
	cop c = C_EQ;
	if (opn == 2 && op[0] == '>' && op[1] == '=') c = C_GE;
	else if (opn == 2 && op[0] == '<' && op[1] == '=') c = C_LE;
	else if (opn == 1 && op[0] == '>') c = C_GT;
	else if (opn == 1 && op[0] == '<') c = C_LT;
	else if (opn == 0 || (opn == 1 && op[0] == '=')) c = C_EQ;
	else return false;
	if (M == 3)
		return push(s, c, from_partial(p));
	if (M == 0) {
		if (c == C_GT || c == C_LT)
			return push(s, C_NONE, mk(0, 0, 0, false));
		return push(s, C_ANY, mk(0, 0, 0, false));
	}
	uint64_t a = p->n[0], b = M >= 2 ? p->n[1] : 0;
	switch (c) {
	case C_EQ:
		if (M == 1) return push(s, C_GE, mk(a, 0, 0, false)) && push(s, C_LT, mk(a + 1, 0, 0, true));
		return push(s, C_GE, mk(a, b, 0, false)) && push(s, C_LT, mk(a, b + 1, 0, true));
	case C_GT:
		return push(s, C_GE, M == 1 ? mk(a + 1, 0, 0, false) : mk(a, b + 1, 0, false));
	case C_LE:
		return push(s, C_LT, M == 1 ? mk(a + 1, 0, 0, true) : mk(a, b + 1, 0, true));
	case C_LT:
		return push(s, C_LT, mk(a, b, 0, true));
	case C_GE:
		return push(s, C_GE, mk(a, b, 0, false));
	default:
		return false;
	}
}

static bool comp_ok(const ncomp *c, const nver *v)
{
	int r = nver_cmp(v, &c->v);
	switch (c->op) {
	case C_ANY: return true;
	case C_NONE: return false;
	case C_LT: return r < 0;
	case C_LE: return r <= 0;
	case C_GT: return r > 0;
	case C_GE: return r >= 0;
	case C_EQ: return r == 0;
	}
	return false;
}

static bool set_ok(const cset *s, const nver *v)
{
	for (int i = 0; i < s->n; i++)
		if (!comp_ok(&s->c[i], v))
			return false;
	if (v->has_pre) {
		/* a pre-release only matches when some comparator names a
		 * pre-release of the same [major, minor, patch] */
		for (int i = 0; i < s->n; i++) {
			const nver *b = &s->c[i].v;
			if (s->c[i].op == C_ANY || s->c[i].op == C_NONE)
				continue;
			if (b->has_pre && b->n[0] == v->n[0] && b->n[1] == v->n[1] && b->n[2] == v->n[2])
				return true;
		}
		return false;
	}
	return true;
}

static int bad_range(const char *range, const char *why)
{
	return vd_error_set(VD_EINVAL, "npm range '%.100s': %s", range, why);
}

static bool spc(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* One "||" alternative: hyphen range or space-separated comparators. */
static int parse_set(const char *range, const char *s, size_t n, cset *set)
{
	char why[200];
	set->n = 0;
	while (n > 0 && spc(*s)) { s++; n--; }
	while (n > 0 && spc(s[n - 1])) n--;
	if (n == 0)
		return push(set, C_ANY, mk(0, 0, 0, false)) ? VD_OK : bad_range(range, "too many comparators");
	/* hyphen range: "A - B" */
	for (size_t i = 1; i + 2 < n; i++) {
		if (s[i] == '-' && spc(s[i - 1]) && spc(s[i + 1])) {
			size_t ae = i - 1, bb = i + 1;
			while (ae > 0 && spc(s[ae - 1])) ae--;
			while (bb < n && spc(s[bb])) bb++;
			partial a, b;
			if (!parse_partial(s, ae, &a, why, sizeof why) ||
			    !parse_partial(s + bb, n - bb, &b, why, sizeof why))
				return bad_range(range, why);
			if (a.have == 0) push(set, C_ANY, mk(0, 0, 0, false));
			else push(set, C_GE, from_partial(&a));
			if (b.have == 0) push(set, C_ANY, mk(0, 0, 0, false));
			else if (b.have == 1) push(set, C_LT, mk(b.n[0] + 1, 0, 0, true));
			else if (b.have == 2) push(set, C_LT, mk(b.n[0], b.n[1] + 1, 0, true));
			else push(set, C_LE, from_partial(&b));
			return VD_OK;
		}
	}
	size_t i = 0;
	while (i < n) {
		while (i < n && spc(s[i])) i++;
		if (i >= n) break;
		size_t ob = i;
		while (i < n && (s[i] == '<' || s[i] == '>' || s[i] == '=' || s[i] == '~' || s[i] == '^'))
			i++;
		size_t on = i - ob;
		const char *op = s + ob;
		/* "~>" is the same as "~"; "=" alone means exact */
		if (on == 2 && op[0] == '~' && op[1] == '>') on = 1;
		if (on > 2 || (on == 2 && op[1] != '=')) {
			if (!(on == 2 && op[0] == '=' && op[1] == '=')) {
				snprintf(why, sizeof why, "bad operator '%.*s'", (int)on, op);
				return bad_range(range, why);
			}
		}
		while (i < n && spc(s[i])) i++;
		size_t vb = i;
		while (i < n && !spc(s[i])) i++;
		partial p;
		if (!parse_partial(s + vb, i - vb, &p, why, sizeof why))
			return bad_range(range, why);
		if (i == vb && on > 0 && !(on == 1 && (op[0] == '~' || op[0] == '^')))
			return bad_range(range, "operator without a version");
		if (!desugar(set, op, on, &p))
			return bad_range(range, "too many comparators or bad operator");
	}
	return VD_OK;
}

int vm_npm_range(const char *v, const char *range, bool *out)
{
	sv x;
	char why[160];
	if (!sv_parse(v, strlen(v), SV_V | SV_TRIM | SV_SAFE, &x, why, sizeof why))
		return vm_bad(VD_SCHEME_NPM, v, "%s", why);
	nver tv = {{0, 0, 0}, x.pre, x.prelen, x.has_pre};
	for (int k = 0; k < 3; k++)
		for (size_t j = 0; j < x.numlen[k]; j++)
			tv.n[k] = tv.n[k] * 10 + (uint64_t)(x.num[k][j] - '0');
	const char *p = range;
	*out = false;
	bool hit = false;
	while (1) {
		const char *end = strstr(p, "||");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		cset set;
		int rc = parse_set(range, p, n, &set);
		if (rc)
			return rc;
		if (set_ok(&set, &tv))
			hit = true;
		if (!end)
			break;
		p = end + 2;
	}
	*out = hit;
	return VD_OK;
}
