#!/bin/sh
# CWE catalogue import (CSV views, XML catalogue), `vulnd cwe show|classes`,
# GB/T 30279 class and grade computed on import, `vulnd score` with
# GB/T 30279 vectors.
. tests/cli_lib.sh
D="$SHARED/data"
DB="$TMP/t.db"
V() { "$VULND" --db "$DB" "$@"; }

if [ ! -f "$D/cwe/cwe-view-1000.csv" ]; then
  fail "shared data" "$D/cwe/cwe-view-1000.csv is missing (set SHARED)"
  done_tests; exit 1
fi
expect_status "db init" 0 V db init
expect_status "import cwe view 1000" 0 V import cwe "$D/cwe/cwe-view-1000.csv"
expect_grep "view 1000: 938 entries" "938 CWE entries read, 938 stored, 0 skipped" "$ERR"
expect_status "import cwe view 1194" 0 V import cwe "$D/cwe/cwe-view-1194.csv"
expect_grep "view 1194: 108 entries" "108 CWE entries read, 108 stored" "$ERR"
expect_status "import cwe again (idempotent)" 0 V import cwe "$D/cwe/cwe-view-1000.csv"
expect_status "import cwe: missing file → 2" 2 V import cwe "$TMP/nope.csv"
printf 'id,title\n1,x\n' > "$TMP/not-cwe.csv"
expect_status "import cwe: not a CWE file → 2" 2 V import cwe "$TMP/not-cwe.csv"
expect_grep "says what is wrong" "not a CWE CSV file" "$ERR"

expect_status "cwe show CWE-79" 0 V cwe show CWE-79
expect_grep "name shown" "Cross-site Scripting" "$OUT"
expect_grep "parent with name" "CWE-74 Improper Neutralization" "$OUT"
expect_grep "GB/T class shown" "1.2.2.4 跨站脚本" "$OUT"
expect_status "cwe show --json 24" 0 V cwe show --json 24
expect_grep "json: class via ancestor" '"gbt30279_class":{"code":"1.2.3".*"via":"CWE-23"' "$OUT"
expect_grep "json: parents" '"parents":\[{"id":"CWE-23"' "$OUT"
expect_status "cwe show unknown → 1" 1 V cwe show CWE-3
expect_status "cwe show bad id → 2" 2 V cwe show XSS
expect_status "cwe classes" 0 V cwe classes
expect_grep "classes: tree" "1.2.2.1 .*SQL注入" "$OUT"
expect_status "cwe classes --json" 0 V cwe classes --json
expect_grep "classes json" '{"code":"4","zh":"其他","en":"Other","parent":null}' "$OUT"
expect_status "cwe: no subcommand → 2" 2 V cwe

# the same catalogue entries from an XML catalogue
cat > "$TMP/cwec_v4.test.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Weakness_Catalog xmlns="http://cwe.mitre.org/cwe-7" Name="CWE" Version="test">
 <Weaknesses>
  <Weakness ID="900001" Name="Test weakness" Abstraction="Base" Structure="Simple" Status="Draft">
   <Description>Written for this test.</Description>
   <Related_Weaknesses>
    <Related_Weakness Nature="ChildOf" CWE_ID="79" View_ID="1000" Ordinal="Primary"/>
   </Related_Weaknesses>
  </Weakness>
 </Weaknesses>
 <Categories><Category ID="900002" Name="Test category" Status="Draft"><Summary>S.</Summary></Category></Categories>
</Weakness_Catalog>
XML
expect_status "import cwe XML" 0 V import cwe "$TMP/cwec_v4.test.xml"
expect_grep "XML: 2 entries" "2 CWE entries read, 2 stored" "$ERR"
expect_status "cwe show XML entry" 0 V cwe show --json CWE-900001
expect_grep "XML entry: parent and class" '"parents":\[{"id":"CWE-79","name":"Improper Neutralization of Input During Web Page Generation' "$OUT"
expect_grep "XML entry: class via CWE-79" '"code":"1.2.2.4".*"via":"CWE-79"' "$OUT"
expect_status "CWE-79 lists the new child" 0 V cwe show --json CWE-79
expect_grep "children include 900001" 'CWE-900001' "$OUT"

# class and grade computed on import
if [ -f "$D/cve5/cves/2021/44xxx/CVE-2021-44228.json" ]; then
  expect_status "import a CVE" 0 V -q import cve5 "$D/cve5/cves/2021/44xxx/CVE-2021-44228.json"
  expect_status "show --json" 0 V show --json CVE-2021-44228
  C=$(printf '%s' "$OUT" | sed 's/^ *//' | tr -d '\n')
  expect_grep "class computed from the first CWE" '"class_code": "1.8"' "$C"
  expect_grep "grade computed" '"grade": "critical"' "$C"
  expect_grep "grade basis names vector and table" '"grade_basis": "cvss:3.1 10.0 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H; table vulnd-default-2020.1"' "$C"
  expect_grep "provenance computed" '"field": "class_code",[^}]*"source": "computed"' "$C"
else
  fail "CVE-2021-44228 in shared data" "missing"
fi

# vulnd score with GB/T 30279 vectors
expect_status "score GB/T vector --json" 0 "$VULND" score --json "GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S"
expect_grep "score json fields" '"grade":"critical","grade_zh":"超危","basis":"gbt30279 GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S; table vulnd-default-2020.1"' "$OUT"
expect_status "score CVSS --json has grade" 0 "$VULND" score --json "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"
expect_grep "cvss grade medium" '"grade":"medium","grade_zh":"中危"' "$OUT"
expect_status "score bad GB/T vector → 2" 2 "$VULND" score --json "GBT30279:2020/AP:N/TR:L"
expect_grep "bad vector error names the problem" 'missing mandatory metric(s) PR, UI, C, I, A' "$OUT"
printf 'GBT30279:2020/AP:L/TR:H/PR:H/UI:R/C:M/I:N/A:N\nCVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n' > "$TMP/vecs"
expect_status "score - mixed" 0 sh -c "\"$VULND\" score --json - < \"$TMP/vecs\""
expect_grep "stdin GB/T line" '"grade":"low","grade_zh":"低危"' "$OUT"
sed 's/^cvss\t9.0\tcritical/cvss\t8.0\tcritical/; s/^table\t.*/table\tsite-1/' data/gbt30279-grading.tsv > "$TMP/table.tsv"
expect_status "score --gbt-table" 0 "$VULND" score --json --gbt-table "$TMP/table.tsv" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"
expect_grep "custom table used" '"grade":"critical".*table site-1' "$OUT"
printf 'table x\n' > "$TMP/bad.tsv"
expect_status "score --gbt-table bad → 2" 2 "$VULND" score --gbt-table "$TMP/bad.tsv" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"
expect_grep "bad table message" "no 'point' line" "$ERR"
done_tests
