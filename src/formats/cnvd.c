/* CNVD XML <vulnerability> (as built by the XML splitter) → vd_record.
 *
 * Mapping (source "cnvd"); empty elements are absent values, text is trimmed
 * and its CR LF line ends (from &#xD; references) become LF:
 *   number                   → id and alias (must start "CNVD-")
 *   title                    → title.zh
 *   description              → description.zh
 *   serverity [sic] 高/中/低  → grade high/medium/low, grade_basis "cnvd" (other
 *                              values: grade absent; "severity" is read too)
 *   isEvent                  → class_text as given (通用软硬件漏洞 / 事件型漏洞)
 *   openTime                 → published (CNVD gives no modified time; provenance
 *                              time is openTime); submitTime is not kept
 *   cves/cve/cveNumber       → aliases when a CVE id (leading blanks/tabs trimmed;
 *                              non-CVE values such as a bare BID number skipped);
 *                              cves/cve/cveUrl → reference (type "advisory")
 *   products/product         → one affected entry per product, free text in
 *                              `product` (vendor + product + version, as given)
 *   discovererName           → credit (type "finder"); placeholder names
 *                              (unknown, Unknow, unknwon, unKnow, 未知) skipped
 *   referenceLink            → references (type "web"); a value holding several
 *                              URLs separated by blanks or ';' is split, otherwise
 *                              kept as given (scheme-less and full-width-colon
 *                              links occur in the data)
 *   formalWay                → solution.zh; patchName / patchDescription are used
 *                              for solution.zh only when formalWay is absent
 *   bids/bid/bidNumber: not kept.
 */
#include "conv_util.h"
#include <stdio.h>

#define SRC "cnvd"

static void prov(vd_record *r, const char *field)
{
	vd_record_add_prov(r, field, SRC, r->id, r->modified ? r->modified : r->published);
}

static const char *text(const json_t *doc, const char *key)
{
	return cv_xtext(json_object_get(doc, key));
}

static bool placeholder_name(const char *s)
{
	static const char *junk[] = {"unknown", "unknow", "unknwon", "unkown", "未知", "无", "null", "none"};
	for (size_t i = 0; i < sizeof junk / sizeof *junk; i++)
		if (strcasecmp(s, junk[i]) == 0)
			return true;
	return false;
}

static bool has_scheme(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0 ||
	       strncasecmp(s, "ftp://", 6) == 0;
}

static int add_links(vd_record *r, const char *s)
{
	char *t = cv_trim(r, s);
	if (!t)
		return 0;
	/* several URLs in one value? count tokens that start with a scheme */
	int schemes = 0;
	for (const char *p = t; *p;) {
		p += strspn(p, " \t\r\n;");
		if (has_scheme(p))
			schemes++;
		p += strcspn(p, " \t\r\n;");
	}
	if (schemes < 2)
		return vd_record_add_ref(r, t, "web", SRC) ? 1 : 0;
	int n = 0;
	for (char *p = t; *p;) {
		p += strspn(p, " \t\r\n;");
		size_t len = strcspn(p, " \t\r\n;");
		if (len && has_scheme(p)) {
			char *u = vd_arena_strndup(r->arena, p, len);
			if (u && vd_record_add_ref(r, u, "web", SRC))
				n++;
		}
		p += len;
	}
	return n;
}

static int convert(vd_record *r, const json_t *doc)
{
	const char *id = text(doc, "number");
	if (!id)
		return vd_error_set(VD_EINVAL, "cnvd: number: missing or empty");
	r->id = cv_trim(r, id);
	if (!r->id || strncmp(r->id, "CNVD-", 5) != 0 || strlen(r->id) > 40)
		return vd_error_set(VD_EINVAL, "cnvd: number: '%.40s' is not a CNVD id (CNVD-YYYY-NNNNN)", id);
	r->state = VD_STATE_PUBLISHED;
	r->published = vd_time_normalize(r->arena, text(doc, "openTime"));
	vd_record_add_alias(r, r->id, SRC);
	prov(r, "state");
	prov(r, "aliases");
	if (r->published)
		prov(r, "published");
	const char *s;
	if ((s = text(doc, "title"))) {
		r->title.zh = cv_clean(r, s);
		prov(r, "title.zh");
	}
	if ((s = text(doc, "description"))) {
		r->description.zh = cv_clean(r, s);
		prov(r, "description.zh");
	}
	if ((s = text(doc, "isEvent"))) {
		r->class_text = cv_trim(r, s);
		prov(r, "class_text");
	}
	if ((s = text(doc, "serverity")) || (s = text(doc, "severity"))) {
		char *t = cv_trim(r, s);
		const char *grade = NULL;
		if (t && strcmp(t, "高") == 0)
			grade = "high";
		else if (t && strcmp(t, "中") == 0)
			grade = "medium";
		else if (t && strcmp(t, "低") == 0)
			grade = "low";
		if (grade) {
			r->grade = vd_record_str(r, grade);
			r->grade_basis = vd_record_str(r, "cnvd");
			prov(r, "grade");
		}
	}
	if ((s = text(doc, "formalWay"))) {
		r->solution.zh = cv_clean(r, s);
		prov(r, "solution.zh");
	} else if ((s = text(doc, "patchDescription")) || (s = text(doc, "patchName"))) {
		r->solution.zh = cv_clean(r, s);
		prov(r, "solution.zh");
	}
	if ((s = text(doc, "discovererName"))) {
		char *t = cv_trim(r, s);
		if (t && !placeholder_name(t) && vd_record_add_credit(r, t, "finder", SRC))
			prov(r, "credits");
	}
	int n_refs = 0;
	CV_EACH(json_object_get(doc, "cves"), i, cves) {
		CV_EACH(json_object_get(cves, "cve"), j, c) {
			char *num = cv_trim(r, cv_xtext(json_object_get(c, "cveNumber")));
			if (num && cv_cve_id_ok(num))
				vd_record_add_alias(r, num, SRC);
			char *url = cv_trim(r, cv_xtext(json_object_get(c, "cveUrl")));
			if (url && vd_record_add_ref(r, url, "advisory", SRC))
				n_refs++;
		}
	}
	n_refs += add_links(r, text(doc, "referenceLink"));
	if (n_refs)
		prov(r, "references");
	int n_aff = 0;
	CV_EACH(json_object_get(doc, "products"), i2, ps) {
		CV_EACH(json_object_get(ps, "product"), j2, p) {
			char *name = cv_trim(r, cv_xtext(p));
			if (!name)
				continue;
			vd_affected *a = vd_record_add_affected(r);
			if (!a)
				return vd_error_set(VD_ENOMEM, "out of memory converting CNVD record");
			a->product = name;
			a->source = vd_record_str(r, SRC);
			n_aff++;
		}
	}
	if (n_aff)
		prov(r, "affected");
	return vd_record_validate(r);
}

int vd_cnvd_to_record(json_t *doc, vd_record **out)
{
	if (!out)
		return vd_error_set(VD_EINVAL, "cnvd: no output pointer");
	*out = NULL;
	if (!json_is_object(doc))
		return vd_error_set(VD_EINVAL, "cnvd: (vulnerability): expected an element with children, got %s",
		                    doc ? cv_type_name(doc) : "nothing");
	vd_record *r = vd_record_new();
	if (!r)
		return vd_error_set(VD_ENOMEM, "out of memory converting CNVD record");
	int rc = convert(r, doc);
	if (rc) {
		vd_record_free(r);
		return rc;
	}
	*out = r;
	return VD_OK;
}
