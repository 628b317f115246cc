/* src/store/sqlite_case.c — disclosure cases in the SQLite backend.
 *
 * Tables (schema_sqlite.h, migration 5 → 6):
 *   cases(id, state, library, record_id UNIQUE when set, reporter_id,
 *         created, updated, doc)        doc: the case as JSON (workflow.h)
 *   case_parties(case_id, kind, party_id)   assignments (analyst, expert)
 *         and the vendor organisations a case concerns
 *   case_events(id, case_id, at, actor, kind, from_state, to_state, text,
 *         visibility)                   the thread and the step history
 *   case_attachments(case_id, sha256, name, size, kind, publish, by_user, at)
 *   case_notices(id, case_id, at, kind, recipient, subject, status)
 *   case_reminders(case_id, kind, at)   PRIMARY KEY(case_id, kind): a
 *         reminder or escalation is recorded once; INSERT ... ON CONFLICT DO
 *         NOTHING and the change count tell the caller whether it was the
 *         first (under BEGIN IMMEDIATE, so two processes cannot both win).
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

static const char SQL_CASE_ADD[] =
	"INSERT INTO cases(state, library, record_id, reporter_id, created, updated, doc)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_CASE_PUT[] =
	"UPDATE cases SET state = ?2, library = ?3, record_id = ?4, updated = ?5, doc = ?6 WHERE id = ?1";
#define CASE_COLS "id, state, library, record_id, reporter_id, created, updated, doc FROM cases"
static const char SQL_CASE_GET[] = "SELECT " CASE_COLS " WHERE id = ?1";
static const char SQL_CASE_LIST[] =
	"SELECT " CASE_COLS " WHERE id > ?1 AND (?2 IS NULL OR state = ?2) ORDER BY id LIMIT ?3";
static const char SQL_PARTY_DEL[] = "DELETE FROM case_parties WHERE case_id = ?1 AND kind = ?2";
static const char SQL_PARTY_ADD[] =
	"INSERT INTO case_parties(case_id, kind, party_id) VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING";
static const char SQL_EVENT_ADD[] =
	"INSERT INTO case_events(case_id, at, actor, kind, from_state, to_state, text, visibility)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_EVENT_LIST[] =
	"SELECT id, case_id, at, actor, kind, from_state, to_state, text, visibility FROM case_events"
	" WHERE case_id = ?1 ORDER BY id";
static const char SQL_ATT_ADD[] =
	"INSERT INTO case_attachments(case_id, sha256, name, size, kind, publish, by_user, at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING";
static const char SQL_ATT_LIST[] =
	"SELECT case_id, sha256, name, size, kind, publish, by_user, at FROM case_attachments"
	" WHERE case_id = ?1 ORDER BY at, sha256";
static const char SQL_ATT_PUB[] =
	"UPDATE case_attachments SET publish = ?3 WHERE case_id = ?1 AND sha256 = ?2";
static const char SQL_NOTICE_ADD[] =
	"INSERT INTO case_notices(case_id, at, kind, recipient, subject, status) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_NOTICE_LIST[] =
	"SELECT case_id, at, kind, recipient, subject, status FROM case_notices"
	" WHERE ?1 = 0 OR case_id = ?1 ORDER BY id";
static const char SQL_REMINDER[] =
	"INSERT INTO case_reminders(case_id, kind, at) VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING";

static const char *txt(sqlite3_stmt *q, int i) { return (const char *)sqlite3_column_text(q, i); }

/* Prepare a cached statement that must not be running (re-entrant use from
 * a callback would reset it under the caller). */
static int prep(vd_sqlite *s, const char *sql, sqlite3_stmt **q, const char *what)
{
	int rc = vd_sq_prep(s, sql, q);
	if (!rc && sqlite3_stmt_busy(*q))
		return vd_error_set(VD_EINVAL, "store: %s called from its own callback", what);
	return rc;
}

/* Run one write statement (already bound) inside op_begin/op_end. */
static int step_write(vd_sqlite *s, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	return vd_sq_done(s, q, rc, what);
}

int vd_sq_case_add(vd_store *st, const vd_case_row *r, int64_t *id)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = prep(s, SQL_CASE_ADD, &q, "case_add");
	if (rc || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	vd_sq_bind_text(q, 1, r->state);
	vd_sq_bind_text(q, 2, r->library);
	vd_sq_bind_text(q, 3, r->record_id);
	sqlite3_bind_int64(q, 4, r->reporter_id);
	vd_sq_bind_text(q, 5, r->created);
	vd_sq_bind_text(q, 6, r->updated ? r->updated : r->created);
	vd_sq_bind_text(q, 7, r->doc);
	rc = step_write(s, q, "case_add");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(s->db);
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_case_put(vd_store *st, const vd_case_row *r)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = prep(s, SQL_CASE_PUT, &q, "case_put");
	if (rc || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	sqlite3_bind_int64(q, 1, r->id);
	vd_sq_bind_text(q, 2, r->state);
	vd_sq_bind_text(q, 3, r->library);
	vd_sq_bind_text(q, 4, r->record_id);
	vd_sq_bind_text(q, 5, r->updated);
	vd_sq_bind_text(q, 6, r->doc);
	rc = sqlite3_step(q);
	int ext = sqlite3_extended_errcode(s->db);
	if (rc == SQLITE_CONSTRAINT || (rc != SQLITE_DONE && (ext & 0xff) == SQLITE_CONSTRAINT)) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		rc = vd_error_set(VD_ECONFLICT, "store: record id %s already belongs to another case",
		                  r->record_id ? r->record_id : "?");
	} else {
		rc = vd_sq_done(s, q, rc, "case_put");
		if (!rc && sqlite3_changes(s->db) == 0)
			rc = vd_error_set(VD_ENOTFOUND, "no case %lld", (long long)r->id);
	}
	return vd_sq_op_end(s, own, rc);
}

static void row_of(sqlite3_stmt *q, vd_case_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	r->state = txt(q, 1);
	r->library = txt(q, 2);
	r->record_id = txt(q, 3);
	r->reporter_id = sqlite3_column_int64(q, 4);
	r->created = txt(q, 5);
	r->updated = txt(q, 6);
	r->doc = txt(q, 7);
}

int vd_sq_case_get(vd_store *st, int64_t id, int (*cb)(void *ctx, const vd_case_row *r), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = prep(s, SQL_CASE_GET, &q, "case_get"), ret = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	bool found = rc == SQLITE_ROW;
	if (found) {
		vd_case_row r;
		row_of(q, &r);
		ret = cb(ctx, &r);
	}
	rc = vd_sq_done(s, q, found ? SQLITE_DONE : rc, "case_get");
	if (!rc && !found)
		return vd_error_set(VD_ENOTFOUND, "no case %lld", (long long)id);
	return ret ? ret : rc;
}

int vd_sq_case_list(vd_store *st, const char *state, int64_t after, int limit,
                    int (*cb)(void *ctx, const vd_case_row *r), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = prep(s, SQL_CASE_LIST, &q, "case_list"), ret = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, after);
	vd_sq_bind_text(q, 2, state);
	sqlite3_bind_int64(q, 3, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_case_row r;
		row_of(q, &r);
		if ((ret = cb(ctx, &r)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "case_list");
	return ret ? ret : rc;
}

int vd_sq_case_parties(vd_store *st, int64_t case_id, const char *kind, const int64_t *ids, size_t n)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *del, *add;
	bool own;
	int rc = prep(s, SQL_PARTY_DEL, &del, "case_parties");
	if (rc || (rc = prep(s, SQL_PARTY_ADD, &add, "case_parties")) || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	sqlite3_bind_int64(del, 1, case_id);
	vd_sq_bind_text(del, 2, kind);
	rc = step_write(s, del, "case_parties");
	for (size_t i = 0; !rc && i < n; i++) {
		sqlite3_bind_int64(add, 1, case_id);
		vd_sq_bind_text(add, 2, kind);
		sqlite3_bind_int64(add, 3, ids[i]);
		rc = step_write(s, add, "case_parties");
	}
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_case_event_add(vd_store *st, const vd_case_event_row *e)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = prep(s, SQL_EVENT_ADD, &q, "case_event_add");
	if (rc || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	sqlite3_bind_int64(q, 1, e->case_id);
	vd_sq_bind_text(q, 2, e->at);
	vd_sq_bind_text(q, 3, e->actor ? e->actor : "system");
	vd_sq_bind_text(q, 4, e->kind);
	vd_sq_bind_text(q, 5, e->from_state);
	vd_sq_bind_text(q, 6, e->to_state);
	vd_sq_bind_text(q, 7, e->text);
	vd_sq_bind_text(q, 8, e->visibility ? e->visibility : "staff");
	rc = step_write(s, q, "case_event_add");
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_case_events(vd_store *st, int64_t case_id, int (*cb)(void *ctx, const vd_case_event_row *e), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = prep(s, SQL_EVENT_LIST, &q, "case_events"), ret = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, case_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_case_event_row e = {
			.id = sqlite3_column_int64(q, 0), .case_id = sqlite3_column_int64(q, 1), .at = txt(q, 2),
			.actor = txt(q, 3), .kind = txt(q, 4), .from_state = txt(q, 5), .to_state = txt(q, 6),
			.text = txt(q, 7), .visibility = txt(q, 8),
		};
		if ((ret = cb(ctx, &e)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "case_events");
	return ret ? ret : rc;
}

int vd_sq_attachment_add(vd_store *st, const vd_attachment_row *a)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = prep(s, SQL_ATT_ADD, &q, "attachment_add");
	if (rc || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	sqlite3_bind_int64(q, 1, a->case_id);
	vd_sq_bind_text(q, 2, a->sha256);
	vd_sq_bind_text(q, 3, a->name);
	sqlite3_bind_int64(q, 4, a->size);
	vd_sq_bind_text(q, 5, a->kind ? a->kind : "poc");
	sqlite3_bind_int(q, 6, a->publish ? 1 : 0);
	sqlite3_bind_int64(q, 7, a->by_user);
	vd_sq_bind_text(q, 8, a->at);
	rc = step_write(s, q, "attachment_add");
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_attachment_list(vd_store *st, int64_t case_id, int (*cb)(void *ctx, const vd_attachment_row *a),
                          void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = prep(s, SQL_ATT_LIST, &q, "attachment_list"), ret = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, case_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_attachment_row a = {
			.case_id = sqlite3_column_int64(q, 0), .sha256 = txt(q, 1), .name = txt(q, 2),
			.size = sqlite3_column_int64(q, 3), .kind = txt(q, 4), .publish = sqlite3_column_int(q, 5) != 0,
			.by_user = sqlite3_column_int64(q, 6), .at = txt(q, 7),
		};
		if ((ret = cb(ctx, &a)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "attachment_list");
	return ret ? ret : rc;
}

int vd_sq_attachment_publish(vd_store *st, int64_t case_id, const char *sha256, bool publish)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = prep(s, SQL_ATT_PUB, &q, "attachment_publish");
	if (rc || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	sqlite3_bind_int64(q, 1, case_id);
	vd_sq_bind_text(q, 2, sha256);
	sqlite3_bind_int(q, 3, publish ? 1 : 0);
	rc = step_write(s, q, "attachment_publish");
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = vd_error_set(VD_ENOTFOUND, "case %lld has no attachment %.64s", (long long)case_id, sha256);
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_notice_add(vd_store *st, const vd_notice_row *n)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	int rc = prep(s, SQL_NOTICE_ADD, &q, "notice_add");
	if (rc || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	sqlite3_bind_int64(q, 1, n->case_id);
	vd_sq_bind_text(q, 2, n->at);
	vd_sq_bind_text(q, 3, n->kind);
	vd_sq_bind_text(q, 4, n->recipient);
	vd_sq_bind_text(q, 5, n->subject);
	vd_sq_bind_text(q, 6, n->status);
	rc = step_write(s, q, "notice_add");
	return vd_sq_op_end(s, own, rc);
}

int vd_sq_notice_list(vd_store *st, int64_t case_id, int (*cb)(void *ctx, const vd_notice_row *n), void *ctx)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	int rc = prep(s, SQL_NOTICE_LIST, &q, "notice_list"), ret = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, case_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		vd_notice_row n = {
			.case_id = sqlite3_column_int64(q, 0), .at = txt(q, 1), .kind = txt(q, 2),
			.recipient = txt(q, 3), .subject = txt(q, 4), .status = txt(q, 5),
		};
		if ((ret = cb(ctx, &n)) != 0)
			break;
	}
	rc = vd_sq_done(s, q, ret ? SQLITE_DONE : rc, "notice_list");
	return ret ? ret : rc;
}

int vd_sq_reminder_fire(vd_store *st, int64_t case_id, const char *kind, const char *at, bool *fired)
{
	vd_sqlite *s = H(st);
	sqlite3_stmt *q;
	bool own;
	*fired = false;
	int rc = prep(s, SQL_REMINDER, &q, "reminder_fire");
	if (rc || (rc = vd_sq_op_begin(s, &own)))
		return rc;
	sqlite3_bind_int64(q, 1, case_id);
	vd_sq_bind_text(q, 2, kind);
	vd_sq_bind_text(q, 3, at);
	rc = step_write(s, q, "reminder_fire");
	if (!rc)
		*fired = sqlite3_changes(s->db) > 0;
	return vd_sq_op_end(s, own, rc);
}
