#!/usr/bin/env python3
"""Baseline for `make bench-import`: the smallest reasonable loader of the
same inputs — walk the files, keep id, title, description and the raw JSON
in SQLite with one FTS5 table, one transaction.  Prints records and seconds."""
import json, os, sqlite3, sys, time
try:
    import yaml
except ImportError:
    yaml = None

def lines(path):
    # the synthetic NVD file (bench/gen_nvd.py) has one item a line: stream it
    with open(path, 'rb') as fh:
        for line in fh:
            line = line.strip().rstrip(b',')
            if line.startswith(b'{"cve"'):
                yield json.loads(line)

def docs(path):
    if os.path.isfile(path):
        yield from lines(path)
        return
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            try:
                if f.endswith('.json'):
                    with open(p, 'rb') as fh:
                        d = json.load(fh)
                elif f.endswith(('.yaml', '.yml')) and yaml:
                    with open(p) as fh:
                        d = yaml.safe_load(fh)
                else:
                    continue
            except (ValueError, yaml.YAMLError if yaml else ValueError):
                continue
            items = d if isinstance(d, list) else d.get('vulnerabilities', [d]) if isinstance(d, dict) else []
            if not isinstance(items, list):
                continue
            for x in items:
                if isinstance(x, dict):
                    yield x

def fields(d):
    if 'cveMetadata' in d:
        c = d.get('containers', {}).get('cna', {})
        desc = next((x.get('value') for x in c.get('descriptions', []) if x.get('lang', '').startswith('en')), None)
        return d['cveMetadata'].get('cveId'), c.get('title'), desc
    if 'cve' in d:
        c = d['cve']
        desc = next((x.get('value') for x in c.get('descriptions', []) if x.get('lang') == 'en'), None)
        return c.get('id'), None, desc
    return d.get('id'), d.get('summary'), d.get('details')

def main():
    db, paths = sys.argv[1], sys.argv[2:]
    t = time.time()
    con = sqlite3.connect(db)
    con.execute('CREATE TABLE IF NOT EXISTS v(id TEXT PRIMARY KEY, title TEXT, description TEXT, raw TEXT)')
    con.execute('CREATE VIRTUAL TABLE IF NOT EXISTS v_fts USING fts5(id, title, description)')
    n = 0
    with con:
        for p in paths:
            for d in docs(p):
                try:
                    i, ti, de = fields(d)
                except (AttributeError, TypeError, KeyError):
                    continue
                if not i:
                    continue
                con.execute('INSERT OR REPLACE INTO v VALUES(?,?,?,?)', (i, ti, de, json.dumps(d, default=str)))
                con.execute('INSERT INTO v_fts VALUES(?,?,?)', (i, ti, de))
                n += 1
    con.close()
    print(n, round(time.time() - t, 3))

main()
