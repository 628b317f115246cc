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
};

#define VD_SQLITE_SCHEMA_LATEST ((int)(sizeof vd_sqlite_migrations / sizeof vd_sqlite_migrations[0]))

#endif
