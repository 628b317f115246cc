/* src/store/search_int.h — internal to the SQLite backend: full-text search
 * (issue 10).  fts_tokenizer.c holds the "vd" FTS5 tokenizer, sqlite_search.c
 * the index maintenance and the search statements.  See docs/search.md.
 */
#ifndef VD_STORE_SEARCH_INT_H
#define VD_STORE_SEARCH_INT_H
#include "sqlite_int.h"
#include <stdbool.h>
#include <stdint.h>

/* ---- tokenizer (fts_tokenizer.c) ---- */

/* Token flags passed to the callback: VD_TOK_COLOCATED marks a token at the
 * same position as the previous one (FTS5_TOKEN_COLOCATED). */
#define VD_TOK_COLOCATED 1
/* Longest token emitted (bytes); longer words are cut to this. */
#define VD_TOK_MAX 128

/* Called for each token: tok (n bytes, not NUL-terminated, valid during the
 * call) covers bytes [start, end) of the input.  Non-zero return stops the
 * walk and is returned by vd_fts_tokenize. */
typedef int (*vd_fts_token_cb)(void *ctx, int flags, const char *tok, int n, int start, int end);

/* Tokenize n bytes of text by the vd rules (docs/search.md): Latin and
 * digit words case- and diacritic-folded, full-width ASCII folded, CJK runs
 * as bigrams with each character colocated (document mode) or as bigrams
 * only (query mode; a one-character run gives the character).  Invalid
 * UTF-8 bytes are separators.  No allocation. */
int vd_fts_tokenize(const char *text, int n, bool query, vd_fts_token_cb cb, void *ctx);

/* Column sizes in tokens known beforehand (sqlite_search.c keeps them in
 * memory): passed to vd_rank() as a last argument bound with
 * sqlite3_bind_pointer(..., VD_RANK_SIZES_TYPE, ...), so that ranking does
 * not read the FTS5 docsize row of every match.  sz[docid * ncol + c];
 * rows at or beyond n are read from FTS5 as usual. */
typedef struct {
	const uint32_t *sz;
	int64_t n;
	int ncol;
} vd_rank_sizes;
#define VD_RANK_SIZES_TYPE "vd_rank_sizes"

/* Register the tokenizer as "vd" on db (through fts5_api). */
int vd_fts_register(sqlite3 *db);

/* ---- search (sqlite_search.c) ---- */

/* On a fresh connection: register the tokenizer and the SQL function
 * vd_search_rebuild() (used by the migration that creates the index). */
int vd_sq_search_attach(vd_sqlite *s);
/* Inside record_put's transaction, after the records row is written:
 * (re)index r.  Records are removed from the index by the FK cascade on
 * search_docs and its trigger (same statement as the delete). */
int vd_sq_search_put(vd_sqlite *s, const vd_record *r);
/* Write the staged full-text rows (vd_sq_search_put stages them in a temp
 * table so that the FTS5 table joins the transaction once, at its end,
 * instead of being flushed by every later statement's savepoint).  Called
 * before every commit, before searching and before deleting records. */
int vd_sq_search_flush(vd_sqlite *s);
/* A rollback discarded the staged rows with everything else. */
void vd_sq_search_rolled_back(vd_sqlite *s);
/* Rebuild the whole index from the records table (caller's transaction or
 * its own). */
int vd_sq_search_rebuild(vd_store *st);
/* The search op (vd_store_ops.search_ex) and the old one on top of it. */
int vd_sq_search_ex(vd_store *st, const vd_search_query *q,
                    int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, vd_search_result *res);
int vd_sq_search(vd_store *st, const vd_search_query *q,
                 int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total);
/* Check the index against the records: problems go to cb and are counted
 * in *problems.  Returns a storage error only. */
int vd_sq_search_check(vd_sqlite *s, vd_check_cb cb, void *ctx, uint64_t *problems);

#endif
