#!/bin/sh
# `make bench-import`: import every importable source in ../shared/data with
# vulnd and, in the same run, with the minimal Python loader (bench/py_loader.py)
# on the same files.  Prints wall time, records/s, peak RSS, DB size and the
# ratio.  Figures, not a test: nothing here fails on a slow machine.
set -e
: "${SHARED:=$(cd .. && pwd)/shared}"
VULND=${VULND:-./vulnd}
D="$SHARED/data"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
SRCS=""
for s in cve5 osv nvd2 cnnvd cnvd csaf; do [ -d "$D/$s" ] && SRCS="$SRCS $D/$s"; done
[ -n "$SRCS" ] || { echo "bench-import: $D has no data"; exit 1; }
rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
wall() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1"; }

"$VULND" -q --db "$T/v.db" db init
start=$(date +%s.%N)
for s in $SRCS; do
  /usr/bin/time -v "$VULND" -q --db "$T/v.db" import auto "$s" 2>"$T/time.$(basename "$s")" >/dev/null || true
done
end=$(date +%s.%N)
vt=$(echo "$end - $start" | bc)
vrss=0; for f in "$T"/time.*; do r=$(rss "$f"); [ "$r" -gt "$vrss" ] && vrss=$r; done
vrec=$("$VULND" --db "$T/v.db" db stats --json | sed -n 's/.*"sources": \([0-9]*\).*/\1/p')
vsize=$(du -k "$T/v.db" | cut -f1)

/usr/bin/time -v python3 bench/py_loader.py "$T/p.db" $SRCS >"$T/py.out" 2>"$T/py.time"
read prec pt < "$T/py.out"
prss=$(rss "$T/py.time")
psize=$(du -k "$T/p.db" | cut -f1)
insize=$(du -skL $SRCS | awk '{s+=$1} END {print s}')

printf '%-22s %10s %10s %12s %10s %10s\n' "loader" "records" "seconds" "records/s" "peak RSS" "DB size"
printf '%-22s %10s %10.2f %12.0f %8s MB %7s MB\n' "vulnd import" "$vrec" "$vt" "$(echo "$vrec / $vt" | bc -l)" $((vrss / 1024)) $((vsize / 1024))
printf '%-22s %10s %10.2f %12.0f %8s MB %7s MB\n' "python json+sqlite3" "$prec" "$pt" "$(echo "$prec / $pt" | bc -l)" $((prss / 1024)) $((psize / 1024))
printf 'input %s MB; vulnd/python time ratio %.2f (lower is better); sources:%s\n' $((insize / 1024)) "$(echo "$vt / $pt" | bc -l)" "$SRCS"

# Synthetic scale: an NVD-2.0-shaped file of $BENCH_N records (default 300k)
# generated from the real NVD items (ids renumbered, text reused).
N=${BENCH_N:-300000}
python3 bench/gen_nvd.py "$D" "$T/nvd.json" "$N" >/dev/null
insize=$(du -k "$T/nvd.json" | cut -f1)
"$VULND" -q --db "$T/s.db" db init
sync   # the generator's writes reach the disk now, not during the first timed run
/usr/bin/time -v "$VULND" -q --db "$T/s.db" import nvd2 "$T/nvd.json" >/dev/null 2>"$T/s.time" || true
st=$(wall "$T/s.time" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
srss=$(rss "$T/s.time")
ssize=$(du -k "$T/s.db" | cut -f1)
sync
/usr/bin/time -v python3 bench/py_loader.py "$T/q.db" "$T/nvd.json" >"$T/q.out" 2>"$T/q.time"
read qrec qt < "$T/q.out"
qrss=$(rss "$T/q.time"); qsize=$(du -k "$T/q.db" | cut -f1)
echo
printf '%-22s %10s %10s %12s %10s %10s   (synthetic NVD, input %s MB)\n' "loader" "records" "seconds" "records/s" "peak RSS" "DB size" $((insize / 1024))
printf '%-22s %10s %10.2f %12.0f %8s MB %7s MB\n' "vulnd import" "$N" "$st" "$(echo "$N / $st" | bc -l)" $((srss / 1024)) $((ssize / 1024))
printf '%-22s %10s %10.2f %12.0f %8s MB %7s MB\n' "python json+sqlite3" "$qrec" "$qt" "$(echo "$qrec / $qt" | bc -l)" $((qrss / 1024)) $((qsize / 1024))
printf 'vulnd/python time ratio %.2f; targets: <= 30 s, <= 300 MB RSS, DB <= input\n' "$(echo "$st / $qt" | bc -l)"
