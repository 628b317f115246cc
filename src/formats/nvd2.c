/* NVD API 2.0 CVE item → vd_record.
 *
 * Accepted shapes: {"cve": {…}} (an element of a page's vulnerabilities[],
 * which the splitter cuts out of pages one by one), a bare cve object, and
 * — through vd_nvd2_page_to_records — a whole page.  Other NVD APIs
 * (format NVD_CVEHistory, NVD_CPEMatchString, NVD_CPE, NVD_SOURCE) are
 * refused with VD_EUNSUPPORTED naming the API.
 *
 * Mapping (source "nvd2" everywhere):
 *   cve.id                      → id and alias (must be CVE-YYYY-NNNN)
 *   vulnStatus                  → "Rejected" → rejected; anything else published
 *   published, lastModified     → published, modified (NVD times carry no zone: UTC)
 *   descriptions[{lang,value}]  → description.en / .zh (exact lang beats regional)
 *   metrics.cvssMetricV2/V30/V31/V40[] → scores: version from the key, cvssData
 *                                 vectorString/baseScore, severity cvssData.baseSeverity
 *                                 (V2: the entry's baseSeverity), source "nvd:<source>"
 *                                 (e.g. "nvd:nvd@nist.gov"); Primary/Secondary is not
 *                                 kept (vd_score has no field for it).
 *   weaknesses[].description[].value "CWE-<n>" → cwes (NVD-CWE-Other/noinfo skipped)
 *   configurations[].nodes[].cpeMatch[] with vulnerable=true → affected entries, one
 *                                 per CPE vendor+product (the merge folds entries of the
 *                                 same vendor/product/source, so they are grouped here):
 *                                 cpes = the distinct criteria; each match with version
 *                                 bounds adds a range of type "cpe": introduced =
 *                                 versionStartIncluding (or "0" when no start), fixed =
 *                                 versionEndExcluding, last_affected = versionEndIncluding.
 *                                 When the entry has exactly one range its exact bounds
 *                                 are also kept in `vers` as "vers:cpe/>=A|<B" (">A" for
 *                                 StartExcluding, which has no event form; none occurs in
 *                                 the sample data).  A criteria with a
 *                                 concrete version (not * or -), no update part (rc1…) and
 *                                 no bounds → versions[].
 *                                 Nested `children` nodes (old NVD shape) are walked too.
 *   references[{url,tags}]      → references; type from tags exploit > patch > advisory >
 *                                 report > web.
 */
#include "conv_util.h"
#include <stdio.h>

#define SRC "nvd2"
#define NODE_DEPTH 8

static void prov(vd_record *r, const char *field)
{
	vd_record_add_prov(r, field, SRC, r->id, r->modified);
}

static int add_scores(vd_record *r, const json_t *metrics)
{
	static const struct { const char *key, *version; } kinds[] = {
		{"cvssMetricV40", "4.0"}, {"cvssMetricV31", "3.1"}, {"cvssMetricV30", "3.0"}, {"cvssMetricV2", "2.0"},
	};
	int n = 0;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(metrics, kinds[k].key), i, m) {
			const json_t *d = json_object_get(m, "cvssData");
			const char *vec = cv_str(d, "vectorString");
			if (vd_str_empty(vec))
				continue;
			const json_t *bs = json_object_get(d, "baseScore");
			double base = json_is_number(bs) ? json_number_value(bs) : -1.0;
			if (!(base >= 0.0 && base <= 10.0))
				base = -1.0;
			const char *sev = cv_str(d, "baseSeverity");
			if (!sev)
				sev = cv_str(m, "baseSeverity");
			const char *src = cv_str(m, "source");
			char label[160];
			snprintf(label, sizeof label, "nvd:%.140s", vd_str_empty(src) ? "unknown" : src);
			if (vd_record_add_score(r, kinds[k].version, vec, base, sev, label))
				n++;
		}
	}
	return n;
}

static int add_cwes(vd_record *r, const json_t *weak)
{
	int n = 0;
	size_t i, k;
	json_t *w, *d;
	json_array_foreach(weak, i, w) {
		json_array_foreach(json_object_get(w, "description"), k, d) {
			const char *v = cv_str(d, "value");
			if (!v || strncmp(v, "CWE-", 4) != 0 || !v[4] || strlen(v) > 14)
				continue;
			bool digits = true;
			for (const char *p = v + 4; *p; p++)
				digits = digits && isdigit((unsigned char)*p);
			if (digits && vd_record_add_cwe(r, v))
				n++;
		}
	}
	return n;
}

/* CPE 2.3 field i (0 = "cpe", 1 = "2.3", 2 = part, 3 = vendor, 4 = product,
 * 5 = version) into out; false when absent.  Escaped colons ("\:") stay. */
static bool cpe_field(const char *cpe, int want, char *out, size_t n)
{
	int f = 0;
	size_t o = 0;
	for (const char *p = cpe; *p; p++) {
		if (*p == '\\' && p[1]) {
			if (f == want && o + 2 < n) {
				out[o++] = p[0];
				out[o++] = p[1];
			}
			p++;
			continue;
		}
		if (*p == ':') {
			if (f == want)
				break;
			f++;
			continue;
		}
		if (f == want && o + 1 < n)
			out[o++] = *p;
	}
	out[o] = 0;
	return f >= want && o > 0;
}

static int add_match(vd_record *r, const json_t *m)
{
	const char *crit = cv_str(m, "criteria");
	if (vd_str_empty(crit) || !json_is_true(json_object_get(m, "vulnerable")))
		return 0;
	char vendor[256], product[256], buf[256];
	bool hv = cpe_field(crit, 3, vendor, sizeof vendor) && strcmp(vendor, "*") != 0 && strcmp(vendor, "-") != 0;
	bool hp = cpe_field(crit, 4, product, sizeof product) && strcmp(product, "*") != 0 &&
	          strcmp(product, "-") != 0;
	vd_affected *a = cv_affected_for(r, hv ? vendor : NULL, hp ? product : NULL, SRC);
	if (!a || !vd_affected_add_cpe(r, a, crit))
		return vd_error_set(VD_ENOMEM, "out of memory converting NVD record");
	const char *si = cv_str(m, "versionStartIncluding"), *se = cv_str(m, "versionStartExcluding");
	const char *ei = cv_str(m, "versionEndIncluding"), *ee = cv_str(m, "versionEndExcluding");
	if (vd_str_empty(si)) si = NULL;
	if (vd_str_empty(se)) se = NULL;
	if (vd_str_empty(ei)) ei = NULL;
	if (vd_str_empty(ee)) ee = NULL;
	if (!si && !se && !ei && !ee) {
		char upd[64];
		bool plain = !cpe_field(crit, 6, upd, sizeof upd) || strcmp(upd, "*") == 0 || strcmp(upd, "-") == 0;
		if (plain && cpe_field(crit, 5, buf, sizeof buf) && strcmp(buf, "*") != 0 && strcmp(buf, "-") != 0)
			cv_add_version(r, a, buf);
		return 1;
	}
	vd_buf v;
	vd_buf_init(&v, 4096);
	vd_buf_adds(&v, "vers:cpe/");
	bool first = true;
	if (si || se) {
		vd_buf_printf(&v, "%s%s", si ? ">=" : ">", si ? si : se);
		first = false;
	}
	if (ei || ee)
		vd_buf_printf(&v, "%s%s%s", first ? "" : "|", ei ? "<=" : "<", ei ? ei : ee);
	/* vers holds one interval; an entry with several ranges has none */
	a->vers = a->n_ranges == 0 ? vd_record_str(r, vd_buf_str(&v)) : NULL;
	vd_buf_free(&v);
	vd_range *g = vd_affected_add_range(r, a, "cpe", NULL);
	if (!g)
		return vd_error_set(VD_ENOMEM, "out of memory converting NVD record");
	if (!se)
		vd_range_add_event(r, g, VD_EV_INTRODUCED, si ? si : "0");
	if (ee)
		vd_range_add_event(r, g, VD_EV_FIXED, ee);
	else if (ei)
		vd_range_add_event(r, g, VD_EV_LAST_AFFECTED, ei);
	return 1;
}

static int add_nodes(vd_record *r, const json_t *nodes, int depth, int *count)
{
	if (depth > NODE_DEPTH)
		return VD_OK;
	size_t i, k;
	json_t *nd, *m;
	json_array_foreach(nodes, i, nd) {
		json_array_foreach(json_object_get(nd, "cpeMatch"), k, m) {
			int rc = add_match(r, m);
			if (rc < 0)
				return rc;
			*count += rc;
		}
		int rc = add_nodes(r, json_object_get(nd, "children"), depth + 1, count);
		if (rc)
			return rc;
	}
	return VD_OK;
}

static int convert(vd_record *r, const json_t *cve)
{
	const json_t *idv = json_object_get(cve, "id");
	if (!idv)
		return vd_error_set(VD_EINVAL, "nvd2: cve.id: missing");
	if (!json_is_string(idv))
		return vd_error_set(VD_EINVAL, "nvd2: cve.id: expected a string, got %s", cv_type_name(idv));
	const char *id = json_string_value(idv);
	if (!cv_cve_id_ok(id))
		return vd_error_set(VD_EINVAL, "nvd2: cve.id: '%.40s' is not a CVE id (CVE-YYYY-NNNN)", id);
	r->id = vd_record_str(r, id);
	if (!r->id)
		return vd_error_set(VD_ENOMEM, "out of memory converting NVD record");
	const char *st = cv_str(cve, "vulnStatus");
	r->state = st && strcasecmp(st, "Rejected") == 0 ? VD_STATE_REJECTED : VD_STATE_PUBLISHED;
	r->published = vd_time_normalize(r->arena, cv_str(cve, "published"));
	r->modified = vd_time_normalize(r->arena, cv_str(cve, "lastModified"));
	vd_record_add_alias(r, id, SRC);
	prov(r, "state");
	prov(r, "aliases");
	if (r->published)
		prov(r, "published");
	if (r->modified)
		prov(r, "modified");
	const json_t *descs = json_object_get(cve, "descriptions");
	const char *en = cv_pick_lang(descs, "en"), *zh = cv_pick_lang(descs, "zh");
	if (en) {
		vd_record_set_text(r, &r->description, "en", en);
		prov(r, "description.en");
	}
	if (zh) {
		vd_record_set_text(r, &r->description, "zh", zh);
		prov(r, "description.zh");
	}
	if (add_scores(r, json_object_get(cve, "metrics")))
		prov(r, "scores");
	if (add_cwes(r, json_object_get(cve, "weaknesses")))
		prov(r, "cwes");
	int n_aff = 0;
	size_t i;
	json_t *cfg;
	json_array_foreach(json_object_get(cve, "configurations"), i, cfg) {
		int rc = add_nodes(r, json_object_get(cfg, "nodes"), 0, &n_aff);
		if (rc)
			return rc;
	}
	if (n_aff)
		prov(r, "affected");
	if (cv_add_refs(r, SRC, json_object_get(cve, "references")))
		prov(r, "references");
	return vd_record_validate(r);
}

static int unsupported_api(const json_t *doc)
{
	const char *f = cv_str(doc, "format");
	const char *what = "another NVD API";
	if (f && strcmp(f, "NVD_CVEHistory") == 0)
		what = "the CVE Change History API";
	else if (f && strcmp(f, "NVD_CPEMatchString") == 0)
		what = "the CPE Match Criteria API";
	else if (f && strcmp(f, "NVD_CPE") == 0)
		what = "the CPE API";
	else if (f && strcmp(f, "NVD_SOURCE") == 0)
		what = "the Source API";
	return vd_error_set(VD_EUNSUPPORTED, "nvd2: a response of %s (format %.40s) is not supported; "
	                    "only CVE API responses (format NVD_CVE) are", what, f ? f : "?");
}

int vd_nvd2_to_record(json_t *doc, vd_record **out)
{
	if (!out)
		return vd_error_set(VD_EINVAL, "nvd2: no output pointer");
	*out = NULL;
	if (!json_is_object(doc))
		return vd_error_set(VD_EINVAL, "nvd2: (document): expected a JSON object, got %s",
		                    doc ? cv_type_name(doc) : "nothing");
	const char *f = cv_str(doc, "format");
	if (f && strncmp(f, "NVD_CVE", 7) == 0 && strcmp(f, "NVD_CVE") != 0)
		return unsupported_api(doc);
	if (f && strncmp(f, "NVD_", 4) == 0 && strncmp(f, "NVD_CVE", 7) != 0)
		return unsupported_api(doc);
	if (json_object_get(doc, "vulnerabilities"))
		return vd_error_set(VD_EINVAL, "nvd2: a whole API page holds several records; "
		                    "use vd_nvd2_page_to_records");
	const json_t *cve = json_object_get(doc, "cve");
	if (cve && !json_is_object(cve))
		return vd_error_set(VD_EINVAL, "nvd2: cve: expected an object, got %s", cv_type_name(cve));
	if (!cve)
		cve = doc;   /* a bare cve object */
	vd_record *r = vd_record_new();
	if (!r)
		return vd_error_set(VD_ENOMEM, "out of memory converting NVD record");
	int rc = convert(r, cve);
	if (rc) {
		vd_record_free(r);
		return rc;
	}
	*out = r;
	return VD_OK;
}

int vd_nvd2_page_to_records(json_t *doc, vd_record_cb cb, void *ctx,
                            void (*bad)(void *ctx, long index, const char *reason))
{
	if (!json_is_object(doc))
		return vd_error_set(VD_EINVAL, "nvd2: (document): expected a JSON object");
	const char *f = cv_str(doc, "format");
	if (f && strcmp(f, "NVD_CVE") != 0)
		return unsupported_api(doc);
	const json_t *vs = json_object_get(doc, "vulnerabilities");
	if (vs && !json_is_array(vs))
		return vd_error_set(VD_EINVAL, "nvd2: vulnerabilities: expected an array, got %s", cv_type_name(vs));
	size_t i;
	json_t *item;
	json_array_foreach(vs, i, item) {
		vd_record *r = NULL;
		int rc = vd_nvd2_to_record(item, &r);
		if (rc == VD_ENOMEM)
			return rc;
		if (rc) {
			if (bad)
				bad(ctx, (long)i, vd_error_msg());
			continue;
		}
		if ((rc = cb(ctx, r)))
			return rc;
	}
	return VD_OK;
}
