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
#include "vulnd/auth.h"

typedef struct vd_store vd_store;
struct vd_cwe;                /* vulnd/cwe.h */

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
	/* ---- full-text search filters (issue 10; NULL / 0 = no filter) ---- */
	const char *state;       /* only this state name (needs include_unpublished unless "published") */
	double score_min, score_max;  /* highest CVSS base score in [min, max]; 0 = no bound */
	const char *cwe;         /* "CWE-79" */
	const char *class_code;  /* GB/T 30279 class code */
	const char *vendor, *product;  /* an affected entry, case-insensitive exact */
	const char *library;     /* library code (NVDB, APP, VEH) */
	const char *source;      /* a source document of this source ("cve5", "osv", "cnnvd", ...) */
	const char *published_from, *published_to;  /* canonical timestamps, inclusive */
	const char *modified_from, *modified_to;
	const char *cursor;      /* next_cursor of the previous page (then offset is ignored) */
	bool facets;             /* fill vd_search_result.facets */
	bool snippets;           /* fill vd_search_hit.snippet (text queries) */
} vd_search_query;

/* Search hit: id, titles, published date; strings valid during the callback. */
typedef struct {
	const char *id, *title_en, *title_zh, *published, *grade, *state;
	/* ---- issue 10 ---- */
	const char *modified;
	double score;            /* highest CVSS base score, < 0 when none */
	double rank;             /* bm25 (lower is better); 0 without text */
	/* Best-matching fragment with the matched tokens between VD_HL_START and
	 * VD_HL_END (control characters that never occur in indexed text) and
	 * "…" where text was cut; NULL without text or snippets. */
	const char *snippet;
} vd_search_hit;

#define VD_HL_START "\x02"
#define VD_HL_END   "\x03"

/* Facet counts over the whole result set (not just the page). */
typedef enum { VD_FACET_GRADE, VD_FACET_YEAR, VD_FACET_VENDOR, VD_FACET_CWE, VD_FACET_COUNT_ } vd_facet_kind;
#define VD_FACET_TOP 10          /* values kept per facet (largest counts) */
typedef struct {
	char value[128];         /* "high", "2021", vendor name (cut to 127 bytes), "CWE-79" */
	uint64_t count;
} vd_facet_value;
typedef struct {
	size_t n;
	vd_facet_value v[VD_FACET_TOP];
} vd_facet;

/* Everything about a search besides its hits.  Caller-owned, no pointers. */
typedef struct {
	uint64_t total;          /* matching records */
	char next_cursor[128];   /* pass as query.cursor for the next page; "" at the end */
	vd_facet facets[VD_FACET_COUNT_];  /* when query.facets */
} vd_search_result;

/* A stored source document. Strings valid during the callback. */
typedef struct {
	const char *source, *source_id, *record_id, *hash, *json;
} vd_source_doc;

/* Problems found by check: one callback per problem. */
typedef void (*vd_check_cb)(void *ctx, const char *problem);

/* ---- read API (HTTP /api/v1, OSV endpoints) ---- */
/* A stored record document, not decoded.  Strings valid during the callback. */
typedef struct {
	const char *id;          /* record id */
	const char *state;       /* state name: "published", ... */
	const char *modified;    /* may be NULL */
	const char *hash;        /* 16 hex digits of the doc (ETag material) */
	const char *doc;         /* canonical JSON (vd_record_to_json form) */
	size_t doc_len;
	const char *asked;       /* the id or alias asked for */
} vd_doc_row;

/* A record list: filters (NULL = none), keyset cursor, page size. */
typedef struct {
	bool include_unpublished;
	const char *modified_since;  /* canonical time: modified >= it */
	const char *severity;        /* grade, case-insensitive */
	const char *cwe;             /* "CWE-79" */
	const char *vendor, *product;/* affected entry, case-insensitive exact */
	const char *credit;          /* substring of a credit name (ASCII case-insensitive) */
	const char *library;         /* library code */
	int64_t after;               /* cursor: list rows with key < after; 0 = from the top */
	int limit;                   /* ≤ 0: 100; capped at 10000 */
} vd_list_query;

/* One list row; key is the cursor value.  Strings valid during the callback. */
typedef struct {
	int64_t key;
	const char *id, *state, *published, *modified, *grade, *title_en, *title_zh;
} vd_list_item;

/* Vendors (vendor NULL) or the products of one vendor, by name. */
typedef struct {
	bool include_unpublished;
	const char *vendor;          /* NULL: list vendors */
	const char *after;           /* names after this one (case-insensitive order) */
	int limit;                   /* ≤ 0: 100 */
} vd_names_query;

/* Affected entries by (ecosystem, package), by purl, or records whose doc
 * contains text (e.g. a commit hash); after: record ids > after. */
typedef struct {
	bool include_unpublished;
	const char *ecosystem, *package;
	const char *purl;            /* without version */
	const char *text;
	const char *after;
} vd_pkg_query;

/* A matching affected entry (idx) of a record, with the record's doc and
 * that entry's JSON (idx -1 and affected NULL for text matches).  Strings
 * valid during the callback. */
typedef struct {
	const char *record_id;
	int idx;
	const char *state, *modified;
	const char *doc;
	size_t doc_len;
	const char *affected;        /* the doc's affected[idx] as JSON */
	size_t affected_len;
} vd_pkg_row;

/* ---- accounts / audit (issue 6) ---- */
/* Failed logins of one login name (seconds since the epoch). */
typedef struct {
	int64_t failures;        /* in the current window */
	int64_t window_start;
	int64_t locked_until;    /* 0: not locked */
} vd_login_state;

/* Where the audit chain starts (after pruning) and ends. */
typedef struct {
	int64_t anchor_seq;              /* last pruned entry, 0 if none */
	char anchor_hash[VD_HASH_HEX];   /* its hash, "" if none */
	int64_t head_seq;                /* last appended entry, 0 if none */
	char head_hash[VD_HASH_HEX];
	int64_t count;                   /* entries stored */
	char oldest[VD_TIME_BUF];        /* time of the oldest stored entry, "" if none */
} vd_audit_bounds;

enum { VD_ORG_ITEM_MEMBERS = 1, VD_ORG_ITEM_PRODUCTS, VD_ORG_ITEM_CONTACTS };

/* ---- disclosure cases (issue 7; vulnd/workflow.h has the case itself).
 * Strings valid during the call or callback. ---- */
typedef struct {
	int64_t id;
	const char *state;           /* vd_case_state_name */
	const char *library;         /* library code */
	const char *record_id;       /* library id once verified, else NULL */
	int64_t reporter_id;
	const char *created, *updated;
	const char *doc;             /* the case as JSON (vd_case_to_json) */
} vd_case_row;

typedef struct {
	int64_t id;                  /* filled when listed */
	int64_t case_id;
	const char *at, *actor;
	const char *kind;            /* a step name ("verify"), "comment", "opinion", "reminder" */
	const char *from_state, *to_state;   /* NULL for thread messages */
	const char *text;
	const char *visibility;      /* "all" (reporter, vendor, staff) or "staff" (analysts, experts) */
} vd_case_event_row;

typedef struct {
	int64_t case_id;
	const char *sha256;          /* content address (hex) */
	const char *name;            /* sanitised file name */
	int64_t size;
	const char *kind;            /* poc, exploit, screenshot, document, patch */
	bool publish;
	int64_t by_user;
	const char *at;
} vd_attachment_row;

typedef struct {
	int64_t case_id;
	const char *at;
	const char *kind;            /* "notify", "reminder", "escalation" */
	const char *recipient;       /* email address or "analyst:NAME" */
	const char *subject;
	const char *status;          /* "sent", "failed: ...", "not sent: ..." */
} vd_notice_row;

/* ---- SBOM matching and VEX (issue 8; src/store/sqlite_match.c) ---- */
/* Candidate affected entries for one component.  Set purl (without version
 * and qualifiers, as normalised by vd_purl_format), or ecosystem + package
 * (package compared case-insensitively; ecosystem "Debian" also finds
 * "Debian:12"), or cpe_prefix ("vendor:product" lower case, as in a CPE 2.3
 * formatted string).  Only published records unless include_unpublished. */
typedef struct {
	bool include_unpublished;
	const char *purl;
	const char *ecosystem, *package;
	const char *cpe_prefix;
} vd_match_key;

/* One candidate: a record's affected entry.  Strings valid during the callback. */
typedef struct {
	const char *record_id;
	int idx;                     /* position in the record's affected[] */
	const char *state, *grade;   /* record state name, grade (may be NULL) */
	const char *affected;        /* the entry as canonical JSON */
	size_t affected_len;
} vd_match_row;

/* A stored VEX statement: analysis state of vuln_id in product (a purl with
 * version, a purl without version for every version, or a CPE).  Strings
 * borrowed (put) / valid during the callback (get). */
typedef struct {
	const char *product, *vuln_id;
	const char *state;           /* not_affected, affected, fixed, under_investigation */
	const char *justification, *detail, *response;
	const char *source;          /* where it came from (file name, "manual") */
	const char *updated;         /* canonical time */
} vd_vex_row;

#define VD_STORE_OPS_VERSION 2   /* 2: the ops after `check` (search, API, CWE, accounts, cases, matching, ...) */

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

	/* Search (see search_ex below; this is search_ex without facets). */
	int (*search)(vd_store *s, const vd_search_query *q,
	              int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total);
	int (*stats)(vd_store *s, vd_store_stats *out);
	/* Integrity check: the database's own check plus index tables in step
	 * with the records. Returns VD_OK when clean, VD_ECONFLICT when problems
	 * were reported through cb. */
	int (*check)(vd_store *s, vd_check_cb cb, void *ctx);
	/* ---- read API (appended; backends without it leave these NULL) ---- */
	/* Documents for n ids or aliases: cb(i, row) for each one found, in
	 * input order; ids not found get no callback. */
	int (*doc_get)(vd_store *s, const char *const *ids, size_t n,
	               int (*cb)(void *ctx, size_t i, const vd_doc_row *row), void *ctx);
	/* Records newest insertion first, one page (see vd_list_query). */
	int (*list)(vd_store *s, const vd_list_query *q, int (*cb)(void *ctx, const vd_list_item *it),
	            void *ctx);
	/* Vendor or product names with the number of records naming them. */
	int (*names)(vd_store *s, const vd_names_query *q,
	             int (*cb)(void *ctx, const char *name, uint64_t n), void *ctx);
	/* Record counts by dimension ("grade", "month" YYYY-MM, "class"). */
	int (*counts)(vd_store *s, bool include_unpublished,
	              int (*cb)(void *ctx, const char *dim, const char *key, uint64_t n), void *ctx);
	/* Affected entries matching a package, purl or text, by record id. */
	int (*affected_find)(vd_store *s, const vd_pkg_query *q,
	                     int (*cb)(void *ctx, const vd_pkg_row *row), void *ctx);
	/* ---- full-text search (issue 10; appended) ---- */
	/* Search by words (full-text, CJK-aware; docs/search.md) and filters,
	 * ranked by relevance then recency (by recency without text).  res
	 * (may be NULL) gets the total, the next page's cursor and facets.
	 * A query with no searchable words (only punctuation) matches nothing.
	 * VD_EINVAL for bad text (invalid UTF-8, too long, too many words) or a
	 * bad cursor. */
	int (*search_ex)(vd_store *s, const vd_search_query *q,
	                 int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, vd_search_result *res);
	/* Rebuild the search index from the records (also done by the migration). */
	int (*search_rebuild)(vd_store *s);
	/* ---- CWE catalogue (issue 4; appended; vulnd/cwe.h) ---- */
	/* Insert or replace one entry (by w->id) and its parent list. */
	int (*cwe_put)(vd_store *s, const struct vd_cwe *w);
	/* Entry by id; *out freed with vd_cwe_free. ENOTFOUND if absent. */
	int (*cwe_get)(vd_store *s, int id, struct vd_cwe **out);
	/* Parents of id in stored order: up to max ids into out; returns how
	 * many there are (0 for an unknown id) or a negative VD_E* code. */
	int (*cwe_parents)(vd_store *s, int id, int *out, size_t max);
	/* Children of id (entries listing it as a parent), ascending. */
	int (*cwe_children)(vd_store *s, int id, int (*cb)(void *ctx, int child), void *ctx);
	/* Number of catalogue entries. */
	int (*cwe_count)(vd_store *s, uint64_t *n);
	/* ---- accounts, organisations, libraries, audit chain (issue 6;
	 * appended; src/store/sqlite_auth.c; types in vulnd/auth.h).  Names are
	 * matched case-insensitively (ASCII).  Adding a name that exists is
	 * VD_ECONFLICT; getting a missing thing is VD_ENOTFOUND.  Times are
	 * canonical UTC strings unless marked as seconds.  Every write is atomic
	 * (its own transaction outside a caller's).  Out structs are caller-owned
	 * plain data; strings in callbacks are valid during the call. ---- */
	int (*user_add)(vd_store *s, const vd_user_info *u, const char *pw_hash, int64_t *id);
	/* By name (id 0) or by id (name NULL).  pw_hash (VD_PWHASH_BUF bytes, or
	 * NULL) gets the stored argon2id hash string. */
	int (*user_get)(vd_store *s, const char *name, int64_t id, vd_user_info *out, char *pw_hash);
	int (*user_list)(vd_store *s, int (*cb)(void *ctx, const vd_user_info *u), void *ctx);
	/* Change the role (NULL: keep), disabled (-1: keep, 0, 1) and the
	 * password hash (NULL: keep). */
	int (*user_update)(vd_store *s, int64_t id, const char *role, int disabled, const char *pw_hash);
	int (*org_add)(vd_store *s, const vd_org_info *o, int64_t *id);
	int (*org_get)(vd_store *s, const char *name, int64_t id, vd_org_info *out);
	int (*org_list)(vd_store *s, int (*cb)(void *ctx, const vd_org_info *o), void *ctx);
	/* Add (add true; already a member is fine) or remove a membership. */
	int (*org_member)(vd_store *s, int64_t org_id, int64_t user_id, bool add);
	/* Organisation ids of a user (by id): up to max into ids, *n = how many. */
	int (*user_orgs)(vd_store *s, int64_t user_id, int64_t *ids, size_t max, size_t *n);
	int (*org_product_add)(vd_store *s, int64_t org_id, const char *product);
	int (*org_contact_add)(vd_store *s, int64_t org_id, const char *email, const char *name);
	/* Items of an organisation in name order: VD_ORG_ITEM_MEMBERS (a: user
	 * name, b: role), _PRODUCTS (a: product, b: NULL), _CONTACTS (a: email,
	 * b: name or NULL). */
	int (*org_items)(vd_store *s, int64_t org_id, int kind,
	                 int (*cb)(void *ctx, const char *a, const char *b), void *ctx);
	/* Vendor organisations owning a product name (exact, case-insensitive). */
	int (*product_owners)(vd_store *s, const char *product, int (*cb)(void *ctx, const vd_org_info *o),
	                      void *ctx);
	/* API tokens: only a hash of the token is stored. */
	int (*token_add)(vd_store *s, const vd_token_info *t, const char *hash, int64_t *id);
	/* By hash (id 0) or by id (hash NULL). */
	int (*token_get)(vd_store *s, const char *hash, int64_t id, vd_token_info *out);
	/* Tokens of a user (user_id 0: all), newest first. */
	int (*token_list)(vd_store *s, int64_t user_id, int (*cb)(void *ctx, const vd_token_info *t), void *ctx);
	/* Mark revoked at time at (a revoked token stays revoked: no-op). */
	int (*token_revoke)(vd_store *s, int64_t id, const char *at);
	/* Sessions: only a hash of the session id is stored; times in seconds. */
	int (*session_add)(vd_store *s, const char *hash, int64_t user_id, int64_t created, int64_t expires);
	int (*session_get)(vd_store *s, const char *hash, int64_t *user_id, int64_t *expires);
	/* Delete the session hash; or (hash NULL) every session of user_id > 0;
	 * or (hash NULL, user_id 0) every session expiring before expired_before. */
	int (*session_delete)(vd_store *s, const char *hash, int64_t user_id, int64_t expired_before);
	/* Failed-login state of a login name (any name; zeros when none). */
	int (*login_get)(vd_store *s, const char *name, vd_login_state *out);
	/* Store it; failures 0 and locked_until 0 deletes the row. */
	int (*login_put)(vd_store *s, const char *name, const vd_login_state *st);
	int (*library_add)(vd_store *s, const vd_library_info *l, int64_t *id);
	int (*library_get)(vd_store *s, const char *code, vd_library_info *out);
	int (*library_list)(vd_store *s, int (*cb)(void *ctx, const vd_library_info *l), void *ctx);
	/* Replace name, policy settings and blackout windows of library l->code. */
	int (*library_update)(vd_store *s, const vd_library_info *l);
	/* Allocate the next number 1, 2, ... of (code, month "YYYYMM") under the
	 * write lock: never reused, unique across connections. */
	int (*library_next)(vd_store *s, const char *code, const char *month, int64_t *n);
	/* Append an audit entry: fills e->seq and e->prev from the chain head,
	 * calls seal(e) (vd_audit_seal) and stores it, under the write lock. */
	int (*audit_append)(vd_store *s, vd_audit_entry *e, int (*seal)(vd_audit_entry *e));
	/* Entries with seq > after_seq in seq order, at most limit (≤ 0: all). */
	int (*audit_list)(vd_store *s, int64_t after_seq, int64_t limit,
	                  int (*cb)(void *ctx, const vd_audit_entry *e), void *ctx);
	int (*audit_bounds)(vd_store *s, vd_audit_bounds *out);
	/* Delete the oldest entries with at < before, keeping the chain verifiable
	 * (the last deleted entry becomes the anchor).  VD_EPERM when before is
	 * later than keep_after (the 6-month floor the caller computed). */
	int (*audit_prune)(vd_store *s, const char *before, const char *keep_after, int64_t *removed);

	/* The content hash of a stored record (16 hex digits of FNV-1a 64 over
	 * its canonical JSON, vd_hash64_hex); ENOTFOUND when there is no record
	 * with exactly this id (aliases are not followed). */
	int (*record_hash)(vd_store *s, const char *id, char out[17]);
	/* record_put for a caller that already holds the record's canonical JSON
	 * (doc must equal what vd_record_to_json(r) gives) and, unless hash is
	 * NULL, its vd_hash64_hex: saves encoding and hashing twice on the
	 * import path. */
	int (*record_put_doc)(vd_store *s, const vd_record *r, const char *doc, size_t n, const char *hash);
	/* ---- disclosure cases (issue 7; appended; src/store/sqlite_case.c;
	 * types above vd_store_ops).  Writes are atomic like the auth ops. ---- */
	/* New case (r->id ignored); *id gets its number. */
	int (*case_add)(vd_store *s, const vd_case_row *r, int64_t *id);
	/* The case r->id: state, library, record id, updated time and doc.
	 * ENOTFOUND if absent; ECONFLICT if record_id is taken by another case. */
	int (*case_put)(vd_store *s, const vd_case_row *r);
	/* One case (cb once) or ENOTFOUND. */
	int (*case_get)(vd_store *s, int64_t id, int (*cb)(void *ctx, const vd_case_row *r), void *ctx);
	/* Cases with id > after in id order, only state (NULL: any), at most
	 * limit (<= 0: all).  A non-zero cb return stops and is returned. */
	int (*case_list)(vd_store *s, const char *state, int64_t after, int limit,
	                 int (*cb)(void *ctx, const vd_case_row *r), void *ctx);
	/* Replace the parties of one kind ("analyst", "expert", "vendor") of a case. */
	int (*case_parties)(vd_store *s, int64_t case_id, const char *kind, const int64_t *ids, size_t n);
	/* Append an entry of the case thread / history. */
	int (*case_event_add)(vd_store *s, const vd_case_event_row *e);
	/* Entries of a case, oldest first. */
	int (*case_events)(vd_store *s, int64_t case_id, int (*cb)(void *ctx, const vd_case_event_row *e), void *ctx);
	/* Attachment metadata (the content lives in the attachment directory);
	 * the same content twice in one case is stored once (no error). */
	int (*attachment_add)(vd_store *s, const vd_attachment_row *a);
	int (*attachment_list)(vd_store *s, int64_t case_id, int (*cb)(void *ctx, const vd_attachment_row *a),
	                       void *ctx);
	/* Mark an attachment for publication (or not); ENOTFOUND if absent. */
	int (*attachment_publish)(vd_store *s, int64_t case_id, const char *sha256, bool publish);
	/* Notifications log (mail sent or not, and why). */
	int (*notice_add)(vd_store *s, const vd_notice_row *n);
	/* Entries of a case (case_id 0: all), oldest first. */
	int (*notice_list)(vd_store *s, int64_t case_id, int (*cb)(void *ctx, const vd_notice_row *n), void *ctx);
	/* Record that reminder/escalation `kind` of a case fired at `at`:
	 * *fired true the first time, false when any connection (or process)
	 * recorded it before — a unique key makes it happen once. */
	int (*reminder_fire)(vd_store *s, int64_t case_id, const char *kind, const char *at, bool *fired);
	/* ---- SBOM matching and VEX (issue 8; appended; src/store/sqlite_match.c) ---- */
	/* Affected entries for a key (see vd_match_key), by record id then idx;
	 * an index lookup, never a scan.  A non-zero cb return stops and is returned. */
	int (*match_candidates)(vd_store *s, const vd_match_key *k, int (*cb)(void *ctx, const vd_match_row *r),
	                        void *ctx);
	/* Aliases of a record (not its own id), in stored order. */
	int (*record_aliases)(vd_store *s, const char *record_id, int (*cb)(void *ctx, const char *alias), void *ctx);
	/* Insert or replace the statement for (product, vuln_id). */
	int (*vex_put)(vd_store *s, const vd_vex_row *v);
	/* Statements for a product and any of n vulnerability ids (case-insensitive). */
	int (*vex_get)(vd_store *s, const char *product, const char *const *vuln_ids, size_t n,
	               int (*cb)(void *ctx, const vd_vex_row *v), void *ctx);
	/* Number of stored statements. */
	int (*vex_count)(vd_store *s, uint64_t *n);
	/* A read transaction around many lookups (on true: begin, false: end):
	 * one consistent snapshot and no lock round trip per statement.  Takes
	 * no write lock.  VD_EINVAL inside another transaction. */
	int (*read_snapshot)(vd_store *s, bool on);
	/* A number that changes whenever the stored data may have changed,
	 * whichever connection or process wrote it (this one included): a
	 * cache of stored data keyed to it is fresh as of the call.  A database
	 * round trip (SQLite: a few system calls).  Outside any transaction. */
	int (*data_version)(vd_store *s, uint64_t *out);
	/* A process-wide count of commits made through this backend by any
	 * handle of this process: moves whenever this process wrote (after the
	 * data is visible for the store's own transactions; a lone autocommit
	 * statement moves it just before).  An atomic load, no round trip. */
	uint64_t (*write_epoch)(void);
	/* Bulk writing (an import) begins (on) or ends (off).  SQLite: while
	 * on, the write-ahead log is copied back into the database by a thread
	 * of its own (a second connection, passive checkpoints) instead of by
	 * the writing thread at its commits; off stops that thread and
	 * checkpoints once.  Nothing else changes: transactions, durability and
	 * readers are as always.  May be NULL. */
	int (*bulk)(vd_store *s, bool on);
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
