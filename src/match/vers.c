/* vers: version range specifiers (package-url/vers-spec).  No I/O. */
#include "match_int.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int vbad(const char *s, const char *why)
{
	return vd_error_set(VD_EINVAL, "vers '%.100s': %s", s, why);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

void vd_vers_free(vd_vers *v)
{
	if (v)
		vd_arena_free(v->arena);
}

static const char *op_str(vd_vers_op op)
{
	static const char *const s[] = {"", "!=", "<", "<=", ">", ">=", "*"};
	return s[op];
}

int vd_vers_parse(const char *in, vd_vers **out)
{
	*out = NULL;
	if (!in)
		return vbad("", "missing");
	size_t n = strlen(in);
	if (n > VD_RANGE_MAX)
		return vd_error_set(VD_ETOOBIG, "vers longer than %d bytes", VD_RANGE_MAX);
	vd_arena *a = vd_arena_new(0);
	if (!a)
		return vd_error_set(VD_ENOMEM, "out of memory");
	vd_vers *v = vd_arena_alloc(a, sizeof *v);
	char *s = vd_arena_alloc(a, n + 1);
	if (!v || !s) {
		vd_arena_free(a);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	v->arena = a;
	/* remove spaces and tabs */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == ' ' || in[i] == '\t')
			continue;
		if ((unsigned char)in[i] < 0x21 || (unsigned char)in[i] > 0x7e) {
			vd_arena_free(a);
			return vbad(in, "only printable ASCII is allowed");
		}
		s[k++] = in[i];
	}
	s[k] = '\0';
	int rc = VD_OK;
	if (strncmp(s, "vers:", 5) != 0) {
		rc = vbad(in, "must start with 'vers:' (lower case)");
		goto fail;
	}
	char *scheme = s + 5, *slash = strchr(scheme, '/');
	if (!slash || slash == scheme) {
		rc = vbad(in, "expected 'vers:SCHEME/CONSTRAINTS'");
		goto fail;
	}
	*slash = '\0';
	for (char *p = scheme; *p; p++)
		if (isupper((unsigned char)*p)) {
			rc = vbad(in, "the versioning scheme must be lower case");
			goto fail;
		}
	v->scheme_name = scheme;
	v->known = vd_scheme_parse(scheme, &v->scheme) == VD_OK;
	if (!v->known) {
		vd_error_clear();
		v->scheme = VD_SCHEME_GENERIC;
	}
	char *cons = slash + 1;
	if (!*cons) {
		rc = vbad(in, "no constraints");
		goto fail;
	}
	size_t cap = 1;
	for (char *p = cons; *p; p++)
		cap += *p == '|';
	if (cap > 1024) {
		rc = vd_error_set(VD_ETOOBIG, "vers with more than 1024 constraints");
		goto fail;
	}
	v->c = vd_arena_alloc(a, cap * sizeof *v->c);
	if (!v->c) {
		rc = vd_error_set(VD_ENOMEM, "out of memory");
		goto fail;
	}
	if (strcmp(cons, "*") == 0) {
		v->c[0] = (vd_vers_constraint){VD_VERS_ANY, NULL};
		v->n = 1;
		*out = v;
		return VD_OK;
	}
	for (char *p = cons; *p;) {
		char *e = p + strcspn(p, "|");
		char save = *e;
		*e = '\0';
		if (*p) {
			vd_vers_op op = VD_VERS_EQ;
			if (!strncmp(p, ">=", 2)) { op = VD_VERS_GE; p += 2; }
			else if (!strncmp(p, "<=", 2)) { op = VD_VERS_LE; p += 2; }
			else if (!strncmp(p, "!=", 2)) { op = VD_VERS_NE; p += 2; }
			else if (*p == '<') { op = VD_VERS_LT; p++; }
			else if (*p == '>') { op = VD_VERS_GT; p++; }
			else if (*p == '=') { op = VD_VERS_EQ; p++; }
			if (!*p) {
				rc = vbad(in, "a constraint has no version");
				goto fail;
			}
			if (strchr(p, '*')) {
				rc = vbad(in, "'*' must be used alone");
				goto fail;
			}
			/* percent-decode in place */
			char *w = p;
			for (char *r = p; *r; r++) {
				if (*r == '%') {
					int h = r[1] ? hexval(r[1]) : -1, l = h >= 0 && r[2] ? hexval(r[2]) : -1;
					if (h < 0 || l < 0) {
						rc = vbad(in, "bad percent-encoding");
						goto fail;
					}
					*w++ = (char)(h * 16 + l);
					r += 2;
				} else {
					*w++ = *r;
				}
			}
			*w = '\0';
			if ((rc = vd_version_validate(v->scheme, p)) != VD_OK) {
				vd_error_prefix("vers '%.100s': ", in);
				goto fail;
			}
			/* insert sorted by version; duplicates are an error */
			size_t j = v->n;
			while (j > 0) {
				int c;
				vd_version_compare(v->scheme, p, v->c[j - 1].version, &c);
				if (c == 0) {
					rc = vbad(in, "a version occurs more than once");
					goto fail;
				}
				if (c > 0)
					break;
				v->c[j] = v->c[j - 1];
				j--;
			}
			v->c[j] = (vd_vers_constraint){op, p};
			v->n++;
		}
		p = save ? e + 1 : e;   /* the '|' stays a NUL: versions point into s */
	}
	if (v->n == 0) {
		rc = vbad(in, "no constraints");
		goto fail;
	}
	/* ignoring != : '=' must be followed by =, >, >= ; and ignoring = and !=
	 * the comparators must alternate between greater and lesser */
	int prev = -1;   /* 0 lesser, 1 greater */
	vd_vers_op prev_any = VD_VERS_NE;
	for (size_t i = 0; i < v->n; i++) {
		vd_vers_op op = v->c[i].op;
		if (op == VD_VERS_NE)
			continue;
		if (prev_any == VD_VERS_EQ && (op == VD_VERS_LT || op == VD_VERS_LE)) {
			rc = vbad(in, "'=' followed by '<' or '<=' (redundant or impossible range)");
			goto fail;
		}
		prev_any = op;
		if (op == VD_VERS_EQ)
			continue;
		int kind = op == VD_VERS_GT || op == VD_VERS_GE;
		if (prev == kind) {
			rc = vbad(in, "comparators must alternate between '>'/'>=' and '<'/'<='");
			goto fail;
		}
		prev = kind;
	}
	*out = v;
	return VD_OK;
fail:
	vd_arena_free(a);
	return rc;
}

int vd_vers_format(const vd_vers *v, char **out)
{
	vd_buf b;
	vd_buf_init(&b, 0);
	int rc = vd_buf_printf(&b, "vers:%s/", v->scheme_name);
	for (size_t i = 0; i < v->n && rc == VD_OK; i++) {
		if (i)
			rc = vd_buf_addc(&b, '|');
		if (rc == VD_OK)
			rc = vd_buf_adds(&b, op_str(v->c[i].op));
		for (const char *p = v->c[i].version; p && *p && rc == VD_OK; p++) {
			if (strchr("<>=!*|%", *p) || (unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
				rc = vd_buf_printf(&b, "%%%02X", (unsigned char)*p);
			else
				rc = vd_buf_addc(&b, *p);
		}
	}
	if (rc) {
		vd_buf_free(&b);
		return rc;
	}
	*out = vd_buf_detach(&b);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
}

static bool lesser(vd_vers_op op) { return op == VD_VERS_LT || op == VD_VERS_LE; }
static bool greater(vd_vers_op op) { return op == VD_VERS_GT || op == VD_VERS_GE; }

int vd_vers_contains(const vd_vers *v, const char *version, bool *out)
{
	int rc = vd_version_validate(v->scheme, version);
	if (rc)
		return rc;
	*out = false;
	if (v->n == 1 && v->c[0].op == VD_VERS_ANY) {
		*out = true;
		return VD_OK;
	}
	size_t nr = 0;
	bool has_eq = false;
	for (size_t i = 0; i < v->n; i++) {
		int c;
		vd_version_compare(v->scheme, version, v->c[i].version, &c);
		vd_vers_op op = v->c[i].op;
		if (c == 0 && (op == VD_VERS_EQ || op == VD_VERS_LE || op == VD_VERS_GE)) {
			*out = true;
			return VD_OK;
		}
		if (c == 0 && op == VD_VERS_NE)
			return VD_OK;
		if (op == VD_VERS_EQ)
			has_eq = true;
		if (lesser(op) || greater(op))
			nr++;
	}
	if (nr == 0) {
		/* only = and != : inside unless some '=' constraint exists */
		*out = !has_eq;
		return VD_OK;
	}
	/* walk the ordered (non = / !=) constraints as current/next pairs */
	const vd_vers_constraint *r[1024];
	size_t k = 0;
	for (size_t i = 0; i < v->n && k < 1024; i++)
		if (lesser(v->c[i].op) || greater(v->c[i].op))
			r[k++] = &v->c[i];
	int c;
	if (k == 1) {
		vd_version_compare(v->scheme, version, r[0]->version, &c);
		*out = (lesser(r[0]->op) && c < 0) || (greater(r[0]->op) && c > 0);
		return VD_OK;
	}
	for (size_t i = 0; i + 1 < k; i++) {
		const vd_vers_constraint *cur = r[i], *next = r[i + 1];
		int cc, cn;
		vd_version_compare(v->scheme, version, cur->version, &cc);
		vd_version_compare(v->scheme, version, next->version, &cn);
		if (i == 0 && lesser(cur->op) && cc < 0) { *out = true; return VD_OK; }
		if (i + 2 == k && greater(next->op) && cn > 0) { *out = true; return VD_OK; }
		if (greater(cur->op) && lesser(next->op) && cc > 0 && cn < 0) { *out = true; return VD_OK; }
	}
	return VD_OK;
}
