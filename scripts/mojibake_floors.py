#!/usr/bin/env python3
"""Checks a score table of `zheval.py mojibake` against per-chain floors.

usage: mojibake_floors.py SCORE_FILE NAME EXACT_FLOORS_JSON [ACC_FLOORS_JSON]

EXACT_FLOORS_JSON maps a chain to the least share of its cases repaired exactly (the
chain `clean`: the least share of clean lines left unchanged, worked out from the
table's count of clean lines changed, not from its share rounded to three places,
which would hide up to nine changes in 20,000); ACC_FLOORS_JSON maps a
chain to its least character accuracy. Every chain must also stay within 0.01 of its
input's character accuracy (a repair never makes text worse). Exits non-zero, naming
each floor missed, when one is.
"""
import json
import re
import sys


def main():
    score, name, exact = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    acc_floors = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    bad = []
    seen = set()
    for line in open(score, encoding='utf-8'):
        m = re.search(r'clean lines changed=(\d+) of (\d+)', line)
        if m and int(m.group(2)) and 'clean' in exact:
            kept = 1 - int(m.group(1)) / int(m.group(2))
            if kept < exact['clean']:
                bad.append(f'clean lines changed: {m.group(1)} of {m.group(2)} '
                           f'(kept {kept:.5f} < {exact["clean"]})')
        f = line.split()
        if len(f) != 5 or not f[1].isdigit():
            continue
        chain, ex, acc, untouched = f[0], float(f[2]), float(f[3]), float(f[4])
        seen.add(chain)
        if chain in exact and ex < exact[chain]:
            bad.append(f'{chain} exact {ex} < {exact[chain]}')
        if chain in acc_floors and acc < acc_floors[chain]:
            bad.append(f'{chain} characc {acc} < {acc_floors[chain]}')
        if chain != 'clean' and acc + 0.01 < untouched:
            bad.append(f'{chain} worse than its input ({acc} < {untouched})')
    missing = sorted(set(exact) - seen)
    if missing:
        bad.append('no score for ' + ', '.join(missing))
    if bad:
        sys.exit(f'{name} floors: ' + '; '.join(bad))
    print(f'{name} floors met')


if __name__ == '__main__':
    main()
