#!/bin/sh
# `vulnd version`: program version, compare/match CLI behaviour, and the
# version schemes checked against reference implementations on thousands of
# pairs built from the real records in ../shared/data plus edge cases:
#   deb    APT's apt_pkg.version_compare (python3-apt) + dpkg --compare-versions (sample)
#   rpm    librpm rpm.labelCompare (python3-rpm)
#   pypi   packaging.version / packaging.specifiers (python3-packaging)
#   maven  ComparableVersion (libmaven3-core-java + java)
#   npm, semver  node-semver bundled with npm (compare and range satisfaction)
# A reference that is not installed is reported as skipped, never passed.
. tests/cli_lib.sh
D="$SHARED/data"
PY=/usr/bin/python3

expect_status "vulnd version" 0 "$VULND" version
expect_grep "prints the program version" "^vulnd [0-9]" "$OUT"
expect_status "vulnd --version still works" 0 "$VULND" --version
expect_grep "--version output" "^vulnd [0-9]" "$OUT"
expect_status "help version" 0 "$VULND" help version
expect_grep "help mentions compare" "compare SCHEME A B" "$OUT"
expect_status "compare deb tilde" 0 "$VULND" version compare deb 1.0~rc1 1.0
expect_grep "deb 1.0~rc1 < 1.0" "^-1$" "$OUT"
expect_status "compare pypi equal" 0 "$VULND" version compare pypi 1.0 1.0.0
expect_grep "pypi 1.0 == 1.0.0" "^0$" "$OUT"
expect_status "compare invalid → 2" 2 "$VULND" version compare pypi 1.0x 1.0
expect_grep "invalid names what is wrong" "unexpected 'x' at offset 3" "$ERR"
expect_status "compare unknown scheme → 2" 2 "$VULND" version compare nosuch 1 2
expect_grep "unknown scheme named" "unknown version scheme 'nosuch'" "$ERR"
expect_status "compare wrong arg count → 2" 2 "$VULND" version compare npm 1.0.0
expect_status "compare --json" 0 "$VULND" version compare --json rpm 1.0^git1 1.0
expect_grep "json result" '"result":1' "$OUT"
expect_status "compare --json invalid → 2" 2 "$VULND" version compare --json semver 01.0.0 1.0.0
expect_grep "json error" '"error":' "$OUT"
expect_status "match npm caret" 0 "$VULND" version match npm 1.2.3 "^1.0.0"
expect_status "match npm outside → 1" 1 "$VULND" version match npm 2.0.0 "^1.0.0"
expect_status "match maven interval" 0 "$VULND" version match maven 1.5 "[1.0,2.0)"
expect_status "match maven excluded bound → 1" 1 "$VULND" version match maven 2.0 "[1.0,2.0)"
expect_status "match vers" 0 "$VULND" version match pypi 1.5 "vers:pypi/>=1.0|<2.0"
expect_status "match vers outside → 1" 1 "$VULND" version match pypi 2.0 "vers:pypi/>=1.0|<2.0"
expect_status "match vers wrong scheme → 2" 2 "$VULND" version match npm 1.0.0 "vers:pypi/>=1.0"
expect_status "match bad range → 2" 2 "$VULND" version match maven 1.0 "[1.0,2.0"
expect_status "match --json" 1 "$VULND" version match --json gem 3.0 "~> 2.2"
expect_grep "match json" '"match":false' "$OUT"
expect_status "match batch" 0 sh -c "printf '1.0 >=1.0, <2\n3.0 >=1.0, <2\n' | '$VULND' version match deb -"
expect_grep "batch: one line each" "^match
no match$" "$OUT"

if [ ! -d "$D/osv/go" ] || [ ! -d "$D/osv/pypi" ] || [ ! -d "$D/cve5" ]; then
  fail "shared data present" "$D/osv or $D/cve5 missing: tests need ../shared/data (set SHARED)"
  done_tests; exit 1
fi

# ---- version strings from the data, pairs per scheme ----
W="$TMP/ref"; mkdir -p "$W"
"$PY" - "$D" "$W" <<'PYEOF'
import glob, json, os, random, re, sys
D, W = sys.argv[1], sys.argv[2]
rnd = random.Random(8)
go, py, cve = set(), set(), set()
for f in sorted(glob.glob(D + "/osv/go/*.json")):
    j = json.load(open(f))
    for a in j.get("affected", []):
        for r in a.get("ranges", []):
            for e in r.get("events", []):
                go.update(str(v) for v in e.values())
        go.update(str(v) for v in a.get("versions", []))
ev = re.compile(r'^\s*-?\s*(?:introduced|fixed|last_affected|limit):\s*["\']?([^"\'\s]+)["\']?\s*$')
item = re.compile(r'^\s*-\s+["\']?([^"\'\s:]+)["\']?\s*$')
for f in sorted(glob.glob(D + "/osv/pypi/*/*.yaml")):
    inv = False
    for line in open(f, encoding="utf-8"):
        m = ev.match(line)
        if m:
            py.add(m.group(1)); continue
        if re.match(r'^\s*versions:\s*$', line):
            inv = True; continue
        if inv:
            m = item.match(line)
            if m: py.add(m.group(1)); continue
            inv = False
def walk(o):
    if isinstance(o, dict):
        for k in ("version", "lessThan", "lessThanOrEqual", "at"):
            v = o.get(k)
            if isinstance(v, str): cve.add(v)
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
for f in sorted(glob.glob(D + "/cve5/cves/*/*/*.json")):
    j = json.load(open(f))
    for c in [j.get("containers", {}).get("cna", {})] + j.get("containers", {}).get("adp", []):
        walk(c.get("affected", []))
# git hashes are not versions
hexre = re.compile(r'^[0-9a-f]{12,}$')
clean = lambda s: {v for v in s if v and len(v) < 100 and not re.search(r'\s', v) and not hexre.match(v)}
go, py, cve = clean(go), clean(py), clean(cve)
allv = sorted(go | py | cve)
edge = {
 "deb": "0 1 1.0 1.0-1 1.0-0 1:1.0 0:1.0 1.0~rc1 1.0~~ 1.0~ 1.0+b1 1.0.1 1.0a 1.0-1~bpo1 1.0-1+deb9u1 "
        "2:1.0-1 1.0-1.1 1.0-1a 1.0-a1 9 10 010 1.0.0 1.0..0 1.0-1.0 1.0+dfsg-2 1.2~beta3-0ubuntu1 "
        "7.6p2-4 1.18.36:5.4-20 1.0+~1 1.0~a~b 1.0-~ 0.0.0 00 1.001 1.01 1.1 1.0-2~ 3.0-1+b1 1a 1.a 1.A",
 "rpm": "1 1.0 1.0-1 0:1.0-1 1:1.0-1 1.0~rc1 1.0~rc1-1 1.0^git1 1.0^ 1.0~ 1.0^git1~pre 1.0a 1.0.a 1.0_1 "
        "1.0.0 1.00 1.01 1.1 10 9 1.0+b 1.0-1.el8 1.0-1.el8_2 1.0-2.fc30 2.0.0-0.rc1.el9 1.0~~ 1.0^^ "
        "a b 1a 1.a.1 1.0-1~ 1.0-1^ 5.2.1-5.el8_6.3 0.9.8zh 0.9.8ze 1..0 1.0.0.0",
 "pypi": "0 1 1.0 1.0.0 1.0.post1 1.0.post0 1.0-1 1.0.dev1 1.0.dev0 1.0a1 1.0a1.dev1 1.0a1.post1 "
         "1.0b2 1.0rc1 1.0c1 1.0rc1.post1.dev2 1!0.1 1!1.0 0!1.0 1.0+local 1.0+local.1 1.0+1 "
         "1.0+abc.5 1.0+5.abc 1.0+0 1.0.0+local v1.0 V1.0 1.0-r2 1.0rev3 1.0alpha 1.0beta1 1.0pre1 "
         "1.0preview2 1.0_a_1 1.0-a-1 1.0.a.1 1.0post 1.0dev 1.0-dev-4 01.0 1.00 2.0.0.0.0 1.0x 1..0 "
         "1.0+ 1.0+a..b +1 1.0.post1.post2 0.0.0.1 1.0_post2 1.0.RC1",
 "maven": "1 1.0 1.0.0 1-0 1.0-0 1.1 1-1 1.0-1 1-rc 1-rc1 1rc1 1-RC1 1-cr1 1-alpha 1-a1 1a1 1-alpha-1 "
          "1-beta 1-b1 1-milestone 1-m1 1-snapshot 1-SNAPSHOT 1-ga 1-final 1-release 1-sp 1-sp1 "
          "1-foo 1-foo1 1-xyz 1.foo 1.0.foo 1-1.foo 1.0-alpha.1 1.0.RELEASE 1.0.Final 1.0.GA "
          "1.0-20210101.123456-1 1.0.0.1 2 10 1.0a 1.0b 1.0.a 1.0-a 1-0.1 1..1 1.-1 1-- 1.0.0-0 "
          "1.0-final-1 1.0-sp-1 9999999999 99999999999999999999 1.0-rc-1 1.0-RC-1 0.0.1",
 "semver": "0.0.0 0.0.1 1.0.0 1.0.0-alpha 1.0.0-alpha.1 1.0.0-alpha.beta 1.0.0-beta 1.0.0-beta.2 "
           "1.0.0-beta.11 1.0.0-rc.1 1.0.0+build 1.0.0-rc.1+build.1 2.0.0 10.0.0 1.10.0 1.2.3-0 "
           "1.2.3-00 01.2.3 1.2 1.2.3.4 1.2.3- 1.2.3-a..b 1.2.3+ 1.2.3-x-y-z 1.2.3--- 1.2.3-0a "
           "1.2.3-a.0 1.2.3-a.01 v1.2.3 =1.2.3 1.2.3-alpha.10 1.2.3-alpha.9 1.2.3-1 1.2.3-a",
}
os.makedirs(W, exist_ok=True)
def pairs(name, vals, edges, n):
    vals = sorted(vals)
    out = []
    for a in edges:
        for b in edges:
            out.append((a, b))
    for _ in range(n):
        out.append((rnd.choice(vals), rnd.choice(vals)))
    # neighbours in string order (near-equal strings)
    for i in range(len(vals) - 1):
        out.append((vals[i], vals[i + 1]))
    with open(os.path.join(W, name + ".pairs"), "w") as f:
        for a, b in out:
            f.write(a + " " + b + "\n")
debre = re.compile(r'^(\d+:)?\d[A-Za-z0-9.+~:-]*$')
rpmre = re.compile(r'^(\d+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?$')
pairs("deb", [v for v in allv if debre.match(v) and not v.endswith("-")], edge["deb"].split(), 6000)
pairs("rpm", [v for v in allv if rpmre.match(v)], edge["rpm"].split(), 6000)
pairs("pypi", sorted(py | {v for v in cve if re.match(r'^[vV]?\d', v)}), edge["pypi"].split(), 6000)
pairs("maven", allv, edge["maven"].split(), 6000)
gov = sorted(v if v.startswith("v") else "v" + v for v in go if v != "0")
pairs("semver", [v[1:] for v in gov] + [v for v in cve if re.match(r'^\d+\.\d+\.\d+', v)],
      edge["semver"].split(), 6000)
pairs("npm", gov + [v for v in cve if re.match(r'^\d', v)], edge["semver"].split(), 3000)
# ranges: npm (node-semver satisfies) and pypi (SpecifierSet.contains, prereleases on)
npm_ranges = ["^1.2.3", "~1.2.3", "^0.2.3", "^0.0.3", "~1.2", "~1", "^1.x", "^0.x", "1.x", "1.2.x",
              "*", "", ">=1.2.3 <2.0.0", ">1.2", "<1.2", "<=1.2", ">=1", "1.2.3 - 2.3.4",
              "1.2 - 2.3", "1 - 2", "<1.0.0 || >=2.0.0", "=1.2.3", "1.2.3", "^1.2.3-beta.2",
              "~1.2.3-beta.2", ">1.2.3-alpha.3", "^0.0", "~0.0.1", ">=0.0.0", "<0.0.1-0",
              "^2 || ^3", "> 1.2.3", "~ 1.2", ">=1.0.0-rc.1 <1.0.0", "<=2.0.0-rc.1", "1.2.3-beta - 2"]
npm_vers = ["0.0.0", "0.0.3", "0.0.4", "0.1.0", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.1.9",
            "1.2.0", "1.2.2", "1.2.3", "1.2.4", "1.3.0", "1.9.9", "2.0.0", "2.3.4", "2.3.5", "3.1.0",
            "1.2.3-beta.2", "1.2.3-beta.3", "1.2.3-alpha", "1.2.4-beta", "2.0.0-rc.1", "1.0.0-rc.2",
            "0.0.1-0", "2.0.0-0", "1.2.3-alpha.4", "v1.2.3", "1.2.3-beta"]
with open(os.path.join(W, "npm.ranges"), "w") as f:
    for r in npm_ranges:
        for v in npm_vers + rnd.sample([x[1:] for x in gov], 20):
            f.write(v + "\t" + r + "\n")
py_specs = ["~=1.4.5", "~=1.4", "~=2.2.post3", "~=1.4.5a4", "==1.4.*", "!=1.4.*", "==1.0", "==1.0.0",
            "==1.0+local", "!=1.0", "<1.0", "<=1.0", ">1.0", ">=1.0", ">1.0.post1", ">1.0.dev0",
            "<1.0rc1", ">=1.0,<2.0", ">=1.0, !=1.5.*, <2.0", "===1.0", "==2!1.0", "<1!0", ">1.0a1",
            "==1.0.*", "==1.*", ">=0.dev0", "<2.0.dev0"]
py_vers = ["0.9", "1.0", "1.0.0", "1.0+local", "1.0+other", "1.0a1", "1.0rc1", "1.0.dev0", "1.0.dev1",
           "1.0.post1", "1.0.post2", "1.0.post1.dev1", "1.4", "1.4.4", "1.4.5", "1.4.5a4", "1.4.5a5",
           "1.4.6", "1.4.9", "1.5", "1.5.1", "1.9", "2.0", "2.0a1", "2.0.dev0", "2.2.post3", "2.2.post4",
           "2.3", "1!0.5", "2!1.0", "1.4.0", "1.0.1", "1.01", "1.0.0.0"]
with open(os.path.join(W, "pypi.ranges"), "w") as f:
    for s in py_specs:
        for v in py_vers + rnd.sample(sorted(py), 10):
            f.write(v + "\t" + s + "\n")
PYEOF
[ -f "$W/deb.pairs" ] || { fail "reference pair generation" "python script failed"; done_tests; exit 1; }

# ours: one batch process per scheme; "error: ..." → invalid
ours() { # scheme file → results
  cut -d' ' -f1,2 "$2" | "$VULND" version compare "$1" - | sed 's/^error:.*/invalid/'
}
# check NAME [INPUT]: $W/NAME.ref vs $W/NAME.ours, over INPUT (default $W/NAME.pairs)
check() {
  in=${2:-$W/$1.pairs}
  n=$(wc -l < "$in"); r=$(wc -l < "$W/$1.ref"); o=$(wc -l < "$W/$1.ours")
  if [ "$n" -ne "$r" ] || [ "$n" -ne "$o" ]; then
    fail "$1: reference comparisons" "line counts differ: pairs $n, reference $r, ours $o"; return
  fi
  paste "$in" "$W/$1.ref" "$W/$1.ours" | awk -F'\t' '$(NF-1) != $NF' > "$W/$1.bad"
  m=$(wc -l < "$W/$1.bad")
  echo "# $1: $n pairs compared with the reference, $m mismatches"
  if [ "$m" -eq 0 ]; then ok "$1: $n pairs agree with the reference"
  else fail "$1: $m of $n pairs disagree with the reference (A B reference ours)" "$(head -n 15 "$W/$1.bad")"; fi
}

# Debian: apt_pkg (same algorithm as dpkg) on all pairs; validity by dpkg's rules
if "$PY" -c 'import apt_pkg' 2>/dev/null; then
  "$PY" - "$W/deb.pairs" > "$W/deb.ref" <<'PYEOF'
import sys, re, apt_pkg
apt_pkg.init_system()
ok = re.compile(r'^(\d+:)?\d[A-Za-z0-9.+~:-]*?(-[A-Za-z0-9.+~]+)?$')
def valid(v):
    if ":" in v and not re.match(r'^\d+:', v): return False
    up = v.split(":", 1)[1] if re.match(r'^\d+:', v) else v
    if ":" in up and not re.match(r'^\d+:', v): return False
    if up.endswith("-") or not up or not up[0].isdigit(): return False
    rev = up.rsplit("-", 1)[1] if "-" in up else ""
    upstream = up.rsplit("-", 1)[0] if "-" in up else up
    return bool(re.match(r'^[A-Za-z0-9.+~:-]+$', upstream)) and bool(re.match(r'^[A-Za-z0-9.+~]*$', rev))
out = []
for line in open(sys.argv[1]):
    a, b = line.split()
    if not valid(a) or not valid(b): out.append("invalid"); continue
    c = apt_pkg.version_compare(a, b)
    out.append(str((c > 0) - (c < 0)))
print("\n".join(out))
PYEOF
  ours deb "$W/deb.pairs" > "$W/deb.ours"
  check deb
else
  skip "deb: python3-apt not installed (make deps)"
fi
# dpkg itself on a sample of valid pairs (one process per pair, so a few hundred)
if command -v dpkg >/dev/null && [ -f "$W/deb.ref" ]; then
  paste -d' ' "$W/deb.pairs" "$W/deb.ref" | grep -v ' invalid$' | awk 'NR % 25 == 1' | head -n 400 > "$W/dpkg.sample"
  : > "$W/dpkg.ref"
  while read -r a b _; do
    if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1
    elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0
    else echo 1; fi
  done < "$W/dpkg.sample" >> "$W/dpkg.ref"
  cut -d' ' -f1,2 "$W/dpkg.sample" > "$W/dpkg.pairs"
  ours deb "$W/dpkg.pairs" > "$W/dpkg.ours"
  check dpkg
else
  skip "dpkg: not available"
fi

if "$PY" -c 'import rpm' 2>/dev/null; then
  "$PY" - "$W/rpm.pairs" > "$W/rpm.ref" <<'PYEOF'
import sys, re, rpm
pat = re.compile(r'^(?:(\d+):)?([A-Za-z0-9._+~^]+)(?:-([A-Za-z0-9._+~^]+))?$')
out = []
for line in open(sys.argv[1]):
    a, b = line.split()
    ma, mb = pat.match(a), pat.match(b)
    if not ma or not mb: out.append("invalid"); continue
    t = lambda m: (m.group(1) or "0", m.group(2), m.group(3) or "")
    c = rpm.labelCompare(t(ma), t(mb))
    out.append(str(c))
print("\n".join(out))
PYEOF
  ours rpm "$W/rpm.pairs" > "$W/rpm.ours"
  check rpm
else
  skip "rpm: python3-rpm not installed (make deps)"
fi

if "$PY" -c 'import packaging.version' 2>/dev/null; then
  "$PY" - "$W/pypi.pairs" > "$W/pypi.ref" <<'PYEOF'
import sys
from packaging.version import Version, InvalidVersion
out = []
for line in open(sys.argv[1]):
    a, b = line.split()
    try:
        x, y = Version(a), Version(b)
    except InvalidVersion:
        out.append("invalid"); continue
    out.append(str((x > y) - (x < y)))
print("\n".join(out))
PYEOF
  ours pypi "$W/pypi.pairs" > "$W/pypi.ours"
  check pypi
  # specifier sets
  "$PY" - "$W/pypi.ranges" > "$W/pypi-range.ref" <<'PYEOF'
import sys
from packaging.version import Version, InvalidVersion
from packaging.specifiers import SpecifierSet
out = []
for line in open(sys.argv[1]):
    v, s = line.rstrip("\n").split("\t")
    try:
        out.append("match" if SpecifierSet(s).contains(Version(v), prereleases=True) else "no")
    except InvalidVersion:
        out.append("invalid")
print("\n".join(out))
PYEOF
  tr '\t' ' ' < "$W/pypi.ranges" | "$VULND" version match pypi - | sed 's/^no match$/no/; s/^error:.*/invalid/' > "$W/pypi-range.ours"
  check pypi-range "$W/pypi.ranges"
else
  skip "pypi: python3-packaging not installed (make deps)"
fi

MJ=/usr/share/java/maven-artifact-3.x.jar
if command -v java >/dev/null && [ -f "$MJ" ]; then
  cat > "$TMP/MvnCmp.java" <<'EOF'
import org.apache.maven.artifact.versioning.ComparableVersion;
import java.io.*;
public class MvnCmp {
  public static void main(String[] args) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(System.in));
    PrintWriter w = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
    String l;
    while ((l = r.readLine()) != null) {
      String[] p = l.split(" ");
      int c = new ComparableVersion(p[0]).compareTo(new ComparableVersion(p[1]));
      w.println(c < 0 ? -1 : c > 0 ? 1 : 0);
    }
    w.flush();
  }
}
EOF
  java -cp "$MJ" "$TMP/MvnCmp.java" < "$W/maven.pairs" > "$W/maven.ref"
  ours maven "$W/maven.pairs" > "$W/maven.ours"
  check maven
else
  skip "maven: java or libmaven3-core-java not installed (make deps)"
fi

SEMVER_JS=""
for d in /usr/lib/node_modules/npm/node_modules/semver /usr/share/nodejs/semver; do
  [ -f "$d/package.json" ] && SEMVER_JS=$d && break
done
if command -v node >/dev/null && [ -n "$SEMVER_JS" ]; then
  cat > "$TMP/semver.js" <<'EOF'
const semver = require(process.argv[2]);
const mode = process.argv[3];
const lines = require('fs').readFileSync(process.argv[4], 'utf8').split('\n').filter(l => l.length);
const out = [];
const strict = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
for (const l of lines) {
  if (mode === 'range') {
    const [v, r] = l.split('\t');
    out.push(semver.satisfies(v, r) ? 'match' : 'no');
    continue;
  }
  const [a, b] = l.split(' ');
  const ok = x => mode === 'semver' ? strict.test(x) && semver.valid(x) !== null : semver.valid(x) !== null;
  if (!ok(a) || !ok(b)) { out.push('invalid'); continue; }
  out.push(String(semver.compare(a, b)));
}
console.log(out.join('\n'));
EOF
  node "$TMP/semver.js" "$SEMVER_JS" semver "$W/semver.pairs" > "$W/semver.ref"
  ours semver "$W/semver.pairs" > "$W/semver.ours"
  check semver
  node "$TMP/semver.js" "$SEMVER_JS" npm "$W/npm.pairs" > "$W/npm.ref"
  ours npm "$W/npm.pairs" > "$W/npm.ours"
  check npm
  node "$TMP/semver.js" "$SEMVER_JS" range "$W/npm.ranges" > "$W/npm-range.ref"
  tr '\t' ' ' < "$W/npm.ranges" | "$VULND" version match npm - | sed 's/^no match$/no/; s/^error:.*/invalid/' > "$W/npm-range.ours"
  check npm-range "$W/npm.ranges"
else
  skip "npm/semver: node or the semver package not installed"
fi

done_tests
