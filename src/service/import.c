/* Import: input walk → converter → source documents → merged records.
 *
 * Every source record is kept as a source document (source, source_id);
 * the record a user sees is recomputed from all source documents that
 * joined it, in a fixed source priority order, so the result does not
 * depend on import order and re-importing the same input changes nothing.
 * A new source document joins an existing record when its id or any alias
 * resolves to one (an OSV GO-… aliasing CVE-… joins the CVE record). */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/cvss.h"
#include "vulnd/cwe.h"
#include "vulnd/gbt30279.h"
#include "service_int.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 10000

typedef struct {
	vd_service *svc;
	vd_format fmt;
	const vd_import_cb *cb;
	vd_import_stats *st;
	int in_batch;
	int err;                  /* fatal store error */
} importer;

static void skipped(importer *im, const char *where, const char *reason)
{
	im->st->skipped++;
	if (im->cb && im->cb->skipped)
		im->cb->skipped(im->cb->ctx, where, reason);
}

static void on_bad(void *ctx, const char *where, const char *reason)
{
	importer *im = ctx;
	im->st->read++;
	skipped(im, where, reason);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	importer *im = ctx;
	im->st->bytes_done = done;
	im->st->bytes_total = total;
	if (im->cb && im->cb->progress)
		im->cb->progress(im->cb->ctx, im->st);
}

/* ---- recompute a record from its source documents ---- */
#define MAX_SOURCES 256   /* source documents folded into one record */

typedef struct {
	vd_record *docs[MAX_SOURCES];
	char *names[MAX_SOURCES];
	size_t n;
	int err;
} srcset;

static int collect(void *ctx, const vd_source_doc *d)
{
	srcset *ss = ctx;
	if (ss->n == MAX_SOURCES)
		return VD_OK;   /* more are ignored (list order is deterministic) */
	vd_record *r;
	if (vd_record_from_json(d->json, strlen(d->json), &r)) {
		ss->err = vd_error_set(VD_EINTERNAL, "stored source document %s/%s is corrupt: %s",
		                       d->source, d->source_id, vd_error_msg());
		return ss->err;
	}
	ss->names[ss->n] = strdup(d->source);
	ss->docs[ss->n++] = r;
	return ss->names[ss->n - 1] ? VD_OK : (ss->err = vd_error_set(VD_ENOMEM, "out of memory"));
}

/* Parents through the stored CWE catalogue, for the GB/T class fallback. */
static int store_cwe_parents(void *ctx, int cwe, int *out, size_t max)
{
	vd_store *st = ctx;
	return st->ops->cwe_parents ? st->ops->cwe_parents(st, cwe, out, max) : 0;
}

/* Where no source gave them (provenance "computed"):
 *  - class_code: the GB/T 30279 class named by the source's class text
 *    (CNNVD vuln-type), else that of the first CWE of the record whose class
 *    is not 其他 (nearest mapped ancestor through the stored catalogue),
 *    else 其他 when the record has CWEs (vulnd/gbt30279.h);
 *  - grade: from a GB/T 30279 vector among the scores by the default
 *    grading table, else from the highest CVSS v3/v4 base score by the
 *    table's CVSS rows (9.0–10 超危, 7.0–8.9 高危, 4.0–6.9 中危, 0.1–3.9
 *    低危).  grade_basis names the vector and the table version. */
static void compute_grade(vd_store *st, vd_record *r)
{
	if (!r->class_code) {
		const vd_gbt_class *c = NULL, *other = vd_gbt_class_other();
		char basis[96] = "";
		if (r->class_text && (c = vd_gbt_class_by_name(r->class_text)))
			snprintf(basis, sizeof basis, "class_text");
		for (size_t i = 0; !c && i < r->n_cwes; i++) {
			int via;
			const vd_gbt_class *k = vd_gbt_classify_cwe_str(r->cwes[i], store_cwe_parents, st, &via);
			if (k != other || i + 1 == r->n_cwes) {
				c = k;
				int id = 0;
				if (k != other && via && (vd_cwe_id_parse(r->cwes[i], &id) != VD_OK || id != via))
					snprintf(basis, sizeof basis, "%.40s via CWE-%d", r->cwes[i], via);
				else
					snprintf(basis, sizeof basis, "%.40s", r->cwes[i]);
			}
		}
		vd_error_clear();
		if (c) {
			r->class_code = vd_record_str(r, c->code);
			vd_record_add_prov(r, "class_code", "computed", basis, NULL);
		}
	}
	if (r->grade)
		return;
	char basis[256];
	vd_gbt_grade g = VD_GBT_GRADE_NONE;
	for (size_t i = 0; i < r->n_scores && g == VD_GBT_GRADE_NONE; i++) {
		vd_gbt_vector v;
		vd_gbt_result res;
		if (vd_gbt_is_vector(r->scores[i].vector) && vd_gbt_vector_parse(r->scores[i].vector, &v) == VD_OK &&
		    vd_gbt_grade_vector(NULL, &v, &res) == VD_OK) {
			g = res.overall;
			vd_strlcpy(basis, res.basis, sizeof basis);
		}
	}
	if (g == VD_GBT_GRADE_NONE) {
		double best = -1;
		const vd_score *bs = NULL;
		for (size_t i = 0; i < r->n_scores; i++) {
			const vd_score *s = &r->scores[i];
			double b = s->base;
			vd_cvss c;
			if (b < 0 && s->vector && vd_cvss_parse_ex(s->vector, VD_CVSS_ANY_ORDER, &c) == VD_OK &&
			    c.version >= 30)
				b = c.base;
			if (b >= 0 && s->version && (s->version[0] == '3' || s->version[0] == '4') && b > best) {
				best = b;
				bs = s;
			}
		}
		if (bs)
			g = vd_gbt_grade_cvss(NULL, bs->version, best, bs->vector, basis, sizeof basis);
	}
	vd_error_clear();
	if (g == VD_GBT_GRADE_NONE)
		return;
	r->grade = vd_record_str(r, vd_gbt_grade_key(g));
	r->grade_basis = vd_record_str(r, basis);
	vd_record_add_prov(r, "grade", "computed", basis, NULL);
}

/* The record users see, folded from its source documents by the merge
 * rules (merge.c); ENOTFOUND when it has none left. */
static int recompute(vd_service *svc, const char *record_id, const vd_merge_src *fresh,
                     vd_record **out, unsigned *kept_manual)
{
	srcset ss = {.n = 0};
	vd_merge_src src[MAX_SOURCES];
	int rc = VD_OK;
	if (fresh) {            /* a new record: its only source is at hand */
		src[0] = *fresh;
		rc = vd_merge_sources(record_id, src, 1, out, kept_manual);
		if (!rc)
			compute_grade(svc->store, *out);
		return rc;
	}
	rc = svc->store->ops->source_list(svc->store, record_id, collect, &ss);
	if (!rc && ss.err)
		rc = ss.err;
	if (!rc && ss.n == 0)
		rc = VD_ENOTFOUND;
	for (size_t i = 0; !rc && i < ss.n; i++) {
		src[i].source = ss.names[i];
		src[i].doc = ss.docs[i];
	}
	if (!rc && (rc = vd_merge_sources(record_id, src, ss.n, out, kept_manual)) == VD_OK)
		compute_grade(svc->store, *out);
	for (size_t i = 0; i < ss.n; i++) {
		vd_record_free(ss.docs[i]);
		free(ss.names[i]);
	}
	return rc;
}

int vd_svc_rebuild(vd_service *svc, const char *record_id, const vd_merge_src *fresh,
                   unsigned *kept_manual, char *outcome)
{
	vd_record *merged = NULL;
	char *newjson = NULL, oldhash[17], newhash[17];
	int rc = svc->store->ops->record_hash(svc->store, record_id, oldhash);
	bool exists = rc == VD_OK;
	if (rc && rc != VD_ENOTFOUND)
		return rc;
	/* the fast path only when nothing else can belong to the record */
	rc = recompute(svc, record_id, exists ? NULL : fresh, &merged, kept_manual);
	if (rc == VD_ENOTFOUND) {
		rc = exists ? vd_store_delete(svc->store, record_id) : VD_OK;
		*outcome = 'd';
		return rc;
	}
	if (rc)
		return rc;
	if ((rc = vd_record_to_json(merged, &newjson)) == VD_OK) {
		vd_hash64_hex(newjson, strlen(newjson), newhash);
		if (exists && strcmp(oldhash, newhash) == 0) {
			*outcome = 'u';
		} else {
			rc = svc->store->ops->record_put_doc(svc->store, merged, newjson, strlen(newjson));
			*outcome = exists ? 'c' : 'a';
		}
	}
	free(newjson);
	vd_record_free(merged);
	return rc;
}


/* Two different versions of one source record: the newer `modified` wins;
 * on a tie the larger content hash, so the outcome is order-independent. */
static bool incoming_wins(const vd_record *r, const vd_source_doc *cur, const char *hash)
{
	json_t *o = json_loads(cur->json, 0, NULL);
	const char *m = json_string_value(json_object_get(o, "modified"));
	int c = (r->modified ? 1 : 0) - (m ? 1 : 0);
	if (r->modified && m)
		c = strcmp(r->modified, m);     /* canonical UTC strings order as time */
	bool wins = c > 0 || (c == 0 && strcmp(hash, cur->hash) > 0);
	json_decref(o);
	return wins;
}

static int store_one(importer *im, const char *where, vd_record *r, const char *source)
{
	vd_service *svc = im->svc;
	char *json = NULL, *oldtarget = NULL, hash[17];
	int rc;
	if ((rc = vd_record_validate(r))) {
		skipped(im, where, vd_error_msg());
		return VD_OK;
	}
	if ((rc = vd_record_to_json(r, &json)))
		return rc;
	vd_hash64_hex(json, strlen(json), hash);

	const char *key = r->source_key ? r->source_key : r->id;
	vd_source_doc cur;
	rc = svc->store->ops->source_get(svc->store, source, key, &cur);
	if (rc == VD_OK && ((strcmp(cur.hash, hash) == 0 && strcmp(cur.json, json) == 0) ||
	                    !incoming_wins(r, &cur, hash))) {
		/* identical, or an older copy of the same source record (the same
		 * record twice in one input): the stored one stays, so import
		 * order never matters */
		im->st->unchanged++;
		free(json);
		return VD_OK;
	}
	if (rc != VD_OK && rc != VD_ENOTFOUND)
		goto out;
	const char *target = vd_merge_anchor(r);
	if (rc == VD_OK && strcmp(cur.record_id, target) != 0 && !(oldtarget = strdup(cur.record_id))) {
		rc = vd_error_set(VD_ENOMEM, "out of memory");
		goto out;
	}
	bool was_new = rc == VD_ENOTFOUND;
	vd_source_doc nd = {source, key, target, hash, json};
	if ((rc = svc->store->ops->source_put(svc->store, &nd)))
		goto out;
	char outcome = 'u';
	unsigned kept = 0;
	vd_merge_src fresh = {source, r};
	if ((rc = vd_svc_rebuild(svc, target, was_new ? &fresh : NULL, &kept, &outcome)))
		goto out;
	im->st->kept_manual += kept;
	if (was_new && outcome != 'a')
		im->st->joined++;
	switch (outcome) {
	case 'a': im->st->added++; break;
	case 'c': im->st->changed++; break;
	default: im->st->unchanged++; break;
	}
	if (oldtarget) {   /* the document moved to another record: fix the old one */
		char o2;
		rc = vd_svc_rebuild(svc, oldtarget, NULL, NULL, &o2);
	}
out:
	free(json);
	free(oldtarget);
	return rc;
}

/* One value → one or more records (a CSAF document gives one per
 * vulnerability, an uncut NVD page one per item); each is stored. */
typedef struct {
	importer *im;
	const vd_doc *d;
	vd_format detected;
	long n;
} doc_ctx;

static void on_part_bad(void *ctx, long index, const char *reason)
{
	doc_ctx *dc = ctx;
	char where[4300];
	snprintf(where, sizeof where, "%s#%ld", dc->d->where, index);
	dc->im->st->read++;
	skipped(dc->im, where, reason);
}

static int on_record(void *ctx, vd_record *r)
{
	doc_ctx *dc = ctx;
	importer *im = dc->im;
	int rc;
	if (dc->n++ > 0)
		im->st->read++;   /* the first record was counted with the value */
	im->st->by_format[dc->detected]++;
	if (!im->in_batch) {
		if ((rc = vd_store_begin(im->svc->store))) {
			vd_record_free(r);
			return rc;
		}
		im->in_batch = 1;
	}
	rc = store_one(im, dc->d->where, r, vd_format_name(dc->detected));
	vd_record_free(r);
	if (rc)
		return rc;
	if (++im->in_batch > BATCH) {
		if ((rc = vd_store_commit(im->svc->store)))
			return rc;
		im->in_batch = 0;
	}
	return VD_OK;
}

static int on_doc(void *ctx, const vd_doc *d)
{
	importer *im = ctx;
	im->st->read++;
	doc_ctx dc = {im, d, VD_FMT_UNKNOWN, 0};
	int rc = vd_format_to_records(im->fmt, d->doc, &dc.detected, on_record, on_part_bad, &dc);
	if (rc && dc.n == 0 && im->err == VD_OK && (rc == VD_EINVAL || rc == VD_EUNSUPPORTED)) {
		char reason[1200];
		snprintf(reason, sizeof reason, "%s%s%s", im->fmt == VD_FMT_AUTO ? "" : vd_format_name(im->fmt),
		         im->fmt == VD_FMT_AUTO ? "" : ": ", vd_error_msg());
		skipped(im, d->where, reason);
		return VD_OK;
	}
	if (rc)
		goto fail;
	return VD_OK;
fail:
	vd_error_prefix("%s: ", d->where);
	im->err = rc;
	return rc;
}

int vd_service_import(vd_service *svc, vd_format fmt, const char *path, const vd_import_cb *cb,
                      vd_import_stats *st)
{
	memset(st, 0, sizeof *st);
	importer im = {.svc = svc, .fmt = fmt, .cb = cb, .st = st};
	vd_input_sink sink = {on_doc, on_bad, on_progress, &im};
	int rc = vd_input_walk(path, &sink);
	if (im.in_batch) {
		if (rc || im.err) {
			char keep[1024];
			vd_strlcpy(keep, vd_error_msg(), sizeof keep);
			vd_store_rollback(svc->store);
			vd_error_set(im.err ? im.err : rc, "%s (the last batch was rolled back)", keep);
		} else {
			rc = vd_store_commit(svc->store);
		}
	}
	return im.err ? im.err : rc;
}
