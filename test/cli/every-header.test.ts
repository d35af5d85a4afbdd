// --every-header, --jobs, --shard and `layoutof merge` (src/cli/every-header*.ts, src/cli/merge.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceCli } from '../support/source-cli.js';
import { findKernelHeaders, kbuildProbe, sweepUnits } from '../support/kernel.js';
import { gccTruth, haveTool, type ProbeRecord } from '../support/gcc-truth.js';
import { everyHeaderUnits, shardOf } from '../../src/cli/every-header.js';
import { parseArgs } from '../../src/cli/args.js';

const run = (args: string[], cwd?: string) => sourceCli(['--no-cache', ...args], { cwd });
const headers = findKernelHeaders();

interface JsonMember {
  name: string;
  offset: number | null;
  bitSize?: number;
  size: number | null;
}
interface JsonRecord {
  name: string | null;
  typedef?: string;
  kind: string;
  size: number;
  align: number;
  file: string;
  line: number;
  members: JsonMember[];
}
interface Doc {
  target: string;
  records: JsonRecord[];
  failures: { file: string; error: string }[];
}

test(
  '--every-header --kernel: a slice of the tree, the same with 1 and 2 jobs, matching gcc',
  { skip: (!headers || !haveTool('make')) && 'no kernel headers or make', timeout: 600_000 },
  () => {
    const args = ['--kernel', headers!, '--every-header', '--shard', '1/40', '--format', 'json'];
    const one = run([...args, '--jobs', '1']);
    const two = run([...args, '--jobs', '2']);
    assert.equal(one.code, 1, one.err); // some headers of the slice do not compile alone (acpi/acpi.h's #error)
    assert.equal(two.out, one.out);
    assert.equal(two.err, one.err);
    const doc = JSON.parse(one.out) as Doc;
    const sites = doc.records.map((r) => `${r.name ?? r.typedef} ${r.file}:${r.line}`);
    assert.equal(new Set(sites).size, sites.length, 'each record once');
    assert.ok(doc.records.length > 500, `${doc.records.length} records`);
    // What fails is what the kernel sweep's list leaves out: headers that do not compile in a module.
    const listed = new Set(sweepUnits().flat());
    const slice = shardOf(everyHeaderUnits(parseArgs(args)), [1, 40]).flatMap((u) => u.files);
    for (const f of doc.failures)
      assert.ok(!listed.has(f.file), `${f.file} compiles in the sweep, but failed here: ${f.error}`);
    const failed = new Set(doc.failures.map((f) => f.file));
    // Against gcc with kbuild's flags: the slice's headers that the sweep found to compile with gcc (our
    // front end passes a few more: it does not check every declaration) in one unit, every tagged
    // record they define.
    const ok = slice.filter((h) => !failed.has(h) && listed.has(h));
    const left = new Set(
      slice.filter((h) => !ok.includes(h)).map((h) => join(headers!.replace(/-amd64$/, '-common'), 'include', h)),
    );
    const source = ['linux/module.h', ...ok].map((h) => `#include <${h}>\n`).join('');
    const kb = kbuildProbe(headers!, 'lo_every', '#include <linux/module.h>\n');
    const tagged = doc.records.filter((r) => r.name !== null && !left.has(r.file));
    assert.ok(tagged.length > 500, `${tagged.length} records checked`);
    const probes: ProbeRecord[] = tagged.map((r) => ({
      ctype: `${r.kind} ${r.name}`,
      fields: r.members.filter((m) => m.name && m.bitSize === undefined && m.offset !== null).map((m) => m.name),
      bitfields: [],
    }));
    const truth = gccTruth(source, probes, {
      cc: kb.cc,
      nm: 'nm',
      objcopy: 'objcopy',
      flags: kb.flags,
      endian: 'little',
      cwd: kb.cwd,
    });
    const diffs: string[] = [];
    let offsets = 0;
    tagged.forEach((r, i) => {
      const t = truth[i]!;
      if (t.size !== r.size || t.align !== r.align)
        diffs.push(`${r.kind} ${r.name}: ${r.size}/${r.align}, gcc ${t.size}/${t.align}`);
      for (const m of r.members)
        if (t.offsets.has(m.name) && ++offsets && t.offsets.get(m.name) !== m.offset)
          diffs.push(`${r.name}.${m.name}: ${m.offset}, gcc ${t.offsets.get(m.name)}`);
    });
    assert.deepEqual(diffs.slice(0, 10), []);
    assert.ok(offsets > 2000, `${offsets} member offsets checked`);
  },
);

test('--every-header -p: every entry, each record once, failures reported; shards merged equal the whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-every-'));
  mkdirSync(join(dir, 'inc'));
  writeFileSync(join(dir, 'inc/shared.h'), '#pragma once\nstruct shared { char c; double d; };\n');
  const files: Record<string, string> = {
    'a.c': '#include "inc/shared.h"\nstruct a { struct shared s; char tail; };\n',
    'b.c': '#include "inc/shared.h"\nunion b { int i; char c[5]; };\n',
    'broken.c': 'struct broken { undefined_t x; };\n',
    'c.c': '#ifdef BIG\nstruct c { long x[4]; };\n#else\nstruct c { char x; };\n#endif\n',
  };
  for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
  const db = Object.keys(files).map((f) => ({
    directory: dir,
    file: f,
    arguments: ['cc', ...(f === 'c.c' ? ['-DBIG'] : []), '-c', f],
  }));
  writeFileSync(join(dir, 'compile_commands.json'), JSON.stringify(db));
  const whole = run(['-p', dir, '--every-header', '--format', 'json'], dir);
  assert.equal(whole.code, 1);
  assert.match(whole.err, /broken\.c: does not compile, left out: .*broken\.c:1: unknown type name 'undefined_t'/);
  const doc = JSON.parse(whole.out) as Doc;
  assert.deepEqual(
    doc.records.map((r) => `${r.name}:${r.size}`),
    ['a:24', 'b:8', 'c:32', 'shared:16'],
  );
  assert.deepEqual(
    doc.failures.map((f) => f.file),
    [join(dir, 'broken.c')],
  );
  const parts = [1, 2, 3].map((i) => {
    const r = run(['-p', dir, '--every-header', '--format', 'json', '--shard', `${i}/3`, '--jobs', '2'], dir);
    writeFileSync(join(dir, `s${i}.json`), r.out);
    return join(dir, `s${i}.json`);
  });
  const merged = run(['merge', ...parts.reverse()], dir);
  assert.equal(merged.code, 0, merged.err);
  assert.equal(merged.out, whole.out);
  const text = run(['-p', dir, '--every-header'], dir);
  assert.match(text.out, /^struct a \{/);
  assert.equal(text.out.match(/^struct shared \{/gm)?.length, 1);
  assert.match(
    run(['merge', join(dir, 'a.c')], dir).err,
    /not valid JSON|Unexpected token|not the JSON of an --every-header run/,
  );
  assert.equal(run(['--every-header'], dir).code, 2);
});

test('--every-header -I: every header of the directories by its include name; clashes split; shards merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-every-dirs-'));
  const files: Record<string, string> = {
    'inc/broken.h': 'struct broken { int x y; };\n',
    'inc/uses_broken.h': '#include "broken.h"\nstruct after_broken { char c; };\n',
    'inc/sys.h': '#include <stdint.h>\nstruct sys { uint8_t a; uint64_t b; };\n',
    'inc/sub/nested.h': '#include <sys.h>\nstruct nested { struct sys s; char t; };\n',
    'more/shadow.h': 'struct from_more { long l; };\n',
    'inc/shadow.h': 'struct from_inc { char c; };\n',
  };
  // Enough headers for two units of 20.
  for (let i = 0; i < 24; i++)
    files[`inc/gen/g${i}.h`] = `struct g${i} { char c; ${i % 2 ? 'int' : 'short'} v[${i}]; };\n`;
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), t);
  }
  const args = ['-I', 'inc', '-I', 'more', '--every-header', '--format', 'json'];
  const whole = run([...args, '--jobs', '1'], dir);
  assert.equal(whole.code, 1);
  assert.match(whole.err, /^layoutof: error: broken\.h: does not compile, left out: inc\/broken\.h:1: /m);
  assert.match(whole.err, /^layoutof: error: uses_broken\.h: does not compile/m);
  assert.match(whole.err, /note: 27 records; 27 of 29 headers compile \(2 units, /);
  const doc = JSON.parse(whole.out) as Doc;
  const names = doc.records.map((r) => r.name);
  // Not stdint.h's records; not more/shadow.h, which inc/shadow.h hides from an #include.
  assert.ok(names.includes('sys') && names.includes('nested') && names.includes('from_inc'));
  assert.ok(!names.includes('from_more'), names.join(' '));
  assert.equal(new Set(names).size, names.length);
  // Each record as the query of its own header gives it.
  for (const r of doc.records.filter((x) => ['nested', 'g7', 'g12', 'sys'].includes(x.name!))) {
    const one = run(['-I', 'inc', '--format', 'json', r.file, r.name!], dir);
    const rec = (JSON.parse(one.out) as Doc).records[0]!;
    assert.deepEqual(rec, r);
  }
  assert.equal(run([...args, '--jobs', '2'], dir).out, whole.out);
  const parts = [1, 2].map((i) => {
    writeFileSync(join(dir, `p${i}.json`), run([...args, '--shard', `${i}/2`], dir).out);
    return join(dir, `p${i}.json`);
  });
  assert.equal(run(['merge', ...parts], dir).out, whole.out);
});
