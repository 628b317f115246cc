/* Reports and cases: intake, the duplicate check, every step of the state
 * table (src/workflow/case.c), the unpublished record and publication,
 * attachments, the case thread and the clocks.  docs/workflow.md. */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include "vulnd/cvss.h"
#include "vulnd/gbt30279.h"
#include "auth_int.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- configuration ---- */

void vd_case_config_defaults(vd_case_config *cfg, const char *db_path)
{
	memset(cfg, 0, sizeof *cfg);
	if (db_path && *db_path && strcmp(db_path, ":memory:") != 0 && strncmp(db_path, "postgresql:", 11) != 0 &&
	    strlen(db_path) + 13 < sizeof cfg->attach_dir)
		snprintf(cfg->attach_dir, sizeof cfg->attach_dir, "%s.attachments", db_path);
	cfg->attach_max = VD_ATTACH_MAX_DEFAULT;
}

void vd_service_case_configure(vd_service *s, const vd_case_config *cfg)
{
	memset(&s->cases, 0, sizeof s->cases);
	if (cfg)
		s->cases = *cfg;
}

/* ---- input checks ---- */

/* Long text: newlines and tabs allowed, other control characters not. */
static int check_long(const char *field, const char *v, size_t max, bool required)
{
	if (!v || !*v)
		return required ? vd_error_set(VD_EINVAL, "%s is required", field) : VD_OK;
	size_t n = strlen(v);
	if (n > max)
		return vd_error_set(VD_ETOOBIG, "%s is longer than %zu bytes", field, max);
	if (!vd_utf8_valid(v, n))
		return vd_error_set(VD_EINVAL, "%s is not valid UTF-8", field);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
			return vd_error_set(VD_EINVAL, "%s contains a control character", field);
	}
	if (required && vd_str_empty(v))
		return vd_error_set(VD_EINVAL, "%s is blank", field);
	return VD_OK;
}

static int check_short(const char *field, const char *v, size_t max, bool required)
{
	if (v && strlen(v) > max)
		return vd_error_set(VD_ETOOBIG, "%s is longer than %zu bytes", field, max);
	return vd_svc_check_text(field, v, max, required);
}

static int check_vector(const char *v)
{
	if (vd_str_empty(v))
		return VD_OK;
	if (strlen(v) > VD_CASE_VECTOR_MAX)
		return vd_error_set(VD_ETOOBIG, "vector is longer than %d bytes", VD_CASE_VECTOR_MAX);
	if (vd_gbt_is_vector(v)) {
		vd_gbt_vector g;
		if (vd_gbt_vector_parse(v, &g)) {
			vd_error_prefix("vector: ");
			return VD_EINVAL;
		}
		return VD_OK;
	}
	vd_cvss c;
	if (vd_cvss_parse_ex(v, VD_CVSS_ANY_ORDER, &c)) {
		vd_error_prefix("vector: ");
		return VD_EINVAL;
	}
	return VD_OK;
}

static int check_grade(const char *g)
{
	vd_gbt_grade x;
	if (vd_str_empty(g))
		return VD_OK;
	if (strlen(g) > 32 || vd_gbt_grade_parse(g, &x))
		return vd_error_set(VD_EINVAL, "grade must be critical, high, medium or low (超危/高危/中危/低危)");
	return VD_OK;
}

static int check_cwe(const char *c)
{
	if (vd_str_empty(c))
		return VD_OK;
	const char *p = strncasecmp(c, "CWE-", 4) == 0 ? c + 4 : c;
	long v;
	if (strlen(c) > 16 || vd_parse_long(p, 1, 99999, &v))
		return vd_error_set(VD_EINVAL, "cwe: expected CWE-NNN");
	return VD_OK;
}

static int check_cve(const char *c)
{
	if (vd_str_empty(c))
		return VD_OK;
	size_t n = strlen(c);
	if (n < 13 || n > 24 || strncasecmp(c, "CVE-", 4) != 0)
		return vd_error_set(VD_EINVAL, "cve: expected CVE-YYYY-NNNN");
	for (size_t i = 4; i < n; i++)
		if (!(c[i] >= '0' && c[i] <= '9') && !(i == 8 && c[i] == '-'))
			return vd_error_set(VD_EINVAL, "cve: expected CVE-YYYY-NNNN");
	return VD_OK;
}

/* File names: no path, no traversal, printable, bounded. */
static int check_attach_name(const char *name)
{
	int rc = vd_svc_check_text("attachment name", name, VD_ATTACH_NAME_MAX, true);
	if (rc)
		return rc;
	if (strchr(name, '/') || strchr(name, '\\') || name[0] == '.' || strstr(name, ".."))
		return vd_error_set(VD_EINVAL, "attachment name '%.60s': a plain file name without '/', '\\', '..' "
		                    "or a leading '.'", name);
	return VD_OK;
}

static const char *const attach_kinds[] = {"poc", "exploit", "screenshot", "document", "patch", NULL};

static int check_kind(const char *k)
{
	if (!k)
		return VD_OK;
	for (int i = 0; attach_kinds[i]; i++)
		if (strcmp(k, attach_kinds[i]) == 0)
			return VD_OK;
	return vd_error_set(VD_EINVAL, "attachment kind: poc, exploit, screenshot, document or patch");
}

/* ---- attachments on disk ---- */

static void sha256_hex(const void *p, size_t n, char out[VD_HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	for (size_t i = 0; i < sizeof h; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int attach_path(const vd_service *s, const char *sha, char *out, size_t n, bool mkdirs)
{
	const char *dir = s->cases.attach_dir;
	if (!dir[0])
		return vd_error_set(VD_EUNSUPPORTED, "attachments are not enabled (no attachment directory configured)");
	if (mkdirs) {
		if (mkdir(dir, 0700) && errno != EEXIST)
			return vd_error_set(VD_EIO, "attachments: cannot create %s: %s", dir, strerror(errno));
		char sub[1100];
		snprintf(sub, sizeof sub, "%s/%.2s", dir, sha);
		if (mkdir(sub, 0700) && errno != EEXIST)
			return vd_error_set(VD_EIO, "attachments: cannot create %s: %s", sub, strerror(errno));
	}
	int k = snprintf(out, n, "%s/%.2s/%s", dir, sha, sha);
	return k > 0 && (size_t)k < n ? VD_OK : vd_error_set(VD_EINVAL, "attachment directory path too long");
}

static int attach_store(vd_service *s, const vd_attachment_in *a, char sha[VD_HASH_HEX])
{
	sha256_hex(a->data, a->len, sha);
	char path[1200], tmp[1300];
	int rc = attach_path(s, sha, path, sizeof path, true);
	if (rc)
		return rc;
	if (access(path, F_OK) == 0)
		return VD_OK;   /* content-addressed: already there */
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return vd_error_set(VD_EIO, "attachments: cannot write %s: %s", tmp, strerror(errno));
	const char *p = a->data;
	size_t left = a->len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return vd_error_set(VD_EIO, "attachments: writing %s failed: %s", tmp, strerror(errno));
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) || close(fd) || rename(tmp, path)) {
		unlink(tmp);
		return vd_error_set(VD_EIO, "attachments: storing %s failed: %s", path, strerror(errno));
	}
	return VD_OK;
}

/* ---- loading and saving cases ---- */

static int got_case(void *ctx, const vd_case_row *r)
{
	vd_case **c = ctx;
	int rc = vd_case_from_json(r->doc, strlen(r->doc), c);
	if (!rc)
		(*c)->id = r->id;
	return rc;
}

static int got_att(void *ctx, const vd_attachment_row *a)
{
	vd_case *c = ctx;
	if (c->n_att >= VD_ATTACH_PER_CASE)
		return 0;
	vd_case_attachment *t = &c->att[c->n_att++];
	vd_strlcpy(t->sha256, a->sha256, sizeof t->sha256);
	t->name = vd_case_str(c, a->name);
	t->size = a->size;
	t->kind = vd_case_str(c, a->kind);
	t->publish = a->publish;
	t->at = vd_case_str(c, a->at);
	return 0;
}

static int load(vd_service *s, int64_t id, vd_case **out)
{
	*out = NULL;
	int rc = s->store->ops->case_get(s->store, id, got_case, out);
	if (rc == VD_ENOTFOUND)
		return vd_error_set(VD_ENOTFOUND, "no case %lld", (long long)id);
	if (!rc)
		rc = s->store->ops->attachment_list(s->store, id, got_att, *out);
	if (rc) {
		vd_case_free(*out);
		*out = NULL;
	}
	return rc;
}

static int save(vd_service *s, vd_case *c)
{
	char now[VD_TIME_BUF], *doc = NULL;
	vd_svc_time(vd_service_now(s), now);
	c->updated = vd_case_str(c, now);
	int rc = vd_case_to_json(c, &doc);
	if (rc)
		return rc;
	vd_case_row r = {.id = c->id, .state = vd_case_state_name(c->state), .library = c->library,
	                 .record_id = c->record_id, .reporter_id = c->reporter_id, .created = c->submitted,
	                 .updated = now, .doc = doc};
	rc = c->id ? s->store->ops->case_put(s->store, &r) : s->store->ops->case_add(s->store, &r, &c->id);
	free(doc);
	return rc;
}

static int thread_add(vd_service *s, const vd_principal *who, int64_t id, const char *kind, const char *from,
                      const char *to, const char *text, bool staff)
{
	char now[VD_TIME_BUF];
	vd_svc_time(vd_service_now(s), now);
	vd_case_event_row e = {.case_id = id, .at = now, .actor = who ? who->name : "system", .kind = kind,
	                       .from_state = from, .to_state = to, .text = text, .visibility = staff ? "staff" : "all"};
	return s->store->ops->case_event_add(s->store, &e);
}

static void perm_ctx(const vd_case *c, vd_perm_ctx *ctx, int64_t assignees[VD_CASE_PARTIES + 1])
{
	memset(ctx, 0, sizeof *ctx);
	ctx->owner_id = c->reporter_id;
	ctx->org_id = c->reporter_org;
	ctx->vendor_orgs = c->vendor_ids;
	ctx->n_vendor_orgs = c->n_vendors;
	size_t n = 0;
	if (c->analyst_id)
		assignees[n++] = c->analyst_id;
	for (size_t i = 0; i < c->n_experts; i++)
		assignees[n++] = c->expert_ids[i];
	ctx->assignees = assignees;
	ctx->n_assignees = n;
}

static bool may(const vd_principal *who, vd_action a, const vd_case *c)
{
	vd_perm_ctx ctx;
	int64_t as[VD_CASE_PARTIES + 1];
	perm_ctx(c, &ctx, as);
	bool ok = vd_perm_check(who, a, &ctx) == VD_OK;
	vd_error_clear();
	return ok;
}

/* Load a case and check that who may do act on it (a refusal is audited).
 * *refused tells a refusal from a failed load. */
static int load_allowed(vd_service *s, const vd_principal *who, int64_t id, vd_action act, vd_case **out,
                        bool *refused)
{
	*refused = false;
	int rc = load(s, id, out);
	if (rc)
		return rc;
	char target[32];
	snprintf(target, sizeof target, "case:%lld", (long long)id);
	vd_perm_ctx ctx;
	int64_t as[VD_CASE_PARTIES + 1];
	perm_ctx(*out, &ctx, as);
	if ((rc = vd_svc_allow(s, who, act, &ctx, target))) {
		*refused = true;
		vd_case_free(*out);
		*out = NULL;
	}
	return rc;
}

static bool is_staff(const vd_principal *who)
{
	return who->role == VD_ROLE_ANALYST || who->role == VD_ROLE_EXPERT || who->role == VD_ROLE_ADMIN;
}

static bool has_cjk(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if (*p >= 0xE3 && *p <= 0xE9)
			return true;
	return false;
}

/* ---- the case's record (source document "case") ---- */

static int add_score(vd_record *r, const char *vector)
{
	if (vd_str_empty(vector))
		return VD_OK;
	if (vd_gbt_is_vector(vector)) {
		vd_gbt_vector g;
		if (vd_gbt_vector_parse(vector, &g) == VD_OK)
			vd_record_add_score(r, "GBT30279:2020", g.normalized, -1, NULL, "case");
		vd_error_clear();
		return VD_OK;
	}
	vd_cvss c;
	if (vd_cvss_parse_ex(vector, VD_CVSS_ANY_ORDER, &c) == VD_OK)
		vd_record_add_score(r, vd_cvss_version_str(c.version), c.normalized, c.base,
		                    vd_cvss_severity(c.version, c.base), "case");
	vd_error_clear();
	return VD_OK;
}

static int case_record(vd_service *s, const vd_case *c)
{
	if (!c->record_id)
		return VD_OK;
	vd_record *r = vd_record_new();
	if (!r)
		return vd_error_set(VD_ENOMEM, "out of memory");
	char now[VD_TIME_BUF];
	vd_svc_time(vd_service_now(s), now);
	r->id = vd_record_str(r, c->record_id);
	r->state = c->state == VD_CS_PUBLISHED ? VD_STATE_PUBLISHED : VD_STATE_UNPUBLISHED;
	r->published = vd_record_str(r, c->published_at);
	r->modified = vd_record_str(r, now);
	vd_record_set_text(r, &r->title, has_cjk(c->title) ? "zh" : "en", c->title);
	vd_record_set_text(r, &r->description, has_cjk(c->description) ? "zh" : "en", c->description);
	if (c->solution)
		vd_record_set_text(r, &r->solution, has_cjk(c->solution) ? "zh" : "en", c->solution);
	r->grade = vd_record_str(r, c->grade);
	r->grade_basis = vd_record_str(r, c->grade_basis ? c->grade_basis : c->grade_by);
	r->class_code = vd_record_str(r, c->class_code);
	r->library = vd_record_str(r, c->library);
	r->publisher = vd_record_str(r, c->library);
	r->verifier = vd_record_str(r, c->library);
	if (c->cwe)
		vd_record_add_cwe(r, c->cwe);
	add_score(r, c->vector);
	vd_affected *a = vd_record_add_affected(r);
	if (a) {
		a->vendor = vd_record_str(r, c->vendor ? c->vendor : (c->n_vendors ? c->vendors[0] : NULL));
		a->product = vd_record_str(r, c->product);
		if (c->version)
			vd_affected_add_version(r, a, c->version);
		a->source = vd_record_str(r, "case");
	}
	for (size_t i = 0; i < c->n_refs; i++)
		vd_record_add_ref(r, c->refs[i].url, c->refs[i].type, "case");
	if (c->fix_patch && strstr(c->fix_patch, "://"))
		vd_record_add_ref(r, c->fix_patch, "patch", "case");
	/* the credited reporter (the first valid one: a promoted duplicate's
	 * reporter when the original was rejected) */
	const char *credited = (!c->credit_case || c->credit_case == c->id) ? c->reporter : c->credit;
	if (credited && strcmp(credited, "cli") != 0)
		vd_record_add_credit(r, credited, "finder", "case");
	static const char *const fields[] = {"title", "description", "solution", "grade", "class_code", "state", NULL};
	for (int i = 0; fields[i]; i++)
		vd_record_add_prov(r, fields[i], "case", c->record_id, now);
	char *json = NULL, hash[17];
	int rc = vd_record_validate(r);
	if (!rc)
		rc = vd_record_to_json(r, &json);
	if (!rc) {
		vd_hash64_hex(json, strlen(json), hash);
		vd_source_doc d = {"case", c->record_id, c->record_id, hash, json};
		if (!(rc = s->store->ops->source_put(s->store, &d))) {
			char outcome;
			rc = vd_svc_rebuild(s, c->record_id, NULL, NULL, &outcome);
		}
	}
	free(json);
	vd_record_free(r);
	return rc;
}

/* ---- grading ---- */

static int grade_case(vd_service *s, vd_case *c, const vd_case_args *a)
{
	if (!vd_str_empty(a->vector))
		c->vector = vd_case_str(c, a->vector);
	if (!vd_str_empty(a->grade)) {
		vd_gbt_grade g;
		vd_gbt_grade_parse(a->grade, &g);
		c->grade = vd_case_str(c, vd_gbt_grade_key(g));
		c->grade_by = vd_case_str(c, "analyst");
		c->grade_basis = vd_case_str(c, "analyst");
	} else if (!vd_str_empty(c->vector) && (!c->grade_by || strcmp(c->grade_by, "analyst") != 0)) {
		char basis[256] = "";
		vd_gbt_grade g = VD_GBT_GRADE_NONE;
		if (vd_gbt_is_vector(c->vector)) {
			vd_gbt_vector v;
			vd_gbt_result res;
			if (vd_gbt_vector_parse(c->vector, &v) == VD_OK && vd_gbt_grade_vector(NULL, &v, &res) == VD_OK) {
				g = res.overall;
				vd_strlcpy(basis, res.basis, sizeof basis);
			}
		} else {
			vd_cvss cv;
			if (vd_cvss_parse_ex(c->vector, VD_CVSS_ANY_ORDER, &cv) == VD_OK)
				g = vd_gbt_grade_cvss(NULL, vd_cvss_version_str(cv.version), cv.base, cv.normalized, basis,
				                      sizeof basis);
		}
		vd_error_clear();
		if (g != VD_GBT_GRADE_NONE) {
			c->grade = vd_case_str(c, vd_gbt_grade_key(g));
			c->grade_by = vd_case_str(c, "computed");
			c->grade_basis = vd_case_str(c, basis);
		}
	}
	if (!vd_str_empty(a->cwe))
		c->cwe = vd_case_str(c, a->cwe);
	if (!vd_str_empty(a->class_code)) {
		if (!vd_gbt_class_get(a->class_code))
			return vd_error_set(VD_EINVAL, "class: unknown GB/T 30279 class code '%.20s'", a->class_code);
		c->class_code = vd_case_str(c, a->class_code);
	} else if (!c->class_code && c->cwe) {
		const vd_gbt_class *k = vd_service_cwe_class(s, c->cwe, NULL);
		c->class_code = vd_case_str(c, k ? k->code : VD_GBT_CLASS_OTHER);
	}
	return VD_OK;
}

/* ---- duplicate check ---- */

typedef struct {
	vd_dedup_candidate *best;
	size_t max, n;
} topn;

static void top_add(topn *t, const char *id, double score, const char *why, const char *title)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->best[i].id, id) == 0) {
			if (score <= t->best[i].score)
				return;
			memmove(&t->best[i], &t->best[i + 1], (t->n - i - 1) * sizeof *t->best);
			t->n--;
			break;
		}
	size_t at = t->n;
	while (at > 0 && t->best[at - 1].score < score)
		at--;
	if (at >= t->max)
		return;
	if (t->n == t->max)
		t->n--;
	memmove(&t->best[at + 1], &t->best[at], (t->n - at) * sizeof *t->best);
	vd_dedup_candidate *d = &t->best[at];
	memset(d, 0, sizeof *d);
	vd_strlcpy(d->id, id, sizeof d->id);
	d->score = score;
	vd_strlcpy(d->why, why, sizeof d->why);
	vd_strlcpy(d->title, title ? title : "", sizeof d->title);
	t->n++;
}

static int case_doc(const vd_case *c, vd_dedup_doc **out)
{
	const char *prods[2] = {c->product, c->vendor};
	const char *vers[1] = {c->version};
	const char *cwes[1] = {c->cwe};
	const char *cves[1] = {c->cve};
	vd_dedup_input in = {.id = NULL, .text = {c->title, c->description, NULL}, .products = prods,
	                     .n_products = c->vendor ? 2 : 1, .versions = vers, .n_versions = c->version ? 1 : 0,
	                     .cwes = cwes, .n_cwes = c->cwe ? 1 : 0, .cves = cves, .n_cves = c->cve ? 1 : 0};
	return vd_dedup_build(&in, out);
}

static int record_doc(const vd_record *r, vd_dedup_doc **out)
{
	const char *prods[32], *vers[64], *cves[8];
	size_t np = 0, nv = 0, nc = 0;
	for (size_t i = 0; i < r->n_affected && np < 30; i++) {
		if (r->affected[i].product)
			prods[np++] = r->affected[i].product;
		if (r->affected[i].package)
			prods[np++] = r->affected[i].package;
		for (size_t k = 0; k < r->affected[i].n_versions && nv < 64; k++)
			vers[nv++] = r->affected[i].versions[k];
	}
	/* no affected data (many CNNVD entries): the title names the product */
	if (np == 0 && r->title.zh)
		prods[np++] = r->title.zh;
	if (np < 2 && r->title.en)
		prods[np++] = r->title.en;
	if (r->id && strncasecmp(r->id, "CVE-", 4) == 0)
		cves[nc++] = r->id;
	for (size_t i = 0; i < r->n_aliases && nc < 8; i++)
		if (strncasecmp(r->aliases[i].id, "CVE-", 4) == 0)
			cves[nc++] = r->aliases[i].id;
	vd_dedup_input in = {.id = r->id, .text = {r->title.zh, r->title.en, r->description.zh, r->description.en, NULL},
	                     .products = prods, .n_products = np, .versions = vers, .n_versions = nv,
	                     .cwes = (const char *const *)r->cwes, .n_cwes = r->n_cwes, .cves = cves, .n_cves = nc};
	return vd_dedup_build(&in, out);
}

#define MAX_CAND 400
typedef struct {
	char *ids[MAX_CAND];
	size_t n;
} idset;

static int collect_hit(void *ctx, const vd_search_hit *h)
{
	idset *s = ctx;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->ids[i], h->id) == 0)
			return 0;
	if (s->n < MAX_CAND && (s->ids[s->n] = strdup(h->id)) != NULL)
		s->n++;
	return 0;
}

/* Candidates gathered before scoring, so the report can be weighed by
 * how rare its features are among them. */
typedef struct {
	char id[VD_LIB_ID_BUF + 24];
	char title[200];
	vd_dedup_doc *doc;
} cand_doc;

typedef struct {
	cand_doc *v;
	size_t n, cap;
} cand_set;

static void cand_push(cand_set *cs, const char *id, const char *title, vd_dedup_doc *d)
{
	if (cs->n == cs->cap) {
		size_t nc = cs->cap ? cs->cap * 2 : 64;
		cand_doc *nv = nc <= 8192 ? realloc(cs->v, nc * sizeof *nv) : NULL;
		if (!nv) {
			vd_dedup_free(d);
			return;
		}
		cs->v = nv;
		cs->cap = nc;
	}
	cand_doc *c = &cs->v[cs->n++];
	vd_strlcpy(c->id, id, sizeof c->id);
	vd_strlcpy(c->title, title ? title : "", sizeof c->title);
	c->doc = d;
}

typedef struct {
	const vd_case *self;
	cand_set *set;
} case_scan;

static int scan_case(void *ctx, const vd_case_row *row)
{
	case_scan *cs = ctx;
	if (row->id == cs->self->id || strcmp(row->state, "rejected") == 0)
		return 0;
	vd_case *o = NULL;
	if (vd_case_from_json(row->doc, strlen(row->doc), &o))
		return 0;
	vd_dedup_doc *d = NULL;
	if (case_doc(o, &d) == VD_OK) {
		char id[48];
		snprintf(id, sizeof id, "case:%lld", (long long)row->id);
		cand_push(cs->set, id, o->title, d);
	}
	vd_case_free(o);
	return 0;
}

static int dedup(vd_service *s, const vd_case *c, vd_dedup_candidate *out, size_t max, size_t *n)
{
	*n = 0;
	vd_dedup_doc *rep = NULL;
	int rc = case_doc(c, &rep);
	if (rc)
		return rc;
	topn t = {out, max, 0};
	idset ids = {.n = 0};
	/* the same CVE id */
	if (c->cve) {
		char *rid = NULL;
		if (vd_store_resolve(s->store, c->cve, &rid) == VD_OK && rid && ids.n < MAX_CAND)
			ids.ids[ids.n++] = rid;
		else
			free(rid);
		vd_error_clear();
	}
	/* full-text: the product, then salient words one at a time */
	const char *kw[12];
	size_t nk = vd_dedup_keywords(rep, kw, 12);
	vd_search_query q;
	memset(&q, 0, sizeof q);
	q.include_unpublished = true;
	if (c->product && strlen(c->product) < 200) {
		q.text = c->product;
		q.limit = 60;
		s->store->ops->search_ex(s->store, &q, collect_hit, &ids, NULL);
		vd_error_clear();
	}
	for (size_t i = 0; i < nk; i++) {
		q.text = kw[i];
		q.limit = 25;
		s->store->ops->search_ex(s->store, &q, collect_hit, &ids, NULL);
		vd_error_clear();
	}
	cand_set set = {0};
	for (size_t i = 0; i < ids.n; i++) {
		vd_record *r = NULL;
		if (c->record_id && strcmp(ids.ids[i], c->record_id) == 0)
			continue;
		if (vd_store_get(s->store, ids.ids[i], &r) == VD_OK) {
			vd_dedup_doc *d = NULL;
			if (record_doc(r, &d) == VD_OK)
				cand_push(&set, r->id, r->title.en ? r->title.en : r->title.zh, d);
			vd_record_free(r);
		}
		vd_error_clear();
	}
	for (size_t i = 0; i < ids.n; i++)
		free(ids.ids[i]);
	/* open and closed cases (not rejected ones) */
	case_scan cs = {c, &set};
	rc = s->store->ops->case_list(s->store, NULL, 0, 5000, scan_case, &cs);
	const vd_dedup_doc **docs = set.n ? malloc(set.n * sizeof *docs) : NULL;
	for (size_t i = 0; docs && i < set.n; i++)
		docs[i] = set.v[i].doc;
	if (docs)
		vd_dedup_weigh(rep, docs, set.n);
	free(docs);
	for (size_t i = 0; i < set.n; i++) {
		char why[256];
		double f = vd_dedup_score(rep, set.v[i].doc, why, sizeof why);
		top_add(&t, set.v[i].id, f, why, set.v[i].title);
		vd_dedup_free(set.v[i].doc);
	}
	free(set.v);
	vd_dedup_free(rep);
	*n = t.n;
	return rc;
}

int vd_service_case_candidates(vd_service *s, const vd_principal *who, int64_t id, vd_dedup_candidate *out,
                               size_t max, size_t *n)
{
	*n = 0;
	vd_case *c = NULL;
	bool refused;
	int rc = load_allowed(s, who, id, VD_ACT_CASE_TRIAGE, &c, &refused);
	if (rc)
		return rc;
	rc = dedup(s, c, out, max, n);
	vd_case_free(c);
	return rc;
}

/* ---- intake ---- */

static int lib_of(vd_service *s, const char *code, vd_library_info *l)
{
	if (vd_str_empty(code)) {
		code = VD_NATIONAL_CODE;
	}
	int rc = s->store->ops->library_get(s->store, code, l);
	if (rc == VD_ENOTFOUND)
		return vd_error_set(VD_EINVAL, "library: no library '%.20s'", code);
	return rc;
}

static int validate_report(vd_service *s, const vd_report_in *in)
{
	int rc;
	if ((rc = check_short("title", in->title, VD_CASE_TITLE_MAX, true)) ||
	    (rc = check_long("description", in->description, VD_CASE_TEXT_MAX, true)) ||
	    (rc = check_short("product", in->product, VD_CASE_SHORT_MAX, true)) ||
	    (rc = check_short("vendor", in->vendor, VD_CASE_SHORT_MAX, false)) ||
	    (rc = check_short("version", in->version, VD_CASE_SHORT_MAX, false)) ||
	    (rc = check_long("steps", in->steps, VD_CASE_TEXT_MAX, false)) ||
	    (rc = check_short("library", in->library, VD_LIB_CODE_MAX, false)) ||
	    (rc = check_cwe(in->cwe)) || (rc = check_cve(in->cve)) || (rc = check_grade(in->grade)) ||
	    (rc = check_vector(in->vector)))
		return rc;
	if (!vd_str_empty(in->learned_at)) {
		int64_t t;
		if (strlen(in->learned_at) > 40 || vd_time_parse(in->learned_at, &t))
			return vd_error_set(VD_EINVAL, "learned: not a date (YYYY-MM-DD or RFC 3339)");
		if (t > vd_service_now(s))
			return vd_error_set(VD_EINVAL, "learned: in the future");
	}
	if (in->n_fields > VD_CASE_FIELDS)
		return vd_error_set(VD_EINVAL, "at most %d extra fields", VD_CASE_FIELDS);
	if (in->n_attachments > VD_ATTACH_PER_CASE)
		return vd_error_set(VD_ETOOBIG, "at most %d attachments per report", VD_ATTACH_PER_CASE);
	size_t cap = s->cases.attach_max ? s->cases.attach_max : VD_ATTACH_MAX_DEFAULT;
	for (size_t i = 0; i < in->n_attachments; i++) {
		const vd_attachment_in *a = &in->attachments[i];
		if ((rc = check_attach_name(a->name)) || (rc = check_kind(a->kind)))
			return rc;
		if (a->len > cap)
			return vd_error_set(VD_ETOOBIG, "attachment '%s' is %zu bytes; the limit is %zu", a->name, a->len, cap);
		if (a->len && !a->data)
			return vd_error_set(VD_EINVAL, "attachment '%s' has no data", a->name);
	}
	if (in->n_attachments && !s->cases.attach_dir[0])
		return vd_error_set(VD_EUNSUPPORTED, "attachments are not enabled (no attachment directory configured)");
	return VD_OK;
}

int vd_service_report_submit(vd_service *s, const vd_principal *who, const vd_report_in *in, int64_t *case_id,
                             vd_dedup_candidate top[VD_DEDUP_TOP], size_t *n_top)
{
	if (n_top)
		*n_top = 0;
	if (case_id)
		*case_id = 0;
	int rc = vd_svc_allow(s, who, VD_ACT_REPORT_SUBMIT, NULL, "reports");
	if (rc || (rc = validate_report(s, in)))
		return rc;
	vd_library_info *lib = malloc(sizeof *lib);
	vd_case *c = vd_case_new();
	if (!lib || !c) {
		free(lib);
		vd_case_free(c);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	if ((rc = lib_of(s, in->library, lib)))
		goto out;
	if (in->n_fields &&
	    (rc = vd_service_library_check_fields(s, lib->code, in->field_names, in->field_values, in->n_fields)))
		goto out;
	int64_t now = vd_service_now(s);
	char ts[VD_TIME_BUF];
	vd_svc_time(now, ts);
	c->library = vd_case_str(c, lib->code);
	c->title = vd_case_str(c, in->title);
	c->description = vd_case_str(c, in->description);
	c->steps = vd_case_str(c, in->steps);
	c->product = vd_case_str(c, in->product);
	c->vendor = vd_case_str(c, in->vendor);
	c->version = vd_case_str(c, in->version);
	c->cve = vd_case_str(c, in->cve);
	if (in->cwe) {
		char cw[24];
		snprintf(cw, sizeof cw, "CWE-%s", strncasecmp(in->cwe, "CWE-", 4) == 0 ? in->cwe + 4 : in->cwe);
		c->cwe = vd_case_str(c, cw);
	}
	c->vector = vd_case_str(c, in->vector);
	if (!vd_str_empty(in->grade)) {
		vd_gbt_grade g;
		vd_gbt_grade_parse(in->grade, &g);
		c->grade = vd_case_str(c, vd_gbt_grade_key(g));
		c->grade_by = vd_case_str(c, "reporter");
	}
	c->reporter = vd_case_str(c, who->name);
	c->reporter_id = who->user_id;
	c->reporter_role = who->role;
	c->reporter_org = who->n_orgs ? who->orgs[0] : 0;
	c->submitted = vd_case_str(c, ts);
	if (!vd_str_empty(in->learned_at)) {
		int64_t lt = 0;
		vd_time_parse(in->learned_at, &lt);
		char lts[VD_TIME_BUF];
		vd_svc_time(lt, lts);
		c->learned_at = vd_case_str(c, lts);
		c->art7_late = vd_clock_art7_late(lt, now, lib);
	}
	for (size_t i = 0; i < in->n_fields; i++) {
		c->field_names[i] = vd_case_str(c, in->field_names[i]);
		c->field_values[i] = vd_case_str(c, in->field_values[i]);
	}
	c->n_fields = in->n_fields;
	/* vendors owning the product, for the vendor's view and notification */
	int64_t vids[VD_CASE_PARTIES];
	size_t nv = 0;
	if (vd_service_product_vendors(s, c->product, vids, VD_CASE_PARTIES, &nv) == VD_OK)
		for (size_t i = 0; i < nv && i < VD_CASE_PARTIES; i++) {
			vd_org_info o;
			if (s->store->ops->org_get(s->store, NULL, vids[i], &o) == VD_OK) {
				c->vendor_ids[c->n_vendors] = o.id;
				c->vendors[c->n_vendors++] = vd_case_str(c, o.name);
			}
		}
	vd_error_clear();
	/* attachment contents first (content-addressed: a failed transaction
	 * leaves at most an unreferenced file, never a dangling row) */
	char shas[VD_ATTACH_PER_CASE][VD_HASH_HEX];
	for (size_t i = 0; i < in->n_attachments; i++)
		if ((rc = attach_store(s, &in->attachments[i], shas[i])))
			goto out;
	c->state = VD_CS_TRIAGE;
	if ((rc = vd_svc_tx_begin(s)))
		goto out;
	rc = save(s, c);
	for (size_t i = 0; !rc && i < in->n_attachments; i++) {
		vd_attachment_row a = {.case_id = c->id, .sha256 = shas[i], .name = in->attachments[i].name,
		                       .size = (int64_t)in->attachments[i].len,
		                       .kind = in->attachments[i].kind ? in->attachments[i].kind : "poc",
		                       .by_user = who->user_id, .at = ts};
		rc = s->store->ops->attachment_add(s->store, &a);
	}
	if (!rc && c->n_vendors)
		rc = s->store->ops->case_parties(s->store, c->id, "vendor", c->vendor_ids, c->n_vendors);
	char target[32];
	snprintf(target, sizeof target, "case:%lld", (long long)c->id);
	if (!rc)
		rc = thread_add(s, who, c->id, "submit", "received", "triage", "report received", false);
	/* Art. 5: every intake is logged */
	if (!rc)
		rc = vd_svc_audit(s, who, "report.submit", target, "ok",
		                  "received → triage; library %s; product '%.80s'; %zu attachment(s)%s", lib->code,
		                  c->product, in->n_attachments, c->art7_late ? "; Art. 7: vendor report filed late" : "");
	rc = vd_svc_tx_end(s, rc);
	if (rc)
		goto out;
	if (case_id)
		*case_id = c->id;
	/* the duplicate check (triage): result to the staff thread */
	vd_dedup_candidate cand[VD_DEDUP_TOP];
	size_t nc = 0;
	if (dedup(s, c, cand, VD_DEDUP_TOP, &nc) == VD_OK) {
		vd_buf b;
		vd_buf_init(&b, 4096);
		vd_buf_printf(&b, "duplicate check: %zu candidate(s)", nc);
		for (size_t i = 0; i < nc; i++)
			vd_buf_printf(&b, "\n%s %.2f (%s)", cand[i].id, cand[i].score, cand[i].why);
		thread_add(s, NULL, c->id, "triage", NULL, NULL, vd_buf_str(&b), true);
		vd_buf_free(&b);
		if (top && n_top && may(who, VD_ACT_CASE_TRIAGE, c)) {
			memcpy(top, cand, nc * sizeof *cand);
			*n_top = nc;
		}
	}
	vd_error_clear();
out:
	vd_case_free(c);
	free(lib);
	return rc;
}

/* ---- reading ---- */

/* A case as a non-staff reader may see it: reporters of other cases (the
 * duplicates listed here, the reporter credit moved to) are left out, as
 * those cases may be invisible to the reader. */
static void redact(vd_case *c, const vd_principal *who)
{
	if (is_staff(who))
		return;
	for (size_t i = 0; i < c->n_dups; i++)
		if (!(who->user_id && c->dups[i].reporter_id == who->user_id)) {
			c->dups[i].reporter = NULL;
			c->dups[i].reporter_id = 0;
		}
	if (c->credit_case && c->credit_case != c->id && !(who->user_id && c->credit_id == who->user_id)) {
		c->credit = NULL;
		c->credit_id = 0;
	}
}

int vd_service_case_get(vd_service *s, const vd_principal *who, int64_t id, vd_case **out)
{
	*out = NULL;
	vd_case *c = NULL;
	bool refused;
	int rc = load_allowed(s, who, id, VD_ACT_CASE_READ, &c, &refused);
	if (refused)   /* a case the caller may not read looks absent */
		return vd_error_set(VD_ENOTFOUND, "no case %lld", (long long)id);
	if (rc)
		return rc;
	redact(c, who);
	*out = c;
	return VD_OK;
}

typedef struct {
	vd_service *s;
	const vd_principal *who;
	int (*cb)(void *ctx, const vd_case *c);
	void *ctx;
	int64_t last;
	int count;
} list_ctx;

static int list_one(void *ctx, const vd_case_row *r)
{
	list_ctx *l = ctx;
	l->last = r->id;
	l->count++;
	vd_case *c = NULL;
	if (vd_case_from_json(r->doc, strlen(r->doc), &c))
		return 0;
	c->id = r->id;
	int ret = 0;
	if (may(l->who, VD_ACT_CASE_READ, c)) {
		redact(c, l->who);
		ret = l->cb(l->ctx, c);
	}
	vd_case_free(c);
	return ret;
}

int vd_service_case_list(vd_service *s, const vd_principal *who, const char *state,
                         int (*cb)(void *ctx, const vd_case *c), void *ctx)
{
	vd_case_state st;
	if (state && vd_case_state_parse(state, &st))
		return VD_EINVAL;
	if (who->role == VD_ROLE_ANONYMOUS)
		return vd_svc_allow(s, who, VD_ACT_CASE_READ, NULL, "cases");
	list_ctx l = {s, who, cb, ctx, 0, 0};
	int rc;
	do {
		l.count = 0;
		rc = s->store->ops->case_list(s->store, state, l.last, 500, list_one, &l);
	} while (!rc && l.count == 500);
	return rc;
}

typedef struct {
	bool staff;
	int (*cb)(void *ctx, const vd_case_event_row *e);
	void *ctx;
} thread_ctx;

static int thread_one(void *ctx, const vd_case_event_row *e)
{
	thread_ctx *t = ctx;
	if (!t->staff && e->visibility && strcmp(e->visibility, "all") != 0)
		return 0;
	return t->cb(t->ctx, e);
}

int vd_service_case_thread(vd_service *s, const vd_principal *who, int64_t id,
                           int (*cb)(void *ctx, const vd_case_event_row *e), void *ctx)
{
	vd_case *c = NULL;
	int rc = vd_service_case_get(s, who, id, &c);
	if (rc)
		return rc;
	vd_case_free(c);
	thread_ctx t = {is_staff(who), cb, ctx};
	return s->store->ops->case_events(s->store, id, thread_one, &t);
}

int vd_service_case_notices(vd_service *s, const vd_principal *who, int64_t id,
                            int (*cb)(void *ctx, const vd_notice_row *n), void *ctx)
{
	vd_case *c = NULL;
	int rc = vd_service_case_get(s, who, id, &c);
	if (rc)
		return rc;
	vd_case_free(c);
	if (!is_staff(who))
		return vd_svc_allow(s, who, VD_ACT_CASE_TRIAGE, NULL, "case notices");
	return s->store->ops->notice_list(s->store, id, cb, ctx);
}

int vd_service_attachment_get(vd_service *s, const vd_principal *who, int64_t case_id, const char *sha256,
                              char **data, size_t *len, char name[VD_ATTACH_NAME_MAX + 1])
{
	*data = NULL;
	*len = 0;
	if (!sha256 || strlen(sha256) < 8 || strlen(sha256) > 64 || strspn(sha256, "0123456789abcdef") != strlen(sha256))
		return vd_error_set(VD_EINVAL, "attachment: expected a SHA-256 in lower-case hex (8 to 64 digits)");
	vd_case *c = NULL;
	bool refused;
	int rc = load_allowed(s, who, case_id, VD_ACT_ATTACHMENT_READ, &c, &refused);
	if (rc)
		return rc;
	char target[32];
	snprintf(target, sizeof target, "case:%lld", (long long)case_id);
	const vd_case_attachment *hit = NULL;
	for (size_t i = 0; i < c->n_att; i++)
		if (strncmp(c->att[i].sha256, sha256, strlen(sha256)) == 0) {
			if (hit) {
				vd_case_free(c);
				return vd_error_set(VD_EINVAL, "attachment: '%s' is ambiguous", sha256);
			}
			hit = &c->att[i];
		}
	if (!hit) {
		vd_case_free(c);
		return vd_error_set(VD_ENOTFOUND, "case %lld has no attachment %s", (long long)case_id, sha256);
	}
	char path[1200], sha[VD_HASH_HEX];
	vd_strlcpy(sha, hit->sha256, sizeof sha);
	if (name)
		vd_strlcpy(name, hit->name ? hit->name : "", VD_ATTACH_NAME_MAX + 1);
	size_t cap = s->cases.attach_max ? s->cases.attach_max : VD_ATTACH_MAX_DEFAULT;
	if (!(rc = attach_path(s, sha, path, sizeof path, false)) && !(rc = vd_file_read(path, cap + 1, data, len))) {
		char got[VD_HASH_HEX];
		sha256_hex(*data, *len, got);
		if (strcmp(got, sha) != 0) {
			free(*data);
			*data = NULL;
			rc = vd_error_set(VD_EIO, "attachment %s: content does not match its hash", sha);
		}
	}
	if (!rc)
		rc = vd_svc_audit(s, who, "attachment.read", target, "ok", "%s (%s)", sha, hit->name ? hit->name : "");
	vd_case_free(c);
	if (rc) {
		free(*data);
		*data = NULL;
	}
	return rc;
}

/* ---- steps ---- */

static int check_args(const vd_case_args *a)
{
	int rc;
	if ((rc = check_long("text", a->text, VD_CASE_TEXT_MAX, false)) ||
	    (rc = check_long("solution", a->solution, VD_CASE_TEXT_MAX, false)) ||
	    (rc = check_short("original", a->original, 64, false)) ||
	    (rc = check_short("verdict", a->verdict, 64, false)) || (rc = check_grade(a->grade)) ||
	    (rc = check_vector(a->vector)) || (rc = check_short("class", a->class_code, 32, false)) ||
	    (rc = check_cwe(a->cwe)) || (rc = check_short("version", a->version, VD_CASE_SHORT_MAX, false)) ||
	    (rc = check_short("patch", a->patch, 1000, false)) ||
	    (rc = check_short("override reason", a->override_reason, VD_REASON_MAX, false)) ||
	    (rc = check_short("reference url", a->ref_url, 1000, false)) ||
	    (rc = check_short("reference type", a->ref_type, 32, false)) ||
	    (rc = check_short("attachment", a->publish_attachment, 64, false)))
		return rc;
	if (a->n_users > VD_CASE_PARTIES || a->n_vendors > VD_CASE_PARTIES)
		return vd_error_set(VD_EINVAL, "at most %d names", VD_CASE_PARTIES);
	for (size_t i = 0; i < a->n_users; i++)
		if ((rc = check_short("user", a->users[i], VD_USER_NAME_MAX, true)))
			return rc;
	for (size_t i = 0; i < a->n_vendors; i++)
		if ((rc = check_short("vendor", a->vendors[i], VD_ORG_NAME_MAX, true)))
			return rc;
	if (a->ref_url && !strstr(a->ref_url, "://"))
		return vd_error_set(VD_EINVAL, "reference url: expected scheme://...");
	return VD_OK;
}

/* Resolve names the step refers to; failures become reasons. */
static void resolve_users(vd_service *s, const vd_case_args *a, vd_role want, vd_user_info *u, vd_reasons *why)
{
	for (size_t i = 0; i < a->n_users; i++) {
		int rc = s->store->ops->user_get(s->store, a->users[i], 0, &u[i], NULL);
		if (rc)
			vd_reasons_add(why, "no-user", "no user '%.64s'", a->users[i]);
		else if (u[i].disabled)
			vd_reasons_add(why, "disabled", "user '%s' is disabled", u[i].name);
		else if (u[i].role != want && u[i].role != VD_ROLE_ADMIN)
			vd_reasons_add(why, "wrong-role", "user '%s' is %s, not %s", u[i].name, vd_role_name(u[i].role),
			               vd_role_name(want));
	}
	vd_error_clear();
}

typedef struct {
	char emails[16][VD_EMAIL_MAX + 1];
	size_t n;
} contacts;

static int got_contact(void *ctx, const char *email, const char *name)
{
	(void)name;
	contacts *c = ctx;
	if (c->n < 16)
		vd_strlcpy(c->emails[c->n++], email, sizeof c->emails[0]);
	return 0;
}

static void mail_vendors(vd_service *s, const vd_case *c, const int64_t *orgs, size_t n, const char *kind,
                         const char *subject, const char *body)
{
	for (size_t i = 0; i < n; i++) {
		contacts ct = {.n = 0};
		s->store->ops->org_items(s->store, orgs[i], VD_ORG_ITEM_CONTACTS, got_contact, &ct);
		vd_error_clear();
		char now[VD_TIME_BUF];
		vd_svc_time(vd_service_now(s), now);
		if (ct.n == 0) {
			char who[64];
			snprintf(who, sizeof who, "org:%lld", (long long)orgs[i]);
			vd_notice_row nr = {c->id, now, kind, who, subject, "not sent: the organisation has no security contact"};
			s->store->ops->notice_add(s->store, &nr);
		}
		for (size_t k = 0; k < ct.n; k++) {
			int rc = vd_service_mail(s, ct.emails[k], subject, body);
			char status[300];
			if (rc == VD_OK)
				snprintf(status, sizeof status, "sent");
			else
				snprintf(status, sizeof status, "%s: %.250s", rc == VD_EUNSUPPORTED ? "not sent" : "failed",
				         vd_error_msg());
			vd_notice_row nr = {c->id, now, kind, ct.emails[k], subject, status};
			s->store->ops->notice_add(s->store, &nr);
		}
		vd_error_clear();
	}
}

static void notify_body(vd_service *s, const vd_case *c, vd_buf *b, char *subject, size_t sn)
{
	vd_library_info lib;
	vd_case_clock ck;
	bool have = s->store->ops->library_get(s->store, c->library, &lib) == VD_OK;
	vd_error_clear();
	vd_clock_of(c, have ? &lib : NULL, &ck);
	char ack[VD_TIME_BUF] = "", fix[VD_TIME_BUF] = "";
	if (ck.ack_due)
		vd_svc_time(ck.ack_due, ack);
	if (ck.fix_due)
		vd_svc_time(ck.fix_due, fix);
	snprintf(subject, sn, "[vulnd] %s: vulnerability report concerning %.80s (case %lld)",
	         c->record_id ? c->record_id : "case", c->product ? c->product : "your product", (long long)c->id);
	for (char *p = subject; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	vd_buf_printf(b, "A vulnerability in a product of your organisation was reported to the %s library\n"
	              "and verified.\n\nCase: %lld\nId: %s\nProduct: %s %s\nGrade: %s\nTitle: %s\n\n"
	              "Please acknowledge by %s; the fix deadline is %s.\n"
	              "Log in to vulnd to read the case thread and to report the fix.\n",
	              c->library, (long long)c->id, c->record_id ? c->record_id : "-", c->product ? c->product : "",
	              c->version ? c->version : "", c->grade ? c->grade : "-", c->title ? c->title : "",
	              ack[0] ? ack : "-", fix[0] ? fix : "-");
}

/* ---- duplicates and credit ---- */

typedef struct {
	vd_service *s;
	int64_t original;
} dup_ctx;

static bool linked_to(const vd_case *d, int64_t original)
{
	char want[32];
	snprintf(want, sizeof want, "case:%lld", (long long)original);
	return d->state == VD_CS_DUPLICATE && d->duplicate_of && strcmp(d->duplicate_of, want) == 0;
}

/* Still valid: a duplicate still linked to the original. */
static bool dup_valid(void *ctx, int64_t id)
{
	dup_ctx *x = ctx;
	vd_case *d = NULL;
	bool ok = load(x->s, id, &d) == VD_OK && linked_to(d, x->original);
	vd_error_clear();
	vd_case_free(d);
	return ok;
}

static int dup_list_add(vd_case *orig, const vd_case *d)
{
	for (size_t i = 0; i < orig->n_dups; i++)
		if (orig->dups[i].case_id == d->id)
			return VD_OK;
	if (orig->n_dups >= VD_CASE_DUPS)
		return vd_error_set(VD_ETOOBIG, "case %lld already lists %d duplicates", (long long)orig->id, VD_CASE_DUPS);
	vd_case_dup *x = &orig->dups[orig->n_dups++];
	x->case_id = d->id;
	x->reporter = vd_case_str(orig, d->reporter);
	x->reporter_id = d->reporter_id;
	x->submitted = vd_case_str(orig, d->submitted);
	return VD_OK;
}

/* Link duplicate d to orig: d's credit points at orig, orig lists d. */
static int dup_link(vd_case *orig, vd_case *d)
{
	char link[32];
	snprintf(link, sizeof link, "case:%lld", (long long)orig->id);
	d->duplicate_of = vd_case_str(d, link);
	d->credit_case = orig->id;
	d->credit = NULL;
	d->credit_id = 0;
	return dup_list_add(orig, d);
}

/* d, an original being marked duplicate of orig: its own duplicates move
 * to orig. */
static int dup_move(vd_service *s, const vd_principal *who, vd_case *d, vd_case *orig)
{
	int rc = VD_OK;
	for (size_t i = 0; !rc && i < d->n_dups; i++) {
		vd_case *x = NULL;
		if (load(s, d->dups[i].case_id, &x) == VD_OK && linked_to(x, d->id)) {
			char text[160];
			snprintf(text, sizeof text, "relinked to case:%lld (case:%lld became its duplicate)", (long long)orig->id,
			         (long long)d->id);
			if (!(rc = dup_link(orig, x)) && !(rc = save(s, x)))
				rc = thread_add(s, who, x->id, "credit", NULL, NULL, text, true);
		}
		vd_error_clear();
		vd_case_free(x);
	}
	d->n_dups = 0;
	return rc;
}

/* The original o is being rejected: promote its earliest still-valid
 * duplicate (the state table's `promote` row), move the credit there and
 * relink the later duplicates to it. */
static int promote(vd_service *s, const vd_principal *who, vd_case *o, char *note, size_t note_n)
{
	dup_ctx x = {s, o->id};
	int k = vd_case_dup_pick(o, dup_valid, &x);
	if (k < 0) {
		snprintf(note, note_n, "rejected%s", o->n_dups ? "; no valid duplicate to promote" : "");
		return VD_OK;
	}
	vd_case *p = NULL;
	int rc = load(s, o->dups[k].case_id, &p);
	if (rc)
		return rc;
	const vd_case_rule *rule = vd_case_rule_find(p->state, VD_CE_PROMOTE);
	if (!rule) {
		vd_case_free(p);
		return vd_error_set(VD_EINTERNAL, "the state table has no promote row for %s", vd_case_state_name(p->state));
	}
	char was[32], msg[600];
	snprintf(was, sizeof was, "case:%lld", (long long)o->id);
	vd_case_state from = p->state;
	p->state = vd_case_rule_target(rule, p, from);
	p->duplicate_of = NULL;
	p->credit_case = 0;
	p->credit = NULL;
	p->credit_id = 0;
	snprintf(msg, sizeof msg, "promoted: the original %s was rejected; the first valid reporter (%s) is credited", was,
	         p->reporter ? p->reporter : "?");
	p->credit_note = vd_case_str(p, msg);
	p->n_dups = 0;
	vd_buf rel;
	vd_buf_init(&rel, 1024);
	for (size_t i = 0; !rc && i < o->n_dups; i++) {
		if ((int)i == k || !dup_valid(&x, o->dups[i].case_id))
			continue;
		vd_case *d = NULL;
		if ((rc = load(s, o->dups[i].case_id, &d)))
			break;
		char text[160];
		snprintf(text, sizeof text, "relinked to case:%lld (the original %s was rejected; credit stays there)",
		         (long long)p->id, was);
		if (!(rc = dup_link(p, d)) && !(rc = save(s, d)))
			rc = thread_add(s, who, d->id, "credit", NULL, NULL, text, true);
		vd_buf_printf(&rel, "%scase:%lld", rel.len ? ", " : "", (long long)d->id);
		vd_case_free(d);
	}
	char target[32];
	snprintf(target, sizeof target, "case:%lld", (long long)p->id);
	if (!rc)
		rc = save(s, p);
	if (!rc)
		rc = thread_add(s, who, p->id, vd_case_event_name(VD_CE_PROMOTE), vd_case_state_name(from),
		                vd_case_state_name(p->state), msg, false);
	if (!rc)
		rc = vd_svc_audit(s, who, "case.promote", target, "ok", "%s → %s; credit moved from %s (rejected) to %s%s%s",
		                  vd_case_state_name(from), vd_case_state_name(p->state), was, p->reporter ? p->reporter : "?",
		                  rel.len ? "; relinked: " : "", rel.len ? vd_buf_str(&rel) : "");
	if (!rc) {
		o->credit_case = p->id;
		o->credit = vd_case_str(o, p->reporter);
		o->credit_id = p->reporter_id;
		snprintf(msg, sizeof msg, "credit moved to case:%lld (this case was rejected)", (long long)p->id);
		o->credit_note = vd_case_str(o, msg);
		snprintf(note, note_n, "rejected; duplicate case:%lld promoted to %s and credited", (long long)p->id,
		         vd_case_state_name(p->state));
	}
	vd_buf_free(&rel);
	vd_case_free(p);
	return rc;
}

/* The vendor a vendor step is for (the guard checked it). */
static int actor_of(const vd_case *c, const vd_case_args *a, const vd_principal *who)
{
	vd_reasons r;
	memset(&r, 0, sizeof r);
	int i = vd_case_vendor_actor(c, a, who, &r);
	if (i < 0)
		return vd_error_set(VD_EINTERNAL, "vendor step without a vendor");
	return i;
}

static void vendor_note(const vd_case *c, const char *what, char *note, size_t n)
{
	char pend[400];
	size_t k = vd_case_vendors_pending(c, pend, sizeof pend);
	if (k)
		snprintf(note, n, "%.500s; not acknowledged yet: %s", what, pend);
	else if (c->fix_status && strcmp(c->fix_status, "released") != 0 && vd_case_vendors_unfixed(c, pend, sizeof pend))
		snprintf(note, n, "%.500s; no fix released yet by: %s", what, pend);
	else
		snprintf(note, n, "%s", what);
}

/* Apply an allowed step to c (inside the transaction). */
static int apply(vd_service *s, const vd_principal *who, vd_case *c, vd_case_event ev, const vd_case_args *a,
                 const vd_user_info *users, const int64_t *new_vendors, char **new_vendor_names, size_t n_new,
                 vd_case *orig, char *note, size_t note_n)
{
	char now[VD_TIME_BUF];
	vd_svc_time(vd_service_now(s), now);
	int rc = VD_OK;
	note[0] = '\0';
	switch (ev) {
	case VD_CE_ASSIGN:
		c->analyst_id = users[0].id;
		c->analyst = vd_case_str(c, users[0].name);
		snprintf(note, note_n, "analyst %s", users[0].name);
		rc = s->store->ops->case_parties(s->store, c->id, "analyst", &c->analyst_id, 1);
		break;
	case VD_CE_REFER:
		for (size_t i = 0; i < a->n_users; i++) {
			bool dup = false;
			for (size_t k = 0; k < c->n_experts && !dup; k++)
				dup = c->expert_ids[k] == users[i].id;
			if (!dup && c->n_experts < VD_CASE_PARTIES) {
				c->expert_ids[c->n_experts] = users[i].id;
				c->experts[c->n_experts++] = vd_case_str(c, users[i].name);
			}
		}
		snprintf(note, note_n, "referred to %zu expert(s)", c->n_experts);
		rc = s->store->ops->case_parties(s->store, c->id, "expert", c->expert_ids, c->n_experts);
		break;
	case VD_CE_VERIFY: {
		if ((rc = grade_case(s, c, a)))
			break;
		if (!vd_str_empty(a->solution))
			c->solution = vd_case_str(c, a->solution);
		/* library id: allocated in this transaction (never reused) */
		time_t t = (time_t)vd_service_now(s);
		struct tm tm;
		gmtime_r(&t, &tm);
		char month[16], id[VD_LIB_ID_BUF + 32];
		snprintf(month, sizeof month, "%04d%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
		int64_t n = 0;
		if ((rc = s->store->ops->library_next(s->store, c->library, month, &n)))
			break;
		snprintf(id, sizeof id, "%s-%s-%04lld", c->library, month, (long long)n);
		if (strlen(id) >= VD_LIB_ID_BUF)
			return vd_error_set(VD_EINTERNAL, "library id %s too long", id);
		c->record_id = vd_case_str(c, id);
		snprintf(note, note_n, "%s, grade %s (%s), class %s", id, c->grade ? c->grade : "-",
		         c->grade_by ? c->grade_by : "-", c->class_code ? c->class_code : "-");
		rc = vd_svc_audit(s, who, "library.id", c->library, "ok", "allocated %s for case %lld", id, (long long)c->id);
		break;
	}
	case VD_CE_REJECT:
		rc = promote(s, who, c, note, note_n);
		break;
	case VD_CE_DUPLICATE:
		if (!orig) {   /* a record: its credits stay as they are */
			c->duplicate_of = vd_case_str(c, a->original);
			snprintf(note, note_n, "duplicate of %s (the record keeps its credits)", a->original);
			break;
		}
		if ((rc = dup_move(s, who, c, orig)) || (rc = dup_link(orig, c)) || (rc = save(s, orig)))
			break;
		{
			char text[300];
			snprintf(text, sizeof text, "case:%lld (reporter %s) marked duplicate of this case; the credit stays here",
			         (long long)c->id, c->reporter ? c->reporter : "?");
			rc = thread_add(s, who, orig->id, "credit", NULL, NULL, text, true);
		}
		snprintf(note, note_n, "duplicate of case:%lld (the first valid reporter keeps the credit)", (long long)orig->id);
		break;
	case VD_CE_NOTIFY:
		for (size_t i = 0; i < n_new; i++) {
			c->vendor_ids[c->n_vendors] = new_vendors[i];
			c->vendors[c->n_vendors++] = vd_case_str(c, new_vendor_names[i]);
		}
		if (!c->notified_at)
			c->notified_at = vd_case_str(c, now);
		for (size_t i = 0; i < c->n_vendors; i++)
			if (!c->vstat[i].notified_at)
				c->vstat[i].notified_at = vd_case_str(c, now);
		snprintf(note, note_n, "%zu vendor(s)", c->n_vendors);
		rc = s->store->ops->case_parties(s->store, c->id, "vendor", c->vendor_ids, c->n_vendors);
		break;
	case VD_CE_ACK:
	case VD_CE_FIX_PROGRESS:
	case VD_CE_FIX_RELEASE: {
		int i = actor_of(c, a, who);
		if (i < 0) {
			rc = i;
			break;
		}
		vd_case_vendor *v = &c->vstat[i];
		char what[600];
		if (!v->acked_at)
			v->acked_at = vd_case_str(c, now);
		if (ev == VD_CE_ACK) {
			snprintf(what, sizeof what, "%s acknowledged", c->vendors[i]);
		} else if (ev == VD_CE_FIX_PROGRESS) {
			v->fix_status = vd_case_str(c, "in-progress");
			snprintf(what, sizeof what, "%s: fix in progress", c->vendors[i]);
		} else {
			v->fix_status = vd_case_str(c, "released");
			v->fix_version = vd_case_str(c, a->version);
			v->fix_patch = vd_case_str(c, a->patch);
			v->fixed_at = vd_case_str(c, now);
			c->fix_version = vd_case_str(c, a->version);
			c->fix_patch = vd_case_str(c, a->patch);
			snprintf(what, sizeof what, "%s: fixed in %s%s%s", c->vendors[i], a->version ? a->version : "-",
			         a->patch ? ", patch " : "", a->patch ? a->patch : "");
		}
		vd_case_vendor_rollup(c, now);
		vendor_note(c, what, note, note_n);
		break;
	}
	case VD_CE_RETEST_PASS:
		c->retests_passed++;
		break;
	case VD_CE_RETEST_FAIL:
		c->retests_failed++;
		for (size_t i = 0; i < c->n_vendors; i++)
			if (c->vstat[i].fix_status && strcmp(c->vstat[i].fix_status, "released") == 0)
				c->vstat[i].fix_status = vd_case_str(c, "in-progress");
		c->fix_status = vd_case_str(c, "in-progress");
		break;
	case VD_CE_APPROVE:
		c->approved_by = vd_case_str(c, who->name);
		c->approved_at = vd_case_str(c, now);
		c->approval = vd_case_str(c, a->text);
		c->approved_early = a->early;
		snprintf(note, note_n, "approved by %s%s", who->name, a->early ? " (also before the deadline)" : "");
		break;
	case VD_CE_UPDATE: {
		vd_buf b;
		vd_buf_init(&b, 512);
		if (!vd_str_empty(a->solution)) {
			c->solution = vd_case_str(c, a->solution);
			vd_buf_adds(&b, "solution; ");
		}
		if (!vd_str_empty(a->grade) || !vd_str_empty(a->vector) || !vd_str_empty(a->class_code) ||
		    !vd_str_empty(a->cwe)) {
			if ((rc = grade_case(s, c, a))) {
				vd_buf_free(&b);
				break;
			}
			vd_buf_printf(&b, "grade %s (%s); ", c->grade ? c->grade : "-", c->grade_by ? c->grade_by : "-");
		}
		if (a->operator_set) {
			c->operator_details = a->operator_details;
			vd_buf_printf(&b, "operator-details flag %s; ", a->operator_details ? "set" : "cleared");
		}
		if (!vd_str_empty(a->override_reason)) {
			c->override_by = vd_case_str(c, who->name);
			c->override_reason = vd_case_str(c, a->override_reason);
			vd_buf_adds(&b, "blackout override; ");
		}
		if (!vd_str_empty(a->ref_url)) {
			const char *ty = vd_str_empty(a->ref_type) ? "web" : a->ref_type;
			bool found = false;
			for (size_t i = 0; i < c->n_refs; i++)
				if (strcmp(c->refs[i].url, a->ref_url) == 0) {
					c->refs[i].type = vd_case_str(c, ty);
					found = true;
				}
			if (!found) {
				if (c->n_refs >= VD_CASE_REFS) {
					vd_buf_free(&b);
					rc = vd_error_set(VD_ETOOBIG, "at most %d references", VD_CASE_REFS);
					break;
				}
				c->refs[c->n_refs].url = vd_case_str(c, a->ref_url);
				c->refs[c->n_refs++].type = vd_case_str(c, ty);
			}
			vd_buf_printf(&b, "reference %s (%s); ", a->ref_url, ty);
		}
		if (!vd_str_empty(a->publish_attachment)) {
			const vd_case_attachment *hit = NULL;
			for (size_t i = 0; i < c->n_att; i++)
				if (strncmp(c->att[i].sha256, a->publish_attachment, strlen(a->publish_attachment)) == 0)
					hit = &c->att[i];
			if (!hit || strlen(a->publish_attachment) < 8) {
				vd_buf_free(&b);
				rc = vd_error_set(VD_EINVAL, "no attachment %s in case %lld", a->publish_attachment, (long long)c->id);
				break;
			}
			if ((rc = s->store->ops->attachment_publish(s->store, c->id, hit->sha256, true))) {
				vd_buf_free(&b);
				break;
			}
			((vd_case_attachment *)hit)->publish = true;
			vd_buf_printf(&b, "attachment %.12s marked for publication; ", hit->sha256);
		}
		vd_strlcpy(note, b.len ? vd_buf_str(&b) : "nothing changed", note_n);
		vd_buf_free(&b);
		break;
	}
	case VD_CE_PUBLISH:
		c->published_at = vd_case_str(c, now);
		break;
	default:
		break;
	}
	return rc;
}

/* A refused step: rolled back; the refusal itself is audited. */
static int refuse(vd_service *s, const vd_principal *who, const char *target, vd_case_event ev,
                  const vd_reasons *why)
{
	char msg[2048];
	vd_reasons_join(why, msg, sizeof msg);
	char act[48];
	snprintf(act, sizeof act, "case.%s", vd_case_event_name(ev));
	vd_svc_audit(s, who, act, target, "denied", "%s", msg);
	return vd_error_set(VD_EPERM, "%s refused: %s", vd_case_event_name(ev), msg);
}

int vd_service_case_step(vd_service *s, const vd_principal *who, int64_t id, vd_case_event ev,
                         const vd_case_args *a, vd_reasons *why_out)
{
	vd_reasons why_local, *why = why_out ? why_out : &why_local;
	memset(why, 0, sizeof *why);
	vd_case_args none;
	memset(&none, 0, sizeof none);
	if (!a)
		a = &none;
	if ((unsigned)ev >= VD_CE_COUNT_ || ev == VD_CE_SUBMIT || ev == VD_CE_PROMOTE)
		return vd_error_set(VD_EINVAL, "not a case step (report submit is intake; promote follows a reject)");
	int rc = check_args(a);
	if (rc)
		return rc;
	char target[32];
	snprintf(target, sizeof target, "case:%lld", (long long)id);
	vd_case *c = NULL, *orig = NULL;
	vd_library_info *lib = malloc(sizeof *lib);
	vd_user_info users[VD_CASE_PARTIES];
	int64_t nv_ids[VD_CASE_PARTIES];
	char *nv_names[VD_CASE_PARTIES];
	size_t n_nv = 0;
	if (!lib)
		return vd_error_set(VD_ENOMEM, "out of memory");
	if ((rc = vd_svc_tx_begin(s))) {
		free(lib);
		return rc;
	}
	if ((rc = load(s, id, &c)))
		goto fail;
	vd_case_state from = c->state;
	const vd_case_rule *rule = vd_case_rule_find(from, ev);
	/* permission first: the table's action, or the reporter where allowed */
	vd_action act = rule ? rule->action : (ev == VD_CE_COMMENT ? VD_ACT_CASE_READ : VD_ACT_CASE_TRIAGE);
	bool reporter = rule && rule->reporter_may && who->user_id != 0 && who->user_id == c->reporter_id;
	vd_perm_ctx ctx;
	int64_t as[VD_CASE_PARTIES + 1];
	perm_ctx(c, &ctx, as);
	if (!reporter && vd_perm_check(who, act, &ctx) != VD_OK) {
		char msg[512];
		vd_strlcpy(msg, vd_error_msg(), sizeof msg);
		vd_store_rollback(s->store);
		vd_svc_allow(s, who, act, &ctx, target);   /* audits the refusal */
		vd_reasons_add(why, "permission", "%s", msg);
		vd_case_free(c);
		vd_case_free(orig);
		free(lib);
		return vd_error_set(VD_EPERM, "%s refused: %s", vd_case_event_name(ev), msg);
	}
	if (!rule) {
		char allowed[256] = "";
		size_t at = 0;
		uint32_t m = vd_case_events_in(from);
		for (int e = 1; e < VD_CE_COUNT_; e++)
			if (m & (1u << e)) {
				int k = snprintf(allowed + at, sizeof allowed - at, "%s%s", at ? ", " : "",
				                 vd_case_event_name((vd_case_event)e));
				if (k > 0 && (size_t)k < sizeof allowed - at)
					at += (size_t)k;
			}
		vd_reasons_add(why, "state", "a case in state %s cannot take the step %s (possible: %s)",
		               vd_case_state_name(from), vd_case_event_name(ev), at ? allowed : "none");
		goto refused;
	}
	/* the guard, with the library policy and the blackout answer */
	bool have_lib = s->store->ops->library_get(s->store, c->library, lib) == VD_OK;
	vd_error_clear();
	vd_guard_env env = {.now = vd_service_now(s), .who = who, .lib = have_lib ? lib : NULL};
	vd_blackout hit;
	memset(&hit, 0, sizeof hit);
	if (have_lib && vd_service_library_blackout(s, c->library, env.now, &env.in_blackout, &hit) == VD_OK &&
	    env.in_blackout)
		env.blackout_reason = hit.reason;
	vd_error_clear();
	if (rule->guard)
		rule->guard(c, a, &env, why);
	if (ev == VD_CE_ASSIGN)
		resolve_users(s, a, VD_ROLE_ANALYST, users, why);
	if (ev == VD_CE_REFER)
		resolve_users(s, a, VD_ROLE_EXPERT, users, why);
	if (ev == VD_CE_VERIFY && !why->n) {
		/* the verdict may bring the grade; check the result would be graded */
		if (!vd_str_empty(a->class_code) && !vd_gbt_class_get(a->class_code))
			vd_reasons_add(why, "class", "unknown GB/T 30279 class code '%.20s'", a->class_code);
	}
	if (ev == VD_CE_DUPLICATE && !vd_str_empty(a->original)) {
		if (strncmp(a->original, "case:", 5) == 0) {
			long oid;
			if (vd_parse_long(a->original + 5, 1, 1L << 62, &oid) || load(s, oid, &orig))
				vd_reasons_add(why, "no-original", "no case %.40s", a->original + 5);
			/* a duplicate named as the original: follow it to its original */
			for (int hop = 0; orig && hop < 8 && orig->state == VD_CS_DUPLICATE && orig->duplicate_of &&
			                  strncmp(orig->duplicate_of, "case:", 5) == 0; hop++) {
				vd_case *next = NULL;
				if (vd_parse_long(orig->duplicate_of + 5, 1, 1L << 62, &oid) || load(s, oid, &next))
					break;
				vd_case_free(orig);
				orig = next;
			}
			if (orig && orig->id == c->id)
				vd_reasons_add(why, "self", "a case cannot duplicate itself");
			else if (orig && orig->state == VD_CS_REJECTED)
				vd_reasons_add(why, "original-rejected", "case %lld was rejected: it cannot be an original",
				               (long long)orig->id);
			else if (orig && orig->state == VD_CS_DUPLICATE)
				vd_reasons_add(why, "no-original", "case %lld is a duplicate without an open original",
				               (long long)orig->id);
			else if (orig && orig->n_dups >= VD_CASE_DUPS)
				vd_reasons_add(why, "too-many", "case %lld already lists %d duplicates", (long long)orig->id,
				               VD_CASE_DUPS);
		} else {
			char *rid = NULL;
			if (vd_store_resolve(s->store, a->original, &rid))
				vd_reasons_add(why, "no-original", "no record %.64s", a->original);
			free(rid);
		}
		vd_error_clear();
	}
	if (ev == VD_CE_NOTIFY) {
		for (size_t i = 0; i < a->n_vendors; i++) {
			vd_org_info o;
			if (s->store->ops->org_get(s->store, a->vendors[i], 0, &o)) {
				vd_reasons_add(why, "no-vendor", "no organisation '%.64s'", a->vendors[i]);
				continue;
			}
			if (o.type != VD_ORG_VENDOR) {
				vd_reasons_add(why, "not-vendor", "'%s' is not a vendor organisation", o.name);
				continue;
			}
			bool dup = false;
			for (size_t k = 0; k < c->n_vendors && !dup; k++)
				dup = c->vendor_ids[k] == o.id;
			for (size_t k = 0; k < n_nv && !dup; k++)
				dup = nv_ids[k] == o.id;
			if (!dup && n_nv < VD_CASE_PARTIES) {
				nv_ids[n_nv] = o.id;
				nv_names[n_nv++] = vd_arena_strdup(c->arena, o.name);
			}
		}
		vd_error_clear();
		if (from != VD_CS_VERIFIED && n_nv == 0 && !why->n)
			vd_reasons_add(why, "no-new-vendor", "name a vendor that was not notified yet");
	}
	if (why->n)
		goto refused;
	char note[1024];
	if ((rc = apply(s, who, c, ev, a, users, nv_ids, nv_names, n_nv, orig, note, sizeof note)))
		goto fail;
	c->state = vd_case_rule_target(rule, c, from);
	if ((rc = save(s, c)))
		goto fail;
	/* the record: created at verify, kept in step while verified, made
	 * public at publish — in this same transaction */
	if (c->record_id && (ev == VD_CE_VERIFY || ev == VD_CE_UPDATE || ev == VD_CE_PUBLISH ||
	                     ev == VD_CE_FIX_RELEASE || ev == VD_CE_NOTIFY))
		if ((rc = case_record(s, c)))
			goto fail;
	bool staff_only = ev == VD_CE_OPINION || ev == VD_CE_REFER || ev == VD_CE_APPROVE || ev == VD_CE_UPDATE;
	vd_buf tx;
	vd_buf_init(&tx, VD_CASE_TEXT_MAX + 2048);
	if (ev == VD_CE_OPINION)
		vd_buf_printf(&tx, "[%s] ", vd_str_empty(a->verdict) ? "opinion" : a->verdict);
	vd_buf_adds(&tx, note);
	if (!vd_str_empty(a->text))
		vd_buf_printf(&tx, "%s%s", note[0] ? ": " : "", a->text);
	rc = thread_add(s, who, c->id, vd_case_event_name(ev), vd_case_state_name(from), vd_case_state_name(c->state),
	                vd_buf_str(&tx), staff_only);
	vd_buf_free(&tx);
	if (!rc) {
		char act_name[48];
		snprintf(act_name, sizeof act_name, "case.%s", vd_case_event_name(ev));
		rc = vd_svc_audit(s, who, act_name, target, "ok", "%s → %s%s%.400s%s%s", vd_case_state_name(from),
		                  vd_case_state_name(c->state), note[0] ? "; " : "", note,
		                  ev == VD_CE_OPINION || ev == VD_CE_COMMENT ? "" : (a->text ? "; " : ""),
		                  ev == VD_CE_OPINION || ev == VD_CE_COMMENT ? "" : (a->text ? a->text : ""));
	}
	if ((rc = vd_svc_tx_end(s, rc)))
		goto done;
	/* mail after the commit: the case is notified whatever the mail does;
	 * the notifications log says what happened */
	if (ev == VD_CE_NOTIFY) {
		vd_buf body;
		vd_buf_init(&body, 16384);
		char subject[300];
		notify_body(s, c, &body, subject, sizeof subject);
		mail_vendors(s, c, from == VD_CS_VERIFIED ? c->vendor_ids : nv_ids,
		             from == VD_CS_VERIFIED ? c->n_vendors : n_nv, "notify", subject, vd_buf_str(&body));
		vd_buf_free(&body);
	}
	goto done;
refused:
	vd_store_rollback(s->store);
	rc = refuse(s, who, target, ev, why);
	goto done;
fail: {
	char msg[512];
	vd_strlcpy(msg, vd_error_msg(), sizeof msg);
	vd_store_rollback(s->store);
	vd_error_set(rc, "%s", msg);
}
done:
	vd_case_free(c);
	vd_case_free(orig);
	free(lib);
	return rc;
}

/* ---- clocks ---- */

typedef struct {
	int64_t id;
	char *doc;
} due_row;

typedef struct {
	due_row *rows;
	size_t n, cap;
	int err;
} due_rows;

static int collect_row(void *ctx, const vd_case_row *r)
{
	due_rows *d = ctx;
	if (strcmp(r->state, "notified") && strcmp(r->state, "acknowledged") && strcmp(r->state, "fixing"))
		return 0;
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 32;
		due_row *nr = realloc(d->rows, nc * sizeof *nr);
		if (!nr)
			return d->err = vd_error_set(VD_ENOMEM, "out of memory");
		d->rows = nr;
		d->cap = nc;
	}
	d->rows[d->n].id = r->id;
	if (!(d->rows[d->n].doc = strdup(r->doc)))
		return d->err = vd_error_set(VD_ENOMEM, "out of memory");
	d->n++;
	return 0;
}

int vd_service_cases_due(vd_service *s, const vd_principal *who, bool fire,
                         int (*cb)(void *ctx, const vd_due_item *d), void *ctx)
{
	int rc = vd_svc_allow(s, who, VD_ACT_CASE_TRIAGE, NULL, "cases");
	if (rc)
		return rc;
	due_rows rows = {0};
	rc = s->store->ops->case_list(s->store, NULL, 0, 0, collect_row, &rows);
	if (!rc && rows.err)
		rc = rows.err;
	int64_t now = vd_service_now(s);
	vd_library_info *lib = malloc(sizeof *lib);
	if (!lib)
		rc = vd_error_set(VD_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < rows.n; i++) {
		vd_case *c = NULL;
		if (vd_case_from_json(rows.rows[i].doc, strlen(rows.rows[i].doc), &c))
			continue;
		c->id = rows.rows[i].id;
		bool have = s->store->ops->library_get(s->store, c->library, lib) == VD_OK;
		vd_error_clear();
		vd_clock_item items[VD_CLOCK_ITEMS];
		size_t n = vd_clock_due(c, have ? lib : NULL, now, items);
		for (size_t k = 0; !rc && k < n; k++) {
			vd_due_item d = {.case_id = c->id, .record_id = c->record_id, .library = c->library,
			                 .state = vd_case_state_name(c->state), .title = c->title, .item = items[k]};
			if (fire) {
				char ts[VD_TIME_BUF], target[32], due[VD_TIME_BUF], text[320];
				vd_svc_time(now, ts);
				vd_svc_time(items[k].deadline, due);
				snprintf(target, sizeof target, "case:%lld", (long long)c->id);
				char pend[200] = "";
				bool ack_item = strcmp(items[k].kind, "ack-overdue") == 0;
				if (ack_item)
					vd_case_vendors_pending(c, pend, sizeof pend);
				else
					vd_case_vendors_unfixed(c, pend, sizeof pend);
				snprintf(text, sizeof text, "%s: deadline %s%s%s", items[k].kind, due,
				         pend[0] ? (ack_item ? "; not acknowledged: " : "; no fix from: ") : "", pend);
				bool fired = false;
				if ((rc = vd_svc_tx_begin(s)))
					break;
				rc = s->store->ops->reminder_fire(s->store, c->id, items[k].kind, ts, &fired);
				if (!rc && fired)
					rc = thread_add(s, NULL, c->id, items[k].escalation ? "escalation" : "reminder", NULL, NULL, text,
					                items[k].escalation);
				if (!rc && fired)
					rc = vd_svc_audit(s, who, items[k].escalation ? "case.escalation" : "case.reminder", target, "ok",
					                  "%s", text);
				if ((rc = vd_svc_tx_end(s, rc)))
					break;
				d.fired_now = fired;
				if (fired && !items[k].escalation) {
					char subject[300];
					snprintf(subject, sizeof subject, "[vulnd] reminder: case %lld (%.60s), fix deadline %s",
					         (long long)c->id, c->product ? c->product : "", due);
					vd_buf body;
					vd_buf_init(&body, 16384);
					char sub2[300];
					notify_body(s, c, &body, sub2, sizeof sub2);
					mail_vendors(s, c, c->vendor_ids, c->n_vendors, "reminder", subject, vd_buf_str(&body));
					vd_buf_free(&body);
				} else if (fired) {
					char now2[VD_TIME_BUF], rcpt[100];
					vd_svc_time(now, now2);
					snprintf(rcpt, sizeof rcpt, "analyst:%.64s", c->analyst ? c->analyst : "(unassigned)");
					vd_notice_row nr = {c->id, now2, "escalation", rcpt, text, "logged"};
					s->store->ops->notice_add(s->store, &nr);
					vd_error_clear();
				}
			}
			if (cb && (rc = cb(ctx, &d)) != 0)
				break;
		}
		vd_case_free(c);
	}
	for (size_t i = 0; i < rows.n; i++)
		free(rows.rows[i].doc);
	free(rows.rows);
	free(lib);
	return rc;
}
