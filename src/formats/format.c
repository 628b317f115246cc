/* Format names, detection by content, and dispatch to the converters.
 *
 * Detection (first match wins), on the value the splitter produced:
 *   cve5   dataType "CVE_RECORD", or cveMetadata object + containers
 *   osv    id + modified strings + one of affected/schema_version/aliases/details/summary
 *   nvd2   an object with "format" starting "NVD_" (API responses: a CVE page that
 *          reached the converter whole, or another NVD API, reported as unsupported);
 *          {"cve": {…"id"…}} (one item of vulnerabilities[]); a bare cve object
 *          (id "CVE-…" + vulnStatus or sourceIdentifier + published or lastModified)
 *   csaf   document.csaf_version
 *   cnnvd  "vuln-id" member (a CNNVD XML <entry> as the XML splitter builds it)
 *   cnvd   "number" + one of serverity/isEvent/openTime/submitTime (CNVD <vulnerability>)
 *
 * Several records from one value: CSAF documents (one per vulnerability) and
 * NVD pages that were not cut by the splitter go through vd_format_to_records. */
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <string.h>

/* The name is also the `source` of every record a format produces. */
static const char *names[] = {"auto", "cve5", "osv", "nvd2", "cnnvd", "cnvd", "csaf", "unknown"};

const char *vd_format_name(vd_format f)
{
	return (unsigned)f <= VD_FMT_UNKNOWN ? names[f] : "unknown";
}

int vd_format_parse(const char *s, vd_format *out)
{
	for (int i = 0; i < VD_FMT_UNKNOWN; i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = (vd_format)i;
			return VD_OK;
		}
	if (s && (strcmp(s, "cnnvd-xml") == 0 || strcmp(s, "cnvd-xml") == 0)) {
		*out = s[1] == 'n' && s[2] == 'n' ? VD_FMT_CNNVD : VD_FMT_CNVD;
		return VD_OK;
	}
	if (s && (strcmp(s, "nvd") == 0 || strcmp(s, "csaf2") == 0)) {
		*out = s[0] == 'n' ? VD_FMT_NVD2 : VD_FMT_CSAF;
		return VD_OK;
	}
	return vd_error_set(VD_EINVAL, "unknown format '%s' (known: auto, cve5, osv, nvd2, cnnvd, cnvd, csaf)",
	                    s ? s : "");
}

static bool has(const json_t *o, const char *k)
{
	return json_object_get(o, k) != NULL;
}

vd_format vd_format_detect(json_t *doc)
{
	if (!json_is_object(doc))
		return VD_FMT_UNKNOWN;
	const char *dt = json_string_value(json_object_get(doc, "dataType"));
	if ((dt && strcmp(dt, "CVE_RECORD") == 0) ||
	    (json_is_object(json_object_get(doc, "cveMetadata")) && json_object_get(doc, "containers")))
		return VD_FMT_CVE5;
	if (json_is_string(json_object_get(doc, "id")) && json_is_string(json_object_get(doc, "modified")) &&
	    (has(doc, "affected") || has(doc, "schema_version") || has(doc, "aliases") || has(doc, "details") ||
	     has(doc, "summary")))
		return VD_FMT_OSV;
	const char *nf = json_string_value(json_object_get(doc, "format"));
	if (nf && strncmp(nf, "NVD_", 4) == 0)
		return VD_FMT_NVD2;
	if (json_is_array(json_object_get(doc, "vulnerabilities")) && has(doc, "totalResults") &&
	    !has(doc, "document"))
		return VD_FMT_NVD2;
	const json_t *cve = json_object_get(doc, "cve");
	if (json_is_object(cve) && json_is_string(json_object_get(cve, "id")))
		return VD_FMT_NVD2;
	const char *id = json_string_value(json_object_get(doc, "id"));
	if (id && strncmp(id, "CVE-", 4) == 0 && (has(doc, "vulnStatus") || has(doc, "sourceIdentifier")) &&
	    (has(doc, "published") || has(doc, "lastModified")))
		return VD_FMT_NVD2;
	if (json_is_object(json_object_get(doc, "document")) &&
	    json_object_get(json_object_get(doc, "document"), "csaf_version"))
		return VD_FMT_CSAF;
	if (has(doc, "vuln-id"))
		return VD_FMT_CNNVD;
	if (has(doc, "number") &&
	    (has(doc, "serverity") || has(doc, "isEvent") || has(doc, "openTime") || has(doc, "submitTime")))
		return VD_FMT_CNVD;
	return VD_FMT_UNKNOWN;
}

static int detect(vd_format fmt, json_t *doc, vd_format *f)
{
	*f = fmt;
	if (fmt == VD_FMT_AUTO) {
		*f = vd_format_detect(doc);
		if (*f == VD_FMT_UNKNOWN)
			return vd_error_set(VD_EINVAL, "not a recognised record (looked for CVE 5: dataType/cveMetadata; "
			                    "OSV: id + modified; NVD 2.0: cve/vulnerabilities/format NVD_*; CSAF: "
			                    "document.csaf_version; CNNVD: vuln-id; CNVD: number + serverity)");
	}
	return VD_OK;
}

static int one(vd_format f, json_t *doc, vd_record **out)
{
	switch (f) {
	case VD_FMT_CVE5:
		return vd_cve5_to_record(doc, out);
	case VD_FMT_OSV:
		return vd_osv_to_record(doc, out);
	case VD_FMT_NVD2:
		return vd_nvd2_to_record(doc, out);
	case VD_FMT_CNNVD:
		return vd_cnnvd_to_record(doc, out);
	case VD_FMT_CNVD:
		return vd_cnvd_to_record(doc, out);
	default:
		return vd_error_set(VD_EUNSUPPORTED, "%s records are not supported", vd_format_name(f));
	}
}

/* An NVD value holding several items (an API page): true when it must go
 * the multi-record way. */
static bool nvd_multi(json_t *doc)
{
	return json_is_object(doc) && json_object_get(doc, "format") && !json_object_get(doc, "cve") &&
	       !json_object_get(doc, "id");
}

int vd_format_to_records(vd_format fmt, json_t *doc, vd_format *detected, vd_record_cb cb,
                         void (*bad)(void *ctx, long index, const char *reason), void *ctx)
{
	vd_format f;
	int rc = detect(fmt, doc, &f);
	if (detected)
		*detected = f;
	if (rc)
		return rc;
	if (f == VD_FMT_CSAF)
		return vd_csaf_to_records(doc, cb, ctx, bad);
	if (f == VD_FMT_NVD2 && nvd_multi(doc))
		return vd_nvd2_page_to_records(doc, cb, ctx, bad);
	vd_record *r = NULL;
	if ((rc = one(f, doc, &r)))
		return rc;
	return cb(ctx, r);
}

typedef struct {
	vd_record *first;
	long n;
} first_ctx;

static int keep_first(void *ctx, vd_record *r)
{
	first_ctx *fc = ctx;
	if (fc->n++ == 0)
		fc->first = r;
	else
		vd_record_free(r);
	return VD_OK;
}

int vd_format_to_record(vd_format fmt, json_t *doc, vd_record **out, vd_format *detected)
{
	vd_format f;
	int rc = detect(fmt, doc, &f);
	if (detected)
		*detected = f;
	if (rc)
		return rc;
	if (f != VD_FMT_CSAF && !(f == VD_FMT_NVD2 && nvd_multi(doc)))
		return one(f, doc, out);
	/* a multi-record value through the single-record call: the first record */
	first_ctx fc = {NULL, 0};
	rc = vd_format_to_records(f, doc, NULL, keep_first, NULL, &fc);
	if (rc) {
		vd_record_free(fc.first);
		return rc;
	}
	if (!fc.first)
		return vd_error_set(VD_EINVAL, "%s: the document holds no usable record", vd_format_name(f));
	*out = fc.first;
	return VD_OK;
}
