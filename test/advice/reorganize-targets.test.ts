// --reorganize with several targets: one order for all of them (members parallel across the
// targets' models), each target's size before and after, each claim what that target's layout of the
// rewritten source gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { reorganizeAcross, type Reorganized } from '../../src/analyze/reorganize.js';
import { findTarget } from '../../src/target/target.js';
import { rewrite, writtenRecord } from '../support/reorg.js';

const SRC = `struct s {\n  char a;\n  long long b;\n  short c;\n  void *p;\n  char d;\n  int e : 5;\n  double f;\n  char g;\n};\n`;
const TRIPLES = ['x86_64-linux-gnu', 'i686-linux-gnu', 'arm-linux-gnueabihf', 'x86_64-windows-msvc'];

test('one order for every target, each claim what the target lays out', () => {
  const targets = TRIPLES.map((t) => findTarget(t)!);
  const recs = targets.map((target) => analyzeSourceText(SRC, { target }).find('s')!);
  const res = reorganizeAcross(recs, {
    rules: targets.map((t) => ({ bitfields: t.bitfields, biggestAlign: t.biggestAlign })),
  }) as Reorganized[];
  assert.ok(res.every((r) => r.kind === 'reorganized'));
  assert.ok(
    res.every((r) => r.order.join() === res[0]!.order.join()),
    'one order',
  );
  const w = writtenRecord(SRC, 's')!;
  res.forEach((r, i) => {
    assert.ok(r.record.size <= r.original.size);
    const again = analyzeSourceText(SRC + rewrite(w, 's_x', r.order), { target: targets[i] }).find('s_x')!;
    assert.equal(again.size, r.record.size, TRIPLES[i]);
  });
  assert.ok(res.reduce((a, r) => a + r.record.size, 0) < res.reduce((a, r) => a + r.original.size, 0));
});

test('--compare-targets --reorganize prints each target before and after', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-targets-'));
  try {
    writeFileSync(join(dir, 's.h'), SRC);
    const r = spawnSync(
      process.execPath,
      [
        'dist/cli/run.js',
        '--no-cache',
        '--compare-targets',
        'x86_64-linux-gnu,i686-linux-gnu',
        '--reorganize',
        join(dir, 's.h'),
        's',
      ],
      { encoding: 'utf8' },
    );
    assert.match(r.stdout, /x86_64-linux-gnu: 56 -> 32 bytes/);
    assert.match(r.stdout, /i686-linux-gnu: 36 -> 28 bytes/);
    // The one order as a patch of the one source.
    const p = spawnSync(
      process.execPath,
      [
        'dist/cli/run.js',
        '--no-cache',
        '--compare-targets',
        'x86_64-linux-gnu,i686-linux-gnu',
        '--patch',
        join(dir, 's.h'),
        's',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout, /^--- .*s\.h\n\+\+\+ .*s\.h\n@@ -1,10 \+1,10 @@\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
