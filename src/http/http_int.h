/* Internal to src/http/: the request/response a handler sees, the routing
 * table's shape, helpers shared by the handler files, metrics.
 *
 * A handler never touches libmicrohttpd: it reads a vd_http_req (method,
 * decoded path parameters, query parameters, body) and fills its response
 * part (status, body, content type, ETag, caching).  server.c turns that
 * into HTTP (304 on a matching If-None-Match, gzip, headers).  This is what
 * lets the fuzz target and tests drive the handlers without a socket.
 */
#ifndef VD_HTTP_INT_H
#define VD_HTTP_INT_H
#include "vulnd/http.h"
#include "vulnd/service.h"
#include "vulnd/util.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define VD_HTTP_MAX_PARAMS 2      /* path parameters per route */
#define VD_HTTP_MAX_QUERY 32      /* query parameters per request */
#define VD_HTTP_OUT_MAX (256u << 20)   /* largest response body */

typedef struct vd_http_req vd_http_req;
typedef void (*vd_http_handler)(vd_http_req *rq, vd_service *s);

enum {
	VD_ROUTE_BODY = 1,     /* takes a JSON body (Content-Type application/json) */
	VD_ROUTE_BIG = 2,      /* body cap is max_body_batch instead of max_body */
	VD_ROUTE_CACHE = 4,    /* published data: ETag + Cache-Control public */
	VD_ROUTE_NOLIMIT = 8,  /* not rate limited (healthz, metrics) */
	VD_ROUTE_OPTBODY = 16, /* a JSON body is optional (when sent, it must be JSON) */
	VD_ROUTE_UPLOAD = 32,  /* body cap is max_report_body (reports with attachments) */
	VD_ROUTE_SECRET = 64,  /* the query string is not written to the access log */
};

typedef struct {
	const char *method;
	const char *pattern;   /* "/api/v1/vulns/{id}": {name} matches one segment */
	vd_http_handler fn;
	int flags;
	/* The permission-table action (vulnd/auth.h, vd_action_parse) checked
	 * before the handler runs: roles for which the table says "no" are
	 * refused (401 anonymous, 403 otherwise) without calling the handler;
	 * conditional rules (self, org, vendor, assigned) are left to the
	 * service call, which checks them against the object. */
	const char *action;
} vd_http_route;

extern const vd_http_route vd_http_routes[];
extern const size_t vd_http_n_routes;

struct vd_http_req {
	vd_arena *arena;                   /* freed with the request */
	const vd_http_config *cfg;
	/* request */
	const char *method;
	int route;                         /* index into vd_http_routes, -1 none */
	const char *params[VD_HTTP_MAX_PARAMS];
	vd_http_kv query[VD_HTTP_MAX_QUERY];
	size_t n_query;
	const char *body;                  /* NUL-terminated, may be NULL */
	size_t body_len;
	/* response */
	unsigned status;
	vd_buf out;
	const char *ctype;                 /* default application/json */
	char etag[48];                     /* full header value, "" = computed from the body */
	const char *allow;                 /* 405 */
	int retry_after;                   /* 429, seconds */
	bool no_cache;                     /* Cache-Control: no-store */
	/* credentials (never logged) and who they belong to */
	const char *bearer;                /* Authorization: Bearer ... */
	const char *session;               /* cookie vd_session */
	const char *csrf;                  /* X-CSRF-Token */
	const char *client;                /* client address, "" when unknown */
	vd_principal who;                  /* set by vd_http_dispatch */
	/* extra response headers */
	const char *set_cookie;            /* Set-Cookie */
	const char *disposition;           /* Content-Disposition */
};

/* ---- requests (router.c) ---- */
void vd_http_req_init(vd_http_req *rq, const vd_http_config *cfg);   /* rq->arena NULL on ENOMEM */
void vd_http_req_free(vd_http_req *rq);
/* Route method + raw target and parse the query; false with the error
 * response set (400, 404, 405 + allow, 414). */
bool vd_http_prepare(vd_http_req *rq, const char *method, const char *target);
/* After vd_http_prepare and with the body in place: authenticate the
 * credentials, check the route's action, run the handler. */
void vd_http_dispatch(vd_http_req *rq, vd_service *s);
/* Body cap of route r under cfg. */
size_t vd_http_body_cap(const vd_http_config *cfg, int r);

/* ---- helpers for handlers (handlers.c) ---- */
/* Value of query parameter key, or NULL. */
const char *vd_http_arg(const vd_http_req *rq, const char *key);
/* 400 and false when a query parameter is not in the NULL-terminated list. */
bool vd_http_args_only(vd_http_req *rq, ...) __attribute__((sentinel));
/* Integer query parameter in [min, max] (absent: dflt); 400 and false when bad. */
bool vd_http_arg_int(vd_http_req *rq, const char *key, long min, long max, long dflt, long *out);
/* Error response {"error":{"code":..,"message":..}}. */
void vd_http_error(vd_http_req *rq, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Map a service status code to an HTTP error (400/404/413/422/500...;
 * VD_EPERM: 401 for the anonymous principal, 403 otherwise; VD_ECONFLICT:
 * 409 on writes, 503 "busy" on reads). */
void vd_http_fail(vd_http_req *rq, int rc);
/* Is the request a write (not GET/HEAD)? */
bool vd_http_is_write(const vd_http_req *rq);
/* Render a jansson value as the body (takes the reference). */
void vd_http_json(vd_http_req *rq, unsigned status, json_t *body);
/* Parse the body as a JSON object: 400 for malformed JSON, 422 when not an
 * object; NULL then (response set). */
json_t *vd_http_body_object(vd_http_req *rq);
/* Append a JSON string literal (quoted, escaped) to the body. */
int vd_http_out_jstr(vd_http_req *rq, const char *s);

/* ---- metrics (metrics.c) ---- */
void vd_http_metrics_init(size_t n_routes);
void vd_http_metrics_record(int route, unsigned status, double seconds);
/* Prometheus text of the counters into b. */
int vd_http_metrics_render(vd_buf *b);

/* ---- strict JSON bodies (handlers.c) ----
 * A field list: name, JSON type (JSON_STRING, JSON_INTEGER, JSON_TRUE for
 * a boolean, JSON_ARRAY, JSON_OBJECT), required, max bytes for strings. */
typedef struct {
	const char *name;
	int type;
	bool required;
	size_t max;
} vd_http_field;
/* 400 and false when obj has a field not in fields (NULL-name terminated),
 * a field of the wrong type, a missing required field, a string longer than
 * max or holding a NUL. */
bool vd_http_fields_ok(vd_http_req *rq, json_t *obj, const vd_http_field *fields);
/* String value of a field (NULL when absent or null). */
const char *vd_http_jstr(json_t *obj, const char *key);
/* Parse the body against fields; NULL with the response set.  Empty body
 * is {} when empty_ok. */
json_t *vd_http_body_fields(vd_http_req *rq, const vd_http_field *fields, bool empty_ok);

/* ---- handlers (handlers.c, osv.c, h_accounts.c, h_cases.c) ---- */
void vd_h_healthz(vd_http_req *rq, vd_service *s);
void vd_h_metrics(vd_http_req *rq, vd_service *s);
void vd_h_openapi(vd_http_req *rq, vd_service *s);
void vd_h_vuln(vd_http_req *rq, vd_service *s);
void vd_h_list(vd_http_req *rq, vd_service *s);
void vd_h_batch(vd_http_req *rq, vd_service *s);
void vd_h_vendors(vd_http_req *rq, vd_service *s);
void vd_h_products(vd_http_req *rq, vd_service *s);
void vd_h_stats(vd_http_req *rq, vd_service *s);
void vd_h_search(vd_http_req *rq, vd_service *s);
void vd_h_cwe(vd_http_req *rq, vd_service *s);
void vd_h_osv_query(vd_http_req *rq, vd_service *s);
void vd_h_osv_querybatch(vd_http_req *rq, vd_service *s);
void vd_h_sbom_match(vd_http_req *rq, vd_service *s);
void vd_h_osv_vuln(vd_http_req *rq, vd_service *s);
/* h_accounts.c */
void vd_h_login(vd_http_req *rq, vd_service *s);
void vd_h_logout(vd_http_req *rq, vd_service *s);
void vd_h_me(vd_http_req *rq, vd_service *s);
void vd_h_me_password(vd_http_req *rq, vd_service *s);
void vd_h_users(vd_http_req *rq, vd_service *s);
void vd_h_user_add(vd_http_req *rq, vd_service *s);
void vd_h_user(vd_http_req *rq, vd_service *s);
void vd_h_user_role(vd_http_req *rq, vd_service *s);
void vd_h_user_disable(vd_http_req *rq, vd_service *s);
void vd_h_user_enable(vd_http_req *rq, vd_service *s);
void vd_h_user_password(vd_http_req *rq, vd_service *s);
void vd_h_orgs(vd_http_req *rq, vd_service *s);
void vd_h_org_add(vd_http_req *rq, vd_service *s);
void vd_h_org(vd_http_req *rq, vd_service *s);
void vd_h_org_members(vd_http_req *rq, vd_service *s);
void vd_h_org_member_add(vd_http_req *rq, vd_service *s);
void vd_h_org_member_del(vd_http_req *rq, vd_service *s);
void vd_h_org_products(vd_http_req *rq, vd_service *s);
void vd_h_org_product_add(vd_http_req *rq, vd_service *s);
void vd_h_org_contacts(vd_http_req *rq, vd_service *s);
void vd_h_org_contact_add(vd_http_req *rq, vd_service *s);
void vd_h_tokens(vd_http_req *rq, vd_service *s);
void vd_h_token_create(vd_http_req *rq, vd_service *s);
void vd_h_token_revoke(vd_http_req *rq, vd_service *s);
void vd_h_libraries(vd_http_req *rq, vd_service *s);
void vd_h_library_add(vd_http_req *rq, vd_service *s);
void vd_h_library(vd_http_req *rq, vd_service *s);
void vd_h_library_update(vd_http_req *rq, vd_service *s);
void vd_h_audit_verify(vd_http_req *rq, vd_service *s);
/* h_cases.c */
void vd_h_report_submit(vd_http_req *rq, vd_service *s);
void vd_h_cases(vd_http_req *rq, vd_service *s);
void vd_h_cases_due(vd_http_req *rq, vd_service *s);
void vd_h_case(vd_http_req *rq, vd_service *s);
void vd_h_case_thread(vd_http_req *rq, vd_service *s);
void vd_h_case_notices(vd_http_req *rq, vd_service *s);
void vd_h_case_candidates(vd_http_req *rq, vd_service *s);
void vd_h_case_attachment(vd_http_req *rq, vd_service *s);
void vd_h_case_step(vd_http_req *rq, vd_service *s);

/* The OpenAPI document embedded at build time (generated from docs/api/openapi.yaml). */
extern const unsigned char vd_openapi_yaml[];
extern const unsigned long vd_openapi_yaml_len;

#endif
