/* src/store/sqlite_match.c — SBOM matching and VEX statements (issue 8) for
 * the SQLite backend.  Tables (schema_sqlite.h, the issue 8 migration):
 *
 *   affected (core)   candidates by purl (affected_purl index) and by
 *                     package, case-insensitively (affected_package_nocase);
 *                     the ecosystem is compared in the same query: equal
 *                     (case-insensitive) or a release of it ("Debian" finds
 *                     "Debian:12").
 *   affected_vp       vp, record_id, idx: each distinct lower-case
 *                     "vendor:product" of an affected entry's CPEs, written
 *                     with the entry (sqlite.c); the CPE lookup is one
 *                     primary-key range.
 *   affected.json     each entry's JSON (compressed, read through vd_doc()),
 *                     written with the entry, so a candidate costs no parse
 *                     of the whole record.
 *   vex_statements    (product, vuln_id) → state, justification, detail,
 *                     response, source, updated.
 *
 * Each lookup is one index search; only candidate entries are decoded.
 */
#include "sqlite_int.h"
#include "vulnd/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vd_sqlite *H(vd_store *s) { return (vd_sqlite *)s; }

static const char *col(sqlite3_stmt *q, int i) { return (const char *)sqlite3_column_text(q, i); }

#define CAND_COLS "SELECT a.record_id, a.idx, r.state, r.grade, vd_doc(a.json)"

/* ?1 purl, ?4 include_unpublished */
static const char SQL_BY_PURL[] =
	CAND_COLS " FROM affected a JOIN records r ON r.id = a.record_id"
	" WHERE a.purl = ?1 AND (?4 OR r.state = 'published') ORDER BY a.record_id, a.idx";
/* ?1 package, ?2 ecosystem, ?4 include_unpublished.  (No LIKE with a bound
 * pattern: SQLite re-prepares such a statement whenever the pattern changes.) */
static const char SQL_BY_PKG[] =
	CAND_COLS " FROM affected a JOIN records r ON r.id = a.record_id"
	" WHERE a.package = ?1 COLLATE NOCASE AND (a.ecosystem = ?2 COLLATE NOCASE"
	" OR lower(substr(a.ecosystem, 1, length(?2) + 1)) = lower(?2 || ':'))"
	" AND (?4 OR r.state = 'published') ORDER BY a.record_id, a.idx";
/* ?1 "vendor:product", ?4 */
static const char SQL_BY_CPE[] =
	"SELECT c.record_id, c.idx, r.state, r.grade, vd_doc(a.json) FROM affected_vp c"
	" JOIN records r ON r.id = c.record_id JOIN affected a ON a.record_id = c.record_id AND a.idx = c.idx"
	" WHERE c.vp = ?1 AND (?4 OR r.state = 'published') ORDER BY c.record_id, c.idx";

int vd_sq_match_candidates(vd_store *st, const vd_match_key *k, int (*cb)(void *ctx, const vd_match_row *r),
                           void *ctx)
{
	vd_sqlite *s = H(st);
	if (!k || !cb)
		return vd_error_set(VD_EINVAL, "store: match_candidates needs a key and a callback");
	const char *sql = k->purl ? SQL_BY_PURL : k->package ? SQL_BY_PKG : k->cpe_prefix ? SQL_BY_CPE : NULL;
	if (!sql || (k->package && !k->ecosystem))
		return vd_error_set(VD_EINVAL, "store: match_candidates needs a purl, ecosystem + package or a CPE prefix");
	if ((k->package && strlen(k->ecosystem) > 512) || (k->cpe_prefix && strlen(k->cpe_prefix) > 590))
		return vd_error_set(VD_EINVAL, "store: match_candidates: key too long");
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, sql, &q);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: match_candidates called from its own callback");
	if (k->purl) {
		vd_sq_bind_text(q, 1, k->purl);
	} else if (k->package) {
		vd_sq_bind_text(q, 1, k->package);
		vd_sq_bind_text(q, 2, k->ecosystem);
	} else {
		vd_sq_bind_text(q, 1, k->cpe_prefix);
	}
	sqlite3_bind_int(q, 4, k->include_unpublished ? 1 : 0);
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_match_row row = {
			.record_id = col(q, 0), .idx = sqlite3_column_int(q, 1), .state = col(q, 2), .grade = col(q, 3),
			.affected = col(q, 4), .affected_len = (size_t)sqlite3_column_bytes(q, 4),
		};
		if (!row.record_id || !row.affected)
			continue;
		if ((ret = cb(ctx, &row)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "match_candidates");
	return ret ? ret : rc;
}

static const char SQL_ALIASES[] =
	"SELECT alias FROM aliases WHERE record_id = ?1 AND alias <> record_id ORDER BY rowid";

int vd_sq_record_aliases(vd_store *st, const char *record_id, int (*cb)(void *ctx, const char *alias), void *ctx)
{
	vd_sqlite *s = H(st);
	if (!record_id || !cb)
		return vd_error_set(VD_EINVAL, "store: record_aliases needs an id and a callback");
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_ALIASES, &q);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: record_aliases called from its own callback");
	vd_sq_bind_text(q, 1, record_id);
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (col(q, 0) && (ret = cb(ctx, col(q, 0))) != 0)
			break;
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "record_aliases");
	return ret ? ret : rc;
}

static const char SQL_VEX_PUT[] =
	"INSERT INTO vex_statements(product, vuln_id, state, justification, detail, response, source, updated)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(product, vuln_id) DO UPDATE SET"
	" state = excluded.state, justification = excluded.justification, detail = excluded.detail,"
	" response = excluded.response, source = excluded.source, updated = excluded.updated";

int vd_sq_vex_put(vd_store *st, const vd_vex_row *v)
{
	vd_sqlite *s = H(st);
	if (!v || vd_str_empty(v->product) || vd_str_empty(v->vuln_id) || vd_str_empty(v->state) ||
	    vd_str_empty(v->updated))
		return vd_error_set(VD_EINVAL, "store: vex_put needs product, vuln_id, state and updated");
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_prep(s, SQL_VEX_PUT, &q);
	if (rc || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	vd_sq_bind_text(q, 1, v->product);
	vd_sq_bind_text(q, 2, v->vuln_id);
	vd_sq_bind_text(q, 3, v->state);
	vd_sq_bind_text(q, 4, v->justification);
	vd_sq_bind_text(q, 5, v->detail);
	vd_sq_bind_text(q, 6, v->response);
	vd_sq_bind_text(q, 7, v->source);
	vd_sq_bind_text(q, 8, v->updated);
	rc = vd_sq_done(s, q, sqlite3_step(q), "vex_put");
	return vd_sq_op_end(s, own, rc);
}

static const char SQL_VEX_GET[] =
	"SELECT product, vuln_id, state, justification, detail, response, source, updated FROM vex_statements"
	" WHERE product = ?1 AND vuln_id = ?2";

int vd_sq_vex_get(vd_store *st, const char *product, const char *const *ids, size_t n,
                  int (*cb)(void *ctx, const vd_vex_row *v), void *ctx)
{
	vd_sqlite *s = H(st);
	if (!product || (n && !ids) || !cb)
		return vd_error_set(VD_EINVAL, "store: vex_get needs a product, ids and a callback");
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_VEX_GET, &q);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: vex_get called from its own callback");
	for (size_t i = 0; i < n; i++) {
		if (!ids[i])
			continue;
		vd_sq_bind_text(q, 1, product);
		vd_sq_bind_text(q, 2, ids[i]);
		int ret = VD_OK;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			vd_vex_row v = {col(q, 0), col(q, 1), col(q, 2), col(q, 3), col(q, 4), col(q, 5), col(q, 6), col(q, 7)};
			if ((ret = cb(ctx, &v)) != 0)
				break;
		}
		rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "vex_get");
		if (ret || rc)
			return ret ? ret : rc;
	}
	return VD_OK;
}

static const char SQL_VEX_COUNT[] = "SELECT count(*) FROM vex_statements";

int vd_sq_vex_count(vd_store *st, uint64_t *n)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_VEX_COUNT, &q);
	if (rc)
		return rc;
	rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
	return vd_sq_done(s, q, rc, "vex_count");
}

static const char SQL_READ_BEGIN[] = "BEGIN DEFERRED";
static const char SQL_READ_END[] = "COMMIT";

int vd_sq_read_snapshot(vd_store *st, bool on)
{
	vd_sqlite *s = H(st);
	if (on && !sqlite3_get_autocommit(s->db))
		return vd_error_set(VD_EINVAL, "store: read_snapshot inside a transaction");
	if (!on && sqlite3_get_autocommit(s->db))
		return VD_OK;
	sqlite3_stmt *q;
	int rc;
	if (on && !s->memory) {
		/* many random index lookups over a big file: map it instead of a
		 * pread per page (a connection setting; SQLite caps it at its
		 * compile-time maximum; failure only costs speed) */
		sqlite3_exec(s->db, "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL);
	}
	if ((rc = vd_sq_prep(s, on ? SQL_READ_BEGIN : SQL_READ_END, &q)))
		return rc;
	return vd_sq_done(s, q, sqlite3_step(q), on ? "read_snapshot begin" : "read_snapshot end");
}
