// x86_64-windows-msvc against clang's MSVC-compatible layout (--target=x86_64-windows-msvc, compile-only,
// COFF objects read with GNU binutils): LLP64 sizes, Microsoft bitfield units, #pragma pack, __declspec(align).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { findTarget } from '../../src/target/target.js';
import { generateProgram } from '../support/gen.js';
import { gccTruth, haveTool, type Toolchain } from '../support/gcc-truth.js';
import { compareRecord } from '../support/compare.js';

const target = findTarget('x86_64-windows-msvc')!;
const tc: Toolchain = { cc: 'clang', nm: 'nm', objcopy: 'objcopy', flags: ['--target=x86_64-windows-msvc', '-fms-extensions', '-Wno-everything'], endian: 'little' };
const batches = Number(process.env.LAYOUTOF_MSVC_BATCHES ?? 4);

test('x86_64-windows-msvc: generated records match clang --target=x86_64-windows-msvc', { skip: !haveTool('clang') && 'clang not installed' }, () => {
  const failures: string[] = [];
  let compared = 0;
  for (let b = 0; b < batches; b++) {
    const seed = 900 + b;
    const prog = generateProgram(seed, 250, { msvc: true, longBits: 32 });
    const truth = gccTruth(prog.source, prog.probes, tc);
    const ours = analyzeSourceText(prog.source, { target });
    const errs = ours.diagnostics.list.filter((d) => d.severity === 'error');
    assert.equal(errs.length, 0, errs.slice(0, 3).map((d) => formatDiagnostic(d, ours.sources)).join('\n'));
    const byName = new Map(ours.records.map((r) => [r.name, r]));
    prog.probes.forEach((p, i) => {
      compared++;
      const diffs = compareRecord(byName.get(prog.tags[i]!), p, truth[i]!);
      if (diffs.length && failures.length < 15) {
        const def = new RegExp(`(#pragma pack\\(push, \\d+\\)\\n)?^(struct|union)[^{]* ${prog.tags[i]} \\{[\\s\\S]*?\\n\\}[^;\\n]*;$`, 'm').exec(prog.source)?.[0];
        failures.push(`seed ${seed}: ${diffs.join('; ')}\n${def}`);
      }
    });
  }
  assert.deepEqual(failures, [], `${failures.length}+ of ${compared} records differ`);
});
