#!/bin/sh
# The disclosure workflow through the command line: a full lifecycle per
# library type (national NVDB, mobile-app APP, vehicle VEH) with the clock
# moved by VULND_NOW (test-only), vendor mail seen at a local SMTP sink,
# publication refused with every reason then allowed, `show` and `search`
# finding the published record; `cases due` firing reminders once even from
# two processes at a time; hostile input refused with nothing changed.
. tests/cli_lib.sh
DB="$TMP/c.db"
V() { "$VULND" --db "$DB" "$@"; }
PW='s3cret-Pass-phrase'

# ---- a tiny SMTP sink on loopback (python3) ----
cat >"$TMP/sink.py" <<'EOF'
import socket, sys, threading
out = sys.argv[1]
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0)); srv.listen(16)
with open(sys.argv[2], "w") as p: p.write(str(srv.getsockname()[1]))
lock = threading.Lock()
def serve(c):
    f = c.makefile("rb"); w = lambda s: c.sendall(s.encode() + b"\r\n")
    w("220 sink ESMTP"); rcpt = []
    while True:
        line = f.readline()
        if not line: break
        u = line.decode("utf-8", "replace").strip(); U = u.upper()
        if U.startswith(("EHLO", "HELO")): w("250 sink")
        elif U.startswith("MAIL FROM"): rcpt = []; w("250 ok")
        elif U.startswith("RCPT TO"): rcpt.append(u[8:].strip()); w("250 ok")
        elif U == "DATA":
            w("354 go"); data = []
            while True:
                l = f.readline()
                if not l or l in (b".\r\n", b".\n"): break
                data.append(l.decode("utf-8", "replace"))
            with lock, open(out, "a") as o: o.write("RCPT " + " ".join(rcpt) + "\n" + "".join(data) + "\n=====\n")
            w("250 queued")
        elif U == "QUIT": w("221 bye"); break
        else: w("250 ok")
    c.close()
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
python3 "$TMP/sink.py" "$TMP/mail.txt" "$TMP/port" &
SINK=$!
trap 'kill $SINK 2>/dev/null; rm -rf "$TMP"' EXIT
i=0; while [ ! -s "$TMP/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
export VULND_SMTP_URL="smtp://127.0.0.1:$(cat "$TMP/port")" VULND_MAIL_FROM="vulnd@test.example"

expect_status "db init" 0 V db init
expect_status "docs/workflow.md is generated from the table" 0 sh -c "\"$VULND\" case states --markdown | cmp -s - docs/workflow.md"
expect_status "states --dot" 0 V case states --dot
expect_grep "dot has the retest loop" '"fixed" -> "fixing" \[label="retest-fail"\]' "$OUT"
for u in ana:analyst exp:expert; do
  printf '%s\n' "$PW" | "$VULND" --db "$DB" user add "${u%%:*}" --role "${u#*:}" >/dev/null
done
expect_status "library APP" 0 V library add APP --name "Mobile apps" --fields mobile-app
expect_status "library VEH (90-day fix policy)" 0 V library add VEH --name "Vehicles" --fields vehicle --fix-days 90
expect_status "vendor org" 0 V org add "Acme" --type vendor
V org product Acme "Acme Router" >/dev/null; V org product Acme "Acme Pay" >/dev/null; V org product Acme "Acme T-Box" >/dev/null
expect_status "vendor contact" 0 V org contact Acme psirt@acme.example --name "Acme PSIRT"
printf 'print("poc")\n' >"$TMP/poc.py"

# lifecycle LIB PRODUCT TAG EXTRA...: the whole path for one library
lifecycle() {
  lib=$1; prod=$2; tag=$3; shift 3
  export VULND_NOW=2025-03-03T09:00:00Z
  expect_status "$lib: report submit" 0 V report submit --title "Quokka$tag command injection in $prod" \
    --description "The diagnostics page of $prod passes the host field to a shell." --product "$prod" \
    --version 1.0 --cwe CWE-78 --grade critical --library "$lib" --attach "$TMP/poc.py:poc" "$@"
  id=$OUT
  expect_grep "$lib: prints a case id" '^[0-9][0-9]*$' "$id"
  expect_status "$lib: assign" 0 V case assign "$id" ana
  expect_status "$lib: refer to expert" 0 V case refer "$id" exp
  expect_status "$lib: expert opinion" 0 V case opinion "$id" --verdict verified --text "reproduced"
  expect_status "$lib: verify" 0 V case verify "$id" --vector "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
  rid=$(echo "$OUT" | sed -n "s/.* \($lib-[0-9]*-[0-9]*\)$/\1/p")
  expect_grep "$lib: library id allocated" "^$lib-202503-[0-9][0-9][0-9][0-9]$" "$rid"
  expect_status "$lib: unpublished record not found by public search" 1 V search "Quokka$tag"
  export VULND_NOW=2025-03-04T09:00:00Z
  expect_status "$lib: notify" 0 V case notify "$id"
  expect_grep "$lib: mail at the sink" "Subject: \[vulnd\] $rid" "$(cat "$TMP/mail.txt" 2>/dev/null)"
  expect_status "$lib: ack" 0 V case ack "$id"
  export VULND_NOW=2025-03-20T09:00:00Z
  expect_status "$lib: fix released" 0 V case fix "$id" --version 1.1
  expect_status "$lib: retest failed" 0 V case retest "$id" --fail --text "still injectable via the port field"
  expect_grep "$lib: back to fixing" "fixing" "$OUT"
  expect_status "$lib: fix released again" 0 V case fix "$id" --version 1.1.1 --patch https://acme.example/patch
  expect_status "$lib: retest passed" 0 V case retest "$id" --pass
  expect_status "$lib: publish refused (exit 3)" 3 V case publish "$id"
  expect_grep "$lib: says no solution" "no-solution" "$ERR"
  expect_grep "$lib: says operator details" "operator-details" "$ERR"
  expect_status "$lib: clear the reasons" 0 V case update "$id" --solution "Upgrade to 1.1.1." --operator-details no
  expect_status "$lib: publish" 0 V case publish "$id"
  expect_grep "$lib: published" "published" "$OUT"
  expect_status "$lib: show" 0 V show "$rid"
  expect_grep "$lib: show says published" "published" "$(V show --json "$rid")"
  expect_status "$lib: search finds it" 0 V search "Quokka$tag"
  expect_grep "$lib: search hit" "$rid" "$OUT"
  expect_status "$lib: case show" 0 V case show "$id"
  expect_grep "$lib: thread has the failed retest" "retest-fail" "$OUT"
  expect_grep "$lib: notification logged as sent" "psirt@acme.example  sent" "$OUT"
  if V show --json "$rid" | grep -q 'poc.py'; then fail "$lib: no attachment in public output"; else ok "$lib: no attachment in public output"; fi
}
lifecycle NVDB "Acme Router" One
lifecycle APP "Acme Pay" Two --field app_name=AcmePay --field package=com.acme.pay --field platform=android --field app_version=5.2
lifecycle VEH "Acme T-Box" Three --field make=Acme --field model=Roadster --field component=T-Box --field interface=cellular
expect_status "audit chain intact after it all" 0 V audit verify
expect_status "audit has case transitions" 0 V audit list --limit 0
expect_grep "audit: publish" "case.publish" "$OUT"
expect_grep "audit: intake logged" "report.submit" "$OUT"

# ---- refusals: exit 3 and every reason ----
export VULND_NOW=2025-04-01T00:00:00Z
V -q report submit --title "Second report" --description "d" --product "Acme Router" >"$TMP/id2"
id2=$(cat "$TMP/id2")
expect_status "publish from triage refused" 3 V case publish "$id2"
expect_grep "says the state" "cannot take the step publish" "$ERR"
V case assign "$id2" ana >/dev/null
V case verify "$id2" --grade high >/dev/null
expect_status "publish right after verify: every reason" 3 V case publish "$id2"
n=$(grep -c '^  - \[' "$TMP/err")
if [ "$n" -ge 4 ]; then ok "lists $n reasons at once"; else fail "lists the reasons at once" "$(cat "$TMP/err")"; fi
expect_status "assign to a missing user refused" 3 V case assign "$id2" nobody

# ---- clocks: cases due fires once, also with two processes at once ----
V case notify "$id2" >/dev/null
export VULND_NOW=2025-04-10T00:00:00Z
expect_status "cases due (dry run)" 0 V cases due --dry-run
expect_grep "ack overdue listed" "ack-overdue" "$OUT"
V cases due >"$TMP/d1" 2>&1 & p1=$!
V cases due >"$TMP/d2" 2>&1 & p2=$!
wait $p1; wait $p2
fired=$(cat "$TMP/d1" "$TMP/d2" | grep -c 'ack-overdue.*(sent now)')
if [ "$fired" -eq 1 ]; then ok "two processes: escalation fired once"; else fail "two processes: escalation fired once" "$(cat "$TMP/d1" "$TMP/d2")"; fi
export VULND_NOW=2025-04-25T00:00:00Z
expect_status "cases due at half the fix window" 0 V cases due
expect_grep "50 % reminder" "fix-reminder-50.*sent now" "$OUT"
export VULND_NOW=2025-05-20T00:00:00Z
expect_status "cases due after the 45-day deadline" 0 V cases due
expect_grep "fix overdue" "fix-overdue.*sent now" "$OUT"
expect_status "cases due again" 0 V cases due
if printf '%s' "$OUT" | grep -q 'sent now'; then fail "nothing fires twice"; else ok "nothing fires twice"; fi
expect_grep "reminder mail sent" "reminder: case $id2" "$(cat "$TMP/mail.txt")"
expect_status "VULND_NOW must be a time" 2 env VULND_NOW=yesterday "$VULND" --db "$DB" cases due

# ---- Art. 7 ----
expect_status "late vendor report" 0 V report submit --title "vendor self-report" --description "found internally" \
  --product "Acme Router" --learned 2025-05-10
expect_status "show it" 0 V case show "$OUT"
expect_grep "flagged late" "Art. 7: reported late" "$OUT"

# ---- multi-vendor: each vendor acknowledges for itself ----
V org add Other --type vendor >/dev/null
export VULND_NOW=2025-06-01T00:00:00Z
V -q report submit --title "Two-vendor parser bug" --description "a parser shared by two vendors" --product "Acme Router" >"$TMP/id3"
id3=$(cat "$TMP/id3")
V case assign "$id3" ana >/dev/null
V case verify "$id3" --grade high >/dev/null
expect_status "notify a second vendor" 0 V case notify "$id3" --vendor Other
expect_status "ack without --vendor on a two-vendor case refused" 3 V case ack "$id3"
expect_grep "says to name the vendor" "name-vendor" "$ERR"
expect_status "ack for a vendor not on the case refused" 3 V case ack "$id3" --vendor Nobody
expect_status "ack for Acme" 0 V case ack "$id3" --vendor Acme
expect_grep "case stays notified" "case $id3: notified" "$OUT"
expect_grep "names the pending vendor" "not acknowledged yet: Other" "$OUT"
export VULND_NOW=2025-06-09T00:00:00Z
expect_status "cases due (dry run)" 0 V cases due --dry-run
expect_grep "ack-overdue names the pending vendor" "ack-overdue.*not acknowledged: Other" "$OUT"
expect_status "ack for Other" 0 V case ack "$id3" --vendor Other
expect_grep "now acknowledged" "case $id3: acknowledged" "$OUT"
expect_status "case show" 0 V case show "$id3"
expect_grep "per-vendor acknowledgement shown" "vendor org .*Other: acknowledged 2025-06-09" "$OUT"

# ---- hostile input: clear error, nothing changed ----
V case list >"$TMP/cases.before"; V audit list --limit 0 >"$TMP/audit.before"
BIG=$(head -c 70000 /dev/zero | tr '\0' 'A')
expect_status "oversized description → 2" 2 V report submit --title t --description "$BIG" --product p
expect_grep "says too long" "longer than" "$ERR"
expect_status "invalid UTF-8 title → 2" 2 V report submit --title "$(printf 'bad\377')" --description d --product p
expect_grep "says UTF-8" "UTF-8" "$ERR"
head -c 11000000 /dev/zero >"$TMP/huge.bin"
expect_status "oversized attachment → 2" 2 V report submit --title t --description d --product p --attach "$TMP/huge.bin"
expect_grep "says the limit" "limit" "$ERR"
cp "$TMP/poc.py" "$TMP/.hidden"
expect_status "dot-file attachment name → 2" 2 V report submit --title t --description d --product p --attach "$TMP/.hidden"
expect_status "bad vector → 2" 2 V report submit --title t --description d --product p --vector "CVSS:3.1/AV:X"
expect_status "unknown library → 2" 2 V report submit --title t --description d --product p --library "NOPE';--"
expect_status "bad case id → 2" 2 V case show "1; DROP TABLE cases"
V case list >"$TMP/cases.after"; V audit list --limit 0 >"$TMP/audit.after"
if cmp -s "$TMP/cases.before" "$TMP/cases.after"; then ok "cases unchanged"; else fail "cases unchanged"; fi
if cmp -s "$TMP/audit.before" "$TMP/audit.after"; then ok "audit unchanged"; else fail "audit unchanged" "$(diff "$TMP/audit.before" "$TMP/audit.after" | head -5)"; fi
expect_status "SQL-looking title is just text" 0 V report submit --title "x'); DROP TABLE cases;--" --description d --product p
expect_status "case list still works" 0 V case list
expect_grep "title verbatim" "x'); DROP TABLE cases;--" "$OUT"
if find "$DB.attachments" -type f | grep -q poc; then fail "attachments stored by content hash only"; else ok "attachments stored by content hash only"; fi
done_tests
