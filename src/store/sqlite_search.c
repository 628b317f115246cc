/* src/store/sqlite_search.c — full-text search of the SQLite backend
 * (issue 10; design and limits in docs/search.md).
 *
 * Tables (migration 2 → 3, schema_sqlite.h):
 *   search_docs(docid INTEGER PRIMARY KEY, record_id UNIQUE → records ON
 *               DELETE CASCADE, state, published ('' when none), modified,
 *               grade, score, class_code, library)
 *       One row per record: the FTS rowid (stable across VACUUM, unlike the
 *       implicit rowid of records) and the columns filters and facets read.
 *       score is the highest CVSS base score of the record (NULL if none).
 *   search_fts(ids, title, body, other) — FTS5, tokenizer "vd"
 *       ids:   record id and aliases;  title: title zh + en;
 *       body:  description zh + en;   other: solution zh + en, affected
 *              vendors, products and packages, CWEs, class as given.
 *       rowid = search_docs.docid.
 *   trigger search_docs_delete: deleting a search_docs row (directly or by
 *       the cascade from records) deletes its FTS row in the same statement.
 *
 * record_put calls vd_sq_search_put inside its transaction after writing
 * the records row; record_delete needs nothing (cascade + trigger).  The
 * index text is built from the vd_record, so check() can rebuild it and
 * compare.  Control characters are blanked in indexed text so that the
 * highlight markers (\x02, \x03) are unambiguous in snippets.
 *
 * Queries: the text is split at white space into words (at most
 * SEARCH_WORDS).  A word with searchable tokens becomes one FTS5 phrase
 * built from the vd tokenizer's own query-mode tokens: "t1" + "t2" + ...,
 * a lone CJK character as a prefix token ("洞" *), and the query's last
 * word also a prefix when it ends in a Latin letter.  Tokens never hold
 * '"' or any other FTS5 syntax, so user text cannot reach FTS5 operators.
 * Words are ANDed.  A word without tokens (punctuation only: "%", "++") is
 * matched literally as an ASCII case-insensitive substring of the indexed
 * text (LIKE, '!' escapes), at most SEARCH_LITERALS of them.  User text
 * reaches SQL only as bound values.
 *
 * Order: vd_rank (fts_tokenizer.c: BM25 per column, weights ids 10,
 * title 8, body 3, other 1), then published (newest first), then docid.
 * Without text or through the old search op, newest first.  When more
 * than SEARCH_RANK_MAX records match, the most recently indexed first.
 * Cursor ("next_cursor"): the sort key of the last hit, so a page is a
 * keyset range and costs the same at any depth.
 *
 * Two ways to the same answer: the SQL statements (join search_docs per
 * match, one more statement per facet), and for a text query filtered by
 * visibility only, the fast path (search_cache below: the filter columns,
 * facet lists and FTS5 column sizes in memory, one walk of the doclist for
 * total and facets, one more with vd_rank for the ranked page).  Setting
 * VD_SEARCH_NOCACHE in the environment forces the SQL statements
 * (t_search compares both).
 */
#include "search_int.h"
#include "vulnd/error.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEARCH_TEXT_MAX 1024      /* bytes of query text */
#define SEARCH_WORDS 16           /* words per query */
#define SEARCH_LITERALS 4         /* punctuation-only words per query */
#define SEARCH_LIMIT_DEFAULT 20
#define SEARCH_LIMIT_MAX 10000
#define SEARCH_RANK_MAX 20000     /* more matches: latest indexed first, not ranked */
#define FIELD_MAX (8u << 20)      /* bytes per indexed column */
#define CHECK_REPORT_MAX 100      /* problems reported one by one */

/* ---- index maintenance ---- */

/* The docid of a record already indexed, if any: only then is the old text
 * deleted (an FTS5 delete flushes the pending inserts of the transaction,
 * so deleting for every new record would cost twice the indexing). */
static const char SQL_DOC_FIND[] = "SELECT docid FROM search_docs WHERE record_id = ?1";
static const char SQL_DOC_UPSERT[] =
	"INSERT INTO search_docs(record_id, state, published, modified, grade, score, class_code, library)"
	" VALUES(?1, ?2, coalesce(?3, ''), ?4, ?5, ?6, ?7, ?8)"
	" ON CONFLICT(record_id) DO UPDATE SET state = excluded.state, published = excluded.published,"
	" modified = excluded.modified, grade = excluded.grade, score = excluded.score,"
	" class_code = excluded.class_code, library = excluded.library"
	" RETURNING docid";
/* Staging (see vd_sq_search_flush): del = the docid's old text must go. */
static const char SQL_PEND_CREATE[] =
	"CREATE TEMP TABLE IF NOT EXISTS search_pending(docid INTEGER PRIMARY KEY,"
	" ids, title, body, other, del INTEGER NOT NULL)";
static const char SQL_PEND_PUT[] =
	"INSERT OR REPLACE INTO temp.search_pending(docid, ids, title, body, other, del)"
	" VALUES(?1, ?2, ?3, ?4, ?5,"
	" ?6 OR coalesce((SELECT del FROM temp.search_pending WHERE docid = ?1), 0))";
static const char SQL_PEND_DEL_FTS[] =
	"DELETE FROM search_fts WHERE rowid IN (SELECT docid FROM temp.search_pending WHERE del)";
static const char SQL_PEND_FLUSH[] =
	"INSERT INTO search_fts(rowid, ids, title, body, other)"
	" SELECT docid, ids, title, body, other FROM temp.search_pending"
	" WHERE docid IN (SELECT docid FROM search_docs)";
static const char SQL_PEND_CLEAR[] = "DELETE FROM temp.search_pending";

enum { COL_IDS, COL_TITLE, COL_BODY, COL_OTHER, NCOL };

/* Append s to b, blanking control characters; a newline first when b is
 * not empty. */
static int add_text(vd_buf *b, const char *s)
{
	if (!s || !*s)
		return VD_OK;
	int rc = b->len ? vd_buf_addc(b, '\n') : VD_OK;
	const char *p = s;
	while (!rc && *p) {
		const char *q = p;
		while (*q && ((unsigned char)*q >= 0x20 || *q == '\n' || *q == '\t') && *q != 0x7f)
			q++;
		if (q > p)
			rc = vd_buf_add(b, p, (size_t)(q - p));
		if (!rc && *q) {
			rc = vd_buf_addc(b, ' ');
			q++;
		}
		p = q;
	}
	return rc;
}

/* The indexed text of r, one buffer per column (caller frees). */
static int build_text(const vd_record *r, vd_buf col[NCOL])
{
	for (int i = 0; i < NCOL; i++)
		vd_buf_init(&col[i], FIELD_MAX);
	int rc = add_text(&col[COL_IDS], r->id);
	for (size_t i = 0; !rc && i < r->n_aliases; i++)
		rc = add_text(&col[COL_IDS], r->aliases[i].id);
	if (!rc)
		rc = add_text(&col[COL_TITLE], r->title.zh);
	if (!rc)
		rc = add_text(&col[COL_TITLE], r->title.en);
	if (!rc)
		rc = add_text(&col[COL_BODY], r->description.zh);
	if (!rc)
		rc = add_text(&col[COL_BODY], r->description.en);
	if (!rc)
		rc = add_text(&col[COL_OTHER], r->solution.zh);
	if (!rc)
		rc = add_text(&col[COL_OTHER], r->solution.en);
	for (size_t i = 0; !rc && i < r->n_affected; i++) {
		const vd_affected *a = &r->affected[i];
		if (!(rc = add_text(&col[COL_OTHER], a->vendor)) && !(rc = add_text(&col[COL_OTHER], a->product)))
			rc = add_text(&col[COL_OTHER], a->package);
	}
	for (size_t i = 0; !rc && i < r->n_cwes; i++)
		rc = add_text(&col[COL_OTHER], r->cwes[i]);
	if (!rc)
		rc = add_text(&col[COL_OTHER], r->class_text);
	if (rc == VD_ETOOBIG)   /* keep what fits: a record is never refused for its size here */
		rc = VD_OK;
	return rc;
}

static void free_text(vd_buf col[NCOL])
{
	for (int i = 0; i < NCOL; i++)
		vd_buf_free(&col[i]);
}

/* Highest CVSS base score, < 0 when none. */
static double best_score(const vd_record *r)
{
	double m = -1;
	for (size_t i = 0; i < r->n_scores; i++)
		if (r->scores[i].base >= 0 && r->scores[i].base <= 10 && r->scores[i].base > m)
			m = r->scores[i].base;
	return m;
}

static void bind_buf(sqlite3_stmt *q, int i, const vd_buf *b)
{
	if (b->len)
		sqlite3_bind_text(q, i, b->data, (int)b->len, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

int vd_sq_search_put(vd_sqlite *s, const vd_record *r)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_DOC_FIND, &q);
	if (rc)
		return rc;
	vd_sq_bind_text(q, 1, r->id);
	rc = sqlite3_step(q);
	bool existed = rc == SQLITE_ROW;
	if ((rc = vd_sq_done(s, q, rc, "search index: finding the document row")) ||
	    (rc = vd_sq_prep(s, SQL_DOC_UPSERT, &q)))
		return rc;
	double sc = best_score(r);
	vd_sq_bind_text(q, 1, r->id);
	vd_sq_bind_text(q, 2, vd_state_name(r->state));
	vd_sq_bind_text(q, 3, r->published);
	vd_sq_bind_text(q, 4, r->modified);
	vd_sq_bind_text(q, 5, r->grade);
	if (sc >= 0)
		sqlite3_bind_double(q, 6, sc);
	else
		sqlite3_bind_null(q, 6);
	vd_sq_bind_text(q, 7, r->class_code);
	vd_sq_bind_text(q, 8, r->library);
	rc = sqlite3_step(q);
	sqlite3_int64 docid = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(q);   /* finish the statement so the upsert completes */
	if ((rc = vd_sq_done(s, q, rc, "search index: document row")))
		return rc;
	if (docid <= 0)
		return vd_error_set(VD_EINTERNAL, "search index: no row id for record %s", r->id);
	vd_buf col[NCOL];
	if ((rc = build_text(r, col)) == VD_OK && (rc = vd_sq_prep(s, SQL_PEND_PUT, &q)) == VD_OK) {
		sqlite3_bind_int64(q, 1, docid);
		for (int i = 0; i < NCOL; i++)
			bind_buf(q, i + 2, &col[i]);
		sqlite3_bind_int(q, 6, existed);
		rc = vd_sq_done(s, q, sqlite3_step(q), "search index: staging text");
		if (rc == VD_OK)
			s->search_pending = true;
	}
	free_text(col);
	return rc;
}

static int run_one(vd_sqlite *s, const char *sql, const char *what)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, sql, &q);
	return rc ? rc : vd_sq_done(s, q, sqlite3_step(q), what);
}

int vd_sq_search_flush(vd_sqlite *s)
{
	if (!s->search_pending)
		return VD_OK;
	int rc;
	if ((rc = run_one(s, SQL_PEND_DEL_FTS, "search index: removing old text")) ||
	    (rc = run_one(s, SQL_PEND_FLUSH, "search index: text")) ||
	    (rc = run_one(s, SQL_PEND_CLEAR, "search index: clearing the staged text")))
		return rc;
	s->search_pending = false;
	return VD_OK;
}

void vd_sq_search_rolled_back(vd_sqlite *s)
{
	s->search_pending = false;
	if (!sqlite3_get_autocommit(s->db))
		return;
	/* outside a transaction the temp rows were rolled back too; make sure */
	sqlite3_exec(s->db, SQL_PEND_CLEAR, NULL, NULL, NULL);
}

/* Clearing: not DELETE FROM search_fts, which removes each row's tokens as
 * the *current* tokenizer sees them (stale tokens would stay if it has
 * changed): empty the content shadow tables, then 'rebuild' makes an
 * empty index from the empty content.  The trigger then finds no FTS rows
 * to delete for the search_docs rows. */
static const char SQL_RB_CLEAR_FTS[] =
	"DELETE FROM search_fts_content";
static const char SQL_RB_CLEAR_FTS2[] = "DELETE FROM search_fts_docsize";
static const char SQL_RB_REINDEX[] = "INSERT INTO search_fts(search_fts) VALUES('rebuild')";
static const char SQL_RB_CLEAR_DOCS[] = "DELETE FROM search_docs";
static const char SQL_RB_RECORDS[] = "SELECT id, vd_doc(doc) FROM records ORDER BY rowid";
static const char SQL_RB_OPTIMIZE[] = "INSERT INTO search_fts(search_fts) VALUES('optimize')";

static int run_simple(vd_sqlite *s, const char *sql, const char *what)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, sql, &q);
	return rc ? rc : vd_sq_done(s, q, sqlite3_step(q), what);
}

static int rebuild_locked(vd_sqlite *s)
{
	int rc = run_simple(s, SQL_RB_CLEAR_FTS, "search rebuild: clearing");
	if (!rc)
		rc = run_simple(s, SQL_RB_CLEAR_FTS2, "search rebuild: clearing");
	if (!rc)
		rc = run_simple(s, SQL_RB_REINDEX, "search rebuild: clearing");
	if (!rc)
		rc = run_simple(s, SQL_RB_CLEAR_DOCS, "search rebuild: clearing");
	sqlite3_stmt *q;
	if (rc || (rc = vd_sq_prep(s, SQL_RB_RECORDS, &q)))
		return rc;
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *doc = (const char *)sqlite3_column_text(q, 1);
		vd_record *r = NULL;
		if (!doc || vd_record_from_json(doc, (size_t)sqlite3_column_bytes(q, 1), &r) != VD_OK) {
			ret = vd_error_set(VD_EIO, "search rebuild: record %s does not decode: %s",
			                   (const char *)sqlite3_column_text(q, 0), vd_error_msg());
			break;
		}
		ret = vd_sq_search_put(s, r);
		vd_record_free(r);
		if (ret)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "search rebuild: reading records");
	if (ret || rc)
		return ret ? ret : rc;
	return run_simple(s, SQL_RB_OPTIMIZE, "search rebuild: optimize");
}

int vd_sq_search_rebuild(vd_store *st)
{
	vd_sqlite *s = (vd_sqlite *)st;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	return vd_sq_op_end(s, own, rebuild_locked(s));
}

/* SQL function vd_search_rebuild(): the migration's way to fill the index. */
static void fn_rebuild(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	vd_sqlite *s = sqlite3_user_data(ctx);
	if (rebuild_locked(s) != VD_OK)
		sqlite3_result_error(ctx, vd_error_msg(), -1);
	else
		sqlite3_result_null(ctx);
}

static void cache_attach(vd_sqlite *s);

int vd_sq_search_attach(vd_sqlite *s)
{
	int rc = vd_fts_register(s->db);
	if (rc)
		return rc;
	char *err = NULL;
	if (sqlite3_exec(s->db, SQL_PEND_CREATE, NULL, NULL, &err) != SQLITE_OK) {
		rc = vd_error_set(VD_EIO, "sqlite: cannot create the search staging table: %s", err ? err : "?");
		sqlite3_free(err);
		return rc;
	}
	if (sqlite3_create_function_v2(s->db, "vd_search_rebuild", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, s,
	                               fn_rebuild, NULL, NULL, NULL) != SQLITE_OK)
		return vd_error_set(VD_EIO, "sqlite: cannot register vd_search_rebuild: %s", sqlite3_errmsg(s->db));
	cache_attach(s);
	return VD_OK;
}

/* ---- queries ---- */

/* Parameters: ?1 MATCH expression; filters ?2..?16; literal words ?23..?26;
 * cursor ?17 rank, ?18 published, ?20 docid; ?21 limit, ?22 offset. */
#define F_TEXT " FROM search_fts f JOIN search_docs d ON d.docid = f.rowid"
#define W_TEXT " WHERE search_fts MATCH ?1"
#define F_ALL  " FROM search_docs d"
#define W_ALL  " WHERE 1"
/* Literal words ?23..?26 (see add_literal). */
#define LIT23 " AND (?23 IS NULL OR EXISTS(SELECT 1 FROM search_fts l WHERE l.rowid = d.docid" \
	" AND (l.ids LIKE ?23 ESCAPE '!' OR l.title LIKE ?23 ESCAPE '!'" \
	" OR l.body LIKE ?23 ESCAPE '!' OR l.other LIKE ?23 ESCAPE '!')))"
#define LIT24 " AND (?24 IS NULL OR EXISTS(SELECT 1 FROM search_fts l WHERE l.rowid = d.docid" \
	" AND (l.ids LIKE ?24 ESCAPE '!' OR l.title LIKE ?24 ESCAPE '!'" \
	" OR l.body LIKE ?24 ESCAPE '!' OR l.other LIKE ?24 ESCAPE '!')))"
#define LIT25 " AND (?25 IS NULL OR EXISTS(SELECT 1 FROM search_fts l WHERE l.rowid = d.docid" \
	" AND (l.ids LIKE ?25 ESCAPE '!' OR l.title LIKE ?25 ESCAPE '!'" \
	" OR l.body LIKE ?25 ESCAPE '!' OR l.other LIKE ?25 ESCAPE '!')))"
#define LIT26 " AND (?26 IS NULL OR EXISTS(SELECT 1 FROM search_fts l WHERE l.rowid = d.docid" \
	" AND (l.ids LIKE ?26 ESCAPE '!' OR l.title LIKE ?26 ESCAPE '!'" \
	" OR l.body LIKE ?26 ESCAPE '!' OR l.other LIKE ?26 ESCAPE '!')))"
#define FILTERS \
	" AND (?2 OR d.state = 'published')" \
	" AND (?3 IS NULL OR d.state = ?3)" \
	" AND (?4 IS NULL OR d.grade = ?4 COLLATE NOCASE)" \
	" AND (?5 IS NULL OR d.score >= ?5) AND (?6 IS NULL OR d.score <= ?6)" \
	" AND (?7 IS NULL OR EXISTS(SELECT 1 FROM record_cwes c WHERE c.record_id = d.record_id" \
	"      AND c.cwe = ?7 COLLATE NOCASE))" \
	" AND (?8 IS NULL OR d.class_code = ?8)" \
	" AND (?9 IS NULL AND ?10 IS NULL OR EXISTS(SELECT 1 FROM affected a WHERE a.record_id = d.record_id" \
	"      AND (?9 IS NULL OR a.vendor = ?9 COLLATE NOCASE)" \
	"      AND (?10 IS NULL OR a.product = ?10 COLLATE NOCASE)))" \
	" AND (?11 IS NULL OR d.library = ?11)" \
	" AND (?12 IS NULL OR EXISTS(SELECT 1 FROM sources s WHERE s.record_id = d.record_id AND s.source = ?12))" \
	" AND (?13 IS NULL OR d.published >= ?13)" \
	" AND (?14 IS NULL OR (d.published <> '' AND d.published <= ?14))" \
	" AND (?15 IS NULL OR d.modified >= ?15) AND (?16 IS NULL OR d.modified <= ?16)" \
	LIT23 LIT24 LIT25 LIT26
#define RANK "vd_rank(search_fts, 10.0, 8.0, 3.0, 1.0)"
/* The page: ordered keys of the matches in a subquery with the LIMIT, so
 * the join to records (titles) happens for the page's rows only; snippets
 * come from SQL_SNIPPET per hit, for the same reason (a column of the
 * sorted query would be computed for every match). */
#define INNER_COLS "d.docid, d.record_id, d.published, d.grade, d.state, d.modified, d.score"
#define OUTER "SELECT p.docid, p.record_id, r.title_en, r.title_zh, p.published, p.grade, p.state," \
	" p.modified, p.score, p.rk FROM ("
#define OUTER_END ") p JOIN records r ON r.id = p.record_id"
#define AFTER_DATE " AND (?18 IS NULL OR d.published < ?18 OR (d.published = ?18 AND d.docid < ?20))"
#define AFTER_RANK " AND (?17 IS NULL OR rk > ?17 OR (rk = ?17 AND (d.published < ?18" \
	" OR (d.published = ?18 AND d.docid < ?20))))"
#define PAGE " LIMIT ?21 OFFSET ?22"

static const char SQL_PAGE_RANK[] =
	OUTER "SELECT " INNER_COLS ", " RANK " AS rk" F_TEXT W_TEXT FILTERS AFTER_RANK
	" ORDER BY rk, d.published DESC, d.docid DESC" PAGE OUTER_END
	" ORDER BY p.rk, p.published DESC, p.docid DESC";
static const char SQL_PAGE_TEXT_DATE[] =
	OUTER "SELECT " INNER_COLS ", 0.0 AS rk" F_TEXT W_TEXT FILTERS AFTER_DATE
	" ORDER BY d.published DESC, d.docid DESC" PAGE OUTER_END " ORDER BY p.published DESC, p.docid DESC";
static const char SQL_PAGE_TEXT_ID[] =
	OUTER "SELECT " INNER_COLS ", 0.0 AS rk" F_TEXT W_TEXT FILTERS " AND f.rowid < ?20"
	" ORDER BY f.rowid DESC" PAGE OUTER_END " ORDER BY p.docid DESC";
static const char SQL_PAGE_ALL[] =
	OUTER "SELECT " INNER_COLS ", 0.0 AS rk" F_ALL W_ALL FILTERS AFTER_DATE
	" ORDER BY d.published DESC, d.docid DESC" PAGE OUTER_END " ORDER BY p.published DESC, p.docid DESC";
static const char SQL_SNIPPET[] =
	"SELECT snippet(search_fts, -1, char(2), char(3), '…', 24) FROM search_fts"
	" WHERE search_fts MATCH ?1 AND rowid = ?2";

static const char SQL_COUNT_TEXT[] = "SELECT count(*)" F_TEXT W_TEXT FILTERS;
static const char SQL_COUNT_ALL[] = "SELECT count(*)" F_ALL W_ALL FILTERS;

#define FACET_GRADE(F, W) "SELECT d.grade, count(*)" F W FILTERS " AND d.grade IS NOT NULL" \
	" GROUP BY d.grade ORDER BY 2 DESC, 1 LIMIT 10"
#define FACET_YEAR(F, W) "SELECT substr(d.published, 1, 4), count(*)" F W FILTERS " AND d.published <> ''" \
	" GROUP BY 1 ORDER BY 2 DESC, 1 DESC LIMIT 10"
#define FACET_VENDOR(F, W) "SELECT min(a2.vendor), count(DISTINCT d.docid)" F \
	" JOIN affected a2 ON a2.record_id = d.record_id" W FILTERS " AND a2.vendor IS NOT NULL" \
	" GROUP BY a2.vendor COLLATE NOCASE ORDER BY 2 DESC, 1 LIMIT 10"
#define FACET_CWE(F, W) "SELECT c2.cwe, count(*)" F " JOIN record_cwes c2 ON c2.record_id = d.record_id" \
	W FILTERS " GROUP BY c2.cwe ORDER BY 2 DESC, 1 LIMIT 10"

static const char SQL_FG_T[] = FACET_GRADE(F_TEXT, W_TEXT);
static const char SQL_FG_A[] = FACET_GRADE(F_ALL, W_ALL);
static const char SQL_FY_T[] = FACET_YEAR(F_TEXT, W_TEXT);
static const char SQL_FY_A[] = FACET_YEAR(F_ALL, W_ALL);
static const char SQL_FV_T[] = FACET_VENDOR(F_TEXT, W_TEXT);
static const char SQL_FV_A[] = FACET_VENDOR(F_ALL, W_ALL);
static const char SQL_FC_T[] = FACET_CWE(F_TEXT, W_TEXT);
static const char SQL_FC_A[] = FACET_CWE(F_ALL, W_ALL);

static const char *const facet_sql[VD_FACET_COUNT_][2] = {
	[VD_FACET_GRADE] = {SQL_FG_A, SQL_FG_T},
	[VD_FACET_YEAR] = {SQL_FY_A, SQL_FY_T},
	[VD_FACET_VENDOR] = {SQL_FV_A, SQL_FV_T},
	[VD_FACET_CWE] = {SQL_FC_A, SQL_FC_T},
};

/* A parsed query. */
typedef struct {
	vd_buf match;                    /* FTS5 expression, empty when no tokens */
	vd_buf lit[SEARCH_LITERALS];     /* LIKE patterns of punctuation-only words */
	int nlit;
	bool text;                       /* the text had words */
	/* cursor */
	bool has_cursor;
	double c_rank;
	char c_pub[32];
	sqlite3_int64 c_docid;
} parsed;

/* Builds the FTS5 phrase of one query word token by token:
 * "t1" + "t2" * + ...  A lone CJK character becomes a prefix token (it is
 * indexed only as the first half of bigrams and at the end of runs). */
typedef struct {
	vd_buf *out;
	int n;          /* tokens so far */
	int rc;
	int last_end;   /* end offset of the last token */
	char last;      /* its last byte */
} phrase_builder;

static int cjk_single(const char *tok, int n)
{
	/* one code point of three or four bytes (all CJK ranges are ≥ U+2E80) */
	unsigned char c = (unsigned char)tok[0];
	return (c >= 0xe0 && c < 0xf0 && n == 3) || (c >= 0xf0 && n == 4);
}

static int phrase_tok(void *ctx, int flags, const char *tok, int n, int start, int end)
{
	phrase_builder *pb = ctx;
	(void)flags; (void)start;
	if (pb->out) {
		int rc = pb->n ? vd_buf_add(pb->out, " + \"", 4) : vd_buf_addc(pb->out, '"');
		if (!rc)
			rc = vd_buf_add(pb->out, tok, (size_t)n);   /* tokens never hold '"' */
		if (!rc)
			rc = vd_buf_addc(pb->out, '"');
		if (!rc && cjk_single(tok, n))
			rc = vd_buf_add(pb->out, " *", 2);
		if (rc)
			return pb->rc = rc;
	}
	pb->n++;
	pb->last_end = end;
	pb->last = n > 0 ? tok[n - 1] : 0;
	return 0;
}

/* Length of white space at p: ASCII blanks or U+3000. */
static size_t space_len(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
		return 1;
	if ((unsigned char)p[0] == 0xe3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
		return 3;
	return 0;
}

static int add_literal(parsed *pq, const char *w, size_t n)
{
	if (pq->nlit == SEARCH_LITERALS)
		return vd_error_set(VD_EINVAL, "search: more than %d words without letters or digits",
		                    SEARCH_LITERALS);
	vd_buf *b = &pq->lit[pq->nlit++];
	int rc = vd_buf_addc(b, '%');
	for (size_t i = 0; i < n && !rc; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '!')
			rc = vd_buf_addc(b, '!');   /* the ESCAPE character of LIT() */
		if (!rc)
			rc = vd_buf_addc(b, w[i]);
	}
	return rc ? rc : vd_buf_addc(b, '%');
}

static int parse_text(const char *text, parsed *pq)
{
	if (!text)
		return VD_OK;
	size_t len = strlen(text);
	if (len > SEARCH_TEXT_MAX)
		return vd_error_set(VD_EINVAL, "search: text of %zu bytes is longer than %d", len, SEARCH_TEXT_MAX);
	if (!vd_utf8_valid(text, len))
		return vd_error_set(VD_EINVAL, "search: text is not valid UTF-8 (byte %zu)", vd_utf8_check(text, len));
	const char *p = text;
	int words = 0, rc = VD_OK;
	bool prefix = false;   /* the last word so far may be a prefix */
	while (*p && !rc) {
		size_t k;
		while ((k = space_len(p)) > 0)
			p += k;
		if (!*p)
			break;
		const char *w = p;
		while (*p && !space_len(p))
			p++;
		size_t n = (size_t)(p - w);
		pq->text = true;
		if (++words > SEARCH_WORDS)
			return vd_error_set(VD_EINVAL, "search: more than %d words", SEARCH_WORDS);
		phrase_builder pb = {NULL, 0, 0, 0, 0};
		vd_fts_tokenize(w, (int)n, true, phrase_tok, &pb);
		prefix = false;
		if (pb.n == 0) {
			rc = add_literal(pq, w, n);
			continue;
		}
		if (pq->match.len && (rc = vd_buf_addc(&pq->match, ' ')))
			break;
		size_t mark = pq->match.len;
		pb = (phrase_builder){&pq->match, 0, 0, 0, 0};
		vd_fts_tokenize(w, (int)n, true, phrase_tok, &pb);
		if ((rc = pb.rc))
			break;
		/* The query's last word, when it ends in a Latin letter, also
		 * matches longer words (overflow → overflows, qux_d → qux_daemon). */
		prefix = (size_t)pb.last_end == n && pb.last >= 'a' && pb.last <= 'z' &&
		         pq->match.len > mark && pq->match.data[pq->match.len - 1] == '"';
	}
	if (!rc && prefix)
		rc = vd_buf_add(&pq->match, " *", 2);
	return rc;
}

/* Cursor: "r~RANK~PUB~DOCID" (ranked) or "d~PUB~DOCID" (by date), PUB the
 * digits of the published timestamp (empty when none). */
static void pub_digits(const char *pub, char *out, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; pub && pub[i] && j + 1 < n; i++)
		if (pub[i] >= '0' && pub[i] <= '9')
			out[j++] = pub[i];
	out[j] = 0;
}

static int bad_cursor(void)
{
	return vd_error_set(VD_EINVAL, "search: bad cursor (use next_cursor of the previous page "
	                    "of the same search)");
}

/* mode: 'r' ranked "r~RANK~PUB~DOCID", 'd' by date "d~PUB~DOCID", 'i' by
 * docid "i~DOCID". */
static int parse_cursor(const char *c, char mode, parsed *pq)
{
	if (!c || !*c)
		return VD_OK;
	if (strlen(c) > 100)
		return bad_cursor();
	int want = mode == 'r' ? 4 : mode == 'd' ? 3 : 2, seps = 0;
	for (const char *p = c; *p; p++)
		seps += *p == '~';
	if (seps != want - 1)
		return bad_cursor();
	char buf[128];
	snprintf(buf, sizeof buf, "%s", c);
	char *part[4];
	int np = 0;
	for (char *p = buf; np < 4;) {
		part[np++] = p;
		char *t = strchr(p, '~');
		if (!t)
			break;
		*t = 0;
		p = t + 1;
	}
	if (np != want || part[0][0] != mode || part[0][1])
		return bad_cursor();
	int i = 1;
	if (mode == 'r') {
		char *end;
		pq->c_rank = strtod(part[1], &end);
		if (end == part[1] || *end || !isfinite(pq->c_rank))
			return bad_cursor();
		i = 2;
	}
	if (mode != 'i') {
		const char *d = part[i++];
		size_t dl = strlen(d);
		if (dl != 0 && dl != 14)
			return bad_cursor();
		for (size_t k = 0; k < dl; k++)
			if (d[k] < '0' || d[k] > '9')
				return bad_cursor();
		if (dl)
			snprintf(pq->c_pub, sizeof pq->c_pub, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", d, d + 4, d + 6, d + 8,
			         d + 10, d + 12);
	}
	long v;
	if (vd_parse_long(part[i], 1, 0x7fffffffffffffffL, &v))
		return bad_cursor();
	pq->c_docid = v;
	pq->has_cursor = true;
	return VD_OK;
}

static const char *nz_filter(const char *s) { return s && *s ? s : NULL; }

static void bind_filters(sqlite3_stmt *q, const vd_search_query *qy, const parsed *pq)
{
	if (pq->match.len)
		sqlite3_bind_text(q, 1, pq->match.data, (int)pq->match.len, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, qy->include_unpublished ? 1 : 0);
	vd_sq_bind_text(q, 3, nz_filter(qy->state));
	vd_sq_bind_text(q, 4, nz_filter(qy->severity));
	if (qy->score_min > 0)
		sqlite3_bind_double(q, 5, qy->score_min);
	if (qy->score_max > 0)
		sqlite3_bind_double(q, 6, qy->score_max);
	vd_sq_bind_text(q, 7, nz_filter(qy->cwe));
	vd_sq_bind_text(q, 8, nz_filter(qy->class_code));
	vd_sq_bind_text(q, 9, nz_filter(qy->vendor));
	vd_sq_bind_text(q, 10, nz_filter(qy->product));
	vd_sq_bind_text(q, 11, nz_filter(qy->library));
	vd_sq_bind_text(q, 12, nz_filter(qy->source));
	vd_sq_bind_text(q, 13, nz_filter(qy->published_from));
	vd_sq_bind_text(q, 14, nz_filter(qy->published_to));
	vd_sq_bind_text(q, 15, nz_filter(qy->modified_from));
	vd_sq_bind_text(q, 16, nz_filter(qy->modified_to));
	for (int i = 0; i < pq->nlit; i++)
		sqlite3_bind_text(q, 23 + i, pq->lit[i].data, (int)pq->lit[i].len, SQLITE_STATIC);
}

static int run_facet(vd_sqlite *s, const char *sql, const vd_search_query *qy, const parsed *pq, vd_facet *f)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, sql, &q);
	if (rc)
		return rc;
	bind_filters(q, qy, pq);
	f->n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && f->n < VD_FACET_TOP) {
		const char *v = (const char *)sqlite3_column_text(q, 0);
		if (!v)
			continue;
		/* cut at a UTF-8 boundary */
		size_t n = strlen(v), max = sizeof f->v[0].value - 1;
		if (n > max) {
			n = max;
			while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
				n--;
		}
		memcpy(f->v[f->n].value, v, n);
		f->v[f->n].value[n] = 0;
		f->v[f->n].count = (uint64_t)sqlite3_column_int64(q, 1);
		f->n++;
	}
	return vd_sq_done(s, q, rc == SQLITE_ROW ? SQLITE_DONE : rc, "search: facet");
}

/* ---- the fast path: per-connection memory of the filter columns ----
 *
 * A text query whose only filter is visibility (published, or all for
 * VD_VIEW_ALL) is answered without joining search_docs per match: one walk
 * of the FTS5 doclist (rowids only) gives the total and the facets from
 * arrays indexed by docid, and a second walk (with vd_rank) keeps the best
 * page in a heap ordered exactly like SQL_PAGE_RANK (rank, published desc,
 * docid desc).  Only the page's rows are read from search_docs/records.
 * The arrays are loaded once per connection and data version (PRAGMA
 * data_version + this connection's total changes), never inside a
 * transaction (a rollback would not move the key); any other query shape,
 * or a cache that cannot be loaded, takes the SQL statements above.  The
 * results are the same either way (t_search checks both paths agree). */

#define DOC_PRESENT 1
#define DOC_PUBLISHED 2

typedef struct {
	char **v;        /* sorted (binary order; vendors: NOCASE then binary) */
	uint32_t n;
} strset;

typedef struct {
	uint32_t *off;   /* docid -> [off[d], off[d+1]) in ids */
	uint32_t *ids;
	uint32_t nids;
} csr;

typedef struct vd_search_cache {
	vd_sqlite *s;
	bool valid, have_lists;
	sqlite3_int64 dv, changes;
	double loaded_at, load_secs; /* monotonic end of the last load, its duration */
	uint32_t n;                  /* arrays hold docids 0..n-1 */
	uint8_t *flags;
	uint16_t *grade, *year;      /* 0 = none, else 1 + index into grades / years */
	uint32_t *pub;               /* 2 * index of the published text in pubs */
	strset grades, years, pubs;
	uint32_t *colsz;             /* NCOL token counts per docid (FTS5 docsize), for vd_rank */
	vd_rank_sizes sizes;
	/* vendor and CWE lists, loaded the first time facets are asked */
	strset vendors, cwes;
	uint32_t *vgroup;            /* vendor spelling -> first spelling of its NOCASE group */
	csr vl, cl;
} search_cache;

static void strset_free(strset *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

static void csr_free(csr *c)
{
	free(c->off);
	free(c->ids);
	memset(c, 0, sizeof *c);
}

static void cache_clear(search_cache *c)
{
	free(c->flags);
	free(c->grade);
	free(c->year);
	free(c->pub);
	free(c->colsz);
	strset_free(&c->grades);
	strset_free(&c->years);
	strset_free(&c->pubs);
	strset_free(&c->vendors);
	strset_free(&c->cwes);
	free(c->vgroup);
	csr_free(&c->vl);
	csr_free(&c->cl);
	vd_sqlite *s = c->s;
	memset(c, 0, sizeof *c);
	c->s = s;
}

/* The connection's cache hangs off its handle (vd_sqlite.search_cache);
 * it is also the user data of the SQL function vd_search_cache(), so
 * SQLite frees it when the connection closes. */
static void cache_destroy(void *p)
{
	search_cache *c = p;
	if (!c)
		return;
	if (c->s && c->s->search_cache == c)
		c->s->search_cache = NULL;
	cache_clear(c);
	free(c);
}

static void fn_cache(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_null(ctx);
}

/* vd_search_flag(p): the int p points to (bound with sqlite3_bind_pointer,
 * type "vd_search_flag"), read on every row; 0 for anything else. */
static void fn_flag(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const int *p = sqlite3_value_pointer(argv[0], "vd_search_flag");
	sqlite3_result_int(ctx, p ? *p : 0);
}

/* Called from vd_sq_search_attach.  No memory: no cache (the SQL
 * statements answer everything). */
static void cache_attach(vd_sqlite *s)
{
	search_cache *c = calloc(1, sizeof *c);
	if (!c)
		return;
	c->s = s;
	sqlite3_create_function_v2(s->db, "vd_search_flag", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, fn_flag, NULL,
	                           NULL, NULL);
	/* on failure SQLite calls cache_destroy itself */
	if (sqlite3_create_function_v2(s->db, "vd_search_cache", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, c, fn_cache,
	                               NULL, NULL, cache_destroy) == SQLITE_OK)
		s->search_cache = c;
}

static search_cache *cache_find(vd_sqlite *s)
{
	return s->search_cache;
}

/* Interning strings while loading: ids in order of first sight, then
 * renumbered in sorted order (strset). */
typedef struct {
	char **v;
	uint32_t n, cap;
	uint32_t *slot;   /* 1 + id, 0 empty */
	uint32_t nslot;   /* power of two */
} interner;

static uint32_t str_hash(const char *p)
{
	uint64_t h = vd_hash64(p, strlen(p));
	return (uint32_t)(h ^ (h >> 32));
}

/* id of t (added if new), UINT32_MAX on no memory */
static uint32_t intern(interner *in, const char *t)
{
	if (in->n * 2 >= in->nslot) {
		uint32_t ns = in->nslot ? in->nslot * 2 : 1024;
		uint32_t *sl = calloc(ns, sizeof *sl);
		if (!sl)
			return UINT32_MAX;
		for (uint32_t i = 0; i < in->n; i++) {
			uint32_t h = str_hash(in->v[i]) & (ns - 1);
			while (sl[h])
				h = (h + 1) & (ns - 1);
			sl[h] = i + 1;
		}
		free(in->slot);
		in->slot = sl;
		in->nslot = ns;
	}
	uint32_t h = str_hash(t) & (in->nslot - 1);
	while (in->slot[h]) {
		if (strcmp(in->v[in->slot[h] - 1], t) == 0)
			return in->slot[h] - 1;
		h = (h + 1) & (in->nslot - 1);
	}
	if (in->n == in->cap) {
		uint32_t nc = in->cap ? in->cap * 2 : 256;
		char **v = realloc(in->v, nc * sizeof *v);
		if (!v)
			return UINT32_MAX;
		in->v = v;
		in->cap = nc;
	}
	if (!(in->v[in->n] = strdup(t)))
		return UINT32_MAX;
	in->slot[h] = in->n + 1;
	return in->n++;
}

static int cmp_bin(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* NOCASE (ASCII case folding, as SQLite's NOCASE), then binary: the
 * spellings of one vendor group are neighbours, the smallest first. */
static int cmp_nocase(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int r = sqlite3_stricmp(x, y);
	return r ? r : strcmp(x, y);
}

/* Sort the interned strings into t; map[old id] = new id (caller frees). */
static uint32_t *intern_sort(interner *in, strset *t, int (*cmp)(const void *, const void *))
{
	free(in->slot);
	in->slot = NULL;
	uint32_t *map = malloc((in->n ? in->n : 1) * sizeof *map);
	char **sorted = malloc((in->n ? in->n : 1) * sizeof *sorted);
	if (!map || !sorted) {
		free(map);
		free(sorted);
		return NULL;   /* intern_free frees the strings */
	}
	if (in->n) {   /* an empty database: nothing (and in->v may be NULL) */
		memcpy(sorted, in->v, in->n * sizeof *sorted);
		qsort(sorted, in->n, sizeof *sorted, cmp);
	}
	/* map old ids through a temporary (string address -> new index) */
	for (uint32_t k = 0; k < in->n; k++) {
		/* binary search of in->v[k] among sorted by address identity */
		uint32_t lo = 0, hi = in->n;
		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2;
			int r = cmp(&sorted[mid], &in->v[k]);
			if (r < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		map[k] = lo;   /* strings are distinct: lo is its place */
	}
	free(in->v);
	t->v = sorted;   /* the strings move to t */
	t->n = in->n;
	in->v = NULL;
	in->n = in->cap = 0;
	return map;
}

static void intern_free(interner *in)
{
	for (uint32_t i = 0; i < in->n; i++)
		free(in->v[i]);
	free(in->v);
	free(in->slot);
	memset(in, 0, sizeof *in);
}

static const char SQL_C_MAX[] = "SELECT coalesce(max(docid), 0) FROM search_docs";
static const char SQL_C_DOCS[] = "SELECT docid, state = 'published', grade, published FROM search_docs";
static const char SQL_C_VENDORS[] =
	"SELECT d.docid, a.vendor FROM search_docs d JOIN affected a ON a.record_id = d.record_id"
	" WHERE a.vendor IS NOT NULL";
static const char SQL_C_CWES[] =
	"SELECT d.docid, c.cwe FROM search_docs d JOIN record_cwes c ON c.record_id = d.record_id";
static const char SQL_C_VERSION[] = "PRAGMA data_version";

#define CACHE_DOCS_MAX (64u << 20)

static int cache_load_docs(search_cache *c)
{
	vd_sqlite *s = c->s;
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_C_MAX, &q);
	if (rc)
		return rc;
	rc = sqlite3_step(q);
	sqlite3_int64 mx = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	if ((rc = vd_sq_done(s, q, rc == SQLITE_ROW ? SQLITE_DONE : rc, "search cache")))
		return rc;
	if (mx < 0 || mx >= CACHE_DOCS_MAX)
		return VD_EUNSUPPORTED;
	c->n = (uint32_t)mx + 1;
	c->flags = calloc(c->n, 1);
	c->grade = calloc(c->n, sizeof *c->grade);
	c->year = calloc(c->n, sizeof *c->year);
	c->pub = calloc(c->n, sizeof *c->pub);
	if (!c->flags || !c->grade || !c->year || !c->pub)
		return VD_ENOMEM;
	interner ig = {0}, iy = {0}, ip = {0};
	if ((rc = vd_sq_prep(s, SQL_C_DOCS, &q)))
		return rc;
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_int64 d = sqlite3_column_int64(q, 0);
		if (d < 0 || d >= c->n)
			continue;
		const char *g = (const char *)sqlite3_column_text(q, 2);
		const char *p = (const char *)sqlite3_column_text(q, 3);
		c->flags[d] = DOC_PRESENT | (sqlite3_column_int(q, 1) ? DOC_PUBLISHED : 0);
		uint32_t gi = g ? intern(&ig, g) : 0, yi = 0, pi = intern(&ip, p ? p : "");
		if (p && *p) {
			char y[5];
			snprintf(y, sizeof y, "%.4s", p);   /* substr(published, 1, 4) of ASCII dates */
			yi = intern(&iy, y);
		}
		if (gi == UINT32_MAX || yi == UINT32_MAX || pi == UINT32_MAX || ig.n >= 65535 || iy.n >= 65535) {
			ret = VD_ENOMEM;
			break;
		}
		c->grade[d] = g ? (uint16_t)(gi + 1) : 0;
		c->year[d] = p && *p ? (uint16_t)(yi + 1) : 0;
		c->pub[d] = pi;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "search cache: documents");
	uint32_t *mg = NULL, *my = NULL, *mp = NULL;
	if (!ret && !rc) {
		mg = intern_sort(&ig, &c->grades, cmp_bin);
		my = intern_sort(&iy, &c->years, cmp_bin);
		mp = intern_sort(&ip, &c->pubs, cmp_bin);
		if (!mg || !my || !mp)
			ret = VD_ENOMEM;
	}
	if (!ret && !rc)
		for (uint32_t d = 0; d < c->n; d++) {
			if (!c->flags[d])
				continue;
			if (c->grade[d])
				c->grade[d] = (uint16_t)(mg[c->grade[d] - 1] + 1);
			if (c->year[d])
				c->year[d] = (uint16_t)(my[c->year[d] - 1] + 1);
			c->pub[d] = 2 * mp[c->pub[d]];
		}
	free(mg);
	free(my);
	free(mp);
	intern_free(&ig);
	intern_free(&iy);
	intern_free(&ip);
	return ret ? ret : rc;
}

/* FTS5's docsize rows: one varint (SQLite's format) per column. */
static const char SQL_C_SIZES[] = "SELECT id, sz FROM search_fts_docsize";

static int cache_load_sizes(search_cache *c)
{
	vd_sqlite *s = c->s;
	if (!(c->colsz = calloc((size_t)c->n * NCOL, sizeof *c->colsz)))
		return VD_ENOMEM;
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_C_SIZES, &q);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_int64 d = sqlite3_column_int64(q, 0);
		const unsigned char *b = sqlite3_column_blob(q, 1);
		int len = sqlite3_column_bytes(q, 1), at = 0;
		if (d < 0 || d >= c->n)
			continue;
		for (int col = 0; col < NCOL && b; col++) {
			uint64_t v = 0;
			int k = 0;
			while (at < len && k < 9) {
				unsigned char x = b[at++];
				k++;
				if (k == 9) {
					v = (v << 8) | x;
					break;
				}
				v = (v << 7) | (x & 0x7f);
				if (!(x & 0x80))
					break;
			}
			c->colsz[(size_t)d * NCOL + (size_t)col] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		}
	}
	rc = vd_sq_done(s, q, rc, "search cache: column sizes");
	c->sizes = (vd_rank_sizes){c->colsz, c->n, NCOL};
	return rc;
}

/* docid -> list of string ids from (docid, text) rows. */
static int cache_load_list(search_cache *c, const char *sql, strset *t, csr *l,
                           int (*cmp)(const void *, const void *))
{
	vd_sqlite *s = c->s;
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, sql, &q), ret = VD_OK;
	if (rc)
		return rc;
	interner in = {0};
	uint32_t *pd = NULL, *pv = NULL, np = 0, cap = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_int64 d = sqlite3_column_int64(q, 0);
		const char *v = (const char *)sqlite3_column_text(q, 1);
		if (d < 0 || d >= c->n || !v)
			continue;
		if (np == cap) {
			uint32_t nc = cap ? cap * 2 : 4096;
			uint32_t *a = realloc(pd, nc * sizeof *a), *b = a ? realloc(pv, nc * sizeof *b) : NULL;
			if (a)
				pd = a;
			if (b)
				pv = b;
			if (!a || !b) {
				ret = VD_ENOMEM;
				break;
			}
			cap = nc;
		}
		uint32_t id = intern(&in, v);
		if (id == UINT32_MAX) {
			ret = VD_ENOMEM;
			break;
		}
		pd[np] = (uint32_t)d;
		pv[np++] = id;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "search cache: facet lists");
	uint32_t *map = NULL;
	if (!ret && !rc && !(map = intern_sort(&in, t, cmp)))
		ret = VD_ENOMEM;
	if (!ret && !rc) {
		l->off = calloc((size_t)c->n + 1, sizeof *l->off);
		l->ids = malloc((np ? np : 1) * sizeof *l->ids);
		if (!l->off || !l->ids)
			ret = VD_ENOMEM;
	}
	if (!ret && !rc) {   /* counting sort by docid */
		for (uint32_t i = 0; i < np; i++)
			l->off[pd[i] + 1]++;
		for (uint32_t d = 0; d < c->n; d++)
			l->off[d + 1] += l->off[d];
		uint32_t *fill = calloc((size_t)c->n, sizeof *fill);
		if (!fill) {
			ret = VD_ENOMEM;
		} else {
			for (uint32_t i = 0; i < np; i++)
				l->ids[l->off[pd[i]] + fill[pd[i]]++] = map[pv[i]];
			free(fill);
			l->nids = np;
		}
	}
	free(map);
	free(pd);
	free(pv);
	intern_free(&in);
	return ret ? ret : rc;
}

/* End the loader's read transaction, whatever happens. */
static void end_read(vd_sqlite *s)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The cache, loaded and current, or NULL (then use SQL). */
static search_cache *cache_get(vd_sqlite *s, bool lists)
{
	search_cache *c = cache_find(s);
	if (!c || !sqlite3_get_autocommit(s->db))
		return NULL;
	sqlite3_stmt *q;
	if (vd_sq_prep(s, SQL_C_VERSION, &q))
		return NULL;
	int rc = sqlite3_step(q);
	sqlite3_int64 dv = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	if (vd_sq_done(s, q, rc == SQLITE_ROW ? SQLITE_DONE : rc, "search cache: data version") || dv < 0)
		return NULL;
	sqlite3_int64 ch = sqlite3_total_changes64(s->db);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (c->valid && (c->dv != dv || c->changes != ch)) {
		/* Writes keep coming (an import): reload at most once per ten
		 * load times, the SQL statements answer in between. */
		if (now - c->loaded_at < 10 * c->load_secs)
			return NULL;
		cache_clear(c);
	}
	if (!c->valid) {
		/* one read transaction: the arrays describe one state of the data */
		if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
			return NULL;
		rc = cache_load_docs(c);
		if (!rc)
			rc = cache_load_sizes(c);
		end_read(s);
		if (rc) {
			cache_clear(c);
			return NULL;
		}
		c->valid = true;
		c->dv = dv;
		c->changes = ch;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		c->loaded_at = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
		c->load_secs = c->loaded_at - now;
	}
	if (lists && !c->have_lists) {
		if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
			return NULL;
		rc = cache_load_list(c, SQL_C_VENDORS, &c->vendors, &c->vl, cmp_nocase);
		if (!rc)
			rc = cache_load_list(c, SQL_C_CWES, &c->cwes, &c->cl, cmp_bin);
		end_read(s);
		if (!rc && !(c->vgroup = malloc((c->vendors.n ? c->vendors.n : 1) * sizeof *c->vgroup)))
			rc = VD_ENOMEM;
		for (uint32_t i = 0; !rc && i < c->vendors.n; i++)
			c->vgroup[i] = i && sqlite3_stricmp(c->vendors.v[i - 1], c->vendors.v[i]) == 0 ? c->vgroup[i - 1] : i;
		if (rc) {
			cache_clear(c);
			return NULL;
		}
		c->have_lists = true;
		double t0 = c->loaded_at;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		c->loaded_at = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
		c->load_secs += c->loaded_at - (t0 > now ? t0 : now);
	}
	return c;
}

/* ---- fast path queries ---- */

static const char SQL_F_SCAN[] =
	"SELECT rowid, CASE WHEN vd_search_flag(?2) THEN vd_rank(search_fts, 10.0, 8.0, 3.0, 1.0, ?3) END"
	" FROM search_fts WHERE search_fts MATCH ?1";
static const char SQL_F_ROW[] =
	"SELECT d.docid, d.record_id, r.title_en, r.title_zh, d.published, d.grade, d.state, d.modified, d.score"
	" FROM search_docs d JOIN records r ON r.id = d.record_id WHERE d.docid = ?1";

static bool visible(const search_cache *c, sqlite3_int64 d, bool all)
{
	return d >= 0 && d < c->n && (c->flags[d] & DOC_PRESENT) && (all || (c->flags[d] & DOC_PUBLISHED));
}

static void facet_put(vd_facet *f, const char *v, uint64_t count)
{
	size_t n = strlen(v), max = sizeof f->v[0].value - 1;
	if (n > max) {   /* cut at a UTF-8 boundary */
		n = max;
		while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(f->v[f->n].value, v, n);
	f->v[f->n].value[n] = 0;
	f->v[f->n].count = count;
	f->n++;
}

/* Top VD_FACET_TOP of cnt[0..n) by count (descending), ties by before(). */
typedef bool (*tie_fn)(const search_cache *c, uint32_t a, uint32_t b, const uint32_t *aux);

static void facet_top(const search_cache *c, vd_facet *f, const uint64_t *cnt, uint32_t n, tie_fn before,
                      const uint32_t *aux, const strset *names, bool by_aux)
{
	uint32_t top[VD_FACET_TOP];
	int k = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (!cnt[i])
			continue;
		int j = k < VD_FACET_TOP ? k++ : VD_FACET_TOP;
		/* insertion: move worse ones down */
		while (j > 0 && (cnt[i] > cnt[top[j - 1]] || (cnt[i] == cnt[top[j - 1]] && before(c, i, top[j - 1], aux)))) {
			if (j < VD_FACET_TOP)
				top[j] = top[j - 1];
			j--;
		}
		if (j < VD_FACET_TOP)
			top[j] = i;
	}
	f->n = 0;
	for (int i = 0; i < k; i++)
		facet_put(f, names->v[by_aux ? aux[top[i]] : top[i]], cnt[top[i]]);
}

static bool tie_asc(const search_cache *c, uint32_t a, uint32_t b, const uint32_t *aux)
{
	(void)c;
	(void)aux;
	return a < b;
}

static bool tie_desc(const search_cache *c, uint32_t a, uint32_t b, const uint32_t *aux)
{
	(void)c;
	(void)aux;
	return a > b;
}

/* vendor groups: by the smallest spelling among the matches (binary) */
static bool tie_vendor(const search_cache *c, uint32_t a, uint32_t b, const uint32_t *aux)
{
	return strcmp(c->vendors.v[aux[a]], c->vendors.v[aux[b]]) < 0;
}

/* Page order of SQL_PAGE_RANK: rank, then published newest first, then docid. */
typedef struct {
	double rk;
	uint32_t pub;
	sqlite3_int64 docid;
} page_key;

static bool key_before(const page_key *a, const page_key *b)
{
	if (a->rk != b->rk)
		return a->rk < b->rk;
	if (a->pub != b->pub)
		return a->pub > b->pub;
	return a->docid > b->docid;
}

/* heap with the last (worst) kept key at the root */
static void heap_down(page_key *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < n && key_before(&h[w], &h[l]))
			w = l;
		if (r < n && key_before(&h[w], &h[r]))
			w = r;
		if (w == i)
			return;
		page_key t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

static int cmp_key(const void *a, const void *b)
{
	return key_before(a, b) ? -1 : key_before(b, a) ? 1 : 0;
}

/* 2 * index of p in pubs when present, else 2 * (its insertion point) - 1:
 * comparable with the doubled indexes of c->pub. */
static uint32_t pub_ord(const search_cache *c, const char *p)
{
	uint32_t lo = 0, hi = c->pubs.n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (strcmp(c->pubs.v[mid], p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->pubs.n && strcmp(c->pubs.v[lo], p) == 0)
		return 2 * lo;
	return 2 * lo - 1;   /* lo > 0: the caller handles a date below every stored one */
}

/* One walk of the matches: the total, (when f) the four facets, and (when
 * rank) the keys of the ranked page, rows offset .. offset + want - 1 in
 * *keys (caller frees; NULL when not ranked).  vd_rank is computed only
 * when ranking (vd_search_flag() reads the flag per row). */
static int fast_scan(search_cache *c, const parsed *pq, bool all, vd_facet *f, int rank, int offset, int want,
                     uint64_t *total, page_key **keys, int *got)
{
	vd_sqlite *s = c->s;
	uint64_t *cg = NULL, *cy = NULL, *cv = NULL, *cc = NULL;
	uint32_t *vstamp = NULL, *vmin = NULL;
	size_t k = (size_t)offset + (size_t)want, nh = 0;
	page_key *h = rank ? malloc(k * sizeof *h) : NULL;
	*keys = NULL;
	*got = 0;
	if (f) {
		cg = calloc((size_t)c->grades.n + 1, sizeof *cg);
		cy = calloc((size_t)c->years.n + 1, sizeof *cy);
		cv = calloc((size_t)c->vendors.n + 1, sizeof *cv);
		cc = calloc((size_t)c->cwes.n + 1, sizeof *cc);
		vstamp = calloc((size_t)c->vendors.n + 1, sizeof *vstamp);
		vmin = malloc(((size_t)c->vendors.n + 1) * sizeof *vmin);
	}
	int rc = VD_OK, flag = rank != 0;
	sqlite3_stmt *q;
	if ((f && (!cg || !cy || !cv || !cc || !vstamp || !vmin)) || (rank && !h))
		rc = vd_error_set(VD_ENOMEM, "search: out of memory for the page or the facets");
	page_key after = {0, 0, 0};
	if (rank && pq->has_cursor) {
		after.rk = pq->c_rank;
		after.docid = pq->c_docid;
		/* a cursor date below every stored one ('' is the least, so only
		 * when no record lacks a date): no stored date is below or equal
		 * to it; UINT32_MAX marks that */
		bool below = c->pubs.n == 0 || strcmp(pq->c_pub, c->pubs.v[0]) < 0;
		after.pub = below ? UINT32_MAX : pub_ord(c, pq->c_pub);
	}
	if (!rc && !(rc = vd_sq_prep(s, SQL_F_SCAN, &q))) {
		sqlite3_bind_text(q, 1, pq->match.data, (int)pq->match.len, SQLITE_STATIC);
		sqlite3_bind_pointer(q, 2, &flag, "vd_search_flag", NULL);
		sqlite3_bind_pointer(q, 3, &c->sizes, VD_RANK_SIZES_TYPE, NULL);
		uint64_t n = 0;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			sqlite3_int64 d = sqlite3_column_int64(q, 0);
			if (!visible(c, d, all))
				continue;
			n++;
			if (f) {
				if (c->grade[d])
					cg[c->grade[d] - 1]++;
				if (c->year[d])
					cy[c->year[d] - 1]++;
				for (uint32_t i = c->vl.off[d]; i < c->vl.off[d + 1]; i++) {
					uint32_t sp = c->vl.ids[i], g = c->vgroup[sp];
					if (vstamp[g] != (uint32_t)d + 1) {   /* distinct records per group */
						if (!cv[g] || sp < vmin[g])
							vmin[g] = sp;
						cv[g]++;
						vstamp[g] = (uint32_t)d + 1;
					} else if (sp < vmin[g]) {
						vmin[g] = sp;
					}
				}
				for (uint32_t i = c->cl.off[d]; i < c->cl.off[d + 1]; i++)
					cc[c->cl.ids[i]]++;
			}
			if (!flag)
				continue;
			page_key key = {sqlite3_column_double(q, 1), c->pub[d], d};
			if (pq->has_cursor) {
				/* rk > c_rank OR (rk = c_rank AND (pub < c_pub OR (pub = c_pub AND docid < c_docid))) */
				bool ok = key.rk > after.rk;
				if (!ok && key.rk == after.rk && after.pub != UINT32_MAX)
					ok = key.pub < after.pub || (key.pub == after.pub && key.docid < after.docid);
				if (!ok)
					continue;
			}
			if (nh < k) {
				h[nh++] = key;
				if (nh == k)   /* make the heap */
					for (size_t i = k / 2; i-- > 0;)
						heap_down(h, k, i);
			} else if (key_before(&key, &h[0])) {
				h[0] = key;
				heap_down(h, k, 0);
			}
		}
		rc = vd_sq_done(s, q, rc, "search");
		*total = n;
	}
	if (!rc && f) {
		facet_top(c, &f[VD_FACET_GRADE], cg, c->grades.n, tie_asc, NULL, &c->grades, false);
		facet_top(c, &f[VD_FACET_YEAR], cy, c->years.n, tie_desc, NULL, &c->years, false);
		facet_top(c, &f[VD_FACET_VENDOR], cv, c->vendors.n, tie_vendor, vmin, &c->vendors, true);
		facet_top(c, &f[VD_FACET_CWE], cc, c->cwes.n, tie_asc, NULL, &c->cwes, false);
	}
	free(cg);
	free(cy);
	free(cv);
	free(cc);
	free(vstamp);
	free(vmin);
	if (rc || !flag) {
		free(h);
		return rc;
	}
	if (nh)
		qsort(h, nh, sizeof *h, cmp_key);
	if (nh > (size_t)offset) {
		memmove(h, h + offset, (nh - (size_t)offset) * sizeof *h);
		*got = (int)(nh - (size_t)offset);
	}
	*keys = h;   /* possibly empty, but not NULL: ranked */
	return VD_OK;
}

/* One hit of a page: q's row (columns of SQL_F_ROW / OUTER) with its rank. */
typedef struct {
	vd_sqlite *s;
	const parsed *pq;
	sqlite3_stmt *sq;   /* snippets, or NULL */
	bool given;         /* snippets computed beforehand: use snip */
	const char *snip;
	char mode;
	vd_search_result *res;
	int (*cb)(void *ctx, const vd_search_hit *h);
	void *ctx;
} deliver_ctx;

static int deliver(deliver_ctx *dc, sqlite3_stmt *q, double rank)
{
	const char *snip = dc->given ? dc->snip : NULL;
	if (dc->sq && !dc->given) {
		sqlite3_bind_text(dc->sq, 1, dc->pq->match.data, (int)dc->pq->match.len, SQLITE_STATIC);
		sqlite3_bind_int64(dc->sq, 2, sqlite3_column_int64(q, 0));
		if (sqlite3_step(dc->sq) == SQLITE_ROW)
			snip = (const char *)sqlite3_column_text(dc->sq, 0);
	}
	vd_search_hit h = {
		.id = (const char *)sqlite3_column_text(q, 1),
		.title_en = (const char *)sqlite3_column_text(q, 2),
		.title_zh = (const char *)sqlite3_column_text(q, 3),
		.published = (const char *)sqlite3_column_text(q, 4),
		.grade = (const char *)sqlite3_column_text(q, 5),
		.state = (const char *)sqlite3_column_text(q, 6),
		.modified = (const char *)sqlite3_column_text(q, 7),
		.score = sqlite3_column_type(q, 8) == SQLITE_NULL ? -1 : sqlite3_column_double(q, 8),
		.rank = rank,
		.snippet = snip,
	};
	if (h.published && !*h.published)
		h.published = NULL;
	if (dc->res) {   /* the cursor of this hit, used if a next row follows */
		char pd[32];
		vd_search_result *res = dc->res;
		pub_digits(h.published, pd, sizeof pd);
		if (dc->mode == 'r')
			snprintf(res->next_cursor, sizeof res->next_cursor, "r~%.17g~%s~%lld", h.rank, pd,
			         (long long)sqlite3_column_int64(q, 0));
		else if (dc->mode == 'i')
			snprintf(res->next_cursor, sizeof res->next_cursor, "i~%lld", (long long)sqlite3_column_int64(q, 0));
		else
			snprintf(res->next_cursor, sizeof res->next_cursor, "d~%s~%lld", pd,
			         (long long)sqlite3_column_int64(q, 0));
	}
	int ret = dc->cb ? dc->cb(dc->ctx, &h) : 0;
	if (dc->sq && !dc->given)
		vd_sq_done(dc->s, dc->sq, SQLITE_DONE, "search: snippet");
	return ret;
}

/* No filter but visibility: what the fast path answers. */
static bool only_text(const vd_search_query *qy, const parsed *pq)
{
	return pq->match.len && !pq->nlit && !nz_filter(qy->state) && !nz_filter(qy->severity) && qy->score_min <= 0 &&
	       qy->score_max <= 0 && !nz_filter(qy->cwe) && !nz_filter(qy->class_code) && !nz_filter(qy->vendor) &&
	       !nz_filter(qy->product) && !nz_filter(qy->library) && !nz_filter(qy->source) &&
	       !nz_filter(qy->published_from) && !nz_filter(qy->published_to) && !nz_filter(qy->modified_from) &&
	       !nz_filter(qy->modified_to);
}

/* Snippets of a page in one FTS5 query: SQL_SNIPPET once per hit would
 * evaluate the expression once per hit (for a prefix word, FTS5 merges the
 * doclists of every term with that prefix each time).  The same snippet()
 * call on the same rows, so the same text. */
#define SNIPPET_BATCH 200
static const char SQL_F_SNIPS[] =
	"SELECT rowid, snippet(search_fts, -1, char(2), char(3), '…', 24) FROM search_fts"
	" WHERE search_fts MATCH ?1 AND rowid >= ?2 AND rowid <= ?3 AND instr(?4, ',' || rowid || ',') > 0";

static int page_snippets(vd_sqlite *s, const parsed *pq, const page_key *keys, int n, char ***out)
{
	char **sn = calloc((size_t)n, sizeof *sn);
	vd_buf list;
	vd_buf_init(&list, (size_t)n * 24 + 8);
	int rc = sn ? vd_buf_addc(&list, ',') : vd_error_set(VD_ENOMEM, "search: out of memory for snippets");
	sqlite3_int64 lo = INT64_MAX, hi = INT64_MIN;
	for (int i = 0; !rc && i < n; i++) {
		char num[32];
		int len = snprintf(num, sizeof num, "%lld,", (long long)keys[i].docid);
		rc = vd_buf_add(&list, num, (size_t)len);
		lo = keys[i].docid < lo ? keys[i].docid : lo;
		hi = keys[i].docid > hi ? keys[i].docid : hi;
	}
	sqlite3_stmt *q;
	if (!rc && !(rc = vd_sq_prep(s, SQL_F_SNIPS, &q))) {
		sqlite3_bind_text(q, 1, pq->match.data, (int)pq->match.len, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, lo);
		sqlite3_bind_int64(q, 3, hi);
		sqlite3_bind_text(q, 4, list.data, (int)list.len, SQLITE_STATIC);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			sqlite3_int64 d = sqlite3_column_int64(q, 0);
			const char *t = (const char *)sqlite3_column_text(q, 1);
			for (int i = 0; t && i < n; i++)
				if (keys[i].docid == d && !sn[i] && !(sn[i] = strdup(t))) {
					rc = SQLITE_NOMEM;
					break;
				}
			if (rc == SQLITE_NOMEM)
				break;
		}
		rc = vd_sq_done(s, q, rc, "search: snippets");
	}
	vd_buf_free(&list);
	if (rc) {
		for (int i = 0; sn && i < n; i++)
			free(sn[i]);
		free(sn);
		return rc;
	}
	*out = sn;
	return VD_OK;
}

/* The ranked page through the cache: keys from fast_rank, rows by docid. */
static int fast_page(vd_sqlite *s, const vd_search_query *qy, const parsed *pq, page_key *keys, int got, int limit,
                     int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, vd_search_result *res, int *ret)
{
	sqlite3_stmt *q, *sq = NULL;
	int rc = vd_sq_prep(s, SQL_F_ROW, &q);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: search called from its own callback");
	int npage = got < limit ? got : limit;
	char **snips = NULL;
	if (qy->snippets && npage > 0 && npage <= SNIPPET_BATCH) {
		if ((rc = page_snippets(s, pq, keys, npage, &snips)))
			return rc;
	} else if (qy->snippets && (rc = vd_sq_prep(s, SQL_SNIPPET, &sq))) {
		return rc;
	}
	deliver_ctx dc = {s, pq, sq, snips != NULL, NULL, 'r', res, cb, ctx};
	*ret = VD_OK;
	bool more = false;
	for (int i = 0; i < got && !rc && !*ret; i++) {
		if (i == limit) {   /* the extra row: the page before it was full */
			more = true;
			break;
		}
		sqlite3_bind_int64(q, 1, keys[i].docid);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			dc.snip = snips ? snips[i] : NULL;
			*ret = deliver(&dc, q, keys[i].rk);
			rc = SQLITE_DONE;
		}
		rc = vd_sq_done(s, q, rc, "search: page row");
	}
	for (int i = 0; snips && i < npage; i++)
		free(snips[i]);
	free(snips);
	if (res && !(more && !*ret))
		res->next_cursor[0] = 0;
	return rc;
}

/* by_date: the old search op's order (newest first) even with text. */
static int search_impl(vd_sqlite *s, const vd_search_query *qy, bool by_date,
                       int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, vd_search_result *res)
{
	static const vd_search_query none = {0};
	if (!qy)
		qy = &none;
	if (res)
		memset(res, 0, sizeof *res);
	if (qy->score_min < 0 || qy->score_max < 0 || qy->score_min > 10 || qy->score_max > 10 ||
	    (qy->score_max > 0 && qy->score_min > qy->score_max))
		return vd_error_set(VD_EINVAL, "search: score range must lie in 0..10 with min <= max");
	int limit = qy->limit <= 0 ? SEARCH_LIMIT_DEFAULT : qy->limit;
	if (limit > SEARCH_LIMIT_MAX)
		limit = SEARCH_LIMIT_MAX;
	int offset = qy->offset < 0 ? 0 : qy->offset;

	page_key *keys = NULL;   /* the ranked page of the fast path */
	int nkeys = 0;
	parsed pq;
	memset(&pq, 0, sizeof pq);
	vd_buf_init(&pq.match, 8 * SEARCH_TEXT_MAX);
	for (int i = 0; i < SEARCH_LITERALS; i++)
		vd_buf_init(&pq.lit[i], 4 * SEARCH_TEXT_MAX);
	int rc = parse_text(qy->text, &pq), ret = VD_OK;
	bool fts = pq.match.len > 0, has_cursor = qy->cursor && *qy->cursor;
	if (rc)
		goto out;
	sqlite3_stmt *q;
	uint64_t total = 0;
	/* the fast path (see search_cache) when only visibility filters */
	search_cache *cache = fts && !by_date && only_text(qy, &pq) && !getenv("VD_SEARCH_NOCACHE")
	                      ? cache_get(s, res && qy->facets) : NULL;
	bool facets_done = false;
	if (cache) {
		/* one walk: total, facets, and the ranked page (a cursor, parsed
		 * again below, tells its order before the walk) */
		char cm = has_cursor ? (qy->cursor[0] == 'i' ? 'i' : 'r') : 0;
		bool page = (cb || res) && (size_t)(has_cursor ? 0 : offset) + (size_t)limit < 50000;   /* deeper: SQL */
		int off = has_cursor ? 0 : offset;
		if (has_cursor && (rc = parse_cursor(qy->cursor, cm, &pq)))
			goto out;
		/* a ranked cursor: rank in the same walk; else count first (ranking
		 * every match of a common word would cost more than the walk) */
		if ((rc = fast_scan(cache, &pq, qy->include_unpublished, res && qy->facets ? res->facets : NULL,
		                    page && cm == 'r' ? 2 : 0, off, limit + 1, &total, &keys, &nkeys)))
			goto out;
		facets_done = true;
		uint64_t again;
		if (page && !cm && total > 0 && total <= SEARCH_RANK_MAX &&
		    (rc = fast_scan(cache, &pq, qy->include_unpublished, NULL, 2, off, limit + 1, &again, &keys, &nkeys)))
			goto out;
	} else if (res || (fts && !by_date && !has_cursor)) {
		if ((rc = vd_sq_prep(s, fts ? SQL_COUNT_TEXT : SQL_COUNT_ALL, &q)))
			goto out;
		bind_filters(q, qy, &pq);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			total = (uint64_t)sqlite3_column_int64(q, 0);
		if ((rc = vd_sq_done(s, q, rc, "search: count")))
			goto out;
	}
	/* Ranked, unless the old op asks by date (newest first), or the words
	 * are so common that ranking or sorting every match would cost more than
	 * it tells: then the most recently indexed matches first, which FTS5
	 * walks in docid order and stops after one page.  A cursor carries the
	 * order of the pages before it. */
	char mode = !fts || by_date ? 'd' : has_cursor ? (qy->cursor[0] == 'i' ? 'i' : 'r')
	                                               : total <= SEARCH_RANK_MAX ? 'r' : 'i';
	bool ranked = mode == 'r';
	if ((rc = parse_cursor(qy->cursor, mode, &pq)))
		goto out;
	if (pq.has_cursor)
		offset = 0;
	const char *sql = mode == 'r' ? SQL_PAGE_RANK : mode == 'i' ? SQL_PAGE_TEXT_ID
	                : fts ? SQL_PAGE_TEXT_DATE : SQL_PAGE_ALL;
	if (res) {
		res->total = total;
		for (int k = 0; qy->facets && !facets_done && k < VD_FACET_COUNT_; k++)
			if ((rc = run_facet(s, facet_sql[k][fts], qy, &pq, &res->facets[k])))
				goto out;
	}
	if (!cb && !res)
		goto out;
	if (keys && ranked) {
		rc = fast_page(s, qy, &pq, keys, nkeys, limit, cb, ctx, res, &ret);
		goto out;
	}
	if ((rc = vd_sq_prep(s, sql, &q)))
		goto out;
	if (sqlite3_stmt_busy(q)) {
		rc = vd_error_set(VD_EINVAL, "store: search called from its own callback");
		goto out;
	}
	bind_filters(q, qy, &pq);
	if (pq.has_cursor) {
		if (ranked)
			sqlite3_bind_double(q, 17, pq.c_rank);
		sqlite3_bind_text(q, 18, pq.c_pub, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 20, pq.c_docid);
	} else if (mode == 'i') {
		sqlite3_bind_int64(q, 20, INT64_MAX);   /* a plain bound FTS5 can use */
	}
	sqlite3_bind_int(q, 21, limit + 1);   /* one more: is there a next page? */
	sqlite3_bind_int(q, 22, offset);
	int n = 0;
	bool more = false;
	sqlite3_stmt *sq = NULL;
	if (qy->snippets && fts && (rc = vd_sq_prep(s, SQL_SNIPPET, &sq))) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		goto out;
	}
	deliver_ctx dc = {s, &pq, sq, false, NULL, mode, res, cb, ctx};
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == limit) {   /* the extra row: the page before it was full */
			more = true;
			rc = SQLITE_DONE;
			break;
		}
		n++;
		if ((ret = deliver(&dc, q, sqlite3_column_double(q, 9)))) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (res && !(more && !ret))
		res->next_cursor[0] = 0;   /* no row after the page: no next page */
	rc = vd_sq_done(s, q, rc, "search");
out:
	free(keys);
	vd_buf_free(&pq.match);
	for (int i = 0; i < SEARCH_LITERALS; i++)
		vd_buf_free(&pq.lit[i]);
	return ret ? ret : rc;
}

int vd_sq_search_ex(vd_store *st, const vd_search_query *q,
                    int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, vd_search_result *res)
{
	int rc = vd_sq_search_flush((vd_sqlite *)st);   /* see this transaction's own writes */
	return rc ? rc : search_impl((vd_sqlite *)st, q, false, cb, ctx, res);
}

int vd_sq_search(vd_store *st, const vd_search_query *q,
                 int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total)
{
	vd_search_result res;
	if (total)
		*total = 0;
	int rc = search_impl((vd_sqlite *)st, q, true, cb, ctx, total ? &res : NULL);
	if (total && rc == VD_OK)
		*total = res.total;
	return rc;
}

/* ---- check ---- */

static const char SQL_CK_TABLE[] =
	"SELECT count(*) FROM sqlite_master WHERE name IN ('search_docs', 'search_fts')";
static const char SQL_CK_FTS[] = "INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 1)";
static const char SQL_CK_MISSING[] =
	"SELECT r.id FROM records r WHERE NOT EXISTS(SELECT 1 FROM search_docs d WHERE d.record_id = r.id)";
static const char SQL_CK_NOTEXT[] =
	"SELECT d.record_id FROM search_docs d WHERE NOT EXISTS(SELECT 1 FROM search_fts f WHERE f.rowid = d.docid)";
static const char SQL_CK_ORPHAN[] =
	"SELECT f.rowid FROM search_fts f WHERE NOT EXISTS(SELECT 1 FROM search_docs d WHERE d.docid = f.rowid)";
static const char SQL_CK_ROWS[] =
	"SELECT r.id, vd_doc(r.doc), d.state, nullif(d.published, ''), d.modified, d.grade, d.score, d.class_code,"
	" d.library, f.ids, f.title, f.body, f.other"
	" FROM search_docs d JOIN records r ON r.id = d.record_id JOIN search_fts f ON f.rowid = d.docid";

typedef struct {
	vd_check_cb cb;
	void *ctx;
	uint64_t *problems;
} ck;

static void ck_report(ck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ck_report(ck *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	(*c->problems)++;
	if (c->cb)
		c->cb(c->ctx, msg);
}

static bool same_text(const char *a, const vd_buf *b)
{
	if (!b->len)
		return a == NULL;
	return a && strlen(a) == b->len && memcmp(a, b->data, b->len) == 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Row-by-row comparison of the index with the text rebuilt from each doc. */
static int check_rows(vd_sqlite *s, ck *c)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_CK_ROWS, &q), ret = VD_OK;
	if (rc)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		const char *doc = (const char *)sqlite3_column_text(q, 1);
		vd_record *r = NULL;
		if (!doc || vd_record_from_json(doc, (size_t)sqlite3_column_bytes(q, 1), &r) != VD_OK)
			continue;   /* the core check reports undecodable docs */
		double sc = best_score(r);
		bool cols_ok = same_str((const char *)sqlite3_column_text(q, 2), vd_state_name(r->state)) &&
		               same_str((const char *)sqlite3_column_text(q, 3), r->published) &&
		               same_str((const char *)sqlite3_column_text(q, 4), r->modified) &&
		               same_str((const char *)sqlite3_column_text(q, 5), r->grade) &&
		               (sqlite3_column_type(q, 6) == SQLITE_NULL ? sc < 0 : sqlite3_column_double(q, 6) == sc) &&
		               same_str((const char *)sqlite3_column_text(q, 7), r->class_code) &&
		               same_str((const char *)sqlite3_column_text(q, 8), r->library);
		if (!cols_ok)
			ck_report(c, "record %s: search filter columns do not match its document", id);
		vd_buf col[NCOL];
		if ((ret = build_text(r, col)) == VD_OK) {
			static const char *const names[NCOL] = {"ids", "title", "body", "other"};
			for (int i = 0; i < NCOL; i++)
				if (!same_text((const char *)sqlite3_column_text(q, 9 + i), &col[i]))
					ck_report(c, "record %s: search index text (%s) does not match its document", id,
					          names[i]);
		}
		free_text(col);
		vd_record_free(r);
		if (ret)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "check: search rows");
	return ret ? ret : rc;
}

/* Report each row of a one-column query as a problem (at most
 * CHECK_REPORT_MAX one by one, then a count). */
static int check_list(vd_sqlite *s, ck *c, const char *sql, const char *fmt)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, sql, &q);
	if (rc)
		return rc;
	uint64_t n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n++ < CHECK_REPORT_MAX) {
			char msg[300];
			snprintf(msg, sizeof msg, fmt, (const char *)sqlite3_column_text(q, 0));
			ck_report(c, "%s", msg);
		}
	}
	if (n > CHECK_REPORT_MAX)
		ck_report(c, "... and %llu more like the above", (unsigned long long)(n - CHECK_REPORT_MAX));
	return vd_sq_done(s, q, rc, "check: search index");
}

int vd_sq_search_check(vd_sqlite *s, vd_check_cb cb, void *ctx, uint64_t *problems)
{
	ck c = {cb, ctx, problems};
	sqlite3_stmt *q;
	int rc = vd_sq_search_flush(s);
	if (rc)
		return rc;
	rc = vd_sq_prep(s, SQL_CK_TABLE, &q);
	if (rc)
		return rc;
	rc = sqlite3_step(q);
	int have = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	if ((rc = vd_sq_done(s, q, rc, "check: search tables")))
		return rc;
	if (have != 2)
		return VD_OK;   /* older schema: the version check reports it */
	if ((rc = vd_sq_prep(s, SQL_CK_FTS, &q)))
		return rc;
	rc = sqlite3_step(q);
	if (rc != SQLITE_DONE) {
		ck_report(&c, "search index: FTS5 integrity check failed: %s (the index must be rebuilt from the records)",
		          sqlite3_errmsg(s->db));
		rc = SQLITE_DONE;
	}
	sqlite3_reset(q);
	if ((rc = check_list(s, &c, SQL_CK_MISSING, "record %s: missing from the search index")) ||
	    (rc = check_list(s, &c, SQL_CK_NOTEXT, "record %s: search index row without text")) ||
	    (rc = check_list(s, &c, SQL_CK_ORPHAN, "search index: text row %s belongs to no record")))
		return rc;
	return check_rows(s, &c);
}
