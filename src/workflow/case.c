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

static const char *const state_names[VD_CS_COUNT_] = {
	"received", "triage", "verifying", "rejected", "duplicate", "verified", "notified",
	"acknowledged", "fixing", "fixed", "retested", "published",
};
static const char *const event_names[VD_CE_COUNT_] = {
	"submit", "assign", "refer", "opinion", "verify", "reject", "duplicate", "notify", "ack",
	"fix-progress", "fix-release", "retest-pass", "retest-fail", "approve", "update", "comment",
	"publish",
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
	 "intake: logged (Art. 5), attachments stored, duplicate check run"},
	{B(VD_CS_TRIAGE), VD_CE_ASSIGN, VD_CS_VERIFYING, VD_ACT_CASE_TRIAGE, false, g_assign,
	 "one analyst named", "assign an analyst"},
	{B(VD_CS_VERIFYING), VD_CE_ASSIGN, VD_CS_SAME, VD_ACT_CASE_TRIAGE, false, g_assign,
	 "one analyst named", "reassign"},
	{B(VD_CS_VERIFYING), VD_CE_REFER, VD_CS_SAME, VD_ACT_CASE_TRIAGE, false, g_refer,
	 "experts named", "refer to the expert working group"},
	{B(VD_CS_VERIFYING), VD_CE_OPINION, VD_CS_SAME, VD_ACT_CASE_REVIEW, false, g_opinion,
	 "referred; opinion text", "an expert's opinion (the analyst decides)"},
	{B(VD_CS_VERIFYING), VD_CE_VERIFY, VD_CS_VERIFIED, VD_ACT_CASE_TRIAGE, false, g_verify,
	 "analyst assigned; product; grade or vector not from the reporter alone",
	 "grade and class computed, library id assigned, unpublished record created"},
	{OPEN_PRE, VD_CE_REJECT, VD_CS_REJECTED, VD_ACT_CASE_TRIAGE, false, g_text, "reason",
	 "verdict: rejected"},
	{OPEN_PRE, VD_CE_DUPLICATE, VD_CS_DUPLICATE, VD_ACT_CASE_TRIAGE, false, g_duplicate,
	 "original named and existing", "verdict: duplicate, linked to the original (its reporter keeps credit)"},
	{B(VD_CS_VERIFIED), VD_CE_NOTIFY, VD_CS_NOTIFIED, VD_ACT_CASE_TRIAGE, false, g_notify,
	 "a vendor organisation (named or owning the product)", "mail the vendors' security contacts; deadlines start"},
	{B(VD_CS_NOTIFIED) | B(VD_CS_ACKNOWLEDGED) | B(VD_CS_FIXING) | B(VD_CS_FIXED), VD_CE_NOTIFY, VD_CS_SAME,
	 VD_ACT_CASE_TRIAGE, false, g_notify, "a vendor organisation", "notify a further vendor (multi-vendor case)"},
	{B(VD_CS_NOTIFIED), VD_CE_ACK, VD_CS_ACKNOWLEDGED, VD_ACT_CASE_VENDOR, false, NULL, "",
	 "the vendor acknowledges"},
	{B(VD_CS_NOTIFIED) | B(VD_CS_ACKNOWLEDGED), VD_CE_FIX_PROGRESS, VD_CS_FIXING, VD_ACT_CASE_VENDOR, false, NULL,
	 "", "the vendor reports a fix in progress"},
	{B(VD_CS_NOTIFIED) | B(VD_CS_ACKNOWLEDGED) | B(VD_CS_FIXING), VD_CE_FIX_RELEASE, VD_CS_FIXED,
	 VD_ACT_CASE_VENDOR, false, g_release, "fixed version or patch reference", "the vendor released a fix"},
	{B(VD_CS_FIXED), VD_CE_RETEST_PASS, VD_CS_RETESTED, VD_ACT_CASE_TRIAGE, true, NULL, "",
	 "retest passed (analyst or reporter): publication pending"},
	{B(VD_CS_FIXED), VD_CE_RETEST_FAIL, VD_CS_FIXING, VD_ACT_CASE_TRIAGE, true, g_text, "what failed",
	 "retest failed: back to fixing"},
	{COORD, VD_CE_APPROVE, VD_CS_SAME, VD_ACT_CASE_PUBLISH, false, g_approve, "reason",
	 "record approval to publish without a fix (--early: also before the deadline)"},
	{LIVE, VD_CE_UPDATE, VD_CS_SAME, VD_ACT_CASE_TRIAGE, false, NULL, "",
	 "edit solution, grade, vector, class, CWE, flags, references"},
	{LIVE, VD_CE_COMMENT, VD_CS_SAME, VD_ACT_CASE_READ, false, g_text, "text",
	 "a message in the case thread (reporter, vendor, analysts)"},
	{COORD, VD_CE_PUBLISH, VD_CS_PUBLISHED, VD_ACT_CASE_PUBLISH, false, g_publish, "the publication gate (Art. 9)",
	 "the record becomes public, atomically"},
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
			vd_buf_printf(&b, "| `%s` | %s | %s | `%s` | %s | %s | %s |\n", event_names[r->event], from,
			              r->to == VD_CS_SAME ? "(same)" : state_names[r->to], vd_action_name(r->action),
			              who_of(r, who, sizeof who), r->guard_doc && *r->guard_doc ? r->guard_doc : "-", r->doc);
		}
		vd_buf_adds(&b, "\n## The publication gate (Art. 9)\n\n"
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
		            "* acknowledgement deadline: notification + ack_days (default 7); `ack-overdue` escalates once;\n"
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
	for (size_t i = 0; i < c->n_vendors; i++)
		json_array_append_new(vn, json_pack("{s:I,s:s}", "id", (json_int_t)c->vendor_ids[i], "name",
		                                    c->vendors[i] ? c->vendors[i] : ""));
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
		c->vendor_ids[c->n_vendors] = json_integer_value(json_object_get(v, "id"));
		c->vendors[c->n_vendors++] = jstr(c, v, "name");
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
