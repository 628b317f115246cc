/* Accounts, logins, sessions, tokens, libraries and the audit chain,
 * through the service layer on a SQLite file (time injected by a clock).
 * The tampering tests at the end edit the database file directly with
 * SQLite, the way someone with file access could. */
#include "harness.h"
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <sqlite3.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];
static int64_t clock_now;
static int64_t test_clock(void *ctx) { (void)ctx; return clock_now; }

static const char *PW = "correct horse battery";
static const char *PW2 = "another Passw0rd!";

/* A fresh database with fast hashing and the test clock. */
static vd_service *fresh(const char *name, char *path, size_t n)
{
	snprintf(path, n, "%s/%s.db", dir, name);
	unlink(path);
	vd_service *s = NULL;
	if (vd_service_open(path, true, &s) != VD_OK)
		return NULL;
	int from, to;
	vd_service_set_clock(s, test_clock, NULL);
	vd_auth_policy pol = {.max_failures = 3, .window_s = 600, .lockout_s = 300, .session_ttl_s = 3600,
	                      .fast_hash = true};
	vd_service_set_auth_policy(s, &pol);
	if (vd_service_db_migrate(s, &from, &to) != VD_OK) {
		vd_service_close(s);
		return NULL;
	}
	return s;
}

static vd_service *reopen(const char *path)
{
	vd_service *s = NULL;
	if (vd_service_open(path, false, &s) != VD_OK)
		return NULL;
	vd_service_set_clock(s, test_clock, NULL);
	vd_auth_policy pol = {.max_failures = 3, .window_s = 600, .lockout_s = 300, .session_ttl_s = 3600,
	                      .fast_hash = true};
	vd_service_set_auth_policy(s, &pol);
	return s;
}

static int count_cb(void *ctx, const vd_user_info *u) { (void)u; (*(int *)ctx)++; return 0; }
static int users(vd_service *s)
{
	int n = 0;
	vd_principal me = vd_principal_local("test");
	vd_service_user_list(s, &me, count_cb, &n);
	return n;
}

static int64_t audit_count(vd_service *s)
{
	vd_audit_bounds b;
	vd_principal me = vd_principal_local("test");
	return vd_service_audit_bounds(s, &me, &b) == VD_OK ? b.count : -1;
}

/* Every audit entry must be free of these strings. */
typedef struct {
	const char *const *secrets;
	int hits;
	int n;
} scan_ctx;
static int scan_cb(void *ctx, const vd_audit_entry *e)
{
	scan_ctx *c = ctx;
	c->n++;
	for (const char *const *p = c->secrets; *p; p++)
		if ((e->why && strstr(e->why, *p)) || (e->target && strstr(e->target, *p)) ||
		    (e->actor && strstr(e->actor, *p)))
			c->hits++;
	return 0;
}

static void t_users_and_hostile_input(void)
{
	char path[512];
	clock_now = 1700000000;
	vd_service *s = fresh("users", path, sizeof path);
	REQUIRE(s != NULL);
	vd_principal me = vd_principal_local("test");
	int64_t id = 0;
	CHECK_INT(vd_service_org_add(s, &me, "Acme", VD_ORG_VENDOR, NULL), VD_OK);
	CHECK_INT(vd_service_org_add(s, &me, "Acme", VD_ORG_VENDOR, NULL), VD_ECONFLICT);
	CHECK_INT(vd_service_org_add(s, &me, "ACME", VD_ORG_ALLIANCE, NULL), VD_ECONFLICT);  /* case-insensitive */
	CHECK_INT(vd_service_user_add(s, &me, "alice", VD_ROLE_ANALYST, NULL, PW, &id), VD_OK);
	CHECK(id > 0);
	CHECK_INT(vd_service_user_add(s, &me, "Alice", VD_ROLE_REPORTER, NULL, PW, NULL), VD_ECONFLICT);
	/* a vendor needs a vendor organisation */
	CHECK_INT(vd_service_user_add(s, &me, "bob", VD_ROLE_VENDOR, NULL, PW, NULL), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "vendor organisation") != NULL);
	CHECK_INT(vd_service_user_add(s, &me, "bob", VD_ROLE_VENDOR, "Acme", PW, NULL), VD_OK);
	vd_user_info u;
	CHECK_INT(vd_service_user_get(s, &me, "bob", &u), VD_OK);
	CHECK_STR(u.org, "Acme");
	CHECK_INT(u.role, VD_ROLE_VENDOR);
	CHECK_INT(vd_service_user_get(s, &me, "nobody", &u), VD_ENOTFOUND);

	int n_users = users(s);
	int64_t n_audit = audit_count(s);
	CHECK_INT(n_users, 2);
	/* hostile names and passwords: clear errors, nothing changed */
	char big[300];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK_INT(vd_service_user_add(s, &me, big, VD_ROLE_REPORTER, NULL, PW, NULL), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "longer than") != NULL);
	CHECK_INT(vd_service_user_add(s, &me, "x'; DROP TABLE users;--", VD_ROLE_REPORTER, NULL, PW, NULL), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "user name may contain") != NULL);
	CHECK_INT(vd_service_user_add(s, &me, "bad\xff\xfe", VD_ROLE_REPORTER, NULL, PW, NULL), VD_EINVAL);
	CHECK_INT(vd_service_user_add(s, &me, "", VD_ROLE_REPORTER, NULL, PW, NULL), VD_EINVAL);
	CHECK_INT(vd_service_user_add(s, &me, "carol", VD_ROLE_REPORTER, NULL, "short", NULL), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "short") == NULL || strstr(vd_error_msg(), "shorter") != NULL);
	CHECK_INT(vd_service_user_add(s, &me, "carol", VD_ROLE_REPORTER, NULL, "bad utf8 \xc3\x28 pw", NULL), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "\xc3\x28") == NULL);
	CHECK_INT(vd_service_user_add(s, &me, "carol", VD_ROLE_ANONYMOUS, NULL, PW, NULL), VD_EINVAL);
	CHECK_INT(vd_service_user_add(s, &me, "carol", VD_ROLE_REPORTER, "No Such Org", PW, NULL), VD_ENOTFOUND);
	CHECK_INT(vd_service_org_add(s, &me, big, VD_ORG_VENDOR, NULL), VD_EINVAL);
	CHECK_INT(vd_service_org_add(s, &me, "bad\xc0\xaf", VD_ORG_VENDOR, NULL), VD_EINVAL);
	CHECK_INT(vd_service_org_add(s, &me, "tab\there", VD_ORG_VENDOR, NULL), VD_EINVAL);
	CHECK_INT(vd_service_org_add(s, &me, "   ", VD_ORG_VENDOR, NULL), VD_EINVAL);
	CHECK_INT(vd_service_org_product_add(s, &me, "Acme", big), VD_EINVAL);
	CHECK_INT(vd_service_org_contact_add(s, &me, "Acme", "not-an-email", NULL), VD_EINVAL);
	CHECK_INT(vd_service_org_contact_add(s, &me, "Acme", "a@b.example", "bad\xff"), VD_EINVAL);
	CHECK_INT(users(s), n_users);
	CHECK_INT(audit_count(s), n_audit);
	/* SQL-looking organisation names are just names: stored verbatim */
	const char *sqlish = "Robert'); DROP TABLE orgs;--";
	CHECK_INT(vd_service_org_add(s, &me, sqlish, VD_ORG_REPORTER_TEAM, NULL), VD_OK);
	vd_org_info o;
	CHECK_INT(vd_service_org_get(s, &me, sqlish, &o), VD_OK);
	CHECK_STR(o.name, sqlish);
	CHECK_INT(vd_service_org_get(s, &me, "Acme", &o), VD_OK);
	CHECK_INT(o.n_members, 1);
	/* products only for vendors */
	CHECK_INT(vd_service_org_product_add(s, &me, sqlish, "Thing"), VD_EINVAL);
	CHECK_INT(vd_service_org_product_add(s, &me, "Acme", "Widget 2000"), VD_OK);
	int64_t v[4];
	size_t nv = 0;
	CHECK_INT(vd_service_product_vendors(s, "widget 2000", v, 4, &nv), VD_OK);
	CHECK_INT(nv, 1);
	CHECK_INT(v[0], o.id);
	/* roles and disabling */
	CHECK_INT(vd_service_user_set_role(s, &me, "alice", VD_ROLE_VENDOR), VD_EINVAL);
	CHECK_INT(vd_service_user_set_role(s, &me, "alice", VD_ROLE_EXPERT), VD_OK);
	CHECK_INT(vd_service_user_get(s, &me, "alice", &u), VD_OK);
	CHECK_INT(u.role, VD_ROLE_EXPERT);
	/* bob is a vendor: leaving his only vendor organisation is refused */
	CHECK_INT(vd_service_org_member(s, &me, "Acme", "bob", false), VD_EINVAL);
	CHECK_INT(vd_service_org_get(s, &me, "Acme", &o), VD_OK);
	CHECK_INT(o.n_members, 1);
	vd_service_close(s);
}

static void t_permissions_refused_and_audited(void)
{
	char path[512];
	clock_now = 1700000000;
	vd_service *s = fresh("perm", path, sizeof path);
	REQUIRE(s != NULL);
	vd_principal me = vd_principal_local("test");
	CHECK_INT(vd_service_user_add(s, &me, "rita", VD_ROLE_REPORTER, NULL, PW, NULL), VD_OK);
	vd_session ses;
	vd_principal rita;
	REQUIRE(vd_service_login(s, "rita", PW, "192.0.2.1", &ses, &rita) == VD_OK);
	CHECK_INT(rita.role, VD_ROLE_REPORTER);
	int64_t before = audit_count(s);
	CHECK_INT(vd_service_user_add(s, &rita, "mallory", VD_ROLE_ADMIN, NULL, PW, NULL), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "role 'reporter' may not user.admin") != NULL);
	CHECK_INT(users(s), 1);
	CHECK_INT(audit_count(s), before + 1);   /* the refusal is an event */
	/* a refused request with junk in it: the entry stays printable UTF-8 */
	CHECK_INT(vd_service_user_add(s, &rita, "bad\xff\x01", VD_ROLE_ADMIN, NULL, PW, NULL), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "may not user.admin") != NULL);
	const char *junk[] = {"\xff", "\x01", NULL};
	scan_ctx jc = {junk, 0, 0};
	CHECK_INT(vd_service_audit_list(s, &me, 0, 0, scan_cb, &jc), VD_OK);
	CHECK_INT(jc.hits, 0);
	before++;
	vd_principal anon = vd_principal_anonymous();
	vd_library_info l;
	CHECK_INT(vd_service_library_get(s, &anon, "NVDB", &l), VD_OK);   /* public */
	char id[VD_LIB_ID_BUF];
	CHECK_INT(vd_service_library_next_id(s, &anon, "NVDB", id), VD_EPERM);
	vd_audit_report r;
	CHECK_INT(vd_service_audit_verify(s, &rita, &r), VD_EPERM);
	CHECK_INT(audit_count(s), before + 3);
	vd_user_info u;
	CHECK_INT(vd_service_me(s, &rita, &u), VD_OK);
	CHECK_STR(u.name, "rita");
	CHECK_INT(vd_service_me(s, &anon, &u), VD_EPERM);
	CHECK_INT(vd_service_user_get(s, &rita, "rita", &u), VD_OK);      /* herself */
	CHECK_INT(vd_service_user_get(s, &rita, "someone", &u), VD_EPERM);   /* others: user.list */
	/* authorize: the entry point for other layers */
	vd_perm_ctx own = {.owner_id = rita.user_id}, other = {.owner_id = rita.user_id + 1};
	CHECK_INT(vd_service_authorize(s, &rita, VD_ACT_CASE_READ, &own, "case:1"), VD_OK);
	CHECK_INT(vd_service_authorize(s, &rita, VD_ACT_CASE_READ, &other, "case:2"), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "only for its own") != NULL);
	CHECK_INT(vd_service_audit_verify(s, &me, &r), VD_OK);
	vd_service_close(s);
}

static void t_login_lockout(void)
{
	char path[512];
	clock_now = 1700000000;
	vd_service *s = fresh("login", path, sizeof path);
	REQUIRE(s != NULL);
	vd_principal me = vd_principal_local("test"), p;
	vd_session ses;
	CHECK_INT(vd_service_user_add(s, &me, "dave", VD_ROLE_REPORTER, NULL, PW, NULL), VD_OK);
	CHECK_INT(vd_service_login(s, "dave", "Wr0ng-pass-1", NULL, &ses, &p), VD_EPERM);
	CHECK_STR(vd_error_msg(), "wrong user name or password");
	CHECK_INT(p.role, VD_ROLE_ANONYMOUS);
	CHECK_INT(vd_service_login(s, "nosuchuser", PW, NULL, &ses, &p), VD_EPERM);
	CHECK_STR(vd_error_msg(), "wrong user name or password");   /* same answer */
	CHECK_INT(vd_service_login(s, "dave", "Wr0ng-pass-2", NULL, &ses, &p), VD_EPERM);
	clock_now += 10;
	CHECK_INT(vd_service_login(s, "dave", "Wr0ng-pass-3", NULL, &ses, &p), VD_EPERM);   /* 3rd: locked */
	/* now even the right password is refused, and says until when */
	CHECK_INT(vd_service_login(s, "dave", PW, NULL, &ses, &p), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "too many failed logins") != NULL);
	CHECK_INT(ses.locked_until, 1700000010 + 300);
	CHECK(ses.id[0] == 0);
	clock_now = 1700000010 + 299;
	CHECK_INT(vd_service_login(s, "dave", PW, NULL, &ses, &p), VD_EPERM);
	/* the lockout expires */
	clock_now = 1700000010 + 300;
	CHECK_INT(vd_service_login(s, "dave", PW, NULL, &ses, &p), VD_OK);
	CHECK_STR(p.name, "dave");
	CHECK(strncmp(ses.id, "vds_", 4) == 0 && strlen(ses.id) == 47);
	/* a success clears the count: two failures do not lock */
	CHECK_INT(vd_service_login(s, "dave", "Wr0ng-pass-4", NULL, &ses, &p), VD_EPERM);
	CHECK_INT(vd_service_login(s, "dave", "Wr0ng-pass-4", NULL, &ses, &p), VD_EPERM);
	CHECK_INT(vd_service_login(s, "dave", PW, NULL, &ses, &p), VD_OK);
	/* failures spread over more than the window do not lock */
	for (int i = 0; i < 4; i++) {
		clock_now += 601;
		CHECK_INT(vd_service_login(s, "dave", "Wr0ng-pass-4", NULL, &ses, &p), VD_EPERM);
		CHECK(strstr(vd_error_msg(), "too many") == NULL);
	}
	/* unknown names lock the same way (no account enumeration) */
	for (int i = 0; i < 3; i++)
		vd_service_login(s, "ghost", PW, NULL, &ses, &p);
	CHECK_INT(vd_service_login(s, "ghost", PW, NULL, &ses, &p), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "too many failed logins") != NULL);
	/* disabled accounts cannot log in */
	clock_now += 1000;
	CHECK_INT(vd_service_user_set_disabled(s, &me, "dave", true), VD_OK);
	CHECK_INT(vd_service_login(s, "dave", PW, NULL, &ses, &p), VD_EPERM);
	CHECK_STR(vd_error_msg(), "wrong user name or password");
	CHECK_INT(vd_service_user_set_disabled(s, &me, "dave", false), VD_OK);
	CHECK_INT(vd_service_login(s, "dave", PW, NULL, &ses, &p), VD_OK);
	/* hostile login input */
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK_INT(vd_service_login(s, big, PW, NULL, &ses, &p), VD_EPERM);
	CHECK_INT(vd_service_login(s, "dave", big, NULL, &ses, &p), VD_EPERM);
	CHECK_INT(vd_service_login(s, "' OR 1=1 --", PW, NULL, &ses, &p), VD_EPERM);
	CHECK_INT(vd_service_login(s, "dave\xff", PW, NULL, &ses, &p), VD_EPERM);
	/* the password never reaches the audit chain */
	const char *secrets[] = {PW, "Wr0ng-pass-1", "Wr0ng-pass-3", "Wr0ng-pass-4", NULL};
	scan_ctx sc = {secrets, 0, 0};
	CHECK_INT(vd_service_audit_list(s, &me, 0, 0, scan_cb, &sc), VD_OK);
	CHECK(sc.n > 15);
	CHECK_INT(sc.hits, 0);
	vd_audit_report r;
	CHECK_INT(vd_service_audit_verify(s, &me, &r), VD_OK);
	vd_service_close(s);
}

static void t_sessions_and_csrf(void)
{
	char path[512];
	clock_now = 1700000000;
	vd_service *s = fresh("sess", path, sizeof path);
	REQUIRE(s != NULL);
	vd_principal me = vd_principal_local("test"), p, q;
	vd_session ses;
	CHECK_INT(vd_service_org_add(s, &me, "SU One", VD_ORG_SUPPORT_UNIT, NULL), VD_OK);
	CHECK_INT(vd_service_user_add(s, &me, "erin", VD_ROLE_SUPPORT_UNIT, "SU One", PW, NULL), VD_OK);
	REQUIRE(vd_service_login(s, "erin", PW, NULL, &ses, &p) == VD_OK);
	CHECK_INT(p.n_orgs, 1);
	CHECK_INT(vd_service_session_auth(s, ses.id, &q), VD_OK);
	CHECK_STR(q.name, "erin");
	CHECK_INT(q.via, VD_AUTH_SESSION);
	CHECK_INT(q.role, VD_ROLE_SUPPORT_UNIT);
	/* CSRF: reads need none; cookie writes need the session's token */
	CHECK_INT(vd_service_authenticate(s, NULL, ses.id, NULL, false, &q), VD_OK);
	CHECK_INT(vd_service_authenticate(s, NULL, ses.id, NULL, true, &q), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "CSRF") != NULL);
	CHECK_INT(q.role, VD_ROLE_ANONYMOUS);
	char wrong[VD_SECRET_BUF];
	memcpy(wrong, ses.csrf, sizeof wrong);
	wrong[5] = wrong[5] == 'A' ? 'B' : 'A';
	CHECK_INT(vd_service_authenticate(s, NULL, ses.id, wrong, true, &q), VD_EPERM);
	CHECK_INT(vd_service_authenticate(s, NULL, ses.id, ses.csrf, true, &q), VD_OK);
	CHECK_STR(q.name, "erin");
	/* another session's CSRF token does not fit */
	vd_session ses2;
	REQUIRE(vd_service_login(s, "erin", PW, NULL, &ses2, &p) == VD_OK);
	CHECK(strcmp(ses.id, ses2.id) != 0);
	CHECK_INT(vd_service_csrf_check(s, ses.id, ses2.csrf), VD_EPERM);
	/* no credentials: anonymous; a bad one: refused, not anonymous */
	CHECK_INT(vd_service_authenticate(s, NULL, NULL, NULL, true, &q), VD_OK);
	CHECK_INT(q.role, VD_ROLE_ANONYMOUS);
	CHECK_INT(vd_service_authenticate(s, NULL, "vds_forged", NULL, false, &q), VD_EPERM);
	CHECK_INT(vd_service_session_auth(s, "vds_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &q), VD_EPERM);
	/* expiry */
	clock_now += 3599;
	CHECK_INT(vd_service_session_auth(s, ses.id, &q), VD_OK);
	clock_now += 1;
	CHECK_INT(vd_service_session_auth(s, ses.id, &q), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "expired") != NULL);
	/* logout ends a session; disabling ends all of them */
	clock_now = 1700000000 + 10;
	REQUIRE(vd_service_login(s, "erin", PW, NULL, &ses, &p) == VD_OK);
	CHECK_INT(vd_service_logout(s, ses.id), VD_OK);
	CHECK_INT(vd_service_session_auth(s, ses.id, &q), VD_EPERM);
	REQUIRE(vd_service_login(s, "erin", PW, NULL, &ses, &p) == VD_OK);
	CHECK_INT(vd_service_user_set_disabled(s, &me, "erin", true), VD_OK);
	CHECK_INT(vd_service_session_auth(s, ses.id, &q), VD_EPERM);
	CHECK_INT(vd_service_user_set_disabled(s, &me, "erin", false), VD_OK);
	/* password change: own change needs the old password; ends sessions */
	REQUIRE(vd_service_login(s, "erin", PW, NULL, &ses, &p) == VD_OK);
	CHECK_INT(vd_service_user_set_password(s, &p, "erin", "not it", PW2), VD_EPERM);
	CHECK_INT(vd_service_user_set_password(s, &p, "erin", PW, PW2), VD_OK);
	CHECK_INT(vd_service_session_auth(s, ses.id, &q), VD_EPERM);
	CHECK_INT(vd_service_login(s, "erin", PW, NULL, &ses, &p), VD_EPERM);
	CHECK_INT(vd_service_login(s, "erin", PW2, NULL, &ses, &p), VD_OK);
	const char *secrets[] = {PW, PW2, "not it", ses.id, ses.csrf, ses2.id, NULL};
	scan_ctx sc = {secrets, 0, 0};
	CHECK_INT(vd_service_audit_list(s, &me, 0, 0, scan_cb, &sc), VD_OK);
	CHECK_INT(sc.hits, 0);
	vd_service_close(s);
}

typedef struct {
	int n;
	bool revoked_seen;
} tok_ctx;
static int tok_cb(void *ctx, const vd_token_info *t)
{
	tok_ctx *c = ctx;
	c->n++;
	if (t->revoked[0])
		c->revoked_seen = true;
	return 0;
}

static void t_tokens(void)
{
	char path[512];
	clock_now = 1700000000;
	vd_service *s = fresh("tokens", path, sizeof path);
	REQUIRE(s != NULL);
	vd_principal me = vd_principal_local("test"), p, q;
	CHECK_INT(vd_service_user_add(s, &me, "frank", VD_ROLE_ANALYST, NULL, PW, NULL), VD_OK);
	CHECK_INT(vd_service_user_add(s, &me, "gina", VD_ROLE_REPORTER, NULL, PW, NULL), VD_OK);
	char tok[VD_SECRET_BUF], tok2[VD_SECRET_BUF], tok3[VD_SECRET_BUF];
	vd_token_info ti;
	CHECK_INT(vd_service_token_create(s, &me, "frank", VD_SCOPE_READ, 0, tok, &ti), VD_OK);
	CHECK(strncmp(tok, "vdt_", 4) == 0 && strlen(tok) == 47);
	CHECK_INT(ti.scope, VD_SCOPE_READ);
	CHECK_STR(ti.expires, "");
	CHECK_INT(vd_service_token_auth(s, tok, &p), VD_OK);
	CHECK_STR(p.name, "frank");
	CHECK_INT(p.via, VD_AUTH_TOKEN);
	CHECK_INT(p.scope, VD_SCOPE_READ);
	CHECK_INT(p.token_id, ti.id);
	/* the scope limits the role: read may read unpublished, not edit */
	CHECK_INT(vd_perm_check(&p, VD_ACT_RECORD_READ_UNPUBLISHED, NULL), VD_OK);
	CHECK_INT(vd_perm_check(&p, VD_ACT_RECORD_EDIT, NULL), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "scope 'read'") != NULL);
	/* a token cannot mint tokens */
	CHECK_INT(vd_service_token_create(s, &p, "frank", VD_SCOPE_READ, 0, tok2, NULL), VD_EPERM);
	/* bearer wins over a cookie; bad bearer is refused */
	CHECK_INT(vd_service_authenticate(s, tok, NULL, NULL, true, &q), VD_OK);
	CHECK_STR(q.name, "frank");
	CHECK_INT(vd_service_authenticate(s, "vdt_nonsense", NULL, NULL, false, &q), VD_EPERM);
	char forged[VD_SECRET_BUF];
	memcpy(forged, tok, sizeof forged);
	forged[10] = forged[10] == 'x' ? 'y' : 'x';
	CHECK_INT(vd_service_token_auth(s, forged, &q), VD_EPERM);
	/* write scope with expiry */
	CHECK_INT(vd_service_token_create(s, &me, "gina", VD_SCOPE_WRITE, 2, tok2, &ti), VD_OK);
	CHECK(ti.expires[0] != 0);
	CHECK_INT(vd_service_token_auth(s, tok2, &q), VD_OK);
	CHECK_INT(vd_perm_check(&q, VD_ACT_REPORT_SUBMIT, NULL), VD_OK);
	clock_now += 2 * 86400;
	CHECK_INT(vd_service_token_auth(s, tok2, &q), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "expired") != NULL);
	CHECK(strstr(vd_error_msg(), tok2) == NULL);
	/* revocation: by the owner over a session, not by someone else */
	CHECK_INT(vd_service_token_create(s, &me, "gina", VD_SCOPE_ADMIN, 0, tok3, &ti), VD_OK);
	vd_session ses;
	vd_principal frank, gina;
	REQUIRE(vd_service_login(s, "frank", PW, NULL, &ses, &frank) == VD_OK);
	REQUIRE(vd_service_login(s, "gina", PW, NULL, &ses, &gina) == VD_OK);
	CHECK_INT(vd_service_token_revoke(s, &frank, ti.id), VD_EPERM);
	CHECK_INT(vd_service_token_auth(s, tok3, &q), VD_OK);
	CHECK_INT(vd_service_token_revoke(s, &gina, ti.id), VD_OK);
	CHECK_INT(vd_service_token_auth(s, tok3, &q), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "revoked") != NULL);
	CHECK_INT(vd_service_token_revoke(s, &me, 9999), VD_ENOTFOUND);
	tok_ctx tc = {0, false};
	CHECK_INT(vd_service_token_list(s, &gina, NULL, tok_cb, &tc), VD_OK);
	CHECK_INT(tc.n, 2);
	CHECK(tc.revoked_seen);
	CHECK_INT(vd_service_token_list(s, &gina, "frank", tok_cb, &tc), VD_EPERM);
	CHECK_INT(vd_service_token_list(s, &gina, "*", tok_cb, &tc), VD_EPERM);
	/* a reporter mints its own token over a session, not someone else's */
	char tok4[VD_SECRET_BUF];
	CHECK_INT(vd_service_token_create(s, &gina, "gina", VD_SCOPE_READ, 30, tok4, NULL), VD_OK);
	CHECK_INT(vd_service_token_create(s, &gina, "frank", VD_SCOPE_READ, 30, tok4, NULL), VD_EPERM);
	CHECK_INT(vd_service_token_create(s, &me, "gina", VD_SCOPE_READ, 5000, tok4, NULL), VD_EINVAL);
	/* a disabled user's tokens stop working */
	CHECK_INT(vd_service_token_create(s, &me, "gina", VD_SCOPE_READ, 0, tok4, NULL), VD_OK);
	CHECK_INT(vd_service_user_set_disabled(s, &me, "gina", true), VD_OK);
	CHECK_INT(vd_service_token_auth(s, tok4, &q), VD_EPERM);
	/* tokens never reach the audit chain or messages */
	const char *secrets[] = {tok, tok2, tok3, tok4, tok + 4, tok2 + 4, PW, NULL};
	scan_ctx sc = {secrets, 0, 0};
	CHECK_INT(vd_service_audit_list(s, &me, 0, 0, scan_cb, &sc), VD_OK);
	CHECK_INT(sc.hits, 0);
	/* ... nor the database (only hashes) */
	sqlite3 *db;
	REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
	sqlite3_stmt *st;
	REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM tokens WHERE hash LIKE '%' || ?1 || '%'", -1, &st, NULL) == SQLITE_OK);
	sqlite3_bind_text(st, 1, tok + 4, -1, SQLITE_STATIC);
	CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	vd_service_close(s);
}

typedef struct {
	int n, national;
	char codes[8][16];
} lib_ctx;
static int lib_cb(void *ctx, const vd_library_info *l)
{
	lib_ctx *c = ctx;
	if (c->n < 8)
		snprintf(c->codes[c->n], sizeof c->codes[0], "%s", l->code);
	c->n++;
	c->national += l->national;
	return 0;
}

static void t_libraries(void)
{
	char path[512];
	clock_now = 1710460800;   /* 2024-03-15 */
	vd_service *s = fresh("libs", path, sizeof path);
	REQUIRE(s != NULL);
	vd_principal me = vd_principal_local("test");
	lib_ctx lc = {0};
	CHECK_INT(vd_service_library_list(s, &me, lib_cb, &lc), VD_OK);
	CHECK_INT(lc.n, 1);
	CHECK_STR(lc.codes[0], "NVDB");
	CHECK_INT(lc.national, 1);
	/* migrate again: still one */
	int from, to;
	CHECK_INT(vd_service_db_migrate(s, &from, &to), VD_OK);
	lc.n = lc.national = 0;
	CHECK_INT(vd_service_library_list(s, &me, lib_cb, &lc), VD_OK);
	CHECK_INT(lc.n, 1);
	vd_library_info l, g;
	CHECK_INT(vd_service_library_get(s, &me, "NVDB", &l), VD_OK);
	CHECK_INT(l.fix_days, 45);
	CHECK_INT(l.ack_days, 7);
	CHECK_INT(l.report_days, 2);
	memset(&l, 0, sizeof l);
	snprintf(l.code, sizeof l.code, "APP");
	snprintf(l.name, sizeof l.name, "移动应用漏洞库");
	snprintf(l.field_set, sizeof l.field_set, "mobile-app");
	l.fix_days = 90;
	l.n_blackouts = 1;
	vd_time_parse("2024-10-01", &l.blackouts[0].starts);
	vd_time_parse("2024-10-08", &l.blackouts[0].ends);
	snprintf(l.blackouts[0].reason, sizeof l.blackouts[0].reason, "国庆");
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_OK);
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_ECONFLICT);
	CHECK_INT(vd_service_library_get(s, &me, "APP", &g), VD_OK);
	CHECK_INT(g.fix_days, 90);
	CHECK_INT(g.ack_days, 7);
	CHECK_INT(g.n_blackouts, 1);
	CHECK_STR(g.blackouts[0].reason, "国庆");
	CHECK_STR(g.name, "移动应用漏洞库");
	bool in;
	vd_blackout hit;
	int64_t t;
	vd_time_parse("2024-10-03T12:00:00Z", &t);
	CHECK_INT(vd_service_library_blackout(s, "APP", t, &in, &hit), VD_OK);
	CHECK(in);
	CHECK_STR(hit.reason, "国庆");
	vd_time_parse("2024-10-08", &t);
	CHECK_INT(vd_service_library_blackout(s, "APP", t, &in, &hit), VD_OK);
	CHECK(!in);
	/* a second national library, bad codes, bad policy */
	snprintf(l.code, sizeof l.code, "NAT2");
	l.national = true;
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_ECONFLICT);
	CHECK(strstr(vd_error_msg(), "national") != NULL);
	l.national = false;
	snprintf(l.code, sizeof l.code, "app");
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_EINVAL);
	snprintf(l.code, sizeof l.code, "X'--");
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_EINVAL);
	snprintf(l.code, sizeof l.code, "VEH");
	snprintf(l.field_set, sizeof l.field_set, "spaceship");
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_EINVAL);
	snprintf(l.field_set, sizeof l.field_set, "vehicle");
	l.fix_days = 99999;
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_EINVAL);
	l.fix_days = 0;
	l.blackouts[0].ends = l.blackouts[0].starts;
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_EINVAL);
	l.n_blackouts = 0;
	snprintf(l.name, sizeof l.name, "bad \xff name");
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_EINVAL);
	snprintf(l.name, sizeof l.name, "Vehicles");
	CHECK_INT(vd_service_library_add(s, &me, &l, NULL), VD_OK);
	/* policy update */
	CHECK_INT(vd_service_library_get(s, &me, "VEH", &g), VD_OK);
	g.ack_days = 3;
	CHECK_INT(vd_service_library_update(s, &me, &g), VD_OK);
	CHECK_INT(vd_service_library_get(s, &me, "VEH", &g), VD_OK);
	CHECK_INT(g.ack_days, 3);
	/* extra fields */
	const char *names[] = {"app_name", "package", "platform", "app_version"};
	const char *vals[] = {"微信", "com.tencent.mm", "wechat-mini-program", "8.0.1"};
	CHECK_INT(vd_service_library_check_fields(s, "APP", names, vals, 4), VD_OK);
	vals[2] = "symbian";
	CHECK_INT(vd_service_library_check_fields(s, "APP", names, vals, 4), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "platform") != NULL);
	CHECK_INT(vd_service_library_check_fields(s, "APP", names, vals, 2), VD_EINVAL);
	const char *vn[] = {"make", "model", "component", "interface"};
	const char *vv[] = {"Example Motors", "EM-1", "T-Box", "CAN"};
	CHECK_INT(vd_service_library_check_fields(s, "VEH", vn, vv, 4), VD_OK);
	vv[3] = "carrier pigeon";
	CHECK_INT(vd_service_library_check_fields(s, "VEH", vn, vv, 4), VD_EINVAL);
	const char *bogus[] = {"speed"};
	CHECK_INT(vd_service_library_check_fields(s, "VEH", bogus, vv, 1), VD_EINVAL);
	/* numbering: per month, and a new month starts again */
	char id[VD_LIB_ID_BUF];
	CHECK_INT(vd_service_library_next_id(s, &me, "APP", id), VD_OK);
	CHECK_STR(id, "APP-202403-0001");
	CHECK_INT(vd_service_library_next_id(s, &me, "APP", id), VD_OK);
	CHECK_STR(id, "APP-202403-0002");
	CHECK_INT(vd_service_library_next_id(s, &me, "VEH", id), VD_OK);
	CHECK_STR(id, "VEH-202403-0001");
	clock_now = 1711929600;   /* 2024-04-01T00:00:00Z */
	CHECK_INT(vd_service_library_next_id(s, &me, "APP", id), VD_OK);
	CHECK_STR(id, "APP-202404-0001");
	clock_now = 1711929599;   /* one second earlier: March goes on, never reusing */
	CHECK_INT(vd_service_library_next_id(s, &me, "APP", id), VD_OK);
	CHECK_STR(id, "APP-202403-0003");
	CHECK_INT(vd_service_library_next_id(s, &me, "NOPE", id), VD_ENOTFOUND);
	vd_service_close(s);
}

/* 8 processes, each with its own connection, allocate 25 ids each. */
static void t_numbering_concurrent(void)
{
	char path[512];
	clock_now = 1718409600;   /* 2024-06-15 */
	vd_service *s = fresh("seq", path, sizeof path);
	REQUIRE(s != NULL);
	vd_principal me = vd_principal_local("test");
	vd_library_info l;
	memset(&l, 0, sizeof l);
	snprintf(l.code, sizeof l.code, "APP");
	snprintf(l.name, sizeof l.name, "Apps");
	REQUIRE(vd_service_library_add(s, &me, &l, NULL) == VD_OK);
	vd_service_close(s);
	int fds[2];
	REQUIRE(pipe(fds) == 0);
	enum { PROCS = 8, EACH = 25 };
	pid_t pids[PROCS];
	for (int i = 0; i < PROCS; i++) {
		pids[i] = fork();
		REQUIRE(pids[i] >= 0);
		if (pids[i] == 0) {
			close(fds[0]);
			vd_service *c = reopen(path);
			if (!c)
				_exit(2);
			vd_principal m = vd_principal_local("worker");
			for (int k = 0; k < EACH; k++) {
				char id[VD_LIB_ID_BUF], line[64];
				if (vd_service_library_next_id(c, &m, "APP", id) != VD_OK) {
					fprintf(stderr, "  worker %d: %s\n", i, vd_error_msg());
					_exit(3);
				}
				int n = snprintf(line, sizeof line, "%s\n", id);
				if (write(fds[1], line, (size_t)n) != n)   /* < PIPE_BUF: atomic */
					_exit(4);
			}
			vd_service_close(c);
			_exit(0);
		}
	}
	close(fds[1]);
	char buf[16384];
	size_t len = 0;
	ssize_t r;
	while ((r = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = 0;
	close(fds[0]);
	for (int i = 0; i < PROCS; i++) {
		int st = 0;
		waitpid(pids[i], &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	bool seen[PROCS * EACH + 1] = {false};
	int count = 0, dup = 0, bad = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		long n;
		if (strncmp(line, "APP-202406-", 11) != 0 || strlen(line) != 15 ||
		    vd_parse_long(line + 11, 1, PROCS * EACH, &n)) {
			bad++;
			continue;
		}
		dup += seen[n];
		seen[n] = true;
		count++;
	}
	CHECK_INT(count, PROCS * EACH);
	CHECK_INT(dup, 0);
	CHECK_INT(bad, 0);
	for (int n = 1; n <= PROCS * EACH; n++)
		CHECK(seen[n]);   /* gap-free */
	s = reopen(path);
	REQUIRE(s != NULL);
	char id[VD_LIB_ID_BUF];
	CHECK_INT(vd_service_library_next_id(s, &me, "APP", id), VD_OK);
	CHECK_STR(id, "APP-202406-0201");
	clock_now = 1719792000;   /* 2024-07-01: a new sequence */
	CHECK_INT(vd_service_library_next_id(s, &me, "APP", id), VD_OK);
	CHECK_STR(id, "APP-202407-0001");
	vd_audit_report rep;
	CHECK_INT(vd_service_audit_verify(s, &me, &rep), VD_OK);   /* 200 concurrent appends chained */
	CHECK(rep.checked >= 203);
	vd_service_close(s);
}

static void t_prune(void)
{
	char path[512];
	clock_now = 1672531200;   /* 2023-01-01 */
	vd_service *s = fresh("prune", path, sizeof path);
	REQUIRE(s != NULL);
	vd_principal me = vd_principal_local("test");
	for (int i = 0; i < 5; i++) {
		clock_now += 86400 * 30;   /* one a month */
		CHECK_INT(vd_service_audit(s, &me, "test.event", "thing", "ok", "monthly"), VD_OK);
	}
	int64_t n = 0, before = audit_count(s);
	clock_now = 1704067200;   /* 2024-01-01 */
	CHECK_INT(vd_service_audit_prune(s, &me, "2023-09-01", &n), VD_EPERM);
	CHECK(strstr(vd_error_msg(), "6 months") != NULL);
	CHECK(strstr(vd_error_msg(), "2023-07-01") != NULL);
	CHECK_INT(n, 0);
	CHECK_INT(audit_count(s), before + 1);   /* only the refusal was added */
	CHECK_INT(vd_service_audit_prune(s, &me, "not a date", &n), VD_EINVAL);
	CHECK_INT(vd_service_audit_prune(s, &me, "2023-03-15", &n), VD_OK);
	CHECK_INT(n, 3);   /* library.add at 2023-01-01, events of 01-31 and 03-02 */
	vd_audit_report r;
	CHECK_INT(vd_service_audit_verify(s, &me, &r), VD_OK);
	CHECK_INT(r.anchor_seq, 3);
	CHECK_INT(vd_service_audit_prune(s, &me, "2023-03-15", &n), VD_OK);
	CHECK_INT(n, 0);
	vd_principal anon = vd_principal_anonymous();
	CHECK_INT(vd_service_audit_prune(s, &anon, "2020-01-01", &n), VD_EPERM);
	CHECK_INT(vd_service_audit_verify(s, &me, &r), VD_OK);
	vd_service_close(s);
}

/* ==================================================================
 * Tampering: the database file is edited directly with SQLite, the way
 * someone with access to the file could (dropping the append-only
 * triggers first).  `audit verify` must name the first broken entry.
 * ================================================================== */

static bool raw_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return false;
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "  raw sql failed: %s\n", err ? err : "?");
	sqlite3_free(err);
	sqlite3_close(db);
	return rc == SQLITE_OK;
}

/* A chain of 10 entries (1: the national library, 2..10: events),
 * starting at time start (0: 2024-01-01). */
static vd_service *chain_at(const char *name, char *path, size_t n, int64_t start)
{
	clock_now = start ? start : 1704067200;
	vd_service *s = fresh(name, path, n);
	if (!s)
		return NULL;
	vd_principal me = vd_principal_local("test");
	for (int i = 2; i <= 10; i++) {
		char why[32];
		snprintf(why, sizeof why, "event %d", i);
		clock_now++;
		if (vd_service_audit(s, &me, "test.event", "thing", "ok", why) != VD_OK) {
			vd_service_close(s);
			return NULL;
		}
	}
	return s;
}

static vd_service *chain(const char *name, char *path, size_t n) { return chain_at(name, path, n, 0); }

static int64_t verify_first_bad(vd_service *s, char *why, size_t n)
{
	vd_principal me = vd_principal_local("test");
	vd_audit_report r;
	int rc = vd_service_audit_verify(s, &me, &r);
	snprintf(why, n, "%s", vd_error_msg());
	if (rc == VD_OK)
		return 0;
	return rc == VD_ECONFLICT ? r.first_bad : -1;
}

static void t_tamper_triggers_refuse(void)
{
	char path[512];
	/* entries stamped now (real time): the 6-month trigger compares with the real clock */
	vd_service *s = chain_at("trig", path, sizeof path, vd_time_now() - 3600);
	REQUIRE(s != NULL);
	/* with the triggers in place, even raw SQL cannot change or delete recent entries */
	CHECK(!raw_sql(path, "UPDATE audit SET why = 'x' WHERE seq = 4"));
	CHECK(!raw_sql(path, "DELETE FROM audit WHERE seq = 4"));
	char why[512];
	CHECK_INT(verify_first_bad(s, why, sizeof why), 0);
	vd_service_close(s);
}

static void t_tamper_alter(void)
{
	char path[512], why[512];
	vd_service *s = chain("alter", path, sizeof path);
	REQUIRE(s != NULL);
	CHECK_INT(verify_first_bad(s, why, sizeof why), 0);
	CHECK(raw_sql(path, "DROP TRIGGER audit_append_only; DROP TRIGGER audit_keep_6_months;"
	                    "UPDATE audit SET why = 'nothing happened' WHERE seq = 6"));
	CHECK_INT(verify_first_bad(s, why, sizeof why), 6);
	CHECK(strstr(why, "entry 6") != NULL && strstr(why, "altered") != NULL);
	vd_service_close(s);
}

static void t_tamper_delete(void)
{
	char path[512], why[512];
	vd_service *s = chain("delete", path, sizeof path);
	REQUIRE(s != NULL);
	CHECK(raw_sql(path, "DROP TRIGGER audit_keep_6_months; DELETE FROM audit WHERE seq = 4"));
	CHECK_INT(verify_first_bad(s, why, sizeof why), 4);
	CHECK(strstr(why, "entry 4") != NULL && strstr(why, "missing") != NULL);
	vd_service_close(s);
	/* the newest entry deleted: the recorded head notices */
	s = chain("delete_last", path, sizeof path);
	REQUIRE(s != NULL);
	CHECK(raw_sql(path, "DROP TRIGGER audit_keep_6_months; DELETE FROM audit WHERE seq = 10"));
	CHECK_INT(verify_first_bad(s, why, sizeof why), 10);
	vd_service_close(s);
}

static void t_tamper_swap(void)
{
	char path[512], why[512];
	vd_service *s = chain("swap", path, sizeof path);
	REQUIRE(s != NULL);
	CHECK(raw_sql(path, "DROP TRIGGER audit_append_only;"
	                    "UPDATE audit SET seq = -3 WHERE seq = 3;"
	                    "UPDATE audit SET seq = 3 WHERE seq = 7;"
	                    "UPDATE audit SET seq = 7 WHERE seq = -3;"));
	CHECK_INT(verify_first_bad(s, why, sizeof why), 3);
	CHECK(strstr(why, "entry 3") != NULL);
	vd_service_close(s);
	/* swapping the contents (hashes and links too) of two neighbours */
	s = chain("swap2", path, sizeof path);
	REQUIRE(s != NULL);
	CHECK(raw_sql(path, "DROP TRIGGER audit_append_only;"
	                    "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (5, 6);"
	                    "UPDATE audit SET (at, actor, action, target, outcome, why, prev, hash) ="
	                    " (SELECT at, actor, action, target, outcome, why, prev, hash FROM t WHERE t.seq = 11 - audit.seq)"
	                    " WHERE seq IN (5, 6);"));
	CHECK_INT(verify_first_bad(s, why, sizeof why), 5);
	vd_service_close(s);
	/* rewriting an entry and re-hashing everything after it still breaks
	 * at the head, which the rewriter did not (or did) move: here the
	 * attacker recomputes nothing, only edits a hash to match */
	s = chain("rehash", path, sizeof path);
	REQUIRE(s != NULL);
	CHECK(raw_sql(path, "DROP TRIGGER audit_append_only;"
	                    "UPDATE audit SET hash = (SELECT hash FROM audit WHERE seq = 9) WHERE seq = 8"));
	CHECK_INT(verify_first_bad(s, why, sizeof why), 8);
	vd_service_close(s);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/vd_t_auth.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(t_users_and_hostile_input);
	RUN(t_permissions_refused_and_audited);
	RUN(t_login_lockout);
	RUN(t_sessions_and_csrf);
	RUN(t_tokens);
	RUN(t_libraries);
	RUN(t_numbering_concurrent);
	RUN(t_prune);
	RUN(t_tamper_triggers_refuse);
	RUN(t_tamper_alter);
	RUN(t_tamper_delete);
	RUN(t_tamper_swap);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", dir);
	return vt_done();
}
