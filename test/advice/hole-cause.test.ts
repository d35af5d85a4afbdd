// One test per hole cause, on every target where the rule applies, against the compiler: the hole
// is where gcc (clang for MSVC) puts it, the cause is the one named, and taking the cause away (the
// counterfactual source) moves the member, or changes the size, in the compiler's own layout too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { analyzeBinary } from '../../src/binary/index.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { explainHoles, type HoleCauseKind } from '../../src/analyze/hole-cause.js';
import { describeCause } from '../../src/render/explain.js';
import { findTarget } from '../../src/target/target.js';
import { gccTruth, haveTool, HOST_TOOLCHAIN, type Toolchain } from '../support/gcc-truth.js';
import { validate } from '../cli/json-schema.js';
import { generateProgram } from '../support/gen.js';
import { comparable, readBack, withoutAtomic, type BinaryFormat } from '../support/binary-facts.js';
import type { RecordType } from '../../src/model/model.js';

const SCHEMA = JSON.parse(readFileSync('schema/layoutof.schema.json', 'utf8')) as Parameters<typeof validate>[0];

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

// A binary keeps the offsets but not every rule: DWARF records aligned() (DW_AT_alignment) and BTF
// does not, neither keeps a zero-width bitfield nor #pragma pack. Where the rule is gone, the cause is
// the alignment the offsets imply, said to be inferred; where it is kept, it is the source's cause.
const BINARY_CASES: readonly {
  readonly src: string;
  readonly source: string;
  readonly dwarf: string;
  readonly btf: string;
  readonly text?: RegExp;
}[] = [
  { src: 'struct s { char a; int b; };', source: 'alignment 4', dwarf: 'alignment 4', btf: 'alignment 4' },
  {
    src: 'struct s { char a; char b __attribute__((aligned(16))); };',
    source: 'explicit-alignment 16',
    dwarf: 'explicit-alignment 16',
    btf: 'explicit-alignment 16 inferred',
    text: /b \(char\) starts on a 16-byte boundary, more than its 1-byte alignment needs: an aligned\(16\), or a zero-width or unnamed bitfield before it, which the input does not record/,
  },
  {
    src: 'struct s { char a; int b : 30; };',
    source: 'bitfield-unit 4',
    dwarf: 'bitfield-unit 4',
    btf: 'bitfield-unit 4',
  },
  {
    src: 'struct s { char a; int : 0; char b; };',
    source: 'zero-width-bitfield 4',
    dwarf: 'explicit-alignment 4 inferred',
    btf: 'explicit-alignment 4 inferred',
  },
  {
    src: 'struct s { char a : 3; int : 0; char b : 2; };',
    source: 'zero-width-bitfield 4',
    dwarf: 'explicit-alignment 4 inferred',
    btf: 'explicit-alignment 4 inferred',
  },
  {
    src: '#pragma pack(2)\nstruct s { char a; int b; };',
    source: 'pack 2',
    dwarf: 'pack 2 inferred',
    btf: 'pack 2 inferred',
    text: /b \(int\) is aligned to 2 bytes, less than its natural 4: the record is packed \(#pragma pack\(2\), or packed with aligned\(2\); the input does not record which\)/,
  },
  {
    src: 'struct s { unsigned a : 3; unsigned : 2; unsigned b : 2; };',
    source: 'none',
    dwarf: 'unnamed-bitfield undefined inferred',
    btf: 'unnamed-bitfield undefined inferred',
    text: /b \(unsigned int\) starts past where any alignment puts it: padding the input does not record \(an unnamed bitfield\)/,
  },
  {
    // (An alignment of 2 would put d where the unnamed bitfield does: the alignment is said.)
    src: 'struct s { char c; unsigned : 8; char d; };',
    source: 'none',
    dwarf: 'explicit-alignment 2 inferred',
    btf: 'explicit-alignment 2 inferred',
  },
  {
    src: 'struct s { int a; char b; };',
    source: 'tail record-alignment 4',
    dwarf: 'tail record-alignment 4',
    btf: 'tail record-alignment 4',
  },
  {
    src: 'struct __attribute__((aligned(32))) s { int a; };',
    source: 'tail explicit-alignment 32',
    dwarf: 'tail explicit-alignment 32',
    btf: 'tail explicit-alignment 32 inferred',
    text: /the size is rounded to the record's 32-byte alignment, more than any member needs: an aligned\(\) the input does not record/,
  },
];

test(
  'DWARF and BTF: the kept rules as in the source, the lost ones inferred from the offsets',
  { skip: (!haveTool('gcc') || !haveTool('pahole')) && 'needs gcc and pahole' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-cause-bin-'));
    const said = (rec: ReturnType<typeof findIn>) => {
      const c = explainHoles(analyzeRecord(rec));
      const h = c.holes[0] ?? c.bitHoles[0];
      const hit = h ?? c.tail;
      if (!hit) return { key: 'none', text: '' };
      return {
        key: `${h ? '' : 'tail '}${hit.cause} ${hit.align}${hit.inferred ? ' inferred' : ''}`,
        text: describeCause(hit, !h),
      };
    };
    try {
      BINARY_CASES.forEach((c, i) => {
        const src = join(dir, `c${i}.c`);
        const obj = join(dir, `c${i}.o`);
        writeFileSync(src, `${c.src}\nstruct s v;\n`);
        const cc = spawnSync('gcc', ['-g', '-c', src, '-o', obj], { encoding: 'utf8' });
        assert.equal(cc.status, 0, cc.stderr);
        copyFileSync(obj, `${obj}.btf`);
        const pj = spawnSync('pahole', ['-J', `${obj}.btf`], { encoding: 'utf8' });
        assert.equal(pj.status, 0, pj.stderr);
        const fromSource = analyzeSourceText(c.src, {}).find('s')!;
        const dwarf = findIn(obj, false);
        const btf = findIn(`${obj}.btf`, true);
        // The same layout from all three, so the causes differ only by what each input keeps.
        assert.deepEqual(offsets(dwarf), offsets(fromSource), c.src);
        assert.deepEqual(offsets(btf), offsets(fromSource), c.src);
        assert.equal(said(fromSource).key, c.source, `source: ${c.src}`);
        assert.equal(said(dwarf).key, c.dwarf, `DWARF: ${c.src}`);
        const b = said(btf);
        assert.equal(b.key, c.btf, `BTF: ${c.src}`);
        if (c.text) assert.match(c.btf.endsWith('inferred') ? b.text : said(dwarf).text, c.text);
        // The command line's JSON says which causes are inferred, within the schema.
        const json = spawnSync(
          process.execPath,
          ['dist/cli/run.js', '--no-cache', '--btf', '--format', 'json', `${obj}.btf`, 's'],
          { encoding: 'utf8' },
        );
        const doc = JSON.parse(json.stdout) as {
          records: { holes: object[]; bitHoles?: object[]; tailPaddingCause?: object }[];
        };
        assert.deepEqual(validate(SCHEMA, doc), []);
        const r = doc.records[0]!;
        const first = (r.holes[0] ?? r.bitHoles?.[0] ?? r.tailPaddingCause) as { inferred?: boolean };
        assert.equal(first.inferred, c.btf.endsWith('inferred') || undefined, `BTF JSON: ${c.src}`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "generated records: from DWARF and BTF, the source's causes wherever the binary holds the source's facts",
  { skip: (!haveTool('gcc') || !haveTool('pahole')) && 'needs gcc and pahole' },
  () => {
    const said = (r: RecordType) => {
      const c = explainHoles(analyzeRecord(r));
      return [...c.rows.values(), ...(c.tail ? [c.tail] : [])].map(
        (h) => `${h.cause} ${h.member?.name ?? '-'} ${h.align}${h.inferred ? ' inferred' : ''}`,
      );
    };
    const counted = { DWARF: 0, BTF: 0 };
    const differ: string[] = [];
    for (const seed of [41, 42, 45]) {
      const gen = generateProgram(seed, 300);
      const text = withoutAtomic(gen.source);
      const source = new Map(analyzeSourceText(text, {}).records.map((r) => [r.name, r]));
      const back = readBack(
        text,
        gen.probes.map((p) => p.ctype),
      );
      for (const [format, binary] of Object.entries(back) as [BinaryFormat, Map<string | null, RecordType>][])
        for (const tag of gen.tags) {
          const s = source.get(tag)!;
          const b = binary.get(tag);
          if (!b || !comparable(s, b, format)) continue;
          counted[format]++;
          const want = said(s).join('; ');
          const got = said(b).join('; ');
          if (got !== want) differ.push(`${format} ${tag}: source ${want}; binary ${got}`);
        }
    }
    assert.deepEqual(differ.slice(0, 10), [], `${differ.length} records explained otherwise`);
    assert.ok(counted.DWARF >= 300 && counted.BTF >= 100, JSON.stringify(counted));
    console.log(`# the source's causes from ${counted.DWARF} DWARF records and ${counted.BTF} BTF records`);
  },
);

function findIn(path: string, preferBtf: boolean) {
  const res = analyzeBinary(new Uint8Array(readFileSync(path)), { path, preferBtf });
  const rec = res.records.find((r) => r.name === 's');
  assert.ok(rec, `no struct s in ${path}`);
  return rec;
}

const offsets = (r: { size: number; members: readonly { name: string | null; bitOffset: number }[] }) => [
  r.size,
  r.members.filter((m) => m.name !== null).map((m) => [m.name, m.bitOffset]),
];

test('--reorganize: the new layout says why its holes are left, in text and JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-reorg-cause-'));
  const h = join(dir, 'r.h');
  writeFileSync(h, 'struct s { char a; long b; char c; int d __attribute__((aligned(16))); };\n');
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', '--reorganize', h, 's', ...args], {
      encoding: 'utf8',
    }).stdout;
  const text = cli();
  const json = JSON.parse(cli('--format', 'json')) as { records: { holes: unknown[] }[] };
  rmSync(dir, { recursive: true, force: true });
  assert.match(
    text,
    /\/\* XXX 2 bytes hole: b \(long\) needs 8-byte alignment \*\/\n\n\tlong\s+b;\s+\/\*\s+8\s+8 \*\/\n/,
  );
  assert.deepEqual(json.records[0]!.holes, [{ offset: 6, size: 2, cause: 'alignment', member: 'b', align: 8 }]);
});

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
  const md = spawnSync(
    process.execPath,
    ['dist/cli/run.js', '--no-cache', '--explain', '--format', 'markdown', join(dir, 's.h'), 's'],
    { encoding: 'utf8' },
  );
  assert.match(md.stdout, /\| 1 \| 7 \| \| \| _7-byte hole: b \(long\) needs 8-byte alignment_ \|/);
  assert.match(
    md.stdout,
    /\| 36 \| 12 \| \| \| _12 bytes of tail padding: the size is rounded to the record's 16-byte alignment, set by d \(int\), explicitly aligned_ \|/,
  );
  // Without --explain the causes are in the notes all the same, but the list is not;
  // --format pahole is pahole's own text.
  const plain = spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', join(dir, 't.h'), 's'], {
    encoding: 'utf8',
  });
  const pahole = spawnSync(
    process.execPath,
    ['dist/cli/run.js', '--no-cache', '--format', 'pahole', join(dir, 't.h'), 's'],
    {
      encoding: 'utf8',
    },
  );
  rmSync(dir, { recursive: true, force: true });
  assert.match(plain.stdout, /XXX 7 bytes hole: b \(long\) needs 8-byte alignment/);
  assert.doesNotMatch(plain.stdout, /largest first/);
  assert.match(pahole.stdout, /XXX 7 bytes hole, try to pack/);
  assert.doesNotMatch(pahole.stdout, /needs|tail padding/);
});
