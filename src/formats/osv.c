/* OSV 1.x (Open Source Vulnerability format, JSON or the same fields read
 * from YAML) → vd_record.
 *
 * Mapping (every value copied into the record's arena; source "osv"):
 *   id                      → r->id, and an alias
 *   aliases[]               → aliases              (related[] and upstream[] are NOT aliases: ignored)
 *   published/modified/withdrawn → canonical times; withdrawn also sets VD_STATE_WITHDRAWN
 *                             (Go's zero time "0001-01-01T00:00:00Z", which golang/vulndb
 *                             writes for "not set", is read as absent)
 *   summary / details       → title.en / description.en
 *   severity[] {type,score} → scores (score is the vector; version from the
 *                             "CVSS:x.y/" prefix, CVSS_V2 → "2.0"; base absent)
 *   affected[].severity[]   → scores as well
 *   database_specific.cwe_ids[] (GHSA style) → cwes
 *   affected[] {package{ecosystem,name,purl}, ranges[]{type,repo,events[]}, versions[]}
 *                           → affected entries; ecosystem_specific and
 *                             database_specific are ignored
 *   references[] {type,url} → refs, type per ref_types[] below
 *   credits[] {name,type}   → credits, type lower case with '_' → ' ' so it
 *                             matches the CVE 5 words ("remediation developer")
 * Provenance: one entry per field set, (field, "osv", id, modified).
 *
 * Errors (VD_EINVAL, message starts with the JSON path of the bad value):
 * not an object, id missing/empty/not a string/too long, modified missing,
 * a time that is not RFC 3339, a known field of the wrong JSON type, an
 * event with an unknown or no kind.  Absent and null optional fields are fine.
 * The walk is iterative (no recursion) and bounded by the input's size.
 */
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SRC "osv"
#define OSV_PATH_LEN 160

/* OSV reference type → vulnd reference type (lower case). */
static const struct { const char *osv, *vd; } ref_types[] = {
	{"ADVISORY", "advisory"},
	{"ARTICLE", "article"},
	{"DETECTION", "web"},     /* a way to detect the issue (scanner rule, ...) */
	{"DISCUSSION", "web"},    /* mailing list / issue discussion */
	{"EVIDENCE", "report"},   /* proof the issue exists (PoC, reproduction) */
	{"FIX", "patch"},
	{"GIT", "patch"},         /* a commit, usually the fix */
	{"INTRODUCED", "web"},    /* the commit that introduced the bug */
	{"PACKAGE", "package"},
	{"REPORT", "report"},
	{"WEB", "web"},
};

/* Go's zero time.Time, written by golang/vulndb for "not set". */
static const char go_zero_time[] = "0001-01-01T00:00:00Z";

/* Format a JSON path for messages (truncated when very deep; never fails). */
static void pathf(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void pathf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

/* Join a parent path and a key: "affected[0].package" + "name". */
static void join(char *out, size_t n, const char *parent, const char *key)
{
	if (parent && *parent)
		pathf(out, n, "%s.%s", parent, key);
	else
		pathf(out, n, "%s", key);
}

/* Optional string member: absent or null → *out = NULL. */
static int get_str(json_t *o, const char *parent, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return VD_OK;
	if (!json_is_string(v)) {
		char p[OSV_PATH_LEN];
		join(p, sizeof p, parent, key);
		return vd_error_set(VD_EINVAL, "%s: not a string", p);
	}
	*out = json_string_value(v);
	return VD_OK;
}

/* Optional array / object member: absent or null → *out = NULL. */
static int get_typed(json_t *o, const char *parent, const char *key, bool array, json_t **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return VD_OK;
	if (array ? !json_is_array(v) : !json_is_object(v)) {
		char p[OSV_PATH_LEN];
		join(p, sizeof p, parent, key);
		return vd_error_set(VD_EINVAL, "%s: not an %s", p, array ? "array" : "object");
	}
	*out = v;
	return VD_OK;
}

/* An array element that must be a string (integers are accepted and written
 * in decimal, as a YAML loader may type unquoted numbers). */
static int elem_str(json_t *v, const char *path, char *tmp, size_t n, const char **out)
{
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return VD_OK;
	}
	if (json_is_integer(v)) {
		snprintf(tmp, n, "%lld", (long long)json_integer_value(v));
		*out = tmp;
		return VD_OK;
	}
	return vd_error_set(VD_EINVAL, "%s: not a string", path);
}

/* A time member → canonical string in the arena (NULL when absent or Go zero). */
static int get_time(vd_record *r, json_t *o, const char *key, char **out)
{
	const char *s;
	int rc = get_str(o, "", key, &s);
	*out = NULL;
	if (rc || vd_str_empty(s))
		return rc;
	char *t = vd_time_normalize(r->arena, s);
	if (!t)
		return vd_error_set(VD_EINVAL, "%s: '%.64s' is not an RFC 3339 date-time", key, s);
	if (strcmp(t, go_zero_time) != 0)
		*out = t;
	return VD_OK;
}

static const char *ref_type(const char *t, char *tmp, size_t n)
{
	if (vd_str_empty(t))
		return NULL;
	for (size_t i = 0; i < sizeof ref_types / sizeof ref_types[0]; i++)
		if (strcmp(t, ref_types[i].osv) == 0)
			return ref_types[i].vd;
	/* unknown: lower-cased as given when short and plain, else "web" */
	size_t i = 0;
	for (; t[i] && i + 1 < n; i++) {
		char c = t[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return "web";
		tmp[i] = c;
	}
	if (t[i])
		return "web";
	tmp[i] = 0;
	return tmp;
}

/* When one URL comes with several types, the highest rank is kept. */
static int ref_rank(const char *t)
{
	static const char *order[] = {"web", "package", "article", "report", "exploit", "patch", "advisory"};
	for (int i = 0; i < (int)(sizeof order / sizeof order[0]); i++)
		if (strcmp(t, order[i]) == 0)
			return i;
	return 0;
}

/* FINDER → finder, REMEDIATION_DEVELOPER → "remediation developer". */
static const char *credit_type(const char *t, char *tmp, size_t n)
{
	if (vd_str_empty(t))
		return NULL;
	size_t i = 0;
	for (; t[i] && i + 1 < n; i++) {
		char c = t[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c == '_')
			c = ' ';
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '-'))
			return "other";
		tmp[i] = c;
	}
	if (t[i])
		return "other";
	tmp[i] = 0;
	return tmp;
}

/* Version of a severity entry: the vector's "CVSS:x.y/" prefix wins; else
 * from the type; other schemes (e.g. "Ubuntu") keep their type name. */
static const char *score_version(const char *type, const char *vec, char *tmp, size_t n)
{
	if (strncmp(vec, "CVSS:", 5) == 0) {
		const char *slash = strchr(vec + 5, '/');
		size_t len = slash ? (size_t)(slash - (vec + 5)) : 0;
		if (len > 0 && len < n && len <= 8) {
			memcpy(tmp, vec + 5, len);
			tmp[len] = 0;
			return tmp;
		}
	}
	if (!type)
		return NULL;
	if (strcmp(type, "CVSS_V2") == 0)
		return "2.0";
	if (strcmp(type, "CVSS_V3") == 0)
		return "3.0";
	if (strcmp(type, "CVSS_V4") == 0)
		return "4.0";
	return type;
}

static int add_severity(vd_record *r, json_t *o, const char *parent, bool *any)
{
	json_t *arr, *v;
	size_t i;
	int rc = get_typed(o, parent, "severity", true, &arr);
	if (rc)
		return rc;
	json_array_foreach(arr, i, v) {
		char p[OSV_PATH_LEN], tmp[16];
		const char *type, *score;
		if (parent && *parent)
			pathf(p, sizeof p, "%s.severity[%zu]", parent, i);
		else
			pathf(p, sizeof p, "severity[%zu]", i);
		if (!json_is_object(v))
			return vd_error_set(VD_EINVAL, "%s: not an object", p);
		if ((rc = get_str(v, p, "type", &type)) || (rc = get_str(v, p, "score", &score)))
			return rc;
		if (vd_str_empty(score))
			continue;
		if (vd_record_add_score(r, score_version(type, score, tmp, sizeof tmp), score, -1.0, NULL, SRC))
			*any = true;
	}
	return VD_OK;
}

static int add_events(vd_record *r, vd_range *g, json_t *events, const char *rp)
{
	json_t *ev;
	size_t k;
	json_array_foreach(events, k, ev) {
		char p[OSV_PATH_LEN];
		pathf(p, sizeof p, "%s.events[%zu]", rp, k);
		if (!json_is_object(ev))
			return vd_error_set(VD_EINVAL, "%s: not an object", p);
		if (json_object_size(ev) == 0)
			return vd_error_set(VD_EINVAL, "%s: empty event (want introduced, fixed, last_affected or limit)", p);
		const char *key;
		json_t *val;
		json_object_foreach(ev, key, val) {
			vd_event_kind kind;
			if (vd_event_kind_parse(key, &kind))
				return vd_error_set(VD_EINVAL, "%s: unknown event '%.64s'", p, key);
			char vp[OSV_PATH_LEN + 32], tmp[32];
			const char *s;
			pathf(vp, sizeof vp, "%s.%s", p, key);
			int rc = elem_str(val, vp, tmp, sizeof tmp, &s);
			if (rc)
				return rc;
			if (!vd_range_add_event(r, g, kind, s))
				return vd_error_set(VD_ENOMEM, "%s: out of memory", p);
		}
	}
	return VD_OK;
}

static int add_affected(vd_record *r, json_t *v, const char *ap, bool *any_score)
{
	json_t *pkg, *ranges, *versions, *x;
	size_t j;
	int rc;
	if (!json_is_object(v))
		return vd_error_set(VD_EINVAL, "%s: not an object", ap);
	vd_affected *a = vd_record_add_affected(r);
	if (!a)
		return vd_error_set(VD_ENOMEM, "%s: out of memory", ap);
	a->source = vd_record_str(r, SRC);
	if ((rc = get_typed(v, ap, "package", false, &pkg)))
		return rc;
	if (pkg) {
		char pp[OSV_PATH_LEN];
		const char *eco, *name, *purl;
		join(pp, sizeof pp, ap, "package");
		if ((rc = get_str(pkg, pp, "ecosystem", &eco)) || (rc = get_str(pkg, pp, "name", &name)) ||
		    (rc = get_str(pkg, pp, "purl", &purl)))
			return rc;
		a->ecosystem = vd_record_str(r, eco);
		a->package = vd_record_str(r, name);
		a->purl = vd_record_str(r, purl);
	}
	if ((rc = get_typed(v, ap, "ranges", true, &ranges)))
		return rc;
	json_array_foreach(ranges, j, x) {
		char rp[OSV_PATH_LEN];
		const char *type, *repo;
		json_t *events;
		pathf(rp, sizeof rp, "%s.ranges[%zu]", ap, j);
		if (!json_is_object(x))
			return vd_error_set(VD_EINVAL, "%s: not an object", rp);
		if ((rc = get_str(x, rp, "type", &type)) || (rc = get_str(x, rp, "repo", &repo)) ||
		    (rc = get_typed(x, rp, "events", true, &events)))
			return rc;
		vd_range *g = vd_affected_add_range(r, a, type, repo);
		if (!g)
			return vd_error_set(VD_ENOMEM, "%s: out of memory", rp);
		if ((rc = add_events(r, g, events, rp)))
			return rc;
	}
	if ((rc = get_typed(v, ap, "versions", true, &versions)))
		return rc;
	json_array_foreach(versions, j, x) {
		char vp[OSV_PATH_LEN], tmp[32];
		const char *s;
		pathf(vp, sizeof vp, "%s.versions[%zu]", ap, j);
		if ((rc = elem_str(x, vp, tmp, sizeof tmp, &s)))
			return rc;
		vd_affected_add_version(r, a, s);
	}
	return add_severity(r, v, ap, any_score);
}

static int convert(json_t *doc, vd_record *r)
{
	const char *id, *s, *mod_raw;
	json_t *arr, *v, *dbs;
	size_t i;
	int rc;

	if (!json_is_object(doc))
		return vd_error_set(VD_EINVAL, "OSV record: not a JSON object");
	json_t *jid = json_object_get(doc, "id");
	if (!jid || json_is_null(jid))
		return vd_error_set(VD_EINVAL, "id: missing");
	if (!json_is_string(jid))
		return vd_error_set(VD_EINVAL, "id: not a string");
	id = json_string_value(jid);
	if (vd_str_empty(id))
		return vd_error_set(VD_EINVAL, "id: empty");
	if (strlen(id) > 128)
		return vd_error_set(VD_EINVAL, "id: longer than 128 bytes");
	r->id = vd_record_str(r, id);
	if (!r->id || !vd_record_add_alias(r, id, SRC))
		return vd_error_set(VD_ENOMEM, "out of memory");

	if ((rc = get_str(doc, "", "modified", &mod_raw)))
		return rc;
	if (vd_str_empty(mod_raw))
		return vd_error_set(VD_EINVAL, "modified: missing");
	if ((rc = get_time(r, doc, "modified", &r->modified)) ||
	    (rc = get_time(r, doc, "published", &r->published)) ||
	    (rc = get_time(r, doc, "withdrawn", &r->withdrawn)))
		return rc;
	const char *when = r->modified;
#define PROV(f) vd_record_add_prov(r, (f), SRC, id, when)
	PROV("id");
	PROV("aliases");
	if (r->modified)
		PROV("modified");
	if (r->published)
		PROV("published");
	if (r->withdrawn) {
		r->state = VD_STATE_WITHDRAWN;
		PROV("state");
		PROV("withdrawn");
	}

	if ((rc = get_typed(doc, "", "aliases", true, &arr)))
		return rc;
	json_array_foreach(arr, i, v) {
		char p[OSV_PATH_LEN], tmp[32];
		pathf(p, sizeof p, "aliases[%zu]", i);
		if ((rc = elem_str(v, p, tmp, sizeof tmp, &s)))
			return rc;
		vd_record_add_alias(r, s, SRC);
	}

	if ((rc = get_str(doc, "", "summary", &s)))
		return rc;
	vd_record_set_text(r, &r->title, "en", s);
	if (r->title.en)
		PROV("title.en");
	if ((rc = get_str(doc, "", "details", &s)))
		return rc;
	vd_record_set_text(r, &r->description, "en", s);
	if (r->description.en)
		PROV("description.en");

	bool any_score = false;
	if ((rc = add_severity(r, doc, "", &any_score)))
		return rc;

	if ((rc = get_typed(doc, "", "database_specific", false, &dbs)))
		return rc;
	if (dbs) {
		if ((rc = get_typed(dbs, "database_specific", "cwe_ids", true, &arr)))
			return rc;
		json_array_foreach(arr, i, v) {
			char p[OSV_PATH_LEN], tmp[32];
			pathf(p, sizeof p, "database_specific.cwe_ids[%zu]", i);
			if ((rc = elem_str(v, p, tmp, sizeof tmp, &s)))
				return rc;
			vd_record_add_cwe(r, s);
		}
		if (r->n_cwes)
			PROV("cwes");
	}

	if ((rc = get_typed(doc, "", "affected", true, &arr)))
		return rc;
	json_array_foreach(arr, i, v) {
		char ap[OSV_PATH_LEN];
		pathf(ap, sizeof ap, "affected[%zu]", i);
		if ((rc = add_affected(r, v, ap, &any_score)))
			return rc;
	}
	if (r->n_affected)
		PROV("affected");
	if (any_score)
		PROV("scores");

	if ((rc = get_typed(doc, "", "references", true, &arr)))
		return rc;
	json_array_foreach(arr, i, v) {
		char p[OSV_PATH_LEN], tmp[32];
		const char *type, *url;
		pathf(p, sizeof p, "references[%zu]", i);
		if (!json_is_object(v))
			return vd_error_set(VD_EINVAL, "%s: not an object", p);
		if ((rc = get_str(v, p, "type", &type)) || (rc = get_str(v, p, "url", &url)))
			return rc;
		const char *t = ref_type(type, tmp, sizeof tmp);
		vd_reference *f = vd_record_add_ref(r, url, t, SRC);
		/* the same URL listed twice (EVIDENCE and ADVISORY, say): keep the more telling type */
		if (f && t && f->type && ref_rank(t) > ref_rank(f->type))
			f->type = vd_record_str(r, t);
	}
	if (r->n_refs)
		PROV("references");

	if ((rc = get_typed(doc, "", "credits", true, &arr)))
		return rc;
	json_array_foreach(arr, i, v) {
		char p[OSV_PATH_LEN], tmp[32];
		const char *name, *type;
		pathf(p, sizeof p, "credits[%zu]", i);
		if (!json_is_object(v))
			return vd_error_set(VD_EINVAL, "%s: not an object", p);
		if ((rc = get_str(v, p, "name", &name)) || (rc = get_str(v, p, "type", &type)))
			return rc;
		vd_record_add_credit(r, name, credit_type(type, tmp, sizeof tmp), SRC);
	}
	if (r->n_credits)
		PROV("credits");
#undef PROV
	return vd_record_validate(r);
}

int vd_osv_to_record(json_t *doc, vd_record **out)
{
	*out = NULL;
	vd_record *r = vd_record_new();
	if (!r)
		return vd_error_set(VD_ENOMEM, "out of memory");
	int rc = convert(doc, r);
	if (rc) {
		vd_record_free(r);
		return rc;
	}
	*out = r;
	return VD_OK;
}
