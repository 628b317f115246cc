/* src/store/sqlite_auth.c — accounts, organisations, tokens, sessions,
 * failed logins, libraries and the audit chain in the SQLite backend.
 *
 * Tables (schema_sqlite.h, the accounts migration):
 *   orgs(id, name UNIQUE NOCASE, type, created)
 *   users(id, name UNIQUE NOCASE, role, pw_hash, disabled, created)
 *       pw_hash is libsodium's argon2id string (it carries its own salt and
 *       cost); the password itself is never stored.
 *   org_members(org_id, user_id)  org_products(org_id, product NOCASE)
 *   org_contacts(org_id, email NOCASE, name)
 *   tokens(id, user_id, hash UNIQUE, scope, created, expires, revoked)
 *       hash is SHA-256 (hex) of the token string; the token is shown once.
 *   sessions(hash PK, user_id, created, expires)    times in seconds
 *   login_failures(name PK NOCASE, failures, window_start, locked_until)
 *       any login name (also unknown ones, so a lockout does not reveal
 *       whether an account exists).
 *   libraries(id, code UNIQUE, name, national, field_set, fix_days,
 *             ack_days, report_days, created)   at most one national
 *   library_blackouts(library_id, idx, starts, ends, reason)
 *   library_seq(library_id, month "YYYYMM", last) — the last number handed
 *       out; library_next bumps it with an upsert under BEGIN IMMEDIATE, so
 *       concurrent connections never get the same number and none is reused.
 *   audit(seq PK, at, actor, action, target, outcome, why, prev, hash)
 *       append-only: a trigger refuses UPDATE, another refuses DELETE of
 *       rows younger than 6 months; this file has no update or delete of
 *       audit rows except audit_prune.
 *   audit_meta(id = 1, anchor_seq, anchor_hash, head_seq, head_hash)
 *       the last pruned entry (where verification starts) and the last
 *       appended one (so deleting the newest entries is noticed).
 */
#include "vulnd/store.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include "sqlite_int.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vd_sqlite *H(vd_store *s) { return (vd_sqlite *)s; }

/* ---- statements ---- */

#define USER_COLS "u.id, u.name, u.role, u.disabled, u.created," \
	" (SELECT o.name FROM org_members m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = u.id" \
	" ORDER BY o.name LIMIT 1), u.pw_hash FROM users u"
static const char SQL_USER_ADD[] =
	"INSERT INTO users(name, role, pw_hash, disabled, created) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_USER_BY_NAME[] = "SELECT " USER_COLS " WHERE u.name = ?1";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS " WHERE u.id = ?1";
static const char SQL_USER_LIST[] = "SELECT " USER_COLS " ORDER BY u.name";
static const char SQL_USER_UPDATE[] =
	"UPDATE users SET role = coalesce(?2, role),"
	" disabled = CASE WHEN ?3 < 0 THEN disabled ELSE ?3 END,"
	" pw_hash = coalesce(?4, pw_hash) WHERE id = ?1";

#define ORG_COLS "o.id, o.name, o.type, o.created," \
	" (SELECT count(*) FROM org_members WHERE org_id = o.id)," \
	" (SELECT count(*) FROM org_products WHERE org_id = o.id)," \
	" (SELECT count(*) FROM org_contacts WHERE org_id = o.id) FROM orgs o"
static const char SQL_ORG_ADD[] = "INSERT INTO orgs(name, type, created) VALUES(?1, ?2, ?3)";
static const char SQL_ORG_BY_NAME[] = "SELECT " ORG_COLS " WHERE o.name = ?1";
static const char SQL_ORG_BY_ID[] = "SELECT " ORG_COLS " WHERE o.id = ?1";
static const char SQL_ORG_LIST[] = "SELECT " ORG_COLS " ORDER BY o.name";
static const char SQL_PRODUCT_OWNERS[] =
	"SELECT " ORG_COLS " JOIN org_products p ON p.org_id = o.id WHERE p.product = ?1 ORDER BY o.name";
static const char SQL_MEMBER_ADD[] =
	"INSERT INTO org_members(org_id, user_id) VALUES(?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_MEMBER_DEL[] = "DELETE FROM org_members WHERE org_id = ?1 AND user_id = ?2";
static const char SQL_USER_ORGS[] =
	"SELECT m.org_id FROM org_members m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ?1 ORDER BY o.name";
static const char SQL_PRODUCT_ADD[] =
	"INSERT INTO org_products(org_id, product) VALUES(?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_CONTACT_ADD[] =
	"INSERT INTO org_contacts(org_id, email, name) VALUES(?1, ?2, ?3)"
	" ON CONFLICT(org_id, email) DO UPDATE SET name = excluded.name";
static const char SQL_ITEMS_MEMBERS[] =
	"SELECT u.name, u.role FROM org_members m JOIN users u ON u.id = m.user_id"
	" WHERE m.org_id = ?1 ORDER BY u.name";
static const char SQL_ITEMS_PRODUCTS[] =
	"SELECT product, NULL FROM org_products WHERE org_id = ?1 ORDER BY product";
static const char SQL_ITEMS_CONTACTS[] =
	"SELECT email, name FROM org_contacts WHERE org_id = ?1 ORDER BY email";

#define TOKEN_COLS "t.id, t.user_id, u.name, t.scope, t.created, t.expires, t.revoked" \
	" FROM tokens t JOIN users u ON u.id = t.user_id"
static const char SQL_TOKEN_ADD[] =
	"INSERT INTO tokens(user_id, hash, scope, created, expires) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_TOKEN_BY_HASH[] = "SELECT " TOKEN_COLS " WHERE t.hash = ?1";
static const char SQL_TOKEN_BY_ID[] = "SELECT " TOKEN_COLS " WHERE t.id = ?1";
static const char SQL_TOKEN_LIST[] =
	"SELECT " TOKEN_COLS " WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.id DESC";
static const char SQL_TOKEN_REVOKE[] = "UPDATE tokens SET revoked = coalesce(revoked, ?2) WHERE id = ?1";

static const char SQL_SESSION_ADD[] =
	"INSERT INTO sessions(hash, user_id, created, expires) VALUES(?1, ?2, ?3, ?4)";
static const char SQL_SESSION_GET[] = "SELECT user_id, expires FROM sessions WHERE hash = ?1";
static const char SQL_SESSION_DEL[] = "DELETE FROM sessions WHERE hash = ?1";
static const char SQL_SESSION_DEL_USER[] = "DELETE FROM sessions WHERE user_id = ?1";
static const char SQL_SESSION_DEL_OLD[] = "DELETE FROM sessions WHERE expires < ?1";

static const char SQL_LOGIN_GET[] =
	"SELECT failures, window_start, locked_until FROM login_failures WHERE name = ?1";
static const char SQL_LOGIN_PUT[] =
	"INSERT INTO login_failures(name, failures, window_start, locked_until) VALUES(?1, ?2, ?3, ?4)"
	" ON CONFLICT(name) DO UPDATE SET failures = excluded.failures,"
	" window_start = excluded.window_start, locked_until = excluded.locked_until";
static const char SQL_LOGIN_DEL[] = "DELETE FROM login_failures WHERE name = ?1";

#define LIB_COLS "id, code, name, national, field_set, fix_days, ack_days, report_days, created FROM libraries"
static const char SQL_LIB_ADD[] =
	"INSERT INTO libraries(code, name, national, field_set, fix_days, ack_days, report_days, created)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_LIB_GET[] = "SELECT " LIB_COLS " WHERE code = ?1";
static const char SQL_LIB_LIST[] = "SELECT " LIB_COLS " ORDER BY national DESC, code";
static const char SQL_LIB_UPDATE[] =
	"UPDATE libraries SET name = ?2, field_set = ?3, fix_days = ?4, ack_days = ?5, report_days = ?6"
	" WHERE code = ?1";
static const char SQL_BO_GET[] =
	"SELECT starts, ends, reason FROM library_blackouts WHERE library_id = ?1 ORDER BY idx";
static const char SQL_BO_DEL[] = "DELETE FROM library_blackouts WHERE library_id = ?1";
static const char SQL_BO_ADD[] =
	"INSERT INTO library_blackouts(library_id, idx, starts, ends, reason) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_LIB_NEXT[] =
	"INSERT INTO library_seq(library_id, month, last) SELECT id, ?2, 1 FROM libraries WHERE code = ?1"
	" ON CONFLICT(library_id, month) DO UPDATE SET last = last + 1 RETURNING last";

#define AUDIT_COLS "seq, at, actor, action, target, outcome, why, prev, hash FROM audit"
static const char SQL_AUDIT_META[] =
	"SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM audit_meta WHERE id = 1";
static const char SQL_AUDIT_INS[] =
	"INSERT INTO audit(seq, at, actor, action, target, outcome, why, prev, hash)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_AUDIT_HEAD[] =
	"INSERT INTO audit_meta(id, anchor_seq, anchor_hash, head_seq, head_hash) VALUES(1, 0, '', ?1, ?2)"
	" ON CONFLICT(id) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash";
static const char SQL_AUDIT_LIST[] = "SELECT " AUDIT_COLS " WHERE seq > ?1 ORDER BY seq LIMIT ?2";
static const char SQL_AUDIT_COUNT[] =
	"SELECT count(*), (SELECT at FROM audit ORDER BY seq LIMIT 1) FROM audit";
static const char SQL_AUDIT_KEEP_FROM[] = "SELECT min(seq) FROM audit WHERE at >= ?1";
static const char SQL_AUDIT_HASH_OF[] = "SELECT hash FROM audit WHERE seq = ?1";
static const char SQL_AUDIT_DEL[] = "DELETE FROM audit WHERE seq <= ?1";
static const char SQL_AUDIT_ANCHOR[] = "UPDATE audit_meta SET anchor_seq = ?1, anchor_hash = ?2 WHERE id = 1";

/* ---- helpers ---- */

static void cpy(char *dst, size_t n, sqlite3_stmt *q, int col)
{
	const char *v = (const char *)sqlite3_column_text(q, col);
	vd_strlcpy(dst, v ? v : "", n);
}

static const char *txt(sqlite3_stmt *q, int col) { return (const char *)sqlite3_column_text(q, col); }

static vd_role role_of(const char *t)
{
	for (int i = 0; t && i < VD_ROLE_COUNT_; i++)
		if (strcmp(t, vd_role_name((vd_role)i)) == 0)
			return (vd_role)i;
	return VD_ROLE_ANONYMOUS;   /* unknown text: no rights */
}

static void read_user(sqlite3_stmt *q, vd_user_info *u, char *pw_hash)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(q, 0);
	cpy(u->name, sizeof u->name, q, 1);
	u->role = role_of(txt(q, 2));
	u->disabled = sqlite3_column_int(q, 3) != 0;
	cpy(u->created, sizeof u->created, q, 4);
	cpy(u->org, sizeof u->org, q, 5);
	if (pw_hash)
		cpy(pw_hash, VD_PWHASH_BUF, q, 6);
}

static void read_org(sqlite3_stmt *q, vd_org_info *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(q, 0);
	cpy(o->name, sizeof o->name, q, 1);
	vd_org_type t = VD_ORG_REPORTER_TEAM;
	const char *tt = txt(q, 2);
	for (int i = 0; tt && i < VD_ORG_TYPE_COUNT_; i++)
		if (strcmp(tt, vd_org_type_name((vd_org_type)i)) == 0)
			t = (vd_org_type)i;
	o->type = t;
	cpy(o->created, sizeof o->created, q, 3);
	o->n_members = (uint32_t)sqlite3_column_int64(q, 4);
	o->n_products = (uint32_t)sqlite3_column_int64(q, 5);
	o->n_contacts = (uint32_t)sqlite3_column_int64(q, 6);
}

static void read_token(sqlite3_stmt *q, vd_token_info *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(q, 0);
	t->user_id = sqlite3_column_int64(q, 1);
	cpy(t->user, sizeof t->user, q, 2);
	const char *sc = txt(q, 3);
	t->scope = VD_SCOPE_READ;
	if (sc && strcmp(sc, "write") == 0)
		t->scope = VD_SCOPE_WRITE;
	else if (sc && strcmp(sc, "admin") == 0)
		t->scope = VD_SCOPE_ADMIN;
	cpy(t->created, sizeof t->created, q, 4);
	cpy(t->expires, sizeof t->expires, q, 5);
	cpy(t->revoked, sizeof t->revoked, q, 6);
}

/* Run q (bound) expecting at most one row, read by fn into out. */
static int one_row(vd_sqlite *s, sqlite3_stmt *q, const char *what,
                   void (*fn)(sqlite3_stmt *q, void *out, void *extra), void *out, void *extra)
{
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		fn(q, out, extra);
		return vd_sq_done(s, q, SQLITE_DONE, what);
	}
	int r2 = vd_sq_done(s, q, rc, what);
	return r2 ? r2 : VD_ENOTFOUND;
}

/* One row found by a text key (key_sql, when key is not NULL) or by row id
 * (id_sql), read by fn as in one_row. */
static int row_by_key_or_id(vd_sqlite *s, const char *key_sql, const char *id_sql, const char *key, int64_t id,
                            const char *what, void (*fn)(sqlite3_stmt *q, void *out, void *extra), void *out,
                            void *extra)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, key ? key_sql : id_sql, &q);
	if (rc)
		return rc;
	if (key)
		vd_sq_bind_text(q, 1, key);
	else
		sqlite3_bind_int64(q, 1, id);
	return one_row(s, q, what, fn, out, extra);
}

static void user_row(sqlite3_stmt *q, void *out, void *extra) { read_user(q, out, extra); }
static void org_row(sqlite3_stmt *q, void *out, void *extra) { (void)extra; read_org(q, out); }
static void token_row(sqlite3_stmt *q, void *out, void *extra) { (void)extra; read_token(q, out); }

/* A constraint failure on an add: a friendlier message. */
static int add_done(vd_sqlite *s, sqlite3_stmt *q, int rc, const char *what, const char *kind, const char *name)
{
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		return vd_error_set(VD_ECONFLICT, "%s '%s' already exists", kind, name);
	}
	return vd_sq_done(s, q, rc, what);
}

/* ---- users ---- */

int vd_sq_user_add(vd_store *st, const vd_user_info *u, const char *pw_hash, int64_t *id)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_USER_ADD, &q))) {
		vd_sq_bind_text(q, 1, u->name);
		vd_sq_bind_text(q, 2, vd_role_name(u->role));
		vd_sq_bind_text(q, 3, pw_hash);
		sqlite3_bind_int(q, 4, u->disabled ? 1 : 0);
		vd_sq_bind_text(q, 5, u->created);
		rc = add_done(s, q, sqlite3_step(q), "user_add", "user", u->name);
		if (!rc && id)
			*id = sqlite3_last_insert_rowid(s->db);
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_user_get(vd_store *st, const char *name, int64_t id, vd_user_info *out, char *pw_hash)
{
	return row_by_key_or_id(H(st), SQL_USER_BY_NAME, SQL_USER_BY_ID, name, id, "user_get", user_row, out, pw_hash);
}

int vd_sq_user_list(vd_store *st, int (*cb)(void *ctx, const vd_user_info *u), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_USER_LIST, &q), ret = 0;
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: user_list called from its own callback");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_user_info u;
		read_user(q, &u, NULL);
		if ((ret = cb(ctx, &u)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "user_list");
	return ret ? ret : rc;
}

int vd_sq_user_update(vd_store *st, int64_t id, const char *role, int disabled, const char *pw_hash)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_USER_UPDATE, &q))) {
		sqlite3_bind_int64(q, 1, id);
		vd_sq_bind_text(q, 2, role);
		sqlite3_bind_int(q, 3, disabled < 0 ? -1 : disabled ? 1 : 0);
		vd_sq_bind_text(q, 4, pw_hash);
		rc = vd_sq_done(s, q, sqlite3_step(q), "user_update");
		if (!rc && sqlite3_changes(s->db) == 0)
			rc = vd_error_set(VD_ENOTFOUND, "no user with id %lld", (long long)id);
	}
	return vd_sq_op_end(s, own, rc);
}

/* ---- organisations ---- */

int vd_sq_org_add(vd_store *st, const vd_org_info *o, int64_t *id)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_ORG_ADD, &q))) {
		vd_sq_bind_text(q, 1, o->name);
		vd_sq_bind_text(q, 2, vd_org_type_name(o->type));
		vd_sq_bind_text(q, 3, o->created);
		rc = add_done(s, q, sqlite3_step(q), "org_add", "organisation", o->name);
		if (!rc && id)
			*id = sqlite3_last_insert_rowid(s->db);
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_org_get(vd_store *st, const char *name, int64_t id, vd_org_info *out)
{
	return row_by_key_or_id(H(st), SQL_ORG_BY_NAME, SQL_ORG_BY_ID, name, id, "org_get", org_row, out, NULL);
}

static int org_rows(vd_sqlite *s, const char *sql, const char *arg,
                    int (*cb)(void *ctx, const vd_org_info *o), void *ctx, const char *what)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, sql, &q), ret = 0;
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: %s called from its own callback", what);
	if (arg)
		vd_sq_bind_text(q, 1, arg);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_org_info o;
		read_org(q, &o);
		if ((ret = cb(ctx, &o)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, what);
	return ret ? ret : rc;
}

int vd_sq_org_list(vd_store *st, int (*cb)(void *ctx, const vd_org_info *o), void *ctx)
{
	return org_rows(H(st), SQL_ORG_LIST, NULL, cb, ctx, "org_list");
}

int vd_sq_product_owners(vd_store *st, const char *product, int (*cb)(void *ctx, const vd_org_info *o),
			 void *ctx)
{
	if (!product)
		return vd_error_set(VD_EINVAL, "store: product_owners without a product");
	return org_rows(H(st), SQL_PRODUCT_OWNERS, product, cb, ctx, "product_owners");
}

/* One write of two ids and up to two strings. */
static int write2(vd_sqlite *s, const char *sql, int64_t a, int64_t b, const char *t1, const char *t2,
                  int nid, const char *what)
{
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, sql, &q))) {
		int i = 1;
		sqlite3_bind_int64(q, i++, a);
		if (nid > 1)
			sqlite3_bind_int64(q, i++, b);
		if (t1)
			vd_sq_bind_text(q, i++, t1);
		if (t2 || (t1 && sqlite3_bind_parameter_count(q) >= i))
			vd_sq_bind_text(q, i++, t2);
		rc = vd_sq_done(s, q, sqlite3_step(q), what);
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_org_member(vd_store *st, int64_t org_id, int64_t user_id, bool add)
{
	return write2(H(st), add ? SQL_MEMBER_ADD : SQL_MEMBER_DEL, org_id, user_id, NULL, NULL, 2,
	              "org_member");
}

int vd_sq_user_orgs(vd_store *st, int64_t user_id, int64_t *ids, size_t max, size_t *n)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	*n = 0;
	int rc = vd_sq_prep(s, SQL_USER_ORGS, &q);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, user_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n < max)
			ids[*n] = sqlite3_column_int64(q, 0);
		(*n)++;
	}
	return vd_sq_done(s, q, rc, "user_orgs");
}

int vd_sq_org_product_add(vd_store *st, int64_t org_id, const char *product)
{
	return write2(H(st), SQL_PRODUCT_ADD, org_id, 0, product, NULL, 1, "org_product_add");
}

int vd_sq_org_contact_add(vd_store *st, int64_t org_id, const char *email, const char *name)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_CONTACT_ADD, &q))) {
		sqlite3_bind_int64(q, 1, org_id);
		vd_sq_bind_text(q, 2, email);
		vd_sq_bind_text(q, 3, name);
		rc = vd_sq_done(s, q, sqlite3_step(q), "org_contact_add");
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_org_items(vd_store *st, int64_t org_id, int kind,
		    int (*cb)(void *ctx, const char *a, const char *b), void *ctx)
{
	vd_sqlite *s = H(st);
	const char *sql = kind == VD_ORG_ITEM_MEMBERS ? SQL_ITEMS_MEMBERS :
	                  kind == VD_ORG_ITEM_PRODUCTS ? SQL_ITEMS_PRODUCTS :
	                  kind == VD_ORG_ITEM_CONTACTS ? SQL_ITEMS_CONTACTS : NULL;
	if (!sql)
		return vd_error_set(VD_EINVAL, "store: org_items: unknown kind %d", kind);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, sql, &q), ret = 0;
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: org_items called from its own callback");
	sqlite3_bind_int64(q, 1, org_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, txt(q, 0), txt(q, 1))) != 0)
			break;
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "org_items");
	return ret ? ret : rc;
}

/* ---- tokens ---- */

int vd_sq_token_add(vd_store *st, const vd_token_info *t, const char *hash, int64_t *id)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_TOKEN_ADD, &q))) {
		sqlite3_bind_int64(q, 1, t->user_id);
		vd_sq_bind_text(q, 2, hash);
		vd_sq_bind_text(q, 3, vd_scope_name(t->scope));
		vd_sq_bind_text(q, 4, t->created);
		vd_sq_bind_text(q, 5, t->expires[0] ? t->expires : NULL);
		rc = vd_sq_done(s, q, sqlite3_step(q), "token_add");
		if (!rc && id)
			*id = sqlite3_last_insert_rowid(s->db);
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_token_get(vd_store *st, const char *hash, int64_t id, vd_token_info *out)
{
	return row_by_key_or_id(H(st), SQL_TOKEN_BY_HASH, SQL_TOKEN_BY_ID, hash, id, "token_get", token_row, out, NULL);
}

int vd_sq_token_list(vd_store *st, int64_t user_id, int (*cb)(void *ctx, const vd_token_info *t), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_TOKEN_LIST, &q), ret = 0;
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: token_list called from its own callback");
	sqlite3_bind_int64(q, 1, user_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_token_info t;
		read_token(q, &t);
		if ((ret = cb(ctx, &t)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "token_list");
	return ret ? ret : rc;
}

int vd_sq_token_revoke(vd_store *st, int64_t id, const char *at)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_TOKEN_REVOKE, &q))) {
		sqlite3_bind_int64(q, 1, id);
		vd_sq_bind_text(q, 2, at);
		rc = vd_sq_done(s, q, sqlite3_step(q), "token_revoke");
		if (!rc && sqlite3_changes(s->db) == 0)
			rc = vd_error_set(VD_ENOTFOUND, "no token with id %lld", (long long)id);
	}
	return vd_sq_op_end(s, own, rc);
}

/* ---- sessions and failed logins ---- */

int vd_sq_session_add(vd_store *st, const char *hash, int64_t user_id, int64_t created, int64_t expires)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_SESSION_ADD, &q))) {
		vd_sq_bind_text(q, 1, hash);
		sqlite3_bind_int64(q, 2, user_id);
		sqlite3_bind_int64(q, 3, created);
		sqlite3_bind_int64(q, 4, expires);
		rc = vd_sq_done(s, q, sqlite3_step(q), "session_add");
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_session_get(vd_store *st, const char *hash, int64_t *user_id, int64_t *expires)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_SESSION_GET, &q);
	if (rc)
		return rc;
	vd_sq_bind_text(q, 1, hash);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(q, 0);
		*expires = sqlite3_column_int64(q, 1);
		return vd_sq_done(s, q, SQLITE_DONE, "session_get");
	}
	int r2 = vd_sq_done(s, q, rc, "session_get");
	return r2 ? r2 : VD_ENOTFOUND;
}

int vd_sq_session_delete(vd_store *st, const char *hash, int64_t user_id, int64_t expired_before)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	const char *sql = hash ? SQL_SESSION_DEL : user_id > 0 ? SQL_SESSION_DEL_USER : SQL_SESSION_DEL_OLD;
	if (!(rc = vd_sq_prep(s, sql, &q))) {
		if (hash)
			vd_sq_bind_text(q, 1, hash);
		else
			sqlite3_bind_int64(q, 1, user_id > 0 ? user_id : expired_before);
		rc = vd_sq_done(s, q, sqlite3_step(q), "session_delete");
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_login_get(vd_store *st, const char *name, vd_login_state *out)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	memset(out, 0, sizeof *out);
	int rc = vd_sq_prep(s, SQL_LOGIN_GET, &q);
	if (rc)
		return rc;
	vd_sq_bind_text(q, 1, name);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->failures = sqlite3_column_int64(q, 0);
		out->window_start = sqlite3_column_int64(q, 1);
		out->locked_until = sqlite3_column_int64(q, 2);
	}
	return vd_sq_done(s, q, rc, "login_get");
}

int vd_sq_login_put(vd_store *st, const char *name, const vd_login_state *ls)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	bool del = ls->failures == 0 && ls->locked_until == 0;
	if (!(rc = vd_sq_prep(s, del ? SQL_LOGIN_DEL : SQL_LOGIN_PUT, &q))) {
		vd_sq_bind_text(q, 1, name);
		if (!del) {
			sqlite3_bind_int64(q, 2, ls->failures);
			sqlite3_bind_int64(q, 3, ls->window_start);
			sqlite3_bind_int64(q, 4, ls->locked_until);
		}
		rc = vd_sq_done(s, q, sqlite3_step(q), "login_put");
	}
	return vd_sq_op_end(s, own, rc);
}

/* ---- libraries ---- */

static int read_blackouts(vd_sqlite *s, vd_library_info *l)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_BO_GET, &q);
	if (rc)
		return rc;
	l->n_blackouts = 0;
	sqlite3_bind_int64(q, 1, l->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && l->n_blackouts < VD_BLACKOUT_MAX) {
		vd_blackout *b = &l->blackouts[l->n_blackouts++];
		b->starts = sqlite3_column_int64(q, 0);
		b->ends = sqlite3_column_int64(q, 1);
		cpy(b->reason, sizeof b->reason, q, 2);
	}
	return vd_sq_done(s, q, rc == SQLITE_ROW ? SQLITE_DONE : rc, "library blackouts");
}

static void read_library(sqlite3_stmt *q, vd_library_info *l)
{
	memset(l, 0, sizeof *l);
	l->id = sqlite3_column_int64(q, 0);
	cpy(l->code, sizeof l->code, q, 1);
	cpy(l->name, sizeof l->name, q, 2);
	l->national = sqlite3_column_int(q, 3) != 0;
	cpy(l->field_set, sizeof l->field_set, q, 4);
	l->fix_days = sqlite3_column_int(q, 5);
	l->ack_days = sqlite3_column_int(q, 6);
	l->report_days = sqlite3_column_int(q, 7);
	cpy(l->created, sizeof l->created, q, 8);
}

static int write_blackouts(vd_sqlite *s, int64_t lib_id, const vd_library_info *l)
{
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_BO_DEL, &q);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, lib_id);
	if ((rc = vd_sq_done(s, q, sqlite3_step(q), "library blackouts: clear")))
		return rc;
	if ((rc = vd_sq_prep(s, SQL_BO_ADD, &q)))
		return rc;
	for (size_t i = 0; i < l->n_blackouts && i < VD_BLACKOUT_MAX && !rc; i++) {
		sqlite3_bind_int64(q, 1, lib_id);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(q, 3, l->blackouts[i].starts);
		sqlite3_bind_int64(q, 4, l->blackouts[i].ends);
		vd_sq_bind_text(q, 5, l->blackouts[i].reason);
		rc = vd_sq_done(s, q, sqlite3_step(q), "library blackouts: add");
	}
	return rc;
}

int vd_sq_library_add(vd_store *st, const vd_library_info *l, int64_t *id)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_LIB_ADD, &q))) {
		vd_sq_bind_text(q, 1, l->code);
		vd_sq_bind_text(q, 2, l->name);
		sqlite3_bind_int(q, 3, l->national ? 1 : 0);
		vd_sq_bind_text(q, 4, l->field_set);
		sqlite3_bind_int(q, 5, l->fix_days);
		sqlite3_bind_int(q, 6, l->ack_days);
		sqlite3_bind_int(q, 7, l->report_days);
		vd_sq_bind_text(q, 8, l->created);
		rc = sqlite3_step(q);
		if ((rc & 0xff) == SQLITE_CONSTRAINT) {
			bool dup_national = l->national && strstr(sqlite3_errmsg(s->db), "national");
			sqlite3_reset(q);
			sqlite3_clear_bindings(q);
			rc = dup_national ? vd_error_set(VD_ECONFLICT, "there is already a national library "
			                                 "(one per instance); add %s as a sector library", l->code)
			                  : vd_error_set(VD_ECONFLICT, "library '%s' already exists", l->code);
		} else {
			rc = vd_sq_done(s, q, rc, "library_add");
		}
		int64_t lib = sqlite3_last_insert_rowid(s->db);
		if (!rc)
			rc = write_blackouts(s, lib, l);
		if (!rc && id)
			*id = lib;
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_library_get(vd_store *st, const char *code, vd_library_info *out)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_LIB_GET, &q);
	if (rc)
		return rc;
	vd_sq_bind_text(q, 1, code);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		int r2 = vd_sq_done(s, q, rc, "library_get");
		return r2 ? r2 : VD_ENOTFOUND;
	}
	read_library(q, out);
	if ((rc = vd_sq_done(s, q, SQLITE_DONE, "library_get")))
		return rc;
	return read_blackouts(s, out);
}

int vd_sq_library_list(vd_store *st, int (*cb)(void *ctx, const vd_library_info *l), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_LIB_LIST, &q), ret = 0;
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: library_list called from its own callback");
	vd_library_info *l = malloc(sizeof *l);
	if (!l)
		return vd_error_set(VD_ENOMEM, "out of memory listing libraries");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_library(q, l);
		if ((ret = read_blackouts(s, l)) != 0 || (ret = cb(ctx, l)) != 0)
			break;
	}
	free(l);
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "library_list");
	return ret ? ret : rc;
}

int vd_sq_library_update(vd_store *st, const vd_library_info *l)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	vd_library_info *cur = malloc(sizeof *cur);
	if (!cur)
		return vd_error_set(VD_ENOMEM, "out of memory updating a library");
	int rc = vd_sq_op_begin(s, &own);
	if (rc) {
		free(cur);
		return rc;
	}
	if (!(rc = vd_sq_library_get(st, l->code, cur)) && !(rc = vd_sq_prep(s, SQL_LIB_UPDATE, &q))) {
		vd_sq_bind_text(q, 1, l->code);
		vd_sq_bind_text(q, 2, l->name);
		vd_sq_bind_text(q, 3, l->field_set);
		sqlite3_bind_int(q, 4, l->fix_days);
		sqlite3_bind_int(q, 5, l->ack_days);
		sqlite3_bind_int(q, 6, l->report_days);
		rc = vd_sq_done(s, q, sqlite3_step(q), "library_update");
		if (!rc)
			rc = write_blackouts(s, cur->id, l);
	} else if (rc == VD_ENOTFOUND) {
		rc = vd_error_set(VD_ENOTFOUND, "no library '%s'", l->code);
	}
	free(cur);
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_library_next(vd_store *st, const char *code, const char *month, int64_t *n)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	*n = 0;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if (!(rc = vd_sq_prep(s, SQL_LIB_NEXT, &q))) {
		vd_sq_bind_text(q, 1, code);
		vd_sq_bind_text(q, 2, month);
		int st2 = sqlite3_step(q);
		if (st2 == SQLITE_ROW) {
			*n = sqlite3_column_int64(q, 0);
			st2 = sqlite3_step(q);
		}
		rc = vd_sq_done(s, q, st2, "library_next");
		if (!rc && *n == 0)
			rc = vd_error_set(VD_ENOTFOUND, "no library '%s'", code);
	}
	return vd_sq_op_end(s, own, rc);
}

/* ---- audit chain ---- */

static int read_bounds(vd_sqlite *s, vd_audit_bounds *b)
{
	sqlite3_stmt *q;
	memset(b, 0, sizeof *b);
	int rc = vd_sq_prep(s, SQL_AUDIT_META, &q);
	if (rc)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		b->anchor_seq = sqlite3_column_int64(q, 0);
		cpy(b->anchor_hash, sizeof b->anchor_hash, q, 1);
		b->head_seq = sqlite3_column_int64(q, 2);
		cpy(b->head_hash, sizeof b->head_hash, q, 3);
	}
	return vd_sq_done(s, q, rc, "audit: reading the chain head");
}

int vd_sq_audit_bounds(vd_store *st, vd_audit_bounds *out)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = read_bounds(s, out);
	if (rc || (rc = vd_sq_prep(s, SQL_AUDIT_COUNT, &q)))
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->count = sqlite3_column_int64(q, 0);
		cpy(out->oldest, sizeof out->oldest, q, 1);
	}
	return vd_sq_done(s, q, rc, "audit_bounds");
}

int vd_sq_audit_append(vd_store *st, vd_audit_entry *e, int (*seal)(vd_audit_entry *e))
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	vd_audit_bounds b;
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if ((rc = read_bounds(s, &b)))
		goto out;
	e->seq = b.head_seq + 1;
	vd_strlcpy(e->prev, b.head_seq ? b.head_hash : "", sizeof e->prev);
	if ((rc = seal(e)) || (rc = vd_sq_prep(s, SQL_AUDIT_INS, &q)))
		goto out;
	sqlite3_bind_int64(q, 1, e->seq);
	vd_sq_bind_text(q, 2, e->at);
	vd_sq_bind_text(q, 3, e->actor ? e->actor : "");
	vd_sq_bind_text(q, 4, e->action ? e->action : "");
	vd_sq_bind_text(q, 5, e->target ? e->target : "");
	vd_sq_bind_text(q, 6, e->outcome ? e->outcome : "");
	vd_sq_bind_text(q, 7, e->why ? e->why : "");
	vd_sq_bind_text(q, 8, e->prev);
	vd_sq_bind_text(q, 9, e->hash);
	if ((rc = vd_sq_done(s, q, sqlite3_step(q), "audit_append")))
		goto out;
	if ((rc = vd_sq_prep(s, SQL_AUDIT_HEAD, &q)))
		goto out;
	sqlite3_bind_int64(q, 1, e->seq);
	vd_sq_bind_text(q, 2, e->hash);
	rc = vd_sq_done(s, q, sqlite3_step(q), "audit_append: head");
out:
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_audit_list(vd_store *st, int64_t after_seq, int64_t limit,
		     int (*cb)(void *ctx, const vd_audit_entry *e), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_AUDIT_LIST, &q), ret = 0;
	if (rc)
		return rc;
	if (sqlite3_stmt_busy(q))
		return vd_error_set(VD_EINVAL, "store: audit_list called from its own callback");
	sqlite3_bind_int64(q, 1, after_seq);
	sqlite3_bind_int64(q, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_audit_entry e;
		memset(&e, 0, sizeof e);
		e.seq = sqlite3_column_int64(q, 0);
		cpy(e.at, sizeof e.at, q, 1);
		e.actor = txt(q, 2);
		e.action = txt(q, 3);
		e.target = txt(q, 4);
		e.outcome = txt(q, 5);
		e.why = txt(q, 6);
		cpy(e.prev, sizeof e.prev, q, 7);
		cpy(e.hash, sizeof e.hash, q, 8);
		if ((ret = cb(ctx, &e)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "audit_list");
	return ret ? ret : rc;
}

int vd_sq_audit_prune(vd_store *st, const char *before, const char *keep_after, int64_t *removed)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	vd_audit_bounds b;
	*removed = 0;
	if (!before || !keep_after)
		return vd_error_set(VD_EINVAL, "store: audit_prune needs both times");
	if (strcmp(before, keep_after) > 0)
		return vd_error_set(VD_EPERM, "refusing to prune: entries younger than 6 months must be kept "
		                    "(Art. 5); the latest allowed cut-off is %s, asked for %s", keep_after, before);
	int rc = vd_sq_op_begin(s, &own);
	if (rc)
		return rc;
	if ((rc = read_bounds(s, &b)) || (rc = vd_sq_prep(s, SQL_AUDIT_KEEP_FROM, &q)))
		goto out;
	vd_sq_bind_text(q, 1, before);
	int st2 = sqlite3_step(q);
	int64_t keep_from = b.head_seq + 1;
	if (st2 == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		keep_from = sqlite3_column_int64(q, 0);
	if ((rc = vd_sq_done(s, q, st2, "audit_prune")))
		goto out;
	int64_t last = keep_from - 1;
	if (last <= b.anchor_seq)
		goto out;           /* nothing older than before */
	char hash[VD_HASH_HEX] = "";
	if ((rc = vd_sq_prep(s, SQL_AUDIT_HASH_OF, &q)))
		goto out;
	sqlite3_bind_int64(q, 1, last);
	st2 = sqlite3_step(q);
	if (st2 == SQLITE_ROW)
		cpy(hash, sizeof hash, q, 0);
	if ((rc = vd_sq_done(s, q, st2, "audit_prune")))
		goto out;
	if (!hash[0]) {
		rc = vd_error_set(VD_ECONFLICT, "refusing to prune: audit entry %lld is missing "
		                  "(run `vulnd audit verify`)", (long long)last);
		goto out;
	}
	if ((rc = vd_sq_prep(s, SQL_AUDIT_DEL, &q)))
		goto out;
	sqlite3_bind_int64(q, 1, last);
	if ((rc = vd_sq_done(s, q, sqlite3_step(q), "audit_prune: delete")))
		goto out;
	*removed = sqlite3_changes(s->db);
	if ((rc = vd_sq_prep(s, SQL_AUDIT_ANCHOR, &q)))
		goto out;
	sqlite3_bind_int64(q, 1, last);
	vd_sq_bind_text(q, 2, hash);
	rc = vd_sq_done(s, q, sqlite3_step(q), "audit_prune: anchor");
out:
	if (rc)
		*removed = 0;
	return vd_sq_op_end(s, own, rc);
}
