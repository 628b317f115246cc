/* The record: construction helpers, validation, merge. */
#include "vulnd/record.h"
#include "vulnd/error.h"
#include <string.h>
#include <strings.h>

static const char *state_names[] = {"published", "unpublished", "rejected", "withdrawn"};
static const char *event_names[] = {"introduced", "fixed", "last_affected", "limit"};

const char *vd_state_name(vd_state s)
{
	return (unsigned)s < 4 ? state_names[s] : "unknown";
}

int vd_state_parse(const char *s, vd_state *out)
{
	for (int i = 0; s && i < 4; i++)
		if (strcasecmp(s, state_names[i]) == 0) {
			*out = (vd_state)i;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown state '%s' (published, unpublished, rejected, withdrawn)",
	                    s ? s : "");
}

const char *vd_event_kind_name(vd_event_kind k)
{
	return (unsigned)k < 4 ? event_names[k] : "unknown";
}

int vd_event_kind_parse(const char *s, vd_event_kind *out)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, event_names[i]) == 0) {
			*out = (vd_event_kind)i;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown range event '%s'", s ? s : "");
}

vd_record *vd_record_new(void)
{
	vd_arena *a = vd_arena_new(0);
	if (!a)
		return NULL;
	vd_record *r = vd_arena_alloc(a, sizeof *r);
	if (!r) {
		vd_arena_free(a);
		return NULL;
	}
	r->arena = a;
	return r;
}

void vd_record_free(vd_record *r)
{
	if (r)
		vd_arena_free(r->arena);   /* r itself lives in the arena */
}

char *vd_record_str(vd_record *r, const char *s)
{
	return vd_str_empty(s) ? NULL : vd_arena_strdup(r->arena, s);
}

void vd_record_set_text(vd_record *r, vd_text *t, const char *lang, const char *s)
{
	if (vd_str_empty(s))
		return;
	bool zh = lang && (strncasecmp(lang, "zh", 2) == 0);
	char **slot = zh ? &t->zh : &t->en;
	*slot = vd_arena_strdup(r->arena, s);
}

/* Grow an arena array of n elements of size sz by one: capacity is the next
 * power of two ≥ n (min 4), so a reallocation happens only when n hits one. */
static void *grow(vd_record *r, void **arr, size_t *n, size_t sz)
{
	size_t cnt = *n;
	if (cnt == 0 || (cnt >= 4 && (cnt & (cnt - 1)) == 0)) {
		size_t cap = cnt ? cnt * 2 : 4;
		void *p = vd_arena_alloc(r->arena, cap * sz);
		if (!p)
			return NULL;
		if (cnt)
			memcpy(p, *arr, cnt * sz);
		*arr = p;
	}
	char *el = (char *)*arr + cnt * sz;
	memset(el, 0, sz);
	(*n)++;
	return el;
}
#define GROW(r, arr, n) grow((r), (void **)&(arr), &(n), sizeof *(arr))

vd_alias *vd_record_add_alias(vd_record *r, const char *id, const char *source)
{
	if (vd_str_empty(id))
		return NULL;
	for (size_t i = 0; i < r->n_aliases; i++)
		if (strcmp(r->aliases[i].id, id) == 0)
			return &r->aliases[i];
	vd_alias *a = GROW(r, r->aliases, r->n_aliases);
	if (a) {
		a->id = vd_arena_strdup(r->arena, id);
		a->source = vd_record_str(r, source);
	}
	return a;
}

char **vd_record_add_cwe(vd_record *r, const char *cwe)
{
	if (vd_str_empty(cwe))
		return NULL;
	for (size_t i = 0; i < r->n_cwes; i++)
		if (strcmp(r->cwes[i], cwe) == 0)
			return &r->cwes[i];
	char **c = GROW(r, r->cwes, r->n_cwes);
	if (c)
		*c = vd_arena_strdup(r->arena, cwe);
	return c;
}

static bool streq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

vd_score *vd_record_add_score(vd_record *r, const char *version, const char *vector,
                              double base, const char *severity, const char *source)
{
	if (vd_str_empty(vector))
		return NULL;
	for (size_t i = 0; i < r->n_scores; i++)
		if (strcmp(r->scores[i].vector, vector) == 0 && streq(r->scores[i].source, source))
			return &r->scores[i];
	vd_score *s = GROW(r, r->scores, r->n_scores);
	if (s) {
		s->version = vd_record_str(r, version);
		s->vector = vd_arena_strdup(r->arena, vector);
		s->base = base;
		s->severity = vd_record_str(r, severity);
		s->source = vd_record_str(r, source);
	}
	return s;
}

vd_affected *vd_record_add_affected(vd_record *r)
{
	return GROW(r, r->affected, r->n_affected);
}

char **vd_affected_add_cpe(vd_record *r, vd_affected *a, const char *cpe)
{
	if (vd_str_empty(cpe))
		return NULL;
	for (size_t i = 0; i < a->n_cpes; i++)
		if (strcmp(a->cpes[i], cpe) == 0)
			return &a->cpes[i];
	char **c = GROW(r, a->cpes, a->n_cpes);
	if (c)
		*c = vd_arena_strdup(r->arena, cpe);
	return c;
}

char **vd_affected_add_version(vd_record *r, vd_affected *a, const char *v)
{
	if (vd_str_empty(v))
		return NULL;
	char **c = GROW(r, a->versions, a->n_versions);
	if (c)
		*c = vd_arena_strdup(r->arena, v);
	return c;
}

vd_range *vd_affected_add_range(vd_record *r, vd_affected *a, const char *type, const char *repo)
{
	vd_range *g = GROW(r, a->ranges, a->n_ranges);
	if (g) {
		g->type = vd_record_str(r, type);
		g->repo = vd_record_str(r, repo);
	}
	return g;
}

vd_event *vd_range_add_event(vd_record *r, vd_range *g, vd_event_kind k, const char *value)
{
	if (!value)
		return NULL;
	vd_event *e = GROW(r, g->events, g->n_events);
	if (e) {
		e->kind = k;
		e->value = vd_arena_strdup(r->arena, value);
	}
	return e;
}

vd_reference *vd_record_add_ref(vd_record *r, const char *url, const char *type, const char *source)
{
	if (vd_str_empty(url))
		return NULL;
	for (size_t i = 0; i < r->n_refs; i++)
		if (strcmp(r->refs[i].url, url) == 0) {
			if (!r->refs[i].type && !vd_str_empty(type))
				r->refs[i].type = vd_arena_strdup(r->arena, type);
			return &r->refs[i];
		}
	vd_reference *f = GROW(r, r->refs, r->n_refs);
	if (f) {
		f->url = vd_arena_strdup(r->arena, url);
		f->type = vd_record_str(r, type);
		f->source = vd_record_str(r, source);
	}
	return f;
}

vd_credit *vd_record_add_credit(vd_record *r, const char *name, const char *type, const char *source)
{
	if (vd_str_empty(name))
		return NULL;
	for (size_t i = 0; i < r->n_credits; i++)
		if (strcmp(r->credits[i].name, name) == 0 && streq(r->credits[i].type, type))
			return &r->credits[i];
	vd_credit *c = GROW(r, r->credits, r->n_credits);
	if (c) {
		c->name = vd_arena_strdup(r->arena, name);
		c->type = vd_record_str(r, type);
		c->source = vd_record_str(r, source);
	}
	return c;
}

vd_provenance *vd_record_add_prov(vd_record *r, const char *field, const char *source,
                                  const char *source_id, const char *time)
{
	for (size_t i = 0; i < r->n_prov; i++) {
		vd_provenance *p = &r->prov[i];
		if (streq(p->field, field) && streq(p->source, source) && streq(p->source_id, source_id)) {
			p->time = vd_record_str(r, time);
			return p;
		}
	}
	vd_provenance *p = GROW(r, r->prov, r->n_prov);
	if (p) {
		p->field = vd_record_str(r, field);
		p->source = vd_record_str(r, source);
		p->source_id = vd_record_str(r, source_id);
		p->time = vd_record_str(r, time);
	}
	return p;
}

bool vd_record_has_id(const vd_record *r, const char *id)
{
	if (r->id && strcmp(r->id, id) == 0)
		return true;
	for (size_t i = 0; i < r->n_aliases; i++)
		if (strcmp(r->aliases[i].id, id) == 0)
			return true;
	return false;
}

static int check_str(const char *what, const char *s)
{
	if (s && !vd_utf8_valid(s, strlen(s)))
		return vd_error_set(VD_EINVAL, "%s is not valid UTF-8", what);
	return VD_OK;
}

static int check_time(const char *what, const char *s)
{
	int64_t t;
	if (s && vd_time_parse(s, &t))
		return vd_error_set(VD_EINVAL, "%s '%s' is not an RFC 3339 date-time", what, s);
	return VD_OK;
}

int vd_record_validate(const vd_record *r)
{
	if (vd_str_empty(r->id))
		return vd_error_set(VD_EINVAL, "record has no id");
	if (strlen(r->id) > 128)
		return vd_error_set(VD_EINVAL, "record id longer than 128 bytes");
	if ((unsigned)r->state > VD_STATE_WITHDRAWN)
		return vd_error_set(VD_EINVAL, "record %s: invalid state", r->id);
	int rc;
	if ((rc = check_str("id", r->id)) || (rc = check_str("title.zh", r->title.zh)) ||
	    (rc = check_str("title.en", r->title.en)) || (rc = check_str("description.zh", r->description.zh)) ||
	    (rc = check_str("description.en", r->description.en)) ||
	    (rc = check_time("published", r->published)) || (rc = check_time("modified", r->modified)) ||
	    (rc = check_time("withdrawn", r->withdrawn)))
		return rc;
	return VD_OK;
}

/* ---- merge ---- */
static void fill(vd_record *d, char **dst, const char *src)
{
	if (!*dst && src)
		*dst = vd_arena_strdup(d->arena, src);
}

static void fill_text(vd_record *d, vd_text *dst, const vd_text *src)
{
	fill(d, &dst->zh, src->zh);
	fill(d, &dst->en, src->en);
}

static bool same_strs(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Entries are folded only when they are the same in every part, so no
 * range, version or CPE is ever lost in a merge. */
static bool same_affected(const vd_affected *a, const vd_affected *b)
{
	if (!(streq(a->vendor, b->vendor) && streq(a->product, b->product) &&
	      streq(a->ecosystem, b->ecosystem) && streq(a->package, b->package) &&
	      streq(a->purl, b->purl) && streq(a->source, b->source) && streq(a->vers, b->vers) &&
	      streq(a->default_status, b->default_status) &&
	      same_strs(a->cpes, a->n_cpes, b->cpes, b->n_cpes) &&
	      same_strs(a->versions, a->n_versions, b->versions, b->n_versions) &&
	      a->n_ranges == b->n_ranges))
		return false;
	for (size_t i = 0; i < a->n_ranges; i++) {
		const vd_range *x = &a->ranges[i], *y = &b->ranges[i];
		if (!streq(x->type, y->type) || !streq(x->repo, y->repo) || x->n_events != y->n_events)
			return false;
		for (size_t k = 0; k < x->n_events; k++)
			if (x->events[k].kind != y->events[k].kind || strcmp(x->events[k].value, y->events[k].value))
				return false;
	}
	return true;
}

static int copy_affected(vd_record *d, const vd_affected *s)
{
	vd_affected *a = vd_record_add_affected(d);
	if (!a)
		return VD_ENOMEM;
	a->vendor = vd_arena_strdup(d->arena, s->vendor);
	a->product = vd_arena_strdup(d->arena, s->product);
	a->ecosystem = vd_arena_strdup(d->arena, s->ecosystem);
	a->package = vd_arena_strdup(d->arena, s->package);
	a->purl = vd_arena_strdup(d->arena, s->purl);
	a->vers = vd_arena_strdup(d->arena, s->vers);
	a->default_status = vd_arena_strdup(d->arena, s->default_status);
	a->source = vd_arena_strdup(d->arena, s->source);
	for (size_t i = 0; i < s->n_cpes; i++)
		vd_affected_add_cpe(d, a, s->cpes[i]);
	for (size_t i = 0; i < s->n_versions; i++)
		vd_affected_add_version(d, a, s->versions[i]);
	for (size_t i = 0; i < s->n_ranges; i++) {
		vd_range *g = vd_affected_add_range(d, a, s->ranges[i].type, s->ranges[i].repo);
		if (!g)
			return VD_ENOMEM;
		for (size_t k = 0; k < s->ranges[i].n_events; k++)
			vd_range_add_event(d, g, s->ranges[i].events[k].kind, s->ranges[i].events[k].value);
	}
	return VD_OK;
}

int vd_record_merge(vd_record *d, const vd_record *s)
{
	if (!d->id)
		d->id = vd_arena_strdup(d->arena, s->id);
	if (s->id && strcmp(s->id, d->id) != 0)
		vd_record_add_alias(d, s->id, NULL);
	for (size_t i = 0; i < s->n_aliases; i++)
		if (strcmp(s->aliases[i].id, d->id) != 0)
			vd_record_add_alias(d, s->aliases[i].id, s->aliases[i].source);
	fill(d, &d->published, s->published);
	/* modified: the newest of the two (canonical strings compare as time) */
	if (s->modified && (!d->modified || strcmp(s->modified, d->modified) > 0))
		d->modified = vd_arena_strdup(d->arena, s->modified);
	fill(d, &d->withdrawn, s->withdrawn);
	fill_text(d, &d->title, &s->title);
	fill_text(d, &d->description, &s->description);
	fill_text(d, &d->existence, &s->existence);
	fill_text(d, &d->detection, &s->detection);
	fill_text(d, &d->solution, &s->solution);
	fill(d, &d->publisher, s->publisher);
	fill(d, &d->verifier, s->verifier);
	fill(d, &d->class_code, s->class_code);
	fill(d, &d->class_text, s->class_text);
	if (!d->grade && s->grade) {
		d->grade = vd_arena_strdup(d->arena, s->grade);
		d->grade_basis = vd_arena_strdup(d->arena, s->grade_basis);
	}
	fill(d, &d->library, s->library);
	for (size_t i = 0; i < s->n_cwes; i++)
		vd_record_add_cwe(d, s->cwes[i]);
	for (size_t i = 0; i < s->n_scores; i++) {
		const vd_score *x = &s->scores[i];
		vd_record_add_score(d, x->version, x->vector, x->base, x->severity, x->source);
	}
	for (size_t i = 0; i < s->n_affected; i++) {
		bool dup = false;
		for (size_t k = 0; k < d->n_affected && !dup; k++)
			dup = same_affected(&d->affected[k], &s->affected[i]);
		if (!dup && copy_affected(d, &s->affected[i]))
			return vd_error_set(VD_ENOMEM, "out of memory merging records");
	}
	for (size_t i = 0; i < s->n_refs; i++)
		vd_record_add_ref(d, s->refs[i].url, s->refs[i].type, s->refs[i].source);
	for (size_t i = 0; i < s->n_credits; i++)
		vd_record_add_credit(d, s->credits[i].name, s->credits[i].type, s->credits[i].source);
	for (size_t i = 0; i < s->n_prov; i++) {
		const vd_provenance *p = &s->prov[i];
		vd_provenance *q = vd_record_add_prov(d, p->field, p->source, p->source_id, p->time);
		if (q)
			q->overridden = p->overridden;
	}
	return VD_OK;
}
