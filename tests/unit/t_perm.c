/* The permission table: every (role, action) pair has its expected outcome
 * written here, independently of src/workflow/perm.c.  An action added to
 * vulnd/auth.h without a row here (or without entries in the table) fails.
 *
 * Outcome letters, one per role in the order
 *   anonymous reporter vendor analyst expert support-unit admin:
 *   Y allowed   N refused   S only own objects (owner_id)
 *   O only own organisation (org_id)   V only cases of own vendor org's products
 *   A only what was sent to the principal (assignees)
 */
#include "harness.h"
#include "vulnd/auth.h"
#include "vulnd/error.h"
#include <string.h>

static const struct {
	const char *action;
	const char *outcome;   /* 7 letters */
	const char *scope;     /* least token scope */
} expected[] = {
	/*                              anon rep ven ana exp sup adm */
	{"record.read",               "YYYYYYY", "read"},
	{"record.read_unpublished",   "NNNYYNY", "read"},
	{"record.import",             "NNNYNNY", "write"},
	{"record.edit",               "NNNYNNY", "write"},
	{"stats.read",                "YYYYYYY", "read"},
	{"stats.org",                 "NOOYNOY", "read"},
	{"report.submit",             "NYYYNYY", "write"},
	{"report.bulk_submit",        "NNNNNYY", "write"},
	{"case.read",                 "NSVYAOY", "read"},
	{"case.triage",               "NNNYNNY", "write"},
	{"case.review",               "NNNNANY", "write"},
	{"case.vendor",               "NNVNNNY", "write"},
	{"case.publish",              "NNNYNNY", "write"},
	{"attachment.read",           "NSVYAOY", "read"},
	{"me",                        "NYYYYYY", "read"},
	{"password",                  "NSSSSSY", "write"},
	{"user.list",                 "NNNYNNY", "read"},
	{"user.admin",                "NNNNNNY", "admin"},
	{"org.read",                  "NOOYNOY", "read"},
	{"org.admin",                 "NNNNNNY", "admin"},
	{"org.products",              "NNOYNOY", "write"},
	{"token.create",              "NSSSSSY", "admin"},
	{"token.revoke",              "NSSSSSY", "write"},
	{"token.list",                "NSSSSSY", "read"},
	{"library.read",              "YYYYYYY", "read"},
	{"library.admin",             "NNNNNNY", "admin"},
	{"library.allocate",          "NNNYNNY", "write"},
	{"audit.read",                "NNNNNNY", "admin"},
	{"audit.verify",              "NNNNNNY", "read"},
	{"audit.prune",               "NNNNNNY", "admin"},
	{"db.admin",                  "NNNNNNY", "admin"},
};
#define N_EXPECTED (sizeof expected / sizeof expected[0])

static const char *const roles[] = {"anonymous", "reporter", "vendor", "analyst", "expert", "support-unit", "admin"};

static vd_principal who(vd_role r, int64_t uid, int64_t org)
{
	vd_principal p = vd_principal_anonymous();
	if (r != VD_ROLE_ANONYMOUS) {
		p.role = r;
		p.user_id = uid;
		p.scope = VD_SCOPE_ADMIN;
		p.via = VD_AUTH_SESSION;
		snprintf(p.name, sizeof p.name, "u%lld", (long long)uid);
		if (org) {
			p.orgs[0] = org;
			p.n_orgs = 1;
		}
	}
	return p;
}

static void t_every_action_has_a_row(void)
{
	CHECK_INT(N_EXPECTED, VD_ACT_COUNT_);
	CHECK_INT(sizeof roles / sizeof roles[0], VD_ROLE_COUNT_);
	for (int a = 0; a < VD_ACT_COUNT_; a++) {
		const char *n = vd_action_name((vd_action)a);
		REQUIRE(n != NULL);
		bool found = false;
		for (size_t i = 0; i < N_EXPECTED; i++)
			found |= strcmp(expected[i].action, n) == 0;
		if (!found)
			fprintf(stderr, "  action %s has no expected outcomes in this test\n", n);
		CHECK(found);
		vd_action back;
		CHECK_INT(vd_action_parse(n, &back), VD_OK);
		CHECK_INT(back, a);
		for (int r = 0; r < VD_ROLE_COUNT_; r++)
			CHECK(vd_perm_rule((vd_role)r, (vd_action)a) != VD_COND_UNSET);
	}
	vd_action x;
	CHECK_INT(vd_action_parse("no.such.action", &x), VD_EINVAL);
	CHECK_INT(vd_perm_rule(VD_ROLE_ADMIN, VD_ACT_COUNT_), VD_COND_UNSET);
}

static void t_role_names(void)
{
	for (int r = 0; r < VD_ROLE_COUNT_; r++) {
		CHECK_STR(vd_role_name((vd_role)r), roles[r]);
		vd_role back;
		CHECK_INT(vd_role_parse(roles[r], &back), VD_OK);
		CHECK_INT(back, r);
	}
	vd_role r;
	CHECK_INT(vd_role_parse("root", &r), VD_EINVAL);
	CHECK_INT(vd_role_parse("Admin", &r), VD_EINVAL);
}

/* The table says what the test says, and vd_perm_check behaves accordingly
 * with a matching object, a foreign object and no object. */
static void t_every_pair(void)
{
	int64_t mine_u = 7, my_org = 3, other = 99;
	int64_t my_orgs[] = {5, my_org}, foreign_orgs[] = {other};
	int64_t sent_to_me[] = {8, mine_u}, sent_elsewhere[] = {8};
	vd_perm_ctx match = {.owner_id = mine_u, .org_id = my_org, .vendor_orgs = my_orgs, .n_vendor_orgs = 2,
	                     .assignees = sent_to_me, .n_assignees = 2};
	vd_perm_ctx foreign = {.owner_id = other, .org_id = other, .vendor_orgs = foreign_orgs, .n_vendor_orgs = 1,
	                       .assignees = sent_elsewhere, .n_assignees = 1};
	unsigned pairs = 0;
	for (size_t i = 0; i < N_EXPECTED; i++) {
		vd_action a;
		REQUIRE(vd_action_parse(expected[i].action, &a) == VD_OK);
		REQUIRE(strlen(expected[i].outcome) == VD_ROLE_COUNT_);
		for (int r = 0; r < VD_ROLE_COUNT_; r++) {
			char want = expected[i].outcome[r];
			vd_perm_cond c = vd_perm_rule((vd_role)r, a);
			char got = c == VD_COND_YES ? 'Y' : c == VD_COND_NO ? 'N' : c == VD_COND_SELF ? 'S' :
			           c == VD_COND_ORG ? 'O' : c == VD_COND_VENDOR ? 'V' : c == VD_COND_ASSIGNED ? 'A' : '?';
			if (got != want)
				fprintf(stderr, "  %s × %s: table says %c, expected %c\n", roles[r], expected[i].action, got, want);
			CHECK(got == want);
			vd_principal p = who((vd_role)r, mine_u, my_org);
			int m = vd_perm_check(&p, a, &match), f = vd_perm_check(&p, a, &foreign),
			    z = vd_perm_check(&p, a, NULL);
			bool yes = want == 'Y', cond = want != 'Y' && want != 'N';
			if ((m == VD_OK) != (yes || cond) || (f == VD_OK) != yes || (z == VD_OK) != yes)
				fprintf(stderr, "  %s × %s: match %d foreign %d none %d (expected %c)\n", roles[r],
				        expected[i].action, m, f, z, want);
			CHECK((m == VD_OK) == (yes || cond));
			CHECK((f == VD_OK) == yes);
			CHECK((z == VD_OK) == yes);
			if (f != VD_OK) {
				CHECK_INT(f, VD_EPERM);
				/* the refusal names the role and the action */
				CHECK(strstr(vd_error_msg(), roles[r]) != NULL);
				CHECK(strstr(vd_error_msg(), expected[i].action) != NULL);
			}
			pairs++;
		}
	}
	CHECK_INT(pairs, VD_ACT_COUNT_ * VD_ROLE_COUNT_);
}

/* A token's scope limits what its role allows. */
static void t_scopes(void)
{
	for (size_t i = 0; i < N_EXPECTED; i++) {
		vd_action a;
		REQUIRE(vd_action_parse(expected[i].action, &a) == VD_OK);
		vd_scope need;
		REQUIRE(vd_scope_parse(expected[i].scope, &need) == VD_OK);
		CHECK_INT(vd_action_scope(a), need);
		vd_principal p = who(VD_ROLE_ADMIN, 1, 0);
		p.via = VD_AUTH_TOKEN;
		for (int sc = VD_SCOPE_READ; sc <= VD_SCOPE_ADMIN; sc++) {
			p.scope = (vd_scope)sc;
			int rc = vd_perm_check(&p, a, NULL);
			CHECK((rc == VD_OK) == (sc >= (int)need));
			if (rc)
				CHECK(strstr(vd_error_msg(), "scope") != NULL);
		}
	}
	vd_scope s;
	CHECK_INT(vd_scope_parse("root", &s), VD_EINVAL);
}

static void t_principals(void)
{
	vd_principal a = vd_principal_anonymous();
	CHECK_INT(a.role, VD_ROLE_ANONYMOUS);
	CHECK_INT(a.user_id, 0);
	CHECK_STR(a.name, "anonymous");
	vd_principal l = vd_principal_local(NULL);
	CHECK_INT(l.role, VD_ROLE_ADMIN);
	CHECK_INT(l.scope, VD_SCOPE_ADMIN);
	CHECK_STR(l.name, "cli");
	/* SELF never matches user id 0 (anonymous / local) against owner 0 */
	vd_principal r = who(VD_ROLE_REPORTER, 0, 0);
	vd_perm_ctx zero = {0};
	CHECK_INT(vd_perm_check(&r, VD_ACT_CASE_READ, &zero), VD_EPERM);
	/* a bad role or action is refused, not crashed on */
	r.role = (vd_role)42;
	CHECK_INT(vd_perm_check(&r, VD_ACT_RECORD_READ, NULL), VD_EPERM);
	CHECK_INT(vd_perm_check(&a, (vd_action)-1, NULL), VD_EPERM);
	CHECK_INT(vd_perm_check(NULL, VD_ACT_RECORD_READ, NULL), VD_EPERM);
}

int main(void)
{
	RUN(t_every_action_has_a_row);
	RUN(t_role_names);
	RUN(t_every_pair);
	RUN(t_scopes);
	RUN(t_principals);
	return vt_done();
}
