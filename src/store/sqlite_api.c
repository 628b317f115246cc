/* src/store/sqlite_api.c — the read-API area of the SQLite backend:
 * documents by id or alias without decoding (single and batch), record
 * lists with keyset pagination, vendor/product counts, counts by grade,
 * month and class, and OSV-style package lookups over the `affected` table.
 *
 * List order and cursor: records are listed by rowid, newest insertion
 * first (the upsert keeps a record's rowid when it changes, so a record
 * keeps its place).  The cursor is the last rowid seen; the next page is
 * `rowid < cursor`.  Records inserted while a client pages land above the
 * cursor and never shift the pages already handed out.
 *
 * Lists with filters are built from fixed SQL fragments (only the present
 * filters), bound as parameters, prepared per call and finalized.  The
 * other statements are static and cached with vd_sq_prep().
 */
#include "vulnd/store.h"
#include "vulnd/error.h"
#include "sqlite_int.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vd_sqlite *H(vd_store *s) { return (vd_sqlite *)s; }
static const char *col(sqlite3_stmt *q, int i) { return (const char *)sqlite3_column_text(q, i); }

/* ---- documents by id or alias ---- */

/* ?1 a record's own id, exactly: one primary-key lookup, and the row the
 * alias order below would pick first anyway (exact case, its own id). */
static const char SQL_DOC_ID[] = "SELECT id, state, modified, hash, vd_doc(doc) FROM records WHERE id = ?1";
/* ?1 id or alias: the same resolution order as resolve() in sqlite.c. */
static const char SQL_DOC[] =
	"SELECT r.id, r.state, r.modified, r.hash, vd_doc(r.doc) FROM records r WHERE r.id = ("
	" SELECT record_id FROM aliases WHERE alias = ?1"
	" ORDER BY (alias = ?1 COLLATE BINARY) DESC, (record_id = alias COLLATE BINARY) DESC, rowid"
	" LIMIT 1)";

int vd_sq_doc_get(vd_store *st, const char *const *ids, size_t n,
                  int (*cb)(void *ctx, size_t i, const vd_doc_row *row), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	if (!cb || (n && !ids))
		return vd_error_set(VD_EINVAL, "store: doc_get needs ids and a callback");
	sqlite3_stmt *qid;
	int rc = vd_sq_prep(s, SQL_DOC, &q);
	if (!rc)
		rc = vd_sq_prep(s, SQL_DOC_ID, &qid);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q) || sqlite3_stmt_busy(qid))
		return vd_error_set(VD_EINVAL, "store: doc_get called from its own callback");
	for (size_t i = 0; i < n; i++) {
		if (!ids[i])
			continue;
		int ret = VD_OK;
		vd_sq_bind_text(qid, 1, ids[i]);
		rc = sqlite3_step(qid);
		if (rc == SQLITE_ROW) {
			q = qid;          /* found by its own id */
		} else {
			if ((rc = vd_sq_done(s, qid, rc, "doc_get")))
				return rc;
			q = NULL;
			if ((rc = vd_sq_prep(s, SQL_DOC, &q)))
				return rc;
			vd_sq_bind_text(q, 1, ids[i]);
			rc = sqlite3_step(q);
		}
		if (rc == SQLITE_ROW) {
			vd_doc_row row = {
				.id = col(q, 0), .state = col(q, 1), .modified = col(q, 2), .hash = col(q, 3),
				.doc = col(q, 4), .doc_len = (size_t)sqlite3_column_bytes(q, 4), .asked = ids[i],
			};
			ret = cb(ctx, i, &row);
		}
		rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "doc_get");
		if (ret || rc)
			return ret ? ret : rc;
	}
	return VD_OK;
}

/* ---- lists ---- */

#define LIST_LIMIT_MAX 10000

int vd_sq_list(vd_store *st, const vd_list_query *lq, int (*cb)(void *ctx, const vd_list_item *it),
               void *ctx)
{
	vd_sqlite *s = H(st);
	if (!lq || !cb)
		return vd_error_set(VD_EINVAL, "store: list needs a query and a callback");
	int limit = lq->limit <= 0 ? 100 : lq->limit > LIST_LIMIT_MAX ? LIST_LIMIT_MAX : lq->limit;
	vd_buf sql;
	vd_buf_init(&sql, 8192);
	/* Numbered parameters, fixed per filter, so binding does not depend on
	 * which filters are present. */
	int rc = vd_buf_adds(&sql, "SELECT r.rowid, r.id, r.state, r.published, r.modified, r.grade,"
	                           " r.title_en, r.title_zh FROM records r WHERE 1");
	if (!lq->include_unpublished)
		rc = rc ? rc : vd_buf_adds(&sql, " AND r.state = 'published'");
	if (lq->after > 0)
		rc = rc ? rc : vd_buf_adds(&sql, " AND r.rowid < ?1");
	if (lq->modified_since)
		rc = rc ? rc : vd_buf_adds(&sql, " AND r.modified >= ?2");
	if (lq->severity)
		rc = rc ? rc : vd_buf_adds(&sql, " AND r.grade = ?3 COLLATE NOCASE");
	if (lq->cwe)
		rc = rc ? rc : vd_buf_adds(&sql, " AND r.id IN (SELECT record_id FROM record_cwes WHERE cwe = ?4)");
	if (lq->vendor || lq->product)
		rc = rc ? rc : vd_buf_adds(&sql, " AND r.id IN (SELECT record_id FROM affected WHERE"
		                                 " (?5 IS NULL OR vendor = ?5 COLLATE NOCASE)"
		                                 " AND (?6 IS NULL OR product = ?6 COLLATE NOCASE))");
	if (lq->credit)
		rc = rc ? rc : vd_buf_adds(&sql, " AND EXISTS (SELECT 1 FROM json_each(vd_doc(r.doc), '$.credits') c"
		                                 " WHERE json_extract(c.value, '$.name') LIKE ?7 ESCAPE '\\')");
	if (lq->library)
		rc = rc ? rc : vd_buf_adds(&sql, " AND json_extract(vd_doc(r.doc), '$.library') = ?8 COLLATE NOCASE");
	rc = rc ? rc : vd_buf_adds(&sql, " ORDER BY r.rowid DESC LIMIT ?9");
	if (rc) {
		vd_buf_free(&sql);
		return rc;
	}
	/* credit: substring, with LIKE metacharacters escaped */
	vd_buf like;
	vd_buf_init(&like, 2048);
	if (lq->credit) {
		rc = vd_buf_addc(&like, '%');
		for (const char *p = lq->credit; *p && !rc; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				rc = vd_buf_addc(&like, '\\');
			rc = rc ? rc : vd_buf_addc(&like, *p);
		}
		rc = rc ? rc : vd_buf_addc(&like, '%');
	}
	sqlite3_stmt *q = NULL;
	if (!rc && sqlite3_prepare_v2(s->db, vd_buf_str(&sql), -1, &q, NULL) != SQLITE_OK)
		rc = vd_sq_fail(s, SQLITE_ERROR, "list: prepare");
	if (rc)
		goto out;
	/* Every ?N is bound (unused ones are harmless); absent filters are NULL. */
	if (lq->after > 0)
		sqlite3_bind_int64(q, 1, lq->after);
	vd_sq_bind_text(q, 2, lq->modified_since);
	vd_sq_bind_text(q, 3, lq->severity);
	vd_sq_bind_text(q, 4, lq->cwe);
	vd_sq_bind_text(q, 5, lq->vendor);
	vd_sq_bind_text(q, 6, lq->product);
	if (lq->credit)
		sqlite3_bind_text(q, 7, vd_buf_str(&like), (int)like.len, SQLITE_STATIC);
	vd_sq_bind_text(q, 8, lq->library);
	sqlite3_bind_int(q, 9, limit);
	int ret = VD_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		vd_list_item it = {
			.key = sqlite3_column_int64(q, 0), .id = col(q, 1), .state = col(q, 2),
			.published = col(q, 3), .modified = col(q, 4), .grade = col(q, 5),
			.title_en = col(q, 6), .title_zh = col(q, 7),
		};
		if ((ret = cb(ctx, &it)) != 0)
			break;
	}
	if (!ret && step != SQLITE_DONE)
		rc = vd_sq_fail(s, step, "list");
	rc = ret ? ret : rc;
out:
	sqlite3_finalize(q);
	vd_buf_free(&sql);
	vd_buf_free(&like);
	return rc;
}

/* ---- vendors and products ---- */

/* ?1 include_unpublished, ?2 after (exclusive, case-insensitive), ?3 limit */
static const char SQL_VENDORS[] =
	"SELECT a.vendor, count(DISTINCT a.record_id) FROM affected a JOIN records r ON r.id = a.record_id"
	" WHERE a.vendor IS NOT NULL AND (?1 OR r.state = 'published')"
	" AND (?2 IS NULL OR a.vendor > ?2 COLLATE NOCASE)"
	" GROUP BY a.vendor COLLATE NOCASE ORDER BY a.vendor COLLATE NOCASE LIMIT ?3";
/* ?4 vendor */
static const char SQL_PRODUCTS[] =
	"SELECT a.product, count(DISTINCT a.record_id) FROM affected a JOIN records r ON r.id = a.record_id"
	" WHERE a.vendor = ?4 COLLATE NOCASE AND a.product IS NOT NULL AND (?1 OR r.state = 'published')"
	" AND (?2 IS NULL OR a.product > ?2 COLLATE NOCASE)"
	" GROUP BY a.product COLLATE NOCASE ORDER BY a.product COLLATE NOCASE LIMIT ?3";

int vd_sq_names(vd_store *st, const vd_names_query *nq, int (*cb)(void *ctx, const char *name, uint64_t n),
                void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	if (!nq || !cb)
		return vd_error_set(VD_EINVAL, "store: names needs a query and a callback");
	int rc = vd_sq_prep(s, nq->vendor ? SQL_PRODUCTS : SQL_VENDORS, &q);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: names called from its own callback");
	sqlite3_bind_int(q, 1, nq->include_unpublished ? 1 : 0);
	vd_sq_bind_text(q, 2, nq->after);
	sqlite3_bind_int(q, 3, nq->limit <= 0 ? 100 : nq->limit > LIST_LIMIT_MAX ? LIST_LIMIT_MAX : nq->limit);
	if (nq->vendor)
		vd_sq_bind_text(q, 4, nq->vendor);
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, col(q, 0), (uint64_t)sqlite3_column_int64(q, 1))) != 0)
			break;
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, nq->vendor ? "products" : "vendors");
	return ret ? ret : rc;
}

/* ---- counts by grade, month, class ---- */

static const char SQL_BY_GRADE[] =
	"SELECT coalesce(grade, 'none'), count(*) FROM records WHERE (?1 OR state = 'published')"
	" GROUP BY 1 ORDER BY 1";
static const char SQL_BY_MONTH[] =
	"SELECT substr(published, 1, 7), count(*) FROM records WHERE (?1 OR state = 'published')"
	" AND published IS NOT NULL GROUP BY 1 ORDER BY 1";
static const char SQL_BY_CLASS[] =
	"SELECT coalesce(json_extract(d, '$.class_code'), json_extract(d, '$.class_text'), 'none'), count(*)"
	" FROM (SELECT vd_doc(doc) AS d FROM records WHERE (?1 OR state = 'published') LIMIT -1)"
	" GROUP BY 1 ORDER BY 1";   /* LIMIT: not flattened, so each doc is decompressed once */

int vd_sq_counts(vd_store *st, bool include_unpublished,
                 int (*cb)(void *ctx, const char *dim, const char *key, uint64_t n), void *ctx)
{
	vd_sqlite *s = H(st);
	static const char *const sql[] = {SQL_BY_GRADE, SQL_BY_MONTH, SQL_BY_CLASS};
	static const char *const dim[] = {"grade", "month", "class"};
	if (!cb)
		return vd_error_set(VD_EINVAL, "store: counts needs a callback");
	for (int d = 0; d < 3; d++) {
		sqlite3_stmt *q;
		int rc = vd_sq_prep(s, sql[d], &q), ret = VD_OK;
		if (rc)
			return rc;
		sqlite3_bind_int(q, 1, include_unpublished ? 1 : 0);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW)
			if (col(q, 0) && (ret = cb(ctx, dim[d], col(q, 0), (uint64_t)sqlite3_column_int64(q, 1))) != 0)
				break;
		rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "counts");
		if (ret || rc)
			return ret ? ret : rc;
	}
	return VD_OK;
}

/* ---- packages ---- */

/* ?1 ecosystem, ?2 package, ?3 include_unpublished, ?4 after record id */
static const char SQL_PKG[] =
	"SELECT a.record_id, a.idx, r.state, r.modified, vd_doc(r.doc), vd_doc(a.json) FROM affected a"
	" JOIN records r ON r.id = a.record_id"
	" WHERE a.ecosystem = ?1 AND a.package = ?2 AND (?3 OR r.state = 'published')"
	" AND (?4 IS NULL OR a.record_id > ?4) ORDER BY a.record_id, a.idx";
/* ?1 purl (without version), ... */
static const char SQL_PURL[] =
	"SELECT a.record_id, a.idx, r.state, r.modified, vd_doc(r.doc), vd_doc(a.json) FROM affected a"
	" JOIN records r ON r.id = a.record_id"
	" WHERE a.purl = ?1 AND (?3 OR r.state = 'published')"
	" AND (?4 IS NULL OR a.record_id > ?4) ORDER BY a.record_id, a.idx";
/* ?1 text that must occur in the doc (commit hashes) */
static const char SQL_DOC_HAS[] =
	"SELECT r.id, -1, r.state, r.modified, vd_doc(r.doc), NULL FROM records r"
	" WHERE instr(vd_doc(r.doc), ?1) > 0 AND (?3 OR r.state = 'published')"
	" AND (?4 IS NULL OR r.id > ?4) ORDER BY r.id";

int vd_sq_affected_find(vd_store *st, const vd_pkg_query *pq, int (*cb)(void *ctx, const vd_pkg_row *row),
                        void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	if (!pq || !cb)
		return vd_error_set(VD_EINVAL, "store: affected_find needs a query and a callback");
	const char *sql = pq->purl ? SQL_PURL : pq->text ? SQL_DOC_HAS : SQL_PKG;
	if (!pq->purl && !pq->text && (!pq->ecosystem || !pq->package))
		return vd_error_set(VD_EINVAL, "store: affected_find needs ecosystem+package, a purl or a text");
	int rc = vd_sq_prep(s, sql, &q);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: affected_find called from its own callback");
	if (pq->purl) {
		vd_sq_bind_text(q, 1, pq->purl);
	} else if (pq->text) {
		vd_sq_bind_text(q, 1, pq->text);
	} else {
		vd_sq_bind_text(q, 1, pq->ecosystem);
		vd_sq_bind_text(q, 2, pq->package);
	}
	sqlite3_bind_int(q, 3, pq->include_unpublished ? 1 : 0);
	vd_sq_bind_text(q, 4, pq->after);
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_pkg_row row = {
			.record_id = col(q, 0), .idx = sqlite3_column_int(q, 1), .state = col(q, 2),
			.modified = col(q, 3), .doc = col(q, 4), .doc_len = (size_t)sqlite3_column_bytes(q, 4),
			.affected = col(q, 5), .affected_len = (size_t)sqlite3_column_bytes(q, 5),
		};
		if ((ret = cb(ctx, &row)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "affected_find");
	return ret ? ret : rc;
}
