/* Service: the read API behind HTTP — documents by id (single, batch),
 * record lists with cursors, vendors/products, counts, OSV queries.
 * Every function here validates its parameters (messages name the
 * parameter) and applies the view: the public sees published records only.
 *
 * Cursors and page tokens are opaque to clients: base64url of a short
 * tagged text ("l1:<rowid>", "n1:<name>", "o1:<record id>"), so a token of
 * one kind is refused where another is expected.
 */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include "vulnd/match.h"
#include "service_int.h"
#include <jansson.h>
#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- cursors ---- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64url(const char *in, size_t n, char *out, size_t outsz)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 < outsz; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)(unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		out[o++] = B64[(v >> 18) & 63];
		out[o++] = B64[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = B64[(v >> 6) & 63];
		if (i + 2 < n)
			out[o++] = B64[v & 63];
	}
	out[o] = 0;
}

/* Decode base64url (no padding) into out (NUL-terminated); -1 when invalid. */
static int unb64url(const char *in, char *out, size_t outsz)
{
	size_t o = 0, n = strlen(in);
	uint32_t v = 0;
	int bits = 0;
	if (n % 4 == 1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *p = strchr(B64, in[i]);
		if (!p || !in[i])
			return -1;
		v = (v << 6) | (uint32_t)(p - B64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o + 1 >= outsz)
				return -1;
			out[o++] = (char)((v >> bits) & 0xff);
		}
	}
	out[o] = 0;
	return memchr(out, 0, o) ? -1 : 0;
}

static void cursor_make(const char *tag, const char *val, char *out, size_t outsz)
{
	char raw[VD_CURSOR_MAX];
	int n = snprintf(raw, sizeof raw, "%s:%s", tag, val);
	if (n < 0 || (size_t)n >= sizeof raw)
		n = 0;
	b64url(raw, (size_t)n, out, outsz);
}

/* Decode a cursor of kind tag; *val points into buf. */
static int cursor_read(const char *what, const char *tag, const char *cur, char *buf, size_t bufsz,
                       const char **val)
{
	size_t tl = strlen(tag);
	if (strlen(cur) >= VD_CURSOR_MAX || unb64url(cur, buf, bufsz) || strncmp(buf, tag, tl) || buf[tl] != ':')
		return vd_error_set(VD_EINVAL, "%s: not a token this server handed out", what);
	*val = buf + tl + 1;
	return VD_OK;
}

/* ---- documents ---- */

typedef struct {
	vd_view view;
	vd_record_doc *out;
	int rc;
} one_ctx;

static bool visible(vd_view view, const char *state)
{
	return view == VD_VIEW_ALL || (state && strcmp(state, "published") == 0);
}

static int one_cb(void *ctx, size_t i, const vd_doc_row *row)
{
	(void)i;
	one_ctx *c = ctx;
	if (!visible(c->view, row->state))
		return VD_OK;
	c->out->id = strdup(row->id);
	c->out->json = malloc(row->doc_len + 1);
	c->out->modified = row->modified ? strdup(row->modified) : NULL;
	if (!c->out->id || !c->out->json || (row->modified && !c->out->modified))
		return c->rc = vd_error_set(VD_ENOMEM, "out of memory reading %s", row->id);
	memcpy(c->out->json, row->doc, row->doc_len);
	c->out->json[row->doc_len] = 0;
	c->out->len = row->doc_len;
	vd_strlcpy(c->out->hash, row->hash ? row->hash : "", sizeof c->out->hash);
	return VD_OK;
}

void vd_record_doc_free(vd_record_doc *d)
{
	if (!d)
		return;
	free(d->id);
	free(d->json);
	free(d->modified);
	memset(d, 0, sizeof *d);
}

static int check_id(const char *id)
{
	if (vd_str_empty(id) || strlen(id) > 256)
		return vd_error_set(VD_EINVAL, "an id is 1 to 256 characters");
	if (!vd_utf8_valid(id, strlen(id)))
		return vd_error_set(VD_EINVAL, "an id must be valid UTF-8");
	return VD_OK;
}

static int need(vd_service *s, const void *op, const char *what)
{
	if (!op)
		return vd_error_set(VD_EUNSUPPORTED, "the %s store backend has no %s", s->store->ops->name, what);
	return VD_OK;
}

int vd_service_get_doc(vd_service *s, vd_view view, const char *id, vd_record_doc *out)
{
	memset(out, 0, sizeof *out);
	int rc = check_id(id);
	if (rc || (rc = need(s, s->store->ops->doc_get, "doc_get")))
		return rc;
	/* the public view goes through the cache (doc_cache.c) when there is one */
	vd_doc_cache *cache = view == VD_VIEW_PUBLIC ? s->cache : NULL;
	if (cache && vd_doc_cache_check(cache, s->store) == VD_OK && vd_doc_cache_get(cache, id, out))
		return VD_OK;
	one_ctx c = {view, out, VD_OK};
	rc = s->store->ops->doc_get(s->store, &id, 1, one_cb, &c);
	if (!rc)
		rc = c.rc;
	if (rc) {
		vd_record_doc_free(out);
		return rc;
	}
	if (!out->json)
		return vd_error_set(VD_ENOTFOUND, "no published record %.300s", id);
	if (cache)
		vd_doc_cache_put(cache, id, out);
	return VD_OK;
}

typedef struct {
	vd_view view;
	int (*cb)(void *ctx, size_t i, const vd_doc_row *row);
	void *ctx;
} batch_ctx;

static int batch_cb(void *ctx, size_t i, const vd_doc_row *row)
{
	batch_ctx *c = ctx;
	return visible(c->view, row->state) ? c->cb(c->ctx, i, row) : VD_OK;
}

int vd_service_get_batch(vd_service *s, vd_view view, const char *const *ids, size_t n,
                         int (*cb)(void *ctx, size_t i, const vd_doc_row *row), void *ctx)
{
	if (n > VD_BATCH_MAX)
		return vd_error_set(VD_ETOOBIG, "ids: at most %d ids in one batch (got %zu)", VD_BATCH_MAX, n);
	for (size_t i = 0; i < n; i++)
		if (check_id(ids[i])) {
			vd_error_prefix("ids[%zu]: ", i);
			return VD_EINVAL;
		}
	int rc = need(s, s->store->ops->doc_get, "doc_get");
	if (rc)
		return rc;
	batch_ctx c = {view, cb, ctx};
	return s->store->ops->doc_get(s->store, ids, n, batch_cb, &c);
}

/* ---- lists ---- */

static bool is_grade(const char *g)
{
	return !strcmp(g, "critical") || !strcmp(g, "high") || !strcmp(g, "medium") || !strcmp(g, "low");
}

/* "CWE-79", "cwe-79" or "79" → "CWE-79" in out. */
static int norm_cwe(const char *in, char *out, size_t outsz)
{
	const char *d = in;
	if (strncasecmp(d, "CWE-", 4) == 0)
		d += 4;
	size_t n = strlen(d);
	if (n == 0 || n > 9 || strspn(d, "0123456789") != n)
		return vd_error_set(VD_EINVAL, "cwe: expected CWE-<number> (e.g. CWE-79), got '%.64s'", in);
	snprintf(out, outsz, "CWE-%s", d);
	return VD_OK;
}

/* Take field k (0-based) of a CPE 2.3 formatted string, unescaping '\x'.
 * "*" (ANY) and "-" (NA) give an empty result. */
static int cpe_field(const char *cpe, int k, char *out, size_t outsz)
{
	int f = 0;
	size_t o = 0;
	for (const char *p = cpe; *p; p++) {
		if (*p == '\\' && p[1]) {
			if (f == k && o + 1 < outsz)
				out[o++] = p[1];
			p++;
			continue;
		}
		if (*p == ':') {
			if (++f > k)
				break;
			continue;
		}
		if (f == k) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = *p;
		}
	}
	out[o] = 0;
	if (f < k)
		return -1;
	if (!strcmp(out, "*") || !strcmp(out, "-"))
		out[0] = 0;
	return 0;
}

static int text_param(const char *name, const char *v, size_t max)
{
	if (!v)
		return VD_OK;
	size_t n = strlen(v);
	if (n == 0 || n > max)
		return vd_error_set(VD_EINVAL, "%s: 1 to %zu bytes", name, max);
	if (!vd_utf8_valid(v, n))
		return vd_error_set(VD_EINVAL, "%s: not valid UTF-8", name);
	return VD_OK;
}

typedef struct {
	int (*cb)(void *ctx, const vd_list_item *it);
	void *ctx;
	int limit, seen;
	int64_t last_key;
	bool more;
} list_ctx;

static int list_cb(void *ctx, const vd_list_item *it)
{
	list_ctx *c = ctx;
	if (c->seen == c->limit) {   /* the extra row: there is a next page */
		c->more = true;
		return 1;
	}
	c->seen++;
	c->last_key = it->key;
	return c->cb(c->ctx, it);
}

int vd_service_list(vd_service *s, vd_view view, const vd_list_params *p,
                    int (*cb)(void *ctx, const vd_list_item *it), void *ctx, vd_list_page *page)
{
	memset(page, 0, sizeof *page);
	int rc = need(s, s->store->ops->list, "list");
	if (rc)
		return rc;
	if (p->limit < 0 || p->limit > VD_LIST_MAX)
		return vd_error_set(VD_EINVAL, "limit: 1 to %d", VD_LIST_MAX);
	vd_list_query q = {.include_unpublished = view == VD_VIEW_ALL, .limit = (p->limit ? p->limit : 100) + 1};
	char since[32], cwe[16], buf[VD_CURSOR_MAX], vendor[256], product[256];
	if (p->modified_since) {
		int64_t t;
		if (strlen(p->modified_since) > 64 || vd_time_parse(p->modified_since, &t))
			return vd_error_set(VD_EINVAL, "modified_since: expected an RFC 3339 time "
			                    "(e.g. 2024-01-31T00:00:00Z), got '%.64s'", p->modified_since);
		vd_time_format(t, since, sizeof since);
		q.modified_since = since;
	}
	if (p->severity) {
		if (!is_grade(p->severity))
			return vd_error_set(VD_EINVAL, "severity: critical, high, medium or low");
		q.severity = p->severity;
	}
	if (p->cwe) {
		if ((rc = norm_cwe(p->cwe, cwe, sizeof cwe)))
			return rc;
		q.cwe = cwe;
	}
	if ((rc = text_param("vendor", p->vendor, 200)) || (rc = text_param("product", p->product, 200)) ||
	    (rc = text_param("credit", p->credit, 200)) || (rc = text_param("library", p->library, 32)) ||
	    (rc = text_param("cpe", p->cpe, 1024)))
		return rc;
	q.vendor = p->vendor;
	q.product = p->product;
	q.credit = p->credit;
	q.library = p->library;
	if (p->cpe) {
		if (strncmp(p->cpe, "cpe:2.3:", 8) || cpe_field(p->cpe, 3, vendor, sizeof vendor) ||
		    cpe_field(p->cpe, 4, product, sizeof product))
			return vd_error_set(VD_EINVAL, "cpe: expected a CPE 2.3 name cpe:2.3:part:vendor:product:..., "
			                    "got '%.64s'", p->cpe);
		if (p->vendor || p->product)
			return vd_error_set(VD_EINVAL, "cpe: give either cpe or vendor/product, not both");
		q.vendor = vendor[0] ? vendor : NULL;
		q.product = product[0] ? product : NULL;
		page->note = "cpe: matched by exact vendor and product (case-insensitive); version and the "
		             "other CPE attributes are not compared yet";
	}
	if (p->cursor) {
		const char *v;
		long long k;
		char *end;
		if ((rc = cursor_read("cursor", "l1", p->cursor, buf, sizeof buf, &v)))
			return rc;
		k = strtoll(v, &end, 10);
		if (*end || k <= 0)
			return vd_error_set(VD_EINVAL, "cursor: not a token this server handed out");
		q.after = k;
	}
	list_ctx c = {cb, ctx, q.limit - 1, 0, 0, false};
	rc = s->store->ops->list(s->store, &q, list_cb, &c);
	if (rc == 1)
		rc = VD_OK;
	if (!rc && c.more) {
		char k[32];
		snprintf(k, sizeof k, "%lld", (long long)c.last_key);
		cursor_make("l1", k, page->next_cursor, sizeof page->next_cursor);
		page->more = true;
	}
	return rc;
}

typedef struct {
	int (*cb)(void *ctx, const char *name, uint64_t n);
	void *ctx;
	int limit, seen;
	char last[256];
	bool more;
} names_ctx;

static int names_cb(void *ctx, const char *name, uint64_t n)
{
	names_ctx *c = ctx;
	if (c->seen == c->limit) {
		c->more = true;
		return 1;
	}
	c->seen++;
	vd_strlcpy(c->last, name ? name : "", sizeof c->last);
	return c->cb(c->ctx, name, n);
}

int vd_service_names(vd_service *s, vd_view view, const char *vendor, const char *cursor, int limit,
                     int (*cb)(void *ctx, const char *name, uint64_t n), void *ctx, vd_list_page *page)
{
	memset(page, 0, sizeof *page);
	int rc = need(s, s->store->ops->names, "names");
	if (rc || (rc = text_param("vendor", vendor, 200)))
		return rc;
	if (limit < 0 || limit > VD_LIST_MAX)
		return vd_error_set(VD_EINVAL, "limit: 1 to %d", VD_LIST_MAX);
	char buf[VD_CURSOR_MAX];
	vd_names_query q = {.include_unpublished = view == VD_VIEW_ALL, .vendor = vendor,
	                    .limit = (limit ? limit : 100) + 1};
	if (cursor && (rc = cursor_read("cursor", "n1", cursor, buf, sizeof buf, &q.after)))
		return rc;
	names_ctx c = {.cb = cb, .ctx = ctx, .limit = q.limit - 1};
	rc = s->store->ops->names(s->store, &q, names_cb, &c);
	if (rc == 1)
		rc = VD_OK;
	if (!rc && c.more) {
		cursor_make("n1", c.last, page->next_cursor, sizeof page->next_cursor);
		page->more = true;
	}
	return rc;
}

int vd_service_counts(vd_service *s, vd_view view,
                      int (*cb)(void *ctx, const char *dim, const char *key, uint64_t n), void *ctx)
{
	int rc = need(s, s->store->ops->counts, "counts");
	return rc ? rc : s->store->ops->counts(s->store, view == VD_VIEW_ALL, cb, ctx);
}

/* ---- OSV queries ---- */

/* purl type → OSV ecosystem (the common ones). */
static const struct { const char *type, *eco; } purl_ecos[] = {
	{"pypi", "PyPI"}, {"golang", "Go"}, {"npm", "npm"}, {"maven", "Maven"}, {"cargo", "crates.io"},
	{"gem", "RubyGems"}, {"nuget", "NuGet"}, {"composer", "Packagist"}, {"hex", "Hex"},
	{"pub", "Pub"}, {"swift", "SwiftURL"}, {"hackage", "Hackage"}, {"cran", "CRAN"},
	{NULL, NULL},
};

/* Percent-decode in place; -1 on a bad escape. */
static int pct_decode(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '%') {
			if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
				return -1;
			char h[3] = {p[1], p[2], 0};
			*o++ = (char)strtol(h, NULL, 16);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
	return 0;
}

/* PyPI names are case-insensitive; the advisory database writes them in
 * lower case (separators as published: "jw.util"), so only case folds. */
static void pypi_norm(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Split "pkg:type/ns/name@version?q#sub" into purl-without-version (out
 * purl), ecosystem + package name, and version.  Buffers of VD_PURL_BUF. */
typedef struct {
	char base[VD_PURL_BUF];     /* pkg:type/ns/name */
	char name[VD_PURL_BUF];     /* OSV package name */
	char version[VD_PURL_BUF];
	const char *ecosystem;
} purl_parts;

static int purl_split(const char *purl, purl_parts *pp)
{
	memset(pp, 0, sizeof *pp);
	if (strlen(purl) >= VD_PURL_BUF || strncmp(purl, "pkg:", 4))
		return vd_error_set(VD_EINVAL, "package.purl: expected pkg:type/name[@version], got '%.64s'", purl);
	char tmp[VD_PURL_BUF];
	vd_strlcpy(tmp, purl + 4, sizeof tmp);
	char *cut = strpbrk(tmp, "?#");
	if (cut)
		*cut = 0;
	char *at = strrchr(tmp, '@');
	char *slash = strchr(tmp, '/');
	if (!slash || slash == tmp)
		return vd_error_set(VD_EINVAL, "package.purl: no type/name in '%.64s'", purl);
	if (at && at > slash) {
		*at = 0;
		vd_strlcpy(pp->version, at + 1, sizeof pp->version);
		if (pct_decode(pp->version))
			return vd_error_set(VD_EINVAL, "package.purl: bad %%-escape in the version");
	}
	*slash = 0;
	for (char *p = tmp; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *type = tmp, *rest = slash + 1;
	while (*rest == '/')
		rest++;
	if (!*rest)
		return vd_error_set(VD_EINVAL, "package.purl: no name in '%.64s'", purl);
	int bn = snprintf(pp->base, sizeof pp->base, "pkg:%s/%s", type, rest);
	if (bn < 0 || (size_t)bn >= sizeof pp->base)
		return vd_error_set(VD_ETOOBIG, "package.purl: longer than %d bytes", VD_PURL_BUF - 1);
	vd_strlcpy(pp->name, rest, sizeof pp->name);
	if (pct_decode(pp->name))
		return vd_error_set(VD_EINVAL, "package.purl: bad %%-escape in the name");
	if (!strcmp(type, "maven")) {       /* group/artifact → group:artifact */
		char *sl = strrchr(pp->name, '/');
		if (sl)
			*sl = ':';
	}
	if (!strcmp(type, "pypi"))
		pypi_norm(pp->name);
	for (int i = 0; purl_ecos[i].type; i++)
		if (!strcmp(type, purl_ecos[i].type))
			pp->ecosystem = purl_ecos[i].eco;
	return VD_OK;
}

/* ---- simple version order (until the match module's schemes are used) ----
 * Leading "v" dropped; dot/dash separated; numeric parts compare as numbers,
 * others as text; a pre-release (part after '-') sorts before the release;
 * "+build" ignored. */
static int cmp_ident(const char *a, size_t na, const char *b, size_t nb)
{
	bool da = na && strspn(a, "0123456789") >= na, db = nb && strspn(b, "0123456789") >= nb;
	if (da && db) {
		while (na > 1 && *a == '0') a++, na--;
		while (nb > 1 && *b == '0') b++, nb--;
		if (na != nb)
			return na < nb ? -1 : 1;
		int c = memcmp(a, b, na);
		return c < 0 ? -1 : c > 0;
	}
	if (da != db)
		return da ? -1 : 1;
	size_t m = na < nb ? na : nb;
	int c = memcmp(a, b, m);
	if (c)
		return c < 0 ? -1 : 1;
	return na == nb ? 0 : na < nb ? -1 : 1;
}

static int cmp_dotted(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		if (i >= na)
			return -1;
		if (j >= nb)
			return 1;
		size_t ei = i, ej = j;
		while (ei < na && a[ei] != '.')
			ei++;
		while (ej < nb && b[ej] != '.')
			ej++;
		int c = cmp_ident(a + i, ei - i, b + j, ej - j);
		if (c)
			return c;
		i = ei + 1;
		j = ej + 1;
		if (ei == na && ej < nb)
			return -1;
		if (ej == nb && ei < na)
			return 1;
	}
	return 0;
}

int vd_service_version_cmp(const char *a, const char *b)
{
	if (*a == 'v' || *a == 'V')
		a++;
	if (*b == 'v' || *b == 'V')
		b++;
	size_t la = strcspn(a, "+"), lb = strcspn(b, "+");
	size_t ra = strcspn(a, "-+"), rb = strcspn(b, "-+");
	int c = cmp_dotted(a, ra, b, rb);
	if (c)
		return c;
	bool pa = ra < la, pb = rb < lb;
	if (!pa || !pb)
		return pa == pb ? 0 : pa ? -1 : 1;
	return cmp_dotted(a + ra + 1, la - ra - 1, b + rb + 1, lb - rb - 1);
}

/* OSV range semantics over the simple order: affected when some introduced
 * event ≤ v and v is below the nearest fixed (or ≤ last_affected) at or
 * above that introduced. */
static bool range_affects(const vd_range *g, const char *v)
{
	for (size_t i = 0; i < g->n_events; i++) {
		const vd_event *in = &g->events[i];
		if (in->kind != VD_EV_INTRODUCED || !in->value)
			continue;
		bool zero = !strcmp(in->value, "0");
		if (!zero && vd_service_version_cmp(v, in->value) < 0)
			continue;
		const vd_event *close = NULL;
		for (size_t j = 0; j < g->n_events; j++) {
			const vd_event *e = &g->events[j];
			if ((e->kind != VD_EV_FIXED && e->kind != VD_EV_LAST_AFFECTED) || !e->value)
				continue;
			if (!zero && vd_service_version_cmp(e->value, in->value) < 0)
				continue;
			if (!close || vd_service_version_cmp(e->value, close->value) < 0)
				close = e;
		}
		if (!close)
			return true;
		int c = vd_service_version_cmp(v, close->value);
		if (close->kind == VD_EV_FIXED ? c < 0 : c <= 0)
			return true;
	}
	return false;
}

/* Is version v in an affected entry, given in its canonical JSON form (as
 * the store hands it out, so the whole record is not decoded): listed in
 * its versions, or inside one of its SEMVER / ECOSYSTEM ranges. */
static bool affected_json_has_version(const char *aj, size_t n, const char *v)
{
	static const vd_affected_limits lim = {4095, 99999, 99999, SIZE_MAX};
	vd_affected_view av;
	if (vd_affected_view_load(&av, aj, n, &lim))
		return false;
	const vd_affected *af = &av.a;
	bool hit = false, in = false;
	/* the version schemes of the match module first (PEP 440, Go, npm, ...) */
	if (vd_affected_contains(af, v, &in) == VD_OK) {
		hit = in;
	} else {
		/* not evaluable there (unknown scheme, a version invalid in it):
		 * exact versions and the simple dotted order over SEMVER / ECOSYSTEM ranges */
		for (size_t i = 0; i < af->n_versions && !hit; i++)
			hit = !strcmp(af->versions[i], v);
		for (size_t i = 0; i < af->n_ranges && !hit; i++)
			if (af->ranges[i].type &&
			    (!strcmp(af->ranges[i].type, "SEMVER") || !strcmp(af->ranges[i].type, "ECOSYSTEM")))
				hit = range_affects(&af->ranges[i], v);
	}
	vd_affected_view_free(&av);
	return hit;
}

/* Does a GIT range of the record name this commit as introduced or
 * last_affected, or list it among the versions? (exact commits only) */
static bool record_has_commit(const vd_record *r, const char *commit)
{
	for (size_t i = 0; i < r->n_affected; i++) {
		const vd_affected *a = &r->affected[i];
		for (size_t k = 0; k < a->n_versions; k++)
			if (a->versions[k] && !strcmp(a->versions[k], commit))
				return true;
		for (size_t k = 0; k < a->n_ranges; k++) {
			const vd_range *g = &a->ranges[k];
			if (!g->type || strcmp(g->type, "GIT"))
				continue;
			for (size_t e = 0; e < g->n_events; e++)
				if (g->events[e].value && !strcmp(g->events[e].value, commit) &&
				    (g->events[e].kind == VD_EV_INTRODUCED || g->events[e].kind == VD_EV_LAST_AFFECTED))
					return true;
		}
	}
	return false;
}

typedef struct {
	vd_view view;
	const vd_osv_query *q;
	const char *version;
	int (*cb)(void *ctx, const vd_osv_hit *h);
	void *ctx;
	int limit, seen;
	char last[260];       /* last record id handed out (dedup + page token) */
	bool more;
	int rc;
} osv_ctx;

static int osv_row(void *ctx, const vd_pkg_row *row)
{
	osv_ctx *c = ctx;
	if (!visible(c->view, row->state) || !row->record_id)
		return VD_OK;
	if (c->last[0] && !strcmp(c->last, row->record_id))
		return VD_OK;   /* already answered: another affected entry of the same record */
	/* versions: decided on the affected entry alone; the whole record is
	 * decoded only for commits and when the caller wants records */
	if (c->version && !c->q->commit &&
	    !affected_json_has_version(row->affected, row->affected_len, c->version))
		return VD_OK;
	vd_record *r = NULL;
	if (c->q->want_records || c->q->commit) {
		int rc = vd_record_from_json(row->doc, row->doc_len, &r);
		if (rc) {
			vd_error_prefix("record %s: ", row->record_id);
			return c->rc = rc;
		}
		if (c->q->commit && !record_has_commit(r, c->q->commit)) {
			vd_record_free(r);
			return VD_OK;
		}
	}
	if (c->seen == c->limit) {
		vd_record_free(r);
		c->more = true;
		return 1;
	}
	c->seen++;
	vd_strlcpy(c->last, row->record_id, sizeof c->last);
	vd_osv_hit h = {row->record_id, row->modified, r};
	int ret = c->cb(c->ctx, &h);
	vd_record_free(r);
	return ret;
}

int vd_service_osv_query(vd_service *s, vd_view view, const vd_osv_query *q,
                         int (*cb)(void *ctx, const vd_osv_hit *h), void *ctx, vd_list_page *page)
{
	memset(page, 0, sizeof *page);
	int rc = need(s, s->store->ops->affected_find, "affected_find");
	if (rc || (rc = text_param("package.name", q->name, 512)) ||
	    (rc = text_param("package.ecosystem", q->ecosystem, 64)) ||
	    (rc = text_param("version", q->version, 256)) || (rc = text_param("commit", q->commit, 64)))
		return rc;
	if (q->commit && (q->purl || q->name || q->ecosystem || q->version))
		return vd_error_set(VD_EINVAL, "commit: give either a commit or a package (with a version), not both");
	if (q->commit && (strlen(q->commit) < 7 || strspn(q->commit, "0123456789abcdefABCDEF") != strlen(q->commit)))
		return vd_error_set(VD_EINVAL, "commit: expected a hexadecimal commit hash (7 to 64 digits)");
	if (!q->commit && !q->purl && !(q->name && q->ecosystem))
		return vd_error_set(VD_EINVAL, "package: give a purl, or a name and an ecosystem (or a commit)");
	if (q->purl && (q->name || q->ecosystem))
		return vd_error_set(VD_EINVAL, "package: give either purl or name+ecosystem, not both");
	int limit = q->page_size > 0 ? q->page_size : 1000;
	osv_ctx c = {view, q, q->version, cb, ctx, limit, 0, "", false, VD_OK};
	vd_pkg_query pq = {.include_unpublished = view == VD_VIEW_ALL, .text = q->commit};
	char buf[VD_CURSOR_MAX];
	if (q->page_token && (rc = cursor_read("page_token", "o1", q->page_token, buf, sizeof buf, &pq.after)))
		return rc;
	purl_parts *pp = NULL;
	char *name = NULL;
	if (q->purl) {
		if (!(pp = malloc(sizeof *pp)))
			return vd_error_set(VD_ENOMEM, "out of memory");
		if ((rc = purl_split(q->purl, pp)))
			goto out;
		if (pp->version[0] && q->version) {
			rc = vd_error_set(VD_EINVAL, "version: give the version in the purl or in version, not both");
			goto out;
		}
		if (pp->version[0])
			c.version = pp->version;
		if (pp->ecosystem) {       /* by ecosystem + name: the OSV importer keeps no purl for most */
			pq.ecosystem = pp->ecosystem;
			pq.package = pp->name;
		} else {
			pq.purl = pp->base;
		}
	} else if (!q->commit) {
		pq.ecosystem = q->ecosystem;
		if (!(name = strdup(q->name))) {
			rc = vd_error_set(VD_ENOMEM, "out of memory");
			goto out;
		}
		if (!strcmp(q->ecosystem, "PyPI"))
			pypi_norm(name);
		pq.package = name;
	}
	rc = s->store->ops->affected_find(s->store, &pq, osv_row, &c);
	if (rc == 1)
		rc = VD_OK;
	if (!rc && c.rc)
		rc = c.rc;
	if (!rc && c.more) {
		cursor_make("o1", c.last, page->next_cursor, sizeof page->next_cursor);
		page->more = true;
	}
out:
	free(pp);
	free(name);
	return rc;
}
