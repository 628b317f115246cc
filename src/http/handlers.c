/* Handlers of /healthz, /metrics and /api/v1/...: parse the request → one
 * service call → render.  Shared helpers for every handler file. */
#include "http_int.h"
#include "vulnd/error.h"
#include "vulnd/osv_write.h"
#include "vulnd/cwe.h"
#include "vulnd/gbt30279.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JFLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(10))

/* ---- helpers ---- */

const char *vd_http_arg(const vd_http_req *rq, const char *key)
{
	for (size_t i = 0; i < rq->n_query; i++)
		if (strcmp(rq->query[i].key, key) == 0)
			return rq->query[i].val;
	return NULL;
}

bool vd_http_args_only(vd_http_req *rq, ...)
{
	for (size_t i = 0; i < rq->n_query; i++) {
		va_list ap;
		va_start(ap, rq);
		bool ok = false;
		for (const char *k; (k = va_arg(ap, const char *)) != NULL;)
			ok |= strcmp(k, rq->query[i].key) == 0;
		va_end(ap);
		if (!ok) {
			char names[256] = "";
			size_t used = 0;
			va_start(ap, rq);
			for (const char *k; (k = va_arg(ap, const char *)) != NULL;) {
				int n = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", k);
				if (n < 0 || (size_t)n >= sizeof names - used)
					break;
				used += (size_t)n;
			}
			va_end(ap);
			vd_http_error(rq, 400, "bad_request", "unknown query parameter '%.64s' (this endpoint takes: %s)",
			              rq->query[i].key, used ? names : "none");
			return false;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(rq->query[j].key, rq->query[i].key) == 0) {
				vd_http_error(rq, 400, "bad_request", "query parameter '%.64s' given twice", rq->query[i].key);
				return false;
			}
	}
	return true;
}

bool vd_http_arg_int(vd_http_req *rq, const char *key, long min, long max, long dflt, long *out)
{
	const char *v = vd_http_arg(rq, key);
	*out = dflt;
	if (!v)
		return true;
	if (vd_parse_long(v, min, max, out)) {
		vd_http_error(rq, 400, "bad_request", "%s: expected an integer from %ld to %ld", key, min, max);
		return false;
	}
	return true;
}

void vd_http_error(vd_http_req *rq, unsigned status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* messages may quote client input: keep only valid UTF-8 */
	msg[vd_utf8_check(msg, strlen(msg))] = 0;
	vd_buf_reset(&rq->out);
	rq->etag[0] = 0;
	rq->ctype = NULL;
	rq->no_cache = true;
	vd_http_json(rq, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
	rq->no_cache = true;
}

void vd_http_fail(vd_http_req *rq, int rc)
{
	switch (rc) {
	case VD_ENOTFOUND: vd_http_error(rq, 404, "not_found", "%s", vd_error_msg()); break;
	case VD_EINVAL: vd_http_error(rq, 400, "bad_request", "%s", vd_error_msg()); break;
	case VD_ETOOBIG: vd_http_error(rq, 422, "too_many", "%s", vd_error_msg()); break;
	case VD_EUNSUPPORTED: vd_http_error(rq, 501, "not_implemented", "%s", vd_error_msg()); break;
	case VD_ENOMEM: vd_http_error(rq, 503, "unavailable", "out of memory"); break;
	case VD_ECONFLICT:
		if (vd_http_is_write(rq))
			vd_http_error(rq, 409, "conflict", "%s", vd_error_msg());
		else
			vd_http_error(rq, 503, "unavailable", "database busy; try again");
		break;
	case VD_EPERM:
		if (rq->who.role == VD_ROLE_ANONYMOUS)
			vd_http_error(rq, 401, "unauthenticated", "log in or send an API token: %s", vd_error_msg());
		else
			vd_http_error(rq, 403, "forbidden", "%s", vd_error_msg());
		break;
	default:
		vd_log(VD_LOG_ERROR, "http: %s", vd_error_msg());
		vd_http_error(rq, 500, "internal", "internal error");
	}
}

void vd_http_json(vd_http_req *rq, unsigned status, json_t *body)
{
	rq->status = status;
	if (!body) {
		rq->status = 500;
		vd_buf_reset(&rq->out);
		vd_buf_adds(&rq->out, "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
		return;
	}
	char *s = json_dumps(body, JFLAGS);
	json_decref(body);
	vd_buf_reset(&rq->out);
	if (!s || vd_buf_adds(&rq->out, s)) {
		rq->status = 500;
		vd_buf_reset(&rq->out);
		vd_buf_adds(&rq->out, "{\"error\":{\"code\":\"internal\",\"message\":\"response too large\"}}");
	}
	free(s);
}

json_t *vd_http_body_object(vd_http_req *rq)
{
	json_error_t err;
	if (!rq->body || rq->body_len == 0) {
		vd_http_error(rq, 400, "bad_json", "this endpoint takes a JSON object as the request body");
		return NULL;
	}
	json_t *j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		vd_http_error(rq, 400, "bad_json", "malformed JSON at line %d column %d: %s", err.line, err.column,
		              err.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		vd_http_error(rq, 422, "bad_request_body", "the request body must be a JSON object");
		return NULL;
	}
	return j;
}

static const char *jtype_name(int t)
{
	switch (t) {
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_TRUE: return "true or false";
	case JSON_ARRAY: return "an array";
	case JSON_OBJECT: return "an object";
	}
	return "a value";
}

static bool jtype_ok(json_t *v, int t)
{
	if (json_is_null(v))
		return true;                 /* null is "absent" */
	switch (t) {
	case JSON_STRING: return json_is_string(v);
	case JSON_INTEGER: return json_is_integer(v);
	case JSON_TRUE: return json_is_boolean(v);
	case JSON_ARRAY: return json_is_array(v);
	case JSON_OBJECT: return json_is_object(v);
	}
	return false;
}

bool vd_http_fields_ok(vd_http_req *rq, json_t *obj, const vd_http_field *fields)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const vd_http_field *f = NULL;
		for (const vd_http_field *x = fields; x->name; x++)
			if (strcmp(x->name, key) == 0)
				f = x;
		if (!f) {
			char names[400] = "";
			size_t used = 0;
			for (const vd_http_field *x = fields; x->name; x++) {
				int n = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", x->name);
				if (n < 0 || (size_t)n >= sizeof names - used)
					break;
				used += (size_t)n;
			}
			vd_http_error(rq, 400, "unknown_field", "unknown field '%.64s' (this endpoint takes: %s)", key,
			              used ? names : "no fields");
			return false;
		}
		if (!jtype_ok(v, f->type)) {
			vd_http_error(rq, 400, "bad_field", "%s: expected %s", f->name, jtype_name(f->type));
			return false;
		}
		if (json_is_string(v)) {
			size_t n = json_string_length(v);
			if (memchr(json_string_value(v), 0, n)) {
				vd_http_error(rq, 400, "bad_field", "%s: contains a NUL character", f->name);
				return false;
			}
			if (f->max && n > f->max) {
				vd_http_error(rq, 400, "too_long", "%s: %zu bytes; at most %zu", f->name, n, f->max);
				return false;
			}
		}
	}
	for (const vd_http_field *x = fields; x->name; x++)
		if (x->required) {
			json_t *v2 = json_object_get(obj, x->name);
			if (!v2 || json_is_null(v2) || (json_is_string(v2) && json_string_length(v2) == 0)) {
				vd_http_error(rq, 400, "missing_field", "%s: required", x->name);
				return false;
			}
		}
	return true;
}

const char *vd_http_jstr(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

json_t *vd_http_body_fields(vd_http_req *rq, const vd_http_field *fields, bool empty_ok)
{
	json_t *j;
	if (empty_ok && (!rq->body || rq->body_len == 0 || strspn(rq->body, " \t\r\n") == rq->body_len))
		j = json_object();
	else if (!(j = vd_http_body_object(rq)))
		return NULL;
	if (!j) {
		vd_http_fail(rq, VD_ENOMEM);
		return NULL;
	}
	if (!vd_http_fields_ok(rq, j, fields)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

int vd_http_out_jstr(vd_http_req *rq, const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	int rc = t ? vd_buf_adds(&rq->out, t) : VD_ENOMEM;
	free(t);
	return rc;
}

/* ---- /healthz, /metrics, /api/v1/openapi.yaml ---- */

void vd_h_healthz(vd_http_req *rq, vd_service *s)
{
	rq->no_cache = true;
	if (vd_service_ping(s))
		vd_http_error(rq, 503, "unavailable", "database: %s", vd_error_msg());
	else
		vd_http_json(rq, 200, json_pack("{s:s}", "status", "ok"));
}

void vd_h_metrics(vd_http_req *rq, vd_service *s)
{
	if (!rq->cfg->metrics) {
		vd_http_error(rq, 404, "not_found", "metrics are switched off (metrics = off)");
		return;
	}
	vd_store_stats st;
	int rc = vd_service_db_stats(s, &st);
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	rq->status = 200;
	rq->ctype = "text/plain; version=0.0.4; charset=utf-8";
	rq->no_cache = true;
	vd_http_metrics_render(&rq->out);
	vd_buf_printf(&rq->out,
	              "# HELP vulnd_records Published records in the database.\n"
	              "# TYPE vulnd_records gauge\nvulnd_records{state=\"published\"} %llu\n"
	              "# HELP vulnd_db_bytes Size of the database file.\n"
	              "# TYPE vulnd_db_bytes gauge\nvulnd_db_bytes %llu\n",
	              (unsigned long long)st.published, (unsigned long long)st.db_bytes);
	uint64_t hits, misses;
	vd_service_cache_counts(&hits, &misses);
	vd_buf_printf(&rq->out,
	              "# HELP vulnd_record_cache_total Record lookups by id answered from memory (hit) or not (miss).\n"
	              "# TYPE vulnd_record_cache_total counter\n"
	              "vulnd_record_cache_total{result=\"hit\"} %llu\nvulnd_record_cache_total{result=\"miss\"} %llu\n",
	              (unsigned long long)hits, (unsigned long long)misses);
}

void vd_h_openapi(vd_http_req *rq, vd_service *s)
{
	(void)s;
	if (!vd_http_args_only(rq, NULL))
		return;
	rq->status = 200;
	rq->ctype = "application/yaml; charset=utf-8";
	vd_buf_add(&rq->out, vd_openapi_yaml, vd_openapi_yaml_len);
}

/* ---- /api/v1/vulns/{id} ---- */

void vd_h_vuln(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, "format", NULL))
		return;
	const char *fmt = vd_http_arg(rq, "format");
	bool osv = false;
	if (fmt && strcmp(fmt, "json") != 0) {
		if (strcmp(fmt, "osv") == 0) {
			osv = true;
		} else if (strcmp(fmt, "cve5") == 0 || strcmp(fmt, "csaf") == 0) {
			vd_http_error(rq, 406, "not_acceptable", "format=%s: no %s writer in this build yet; "
			              "use format=json or format=osv", fmt, fmt);
			return;
		} else {
			vd_http_error(rq, 400, "bad_request", "format: json or osv (cve5 and csaf are not available yet)");
			return;
		}
	}
	vd_record_doc d;
	int rc = vd_service_get_doc(s, VD_VIEW_PUBLIC, rq->params[0], &d);
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	rq->status = 200;
	snprintf(rq->etag, sizeof rq->etag, "\"%s%s\"", d.hash, osv ? "-osv" : "");
	if (!osv) {
		if (vd_buf_add(&rq->out, d.json, d.len))
			vd_http_error(rq, 500, "internal", "response too large");
	} else {
		vd_record *r = NULL;
		char *out = NULL;
		rc = vd_record_from_json(d.json, d.len, &r);
		if (!rc)
			rc = vd_osv_write(r, &out);
		if (rc)
			vd_http_fail(rq, rc);
		else
			vd_buf_adds(&rq->out, out);
		free(out);
		vd_record_free(r);
	}
	vd_record_doc_free(&d);
}

/* ---- /api/v1/vulns ---- */

static int list_item(void *ctx, const vd_list_item *it)
{
	json_t *arr = ctx, *o = json_object(), *t = json_object();
	json_object_set_new(o, "id", json_string(it->id));
	if (it->published)
		json_object_set_new(o, "published", json_string(it->published));
	if (it->modified)
		json_object_set_new(o, "modified", json_string(it->modified));
	if (it->grade)
		json_object_set_new(o, "grade", json_string(it->grade));
	if (it->title_en)
		json_object_set_new(t, "en", json_string(it->title_en));
	if (it->title_zh)
		json_object_set_new(t, "zh", json_string(it->title_zh));
	if (json_object_size(t))
		json_object_set_new(o, "title", t);
	else
		json_decref(t);
	json_array_append_new(arr, o);
	return VD_OK;
}

static void page_fields(json_t *o, const vd_list_page *pg)
{
	json_object_set_new(o, "next_cursor", pg->more ? json_string(pg->next_cursor) : json_null());
	if (pg->note)
		json_object_set_new(o, "note", json_string(pg->note));
}

void vd_h_list(vd_http_req *rq, vd_service *s)
{
	long limit;
	if (!vd_http_args_only(rq, "modified_since", "severity", "cwe", "vendor", "product", "credit", "cpe",
	                       "library", "cursor", "limit", NULL) ||
	    !vd_http_arg_int(rq, "limit", 1, VD_LIST_MAX, 100, &limit))
		return;
	vd_list_params p = {
		.modified_since = vd_http_arg(rq, "modified_since"), .severity = vd_http_arg(rq, "severity"),
		.cwe = vd_http_arg(rq, "cwe"), .vendor = vd_http_arg(rq, "vendor"),
		.product = vd_http_arg(rq, "product"), .credit = vd_http_arg(rq, "credit"),
		.cpe = vd_http_arg(rq, "cpe"), .library = vd_http_arg(rq, "library"),
		.cursor = vd_http_arg(rq, "cursor"), .limit = (int)limit,
	};
	json_t *arr = json_array();
	vd_list_page pg;
	int rc = vd_service_list(s, VD_VIEW_PUBLIC, &p, list_item, arr, &pg);
	if (rc) {
		json_decref(arr);
		vd_http_fail(rq, rc);
		return;
	}
	json_t *o = json_pack("{s:o,s:I}", "vulns", arr, "count", (json_int_t)json_array_size(arr));
	page_fields(o, &pg);
	vd_http_json(rq, 200, o);
}

/* ---- POST /api/v1/vulns/batch ---- */

typedef struct {
	vd_http_req *rq;
	bool *found;
	const char **seen;   /* record ids already written */
	size_t n_seen;
	int rc;
} batch_ctx;

static int batch_row(void *ctx, size_t i, const vd_doc_row *row)
{
	batch_ctx *c = ctx;
	c->found[i] = true;
	for (size_t k = 0; k < c->n_seen; k++)
		if (strcmp(c->seen[k], row->id) == 0)
			return VD_OK;
	c->seen[c->n_seen] = vd_arena_strdup(c->rq->arena, row->id);
	if (!c->seen[c->n_seen])
		return c->rc = VD_ENOMEM;
	int rc = (c->n_seen ? vd_buf_addc(&c->rq->out, ',') : VD_OK);
	c->n_seen++;
	return rc ? rc : vd_buf_add(&c->rq->out, row->doc, row->doc_len);
}

void vd_h_batch(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	json_t *j = vd_http_body_object(rq);
	if (!j)
		return;
	json_t *ids = json_object_get(j, "ids");
	if (json_object_size(j) != 1 || !json_is_array(ids) || json_array_size(ids) == 0) {
		vd_http_error(rq, 422, "bad_request_body", "expected {\"ids\": [\"CVE-...\", ...]} with 1 to %d ids",
		              VD_BATCH_MAX);
		json_decref(j);
		return;
	}
	size_t n = json_array_size(ids);
	if (n > VD_BATCH_MAX) {
		vd_http_error(rq, 422, "too_many", "ids: at most %d ids in one batch (got %zu)", VD_BATCH_MAX, n);
		json_decref(j);
		return;
	}
	const char **v = vd_arena_alloc(rq->arena, n * sizeof *v);
	batch_ctx c = {rq, vd_arena_alloc(rq->arena, n * sizeof(bool)), vd_arena_alloc(rq->arena, n * sizeof(char *)),
	               0, VD_OK};
	if (!v || !c.found || !c.seen) {
		json_decref(j);
		vd_http_fail(rq, VD_ENOMEM);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = json_string_value(json_array_get(ids, i));
		if (!v[i]) {
			vd_http_error(rq, 422, "bad_request_body", "ids[%zu]: expected a string", i);
			json_decref(j);
			return;
		}
	}
	vd_buf_adds(&rq->out, "{\"vulns\":[");
	int rc = vd_service_get_batch(s, VD_VIEW_PUBLIC, v, n, batch_row, &c);
	if (!rc)
		rc = c.rc;
	if (rc) {
		json_decref(j);
		if (rc == VD_EINVAL)
			vd_http_error(rq, 422, "bad_request_body", "%s", vd_error_msg());
		else
			vd_http_fail(rq, rc);
		return;
	}
	rc = vd_buf_adds(&rq->out, "],\"not_found\":[");
	bool first = true;
	for (size_t i = 0; i < n && !rc; i++)
		if (!c.found[i]) {
			if (!first)
				rc = vd_buf_addc(&rq->out, ',');
			first = false;
			rc = rc ? rc : vd_http_out_jstr(rq, v[i]);
		}
	rc = rc ? rc : vd_buf_printf(&rq->out, "],\"count\":%zu}", c.n_seen);
	json_decref(j);
	if (rc)
		vd_http_fail(rq, rc);
	else
		rq->status = 200;
}

/* ---- /api/v1/vendors, /api/v1/vendors/{vendor}/products ---- */

static int name_item(void *ctx, const char *name, uint64_t n)
{
	json_array_append_new(ctx, json_pack("{s:s,s:I}", "name", name ? name : "", "count", (json_int_t)n));
	return VD_OK;
}

static void names(vd_http_req *rq, vd_service *s, const char *vendor)
{
	long limit;
	if (!vd_http_args_only(rq, "cursor", "limit", NULL) ||
	    !vd_http_arg_int(rq, "limit", 1, VD_LIST_MAX, 100, &limit))
		return;
	const char *cursor = vd_http_arg(rq, "cursor");
	json_t *arr = json_array();
	vd_list_page pg;
	int rc = vd_service_names(s, VD_VIEW_PUBLIC, vendor, cursor, (int)limit, name_item, arr, &pg);
	if (rc) {
		json_decref(arr);
		vd_http_fail(rq, rc);
		return;
	}
	if (vendor && !cursor && json_array_size(arr) == 0) {
		json_decref(arr);
		vd_http_error(rq, 404, "not_found", "no published record names vendor '%.200s'", vendor);
		return;
	}
	json_t *o = vendor ? json_pack("{s:s,s:o}", "vendor", vendor, "products", arr) : json_pack("{s:o}", "vendors", arr);
	page_fields(o, &pg);
	vd_http_json(rq, 200, o);
}

void vd_h_vendors(vd_http_req *rq, vd_service *s) { names(rq, s, NULL); }
void vd_h_products(vd_http_req *rq, vd_service *s) { names(rq, s, rq->params[0]); }

/* ---- /api/v1/stats (answer reused for stats_cache_seconds) ---- */

static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
static char *stats_body;
static int64_t stats_until;

static int count_item(void *ctx, const char *dim, const char *key, uint64_t n)
{
	char k[16];
	snprintf(k, sizeof k, "by_%s", dim);
	json_t *o = json_object_get(ctx, k);
	if (!o) {
		o = json_object();
		json_object_set_new(ctx, k, o);
	}
	json_object_set_new(o, key, json_integer((json_int_t)n));
	return VD_OK;
}

void vd_h_stats(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	int64_t now = vd_time_now();
	pthread_mutex_lock(&stats_mu);
	if (stats_body && now < stats_until) {
		rq->status = 200;
		vd_buf_adds(&rq->out, stats_body);
		pthread_mutex_unlock(&stats_mu);
		return;
	}
	pthread_mutex_unlock(&stats_mu);
	vd_store_stats st;
	json_t *o = json_object();
	int rc = vd_service_db_stats(s, &st);
	if (!rc)
		rc = vd_service_counts(s, VD_VIEW_PUBLIC, count_item, o);
	if (rc) {
		json_decref(o);
		vd_http_fail(rq, rc);
		return;
	}
	json_object_set_new(o, "published", json_integer((json_int_t)st.published));
	char t[32];
	vd_time_format(now, t, sizeof t);
	json_object_set_new(o, "generated", json_string(t));
	vd_http_json(rq, 200, o);
	if (rq->status == 200 && rq->cfg->stats_cache_seconds > 0) {
		char *copy = strdup(vd_buf_str(&rq->out));
		pthread_mutex_lock(&stats_mu);
		if (copy) {
			free(stats_body);
			stats_body = copy;
			stats_until = now + rq->cfg->stats_cache_seconds;
		}
		pthread_mutex_unlock(&stats_mu);
	}
}

/* ---- /api/v1/search ---- */

static int search_hit(void *ctx, const vd_search_hit *h)
{
	json_t *o = json_object(), *t = json_object();
	json_object_set_new(o, "id", json_string(h->id));
	if (h->published)
		json_object_set_new(o, "published", json_string(h->published));
	if (h->modified)
		json_object_set_new(o, "modified", json_string(h->modified));
	if (h->grade)
		json_object_set_new(o, "grade", json_string(h->grade));
	if (h->score >= 0)
		json_object_set_new(o, "score", json_real(h->score));
	if (h->title_en)
		json_object_set_new(t, "en", json_string(h->title_en));
	if (h->title_zh)
		json_object_set_new(t, "zh", json_string(h->title_zh));
	if (json_object_size(t))
		json_object_set_new(o, "title", t);
	else
		json_decref(t);
	if (h->snippet)      /* matches between U+0002 and U+0003 (documented) */
		json_object_set_new(o, "snippet", json_string(h->snippet));
	json_array_append_new(ctx, o);
	return VD_OK;
}

static bool arg_double(vd_http_req *rq, const char *key, double *out)
{
	const char *v = vd_http_arg(rq, key);
	char *end;
	*out = 0;
	if (!v)
		return true;
	*out = strtod(v, &end);
	if (end == v || *end || *out < 0 || *out > 10) {
		vd_http_error(rq, 400, "bad_request", "%s: expected a CVSS score from 0 to 10", key);
		return false;
	}
	return true;
}

void vd_h_search(vd_http_req *rq, vd_service *s)
{
	long limit, offset;
	if (!vd_http_args_only(rq, "q", "severity", "cwe", "class", "vendor", "product", "library", "source",
	                       "published_from", "published_to", "modified_from", "modified_to", "score_min",
	                       "score_max", "cursor", "limit", "offset", "facets", "snippets", NULL) ||
	    !vd_http_arg_int(rq, "limit", 1, 100, 20, &limit) || !vd_http_arg_int(rq, "offset", 0, 10000, 0, &offset))
		return;
	long facets, snippets;
	if (!vd_http_arg_int(rq, "facets", 0, 1, 1, &facets) || !vd_http_arg_int(rq, "snippets", 0, 1, 0, &snippets))
		return;
	vd_search_params p = {
		.text = vd_http_arg(rq, "q"), .severity = vd_http_arg(rq, "severity"), .limit = (int)limit,
		.offset = (int)offset, .cwe = vd_http_arg(rq, "cwe"), .class_code = vd_http_arg(rq, "class"),
		.vendor = vd_http_arg(rq, "vendor"), .product = vd_http_arg(rq, "product"),
		.library = vd_http_arg(rq, "library"), .source = vd_http_arg(rq, "source"),
		.published_from = vd_http_arg(rq, "published_from"), .published_to = vd_http_arg(rq, "published_to"),
		.modified_from = vd_http_arg(rq, "modified_from"), .modified_to = vd_http_arg(rq, "modified_to"),
		.cursor = vd_http_arg(rq, "cursor"), .facets = facets != 0, .snippets = snippets != 0,
	};
	if (!arg_double(rq, "score_min", &p.score_min) || !arg_double(rq, "score_max", &p.score_max))
		return;
	if (vd_str_empty(p.text) && rq->n_query == 0) {
		vd_http_error(rq, 400, "bad_request", "q: give the words to search for (or a filter)");
		return;
	}
	if (vd_str_empty(p.text))
		p.text = NULL;
	json_t *arr = json_array();
	vd_search_result *res = calloc(1, sizeof *res);
	int rc = res ? vd_service_search_ex(s, VD_VIEW_PUBLIC, &p, search_hit, arr, res) : VD_ENOMEM;
	if (rc) {
		free(res);
		json_decref(arr);
		if (rc == VD_EPERM)
			rc = VD_EINVAL;
		vd_http_fail(rq, rc);
		return;
	}
	json_t *o = json_pack("{s:o,s:I,s:I,s:I}", "hits", arr, "total", (json_int_t)res->total, "limit",
	                      (json_int_t)limit, "offset", (json_int_t)offset);
	json_object_set_new(o, "next_cursor", res->next_cursor[0] ? json_string(res->next_cursor) : json_null());
	if (p.facets) {
		static const char *const names[VD_FACET_COUNT_] = {"grade", "year", "vendor", "cwe"};
		json_t *f = json_object();
		for (int k = 0; k < VD_FACET_COUNT_; k++) {
			json_t *vals = json_array();
			for (size_t i = 0; i < res->facets[k].n; i++)
				json_array_append_new(vals, json_pack("{s:s,s:I}", "value", res->facets[k].v[i].value, "count",
				                                      (json_int_t)res->facets[k].v[i].count));
			json_object_set_new(f, names[k], vals);
		}
		json_object_set_new(o, "facets", f);
	}
	free(res);
	vd_http_json(rq, 200, o);
}

/* ---- /api/v1/cwe/{id} ---- */

void vd_h_cwe(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	vd_cwe_info *info = NULL;
	int rc = vd_service_cwe_get(s, rq->params[0], &info);
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	json_t *o = json_object();
	char id[32];
	snprintf(id, sizeof id, "CWE-%d", info->cwe->id);
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "in_catalogue", json_boolean(info->in_catalogue));
	if (info->cwe->name)
		json_object_set_new(o, "name", json_string(info->cwe->name));
	if (info->cwe->abstraction)
		json_object_set_new(o, "abstraction", json_string(info->cwe->abstraction));
	if (info->cwe->status)
		json_object_set_new(o, "status", json_string(info->cwe->status));
	if (info->cwe->description)
		json_object_set_new(o, "description", json_string(info->cwe->description));
	json_t *par = json_array(), *ch = json_array();
	for (size_t i = 0; i < info->n_parents; i++) {
		snprintf(id, sizeof id, "CWE-%d", info->parents[i]->id);
		json_t *x = json_pack("{s:s}", "id", id);
		if (info->parents[i]->name)
			json_object_set_new(x, "name", json_string(info->parents[i]->name));
		json_array_append_new(par, x);
	}
	for (size_t i = 0; i < info->n_children; i++) {
		snprintf(id, sizeof id, "CWE-%d", info->children[i]);
		json_array_append_new(ch, json_string(id));
	}
	json_object_set_new(o, "parents", par);
	json_object_set_new(o, "children", ch);
	json_t *cls = json_object();
	json_object_set_new(cls, "code", json_string(info->cls->code));
	if (info->cls->zh)
		json_object_set_new(cls, "zh", json_string(info->cls->zh));
	if (info->cls->en)
		json_object_set_new(cls, "en", json_string(info->cls->en));
	if (info->class_via) {
		snprintf(id, sizeof id, "CWE-%d", info->class_via);
		json_object_set_new(cls, "via", json_string(id));
	}
	json_object_set_new(o, "gbt30279_class", cls);
	vd_cwe_info_free(info);
	vd_http_json(rq, 200, o);
}
