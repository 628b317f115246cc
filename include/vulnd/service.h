/* vulnd/service.h — the use cases the outside calls.  Both http/ and cli/
 * call only this layer; it validates input once and owns the rules that
 * span formats and store (import + merge, visibility of unpublished data).
 */
#ifndef VULND_SERVICE_H
#define VULND_SERVICE_H
#include <stdbool.h>
#include <stdint.h>
#include "vulnd/record.h"
#include "vulnd/formats.h"
#include "vulnd/store.h"
#include "vulnd/auth.h"
#include "vulnd/workflow.h"

typedef struct vd_service vd_service;

/* Open the database at location (path, ":memory:" or postgresql://...).
 * create: run migrations (db init); otherwise a database with an old
 * schema is refused with a message saying to run `vulnd db migrate`.
 * *out closed with vd_service_close. */
int vd_service_open(const char *location, bool create, vd_service **out);
void vd_service_close(vd_service *s);

/* ---- database administration ---- */
int vd_service_db_migrate(vd_service *s, int *from, int *to);
int vd_service_db_stats(vd_service *s, vd_store_stats *out);
int vd_service_db_check(vd_service *s, vd_check_cb cb, void *ctx);
/* Rebuild the full-text index from the records (after a tokenizer change
 * or when `db check` reports the index broken). */
int vd_service_db_reindex(vd_service *s);

/* ---- import ---- */
typedef struct {
	uint64_t read;        /* values read from the input */
	uint64_t added;       /* new records */
	uint64_t changed;     /* existing records whose content changed */
	uint64_t unchanged;   /* source documents identical to what is stored */
	uint64_t joined;      /* source documents that joined an existing record by alias */
	uint64_t skipped;     /* bad values, reported through the skipped callback */
	uint64_t kept_manual; /* field values not overwritten because they were edited by hand */
	uint64_t by_format[VD_FMT_UNKNOWN + 1];  /* detected format counts */
	uint64_t bytes_done, bytes_total;
} vd_import_stats;

typedef struct {
	void (*skipped)(void *ctx, const char *where, const char *reason);
	void (*progress)(void *ctx, const vd_import_stats *st);   /* throttled by the caller */
	void *ctx;
} vd_import_cb;

/* Import every record found under path.  Bad values are skipped and
 * reported; the rest is imported in batched transactions.  Returns VD_OK
 * when the walk finished (check st->skipped), VD_EIO / VD_EINVAL when the
 * input can't be opened, or a storage error (the current batch is rolled
 * back: nothing half-written). */
int vd_service_import(vd_service *s, vd_format fmt, const char *path, const vd_import_cb *cb,
                      vd_import_stats *st);

/* ---- reading ---- */
/* Who is asking: the public sees only published records. */
typedef enum { VD_VIEW_PUBLIC = 0, VD_VIEW_ALL } vd_view;

/* Fetch by id or any alias; ENOTFOUND also when the view may not see it. */
int vd_service_get(vd_service *s, vd_view view, const char *id, vd_record **out);

typedef struct {
	const char *text;        /* words (Chinese and/or English), ≤ 512 bytes UTF-8; NULL: filters only */
	const char *severity;    /* critical/high/medium/low or 超危/高危/中危/低危 */
	int limit, offset;       /* limit 0: 20, at most 1000 */
	/* ---- issue 10: filters (NULL / 0 = none), paging, facets ---- */
	const char *state;       /* published/unpublished/rejected/withdrawn; VD_VIEW_ALL only,
	                          * except "published" (VD_EPERM otherwise) */
	double score_min, score_max;   /* highest CVSS base score within [min, max], 0..10 */
	const char *cwe;         /* "CWE-79" (or "79") */
	const char *class_code;  /* GB/T 30279 class code */
	const char *vendor, *product;  /* affected vendor / product, case-insensitive exact */
	const char *library;     /* NVDB, APP, VEH */
	const char *source;      /* cve5, osv, nvd2, cnnvd, cnvd, csaf, manual */
	const char *published_from, *published_to;  /* YYYY-MM-DD or RFC 3339; inclusive (a bare */
	const char *modified_from, *modified_to;    /* date as "to" means the end of that day) */
	const char *cursor;      /* next_cursor of the previous page; replaces offset */
	bool facets;             /* fill res->facets (grade, year, vendor, CWE over all matches) */
	bool snippets;           /* hits carry snippet (matches between VD_HL_START/VD_HL_END) */
} vd_search_params;
/* Search; hits go to cb (strings valid during the call).  Ranked by
 * relevance (bm25: ids > title > description > the rest), then newest
 * first; without text newest first.  VD_EINVAL with a message for bad
 * parameters (text not UTF-8 or too long, unknown severity, bad date or
 * cursor), VD_EPERM for a state filter the view may not use. */
int vd_service_search(vd_service *s, vd_view view, const vd_search_params *p,
                      int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total);
/* The same with the total, next page cursor and facets in *res (caller-owned). */
int vd_service_search_ex(vd_service *s, vd_view view, const vd_search_params *p,
                         int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, vd_search_result *res);

/* ---- manual edits ---- */
/* Set one field of a record by hand (FIELD as in provenance: title.zh,
 * description.en, grade, state, published, ...).  A hand-edited value wins
 * over every import, now and later.  An empty value removes the manual
 * edit of that field (the imported value shows again).  VD_EINVAL names
 * the editable fields or says what is wrong with the value; ENOTFOUND if
 * no such record. */
int vd_service_edit(vd_service *s, const char *id, const char *field, const char *value);

/* ---- read API (HTTP /api/v1 and the OSV endpoints) ----
 * All of these apply the view: VD_VIEW_PUBLIC sees published records only.
 * Bad parameters give VD_EINVAL with a message naming the parameter. */
#define VD_BATCH_MAX  1000   /* ids in one batch get */
#define VD_LIST_MAX   1000   /* page size cap of lists */
#define VD_CURSOR_MAX 600    /* longest cursor / page token, with its NUL */
#define VD_PURL_BUF   1024   /* longest purl accepted, with its NUL */

/* A record as stored, not decoded: its canonical JSON and the hash of that
 * JSON (ETag material).  Members malloc'd: free with vd_record_doc_free(). */
typedef struct {
	char *id;          /* record id */
	char *json;        /* canonical JSON, NUL-terminated */
	size_t len;
	char hash[17];
	char *modified;    /* may be NULL */
} vd_record_doc;
/* By id or any alias; ENOTFOUND when absent or not visible to the view. */
int vd_service_get_doc(vd_service *s, vd_view view, const char *id, vd_record_doc *out);
void vd_record_doc_free(vd_record_doc *d);

/* Up to VD_BATCH_MAX ids or aliases (VD_ETOOBIG past it): cb(i, row) for
 * each visible record found, in input order (row strings valid during the
 * call).  A non-zero return from cb stops and is returned. */
int vd_service_get_batch(vd_service *s, vd_view view, const char *const *ids, size_t n,
                         int (*cb)(void *ctx, size_t i, const vd_doc_row *row), void *ctx);

/* One page of a list, and where the next one starts. */
typedef struct {
	bool more;                          /* a next page exists */
	char next_cursor[VD_CURSOR_MAX];    /* its token ("" when none) */
	const char *note;                   /* static text for the client, or NULL */
} vd_list_page;

/* Record list filters (NULL = none); strings borrowed for the call. */
typedef struct {
	const char *modified_since;   /* RFC 3339 time */
	const char *severity;         /* critical, high, medium, low */
	const char *cwe;              /* CWE-79 or 79 */
	const char *vendor, *product; /* exact, case-insensitive */
	const char *credit;           /* substring of a credit name */
	const char *cpe;              /* CPE 2.3 name: vendor:product exact for now (page->note says so) */
	const char *library;          /* library code */
	const char *cursor;           /* token from a previous page */
	int limit;                    /* 0: 100; 1..VD_LIST_MAX */
} vd_list_params;
/* Records, newest insertion first; stable under concurrent inserts (new
 * records never shift later pages).  cb gets summaries (strings valid
 * during the call). */
int vd_service_list(vd_service *s, vd_view view, const vd_list_params *p,
                    int (*cb)(void *ctx, const vd_list_item *it), void *ctx, vd_list_page *page);

/* Vendors (vendor NULL) or products of a vendor, by name, with record
 * counts; cursor from a previous page or NULL; limit 0: 100. */
int vd_service_names(vd_service *s, vd_view view, const char *vendor, const char *cursor, int limit,
                     int (*cb)(void *ctx, const char *name, uint64_t n), void *ctx, vd_list_page *page);

/* Record counts by "grade", "month" (YYYY-MM of published) and "class". */
int vd_service_counts(vd_service *s, vd_view view,
                      int (*cb)(void *ctx, const char *dim, const char *key, uint64_t n), void *ctx);

/* OSV query: a package (purl, or name + ecosystem) with an optional
 * version, or a commit.  Strings borrowed for the call. */
typedef struct {
	const char *purl, *name, *ecosystem, *version, *commit;
	const char *page_token;       /* from a previous answer */
	int page_size;                /* records per page; 0: 1000 */
	bool want_records;            /* decode the records for cb (hit->record) */
} vd_osv_query;
/* A matching record: id and modified always; record (borrowed, valid
 * during the call) when want_records, a version or a commit was given,
 * else NULL. */
typedef struct {
	const char *id, *modified;
	const vd_record *record;
} vd_osv_hit;
/* Matches go to cb in record id order.  Versions: the affected entry as
 * vd_affected_contains (vulnd/match.h) evaluates it with the ecosystem's
 * version scheme; when that can't (unknown scheme, version invalid in it):
 * exact entries of the versions list and SEMVER / ECOSYSTEM range events in
 * a simple dotted order.  Commits: exact GIT introduced/last_affected events. */
int vd_service_osv_query(vd_service *s, vd_view view, const vd_osv_query *q,
                         int (*cb)(void *ctx, const vd_osv_hit *h), void *ctx, vd_list_page *page);
/* The simple dotted version order of the fallback above: -1, 0, 1. */
int vd_service_version_cmp(const char *a, const char *b);

/* ---- CWE catalogue and GB/T 30279 class (issue 4; src/service/cwe.c) ---- */
struct vd_cwe;          /* vulnd/cwe.h */
struct vd_gbt_class;    /* vulnd/gbt30279.h */
typedef struct {
	uint64_t read;        /* entries read from the input */
	uint64_t stored;      /* entries written (new or replaced) */
	uint64_t skipped;     /* bad entries, reported through bad() */
} vd_cwe_import_stats;
/* Import a CWE CSV view or the XML catalogue (vulnd/cwe.h) in one
 * transaction (rolled back on a storage error).  bad (may be NULL) gets
 * each skipped entry.  VD_OK when the file was read (check st->skipped),
 * VD_EIO / VD_EINVAL when it can't be read or isn't a CWE file. */
int vd_service_cwe_import(vd_service *s, const char *path,
                          void (*bad)(void *ctx, const char *where, const char *reason), void *ctx,
                          vd_cwe_import_stats *st);

typedef struct {
	struct vd_cwe *cwe;          /* the entry; name etc. NULL when not in the catalogue */
	bool in_catalogue;           /* false: only the CWE → class table knows the id */
	struct vd_cwe **parents;     /* catalogue entries of cwe->parents that exist */
	size_t n_parents;
	int *children;               /* ids listing this one as a parent, ascending */
	size_t n_children;
	const struct vd_gbt_class *cls;   /* GB/T 30279 class (static), never NULL */
	int class_via;               /* CWE id whose table entry decided; 0: 其他 by default */
} vd_cwe_info;
/* A CWE by id ("CWE-79" or "79") with its name, parents, children and
 * GB/T class (through the stored hierarchy).  ENOTFOUND when neither the
 * catalogue nor the class table knows it; VD_EINVAL for a malformed id.
 * *out freed with vd_cwe_info_free. */
int vd_service_cwe_get(vd_service *s, const char *id, vd_cwe_info **out);
void vd_cwe_info_free(vd_cwe_info *info);
/* GB/T class of a CWE string ("CWE-79", "NVD-CWE-Other") through the
 * stored hierarchy; never NULL.  *via as vd_gbt_classify_cwe. */
const struct vd_gbt_class *vd_service_cwe_class(vd_service *s, const char *cwe, int *via);

/* ==== accounts, organisations, tokens, sessions, permissions, libraries and
 * the audit chain (issue 6; src/service/auth.c, library.c, audit.c; types
 * and the permission table in vulnd/auth.h; docs/security.md).
 *
 * Every function that acts for someone takes `who` (from vd_service_login,
 * vd_service_authenticate, or vd_principal_local for the command line) and
 * checks the permission table itself; a refusal is VD_EPERM with the reason
 * in vd_error_msg() and is written to the audit chain.  Every state change
 * is written to the audit chain in the same transaction.  Input is
 * validated here (sizes, UTF-8, name syntax): VD_EINVAL says which field
 * and why, and nothing is changed.  Passwords and tokens never appear in
 * messages or in the audit chain. ==== */

/* Time source: seconds since the epoch (default: the real clock).  Tests
 * inject their own to move through lockouts, expiries and months. */
typedef int64_t (*vd_clock_fn)(void *ctx);
void vd_service_set_clock(vd_service *s, vd_clock_fn fn, void *ctx);
int64_t vd_service_now(vd_service *s);

/* Login and session policy; a zero field takes the default. */
typedef struct {
	int max_failures;     /* failed logins within window_s that lock the name (5) */
	int window_s;         /* 900 */
	int lockout_s;        /* how long a lockout lasts (900) */
	int session_ttl_s;    /* session lifetime from login (43200 = 12 h) */
	bool fast_hash;       /* tests only: argon2id at libsodium's minimum cost */
} vd_auth_policy;
void vd_service_set_auth_policy(vd_service *s, const vd_auth_policy *p);

/* ---- users ---- */
/* Add a user with an argon2id hash of password (VD_PASSWORD_MIN..MAX bytes,
 * UTF-8).  org (may be NULL): an organisation to join; role vendor needs a
 * vendor organisation and role support-unit a support unit.  ECONFLICT if
 * the name exists. */
int vd_service_user_add(vd_service *s, const vd_principal *who, const char *name, vd_role role,
                        const char *org, const char *password, int64_t *id);
int vd_service_user_get(vd_service *s, const vd_principal *who, const char *name, vd_user_info *out);
int vd_service_user_list(vd_service *s, const vd_principal *who,
                         int (*cb)(void *ctx, const vd_user_info *u), void *ctx);
int vd_service_user_set_role(vd_service *s, const vd_principal *who, const char *name, vd_role role);
/* Disabling also ends the user's sessions; their tokens stop working. */
int vd_service_user_set_disabled(vd_service *s, const vd_principal *who, const char *name, bool disabled);
/* Change a password.  A user changing their own password over a session or
 * token must give old_password; admins and the command line need not. */
int vd_service_user_set_password(vd_service *s, const vd_principal *who, const char *name,
                                 const char *old_password, const char *new_password);
/* The account of who (ENOTFOUND for anonymous and the local operator). */
int vd_service_me(vd_service *s, const vd_principal *who, vd_user_info *out);

/* ---- organisations ---- */
int vd_service_org_add(vd_service *s, const vd_principal *who, const char *name, vd_org_type type,
                       int64_t *id);
int vd_service_org_get(vd_service *s, const vd_principal *who, const char *name, vd_org_info *out);
/* All organisations (analyst, admin) or only those who belongs to. */
int vd_service_org_list(vd_service *s, const vd_principal *who,
                        int (*cb)(void *ctx, const vd_org_info *o), void *ctx);
/* Add (add true) or remove user as a member of org. */
int vd_service_org_member(vd_service *s, const vd_principal *who, const char *org, const char *user, bool add);
/* A product the vendor organisation owns (vendor organisations only). */
int vd_service_org_product_add(vd_service *s, const vd_principal *who, const char *org, const char *product);
/* A security contact (email, optional name) of an organisation. */
int vd_service_org_contact_add(vd_service *s, const vd_principal *who, const char *org, const char *email,
                               const char *name);
/* Members (a: name, b: role), products (a) or contacts (a: email, b: name)
 * of org: kind is VD_ORG_ITEM_MEMBERS, _PRODUCTS or _CONTACTS (vulnd/store.h). */
int vd_service_org_items(vd_service *s, const vd_principal *who, const char *org, int kind,
                         int (*cb)(void *ctx, const char *a, const char *b), void *ctx);
/* Vendor organisation ids owning a product (for vd_perm_ctx.vendor_orgs):
 * up to max into ids, *n = how many there are.  No permission check. */
int vd_service_product_vendors(vd_service *s, const char *product, int64_t *ids, size_t max, size_t *n);

/* ---- API tokens ---- */
/* Create a token for user (expires_days 0: never; else 1..3650).  token
 * gets the secret ("vdt_" + 43 base64url characters): show it once, it is
 * stored only as a SHA-256 hash.  info (may be NULL) gets its record. */
int vd_service_token_create(vd_service *s, const vd_principal *who, const char *user, vd_scope scope,
                            int expires_days, char token[VD_SECRET_BUF], vd_token_info *info);
int vd_service_token_revoke(vd_service *s, const vd_principal *who, int64_t id);
/* Tokens of user (NULL: who's own; "*": everyone's, admin only), newest first. */
int vd_service_token_list(vd_service *s, const vd_principal *who, const char *user,
                          int (*cb)(void *ctx, const vd_token_info *t), void *ctx);

/* ---- logging in ---- */
typedef struct {
	char id[VD_SECRET_BUF];    /* session id ("vds_..."): the cookie value */
	char csrf[VD_SECRET_BUF];  /* CSRF token for cookie-authenticated writes */
	int64_t expires;           /* seconds since the epoch */
	int64_t locked_until;      /* on a lockout refusal: when it ends; else 0 */
} vd_session;
/* Check name and password; on success start a session (*out) and fill
 * *who.  VD_EPERM "wrong user name or password" (also for unknown or
 * disabled accounts), or "too many failed logins" with out->locked_until
 * while locked.  Every attempt is audited; from (may be NULL) is recorded
 * (e.g. the client address). */
int vd_service_login(vd_service *s, const char *name, const char *password, const char *from,
                     vd_session *out, vd_principal *who);
int vd_service_logout(vd_service *s, const char *session_id);
/* The principal of a session id; VD_EPERM when unknown, expired or the
 * account is disabled. */
int vd_service_session_auth(vd_service *s, const char *session_id, vd_principal *out);
/* VD_OK when csrf is the CSRF token of session_id; VD_EPERM otherwise. */
int vd_service_csrf_check(vd_service *s, const char *session_id, const char *csrf);
/* The principal of an API token; VD_EPERM when unknown, expired, revoked
 * or its user is disabled. */
int vd_service_token_auth(vd_service *s, const char *token, vd_principal *out);
/* One call per HTTP request: bearer (Authorization: Bearer, may be NULL)
 * wins, else session_id (cookie, may be NULL); a cookie-authenticated write
 * (write true) needs csrf; neither gives the anonymous principal.  A bad
 * credential is VD_EPERM, never a silent fallback to anonymous. */
int vd_service_authenticate(vd_service *s, const char *bearer, const char *session_id, const char *csrf,
                            bool write, vd_principal *out);

/* ---- permissions ---- */
/* vd_perm_check plus an audit entry when it refuses (target names the
 * object, may be NULL).  For the HTTP routing table and other services. */
int vd_service_authorize(vd_service *s, const vd_principal *who, vd_action a, const vd_perm_ctx *ctx,
                         const char *target);

/* ---- libraries ---- */
/* Add a library: code (id prefix), name, national or sector, field set,
 * policy (0 = defaults) and blackout windows from spec.  ECONFLICT if the
 * code exists or a second national library is asked for. */
int vd_service_library_add(vd_service *s, const vd_principal *who, const vd_library_info *spec, int64_t *id);
/* Replace name, field set, policy and blackout windows of spec->code. */
int vd_service_library_update(vd_service *s, const vd_principal *who, const vd_library_info *spec);
int vd_service_library_get(vd_service *s, const vd_principal *who, const char *code, vd_library_info *out);
int vd_service_library_list(vd_service *s, const vd_principal *who,
                            int (*cb)(void *ctx, const vd_library_info *l), void *ctx);
/* Allocate the next id of a library for the current month:
 * "CODE-YYYYMM-NNNN" (4 digits, more past 9999).  Never reused; unique
 * across processes. */
int vd_service_library_next_id(vd_service *s, const vd_principal *who, const char *code,
                               char out[VD_LIB_ID_BUF]);
/* Whether time t falls in a blackout window of the library (*hit gets it). */
int vd_service_library_blackout(vd_service *s, const char *code, int64_t t, bool *inside, vd_blackout *hit);
/* Check extra-field values against the library's field set: unknown
 * names, values not in the allowed list, missing required fields and bad
 * text are VD_EINVAL naming the field. */
int vd_service_library_check_fields(vd_service *s, const char *code, const char *const *names,
                                    const char *const *values, size_t n);
/* Create the national library (VD_NATIONAL_CODE) when there is none
 * (done by vd_service_db_migrate, i.e. `vulnd db init`). */
int vd_service_library_ensure_default(vd_service *s);

/* ---- the audit chain ---- */
/* Append an event (who may be NULL: "system").  Inside a transaction of
 * the store it joins it.  outcome: "ok", "denied" or "failed". */
int vd_service_audit(vd_service *s, const vd_principal *who, const char *action, const char *target,
                     const char *outcome, const char *why);
typedef struct {
	uint64_t checked;          /* entries verified */
	int64_t anchor_seq;        /* verification started after this (pruned) entry */
	int64_t head_seq;          /* last entry recorded */
	int64_t first_bad;         /* first broken entry, 0 when intact */
	char why[256];
} vd_audit_report;
/* Recompute the chain.  VD_OK intact; VD_ECONFLICT broken, with the first
 * broken entry in out->first_bad and the message naming it. */
int vd_service_audit_verify(vd_service *s, const vd_principal *who, vd_audit_report *out);
/* Entries after seq after_seq (limit ≤ 0: all), oldest first. */
int vd_service_audit_list(vd_service *s, const vd_principal *who, int64_t after_seq, int64_t limit,
                          int (*cb)(void *ctx, const vd_audit_entry *e), void *ctx);
/* The chain's stored bounds (anchor, head, count, oldest time). */
int vd_service_audit_bounds(vd_service *s, const vd_principal *who, vd_audit_bounds *out);
/* Drop entries older than before (a date or RFC 3339 time).  VD_EPERM,
 * saying why, when before is within the last 6 months (Art. 5). */
int vd_service_audit_prune(vd_service *s, const vd_principal *who, const char *before, int64_t *removed);

/* Keep up to bytes of published records' documents in memory for
 * vd_service_get_doc(VD_VIEW_PUBLIC) (0: no cache, the default).  Writes by
 * this process empty it before the next lookup; writes by other processes
 * within 0.25 s (the data version is checked that often: doc_cache.c).
 * Replaces any earlier cache. */
int vd_service_set_cache(vd_service *s, size_t bytes);
/* Lookups answered from such caches, and lookups they missed, over every
 * service handle of the process. */
void vd_service_cache_counts(uint64_t *hits, uint64_t *misses);

/* Cheap liveness check of the database (for /healthz). */
int vd_service_ping(vd_service *s);

/* ==== coordinated disclosure: reports and cases (issue 7; src/service/case.c
 * and notify.c; the state machine, gate, clocks and duplicate check in
 * vulnd/workflow.h; docs/workflow.md).
 *
 * Every step goes through vd_service_case_step(), which takes the row of
 * the state table (vd_case_rule_find), checks the permission table for the
 * row's action (a refusal is VD_EPERM and audited), runs the guard (every
 * failing reason listed: VD_EPERM, reasons in *why and in the message),
 * applies the step, writes the thread entry and the audit event in one
 * transaction.  Input is validated first (VD_EINVAL / VD_ETOOBIG naming the
 * field; nothing is changed).  Unpublished data never reaches VD_VIEW_PUBLIC:
 * a verified case's record is stored as the source document "case" in state
 * unpublished, and publishing flips it in the same transaction. ==== */

typedef struct {
	char smtp_url[512];       /* "smtp://127.0.0.1:2525" (smtps:// too); "": mail is logged as not sent */
	char mail_from[VD_EMAIL_MAX + 1];   /* "": vulnd@localhost */
	char attach_dir[1024];    /* content-addressed attachment store, outside any web root; "":
	                             attachments are refused (vd_case_config_defaults sets <db>.attachments) */
	size_t attach_max;        /* bytes per file; 0: VD_ATTACH_MAX_DEFAULT */
	int smtp_timeout_s;       /* 0: 10 */
} vd_case_config;
/* Defaults for a database at db_path (NULL or ":memory:": no attachment dir). */
void vd_case_config_defaults(vd_case_config *cfg, const char *db_path);
/* Copy cfg into the service (NULL: back to "no mail, no attachments"). */
void vd_service_case_configure(vd_service *s, const vd_case_config *cfg);

/* A file sent with a report (bytes borrowed for the call). */
typedef struct {
	const char *name;         /* file name only: no '/', '\\', leading '.', control characters */
	const void *data;
	size_t len;
	const char *kind;         /* poc (default), exploit, screenshot, document, patch */
} vd_attachment_in;

/* A report (strings borrowed for the call; NULL = absent). */
typedef struct {
	const char *title;        /* required, <= VD_CASE_TITLE_MAX bytes */
	const char *description;  /* required, <= VD_CASE_TEXT_MAX */
	const char *product;      /* required, <= VD_CASE_SHORT_MAX */
	const char *vendor, *version, *cwe, *cve, *grade, *steps;
	const char *vector;       /* CVSS 2/3.x/4.0 or GB/T 30279 vector (validated) */
	const char *library;      /* library code; NULL: the national library */
	const char *learned_at;   /* Art. 7: when the (vendor) submitter learned of it */
	const char *const *field_names;   /* sector extra fields (vd_service_library_check_fields) */
	const char *const *field_values;
	size_t n_fields;
	const vd_attachment_in *attachments;
	size_t n_attachments;     /* <= VD_ATTACH_PER_CASE */
} vd_report_in;

/* A duplicate/originality candidate. */
typedef struct {
	char id[VD_LIB_ID_BUF + 24];   /* record id, or "case:N" */
	double score;                  /* 0..1 */
	char why[256];                 /* "same CVE id ...; same product ...; text 0.42" */
	char title[200];
} vd_dedup_candidate;
#define VD_DEDUP_TOP 5

/* Submit a report: stored as a case in state triage, attachments stored,
 * the duplicate check run (its result goes to the staff thread).  top (may
 * be NULL) gets up to VD_DEDUP_TOP candidates when who may triage. */
int vd_service_report_submit(vd_service *s, const vd_principal *who, const vd_report_in *in, int64_t *case_id,
                             vd_dedup_candidate top[VD_DEDUP_TOP], size_t *n_top);
/* A case with its attachments (metadata); *out freed with vd_case_free.
 * ENOTFOUND also when who may not read it (after the refusal is audited). */
int vd_service_case_get(vd_service *s, const vd_principal *who, int64_t id, vd_case **out);
/* Cases who may read (state NULL: any), in id order. */
int vd_service_case_list(vd_service *s, const vd_principal *who, const char *state,
                         int (*cb)(void *ctx, const vd_case *c), void *ctx);
/* Take a step.  VD_EPERM with every reason in *why (may be NULL) when the
 * table has no such step in the current state, the role may not, or the
 * guard / publication gate refuses. */
int vd_service_case_step(vd_service *s, const vd_principal *who, int64_t id, vd_case_event ev,
                         const vd_case_args *a, vd_reasons *why);
/* Duplicate candidates of a case (analysts): up to max, best first. */
int vd_service_case_candidates(vd_service *s, const vd_principal *who, int64_t id, vd_dedup_candidate *out,
                               size_t max, size_t *n);
/* The thread / history of a case who may see (staff-only entries such as
 * expert opinions are skipped for reporters and vendors). */
int vd_service_case_thread(vd_service *s, const vd_principal *who, int64_t id,
                           int (*cb)(void *ctx, const vd_case_event_row *e), void *ctx);
/* Notifications log of a case (staff). */
int vd_service_case_notices(vd_service *s, const vd_principal *who, int64_t id,
                            int (*cb)(void *ctx, const vd_notice_row *n), void *ctx);
/* The content of an attachment (reporter, assigned analyst/experts, the
 * case's vendors, analysts, admin; audited).  sha256: full hex or a prefix
 * of at least 8.  *data malloc'd (caller frees); name (may be NULL) gets
 * the stored file name. */
int vd_service_attachment_get(vd_service *s, const vd_principal *who, int64_t case_id, const char *sha256,
                              char **data, size_t *len, char name[VD_ATTACH_NAME_MAX + 1]);

/* A due clock item of a case. */
typedef struct {
	int64_t case_id;
	const char *record_id, *library, *state, *title;   /* valid during the callback */
	vd_clock_item item;
	bool fired_now;           /* this call recorded it (and sent the mail) */
} vd_due_item;
/* Everything due at now over all cases (staff).  fire: record each item
 * the first time (exactly once across processes: a unique key), audit it,
 * add it to the thread and mail reminders to the vendor contacts. */
int vd_service_cases_due(vd_service *s, const vd_principal *who, bool fire,
                         int (*cb)(void *ctx, const vd_due_item *d), void *ctx);

/* Send one mail through the configured SMTP server (notify.c).  VD_OK,
 * VD_EUNSUPPORTED when no server is configured, VD_EIO with the reason. */
int vd_service_mail(vd_service *s, const char *to, const char *subject, const char *body);

/* ---- SBOM matching and VEX (issue 8; src/service/match.c) ---- */
#include "vulnd/sbom.h"

/* One finding: a component of the SBOM inside an affected entry of a
 * record.  Strings valid during the callback. */
typedef struct {
	size_t component;                /* index into sbom->comps */
	const vd_sbom_component *comp;
	const char *version;             /* the version tested (purl version, else component version) */
	const char *purl;                /* the component's purl, normalised (NULL without one) */
	const char *vuln_id;             /* record id */
	const char *const *aliases; size_t n_aliases;   /* the record's other ids */
	const char *grade;               /* critical/high/medium/low, NULL when unknown */
	const char *fixed;               /* lowest fixed version above `version`, NULL when none known */
	const char *matched_by;          /* "purl", "package" (OSV ecosystem + name) or "cpe" */
	const char *ecosystem, *package; /* of the matching entry (NULL for CPE matches) */
	vd_vex_state vex;                /* analysis state from a VEX statement; NONE without one */
	const char *vex_justification, *vex_detail, *vex_source;
	bool suppressed;                 /* vex is not_affected or fixed */
} vd_finding;

typedef struct {
	const vd_sbom *const *vex; size_t n_vex;  /* VEX documents for this run (win over stored ones) */
	bool no_stored_vex;              /* ignore the statements stored in the database */
	bool report_suppressed;          /* suppressed findings go to cb too (suppressed = true) */
} vd_match_opts;

typedef struct {
	size_t components;               /* components in the SBOM */
	size_t matchable;                /* ... with a purl or a CPE (the others cannot be matched) */
	size_t candidates;               /* affected entries looked at */
	size_t unevaluable;              /* ... that could not be evaluated (GIT-only ranges, bad versions) */
	size_t with_findings;            /* components with at least one reported finding */
	size_t findings;                 /* findings reported (not suppressed) */
	size_t suppressed;               /* findings suppressed by VEX */
	size_t by_severity[5];           /* reported findings: critical, high, medium, low, unknown */
} vd_match_stats;

/* Match every component (purl first: by purl, then by OSV ecosystem +
 * package; CPE only when the purl finds no candidate entry or there is no
 * purl) against the catalogue the view may see, evaluate the version with
 * the entry's scheme (vd_affected_contains / CPE matching) and hand each
 * finding to cb (component order, then record id; one finding per component
 * and record).  A finding whose VEX state is not_affected or fixed is
 * suppressed.  A non-zero cb return stops and is returned.  st (may be
 * NULL) is filled.  VD_EUNSUPPORTED when the store backend cannot match. */
int vd_service_match(vd_service *s, vd_view view, const vd_sbom *sbom, const vd_match_opts *o,
                     int (*cb)(void *ctx, const vd_finding *f), void *ctx, vd_match_stats *st);

/* Store the VEX statements of a document (CycloneDX VEX or CSAF) so later
 * matches apply them: keyed by the product's purl (as given, normalised),
 * else its CPE, else its reference.  source names the document (file name).
 * Statements without a product key are counted in *skipped (may be NULL). */
int vd_service_vex_store(vd_service *s, const vd_sbom *vex, const char *source, size_t *stored,
                         size_t *skipped);

#endif
