/* PEP 440 versions and specifier sets.  No I/O. */
#include "match_int.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define PEP_MAXSEG 64

typedef struct { const char *p; size_t n; } span;
typedef struct {
	char buf[VD_VERSION_MAX + 1];   /* lower-cased, trimmed copy */
	span epoch;                     /* n == 0: none */
	span rel[PEP_MAXSEG]; int nrel;
	int pre;                        /* 0 none, 1 a, 2 b, 3 rc */
	span pre_n;
	bool post; span post_n;
	bool dev; span dev_n;
	span loc[PEP_MAXSEG]; int nloc;
} pep;

static bool sep(char c) { return c == '-' || c == '_' || c == '.'; }

static size_t digits(const char *s, size_t i)
{
	while (isdigit((unsigned char)s[i]))
		i++;
	return i;
}

static bool word(const char *s, size_t i, const char *w) { return strncmp(s + i, w, strlen(w)) == 0; }

/* Optional [-_.]? then digits: returns new index and the span (n 0 = none). */
static size_t opt_num(const char *s, size_t i, span *out)
{
	size_t j = i;
	if (sep(s[j]))
		j++;
	if (isdigit((unsigned char)s[j])) {
		size_t e = digits(s, j);
		*out = (span){s + j, e - j};
		return e;
	}
	*out = (span){"0", 1};
	return i;
}

static bool pep_parse(const char *in, pep *v, char *why, size_t wn)
{
	memset(v, 0, sizeof *v);
	size_t n = strlen(in), b = 0;
	while (b < n && isspace((unsigned char)in[b])) b++;
	while (n > b && isspace((unsigned char)in[n - 1])) n--;
	if (n - b > VD_VERSION_MAX) {
		snprintf(why, wn, "too long");
		return false;
	}
	for (size_t k = b; k < n; k++)
		v->buf[k - b] = (char)tolower((unsigned char)in[k]);
	v->buf[n - b] = '\0';
	const char *s = v->buf;
	size_t i = 0;
	if (s[i] == 'v')
		i++;
	size_t e = digits(s, i);
	if (e == i) {
		snprintf(why, wn, "must start with a number (offset %zu)", i);
		return false;
	}
	if (s[e] == '!') {
		v->epoch = (span){s + i, e - i};
		i = e + 1;
		e = digits(s, i);
		if (e == i) {
			snprintf(why, wn, "expected a release number after the epoch (offset %zu)", i);
			return false;
		}
	}
	v->rel[v->nrel++] = (span){s + i, e - i};
	i = e;
	while (s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
		e = digits(s, i + 1);
		if (v->nrel >= PEP_MAXSEG) {
			snprintf(why, wn, "more than %d release segments", PEP_MAXSEG);
			return false;
		}
		v->rel[v->nrel++] = (span){s + i + 1, e - i - 1};
		i = e;
	}
	/* pre-release */
	{
		size_t j = i;
		if (sep(s[j]))
			j++;
		static const struct { const char *w; int k; } pres[] = {
			{"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2}, {"preview", 3}, {"pre", 3},
			{"c", 3}, {"rc", 3},
		};
		for (size_t k = 0; k < sizeof pres / sizeof pres[0]; k++)
			if (word(s, j, pres[k].w)) {
				v->pre = pres[k].k;
				i = opt_num(s, j + strlen(pres[k].w), &v->pre_n);
				break;
			}
	}
	/* post-release */
	if (s[i] == '-' && isdigit((unsigned char)s[i + 1])) {
		e = digits(s, i + 1);
		v->post = true;
		v->post_n = (span){s + i + 1, e - i - 1};
		i = e;
	} else {
		size_t j = i;
		if (sep(s[j]))
			j++;
		static const char *const posts[] = {"post", "rev", "r"};
		for (size_t k = 0; k < 3; k++)
			if (word(s, j, posts[k])) {
				v->post = true;
				i = opt_num(s, j + strlen(posts[k]), &v->post_n);
				break;
			}
	}
	/* dev release */
	{
		size_t j = i;
		if (sep(s[j]))
			j++;
		if (word(s, j, "dev")) {
			v->dev = true;
			i = opt_num(s, j + 3, &v->dev_n);
		}
	}
	/* local version */
	if (s[i] == '+') {
		i++;
		while (1) {
			size_t j = i;
			while (isalnum((unsigned char)s[i]))
				i++;
			if (i == j) {
				snprintf(why, wn, "empty local version segment at offset %zu", j);
				return false;
			}
			if (v->nloc >= PEP_MAXSEG) {
				snprintf(why, wn, "more than %d local segments", PEP_MAXSEG);
				return false;
			}
			v->loc[v->nloc++] = (span){s + j, i - j};
			if (sep(s[i]) && isalnum((unsigned char)s[i + 1])) {
				i++;
				continue;
			}
			break;
		}
	}
	if (s[i]) {
		snprintf(why, wn, "unexpected '%c' at offset %zu", s[i], i);
		return false;
	}
	return true;
}

static int nc(span a, span b) { return vm_numcmp(a.p, a.n, b.p, b.n); }
static const span ZERO = {"0", 1};

static int release_cmp(const pep *a, const pep *b, int limit)
{
	int na = a->nrel, nb = b->nrel;
	for (int k = 0; k < na || k < nb; k++) {
		if (limit >= 0 && k >= limit)
			break;
		int c = nc(k < na ? a->rel[k] : ZERO, k < nb ? b->rel[k] : ZERO);
		if (c)
			return c;
	}
	return 0;
}

/* pre key: -1 = "-infinity" (dev-only), 1 = "+infinity" (no pre), 0 = has pre */
static int pre_kind(const pep *v)
{
	if (!v->pre && !v->post && v->dev)
		return -1;
	return v->pre ? 0 : 1;
}

static int local_cmp(const pep *a, const pep *b)
{
	if (!a->nloc || !b->nloc)
		return a->nloc == b->nloc ? 0 : a->nloc ? 1 : -1;
	for (int k = 0; k < a->nloc && k < b->nloc; k++) {
		span x = a->loc[k], y = b->loc[k];
		bool nx = vm_isdigits(x.p, x.n), ny = vm_isdigits(y.p, y.n);
		int c;
		if (nx && ny) c = nc(x, y);
		else if (nx) c = 1;
		else if (ny) c = -1;
		else c = vm_strcmp(x.p, x.n, y.p, y.n);
		if (c)
			return c;
	}
	return a->nloc == b->nloc ? 0 : a->nloc < b->nloc ? -1 : 1;
}

/* Public part (everything but local). */
static int public_cmp(const pep *a, const pep *b)
{
	int c = nc(a->epoch.n ? a->epoch : ZERO, b->epoch.n ? b->epoch : ZERO);
	if (c) return c;
	if ((c = release_cmp(a, b, -1))) return c;
	int ka = pre_kind(a), kb = pre_kind(b);
	if (ka != kb) return ka < kb ? -1 : 1;
	if (ka == 0) {
		if (a->pre != b->pre) return a->pre < b->pre ? -1 : 1;
		if ((c = nc(a->pre_n, b->pre_n))) return c;
	}
	if (a->post != b->post) return a->post ? 1 : -1;
	if (a->post && (c = nc(a->post_n, b->post_n))) return c;
	if (a->dev != b->dev) return a->dev ? -1 : 1;
	if (a->dev && (c = nc(a->dev_n, b->dev_n))) return c;
	return 0;
}

static int pep_cmp(const pep *a, const pep *b)
{
	int c = public_cmp(a, b);
	return c ? c : local_cmp(a, b);
}

static int load(const char *s, pep *v)
{
	char why[160];
	if (!pep_parse(s, v, why, sizeof why))
		return vm_bad(VD_SCHEME_PYPI, s, "%s", why);
	return VD_OK;
}

int vm_pypi_cmp(const char *a, const char *b, int *out)
{
	static _Thread_local pep x, y;   /* ~2 KiB each: keep them off small stacks */
	int rc = load(a, &x);
	if (rc == VD_OK)
		rc = load(b, &y);
	if (rc == VD_OK)
		*out = pep_cmp(&x, &y);
	return rc;
}

/* ---- specifiers ---- */
static bool is_pre(const pep *v) { return v->pre || v->dev; }

/* base version: epoch + release */
static int base_cmp(const pep *a, const pep *b)
{
	int c = nc(a->epoch.n ? a->epoch : ZERO, b->epoch.n ? b->epoch : ZERO);
	return c ? c : release_cmp(a, b, -1);
}

static int spec_bad(const char *range, const char *why)
{
	return vd_error_set(VD_EINVAL, "pypi specifier '%.100s': %s", range, why);
}

/* Evaluate one specifier "OP VERSION" against v. */
static int one_spec(const char *range, const char *op, size_t opn, const char *ver, const pep *v,
                    bool *ok)
{
	static _Thread_local pep sp;
	if (opn == 3 && memcmp(op, "===", 3) == 0) {
		/* arbitrary equality: the strings, case-insensitively */
		const char *raw = v->buf;
		*ok = strcasecmp(raw, ver) == 0;
		return VD_OK;
	}
	size_t vl = strlen(ver);
	bool star = vl >= 2 && ver[vl - 2] == '.' && ver[vl - 1] == '*';
	char tmp[VD_VERSION_MAX + 1];
	if (vl > VD_VERSION_MAX)
		return spec_bad(range, "version too long");
	memcpy(tmp, ver, vl + 1);
	if (star) {
		if (!((opn == 2 && (memcmp(op, "==", 2) == 0 || memcmp(op, "!=", 2) == 0))))
			return spec_bad(range, "'.*' is only allowed with == and !=");
		tmp[vl - 2] = '\0';
	}
	int rc = load(tmp, &sp);
	if (rc) {
		vd_error_prefix("pypi specifier '%.100s': ", range);
		return rc;
	}
	if (star && (sp.nloc || sp.dev || sp.post))
		return spec_bad(range, "prefix match '.*' needs a plain release or pre-release");
	if (opn == 2 && memcmp(op, "~=", 2) == 0) {
		if (sp.nrel < 2)
			return spec_bad(range, "~= needs at least two release segments");
		if (sp.nloc)
			return spec_bad(range, "~= cannot have a local version");
		/* >= V and == V[:-1].* */
		bool ge = public_cmp(v, &sp) >= 0;
		int ce = nc(v->epoch.n ? v->epoch : ZERO, sp.epoch.n ? sp.epoch : ZERO);
		*ok = ge && ce == 0 && release_cmp(v, &sp, sp.nrel - 1) == 0;
		return VD_OK;
	}
	if (opn == 2 && (memcmp(op, "==", 2) == 0 || memcmp(op, "!=", 2) == 0)) {
		bool eq;
		if (star) {
			/* prefix match on the padded release (and pre part when given) */
			int ce = nc(v->epoch.n ? v->epoch : ZERO, sp.epoch.n ? sp.epoch : ZERO);
			eq = ce == 0 && release_cmp(v, &sp, sp.nrel) == 0;
			if (eq && sp.pre) {
				/* "1.0a1.*": the candidate's release must be the same length-padded
				 * and its pre must start with the same letter/number */
				eq = release_cmp(v, &sp, -1) == 0 && v->pre == sp.pre && nc(v->pre_n, sp.pre_n) == 0;
			}
		} else if (sp.nloc) {
			eq = pep_cmp(v, &sp) == 0;
		} else {
			eq = public_cmp(v, &sp) == 0;
		}
		*ok = op[0] == '=' ? eq : !eq;
		return VD_OK;
	}
	if (sp.nloc)
		return spec_bad(range, "ordered comparisons cannot use a local version");
	if (opn == 2 && memcmp(op, "<=", 2) == 0) { *ok = public_cmp(v, &sp) <= 0; return VD_OK; }
	if (opn == 2 && memcmp(op, ">=", 2) == 0) { *ok = public_cmp(v, &sp) >= 0; return VD_OK; }
	if (opn == 1 && op[0] == '<') {
		*ok = public_cmp(v, &sp) < 0;
		/* <V excludes pre-releases of V itself unless V is a pre-release */
		if (*ok && !is_pre(&sp) && is_pre(v) && base_cmp(v, &sp) == 0)
			*ok = false;
		return VD_OK;
	}
	if (opn == 1 && op[0] == '>') {
		*ok = public_cmp(v, &sp) > 0;
		/* >V excludes post-releases of V unless V is one, and local versions of V */
		if (*ok && !sp.post && v->post && base_cmp(v, &sp) == 0)
			*ok = false;
		if (*ok && v->nloc && base_cmp(v, &sp) == 0)
			*ok = false;
		return VD_OK;
	}
	return spec_bad(range, "unknown operator (use ~= == != <= >= < > ===)");
}

int vm_pypi_range(const char *version, const char *range, bool *out)
{
	static _Thread_local pep cand;
	int rc = load(version, &cand);
	if (rc)
		return rc;
	bool all = true, any = false;
	const char *p = range;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *op = p;
		while (*p && strchr("~=!<>", *p))
			p++;
		size_t opn = (size_t)(p - op);
		while (isspace((unsigned char)*p))
			p++;
		const char *vb = p;
		while (*p && *p != ',' && !isspace((unsigned char)*p))
			p++;
		char ver[VD_VERSION_MAX + 1];
		size_t vn = (size_t)(p - vb);
		if (vn == 0)
			return spec_bad(range, "operator without a version");
		if (vn > VD_VERSION_MAX)
			return spec_bad(range, "version too long");
		memcpy(ver, vb, vn);
		ver[vn] = '\0';
		if (opn == 0) {
			op = "==";
			opn = 2;
		}
		bool ok = false;
		if ((rc = one_spec(range, op, opn, ver, &cand, &ok)))
			return rc;
		any = true;
		if (!ok)
			all = false;
	}
	if (!any)
		return spec_bad(range, "empty specifier set");
	*out = all;
	return VD_OK;
}
