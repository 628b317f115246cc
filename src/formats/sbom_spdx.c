/* SPDX 2.x (JSON and tag-value) → vd_sbom.  See include/vulnd/sbom.h.
 *
 * Mapping: spec_version = spdxVersion / SPDXVersion ("SPDX-2.3");
 * serial = documentNamespace; name = the document name.  Every package is a
 * component: SPDXID → ref, name, versionInfo / PackageVersion → version,
 * primaryPackagePurpose → type, external references of type purl → purl (the
 * first one), cpe23Type / cpe22Type → cpes.  Files and snippets are not
 * components (nothing to match them by).
 * Versions: SPDX-2.0 to SPDX-2.3 are read (2.2 and 2.3 are the tested
 * ones); SPDX-3 and anything else is refused with VD_EUNSUPPORTED.
 * Lenient: fields this reader does not use are not checked (the Trivy SBOM
 * that tools-python calls invalid reads fine); a package without a name is
 * an error (SPDX requires one; nothing to match on).
 * Tag-value: "Tag: value" lines; a value may be a <text>...</text> block
 * over several lines; lines starting with '#' are comments.
 */
#include "vulnd/sbom.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *js(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return vd_str_empty(v) ? NULL : v;
}

static int check_version(const char *v, const char *name)
{
	if (!v)
		return vd_error_set(VD_EINVAL, "%s: no SPDX version", name);
	if (!strncmp(v, "SPDX-2.", 7))
		return VD_OK;
	if (!strncmp(v, "SPDX-3", 6))
		return vd_error_set(VD_EUNSUPPORTED, "%s: SPDX 3 is not supported; export the SBOM as SPDX 2.3 "
		                    "(JSON or tag-value) or CycloneDX", name);
	return vd_error_set(VD_EUNSUPPORTED, "%s: SPDX version '%.32s' is not supported (SPDX-2.2 and SPDX-2.3 are)",
	                    name, v);
}

/* An external reference: category, type, locator. */
static int ext_ref(vd_sbom *s, vd_sbom_component *c, const char *cat, const char *type, const char *loc)
{
	(void)cat;
	if (!type || !loc)
		return VD_OK;
	if (!strcasecmp(type, "purl")) {
		if (!c->purl)
			c->purl = vd_sbom_str_(s, loc);
		return VD_OK;
	}
	if (!strcasecmp(type, "cpe23Type") || !strcasecmp(type, "cpe22Type"))
		return vd_sbom_comp_add_cpe_(s, c, loc);
	return VD_OK;
}

int vd_sbom_spdx_json_(json_t *root, const char *name, vd_sbom **out)
{
	*out = NULL;
	const char *ver = js(root, "spdxVersion");
	int rc = check_version(ver, name);
	if (rc)
		return rc;
	const json_t *pk = json_object_get(root, "packages");
	if (pk && !json_is_array(pk))
		return vd_error_set(VD_EINVAL, "%s: packages must be an array", name);
	vd_sbom *s = vd_sbom_new_(VD_SBOM_SPDX_JSON);
	if (!s)
		return VD_ENOMEM;
	s->spec_version = vd_sbom_str_(s, ver);
	s->serial = vd_sbom_str_(s, js(root, "documentNamespace"));
	s->name = vd_sbom_str_(s, js(root, "name"));
	size_t i;
	json_t *p;
	json_array_foreach(pk, i, p) {
		if (!json_is_object(p)) {
			rc = vd_error_set(VD_EINVAL, "%s: packages[%zu] is not an object", name, i);
			break;
		}
		if (!js(p, "name")) {
			rc = vd_error_set(VD_EINVAL, "%s: packages[%zu]: package without a name", name, i);
			break;
		}
		vd_sbom_component *c = vd_sbom_add_comp_(s);
		if (!c) {
			rc = vd_error_code();
			break;
		}
		c->ref = vd_sbom_str_(s, js(p, "SPDXID"));
		c->name = vd_sbom_str_(s, js(p, "name"));
		c->version = vd_sbom_str_(s, js(p, "versionInfo"));
		c->type = vd_sbom_str_(s, js(p, "primaryPackagePurpose"));
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(p, "externalRefs"), k, r)
			if ((rc = ext_ref(s, c, js(r, "referenceCategory"), js(r, "referenceType"), js(r, "referenceLocator"))))
				break;
		if (rc)
			break;
	}
	if (rc) {
		vd_sbom_free(s);
		return rc;
	}
	*out = s;
	return VD_OK;
}

/* ---- tag-value ---- */

typedef struct {
	const char *p, *end;
	int line;
} tv_in;

/* Next "Tag: value" pair; value may span lines (<text>).  tag/val point
 * into buffers tb/vb (vb growable).  0 at end, 1 for a pair, <0 error. */
static int tv_next(tv_in *in, const char *name, char *tag, size_t tcap, vd_buf *vb)
{
	while (in->p < in->end) {
		const char *nl = memchr(in->p, '\n', (size_t)(in->end - in->p));
		const char *le = nl ? nl : in->end;
		const char *l = in->p;
		in->p = nl ? nl + 1 : in->end;
		in->line++;
		while (l < le && (*l == ' ' || *l == '\t'))
			l++;
		const char *e = le;
		while (e > l && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (l == e || *l == '#')
			continue;
		const char *colon = memchr(l, ':', (size_t)(e - l));
		if (!colon || colon == l || (size_t)(colon - l) >= tcap)
			return vd_error_set(VD_EINVAL, "%s: line %d: expected 'Tag: value'", name, in->line);
		memcpy(tag, l, (size_t)(colon - l));
		tag[colon - l] = 0;
		const char *v = colon + 1;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		vd_buf_reset(vb);
		if ((size_t)(e - v) >= 6 && !memcmp(v, "<text>", 6)) {
			/* a block up to </text>, possibly on a later line */
			const char *start = v + 6;
			const char *close = NULL;
			for (const char *q = start; q + 7 <= in->end; q++)
				if (*q == '<' && !memcmp(q, "</text>", 7)) {
					close = q;
					break;
				}
			if (!close)
				return vd_error_set(VD_EINVAL, "%s: line %d: <text> without </text>", name, in->line);
			for (const char *q = start; q < close; q++)
				if (*q == '\n')
					in->line++;
			if (vd_buf_add(vb, start, (size_t)(close - start)))
				return vd_error_code();
			const char *after = memchr(close, '\n', (size_t)(in->end - close));
			in->p = after ? after + 1 : in->end;
		} else if (vd_buf_add(vb, v, (size_t)(e - v))) {
			return vd_error_code();
		}
		return 1;
	}
	return 0;
}

int vd_sbom_spdx_tv_(const char *buf, size_t len, const char *name, vd_sbom **out)
{
	*out = NULL;
	vd_sbom *s = vd_sbom_new_(VD_SBOM_SPDX_TV);
	if (!s)
		return VD_ENOMEM;
	tv_in in = {buf, buf + len, 0};
	char tag[128];
	vd_buf vb;
	vd_buf_init(&vb, 16u << 20);
	vd_sbom_component *cur = NULL;
	int rc;
	bool seen_version = false;
	while ((rc = tv_next(&in, name, tag, sizeof tag, &vb)) == 1) {
		const char *v = vd_buf_str(&vb);
		if (!strcmp(tag, "SPDXVersion")) {
			if ((rc = check_version(v, name)))
				break;
			s->spec_version = vd_sbom_str_(s, v);
			seen_version = true;
		} else if (!strcmp(tag, "DocumentNamespace")) {
			s->serial = vd_sbom_str_(s, v);
		} else if (!strcmp(tag, "DocumentName")) {
			s->name = vd_sbom_str_(s, v);
		} else if (!strcmp(tag, "PackageName")) {
			if (vd_str_empty(v)) {
				rc = vd_error_set(VD_EINVAL, "%s: line %d: empty PackageName", name, in.line);
				break;
			}
			if (!(cur = vd_sbom_add_comp_(s))) {
				rc = vd_error_code();
				break;
			}
			cur->name = vd_sbom_str_(s, v);
		} else if (!strcmp(tag, "FileName") || !strcmp(tag, "SnippetSPDXID")) {
			cur = NULL;   /* what follows describes a file or snippet */
		} else if (!cur) {
			continue;
		} else if (!strcmp(tag, "SPDXID")) {
			if (!cur->ref)
				cur->ref = vd_sbom_str_(s, v);
		} else if (!strcmp(tag, "PackageVersion")) {
			cur->version = vd_sbom_str_(s, v);
		} else if (!strcmp(tag, "PrimaryPackagePurpose")) {
			cur->type = vd_sbom_str_(s, v);
		} else if (!strcmp(tag, "ExternalRef")) {
			/* CATEGORY TYPE LOCATOR */
			char cat[64] = "", type[256] = "";
			const char *p = v;
			int n = 0;
			if (sscanf(p, "%63s %255s %n", cat, type, &n) < 2 || n <= 0 || !p[n]) {
				rc = vd_error_set(VD_EINVAL, "%s: line %d: ExternalRef needs CATEGORY TYPE LOCATOR", name, in.line);
				break;
			}
			if ((rc = ext_ref(s, cur, cat, type, p + n)))
				break;
		}
	}
	vd_buf_free(&vb);
	if (rc == 0 && !seen_version)
		rc = vd_error_set(VD_EINVAL, "%s: no SPDXVersion line: not an SPDX tag-value document", name);
	if (rc < 0) {
		vd_sbom_free(s);
		return rc;
	}
	*out = s;
	return VD_OK;
}
