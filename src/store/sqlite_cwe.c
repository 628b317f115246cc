/* src/store/sqlite_cwe.c — the CWE catalogue area of the SQLite backend.
 *
 * Tables (schema_sqlite.h, the CWE migration):
 *   cwe(id INTEGER PK, name, abstraction, status, description, parents)
 *       One row per catalogue entry; parents is the ordered ChildOf list as
 *       text ("74,20"), the truth for cwe_get.
 *   cwe_parent(cwe → cwe ON DELETE CASCADE, parent, ord) PK(cwe, parent)
 *       The same list as rows, indexed by parent for children lookups.
 * cwe_put replaces both in one transaction (its own outside a caller's).
 */
#include "vulnd/store.h"
#include "vulnd/cwe.h"
#include "vulnd/error.h"
#include "sqlite_int.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vd_sqlite *H(vd_store *s) { return (vd_sqlite *)s; }

static const char SQL_CWE_UPSERT[] =
	"INSERT INTO cwe(id, name, abstraction, status, description, parents) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT(id) DO UPDATE SET name = excluded.name, abstraction = excluded.abstraction,"
	" status = excluded.status, description = excluded.description, parents = excluded.parents";
static const char SQL_CWE_PDEL[] = "DELETE FROM cwe_parent WHERE cwe = ?1";
static const char SQL_CWE_PINS[] = "INSERT OR IGNORE INTO cwe_parent(cwe, parent, ord) VALUES(?1, ?2, ?3)";
static const char SQL_CWE_GET[] =
	"SELECT name, abstraction, status, description, parents FROM cwe WHERE id = ?1";
static const char SQL_CWE_PARENTS[] = "SELECT parent FROM cwe_parent WHERE cwe = ?1 ORDER BY ord";
static const char SQL_CWE_CHILDREN[] = "SELECT cwe FROM cwe_parent WHERE parent = ?1 ORDER BY cwe";
static const char SQL_CWE_COUNT[] = "SELECT count(*) FROM cwe";

static int put_rows(vd_sqlite *s, const vd_cwe *w)
{
	char parents[VD_CWE_MAX_PARENTS * 12 + 1] = "";
	size_t off = 0, np = w->n_parents > VD_CWE_MAX_PARENTS ? VD_CWE_MAX_PARENTS : w->n_parents;
	for (size_t i = 0; i < np; i++)
		off += (size_t)snprintf(parents + off, sizeof parents - off, "%s%d", i ? "," : "", w->parents[i]);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_CWE_UPSERT, &q);
	if (rc)
		return rc;
	sqlite3_bind_int(q, 1, w->id);
	vd_sq_bind_text(q, 2, w->name);
	vd_sq_bind_text(q, 3, w->abstraction);
	vd_sq_bind_text(q, 4, w->status);
	vd_sq_bind_text(q, 5, w->description);
	vd_sq_bind_text(q, 6, parents);
	if ((rc = vd_sq_done(s, q, sqlite3_step(q), "cwe: writing an entry")))
		return rc;
	if ((rc = vd_sq_prep(s, SQL_CWE_PDEL, &q)))
		return rc;
	sqlite3_bind_int(q, 1, w->id);
	if ((rc = vd_sq_done(s, q, sqlite3_step(q), "cwe: clearing parents")))
		return rc;
	if ((rc = vd_sq_prep(s, SQL_CWE_PINS, &q)))
		return rc;
	for (size_t i = 0; i < np && !rc; i++) {
		sqlite3_bind_int(q, 1, w->id);
		sqlite3_bind_int(q, 2, w->parents[i]);
		sqlite3_bind_int(q, 3, (int)i);
		rc = vd_sq_done(s, q, sqlite3_step(q), "cwe: writing a parent");
	}
	return rc;
}

int vd_sq_cwe_put(vd_store *st, const vd_cwe *w)
{
	vd_sqlite *s = H(st);
	if (!w || w->id <= 0)
		return vd_error_set(VD_EINVAL, "store: cwe_put needs an entry with a positive id");
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	return vd_sq_op_end(s, own, put_rows(s, w));
}

static char *dupcol(sqlite3_stmt *q, int i, bool *fail)
{
	const char *v = (const char *)sqlite3_column_text(q, i);
	if (!v)
		return NULL;
	char *d = strdup(v);
	if (!d)
		*fail = true;
	return d;
}

int vd_sq_cwe_get(vd_store *st, int id, vd_cwe **out)
{
	vd_sqlite *s = H(st);
	*out = NULL;
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_CWE_GET, &q);
	if (rc)
		return rc;
	sqlite3_bind_int(q, 1, id);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		int r = vd_sq_done(s, q, rc, "cwe: reading an entry");
		return r ? r : vd_error_set(VD_ENOTFOUND, "CWE-%d is not in the catalogue", id);
	}
	bool fail = false;
	vd_cwe *w = calloc(1, sizeof *w);
	if (w) {
		w->id = id;
		w->name = dupcol(q, 0, &fail);
		w->abstraction = dupcol(q, 1, &fail);
		w->status = dupcol(q, 2, &fail);
		w->description = dupcol(q, 3, &fail);
		const char *p = (const char *)sqlite3_column_text(q, 4);
		if (p && *p && !fail) {
			w->parents = calloc(VD_CWE_MAX_PARENTS, sizeof *w->parents);
			fail = !w->parents;
			while (!fail && *p && w->n_parents < VD_CWE_MAX_PARENTS) {
				char *e;
				long v = strtol(p, &e, 10);
				if (e == p)
					break;
				if (v > 0 && v < 10000000)
					w->parents[w->n_parents++] = (int)v;
				p = *e == ',' ? e + 1 : e;
			}
		}
	}
	vd_sq_done(s, q, SQLITE_DONE, "cwe: reading an entry");
	if (!w || fail) {
		vd_cwe_free(w);
		return vd_error_set(VD_ENOMEM, "out of memory reading CWE-%d", id);
	}
	*out = w;
	return VD_OK;
}

int vd_sq_cwe_parents(vd_store *st, int id, int *out, size_t max)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_CWE_PARENTS, &q);
	if (rc)
		return rc;
	sqlite3_bind_int(q, 1, id);
	int n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((size_t)n < max)
			out[n] = sqlite3_column_int(q, 0);
		n++;
	}
	rc = vd_sq_done(s, q, rc, "cwe: reading parents");
	return rc ? rc : n;
}

int vd_sq_cwe_children(vd_store *st, int id, int (*cb)(void *ctx, int child), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_CWE_CHILDREN, &q);
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: cwe_children called from its own callback");
	sqlite3_bind_int(q, 1, id);
	int ret = VD_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, sqlite3_column_int(q, 0))))
			break;
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "cwe: reading children");
	return ret ? ret : rc;
}

int vd_sq_cwe_count(vd_store *st, uint64_t *n)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_CWE_COUNT, &q);
	if (rc)
		return rc;
	rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
	return vd_sq_done(s, q, rc == SQLITE_ROW ? SQLITE_DONE : rc, "cwe: counting");
}
