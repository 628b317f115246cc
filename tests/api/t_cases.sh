#!/bin/sh
# The disclosure workflow over HTTP (issue 7) on a real socket, once per
# library type (national NVDB, mobile-app APP, vehicle VEH): report with a
# base64 attachment → assign → refer → expert opinion → verify (unpublished:
# public endpoints 404) → notify (mail seen at a loopback SMTP sink) → ack →
# fix released → retest failed → fix → retest passed (by the reporter) →
# publish refused with every reason (409) → reasons cleared → published →
# public endpoints show it, never the attachment.  Also: the attachment
# download (headers, bytes, who may), staff-only thread entries, notices,
# cases due, refusals 403 vs 409.  The clock is VULND_NOW (test-only),
# moved by restarting the server.
. tests/cli_lib.sh
DB="$TMP/cases.db"
V() { "$VULND" --db "$DB" "$@"; }
PW='Case-flow-pass-1'
command -v curl >/dev/null || { fail "curl installed"; done_tests; exit 1; }
command -v python3 >/dev/null || { fail "python3 installed"; done_tests; exit 1; }

# ---- SMTP sink: accepts everything, appends each message to a file ----
cat >"$TMP/smtp_sink.py" <<'EOF'
import socketserver, sys
mbox, portfile = sys.argv[1], sys.argv[2]
class Session(socketserver.StreamRequestHandler):
    def say(self, text):
        self.wfile.write((text + "\r\n").encode())
    def handle(self):
        self.say("220 test-sink ready")
        to = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            cmd = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = cmd[:4].upper()
            if verb == "DATA":
                self.say("354 end with .")
                lines = []
                for l in iter(self.rfile.readline, b""):
                    if l.rstrip(b"\r\n") == b".":
                        break
                    lines.append(l.decode("utf-8", "replace"))
                with open(mbox, "a") as f:
                    f.write("TO: %s\n%s\n----\n" % (",".join(to), "".join(lines)))
                to = []
                self.say("250 stored")
            elif verb == "RCPT":
                to.append(cmd.split(":", 1)[-1].strip())
                self.say("250 ok")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("250 ok")
class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
srv = Server(("127.0.0.1", 0), Session)
with open(portfile, "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
EOF
python3 "$TMP/smtp_sink.py" "$TMP/mbox" "$TMP/smtp_port" &
SINK=$!
PID=""
trap 'kill $SINK 2>/dev/null; [ -n "$PID" ] && kill -TERM $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 1 50); do [ -s "$TMP/smtp_port" ] && break; sleep 0.1; done
SMTP="smtp://127.0.0.1:$(cat "$TMP/smtp_port")"

# ---- accounts and organisations (command line) ----
V db init >/dev/null || { fail "db init"; done_tests; exit 1; }
adduser() { printf '%s\n' "$PW" | V user add "$@" >/dev/null 2>&1 || fail "user add $*"; }
V org add Acme --type vendor >/dev/null
V org add Other --type vendor >/dev/null
for p in "Acme Router" "Acme Pay" "Acme T-Box"; do V org product Acme "$p" >/dev/null; done
V org contact Acme psirt@acme.example --name "Acme PSIRT" >/dev/null
V library add APP --name "Mobile apps" --fields mobile-app >/dev/null
V library add VEH --name "Vehicles" --fields vehicle --fix-days 90 >/dev/null
adduser rep --role reporter
adduser rep2 --role reporter
adduser ana --role analyst
adduser exp --role expert
adduser ven --role vendor --org Acme
adduser ven2 --role vendor --org Other
tok() { V token create "$1" --scope write 2>/dev/null | tail -n 1; }
T_REP=$(tok rep); T_REP2=$(tok rep2); T_ANA=$(tok ana); T_EXP=$(tok exp); T_VEN=$(tok ven); T_VEN2=$(tok ven2)
expect_grep "tokens created" "^vdt_" "$T_ANA"

start() {
  [ -n "$PID" ] && { kill -TERM "$PID"; wait "$PID" 2>/dev/null; }
  printf 'smtp_url = %s\nmail_from = vulnd@test.example\nrate_limit = 0\naccess_log = %s\n' "$SMTP" "$TMP/access.log" \
    > "$TMP/vulnd.conf"
  : > "$TMP/serve.err"
  VULND_NOW="$1" "$VULND" --db "$DB" serve --config "$TMP/vulnd.conf" --listen 127.0.0.1:0 2>"$TMP/serve.err" &
  PID=$!
  port=""
  for i in $(seq 1 100); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.err")
    [ -n "$port" ] && break
    sleep 0.05
  done
  U="http://127.0.0.1:$port"
  [ -n "$port" ] || fail "server starts at $1" "$(cat "$TMP/serve.err")"
}
req() { : > "$TMP/b"; S=$(curl -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' "$@"); }
hdr() { tr -d '\r' < "$TMP/h" | sed -n "s/^$1: //Ip" | head -n 1; }
py() { python3 -c "import json,sys; d=json.load(open('$TMP/b')); print($1)" 2>&1; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', expected '$3'" "body: $(head -c 500 "$TMP/b")"; fi; }
J="Content-Type: application/json"
# as TOKEN METHOD PATH [BODY]
as() {
  t=$1; m=$2; p=$3; shift 3
  if [ $# -gt 0 ]; then req -X "$m" -H "Authorization: Bearer $t" -H "$J" --data-binary "$1" "$U$p"
  else req -X "$m" -H "Authorization: Bearer $t" "$U$p"; fi
}
POC_B64=$(printf 'import socket  # PoC-bytes-5f1d\n' | base64 | tr -d '\n')

# lifecycle LIB PRODUCT TAG FIELDS-JSON
lifecycle() {
  lib=$1; prod=$2; tag=$3; fields=$4
  start 2031-03-03T09:00:00Z
  as "$T_REP" POST /api/v1/reports "{\"title\":\"Wombat$tag command injection in $prod\",\"description\":\"The diagnostics page of $prod passes the host field to a shell.\",\"product\":\"$prod\",\"version\":\"1.0\",\"cwe\":\"CWE-78\",\"grade\":\"critical\",\"library\":\"$lib\",\"fields\":$fields,\"attachments\":[{\"name\":\"poc.py\",\"kind\":\"poc\",\"data\":\"$POC_B64\"}]}"
  is "$lib: report → 201" "$S" 201
  id=$(py 'd["id"]')
  is "$lib: no candidates for the reporter" "$(py '"candidates" in d')" False
  as "$T_ANA" GET "/api/v1/cases/$id"
  is "$lib: analyst reads the case" "$(py 'd["state"], d["library"], len(d["attachments"])')" "triage $lib 1"
  sha=$(py 'd["attachments"][0]["sha256"]')
  as "$T_ANA" GET "/api/v1/cases/$id/candidates"
  is "$lib: candidates (analyst) → 200" "$S" 200
  as "$T_ANA" POST "/api/v1/cases/$id/assign" '{"users":["ana"]}'
  is "$lib: assign" "$(py 'd["state"]')" verifying
  as "$T_ANA" POST "/api/v1/cases/$id/refer" '{"users":["exp"]}'
  is "$lib: refer" "$S" 200
  as "$T_EXP" POST "/api/v1/cases/$id/opinion" '{"verdict":"verified","text":"Reproduced-staff-only-opinion"}'
  is "$lib: expert opinion" "$S" 200
  as "$T_ANA" POST "/api/v1/cases/$id/verify" '{"vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}'
  is "$lib: verify" "$(py 'd["state"]')" verified
  rid=$(py 'd["record_id"]')
  expect_grep "$lib: library id" "^$lib-203103-[0-9][0-9][0-9][0-9]$" "$rid"
  req "$U/api/v1/vulns/$rid"
  is "$lib: unpublished record → 404 for the public" "$S" 404
  req "$U/api/v1/search?q=Wombat$tag"
  is "$lib: public search does not find it" "$(py 'd["total"]')" 0
  as "$T_ANA" GET "/api/v1/vulns/$rid"
  is "$lib: not even the analyst through the public API" "$S" 404

  start 2031-03-04T09:00:00Z
  as "$T_ANA" POST "/api/v1/cases/$id/notify"
  is "$lib: notify" "$(py 'd["state"]')" notified
  for i in $(seq 1 30); do grep -q "$rid" "$TMP/mbox" 2>/dev/null && break; sleep 0.1; done
  expect_grep "$lib: mail at the sink for the vendor contact" "TO: <psirt@acme.example>" "$(cat "$TMP/mbox" 2>/dev/null)"
  expect_grep "$lib: mail subject names the record" "Subject: .*$rid" "$(cat "$TMP/mbox" 2>/dev/null)"
  if grep -q "PoC-bytes-5f1d\|$POC_B64" "$TMP/mbox"; then fail "$lib: attachment not mailed"; else ok "$lib: attachment not mailed"; fi
  as "$T_ANA" GET "/api/v1/cases/$id/notices"
  is "$lib: notice logged as sent" "$(py '[n["status"] for n in d["notices"] if n["to"]=="psirt@acme.example"][:1]')" "['sent']"
  as "$T_VEN" GET "/api/v1/cases/$id/notices"
  is "$lib: vendor may not read notices → 403" "$S" 403
  as "$T_VEN2" POST "/api/v1/cases/$id/ack"
  is "$lib: another vendor may not ack → 403" "$S" 403
  is "$lib: 403 names the permission reason" "$(py 'd["error"]["reasons"][0]["code"]')" permission
  as "$T_VEN" POST "/api/v1/cases/$id/ack"
  is "$lib: vendor acks" "$(py 'd["state"]')" acknowledged
  as "$T_VEN" GET "/api/v1/cases/$id/attachments/$sha"
  is "$lib: vendor downloads the attachment → 200" "$S" 200
  is "$lib: attachment Content-Type" "$(hdr Content-Type)" application/octet-stream
  is "$lib: attachment Content-Disposition" "$(hdr Content-Disposition)" 'attachment; filename="poc.py"'
  is "$lib: attachment Cache-Control" "$(hdr Cache-Control)" no-store
  is "$lib: attachment bytes" "$(cat "$TMP/b")" "import socket  # PoC-bytes-5f1d"
  as "$T_VEN2" GET "/api/v1/cases/$id/attachments/$sha"
  is "$lib: other vendor → 404" "$S" 404
  as "$T_REP2" GET "/api/v1/cases/$id"
  is "$lib: other reporter → 404" "$S" 404
  req "$U/api/v1/cases/$id/attachments/$sha"
  is "$lib: anonymous attachment → 401" "$S" 401

  start 2031-03-20T09:00:00Z
  as "$T_VEN" POST "/api/v1/cases/$id/fix-release" '{"version":"1.1"}'
  is "$lib: fix released" "$(py 'd["state"]')" fixed
  as "$T_REP" POST "/api/v1/cases/$id/retest-fail" '{"text":"still injectable via the port field"}'
  is "$lib: retest failed (reporter) → fixing" "$(py 'd["state"]')" fixing
  as "$T_VEN" POST "/api/v1/cases/$id/fix-release" '{"version":"1.1.1","patch":"https://acme.example/patch"}'
  is "$lib: fix released again" "$(py 'd["state"]')" fixed
  as "$T_REP" POST "/api/v1/cases/$id/retest-pass"
  is "$lib: retest passed (reporter)" "$(py 'd["state"]')" retested
  as "$T_ANA" POST "/api/v1/cases/$id/publish"
  is "$lib: publish refused → 409" "$S" 409
  codes=$(py '" ".join(sorted(r["code"] for r in d["error"]["reasons"]))')
  expect_grep "$lib: reason no-solution" "no-solution" "$codes"
  expect_grep "$lib: reason operator-details" "operator-details" "$codes"
  as "$T_VEN" POST "/api/v1/cases/$id/publish"
  is "$lib: vendor may not publish → 403" "$S" 403
  as "$T_ANA" POST "/api/v1/cases/$id/update" '{"solution":"Upgrade to 1.1.1.","operator_details":false}'
  is "$lib: reasons cleared" "$S" 200
  as "$T_ANA" POST "/api/v1/cases/$id/publish"
  is "$lib: published" "$(py 'd["state"]')" published
  req "$U/api/v1/vulns/$rid"
  is "$lib: public GET → 200" "$S" 200
  is "$lib: public record" "$(py 'd["id"]')" "$rid"
  if grep -q "poc.py\|PoC-bytes\|$sha" "$TMP/b"; then fail "$lib: no attachment in the public record"; else ok "$lib: no attachment in the public record"; fi
  req "$U/api/v1/search?q=Wombat$tag"
  is "$lib: public search finds it" "$(py '[h["id"] for h in d["hits"]]')" "['$rid']"
  req "$U/v1/vulns/$rid"
  is "$lib: OSV endpoint serves it" "$S" 200
  as "$T_VEN" GET "/api/v1/cases/$id/thread"
  kinds=$(py '" ".join(e["kind"] for e in d["thread"])')
  expect_grep "$lib: vendor sees the failed retest in the thread" "retest-fail" "$kinds"
  if grep -q "Reproduced-staff-only-opinion" "$TMP/b"; then fail "$lib: expert opinion hidden from the vendor"; else ok "$lib: expert opinion hidden from the vendor"; fi
  as "$T_ANA" GET "/api/v1/cases/$id/thread"
  expect_grep "$lib: analyst sees the expert opinion" "Reproduced-staff-only-opinion" "$(cat "$TMP/b")"
}
lifecycle NVDB "Acme Router" One '{}'
lifecycle APP "Acme Pay" Two '{"app_name":"AcmePay","package":"com.acme.pay","platform":"android","app_version":"5.2"}'
lifecycle VEH "Acme T-Box" Three '{"make":"Acme","model":"Roadster","component":"T-Box","interface":"cellular"}'

# ---- refusals and clocks ----
start 2031-04-01T00:00:00Z
as "$T_REP" POST /api/v1/reports '{"title":"Second report","description":"d","product":"Acme Router"}'
id2=$(py 'd["id"]')
as "$T_ANA" POST "/api/v1/cases/$id2/publish"
is "publish from triage → 409" "$S" 409
is "reason: the state" "$(py 'd["error"]["reasons"][0]["code"]')" state
as "$T_ANA" POST "/api/v1/cases/$id2/assign" '{"users":["nobody"]}'
is "assign to a missing user → 409" "$S" 409
as "$T_ANA" POST "/api/v1/cases/$id2/assign" '{"users":["ana"]}'
as "$T_ANA" POST "/api/v1/cases/$id2/verify" '{"grade":"high"}'
is "verify with a grade" "$S" 200
as "$T_ANA" POST "/api/v1/cases/$id2/publish"
n=$(py 'len(d["error"]["reasons"])')
[ "$n" -ge 4 ] && ok "publish right after verify lists $n reasons at once" || fail "reasons at once" "$(cat "$TMP/b")"
as "$T_ANA" POST "/api/v1/cases/$id2/explode"
is "unknown step → 404" "$S" 404
as "$T_REP" POST "/api/v1/cases/$id2/comment" '{"text":"any news?"}'
is "reporter comments on own case" "$S" 200
as "$T_REP2" POST "/api/v1/cases/$id2/comment" '{"text":"hello"}'
is "other reporter may not comment → 403" "$S" 403
as "$T_ANA" POST "/api/v1/cases/$id2/notify"
start 2031-04-10T00:00:00Z
as "$T_ANA" GET /api/v1/cases/due
is "cases due (analyst) → 200" "$S" 200
is "ack overdue listed" "$(py '[x["kind"] for x in d["due"] if x["case"]=='"$id2"']')" "['ack-overdue']"
is "due: the server clock" "$(py 'd["now"]')" 2031-04-10T00:00:00Z
as "$T_REP" GET /api/v1/cases/due
is "cases due (reporter) → 403" "$S" 403
as "$T_REP" GET "/api/v1/cases?state=published"
is "reporter lists own published cases" "$(py 'd["count"]')" 3
as "$T_REP2" GET /api/v1/cases
is "other reporter sees none" "$(py 'd["count"]')" 0
as "$T_VEN2" GET /api/v1/cases
is "other vendor sees none" "$(py 'd["count"]')" 0
as "$T_VEN" GET /api/v1/cases
is "vendor sees its products' cases" "$(py 'd["count"]')" 4
req "$U/api/v1/cases"
is "anonymous case list → 401" "$S" 401
as "$T_ANA" GET "/api/v1/cases?state=bogus"
is "bad state → 400" "$S" 400

# ---- multi-vendor acknowledgement ----
start 2031-05-01T00:00:00Z
as "$T_REP" POST /api/v1/reports '{"title":"Shared library overflow","description":"A parser shared by two vendors overflows.","product":"Acme Router"}'
mv=$(py 'd["id"]')
as "$T_ANA" POST "/api/v1/cases/$mv/assign" '{"users":["ana"]}'
as "$T_ANA" POST "/api/v1/cases/$mv/verify" '{"vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}'
as "$T_ANA" POST "/api/v1/cases/$mv/notify" '{"vendors":["Other"]}'
is "multi-vendor: notified, both pending" "$(py 'd["state"], d["vendors_pending"]')" "notified ['Acme', 'Other']"
as "$T_ANA" POST "/api/v1/cases/$mv/ack" '{"vendors":["Acme"]}'
is "multi-vendor: analysts do not act for vendors (permission table) → 403" "$S" 403
as "$T_VEN2" POST "/api/v1/cases/$mv/ack" '{"vendors":["Acme"]}'
is "multi-vendor: Other's user acking for Acme → 403" "$S" 403
is "multi-vendor: 403 reason" "$(py 'd["error"]["reasons"][0]["code"]')" permission
as "$T_VEN" POST "/api/v1/cases/$mv/ack"
is "multi-vendor: Acme acks, case stays notified, Other pending" "$(py 'd["state"], d["vendors_pending"]')" "notified ['Other']"
as "$T_ANA" GET "/api/v1/cases/$mv"
is "multi-vendor: per-vendor ack recorded" "$(py '[(v["name"], v["acked_at"] is not None) for v in d["vendors"]]')" "[('Acme', True), ('Other', False)]"
start 2031-05-10T00:00:00Z
as "$T_ANA" GET /api/v1/cases/due
is "multi-vendor: ack-overdue names the pending vendor" "$(py '[(x["kind"], x["vendors"]) for x in d["due"] if x["case"]=='"$mv"']')" "[('ack-overdue', ['Other'])]"
as "$T_VEN2" POST "/api/v1/cases/$mv/ack"
is "multi-vendor: second ack → acknowledged" "$(py 'd["state"], d["vendors_pending"]')" "acknowledged []"
as "$T_VEN" POST "/api/v1/cases/$mv/fix-release" '{"version":"2.0"}'
is "multi-vendor: one release → fixing, Other unfixed" "$(py 'd["state"], d["vendors_unfixed"]')" "fixing ['Other']"
as "$T_VEN2" POST "/api/v1/cases/$mv/fix-release" '{"version":"7.1"}'
is "multi-vendor: both released → fixed" "$(py 'd["state"]')" fixed

# ---- duplicates and credit ----
adduser rep3 --role reporter
T_REP3=$(tok rep3)
start 2031-05-11T00:00:00Z
as "$T_REP" POST /api/v1/reports '{"title":"Quokka XSS in Acme Pay","description":"The search box reflects input.","product":"Acme Pay"}'
o=$(py 'd["id"]')
start 2031-05-12T00:00:00Z
as "$T_REP2" POST /api/v1/reports '{"title":"Quokka reflected XSS, Acme Pay search","description":"Script in the q parameter runs.","product":"Acme Pay"}'
d1=$(py 'd["id"]')
start 2031-05-13T00:00:00Z
as "$T_REP3" POST /api/v1/reports '{"title":"Quokka cross-site scripting in Acme Pay","description":"q is echoed unescaped.","product":"Acme Pay"}'
d2=$(py 'd["id"]')
as "$T_ANA" POST "/api/v1/cases/$d1/duplicate" "{\"original\":\"case:$o\"}"
is "dup: marked duplicate" "$(py 'd["state"]')" duplicate
as "$T_ANA" POST "/api/v1/cases/$d2/duplicate" "{\"original\":\"case:$d1\"}"
is "dup: a duplicate named as original is followed" "$S" 200
as "$T_ANA" GET "/api/v1/cases/$o"
is "dup: original keeps the credit, lists duplicate reporters" "$(py 'd["credit"]["reporter"], [x["reporter"] for x in d["duplicates"]]')" "rep ['rep2', 'rep3']"
as "$T_REP" GET "/api/v1/cases/$o"
is "dup: the original's reporter does not see duplicate reporters" "$(py '[sorted(x) for x in d["duplicates"]]')" "[['case', 'submitted'], ['case', 'submitted']]"
as "$T_REP3" GET "/api/v1/cases/$d2"
is "dup: the duplicate credits the original, without its reporter's name" "$(py 'sorted(d["credit"]), d["duplicate_of"]')" "['case', 'original'] case:$o"
as "$T_ANA" POST "/api/v1/cases/$o/reject" '{"text":"the report was plagiarised"}'
is "dup: original rejected, credit moved to the earliest duplicate" "$(py 'd["state"], d["credit_case"]')" "rejected $d1"
as "$T_ANA" GET "/api/v1/cases/$d1"
is "dup: earliest duplicate promoted and credited" "$(py 'd["state"], d["credit"]["reporter"], [x["case"] for x in d["duplicates"]]')" "triage rep2 [$d2]"
as "$T_ANA" GET "/api/v1/cases/$d2"
is "dup: later duplicate not promoted, relinked" "$(py 'd["state"], d["duplicate_of"], "reporter" in d["credit"]')" "duplicate case:$d1 False"
as "$T_ANA" GET "/api/v1/cases/$d1/thread"
expect_grep "dup: promotion in the thread" "promote" "$(py '" ".join(e["kind"] for e in d["thread"])')"
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=""
expect_grep "dup: promotion audited" "case.promote" "$(V audit list 2>/dev/null)"
expect_status "audit chain intact after it all" 0 V audit verify
done_tests
