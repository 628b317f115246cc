#!/usr/bin/env python3
"""Write a synthetic NVD API 2.0 response with N items, built from the real
items in ../shared/data/nvd2 (ids renumbered, everything else reused), one
item per line so a line-oriented reader can stream it too.
usage: gen_nvd.py SHARED_DATA_DIR OUT_FILE N"""
import json, os, sys

def items(root):
    for r, ds, fs in sorted(os.walk(root)):
        ds.sort()
        for f in sorted(fs):
            if not f.endswith('.json'):
                continue
            try:
                d = json.load(open(os.path.join(r, f)))
            except ValueError:
                continue
            if isinstance(d, dict) and d.get('format') == 'NVD_CVE':
                for v in d.get('vulnerabilities', []):
                    if isinstance(v, dict) and isinstance(v.get('cve'), dict):
                        yield v

def main():
    data, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    base = []
    for v in items(os.path.join(data, 'nvd2')):
        old = v['cve']['id']
        base.append((old, json.dumps(v, ensure_ascii=False, separators=(',', ':'))))
    if not base:
        sys.exit('gen_nvd: no NVD items under ' + data)
    with open(out, 'w') as f:
        f.write('{"resultsPerPage":%d,"startIndex":0,"totalResults":%d,"format":"NVD_CVE",'
                '"version":"2.0","timestamp":"2026-01-01T00:00:00.000","vulnerabilities":[\n' % (n, n))
        for i in range(n):
            old, text = base[i % len(base)]
            new = 'CVE-%d-%05d' % (2100 + i // 100000, i % 100000)
            f.write(text.replace('"' + old + '"', '"' + new + '"'))
            f.write(',\n' if i + 1 < n else '\n')
        f.write(']}\n')
    print(len(base), 'real items reused for', n, 'records')

main()
