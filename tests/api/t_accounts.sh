#!/bin/sh
# Accounts over HTTP (issue 6) on a real socket: login (cookie flags, CSRF
# token), wrong passwords 401, lockout 429 + Retry-After and its expiry,
# session expiry, token scopes and revocation, bearer wins over the cookie
# and a bad credential is never anonymous, CSRF refusal of cookie writes,
# users/orgs/tokens/libraries/audit endpoints and their permissions, and no
# password, token or session id in any API answer or in the access log.
# The server's clock is set with VULND_NOW (test-only; docs/config.md) and
# moved by restarting the server.
. tests/cli_lib.sh
DB="$TMP/acc.db"
V() { "$VULND" --db "$DB" "$@"; }
PW='Acc0unt-pass-phrase'
PW2='An0ther-pass-phrase'
command -v curl >/dev/null || { fail "curl installed"; done_tests; exit 1; }
command -v python3 >/dev/null || { fail "python3 installed"; done_tests; exit 1; }
V db init >/dev/null || { fail "db init"; done_tests; exit 1; }
adduser() { printf '%s\n' "$PW" | V user add "$@" >/dev/null 2>&1 || fail "user add $*"; }
V org add Acme --type vendor >/dev/null
V org add Other --type vendor >/dev/null
adduser boss --role admin
adduser ana --role analyst
adduser rep --role reporter
adduser ven --role vendor --org Acme
adduser ven2 --role vendor --org Other
T0="2030-01-10T00:00:00Z"

# start NOW: (re)start the server with VULND_NOW=NOW; sets U and PID
PID=""
start() {
  [ -n "$PID" ] && { kill -TERM "$PID"; wait "$PID" 2>/dev/null; }
  : > "$TMP/serve.log"
  VULND_NOW="$1" "$VULND" --db "$DB" serve --listen 127.0.0.1:0 --access-log "$TMP/access.log" \
    2>>"$TMP/serve.err" >"$TMP/serve.log" &
  PID=$!
  port=""
  for i in $(seq 1 100); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.err" | tail -n 1)
    [ -n "$port" ] && kill -0 "$PID" 2>/dev/null && [ "$port" != "$LASTPORT" ] && break
    sleep 0.05
  done
  LASTPORT=$port
  U="http://127.0.0.1:$port"
}
trap '[ -n "$PID" ] && kill -TERM $PID 2>/dev/null; rm -rf "$TMP"' EXIT
start "$T0"
[ -n "$port" ] && ok "server starts (VULND_NOW=$T0)" || { fail "server starts" "$(cat "$TMP/serve.err")"; done_tests; exit 1; }

# req [curl args]: status in $S, headers in $TMP/h, body in $TMP/b (all bodies kept in $TMP/all)
req() {
  : > "$TMP/b"
  S=$(curl -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' "$@")
  cat "$TMP/b" >> "$TMP/all"; echo >> "$TMP/all"
  tr -d '\r' < "$TMP/h" | grep -iv '^set-cookie:' >> "$TMP/all"
}
# the answer of POST /api/v1/tokens shows the new token once: kept out of $TMP/all
reqtoken() {
  : > "$TMP/b"
  S=$(curl -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' "$@")
}
hdr() { tr -d '\r' < "$TMP/h" | sed -n "s/^$1: //Ip" | head -n 1; }
py() { python3 -c "import json,sys; d=json.load(open('$TMP/b')); print($1)" 2>&1; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', expected '$3'" "body: $(head -c 400 "$TMP/b")"; fi; }
J="Content-Type: application/json"
# login NAME PASSWORD: sets SID and CSRF
login() {
  req -X POST -H "$J" -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$U/api/v1/login"
  SID=$(tr -d '\r' < "$TMP/h" | sed -n 's/^[Ss]et-[Cc]ookie: vd_session=\([^;]*\);.*/\1/p')
  CSRF=$(py 'd.get("csrf","")')
  [ -n "$SID" ] && echo "$SID" >> "$TMP/secrets"
}

# ---- anonymous ----
req "$U/api/v1/me"
is "anonymous GET /me → 401" "$S" 401
req "$U/api/v1/users"
is "anonymous GET /users → 401" "$S" 401
req "$U/api/v1/libraries"
is "anonymous GET /libraries → 200 (public)" "$S" 200
is "national library listed" "$(py '[l["code"] for l in d["libraries"]]')" "['NVDB']"
req -X POST -H "$J" -d '{"title":"x","description":"y","product":"z"}' "$U/api/v1/reports"
is "anonymous report submit → 401" "$S" 401

# ---- wrong passwords ----
login rep "wrong-password-1"
is "wrong password → 401" "$S" 401
is "wrong password: no cookie" "$SID" ""
is "wrong password message" "$(py 'd["error"]["message"]')" "wrong user name or password"
login nosuchuser "$PW"
is "unknown user → 401" "$S" 401
is "unknown user: same message" "$(py 'd["error"]["message"]')" "wrong user name or password"
req -X POST -H "$J" -d "{\"name\":\"rep\",\"password\":\"$PW\",\"remember\":true}" "$U/api/v1/login"
is "login with an unknown field → 400" "$S" 400
req -X POST -d "name=rep&password=$PW" "$U/api/v1/login"
is "login as a form → 415" "$S" 415

# ---- a session ----
login rep "$PW"
is "login → 200" "$S" 200
SC=$(tr -d '\r' < "$TMP/h" | grep -i '^set-cookie:')
expect_grep "cookie is HttpOnly" "HttpOnly" "$SC"
expect_grep "cookie is SameSite=Strict" "SameSite=Strict" "$SC"
expect_grep "cookie Path=/" "Path=/" "$SC"
expect_grep "cookie Max-Age is the session lifetime (12 h)" "Max-Age=43200" "$SC"
expect_grep "session id looks like vds_" "^vds_" "$SID"
expect_grep "csrf token in the body" "^[A-Za-z0-9_-]\{20,\}$" "$CSRF"
if grep -q -- "$SID" "$TMP/b"; then fail "session id not in the login body"; else ok "session id not in the login body"; fi
is "login answer: role" "$(py 'd["role"]')" reporter
is "login: Cache-Control no-store" "$(hdr Cache-Control)" "no-store"
REP_SID=$SID REP_CSRF=$CSRF
req -b "vd_session=$SID" "$U/api/v1/me"
is "GET /me with the cookie → 200" "$S" 200
is "me: name" "$(py 'd["name"]')" rep
is "me: via session" "$(py 'd["via"]')" session
req -b "vd_session=vds_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$U/api/v1/me"
is "unknown session → 401 (not anonymous)" "$S" 401
req -b "vd_session=vds_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$U/api/v1/vulns"
is "bad cookie on a public route → 401 too" "$S" 401

# ---- CSRF ----
req -X POST -b "vd_session=$SID" -H "$J" -d '{"scope":"read"}' "$U/api/v1/tokens"
is "cookie write without X-CSRF-Token → 403" "$S" 403
is "CSRF error code" "$(py 'd["error"]["code"]')" csrf
req -X POST -b "vd_session=$SID" -H "X-CSRF-Token: not-the-token" -H "$J" -d '{"scope":"read"}' "$U/api/v1/tokens"
is "cookie write with a wrong CSRF token → 403" "$S" 403
reqtoken -X POST -b "vd_session=$SID" -H "X-CSRF-Token: $CSRF" -H "$J" -d '{"scope":"read"}' "$U/api/v1/tokens"
is "cookie write with the CSRF token → 201" "$S" 201
RTOK=$(py 'd["token"]'); RTOK_ID=$(py 'd["id"]')
echo "$RTOK" >> "$TMP/secrets"
expect_grep "token looks like vdt_" "^vdt_" "$RTOK"
is "token scope read" "$(py 'd["scope"]')" read
reqtoken -X POST -b "vd_session=$SID" -H "X-CSRF-Token: $CSRF" -H "$J" -d '{"scope":"write","expires_days":30}' "$U/api/v1/tokens"
is "write token → 201" "$S" 201
WTOK=$(py 'd["token"]'); WTOK_ID=$(py 'd["id"]')
echo "$WTOK" >> "$TMP/secrets"
expect_grep "write token expires" "2030-02-09" "$(py 'd["expires"]')"

# ---- tokens: scopes, listing, bearer wins, revocation ----
req -H "Authorization: Bearer $RTOK" "$U/api/v1/me"
is "bearer read token → /me 200" "$S" 200
is "me via token, scope read" "$(py 'd["via"]+" "+d["scope"]')" "token read"
req -H "Authorization: Bearer $RTOK" "$U/api/v1/tokens"
is "list tokens → 200" "$S" 200
is "two tokens listed" "$(py 'len(d["tokens"])')" 2
if grep -q -- "$RTOK" "$TMP/b" || grep -q -- "$WTOK" "$TMP/b"; then fail "token list has no secrets"; else ok "token list has no secrets"; fi
req -X POST -H "Authorization: Bearer $RTOK" -H "$J" -d '{"title":"t","description":"d","product":"p"}' "$U/api/v1/reports"
is "read token may not submit a report → 403" "$S" 403
expect_grep "403 says scope" "scope 'read'" "$(py 'd["error"]["message"]')"
req -X POST -H "Authorization: Bearer $WTOK" -H "$J" -d '{"scope":"admin"}' "$U/api/v1/tokens"
is "write token may not mint tokens → 403" "$S" 403
req -X POST -H "Authorization: Bearer $WTOK" -H "$J" \
  -d '{"title":"Tokened report","description":"via a write token","product":"widget"}' "$U/api/v1/reports"
is "write token may submit a report → 201" "$S" 201
is "no CSRF needed with a bearer token" "$(py 'd["state"]')" triage
req -H "Authorization: Bearer vdt_nonsense" -b "vd_session=$SID" "$U/api/v1/me"
is "bad bearer + good cookie → 401 (bearer wins)" "$S" 401
req -H "Authorization: Bearer $RTOK" -b "vd_session=vds_bad" "$U/api/v1/me"
is "good bearer + bad cookie → 200 (bearer wins)" "$S" 200
req -H "Authorization: Basic cmVwOnBhc3M=" "$U/api/v1/me"
is "Basic credentials → 401" "$S" 401
req -X DELETE -H "Authorization: Bearer $RTOK" "$U/api/v1/tokens/$WTOK_ID"
is "read token may not revoke → 403" "$S" 403
req -X DELETE -b "vd_session=$SID" -H "X-CSRF-Token: $CSRF" "$U/api/v1/tokens/$RTOK_ID"
is "revoke own token → 200" "$S" 200
req -H "Authorization: Bearer $RTOK" "$U/api/v1/me"
is "revoked token → 401" "$S" 401
req -H "Authorization: Bearer $RTOK" "$U/api/v1/vulns"
is "revoked token on a public route → 401" "$S" 401
req -b "vd_session=$SID" "$U/api/v1/tokens"
is "list shows the revocation" "$(py '[t["id"] for t in d["tokens"] if t["revoked"]]')" "[$RTOK_ID]"
req -X DELETE -b "vd_session=$SID" -H "X-CSRF-Token: $CSRF" "$U/api/v1/tokens/abc"
is "revoke: bad id → 400" "$S" 400

# ---- users, orgs, libraries: permissions ----
req -b "vd_session=$SID" "$U/api/v1/users"
is "reporter GET /users → 403" "$S" 403
login boss "$PW"
is "admin login" "$S" 200
ADM_SID=$SID ADM_CSRF=$CSRF
A() { req -b "vd_session=$ADM_SID" -H "X-CSRF-Token: $ADM_CSRF" "$@"; }
A "$U/api/v1/users"
is "admin GET /users → 200" "$S" 200
is "5 users" "$(py 'len(d["users"])')" 5
if grep -qi 'hash\|password\|argon' "$TMP/b"; then fail "user list has no password data"; else ok "user list has no password data"; fi
A -X POST -H "$J" -d "{\"name\":\"newbie\",\"role\":\"reporter\",\"password\":\"$PW2\"}" "$U/api/v1/users"
is "admin adds a user → 201" "$S" 201
if grep -q -- "$PW2" "$TMP/b"; then fail "password not echoed"; else ok "password not echoed"; fi
A -X POST -H "$J" -d "{\"name\":\"newbie\",\"role\":\"reporter\",\"password\":\"$PW2\"}" "$U/api/v1/users"
is "same name again → 409" "$S" 409
A -X POST -H "$J" -d "{\"name\":\"v3\",\"role\":\"vendor\",\"password\":\"$PW2\"}" "$U/api/v1/users"
is "vendor without a vendor org → 400" "$S" 400
A -X POST -H "$J" -d '{"role":"expert"}' "$U/api/v1/users/newbie/role"
is "admin sets a role → 200" "$S" 200
A "$U/api/v1/users/newbie"
is "role changed" "$(py 'd["role"]')" expert
A -X POST -H "$J" -d '{"role":"root"}' "$U/api/v1/users/newbie/role"
is "unknown role → 400" "$S" 400
A -X POST "$U/api/v1/users/nobody/disable"
is "disable unknown user → 404" "$S" 404
login newbie "$PW2"
is "newbie logs in" "$S" 200
NEW_SID=$SID
A -X POST "$U/api/v1/users/newbie/disable"
is "admin disables newbie → 200" "$S" 200
req -b "vd_session=$NEW_SID" "$U/api/v1/me"
is "disabled user's session ends → 401" "$S" 401
login newbie "$PW2"
is "disabled user cannot log in → 401" "$S" 401
A -X POST "$U/api/v1/users/newbie/enable"
is "enable → 200" "$S" 200
A -X POST -H "$J" -d '{"name":"Team Red","type":"reporter-team"}' "$U/api/v1/orgs"
is "admin adds an org → 201" "$S" 201
A -X POST -H "$J" -d '{"name":"Team Blue","type":"pirates"}' "$U/api/v1/orgs"
is "bad org type → 400" "$S" 400
A -X POST -H "$J" -d '{"user":"rep"}' "$U/api/v1/orgs/Team%20Red/members"
is "admin adds a member → 200" "$S" 200
A -X POST -H "$J" -d '{"product":"widget"}' "$U/api/v1/orgs/Acme/products"
is "admin adds a product → 201" "$S" 201
A -X POST -H "$J" -d '{"email":"psirt@acme.example","name":"Acme PSIRT"}' "$U/api/v1/orgs/Acme/contacts"
is "admin adds a contact → 201" "$S" 201
login ven "$PW"
VEN_SID=$SID VEN_CSRF=$CSRF
req -b "vd_session=$VEN_SID" "$U/api/v1/orgs/Acme/contacts"
is "vendor reads its own org's contacts → 200" "$S" 200
is "contact listed" "$(py 'd["contacts"][0]["email"]')" psirt@acme.example
req -b "vd_session=$VEN_SID" "$U/api/v1/orgs/Other/contacts"
is "vendor reads another org → 403" "$S" 403
req -b "vd_session=$VEN_SID" "$U/api/v1/orgs"
is "vendor lists only its orgs" "$(py '[o["name"] for o in d["orgs"]]')" "['Acme']"
req -X POST -b "vd_session=$VEN_SID" -H "X-CSRF-Token: $VEN_CSRF" -H "$J" -d '{"product":"gadget"}' "$U/api/v1/orgs/Acme/products"
is "vendor adds a product to its own org → 201" "$S" 201
req -X POST -b "vd_session=$VEN_SID" -H "X-CSRF-Token: $VEN_CSRF" -H "$J" -d '{"product":"gizmo"}' "$U/api/v1/orgs/Other/products"
is "vendor adds a product to another org → 403" "$S" 403
A -X DELETE "$U/api/v1/orgs/Team%20Red/members/rep"
is "admin removes a member → 200" "$S" 200
A -X POST -H "$J" -d '{"code":"APP","name":"Mobile apps","field_set":"mobile-app","fix_days":90,"blackouts":[{"from":"2030-10-01","to":"2030-10-08","reason":"National Day"}]}' "$U/api/v1/libraries"
is "admin adds a library → 201" "$S" 201
req "$U/api/v1/libraries/APP"
is "anonymous reads the library" "$(py 'd["fix_days"], d["field_set"], len(d["blackouts"])')" "90 mobile-app 1"
A -X PUT -H "$J" -d '{"name":"Mobile applications","field_set":"mobile-app","fix_days":60}' "$U/api/v1/libraries/APP"
is "admin updates the library → 200" "$S" 200
req "$U/api/v1/libraries/APP"
is "update replaced policy and blackouts" "$(py 'd["name"], d["fix_days"], len(d["blackouts"])')" "Mobile applications 60 0"
req -X PUT -b "vd_session=$VEN_SID" -H "X-CSRF-Token: $VEN_CSRF" -H "$J" -d '{"name":"x"}' "$U/api/v1/libraries/APP"
is "vendor may not update a library → 403" "$S" 403
A -X POST -H "$J" -d '{"code":"APP","name":"again"}' "$U/api/v1/libraries"
is "library code exists → 409" "$S" 409
A "$U/api/v1/audit/verify"
is "admin audit verify → 200" "$S" 200
is "audit chain intact" "$(py 'd["intact"]')" True
req -b "vd_session=$VEN_SID" "$U/api/v1/audit/verify"
is "vendor audit verify → 403" "$S" 403

# ---- password change ----
req -X POST -b "vd_session=$REP_SID" -H "X-CSRF-Token: $REP_CSRF" -H "$J" -d "{\"new_password\":\"$PW2\"}" "$U/api/v1/me/password"
is "own password change without the old one → refused" "$S" 403
req -X POST -b "vd_session=$REP_SID" -H "X-CSRF-Token: $REP_CSRF" -H "$J" -d "{\"old_password\":\"$PW\",\"new_password\":\"$PW2\"}" "$U/api/v1/me/password"
is "own password change → 200" "$S" 200
login rep "$PW"
is "old password no longer works → 401" "$S" 401
login rep "$PW2"
is "new password works → 200" "$S" 200
REP_SID=$SID REP_CSRF=$CSRF

# ---- logout ----
req -X POST -b "vd_session=$REP_SID" "$U/api/v1/logout"
is "logout without CSRF → 403" "$S" 403
req -X POST -b "vd_session=$REP_SID" -H "X-CSRF-Token: $REP_CSRF" "$U/api/v1/logout"
is "logout → 200" "$S" 200
expect_grep "logout clears the cookie" "Max-Age=0" "$(tr -d '\r' < "$TMP/h" | grep -i '^set-cookie:')"
req -b "vd_session=$REP_SID" "$U/api/v1/me"
is "session gone after logout → 401" "$S" 401
req -X POST "$U/api/v1/logout"
is "anonymous logout → 401" "$S" 401

# ---- lockout and its expiry ----
for i in 1 2 3 4 5; do login ven2 "wrong-$i-password"; done
is "5th wrong password → 401" "$S" 401
login ven2 "$PW"
is "locked: even the right password → 429" "$S" 429
RA=$(hdr Retry-After)
is "Retry-After is the lockout left (900 s)" "$RA" 900
is "locked error code" "$(py 'd["error"]["code"]')" locked
expect_grep "locked message says until when" "2030-01-10T00:15:00Z" "$(py 'd["error"]["message"]')"
start "2030-01-10T00:10:00Z"
login ven2 "$PW"
is "still locked 10 minutes later → 429" "$S" 429
is "Retry-After counts down (300 s)" "$(hdr Retry-After)" 300
start "2030-01-10T00:16:00Z"
login ven2 "$PW"
is "lockout expired 16 minutes later → 200" "$S" 200
V2_SID=$SID

# ---- session expiry (12 h) ----
req -b "vd_session=$V2_SID" "$U/api/v1/me"
is "session valid at once" "$S" 200
start "2030-01-10T11:00:00Z"
req -b "vd_session=$V2_SID" "$U/api/v1/me"
is "session valid after 10 h 44 min" "$S" 200
start "2030-01-10T12:30:00Z"
req -b "vd_session=$V2_SID" "$U/api/v1/me"
is "session expired after 12 h → 401" "$S" 401
req -b "vd_session=$ADM_SID" "$U/api/v1/me"
is "admin session expired too → 401" "$S" 401
req -H "Authorization: Bearer $WTOK" "$U/api/v1/me"
is "30-day token still valid" "$S" 200
start "2030-02-10T00:00:00Z"
req -H "Authorization: Bearer $WTOK" "$U/api/v1/me"
is "token past its expiry → 401" "$S" 401

# ---- no secrets in answers, the access log, the server's stderr or the audit chain ----
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=""
echo "$PW" >> "$TMP/secrets"; echo "$PW2" >> "$TMP/secrets"
V audit list > "$TMP/audit.txt" 2>&1
leaks=""
while read -r sec; do
  [ -z "$sec" ] && continue
  for f in all access.log serve.err audit.txt; do
    grep -qF -- "$sec" "$TMP/$f" && leaks="$leaks $f:${sec%"${sec#????????}"}..."
  done
done < "$TMP/secrets"
[ -z "$leaks" ] && ok "no password, token or session id in API answers, access log, stderr or audit chain ($(wc -l < "$TMP/secrets" | tr -d ' ') secrets)" || fail "secrets leaked" "$leaks"
expect_grep "access log has the login requests" "POST /api/v1/login HTTP" "$(cat "$TMP/access.log")"
expect_grep "audit chain recorded the lockout" "login.locked" "$(cat "$TMP/audit.txt")"
expect_grep "audit chain recorded the CSRF refusal" "csrf.deny" "$(cat "$TMP/audit.txt")"
done_tests
