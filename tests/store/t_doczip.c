/* Compressed documents of the SQLite backend (src/store/sqlite_doc.c):
 * what is written comes back byte for byte through every read path, before
 * and after a dictionary is trained; a trained dictionary whose transaction
 * rolls back is not used afterwards; JSON text written by older versions is
 * still read; a damaged frame is a clear error, not a crash. */
#include "harness.h"
#include "vulnd/error.h"
#include "vulnd/record.h"
#include "vulnd/store.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

static char dir[64], path[128];

static vd_record *mk(int i, const char *extra)
{
	char id[32], title[160], desc[400];
	snprintf(id, sizeof id, "CVE-2099-%05d", i);
	snprintf(title, sizeof title, "Buffer overflow in libexample %d.%d allows remote attackers %s", i % 7, i % 13,
	         extra);
	snprintf(desc, sizeof desc, "A heap-based buffer overflow in the parser of libexample before %d.%d.%d lets "
	         "a remote attacker run code via a crafted file (record %d). 远程攻击者可利用该漏洞执行代码。",
	         i % 7, i % 13, i % 5, i);
	vd_record *r = vd_record_new();
	r->id = vd_record_str(r, id);
	r->state = VD_STATE_PUBLISHED;
	r->published = vd_record_str(r, "2024-01-02T03:04:05Z");
	r->modified = vd_record_str(r, "2024-02-03T04:05:06Z");
	vd_record_set_text(r, &r->title, "en", title);
	vd_record_set_text(r, &r->description, "en", desc);
	return r;
}

/* put n records (ids from..from+n) in one transaction, then commit or roll back */
static int put_many(vd_store *s, int from, int n, bool commit, const char *extra)
{
	int rc = vd_store_begin(s);
	for (int i = from; !rc && i < from + n; i++) {
		vd_record *r = mk(i, extra);
		char *json = NULL;
		rc = vd_record_to_json(r, &json);
		if (!rc) {
			vd_source_doc d = {"nvd2", r->id, r->id, "0123456789abcdef", json};
			rc = s->ops->source_put(s, &d);
		}
		if (!rc)
			rc = vd_store_put(s, r);
		free(json);
		vd_record_free(r);
	}
	if (rc) {
		vd_store_rollback(s);
		return rc;
	}
	return commit ? vd_store_commit(s) : vd_store_rollback(s);
}

/* record i reads back exactly as written (record_get and source_get) */
static bool same(vd_store *s, int i, const char *extra)
{
	vd_record *want = mk(i, extra), *got = NULL;
	char *a = NULL, *b = NULL;
	bool ok = vd_record_to_json(want, &a) == VD_OK && vd_store_get(s, want->id, &got) == VD_OK &&
	          vd_record_to_json(got, &b) == VD_OK && strcmp(a, b) == 0;
	vd_source_doc d;
	ok = ok && s->ops->source_get(s, "nvd2", want->id, &d) == VD_OK && strcmp(d.json, a) == 0;
	free(a);
	free(b);
	vd_record_free(want);
	vd_record_free(got);
	return ok;
}

static int64_t query_int(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t v = -1;
	if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static int exec_raw(const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static vd_store *open_file(void)
{
	vd_store *s = NULL;
	if (vd_store_open(path, &s) || vd_store_migrate(s)) {
		vd_store_close(s);
		return NULL;
	}
	return s;
}

/* The first documents go without a dictionary; a rolled-back training
 * leaves none; the next training is kept and used; all read back. */
static void t_train_rollback_read(void)
{
	vd_store *s = open_file();
	REQUIRE(s != NULL);
	CHECK_INT(put_many(s, 0, 100, true, "alpha"), VD_OK);
	CHECK_INT(query_int("SELECT count(*) FROM zdicts"), 0);
	/* compressed, not text */
	CHECK_INT(query_int("SELECT count(*) FROM records WHERE typeof(doc) = 'blob' AND substr(doc, 1, 4) = "
	                    "x'28b52ffd'"), 100);
	/* enough samples to train, in a transaction that rolls back */
	CHECK_INT(put_many(s, 1000, 2100, false, "beta"), VD_OK);
	CHECK_INT(query_int("SELECT count(*) FROM zdicts"), 0);
	CHECK_INT(query_int("SELECT count(*) FROM records"), 100);
	/* more after the rollback: readable (no frame names a missing dictionary) */
	CHECK_INT(put_many(s, 5000, 50, true, "gamma"), VD_OK);
	for (int i = 5000; i < 5050; i++)
		CHECK(same(s, i, "gamma"));
	vd_store_close(s);

	/* a new connection trains and keeps its dictionary */
	s = open_file();
	REQUIRE(s != NULL);
	CHECK_INT(put_many(s, 10000, 2500, true, "delta"), VD_OK);
	CHECK_INT(query_int("SELECT count(*) FROM zdicts"), 1);
	int64_t id = query_int("SELECT id FROM zdicts");
	CHECK(id > 0);
	/* documents written after the training name it in their frame header */
	CHECK_INT(query_int("SELECT count(*) FROM records WHERE id >= 'CVE-2099-12300' AND "
	                    "substr(doc, 1, 4) = x'28b52ffd'"), 12500 - 12300);
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	unsigned frame_dict = 0;
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT doc FROM records WHERE id = 'CVE-2099-12400'", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		frame_dict = ZSTD_getDictID_fromFrame(sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	CHECK_INT(frame_dict, id);
	for (int i = 0; i < 100; i += 7)
		CHECK(same(s, i, "alpha"));
	for (int i = 10000; i < 12500; i += 97)
		CHECK(same(s, i, "delta"));
	CHECK(same(s, 12499, "delta"));
	vd_store_close(s);

	/* with dictionary: smaller than the text, and another connection reads them */
	int64_t zbytes = query_int("SELECT sum(length(doc)) FROM records WHERE id >= 'CVE-2099-12300'");
	s = open_file();
	REQUIRE(s != NULL);
	vd_record *r = NULL;
	CHECK_INT(vd_store_get(s, "CVE-2099-12400", &r), VD_OK);
	char *json = NULL;
	CHECK(r && vd_record_to_json(r, &json) == VD_OK);
	CHECK(json && zbytes > 0 && (size_t)zbytes * 3 < strlen(json) * 200);
	free(json);
	vd_record_free(r);
	vd_store_close(s);
}

/* JSON text stored by an older version is read as it is; a damaged frame
 * is an error that says so. */
static void t_text_and_damage(void)
{
	vd_store *s = open_file();
	REQUIRE(s != NULL);
	vd_record *r = mk(7, "alpha");
	char *json = NULL;
	REQUIRE(vd_record_to_json(r, &json) == VD_OK);
	vd_record_free(r);
	vd_store_close(s);
	char *sql = sqlite3_mprintf("UPDATE records SET doc = %Q WHERE id = 'CVE-2099-00007';"
	                            "UPDATE records SET doc = x'28b52ffd0000ffff' WHERE id = 'CVE-2099-00008'",
	                            json);
	CHECK_INT(exec_raw(sql), SQLITE_OK);
	sqlite3_free(sql);
	free(json);
	s = open_file();
	REQUIRE(s != NULL);
	CHECK(same(s, 7, "alpha"));
	vd_record *bad = NULL;
	int rc = vd_store_get(s, "CVE-2099-00008", &bad);
	CHECK(rc != VD_OK);
	CHECK(strstr(vd_error_msg(), "damaged") != NULL || strstr(vd_error_msg(), "document") != NULL);
	vd_record_free(bad);
	vd_store_close(s);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/vd-zip-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("not ok - mkdtemp\n# 0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	snprintf(path, sizeof path, "%s/z.db", dir);
	RUN(t_train_rollback_read);
	RUN(t_text_and_damage);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", dir);
	return vt_done();
}
