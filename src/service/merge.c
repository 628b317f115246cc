/* Merge rules: which record a source document belongs to, and which
 * source wins which field.  One table (`rules` below), documented in
 * docs/merge.md.
 *
 * Anchor: a source document belongs to the record named by, in order,
 * its own id if it is a CVE id, else its smallest CVE alias, else its
 * smallest GHSA id (own or alias), else its own id.  The anchor depends on
 * the document alone, so which documents form a record — and the record's
 * id — never depend on import order.  Two different CVEs never merge.
 *
 * Fields: single-valued fields take the value of the first source, in the
 * field's order, that has one; documents of the same source are ordered by
 * `modified`, newest first, then by id.  A manual edit (source "manual")
 * always wins.  Every other source that had a different value is listed in
 * the provenance with overridden = true (the value itself stays in its
 * stored source document).  Lists (aliases, CWEs, scores, affected,
 * references, credits) are the union of all sources. */
#include "vulnd/record.h"
#include "vulnd/error.h"
#include "service_int.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ORDER 8
enum { KIND_STR, KIND_GRADE };

static const char *const ZH[] = {"manual", "cnnvd", "cnvd", "cve5", "nvd2", "csaf", "osv", NULL};
static const char *const EN[] = {"manual", "cve5", "nvd2", "osv", "csaf", "cnnvd", "cnvd", NULL};
static const char *const CN[] = {"manual", "cnnvd", "cnvd", "cve5", "nvd2", "osv", "csaf", NULL};
static const char *const DEF[] = {"manual", "cve5", "nvd2", "cnnvd", "cnvd", "osv", "csaf", NULL};

/* The merge-rule table: field name (as in provenance), where it lives, and
 * the order of sources that may set it. */
static const struct rule {
	const char *field;
	size_t off;
	int kind;
	const char *const *order;
} rules[] = {
	{"published", offsetof(vd_record, published), KIND_STR, DEF},
	{"withdrawn", offsetof(vd_record, withdrawn), KIND_STR, DEF},
	{"title.zh", offsetof(vd_record, title.zh), KIND_STR, ZH},
	{"title.en", offsetof(vd_record, title.en), KIND_STR, EN},
	{"description.zh", offsetof(vd_record, description.zh), KIND_STR, ZH},
	{"description.en", offsetof(vd_record, description.en), KIND_STR, EN},
	{"existence.zh", offsetof(vd_record, existence.zh), KIND_STR, ZH},
	{"existence.en", offsetof(vd_record, existence.en), KIND_STR, EN},
	{"detection.zh", offsetof(vd_record, detection.zh), KIND_STR, ZH},
	{"detection.en", offsetof(vd_record, detection.en), KIND_STR, EN},
	{"solution.zh", offsetof(vd_record, solution.zh), KIND_STR, ZH},
	{"solution.en", offsetof(vd_record, solution.en), KIND_STR, EN},
	{"publisher", offsetof(vd_record, publisher), KIND_STR, DEF},
	{"verifier", offsetof(vd_record, verifier), KIND_STR, CN},
	{"class_code", offsetof(vd_record, class_code), KIND_STR, CN},
	{"class_text", offsetof(vd_record, class_text), KIND_STR, CN},
	{"grade", offsetof(vd_record, grade), KIND_GRADE, CN},
	{"library", offsetof(vd_record, library), KIND_STR, DEF},
};

/* Fields whose provenance is carried over from the sources (lists). */
static const char *const LIST_FIELDS[] = {"aliases", "cwes", "scores", "affected", "references", "credits", NULL};

static char **slot(const vd_record *r, const struct rule *ru)
{
	return (char **)((char *)r + ru->off);
}

static int order_of(const char *const *order, const char *source)
{
	for (int i = 0; order[i]; i++)
		if (strcmp(order[i], source) == 0)
			return i;
	return MAX_ORDER;
}

static bool is_cve(const char *id) { return id && strncasecmp(id, "CVE-", 4) == 0; }
static bool is_ghsa(const char *id) { return id && strncasecmp(id, "GHSA-", 5) == 0; }

const char *vd_merge_anchor(const vd_record *doc)
{
	if (is_cve(doc->id))
		return doc->id;
	const char *best = NULL;
	for (size_t i = 0; i < doc->n_aliases; i++)
		if (is_cve(doc->aliases[i].id) && (!best || strcmp(doc->aliases[i].id, best) < 0))
			best = doc->aliases[i].id;
	if (best)
		return best;
	if (is_ghsa(doc->id))
		best = doc->id;
	for (size_t i = 0; i < doc->n_aliases; i++)
		if (is_ghsa(doc->aliases[i].id) && (!best || strcmp(doc->aliases[i].id, best) < 0))
			best = doc->aliases[i].id;
	return best ? best : doc->id;
}

/* Does the doc set this field?  A manual document sets only what its
 * provenance names (so an empty manual doc overrides nothing). */
static bool sets(const vd_merge_src *s, const char *field, const char *value)
{
	if (!value)
		return false;
	if (strcmp(s->source, "manual") != 0)
		return true;
	for (size_t i = 0; i < s->doc->n_prov; i++)
		if (s->doc->prov[i].field && strcmp(s->doc->prov[i].field, field) == 0)
			return true;
	return false;
}

/* Newer first, then by id: the order within one source. */
static int newer_first(const vd_merge_src *a, const vd_merge_src *b)
{
	const char *ma = a->doc->modified, *mb = b->doc->modified;
	if (ma && mb && strcmp(ma, mb) != 0)
		return strcmp(mb, ma);
	if (!ma != !mb)
		return ma ? -1 : 1;
	return strcmp(a->doc->id, b->doc->id);
}

int vd_merge_sources(const char *record_id, vd_merge_src *src, size_t n, vd_record **out,
                     unsigned *kept_manual)
{
	vd_record *m = vd_record_new();
	if (!m)
		return vd_error_set(VD_ENOMEM, "out of memory");
	m->id = vd_record_str(m, record_id);
	/* state: the first non-manual source in the default order, unless a
	 * manual edit says otherwise */
	const vd_merge_src *st = NULL;
	for (size_t i = 0; i < n; i++) {
		const vd_merge_src *s = &src[i];
		bool manual_state = strcmp(s->source, "manual") == 0 && sets(s, "state", "x");
		if (strcmp(s->source, "manual") == 0 && !manual_state)
			continue;
		if (!st || manual_state ||
		    (strcmp(st->source, "manual") != 0 &&
		     (order_of(DEF, s->source) < order_of(DEF, st->source) ||
		      (order_of(DEF, s->source) == order_of(DEF, st->source) && newer_first(s, st) < 0))))
			st = s;
		if (manual_state)
			break;
	}
	if (st) {
		m->state = st->doc->state;
		vd_record_add_prov(m, "state", st->source, st->doc->id, st->doc->modified);
	}
	for (size_t k = 0; k < sizeof rules / sizeof *rules; k++) {
		const struct rule *ru = &rules[k];
		const vd_merge_src *win = NULL;
		for (size_t i = 0; i < n; i++) {
			const vd_merge_src *s = &src[i];
			if (!sets(s, ru->field, *slot(s->doc, ru)))
				continue;
			int a = order_of(ru->order, s->source);
			int b = win ? order_of(ru->order, win->source) : MAX_ORDER + 1;
			if (a < b || (a == b && newer_first(s, win) < 0))
				win = s;
		}
		if (!win)
			continue;
		const char *v = *slot(win->doc, ru);
		*slot(m, ru) = vd_arena_strdup(m->arena, v);
		if (ru->kind == KIND_GRADE)
			m->grade_basis = vd_arena_strdup(m->arena, win->doc->grade_basis ? win->doc->grade_basis
			                                                                 : win->source);
		vd_record_add_prov(m, ru->field, win->source, win->doc->id, win->doc->modified);
		bool kept = false;
		for (size_t i = 0; i < n; i++) {
			const vd_merge_src *s = &src[i];
			const char *o = *slot(s->doc, ru);
			if (s == win || !sets(s, ru->field, o) || strcmp(o, v) == 0)
				continue;
			vd_provenance *p = vd_record_add_prov(m, ru->field, s->source, s->doc->id, s->doc->modified);
			if (p)
				p->overridden = true;
			kept = kept || strcmp(win->source, "manual") == 0;
		}
		if (kept && kept_manual)
			(*kept_manual)++;   /* one per field a manual edit kept */
	}
	/* lists: union in the default source order; modified: the newest */
	for (int o = 0; o <= MAX_ORDER; o++)
		for (size_t i = 0; i < n; i++) {
			const vd_merge_src *s = &src[i];
			if (order_of(DEF, s->source) != o)
				continue;
			const vd_record *d = s->doc;
			if (d->modified && (!m->modified || strcmp(d->modified, m->modified) > 0))
				m->modified = vd_arena_strdup(m->arena, d->modified);
			if (strcmp(d->id, m->id) != 0)
				vd_record_add_alias(m, d->id, s->source);
			for (size_t a = 0; a < d->n_aliases; a++)
				if (strcmp(d->aliases[a].id, m->id) != 0)
					vd_record_add_alias(m, d->aliases[a].id, d->aliases[a].source);
			for (size_t a = 0; a < d->n_cwes; a++)
				vd_record_add_cwe(m, d->cwes[a]);
			vd_record *tmp = vd_record_new();   /* lists only, via the core merge */
			if (!tmp) {
				vd_record_free(m);
				return vd_error_set(VD_ENOMEM, "out of memory");
			}
			tmp->id = m->id;
			tmp->scores = d->scores; tmp->n_scores = d->n_scores;
			tmp->affected = d->affected; tmp->n_affected = d->n_affected;
			tmp->refs = d->refs; tmp->n_refs = d->n_refs;
			tmp->credits = d->credits; tmp->n_credits = d->n_credits;
			int rc = vd_record_merge(m, tmp);
			vd_record_free(tmp);
			if (rc) {
				vd_record_free(m);
				return rc;
			}
			for (size_t p = 0; p < d->n_prov; p++)
				for (int f = 0; LIST_FIELDS[f]; f++)
					if (d->prov[p].field && strcmp(d->prov[p].field, LIST_FIELDS[f]) == 0)
						vd_record_add_prov(m, d->prov[p].field, s->source, d->id, d->prov[p].time);
		}
	*out = m;
	return VD_OK;
}

char **vd_merge_field_slot(vd_record *r, const char *field, bool *is_grade)
{
	for (size_t k = 0; k < sizeof rules / sizeof *rules; k++)
		if (strcmp(rules[k].field, field) == 0) {
			if (is_grade)
				*is_grade = rules[k].kind == KIND_GRADE;
			return slot(r, &rules[k]);
		}
	return NULL;
}

const char *vd_merge_field_names(void)
{
	return "state, published, withdrawn, title.zh, title.en, description.zh, description.en, "
	       "existence.zh, existence.en, detection.zh, detection.en, solution.zh, solution.en, "
	       "publisher, verifier, class_code, class_text, grade, library";
}
