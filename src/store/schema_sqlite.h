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
};

#define VD_SQLITE_SCHEMA_LATEST ((int)(sizeof vd_sqlite_migrations / sizeof vd_sqlite_migrations[0]))

#endif
