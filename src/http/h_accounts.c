/* Handlers of login/logout, /api/v1/me, /users, /orgs, /tokens,
 * /libraries and /audit/verify (issue 6): parse → one service call →
 * render.  The service checks permissions itself (the route's action was
 * already checked by vd_http_dispatch).  Passwords, tokens and session ids
 * are never echoed, except the new token of POST /api/v1/tokens (once) and
 * the session id in Set-Cookie. */
#include "http_int.h"
#include "vulnd/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S JSON_STRING
#define I JSON_INTEGER
#define B JSON_TRUE
#define A JSON_ARRAY

/* ---- rendering ---- */

static json_t *user_json(const vd_user_info *u)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:b,s:s}", "id", (json_int_t)u->id, "name", u->name, "role",
	                      vd_role_name(u->role), "disabled", u->disabled, "created", u->created);
	if (o && u->org[0])
		json_object_set_new(o, "org", json_string(u->org));
	return o;
}

static json_t *org_json(const vd_org_info *o)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:I}", "id", (json_int_t)o->id, "name", o->name, "type",
	                 vd_org_type_name(o->type), "created", o->created, "members", (json_int_t)o->n_members,
	                 "products", (json_int_t)o->n_products, "contacts", (json_int_t)o->n_contacts);
}

static json_t *token_json(const vd_token_info *t)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)t->id, "user", t->user, "scope",
	                      vd_scope_name(t->scope), "created", t->created);
	if (o) {
		json_object_set_new(o, "expires", t->expires[0] ? json_string(t->expires) : json_null());
		json_object_set_new(o, "revoked", t->revoked[0] ? json_string(t->revoked) : json_null());
	}
	return o;
}

static json_t *library_json(const vd_library_info *l)
{
	json_t *bo = json_array();
	for (size_t i = 0; i < l->n_blackouts && i < VD_BLACKOUT_MAX; i++) {
		char a[VD_TIME_BUF], z[VD_TIME_BUF];
		vd_time_format(l->blackouts[i].starts, a, sizeof a);
		vd_time_format(l->blackouts[i].ends, z, sizeof z);
		json_array_append_new(bo, json_pack("{s:s,s:s,s:s}", "from", a, "to", z, "reason", l->blackouts[i].reason));
	}
	json_t *fields = json_array();
	const vd_field_def *d;
	size_t n;
	if (vd_library_fields(l->field_set, &d, &n) == VD_OK)
		for (size_t i = 0; i < n; i++) {
			json_t *f = json_pack("{s:s,s:b}", "name", d[i].name, "required", d[i].required);
			if (d[i].label_en)
				json_object_set_new(f, "label_en", json_string(d[i].label_en));
			if (d[i].label_zh)
				json_object_set_new(f, "label_zh", json_string(d[i].label_zh));
			if (d[i].values) {
				json_t *v = json_array();
				for (const char *const *p = d[i].values; *p; p++)
					json_array_append_new(v, json_string(*p));
				json_object_set_new(f, "values", v);
			}
			json_array_append_new(fields, f);
		}
	vd_error_clear();
	return json_pack("{s:I,s:s,s:s,s:b,s:s,s:i,s:i,s:i,s:o,s:o,s:s}", "id", (json_int_t)l->id, "code", l->code,
	                 "name", l->name, "national", l->national, "field_set", l->field_set, "fix_days", l->fix_days,
	                 "ack_days", l->ack_days, "report_days", l->report_days, "blackouts", bo, "fields", fields,
	                 "created", l->created);
}

static int add_user(void *ctx, const vd_user_info *u) { return json_array_append_new(ctx, user_json(u)); }
static int add_org(void *ctx, const vd_org_info *o) { return json_array_append_new(ctx, org_json(o)); }
static int add_token(void *ctx, const vd_token_info *t) { return json_array_append_new(ctx, token_json(t)); }
static int add_library(void *ctx, const vd_library_info *l) { return json_array_append_new(ctx, library_json(l)); }

/* Render {key: arr} when rc is VD_OK, else the error. */
static void list_answer(vd_http_req *rq, int rc, const char *key, json_t *arr)
{
	if (rc) {
		json_decref(arr);
		vd_http_fail(rq, rc);
		return;
	}
	rq->no_cache = true;
	vd_http_json(rq, 200, json_pack("{s:o}", key, arr));
}

static void ok_answer(vd_http_req *rq, int rc, unsigned status, json_t *body)
{
	if (rc) {
		json_decref(body);
		vd_http_fail(rq, rc);
		return;
	}
	rq->no_cache = true;
	vd_http_json(rq, status, body ? body : json_pack("{s:b}", "ok", 1));
}

static bool no_query(vd_http_req *rq)
{
	return vd_http_args_only(rq, NULL);
}

/* ---- login, logout, me ---- */

void vd_h_login(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"name", S, true, VD_USER_NAME_MAX},
	                                  {"password", S, true, VD_PASSWORD_MAX},
	                                  {NULL, 0, false, 0}};
	rq->no_cache = true;
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	vd_session ses;
	vd_principal who;
	int rc = vd_service_login(s, vd_http_jstr(j, "name"), vd_http_jstr(j, "password"),
	                          rq->client && *rq->client ? rq->client : NULL, &ses, &who);
	json_decref(j);
	if (rc == VD_EPERM) {
		if (ses.locked_until) {
			int64_t wait = ses.locked_until - vd_service_now(s);
			rq->retry_after = wait > 0 ? (int)(wait > 86400 ? 86400 : wait) : 1;
			vd_http_error(rq, 429, "locked", "%s", vd_error_msg());
		} else {
			vd_http_error(rq, 401, "unauthenticated", "%s", vd_error_msg());
		}
		return;
	}
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	int64_t age = ses.expires - vd_service_now(s);
	char *cookie = vd_arena_alloc(rq->arena, 200);
	if (cookie)
		snprintf(cookie, 200, "vd_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld", ses.id,
		         (long long)(age > 0 ? age : 0));
	rq->set_cookie = cookie;
	char exp[VD_TIME_BUF];
	vd_time_format(ses.expires, exp, sizeof exp);
	rq->who = who;
	vd_http_json(rq, 200, json_pack("{s:s,s:s,s:s,s:s}", "user", who.name, "role", vd_role_name(who.role), "csrf",
	                                ses.csrf, "expires", exp));
	rq->no_cache = true;
}

void vd_h_logout(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, true);
	if (!j)
		return;
	json_decref(j);
	if (rq->who.via != VD_AUTH_SESSION || !rq->session) {
		vd_http_error(rq, 400, "bad_request", "logout ends a session (the vd_session cookie); an API token is "
		              "revoked with DELETE /api/v1/tokens/{id}");
		return;
	}
	int rc = vd_service_logout(s, rq->session);
	if (!rc)
		rq->set_cookie = "vd_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
	ok_answer(rq, rc, 200, NULL);
}

void vd_h_me(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	vd_user_info u;
	int rc = vd_service_me(s, &rq->who, &u);
	json_t *o = rc ? NULL : user_json(&u);
	if (o) {
		static const char *const via[] = {"none", "session", "token", "local"};
		json_object_set_new(o, "scope", json_string(vd_scope_name(rq->who.scope)));
		json_object_set_new(o, "via", json_string((unsigned)rq->who.via < 4 ? via[rq->who.via] : "?"));
	}
	ok_answer(rq, rc, 200, o);
}

void vd_h_me_password(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"old_password", S, false, VD_PASSWORD_MAX},
	                                  {"new_password", S, true, VD_PASSWORD_MAX},
	                                  {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	int rc = vd_service_user_set_password(s, &rq->who, rq->who.name, vd_http_jstr(j, "old_password"),
	                                      vd_http_jstr(j, "new_password"));
	json_decref(j);
	ok_answer(rq, rc, 200, NULL);
}

/* ---- users ---- */

void vd_h_users(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	json_t *arr = json_array();
	list_answer(rq, vd_service_user_list(s, &rq->who, add_user, arr), "users", arr);
}

static int role_arg(vd_http_req *rq, const char *name, vd_role *r)
{
	if (vd_role_parse(name, r) || *r == VD_ROLE_ANONYMOUS) {
		vd_http_error(rq, 400, "bad_field", "role: one of reporter, vendor, analyst, expert, support-unit, admin");
		return -1;
	}
	return 0;
}

void vd_h_user_add(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"name", S, true, VD_USER_NAME_MAX},
	                                  {"role", S, true, 32},
	                                  {"org", S, false, VD_ORG_NAME_MAX},
	                                  {"password", S, true, VD_PASSWORD_MAX},
	                                  {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	vd_role role;
	if (role_arg(rq, vd_http_jstr(j, "role"), &role)) {
		json_decref(j);
		return;
	}
	int64_t id = 0;
	int rc = vd_service_user_add(s, &rq->who, vd_http_jstr(j, "name"), role, vd_http_jstr(j, "org"),
	                             vd_http_jstr(j, "password"), &id);
	json_t *o = rc ? NULL : json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name", vd_http_jstr(j, "name"),
	                                  "role", vd_role_name(role));
	json_decref(j);
	ok_answer(rq, rc, 201, o);
}

void vd_h_user(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	vd_user_info u;
	int rc = vd_service_user_get(s, &rq->who, rq->params[0], &u);
	ok_answer(rq, rc, 200, rc ? NULL : user_json(&u));
}

void vd_h_user_role(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"role", S, true, 32}, {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	vd_role role;
	if (role_arg(rq, vd_http_jstr(j, "role"), &role)) {
		json_decref(j);
		return;
	}
	json_decref(j);
	ok_answer(rq, vd_service_user_set_role(s, &rq->who, rq->params[0], role), 200, NULL);
}

static void set_disabled(vd_http_req *rq, vd_service *s, bool disabled)
{
	static const vd_http_field f[] = {{NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, true);
	if (!j)
		return;
	json_decref(j);
	ok_answer(rq, vd_service_user_set_disabled(s, &rq->who, rq->params[0], disabled), 200, NULL);
}

void vd_h_user_disable(vd_http_req *rq, vd_service *s) { set_disabled(rq, s, true); }
void vd_h_user_enable(vd_http_req *rq, vd_service *s) { set_disabled(rq, s, false); }

void vd_h_user_password(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"password", S, true, VD_PASSWORD_MAX}, {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	int rc = vd_service_user_set_password(s, &rq->who, rq->params[0], NULL, vd_http_jstr(j, "password"));
	json_decref(j);
	ok_answer(rq, rc, 200, NULL);
}

/* ---- organisations ---- */

void vd_h_orgs(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	json_t *arr = json_array();
	list_answer(rq, vd_service_org_list(s, &rq->who, add_org, arr), "orgs", arr);
}

void vd_h_org_add(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"name", S, true, VD_ORG_NAME_MAX}, {"type", S, true, 32},
	                                  {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	vd_org_type t;
	if (vd_org_type_parse(vd_http_jstr(j, "type"), &t)) {
		json_decref(j);
		vd_http_error(rq, 400, "bad_field", "type: one of vendor, support-unit, reporter-team, alliance");
		return;
	}
	int64_t id = 0;
	int rc = vd_service_org_add(s, &rq->who, vd_http_jstr(j, "name"), t, &id);
	json_t *o = rc ? NULL : json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name", vd_http_jstr(j, "name"), "type",
	                                  vd_org_type_name(t));
	json_decref(j);
	ok_answer(rq, rc, 201, o);
}

void vd_h_org(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	vd_org_info o;
	int rc = vd_service_org_get(s, &rq->who, rq->params[0], &o);
	ok_answer(rq, rc, 200, rc ? NULL : org_json(&o));
}

typedef struct {
	json_t *arr;
	const char *ka, *kb;
} items_ctx;

static int add_item(void *ctx, const char *a, const char *b)
{
	items_ctx *c = ctx;
	json_t *o = json_pack("{s:s}", c->ka, a ? a : "");
	if (c->kb)
		json_object_set_new(o, c->kb, b ? json_string(b) : json_null());
	return json_array_append_new(c->arr, o);
}

static void org_items(vd_http_req *rq, vd_service *s, int kind, const char *key, const char *ka, const char *kb)
{
	if (!no_query(rq))
		return;
	items_ctx c = {json_array(), ka, kb};
	list_answer(rq, vd_service_org_items(s, &rq->who, rq->params[0], kind, add_item, &c), key, c.arr);
}

void vd_h_org_members(vd_http_req *rq, vd_service *s)
{
	org_items(rq, s, VD_ORG_ITEM_MEMBERS, "members", "name", "role");
}
void vd_h_org_products(vd_http_req *rq, vd_service *s)
{
	org_items(rq, s, VD_ORG_ITEM_PRODUCTS, "products", "name", NULL);
}
void vd_h_org_contacts(vd_http_req *rq, vd_service *s)
{
	org_items(rq, s, VD_ORG_ITEM_CONTACTS, "contacts", "email", "name");
}

void vd_h_org_member_add(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"user", S, true, VD_USER_NAME_MAX}, {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	int rc = vd_service_org_member(s, &rq->who, rq->params[0], vd_http_jstr(j, "user"), true);
	json_decref(j);
	ok_answer(rq, rc, 200, NULL);
}

void vd_h_org_member_del(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	ok_answer(rq, vd_service_org_member(s, &rq->who, rq->params[0], rq->params[1], false), 200, NULL);
}

void vd_h_org_product_add(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"product", S, true, VD_PRODUCT_MAX}, {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	int rc = vd_service_org_product_add(s, &rq->who, rq->params[0], vd_http_jstr(j, "product"));
	json_decref(j);
	ok_answer(rq, rc, 201, NULL);
}

void vd_h_org_contact_add(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"email", S, true, VD_EMAIL_MAX}, {"name", S, false, VD_ORG_NAME_MAX},
	                                  {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, false);
	if (!j)
		return;
	int rc = vd_service_org_contact_add(s, &rq->who, rq->params[0], vd_http_jstr(j, "email"), vd_http_jstr(j, "name"));
	json_decref(j);
	ok_answer(rq, rc, 201, NULL);
}

/* ---- tokens ---- */

void vd_h_tokens(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, "user", NULL))
		return;
	json_t *arr = json_array();
	list_answer(rq, vd_service_token_list(s, &rq->who, vd_http_arg(rq, "user"), add_token, arr), "tokens", arr);
}

void vd_h_token_create(vd_http_req *rq, vd_service *s)
{
	static const vd_http_field f[] = {{"scope", S, false, 16}, {"expires_days", I, false, 0},
	                                  {"user", S, false, VD_USER_NAME_MAX}, {NULL, 0, false, 0}};
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, f, true);
	if (!j)
		return;
	vd_scope scope = VD_SCOPE_READ;
	const char *sc = vd_http_jstr(j, "scope");
	json_int_t days = json_integer_value(json_object_get(j, "expires_days"));
	if (sc && vd_scope_parse(sc, &scope)) {
		json_decref(j);
		vd_http_error(rq, 400, "bad_field", "scope: read, write or admin");
		return;
	}
	if (days < 0 || days > 3650) {
		json_decref(j);
		vd_http_error(rq, 400, "bad_field", "expires_days: 0 (never) or 1 to 3650");
		return;
	}
	const char *user = vd_http_jstr(j, "user");
	char token[VD_SECRET_BUF];
	vd_token_info info;
	int rc = vd_service_token_create(s, &rq->who, user ? user : rq->who.name, scope, (int)days, token, &info);
	json_decref(j);
	json_t *o = NULL;
	if (!rc && (o = token_json(&info)) != NULL)
		json_object_set_new(o, "token", json_string(token));
	memset(token, 0, sizeof token);
	ok_answer(rq, rc, 201, o);
}

void vd_h_token_revoke(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	long id;
	if (vd_parse_long(rq->params[0], 1, 1L << 62, &id)) {
		vd_http_error(rq, 400, "bad_request", "token id: a positive number");
		return;
	}
	ok_answer(rq, vd_service_token_revoke(s, &rq->who, id), 200, NULL);
}

/* ---- libraries ---- */

void vd_h_libraries(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	json_t *arr = json_array();
	list_answer(rq, vd_service_library_list(s, &rq->who, add_library, arr), "libraries", arr);
}

void vd_h_library(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	vd_library_info *l = vd_arena_alloc(rq->arena, sizeof *l);
	int rc = l ? vd_service_library_get(s, &rq->who, rq->params[0], l) : VD_ENOMEM;
	ok_answer(rq, rc, 200, rc ? NULL : library_json(l));
}

/* The library in the body (code from the path for PUT). */
static bool library_spec(vd_http_req *rq, json_t *j, const char *code, vd_library_info *l)
{
	memset(l, 0, sizeof *l);
	if (!code)
		code = vd_http_jstr(j, "code");
	vd_strlcpy(l->code, code ? code : "", sizeof l->code);
	vd_strlcpy(l->name, vd_http_jstr(j, "name") ? vd_http_jstr(j, "name") : "", sizeof l->name);
	vd_strlcpy(l->field_set, vd_http_jstr(j, "field_set") ? vd_http_jstr(j, "field_set") : "none",
	           sizeof l->field_set);
	l->national = json_is_true(json_object_get(j, "national"));
	static const char *const days[] = {"fix_days", "ack_days", "report_days"};
	int *dst[] = {&l->fix_days, &l->ack_days, &l->report_days};
	for (int i = 0; i < 3; i++) {
		json_int_t v = json_integer_value(json_object_get(j, days[i]));
		if (v < 0 || v > 3650) {
			vd_http_error(rq, 400, "bad_field", "%s: 0 (the default) to 3650", days[i]);
			return false;
		}
		*dst[i] = (int)v;
	}
	json_t *bo = json_object_get(j, "blackouts"), *b;
	size_t i;
	if (json_array_size(bo) > VD_BLACKOUT_MAX) {
		vd_http_error(rq, 400, "bad_field", "blackouts: at most %d windows", VD_BLACKOUT_MAX);
		return false;
	}
	json_array_foreach(bo, i, b) {
		const char *from = vd_http_jstr(b, "from"), *to = vd_http_jstr(b, "to"), *why = vd_http_jstr(b, "reason");
		if (!json_is_object(b) || json_object_size(b) != 3 || !from || !to || !why || strlen(from) > 40 ||
		    strlen(to) > 40 || vd_time_parse(from, &l->blackouts[i].starts) ||
		    vd_time_parse(to, &l->blackouts[i].ends) || strlen(why) > VD_REASON_MAX) {
			vd_http_error(rq, 400, "bad_field", "blackouts[%zu]: expected {\"from\": DATE, \"to\": DATE, "
			              "\"reason\": TEXT (at most %d bytes)}", i, VD_REASON_MAX);
			return false;
		}
		vd_strlcpy(l->blackouts[i].reason, why, sizeof l->blackouts[i].reason);
		l->n_blackouts = i + 1;
	}
	return true;
}

static const vd_http_field library_fields[] = {
	{"code", S, false, VD_LIB_CODE_MAX}, {"name", S, true, VD_LIB_NAME_MAX}, {"national", B, false, 0},
	{"field_set", S, false, 15}, {"fix_days", I, false, 0}, {"ack_days", I, false, 0},
	{"report_days", I, false, 0}, {"blackouts", A, false, 0}, {NULL, 0, false, 0}};

void vd_h_library_add(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, library_fields, false);
	if (!j)
		return;
	vd_library_info *l = vd_arena_alloc(rq->arena, sizeof *l);
	if (!l || !library_spec(rq, j, NULL, l)) {
		json_decref(j);
		if (!l)
			vd_http_fail(rq, VD_ENOMEM);
		return;
	}
	json_decref(j);
	int64_t id = 0;
	int rc = vd_service_library_add(s, &rq->who, l, &id);
	ok_answer(rq, rc, 201, rc ? NULL : json_pack("{s:I,s:s}", "id", (json_int_t)id, "code", l->code));
}

void vd_h_library_update(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	json_t *j = vd_http_body_fields(rq, library_fields, false);
	if (!j)
		return;
	const char *code = vd_http_jstr(j, "code");
	if (code && strcmp(code, rq->params[0]) != 0) {
		json_decref(j);
		vd_http_error(rq, 400, "bad_field", "code: the code in the body differs from the one in the path");
		return;
	}
	vd_library_info *l = vd_arena_alloc(rq->arena, sizeof *l);
	if (!l || !library_spec(rq, j, rq->params[0], l)) {
		json_decref(j);
		if (!l)
			vd_http_fail(rq, VD_ENOMEM);
		return;
	}
	json_decref(j);
	ok_answer(rq, vd_service_library_update(s, &rq->who, l), 200, NULL);
}

/* ---- audit ---- */

void vd_h_audit_verify(vd_http_req *rq, vd_service *s)
{
	if (!no_query(rq))
		return;
	vd_audit_report r;
	memset(&r, 0, sizeof r);
	int rc = vd_service_audit_verify(s, &rq->who, &r);
	if (rc && rc != VD_ECONFLICT) {
		vd_http_fail(rq, rc);
		return;
	}
	rq->no_cache = true;
	vd_http_json(rq, 200, json_pack("{s:b,s:I,s:I,s:I,s:I,s:s}", "intact", rc == VD_OK, "checked",
	                                (json_int_t)r.checked, "anchor_seq", (json_int_t)r.anchor_seq, "head_seq",
	                                (json_int_t)r.head_seq, "first_bad", (json_int_t)r.first_bad, "why",
	                                rc ? (r.why[0] ? r.why : vd_error_msg()) : ""));
}
