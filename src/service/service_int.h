/* Internal to src/service/. */
#ifndef VULND_SERVICE_INT_H
#define VULND_SERVICE_INT_H
#include "vulnd/store.h"
#include "vulnd/service.h"

typedef struct vd_doc_cache vd_doc_cache;

struct vd_service {
	vd_store *store;
	vd_doc_cache *cache;    /* published documents by id asked (doc_cache.c); NULL: none */
	/* accounts and the audit chain (auth.c): clock and login policy */
	vd_clock_fn clock;
	void *clock_ctx;
	vd_auth_policy auth;
	/* disclosure cases (case.c, notify.c): mail and attachment settings */
	vd_case_config cases;
};

/* ---- the published-record cache (doc_cache.c) ---- */
/* A cache of at most budget bytes; *out NULL (no cache) when budget is 0. */
int vd_doc_cache_new(size_t budget, vd_doc_cache **out);
void vd_doc_cache_free(vd_doc_cache *c);
/* Before each lookup: drop everything when the store's data moved. */
int vd_doc_cache_check(vd_doc_cache *c, vd_store *st);
/* A copy of the cached document for key into *out (free with
 * vd_record_doc_free); false when not cached. */
bool vd_doc_cache_get(vd_doc_cache *c, const char *key, vd_record_doc *out);
/* Keep a copy of d, a published record's document, under key. */
void vd_doc_cache_put(vd_doc_cache *c, const char *key, const vd_record_doc *d);
/* Hits and misses of every cache in the process. */
void vd_doc_cache_counts(uint64_t *hits, uint64_t *misses);

/* ---- merge rules (merge.c) ---- */
#include "vulnd/record.h"

/* One source document of a record, as stored. */
typedef struct {
	const char *source;     /* cve5, osv, ..., manual */
	const vd_record *doc;
} vd_merge_src;

/* The record id a source document belongs to (see merge.c); borrowed from doc. */
const char *vd_merge_anchor(const vd_record *doc);
/* Fold the source documents of one record into the record users see.
 * *out owned by the caller.  kept_manual (may be NULL) is increased by the
 * number of field values a manual edit kept from being overwritten. */
int vd_merge_sources(const char *record_id, vd_merge_src *src, size_t n, vd_record **out,
                     unsigned *kept_manual);

/* The char * slot of a single-valued field named as in provenance
 * ("title.zh", "grade", ...); NULL for an unknown name. */
char **vd_merge_field_slot(vd_record *r, const char *field, bool *is_grade);
/* Comma-separated list of the editable field names, for messages. */
const char *vd_merge_field_names(void);

/* Recompute one record from its source documents and store it if it
 * changed, or delete it when none is left (import.c).  fresh, when not
 * NULL, is a just-stored source document: if the record does not exist yet
 * it is the only one, and the stored documents are not read back.  *outcome is 'a'dded,
 * 'c'hanged, 'u'nchanged or 'd'eleted. */
int vd_svc_rebuild(vd_service *svc, const char *record_id, const vd_merge_src *fresh,
                   unsigned *kept_manual, char *outcome);

/* ---- one affected entry from its JSON (affected_view.c) ---- */
#include <jansson.h>

typedef struct {
	json_t *j;           /* owns the strings of a */
	void *block;         /* owns the arrays of a */
	vd_affected a;       /* borrowed view; valid until vd_affected_view_free */
} vd_affected_view;

/* Most of each part an entry may have (more: VD_ETOOBIG). */
typedef struct { size_t ranges, versions, events, cpes; } vd_affected_limits;

/* Decode an affected entry's canonical JSON into v.  VD_EINVAL when it is
 * not a JSON object, VD_ETOOBIG over lim, VD_ENOMEM; v is empty then. */
int vd_affected_view_load(vd_affected_view *v, const char *json, size_t n, const vd_affected_limits *lim);
void vd_affected_view_free(vd_affected_view *v);

#endif
