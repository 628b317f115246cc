/* tests/store/t_store.c — store conformance suite.
 *
 * Part 1 runs through the vd_store_* interface alone, on ":memory:", so it
 * can run unchanged against any backend.  Part 2 (at the end, clearly
 * separated) holds SQLite-file-specific tests that look at the database
 * with sqlite3 directly.
 */
#include "harness.h"
#include "vulnd/store.h"
#include "vulnd/error.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <unistd.h>
#include "../../src/store/schema_sqlite.h"

/* ---------------------------------------------------------------- helpers */

static vd_store *open_mem(void)
{
	vd_store *s = NULL;
	if (vd_store_open(":memory:", &s) != VD_OK)
		return NULL;
	if (vd_store_migrate(s) != VD_OK) {
		vd_store_close(s);
		return NULL;
	}
	return s;
}

static vd_record *mk(const char *id, const char *title, const char *published, const char *grade,
                     vd_state state)
{
	vd_record *r = vd_record_new();
	r->id = vd_record_str(r, id);
	r->state = state;
	r->published = vd_record_str(r, published);
	r->grade = vd_record_str(r, grade);
	vd_record_set_text(r, &r->title, "en", title);
	return r;
}

static int put(vd_store *s, vd_record *r)
{
	int rc = vd_store_put(s, r);
	vd_record_free(r);
	return rc;
}

static vd_record *full_record(void)
{
	vd_record *r = vd_record_new();
	r->id = vd_record_str(r, "CVE-2021-44228");
	r->state = VD_STATE_PUBLISHED;
	r->published = vd_record_str(r, "2021-12-10T00:00:00Z");
	r->modified = vd_record_str(r, "2024-06-01T12:30:45Z");
	r->withdrawn = vd_record_str(r, "2025-01-01T00:00:00Z");
	vd_record_set_text(r, &r->title, "en", "Log4Shell: JNDI lookup remote code execution");
	vd_record_set_text(r, &r->title, "zh", "Apache Log4j2 远程代码执行漏洞");
	vd_record_set_text(r, &r->description, "en", "Apache Log4j2 JNDI features do not protect against attacker controlled LDAP.");
	vd_record_set_text(r, &r->description, "zh-CN", "Apache Log4j2 存在远程代码执行漏洞，攻击者可利用 JNDI 注入。");
	vd_record_set_text(r, &r->existence, "en", "Present in 2.0-beta9 to 2.14.1.");
	vd_record_set_text(r, &r->existence, "zh", "存在于 2.0-beta9 至 2.14.1 版本。");
	vd_record_set_text(r, &r->detection, "en", "Check the log4j-core version.");
	vd_record_set_text(r, &r->detection, "zh", "检查 log4j-core 版本。");
	vd_record_set_text(r, &r->solution, "en", "Upgrade to 2.17.1.");
	vd_record_set_text(r, &r->solution, "zh", "升级到 2.17.1。");
	r->publisher = vd_record_str(r, "国家信息安全漏洞库");
	r->verifier = vd_record_str(r, "Example Lab");
	r->class_code = vd_record_str(r, "GB30279-3.1");
	r->class_text = vd_record_str(r, "代码注入");
	r->grade = vd_record_str(r, "critical");
	r->grade_basis = vd_record_str(r, "cvss:3.1");
	r->library = vd_record_str(r, "NVDB");
	vd_record_add_cwe(r, "CWE-502");
	vd_record_add_cwe(r, "CWE-917");
	vd_record_add_alias(r, "GHSA-jfh8-c2jp-5v3q", "osv");
	vd_record_add_alias(r, "CNNVD-202112-799", "cnnvd");
	vd_record_add_score(r, "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "CRITICAL", "cna");
	vd_record_add_score(r, "2.0", "AV:N/AC:M/Au:N/C:C/I:C/A:C", 9.3, NULL, "nvd");
	vd_affected *a = vd_record_add_affected(r);
	a->vendor = vd_record_str(r, "Apache Software Foundation");
	a->product = vd_record_str(r, "Apache Log4j2");
	a->ecosystem = vd_record_str(r, "Maven");
	a->package = vd_record_str(r, "org.apache.logging.log4j:log4j-core");
	a->purl = vd_record_str(r, "pkg:maven/org.apache.logging.log4j/log4j-core");
	a->vers = vd_record_str(r, "vers:maven/>=2.0-beta9|<2.15.0");
	a->default_status = vd_record_str(r, "unaffected");
	a->source = vd_record_str(r, "cve5");
	vd_affected_add_cpe(r, a, "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*");
	vd_affected_add_version(r, a, "2.14.1");
	vd_affected_add_version(r, a, "2.14.0");
	vd_range *g = vd_affected_add_range(r, a, "ECOSYSTEM", NULL);
	vd_range_add_event(r, g, VD_EV_INTRODUCED, "2.0-beta9");
	vd_range_add_event(r, g, VD_EV_FIXED, "2.15.0");
	vd_range *g2 = vd_affected_add_range(r, a, "GIT", "https://github.com/apache/logging-log4j2");
	vd_range_add_event(r, g2, VD_EV_LAST_AFFECTED, "abc123");
	vd_range_add_event(r, g2, VD_EV_LIMIT, "def456");
	vd_affected *b = vd_record_add_affected(r);
	b->ecosystem = vd_record_str(r, "Maven");
	b->package = vd_record_str(r, "org.apache.logging.log4j:log4j-api");
	vd_record_add_ref(r, "https://logging.apache.org/log4j/2.x/security.html", "advisory", "cve5");
	vd_record_add_ref(r, "https://github.com/advisories/GHSA-jfh8-c2jp-5v3q", "web", "osv");
	vd_record_add_credit(r, "Chen Zhaojun of Alibaba Cloud Security Team", "finder", "cve5");
	vd_record_add_prov(r, "title.en", "cve5", "CVE-2021-44228", "2024-06-01T12:30:45Z");
	vd_record_add_prov(r, "affected", "osv", "GHSA-jfh8-c2jp-5v3q", "2024-05-01T00:00:00Z");
	return r;
}

static char *json_of(const vd_record *r)
{
	char *j = NULL;
	return vd_record_to_json(r, &j) == VD_OK ? j : NULL;
}

/* Search results collected as "id,id,id". */
typedef struct {
	char ids[4096];
	int n, stop_after;
	char last_state[32];
} hits;

static int collect(void *ctx, const vd_search_hit *h)
{
	hits *c = ctx;
	size_t len = strlen(c->ids);
	snprintf(c->ids + len, sizeof c->ids - len, "%s%s", len ? "," : "", h->id);
	snprintf(c->last_state, sizeof c->last_state, "%s", h->state ? h->state : "");
	c->n++;
	return c->stop_after && c->n >= c->stop_after ? 7 : 0;
}

static int search(vd_store *s, const char *text, bool unpub, const char *sev, int limit, int offset,
                  hits *out, uint64_t *total)
{
	memset(out, 0, sizeof *out);
	vd_search_query q = {.text = text, .include_unpublished = unpub, .severity = sev,
	                     .limit = limit, .offset = offset};
	return s->ops->search(s, &q, collect, out, total);
}

/* A small data set for the search tests. */
static vd_store *search_fixture(void)
{
	vd_store *s = open_mem();
	if (!s)
		return NULL;
	vd_record *r;
	r = mk("CVE-2024-0001", "Buffer overflow in libfoo parser", "2024-01-05T00:00:00Z", "high", VD_STATE_PUBLISHED);
	vd_record_set_text(r, &r->description, "en", "A crafted PNG triggers a heap overflow.");
	put(s, r);
	r = mk("CVE-2024-0002", "SQL injection in BarCMS login", "2024-02-10T00:00:00Z", "critical", VD_STATE_PUBLISHED);
	vd_record_set_text(r, &r->title, "zh", "BarCMS 登录页 SQL 注入漏洞");
	put(s, r);
	r = mk("CVE-2024-0003", "Cross-site scripting in Baz 100% widget", "2024-03-15T00:00:00Z", "medium", VD_STATE_PUBLISHED);
	vd_record_set_text(r, &r->description, "zh", "Baz 组件存在跨站脚本漏洞，缓冲区未做过滤。");
	put(s, r);
	r = mk("CVE-2024-0004", "Embargoed overflow in qux_daemon", "2024-04-20T00:00:00Z", "high", VD_STATE_UNPUBLISHED);
	put(s, r);
	r = mk("CVE-2024-0005", "Denial of service in libfoo", "2024-05-25T00:00:00Z", "low", VD_STATE_PUBLISHED);
	put(s, r);
	r = mk("CVE-2024-0006", "Rejected duplicate of libfoo overflow", NULL, NULL, VD_STATE_REJECTED);
	put(s, r);
	return s;
}

static int count_problem(void *ctx, const char *problem)
{
	(void)problem;
	(*(int *)ctx)++;
	return 0;
}

/* Problems collected into one string for substring checks. */
typedef struct { char text[4096]; int n; } problems;
static void collect_problem(void *ctx, const char *p)
{
	problems *c = ctx;
	size_t len = strlen(c->text);
	snprintf(c->text + len, sizeof c->text - len, "%s\n", p);
	c->n++;
}
static void count_cb(void *ctx, const char *p) { count_problem(ctx, p); }

/* =================================================== part 1: interface */

static void t_open_postgres_unsupported(void)
{
	vd_store *s = (vd_store *)1;
	CHECK_INT(vd_store_open("postgresql://user:secret@localhost/vulnd", &s), VD_EUNSUPPORTED);
	CHECK(s == NULL);
	CHECK(strstr(vd_error_msg(), "PostgreSQL") != NULL);
	CHECK(strstr(vd_error_msg(), "secret") == NULL);
	CHECK_INT(vd_store_open("postgres://localhost/x", &s), VD_EUNSUPPORTED);
	CHECK_INT(vd_store_open("", &s), VD_EINVAL);
	CHECK_INT(vd_store_open(NULL, &s), VD_EINVAL);
	vd_store_close(NULL);   /* harmless */
}

static void t_schema_version(void)
{
	vd_store *s = NULL;
	REQUIRE(vd_store_open(":memory:", &s) == VD_OK);
	CHECK_INT(s->ops->version, VD_STORE_OPS_VERSION);
	CHECK_STR(s->ops->name, "sqlite");
	int cur = -1, latest = -1;
	CHECK_INT(s->ops->schema_version(s, &cur, &latest), VD_OK);
	CHECK_INT(cur, 0);
	CHECK(latest >= 1);
	vd_record *r = mk("CVE-1", "t", NULL, NULL, VD_STATE_PUBLISHED);
	CHECK(vd_store_put(s, r) != VD_OK);   /* no schema yet: an error, not a crash */
	vd_record_free(r);
	CHECK_INT(vd_store_migrate(s), VD_OK);
	CHECK_INT(s->ops->schema_version(s, &cur, NULL), VD_OK);
	CHECK_INT(cur, latest);
	vd_store_close(s);
}

static void t_migrate_idempotent(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	CHECK_INT(put(s, mk("CVE-2020-0001", "keep me", NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(vd_store_migrate(s), VD_OK);
	CHECK_INT(vd_store_migrate(s), VD_OK);
	int cur, latest;
	CHECK_INT(s->ops->schema_version(s, &cur, &latest), VD_OK);
	CHECK_INT(cur, latest);
	vd_record *r = NULL;
	CHECK_INT(vd_store_get(s, "CVE-2020-0001", &r), VD_OK);
	vd_record_free(r);
	CHECK_INT(vd_store_begin(s), VD_OK);
	CHECK_INT(vd_store_migrate(s), VD_EINVAL);   /* not inside a transaction */
	CHECK_INT(vd_store_rollback(s), VD_OK);
	vd_store_close(s);
}

static void t_roundtrip_full(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_record *r = full_record();
	char *want = json_of(r);
	REQUIRE(want);
	CHECK_INT(vd_store_put(s, r), VD_OK);
	vd_record *got = NULL;
	CHECK_INT(vd_store_get(s, "CVE-2021-44228", &got), VD_OK);
	if (got) {
		char *have = json_of(got);
		CHECK_STR(have, want);
		CHECK_INT(got->n_affected, 2);
		CHECK_INT(got->affected[0].n_ranges, 2);
		CHECK_STR(got->title.zh, "Apache Log4j2 远程代码执行漏洞");
		free(have);
	}
	vd_record_free(got);
	free(want);
	vd_record_free(r);
	vd_store_close(s);
}

static void t_get_by_alias(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	REQUIRE(put(s, full_record()) == VD_OK);
	char *id = NULL;
	CHECK_INT(s->ops->resolve(s, "GHSA-jfh8-c2jp-5v3q", &id), VD_OK);
	CHECK_STR(id, "CVE-2021-44228");
	free(id);
	id = NULL;
	CHECK_INT(s->ops->resolve(s, "cve-2021-44228", &id), VD_OK);
	CHECK_STR(id, "CVE-2021-44228");
	free(id);
	id = NULL;
	CHECK_INT(s->ops->resolve(s, "cnnvd-202112-799", &id), VD_OK);
	CHECK_STR(id, "CVE-2021-44228");
	free(id);
	const char *ways[] = {"CVE-2021-44228", "cve-2021-44228", "GHSA-JFH8-C2JP-5V3Q", "CNNVD-202112-799"};
	for (size_t i = 0; i < 4; i++) {
		vd_record *r = NULL;
		CHECK_INT(vd_store_get(s, ways[i], &r), VD_OK);
		if (r)
			CHECK_STR(r->id, "CVE-2021-44228");
		vd_record_free(r);
	}
	vd_store_close(s);
}

static void t_notfound(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_record *r = (vd_record *)1;
	char *id = (char *)1;
	CHECK_INT(vd_store_get(s, "CVE-1999-0001", &r), VD_ENOTFOUND);
	CHECK(r == NULL);
	CHECK_INT(s->ops->resolve(s, "CVE-1999-0001", &id), VD_ENOTFOUND);
	CHECK(id == NULL);
	CHECK_INT(vd_store_delete(s, "CVE-1999-0001"), VD_ENOTFOUND);
	vd_source_doc d;
	CHECK_INT(s->ops->source_get(s, "cve5", "CVE-1999-0001", &d), VD_ENOTFOUND);
	CHECK_INT(vd_store_get(s, "", &r), VD_ENOTFOUND);
	CHECK_INT(vd_store_get(s, "%", &r), VD_ENOTFOUND);
	vd_store_close(s);
}

static void t_put_invalid(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_record *r = vd_record_new();
	CHECK_INT(vd_store_put(s, r), VD_EINVAL);          /* no id */
	r->id = vd_record_str(r, "CVE-2020-0002");
	r->published = vd_record_str(r, "yesterday");
	CHECK_INT(vd_store_put(s, r), VD_EINVAL);          /* bad time */
	vd_record_free(r);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK_INT(st.records, 0);
	vd_store_close(s);
}

static void t_replace_updates_index(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_record *r = mk("CVE-2023-1000", "first", "2023-01-01T00:00:00Z", "high", VD_STATE_PUBLISHED);
	vd_record_add_alias(r, "GHSA-aaaa-bbbb-cccc", "osv");
	vd_record_add_alias(r, "CNVD-2023-11111", "cnvd");
	vd_record_add_cwe(r, "CWE-79");
	vd_record_add_affected(r)->product = vd_record_str(r, "old product");
	REQUIRE(put(s, r) == VD_OK);

	r = mk("CVE-2023-1000", "second", "2023-01-01T00:00:00Z", "low", VD_STATE_PUBLISHED);
	vd_record_add_alias(r, "CNVD-2023-11111", "cnvd");
	vd_record_add_alias(r, "OSV-2023-42", "osv");
	vd_record_add_cwe(r, "CWE-89");
	CHECK_INT(put(s, r), VD_OK);

	char *id = NULL;
	CHECK_INT(s->ops->resolve(s, "GHSA-aaaa-bbbb-cccc", &id), VD_ENOTFOUND);
	CHECK_INT(s->ops->resolve(s, "OSV-2023-42", &id), VD_OK);
	CHECK_STR(id, "CVE-2023-1000");
	free(id);
	vd_record *got = NULL;
	CHECK_INT(vd_store_get(s, "CNVD-2023-11111", &got), VD_OK);
	if (got) {
		CHECK_STR(got->title.en, "second");
		CHECK_STR(got->grade, "low");
		CHECK_INT(got->n_affected, 0);
	}
	vd_record_free(got);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK_INT(st.records, 1);
	CHECK_INT(st.aliases, 2);
	CHECK_INT(st.affected, 0);
	int n = 0;
	CHECK_INT(s->ops->check(s, count_cb, &n), VD_OK);
	CHECK_INT(n, 0);
	hits h;
	CHECK_INT(search(s, NULL, false, "high", 0, 0, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);                                   /* grade column updated too */
	vd_store_close(s);
}

static void t_put_unchanged_twice(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_record *r = full_record();
	CHECK_INT(vd_store_put(s, r), VD_OK);
	CHECK_INT(vd_store_put(s, r), VD_OK);
	vd_store_begin(s);
	CHECK_INT(vd_store_put(s, r), VD_OK);
	CHECK_INT(vd_store_commit(s), VD_OK);
	vd_record_free(r);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK_INT(st.records, 1);
	CHECK_INT(st.aliases, 2);
	CHECK_INT(st.affected, 2);
	int n = 0;
	CHECK_INT(s->ops->check(s, count_cb, &n), VD_OK);
	vd_store_close(s);
}

static void t_delete_cascades(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	REQUIRE(put(s, full_record()) == VD_OK);
	REQUIRE(put(s, mk("CVE-2022-0001", "other", NULL, NULL, VD_STATE_PUBLISHED)) == VD_OK);
	CHECK_INT(vd_store_delete(s, "CVE-2021-44228"), VD_OK);
	char *id = NULL;
	CHECK_INT(s->ops->resolve(s, "GHSA-jfh8-c2jp-5v3q", &id), VD_ENOTFOUND);
	CHECK_INT(s->ops->resolve(s, "CVE-2021-44228", &id), VD_ENOTFOUND);
	CHECK_INT(s->ops->resolve(s, "CVE-2022-0001", &id), VD_OK);
	free(id);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK_INT(st.records, 1);
	CHECK_INT(st.aliases, 0);
	CHECK_INT(st.affected, 0);
	int n = 0;
	CHECK_INT(s->ops->check(s, count_cb, &n), VD_OK);
	CHECK_INT(n, 0);
	CHECK_INT(vd_store_delete(s, "CVE-2021-44228"), VD_ENOTFOUND);
	vd_store_close(s);
}

/* Two records carrying one alias: neither put fails, the first keeps it,
 * a record whose own id it is wins, and it falls to the other one when
 * the holder goes away. */
static void t_shared_alias(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_record *a = mk("GHSA-1111-2222-3333", "a", NULL, NULL, VD_STATE_PUBLISHED);
	vd_record_add_alias(a, "CVE-2022-9999", "osv");
	vd_record *b = mk("PYSEC-2022-1", "b", NULL, NULL, VD_STATE_PUBLISHED);
	vd_record_add_alias(b, "CVE-2022-9999", "osv");
	CHECK_INT(put(s, a), VD_OK);
	CHECK_INT(put(s, b), VD_OK);
	char *id = NULL;
	CHECK_INT(s->ops->resolve(s, "CVE-2022-9999", &id), VD_OK);
	CHECK_STR(id, "GHSA-1111-2222-3333");
	free(id);
	id = NULL;
	CHECK_INT(vd_store_delete(s, "GHSA-1111-2222-3333"), VD_OK);
	CHECK_INT(s->ops->resolve(s, "cve-2022-9999", &id), VD_OK);
	CHECK_STR(id, "PYSEC-2022-1");
	free(id);
	id = NULL;
	CHECK_INT(put(s, mk("CVE-2022-9999", "the cve itself", NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(s->ops->resolve(s, "CVE-2022-9999", &id), VD_OK);
	CHECK_STR(id, "CVE-2022-9999");
	free(id);
	int n = 0;
	CHECK_INT(s->ops->check(s, count_cb, &n), VD_OK);
	CHECK_INT(n, 0);
	vd_store_close(s);
}

static void t_source_put_get(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_source_doc d = {"cve5", "CVE-2021-44228", "CVE-2021-44228", "h1", "{\"a\":\"一\"}"};
	CHECK_INT(s->ops->source_put(s, &d), VD_OK);
	vd_source_doc g;
	CHECK_INT(s->ops->source_get(s, "cve5", "CVE-2021-44228", &g), VD_OK);
	CHECK_STR(g.source, "cve5");
	CHECK_STR(g.source_id, "CVE-2021-44228");
	CHECK_STR(g.record_id, "CVE-2021-44228");
	CHECK_STR(g.hash, "h1");
	CHECK_STR(g.json, "{\"a\":\"一\"}");
	vd_source_doc d2 = {"cve5", "CVE-2021-44228", "CVE-2021-44228", "h2", "{\"a\":2}"};
	CHECK_INT(s->ops->source_put(s, &d2), VD_OK);
	CHECK_INT(s->ops->source_get(s, "cve5", "CVE-2021-44228", &g), VD_OK);
	CHECK_STR(g.hash, "h2");
	CHECK_STR(g.json, "{\"a\":2}");
	CHECK_INT(s->ops->source_get(s, "osv", "CVE-2021-44228", &g), VD_ENOTFOUND);
	vd_source_doc bad = {"cve5", NULL, "X", "h", "{}"};
	CHECK_INT(s->ops->source_put(s, &bad), VD_EINVAL);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK_INT(st.sources, 1);
	vd_store_close(s);
}

typedef struct { char seen[1024]; int n, stop_after; } srcs;
static int collect_src(void *ctx, const vd_source_doc *d)
{
	srcs *c = ctx;
	size_t len = strlen(c->seen);
	snprintf(c->seen + len, sizeof c->seen - len, "%s%s/%s=%s", len ? "," : "", d->source, d->source_id,
	         d->hash ? d->hash : "-");
	c->n++;
	return c->stop_after && c->n >= c->stop_after ? 5 : 0;
}

static void t_source_list(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_source_doc docs[] = {
		{"osv", "GHSA-x", "CVE-1", "b", "{}"},
		{"cve5", "CVE-1", "CVE-1", "a", "{}"},
		{"osv", "PYSEC-1", "CVE-1", NULL, "{}"},
		{"cve5", "CVE-2", "CVE-2", "c", "{}"},
	};
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(s->ops->source_put(s, &docs[i]), VD_OK);
	srcs c = {{0}, 0, 0};
	CHECK_INT(s->ops->source_list(s, "CVE-1", collect_src, &c), VD_OK);
	CHECK_STR(c.seen, "cve5/CVE-1=a,osv/GHSA-x=b,osv/PYSEC-1=-");
	memset(&c, 0, sizeof c);
	CHECK_INT(s->ops->source_list(s, "CVE-404", collect_src, &c), VD_OK);
	CHECK_INT(c.n, 0);
	memset(&c, 0, sizeof c);
	c.stop_after = 1;
	CHECK_INT(s->ops->source_list(s, "CVE-1", collect_src, &c), 5);   /* callback's value passed up */
	CHECK_INT(c.n, 1);
	memset(&c, 0, sizeof c);
	CHECK_INT(s->ops->source_list(s, "CVE-1", collect_src, &c), VD_OK);  /* usable again */
	CHECK_INT(c.n, 3);
	vd_store_close(s);
}

static void t_tx_rollback(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	REQUIRE(put(s, mk("CVE-2020-0010", "before", NULL, NULL, VD_STATE_PUBLISHED)) == VD_OK);
	CHECK_INT(vd_store_begin(s), VD_OK);
	CHECK_INT(put(s, mk("CVE-2020-0011", "in tx", NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(put(s, mk("CVE-2020-0010", "changed", NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	vd_source_doc d = {"cve5", "CVE-2020-0011", "CVE-2020-0011", "h", "{}"};
	CHECK_INT(s->ops->source_put(s, &d), VD_OK);
	vd_record *r = NULL;
	CHECK_INT(vd_store_get(s, "CVE-2020-0011", &r), VD_OK);   /* visible inside */
	vd_record_free(r);
	CHECK_INT(vd_store_rollback(s), VD_OK);
	r = NULL;
	CHECK_INT(vd_store_get(s, "CVE-2020-0011", &r), VD_ENOTFOUND);
	CHECK_INT(vd_store_get(s, "CVE-2020-0010", &r), VD_OK);
	if (r)
		CHECK_STR(r->title.en, "before");
	vd_record_free(r);
	vd_source_doc g;
	CHECK_INT(s->ops->source_get(s, "cve5", "CVE-2020-0011", &g), VD_ENOTFOUND);
	CHECK_INT(vd_store_rollback(s), VD_OK);      /* outside a transaction: no-op */
	vd_store_close(s);
}

static void t_tx_commit(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	CHECK_INT(vd_store_begin(s), VD_OK);
	for (int i = 0; i < 50; i++) {
		char id[32];
		snprintf(id, sizeof id, "CVE-2021-%04d", i);
		CHECK_INT(put(s, mk(id, "bulk", NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	}
	CHECK_INT(vd_store_delete(s, "CVE-2021-0007"), VD_OK);
	CHECK_INT(vd_store_commit(s), VD_OK);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK_INT(st.records, 49);
	CHECK_INT(vd_store_commit(s), VD_EINVAL);    /* nothing open */
	vd_store_close(s);
}

static void t_tx_nested_refused(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	CHECK_INT(vd_store_begin(s), VD_OK);
	CHECK_INT(put(s, mk("CVE-2020-0020", "x", NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(vd_store_begin(s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "nest") != NULL);
	CHECK_INT(vd_store_commit(s), VD_OK);        /* the outer one is still intact */
	vd_record *r = NULL;
	CHECK_INT(vd_store_get(s, "CVE-2020-0020", &r), VD_OK);
	vd_record_free(r);
	CHECK_INT(vd_store_begin(s), VD_OK);         /* and a new one can start */
	CHECK_INT(vd_store_rollback(s), VD_OK);
	vd_store_close(s);
}

static void t_search_text(void)
{
	vd_store *s = search_fixture();
	REQUIRE(s);
	hits h;
	uint64_t total = 0;
	CHECK_INT(search(s, "libfoo", false, NULL, 0, 0, &h, &total), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0005,CVE-2024-0001");          /* newest first */
	CHECK_INT(total, 2);
	CHECK_INT(search(s, "LIBFOO", false, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_INT(h.n, 2);                                       /* case-insensitive */
	CHECK_INT(search(s, "heap overflow", false, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0001");                       /* description, two words */
	CHECK_INT(search(s, "cve-2024-0002", false, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0002");                       /* id */
	CHECK_INT(search(s, "no such words anywhere", false, NULL, 0, 0, &h, &total), VD_OK);
	CHECK_INT(h.n, 0);
	CHECK_INT(total, 0);
	CHECK_INT(search(s, NULL, false, NULL, 0, 0, &h, &total), VD_OK);
	CHECK_INT(total, 4);                                     /* no text: every published */
	CHECK_INT(search(s, "   ", false, NULL, 0, 0, &h, &total), VD_OK);
	CHECK_INT(total, 4);
	h.stop_after = 0;
	memset(&h, 0, sizeof h);
	h.stop_after = 2;
	vd_search_query q = {0};
	CHECK_INT(s->ops->search(s, &q, collect, &h, NULL), 7);   /* callback stops it */
	CHECK_INT(h.n, 2);
	vd_store_close(s);
}

static void t_search_escape(void)
{
	vd_store *s = search_fixture();
	REQUIRE(s);
	hits h;
	CHECK_INT(search(s, "100%", false, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0003");
	CHECK_INT(search(s, "%", false, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0003");                       /* literal %, not "anything" */
	CHECK_INT(search(s, "_", false, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);                                       /* only qux_daemon has one, unpublished */
	CHECK_INT(search(s, "qux_d", true, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0004");
	CHECK_INT(search(s, "qux_", true, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_INT(h.n, 1);
	CHECK_INT(search(s, "qu%_d", true, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);
	CHECK_INT(search(s, "\\", true, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);
	char big[2048];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK_INT(search(s, big, true, NULL, 0, 0, &h, NULL), VD_EINVAL);
	vd_store_close(s);
}

static void t_search_severity(void)
{
	vd_store *s = search_fixture();
	REQUIRE(s);
	hits h;
	uint64_t total;
	CHECK_INT(search(s, NULL, false, "high", 0, 0, &h, &total), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0001");
	CHECK_INT(total, 1);
	CHECK_INT(search(s, NULL, true, "HIGH", 0, 0, &h, &total), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0004,CVE-2024-0001");
	CHECK_INT(search(s, "libfoo", false, "low", 0, 0, &h, &total), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0005");
	CHECK_INT(search(s, NULL, false, "critical", 0, 0, &h, &total), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0002");
	CHECK_INT(search(s, NULL, false, "", 0, 0, &h, &total), VD_OK);
	CHECK_INT(total, 4);                                     /* empty = no filter */
	vd_store_close(s);
}

static void t_search_unpublished(void)
{
	vd_store *s = search_fixture();
	REQUIRE(s);
	hits h;
	uint64_t total;
	CHECK_INT(search(s, "overflow", false, NULL, 0, 0, &h, &total), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0001");                       /* embargoed and rejected hidden */
	CHECK_INT(total, 1);
	CHECK_INT(search(s, "overflow", true, NULL, 0, 0, &h, &total), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-0004,CVE-2024-0001,CVE-2024-0006");  /* no date last */
	CHECK_INT(total, 3);
	CHECK_INT(search(s, "qux_daemon", true, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_STR(h.last_state, "unpublished");
	vd_store_close(s);
}

static void t_search_paging(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	REQUIRE(vd_store_begin(s) == VD_OK);
	for (int i = 1; i <= 45; i++) {
		char id[32], date[32];
		snprintf(id, sizeof id, "CVE-2019-%04d", i);
		snprintf(date, sizeof date, "2019-01-%02dT00:00:00Z", (i % 28) + 1);
		vd_record *r = mk(id, "paged widget flaw", date, "medium", VD_STATE_PUBLISHED);
		REQUIRE(put(s, r) == VD_OK);
	}
	REQUIRE(vd_store_commit(s) == VD_OK);
	hits h;
	uint64_t total = 0;
	CHECK_INT(search(s, "widget", false, NULL, 0, 0, &h, &total), VD_OK);
	CHECK_INT(h.n, 20);                                      /* default page */
	CHECK_INT(total, 45);
	CHECK(strncmp(h.ids, "CVE-2019-0027,CVE-2019-0026,", 28) == 0);  /* 28th, 27th Jan first */
	char all[8192] = "";
	int seen = 0;
	for (int off = 0; off < 60; off += 10) {
		CHECK_INT(search(s, "widget", false, NULL, 10, off, &h, &total), VD_OK);
		CHECK_INT(total, 45);
		seen += h.n;
		size_t len = strlen(all);
		if (h.n)
			snprintf(all + len, sizeof all - len, "%s%s", len ? "," : "", h.ids);
	}
	CHECK_INT(seen, 45);
	/* each id once across pages */
	for (int i = 1; i <= 45; i++) {
		char id[32];
		snprintf(id, sizeof id, "CVE-2019-%04d", i);
		char *p = strstr(all, id);
		CHECK(p && !strstr(p + 1, id));
	}
	CHECK_INT(search(s, "widget", false, NULL, 10, 40, &h, NULL), VD_OK);
	CHECK_INT(h.n, 5);
	CHECK_INT(search(s, "widget", false, NULL, 10, 1000, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);
	vd_store_close(s);
}

static void t_stats_counts(void)
{
	vd_store *s = search_fixture();
	REQUIRE(s);
	REQUIRE(put(s, full_record()) == VD_OK);
	vd_record *w = mk("CVE-2024-0007", "withdrawn one", NULL, NULL, VD_STATE_WITHDRAWN);
	vd_record_add_alias(w, "CNVD-2024-00007", "cnvd");
	REQUIRE(put(s, w) == VD_OK);
	vd_source_doc d = {"cve5", "CVE-2024-0007", "CVE-2024-0007", "h", "{}"};
	REQUIRE(s->ops->source_put(s, &d) == VD_OK);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK_INT(st.records, 8);
	CHECK_INT(st.published, 5);
	CHECK_INT(st.unpublished, 1);
	CHECK_INT(st.rejected, 1);
	CHECK_INT(st.withdrawn, 1);
	CHECK_INT(st.aliases, 3);                                /* GHSA, CNNVD, CNVD */
	CHECK_INT(st.sources, 1);
	CHECK_INT(st.affected, 2);
	int latest;
	s->ops->schema_version(s, NULL, &latest);
	CHECK_INT(st.schema_version, latest);
	CHECK_INT(st.db_bytes, 0);                               /* in memory */
	vd_store_close(s);
}

static void t_check_clean(void)
{
	vd_store *s = search_fixture();
	REQUIRE(s);
	REQUIRE(put(s, full_record()) == VD_OK);
	problems p = {{0}, 0};
	CHECK_INT(s->ops->check(s, collect_problem, &p), VD_OK);
	CHECK_INT(p.n, 0);
	if (p.n)
		fprintf(stderr, "%s", p.text);
	CHECK_INT(s->ops->check(s, NULL, NULL), VD_OK);          /* callback optional */
	vd_store_close(s);
}

static void t_unicode_zh(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	vd_record *r = mk("CNNVD-202401-001", NULL, "2024-01-02T03:04:05Z", "high", VD_STATE_PUBLISHED);
	vd_record_set_text(r, &r->title, "zh", "华为 某路由器 缓冲区溢出漏洞 😀");
	vd_record_set_text(r, &r->description, "zh", "攻击者可通过特制的请求触发缓冲区溢出，导致拒绝服务。");
	char *want = json_of(r);
	REQUIRE(want && put(s, r) == VD_OK);
	vd_record *got = NULL;
	CHECK_INT(vd_store_get(s, "cnnvd-202401-001", &got), VD_OK);
	if (got) {
		CHECK_STR(got->title.zh, "华为 某路由器 缓冲区溢出漏洞 😀");
		char *have = json_of(got);
		CHECK_STR(have, want);
		free(have);
	}
	vd_record_free(got);
	free(want);
	hits h;
	CHECK_INT(search(s, "缓冲区", false, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CNNVD-202401-001");
	CHECK_INT(search(s, "拒绝服务", false, NULL, 0, 0, &h, NULL), VD_OK);   /* description */
	CHECK_STR(h.ids, "CNNVD-202401-001");
	CHECK_INT(search(s, "华为\xe3\x80\x80溢出", false, NULL, 0, 0, &h, NULL), VD_OK); /* ideographic space */
	CHECK_STR(h.ids, "CNNVD-202401-001");
	CHECK_INT(search(s, "中兴", false, NULL, 0, 0, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);
	vd_store_close(s);
}

/* The shape of a bulk import: get, source get/put, put, 2000 times in one transaction. */
static void t_bulk_import_shape(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	REQUIRE(vd_store_begin(s) == VD_OK);
	int fails = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 2000; i++) {
			char id[32], gh[32];
			snprintf(id, sizeof id, "CVE-2018-%05d", i);
			snprintf(gh, sizeof gh, "GHSA-%04d-aaaa-bbbb", i);
			vd_source_doc d;
			int rc = s->ops->source_get(s, "osv", gh, &d);
			if (pass == 0 ? rc != VD_ENOTFOUND : rc != VD_OK)
				fails++;
			vd_record *old = NULL;
			rc = vd_store_get(s, gh, &old);
			if (pass == 0 ? rc != VD_ENOTFOUND : rc != VD_OK)
				fails++;
			vd_record_free(old);
			vd_source_doc nd = {"osv", gh, id, "hash", "{\"id\":\"x\"}"};
			if (s->ops->source_put(s, &nd) != VD_OK)
				fails++;
			vd_record *r = mk(id, "bulk record", "2018-05-05T00:00:00Z", "medium", VD_STATE_PUBLISHED);
			vd_record_add_alias(r, gh, "osv");
			vd_record_add_cwe(r, "CWE-20");
			vd_record_add_affected(r)->package = vd_record_str(r, "pkg");
			if (put(s, r) != VD_OK)
				fails++;
		}
	CHECK_INT(fails, 0);
	CHECK_INT(vd_store_commit(s), VD_OK);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK_INT(st.records, 2000);
	CHECK_INT(st.aliases, 2000);
	CHECK_INT(st.sources, 2000);
	CHECK_INT(st.affected, 2000);
	vd_store_close(s);
}

/* ============================================= part 2: SQLite file specifics
 * These look at the file with sqlite3 directly. */

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	return p;
}

static int raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static char *raw_text(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	char *out = NULL;
	if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		out = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	return out;
}

static void rm_db(const char *name)
{
	char p[600];
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s%s", tmpdir, name, suffix[i]);
		unlink(p);
	}
}

static void t_sqlite_wal_reopen(void)
{
	const char *path = tmp_path("a.db");
	vd_store *s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	REQUIRE(vd_store_migrate(s) == VD_OK);
	CHECK_INT(put(s, full_record()), VD_OK);
	vd_store_stats st;
	CHECK_INT(vd_store_stats_get(s, &st), VD_OK);
	CHECK(st.db_bytes > 0);
	char *mode = raw_text(path, "PRAGMA journal_mode");
	CHECK_STR(mode, "wal");
	free(mode);
	vd_store_close(s);

	s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	CHECK_INT(vd_store_migrate(s), VD_OK);
	vd_record *r = NULL, *want = full_record();
	CHECK_INT(vd_store_get(s, "GHSA-jfh8-c2jp-5v3q", &r), VD_OK);
	if (r) {
		char *a = json_of(r), *b = json_of(want);
		CHECK_STR(a, b);
		free(a);
		free(b);
	}
	vd_record_free(r);
	vd_record_free(want);
	vd_store_close(s);
	rm_db("a.db");
}

static void t_sqlite_migrate_old_and_empty(void)
{
	/* An empty file. */
	const char *path = tmp_path("empty.db");
	FILE *f = fopen(path, "w");
	REQUIRE(f);
	fclose(f);
	vd_store *s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	CHECK_INT(vd_store_migrate(s), VD_OK);
	int cur = 0;
	s->ops->schema_version(s, &cur, NULL);
	CHECK_INT(cur, VD_SQLITE_SCHEMA_LATEST);
	vd_store_close(s);
	rm_db("empty.db");

	/* A version-1 database with a record in it, made the old way. */
	path = tmp_path("old.db");
	REQUIRE(raw_exec(path, vd_sqlite_migrations[0]) == SQLITE_OK);
	REQUIRE(raw_exec(path, "PRAGMA user_version = 1;"
	                       "INSERT INTO records(id, state, doc, hash) VALUES('CVE-2000-0001', 'published',"
	                       " '{\"id\":\"CVE-2000-0001\",\"state\":\"published\"}', 'x');"
	                       "INSERT INTO aliases(alias, record_id) VALUES('CVE-2000-0001', 'CVE-2000-0001');")
	        == SQLITE_OK);
	s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	s->ops->schema_version(s, &cur, NULL);
	CHECK_INT(cur, 1);
	CHECK_INT(vd_store_migrate(s), VD_OK);
	s->ops->schema_version(s, &cur, NULL);
	CHECK_INT(cur, VD_SQLITE_SCHEMA_LATEST);
	vd_record *r = NULL;
	CHECK_INT(vd_store_get(s, "cve-2000-0001", &r), VD_OK);
	vd_record_free(r);
	vd_store_close(s);
	char *ix = raw_text(path, "SELECT name FROM sqlite_master WHERE name = 'affected_purl'");
	CHECK_STR(ix, "affected_purl");
	free(ix);
	rm_db("old.db");

	/* Not a database at all. */
	path = tmp_path("junk.db");
	f = fopen(path, "w");
	REQUIRE(f);
	fputs("this is not an SQLite database, just some text long enough to look like a header....", f);
	fclose(f);
	s = NULL;
	int rc = vd_store_open(path, &s);
	if (rc == VD_OK)
		rc = vd_store_migrate(s);
	CHECK(rc == VD_EIO);
	vd_store_close(s);
	rm_db("junk.db");
}

/* A database made before documents were compressed, before affected_vp and
 * before the entry JSON moved into affected: its text documents read as
 * they are, its affected_cpe rows become one affected_vp row per product,
 * its affected_json rows move into affected.json, and a CPE lookup finds
 * the entry with its JSON. */
/* counts rows whose entry JSON arrived (the migrated affected.json) */
static int count_rows(void *ctx, const vd_match_row *row)
{
	if (row->affected && strstr(row->affected, "acme:widget:1.0"))
		(*(int *)ctx)++;
	return 0;
}

static void t_sqlite_migrate_cpe_rows(void)
{
	const char *path = tmp_path("cpe.db");
	/* today's schema taken back to before those two migrations */
	vd_store *s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	REQUIRE(vd_store_migrate(s) == VD_OK);
	vd_store_close(s);
	int before = 0;   /* the version that the zdicts migration upgrades from */
	while (before < VD_SQLITE_SCHEMA_LATEST && !strstr(vd_sqlite_migrations[before], "CREATE TABLE zdicts"))
		before++;
	REQUIRE(before < VD_SQLITE_SCHEMA_LATEST - 1);
	REQUIRE(strstr(vd_sqlite_migrations[before + 1], "CREATE TABLE affected_vp") != NULL);
	REQUIRE(before + 2 < VD_SQLITE_SCHEMA_LATEST &&
	        strstr(vd_sqlite_migrations[before + 2], "DROP TABLE affected_json") != NULL);
	char uv[1200];
	snprintf(uv, sizeof uv, "DROP TABLE affected_vp; DROP TABLE zdicts;"
	         "CREATE TABLE affected_cpe(record_id TEXT NOT NULL, idx INTEGER NOT NULL, vp TEXT NOT NULL,"
	         " FOREIGN KEY(record_id, idx) REFERENCES affected(record_id, idx) ON DELETE CASCADE);"
	         "CREATE TABLE affected_json(record_id TEXT NOT NULL, idx INTEGER NOT NULL, json TEXT NOT NULL,"
	         " PRIMARY KEY(record_id, idx), FOREIGN KEY(record_id, idx) REFERENCES affected(record_id, idx)"
	         " ON DELETE CASCADE) WITHOUT ROWID;"
	         "DROP INDEX affected_package; DROP INDEX affected_purl; DROP INDEX affected_package_nocase;"
	         /* DROP COLUMN re-reads the triggers; this one names the FTS table,
	          * whose tokenizer a plain connection lacks: set it aside */
	         "DROP TRIGGER search_docs_delete;"
	         "ALTER TABLE affected DROP COLUMN json;"
	         "CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN"
	         " DELETE FROM search_fts WHERE rowid = old.docid; END;"
	         "CREATE INDEX affected_package ON affected(ecosystem, package);"
	         "CREATE INDEX affected_purl ON affected(purl);"
	         "CREATE INDEX affected_package_nocase ON affected(package COLLATE NOCASE);"
	         "PRAGMA user_version = %d", before);
	REQUIRE(raw_exec(path, uv) == SQLITE_OK);
	REQUIRE(raw_exec(path,
	        "INSERT INTO records(id, state, doc, hash) VALUES('CVE-2000-0002', 'published',"
	        " '{\"affected\":[{\"cpes\":[\"cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*\"],\"product\":\"widget\","
	        "\"vendor\":\"acme\"}],\"id\":\"CVE-2000-0002\",\"state\":\"published\"}', 'x');"
	        "INSERT INTO affected(record_id, idx, vendor, product) VALUES('CVE-2000-0002', 0, 'acme', 'widget');"
	        "INSERT INTO affected_json(record_id, idx, json) VALUES('CVE-2000-0002', 0,"
	        " '{\"cpes\":[\"cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*\"],\"product\":\"widget\",\"vendor\":\"acme\"}');"
	        "INSERT INTO affected_cpe(record_id, idx, vp) VALUES('CVE-2000-0002', 0, 'acme:widget:1.0:*:*:*:*:*:*:*'),"
	        " ('CVE-2000-0002', 0, 'acme:widget:2.0:*:*:*:*:*:*:*'), ('CVE-2000-0002', 0, 'acme:gadget:-:*:*:*:*:*:*:*');")
	        == SQLITE_OK);
	s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	CHECK_INT(vd_store_migrate(s), VD_OK);
	char *n = raw_text(path, "SELECT group_concat(vp, ' ') FROM (SELECT vp FROM affected_vp ORDER BY vp)");
	CHECK_STR(n, "acme:gadget acme:widget");
	free(n);
	char *gone = raw_text(path, "SELECT count(*) FROM sqlite_master WHERE name = 'affected_cpe'");
	CHECK_STR(gone, "0");
	free(gone);
	int found = 0;
	vd_match_key k = {.cpe_prefix = "acme:widget"};
	CHECK_INT(s->ops->match_candidates(s, &k, count_rows, &found), VD_OK);
	CHECK_INT(found, 1);
	vd_record *r = NULL;
	CHECK_INT(vd_store_get(s, "CVE-2000-0002", &r), VD_OK);
	CHECK(r && r->n_affected == 1);
	vd_record_free(r);
	vd_store_close(s);
	rm_db("cpe.db");
}

static void t_sqlite_newer_version(void)
{
	const char *path = tmp_path("new.db");
	REQUIRE(raw_exec(path, "PRAGMA user_version = 999") == SQLITE_OK);
	vd_store *s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	CHECK_INT(vd_store_migrate(s), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "newer") != NULL);
	CHECK(strstr(vd_error_msg(), "999") != NULL);
	vd_store_close(s);
	rm_db("new.db");
}

static void t_sqlite_check_detects_corruption(void)
{
	const char *path = tmp_path("check.db");
	vd_store *s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	REQUIRE(vd_store_migrate(s) == VD_OK);
	REQUIRE(put(s, full_record()) == VD_OK);
	REQUIRE(put(s, mk("CVE-2022-0002", "fine", NULL, NULL, VD_STATE_PUBLISHED)) == VD_OK);
	CHECK_INT(s->ops->check(s, NULL, NULL), VD_OK);

	/* Behind the store's back: drop an alias row, add a stray CWE, alter an
	 * affected row, change a column, and add an orphan row (FKs off). */
	CHECK_INT(raw_exec(path,
	          "DELETE FROM aliases WHERE alias = 'GHSA-jfh8-c2jp-5v3q';"
	          "INSERT INTO record_cwes VALUES('CVE-2021-44228', 'CWE-1');"
	          "UPDATE affected SET package = 'evil' WHERE record_id = 'CVE-2021-44228' AND idx = 1;"
	          "UPDATE records SET grade = 'low' WHERE id = 'CVE-2022-0002';"
	          "INSERT INTO aliases VALUES('GHOST-1', 'NO-SUCH-RECORD', NULL);"), SQLITE_OK);
	problems p = {{0}, 0};
	CHECK_INT(s->ops->check(s, collect_problem, &p), VD_ECONFLICT);
	CHECK(strstr(p.text, "record CVE-2021-44228: alias GHSA-jfh8-c2jp-5v3q missing from index") != NULL);
	CHECK(strstr(p.text, "CWE-1 that is not in its document") != NULL);
	CHECK(strstr(p.text, "affected row 1") != NULL);
	CHECK(strstr(p.text, "record CVE-2022-0002: column grade") != NULL);
	CHECK(strstr(p.text, "foreign key: aliases") != NULL);
	CHECK_INT(p.n, 5);
	if (p.n != 5)
		fprintf(stderr, "%s", p.text);

	/* Putting the record again repairs its index rows. */
	CHECK_INT(raw_exec(path, "DELETE FROM aliases WHERE record_id = 'NO-SUCH-RECORD';"
	                         "UPDATE records SET hash = 'stale'"), SQLITE_OK);
	REQUIRE(put(s, full_record()) == VD_OK);
	REQUIRE(put(s, mk("CVE-2022-0002", "fine", NULL, NULL, VD_STATE_PUBLISHED)) == VD_OK);
	memset(&p, 0, sizeof p);
	CHECK_INT(s->ops->check(s, collect_problem, &p), VD_OK);
	if (p.n)
		fprintf(stderr, "%s", p.text);
	vd_store_close(s);
	rm_db("check.db");
}

/* A write failing part-way (a trigger refuses an affected row after the
 * records row went in): outside a transaction nothing is left behind;
 * inside one, commit refuses and rolls back. */
static void t_sqlite_failed_write_rolls_back(void)
{
	const char *path = tmp_path("fail.db");
	vd_store *s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	REQUIRE(vd_store_migrate(s) == VD_OK);
	REQUIRE(raw_exec(path, "CREATE TRIGGER no_bad BEFORE INSERT ON affected WHEN NEW.package = 'bad'"
	                       " BEGIN SELECT RAISE(ABORT, 'bad package'); END;") == SQLITE_OK);
	vd_record *r = mk("CVE-2017-0001", "fails", NULL, NULL, VD_STATE_PUBLISHED);
	vd_record_add_alias(r, "GHSA-fail-fail-fail", "osv");
	vd_record_add_affected(r)->package = vd_record_str(r, "bad");
	CHECK_INT(vd_store_put(s, r), VD_ECONFLICT);
	CHECK(strstr(vd_error_msg(), "bad package") != NULL);
	vd_record *got = NULL;
	CHECK_INT(vd_store_get(s, "CVE-2017-0001", &got), VD_ENOTFOUND);
	char *id = NULL;
	CHECK_INT(s->ops->resolve(s, "GHSA-fail-fail-fail", &id), VD_ENOTFOUND);

	CHECK_INT(vd_store_begin(s), VD_OK);
	CHECK_INT(put(s, mk("CVE-2017-0002", "good", NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	vd_record *bad = mk("CVE-2017-0003", "no id", NULL, NULL, VD_STATE_PUBLISHED);
	bad->published = vd_record_str(bad, "not a date");
	CHECK_INT(put(s, bad), VD_EINVAL);                 /* refused before writing: harmless */
	CHECK_INT(vd_store_put(s, r), VD_ECONFLICT);       /* fails part-way */
	CHECK_INT(vd_store_commit(s), VD_EIO);
	CHECK(strstr(vd_error_msg(), "rolled back") != NULL);
	CHECK_INT(vd_store_get(s, "CVE-2017-0002", &got), VD_ENOTFOUND);
	CHECK_INT(vd_store_get(s, "CVE-2017-0001", &got), VD_ENOTFOUND);
	CHECK_INT(vd_store_rollback(s), VD_OK);

	CHECK_INT(vd_store_begin(s), VD_OK);               /* the next transaction is clean */
	CHECK_INT(put(s, mk("CVE-2017-0002", "good", NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(vd_store_commit(s), VD_OK);
	CHECK_INT(vd_store_get(s, "CVE-2017-0002", &got), VD_OK);
	vd_record_free(got);
	CHECK_INT(s->ops->check(s, NULL, NULL), VD_OK);
	vd_record_free(r);
	vd_store_close(s);
	rm_db("fail.db");
}

int main(void)
{
	RUN(t_open_postgres_unsupported);
	RUN(t_schema_version);
	RUN(t_migrate_idempotent);
	RUN(t_roundtrip_full);
	RUN(t_get_by_alias);
	RUN(t_notfound);
	RUN(t_put_invalid);
	RUN(t_replace_updates_index);
	RUN(t_put_unchanged_twice);
	RUN(t_delete_cascades);
	RUN(t_shared_alias);
	RUN(t_source_put_get);
	RUN(t_source_list);
	RUN(t_tx_rollback);
	RUN(t_tx_commit);
	RUN(t_tx_nested_refused);
	RUN(t_search_text);
	RUN(t_search_escape);
	RUN(t_search_severity);
	RUN(t_search_unpublished);
	RUN(t_search_paging);
	RUN(t_stats_counts);
	RUN(t_check_clean);
	RUN(t_unicode_zh);
	RUN(t_bulk_import_shape);

	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/vd-store-XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(tmpdir)) {
		RUN(t_sqlite_wal_reopen);
		RUN(t_sqlite_migrate_old_and_empty);
		RUN(t_sqlite_migrate_cpe_rows);
		RUN(t_sqlite_newer_version);
		RUN(t_sqlite_check_detects_corruption);
		RUN(t_sqlite_failed_write_rolls_back);
		rmdir(tmpdir);
	} else {
		fprintf(stderr, "  cannot create a temp dir under %s\n", t && *t ? t : "/tmp");
		vt_failed++;
	}
	return vt_done();
}
