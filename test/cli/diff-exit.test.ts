// --diff as diff(1): exit 0 identical, 1 different, 2 trouble; options anywhere; the command line's
// context on both sides (a --kernel header name resolves as FILE does); typedef names; a binary's
// dropped unnamed bitfields are no change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveTool } from '../support/gcc-truth.js';
import { findKernelHeaders } from '../support/kernel.js';
import { analyzeSourceText } from '../../src/api.js';
import { diffLayouts } from '../../src/analyze/diff.js';
import type { Member, RecordType } from '../../src/model/model.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-diff-'));
function run(args: string[]) {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/run.js'), '--no-cache', ...args], {
    encoding: 'utf8',
    cwd: dir,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const a = file(
  'a.h',
  'struct s { int a; long b; };\ntypedef struct s s_t;\ntypedef struct { char c; int i; } anon_t;\n',
);
const same = file(
  'same.h',
  'struct s { int a; long b; };\ntypedef struct s s_t;\ntypedef struct { char c; int i; } anon_t;\n',
);
const b = file(
  'b.h',
  'struct s { int a; int b; };\ntypedef struct s s_t;\ntypedef struct { char c; int i; } anon_t;\n',
);

test('exit 0 when identical, 1 when different', () => {
  const r = run(['--diff', a, same]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /0 changed, 2 identical/);
  const d = run(['--diff', a, b]);
  assert.equal(d.code, 1, d.err);
  assert.match(d.out, /struct s: size 16 -> 8/);
  // A record in only one input is a difference too.
  const extra = file('extra.h', 'struct s { int a; long b; };\nstruct t { int x; };\n');
  assert.equal(run(['--diff', a, extra, 's']).code, 0);
  assert.equal(run(['--diff', a, extra]).code, 1);
});

test('exit 2 on trouble: an unreadable input, an input with errors, an unknown NAME', () => {
  const missing = run(['--diff', a, join(dir, 'absent.h')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /error: .*absent\.h: No such file or directory/);
  const bad = file('bad.h', 'struct s { int a; nonsense_t b; };\n');
  const r = run(['--diff', bad, a]);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.h:1:19: error: unknown type name 'nonsense_t'/);
  const name = run(['--diff', a, b, 'ss']);
  assert.equal(name.code, 2);
  assert.match(name.err, /no struct, union or typedef named 'ss' in either input; did you mean 's'/);
});

test('options stand anywhere: --diff is a flag, its inputs the first two operands', () => {
  // On i386 long is 4 bytes: the two are the same there (different on x86_64, below).
  const r = run(['--diff', '--target', 'i386', a, '--format', 'markdown', b, 's']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /0 changed, 1 identical/);
  const late = run([a, b, '--diff']);
  assert.equal(late.code, 1, late.err);
  assert.match(late.out, /struct s: size 16 -> 8/);
  assert.equal(run(['--diff', a]).code, 2);
  assert.match(
    run(['--diff', '--compare-targets', 'i386,arm64', a, b, 's']).err,
    /'--diff' and '--compare-targets' do not go together/,
  );
});

test('typedef names, of tagged and of anonymous records', () => {
  const r = run(['--diff', a, b, 's_t']);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /struct s: size 16 -> 8/);
  const c = file('c.h', 'typedef struct { char c; long i; } anon_t;\n');
  const t = run(['--diff', a, c, 'anon_t']);
  assert.equal(t.code, 1, t.err);
  assert.match(t.out, /anon_t: size 8 -> 16/);
  assert.equal(run(['--diff', a, same, 'anon_t', 's_t']).code, 0);
});

test(
  'BTF drops unnamed bitfields: not a change against the source',
  { skip: (!haveTool('gcc') || !haveTool('pahole')) && 'gcc or pahole not installed' },
  () => {
    const src = file('ub.c', 'struct ub { int a; int :32; int b; struct { char c; int :24; } in; };\nstruct ub use;\n');
    const obj = join(dir, 'ub.o');
    assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, src]).status, 0);
    const btf = join(dir, 'ub-btf.o');
    copyFileSync(obj, btf);
    assert.equal(spawnSync('pahole', ['-J', btf]).status, 0);
    const r = run(['--diff', src, btf, '--btf', 'ub']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /0 changed, 1 identical/);
    // A real difference still is one.
    const moved = file('ub2.c', 'struct ub { int a; int b; struct { char c; int :24; } in; };\n');
    assert.equal(run(['--diff', moved, btf, '--btf', 'ub']).code, 1);
  },
);

test('diffLayouts: unnamed bitfields are neither members nor fillers (here and in anonymous members)', () => {
  const layout = (src: string) => analyzeSourceText(src).records;
  const withPad = layout('struct u { int a; int :32; int b; struct { char c; int :24; }; long :64; };');
  // What BTF keeps of it: the same record without its unnamed bitfields, here and in the anonymous one.
  const unnamed = (m: Member) => m.name === null && m.bitSize !== undefined;
  const drop = (r: RecordType): RecordType => ({
    ...r,
    members: r.members
      .filter((m) => !unnamed(m))
      .map((m) =>
        m.type.kind === 'record' && m.name === null
          ? { ...m, type: { kind: 'record' as const, record: drop(m.type.record) } }
          : m,
      ),
  });
  const btf = withPad.map(drop);
  assert.deepEqual(
    btf.find((r) => r.name === 'u')!.members.map((m) => m.name),
    ['a', 'b', null],
  );
  const d = diffLayouts(withPad, btf);
  assert.deepEqual([d.changed, d.unchanged], [[], 1]);
  // A named bitfield is a member.
  assert.equal(
    diffLayouts(layout('struct u { int a; int pad:32; int b; };'), layout('struct u { int a; int :32; int b; };'))
      .changed.length,
    1,
  );
});

const headers = findKernelHeaders();
test(
  '--kernel applies to both inputs and resolves header names as FILE does',
  { skip: !headers && 'no linux-headers' },
  () => {
    const own = file('own.h', '#include <linux/list.h>\nstruct hlist_node;\n');
    const r = run(['--kernel', headers!, '--diff', 'linux/types.h', own, 'list_head', 'hlist_node']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /0 changed, 2 identical/);
    const missing = run(['--kernel', headers!, '--diff', 'linux/nope.h', own]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.err,
      /linux\/nope\.h: No such file or directory \(looked for as a header name in: \., .*\/arch\/x86\/include, /,
    );
  },
);

test(
  '--source with errors: the comments still merged, exit 1 (was 0)',
  { skip: !haveTool('gcc') && 'gcc not installed' },
  () => {
    const src = file('rec.c', 'struct rec { char c; /* tag */ long l; } *use;\n');
    const obj = join(dir, 'rec.o');
    assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, src]).status, 0);
    const bad = file('rec-bad.c', 'struct rec { char c; /* tag */ long l; } *use;\nstruct other { nonsense_t x; };\n');
    const r = run([obj, '--source', bad, 'rec']);
    assert.equal(r.code, 1);
    assert.match(r.err, /rec-bad\.c:2:16: error: unknown type name 'nonsense_t'/);
    assert.match(r.out, /char\s+c;/);
    const missing = run([obj, '--source', join(dir, 'absent.c'), 'rec']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /error: .*absent\.c: No such file or directory/);
    assert.equal(run([obj, '--source', src, 'rec']).code, 0);
  },
);

test("-p applies to both inputs: each file with its own entry's flags", () => {
  const p = mkdtempSync(join(tmpdir(), 'layoutof-diff-p-'));
  writeFileSync(join(p, 'one.c'), '#include "rec.h"\n');
  writeFileSync(join(p, 'two.c'), '#include "rec.h"\n');
  writeFileSync(join(p, 'rec.h'), 'struct r { char c;\n#ifdef WIDE\n long w;\n#endif\n};\n');
  const db = (two: string) =>
    writeFileSync(
      join(p, 'compile_commands.json'),
      JSON.stringify([
        { directory: p, file: 'one.c', command: 'cc -c one.c' },
        { directory: p, file: 'two.c', command: `cc ${two} -c two.c` },
      ]),
    );
  db('-DWIDE=1');
  const r = run(['-p', p, '--diff', join(p, 'one.c'), join(p, 'two.c'), 'r']);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /struct r: size 1 -> 16/);
  db('-DNARROW=1');
  assert.equal(run(['-p', p, '--diff', join(p, 'one.c'), join(p, 'two.c'), 'r']).code, 0);
});
