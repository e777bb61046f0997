#!/usr/bin/env python3
"""Adversarial clean-text sweeps for the repair stage: lines no repair may change.

Three sweeps, each made of lines that are clean by construction, in simplified
characters and again converted to traditional (`BIN --convert s2t`):

- poetry: the Tang and Song poems and sayings of Debian's fortunes-zh (classical
  text, full of hanzi the character model finds dear), read in place;
- rare: 40,000 lines of one to three of jieba 0.42.1's rare words (frequency at
  most 5) and names (tag nr), as short lines of names and terms on web pages are;
- mixed: 50,000 lines of one to six pieces: jieba's words, common and rare, Latin-1
  words and signs (`Zürich`, `½`, `±0.5`), emoji and full-width forms, glued
  together or with a space, a comma or `、` between them.

The lines are drawn with fixed seeds, so each run makes the same sweeps. Each sweep
goes through `BIN --format jsonl --field text --no-convert --no-strip`; a line whose
output differs from it (white space and invisible characters aside, as zheval
compares) counts as changed. A sweep fails when more lines change than its ceiling
(`CEILINGS`: none for poetry; rare and mixed still have a few, see there).

Sources: jieba's dict.txt (MIT; `pip download jieba==0.42.1`, fetched here when
--jieba is not given) and fortunes-zh (`apt-get download fortunes-zh`). Nothing of
either is kept. Without them (no network), the sweeps that need them are skipped.

usage: scripts/clean_sweeps.py BIN [--jieba DICT_TXT] [--show N]
"""
import argparse
import glob
import json
import os
import random
import re
import subprocess
import sys
import tarfile
import tempfile

# Measured: rare has one of jieba's own misencoded names (`富浠诲`, UTF-8 read as GBK;
# `旮旮旯旯` read as Big5's `深深身身` was two more until cross_cover).
# mixed has lines of Latin-1 signs glued to signs or hanzi, `·±0.5`, that read as a
# GBK or Big5 hanzi (90 until the middle dot cost less than a Latin-1 sign, b0abe57).
CEILINGS = {"poetry": 0, "rare": 1, "mixed": 82}

LATIN1 = [
    "Müller", "Zürich", "café", "naïve", "São Paulo", "Ångström", "Ørsted", "Señor",
    "Ärzte", "façade", "Größe", "Björk", "Renée", "crème brûlée", "Dvořák", "Łódź",
    "ÉCOLE", "Noël", "½", "©2024", "®", "°C", "±0.5", "×", "÷", "µm", "§3", "¶",
    "«引用»", "“quoted”", "‘x’", "—", "…", "·", "•", "€100", "£5", "¥300", "™",
]
EMOJI = ["😀", "👍", "🎉", "❤️", "🔥", "✅", "⭐", "🇨🇳", "😂", "🙏"]
FULLWIDTH = ["ＡＢＣ", "１２３", "！", "？", "（注）", "【推荐】", "《书名》", "「引号」", "～", "￥"]

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def same(a, b):
    return "".join(a.translate(INVISIBLE).split()) == "".join(b.translate(INVISIBLE).split())


def fetch_jieba(tmp):
    """jieba 0.42.1's dict.txt, from its source distribution on PyPI (None if it
    cannot be downloaded)."""
    r = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         "-d", tmp, "jieba==0.42.1"],
        capture_output=True,
    )
    archives = glob.glob(os.path.join(tmp, "jieba-0.42.1.tar.gz"))
    if r.returncode != 0 or not archives:
        return None
    with tarfile.open(archives[0]) as t:
        member = t.getmember("jieba-0.42.1/jieba/dict.txt")
        t.extract(member, tmp, filter="data")
    return os.path.join(tmp, "jieba-0.42.1", "jieba", "dict.txt")


def fetch_fortunes(tmp):
    """The lines of fortunes-zh's Tang poems, Song poems and sayings that hold a hanzi
    (colour escapes removed), or None if the package cannot be downloaded."""
    r = subprocess.run(["apt-get", "download", "fortunes-zh"], cwd=tmp, capture_output=True)
    debs = glob.glob(os.path.join(tmp, "fortunes-zh_*.deb"))
    if r.returncode != 0 or not debs:
        return None
    x = os.path.join(tmp, "fortunes")
    subprocess.run(["dpkg-deb", "-x", debs[0], x], check=True)
    lines = []
    for name in ("tang300", "song100", "chinese"):
        path = os.path.join(x, "usr/share/games/fortunes", name)
        for line in open(path, encoding="utf-8"):
            line = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip("\n")
            if line != "%" and re.search(r"[\u4e00-\u9fff]", line):
                lines.append(line)
    return lines


def jieba_words(path):
    words = []
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if len(parts) == 3 and re.fullmatch(r"[\u4e00-\u9fff]{1,6}", parts[0]):
            words.append((parts[0], int(parts[1]), parts[2]))
    return words


def rare_lines(words):
    rng = random.Random(7)
    rare = [w for w, f, _ in words if f <= 5 and len(w) >= 2]
    names = [w for w, _, p in words if p == "nr" and len(w) >= 2]
    out = []
    for _ in range(40000):
        k = rng.choice([1, 1, 2, 3])
        pool = names if rng.random() < 0.3 else rare
        sep = rng.choice(["", " ", "，", "、"])
        out.append(sep.join(rng.choice(pool) for _ in range(k)))
    return out


def mixed_lines(words):
    rng = random.Random(11)
    short = [(w, f) for w, f, _ in words if len(w) <= 4]
    common = [w for w, f in short if f >= 200]
    rare = [w for w, f in short if f < 200]
    out = []
    for _ in range(50000):
        parts = []
        for _ in range(rng.randint(1, 6)):
            r = rng.random()
            if r < 0.45:
                parts.append(rng.choice(common))
            elif r < 0.6:
                parts.append(rng.choice(rare))
            elif r < 0.8:
                parts.append(rng.choice(LATIN1))
            elif r < 0.9:
                parts.append(rng.choice(EMOJI))
            else:
                parts.append(rng.choice(FULLWIDTH))
        out.append(rng.choice(["", " ", "，", "、"]).join(parts))
    return out


def run(bin_, lines, flags):
    inp = "".join(json.dumps({"text": l}, ensure_ascii=False) + "\n" for l in lines)
    r = subprocess.run([bin_, "--format", "jsonl", "--field", "text"] + flags,
                       input=inp.encode("utf-8"), capture_output=True, check=True)
    return [json.loads(l)["text"] for l in r.stdout.decode("utf-8").splitlines()]


def with_traditional(bin_, lines):
    return lines + run(bin_, lines, ["--no-repair", "--no-strip", "--convert", "s2t"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bin")
    ap.add_argument("--jieba", help="jieba 0.42.1's dict.txt (downloaded when absent)")
    ap.add_argument("--show", type=int, default=10, help="changed lines shown per sweep")
    a = ap.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        sweeps = {}
        poems = fetch_fortunes(tmp)
        if poems is None:
            print("fortunes-zh not downloadable here: poetry sweep skipped")
        else:
            sweeps["poetry"] = poems
        dict_txt = a.jieba or fetch_jieba(tmp)
        if dict_txt is None:
            print("jieba 0.42.1 not downloadable here: rare and mixed sweeps skipped")
        else:
            words = jieba_words(dict_txt)
            sweeps["rare"] = rare_lines(words)
            sweeps["mixed"] = mixed_lines(words)
        for name, lines in sweeps.items():
            lines = [l for l in with_traditional(a.bin, lines) if l.strip()]
            outs = run(a.bin, lines, ["--no-convert", "--no-strip"])
            changed = [(l, o) for l, o in zip(lines, outs) if not same(l, o)]
            ok = len(outs) == len(lines) and len(changed) <= CEILINGS[name]
            failed |= not ok
            print(f"clean-sweep {name:7s} lines={len(lines):6d} changed={len(changed):4d} "
                  f"ceiling={CEILINGS[name]} {'ok' if ok else 'FAILED'}")
            for l, o in changed[: a.show]:
                print("   ", json.dumps(l, ensure_ascii=False), "->",
                      json.dumps(o, ensure_ascii=False))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
