#!/bin/sh
# `make bench-http`: HTTP load figures for `vulnd serve` against nginx in the
# same run.  Figures, not a test: nothing here fails on a slow machine.
#
#  1. GET /api/v1/vulns/{id} for BENCH_IDS random ids (default 10000) over a
#     BENCH_N-record database (default 300000; synthetic copies of the real
#     OSV Go records, ids renumbered: bench/http_gen.py), vs nginx serving
#     the same record JSON as static files.  wrk -t2 -c64 for BENCH_SECONDS
#     each; then the same with vulnd's record cache off.
#  2. GET /api/v1/search with 50 zh/en queries.
#  3. POST /v1/querybatch with 1000 queries (wall time per request).
# nginx and wrk are installed with apt-get when missing.  The database is
# kept in build/bench-http/ between runs (delete it to rebuild).
set -e
: "${SHARED:=$(cd .. && pwd)/shared}"
VULND=${VULND:-$PWD/vulnd}
N=${BENCH_N:-300000}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
DIR=build/bench-http
T=$(mktemp -d)
NGINX_PID=""; VULND_PID=""
cleanup() {
  [ -n "$VULND_PID" ] && kill "$VULND_PID" 2>/dev/null && wait "$VULND_PID" 2>/dev/null
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT INT TERM

need() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  [ -x "/usr/sbin/$1" ] && return 0
  echo "bench-http: installing $2 (apt-get)"
  # keep the package's own service from starting on port 80
  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" >/dev/null; }
}
need wrk wrk
need nginx nginx-light
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# ---- database ----
mkdir -p "$DIR"
DB="$DIR/bench-$N.db"
if [ ! -f "$DB.done" ]; then
  echo "bench-http: building a $N-record database in $DB (kept for the next run)"
  rm -rf "$DB" "$DB-wal" "$DB-shm" "$T/gen"
  python3 bench/http_gen.py "$SHARED/data" "$T/gen" "$N"
  "$VULND" -q --db "$DB" db init >/dev/null
  s=$(date +%s)
  "$VULND" -q --db "$DB" import osv "$T/gen" >/dev/null
  echo "bench-http: imported in $(( $(date +%s) - s )) s"
  rm -rf "$T/gen"
  touch "$DB.done"
fi
"$VULND" -q --db "$DB" db migrate >/dev/null   # a database kept from an older build

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- vulnd ----
VP=$(free_port)
THREADS=${BENCH_THREADS:-$(nproc)}
printf 'rate_limit = 0\naccess_log = off\nthreads = %s\nper_ip_connection_limit = 10000\n' "$THREADS" > "$T/vulnd.conf"
"$VULND" --db "$DB" serve --config "$T/vulnd.conf" --listen "127.0.0.1:$VP" 2>"$T/vulnd.log" &
VULND_PID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$VP/healthz" && break; sleep 0.1; done

# ---- the same record JSON as static files for nginx ----
# BENCH_IDS random ids (default 10000), each fetched once over one
# keep-alive connection: the static copy nginx serves (withdrawn copies
# answer 404 and are left out)
python3 - "$N" "${BENCH_IDS:-10000}" "$VP" "$T/www/r" > "$T/ids.ok" <<'EOF'
import http.client, os, random, sys
n, k, port, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
os.makedirs(out, exist_ok=True)
random.seed(7)
c = http.client.HTTPConnection("127.0.0.1", port)
for i in random.sample(range(n), min(k, n)):
    rid = "GO-2099-%06d" % i
    c.request("GET", "/api/v1/vulns/" + rid)
    r = c.getresponse()
    body = r.read()
    if r.status == 200:
        open(os.path.join(out, rid), "wb").write(body)
        print(rid)
EOF
mv "$T/ids.ok" "$T/ids"
bytes=$(cat "$T"/www/r/* | wc -c)
chmod -R a+rX "$T"     # nginx workers run as www-data
NP=$(free_port)
mkdir -p "$T/nginx"
cat > "$T/nginx.conf" <<EOF
worker_processes $(nproc);
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  client_body_temp_path $T/nginx; proxy_temp_path $T/nginx; fastcgi_temp_path $T/nginx;
  uwsgi_temp_path $T/nginx; scgi_temp_path $T/nginx;
  types { application/json json; }
  default_type application/json;
  etag on;
  server {
    listen 127.0.0.1:$NP;
    root $T/www;
  }
}
EOF
"$NGINX" -c "$T/nginx.conf" -g 'daemon off;' 2>"$T/nginx.err" &
NGINX_PID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$NP/r/$(head -n 1 "$T/ids")" && break; sleep 0.1; done

# wrk script: random path from a list
lua() { # FILE PREFIX: a wrk script requesting PREFIX..line for random lines of FILE
  cat <<EOF
local paths = {}
for l in io.lines("$1") do paths[#paths + 1] = "$2" .. l end
math.randomseed(os.time())
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
EOF
}
lua "$T/ids" "/api/v1/vulns/" > "$T/vulnd.lua"
lua "$T/ids" "/r/" > "$T/nginx.lua"

# run NAME URL SCRIPT: prints req/s, p50, p99 (ms) into $T/NAME
run() {
  wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$3" "$2" > "$T/res.$1.wrk" 2>&1 || true
  rps=$(sed -n 's/^Requests\/sec: *//p' "$T/res.$1.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$T/res.$1.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$T/res.$1.wrk")
  errs=$(sed -n 's/.*Non-2xx or 3xx responses: *//p' "$T/res.$1.wrk")
  echo "$rps $p50 $p99 ${errs:-0}" > "$T/res.$1"
}
ms() { # wrk latency (us/ms/s) → ms
  echo "$1" | awk '/us$/ {sub("us",""); print $1/1000; next} /ms$/ {sub("ms",""); print $1+0; next} /s$/ {sub("s",""); print $1*1000}'
}

echo "bench-http: $N records; $(wc -l < "$T/ids") random ids; mean record $(( bytes / $(wc -l < "$T/ids") )) bytes;" \
     "wrk -t2 -c$CONNS ${SECS}s each; vulnd threads=$THREADS; $(nproc) cores"
run nginx "http://127.0.0.1:$NP" "$T/nginx.lua"
run vulnd "http://127.0.0.1:$VP" "$T/vulnd.lua"
read n_rps n_p50 n_p99 n_err < "$T/res.nginx"
read v_rps v_p50 v_p99 v_err < "$T/res.vulnd"
printf '%-34s %12s %10s %10s %8s\n' "GET one record" "req/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-34s %12.0f %10.3f %10.3f %8s\n' "nginx static file" "$n_rps" "$(ms "$n_p50")" "$(ms "$n_p99")" "$n_err"
printf '%-34s %12.0f %10.3f %10.3f %8s\n' "vulnd GET /api/v1/vulns/{id}" "$v_rps" "$(ms "$v_p50")" "$(ms "$v_p99")" "$v_err"
printf 'vulnd/nginx req/s ratio: %.2f (target >= 0.8); vulnd p99 %.2f ms (target < 5)\n' \
  "$(echo "$v_rps $n_rps" | awk '{print $1/$2}')" "$(ms "$v_p99")"
curl -s "http://127.0.0.1:$VP/metrics" | sed -n 's/^vulnd_record_cache_total{result="\(.*\)"} /\1 /p' | tr '\n' ' ' |
  awk '{printf "  record cache (record_cache = 64M): %s hits, %s misses (the hot set is the %s ids above)\n", $2, $4, '"$(wc -l < "$T/ids")"'}'
# the same server without the record cache: every request reads SQLite
VP2=$(free_port)
printf 'record_cache = off\n' | cat "$T/vulnd.conf" - > "$T/vulnd-nocache.conf"
"$VULND" --db "$DB" serve --config "$T/vulnd-nocache.conf" --listen "127.0.0.1:$VP2" 2>>"$T/vulnd.log" &
NOCACHE_PID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$VP2/healthz" && break; sleep 0.1; done
run nocache "http://127.0.0.1:$VP2" "$T/vulnd.lua"
kill "$NOCACHE_PID"; wait "$NOCACHE_PID" 2>/dev/null || true
read c_rps c_p50 c_p99 c_err < "$T/res.nocache"
printf '%-34s %12.0f %10.3f %10.3f %8s   (ratio %.2f)\n' "  the same, record_cache = off" "$c_rps" "$(ms "$c_p50")" \
  "$(ms "$c_p99")" "$c_err" "$(echo "$c_rps $n_rps" | awk '{print $1/$2}')"

# ---- search: 50 zh/en queries ----
cat > "$T/queries" <<'EOF'
log4j
remote code execution
denial of service
sql injection
cross site scripting
buffer overflow
path traversal
authentication bypass
privilege escalation
memory leak
integer overflow
use after free
race condition
null pointer
information disclosure
http request smuggling
xml external entity
server side request forgery
open redirect
command injection
golang
kubernetes
docker
tls certificate
jwt token
yaml parsing
regular expression
panic
infinite loop
crypto
%E8%BF%9C%E7%A8%8B%E4%BB%A3%E7%A0%81%E6%89%A7%E8%A1%8C
%E6%8B%92%E7%BB%9D%E6%9C%8D%E5%8A%A1
SQL%E6%B3%A8%E5%85%A5
%E8%B7%A8%E7%AB%99%E8%84%9A%E6%9C%AC
%E7%BC%93%E5%86%B2%E5%8C%BA%E6%BA%A2%E5%87%BA
%E8%B7%AF%E5%BE%84%E9%81%8D%E5%8E%86
%E6%9D%83%E9%99%90%E6%8F%90%E5%8D%87
%E4%BF%A1%E6%81%AF%E6%B3%84%E9%9C%B2
%E8%BA%AB%E4%BB%BD%E9%AA%8C%E8%AF%81%E7%BB%95%E8%BF%87
%E5%86%85%E5%AD%98%E6%B3%84%E6%BC%8F
%E6%95%B4%E6%95%B0%E6%BA%A2%E5%87%BA
%E5%91%BD%E4%BB%A4%E6%B3%A8%E5%85%A5
%E6%BC%8F%E6%B4%9E
%E6%9C%8D%E5%8A%A1%E5%99%A8
%E6%96%87%E4%BB%B6%E4%B8%8A%E4%BC%A0
%E5%8A%A0%E5%AF%86
%E8%AE%A4%E8%AF%81
%E9%85%8D%E7%BD%AE%E9%94%99%E8%AF%AF
%E6%B5%8F%E8%A7%88%E5%99%A8
%E6%95%B0%E6%8D%AE%E5%BA%93
EOF
sed 's/ /+/g' "$T/queries" > "$T/q"
lua "$T/q" "/api/v1/search?q=" > "$T/search.lua"
run search "http://127.0.0.1:$VP" "$T/search.lua"
read s_rps s_p50 s_p99 s_err < "$T/res.search"
printf '%-34s %12.0f %10.3f %10.3f %8s\n' "vulnd GET /api/v1/search (50 q)" "$s_rps" "$(ms "$s_p50")" "$(ms "$s_p99")" "$s_err"
lua "$T/q" "/api/v1/search?facets=0&q=" > "$T/search0.lua"
run search0 "http://127.0.0.1:$VP" "$T/search0.lua"
read s_rps s_p50 s_p99 s_err < "$T/res.search0"
printf '%-34s %12.0f %10.3f %10.3f %8s\n' "  the same with facets=0" "$s_rps" "$(ms "$s_p50")" "$(ms "$s_p99")" "$s_err"

# ---- OSV querybatch of 1000 ----
python3 - "$SHARED/data/osv/go" > "$T/qb.json" <<'EOF'
import glob, json, os, random, sys
random.seed(3)
names = sorted({a["package"]["name"] for f in glob.glob(os.path.join(sys.argv[1], "*.json"))
                for a in json.load(open(f)).get("affected", []) if "package" in a})
q = [{"package": {"name": random.choice(names), "ecosystem": "Go"},
      "version": "%d.%d.%d" % (random.randrange(3), random.randrange(20), random.randrange(10))}
     for _ in range(1000)]
print(json.dumps({"queries": q}))
EOF
: > "$T/qbt"
for i in 1 2 3 4 5 6 7; do
  curl -s -o "$T/qb.out" -w '%{time_total} %{http_code}\n' -H 'Content-Type: application/json' \
    --data-binary @"$T/qb.json" "http://127.0.0.1:$VP/v1/querybatch" >> "$T/qbt"
done
med=$(sort -n "$T/qbt" | awk 'NR==4 {print $1*1000}')
codes=$(awk '{print $2}' "$T/qbt" | sort -u | tr '\n' ' ')
hits=$(python3 -c "import json; d=json.load(open('$T/qb.out')); print(sum(len(r.get('vulns',[])) for r in d['results']))")
printf 'vulnd POST /v1/querybatch (1000 random Go packages + versions): median %.1f ms of 7 (target < 200), status %s, %s hits\n' \
  "$med" "$codes" "$hits"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$VULND_PID/status" 2>/dev/null)
echo "vulnd serve peak RSS: $(( ${rss:-0} / 1024 )) MB (target < 200)"
