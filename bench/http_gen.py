#!/usr/bin/env python3
"""Synthetic scale data for `make bench-http`, generated from the real OSV
records in ../shared/data/osv/go (never invented from nothing): record i is
a copy of real record i % n with its id renumbered to GO-2099-<i> and its
aliases renumbered the same way (CVE-2099-<i>, GHSA dropped), so the copies
do not merge.  Copy k > 0 of a record also renames its packages (name +
"/c<k>"), so every package keeps the number of records it really has
instead of growing with the copies (a package query at 300k records then
looks like one on a real database of that size).  Writes JSON arrays of
CHUNK records into OUTDIR.

usage: http_gen.py SHARED_DATA_DIR OUTDIR COUNT
"""
import glob
import json
import os
import sys

CHUNK = 10000


def main():
    data, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    src = []
    for f in sorted(glob.glob(os.path.join(data, "osv", "go", "*.json"))):
        with open(f, encoding="utf-8") as fh:
            src.append(json.load(fh))
    if not src:
        sys.exit("http_gen.py: no OSV records under %s/osv/go" % data)
    os.makedirs(out, exist_ok=True)
    for c in range(0, count, CHUNK):
        recs = []
        for i in range(c, min(count, c + CHUNK)):
            r = dict(src[i % len(src)])
            r["id"] = "GO-2099-%06d" % i
            r["aliases"] = ["CVE-2099-%06d" % i]
            r.pop("related", None)
            k = i // len(src)
            if k:
                aff = []
                for a in r.get("affected", []):
                    a = dict(a)
                    if "package" in a:
                        a["package"] = dict(a["package"], name=a["package"]["name"] + "/c%d" % k)
                        a["package"].pop("purl", None)
                    aff.append(a)
                r["affected"] = aff
            recs.append(r)
        with open(os.path.join(out, "chunk-%04d.json" % (c // CHUNK)), "w", encoding="utf-8") as fh:
            json.dump(recs, fh)


if __name__ == "__main__":
    main()
