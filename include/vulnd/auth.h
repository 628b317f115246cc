/* vulnd/auth.h — who is asking and what they may do: roles, principals,
 * actions, the one permission table (src/workflow/perm.c), and the plain
 * domain types of accounts, organisations, libraries and the audit chain
 * (src/workflow/audit.c).  No I/O here; the service layer (vulnd/service.h)
 * does the storing, and http/ and cli/ call only the service layer.
 *
 * Every struct in this header is plain data with fixed-size buffers: the
 * caller owns it (usually on the stack) and nothing in it needs freeing.
 */
#ifndef VULND_AUTH_H
#define VULND_AUTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits (bytes, without the NUL; buffers are one larger) ---- */
#define VD_USER_NAME_MAX   64    /* [A-Za-z0-9][A-Za-z0-9._@-]* */
#define VD_ORG_NAME_MAX    128   /* UTF-8, no control characters */
#define VD_PRODUCT_MAX     200
#define VD_EMAIL_MAX       254
#define VD_PASSWORD_MIN    8
#define VD_PASSWORD_MAX    1024
#define VD_LIB_CODE_MAX    12    /* [A-Z][A-Z0-9]{1,11}: also the record id prefix */
#define VD_LIB_NAME_MAX    128
#define VD_BLACKOUT_MAX    16    /* blackout windows per library */
#define VD_REASON_MAX      200   /* blackout reason */
#define VD_PRINCIPAL_ORGS  8     /* organisations remembered in a principal */
#define VD_TIME_BUF        24    /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define VD_HASH_HEX        65    /* SHA-256 in hex + NUL */
#define VD_SECRET_BUF      64    /* a token or session id: "vdt_"/"vds_" + 43 base64url + NUL */
#define VD_PWHASH_BUF      128   /* crypto_pwhash_STRBYTES */
#define VD_LIB_ID_BUF      40    /* "PREFIX-YYYYMM-NNNN..." + NUL */

/* ---- roles ---- */
typedef enum {
	VD_ROLE_ANONYMOUS = 0,   /* the public: not logged in */
	VD_ROLE_REPORTER,        /* researcher or member of a reporter team */
	VD_ROLE_VENDOR,          /* member of a vendor organisation */
	VD_ROLE_ANALYST,         /* verifies, grades, publishes */
	VD_ROLE_EXPERT,          /* expert working group: reviews what is sent to it */
	VD_ROLE_SUPPORT_UNIT,    /* member of a support unit: bulk submit, own stats */
	VD_ROLE_ADMIN,
	VD_ROLE_COUNT_
} vd_role;

/* "anonymous", "reporter", "vendor", "analyst", "expert", "support-unit", "admin". */
const char *vd_role_name(vd_role r);
/* VD_EINVAL (message lists the roles) for an unknown name. */
int vd_role_parse(const char *name, vd_role *out);

/* What a credential allows, on top of the role.  Sessions and the local
 * command line carry VD_SCOPE_ADMIN (the role alone decides); API tokens
 * carry the scope they were created with. */
typedef enum { VD_SCOPE_READ = 1, VD_SCOPE_WRITE = 2, VD_SCOPE_ADMIN = 3 } vd_scope;
const char *vd_scope_name(vd_scope s);          /* "read", "write", "admin" */
int vd_scope_parse(const char *name, vd_scope *out);

/* How the principal authenticated (HTTP needs it for CSRF). */
typedef enum { VD_AUTH_NONE = 0, VD_AUTH_SESSION, VD_AUTH_TOKEN, VD_AUTH_LOCAL } vd_auth_via;

/* Who is asking.  Built by the service (login, session or token check, or
 * vd_principal_local for the command line); plain data, caller-owned. */
typedef struct {
	int64_t user_id;                      /* 0: anonymous or local operator */
	char name[VD_USER_NAME_MAX + 1];      /* user name, "anonymous" or "cli" */
	vd_role role;
	vd_scope scope;
	vd_auth_via via;
	int64_t token_id;                     /* the API token used, or 0 */
	size_t n_orgs;                        /* organisations the user belongs to */
	int64_t orgs[VD_PRINCIPAL_ORGS];
} vd_principal;

/* The public (not logged in). */
vd_principal vd_principal_anonymous(void);
/* The local operator of the command line (or an internal job): role admin,
 * full scope, user_id 0; name shows in the audit chain ("cli"). */
vd_principal vd_principal_local(const char *name);

/* ---- actions: every permission-checked thing (names are stable: the
 * HTTP routing table refers to them by name) ---- */
typedef enum {
	VD_ACT_RECORD_READ = 0,       /* record.read: published records */
	VD_ACT_RECORD_READ_UNPUBLISHED,/* record.read_unpublished */
	VD_ACT_RECORD_IMPORT,         /* record.import */
	VD_ACT_RECORD_EDIT,           /* record.edit */
	VD_ACT_STATS_READ,            /* stats.read: public statistics */
	VD_ACT_STATS_ORG,             /* stats.org: an organisation's own figures */
	VD_ACT_REPORT_SUBMIT,         /* report.submit */
	VD_ACT_REPORT_BULK_SUBMIT,    /* report.bulk_submit */
	VD_ACT_CASE_READ,             /* case.read: a submission / case */
	VD_ACT_CASE_TRIAGE,           /* case.triage: assign, verify, grade, reject */
	VD_ACT_CASE_REVIEW,           /* case.review: expert opinion */
	VD_ACT_CASE_VENDOR,           /* case.vendor: acknowledge, fix released */
	VD_ACT_CASE_PUBLISH,          /* case.publish (the publication gate still applies) */
	VD_ACT_ATTACHMENT_READ,       /* attachment.read: private attachments (audited) */
	VD_ACT_ME,                    /* me: one's own account */
	VD_ACT_PASSWORD,              /* password: change a password */
	VD_ACT_USER_LIST,             /* user.list */
	VD_ACT_USER_ADMIN,            /* user.admin: add, role, disable */
	VD_ACT_ORG_READ,              /* org.read: an organisation, its members, products, contacts */
	VD_ACT_ORG_ADMIN,             /* org.admin: add organisations, members */
	VD_ACT_ORG_PRODUCTS,          /* org.products: products and security contacts */
	VD_ACT_TOKEN_CREATE,          /* token.create */
	VD_ACT_TOKEN_REVOKE,          /* token.revoke */
	VD_ACT_TOKEN_LIST,            /* token.list */
	VD_ACT_LIBRARY_READ,          /* library.read */
	VD_ACT_LIBRARY_ADMIN,         /* library.admin: add, policy */
	VD_ACT_LIBRARY_ALLOCATE,      /* library.allocate: assign a library id */
	VD_ACT_AUDIT_READ,            /* audit.read */
	VD_ACT_AUDIT_VERIFY,          /* audit.verify */
	VD_ACT_AUDIT_PRUNE,           /* audit.prune */
	VD_ACT_DB_ADMIN,              /* db.admin: migrate, check, backup */
	VD_ACT_COUNT_
} vd_action;

const char *vd_action_name(vd_action a);        /* "case.publish"; NULL if out of range */
int vd_action_parse(const char *name, vd_action *out);   /* VD_EINVAL if unknown */
/* Least credential scope the action needs (read, write or admin). */
vd_scope vd_action_scope(vd_action a);

/* Conditions of the permission table. */
typedef enum {
	VD_COND_UNSET = 0,  /* no entry: a bug (the permission test fails on it); refused */
	VD_COND_NO,         /* never */
	VD_COND_YES,        /* always */
	VD_COND_SELF,       /* only for what the principal owns: ctx->owner_id == user_id */
	VD_COND_ORG,        /* only for an organisation the principal belongs to: ctx->org_id */
	VD_COND_VENDOR,     /* only cases concerning products of the principal's vendor organisation
	                       (ctx->vendor_orgs) */
	VD_COND_ASSIGNED,   /* only what was sent to the principal (ctx->assignees) */
} vd_perm_cond;
const char *vd_perm_cond_name(vd_perm_cond c);

/* What the decision is about.  Zero it and fill what the action needs;
 * NULL means "no object" (then SELF/ORG/VENDOR/ASSIGNED refuse). */
typedef struct {
	int64_t owner_id;              /* user that owns the object (reporter, token owner, user itself) */
	int64_t org_id;                /* organisation the object belongs to */
	const int64_t *vendor_orgs;    /* vendor organisations a case concerns */
	size_t n_vendor_orgs;
	const int64_t *assignees;      /* users the object was sent to (analyst, expert group) */
	size_t n_assignees;
} vd_perm_ctx;

/* The table entry for (role, action); VD_COND_UNSET when out of range. */
vd_perm_cond vd_perm_rule(vd_role r, vd_action a);
/* The one permission check.  VD_OK when allowed; VD_EPERM with the reason
 * in vd_error_msg() ("role 'vendor' may not case.publish", "token scope
 * 'read' does not allow user.admin (needs admin)", ...).  Pure: no I/O and
 * no audit (vd_service_authorize adds the audit event for refusals). */
int vd_perm_check(const vd_principal *p, vd_action a, const vd_perm_ctx *ctx);

/* ---- accounts ---- */
typedef struct {
	int64_t id;
	char name[VD_USER_NAME_MAX + 1];
	vd_role role;
	bool disabled;
	char created[VD_TIME_BUF];
	char org[VD_ORG_NAME_MAX + 1];   /* first organisation (by name) or "" — informational */
} vd_user_info;

typedef enum { VD_ORG_VENDOR = 0, VD_ORG_SUPPORT_UNIT, VD_ORG_REPORTER_TEAM, VD_ORG_ALLIANCE, VD_ORG_TYPE_COUNT_ } vd_org_type;
const char *vd_org_type_name(vd_org_type t);   /* "vendor", "support-unit", "reporter-team", "alliance" */
int vd_org_type_parse(const char *name, vd_org_type *out);

typedef struct {
	int64_t id;
	char name[VD_ORG_NAME_MAX + 1];
	vd_org_type type;
	char created[VD_TIME_BUF];
	uint32_t n_members, n_products, n_contacts;
} vd_org_info;

typedef struct {
	int64_t id;
	int64_t user_id;
	char user[VD_USER_NAME_MAX + 1];
	vd_scope scope;
	char created[VD_TIME_BUF];
	char expires[VD_TIME_BUF];       /* "" = never */
	char revoked[VD_TIME_BUF];       /* "" = not revoked */
} vd_token_info;

/* ---- libraries ---- */
/* Extra-field definitions of a library come from a built-in field set
 * ("none", "mobile-app", "vehicle"); see vd_library_fields(). */
typedef struct {
	const char *name;                /* "app_name" */
	const char *label_en, *label_zh;
	const char *const *values;       /* allowed values (NULL-terminated), NULL = free text */
	bool required;
} vd_field_def;
/* The definitions of a field set; VD_EINVAL (listing the sets) if unknown.
 * *defs points to static data. */
int vd_library_fields(const char *set, const vd_field_def **defs, size_t *n);

typedef struct {
	int64_t starts, ends;            /* [starts, ends), seconds since the epoch */
	char reason[VD_REASON_MAX + 1];
} vd_blackout;

typedef struct {
	int64_t id;
	char code[VD_LIB_CODE_MAX + 1];  /* "NVDB", "APP", "VEH": id prefix */
	char name[VD_LIB_NAME_MAX + 1];
	bool national;                   /* one national library per instance */
	char field_set[16];              /* "none", "mobile-app", "vehicle" */
	int fix_days;                    /* vendor fix deadline from notification (default 45) */
	int ack_days;                    /* vendor acknowledgement deadline (default 7) */
	int report_days;                 /* Art. 7: vendor reports own product within (default 2) */
	size_t n_blackouts;
	vd_blackout blackouts[VD_BLACKOUT_MAX];
	char created[VD_TIME_BUF];
} vd_library_info;

#define VD_DEFAULT_FIX_DAYS    45
#define VD_DEFAULT_ACK_DAYS    7
#define VD_DEFAULT_REPORT_DAYS 2
#define VD_NATIONAL_CODE       "NVDB"   /* code of the library `db init` creates */

/* ---- the audit chain ---- */
/* One event: who, when, what, why.  Strings borrowed (valid during the
 * call or callback that hands the entry over). */
typedef struct {
	int64_t seq;                     /* 1, 2, 3 ... never reused */
	char at[VD_TIME_BUF];            /* canonical UTC time */
	const char *actor;               /* user name, "anonymous", "cli", "system" */
	const char *action;              /* "user.add", "login.fail", "perm.deny", ... */
	const char *target;              /* "user:alice", "library:APP", ... ("" if none) */
	const char *outcome;             /* "ok", "denied", "failed" */
	const char *why;                 /* reason or detail ("" if none) */
	char prev[VD_HASH_HEX];          /* hash of the previous entry (64 zeros for the first) */
	char hash[VD_HASH_HEX];          /* SHA-256(prev bytes || canonical bytes of this entry) */
} vd_audit_entry;

/* Compute e->hash from e->prev and the entry's fields (libsodium
 * crypto_hash_sha256).  VD_EINVAL if prev is not 64 hex digits. */
int vd_audit_seal(vd_audit_entry *e);
/* Compute the hash e should have into out (does not change e). */
int vd_audit_hash(const vd_audit_entry *e, char out[VD_HASH_HEX]);

/* Incremental verification: feed entries in seq order after
 * vd_audit_verify_start; the first problem sets bad_seq and why. */
typedef struct {
	int64_t next_seq;                /* seq the next entry must have */
	char prev[VD_HASH_HEX];          /* hash the next entry must link to */
	uint64_t checked;
	int64_t bad_seq;                 /* first broken entry, 0 if none yet */
	char why[256];
} vd_audit_verifier;
/* Start after an anchor (0 and "" / NULL: from the very first entry). */
void vd_audit_verify_start(vd_audit_verifier *v, int64_t anchor_seq, const char *anchor_hash);
/* false once a problem was found (further entries are ignored). */
bool vd_audit_verify_next(vd_audit_verifier *v, const vd_audit_entry *e);
/* After the last entry: compare with the recorded head (last seq and hash). */
bool vd_audit_verify_end(vd_audit_verifier *v, int64_t head_seq, const char *head_hash);

#endif
