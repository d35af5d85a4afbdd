// Round trips against gcc on each target: generated records' initialised objects are compiled, and
// their bytes decoded by the engine (--decode's reader), by the generated TypeScript classes and by
// the CLI must give every initialiser back; writing every member through the TypeScript setters into
// a zeroed buffer must give gcc's bytes. s390x holds the big-endian path to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeSourceText } from '../../src/api.js';
import { decodeRecord, type Decoded } from '../../src/analyze/decode.js';
import { decodedToJson } from '../../src/render/decode.js';
import { renderTs } from '../../src/render/ts-binding.js';
import { findTarget } from '../../src/target/target.js';
import { haveTool, type Toolchain } from '../support/gcc-truth.js';
import { generateProgram } from '../support/gen.js';
import { compileObjects, initialisedObjects, type Expect, type ObjectSpec } from './objects.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-roundtrip-'));
const TRIPLES = [
  'x86_64-linux-gnu',
  's390x-linux-gnu',
  'i686-linux-gnu',
  'aarch64-linux-gnu',
  'arm-linux-gnueabihf',
  'powerpc64le-linux-gnu',
  'riscv64-linux-gnu',
];
const RECORDS = Number(process.env.LAYOUTOF_ROUNDTRIP_RECORDS ?? 40);

function matches(actual: unknown, e: Expect): boolean {
  switch (e.kind) {
    case 'int':
    case 'ptr':
      return (typeof actual === 'number' || typeof actual === 'bigint') && BigInt(actual) === e.v;
    case 'bool':
      return actual === e.v;
    case 'float':
      return actual === e.v;
    case 'complex':
      return Array.isArray(actual) && actual[0] === e.re && actual[1] === e.im;
  }
}

/** The engine's decoded value as the TS accessors give it, for one comparison. */
function plain(d: Decoded): unknown {
  if (d.kind === 'int') return d.bool ? d.value !== 0n : d.value;
  if (d.kind === 'pointer') return d.value;
  if (d.kind === 'float') return d.im === undefined ? d.value : [d.value, d.im];
  return d;
}

function at(d: Decoded, path: readonly (string | number)[]): Decoded {
  for (const p of path) {
    if (typeof p === 'number' && d.kind === 'array') d = d.items[p]!;
    else if (typeof p === 'string' && d.kind === 'record') d = d.fields.find(([k]) => k === p)![1];
    else throw new Error(`no ${p} in ${d.kind}`);
  }
  return d;
}

type Obj = { [k: string]: unknown; get?(i: number): unknown; set?(i: number, x: unknown): void };
function tsAt(o: unknown, path: readonly (string | number)[]): unknown {
  for (const p of path) o = typeof p === 'number' ? (o as Obj).get!(p) : (o as Obj)[p];
  return o;
}
function tsSet(root: unknown, path: readonly (string | number)[], e: Expect): void {
  const parent = tsAt(root, path.slice(0, -1)) as Obj;
  const last = path[path.length - 1]!;
  const current = typeof last === 'number' ? parent.get!(last) : parent[last];
  let x: unknown;
  if (e.kind === 'int' || e.kind === 'ptr') x = typeof current === 'bigint' ? e.v : Number(e.v);
  else if (e.kind === 'complex') x = [e.re, e.im];
  else x = e.v;
  if (typeof last === 'number') parent.set!(last, x);
  else parent[last] = x;
}

const show = (x: unknown): string => (typeof x === 'bigint' ? `${x}n` : JSON.stringify(x));

for (const triple of TRIPLES) {
  const target = findTarget(triple)!;
  const cc = triple === 'x86_64-linux-gnu' ? 'gcc' : `${triple}-gcc`;
  const prefix = triple === 'x86_64-linux-gnu' ? '' : `${triple}-`;
  const tc: Toolchain = { cc, nm: `${prefix}nm`, objcopy: `${prefix}objcopy`, flags: [], endian: target.endian };
  test(
    `${triple}: gcc's initialised objects read back through --decode and the generated TypeScript`,
    { skip: !haveTool(cc) && `${cc} not installed` },
    async () => {
      const prog = generateProgram(9100 + TRIPLES.indexOf(triple), RECORDS, {
        noInt128: target.noInt128,
        longBits: target.ints.long.size * 8,
      });
      const res = analyzeSourceText(prog.source, { target });
      assert.equal(res.diagnostics.errors, 0);
      const byTag = new Map(res.records.map((r) => [r.name, r]));
      const records = prog.tags.map((t) => byTag.get(t)!);
      const objs = initialisedObjects(records, target, 17);
      const { bytes, offsets } = compileObjects(prog.source + objs.source, tc);
      const failures: string[] = [];
      const fail = (o: ObjectSpec, what: string): void =>
        void (failures.length < 20 && failures.push(`${o.symbol} (${o.record.name}) ${what}`));

      // The engine's reader (what --decode prints).
      let checked = 0;
      for (const o of objs.objects) {
        const d = decodeRecord(o.record, bytes, offsets.get(o.symbol)!, target);
        for (const e of o.expects) {
          checked++;
          const got = plain(at(d, e.path));
          if (!matches(got, e.value)) fail(o, `decode ${e.path.join('.')}: ${show(got)}, gcc ${show(e.value)}`);
        }
      }
      assert.ok(checked > RECORDS * 4, `only ${checked} values`);

      // The generated TypeScript: every getter, then every setter into zeroed memory.
      const file = join(dir, `${triple}.ts`);
      writeFileSync(file, renderTs(records, target));
      const mod = (await import(pathToFileURL(file).href)) as {
        [k: string]: new (v: DataView, o?: number) => unknown;
      } & { [k: string]: { size: number } };
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (const o of objs.objects) {
        const Cls = mod[o.record.name!]!;
        assert.equal((Cls as unknown as { size: number }).size, o.record.size);
        const off = offsets.get(o.symbol)!;
        const obj = new Cls(view, off);
        for (const e of o.expects) {
          const got = tsAt(obj, e.path);
          if (!matches(got, e.value)) fail(o, `ts get ${e.path.join('.')}: ${show(got)}, gcc ${show(e.value)}`);
        }
        const fresh = new Uint8Array(o.record.size);
        const w = new Cls(new DataView(fresh.buffer));
        for (const e of o.expects) tsSet(w, e.path, e.value);
        const want = bytes.subarray(off, off + o.record.size);
        if (!fresh.every((b, i) => b === want[i]))
          fail(o, `ts set: bytes ${Buffer.from(fresh).toString('hex')}, gcc ${Buffer.from(want).toString('hex')}`);
      }

      // The CLI's --decode on a few objects gives the engine's values.
      const src = join(dir, `${triple}.c`);
      const bin = join(dir, `${triple}.bin`);
      writeFileSync(src, prog.source);
      writeFileSync(bin, bytes);
      for (const o of objs.objects.slice(0, 3)) {
        const off = offsets.get(o.symbol)!;
        const r = spawnSync(
          'bin/layoutof',
          ['--no-cache', '--target', triple, '--decode', `${bin}@${off}`, '--format', 'json', src, o.record.name!],
          { encoding: 'utf8' },
        );
        assert.equal(r.status, 0, r.stderr);
        const j = JSON.parse(r.stdout);
        assert.equal(j.target, triple);
        assert.deepEqual(j.objects[0].values, decodedToJson(decodeRecord(o.record, bytes, off, target)));
      }
      assert.deepEqual(failures, []);
      console.log(`# ${triple}: ${objs.objects.length} objects, ${checked} values read back`);
    },
  );
}
