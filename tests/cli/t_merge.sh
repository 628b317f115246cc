#!/bin/sh
# One CVE from three sources (CVE 5, NVD 2.0, OSV/PyPI), merged field by
# field: CVE-2023-45803 (urllib3).  Expectations checked by reading
# cve5/cves/2023/45xxx/CVE-2023-45803.json, nvd2/osv.dev/page-13-cves.json
# and osv/pypi/urllib3/PYSEC-2023-212.yaml.  Also: the merged record is the
# same whatever order the three are imported in.
. tests/cli_lib.sh
D="$SHARED/data"
C="$D/cve5/cves/2023/45xxx/CVE-2023-45803.json"
N="$D/nvd2/osv.dev/page-13-cves.json"
O="$D/osv/pypi/urllib3/PYSEC-2023-212.yaml"
for f in "$C" "$N" "$O"; do
  [ -f "$f" ] || { fail "shared data present" "$f missing"; done_tests; exit 1; }
done
V() { "$VULND" -q --db "$TMP/m.db" "$@"; }
V db init >/dev/null
V import auto "$O" 2>/dev/null; V import auto "$N" 2>/dev/null; V import auto "$C" 2>/dev/null
expect_status "show the merged record" 0 V show --json PYSEC-2023-212
V show --json PYSEC-2023-212 > "$TMP/m.json"
py() { python3 -c "import json; d=json.load(open('$TMP/m.json')); print($1)" 2>&1; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', expected '$3'"; fi; }
is "id is the CVE (the anchor)" "$(py 'd["id"]')" "CVE-2023-45803"
is "title.en from CVE 5 (cna.title)" "$(py 'd["title"]["en"]')" "Request body not stripped after redirect in urllib3"
is "published from CVE 5 (datePublished)" "$(py 'd["published"]')" "2023-10-17T19:43:45Z"
is "modified: the newest of the three (NVD lastModified)" "$(py 'd["modified"]')" "2025-11-03T22:16:28Z"
is "aliases: the OSV id and the GHSA" "$(py 'sorted(a["id"] for a in d["aliases"])')" "['GHSA-g4mx-q9vg-27p4', 'PYSEC-2023-212']"
is "CWE-200 (cna cweId; NVD's NVD-CWE-noinfo dropped)" "$(py 'd["cwes"]')" "['CWE-200']"
is "scores: cna, both NVD metrics, OSV severity" "$(py 'sorted(s["source"] for s in d["scores"])')" "['cna', 'nvd:nvd@nist.gov', 'nvd:security-advisories@github.com', 'osv']"
is "the NVD primary score is 4.2" "$(py '[s["base_score"] for s in d["scores"] if s["source"] == "nvd:nvd@nist.gov"]')" "[4.2]"
is "grade computed from CVSS 3.1 4.2: medium" "$(py 'd["grade"]')" "medium"
is "affected entries from every source" "$(py 'sorted(set(a["source"] for a in d["affected"]))')" "['cve5', 'nvd2', 'osv']"
is "OSV package kept" "$(py '[a["package"] for a in d["affected"] if a["source"] == "osv"]')" "['urllib3']"
is "references: the 7 distinct URLs of the three sources" "$(py 'len(d["references"])')" "7"
is "the OSV description lost to CVE 5 and says so" "$(py '[p["source"] for p in d["provenance"] if p["field"] == "description.en" and p.get("overridden")]')" "['osv']"
is "NVD published lost and says so" "$(py 'any(p["source"] == "nvd2" and p.get("overridden") for p in d["provenance"] if p["field"] == "published")')" "True"
# the other five orders give the same document
for order in "$C $N $O" "$C $O $N" "$N $C $O" "$N $O $C" "$O $C $N"; do
  rm -f "$TMP"/o.db*
  "$VULND" -q --db "$TMP/o.db" db init >/dev/null
  for f in $order; do "$VULND" -q --db "$TMP/o.db" import auto "$f" 2>/dev/null; done
  "$VULND" -q --db "$TMP/o.db" show --json CVE-2023-45803 > "$TMP/o.json"
  if cmp -s "$TMP/m.json" "$TMP/o.json"; then ok "same record in order $(for f in $order; do basename "$f"; done | tr '\n' ' ')"
  else fail "same record in another order" "$(diff "$TMP/m.json" "$TMP/o.json" | head -8)"; fi
done
done_tests
