/* The permission table: role × action × condition, checked in one place
 * (vd_perm_check).  Adding an action means adding its row here (a row left
 * out is all VD_COND_UNSET, which refuses and fails tests/unit/t_perm.c)
 * and its expected outcomes in that test.  docs/security.md explains it. */
#include "vulnd/auth.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <string.h>

static const char *const role_names[VD_ROLE_COUNT_] = {
	"anonymous", "reporter", "vendor", "analyst", "expert", "support-unit", "admin",
};

const char *vd_role_name(vd_role r)
{
	return (unsigned)r < VD_ROLE_COUNT_ ? role_names[r] : "?";
}

int vd_role_parse(const char *name, vd_role *out)
{
	for (int i = 0; name && i < VD_ROLE_COUNT_; i++)
		if (strcmp(name, role_names[i]) == 0) {
			*out = (vd_role)i;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown role (roles: reporter, vendor, analyst, expert, "
	                    "support-unit, admin, anonymous)");
}

const char *vd_scope_name(vd_scope s)
{
	switch (s) {
	case VD_SCOPE_READ: return "read";
	case VD_SCOPE_WRITE: return "write";
	case VD_SCOPE_ADMIN: return "admin";
	}
	return "?";
}

int vd_scope_parse(const char *name, vd_scope *out)
{
	static const vd_scope all[] = {VD_SCOPE_READ, VD_SCOPE_WRITE, VD_SCOPE_ADMIN};
	for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(name, vd_scope_name(all[i])) == 0) {
			*out = all[i];
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown scope (scopes: read, write, admin)");
}

vd_principal vd_principal_anonymous(void)
{
	vd_principal p;
	memset(&p, 0, sizeof p);
	p.role = VD_ROLE_ANONYMOUS;
	p.scope = VD_SCOPE_READ;
	p.via = VD_AUTH_NONE;
	memcpy(p.name, "anonymous", sizeof "anonymous");
	return p;
}

vd_principal vd_principal_local(const char *name)
{
	vd_principal p;
	memset(&p, 0, sizeof p);
	p.role = VD_ROLE_ADMIN;
	p.scope = VD_SCOPE_ADMIN;
	p.via = VD_AUTH_LOCAL;
	vd_strlcpy(p.name, name && *name ? name : "cli", sizeof p.name);
	return p;
}

static const char *const org_types[VD_ORG_TYPE_COUNT_] = {
	"vendor", "support-unit", "reporter-team", "alliance",
};

const char *vd_org_type_name(vd_org_type t)
{
	return (unsigned)t < VD_ORG_TYPE_COUNT_ ? org_types[t] : "?";
}

int vd_org_type_parse(const char *name, vd_org_type *out)
{
	for (int i = 0; name && i < VD_ORG_TYPE_COUNT_; i++)
		if (strcmp(name, org_types[i]) == 0) {
			*out = (vd_org_type)i;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown organisation type (types: vendor, support-unit, "
	                    "reporter-team, alliance)");
}

/* ---- actions ---- */

static const struct {
	const char *name;
	vd_scope scope;
} actions[VD_ACT_COUNT_] = {
	[VD_ACT_RECORD_READ] = {"record.read", VD_SCOPE_READ},
	[VD_ACT_RECORD_READ_UNPUBLISHED] = {"record.read_unpublished", VD_SCOPE_READ},
	[VD_ACT_RECORD_IMPORT] = {"record.import", VD_SCOPE_WRITE},
	[VD_ACT_RECORD_EDIT] = {"record.edit", VD_SCOPE_WRITE},
	[VD_ACT_STATS_READ] = {"stats.read", VD_SCOPE_READ},
	[VD_ACT_STATS_ORG] = {"stats.org", VD_SCOPE_READ},
	[VD_ACT_REPORT_SUBMIT] = {"report.submit", VD_SCOPE_WRITE},
	[VD_ACT_REPORT_BULK_SUBMIT] = {"report.bulk_submit", VD_SCOPE_WRITE},
	[VD_ACT_CASE_READ] = {"case.read", VD_SCOPE_READ},
	[VD_ACT_CASE_TRIAGE] = {"case.triage", VD_SCOPE_WRITE},
	[VD_ACT_CASE_REVIEW] = {"case.review", VD_SCOPE_WRITE},
	[VD_ACT_CASE_VENDOR] = {"case.vendor", VD_SCOPE_WRITE},
	[VD_ACT_CASE_PUBLISH] = {"case.publish", VD_SCOPE_WRITE},
	[VD_ACT_ATTACHMENT_READ] = {"attachment.read", VD_SCOPE_READ},
	[VD_ACT_ME] = {"me", VD_SCOPE_READ},
	[VD_ACT_PASSWORD] = {"password", VD_SCOPE_WRITE},
	[VD_ACT_USER_LIST] = {"user.list", VD_SCOPE_READ},
	[VD_ACT_USER_ADMIN] = {"user.admin", VD_SCOPE_ADMIN},
	[VD_ACT_ORG_READ] = {"org.read", VD_SCOPE_READ},
	[VD_ACT_ORG_ADMIN] = {"org.admin", VD_SCOPE_ADMIN},
	[VD_ACT_ORG_PRODUCTS] = {"org.products", VD_SCOPE_WRITE},
	/* Minting a token needs a full credential: a write token cannot mint more. */
	[VD_ACT_TOKEN_CREATE] = {"token.create", VD_SCOPE_ADMIN},
	[VD_ACT_TOKEN_REVOKE] = {"token.revoke", VD_SCOPE_WRITE},
	[VD_ACT_TOKEN_LIST] = {"token.list", VD_SCOPE_READ},
	[VD_ACT_LIBRARY_READ] = {"library.read", VD_SCOPE_READ},
	[VD_ACT_LIBRARY_ADMIN] = {"library.admin", VD_SCOPE_ADMIN},
	[VD_ACT_LIBRARY_ALLOCATE] = {"library.allocate", VD_SCOPE_WRITE},
	[VD_ACT_AUDIT_READ] = {"audit.read", VD_SCOPE_ADMIN},
	[VD_ACT_AUDIT_VERIFY] = {"audit.verify", VD_SCOPE_READ},
	[VD_ACT_AUDIT_PRUNE] = {"audit.prune", VD_SCOPE_ADMIN},
	[VD_ACT_DB_ADMIN] = {"db.admin", VD_SCOPE_ADMIN},
};

const char *vd_action_name(vd_action a)
{
	return (unsigned)a < VD_ACT_COUNT_ ? actions[a].name : NULL;
}

int vd_action_parse(const char *name, vd_action *out)
{
	for (int i = 0; name && i < VD_ACT_COUNT_; i++)
		if (actions[i].name && strcmp(name, actions[i].name) == 0) {
			*out = (vd_action)i;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown action '%.64s'", name ? name : "(null)");
}

vd_scope vd_action_scope(vd_action a)
{
	return (unsigned)a < VD_ACT_COUNT_ && actions[a].scope ? actions[a].scope : VD_SCOPE_ADMIN;
}

/* ---- the table ---- */

#define N  VD_COND_NO
#define Y  VD_COND_YES
#define SF VD_COND_SELF
#define OR VD_COND_ORG
#define VN VD_COND_VENDOR
#define AS VD_COND_ASSIGNED

/* Columns: anonymous, reporter, vendor, analyst, expert, support-unit, admin. */
static const vd_perm_cond table[VD_ACT_COUNT_][VD_ROLE_COUNT_] = {
	[VD_ACT_RECORD_READ]             = {Y, Y,  Y,  Y, Y,  Y,  Y},
	[VD_ACT_RECORD_READ_UNPUBLISHED] = {N, N,  N,  Y, Y,  N,  Y},
	[VD_ACT_RECORD_IMPORT]           = {N, N,  N,  Y, N,  N,  Y},
	[VD_ACT_RECORD_EDIT]             = {N, N,  N,  Y, N,  N,  Y},
	[VD_ACT_STATS_READ]              = {Y, Y,  Y,  Y, Y,  Y,  Y},
	[VD_ACT_STATS_ORG]               = {N, OR, OR, Y, N,  OR, Y},
	[VD_ACT_REPORT_SUBMIT]           = {N, Y,  Y,  Y, N,  Y,  Y},
	[VD_ACT_REPORT_BULK_SUBMIT]      = {N, N,  N,  N, N,  Y,  Y},
	[VD_ACT_CASE_READ]               = {N, SF, VN, Y, AS, OR, Y},
	[VD_ACT_CASE_TRIAGE]             = {N, N,  N,  Y, N,  N,  Y},
	[VD_ACT_CASE_REVIEW]             = {N, N,  N,  N, AS, N,  Y},
	[VD_ACT_CASE_VENDOR]             = {N, N,  VN, N, N,  N,  Y},
	[VD_ACT_CASE_PUBLISH]            = {N, N,  N,  Y, N,  N,  Y},
	[VD_ACT_ATTACHMENT_READ]         = {N, SF, VN, Y, AS, OR, Y},
	[VD_ACT_ME]                      = {N, Y,  Y,  Y, Y,  Y,  Y},
	[VD_ACT_PASSWORD]                = {N, SF, SF, SF, SF, SF, Y},
	[VD_ACT_USER_LIST]               = {N, N,  N,  Y, N,  N,  Y},
	[VD_ACT_USER_ADMIN]              = {N, N,  N,  N, N,  N,  Y},
	[VD_ACT_ORG_READ]                = {N, OR, OR, Y, N,  OR, Y},
	[VD_ACT_ORG_ADMIN]               = {N, N,  N,  N, N,  N,  Y},
	[VD_ACT_ORG_PRODUCTS]            = {N, N,  OR, Y, N,  OR, Y},
	[VD_ACT_TOKEN_CREATE]            = {N, SF, SF, SF, SF, SF, Y},
	[VD_ACT_TOKEN_REVOKE]            = {N, SF, SF, SF, SF, SF, Y},
	[VD_ACT_TOKEN_LIST]              = {N, SF, SF, SF, SF, SF, Y},
	[VD_ACT_LIBRARY_READ]            = {Y, Y,  Y,  Y, Y,  Y,  Y},
	[VD_ACT_LIBRARY_ADMIN]           = {N, N,  N,  N, N,  N,  Y},
	[VD_ACT_LIBRARY_ALLOCATE]        = {N, N,  N,  Y, N,  N,  Y},
	[VD_ACT_AUDIT_READ]              = {N, N,  N,  N, N,  N,  Y},
	[VD_ACT_AUDIT_VERIFY]            = {N, N,  N,  N, N,  N,  Y},
	[VD_ACT_AUDIT_PRUNE]             = {N, N,  N,  N, N,  N,  Y},
	[VD_ACT_DB_ADMIN]                = {N, N,  N,  N, N,  N,  Y},
};

#undef N
#undef Y
#undef SF
#undef OR
#undef VN
#undef AS

vd_perm_cond vd_perm_rule(vd_role r, vd_action a)
{
	if ((unsigned)r >= VD_ROLE_COUNT_ || (unsigned)a >= VD_ACT_COUNT_)
		return VD_COND_UNSET;
	return table[a][r];
}

const char *vd_perm_cond_name(vd_perm_cond c)
{
	switch (c) {
	case VD_COND_UNSET: return "unset";
	case VD_COND_NO: return "no";
	case VD_COND_YES: return "yes";
	case VD_COND_SELF: return "self";
	case VD_COND_ORG: return "org";
	case VD_COND_VENDOR: return "vendor";
	case VD_COND_ASSIGNED: return "assigned";
	}
	return "?";
}

static bool member(const vd_principal *p, int64_t org)
{
	for (size_t i = 0; org > 0 && i < p->n_orgs && i < VD_PRINCIPAL_ORGS; i++)
		if (p->orgs[i] == org)
			return true;
	return false;
}

static bool cond_holds(vd_perm_cond c, const vd_principal *p, const vd_perm_ctx *x)
{
	switch (c) {
	case VD_COND_YES:
		return true;
	case VD_COND_SELF:
		return x && p->user_id > 0 && x->owner_id == p->user_id;
	case VD_COND_ORG:
		return x && member(p, x->org_id);
	case VD_COND_VENDOR:
		for (size_t i = 0; x && x->vendor_orgs && i < x->n_vendor_orgs; i++)
			if (member(p, x->vendor_orgs[i]))
				return true;
		return false;
	case VD_COND_ASSIGNED:
		for (size_t i = 0; x && x->assignees && i < x->n_assignees; i++)
			if (p->user_id > 0 && x->assignees[i] == p->user_id)
				return true;
		return false;
	case VD_COND_UNSET:
	case VD_COND_NO:
		return false;
	}
	return false;
}

static const char *cond_text(vd_perm_cond c)
{
	switch (c) {
	case VD_COND_SELF: return "for its own account and objects";
	case VD_COND_ORG: return "for its own organisation";
	case VD_COND_VENDOR: return "for cases concerning its own organisation's products";
	case VD_COND_ASSIGNED: return "for what was sent to it";
	default: return "";
	}
}

int vd_perm_check(const vd_principal *p, vd_action a, const vd_perm_ctx *ctx)
{
	if (!p)
		return vd_error_set(VD_EPERM, "permission denied: no principal");
	const char *an = vd_action_name(a);
	if (!an)
		return vd_error_set(VD_EPERM, "permission denied: unknown action %d", (int)a);
	if ((unsigned)p->role >= VD_ROLE_COUNT_)
		return vd_error_set(VD_EPERM, "permission denied: unknown role %d", (int)p->role);
	vd_perm_cond c = table[a][p->role];
	const char *rn = role_names[p->role];
	if (c == VD_COND_UNSET)
		return vd_error_set(VD_EPERM, "permission denied: no permission entry for role '%s' and %s "
		                    "(a bug: every action needs a row in the table)", rn, an);
	if (c == VD_COND_NO)
		return vd_error_set(VD_EPERM, "permission denied: role '%s' may not %s", rn, an);
	vd_scope need = vd_action_scope(a);
	if (p->scope < need)
		return vd_error_set(VD_EPERM, "permission denied: token scope '%s' does not allow %s (needs '%s')",
		                    vd_scope_name(p->scope), an, vd_scope_name(need));
	if (!cond_holds(c, p, ctx))
		return vd_error_set(VD_EPERM, "permission denied: role '%s' may %s only %s", rn, an, cond_text(c));
	return VD_OK;
}
