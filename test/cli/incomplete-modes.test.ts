// A record an error left incomplete is never turned into code, a decoding or advice: each mode that
// needs the whole layout refuses it, located, exits 1, and still answers for the complete records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceCli } from '../support/source-cli.js';
import { analyzeSourceText } from '../../src/api.js';
import { decodeRecord } from '../../src/analyze/decode.js';
import { IncompleteRecordError } from '../../src/analyze/exact.js';
import { reorganize } from '../../src/analyze/reorganize.js';
import { renderCAsserts } from '../../src/render/c-asserts.js';
import { renderCtypes } from '../../src/render/ctypes.js';
import { renderKoffi } from '../../src/render/koffi.js';
import { renderTs } from '../../src/render/ts-binding.js';
import { findTarget } from '../../src/target/target.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-incomplete-'));
const header = join(dir, 's.h');
writeFileSync(header, 'struct s { int a; my_t x; long b; };\nstruct ok { int a; long b; };\n');
writeFileSync(join(dir, 'z.bin'), new Uint8Array(32));
const refusal = /s\.h:1: .*cannot handle 'struct s': its layout is incomplete \(.*unknown type name 'my_t'\)/;

for (const args of [
  ['--format', 'ts'],
  ['--format', 'ctypes'],
  ['--format', 'koffi'],
  ['--format', 'c-asserts'],
  ['--format', 'c-asserts', '--target', 'x86_64', '--target', 'i686'],
]) {
  test(`${args.join(' ')}: the incomplete record is refused, the complete one generated`, () => {
    const r = sourceCli([header, 's', 'ok', ...args], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.err, refusal);
    assert.match(r.out, /\bok\b/);
    // Nothing of s is generated: no type, class or assertion names it.
    assert.doesNotMatch(r.out, /struct s\b|\bclass s\b|\bs = |'s'|"s"/);
  });
}

test('--decode of an incomplete record: refused, nothing decoded', () => {
  const r = sourceCli([header, 's', '--decode', join(dir, 'z.bin')], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.err, refusal);
  assert.equal(r.out, '');
});

test('--reorganize of an incomplete record: not reorganized, because it is incomplete; size unknown', () => {
  const r = sourceCli([header, 's', '--reorganize'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.out, /not reorganized: its layout is incomplete \(.*my_t.*\) \(size \?\)/);
});

test('the API refuses too: bindings and decoding throw IncompleteRecordError, reorganize says why', () => {
  const target = findTarget('x86_64')!;
  const res = analyzeSourceText('struct s { int a; my_t x; long b; };', { target });
  const s = res.records.find((r) => r.name === 's')!;
  assert.ok(s.incomplete);
  for (const make of [
    () => renderTs([s], target),
    () => renderCtypes([s], target),
    () => renderKoffi([s], target),
    () => renderCAsserts([{ target, records: [s] }]),
    () => decodeRecord(s, new Uint8Array(32), 0, target),
  ])
    assert.throws(make, (e: unknown) => e instanceof IncompleteRecordError && /incomplete/.test(e.message));
  const r = reorganize(s);
  assert.equal(r.kind, 'unchanged');
  assert.match(r.kind === 'unchanged' ? r.reason : '', /incomplete/);
});
