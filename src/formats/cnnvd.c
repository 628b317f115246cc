/* CNNVD XML <entry> (as built by the XML splitter, see formats.h) → vd_record.
 *
 * Both record shapes in the wild are accepted: the 2019-era export (with
 * thrtype, vulnerable-configuration, vuln-software-list, refs) and the 2023
 * web download (fewer elements).  Empty elements are absent values.
 * Mapping (source "cnnvd"):
 *   vuln-id                  → id and alias (must start "CNNVD-")
 *   name                     → title.zh
 *   published, modified      → published, modified (plain dates → T00:00:00Z).
 *                              Placeholder dates such as 1900-01-01 (re-issued
 *                              entries in the daily files) are kept as given.
 *   source                   → credit (type "reporter")
 *   severity 超危/高危/中危/低危 → grade critical/high/medium/low, grade_basis "cnnvd";
 *                              any other value leaves the grade absent
 *   vuln-type                → class_text, as given
 *   vuln-descript            → description.zh (trimmed; escaped markup stays text)
 *   vuln-solution            → solution.zh
 *   other-id/cve-id          → alias (source "cnnvd") when it is a CVE id; "null"
 *                              and empty values are skipped; several ids separated
 *                              by blanks, commas or semicolons are split.
 *   vulnerable-configuration/cncpe/cncpe-lang/@name and vuln-software-list/product
 *                            → affected entries, one per CPE vendor+product (the
 *                              merge folds entries of one vendor/product/source):
 *                              cpes = the distinct strings as given (e.g.
 *                              "CPE:/a:phorum:phorum:3.0.7:::"), versions = their
 *                              version fields; vendor/product from the CPE 2.2 URI.
 *   refs/ref/ref-url         → references (type "web"); ref-source/ref-name dropped
 *   thrtype (远程/本地), other-id/bugtraq-id, vuln-exploit: not kept (no field).
 */
#include "conv_util.h"
#include <stdio.h>

#define SRC "cnnvd"

static void prov(vd_record *r, const char *field)
{
	vd_record_add_prov(r, field, SRC, r->id, r->modified ? r->modified : r->published);
}

static const char *text(const json_t *doc, const char *key)
{
	return cv_xtext(json_object_get(doc, key));
}

/* Field i of a CPE 2.2 URI ("cpe:/a:vendor:product:version:…"), case of
 * the prefix ignored; 0 = part, 1 = vendor, 2 = product, 3 = version. */
static bool cpe22_field(const char *cpe, int want, char *out, size_t n)
{
	if (strncasecmp(cpe, "cpe:/", 5) != 0)
		return false;
	const char *p = cpe + 5;
	for (int f = 0; f < want; f++) {
		p = strchr(p, ':');
		if (!p)
			return false;
		p++;
	}
	size_t len = strcspn(p, ":");
	if (len == 0 || len >= n)
		return false;
	memcpy(out, p, len);
	out[len] = 0;
	return true;
}

static int add_cpe(vd_record *r, const char *cpe, int *count)
{
	char *c = cv_trim(r, cpe);
	if (!c)
		return VD_OK;
	char vendor[256], product[256], version[256];
	bool hv = cpe22_field(c, 1, vendor, sizeof vendor);
	bool hp = cpe22_field(c, 2, product, sizeof product);
	vd_affected *a = cv_affected_for(r, hv ? vendor : NULL, hp ? product : NULL, SRC);
	if (!a)
		return vd_error_set(VD_ENOMEM, "out of memory converting CNNVD record");
	size_t before = a->n_cpes;
	if (!vd_affected_add_cpe(r, a, c))
		return vd_error_set(VD_ENOMEM, "out of memory converting CNNVD record");
	if (a->n_cpes == before)
		return VD_OK;   /* already listed (configuration and software list repeat each other) */
	if (cpe22_field(c, 3, version, sizeof version) && strcmp(version, "-") != 0 && strcmp(version, "*") != 0)
		cv_add_version(r, a, version);
	(*count)++;
	return VD_OK;
}

static int add_affected(vd_record *r, const json_t *doc, int *count)
{
	int rc;
	CV_EACH(json_object_get(doc, "vulnerable-configuration"), i, vc) {
		CV_EACH(json_object_get(vc, "cncpe"), j, cn) {
			CV_EACH(json_object_get(cn, "cncpe-lang"), k, lang) {
				if ((rc = add_cpe(r, cv_str(lang, "@name"), count)))
					return rc;
			}
		}
	}
	CV_EACH(json_object_get(doc, "vuln-software-list"), i2, sl) {
		CV_EACH(json_object_get(sl, "product"), j2, p) {
			if ((rc = add_cpe(r, cv_xtext(p), count)))
				return rc;
		}
	}
	return VD_OK;
}

/* CVE ids in a text: split on blanks, commas, semicolons; keep valid ones. */
static int add_cve_aliases(vd_record *r, const char *s)
{
	int n = 0;
	while (s && *s) {
		size_t skip = strspn(s, " \t\r\n,;，；");
		s += skip;
		size_t len = strcspn(s, " \t\r\n,;");
		if (len == 0)
			break;
		char id[48];
		if (len < sizeof id) {
			memcpy(id, s, len);
			id[len] = 0;
			for (char *p = id; *p; p++)
				if (*p >= 'a' && *p <= 'z' && p < id + 3)
					*p = (char)(*p - 'a' + 'A');
			if (cv_cve_id_ok(id) && vd_record_add_alias(r, id, SRC))
				n++;
		}
		s += len;
	}
	return n;
}

static int convert(vd_record *r, const json_t *doc)
{
	const char *id = text(doc, "vuln-id");
	if (!id)
		return vd_error_set(VD_EINVAL, "cnnvd: vuln-id: missing or empty");
	r->id = cv_trim(r, id);
	if (!r->id || strncmp(r->id, "CNNVD-", 6) != 0 || strlen(r->id) > 40)
		return vd_error_set(VD_EINVAL, "cnnvd: vuln-id: '%.40s' is not a CNNVD id (CNNVD-YYYYMM-N…)", id);
	r->state = VD_STATE_PUBLISHED;
	r->published = vd_time_normalize(r->arena, text(doc, "published"));
	r->modified = vd_time_normalize(r->arena, text(doc, "modified"));
	vd_record_add_alias(r, r->id, SRC);
	prov(r, "state");
	prov(r, "aliases");
	if (r->published)
		prov(r, "published");
	if (r->modified)
		prov(r, "modified");
	const char *s;
	if ((s = text(doc, "name"))) {
		r->title.zh = cv_trim(r, s);
		prov(r, "title.zh");
	}
	if ((s = text(doc, "vuln-descript"))) {
		r->description.zh = cv_trim(r, s);
		prov(r, "description.zh");
	}
	if ((s = text(doc, "vuln-solution"))) {
		r->solution.zh = cv_trim(r, s);
		prov(r, "solution.zh");
	}
	if ((s = text(doc, "vuln-type"))) {
		r->class_text = cv_trim(r, s);
		prov(r, "class_text");
	}
	if ((s = text(doc, "severity"))) {
		static const struct { const char *zh, *grade; } g[] = {
			{"超危", "critical"}, {"高危", "high"}, {"中危", "medium"}, {"低危", "low"},
		};
		char *t = cv_trim(r, s);
		const char *grade = NULL;
		for (size_t i = 0; t && i < sizeof g / sizeof g[0]; i++)
			if (strcmp(t, g[i].zh) == 0)
				grade = g[i].grade;
		if (grade) {   /* an unknown value leaves the grade absent */
			r->grade = vd_record_str(r, grade);
			r->grade_basis = vd_record_str(r, "cnnvd");
			prov(r, "grade");
		}
	}
	if ((s = text(doc, "source"))) {
		vd_record_add_credit(r, cv_trim(r, s), "reporter", SRC);
		prov(r, "credits");
	}
	CV_EACH(json_object_get(doc, "other-id"), i, oid) {
		CV_EACH(json_object_get(oid, "cve-id"), j, c)
			add_cve_aliases(r, cv_xtext(c));
	}
	int n_aff = 0, rc;
	if ((rc = add_affected(r, doc, &n_aff)))
		return rc;
	if (n_aff)
		prov(r, "affected");
	int n_refs = 0;
	CV_EACH(json_object_get(doc, "refs"), i3, refs) {
		CV_EACH(json_object_get(refs, "ref"), j3, ref) {
			char *url = cv_trim(r, cv_xtext(json_object_get(ref, "ref-url")));
			if (url && vd_record_add_ref(r, url, "web", SRC))
				n_refs++;
		}
	}
	if (n_refs)
		prov(r, "references");
	return vd_record_validate(r);
}

int vd_cnnvd_to_record(json_t *doc, vd_record **out)
{
	if (!out)
		return vd_error_set(VD_EINVAL, "cnnvd: no output pointer");
	*out = NULL;
	if (!json_is_object(doc))
		return vd_error_set(VD_EINVAL, "cnnvd: (entry): expected an element with children, got %s",
		                    doc ? cv_type_name(doc) : "nothing");
	vd_record *r = vd_record_new();
	if (!r)
		return vd_error_set(VD_ENOMEM, "out of memory converting CNNVD record");
	int rc = convert(r, doc);
	if (rc) {
		vd_record_free(r);
		return rc;
	}
	*out = r;
	return VD_OK;
}
