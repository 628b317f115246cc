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
#include "service_int.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 10000

/* Lower number = consulted first in the merge (wins for single-valued fields). */
static int source_rank(const char *src)
{
	static const char *order[] = {"manual", "cve5", "nvd2", "cnnvd", "cnvd", "osv", "csaf"};
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if (strcmp(src, order[i]) == 0)
			return (int)i;
	return 100;
}

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
typedef struct {
	vd_record *docs[64];
	int rank[64];
	size_t n;
	int err;
} srcset;

static int collect(void *ctx, const vd_source_doc *d)
{
	srcset *ss = ctx;
	if (ss->n == sizeof ss->docs / sizeof *ss->docs)
		return VD_OK;   /* more than 64 sources for one record: keep the first 64 */
	vd_record *r;
	if (vd_record_from_json(d->json, strlen(d->json), &r)) {
		ss->err = vd_error_set(VD_EINTERNAL, "stored source document %s/%s is corrupt: %s",
		                       d->source, d->source_id, vd_error_msg());
		return ss->err;
	}
	/* insertion sort by source rank (stable for equal ranks) */
	int rk = source_rank(d->source);
	size_t i = ss->n++;
	while (i > 0 && ss->rank[i - 1] > rk) {
		ss->docs[i] = ss->docs[i - 1];
		ss->rank[i] = ss->rank[i - 1];
		i--;
	}
	ss->docs[i] = r;
	ss->rank[i] = rk;
	return VD_OK;
}

static const char *grade_for(double score)
{
	if (score >= 9.0) return "critical";
	if (score >= 7.0) return "high";
	if (score >= 4.0) return "medium";
	if (score > 0.0) return "low";
	return NULL;
}

/* Where no source gave a grade: the highest CVSS v3/v4 base score decides
 * (9.0–10 critical 超危, 7.0–8.9 high 高危, 4.0–6.9 medium 中危, 0.1–3.9 low 低危). */
static void compute_grade(vd_record *r)
{
	if (r->grade)
		return;
	double best = -1;
	const vd_score *bs = NULL;
	for (size_t i = 0; i < r->n_scores; i++) {
		const vd_score *s = &r->scores[i];
		if (s->base >= 0 && s->version && (s->version[0] == '3' || s->version[0] == '4') &&
		    s->base > best) {
			best = s->base;
			bs = s;
		}
	}
	if (!bs || !grade_for(best))
		return;
	r->grade = vd_record_str(r, grade_for(best));
	r->grade_basis = vd_arena_printf(r->arena, "cvss:%s", bs->version);
	vd_record_add_prov(r, "grade", "computed", bs->source, NULL);
}

static int recompute(vd_service *svc, const char *record_id, vd_record **out)
{
	srcset ss = {.n = 0};
	int rc = svc->store->ops->source_list(svc->store, record_id, collect, &ss);
	vd_record *m = NULL;
	if (!rc && ss.err)
		rc = ss.err;
	if (!rc && ss.n == 0)
		rc = vd_error_set(VD_EINTERNAL, "record %s has no source documents", record_id);
	if (!rc && !(m = vd_record_new()))
		rc = vd_error_set(VD_ENOMEM, "out of memory");
	if (!rc) {
		m->id = vd_record_str(m, record_id);
		m->state = ss.docs[0]->state;
		for (size_t i = 0; i < ss.n && !rc; i++)
			rc = vd_record_merge(m, ss.docs[i]);
		compute_grade(m);
	}
	for (size_t i = 0; i < ss.n; i++)
		vd_record_free(ss.docs[i]);
	if (rc) {
		vd_record_free(m);
		return rc;
	}
	*out = m;
	return VD_OK;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
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

/* Find the record a new source document joins: its own id, then aliases. */
static int find_target(vd_service *svc, const vd_record *r, char **out)
{
	int rc = vd_store_resolve(svc->store, r->id, out);
	for (size_t i = 0; rc == VD_ENOTFOUND && i < r->n_aliases; i++)
		rc = vd_store_resolve(svc->store, r->aliases[i].id, out);
	return rc;
}

static int store_one(importer *im, const char *where, vd_record *r, const char *source)
{
	vd_service *svc = im->svc;
	char *json = NULL, *target = NULL, hash[17];
	vd_record *old = NULL, *merged = NULL;
	char *oldjson = NULL, *newjson = NULL;
	int rc;
	if ((rc = vd_record_validate(r))) {
		skipped(im, where, vd_error_msg());
		return VD_OK;
	}
	if ((rc = vd_record_to_json(r, &json)))
		return rc;
	snprintf(hash, sizeof hash, "%016llx", (unsigned long long)fnv1a(json));

	vd_source_doc cur;
	rc = svc->store->ops->source_get(svc->store, source, r->id, &cur);
	if (rc == VD_OK && strcmp(cur.hash, hash) == 0 && strcmp(cur.json, json) == 0) {
		im->st->unchanged++;
		free(json);
		return VD_OK;
	}
	if (rc == VD_OK && !incoming_wins(r, &cur, hash)) {
		/* the same source record twice in one input, or an older copy:
		 * the stored one stays, so import order never matters */
		im->st->unchanged++;
		free(json);
		return VD_OK;
	}
	if (rc == VD_OK) {
		target = strdup(cur.record_id);
		rc = target ? VD_OK : VD_ENOMEM;
	} else if (rc == VD_ENOTFOUND) {
		rc = find_target(svc, r, &target);
		if (rc == VD_OK)
			im->st->joined++;
		else if (rc == VD_ENOTFOUND)
			rc = (target = strdup(r->id)) ? VD_OK : VD_ENOMEM;
	}
	if (rc)
		goto out;
	vd_source_doc nd = {source, r->id, target, hash, json};
	if ((rc = svc->store->ops->source_put(svc->store, &nd)))
		goto out;
	if ((rc = recompute(svc, target, &merged)))
		goto out;
	rc = vd_store_get(svc->store, target, &old);
	if (rc == VD_ENOTFOUND) {
		old = NULL;
		rc = VD_OK;
	}
	if (rc)
		goto out;
	if ((rc = vd_record_to_json(merged, &newjson)))
		goto out;
	if (old && (rc = vd_record_to_json(old, &oldjson)))
		goto out;
	if (old && strcmp(oldjson, newjson) == 0) {
		im->st->unchanged++;
	} else {
		if ((rc = vd_store_put(svc->store, merged)))
			goto out;
		if (old)
			im->st->changed++;
		else
			im->st->added++;
	}
out:
	free(json);
	free(target);
	free(oldjson);
	free(newjson);
	vd_record_free(old);
	vd_record_free(merged);
	return rc;
}

static int on_doc(void *ctx, const vd_doc *d)
{
	importer *im = ctx;
	im->st->read++;
	vd_record *r = NULL;
	vd_format detected = VD_FMT_UNKNOWN;
	int rc = vd_format_to_record(im->fmt, d->doc, &r, &detected);
	if (rc) {
		char reason[1200];
		snprintf(reason, sizeof reason, "%s%s%s", im->fmt == VD_FMT_AUTO ? "" : vd_format_name(im->fmt),
		         im->fmt == VD_FMT_AUTO ? "" : ": ", vd_error_msg());
		skipped(im, d->where, reason);
		return VD_OK;
	}
	im->st->by_format[detected]++;
	if (!im->in_batch) {
		if ((rc = vd_store_begin(im->svc->store)))
			goto fail;
		im->in_batch = 1;
	}
	rc = store_one(im, d->where, r, vd_format_name(detected));
	vd_record_free(r);
	if (rc)
		goto fail;
	if (++im->in_batch > BATCH) {
		if ((rc = vd_store_commit(im->svc->store)))
			goto fail;
		im->in_batch = 0;
	}
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
