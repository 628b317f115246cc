/* Maven versions (ComparableVersion ordering) and interval ranges shared
 * with NuGet ("[1.0,2.0)", "(,1.0],[1.2,)").  No I/O. */
#include "match_int.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { M_INT, M_STR, M_LIST };
typedef struct {
	int type;
	const char *s; size_t n;        /* INT: digits without leading zeros; STR: value */
	int head, tail;                 /* LIST: children */
	int prev, next;                 /* siblings */
} mnode;

typedef struct {
	mnode *nodes; int count, cap;
	char low[VD_VERSION_MAX + 1];
} mtree;

static int mnew(mtree *t, int type)
{
	if (t->count >= t->cap)
		return -1;
	mnode *m = &t->nodes[t->count];
	memset(m, 0, sizeof *m);
	m->type = type;
	m->head = m->tail = m->prev = m->next = -1;
	return t->count++;
}

static void madd(mtree *t, int list, int item)
{
	mnode *l = &t->nodes[list];
	t->nodes[item].prev = l->tail;
	t->nodes[item].next = -1;
	if (l->tail >= 0)
		t->nodes[l->tail].next = item;
	else
		l->head = item;
	l->tail = item;
}

static void mremove(mtree *t, int list, int item)
{
	mnode *l = &t->nodes[list], *m = &t->nodes[item];
	if (m->prev >= 0) t->nodes[m->prev].next = m->next; else l->head = m->next;
	if (m->next >= 0) t->nodes[m->next].prev = m->prev; else l->tail = m->prev;
}

static const char *const QUALS[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};

static int item_int(mtree *t, const char *s, size_t n)
{
	while (n > 1 && *s == '0') { s++; n--; }
	int k = mnew(t, M_INT);
	if (k >= 0) {
		t->nodes[k].s = s;
		t->nodes[k].n = (n == 1 && *s == '0') ? 0 : n;   /* n 0 = zero */
	}
	return k;
}

static int item_str(mtree *t, const char *s, size_t n, bool followed_by_digit)
{
	if (followed_by_digit && n == 1) {
		if (*s == 'a') { s = "alpha"; n = 5; }
		else if (*s == 'b') { s = "beta"; n = 4; }
		else if (*s == 'm') { s = "milestone"; n = 9; }
	}
	if ((n == 2 && memcmp(s, "ga", 2) == 0) || (n == 5 && memcmp(s, "final", 5) == 0) ||
	    (n == 7 && memcmp(s, "release", 7) == 0)) {
		s = "";
		n = 0;
	} else if (n == 2 && memcmp(s, "cr", 2) == 0) {
		s = "rc";
	}
	int k = mnew(t, M_STR);
	if (k >= 0) {
		t->nodes[k].s = s;
		t->nodes[k].n = n;
	}
	return k;
}

static bool is_null(const mtree *t, int k)
{
	const mnode *m = &t->nodes[k];
	return m->type == M_LIST ? m->head < 0 : m->n == 0;
}

static void normalize(mtree *t, int list)
{
	for (int k = t->nodes[list].tail; k >= 0;) {
		int prev = t->nodes[k].prev;
		if (is_null(t, k))
			mremove(t, list, k);
		else if (t->nodes[k].type != M_LIST)
			break;
		k = prev;
	}
}

static int push_list(mtree *t, int list, int *stack, int *sp)
{
	int nl = mnew(t, M_LIST);
	if (nl < 0)
		return -1;
	madd(t, list, nl);
	stack[(*sp)++] = nl;
	return nl;
}

static int mparse(mtree *t, const char *v)
{
	size_t n = strlen(v);
	for (size_t i = 0; i < n; i++)
		t->low[i] = (char)tolower((unsigned char)v[i]);
	t->low[n] = '\0';
	const char *s = t->low;
	int stack[2 * VD_VERSION_MAX + 4], sp = 0;
	int list = mnew(t, M_LIST);
	stack[sp++] = list;
	bool digit = false;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int it;
		if (c == '.' || c == '-') {
			it = i == start ? item_int(t, "0", 1) :
			     digit ? item_int(t, s + start, i - start) : item_str(t, s + start, i - start, false);
			if (it < 0) return -1;
			madd(t, list, it);
			start = i + 1;
			if (c == '-') {
				int nl = mnew(t, M_LIST);
				if (nl < 0) return -1;
				madd(t, list, nl);
				list = nl;
				stack[sp++] = list;
			}
		} else if (isdigit((unsigned char)c)) {
			if (!digit && i > start) {
				/* ".X1" is treated as "-X1": a qualifier after other items opens a sublist */
				if (t->nodes[list].head >= 0 && (list = push_list(t, list, stack, &sp)) < 0)
					return -1;
				it = item_str(t, s + start, i - start, true);
				if (it < 0) return -1;
				madd(t, list, it);
				start = i;
				int nl = mnew(t, M_LIST);
				if (nl < 0) return -1;
				madd(t, list, nl);
				list = nl;
				stack[sp++] = list;
			}
			digit = true;
		} else {
			if (digit && i > start) {
				it = item_int(t, s + start, i - start);
				if (it < 0) return -1;
				madd(t, list, it);
				start = i;
				int nl = mnew(t, M_LIST);
				if (nl < 0) return -1;
				madd(t, list, nl);
				list = nl;
				stack[sp++] = list;
			}
			digit = false;
		}
	}
	if (n > start) {
		/* a trailing ".X" is treated as "-X" */
		if (!digit && t->nodes[list].head >= 0 && (list = push_list(t, list, stack, &sp)) < 0)
			return -1;
		int it = digit ? item_int(t, s + start, n - start) : item_str(t, s + start, n - start, false);
		if (it < 0) return -1;
		madd(t, list, it);
	}
	while (sp > 0)
		normalize(t, stack[--sp]);
	return 0;
}

/* comparableQualifier as a rank: known qualifiers 0..6, others after, by name */
static int qual_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int ia = -1, ib = -1;
	for (int k = 0; k < 7; k++) {
		if (strlen(QUALS[k]) == an && memcmp(QUALS[k], a, an) == 0) ia = k;
		if (strlen(QUALS[k]) == bn && memcmp(QUALS[k], b, bn) == 0) ib = k;
	}
	if (ia >= 0 && ib >= 0) return ia < ib ? -1 : ia > ib;
	if (ia >= 0) return -1;              /* "N" < "7-..." */
	if (ib >= 0) return 1;
	return vm_strcmp(a, an, b, bn);
}

static int mcmp(const mtree *ta, int a, const mtree *tb, int b);

/* item a compared with "null" (absent) */
static int mcmp_null(const mtree *t, int a)
{
	const mnode *m = &t->nodes[a];
	switch (m->type) {
	case M_INT: return m->n == 0 ? 0 : 1;
	case M_STR: return qual_cmp(m->s, m->n, "", 0);
	default:
		for (int k = m->head; k >= 0; k = t->nodes[k].next) {
			int r = mcmp_null(t, k);
			if (r)
				return r;
		}
		return 0;
	}
}

static int mcmp(const mtree *ta, int a, const mtree *tb, int b)
{
	if (a < 0 && b < 0) return 0;
	if (a < 0) return -mcmp_null(tb, b);
	if (b < 0) return mcmp_null(ta, a);
	const mnode *x = &ta->nodes[a], *y = &tb->nodes[b];
	switch (x->type) {
	case M_INT:
		if (y->type == M_INT) return vm_numcmp(x->s, x->n, y->s, y->n);
		return 1;
	case M_STR:
		if (y->type == M_STR) return qual_cmp(x->s, x->n, y->s, y->n);
		return -1;
	default:
		if (y->type == M_INT) return -1;
		if (y->type == M_STR) return 1;
		for (int l = x->head, r = y->head; l >= 0 || r >= 0;) {
			int c = mcmp(ta, l, tb, r);
			if (c)
				return c;
			if (l >= 0) l = ta->nodes[l].next;
			if (r >= 0) r = tb->nodes[r].next;
		}
		return 0;
	}
}

static int load(const char *v, mtree *t)
{
	t->cap = (int)strlen(v) * 3 + 4;
	t->count = 0;
	t->nodes = malloc((size_t)t->cap * sizeof *t->nodes);
	if (!t->nodes)
		return vd_error_set(VD_ENOMEM, "out of memory");
	for (const char *p = v; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
			return vm_bad(VD_SCHEME_MAVEN, v, "contains whitespace or a control character");
	if (mparse(t, v) < 0)
		return vd_error_set(VD_EINTERNAL, "maven version '%.80s': node pool exhausted", v);
	return VD_OK;
}

int vm_maven_cmp(const char *a, const char *b, int *out)
{
	mtree x = {0}, y = {0};
	int rc = load(a, &x);
	if (rc == VD_OK)
		rc = load(b, &y);
	if (rc == VD_OK)
		*out = mcmp(&x, 0, &y, 0);
	free(x.nodes);
	free(y.nodes);
	return rc;
}

/* ---- intervals: Maven (several, bare = exact) and NuGet (one, bare = >=) ---- */
static int ibad(vd_scheme s, const char *range, const char *why)
{
	return vd_error_set(VD_EINVAL, "%s range '%.100s': %s", vd_scheme_name(s), range, why);
}

static int bound_cmp(vd_scheme s, const char *range, const char *v, const char *b, size_t bn, int *c)
{
	char buf[VD_VERSION_MAX + 1];
	while (bn > 0 && isspace((unsigned char)*b)) { b++; bn--; }
	while (bn > 0 && isspace((unsigned char)b[bn - 1])) bn--;
	if (bn == 0 || bn > VD_VERSION_MAX)
		return ibad(s, range, bn ? "bound too long" : "empty bound");
	memcpy(buf, b, bn);
	buf[bn] = '\0';
	int rc = vd_version_compare(s, v, buf, c);
	if (rc)
		vd_error_prefix("%s range '%.100s': ", vd_scheme_name(s), range);
	return rc;
}

int vm_interval_range(vd_scheme s, const char *v, const char *range, bool *out)
{
	int rc = vd_version_validate(s, v);
	if (rc)
		return rc;
	const char *p = range;
	while (isspace((unsigned char)*p)) p++;
	if (*p != '[' && *p != '(') {
		/* bare version: Maven exact (soft requirement), NuGet minimum */
		int c;
		if ((rc = bound_cmp(s, range, v, p, strlen(p), &c)))
			return rc;
		*out = s == VD_SCHEME_NUGET ? c >= 0 : c == 0;
		return VD_OK;
	}
	bool hit = false;
	int count = 0;
	while (*p) {
		while (isspace((unsigned char)*p) || (count > 0 && *p == ',')) p++;
		if (!*p) break;
		if (*p != '[' && *p != '(')
			return ibad(s, range, "expected '[' or '('");
		if (count > 0 && s == VD_SCHEME_NUGET)
			return ibad(s, range, "NuGet allows one interval");
		bool lo_incl = *p == '[';
		p++;
		const char *close = p + strcspn(p, "])");
		if (!*close)
			return ibad(s, range, "missing ']' or ')'");
		bool hi_incl = *close == ']';
		const char *comma = memchr(p, ',', (size_t)(close - p));
		bool in = true;
		int c;
		if (!comma) {
			/* [1.0] exact */
			if (!lo_incl || !hi_incl)
				return ibad(s, range, "a single version needs [ ]");
			if ((rc = bound_cmp(s, range, v, p, (size_t)(close - p), &c)))
				return rc;
			in = c == 0;
		} else {
			const char *lo = p, *hi = comma + 1;
			size_t lon = (size_t)(comma - p), hin = (size_t)(close - hi);
			while (lon && isspace((unsigned char)*lo)) { lo++; lon--; }
			while (hin && isspace((unsigned char)*hi)) { hi++; hin--; }
			while (hin && isspace((unsigned char)hi[hin - 1])) hin--;
			if (memchr(hi, ',', hin))
				return ibad(s, range, "more than two bounds in an interval");
			if (lon) {
				if ((rc = bound_cmp(s, range, v, lo, lon, &c)))
					return rc;
				if (lo_incl ? c < 0 : c <= 0) in = false;
			} else if (lo_incl) {
				return ibad(s, range, "an open lower bound needs '('");
			}
			if (hin) {
				if ((rc = bound_cmp(s, range, v, hi, hin, &c)))
					return rc;
				if (hi_incl ? c > 0 : c >= 0) in = false;
			} else if (hi_incl) {
				return ibad(s, range, "an open upper bound needs ')'");
			}
		}
		if (in)
			hit = true;
		count++;
		p = close + 1;
	}
	if (!count)
		return ibad(s, range, "empty range");
	*out = hit;
	return VD_OK;
}
