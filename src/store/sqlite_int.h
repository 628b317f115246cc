/* src/store/sqlite_int.h — internal to the SQLite backend: the handle and
 * the helpers that the backend's files share.  sqlite.c holds the core
 * (open, migrations, records, sources, check); further areas live in their
 * own sqlite_<area>.c files and prepare their statements with vd_sq_prep(),
 * which caches by the address of the SQL string: declare each statement as
 * `static const char SQL_X[] = "...";` and pass SQL_X.
 */
#ifndef VD_STORE_SQLITE_INT_H
#define VD_STORE_SQLITE_INT_H
#include "vulnd/store.h"
#include <sqlite3.h>
#include <stdbool.h>

#define VD_SQ_CORE_STMTS  48   /* statements of sqlite.c (enum in sqlite.c) */
#define VD_SQ_EXTRA_STMTS 192  /* statements of the other files, cached by SQL address */

typedef struct vd_sq_zip vd_sq_zip;

typedef struct {
	vd_store base;               /* must be first */
	sqlite3 *db;
	bool memory;                 /* in-memory / temporary database */
	sqlite3_stmt *st[VD_SQ_CORE_STMTS];
	const char *xsql[VD_SQ_EXTRA_STMTS];
	sqlite3_stmt *xst[VD_SQ_EXTRA_STMTS];
	char *src_copy;              /* strings handed out by source_get */
	bool failed;                 /* a write failed part-way in the caller's transaction */
	bool search_pending;         /* full-text rows staged in temp.search_pending */
	char failed_msg[256];        /* ... with this message */
	vd_sq_zip *zip;              /* document compression (sqlite_doc.c) */
	struct vd_search_cache *search_cache;   /* the search fast path's memory (sqlite_search.c) */
	struct vd_sq_ckpt *ckpt;     /* bulk mode's checkpoint thread (sqlite.c), NULL when off */
} vd_sqlite;

/* Prepare (once) and return a cached statement for sql (keyed by address). */
int vd_sq_prep(vd_sqlite *s, const char *sql, sqlite3_stmt **out);
/* Record a SQLite failure as a VD_E* code with "sqlite: what: message". */
int vd_sq_fail(vd_sqlite *s, int rc, const char *what);
/* Reset + clear a statement after use; rc is the last sqlite3_step result. */
int vd_sq_done(vd_sqlite *s, sqlite3_stmt *st, int rc, const char *what);
/* Bind text or NULL (SQLITE_STATIC: the string must outlive the step). */
int vd_sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Make one write atomic: its own transaction outside a caller's, else
 * marks the caller's transaction failed on error (see sqlite.c). */
int vd_sq_op_begin(vd_sqlite *s, bool *own);
int vd_sq_op_end(vd_sqlite *s, bool own, int ret);

/* ---- stored documents (sqlite_doc.c) ---- */
/* Set up compression and register vd_doc() on the connection. */
int vd_sq_zip_open(vd_sqlite *s);
void vd_sq_zip_close(vd_sqlite *s);
/* doc as it is to be stored: *out (n bytes) points into a buffer of the
 * connection, valid until its next compress or decompress. */
int vd_sq_zip_compress(vd_sqlite *s, const char *doc, size_t n, const void **out, size_t *out_n);
/* The JSON text of a stored document (compressed or not): *text points
 * into blob or into the connection's buffer (NUL-terminated), valid until
 * the next compress or decompress. */
int vd_sq_zip_text(vd_sqlite *s, const void *blob, size_t n, const char **text, size_t *len);
/* After an explicit COMMIT / any rollback of the connection. */
void vd_sq_zip_committed(vd_sqlite *s);
void vd_sq_zip_rolled_back(vd_sqlite *s);

#endif
