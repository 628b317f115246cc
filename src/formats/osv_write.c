/* OSV 1.x writer (see vulnd/osv_write.h for the mapping). */
#include "vulnd/osv_write.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void put(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

/* Upper-case s when it is one of the names, else dflt. */
static const char *osv_name(const char *s, const char *const *names, const char *dflt)
{
	for (int i = 0; s && names[i]; i++)
		if (strcasecmp(s, names[i]) == 0)
			return names[i];
	return dflt;
}

static const char *ref_type(const char *t)
{
	static const char *const names[] = {"ADVISORY", "ARTICLE", "DETECTION", "DISCUSSION", "REPORT",
	                                    "FIX", "INTRODUCED", "GIT", "PACKAGE", "EVIDENCE", "WEB", NULL};
	if (t && (!strcasecmp(t, "patch") || !strcasecmp(t, "fix")))
		return "FIX";
	if (t && !strcasecmp(t, "exploit"))
		return "EVIDENCE";
	return osv_name(t, names, "WEB");
}

static const char *credit_type(const char *t)
{
	static const char *const names[] = {"FINDER", "REPORTER", "ANALYST", "COORDINATOR",
	                                    "REMEDIATION_DEVELOPER", "REMEDIATION_REVIEWER",
	                                    "REMEDIATION_VERIFIER", "TOOL", "SPONSOR", "OTHER", NULL};
	return t ? osv_name(t, names, "OTHER") : NULL;
}

/* OSV severity type for a CVSS vector, or NULL when it is not one OSV takes. */
static const char *sev_type(const vd_score *s)
{
	if (!s->vector)
		return NULL;
	if (!strncmp(s->vector, "CVSS:3.0/", 9) || !strncmp(s->vector, "CVSS:3.1/", 9))
		return "CVSS_V3";
	if (!strncmp(s->vector, "CVSS:4.0/", 9))
		return "CVSS_V4";
	if (s->version && !strcmp(s->version, "2.0") && !strncmp(s->vector, "AV:", 3))
		return "CVSS_V2";
	return NULL;
}

static bool osv_range_type(const char *t)
{
	return t && (!strcmp(t, "SEMVER") || !strcmp(t, "ECOSYSTEM") || !strcmp(t, "GIT"));
}

static json_t *ranges_json(const vd_affected *a)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < a->n_ranges; i++) {
		const vd_range *g = &a->ranges[i];
		if (!osv_range_type(g->type) || (!strcmp(g->type, "GIT") && !g->repo))
			continue;
		bool has_intro = false;
		json_t *ev = json_array();
		for (size_t k = 0; k < g->n_events; k++) {
			if (!g->events[k].value)
				continue;
			has_intro |= g->events[k].kind == VD_EV_INTRODUCED;
			json_array_append_new(ev, json_pack("{s:s}", vd_event_kind_name(g->events[k].kind),
			                                    g->events[k].value));
		}
		if (!has_intro) {        /* OSV wants an introduced event */
			json_decref(ev);
			continue;
		}
		json_t *o = json_object();
		put(o, "type", g->type);
		put(o, "repo", g->repo);
		json_object_set_new(o, "events", ev);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *strings(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (v[i])
			json_array_append_new(a, json_string(v[i]));
	return a;
}

static void set_nonempty(json_t *o, const char *k, json_t *arr)
{
	if (json_array_size(arr))
		json_object_set_new(o, k, arr);
	else
		json_decref(arr);
}

json_t *vd_osv_from_record(const vd_record *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "schema_version", VD_OSV_SCHEMA_VERSION);
	put(o, "id", r->id);
	put(o, "modified", r->modified ? r->modified : r->published ? r->published : "1970-01-01T00:00:00Z");
	put(o, "published", r->published);
	put(o, "withdrawn", r->withdrawn);
	json_t *al = json_array();
	for (size_t i = 0; i < r->n_aliases; i++)
		if (r->aliases[i].id && strcmp(r->aliases[i].id, r->id))
			json_array_append_new(al, json_string(r->aliases[i].id));
	set_nonempty(o, "aliases", al);
	put(o, "summary", r->title.en ? r->title.en : r->title.zh);
	put(o, "details", r->description.en ? r->description.en : r->description.zh);

	json_t *sev = json_array();
	for (size_t i = 0; i < r->n_scores; i++) {
		const char *t = sev_type(&r->scores[i]);
		bool dup = false;
		for (size_t k = 0; t && k < json_array_size(sev); k++)
			dup |= !strcmp(json_string_value(json_object_get(json_array_get(sev, k), "score")),
			               r->scores[i].vector);
		if (t && !dup)
			json_array_append_new(sev, json_pack("{s:s,s:s}", "type", t, "score", r->scores[i].vector));
	}
	set_nonempty(o, "severity", sev);

	json_t *aff = json_array(), *products = json_array();
	for (size_t i = 0; i < r->n_affected; i++) {
		const vd_affected *a = &r->affected[i];
		if (a->ecosystem && a->package) {
			json_t *e = json_object(), *pkg = json_object();
			put(pkg, "ecosystem", a->ecosystem);
			put(pkg, "name", a->package);
			put(pkg, "purl", a->purl);
			json_object_set_new(e, "package", pkg);
			set_nonempty(e, "ranges", ranges_json(a));
			set_nonempty(e, "versions", strings(a->versions, a->n_versions));
			json_array_append_new(aff, e);
		} else if (a->vendor || a->product || a->n_cpes) {
			json_t *e = json_object();
			put(e, "vendor", a->vendor);
			put(e, "product", a->product);
			set_nonempty(e, "versions", strings(a->versions, a->n_versions));
			set_nonempty(e, "cpes", strings(a->cpes, a->n_cpes));
			put(e, "default_status", a->default_status);
			json_array_append_new(products, e);
		}
	}
	set_nonempty(o, "affected", aff);

	json_t *refs = json_array();
	for (size_t i = 0; i < r->n_refs; i++)
		if (r->refs[i].url)
			json_array_append_new(refs, json_pack("{s:s,s:s}", "type", ref_type(r->refs[i].type),
			                                      "url", r->refs[i].url));
	set_nonempty(o, "references", refs);

	json_t *cr = json_array();
	for (size_t i = 0; i < r->n_credits; i++) {
		if (!r->credits[i].name)
			continue;
		json_t *c = json_object();
		put(c, "name", r->credits[i].name);
		put(c, "type", credit_type(r->credits[i].type));
		json_array_append_new(cr, c);
	}
	set_nonempty(o, "credits", cr);

	json_t *ds = json_object();
	put(ds, "grade", r->grade);
	set_nonempty(ds, "cwe_ids", strings(r->cwes, r->n_cwes));
	set_nonempty(ds, "affected_products", products);
	if (r->title.en && r->title.zh)
		put(ds, "summary_zh", r->title.zh);
	if (r->description.en && r->description.zh)
		put(ds, "details_zh", r->description.zh);
	put(ds, "state", vd_state_name(r->state));
	json_object_set_new(o, "database_specific", ds);
	return o;
}

int vd_osv_write(const vd_record *r, char **out)
{
	json_t *o = vd_osv_from_record(r);
	if (!o)
		return vd_error_set(VD_ENOMEM, "osv: out of memory writing %s", r->id ? r->id : "a record");
	*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (!*out)
		return vd_error_set(VD_ENOMEM, "osv: out of memory writing %s", r->id ? r->id : "a record");
	return VD_OK;
}
