/* Canonical JSON form of a record: what the store keeps and `show --json`
 * prints.  Absent values and empty arrays are omitted; keys sorted. */
#include "vulnd/record.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(10))

static void put_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static void put_text(json_t *o, const char *k, const vd_text *t)
{
	if (!t->zh && !t->en)
		return;
	json_t *x = json_object();
	put_str(x, "zh", t->zh);
	put_str(x, "en", t->en);
	json_object_set_new(o, k, x);
}

static void put_strs(json_t *o, const char *k, char **v, size_t n)
{
	if (!n)
		return;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	json_object_set_new(o, k, a);
}

json_t *vd_record_to_jansson(const vd_record *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put_str(o, "id", r->id);
	put_str(o, "state", vd_state_name(r->state));
	put_str(o, "published", r->published);
	put_str(o, "modified", r->modified);
	put_str(o, "withdrawn", r->withdrawn);
	put_text(o, "title", &r->title);
	put_text(o, "description", &r->description);
	put_text(o, "existence", &r->existence);
	put_text(o, "detection", &r->detection);
	put_text(o, "solution", &r->solution);
	put_str(o, "publisher", r->publisher);
	put_str(o, "verifier", r->verifier);
	put_str(o, "class_code", r->class_code);
	put_str(o, "class_text", r->class_text);
	put_str(o, "grade", r->grade);
	put_str(o, "grade_basis", r->grade_basis);
	put_str(o, "library", r->library);
	put_strs(o, "cwes", r->cwes, r->n_cwes);
	if (r->n_aliases) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->n_aliases; i++) {
			json_t *x = json_object();
			put_str(x, "id", r->aliases[i].id);
			put_str(x, "source", r->aliases[i].source);
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "aliases", a);
	}
	if (r->n_scores) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->n_scores; i++) {
			const vd_score *s = &r->scores[i];
			json_t *x = json_object();
			put_str(x, "version", s->version);
			put_str(x, "vector", s->vector);
			if (s->base >= 0)
				json_object_set_new(x, "base_score", json_real(s->base));
			put_str(x, "severity", s->severity);
			put_str(x, "source", s->source);
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "scores", a);
	}
	if (r->n_affected) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->n_affected; i++) {
			const vd_affected *f = &r->affected[i];
			json_t *x = json_object();
			put_str(x, "vendor", f->vendor);
			put_str(x, "product", f->product);
			put_str(x, "ecosystem", f->ecosystem);
			put_str(x, "package", f->package);
			put_str(x, "purl", f->purl);
			put_strs(x, "cpes", f->cpes, f->n_cpes);
			put_strs(x, "versions", f->versions, f->n_versions);
			put_str(x, "vers", f->vers);
			put_str(x, "default_status", f->default_status);
			put_str(x, "source", f->source);
			if (f->n_ranges) {
				json_t *ra = json_array();
				for (size_t k = 0; k < f->n_ranges; k++) {
					const vd_range *g = &f->ranges[k];
					json_t *gx = json_object(), *ev = json_array();
					put_str(gx, "type", g->type);
					put_str(gx, "repo", g->repo);
					for (size_t e = 0; e < g->n_events; e++) {
						json_t *eo = json_object();
						put_str(eo, vd_event_kind_name(g->events[e].kind), g->events[e].value);
						json_array_append_new(ev, eo);
					}
					json_object_set_new(gx, "events", ev);
					json_array_append_new(ra, gx);
				}
				json_object_set_new(x, "ranges", ra);
			}
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "affected", a);
	}
	if (r->n_refs) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->n_refs; i++) {
			json_t *x = json_object();
			put_str(x, "url", r->refs[i].url);
			put_str(x, "type", r->refs[i].type);
			put_str(x, "source", r->refs[i].source);
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "references", a);
	}
	if (r->n_credits) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->n_credits; i++) {
			json_t *x = json_object();
			put_str(x, "name", r->credits[i].name);
			put_str(x, "type", r->credits[i].type);
			put_str(x, "source", r->credits[i].source);
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "credits", a);
	}
	if (r->n_prov) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->n_prov; i++) {
			json_t *x = json_object();
			put_str(x, "field", r->prov[i].field);
			put_str(x, "source", r->prov[i].source);
			put_str(x, "source_id", r->prov[i].source_id);
			put_str(x, "time", r->prov[i].time);
			if (r->prov[i].overridden)
				json_object_set_new(x, "overridden", json_true());
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "provenance", a);
	}
	return o;
}

/* ---- direct encoder: the same bytes as json_dumps(vd_record_to_jansson(r),
 * JSON_FLAGS), written straight into a buffer with keys already in sorted
 * order (no tree, no sort) — this is on the import hot path.  The unit test
 * t_record compares both encoders on every real record. */
typedef struct {
	vd_buf b;
	int err;
	bool first;      /* no member written yet in the current object/array */
} enc;

/* Appends with the room check inline: the encoder makes many small ones. */
static inline void raw(enc *e, const char *s, size_t n)
{
	vd_buf *b = &e->b;
	if (b->len + n < b->cap) {   /* cap never exceeds max + 1 */
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = 0;
	} else if (!e->err) {
		e->err = vd_buf_add(b, s, n);
	}
}

static inline void rawc(enc *e, char c)
{
	vd_buf *b = &e->b;
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = 0;
	} else if (!e->err) {
		e->err = vd_buf_add(b, &c, 1);
	}
}

static void str(enc *e, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	rawc(e, '"');
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		raw(e, run, (size_t)(s - run));
		run = s + 1;
		char esc[7] = {'\\', 0};
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			raw(e, esc, 6);
			continue;
		}
		raw(e, esc, 2);
	}
	raw(e, run, (size_t)(s - run));
	rawc(e, '"');
}

static void key(enc *e, const char *k)
{
	if (!e->first)
		rawc(e, ',');
	e->first = false;
	str(e, k);
	rawc(e, ':');
}

static void open_(enc *e, char c) { rawc(e, c); e->first = true; }
static void close_(enc *e, char c) { rawc(e, c); e->first = false; }
static void kstr(enc *e, const char *k, const char *v) { if (v) { key(e, k); str(e, v); } }

static void ktext(enc *e, const char *k, const vd_text *t)
{
	if (!t->zh && !t->en)
		return;
	key(e, k);
	open_(e, '{');
	kstr(e, "en", t->en);
	kstr(e, "zh", t->zh);
	close_(e, '}');
}

static void kstrs(enc *e, const char *k, char **v, size_t n)
{
	if (!n)
		return;
	key(e, k);
	rawc(e, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			rawc(e, ',');
		str(e, v[i]);
	}
	close_(e, ']');
}

/* jansson's real format: %.10g, plus ".0" when it reads as an integer */
static void real(enc *e, double d)
{
	char tmp[40];
	int n = snprintf(tmp, sizeof tmp, "%.10g", d);
	if (n > 0 && !strpbrk(tmp, ".eE"))
		n += snprintf(tmp + n, sizeof tmp - (size_t)n, ".0");
	raw(e, tmp, (size_t)n);
}

/* begin an element of an array of objects */
static void elem(enc *e, size_t i) { if (i) rawc(e, ','); open_(e, '{'); }

/* The members of one affected entry (the object's braces are the caller's). */
static void enc_affected(enc *e, const vd_affected *f)
{
	kstrs(e, "cpes", f->cpes, f->n_cpes);
	kstr(e, "default_status", f->default_status);
	kstr(e, "ecosystem", f->ecosystem);
	kstr(e, "package", f->package);
	kstr(e, "product", f->product);
	kstr(e, "purl", f->purl);
	if (f->n_ranges) {
		key(e, "ranges");
		rawc(e, '[');
		for (size_t k = 0; k < f->n_ranges; k++) {
			const vd_range *g = &f->ranges[k];
			elem(e, k);
			key(e, "events");
			rawc(e, '[');
			for (size_t x = 0; x < g->n_events; x++) {
				elem(e, x);
				kstr(e, vd_event_kind_name(g->events[x].kind), g->events[x].value);
				close_(e, '}');
			}
			close_(e, ']');
			kstr(e, "repo", g->repo);
			kstr(e, "type", g->type);
			close_(e, '}');
		}
		close_(e, ']');
	}
	kstr(e, "source", f->source);
	kstr(e, "vendor", f->vendor);
	kstr(e, "vers", f->vers);
	kstrs(e, "versions", f->versions, f->n_versions);
}


int vd_affected_to_json(const vd_affected *a, char **out)
{
	enc e = {.first = true};
	vd_buf_init(&e.b, 0);
	e.err = vd_buf_reserve(&e.b, 1024);
	open_(&e, '{');
	enc_affected(&e, a);
	close_(&e, '}');
	if (e.err) {
		vd_buf_free(&e.b);
		return vd_error_set(e.err, "encoding an affected entry");
	}
	*out = vd_buf_detach(&e.b);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
}

int vd_record_to_json(const vd_record *r, char **out)
{
	enc e = {.first = true};
	vd_buf_init(&e.b, 0);
	e.err = vd_buf_reserve(&e.b, 4096);   /* most records fit: no regrowth */
	open_(&e, '{');
	if (r->n_affected) {
		key(&e, "affected");
		rawc(&e, '[');
		for (size_t i = 0; i < r->n_affected; i++) {
			elem(&e, i);
			enc_affected(&e, &r->affected[i]);
			close_(&e, '}');
		}
		close_(&e, ']');
	}
	if (r->n_aliases) {
		key(&e, "aliases");
		rawc(&e, '[');
		for (size_t i = 0; i < r->n_aliases; i++) {
			elem(&e, i);
			kstr(&e, "id", r->aliases[i].id);
			kstr(&e, "source", r->aliases[i].source);
			close_(&e, '}');
		}
		close_(&e, ']');
	}
	kstr(&e, "class_code", r->class_code);
	kstr(&e, "class_text", r->class_text);
	if (r->n_credits) {
		key(&e, "credits");
		rawc(&e, '[');
		for (size_t i = 0; i < r->n_credits; i++) {
			elem(&e, i);
			kstr(&e, "name", r->credits[i].name);
			kstr(&e, "source", r->credits[i].source);
			kstr(&e, "type", r->credits[i].type);
			close_(&e, '}');
		}
		close_(&e, ']');
	}
	kstrs(&e, "cwes", r->cwes, r->n_cwes);
	ktext(&e, "description", &r->description);
	ktext(&e, "detection", &r->detection);
	ktext(&e, "existence", &r->existence);
	kstr(&e, "grade", r->grade);
	kstr(&e, "grade_basis", r->grade_basis);
	kstr(&e, "id", r->id);
	kstr(&e, "library", r->library);
	kstr(&e, "modified", r->modified);
	if (r->n_prov) {
		key(&e, "provenance");
		rawc(&e, '[');
		for (size_t i = 0; i < r->n_prov; i++) {
			const vd_provenance *p = &r->prov[i];
			elem(&e, i);
			kstr(&e, "field", p->field);
			if (p->overridden) {
				key(&e, "overridden");
				raw(&e, "true", 4);
			}
			kstr(&e, "source", p->source);
			kstr(&e, "source_id", p->source_id);
			kstr(&e, "time", p->time);
			close_(&e, '}');
		}
		close_(&e, ']');
	}
	kstr(&e, "published", r->published);
	kstr(&e, "publisher", r->publisher);
	if (r->n_refs) {
		key(&e, "references");
		rawc(&e, '[');
		for (size_t i = 0; i < r->n_refs; i++) {
			elem(&e, i);
			kstr(&e, "source", r->refs[i].source);
			kstr(&e, "type", r->refs[i].type);
			kstr(&e, "url", r->refs[i].url);
			close_(&e, '}');
		}
		close_(&e, ']');
	}
	if (r->n_scores) {
		key(&e, "scores");
		rawc(&e, '[');
		for (size_t i = 0; i < r->n_scores; i++) {
			const vd_score *x = &r->scores[i];
			elem(&e, i);
			if (x->base >= 0) {
				key(&e, "base_score");
				real(&e, x->base);
			}
			kstr(&e, "severity", x->severity);
			kstr(&e, "source", x->source);
			kstr(&e, "vector", x->vector);
			kstr(&e, "version", x->version);
			close_(&e, '}');
		}
		close_(&e, ']');
	}
	ktext(&e, "solution", &r->solution);
	kstr(&e, "state", vd_state_name(r->state));
	ktext(&e, "title", &r->title);
	kstr(&e, "verifier", r->verifier);
	kstr(&e, "withdrawn", r->withdrawn);
	close_(&e, '}');
	if (e.err) {
		vd_buf_free(&e.b);
		return vd_error_set(e.err, "encoding record %s: %s", r->id ? r->id : "?", vd_error_msg());
	}
	*out = vd_buf_detach(&e.b);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory encoding a record");
}

/* The jansson path, kept for callers that want a tree and for the test
 * that checks the direct encoder against it. */
int vd_record_to_json_jansson(const vd_record *r, char **out)
{
	json_t *o = vd_record_to_jansson(r);
	if (!o)
		return vd_error_set(VD_ENOMEM, "out of memory encoding a record");
	*out = json_dumps(o, JSON_FLAGS);
	json_decref(o);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory encoding a record");
}

/* ---- decode ---- */
static const char *gs(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void get_text(vd_record *r, json_t *o, const char *k, vd_text *t)
{
	json_t *x = json_object_get(o, k);
	t->zh = vd_record_str(r, gs(x, "zh"));
	t->en = vd_record_str(r, gs(x, "en"));
}

int vd_record_from_jansson(json_t *o, vd_record **out)
{
	if (!json_is_object(o))
		return vd_error_set(VD_EINVAL, "record JSON is not an object");
	vd_record *r = vd_record_new();
	if (!r)
		return vd_error_set(VD_ENOMEM, "out of memory");
	r->id = vd_record_str(r, gs(o, "id"));
	if (gs(o, "state") && vd_state_parse(gs(o, "state"), &r->state)) {
		vd_record_free(r);
		return VD_EINVAL;
	}
	r->published = vd_record_str(r, gs(o, "published"));
	r->modified = vd_record_str(r, gs(o, "modified"));
	r->withdrawn = vd_record_str(r, gs(o, "withdrawn"));
	get_text(r, o, "title", &r->title);
	get_text(r, o, "description", &r->description);
	get_text(r, o, "existence", &r->existence);
	get_text(r, o, "detection", &r->detection);
	get_text(r, o, "solution", &r->solution);
	r->publisher = vd_record_str(r, gs(o, "publisher"));
	r->verifier = vd_record_str(r, gs(o, "verifier"));
	r->class_code = vd_record_str(r, gs(o, "class_code"));
	r->class_text = vd_record_str(r, gs(o, "class_text"));
	r->grade = vd_record_str(r, gs(o, "grade"));
	r->grade_basis = vd_record_str(r, gs(o, "grade_basis"));
	r->library = vd_record_str(r, gs(o, "library"));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(o, "cwes"), i, v)
		vd_record_add_cwe(r, json_string_value(v));
	json_array_foreach(json_object_get(o, "aliases"), i, v)
		vd_record_add_alias(r, gs(v, "id"), gs(v, "source"));
	json_array_foreach(json_object_get(o, "scores"), i, v) {
		json_t *b = json_object_get(v, "base_score");
		vd_record_add_score(r, gs(v, "version"), gs(v, "vector"),
		                    json_is_number(b) ? json_number_value(b) : -1, gs(v, "severity"),
		                    gs(v, "source"));
	}
	json_array_foreach(json_object_get(o, "affected"), i, v) {
		vd_affected *a = vd_record_add_affected(r);
		if (!a)
			break;
		a->vendor = vd_record_str(r, gs(v, "vendor"));
		a->product = vd_record_str(r, gs(v, "product"));
		a->ecosystem = vd_record_str(r, gs(v, "ecosystem"));
		a->package = vd_record_str(r, gs(v, "package"));
		a->purl = vd_record_str(r, gs(v, "purl"));
		a->vers = vd_record_str(r, gs(v, "vers"));
		a->default_status = vd_record_str(r, gs(v, "default_status"));
		a->source = vd_record_str(r, gs(v, "source"));
		size_t k;
		json_t *w;
		json_array_foreach(json_object_get(v, "cpes"), k, w)
			vd_affected_add_cpe(r, a, json_string_value(w));
		json_array_foreach(json_object_get(v, "versions"), k, w)
			vd_affected_add_version(r, a, json_string_value(w));
		json_array_foreach(json_object_get(v, "ranges"), k, w) {
			vd_range *g = vd_affected_add_range(r, a, gs(w, "type"), gs(w, "repo"));
			if (!g)
				break;
			size_t e;
			json_t *ev;
			json_array_foreach(json_object_get(w, "events"), e, ev) {
				const char *key;
				json_t *val;
				json_object_foreach(ev, key, val) {
					vd_event_kind kind;
					if (json_is_string(val) && vd_event_kind_parse(key, &kind) == VD_OK)
						vd_range_add_event(r, g, kind, json_string_value(val));
				}
			}
		}
	}
	json_array_foreach(json_object_get(o, "references"), i, v)
		vd_record_add_ref(r, gs(v, "url"), gs(v, "type"), gs(v, "source"));
	json_array_foreach(json_object_get(o, "credits"), i, v)
		vd_record_add_credit(r, gs(v, "name"), gs(v, "type"), gs(v, "source"));
	json_array_foreach(json_object_get(o, "provenance"), i, v) {
		vd_provenance *p = vd_record_add_prov(r, gs(v, "field"), gs(v, "source"), gs(v, "source_id"),
		                                      gs(v, "time"));
		if (p)
			p->overridden = json_is_true(json_object_get(v, "overridden"));
	}
	*out = r;
	return VD_OK;
}

int vd_record_from_json(const char *json, size_t len, vd_record **out)
{
	json_error_t err;
	json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
	if (!o)
		return vd_error_set(VD_EINVAL, "record JSON: %s at line %d column %d", err.text, err.line,
		                    err.column);
	int rc = vd_record_from_jansson(o, out);
	json_decref(o);
	return rc;
}
