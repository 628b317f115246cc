#!/bin/sh
# Build each tests/fuzz/fuzz_*.c with libFuzzer (clang) and run it for
# $1 seconds (default 60) on a copy of its seed corpus.  Crashes are left
# in tests/fuzz/crashes/ (git-ignored).
secs=${1:-60}
mkdir -p build/fuzz tests/fuzz/crashes
PKGS=$(sed -n "s/^PKGS *:= *//p" Makefile)
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lm -lpthread"
SRC=$(find src -name '*.c' ! -path src/main.c)
status=0
for f in tests/fuzz/fuzz_*.c; do
  name=$(basename "$f" .c); corpus=tests/fuzz/corpus/${name#fuzz_}
  echo "fuzz: $name for ${secs}s"
  clang $CFLAGS -o "build/fuzz/$name" "$f" $SRC $LIBS || { status=1; continue; }
  work=$(mktemp -d); cp -r "$corpus"/. "$work"/ 2>/dev/null
  "build/fuzz/$name" -max_total_time="$secs" -artifact_prefix=tests/fuzz/crashes/ "$work" || status=1
  rm -rf "$work"
done
exit $status
