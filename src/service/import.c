/* Import: input walk → converter → source documents → merged records.
 *
 * Two threads: a reader walks the input, parses and converts each value
 * into records and encodes their source documents; this thread stores
 * them.  A bounded queue between the two keeps memory flat.
 *
 * Every source record is kept as a source document (source, source_id);
 * the record a user sees is recomputed from all source documents that
 * belong to it (merge.c: anchors and the merge-rule table), so the result
 * does not depend on import order and re-importing the same input changes
 * nothing. */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/cvss.h"
#include "vulnd/cwe.h"
#include "vulnd/gbt30279.h"
#include "service_int.h"
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records per transaction.  Bigger batches commit (and flush the staged
 * full-text rows) less often: 40000 against 10000 took 300k NVD records
 * from 19.5 to 18.7 s, peak RSS 83 to 125 MB.  A failed import rolls back
 * the batch it was in; what was committed before stays (and re-imports as
 * unchanged). */
#define BATCH 40000

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
static void compute_grade(vd_cwe_parents_fn parents, void *pctx, vd_record *r)
{
	if (!r->class_code) {
		const vd_gbt_class *c = NULL, *other = vd_gbt_class_other();
		char basis[96] = "";
		if (r->class_text && (c = vd_gbt_class_by_name(r->class_text)))
			snprintf(basis, sizeof basis, "class_text");
		for (size_t i = 0; !c && i < r->n_cwes; i++) {
			int via;
			const vd_gbt_class *k = vd_gbt_classify_cwe_str(r->cwes[i], parents, pctx, &via);
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
			compute_grade(store_cwe_parents, svc->store, *out);
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
		compute_grade(store_cwe_parents, svc->store, *out);
	for (size_t i = 0; i < ss.n; i++) {
		vd_record_free(ss.docs[i]);
		free(ss.names[i]);
	}
	return rc;
}

/* The record a fresh source document makes on its own, worked out on the
 * reader thread (prepare_alone) so the store side only writes it. */
typedef struct {
	vd_record *merged;
	char *json;
	char hash[17];
} prepared;

static void prepared_free(prepared *p)
{
	vd_record_free(p->merged);
	free(p->json);
	memset(p, 0, sizeof *p);
}

/* A parents lookup the reader thread cannot make (the database belongs to
 * the store side): it notes that one was wanted and answers none. */
static int parents_wanted(void *ctx, int cwe, int *out, size_t max)
{
	(void)cwe;
	(void)out;
	(void)max;
	*(bool *)ctx = true;
	return 0;
}

/* The record source document r (read as format `source`) makes when it is
 * its record's only source, as recompute() would make it; false (nothing
 * prepared) when that needs the database: a manual document, or a CWE whose
 * class is found through the stored catalogue. */
static bool prepare_alone(const char *source, vd_record *r, prepared *out)
{
	memset(out, 0, sizeof *out);
	vd_merge_src src = {source, r};
	unsigned kept = 0;
	bool wanted = false;
	if (vd_merge_sources(vd_merge_anchor(r), &src, 1, &out->merged, &kept))
		goto no;
	compute_grade(parents_wanted, &wanted, out->merged);
	if (wanted || kept || vd_record_to_json(out->merged, &out->json))
		goto no;
	vd_hash64_hex(out->json, strlen(out->json), out->hash);
	return true;
no:
	vd_error_clear();
	prepared_free(out);
	return false;
}

static int rebuild_ex(vd_service *svc, const char *record_id, const vd_merge_src *fresh, prepared *pre,
                      unsigned *kept_manual, char *outcome)
{
	vd_record *merged = NULL;
	char *newjson = NULL, oldhash[17], newhash[17];
	int rc = svc->store->ops->record_hash(svc->store, record_id, oldhash);
	bool exists = rc == VD_OK;
	if (rc && rc != VD_ENOTFOUND)
		return rc;
	if (!exists && fresh && pre && pre->json) {   /* the reader made it already */
		rc = svc->store->ops->record_put_doc(svc->store, pre->merged, pre->json, strlen(pre->json), pre->hash);
		*outcome = 'a';
		return rc;
	}
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
			rc = svc->store->ops->record_put_doc(svc->store, merged, newjson, strlen(newjson), newhash);
			*outcome = exists ? 'c' : 'a';
		}
	}
	free(newjson);
	vd_record_free(merged);
	return rc;
}

int vd_svc_rebuild(vd_service *svc, const char *record_id, const vd_merge_src *fresh,
                   unsigned *kept_manual, char *outcome)
{
	return rebuild_ex(svc, record_id, fresh, NULL, kept_manual, outcome);
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

/* Store one validated source record r, whose canonical JSON (json, hash)
 * and, when it could, the record it makes alone (pre), the reader already
 * made; takes ownership of json. */
static int store_one(importer *im, vd_record *r, const char *source, char *json, const char *hash,
                     prepared *pre)
{
	vd_service *svc = im->svc;
	char *oldtarget = NULL;
	int rc;

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
	if ((rc = rebuild_ex(svc, target, was_new ? &fresh : NULL, pre, &kept, &outcome)))
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

/* ---- the pipeline ---- */
enum { EV_RECORD, EV_SKIP, EV_READ, EV_PROGRESS, EV_END };

typedef struct {
	int kind;
	vd_record *r;            /* EV_RECORD, owned */
	char *json;              /* EV_RECORD: its canonical JSON, owned */
	char hash[17];
	prepared pre;            /* EV_RECORD: the record it makes alone, owned (may be empty) */
	vd_format fmt;
	char *where, *reason;    /* EV_SKIP (and where for EV_RECORD), owned */
	uint64_t done, total;    /* EV_PROGRESS */
	int rc;                  /* EV_END: the walk's status ... */
	char *msg;               /* ... and its message, owned */
} event;

#define QCAP 256

typedef struct {
	event q[QCAP];
	size_t head, n;
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	bool stop;               /* the store side gave up: the reader stops too */
	/* events the store side is done with, freed by the reader: what the
	 * reader allocated goes back to its own malloc arena without the two
	 * threads fighting over that arena's lock */
	event junk[QCAP];
	size_t njunk;
	bool reader_waits;       /* the reader sleeps on a full queue ... */
	bool store_waits;        /* the store side sleeps on an empty one */
	vd_format fmt;
	const char *path;
} pipe_t;

static void event_free(event *e)
{
	prepared_free(&e->pre);
	vd_record_free(e->r);
	free(e->json);
	free(e->where);
	free(e->reason);
	free(e->msg);
}

/* Queue an event (ownership passes); VD_EINTERNAL when the store side
 * stopped (the event is freed), unless force (the end marker). */
static int push(pipe_t *p, event *e, bool force)
{
	pthread_mutex_lock(&p->mu);
	while (p->n == QCAP && (force || !p->stop)) {
		p->reader_waits = true;
		pthread_cond_wait(&p->not_full, &p->mu);
	}
	if (p->stop && !force) {
		pthread_mutex_unlock(&p->mu);
		event_free(e);
		return VD_EINTERNAL;
	}
	p->q[(p->head + p->n) % QCAP] = *e;
	p->n++;
	if (p->store_waits) {
		p->store_waits = false;
		pthread_cond_signal(&p->not_empty);
	}
	enum { TAKE = 32 };
	event done[TAKE];
	size_t nd = 0;
	while (p->njunk > 0 && nd < TAKE)
		done[nd++] = p->junk[--p->njunk];
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < nd; i++)
		event_free(&done[i]);
	return VD_OK;
}

/* Take the next event; back (may be NULL) is the one the store side is
 * done with, handed to the reader to free (or freed here when the reader
 * has not kept up). */
static void pop(pipe_t *p, event *out, event *back)
{
	bool free_back = false;
	pthread_mutex_lock(&p->mu);
	if (back && p->njunk < QCAP)
		p->junk[p->njunk++] = *back;
	else
		free_back = back != NULL;
	while (p->n == 0) {
		p->store_waits = true;
		pthread_cond_wait(&p->not_empty, &p->mu);
	}
	*out = p->q[p->head];
	p->head = (p->head + 1) % QCAP;
	p->n--;
	/* wake a waiting reader only once half the queue is free: one wake-up
	 * per QCAP/2 events instead of one per event (the store side is the
	 * slower one, so the queue is mostly full) */
	if (p->reader_waits && p->n <= QCAP / 2) {
		p->reader_waits = false;
		pthread_cond_signal(&p->not_full);
	}
	pthread_mutex_unlock(&p->mu);
	if (free_back)
		event_free(back);
}

static void halt(pipe_t *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->not_full);
	pthread_mutex_unlock(&p->mu);
}

static int push_skip(pipe_t *p, const char *where, const char *reason)
{
	event e = {.kind = EV_SKIP, .where = strdup(where), .reason = strdup(reason)};
	return push(p, &e, false);
}

/* ---- reader thread: walk, parse, convert, encode ---- */
typedef struct {
	pipe_t *p;
	const vd_doc *d;
	vd_format detected;
	long n;
} doc_ctx;

static void r_bad(void *ctx, const char *where, const char *reason)
{
	push_skip(ctx, where, reason);
}

static void r_progress(void *ctx, uint64_t done, uint64_t total)
{
	event e = {.kind = EV_PROGRESS, .done = done, .total = total};
	push(ctx, &e, false);
}

static void r_part_bad(void *ctx, long index, const char *reason)
{
	doc_ctx *dc = ctx;
	char where[4300];
	snprintf(where, sizeof where, "%s#%ld", dc->d->where, index);
	push_skip(dc->p, where, reason);
}

static int r_record(void *ctx, vd_record *r)
{
	doc_ctx *dc = ctx;
	dc->n++;
	if (vd_record_validate(r)) {
		vd_record_free(r);
		return push_skip(dc->p, dc->d->where, vd_error_msg());
	}
	event e = {.kind = EV_RECORD, .r = r, .fmt = dc->detected, .where = strdup(dc->d->where)};
	int rc = vd_record_to_json(r, &e.json);
	if (rc) {
		event_free(&e);
		return rc;
	}
	vd_hash64_hex(e.json, strlen(e.json), e.hash);
	prepare_alone(vd_format_name(dc->detected), r, &e.pre);
	return push(dc->p, &e, false);
}

static int r_doc(void *ctx, const vd_doc *d)
{
	pipe_t *p = ctx;
	doc_ctx dc = {p, d, VD_FMT_UNKNOWN, 0};
	int rc = vd_format_to_records(p->fmt, d->doc, &dc.detected, r_record, r_part_bad, &dc);
	if (rc && dc.n == 0 && (rc == VD_EINVAL || rc == VD_EUNSUPPORTED)) {
		char reason[1200];
		snprintf(reason, sizeof reason, "%s%s%s", p->fmt == VD_FMT_AUTO ? "" : vd_format_name(p->fmt),
		         p->fmt == VD_FMT_AUTO ? "" : ": ", vd_error_msg());
		return push_skip(p, d->where, reason);
	}
	if (!rc && dc.n == 0) {      /* a value with nothing in it (an empty page) */
		event e = {.kind = EV_READ};
		return push(p, &e, false);
	}
	return rc;
}

static void *reader(void *arg)
{
	pipe_t *p = arg;
	vd_input_sink sink = {r_doc, r_bad, r_progress, p};
	int rc = vd_input_walk(p->path, &sink);
	event e = {.kind = EV_END, .rc = rc, .msg = strdup(rc ? vd_error_msg() : "")};
	push(p, &e, true);
	return NULL;
}

/* ---- store side ---- */
static int store_event(importer *im, event *e)
{
	int rc;
	im->st->by_format[e->fmt]++;
	if (!im->in_batch) {
		if ((rc = vd_store_begin(im->svc->store)))
			return rc;
		im->in_batch = 1;
	}
	rc = store_one(im, e->r, vd_format_name(e->fmt), e->json, e->hash, &e->pre);
	e->json = NULL;   /* store_one took it */
	if (rc)
		return rc;
	if (++im->in_batch > BATCH) {
		if ((rc = vd_store_commit(im->svc->store)))
			return rc;
		im->in_batch = 0;
	}
	return VD_OK;
}

int vd_service_import(vd_service *svc, vd_format fmt, const char *path, const vd_import_cb *cb,
                      vd_import_stats *st)
{
	memset(st, 0, sizeof *st);
	importer im = {.svc = svc, .fmt = fmt, .cb = cb, .st = st};
	pipe_t *p = calloc(1, sizeof *p);
	if (!p)
		return vd_error_set(VD_ENOMEM, "out of memory");
	p->fmt = fmt;
	p->path = path;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->not_empty, NULL);
	pthread_cond_init(&p->not_full, NULL);
	pthread_t th;
	if (pthread_create(&th, NULL, reader, p) != 0) {
		free(p);
		return vd_error_set(VD_EINTERNAL, "cannot start the import reader thread");
	}
	if (svc->store->ops->bulk)
		svc->store->ops->bulk(svc->store, true);   /* checkpoints off this thread */
	int rc = VD_OK;
	event e, back;
	bool have_back = false;
	for (;;) {
		pop(p, &e, have_back ? &back : NULL);
		have_back = false;
		if (e.kind == EV_END) {
			rc = e.rc;
			if (rc && !im.err)
				vd_error_set(rc, "%s", e.msg ? e.msg : "read error");
			event_free(&e);
			break;
		}
		switch (e.kind) {
		case EV_RECORD:
			st->read++;
			if (!im.err && (im.err = store_event(&im, &e)) != VD_OK) {
				vd_error_prefix("%s: ", e.where);
				halt(p);
			}
			break;
		case EV_SKIP:
			st->read++;
			skipped(&im, e.where, e.reason);
			break;
		case EV_READ:
			st->read++;
			break;
		case EV_PROGRESS:
			on_progress(&im, e.done, e.total);
			break;
		}
		back = e;          /* freed by the reader (next pop) */
		have_back = true;
	}
	pthread_join(th, NULL);
	while (p->n > 0) {     /* nothing is left after the end marker, but be safe */
		pop(p, &e, NULL);
		event_free(&e);
	}
	while (p->njunk > 0)   /* what the reader did not get to */
		event_free(&p->junk[--p->njunk]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->not_empty);
	pthread_cond_destroy(&p->not_full);
	free(p);
	if (im.err)
		rc = im.err;
	if (im.in_batch) {
		if (rc) {
			char keep[1024];
			vd_strlcpy(keep, vd_error_msg(), sizeof keep);
			vd_store_rollback(svc->store);
			vd_error_set(rc, "%s (the last batch was rolled back)", keep);
		} else {
			rc = vd_store_commit(svc->store);
		}
	}
	if (svc->store->ops->bulk)
		svc->store->ops->bulk(svc->store, false);
	return rc;
}
