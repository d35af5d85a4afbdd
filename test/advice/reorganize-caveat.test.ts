// --reorganize from a binary says what it assumes: an order that rests on an alignment the binary does
// not record carries a caveat in every format (gcc shows such a claim can be wrong), a record whose
// offsets show the lost rule is refused at the member that shows it, and the source's claims carry none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { reorganize } from '../../src/analyze/reorganize.js';
import { binaryCaveat } from '../../src/analyze/reorganize-binary.js';
import { findTarget } from '../../src/target/target.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';
import { readBack } from '../support/binary-facts.js';

const skip = (!haveTool('gcc') || !haveTool('pahole')) && 'needs gcc and pahole';
const target = findTarget('x86_64-linux-gnu')!;

// v's aligned(8) lands on an offset its int alignment explains: BTF cannot tell, DWARF records it.
const HIDDEN = 'struct hid { char c; long x; int w; char d; int v __attribute__((aligned(8))); };\n';
// The :0 puts b at 4, which nothing either binary records explains.
const ZERO = 'struct zw { char a; int :0; char b; long l; };\n';

test('BTF: an aligned() it does not keep; the claim gcc contradicts carries the caveat', { skip }, () => {
  const back = readBack(HIDDEN, ['struct hid']);
  const btf = reorganize(back.BTF!.get('hid')!);
  assert.equal(btf.kind, 'reorganized', btf.kind === 'unchanged' ? btf.reason : '');
  if (btf.kind !== 'reorganized') return;
  assert.deepEqual([btf.original.size, btf.record.size], [32, 24]);
  assert.equal(btf.caveat?.from, 'BTF');
  assert.ok(btf.caveat.unproven.includes('v'), btf.caveat.unproven.join(','));
  // gcc, given that order with the aligned() the source has, puts v elsewhere.
  const names = btf.record.members.map((m) => m.name!);
  const decl: Record<string, string> = {
    c: 'char c;',
    w: 'int w;',
    x: 'long x;',
    v: 'int v __attribute__((aligned(8)));',
    d: 'char d;',
  };
  const src = `struct hid_x { ${names.map((n) => decl[n]).join(' ')} };\n`;
  const [truth] = gccTruth(src, [{ ctype: 'struct hid_x', fields: names, bitfields: [] }]);
  const claimed = new Map(btf.record.members.map((m) => [m.name!, m.bitOffset / 8]));
  assert.notDeepEqual(new Map(names.map((n) => [n, truth!.offsets.get(n)])), claimed);
  // DWARF keeps the aligned(): its order is the source's, 32 bytes.
  const dwarf = reorganize(back.DWARF.get('hid')!);
  const source = reorganize(analyzeSourceText(HIDDEN, { target }).records[0]!);
  assert.equal(source.kind === 'reorganized' ? source.caveat : 'unchanged', undefined);
  assert.equal(
    dwarf.kind === 'reorganized' ? dwarf.record.size : dwarf.original.size,
    source.kind === 'reorganized' ? source.record.size : 32,
  );
});

test('a lost rule the offsets show is refused at the member that shows it', { skip }, () => {
  const back = readBack(ZERO, ['struct zw']);
  for (const r of [back.DWARF.get('zw')!, back.BTF!.get('zw')!]) {
    const res = reorganize(r);
    assert.equal(res.kind, 'unchanged');
    if (res.kind !== 'unchanged') return;
    assert.match(
      res.reason,
      /^member b is at offset 4, where its type's alignment puts it at offset 1: a rule (DWARF|BTF)/,
    );
  }
});

test('BTF: tail padding that needs an aligned() it does not keep refuses the record', { skip }, () => {
  // (The reader takes 16; the source's 32 leaves no order smaller: BTF's claim was 32 -> 16.)
  const src = 'struct u { char c; long x; char d; } __attribute__((aligned(32)));\n';
  const back = readBack(src, ['struct u']);
  const btf = reorganize(back.BTF!.get('u')!);
  assert.equal(
    btf.kind === 'unchanged' && btf.reason,
    'its size 32 needs an alignment no member has (taken as 16): an aligned() BTF does not record',
  );
  const dwarf = reorganize(back.DWARF.get('u')!);
  assert.equal(
    dwarf.kind === 'unchanged' && dwarf.reason,
    'no order is smaller, nor has fewer members across cachelines',
  );
});

test('binaryCaveat: a member that keeps its place and the size of an unchanged record are proven', () => {
  const rec = analyzeSourceText('struct p { long a; int b; char c; };', { target }).records[0]!;
  const fromDwarf = { ...rec, origin: { kind: 'dwarf' as const, offset: 0 } };
  assert.equal(
    binaryCaveat(
      fromDwarf,
      fromDwarf,
      rec.members.map((_, i) => i),
    ),
    undefined,
  );
  // c and b swap: c's old place (12) allows at most a hidden 4-alignment, which 8 meets; b's (8) a
  // hidden 8-alignment (a :0 of a long before it), which 12 does not.
  const moved = {
    ...fromDwarf,
    members: [rec.members[0]!, { ...rec.members[2]!, bitOffset: 64 }, { ...rec.members[1]!, bitOffset: 96 }],
  };
  assert.deepEqual(binaryCaveat(fromDwarf, moved, [0, 2, 1])?.unproven, ['b']);
  assert.equal(binaryCaveat(rec, moved, [0, 2, 1]), undefined);
});

const KO = '.cache/kernel-image-amd64/ip_vs.ko';
const VMLINUX = '.cache/kernel-image-amd64/vmlinux.btf';
const cli = (args: string[]): string =>
  spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/run.js'), '--no-cache', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  }).stdout;

test(
  'BTF ip_vs_conn: still 288 -> 272, with the caveat in text and JSON',
  { skip: !existsSync(KO) && `no ${KO}` },
  () => {
    const rec = JSON.parse(cli(['--btf-base', VMLINUX, KO, 'ip_vs_conn', '--reorganize', '--format', 'json']))
      .records[0];
    assert.deepEqual([rec.originalSize, rec.size, rec.assumes], [288, 272, 'natural-alignment']);
    assert.match(
      rec.caveat,
      /^from BTF: aligned\(\).*confirm with the source: layoutof --reorganize HEADER ip_vs_conn$/,
    );
    const text = cli(['--btf-base', VMLINUX, KO, 'ip_vs_conn', '--reorganize']);
    assert.match(text, /288 -> 272 bytes.*\*\/\n\/\* from BTF: .* ip_vs_conn \*\/\n$/);
    const rows = cli(['--btf-base', VMLINUX, KO, 'ip_vs_conn', '--packable']);
    assert.match(rows, /struct ip_vs_conn \[\*\]\n\n\[\*\] from BTF: /);
    const json = JSON.parse(cli(['--btf-base', VMLINUX, KO, 'ip_vs_conn', '--packable', '--format', 'json']));
    assert.equal(json.records[0].assumes, 'natural-alignment');
  },
);

test('the source: no caveat in any format', { skip: !haveTool('gcc') && 'needs gcc' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-caveat-'));
  try {
    const h = join(dir, 'h.h');
    writeFileSync(h, 'struct s { char a; long b; char c; };\n');
    const text = cli([h, 's', '--reorganize']);
    assert.match(text, /24 -> 16 bytes/);
    assert.doesNotMatch(text, /from (BTF|DWARF)/);
    assert.equal(JSON.parse(cli([h, 's', '--reorganize', '--format', 'json'])).records[0].assumes, undefined);
    assert.doesNotMatch(cli([h, '--packable']), /\[\*\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
