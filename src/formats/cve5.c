/* CVE JSON 5.x record (dataType CVE_RECORD, dataVersion 5.x) → vd_record.
 *
 * Mapping (see docs in the report / include/vulnd/formats.h):
 *   cveMetadata.cveId            → id, plus alias (cveId, "cve5")
 *   cveMetadata.state            → PUBLISHED / REJECTED (anything else: VD_EINVAL)
 *   cveMetadata.datePublished    → published (normalised; unparseable → NULL)
 *   cveMetadata.dateUpdated      → modified (fallback: cna.providerMetadata.dateUpdated)
 *   cveMetadata.dateRejected     → withdrawn (REJECTED records only)
 *   cna.providerMetadata.shortName → publisher (fallback cveMetadata.assignerShortName)
 *   cna.title                    → title.en (title.zh when the CNA wrote only zh text)
 *   cna.descriptions[]           → description.en / .zh: an exact "en"/"zh" entry wins
 *                                  over "en-US", "zh-CN", ...; other languages ignored.
 *                                  REJECTED records use cna.rejectedReasons[] first.
 *   cna.solutions[]              → solution.en / .zh (several entries joined by "\n\n")
 *   problemTypes[].descriptions[] (cna and every adp)
 *                                → cwes: cweId when it is exactly "CWE-<digits>";
 *                                  without cweId, a description that starts with
 *                                  "CWE-<digits>" followed by end, blank or ':'.
 *   metrics[].cvssV2_0/V3_0/V3_1/V4_0 (cna, adp)
 *                                → scores (version from the key, vectorString,
 *                                  baseScore in [0,10] or -1, baseSeverity), source
 *                                  "cna" or "adp:<shortName>".  "other" metrics skipped.
 *   affected[] (cna and adp)     → vd_affected, source "cve5" (cna) or "adp:<shortName>":
 *        vendor, product, packageName → package, defaultStatus → default_status,
 *        cpes[], collectionURL → ecosystem for the well-known registries (PyPI, Go,
 *        Maven, npm, crates.io, RubyGems, Packagist, NuGet, Hex, Pub; others dropped).
 *        versions[] entry {version V, status S, lessThan L | lessThanOrEqual LE,
 *        changes[{at, status}], versionType T}:
 *          - with L, LE or changes: one range of type T (or "custom"); repo set from
 *            affected.repo when T is "git".  Events walk the status timeline:
 *            S affected → introduced V; each change that turns affected → introduced
 *            at, that turns not-affected → fixed at; if still affected at the end →
 *            fixed L or last_affected LE (none when the bound is "*").
 *            V of "n/a", "unspecified", "*" or "" is introduced as "0".
 *            A range that never becomes affected (plain "unaffected" entries) is
 *            skipped, so unaffected-only information is not kept.
 *          - without bounds or changes: S affected → V in the explicit versions
 *            list (as given, even "n/a"); other statuses skipped.
 *   references[] (cna and adp)   → refs (dedup by url), source "cve5"; type from
 *        tags in priority exploit > patch > advisory (vendor-/third-party-advisory)
 *        > report (issue-tracking, technical-description) > web.
 *   cna.credits[]                → credits (value → name, type), source "cve5".
 *   Provenance: one entry per field set, source "cve5", id cveId, time = modified.
 */
#include "vulnd/formats.h"
#include "conv_util.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#define SRC "cve5"
#define TEXT_MAX (4u << 20)   /* cap on one joined text (solutions) */

static void add_prov(vd_record *r, const char *field)
{
	vd_record_add_prov(r, field, SRC, r->id, r->modified);
}

/* Set description en/zh from an array of {lang, value}; returns how many set. */
static int set_descriptions(vd_record *r, const json_t *arr)
{
	int n = 0;
	const char *en = cv_pick_lang(arr, "en"), *zh = cv_pick_lang(arr, "zh");
	if (en) {
		vd_record_set_text(r, &r->description, "en", en);
		add_prov(r, "description.en");
		n++;
	}
	if (zh) {
		vd_record_set_text(r, &r->description, "zh", zh);
		add_prov(r, "description.zh");
		n++;
	}
	return n;
}

/* Join every solution value of one language family into one text. */
static int set_solution(vd_record *r, const json_t *arr, const char *want)
{
	vd_buf b;
	vd_buf_init(&b, TEXT_MAX);
	size_t i;
	json_t *e;
	int rc = VD_OK;
	json_array_foreach(arr, i, e) {
		const char *v = cv_str(e, "value");
		if (vd_str_empty(v) || !cv_lang_rank(cv_str(e, "lang"), want))
			continue;
		if ((b.len && (rc = vd_buf_adds(&b, "\n\n"))) || (rc = vd_buf_adds(&b, v)))
			break;
	}
	if (rc == VD_OK && b.len) {
		vd_record_set_text(r, &r->solution, want, vd_buf_str(&b));
		add_prov(r, strcmp(want, "zh") == 0 ? "solution.zh" : "solution.en");
	}
	vd_buf_free(&b);
	return rc == VD_ETOOBIG ? VD_OK : rc;   /* over-long text: skipped, not fatal */
}

/* "CWE-<1..10 digits>" at s; returns the digit count or 0. Requires the
 * character after the digits to be end/blank/':' when strict is false, end
 * when strict is true. */
static size_t cwe_len(const char *s, bool strict)
{
	if (strncmp(s, "CWE-", 4) != 0)
		return 0;
	size_t n = 0;
	while (isdigit((unsigned char)s[4 + n]))
		n++;
	if (n == 0 || n > 10)
		return 0;
	char c = s[4 + n];
	if (strict ? c != '\0' : !(c == '\0' || c == ' ' || c == ':' || c == '\t'))
		return 0;
	return n;
}

static int add_cwes(vd_record *r, const json_t *ptypes)
{
	int n = 0;
	size_t i, k;
	json_t *pt, *d;
	json_array_foreach(ptypes, i, pt) {
		json_array_foreach(json_object_get(pt, "descriptions"), k, d) {
			const json_t *cw = json_object_get(d, "cweId");
			const char *s = json_string_value(cw);
			char tmp[16];
			if (cw) {
				if (!s || !cwe_len(s, true))
					continue;
				vd_record_add_cwe(r, s);
				n++;
				continue;
			}
			s = cv_str(d, "description");
			size_t len = s ? cwe_len(s, false) : 0;
			if (!len)
				continue;
			snprintf(tmp, sizeof tmp, "CWE-%.*s", (int)len, s + 4);
			vd_record_add_cwe(r, tmp);
			n++;
		}
	}
	return n;
}

static int add_scores(vd_record *r, const json_t *metrics, const char *source)
{
	static const struct { const char *key, *version; } kinds[] = {
		{"cvssV4_0", "4.0"}, {"cvssV3_1", "3.1"}, {"cvssV3_0", "3.0"}, {"cvssV2_0", "2.0"},
	};
	int n = 0;
	size_t i;
	json_t *m;
	json_array_foreach(metrics, i, m) {
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			const json_t *c = json_object_get(m, kinds[k].key);
			const char *vec = cv_str(c, "vectorString");
			if (vd_str_empty(vec))
				continue;
			const json_t *bs = json_object_get(c, "baseScore");
			double base = json_is_number(bs) ? json_number_value(bs) : -1.0;
			if (!(base >= 0.0 && base <= 10.0))
				base = -1.0;
			if (vd_record_add_score(r, kinds[k].version, vec, base, cv_str(c, "baseSeverity"), source))
				n++;
		}
	}
	return n;
}

/* OSV ecosystem name for a package registry URL, NULL when not a known one. */
static const char *ecosystem_for(const char *url)
{
	static const struct { const char *host, *eco; } map[] = {
		{"pypi.org", "PyPI"}, {"pypi.python.org", "PyPI"},
		{"pkg.go.dev", "Go"}, {"proxy.golang.org", "Go"},
		{"repo.maven.apache.org", "Maven"}, {"repo1.maven.org", "Maven"},
		{"search.maven.org", "Maven"}, {"central.sonatype.com", "Maven"},
		{"npmjs.com", "npm"}, {"npmjs.org", "npm"},
		{"crates.io", "crates.io"}, {"rubygems.org", "RubyGems"},
		{"packagist.org", "Packagist"}, {"nuget.org", "NuGet"},
		{"hex.pm", "Hex"}, {"pub.dev", "Pub"},
	};
	if (!url)
		return NULL;
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t hl = strcspn(h, "/:?#");
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
		size_t ml = strlen(map[k].host);
		if (hl == ml && strncasecmp(h, map[k].host, hl) == 0)
			return map[k].eco;
		/* www.npmjs.com, registry.npmjs.org, ... */
		if (hl > ml && h[hl - ml - 1] == '.' && strncasecmp(h + hl - ml, map[k].host, ml) == 0)
			return map[k].eco;
	}
	return NULL;
}

static bool is_affected(const char *status)
{
	return status && strcmp(status, "affected") == 0;
}

static const char *start_version(const char *v)
{
	if (!v || vd_str_empty(v) || strcmp(v, "*") == 0 || strcasecmp(v, "n/a") == 0 ||
	    strcasecmp(v, "unspecified") == 0)
		return "0";
	return v;
}

/* One versions[] entry into a (status timeline) range or explicit version. */
static int add_version_entry(vd_record *r, vd_affected *a, const json_t *v, const char *repo)
{
	const char *ver = cv_str(v, "version");
	const char *status = cv_str(v, "status");
	const char *lt = cv_str(v, "lessThan");
	const char *lte = lt ? NULL : cv_str(v, "lessThanOrEqual");
	const json_t *changes = json_object_get(v, "changes");
	size_t nch = json_array_size(changes);
	if (!status)
		return VD_OK;
	if (!lt && !lte && nch == 0) {
		if (is_affected(status))
			vd_affected_add_version(r, a, ver);
		return VD_OK;
	}
	/* Does the timeline ever become affected?  If not, keep nothing. */
	bool any = is_affected(status);
	size_t i;
	json_t *c;
	json_array_foreach(changes, i, c)
		any = any || (cv_str(c, "at") && is_affected(cv_str(c, "status")));
	if (!any)
		return VD_OK;
	const char *type = cv_str(v, "versionType");
	if (vd_str_empty(type))
		type = "custom";
	vd_range *g = vd_affected_add_range(r, a, type, strcasecmp(type, "git") == 0 ? repo : NULL);
	if (!g)
		return vd_error_set(VD_ENOMEM, "out of memory converting CVE record");
	bool cur = is_affected(status);
	if (cur)
		vd_range_add_event(r, g, VD_EV_INTRODUCED, start_version(ver));
	json_array_foreach(changes, i, c) {
		const char *at = cv_str(c, "at"), *st = cv_str(c, "status");
		if (vd_str_empty(at) || !st)
			continue;
		bool next = is_affected(st);
		if (next && !cur)
			vd_range_add_event(r, g, VD_EV_INTRODUCED, at);
		else if (!next && cur)
			vd_range_add_event(r, g, VD_EV_FIXED, at);
		cur = next;
	}
	if (cur) {
		if (lt && !vd_str_empty(lt) && strcmp(lt, "*") != 0)
			vd_range_add_event(r, g, VD_EV_FIXED, lt);
		else if (lte && !vd_str_empty(lte) && strcmp(lte, "*") != 0)
			vd_range_add_event(r, g, VD_EV_LAST_AFFECTED, lte);
	}
	return VD_OK;
}

static int add_affected(vd_record *r, const json_t *arr, const char *source, int *count)
{
	size_t i, k;
	json_t *e, *x;
	json_array_foreach(arr, i, e) {
		if (!json_is_object(e))
			continue;
		vd_affected *a = vd_record_add_affected(r);
		if (!a)
			return vd_error_set(VD_ENOMEM, "out of memory converting CVE record");
		a->vendor = vd_record_str(r, cv_str(e, "vendor"));
		a->product = vd_record_str(r, cv_str(e, "product"));
		a->package = vd_record_str(r, cv_str(e, "packageName"));
		a->default_status = vd_record_str(r, cv_str(e, "defaultStatus"));
		a->source = vd_record_str(r, source);
		const char *eco = ecosystem_for(cv_str(e, "collectionURL"));
		if (eco && a->package)
			a->ecosystem = vd_record_str(r, eco);
		json_array_foreach(json_object_get(e, "cpes"), k, x)
			vd_affected_add_cpe(r, a, json_string_value(x));
		const char *repo = cv_str(e, "repo");
		json_array_foreach(json_object_get(e, "versions"), k, x) {
			int rc = add_version_entry(r, a, x, repo);
			if (rc)
				return rc;
		}
		(*count)++;
	}
	return VD_OK;
}

static int add_credits(vd_record *r, const json_t *arr)
{
	int n = 0;
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e)
		if (vd_record_add_credit(r, cv_str(e, "value"), cv_str(e, "type"), SRC))
			n++;
	return n;
}

/* Required string member: VD_EINVAL naming path when missing or not a string. */
static int need_str(const json_t *o, const char *key, const char *path, const char **out)
{
	const json_t *v = json_object_get(o, key);
	if (!v)
		return vd_error_set(VD_EINVAL, "cve5: %s: missing", path);
	if (!json_is_string(v))
		return vd_error_set(VD_EINVAL, "cve5: %s: expected a string, got %s", path, cv_type_name(v));
	*out = json_string_value(v);
	return VD_OK;
}

static int need_obj(const json_t *o, const char *key, const char *path, json_t **out)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return vd_error_set(VD_EINVAL, "cve5: %s: missing", path);
	if (!json_is_object(v))
		return vd_error_set(VD_EINVAL, "cve5: %s: expected an object, got %s", path, cv_type_name(v));
	*out = v;
	return VD_OK;
}

static int convert(vd_record *r, json_t *doc)
{
	int rc;
	json_t *meta, *containers, *cna;
	const char *id, *state;

	const json_t *dt = json_object_get(doc, "dataType");
	if (dt && (!json_is_string(dt) || strcmp(json_string_value(dt), "CVE_RECORD") != 0))
		return vd_error_set(VD_EINVAL, "cve5: dataType: expected \"CVE_RECORD\"");
	const json_t *dv = json_object_get(doc, "dataVersion");
	if (dv && !json_is_string(dv))
		return vd_error_set(VD_EINVAL, "cve5: dataVersion: expected a string, got %s", cv_type_name(dv));
	if (dv && strncmp(json_string_value(dv), "5.", 2) != 0)
		return vd_error_set(VD_EINVAL, "cve5: dataVersion: unsupported version '%.20s' (want 5.x)",
		                    json_string_value(dv));
	if ((rc = need_obj(doc, "cveMetadata", "cveMetadata", &meta)) ||
	    (rc = need_str(meta, "cveId", "cveMetadata.cveId", &id)))
		return rc;
	if (!cv_cve_id_ok(id))
		return vd_error_set(VD_EINVAL, "cve5: cveMetadata.cveId: '%.40s' is not a CVE id (CVE-YYYY-NNNN)", id);
	if ((rc = need_str(meta, "state", "cveMetadata.state", &state)))
		return rc;
	if (strcmp(state, "PUBLISHED") == 0)
		r->state = VD_STATE_PUBLISHED;
	else if (strcmp(state, "REJECTED") == 0)
		r->state = VD_STATE_REJECTED;
	else
		return vd_error_set(VD_EINVAL, "cve5: cveMetadata.state: unknown value '%.20s' (PUBLISHED, REJECTED)",
		                    state);
	if ((rc = need_obj(doc, "containers", "containers", &containers)) ||
	    (rc = need_obj(containers, "cna", "containers.cna", &cna)))
		return rc;

	r->id = vd_record_str(r, id);
	if (!r->id)
		return vd_error_set(VD_ENOMEM, "out of memory converting CVE record");
	const json_t *pm = json_object_get(cna, "providerMetadata");
	r->modified = vd_time_normalize(r->arena, cv_str(meta, "dateUpdated"));
	if (!r->modified)
		r->modified = vd_time_normalize(r->arena, cv_str(pm, "dateUpdated"));
	r->published = vd_time_normalize(r->arena, cv_str(meta, "datePublished"));
	if (r->state == VD_STATE_REJECTED)
		r->withdrawn = vd_time_normalize(r->arena, cv_str(meta, "dateRejected"));
	vd_record_add_alias(r, id, SRC);
	add_prov(r, "state");
	add_prov(r, "aliases");
	if (r->modified)
		add_prov(r, "modified");
	if (r->published)
		add_prov(r, "published");
	if (r->withdrawn)
		add_prov(r, "withdrawn");

	const char *pub = cv_str(pm, "shortName");
	if (vd_str_empty(pub))
		pub = cv_str(meta, "assignerShortName");
	if ((r->publisher = vd_record_str(r, pub)))
		add_prov(r, "publisher");

	/* title: English unless the CNA wrote only Chinese text */
	const json_t *descs = json_object_get(cna, "descriptions");
	const char *title = cv_str(cna, "title");
	if (!vd_str_empty(title)) {
		bool zh = cv_pick_lang(descs, "zh") && !cv_pick_lang(descs, "en");
		vd_record_set_text(r, &r->title, zh ? "zh" : "en", title);
		add_prov(r, zh ? "title.zh" : "title.en");
	}
	if (r->state != VD_STATE_REJECTED || !set_descriptions(r, json_object_get(cna, "rejectedReasons")))
		set_descriptions(r, descs);
	const json_t *sol = json_object_get(cna, "solutions");
	if ((rc = set_solution(r, sol, "en")) || (rc = set_solution(r, sol, "zh")))
		return rc;

	int n_aff = 0, n_scores = 0, n_cwes = 0, n_refs = 0;
	n_cwes += add_cwes(r, json_object_get(cna, "problemTypes"));
	n_scores += add_scores(r, json_object_get(cna, "metrics"), "cna");
	if ((rc = add_affected(r, json_object_get(cna, "affected"), SRC, &n_aff)))
		return rc;
	n_refs += cv_add_refs(r, SRC, json_object_get(cna, "references"));
	if (add_credits(r, json_object_get(cna, "credits")))
		add_prov(r, "credits");

	size_t i;
	json_t *adp;
	json_array_foreach(json_object_get(containers, "adp"), i, adp) {
		if (!json_is_object(adp))
			continue;
		const char *sn = cv_str(json_object_get(adp, "providerMetadata"), "shortName");
		char label[80];
		if (vd_str_empty(sn))
			snprintf(label, sizeof label, "adp");
		else
			snprintf(label, sizeof label, "adp:%.60s", sn);
		n_cwes += add_cwes(r, json_object_get(adp, "problemTypes"));
		n_scores += add_scores(r, json_object_get(adp, "metrics"), label);
		if ((rc = add_affected(r, json_object_get(adp, "affected"), label, &n_aff)))
			return rc;
		n_refs += cv_add_refs(r, SRC, json_object_get(adp, "references"));
	}
	if (n_aff)
		add_prov(r, "affected");
	if (n_scores)
		add_prov(r, "scores");
	if (n_cwes)
		add_prov(r, "cwes");
	if (n_refs)
		add_prov(r, "references");
	return vd_record_validate(r);
}

int vd_cve5_to_record(json_t *doc, vd_record **out)
{
	if (!out)
		return vd_error_set(VD_EINVAL, "cve5: no output pointer");
	*out = NULL;
	if (!doc)
		return vd_error_set(VD_EINVAL, "cve5: (document): missing");
	if (!json_is_object(doc))
		return vd_error_set(VD_EINVAL, "cve5: (document): expected a JSON object, got %s", cv_type_name(doc));
	vd_record *r = vd_record_new();
	if (!r)
		return vd_error_set(VD_ENOMEM, "out of memory converting CVE record");
	int rc = convert(r, doc);
	if (rc) {
		vd_record_free(r);
		return rc;
	}
	*out = r;
	return VD_OK;
}
