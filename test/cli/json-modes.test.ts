// --format json writes one JSON document per run in every mode (layouts, --count, --compare-targets,
// --diff, input and usage errors), each valid against the schema shipped in schema/, with the run's
// diagnostics in it as well as on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from './json-schema.js';
import { haveTool } from '../support/gcc-truth.js';

const schema = JSON.parse(readFileSync('schema/layoutof.schema.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'layoutof-json-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
/** Runs the built CLI; `doc` is stdout parsed as one JSON document, checked against the schema. */
function json(args: string[]) {
  const r = spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', '--format', 'json', ...args], {
    encoding: 'utf8',
  });
  let doc;
  try {
    doc = JSON.parse(r.stdout);
  } catch (e) {
    assert.fail(`stdout is not one JSON document (${(e as Error).message}):\n${r.stdout}`);
  }
  assert.deepEqual(validate(schema, doc), [], JSON.stringify(doc, null, 1));
  return { code: r.status, doc, err: r.stderr };
}

const src = file(
  'rec.h',
  'struct node { struct node *next; };\nstruct rec { char c; long l; unsigned f : 3; union { int i; float x; }; struct node n; };\ntypedef struct { char a; int b; } pair_t;\n',
);

test('layouts: records, and with --count their memory in the same document', () => {
  const r = json([src, 'rec', 'pair_t', '--expand']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    r.doc.records.map((x: { name: string | null }) => x.name),
    ['rec', null],
  );
  assert.equal(r.doc.diagnostics, undefined);
  const c = json([src, 'rec', 'pair_t', '--count', '1000', '--object-align', '64', '--hash-buckets', '16']);
  assert.equal(c.code, 0, c.err);
  assert.equal(c.doc.records.length, 2);
  assert.deepEqual(c.doc.memory[0], {
    name: 'rec',
    kind: 'struct',
    count: 1000,
    objectSize: 32,
    objectAlign: 64,
    perObject: 64,
    objects: 64000,
    hashBuckets: 16,
    bucketSize: 8,
    table: 128,
    total: 64128,
  });
  assert.deepEqual([c.doc.memory[1].name, c.doc.memory[1].typedef, c.doc.memory[1].perObject], [null, 'pair_t', 64]);
});

test('--compare-targets: one document for several NAMEs; the first also at the top level', () => {
  const r = json(['--compare-targets', 'x86_64-linux-gnu,i386', '-nostdinc', src, 'rec', 'pair_t']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.doc.targets, ['x86_64-linux-gnu', 'i686-linux-gnu']);
  assert.deepEqual(
    r.doc.comparisons.map((c: { record: string }) => c.record),
    ['rec', 'pair_t'],
  );
  assert.deepEqual(r.doc.comparisons[0].sizes, [32, 20]);
  assert.equal(r.doc.record, 'rec');
  assert.deepEqual(r.doc.members, r.doc.comparisons[0].members);
  const bad = json(['--compare-targets', 'x86_64-linux-gnu,i386', '-nostdinc', src, 'nope']);
  assert.equal(bad.code, 1);
  assert.deepEqual(bad.doc.comparisons, []);
  assert.match(bad.doc.diagnostics[0].message, /no struct, union or typedef named 'nope'/);
});

test('--diff: the diff, or when an input cannot be read, the diagnostics (exit 2)', () => {
  const b = file('rec2.h', readFileSync(src, 'utf8').replace('char c;', 'int c;'));
  const r = json(['--diff', src, b]);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual([r.doc.before, r.doc.after, r.doc.changed.length, r.doc.unchanged], [src, b, 1, 2]);
  const missing = json(['--diff', src, join(dir, 'absent.h')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.doc.changed, undefined);
  assert.deepEqual(
    missing.doc.diagnostics.map((d: { severity: string; where: string; message: string }) => [
      d.severity,
      d.where,
      d.message,
    ]),
    [['error', join(dir, 'absent.h'), 'No such file or directory']],
  );
});

test('errors: located diagnostics in the document and on stderr; the records still analysable', () => {
  const broken = file('broken.h', 'struct ok { int x; };\n#include "inc.h"\n');
  file('inc.h', 'struct bad { nonsense_t y; };\n');
  const r = json([broken]);
  assert.equal(r.code, 1);
  assert.ok(r.doc.records.some((x: { name: string }) => x.name === 'ok'));
  const d = r.doc.diagnostics[0];
  assert.deepEqual(
    [d.severity, d.file, d.line, d.column, d.message],
    ['error', join(dir, 'inc.h'), 1, 14, "unknown type name 'nonsense_t'"],
  );
  assert.deepEqual(d.includedFrom, [{ file: broken, line: 2, column: 2 }]);
  assert.equal(r.err, d.text + '\n');
  const name = json([src, 'rec', 'recc']);
  assert.equal(name.code, 1);
  assert.deepEqual(
    name.doc.records.map((x: { name: string }) => x.name),
    ['rec'],
  );
  assert.match(name.doc.diagnostics[0].message, /no struct, union or typedef named 'recc'; did you mean 'rec'/);
  const missing = json([join(dir, 'absent.h')]);
  assert.equal(missing.code, 1);
  assert.deepEqual(missing.doc.records, []);
  assert.equal(missing.doc.diagnostics[0].text, `layoutof: error: ${join(dir, 'absent.h')}: No such file or directory`);
  const empty = json([file('empty.h', '')]);
  assert.equal(empty.code, 0);
  assert.equal(empty.doc.diagnostics[0].severity, 'note');
});

test('--list-targets: every target with its other names', () => {
  const r = json(['--list-targets']);
  assert.equal(r.code, 0, r.err);
  const arm = r.doc.targets.find((t: { triple: string }) => t.triple === 'aarch64-linux-gnu');
  assert.ok(arm.aliases.includes('arm64'));
  assert.deepEqual(
    [arm.dataModel, arm.endian, arm.charSigned, arm.longDouble, arm.bitfields],
    ['LP64', 'little', false, 16, 'sysv'],
  );
  assert.equal(r.doc.targets.length, 8);
});

test('usage errors: a document of diagnostics only (exit 2)', () => {
  const r = json(['--formt', 'json', src]);
  assert.equal(r.code, 2);
  assert.match(r.doc.diagnostics[0].message, /unknown option '--formt'; did you mean '--format'\?/);
  assert.equal(json(['--target', 'vax', src]).code, 2);
});

test(
  'binary input: records and memory of a DWARF object in one document',
  { skip: !haveTool('gcc') && 'gcc not installed' },
  () => {
    const c = file('obj.c', 'struct rec { char c; long l; } *use;\n');
    const obj = join(dir, 'obj.o');
    assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, c]).status, 0);
    const r = json([obj, 'rec', '--count', '3']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual([r.doc.records[0].size, r.doc.memory[0].objects], [16, 48]);
  },
);

test('the checker and the schema reject what is not a document of the schema', () => {
  const ok = {
    target: 't',
    records: [{ name: 's', kind: 'struct', size: 4, align: 4, members: [], holes: [], tailPadding: 0, cachelines: 1 }],
  };
  assert.deepEqual(validate(schema, ok), []);
  assert.notDeepEqual(validate(schema, { ...ok, records: [{ ...ok.records[0], size: -1.5 }] }), []);
  assert.notDeepEqual(validate(schema, { ...ok, records: [{ ...ok.records[0], kind: 'enum' }] }), []);
  assert.notDeepEqual(validate(schema, { ...ok, extra: 1 }), []);
  assert.notDeepEqual(validate(schema, { before: 'a' }), []);
  // Sizes past 2^53 are decimal strings.
  assert.deepEqual(validate(schema, { ...ok, records: [{ ...ok.records[0], size: '18446744073709551616' }] }), []);
});

test('the schema ships in the package and docs/json.md names every field', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.ok(pkg.files.includes('schema'), 'package.json files lacks schema');
  const doc = readFileSync('docs/json.md', 'utf8');
  const fields = new Set<string>();
  const walk = (s: unknown): void => {
    if (!s || typeof s !== 'object') return;
    for (const [k, v] of Object.entries(s)) {
      if (k === 'properties') for (const p of Object.keys(v as object)) fields.add(p);
      walk(v);
    }
  };
  walk(schema);
  // Named as `field`, `parent[].field` or, inside a sketch, "field".
  const missing = [...fields].filter((f) => !new RegExp(`[\`."]${f.replace('$', '\\$')}[\`"]`).test(doc));
  assert.deepEqual(missing, []);
});
