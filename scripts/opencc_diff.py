#!/usr/bin/env python3
"""Differential check of zhclean's convert stage against the reference OpenCC 1.4.2.

Everything is generated under a work directory (default /tmp/zhclean-opencc-diff), never in
the repository:

1. reference: a venv with `opencc==1.4.2` from PyPI (its wheel ships the C++ library, the
   `opencc` CLI and the Python binding);
2. corpus: Debian's Chinese documentation packages (`apt-get download`, `dpkg-deb -x`):
   the text of their HTML pages, man pages, plain-text docs and fortunes, plus the
   OpenVanilla input-method tables (every character of the zh-TW, zh-HK and zh-CN
   repertoires); one line per distinct line of text that contains a CJK character;
3. inputs: the corpus as is, plus its conversions by the reference's s2t, s2tw and s2hk
   (traditional texts of three regions) and t2s (an all-simplified text);
4. for each checked config, the reference output (OpenCC's library `Converter::Convert`,
   through the Python binding, one call per line) and zhclean's output (the
   `opencc_lines` example: one `Converter::convert` per line, Japanese detection off);
   then a line-by-line comparison.

Exit status 1 unless every line of every checked config is identical.

  python3 scripts/opencc_diff.py [--configs t2s tw2s hk2s s2t ...] [--work DIR] [--min-mb 20]
"""
import argparse
import glob
import gzip
import html
import os
import re
import subprocess
import sys
import time

PACKAGES = ['manpages-zh', 'debian-reference-zh-cn', 'debian-reference-zh-tw',
            'libreoffice-help-zh-cn', 'libreoffice-help-zh-tw', 'debian-edu-doc-zh-cn',
            'fortunes-zh', 'maint-guide-zh-cn', 'maint-guide-zh-tw', 'debian-faq-zh-cn',
            'gimp-help-zh-cn', 'lilypond-doc-html-zh', 'kicad-doc-zh', 'linuxcnc-doc-zh-cn',
            'debian-edu-doc-legacy-zh-cn', 'debian-handbook', 'gnome-user-docs',
            # input-method tables: every character of each region, one per line
            'openvanilla-imgeneric-data-zh-tw', 'openvanilla-imgeneric-data-zh-hk',
            'openvanilla-imgeneric-data-zh-cn']
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CJK = re.compile(r'[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]')
TAG = re.compile(r'<[^>]+>')
DROP = re.compile(r'<(script|style)\b.*?</\1>', re.S | re.I)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def reference(work):
    venv = os.path.join(work, 'venv')
    py = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(py):
        sh([sys.executable, '-m', 'venv', venv])
    r = subprocess.run([py, '-c', 'import opencc; print(opencc.__version__)'],
                       capture_output=True, text=True)
    if r.returncode != 0 or r.stdout.strip() != '1.4.2':
        sh([py, '-m', 'pip', 'install', '-q', 'opencc==1.4.2'])
    return py


def text_of(path):
    data = open(path, 'rb').read()
    if path.endswith('.gz'):
        try:
            data = gzip.decompress(data)
        except OSError:
            return ''
    try:
        t = data.decode('utf-8')
    except UnicodeDecodeError:
        return ''
    if re.search(r'\.(x?html?|page|xml)(\.gz)?$', path):
        t = html.unescape(TAG.sub(' ', DROP.sub(' ', t)))
    elif '/man/' in path:
        t = '\n'.join(l for l in t.split('\n') if not l.startswith(('.', "'")))
    return t


def download(packages, debs):
    """`apt-get download` the packages. A machine's package index can be older than the
    mirror (a package's listed version is gone: 404); then the index is refreshed and
    the download tried again. A package still missing after that is named on stderr and
    left out: the check runs on the rest (each line is compared, so a smaller corpus
    weakens it but cannot make it pass wrongly)."""
    get = lambda pkgs: subprocess.run(['apt-get', 'download', '-q'] + pkgs, cwd=debs,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if get(packages).returncode == 0:
        return
    subprocess.run(['apt-get', 'update', '-q'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if get(packages).returncode == 0:
        return
    missing = [p for p in packages if get([p]).returncode != 0]
    if len(missing) == len(packages):
        sys.exit('opencc_diff: no corpus package could be downloaded')
    print('opencc_diff: left out (not downloadable here): ' + ' '.join(missing), file=sys.stderr)


def corpus(work, min_mb):
    path = os.path.join(work, 'corpus.txt')
    if os.path.exists(path) and os.path.getsize(path) >= min_mb * 1e6:
        return path
    debs = os.path.join(work, 'debs')
    root = os.path.join(work, 'root')
    os.makedirs(debs, exist_ok=True)
    os.makedirs(root, exist_ok=True)
    if not glob.glob(os.path.join(debs, '*.deb')):
        download(PACKAGES, debs)
    for d in glob.glob(os.path.join(debs, '*.deb')):
        sh(['dpkg-deb', '-x', d, root])
    seen = set()
    size = 0
    with open(path, 'w', encoding='utf-8', newline='\n') as out:
        for f in sorted(glob.glob(os.path.join(root, '**', '*'), recursive=True)):
            if not os.path.isfile(f) or re.search(r'\.(png|jpe?g|gif|svg|pdf|epub|woff2?|ttf|eot|js|css|ods)$', f):
                continue
            for line in text_of(f).split('\n'):
                line = ' '.join(line.split())
                if not line or not CJK.search(line) or line in seen:
                    continue
                seen.add(line)
                out.write(line + '\n')
                size += len(line.encode('utf-8')) + 1
    log(f'corpus: {size / 1e6:.1f} MB, {len(seen)} distinct lines')
    if size < min_mb * 1e6:
        log(f'warning: corpus is smaller than {min_mb} MB')
    return path


REF = r'''
import sys, opencc
cfg, src, dst = sys.argv[1:4]
c = opencc.OpenCC(cfg)
with open(src, encoding='utf-8', newline='\n') as f, open(dst, 'w', encoding='utf-8', newline='\n') as o:
    for line in f:
        o.write(c.convert(line.rstrip('\n')) + '\n')
'''


def ref_convert(py, cfg, src, dst):
    if not os.path.exists(dst):
        sh([py, '-c', REF, cfg, src, dst + '.tmp'])
        os.rename(dst + '.tmp', dst)
    return dst


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--work', default='/tmp/zhclean-opencc-diff')
    ap.add_argument('--configs', nargs='*', default=['t2s', 'tw2s', 'hk2s', 's2t'])
    ap.add_argument('--min-mb', type=float, default=20)
    ap.add_argument('--show', type=int, default=5)
    a = ap.parse_args()
    t0 = time.time()
    os.makedirs(a.work, exist_ok=True)
    py = reference(a.work)
    base = corpus(a.work, a.min_mb)
    inputs = {'raw': base}
    for cfg in ('s2t', 's2tw', 's2hk', 't2s'):
        inputs[cfg] = ref_convert(py, cfg, base, os.path.join(a.work, f'in.{cfg}.txt'))
    # which inputs each checked config reads
    plan = {'t2s': ['raw', 's2t', 's2tw', 's2hk'], 'tw2s': ['raw', 's2tw', 's2t'],
            'hk2s': ['raw', 's2hk', 's2t'], 's2t': ['raw', 't2s'], 'tw2sp': ['s2tw'], 'hk2sp': ['s2hk'],
            's2tw': ['raw'], 's2hk': ['raw'], 's2twp': ['raw'], 's2hkp': ['raw'],
            't2tw': ['s2t'], 't2hk': ['s2t'], 'tw2t': ['s2tw'], 'hk2t': ['s2hk'],
            't2jp': ['s2t'], 'jp2t': ['raw']}
    sh(['cargo', 'build', '--release', '-q', '--example', 'opencc_lines'], cwd=ROOT)
    ours = os.path.join(ROOT, 'target', 'release', 'examples', 'opencc_lines')
    failed = 0
    for cfg in a.configs:
        for name in plan.get(cfg, ['raw']):
            src = inputs[name]
            ref = ref_convert(py, cfg, src, os.path.join(a.work, f'ref.{cfg}.{name}.txt'))
            got = os.path.join(a.work, f'got.{cfg}.{name}.txt')
            with open(src, 'rb') as i, open(got, 'wb') as o:
                sh([ours, cfg], stdin=i, stdout=o)
            r = open(ref, encoding='utf-8').read().split('\n')
            g = open(got, encoding='utf-8').read().split('\n')
            bad = [k for k in range(max(len(r), len(g)))
                   if k >= len(r) or k >= len(g) or r[k] != g[k]]
            print(f'{cfg:6s} on {name:5s}: {len(r) - len(bad)}/{len(r)} lines identical')
            src_lines = open(src, encoding='utf-8').read().split('\n')
            for k in bad[:a.show]:
                print(f'  line {k + 1}: input {src_lines[k][:80]!r}')
                print(f'    reference {r[k][:80] if k < len(r) else None!r}')
                print(f'    zhclean   {g[k][:80] if k < len(g) else None!r}')
            failed += len(bad)
    print(f'opencc-diff {"OK" if not failed else "FAILED"}: {failed} differing lines '
          f'({time.time() - t0:.0f} s)')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
