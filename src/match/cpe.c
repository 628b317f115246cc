/* CPE 2.3: formatted-string and URI bindings (NISTIR 7695) and name
 * matching (NISTIR 7696); NVD cpeMatch evaluation.  No I/O. */
#include "vulnd/match.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const attr_names[VD_CPE_NATTR] = {
	"part", "vendor", "product", "version", "update", "edition", "language",
	"sw_edition", "target_sw", "target_hw", "other",
};

const char *vd_cpe_attr_name(int attr)
{
	return attr >= 0 && attr < VD_CPE_NATTR ? attr_names[attr] : "?";
}

const char *vd_cpe_rel_name(vd_cpe_rel r)
{
	static const char *const n[] = {"DISJOINT", "SUBSET", "SUPERSET", "EQUAL", "UNDEFINED"};
	return (unsigned)r <= VD_CPE_REL_UNDEFINED ? n[r] : "?";
}

void vd_cpe_free(vd_cpe *c)
{
	if (c)
		vd_arena_free(c->arena);
}

static int cbad(const char *s, int attr, const char *why)
{
	if (attr >= 0)
		return vd_error_set(VD_EINVAL, "CPE '%.120s': %s: %s", s, attr_names[attr], why);
	return vd_error_set(VD_EINVAL, "CPE '%.120s': %s", s, why);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Collect wildcards and the literal middle.  Each input character comes
 * as (ch, kind): kind 0 literal, 1 '*' wildcard, 2 '?' wildcard. */
typedef struct { char ch; int kind; } cch;

static int finish_attr(const char *src, int attr, const cch *v, size_t n, vd_arena *a, vd_cpe_attr *out)
{
	size_t b = 0, e = n;
	out->kind = VD_CPE_VALUE;
	out->lead = out->trail = 0;
	if (b < e && v[b].kind == 1) { out->lead = -1; b++; }
	else while (b < e && v[b].kind == 2) { out->lead++; b++; }
	if (e > b && v[e - 1].kind == 1) { out->trail = -1; e--; }
	else while (e > b && v[e - 1].kind == 2) { out->trail++; e--; }
	for (size_t i = b; i < e; i++)
		if (v[i].kind)
			return cbad(src, attr, "'*' and '?' wildcards are only allowed at the start or end "
			            "(and cannot be mixed)");
	if (b == e && out->lead == -1 && out->trail == -1)
		return cbad(src, attr, "'**' is not a valid value");
	if (b == e && out->lead == -1 && out->trail == 0) {
		out->kind = VD_CPE_ANY;       /* a lone '*' (URI %02) is ANY */
		return VD_OK;
	}
	char *s = vd_arena_alloc(a, e - b + 1);
	if (!s)
		return vd_error_set(VD_ENOMEM, "out of memory");
	for (size_t i = b; i < e; i++)
		s[i - b] = v[i].ch;
	out->value = s;
	return VD_OK;
}

/* Formatted-string component. */
static int unbind_fs(const char *src, int attr, const char *p, size_t n, vd_arena *a, vd_cpe_attr *out)
{
	if (n == 1 && p[0] == '*') { out->kind = VD_CPE_ANY; return VD_OK; }
	if (n == 1 && p[0] == '-') { out->kind = VD_CPE_NA; return VD_OK; }
	if (n == 0)
		return cbad(src, attr, "empty component (use * for ANY)");
	cch v[VD_CPE_MAX];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\\') {
			if (i + 1 >= n)
				return cbad(src, attr, "backslash at the end of a value");
			c = (unsigned char)p[++i];
			if (c < 0x21 || c == 0x7f)
				return cbad(src, attr, "quoted control or space character");
			v[k++] = (cch){(char)c, 0};
		} else if (c == '*') {
			v[k++] = (cch){'*', 1};
		} else if (c == '?') {
			v[k++] = (cch){'?', 2};
		} else if (c < 0x21 || c == 0x7f) {
			return cbad(src, attr, "space or control character");
		} else {
			v[k++] = (cch){(char)c, 0};
		}
	}
	return finish_attr(src, attr, v, k, a, out);
}

/* URI component (percent-encoded; %01 = '?', %02 = '*'). */
static int unbind_uri(const char *src, int attr, const char *p, size_t n, vd_arena *a, vd_cpe_attr *out)
{
	if (n == 0) { out->kind = VD_CPE_ANY; return VD_OK; }
	if (n == 1 && p[0] == '-') { out->kind = VD_CPE_NA; return VD_OK; }
	cch v[VD_CPE_MAX];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '%') {
			int h = i + 1 < n ? hexval(p[i + 1]) : -1, l = i + 2 < n ? hexval(p[i + 2]) : -1;
			if (h < 0 || l < 0)
				return cbad(src, attr, "bad percent-encoding");
			int x = h * 16 + l;
			i += 2;
			if (x == 1) v[k++] = (cch){'?', 2};
			else if (x == 2) v[k++] = (cch){'*', 1};
			else if (x < 0x21 || x == 0x7f) return cbad(src, attr, "encoded control or space character");
			else v[k++] = (cch){(char)x, 0};
		} else if (c < 0x21 || c == 0x7f) {
			return cbad(src, attr, "space or control character");
		} else {
			v[k++] = (cch){(char)c, 0};
		}
	}
	return finish_attr(src, attr, v, k, a, out);
}

static int check_part(const char *src, const vd_cpe_attr *p)
{
	if (p->kind == VD_CPE_ANY)
		return VD_OK;
	if (p->kind == VD_CPE_VALUE && !p->lead && !p->trail && p->value[0] && !p->value[1] &&
	    strchr("aohAOH", p->value[0]))
		return VD_OK;
	return cbad(src, VD_CPE_PART, "must be a, o or h");
}

int vd_cpe_parse(const char *s, vd_cpe **out)
{
	*out = NULL;
	if (!s)
		return cbad("", -1, "missing");
	size_t n = strlen(s);
	if (n > VD_CPE_MAX)
		return vd_error_set(VD_ETOOBIG, "CPE longer than %d bytes", VD_CPE_MAX);
	vd_arena *a = vd_arena_new(1024);
	vd_cpe *c = a ? vd_arena_alloc(a, sizeof *c) : NULL;
	if (!c) {
		vd_arena_free(a);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	c->arena = a;
	for (int i = 0; i < VD_CPE_NATTR; i++)
		c->a[i].kind = VD_CPE_ANY;
	int rc = VD_OK;
	if (strncasecmp(s, "cpe:2.3:", 8) == 0) {
		const char *p = s + 8;
		int attr = 0;
		while (1) {
			size_t i = 0;
			while (p[i] && p[i] != ':') {
				if (p[i] == '\\' && p[i + 1])
					i++;
				i++;
			}
			if (attr >= VD_CPE_NATTR) {
				rc = cbad(s, -1, "more than 11 components after 'cpe:2.3:'");
				goto fail;
			}
			if ((rc = unbind_fs(s, attr, p, i, a, &c->a[attr])))
				goto fail;
			attr++;
			if (!p[i])
				break;
			p += i + 1;
		}
		if (attr != VD_CPE_NATTR) {
			rc = cbad(s, -1, "a formatted string needs 11 components after 'cpe:2.3:'");
			goto fail;
		}
	} else if (strncasecmp(s, "cpe:/", 5) == 0) {
		const char *p = s + 5;
		int attr = 0;
		while (1) {
			size_t i = strcspn(p, ":");
			if (attr >= 7) {
				rc = cbad(s, -1, "more than 7 components in a CPE URI");
				goto fail;
			}
			if (attr == VD_CPE_EDITION && i > 0 && p[0] == '~') {
				/* packed: ~edition~sw_edition~target_sw~target_hw~other */
				static const int packed[] = {VD_CPE_EDITION, VD_CPE_SW_EDITION, VD_CPE_TARGET_SW,
				                             VD_CPE_TARGET_HW, VD_CPE_OTHER};
				const char *q = p + 1, *end = p + i;
				for (int k = 0; k < 5; k++) {
					const char *t = memchr(q, '~', (size_t)(end - q));
					if (!t && k < 4) {
						rc = cbad(s, VD_CPE_EDITION, "a packed edition needs 5 '~'-separated fields");
						goto fail;
					}
					if (t && k == 4) {
						rc = cbad(s, VD_CPE_EDITION, "too many '~' in a packed edition");
						goto fail;
					}
					size_t len = t ? (size_t)(t - q) : (size_t)(end - q);
					if ((rc = unbind_uri(s, packed[k], q, len, a, &c->a[packed[k]])))
						goto fail;
					q += len + 1;
				}
			} else if ((rc = unbind_uri(s, attr, p, i, a, &c->a[attr]))) {
				goto fail;
			}
			attr++;
			if (!p[i])
				break;
			p += i + 1;
		}
	} else {
		rc = cbad(s, -1, "must start with 'cpe:2.3:' or 'cpe:/'");
		goto fail;
	}
	if ((rc = check_part(s, &c->a[VD_CPE_PART])))
		goto fail;
	*out = c;
	return VD_OK;
fail:
	vd_arena_free(a);
	return rc;
}

int vd_cpe_format(const vd_cpe *c, char **out)
{
	vd_buf b;
	vd_buf_init(&b, 0);
	int rc = vd_buf_adds(&b, "cpe:2.3");
	for (int i = 0; i < VD_CPE_NATTR && rc == VD_OK; i++) {
		const vd_cpe_attr *x = &c->a[i];
		rc = vd_buf_addc(&b, ':');
		if (x->kind == VD_CPE_ANY) { rc = rc ? rc : vd_buf_addc(&b, '*'); continue; }
		if (x->kind == VD_CPE_NA) { rc = rc ? rc : vd_buf_addc(&b, '-'); continue; }
		if (x->lead < 0) rc = rc ? rc : vd_buf_addc(&b, '*');
		for (int k = 0; k < x->lead && rc == VD_OK; k++) rc = vd_buf_addc(&b, '?');
		bool lone_dash = strcmp(x->value, "-") == 0 && !x->lead && !x->trail;
		for (const char *p = x->value; *p && rc == VD_OK; p++) {
			unsigned char ch = (unsigned char)*p;
			if (isalnum(ch) || ch == '_' || ch == '.' || ch >= 0x80 || (ch == '-' && !lone_dash))
				rc = vd_buf_addc(&b, (char)ch);
			else if ((rc = vd_buf_addc(&b, '\\')) == VD_OK)
				rc = vd_buf_addc(&b, (char)ch);
		}
		for (int k = 0; k < x->trail && rc == VD_OK; k++) rc = vd_buf_addc(&b, '?');
		if (x->trail < 0 && rc == VD_OK) rc = vd_buf_addc(&b, '*');
	}
	if (rc) {
		vd_buf_free(&b);
		return rc;
	}
	*out = vd_buf_detach(&b);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
}

static int uri_value(vd_buf *b, const vd_cpe_attr *x)
{
	int rc = VD_OK;
	if (x->kind == VD_CPE_ANY)
		return VD_OK;
	if (x->kind == VD_CPE_NA)
		return vd_buf_addc(b, '-');
	if (x->lead < 0) rc = vd_buf_adds(b, "%02");
	for (int k = 0; k < x->lead && rc == VD_OK; k++) rc = vd_buf_adds(b, "%01");
	bool lone_dash = strcmp(x->value, "-") == 0;
	for (const char *p = x->value; *p && rc == VD_OK; p++) {
		unsigned char ch = (unsigned char)*p;
		if (isalnum(ch) || ch == '_' || ch == '.' || (ch == '-' && !lone_dash))
			rc = vd_buf_addc(b, (char)ch);
		else
			rc = vd_buf_printf(b, "%%%02x", ch);
	}
	for (int k = 0; k < x->trail && rc == VD_OK; k++) rc = vd_buf_adds(b, "%01");
	if (x->trail < 0 && rc == VD_OK) rc = vd_buf_adds(b, "%02");
	return rc;
}

int vd_cpe_format_uri(const vd_cpe *c, char **out)
{
	vd_buf b;
	vd_buf_init(&b, 0);
	int rc = vd_buf_adds(&b, "cpe:/");
	bool packed = false;
	for (int i = VD_CPE_SW_EDITION; i < VD_CPE_NATTR; i++)
		if (c->a[i].kind != VD_CPE_ANY)
			packed = true;
	for (int i = 0; i <= VD_CPE_LANGUAGE && rc == VD_OK; i++) {
		if (i)
			rc = vd_buf_addc(&b, ':');
		if (rc)
			break;
		if (i == VD_CPE_EDITION && packed) {
			static const int order[] = {VD_CPE_EDITION, VD_CPE_SW_EDITION, VD_CPE_TARGET_SW,
			                            VD_CPE_TARGET_HW, VD_CPE_OTHER};
			for (int k = 0; k < 5 && rc == VD_OK; k++)
				if ((rc = vd_buf_addc(&b, '~')) == VD_OK)
					rc = uri_value(&b, &c->a[order[k]]);
		} else {
			rc = uri_value(&b, &c->a[i]);
		}
	}
	if (rc) {
		vd_buf_free(&b);
		return rc;
	}
	/* trim trailing ':' (trailing ANY components) */
	while (b.len > 5 && b.data[b.len - 1] == ':')
		b.data[--b.len] = '\0';
	*out = vd_buf_detach(&b);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
}

/* ---- matching ---- */
static bool has_wild(const vd_cpe_attr *a) { return a->kind == VD_CPE_VALUE && (a->lead || a->trail); }

/* NISTIR 7696 string comparison: leading/trailing '?'s match up to that
 * many characters, '*' any number; case-insensitive. */
static bool wild_match(const vd_cpe_attr *src, const char *t)
{
	size_t tn = strlen(t), mn = strlen(src->value);
	if (mn > tn)
		return false;
	for (size_t idx = 0; idx + mn <= tn; idx++) {
		if (src->lead >= 0 && idx > (size_t)src->lead)
			break;
		if (strncasecmp(t + idx, src->value, mn) != 0)
			continue;
		size_t left = tn - idx - mn;
		if (src->trail >= 0 && left > (size_t)src->trail)
			continue;
		return true;
	}
	return false;
}

vd_cpe_rel vd_cpe_attr_compare(const vd_cpe_attr *s, const vd_cpe_attr *t)
{
	if (has_wild(t))
		return VD_CPE_REL_UNDEFINED;
	switch (s->kind) {
	case VD_CPE_ANY:
		return t->kind == VD_CPE_ANY ? VD_CPE_REL_EQUAL : VD_CPE_REL_SUPERSET;
	case VD_CPE_NA:
		return t->kind == VD_CPE_ANY ? VD_CPE_REL_SUBSET :
		       t->kind == VD_CPE_NA ? VD_CPE_REL_EQUAL : VD_CPE_REL_DISJOINT;
	default:
		if (t->kind == VD_CPE_ANY)
			return VD_CPE_REL_SUBSET;
		if (t->kind == VD_CPE_NA)
			return VD_CPE_REL_DISJOINT;
		if (has_wild(s))
			return wild_match(s, t->value) ? VD_CPE_REL_SUPERSET : VD_CPE_REL_DISJOINT;
		return strcasecmp(s->value, t->value) == 0 ? VD_CPE_REL_EQUAL : VD_CPE_REL_DISJOINT;
	}
}

vd_cpe_rel vd_cpe_compare(const vd_cpe *s, const vd_cpe *t)
{
	bool all_eq = true, sup = true, sub = true, undef = false;
	for (int i = 0; i < VD_CPE_NATTR; i++) {
		vd_cpe_rel r = vd_cpe_attr_compare(&s->a[i], &t->a[i]);
		if (r == VD_CPE_REL_DISJOINT)
			return VD_CPE_REL_DISJOINT;
		if (r == VD_CPE_REL_UNDEFINED)
			undef = true;
		if (r != VD_CPE_REL_EQUAL)
			all_eq = false;
		if (r != VD_CPE_REL_EQUAL && r != VD_CPE_REL_SUPERSET)
			sup = false;
		if (r != VD_CPE_REL_EQUAL && r != VD_CPE_REL_SUBSET)
			sub = false;
	}
	if (undef)
		return VD_CPE_REL_UNDEFINED;
	if (all_eq)
		return VD_CPE_REL_EQUAL;
	if (sup)
		return VD_CPE_REL_SUPERSET;
	if (sub)
		return VD_CPE_REL_SUBSET;
	return VD_CPE_REL_UNDEFINED;
}

bool vd_cpe_matches(const vd_cpe *s, const vd_cpe *t)
{
	vd_cpe_rel r = vd_cpe_compare(s, t);
	return r == VD_CPE_REL_SUPERSET || r == VD_CPE_REL_EQUAL;
}

int vd_cpe_match_eval(const vd_cpe_match *m, const vd_cpe *target, bool *out)
{
	*out = false;
	vd_cpe *crit = NULL;
	int rc = vd_cpe_parse(m->criteria, &crit);
	if (rc)
		return rc;
	bool bounded = m->version_start_including || m->version_start_excluding ||
	               m->version_end_including || m->version_end_excluding;
	bool ok;
	if (bounded) {
		/* bounds replace the version attribute: match the rest by name */
		vd_cpe_attr save = crit->a[VD_CPE_VERSION];
		const vd_cpe_attr *tv = &target->a[VD_CPE_VERSION];
		crit->a[VD_CPE_VERSION].kind = VD_CPE_ANY;
		ok = vd_cpe_matches(crit, target);
		crit->a[VD_CPE_VERSION] = save;
		if (ok && save.kind != VD_CPE_ANY) {
			vd_cpe_rel r = vd_cpe_attr_compare(&save, tv);
			ok = r == VD_CPE_REL_EQUAL || r == VD_CPE_REL_SUPERSET;
		}
		if (ok && (tv->kind != VD_CPE_VALUE || has_wild(tv) || !tv->value[0]))
			ok = false;   /* a version range needs a concrete version */
		const char *v = ok ? tv->value : NULL;
		int c;
		if (ok && m->version_start_including &&
		    (vd_version_compare(VD_SCHEME_GENERIC, v, m->version_start_including, &c) || c < 0))
			ok = false;
		if (ok && m->version_start_excluding &&
		    (vd_version_compare(VD_SCHEME_GENERIC, v, m->version_start_excluding, &c) || c <= 0))
			ok = false;
		if (ok && m->version_end_including &&
		    (vd_version_compare(VD_SCHEME_GENERIC, v, m->version_end_including, &c) || c > 0))
			ok = false;
		if (ok && m->version_end_excluding &&
		    (vd_version_compare(VD_SCHEME_GENERIC, v, m->version_end_excluding, &c) || c >= 0))
			ok = false;
		vd_error_clear();
	} else {
		ok = vd_cpe_matches(crit, target);
	}
	vd_cpe_free(crit);
	*out = ok;
	return VD_OK;
}
