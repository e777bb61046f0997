#!/usr/bin/env python3
"""Writes the text of unpacked Debian documentation packages, one line of text a line.

usage: debian_docs_text.py OUT ROOT [ROOT ...]

Each ROOT is a package unpacked with `dpkg-deb -x`. Read from it: HTML pages (the text
of each block element a line; scripts and styles left out), man pages (gzipped roff,
requests and font escapes stripped), fortune files (`usr/share/games/fortunes`, the
`%` separators left out), plain-text files (`.txt`, `.txt.gz`) and the messages of
Firefox language packs (`.xpi`: the values of its `.ftl` and `.properties` files). Lines
are stripped of edge white space; empty ones are dropped, and so are lines that are
damaged already (a C1 control or U+FFFD: LibreOffice's help has a few whose UTF-8 lost
a byte). Files that are not UTF-8 are left out; symbolic links are read as the files
they point to.

The mojibake check in CI (scripts/mojibake_ci.sh) generates its man-page and
held-out case sets from this text at run time: nothing of it is kept in the
repository.
"""
import glob
import gzip
import os
import re
import sys
import zipfile
from html.parser import HTMLParser

# Elements that end a line of text.
BLOCKS = {
    'p', 'div', 'li', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'br', 'tr',
    'dt', 'dd', 'title', 'table', 'ul', 'ol', 'dl', 'blockquote',
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.buf, self.lines, self.skip = [], [], 0

    def flush(self):
        for line in ''.join(self.buf).split('\n'):
            line = ' '.join(line.split())
            if line:
                self.lines.append(line)
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'style'):
            self.skip += 1
        if tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in ('script', 'style'):
            self.skip = max(0, self.skip - 1)
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def html_lines(path):
    p = _Text()
    with open(path, encoding='utf-8') as f:
        p.feed(f.read())
    p.flush()
    return p.lines


def man_lines(path):
    text = gzip.open(path).read().decode('utf-8')
    out = []
    for line in text.split('\n'):
        if line.startswith(('.\\"', "'\\\"")):
            continue
        line = re.sub(r'^\.[A-Za-z]+\s*', '', line)
        line = re.sub(r'\\f[BIRP]|\\\(..|\\[-&e]', '', line).replace('"', '').strip()
        if line:
            out.append(line)
    return out


def plain_lines(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        return [s for s in (line.strip() for line in f) if s and s != '%']


def xpi_lines(path):
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(('.ftl', '.properties')):
                continue
            for line in z.read(name).decode('utf-8').splitlines():
                line = line.strip()
                if not line or line.startswith('#'):
                    continue
                # `key = value`, `.attribute = value` (Fluent), `key: value`.
                m = re.match(r'^\.?[\w.-]+\s*[=:]\s*(.*)$', line)
                value = (m.group(1) if m else line).strip()
                if value:
                    out.append(value)
    return out


# A character no clean text has: a C1 control, or U+FFFD.
DAMAGED = re.compile('[\x80-\x9f\ufffd]')


def lines_of(path):
    if path.endswith('.xpi'):
        return xpi_lines(path)
    if re.search(r'\.html?$', path):
        return html_lines(path)
    if '/man/' in path and path.endswith('.gz'):
        return man_lines(path)
    if '/fortunes/' in path and not path.endswith('.dat'):
        return plain_lines(path)
    if path.endswith(('.txt', '.txt.gz')):
        return plain_lines(path)
    return []


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], 'w', encoding='utf-8') as out:
        for root in sys.argv[2:]:
            for path in sorted(glob.glob(os.path.join(root, '**', '*'), recursive=True)):
                if not os.path.isfile(path):
                    continue
                try:
                    lines = lines_of(path)
                except (OSError, EOFError, ValueError, zipfile.BadZipFile):
                    continue
                for line in lines:
                    if not DAMAGED.search(line):
                        out.write(line + '\n')


if __name__ == '__main__':
    main()
