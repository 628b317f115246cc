/* vulnd/store.h — the storage interface.  Only src/store/ contains SQL.
 *
 * A backend fills a versioned table of function pointers (vd_store_ops),
 * like SQLite's VFS: new members are added at the end and `version` is
 * bumped, so callers can check what a backend provides.  The store handle
 * is opaque.  One conformance suite (tests/store/) runs against every
 * backend through this interface alone.
 *
 * What is stored:
 *  - records: the merged record (canonical JSON) plus index tables derived
 *    from it (aliases, CWEs, affected vendor/product/package) kept in step
 *    by record_put/record_delete in the same transaction;
 *  - source documents: each source record as imported (source, source_id →
 *    record id, content hash, canonical JSON), from which the merged record
 *    is recomputed.  Re-importing an unchanged source document is a no-op.
 *
 * Threads: a handle is used by one thread at a time.  Open one per thread.
 */
#ifndef VULND_STORE_H
#define VULND_STORE_H
#include <stdint.h>
#include <stdbool.h>
#include "vulnd/record.h"

typedef struct vd_store vd_store;

typedef struct {
	uint64_t records, published, unpublished, rejected, withdrawn;
	uint64_t aliases, sources, affected;
	int schema_version;
	uint64_t db_bytes;          /* size on disk, 0 for in-memory */
} vd_store_stats;

typedef struct {
	const char *text;        /* words to look for (LIKE or FTS), may be NULL */
	bool include_unpublished;/* false: only published records */
	const char *severity;    /* grade filter: critical/high/medium/low, may be NULL */
	int limit;               /* ≤ 0: 20 */
	int offset;
} vd_search_query;

/* Search hit: id, titles, published date; strings valid during the callback. */
typedef struct {
	const char *id, *title_en, *title_zh, *published, *grade, *state;
} vd_search_hit;

/* A stored source document. Strings valid during the callback. */
typedef struct {
	const char *source, *source_id, *record_id, *hash, *json;
} vd_source_doc;

/* Problems found by check: one callback per problem. */
typedef void (*vd_check_cb)(void *ctx, const char *problem);

#define VD_STORE_OPS_VERSION 1

typedef struct vd_store_ops {
	int version;                 /* VD_STORE_OPS_VERSION the backend was built for */
	const char *name;            /* "sqlite", "postgres" */

	void (*close)(vd_store *s);
	/* Create the schema or migrate it forward to the latest version. */
	int (*migrate)(vd_store *s);
	/* Current and latest schema version (0 = empty database). */
	int (*schema_version)(vd_store *s, int *current, int *latest);

	/* Transactions do not nest; begin inside a transaction is VD_EINVAL. */
	int (*begin)(vd_store *s);
	int (*commit)(vd_store *s);
	int (*rollback)(vd_store *s);

	/* Resolve an id or alias to a record id (*out malloc'd). ENOTFOUND if none. */
	int (*resolve)(vd_store *s, const char *id_or_alias, char **out);
	/* Fetch by id or alias; *out owned by caller. ENOTFOUND if none. */
	int (*record_get)(vd_store *s, const char *id_or_alias, vd_record **out);
	/* Insert or replace a record (by r->id) and its index rows. */
	int (*record_put)(vd_store *s, const vd_record *r);
	int (*record_delete)(vd_store *s, const char *id);

	/* Source documents. source_get: ENOTFOUND if absent; fills *doc strings
	 * valid until the next call on this store (do not free). */
	int (*source_get)(vd_store *s, const char *source, const char *source_id, vd_source_doc *doc);
	int (*source_put)(vd_store *s, const vd_source_doc *doc);
	/* Every source document of a record, in (source, source_id) order. */
	int (*source_list)(vd_store *s, const char *record_id,
	                   int (*cb)(void *ctx, const vd_source_doc *d), void *ctx);

	/* Plain search (substring over titles/descriptions/ids), newest first. */
	int (*search)(vd_store *s, const vd_search_query *q,
	              int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total);
	int (*stats)(vd_store *s, vd_store_stats *out);
	/* Integrity check: the database's own check plus index tables in step
	 * with the records. Returns VD_OK when clean, VD_ECONFLICT when problems
	 * were reported through cb. */
	int (*check)(vd_store *s, vd_check_cb cb, void *ctx);
} vd_store_ops;

/* Open a store from a location: a file path or ":memory:" (SQLite), or
 * "postgresql://..." (PostgreSQL, when built in).  Does not create or
 * migrate the schema: call vd_store_migrate(). */
int vd_store_open(const char *location, vd_store **out);
/* SQLite backend directly. */
int vd_store_sqlite_open(const char *path, vd_store **out);

/* Every backend's handle starts with this, so the wrappers can dispatch. */
struct vd_store {
	const vd_store_ops *ops;
};

/* Wrappers (same contracts as the ops above). */
static inline void vd_store_close(vd_store *s) { if (s) s->ops->close(s); }
static inline int vd_store_migrate(vd_store *s) { return s->ops->migrate(s); }
static inline int vd_store_begin(vd_store *s) { return s->ops->begin(s); }
static inline int vd_store_commit(vd_store *s) { return s->ops->commit(s); }
static inline int vd_store_rollback(vd_store *s) { return s->ops->rollback(s); }
static inline int vd_store_resolve(vd_store *s, const char *id, char **out) { return s->ops->resolve(s, id, out); }
static inline int vd_store_get(vd_store *s, const char *id, vd_record **out) { return s->ops->record_get(s, id, out); }
static inline int vd_store_put(vd_store *s, const vd_record *r) { return s->ops->record_put(s, r); }
static inline int vd_store_delete(vd_store *s, const char *id) { return s->ops->record_delete(s, id); }
static inline int vd_store_stats_get(vd_store *s, vd_store_stats *o) { return s->ops->stats(s, o); }

#endif
