/* HTTP layer without a socket: the router, query parsing, the routing
 * table against docs/api/openapi.yaml (both ways), config files, the
 * simple version order, and every handler through vd_http_handle() over an
 * in-memory database imported from ../shared/data. */
#include "harness.h"
#include "vulnd/error.h"
#include "vulnd/http.h"
#include "vulnd/service.h"
#include <jansson.h>
#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

extern const unsigned char vd_openapi_yaml[];
extern const unsigned long vd_openapi_yaml_len;

/* ---- router and query strings ---- */

static void t_router(void)
{
	vd_arena *a = vd_arena_new(0);
	const char *p[2] = {0};
	char allow[64];
	const char *m, *pat;
	int r = vd_http_match("GET", "/api/v1/vulns/CVE-2021-44228", a, p, 2, allow, sizeof allow);
	REQUIRE(r >= 0);
	vd_http_route_info((size_t)r, &m, &pat);
	CHECK_STR(pat, "/api/v1/vulns/{id}");
	CHECK_STR(p[0], "CVE-2021-44228");
	r = vd_http_match("HEAD", "/api/v1/vulns/a%2Fb%20c", a, p, 2, allow, sizeof allow);
	CHECK(r >= 0);
	CHECK_STR(p[0], "a/b c");
	r = vd_http_match("POST", "/api/v1/vulns/batch", a, p, 2, allow, sizeof allow);
	vd_http_route_info((size_t)r, &m, &pat);
	CHECK_STR(pat, "/api/v1/vulns/batch");
	r = vd_http_match("GET", "/api/v1/vendors/Red%20Hat/products", a, p, 2, allow, sizeof allow);
	CHECK(r >= 0);
	CHECK_STR(p[0], "Red Hat");
	CHECK_INT(vd_http_match("GET", "/api/v1/vulns/", a, p, 2, allow, sizeof allow), VD_ENOTFOUND);
	CHECK_INT(vd_http_match("GET", "/api/v1/vulns/x/y", a, p, 2, allow, sizeof allow), VD_ENOTFOUND);
	CHECK_INT(vd_http_match("GET", "", a, p, 2, allow, sizeof allow), VD_ENOTFOUND);
	CHECK_INT(vd_http_match("GET", "//", a, p, 2, allow, sizeof allow), VD_ENOTFOUND);
	CHECK_INT(vd_http_match("DELETE", "/v1/query", a, p, 2, allow, sizeof allow), VD_EPERM);
	CHECK_STR(allow, "POST");
	CHECK_INT(vd_http_match("PUT", "/api/v1/vulns/batch", a, p, 2, allow, sizeof allow), VD_EPERM);
	CHECK_STR(allow, "POST, GET, HEAD");
	CHECK_INT(vd_http_match("GET", "/api/v1/vulns/%00", a, p, 2, allow, sizeof allow), VD_EINVAL);
	CHECK_INT(vd_http_match("GET", "/api/v1/vulns/%zz", a, p, 2, allow, sizeof allow), VD_EINVAL);
	CHECK_INT(vd_http_match("GET", "/api/v1/vulns/%c3%28", a, p, 2, allow, sizeof allow), VD_EINVAL);
	CHECK_INT(vd_http_match("GET", "/api/v1/vulns/%4", a, p, 2, allow, sizeof allow), VD_EINVAL);
	vd_arena_free(a);
}

static void t_query(void)
{
	vd_arena *a = vd_arena_new(0);
	vd_http_kv kv[40];
	size_t n;
	REQUIRE(vd_http_query_parse("a=1&b=x+y&&c=%E4%B8%AD&d", a, kv, 32, &n) == VD_OK);
	CHECK_INT(n, 4);
	CHECK_STR(kv[0].key, "a");
	CHECK_STR(kv[0].val, "1");
	CHECK_STR(kv[1].val, "x y");
	CHECK_STR(kv[2].val, "中");
	CHECK_STR(kv[3].key, "d");
	CHECK_STR(kv[3].val, "");
	CHECK_INT(vd_http_query_parse("a=%zz", a, kv, 32, &n), VD_EINVAL);
	CHECK_INT(vd_http_query_parse("a=%00", a, kv, 32, &n), VD_EINVAL);
	CHECK_INT(vd_http_query_parse("=v", a, kv, 32, &n), VD_EINVAL);
	CHECK_INT(vd_http_query_parse("a=%ff", a, kv, 32, &n), VD_EINVAL);
	char many[200];
	for (int i = 0; i < 33; i++)
		memcpy(many + 4 * i, "k=1&", 5);
	CHECK_INT(vd_http_query_parse(many, a, kv, 32, &n), VD_ETOOBIG);
	CHECK_INT(vd_http_query_parse("", a, kv, 32, &n), VD_OK);
	CHECK_INT(n, 0);
	vd_arena_free(a);
}

/* ---- OpenAPI ↔ routing table ---- */

/* Does the YAML have `path:` under paths with a `method:` below it? */
static bool yaml_has(const char *y, const char *path, const char *method)
{
	char key[300], mk[32];
	snprintf(key, sizeof key, "\n  %s:\n", path);
	const char *p = strstr(y, key);
	if (!p)
		return false;
	p += strlen(key);
	snprintf(mk, sizeof mk, "    %s:", method);
	/* methods are the 4-space keys until the next 2-space key */
	while (*p && !(p[0] == ' ' && p[1] == ' ' && p[2] != ' ') && *p != '\n') {
		if (!strncmp(p, mk, strlen(mk)))
			return true;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return false;
}

static void t_openapi_matches_routes(void)
{
	char *y = strndup((const char *)vd_openapi_yaml, vd_openapi_yaml_len);
	REQUIRE(y && strstr(y, "openapi: 3."));
	/* every route is documented */
	for (size_t i = 0; i < vd_http_route_count(); i++) {
		const char *m, *pat;
		char lm[16];
		vd_http_route_info(i, &m, &pat);
		size_t k;
		for (k = 0; m[k] && k < sizeof lm - 1; k++)
			lm[k] = (char)(m[k] | 0x20);
		lm[k] = 0;
		if (!yaml_has(y, pat, lm)) {
			fprintf(stderr, "  route %s %s is not in docs/api/openapi.yaml\n", m, pat);
			CHECK(false);
		}
	}
	/* every documented path+method is a route */
	const char *p = strstr(y, "\npaths:\n");
	REQUIRE(p);
	const char *end = strstr(p, "\ncomponents:");
	int documented = 0;
	for (p = strchr(p + 1, '\n'); p && (!end || p < end); p = strchr(p + 1, '\n')) {
		if (strncmp(p, "\n  /", 4))
			continue;
		char path[300];
		size_t l = strcspn(p + 3, ":\n");
		snprintf(path, sizeof path, "%.*s", (int)l, p + 3);
		static const char *const methods[] = {"get", "post", "put", "delete", "patch", NULL};
		for (int k = 0; methods[k]; k++) {
			if (!yaml_has(y, path, methods[k]))
				continue;
			documented++;
			bool found = false;
			for (size_t i = 0; i < vd_http_route_count(); i++) {
				const char *m, *pat;
				vd_http_route_info(i, &m, &pat);
				found |= !strcmp(pat, path) && !strcasecmp(m, methods[k]);
			}
			if (!found) {
				fprintf(stderr, "  %s %s is in openapi.yaml but not in the routing table\n", methods[k], path);
				CHECK(false);
			}
		}
	}
	CHECK_INT(documented, (long long)vd_http_route_count());
	/* the embedded copy is the file in docs/ (when run from the repository) */
	char *file = NULL;
	size_t len = 0;
	if (vd_file_read("docs/api/openapi.yaml", 1 << 20, &file, &len) == VD_OK) {
		CHECK_INT(len, vd_openapi_yaml_len);
		CHECK(memcmp(file, y, len) == 0);
		free(file);
	}
	free(y);
}

/* ---- every route names an action of the permission table ---- */

static void t_route_actions(void)
{
	for (size_t i = 0; i < vd_http_route_count(); i++) {
		const char *m, *pat, *act = vd_http_route_action(i);
		vd_http_route_info(i, &m, &pat);
		vd_action a;
		if (!act || vd_action_parse(act, &a) != VD_OK) {
			fprintf(stderr, "  route %s %s names no known action ('%s')\n", m, pat, act ? act : "(none)");
			CHECK(false);
			continue;
		}
		/* writes need a write-scoped action, except the public login */
		bool write = strcmp(m, "GET") != 0;
		if (write && vd_action_scope(a) == VD_SCOPE_READ && strcmp(pat, "/api/v1/login") != 0 &&
		    strcmp(act, "record.read") != 0 && strcmp(act, "case.read") != 0 && strcmp(act, "me") != 0) {
			fprintf(stderr, "  route %s %s: write with read-scoped action %s\n", m, pat, act);
			CHECK(false);
		}
	}
	CHECK(vd_http_route_action(vd_http_route_count()) == NULL);
}

/* ---- config ---- */

static void t_config(void)
{
	vd_http_config c;
	vd_http_config_init(&c);
	CHECK_INT(c.max_body, 1 << 20);
	CHECK_INT(c.max_body_batch, 4 << 20);
	vd_arena *a = vd_arena_new(0);
	char path[] = "/tmp/vd-conf-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	const char *text = "# comment\nlisten = 127.0.0.1:9999\n\nmax_body = 64K  # trailing\n"
	                   "rate_limit = 0\naccess_log = off\nmetrics = off\ngzip_level=9\n";
	REQUIRE(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	CHECK_INT(vd_http_config_load(&c, path, a), VD_OK);
	CHECK_STR(c.listen, "127.0.0.1:9999");
	CHECK_INT(c.max_body, 64 * 1024);
	CHECK(c.rate_limit == 0);
	CHECK(c.access_log == NULL);
	CHECK(!c.metrics);
	CHECK_INT(c.gzip_level, 9);
	fd = open(path, O_WRONLY | O_TRUNC);
	REQUIRE(fd >= 0);
	text = "threads = 2\nbogus = 1\n";
	REQUIRE(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	CHECK_INT(vd_http_config_load(&c, path, a), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), ":2:") && strstr(vd_error_msg(), "bogus"));
	CHECK_INT(vd_http_config_set(&c, "max_body", "lots", a), VD_EINVAL);
	CHECK_INT(vd_http_config_set(&c, "threads", "0", a), VD_EINVAL);
	CHECK_INT(vd_http_config_set(&c, "max_body_batch", "4M", a), VD_OK);
	CHECK_INT(c.max_body_batch, 4 << 20);
	CHECK_INT(vd_http_config_load(&c, "/nonexistent/vulnd.conf", a), VD_EIO);
	unlink(path);
	vd_arena_free(a);
}

static void t_version_order(void)
{
	CHECK_INT(vd_service_version_cmp("1.0.0", "1.0.0"), 0);
	CHECK_INT(vd_service_version_cmp("1.2", "1.10"), -1);
	CHECK_INT(vd_service_version_cmp("v1.2.3", "1.2.3"), 0);
	CHECK_INT(vd_service_version_cmp("1.0.0-rc95", "1.0.0"), -1);
	CHECK_INT(vd_service_version_cmp("1.0.0-alpha", "1.0.0-beta"), -1);
	CHECK_INT(vd_service_version_cmp("1.0.0-2", "1.0.0-10"), -1);
	CHECK_INT(vd_service_version_cmp("1.0.1-0.20211012131345-9c444070ec7b", "1.0.1"), -1);
	CHECK_INT(vd_service_version_cmp("1.0.1-0.20211012131345-9c444070ec7b", "1.0.0"), 1);
	CHECK_INT(vd_service_version_cmp("2.0", "2.0.0"), -1);
	CHECK_INT(vd_service_version_cmp("1.0+build5", "1.0"), 0);
}

/* ---- handlers over an in-memory database ---- */

static vd_service *svc;
static vd_http_config cfg;

static void quiet(void *ctx, const char *where, const char *reason) { (void)ctx; (void)where; (void)reason; }

static int import(const char *rel)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/data/%s", vt_shared(), rel);
	vd_import_cb cb = {.skipped = quiet};
	vd_import_stats st;
	memset(&st, 0, sizeof st);
	return vd_service_import(svc, VD_FMT_AUTO, p, &cb, &st);
}

/* Run a request; returns the parsed body (NULL when not JSON). */
static json_t *req(const char *method, const char *target, const char *body, unsigned *status)
{
	char *out = NULL;
	size_t n = 0;
	vd_http_handle(&cfg, svc, method, target, body, body ? strlen(body) : 0, status, &out, &n);
	json_t *j = out ? json_loadb(out, n, 0, NULL) : NULL;
	free(out);
	return j;
}

static const char *err_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

static void t_get_record(void)
{
	unsigned st;
	json_t *j = req("GET", "/api/v1/vulns/CVE-2021-44228", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(j, "id")), "CVE-2021-44228");
	CHECK_STR(json_string_value(json_object_get(j, "grade")), "critical");
	json_decref(j);
	j = req("GET", "/api/v1/vulns/ghsa-v95c-p5hm-xq8f", NULL, &st);   /* alias, any case */
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(j, "id")), "CVE-2021-43784");
	json_decref(j);
	j = req("GET", "/api/v1/vulns/GO-2022-0274?format=osv", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(j, "id")), "CVE-2021-43784");
	CHECK_STR(json_string_value(json_object_get(j, "schema_version")), "1.6.0");
	CHECK(json_array_size(json_object_get(j, "affected")) == 1);
	json_decref(j);
	j = req("GET", "/api/v1/vulns/CVE-2021-44228?format=cve5", NULL, &st);
	CHECK_INT(st, 406);
	CHECK_STR(err_code(j), "not_acceptable");
	json_decref(j);
	j = req("GET", "/api/v1/vulns/CVE-2021-44228?format=xml", NULL, &st);
	CHECK_INT(st, 400);
	json_decref(j);
	j = req("GET", "/api/v1/vulns/CVE-2021-44228?fmt=json", NULL, &st);
	CHECK_INT(st, 400);
	json_decref(j);
	j = req("GET", "/api/v1/vulns/CVE-1999-0000", NULL, &st);
	CHECK_INT(st, 404);
	CHECK_STR(err_code(j), "not_found");
	json_decref(j);
	j = req("GET", "/v1/vulns/PYSEC-2009-4", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(j, "modified")), "2021-07-15T02:22:07Z");
	json_decref(j);
}

static void t_rejected_invisible(void)
{
	unsigned st;
	/* CVE-2021-36593 is REJECTED: stored, never served */
	json_t *j = req("GET", "/api/v1/vulns/CVE-2021-36593", NULL, &st);
	CHECK_INT(st, 404);
	json_decref(j);
	j = req("POST", "/api/v1/vulns/batch", "{\"ids\":[\"CVE-2021-36593\"]}", &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_array_size(json_object_get(j, "vulns")), 0);
	CHECK_INT(json_array_size(json_object_get(j, "not_found")), 1);
	json_decref(j);
}

/* Walk every page of /api/v1/vulns with limit=k; count ids, check no repeat. */
static int walk(const char *filter, int k, bool insert_midway)
{
	char target[1024], *seen[4096];
	int n = 0;
	const char *cursor = NULL;
	char cur[VD_CURSOR_MAX] = "";
	bool inserted = false;
	for (int page = 0; page < 2000; page++) {
		snprintf(target, sizeof target, "/api/v1/vulns?limit=%d%s%s%s", k, filter, cursor ? "&cursor=" : "",
		         cursor ? cursor : "");
		unsigned st;
		json_t *j = req("GET", target, NULL, &st);
		if (st != 200) {
			json_decref(j);
			return -1;
		}
		json_t *v = json_object_get(j, "vulns");
		for (size_t i = 0; i < json_array_size(v); i++) {
			const char *id = json_string_value(json_object_get(json_array_get(v, i), "id"));
			for (int s = 0; s < n; s++)
				if (!strcmp(seen[s], id)) {
					fprintf(stderr, "  %s seen twice\n", id);
					json_decref(j);
					return -2;
				}
			if (n < 4096)
				seen[n++] = strdup(id);
		}
		const char *nc = json_string_value(json_object_get(j, "next_cursor"));
		if (nc)
			vd_strlcpy(cur, nc, sizeof cur);
		json_decref(j);
		if (!nc)
			break;
		cursor = cur;
		if (insert_midway && !inserted) {   /* a concurrent insert must not shift the pages */
			import("osv/pypi/django/PYSEC-2010-12.yaml");
			inserted = true;
		}
	}
	for (int s = 0; s < n; s++)
		free(seen[s]);
	return n;
}

static void t_list(void)
{
	vd_store_stats ss;
	REQUIRE(vd_service_db_stats(svc, &ss) == VD_OK);
	int all = walk("", 1000, false);
	CHECK_INT(all, (long long)ss.published);
	CHECK_INT(walk("", 3, false), all);
	CHECK_INT(walk("", 2, true), all);      /* the new record is above the cursor: not in later pages */
	CHECK_INT(walk("", 1000, false), all + 1);
	unsigned st;
	json_t *j = req("GET", "/api/v1/vulns?severity=critical&limit=1000", NULL, &st);
	CHECK_INT(st, 200);
	json_t *v = json_object_get(j, "vulns");
	bool log4j = false;
	for (size_t i = 0; i < json_array_size(v); i++) {
		CHECK_STR(json_string_value(json_object_get(json_array_get(v, i), "grade")), "critical");
		log4j |= !strcmp(json_string_value(json_object_get(json_array_get(v, i), "id")), "CVE-2021-44228");
	}
	CHECK(log4j);
	json_decref(j);
	j = req("GET", "/api/v1/vulns?cwe=502", NULL, &st);
	CHECK_INT(st, 200);
	CHECK(json_array_size(json_object_get(j, "vulns")) >= 1);
	json_decref(j);
	j = req("GET", "/api/v1/vulns?vendor=apache+software+foundation&product=Apache+Log4j2", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(j, "vulns"), 0), "id")),
	          "CVE-2021-44228");
	CHECK_INT(json_array_size(json_object_get(j, "vulns")), 1);
	json_decref(j);
	j = req("GET", "/api/v1/vulns?cpe=cpe:2.3:a:apache_software_foundation:x:*:*:*:*:*:*:*:*", NULL, &st);
	CHECK_INT(st, 200);
	CHECK(json_object_get(j, "note") != NULL);
	json_decref(j);
	j = req("GET", "/api/v1/vulns?cpe=cpe:2.3:a:Apache\\+Software\\+Foundation:Apache\\+Log4j2", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_array_size(json_object_get(j, "vulns")), 1);
	json_decref(j);
	j = req("GET", "/api/v1/vulns?modified_since=2099-01-01", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_array_size(json_object_get(j, "vulns")), 0);
	CHECK(json_is_null(json_object_get(j, "next_cursor")));
	json_decref(j);
	static const char *const bad[] = {
		"/api/v1/vulns?limit=0", "/api/v1/vulns?limit=1001", "/api/v1/vulns?limit=x",
		"/api/v1/vulns?severity=urgent", "/api/v1/vulns?cwe=XSS", "/api/v1/vulns?modified_since=yesterday",
		"/api/v1/vulns?cursor=!!!", "/api/v1/vulns?cursor=bjE6eA", "/api/v1/vulns?cpe=apache",
		"/api/v1/vulns?limit=1&limit=2", NULL};
	for (int i = 0; bad[i]; i++) {
		j = req("GET", bad[i], NULL, &st);
		if (st != 400)
			fprintf(stderr, "  %s → %u\n", bad[i], st);
		CHECK_INT(st, 400);
		CHECK_STR(err_code(j), "bad_request");
		json_decref(j);
	}
}

static void t_batch(void)
{
	unsigned st;
	json_t *j = req("POST", "/api/v1/vulns/batch",
	                "{\"ids\":[\"CVE-2021-44228\",\"GO-2022-0274\",\"CVE-2021-43784\",\"nope\"]}", &st);
	CHECK_INT(st, 200);
	json_t *v = json_object_get(j, "vulns");
	CHECK_INT(json_array_size(v), 2);      /* GO-2022-0274 is CVE-2021-43784: once */
	CHECK_STR(json_string_value(json_object_get(json_array_get(v, 0), "id")), "CVE-2021-44228");
	CHECK_STR(json_string_value(json_array_get(json_object_get(j, "not_found"), 0)), "nope");
	json_decref(j);
	/* 1000 ids answered; 1001 refused */
	vd_buf b;
	vd_buf_init(&b, 0);
	vd_buf_adds(&b, "{\"ids\":[");
	for (int i = 0; i < 1001; i++)
		vd_buf_printf(&b, "%s\"CVE-2021-%d\"", i ? "," : "", 44000 + i);
	vd_buf_adds(&b, "]}");
	j = req("POST", "/api/v1/vulns/batch", vd_buf_str(&b), &st);
	CHECK_INT(st, 422);
	json_decref(j);
	char *p = strstr(b.data, ",\"CVE-2021-45000\"");
	REQUIRE(p);
	memcpy(p, "]}", 3);
	j = req("POST", "/api/v1/vulns/batch", vd_buf_str(&b), &st);
	CHECK_INT(st, 200);
	CHECK(json_array_size(json_object_get(j, "vulns")) >= 1);
	CHECK_INT(json_array_size(json_object_get(j, "vulns")) + json_array_size(json_object_get(j, "not_found")), 1000);
	json_decref(j);
	vd_buf_free(&b);
	static const char *const bad422[] = {"{}", "{\"ids\":[]}", "{\"ids\":\"x\"}", "{\"ids\":[1]}",
	                                     "{\"ids\":[\"a\"],\"x\":1}", "[1]", NULL};
	for (int i = 0; bad422[i]; i++) {
		j = req("POST", "/api/v1/vulns/batch", bad422[i], &st);
		CHECK_INT(st, 422);
		json_decref(j);
	}
	j = req("POST", "/api/v1/vulns/batch", "{\"ids\":[", &st);
	CHECK_INT(st, 400);
	CHECK_STR(err_code(j), "bad_json");
	json_decref(j);
	j = req("POST", "/api/v1/vulns/batch", NULL, &st);
	CHECK_INT(st, 400);
	json_decref(j);
}

static void t_vendors_stats(void)
{
	unsigned st;
	json_t *j = req("GET", "/api/v1/vendors?limit=1000", NULL, &st);
	CHECK_INT(st, 200);
	json_t *v = json_object_get(j, "vendors");
	bool apache = false;
	for (size_t i = 0; i < json_array_size(v); i++)
		apache |= !strcmp(json_string_value(json_object_get(json_array_get(v, i), "name")),
		                  "Apache Software Foundation");
	CHECK(apache);
	size_t n_vendors = json_array_size(v);
	json_decref(j);
	/* paging through vendors one at a time gives the same list */
	int pages = 0;
	char cur[VD_CURSOR_MAX] = "", target[800];
	for (; pages < 1000; pages++) {
		snprintf(target, sizeof target, "/api/v1/vendors?limit=1%s%s", cur[0] ? "&cursor=" : "", cur);
		j = req("GET", target, NULL, &st);
		const char *nc = json_string_value(json_object_get(j, "next_cursor"));
		vd_strlcpy(cur, nc ? nc : "", sizeof cur);
		json_decref(j);
		if (!nc)
			break;
	}
	CHECK_INT(pages + 1, (long long)n_vendors);
	j = req("GET", "/api/v1/vendors/apache%20software%20foundation/products", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(j, "products"), 0), "name")),
	          "Apache Log4j2");
	json_decref(j);
	j = req("GET", "/api/v1/vendors/no-such-vendor/products", NULL, &st);
	CHECK_INT(st, 404);
	json_decref(j);
	j = req("GET", "/api/v1/stats", NULL, &st);
	CHECK_INT(st, 200);
	CHECK(json_integer_value(json_object_get(json_object_get(j, "by_grade"), "critical")) >= 1);
	CHECK(json_integer_value(json_object_get(json_object_get(j, "by_month"), "2021-12")) >= 1);
	CHECK(json_object_get(j, "by_class") != NULL);
	json_decref(j);
}

static bool has_id(json_t *vulns, const char *id)
{
	for (size_t i = 0; i < json_array_size(vulns); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(vulns, i), "id")), id))
			return true;
	return false;
}

static void t_osv_query(void)
{
	unsigned st;
	/* PYSEC-2009-4 (CVE-2009-3695): introduced 1.0 fixed 1.0.4, introduced 1.1 fixed 1.1.1 */
	static const struct { const char *v; bool hit; } cases[] = {
		{"1.0.2", true}, {"1.0.4", false}, {"1.1", true}, {"1.1.1", false}, {"0.9", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char body[200];
		snprintf(body, sizeof body, "{\"package\":{\"name\":\"django\",\"ecosystem\":\"PyPI\"},\"version\":\"%s\"}",
		         cases[i].v);
		json_t *j = req("POST", "/v1/query", body, &st);
		CHECK_INT(st, 200);
		if (has_id(json_object_get(j, "vulns"), "CVE-2009-3695") != cases[i].hit) {
			fprintf(stderr, "  django %s: expected %s\n", cases[i].v, cases[i].hit ? "a hit" : "no hit");
			CHECK(false);
		}
		json_decref(j);
	}
	/* PEP 440 through the match module: 1.1rc1 is before 1.1 (so inside
	 * PYSEC-2009-3's [0, 1.1) and outside PYSEC-2009-4's [1.1, 1.1.1)) */
	json_t *j = req("POST", "/v1/query", "{\"package\":{\"name\":\"django\",\"ecosystem\":\"PyPI\"},"
	                "\"version\":\"1.1rc1\"}", &st);
	CHECK_INT(st, 200);
	CHECK(has_id(json_object_get(j, "vulns"), "CVE-2009-2659"));
	CHECK(!has_id(json_object_get(j, "vulns"), "CVE-2009-3695"));
	json_decref(j);
	j = req("POST", "/v1/query", "{\"package\":{\"purl\":\"pkg:pypi/Django@1.0.2\"}}", &st);
	CHECK_INT(st, 200);
	CHECK(has_id(json_object_get(j, "vulns"), "CVE-2009-3695"));
	CHECK(has_id(json_object_get(j, "vulns"), "CVE-2009-2659"));   /* introduced 0, fixed 1.1 */
	json_decref(j);
	j = req("POST", "/v1/query", "{\"package\":{\"name\":\"github.com/opencontainers/runc\",\"ecosystem\":\"Go\"},"
	        "\"version\":\"1.0.2\"}", &st);
	CHECK(has_id(json_object_get(j, "vulns"), "CVE-2021-43784"));
	json_decref(j);
	j = req("POST", "/v1/query", "{\"package\":{\"name\":\"github.com/opencontainers/runc\",\"ecosystem\":\"Go\"},"
	        "\"version\":\"1.1.0\"}", &st);
	CHECK(!has_id(json_object_get(j, "vulns"), "CVE-2021-43784"));
	json_decref(j);
	j = req("POST", "/v1/query", "{\"commit\":\"f6d1451012c6a04c2fb1940f0bbd93bb6cf2b025\"}", &st);
	CHECK_INT(st, 200);
	CHECK(json_array_size(json_object_get(j, "vulns")) == 1);
	json_decref(j);
	j = req("POST", "/v1/query", "{\"package\":{\"name\":\"no-such-package\",\"ecosystem\":\"PyPI\"}}", &st);
	CHECK_INT(st, 200);
	CHECK_INT(json_object_size(j), 0);      /* {} as on OSV.dev */
	json_decref(j);
	static const char *const bad422[] = {
		"{\"package\":{\"name\":\"x\"}}", "{\"version\":\"1\"}", "{\"package\":{\"purl\":\"npm/x\"}}",
		"{\"package\":{\"purl\":\"pkg:pypi/x@1\"},\"version\":\"1\"}", "{\"package\":{\"nam\":\"x\"}}",
		"{\"package\":\"x\"}", "{\"commit\":\"zz\"}", "{\"commit\":1}", "{\"page_token\":\"x\",\"commit\":\"abcdef12\"}",
		"[]", NULL};
	for (int i = 0; bad422[i]; i++) {
		j = req("POST", "/v1/query", bad422[i], &st);
		if (st != 422)
			fprintf(stderr, "  %s → %u\n", bad422[i], st);
		CHECK_INT(st, 422);
		json_decref(j);
	}
	j = req("POST", "/v1/query", "{\"package\":", &st);
	CHECK_INT(st, 400);
	json_decref(j);
}

static void t_osv_querybatch_paging(void)
{
	unsigned st;
	json_t *j = req("POST", "/v1/querybatch", "{\"queries\":[{\"package\":{\"purl\":\"pkg:pypi/django\"}},"
	                "{\"package\":{\"name\":\"django\",\"ecosystem\":\"PyPI\"},\"version\":\"1.0.2\"},"
	                "{\"package\":{\"name\":\"nothing\",\"ecosystem\":\"PyPI\"}}]}", &st);
	CHECK_INT(st, 200);
	json_t *res = json_object_get(j, "results");
	REQUIRE(json_array_size(res) == 3);
	size_t all = json_array_size(json_object_get(json_array_get(res, 0), "vulns"));
	CHECK(all >= 3);
	json_t *first = json_array_get(json_object_get(json_array_get(res, 0), "vulns"), 0);
	CHECK(json_object_get(first, "id") && json_object_get(first, "modified"));
	CHECK_INT(json_object_size(first), 2);   /* ids + modified only */
	CHECK_INT(json_object_size(json_array_get(res, 2)), 0);
	json_decref(j);
	/* with pages of 2, page tokens walk the same ids */
	int saved = cfg.osv_page_size;
	cfg.osv_page_size = 2;
	size_t got = 0;
	char token[VD_CURSOR_MAX] = "";
	for (int page = 0; page < 500; page++) {
		char body[800];
		snprintf(body, sizeof body, "{\"queries\":[{\"package\":{\"purl\":\"pkg:pypi/django\"}%s%s%s}]}",
		         token[0] ? ",\"page_token\":\"" : "", token, token[0] ? "\"" : "");
		j = req("POST", "/v1/querybatch", body, &st);
		CHECK_INT(st, 200);
		json_t *r0 = json_array_get(json_object_get(j, "results"), 0);
		size_t n = json_array_size(json_object_get(r0, "vulns"));
		CHECK(n <= 2);
		got += n;
		const char *t = json_string_value(json_object_get(r0, "next_page_token"));
		vd_strlcpy(token, t ? t : "", sizeof token);
		json_decref(j);
		if (!t)
			break;
	}
	cfg.osv_page_size = saved;
	CHECK_INT(got, all);
	vd_buf b;
	vd_buf_init(&b, 0);
	vd_buf_adds(&b, "{\"queries\":[");
	for (int i = 0; i < 1001; i++)
		vd_buf_printf(&b, "%s{\"package\":{\"name\":\"django\",\"ecosystem\":\"PyPI\"}}", i ? "," : "");
	vd_buf_adds(&b, "]}");
	j = req("POST", "/v1/querybatch", vd_buf_str(&b), &st);
	CHECK_INT(st, 422);
	json_decref(j);
	vd_buf_free(&b);
	j = req("POST", "/v1/querybatch", "{\"queries\":[{\"package\":{\"name\":\"x\"}}]}", &st);
	CHECK_INT(st, 422);
	CHECK(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "queries[0]") != NULL);
	json_decref(j);
}

static void t_misc_endpoints(void)
{
	unsigned st;
	json_t *j = req("GET", "/healthz", NULL, &st);
	CHECK_INT(st, 200);
	json_decref(j);
	char *out = NULL;
	size_t n;
	vd_http_handle(&cfg, svc, "GET", "/metrics", NULL, 0, &st, &out, &n);
	CHECK_INT(st, 200);
	CHECK(out && strstr(out, "vulnd_records{state=\"published\"}"));
	free(out);
	vd_http_handle(&cfg, svc, "GET", "/api/v1/openapi.yaml", NULL, 0, &st, &out, &n);
	CHECK_INT(st, 200);
	CHECK_INT(n, vd_openapi_yaml_len);
	free(out);
	j = req("GET", "/api/v1/search?q=log4j", NULL, &st);
	CHECK_INT(st, 200);
	CHECK(has_id(json_object_get(j, "hits"), "CVE-2021-44228"));
	CHECK(json_object_get(j, "facets") != NULL);
	CHECK(json_is_array(json_object_get(json_object_get(j, "facets"), "grade")));
	json_decref(j);
	j = req("GET", "/api/v1/search?q=log4j&facets=0", NULL, &st);
	CHECK_INT(st, 200);
	CHECK(json_object_get(j, "facets") == NULL);
	json_decref(j);
	j = req("GET", "/api/v1/search?severity=critical", NULL, &st);   /* filters only */
	CHECK_INT(st, 200);
	CHECK(has_id(json_object_get(j, "hits"), "CVE-2021-44228"));
	json_decref(j);
	j = req("GET", "/api/v1/search", NULL, &st);
	CHECK_INT(st, 400);
	json_decref(j);
	j = req("GET", "/api/v1/search?q=x&score_min=11", NULL, &st);
	CHECK_INT(st, 400);
	json_decref(j);
	j = req("GET", "/api/v1/cwe/CWE-79", NULL, &st);
	CHECK_INT(st, 200);
	CHECK_STR(json_string_value(json_object_get(j, "id")), "CWE-79");
	CHECK(json_object_get(json_object_get(j, "gbt30279_class"), "code") != NULL);
	json_decref(j);
	j = req("GET", "/api/v1/cwe/not-a-cwe", NULL, &st);
	CHECK_INT(st, 400);
	json_decref(j);
	j = req("GET", "/nope", NULL, &st);
	CHECK_INT(st, 404);
	json_decref(j);
	j = req("DELETE", "/api/v1/vulns/CVE-2021-44228", NULL, &st);
	CHECK_INT(st, 405);
	json_decref(j);
	char longt[3000];
	memset(longt, 'A', sizeof longt - 1);
	longt[sizeof longt - 1] = 0;
	memcpy(longt, "/api/v1/vulns/", 14);
	j = req("GET", longt, NULL, &st);
	CHECK_INT(st, 414);
	json_decref(j);
	size_t saved = cfg.max_body;
	cfg.max_body = 100;
	j = req("POST", "/v1/query", "{\"package\":{\"name\":\"django\",\"ecosystem\":\"PyPI\"},\"version\":"
	                             "\"1.0.2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", &st);
	CHECK_INT(st, 413);
	json_decref(j);
	cfg.max_body = saved;
}

int main(void)
{
	RUN(t_router);
	RUN(t_query);
	RUN(t_openapi_matches_routes);
	RUN(t_route_actions);
	RUN(t_config);
	RUN(t_version_order);
	const char *sh = vt_shared();
	CHECK(sh != NULL);
	if (!sh || vd_service_open(":memory:", true, &svc) != VD_OK) {
		printf("not ok - shared data or database\n");
		vt_failed++;
		return vt_done();
	}
	vd_http_config_init(&cfg);
	int rc = import("cve5/cves/2021/44xxx");
	rc = rc ? rc : import("cve5/cves/2021/43xxx/CVE-2021-43784.json");
	rc = rc ? rc : import("osv/go/GO-2022-0274.json");
	rc = rc ? rc : import("osv/pypi/django/PYSEC-2009-3.yaml");
	rc = rc ? rc : import("osv/pypi/django/PYSEC-2009-4.yaml");
	rc = rc ? rc : import("osv/pypi/python-jwt/PYSEC-2022-259.yaml");
	rc = rc ? rc : import("osv/go/GO-2023-1627.json");
	rc = rc ? rc : import("cve5/cves/2021/36xxx/CVE-2021-36593.json");
	if (rc) {
		fprintf(stderr, "  import: %s\n", vd_error_msg());
		vt_failed++;
		return vt_done();
	}
	RUN(t_get_record);
	RUN(t_rejected_invisible);
	RUN(t_list);
	RUN(t_batch);
	RUN(t_vendors_stats);
	RUN(t_osv_query);
	RUN(t_osv_querybatch_paging);
	RUN(t_misc_endpoints);
	vd_service_close(svc);
	return vt_done();
}
