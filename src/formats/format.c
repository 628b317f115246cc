/* Format names, detection by content, and dispatch to the converters. */
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <string.h>

static const char *names[] = {"auto", "cve5", "osv", "nvd2", "cnnvd-xml", "cnvd-xml", "csaf", "unknown"};

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
	return vd_error_set(VD_EINVAL, "unknown format '%s' (known: auto, cve5, osv)", s ? s : "");
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
	    (json_object_get(doc, "affected") || json_object_get(doc, "schema_version") ||
	     json_object_get(doc, "aliases") || json_object_get(doc, "details") ||
	     json_object_get(doc, "summary")))
		return VD_FMT_OSV;
	if (json_is_array(json_object_get(doc, "vulnerabilities")) && json_object_get(doc, "format"))
		return VD_FMT_NVD2;
	if (json_is_object(json_object_get(doc, "document")) &&
	    json_object_get(json_object_get(doc, "document"), "csaf_version"))
		return VD_FMT_CSAF;
	return VD_FMT_UNKNOWN;
}

int vd_format_to_record(vd_format fmt, json_t *doc, vd_record **out, vd_format *detected)
{
	vd_format f = fmt;
	if (f == VD_FMT_AUTO) {
		f = vd_format_detect(doc);
		if (f == VD_FMT_UNKNOWN)
			return vd_error_set(VD_EINVAL, "not a recognised record (looked for CVE 5: "
			                    "dataType/cveMetadata; OSV: id + modified)");
	}
	if (detected)
		*detected = f;
	switch (f) {
	case VD_FMT_CVE5:
		return vd_cve5_to_record(doc, out);
	case VD_FMT_OSV:
		return vd_osv_to_record(doc, out);
	default:
		return vd_error_set(VD_EUNSUPPORTED, "%s records are not supported yet", vd_format_name(f));
	}
}
