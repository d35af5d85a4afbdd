// Every relative link in README.md and docs/*.md must lead somewhere: to a file of the repository and,
// when it names a #fragment of a markdown page, to one of that page's headings (GitHub's anchors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** Pages being written on other branches, linked ahead of their arrival. Remove each as it lands. */
const PENDING = new Set([]);

const pages = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The markdown outside fenced code blocks and inline code spans (links there are not links). */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** The targets of inline links `[text](target)` and reference definitions `[x]: target`. */
export function linksOf(text: string): string[] {
  const p = prose(text);
  const out: string[] = [];
  for (const m of p.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!);
  for (const m of p.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) out.push(m[1]!);
  return out;
}

/** GitHub's anchor for each heading of a page, with -1, -2, ... for repeats. */
export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const noFences = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of noFences.matchAll(/^#{1,6}\s+(.*?)\s*#*\s*$/gm)) {
    const slug = m[1]!
      .toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** What is wrong with each relative link of a page (empty when every one resolves). */
export function brokenLinks(
  page: string,
  text: string,
  exists = existsSync,
  read = (f: string) => readFileSync(f, 'utf8'),
): string[] {
  const bad: string[] = [];
  for (const link of linksOf(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
    const [path, fragment] = link.split('#', 2) as [string, string | undefined];
    const file =
      path === ''
        ? page
        : normalize(join(dirname(page), decodeURIComponent(path)))
            .split('\\')
            .join('/');
    if (PENDING.has(file)) continue;
    if (!exists(file)) {
      bad.push(`${page}: ${link}: no file ${file}`);
      continue;
    }
    if (fragment && file.endsWith('.md') && !anchorsOf(read(file)).has(decodeURIComponent(fragment).toLowerCase()))
      bad.push(`${page}: ${link}: no heading #${fragment} in ${file}`);
  }
  return bad;
}

test('every relative link in README.md and docs/*.md resolves', () => {
  const bad = pages.flatMap((p) => brokenLinks(p, readFileSync(p, 'utf8')));
  assert.deepEqual(bad, []);
});

test('docs/README.md indexes every page of docs/, and the pending ones', () => {
  const index = new Set(linksOf(readFileSync('docs/README.md', 'utf8')).map((l) => `docs/${l.split('#')[0]}`));
  const pagesOfDocs = [...pages.filter((p) => p.startsWith('docs/') && p !== 'docs/README.md'), ...PENDING];
  assert.deepEqual(
    pagesOfDocs.filter((p) => !index.has(p)),
    [],
  );
});

test('PENDING names only pages that have not landed yet', () => {
  const landed = [...PENDING].filter((f) => existsSync(f) && statSync(f).isFile());
  assert.deepEqual(landed, [], 'these pages exist now: remove them from PENDING in test/docs/links.test.ts');
});

test('the checker finds a missing file, a missing heading, and skips code and URLs', () => {
  const files: Record<string, string> = { 'docs/a.md': '# Title\n## The `--diff` option\n## Title\n' };
  const exists = (f: string): boolean => f in files || f === 'README.md';
  const read = (f: string): string => files[f] ?? '';
  const page = [
    '[ok](a.md) [ok](a.md#title-1) [ok](a.md#the---diff-option) [ok](../README.md) [web](https://x.org/y.md)',
    '[bad](b.md) [bad](a.md#nothing) `[code](c.md)`',
    '```',
    '[fenced](d.md)',
    '```',
    '[ref]: e.md',
  ].join('\n');
  assert.deepEqual(brokenLinks('docs/x.md', page, exists, read), [
    'docs/x.md: b.md: no file docs/b.md',
    'docs/x.md: a.md#nothing: no heading #nothing in docs/a.md',
    'docs/x.md: e.md: no file docs/e.md',
  ]);
});
