#!/usr/bin/env bash
# Mojibake conformance for CI: (1) every case of ftfy's negative.json comes back
# unchanged; (2) a mojibake set generated (make_mojibake.py) from the web pages of the
# strip stage's dev set must meet per-chain floors; (3) if Debian's manpages-zh can be
# downloaded, a set generated from it must meet per-chain floors and change no clean
# line; (4) so must a set from other Debian documentation, held out of all tuning, with
# Japanese documentation among its 20,000 clean lines; (5) and a second held-out set,
# from LibreOffice's help, Firefox's messages and the Debian Edu manual, with Korean
# and Japanese among its clean lines; (6) and clean lines in European scripts from
# Firefox's messages must all come back unchanged.
# usage: scripts/mojibake_ci.sh BIN SHARED_DIR
set -euo pipefail
BIN=$(realpath "$1")
SHARED=$(realpath "$2")
HERE=$(dirname "$(realpath "$0")")
EVAL=$SHARED/eval/zheval.py
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# get DIR PACKAGE: downloads a Debian package into DIR. A machine's package lists go
# stale (a point release replaces a version, whose file is then gone from the mirror:
# LibreOffice's help was), so a failed download is tried again once after
# `apt-get update`.
LISTS_UPDATED=""
get() {
    (cd "$1" && apt-get download "$2" >/dev/null 2>&1) && return 0
    [ -z "$LISTS_UPDATED" ] || return 1
    LISTS_UPDATED=1
    echo "apt-get download $2 failed: updating the package lists and trying again"
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$1" && apt-get download "$2" >/dev/null 2>&1)
}

# debs DIR WHAT PACKAGE...: downloads each Debian package into DIR and unpacks it into
# DIR/PACKAGE; when one cannot be downloaded here, says that WHAT is skipped and fails.
debs() {
    local dir=$1 what=$2 p
    shift 2
    mkdir -p "$dir"
    for p in "$@"; do
        if ! get "$dir" "$p"; then
            echo "$p not downloadable here: $what skipped"
            return 1
        fi
        dpkg-deb -x "$dir/$p"_*.deb "$dir/$p"
    done
}

mkdir -p "$WORK/neg"
cp "$SHARED/eval/mojibake/ftfy/negative.json" "$WORK/neg/"
out=$(python3 "$EVAL" --bin "$BIN" ftfy --dir "$WORK/neg")
echo "$out" | head -1
python3 - "$out" <<'PY'
import re, sys
m = re.search(r'negative\.json\s+n=\s*(\d+) zhclean=\s*(\d+)', sys.argv[1])
if not m or m.group(1) != m.group(2):
    sys.exit('ftfy negatives changed: ' + (m.group(0) if m else 'no result'))
PY

cd "$WORK"
# (2) Web text: the strip stage's dev pages (real pages' text, evaluation data read in
# place, nothing kept), damaged by make_mojibake.py. Their own damage (pinyin glosses,
# lost characters) is repaired on purpose: that is the clean lines that change here.
python3 - "$SHARED" <<'PY'
import glob, json, sys
with open('web.txt', 'w') as o:
    for p in sorted(glob.glob(sys.argv[1] + '/eval/boilerplate/dev/*.jsonl')):
        for l in open(p, encoding='utf-8'):
            for x in json.loads(l).get('lines', []):
                if x.strip():
                    o.write(x.strip() + '\n')
PY
python3 "$SHARED/eval/make_mojibake.py" --simplified web.txt --per-chain 200 --clean 3000 \
    --seed 11 > web_cases.jsonl
python3 "$EVAL" --bin "$BIN" --show 0 mojibake --cases web_cases.jsonl | tee web_score.txt
# Regression guards three lines of 200 (0.015) below the level measured at db618eb
# (for the chains that gained since, at 29ce6c1, for gbk>big5 at de7dcbc, and for the
# Latin-1/windows-1252 chains, utf8>gbk, its strict form and utf8>gbk>utf8>cp1252 at
# eb030d2);
# clean lines: 5 of 3000 changed there, all of them the pages' own glosses and lost
# characters.
python3 "$HERE/mojibake_floors.py" web_score.txt web-text '{
    "clean": 0.997, "utf8>latin1": 0.985, "utf8>cp1252:whatwg": 0.985,
    "utf8>cp1252:whatwg>utf8>cp1252:whatwg": 0.98, "partial:utf8>cp1252:whatwg": 0.985,
    "gbk>latin1": 0.985, "gbk>cp1252:whatwg": 0.98, "partial:gbk>cp1252:whatwg": 0.98,
    "utf8>gbk:whatwg": 0.825, "utf8>gbk:strict": 0.695, "utf8>gbk:whatwg>utf8>gbk:whatwg": 0.75,
    "utf8>gbk:whatwg>utf8>cp1252:whatwg": 0.855, "partial:utf8>gbk:whatwg": 0.88,
    "gbk>big5:whatwg": 0.845, "utf8>cp1252:strict": 0.845}'

# (3) Debian's manual pages in Chinese.
man_pages() {
if ! get . manpages-zh; then
    echo "manpages-zh not downloadable here: generated mojibake set skipped"
    return 0
fi
dpkg-deb -x manpages-zh_*.deb x
python3 "$HERE/debian_docs_text.py" simp.txt x/usr/share/man/zh_CN
python3 "$HERE/debian_docs_text.py" trad.txt x/usr/share/man/zh_TW
python3 "$SHARED/eval/make_mojibake.py" --simplified simp.txt --traditional trad.txt \
    --per-chain 200 --clean 5000 --seed 11 > cases.jsonl
python3 "$EVAL" --bin "$BIN" --show 0 mojibake --cases cases.jsonl | tee score.txt
# Floors: the issue's targets where they are met (the lossless chains but Big5 read
# as GBK: exact >= 0.995), elsewhere a regression guard three lines of 200 (0.015)
# below the level measured (the utf8>gbk family, the strict chains, Big5 and GBK read
# as each other: at 13491af). No clean line changes.
python3 "$HERE/mojibake_floors.py" score.txt man-page '{
    "clean": 1.0,
    "utf8>latin1": 0.995, "utf8>cp1252:whatwg": 0.995, "gbk>latin1": 0.995,
    "gbk>cp1252:whatwg": 0.995, "trad:big5>latin1": 0.995, "trad:big5>cp1252:whatwg": 0.995,
    "utf8>cp1252:whatwg>utf8>cp1252:whatwg": 0.99, "partial:utf8>cp1252:whatwg": 0.99,
    "partial:gbk>cp1252:whatwg": 0.99, "utf8>gbk:whatwg": 0.88, "trad:utf8>gbk:whatwg": 0.90,
    "trad:big5>gbk:whatwg": 0.98, "gbk>big5:whatwg": 0.955, "partial:utf8>gbk:whatwg": 0.895,
    "utf8>gbk:whatwg>utf8>cp1252:whatwg": 0.905, "utf8>gbk:whatwg>utf8>gbk:whatwg": 0.845,
    "utf8>cp1252:strict": 0.94, "utf8>gbk:strict": 0.725}' '{
    "utf8>gbk:strict": 0.96, "utf8>cp1252:strict": 0.99, "utf8>gbk:whatwg": 0.98,
    "gbk>big5:whatwg": 0.97, "trad:big5>gbk:whatwg": 0.99}'
}

# (4) Held out: Debian's other Chinese documentation (the Debian reference, the new
# maintainers' guide, the FAQ, in simplified and traditional Chinese; Chinese fortunes,
# whose poems carry terminal colour codes) and Japanese documentation as more clean
# lines. Downloaded and read at run time (scripts/debian_docs_text.py), nothing kept.
held_out() {
HELD="debian-reference-zh-cn maint-guide-zh-cn debian-faq-zh-cn fortunes-zh
      debian-reference-zh-tw maint-guide-zh-tw manpages-ja debian-reference-ja"
# shellcheck disable=SC2086 # (word splitting of the package lists is meant)
debs held "held-out mojibake set" $HELD || return 0
python3 "$HERE/debian_docs_text.py" held_simp.txt held/debian-reference-zh-cn \
    held/maint-guide-zh-cn held/debian-faq-zh-cn held/fortunes-zh
python3 "$HERE/debian_docs_text.py" held_trad.txt held/debian-reference-zh-tw \
    held/maint-guide-zh-tw
python3 "$HERE/debian_docs_text.py" held_ja.txt held/manpages-ja held/debian-reference-ja
python3 "$SHARED/eval/make_mojibake.py" --simplified held_simp.txt --traditional held_trad.txt \
    --extra-clean held_ja.txt --per-chain 200 --clean 20000 --seed 5 > held_cases.jsonl
python3 "$EVAL" --bin "$BIN" --show 0 mojibake --cases held_cases.jsonl | tee held_score.txt
# Floors: the issue's target (0.995) for the lossless chains where met, elsewhere three
# lines of 200 (0.015) below the level measured when this set was added (Big5 read as
# windows-1252 at 0.99, its misses single hanzi in ASCII lines; the utf8>gbk family, the
# strict chains, Big5 and GBK read as each other; Big5 read as GBK again at 759b390,
# 0.985, with its words between ASCII text repaired). No clean line changes.
python3 "$HERE/mojibake_floors.py" held_score.txt held-out '{
    "clean": 1.0,
    "utf8>latin1": 0.995, "utf8>cp1252:whatwg": 0.995, "gbk>latin1": 0.995,
    "gbk>cp1252:whatwg": 0.995, "trad:big5>latin1": 0.995,
    "partial:gbk>cp1252:whatwg": 0.995, "partial:utf8>cp1252:whatwg": 0.995,
    "utf8>cp1252:whatwg>utf8>cp1252:whatwg": 0.995, "trad:big5>cp1252:whatwg": 0.975,
    "utf8>gbk:whatwg": 0.88, "trad:utf8>gbk:whatwg": 0.855,
    "trad:big5>gbk:whatwg": 0.97, "gbk>big5:whatwg": 0.90,
    "partial:utf8>gbk:whatwg": 0.87, "utf8>gbk:whatwg>utf8>cp1252:whatwg": 0.905,
    "utf8>gbk:whatwg>utf8>gbk:whatwg": 0.85, "utf8>cp1252:strict": 0.89,
    "utf8>gbk:strict": 0.775}'
}

# (5) Held out, second set: other packages' Chinese text: LibreOffice's help and
# Firefox's messages in simplified and traditional Chinese, the Debian Edu manual; and
# as more clean lines, Korean (LibreOffice's help, the Debian FAQ, Firefox) and
# Japanese (LibreOffice's help). Short interface strings with placeholders
# (`{ $count }`, `%1$S`), menu paths, formulas. Downloaded and read at run time,
# nothing kept; lines damaged in the packages themselves (a C1 control or U+FFFD) are
# left out by debian_docs_text.py.
held_out_2() {
HELD2="libreoffice-help-zh-cn debian-edu-doc-zh-cn firefox-esr-l10n-zh-cn
       libreoffice-help-zh-tw firefox-esr-l10n-zh-tw
       libreoffice-help-ko debian-faq-ko firefox-esr-l10n-ko libreoffice-help-ja"
# shellcheck disable=SC2086
debs held2 "second held-out mojibake set" $HELD2 || return 0
python3 "$HERE/debian_docs_text.py" held2_simp.txt held2/libreoffice-help-zh-cn \
    held2/debian-edu-doc-zh-cn held2/firefox-esr-l10n-zh-cn
python3 "$HERE/debian_docs_text.py" held2_trad.txt held2/libreoffice-help-zh-tw \
    held2/firefox-esr-l10n-zh-tw
python3 "$HERE/debian_docs_text.py" held2_other.txt held2/libreoffice-help-ko \
    held2/debian-faq-ko held2/firefox-esr-l10n-ko held2/libreoffice-help-ja
python3 "$SHARED/eval/make_mojibake.py" --simplified held2_simp.txt \
    --traditional held2_trad.txt --extra-clean held2_other.txt --per-chain 200 \
    --clean 20000 --seed 9 > held2_cases.jsonl
python3 "$EVAL" --bin "$BIN" --show 0 mojibake --cases held2_cases.jsonl | tee held2_score.txt
# Floors: 0.995 for the lossless chains (all met here, Big5 read as GBK too), elsewhere
# three lines of 200 below the level measured when the set was added (418c71d). Two
# clean lines change, both by design: references escaped twice in LibreOffice's help
# (`&quot;` around Korean words, an HTML example's `&lt;a href=…`), which the artifact
# pass decodes.
python3 "$HERE/mojibake_floors.py" held2_score.txt held-out-2 '{
    "clean": 0.9999,
    "utf8>latin1": 0.995, "utf8>cp1252:whatwg": 0.995, "gbk>latin1": 0.995,
    "gbk>cp1252:whatwg": 0.995, "trad:big5>latin1": 0.995, "trad:big5>cp1252:whatwg": 0.995,
    "trad:big5>gbk:whatwg": 0.995, "utf8>cp1252:whatwg>utf8>cp1252:whatwg": 0.995,
    "partial:gbk>cp1252:whatwg": 0.995, "partial:utf8>cp1252:whatwg": 0.995,
    "utf8>gbk:whatwg": 0.95, "trad:utf8>gbk:whatwg": 0.925, "gbk>big5:whatwg": 0.97,
    "partial:utf8>gbk:whatwg": 0.925, "utf8>gbk:whatwg>utf8>cp1252:whatwg": 0.95,
    "utf8>gbk:whatwg>utf8>gbk:whatwg": 0.885, "utf8>cp1252:strict": 0.95,
    "utf8>gbk:strict": 0.885}'
}

# (6) Clean text in Latin, Greek and Cyrillic scripts: every message line with a
# non-ASCII character of sixteen Firefox language packs (about 130,000 lines) must come
# back unchanged; short Greek and Cyrillic words are what GBK's rows A6-A7 hold, where
# Big5 has common hanzi.
european() {
EUROPEAN=""
for l in de fr es-es pl cs tr vi ru el pt-br hu ro is sv-se da fi; do
    EUROPEAN="$EUROPEAN firefox-esr-l10n-$l"
done
# shellcheck disable=SC2086
debs european "European clean lines" $EUROPEAN || return 0
python3 "$HERE/debian_docs_text.py" european.txt european/*/
python3 - european.txt > european_cases.jsonl <<'PY'
import json
import sys
seen = set()
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.strip()
    if 2 <= len(line) <= 300 and line not in seen and not line.isascii():
        seen.add(line)
        print(json.dumps({'chain': 'clean', 'input': line, 'expected': line}, ensure_ascii=False))
PY
python3 "$EVAL" --bin "$BIN" --show 0 mojibake --cases european_cases.jsonl | tee european_score.txt
python3 "$HERE/mojibake_floors.py" european_score.txt european '{"clean": 1.0}'
}

# Each set is skipped alone when its packages cannot be downloaded here. (The sets'
# functions are not indented: their here-documents are Python.)
man_pages
held_out
held_out_2
european
