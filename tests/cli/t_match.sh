#!/bin/sh
# `vulnd match`: SBOM → findings against real records from ../shared/data,
# exit statuses, --json, --fail-on, VEX out → edit → VEX in (suppression),
# stored VEX, and a real SBOM (proton-bridge v1.8.0, CycloneDX 1.2 JSON and
# XML) against Go records whose ranges were checked by hand:
#   gin v1.4.0:  GO-2020-0001 (fixed 1.6.0), GO-2021-0052 (fixed 1.7.7),
#                GO-2023-1737 (introduced 1.3.1-0.2019…, fixed 1.9.1) → affected
#   yaml.v3 v3.0.0-20200313102051-…: GO-2022-0603 (fixed 3.0.0-20220521…) → affected
#   gorilla/websocket v1.4.1: GO-2020-0019 fixed 1.4.1 → not affected
#   yaml.v2 v2.2.8: GO-2022-0956 (2.2.4), GO-2020-0036 (2.2.8), GO-2021-0061 (2.2.3) → not affected
. tests/cli_lib.sh
D="$SHARED/data"
DB="$TMP/m.db"
V() { "$VULND" --db "$DB" -q "$@"; }

if [ ! -d "$D/osv/go" ]; then
  fail "shared data present" "$D/osv/go missing (set SHARED)"; done_tests; exit 1
fi
expect_status "db init" 0 V db init
mkdir -p "$TMP/rec"
for id in GO-2020-0001 GO-2021-0052 GO-2023-1737 GO-2022-0603 GO-2020-0019 GO-2022-0956 GO-2020-0036 GO-2021-0061; do
  cp "$D/osv/go/$id.json" "$TMP/rec/"
done
cp "$D/osv/pypi/aiohttp-session/PYSEC-2018-35.yaml" "$TMP/rec/"
expect_status "import 9 real OSV records" 0 V import auto "$TMP/rec"
expect_status "import an NVD page (CPE records)" 0 V import nvd2 "$D/nvd2/pablotron-nvd-go/cves-2023-page.json"

cat > "$TMP/app.cdx.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","serialNumber":"urn:uuid:00000000-0000-4000-8000-000000000001",
 "metadata":{"component":{"type":"application","name":"demo-app","version":"1.0"}},
 "components":[
  {"type":"library","bom-ref":"gin","name":"gin","group":"github.com/gin-gonic","version":"v1.4.0","purl":"pkg:golang/github.com/gin-gonic/gin@v1.4.0"},
  {"type":"library","bom-ref":"gin-new","name":"gin","version":"v1.9.1","purl":"pkg:golang/github.com/gin-gonic/gin@v1.9.1"},
  {"type":"library","bom-ref":"yaml3","name":"yaml.v3","version":"v3.0.0-20200313102051-9f266ea9e77c","purl":"pkg:golang/gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c"},
  {"type":"library","bom-ref":"sess","name":"Aiohttp_Session","version":"2.5.1","purl":"pkg:pypi/Aiohttp_Session@2.5.1"},
  {"type":"library","bom-ref":"lancet","name":"lancet","version":"1.2.0","cpe":"cpe:2.3:a:lancet_project:lancet:1.2.0:*:*:*:*:go:*:*"},
  {"type":"library","bom-ref":"lancet-new","name":"lancet","version":"2.1.10","cpe":"cpe:2.3:a:lancet_project:lancet:2.1.10:*:*:*:*:go:*:*"},
  {"type":"library","bom-ref":"plain","name":"no-identifiers","version":"1.0"}
 ]}
JSON

expect_status "match with findings → 1" 1 V match "$TMP/app.cdx.json"
for id in GO-2020-0001 GO-2021-0052 GO-2023-1737 GO-2022-0603 PYSEC-2018-35; do
  expect_grep "finding $id" "$id" "$OUT"
done
expect_grep "gin fixed version shown" "GO-2021-0052.* 1.7.7" "$OUT"
expect_grep "pypi name normalised (Aiohttp_Session → aiohttp-session), fixed 2.7.0" "Aiohttp_Session .*2.7.0" "$OUT"
expect_grep "CPE-only component matched through the CPE index" "^lancet  *1.2.0 .* 1.3.4" "$OUT"
expect_grep "summary" "6 findings in 4 of 7 components (6 matchable" "$OUT"
if printf '%s' "$OUT" | grep -q "v1.9.1\|2.1.10"; then fail "fixed versions not reported"; else ok "fixed versions not reported"; fi

expect_status "--json" 1 V match --json "$TMP/app.cdx.json"
printf '%s' "$OUT" > "$TMP/out.json"
n=$(python3 -c "import json,sys; d=json.load(open('$TMP/out.json')); print(len(d['findings']), d['summary']['findings'], d['sbom']['format'], sorted(f['matched_by'] for f in d['findings'])[0])")
if [ "$n" = "6 6 cyclonedx-json cpe" ]; then ok "json findings"; else fail "json findings" "got: $n"; fi

expect_status "--fail-on critical: nothing critical → 0" 0 V match --fail-on critical "$TMP/app.cdx.json"
expect_status "--fail-on high: the NVD record is high → 1" 1 V match --fail-on high "$TMP/app.cdx.json"
expect_status "--fail-on any → 1" 1 V match --fail-on any "$TMP/app.cdx.json"
expect_status "--fail-on bogus → 2" 2 V match --fail-on bogus "$TMP/app.cdx.json"
expect_status "missing file → 2" 2 V match "$TMP/nope.json"
printf '{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}' > "$TMP/s3.json"
expect_status "SPDX 3 refused → 2" 2 V match "$TMP/s3.json"
expect_grep "SPDX 3 message" "SPDX 3.0" "$ERR"
printf 'garbage' > "$TMP/bad.txt"
expect_status "garbage → 2" 2 V match "$TMP/bad.txt"
expect_status "usage → 2" 2 V match

# the same components as SPDX tag-value: same findings
cat > "$TMP/app.spdx" <<'TV'
SPDXVersion: SPDX-2.3
DocumentName: demo
PackageName: gin
SPDXID: SPDXRef-gin
PackageVersion: v1.4.0
ExternalRef: PACKAGE-MANAGER purl pkg:golang/github.com/gin-gonic/gin@v1.4.0
PackageName: lancet
SPDXID: SPDXRef-lancet
PackageVersion: 1.2.0
ExternalRef: SECURITY cpe23Type cpe:2.3:a:lancet_project:lancet:1.2.0:*:*:*:*:go:*:*
TV
expect_status "SPDX tag-value match → 1" 1 V match "$TMP/app.spdx"
expect_grep "SPDX summary" "4 findings in 2 of 2 components" "$OUT"

# VEX out → mark one not_affected, one affected → VEX in
expect_status "--vex-out" 1 V match --vex-out "$TMP/vex.json" "$TMP/app.cdx.json"
python3 - "$TMP/vex.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for v in d["vulnerabilities"]:
    ref = v["affects"][0]["ref"]
    if ref == "gin" and v["id"].startswith("CVE-2020-36567"):
        v["analysis"] = {"state": "not_affected", "justification": "code_not_reachable"}
    elif ref == "yaml3":
        v["analysis"] = {"state": "exploitable"}
json.dump(d, open(p, "w"))
PY
n=$(python3 -c "import json; d=json.load(open('$TMP/vex.json')); print(d['bomFormat'], d['specVersion'], len(d['vulnerabilities']), len(d['components']))")
if [ "$n" = "CycloneDX 1.5 6 4" ]; then ok "vex-out document"; else fail "vex-out document" "got: $n"; fi
expect_status "match --vex: one suppressed" 1 V match --vex "$TMP/vex.json" "$TMP/app.cdx.json"
expect_grep "5 findings + 1 suppressed" "5 findings in 4 of 7 components .*1 suppressed by VEX" "$OUT"
if printf '%s' "$OUT" | grep -q "GO-2020-0001"; then fail "not_affected finding hidden"; else ok "not_affected finding hidden"; fi
expect_grep "affected state shown" "GO-2022-0603.*affected" "$OUT"
expect_grep "in_triage shown as under_investigation" "under_investigation" "$OUT"
expect_status "--show-suppressed" 1 V match --show-suppressed --vex "$TMP/vex.json" "$TMP/app.cdx.json"
expect_grep "suppressed row listed with its state" "GO-2020-0001.*not_affected (code_not_reachable)" "$OUT"
expect_status "bad --vex → 2" 2 V match --vex "$TMP/bad.txt" "$TMP/app.cdx.json"
# a real SBOM, JSON and XML
S="$D/sbom/cyclonedx/bom-examples/SBOM/proton-bridge"
for f in proton-bridge-v1.8.0.bom.json proton-bridge-v1.8.0.bom.xml; do
  expect_status "proton-bridge $f" 1 V match --json "$S/$f"
  printf '%s' "$OUT" > "$TMP/pb.json"
  got=$(python3 -c "
import json; d=json.load(open('$TMP/pb.json'))
print(' '.join(sorted(a for f in d['findings'] for a in f['aliases'] if a.startswith('GO-'))), d['summary']['components'])")
  if [ "$got" = "GO-2020-0001 GO-2021-0052 GO-2022-0603 GO-2023-1737 201" ]; then ok "proton-bridge $f: the 4 hand-checked findings"
  else fail "proton-bridge $f: the 4 hand-checked findings" "got: $got"; fi
done
expect_status "--store-vex" 1 V match --store-vex --vex "$TMP/vex.json" "$TMP/app.cdx.json"
expect_status "stored VEX applies without --vex" 1 V match "$TMP/app.cdx.json"
expect_grep "stored: 1 suppressed" "1 suppressed by VEX" "$OUT"

expect_status "help match" 0 "$VULND" help match
expect_grep "help lists --fail-on" "fail-on LEVEL" "$OUT"
done_tests
