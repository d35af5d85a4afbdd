// --format ctypes against gcc: the generated module imports (its self-check passes) and reads gcc's
// initialised objects back member by member, and writing every member into a zeroed instance gives
// gcc's bytes. Run by this host's python3 for several targets (ctypes' Big/LittleEndianStructure read
// any byte order; s390x is the big-endian one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { renderCtypes } from '../../src/render/ctypes.js';
import { findTarget } from '../../src/target/target.js';
import { haveTool, type Toolchain } from '../support/gcc-truth.js';
import { generateProgram } from '../support/gen.js';
import { compileObjects, initialisedObjects, type Expect } from './objects.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-ctypes-'));
const python = spawnSync('python3', ['--version']).status === 0;

const HARNESS = `import sys, json, importlib.util
spec = importlib.util.spec_from_file_location('bindings', sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
blob = open(sys.argv[2], 'rb').read()
jobs = json.load(open(sys.argv[3]))

def conv(x):
    if isinstance(x, bool): return x
    if isinstance(x, int): return str(x)
    if isinstance(x, float): return x
    if isinstance(x, complex): return [x.real, x.imag]
    return None

def value(e):
    k = e['kind']
    if k in ('int', 'ptr'): return int(e['v'])
    if k == 'complex': return complex(e['re'], e['im'])
    return e['v']

def put(root, path, v):
    # Members ctypes cannot type are properties giving lists: changed in a copy and written back.
    o = root
    for i, p in enumerate(path[:-1]):
        nxt = o[p] if isinstance(p, int) else getattr(o, p)
        if isinstance(nxt, list):
            lst, cur = nxt, nxt
            for q in path[i + 1:-1]:
                cur = cur[q]
            cur[path[-1]] = v
            setattr(o, p, lst)
            return
        o = nxt
    last = path[-1]
    if isinstance(last, int):
        o[last] = v
    else:
        setattr(o, last, v)

out = []
for j in jobs:
    cls = getattr(m, j['cls'])
    obj = cls.from_buffer_copy(blob, j['off'])
    vals = []
    for e in j['expects']:
        o = obj
        for p in e['path']:
            o = o[p] if isinstance(p, int) else getattr(o, p)
        vals.append(conv(o))
    w = cls()
    for e in j['expects']:
        put(w, e['path'], value(e))
    out.append({'values': vals, 'bytes': bytes(w).hex()})
print(json.dumps(out))
`;

function matches(actual: unknown, e: Expect): boolean {
  switch (e.kind) {
    case 'int':
    case 'ptr':
      return typeof actual === 'string' && BigInt(actual) === e.v;
    case 'bool':
      return actual === e.v || actual === (e.v ? '1' : '0');
    case 'float':
      return actual === e.v;
    case 'complex':
      return Array.isArray(actual) && actual[0] === e.re && actual[1] === e.im;
  }
}

const TRIPLES = [
  'x86_64-linux-gnu',
  's390x-linux-gnu',
  'i686-linux-gnu',
  'aarch64-linux-gnu',
  'arm-linux-gnueabihf',
  'powerpc64le-linux-gnu',
  'riscv64-linux-gnu',
];
for (const triple of TRIPLES) {
  const target = findTarget(triple)!;
  const cc = triple === 'x86_64-linux-gnu' ? 'gcc' : `${triple}-gcc`;
  const prefix = triple === 'x86_64-linux-gnu' ? '' : `${triple}-`;
  const tc: Toolchain = { cc, nm: `${prefix}nm`, objcopy: `${prefix}objcopy`, flags: [], endian: target.endian };
  const skip = (!python && 'python3 not installed') || (!haveTool(cc) && `${cc} not installed`);
  test(`${triple}: the ctypes module reads and writes gcc's objects`, { skip }, () => {
    const prog = generateProgram(9300 + TRIPLES.indexOf(triple), 40, {
      noInt128: target.noInt128,
      longBits: target.ints.long.size * 8,
    });
    const res = analyzeSourceText(prog.source, { target });
    const byTag = new Map(res.records.map((r) => [r.name, r]));
    const records = prog.tags.map((t) => byTag.get(t)!);
    const objs = initialisedObjects(records, target, 23);
    const { bytes, offsets } = compileObjects(prog.source + objs.source, tc);
    const mod = join(dir, `${triple.replace(/\W/g, '_')}.py`);
    writeFileSync(mod, renderCtypes(records, target));
    writeFileSync(join(dir, 'blob.bin'), bytes);
    const jobs = objs.objects.map((o) => ({
      cls: o.record.name,
      off: offsets.get(o.symbol),
      expects: o.expects.map((e) => ({
        path: e.path,
        ...e.value,
        ...('v' in e.value ? { v: typeof e.value.v === 'bigint' ? String(e.value.v) : e.value.v } : {}),
      })),
    }));
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
    writeFileSync(join(dir, 'harness.py'), HARNESS);
    const r = spawnSync('python3', [join(dir, 'harness.py'), mod, join(dir, 'blob.bin'), join(dir, 'jobs.json')], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    assert.equal(r.status, 0, r.stderr.slice(0, 3000));
    const out = JSON.parse(r.stdout) as { values: unknown[]; bytes: string }[];
    const failures: string[] = [];
    let checked = 0;
    objs.objects.forEach((o, i) => {
      o.expects.forEach((e, k) => {
        checked++;
        const got = out[i]!.values[k];
        if (!matches(got, e.value) && failures.length < 20)
          failures.push(
            `${o.symbol} ${e.path.join('.')}: ${JSON.stringify(got)}, gcc ${String('v' in e.value ? e.value.v : [e.value.re, e.value.im])}`,
          );
      });
      const off = offsets.get(o.symbol)!;
      const want = Buffer.from(bytes.subarray(off, off + o.record.size)).toString('hex');
      if (out[i]!.bytes !== want && failures.length < 20)
        failures.push(`${o.symbol} written: ${out[i]!.bytes}, gcc ${want}`);
    });
    assert.deepEqual(failures, []);
    assert.ok(checked > 150, `only ${checked} values`);
    console.log(`# ${triple}: ${objs.objects.length} objects, ${checked} values through ctypes`);
  });
}

test('the self-check refuses a module whose layout ctypes would not give', () => {
  const target = findTarget('x86_64-linux-gnu')!;
  const res = analyzeSourceText('struct s { char c; int i; unsigned b : 3; };\n', { target });
  const text = renderCtypes(res.records, target).replace("('i', 4, None)", "('i', 2, None)");
  const mod = join(dir, 'broken.py');
  writeFileSync(mod, text);
  const r = spawnSync(
    'python3',
    [
      '-c',
      `import importlib.util as u; s = u.spec_from_file_location('b', '${mod}'); u.module_from_spec(s); s.loader.exec_module(u.module_from_spec(s))`,
    ],
    { encoding: 'utf8' },
  );
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /ImportError: s\.i: ctypes puts it at 4 None, layoutof at 2 None/);
});
