/* Fuzz target: the HTTP router, query-string parsing and every handler's
 * request parsing, driven in-process (no socket) over an empty in-memory
 * database.  Input: "METHOD TARGET\n" then the request body.
 * Must never crash, hang or leak whatever the bytes. */
#include "vulnd/http.h"
#include "vulnd/service.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vd_service *svc;
static vd_http_config cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!svc) {
		if (vd_service_open(":memory:", true, &svc))
			abort();
		vd_http_config_init(&cfg);
		cfg.max_body = 1 << 16;
		cfg.max_body_batch = 1 << 16;
	}
	if (size > (1 << 16))
		return 0;
	const char *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - (const char *)data) : size;
	char *line = malloc(head + 1);
	if (!line)
		return 0;
	memcpy(line, data, head);
	line[head] = 0;
	char *sp = strchr(line, ' ');
	const char *method = "GET", *target = line;
	if (sp) {
		*sp = 0;
		method = line;
		target = sp + 1;
	}
	const char *body = nl ? (const char *)data + head + 1 : NULL;
	size_t blen = nl ? size - head - 1 : 0;

	/* the pieces on their own */
	vd_arena *a = vd_arena_new(0);
	const char *params[2];
	char allow[64];
	vd_http_kv kv[32];
	size_t n;
	const char *q = strchr(target, '?');
	char *path = strndup(target, q ? (size_t)(q - target) : strlen(target));
	if (a && path) {
		vd_http_match(method, path, a, params, 2, allow, sizeof allow);
		if (q)
			vd_http_query_parse(q + 1, a, kv, 32, &n);
	}
	free(path);
	vd_arena_free(a);

	/* and the whole request */
	unsigned status = 0;
	char *out = NULL;
	size_t out_n = 0;
	vd_http_handle(&cfg, svc, method, target, body, blen, &status, &out, &out_n);
	if (status < 200 || status > 599 || (out_n && !out))
		abort();
	free(out);
	free(line);
	return 0;
}
