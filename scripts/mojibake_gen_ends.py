#!/usr/bin/env python3
"""Generate src/repair/mojibake/ends.bin: word-end figures for completing a character
whose last byte was lost before an ASCII character (a WHATWG GBK decoder loses the last
byte of the UTF-8 character before ASCII), which in running text ends a word.

Sources (shippable): jieba 0.42.1's dict.txt (MIT; word list with frequencies,
`pip download jieba==0.42.1`) and OpenCC 1.4.2's STCharacters.txt / TSCharacters.txt
(Apache-2.0; the copies vendored in src/convert/data serve), which give traditional characters the figures of their simplified forms.

Format:
  b"ZHWE1"
  0x6C00 bytes, one per code point U+3400..U+9FFF: q = round(-20 * ln(end share)),
    at most 80, where end share = (frequency of words ending in the character + 1)
    / (frequency of words containing it + 1); 255 where jieba has no word with it
  u32 m, then m x 6 bytes: the three code points (u16 big endian each) of the last
    three characters of a dictionary word of three or more characters (frequency at
    least 3), and the same in traditional characters; sorted, distinct

usage: scripts/mojibake_gen_ends.py JIEBA_DICT_TXT OPENCC_DICT_DIR > src/repair/mojibake/ends.bin
"""
import math
import struct
import sys
from collections import Counter

LO, HI = 0x3400, 0xA000
MIN_TRIGRAM_FREQ = 3


def han(c):
    return LO <= ord(c) < HI


def main():
    jieba, opencc = sys.argv[1], sys.argv[2]
    uni, end, tri = Counter(), Counter(), Counter()
    for line in open(jieba, encoding="utf-8"):
        parts = line.split()
        if len(parts) < 2:
            continue
        w, f = parts[0], int(parts[1])
        for c in set(w):
            uni[c] += f
        end[w[-1]] += f
        if len(w) >= 3 and all(han(c) for c in w[-3:]):
            tri[w[-3:]] += f
    s2t, t2s = {}, {}
    for name, table in (("STCharacters", s2t), ("TSCharacters", t2s)):
        for line in open(f"{opencc}/{name}.txt", encoding="utf-8"):
            if line.startswith("#") or "\t" not in line:
                continue  # the vendored copies (src/convert/data) have a header
            k, v = line.rstrip("\n").split("\t")
            table[k] = v.split(" ")[0]
    q = [255] * (HI - LO)
    for c, f in uni.items():
        if han(c):
            q[ord(c) - LO] = min(80, round(-20 * math.log((end[c] + 1) / (f + 1))))
    for t, s in t2s.items():
        # jieba's few traditional entries are no sample: take the simplified figure.
        if len(t) == 1 and len(s) == 1 and han(t) and han(s) and uni[s] > uni[t]:
            q[ord(t) - LO] = q[ord(s) - LO]
    keys = set()
    for k, f in tri.items():
        if f < MIN_TRIGRAM_FREQ:
            continue
        keys.add(k)
        tk = "".join(s2t.get(x, x) for x in k)
        if all(han(x) for x in tk):
            keys.add(tk)
    out = sys.stdout.buffer
    out.write(b"ZHWE1")
    out.write(bytes(q))
    keys = sorted(keys, key=lambda k: [ord(x) for x in k])
    out.write(struct.pack("<I", len(keys)))
    for k in keys:
        out.write(struct.pack(">HHH", *(ord(x) for x in k)))


main()
