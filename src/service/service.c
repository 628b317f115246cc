/* Service: opening the database, reads, administration. */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "service_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int vd_service_open(const char *location, bool create, vd_service **out)
{
	vd_service *s = calloc(1, sizeof *s);
	if (!s)
		return vd_error_set(VD_ENOMEM, "out of memory");
	int rc = vd_store_open(location, &s->store);
	if (rc) {
		free(s);
		return rc;
	}
	int cur = 0, latest = 0;
	rc = s->store->ops->schema_version(s->store, &cur, &latest);
	if (!rc && create && cur < latest)
		rc = vd_store_migrate(s->store);
	else if (!rc && cur == 0)
		rc = vd_error_set(VD_EINVAL, "%s: no vulnd database here; run `vulnd db init` first", location);
	else if (!rc && cur < latest)
		rc = vd_error_set(VD_EINVAL, "%s: schema version %d is older than this program's %d; "
		                  "run `vulnd db migrate`", location, cur, latest);
	if (rc) {
		vd_store_close(s->store);
		free(s);
		return rc;
	}
	*out = s;
	return VD_OK;
}

void vd_service_close(vd_service *s)
{
	if (!s)
		return;
	vd_doc_cache_free(s->cache);
	vd_store_close(s->store);
	free(s);
}

int vd_service_set_cache(vd_service *s, size_t bytes)
{
	vd_doc_cache_free(s->cache);
	s->cache = NULL;
	return vd_doc_cache_new(bytes, &s->cache);
}

void vd_service_cache_counts(uint64_t *hits, uint64_t *misses)
{
	vd_doc_cache_counts(hits, misses);
}

int vd_service_db_migrate(vd_service *s, int *from, int *to)
{
	int latest;
	int rc = s->store->ops->schema_version(s->store, from, &latest);
	if (!rc)
		rc = vd_store_migrate(s->store);
	if (!rc)
		rc = s->store->ops->schema_version(s->store, to, &latest);
	if (!rc)
		rc = vd_service_library_ensure_default(s);   /* the national library (auth: library.c) */
	return rc;
}

int vd_service_db_stats(vd_service *s, vd_store_stats *out)
{
	return vd_store_stats_get(s->store, out);
}

int vd_service_db_check(vd_service *s, vd_check_cb cb, void *ctx)
{
	return s->store->ops->check(s->store, cb, ctx);
}

int vd_service_db_reindex(vd_service *s)
{
	if (!s->store->ops->search_rebuild)
		return vd_error_set(VD_EUNSUPPORTED, "this storage backend has no full-text index");
	return s->store->ops->search_rebuild(s->store);
}

int vd_service_get(vd_service *s, vd_view view, const char *id, vd_record **out)
{
	if (vd_str_empty(id) || strlen(id) > 256)
		return vd_error_set(VD_EINVAL, "an id is 1 to 256 characters");
	vd_record *r = NULL;
	int rc = vd_store_get(s->store, id, &r);
	if (rc)
		return rc;
	if (view == VD_VIEW_PUBLIC && r->state != VD_STATE_PUBLISHED) {
		vd_record_free(r);
		/* indistinguishable from absent: unpublished data never leaks */
		return vd_error_set(VD_ENOTFOUND, "no published record %s", id);
	}
	*out = r;
	return VD_OK;
}

/* A date filter to the canonical form; a bare date as an upper bound
 * means the end of that day. */
static int search_date(const char *in, bool upper, const char *what, char out[32], const char **res)
{
	*res = NULL;
	if (vd_str_empty(in))
		return VD_OK;
	int64_t t;
	if (strlen(in) > 64 || vd_time_parse(in, &t) != VD_OK)
		return vd_error_set(VD_EINVAL, "%s: '%.64s' is not a date (YYYY-MM-DD or RFC 3339)", what, in);
	if (upper && strlen(in) == 10)
		t += 86399;
	vd_time_format(t, out, 32);
	*res = out;
	return VD_OK;
}

static const char *const grades[][2] = {
	{"critical", "超危"}, {"high", "高危"}, {"medium", "中危"}, {"low", "低危"},
};

int vd_service_search_ex(vd_service *s, vd_view view, const vd_search_params *p,
                         int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, vd_search_result *res)
{
	if (p->text && strlen(p->text) > 512)
		return vd_error_set(VD_EINVAL, "search text longer than 512 bytes");
	if (p->text && !vd_utf8_valid(p->text, strlen(p->text)))
		return vd_error_set(VD_EINVAL, "search text is not valid UTF-8");
	if (p->limit < 0 || p->limit > 1000)
		return vd_error_set(VD_EINVAL, "limit must be 1..1000");
	if (p->offset < 0)
		return vd_error_set(VD_EINVAL, "offset must not be negative");
	const char *sev = NULL;
	if (!vd_str_empty(p->severity)) {
		for (size_t i = 0; i < sizeof grades / sizeof grades[0] && !sev; i++)
			if (strcmp(p->severity, grades[i][0]) == 0 || strcmp(p->severity, grades[i][1]) == 0)
				sev = grades[i][0];
		if (!sev)
			return vd_error_set(VD_EINVAL, "severity must be critical, high, medium or low");
	}
	const char *state = NULL;
	if (!vd_str_empty(p->state)) {
		vd_state st;
		if (vd_state_parse(p->state, &st) != VD_OK)
			return vd_error_set(VD_EINVAL, "state must be published, unpublished, rejected or withdrawn");
		if (view != VD_VIEW_ALL && st != VD_STATE_PUBLISHED)
			return vd_error_set(VD_EPERM, "only roles that may see unpublished records can filter "
			                    "by state %s", p->state);
		state = vd_state_name(st);
	}
	if (!(p->score_min >= 0 && p->score_min <= 10 && p->score_max >= 0 && p->score_max <= 10) ||
	    (p->score_max > 0 && p->score_min > p->score_max))
		return vd_error_set(VD_EINVAL, "score range must lie in 0..10 with min <= max");
	const char *strs[] = {p->class_code, p->vendor, p->product, p->library, p->source, p->cursor, p->cwe};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (strs[i] && (strlen(strs[i]) > 256 || !vd_utf8_valid(strs[i], strlen(strs[i]))))
			return vd_error_set(VD_EINVAL, "search filters are at most 256 bytes of UTF-8");
	char cwe[32];
	const char *cw = NULL;
	if (!vd_str_empty(p->cwe)) {
		const char *n = p->cwe;
		if (strncasecmp(n, "CWE-", 4) == 0)
			n += 4;
		long v;
		if (vd_parse_long(n, 1, 999999, &v))
			return vd_error_set(VD_EINVAL, "cwe must look like CWE-79");
		snprintf(cwe, sizeof cwe, "CWE-%ld", v);
		cw = cwe;
	}
	char d[4][32];
	const char *pf, *pt, *mf, *mt;
	int rc;
	if ((rc = search_date(p->published_from, false, "published_from", d[0], &pf)) ||
	    (rc = search_date(p->published_to, true, "published_to", d[1], &pt)) ||
	    (rc = search_date(p->modified_from, false, "modified_from", d[2], &mf)) ||
	    (rc = search_date(p->modified_to, true, "modified_to", d[3], &mt)))
		return rc;
#define NZ(x) (vd_str_empty(x) ? NULL : (x))
	vd_search_query q = {
		.text = p->text, .include_unpublished = view == VD_VIEW_ALL,
		.severity = sev, .limit = p->limit ? p->limit : 20, .offset = p->offset,
		.state = state, .score_min = p->score_min, .score_max = p->score_max, .cwe = cw,
		.class_code = NZ(p->class_code), .vendor = NZ(p->vendor), .product = NZ(p->product),
		.library = NZ(p->library), .source = NZ(p->source),
		.published_from = pf, .published_to = pt, .modified_from = mf, .modified_to = mt,
		.cursor = NZ(p->cursor), .facets = p->facets, .snippets = p->snippets,
	};
#undef NZ
	if (!s->store->ops->search_ex)
		return vd_error_set(VD_EUNSUPPORTED, "this storage backend has no full-text search");
	return s->store->ops->search_ex(s->store, &q, cb, ctx, res);
}

int vd_service_search(vd_service *s, vd_view view, const vd_search_params *p,
                      int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total)
{
	vd_search_result res;
	if (total)
		*total = 0;
	int rc = vd_service_search_ex(s, view, p, cb, ctx, &res);
	if (!rc && total)
		*total = res.total;
	return rc;
}

/* A cheap round trip to the database (the schema version): /healthz calls
 * it on every probe, so nothing here may grow with the catalogue. */
int vd_service_ping(vd_service *s)
{
	int cur, latest;
	return s->store->ops->schema_version(s->store, &cur, &latest);
}
