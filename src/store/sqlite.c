/* src/store/sqlite.c — the SQLite backend of the store interface (vulnd/store.h).
 *
 * Connection: WAL journal (file databases), foreign_keys=ON, busy_timeout
 * 5 s, synchronous=NORMAL.  The schema lives in schema_sqlite.h as forward-
 * only migrations; its version is PRAGMA user_version.
 *
 * Tables (schema version 2):
 *   records(id PK, state, published, modified, title_en, title_zh, grade,
 *           doc, hash)
 *       One row per merged record.  doc is the canonical JSON from
 *       vd_record_to_json and is the truth; the other columns are copies of
 *       its fields for filtering and ordering.  state is the state name
 *       ("published", ...).  hash is FNV-1a 64 of doc in 16 hex digits: a
 *       change detector (and ETag material), not a cryptographic digest.
 *   aliases(alias COLLATE NOCASE, record_id → records ON DELETE CASCADE,
 *           source, PRIMARY KEY(alias, record_id))
 *       Every id a record is known by, including its own id (source NULL),
 *       so resolve() is one index lookup.  Several records may carry the
 *       same alias (a GHSA and a PYSEC advisory both naming one CVE):
 *       each keeps its own row and none fails.  resolve() picks, in order:
 *       an exact-case match, a record whose own id it is, then the oldest
 *       row — so an alias that already pointed to a record keeps pointing
 *       there, and when that record drops the alias or is deleted the alias
 *       falls to the next record that still carries it.
 *   record_cwes(record_id → records ON DELETE CASCADE, cwe) PK(record_id, cwe)
 *   affected(record_id → records ON DELETE CASCADE, idx, vendor, product,
 *            ecosystem, package, purl) PK(record_id, idx)
 *       One row per affected entry of the doc (idx = its position), indexed
 *       by (vendor, product) case-insensitively, (ecosystem, package), purl.
 *   search_docs, search_fts (schema 3): the full-text index, kept by
 *       vd_sq_search_put() from put_locked and by the cascade + trigger on
 *       delete; described in sqlite_search.c and docs/search.md.
 *   sources(source, source_id, record_id, hash, doc) PK(source, source_id)
 *       Each source document as imported.  No foreign key: a source doc may
 *       be stored before the record it feeds, and deleting a record keeps
 *       the import history.
 *
 * record_put rebuilds the index rows of the record in the same transaction
 * (its own BEGIN IMMEDIATE outside a caller's transaction; see op_begin for
 * failures inside one), and does nothing when the stored doc is
 * byte-identical (so a put does not repair index rows of an unchanged
 * record: check finds those).
 *
 * Statements: each is prepared once, on first use, and cached on the handle
 * (stmt_sql[] below); after use it is reset and its bindings cleared.  Data
 * only ever travels as bound parameters.
 *
 * Errors: SQLite failures become VD_EIO with sqlite3_errmsg and the
 * operation; SQLITE_BUSY/LOCKED and constraint failures become VD_ECONFLICT.
 * rollback outside a transaction is a harmless no-op (after a failed commit
 * SQLite may already have rolled back).  A write that fails part-way inside
 * a caller's transaction makes commit refuse (and roll back).
 */
#include "vulnd/store.h"
#include "vulnd/error.h"
#include "schema_sqlite.h"
#include "sqlite_int.h"
#include "search_int.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
	ST_USER_VERSION,
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
	ST_RESOLVE, ST_DOC_BY_ID, ST_REC_OLD, ST_REC_UPSERT, ST_REC_DEL,
	ST_ALIAS_DEL, ST_ALIAS_INS, ST_CWE_DEL, ST_CWE_INS, ST_AFF_DEL, ST_AFF_INS,
	ST_SRC_GET, ST_SRC_PUT, ST_SRC_LIST,
	ST_STATE_COUNTS, ST_COUNTS, ST_DBSIZE,
	ST_INTEGRITY, ST_FKCHECK, ST_CHECK_RECS, ST_CHECK_ALIASES, ST_CHECK_CWES, ST_CHECK_AFF,
	ST_COUNT_
};

static const char *const stmt_sql[ST_COUNT_] = {
	[ST_USER_VERSION] = "PRAGMA user_version",
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_RESOLVE] = "SELECT record_id FROM aliases WHERE alias = ?1"
	               " ORDER BY (alias = ?1 COLLATE BINARY) DESC,"
	               " (record_id = alias COLLATE BINARY) DESC, rowid LIMIT 1",
	[ST_DOC_BY_ID] = "SELECT vd_doc(doc) FROM records WHERE id = ?1",
	[ST_REC_OLD] = "SELECT hash, doc FROM records WHERE id = ?1",
	[ST_REC_UPSERT] = "INSERT INTO records(id, state, published, modified, title_en, title_zh,"
	                  " grade, doc, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	                  " ON CONFLICT(id) DO UPDATE SET state = excluded.state,"
	                  " published = excluded.published, modified = excluded.modified,"
	                  " title_en = excluded.title_en, title_zh = excluded.title_zh,"
	                  " grade = excluded.grade, doc = excluded.doc, hash = excluded.hash",
	[ST_REC_DEL] = "DELETE FROM records WHERE id = ?1",
	[ST_ALIAS_DEL] = "DELETE FROM aliases WHERE record_id = ?1",
	/* The same alias twice in one record (differing in case only) is one row. */
	[ST_ALIAS_INS] = "INSERT INTO aliases(alias, record_id, source) VALUES(?1, ?2, ?3)"
	                 " ON CONFLICT DO NOTHING",
	[ST_CWE_DEL] = "DELETE FROM record_cwes WHERE record_id = ?1",
	[ST_CWE_INS] = "INSERT INTO record_cwes(record_id, cwe) VALUES(?1, ?2) ON CONFLICT DO NOTHING",
	[ST_AFF_DEL] = "DELETE FROM affected WHERE record_id = ?1",
	[ST_AFF_INS] = "INSERT INTO affected(record_id, idx, vendor, product, ecosystem, package, purl, json)"
	               " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_SRC_GET] = "SELECT record_id, hash, vd_doc(doc) FROM sources WHERE source = ?1 AND source_id = ?2",
	[ST_SRC_PUT] = "INSERT INTO sources(source, source_id, record_id, hash, doc)"
	               " VALUES(?1, ?2, ?3, ?4, ?5)"
	               " ON CONFLICT(source, source_id) DO UPDATE SET record_id = excluded.record_id,"
	               " hash = excluded.hash, doc = excluded.doc"
	               " WHERE record_id IS NOT excluded.record_id OR hash IS NOT excluded.hash"
	               " OR doc IS NOT excluded.doc",
	[ST_SRC_LIST] = "SELECT source, source_id, record_id, hash, vd_doc(doc) FROM sources"
	                " WHERE record_id = ?1 ORDER BY source, source_id",
	[ST_STATE_COUNTS] = "SELECT state, count(*) FROM records GROUP BY state",
	[ST_COUNTS] = "SELECT (SELECT count(*) FROM aliases WHERE alias <> record_id),"
	              " (SELECT count(*) FROM sources), (SELECT count(*) FROM affected)",
	[ST_DBSIZE] = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
	[ST_INTEGRITY] = "PRAGMA integrity_check",
	[ST_FKCHECK] = "PRAGMA foreign_key_check",
	[ST_CHECK_RECS] = "SELECT id, state, published, modified, title_en, title_zh, grade, vd_doc(doc), hash"
	                  " FROM records ORDER BY id",
	[ST_CHECK_ALIASES] = "SELECT alias FROM aliases WHERE record_id = ?1",
	[ST_CHECK_CWES] = "SELECT cwe FROM record_cwes WHERE record_id = ?1",
	[ST_CHECK_AFF] = "SELECT idx, vendor, product, ecosystem, package, purl FROM affected"
	                 " WHERE record_id = ?1 ORDER BY idx",
};

static vd_sqlite *H(vd_store *s) { return (vd_sqlite *)s; }
_Static_assert(ST_COUNT_ <= VD_SQ_CORE_STMTS, "raise VD_SQ_CORE_STMTS in sqlite_int.h");

/* ---- errors and statements ---- */

static int code_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CONSTRAINT:
		return VD_ECONFLICT;
	case SQLITE_NOMEM:
		return VD_ENOMEM;
	case SQLITE_TOOBIG:
		return VD_ETOOBIG;
	default:
		return VD_EIO;
	}
}

/* Record a SQLite failure (call before resetting the statement). */
static int fail(vd_sqlite *s, int rc, const char *what)
{
	const char *m = sqlite3_errmsg(s->db);
	if (!m || !*m)
		m = sqlite3_errstr(rc);
	return vd_error_set(code_of(rc), "sqlite: %s: %s", what, m);
}

static int prep(vd_sqlite *s, int id, sqlite3_stmt **out)
{
	if (!s->st[id]) {
		int rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
		                            &s->st[id], NULL);
		if (rc != SQLITE_OK) {
			const char *m = sqlite3_errmsg(s->db);
			s->st[id] = NULL;
			return vd_error_set(code_of(rc), "sqlite: preparing \"%.48s...\": %s%s", stmt_sql[id], m,
			                    strstr(m, "no such table") ?
			                    " (is the database initialised? run `vulnd db migrate`)" : "");
		}
	}
	*out = s->st[id];
	return VD_OK;
}

/* Reset a statement after use; rc is the last sqlite3_step result. */
static int done(vd_sqlite *s, sqlite3_stmt *st, int rc, const char *what)
{
	int ret = VD_OK;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW && rc != SQLITE_OK)
		ret = fail(s, rc, what);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* Run a parameterless statement; SQLite result code, no error message. */
static int run_raw(vd_sqlite *s, int id)
{
	sqlite3_stmt *st;
	if (prep(s, id, &st))
		return SQLITE_ERROR;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

static int run(vd_sqlite *s, int id, const char *what)
{
	sqlite3_stmt *st;
	int rc = prep(s, id, &st);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	return done(s, st, rc, what);
}

static bool in_tx(vd_sqlite *s) { return !sqlite3_get_autocommit(s->db); }

/* One write operation made atomic.  Outside a caller's transaction it gets
 * its own (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on failure).  Inside one,
 * no savepoint (a savepoint per record costs ~30% of a bulk import): a
 * failure after the first write marks the transaction failed, and commit
 * then rolls it back and says so — a half-written record is never
 * committed (the same contract as PostgreSQL, where any error aborts the
 * transaction).  Failures before the first write (validation) do not. */
/* Commits by every connection of this process: counted by a commit hook
 * (every commit, autocommit statements too, but before the data is
 * visible) and again once an explicit COMMIT has finished. */
static atomic_uint_fast64_t write_epoch;

static int on_commit(void *arg)
{
	atomic_fetch_add_explicit(&write_epoch, 1, memory_order_release);
	vd_sqlite *s = arg;
	if (s) {        /* called after an explicit COMMIT finished */
		vd_sq_zip_committed(s);
		/* bulk mode: copy the little the checkpoint thread has not, so the
		 * next write transaction can start the log over (else it grows by
		 * all that is written) */
		if (s->ckpt)
			sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	}
	return 0;       /* 0: let the commit go on */
}

static void on_rollback(void *arg)
{
	vd_sq_zip_rolled_back(arg);
}

static uint64_t sq_write_epoch(void)
{
	return atomic_load_explicit(&write_epoch, memory_order_acquire);
}

/* COMMIT, and on success what follows every explicit commit. */
static int commit_tx(vd_sqlite *s)
{
	int rc = run(s, ST_COMMIT, "commit");
	if (rc == VD_OK)
		on_commit(s);
	return rc;
}

static int op_begin(vd_sqlite *s, bool *own)
{
	*own = !in_tx(s);
	return *own ? run(s, ST_BEGIN, "begin") : VD_OK;
}

static int op_end(vd_sqlite *s, bool own, int ret)
{
	if (!own) {
		if (ret != VD_OK && in_tx(s) && !s->failed) {
			s->failed = true;
			snprintf(s->failed_msg, sizeof s->failed_msg, "%s", vd_error_msg());
		}
		return ret;
	}
	if (ret == VD_OK && (ret = vd_sq_search_flush(s)) == VD_OK && (ret = commit_tx(s)) == VD_OK)
		return VD_OK;
	/* Keep the first error message.  SQLite may already have rolled back. */
	if (in_tx(s))
		run_raw(s, ST_ROLLBACK);
	vd_sq_search_rolled_back(s);
	return ret;
}

/* ---- helpers shared with the other sqlite_*.c files (sqlite_int.h) ---- */
int vd_sq_fail(vd_sqlite *s, int rc, const char *what) { return fail(s, rc, what); }
int vd_sq_done(vd_sqlite *s, sqlite3_stmt *st, int rc, const char *what) { return done(s, st, rc, what); }
int vd_sq_bind_text(sqlite3_stmt *st, int i, const char *v) { return bind_text(st, i, v); }
int vd_sq_op_begin(vd_sqlite *s, bool *own) { return op_begin(s, own); }
int vd_sq_op_end(vd_sqlite *s, bool own, int ret) { return op_end(s, own, ret); }

int vd_sq_prep(vd_sqlite *s, const char *sql, sqlite3_stmt **out)
{
	int i;
	for (i = 0; i < VD_SQ_EXTRA_STMTS && s->xsql[i]; i++)
		if (s->xsql[i] == sql) {
			*out = s->xst[i];
			return VD_OK;
		}
	if (i == VD_SQ_EXTRA_STMTS)
		return vd_error_set(VD_EINTERNAL, "sqlite: statement cache full (raise VD_SQ_EXTRA_STMTS)");
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->xst[i], NULL);
	if (rc != SQLITE_OK) {
		s->xst[i] = NULL;
		return vd_error_set(code_of(rc), "sqlite: preparing \"%.48s...\": %s", sql, sqlite3_errmsg(s->db));
	}
	s->xsql[i] = sql;
	*out = s->xst[i];
	return VD_OK;
}

/* FNV-1a 64 of the doc as 16 hex digits. */
static void doc_hash(const char *doc, size_t n, char out[17])
{
	vd_hash64_hex(doc, n, out);
}

static const char SQL_REC_HASH[] = "SELECT hash FROM records WHERE id = ?1";

static int sq_record_hash(vd_store *st, const char *id, char out[17])
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_REC_HASH, &q);
	if (rc)
		return rc;
	bind_text(q, 1, id);
	rc = sqlite3_step(q);
	bool found = rc == SQLITE_ROW;
	if (found) {
		const char *h = (const char *)sqlite3_column_text(q, 0);
		snprintf(out, 17, "%s", h ? h : "");
		rc = SQLITE_DONE;
	}
	if ((rc = done(s, q, rc, "record_hash")))
		return rc;
	return found ? VD_OK : VD_ENOTFOUND;
}

static bool streq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- lifecycle and schema ---- */

static int sq_bulk(vd_store *st, bool on);

static void sq_close(vd_store *st)
{
	vd_sqlite *s = H(st);
	for (int i = 0; i < ST_COUNT_; i++)
		sqlite3_finalize(s->st[i]);
	for (int i = 0; i < VD_SQ_EXTRA_STMTS; i++)
		sqlite3_finalize(s->xst[i]);
	if (s->ckpt)
		sq_bulk(st, false);
	sqlite3_close(s->db);      /* rolls back an open transaction */
	vd_sq_zip_close(s);
	free(s->src_copy);
	free(s);
}

static int get_user_version(vd_sqlite *s, int *v)
{
	sqlite3_stmt *st;
	int rc = prep(s, ST_USER_VERSION, &st);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	return done(s, st, rc, "reading the schema version");
}

static int sq_schema_version(vd_store *st, int *current, int *latest)
{
	int v = 0, rc = get_user_version(H(st), &v);
	if (current)
		*current = v;
	if (latest)
		*latest = VD_SQLITE_SCHEMA_LATEST;
	return rc;
}

static int too_new(int v)
{
	return vd_error_set(VD_EINVAL,
	                    "database schema version %d is newer than this vulnd knows (%d): "
	                    "use a newer vulnd", v, VD_SQLITE_SCHEMA_LATEST);
}

static int sq_migrate(vd_store *st)
{
	vd_sqlite *s = H(st);
	if (in_tx(s))
		return vd_error_set(VD_EINVAL, "store: migrate inside a transaction");
	int v, rc = get_user_version(s, &v);
	if (rc)
		return rc;
	if (v > VD_SQLITE_SCHEMA_LATEST)
		return too_new(v);
	if (v == VD_SQLITE_SCHEMA_LATEST)
		return VD_OK;
	if ((rc = run(s, ST_BEGIN, "begin migration")))
		return rc;
	/* Read again under the write lock: another process may have migrated. */
	if ((rc = get_user_version(s, &v)))
		goto out;
	if (v > VD_SQLITE_SCHEMA_LATEST) {
		rc = too_new(v);
		goto out;
	}
	for (; v < VD_SQLITE_SCHEMA_LATEST; v++) {
		char *err = NULL;
		if (sqlite3_exec(s->db, vd_sqlite_migrations[v], NULL, NULL, &err) != SQLITE_OK) {
			rc = vd_error_set(VD_EIO, "sqlite: migration to schema version %d: %s", v + 1,
			                  err ? err : "failed");
			sqlite3_free(err);
			goto out;
		}
	}
	char pragma[64];   /* our own constant, not data */
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", VD_SQLITE_SCHEMA_LATEST);
	if (sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(s, sqlite3_errcode(s->db), "setting the schema version");
out:
	if (rc) {
		if (in_tx(s))
			run_raw(s, ST_ROLLBACK);
		return rc;
	}
	return run(s, ST_COMMIT, "commit migration");
}

/* ---- transactions ---- */

static int sq_begin(vd_store *st)
{
	vd_sqlite *s = H(st);
	if (in_tx(s))
		return vd_error_set(VD_EINVAL, "store: begin inside a transaction (transactions do not nest)");
	s->failed = false;
	return run(s, ST_BEGIN, "begin");
}

static int sq_commit(vd_store *st)
{
	vd_sqlite *s = H(st);
	if (!in_tx(s))
		return vd_error_set(VD_EINVAL, "store: commit without an open transaction "
		                    "(none begun, or it was rolled back after an error)");
	if (s->failed) {
		run_raw(s, ST_ROLLBACK);
		s->failed = false;
		return vd_error_set(VD_EIO, "store: commit refused, transaction rolled back: a write in it "
		                    "failed part-way (%s)", s->failed_msg);
	}
	int rc = vd_sq_search_flush(s);
	if (rc) {
		run_raw(s, ST_ROLLBACK);
		vd_sq_search_rolled_back(s);
		return rc;
	}
	return commit_tx(s);
}

static int sq_rollback(vd_store *st)
{
	vd_sqlite *s = H(st);
	s->failed = false;
	if (!in_tx(s))
		return VD_OK;
	int rc = run(s, ST_ROLLBACK, "rollback");
	vd_sq_search_rolled_back(s);
	return rc;
}

/* ---- records ---- */

static int sq_resolve(vd_store *st, const char *id, char **out)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	*out = NULL;
	if (!id)
		return vd_error_set(VD_EINVAL, "store: resolve of a NULL id");
	int rc = prep(s, ST_RESOLVE, &q);
	if (rc)
		return rc;
	bind_text(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(q, 0);
		*out = r ? strdup(r) : NULL;
		done(s, q, rc, "resolve");
		return *out ? VD_OK : vd_error_set(VD_ENOMEM, "store: out of memory in resolve");
	}
	if ((rc = done(s, q, rc, "resolve")))
		return rc;
	return VD_ENOTFOUND;
}

/* Decode the doc of the record with exactly this id. */
static int get_by_id(vd_sqlite *s, const char *id, vd_record **out)
{
	sqlite3_stmt *q;
	int rc = prep(s, ST_DOC_BY_ID, &q);
	if (rc)
		return rc;
	bind_text(q, 1, id);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		if ((rc = done(s, q, rc, "record_get")))
			return rc;
		return VD_ENOTFOUND;
	}
	const char *doc = (const char *)sqlite3_column_text(q, 0);
	int n = sqlite3_column_bytes(q, 0);
	int ret = doc ? vd_record_from_json(doc, (size_t)n, out)
	              : vd_error_set(VD_ENOMEM, "store: out of memory reading record %s", id);
	done(s, q, SQLITE_ROW, "record_get");
	if (ret && ret != VD_ENOMEM)
		vd_error_prefix("store: stored record %s: ", id);
	return ret;
}

static int sq_record_get(vd_store *st, const char *id, vd_record **out)
{
	vd_sqlite *s = H(st);
	*out = NULL;
	if (!id)
		return vd_error_set(VD_EINVAL, "store: record_get of a NULL id");
	int rc = get_by_id(s, id, out);
	if (rc != VD_ENOTFOUND)
		return rc;
	char *real = NULL;
	if ((rc = sq_resolve(st, id, &real)))
		return rc;
	rc = get_by_id(s, real, out);
	free(real);
	return rc;
}

static int put_alias(vd_sqlite *s, sqlite3_stmt *q, const char *alias, const char *rid,
                     const char *source)
{
	bind_text(q, 1, alias);
	bind_text(q, 2, rid);
	bind_text(q, 3, source);
	return done(s, q, sqlite3_step(q), "record_put: alias");
}

/* The lookup rows of one affected entry that SBOM matching reads: each
 * distinct "vendor:product" of its CPEs (lower-case, as in the formatted
 * string: after "cpe:2.3:x:" or "cpe:/x:", up to the next unescaped ':'). */
static const char SQL_AFF_VP[] = "INSERT OR IGNORE INTO affected_vp(vp, record_id, idx) VALUES(?1, ?2, ?3)";

/* "vendor:product" of a CPE into vp; false when it has none. */
static bool cpe_vp(const char *c, char *vp, size_t cap)
{
	size_t skip = 0;
	if (strncmp(c, "cpe:2.3:", 8) == 0 && c[8] && c[9] == ':')
		skip = 10;
	else if (strncmp(c, "cpe:/", 5) == 0 && c[5] && c[6] == ':')
		skip = 7;
	else
		return false;
	size_t n = 0;
	int colons = 0;
	for (const char *p = c + skip; *p && n + 2 < cap; p++) {
		if (*p == ':' && ++colons == 2)
			break;
		if (*p == '\\' && p[1]) {   /* an escaped character stays with its escape */
			vp[n++] = *p++;
		}
		vp[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	}
	vp[n] = 0;
	return n > 0;
}

static int put_affected_cpes(vd_sqlite *s, const char *id, size_t idx, const vd_affected *a)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_AFF_VP, &q);
	if (rc)
		return rc;
	char last[512] = "";
	for (size_t k = 0; k < a->n_cpes; k++) {
		char vp[512];
		if (!cpe_vp(a->cpes[k], vp, sizeof vp) || strcmp(vp, last) == 0)
			continue;   /* the same product as the CPE before: one row (OR IGNORE for the rest) */
		memcpy(last, vp, sizeof last);
		bind_text(q, 1, vp);
		bind_text(q, 2, id);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)idx);
		if ((rc = done(s, q, sqlite3_step(q), "record_put: affected CPE")))
			return rc;
	}
	return VD_OK;
}

/* Rebuild the index rows of r (old ones already deleted). */
static int put_index(vd_sqlite *s, const vd_record *r)
{
	sqlite3_stmt *q;
	int rc = prep(s, ST_ALIAS_INS, &q);
	if (rc || (rc = put_alias(s, q, r->id, r->id, NULL)))
		return rc;
	for (size_t i = 0; i < r->n_aliases; i++)
		if (r->aliases[i].id && (rc = put_alias(s, q, r->aliases[i].id, r->id, r->aliases[i].source)))
			return rc;
	if (r->n_cwes && (rc = prep(s, ST_CWE_INS, &q)))
		return rc;
	for (size_t i = 0; i < r->n_cwes; i++) {
		if (!r->cwes[i])
			continue;
		bind_text(q, 1, r->id);
		bind_text(q, 2, r->cwes[i]);
		if ((rc = done(s, q, sqlite3_step(q), "record_put: cwe")))
			return rc;
	}
	if (r->n_affected && (rc = prep(s, ST_AFF_INS, &q)))
		return rc;
	for (size_t i = 0; i < r->n_affected; i++) {
		const vd_affected *a = &r->affected[i];
		bind_text(q, 1, r->id);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
		bind_text(q, 3, a->vendor);
		bind_text(q, 4, a->product);
		bind_text(q, 5, a->ecosystem);
		bind_text(q, 6, a->package);
		bind_text(q, 7, a->purl);
		/* the entry's JSON, compressed like the documents: what SBOM
		 * matching decodes instead of the whole record */
		char *json = NULL;
		const void *z;
		size_t zn;
		if ((rc = vd_affected_to_json(a, &json)) == VD_OK &&
		    (rc = vd_sq_zip_compress(s, json, strlen(json), &z, &zn)) == VD_OK)
			sqlite3_bind_blob(q, 8, z, (int)zn, SQLITE_STATIC);
		free(json);
		if (rc) {
			sqlite3_reset(q);
			sqlite3_clear_bindings(q);
			return rc;
		}
		if ((rc = done(s, q, sqlite3_step(q), "record_put: affected")) ||
		    (a->n_cpes && (rc = put_affected_cpes(s, r->id, i, a))))
			return rc;
	}
	return VD_OK;
}

static int del_index(vd_sqlite *s, const char *id)
{
	static const int del[] = {ST_ALIAS_DEL, ST_CWE_DEL, ST_AFF_DEL};
	for (size_t i = 0; i < sizeof del / sizeof del[0]; i++) {
		sqlite3_stmt *q;
		int rc = prep(s, del[i], &q);
		if (rc)
			return rc;
		bind_text(q, 1, id);
		if ((rc = done(s, q, sqlite3_step(q), "record_put: clearing index rows")))
			return rc;
	}
	return VD_OK;
}

/* Inside the operation's transaction: write doc and index rows. */
static int put_locked(vd_sqlite *s, const vd_record *r, const char *doc, size_t n, const char *hash)
{
	sqlite3_stmt *q;
	int rc = prep(s, ST_REC_OLD, &q);
	if (rc)
		return rc;
	bind_text(q, 1, r->id);
	rc = sqlite3_step(q);
	bool exists = rc == SQLITE_ROW, same = false;
	if (exists) {
		const char *oh = (const char *)sqlite3_column_text(q, 0);
		if (streq(oh, hash)) {   /* only then read the (larger) doc */
			const void *ob = sqlite3_column_blob(q, 1);
			const char *od;
			size_t on;
			same = ob && vd_sq_zip_text(s, ob, (size_t)sqlite3_column_bytes(q, 1), &od, &on) == VD_OK &&
			       on == n && memcmp(od, doc, n) == 0;
		}
		rc = SQLITE_DONE;
	}
	if ((rc = done(s, q, rc, "record_put: reading the stored record")))
		return rc;
	if (same)
		return VD_OK;

	if ((rc = prep(s, ST_REC_UPSERT, &q)))
		return rc;
	bind_text(q, 1, r->id);
	bind_text(q, 2, vd_state_name(r->state));
	bind_text(q, 3, r->published);
	bind_text(q, 4, r->modified);
	bind_text(q, 5, r->title.en);
	bind_text(q, 6, r->title.zh);
	bind_text(q, 7, r->grade);
	const void *z;
	size_t zn;
	if ((rc = vd_sq_zip_compress(s, doc, n, &z, &zn))) {
		sqlite3_reset(q);
		return rc;
	}
	sqlite3_bind_blob(q, 8, z, (int)zn, SQLITE_STATIC);
	bind_text(q, 9, hash);
	if ((rc = done(s, q, sqlite3_step(q), "record_put")))
		return rc;
	if (exists && (rc = del_index(s, r->id)))
		return rc;
	if ((rc = put_index(s, r)))
		return rc;
	return vd_sq_search_put(s, r);   /* the full-text index, same transaction */
}

static int sq_record_put_doc(vd_store *st, const vd_record *r, const char *doc, size_t n, const char *given)
{
	vd_sqlite *s = H(st);
	if (!r || !doc)
		return vd_error_set(VD_EINVAL, "store: record_put of a NULL record");
	int rc = vd_record_validate(r);
	if (rc)
		return rc;
	if (n > (size_t)1 << 30)
		return vd_error_set(VD_ETOOBIG, "store: record %s: document of %zu bytes is too big", r->id, n);
	char hash[17];
	if (given && strlen(given) == 16)
		memcpy(hash, given, sizeof hash);
	else
		doc_hash(doc, n, hash);
	bool own;
	if ((rc = op_begin(s, &own)) == VD_OK)
		rc = op_end(s, own, put_locked(s, r, doc, n, hash));
	return rc;
}

static int sq_record_put(vd_store *st, const vd_record *r)
{
	if (!r)
		return vd_error_set(VD_EINVAL, "store: record_put of a NULL record");
	char *doc = NULL;
	int rc = vd_record_to_json(r, &doc);
	if (rc)
		return rc;
	rc = sq_record_put_doc(st, r, doc, strlen(doc), NULL);
	free(doc);
	return rc;
}

static int sq_record_delete(vd_store *st, const char *id)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	if (!id)
		return vd_error_set(VD_EINVAL, "store: record_delete of a NULL id");
	int rc = vd_sq_search_flush(s);   /* staged text first: the delete cascades to it */
	if (rc)
		return rc;
	rc = prep(s, ST_REC_DEL, &q);
	if (rc)
		return rc;
	bind_text(q, 1, id);
	/* One statement: the cascade to the index rows is part of it. */
	if ((rc = done(s, q, sqlite3_step(q), "record_delete")))
		return rc;
	return sqlite3_changes(s->db) > 0 ? VD_OK : VD_ENOTFOUND;
}

/* ---- source documents ---- */

static int sq_source_get(vd_store *st, const char *source, const char *source_id, vd_source_doc *doc)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	memset(doc, 0, sizeof *doc);
	if (!source || !source_id)
		return vd_error_set(VD_EINVAL, "store: source_get needs a source and a source id");
	int rc = prep(s, ST_SRC_GET, &q);
	if (rc)
		return rc;
	bind_text(q, 1, source);
	bind_text(q, 2, source_id);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		if ((rc = done(s, q, rc, "source_get")))
			return rc;
		return VD_ENOTFOUND;
	}
	/* Copy everything into one block owned by the handle. */
	const char *v[5] = {source, source_id, (const char *)sqlite3_column_text(q, 0),
	                    (const char *)sqlite3_column_text(q, 1), (const char *)sqlite3_column_text(q, 2)};
	size_t len[5], total = 0;
	for (int i = 0; i < 5; i++) {
		len[i] = v[i] ? strlen(v[i]) + 1 : 0;
		total += len[i];
	}
	free(s->src_copy);
	s->src_copy = malloc(total ? total : 1);
	if (!s->src_copy) {
		done(s, q, SQLITE_ROW, "source_get");
		return vd_error_set(VD_ENOMEM, "store: out of memory in source_get");
	}
	char *p = s->src_copy;
	const char **slot[5] = {&doc->source, &doc->source_id, &doc->record_id, &doc->hash, &doc->json};
	for (int i = 0; i < 5; i++) {
		if (!v[i])
			continue;
		memcpy(p, v[i], len[i]);
		*slot[i] = p;
		p += len[i];
	}
	return done(s, q, SQLITE_ROW, "source_get");
}

static int sq_source_put(vd_store *st, const vd_source_doc *d)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	if (!d || vd_str_empty(d->source) || vd_str_empty(d->source_id) || vd_str_empty(d->record_id) ||
	    !d->json)
		return vd_error_set(VD_EINVAL, "store: source_put needs source, source_id, record_id and json");
	int rc = prep(s, ST_SRC_PUT, &q);
	if (rc)
		return rc;
	bind_text(q, 1, d->source);
	bind_text(q, 2, d->source_id);
	bind_text(q, 3, d->record_id);
	bind_text(q, 4, d->hash);
	const void *z;
	size_t zn;
	if ((rc = vd_sq_zip_compress(s, d->json, strlen(d->json), &z, &zn))) {
		sqlite3_clear_bindings(q);
		return rc;
	}
	sqlite3_bind_blob(q, 5, z, (int)zn, SQLITE_STATIC);
	return done(s, q, sqlite3_step(q), "source_put");
}

static int sq_source_list(vd_store *st, const char *record_id,
                          int (*cb)(void *ctx, const vd_source_doc *d), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	if (!record_id || !cb)
		return vd_error_set(VD_EINVAL, "store: source_list needs a record id and a callback");
	int rc = prep(s, ST_SRC_LIST, &q);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: source_list called from its own callback");
	bind_text(q, 1, record_id);
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_source_doc d = {
			(const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
			(const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
			(const char *)sqlite3_column_text(q, 4),
		};
		if ((ret = cb(ctx, &d)) != 0)
			break;
	}
	int r2 = done(s, q, ret ? SQLITE_DONE : rc, "source_list");
	return ret ? ret : r2;
}

/* ---- search (sqlite_search.c) ---- */

static int sq_search(vd_store *st, const vd_search_query *qy,
                     int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total)
{
	return vd_sq_search(st, qy, cb, ctx, total);
}

/* ---- stats ---- */

static int sq_stats(vd_store *st, vd_store_stats *o)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	memset(o, 0, sizeof *o);
	int rc = get_user_version(s, &o->schema_version);
	if (rc || (rc = prep(s, ST_STATE_COUNTS, &q)))
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_state state;
		uint64_t n = (uint64_t)sqlite3_column_int64(q, 1);
		o->records += n;
		if (vd_state_parse((const char *)sqlite3_column_text(q, 0), &state) != VD_OK)
			continue;   /* check() reports it */
		switch (state) {
		case VD_STATE_PUBLISHED: o->published += n; break;
		case VD_STATE_UNPUBLISHED: o->unpublished += n; break;
		case VD_STATE_REJECTED: o->rejected += n; break;
		case VD_STATE_WITHDRAWN: o->withdrawn += n; break;
		}
	}
	if ((rc = done(s, q, rc, "stats: states")) || (rc = prep(s, ST_COUNTS, &q)))
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		o->aliases = (uint64_t)sqlite3_column_int64(q, 0);
		o->sources = (uint64_t)sqlite3_column_int64(q, 1);
		o->affected = (uint64_t)sqlite3_column_int64(q, 2);
	}
	if ((rc = done(s, q, rc, "stats: counts")))
		return rc;
	if (s->memory)
		return VD_OK;
	if ((rc = prep(s, ST_DBSIZE, &q)))
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		o->db_bytes = (uint64_t)sqlite3_column_int64(q, 0);
	return done(s, q, rc, "stats: size");
}

/* ---- check ---- */

typedef struct {
	vd_check_cb cb;
	void *ctx;
	uint64_t problems;
} checker;

static void report(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(checker *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->problems++;
	if (c->cb)
		c->cb(c->ctx, msg);
}

static const char *col(sqlite3_stmt *q, int i) { return (const char *)sqlite3_column_text(q, i); }
static const char *nz(const char *s) { return s ? s : "(null)"; }

/* Alias rows of record r against its doc. */
static int check_aliases(vd_sqlite *s, checker *c, const vd_record *r, bool *seen)
{
	sqlite3_stmt *q;
	int rc = prep(s, ST_CHECK_ALIASES, &q);
	if (rc)
		return rc;
	size_t n = r->n_aliases;   /* seen[n] is the record's own id */
	bind_text(q, 1, r->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *a = col(q, 0);
		bool found = false;
		if (a && strcasecmp(a, r->id) == 0)
			found = seen[n] = true;
		for (size_t i = 0; a && i < n; i++)
			if (r->aliases[i].id && strcasecmp(a, r->aliases[i].id) == 0)
				found = seen[i] = true;
		if (!found)
			report(c, "record %s: index has alias %s that is not in its document", r->id, nz(a));
	}
	if ((rc = done(s, q, rc, "check: aliases")))
		return rc;
	if (!seen[n])
		report(c, "record %s: its own id is missing from the alias index", r->id);
	for (size_t i = 0; i < n; i++)
		if (r->aliases[i].id && !seen[i])
			report(c, "record %s: alias %s missing from index", r->id, r->aliases[i].id);
	return VD_OK;
}

static int check_cwes(vd_sqlite *s, checker *c, const vd_record *r, bool *seen)
{
	sqlite3_stmt *q;
	int rc = prep(s, ST_CHECK_CWES, &q);
	if (rc)
		return rc;
	bind_text(q, 1, r->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *w = col(q, 0);
		bool found = false;
		for (size_t i = 0; w && i < r->n_cwes; i++)
			if (streq(w, r->cwes[i]))
				found = seen[i] = true;
		if (!found)
			report(c, "record %s: index has CWE %s that is not in its document", r->id, nz(w));
	}
	if ((rc = done(s, q, rc, "check: cwes")))
		return rc;
	for (size_t i = 0; i < r->n_cwes; i++)
		if (r->cwes[i] && !seen[i])
			report(c, "record %s: CWE %s missing from index", r->id, r->cwes[i]);
	return VD_OK;
}

static int check_affected(vd_sqlite *s, checker *c, const vd_record *r, bool *seen)
{
	sqlite3_stmt *q;
	int rc = prep(s, ST_CHECK_AFF, &q);
	if (rc)
		return rc;
	bind_text(q, 1, r->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_int64 i = sqlite3_column_int64(q, 0);
		if (i < 0 || (uint64_t)i >= r->n_affected) {
			report(c, "record %s: index has affected row %lld that is not in its document", r->id,
			       (long long)i);
			continue;
		}
		const vd_affected *a = &r->affected[i];
		seen[i] = true;
		if (!streq(col(q, 1), a->vendor) || !streq(col(q, 2), a->product) ||
		    !streq(col(q, 3), a->ecosystem) || !streq(col(q, 4), a->package) ||
		    !streq(col(q, 5), a->purl))
			report(c, "record %s: affected row %lld (%s %s %s %s) does not match its document",
			       r->id, (long long)i, nz(col(q, 1)), nz(col(q, 2)), nz(col(q, 3)), nz(col(q, 4)));
	}
	if ((rc = done(s, q, rc, "check: affected")))
		return rc;
	for (size_t i = 0; i < r->n_affected; i++)
		if (!seen[i])
			report(c, "record %s: affected entry %zu missing from index", r->id, i);
	return VD_OK;
}

/* One records row (current row of q) against its doc and its index rows. */
static int check_record(vd_sqlite *s, checker *c, sqlite3_stmt *q)
{
	const char *id = col(q, 0), *doc = col(q, 7);
	if (!id || !doc) {
		report(c, "record %s: no document", nz(id));
		return VD_OK;
	}
	char hash[17];
	doc_hash(doc, (size_t)sqlite3_column_bytes(q, 7), hash);
	if (!streq(hash, col(q, 8)))
		report(c, "record %s: stored hash does not match its document", id);
	vd_record *r = NULL;
	if (vd_record_from_json(doc, (size_t)sqlite3_column_bytes(q, 7), &r) != VD_OK) {
		report(c, "record %s: document does not decode: %s", id, vd_error_msg());
		return VD_OK;
	}
	int rc = VD_OK;
	if (!streq(r->id, id)) {
		report(c, "record %s: document has id %s", id, nz(r->id));
		goto out;
	}
	static const char *const names[] = {"state", "published", "modified", "title_en", "title_zh", "grade"};
	const char *want[] = {vd_state_name(r->state), r->published, r->modified, r->title.en, r->title.zh,
	                      r->grade};
	for (int i = 0; i < 6; i++)
		if (!streq(col(q, i + 1), want[i]))
			report(c, "record %s: column %s is '%s' but its document says '%s'", id, names[i],
			       nz(col(q, i + 1)), nz(want[i]));
	size_t most = r->n_aliases + 1;
	if (r->n_cwes > most)
		most = r->n_cwes;
	if (r->n_affected > most)
		most = r->n_affected;
	bool *seen = calloc(most, sizeof *seen);
	if (!seen) {
		rc = vd_error_set(VD_ENOMEM, "store: out of memory in check");
		goto out;
	}
	if (!(rc = check_aliases(s, c, r, seen))) {
		memset(seen, 0, most * sizeof *seen);
		if (!(rc = check_cwes(s, c, r, seen))) {
			memset(seen, 0, most * sizeof *seen);
			rc = check_affected(s, c, r, seen);
		}
	}
	free(seen);
out:
	vd_record_free(r);
	return rc;
}

static int sq_check(vd_store *st, vd_check_cb cb, void *ctx)
{
	vd_sqlite *s = H(st);
	checker c = {cb, ctx, 0};
	sqlite3_stmt *q;
	int v, rc = get_user_version(s, &v);
	if (rc)
		return rc;
	if (v != VD_SQLITE_SCHEMA_LATEST)
		report(&c, "schema version is %d, this vulnd expects %d (run `vulnd db migrate`)", v,
		       VD_SQLITE_SCHEMA_LATEST);
	if ((rc = prep(s, ST_INTEGRITY, &q)))
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (!streq(col(q, 0), "ok"))
			report(&c, "integrity: %s", nz(col(q, 0)));
	if ((rc = done(s, q, rc, "check: integrity_check")) || (rc = prep(s, ST_FKCHECK, &q)))
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		report(&c, "foreign key: %s row %lld refers to a missing %s row", nz(col(q, 0)),
		       (long long)sqlite3_column_int64(q, 1), nz(col(q, 2)));
	if ((rc = done(s, q, rc, "check: foreign_key_check")))
		return rc;
	if (v < 1)
		return c.problems ? VD_ECONFLICT : VD_OK;   /* no tables to look at */
	if ((rc = prep(s, ST_CHECK_RECS, &q)))
		return rc;
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = check_record(s, &c, q)))
			break;
	rc = done(s, q, ret ? SQLITE_DONE : rc, "check: records");
	if (ret || rc)
		return ret ? ret : rc;
	if ((rc = vd_sq_search_check(s, cb, ctx, &c.problems)))   /* full-text index */
		return rc;
	return c.problems ? VD_ECONFLICT : VD_OK;
}

/* ---- open ---- */

/* The read-API area (sqlite_api.c). */
int vd_sq_doc_get(vd_store *st, const char *const *ids, size_t n,
                  int (*cb)(void *ctx, size_t i, const vd_doc_row *row), void *ctx);
int vd_sq_list(vd_store *st, const vd_list_query *q, int (*cb)(void *ctx, const vd_list_item *it), void *ctx);
int vd_sq_names(vd_store *st, const vd_names_query *q, int (*cb)(void *ctx, const char *name, uint64_t n),
                void *ctx);
int vd_sq_counts(vd_store *st, bool include_unpublished,
                 int (*cb)(void *ctx, const char *dim, const char *key, uint64_t n), void *ctx);
int vd_sq_affected_find(vd_store *st, const vd_pkg_query *q, int (*cb)(void *ctx, const vd_pkg_row *row),
                        void *ctx);

/* The CWE catalogue area (sqlite_cwe.c). */
int vd_sq_cwe_put(vd_store *st, const struct vd_cwe *w);
int vd_sq_cwe_get(vd_store *st, int id, struct vd_cwe **out);
int vd_sq_cwe_parents(vd_store *st, int id, int *out, size_t max);
int vd_sq_cwe_children(vd_store *st, int id, int (*cb)(void *ctx, int child), void *ctx);
int vd_sq_cwe_count(vd_store *st, uint64_t *n);

/* Accounts, organisations, libraries, audit chain (sqlite_auth.c). */
int vd_sq_user_add(vd_store *st, const vd_user_info *u, const char *pw_hash, int64_t *id);
int vd_sq_user_get(vd_store *st, const char *name, int64_t id, vd_user_info *out, char *pw_hash);
int vd_sq_user_list(vd_store *st, int (*cb)(void *ctx, const vd_user_info *u), void *ctx);
int vd_sq_user_update(vd_store *st, int64_t id, const char *role, int disabled, const char *pw_hash);
int vd_sq_org_add(vd_store *st, const vd_org_info *o, int64_t *id);
int vd_sq_org_get(vd_store *st, const char *name, int64_t id, vd_org_info *out);
int vd_sq_org_list(vd_store *st, int (*cb)(void *ctx, const vd_org_info *o), void *ctx);
int vd_sq_product_owners(vd_store *st, const char *product, int (*cb)(void *ctx, const vd_org_info *o),
			 void *ctx);
int vd_sq_org_member(vd_store *st, int64_t org_id, int64_t user_id, bool add);
int vd_sq_user_orgs(vd_store *st, int64_t user_id, int64_t *ids, size_t max, size_t *n);
int vd_sq_org_product_add(vd_store *st, int64_t org_id, const char *product);
int vd_sq_org_contact_add(vd_store *st, int64_t org_id, const char *email, const char *name);
int vd_sq_org_items(vd_store *st, int64_t org_id, int kind,
		    int (*cb)(void *ctx, const char *a, const char *b), void *ctx);
int vd_sq_token_add(vd_store *st, const vd_token_info *t, const char *hash, int64_t *id);
int vd_sq_token_get(vd_store *st, const char *hash, int64_t id, vd_token_info *out);
int vd_sq_token_list(vd_store *st, int64_t user_id, int (*cb)(void *ctx, const vd_token_info *t), void *ctx);
int vd_sq_token_revoke(vd_store *st, int64_t id, const char *at);
int vd_sq_session_add(vd_store *st, const char *hash, int64_t user_id, int64_t created, int64_t expires);
int vd_sq_session_get(vd_store *st, const char *hash, int64_t *user_id, int64_t *expires);
int vd_sq_session_delete(vd_store *st, const char *hash, int64_t user_id, int64_t expired_before);
int vd_sq_login_get(vd_store *st, const char *name, vd_login_state *out);
int vd_sq_login_put(vd_store *st, const char *name, const vd_login_state *ls);
int vd_sq_library_add(vd_store *st, const vd_library_info *l, int64_t *id);
int vd_sq_library_get(vd_store *st, const char *code, vd_library_info *out);
int vd_sq_library_list(vd_store *st, int (*cb)(void *ctx, const vd_library_info *l), void *ctx);
int vd_sq_library_update(vd_store *st, const vd_library_info *l);
int vd_sq_library_next(vd_store *st, const char *code, const char *month, int64_t *n);
int vd_sq_audit_bounds(vd_store *st, vd_audit_bounds *out);
int vd_sq_audit_append(vd_store *st, vd_audit_entry *e, int (*seal)(vd_audit_entry *e));
int vd_sq_audit_list(vd_store *st, int64_t after_seq, int64_t limit,
		     int (*cb)(void *ctx, const vd_audit_entry *e), void *ctx);
int vd_sq_audit_prune(vd_store *st, const char *before, const char *keep_after, int64_t *removed);
/* disclosure cases (sqlite_case.c) */
int vd_sq_case_add(vd_store *st, const vd_case_row *r, int64_t *id);
int vd_sq_case_put(vd_store *st, const vd_case_row *r);
int vd_sq_case_get(vd_store *st, int64_t id, int (*cb)(void *ctx, const vd_case_row *r), void *ctx);
int vd_sq_case_list(vd_store *st, const char *state, int64_t after, int limit,
		    int (*cb)(void *ctx, const vd_case_row *r), void *ctx);
int vd_sq_case_parties(vd_store *st, int64_t case_id, const char *kind, const int64_t *ids, size_t n);
int vd_sq_case_event_add(vd_store *st, const vd_case_event_row *e);
int vd_sq_case_events(vd_store *st, int64_t case_id, int (*cb)(void *ctx, const vd_case_event_row *e), void *ctx);
int vd_sq_attachment_add(vd_store *st, const vd_attachment_row *a);
int vd_sq_attachment_list(vd_store *st, int64_t case_id, int (*cb)(void *ctx, const vd_attachment_row *a),
			  void *ctx);
int vd_sq_attachment_publish(vd_store *st, int64_t case_id, const char *sha256, bool publish);
int vd_sq_notice_add(vd_store *st, const vd_notice_row *n);
int vd_sq_notice_list(vd_store *st, int64_t case_id, int (*cb)(void *ctx, const vd_notice_row *n), void *ctx);
int vd_sq_reminder_fire(vd_store *st, int64_t case_id, const char *kind, const char *at, bool *fired);
/* sqlite_match.c (issue 8) */
int vd_sq_match_candidates(vd_store *st, const vd_match_key *k, int (*cb)(void *ctx, const vd_match_row *r),
                           void *ctx);
int vd_sq_record_aliases(vd_store *st, const char *record_id, int (*cb)(void *ctx, const char *alias), void *ctx);
int vd_sq_vex_put(vd_store *st, const vd_vex_row *v);
int vd_sq_vex_get(vd_store *st, const char *product, const char *const *ids, size_t n,
                  int (*cb)(void *ctx, const vd_vex_row *v), void *ctx);
int vd_sq_vex_count(vd_store *st, uint64_t *n);
int vd_sq_read_snapshot(vd_store *st, bool on);

/* PRAGMA data_version moves on commits by other connections (of any
 * process); this connection's own writes move sqlite3_total_changes64.
 * Together they change on every write anyone makes. */
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

static int sq_data_version(vd_store *st, uint64_t *out)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_DATA_VERSION, &q);
	if (rc)
		return rc;
	rc = sqlite3_step(q);
	uint64_t dv = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
	if ((rc = done(s, q, rc == SQLITE_ROW ? SQLITE_DONE : rc, "data_version")))
		return rc;
	*out = (dv << 40) ^ (uint64_t)sqlite3_total_changes64(s->db);
	return VD_OK;
}

/* ---- bulk mode: checkpoints on a thread of their own ---- */

struct vd_sq_ckpt {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	char path[4096];
};

#define CKPT_EVERY_MS 100

static void *ckpt_main(void *arg)
{
	struct vd_sq_ckpt *k = arg;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(k->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		db = NULL;   /* no checkpoints from here: the writer's final one still runs */
	}
	pthread_mutex_lock(&k->mu);
	while (!k->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += CKPT_EVERY_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&k->cv, &k->mu, &ts);
		if (k->stop || !db)
			continue;
		pthread_mutex_unlock(&k->mu);
		/* copies what is committed; never waits for or blocks the writer */
		sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&k->mu);
	}
	pthread_mutex_unlock(&k->mu);
	sqlite3_close(db);
	return NULL;
}

static int sq_bulk(vd_store *st, bool on)
{
	vd_sqlite *s = H(st);
	if (s->memory || on == (s->ckpt != NULL))
		return VD_OK;
	if (on) {
		const char *file = sqlite3_db_filename(s->db, "main");
		struct vd_sq_ckpt *k = calloc(1, sizeof *k);
		if (!k || !file || strlen(file) >= sizeof k->path) {
			free(k);
			return VD_OK;   /* bulk mode is only faster: without it all still works */
		}
		memcpy(k->path, file, strlen(file) + 1);
		pthread_mutex_init(&k->mu, NULL);
		pthread_cond_init(&k->cv, NULL);
		if (pthread_create(&k->th, NULL, ckpt_main, k) != 0) {
			pthread_mutex_destroy(&k->mu);
			pthread_cond_destroy(&k->cv);
			free(k);
			return VD_OK;
		}
		s->ckpt = k;
		sqlite3_wal_autocheckpoint(s->db, 0);
		return VD_OK;
	}
	struct vd_sq_ckpt *k = s->ckpt;
	pthread_mutex_lock(&k->mu);
	k->stop = true;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->th, NULL);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	free(k);
	s->ckpt = NULL;
	sqlite3_wal_autocheckpoint(s->db, 1000);   /* SQLite's default */
	if (!in_tx(s))
		sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return VD_OK;
}

static const vd_store_ops sqlite_ops = {
	.record_hash = sq_record_hash,
	.record_put_doc = sq_record_put_doc,
	.version = VD_STORE_OPS_VERSION,
	.name = "sqlite",
	.close = sq_close,
	.migrate = sq_migrate,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.resolve = sq_resolve,
	.record_get = sq_record_get,
	.record_put = sq_record_put,
	.record_delete = sq_record_delete,
	.source_get = sq_source_get,
	.source_put = sq_source_put,
	.source_list = sq_source_list,
	.search = sq_search,
	.stats = sq_stats,
	.check = sq_check,
	.doc_get = vd_sq_doc_get,
	.list = vd_sq_list,
	.names = vd_sq_names,
	.counts = vd_sq_counts,
	.affected_find = vd_sq_affected_find,
	.search_ex = vd_sq_search_ex,
	.search_rebuild = vd_sq_search_rebuild,
	.cwe_put = vd_sq_cwe_put,
	.cwe_get = vd_sq_cwe_get,
	.cwe_parents = vd_sq_cwe_parents,
	.cwe_children = vd_sq_cwe_children,
	.cwe_count = vd_sq_cwe_count,
	.user_add = vd_sq_user_add,
	.user_get = vd_sq_user_get,
	.user_list = vd_sq_user_list,
	.user_update = vd_sq_user_update,
	.org_add = vd_sq_org_add,
	.org_get = vd_sq_org_get,
	.org_list = vd_sq_org_list,
	.org_member = vd_sq_org_member,
	.user_orgs = vd_sq_user_orgs,
	.org_product_add = vd_sq_org_product_add,
	.org_contact_add = vd_sq_org_contact_add,
	.org_items = vd_sq_org_items,
	.product_owners = vd_sq_product_owners,
	.token_add = vd_sq_token_add,
	.token_get = vd_sq_token_get,
	.token_list = vd_sq_token_list,
	.token_revoke = vd_sq_token_revoke,
	.session_add = vd_sq_session_add,
	.session_get = vd_sq_session_get,
	.session_delete = vd_sq_session_delete,
	.login_get = vd_sq_login_get,
	.login_put = vd_sq_login_put,
	.library_add = vd_sq_library_add,
	.library_get = vd_sq_library_get,
	.library_list = vd_sq_library_list,
	.library_update = vd_sq_library_update,
	.library_next = vd_sq_library_next,
	.audit_append = vd_sq_audit_append,
	.audit_list = vd_sq_audit_list,
	.audit_bounds = vd_sq_audit_bounds,
	.audit_prune = vd_sq_audit_prune,
	.case_add = vd_sq_case_add,
	.case_put = vd_sq_case_put,
	.case_get = vd_sq_case_get,
	.case_list = vd_sq_case_list,
	.case_parties = vd_sq_case_parties,
	.case_event_add = vd_sq_case_event_add,
	.case_events = vd_sq_case_events,
	.attachment_add = vd_sq_attachment_add,
	.attachment_list = vd_sq_attachment_list,
	.attachment_publish = vd_sq_attachment_publish,
	.notice_add = vd_sq_notice_add,
	.notice_list = vd_sq_notice_list,
	.reminder_fire = vd_sq_reminder_fire,
	.match_candidates = vd_sq_match_candidates,
	.record_aliases = vd_sq_record_aliases,
	.vex_put = vd_sq_vex_put,
	.vex_get = vd_sq_vex_get,
	.vex_count = vd_sq_vex_count,
	.read_snapshot = vd_sq_read_snapshot,
	.data_version = sq_data_version,
	.write_epoch = sq_write_epoch,
	.bulk = sq_bulk,
};

/* Once, before SQLite starts: no memory statistics, which take a global
 * mutex around every allocation SQLite makes (vulnd never reads them).  If
 * something started SQLite earlier, the call is refused and nothing changes. */
static pthread_once_t sqlite_config_once = PTHREAD_ONCE_INIT;

static void sqlite_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int vd_store_sqlite_open(const char *path, vd_store **out)
{
	pthread_once(&sqlite_config_once, sqlite_config);
	if (!out)
		return vd_error_set(VD_EINVAL, "store: vd_store_sqlite_open without an out pointer");
	*out = NULL;
	if (vd_str_empty(path))
		return vd_error_set(VD_EINVAL, "store: empty SQLite database path");
	vd_sqlite *s = calloc(1, sizeof *s);
	if (!s)
		return vd_error_set(VD_ENOMEM, "store: out of memory opening %s", path);
	s->base.ops = &sqlite_ops;
	int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		rc = vd_error_set(code_of(rc) == VD_ENOMEM ? VD_ENOMEM : VD_EIO, "sqlite: cannot open %s: %s",
		                  path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite3_close(s->db);
		free(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_commit_hook(s->db, on_commit, NULL);
	sqlite3_rollback_hook(s->db, on_rollback, s);
	const char *file = sqlite3_db_filename(s->db, "main");
	s->memory = !file || !*file;
	char *err = NULL;
	const char *pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
	                      " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;";
	if (sqlite3_exec(s->db, pragmas, NULL, NULL, &err) != SQLITE_OK ||
	    (!s->memory && sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, &err) != SQLITE_OK)) {
		rc = vd_error_set(VD_EIO, "sqlite: cannot set up %s: %s", path, err ? err : "failed");
		sqlite3_free(err);
		sqlite3_close(s->db);
		free(s);
		return rc;
	}
	if ((rc = vd_sq_zip_open(s)) || (rc = vd_sq_search_attach(s))) {   /* the search tokenizer, before any migration */
		sqlite3_close(s->db);
		free(s);
		return rc;
	}
	*out = &s->base;
	return VD_OK;
}
