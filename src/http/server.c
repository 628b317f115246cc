/* HTTP server: libmicrohttpd thread pool, a routing table, JSON errors.
 * Each worker takes a service handle (own database connection) from a
 * small pool for the duration of a request. */
#include "vulnd/http.h"
#include "vulnd/service.h"
#include "vulnd/error.h"
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_URL 2048

typedef struct {
	vd_service **svcs;
	bool *busy;
	int n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} svc_pool;

static vd_service *pool_get(svc_pool *p)
{
	pthread_mutex_lock(&p->mu);
	for (;;) {
		for (int i = 0; i < p->n; i++)
			if (!p->busy[i]) {
				p->busy[i] = true;
				pthread_mutex_unlock(&p->mu);
				return p->svcs[i];
			}
		pthread_cond_wait(&p->cv, &p->mu);
	}
}

static void pool_put(svc_pool *p, vd_service *s)
{
	pthread_mutex_lock(&p->mu);
	for (int i = 0; i < p->n; i++)
		if (p->svcs[i] == s)
			p->busy[i] = false;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* ---- responses ---- */
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(10));
	json_decref(body);
	if (!s)
		return MHD_NO;
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *code,
                                  const char *msg)
{
	return send_json(c, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
}

/* ---- handlers: (connection, service, path parameter) ---- */
typedef enum MHD_Result (*handler_fn)(struct MHD_Connection *c, vd_service *s, const char *param);

static enum MHD_Result h_healthz(struct MHD_Connection *c, vd_service *s, const char *param)
{
	(void)param;
	if (vd_service_ping(s))
		return send_error(c, 503, "unavailable", vd_error_msg());
	return send_json(c, 200, json_pack("{s:s}", "status", "ok"));
}

static enum MHD_Result h_vuln(struct MHD_Connection *c, vd_service *s, const char *id)
{
	vd_record *r = NULL;
	int rc = vd_service_get(s, VD_VIEW_PUBLIC, id, &r);
	if (rc == VD_ENOTFOUND) {
		char msg[400];
		snprintf(msg, sizeof msg, "no published record %.300s", id);
		return send_error(c, 404, "not_found", msg);
	}
	if (rc == VD_EINVAL)
		return send_error(c, 400, "bad_request", vd_error_msg());
	if (rc)
		return send_error(c, 500, "internal", "storage error");
	json_t *o = vd_record_to_jansson(r);
	vd_record_free(r);
	return o ? send_json(c, 200, o) : MHD_NO;
}

/* The routing table: method, path prefix, whether the rest is a parameter. */
static const struct route {
	const char *method, *path;
	bool param;
	handler_fn fn;
} routes[] = {
	{"GET", "/healthz", false, h_healthz},
	{"GET", "/api/v1/vulns/", true, h_vuln},
	{NULL, NULL, false, NULL},
};

static enum MHD_Result dispatch(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)version; (void)upload;
	svc_pool *pool = cls;
	if (!*state) {          /* first call: headers only */
		*state = (void *)1;
		return MHD_YES;
	}
	if (*upload_size) {     /* no route takes a body yet: drain and refuse */
		*upload_size = 0;
		return MHD_YES;
	}
	if (strlen(url) > MAX_URL)
		return send_error(c, 414, "uri_too_long", "request path longer than 2048 bytes");
	bool path_matched = false;
	for (const struct route *rt = routes; rt->path; rt++) {
		size_t n = strlen(rt->path);
		bool match = rt->param ? strncmp(url, rt->path, n) == 0 && url[n] && !strchr(url + n, '/')
		                       : strcmp(url, rt->path) == 0;
		if (!match)
			continue;
		path_matched = true;
		if (strcmp(method, rt->method) != 0 && !(strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
			continue;
		vd_service *s = pool_get(pool);
		enum MHD_Result r = rt->fn(c, s, rt->param ? url + n : NULL);
		pool_put(pool, s);
		return r;
	}
	if (path_matched)
		return send_error(c, 405, "method_not_allowed", "method not allowed on this path");
	return send_error(c, 404, "not_found", "no such endpoint");
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof host)
		return vd_error_set(VD_EINVAL, "--listen '%s': expected ADDR:PORT (e.g. 127.0.0.1:8080)", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	long port;
	if (vd_parse_long(colon + 1, 0, 65535, &port))
		return vd_error_set(VD_EINVAL, "--listen '%s': port must be 0..65535", s);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host[0] ? host : "127.0.0.1", &sa->sin_addr) != 1)
		return vd_error_set(VD_EINVAL, "--listen '%s': '%s' is not an IPv4 address", s, host);
	return VD_OK;
}

int vd_http_serve(const vd_http_config *cfg)
{
	struct sockaddr_in sa;
	int rc = parse_listen(cfg->listen, &sa);
	if (rc)
		return rc;
	int threads = cfg->threads > 0 ? cfg->threads : 4;
	svc_pool pool = {.n = threads};
	pool.svcs = calloc((size_t)threads, sizeof *pool.svcs);
	pool.busy = calloc((size_t)threads, sizeof *pool.busy);
	if (!pool.svcs || !pool.busy) {
		free(pool.svcs);
		free(pool.busy);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&pool.mu, NULL);
	pthread_cond_init(&pool.cv, NULL);
	for (int i = 0; i < threads && !rc; i++)
		rc = vd_service_open(cfg->db, false, &pool.svcs[i]);

	/* block the stop signals in every thread; the main thread waits for them */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	struct MHD_Daemon *d = NULL;
	if (!rc) {
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
		                     0, NULL, NULL, dispatch, &pool,
		                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		                     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		                     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		                     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
		                     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)200,
		                     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		                     MHD_OPTION_END);
		if (!d)
			rc = vd_error_set(VD_EIO, "cannot listen on %s (address in use or not permitted)", cfg->listen);
	}
	if (!rc) {
		const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		char addr[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
		if (cfg->ready)
			cfg->ready(cfg->ctx, addr, info ? info->port : ntohs(sa.sin_port));
		int sig;
		sigwait(&set, &sig);
		MHD_stop_daemon(d);
	}
	for (int i = 0; i < threads; i++)
		vd_service_close(pool.svcs[i]);
	free(pool.svcs);
	free(pool.busy);
	pthread_mutex_destroy(&pool.mu);
	pthread_cond_destroy(&pool.cv);
	return rc;
}
