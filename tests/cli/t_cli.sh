#!/bin/sh
# CLI behaviour: help, exit codes, import (file, dir, bundle, stdin), bad input,
# idempotent re-import, alias joins, show/search output shapes.
. tests/cli_lib.sh
D="$SHARED/data"
DB="$TMP/t.db"
V() { "$VULND" --db "$DB" "$@"; }

expect_status "global --help" 0 "$VULND" --help
expect_grep "--help lists import" "import" "$OUT"
expect_status "unknown command → 2" 2 "$VULND" frobnicate
expect_grep "unknown command says so" "unknown command 'frobnicate'" "$ERR"
expect_status "unknown global option → 2" 2 "$VULND" --nope
expect_status "help import" 0 "$VULND" help import
expect_grep "help import shows synopsis" "import FORMAT PATH" "$OUT"
expect_status "import --help" 0 "$VULND" import --help
expect_status "help --man" 0 "$VULND" help --man
expect_grep "man page header" "^.TH VULND 1" "$OUT"
if "$VULND" help --man | cmp -s - docs/man/vulnd.1; then ok "docs/man/vulnd.1 is the generated page"
else fail "docs/man/vulnd.1 is the generated page" "it differs from \`vulnd help --man\`: run make man"; fi
expect_status "show on a missing db → 2" 2 "$VULND" --db "$TMP/none.db" show CVE-2021-44228
expect_grep "missing db message" "db init" "$ERR"

expect_status "db init" 0 V db init
expect_status "db init again (idempotent)" 0 V db init
expect_grep "db init says up to date" "up to date" "$OUT"
expect_status "db stats --json" 0 V db stats --json
expect_grep "empty db has 0 records" '"records": 0' "$OUT"
expect_status "import: wrong arg count → 2" 2 V import cve5
expect_status "import: unknown format → 2" 2 V import nosuch "$D/cve5"
expect_status "import: missing path → 2" 2 V import auto "$TMP/does-not-exist"

if [ ! -d "$D/cve5" ]; then
  fail "shared data present" "$D/cve5 missing: tests need ../shared/data (set SHARED)"
  done_tests; exit 1
fi

F="$D/cve5/cves/2021/43xxx/CVE-2021-43784.json"
expect_status "import one CVE 5 file" 0 V import cve5 "$F"
expect_grep "one new" "1 read, 1 new" "$ERR"
expect_status "re-import same file" 0 V import cve5 "$F"
expect_grep "re-import changes nothing" "0 new, 0 changed, 1 unchanged" "$ERR"
expect_status "import OSV record aliasing that CVE" 0 V import auto "$D/osv/go/GO-2022-0274.json"
expect_grep "OSV joins by alias" "1 joined by alias" "$ERR"
expect_grep "OSV detected" "detected: osv 1" "$ERR"
expect_status "show by OSV id finds the CVE record" 0 V show --json GO-2022-0274
expect_grep "joined record id is the CVE" '"id": "CVE-2021-43784"' "$OUT"
expect_grep "alias GHSA carried over" 'GHSA-v95c-p5hm-xq8f' "$OUT"
expect_grep "osv provenance kept" '"source": "osv"' "$OUT"
expect_status "show by lower-case alias" 0 V show cve-2021-43784
expect_grep "text show has title" "netlink" "$OUT"
expect_status "stats: still one record" 0 V db stats --json
expect_grep "one record, two sources" '"sources": 2' "$OUT"
# Manual edits win over imports, now and later; provenance shows who set what.
expect_status "edit title.zh" 0 V edit GO-2022-0274 title.zh "runc 命名空间限制绕过漏洞"
expect_status "edit title.en" 0 V edit CVE-2021-43784 title.en "Hand-written title"
expect_status "show after edit" 0 V show --json CVE-2021-43784
expect_grep "zh title set by hand" '"zh": "runc 命名空间限制绕过漏洞"' "$OUT"
expect_grep "en title set by hand" '"en": "Hand-written title"' "$OUT"
python3 - "$F" "$TMP/newer.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["cveMetadata"]["dateUpdated"] = "2030-01-01T00:00:00.000Z"
d["containers"]["cna"]["title"] = "A newer title from the CNA"
json.dump(d, open(sys.argv[2], "w"))
PY
expect_status "import a newer CVE 5 version" 0 V import cve5 "$TMP/newer.json"
expect_grep "import counts the kept edit" "1 hand-edited fields kept" "$ERR"
expect_status "show --provenance" 0 V show --provenance CVE-2021-43784
expect_grep "provenance: manual title" "title.en .* manual" "$OUT"
expect_grep "provenance: losing cve5 title listed" "title.en .*(lost) *cve5" "$OUT"
expect_status "remove the manual edit" 0 V edit CVE-2021-43784 title.en ""
expect_status "show after removing the edit" 0 V show --json CVE-2021-43784
expect_grep "imported newer title shows again" "A newer title from the CNA" "$OUT"
expect_status "edit: unknown field → 2" 2 V edit CVE-2021-43784 colour blue
expect_grep "edit lists the fields" "not an editable field (state, published" "$ERR"
expect_status "edit: bad grade → 2" 2 V edit CVE-2021-43784 grade enormous
expect_status "edit: bad date → 2" 2 V edit CVE-2021-43784 published yesterday
expect_status "edit: unknown record → 1" 1 V edit CVE-1999-99999 title.en x
expect_status "edit state → unpublished" 0 V edit CVE-2021-43784 state unpublished
expect_status "search hides unpublished" 1 V search netlink
expect_status "search --all shows it" 0 V search --all netlink
expect_status "edit state back" 0 V edit CVE-2021-43784 state ""
expect_status "show unknown → 1" 1 V show CVE-1999-99999
expect_grep "show unknown says so" "no record CVE-1999-99999" "$ERR"
expect_status "search hit" 0 V search netlink
expect_grep "search finds it" "CVE-2021-43784" "$OUT"
expect_status "search --json" 0 V search --json runc
expect_grep "search json shape" '"id":"CVE-2021-43784"' "$OUT"
expect_status "search no match → 1" 1 V search zzzznotthere
expect_status "search bad severity → 2" 2 V search --severity huge x
expect_status "import from stdin" 0 sh -c "cat '$D/osv/go/GO-2020-0001.json' | '$VULND' --db '$DB' import osv -"
expect_grep "stdin: one new" "1 read, 1 new" "$ERR"

# Bad input: each is reported with where and why, skipped, the rest imported.
B="$TMP/bad"; mkdir -p "$B"
printf '{"id": "GO-X", "modified": ' > "$B/truncated.json"
printf '{"id":"GO-Y","modified":"2024-01-01T00:00:00Z","id":"GO-Z"}' > "$B/dupkey.json"
printf '{"id":"GO-\377\376","modified":"2024-01-01T00:00:00Z"}' > "$B/badutf8.json"
python3 -c "print('['*100000)" > "$B/deep.json"
printf '{"hello": "world"}' > "$B/unknown.json"
cat > "$B/array.json" <<'J'
[{"id":"GO-TEST-0001","modified":"2024-01-01T00:00:00Z","summary":"first good"},
 {"id":"GO-TEST-0002"},
 {"id":"GO-TEST-0003","modified":"2024-02-01T00:00:00Z","summary":"third good"}]
J
expect_status "bad inputs: exit 1 (some skipped)" 1 V import auto "$B"
expect_grep "truncated reported with position" "truncated.json: line 1, column .*truncated input" "$ERR"
expect_grep "duplicate key reported" 'dupkey.json: duplicate key "id"' "$ERR"
expect_grep "invalid UTF-8 reported" "badutf8.json: line 1" "$ERR"
expect_grep "deep nesting reported" "deep.json\[0\]: line 1, column .*nesting deeper than 64" "$ERR"
expect_grep "unknown format reported" "unknown.json: not a recognised record" "$ERR"
expect_grep "array element reported by index" "array.json\[1\]: .*modified" "$ERR"
expect_grep "good array elements imported" "2 new" "$ERR"
expect_status "good element is there" 0 V show GO-TEST-0003
expect_status "bad element is not" 1 V show GO-TEST-0002

# Bundles: zip and tar.gz of a cvelistV5-style tree.
mkdir -p "$TMP/tree/cves/2021/44xxx"
cp "$D/cve5/cves/2021/44xxx/"*.json "$TMP/tree/cves/2021/44xxx/"
n=$(ls "$TMP/tree/cves/2021/44xxx" | wc -l)
(cd "$TMP/tree" && python3 -c "
import zipfile,os
z=zipfile.ZipFile('../bundle.zip','w',zipfile.ZIP_DEFLATED)
for r,_,fs in os.walk('cves'):
    for f in fs: z.write(os.path.join(r,f))
z.close()")
tar -czf "$TMP/bundle.tar.gz" -C "$TMP/tree" cves
DB2="$TMP/z.db"
expect_status "import .zip bundle" 0 "$VULND" --db "$DB2" import auto "$TMP/bundle.zip"
expect_grep "zip: all entries read" "$n read, $n new" "$ERR"
expect_status "import .tar.gz bundle of the same" 0 "$VULND" --db "$DB2" import cve5 "$TMP/bundle.tar.gz"
expect_grep "tar.gz: same records unchanged" "$n read, 0 new, 0 changed, $n unchanged" "$ERR"
expect_status "db check clean" 0 "$VULND" --db "$DB2" db check
expect_status "import the CWE research view" 0 "$VULND" --db "$DB2" import cwe "$D/cwe/cwe-view-1000.csv"
expect_status "show with CWE names" 0 "$VULND" --db "$DB2" show CVE-2021-44228
expect_grep "show names the CWE" "CWE-502  Deserialization of Untrusted Data" "$OUT"
expect_grep "show names the GB/T 30279 class" "class        1.8 数据转换问题 / Data conversion issues" "$OUT"
expect_status "score --help" 0 "$VULND" score --help
done_tests
