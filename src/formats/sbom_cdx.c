/* CycloneDX 1.0–1.6 (JSON and XML) → vd_sbom, plus what every SBOM reader
 * shares: the vd_sbom container, format detection (vd_sbom_parse) and file
 * reading.  See include/vulnd/sbom.h.
 *
 * Mapping (JSON member / XML element):
 *   spec_version  specVersion / the namespace http://cyclonedx.org/schema/bom/1.N
 *   serial        serialNumber (attribute in XML)
 *   name/version  metadata.component.name / .version (the subject; not a component)
 *   components    components[] and, depth first, their nested components[];
 *                 bom-ref, type, group, name, version, purl, cpe
 *   vex           vulnerabilities[] with analysis.state: one statement per
 *                 affects[].ref; id, references[].id as aliases, analysis
 *                 justification / response[] / detail.  A ref is resolved to
 *                 the purl, name and version of the component (or metadata
 *                 component) with that bom-ref; a BOM-Link
 *                 (urn:cdx:serial/version#ref) by its fragment; a ref that is
 *                 a purl is its own purl.
 * Strictness (decided against the CycloneDX specification test cases):
 * refused are a bomFormat other than "CycloneDX", an XML namespace that is
 * not a CycloneDX BOM namespace, a specVersion that is not 1.x, and a
 * component without a name (nothing to match on).  Everything this reader
 * does not use (hashes, licences, services, dependencies, ...) is not
 * checked, so schema errors there are read leniently.
 *
 * XML safety as in xml.c: no network, no entity substitution, no DTD
 * loading, and a document with a DOCTYPE is refused before parsing.
 */
#include "vulnd/sbom.h"
#include "xml_safe.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* the container                                                       */
/* ------------------------------------------------------------------ */

const char *vd_sbom_format_name(vd_sbom_format f)
{
	switch (f) {
	case VD_SBOM_CDX_JSON: return "cyclonedx-json";
	case VD_SBOM_CDX_XML: return "cyclonedx-xml";
	case VD_SBOM_SPDX_JSON: return "spdx-json";
	case VD_SBOM_SPDX_TV: return "spdx-tag-value";
	case VD_SBOM_CSAF: return "csaf";
	}
	return "unknown";
}

vd_sbom *vd_sbom_new_(vd_sbom_format f)
{
	vd_sbom *s = calloc(1, sizeof *s);
	if (!s || !(s->arena = vd_arena_new(64 * 1024))) {
		free(s);
		vd_error_set(VD_ENOMEM, "sbom: out of memory");
		return NULL;
	}
	s->format = f;
	return s;
}

void vd_sbom_free(vd_sbom *s)
{
	if (!s)
		return;
	free(s->comps);
	free(s->vex);
	vd_arena_free(s->arena);
	free(s);
}

char *vd_sbom_str_(vd_sbom *s, const char *v)
{
	if (vd_str_empty(v))
		return NULL;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	return vd_arena_strndup(s->arena, v, n);
}

static int grow(void **p, size_t *cap, size_t n, size_t elem, size_t max, const char *what)
{
	if (n >= max)
		return vd_error_set(VD_ETOOBIG, "sbom: more than %zu %s", max, what);
	if (n < *cap)
		return VD_OK;
	size_t nc = *cap ? *cap * 2 : 64;
	void *q = realloc(*p, nc * elem);
	if (!q)
		return vd_error_set(VD_ENOMEM, "sbom: out of memory");
	memset((char *)q + *cap * elem, 0, (nc - *cap) * elem);
	*p = q;
	*cap = nc;
	return VD_OK;
}

vd_sbom_component *vd_sbom_add_comp_(vd_sbom *s)
{
	if (grow((void **)&s->comps, &s->cap_comps, s->n_comps, sizeof *s->comps, VD_SBOM_COMPONENTS_MAX,
	         "components"))
		return NULL;
	return &s->comps[s->n_comps++];
}

vd_vex_stmt *vd_sbom_add_vex_(vd_sbom *s)
{
	if (grow((void **)&s->vex, &s->cap_vex, s->n_vex, sizeof *s->vex, VD_SBOM_VEX_MAX, "VEX statements"))
		return NULL;
	return &s->vex[s->n_vex++];
}

/* Append a string to an arena-held array (copied on growth; small lists). */
static int arr_add(vd_sbom *s, char ***arr, size_t *n, const char *v, size_t max)
{
	char *c = vd_sbom_str_(s, v);
	if (!c)
		return VD_OK;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*arr)[i], c))
			return VD_OK;
	if (*n >= max)
		return VD_OK;   /* more is noise for matching */
	char **na = vd_arena_alloc(s->arena, (*n + 1) * sizeof *na);
	if (!na)
		return vd_error_set(VD_ENOMEM, "sbom: out of memory");
	if (*n)
		memcpy(na, *arr, *n * sizeof *na);
	na[(*n)++] = c;
	*arr = na;
	return VD_OK;
}

int vd_sbom_comp_add_cpe_(vd_sbom *s, vd_sbom_component *c, const char *cpe)
{
	return arr_add(s, &c->cpes, &c->n_cpes, cpe, 16);
}

int vd_vex_stmt_add_alias_(vd_sbom *s, vd_vex_stmt *v, const char *id)
{
	if (v->vuln_id && id && !strcasecmp(v->vuln_id, id))
		return VD_OK;
	return arr_add(s, &v->aliases, &v->n_aliases, id, 32);
}

/* ------------------------------------------------------------------ */
/* VEX states                                                          */
/* ------------------------------------------------------------------ */

const char *vd_vex_state_name(vd_vex_state st)
{
	switch (st) {
	case VD_VEX_NOT_AFFECTED: return "not_affected";
	case VD_VEX_AFFECTED: return "affected";
	case VD_VEX_FIXED: return "fixed";
	case VD_VEX_UNDER_INVESTIGATION: return "under_investigation";
	case VD_VEX_NONE: break;
	}
	return "";
}

const char *vd_vex_state_cdx(vd_vex_state st)
{
	switch (st) {
	case VD_VEX_NOT_AFFECTED: return "not_affected";
	case VD_VEX_AFFECTED: return "exploitable";
	case VD_VEX_FIXED: return "resolved";
	case VD_VEX_UNDER_INVESTIGATION: return "in_triage";
	case VD_VEX_NONE: break;
	}
	return "in_triage";
}

int vd_vex_state_parse(const char *s, vd_vex_state *out)
{
	static const struct { const char *n; vd_vex_state st; } map[] = {
		{"not_affected", VD_VEX_NOT_AFFECTED}, {"false_positive", VD_VEX_NOT_AFFECTED},
		{"known_not_affected", VD_VEX_NOT_AFFECTED},
		{"affected", VD_VEX_AFFECTED}, {"exploitable", VD_VEX_AFFECTED},
		{"known_affected", VD_VEX_AFFECTED}, {"first_affected", VD_VEX_AFFECTED},
		{"last_affected", VD_VEX_AFFECTED},
		{"fixed", VD_VEX_FIXED}, {"resolved", VD_VEX_FIXED}, {"resolved_with_pedigree", VD_VEX_FIXED},
		{"first_fixed", VD_VEX_FIXED},
		{"under_investigation", VD_VEX_UNDER_INVESTIGATION}, {"in_triage", VD_VEX_UNDER_INVESTIGATION},
	};
	for (size_t i = 0; s && i < sizeof map / sizeof *map; i++)
		if (!strcasecmp(s, map[i].n)) {
			*out = map[i].st;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown VEX state '%.64s' (expected not_affected, affected, fixed, "
	                    "under_investigation or a CycloneDX/CSAF equivalent)", s ? s : "");
}

/* ------------------------------------------------------------------ */
/* CycloneDX JSON                                                      */
/* ------------------------------------------------------------------ */

static const char *js(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return vd_str_empty(v) ? NULL : v;
}

typedef struct {
	vd_sbom *s;
	const char *name;
	json_t *refs;   /* bom-ref → component object (borrowed) */
} cdxj;

static int cdxj_comp(cdxj *c, const json_t *o, int depth, const char *path)
{
	if (depth > VD_SBOM_DEPTH)
		return vd_error_set(VD_ETOOBIG, "%s: components nested deeper than %d", c->name, VD_SBOM_DEPTH);
	if (!json_is_object(o))
		return vd_error_set(VD_EINVAL, "%s: %s: a component must be an object", c->name, path);
	const char *name = js(o, "name");
	if (!name)
		return vd_error_set(VD_EINVAL, "%s: %s: component without a name", c->name, path);
	vd_sbom_component *k = vd_sbom_add_comp_(c->s);
	if (!k)
		return vd_error_code();
	k->ref = vd_sbom_str_(c->s, js(o, "bom-ref"));
	k->type = vd_sbom_str_(c->s, js(o, "type"));
	k->group = vd_sbom_str_(c->s, js(o, "group"));
	k->name = vd_sbom_str_(c->s, name);
	k->version = vd_sbom_str_(c->s, js(o, "version"));
	k->purl = vd_sbom_str_(c->s, js(o, "purl"));
	int rc = vd_sbom_comp_add_cpe_(c->s, k, js(o, "cpe"));
	if (rc)
		return rc;
	if (k->ref)
		json_object_set(c->refs, k->ref, (json_t *)o);
	size_t i;
	json_t *sub;
	json_array_foreach(json_object_get(o, "components"), i, sub) {
		char p[256];
		snprintf(p, sizeof p, "%.200s.components[%zu]", path, i);
		if ((rc = cdxj_comp(c, sub, depth + 1, p)))
			return rc;
	}
	return VD_OK;
}

/* Fill purl/name/version of a statement from its ref. */
static void resolve_ref(vd_sbom *s, json_t *refs, vd_vex_stmt *v)
{
	const char *ref = v->ref;
	if (!ref)
		return;
	if (!strncmp(ref, "pkg:", 4)) {
		v->purl = v->ref;
		return;
	}
	const char *key = ref;
	if (!strncmp(ref, "urn:cdx:", 8) && strchr(ref, '#'))
		key = strchr(ref, '#') + 1;
	json_t *o = json_object_get(refs, key);
	if (!o)
		return;
	v->purl = vd_sbom_str_(s, js(o, "purl"));
	v->cpe = vd_sbom_str_(s, js(o, "cpe"));
	v->name = vd_sbom_str_(s, js(o, "name"));
	v->version = vd_sbom_str_(s, js(o, "version"));
}

static int cdxj_vuln(cdxj *c, const json_t *vu, size_t vi)
{
	const json_t *an = json_object_get(vu, "analysis");
	const char *state = js(an, "state");
	const char *id = js(vu, "id");
	if (!state || !id)
		return VD_OK;   /* a vulnerability listing without analysis is not a VEX statement */
	vd_vex_state st;
	if (vd_vex_state_parse(state, &st)) {
		vd_error_prefix("%s: vulnerabilities[%zu]: ", c->name, vi);
		return VD_EINVAL;
	}
	vd_buf resp;
	vd_buf_init(&resp, 4096);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(an, "response"), i, x)
		if (json_is_string(x))
			(void)(resp.len ? vd_buf_printf(&resp, ",%s", json_string_value(x))
			                : vd_buf_adds(&resp, json_string_value(x)));
	int rc = VD_OK;
	json_array_foreach(json_object_get(vu, "affects"), i, x) {
		const char *ref = js(x, "ref");
		if (!ref)
			continue;
		vd_vex_stmt *v = vd_sbom_add_vex_(c->s);
		if (!v) {
			rc = vd_error_code();
			break;
		}
		v->vuln_id = vd_sbom_str_(c->s, id);
		v->ref = vd_sbom_str_(c->s, ref);
		v->state = st;
		v->justification = vd_sbom_str_(c->s, js(an, "justification"));
		v->detail = vd_sbom_str_(c->s, js(an, "detail"));
		v->response = resp.len ? vd_sbom_str_(c->s, vd_buf_str(&resp)) : NULL;
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(vu, "references"), k, r)
			if ((rc = vd_vex_stmt_add_alias_(c->s, v, js(r, "id"))))
				break;
		if (rc)
			break;
		resolve_ref(c->s, c->refs, v);
	}
	vd_buf_free(&resp);
	return rc;
}

int vd_sbom_cdx_json_(json_t *root, const char *name, vd_sbom **out)
{
	*out = NULL;
	const char *fmt = js(root, "bomFormat");
	if (!fmt || strcasecmp(fmt, "CycloneDX"))
		return vd_error_set(VD_EINVAL, "%s: bomFormat is '%.64s', expected \"CycloneDX\"", name,
		                    fmt ? fmt : "");
	const char *spec = js(root, "specVersion");
	if (spec && strncmp(spec, "1.", 2))
		return vd_error_set(VD_EUNSUPPORTED, "%s: CycloneDX specVersion '%.32s' is not supported (1.0–1.6 are)",
		                    name, spec);
	vd_sbom *s = vd_sbom_new_(VD_SBOM_CDX_JSON);
	if (!s)
		return VD_ENOMEM;
	cdxj c = {s, name, json_object()};
	int rc = c.refs ? VD_OK : vd_error_set(VD_ENOMEM, "sbom: out of memory");
	s->spec_version = vd_sbom_str_(s, spec);
	s->serial = vd_sbom_str_(s, js(root, "serialNumber"));
	const json_t *mc = json_object_get(json_object_get(root, "metadata"), "component");
	if (json_is_object(mc)) {
		s->name = vd_sbom_str_(s, js(mc, "name"));
		s->version = vd_sbom_str_(s, js(mc, "version"));
		if (!rc && js(mc, "bom-ref"))
			json_object_set(c.refs, js(mc, "bom-ref"), (json_t *)mc);
	}
	const json_t *comps = json_object_get(root, "components");
	if (!rc && comps && !json_is_array(comps))
		rc = vd_error_set(VD_EINVAL, "%s: components must be an array", name);
	size_t i;
	json_t *x;
	if (!rc)
		json_array_foreach(comps, i, x) {
			char p[64];
			snprintf(p, sizeof p, "components[%zu]", i);
			if ((rc = cdxj_comp(&c, x, 1, p)))
				break;
		}
	if (!rc)
		json_array_foreach(json_object_get(root, "vulnerabilities"), i, x)
			if ((rc = cdxj_vuln(&c, x, i)))
				break;
	json_decref(c.refs);
	if (rc) {
		vd_sbom_free(s);
		return rc;
	}
	*out = s;
	return VD_OK;
}

/* ------------------------------------------------------------------ */
/* CycloneDX XML                                                       */
/* ------------------------------------------------------------------ */

#define CDX_NS "http://cyclonedx.org/schema/bom/"

static bool is_el(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, local);
}

static const xmlNode *child(const xmlNode *n, const char *local)
{
	for (const xmlNode *k = n ? n->children : NULL; k; k = k->next)
		if (is_el(k, local))
			return k;
	return NULL;
}

/* Text of a child element, copied into the arena (NULL when absent/blank). */
static char *ctext(vd_sbom *s, const xmlNode *n, const char *local)
{
	const xmlNode *k = child(n, local);
	if (!k)
		return NULL;
	xmlChar *t = xmlNodeGetContent(k);
	char *r = vd_sbom_str_(s, (const char *)t);
	xmlFree(t);
	return r;
}

static char *attr(vd_sbom *s, const xmlNode *n, const char *name)
{
	xmlChar *t = xmlGetProp(n, (const xmlChar *)name);
	char *r = vd_sbom_str_(s, (const char *)t);
	xmlFree(t);
	return r;
}

typedef struct {
	vd_sbom *s;
	const char *name;
	json_t *refs;   /* bom-ref → [purl, cpe, name, version] */
} cdxx;

static void remember(cdxx *c, const char *ref, const char *purl, const char *cpe, const char *nm, const char *ver)
{
	if (!ref)
		return;
	json_object_set_new(c->refs, ref, json_pack("{s:s?,s:s?,s:s?,s:s?}", "purl", purl, "cpe", cpe,
	                                            "name", nm, "version", ver));
}

static int cdxx_comp(cdxx *c, const xmlNode *n, int depth, int *count)
{
	if (depth > VD_SBOM_DEPTH)
		return vd_error_set(VD_ETOOBIG, "%s: components nested deeper than %d", c->name, VD_SBOM_DEPTH);
	(*count)++;
	char *name = ctext(c->s, n, "name");
	if (!name)
		return vd_error_set(VD_EINVAL, "%s: line %d: component without a name", c->name, n->line);
	vd_sbom_component *k = vd_sbom_add_comp_(c->s);
	if (!k)
		return vd_error_code();
	k->ref = attr(c->s, n, "bom-ref");
	k->type = attr(c->s, n, "type");
	k->group = ctext(c->s, n, "group");
	k->name = name;
	k->version = ctext(c->s, n, "version");
	k->purl = ctext(c->s, n, "purl");
	char *cpe = ctext(c->s, n, "cpe");
	int rc = vd_sbom_comp_add_cpe_(c->s, k, cpe);
	if (rc)
		return rc;
	remember(c, k->ref, k->purl, cpe, k->name, k->version);
	const xmlNode *sub = child(n, "components");
	for (const xmlNode *x = sub ? sub->children : NULL; x; x = x->next)
		if (is_el(x, "component") && (rc = cdxx_comp(c, x, depth + 1, count)))
			return rc;
	return VD_OK;
}

static int cdxx_vuln(cdxx *c, const xmlNode *vu)
{
	const xmlNode *an = child(vu, "analysis");
	char *state = ctext(c->s, an, "state");
	char *id = ctext(c->s, vu, "id");
	if (!state || !id)
		return VD_OK;
	vd_vex_state st;
	if (vd_vex_state_parse(state, &st)) {
		vd_error_prefix("%s: line %d: ", c->name, vu->line);
		return VD_EINVAL;
	}
	vd_buf resp;
	vd_buf_init(&resp, 4096);
	const xmlNode *rs = child(an, "responses");
	for (const xmlNode *x = rs ? rs->children : NULL; x; x = x->next)
		if (is_el(x, "response")) {
			xmlChar *t = xmlNodeGetContent(x);
			if (t && *t)
				(void)(resp.len ? vd_buf_printf(&resp, ",%s", (const char *)t) : vd_buf_adds(&resp, (const char *)t));
			xmlFree(t);
		}
	int rc = VD_OK;
	const xmlNode *af = child(vu, "affects");
	for (const xmlNode *t = af ? af->children : NULL; t && !rc; t = t->next) {
		if (!is_el(t, "target"))
			continue;
		char *ref = ctext(c->s, t, "ref");
		if (!ref)
			continue;
		vd_vex_stmt *v = vd_sbom_add_vex_(c->s);
		if (!v) {
			rc = vd_error_code();
			break;
		}
		v->vuln_id = id;
		v->ref = ref;
		v->state = st;
		v->justification = ctext(c->s, an, "justification");
		v->detail = ctext(c->s, an, "detail");
		v->response = resp.len ? vd_sbom_str_(c->s, vd_buf_str(&resp)) : NULL;
		const xmlNode *refs = child(vu, "references");
		for (const xmlNode *r = refs ? refs->children : NULL; r && !rc; r = r->next)
			if (is_el(r, "reference"))
				rc = vd_vex_stmt_add_alias_(c->s, v, ctext(c->s, r, "id"));
		if (!strncmp(ref, "pkg:", 4)) {
			v->purl = ref;
		} else {
			const char *key = !strncmp(ref, "urn:cdx:", 8) && strchr(ref, '#') ? strchr(ref, '#') + 1 : ref;
			json_t *o = json_object_get(c->refs, key);
			v->purl = vd_sbom_str_(c->s, js(o, "purl"));
			v->cpe = vd_sbom_str_(c->s, js(o, "cpe"));
			v->name = vd_sbom_str_(c->s, js(o, "name"));
			v->version = vd_sbom_str_(c->s, js(o, "version"));
		}
	}
	vd_buf_free(&resp);
	return rc;
}

/* Refuse a DOCTYPE anywhere in the prolog (before the root element). */
static int check_prolog(const char *buf, size_t len, const char *name)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
			i++;
		if (i + 1 >= len || buf[i] != '<')
			return VD_OK;
		const char *end = NULL;
		if (buf[i + 1] == '?')
			end = memmem(buf + i, len - i, "?>", 2);
		else if (i + 3 < len && !memcmp(buf + i, "<!--", 4))
			end = memmem(buf + i, len - i, "-->", 3);
		else if (buf[i + 1] == '!')
			return vd_error_set(VD_EINVAL, "%s: DOCTYPE declarations are not accepted (no DTDs or entities)", name);
		else
			return VD_OK;
		if (!end)
			return VD_OK;   /* the parser reports it */
		i = (size_t)(end - buf) + 2;
	}
	return VD_OK;
}

/* libxml2's error → our message (first error only). */
static int xml_fail(const char *name)
{
	const xmlError *e = xmlGetLastError();
	if (e && e->message) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s", e->message);
		size_t n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = 0;
		return vd_error_set(VD_EINVAL, "%s: XML error at line %d: %s", name, e->line, msg);
	}
	return vd_error_set(VD_EINVAL, "%s: not well-formed XML", name);
}

static void quiet_xml(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int vd_sbom_cdx_xml_(const char *buf, size_t len, const char *name, vd_sbom **out)
{
	*out = NULL;
	int rc = check_prolog(buf, len, name);
	if (rc)
		return rc;
	if (len > INT32_MAX)
		return vd_error_set(VD_ETOOBIG, "%s: too big", name);
	xmlSetExternalEntityLoader(vd_xml_no_entities);
	xmlSetGenericErrorFunc(NULL, quiet_xml);
	xmlResetLastError();
	xmlDocPtr doc = xmlReadMemory(buf, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA |
	                              XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return xml_fail(name);
	const xmlNode *root = xmlDocGetRootElement(doc);
	const char *ns = root && root->ns && root->ns->href ? (const char *)root->ns->href : "";
	if (!root || strcmp((const char *)root->name, "bom")) {
		/* the message first: the names live in the document */
		rc = vd_error_set(VD_EINVAL, "%s: root element is <%s>, expected a CycloneDX <bom>", name,
		                  root ? (const char *)root->name : "");
		xmlFreeDoc(doc);
		return rc;
	}
	if (strncmp(ns, CDX_NS "1.", strlen(CDX_NS) + 2)) {
		rc = vd_error_set(VD_EINVAL, "%s: namespace '%.100s' is not a CycloneDX BOM namespace (" CDX_NS "1.x)",
		                  name, ns);
		xmlFreeDoc(doc);
		return rc;
	}
	vd_sbom *s = vd_sbom_new_(VD_SBOM_CDX_XML);
	if (!s) {
		xmlFreeDoc(doc);
		return VD_ENOMEM;
	}
	cdxx c = {s, name, json_object()};
	rc = c.refs ? VD_OK : vd_error_set(VD_ENOMEM, "sbom: out of memory");
	s->spec_version = vd_sbom_str_(s, ns + strlen(CDX_NS));
	s->serial = attr(s, root, "serialNumber");
	const xmlNode *mc = child(child(root, "metadata"), "component");
	if (mc) {
		s->name = ctext(s, mc, "name");
		s->version = ctext(s, mc, "version");
		if (!rc)
			remember(&c, attr(s, mc, "bom-ref"), ctext(s, mc, "purl"), ctext(s, mc, "cpe"), s->name, s->version);
	}
	int count = 0;
	const xmlNode *cs = child(root, "components");
	for (const xmlNode *x = cs ? cs->children : NULL; x && !rc; x = x->next)
		if (is_el(x, "component"))
			rc = cdxx_comp(&c, x, 1, &count);
	const xmlNode *vs = child(root, "vulnerabilities");
	for (const xmlNode *x = vs ? vs->children : NULL; x && !rc; x = x->next)
		if (is_el(x, "vulnerability"))
			rc = cdxx_vuln(&c, x);
	json_decref(c.refs);
	xmlFreeDoc(doc);
	if (rc) {
		vd_sbom_free(s);
		return rc;
	}
	*out = s;
	return VD_OK;
}

/* ------------------------------------------------------------------ */
/* detection                                                           */
/* ------------------------------------------------------------------ */

/* UTF-16 with a byte-order mark → UTF-8 (malloc'd). */
static int from_utf16(const char *buf, size_t len, const char *name, char **out, size_t *olen)
{
	bool le = (unsigned char)buf[0] == 0xFF;
	iconv_t cd = iconv_open("UTF-8", le ? "UTF-16LE" : "UTF-16BE");
	if (cd == (iconv_t)-1)
		return vd_error_set(VD_EIO, "%s: cannot convert UTF-16 (iconv)", name);
	size_t cap = len * 2 + 16;
	char *o = malloc(cap);
	if (!o) {
		iconv_close(cd);
		return vd_error_set(VD_ENOMEM, "sbom: out of memory");
	}
	char *in = (char *)(uintptr_t)(buf + 2), *op = o;
	size_t inl = len - 2, outl = cap - 1;
	size_t r = iconv(cd, &in, &inl, &op, &outl);
	iconv_close(cd);
	if (r == (size_t)-1) {
		free(o);
		return vd_error_set(VD_EINVAL, "%s: invalid UTF-16 at byte %zu", name, len - inl);
	}
	*op = 0;
	*out = o;
	*olen = (size_t)(op - o);
	return VD_OK;
}

static bool line_starts(const char *buf, size_t len, const char *tag)
{
	size_t tl = strlen(tag);
	for (size_t i = 0; i + tl <= len && i < 65536; i++)
		if ((i == 0 || buf[i - 1] == '\n') && !memcmp(buf + i, tag, tl))
			return true;
	return false;
}

static int parse_json(const char *buf, size_t len, const char *name, vd_sbom **out)
{
	json_error_t err;
	json_t *root = json_loadb(buf, len, JSON_ALLOW_NUL, &err);
	if (!root)
		return vd_error_set(VD_EINVAL, "%s: JSON error at line %d, column %d: %s", name, err.line, err.column,
		                    err.text);
	int rc;
	if (!json_is_object(root)) {
		rc = vd_error_set(VD_EINVAL, "%s: not an SBOM: the JSON document is not an object", name);
	} else if (json_object_get(root, "bomFormat")) {
		rc = vd_sbom_cdx_json_(root, name, out);
	} else if (json_object_get(root, "spdxVersion")) {
		rc = vd_sbom_spdx_json_(root, name, out);
	} else if (json_object_get(root, "@context") || json_object_get(root, "@graph")) {
		const json_t *ctx = json_object_get(root, "@context");
		const char *cs = json_string_value(ctx);
		bool spdx = (cs && strstr(cs, "spdx")) || json_is_array(ctx) || json_is_object(ctx);
		rc = spdx ? vd_error_set(VD_EUNSUPPORTED, "%s: SPDX 3.0 (JSON-LD) is not supported; export the SBOM "
		                         "as SPDX 2.3 (JSON or tag-value) or CycloneDX", name)
		          : vd_error_set(VD_EINVAL, "%s: not an SBOM: a JSON-LD document that is not SPDX", name);
	} else if (json_object_get(json_object_get(root, "document"), "csaf_version")) {
		rc = vd_sbom_csaf_(root, name, out);
	} else {
		rc = vd_error_set(VD_EINVAL, "%s: not an SBOM: no bomFormat (CycloneDX), spdxVersion (SPDX 2) or "
		                  "document.csaf_version (CSAF)", name);
	}
	json_decref(root);
	return rc;
}

int vd_sbom_parse(const char *buf, size_t len, const char *name, vd_sbom **out)
{
	*out = NULL;
	if (!name)
		name = "sbom";
	if (!buf)
		return vd_error_set(VD_EINVAL, "%s: no input", name);
	if (len > VD_SBOM_MAX)
		return vd_error_set(VD_ETOOBIG, "%s: %zu bytes is over the SBOM limit of %u bytes", name, len, VD_SBOM_MAX);
	if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
	                 ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF))) {
		char *u = NULL;
		size_t ul = 0;
		int rc = from_utf16(buf, len, name, &u, &ul);
		if (rc)
			return rc;
		rc = vd_sbom_parse(u, ul, name, out);   /* UTF-8 never starts with FF FE: no second round */
		free(u);
		return rc;
	}
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		buf += 3;
		len -= 3;
	}
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i == len)
		return vd_error_set(VD_EINVAL, "%s: empty document", name);
	if (buf[i] == '{' || buf[i] == '[')
		return parse_json(buf, len, name, out);
	if (buf[i] == '<') {
		size_t head = len < 4096 ? len : 4096;
		if (memmem(buf, head, "rdf:RDF", 7) || memmem(buf, head, "spdx.org/rdf", 12))
			return vd_error_set(VD_EUNSUPPORTED, "%s: SPDX RDF/XML is not supported; use SPDX 2.3 JSON or "
			                    "tag-value", name);
		if (!memmem(buf, head, "cyclonedx", 9) && (memmem(buf, head, "<Document", 9) || memmem(buf, head, "spdx", 4)))
			return vd_error_set(VD_EUNSUPPORTED, "%s: SPDX XML is not supported; use SPDX 2.3 JSON or "
			                    "tag-value", name);
		return vd_sbom_cdx_xml_(buf, len, name, out);
	}
	if (line_starts(buf, len, "SPDXVersion:"))
		return vd_sbom_spdx_tv_(buf, len, name, out);
	if (line_starts(buf, len, "spdxVersion:") || line_starts(buf, len, "bomFormat:"))
		return vd_error_set(VD_EUNSUPPORTED, "%s: YAML SBOMs are not supported; use JSON (or SPDX tag-value)", name);
	return vd_error_set(VD_EINVAL, "%s: not an SBOM: expected CycloneDX (JSON or XML) or SPDX 2.x (JSON or "
	                    "tag-value)", name);
}

int vd_sbom_read_file(const char *path, vd_sbom **out)
{
	*out = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc = vd_file_read(path, VD_SBOM_MAX, &buf, &len);
	if (rc)
		return rc;
	rc = vd_sbom_parse(buf, len, strcmp(path, "-") ? path : "(stdin)", out);
	free(buf);
	return rc;
}
