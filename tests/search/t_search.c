/* tests/search/t_search.c — full-text search (issue 10): the vd tokenizer,
 * the index kept in step with the records (put, delete, rollback,
 * migration, db check), filters, facets, cursors, snippets, hostile
 * queries, and the relevance set tests/search/relevance.tsv plus the
 * two-character-word recall check over the real CNNVD/CNVD/CVE/OSV data.
 */
#include "harness.h"
#include "vulnd/store.h"
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "../../src/store/search_int.h"
#include "../../src/store/schema_sqlite.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

/* ---------------------------------------------------------------- helpers */

typedef struct { char s[4096]; } toks;

static int tok_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
	toks *t = ctx;
	size_t len = strlen(t->s);
	snprintf(t->s + len, sizeof t->s - len, "%s%s%.*s", len ? "|" : "", flags & VD_TOK_COLOCATED ? "+" : "",
	         n, tok);
	(void)start;
	(void)end;
	return 0;
}

static const char *tk(const char *text, bool query)
{
	static toks t;
	t.s[0] = 0;
	vd_fts_tokenize(text, (int)strlen(text), query, tok_cb, &t);
	return t.s;
}

static vd_record *mk(const char *id, const char *title_en, const char *title_zh, const char *published,
                     const char *grade, vd_state state)
{
	vd_record *r = vd_record_new();
	r->id = vd_record_str(r, id);
	r->state = state;
	r->published = vd_record_str(r, published);
	r->grade = vd_record_str(r, grade);
	vd_record_set_text(r, &r->title, "en", title_en);
	vd_record_set_text(r, &r->title, "zh", title_zh);
	return r;
}

static int put(vd_store *s, vd_record *r)
{
	int rc = vd_store_put(s, r);
	if (rc)
		fprintf(stderr, "  put %s: %s\n", r->id, vd_error_msg());
	vd_record_free(r);
	return rc;
}

static vd_store *open_mem(void)
{
	vd_store *s = NULL;
	if (vd_store_open(":memory:", &s) != VD_OK || vd_store_migrate(s) != VD_OK) {
		fprintf(stderr, "  cannot open a store: %s\n", vd_error_msg());
		vd_store_close(s);
		return NULL;
	}
	return s;
}

typedef struct {
	char ids[8192];
	char snip[1024];
	int n, stop_after;
} hits;

static int collect(void *ctx, const vd_search_hit *h)
{
	hits *c = ctx;
	size_t len = strlen(c->ids);
	snprintf(c->ids + len, sizeof c->ids - len, "%s%s", len ? "," : "", h->id);
	if (c->n == 0 && h->snippet)
		snprintf(c->snip, sizeof c->snip, "%s", h->snippet);
	c->n++;
	return c->stop_after && c->n >= c->stop_after ? 9 : 0;
}

static int sx(vd_store *s, vd_search_query *q, hits *h, vd_search_result *res)
{
	memset(h, 0, sizeof *h);
	return s->ops->search_ex(s, q, collect, h, res);
}

static int problems_n;
static char problems_text[4096];
static void problem(void *ctx, const char *p)
{
	(void)ctx;
	size_t len = strlen(problems_text);
	snprintf(problems_text + len, sizeof problems_text - len, "%s\n", p);
	problems_n++;
}

static int check(vd_store *s)
{
	problems_n = 0;
	problems_text[0] = 0;
	return s->ops->check(s, problem, NULL);
}

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
	static char p[512];
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/vd-search-XXXXXX");
		if (!mkdtemp(tmpdir))
			tmpdir[0] = 0;
	}
	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	return p;
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

/* A raw connection with the tokenizer (so FTS writes work). */
static int raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK && vd_fts_register(db) != VD_OK)
		rc = SQLITE_ERROR;
	char *err = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (err)
		fprintf(stderr, "  raw: %s\n", err);
	sqlite3_free(err);
	sqlite3_close(db);
	return rc;
}

/* -------------------------------------------------------------- tokenizer */

static void t_tokenizer_latin(void)
{
	CHECK_STR(tk("Hello, WORLD!", false), "hello|world");
	CHECK_STR(tk("Café Ünïcode Straße ŒUVRE Łódź", false), "cafe|unicode|strasse|oeuvre|lodz");
	CHECK_STR(tk("e\xcc\x81" "clair", false), "eclair");                    /* combining acute */
	CHECK_STR(tk("ΑΘΗΝΑ Ωμέγα МОСКВА Ёлка", false), "αθηνα|ωμεγα|москва|елка");
	CHECK_STR(tk("ＯｐｅｎＳＳＬ　１．０", false), "openssl|1|0");               /* full width */
	CHECK_STR(tk("CVE-2021-44228", false), "cve|2021|44228");
	CHECK_STR(tk("CNNVD-202112-799", true), "cnnvd|202112|799");
	CHECK_STR(tk("openssl-1.0.2k", false), "openssl|1|0|2k");
	CHECK_STR(tk("a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe6\xbc", false), "a|b|c|d");   /* invalid UTF-8 */
	CHECK_STR(tk("x😀y ©z", false), "x|y|z");
	CHECK_STR(tk("", false), "");
	CHECK_STR(tk("!!! ... ---", false), "");
	char big[600];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK_INT(strlen(tk(big, false)), VD_TOK_MAX);                         /* cut, one token */
}

static void t_tokenizer_cjk(void)
{
	CHECK_STR(tk("缓冲区溢出", false), "缓冲|冲区|区溢|溢出|+出");
	CHECK_STR(tk("缓冲区溢出", true), "缓冲|冲区|区溢|溢出");
	CHECK_STR(tk("洞", false), "洞");
	CHECK_STR(tk("洞", true), "洞");
	CHECK_STR(tk("OpenSSL漏洞", false), "openssl|漏洞|+洞");
	CHECK_STR(tk("OpenSSL漏洞", true), "openssl|漏洞");
	CHECK_STR(tk("华为，路由器。", false), "华为|+为|路由|由器|+器");            /* CJK punctuation splits */
	CHECK_STR(tk("a中b", true), "a|中|b");
	CHECK_STR(tk("ひらがなカナ", true), "ひら|らが|がな|なカ|カナ");
	CHECK_STR(tk("한국어", false), "한국|국어|+어");
}

typedef struct { int start[16], end[16], n; } offs;
static int off_cb(void *ctx, int f, const char *t, int n, int s, int e)
{
	offs *o = ctx;
	(void)f; (void)t; (void)n;
	if (o->n < 16) {
		o->start[o->n] = s;
		o->end[o->n] = e;
		o->n++;
	}
	return 0;
}

static void t_tokenizer_offsets(void)
{
	offs o = {{0}, {0}, 0};
	const char *t = "ab 溢出c";
	vd_fts_tokenize(t, (int)strlen(t), false, off_cb, &o);
	REQUIRE(o.n == 4);   /* ab, 溢出, +出, c */
	CHECK_INT(o.start[0], 0); CHECK_INT(o.end[0], 2);
	CHECK_INT(o.start[1], 3); CHECK_INT(o.end[1], 9);
	CHECK_INT(o.start[2], 6); CHECK_INT(o.end[2], 9);
	CHECK_INT(o.start[3], 9); CHECK_INT(o.end[3], 10);
}

/* ------------------------------------------------- index kept in step */

static vd_store *fixture(void)
{
	vd_store *s = open_mem();
	if (!s)
		return NULL;
	vd_record *r = mk("CVE-2024-1001", "Alpha widget heap overflow", NULL, "2021-03-01T00:00:00Z", "high",
	                  VD_STATE_PUBLISHED);
	r->modified = vd_record_str(r, "2021-04-01T00:00:00Z");
	vd_record_set_text(r, &r->description, "en", "A crafted file triggers a heap buffer overflow in the parser.");
	vd_record_add_score(r, "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "HIGH", "cna");
	vd_record_add_cwe(r, "CWE-787");
	r->class_code = vd_record_str(r, "GB-A1");
	r->library = vd_record_str(r, "NVDB");
	vd_affected *a = vd_record_add_affected(r);
	a->vendor = vd_record_str(r, "Acme");
	a->product = vd_record_str(r, "Widget");
	put(s, r);
	r = mk("CVE-2024-1002", "Beta widget SQL injection", NULL, "2022-06-01T00:00:00Z", "critical",
	       VD_STATE_PUBLISHED);
	r->modified = vd_record_str(r, "2022-07-01T00:00:00Z");
	vd_record_add_score(r, "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL", "cna");
	vd_record_add_cwe(r, "CWE-89");
	r->library = vd_record_str(r, "APP");
	a = vd_record_add_affected(r);
	a->vendor = vd_record_str(r, "Beta Corp");
	a->product = vd_record_str(r, "Gadget");
	vd_record_add_alias(r, "GHSA-aaaa-bbbb-cccc", "osv");
	put(s, r);
	r = mk("CNVD-2023-00003", NULL, "华为某路由器缓冲区溢出漏洞", "2023-01-15T00:00:00Z", "medium",
	       VD_STATE_PUBLISHED);
	vd_record_set_text(r, &r->description, "zh", "攻击者可通过特制的请求触发缓冲区溢出，导致拒绝服务。");
	vd_record_set_text(r, &r->solution, "zh", "厂商已发布补丁。");
	vd_record_add_score(r, "2.0", "AV:N/AC:L/Au:N/C:N/I:N/A:P", 5.0, NULL, "cnvd");
	vd_record_add_cwe(r, "CWE-787");
	a = vd_record_add_affected(r);
	a->vendor = vd_record_str(r, "华为");
	a->product = vd_record_str(r, "AR路由器");
	put(s, r);
	r = mk("CVE-2024-1004", "Embargoed widget flaw", NULL, "2024-01-01T00:00:00Z", "high", VD_STATE_UNPUBLISHED);
	put(s, r);
	r = mk("CVE-2024-1005", "Rejected widget report", NULL, NULL, NULL, VD_STATE_REJECTED);
	put(s, r);
	vd_source_doc d = {"cve5", "CVE-2024-1001", "CVE-2024-1001", "h", "{}"};
	s->ops->source_put(s, &d);
	return s;
}

static void t_index_in_step(void)
{
	vd_store *s = fixture();
	REQUIRE(s);
	hits h;
	vd_search_query q = {.text = "溢出"};
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CNVD-2023-00003");
	CHECK_INT(check(s), VD_OK);
	/* update: old words go, new words come */
	vd_record *r = mk("CNVD-2023-00003", NULL, "中兴某交换机弱口令漏洞", "2023-01-15T00:00:00Z", "low",
	                  VD_STATE_PUBLISHED);
	CHECK_INT(put(s, r), VD_OK);
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);
	q.text = "弱口令";
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CNVD-2023-00003");
	q.text = NULL;
	q.severity = "medium";
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);                                      /* filter column updated */
	CHECK_INT(check(s), VD_OK);
	/* delete: gone from the index in the same statement */
	CHECK_INT(vd_store_delete(s, "CNVD-2023-00003"), VD_OK);
	q = (vd_search_query){.text = "弱口令"};
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);
	CHECK_INT(check(s), VD_OK);
	/* rollback: nothing of the record stays in the index */
	REQUIRE(vd_store_begin(s) == VD_OK);
	CHECK_INT(put(s, mk("CVE-2024-1099", "Rolled back zebra", NULL, NULL, NULL, VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(vd_store_rollback(s), VD_OK);
	q.text = "zebra";
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);
	CHECK_INT(check(s), VD_OK);
	/* rebuild gives the same clean index */
	CHECK_INT(s->ops->search_rebuild(s), VD_OK);
	q.text = "widget";
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_INT(h.n, 2);
	CHECK_INT(check(s), VD_OK);
	if (problems_n)
		fprintf(stderr, "%s", problems_text);
	vd_store_close(s);
}

/* The fast path's memory follows writes: of this connection (total
 * changes) and of another one on the same file (data_version), for the
 * total, the visibility of a record and the vendor / CWE facets.  (Right
 * after a write, within ten load times of the last load, the SQL
 * statements answer; the pauses let the memory reload.) */
static vd_record *mk_vendor(const char *id, const char *title, const char *vendor, const char *cwe, vd_state st)
{
	vd_record *r = mk(id, title, NULL, "2024-02-01T00:00:00Z", "low", st);
	vd_affected *a = vd_record_add_affected(r);
	a->vendor = vd_record_str(r, vendor);
	vd_record_add_cwe(r, cwe);
	return r;
}

static void t_fast_path_fresh(void)
{
	rm_db("fresh.db");
	vd_store *a = NULL, *b = NULL;
	REQUIRE(vd_store_open(tmp_path("fresh.db"), &a) == VD_OK && vd_store_migrate(a) == VD_OK);
	REQUIRE(vd_store_open(tmp_path("fresh.db"), &b) == VD_OK);
	CHECK_INT(put(a, mk_vendor("CVE-2024-2001", "Quokka daemon crash", "Zed", "CWE-476", VD_STATE_PUBLISHED)), VD_OK);
	hits h;
	vd_search_result res;
	vd_search_query q = {.text = "quokka", .facets = true};
	CHECK_INT(sx(a, &q, &h, &res), VD_OK);
	CHECK_INT(res.total, 1);
	CHECK_INT(sx(b, &q, &h, &res), VD_OK);   /* b's memory loaded */
	CHECK_INT(res.total, 1);
	/* another connection adds one: b sees it, with its facets */
	CHECK_INT(put(a, mk_vendor("CVE-2024-2002", "Quokka parser leak", "zed", "CWE-401", VD_STATE_PUBLISHED)), VD_OK);
	usleep(30000);   /* past the reload throttle (ten load times) */
	CHECK_INT(sx(b, &q, &h, &res), VD_OK);
	CHECK_INT(res.total, 2);
	REQUIRE(res.facets[VD_FACET_VENDOR].n == 1);
	CHECK_STR(res.facets[VD_FACET_VENDOR].v[0].value, "Zed");   /* one group, the smallest spelling */
	CHECK_INT(res.facets[VD_FACET_VENDOR].v[0].count, 2);
	CHECK_INT(res.facets[VD_FACET_CWE].n, 2);
	/* b itself rejects one: gone from the public view at once */
	CHECK_INT(put(b, mk_vendor("CVE-2024-2002", "Quokka parser leak", "zed", "CWE-401", VD_STATE_REJECTED)), VD_OK);
	usleep(30000);
	CHECK_INT(sx(b, &q, &h, &res), VD_OK);
	CHECK_INT(res.total, 1);
	CHECK_STR(h.ids, "CVE-2024-2001");
	CHECK_INT(res.facets[VD_FACET_CWE].n, 1);
	q.include_unpublished = true;
	CHECK_INT(sx(b, &q, &h, &res), VD_OK);
	CHECK_INT(res.total, 2);
	q.include_unpublished = false;
	/* and a delete by the other connection */
	CHECK_INT(vd_store_delete(a, "CVE-2024-2001"), VD_OK);
	usleep(30000);
	CHECK_INT(sx(b, &q, &h, &res), VD_OK);
	CHECK_INT(res.total, 0);
	CHECK_INT(h.n, 0);
	vd_store_close(b);
	vd_store_close(a);
	rm_db("fresh.db");
}

/* db check finds an index out of step with the records. */
static void t_check_finds_problems(void)
{
	const char *path = tmp_path("check.db");
	vd_store *s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK && vd_store_migrate(s) == VD_OK);
	CHECK_INT(put(s, mk("CVE-2024-2001", "first record", NULL, NULL, "high", VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(put(s, mk("CVE-2024-2002", "second record", NULL, NULL, "low", VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(put(s, mk("CVE-2024-2003", "third record", NULL, NULL, "low", VD_STATE_PUBLISHED)), VD_OK);
	CHECK_INT(check(s), VD_OK);
	vd_store_close(s);
	static const struct { const char *sql, *want; } cases[] = {
		{"UPDATE search_docs SET grade = 'critical' WHERE record_id = 'CVE-2024-2001'", "filter columns"},
		{"DELETE FROM search_fts WHERE rowid = (SELECT docid FROM search_docs WHERE record_id = 'CVE-2024-2002')",
		 "without text"},
		{"INSERT INTO search_fts(rowid, title) VALUES(99999, 'ghost')", "belongs to no record"},
		{"DELETE FROM search_docs WHERE record_id = 'CVE-2024-2003'", "missing from the search index"},
		{"UPDATE search_fts_content SET c1 = 'changed' WHERE id = (SELECT docid FROM search_docs"
		 " WHERE record_id = 'CVE-2024-2001')", "FTS5 integrity"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(raw_exec(path, cases[i].sql), SQLITE_OK);
		REQUIRE(vd_store_open(path, &s) == VD_OK);
		CHECK_INT(check(s), VD_ECONFLICT);
		if (!strstr(problems_text, cases[i].want))
			fprintf(stderr, "  case %zu: want '%s' in:\n%s", i, cases[i].want, problems_text);
		CHECK(strstr(problems_text, cases[i].want) != NULL);
		vd_store_close(s);
	}
	/* a rebuild repairs all of it */
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	CHECK_INT(s->ops->search_rebuild(s), VD_OK);
	CHECK_INT(check(s), VD_OK);
	if (problems_n)
		fprintf(stderr, "%s", problems_text);
	vd_store_close(s);
	rm_db("check.db");
}

/* A database from before the search index gets it from the migration. */
static void t_migration_builds_index(void)
{
	const char *path = tmp_path("old.db");
	REQUIRE(raw_exec(path, vd_sqlite_migrations[0]) == SQLITE_OK);
	REQUIRE(raw_exec(path, vd_sqlite_migrations[1]) == SQLITE_OK);
	vd_record *r = mk("CNNVD-201001-001", "Old record", "旧数据库中的跨站脚本漏洞", "2010-01-02T00:00:00Z", "high",
	                  VD_STATE_PUBLISHED);
	char *doc = NULL;
	REQUIRE(vd_record_to_json(r, &doc) == VD_OK);
	char sql[4096];
	snprintf(sql, sizeof sql,
	         "PRAGMA user_version = 2; INSERT INTO records(id, state, published, title_en, title_zh, grade, doc, hash)"
	         " VALUES('CNNVD-201001-001', 'published', '2010-01-02T00:00:00Z', 'Old record',"
	         " '旧数据库中的跨站脚本漏洞', 'high', '%s', 'x');"
	         "INSERT INTO aliases(alias, record_id) VALUES('CNNVD-201001-001', 'CNNVD-201001-001');", doc);
	free(doc);
	vd_record_free(r);
	REQUIRE(raw_exec(path, sql) == SQLITE_OK);
	vd_store *s = NULL;
	REQUIRE(vd_store_open(path, &s) == VD_OK);
	CHECK_INT(vd_store_migrate(s), VD_OK);
	hits h;
	vd_search_query q = {.text = "跨站脚本"};
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CNNVD-201001-001");
	vd_store_close(s);
	rm_db("old.db");
}

/* ------------------------------------------- filters, facets, cursors */

static void t_filters(void)
{
	vd_store *s = fixture();
	REQUIRE(s);
	hits h;
	vd_search_result res;
	vd_search_query q = {.text = "widget"};
	CHECK_INT(sx(s, &q, &h, &res), VD_OK);
	CHECK_INT(res.total, 2);
	q.include_unpublished = true;
	CHECK_INT(sx(s, &q, &h, &res), VD_OK);
	CHECK_INT(res.total, 4);
	q.state = "unpublished";
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-1004");
	struct { vd_search_query q; const char *want; } cases[] = {
		{{.severity = "high"}, "CVE-2024-1001"},
		{{.severity = "HIGH", .include_unpublished = true}, "CVE-2024-1004,CVE-2024-1001"},
		{{.score_min = 9}, "CVE-2024-1002"},
		{{.score_min = 5, .score_max = 8}, "CNVD-2023-00003,CVE-2024-1001"},
		{{.cwe = "CWE-787"}, "CNVD-2023-00003,CVE-2024-1001"},
		{{.cwe = "CWE-787", .text = "华为"}, "CNVD-2023-00003"},
		{{.class_code = "GB-A1"}, "CVE-2024-1001"},
		{{.vendor = "acme"}, "CVE-2024-1001"},
		{{.product = "GADGET"}, "CVE-2024-1002"},
		{{.vendor = "华为", .product = "AR路由器"}, "CNVD-2023-00003"},
		{{.vendor = "acme", .product = "gadget"}, ""},
		{{.library = "APP"}, "CVE-2024-1002"},
		{{.source = "cve5"}, "CVE-2024-1001"},
		{{.published_from = "2022-01-01T00:00:00Z"}, "CNVD-2023-00003,CVE-2024-1002"},
		{{.published_to = "2021-12-31T23:59:59Z"}, "CVE-2024-1001"},
		{{.modified_from = "2022-01-01T00:00:00Z"}, "CVE-2024-1002"},
		{{.modified_to = "2021-05-01T00:00:00Z", .text = "overflow"}, "CVE-2024-1001"},
		{{.text = "ghsa-aaaa-bbbb-cccc"}, "CVE-2024-1002"},          /* alias */
		{{.text = "CWE-89"}, "CVE-2024-1002"},                       /* CWE in the text */
		{{.text = "补丁"}, "CNVD-2023-00003"},                        /* solution */
		{{.text = "Beta Corp"}, "CVE-2024-1002"},                    /* vendor name */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(sx(s, &cases[i].q, &h, NULL), VD_OK);
		if (strcmp(h.ids, cases[i].want))
			fprintf(stderr, "  case %zu: got '%s' want '%s'\n", i, h.ids, cases[i].want);
		CHECK_STR(h.ids, cases[i].want);
	}
	q = (vd_search_query){.score_min = 9, .score_max = 5};
	CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
	vd_store_close(s);
}

static void t_facets(void)
{
	vd_store *s = fixture();
	REQUIRE(s);
	hits h;
	vd_search_result res;
	vd_search_query q = {.facets = true};
	CHECK_INT(sx(s, &q, &h, &res), VD_OK);
	CHECK_INT(res.total, 3);
	vd_facet *g = &res.facets[VD_FACET_GRADE];
	CHECK_INT(g->n, 3);
	vd_facet *y = &res.facets[VD_FACET_YEAR];
	CHECK_INT(y->n, 3);
	vd_facet *c = &res.facets[VD_FACET_CWE];
	REQUIRE(c->n == 2);
	CHECK_STR(c->v[0].value, "CWE-787");
	CHECK_INT(c->v[0].count, 2);
	CHECK_STR(c->v[1].value, "CWE-89");
	vd_facet *v = &res.facets[VD_FACET_VENDOR];
	CHECK_INT(v->n, 3);
	q.text = "widget";
	CHECK_INT(sx(s, &q, &h, &res), VD_OK);
	CHECK_INT(res.facets[VD_FACET_GRADE].n, 2);
	CHECK_INT(res.facets[VD_FACET_VENDOR].n, 2);
	REQUIRE(res.facets[VD_FACET_YEAR].n == 2);
	CHECK_STR(res.facets[VD_FACET_YEAR].v[0].value, "2022");   /* equal counts: newest first */
	vd_store_close(s);
}

/* Follow next_cursor to the end: every id once, in the same order as one
 * big page. */
static void walk(vd_store *s, const char *text, int expect)
{
	hits all, page;
	vd_search_query q = {.text = text, .limit = 200};
	CHECK_INT(sx(s, &q, &all, NULL), VD_OK);
	CHECK_INT(all.n, expect);
	char joined[16384] = "", cursor[128] = "";
	int pages = 0;
	do {
		vd_search_result res;
		q = (vd_search_query){.text = text, .limit = 7, .cursor = cursor[0] ? cursor : NULL};
		REQUIRE(sx(s, &q, &page, &res) == VD_OK);
		size_t len = strlen(joined);
		if (page.n)
			snprintf(joined + len, sizeof joined - len, "%s%s", len ? "," : "", page.ids);
		snprintf(cursor, sizeof cursor, "%s", res.next_cursor);
		pages++;
	} while (cursor[0] && pages < 100);
	CHECK_STR(joined, all.ids);
	CHECK_INT(pages, (expect + 6) / 7);
}

static void t_cursor(void)
{
	vd_store *s = open_mem();
	REQUIRE(s);
	REQUIRE(vd_store_begin(s) == VD_OK);
	for (int i = 1; i <= 45; i++) {
		char id[32], date[32], title[64];
		snprintf(id, sizeof id, "CVE-2019-%04d", i);
		snprintf(date, sizeof date, "2019-01-%02dT00:00:00Z", (i % 5) + 1);   /* many equal dates */
		/* varied relevance: i copies of "gizmo" */
		snprintf(title, sizeof title, "paged gizmo %s flaw", i % 3 == 0 ? "gizmo gizmo" : i % 3 == 1 ? "gizmo" : "");
		vd_record *r = mk(id, title, "分页测试记录", i % 9 ? date : NULL, "medium", VD_STATE_PUBLISHED);
		REQUIRE(put(s, r) == VD_OK);
	}
	REQUIRE(vd_store_commit(s) == VD_OK);
	walk(s, "gizmo", 45);      /* ranked */
	walk(s, "分页", 45);
	walk(s, NULL, 45);         /* by date */
	hits h;
	static const char *const bad[] = {"x", "r~abc~~1", "d~123~1", "r~1~20190101000000~0", "d~~",
	                                  "r~1~20190101000000~5~9", "r~nan~~1", "r~1e999~~1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vd_search_query q = {.text = "gizmo", .cursor = bad[i]};
		CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
	}
	vd_search_query q = {.text = NULL, .cursor = "r~-1.5~20190101000000~3"};  /* ranked cursor, no text */
	CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
	/* very common words page by docid ("i~" cursors): from any docid on,
	 * every match below it once, newest docid first */
	char cursor[128] = "i~46";
	int seen = 0, pages = 0;
	while (cursor[0] && pages++ < 20) {
		vd_search_result res;
		q = (vd_search_query){.text = "gizmo", .limit = 7, .cursor = cursor};
		REQUIRE(sx(s, &q, &h, &res) == VD_OK);
		if (pages == 1)
			CHECK(strncmp(h.ids, "CVE-2019-0045,CVE-2019-0044,", 28) == 0);
		seen += h.n;
		snprintf(cursor, sizeof cursor, "%s", res.next_cursor);
		CHECK(!cursor[0] || cursor[0] == 'i');
	}
	CHECK_INT(seen, 45);
	q = (vd_search_query){.text = "gizmo", .cursor = "i~x"};
	CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
	q = (vd_search_query){.text = NULL, .cursor = "i~5"};   /* no text: by date only */
	CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
	vd_store_close(s);
}

static void t_snippets_and_rank(void)
{
	vd_store *s = fixture();
	REQUIRE(s);
	hits h;
	vd_search_query q = {.text = "缓冲区溢出", .snippets = true};
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK(strstr(h.snip, VD_HL_START "缓冲区溢出" VD_HL_END) != NULL);
	q.text = "overflow";
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-1001");
	CHECK(strstr(h.snip, VD_HL_START "overflow" VD_HL_END) != NULL);
	q.text = "洞";   /* one character: a prefix of bigrams */
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CNVD-2023-00003");
	q.text = "overfl";   /* the last word is also a prefix */
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-1001");
	/* a title match ranks above a description match */
	CHECK_INT(put(s, mk("CVE-2024-1010", "Parser crash", NULL, "2024-05-01T00:00:00Z", "low", VD_STATE_PUBLISHED)),
	          VD_OK);
	vd_record *r = mk("CVE-2024-1011", "Unrelated title", NULL, "2024-06-01T00:00:00Z", "low", VD_STATE_PUBLISHED);
	vd_record_set_text(r, &r->description, "en", "The parser may crash on a crafted input file.");
	CHECK_INT(put(s, r), VD_OK);
	q = (vd_search_query){.text = "parser crash"};
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_STR(h.ids, "CVE-2024-1010,CVE-2024-1011");
	/* callback stops the walk */
	memset(&h, 0, sizeof h);
	h.stop_after = 1;
	q.text = "widget";
	CHECK_INT(s->ops->search_ex(s, &q, collect, &h, NULL), 9);
	vd_store_close(s);
}

/* ------------------------------------------------------ hostile queries */

static void t_hostile(void)
{
	vd_store *s = fixture();
	REQUIRE(s);
	static const char *const ok[] = {
		"\"", "\"\"", "\"unterminated", "AND", "OR NOT", "NEAR(a b, 2)", "title:widget", "{ids title}: x",
		"^widget", "widget*", "*", "(", ")", "a + b", "-widget", "col:", "'", "\\", "%_", "; DROP TABLE records; --",
		"widget\" OR \"x", "\x01\x02\x03", "NEAR", "\"widget\"", "( widget )", "widget AND NOT overflow",
		"rank:1", "rowid=1", "％", "＂widget＂", "ｗｉｄｇｅｔ",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		hits h;
		vd_search_result res;
		vd_search_query q = {.text = ok[i], .facets = true, .snippets = true};
		int rc = sx(s, &q, &h, &res);
		if (rc)
			fprintf(stderr, "  '%s': %s\n", ok[i], vd_error_msg());
		CHECK_INT(rc, VD_OK);
	}
	/* literal words are literal: "title:widget" is the words title and widget */
	hits h;
	vd_search_query q = {.text = "\"widget\""};
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_INT(h.n, 2);
	q.text = "ｗｉｄｇｅｔ";
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_INT(h.n, 2);
	q.text = "widget AND NOT overflow";   /* no operators: all four words must be there */
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	CHECK_INT(h.n, 0);
	static const char *const bad[] = {"\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "abc\xe6\xbc", "\xf5\x80\x80\x80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		q.text = bad[i];
		CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
		CHECK(strstr(vd_error_msg(), "UTF-8") != NULL);
	}
	char *big = malloc(100 * 1024 + 1);
	REQUIRE(big);
	for (int i = 0; i < 100 * 1024; i++)
		big[i] = "ab \"*("[i % 6];
	big[100 * 1024] = 0;
	q.text = big;
	CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "longer") != NULL);
	free(big);
	q.text = "a b c d e f g h i j k l m n o p q";   /* 17 words */
	CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
	q.text = "a b c d e f g h i j k l m n o p";     /* 16 */
	CHECK_INT(sx(s, &q, &h, NULL), VD_OK);
	q.text = "! @ # $ %";                            /* 5 literal words */
	CHECK_INT(sx(s, &q, &h, NULL), VD_EINVAL);
	/* the service: length and NUL-free strings are the caller's; same answers */
	vd_store_close(s);
}

static void t_service_params(void)
{
	vd_service *svc = NULL;
	REQUIRE(vd_service_open(":memory:", true, &svc) == VD_OK);
	vd_search_params p = {.text = "x", .state = "unpublished"};
	vd_search_result res;
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_EPERM);
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_ALL, &p, NULL, NULL, &res), VD_OK);
	p = (vd_search_params){.text = "x", .severity = "高危"};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_OK);
	p = (vd_search_params){.text = "x", .severity = "huge"};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_EINVAL);
	p = (vd_search_params){.published_from = "yesterday"};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_EINVAL);
	p = (vd_search_params){.published_from = "2021-01-01", .published_to = "2021-12-31", .cwe = "79"};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_OK);
	p = (vd_search_params){.cwe = "CWE-abc"};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_EINVAL);
	p = (vd_search_params){.score_min = 11};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_EINVAL);
	p = (vd_search_params){.text = "\xff"};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_EINVAL);
	char big[600];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	p = (vd_search_params){.text = big};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_EINVAL);
	p = (vd_search_params){.cursor = "garbage"};
	CHECK_INT(vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, NULL, NULL, &res), VD_EINVAL);
	vd_service_close(svc);
}

/* ------------------------------------------- relevance over real data */

static vd_service *real;
static char real_path[512];

static void quiet(void *ctx, const char *where, const char *reason) { (void)ctx; (void)where; (void)reason; }

static vd_service *real_data(void)
{
	if (real)
		return real;
	const char *sh = vt_shared();
	if (!sh)
		return NULL;
	snprintf(real_path, sizeof real_path, "%s", tmp_path("real.db"));
	if (vd_service_open(real_path, true, &real) != VD_OK) {
		fprintf(stderr, "  open: %s\n", vd_error_msg());
		return NULL;
	}
	static const char *const dirs[] = {"cnnvd", "cnvd", "cve5", "osv"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s/data/%s", sh, dirs[i]);
		vd_import_cb cb = {.skipped = quiet};
		vd_import_stats st;
		memset(&st, 0, sizeof st);
		if (vd_service_import(real, VD_FMT_AUTO, p, &cb, &st) != VD_OK) {
			fprintf(stderr, "  import %s: %s\n", p, vd_error_msg());
			vd_service_close(real);
			real = NULL;
			return NULL;
		}
	}
	return real;
}

typedef struct { char ids[10][64]; int n; } top10;

static int top_cb(void *ctx, const vd_search_hit *h)
{
	top10 *t = ctx;
	if (t->n < 10)
		snprintf(t->ids[t->n++], sizeof t->ids[0], "%s", h->id);
	return 0;
}

static void t_relevance(void)
{
	vd_service *svc = real_data();
	REQUIRE(svc);
	FILE *f = fopen("tests/search/relevance.tsv", "r");
	if (!f)
		f = fopen("relevance.tsv", "r");
	REQUIRE(f);
	char line[2048];
	int queries[2] = {0, 0}, must[2] = {0, 0}, found[2] = {0, 0}, none_ok = 0, none = 0;
	double prec[2] = {0, 0};
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		char *lang = line, *query = strchr(line, '\t');
		REQUIRE(query);
		char *ids = strchr(query + 1, '\t');
		REQUIRE(ids);
		*query++ = 0;
		*ids++ = 0;
		int L = strcmp(lang, "zh") == 0 ? 0 : 1;
		queries[L]++;
		top10 t = {.n = 0};
		vd_search_params p = {.text = query, .limit = 10};
		vd_search_result res;
		int rc = vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, top_cb, &t, &res);
		CHECK_INT(rc, VD_OK);
		if (strcmp(ids, "-") == 0) {
			none++;
			if (res.total == 0)
				none_ok++;
			else
				printf("  MISS %s \"%s\": expected nothing, got %llu hits\n", lang, query,
				       (unsigned long long)res.total);
			CHECK_INT(res.total, 0);
			continue;
		}
		int nm = 0, nf = 0;
		char missing[512] = "";
		for (char *id = strtok(ids, ","); id; id = strtok(NULL, ",")) {
			nm++;
			vd_record *r = NULL;
			bool in = false;
			if (vd_service_get(svc, VD_VIEW_ALL, id, &r) == VD_OK) {
				for (int i = 0; i < t.n; i++)
					in |= strcmp(t.ids[i], r->id) == 0;
				vd_record_free(r);
			}
			if (in)
				nf++;
			else
				snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", id);
		}
		must[L] += nm;
		found[L] += nf;
		prec[L] += t.n ? (double)nf / t.n : 0;
		if (nf != nm)
			printf("  MISS %s \"%s\": not in the top 10:%s\n", lang, query, missing);
		CHECK_INT(nf, nm);
	}
	fclose(f);
	for (int L = 0; L < 2; L++)
		printf("# relevance %s: %d queries, must-haves found %d/%d (recall %.1f%%), mean precision@10 %.2f\n",
		       L ? "en" : "zh", queries[L], found[L], must[L], must[L] ? 100.0 * found[L] / must[L] : 0,
		       queries[L] ? prec[L] / queries[L] : 0);
	printf("# relevance: %d/%d nonsense queries found nothing\n", none_ok, none);
	CHECK(queries[0] >= 30 && queries[1] >= 30);
}

/* The fast path (memory of the filter columns, sqlite_search.c) and the
 * SQL statements (VD_SEARCH_NOCACHE) give the same pages, ranks, snippets,
 * totals, cursors and facets: every relevance query plus common words, public and
 * all views, two pages through the cursor, with an offset. */
typedef struct { char ids[40][64]; double rank[40]; char snip[40][400]; int n; } page_ids;

static int page_cb(void *ctx, const vd_search_hit *h)
{
	page_ids *t = ctx;
	if (t->n < 40) {
		snprintf(t->ids[t->n], sizeof t->ids[0], "%s", h->id);
		snprintf(t->snip[t->n], sizeof t->snip[0], "%s", h->snippet ? h->snippet : "(none)");
		t->rank[t->n++] = h->rank;
	}
	return 0;
}

static bool same_page(const char *q, vd_view view, int offset, const char *cursor, char *next, size_t nn)
{
	page_ids a = {.n = 0}, b = {.n = 0};
	vd_search_result ra, rb;
	vd_search_params p = {.text = q, .limit = 15, .offset = offset, .cursor = cursor, .facets = true,
	                      .snippets = true};
	unsetenv("VD_SEARCH_NOCACHE");
	int rc1 = vd_service_search_ex(real, view, &p, page_cb, &a, &ra);
	setenv("VD_SEARCH_NOCACHE", "1", 1);
	int rc2 = vd_service_search_ex(real, view, &p, page_cb, &b, &rb);
	unsetenv("VD_SEARCH_NOCACHE");
	bool same = rc1 == rc2 && a.n == b.n && ra.total == rb.total && !strcmp(ra.next_cursor, rb.next_cursor);
	for (int i = 0; same && i < a.n; i++)
		same = !strcmp(a.ids[i], b.ids[i]) && a.rank[i] == b.rank[i] && !strcmp(a.snip[i], b.snip[i]) &&
		       strcmp(a.snip[i], "(none)");
	for (int k = 0; same && k < VD_FACET_COUNT_; k++) {
		same = ra.facets[k].n == rb.facets[k].n;
		for (size_t i = 0; same && i < ra.facets[k].n; i++)
			same = ra.facets[k].v[i].count == rb.facets[k].v[i].count &&
			       !strcmp(ra.facets[k].v[i].value, rb.facets[k].v[i].value);
		if (!same)
			printf("  facet %d differs for \"%s\"\n", k, q);
	}
	if (!same)
		printf("  DIFF \"%s\" view %d offset %d cursor %s: %d/%d hits, totals %llu/%llu\n", q, (int)view, offset,
		       cursor ? cursor : "-", a.n, b.n, (unsigned long long)ra.total, (unsigned long long)rb.total);
	if (next)
		snprintf(next, nn, "%s", ra.next_cursor);
	return same;
}

static void t_fast_path_same(void)
{
	REQUIRE(real_data());
	FILE *f = fopen("tests/search/relevance.tsv", "r");
	if (!f)
		f = fopen("relevance.tsv", "r");
	REQUIRE(f);
	static const char *const extra[] = {"漏洞", "存在", "the", "remote", "linux", "洞", "a", "华为 溢出"};
	char line[2048];
	int n = 0, same = 0;
	size_t ne = 0;
	for (;;) {
		const char *q;
		if (ne < sizeof extra / sizeof extra[0]) {
			q = extra[ne++];
		} else {
			if (!fgets(line, sizeof line, f))
				break;
			if (line[0] == '#' || line[0] == '\n')
				continue;
			line[strcspn(line, "\n")] = 0;
			char *t = strchr(line, '\t'), *e = t ? strchr(t + 1, '\t') : NULL;
			if (!e)
				continue;
			*e = 0;
			q = t + 1;
		}
		for (int v = 0; v < 2; v++) {
			vd_view view = v ? VD_VIEW_ALL : VD_VIEW_PUBLIC;
			char next[128];
			n += 3;
			same += same_page(q, view, 0, NULL, next, sizeof next);
			same += !next[0] || same_page(q, view, 0, next, NULL, 0);
			same += same_page(q, view, 7, NULL, NULL, 0);
		}
	}
	fclose(f);
	printf("# fast path vs SQL: %d of %d pages the same\n", same, n);
	CHECK_INT(same, n);
	CHECK(n > 400);
}

/* The check: two-character words taken from titles; every record
 * whose title holds the word must be found (all pages, through cursors). */
typedef struct { char **ids; size_t n, cap; } idset;

static int set_add(void *ctx, const vd_search_hit *h)
{
	idset *st = ctx;
	if (st->n == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 1024;
		char **p = realloc(st->ids, cap * sizeof *p);
		if (!p)
			return 1;
		st->ids = p;
		st->cap = cap;
	}
	st->ids[st->n++] = strdup(h->id);
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void t_two_char_recall(void)
{
	vd_service *svc = real_data();
	REQUIRE(svc);
	sqlite3 *db = NULL;
	REQUIRE(sqlite3_open_v2(real_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	sqlite3_stmt *titles = NULL, *like = NULL;
	REQUIRE(sqlite3_prepare_v2(db, "SELECT title_zh FROM records WHERE state = 'published' AND title_zh IS NOT NULL"
	                           " ORDER BY id", -1, &titles, NULL) == SQLITE_OK);
	REQUIRE(sqlite3_prepare_v2(db, "SELECT id FROM records WHERE state = 'published' AND instr(title_zh, ?1) > 0",
	                           -1, &like, NULL) == SQLITE_OK);
	static char words[200][8];
	int nw = 0, row = 0;
	while (nw < 200 && sqlite3_step(titles) == SQLITE_ROW) {
		if (row++ % 29)
			continue;
		const unsigned char *t = sqlite3_column_text(titles, 0);
		size_t n = strlen((const char *)t);
		/* the first two consecutive characters of U+4E00..U+9FFF (3 bytes each) */
		for (size_t i = 0; i + 6 <= n; i++) {
			if (t[i] >= 0xe4 && t[i] <= 0xe9 && t[i + 3] >= 0xe4 && t[i + 3] <= 0xe9) {
				memcpy(words[nw], t + i, 6);
				words[nw][6] = 0;
				bool dup = false;
				for (int k = 0; k < nw; k++)
					dup |= strcmp(words[k], words[nw]) == 0;
				nw += !dup;
				break;
			}
		}
	}
	sqlite3_finalize(titles);
	CHECK(nw >= 150);
	long want = 0, got = 0;
	int words_full = 0;
	for (int w = 0; w < nw; w++) {
		idset found = {NULL, 0, 0};
		char cursor[128] = "";
		int pages = 0;
		do {
			vd_search_params p = {.text = words[w], .limit = 1000, .cursor = cursor[0] ? cursor : NULL};
			vd_search_result res;
			if (vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, set_add, &found, &res) != VD_OK) {
				fprintf(stderr, "  %s: %s\n", words[w], vd_error_msg());
				break;
			}
			snprintf(cursor, sizeof cursor, "%s", res.next_cursor);
		} while (cursor[0] && ++pages < 100);
		qsort(found.ids, found.n, sizeof *found.ids, cmp_str);
		long ww = 0, wg = 0;
		sqlite3_bind_text(like, 1, words[w], -1, SQLITE_STATIC);
		while (sqlite3_step(like) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(like, 0);
			ww++;
			if (found.n && bsearch(&id, found.ids, found.n, sizeof *found.ids, cmp_str))
				wg++;
			else
				printf("  MISS two-character word %s: %s not found\n", words[w], id);
		}
		sqlite3_reset(like);
		want += ww;
		got += wg;
		words_full += ww == wg;
		for (size_t i = 0; i < found.n; i++)
			free(found.ids[i]);
		free(found.ids);
	}
	sqlite3_finalize(like);
	sqlite3_close(db);
	printf("# two-character words: %d words, %d with every title match found; recall %ld/%ld (%.1f%%)\n", nw,
	       words_full, got, want, want ? 100.0 * got / want : 0);
	CHECK_INT(got, want);
}

int main(void)
{
	RUN(t_tokenizer_latin);
	RUN(t_tokenizer_cjk);
	RUN(t_tokenizer_offsets);
	RUN(t_index_in_step);
	RUN(t_fast_path_fresh);
	RUN(t_check_finds_problems);
	RUN(t_migration_builds_index);
	RUN(t_filters);
	RUN(t_facets);
	RUN(t_cursor);
	RUN(t_snippets_and_rank);
	RUN(t_hostile);
	RUN(t_service_params);
	RUN(t_relevance);
	RUN(t_fast_path_same);
	RUN(t_two_char_recall);
	vd_service_close(real);
	rm_db("real.db");
	rmdir(tmpdir);
	return vt_done();
}
