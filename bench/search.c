/* bench/search.c — `make bench-search`: figures for full-text search
 * (issue 10).  Not a test: it prints numbers and fails only when it cannot
 * run.
 *
 *  1. Imports ../shared/data (cnnvd, cnvd, cve5, osv) into a temporary
 *     database; on that real data, compares the vd tokenizer with SQLite's
 *     stock trigram tokenizer over the same indexed text: how many
 *     must-haves of tests/search/relevance.tsv each finds in its top 10.
 *  2. Scales the catalogue to ≥ 300k records by copying the real records
 *     with renumbered ids (id + "-S<k>", synthetic data made from the real
 *     records, never invented), then rebuilds the search index (timed) and
 *     measures its size against the size of the indexed text.
 *  3. 200 queries (100 zh, 100 en, words taken from the real titles):
 *     p50/p95/p99 latency through the library call (vd_service_search_ex,
 *     total + page of 20 with snippets), through HTTP (vulnd serve,
 *     GET /api/v1/search, one connection per request, after a warm-up
 *     pass like the library's) when VULND names the binary, and through a
 *     trigram table built over the same text (count + page of 20, bm25).
 *
 * Usage: bench-search SHARED_DIR [RECORDS]   (RECORDS default 300000)
 * Environment: VULND = path of the vulnd binary for the HTTP part.
 */
#include "vulnd/service.h"
#include "vulnd/store.h"
#include "vulnd/error.h"
#include "../src/store/sqlite_int.h"   /* the store's connection, for the scaling copies */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int vd_fts_register(sqlite3 *db);   /* src/store/fts_tokenizer.c */
extern char **environ;

#define NQ 200

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench-search: %s: %s\n", what, vd_error_msg());
	exit(1);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void pct(const char *name, double *ms, int n, int hits_zero)
{
	qsort(ms, (size_t)n, sizeof *ms, cmp_d);
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += ms[i];
	printf("  %-34s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  mean %7.2f ms  (%d of %d found nothing)\n", name,
	       ms[n / 2], ms[(n * 95) / 100], ms[(n * 99) / 100], sum / n, hits_zero, n);
}

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK || vd_fts_register(db) != VD_OK) {
		fprintf(stderr, "bench-search: cannot open %s\n", path);
		exit(1);
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "bench-search: %s\n  in: %.200s\n", err, sql);
		exit(1);
	}
}

static double one_double(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	double v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- queries: words from real titles ---- */

static char queries[NQ][64];

/* Chinese: for every k-th title, a 2-, 3- or 4-character run start (U+4E00..U+9FFF);
 * English: a word of 4+ letters or two words from English titles. */
static void pick_queries(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = 0, row = 0;
	sqlite3_prepare_v2(db, "SELECT title_zh FROM records WHERE title_zh IS NOT NULL AND instr(id, '-S') = 0 ORDER BY id", -1, &st, NULL);
	while (n < NQ / 2 && sqlite3_step(st) == SQLITE_ROW) {
		if (row++ % 97)
			continue;
		const unsigned char *t = sqlite3_column_text(st, 0);
		size_t len = strlen((const char *)t), want = 2 + (size_t)(n % 3);   /* 2, 3, 4 characters */
		for (size_t i = 0; i + 3 * want <= len; i++) {
			size_t k = 0;
			while (k < want && t[i + 3 * k] >= 0xe4 && t[i + 3 * k] <= 0xe9)
				k++;
			if (k == want) {
				memcpy(queries[n], t + i, 3 * want);
				queries[n][3 * want] = 0;
				n++;
				break;
			}
		}
	}
	sqlite3_finalize(st);
	row = 0;
	sqlite3_prepare_v2(db, "SELECT title_en FROM records WHERE title_en IS NOT NULL AND title_zh IS NULL"
	                   " AND instr(id, '-S') = 0 ORDER BY id",
	                   -1, &st, NULL);
	while (n < NQ && sqlite3_step(st) == SQLITE_ROW) {
		if (row++ % 23)
			continue;
		const char *t = (const char *)sqlite3_column_text(st, 0);
		/* the first word of 5+ letters, and every other time the word after it too */
		const char *p = t;
		while (*p) {
			while (*p && !((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
				p++;
			const char *w = p;
			while ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')
				p++;
			if (p - w >= 5) {
				const char *e = p;
				if (n % 2) {   /* two words */
					const char *q = p;
					while (*q == ' ')
						q++;
					const char *w2 = q;
					while ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z')
						q++;
					if (q - w2 >= 3)
						e = q;
				}
				snprintf(queries[n], sizeof queries[0], "%.*s", (int)(e - w), w);
				n++;
				break;
			}
		}
	}
	sqlite3_finalize(st);
	for (; n < NQ; n++)   /* not enough titles: repeat */
		snprintf(queries[n], sizeof queries[0], "%s", queries[n % (NQ / 2)]);
}

/* ---- trigram table over the same text ---- */

static int tri_query(sqlite3 *db, const char *q, int limit, char ids[][64], int *nids)
{
	/* the words as FTS5 strings, ANDed: the same shape as the vd queries */
	char m[512] = "";
	const char *p = q;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t len = strlen(m);
		snprintf(m + len, sizeof m - len, "%s\"", len ? " " : "");
		while (*p && *p != ' ') {
			len = strlen(m);
			if (*p == '"')
				snprintf(m + len, sizeof m - len, "\"\"");
			else
				snprintf(m + len, sizeof m - len, "%c", *p);
			p++;
		}
		len = strlen(m);
		snprintf(m + len, sizeof m - len, "\"");
	}
	static sqlite3_stmt *cnt, *page;
	if (!cnt) {
		sqlite3_prepare_v3(db, "SELECT count(*) FROM tri WHERE tri MATCH ?1", -1, SQLITE_PREPARE_PERSISTENT, &cnt,
		                   NULL);
		sqlite3_prepare_v3(db, "SELECT d.record_id FROM tri JOIN search_docs d ON d.docid = tri.rowid"
		                   " WHERE tri MATCH ?1 AND d.state = 'published'"
		                   " ORDER BY bm25(tri, 10.0, 8.0, 3.0, 1.0) LIMIT ?2",
		                   -1, SQLITE_PREPARE_PERSISTENT, &page, NULL);
	}
	int total = 0;
	sqlite3_bind_text(cnt, 1, m, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(cnt) == SQLITE_ROW)
		total = sqlite3_column_int(cnt, 0);
	sqlite3_reset(cnt);
	sqlite3_bind_text(page, 1, m, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(page, 2, limit);
	int n = 0;
	while (sqlite3_step(page) == SQLITE_ROW) {
		if (ids && n < 10)
			snprintf(ids[n], 64, "%s", (const char *)sqlite3_column_text(page, 0));
		n++;
	}
	sqlite3_reset(page);
	if (nids)
		*nids = n < 10 ? n : 10;
	return total;
}

static void build_trigram(sqlite3 *db, const char *label)
{
	exec(db, "DROP TABLE IF EXISTS tri");
	double t0 = now();
	exec(db, "BEGIN; CREATE VIRTUAL TABLE tri USING fts5(ids, title, body, other, tokenize = 'trigram');"
	         "INSERT INTO tri(rowid, ids, title, body, other) SELECT rowid, ids, title, body, other FROM search_fts;"
	         "INSERT INTO tri(tri) VALUES('optimize'); COMMIT");
	double t1 = now();
	double sz = one_double(db, "SELECT sum(pgsize) FROM dbstat WHERE name IN ('tri_data', 'tri_idx', 'tri_docsize')");
	printf("  trigram index (%s): built in %.1f s, %.1f MB\n", label, t1 - t0, sz / 1048576);
}

/* ---- relevance set: vd vs trigram on the real data ---- */

typedef struct { char ids[10][64]; int n; } top10;

static int top_cb(void *ctx, const vd_search_hit *h)
{
	top10 *t = ctx;
	if (t->n < 10)
		snprintf(t->ids[t->n++], sizeof t->ids[0], "%s", h->id);
	return 0;
}

static void relevance(vd_service *svc, sqlite3 *db)
{
	FILE *f = fopen("tests/search/relevance.tsv", "r");
	if (!f) {
		printf("  (tests/search/relevance.tsv not found: run from the repository root)\n");
		return;
	}
	char line[2048];
	int must = 0, vd_found = 0, tri_found = 0, nq = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		char *q = strchr(line, '\t');
		char *ids = q ? strchr(q + 1, '\t') : NULL;
		if (!ids)
			continue;
		*q++ = 0;
		*ids++ = 0;
		if (strcmp(ids, "-") == 0)
			continue;
		nq++;
		top10 t = {.n = 0};
		vd_search_params p = {.text = q, .limit = 10};
		vd_search_result res;
		vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, top_cb, &t, &res);
		char tri[10][64];
		int ntri = 0;
		tri_query(db, q, 10, tri, &ntri);
		for (char *id = strtok(ids, ","); id; id = strtok(NULL, ",")) {
			must++;
			vd_record *r = NULL;
			if (vd_service_get(svc, VD_VIEW_ALL, id, &r) != VD_OK)
				continue;
			for (int i = 0; i < t.n; i++)
				if (strcmp(t.ids[i], r->id) == 0) {
					vd_found++;
					break;
				}
			for (int i = 0; i < ntri; i++)
				if (strcmp(tri[i], r->id) == 0) {
					tri_found++;
					break;
				}
			vd_record_free(r);
		}
	}
	fclose(f);
	printf("  relevance set (%d queries, %d must-haves in the top 10): vd %d (%.0f%%), trigram %d (%.0f%%)\n",
	       nq, must, vd_found, 100.0 * vd_found / (must ? must : 1), tri_found,
	       100.0 * tri_found / (must ? must : 1));
}

/* ---- HTTP ---- */

static int http_get(int port, const char *target, double *ms)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	double t0 = now();
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char req[2048];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target);
	if (write(fd, req, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	char buf[65536];
	ssize_t r;
	int status = -1, first = 1;
	while ((r = read(fd, buf, sizeof buf - 1)) > 0)
		if (first) {
			buf[r] = 0;
			sscanf(buf, "HTTP/1.%*d %d", &status);
			first = 0;
		}
	close(fd);
	*ms = (now() - t0) * 1000;
	return status;
}

static void url_encode(const char *s, char *out, size_t n)
{
	size_t j = 0;
	for (; *s && j + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_')
			out[j++] = (char)c;
		else
			j += (size_t)snprintf(out + j, n - j, "%%%02X", c);
	}
	out[j] = 0;
}

static void http_bench(const char *vulnd, const char *dbpath)
{
	int port = 20000 + (int)(getpid() % 20000);
	char listen[64], conf[300], *argv[10];
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	/* no per-client rate limit: the bench is one client asking fast */
	snprintf(conf, sizeof conf, "%s.bench.conf", dbpath);
	FILE *cf = fopen(conf, "w");
	if (!cf) {
		printf("  HTTP: cannot write %s\n", conf);
		return;
	}
	fprintf(cf, "rate_limit = 0\naccess_log = off\nper_ip_connection_limit = 10000\n");
	fclose(cf);
	argv[0] = (char *)vulnd;
	argv[1] = "--db";
	argv[2] = (char *)dbpath;
	argv[3] = "serve";
	argv[4] = "--config";
	argv[5] = conf;
	argv[6] = "--listen";
	argv[7] = listen;
	argv[8] = NULL;
	pid_t pid;
	if (posix_spawn(&pid, vulnd, NULL, NULL, argv, environ) != 0) {
		printf("  HTTP: cannot start %s\n", vulnd);
		return;
	}
	double ms[NQ], dummy;
	int up = 0;
	for (int i = 0; i < 100 && !up; i++) {
		if (http_get(port, "/healthz", &dummy) == 200)
			up = 1;
		else
			usleep(50000);
	}
	if (!up) {
		printf("  HTTP: the server did not come up on %s\n", listen);
	} else {
		static const char *const variants[2][2] = {{"&facets=0", "HTTP GET /api/v1/search facets=0"},
		                                           {"", "HTTP GET /api/v1/search (facets)"}};
		for (int v = 0; v < 2; v++) {
			int bad = 0;
			for (int w = 0; w < 2; w++)   /* warm-up pass: each server thread's page cache */
				for (int i = 0; i < NQ; i++) {
					char enc[512], target[700];
					url_encode(queries[i], enc, sizeof enc);
					snprintf(target, sizeof target, "/api/v1/search?q=%s&limit=20%s", enc, variants[v][0]);
					int st = http_get(port, target, &ms[i]);
					bad += w && st != 200;
				}
			pct(variants[v][1], ms, NQ, 0);
			if (bad)
				printf("  (%d HTTP requests did not answer 200)\n", bad);
		}
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	unlink(conf);
}

/* ---- main ---- */

static void quiet(void *ctx, const char *where, const char *reason) { (void)ctx; (void)where; (void)reason; }

static int count_cb(void *ctx, const vd_search_hit *h) { (void)h; (*(int *)ctx)++; return 0; }

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-search SHARED_DIR [RECORDS]\n");
		return 2;
	}
	long target = argc > 2 ? strtol(argv[2], NULL, 10) : 300000;
	char dir[] = "/tmp/vd-bench-search-XXXXXX", path[256];
	vd_service *svc;
	sqlite3 *db;
	double n;
	const char *reuse = getenv("VD_BENCH_DB");   /* a kept database: only the queries */
	if (reuse && *reuse) {
		snprintf(path, sizeof path, "%s", reuse);
		db = raw_open(path);
		n = one_double(db, "SELECT count(*) FROM records");
		pick_queries(db);
		goto queries;
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/search.db", dir);
	if (vd_service_open(path, true, &svc))
		die("open");
	static const char *const srcs[] = {"cnnvd", "cnvd", "cve5", "osv"};
	double t0 = now();
	for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s/data/%s", argv[1], srcs[i]);
		vd_import_cb cb = {.skipped = quiet};
		vd_import_stats st;
		memset(&st, 0, sizeof st);
		if (vd_service_import(svc, VD_FMT_AUTO, p, &cb, &st))
			die(p);
	}
	db = raw_open(path);
	double real = one_double(db, "SELECT count(*) FROM records");
	printf("search benchmark (SQLite %s)\n", sqlite3_libversion());
	printf("real data: %.0f records imported (with the search index) in %.1f s\n", real, now() - t0);
	pick_queries(db);

	printf("\n1. relevance on the real data, vd tokenizer vs SQLite trigram over the same text\n");
	build_trigram(db, "real data");
	relevance(svc, db);
	vd_service_close(svc);

	/* 2. scale up: copies of the real records with renumbered ids, with
	 * their CWE and affected rows (what the facets and filters join).  The
	 * copies go through the store's connection: stored documents may be
	 * compressed, and vd_doc() (registered there) gives their text; the
	 * copies are stored as plain JSON text, which the store reads as well. */
	int copies = real > 0 ? (int)((target + real - 1) / real) - 1 : 0;
	sqlite3_close(db);
	vd_store *st;
	if (vd_store_open(path, &st))
		die("store open");
	sqlite3 *sdb = ((vd_sqlite *)st)->db;
	t0 = now();
	exec(sdb, "BEGIN");
	for (int k = 1; k <= copies; k++) {
		char sql[1024];
		snprintf(sql, sizeof sql,
		         "INSERT INTO records(id, state, published, modified, title_en, title_zh, grade, doc, hash)"
		         " SELECT id || '-S%d', state, published, modified, title_en, title_zh, grade,"
		         " json_set(vd_doc(doc), '$.id', id || '-S%d'), hash FROM records WHERE instr(id, '-S') = 0;"
		         "INSERT INTO record_cwes(record_id, cwe) SELECT record_id || '-S%d', cwe FROM record_cwes"
		         " WHERE instr(record_id, '-S') = 0;"
		         "INSERT INTO affected(record_id, idx, vendor, product, ecosystem, package, purl)"
		         " SELECT record_id || '-S%d', idx, vendor, product, ecosystem, package, purl FROM affected"
		         " WHERE instr(record_id, '-S') = 0",
		         k, k, k, k);
		exec(sdb, sql);
	}
	exec(sdb, "COMMIT");
	n = one_double(sdb, "SELECT count(*) FROM records");
	printf("\n2. scaled catalogue: %.0f records (%d renumbered copies of the real ones) written in %.1f s\n", n, copies,
	       now() - t0);
	t0 = now();
	if (st->ops->search_rebuild(st))
		die("rebuild");
	double build = now() - t0;
	vd_store_close(st);
	db = raw_open(path);
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	double text = one_double(db, "SELECT sum(length(CAST(c0 AS BLOB)) + length(CAST(c1 AS BLOB))"
	                             " + length(CAST(c2 AS BLOB)) + length(CAST(c3 AS BLOB))) FROM search_fts_content");
	double idx = one_double(db, "SELECT sum(pgsize) FROM dbstat WHERE name IN ('search_fts_data', 'search_fts_idx',"
	                            " 'search_fts_docsize', 'search_fts_config')");
	double content = one_double(db, "SELECT sum(pgsize) FROM dbstat WHERE name = 'search_fts_content'");
	double docs = one_double(db, "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_docs%'");
	printf("  index build (vd_store search_rebuild): %.1f s, %.0f records/s\n", build, n / build);
	printf("  indexed text %.1f MB; FTS index %.1f MB = %.2f x the text (target <= 1.5)\n", text / 1048576,
	       idx / 1048576, idx / text);
	printf("  plus the text copy in search_fts_content %.1f MB and filter rows search_docs %.1f MB\n",
	       content / 1048576, docs / 1048576);

queries:
	printf("\n3. %d queries (%d zh: 2-4 characters from titles; %d en: one or two title words), %.0f records\n", NQ,
	       NQ / 2, NQ / 2, n);
	printf("  e.g. %s, %s, %s | %s, %s, %s\n", queries[0], queries[1], queries[2], queries[NQ / 2],
	       queries[NQ / 2 + 1], queries[NQ / 2 + 2]);
	if (vd_service_open(path, false, &svc))
		die("open");
	double ms[NQ], zh[NQ / 2], en[NQ / 2];
	int zero = 0;
	for (int w = 0; w < 2; w++)   /* one warm-up pass: page cache */
		for (int i = 0; i < NQ; i++) {
			int hits = 0;
			vd_search_params p = {.text = queries[i], .limit = 20, .snippets = true};
			vd_search_result res;
			double q0 = now();
			if (vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, count_cb, &hits, &res))
				die(queries[i]);
			ms[i] = (now() - q0) * 1000;
			if (w && res.total == 0)
				zero++;
		}
	{   /* the slowest queries, to see what costs */
		int ord[NQ];
		for (int i = 0; i < NQ; i++)
			ord[i] = i;
		for (int i = 0; i < 5; i++)
			for (int j = i + 1; j < NQ; j++)
				if (ms[ord[j]] > ms[ord[i]]) {
					int t = ord[i];
					ord[i] = ord[j];
					ord[j] = t;
				}
		printf("  slowest:");
		for (int i = 0; i < 5; i++)
			printf(" %s (%.0f ms)", queries[ord[i]], ms[ord[i]]);
		printf("\n");
	}
	memcpy(zh, ms, sizeof zh);
	memcpy(en, ms + NQ / 2, sizeof en);
	pct("library call, all", ms, NQ, zero);
	pct("library call, zh", zh, NQ / 2, 0);
	pct("library call, en", en, NQ / 2, 0);
	for (int i = 0; i < NQ; i++) {
		int hits = 0;
		vd_search_params p = {.text = queries[i], .limit = 20, .facets = true};
		vd_search_result res;
		double q0 = now();
		vd_service_search_ex(svc, VD_VIEW_PUBLIC, &p, count_cb, &hits, &res);
		ms[i] = (now() - q0) * 1000;
	}
	pct("library call with facets", ms, NQ, 0);
	vd_service_close(svc);

	const char *vulnd = getenv("VULND");
	if (vulnd && *vulnd)
		http_bench(vulnd, path);
	else
		printf("  (HTTP part skipped: set VULND to the vulnd binary)\n");

	if (reuse && *reuse && getenv("VD_BENCH_NOTRI")) {
		sqlite3_close(db);
		return 0;
	}
	build_trigram(db, "scaled catalogue");
	zero = 0;
	for (int w = 0; w < 2; w++)
		for (int i = 0; i < NQ; i++) {
			double q0 = now();
			int total = tri_query(db, queries[i], 20, NULL, NULL);
			ms[i] = (now() - q0) * 1000;
			if (w && total == 0)
				zero++;
		}
	pct("trigram (count + page of 20)", ms, NQ, zero);
	sqlite3_close(db);
	if (getenv("VD_BENCH_KEEP") || (reuse && *reuse)) {   /* keep the database for a closer look */
		printf("  database kept: %s\n", path);
		return 0;
	}
	char rm[300];
	snprintf(rm, sizeof rm, "%s/search.db", dir);
	unlink(rm);
	snprintf(rm, sizeof rm, "%s/search.db-wal", dir);
	unlink(rm);
	snprintf(rm, sizeof rm, "%s/search.db-shm", dir);
	unlink(rm);
	rmdir(dir);
	return 0;
}
