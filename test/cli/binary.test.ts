// Binary inputs from the command line: DWARF objects, BTF blobs, --diff between inputs, bad files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveTool } from '../support/gcc-truth.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-bin-'));
function run(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const src = join(dir, 'rec.c');
writeFileSync(
  src,
  '/* a record */\nstruct rec {\n  char c; /* tag */\n  long l;\n  unsigned f : 3;\n  union { int i; float x; };\n};\nstruct rec *use;\n',
);

test(
  'a DWARF object gives the same layout as its source; --diff finds nothing',
  { skip: !haveTool('gcc') && 'gcc not installed' },
  () => {
    const obj = join(dir, 'rec.o');
    assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, src]).status, 0);
    const fromObj = JSON.parse(run([obj, '--format', 'json', 'rec']).out).records[0];
    const fromSrc = JSON.parse(run([src, '--format', 'json', 'rec']).out).records[0];
    const strip = (r: {
      members: { offset: number; size: number; name: string | null; bitOffset?: number }[];
      size: number;
    }) => ({
      size: r.size,
      members: r.members.map((m) => [m.name, m.offset, m.size, m.bitOffset]),
    });
    assert.deepEqual(strip(fromObj), strip(fromSrc));
    const d = run(['--diff', src, obj]);
    assert.equal(d.code, 0, d.err);
    assert.match(d.out, /0 changed, 1 identical/);
  },
);

test('--diff lists moved, added and removed members and holes', () => {
  const a = join(dir, 'a.h');
  const b = join(dir, 'b.h');
  writeFileSync(a, 'struct s { char a; int b; long c; short d; };\n');
  writeFileSync(b, 'struct s { char a; short d; int b; long c; char e; };\n');
  const r = run(['--diff', a, b]);
  assert.equal(r.code, 1, r.err); // different
  assert.match(r.out, /struct s: size 24 -> 24/);
  assert.match(r.out, /~ d moved: 16 \(2\) -> 2 \(2\)/);
  assert.match(r.out, /\+ e at 16 \(1\)/);
  assert.match(r.out, /- hole of 3 at 1 closed/);
  const j = JSON.parse(run(['--diff', a, b, '--format', 'json']).out);
  assert.equal(j.changed[0].changes.length, 2);
});

test(
  '/sys/kernel/btf/vmlinux by name, and corrupt binaries end in an error',
  { skip: !existsSync('/sys/kernel/btf/vmlinux') && 'no vmlinux BTF' },
  () => {
    const r = run(['/sys/kernel/btf/vmlinux', 'list_head']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /struct list_head \{/);
    assert.match(r.out, /\/\* size: 16, cachelines: 1, members: 2 \*\//);
    const bad = join(dir, 'bad.o');
    writeFileSync(bad, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]));
    const e = run([bad]);
    assert.equal(e.code, 1);
    assert.match(e.err, /truncated or corrupt input/);
    assert.doesNotMatch(e.err, /at .*\.ts:\d+/);
  },
);

test('--source fills the comments a binary cannot carry', { skip: !haveTool('gcc') && 'gcc not installed' }, () => {
  const obj = join(dir, 'rec2.o');
  assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, src]).status, 0);
  const j = JSON.parse(run([obj, '--source', src, '--format', 'json', 'rec']).out).records[0];
  assert.equal(j.members[0].comment, 'tag');
  const bare = JSON.parse(run([obj, '--format', 'json', 'rec']).out).records[0];
  assert.equal(bare.members[0].comment, undefined);
});
