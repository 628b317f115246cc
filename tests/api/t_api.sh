#!/bin/sh
# The public API over a real socket: `vulnd serve --config` on a random
# loopback port over a database imported from ../shared/data (cve5 + osv).
# Status codes, headers (ETag/304, Cache-Control, gzip, Allow, Retry-After),
# shapes and values for every endpoint; limits; access log; metrics; OSV
# documents against the OSV schema; clean shutdown with a request in flight.
. tests/cli_lib.sh
D="$SHARED/data"
DB="$TMP/api.db"
command -v curl >/dev/null || { fail "curl installed" "curl is needed (make deps)"; done_tests; exit 1; }
command -v python3 >/dev/null || { fail "python3 installed" "python3 is needed (make deps)"; done_tests; exit 1; }
"$VULND" --db "$DB" db init >/dev/null || { fail "db init"; done_tests; exit 1; }
if [ -d "$D/cve5" ] && [ -d "$D/osv" ]; then
  "$VULND" -q --db "$DB" import auto "$D/cve5" >/dev/null 2>&1
  "$VULND" -q --db "$DB" import auto "$D/osv" >/dev/null 2>&1
else
  fail "shared data present" "$D/cve5 or $D/osv missing"; done_tests; exit 1
fi

# start SERVER-NAME CONFIG-TEXT: starts a server, sets PID_<name>, U
start() {
  printf '%s\n' "$2" > "$TMP/$1.conf"
  "$VULND" --db "$DB" serve --config "$TMP/$1.conf" --listen 127.0.0.1:0 2>"$TMP/$1.log" &
  eval "PID_$1=$!"
  port=""
  for i in $(seq 1 100); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$TMP/$1.log")
    [ -n "$port" ] && break
    sleep 0.05
  done
  U="http://127.0.0.1:$port"
  [ -n "$port" ]
}
start main "# test server
rate_limit = 0
max_body = 64K
osv_page_size = 5
access_log = $TMP/access.log
cache_max_age = 120" || { fail "server starts" "$(cat "$TMP/main.log")"; done_tests; exit 1; }
ok "server starts with --config on a random port"

# req [curl args]: status in $S, headers in $TMP/h, body in $TMP/b
req() { rm -f "$TMP/b"; : > "$TMP/b"; S=$(curl -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' "$@"); }
hdr() { tr -d '\r' < "$TMP/h" | sed -n "s/^$1: //Ip" | head -n 1; }
# py EXPR: evaluate a Python expression over the JSON body (as d); prints it
py() { python3 -c "import json,sys; d=json.load(open('$TMP/b')); print($1)" 2>&1; }
is() { # NAME GOT WANT
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}
J="Content-Type: application/json"

# ---- records ----
req "$U/api/v1/vulns/CVE-2021-44228"
is "GET record 200" "$S" 200
is "record id" "$(py 'd["id"]')" CVE-2021-44228
is "record grade" "$(py 'd["grade"]')" critical
is "record Cache-Control" "$(hdr Cache-Control)" "public, max-age=120"
ET=$(hdr ETag)
expect_grep "record has a strong ETag" '^"[0-9a-f]\{16\}"$' "$ET"
req -H "If-None-Match: $ET" "$U/api/v1/vulns/CVE-2021-44228"
is "If-None-Match → 304" "$S" 304
is "304 has no body" "$(wc -c < "$TMP/b" | tr -d ' ')" 0
req -H "If-None-Match: \"other\", W/$ET" "$U/api/v1/vulns/CVE-2021-44228"
is "If-None-Match list with a weak tag → 304" "$S" 304
req -H 'If-None-Match: "nope"' "$U/api/v1/vulns/CVE-2021-44228"
is "other ETag → 200" "$S" 200
req -H "Accept-Encoding: gzip" "$U/api/v1/vulns/CVE-2021-44228"
is "gzip Content-Encoding" "$(hdr Content-Encoding)" gzip
is "gzip body decodes to the record" "$(gunzip -c "$TMP/b" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')" CVE-2021-44228
is "Vary: Accept-Encoding" "$(hdr Vary)" Accept-Encoding
req -H "Accept-Encoding: gzip;q=0" "$U/api/v1/vulns/CVE-2021-44228"
is "gzip;q=0 → identity" "$(hdr Content-Encoding)" ""
req -I "$U/api/v1/vulns/CVE-2021-44228"
is "HEAD 200" "$S" 200
req "$U/api/v1/vulns/GHSA-v95c-p5hm-xq8f"
is "GHSA alias → its CVE record" "$(py 'd["id"]')" CVE-2021-43784
req "$U/api/v1/vulns/PYSEC-2009-4"
is "PYSEC alias 200" "$S" 200
req "$U/api/v1/vulns/CVE-2021-36593"
is "REJECTED record → 404" "$S" 404
is "404 error shape" "$(py 'sorted(d["error"].keys())')" "['code', 'message']"
req "$U/api/v1/vulns/CVE-2021-44228?format=cve5"
is "format=cve5 → 406" "$S" 406
expect_grep "406 says why" "no cve5 writer" "$(cat "$TMP/b")"
req "$U/api/v1/vulns/CVE-2021-44228?format=osv"
is "format=osv 200" "$S" 200
is "format=osv is an OSV document" "$(py 'd["schema_version"]')" 1.6.0

# ---- OSV documents validate against the OSV schema ----
if python3 -c 'import jsonschema' 2>/dev/null && [ -f "$SHARED/schemas/osv_schema.json" ]; then
  bad=""
  for id in CVE-2021-44228 GO-2022-0274 PYSEC-2022-259 PYSEC-2009-4 CVE-2023-45803 GO-2020-0001; do
    req "$U/v1/vulns/$id"
    [ "$S" = 200 ] || { bad="$bad $id:$S"; continue; }
    python3 -c "
import json,jsonschema,sys
s=json.load(open('$SHARED/schemas/osv_schema.json')); d=json.load(open('$TMP/b'))
jsonschema.validate(d, s)" 2>"$TMP/v" || bad="$bad $id:$(tail -n 1 "$TMP/v")"
  done
  [ -z "$bad" ] && ok "GET /v1/vulns/{id} documents validate against osv_schema.json" || fail "OSV schema" "$bad"
else
  skip "OSV schema validation (python3 jsonschema not installed)"
fi

# ---- lists ----
req "$U/api/v1/vulns?limit=1000"
is "list 200" "$S" 200
N1=$(py 'len(d["vulns"])')
PUB=$("$VULND" --db "$DB" db stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["published"])')
# walk all pages with limit=500 and count distinct ids
c=""; total=0; dup=0; : > "$TMP/ids"
for i in $(seq 1 100); do
  req "$U/api/v1/vulns?limit=500${c:+&cursor=$c}"
  py '"\n".join(v["id"] for v in d["vulns"])' >> "$TMP/ids"
  c=$(py 'd["next_cursor"] or ""')
  [ -z "$c" ] && break
done
is "cursor walk returns every published record once" "$(sort "$TMP/ids" | uniq | wc -l | tr -d ' ')/$(wc -l < "$TMP/ids" | tr -d ' ')" "$PUB/$PUB"
is "first page of 1000" "$N1" 1000
req "$U/api/v1/vulns?severity=critical&limit=1000"
is "severity filter" "$(py 'set(v["grade"] for v in d["vulns"])')" "{'critical'}"
req "$U/api/v1/vulns?cwe=CWE-502"
is "cwe filter finds log4j" "$(py '"CVE-2021-44228" in [v["id"] for v in d["vulns"]]')" True
req "$U/api/v1/vulns?cpe=cpe:2.3:a:apache_software_foundation:apache_log4j2"
is "cpe with no exact vendor match → empty + note" "$(py 'len(d["vulns"]), "note" in d')" "0 True"
req "$U/api/v1/vulns?vendor=Apache%20Software%20Foundation&product=Apache%20Log4j2"
is "vendor+product filter" "$(py '"CVE-2021-44228" in [v["id"] for v in d["vulns"]]')" True
req "$U/api/v1/vulns?modified_since=2025-01-01T00:00:00Z&limit=1000"
is "modified_since filter" "$(py 'all(v["modified"] >= "2025-01-01T00:00:00Z" for v in d["vulns"]) and len(d["vulns"]) > 0')" True
req "$U/api/v1/vulns?credit=VulDB"
is "credit filter" "$(py 'len(d["vulns"]) > 0')" True
req "$U/api/v1/vulns?limit=5"
ETL=$(hdr ETag)
req -H "If-None-Match: $ETL" "$U/api/v1/vulns?limit=5"
is "list If-None-Match → 304" "$S" 304
for q in "limit=0" "limit=abc" "severity=urgent" "cwe=XSS" "modified_since=soon" "cursor=garbage!" "nope=1"; do
  req "$U/api/v1/vulns?$q"
  is "list ?$q → 400" "$S" 400
done

# ---- batch ----
req -H "$J" -d '{"ids":["CVE-2021-44228","GO-2022-0274","GHSA-v95c-p5hm-xq8f","CVE-1999-0000","CVE-2021-36593"]}' "$U/api/v1/vulns/batch"
is "batch 200" "$S" 200
is "batch answers each record once" "$(py '[v["id"] for v in d["vulns"]]')" "['CVE-2021-44228', 'CVE-2021-43784']"
is "batch not_found (incl. REJECTED)" "$(py 'd["not_found"]')" "['CVE-1999-0000', 'CVE-2021-36593']"
python3 -c "import json; print(json.dumps({'ids':['CVE-2021-%d' % (40000+i) for i in range(1000)]}))" > "$TMP/ids1000"
req -H "$J" --data-binary @"$TMP/ids1000" "$U/api/v1/vulns/batch"
is "batch of 1000 ids 200" "$S" 200
is "batch of 1000: found + not_found = 1000" "$(py 'len(d["not_found"]) + d["count"]')" 1000
python3 -c "import json; print(json.dumps({'ids':['CVE-2021-%d' % (40000+i) for i in range(1001)]}))" > "$TMP/ids1001"
req -H "$J" --data-binary @"$TMP/ids1001" "$U/api/v1/vulns/batch"
is "batch of 1001 → 422" "$S" 422
req -H "$J" -d '{"ids":' "$U/api/v1/vulns/batch"
is "malformed JSON → 400" "$S" 400
is "malformed JSON code" "$(py 'd["error"]["code"]')" bad_json
req -H "$J" -d '{"id":["x"]}' "$U/api/v1/vulns/batch"
is "wrong field → 422" "$S" 422
req -H "Content-Type: text/plain" -d '{"ids":["x"]}' "$U/api/v1/vulns/batch"
is "wrong content type → 415" "$S" 415
req -H "Content-Type: application/json; charset=utf-8" -d '{"ids":["CVE-2021-44228"]}' "$U/api/v1/vulns/batch"
is "application/json; charset=utf-8 accepted" "$S" 200
head -c 70000 /dev/zero | tr '\0' ' ' > "$TMP/big"
req -H "$J" --data-binary @"$TMP/big" "$U/api/v1/vulns/batch"
is "body over max_body (64K) → 413" "$S" 413
req -H "$J" -H "Transfer-Encoding: chunked" --data-binary @"$TMP/big" "$U/api/v1/vulns/batch"
is "chunked body over max_body → 413" "$S" 413
req -X GET "$U/api/v1/vulns/batch"
is "GET /api/v1/vulns/batch is the record 'batch' → 404" "$S" 404

# ---- vendors, products, stats, search ----
req "$U/api/v1/vendors?limit=1000"
is "vendors 200" "$S" 200
is "vendors include Apache Software Foundation" "$(py '[v["count"] for v in d["vendors"] if v["name"] == "Apache Software Foundation"][0] >= 1')" True
req "$U/api/v1/vendors?limit=2"
C2=$(py 'd["next_cursor"]')
req "$U/api/v1/vendors?limit=2&cursor=$C2"
is "vendors page 2 follows page 1" "$S" 200
req "$U/api/v1/vendors/Apache%20Software%20Foundation/products?limit=1000"
is "products of a vendor" "$(py '"Apache Log4j2" in [p["name"] for p in d["products"]]')" True
req "$U/api/v1/vendors/zz-no-such-vendor/products"
is "products of an unknown vendor → 404" "$S" 404
req "$U/api/v1/stats"
is "stats 200" "$S" 200
is "stats published = db stats published" "$(py 'd["published"]')" "$PUB"
is "stats by_grade sums to published" "$(py 'sum(d["by_grade"].values())')" "$PUB"
is "stats has by_month and by_class" "$(py '"2021-12" in d["by_month"] and len(d["by_class"]) > 0')" True
req "$U/api/v1/search?q=log4j"
is "search 200" "$S" 200
is "search finds log4j" "$(py '"CVE-2021-44228" in [h["id"] for h in d["hits"]]')" True
is "search has facets" "$(py 'sorted(d["facets"].keys())')" "['cwe', 'grade', 'vendor', 'year']"
req "$U/api/v1/search?q=log4j&snippets=1&limit=1"
is "search snippets" "$(py '"snippet" in d["hits"][0]')" True
req "$U/api/v1/search"
is "search without q → 400" "$S" 400
req "$U/api/v1/cwe/79"
is "cwe 200" "$S" 200
is "cwe id + GB/T class" "$(py 'd["id"], d["gbt30279_class"]["code"]')" "CWE-79 1.2.2.4"
req "$U/api/v1/cwe/XSS"
is "cwe malformed → 400" "$S" 400
req "$U/api/v1/openapi.yaml"
is "openapi.yaml 200" "$S" 200
is "openapi.yaml is the docs file" "$(cmp -s "$TMP/b" docs/api/openapi.yaml && echo same)" same

# ---- OSV ----
req -H "$J" -d '{"package":{"name":"django","ecosystem":"PyPI"},"version":"1.0.2"}' "$U/v1/query"
is "OSV query 200" "$S" 200
is "OSV query django 1.0.2 hits CVE-2009-3695" "$(py '"CVE-2009-3695" in [v["id"] for v in d["vulns"]]')" True
req -H "$J" -d '{"package":{"name":"django","ecosystem":"PyPI"},"version":"1.0.4"}' "$U/v1/query"
is "OSV query django 1.0.4 misses CVE-2009-3695" "$(py '"CVE-2009-3695" in [v["id"] for v in d.get("vulns",[])]')" False
req -H "$J" -d '{"package":{"purl":"pkg:golang/github.com/opencontainers/runc@1.0.2"}}' "$U/v1/query"
is "OSV purl query (Go)" "$(py '"CVE-2021-43784" in [v["id"] for v in d["vulns"]]')" True
req -H "$J" -d '{"package":{"name":"no-such","ecosystem":"PyPI"}}' "$U/v1/query"
is "OSV query without match → {}" "$(cat "$TMP/b")" "{}"
req -H "$J" -d '{"commit":"f6d1451012c6a04c2fb1940f0bbd93bb6cf2b025"}' "$U/v1/query"
is "OSV commit query" "$(py 'len(d["vulns"])')" 1
req -H "$J" -d '{"package":{"name":"django"}}' "$U/v1/query"
is "OSV query without ecosystem → 422" "$S" 422
req -H "$J" -d '{"package":{"name":"django","ecosystem":"PyPI"}}' "$U/v1/query"
is "OSV query answers a page of osv_page_size (5)" "$(py 'len(d["vulns"]), "next_page_token" in d')" "5 True"
# querybatch with paging: follow next_page_token until done
: > "$TMP/qb"
tok=""
for i in $(seq 1 100); do
  req -H "$J" -d "{\"queries\":[{\"package\":{\"name\":\"django\",\"ecosystem\":\"PyPI\"}${tok:+,\"page_token\":\"$tok\"}},{\"package\":{\"purl\":\"pkg:pypi/nothing-here\"}}]}" "$U/v1/querybatch"
  [ "$S" = 200 ] || break
  py '"\n".join(v["id"] for v in d["results"][0].get("vulns",[]))' >> "$TMP/qb"
  tok=$(py 'd["results"][0].get("next_page_token","")')
  [ -z "$tok" ] && break
done
U_=$(sort -u "$TMP/qb" | wc -l | tr -d ' '); T_=$(wc -l < "$TMP/qb" | tr -d ' ')
[ "$U_" = "$T_" ] && [ "$T_" -gt 5 ] && ok "querybatch paging walks $T_ django records, each once" || fail "querybatch paging" "$U_ distinct of $T_"
is "querybatch: empty result is {}" "$(py 'd["results"][1]')" "{}"
is "querybatch: ids + modified only" "$(py 'sorted(d["results"][0]["vulns"][0].keys())')" "['id', 'modified']"

# SBOM matching over HTTP: the PyPI zstd record (PYSEC-2023-121 = CVE-2022-4899)
# lists 1.5.2.0 as affected; a made-up package finds nothing.
req -H "$J" -d '{"sbom":{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
 {"type":"library","name":"zstd","version":"1.5.2.0","purl":"pkg:pypi/zstd@1.5.2.0"},
 {"type":"library","name":"no-such-thing","version":"1.0","purl":"pkg:pypi/no-such-thing@1.0"}]}}' "$U/api/v1/sbom/match"
is "sbom/match: 200" "$S" "200"
is "sbom/match: zstd finding (anchored at the CVE)" "$(py '[f["id"] for f in d["findings"] if f["name"] == "zstd"]')" "['CVE-2022-4899']"
is "sbom/match: the OSV id is an alias" "$(py '"PYSEC-2023-121" in d["findings"][0]["aliases"]')" "True"
is "sbom/match: matched by purl or package" "$(py 'd["findings"][0]["matched_by"] in ("purl", "package")')" "True"
is "sbom/match: stats count both components" "$(py 'd["stats"]["components"]')" "2"
is "sbom/match: one component with findings" "$(py 'd["stats"]["with_findings"]')" "1"
req -H "$J" -d '{"sbom":{"spdxVersion":"SPDX-3.0"}}' "$U/api/v1/sbom/match"
is "sbom/match: SPDX 3.0 refused as unsupported (415)" "$S" "415"
req -H "$J" -d '{"sbom":{"hello":"world"}}' "$U/api/v1/sbom/match"
is "sbom/match: not an SBOM → 422" "$S" "422"
req -H "$J" -d '{"bom":{}}' "$U/api/v1/sbom/match"
is "sbom/match: wrong wrapper → 422" "$S" "422"
python3 -c "import json; print(json.dumps({'queries':[{'package':{'name':'django','ecosystem':'PyPI'}}]*1001}))" > "$TMP/q1001"
req -H "$J" --data-binary @"$TMP/q1001" "$U/v1/querybatch"
is "querybatch of 1001 → 422" "$S" 422
python3 -c "
import json
q=[{'package':{'name':'django','ecosystem':'PyPI'},'version':'1.%d' % (i%12)} for i in range(1000)]
print(json.dumps({'queries':q}))" > "$TMP/q1000"
[ "$(wc -c < "$TMP/q1000")" -gt 65536 ] && ok "querybatch body is over max_body (takes max_body_batch)" || fail "q1000 size"
req -H "$J" --data-binary @"$TMP/q1000" "$U/v1/querybatch"
is "querybatch of 1000 with versions 200" "$S" 200
is "querybatch of 1000: 1000 results" "$(py 'len(d["results"])')" 1000
req "$U/v1/vulns/CVE-1999-0000"
is "OSV GET unknown → 404" "$S" 404
req -X GET "$U/v1/query"
is "GET /v1/query → 405" "$S" 405
is "405 Allow header" "$(hdr Allow)" POST

# ---- errors and limits ----
req -X DELETE "$U/api/v1/vulns/CVE-2021-44228"
is "DELETE → 405" "$S" 405
is "405 Allow: GET, HEAD" "$(hdr Allow)" "GET, HEAD"
req "$U/api/v1/nope"
is "unknown path → 404" "$S" 404
req "$U/api/v1/vulns/$(python3 -c "print('A'*3000)")"
is "long URL → 414" "$S" 414
req "$U/api/v1/vulns/%zz"
is "bad %-escape → 400" "$S" 400
req "$U/api/v1/vulns?x=%ff"
is "query not UTF-8 → 400" "$S" 400

# ---- metrics and access log ----
req "$U/metrics"
is "metrics 200" "$S" 200
expect_grep "metrics: requests by route and status" 'vulnd_http_requests_total{route="/api/v1/vulns/{id}",status="200"}' "$(cat "$TMP/b")"
expect_grep "metrics: 304s counted" 'status="304"' "$(cat "$TMP/b")"
expect_grep "metrics: latency histogram" 'vulnd_http_request_duration_seconds_bucket{route="/v1/querybatch",le="+Inf"}' "$(cat "$TMP/b")"
expect_grep "metrics: db size" '^vulnd_db_bytes [1-9]' "$(cat "$TMP/b")"
expect_grep "metrics: records" "^vulnd_records{state=\"published\"} $PUB" "$(cat "$TMP/b")"
is "metrics Content-Type" "$(hdr Content-Type)" "text/plain; version=0.0.4; charset=utf-8"
expect_grep "access log in common log format" '^127\.0\.0\.1 - - \[[0-9]*/[A-Z][a-z]*/20[0-9][0-9]:[0-9:]* +0000\] "GET /api/v1/vulns/CVE-2021-44228 HTTP/1.1" 200 [0-9]* [0-9.]*$' "$(cat "$TMP/access.log")"
expect_grep "access log records 413" '"POST /api/v1/vulns/batch HTTP/1.1" 413' "$(cat "$TMP/access.log")"

# ---- clean shutdown: a slow request in flight finishes ----
python3 -c "
import json
q=[{'package':{'name':'django','ecosystem':'PyPI'},'version':'1.%d' % (i%12)} for i in range(1000)]
print(json.dumps({'queries':q}))" > "$TMP/q1000"
( curl -s -o "$TMP/inflight" -w '%{http_code}' -H "$J" --limit-rate 20k --data-binary @"$TMP/q1000" "$U/v1/querybatch" > "$TMP/inflight.code" ) &
CURL=$!
sleep 0.5
kill -TERM $PID_main
wait $CURL
wait $PID_main; st=$?
is "SIGTERM: exit status 0" "$st" 0
is "SIGTERM: the in-flight request finished with 200" "$(cat "$TMP/inflight.code")" 200
curl -s -o /dev/null "$U/healthz" && fail "stopped server refuses connections" || ok "stopped server refuses connections"

# ---- rate limit ----
start rl "rate_limit = 2
rate_burst = 3
access_log = off" || { fail "rate-limited server starts" "$(cat "$TMP/rl.log")"; }
: > "$TMP/codes"
for i in 1 2 3 4 5 6; do curl -s -o /dev/null -D "$TMP/rlh$i" -w '%{http_code}\n' "$U/api/v1/vulns/CVE-2021-44228" >> "$TMP/codes"; done
is "burst of 3 then 429" "$(tr '\n' ' ' < "$TMP/codes")" "200 200 200 429 429 429 "
RA=$(tr -d '\r' < "$TMP/rlh6" | sed -n 's/^Retry-After: //Ip')
[ -n "$RA" ] && [ "$RA" -ge 1 ] && ok "429 carries Retry-After ($RA s)" || fail "Retry-After" "$(cat "$TMP/rlh6")"
is "healthz is not rate limited" "$(curl -s -o /dev/null -w '%{http_code}' "$U/healthz")" 200
sleep 1.1
is "tokens refill over time" "$(curl -s -o /dev/null -w '%{http_code}' "$U/api/v1/vulns/CVE-2021-44228")" 200
kill -TERM $PID_rl; wait $PID_rl

# ---- bad config ----
printf 'rate_limit = lots\n' > "$TMP/bad.conf"
expect_status "bad config value → exit 2" 2 "$VULND" --db "$DB" serve --config "$TMP/bad.conf"
expect_grep "bad config names file and line" "bad.conf:1: rate_limit" "$ERR"
done_tests
