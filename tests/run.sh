#!/bin/sh
# Runs every test program under $BUILD/tests and every tests/cli/*.sh script,
# adds up their "# N passed, N failed, N skipped" lines and prints the total.
# Environment: VULND (the binary), BUILD (build dir), SHARED (../shared).
: "${BUILD:=build/release}" "${VULND:=$PWD/vulnd}" "${SHARED:=$(cd .. && pwd)/shared}"
export VULND SHARED BUILD
P=0; F=0; S=0
log=$(mktemp); trap 'rm -f "$log"' EXIT
add() { # $1: name, output on $log, $2 exit status
  line=$(grep '^# [0-9]* passed, [0-9]* failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "FAIL $1: no summary line (exit $2)"; tail -n 20 "$log"; F=$((F + 1)); return
  fi
  p=$(echo "$line" | sed 's/^# \([0-9]*\) passed.*/\1/')
  f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
  s=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p'); s=${s:-0}
  if [ "$f" -eq 0 ] && [ "$2" -ne 0 ]; then
    echo "FAIL $1: exit status $2 with no failed test"; tail -n 20 "$log"; f=1
  fi
  P=$((P + p)); F=$((F + f)); S=$((S + s))
  if [ "$f" -ne 0 ]; then echo "FAIL $1"; grep -v '^ok - ' "$log" | tail -n 60
  else printf '%-40s %s\n' "$1" "$p passed${s:+, $s skipped}"; fi
}
for t in $(find "$BUILD/tests" -type f -name 't_*' | sort); do
  "$t" >"$log" 2>&1; add "${t#$BUILD/}" $?
done
for t in tests/cli/*.sh tests/api/*.sh; do
  [ -f "$t" ] || continue
  sh "$t" >"$log" 2>&1; add "$t" $?
done
for r in $(find "$BUILD/replay" -type f 2>/dev/null | sort); do
  name=$(basename "$r")
  "$r" "tests/fuzz/corpus/${name#fuzz_}" >"$log" 2>&1; add "fuzz replay $name" $?
done
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
