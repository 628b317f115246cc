/* SBOM → findings (issue 8).  See vd_service_match in vulnd/service.h.
 *
 * For each component:
 *  1. the version: the purl's version, else the component's version;
 *  2. candidates: by the purl without version and qualifiers (entries that
 *     carry a purl), then by OSV ecosystem + package from the purl (the OSV
 *     importers keep no purl for most entries).  Package names are compared
 *     case-insensitively, except in ecosystems whose names are
 *     case-sensitive (crates.io, RubyGems, Hackage, Pub); PyPI names by PEP
 *     503 (case, and runs of - _ . alike).  A purl "distro" qualifier
 *     ("debian-12", "alpine-3.18") keeps entries of that release (and
 *     entries without a release);
 *  3. only when that found no candidate entry (or there is no purl): by
 *     each CPE, through the index of the entries' CPEs by vendor:product;
 *  4. each candidate entry is decoded and evaluated: vd_affected_contains
 *     for package matches; for CPE matches the entry's CPE must match the
 *     component's (version aside when the entry has ranges or versions,
 *     which then decide; otherwise the CPE's own version decides);
 *  5. one finding per (component, record), with the record's aliases, grade
 *     and the lowest fixed version above the tested one;
 *  6. VEX: statements of the run's documents, then the stored ones, keyed
 *     by product (purl with version, purl without version, CPE, bom-ref)
 *     and vulnerability (the record id or any alias).
 */
#include "service_int.h"
#include "vulnd/error.h"
#include "vulnd/match.h"
#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_CANDIDATES 20000   /* per component: more is a key that matches everything */

typedef struct {
	char *record_id;
	int idx;
	char *grade;
	char *affected;          /* JSON */
	size_t len;
	char how;                /* 'u' purl, 'p' package, 'c' cpe */
} cand;

typedef struct {
	cand *v;
	size_t n, cap;
	vd_arena *ar;
	const char *pkg_norm;    /* for the package filter */
	const char *eco;
	const char *release;     /* distro release wanted, or NULL */
	char how;
	int rc;
} cand_list;

/* PEP 503 normalisation into out (lower case, runs of -_. → -). */
static void pep503(const char *s, char *out, size_t n)
{
	size_t k = 0;
	bool sep = false;
	for (; *s && k + 1 < n; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			sep = true;
			continue;
		}
		if (sep && k)
			out[k++] = '-';
		sep = false;
		if (k + 1 < n)
			out[k++] = (char)tolower((unsigned char)*s);
	}
	out[k] = 0;
}

static bool case_sensitive_eco(const char *eco)
{
	return !strcasecmp(eco, "crates.io") || !strcasecmp(eco, "RubyGems") || !strcasecmp(eco, "Hackage") ||
	       !strcasecmp(eco, "Pub");
}

/* Does an entry's package name (from the JSON) equal the wanted one? */
static bool pkg_equal(const char *eco, const char *want, const char *got)
{
	if (!got)
		return false;
	if (!strcasecmp(eco, "PyPI")) {
		char a[512], b[512];
		pep503(want, a, sizeof a);
		pep503(got, b, sizeof b);
		return !strcmp(a, b);
	}
	return case_sensitive_eco(eco) ? !strcmp(want, got) : !strcasecmp(want, got);
}

static int cand_cb(void *ctx, const vd_match_row *r)
{
	cand_list *l = ctx;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].idx == r->idx && !strcmp(l->v[i].record_id, r->record_id))
			return VD_OK;
	if (l->n >= MAX_CANDIDATES)
		return VD_OK;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		cand *nv = realloc(l->v, nc * sizeof *nv);
		if (!nv)
			return l->rc = vd_error_set(VD_ENOMEM, "match: out of memory");
		l->v = nv;
		l->cap = nc;
	}
	cand *c = &l->v[l->n];
	c->record_id = vd_arena_strdup(l->ar, r->record_id);
	c->idx = r->idx;
	c->grade = vd_arena_strdup(l->ar, r->grade);
	c->affected = vd_arena_strndup(l->ar, r->affected, r->affected_len);
	c->len = r->affected_len;
	c->how = l->how;
	if (!c->record_id || !c->affected)
		return l->rc = vd_error_set(VD_ENOMEM, "match: out of memory");
	l->n++;
	return VD_OK;
}

/* Entry size bounds for matching. */
static const vd_affected_limits match_limits = {4096, 1u << 20, 1u << 20, 4096};

/* Lowest fixed version above v in the entry's ranges (arena copy) or NULL. */
static const char *lowest_fixed(vd_arena *ar, const vd_affected *a, const char *v)
{
	const char *best = NULL;
	vd_scheme bs = VD_SCHEME_GENERIC;
	for (size_t i = 0; i < a->n_ranges; i++) {
		vd_scheme sc;
		if (vd_range_scheme(a->ecosystem, a->ranges[i].type, &sc))
			continue;
		for (size_t e = 0; e < a->ranges[i].n_events; e++) {
			const vd_event *ev = &a->ranges[i].events[e];
			int cmp;
			if (ev->kind != VD_EV_FIXED || !ev->value || vd_version_compare(sc, v, ev->value, &cmp) || cmp >= 0)
				continue;
			if (!best || (bs == sc && !vd_version_compare(sc, ev->value, best, &cmp) && cmp < 0)) {
				best = ev->value;
				bs = sc;
			}
		}
	}
	vd_error_clear();
	return best ? vd_arena_strdup(ar, best) : NULL;
}

/* "vendor:product" of a CPE in the formatted-string binding, lower case
 * (escapes kept, as they are stored). */
static int cpe_key(const vd_cpe *t, char *out, size_t n)
{
	char *fs = NULL;
	if (vd_cpe_format(t, &fs))
		return VD_EINVAL;
	int field = 0;   /* cpe:2.3:part:vendor:product:... → fields 3 and 4 */
	size_t k = 0;
	for (const char *p = fs; *p && field < 5 && k + 2 < n; p++) {
		if (*p == ':') {
			if (++field == 4)
				out[k++] = ':';
			continue;
		}
		bool esc = *p == '\\' && p[1];
		if (field == 3 || field == 4) {
			out[k++] = (char)tolower((unsigned char)*p);
			if (esc)
				out[k++] = (char)tolower((unsigned char)*++p);
		} else if (esc) {
			p++;
		}
	}
	out[k] = 0;
	free(fs);
	return k > 1 ? VD_OK : VD_EINVAL;
}

/* Does a CPE-found entry match the target (with version)? */
static int cpe_entry_hit(const vd_affected *a, vd_cpe *t, const char *version, bool *hit)
{
	*hit = false;
	bool ranged = a->n_ranges || a->n_versions || a->vers;
	for (size_t i = 0; i < a->n_cpes && !*hit; i++) {
		vd_cpe *crit = NULL;
		if (vd_cpe_parse(a->cpes[i], &crit))
			continue;
		if (ranged) {
			vd_cpe_attr save = crit->a[VD_CPE_VERSION];
			crit->a[VD_CPE_VERSION] = (vd_cpe_attr){.kind = VD_CPE_ANY};
			bool name_ok = vd_cpe_matches(crit, t);
			crit->a[VD_CPE_VERSION] = save;
			if (name_ok) {
				bool in = false;
				int rc = version ? vd_affected_contains(a, version, &in) : VD_EUNSUPPORTED;
				if (rc) {
					vd_cpe_free(crit);
					return rc;
				}
				*hit = in;
			}
		} else {
			*hit = vd_cpe_matches(crit, t);
		}
		vd_cpe_free(crit);
	}
	vd_error_clear();
	return VD_OK;
}

/* ---- VEX lookup ---- */

typedef struct {
	vd_vex_state st;
	const char *just, *detail, *source;
} vex_hit;

static bool id_in(const char *id, const char *const *ids, size_t n)
{
	for (size_t i = 0; id && i < n; i++)
		if (ids[i] && !strcasecmp(id, ids[i]))
			return true;
	return false;
}

/* Normalised purl with (keep_version) or without version, qualifiers, subpath. */
static char *purl_norm(const char *purl, bool keep_version)
{
	vd_purl *p = NULL;
	if (!purl || vd_purl_parse(purl, &p))
		return NULL;
	if (!keep_version)
		p->version = NULL;
	p->n_quals = 0;
	p->subpath = NULL;
	char *s = NULL;
	if (vd_purl_format(p, &s))
		s = NULL;
	vd_purl_free(p);
	return s;
}

/* A statement of a run's document about this component and vulnerability? */
static bool vex_doc_find(const vd_sbom *d, const vd_sbom_component *c, const char *purl_v, const char *purl_b,
                         const char *const *ids, size_t n_ids, vex_hit *h)
{
	for (size_t i = 0; i < d->n_vex; i++) {
		const vd_vex_stmt *v = &d->vex[i];
		bool vuln = id_in(v->vuln_id, ids, n_ids);
		for (size_t k = 0; !vuln && k < v->n_aliases; k++)
			vuln = id_in(v->aliases[k], ids, n_ids);
		if (!vuln)
			continue;
		bool prod = false;
		if (v->purl && purl_v) {
			char *sv = purl_norm(v->purl, true);
			/* a statement purl without version covers every version */
			prod = sv && (!strcmp(sv, purl_v) || (purl_b && !strcmp(sv, purl_b)));
			free(sv);
		} else if (v->cpe) {
			for (size_t k = 0; k < c->n_cpes && !prod; k++)
				prod = !strcasecmp(v->cpe, c->cpes[k]);
		} else if (v->ref && c->ref) {
			prod = !strcmp(v->ref, c->ref);
		} else if (v->name && c->name && !strcmp(v->name, c->name)) {
			prod = !v->version || (c->version && !strcmp(v->version, c->version));
		}
		if (prod) {
			*h = (vex_hit){v->state, v->justification, v->detail, "document"};
			return true;
		}
	}
	return false;
}

typedef struct {
	vex_hit *h;
	vd_arena *ar;
	bool found;
} vex_get_ctx;

static int vex_row_cb(void *ctx, const vd_vex_row *r)
{
	vex_get_ctx *c = ctx;
	vd_vex_state st;
	if (vd_vex_state_parse(r->state, &st)) {
		vd_error_clear();
		return VD_OK;
	}
	*c->h = (vex_hit){st, vd_arena_strdup(c->ar, r->justification), vd_arena_strdup(c->ar, r->detail),
	                  vd_arena_strdup(c->ar, r->source)};
	c->found = true;
	return 1;
}

/* ---- the match ---- */

typedef struct {
	char **v;
	size_t n, cap;
	vd_arena *ar;
} alias_list;

static int alias_cb(void *ctx, const char *a)
{
	alias_list *l = ctx;
	if (l->n >= 256)
		return 1;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		char **nv = vd_arena_alloc(l->ar, nc * sizeof *nv);
		if (!nv)
			return vd_error_set(VD_ENOMEM, "match: out of memory");
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof *nv);
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = vd_arena_strdup(l->ar, a);
	return VD_OK;
}

static int grade_slot(const char *g)
{
	if (!g)
		return 4;
	static const char *names[] = {"critical", "high", "medium", "low"};
	for (int i = 0; i < 4; i++)
		if (!strcasecmp(g, names[i]))
			return i;
	return 4;
}

typedef struct {
	vd_service *s;
	vd_view view;
	const vd_sbom *sbom;
	const vd_match_opts *o;
	int (*cb)(void *ctx, const vd_finding *f);
	void *ctx;
	vd_match_stats *st;
	bool stored_vex;         /* the store has VEX statements to look at */
} mctx;

static int lookup(mctx *m, cand_list *l, const vd_match_key *k, char how)
{
	l->how = how;
	int rc = m->s->store->ops->match_candidates(m->s->store, k, cand_cb, l);
	return rc ? rc : l->rc;
}

/* Keep candidates of the package path whose entry really names the package
 * (and the distro release); drop the others. */
static bool pkg_ok(const cand_list *l, const vd_affected *a)
{
	if (!l->pkg_norm || !a->ecosystem)
		return true;
	if (!pkg_equal(l->eco, l->pkg_norm, a->package))
		return false;
	const char *colon = strchr(a->ecosystem, ':');
	if (l->release && colon && !strstr(l->release, colon + 1) && !strstr(colon + 1, l->release))
		return false;
	return true;
}

static int match_one(mctx *m, size_t ci, vd_arena *ar)
{
	const vd_sbom_component *c = &m->sbom->comps[ci];
	vd_match_stats *st = m->st;
	vd_purl *p = NULL;
	char *purl_v = NULL, *purl_b = NULL, *pkg = NULL;
	const char *version = c->version;
	cand_list l = {.ar = ar};
	int rc = VD_OK;
	bool inc = m->view == VD_VIEW_ALL;

	if (c->purl && vd_purl_parse(c->purl, &p) == VD_OK) {
		if (p->version)
			version = p->version;
		purl_v = purl_norm(c->purl, true);
		purl_b = purl_norm(c->purl, false);
	}
	vd_error_clear();
	if (!p && !c->n_cpes)
		goto out;
	st->matchable++;
	if (!version)
		goto out;   /* nothing to test a range with */
	if (p) {
		if (purl_b && (rc = lookup(m, &l, &(vd_match_key){.include_unpublished = inc, .purl = purl_b}, 'u')))
			goto out;
		const char *eco = NULL;
		if (vd_purl_to_osv(p, &eco, &pkg) == VD_OK && eco && pkg) {
			l.eco = eco;
			l.pkg_norm = pkg;
			l.release = vd_purl_qualifier_get(p, "distro");
			if (l.release && strchr(l.release, '-'))
				l.release = strrchr(l.release, '-') + 1;
			if ((rc = lookup(m, &l, &(vd_match_key){.include_unpublished = inc, .ecosystem = eco, .package = pkg}, 'p')))
				goto out;
			if (!strcasecmp(eco, "PyPI") && strpbrk(pkg, "-_.")) {
				/* the stored name may use another separator */
				char alt[512];
				for (int v = 0; v < 3; v++) {
					snprintf(alt, sizeof alt, "%s", pkg);
					for (char *q = alt; *q; q++)
						if (*q == '-' || *q == '_' || *q == '.')
							*q = "-_."[v];
					if (strcmp(alt, pkg) && (rc = lookup(m, &l, &(vd_match_key){.include_unpublished = inc,
					                                                                  .ecosystem = eco, .package = alt}, 'p')))
						goto out;
				}
			}
		}
		vd_error_clear();
	}
	/* CPEs: only when the purl found nothing */
	vd_cpe *targets[16] = {0};
	size_t nt = 0;
	if (!l.n) {
		for (size_t k = 0; k < c->n_cpes && nt < 16; k++) {
			vd_cpe *t = NULL;
			if (vd_cpe_parse(c->cpes[k], &t))
				continue;
			if (t->a[VD_CPE_VERSION].kind != VD_CPE_VALUE && version) {
				t->a[VD_CPE_VERSION] = (vd_cpe_attr){.kind = VD_CPE_VALUE,
				                                      .value = vd_arena_strdup(ar, version)};
			}
			char key[600];
			if (t->a[VD_CPE_VENDOR].kind != VD_CPE_VALUE || t->a[VD_CPE_PRODUCT].kind != VD_CPE_VALUE ||
			    cpe_key(t, key, sizeof key)) {
				vd_cpe_free(t);
				continue;
			}
			targets[nt++] = t;
			if ((rc = lookup(m, &l, &(vd_match_key){.include_unpublished = inc, .cpe_prefix = key}, 'c')))
				break;
		}
		vd_error_clear();
	}
	/* evaluate */
	const char *done_ids[64];
	size_t n_done = 0;
	bool any = false;
	for (size_t i = 0; i < l.n && !rc; i++) {
		cand *cd = &l.v[i];
		st->candidates++;
		bool dup = false;
		for (size_t k = 0; k < n_done && !dup; k++)
			dup = !strcmp(done_ids[k], cd->record_id);
		if (dup)
			continue;
		vd_affected_view av;
		if (vd_affected_view_load(&av, cd->affected, cd->len, &match_limits)) {
			st->unevaluable++;
			vd_error_clear();
			continue;
		}
		const vd_affected *a = &av.a;
		bool hit = false;
		int erc;
		if (cd->how == 'c') {
			erc = VD_OK;
			for (size_t k = 0; k < nt && !hit && !erc; k++)
				erc = cpe_entry_hit(a, targets[k], version, &hit);
		} else if (cd->how == 'p' && !pkg_ok(&l, a)) {
			vd_affected_view_free(&av);
			continue;
		} else {
			erc = vd_affected_contains(a, version, &hit);
		}
		if (erc) {
			st->unevaluable++;
			vd_error_clear();
			vd_affected_view_free(&av);
			continue;
		}
		if (!hit) {
			vd_affected_view_free(&av);
			continue;
		}
		if (n_done < 64)
			done_ids[n_done++] = cd->record_id;
		/* a finding */
		alias_list al = {.ar = ar};
		rc = m->s->store->ops->record_aliases(m->s->store, cd->record_id, alias_cb, &al);
		if (rc == 1)
			rc = VD_OK;
		const char *fixed = lowest_fixed(ar, a, version);
		const char *eco = vd_arena_strdup(ar, a->ecosystem), *pk = vd_arena_strdup(ar, a->package);
		vd_affected_view_free(&av);
		if (rc)
			break;
		const char **ids = vd_arena_alloc(ar, (al.n + 1) * sizeof *ids);
		if (!ids) {
			rc = vd_error_set(VD_ENOMEM, "match: out of memory");
			break;
		}
		ids[0] = cd->record_id;
		for (size_t k = 0; k < al.n; k++)
			ids[k + 1] = al.v[k];
		vex_hit vh = {VD_VEX_NONE, NULL, NULL, NULL};
		bool found = false;
		for (size_t d = 0; m->o && d < m->o->n_vex && !found; d++)
			if (m->o->vex[d])
				found = vex_doc_find(m->o->vex[d], c, purl_v, purl_b, ids, al.n + 1, &vh);
		if (!found && m->stored_vex) {
			vex_get_ctx g = {&vh, ar, false};
			const char *keys[3 + 16];
			size_t nk = 0;
			if (purl_v)
				keys[nk++] = purl_v;
			if (purl_b)
				keys[nk++] = purl_b;
			for (size_t k = 0; k < c->n_cpes && nk < 18; k++)
				keys[nk++] = c->cpes[k];
			if (c->ref)
				keys[nk++] = c->ref;
			for (size_t k = 0; k < nk && !g.found && !rc; k++) {
				rc = m->s->store->ops->vex_get(m->s->store, keys[k], ids, al.n + 1, vex_row_cb, &g);
				if (rc == 1)
					rc = VD_OK;
			}
			if (rc)
				break;
		}
		vd_finding f = {
			.component = ci, .comp = c, .version = version, .purl = purl_v, .vuln_id = cd->record_id,
			.aliases = (const char *const *)al.v, .n_aliases = al.n, .grade = cd->grade, .fixed = fixed,
			.matched_by = cd->how == 'u' ? "purl" : cd->how == 'p' ? "package" : "cpe",
			.ecosystem = eco, .package = pk, .vex = vh.st, .vex_justification = vh.just,
			.vex_detail = vh.detail, .vex_source = vh.source, .suppressed = !vd_vex_keeps(vh.st),
		};
		if (f.suppressed) {
			st->suppressed++;
			if (!(m->o && m->o->report_suppressed))
				continue;
		} else {
			st->findings++;
			st->by_severity[grade_slot(f.grade)]++;
			any = true;
		}
		if ((rc = m->cb(m->ctx, &f)) != 0)
			break;
	}
	if (any)
		st->with_findings++;
	for (size_t k = 0; k < nt; k++)
		vd_cpe_free(targets[k]);
out:
	free(l.v);
	free(purl_v);
	free(purl_b);
	free(pkg);
	vd_purl_free(p);
	return rc;
}

int vd_service_match(vd_service *s, vd_view view, const vd_sbom *sbom, const vd_match_opts *o,
                     int (*cb)(void *ctx, const vd_finding *f), void *ctx, vd_match_stats *st)
{
	vd_match_stats local;
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!s || !sbom || !cb)
		return vd_error_set(VD_EINVAL, "match: needs a service, an SBOM and a callback");
	if (!s->store->ops->match_candidates || !s->store->ops->record_aliases)
		return vd_error_set(VD_EUNSUPPORTED, "the %s store backend cannot match SBOMs", s->store->ops->name);
	mctx m = {s, view, sbom, o, cb, ctx, st, false};
	uint64_t nvex = 0;
	if (!(o && o->no_stored_vex) && s->store->ops->vex_get && s->store->ops->vex_count) {
		int vrc = s->store->ops->vex_count(s->store, &nvex);
		if (vrc)
			return vrc;
		m.stored_vex = nvex > 0;   /* none stored: no lookups per finding */
	}
	st->components = sbom->n_comps;
	/* one read snapshot for the whole SBOM (outside a caller's transaction) */
	bool snap = s->store->ops->read_snapshot && s->store->ops->read_snapshot(s->store, true) == VD_OK;
	vd_error_clear();
	int rc = VD_OK;
	for (size_t i = 0; i < sbom->n_comps && !rc; i++) {
		vd_arena *ar = vd_arena_new(16 * 1024);
		if (!ar) {
			rc = vd_error_set(VD_ENOMEM, "match: out of memory");
			break;
		}
		rc = match_one(&m, i, ar);
		vd_arena_free(ar);
	}
	if (snap) {
		int erc = s->store->ops->read_snapshot(s->store, false);
		if (!rc)
			rc = erc;
	}
	return rc;
}

int vd_service_vex_store(vd_service *s, const vd_sbom *vex, const char *source, size_t *stored,
                         size_t *skipped)
{
	size_t ns = 0, nk = 0;
	if (stored)
		*stored = 0;
	if (skipped)
		*skipped = 0;
	if (!s || !vex)
		return vd_error_set(VD_EINVAL, "vex: needs a service and a document");
	if (!s->store->ops->vex_put)
		return vd_error_set(VD_EUNSUPPORTED, "the %s store backend cannot store VEX statements",
		                    s->store->ops->name);
	char now[32];
	vd_time_format(vd_time_now(), now, sizeof now);
	int rc = vd_store_begin(s->store);
	for (size_t i = 0; i < vex->n_vex && !rc; i++) {
		const vd_vex_stmt *v = &vex->vex[i];
		char *np = v->purl ? purl_norm(v->purl, true) : NULL;
		const char *product = np ? np : v->cpe ? v->cpe : v->ref;
		if (!product || !v->vuln_id || v->state == VD_VEX_NONE) {
			nk++;
			free(np);
			continue;
		}
		vd_vex_row row = {product, v->vuln_id, vd_vex_state_name(v->state), v->justification, v->detail,
		                  v->response, source, now};
		rc = s->store->ops->vex_put(s->store, &row);
		free(np);
		ns += rc == VD_OK;
	}
	if (rc) {
		vd_store_rollback(s->store);
		return rc;
	}
	if ((rc = vd_store_commit(s->store)))
		return rc;
	if (stored)
		*stored = ns;
	if (skipped)
		*skipped = nk;
	return VD_OK;
}
