/* HTTP server core: libmicrohttpd thread pool; per-request state (arena,
 * body with a cap); per-IP token-bucket rate limit; ETag/If-None-Match,
 * Cache-Control, gzip; access log; metrics; clean shutdown.
 *
 * Each worker takes a service handle (own database connection) from a
 * small pool for the duration of a handler call.  Requests are routed as
 * soon as the headers are in, so a refused request (404, 405, 413 by
 * Content-Length, 415, 429) is answered without reading its body.
 */
#include "http_int.h"
#include "vulnd/error.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define GZIP_MIN 1024            /* smaller bodies go uncompressed */
#define RL_SLOTS 4096            /* rate-limit table size (client IPs) */
#define RL_PROBE 8

/* ---- service pool ---- */
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

/* ---- rate limit: token bucket per client address ---- */
typedef struct {
	unsigned char addr[16];
	bool used;
	double tokens;
	int64_t last_ns;
} rl_slot;

typedef struct {
	rl_slot *slots;
	pthread_mutex_t mu;
	double rate, burst;
} rate_limiter;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* 0 when allowed, else seconds to wait. */
static int rl_take(rate_limiter *rl, const unsigned char addr[16])
{
	if (rl->rate <= 0 || !rl->slots)
		return 0;
	uint32_t h = (uint32_t)vd_hash64(addr, 16);
	int64_t t = now_ns();
	int wait = 0;
	pthread_mutex_lock(&rl->mu);
	rl_slot *slot = NULL, *oldest = NULL;
	for (int i = 0; i < RL_PROBE && !slot; i++) {
		rl_slot *s = &rl->slots[(h + (uint32_t)i) % RL_SLOTS];
		if (s->used && memcmp(s->addr, addr, 16) == 0)
			slot = s;
		else if (!oldest || !s->used || (oldest->used && s->last_ns < oldest->last_ns))
			oldest = s;
	}
	if (!slot) {           /* new client: take a free slot or the longest idle */
		slot = oldest;
		memcpy(slot->addr, addr, 16);
		slot->used = true;
		slot->tokens = rl->burst;
		slot->last_ns = t;
	}
	slot->tokens += (double)(t - slot->last_ns) / 1e9 * rl->rate;
	if (slot->tokens > rl->burst)
		slot->tokens = rl->burst;
	slot->last_ns = t;
	if (slot->tokens >= 1)
		slot->tokens -= 1;
	else
		wait = (int)((1 - slot->tokens) / rl->rate) + 1;
	pthread_mutex_unlock(&rl->mu);
	return wait;
}

/* ---- the test clock ----
 * VULND_NOW (a date or RFC 3339 time), as for the command line: the
 * server's clock, fixed for its lifetime.  For tests only (lockouts,
 * session expiry, deadlines); never set it in production. */
static int64_t fixed_now;
static int64_t fixed_clock(void *ctx)
{
	(void)ctx;
	return fixed_now;
}

/* ---- the server ---- */
typedef struct {
	vd_http_config cfg;
	svc_pool pool;
	rate_limiter rl;
	FILE *log;
	pthread_mutex_t log_mu;
	atomic_int inflight;
} server;

typedef struct {
	vd_http_req rq;
	char *uri;                 /* raw request target */
	char *method, *version;
	unsigned char addr[16];
	char ip[INET6_ADDRSTRLEN];
	int64_t t0;
	bool started, responded, too_big;
	vd_buf body;
	size_t cap;
	size_t bytes;              /* response body bytes */
} conn_req;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	server *sv = cls;
	conn_req *cr = calloc(1, sizeof *cr);
	if (!cr)
		return NULL;
	cr->t0 = now_ns();
	vd_http_req_init(&cr->rq, &sv->cfg);
	size_t n = strnlen(uri, 65536);
	cr->uri = cr->rq.arena ? vd_arena_strndup(cr->rq.arena, uri, n) : NULL;
	vd_buf_init(&cr->body, sv->cfg.max_body_batch > sv->cfg.max_body ? sv->cfg.max_body_batch : sv->cfg.max_body);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		memcpy(cr->addr, &in->sin_addr, 4);
		inet_ntop(AF_INET, &in->sin_addr, cr->ip, sizeof cr->ip);
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		memcpy(cr->addr, &in6->sin6_addr, 16);
		inet_ntop(AF_INET6, &in6->sin6_addr, cr->ip, sizeof cr->ip);
	} else {
		vd_strlcpy(cr->ip, "-", sizeof cr->ip);
	}
	atomic_fetch_add(&sv->inflight, 1);
	return cr;
}

/* Does If-None-Match (a list of tags, or *) name etag?  Weak comparison. */
static bool etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return false;
	size_t el = strlen(etag);
	for (const char *p = inm; *p;) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return true;
		if (!strncmp(p, "W/", 2))
			p += 2;
		size_t l = strcspn(p, ",");
		while (l && (p[l - 1] == ' ' || p[l - 1] == '\t'))
			l--;
		if (l == el && !memcmp(p, etag, el))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

static bool accepts_gzip(const char *ae)
{
	if (!ae)
		return false;
	const char *g = strcasestr(ae, "gzip");
	if (!g)
		return false;
	const char *q = g + 4;
	q += strspn(q, " ");
	if (*q != ';')
		return true;
	q++;
	q += strspn(q, " ");
	if (strncmp(q, "q=", 2))
		return true;
	return strtod(q + 2, NULL) > 0;
}

/* gzip src into a malloc'd buffer; NULL when it fails or doesn't shrink. */
static char *gzip(const char *src, size_t n, int level, size_t *out_n)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, (uLong)n);
	char *out = malloc(cap);
	if (!out) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_n = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END || *out_n >= n) {
		free(out);
		return NULL;
	}
	return out;
}

static enum MHD_Result respond(server *sv, struct MHD_Connection *c, conn_req *cr)
{
	vd_http_req *rq = &cr->rq;
	const vd_http_route *rt = rq->route >= 0 ? &vd_http_routes[rq->route] : NULL;
	bool cacheable = rt && (rt->flags & VD_ROUTE_CACHE) && rq->status == 200 && !rq->no_cache &&
	                 (!strcmp(cr->method, "GET") || !strcmp(cr->method, "HEAD"));
	if (rq->status == 0)
		vd_http_error(rq, 500, "internal", "handler gave no answer");
	if (cacheable && !rq->etag[0])
		snprintf(rq->etag, sizeof rq->etag, "\"%016llx\"", (unsigned long long)vd_hash64(rq->out.data ? rq->out.data : "",
		                                                                           rq->out.len));
	bool not_modified = cacheable &&
	                    etag_matches(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH),
	                                 rq->etag);
	struct MHD_Response *r;
	const char *encoding = NULL;
	if (not_modified) {
		rq->status = 304;
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		cr->bytes = 0;
	} else {
		size_t n = rq->out.len, gz_n = 0;
		char *gz = NULL;
		if (sv->cfg.gzip_level > 0 && n >= GZIP_MIN &&
		    accepts_gzip(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING)))
			gz = gzip(rq->out.data, n, sv->cfg.gzip_level, &gz_n);
		if (gz) {
			encoding = "gzip";
			cr->bytes = gz_n;
			r = MHD_create_response_from_buffer(gz_n, gz, MHD_RESPMEM_MUST_FREE);
			if (!r)
				free(gz);
		} else {
			char *body = n ? vd_buf_detach(&rq->out) : NULL;
			cr->bytes = n;
			r = MHD_create_response_from_buffer(n, body, body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
			if (!r)
				free(body);
		}
	}
	if (!r)
		return MHD_NO;
	if (!not_modified)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        rq->ctype ? rq->ctype : "application/json; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (encoding)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, encoding);
	if (cacheable) {
		char cc[64];
		snprintf(cc, sizeof cc, "public, max-age=%d", sv->cfg.cache_max_age);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, rq->etag);
		MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	} else {
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	}
	if (rq->allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rq->allow);
	if (rq->set_cookie)
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rq->set_cookie);
	if (rq->disposition)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, rq->disposition);
	if (rq->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", rq->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	enum MHD_Result ret = MHD_queue_response(c, rq->status, r);
	MHD_destroy_response(r);
	cr->responded = true;
	return ret;
}

static bool json_ctype(const char *ct)
{
	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, "application/json", 16))
		return false;
	return ct[16] == 0 || ct[16] == ';' || ct[16] == ' ';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)url;
	server *sv = cls;
	conn_req *cr = *state;
	if (!cr || !cr->rq.arena || !cr->uri)
		return MHD_NO;      /* out of memory: drop the connection */
	vd_http_req *rq = &cr->rq;
	if (cr->responded) {    /* answered early: ignore the rest of the body */
		*upload_size = 0;
		return MHD_YES;
	}
	if (!cr->started) {
		cr->started = true;
		cr->method = vd_arena_strdup(rq->arena, method);
		cr->version = vd_arena_strdup(rq->arena, version);
		if (!vd_http_prepare(rq, cr->method, cr->uri))
			return respond(sv, c, cr);
		const vd_http_route *rt = &vd_http_routes[rq->route];
		int wait = (rt->flags & VD_ROUTE_NOLIMIT) ? 0 : rl_take(&sv->rl, cr->addr);
		if (wait) {
			rq->retry_after = wait;
			vd_http_error(rq, 429, "too_many_requests", "rate limit of %g requests per second exceeded; "
			              "retry after %d s", sv->cfg.rate_limit, wait);
			return respond(sv, c, cr);
		}
		cr->cap = vd_http_body_cap(&sv->cfg, rq->route);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		long long len = cl ? strtoll(cl, NULL, 10) : 0;
		if (len < 0 || (unsigned long long)len > cr->cap) {
			vd_http_error(rq, 413, "payload_too_large", "request body over %zu bytes", cr->cap);
			return respond(sv, c, cr);
		}
		bool has_body = len > 0 ||
		                MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
		if (((rt->flags & VD_ROUTE_BODY) || ((rt->flags & VD_ROUTE_OPTBODY) && has_body)) &&
		    !json_ctype(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE))) {
			vd_http_error(rq, 415, "unsupported_media_type", "send the body as Content-Type: application/json");
			return respond(sv, c, cr);
		}
		/* credentials: copied, used once by vd_http_dispatch, never logged */
		const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
		if (auth) {
			if (!strncasecmp(auth, "Bearer ", 7))
				auth += 7;
			rq->bearer = vd_arena_strndup(rq->arena, auth, strnlen(auth, 512));
		}
		const char *sid = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "vd_session");
		if (sid && *sid)
			rq->session = vd_arena_strndup(rq->arena, sid, strnlen(sid, 512));
		const char *csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (csrf)
			rq->csrf = vd_arena_strndup(rq->arena, csrf, strnlen(csrf, 512));
		rq->client = cr->ip;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cr->too_big && (cr->body.len + *upload_size > cr->cap ||
		                     vd_buf_add(&cr->body, upload, *upload_size))) {
			cr->too_big = true;
			vd_buf_free(&cr->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (cr->too_big) {
		vd_http_error(rq, 413, "payload_too_large", "request body over %zu bytes", cr->cap);
		return respond(sv, c, cr);
	}
	rq->body = cr->body.len ? cr->body.data : NULL;
	rq->body_len = cr->body.len;
	vd_service *s = pool_get(&sv->pool);
	vd_http_dispatch(rq, s);
	pool_put(&sv->pool, s);
	return respond(sv, c, cr);
}

/* Access log: common log format, then the seconds taken. */
static void log_line(server *sv, conn_req *cr, unsigned status, double secs)
{
	char when[64], target[512];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
	size_t o = 0;
	/* routes that take secrets: the query string is left out */
	bool secret = cr->rq.route >= 0 && (vd_http_routes[cr->rq.route].flags & VD_ROUTE_SECRET);
	for (const char *p = cr->uri ? cr->uri : "-"; *p && o + 5 < sizeof target && !(secret && *p == '?'); p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch < 0x20 || ch == '"' || ch == '\\' || ch >= 0x7f)
			o += (size_t)snprintf(target + o, sizeof target - o, "\\x%02x", ch);
		else
			target[o++] = (char)ch;
	}
	target[o] = 0;
	pthread_mutex_lock(&sv->log_mu);
	fprintf(sv->log, "%s - - [%s] \"%s %s %s\" %u %zu %.6f\n", cr->ip, when, cr->method ? cr->method : "-",
	        target, cr->version ? cr->version : "-", status, cr->bytes, secs);
	fflush(sv->log);
	pthread_mutex_unlock(&sv->log_mu);
}

static void on_done(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	server *sv = cls;
	conn_req *cr = *state;
	if (!cr)
		return;
	double secs = (double)(now_ns() - cr->t0) / 1e9;
	unsigned status = cr->responded ? cr->rq.status : 0;
	if (cr->started)
		vd_http_metrics_record(cr->rq.route, status, secs);
	if (sv->log && cr->started)
		log_line(sv, cr, status, secs);
	vd_buf_free(&cr->body);
	vd_http_req_free(&cr->rq);
	free(cr);
	*state = NULL;
	atomic_fetch_sub(&sv->inflight, 1);
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

int vd_http_serve(const vd_http_config *cfg_in)
{
	server *sv = calloc(1, sizeof *sv);
	if (!sv)
		return vd_error_set(VD_ENOMEM, "out of memory");
	sv->cfg = *cfg_in;
	vd_http_config *cfg = &sv->cfg;
	if (cfg->threads <= 0)
		cfg->threads = 4;
	if (!cfg->max_body)
		cfg->max_body = 1u << 20;
	if (!cfg->max_body_batch)
		cfg->max_body_batch = 4u << 20;
	if (!cfg->max_url)
		cfg->max_url = 2048;
	if (!cfg->timeout)
		cfg->timeout = 30;
	if (!cfg->connection_limit)
		cfg->connection_limit = 1000;
	if (!cfg->per_ip_connection_limit)
		cfg->per_ip_connection_limit = 200;
	if (!cfg->osv_page_size)
		cfg->osv_page_size = 1000;
	struct sockaddr_in sa;
	int rc = parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:8080", &sa);
	int threads = cfg->threads;
	svc_pool *pool = &sv->pool;
	pthread_mutex_init(&pool->mu, NULL);
	pthread_cond_init(&pool->cv, NULL);
	pthread_mutex_init(&sv->log_mu, NULL);
	pthread_mutex_init(&sv->rl.mu, NULL);
	sv->rl.rate = cfg->rate_limit;
	sv->rl.burst = cfg->rate_burst >= 1 ? cfg->rate_burst : 1;
	if (!rc && cfg->rate_limit > 0 && !(sv->rl.slots = calloc(RL_SLOTS, sizeof *sv->rl.slots)))
		rc = vd_error_set(VD_ENOMEM, "out of memory");
	pool->n = threads;
	pool->svcs = calloc((size_t)threads, sizeof *pool->svcs);
	pool->busy = calloc((size_t)threads, sizeof *pool->busy);
	if (!rc && (!pool->svcs || !pool->busy))
		rc = vd_error_set(VD_ENOMEM, "out of memory");
	const char *now = getenv("VULND_NOW");
	if (!rc && now && *now && vd_time_parse(now, &fixed_now) != VD_OK)
		rc = vd_error_set(VD_EINVAL, "VULND_NOW: '%.40s' is not a date or RFC 3339 time", now);
	vd_case_config ccfg;
	vd_case_config_defaults(&ccfg, cfg->db);
	if (cfg->smtp_url)
		vd_strlcpy(ccfg.smtp_url, cfg->smtp_url, sizeof ccfg.smtp_url);
	if (cfg->mail_from)
		vd_strlcpy(ccfg.mail_from, cfg->mail_from, sizeof ccfg.mail_from);
	if (cfg->attach_dir)
		vd_strlcpy(ccfg.attach_dir, cfg->attach_dir, sizeof ccfg.attach_dir);
	if (cfg->attach_max)
		ccfg.attach_max = cfg->attach_max;
	if (cfg->smtp_timeout)
		ccfg.smtp_timeout_s = cfg->smtp_timeout;
	for (int i = 0; i < threads && !rc; i++) {
		rc = vd_service_open(cfg->db, false, &pool->svcs[i]);
		if (!rc) {
			vd_service_case_configure(pool->svcs[i], &ccfg);
			rc = vd_service_set_cache(pool->svcs[i], cfg->record_cache / (size_t)threads);
			if (now && *now)
				vd_service_set_clock(pool->svcs[i], fixed_clock, NULL);
		}
	}
	if (!rc && cfg->access_log) {
		if (!strcmp(cfg->access_log, "-"))
			sv->log = stderr;
		else if (!(sv->log = fopen(cfg->access_log, "a")))
			rc = vd_error_set(VD_EIO, "access_log %s: cannot open for appending", cfg->access_log);
	}
	vd_http_metrics_init(vd_http_n_routes);

	/* block the stop signals in every thread; the main thread waits for them */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	struct MHD_Daemon *d = NULL;
	if (!rc) {
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
		                     0, NULL, NULL, on_request, sv,
		                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		                     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		                     MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
		                     MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit,
		                     MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connection_limit,
		                     /* headers + request line; MHD clears it per request, so keep it small */
		                     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(cfg->max_url + 14 * 1024),
		                     MHD_OPTION_URI_LOG_CALLBACK, on_uri, sv,
		                     MHD_OPTION_NOTIFY_COMPLETED, on_done, sv,
		                     MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
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
		/* stop accepting; let in-flight requests finish */
		MHD_socket lfd = MHD_quiesce_daemon(d);
		if (lfd != MHD_INVALID_SOCKET)
			close(lfd);
		int64_t until = now_ns() + (int64_t)cfg->shutdown_grace * 1000000000;
		while (atomic_load(&sv->inflight) > 0 && now_ns() < until)
			usleep(10000);
		MHD_stop_daemon(d);
	}
	for (int i = 0; pool->svcs && i < threads; i++)
		vd_service_close(pool->svcs[i]);
	if (sv->log && sv->log != stderr)
		fclose(sv->log);
	free(pool->svcs);
	free(pool->busy);
	free(sv->rl.slots);
	pthread_mutex_destroy(&pool->mu);
	pthread_cond_destroy(&pool->cv);
	pthread_mutex_destroy(&sv->log_mu);
	pthread_mutex_destroy(&sv->rl.mu);
	free(sv);
	return rc;
}
