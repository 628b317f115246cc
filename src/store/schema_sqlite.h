/* src/store/schema_sqlite.h — the SQLite schema as forward-only migrations.
 *
 * vd_sqlite_migrations[i] takes a database from PRAGMA user_version i to
 * i + 1.  A released entry is never edited: a schema change is a new entry
 * appended at the end.  The SQL holds no data, only DDL.  The tables are
 * described at the top of sqlite.c.
 *
 * Internal to src/store/ (and the sqlite-specific section of the store
 * tests, which builds an "old" database from the first entry).
 */
#ifndef VD_STORE_SCHEMA_SQLITE_H
#define VD_STORE_SCHEMA_SQLITE_H

static const char *const vd_sqlite_migrations[] = {
	/* 0 → 1: tables, primary keys and the indexes foreign keys need. */
	"CREATE TABLE records("
	"  id        TEXT NOT NULL PRIMARY KEY,"
	"  state     TEXT NOT NULL,"
	"  published TEXT,"
	"  modified  TEXT,"
	"  title_en  TEXT,"
	"  title_zh  TEXT,"
	"  grade     TEXT,"
	"  doc       TEXT NOT NULL,"
	"  hash      TEXT NOT NULL);"
	"CREATE TABLE aliases("
	"  alias     TEXT NOT NULL COLLATE NOCASE,"
	"  record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
	"  source    TEXT,"
	"  PRIMARY KEY(alias, record_id));"
	"CREATE INDEX aliases_record ON aliases(record_id);"
	"CREATE TABLE record_cwes("
	"  record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
	"  cwe       TEXT NOT NULL,"
	"  PRIMARY KEY(record_id, cwe)) WITHOUT ROWID;"
	"CREATE TABLE affected("
	"  record_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
	"  idx       INTEGER NOT NULL,"
	"  vendor    TEXT,"
	"  product   TEXT,"
	"  ecosystem TEXT,"
	"  package   TEXT,"
	"  purl      TEXT,"
	"  PRIMARY KEY(record_id, idx)) WITHOUT ROWID;"
	"CREATE TABLE sources("
	"  source    TEXT NOT NULL,"
	"  source_id TEXT NOT NULL,"
	"  record_id TEXT NOT NULL,"
	"  hash      TEXT,"
	"  doc       TEXT NOT NULL,"
	"  PRIMARY KEY(source, source_id));"
	"CREATE INDEX sources_record ON sources(record_id);",

	/* 1 → 2: lookup indexes (search order, CWE, product and package matching). */
	"CREATE INDEX records_published ON records(published);"
	"CREATE INDEX record_cwes_cwe ON record_cwes(cwe);"
	"CREATE INDEX affected_product ON affected(vendor COLLATE NOCASE, product COLLATE NOCASE);"
	"CREATE INDEX affected_package ON affected(ecosystem, package);"
	"CREATE INDEX affected_purl ON affected(purl);",

	/* 2 → 3: full-text search (sqlite_search.c, docs/search.md): filter
	 * columns keyed by a stable docid, the FTS5 table with the "vd" CJK-aware
	 * tokenizer (registered on every connection), the trigger that keeps
	 * deletes in step, then the index filled from the records. */
	"CREATE TABLE search_docs("
	"  docid      INTEGER PRIMARY KEY,"
	"  record_id  TEXT NOT NULL UNIQUE REFERENCES records(id) ON DELETE CASCADE,"
	"  state      TEXT NOT NULL,"
	"  published  TEXT NOT NULL DEFAULT '',"
	"  modified   TEXT,"
	"  grade      TEXT,"
	"  score      REAL,"
	"  class_code TEXT,"
	"  library    TEXT);"
	"CREATE INDEX search_docs_published ON search_docs(published, docid);"
	"CREATE VIRTUAL TABLE search_fts USING fts5(ids, title, body, other, tokenize = 'vd');"
	"CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN"
	"  DELETE FROM search_fts WHERE rowid = old.docid; END;"
	"SELECT vd_search_rebuild();",

	/* 3 → 4: the CWE catalogue (sqlite_cwe.c): entries with their ordered
	 * parent list, and the same list as rows for children lookups. */
	"CREATE TABLE cwe("
	"  id          INTEGER PRIMARY KEY,"
	"  name        TEXT,"
	"  abstraction TEXT,"
	"  status      TEXT,"
	"  description TEXT,"
	"  parents     TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE cwe_parent("
	"  cwe    INTEGER NOT NULL REFERENCES cwe(id) ON DELETE CASCADE,"
	"  parent INTEGER NOT NULL,"
	"  ord    INTEGER NOT NULL,"
	"  PRIMARY KEY(cwe, parent)) WITHOUT ROWID;"
	"CREATE INDEX cwe_parent_parent ON cwe_parent(parent, cwe);",
	/* 4 → 5: accounts, organisations, API tokens, sessions, failed logins,
	 * libraries with their per-month id sequences, and the append-only audit
	 * chain (sqlite_auth.c, docs/security.md).  Triggers refuse any UPDATE of
	 * an audit row and any DELETE of one younger than 6 months (Art. 5). */
	"CREATE TABLE orgs("
	"  id      INTEGER PRIMARY KEY,"
	"  name    TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  type    TEXT NOT NULL,"
	"  created TEXT NOT NULL);"
	"CREATE TABLE users("
	"  id       INTEGER PRIMARY KEY,"
	"  name     TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  role     TEXT NOT NULL,"
	"  pw_hash  TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  created  TEXT NOT NULL);"
	"CREATE TABLE org_members("
	"  org_id  INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  PRIMARY KEY(org_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX org_members_user ON org_members(user_id);"
	"CREATE TABLE org_products("
	"  org_id  INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  product TEXT NOT NULL COLLATE NOCASE,"
	"  PRIMARY KEY(org_id, product)) WITHOUT ROWID;"
	"CREATE INDEX org_products_product ON org_products(product);"
	"CREATE TABLE org_contacts("
	"  org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  email  TEXT NOT NULL COLLATE NOCASE,"
	"  name   TEXT,"
	"  PRIMARY KEY(org_id, email)) WITHOUT ROWID;"
	"CREATE TABLE tokens("
	"  id      INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  hash    TEXT NOT NULL UNIQUE,"
	"  scope   TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  expires TEXT,"
	"  revoked TEXT);"
	"CREATE INDEX tokens_user ON tokens(user_id);"
	"CREATE TABLE sessions("
	"  hash    TEXT NOT NULL PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE INDEX sessions_expires ON sessions(expires);"
	"CREATE TABLE login_failures("
	"  name         TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,"
	"  failures     INTEGER NOT NULL,"
	"  window_start INTEGER NOT NULL,"
	"  locked_until INTEGER NOT NULL);"
	"CREATE TABLE libraries("
	"  id          INTEGER PRIMARY KEY,"
	"  code        TEXT NOT NULL UNIQUE,"
	"  name        TEXT NOT NULL,"
	"  national    INTEGER NOT NULL,"
	"  field_set   TEXT NOT NULL,"
	"  fix_days    INTEGER NOT NULL,"
	"  ack_days    INTEGER NOT NULL,"
	"  report_days INTEGER NOT NULL,"
	"  created     TEXT NOT NULL);"
	"CREATE UNIQUE INDEX libraries_one_national ON libraries(national) WHERE national = 1;"
	"CREATE TABLE library_blackouts("
	"  library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,"
	"  idx        INTEGER NOT NULL,"
	"  starts     INTEGER NOT NULL,"
	"  ends       INTEGER NOT NULL,"
	"  reason     TEXT NOT NULL,"
	"  PRIMARY KEY(library_id, idx)) WITHOUT ROWID;"
	"CREATE TABLE library_seq("
	"  library_id INTEGER NOT NULL REFERENCES libraries(id),"
	"  month      TEXT NOT NULL,"
	"  last       INTEGER NOT NULL,"
	"  PRIMARY KEY(library_id, month)) WITHOUT ROWID;"
	"CREATE TABLE audit("
	"  seq     INTEGER PRIMARY KEY,"
	"  at      TEXT NOT NULL,"
	"  actor   TEXT NOT NULL,"
	"  action  TEXT NOT NULL,"
	"  target  TEXT NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  why     TEXT NOT NULL,"
	"  prev    TEXT NOT NULL,"
	"  hash    TEXT NOT NULL);"
	"CREATE INDEX audit_at ON audit(at);"
	"CREATE TABLE audit_meta("
	"  id          INTEGER PRIMARY KEY CHECK (id = 1),"
	"  anchor_seq  INTEGER NOT NULL,"
	"  anchor_hash TEXT NOT NULL,"
	"  head_seq    INTEGER NOT NULL,"
	"  head_hash   TEXT NOT NULL);"
	"CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit BEGIN"
	"  SELECT RAISE(ABORT, 'the audit chain is append-only'); END;"
	"CREATE TRIGGER audit_keep_6_months BEFORE DELETE ON audit"
	"  WHEN old.at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-6 months') BEGIN"
	"  SELECT RAISE(ABORT, 'audit entries younger than 6 months are kept (Art. 5)'); END;",
	/* 5 → 6: disclosure cases (sqlite_case.c, docs/workflow.md): the case
	 * document with its index columns, parties (assignments, vendors), the
	 * thread / history, attachment metadata, the notifications log and the
	 * reminders fired (one row per (case, kind): fired exactly once). */
	"CREATE TABLE cases("
	"  id          INTEGER PRIMARY KEY,"
	"  state       TEXT NOT NULL,"
	"  library     TEXT NOT NULL,"
	"  record_id   TEXT,"
	"  reporter_id INTEGER NOT NULL,"
	"  created     TEXT NOT NULL,"
	"  updated     TEXT NOT NULL,"
	"  doc         TEXT NOT NULL);"
	"CREATE INDEX cases_state ON cases(state);"
	"CREATE INDEX cases_reporter ON cases(reporter_id);"
	"CREATE UNIQUE INDEX cases_record ON cases(record_id) WHERE record_id IS NOT NULL;"
	"CREATE TABLE case_parties("
	"  case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  kind     TEXT NOT NULL,"
	"  party_id INTEGER NOT NULL,"
	"  PRIMARY KEY(case_id, kind, party_id)) WITHOUT ROWID;"
	"CREATE INDEX case_parties_party ON case_parties(kind, party_id);"
	"CREATE TABLE case_events("
	"  id         INTEGER PRIMARY KEY,"
	"  case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  at         TEXT NOT NULL,"
	"  actor      TEXT NOT NULL,"
	"  kind       TEXT NOT NULL,"
	"  from_state TEXT,"
	"  to_state   TEXT,"
	"  text       TEXT,"
	"  visibility TEXT NOT NULL);"
	"CREATE INDEX case_events_case ON case_events(case_id, id);"
	"CREATE TABLE case_attachments("
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  sha256  TEXT NOT NULL,"
	"  name    TEXT NOT NULL,"
	"  size    INTEGER NOT NULL,"
	"  kind    TEXT NOT NULL,"
	"  publish INTEGER NOT NULL DEFAULT 0,"
	"  by_user INTEGER NOT NULL,"
	"  at      TEXT NOT NULL,"
	"  PRIMARY KEY(case_id, sha256)) WITHOUT ROWID;"
	"CREATE TABLE case_notices("
	"  id        INTEGER PRIMARY KEY,"
	"  case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  at        TEXT NOT NULL,"
	"  kind      TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  subject   TEXT NOT NULL,"
	"  status    TEXT NOT NULL);"
	"CREATE INDEX case_notices_case ON case_notices(case_id);"
	"CREATE TABLE case_reminders("
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  kind    TEXT NOT NULL,"
	"  at      TEXT NOT NULL,"
	"  PRIMARY KEY(case_id, kind)) WITHOUT ROWID;",
	/* (issue 8) SBOM matching: case-insensitive package lookups; the CPEs
	 * of affected entries by "vendor:product:..." (lower case, the text after
	 * the part of a 2.3 formatted string or a URI), kept in step with the
	 * affected rows by a trigger (rows go with their entry through the
	 * foreign key); each affected entry's JSON, cut from the doc once at
	 * write time (matching reads many entries: parsing whole docs per
	 * candidate was most of its time); VEX statements per (product,
	 * vulnerability). */
	"CREATE INDEX affected_package_nocase ON affected(package COLLATE NOCASE);"
	"CREATE TABLE affected_cpe("
	"  record_id TEXT NOT NULL,"
	"  idx       INTEGER NOT NULL,"
	"  vp        TEXT NOT NULL,"
	"  FOREIGN KEY(record_id, idx) REFERENCES affected(record_id, idx) ON DELETE CASCADE);"
	"CREATE INDEX affected_cpe_vp ON affected_cpe(vp);"
	"CREATE INDEX affected_cpe_entry ON affected_cpe(record_id, idx);"
	"CREATE TRIGGER affected_cpe_add AFTER INSERT ON affected"
	" WHEN instr((SELECT doc FROM records WHERE id = NEW.record_id), '\"cpes\"') > 0 BEGIN"
	" INSERT INTO affected_cpe(record_id, idx, vp)"
	"  SELECT NEW.record_id, NEW.idx, lower(CASE WHEN j.value LIKE 'cpe:2.3:_:%' THEN substr(j.value, 11) ELSE substr(j.value, 8) END)"
	"  FROM records r, json_each(r.doc, '$.affected[' || NEW.idx || '].cpes') j"
	"  WHERE r.id = NEW.record_id AND j.type = 'text' AND (j.value LIKE 'cpe:2.3:_:%' OR j.value LIKE 'cpe:/_:%');"
	" END;"
	"INSERT INTO affected_cpe(record_id, idx, vp)"
	" SELECT a.record_id, a.idx, lower(CASE WHEN j.value LIKE 'cpe:2.3:_:%' THEN substr(j.value, 11) ELSE substr(j.value, 8) END)"
	" FROM affected a JOIN records r ON r.id = a.record_id,"
	" json_each(r.doc, '$.affected[' || a.idx || '].cpes') j"
	" WHERE instr(r.doc, '\"cpes\"') > 0 AND j.type = 'text' AND (j.value LIKE 'cpe:2.3:_:%' OR j.value LIKE 'cpe:/_:%');"
	"CREATE TABLE affected_json("
	"  record_id TEXT NOT NULL,"
	"  idx       INTEGER NOT NULL,"
	"  json      TEXT NOT NULL,"
	"  PRIMARY KEY(record_id, idx),"
	"  FOREIGN KEY(record_id, idx) REFERENCES affected(record_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
	"CREATE TRIGGER affected_json_add AFTER INSERT ON affected BEGIN"
	" INSERT INTO affected_json(record_id, idx, json)"
	"  SELECT NEW.record_id, NEW.idx, json_extract(r.doc, '$.affected[' || NEW.idx || ']')"
	"  FROM records r WHERE r.id = NEW.record_id;"
	" END;"
	"INSERT INTO affected_json(record_id, idx, json)"
	" SELECT a.record_id, a.idx, json_extract(r.doc, '$.affected[' || a.idx || ']')"
	" FROM affected a JOIN records r ON r.id = a.record_id;"
	"CREATE TABLE vex_statements("
	"  product       TEXT NOT NULL,"
	"  vuln_id       TEXT NOT NULL COLLATE NOCASE,"
	"  state         TEXT NOT NULL,"
	"  justification TEXT,"
	"  detail        TEXT,"
	"  response      TEXT,"
	"  source        TEXT,"
	"  updated       TEXT NOT NULL,"
	"  PRIMARY KEY(product, vuln_id)) WITHOUT ROWID;",

	/* Per-entry JSON and CPE rows are written by record_put from the record
	 * it holds (the triggers parsed the whole document once per affected
	 * entry, twice: most of the import time). */
	"DROP TRIGGER IF EXISTS affected_cpe_add; DROP TRIGGER IF EXISTS affected_json_add;",

	/* Stored documents (records.doc, sources.doc) are zstd frames from now
	 * on, most of them with a dictionary trained on the database's own
	 * documents (sqlite_doc.c); older text documents are read as they are. */
	"CREATE TABLE zdicts("
	"  id      INTEGER PRIMARY KEY,"   /* the dictionary id zstd writes into each frame */
	"  dict    BLOB NOT NULL,"
	"  created TEXT NOT NULL);",

	/* CPE candidates by "vendor:product" only, one row per product of an
	 * entry (affected_cpe held one row per CPE, most of them repeating the
	 * product): the key SBOM matching looks up, exactly.  The migration
	 * cuts the old rows at the second ':' (escaped colons, which no real
	 * vendor or product name here holds, are not told apart). */
	"CREATE TABLE affected_vp("
	"  vp        TEXT NOT NULL,"
	"  record_id TEXT NOT NULL,"
	"  idx       INTEGER NOT NULL,"
	"  PRIMARY KEY(vp, record_id, idx),"
	"  FOREIGN KEY(record_id, idx) REFERENCES affected(record_id, idx) ON DELETE CASCADE) WITHOUT ROWID;"
	"CREATE INDEX affected_vp_entry ON affected_vp(record_id, idx);"
	"INSERT OR IGNORE INTO affected_vp(vp, record_id, idx)"
	" SELECT substr(vp, 1, instr(vp, ':') + instr(substr(vp, instr(vp, ':') + 1) || ':', ':') - 1), record_id, idx"
	" FROM affected_cpe WHERE instr(vp, ':') > 0;"
	"DROP TABLE affected_cpe;",

	/* Each affected entry's JSON moves into its row (one b-tree less per
	 * entry), and the package and purl indexes skip the rows without one
	 * (every CPE-only entry of NVD, CNNVD, CNVD). */
	"ALTER TABLE affected ADD COLUMN json BLOB;"
	"UPDATE affected SET json = (SELECT j.json FROM affected_json j"
	" WHERE j.record_id = affected.record_id AND j.idx = affected.idx);"
	"DROP TABLE affected_json;"
	"DROP INDEX affected_package; DROP INDEX affected_purl; DROP INDEX affected_package_nocase;"
	"CREATE INDEX affected_package ON affected(ecosystem, package) WHERE package IS NOT NULL;"
	"CREATE INDEX affected_purl ON affected(purl) WHERE purl IS NOT NULL;"
	"CREATE INDEX affected_package_nocase ON affected(package COLLATE NOCASE) WHERE package IS NOT NULL;",
};

#define VD_SQLITE_SCHEMA_LATEST ((int)(sizeof vd_sqlite_migrations / sizeof vd_sqlite_migrations[0]))

#endif
