/* The publication gate (Art. 9 of the 2021 Regulations; DESIGN.md §5).
 * Pure: looks at the case, the clock and the blackout answer the service
 * found, and lists every failing reason at once.  Codes are stable (tests,
 * the HTTP error body and docs/workflow.md name them). */
#include "vulnd/workflow.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <string.h>
#include <strings.h>

static bool exploit_kind(const char *k)
{
	return k && (strcasecmp(k, "exploit") == 0 || strcasecmp(k, "poc") == 0 || strcasecmp(k, "attack-tool") == 0);
}

int vd_gate_check(const vd_case *c, const vd_guard_env *env, vd_reasons *out)
{
	size_t before = out->n;
	bool fixed = c->fix_status && strcmp(c->fix_status, "released") == 0;
	bool approved = !vd_str_empty(c->approved_by);
	vd_case_clock ck;
	vd_clock_of(c, env ? env->lib : NULL, &ck);
	int64_t now = env ? env->now : vd_time_now();
	if (!fixed && !approved)
		vd_reasons_add(out, "no-fix", "no fix has been released and no approval to publish without one is "
		               "recorded (vulnd case approve)");
	if (!fixed && !(approved && c->approved_early)) {
		if (ck.fix_due == 0)
			vd_reasons_add(out, "deadline", "no fix has been released and the vendor was never notified, so "
			               "no fix deadline has passed (approve with --early to publish anyway)");
		else if (now < ck.fix_due) {
			char due[VD_TIME_BUF];
			vd_time_format(ck.fix_due, due, sizeof due);
			vd_reasons_add(out, "deadline", "no fix has been released and the fix deadline (%s) has not "
			               "passed (approve with --early to publish before it)", due);
		}
	}
	if (vd_str_empty(c->solution))
		vd_reasons_add(out, "no-solution", "the solution / mitigation text is empty: it must be published "
		               "with the vulnerability");
	size_t n_ex = 0;
	char first[160] = "";
	for (size_t i = 0; i < c->n_refs; i++)
		if (c->refs[i].type && strcasecmp(c->refs[i].type, "exploit") == 0 && n_ex++ == 0)
			vd_strlcpy(first, c->refs[i].url ? c->refs[i].url : "", sizeof first);
	for (size_t i = 0; i < c->n_att; i++)
		if (c->att[i].publish && exploit_kind(c->att[i].kind) && n_ex++ == 0)
			vd_strlcpy(first, c->att[i].name ? c->att[i].name : c->att[i].sha256, sizeof first);
	if (n_ex)
		vd_reasons_add(out, "exploit", "%zu exploit reference(s) or PoC attachment(s) would become public "
		               "(first: %s); exploit code and attack tools stay private", n_ex, first);
	if (c->operator_details)
		vd_reasons_add(out, "operator-details", "the \"operator live-system details\" flag has not been "
		               "cleared (vulnd case update --operator-details no)");
	if (env && env->in_blackout && vd_str_empty(c->override_reason))
		vd_reasons_add(out, "blackout", "now is inside a blackout window (%s) and there is no override",
		               env->blackout_reason && *env->blackout_reason ? env->blackout_reason : "no reason given");
	if (vd_str_empty(c->grade))
		vd_reasons_add(out, "grade", "the case has no grade (set one, or a vector to compute it)");
	else if (!c->grade_by || strcmp(c->grade_by, "reporter") == 0)
		vd_reasons_add(out, "grade", "the grade was set by the reporter alone: an analyst must set or "
		               "compute it");
	return out->n == before ? VD_OK : VD_EPERM;
}
