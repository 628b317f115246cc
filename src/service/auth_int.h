/* Internal to src/service/: helpers shared by auth.c, library.c and
 * audit.c (accounts, libraries, the audit chain). */
#ifndef VULND_SERVICE_AUTH_INT_H
#define VULND_SERVICE_AUTH_INT_H
#include "service_int.h"
#include "vulnd/auth.h"

/* Canonical UTC time of t. */
void vd_svc_time(int64_t t, char out[VD_TIME_BUF]);
/* Append an audit event (who NULL: "system"); why is a printf format.
 * Joins the caller's store transaction when one is open. */
int vd_svc_audit(vd_service *s, const vd_principal *who, const char *action, const char *target,
                 const char *outcome, const char *why_fmt, ...) __attribute__((format(printf, 6, 7)));
/* vd_perm_check, auditing a refusal (keeps the refusal message). */
int vd_svc_allow(vd_service *s, const vd_principal *who, vd_action a, const vd_perm_ctx *ctx,
                 const char *target);
/* Text input: required (not empty/blank) unless !required, at most max
 * bytes, valid UTF-8, no control characters.  VD_EINVAL naming field. */
int vd_svc_check_text(const char *field, const char *v, size_t max, bool required);
/* Begin a store transaction / finish it: commit when rc is VD_OK, else roll
 * back; returns rc, or the commit's error. */
int vd_svc_tx_begin(vd_service *s);
int vd_svc_tx_end(vd_service *s, int rc);

#endif
