/* The published-record cache behind vd_service_get_doc(VD_VIEW_PUBLIC)
 * (src/service/doc_cache.c): it answers repeated lookups from memory, by id
 * and by alias, and never with old data: a write by another handle of this
 * process shows at once, a write through a connection it cannot see (a
 * plain SQLite connection, as another process would be) within the check
 * interval, and a record that stops being published is never served. */
#include "harness.h"
#include "vulnd/error.h"
#include "vulnd/service.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], db[128];
static vd_service *a, *b;   /* a has a cache, b writes */

static void quiet(void *ctx, const char *where, const char *reason) { (void)ctx; (void)where; (void)reason; }

static int setup(void)
{
	const char *sh = vt_shared();
	if (!sh)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/vd-cache-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	char p[4200];
	snprintf(p, sizeof p, "%s/data/osv/go/GO-2020-0001.json", sh);
	vd_import_cb cb = {.skipped = quiet};
	vd_import_stats st;
	if (vd_service_open(db, true, &b) || vd_service_import(b, VD_FMT_AUTO, p, &cb, &st) ||
	    vd_service_open(db, false, &a) || vd_service_set_cache(a, 1u << 20))
		return -1;
	return 0;
}

static int get(const char *id, vd_record_doc *d)
{
	return vd_service_get_doc(a, VD_VIEW_PUBLIC, id, d);
}

static bool has(const vd_record_doc *d, const char *text)
{
	return d->json && strstr(d->json, text) != NULL;
}

static void t_hits(void)
{
	uint64_t h0, m0, h1, m1;
	vd_record_doc d1, d2, d3;
	vd_service_cache_counts(&h0, &m0);
	REQUIRE(get("GO-2020-0001", &d1) == VD_OK);
	REQUIRE(get("GO-2020-0001", &d2) == VD_OK);
	REQUIRE(get("CVE-2020-36567", &d3) == VD_OK);   /* an alias: first time a miss */
	vd_record_doc_free(&d3);
	REQUIRE(get("CVE-2020-36567", &d3) == VD_OK);
	vd_service_cache_counts(&h1, &m1);
	CHECK_INT(h1 - h0, 2);        /* the second lookup of each */
	CHECK_INT(m1 - m0, 2);
	CHECK_INT(d1.len, d2.len);
	CHECK(d1.json && d2.json && strcmp(d1.json, d2.json) == 0);
	CHECK_STR(d2.id, "CVE-2020-36567");
	CHECK_STR(d3.id, "CVE-2020-36567");
	CHECK_STR(d1.hash, d2.hash);
	CHECK(d1.json != d2.json);     /* each answer is the caller's own copy */
	vd_record_doc_free(&d1);
	vd_record_doc_free(&d2);
	vd_record_doc_free(&d3);
	/* a miss that is no record stays a miss */
	vd_record_doc none;
	CHECK_INT(get("GO-1999-9999", &none), VD_ENOTFOUND);
}

/* Another handle of this process edits: the next lookup has the edit. */
static void t_same_process_write(void)
{
	vd_record_doc d;
	REQUIRE(get("GO-2020-0001", &d) == VD_OK);
	vd_record_doc_free(&d);
	REQUIRE(vd_service_edit(b, "GO-2020-0001", "title.en", "Cache test title one") == VD_OK);
	REQUIRE(get("GO-2020-0001", &d) == VD_OK);
	CHECK(has(&d, "Cache test title one"));
	vd_record_doc_free(&d);
	REQUIRE(get("CVE-2020-36567", &d) == VD_OK);
	CHECK(has(&d, "Cache test title one"));
	vd_record_doc_free(&d);
	/* withdrawn through b: gone from the public view at once */
	REQUIRE(vd_service_edit(b, "GO-2020-0001", "state", "withdrawn") == VD_OK);
	CHECK_INT(get("GO-2020-0001", &d), VD_ENOTFOUND);
	CHECK_INT(get("CVE-2020-36567", &d), VD_ENOTFOUND);
	REQUIRE(vd_service_edit(b, "GO-2020-0001", "state", "published") == VD_OK);
	REQUIRE(get("GO-2020-0001", &d) == VD_OK);
	vd_record_doc_free(&d);
}

/* A connection the process's commit count does not see (like another
 * process): seen after the check interval (250 ms). */
static void t_other_connection_write(void)
{
	vd_record_doc d;
	REQUIRE(get("GO-2020-0001", &d) == VD_OK);
	vd_record_doc_free(&d);
	REQUIRE(get("GO-2020-0001", &d) == VD_OK);   /* cached now */
	vd_record_doc_free(&d);
	sqlite3 *raw = NULL;
	REQUIRE(sqlite3_open(db, &raw) == SQLITE_OK);
	sqlite3_busy_timeout(raw, 5000);
	CHECK_INT(sqlite3_exec(raw, "UPDATE records SET state = 'rejected' WHERE id = 'CVE-2020-36567'", NULL, NULL,
	                       NULL), SQLITE_OK);
	CHECK_INT(sqlite3_changes(raw), 1);
	sqlite3_close(raw);
	usleep(300 * 1000);
	CHECK_INT(get("GO-2020-0001", &d), VD_ENOTFOUND);
	CHECK_INT(get("CVE-2020-36567", &d), VD_ENOTFOUND);
	/* the unpublished record is not served from the cache later either */
	usleep(300 * 1000);
	CHECK_INT(get("GO-2020-0001", &d), VD_ENOTFOUND);
}

/* The full view never goes through the cache: it sees the rejected record. */
static void t_full_view(void)
{
	vd_record_doc d;
	REQUIRE(vd_service_get_doc(a, VD_VIEW_ALL, "GO-2020-0001", &d) == VD_OK);
	CHECK(d.json != NULL);
	vd_record_doc_free(&d);
}

/* A small cache (64 KiB) under many lookups, and a cache of 4 KiB that
 * keeps nothing (a record is larger than an eighth of it): right answers. */
static void t_small_budget(void)
{
	REQUIRE(vd_service_edit(b, "GO-2020-0001", "title.en", "Cache test title two") == VD_OK);
	static const size_t budgets[] = {64 * 1024, 4096};
	for (size_t k = 0; k < 2; k++) {
		REQUIRE(vd_service_set_cache(a, budgets[k]) == VD_OK);
		for (int i = 0; i < 40; i++) {
			char id[32];
			snprintf(id, sizeof id, "GO-2020-%04d", i % 20);
			vd_record_doc d;
			int rc = get(i % 3 ? id : "CVE-2020-36567", &d);
			if (i % 3 == 0 || i % 20 == 1) {
				CHECK_INT(rc, VD_OK);
				CHECK(has(&d, "Cache test title two"));
				vd_record_doc_free(&d);
			} else {
				CHECK_INT(rc, VD_ENOTFOUND);
			}
		}
	}
	REQUIRE(vd_service_set_cache(a, 0) == VD_OK);   /* off */
	vd_record_doc d;
	CHECK_INT(get("GO-2020-0001", &d), VD_OK);
	vd_record_doc_free(&d);
}

int main(void)
{
	if (setup()) {
		fprintf(stderr, "  setup: %s\n", vd_error_msg());
		printf("not ok - setup\n# 0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	RUN(t_hits);
	RUN(t_same_process_write);
	RUN(t_other_connection_write);
	RUN(t_full_view);
	RUN(t_small_budget);
	vd_service_close(a);
	vd_service_close(b);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", dir);
	return vt_done();
}
