/* Request metrics: counts by route and status, a latency histogram per
 * route; rendered as Prometheus text (exposition format 0.0.4). */
#include "http_int.h"
#include <stdatomic.h>
#include <stdio.h>

#define MAX_ROUTES 96            /* routes + 1 for "no route" */
static const unsigned statuses[] = {200, 201, 304, 400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422, 429,
                                    500, 501, 503};
#define N_STATUS (sizeof statuses / sizeof statuses[0] + 1)   /* + "other" */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define N_BUCKETS (sizeof buckets / sizeof buckets[0])

static _Atomic uint64_t counts[MAX_ROUTES][N_STATUS];
static _Atomic uint64_t hist[MAX_ROUTES][N_BUCKETS + 1];
static _Atomic uint64_t sum_us[MAX_ROUTES];
static size_t n_routes;

void vd_http_metrics_init(size_t n)
{
	n_routes = n + 1 < MAX_ROUTES ? n : MAX_ROUTES - 1;
}

void vd_http_metrics_record(int route, unsigned status, double seconds)
{
	size_t r = route >= 0 && (size_t)route < n_routes ? (size_t)route : n_routes;
	size_t si = N_STATUS - 1;
	for (size_t i = 0; i < N_STATUS - 1; i++)
		if (statuses[i] == status)
			si = i;
	atomic_fetch_add_explicit(&counts[r][si], 1, memory_order_relaxed);
	size_t b = 0;
	while (b < N_BUCKETS && seconds > buckets[b])
		b++;
	atomic_fetch_add_explicit(&hist[r][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_us[r], (uint64_t)(seconds * 1e6), memory_order_relaxed);
}

static const char *route_name(size_t r)
{
	return r < n_routes && r < vd_http_n_routes ? vd_http_routes[r].pattern : "none";
}

int vd_http_metrics_render(vd_buf *b)
{
	int rc = vd_buf_adds(b, "# HELP vulnd_http_requests_total HTTP requests by route and status.\n"
	                        "# TYPE vulnd_http_requests_total counter\n");
	for (size_t r = 0; r <= n_routes && !rc; r++)
		for (size_t s = 0; s < N_STATUS && !rc; s++) {
			uint64_t n = atomic_load_explicit(&counts[r][s], memory_order_relaxed);
			if (!n)
				continue;
			if (s < N_STATUS - 1)
				rc = vd_buf_printf(b, "vulnd_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
				                   route_name(r), statuses[s], (unsigned long long)n);
			else
				rc = vd_buf_printf(b, "vulnd_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
				                   route_name(r), (unsigned long long)n);
		}
	rc = rc ? rc : vd_buf_adds(b, "# HELP vulnd_http_request_duration_seconds Time from request line to "
	                              "response end.\n# TYPE vulnd_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= n_routes && !rc; r++) {
		uint64_t total = 0;
		for (size_t k = 0; k <= N_BUCKETS; k++)
			total += atomic_load_explicit(&hist[r][k], memory_order_relaxed);
		if (!total)
			continue;
		uint64_t cum = 0;
		for (size_t k = 0; k <= N_BUCKETS && !rc; k++) {
			cum += atomic_load_explicit(&hist[r][k], memory_order_relaxed);
			if (k < N_BUCKETS)
				rc = vd_buf_printf(b, "vulnd_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
				                   route_name(r), buckets[k], (unsigned long long)cum);
			else
				rc = vd_buf_printf(b, "vulnd_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
				                   route_name(r), (unsigned long long)cum);
		}
		rc = rc ? rc : vd_buf_printf(b, "vulnd_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
		                                "vulnd_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
		                             route_name(r), (double)atomic_load(&sum_us[r]) / 1e6, route_name(r),
		                             (unsigned long long)cum);
	}
	return rc;
}
