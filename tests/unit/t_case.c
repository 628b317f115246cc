/* The disclosure workflow: the state table, the publication gate (each
 * reason alone and all together), clocks with an injected time (Art. 7,
 * 45-day default, 90-day policy, reminders and escalation once — also with
 * two service handles on one file), unpublished records invisible to the
 * public view, permissions from the table, and hostile input. */
#include "harness.h"
#include "vulnd/service.h"
#include "vulnd/workflow.h"
#include "vulnd/error.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY 86400
static int64_t now_s;
static int64_t clock_fn(void *ctx) { (void)ctx; return now_s; }

/* ---- the table ---- */

static void t_table(void)
{
	size_t n;
	const vd_case_rule *r = vd_case_rules(&n);
	CHECK(n > 10);
	uint32_t seen = 0;
	for (size_t i = 0; i < n; i++) {
		seen |= 1u << r[i].event;
		CHECK(vd_action_name(r[i].action) != NULL);
		CHECK(r[i].from_mask != 0);
		CHECK(r[i].doc && *r[i].doc);
		/* final states take no step */
		CHECK(!(r[i].from_mask & (1u << VD_CS_PUBLISHED)));
		CHECK(!(r[i].from_mask & (1u << VD_CS_REJECTED)));
		/* ... except promote, the side effect of rejecting an original */
		CHECK(!(r[i].from_mask & (1u << VD_CS_DUPLICATE)) || r[i].event == VD_CE_PROMOTE);
		/* one row per (state, event) */
		for (size_t k = i + 1; k < n; k++)
			CHECK(!(r[i].event == r[k].event && (r[i].from_mask & r[k].from_mask)));
	}
	CHECK_INT(seen, (1u << VD_CE_COUNT_) - 1);   /* every event has a row */
	CHECK(vd_case_rule_find(VD_CS_TRIAGE, VD_CE_PUBLISH) == NULL);
	CHECK(vd_case_rule_find(VD_CS_PUBLISHED, VD_CE_COMMENT) == NULL);
	const vd_case_rule *f = vd_case_rule_find(VD_CS_FIXED, VD_CE_RETEST_FAIL);
	REQUIRE(f);
	CHECK_INT(vd_case_rule_to(f, VD_CS_FIXED), VD_CS_FIXING);
	CHECK(f->reporter_may);
	CHECK_INT(vd_case_rule_to(vd_case_rule_find(VD_CS_NOTIFIED, VD_CE_APPROVE), VD_CS_NOTIFIED), VD_CS_NOTIFIED);
	for (int s = 0; s < VD_CS_COUNT_; s++) {
		vd_case_state back;
		CHECK(vd_case_state_parse(vd_case_state_name((vd_case_state)s), &back) == VD_OK && back == (vd_case_state)s);
	}
	for (int e = 0; e < VD_CE_COUNT_; e++) {
		vd_case_event back;
		CHECK(vd_case_event_parse(vd_case_event_name((vd_case_event)e), &back) == VD_OK && back == (vd_case_event)e);
	}
	/* vendor steps have a computed target; documented */
	const vd_case_rule *ack = vd_case_rule_find(VD_CS_NOTIFIED, VD_CE_ACK);
	REQUIRE(ack);
	CHECK(ack->target != NULL && ack->target_doc != NULL);
	CHECK(vd_case_rule_find(VD_CS_FIXING, VD_CE_ACK) != NULL);   /* a vendor notified later */
	const vd_case_rule *pr = vd_case_rule_find(VD_CS_DUPLICATE, VD_CE_PROMOTE);
	REQUIRE(pr);
	CHECK_INT(vd_case_rule_to(pr, VD_CS_DUPLICATE), VD_CS_TRIAGE);
	char *dot = NULL, *md = NULL;
	REQUIRE(vd_case_table_doc("dot", &dot) == VD_OK);
	CHECK(strstr(dot, "\"fixed\" -> \"fixing\" [label=\"retest-fail\"]") != NULL);
	REQUIRE(vd_case_table_doc("markdown", &md) == VD_OK);
	CHECK(strstr(md, "stateDiagram-v2") != NULL);
	CHECK(strstr(md, "`case.publish`") != NULL);
	free(dot);
	free(md);
	CHECK(vd_case_table_doc("png", &dot) == VD_EINVAL && dot == NULL);
	/* who may: from the permission table */
	vd_principal rep = vd_principal_local("x");
	rep.role = VD_ROLE_REPORTER;
	rep.via = VD_AUTH_SESSION;
	CHECK(vd_perm_check(&rep, vd_case_rule_find(VD_CS_VERIFYING, VD_CE_VERIFY)->action, NULL) == VD_EPERM);
	vd_error_clear();
}

/* ---- the gate ---- */

static vd_case *good_case(void)
{
	vd_case *c = vd_case_new();
	c->state = VD_CS_RETESTED;
	c->fix_status = vd_case_str(c, "released");
	c->solution = vd_case_str(c, "Upgrade to 2.2.");
	c->operator_details = false;
	c->grade = vd_case_str(c, "high");
	c->grade_by = vd_case_str(c, "analyst");
	c->notified_at = vd_case_str(c, "2025-01-01T00:00:00Z");
	c->refs[0].url = vd_case_str(c, "https://vendor.example/advisory");
	c->refs[0].type = vd_case_str(c, "advisory");
	c->n_refs = 1;
	return c;
}

static vd_guard_env env_at(const char *t)
{
	vd_guard_env e;
	memset(&e, 0, sizeof e);
	vd_time_parse(t, &e.now);
	return e;
}

static void gate_expect(vd_case *c, vd_guard_env *e, const char *code)
{
	vd_reasons rs;
	memset(&rs, 0, sizeof rs);
	int rc = vd_gate_check(c, e, &rs);
	if (!code) {
		CHECK_INT(rc, VD_OK);
		CHECK_INT(rs.n, 0);
	} else {
		CHECK_INT(rc, VD_EPERM);
		CHECK_INT(rs.n, 1);
		CHECK_STR(rs.r[0].code, code);
		if (rs.n != 1)
			for (size_t i = 0; i < rs.n; i++)
				fprintf(stderr, "    got %s\n", rs.r[i].code);
	}
	vd_case_free(c);
}

static void t_gate_passes(void)
{
	vd_guard_env e = env_at("2025-03-01");
	gate_expect(good_case(), &e, NULL);
}

static void t_gate_no_fix(void)
{
	vd_case *c = good_case();
	c->fix_status = NULL;          /* deadline (45 days) passed, nothing approved */
	vd_guard_env e = env_at("2025-03-01");
	gate_expect(c, &e, "no-fix");
}

static void t_gate_deadline(void)
{
	vd_case *c = good_case();
	c->fix_status = vd_case_str(c, "in-progress");
	c->approved_by = vd_case_str(c, "ana");   /* approved, but not early */
	vd_guard_env e = env_at("2025-01-20");
	gate_expect(c, &e, "deadline");
	/* an early approval clears it */
	c = good_case();
	c->fix_status = NULL;
	c->approved_by = vd_case_str(c, "ana");
	c->approved_early = true;
	gate_expect(c, &e, NULL);
}

static void t_gate_no_solution(void)
{
	vd_case *c = good_case();
	c->solution = NULL;
	vd_guard_env e = env_at("2025-03-01");
	gate_expect(c, &e, "no-solution");
}

static void t_gate_exploit(void)
{
	vd_case *c = good_case();
	c->refs[1].url = vd_case_str(c, "https://evil.example/poc.py");
	c->refs[1].type = vd_case_str(c, "exploit");
	c->n_refs = 2;
	vd_guard_env e = env_at("2025-03-01");
	gate_expect(c, &e, "exploit");
	/* a PoC attachment marked for publication too; unmarked ones are fine */
	c = good_case();
	c->att[0].kind = vd_case_str(c, "poc");
	c->att[0].publish = false;
	c->n_att = 1;
	gate_expect(c, &e, NULL);
	c = good_case();
	c->att[0].kind = vd_case_str(c, "poc");
	c->att[0].publish = true;
	c->n_att = 1;
	gate_expect(c, &e, "exploit");
}

static void t_gate_operator(void)
{
	vd_case *c = good_case();
	c->operator_details = true;
	vd_guard_env e = env_at("2025-03-01");
	gate_expect(c, &e, "operator-details");
}

static void t_gate_blackout(void)
{
	vd_guard_env e = env_at("2025-03-01");
	e.in_blackout = true;
	e.blackout_reason = "major event";
	gate_expect(good_case(), &e, "blackout");
	vd_case *c = good_case();
	c->override_reason = vd_case_str(c, "critical exposure");
	gate_expect(c, &e, NULL);
}

static void t_gate_grade(void)
{
	vd_case *c = good_case();
	c->grade_by = vd_case_str(c, "reporter");
	vd_guard_env e = env_at("2025-03-01");
	gate_expect(c, &e, "grade");
	c = good_case();
	c->grade = NULL;
	gate_expect(c, &e, "grade");
}

static void t_gate_all(void)
{
	vd_case *c = good_case();
	c->fix_status = NULL;
	c->solution = NULL;
	c->refs[0].type = vd_case_str(c, "exploit");
	c->operator_details = true;
	c->grade_by = vd_case_str(c, "reporter");
	vd_guard_env e = env_at("2025-01-10");   /* before the deadline */
	e.in_blackout = true;
	vd_reasons rs;
	memset(&rs, 0, sizeof rs);
	CHECK_INT(vd_gate_check(c, &e, &rs), VD_EPERM);
	CHECK_INT(rs.n, 7);
	static const char *const codes[] = {"no-fix", "deadline", "no-solution", "exploit", "operator-details",
	                                    "blackout", "grade"};
	for (size_t i = 0; i < 7; i++)
		CHECK(vd_reasons_has(&rs, codes[i]));
	vd_case_free(c);
}

/* ---- clocks (pure) ---- */

static void t_clock_pure(void)
{
	vd_case *c = vd_case_new();
	c->state = VD_CS_NOTIFIED;
	c->notified_at = vd_case_str(c, "2025-01-01T00:00:00Z");
	int64_t t0;
	vd_time_parse("2025-01-01", &t0);
	vd_case_clock ck;
	vd_clock_of(c, NULL, &ck);
	CHECK_INT(ck.fix_due - t0, 45 * DAY);
	CHECK_INT(ck.ack_due - t0, 7 * DAY);
	vd_library_info lib;
	memset(&lib, 0, sizeof lib);
	lib.fix_days = 90;
	lib.ack_days = 10;
	vd_clock_of(c, &lib, &ck);
	CHECK_INT(ck.fix_due - t0, 90 * DAY);
	vd_clock_item it[VD_CLOCK_ITEMS];
	CHECK_INT(vd_clock_due(c, NULL, t0 + DAY, it), 0);
	size_t n = vd_clock_due(c, NULL, t0 + 8 * DAY, it);
	CHECK_INT(n, 1);
	CHECK_STR(it[0].kind, "ack-overdue");
	CHECK(it[0].escalation);
	n = vd_clock_due(c, NULL, t0 + 46 * DAY, it);
	CHECK_INT(n, 2);
	CHECK_STR(it[1].kind, "fix-overdue");
	/* 90-day policy: at day 46 only the 50 % reminder */
	n = vd_clock_due(c, &lib, t0 + 46 * DAY, it);
	CHECK_INT(n, 2);
	CHECK_STR(it[1].kind, "fix-reminder-50");
	c->fix_status = vd_case_str(c, "released");
	CHECK_INT(vd_clock_due(c, NULL, t0 + 100 * DAY, it), 0);   /* fixed: clocks stop */
	vd_case_free(c);
	/* Art. 7 */
	CHECK(!vd_clock_art7_late(t0, t0 + 2 * DAY, NULL));
	CHECK(vd_clock_art7_late(t0, t0 + 2 * DAY + 1, NULL));
	lib.report_days = 5;
	CHECK(!vd_clock_art7_late(t0, t0 + 4 * DAY, &lib));
}

/* ---- per-vendor state: pure ---- */

static void t_vendor_pure(void)
{
	/* a case stored before per-vendor acknowledgement: only acked_at */
	const char *old = "{\"id\":5,\"state\":\"fixing\",\"notified_at\":\"2025-01-01T00:00:00Z\","
	                  "\"acked_at\":\"2025-01-03T00:00:00Z\",\"fix_status\":\"in-progress\","
	                  "\"reporter\":\"rita\",\"vendors\":[{\"id\":3,\"name\":\"Acme\"},{\"id\":4,\"name\":\"Other\"}]}";
	vd_case *c = NULL;
	REQUIRE(vd_case_from_json(old, strlen(old), &c) == VD_OK);
	CHECK_INT(c->n_vendors, 2);
	CHECK_STR(c->vstat[0].acked_at, "2025-01-03T00:00:00Z");
	CHECK_STR(c->vstat[1].acked_at, "2025-01-03T00:00:00Z");
	CHECK_STR(c->vstat[1].notified_at, "2025-01-01T00:00:00Z");
	CHECK_STR(c->vstat[1].fix_status, "in-progress");
	char buf[200];
	CHECK_INT(vd_case_vendors_pending(c, buf, sizeof buf), 0);
	CHECK_INT(vd_case_vendors_unfixed(c, buf, sizeof buf), 2);
	CHECK_STR(buf, "Acme, Other");
	/* the credit of an old case is its own reporter */
	char *js = NULL;
	REQUIRE(vd_case_to_json(c, &js) == VD_OK);
	CHECK(strstr(js, "\"credit\":{\"case\":5,\"reporter\":\"rita\"}") != NULL);
	/* the new form round-trips, also a vendor not yet acknowledged */
	c->vstat[1].acked_at = NULL;
	c->vstat[1].fix_status = NULL;
	free(js);
	REQUIRE(vd_case_to_json(c, &js) == VD_OK);
	vd_case *d = NULL;
	REQUIRE(vd_case_from_json(js, strlen(js), &d) == VD_OK);
	CHECK(d->vstat[1].acked_at == NULL);
	CHECK_STR(d->vstat[1].notified_at, "2025-01-01T00:00:00Z");
	CHECK_INT(vd_case_vendors_pending(d, buf, sizeof buf), 1);
	CHECK_STR(buf, "Other");
	/* rollup: acknowledged only once every notified vendor has */
	vd_case *e = vd_case_new();
	REQUIRE(e);
	e->n_vendors = 2;
	e->vendors[0] = vd_case_str(e, "A");
	e->vendors[1] = vd_case_str(e, "B");
	e->vendor_ids[0] = 1;
	e->vendor_ids[1] = 2;
	e->vstat[0].notified_at = e->vstat[1].notified_at = vd_case_str(e, "2025-01-01T00:00:00Z");
	e->vstat[0].acked_at = vd_case_str(e, "2025-01-02T00:00:00Z");
	e->vstat[0].fix_status = vd_case_str(e, "released");
	vd_case_vendor_rollup(e, "2025-01-02T00:00:00Z");
	CHECK(e->acked_at == NULL && e->fix_status == NULL);
	const vd_case_rule *r = vd_case_rule_find(VD_CS_NOTIFIED, VD_CE_FIX_RELEASE);
	REQUIRE(r);
	CHECK_INT(vd_case_rule_target(r, e, VD_CS_NOTIFIED), VD_CS_NOTIFIED);
	e->vstat[1].acked_at = vd_case_str(e, "2025-01-04T00:00:00Z");
	vd_case_vendor_rollup(e, "2025-01-04T00:00:00Z");
	CHECK_STR(e->acked_at, "2025-01-04T00:00:00Z");
	CHECK_STR(e->fix_status, "in-progress");
	CHECK_INT(vd_case_rule_target(r, e, VD_CS_NOTIFIED), VD_CS_FIXING);
	e->vstat[1].fix_status = vd_case_str(e, "released");
	vd_case_vendor_rollup(e, "2025-01-05T00:00:00Z");
	CHECK_STR(e->fix_status, "released");
	CHECK_INT(vd_case_rule_target(r, e, VD_CS_FIXING), VD_CS_FIXED);
	/* the acting vendor */
	vd_case_args a;
	memset(&a, 0, sizeof a);
	vd_reasons why;
	memset(&why, 0, sizeof why);
	vd_principal adm = vd_principal_local("cli"), ven;
	memset(&ven, 0, sizeof ven);
	ven.role = VD_ROLE_VENDOR;
	ven.user_id = 9;
	snprintf(ven.name, sizeof ven.name, "vb");
	ven.n_orgs = 1;
	ven.orgs[0] = 2;
	CHECK_INT(vd_case_vendor_actor(e, &a, &adm, &why), -1);   /* two vendors: name one */
	CHECK(vd_reasons_has(&why, "name-vendor"));
	CHECK_INT(vd_case_vendor_actor(e, &a, &ven, &why), 1);    /* a vendor user: its own */
	a.vendors[0] = "a";
	a.n_vendors = 1;
	CHECK_INT(vd_case_vendor_actor(e, &a, &adm, &why), 0);    /* named, case-insensitive */
	memset(&why, 0, sizeof why);
	CHECK_INT(vd_case_vendor_actor(e, &a, &ven, &why), -1);   /* not its organisation */
	CHECK(vd_reasons_has(&why, "permission"));
	free(js);
	vd_case_free(e);
	vd_case_free(d);
	vd_case_free(c);
}

/* ---- service-level ---- */

static char tmpdir[256];
static vd_principal admin;

static vd_service *open_db(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	vd_service *s = NULL;
	if (vd_service_open(path, true, &s) != VD_OK) {
		fprintf(stderr, "open %s: %s\n", path, vd_error_msg());
		return NULL;
	}
	vd_service_library_ensure_default(s);
	vd_service_set_clock(s, clock_fn, NULL);
	vd_auth_policy pol = {.fast_hash = true};
	vd_service_set_auth_policy(s, &pol);
	vd_case_config cfg;
	vd_case_config_defaults(&cfg, path);
	cfg.attach_max = 4096;
	vd_service_case_configure(s, &cfg);
	return s;
}

static int64_t submit(vd_service *s, const vd_principal *who, const char *lib, const char *title, const char *learned)
{
	vd_report_in in;
	memset(&in, 0, sizeof in);
	in.title = title;
	in.description = "The admin console of Gizmo Router builds a shell command from the host parameter.";
	in.product = "Gizmo Router";
	in.version = "3.0";
	in.cwe = "CWE-78";
	in.library = lib;
	in.learned_at = learned;
	const char *fn[] = {"make", "model", "component", "interface"};
	const char *fv[] = {"Acme", "Roadster", "T-Box", "cellular"};
	if (lib && strcmp(lib, "VEH") == 0) {
		in.field_names = fn;
		in.field_values = fv;
		in.n_fields = 4;
	}
	int64_t id = 0;
	int rc = vd_service_report_submit(s, who, &in, &id, NULL, NULL);
	if (rc)
		fprintf(stderr, "    submit: %s\n", vd_error_msg());
	return id;
}

static int step(vd_service *s, int64_t id, vd_case_event ev, const vd_case_args *a)
{
	vd_reasons why;
	int rc = vd_service_case_step(s, &admin, id, ev, a, &why);
	if (rc) {
		char b[2048];
		vd_reasons_join(&why, b, sizeof b);
		fprintf(stderr, "    step %s: %s [%s]\n", vd_case_event_name(ev), vd_error_msg(), b);
	}
	return rc;
}

/* submit → assign → verify → notify, at now_s */
static int64_t to_notified(vd_service *s, const char *lib)
{
	int64_t id = submit(s, &admin, lib, "OS command injection in Gizmo Router", NULL);
	vd_case_args a;
	memset(&a, 0, sizeof a);
	a.users[0] = "ana";
	a.n_users = 1;
	if (step(s, id, VD_CE_ASSIGN, &a))
		return 0;
	memset(&a, 0, sizeof a);
	a.vector = "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H";
	if (step(s, id, VD_CE_VERIFY, &a))
		return 0;
	memset(&a, 0, sizeof a);
	a.vendors[0] = "Acme";
	a.n_vendors = 1;
	if (step(s, id, VD_CE_NOTIFY, &a))
		return 0;
	return id;
}

static void setup_people(vd_service *s)
{
	int64_t oid;
	vd_service_org_add(s, &admin, "Acme", VD_ORG_VENDOR, &oid);
	vd_service_org_product_add(s, &admin, "Acme", "Gizmo Router");
	vd_service_org_add(s, &admin, "Other Corp", VD_ORG_VENDOR, &oid);
	vd_service_user_add(s, &admin, "ana", VD_ROLE_ANALYST, NULL, "analyst-pass-1", NULL);
	vd_service_user_add(s, &admin, "exp", VD_ROLE_EXPERT, NULL, "expert-pass-1", NULL);
	vd_service_user_add(s, &admin, "rita", VD_ROLE_REPORTER, NULL, "reporter-pass-1", NULL);
	vd_service_user_add(s, &admin, "vic", VD_ROLE_VENDOR, "Acme", "vendor-pass-12", NULL);
	vd_service_user_add(s, &admin, "otto", VD_ROLE_VENDOR, "Other Corp", "vendor-pass-12", NULL);
	vd_library_info veh;
	memset(&veh, 0, sizeof veh);
	snprintf(veh.code, sizeof veh.code, "VEH");
	snprintf(veh.name, sizeof veh.name, "Vehicles");
	snprintf(veh.field_set, sizeof veh.field_set, "vehicle");
	veh.fix_days = 90;
	vd_service_library_add(s, &admin, &veh, NULL);
	vd_error_clear();
}

typedef struct {
	int fired[8];
	int listed;
} due_count;
static const char *const kinds[] = {"ack-overdue", "fix-reminder-50", "fix-reminder-80", "fix-overdue", NULL};

static int due_cb(void *ctx, const vd_due_item *d)
{
	due_count *c = ctx;
	c->listed++;
	for (int i = 0; kinds[i]; i++)
		if (strcmp(d->item.kind, kinds[i]) == 0 && d->fired_now)
			c->fired[i]++;
	return 0;
}

static void t_clocks_service(void)
{
	vd_service *a = open_db("clock.db"), *b = NULL;
	REQUIRE(a);
	setup_people(a);
	vd_time_parse("2025-04-01", &now_s);
	int64_t t0 = now_s;
	int64_t id = to_notified(a, NULL);
	int64_t idv = to_notified(a, "VEH");
	REQUIRE(id && idv);
	b = open_db("clock.db");
	REQUIRE(b);
	due_count dc;
	memset(&dc, 0, sizeof dc);
	/* day 8: ack overdue (7 days) on both, once each */
	now_s = t0 + 8 * DAY;
	CHECK(vd_service_cases_due(a, &admin, true, due_cb, &dc) == VD_OK);
	CHECK(vd_service_cases_due(b, &admin, true, due_cb, &dc) == VD_OK);
	CHECK(vd_service_cases_due(a, &admin, true, due_cb, &dc) == VD_OK);
	CHECK_INT(dc.fired[0], 2);
	/* day 23: the 45-day case's 50 % reminder; the 90-day one is quiet */
	now_s = t0 + 23 * DAY;
	memset(&dc, 0, sizeof dc);
	CHECK(vd_service_cases_due(b, &admin, true, due_cb, &dc) == VD_OK);
	CHECK(vd_service_cases_due(a, &admin, true, due_cb, &dc) == VD_OK);
	CHECK_INT(dc.fired[1], 1);
	/* day 37: 80 % */
	now_s = t0 + 37 * DAY;
	memset(&dc, 0, sizeof dc);
	CHECK(vd_service_cases_due(a, &admin, true, due_cb, &dc) == VD_OK);
	CHECK(vd_service_cases_due(b, &admin, true, due_cb, &dc) == VD_OK);
	CHECK_INT(dc.fired[2], 1);
	/* day 46: the 45-day deadline escalates once; the 90-day case reminds at 50 % */
	now_s = t0 + 46 * DAY;
	memset(&dc, 0, sizeof dc);
	CHECK(vd_service_cases_due(b, &admin, true, due_cb, &dc) == VD_OK);
	CHECK(vd_service_cases_due(a, &admin, true, due_cb, &dc) == VD_OK);
	CHECK_INT(dc.fired[3], 1);
	CHECK_INT(dc.fired[1], 1);
	/* day 91: the 90-day one escalates */
	now_s = t0 + 91 * DAY;
	memset(&dc, 0, sizeof dc);
	CHECK(vd_service_cases_due(a, &admin, true, due_cb, &dc) == VD_OK);
	CHECK(vd_service_cases_due(b, &admin, true, due_cb, &dc) == VD_OK);
	CHECK_INT(dc.fired[3], 1);
	/* without fire nothing is recorded */
	memset(&dc, 0, sizeof dc);
	CHECK(vd_service_cases_due(a, &admin, false, due_cb, &dc) == VD_OK);
	CHECK(dc.listed > 0);
	CHECK_INT(dc.fired[3] + dc.fired[0], 0);
	/* Art. 7: vendor-submitted reports: learned 3 days ago is late, 1 day is not */
	vd_case *c = NULL;
	char l3[32], l1[32];
	vd_time_format(now_s - 3 * DAY, l3, sizeof l3);
	vd_time_format(now_s - 1 * DAY, l1, sizeof l1);
	int64_t late = submit(a, &admin, NULL, "late vendor report", l3), ok = submit(a, &admin, NULL, "timely report", l1);
	REQUIRE(vd_service_case_get(a, &admin, late, &c) == VD_OK);
	CHECK(c->art7_late);
	vd_case_free(c);
	REQUIRE(vd_service_case_get(a, &admin, ok, &c) == VD_OK);
	CHECK(!c->art7_late);
	vd_case_free(c);
	vd_service_close(b);
	vd_service_close(a);
}

static int count_hit(void *ctx, const vd_search_hit *h)
{
	(void)h;
	(*(int *)ctx)++;
	return 0;
}

static vd_principal user_principal(vd_service *s, const char *name, const char *pw)
{
	vd_principal p;
	vd_session sess;
	memset(&p, 0, sizeof p);
	if (vd_service_login(s, name, pw, NULL, &sess, &p))
		fprintf(stderr, "    login %s: %s\n", name, vd_error_msg());
	return p;
}

static void t_lifecycle_embargo(void)
{
	vd_service *s = open_db("life.db");
	REQUIRE(s);
	setup_people(s);
	vd_time_parse("2025-05-01", &now_s);
	vd_principal rita = user_principal(s, "rita", "reporter-pass-1");
	vd_principal vic = user_principal(s, "vic", "vendor-pass-12");
	vd_principal otto = user_principal(s, "otto", "vendor-pass-12");
	vd_principal exp = user_principal(s, "exp", "expert-pass-1");
	vd_principal anon = vd_principal_anonymous();
	/* a reporter submits with a PoC */
	vd_report_in in;
	memset(&in, 0, sizeof in);
	in.title = "Zebrafish stack overflow in Gizmo Router httpd";
	in.description = "A long Cookie header overflows a stack buffer in the Gizmo Router web server.";
	in.product = "Gizmo Router";
	in.version = "3.1";
	in.grade = "critical";
	vd_attachment_in att = {"poc.py", "print('boom')\n", 14, "poc"};
	in.attachments = &att;
	in.n_attachments = 1;
	int64_t id = 0;
	REQUIRE(vd_service_report_submit(s, &rita, &in, &id, NULL, NULL) == VD_OK);
	/* who may read it */
	vd_case *c = NULL;
	CHECK(vd_service_case_get(s, &rita, id, &c) == VD_OK);
	vd_case_free(c);
	CHECK(vd_service_case_get(s, &vic, id, &c) == VD_OK);   /* Acme owns the product */
	vd_case_free(c);
	CHECK(vd_service_case_get(s, &otto, id, &c) == VD_ENOTFOUND);
	CHECK(vd_service_case_get(s, &anon, id, &c) == VD_ENOTFOUND);
	char *data = NULL, name[VD_ATTACH_NAME_MAX + 1];
	size_t len = 0;
	REQUIRE(vd_service_case_get(s, &admin, id, &c) == VD_OK);
	char sha[VD_HASH_HEX];
	REQUIRE(c->n_att == 1);
	memcpy(sha, c->att[0].sha256, sizeof sha);
	vd_case_free(c);
	CHECK(vd_service_attachment_get(s, &rita, id, sha, &data, &len, name) == VD_OK && len == 14);
	free(data);
	CHECK(vd_service_attachment_get(s, &otto, id, sha, &data, &len, name) == VD_EPERM);
	CHECK(vd_service_attachment_get(s, &anon, id, sha, &data, &len, name) == VD_EPERM);
	/* the reporter may not verify; the vendor may not publish */
	vd_case_args a;
	memset(&a, 0, sizeof a);
	a.users[0] = "ana";
	a.n_users = 1;
	vd_reasons why;
	CHECK(vd_service_case_step(s, &rita, id, VD_CE_ASSIGN, &a, &why) == VD_EPERM);
	CHECK(vd_reasons_has(&why, "permission"));
	REQUIRE(step(s, id, VD_CE_ASSIGN, &a) == VD_OK);
	/* verify refused: the reporter's grade alone does not count */
	memset(&a, 0, sizeof a);
	CHECK(vd_service_case_step(s, &admin, id, VD_CE_VERIFY, &a, &why) == VD_EPERM);
	CHECK(vd_reasons_has(&why, "no-grade"));
	/* expert opinion */
	memset(&a, 0, sizeof a);
	a.users[0] = "exp";
	a.n_users = 1;
	REQUIRE(step(s, id, VD_CE_REFER, &a) == VD_OK);
	exp = user_principal(s, "exp", "expert-pass-1");
	memset(&a, 0, sizeof a);
	a.text = "reproduced on 3.1";
	a.verdict = "verified";
	CHECK(vd_service_case_step(s, &exp, id, VD_CE_OPINION, &a, &why) == VD_OK);
	CHECK(vd_service_case_step(s, &vic, id, VD_CE_OPINION, &a, &why) == VD_EPERM);
	memset(&a, 0, sizeof a);
	a.vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	REQUIRE(step(s, id, VD_CE_VERIFY, &a) == VD_OK);
	REQUIRE(vd_service_case_get(s, &admin, id, &c) == VD_OK);
	char rid[64];
	vd_strlcpy(rid, c->record_id ? c->record_id : "", sizeof rid);
	CHECK(strncmp(rid, "NVDB-202505-", 12) == 0);
	CHECK_STR(c->grade_by, "computed");
	vd_case_free(c);
	/* the unpublished record: invisible to the public view */
	vd_record *r = NULL;
	CHECK(vd_service_get(s, VD_VIEW_PUBLIC, rid, &r) == VD_ENOTFOUND);
	CHECK(vd_service_get(s, VD_VIEW_ALL, rid, &r) == VD_OK);
	if (r)
		CHECK_INT(r->state, VD_STATE_UNPUBLISHED);
	vd_record_free(r);
	r = NULL;
	vd_search_params sp;
	memset(&sp, 0, sizeof sp);
	sp.text = "Zebrafish";
	int hits = 0;
	CHECK(vd_service_search(s, VD_VIEW_PUBLIC, &sp, count_hit, &hits, NULL) == VD_OK);
	CHECK_INT(hits, 0);
	hits = 0;
	CHECK(vd_service_search(s, VD_VIEW_ALL, &sp, count_hit, &hits, NULL) == VD_OK);
	CHECK_INT(hits, 1);
	/* vendor coordination */
	memset(&a, 0, sizeof a);
	REQUIRE(step(s, id, VD_CE_NOTIFY, &a) == VD_OK);   /* Acme owns the product */
	CHECK(vd_service_case_step(s, &otto, id, VD_CE_ACK, &a, &why) == VD_EPERM);
	CHECK(vd_service_case_step(s, &vic, id, VD_CE_ACK, &a, &why) == VD_OK);
	a.version = "3.2";
	CHECK(vd_service_case_step(s, &vic, id, VD_CE_FIX_RELEASE, &a, &why) == VD_OK);
	memset(&a, 0, sizeof a);
	a.text = "still crashes with a longer cookie";
	CHECK(vd_service_case_step(s, &rita, id, VD_CE_RETEST_FAIL, &a, &why) == VD_OK);   /* the reporter may */
	memset(&a, 0, sizeof a);
	a.version = "3.2.1";
	CHECK(vd_service_case_step(s, &vic, id, VD_CE_FIX_RELEASE, &a, &why) == VD_OK);
	memset(&a, 0, sizeof a);
	REQUIRE(step(s, id, VD_CE_RETEST_PASS, &a) == VD_OK);
	/* publish refused: solution, operator flag */
	CHECK(vd_service_case_step(s, &admin, id, VD_CE_PUBLISH, &a, &why) == VD_EPERM);
	CHECK_INT(why.n, 2);
	CHECK(vd_reasons_has(&why, "no-solution") && vd_reasons_has(&why, "operator-details"));
	CHECK(vd_service_case_step(s, &vic, id, VD_CE_PUBLISH, &a, &why) == VD_EPERM);
	CHECK(vd_service_get(s, VD_VIEW_PUBLIC, rid, &r) == VD_ENOTFOUND);
	a.solution = "Upgrade to 3.2.1.";
	a.operator_set = true;
	a.operator_details = false;
	REQUIRE(step(s, id, VD_CE_UPDATE, &a) == VD_OK);
	memset(&a, 0, sizeof a);
	REQUIRE(step(s, id, VD_CE_PUBLISH, &a) == VD_OK);
	CHECK(vd_service_get(s, VD_VIEW_PUBLIC, rid, &r) == VD_OK);
	if (r) {
		CHECK_INT(r->state, VD_STATE_PUBLISHED);
		CHECK(r->solution.en != NULL);
		/* the PoC never appears in the record */
		char *json = NULL;
		vd_record_to_json(r, &json);
		CHECK(json && !strstr(json, "poc.py") && !strstr(json, sha));
		free(json);
	}
	vd_record_free(r);
	hits = 0;
	CHECK(vd_service_search(s, VD_VIEW_PUBLIC, &sp, count_hit, &hits, NULL) == VD_OK);
	CHECK_INT(hits, 1);
	/* final: no more steps */
	a.text = "hello";
	CHECK(vd_service_case_step(s, &admin, id, VD_CE_COMMENT, &a, &why) == VD_EPERM);
	CHECK(vd_reasons_has(&why, "state"));
	/* every transition is in the audit chain */
	vd_audit_report ar;
	CHECK(vd_service_audit_verify(s, &admin, &ar) == VD_OK);
	vd_service_close(s);
}

typedef struct {
	int n;
} counter;
static int count_case(void *ctx, const vd_case *c)
{
	(void)c;
	((counter *)ctx)->n++;
	return 0;
}

static void t_hostile(void)
{
	vd_service *s = open_db("hostile.db");
	REQUIRE(s);
	setup_people(s);
	vd_time_parse("2025-06-01", &now_s);
	vd_audit_bounds before, after;
	vd_service_audit_bounds(s, &admin, &before);
	counter n0 = {0}, n1 = {0};
	vd_service_case_list(s, &admin, NULL, count_case, &n0);
	vd_report_in in;
	memset(&in, 0, sizeof in);
	in.title = "t";
	in.description = "d";
	in.product = "p";
	char *big = malloc(VD_CASE_TEXT_MAX + 10);
	memset(big, 'A', VD_CASE_TEXT_MAX + 9);
	big[VD_CASE_TEXT_MAX + 9] = '\0';
	int64_t id;
	vd_report_in h = in;
	h.title = big;
	CHECK(vd_service_report_submit(s, &admin, &h, &id, NULL, NULL) == VD_ETOOBIG);
	h = in;
	h.description = big;
	CHECK(vd_service_report_submit(s, &admin, &h, &id, NULL, NULL) == VD_ETOOBIG);
	h = in;
	h.title = "bad \xff\xfe utf-8";
	CHECK(vd_service_report_submit(s, &admin, &h, &id, NULL, NULL) == VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "UTF-8") != NULL);
	static const char *const names[] = {"../../etc/passwd", "..", "a/b.txt", "x\\..\\y", ".hidden", "ok\nname", ""};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		vd_attachment_in att = {names[i], "x", 1, NULL};
		h = in;
		h.attachments = &att;
		h.n_attachments = 1;
		CHECK(vd_service_report_submit(s, &admin, &h, &id, NULL, NULL) == VD_EINVAL);
	}
	vd_attachment_in huge = {"big.bin", big, 5000, NULL};   /* cap 4096 in this test */
	h = in;
	h.attachments = &huge;
	h.n_attachments = 1;
	CHECK(vd_service_report_submit(s, &admin, &h, &id, NULL, NULL) == VD_ETOOBIG);
	h = in;
	h.vector = "CVSS:3.1/AV:Q";
	CHECK(vd_service_report_submit(s, &admin, &h, &id, NULL, NULL) == VD_EINVAL);
	h = in;
	h.library = "NOPE";
	CHECK(vd_service_report_submit(s, &admin, &h, &id, NULL, NULL) == VD_EINVAL);
	vd_service_case_list(s, &admin, NULL, count_case, &n1);
	CHECK_INT(n1.n, n0.n);
	vd_service_audit_bounds(s, &admin, &after);
	CHECK_INT(after.head_seq, before.head_seq);   /* nothing changed, nothing logged */
	/* SQL-looking text is just text */
	h = in;
	h.title = "x'); DROP TABLE cases;--";
	REQUIRE(vd_service_report_submit(s, &admin, &h, &id, NULL, NULL) == VD_OK);
	vd_case *c = NULL;
	REQUIRE(vd_service_case_get(s, &admin, id, &c) == VD_OK);
	CHECK_STR(c->title, "x'); DROP TABLE cases;--");
	vd_case_free(c);
	/* hostile step arguments */
	vd_case_args a;
	memset(&a, 0, sizeof a);
	a.text = big;
	CHECK(vd_service_case_step(s, &admin, id, VD_CE_COMMENT, &a, NULL) == VD_ETOOBIG);
	memset(&a, 0, sizeof a);
	a.users[0] = "nobody'; --";
	a.n_users = 1;
	vd_reasons why;
	CHECK(vd_service_case_step(s, &admin, id, VD_CE_ASSIGN, &a, &why) == VD_EPERM);
	CHECK(vd_reasons_has(&why, "no-user"));
	memset(&a, 0, sizeof a);
	a.ref_url = "javascript-no-scheme";
	CHECK(vd_service_case_step(s, &admin, id, VD_CE_UPDATE, &a, NULL) == VD_EINVAL);
	CHECK(vd_service_case_step(s, &admin, 99999, VD_CE_COMMENT, &a, NULL) != VD_OK);
	free(big);
	vd_service_close(s);
}

/* ---- multi-vendor acknowledgement ---- */

typedef struct {
	int ack_items;
	char names[200];
} due_names;

static int due_names_cb(void *ctx, const vd_due_item *d)
{
	due_names *x = ctx;
	if (strcmp(d->item.kind, "ack-overdue") == 0)
		x->ack_items++;
	return 0;
}

typedef struct {
	const char *want;
	int hits;
} thread_find;

static int thread_find_cb(void *ctx, const vd_case_event_row *e)
{
	thread_find *t = ctx;
	if (e->text && strstr(e->text, t->want))
		t->hits++;
	return 0;
}

static vd_case_state state_of(vd_service *s, int64_t id)
{
	vd_case *c = NULL;
	vd_case_state st = VD_CS_RECEIVED;
	if (vd_service_case_get(s, &admin, id, &c) == VD_OK)
		st = c->state;
	vd_case_free(c);
	return st;
}

static void t_multi_vendor(void)
{
	vd_service *s = open_db("mv.db");
	REQUIRE(s);
	setup_people(s);
	vd_time_parse("2025-06-01", &now_s);
	int64_t t0 = now_s;
	vd_principal vic = user_principal(s, "vic", "vendor-pass-12");
	vd_principal otto = user_principal(s, "otto", "vendor-pass-12");
	int64_t id = to_notified(s, NULL);   /* Acme (owns the product) */
	REQUIRE(id);
	vd_case_args a;
	memset(&a, 0, sizeof a);
	a.vendors[0] = "Other Corp";
	a.n_vendors = 1;
	REQUIRE(step(s, id, VD_CE_NOTIFY, &a) == VD_OK);   /* a second vendor */
	vd_reasons why;
	/* the operator acting for a vendor must name it when there are two */
	memset(&a, 0, sizeof a);
	CHECK(vd_service_case_step(s, &admin, id, VD_CE_ACK, &a, &why) == VD_EPERM);
	CHECK(vd_reasons_has(&why, "name-vendor"));
	/* a vendor user may not acknowledge for the other vendor */
	a.vendors[0] = "Acme";
	a.n_vendors = 1;
	CHECK(vd_service_case_step(s, &otto, id, VD_CE_ACK, &a, &why) == VD_EPERM);
	CHECK(vd_reasons_has(&why, "permission"));
	CHECK_INT(state_of(s, id), VD_CS_NOTIFIED);
	/* Acme acknowledges: recorded, the case stays notified, Other Corp pending */
	now_s = t0 + 2 * DAY;
	memset(&a, 0, sizeof a);
	REQUIRE(vd_service_case_step(s, &vic, id, VD_CE_ACK, &a, &why) == VD_OK);
	vd_case *c = NULL;
	REQUIRE(vd_service_case_get(s, &admin, id, &c) == VD_OK);
	CHECK_INT(c->state, VD_CS_NOTIFIED);
	CHECK(c->acked_at == NULL);
	CHECK_INT(c->n_vendors, 2);
	char pend[200];
	CHECK_INT(vd_case_vendors_pending(c, pend, sizeof pend), 1);
	CHECK_STR(pend, "Other Corp");
	CHECK(c->vstat[0].acked_at != NULL && c->vstat[1].acked_at == NULL);
	vd_case_free(c);
	thread_find tf = {"Acme acknowledged; not acknowledged yet: Other Corp", 0};
	CHECK(vd_service_case_thread(s, &admin, id, thread_find_cb, &tf) == VD_OK);
	CHECK_INT(tf.hits, 1);
	/* twice is refused */
	CHECK(vd_service_case_step(s, &vic, id, VD_CE_ACK, &a, &why) == VD_EPERM);
	CHECK(vd_reasons_has(&why, "already"));
	/* day 8: the acknowledgement deadline names the vendor still pending */
	now_s = t0 + 8 * DAY;
	due_names dn;
	memset(&dn, 0, sizeof dn);
	CHECK(vd_service_cases_due(s, &admin, true, due_names_cb, &dn) == VD_OK);
	CHECK_INT(dn.ack_items, 1);
	thread_find tf2 = {"ack-overdue: deadline 2025-06-08T00:00:00Z; not acknowledged: Other Corp", 0};
	CHECK(vd_service_case_thread(s, &admin, id, thread_find_cb, &tf2) == VD_OK);
	CHECK_INT(tf2.hits, 1);
	/* Other Corp acknowledges: now acknowledged */
	REQUIRE(vd_service_case_step(s, &otto, id, VD_CE_ACK, &a, &why) == VD_OK);
	CHECK_INT(state_of(s, id), VD_CS_ACKNOWLEDGED);
	memset(&dn, 0, sizeof dn);
	CHECK(vd_service_cases_due(s, &admin, false, due_names_cb, &dn) == VD_OK);
	CHECK_INT(dn.ack_items, 0);
	/* fixes per vendor: fixed only when both released */
	a.version = "3.2";
	REQUIRE(vd_service_case_step(s, &vic, id, VD_CE_FIX_RELEASE, &a, &why) == VD_OK);
	CHECK_INT(state_of(s, id), VD_CS_FIXING);
	a.version = NULL;
	a.patch = "https://other.example/patch-7";
	REQUIRE(vd_service_case_step(s, &otto, id, VD_CE_FIX_RELEASE, &a, &why) == VD_OK);
	REQUIRE(vd_service_case_get(s, &admin, id, &c) == VD_OK);
	CHECK_INT(c->state, VD_CS_FIXED);
	CHECK_STR(c->fix_status, "released");
	CHECK_STR(c->vstat[0].fix_version, "3.2");
	CHECK_STR(c->vstat[1].fix_patch, "https://other.example/patch-7");
	vd_case_free(c);
	/* a failed retest sends every vendor back to work */
	memset(&a, 0, sizeof a);
	a.text = "still crashes";
	REQUIRE(step(s, id, VD_CE_RETEST_FAIL, &a) == VD_OK);
	REQUIRE(vd_service_case_get(s, &admin, id, &c) == VD_OK);
	CHECK_INT(c->state, VD_CS_FIXING);
	CHECK_STR(c->vstat[0].fix_status, "in-progress");
	CHECK_STR(c->vstat[1].fix_status, "in-progress");
	vd_case_free(c);
	memset(&a, 0, sizeof a);
	a.version = "3.3";
	REQUIRE(vd_service_case_step(s, &vic, id, VD_CE_FIX_RELEASE, &a, &why) == VD_OK);
	CHECK_INT(state_of(s, id), VD_CS_FIXING);
	/* one vendor: acting for it stays implicit (the lifecycle tests) */
	int64_t one = to_notified(s, NULL);
	memset(&a, 0, sizeof a);
	REQUIRE(step(s, one, VD_CE_ACK, &a) == VD_OK);
	CHECK_INT(state_of(s, one), VD_CS_ACKNOWLEDGED);
	vd_service_close(s);
}

/* ---- duplicates and credit ---- */

typedef struct {
	int promote, ok;
} audit_find;

static int audit_cb(void *ctx, const vd_audit_entry *e)
{
	audit_find *f = ctx;
	if (strcmp(e->action, "case.promote") == 0 && strcmp(e->outcome, "ok") == 0) {
		f->promote++;
		if (strstr(e->why, "to rob") && strstr(e->why, "duplicate → triage"))
			f->ok++;
	}
	return 0;
}

static void t_duplicate_credit(void)
{
	vd_service *s = open_db("dup.db");
	REQUIRE(s);
	setup_people(s);
	vd_service_user_add(s, &admin, "rob", VD_ROLE_REPORTER, NULL, "reporter-pass-2", NULL);
	vd_service_user_add(s, &admin, "ray", VD_ROLE_REPORTER, NULL, "reporter-pass-3", NULL);
	vd_error_clear();
	vd_principal rita = user_principal(s, "rita", "reporter-pass-1");
	vd_principal rob = user_principal(s, "rob", "reporter-pass-2");
	vd_principal ray = user_principal(s, "ray", "reporter-pass-3");
	vd_time_parse("2025-07-01", &now_s);
	int64_t o = submit(s, &rita, NULL, "Command injection in Gizmo Router ping page", NULL);
	now_s += 3600;
	int64_t d1 = submit(s, &rob, NULL, "Gizmo Router ping page runs shell commands", NULL);
	now_s += 3600;
	int64_t d2 = submit(s, &ray, NULL, "Shell injection via the Gizmo Router diagnostics", NULL);
	REQUIRE(o && d1 && d2);
	char orig[32], od1[32];
	snprintf(orig, sizeof orig, "case:%lld", (long long)o);
	snprintf(od1, sizeof od1, "case:%lld", (long long)d1);
	/* d2 first, naming d1 after d1 became a duplicate: followed to o */
	vd_case_args a;
	memset(&a, 0, sizeof a);
	a.original = orig;
	REQUIRE(step(s, d1, VD_CE_DUPLICATE, &a) == VD_OK);
	a.original = od1;
	REQUIRE(step(s, d2, VD_CE_DUPLICATE, &a) == VD_OK);
	vd_case *c = NULL;
	REQUIRE(vd_service_case_get(s, &admin, o, &c) == VD_OK);
	CHECK(c->credit_case == 0 || c->credit_case == o);   /* its own reporter keeps the credit */
	REQUIRE(c->n_dups == 2);
	CHECK(c->dups[0].case_id == d1 && c->dups[1].case_id == d2);
	CHECK_STR(c->dups[0].reporter, "rob");
	char *js = NULL;
	REQUIRE(vd_case_to_json(c, &js) == VD_OK);
	CHECK(strstr(js, "\"credit\":{\"case\":") && strstr(js, "\"reporter\":\"rita\"}"));
	CHECK(strstr(js, "\"reporter\":\"ray\"") != NULL);   /* staff see duplicate reporters */
	free(js);
	vd_case_free(c);
	/* the original's reporter does not see the duplicates' reporters */
	REQUIRE(vd_service_case_get(s, &rita, o, &c) == VD_OK);
	REQUIRE(vd_case_to_json(c, &js) == VD_OK);
	CHECK(strstr(js, "rob") == NULL && strstr(js, "ray") == NULL);
	free(js);
	vd_case_free(c);
	/* a duplicate's reporter sees no credit and not the original's reporter */
	REQUIRE(vd_service_case_get(s, &ray, d2, &c) == VD_OK);
	CHECK_STR(c->duplicate_of, orig);
	CHECK(c->credit_case == o);
	REQUIRE(vd_case_to_json(c, &js) == VD_OK);
	CHECK(strstr(js, "rita") == NULL);
	char want[120];
	snprintf(want, sizeof want, "\"credit\":{\"case\":%lld,\"original\":\"%s\"}", (long long)o, orig);
	CHECK(strstr(js, want) != NULL);   /* no name in the credit */
	free(js);
	vd_case_free(c);
	/* the original is rejected: the earliest duplicate (d1) is promoted */
	now_s += 3600;
	memset(&a, 0, sizeof a);
	a.text = "the report is a copy of a vendor advisory draft";
	REQUIRE(step(s, o, VD_CE_REJECT, &a) == VD_OK);
	REQUIRE(vd_service_case_get(s, &admin, d1, &c) == VD_OK);
	CHECK_INT(c->state, VD_CS_TRIAGE);
	CHECK(c->duplicate_of == NULL);
	CHECK(c->credit_case == 0);
	CHECK(c->credit_note && strstr(c->credit_note, "promoted"));
	REQUIRE(c->n_dups == 1);
	CHECK(c->dups[0].case_id == d2);
	REQUIRE(vd_case_to_json(c, &js) == VD_OK);
	CHECK(strstr(js, "\"reporter\":\"rob\"}") != NULL);
	free(js);
	vd_case_free(c);
	/* the later duplicate is not promoted: relinked, no credit */
	REQUIRE(vd_service_case_get(s, &admin, d2, &c) == VD_OK);
	CHECK_INT(c->state, VD_CS_DUPLICATE);
	CHECK_STR(c->duplicate_of, od1);
	CHECK(c->credit_case == d1);
	vd_case_free(c);
	/* the rejected original records where the credit went */
	REQUIRE(vd_service_case_get(s, &admin, o, &c) == VD_OK);
	CHECK_INT(c->state, VD_CS_REJECTED);
	CHECK(c->credit_case == d1);
	CHECK_STR(c->credit, "rob");
	vd_case_free(c);
	audit_find af = {0, 0};
	CHECK(vd_service_audit_list(s, &admin, 0, 0, audit_cb, &af) == VD_OK);
	CHECK_INT(af.promote, 1);
	CHECK_INT(af.ok, 1);
	/* a rejected case cannot be an original; promote is not a step */
	vd_reasons why;
	int64_t d3 = submit(s, &ray, NULL, "Gizmo Router ping injection again", NULL);
	memset(&a, 0, sizeof a);
	a.original = orig;
	CHECK(vd_service_case_step(s, &admin, d3, VD_CE_DUPLICATE, &a, &why) == VD_EPERM);
	CHECK(vd_reasons_has(&why, "original-rejected"));
	CHECK(vd_service_case_step(s, &admin, d2, VD_CE_PROMOTE, NULL, &why) == VD_EINVAL);
	/* the promoted case goes on; its record credits rob */
	memset(&a, 0, sizeof a);
	a.users[0] = "ana";
	a.n_users = 1;
	REQUIRE(step(s, d1, VD_CE_ASSIGN, &a) == VD_OK);
	memset(&a, 0, sizeof a);
	a.vector = "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H";
	REQUIRE(step(s, d1, VD_CE_VERIFY, &a) == VD_OK);
	REQUIRE(vd_service_case_get(s, &admin, d1, &c) == VD_OK);
	vd_record *r = NULL;
	REQUIRE(c->record_id && vd_service_get(s, VD_VIEW_ALL, c->record_id, &r) == VD_OK);
	bool rob_credited = false, rita_credited = false;
	for (size_t i = 0; i < r->n_credits; i++) {
		rob_credited |= r->credits[i].name && strcmp(r->credits[i].name, "rob") == 0;
		rita_credited |= r->credits[i].name && strcmp(r->credits[i].name, "rita") == 0;
	}
	CHECK(rob_credited && !rita_credited);
	vd_record_free(r);
	vd_case_free(c);
	vd_service_close(s);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/vd_t_case.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	admin = vd_principal_local("cli");
	RUN(t_table);
	RUN(t_gate_passes);
	RUN(t_gate_no_fix);
	RUN(t_gate_deadline);
	RUN(t_gate_no_solution);
	RUN(t_gate_exploit);
	RUN(t_gate_operator);
	RUN(t_gate_blackout);
	RUN(t_gate_grade);
	RUN(t_gate_all);
	RUN(t_clock_pure);
	RUN(t_vendor_pure);
	RUN(t_clocks_service);
	RUN(t_lifecycle_embargo);
	RUN(t_hostile);
	RUN(t_multi_vendor);
	RUN(t_duplicate_credit);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return vt_done();
}
