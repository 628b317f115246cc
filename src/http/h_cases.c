/* Handlers of /api/v1/reports and /api/v1/cases/... (issue 7): parse →
 * one service call → render.  The service decides who may see what (a
 * case the principal may not read is 404, as if it did not exist) and
 * every step goes through vd_service_case_step (the state table, the
 * permission table and the publication gate).  Attachments come in as
 * base64 inside the JSON body (capped by max_report_body and, per file,
 * by attach_max) and go out as application/octet-stream, never cached. */
#include "http_int.h"
#include "vulnd/error.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S JSON_STRING
#define I JSON_INTEGER
#define B JSON_TRUE
#define A JSON_ARRAY
#define O JSON_OBJECT

static json_t *case_json(const vd_case *c)
{
	char *doc = NULL;
	json_t *o = NULL;
	if (vd_case_to_json(c, &doc) == VD_OK)
		o = json_loads(doc, 0, NULL);
	free(doc);
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer((json_int_t)c->id));
	json_t *att = json_array();
	for (size_t i = 0; i < c->n_att && i < VD_ATTACH_PER_CASE; i++)
		json_array_append_new(att, json_pack("{s:s,s:s,s:I,s:s,s:b,s:s?}", "sha256", c->att[i].sha256, "name",
		                                     c->att[i].name ? c->att[i].name : "", "size", (json_int_t)c->att[i].size,
		                                     "kind", c->att[i].kind ? c->att[i].kind : "poc", "publish",
		                                     c->att[i].publish, "at", c->att[i].at));
	json_object_set_new(o, "attachments", att);
	return o;
}

static bool case_id(vd_http_req *rq, int64_t *id)
{
	long v;
	if (vd_parse_long(rq->params[0], 1, 1L << 62, &v)) {
		vd_http_error(rq, 400, "bad_request", "case id: a positive number");
		return false;
	}
	*id = v;
	return true;
}

/* ---- POST /api/v1/reports ---- */

static const vd_http_field report_fields[] = {
	{"title", S, true, VD_CASE_TITLE_MAX}, {"description", S, true, VD_CASE_TEXT_MAX},
	{"product", S, true, VD_CASE_SHORT_MAX}, {"vendor", S, false, VD_CASE_SHORT_MAX},
	{"version", S, false, VD_CASE_SHORT_MAX}, {"cwe", S, false, VD_CASE_SHORT_MAX},
	{"cve", S, false, VD_CASE_SHORT_MAX}, {"grade", S, false, VD_CASE_SHORT_MAX},
	{"steps", S, false, VD_CASE_TEXT_MAX}, {"vector", S, false, VD_CASE_VECTOR_MAX},
	{"library", S, false, VD_LIB_CODE_MAX}, {"learned_at", S, false, 40},
	{"fields", O, false, 0}, {"attachments", A, false, 0}, {NULL, 0, false, 0}};

static const vd_http_field attach_fields[] = {
	{"name", S, true, VD_ATTACH_NAME_MAX}, {"kind", S, false, 32}, {"data", S, true, 0}, {NULL, 0, false, 0}};

void vd_h_report_submit(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	json_t *j = vd_http_body_fields(rq, report_fields, false);
	if (!j)
		return;
	vd_report_in in;
	memset(&in, 0, sizeof in);
	in.title = vd_http_jstr(j, "title");
	in.description = vd_http_jstr(j, "description");
	in.product = vd_http_jstr(j, "product");
	in.vendor = vd_http_jstr(j, "vendor");
	in.version = vd_http_jstr(j, "version");
	in.cwe = vd_http_jstr(j, "cwe");
	in.cve = vd_http_jstr(j, "cve");
	in.grade = vd_http_jstr(j, "grade");
	in.steps = vd_http_jstr(j, "steps");
	in.vector = vd_http_jstr(j, "vector");
	in.library = vd_http_jstr(j, "library");
	in.learned_at = vd_http_jstr(j, "learned_at");
	/* sector extra fields: {"app_name": "...", ...} */
	json_t *fields = json_object_get(j, "fields"), *v;
	const char *fnames[VD_CASE_FIELDS], *fvalues[VD_CASE_FIELDS];
	const char *key;
	if (json_object_size(fields) > VD_CASE_FIELDS) {
		vd_http_error(rq, 400, "bad_field", "fields: at most %d extra fields", VD_CASE_FIELDS);
		goto out;
	}
	json_object_foreach(fields, key, v) {
		if (!json_is_string(v) || json_string_length(v) > VD_CASE_SHORT_MAX ||
		    memchr(json_string_value(v), 0, json_string_length(v))) {
			vd_http_error(rq, 400, "bad_field", "fields.%.40s: a string of at most %d bytes", key, VD_CASE_SHORT_MAX);
			goto out;
		}
		fnames[in.n_fields] = key;
		fvalues[in.n_fields++] = json_string_value(v);
	}
	in.field_names = fnames;
	in.field_values = fvalues;
	/* attachments: [{"name": "poc.py", "kind": "poc", "data": BASE64}] */
	json_t *atts = json_object_get(j, "attachments"), *at;
	vd_attachment_in att[VD_ATTACH_PER_CASE];
	size_t i;
	if (json_array_size(atts) > VD_ATTACH_PER_CASE) {
		vd_http_error(rq, 413, "too_many", "attachments: at most %d per report", VD_ATTACH_PER_CASE);
		goto out;
	}
	size_t cap = rq->cfg->attach_max ? rq->cfg->attach_max : VD_ATTACH_MAX_DEFAULT;
	json_array_foreach(atts, i, at) {
		if (!json_is_object(at)) {
			vd_http_error(rq, 400, "bad_field", "attachments[%zu]: expected {\"name\", \"kind\", \"data\"}", i);
			goto out;
		}
		if (!vd_http_fields_ok(rq, at, attach_fields))
			goto out;
		const char *b64 = vd_http_jstr(at, "data");
		size_t blen = strlen(b64), max = blen / 4 * 3 + 3, n = 0;
		if (blen / 4 * 3 > cap + 3) {
			vd_http_error(rq, 413, "too_big", "attachments[%zu]: larger than %zu bytes", i, cap);
			goto out;
		}
		unsigned char *bin = vd_arena_alloc(rq->arena, max + 1);
		if (!bin) {
			vd_http_fail(rq, VD_ENOMEM);
			goto out;
		}
		const char *end = NULL;
		if (sodium_base642bin(bin, max, b64, blen, " \r\n", &n, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    (end && *end)) {
			vd_http_error(rq, 400, "bad_field", "attachments[%zu].data: not valid base64", i);
			goto out;
		}
		att[i].name = vd_http_jstr(at, "name");
		att[i].kind = vd_http_jstr(at, "kind");
		att[i].data = bin;
		att[i].len = n;
	}
	in.attachments = att;
	in.n_attachments = json_array_size(atts);
	int64_t id = 0;
	vd_dedup_candidate top[VD_DEDUP_TOP];
	size_t nt = 0;
	int rc = vd_service_report_submit(s, &rq->who, &in, &id, top, &nt);
	if (rc == VD_ETOOBIG) {
		vd_http_error(rq, 413, "too_big", "%s", vd_error_msg());
	} else if (rc == VD_EUNSUPPORTED) {
		vd_http_error(rq, 400, "bad_request", "%s", vd_error_msg());
	} else if (rc) {
		vd_http_fail(rq, rc);
	} else {
		json_t *o = json_pack("{s:I,s:s}", "id", (json_int_t)id, "state", "triage");
		/* candidates only for those who may triage (the service fills top only then) */
		if (nt) {
			json_t *c = json_array();
			for (size_t k = 0; k < nt; k++)
				json_array_append_new(c, json_pack("{s:s,s:f,s:s,s:s}", "id", top[k].id, "score", top[k].score,
				                                   "why", top[k].why, "title", top[k].title));
			json_object_set_new(o, "candidates", c);
		}
		rq->no_cache = true;
		vd_http_json(rq, 201, o);
	}
out:
	json_decref(j);
}

/* ---- reading cases ---- */

static int add_case(void *ctx, const vd_case *c)
{
	json_t *o = json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "id", (json_int_t)c->id, "state",
	                      vd_case_state_name(c->state), "library", c->library, "record_id", c->record_id, "title",
	                      c->title, "product", c->product, "submitted", c->submitted, "updated", c->updated);
	return json_array_append_new(ctx, o);
}

void vd_h_cases(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, "state", NULL))
		return;
	const char *state = vd_http_arg(rq, "state");
	vd_case_state st;
	if (state && vd_case_state_parse(state, &st)) {
		vd_http_error(rq, 400, "bad_request", "state: one of triage, verifying, rejected, duplicate, verified, "
		              "notified, acknowledged, fixing, fixed, retested, published");
		return;
	}
	json_t *arr = json_array();
	int rc = vd_service_case_list(s, &rq->who, state, add_case, arr);
	if (rc) {
		json_decref(arr);
		vd_http_fail(rq, rc);
		return;
	}
	rq->no_cache = true;
	vd_http_json(rq, 200, json_pack("{s:o,s:I}", "cases", arr, "count", (json_int_t)json_array_size(arr)));
}

void vd_h_case(vd_http_req *rq, vd_service *s)
{
	int64_t id;
	if (!vd_http_args_only(rq, NULL) || !case_id(rq, &id))
		return;
	vd_case *c = NULL;
	int rc = vd_service_case_get(s, &rq->who, id, &c);
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	json_t *o = case_json(c);
	vd_case_free(c);
	rq->no_cache = true;
	vd_http_json(rq, 200, o);
}

static int add_event(void *ctx, const vd_case_event_row *e)
{
	return json_array_append_new(ctx, json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s}", "at", e->at, "actor",
	                                            e->actor ? e->actor : "", "kind", e->kind, "from", e->from_state,
	                                            "to", e->to_state, "text", e->text, "visibility",
	                                            e->visibility ? e->visibility : "all"));
}

static int add_notice(void *ctx, const vd_notice_row *n)
{
	return json_array_append_new(ctx, json_pack("{s:s,s:s,s:s,s:s,s:s}", "at", n->at, "kind", n->kind, "to",
	                                            n->recipient, "subject", n->subject, "status", n->status));
}

void vd_h_case_thread(vd_http_req *rq, vd_service *s)
{
	int64_t id;
	if (!vd_http_args_only(rq, NULL) || !case_id(rq, &id))
		return;
	json_t *arr = json_array();
	int rc = vd_service_case_thread(s, &rq->who, id, add_event, arr);
	if (rc) {
		json_decref(arr);
		vd_http_fail(rq, rc);
		return;
	}
	rq->no_cache = true;
	vd_http_json(rq, 200, json_pack("{s:I,s:o}", "case", (json_int_t)id, "thread", arr));
}

void vd_h_case_notices(vd_http_req *rq, vd_service *s)
{
	int64_t id;
	if (!vd_http_args_only(rq, NULL) || !case_id(rq, &id))
		return;
	json_t *arr = json_array();
	int rc = vd_service_case_notices(s, &rq->who, id, add_notice, arr);
	if (rc) {
		json_decref(arr);
		vd_http_fail(rq, rc);
		return;
	}
	rq->no_cache = true;
	vd_http_json(rq, 200, json_pack("{s:I,s:o}", "case", (json_int_t)id, "notices", arr));
}

void vd_h_case_candidates(vd_http_req *rq, vd_service *s)
{
	int64_t id;
	long limit;
	if (!vd_http_args_only(rq, "limit", NULL) || !case_id(rq, &id) ||
	    !vd_http_arg_int(rq, "limit", 1, 20, VD_DEDUP_TOP, &limit))
		return;
	vd_dedup_candidate c[20];
	size_t n = 0;
	int rc = vd_service_case_candidates(s, &rq->who, id, c, (size_t)limit, &n);
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:f,s:s,s:s}", "id", c[i].id, "score", c[i].score, "why",
		                                     c[i].why, "title", c[i].title));
	rq->no_cache = true;
	vd_http_json(rq, 200, json_pack("{s:I,s:o}", "case", (json_int_t)id, "candidates", arr));
}

void vd_h_case_attachment(vd_http_req *rq, vd_service *s)
{
	int64_t id;
	if (!vd_http_args_only(rq, NULL) || !case_id(rq, &id))
		return;
	char *data = NULL, name[VD_ATTACH_NAME_MAX + 1] = "";
	size_t len = 0;
	int rc = vd_service_attachment_get(s, &rq->who, id, rq->params[1], &data, &len, name);
	if (rc == VD_EPERM && rq->who.role != VD_ROLE_ANONYMOUS) {
		/* as for the case itself: not allowed looks like not there */
		vd_http_error(rq, 404, "not_found", "no case %lld", (long long)id);
		return;
	}
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	/* a quoted ASCII file name: anything else becomes '_' */
	char safe[VD_ATTACH_NAME_MAX + 1];
	size_t k = 0;
	for (const char *p = name; *p && k < sizeof safe - 1; p++) {
		unsigned char ch = (unsigned char)*p;
		safe[k++] = ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != ';' ? (char)ch : '_';
	}
	safe[k] = 0;
	char *disp = vd_arena_alloc(rq->arena, sizeof safe + 40);
	if (disp)
		snprintf(disp, sizeof safe + 40, "attachment; filename=\"%s\"", k ? safe : "attachment.bin");
	rq->disposition = disp ? disp : "attachment";
	rq->ctype = "application/octet-stream";
	rq->no_cache = true;
	vd_buf_reset(&rq->out);
	if (len && vd_buf_add(&rq->out, data, len)) {
		free(data);
		vd_http_error(rq, 500, "internal", "response too large");
		return;
	}
	free(data);
	rq->status = 200;
}

/* Vendors of c still to act: not acknowledged (pending) or, once all
 * acknowledged, without a released fix (unfixed), as a JSON array. */
static json_t *vendor_names(const vd_case *c, bool unfixed)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < c->n_vendors; i++) {
		const vd_case_vendor *v = &c->vstat[i];
		bool want = v->notified_at && (unfixed ? !(v->fix_status && strcmp(v->fix_status, "released") == 0)
		                                       : !v->acked_at);
		if (want)
			json_array_append_new(arr, json_string(c->vendors[i] ? c->vendors[i] : ""));
	}
	return arr;
}

/* ---- GET /api/v1/cases/due ---- */

typedef struct {
	vd_service *s;
	const vd_principal *who;
	json_t *arr;
} due_ctx;

static int add_due(void *ctx, const vd_due_item *d)
{
	due_ctx *x = ctx;
	char due[VD_TIME_BUF], dl[VD_TIME_BUF];
	vd_time_format(d->item.due, due, sizeof due);
	vd_time_format(d->item.deadline, dl, sizeof dl);
	json_t *o = json_pack("{s:I,s:s?,s:s?,s:s?,s:s?,s:s,s:s,s:s,s:b}", "case", (json_int_t)d->case_id, "record_id",
	                      d->record_id, "library", d->library, "state", d->state, "title", d->title, "kind",
	                      d->item.kind, "due", due, "deadline", dl, "escalation", d->item.escalation);
	/* the vendors the item is about: not acknowledged (ack-overdue), or
	 * without a released fix */
	vd_case *c = NULL;
	if (o && vd_service_case_get(x->s, x->who, d->case_id, &c) == VD_OK)
		json_object_set_new(o, "vendors", vendor_names(c, strcmp(d->item.kind, "ack-overdue") != 0));
	vd_error_clear();
	vd_case_free(c);
	return json_array_append_new(x->arr, o);
}

void vd_h_cases_due(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	json_t *arr = json_array();
	due_ctx x = {s, &rq->who, arr};
	int rc = vd_service_cases_due(s, &rq->who, false, add_due, &x);
	if (rc) {
		json_decref(arr);
		vd_http_fail(rq, rc);
		return;
	}
	char now[VD_TIME_BUF];
	vd_time_format(vd_service_now(s), now, sizeof now);
	rq->no_cache = true;
	vd_http_json(rq, 200, json_pack("{s:s,s:o}", "now", now, "due", arr));
}

/* ---- POST /api/v1/cases/{id}/{step} ---- */

static const vd_http_field step_fields[] = {
	{"text", S, false, VD_CASE_TEXT_MAX}, {"users", A, false, 0}, {"original", S, false, VD_CASE_SHORT_MAX},
	{"verdict", S, false, VD_CASE_SHORT_MAX}, {"grade", S, false, VD_CASE_SHORT_MAX},
	{"vector", S, false, VD_CASE_VECTOR_MAX}, {"class", S, false, VD_CASE_SHORT_MAX},
	{"cwe", S, false, VD_CASE_SHORT_MAX}, {"solution", S, false, VD_CASE_TEXT_MAX}, {"vendors", A, false, 0},
	{"version", S, false, VD_CASE_SHORT_MAX}, {"patch", S, false, 2048}, {"early", B, false, 0},
	{"operator_details", B, false, 0}, {"override_reason", S, false, VD_CASE_SHORT_MAX},
	{"ref_url", S, false, 1024}, {"ref_type", S, false, 32}, {"publish_attachment", S, false, 64},
	{NULL, 0, false, 0}};

/* names: an array of 1..VD_CASE_PARTIES short strings */
static bool names(vd_http_req *rq, json_t *j, const char *key, const char **out, size_t *n)
{
	json_t *arr = json_object_get(j, key), *v;
	size_t i;
	*n = 0;
	if (json_array_size(arr) > VD_CASE_PARTIES) {
		vd_http_error(rq, 400, "bad_field", "%s: at most %d names", key, VD_CASE_PARTIES);
		return false;
	}
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > VD_ORG_NAME_MAX ||
		    memchr(json_string_value(v), 0, json_string_length(v))) {
			vd_http_error(rq, 400, "bad_field", "%s[%zu]: a name (1 to %d bytes)", key, i, VD_ORG_NAME_MAX);
			return false;
		}
		out[(*n)++] = json_string_value(v);
	}
	return true;
}

void vd_h_case_step(vd_http_req *rq, vd_service *s)
{
	int64_t id;
	vd_case_event ev;
	if (!vd_http_args_only(rq, NULL) || !case_id(rq, &id))
		return;
	if (vd_case_event_parse(rq->params[1], &ev) || ev == VD_CE_SUBMIT || ev == VD_CE_PROMOTE) {
		vd_http_error(rq, 404, "not_found", "no step '%.40s' (steps: assign, refer, opinion, verify, reject, "
		              "duplicate, notify, ack, fix-progress, fix-release, retest-pass, retest-fail, approve, "
		              "update, comment, publish)", rq->params[1]);
		return;
	}
	json_t *j = vd_http_body_fields(rq, step_fields, true);
	if (!j)
		return;
	vd_case_args a;
	memset(&a, 0, sizeof a);
	if (!names(rq, j, "users", a.users, &a.n_users) || !names(rq, j, "vendors", a.vendors, &a.n_vendors)) {
		json_decref(j);
		return;
	}
	a.text = vd_http_jstr(j, "text");
	a.original = vd_http_jstr(j, "original");
	a.verdict = vd_http_jstr(j, "verdict");
	a.grade = vd_http_jstr(j, "grade");
	a.vector = vd_http_jstr(j, "vector");
	a.class_code = vd_http_jstr(j, "class");
	a.cwe = vd_http_jstr(j, "cwe");
	a.solution = vd_http_jstr(j, "solution");
	a.version = vd_http_jstr(j, "version");
	a.patch = vd_http_jstr(j, "patch");
	a.early = json_is_true(json_object_get(j, "early"));
	json_t *op = json_object_get(j, "operator_details");
	a.operator_set = json_is_boolean(op);
	a.operator_details = json_is_true(op);
	a.override_reason = vd_http_jstr(j, "override_reason");
	a.ref_url = vd_http_jstr(j, "ref_url");
	a.ref_type = vd_http_jstr(j, "ref_type");
	a.publish_attachment = vd_http_jstr(j, "publish_attachment");
	vd_reasons why;
	memset(&why, 0, sizeof why);
	int rc = vd_service_case_step(s, &rq->who, id, ev, &a, &why);
	json_decref(j);
	rq->no_cache = true;
	if (rc == VD_EPERM && why.n) {
		bool perm = vd_reasons_has(&why, "permission");
		json_t *rs = json_array();
		for (size_t i = 0; i < why.n && i < VD_REASONS_MAX; i++)
			json_array_append_new(rs, json_pack("{s:s,s:s}", "code", why.r[i].code, "text", why.r[i].text));
		char msg[512];
		vd_strlcpy(msg, vd_error_msg(), sizeof msg);
		msg[vd_utf8_check(msg, strlen(msg))] = 0;
		vd_http_json(rq, perm ? 403 : 409,
		             json_pack("{s:{s:s,s:s,s:o}}", "error", "code", perm ? "forbidden" : "refused", "message", msg,
		                       "reasons", rs));
		return;
	}
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	vd_case *c = NULL;
	if (vd_service_case_get(s, &rq->who, id, &c) == VD_OK) {
		json_t *o = json_pack("{s:I,s:s,s:s?,s:s}", "id", (json_int_t)id, "state", vd_case_state_name(c->state),
		                      "record_id", c->record_id, "step", vd_case_event_name(ev));
		/* multi-vendor: who still has to acknowledge / release a fix */
		if (o && c->notified_at) {
			json_object_set_new(o, "vendors_pending", vendor_names(c, false));
			json_object_set_new(o, "vendors_unfixed", vendor_names(c, true));
		}
		if (o && ev == VD_CE_REJECT && c->credit_case && c->credit_case != c->id)
			json_object_set_new(o, "credit_case", json_integer((json_int_t)c->credit_case));
		vd_http_json(rq, 200, o);
		vd_case_free(c);
	} else {
		vd_error_clear();
		vd_http_json(rq, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "step", vd_case_event_name(ev)));
	}
}
