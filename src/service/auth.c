/* Accounts, organisations, API tokens, sessions and logins.
 *
 * Passwords: argon2id via libsodium crypto_pwhash_str_alg (interactive
 * cost; tests may ask for the minimum through vd_auth_policy.fast_hash).
 * Tokens and session ids: 32 random bytes, base64url (no padding) after a
 * "vdt_" / "vds_" prefix; only their SHA-256 (hex) is stored.  The CSRF
 * token of a session is base64url(SHA-256("vulnd-csrf-1\n" + session id)):
 * derived, not stored, and unknowable without the cookie.
 * Lockout: max_failures failed logins of one login name within window_s
 * lock that name for lockout_s; while locked no password is even checked.
 * Unknown names are counted too and answered the same way, so neither the
 * message nor the lockout tells whether an account exists.
 */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include "auth_int.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_PREFIX   "vdt_"
#define SESSION_PREFIX "vds_"
#define SECRET_B64     43     /* base64url of 32 bytes, no padding */

/* ---- clock and policy ---- */

void vd_service_set_clock(vd_service *s, vd_clock_fn fn, void *ctx)
{
	s->clock = fn;
	s->clock_ctx = ctx;
}

int64_t vd_service_now(vd_service *s)
{
	return s && s->clock ? s->clock(s->clock_ctx) : vd_time_now();
}

void vd_service_set_auth_policy(vd_service *s, const vd_auth_policy *p)
{
	memset(&s->auth, 0, sizeof s->auth);
	if (p)
		s->auth = *p;
}

static int pol_max(const vd_service *s) { return s->auth.max_failures > 0 ? s->auth.max_failures : 5; }
static int pol_window(const vd_service *s) { return s->auth.window_s > 0 ? s->auth.window_s : 900; }
static int pol_lock(const vd_service *s) { return s->auth.lockout_s > 0 ? s->auth.lockout_s : 900; }
static int pol_ttl(const vd_service *s) { return s->auth.session_ttl_s > 0 ? s->auth.session_ttl_s : 43200; }

/* ---- input checks ---- */

int vd_svc_check_text(const char *field, const char *v, size_t max, bool required)
{
	if (!v || !*v) {
		if (required)
			return vd_error_set(VD_EINVAL, "%s is required", field);
		return VD_OK;
	}
	size_t n = strlen(v);
	if (n > max)
		return vd_error_set(VD_EINVAL, "%s is longer than %zu bytes", field, max);
	if (!vd_utf8_valid(v, n))
		return vd_error_set(VD_EINVAL, "%s is not valid UTF-8", field);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return vd_error_set(VD_EINVAL, "%s contains a control character", field);
	if (required && vd_str_empty(v))
		return vd_error_set(VD_EINVAL, "%s is blank", field);
	return VD_OK;
}

static bool name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return !first && (c == '.' || c == '_' || c == '-' || c == '@');
}

static int check_user_name(const char *name)
{
	if (!name || !*name)
		return vd_error_set(VD_EINVAL, "a user name is required");
	size_t n = strlen(name);
	if (n > VD_USER_NAME_MAX)
		return vd_error_set(VD_EINVAL, "user name is longer than %d bytes", VD_USER_NAME_MAX);
	for (size_t i = 0; i < n; i++)
		if (!name_char(name[i], i == 0))
			return vd_error_set(VD_EINVAL, "user name may contain only letters, digits and . _ - @ "
			                    "(starting with a letter or digit)");
	return VD_OK;
}

/* Never echo the password in a message. */
static int check_password(const char *pw)
{
	if (!pw)
		return vd_error_set(VD_EINVAL, "a password is required");
	size_t n = strlen(pw);
	if (n < VD_PASSWORD_MIN)
		return vd_error_set(VD_EINVAL, "the password is shorter than %d bytes", VD_PASSWORD_MIN);
	if (n > VD_PASSWORD_MAX)
		return vd_error_set(VD_EINVAL, "the password is longer than %d bytes", VD_PASSWORD_MAX);
	if (!vd_utf8_valid(pw, n))
		return vd_error_set(VD_EINVAL, "the password is not valid UTF-8");
	return VD_OK;
}

static int check_email(const char *e)
{
	int rc = vd_svc_check_text("email", e, VD_EMAIL_MAX, true);
	if (rc)
		return rc;
	const char *at = strchr(e, '@');
	if (!at || at == e || !at[1] || strchr(at + 1, '@') || strpbrk(e, " \t<>\"(),;:\\[]"))
		return vd_error_set(VD_EINVAL, "email: not an address of the form name@domain");
	return VD_OK;
}

/* ---- secrets ---- */

static int sodium_ready(void)
{
	if (sodium_init() < 0)
		return vd_error_set(VD_EINTERNAL, "libsodium failed to initialise");
	return VD_OK;
}

static void sha256_hex(const char *s, char out[VD_HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, VD_HASH_HEX, h, sizeof h);
}

static int new_secret(const char *prefix, char out[VD_SECRET_BUF])
{
	unsigned char raw[32];
	int rc = sodium_ready();
	if (rc)
		return rc;
	randombytes_buf(raw, sizeof raw);
	size_t k = strlen(prefix);
	memcpy(out, prefix, k);
	sodium_bin2base64(out + k, VD_SECRET_BUF - k, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return VD_OK;
}

/* Shape check before any lookup: prefix + 43 base64url characters. */
static bool secret_shape(const char *v, const char *prefix)
{
	size_t k = strlen(prefix);
	if (!v || strncmp(v, prefix, k) != 0 || strlen(v) != k + SECRET_B64)
		return false;
	for (const char *p = v + k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			return false;
	return true;
}

static void csrf_of(const char *sid, char out[VD_SECRET_BUF])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"vulnd-csrf-1\n", 13);
	crypto_hash_sha256_update(&st, (const unsigned char *)sid, strlen(sid));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2base64(out, VD_SECRET_BUF, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int hash_password(vd_service *s, const char *pw, char out[VD_PWHASH_BUF])
{
	int rc = sodium_ready();
	if (rc)
		return rc;
	unsigned long long ops = s->auth.fast_hash ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = s->auth.fast_hash ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return vd_error_set(VD_ENOMEM, "password hashing failed (out of memory)");
	return VD_OK;
}

static bool password_ok(const char *hash, const char *pw)
{
	return hash && *hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* ---- principals ---- */

static int principal_of(vd_service *s, const vd_user_info *u, vd_auth_via via, vd_principal *p)
{
	memset(p, 0, sizeof *p);
	p->user_id = u->id;
	vd_strlcpy(p->name, u->name, sizeof p->name);
	p->role = u->role;
	p->scope = VD_SCOPE_ADMIN;
	p->via = via;
	size_t n = 0;
	int rc = s->store->ops->user_orgs(s->store, u->id, p->orgs, VD_PRINCIPAL_ORGS, &n);
	p->n_orgs = n < VD_PRINCIPAL_ORGS ? n : VD_PRINCIPAL_ORGS;
	return rc;
}

static bool is_member(const vd_principal *who, int64_t org)
{
	for (size_t i = 0; i < who->n_orgs; i++)
		if (who->orgs[i] == org)
			return true;
	return false;
}

/* ---- lookups with messages ---- */

static int find_user(vd_service *s, const char *name, vd_user_info *u, char *pw_hash)
{
	int rc = check_user_name(name);
	if (rc)
		return rc;
	rc = s->store->ops->user_get(s->store, name, 0, u, pw_hash);
	if (rc == VD_ENOTFOUND)
		return vd_error_set(VD_ENOTFOUND, "no user '%s'", name);
	return rc;
}

static int find_org(vd_service *s, const char *name, vd_org_info *o)
{
	int rc = vd_svc_check_text("organisation name", name, VD_ORG_NAME_MAX, true);
	if (rc)
		return rc;
	rc = s->store->ops->org_get(s->store, name, 0, o);
	if (rc == VD_ENOTFOUND)
		return vd_error_set(VD_ENOTFOUND, "no organisation '%s'", name);
	return rc;
}

/* Role vendor / support-unit needs membership of such an organisation. */
static int role_fits_orgs(vd_service *s, vd_role role, int64_t user_id, const vd_org_info *joining)
{
	vd_org_type need;
	if (role == VD_ROLE_VENDOR)
		need = VD_ORG_VENDOR;
	else if (role == VD_ROLE_SUPPORT_UNIT)
		need = VD_ORG_SUPPORT_UNIT;
	else
		return VD_OK;
	if (joining && joining->type == need)
		return VD_OK;
	if (user_id > 0) {
		int64_t ids[VD_PRINCIPAL_ORGS];
		size_t n = 0;
		int rc = s->store->ops->user_orgs(s->store, user_id, ids, VD_PRINCIPAL_ORGS, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && i < VD_PRINCIPAL_ORGS; i++) {
			vd_org_info o;
			if (s->store->ops->org_get(s->store, NULL, ids[i], &o) == VD_OK && o.type == need)
				return VD_OK;
		}
	}
	return vd_error_set(VD_EINVAL, "role %s needs membership of a %s organisation (give --org ORG, or "
	                    "`vulnd org member ORG USER` first)", vd_role_name(role), vd_org_type_name(need));
}

/* ---- users ---- */

int vd_service_user_add(vd_service *s, const vd_principal *who, const char *name, vd_role role,
                        const char *org, const char *password, int64_t *id)
{
	vd_user_info u;
	vd_org_info o;
	char hash[VD_PWHASH_BUF];
	int64_t uid = 0;
	int rc = vd_svc_allow(s, who, VD_ACT_USER_ADMIN, NULL, name && strlen(name) <= 64 ? name : "user");
	if (rc || (rc = check_user_name(name)) || (rc = check_password(password)))
		return rc;
	if ((unsigned)role >= VD_ROLE_COUNT_ || role == VD_ROLE_ANONYMOUS)
		return vd_error_set(VD_EINVAL, "role: a user is reporter, vendor, analyst, expert, support-unit or admin");
	if (org && (rc = find_org(s, org, &o)))
		return rc;
	if ((rc = role_fits_orgs(s, role, 0, org ? &o : NULL)))
		return rc;
	if (s->store->ops->user_get(s->store, name, 0, &u, NULL) == VD_OK)
		return vd_error_set(VD_ECONFLICT, "user '%s' already exists", name);
	if ((rc = hash_password(s, password, hash)))    /* slow: outside the write lock */
		return rc;
	memset(&u, 0, sizeof u);
	vd_strlcpy(u.name, name, sizeof u.name);
	u.role = role;
	vd_svc_time(vd_service_now(s), u.created);
	if ((rc = vd_svc_tx_begin(s)))
		goto out;
	rc = s->store->ops->user_add(s->store, &u, hash, &uid);
	if (!rc && org)
		rc = s->store->ops->org_member(s->store, o.id, uid, true);
	if (!rc)
		rc = vd_svc_audit(s, who, "user.add", name, "ok", "role %s%s%s", vd_role_name(role),
		                  org ? ", organisation " : "", org ? o.name : "");
	rc = vd_svc_tx_end(s, rc);
	if (!rc && id)
		*id = uid;
out:
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int vd_service_user_get(vd_service *s, const vd_principal *who, const char *name, vd_user_info *out)
{
	int rc = find_user(s, name, out, NULL);
	if (rc != VD_OK && rc != VD_ENOTFOUND)
		return rc;
	/* users see themselves; user.list sees everyone */
	if (rc == VD_OK && who && who->user_id > 0 && out->id == who->user_id)
		return vd_svc_allow(s, who, VD_ACT_ME, NULL, name);
	int r2 = vd_svc_allow(s, who, VD_ACT_USER_LIST, NULL, "users");
	if (r2) {
		memset(out, 0, sizeof *out);
		return r2;
	}
	return rc;
}

int vd_service_user_list(vd_service *s, const vd_principal *who,
                         int (*cb)(void *ctx, const vd_user_info *u), void *ctx)
{
	int rc = vd_svc_allow(s, who, VD_ACT_USER_LIST, NULL, "users");
	return rc ? rc : s->store->ops->user_list(s->store, cb, ctx);
}

int vd_service_me(vd_service *s, const vd_principal *who, vd_user_info *out)
{
	memset(out, 0, sizeof *out);
	int rc = vd_svc_allow(s, who, VD_ACT_ME, NULL, "me");
	if (rc)
		return rc;
	if (who->user_id <= 0)
		return vd_error_set(VD_ENOTFOUND, "%s has no account", who->name);
	return s->store->ops->user_get(s->store, NULL, who->user_id, out, NULL);
}

int vd_service_user_set_role(vd_service *s, const vd_principal *who, const char *name, vd_role role)
{
	vd_user_info u;
	int rc = vd_svc_allow(s, who, VD_ACT_USER_ADMIN, NULL, name && strlen(name) <= 64 ? name : "user");
	if (rc || (rc = find_user(s, name, &u, NULL)))
		return rc;
	if ((unsigned)role >= VD_ROLE_COUNT_ || role == VD_ROLE_ANONYMOUS)
		return vd_error_set(VD_EINVAL, "role: a user is reporter, vendor, analyst, expert, support-unit or admin");
	if ((rc = role_fits_orgs(s, role, u.id, NULL)))
		return rc;
	if (u.role == role)
		return VD_OK;
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->user_update(s->store, u.id, vd_role_name(role), -1, NULL);
	if (!rc)
		rc = vd_svc_audit(s, who, "user.role", u.name, "ok", "role %s -> %s", vd_role_name(u.role),
		                  vd_role_name(role));
	return vd_svc_tx_end(s, rc);
}

int vd_service_user_set_disabled(vd_service *s, const vd_principal *who, const char *name, bool disabled)
{
	vd_user_info u;
	int rc = vd_svc_allow(s, who, VD_ACT_USER_ADMIN, NULL, name && strlen(name) <= 64 ? name : "user");
	if (rc || (rc = find_user(s, name, &u, NULL)))
		return rc;
	if (u.disabled == disabled)
		return VD_OK;
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->user_update(s->store, u.id, NULL, disabled ? 1 : 0, NULL);
	if (!rc && disabled)
		rc = s->store->ops->session_delete(s->store, NULL, u.id, 0);
	if (!rc)
		rc = vd_svc_audit(s, who, disabled ? "user.disable" : "user.enable", u.name, "ok", "%s",
		                  disabled ? "sessions ended, tokens refused" : "");
	return vd_svc_tx_end(s, rc);
}

int vd_service_user_set_password(vd_service *s, const vd_principal *who, const char *name,
                                 const char *old_password, const char *new_password)
{
	vd_user_info u;
	char old_hash[VD_PWHASH_BUF], hash[VD_PWHASH_BUF];
	int rc = find_user(s, name, &u, old_hash);
	if (rc)
		return rc;
	vd_perm_ctx ctx = {.owner_id = u.id};
	if ((rc = vd_svc_allow(s, who, VD_ACT_PASSWORD, &ctx, u.name)) || (rc = check_password(new_password)))
		goto out;
	if (who->via != VD_AUTH_LOCAL && who->user_id == u.id &&
	    (!old_password || !password_ok(old_hash, old_password))) {
		vd_svc_audit(s, who, "user.password", u.name, "denied", "current password wrong or missing");
		rc = vd_error_set(VD_EPERM, "the current password is wrong");
		goto out;
	}
	if ((rc = hash_password(s, new_password, hash)))
		goto out;
	if ((rc = vd_svc_tx_begin(s)))
		goto out;
	rc = s->store->ops->user_update(s->store, u.id, NULL, -1, hash);
	if (!rc)   /* a new password ends the old sessions */
		rc = s->store->ops->session_delete(s->store, NULL, u.id, 0);
	if (!rc)
		rc = vd_svc_audit(s, who, "user.password", u.name, "ok", "password changed, sessions ended");
	rc = vd_svc_tx_end(s, rc);
out:
	sodium_memzero(hash, sizeof hash);
	sodium_memzero(old_hash, sizeof old_hash);
	return rc;
}

/* ---- organisations ---- */

int vd_service_org_add(vd_service *s, const vd_principal *who, const char *name, vd_org_type type,
                       int64_t *id)
{
	int rc = vd_svc_allow(s, who, VD_ACT_ORG_ADMIN, NULL, "orgs");
	if (rc || (rc = vd_svc_check_text("organisation name", name, VD_ORG_NAME_MAX, true)))
		return rc;
	if ((unsigned)type >= VD_ORG_TYPE_COUNT_)
		return vd_error_set(VD_EINVAL, "unknown organisation type");
	vd_org_info o;
	memset(&o, 0, sizeof o);
	vd_strlcpy(o.name, name, sizeof o.name);
	o.type = type;
	vd_svc_time(vd_service_now(s), o.created);
	int64_t oid = 0;
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->org_add(s->store, &o, &oid);
	if (!rc)
		rc = vd_svc_audit(s, who, "org.add", o.name, "ok", "type %s", vd_org_type_name(type));
	rc = vd_svc_tx_end(s, rc);
	if (!rc && id)
		*id = oid;
	return rc;
}

int vd_service_org_get(vd_service *s, const vd_principal *who, const char *name, vd_org_info *out)
{
	int rc = find_org(s, name, out);
	if (rc && rc != VD_ENOTFOUND)
		return rc;
	vd_perm_ctx ctx = {.org_id = rc ? -1 : out->id};
	int r2 = vd_svc_allow(s, who, VD_ACT_ORG_READ, &ctx, "org");
	if (r2) {
		memset(out, 0, sizeof *out);
		return r2;
	}
	return rc;
}

typedef struct {
	const vd_principal *who;
	bool all;
	int (*cb)(void *ctx, const vd_org_info *o);
	void *ctx;
} org_filter;

static int org_filter_cb(void *ctx, const vd_org_info *o)
{
	org_filter *f = ctx;
	if (!f->all && !is_member(f->who, o->id))
		return 0;
	return f->cb(f->ctx, o);
}

int vd_service_org_list(vd_service *s, const vd_principal *who,
                        int (*cb)(void *ctx, const vd_org_info *o), void *ctx)
{
	if (!who)
		return vd_error_set(VD_EPERM, "permission denied: no principal");
	vd_perm_cond c = vd_perm_rule(who->role, VD_ACT_ORG_READ);
	if (c != VD_COND_YES && c != VD_COND_ORG) {
		int rc = vd_svc_allow(s, who, VD_ACT_ORG_READ, NULL, "orgs");
		if (rc)
			return rc;
	}
	if (c == VD_COND_ORG && who->scope < vd_action_scope(VD_ACT_ORG_READ))
		return vd_svc_allow(s, who, VD_ACT_ORG_READ, NULL, "orgs");
	org_filter f = {who, c == VD_COND_YES, cb, ctx};
	return s->store->ops->org_list(s->store, org_filter_cb, &f);
}

int vd_service_org_member(vd_service *s, const vd_principal *who, const char *org, const char *user, bool add)
{
	vd_org_info o;
	vd_user_info u;
	int rc = vd_svc_allow(s, who, VD_ACT_ORG_ADMIN, NULL, "orgs");
	if (rc || (rc = find_org(s, org, &o)) || (rc = find_user(s, user, &u, NULL)))
		return rc;
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->org_member(s->store, o.id, u.id, add);
	/* a vendor or support-unit user must keep a fitting organisation */
	if (!rc && !add)
		rc = role_fits_orgs(s, u.role, u.id, NULL);
	if (!rc)
		rc = vd_svc_audit(s, who, add ? "org.member.add" : "org.member.remove", o.name, "ok", "user %s", u.name);
	return vd_svc_tx_end(s, rc);
}

int vd_service_org_product_add(vd_service *s, const vd_principal *who, const char *org, const char *product)
{
	vd_org_info o;
	int rc = find_org(s, org, &o);
	if (rc)
		return rc;
	vd_perm_ctx ctx = {.org_id = o.id};
	if ((rc = vd_svc_allow(s, who, VD_ACT_ORG_PRODUCTS, &ctx, o.name)) ||
	    (rc = vd_svc_check_text("product", product, VD_PRODUCT_MAX, true)))
		return rc;
	if (o.type != VD_ORG_VENDOR)
		return vd_error_set(VD_EINVAL, "'%s' is a %s organisation: only vendor organisations own products",
		                    o.name, vd_org_type_name(o.type));
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->org_product_add(s->store, o.id, product);
	if (!rc)
		rc = vd_svc_audit(s, who, "org.product.add", o.name, "ok", "product %s", product);
	return vd_svc_tx_end(s, rc);
}

int vd_service_org_contact_add(vd_service *s, const vd_principal *who, const char *org, const char *email,
                               const char *name)
{
	vd_org_info o;
	int rc = find_org(s, org, &o);
	if (rc)
		return rc;
	vd_perm_ctx ctx = {.org_id = o.id};
	if ((rc = vd_svc_allow(s, who, VD_ACT_ORG_PRODUCTS, &ctx, o.name)) || (rc = check_email(email)) ||
	    (rc = vd_svc_check_text("contact name", name, VD_ORG_NAME_MAX, false)))
		return rc;
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->org_contact_add(s->store, o.id, email, name && *name ? name : NULL);
	if (!rc)
		rc = vd_svc_audit(s, who, "org.contact.add", o.name, "ok", "contact %s", email);
	return vd_svc_tx_end(s, rc);
}

int vd_service_org_items(vd_service *s, const vd_principal *who, const char *org, int kind,
                         int (*cb)(void *ctx, const char *a, const char *b), void *ctx)
{
	vd_org_info o;
	int rc = vd_service_org_get(s, who, org, &o);
	return rc ? rc : s->store->ops->org_items(s->store, o.id, kind, cb, ctx);
}

typedef struct {
	int64_t *ids;
	size_t max, n;
} id_list;

static int collect_vendor(void *ctx, const vd_org_info *o)
{
	id_list *l = ctx;
	if (o->type != VD_ORG_VENDOR)
		return 0;
	if (l->n < l->max)
		l->ids[l->n] = o->id;
	l->n++;
	return 0;
}

int vd_service_product_vendors(vd_service *s, const char *product, int64_t *ids, size_t max, size_t *n)
{
	*n = 0;
	int rc = vd_svc_check_text("product", product, VD_PRODUCT_MAX, true);
	if (rc)
		return rc;
	id_list l = {ids, max, 0};
	rc = s->store->ops->product_owners(s->store, product, collect_vendor, &l);
	*n = l.n;
	return rc;
}

/* ---- tokens ---- */

int vd_service_token_create(vd_service *s, const vd_principal *who, const char *user, vd_scope scope,
                            int expires_days, char token[VD_SECRET_BUF], vd_token_info *info)
{
	vd_user_info u;
	token[0] = '\0';
	int rc = find_user(s, user, &u, NULL);
	if (rc)
		return rc;
	vd_perm_ctx ctx = {.owner_id = u.id};
	if ((rc = vd_svc_allow(s, who, VD_ACT_TOKEN_CREATE, &ctx, u.name)))
		return rc;
	if (scope != VD_SCOPE_READ && scope != VD_SCOPE_WRITE && scope != VD_SCOPE_ADMIN)
		return vd_error_set(VD_EINVAL, "scope: read, write or admin");
	if (scope > who->scope)
		return vd_error_set(VD_EPERM, "a %s credential cannot create a token with scope %s",
		                    vd_scope_name(who->scope), vd_scope_name(scope));
	if (expires_days < 0 || expires_days > 3650)
		return vd_error_set(VD_EINVAL, "--expires: 1 to 3650 days (or 0 for never)");
	if (u.disabled)
		return vd_error_set(VD_EINVAL, "user '%s' is disabled", u.name);
	vd_token_info t;
	memset(&t, 0, sizeof t);
	t.user_id = u.id;
	vd_strlcpy(t.user, u.name, sizeof t.user);
	t.scope = scope;
	int64_t now = vd_service_now(s);
	vd_svc_time(now, t.created);
	if (expires_days > 0)
		vd_svc_time(now + (int64_t)expires_days * 86400, t.expires);
	char secret[VD_SECRET_BUF], hash[VD_HASH_HEX];
	if ((rc = new_secret(TOKEN_PREFIX, secret)))
		return rc;
	sha256_hex(secret, hash);
	if ((rc = vd_svc_tx_begin(s)))
		goto out;
	rc = s->store->ops->token_add(s->store, &t, hash, &t.id);
	if (!rc)
		rc = vd_svc_audit(s, who, "token.create", u.name, "ok", "token %lld, scope %s, expires %s",
		                  (long long)t.id, vd_scope_name(scope), t.expires[0] ? t.expires : "never");
	rc = vd_svc_tx_end(s, rc);
	if (!rc) {
		memcpy(token, secret, VD_SECRET_BUF);
		if (info)
			*info = t;
	}
out:
	sodium_memzero(secret, sizeof secret);
	return rc;
}

int vd_service_token_revoke(vd_service *s, const vd_principal *who, int64_t id)
{
	vd_token_info t;
	int rc = s->store->ops->token_get(s->store, NULL, id, &t);
	if (rc == VD_ENOTFOUND)
		rc = vd_error_set(VD_ENOTFOUND, "no token %lld", (long long)id);
	vd_perm_ctx ctx = {.owner_id = rc ? -1 : t.user_id};
	int r2 = vd_svc_allow(s, who, VD_ACT_TOKEN_REVOKE, &ctx, "token");
	if (r2 || rc)
		return r2 ? r2 : rc;
	if (t.revoked[0])
		return VD_OK;
	char now[VD_TIME_BUF];
	vd_svc_time(vd_service_now(s), now);
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->token_revoke(s->store, id, now);
	if (!rc)
		rc = vd_svc_audit(s, who, "token.revoke", t.user, "ok", "token %lld", (long long)id);
	return vd_svc_tx_end(s, rc);
}

int vd_service_token_list(vd_service *s, const vd_principal *who, const char *user,
                          int (*cb)(void *ctx, const vd_token_info *t), void *ctx)
{
	if (!who)
		return vd_error_set(VD_EPERM, "permission denied: no principal");
	int64_t uid = who->user_id;
	int rc;
	if (user && strcmp(user, "*") == 0) {
		uid = 0;
		if ((rc = vd_svc_allow(s, who, VD_ACT_USER_ADMIN, NULL, "tokens")))
			return rc;
	} else {
		if (user) {
			vd_user_info u;
			if ((rc = find_user(s, user, &u, NULL)))
				return rc;
			uid = u.id;
		}
		vd_perm_ctx ctx2 = {.owner_id = uid};
		if ((rc = vd_svc_allow(s, who, VD_ACT_TOKEN_LIST, &ctx2, "tokens")))
			return rc;
		if (uid <= 0)
			return VD_OK;   /* the local operator owns no tokens */
	}
	return s->store->ops->token_list(s->store, uid, cb, ctx);
}

int vd_service_token_auth(vd_service *s, const char *token, vd_principal *out)
{
	*out = vd_principal_anonymous();
	if (!secret_shape(token, TOKEN_PREFIX))
		return vd_error_set(VD_EPERM, "invalid API token");
	char hash[VD_HASH_HEX];
	sha256_hex(token, hash);
	vd_token_info t;
	int rc = s->store->ops->token_get(s->store, hash, 0, &t);
	if (rc == VD_ENOTFOUND)
		return vd_error_set(VD_EPERM, "invalid API token");
	if (rc)
		return rc;
	char now[VD_TIME_BUF];
	vd_svc_time(vd_service_now(s), now);
	if (t.revoked[0])
		return vd_error_set(VD_EPERM, "API token %lld was revoked", (long long)t.id);
	if (t.expires[0] && strcmp(now, t.expires) >= 0)
		return vd_error_set(VD_EPERM, "API token %lld expired at %s", (long long)t.id, t.expires);
	vd_user_info u;
	if ((rc = s->store->ops->user_get(s->store, NULL, t.user_id, &u, NULL)))
		return rc == VD_ENOTFOUND ? vd_error_set(VD_EPERM, "invalid API token") : rc;
	if (u.disabled)
		return vd_error_set(VD_EPERM, "the account of API token %lld is disabled", (long long)t.id);
	if ((rc = principal_of(s, &u, VD_AUTH_TOKEN, out)))
		return rc;
	out->scope = t.scope;
	out->token_id = t.id;
	return VD_OK;
}

/* ---- login and sessions ---- */

int vd_service_login(vd_service *s, const char *name, const char *password, const char *from,
                     vd_session *out, vd_principal *who)
{
	memset(out, 0, sizeof *out);
	*who = vd_principal_anonymous();
	char where[80] = "";
	if (from && *from && vd_svc_check_text("from", from, 64, false) == VD_OK)
		snprintf(where, sizeof where, " from %s", from);
	/* A name that cannot exist is not worth a row; answer the same way. */
	if (check_user_name(name) || !password || strlen(password) > VD_PASSWORD_MAX) {
		vd_svc_audit(s, NULL, "login.fail", "user", "denied", "malformed user name or password%s", where);
		return vd_error_set(VD_EPERM, "wrong user name or password");
	}
	int rc = sodium_ready();
	if (rc)
		return rc;
	int64_t now = vd_service_now(s);
	vd_login_state ls;
	if ((rc = s->store->ops->login_get(s->store, name, &ls)))
		return rc;
	vd_principal actor = vd_principal_anonymous();
	vd_strlcpy(actor.name, name, sizeof actor.name);
	char until[VD_TIME_BUF];
	if (ls.locked_until > now) {
		vd_svc_time(ls.locked_until, until);
		out->locked_until = ls.locked_until;
		vd_svc_audit(s, &actor, "login.locked", name, "denied", "locked until %s%s", until, where);
		return vd_error_set(VD_EPERM, "too many failed logins: try again after %s", until);
	}
	vd_user_info u;
	char hash[VD_PWHASH_BUF] = "";
	rc = s->store->ops->user_get(s->store, name, 0, &u, hash);
	if (rc && rc != VD_ENOTFOUND)
		return rc;
	bool known = rc == VD_OK, ok;
	if (known) {
		ok = password_ok(hash, password);
	} else {
		/* spend the same effort as a real check */
		char dummy[VD_PWHASH_BUF];
		hash_password(s, password, dummy);
		sodium_memzero(dummy, sizeof dummy);
		ok = false;
	}
	sodium_memzero(hash, sizeof hash);
	const char *reason = !known ? "unknown user" : !ok ? "wrong password" : u.disabled ? "account disabled" : NULL;
	if (reason) {
		if ((ls.locked_until && ls.locked_until <= now) || now - ls.window_start >= pol_window(s)) {
			ls.failures = 0;      /* a new window (or the lockout ended) */
			ls.window_start = now;
			ls.locked_until = 0;
		}
		ls.failures++;
		if (ls.failures >= pol_max(s))
			ls.locked_until = now + pol_lock(s);
		if ((rc = vd_svc_tx_begin(s)))
			return rc;
		rc = s->store->ops->login_put(s->store, name, &ls);
		if (!rc && ls.locked_until) {
			vd_svc_time(ls.locked_until, until);
			rc = vd_svc_audit(s, &actor, "login.fail", name, "denied", "%s%s; failure %lld: locked until %s",
			                  reason, where, (long long)ls.failures, until);
		} else if (!rc) {
			rc = vd_svc_audit(s, &actor, "login.fail", name, "denied", "%s%s; failure %lld", reason, where,
			                  (long long)ls.failures);
		}
		if ((rc = vd_svc_tx_end(s, rc)))
			return rc;
		return vd_error_set(VD_EPERM, "wrong user name or password");
	}
	vd_principal p;
	if ((rc = principal_of(s, &u, VD_AUTH_SESSION, &p)))
		return rc;
	char sid[VD_SECRET_BUF], sh[VD_HASH_HEX];
	if ((rc = new_secret(SESSION_PREFIX, sid)))
		return rc;
	sha256_hex(sid, sh);
	int64_t expires = now + pol_ttl(s);
	vd_login_state clear;
	memset(&clear, 0, sizeof clear);
	if ((rc = vd_svc_tx_begin(s)))
		goto out;
	rc = s->store->ops->login_put(s->store, name, &clear);
	if (!rc)
		rc = s->store->ops->session_delete(s->store, NULL, 0, now);   /* sweep expired sessions */
	if (!rc)
		rc = s->store->ops->session_add(s->store, sh, u.id, now, expires);
	if (!rc)
		rc = vd_svc_audit(s, &p, "login.ok", u.name, "ok", "session started%s", where);
	if ((rc = vd_svc_tx_end(s, rc)))
		goto out;
	memcpy(out->id, sid, sizeof out->id);
	csrf_of(sid, out->csrf);
	out->expires = expires;
	*who = p;
out:
	sodium_memzero(sid, sizeof sid);
	return rc;
}

int vd_service_logout(vd_service *s, const char *session_id)
{
	if (!secret_shape(session_id, SESSION_PREFIX))
		return VD_OK;
	vd_principal p;
	if (vd_service_session_auth(s, session_id, &p) != VD_OK)
		return VD_OK;   /* unknown or expired: nothing to end */
	char sh[VD_HASH_HEX];
	sha256_hex(session_id, sh);
	int rc = vd_svc_tx_begin(s);
	if (rc)
		return rc;
	rc = s->store->ops->session_delete(s->store, sh, 0, 0);
	if (!rc)
		rc = vd_svc_audit(s, &p, "logout", p.name, "ok", "session ended");
	return vd_svc_tx_end(s, rc);
}

int vd_service_session_auth(vd_service *s, const char *session_id, vd_principal *out)
{
	*out = vd_principal_anonymous();
	if (!secret_shape(session_id, SESSION_PREFIX))
		return vd_error_set(VD_EPERM, "not logged in (invalid session)");
	char sh[VD_HASH_HEX];
	sha256_hex(session_id, sh);
	int64_t uid = 0, expires = 0;
	int rc = s->store->ops->session_get(s->store, sh, &uid, &expires);
	if (rc == VD_ENOTFOUND)
		return vd_error_set(VD_EPERM, "not logged in (unknown or ended session)");
	if (rc)
		return rc;
	if (vd_service_now(s) >= expires)
		return vd_error_set(VD_EPERM, "session expired: log in again");
	vd_user_info u;
	if ((rc = s->store->ops->user_get(s->store, NULL, uid, &u, NULL)))
		return rc == VD_ENOTFOUND ? vd_error_set(VD_EPERM, "not logged in (no such account)") : rc;
	if (u.disabled)
		return vd_error_set(VD_EPERM, "account disabled");
	return principal_of(s, &u, VD_AUTH_SESSION, out);
}

int vd_service_csrf_check(vd_service *s, const char *session_id, const char *csrf)
{
	(void)s;
	if (!secret_shape(session_id, SESSION_PREFIX) || !csrf)
		return vd_error_set(VD_EPERM, "CSRF token missing or wrong");
	char want[VD_SECRET_BUF];
	csrf_of(session_id, want);
	size_t n = strlen(want);
	if (strlen(csrf) != n || sodium_memcmp(want, csrf, n) != 0)
		return vd_error_set(VD_EPERM, "CSRF token missing or wrong");
	return VD_OK;
}

int vd_service_authenticate(vd_service *s, const char *bearer, const char *session_id, const char *csrf,
                            bool write, vd_principal *out)
{
	*out = vd_principal_anonymous();
	if (bearer)
		return vd_service_token_auth(s, bearer, out);
	if (!session_id)
		return VD_OK;
	int rc = vd_service_session_auth(s, session_id, out);
	if (rc)
		return rc;
	if (write && (rc = vd_service_csrf_check(s, session_id, csrf)) != VD_OK) {
		vd_principal p = *out;
		*out = vd_principal_anonymous();
		vd_svc_audit(s, &p, "csrf.deny", p.name, "denied", "cookie-authenticated write without a valid CSRF token");
		return vd_error_set(VD_EPERM, "CSRF token missing or wrong");
	}
	return VD_OK;
}
