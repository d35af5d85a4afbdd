// Enumerators read from DWARF and BTF: one header compiled by gcc -g (DWARF 5, and strict DWARF 2,
// whose enumerations have no DW_AT_type), by clang, and converted by pahole -J (ENUM and ENUM64, kflag
// for the sign) must give the enumerators the C source gives, and so the same --decode (text and
// JSON) and bindings output as the source. Covers a negative enumerator, 64-bit ones (unsigned past
// 2^63, signed down to -2^63), duplicate values, a packed 1-byte enum and enum bitfields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeBinary } from '../../src/binary/index.js';
import type { TypeRef } from '../../src/model/model.js';
import { haveTool } from '../support/gcc-truth.js';

const skip = (!haveTool('gcc') || !haveTool('pahole') || !haveTool('objcopy')) && 'gcc/pahole/objcopy not installed';

const HEADER = `enum neg { N_MIN = -2147483647 - 1, N_NEG = -5, N_ZERO = 0, N_POS = 7 };
enum big { B_SMALL = 1, B_HUGE = 0x8000000000000000ULL, B_MAX = 0xffffffffffffffffULL };
enum sbig { S_NEG = -1, S_LARGE = 0x100000000LL, S_MIN = -0x7fffffffffffffffLL - 1 };
enum dup { D_A = 1, D_B = 1, D_C = 2, D_ALIAS = D_C, D_HI = 200 };
enum small { SM_A, SM_B, SM_FF = 255 } __attribute__((packed));
struct s {
  enum neg n; enum big b; enum sbig sb; enum dup d; enum small sm; unsigned char pad;
  enum neg bf : 4; enum dup ubf : 3;
};
`;
// Two objects written by a gcc-built program: enumerators, a duplicate value (D_B reads as D_A, the
// first of that value, in every reading), a value that is no enumerator (d = 3).
const WRITER = `#include <stdio.h>
#include "e.h"
int main(void) {
  struct s v[2] = {{N_NEG, B_HUGE, S_NEG, D_B, SM_FF, 9, N_NEG, D_C}, {N_MIN, B_MAX, S_MIN, 3, SM_A, 0, N_POS, D_A}};
  fwrite(v, sizeof v, 1, stdout);
  return 0;
}
`;

const EXPECTED: Record<string, [string, bigint][]> = {
  neg: [
    ['N_MIN', -2147483648n],
    ['N_NEG', -5n],
    ['N_ZERO', 0n],
    ['N_POS', 7n],
  ],
  big: [
    ['B_SMALL', 1n],
    ['B_HUGE', 1n << 63n],
    ['B_MAX', (1n << 64n) - 1n],
  ],
  sbig: [
    ['S_NEG', -1n],
    ['S_LARGE', 1n << 32n],
    ['S_MIN', -(1n << 63n)],
  ],
  dup: [
    ['D_A', 1n],
    ['D_B', 1n],
    ['D_C', 2n],
    ['D_ALIAS', 2n],
    ['D_HI', 200n],
  ],
  small: [
    ['SM_A', 0n],
    ['SM_B', 1n],
    ['SM_FF', 255n],
  ],
};

function run(args: string[]): string {
  const r = spawnSync('bin/layoutof', ['--no-cache', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('enumerators from DWARF and BTF equal the source, and so does every output that shows them', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-enums-'));
  try {
    const h = join(dir, 'e.h');
    writeFileSync(h, HEADER);
    writeFileSync(join(dir, 'u.c'), '#include "e.h"\nstruct s x;\n');
    writeFileSync(join(dir, 'w.c'), WRITER);
    execFileSync('gcc', ['-w', '-o', join(dir, 'w'), join(dir, 'w.c')], { cwd: dir });
    const bytes = join(dir, 'v.bin');
    writeFileSync(bytes, execFileSync(join(dir, 'w')));
    // Each reading: [label, file, extra CLI options, analyzeBinary's preferBtf].
    const readings: [string, string, string[], boolean][] = [];
    const compile = (label: string, cc: string, flags: string[]): string => {
      const o = join(dir, `${label}.o`);
      execFileSync(cc, ['-w', '-g', ...flags, '-c', '-o', o, join(dir, 'u.c')], { cwd: dir });
      readings.push([label, o, [], false]);
      return o;
    };
    const o = compile('gcc', 'gcc', []);
    compile('gcc-strict-dwarf2', 'gcc', ['-gdwarf-2', '-gstrict-dwarf']);
    if (haveTool('clang')) compile('clang', 'clang', []);
    const btf = join(dir, 'btf.o');
    copyFileSync(o, btf);
    const pj = spawnSync('pahole', ['-J', btf], { encoding: 'utf8' });
    assert.equal(pj.status, 0, pj.stderr);
    readings.push(['btf', btf, ['--btf'], true]);

    for (const [label, file, , preferBtf] of readings) {
      const res = analyzeBinary(new Uint8Array(readFileSync(file)), { path: file, preferBtf });
      assert.equal(res.format, preferBtf ? 'btf' : 'dwarf', label);
      const s = res.records.find((r) => r.name === 's');
      assert.ok(s, `${label}: struct s`);
      for (const m of s.members) {
        if (m.type.kind !== 'enum') continue;
        const got = m.type.values?.map((v): [string, bigint] => [v.name, v.value]);
        assert.deepEqual(got, EXPECTED[m.type.name!], `${label}: enum ${m.type.name}`);
      }
    }

    const outputs: [string, string[]][] = [
      ['decode', ['--decode', bytes, '--count', '2']],
      ['decode json', ['--decode', bytes, '--count', '2', '--format', 'json']],
      ['ts', ['--format', 'ts']],
      ['ctypes', ['--format', 'ctypes']],
      ['koffi', ['--format', 'koffi']],
    ];
    for (const [what, args] of outputs) {
      const src = run([...args, h, 's']);
      for (const [label, file, opts] of readings)
        assert.equal(run([...args, ...opts, file, 's']), src, `${what}: ${label} against the source`);
    }
    // The decoded names themselves (so that equal outputs without names would fail).
    const text = run(['--decode', bytes, '--count', '2', '--btf', btf, 's']);
    for (const want of ['.n = N_NEG,', '.b = B_HUGE,', '.sb = S_NEG,', '.d = D_A,', '.sm = SM_FF,', '.bf = N_NEG,'])
      assert.ok(text.includes(want), `${want} in\n${text}`);
    for (const want of ['.n = N_MIN,', '.b = B_MAX,', '.sb = S_MIN,', '.d = 3,', '.bf = N_POS,'])
      assert.ok(text.includes(want), `${want} in\n${text}`);
    // A corrupt enumerator name ends in a located error on the record that reaches it, not a crash.
    const raw = join(dir, 'raw.btf');
    execFileSync('objcopy', ['--dump-section', `.BTF=${raw}`, btf, join(dir, 'scratch.o')]);
    const blob = new Uint8Array(readFileSync(raw));
    const view = new DataView(blob.buffer, blob.byteOffset);
    const type1 = view.getUint32(4, true) + view.getUint32(8, true); // header length + type offset
    assert.equal((view.getUint32(type1 + 4, true) >>> 24) & 0x1f, 6, 'type 1 is ENUM neg');
    view.setUint32(type1 + 12, 0xfffff, true); // its first enumerator's name
    const bad = analyzeBinary(blob, { path: raw });
    assert.match(bad.records.find((r) => r.name === 's')?.incomplete?.errors.join() ?? '', /enumerator #0 has no name/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Debian's vmlinux BTF (scripts/install-test-deps.sh unpacks it): every named enum its records reach
// has the enumerators `bpftool btf dump` lists (ENUM and ENUM64, signed and unsigned).
const VMLINUX_BTF = '.cache/kernel-image-amd64/vmlinux.btf';
test(
  "the enums Debian's vmlinux BTF records reach have bpftool's enumerators",
  { skip: !existsSync(VMLINUX_BTF) ? `no ${VMLINUX_BTF}` : !haveTool('bpftool') && 'bpftool not installed' },
  () => {
    // (The plain dump: bpftool's -j prints an unsigned 32-bit value past 2^31 sign-extended to 64 bits.)
    const text = execFileSync('bpftool', ['btf', 'dump', 'file', VMLINUX_BTF], {
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    });
    const theirs = new Map<string, string[]>();
    let cur: string[] | null = null;
    for (const line of text.split('\n')) {
      const v = /^\t'(\w+)' val=(-?\d+)/.exec(line);
      if (v) cur?.push(`${v[1]}=${v[2]}`);
      else {
        const t = /^\[\d+\] ENUM(?:64)? '(\w+)'/.exec(line);
        cur = t ? [] : null;
        if (t) theirs.set(t[1]!, cur!);
      }
    }
    const res = analyzeBinary(new Uint8Array(readFileSync(VMLINUX_BTF)), { path: VMLINUX_BTF });
    const ours = new Map<string, string[]>();
    const visit = (t: TypeRef): void => {
      if (t.kind === 'typedef' || t.kind === 'array' || t.kind === 'qualified')
        visit(t.kind === 'typedef' ? t.to : t.of);
      else if (t.kind === 'enum' && t.name && t.values)
        ours.set(
          t.name,
          t.values.map((v) => `${v.name}=${v.value}`),
        );
    };
    for (const r of res.records) for (const m of r.members) visit(m.type);
    const diffs = [...ours].filter(([n, v]) => theirs.get(n)?.join() !== v.join()).map(([n]) => n);
    assert.deepEqual(diffs.slice(0, 5), [], `${diffs.length} of ${ours.size} enums differ from bpftool`);
    const all = [...ours.values()].flat();
    assert.ok(ours.size > 300, `${ours.size} enums`);
    // Both signs of kflag: a negative value, and an unsigned one with bit 31 set (E820_TYPE_SOFT_RESERVED).
    const values = all.map((v) => BigInt(v.slice(v.indexOf('=') + 1)));
    assert.ok(values.some((v) => v < 0n) && values.some((v) => v >= 1n << 31n), 'negative and unsigned 2^31+ values');
    console.log(`# vmlinux BTF: ${ours.size} enums (${all.length} enumerators) match bpftool`);
  },
);
