/* The audit chain as the outside sees it: append, verify, list, prune.
 * The hashing is src/workflow/audit.c; storage is the store's audit_*
 * ops.  Retention (Art. 5): nothing younger than 6 months is pruned. */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include "auth_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define WHY_MAX 1024   /* longest "why" text kept in an entry */

void vd_svc_time(int64_t t, char out[VD_TIME_BUF])
{
	vd_time_format(t, out, VD_TIME_BUF);
}

int vd_svc_tx_begin(vd_service *s)
{
	return vd_store_begin(s->store);
}

int vd_svc_tx_end(vd_service *s, int rc)
{
	if (rc == VD_OK)
		return vd_store_commit(s->store);
	/* keep the first error's message */
	char msg[512];
	vd_strlcpy(msg, vd_error_msg(), sizeof msg);
	vd_store_rollback(s->store);
	vd_error_set(rc, "%s", msg);
	return rc;
}

static int append(vd_service *s, const vd_principal *who, const char *action, const char *target,
                  const char *outcome, const char *why)
{
	vd_audit_entry e;
	memset(&e, 0, sizeof e);
	vd_svc_time(vd_service_now(s), e.at);
	e.actor = who ? who->name : "system";
	e.action = action;
	/* Entries hold only printable UTF-8: a target or reason taken from
	 * unvalidated input (a refused request) is replaced, not stored. */
	e.target = target && vd_svc_check_text("t", target, 512, false) == VD_OK ? target : "(unprintable)";
	e.outcome = outcome ? outcome : "ok";
	e.why = why && vd_svc_check_text("w", why, WHY_MAX - 1, false) == VD_OK ? why : "(unprintable)";
	if (!s->store->ops->audit_append)
		return vd_error_set(VD_EUNSUPPORTED, "this store has no audit chain");
	return s->store->ops->audit_append(s->store, &e, vd_audit_seal);
}

int vd_svc_audit(vd_service *s, const vd_principal *who, const char *action, const char *target,
                 const char *outcome, const char *why_fmt, ...)
{
	char why[WHY_MAX];
	va_list ap;
	va_start(ap, why_fmt);
	vsnprintf(why, sizeof why, why_fmt, ap);
	va_end(ap);
	return append(s, who, action, target, outcome, why);
}

int vd_service_audit(vd_service *s, const vd_principal *who, const char *action, const char *target,
                     const char *outcome, const char *why)
{
	int rc;
	if ((rc = vd_svc_check_text("audit action", action, 64, true)) ||
	    (rc = vd_svc_check_text("audit target", target, 512, false)) ||
	    (rc = vd_svc_check_text("audit outcome", outcome, 32, false)) ||
	    (rc = vd_svc_check_text("audit reason", why, WHY_MAX - 1, false)))
		return rc;
	return append(s, who, action, target, outcome, why);
}

int vd_svc_allow(vd_service *s, const vd_principal *who, vd_action a, const vd_perm_ctx *ctx,
                 const char *target)
{
	int rc = vd_perm_check(who, a, ctx);
	if (rc == VD_OK)
		return VD_OK;
	char msg[512];
	vd_strlcpy(msg, vd_error_msg(), sizeof msg);
	/* The refusal is an event; if writing it fails the refusal still stands. */
	vd_svc_audit(s, who, "perm.deny", target, "denied", "%s: %s", vd_action_name(a) ? vd_action_name(a) : "?",
	             msg);
	return vd_error_set(VD_EPERM, "%s", msg);
}

int vd_service_authorize(vd_service *s, const vd_principal *who, vd_action a, const vd_perm_ctx *ctx,
                         const char *target)
{
	return vd_svc_allow(s, who, a, ctx, target);
}

/* ---- verify ---- */

static int verify_cb(void *ctx, const vd_audit_entry *e)
{
	vd_audit_verifier *v = ctx;
	return vd_audit_verify_next(v, e) ? 0 : 1;   /* stop at the first problem */
}

int vd_service_audit_verify(vd_service *s, const vd_principal *who, vd_audit_report *out)
{
	memset(out, 0, sizeof *out);
	int rc = vd_svc_allow(s, who, VD_ACT_AUDIT_VERIFY, NULL, "audit");
	if (rc)
		return rc;
	vd_audit_bounds b;
	vd_audit_verifier v;
	/* One snapshot of entries and head: hold the write lock meanwhile. */
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	if (!(rc = s->store->ops->audit_bounds(s->store, &b))) {
		vd_audit_verify_start(&v, b.anchor_seq, b.anchor_hash);
		rc = s->store->ops->audit_list(s->store, b.anchor_seq, 0, verify_cb, &v);
		if (rc == 1)
			rc = VD_OK;
	}
	vd_store_rollback(s->store);
	if (rc)
		return rc;
	vd_audit_verify_end(&v, b.head_seq, b.head_hash);
	out->checked = v.checked;
	out->anchor_seq = b.anchor_seq;
	out->head_seq = b.head_seq;
	out->first_bad = v.bad_seq;
	vd_strlcpy(out->why, v.why, sizeof out->why);
	if (v.bad_seq)
		return vd_error_set(VD_ECONFLICT, "audit chain broken at entry %lld: %s", (long long)v.bad_seq, v.why);
	return VD_OK;
}

int vd_service_audit_list(vd_service *s, const vd_principal *who, int64_t after_seq, int64_t limit,
                          int (*cb)(void *ctx, const vd_audit_entry *e), void *ctx)
{
	int rc = vd_svc_allow(s, who, VD_ACT_AUDIT_READ, NULL, "audit");
	if (rc)
		return rc;
	return s->store->ops->audit_list(s->store, after_seq < 0 ? 0 : after_seq, limit, cb, ctx);
}

int vd_service_audit_bounds(vd_service *s, const vd_principal *who, vd_audit_bounds *out)
{
	int rc = vd_svc_allow(s, who, VD_ACT_AUDIT_READ, NULL, "audit");
	if (rc)
		return rc;
	return s->store->ops->audit_bounds(s->store, out);
}

/* now minus 6 calendar months (same day and time; a day past the end of
 * the month rolls over the way timegm normalises it). */
static int64_t six_months_before(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	tm.tm_mon -= 6;
	return (int64_t)timegm(&tm);
}

int vd_service_audit_prune(vd_service *s, const vd_principal *who, const char *before, int64_t *removed)
{
	*removed = 0;
	int rc = vd_svc_allow(s, who, VD_ACT_AUDIT_PRUNE, NULL, "audit");
	if (rc)
		return rc;
	int64_t t;
	if (!before || strlen(before) > 64 || vd_time_parse(before, &t) != VD_OK)
		return vd_error_set(VD_EINVAL, "--before: not a date (YYYY-MM-DD or an RFC 3339 time)");
	char cut[VD_TIME_BUF], floor_[VD_TIME_BUF];
	vd_svc_time(t, cut);
	vd_svc_time(six_months_before(vd_service_now(s)), floor_);
	if (strcmp(cut, floor_) > 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "refusing to prune the audit chain before %s: intake and access logs "
		         "are kept at least 6 months (Art. 5), so the latest allowed cut-off is %s", cut, floor_);
		vd_svc_audit(s, who, "audit.prune", "audit", "denied", "%s", msg);
		return vd_error_set(VD_EPERM, "%s", msg);
	}
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->audit_prune(s->store, cut, floor_, removed);
	if (!rc)
		rc = vd_svc_audit(s, who, "audit.prune", "audit", "ok", "removed %lld entries older than %s",
		                  (long long)*removed, cut);
	rc = vd_svc_tx_end(s, rc);
	if (rc)
		*removed = 0;
	return rc;
}
