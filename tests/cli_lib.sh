# Sourced by tests/cli/*.sh: tiny helpers with the same summary protocol as
# tests/harness.h.  Each check prints "ok - name" or "not ok - name" + why.
PASSED=0; FAILED=0; SKIPPED=0
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
ok()   { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "  $l"; done; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip - $1"; }
# expect_status NAME WANT CMD...: run CMD, keep stdout/stderr in $OUT/$ERR.
expect_status() {
  name=$1; want=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"; got=$?
  OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
  if [ "$got" -eq "$want" ]; then ok "$name"; else fail "$name" "exit $got, expected $want: $*" "stderr: $(head -c 600 "$TMP/err")"; fi
}
# expect_grep NAME PATTERN TEXT
expect_grep() {
  if printf '%s' "$3" | grep -q -- "$2"; then ok "$1"; else fail "$1" "no match for /$2/ in: $(printf '%s' "$3" | head -c 600)"; fi
}
done_tests() { echo "# $PASSED passed, $FAILED failed, $SKIPPED skipped"; [ "$FAILED" -eq 0 ]; }
