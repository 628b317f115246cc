/* Service: opening the database, reads, administration. */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "service_int.h"
#include <stdlib.h>
#include <string.h>

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
	vd_store_close(s->store);
	free(s);
}

int vd_service_db_migrate(vd_service *s, int *from, int *to)
{
	int latest;
	int rc = s->store->ops->schema_version(s->store, from, &latest);
	if (!rc)
		rc = vd_store_migrate(s->store);
	if (!rc)
		rc = s->store->ops->schema_version(s->store, to, &latest);
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

int vd_service_search(vd_service *s, vd_view view, const vd_search_params *p,
                      int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total)
{
	if (p->text && strlen(p->text) > 512)
		return vd_error_set(VD_EINVAL, "search text longer than 512 bytes");
	if (p->limit < 0 || p->limit > 1000)
		return vd_error_set(VD_EINVAL, "limit must be 1..1000");
	if (p->severity && strcmp(p->severity, "critical") && strcmp(p->severity, "high") &&
	    strcmp(p->severity, "medium") && strcmp(p->severity, "low"))
		return vd_error_set(VD_EINVAL, "severity must be critical, high, medium or low");
	vd_search_query q = {
		.text = p->text, .include_unpublished = view == VD_VIEW_ALL,
		.severity = p->severity, .limit = p->limit ? p->limit : 20, .offset = p->offset,
	};
	return s->store->ops->search(s->store, &q, cb, ctx, total);
}

int vd_service_ping(vd_service *s)
{
	vd_store_stats st;
	return vd_store_stats_get(s->store, &st);
}
