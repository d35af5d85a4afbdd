// Golden tests for the three renderers on hand-built records (test/render/fixtures.ts). The expected
// outputs live in test/render/golden/; LAYOUTOF_UPDATE_GOLDEN=1 rewrites them after a deliberate change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { explainHoles } from '../../src/analyze/hole-cause.js';
import { renderText } from '../../src/render/text.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderJson } from '../../src/render/json.js';
import { conn, node, padded, record, m, UINT, CHAR } from './fixtures.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function golden(name: string, actual: string): void {
  const p = join(dir, name);
  if (process.env.LAYOUTOF_UPDATE_GOLDEN || !existsSync(p)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(p, actual);
  }
  assert.equal(actual, readFileSync(p, 'utf8'), `${name} differs (LAYOUTOF_UPDATE_GOLDEN=1 to accept)`);
}

const bits = record('struct', 'bits', 4, 4, [m('a', UINT, 0, 4, { bits: 3 }), m('b', UINT, 5, 4, { bits: 2 })]);
const views = () => [analyzeRecord(conn, 64), analyzeRecord(bits, 64)];

test('text: pahole layout, comments, expand, color only when asked', () => {
  golden('conn.txt', renderText(views()));
  golden('conn-comments.txt', renderText(views(), { comments: true }));
  golden('conn-expand.txt', renderText([analyzeRecord(conn, 64, { expand: true })]));
  const colored = renderText(views(), { color: true });
  assert.match(colored, /\x1b\[1mstruct conn\x1b\[0m/);
  assert.match(colored, /\x1b\[33m\/\* XXX 2 bytes hole/);
  assert.equal(colored.replace(/\x1b\[[0-9;]*m/g, ''), renderText(views()));
});

test("text and markdown with the holes' causes: each hole says why, the tail padding too; the rest as pahole", () => {
  const v = views();
  const causes = v.map((x) => explainHoles(x));
  const text = renderText(v, { causes });
  golden('conn-causes.txt', text);
  golden('conn-causes.md', renderMarkdown(v, { causes }));
  golden('conn-explain.txt', renderText(v, { causes, holeList: true }));
  assert.equal(
    text
      .replace(/(XXX \d+ (?:bytes?|bits?) hole): .*? \*\//g, '$1, try to pack */')
      .replace(/\t\/\* XXX \d+ bytes? of tail padding: .*\n\n/g, ''),
    renderText(v),
  );
  // Color marks the cause notes as it marks pahole's.
  assert.match(renderText(v, { causes, color: true }), /\x1b\[33m\/\* XXX 2 bytes hole: /);
});

test('markdown: headings from leading comments, hole and cacheline rows, escaped pipes, spelling and condition', () => {
  const md = renderMarkdown(views());
  golden('conn.md', md);
  assert.match(md, /\| 76 \| 4 \| &nbsp;&nbsp;`int` \| `b` \| b \\\| c \|/);
  assert.match(md, /source: `u64 bytes`; only if `CONFIG_STATS`/);
  golden('conn-expand.md', renderMarkdown([analyzeRecord(conn, 64, { expand: true })]));
});

test('json: the documented schema, offsets from the top-level record, bitfields, nested members', () => {
  const text = renderJson('x86_64-linux-gnu', views());
  golden('conn.json', text);
  const j = JSON.parse(text);
  assert.equal(j.target, 'x86_64-linux-gnu');
  const c = j.records[0];
  assert.deepEqual(Object.keys(c).slice(0, 7), ['name', 'kind', 'size', 'align', 'file', 'line', 'members']);
  assert.deepEqual([c.tailPadding, c.cachelines, c.holes.length], [0, 2, 3]);
  const anon = c.members.find((x: { name: string | null }) => x.name === null);
  assert.deepEqual(
    anon.members.map((x: { name: string; offset: number }) => [x.name, x.offset]),
    [
      ['a', 72],
      ['b', 76],
    ],
  );
  const flags = c.members.find((x: { name: string }) => x.name === 'flags');
  assert.deepEqual([flags.offset, flags.size, flags.bitOffset, flags.bitSize], [48, 4, 384, 3]);
  const tail = c.members.find((x: { name: string }) => x.name === 'tail');
  assert.equal(tail.size, 0);
  assert.equal('bitOffset' in c.members[0], false);
  assert.equal(j.records[1].bitPadding, 25);
  assert.deepEqual(j.records[1].bitHoles, [{ bitOffset: 3, bits: 2 }]);
});

test('records with no holes print only the size line; attributes after the brace', () => {
  const t = renderText([
    analyzeRecord(node),
    analyzeRecord({ ...padded, packed: true, alignedAttr: 16, forcedAlign: 16 }),
  ]);
  golden('small.txt', t);
  assert.doesNotMatch(t.split('\n\n')[0] ?? '', /sum members/);
  void CHAR;
});
