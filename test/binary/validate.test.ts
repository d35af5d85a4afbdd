// Corrupt type graphs and impossible values in BTF and DWARF: each ends in a located error (the blob
// refused, or the record marked incomplete with its members up to the bad one), never a crash, a
// hang or a wrong record shown as right. The BTF blobs are built here, a type at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeBinary } from '../../src/binary/index.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { renderText } from '../../src/render/text.js';
import { haveTool } from '../support/gcc-truth.js';

/** A BTF blob from types given as [kind, name, info vlen, size or type, ...data words]. */
export function btfBlob(strings: string[], types: number[][]): Uint8Array {
  const str = '\0' + strings.map((s) => s + '\0').join('');
  const words: number[] = [];
  for (const [kind, name, vlen, sizeOrType, ...data] of types)
    words.push(name!, ((kind! << 24) | vlen!) >>> 0, sizeOrType!, ...data);
  const typeLen = words.length * 4;
  const out = new Uint8Array(24 + typeLen + str.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, 0xeb9f, true);
  out[2] = 1;
  dv.setUint32(4, 24, true);
  dv.setUint32(8, 0, true);
  dv.setUint32(12, typeLen, true);
  dv.setUint32(16, typeLen, true);
  dv.setUint32(20, str.length, true);
  words.forEach((w, i) => dv.setUint32(24 + 4 * i, w >>> 0, true));
  for (let i = 0; i < str.length; i++) out[24 + typeLen + i] = str.charCodeAt(i);
  return out;
}
/** Offsets of the names in btfBlob's string table. */
const off = (strings: string[], s: string): number =>
  1 + strings.slice(0, strings.indexOf(s)).reduce((a, x) => a + x.length + 1, 0);

const INT = 1,
  PTR = 2,
  STRUCT = 4,
  CONST = 10,
  FUNC_PROTO = 13;
const S = ['int', 's', 'a', 'p', 'f'];
const int = [INT, off(S, 'int'), 0, 4, 32]; // type 1: int (encoding word: 32 bits)
const run = (b: Uint8Array) => analyzeBinary(b, { path: 'x.btf' });
const messages = (b: Uint8Array) => run(b).diagnostics.list.map((d) => `${d.where}: ${d.message}`);

test('BTF: a well-formed blob reads clean (the builder is right)', () => {
  const r = run(btfBlob(S, [int, [STRUCT, off(S, 's'), 2, 16, off(S, 'a'), 1, 0, off(S, 'p'), 3, 64], [PTR, 0, 0, 2]]));
  assert.deepEqual(r.diagnostics.list, []);
  assert.equal(r.records[0]!.size, 16);
  assert.equal(renderText([analyzeRecord(r.records[0]!, 64, { expand: true })]).includes('struct s *'), true);
});

/** The records' names and members, and the errors, of a blob. */
const outcome = (b: Uint8Array) => {
  const r = run(b);
  return { members: r.records.map((x) => `${x.name}: ${x.members.map((m) => m.name).join(',')}`), errors: messages(b) };
};

test('BTF: references to nothing and type cycles end the record where they are, located', () => {
  // A pointer member to type 999 (built lazily before: a crash when printed).
  assert.deepEqual(
    outcome(btfBlob(S, [int, [STRUCT, off(S, 's'), 2, 16, off(S, 'a'), 1, 0, off(S, 'p'), 3, 64], [PTR, 0, 0, 999]])),
    {
      members: ['s: a'],
      errors: [
        'x.btf+0x4c: struct s is incomplete: BTF type 3 (PTR) refers to type 999, which does not exist (split BTF read without its base? pass the base, such as the vmlinux, with --btf-base)',
      ],
    },
  );
  // A pointer to itself (looped to 3.4 GB before).
  assert.deepEqual(outcome(btfBlob(S, [int, [STRUCT, off(S, 's'), 1, 8, off(S, 'p'), 3, 0], [PTR, 0, 0, 3]])).errors, [
    'x.btf+0x40: struct s is incomplete: BTF type 3 (PTR) refers to itself with no struct or union in between (types 3 → 3)',
  ]);
  // A prototype returning itself ("Invalid string length" at 662 MB before).
  assert.match(
    outcome(btfBlob(S, [int, [STRUCT, off(S, 's'), 1, 8, off(S, 'p'), 3, 0], [PTR, 0, 0, 4], [FUNC_PROTO, 0, 0, 4]]))
      .errors[0]!,
    /BTF type 4 \(FUNC_PROTO\) refers to itself with no struct or union in between \(types 4 → 4\)$/,
  );
  // A struct containing itself by value (an 8-byte record before; --expand overflowed the stack).
  const self = btfBlob(S, [int, [STRUCT, off(S, 's'), 2, 8, off(S, 'a'), 1, 0, off(S, 'f'), 2, 32]]);
  assert.deepEqual(outcome(self), {
    members: ['s: a'],
    errors: [
      "x.btf+0x28: struct s is incomplete: BTF type 2 (STRUCT 's'): member 'f': type 2 (STRUCT 's') contains itself",
    ],
  });
  const rec = run(self).records[0]!;
  // (Rendered as any incomplete record is: the members laid out, the size not claimed.)
  assert.match(renderText([analyzeRecord(rec, 64, { expand: true })]), /INCOMPLETE: .*contains itself[^]*size: \?/);
  // const const const... (a qualifier loop).
  assert.match(
    outcome(btfBlob(S, [int, [STRUCT, off(S, 's'), 1, 8, off(S, 'a'), 3, 0], [CONST, 0, 0, 4], [CONST, 0, 0, 3]]))
      .errors[0]!,
    /BTF type 3 \(CONST\) refers to itself with no struct or union in between \(types 3 → 4 → 3\)$/,
  );
  // A bad name offset on a type reached only through a pointer (a crash when printed before).
  assert.deepEqual(
    outcome(btfBlob(S, [int, [STRUCT, off(S, 's'), 1, 8, off(S, 'p'), 3, 0], [PTR, 0, 0, 4], [STRUCT, 9999, 0, 4]])),
    {
      members: [],
      errors: [
        'x.btf+0x4c: BTF string offset 9999 out of range (split BTF read without its base? pass the base, such as the vmlinux, with --btf-base)',
      ],
    },
  );
  // A member name past the strings.
  assert.match(
    outcome(btfBlob(S, [int, [STRUCT, off(S, 's'), 1, 4, 9999, 1, 0]])).errors[0]!,
    /struct s is incomplete: BTF string offset 9999 out of range/,
  );
});

test('BTF: impossible members make the record incomplete, its members kept up to the bad one', () => {
  const r = run(btfBlob(S, [int, [STRUCT, off(S, 's'), 2, 4, off(S, 'a'), 1, 0, off(S, 'p'), 1, 64]]));
  assert.equal(r.records.length, 1);
  assert.deepEqual(
    r.records[0]!.members.map((m) => m.name),
    ['a'],
  );
  assert.deepEqual(
    [...r.incomplete.values()],
    [["x.btf+0x28: BTF type 2 (STRUCT 's'): member 'p' at bit 64 (32 bits) ends past the record's 4 bytes"]],
  );
  assert.match(r.diagnostics.list[0]!.message, /^struct s is incomplete: /);
  const v = run(btfBlob(S, [int, [STRUCT, off(S, 's'), 1, 4, off(S, 'a'), 0, 0]]));
  assert.match(v.diagnostics.list[0]!.message, /member 'a' has type void/);
});

const IMAGE = '.cache/kernel-image-amd64';
test(
  "BTF: a module without its base, or over another kernel's, is refused with what to do",
  { skip: !haveTool('bpftool') && 'no bpftool' },
  (t) => {
    let mod: Uint8Array;
    try {
      mod = new Uint8Array(readFileSync(join(IMAGE, 'ip_vs.ko')));
    } catch {
      return t.skip(`no ${IMAGE}/ip_vs.ko`);
    }
    const alone = analyzeBinary(mod, { path: 'ip_vs.ko' });
    assert.match(
      alone.diagnostics.list[0]!.message,
      /^BTF string offset \d+ out of range \(split BTF read without its base\? pass the base, such as the vmlinux, with --btf-base\)$/,
    );
    // Its own kernel's base: clean. This machine's running kernel (another build): refused.
    const right = analyzeBinary(mod, {
      path: 'ip_vs.ko',
      btfBase: new Uint8Array(readFileSync(join(IMAGE, 'vmlinux.btf'))),
    });
    assert.deepEqual(right.diagnostics.list, []);
    let other: Uint8Array;
    try {
      other = new Uint8Array(readFileSync('/sys/kernel/btf/vmlinux'));
    } catch {
      return;
    }
    if (Buffer.from(other).equals(readFileSync(join(IMAGE, 'vmlinux.btf')))) return;
    const wrong = analyzeBinary(mod, { path: 'ip_vs.ko', btfBase: other });
    assert.deepEqual(wrong.records, []);
    assert.match(
      wrong.diagnostics.list[0]!.message,
      /^split BTF does not match its base: \d+ of its \d+ type names start inside another string of the base/,
    );
  },
);

test('--btf on an object with DWARF only says so', { skip: !haveTool('gcc') && 'no gcc' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-val-'));
  try {
    writeFileSync(join(dir, 'a.c'), 'struct s { int a; } v;\n');
    assert.equal(spawnSync('gcc', ['-g', '-c', '-o', join(dir, 'a.o'), join(dir, 'a.c')]).status, 0);
    const r = analyzeBinary(new Uint8Array(readFileSync(join(dir, 'a.o'))), { path: 'a.o', preferBtf: true });
    assert.deepEqual(
      r.diagnostics.list.map((d) => d.message),
      ['no .BTF section (the file has DWARF: read it without --btf)'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an error that is not the input's fault is thrown on as a bug, never reported as bad input", () => {
  const source = {
    size: 64,
    read(): Uint8Array {
      throw new TypeError('a reader bug');
    },
  };
  assert.throws(() => analyzeBinary(source, { path: 'x.o' }), /a reader bug/);
  const deep = {
    size: 64,
    read(): Uint8Array {
      const f = (n: number): number => f(n + 1) + 1;
      return new Uint8Array(f(0));
    },
  };
  assert.throws(() => analyzeBinary(deep, { path: 'x.o' }), RangeError);
});
