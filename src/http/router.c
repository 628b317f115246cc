/* The routing table (the one place routes are declared), path matching,
 * query-string parsing, and in-process request handling. */
#include "http_int.h"
#include "vulnd/error.h"
#include <stdlib.h>
#include <string.h>

/* Every route, with the permission-table action checked before its
 * handler runs (vd_http_dispatch).  docs/api/openapi.yaml must describe
 * exactly these (tests/api/t_http.c checks both directions), and every
 * action must be one vd_action_parse knows (tests/api/t_http.c and
 * tests/api/t_embargo.c walk the table).  Public routes name record.read
 * or stats.read, which every role has; login is public too (the service
 * checks the credentials).  Order matters only between a literal segment
 * and a {parameter} at the same place: /api/v1/cases/due before
 * /api/v1/cases/{id}. */
#define R_PUB "record.read"
const vd_http_route vd_http_routes[] = {
	{"GET", "/healthz", vd_h_healthz, VD_ROUTE_NOLIMIT, R_PUB},
	{"GET", "/metrics", vd_h_metrics, VD_ROUTE_NOLIMIT, "stats.read"},
	{"GET", "/api/v1/openapi.yaml", vd_h_openapi, VD_ROUTE_CACHE, R_PUB},
	{"GET", "/api/v1/vulns", vd_h_list, VD_ROUTE_CACHE, R_PUB},
	{"POST", "/api/v1/vulns/batch", vd_h_batch, VD_ROUTE_BODY, R_PUB},
	{"GET", "/api/v1/vulns/{id}", vd_h_vuln, VD_ROUTE_CACHE, R_PUB},
	{"GET", "/api/v1/search", vd_h_search, VD_ROUTE_CACHE, R_PUB},
	{"GET", "/api/v1/vendors", vd_h_vendors, VD_ROUTE_CACHE, R_PUB},
	{"GET", "/api/v1/vendors/{vendor}/products", vd_h_products, VD_ROUTE_CACHE, R_PUB},
	{"GET", "/api/v1/stats", vd_h_stats, VD_ROUTE_CACHE, "stats.read"},
	{"GET", "/api/v1/cwe/{id}", vd_h_cwe, VD_ROUTE_CACHE, R_PUB},
	{"POST", "/v1/query", vd_h_osv_query, VD_ROUTE_BODY, R_PUB},
	{"POST", "/v1/querybatch", vd_h_osv_querybatch, VD_ROUTE_BODY | VD_ROUTE_BIG, R_PUB},
	{"GET", "/v1/vulns/{id}", vd_h_osv_vuln, VD_ROUTE_CACHE, R_PUB},
	{"POST", "/api/v1/sbom/match", vd_h_sbom_match, VD_ROUTE_BODY | VD_ROUTE_BIG, R_PUB},
	/* accounts (issue 6; h_accounts.c) */
	{"POST", "/api/v1/login", vd_h_login, VD_ROUTE_BODY | VD_ROUTE_SECRET, R_PUB},
	{"POST", "/api/v1/logout", vd_h_logout, VD_ROUTE_OPTBODY, "me"},
	{"GET", "/api/v1/me", vd_h_me, 0, "me"},
	{"POST", "/api/v1/me/password", vd_h_me_password, VD_ROUTE_BODY | VD_ROUTE_SECRET, "password"},
	{"GET", "/api/v1/users", vd_h_users, 0, "user.list"},
	{"POST", "/api/v1/users", vd_h_user_add, VD_ROUTE_BODY | VD_ROUTE_SECRET, "user.admin"},
	{"GET", "/api/v1/users/{name}", vd_h_user, 0, "user.list"},
	{"POST", "/api/v1/users/{name}/role", vd_h_user_role, VD_ROUTE_BODY, "user.admin"},
	{"POST", "/api/v1/users/{name}/disable", vd_h_user_disable, VD_ROUTE_OPTBODY, "user.admin"},
	{"POST", "/api/v1/users/{name}/enable", vd_h_user_enable, VD_ROUTE_OPTBODY, "user.admin"},
	{"POST", "/api/v1/users/{name}/password", vd_h_user_password, VD_ROUTE_BODY | VD_ROUTE_SECRET, "user.admin"},
	{"GET", "/api/v1/orgs", vd_h_orgs, 0, "org.read"},
	{"POST", "/api/v1/orgs", vd_h_org_add, VD_ROUTE_BODY, "org.admin"},
	{"GET", "/api/v1/orgs/{name}", vd_h_org, 0, "org.read"},
	{"GET", "/api/v1/orgs/{name}/members", vd_h_org_members, 0, "org.read"},
	{"POST", "/api/v1/orgs/{name}/members", vd_h_org_member_add, VD_ROUTE_BODY, "org.admin"},
	{"DELETE", "/api/v1/orgs/{name}/members/{user}", vd_h_org_member_del, 0, "org.admin"},
	{"GET", "/api/v1/orgs/{name}/products", vd_h_org_products, 0, "org.read"},
	{"POST", "/api/v1/orgs/{name}/products", vd_h_org_product_add, VD_ROUTE_BODY, "org.products"},
	{"GET", "/api/v1/orgs/{name}/contacts", vd_h_org_contacts, 0, "org.read"},
	{"POST", "/api/v1/orgs/{name}/contacts", vd_h_org_contact_add, VD_ROUTE_BODY, "org.products"},
	{"GET", "/api/v1/tokens", vd_h_tokens, 0, "token.list"},
	{"POST", "/api/v1/tokens", vd_h_token_create, VD_ROUTE_OPTBODY, "token.create"},
	{"DELETE", "/api/v1/tokens/{id}", vd_h_token_revoke, 0, "token.revoke"},
	{"GET", "/api/v1/libraries", vd_h_libraries, 0, "library.read"},
	{"POST", "/api/v1/libraries", vd_h_library_add, VD_ROUTE_BODY, "library.admin"},
	{"GET", "/api/v1/libraries/{code}", vd_h_library, 0, "library.read"},
	{"PUT", "/api/v1/libraries/{code}", vd_h_library_update, VD_ROUTE_BODY, "library.admin"},
	{"GET", "/api/v1/audit/verify", vd_h_audit_verify, 0, "audit.verify"},
	/* reports and cases (issue 7; h_cases.c) */
	{"POST", "/api/v1/reports", vd_h_report_submit, VD_ROUTE_BODY | VD_ROUTE_UPLOAD, "report.submit"},
	{"GET", "/api/v1/cases", vd_h_cases, 0, "case.read"},
	{"GET", "/api/v1/cases/due", vd_h_cases_due, 0, "case.triage"},
	{"GET", "/api/v1/cases/{id}", vd_h_case, 0, "case.read"},
	{"GET", "/api/v1/cases/{id}/thread", vd_h_case_thread, 0, "case.read"},
	{"GET", "/api/v1/cases/{id}/notices", vd_h_case_notices, 0, "case.triage"},
	{"GET", "/api/v1/cases/{id}/candidates", vd_h_case_candidates, 0, "case.triage"},
	{"GET", "/api/v1/cases/{id}/attachments/{sha}", vd_h_case_attachment, 0, "attachment.read"},
	/* the step's own action (the state table's row) is checked by the service */
	{"POST", "/api/v1/cases/{id}/{step}", vd_h_case_step, VD_ROUTE_OPTBODY, "case.read"},
};
#undef R_PUB
const size_t vd_http_n_routes = sizeof vd_http_routes / sizeof vd_http_routes[0];

size_t vd_http_route_count(void) { return vd_http_n_routes; }

void vd_http_route_info(size_t i, const char **method, const char **pattern)
{
	*method = i < vd_http_n_routes ? vd_http_routes[i].method : NULL;
	*pattern = i < vd_http_n_routes ? vd_http_routes[i].pattern : NULL;
}

const char *vd_http_route_action(size_t i)
{
	return i < vd_http_n_routes ? vd_http_routes[i].action : NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* %-decode s[0..n) into the arena; plus: '+' is a space.  NULL when an
 * escape is bad, the result has a NUL or is not UTF-8 (or on ENOMEM). */
static char *decode(vd_arena *a, const char *s, size_t n, bool plus)
{
	char *o = vd_arena_alloc(a, n + 1);
	if (!o)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int x = i + 1 < n ? hexval(s[i + 1]) : -1, y = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (x < 0 || y < 0 || (x == 0 && y == 0))   /* bad escape, or %00 */
				return NULL;
			c = (char)(x * 16 + y);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		} else if (c == 0) {
			return NULL;
		}
		o[k++] = c;
	}
	o[k] = 0;
	return vd_utf8_valid(o, k) ? o : NULL;
}

/* Does pattern match path segment by segment?  Captures (raw) parameter
 * segments into seg[]/len[]. */
static bool match_pattern(const char *pat, const char *path, const char **seg, size_t *len, size_t max,
                          size_t *np)
{
	*np = 0;
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		size_t pl = strcspn(pat, "/"), sl = strcspn(path, "/");
		if (pat[0] == '{') {
			if (sl == 0 || *np >= max)
				return false;
			seg[*np] = path;
			len[(*np)++] = sl;
		} else if (pl != sl || memcmp(pat, path, pl) != 0) {
			return false;
		}
		pat += pl;
		path += sl;
	}
	return !*pat && !*path;
}

int vd_http_match(const char *method, const char *path, vd_arena *a, const char **params, size_t max_params,
                  char *allow, size_t allow_n)
{
	const char *seg[VD_HTTP_MAX_PARAMS];
	size_t len[VD_HTTP_MAX_PARAMS], np;
	if (allow && allow_n)
		allow[0] = 0;
	bool path_seen = false;
	size_t used = 0;
	for (size_t i = 0; i < vd_http_n_routes; i++) {
		const vd_http_route *rt = &vd_http_routes[i];
		if (!match_pattern(rt->pattern, path, seg, len, VD_HTTP_MAX_PARAMS, &np))
			continue;
		bool head = strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0;
		if (strcmp(method, rt->method) == 0 || head) {
			for (size_t k = 0; k < np && k < max_params; k++)
				if (!(params[k] = decode(a, seg[k], len[k], false)))
					return vd_error_set(VD_EINVAL, "path: bad %%-escape, NUL or invalid UTF-8 in a path segment");
			return (int)i;
		}
		path_seen = true;
		if (allow && allow_n && !strstr(allow, rt->method)) {
			const char *m = strcmp(rt->method, "GET") == 0 ? "GET, HEAD" : rt->method;
			size_t ml = strlen(m);
			if (used + ml + 3 < allow_n) {
				if (used) {
					memcpy(allow + used, ", ", 2);
					used += 2;
				}
				memcpy(allow + used, m, ml + 1);
				used += ml;
			}
		}
	}
	if (path_seen)
		return vd_error_set(VD_EPERM, "method %.16s not allowed here", method);
	return vd_error_set(VD_ENOTFOUND, "no such endpoint");
}

int vd_http_query_parse(const char *qs, vd_arena *a, vd_http_kv *out, size_t max, size_t *n)
{
	*n = 0;
	const char *p = qs;
	while (p && *p) {
		size_t l = strcspn(p, "&");
		if (l) {
			const char *eq = memchr(p, '=', l);
			size_t kl = eq ? (size_t)(eq - p) : l;
			if (*n >= max)
				return vd_error_set(VD_ETOOBIG, "query: more than %zu parameters", max);
			char *k = decode(a, p, kl, true);
			char *v = eq ? decode(a, eq + 1, l - kl - 1, true) : decode(a, "", 0, true);
			if (!k || !v || !*k)
				return vd_error_set(VD_EINVAL, "query: bad %%-escape, NUL, empty name or invalid UTF-8 "
				                    "in parameter %zu", *n + 1);
			out[*n].key = k;
			out[*n].val = v;
			(*n)++;
		}
		p += l;
		if (*p == '&')
			p++;
	}
	return VD_OK;
}

/* Route a request: method + raw target.  On failure the error response is
 * set on rq and false returned. */
bool vd_http_prepare(vd_http_req *rq, const char *method, const char *target)
{
	char allow[64];
	rq->method = method;
	rq->route = -1;
	size_t max_url = rq->cfg->max_url ? rq->cfg->max_url : 2048;
	if (strlen(target) > max_url) {
		vd_http_error(rq, 414, "uri_too_long", "request target longer than %zu bytes", max_url);
		return false;
	}
	const char *q = strchr(target, '?');
	size_t pl = q ? (size_t)(q - target) : strlen(target);
	char *path = vd_arena_strndup(rq->arena, target, pl);
	if (!path) {
		vd_http_error(rq, 500, "internal", "out of memory");
		return false;
	}
	int r = vd_http_match(method, path, rq->arena, rq->params, VD_HTTP_MAX_PARAMS, allow, sizeof allow);
	if (r == VD_ENOTFOUND) {
		vd_http_error(rq, 404, "not_found", "no such endpoint");
		return false;
	}
	if (r == VD_EPERM) {
		rq->allow = vd_arena_strdup(rq->arena, allow);
		vd_http_error(rq, 405, "method_not_allowed", "method %.16s not allowed on this path (allowed: %s)",
		              method, allow);
		return false;
	}
	if (r < 0) {
		vd_http_error(rq, 400, "bad_request", "%s", vd_error_msg());
		return false;
	}
	rq->route = r;
	if (q) {
		const char *frag = strchr(q + 1, '#');
		char *qs = vd_arena_strndup(rq->arena, q + 1, frag ? (size_t)(frag - q - 1) : strlen(q + 1));
		int rc = qs ? vd_http_query_parse(qs, rq->arena, rq->query, VD_HTTP_MAX_QUERY, &rq->n_query) : VD_ENOMEM;
		if (rc) {
			vd_http_error(rq, 400, "bad_request", "%s", vd_error_msg());
			return false;
		}
	}
	return true;
}

void vd_http_req_init(vd_http_req *rq, const vd_http_config *cfg)
{
	memset(rq, 0, sizeof *rq);
	rq->cfg = cfg;
	rq->route = -1;
	rq->arena = vd_arena_new(0);
	vd_buf_init(&rq->out, VD_HTTP_OUT_MAX);
}

void vd_http_req_free(vd_http_req *rq)
{
	vd_arena_free(rq->arena);
	vd_buf_free(&rq->out);
}

size_t vd_http_body_cap(const vd_http_config *cfg, int r)
{
	int f = r >= 0 && (size_t)r < vd_http_n_routes ? vd_http_routes[r].flags : 0;
	if (f & VD_ROUTE_UPLOAD)
		return cfg->max_report_body ? cfg->max_report_body : (16u << 20);
	return (f & VD_ROUTE_BIG) ? cfg->max_body_batch : cfg->max_body;
}

bool vd_http_is_write(const vd_http_req *rq)
{
	return rq->method && strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0;
}

/* Authenticate, check the route's action, run the handler. */
void vd_http_dispatch(vd_http_req *rq, vd_service *s)
{
	const vd_http_route *rt = &vd_http_routes[rq->route];
	rq->who = vd_principal_anonymous();
	int rc = vd_service_authenticate(s, rq->bearer, rq->session, rq->csrf, vd_http_is_write(rq), &rq->who);
	if (rc == VD_EPERM) {
		bool csrf = strstr(vd_error_msg(), "CSRF") != NULL;
		rq->who = vd_principal_anonymous();
		if (csrf)
			vd_http_error(rq, 403, "csrf", "%s: send the X-CSRF-Token header given at login", vd_error_msg());
		else
			vd_http_error(rq, 401, "unauthenticated", "%s", vd_error_msg());
		return;
	}
	if (rc) {
		vd_http_fail(rq, rc);
		return;
	}
	vd_action act;
	if (!rt->action || vd_action_parse(rt->action, &act)) {
		vd_http_error(rq, 500, "internal", "route %s %s names no known action", rt->method, rt->pattern);
		return;
	}
	/* "no" for the role (or a credential scope too small) is refused here;
	 * conditional rules need the object, which the service has. */
	vd_perm_cond c = vd_perm_rule(rq->who.role, act);
	bool conditional = c == VD_COND_SELF || c == VD_COND_ORG || c == VD_COND_VENDOR || c == VD_COND_ASSIGNED;
	if (!conditional || rq->who.scope < vd_action_scope(act)) {
		if ((rc = vd_service_authorize(s, &rq->who, act, NULL, rt->pattern))) {
			vd_http_fail(rq, rc);
			return;
		}
	}
	rt->fn(rq, s);
}

void vd_http_extra_free(vd_http_extra *x)
{
	if (!x)
		return;
	free(x->content_type);
	free(x->set_cookie);
	free(x->disposition);
	memset(x, 0, sizeof *x);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int vd_http_handle_ex(const vd_http_config *cfg, struct vd_service *service, const vd_http_cred *cred,
                      const char *method, const char *target, const char *body, size_t body_len, unsigned *status,
                      char **out, size_t *out_len, vd_http_extra *extra)
{
	vd_http_config dflt;
	if (!cfg) {
		vd_http_config_init(&dflt);
		cfg = &dflt;
	}
	if (extra)
		memset(extra, 0, sizeof *extra);
	vd_http_req rq;
	vd_http_req_init(&rq, cfg);
	if (!rq.arena)
		return vd_error_set(VD_ENOMEM, "out of memory");
	if (cred) {
		rq.bearer = cred->bearer;
		rq.session = cred->session;
		rq.csrf = cred->csrf;
		rq.client = cred->client;
	}
	if (vd_http_prepare(&rq, method, target)) {
		size_t cap = vd_http_body_cap(cfg, rq.route);
		if (body_len > cap) {
			vd_http_error(&rq, 413, "payload_too_large", "request body over %zu bytes", cap);
		} else {
			char *b = body ? vd_arena_alloc(rq.arena, body_len + 1) : NULL;
			if (b) {
				memcpy(b, body, body_len);
				b[body_len] = 0;
			}
			rq.body = b;
			rq.body_len = b ? body_len : 0;
			vd_http_dispatch(&rq, service);
		}
	}
	if (rq.status == 0)
		vd_http_error(&rq, 500, "internal", "handler gave no answer");
	*status = rq.status;
	if (out_len)
		*out_len = rq.out.len;
	if (extra) {
		extra->content_type = strdup(rq.ctype ? rq.ctype : "application/json; charset=utf-8");
		extra->set_cookie = dup_or_null(rq.set_cookie);
		extra->disposition = dup_or_null(rq.disposition);
		extra->retry_after = rq.retry_after;
		extra->no_store = rq.no_cache;
	}
	*out = rq.out.len ? vd_buf_detach(&rq.out) : NULL;
	vd_http_req_free(&rq);
	return VD_OK;
}

int vd_http_handle(const vd_http_config *cfg, struct vd_service *service, const char *method, const char *target,
                   const char *body, size_t body_len, unsigned *status, char **out, size_t *out_len)
{
	return vd_http_handle_ex(cfg, service, NULL, method, target, body, body_len, status, out, out_len, NULL);
}
