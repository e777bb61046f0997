#!/usr/bin/env python3
"""Where strip loses recall (and precision) on labelled pages.

Runs BIN once per gold file with --report and groups, character-weighted like zheval.py:
  - gold-content lines that were dropped, by the reason the stripper reported;
  - boilerplate lines that were kept.
Usage: strip_loss.py BIN GOLD.jsonl... [--show N] [--reason R] [--kept]
Prints nothing from the pages unless --show/--reason/--kept asks for examples (for the
developer's eyes only; never copy them into the repository).
"""
import argparse, json, os, subprocess, sys, tempfile, unicodedata
from collections import defaultdict


def weight(s):
    return len(''.join(unicodedata.normalize('NFKC', s).split()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('bin')
    ap.add_argument('gold', nargs='+')
    ap.add_argument('--show', type=int, default=0)
    ap.add_argument('--reason')
    ap.add_argument('--kept', action='store_true')
    a = ap.parse_args()
    lost = defaultdict(int)
    lost_n = defaultdict(int)
    examples = defaultdict(list)
    kept_bad = []
    content_total = 0
    for path in a.gold:
        set_name = os.path.splitext(os.path.basename(path))[0]
        gold = [json.loads(l) for l in open(path, encoding='utf-8') if l.strip()]
        with tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False) as f:
            for g in gold:
                f.write(json.dumps({'id': g['id'], 'text': '\n'.join(g['lines'])}, ensure_ascii=False) + '\n')
            inp = f.name
        rep = inp + '.report'
        subprocess.run([a.bin, '--format', 'jsonl', '--no-repair', '--no-convert', '--report', rep, inp],
                       stdout=subprocess.DEVNULL, check=False)
        reports = [json.loads(l) for l in open(rep, encoding='utf-8')]
        os.unlink(inp); os.unlink(rep)
        for g, r in zip(gold, reports):
            dropped = {d['line']: d['reason'] for d in (r.get('strip') or {}).get('dropped', [])}
            for i, (line, lab) in enumerate(zip(g['lines'], g['labels'])):
                w = weight(line)
                if lab == 1:
                    content_total += w
                    if i in dropped:
                        reason = dropped[i]
                        lost[reason] += w
                        lost_n[reason] += 1
                        examples[reason].append((w, set_name, g['id'][-8:], i, line))
                elif lab == 0 and i not in dropped and w:
                    kept_bad.append((w, set_name, g['id'][-8:], i, line))
    total_lost = sum(lost.values())
    print(f'content {content_total}  lost {total_lost} ({total_lost / max(content_total, 1):.4f})')
    print(f'{"reason":24s} {"chars":>7s} {"lines":>6s} {"share of content":>16s}')
    for reason, w in sorted(lost.items(), key=lambda x: -x[1]):
        print(f'{reason:24s} {w:7d} {lost_n[reason]:6d} {w / content_total:16.4f}')
    print(f'kept boilerplate: {sum(k[0] for k in kept_bad)} chars in {len(kept_bad)} lines')
    if a.show:
        for reason in ([a.reason] if a.reason else sorted(lost, key=lambda x: -lost[x])):
            print(f'--- {reason}')
            for e in sorted(examples[reason], key=lambda x: -x[0])[:a.show]:
                print(f'  {e[0]:5d} {e[1]}/{e[2]}:{e[3]} {e[4][:100]}')
    if a.kept:
        for e in sorted(kept_bad, key=lambda x: -x[0])[:max(a.show, 30)]:
            print(f'  {e[0]:5d} {e[1]}/{e[2]}:{e[3]} {e[4][:100]}')


if __name__ == '__main__':
    main()
