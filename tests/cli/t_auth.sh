#!/bin/sh
# Accounts, organisations, tokens, libraries and the audit chain from the
# command line: passwords from stdin only, secrets never printed or stored
# in the clear, hostile input refused with nothing changed, audit verify
# naming the first broken entry after tampering.
. tests/cli_lib.sh
DB="$TMP/a.db"
V() { "$VULND" --db "$DB" "$@"; }
PW='s3cret-Pass-phrase'

expect_status "db init" 0 V db init
expect_status "library list" 0 V library list
expect_grep "db init made the national library NVDB" "^NVDB *national" "$OUT"

# ---- users ----
expect_status "user add: password on the command line is refused" 2 V user add alice --role analyst --password "$PW"
expect_grep "says stdin" "standard input" "$ERR"
expect_status "user add: no password on stdin" 2 sh -c "\"$VULND\" --db \"$DB\" user add alice --role analyst </dev/null"
expect_status "user add alice (password on stdin)" 0 sh -c "printf '%s\n' '$PW' | \"$VULND\" --db \"$DB\" user add alice --role analyst"
expect_grep "added" "user alice added" "$OUT"
if printf '%s%s' "$OUT" "$ERR" | grep -q -- "$PW"; then fail "password not echoed"; else ok "password not echoed"; fi
expect_status "user add again → conflict" 4 sh -c "printf '%s' '$PW' | \"$VULND\" --db \"$DB\" user add alice --role reporter"
expect_grep "already exists" "already exists" "$ERR"
expect_status "user add: unknown role → 2" 2 sh -c "printf '%s' '$PW' | \"$VULND\" --db \"$DB\" user add zed --role root"
expect_status "user add: short password → 2" 2 sh -c "printf 'short' | \"$VULND\" --db \"$DB\" user add zed --role reporter"
expect_status "org add vendor" 0 V org add "Acme Motors" --type vendor
expect_status "org add: bad type → 2" 2 V org add Foo --type pirate
expect_status "vendor user without a vendor org → 2" 2 sh -c "printf '%s' '$PW' | \"$VULND\" --db \"$DB\" user add vic --role vendor"
expect_status "vendor user in Acme" 0 sh -c "printf '%s' '$PW' | \"$VULND\" --db \"$DB\" user add vic --role vendor --org 'Acme Motors'"
expect_status "user list" 0 V user list
expect_grep "list has alice" "^alice *analyst *active" "$OUT"
expect_grep "list has vic in Acme" "^vic *vendor .*Acme Motors" "$OUT"
expect_status "user list --json" 0 V user list --json
expect_grep "json role" '"role":"vendor"' "$OUT"
if printf '%s' "$OUT" | grep -q -i -- 'argon\|pw_hash\|password'; then fail "no hash in list"; else ok "no hash in list"; fi
expect_status "user role alice expert" 0 V user role alice expert
expect_status "user show alice" 0 V user show alice
expect_grep "alice is expert" "expert" "$OUT"
expect_status "user disable vic" 0 V user disable vic
expect_status "user show vic" 0 V user show vic
expect_grep "vic disabled" "disabled" "$OUT"
expect_status "user enable vic" 0 V user enable vic
expect_status "user role: missing user → 1" 1 V user role nobody analyst

# ---- hostile input: clear error, nothing changed ----
V user list >"$TMP/users.before"
V audit list --limit 0 >"$TMP/audit.before"
BIG=$(printf '%0300d' 0)
expect_status "oversized user name → 2" 2 sh -c "printf '%s' '$PW' | \"$VULND\" --db \"$DB\" user add $BIG --role reporter"
expect_grep "says too long" "longer than 64" "$ERR"
expect_status "SQL-looking user name → 2" 2 sh -c "printf '%s' '$PW' | \"$VULND\" --db \"$DB\" user add \"x'; DROP TABLE users;--\" --role reporter"
expect_grep "says which characters" "may contain only" "$ERR"
BAD=$(printf 'bad\377name')
expect_status "invalid UTF-8 org name → 2" 2 V org add "$BAD" --type vendor
expect_grep "says UTF-8" "UTF-8" "$ERR"
expect_status "oversized org name → 2" 2 V org add "$BIG" --type vendor
expect_status "oversized product → 2" 2 V org product "Acme Motors" "$BIG$BIG"
expect_status "bad contact email → 2" 2 V org contact "Acme Motors" "not an email"
expect_status "bad library code → 2" 2 V library add "x';--" --name Foo
expect_status "bad field set → 2" 2 V library add CAR --name Cars --fields spaceship
V user list >"$TMP/users.after"
V audit list --limit 0 >"$TMP/audit.after"
if cmp -s "$TMP/users.before" "$TMP/users.after"; then ok "users unchanged"; else fail "users unchanged"; fi
if cmp -s "$TMP/audit.before" "$TMP/audit.after"; then ok "audit unchanged by refused input"; else fail "audit unchanged by refused input" "$(diff "$TMP/audit.before" "$TMP/audit.after" | head -5)"; fi
expect_status "SQL-looking org name is just a name" 0 V org add "Robert'); DROP TABLE orgs;--" --type reporter-team
expect_status "org list after it" 0 V org list
expect_grep "tables intact, name verbatim" "Robert'); DROP TABLE orgs;--" "$OUT"

# ---- organisations ----
expect_status "org product" 0 V org product "Acme Motors" "T-Box 3"
expect_status "org contact" 0 V org contact "Acme Motors" psirt@acme.example --name "Acme PSIRT"
expect_status "org member" 0 V org member "Acme Motors" alice
expect_status "org show" 0 V org show "Acme Motors"
expect_grep "member listed" "member *alice" "$OUT"
expect_grep "product listed" "product *T-Box 3" "$OUT"
expect_grep "contact listed" "psirt@acme.example (Acme PSIRT)" "$OUT"
expect_status "product on a non-vendor → 2" 2 V org product "Robert'); DROP TABLE orgs;--" Thing

# ---- tokens ----
expect_status "token create" 0 V token create alice --scope read --expires 30
TOKEN=$OUT
expect_grep "token shape" '^vdt_[A-Za-z0-9_-]\{43\}$' "$TOKEN"
expect_grep "token info on stderr" "shown once" "$ERR"
expect_status "token create: bad scope → 2" 2 V token create alice --scope root
expect_status "token create: bad expiry → 2" 2 V token create alice --scope read --expires 0
expect_status "token list" 0 V token list
expect_grep "listed active" "alice *read .*active" "$OUT"
if printf '%s' "$OUT" | grep -q -- "${TOKEN#vdt_}"; then fail "token not in list"; else ok "token not in list"; fi
TID=$(printf '%s' "$OUT" | awk '/alice/ {print $1; exit}')
expect_status "token revoke" 0 V token revoke "$TID"
expect_status "token list after revoke" 0 V token list alice
expect_grep "listed revoked" "revoked" "$OUT"
expect_status "token revoke: bad id → 2" 2 V token revoke abc
expect_status "token revoke: unknown id → 1" 1 V token revoke 9999

# ---- libraries ----
expect_status "library add APP" 0 V library add APP --name "Mobile apps" --fields mobile-app --fix-days 90 --blackout "2025-10-01/2025-10-08/National Day"
expect_grep "APP fields shown" "mini-program" "$OUT"
expect_status "library add VEH" 0 V library add VEH --name "Vehicles" --fields vehicle
expect_status "library add APP again → 4" 4 V library add APP --name Again
expect_status "second national library → 4" 4 V library add NAT --name Other --national
expect_status "library show VEH --json" 0 V library show VEH --json
expect_grep "vehicle interfaces" '"V2X"' "$OUT"
expect_grep "default fix days" '"fix_days":45' "$OUT"
expect_status "library policy VEH" 0 V library policy VEH --ack-days 3
expect_grep "policy changed" "acknowledgement 3 days" "$OUT"
expect_status "library next-id APP" 0 V library next-id APP
MONTH=$(date -u +%Y%m)
expect_grep "id format" "^APP-$MONTH-0001\$" "$OUT"
expect_status "library next-id APP again" 0 V library next-id APP
expect_grep "next number" "^APP-$MONTH-0002\$" "$OUT"
expect_status "library next-id: unknown → 1" 1 V library next-id NOPE

# ---- secrets never stored or logged in the clear ----
expect_status "audit list" 0 V audit list --limit 0
expect_grep "login-free admin actions audited" "user.add" "$OUT"
expect_grep "token creation audited" "token.create" "$OUT"
if printf '%s' "$OUT" | grep -q -- "$PW\|${TOKEN#vdt_}"; then fail "no secret in the audit chain"; else ok "no secret in the audit chain"; fi
if cat "$DB"* | grep -a -q -- "$PW\|${TOKEN#vdt_}"; then fail "no secret in the database files"; else ok "no secret in the database files"; fi

# ---- audit verify and prune ----
expect_status "audit verify" 0 V audit verify
expect_grep "intact" "audit chain intact" "$OUT"
expect_status "audit prune within 6 months → 3" 3 V audit prune --before "$(date -u +%Y-%m-%d)"
expect_grep "says why" "6 months (Art. 5)" "$ERR"
expect_status "audit prune: bad date → 2" 2 V audit prune --before yesterday
expect_status "audit prune of old entries" 0 V audit prune --before 2001-01-01
expect_status "audit verify after prune" 0 V audit verify

# ==== tampering: the database file edited directly (python3 sqlite3), the
# ==== way someone with file access could, triggers dropped first.
BASE="$TMP/base.db"
"$VULND" --db "$BASE" db init >/dev/null
for o in One Two Three Four Five Six; do "$VULND" --db "$BASE" org add "Org $o" --type alliance >/dev/null; done
tamper() { # $1: db, $2: SQL
  python3 - "$1" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("DROP TRIGGER IF EXISTS audit_append_only; DROP TRIGGER IF EXISTS audit_keep_6_months;" + sys.argv[2])
c.commit(); c.close()
PY
}
cp "$BASE" "$TMP/alter.db"; tamper "$TMP/alter.db" "UPDATE audit SET why = 'type vendor' WHERE seq = 4"
expect_status "verify after altering entry 4 → 4" 4 "$VULND" --db "$TMP/alter.db" audit verify
expect_grep "names entry 4 (altered)" "BROKEN at entry 4: .*altered" "$OUT"
cp "$BASE" "$TMP/del.db"; tamper "$TMP/del.db" "DELETE FROM audit WHERE seq = 3"
expect_status "verify after deleting entry 3 → 4" 4 "$VULND" --db "$TMP/del.db" audit verify
expect_grep "names entry 3 (missing)" "BROKEN at entry 3: .*missing" "$OUT"
cp "$BASE" "$TMP/swap.db"; tamper "$TMP/swap.db" "UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = -1;"
expect_status "verify after swapping entries 2 and 5 → 4" 4 "$VULND" --db "$TMP/swap.db" audit verify
expect_grep "names entry 2" "BROKEN at entry 2" "$OUT"
expect_status "untouched copy still verifies" 0 "$VULND" --db "$BASE" audit verify

# ---- help ----
for c in user org token library audit; do
  expect_status "help $c" 0 "$VULND" help $c
done
done_tests
