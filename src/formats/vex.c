/* VEX: the CycloneDX VEX writer and the CSAF VEX reader (CycloneDX VEX
 * documents are read by sbom_cdx.c: they are BOMs).  See include/vulnd/sbom.h.
 *
 * CSAF (any category; csaf_vex in practice) → statements: for every
 * vulnerabilities[i] and every product id in its product_status lists
 * (known_not_affected, known_affected, first_affected, last_affected, fixed,
 * first_fixed, under_investigation; recommended is ignored) one statement:
 *   vuln_id   cve, else the first ids[].text; aliases = the other ids
 *   ref       the product id; purl / cpe / name / version from the product
 *             tree (branches — a "product_version" branch name is the
 *             version —, full_product_names, relationships)
 *   justification  the label of a flag naming the product
 *   detail    the details of an "impact" threat naming the product
 * The existing CSAF converter (csaf.c) keeps only affected products, which is
 * not enough for VEX, so this reader walks the tree itself.
 * Limits: tree depth VD_SBOM_DEPTH, statements VD_SBOM_VEX_MAX.
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

/* ------------------------------------------------------------------ */
/* CSAF reader                                                         */
/* ------------------------------------------------------------------ */

typedef struct {
	const char *name;
	json_t *prod;    /* product_id → {name, version, purl, cpe} */
} csaf_rd;

static void put_product(csaf_rd *c, const json_t *p, const char *version)
{
	const char *id = js(p, "product_id");
	if (!id || json_object_get(c->prod, id))
		return;
	const json_t *h = json_object_get(p, "product_identification_helper");
	json_object_set_new(c->prod, id, json_pack("{s:s?,s:s?,s:s?,s:s?}", "name", js(p, "name"),
	                                           "version", version, "purl", js(h, "purl"), "cpe", js(h, "cpe")));
}

static int walk_branches(csaf_rd *c, const json_t *branches, const char *version, int depth)
{
	if (depth > VD_SBOM_DEPTH)
		return vd_error_set(VD_ETOOBIG, "%s: product_tree branches nested deeper than %d", c->name, VD_SBOM_DEPTH);
	size_t i;
	json_t *b;
	json_array_foreach(branches, i, b) {
		const char *cat = js(b, "category");
		const char *v = cat && !strcmp(cat, "product_version") ? js(b, "name") : version;
		if (json_is_object(json_object_get(b, "product")))
			put_product(c, json_object_get(b, "product"), v);
		int rc = walk_branches(c, json_object_get(b, "branches"), v, depth + 1);
		if (rc)
			return rc;
	}
	return VD_OK;
}

int vd_sbom_csaf_(json_t *root, const char *name, vd_sbom **out)
{
	*out = NULL;
	const json_t *doc = json_object_get(root, "document");
	vd_sbom *s = vd_sbom_new_(VD_SBOM_CSAF);
	if (!s)
		return VD_ENOMEM;
	csaf_rd c = {name, json_object()};
	int rc = c.prod ? VD_OK : vd_error_set(VD_ENOMEM, "sbom: out of memory");
	s->spec_version = vd_sbom_str_(s, js(doc, "csaf_version"));
	s->serial = vd_sbom_str_(s, js(json_object_get(doc, "tracking"), "id"));
	s->name = vd_sbom_str_(s, js(doc, "title"));
	const json_t *tree = json_object_get(root, "product_tree");
	if (!rc)
		rc = walk_branches(&c, json_object_get(tree, "branches"), NULL, 1);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(tree, "full_product_names"), i, x)
		put_product(&c, x, NULL);
	json_array_foreach(json_object_get(tree, "relationships"), i, x) {
		const json_t *fp = json_object_get(x, "full_product_name");
		const char *id = js(fp, "product_id");
		if (!id || json_object_get(c.prod, id))
			continue;
		/* the component inside the product: its identifiers */
		const json_t *ref = json_object_get(c.prod, js(x, "product_reference") ? js(x, "product_reference") : "");
		json_object_set_new(c.prod, id, json_pack("{s:s?,s:s?,s:s?,s:s?}", "name", js(fp, "name"),
		                                          "version", js(ref, "version"), "purl", js(ref, "purl"),
		                                          "cpe", js(ref, "cpe")));
	}
	static const char *lists[] = {"known_not_affected", "known_affected", "first_affected", "last_affected",
	                              "fixed", "first_fixed", "under_investigation"};
	json_t *vu;
	json_array_foreach(json_object_get(root, "vulnerabilities"), i, vu) {
		if (rc)
			break;
		const char *id = js(vu, "cve");
		const json_t *ids = json_object_get(vu, "ids");
		if (!id)
			id = js(json_array_get(ids, 0), "text");
		if (!id)
			continue;
		const json_t *ps = json_object_get(vu, "product_status");
		for (size_t l = 0; l < sizeof lists / sizeof *lists && !rc; l++) {
			vd_vex_state st;
			vd_vex_state_parse(lists[l], &st);
			size_t k;
			json_t *pid;
			json_array_foreach(json_object_get(ps, lists[l]), k, pid) {
				const char *p = json_string_value(pid);
				if (vd_str_empty(p))
					continue;
				vd_vex_stmt *v = vd_sbom_add_vex_(s);
				if (!v) {
					rc = vd_error_code();
					break;
				}
				v->vuln_id = vd_sbom_str_(s, id);
				v->ref = vd_sbom_str_(s, p);
				v->state = st;
				const json_t *pr = json_object_get(c.prod, p);
				v->purl = vd_sbom_str_(s, js(pr, "purl"));
				v->cpe = vd_sbom_str_(s, js(pr, "cpe"));
				v->name = vd_sbom_str_(s, js(pr, "name"));
				v->version = vd_sbom_str_(s, js(pr, "version"));
				size_t a;
				json_t *ai;
				json_array_foreach(ids, a, ai)
					if ((rc = vd_vex_stmt_add_alias_(s, v, js(ai, "text"))))
						break;
				/* justification: a flag naming the product; detail: an impact threat */
				json_t *f, *q;
				size_t fi, qi;
				json_array_foreach(json_object_get(vu, "flags"), fi, f)
					json_array_foreach(json_object_get(f, "product_ids"), qi, q)
						if (!v->justification && json_string_value(q) && !strcmp(json_string_value(q), p))
							v->justification = vd_sbom_str_(s, js(f, "label"));
				json_array_foreach(json_object_get(vu, "threats"), fi, f) {
					const char *cat = js(f, "category");
					if (!cat || strcmp(cat, "impact"))
						continue;
					json_array_foreach(json_object_get(f, "product_ids"), qi, q)
						if (!v->detail && json_string_value(q) && !strcmp(json_string_value(q), p))
							v->detail = vd_sbom_str_(s, js(f, "details"));
				}
				if (rc)
					break;
			}
		}
	}
	json_decref(c.prod);
	if (rc) {
		vd_sbom_free(s);
		return rc;
	}
	*out = s;
	return VD_OK;
}

/* ------------------------------------------------------------------ */
/* CycloneDX VEX writer                                                */
/* ------------------------------------------------------------------ */

/* The bom-ref of a statement's component (malloc'd). */
static char *ref_of(const vd_vex_out *o)
{
	if (!vd_str_empty(o->ref))
		return strdup(o->ref);
	if (!vd_str_empty(o->purl))
		return strdup(o->purl);
	char b[1100];
	snprintf(b, sizeof b, "%.512s@%.512s", o->name ? o->name : "component", o->version ? o->version : "");
	return strdup(b);
}

int vd_vex_write_cdx(const vd_vex_out *st, size_t n, const char *subject_name, const char *subject_version,
                     const char *timestamp, char **out)
{
	*out = NULL;
	if (n && !st)
		return vd_error_set(VD_EINVAL, "vex: no statements");
	char now[32];
	if (!timestamp) {
		vd_time_format(vd_time_now(), now, sizeof now);
		timestamp = now;
	}
	json_t *comps = json_array(), *vulns = json_array(), *seen = json_object();
	int rc = comps && vulns && seen ? VD_OK : vd_error_set(VD_ENOMEM, "vex: out of memory");
	for (size_t i = 0; i < n && !rc; i++) {
		const vd_vex_out *o = &st[i];
		if (vd_str_empty(o->vuln_id) || o->state == VD_VEX_NONE) {
			rc = vd_error_set(VD_EINVAL, "vex: statement %zu has no vulnerability id or state", i);
			break;
		}
		char *ref = ref_of(o);
		if (!ref) {
			rc = vd_error_set(VD_ENOMEM, "vex: out of memory");
			break;
		}
		if (!json_object_get(seen, ref)) {
			json_object_set_new(seen, ref, json_true());
			json_t *c = json_pack("{s:s,s:s,s:s}", "type", "library", "bom-ref", ref, "name",
			                      o->name ? o->name : ref);
			if (c && o->version)
				json_object_set_new(c, "version", json_string(o->version));
			if (c && o->purl)
				json_object_set_new(c, "purl", json_string(o->purl));
			json_array_append_new(comps, c);
		}
		json_t *an = json_pack("{s:s}", "state", vd_vex_state_cdx(o->state));
		if (an && o->justification)
			json_object_set_new(an, "justification", json_string(o->justification));
		if (an && o->detail)
			json_object_set_new(an, "detail", json_string(o->detail));
		json_t *v = json_pack("{s:s}", "id", o->vuln_id);
		if (v && o->source)
			json_object_set_new(v, "source", json_pack("{s:s}", "name", o->source));
		if (v && o->grade)
			json_object_set_new(v, "ratings", json_pack("[{s:s}]", "severity", o->grade));
		if (v && an)
			json_object_set_new(v, "analysis", an);
		if (v)
			json_object_set_new(v, "affects", json_pack("[{s:s}]", "ref", ref));
		free(ref);
		if (!v || !an || json_array_append_new(vulns, v))
			rc = vd_error_set(VD_ENOMEM, "vex: out of memory");
	}
	char *body = NULL;
	if (!rc && !(body = json_dumps(vulns, JSON_COMPACT)))
		rc = vd_error_set(VD_ENOMEM, "vex: out of memory");
	json_t *root = NULL;
	if (!rc) {
		/* a serial number derived from the content: same input, same document */
		char h1[17], h2[17];
		size_t bl = strlen(body);
		vd_hash64_hex(body, bl, h1);
		vd_buf b;
		vd_buf_init(&b, 0);
		if (vd_buf_adds(&b, body) || vd_buf_adds(&b, subject_name ? subject_name : "") ||
		    vd_buf_adds(&b, subject_version ? subject_version : ""))
			rc = vd_error_set(VD_ENOMEM, "vex: out of memory");
		vd_hash64_hex(vd_buf_str(&b), b.len, h2);
		vd_buf_free(&b);
		char serial[64];
		snprintf(serial, sizeof serial, "urn:uuid:%.8s-%.4s-4%.3s-8%.3s-%.12s", h1, h1 + 8, h1 + 12, h2, h2 + 3);
		json_t *meta = json_pack("{s:s,s:[{s:s,s:s}]}", "timestamp", timestamp, "tools", "name", "vulnd",
		                         "vendor", "vulnd");
		if (meta && subject_name) {
			json_t *mc = json_pack("{s:s,s:s}", "type", "application", "name", subject_name);
			if (mc && subject_version)
				json_object_set_new(mc, "version", json_string(subject_version));
			json_object_set_new(meta, "component", mc);
		}
		root = json_pack("{s:s,s:s,s:s,s:s,s:i,s:o,s:O,s:O}", "$schema",
		                 "http://cyclonedx.org/schema/bom-1.5.schema.json", "bomFormat", "CycloneDX",
		                 "specVersion", "1.5", "serialNumber", serial, "version", 1, "metadata", meta,
		                 "components", comps, "vulnerabilities", vulns);
		if (!root)
			rc = vd_error_set(VD_ENOMEM, "vex: out of memory");
	}
	if (!rc && !(*out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		rc = vd_error_set(VD_ENOMEM, "vex: out of memory");
	free(body);
	json_decref(root);
	json_decref(comps);
	json_decref(vulns);
	json_decref(seen);
	return rc;
}
