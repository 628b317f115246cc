/* vulnd/http.h — the HTTP server (libmicrohttpd).  Handlers are thin:
 * parse the request → one service call → render JSON. */
#ifndef VULND_HTTP_H
#define VULND_HTTP_H

typedef struct {
	const char *db;          /* database location, opened once per worker */
	const char *listen;      /* "127.0.0.1:8080"; port 0 picks a free port */
	int threads;             /* worker threads (≥ 1) */
	/* called once listening, with the actual port (e.g. to print it) */
	void (*ready)(void *ctx, const char *addr, unsigned port);
	void *ctx;
} vd_http_config;

/* Serve until SIGINT or SIGTERM.  VD_EINVAL for a bad listen address,
 * VD_EIO when the port can't be bound or the database can't be opened. */
int vd_http_serve(const vd_http_config *cfg);

#endif
