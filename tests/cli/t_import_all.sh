#!/bin/sh
# Golden import of all of ../shared/data/cve5 and ../shared/data/osv:
# counts computed independently (python3 reading the same files, applying
# the documented join rule) must equal what vulnd reports and stores;
# a second import changes nothing; db check is clean.
. tests/cli_lib.sh
D="$SHARED/data"
DB="$TMP/all.db"
if [ ! -d "$D/cve5" ] || [ ! -d "$D/osv" ]; then
  fail "shared data present" "$D/cve5 or $D/osv missing: set SHARED=/path/to/shared"; done_tests; exit 1
fi
python3 - "$D" > "$TMP/expect" <<'PY'
import json, os, sys
try:
    import yaml
except ImportError:
    sys.exit("python3 has no yaml module (Debian: python3-yaml; make deps installs it)")
d = sys.argv[1]
def files(root, exts):
    for r, ds, fs in sorted(os.walk(root)):
        ds.sort()
        for f in sorted(fs):
            if f.endswith(exts) and not f.startswith('.'):
                yield os.path.join(r, f)
anchors = set(); sources = set(); joined = 0
def anchor(sid, aliases):
    # docs/merge.md: own CVE id, else smallest CVE alias, else smallest GHSA, else own id
    if sid.startswith('CVE-'):
        return sid
    cves = sorted(a for a in aliases if a.startswith('CVE-'))
    if cves:
        return cves[0]
    gh = sorted(a for a in [sid] + aliases if a.startswith('GHSA-'))
    return gh[0] if gh else sid
def add(src, sid, aliases):
    global joined
    if (src, sid) in sources:
        return
    sources.add((src, sid))
    a = anchor(sid, aliases)
    if a in anchors:
        joined += 1
    anchors.add(a)
cve = 0
for p in files(os.path.join(d, 'cve5'), ('.json',)):
    j = json.load(open(p)); cve += 1
    add('cve5', j['cveMetadata']['cveId'], [])
osv = 0
for p in files(os.path.join(d, 'osv'), ('.json', '.yaml', '.yml')):
    if p.endswith('.json'):
        j = json.load(open(p))
    elif yaml:
        j = yaml.safe_load(open(p))
    else:
        continue
    osv += 1
    add('osv', j['id'], [a for a in j.get('aliases') or []])
print(cve, osv, len(anchors), len(sources), joined)
PY
read CVE OSV RECORDS SOURCES JOINED < "$TMP/expect"
if [ -z "$JOINED" ]; then fail "python reference counts" "the reference script failed"; done_tests; exit 1; fi
echo "expected: cve5 files $CVE, osv files $OSV, records $RECORDS, sources $SOURCES, joined $JOINED"
[ "$CVE" -eq 1416 ] && ok "python reference sees 1416 CVE 5 files (SOURCES.md: 1414 + 2 examples)" || fail "cve5 file count" "$CVE"

"$VULND" --db "$DB" db init >/dev/null
expect_status "import all cve5" 0 "$VULND" --db "$DB" import auto "$D/cve5"
expect_grep "cve5: every file read, none skipped" "$CVE read, .* 0 skipped" "$ERR"
expect_status "import all osv (JSON + YAML)" 0 "$VULND" --db "$DB" import auto "$D/osv"
expect_grep "osv: every file read, none skipped" "$OSV read, .* 0 skipped" "$ERR"
expect_grep "osv: joins by alias as computed" "$JOINED joined by alias" "$ERR"
expect_status "stats" 0 "$VULND" --db "$DB" db stats --json
expect_grep "record count as computed" "\"records\": $RECORDS" "$OUT"
expect_grep "source count as computed" "\"sources\": $SOURCES" "$OUT"
expect_grep "97 rejected CVEs (SOURCES.md)" '"rejected": 97' "$OUT"
expect_status "re-import cve5" 0 "$VULND" --db "$DB" import auto "$D/cve5"
expect_grep "cve5 re-import changes nothing" "0 new, 0 changed, $CVE unchanged" "$ERR"
expect_status "re-import osv" 0 "$VULND" --db "$DB" import auto "$D/osv"
expect_grep "osv re-import changes nothing" "0 new, 0 changed, $OSV unchanged" "$ERR"
expect_status "db check clean after import" 0 "$VULND" --db "$DB" db check
# order independence: osv first, then cve5, gives the same final state (full dumps)
DB2="$TMP/rev.db"
"$VULND" -q --db "$DB2" import auto "$D/osv" 2>/dev/null
"$VULND" -q --db "$DB2" import auto "$D/cve5" 2>/dev/null
# documents are zstd frames, most with a dictionary from the zdicts table
# (src/store/sqlite_doc.c); each database trains its own, so the stored
# bytes differ: compare the text, read here independently of vulnd (Debian's
# python3 with python3-zstandard, installed by make deps)
dump() { /usr/bin/python3 -c "
import sqlite3, sys, zstandard
c = sqlite3.connect(sys.argv[1])
dicts = {i: zstandard.ZstdCompressionDict(d) for i, d in c.execute('SELECT id, dict FROM zdicts')}
def text(b):
    if isinstance(b, str): return b
    i = zstandard.get_frame_parameters(b).dict_id
    z = zstandard.ZstdDecompressor(dict_data=dicts[i]) if i else zstandard.ZstdDecompressor()
    return z.decompress(b).decode()
for (d,) in c.execute('SELECT doc FROM records ORDER BY id'): print(text(d))
for r in c.execute('SELECT source, source_id, record_id, doc FROM sources ORDER BY 1,2'): print(*r[:3], text(r[3]))
print('dictionaries:', len(dicts), file=sys.stderr)
" "$1"; }
dump "$DB" > "$TMP/a.dump"; dump "$DB2" > "$TMP/b.dump"
if [ -s "$TMP/a.dump" ] && cmp -s "$TMP/a.dump" "$TMP/b.dump"; then ok "final state independent of import order ($(wc -l < "$TMP/a.dump") rows compared)"
else fail "final state independent of import order" "$(diff "$TMP/a.dump" "$TMP/b.dump" | head -10 | cut -c1-300)"; fi
done_tests
