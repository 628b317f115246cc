/* vulnd/record.h — the vulnerability record (GB/T 28458 items plus what the
 * open formats need), its parts, and its canonical JSON form.
 *
 * Ownership: a record owns an arena (rec->arena); every string and array
 * hanging off the record lives in it and is freed by vd_record_free().
 * Build records only with the vd_record_* helpers below, which copy their
 * string arguments into the arena.  Arrays are (pointer, count) pairs.
 * Strings are UTF-8; absent values are NULL (never "").
 * Timestamps are canonical RFC 3339 UTC strings "YYYY-MM-DDTHH:MM:SSZ".
 */
#ifndef VULND_RECORD_H
#define VULND_RECORD_H
#include <stddef.h>
#include <stdint.h>
#include "vulnd/util.h"

typedef enum {
	VD_STATE_PUBLISHED = 0,
	VD_STATE_UNPUBLISHED,     /* embargoed: never visible to the public */
	VD_STATE_REJECTED,
	VD_STATE_WITHDRAWN,
} vd_state;
const char *vd_state_name(vd_state s);             /* "published", ... */
int vd_state_parse(const char *s, vd_state *out);  /* VD_EINVAL on unknown */

/* Text in both languages; either may be NULL. */
typedef struct { char *zh, *en; } vd_text;

typedef struct {
	char *id;        /* CVE-2021-44228, GHSA-..., CNNVD-..., GO-2022-0001 */
	char *source;    /* who says so: "cve5", "osv", "cnnvd", ... */
} vd_alias;

typedef struct {
	char *version;   /* "2.0", "3.0", "3.1", "4.0", or other scheme name */
	char *vector;    /* as given */
	double base;     /* base score as given by the source; < 0 when absent */
	char *severity;  /* as given (e.g. "HIGH"), may be NULL */
	char *source;    /* who scored: cna, adp:CISA-ADP, nvd, osv, ... */
} vd_score;

typedef enum {
	VD_EV_INTRODUCED = 0, VD_EV_FIXED, VD_EV_LAST_AFFECTED, VD_EV_LIMIT
} vd_event_kind;
const char *vd_event_kind_name(vd_event_kind k);   /* "introduced", ... */
int vd_event_kind_parse(const char *s, vd_event_kind *out);

typedef struct { vd_event_kind kind; char *value; } vd_event;

typedef struct {
	char *type;      /* OSV range type: ECOSYSTEM, SEMVER, GIT; or CVE versionType */
	char *repo;      /* GIT ranges */
	vd_event *events; size_t n_events;
} vd_range;

typedef struct {
	char *vendor, *product;       /* free text names as given */
	char *ecosystem, *package;    /* OSV ecosystem + package name */
	char *purl;                   /* pkg:type/ns/name */
	char **cpes; size_t n_cpes;   /* CPE 2.3 formatted strings */
	vd_range *ranges; size_t n_ranges;
	char **versions; size_t n_versions;  /* explicit affected versions */
	char *vers;                   /* a vers: range string, when given so */
	char *default_status;         /* CVE 5 defaultStatus */
	char *source;                 /* which source contributed this entry */
} vd_affected;

typedef struct {
	char *url;
	char *type;      /* advisory, patch, report, exploit, web, article, package, ... (lower case) */
	char *source;
} vd_reference;

typedef struct {
	char *name;
	char *type;      /* CVE 5 credit types: finder, reporter, analyst, ...; may be NULL */
	char *source;
} vd_credit;

/* Which source set a field, and when.  field names are the JSON keys of the
 * canonical form ("title.en", "description.zh", "severity", "affected", ...). */
typedef struct {
	char *field;
	char *source;       /* cve5, osv, nvd2, cnnvd, cnvd, csaf, manual, computed */
	char *source_id;    /* the id the source used for the record */
	char *time;         /* the source's modified time (or import time) */
	bool overridden;    /* this source had another value that lost the merge */
} vd_provenance;

typedef struct vd_record {
	vd_arena *arena;
	char *id;                       /* this library's id (primary key) */
	vd_state state;
	char *published, *modified, *withdrawn;
	vd_text title, description;
	vd_text existence;              /* 漏洞存在性说明 */
	vd_text detection;              /* 检测方法 */
	vd_text solution;               /* 解决方案 */
	char *publisher, *verifier;     /* 发布单位, 验证单位 */
	char *class_code;               /* GB/T 30279 class code (scoring issue) */
	char *class_text;               /* class as the source gave it (e.g. CNNVD vuln-type) */
	char *grade;                    /* critical/high/medium/low (超危/高危/中危/低危) */
	char *grade_basis;              /* "cvss:3.1", "gbt30279", "cnnvd", ... */
	char *library;                  /* library code: NVDB, APP, VEH (workflow issue) */
	char **cwes; size_t n_cwes;     /* "CWE-79" */
	vd_alias *aliases; size_t n_aliases;
	vd_score *scores; size_t n_scores;
	vd_affected *affected; size_t n_affected;
	vd_reference *refs; size_t n_refs;
	vd_credit *credits; size_t n_credits;   /* discoverers and other credits */
	vd_provenance *prov; size_t n_prov;
	/* Import only, not part of the canonical JSON: the key the source
	 * document is stored under when the source's record id alone is not
	 * unique (a CSAF advisory per CVE: "RHSA-2019:1862/CVE-2019-1234").
	 * NULL means id. */
	char *source_key;
} vd_record;

/* New empty record with its own arena; NULL on ENOMEM. */
vd_record *vd_record_new(void);
void vd_record_free(vd_record *r);

/* Copy a string into the record's arena (NULL → NULL; "" and all-blank → NULL). */
char *vd_record_str(vd_record *r, const char *s);
/* Set a text field; lang is "zh" or "en" (anything else starting with zh → zh,
 * else en). Leaves the field alone when s is empty. */
void vd_record_set_text(vd_record *r, vd_text *t, const char *lang, const char *s);

/* Append helpers: copy arguments; return a pointer to the new element or
 * NULL on ENOMEM.  Duplicates are skipped where noted (returns the existing). */
vd_alias     *vd_record_add_alias(vd_record *r, const char *id, const char *source); /* dedup by id */
char        **vd_record_add_cwe(vd_record *r, const char *cwe);                      /* dedup */
vd_score     *vd_record_add_score(vd_record *r, const char *version, const char *vector,
                                  double base, const char *severity, const char *source); /* dedup by vector+source */
vd_affected  *vd_record_add_affected(vd_record *r);
char        **vd_affected_add_cpe(vd_record *r, vd_affected *a, const char *cpe);
char        **vd_affected_add_version(vd_record *r, vd_affected *a, const char *v);
vd_range     *vd_affected_add_range(vd_record *r, vd_affected *a, const char *type, const char *repo);
vd_event     *vd_range_add_event(vd_record *r, vd_range *g, vd_event_kind k, const char *value);
vd_reference *vd_record_add_ref(vd_record *r, const char *url, const char *type, const char *source); /* dedup by url */
vd_credit    *vd_record_add_credit(vd_record *r, const char *name, const char *type, const char *source);
vd_provenance *vd_record_add_prov(vd_record *r, const char *field, const char *source,
                                  const char *source_id, const char *time);

/* Does the record carry this id as its id or as an alias? */
bool vd_record_has_id(const vd_record *r, const char *id);

/* Check invariants a record must meet before it is stored: id present,
 * valid UTF-8, state valid, timestamps canonical.  VD_EINVAL with reason. */
int vd_record_validate(const vd_record *r);

/* Merge src into dst (both unchanged except dst): aliases, cwes, scores,
 * affected entries, references, credits and provenance are unioned; scalar
 * and text fields of dst are filled from src only where dst has none.
 * Idempotent: merging the same src twice gives the same dst. */
int vd_record_merge(vd_record *dst, const vd_record *src);

/* ---- canonical JSON (the form stored and printed by `show --json`) ---- */
/* Encode into a malloc'd, compact, key-sorted string (caller frees). */
int vd_record_to_json(const vd_record *r, char **out);
/* One affected entry as canonical JSON (the same bytes as inside the
 * record's JSON); *out malloc'd, caller frees. */
int vd_affected_to_json(const vd_affected *a, char **out);
/* The same bytes through a jansson tree (slower; for tests and tools). */
int vd_record_to_json_jansson(const vd_record *r, char **out);
/* Decode the canonical form; *out owned by the caller. */
int vd_record_from_json(const char *json, size_t len, vd_record **out);

/* Opaque jansson handle for callers that want the tree (json_t *). */
struct json_t;
struct json_t *vd_record_to_jansson(const vd_record *r);
int vd_record_from_jansson(struct json_t *j, vd_record **out);

#endif
