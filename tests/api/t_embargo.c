/* The embargo matrix (issue 7) over the HTTP handlers, in-process: a
 * database with real published records (../shared/data), two unpublished
 * cases with attachments (one verified, so with an unpublished record, one
 * in triage) and one published case with a private attachment.  Then EVERY
 * route of the routing table (enumerated, so a new route is covered without
 * touching this file) is called by EVERY role: anonymous, reporter, other
 * reporter, vendor of the product, other vendor, analyst, expert (assigned
 * to one case only), admin, with every path parameter taken from a pool of
 * case ids, record ids, attachment hashes, names and steps, query variants
 * (search words, filters) and bodies (batch ids, OSV queries; writes get a
 * body with an unknown field, so nothing changes).  No answer to a role may
 * hold a title, description, attachment byte, attachment hash or record id
 * of a case that role may not see.  Positive controls make sure the allowed
 * roles do see them (so the matrix cannot pass by seeing nothing). */
#include "harness.h"
#include "vulnd/error.h"
#include "vulnd/http.h"
#include "vulnd/service.h"
#include <ctype.h>
#include <jansson.h>
#include <unistd.h>

enum { ANON, REP1, REP2, VEN1, VEN2, ANA, EXP, ADM, N_ROLES };
static const char *const role_label[N_ROLES] = {"anonymous", "reporter", "other-reporter", "vendor",
                                                "other-vendor", "analyst", "expert", "admin"};
static const char *const user_of[N_ROLES] = {NULL, "rep1", "rep2", "ven1", "ven2", "ana", "exp", "adm"};
static char token[N_ROLES][VD_SECRET_BUF];
static vd_principal who[N_ROLES];

static vd_service *svc;
static vd_http_config cfg;
static int64_t clock_now;
static int64_t test_clock(void *ctx) { (void)ctx; return clock_now; }

/* The cases and what is secret about them. */
enum { CA, CB, CC, N_CASES };
typedef struct {
	int64_t id;
	char idstr[24];
	const char *title_word, *desc_word, *bytes;   /* markers (lower case compared) */
	char sha[VD_HASH_HEX];
	char record[VD_LIB_ID_BUF];
	bool title_public;                             /* C: published */
	bool may[N_ROLES];                             /* who may see it (and its attachment) */
	int seen_title[N_ROLES], seen_bytes[N_ROLES];  /* positive controls */
} secret_case;
static secret_case cases[N_CASES];
static long n_requests, n_leaks;

static void quiet(void *ctx, const char *where, const char *reason) { (void)ctx; (void)where; (void)reason; }

static int import(const char *rel)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/data/%s", vt_shared(), rel);
	vd_import_cb cb = {.skipped = quiet};
	vd_import_stats st;
	memset(&st, 0, sizeof st);
	return vd_service_import(svc, VD_FMT_AUTO, p, &cb, &st);
}

/* ---- the setup ---- */

static int submit(int role, const char *title, const char *desc, const char *product, const char *bytes,
                  int64_t *id)
{
	vd_attachment_in att = {.name = "poc.py", .data = bytes, .len = strlen(bytes), .kind = "poc"};
	vd_report_in in = {.title = title, .description = desc, .product = product, .version = "1.0",
	                   .cwe = "CWE-787", .attachments = &att, .n_attachments = 1};
	int rc = vd_service_report_submit(svc, &who[role], &in, id, NULL, NULL);
	if (rc)
		fprintf(stderr, "  submit: %s\n", vd_error_msg());
	return rc;
}

static int step(int role, int64_t id, vd_case_event ev, vd_case_args *a)
{
	vd_reasons why;
	int rc = vd_service_case_step(svc, &who[role], id, ev, a, &why);
	if (rc) {
		char buf[1024];
		vd_reasons_join(&why, buf, sizeof buf);
		fprintf(stderr, "  step %s on case %lld: %s (%s)\n", vd_case_event_name(ev), (long long)id, vd_error_msg(),
		        buf);
	}
	return rc;
}

static void fill(secret_case *c)
{
	vd_case *k = NULL;
	snprintf(c->idstr, sizeof c->idstr, "%lld", (long long)c->id);
	vd_principal local = vd_principal_local("cli");
	if (vd_service_case_get(svc, &local, c->id, &k) == VD_OK) {
		if (k->n_att)
			vd_strlcpy(c->sha, k->att[0].sha256, sizeof c->sha);
		if (k->record_id)
			vd_strlcpy(c->record, k->record_id, sizeof c->record);
		vd_case_free(k);
	}
}

static void t_setup(void)
{
	vd_principal local = vd_principal_local("cli");
	int64_t oid;
	REQUIRE(vd_service_org_add(svc, &local, "Acme Embargo", VD_ORG_VENDOR, &oid) == VD_OK);
	REQUIRE(vd_service_org_add(svc, &local, "Other Vendor", VD_ORG_VENDOR, &oid) == VD_OK);
	REQUIRE(vd_service_org_product_add(svc, &local, "Acme Embargo", "embargo-widget") == VD_OK);
	REQUIRE(vd_service_org_product_add(svc, &local, "Other Vendor", "other-gadget") == VD_OK);
	REQUIRE(vd_service_org_contact_add(svc, &local, "Acme Embargo", "psirt@acme.example", NULL) == VD_OK);
	static const vd_role roles[N_ROLES] = {VD_ROLE_ANONYMOUS, VD_ROLE_REPORTER, VD_ROLE_REPORTER, VD_ROLE_VENDOR,
	                                       VD_ROLE_VENDOR, VD_ROLE_ANALYST, VD_ROLE_EXPERT, VD_ROLE_ADMIN};
	static const char *const orgs[N_ROLES] = {NULL, NULL, NULL, "Acme Embargo", "Other Vendor", NULL, NULL, NULL};
	who[ANON] = vd_principal_anonymous();
	for (int r = 1; r < N_ROLES; r++) {
		int64_t uid;
		REQUIRE(vd_service_user_add(svc, &local, user_of[r], roles[r], orgs[r], "embargo-pass-1", &uid) == VD_OK);
		REQUIRE(vd_service_token_create(svc, &local, user_of[r], VD_SCOPE_ADMIN, 0, token[r], NULL) == VD_OK);
		REQUIRE(vd_service_token_auth(svc, token[r], &who[r]) == VD_OK);
	}
	/* A: rep1, Acme's product, referred to the expert, verified and notified */
	secret_case *a = &cases[CA], *b = &cases[CB], *c = &cases[CC];
	a->title_word = "titalphazq";
	a->desc_word = "descalphazq";
	a->bytes = "alpha-poc-bytes-7f3a9e";
	REQUIRE(submit(REP1, "Titalphazq zebra heap overflow in embargo-widget",
	               "Descalphazq: a crafted zebra packet overflows the parser of embargo-widget.", "embargo-widget",
	               a->bytes, &a->id) == VD_OK);
	vd_case_args x;
	memset(&x, 0, sizeof x);
	x.users[0] = "ana";
	x.n_users = 1;
	REQUIRE(step(ANA, a->id, VD_CE_ASSIGN, &x) == VD_OK);
	x.users[0] = "exp";
	REQUIRE(step(ANA, a->id, VD_CE_REFER, &x) == VD_OK);
	memset(&x, 0, sizeof x);
	x.verdict = "verified";
	x.text = "reproduced";
	REQUIRE(step(EXP, a->id, VD_CE_OPINION, &x) == VD_OK);
	memset(&x, 0, sizeof x);
	x.vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	REQUIRE(step(ANA, a->id, VD_CE_VERIFY, &x) == VD_OK);
	memset(&x, 0, sizeof x);
	REQUIRE(step(ANA, a->id, VD_CE_NOTIFY, &x) == VD_OK);
	/* B: rep2, the other vendor's product, in triage */
	b->title_word = "titbravozq";
	b->desc_word = "descbravozq";
	b->bytes = "bravo-poc-bytes-91c2d4";
	REQUIRE(submit(REP2, "Titbravozq zebra path traversal in other-gadget",
	               "Descbravozq: zebra dot-dot sequences escape the web root of other-gadget.", "other-gadget",
	               b->bytes, &b->id) == VD_OK);
	/* C: rep1, Acme's product, published (its attachment stays private) */
	c->title_word = "titcharliezq";
	c->desc_word = "desccharliezq";
	c->bytes = "charlie-poc-bytes-5e6f70";
	c->title_public = true;
	REQUIRE(submit(REP1, "Titcharliezq zebra command injection in embargo-widget",
	               "Desccharliezq: the zebra diagnostics page of embargo-widget runs shell commands.",
	               "embargo-widget", c->bytes, &c->id) == VD_OK);
	memset(&x, 0, sizeof x);
	x.users[0] = "ana";
	x.n_users = 1;
	REQUIRE(step(ANA, c->id, VD_CE_ASSIGN, &x) == VD_OK);
	memset(&x, 0, sizeof x);
	x.vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	REQUIRE(step(ANA, c->id, VD_CE_VERIFY, &x) == VD_OK);
	memset(&x, 0, sizeof x);
	x.solution = "Upgrade embargo-widget to 2.0.";
	x.operator_set = true;
	x.operator_details = false;
	REQUIRE(step(ANA, c->id, VD_CE_UPDATE, &x) == VD_OK);
	memset(&x, 0, sizeof x);
	x.text = "coordinated: publish now";
	x.early = true;
	REQUIRE(step(ANA, c->id, VD_CE_APPROVE, &x) == VD_OK);
	memset(&x, 0, sizeof x);
	REQUIRE(step(ANA, c->id, VD_CE_PUBLISH, &x) == VD_OK);
	for (int k = 0; k < N_CASES; k++)
		fill(&cases[k]);
	CHECK(a->sha[0] && b->sha[0] && c->sha[0]);
	CHECK(a->record[0] && c->record[0] && !b->record[0]);
	/* who may see what */
	static const int see_a[] = {REP1, VEN1, ANA, EXP, ADM}, see_b[] = {REP2, VEN2, ANA, ADM},
	                 see_c[] = {REP1, VEN1, ANA, ADM};
	for (size_t i = 0; i < sizeof see_a / sizeof *see_a; i++)
		a->may[see_a[i]] = true;
	for (size_t i = 0; i < sizeof see_b / sizeof *see_b; i++)
		b->may[see_b[i]] = true;
	for (size_t i = 0; i < sizeof see_c / sizeof *see_c; i++)
		c->may[see_c[i]] = true;
}

/* ---- checking one answer ---- */

static bool has(const char *lower_body, size_t n, const char *needle)
{
	if (!needle || !*needle)
		return false;
	size_t l = strlen(needle);
	char low[128];
	if (l >= sizeof low)
		return false;
	for (size_t i = 0; i < l; i++)
		low[i] = (char)tolower((unsigned char)needle[i]);
	return memmem(lower_body, n, low, l) != NULL;
}

/* Secrets of case k a role may not see must not be in the answer (unless
 * the request itself held them: an echo is not a leak). */
static void check_answer(int role, const char *method, const char *target, const char *body, unsigned status,
                         const char *out, size_t n)
{
	char *low = malloc(n + 1), req[4096];
	if (!low)
		return;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)out[i]);
	low[n] = 0;
	snprintf(req, sizeof req, "%s %s", target, body ? body : "");
	size_t rl = strlen(req);
	for (size_t i = 0; i < rl; i++)
		req[i] = (char)tolower((unsigned char)req[i]);
	for (int k = 0; k < N_CASES; k++) {
		secret_case *c = &cases[k];
		char sha16[17];
		snprintf(sha16, sizeof sha16, "%.16s", c->sha);
		const char *secret[6] = {c->title_public ? NULL : c->title_word, c->title_public ? NULL : c->desc_word,
		                         c->bytes, sha16, c->title_public ? NULL : c->record, NULL};
		if (has(low, n, c->title_word))
			c->seen_title[role]++;
		if (has(low, n, c->bytes))
			c->seen_bytes[role]++;
		if (c->may[role])
			continue;
		for (int s = 0; secret[s]; s++) {
			if (!*secret[s] || !has(low, n, secret[s]) || has(req, rl, secret[s]))
				continue;
			n_leaks++;
			if (n_leaks <= 20)
				fprintf(stderr, "  LEAK: %s %s %s (%u) shows '%s' of case %c:\n    %.300s\n", role_label[role],
				        method, target, status, secret[s], 'A' + k, out);
		}
	}
	free(low);
}

static unsigned call(int role, const char *method, const char *target, const char *body)
{
	vd_http_cred cred = {.bearer = role == ANON ? NULL : token[role], .client = "127.0.0.1"};
	unsigned st = 0;
	char *out = NULL;
	size_t n = 0;
	vd_http_handle_ex(&cfg, svc, &cred, method, target, body, body ? strlen(body) : 0, &st, &out, &n, NULL);
	n_requests++;
	check_answer(role, method, target, body, st, out ? out : "", out ? n : 0);
	free(out);
	return st;
}

/* ---- the matrix ---- */

static const char *const steps[] = {"assign", "refer", "opinion", "verify", "reject", "duplicate", "notify", "ack",
                                    "fix-progress", "fix-release", "retest-pass", "retest-fail", "approve",
                                    "update", "comment", "publish", NULL};

/* Values for a path parameter, by the route and the parameter's name;
 * a parameter this does not know gets every value. */
static size_t param_pool(const char *pattern, const char *param, const char **out, size_t max)
{
	size_t n = 0;
#define ADD(v) do { if (n < max && (v) && *(v)) out[n++] = (v); } while (0)
	bool known = false;
	if (!strcmp(param, "sha")) {
		for (int k = 0; k < N_CASES; k++)
			ADD(cases[k].sha);
		return n;
	}
	if (!strcmp(param, "step")) {
		for (int i = 0; steps[i]; i++)
			ADD(steps[i]);
		return n;
	}
	if (strstr(pattern, "/cases/") || strstr(pattern, "/tokens/")) {
		for (int k = 0; k < N_CASES; k++)
			ADD(cases[k].idstr);
		ADD("999");
		known = true;
	}
	if (strstr(pattern, "vulns") || strstr(pattern, "/cwe/")) {
		for (int k = 0; k < N_CASES; k++)
			ADD(cases[k].record);
		ADD("CVE-2021-44228");
		ADD("CWE-787");
		known = true;
	}
	if (strstr(pattern, "/users/") || !strcmp(param, "user")) {
		for (int r = 1; r < N_ROLES; r++)
			ADD(user_of[r]);
		known = true;
	}
	if (strstr(pattern, "/orgs/") && strcmp(param, "user")) {
		ADD("Acme%20Embargo");
		ADD("Other%20Vendor");
		known = true;
	}
	if (strstr(pattern, "/vendors/")) {
		ADD("embargo-widget");
		ADD("Acme%20Embargo");
		ADD("apache");
		known = true;
	}
	if (strstr(pattern, "/libraries/")) {
		ADD("NVDB");
		known = true;
	}
	if (!known) {
		for (int k = 0; k < N_CASES; k++) {
			ADD(cases[k].idstr);
			ADD(cases[k].record);
			ADD(cases[k].sha);
		}
		ADD("rep1");
		ADD("Acme%20Embargo");
		ADD("NVDB");
		ADD("embargo-widget");
	}
	return n;
#undef ADD
}

/* Query strings to try on a GET route ("" = none). */
static size_t queries(const char *pattern, const char **out, size_t max)
{
	static const char *const search[] = {"?q=zebra", "?q=titalphazq", "?q=descbravozq&snippets=1",
	                                     "?q=embargo-widget&snippets=1", "?product=embargo-widget",
	                                     "?vendor=Acme%20Embargo", "?severity=critical&limit=100", "?cwe=CWE-787",
	                                     "?library=NVDB", NULL};
	static const char *const vulns[] = {"?limit=1000", "?product=embargo-widget", "?cwe=CWE-787", "?library=NVDB",
	                                    "?format=osv", NULL};
	static const char *const cases_q[] = {"?state=triage", "?state=notified", "?state=published", NULL};
	size_t n = 0;
	out[n++] = "";
	const char *const *extra = !strcmp(pattern, "/api/v1/search") ? search
	                           : strstr(pattern, "/vulns") ? vulns
	                           : !strcmp(pattern, "/api/v1/cases") ? cases_q : NULL;
	for (size_t i = 0; extra && extra[i] && n < max; i++)
		out[n++] = extra[i];
	return n;
}

/* Bodies to try on a write route: reads-by-POST get real queries, a
 * comment a real text, every other write an unknown field (refused before
 * anything changes; a write without a body, DELETE, gets an unknown query
 * parameter instead). */
static size_t bodies(const char *pattern, const char *target, char out[][512], size_t max)
{
	size_t n = 0;
	size_t tl = strlen(target);
	if (tl > 8 && !strcmp(target + tl - 8, "/comment"))
		snprintf(out[n++], 512, "{\"text\":\"embargo probe comment\"}");
	if (!strcmp(pattern, "/api/v1/vulns/batch")) {
		snprintf(out[n++], 512, "{\"ids\":[\"%s\",\"%s\",\"%s\",\"CVE-2021-44228\"]}", cases[CA].record,
		         cases[CB].idstr, cases[CC].record);
	} else if (!strcmp(pattern, "/v1/query")) {
		snprintf(out[n++], 512, "{\"package\":{\"name\":\"embargo-widget\"},\"version\":\"1.0\"}");
		snprintf(out[n++], 512, "{\"package\":{\"purl\":\"pkg:generic/embargo-widget@1.0\"}}");
		snprintf(out[n++], 512, "{\"package\":{\"name\":\"embargo-widget\",\"ecosystem\":\"generic\"}}");
	} else if (!strcmp(pattern, "/v1/querybatch")) {
		snprintf(out[n++], 512, "{\"queries\":[{\"package\":{\"name\":\"embargo-widget\"},\"version\":\"1.0\"},"
		                        "{\"package\":{\"name\":\"other-gadget\"}}]}");
	} else if (!strcmp(pattern, "/api/v1/login")) {
		snprintf(out[n++], 512, "{\"name\":\"rep1\",\"password\":\"not-the-password\"}");
	}
	if (n < max)
		snprintf(out[n++], 512, "{\"embargo_probe_unknown_field\":1}");
	return n;
}

static void t_matrix(void)
{
	REQUIRE(cases[CA].id && cases[CB].id && cases[CC].id);
	size_t routes = vd_http_route_count();
	CHECK(routes > 40);
	for (size_t ri = 0; ri < routes; ri++) {
		const char *m, *pat;
		vd_http_route_info(ri, &m, &pat);
		/* split the pattern into literal pieces and parameter names */
		const char *pv[2][64];
		size_t npv[2] = {1, 1};
		char names[2][32] = {"", ""};
		int np = 0;
		for (const char *p = strchr(pat, '{'); p && np < 2; p = strchr(p + 1, '{')) {
			size_t l = strcspn(p + 1, "}");
			snprintf(names[np], sizeof names[np], "%.*s", (int)l, p + 1);
			npv[np] = param_pool(pat, names[np], pv[np], 64);
			np++;
		}
		const char *qs[16];
		size_t nq = strcmp(m, "GET") ? 1 : queries(pat, qs, 16);
		if (strcmp(m, "GET"))
			qs[0] = strcmp(m, "DELETE") ? "" : "?embargo_probe=1";
		char bd[4][512];
		for (size_t i0 = 0; i0 < npv[0]; i0++)
			for (size_t i1 = 0; i1 < npv[1]; i1++) {
				/* the target */
				char target[1024];
				size_t o = 0;
				int k = 0;
				for (const char *p = pat; *p && o < sizeof target - 200;) {
					if (*p == '{') {
						const char *v = k == 0 ? pv[0][i0] : pv[1][i1];
						o += (size_t)snprintf(target + o, sizeof target - o, "%s", v);
						k++;
						p = strchr(p, '}') + 1;
					} else {
						target[o++] = *p++;
					}
				}
				target[o] = 0;
				size_t nb = strcmp(m, "GET") ? bodies(pat, target, bd, 4) : 1;
				for (size_t q = 0; q < nq; q++)
					for (size_t b = 0; b < nb; b++) {
						char full[1200];
						snprintf(full, sizeof full, "%s%s", target, qs[q]);
						for (int r = 0; r < N_ROLES; r++)
							call(r, m, full, strcmp(m, "GET") ? bd[b] : NULL);
					}
			}
	}
	printf("# embargo matrix: %zu routes x %d roles, %ld requests, %ld leaks\n", routes, N_ROLES, n_requests,
	       n_leaks);
	CHECK_INT(n_leaks, 0);
	/* positive controls: the allowed roles did see the cases and attachments */
	for (int k = 0; k < N_CASES; k++)
		for (int r = 0; r < N_ROLES; r++) {
			if (cases[k].may[r] && !cases[k].seen_title[r]) {
				fprintf(stderr, "  %s never saw case %c\n", role_label[r], 'A' + k);
				CHECK(false);
			}
			if (cases[k].may[r] && !cases[k].seen_bytes[r]) {
				fprintf(stderr, "  %s never got the attachment of case %c\n", role_label[r], 'A' + k);
				CHECK(false);
			}
		}
	/* the published case is public */
	for (int r = 0; r < N_ROLES; r++)
		if (!cases[CC].seen_title[r]) {
			fprintf(stderr, "  %s never saw the published case C\n", role_label[r]);
			CHECK(false);
		}
}

/* Explicit statuses on the important doors. */
static void t_doors(void)
{
	char t[256];
	for (int r = 0; r < N_ROLES; r++) {
		snprintf(t, sizeof t, "/api/v1/vulns/%s", cases[CA].record);
		CHECK_INT(call(r, "GET", t, NULL), 404);       /* unpublished: nobody through the public API */
		snprintf(t, sizeof t, "/v1/vulns/%s", cases[CA].record);
		CHECK_INT(call(r, "GET", t, NULL), 404);
		snprintf(t, sizeof t, "/api/v1/vulns/%s", cases[CC].record);
		CHECK_INT(call(r, "GET", t, NULL), 200);       /* published: everyone */
		for (int k = 0; k < N_CASES; k++) {
			snprintf(t, sizeof t, "/api/v1/cases/%s", cases[k].idstr);
			unsigned st = call(r, "GET", t, NULL);
			unsigned want = cases[k].may[r] ? 200 : r == ANON ? 401 : 404;
			if (st != want) {
				fprintf(stderr, "  %s GET %s: %u, expected %u\n", role_label[r], t, st, want);
				CHECK(false);
			}
			snprintf(t, sizeof t, "/api/v1/cases/%s/attachments/%s", cases[k].idstr, cases[k].sha);
			st = call(r, "GET", t, NULL);
			if (st != want) {
				fprintf(stderr, "  %s GET %s: %u, expected %u\n", role_label[r], t, st, want);
				CHECK(false);
			}
		}
	}
	/* nothing changed: the states are as set up */
	vd_principal local = vd_principal_local("cli");
	static const vd_case_state want[N_CASES] = {VD_CS_NOTIFIED, VD_CS_TRIAGE, VD_CS_PUBLISHED};
	for (int k = 0; k < N_CASES; k++) {
		vd_case *c = NULL;
		REQUIRE(vd_service_case_get(svc, &local, cases[k].id, &c) == VD_OK);
		CHECK_INT(c->state, want[k]);
		CHECK_INT(c->n_att, 1);
		vd_case_free(c);
	}
}

int main(void)
{
	const char *sh = vt_shared();
	CHECK(sh != NULL);
	char dir[] = "/tmp/vd-embargo-XXXXXX";
	if (!sh || !mkdtemp(dir) || vd_service_open(":memory:", true, &svc) != VD_OK) {
		printf("not ok - shared data, temp dir or database\n");
		vt_failed++;
		return vt_done();
	}
	clock_now = 1893456000;   /* 2030-01-01 */
	vd_service_set_clock(svc, test_clock, NULL);
	vd_auth_policy pol = {.fast_hash = true};
	vd_service_set_auth_policy(svc, &pol);
	vd_case_config cc;
	vd_case_config_defaults(&cc, NULL);
	snprintf(cc.attach_dir, sizeof cc.attach_dir, "%s/att", dir);
	vd_service_case_configure(svc, &cc);
	vd_http_config_init(&cfg);
	cfg.stats_cache_seconds = 0;
	int rc = vd_service_library_ensure_default(svc);
	rc = rc ? rc : import("cve5/cves/2021/44xxx/CVE-2021-44228.json");
	rc = rc ? rc : import("osv/go/GO-2022-0274.json");
	rc = rc ? rc : import("osv/pypi/django/PYSEC-2009-4.yaml");
	if (rc) {
		fprintf(stderr, "  import: %s\n", vd_error_msg());
		vt_failed++;
		return vt_done();
	}
	RUN(t_setup);
	RUN(t_matrix);
	RUN(t_doors);
	vd_service_close(svc);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", dir);
	return vt_done();
}
