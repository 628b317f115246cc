/* Package URLs: parse, normalise, format; purl type <-> OSV ecosystem.
 * No I/O. */
#include "vulnd/match.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void vd_purl_free(vd_purl *p)
{
	if (p)
		vd_arena_free(p->arena);
}

static int pbad(const char *s, const char *why)
{
	return vd_error_set(VD_EINVAL, "purl '%.120s': %s", s, why);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into the arena; NULL on a bad escape. */
static char *decode(vd_arena *a, const char *s, size_t n, bool *bad)
{
	char *o = vd_arena_alloc(a, n + 1);
	if (!o)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int h = i + 1 < n ? hexval(s[i + 1]) : -1, l = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (h < 0 || l < 0) {
				*bad = true;
				return NULL;
			}
			o[k++] = (char)(h * 16 + l);
			i += 2;
		} else {
			o[k++] = s[i];
		}
	}
	o[k] = '\0';
	if (strlen(o) != k)
		*bad = true;      /* %00 */
	return o;
}

static void lower(char *s)
{
	for (; s && *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static bool type_lowers_ns(const char *t)
{
	static const char *const k[] = {"alpm", "apk", "bitbucket", "composer", "deb", "github",
	                                "gitlab", "golang", "hex", "luarocks", "npm", "qpkg", "rpm", NULL};
	for (int i = 0; k[i]; i++)
		if (strcmp(t, k[i]) == 0)
			return true;
	return false;
}

static bool type_lowers_name(const char *t)
{
	static const char *const k[] = {"alpm", "apk", "bitbucket", "bitnami", "composer", "deb",
	                                "github", "gitlab", "golang", "hex", "luarocks", "npm", "oci",
	                                "pub", "pypi", NULL};
	for (int i = 0; k[i]; i++)
		if (strcmp(t, k[i]) == 0)
			return true;
	return false;
}

static int qcmp(const void *a, const void *b)
{
	return strcmp(((const vd_purl_qualifier *)a)->key, ((const vd_purl_qualifier *)b)->key);
}

int vd_purl_parse(const char *in, vd_purl **out)
{
	*out = NULL;
	if (!in)
		return pbad("", "missing");
	size_t n = strlen(in);
	if (n > VD_PURL_MAX)
		return vd_error_set(VD_ETOOBIG, "purl longer than %d bytes", VD_PURL_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)in[i] < 0x21 || in[i] == 0x7f)
			return pbad(in, "contains a space or control character (percent-encode it)");
	vd_arena *a = vd_arena_new(0);
	vd_purl *p = a ? vd_arena_alloc(a, sizeof *p) : NULL;
	char *s = p ? vd_arena_strdup(a, in) : NULL;
	if (!s) {
		vd_arena_free(a);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	p->arena = a;
	int rc = VD_OK;
	bool bad = false;
	if (strncasecmp(s, "pkg:", 4) != 0) {
		rc = pbad(in, "must start with 'pkg:'");
		goto fail;
	}
	s += 4;
	while (*s == '/')
		s++;                       /* tolerate "pkg://" */
	/* subpath */
	char *hash = strchr(s, '#');
	if (hash) {
		*hash = '\0';
		vd_buf b;
		vd_buf_init(&b, 0);
		char *q = hash + 1;
		while (*q) {
			char *e = q + strcspn(q, "/");
			char *seg = decode(a, q, (size_t)(e - q), &bad);
			if (bad || !seg) {
				vd_buf_free(&b);
				rc = bad ? pbad(in, "bad percent-encoding in the subpath") : vd_error_set(VD_ENOMEM, "out of memory");
				goto fail;
			}
			if (*seg && strcmp(seg, ".") && strcmp(seg, "..")) {
				if (b.len)
					vd_buf_addc(&b, '/');
				vd_buf_adds(&b, seg);
			}
			q = *e ? e + 1 : e;
		}
		if (b.len)
			p->subpath = vd_arena_strdup(a, vd_buf_str(&b));
		vd_buf_free(&b);
	}
	/* qualifiers */
	char *qm = strchr(s, '?');
	if (qm) {
		*qm = '\0';
		size_t cap = 1;
		for (char *q = qm + 1; *q; q++)
			cap += *q == '&';
		p->quals = vd_arena_alloc(a, cap * sizeof *p->quals);
		if (!p->quals) {
			rc = vd_error_set(VD_ENOMEM, "out of memory");
			goto fail;
		}
		for (char *q = qm + 1; *q;) {
			char *e = q + strcspn(q, "&");
			char save = *e;
			*e = '\0';
			if (*q) {
				char *eq = strchr(q, '=');
				if (!eq || eq == q) {
					rc = pbad(in, "a qualifier needs key=value");
					goto fail;
				}
				*eq = '\0';
				lower(q);
				if (isdigit((unsigned char)q[0])) {
					rc = pbad(in, "a qualifier key cannot start with a digit");
					goto fail;
				}
				for (char *k = q; *k; k++)
					if (!isalnum((unsigned char)*k) && !strchr(".-_", *k)) {
						rc = pbad(in, "a qualifier key may only contain a-z 0-9 . - _");
						goto fail;
					}
				char *val = decode(a, eq + 1, strlen(eq + 1), &bad);
				if (bad || !val) {
					rc = bad ? pbad(in, "bad percent-encoding in a qualifier") : vd_error_set(VD_ENOMEM, "out of memory");
					goto fail;
				}
				if (*val) {
					for (size_t k = 0; k < p->n_quals; k++)
						if (strcmp(p->quals[k].key, q) == 0) {
							rc = pbad(in, "a qualifier key occurs twice");
							goto fail;
						}
					p->quals[p->n_quals++] = (vd_purl_qualifier){q, val};
				}
			}
			*e = save;
			q = save ? e + 1 : e;
		}
		qsort(p->quals, p->n_quals, sizeof *p->quals, qcmp);
	}
	/* type */
	char *slash = strchr(s, '/');
	if (!slash || slash == s) {
		rc = pbad(in, slash ? "missing type" : "missing '/' after the type");
		goto fail;
	}
	*slash = '\0';
	p->type = s;
	lower(p->type);
	if (!isalpha((unsigned char)p->type[0]) && p->type[0] != '.' ) {
		rc = pbad(in, "the type must start with a letter");
		goto fail;
	}
	for (char *k = p->type; *k; k++)
		if (!isalnum((unsigned char)*k) && !strchr(".+-", *k)) {
			rc = pbad(in, "the type may only contain a-z 0-9 . + -");
			goto fail;
		}
	char *rest = slash + 1;
	size_t rl = strlen(rest);
	while (rl > 0 && rest[rl - 1] == '/')
		rest[--rl] = '\0';
	/* version: after the last '@' (an '@' in the namespace is encoded as %40) */
	char *at = strrchr(rest, '@');
	if (at) {
		*at = '\0';
		p->version = decode(a, at + 1, strlen(at + 1), &bad);
		if (bad || !p->version) {
			rc = bad ? pbad(in, "bad percent-encoding in the version") : vd_error_set(VD_ENOMEM, "out of memory");
			goto fail;
		}
		if (!*p->version)
			p->version = NULL;
	}
	/* name: last segment; namespace: the rest, empty segments dropped */
	char *last = strrchr(rest, '/');
	char *name_raw = last ? last + 1 : rest;
	p->name = decode(a, name_raw, strlen(name_raw), &bad);
	if (bad || !p->name || !*p->name) {
		rc = bad ? pbad(in, "bad percent-encoding in the name") : pbad(in, "missing name");
		goto fail;
	}
	if (last) {
		*last = '\0';
		vd_buf b;
		vd_buf_init(&b, 0);
		for (char *q = rest; *q;) {
			char *e = q + strcspn(q, "/");
			char *seg = decode(a, q, (size_t)(e - q), &bad);
			if (bad || !seg) {
				vd_buf_free(&b);
				rc = bad ? pbad(in, "bad percent-encoding in the namespace") : vd_error_set(VD_ENOMEM, "out of memory");
				goto fail;
			}
			if (*seg) {
				if (strchr(seg, '/')) {
					vd_buf_free(&b);
					rc = pbad(in, "a namespace segment contains an encoded '/'");
					goto fail;
				}
				if (b.len)
					vd_buf_addc(&b, '/');
				vd_buf_adds(&b, seg);
			}
			q = *e ? e + 1 : e;
		}
		if (b.len)
			p->ns = vd_arena_strdup(a, vd_buf_str(&b));
		vd_buf_free(&b);
	}
	/* type-specific normalisation */
	if (p->ns && type_lowers_ns(p->type))
		lower(p->ns);
	if (type_lowers_name(p->type))
		lower(p->name);
	if (strcmp(p->type, "pypi") == 0)
		for (char *k = p->name; *k; k++)
			if (*k == '_')
				*k = '-';
	if (strcmp(p->type, "maven") == 0 && !p->ns) {
		rc = pbad(in, "maven needs a namespace (the group id)");
		goto fail;
	}
	*out = p;
	return VD_OK;
fail:
	vd_arena_free(a);
	return rc;
}

static int enc(vd_buf *b, const char *s, bool keep_slash)
{
	int rc = VD_OK;
	for (const unsigned char *p = (const unsigned char *)s; *p && rc == VD_OK; p++) {
		if (isalnum(*p) || strchr(".-_~:", *p) || (keep_slash && *p == '/'))
			rc = vd_buf_addc(b, (char)*p);
		else
			rc = vd_buf_printf(b, "%%%02X", *p);
	}
	return rc;
}

int vd_purl_format(const vd_purl *p, char **out)
{
	vd_buf b;
	vd_buf_init(&b, 0);
	int rc = vd_buf_printf(&b, "pkg:%s/", p->type);
	if (rc == VD_OK && p->ns) {
		/* each segment encoded, '/' between them kept */
		rc = enc(&b, p->ns, true);
		if (rc == VD_OK)
			rc = vd_buf_addc(&b, '/');
	}
	if (rc == VD_OK)
		rc = enc(&b, p->name, false);
	if (rc == VD_OK && p->version && (rc = vd_buf_addc(&b, '@')) == VD_OK)
		rc = enc(&b, p->version, false);
	for (size_t i = 0; i < p->n_quals && rc == VD_OK; i++) {
		rc = vd_buf_addc(&b, i ? '&' : '?');
		if (rc == VD_OK) rc = vd_buf_adds(&b, p->quals[i].key);
		if (rc == VD_OK) rc = vd_buf_addc(&b, '=');
		if (rc == VD_OK) rc = enc(&b, p->quals[i].value, false);
	}
	if (rc == VD_OK && p->subpath && (rc = vd_buf_addc(&b, '#')) == VD_OK)
		rc = enc(&b, p->subpath, true);
	if (rc) {
		vd_buf_free(&b);
		return rc;
	}
	*out = vd_buf_detach(&b);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
}

int vd_purl_normalize(const char *s, char **out)
{
	vd_purl *p;
	int rc = vd_purl_parse(s, &p);
	if (rc)
		return rc;
	rc = vd_purl_format(p, out);
	vd_purl_free(p);
	return rc;
}

const char *vd_purl_qualifier_get(const vd_purl *p, const char *key)
{
	for (size_t i = 0; i < p->n_quals; i++)
		if (strcmp(p->quals[i].key, key) == 0)
			return p->quals[i].value;
	return NULL;
}

/* ---- purl type <-> OSV ecosystem ---- */
static const struct { const char *type, *ns, *eco; } eco_map[] = {
	{"npm", NULL, "npm"}, {"pypi", NULL, "PyPI"}, {"golang", NULL, "Go"},
	{"maven", NULL, "Maven"}, {"cargo", NULL, "crates.io"}, {"gem", NULL, "RubyGems"},
	{"nuget", NULL, "NuGet"}, {"composer", NULL, "Packagist"}, {"hex", NULL, "Hex"},
	{"pub", NULL, "Pub"}, {"swift", NULL, "SwiftURL"}, {"cran", NULL, "CRAN"},
	{"hackage", NULL, "Hackage"}, {"bitnami", NULL, "Bitnami"}, {"conan", NULL, "ConanCenter"},
	{"github", NULL, "GitHub Actions"},
	{"deb", "debian", "Debian"}, {"deb", "ubuntu", "Ubuntu"}, {"deb", NULL, "Debian"},
	{"apk", "alpine", "Alpine"}, {"apk", "wolfi", "Wolfi"}, {"apk", "chainguard", "Chainguard"},
	{"apk", NULL, "Alpine"},
	{"rpm", "redhat", "Red Hat"}, {"rpm", "rocky-linux", "Rocky Linux"}, {"rpm", "rocky", "Rocky Linux"},
	{"rpm", "almalinux", "AlmaLinux"}, {"rpm", "opensuse", "openSUSE"}, {"rpm", "suse", "SUSE"},
	{"rpm", "mageia", "Mageia"}, {"rpm", "openeuler", "openEuler"}, {"rpm", NULL, NULL},
};

const char *vd_purl_type_to_ecosystem(const char *type, const char *ns)
{
	if (!type)
		return NULL;
	char first[64] = "";
	if (ns) {
		size_t k = strcspn(ns, "/");
		if (k < sizeof first) {
			memcpy(first, ns, k);
			first[k] = '\0';
		}
	}
	for (size_t i = 0; i < sizeof eco_map / sizeof eco_map[0]; i++) {
		if (strcasecmp(type, eco_map[i].type) != 0)
			continue;
		if (eco_map[i].ns && strcasecmp(first, eco_map[i].ns) != 0)
			continue;
		return eco_map[i].eco;
	}
	return NULL;
}

const char *vd_ecosystem_to_purl_type(const char *eco)
{
	if (!eco)
		return NULL;
	size_t n = strcspn(eco, ":");
	for (size_t i = 0; i < sizeof eco_map / sizeof eco_map[0]; i++)
		if (eco_map[i].eco && strlen(eco_map[i].eco) == n && strncasecmp(eco, eco_map[i].eco, n) == 0)
			return eco_map[i].type;
	return NULL;
}

int vd_purl_to_osv(const vd_purl *p, const char **ecosystem, char **package)
{
	const char *eco = vd_purl_type_to_ecosystem(p->type, p->ns);
	if (!eco)
		return vd_error_set(VD_ENOTFOUND, "purl type '%s' has no OSV ecosystem", p->type);
	vd_buf b;
	vd_buf_init(&b, 0);
	int rc;
	bool keep_ns = strcmp(p->type, "deb") && strcmp(p->type, "apk") && strcmp(p->type, "rpm");
	if (p->ns && keep_ns) {
		if (strcmp(p->type, "maven") == 0)
			rc = vd_buf_printf(&b, "%s:%s", p->ns, p->name);
		else
			rc = vd_buf_printf(&b, "%s/%s", p->ns, p->name);
	} else {
		rc = vd_buf_adds(&b, p->name);
	}
	if (rc) {
		vd_buf_free(&b);
		return rc;
	}
	*package = vd_buf_detach(&b);
	if (!*package)
		return vd_error_set(VD_ENOMEM, "out of memory");
	*ecosystem = eco;
	return VD_OK;
}
