/* The case state machine as one declared table (`rules` below): for each
 * row, the states it applies in, the event, the state it leads to, the
 * action of the permission table (vulnd/auth.h) that allows it, whether the
 * case's reporter may do it too, and the guard.  The service's step
 * function, its permission checks and docs/workflow.md (`vulnd case states
 * --markdown`) all come from this table.  Also: the case's JSON form. */
#include "vulnd/workflow.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const state_names[VD_CS_COUNT_] = {
	"received", "triage", "verifying", "rejected", "duplicate", "verified", "notified",
	"acknowledged", "fixing", "fixed", "retested", "published",
};
static const char *const event_names[VD_CE_COUNT_] = {
	"submit", "assign", "refer", "opinion", "verify", "reject", "duplicate", "notify", "ack",
	"fix-progress", "fix-release", "retest-pass", "retest-fail", "approve", "update", "comment",
	"publish", "promote",
};

const char *vd_case_state_name(vd_case_state s)
{
	return (unsigned)s < VD_CS_COUNT_ ? state_names[s] : "?";
}

int vd_case_state_parse(const char *name, vd_case_state *out)
{
	for (int i = 0; name && i < VD_CS_COUNT_; i++)
		if (strcmp(name, state_names[i]) == 0) {
			*out = (vd_case_state)i;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown case state '%.40s'", name ? name : "");
}

const char *vd_case_event_name(vd_case_event e)
{
	return (unsigned)e < VD_CE_COUNT_ ? event_names[e] : "?";
}

int vd_case_event_parse(const char *name, vd_case_event *out)
{
	for (int i = 0; name && i < VD_CE_COUNT_; i++)
		if (strcmp(name, event_names[i]) == 0) {
			*out = (vd_case_event)i;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown case step '%.40s'", name ? name : "");
}

bool vd_case_state_final(vd_case_state s)
{
	return s == VD_CS_REJECTED || s == VD_CS_DUPLICATE || s == VD_CS_PUBLISHED;
}

/* ---- reasons ---- */

void vd_reasons_add(vd_reasons *rs, const char *code, const char *fmt, ...)
{
	if (rs->n >= VD_REASONS_MAX)
		return;
	vd_strlcpy(rs->r[rs->n].code, code, sizeof rs->r[rs->n].code);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rs->r[rs->n].text, sizeof rs->r[rs->n].text, fmt, ap);
	va_end(ap);
	rs->n++;
}

void vd_reasons_join(const vd_reasons *rs, char *buf, size_t n)
{
	size_t at = 0;
	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < rs->n && at + 1 < n; i++) {
		int k = snprintf(buf + at, n - at, "%s%s", i ? "; " : "", rs->r[i].text);
		if (k < 0)
			break;
		at += (size_t)k;
	}
}

bool vd_reasons_has(const vd_reasons *rs, const char *code)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].code, code) == 0)
			return true;
	return false;
}

/* ---- guards ---- */

static bool blank(const char *s) { return vd_str_empty(s); }

static void g_text(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)c; (void)e;
	if (blank(a->text))
		vd_reasons_add(o, "no-text", "a text (reason, comment or opinion) is required");
}

static void g_assign(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)c; (void)e;
	if (a->n_users != 1 || blank(a->users[0]))
		vd_reasons_add(o, "no-analyst", "name exactly one analyst to assign");
}

static void g_refer(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)e;
	if (a->n_users == 0)
		vd_reasons_add(o, "no-experts", "name at least one expert to refer the case to");
	if (c->n_experts + a->n_users > VD_CASE_PARTIES)
		vd_reasons_add(o, "too-many", "at most %d experts per case", VD_CASE_PARTIES);
}

static void g_opinion(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	g_text(c, a, e, o);
	if (c->n_experts == 0)
		vd_reasons_add(o, "not-referred", "the case was not referred to the expert group");
}

static bool has_grade_source(const vd_case *c, const vd_case_args *a)
{
	return !blank(a->grade) || !blank(a->vector) ||
	       (c->grade && c->grade_by && strcmp(c->grade_by, "reporter") != 0) || !blank(c->vector);
}

static void g_verify(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)e;
	if (!has_grade_source(c, a))
		vd_reasons_add(o, "no-grade", "a grade or a CVSS / GB/T 30279 vector is needed to verify "
		               "(the reporter's grade alone does not count)");
	if (blank(c->product))
		vd_reasons_add(o, "no-product", "the affected product is unknown");
	if (c->analyst_id == 0 && blank(c->analyst))
		vd_reasons_add(o, "not-assigned", "no analyst is assigned");
}

static void g_duplicate(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)e;
	if (blank(a->original))
		vd_reasons_add(o, "no-original", "name the original (case:N or a record id)");
	else {
		char self[32];
		snprintf(self, sizeof self, "case:%lld", (long long)c->id);
		if (strcmp(a->original, self) == 0)
			vd_reasons_add(o, "self", "a case cannot duplicate itself");
	}
}

static void g_notify(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)e;
	if (a->n_vendors == 0 && c->n_vendors == 0)
		vd_reasons_add(o, "no-vendor", "no vendor organisation owns product '%s' (name one with --vendor)",
		               c->product ? c->product : "");
	if (c->n_vendors + a->n_vendors > VD_CASE_PARTIES)
		vd_reasons_add(o, "too-many", "at most %d vendors per case", VD_CASE_PARTIES);
}

static void g_release(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)c; (void)e;
	if (blank(a->version) && blank(a->patch))
		vd_reasons_add(o, "no-fix-ref", "a fixed version or a patch reference is required");
}

static void g_approve(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)c; (void)e;
	if (blank(a->text))
		vd_reasons_add(o, "no-text", "an approval needs a reason");
}

/* ---- vendor steps: each vendor acts for itself ---- */

static bool member_of(const vd_principal *p, int64_t org)
{
	for (size_t i = 0; org > 0 && i < p->n_orgs && i < VD_PRINCIPAL_ORGS; i++)
		if (p->orgs[i] == org)
			return true;
	return false;
}

static void names_of(const vd_case *c, bool (*want)(const vd_case *, size_t), char *buf, size_t n, size_t *count)
{
	size_t at = 0, k = 0;
	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < c->n_vendors; i++) {
		if (!want(c, i))
			continue;
		k++;
		if (at + 1 >= n)
			continue;
		int w = snprintf(buf + at, n - at, "%s%s", at ? ", " : "", c->vendors[i] ? c->vendors[i] : "?");
		if (w < 0)
			continue;
		at = (size_t)w >= n - at ? n - 1 : at + (size_t)w;
	}
	if (count)
		*count = k;
}

static bool is_pending(const vd_case *c, size_t i) { return c->vstat[i].notified_at && !c->vstat[i].acked_at; }
static bool is_unfixed(const vd_case *c, size_t i)
{
	return c->vstat[i].notified_at && !(c->vstat[i].fix_status && strcmp(c->vstat[i].fix_status, "released") == 0);
}
static bool is_any(const vd_case *c, size_t i) { (void)c; (void)i; return true; }

size_t vd_case_vendors_pending(const vd_case *c, char *buf, size_t n)
{
	size_t k;
	names_of(c, is_pending, buf, n, &k);
	return k;
}

size_t vd_case_vendors_unfixed(const vd_case *c, char *buf, size_t n)
{
	size_t k;
	names_of(c, is_unfixed, buf, n, &k);
	return k;
}

int vd_case_vendor_actor(const vd_case *c, const vd_case_args *a, const vd_principal *who, vd_reasons *why)
{
	char list[400];
	int named = -1;
	if (a->n_vendors > 1) {
		vd_reasons_add(why, "one-vendor", "name one vendor organisation, not %zu", a->n_vendors);
		return -1;
	}
	if (a->n_vendors == 1) {
		for (size_t i = 0; i < c->n_vendors && named < 0; i++)
			if (c->vendors[i] && a->vendors[0] && strcasecmp(c->vendors[i], a->vendors[0]) == 0)
				named = (int)i;
		if (named < 0) {
			names_of(c, is_any, list, sizeof list, NULL);
			vd_reasons_add(why, "not-case-vendor", "'%.64s' is not a vendor of this case (vendors: %s)",
			               a->vendors[0] ? a->vendors[0] : "", list[0] ? list : "none");
			return -1;
		}
	}
	int idx = named;
	if (who && who->role == VD_ROLE_VENDOR) {
		if (named >= 0 && !member_of(who, c->vendor_ids[named])) {
			vd_reasons_add(why, "permission", "a vendor user may only act for its own organisation; "
			               "%s is not %s's", c->vendors[named], who->name);
			return -1;
		}
		if (named < 0) {
			size_t mine = 0;
			for (size_t i = 0; i < c->n_vendors; i++)
				if (member_of(who, c->vendor_ids[i])) {
					mine++;
					idx = (int)i;
				}
			if (mine == 0) {
				vd_reasons_add(why, "permission", "%s belongs to no vendor organisation of this case", who->name);
				return -1;
			}
			if (mine > 1) {
				vd_reasons_add(why, "name-vendor", "%s belongs to %zu vendors of this case: name the one acted "
				               "for (vendors)", who->name, mine);
				return -1;
			}
		}
	} else if (named < 0) {
		if (c->n_vendors == 1)
			idx = 0;
		else if (c->n_vendors == 0) {
			vd_reasons_add(why, "no-vendor", "the case has no vendor organisation");
			return -1;
		} else {
			names_of(c, is_pending, list, sizeof list, NULL);
			vd_reasons_add(why, "name-vendor", "the case has %zu vendors: name the one acted for (--vendor ORG)%s%s",
			               c->n_vendors, list[0] ? "; not acknowledged yet: " : "", list);
			return -1;
		}
	}
	if (!c->vstat[idx].notified_at) {
		vd_reasons_add(why, "not-notified", "vendor %s was not notified", c->vendors[idx] ? c->vendors[idx] : "?");
		return -1;
	}
	return idx;
}

static void g_ack(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	int i = vd_case_vendor_actor(c, a, e->who, o);
	if (i >= 0 && c->vstat[i].acked_at)
		vd_reasons_add(o, "already", "%s already acknowledged (%s)", c->vendors[i], c->vstat[i].acked_at);
}

static void g_vendor(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	vd_case_vendor_actor(c, a, e->who, o);
}

static void g_vendor_release(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	vd_case_vendor_actor(c, a, e->who, o);
	g_release(c, a, e, o);
}

void vd_case_vendor_rollup(vd_case *c, const char *now)
{
	size_t notified = 0, acked = 0, released = 0, working = 0;
	for (size_t i = 0; i < c->n_vendors; i++) {
		const vd_case_vendor *v = &c->vstat[i];
		if (!v->notified_at)
			continue;
		notified++;
		acked += v->acked_at != NULL;
		if (v->fix_status)
			working++;
		if (v->fix_status && strcmp(v->fix_status, "released") == 0)
			released++;
	}
	/* acknowledged once every notified vendor has; stays so when a further
	 * vendor is notified later (that vendor acknowledges for itself) */
	if (!c->acked_at && notified && acked == notified)
		c->acked_at = vd_case_str(c, now);
	if (!c->acked_at) {
		c->fix_status = NULL;
		return;
	}
	if (notified && released == notified) {
		if (!c->fix_status || strcmp(c->fix_status, "released") != 0)
			c->fixed_at = vd_case_str(c, now);
		c->fix_status = vd_case_str(c, "released");
	} else {
		c->fix_status = working ? vd_case_str(c, "in-progress") : NULL;
	}
}

/* The state of a case after a vendor step: notified until every notified
 * vendor acknowledged; then by the vendors' fixes. */
static vd_case_state t_vendors(const vd_case *c, vd_case_state from)
{
	(void)from;
	if (!c->acked_at)
		return VD_CS_NOTIFIED;
	if (c->fix_status && strcmp(c->fix_status, "released") == 0)
		return VD_CS_FIXED;
	return c->fix_status ? VD_CS_FIXING : VD_CS_ACKNOWLEDGED;
}

#define T_VENDORS_DOC "computed: notified while a notified vendor has not acknowledged; then acknowledged, " \
	"fixing (a vendor reported a fix) or fixed (every vendor released one)"

int vd_case_dup_pick(const vd_case *c, bool (*valid)(void *ctx, int64_t case_id), void *ctx)
{
	int best = -1;
	for (size_t i = 0; i < c->n_dups; i++) {
		if (!valid(ctx, c->dups[i].case_id))
			continue;
		if (best < 0 || strcmp(c->dups[i].submitted ? c->dups[i].submitted : "",
		                       c->dups[best].submitted ? c->dups[best].submitted : "") < 0)
			best = (int)i;
	}
	return best;
}

static void g_publish(const vd_case *c, const vd_case_args *a, const vd_guard_env *e, vd_reasons *o)
{
	(void)a;
	vd_gate_check(c, e, o);
}

/* ---- the table ---- */

#define B(s) (1u << (s))
#define OPEN_PRE (B(VD_CS_TRIAGE) | B(VD_CS_VERIFYING))
#define COORD (B(VD_CS_VERIFIED) | B(VD_CS_NOTIFIED) | B(VD_CS_ACKNOWLEDGED) | B(VD_CS_FIXING) | \
               B(VD_CS_FIXED) | B(VD_CS_RETESTED))
#define LIVE (OPEN_PRE | COORD)

static const vd_case_rule rules[] = {
	{B(VD_CS_RECEIVED), VD_CE_SUBMIT, VD_CS_TRIAGE, VD_ACT_REPORT_SUBMIT, false, NULL, "",
	 "intake: logged (Art. 5), attachments stored, duplicate check run", NULL, NULL},
	{B(VD_CS_TRIAGE), VD_CE_ASSIGN, VD_CS_VERIFYING, VD_ACT_CASE_TRIAGE, false, g_assign,
	 "one analyst named", "assign an analyst", NULL, NULL},
	{B(VD_CS_VERIFYING), VD_CE_ASSIGN, VD_CS_SAME, VD_ACT_CASE_TRIAGE, false, g_assign,
	 "one analyst named", "reassign", NULL, NULL},
	{B(VD_CS_VERIFYING), VD_CE_REFER, VD_CS_SAME, VD_ACT_CASE_TRIAGE, false, g_refer,
	 "experts named", "refer to the expert working group", NULL, NULL},
	{B(VD_CS_VERIFYING), VD_CE_OPINION, VD_CS_SAME, VD_ACT_CASE_REVIEW, false, g_opinion,
	 "referred; opinion text", "an expert's opinion (the analyst decides)", NULL, NULL},
	{B(VD_CS_VERIFYING), VD_CE_VERIFY, VD_CS_VERIFIED, VD_ACT_CASE_TRIAGE, false, g_verify,
	 "analyst assigned; product; grade or vector not from the reporter alone",
	 "grade and class computed, library id assigned, unpublished record created", NULL, NULL},
	{OPEN_PRE, VD_CE_REJECT, VD_CS_REJECTED, VD_ACT_CASE_TRIAGE, false, g_text, "reason",
	 "verdict: rejected; if duplicates are linked to it, the earliest still-valid one is promoted (`promote`)",
	 NULL, NULL},
	{OPEN_PRE, VD_CE_DUPLICATE, VD_CS_DUPLICATE, VD_ACT_CASE_TRIAGE, false, g_duplicate,
	 "original named, existing, not rejected",
	 "verdict: duplicate, linked to the original (a duplicate named as original is followed to its original); "
	 "listed on the original as a duplicate reporter; the original's reporter keeps the credit", NULL, NULL},
	{B(VD_CS_VERIFIED), VD_CE_NOTIFY, VD_CS_NOTIFIED, VD_ACT_CASE_TRIAGE, false, g_notify,
	 "a vendor organisation (named or owning the product)", "mail the vendors' security contacts; deadlines start", NULL, NULL},
	{B(VD_CS_NOTIFIED) | B(VD_CS_ACKNOWLEDGED) | B(VD_CS_FIXING) | B(VD_CS_FIXED), VD_CE_NOTIFY, VD_CS_SAME,
	 VD_ACT_CASE_TRIAGE, false, g_notify, "a vendor organisation", "notify a further vendor (multi-vendor case)", NULL, NULL},
	{B(VD_CS_NOTIFIED), VD_CE_ACK, VD_CS_ACKNOWLEDGED, VD_ACT_CASE_VENDOR, false, g_ack,
	 "the acting vendor: a vendor user's own organisation, else named (implicit with one vendor); "
	 "not acknowledged before",
	 "one vendor acknowledges (recorded per vendor)", t_vendors, T_VENDORS_DOC},
	{B(VD_CS_ACKNOWLEDGED) | B(VD_CS_FIXING) | B(VD_CS_FIXED), VD_CE_ACK, VD_CS_SAME, VD_ACT_CASE_VENDOR, false,
	 g_ack, "as above", "a vendor notified later acknowledges", t_vendors, T_VENDORS_DOC},
	{B(VD_CS_NOTIFIED) | B(VD_CS_ACKNOWLEDGED) | B(VD_CS_FIXING), VD_CE_FIX_PROGRESS, VD_CS_FIXING,
	 VD_ACT_CASE_VENDOR, false, g_vendor, "the acting vendor (as for ack)",
	 "one vendor reports a fix in progress (implies its acknowledgement)", t_vendors, T_VENDORS_DOC},
	{B(VD_CS_NOTIFIED) | B(VD_CS_ACKNOWLEDGED) | B(VD_CS_FIXING), VD_CE_FIX_RELEASE, VD_CS_FIXED,
	 VD_ACT_CASE_VENDOR, false, g_vendor_release, "the acting vendor; fixed version or patch reference",
	 "one vendor released a fix (version, patch; implies its acknowledgement)", t_vendors, T_VENDORS_DOC},
	{B(VD_CS_FIXED), VD_CE_RETEST_PASS, VD_CS_RETESTED, VD_ACT_CASE_TRIAGE, true, NULL, "",
	 "retest passed (analyst or reporter): publication pending", NULL, NULL},
	{B(VD_CS_FIXED), VD_CE_RETEST_FAIL, VD_CS_FIXING, VD_ACT_CASE_TRIAGE, true, g_text, "what failed",
	 "retest failed: back to fixing (every vendor's release goes back to in progress)", NULL, NULL},
	{COORD, VD_CE_APPROVE, VD_CS_SAME, VD_ACT_CASE_PUBLISH, false, g_approve, "reason",
	 "record approval to publish without a fix (--early: also before the deadline)", NULL, NULL},
	{LIVE, VD_CE_UPDATE, VD_CS_SAME, VD_ACT_CASE_TRIAGE, false, NULL, "",
	 "edit solution, grade, vector, class, CWE, flags, references", NULL, NULL},
	{LIVE, VD_CE_COMMENT, VD_CS_SAME, VD_ACT_CASE_READ, false, g_text, "text",
	 "a message in the case thread (reporter, vendor, analysts)", NULL, NULL},
	{COORD, VD_CE_PUBLISH, VD_CS_PUBLISHED, VD_ACT_CASE_PUBLISH, false, g_publish, "the publication gate (Art. 9)",
	 "the record becomes public, atomically", NULL, NULL},
	{B(VD_CS_DUPLICATE), VD_CE_PROMOTE, VD_CS_TRIAGE, VD_ACT_CASE_TRIAGE, false, NULL,
	 "taken by `reject` of the original, for its earliest (submitted) duplicate still linked to it",
	 "reopened for triage with its own reporter credited (audited `case.promote`); the original records the "
	 "credit moved; the other duplicates are relinked to it", NULL, NULL},
};

const vd_case_rule *vd_case_rules(size_t *n)
{
	*n = sizeof rules / sizeof rules[0];
	return rules;
}

const vd_case_rule *vd_case_rule_find(vd_case_state from, vd_case_event ev)
{
	if ((unsigned)from >= VD_CS_COUNT_)
		return NULL;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i].event == ev && (rules[i].from_mask & B(from)))
			return &rules[i];
	return NULL;
}

vd_case_state vd_case_rule_to(const vd_case_rule *r, vd_case_state from)
{
	return r->to == VD_CS_SAME ? from : (vd_case_state)r->to;
}

vd_case_state vd_case_rule_target(const vd_case_rule *r, const vd_case *c_after, vd_case_state from)
{
	return r->target ? r->target(c_after, from) : vd_case_rule_to(r, from);
}

uint32_t vd_case_events_in(vd_case_state s)
{
	uint32_t m = 0;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i].from_mask & B(s))
			m |= 1u << rules[i].event;
	return m;
}

/* ---- documentation ---- */

static const char *who_of(const vd_case_rule *r, char *buf, size_t n)
{
	char roles[160] = "";
	size_t at = 0;
	for (int ro = VD_ROLE_REPORTER; ro < VD_ROLE_COUNT_; ro++) {
		vd_perm_cond c = vd_perm_rule((vd_role)ro, r->action);
		if (c == VD_COND_NO || c == VD_COND_UNSET)
			continue;
		const char *q = c == VD_COND_YES ? "" : c == VD_COND_SELF ? " (own)" : c == VD_COND_ORG ? " (own org)"
		              : c == VD_COND_VENDOR ? " (its products)" : c == VD_COND_ASSIGNED ? " (assigned)" : "";
		int k = snprintf(roles + at, sizeof roles - at, "%s%s%s", at ? ", " : "", vd_role_name((vd_role)ro), q);
		if (k < 0 || (size_t)k >= sizeof roles - at)
			break;
		at += (size_t)k;
	}
	snprintf(buf, n, "%s%s", roles, r->reporter_may ? ", the case's reporter" : "");
	return buf;
}

int vd_case_table_doc(const char *format, char **out)
{
	*out = NULL;
	bool dot = format && strcmp(format, "dot") == 0, md = format && strcmp(format, "markdown") == 0;
	bool mermaid = format && strcmp(format, "mermaid") == 0;
	if (!dot && !md && !mermaid)
		return vd_error_set(VD_EINVAL, "unknown format '%.20s' (dot, mermaid, markdown)", format ? format : "");
	vd_buf b;
	vd_buf_init(&b, 1u << 20);
	if (md) {
		vd_buf_adds(&b, "# The case workflow\n\n"
		            "Generated by `vulnd case states --markdown` from the table in `src/workflow/case.c`;\n"
		            "do not edit by hand. The same table drives `vd_service_case_step()` (which\n"
		            "state may take which step, who may take it, what must hold) and the\n"
		            "permission checks (the `action` column is an action of the permission\n"
		            "table in docs/security.md). Every step is an audit event.\n\n"
		            "```mermaid\n");
	}
	if (dot)
		vd_buf_adds(&b, "digraph vulnd_case {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
	else
		vd_buf_adds(&b, "stateDiagram-v2\n    [*] --> received\n");
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const vd_case_rule *r = &rules[i];
		if (r->to == VD_CS_SAME)
			continue;   /* self-loops are in the table below, not the picture */
		for (int s = 0; s < VD_CS_COUNT_; s++)
			if (r->from_mask & B(s)) {
				if (dot)
					vd_buf_printf(&b, "  \"%s\" -> \"%s\" [label=\"%s\"];\n", state_names[s], state_names[r->to],
					              event_names[r->event]);
				else
					vd_buf_printf(&b, "    %s --> %s : %s\n", state_names[s], state_names[r->to],
					              event_names[r->event]);
			}
	}
	if (dot)
		vd_buf_adds(&b, "}\n");
	else
		vd_buf_adds(&b, "    rejected --> [*]\n    duplicate --> [*]\n    published --> [*]\n");
	if (md) {
		vd_buf_adds(&b, "```\n\n## Steps\n\n| step | from | to | action | who may | requires | does |\n"
		            "|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
			const vd_case_rule *r = &rules[i];
			char from[256] = "", who[256];
			size_t at = 0;
			for (int s = 0; s < VD_CS_COUNT_; s++)
				if (r->from_mask & B(s)) {
					int k = snprintf(from + at, sizeof from - at, "%s%s", at ? ", " : "", state_names[s]);
					if (k > 0 && (size_t)k < sizeof from - at)
						at += (size_t)k;
				}
			vd_buf_printf(&b, "| `%s` | %s | %s%s | `%s` | %s | %s | %s%s%s |\n", event_names[r->event], from,
			              r->to == VD_CS_SAME ? "(same)" : state_names[r->to], r->target ? " (computed)" : "",
			              vd_action_name(r->action), who_of(r, who, sizeof who),
			              r->guard_doc && *r->guard_doc ? r->guard_doc : "-", r->doc, r->target ? "; " : "",
			              r->target && r->target_doc ? r->target_doc : "");
		}
		vd_buf_adds(&b, "\n`submit` and `promote` are not steps a caller takes: `submit` is report intake,\n"
		            "`promote` is a side effect of `reject`.\n\n"
		            "## Multi-vendor cases\n\n"
		            "Every vendor organisation of a case acknowledges and reports its fix for itself;\n"
		            "the case keeps each vendor's notification, acknowledgement and fix (status, version,\n"
		            "patch) and rolls them up.  The vendor steps (`ack`, `fix-progress`, `fix-release`) have\n"
		            "a computed target state: the case stays `notified` until every notified vendor has\n"
		            "acknowledged (an acknowledgement by one vendor is recorded and audited, and the\n"
		            "answer names the vendors still pending), then goes to `acknowledged`, to `fixing`\n"
		            "once a vendor reports a fix, and to `fixed` only when every vendor released one.\n"
		            "A vendor user acts for its own organisation only (acting for another is refused as\n"
		            "a permission error); anyone else acting for a vendor names it (`--vendor ORG`,\n"
		            "JSON `vendors: [ORG]`), which is implicit when the case has one vendor.  A failed\n"
		            "retest sends every vendor's release back to in progress.  A vendor notified after\n"
		            "the case was acknowledged acknowledges for itself without moving the case back.\n\n"
		            "## Duplicates and credit\n\n"
		            "A case carries a credit: the case whose reporter is credited for the finding (its\n"
		            "own normally) and, where the case may show it, that reporter's name.  Marking a\n"
		            "report `duplicate` of an open case links it to the original (a duplicate named as\n"
		            "original is followed to its original; a rejected original is refused); the\n"
		            "original's reporter keeps the credit and the duplicate's reporter is listed on the\n"
		            "original under `duplicates`.  When an original with duplicates is rejected, the\n"
		            "earliest (by submitted time) duplicate still linked to it is promoted: reopened to\n"
		            "`triage` with its own reporter credited, audited as `case.promote`; the original\n"
		            "records that the credit moved; later duplicates are relinked to the promoted case\n"
		            "and keep no credit.  The published record credits the case's credited reporter\n"
		            "as `finder`.  Reporters of other cases (duplicates, a promoted case) are shown only\n"
		            "to staff (analyst, expert, admin).\n"
		            "\n## The publication gate (Art. 9)\n\n"
		            "`publish` is refused, with every failing reason listed at once (exit status 3 on\n"
		            "the command line), when:\n\n"
		            "| code | refused when |\n|---|---|\n"
		            "| `no-fix` | no fix was released and no approval is recorded |\n"
		            "| `deadline` | no fix was released, the fix deadline has not passed, and the approval is not marked early |\n"
		            "| `no-solution` | the solution / mitigation text is empty |\n"
		            "| `exploit` | an exploit-typed reference, or a PoC/exploit attachment marked for publication, would become public |\n"
		            "| `operator-details` | the \"operator live-system details\" flag has not been cleared |\n"
		            "| `blackout` | now is inside a blackout window of the library and there is no override |\n"
		            "| `grade` | there is no grade, or the grade was set by the reporter alone |\n\n"
		            "Publishing changes the case's source document of the record to `published` and\n"
		            "recomputes the record in the same transaction as the case, so the record becomes\n"
		            "public atomically.  Before that, the record is `unpublished` and invisible to the\n"
		            "public view (`vd_service_get` / `vd_service_search` with `VD_VIEW_PUBLIC`).\n\n"
		            "## Clocks\n\n"
		            "Per library policy (`vulnd library policy CODE --ack-days N --fix-days N --report-days N`):\n\n"
		            "* acknowledgement deadline: notification + ack_days (default 7); `ack-overdue` escalates once,\n"
		            "  naming the vendors that have not acknowledged;\n"
		            "* fix deadline: notification + fix_days (default 45); reminders `fix-reminder-50` and\n"
		            "  `fix-reminder-80` at 50 % and 80 % of the window; `fix-overdue` escalates once past it;\n"
		            "* Art. 7: a report submitted by a vendor about its own product records when the vendor\n"
		            "  learned of it (`--learned`), and is flagged late when filed more than report_days\n"
		            "  (default 2) later.\n\n"
		            "`vulnd cases due` lists what is due and fires each reminder or escalation exactly once:\n"
		            "a unique key (case, kind) in the store makes a second process see it as already sent.\n"
		            "`VULND_NOW` (a date or RFC 3339 time) sets the clock of a command: for tests only.\n");
	}
	if (b.len == 0 || !vd_buf_str(&b)[0]) {
		vd_buf_free(&b);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	*out = vd_buf_detach(&b);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
}

/* ---- the case object ---- */

vd_case *vd_case_new(void)
{
	vd_arena *a = vd_arena_new(0);
	if (!a)
		return NULL;
	vd_case *c = vd_arena_alloc(a, sizeof *c);
	if (!c) {
		vd_arena_free(a);
		return NULL;
	}
	c->arena = a;
	c->state = VD_CS_RECEIVED;
	c->operator_details = true;
	return c;
}

void vd_case_free(vd_case *c)
{
	if (c)
		vd_arena_free(c->arena);
}

char *vd_case_str(vd_case *c, const char *s)
{
	return s && *s ? vd_arena_strdup(c->arena, s) : NULL;
}

/* String fields, for JSON in both directions. */
static const struct sf {
	const char *key;
	size_t off;
} sfields[] = {
#define F(k, m) {k, offsetof(vd_case, m)}
	F("library", library), F("record_id", record_id), F("title", title), F("description", description),
	F("steps", steps), F("product", product), F("vendor", vendor), F("version", version), F("cwe", cwe),
	F("cve", cve), F("vector", vector), F("grade", grade), F("grade_by", grade_by),
	F("grade_basis", grade_basis), F("class_code", class_code), F("solution", solution),
	F("reporter", reporter), F("submitted", submitted), F("learned_at", learned_at),
	F("duplicate_of", duplicate_of), F("analyst", analyst), F("approved_by", approved_by),
	F("approved_at", approved_at), F("approval", approval), F("override_by", override_by),
	F("override_reason", override_reason), F("notified_at", notified_at), F("acked_at", acked_at),
	F("fix_status", fix_status), F("fix_version", fix_version), F("fix_patch", fix_patch),
	F("fixed_at", fixed_at), F("published_at", published_at), F("updated", updated),
#undef F
};

static char **sslot(const vd_case *c, const struct sf *f) { return (char **)((char *)c + f->off); }

int vd_case_to_json(const vd_case *c, char **out)
{
	*out = NULL;
	json_t *o = json_object();
	if (!o)
		return vd_error_set(VD_ENOMEM, "out of memory");
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "state", json_string(vd_case_state_name(c->state)));
	for (size_t i = 0; i < sizeof sfields / sizeof sfields[0]; i++) {
		const char *v = *sslot(c, &sfields[i]);
		if (v)
			json_object_set_new(o, sfields[i].key, json_string(v));
	}
	json_object_set_new(o, "reporter_id", json_integer(c->reporter_id));
	json_object_set_new(o, "reporter_role", json_string(vd_role_name(c->reporter_role)));
	json_object_set_new(o, "reporter_org", json_integer(c->reporter_org));
	json_object_set_new(o, "analyst_id", json_integer(c->analyst_id));
	json_object_set_new(o, "art7_late", json_boolean(c->art7_late));
	json_object_set_new(o, "operator_details", json_boolean(c->operator_details));
	json_object_set_new(o, "approved_early", json_boolean(c->approved_early));
	json_object_set_new(o, "retests_failed", json_integer(c->retests_failed));
	json_object_set_new(o, "retests_passed", json_integer(c->retests_passed));
	json_t *ex = json_array(), *vn = json_array(), *fl = json_object(), *rf = json_array();
	for (size_t i = 0; i < c->n_experts; i++)
		json_array_append_new(ex, json_pack("{s:I,s:s}", "id", (json_int_t)c->expert_ids[i], "name",
		                                    c->experts[i] ? c->experts[i] : ""));
	for (size_t i = 0; i < c->n_vendors; i++) {
		const vd_case_vendor *w = &c->vstat[i];
		/* "notified_at" is always written (null before notification): its
		 * presence tells this form from cases stored before per-vendor state */
		json_array_append_new(vn, json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "id",
		                                    (json_int_t)c->vendor_ids[i], "name", c->vendors[i] ? c->vendors[i] : "",
		                                    "notified_at", w->notified_at, "acked_at", w->acked_at, "fix_status",
		                                    w->fix_status, "fix_version", w->fix_version, "fix_patch", w->fix_patch,
		                                    "fixed_at", w->fixed_at));
	}
	/* a duplicate never credits its own reporter: the original (a case or
	 * a record; also for duplicates stored before credit was recorded) */
	int64_t ccase = c->credit_case ? c->credit_case : c->id;
	bool dup = c->state == VD_CS_DUPLICATE;
	if (dup && !c->credit_case) {
		long oid = 0;
		ccase = c->duplicate_of && strncmp(c->duplicate_of, "case:", 5) == 0 &&
		        vd_parse_long(c->duplicate_of + 5, 1, 1L << 62, &oid) == VD_OK ? oid : 0;
		vd_error_clear();
	}
	json_t *cr = json_pack("{s:I}", "case", (json_int_t)ccase);
	if (dup && c->duplicate_of)
		json_object_set_new(cr, "original", json_string(c->duplicate_of));
	const char *credited = c->credit ? c->credit : (!dup && (!c->credit_case || c->credit_case == c->id)) ? c->reporter : NULL;
	if (credited)
		json_object_set_new(cr, "reporter", json_string(credited));
	if (c->credit_id)
		json_object_set_new(cr, "reporter_id", json_integer(c->credit_id));
	if (c->credit_note)
		json_object_set_new(cr, "note", json_string(c->credit_note));
	json_object_set_new(o, "credit", cr);
	json_t *du = json_array();
	for (size_t i = 0; i < c->n_dups; i++) {
		json_t *d = json_pack("{s:I,s:s?}", "case", (json_int_t)c->dups[i].case_id, "submitted", c->dups[i].submitted);
		if (c->dups[i].reporter)
			json_object_set_new(d, "reporter", json_string(c->dups[i].reporter));
		if (c->dups[i].reporter_id)
			json_object_set_new(d, "reporter_id", json_integer(c->dups[i].reporter_id));
		json_array_append_new(du, d);
	}
	json_object_set_new(o, "duplicates", du);
	for (size_t i = 0; i < c->n_fields; i++)
		json_object_set_new(fl, c->field_names[i], json_string(c->field_values[i] ? c->field_values[i] : ""));
	for (size_t i = 0; i < c->n_refs; i++)
		json_array_append_new(rf, json_pack("{s:s,s:s}", "url", c->refs[i].url ? c->refs[i].url : "", "type",
		                                    c->refs[i].type ? c->refs[i].type : "web"));
	json_object_set_new(o, "experts", ex);
	json_object_set_new(o, "vendors", vn);
	json_object_set_new(o, "fields", fl);
	json_object_set_new(o, "references", rf);
	*out = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory encoding case %lld", (long long)c->id);
}

static char *jstr(vd_case *c, json_t *o, const char *k)
{
	return vd_case_str(c, json_string_value(json_object_get(o, k)));
}

int vd_case_from_json(const char *json, size_t len, vd_case **out)
{
	*out = NULL;
	json_error_t err;
	json_t *o = json_loadb(json, len, 0, &err);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return vd_error_set(VD_EINVAL, "case JSON: %s", err.text);
	}
	vd_case *c = vd_case_new();
	if (!c) {
		json_decref(o);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	c->id = json_integer_value(json_object_get(o, "id"));
	vd_case_state st = VD_CS_RECEIVED;
	if (vd_case_state_parse(json_string_value(json_object_get(o, "state")), &st) == VD_OK)
		c->state = st;
	for (size_t i = 0; i < sizeof sfields / sizeof sfields[0]; i++)
		*sslot(c, &sfields[i]) = jstr(c, o, sfields[i].key);
	c->reporter_id = json_integer_value(json_object_get(o, "reporter_id"));
	vd_role ro = VD_ROLE_REPORTER;
	if (vd_role_parse(json_string_value(json_object_get(o, "reporter_role")), &ro) == VD_OK)
		c->reporter_role = ro;
	vd_error_clear();
	c->reporter_org = json_integer_value(json_object_get(o, "reporter_org"));
	c->analyst_id = json_integer_value(json_object_get(o, "analyst_id"));
	c->art7_late = json_is_true(json_object_get(o, "art7_late"));
	c->operator_details = json_is_true(json_object_get(o, "operator_details"));
	c->approved_early = json_is_true(json_object_get(o, "approved_early"));
	c->retests_failed = (int)json_integer_value(json_object_get(o, "retests_failed"));
	c->retests_passed = (int)json_integer_value(json_object_get(o, "retests_passed"));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(o, "experts"), i, v) {
		if (c->n_experts >= VD_CASE_PARTIES)
			break;
		c->expert_ids[c->n_experts] = json_integer_value(json_object_get(v, "id"));
		c->experts[c->n_experts++] = jstr(c, v, "name");
	}
	json_array_foreach(json_object_get(o, "vendors"), i, v) {
		if (c->n_vendors >= VD_CASE_PARTIES)
			break;
		vd_case_vendor *w = &c->vstat[c->n_vendors];
		if (json_object_get(v, "notified_at")) {
			w->notified_at = jstr(c, v, "notified_at");
			w->acked_at = jstr(c, v, "acked_at");
			w->fix_status = jstr(c, v, "fix_status");
			w->fix_version = jstr(c, v, "fix_version");
			w->fix_patch = jstr(c, v, "fix_patch");
			w->fixed_at = jstr(c, v, "fixed_at");
		} else {
			/* stored before per-vendor acknowledgement: the case's state
			 * was every vendor's */
			w->notified_at = c->notified_at;
			w->acked_at = c->acked_at;
			w->fix_status = c->fix_status;
			w->fix_version = c->fix_version;
			w->fix_patch = c->fix_patch;
			w->fixed_at = c->fixed_at;
		}
		c->vendor_ids[c->n_vendors] = json_integer_value(json_object_get(v, "id"));
		c->vendors[c->n_vendors++] = jstr(c, v, "name");
	}
	json_t *cr = json_object_get(o, "credit");
	if (json_is_object(cr)) {
		c->credit_case = json_integer_value(json_object_get(cr, "case"));
		if (c->credit_case == c->id)
			c->credit_case = 0;
		c->credit_id = json_integer_value(json_object_get(cr, "reporter_id"));
		c->credit_note = jstr(c, cr, "note");
		if (c->credit_case)   /* own credit is the reporter field */
			c->credit = jstr(c, cr, "reporter");
	}
	json_array_foreach(json_object_get(o, "duplicates"), i, v) {
		if (c->n_dups >= VD_CASE_DUPS)
			break;
		vd_case_dup *d = &c->dups[c->n_dups];
		d->case_id = json_integer_value(json_object_get(v, "case"));
		if (d->case_id <= 0)
			continue;
		d->reporter = jstr(c, v, "reporter");
		d->reporter_id = json_integer_value(json_object_get(v, "reporter_id"));
		d->submitted = jstr(c, v, "submitted");
		c->n_dups++;
	}
	const char *k;
	json_object_foreach(json_object_get(o, "fields"), k, v) {
		if (c->n_fields >= VD_CASE_FIELDS)
			break;
		c->field_names[c->n_fields] = vd_case_str(c, k);
		c->field_values[c->n_fields++] = vd_case_str(c, json_string_value(v));
	}
	json_array_foreach(json_object_get(o, "references"), i, v) {
		if (c->n_refs >= VD_CASE_REFS)
			break;
		c->refs[c->n_refs].url = jstr(c, v, "url");
		c->refs[c->n_refs++].type = jstr(c, v, "type");
	}
	json_decref(o);
	*out = c;
	return VD_OK;
}
