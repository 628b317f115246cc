/* vulnd/http.h — the HTTP server (libmicrohttpd): the public read API
 * (/api/v1/...), the OSV-compatible endpoints (/v1/...), /healthz and
 * /metrics.  Handlers are thin: parse the request → one service call →
 * render JSON.  Only published records are served to the public; the
 * account, organisation, library, report and case endpoints answer what
 * the authenticated principal may see (docs/security.md, docs/workflow.md).
 *
 * The routes are declared once (src/http/router.c); docs/api/openapi.yaml
 * describes them and is embedded in the binary (GET /api/v1/openapi.yaml).
 * Settings: docs/config.md.
 */
#ifndef VULND_HTTP_H
#define VULND_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include "vulnd/util.h"

typedef struct {
	const char *db;          /* database location, opened once per worker */
	const char *listen;      /* "127.0.0.1:8080"; port 0 picks a free port */
	int threads;             /* worker threads (≥ 1) */
	size_t max_body;         /* request body cap, bytes (413 past it) */
	size_t max_body_batch;   /* body cap of POST /v1/querybatch */
	size_t max_url;          /* request target cap, bytes (414 past it) */
	double rate_limit;       /* requests per second per client IP; 0 = off */
	double rate_burst;       /* bucket size */
	unsigned connection_limit;        /* open connections in all */
	unsigned per_ip_connection_limit; /* open connections per client IP */
	unsigned timeout;        /* seconds an idle or slow connection may stay */
	int cache_max_age;       /* Cache-Control max-age of published data, seconds */
	int gzip_level;          /* 1..9; 0 = never compress */
	size_t record_cache;     /* bytes of published records kept in memory, all workers; 0 = none */
	const char *access_log;  /* file path, "-" = stderr, NULL = none */
	int osv_page_size;       /* records per OSV query answer before a page token */
	int stats_cache_seconds; /* /api/v1/stats answer reused this long */
	int shutdown_grace;      /* seconds in-flight requests get on SIGTERM */
	bool metrics;            /* serve /metrics */
	/* coordinated disclosure (vd_case_config); NULL / 0: the defaults of
	 * vd_case_config_defaults for the database */
	const char *smtp_url;    /* "smtp://host:port": vendor notifications; NULL: mail not sent */
	const char *mail_from;   /* sender address */
	const char *attach_dir;  /* attachment store (outside any web root) */
	size_t attach_max;       /* bytes per attachment */
	int smtp_timeout;        /* seconds */
	size_t max_report_body;  /* body cap of POST /api/v1/reports (base64 attachments) */
	/* called once listening, with the actual port (e.g. to print it) */
	void (*ready)(void *ctx, const char *addr, unsigned port);
	void *ctx;
} vd_http_config;

/* The settings, as text (used by vd_http_config_help and `vulnd serve --help`). */
#define VD_HTTP_CONFIG_HELP \
	"Settings (vulnd.conf `key = value` lines, '#' comments; --config FILE):\n" \
	"  listen = ADDR:PORT           address to listen on (127.0.0.1:8080; port 0 = any free)\n" \
	"  database = PATH              database when neither --db nor VULND_DB is given\n" \
	"  threads = N                  worker threads, 1..256 (4)\n" \
	"  max_body = SIZE              request body cap, e.g. 1M, 512K (1M) → 413\n" \
	"  max_body_batch = SIZE        body cap of POST /v1/querybatch (4M)\n" \
	"  max_url = SIZE               request target cap (2048) → 414\n" \
	"  rate_limit = N               requests per second per client IP, 0 = off (100) → 429\n" \
	"  rate_burst = N               token bucket size (200)\n" \
	"  connection_limit = N         open connections in all (1000)\n" \
	"  per_ip_connection_limit = N  open connections per client IP (200)\n" \
	"  timeout = SECONDS            idle/slow connection timeout (30)\n" \
	"  cache_max_age = SECONDS      Cache-Control max-age of published data (300)\n" \
	"  gzip_level = 0..9            gzip when the client accepts it, 0 = never (5)\n" \
	"  record_cache = SIZE|off      published records kept in memory, all workers (64M)\n" \
	"  access_log = PATH|-|off      access log (common log format + seconds), - = stderr (-)\n" \
	"  osv_page_size = N            records per OSV query answer before next_page_token (1000)\n" \
	"  stats_cache_seconds = N      /api/v1/stats answer reused this long (60)\n" \
	"  shutdown_grace = SECONDS     time in-flight requests get on SIGTERM (10)\n" \
	"  metrics = on|off             serve /metrics (on)\n" \
	"  max_report_body = SIZE       body cap of POST /api/v1/reports (16M)\n" \
	"  smtp_url = URL               SMTP server for vendor notifications, smtp://HOST:PORT (none)\n" \
	"  mail_from = ADDRESS          sender of notifications (vulnd@localhost)\n" \
	"  smtp_timeout = SECONDS       SMTP timeout (10)\n" \
	"  attach_dir = PATH            attachment store, outside any web root (DATABASE.attachments)\n" \
	"  attach_max = SIZE            largest attachment (10M)\n"

/* The defaults (docs/config.md). */
void vd_http_config_init(vd_http_config *c);
/* One setting by its config-file name ("max_body", "rate_limit", ...):
 * VD_EINVAL with a message for an unknown key or a bad value.  String
 * values are copied into arena a (owned by the caller). */
int vd_http_config_set(vd_http_config *c, const char *key, const char *value, vd_arena *a);
/* Read a vulnd.conf file: "key = value" lines, '#' comments, blank lines.
 * VD_EINVAL names the file and line; VD_EIO when it can't be read. */
int vd_http_config_load(vd_http_config *c, const char *path, vd_arena *a);
/* Text describing every setting (static; for `vulnd serve --help`). */
const char *vd_http_config_help(void);

/* Serve until SIGINT or SIGTERM, then stop accepting, let in-flight
 * requests finish (up to shutdown_grace seconds) and return VD_OK.
 * VD_EINVAL for a bad listen address, VD_EIO when the port can't be bound,
 * the database can't be opened or the access log can't be written. */
int vd_http_serve(const vd_http_config *cfg);

/* ---- exposed for tests and the fuzz target ---- */
typedef struct { char *key, *val; } vd_http_kv;

/* The routing table: number of routes, and method + pattern of route i
 * (static strings; patterns as in the OpenAPI file, e.g. "/v1/vulns/{id}"). */
size_t vd_http_route_count(void);
void vd_http_route_info(size_t i, const char **method, const char **pattern);
/* The permission-table action name route i is checked against
 * ("record.read", "case.read" ...; static; NULL past the end). */
const char *vd_http_route_action(size_t i);
/* Match a method and a raw (still %-encoded) path: the route index (≥ 0)
 * with the decoded path parameters in params (arena strings); VD_ENOTFOUND
 * when no route has the path; VD_EPERM when routes have the path but not
 * the method (allow gets "GET, HEAD"-style text); VD_EINVAL for a bad
 * %-escape or a parameter that is not UTF-8. */
int vd_http_match(const char *method, const char *path, vd_arena *a, const char **params, size_t max_params,
                  char *allow, size_t allow_n);
/* Parse a query string (no '?'): '&'-separated key=value, '+' is a space,
 * %-escapes decoded; keys and values must be UTF-8 without NUL.  Up to max
 * pairs into out (arena strings); VD_ETOOBIG past max, VD_EINVAL when bad. */
int vd_http_query_parse(const char *qs, vd_arena *a, vd_http_kv *out, size_t max, size_t *n);
struct vd_service;
/* Credentials and headers of an in-process request (all may be NULL). */
typedef struct {
	const char *bearer;      /* Authorization: Bearer TOKEN */
	const char *session;     /* the vd_session cookie */
	const char *csrf;        /* X-CSRF-Token */
	const char *client;      /* client address (recorded with logins) */
} vd_http_cred;
/* Response headers of an in-process request beyond the body (strings
 * malloc'd, NULL when absent; free with vd_http_extra_free). */
typedef struct {
	char *content_type, *set_cookie, *disposition;
	int retry_after;         /* 0 when absent */
	bool no_store;           /* Cache-Control: no-store */
} vd_http_extra;
void vd_http_extra_free(vd_http_extra *x);
/* vd_http_handle with credentials (cred may be NULL: anonymous) and the
 * extra response headers (extra may be NULL). */
int vd_http_handle_ex(const vd_http_config *cfg, struct vd_service *service, const vd_http_cred *cred,
                      const char *method, const char *target, const char *body, size_t body_len, unsigned *status,
                      char **out, size_t *out_len, vd_http_extra *extra);
/* Handle one request in-process (no socket, no rate limit): target is the
 * raw request target ("/api/v1/vulns?limit=2"), as the anonymous
 * principal.  *status gets the HTTP status, *out the body (malloc'd, caller frees; may be NULL). */
int vd_http_handle(const vd_http_config *cfg, struct vd_service *service, const char *method, const char *target,
                   const char *body, size_t body_len, unsigned *status, char **out, size_t *out_len);

#endif
