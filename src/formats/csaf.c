/* CSAF 2.0 document (csaf_security_advisory, csaf_vex, csaf_base, …) →
 * one vd_record per vulnerabilities[] element.
 *
 * Why several records: a CSAF document is an advisory about one or more
 * vulnerabilities; the catalogue holds vulnerabilities, so each element
 * becomes its own record that joins the CVE record through its id/alias.
 * The document-level parts (publisher, dates, references, product tree) are
 * copied into each record.
 *
 * Mapping (source "csaf"):
 *   id            vulnerabilities[i].cve when a CVE id; else the first ids[].text;
 *                 else document.tracking.id (one vulnerability) or
 *                 "<tracking.id>#<i+1>" (several).
 *   aliases       the cve, and ids[].text values that look like vulnerability ids
 *                 (CVE-, GHSA-, CNVD-, CNNVD-, PYSEC-, GO-, RUSTSEC-, OSV-).  The
 *                 advisory id (tracking.id) is *not* an alias: it covers many CVEs.
 *   state         published (document.tracking.status is not a vulnerability state)
 *   published     vulnerabilities[i].release_date, else tracking.initial_release_date
 *   modified      document.tracking.current_release_date
 *   publisher     document.publisher.name
 *   title         vulnerabilities[i].title, else document.title when the document has
 *                 one vulnerability; language from document.lang (zh… → zh, else en)
 *   description   notes with category "description" (else "summary", else "general" —
 *                 Red Hat puts the text there), joined "\n\n"
 *   cwes          cwe.id ("CWE-<n>")
 *   scores        scores[].cvss_v3 / cvss_v2: version, vectorString, baseScore,
 *                 baseSeverity; source "csaf"
 *   affected      product_status.known_affected / first_affected / last_affected /
 *                 under_investigation → one entry per product (ids with the same name
 *                 and vendor share an entry), resolved through
 *                 product_tree (branches, full_product_names, relationships): product
 *                 = the product's name, vendor = the enclosing "vendor" branch,
 *                 versions = [the "product_version" branch name], cpes / purl from
 *                 product_identification_helper, vers = a "product_version_range" branch
 *                 name when it is a vers: string (free-text ranges stay in the name).  Fixed and not-affected products are
 *                 not affected entries.  default_status = the status list name.
 *   solution      remediations[].details (+ " " url), distinct values joined "\n\n",
 *                 prefixed "category: "
 *   references    vulnerabilities[i].references and document.references; category
 *                 "self" → type "advisory", otherwise "web"
 *   credits       acknowledgments[].names[] (and organization when no names)
 * Limits: product tree walk depth ≤ 32, at most 5000 affected entries per record,
 * joined texts ≤ 4 MiB.
 */
#include "conv_util.h"
#include <stdio.h>
#include <stdlib.h>

#define SRC "csaf"
#define TREE_DEPTH 32
#define MAX_AFFECTED 5000
#define TEXT_MAX (4u << 20)

typedef struct {
	json_t *products;      /* product_id → {name, vendor, version, cpe, purl} */
	const json_t *doc;
	const char *lang;      /* "zh" or "en" */
	size_t n_vulns;
} csaf_doc;

static void prov(vd_record *r, const char *field)
{
	vd_record_add_prov(r, field, SRC, r->id, r->modified);
}

static void put_product(csaf_doc *cd, const json_t *p, const char *vendor, const char *version)
{
	const char *pid = cv_str(p, "product_id");
	if (vd_str_empty(pid) || json_object_get(cd->products, pid))
		return;
	json_t *o = json_object();
	if (!o)
		return;
	const json_t *h = json_object_get(p, "product_identification_helper");
	const char *vals[][2] = {
		{"name", cv_str(p, "name")}, {"vendor", vendor}, {"version", version},
		{"cpe", cv_str(h, "cpe")}, {"purl", cv_str(h, "purl")},
	};
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		if (!vd_str_empty(vals[i][1]))
			json_object_set_new(o, vals[i][0], json_string(vals[i][1]));
	json_object_set_new(cd->products, pid, o);
}

static void walk_branches(csaf_doc *cd, const json_t *branches, const char *vendor, const char *version,
                          int depth);

/* product_version_range given as a vers string: kept in `vers`. */
static void put_range(csaf_doc *cd, const json_t *p, const char *range)
{
	json_t *o = json_object_get(cd->products, cv_str(p, "product_id") ? cv_str(p, "product_id") : "");
	if (o && range && strncmp(range, "vers:", 5) == 0 && !json_object_get(o, "vers"))
		json_object_set_new(o, "vers", json_string(range));
}

static void walk_branches(csaf_doc *cd, const json_t *branches, const char *vendor, const char *version,
                          int depth)
{
	if (depth > TREE_DEPTH)
		return;
	size_t i;
	json_t *b;
	json_array_foreach(branches, i, b) {
		const char *cat = cv_str(b, "category"), *name = cv_str(b, "name");
		const char *v = vendor, *ver = version;
		if (cat && name && strcmp(cat, "vendor") == 0)
			v = name;
		if (cat && name && strcmp(cat, "product_version") == 0)
			ver = name;
		const json_t *p = json_object_get(b, "product");
		if (json_is_object(p)) {
			put_product(cd, p, v, ver);
			if (cat && strcmp(cat, "product_version_range") == 0)
				put_range(cd, p, name);
		}
		walk_branches(cd, json_object_get(b, "branches"), v, ver, depth + 1);
	}
}

static void build_products(csaf_doc *cd)
{
	const json_t *pt = json_object_get(cd->doc, "product_tree");
	walk_branches(cd, json_object_get(pt, "branches"), NULL, NULL, 0);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(pt, "full_product_names"), i, p)
		put_product(cd, p, NULL, NULL);
	json_array_foreach(json_object_get(pt, "relationships"), i, p) {
		const json_t *fpn = json_object_get(p, "full_product_name");
		if (json_is_object(fpn))
			put_product(cd, fpn, NULL, NULL);
	}
}

static bool vuln_id_like(const char *s)
{
	static const char *pre[] = {"CVE-", "GHSA-", "CNVD-", "CNNVD-", "PYSEC-", "GO-", "RUSTSEC-", "OSV-"};
	if (!s || strlen(s) > 64 || strchr(s, ' '))
		return false;
	for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
		if (strncmp(s, pre[i], strlen(pre[i])) == 0)
			return pre[i][0] != 'C' || pre[i][1] != 'V' || cv_cve_id_ok(s);
	return false;
}

static void set_text(vd_record *r, vd_text *t, const char *lang, const char *s, const char *field)
{
	if (vd_str_empty(s))
		return;
	vd_record_set_text(r, t, lang, s);
	char f[40];
	snprintf(f, sizeof f, "%s.%s", field, lang);
	prov(r, f);
}

/* Notes of one category joined by blank lines; NULL when none (caller frees). */
static char *join_notes(const json_t *notes, const char *category)
{
	vd_buf b;
	vd_buf_init(&b, TEXT_MAX);
	size_t i;
	json_t *n;
	json_array_foreach(notes, i, n) {
		const char *c = cv_str(n, "category"), *t = cv_str(n, "text");
		if (!c || strcmp(c, category) != 0 || vd_str_empty(t))
			continue;
		if ((b.len && vd_buf_adds(&b, "\n\n")) || vd_buf_adds(&b, t))
			break;
	}
	char *s = b.len ? vd_buf_detach(&b) : NULL;
	vd_buf_free(&b);
	return s;
}

static int add_affected(vd_record *r, csaf_doc *cd, const json_t *status)
{
	static const char *lists[] = {"known_affected", "first_affected", "last_affected", "under_investigation"};
	int n = 0;
	for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
		size_t i;
		json_t *pid;
		json_array_foreach(json_object_get(status, lists[l]), i, pid) {
			const char *id = json_string_value(pid);
			if (vd_str_empty(id) || r->n_affected >= MAX_AFFECTED)
				continue;
			const json_t *p = json_object_get(cd->products, id);
			const char *name = cv_str(p, "name");
			size_t before = r->n_affected;
			/* products of the same name and vendor share one entry (the
			 * merge would fold them anyway) */
			vd_affected *a = cv_affected_for(r, cv_str(p, "vendor"), name ? name : id, SRC);
			if (!a)
				return vd_error_set(VD_ENOMEM, "out of memory converting CSAF record");
			if (r->n_affected > before) {
				a->default_status = vd_record_str(r, lists[l]);
				a->purl = vd_record_str(r, cv_str(p, "purl"));
				a->vers = vd_record_str(r, cv_str(p, "vers"));
				n++;
			}
			if (cv_str(p, "cpe"))
				vd_affected_add_cpe(r, a, cv_str(p, "cpe"));
			if (cv_str(p, "version"))
				cv_add_version(r, a, cv_str(p, "version"));
		}
	}
	return n;
}

static int add_refs(vd_record *r, const json_t *refs)
{
	int n = 0;
	size_t i;
	json_t *e;
	json_array_foreach(refs, i, e) {
		const char *url = cv_str(e, "url"), *cat = cv_str(e, "category");
		if (vd_str_empty(url))
			continue;
		if (vd_record_add_ref(r, url, cat && strcmp(cat, "self") == 0 ? "advisory" : "web", SRC))
			n++;
	}
	return n;
}

static int add_solution(vd_record *r, const json_t *rems, const char *lang)
{
	vd_buf b;
	vd_buf_init(&b, TEXT_MAX);
	size_t i;
	json_t *e;
	int rc = VD_OK;
	json_array_foreach(rems, i, e) {
		const char *d = cv_str(e, "details"), *url = cv_str(e, "url"), *cat = cv_str(e, "category");
		if (vd_str_empty(d))
			continue;
		vd_buf one;
		vd_buf_init(&one, TEXT_MAX);
		if (cat)
			vd_buf_printf(&one, "%s: ", cat);
		vd_buf_adds(&one, d);
		if (!vd_str_empty(url))
			vd_buf_printf(&one, " %s", url);
		const char *s = vd_buf_str(&one);
		bool dup = b.len && strstr(vd_buf_str(&b), s) != NULL;
		if (!dup && ((b.len && (rc = vd_buf_adds(&b, "\n\n"))) || (rc = vd_buf_adds(&b, s)))) {
			vd_buf_free(&one);
			break;
		}
		vd_buf_free(&one);
	}
	if (b.len && rc == VD_OK)
		set_text(r, &r->solution, lang, vd_buf_str(&b), "solution");
	vd_buf_free(&b);
	return VD_OK;
}

static int convert(vd_record *r, csaf_doc *cd, const json_t *v, size_t index)
{
	const json_t *doc = json_object_get(cd->doc, "document");
	const json_t *tr = json_object_get(doc, "tracking");
	const char *tid = cv_str(tr, "id");
	const char *cve = cv_str(v, "cve");
	char idbuf[300];
	const char *id = NULL;
	if (cv_cve_id_ok(cve))
		id = cve;
	const json_t *ids = json_object_get(v, "ids");
	if (!id && !vd_str_empty(cv_str(json_array_get(ids, 0), "text")))
		id = cv_str(json_array_get(ids, 0), "text");
	if (!id && !vd_str_empty(tid)) {
		if (cd->n_vulns == 1)
			snprintf(idbuf, sizeof idbuf, "%.250s", tid);
		else
			snprintf(idbuf, sizeof idbuf, "%.250s#%zu", tid, index + 1);
		id = idbuf;
	}
	if (!id)
		return vd_error_set(VD_EINVAL, "csaf: vulnerabilities[%zu]: no cve, ids or document.tracking.id", index);
	r->id = cv_trim(r, id);
	if (!r->id)
		return vd_error_set(VD_EINVAL, "csaf: vulnerabilities[%zu]: empty id", index);
	r->state = VD_STATE_PUBLISHED;
	r->modified = vd_time_normalize(r->arena, cv_str(tr, "current_release_date"));
	r->published = vd_time_normalize(r->arena, cv_str(v, "release_date"));
	if (!r->published)
		r->published = vd_time_normalize(r->arena, cv_str(tr, "initial_release_date"));
	vd_record_add_alias(r, r->id, SRC);
	if (cv_cve_id_ok(cve))
		vd_record_add_alias(r, cve, SRC);
	/* one advisory per CVE may come from several vendors: keep each */
	if (!vd_str_empty(tid) && strcmp(tid, r->id) != 0) {
		r->source_key = vd_arena_printf(r->arena, "%.200s/%.200s", tid, r->id);
		vd_record_add_alias(r, tid, SRC);
	}
	size_t i;
	json_t *e;
	json_array_foreach(ids, i, e)
		if (vuln_id_like(cv_str(e, "text")))
			vd_record_add_alias(r, cv_str(e, "text"), SRC);
	prov(r, "state");
	prov(r, "aliases");
	if (r->modified)
		prov(r, "modified");
	if (r->published)
		prov(r, "published");
	if ((r->publisher = vd_record_str(r, cv_str(json_object_get(doc, "publisher"), "name"))))
		prov(r, "publisher");
	const char *title = cv_str(v, "title");
	if (vd_str_empty(title) && cd->n_vulns == 1)
		title = cv_str(doc, "title");
	set_text(r, &r->title, cd->lang, title, "title");
	const json_t *notes = json_object_get(v, "notes");
	char *desc = join_notes(notes, "description");
	if (!desc)
		desc = join_notes(notes, "summary");
	if (!desc)
		desc = join_notes(notes, "general");
	set_text(r, &r->description, cd->lang, desc, "description");
	free(desc);
	const char *cwe = cv_str(json_object_get(v, "cwe"), "id");
	if (cwe && strncmp(cwe, "CWE-", 4) == 0 && vd_record_add_cwe(r, cwe))
		prov(r, "cwes");
	int n = 0;
	json_array_foreach(json_object_get(v, "scores"), i, e) {
		static const struct { const char *key, *ver; } k[] = {{"cvss_v3", NULL}, {"cvss_v2", "2.0"}};
		for (size_t j = 0; j < 2; j++) {
			const json_t *c = json_object_get(e, k[j].key);
			const char *vec = cv_str(c, "vectorString");
			if (vd_str_empty(vec))
				continue;
			const char *ver = k[j].ver ? k[j].ver : cv_str(c, "version");
			if (!ver)
				ver = strncmp(vec, "CVSS:3.0/", 9) == 0 ? "3.0" : "3.1";
			const json_t *bs = json_object_get(c, "baseScore");
			double base = json_is_number(bs) ? json_number_value(bs) : -1.0;
			if (!(base >= 0.0 && base <= 10.0))
				base = -1.0;
			if (vd_record_add_score(r, ver, vec, base, cv_str(c, "baseSeverity"), SRC))
				n++;
		}
	}
	if (n)
		prov(r, "scores");
	int na = add_affected(r, cd, json_object_get(v, "product_status"));
	if (na < 0)
		return na;
	if (na)
		prov(r, "affected");
	add_solution(r, json_object_get(v, "remediations"), cd->lang);
	if (add_refs(r, json_object_get(v, "references")) + add_refs(r, json_object_get(doc, "references")))
		prov(r, "references");
	n = 0;
	json_array_foreach(json_object_get(v, "acknowledgments"), i, e) {
		size_t k;
		json_t *nm;
		const json_t *names = json_object_get(e, "names");
		json_array_foreach(names, k, nm)
			n += vd_record_add_credit(r, json_string_value(nm), NULL, SRC) != NULL;
		if (json_array_size(names) == 0 && cv_str(e, "organization"))
			n += vd_record_add_credit(r, cv_str(e, "organization"), NULL, SRC) != NULL;
	}
	if (n)
		prov(r, "credits");
	return vd_record_validate(r);
}

int vd_csaf_to_records(json_t *doc, vd_record_cb cb, void *ctx,
                       void (*bad)(void *ctx, long index, const char *reason))
{
	if (!json_is_object(doc))
		return vd_error_set(VD_EINVAL, "csaf: (document): expected a JSON object, got %s",
		                    doc ? cv_type_name(doc) : "nothing");
	const json_t *d = json_object_get(doc, "document");
	if (!json_is_object(d))
		return vd_error_set(VD_EINVAL, "csaf: document: missing or not an object");
	const char *ver = cv_str(d, "csaf_version");
	if (!ver)
		return vd_error_set(VD_EINVAL, "csaf: document.csaf_version: missing");
	if (strcmp(ver, "2.0") != 0)
		return vd_error_set(VD_EUNSUPPORTED, "csaf: document.csaf_version: '%.20s' is not supported (2.0)", ver);
	const json_t *vs = json_object_get(doc, "vulnerabilities");
	if (vs && !json_is_array(vs))
		return vd_error_set(VD_EINVAL, "csaf: vulnerabilities: expected an array, got %s", cv_type_name(vs));
	if (json_array_size(vs) == 0)
		return vd_error_set(VD_EINVAL, "csaf: the document has no vulnerabilities (nothing to import)");
	csaf_doc cd = {json_object(), doc, "en", json_array_size(vs)};
	if (!cd.products)
		return vd_error_set(VD_ENOMEM, "out of memory converting CSAF document");
	const char *lang = cv_str(d, "lang");
	if (cv_lang_rank(lang, "zh"))
		cd.lang = "zh";
	build_products(&cd);
	int rc = VD_OK;
	size_t i;
	json_t *v;
	json_array_foreach(vs, i, v) {
		vd_record *r = vd_record_new();
		if (!r) {
			rc = vd_error_set(VD_ENOMEM, "out of memory converting CSAF document");
			break;
		}
		int crc = json_is_object(v) ? convert(r, &cd, v, i)
		                            : vd_error_set(VD_EINVAL, "csaf: vulnerabilities[%zu]: not an object", i);
		if (crc == VD_ENOMEM) {
			vd_record_free(r);
			rc = crc;
			break;
		}
		if (crc) {
			vd_record_free(r);
			if (bad)
				bad(ctx, (long)i, vd_error_msg());
			continue;
		}
		if ((rc = cb(ctx, r)))
			break;
	}
	json_decref(cd.products);
	return rc;
}
