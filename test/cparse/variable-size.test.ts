// An array member whose size is no integer constant (an undeclared name, a VLA) is gcc's error, not a
// flexible array member: the record is incomplete, never laid out as if the member were `data[]`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { haveTool } from '../support/gcc-truth.js';

const CASES = [
  'typedef unsigned char u8;\nstruct t { int a; u8 data[UNDEFINED_SIZE]; };',
  'struct v { int n; int a[2][n]; };',
  'enum { K = 4 };\nstruct w { int a; char b[K * UNKNOWN]; };',
];

test('a member array of no constant size makes its record incomplete', () => {
  for (const src of CASES) {
    const res = analyzeSourceText(src);
    const r = res.records[res.records.length - 1]!;
    assert.ok(r.incomplete, src);
    assert.match(r.incomplete!.errors.join('\n'), /variably modified '(data|a|b)' at file scope/, src);
    assert.ok(res.diagnostics.errors > 0, src);
  }
  // A flexible array member written as one is still one.
  const ok = analyzeSourceText('struct f { int a; char data[]; };');
  assert.equal(ok.records[0]!.incomplete, undefined);
  assert.equal(ok.records[0]!.size, 4);
});

test('gcc rejects each of them too', { skip: !haveTool('gcc') && 'gcc not installed' }, () => {
  const file = join(mkdtempSync(join(tmpdir(), 'layoutof-vla-')), 't.c');
  for (const src of CASES) {
    writeFileSync(file, src + '\n');
    assert.notEqual(spawnSync('gcc', ['-fsyntax-only', file]).status, 0, src);
  }
});
