// A record larger than 2^50 bytes in every output: exact offsets, sizes and totals in text and
// markdown, decimal strings past 2^53 in JSON (valid against the schema); the analyses that compute
// in numbers (advice, pictures, comparisons, diffs, --decode) refuse it with a located message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { analyzeSourceText } from '../../src/api.js';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { validate } from '../cli/json-schema.js';
import { sourceCli } from '../support/source-cli.js';

// Offsets as gcc has them (test/layout/big.test.ts checks these records against gcc).
const SRC = `struct u { char a[(1ULL << 62) + 1]; char b; long c; };
struct bf { char a[(1ULL << 62) + 3]; int b : 3; int c : 31; _Alignas(64) char d; };
struct t2 { char c; struct u x; };
`;
const G = 1n << 62n;

test('text and markdown print exact offsets, sizes, holes and totals', () => {
  const res = analyzeSourceText(SRC);
  const views = ['u', 'bf'].map((n) => analyzeRecord(res.find(n)!));
  const text = renderText(views);
  const md = renderMarkdown(views);
  for (const out of [text, md]) {
    assert.doesNotMatch(out, /e\+|4611686018427388000|NaN|Infinity/);
    assert.ok(out.includes(String(G + 1n)), out); // u.b
    assert.ok(out.includes(String(G + 8n)), out); // u.c
    assert.ok(out.includes(String(G + 16n)), out); // sizeof(struct u)
    assert.ok(out.includes(String(G + 64n)), out); // bf.d
    assert.ok(out.includes(String(G + 128n)), out); // sizeof(struct bf)
  }
  assert.match(text, /XXX 6 bytes hole/);
  assert.match(text, /size: 4611686018427387920, cachelines: 72057594037927937, members: 3/);
  assert.match(text, /sum members: 4611686018427387914, holes: 1, sum holes: 6/);
  assert.match(text, /b:3;\s+\/\* 4611686018427387904:24 {2}4 \*\//);
  assert.match(md, /\| 4611686018427387907:3 \| 5 bits \| \| \| _5-bit hole_ \|/);
  assert.match(md, /\| 4611686018427387912 \| 56 \| \| \| _56-byte hole/);
});

test('JSON holds values past 2^53 as decimal strings, valid against the schema', () => {
  const res = analyzeSourceText(SRC);
  const doc = JSON.parse(
    renderJson(
      'x86_64-linux-gnu',
      ['u', 'bf', 't2'].map((n) => analyzeRecord(res.find(n)!)),
    ),
  );
  const schema = JSON.parse(readFileSync('schema/layoutof.schema.json', 'utf8'));
  assert.deepEqual(validate(schema, doc), []);
  const [u, bf, t2] = doc.records;
  assert.equal(u.size, String(G + 16n));
  assert.deepEqual(
    u.members.map((m: { offset: unknown; size: unknown }) => [m.offset, m.size]),
    [
      [0, String(G + 1n)],
      [String(G + 1n), 1],
      [String(G + 8n), 8],
    ],
  );
  assert.equal(u.members[0].type, `char [${G + 1n}]`);
  assert.deepEqual(u.holes, [{ offset: String(G + 2n), size: 6 }]);
  assert.equal(u.cachelines, String((G + 16n + 63n) / 64n));
  assert.equal(u.tailPadding, 0);
  assert.equal(bf.members[2].bitOffset, String((G + 4n) * 8n));
  assert.equal(bf.tailPadding, 63);
  assert.deepEqual(
    t2.members.map((m: { offset: unknown }) => m.offset),
    [0, 8],
  );
  assert.equal(t2.size, String(G + 24n));
});

test('analyses that compute in numbers refuse such a record, located', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-big-'));
  const f = join(dir, 'big.h');
  writeFileSync(f, 'struct small { int a; char b; };\n' + SRC);
  const refusal = new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: .* cannot handle 'struct u'`);
  for (const args of [
    ['--reorganize'],
    ['--format', 'svg'],
    ['--format', 'ctypes'],
    ['--format', 'c-asserts', '--target', 'x86_64', '--target', 'aarch64'],
    ['--compare-targets', 'x86_64,aarch64'],
  ]) {
    const r = sourceCli(['--no-cache', f, 'u', 'small', ...args]);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, refusal, args.join(' '));
    assert.doesNotMatch(r.out, /4611686018427388000/);
  }
  const d = sourceCli(['--no-cache', '--diff', f, f]);
  assert.equal(d.code, 2);
  assert.match(d.err, refusal);
  const baseline = join(dir, 'base.json');
  writeFileSync(baseline, sourceCli(['--no-cache', f, 'small', '--format', 'json']).out.replace('"small"', '"u"'));
  const check = sourceCli(['--no-cache', f, '--check', baseline]);
  assert.equal(check.code, 2, check.err);
  assert.match(check.err, refusal);
  const count = sourceCli(['--no-cache', f, 'u', '--count', '3']);
  assert.equal(count.code, 0, count.err);
  assert.ok(count.out.includes(((G + 16n) * 3n).toLocaleString('en-US')), count.out);
});
