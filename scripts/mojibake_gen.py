#!/usr/bin/env python3
"""Generate src/repair/mojibake/model.bin: character costs and a bigram set for the
mojibake repairer's plausibility score.

Sources (both shippable): jieba 0.42.1's dict.txt (MIT; word list with frequencies,
`pip download jieba==0.42.1`) and OpenCC 1.4.2's STCharacters.txt / TSCharacters.txt
(Apache-2.0) to give traditional characters the figures of their simplified forms.

Format (little endian):
  b"ZHMJ1"
  u32 n; n x (u16 code point, u8 cost*20)           -- hanzi unigram costs
  u32 m; m x (u32 key = cp1 << 16 | cp2, u8 bonus*20) -- bigrams inside words, sorted

usage: scripts/mojibake_gen.py JIEBA_DICT_TXT OPENCC_DICT_DIR > src/repair/mojibake/model.bin
"""
import math
import struct
import sys
from collections import Counter


def han(c):
    return 0x3400 <= ord(c) <= 0x9FFF


def main():
    jieba, opencc = sys.argv[1], sys.argv[2]
    uni, bi = Counter(), Counter()
    for line in open(jieba, encoding="utf-8"):
        parts = line.split()
        if len(parts) < 2:
            continue
        w, f = parts[0], int(parts[1])
        for c in w:
            if han(c):
                uni[c] += f
        for a, b in zip(w, w[1:]):
            if han(a) and han(b):
                bi[a + b] += f
    s2t, t2s = {}, {}
    for line in open(f"{opencc}/STCharacters.txt", encoding="utf-8"):
        k, v = line.rstrip("\n").split("\t")
        s2t[k] = v.split(" ")[0]
    for line in open(f"{opencc}/TSCharacters.txt", encoding="utf-8"):
        k, v = line.rstrip("\n").split("\t")
        t2s[k] = v.split(" ")[0]
    total = sum(uni.values())
    cost = {}
    for c, f in uni.items():
        cost[c] = 0.7 + max(0.0, -math.log(f / total) - 3.5) * 0.35
    for t, s in t2s.items():
        if len(t) == 1 and s in cost and han(t) and ord(t) <= 0xFFFF:
            cost[t] = min(cost.get(t, 99.0), cost[s])
    cost = {c: v for c, v in cost.items() if v < 6.0 and ord(c) <= 0xFFFF}
    top = [k for k, _ in bi.most_common(60000) if all(ord(x) <= 0xFFFF for x in k)]
    bonus = {}
    for r, k in enumerate(top):
        b = 2.0 if r < 5000 else 1.5 if r < 25000 else 1.0
        bonus[k] = b
        tk = "".join(s2t.get(x, x) for x in k)
        if tk != k and tk not in bonus:
            bonus[tk] = b
    out = sys.stdout.buffer
    out.write(b"ZHMJ1")
    out.write(struct.pack("<I", len(cost)))
    for c in sorted(cost):
        out.write(struct.pack("<HB", ord(c), min(255, round(cost[c] * 20))))
    keys = sorted((ord(k[0]) << 16 | ord(k[1]), v) for k, v in bonus.items())
    out.write(struct.pack("<I", len(keys)))
    for k, v in keys:
        out.write(struct.pack("<IB", k, round(v * 20)))


main()
