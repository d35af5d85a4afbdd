// --every-header with --packable and --diff, `layoutof --diff A.json B.json`, and the documents
// against schema/every-header.schema.json (src/cli/every-header-packable.ts, every-header-diff.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceCli } from '../support/source-cli.js';
import { findKernelHeaders } from '../support/kernel.js';
import { validate } from './json-schema.js';
import { everyHeaderUnits, shardOf } from '../../src/cli/every-header.js';
import { parseArgs } from '../../src/cli/args.js';

const run = (args: string[], cwd?: string) => sourceCli(['--no-cache', ...args], { cwd });
const headers = findKernelHeaders();
const mainSchema = JSON.parse(readFileSync('schema/layoutof.schema.json', 'utf8'));
const treeSchema = JSON.parse(readFileSync('schema/every-header.schema.json', 'utf8'));

/** The every-header schema with its references into layoutof.schema.json resolved (this checker
 *  follows only #/$defs/ references). */
function resolved(): { [k: string]: unknown } {
  const text = JSON.stringify(treeSchema).replaceAll('"layoutof.schema.json#/$defs/', '"#/$defs/');
  const s = JSON.parse(text);
  return { ...s, $defs: { ...mainSchema.$defs, ...s.$defs } };
}
const checkTree = (doc: unknown) =>
  assert.deepEqual(validate(resolved() as never, doc as never), [], JSON.stringify(doc).slice(0, 2000));

/** A compilation database of `files` in a new directory. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-modes-'));
  mkdirSync(join(dir, 'inc'), { recursive: true });
  for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
  const db = Object.keys(files)
    .filter((f) => f.endsWith('.c'))
    .map((f) => ({ directory: dir, file: f, arguments: ['cc', '-c', f] }));
  writeFileSync(join(dir, 'compile_commands.json'), JSON.stringify(db));
  return dir;
}

const PACK = {
  'inc/shared.h': '#pragma once\nstruct shared { char a; long b; char c; };\n',
  'a.c':
    '#include "inc/shared.h"\nstruct big { char a; double d[4]; char b; int i; char c; };\nstruct tight { long l; int i; };\n',
  'b.c':
    '#include "inc/shared.h"\nstruct dup { char c; int i; char d; };\ntypedef struct { char x; long y; char z; } anon_t;\n',
  'c.c': 'struct dup { char c; long l; char d; };\nunion u { char c; long l; };\n',
};

interface Row {
  name: string;
  kind: string;
  size: number;
  reorganizedSize: number;
  savings: number;
  objectSize?: number;
  objectSavings?: number;
  count?: number;
  totalSavings?: number;
  file: string;
  line: number;
}

test('--every-header --packable: every struct of the tree ranked as --packable ranks one unit', () => {
  const dir = project(PACK);
  const whole = run(['-p', dir, '--every-header', '--packable', '--format', 'json'], dir);
  assert.equal(whole.code, 0, whole.err);
  const doc = JSON.parse(whole.out) as { records: Row[] };
  checkTree(doc);
  // Each entry's own ranking (--all: its header too), the same rows; both struct dup (two sites).
  const single = ['a.c', 'b.c', 'c.c'].flatMap(
    (f) =>
      (JSON.parse(run(['-p', dir, f, '--all', '--packable', '--format', 'json'], dir).out) as { records: Row[] })
        .records,
  );
  const row = (r: Row) => `${r.kind} ${r.name} ${r.size} -> ${r.reorganizedSize} (${r.savings})`;
  assert.deepEqual(doc.records.map(row).sort(), [...new Set(single.map(row))].sort());
  assert.deepEqual(
    doc.records.map((r) => `${r.name}:${r.savings}`),
    ['big:16', 'anon_t:8', 'dup:8', 'shared:8', 'dup:4'],
  );
  assert.deepEqual(
    doc.records.filter((r) => r.name === 'dup').map((r) => `${r.file.slice(dir.length + 1)}:${r.line}`),
    ['c.c:1', 'b.c:2'],
  );
  // --min-savings, --object-align and --counts, as in the one-unit mode.
  writeFileSync(join(dir, 'counts'), 'struct dup 1000\nshared 10\nbig 1\n');
  const opts = ['--min-savings', '5', '--object-align', '8', '--counts', join(dir, 'counts')];
  const counted = JSON.parse(run(['-p', dir, '--every-header', '--packable', '--format', 'json', ...opts], dir).out);
  checkTree(counted);
  assert.equal(counted.objectAlign, 8);
  assert.deepEqual(
    (counted.records as Row[]).map((r) => `${r.name}:${r.objectSavings}x${r.count}=${r.totalSavings}`),
    ['dup:8x1000=8000', 'shared:8x10=80', 'big:16x1=16'],
  );
  // Text and markdown, jobs and shards: the same ranking.
  const text = run(['-p', dir, '--every-header', '--packable', '--jobs', '1'], dir);
  assert.equal(run(['-p', dir, '--every-header', '--packable', '--jobs', '2'], dir).out, text.out);
  assert.match(text.out, /^savings {2}size {2}reorganized {2}record\n +16 +56 +40 {2}struct big\n/);
  assert.match(run(['-p', dir, '--every-header', '--packable', '-f', 'markdown'], dir).out, /^\| savings \|/);
  const parts = [1, 2, 3].map((i) => {
    const f = join(dir, `p${i}.json`);
    const r = run(['-p', dir, '--every-header', '--packable', '-f', 'json', '--shard', `${i}/3`, ...opts], dir);
    checkTree(JSON.parse(r.out));
    writeFileSync(f, r.out);
    return f;
  });
  const merged = run(['merge', ...parts], dir);
  assert.equal(merged.code, 0, merged.err);
  checkTree(JSON.parse(merged.out));
  assert.deepEqual(JSON.parse(merged.out), { ...counted, records: counted.records, failures: [] });
  const layouts = join(dir, 'layouts.json');
  writeFileSync(layouts, run(['-p', dir, '--every-header', '-f', 'json'], dir).out);
  assert.match(run(['merge', parts[0]!, layouts], dir).err, /cannot merge a --packable ranking and a layouts/);
});

const V1 =
  '#include "inc/h.h"\nstruct s { char c; long l; char d; };\nstruct gone { int x; };\n' +
  'typedef struct { char a; int b; } anon_t;\nstruct bits { unsigned a:3, :5, b:4; struct { int in; }; };\n';
const V2 =
  '#include "inc/h.h"\nstruct s { char c; char d; long l; short added; };\nstruct fresh { int x; };\n' +
  'typedef struct { char a; long b; } anon_t;\nstruct bits { unsigned a:3, :5, b:6; struct { long in; }; };\n';

test('--every-header --diff: two trees, two saved documents, or one of each; as --diff compares sources', () => {
  const one = project({ 'inc/h.h': '#pragma once\nstruct same { int a; };\n', 'a.c': V1 });
  const two = project({ 'inc/h.h': '#pragma once\nstruct same { int a; };\n', 'a.c': V2 });
  const save = (dir: string) => {
    const r = run(['-p', dir, '--every-header', '-f', 'json'], dir);
    checkTree(JSON.parse(r.out));
    writeFileSync(join(dir, 'tree.json'), r.out);
    return join(dir, 'tree.json');
  };
  const [ja, jb] = [save(one), save(two)];
  const body = (out: string) => {
    const { before: _b, after: _a, ...rest } = JSON.parse(out) as { before: string; after: string };
    return rest;
  };
  // What --diff says of the two sources (src/analyze/diff.ts on the records themselves).
  const truth = run(['--diff', join(one, 'a.c'), join(two, 'a.c'), '-f', 'json']);
  assert.equal(truth.code, 1, truth.err);
  const saved = run(['--diff', ja, jb, '-f', 'json']);
  assert.equal(saved.code, 1, saved.err);
  assert.deepEqual(validate(mainSchema, JSON.parse(saved.out)), []);
  assert.deepEqual(body(saved.out), body(truth.out));
  const changed = (body(saved.out) as { changed: { name: string }[] }).changed.map((c) => c.name);
  assert.deepEqual(changed, ['struct s', 'anon_t', 'struct bits']);
  const direct = run(['--every-header', '--diff', one, two, '-f', 'json']);
  assert.equal(direct.code, 1, direct.err);
  assert.deepEqual(body(direct.out), body(truth.out));
  assert.deepEqual(body(run(['--every-header', '--diff', ja, two, '-f', 'json']).out), body(truth.out));
  // Text as --diff prints it; NAMEs narrow it; identical trees exit 0; trouble exits 2.
  const text = run(['--diff', ja, jb]);
  assert.match(
    text.out,
    /^--- .*tree\.json\n\+\+\+ .*tree\.json\n\nstruct s: size 24 -> 24\n {2}~ d moved: 16 \(1\) -> 1 \(1\)/,
  );
  assert.match(text.out, /only in .*: 1 \(struct gone\)/);
  assert.match(run(['--diff', ja, jb, 'anon_t']).out, /^anon_t: size 8 -> 16/m);
  assert.equal(run(['--diff', ja, jb, 'anon_t']).out.includes('struct s'), false);
  assert.equal(run(['--diff', ja, ja]).code, 0);
  const missing = run(['--every-header', '--diff', ja, join(one, 'nothing.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nothing\.json: no such file or directory/);
  writeFileSync(join(one, 'other.json'), '{"target": "x", "hello": 1}');
  assert.equal(run(['--diff', ja, join(one, 'other.json')]).code, 2);
  assert.equal(run(['--every-header', '--diff', ja, jb, '--packable']).code, 2);
});

test(
  '--every-header --packable on a kernel unit: the rows of --packable over the same unit',
  { skip: !headers && 'no kernel headers', timeout: 300_000 },
  () => {
    const tree = run(['--kernel', headers!, '--every-header', '--shard', '20/80', '--packable', '-f', 'json']);
    const doc = JSON.parse(tree.out) as { records: Row[]; failures: { file: string }[] };
    checkTree(doc);
    assert.ok(doc.records.length > 30, `${doc.records.length} rows`);
    // The unit the shard compiled, without the headers that failed, as one FILE.
    const units = everyHeaderUnits(parseArgs(['--kernel', headers!, '--every-header']));
    const files = shardOf(units, [20, 80]).flatMap((u) => u.files);
    const failed = new Set(doc.failures.map((f) => f.file));
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-kpack-'));
    const unit = join(dir, 'unit.c');
    writeFileSync(
      unit,
      ['linux/module.h', ...files.filter((f) => !failed.has(f))].map((h) => `#include <${h}>\n`).join(''),
    );
    const one = JSON.parse(run(['--kernel', headers!, unit, '--all', '--packable', '-f', 'json']).out) as {
      records: Row[];
    };
    const row = (r: Row) => `${r.kind} ${r.name} ${r.size} -> ${r.reorganizedSize}`;
    assert.deepEqual(new Set(doc.records.map(row)), new Set(one.records.map(row)));
  },
);

test('--every-header --diff: a name defined in two headers is paired by header; a side not a tree is trouble', () => {
  const tree = (y: string) =>
    project({
      'inc/x.h': 'struct twice { char a; int b; };\n',
      'inc/y.h': `struct twice { ${y} };\n`,
      'x.c': '#include "inc/x.h"\n',
      'y.c': '#include "inc/y.h"\n',
    });
  const [one, two] = [tree('long l;'), tree('long l; int m;')];
  const r = run(['--every-header', '--diff', one, two, '-f', 'json']);
  assert.equal(r.code, 1, r.err);
  const d = JSON.parse(r.out) as { changed: { name: string; sizeAfter: number }[]; unchanged: number };
  assert.deepEqual(
    d.changed.map((c) => `${c.name}:${c.sizeAfter}`),
    ['struct twice (y.h):16'],
  );
  assert.equal(d.unchanged, 1);
  const empty = mkdtempSync(join(tmpdir(), 'layoutof-modes-'));
  const bad = run(['--every-header', '--diff', one, empty]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /layoutof: error: .*layoutof-modes-/);
});
