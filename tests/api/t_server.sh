#!/bin/sh
# The minimal server on a random loopback port: healthz, records by any
# alias, JSON errors, unpublished records invisible.
. tests/cli_lib.sh
D="$SHARED/data"
DB="$TMP/s.db"
command -v curl >/dev/null || { fail "curl installed" "curl is needed (make deps)"; done_tests; exit 1; }
"$VULND" --db "$DB" db init >/dev/null || { fail "db init"; done_tests; exit 1; }
if [ -d "$D/cve5" ]; then
  "$VULND" -q --db "$DB" import cve5 "$D/cve5/cves/2021/44xxx" 2>/dev/null
  "$VULND" -q --db "$DB" import cve5 "$D/cve5/cves/2021/43xxx/CVE-2021-43784.json" 2>/dev/null
  "$VULND" -q --db "$DB" import osv "$D/osv/go/GO-2022-0274.json" 2>/dev/null
else
  fail "shared data present" "$D/cve5 missing"
fi
# a REJECTED record: must not be served
REJ=$(grep -l '"state": *"REJECTED"' -r "$D/cve5/cves" 2>/dev/null | head -n 1)
[ -n "$REJ" ] && "$VULND" -q --db "$DB" import cve5 "$REJ" 2>/dev/null
REJID=$(basename "$REJ" .json)

"$VULND" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 2>"$TMP/serve.log" &
PID=$!
PORT=""
for i in $(seq 1 50); do
  PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.log")
  [ -n "$PORT" ] && break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  fail "server starts" "$(cat "$TMP/serve.log")"; kill $PID 2>/dev/null; done_tests; exit 1
fi
ok "server starts on a random loopback port ($PORT)"
U="http://127.0.0.1:$PORT"
get() { curl -s -o "$TMP/body" -w '%{http_code} %{content_type}' "$@"; }

r=$(get "$U/healthz"); [ "$r" = "200 application/json; charset=utf-8" ] && ok "healthz 200 json" || fail "healthz" "$r"
expect_grep "healthz body" '"status":"ok"' "$(cat "$TMP/body")"
r=$(get "$U/api/v1/vulns/CVE-2021-44228"); [ "${r%% *}" = 200 ] && ok "GET record 200" || fail "GET record" "$r"
expect_grep "record body has id" '"id":"CVE-2021-44228"' "$(cat "$TMP/body")"
expect_grep "record body has title" 'Log4j' "$(cat "$TMP/body")"
r=$(get "$U/api/v1/vulns/GO-2022-0274"); [ "${r%% *}" = 200 ] && ok "GET by OSV alias 200" || fail "GET by alias" "$r"
expect_grep "alias resolves to the CVE record" '"id":"CVE-2021-43784"' "$(cat "$TMP/body")"
r=$(get "$U/api/v1/vulns/CVE-1999-00000"); [ "${r%% *}" = 404 ] && ok "unknown → 404" || fail "unknown" "$r"
expect_grep "404 error shape" '{"error":{"code":"not_found","message":"no published record CVE-1999-00000"}}' "$(cat "$TMP/body")"
if [ -n "$REJID" ]; then
  "$VULND" --db "$DB" show "$REJID" >/dev/null && ok "rejected record is stored ($REJID)" || fail "rejected stored"
  r=$(get "$U/api/v1/vulns/$REJID"); [ "${r%% *}" = 404 ] && ok "rejected record not served" || fail "rejected served" "$r"
fi
r=$(get "$U/nope"); [ "${r%% *}" = 404 ] && ok "unknown path 404" || fail "unknown path" "$r"
expect_grep "unknown path error code" '"code":"not_found"' "$(cat "$TMP/body")"
r=$(get -X DELETE "$U/api/v1/vulns/CVE-2021-44228"); [ "${r%% *}" = 405 ] && ok "DELETE → 405" || fail "DELETE" "$r"
long=$(python3 -c "print('A'*5000)")
r=$(get "$U/api/v1/vulns/$long"); [ "${r%% *}" = 414 ] && ok "long URL → 414" || fail "long url" "$r"
r=$(get "$U/api/v1/vulns/CVE-2021-44228/extra"); [ "${r%% *}" = 404 ] && ok "extra path segment 404" || fail "extra seg" "$r"
# concurrent requests
( for i in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null -w '%{http_code}\n' "$U/api/v1/vulns/CVE-2021-44228" & done; wait ) > "$TMP/codes"
c=$(grep -c '^200$' "$TMP/codes"); [ "$c" -eq 8 ] && ok "8 concurrent requests all 200" || fail "concurrent" "$(cat "$TMP/codes")"
kill -TERM $PID; wait $PID; st=$?
[ $st -eq 0 ] && ok "SIGTERM stops the server cleanly" || fail "clean stop" "exit $st: $(cat "$TMP/serve.log")"
done_tests
