// A record larger than 2^50 bytes given to the package's analyses directly: each one that computes in
// numbers throws InexactRecordError, located, instead of answering with rounded numbers; the ones that
// are exact (analyzeRecord, estimateMemory, the text, markdown and JSON views) still answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeRecord,
  analyzeSourceText,
  compareAcrossTargets,
  diffLayouts,
  estimateMemory,
  findTarget,
  InexactRecordError,
  isExact,
  renderText,
} from '../../src/index.js';
import { checkLayouts } from '../../src/analyze/check.js';
import { decodeRecord } from '../../src/analyze/decode.js';
import { rankPackable } from '../../src/analyze/packable.js';
import { reorganize } from '../../src/analyze/reorganize.js';
import { renderCtypes } from '../../src/render/ctypes.js';
import { renderKoffi } from '../../src/render/koffi.js';
import { renderTs } from '../../src/render/ts-binding.js';
import { renderSvg, comparisonPicture } from '../../src/render/svg.js';
import { renderHtml } from '../../src/render/html.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { sourceCli } from '../support/source-cli.js';

const SRC = `struct p { char a; long b; char c; };
struct u { char a[(1ULL << 62) + 1]; char b; long c; };
`;
const G = 1n << 62n;

test('every analysis in numbers refuses a record past 2^50 bytes with InexactRecordError', () => {
  const res = analyzeSourceText(SRC);
  const p = res.find('p')!;
  const u = res.find('u')!;
  assert.equal(isExact(p), true);
  assert.equal(isExact(u), false);
  const refusals: [string, () => unknown][] = [
    ['the diff', () => diffLayouts([p, u], [p])],
    [
      '[aarch64-linux-gnu] the comparison',
      () => compareAcrossTargets(['x86_64-linux-gnu', 'aarch64-linux-gnu'], [p, u]),
    ],
    ['--check', () => checkLayouts('x86_64-linux-gnu', [u], [u])],
    ['the decoding', () => decodeRecord(u, new Uint8Array(64), 0, DEFAULT_TARGET)],
    ['the advice', () => reorganize(u)],
    ['a binding', () => renderTs([p, u], DEFAULT_TARGET)],
    ['a binding', () => renderCtypes([u], DEFAULT_TARGET)],
    ['a binding', () => renderKoffi([u], DEFAULT_TARGET)],
    ['the picture', () => renderSvg([analyzeRecord(u)])],
    ['the picture', () => renderHtml([analyzeRecord(u)])],
    ['the picture', () => comparisonPicture(['a', 'b'], [analyzeRecord(p), analyzeRecord(u)], new Set())],
  ];
  for (const [analysis, run] of refusals) {
    assert.throws(
      run,
      (e: unknown) =>
        e instanceof InexactRecordError &&
        e.record === u &&
        e.message ===
          `/input.c:2: ${analysis} cannot handle 'struct u': its ${G + 16n} bytes are past 2^50, ` +
            'where only the layout is exact',
      analysis,
    );
  }
  // The same analyses still take the other records; the exact ones take this one too.
  assert.equal(diffLayouts([p], [p]).unchanged, 1);
  assert.match(renderText([analyzeRecord(u)]), new RegExp(`size: ${G + 16n}`));
  assert.equal(estimateMemory(u, 3).total, (G + 16n) * 3n);
  assert.equal(findTarget('x86_64-linux-gnu')!.triple, 'x86_64-linux-gnu');
  // --packable's ranking skips it (not analysable) and ranks the others.
  assert.deepEqual(
    rankPackable([u, p]).map((x) => [x.name, x.savings]),
    [['p', 8]],
  );
});

test('--packable ranks the other records and notes one past 2^50 bytes as not analysable', () => {
  const f = join(mkdtempSync(join(tmpdir(), 'layoutof-bigapi-')), 'big.h');
  writeFileSync(f, SRC);
  const r = sourceCli(['--no-cache', f, '--packable']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^\s*8\s+24\s+16\s+struct p\s*$/m);
  assert.doesNotMatch(r.out, /struct u/);
  assert.match(r.err, /warning: .*big\.h:2: --packable cannot handle 'struct u': .*: not analysable/);
});
