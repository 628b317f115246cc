/* Hostile input on EVERY write endpoint of the routing table (issues 6 and
 * 7), in-process as the admin (so refusals come from the input, not from
 * permissions): unknown JSON fields, oversized fields, invalid UTF-8, NUL
 * characters, wrong types, malformed / non-object / deeply nested bodies,
 * SQL-looking strings, hostile path parameters and query strings.  Each
 * must get a clear 4xx JSON error and change nothing (a fingerprint of
 * users, organisations, tokens, libraries, cases and records is compared);
 * SQL-looking text that is legitimately accepted as text must be stored
 * verbatim and break nothing.  A write route without a sample body here
 * fails the test, so new write routes must be added. */
#include "harness.h"
#include "vulnd/error.h"
#include "vulnd/http.h"
#include "vulnd/service.h"
#include <jansson.h>
#include <unistd.h>

static vd_service *svc;
static vd_http_config cfg;
static char admin_token[VD_SECRET_BUF];
static int64_t case_id;
static long n_probes;

/* ---- the fingerprint of everything a write could change ---- */

static int fp_user(void *ctx, const vd_user_info *u)
{
	return vd_buf_printf(ctx, "u %s %d %d %s\n", u->name, (int)u->role, u->disabled, u->org);
}
static int fp_org(void *ctx, const vd_org_info *o)
{
	return vd_buf_printf(ctx, "o %s %d %u %u %u\n", o->name, (int)o->type, o->n_members, o->n_products,
	                     o->n_contacts);
}
static int fp_token(void *ctx, const vd_token_info *t)
{
	return vd_buf_printf(ctx, "t %lld %s %d %s %s\n", (long long)t->id, t->user, (int)t->scope, t->expires,
	                     t->revoked);
}
static int fp_lib(void *ctx, const vd_library_info *l)
{
	return vd_buf_printf(ctx, "l %s %s %s %d %d %d %zu\n", l->code, l->name, l->field_set, l->fix_days, l->ack_days,
	                     l->report_days, l->n_blackouts);
}
static int fp_case(void *ctx, const vd_case *c)
{
	char *doc = NULL;
	vd_case_to_json(c, &doc);
	int rc = vd_buf_printf(ctx, "c %lld %zu %s\n", (long long)c->id, c->n_att, doc ? doc : "");
	free(doc);
	return rc;
}
static int fp_event(void *ctx, const vd_case_event_row *e)
{
	return vd_buf_printf(ctx, "e %s %s\n", e->kind, e->text ? e->text : "");
}

static int fp_item(void *ctx, const char *a, const char *b)
{
	return vd_buf_printf(ctx, " [%s|%s]", a ? a : "", b ? b : "");
}

static char *fingerprint(void)
{
	vd_principal local = vd_principal_local("cli");
	vd_buf b;
	vd_buf_init(&b, 1 << 24);
	vd_service_user_list(svc, &local, fp_user, &b);
	vd_service_org_list(svc, &local, fp_org, &b);
	vd_service_token_list(svc, &local, "*", fp_token, &b);
	vd_service_library_list(svc, &local, fp_lib, &b);
	vd_service_case_list(svc, &local, NULL, fp_case, &b);
	vd_service_case_thread(svc, &local, case_id, fp_event, &b);
	vd_store_stats st;
	if (vd_service_db_stats(svc, &st) == VD_OK)
		vd_buf_printf(&b, "records %llu\n", (unsigned long long)st.published);
	static const char *const orgs[] = {"Acme", NULL};
	for (int i = 0; orgs[i]; i++)
		for (int k = VD_ORG_ITEM_MEMBERS; k <= VD_ORG_ITEM_CONTACTS; k++) {
			vd_buf_printf(&b, "items %s %d:", orgs[i], k);
			vd_service_org_items(svc, &local, orgs[i], k, fp_item, &b);
			vd_buf_addc(&b, '\n');
		}
	vd_error_clear();
	return vd_buf_detach(&b);
}

/* ---- requests ---- */

static unsigned call(const char *method, const char *target, const char *body, size_t len, char **out)
{
	vd_http_cred cred = {.bearer = admin_token, .client = "127.0.0.1"};
	unsigned st = 0;
	size_t n = 0;
	*out = NULL;
	vd_http_handle_ex(&cfg, svc, &cred, method, target, body, len, &st, out, &n, NULL);
	n_probes++;
	return st;
}

/* A hostile request: 4xx with a JSON error message, and nothing changed. */
static void expect_refused(const char *what, const char *method, const char *target, const char *body, size_t len)
{
	char *before = fingerprint(), *out = NULL;
	unsigned st = call(method, target, body, len, &out);
	char *after = fingerprint();
	json_t *j = out ? json_loads(out, 0, NULL) : NULL;
	const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
	bool ok4 = st >= 400 && st < 500 && msg && *msg;
	if (!ok4) {
		fprintf(stderr, "  %s %s: %s → %u, expected a 4xx JSON error: %.300s\n", method, target, what, st,
		        out ? out : "");
		CHECK(false);
	}
	if (strcmp(before, after) != 0) {
		fprintf(stderr, "  %s %s: %s → %u changed the database\n", method, target, what, st);
		CHECK(false);
	}
	json_decref(j);
	free(out);
	free(before);
	free(after);
}

/* A valid body per write route (concrete target); NULL body: none. */
typedef struct {
	const char *method, *pattern, *target, *body;
	const char *idents;   /* string fields that are identifiers: SQL-looking text must be refused */
} sample;

static const sample samples[] = {
	{"POST", "/api/v1/vulns/batch", "/api/v1/vulns/batch", "{\"ids\":[\"CVE-2021-44228\"]}", ""},
	{"POST", "/v1/query", "/v1/query", "{\"package\":{\"name\":\"django\",\"ecosystem\":\"PyPI\"},\"version\":\"1.0\"}", ""},
	{"POST", "/v1/querybatch", "/v1/querybatch", "{\"queries\":[{\"commit\":\"abcdef1\"}]}", ""},
	{"POST", "/api/v1/sbom/match", "/api/v1/sbom/match",
	 "{\"sbom\":{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":"
	 "[{\"type\":\"library\",\"name\":\"zstd\",\"version\":\"1.5.2.0\",\"purl\":\"pkg:pypi/zstd@1.5.2.0\"}]}}", ""},
	{"POST", "/api/v1/login", "/api/v1/login", "{\"name\":\"rep1\",\"password\":\"hostile-pass-1\"}", ""},
	{"POST", "/api/v1/logout", "/api/v1/logout", "{}", ""},
	{"POST", "/api/v1/me/password", "/api/v1/me/password",
	 "{\"old_password\":\"hostile-pass-1\",\"new_password\":\"hostile-pass-2\"}", ""},
	{"POST", "/api/v1/users", "/api/v1/users", "{\"name\":\"hx\",\"role\":\"reporter\",\"password\":\"hostile-pass-1\"}",
	 "name role"},
	{"POST", "/api/v1/users/{name}/role", "/api/v1/users/rep1/role", "{\"role\":\"expert\"}", "role"},
	{"POST", "/api/v1/users/{name}/disable", "/api/v1/users/rep1/disable", "{}", ""},
	{"POST", "/api/v1/users/{name}/enable", "/api/v1/users/rep1/enable", "{}", ""},
	{"POST", "/api/v1/users/{name}/password", "/api/v1/users/rep1/password", "{\"password\":\"hostile-pass-3\"}", ""},
	{"POST", "/api/v1/orgs", "/api/v1/orgs", "{\"name\":\"HX Org\",\"type\":\"vendor\"}", "type"},
	{"POST", "/api/v1/orgs/{name}/members", "/api/v1/orgs/Acme/members", "{\"user\":\"adm\"}", "user"},
	{"DELETE", "/api/v1/orgs/{name}/members/{user}", "/api/v1/orgs/Acme/members/rep1", NULL, ""},
	{"POST", "/api/v1/orgs/{name}/products", "/api/v1/orgs/Acme/products", "{\"product\":\"hx-product\"}", ""},
	{"POST", "/api/v1/orgs/{name}/contacts", "/api/v1/orgs/Acme/contacts",
	 "{\"email\":\"hx@acme.example\",\"name\":\"HX\"}", "email"},
	{"POST", "/api/v1/tokens", "/api/v1/tokens", "{\"scope\":\"read\",\"expires_days\":5}", "scope"},
	{"DELETE", "/api/v1/tokens/{id}", "/api/v1/tokens/2", NULL, ""},
	{"POST", "/api/v1/libraries", "/api/v1/libraries", "{\"code\":\"HXL\",\"name\":\"HX library\",\"fix_days\":30}",
	 "code field_set"},
	{"PUT", "/api/v1/libraries/{code}", "/api/v1/libraries/NVDB", "{\"name\":\"National\",\"national\":true}",
	 "field_set"},
	{"POST", "/api/v1/reports", "/api/v1/reports",
	 "{\"title\":\"HX title\",\"description\":\"HX description\",\"product\":\"hx-product\",\"cwe\":\"CWE-79\","
	 "\"attachments\":[{\"name\":\"poc.txt\",\"kind\":\"poc\",\"data\":\"aGVsbG8=\"}]}",
	 "cwe cve grade vector library learned_at"},
	{"POST", "/api/v1/cases/{id}/{step}", "/api/v1/cases/1/comment", "{\"text\":\"HX comment\"}", ""},
};

static const sample *sample_for(const char *method, const char *pattern)
{
	for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
		if (!strcmp(samples[i].method, method) && !strcmp(samples[i].pattern, pattern))
			return &samples[i];
	return NULL;
}

static char *dump(json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Body variants built from the sample, one top-level field at a time. */
static void body_variants(const sample *sm)
{
	json_t *base = json_loads(sm->body, 0, NULL);
	REQUIRE(base);
	char what[200];
	/* unknown field */
	json_t *j = json_deep_copy(base);
	json_object_set_new(j, "zz_unknown_field", json_integer(1));
	char *b = dump(j);
	expect_refused("unknown field", sm->method, sm->target, b, strlen(b));
	free(b);
	json_decref(j);
	const char *key;
	json_t *v;
	json_object_foreach(base, key, v) {
		/* wrong type */
		j = json_deep_copy(base);
		json_object_set_new(j, key, json_is_string(v) ? json_integer(12345) : json_string("not-this-type"));
		b = dump(j);
		snprintf(what, sizeof what, "%s of the wrong type", key);
		expect_refused(what, sm->method, sm->target, b, strlen(b));
		free(b);
		json_decref(j);
		if (!json_is_string(v))
			continue;
		/* oversized */
		size_t big = 100000;
		char *s = malloc(big + 1);
		memset(s, 'A', big);
		s[big] = 0;
		j = json_deep_copy(base);
		json_object_set_new(j, key, json_string(s));
		b = dump(j);
		snprintf(what, sizeof what, "%s of %zu bytes", key, big);
		expect_refused(what, sm->method, sm->target, b, strlen(b));
		free(b);
		free(s);
		json_decref(j);
		/* invalid UTF-8 and an escaped NUL, written into the JSON text */
		static const char *const bad[] = {"\xff\xfe", "\xc3\x28", "\xed\xa0\x80", "\\u0000", NULL};
		for (int k = 0; bad[k]; k++) {
			j = json_deep_copy(base);
			json_object_set_new(j, key, json_string("MARKERMARKER"));
			b = dump(j);
			char *p = strstr(b, "MARKERMARKER");
			size_t bl = strlen(b), blen = strlen(bad[k]);
			char *t = malloc(bl + blen + 1);
			memcpy(t, b, (size_t)(p - b));
			memcpy(t + (p - b), bad[k], blen);
			memcpy(t + (p - b) + blen, p + 12, bl - (size_t)(p - b) - 12 + 1);
			snprintf(what, sizeof what, "%s holding %s", key, k == 3 ? "\\u0000" : "invalid UTF-8");
			expect_refused(what, sm->method, sm->target, t, strlen(t));
			free(t);
			free(b);
			json_decref(j);
		}
		/* SQL-looking text: refused in identifiers; elsewhere it is text */
		static const char *const sql[] = {"x'); DROP TABLE users; --", "' OR '1'='1", "1; DELETE FROM cases", NULL};
		for (int k = 0; sql[k]; k++) {
			j = json_deep_copy(base);
			json_object_set_new(j, key, json_string(sql[k]));
			b = dump(j);
			char kk[40];
			snprintf(kk, sizeof kk, " %s ", key);
			char ids[200];
			snprintf(ids, sizeof ids, " %s ", sm->idents);
			snprintf(what, sizeof what, "SQL-looking %s", key);
			if (strstr(ids, kk)) {
				expect_refused(what, sm->method, sm->target, b, strlen(b));
			} else {
				char *out = NULL;
				unsigned st = call(sm->method, sm->target, b, strlen(b), &out);
				if (st >= 500) {
					fprintf(stderr, "  %s %s: %s → %u: %.200s\n", sm->method, sm->target, what, st, out ? out : "");
					CHECK(false);
				}
				free(out);
			}
			free(b);
			json_decref(j);
		}
	}
	/* the body as a whole */
	expect_refused("malformed JSON", sm->method, sm->target, "{\"a\":", 5);
	expect_refused("an array body", sm->method, sm->target, "[1,2]", 5);
	expect_refused("a string body", sm->method, sm->target, "\"x\"", 3);
	size_t depth = 50000;
	char *deep = malloc(2 * depth + 1);
	for (size_t i = 0; i < depth; i++) {
		deep[i] = '[';
		deep[depth + i] = ']';
	}
	deep[2 * depth] = 0;
	expect_refused("50000 nested arrays", sm->method, sm->target, deep, 2 * depth);
	free(deep);
	char dup[600];
	snprintf(dup, sizeof dup, "{\"zz\":1,\"zz\":2}");
	expect_refused("duplicate keys", sm->method, sm->target, dup, strlen(dup));
	json_decref(base);
}

/* Hostile path parameters and query strings (every write route). */
static void path_variants(const char *method, const char *pattern, const sample *sm)
{
	const char *body = sm && sm->body ? sm->body : NULL;
	size_t blen = body ? strlen(body) : 0;
	char t[4096];
	snprintf(t, sizeof t, "%s?zz_unknown=1", sm ? sm->target : pattern);
	expect_refused("unknown query parameter", method, t, body, blen);
	if (!strchr(pattern, '{'))
		return;
	static const char *const vals[] = {"%ff%fe", "x'%3B%20DROP%20TABLE%20users%3B--", "..%2F..%2Fetc%2Fpasswd",
	                                   "%00", NULL};
	for (int k = 0; vals[k]; k++) {
		/* every parameter replaced by the hostile value */
		size_t o = 0;
		for (const char *p = pattern; *p && o < sizeof t - 100;) {
			if (*p == '{') {
				o += (size_t)snprintf(t + o, sizeof t - o, "%s", vals[k]);
				p = strchr(p, '}') + 1;
			} else {
				t[o++] = *p++;
			}
		}
		t[o] = 0;
		char what[100];
		snprintf(what, sizeof what, "path parameter %s", vals[k]);
		expect_refused(what, method, t, body, blen);
	}
	/* an oversized parameter */
	size_t o = 0;
	for (const char *p = pattern; *p && o < sizeof t - 3100;) {
		if (*p == '{') {
			memset(t + o, 'A', 3000);
			o += 3000;
			p = strchr(p, '}') + 1;
		} else {
			t[o++] = *p++;
		}
	}
	t[o] = 0;
	expect_refused("a 3000-byte path parameter", method, t, body, blen);
}

static void t_setup(void)
{
	vd_principal local = vd_principal_local("cli");
	int64_t id;
	REQUIRE(vd_service_library_ensure_default(svc) == VD_OK);
	REQUIRE(vd_service_org_add(svc, &local, "Acme", VD_ORG_VENDOR, &id) == VD_OK);
	REQUIRE(vd_service_org_product_add(svc, &local, "Acme", "hx-product") == VD_OK);
	REQUIRE(vd_service_user_add(svc, &local, "adm", VD_ROLE_ADMIN, NULL, "hostile-pass-1", &id) == VD_OK);
	REQUIRE(vd_service_user_add(svc, &local, "rep1", VD_ROLE_REPORTER, NULL, "hostile-pass-1", &id) == VD_OK);
	REQUIRE(vd_service_user_add(svc, &local, "ven1", VD_ROLE_VENDOR, "Acme", "hostile-pass-1", &id) == VD_OK);
	REQUIRE(vd_service_org_member(svc, &local, "Acme", "rep1", true) == VD_OK);
	REQUIRE(vd_service_token_create(svc, &local, "adm", VD_SCOPE_ADMIN, 0, admin_token, NULL) == VD_OK);
	char spare[VD_SECRET_BUF];
	vd_token_info ti;
	REQUIRE(vd_service_token_create(svc, &local, "rep1", VD_SCOPE_READ, 0, spare, &ti) == VD_OK);
	CHECK_INT(ti.id, 2);
	vd_report_in in = {.title = "first", .description = "d", .product = "hx-product"};
	REQUIRE(vd_service_report_submit(svc, &local, &in, &case_id, NULL, NULL) == VD_OK);
	CHECK_INT(case_id, 1);
}

static void t_every_write_route(void)
{
	int routes = 0;
	for (size_t i = 0; i < vd_http_route_count(); i++) {
		const char *m, *pat;
		vd_http_route_info(i, &m, &pat);
		if (!strcmp(m, "GET"))
			continue;
		routes++;
		const sample *sm = sample_for(m, pat);
		if (!sm) {
			fprintf(stderr, "  write route %s %s has no hostile-input sample in tests/api/t_hostile.c\n", m, pat);
			CHECK(false);
			continue;
		}
		if (sm->body)
			body_variants(sm);
		path_variants(m, pat, sm);
	}
	printf("# hostile input: %d write routes, %ld requests\n", routes, n_probes);
	CHECK(routes >= 20);
	/* after all that: the accounts are all there and the audit chain is intact */
	vd_principal local = vd_principal_local("cli");
	vd_user_info u;
	CHECK_INT(vd_service_user_get(svc, &local, "adm", &u), VD_OK);
	CHECK_INT(vd_service_user_get(svc, &local, "rep1", &u), VD_OK);
	vd_audit_report r;
	CHECK_INT(vd_service_audit_verify(svc, &local, &r), VD_OK);
}

/* Attachments: path traversal and other bad names, bad base64, a file
 * over attach_max, too many files. */
static void t_report_attachments(void)
{
	static const char *const names[] = {"../../etc/passwd", "..", ".hidden", "a/b.txt", "a\\\\b.txt", "x\\u0001y",
	                                    "", NULL};
	char body[8192], what[128];
	for (int i = 0; names[i]; i++) {
		snprintf(body, sizeof body, "{\"title\":\"t\",\"description\":\"d\",\"product\":\"p\","
		         "\"attachments\":[{\"name\":\"%s\",\"data\":\"aGVsbG8=\"}]}", names[i]);
		snprintf(what, sizeof what, "attachment name '%s'", names[i]);
		expect_refused(what, "POST", "/api/v1/reports", body, strlen(body));
	}
	snprintf(body, sizeof body, "{\"title\":\"t\",\"description\":\"d\",\"product\":\"p\","
	         "\"attachments\":[{\"name\":\"a.txt\",\"data\":\"%%%%not base64%%%%\"}]}");
	expect_refused("bad base64", "POST", "/api/v1/reports", body, strlen(body));
	snprintf(body, sizeof body, "{\"title\":\"t\",\"description\":\"d\",\"product\":\"p\","
	         "\"attachments\":[{\"name\":\"a.txt\",\"data\":\"aGVsbG8=\",\"kind\":\"malware\"}]}");
	expect_refused("unknown attachment kind", "POST", "/api/v1/reports", body, strlen(body));
	snprintf(body, sizeof body, "{\"title\":\"t\",\"description\":\"d\",\"product\":\"p\","
	         "\"attachments\":[{\"name\":\"a.txt\",\"data\":\"aGVsbG8=\",\"path\":\"/etc\"}]}");
	expect_refused("unknown attachment field", "POST", "/api/v1/reports", body, strlen(body));
	/* over attach_max (4 KiB here) */
	size_t n = 0;
	n += (size_t)snprintf(body + n, sizeof body - n, "{\"title\":\"t\",\"description\":\"d\",\"product\":\"p\","
	                      "\"attachments\":[{\"name\":\"big.bin\",\"data\":\"");
	for (int i = 0; i < 1400; i++)      /* 5600 base64 chars = 4200 bytes */
		n += (size_t)snprintf(body + n, sizeof body - n, "QUFB");
	n += (size_t)snprintf(body + n, sizeof body - n, "\"}]}");
	expect_refused("a file over attach_max", "POST", "/api/v1/reports", body, n);
	/* 17 files */
	n = (size_t)snprintf(body, sizeof body, "{\"title\":\"t\",\"description\":\"d\",\"product\":\"p\","
	                     "\"attachments\":[");
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(body + n, sizeof body - n, "%s{\"name\":\"f%d.txt\",\"data\":\"aGVsbG8=\"}",
		                      i ? "," : "", i);
	n += (size_t)snprintf(body + n, sizeof body - n, "]}");
	expect_refused("17 attachments", "POST", "/api/v1/reports", body, n);
	/* a body over max_report_body */
	size_t saved = cfg.max_report_body;
	cfg.max_report_body = 4096;
	expect_refused("a body over max_report_body", "POST", "/api/v1/reports", body, 5000 < sizeof body ? 5000 : n);
	cfg.max_report_body = saved;
}

/* Accepted SQL-looking text is stored verbatim. */
static void t_sql_text_verbatim(void)
{
	const char *body = "{\"title\":\"x'); DROP TABLE cases; --\",\"description\":\"' OR '1'='1\","
	                   "\"product\":\"hx-product\"}";
	char *out = NULL;
	unsigned st = call("POST", "/api/v1/reports", body, strlen(body), &out);
	CHECK_INT(st, 201);
	json_t *j = out ? json_loads(out, 0, NULL) : NULL;
	json_int_t id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	free(out);
	REQUIRE(id > 0);
	char t[64];
	snprintf(t, sizeof t, "/api/v1/cases/%lld", (long long)id);
	st = call("GET", t, NULL, 0, &out);
	CHECK_INT(st, 200);
	j = out ? json_loads(out, 0, NULL) : NULL;
	CHECK_STR(json_string_value(json_object_get(j, "title")), "x'); DROP TABLE cases; --");
	CHECK_STR(json_string_value(json_object_get(j, "description")), "' OR '1'='1");
	json_decref(j);
	free(out);
}

/* The samples themselves are valid (so each variant differs from a valid
 * request only by its hostile part). */
static void t_samples_valid(void)
{
	for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
		const sample *sm = &samples[i];
		char *out = NULL;
		unsigned st = call(sm->method, sm->target, sm->body, sm->body ? strlen(sm->body) : 0, &out);
		/* logout needs a session (the admin here uses a token) */
		unsigned want_max = strcmp(sm->pattern, "/api/v1/logout") ? 299 : 400;
		if (st < 200 || st > want_max) {
			fprintf(stderr, "  sample %s %s → %u: %.300s\n", sm->method, sm->target, st, out ? out : "");
			CHECK(false);
		}
		free(out);
	}
}

static char dir[] = "/tmp/vd-hostile-XXXXXX";

static int open_db(void)
{
	if (vd_service_open(":memory:", true, &svc) != VD_OK)
		return -1;
	vd_auth_policy pol = {.fast_hash = true};
	vd_service_set_auth_policy(svc, &pol);
	vd_case_config cc;
	vd_case_config_defaults(&cc, NULL);
	snprintf(cc.attach_dir, sizeof cc.attach_dir, "%s/att", dir);
	cc.attach_max = 4096;
	vd_service_case_configure(svc, &cc);
	return 0;
}

int main(void)
{
	if (!mkdtemp(dir) || open_db()) {
		printf("not ok - temp dir or database\n");
		return 1;
	}
	vd_http_config_init(&cfg);
	cfg.attach_max = 4096;
	RUN(t_setup);
	RUN(t_every_write_route);
	RUN(t_report_attachments);
	RUN(t_sql_text_verbatim);
	vd_service_close(svc);
	/* the samples, on a fresh database set up the same way */
	if (open_db()) {
		printf("not ok - database\n");
		return 1;
	}
	RUN(t_setup);
	RUN(t_samples_valid);
	vd_service_close(svc);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", dir);
	return vt_done();
}
