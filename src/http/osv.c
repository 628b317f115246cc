/* OSV-compatible endpoints (same request/response shapes as OSV.dev):
 *   POST /v1/query       {package:{purl}|{name,ecosystem}, version} | {commit}, page_token
 *   POST /v1/querybatch  {queries:[...]} (≤ 1000): ids + modified only
 *   GET  /v1/vulns/{id}  an OSV 1.x document
 * An empty answer is {} as on OSV.dev. */
#include "http_int.h"
#include "vulnd/error.h"
#include "vulnd/osv_write.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERYBATCH_MAX 1000

/* Fill q from one query object; false with a 422 set (where names it). */
static bool parse_query(vd_http_req *rq, json_t *o, const char *where, vd_osv_query *q)
{
	memset(q, 0, sizeof *q);
	if (!json_is_object(o)) {
		vd_http_error(rq, 422, "bad_request_body", "%s: expected a query object", where);
		return false;
	}
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		if (!strcmp(k, "package")) {
			if (!json_is_object(v)) {
				vd_http_error(rq, 422, "bad_request_body", "%spackage: expected an object", where);
				return false;
			}
			const char *pk;
			json_t *pv;
			json_object_foreach(v, pk, pv) {
				const char **dst = !strcmp(pk, "name") ? &q->name : !strcmp(pk, "ecosystem") ? &q->ecosystem
				                 : !strcmp(pk, "purl") ? &q->purl : NULL;
				if (!dst) {
					vd_http_error(rq, 422, "bad_request_body", "%spackage.%.64s: unknown field "
					              "(package takes name, ecosystem, purl)", where, pk);
					return false;
				}
				if (!json_is_string(pv)) {
					vd_http_error(rq, 422, "bad_request_body", "%spackage.%s: expected a string", where, pk);
					return false;
				}
				*dst = json_string_value(pv);
			}
			continue;
		}
		const char **dst = !strcmp(k, "version") ? &q->version : !strcmp(k, "commit") ? &q->commit
		                 : !strcmp(k, "page_token") ? &q->page_token : NULL;
		if (!dst) {
			vd_http_error(rq, 422, "bad_request_body", "%s%.64s: unknown field (a query takes package, "
			              "version, commit, page_token)", where, k);
			return false;
		}
		if (!json_is_string(v)) {
			vd_http_error(rq, 422, "bad_request_body", "%s%s: expected a string", where, k);
			return false;
		}
		*dst = json_string_value(v);
	}
	return true;
}

static int full_hit(void *ctx, const vd_osv_hit *h)
{
	json_t *o = h->record ? vd_osv_from_record(h->record) : NULL;
	if (!o)
		return vd_error_set(VD_ENOMEM, "out of memory writing %s", h->id);
	json_array_append_new(ctx, o);
	return VD_OK;
}

static int short_hit(void *ctx, const vd_osv_hit *h)
{
	json_t *o = json_pack("{s:s}", "id", h->id);
	if (h->modified)
		json_object_set_new(o, "modified", json_string(h->modified));
	json_array_append_new(ctx, o);
	return VD_OK;
}

/* Run one query; the answer object ({} when nothing) or NULL with the
 * response set. */
static json_t *answer(vd_http_req *rq, vd_service *s, vd_osv_query *q, bool full, const char *where)
{
	q->want_records = full;
	q->page_size = rq->cfg->osv_page_size;
	json_t *arr = json_array();
	vd_list_page pg;
	int rc = vd_service_osv_query(s, VD_VIEW_PUBLIC, q, full ? full_hit : short_hit, arr, &pg);
	if (rc) {
		json_decref(arr);
		if (rc == VD_EINVAL)
			vd_http_error(rq, 422, "bad_request_body", "%s%s", where, vd_error_msg());
		else
			vd_http_fail(rq, rc);
		return NULL;
	}
	json_t *o = json_object();
	if (json_array_size(arr))
		json_object_set_new(o, "vulns", arr);
	else
		json_decref(arr);
	if (pg.more)
		json_object_set_new(o, "next_page_token", json_string(pg.next_cursor));
	return o;
}

void vd_h_osv_query(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	json_t *j = vd_http_body_object(rq);
	vd_osv_query q;
	if (!j)
		return;
	if (parse_query(rq, j, "", &q)) {
		json_t *o = answer(rq, s, &q, true, "");
		if (o)
			vd_http_json(rq, 200, o);
	}
	json_decref(j);
}

void vd_h_osv_querybatch(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	json_t *j = vd_http_body_object(rq);
	if (!j)
		return;
	json_t *qs = json_object_get(j, "queries");
	if (json_object_size(j) != 1 || !json_is_array(qs)) {
		vd_http_error(rq, 422, "bad_request_body", "expected {\"queries\": [query, ...]}");
		json_decref(j);
		return;
	}
	size_t n = json_array_size(qs);
	if (n > QUERYBATCH_MAX) {
		vd_http_error(rq, 422, "too_many", "queries: at most %d queries in one batch (got %zu)", QUERYBATCH_MAX, n);
		json_decref(j);
		return;
	}
	json_t *results = json_array();
	for (size_t i = 0; i < n; i++) {
		char where[32];
		snprintf(where, sizeof where, "queries[%zu].", i);
		vd_osv_query q;
		json_t *o = NULL;
		if (!parse_query(rq, json_array_get(qs, i), where, &q) || !(o = answer(rq, s, &q, false, where))) {
			json_decref(results);
			json_decref(j);
			return;
		}
		json_array_append_new(results, o);
	}
	json_decref(j);
	vd_http_json(rq, 200, json_pack("{s:o}", "results", results));
}

void vd_h_osv_vuln(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	vd_record_doc d;
	int rc = vd_service_get_doc(s, VD_VIEW_PUBLIC, rq->params[0], &d);
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	vd_record *r = NULL;
	char *out = NULL;
	rc = vd_record_from_json(d.json, d.len, &r);
	if (!rc)
		rc = vd_osv_write(r, &out);
	if (rc) {
		vd_http_fail(rq, rc);
	} else {
		rq->status = 200;
		snprintf(rq->etag, sizeof rq->etag, "\"%s-osv\"", d.hash);
		vd_buf_adds(&rq->out, out);
	}
	free(out);
	vd_record_free(r);
	vd_record_doc_free(&d);
}
