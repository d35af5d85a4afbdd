// One test per hole cause, on every target where the rule applies, against the compiler: the hole
// is where gcc (clang for MSVC) puts it, the cause is the one named, and taking the cause away (the
// counterfactual source) moves the member, or changes the size, in the compiler's own layout too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { explainHoles, type HoleCauseKind } from '../../src/analyze/hole-cause.js';
import { describeCause } from '../../src/render/explain.js';
import { findTarget } from '../../src/target/target.js';
import { gccTruth, haveTool, HOST_TOOLCHAIN, type Toolchain } from '../support/gcc-truth.js';

const LINUX = ['x86_64-linux-gnu', 'i686-linux-gnu', 'aarch64-linux-gnu', 'arm-linux-gnueabihf', 's390x-linux-gnu'];
const MSVC: Toolchain = {
  cc: 'clang',
  nm: 'nm',
  objcopy: 'objcopy',
  flags: ['--target=x86_64-windows-msvc', '-fms-extensions', '-Wno-everything'],
  endian: 'little',
};

function toolchain(triple: string): Toolchain {
  if (triple === 'x86_64-windows-msvc') return MSVC;
  if (triple === 'x86_64-linux-gnu') return HOST_TOOLCHAIN;
  return {
    cc: `${triple}-gcc`,
    nm: `${triple}-nm`,
    objcopy: `${triple}-objcopy`,
    flags: [],
    endian: findTarget(triple)!.endian,
  };
}

interface Case {
  readonly kind: HoleCauseKind;
  readonly targets: readonly string[];
  /** Source with the cause, and without it. */
  readonly src: string;
  readonly without: string;
  /** The member after the hole; null for tail padding. */
  readonly member: string | null;
  readonly bitfield?: boolean;
  readonly text: RegExp;
}

const CASES: Case[] = [
  {
    kind: 'alignment',
    targets: LINUX,
    src: 'struct s { char a; int b; };',
    without: 'struct s { char a; int b __attribute__((packed)); };',
    member: 'b',
    text: /b \(int\) needs 4-byte alignment/,
  },
  {
    kind: 'explicit-alignment',
    targets: LINUX,
    src: 'struct s { char a; char b __attribute__((aligned(16))); };',
    without: 'struct s { char a; char b; };',
    member: 'b',
    text: /explicitly aligned to 16/,
  },
  {
    kind: 'bitfield-unit',
    targets: LINUX,
    src: 'struct s { char a; int b : 30; };',
    without: 'struct s { char a; int b : 24; };',
    member: 'b',
    bitfield: true,
    text: /b:30 would straddle its 4-byte unit/,
  },
  {
    kind: 'zero-width-bitfield',
    targets: LINUX,
    src: 'struct s { char a; int : 0; char b; };',
    without: 'struct s { char a; char b; };',
    member: 'b',
    text: /zero-width bitfield starts a new 4-byte unit/,
  },
  {
    kind: 'msvc-bitfield-type',
    targets: ['x86_64-windows-msvc'],
    src: 'struct s { char a : 3; short b : 3; };',
    without: 'struct s { char a : 3; char b : 3; };',
    member: 'b',
    bitfield: true,
    text: /MSVC starts a new unit for b/,
  },
  {
    kind: 'pack',
    targets: LINUX,
    src: '#pragma pack(2)\nstruct s { char a; int b; };',
    without: 'struct s { char a; int b; };',
    member: 'b',
    text: /under #pragma pack\(2\)/,
  },
  {
    kind: 'record-alignment',
    targets: LINUX,
    src: 'struct s { int a; char b; };',
    without: 'struct s { char a[4]; char b; };',
    member: null,
    text: /rounded to the record's 4-byte alignment, set by a/,
  },
];

for (const c of CASES) {
  for (const triple of c.targets) {
    const tc = toolchain(triple);
    test(`${c.kind} on ${triple}`, { skip: !haveTool(tc.cc) && `${tc.cc} not installed` }, () => {
      const target = findTarget(triple)!;
      const rec = analyzeSourceText(c.src, { target }).find('s')!;
      const v = analyzeRecord(rec);
      const causes = explainHoles(v, target.bitfields);
      const all = [...causes.rows.values(), ...(causes.tail ? [causes.tail] : [])];
      const hit = c.member === null ? causes.tail : all.find((h) => h.member?.name === c.member);
      assert.ok(hit, `no hole cause before ${c.member}: ${JSON.stringify(all.map((h) => h.cause))}`);
      assert.equal(hit.cause, c.kind);
      assert.match(describeCause(hit), c.text);
      // The compiler agrees with the layout, and without the cause it lays the record out otherwise.
      const probe = {
        ctype: 'struct s',
        fields: c.member && !c.bitfield ? [c.member] : [],
        bitfields: c.member && c.bitfield ? [{ name: c.member }] : [],
      };
      const [withIt] = gccTruth(c.src, [probe], tc);
      const [withoutIt] = gccTruth(c.without, [probe], tc);
      const where = (t: typeof withIt) =>
        c.member === null ? t!.size : c.bitfield ? t!.bits.get(c.member)!.bitOffset : t!.offsets.get(c.member)! * 8;
      const ours = c.member === null ? rec.size : rec.members.find((m) => m.name === c.member)!.bitOffset;
      assert.equal(where(withIt), ours);
      assert.notEqual(where(withoutIt), where(withIt));
    });
  }
}

test('JSON holes carry cause, member and align', () => {
  const rec = analyzeSourceText('struct s { char a; long b; char c; };', {}).find('s')!;
  const v = analyzeRecord(rec);
  const causes = explainHoles(v);
  assert.deepEqual(
    causes.holes.map((h) => [h.cause, h.member?.name, h.align]),
    [['alignment', 'b', 8]],
  );
  assert.deepEqual([causes.tail?.cause, causes.tail?.member?.name, causes.tail?.align], ['record-alignment', 'b', 8]);
});

test('--explain: causes in the hole notes, the holes listed largest first under the summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-explain-'));
  writeFileSync(join(dir, 's.h'), 'struct s { char a; long b; char c; int d __attribute__((aligned(16))); };\n');
  writeFileSync(join(dir, 't.h'), 'struct s { char a; long b; };\n');
  const r = spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', '--explain', join(dir, 's.h'), 's'], {
    encoding: 'utf8',
  });
  assert.match(r.stdout, /\/\* XXX 7 bytes hole: b \(long\) needs 8-byte alignment \*\//);
  assert.match(
    r.stdout,
    /holes, largest first:\n\t \*   15 bytes at 17: d \(int\) is explicitly aligned to 16 bytes\n\t \*   12 bytes of tail padding: the size is rounded to the record's 16-byte alignment, set by d \(int\), explicitly aligned\n\t \*   7 bytes at 1: b \(long\) needs 8-byte alignment\n/,
  );
  // Without --explain the text is pahole's.
  const md = spawnSync(
    process.execPath,
    ['dist/cli/run.js', '--no-cache', '--explain', '--format', 'markdown', join(dir, 's.h'), 's'],
    { encoding: 'utf8' },
  );
  assert.match(md.stdout, /\| 1 \| 7 \| \| \| _7-byte hole: b \(long\) needs 8-byte alignment_ \|/);
  const plain = spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', join(dir, 't.h'), 's'], {
    encoding: 'utf8',
  });
  rmSync(dir, { recursive: true, force: true });
  assert.match(plain.stdout, /XXX 7 bytes hole, try to pack/);
});
