// --format svg against the JSON, record by record, for the test corpora: the example header, the
// renderer fixtures, tricky bitfields/unions/nesting, system headers, and a vmlinux's BTF. Every member
// and hole element must sit at the JSON's offsets and sizes, drawn over exactly those bytes (bits), with
// no sibling overlapping another and the document well-formed XML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { analyzeSource, analyzeSourceText } from '../../src/api.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { analyzeBinary } from '../../src/binary/index.js';
import type { RecordType } from '../../src/model/model.js';
import { toJson } from '../../src/render/json.js';
import { renderSvg } from '../../src/render/svg.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { parseXml, walk, classes } from './xml.js';
import { checkSvg, type JRecord } from './check.js';
import { conn, node, padded } from '../render/fixtures.js';

/** Pictures and JSON of `records`, compared; returns how many member elements were checked. */
function compare(
  records: readonly RecordType[],
  opts: { expand?: boolean; rowBytes?: number; cacheline?: number } = {},
): number {
  const views = records.map((r) => analyzeRecord(r, opts.cacheline ?? 64, { expand: opts.expand }));
  const svg = renderSvg(views, { expand: opts.expand, rowBytes: opts.rowBytes });
  const root = parseXml(svg);
  const json = toJson('x86_64-linux-gnu', views, { expand: opts.expand }) as { records: JRecord[] };
  assert.deepEqual(checkSvg(root, json), []);
  return [...walk(root)].filter((e) => classes(e).includes('member')).length;
}

function source(path: string, text?: string): readonly RecordType[] {
  const include = { quote: [], angled: [], system: [], builtin: systemIncludeDirs() ?? [], after: [] };
  const res =
    text !== undefined
      ? analyzeSourceText(text, { path, include, fs: new NodeFileSystem() })
      : analyzeSource(path, {
          fs: new NodeFileSystem(),
          target: DEFAULT_TARGET,
          include,
          macros: [],
          forcedIncludes: [],
        });
  assert.equal(res.diagnostics.errors, 0, res.diagnostics.list.map((d) => d.message).join('\n'));
  return res.records.filter((r) => r.members.length > 0 || r.name === 'e');
}

const TRICKY = `
struct bits { unsigned a:3, b:7; char c; unsigned d:20, :0, e:31; long long f:40, g:24; };
struct mixed { char c; short s:5; int i:9; char tail; };
union u { int i; struct { char a, b; } pair; unsigned bf:12; double d; };
struct nest { char x; struct { int a; union { short s; char cc[3]; }; } inner; struct bits named; char last; };
struct flex { int n; char data[]; };
struct arr { struct { int k; char v; } slots[4]; char z; };
struct __attribute__((packed)) pk { char a; int b; short c:3; long d; };
struct big { char head; long pad[20]; char mid; long more[3]; char end; };
struct empty_tail { long x; char y; };
typedef struct { unsigned int lo:4, hi:4; } nibbles;
struct line_crossing { char a[60]; long b; char c[70]; int d; };
struct e {};
`;

test('the example header: every record, plain and expanded, against the JSON', () => {
  const recs = source('examples/ip_vs_conn.h');
  assert.ok(compare(recs) > 50);
  assert.ok(compare(recs, { expand: true }) > compare(recs));
});

test('hand-built fixtures and tricky layouts: bitfields, unions, nesting, flexible arrays, packed', () => {
  compare([conn, node, padded]);
  compare([conn, node, padded], { expand: true });
  const recs = source('/tmp/tricky.c', TRICKY);
  assert.ok(recs.length >= 10);
  for (const expand of [false, true])
    for (const rowBytes of [undefined, 4, 8, 24, 64, 128]) compare(recs, { expand, rowBytes });
  compare(recs, { cacheline: 32 });
});

test('a 2.4 MB record: rows grow past a cacheline (at most 512 of them), positions stay exact', () => {
  const recs = source('/tmp/huge.c', 'struct huge { char a; long big[300000]; char z; };');
  compare(recs);
  const root = parseXml(renderSvg([analyzeRecord(recs[0]!, 64)]));
  const rec = [...walk(root)].find((e) => classes(e).includes('record'))!;
  const rows = Number(rec.attrs.get('data-row-bytes'));
  assert.ok(rows % 64 === 0 && Math.ceil(2400016 / rows) <= 512, `${rows} bytes a row`);
  assert.equal(rec.attrs.get('data-byte-width'), '0.125');
});

test('the picture draws what it says: bits, holes, nesting, cachelines', () => {
  const recs = source('/tmp/tricky.c', TRICKY);
  const big = recs.find((r) => r.name === 'big')!;
  const svg = renderSvg([analyzeRecord(big, 64)]);
  const root = parseXml(svg);
  const lines = [...walk(root)].filter((e) => classes(e).includes('cacheline') && e.attrs.has('data-offset'));
  assert.equal(big.size, 208);
  assert.deepEqual(
    lines.map((e) => e.attrs.get('data-offset')),
    ['64', '128', '192'],
  );
  const rec = [...walk(root)].find((e) => classes(e).includes('record'))!;
  assert.equal(rec.attrs.get('data-row-bytes'), '64', 'a record larger than a cacheline: a line a row');
  const small = parseXml(
    renderSvg([
      analyzeRecord(
        recs.find((r) => r.name === 'mixed')!,
        64,
      ),
    ]),
  );
  assert.equal([...walk(small)].find((e) => classes(e).includes('record'))!.attrs.get('data-row-bytes'), '8');
  const u = parseXml(
    renderSvg([
      analyzeRecord(
        recs.find((r) => r.name === 'u')!,
        64,
      ),
    ]),
  );
  const alts = [...walk(u)].filter(
    (e) => classes(e).includes('member') && e.parent && classes(e.parent).includes('record'),
  );
  // A union's members are stacked: each its own lane, one below the other.
  const ys = alts.map((e) => Number(e.children.find((c) => c.name === 'rect')!.attrs.get('y')));
  assert.equal(new Set(ys).size, alts.length, `union members share a lane: ${ys}`);
  const title = alts.find((e) => e.attrs.get('data-name') === 'bf')!.children.find((c) => c.name === 'title')!.text;
  assert.match(title, /bf: unsigned int/);
  assert.match(title, /bits 0\.\.11 of the 4-byte unit/);
  // Labels never overflow: every label fits its block (at the font's advance), the full text is in the title.
  for (const g of [...walk(parseXml(renderSvg(recs.map((r) => analyzeRecord(r, 64)))))].filter(
    (e) => classes(e).includes('member') && !classes(e).includes('nested'),
  )) {
    const rect = g.children
      .filter((c) => c.name === 'rect')
      .sort((a, b) => Number(b.attrs.get('width')) - Number(a.attrs.get('width')))[0];
    for (const t of g.children.filter((c) => c.name === 'text'))
      assert.ok(t.text.length * 11 * 0.62 <= Number(rect!.attrs.get('width')), `'${t.text}' overflows its block`);
  }
});

test('labels and titles are escaped: a comment with markup stays text', () => {
  const recs = source('/tmp/esc.c', 'struct e { int a; /* <b>x & "y"</b> \u0001 */ char b; };');
  const svg = renderSvg(recs.map((r) => analyzeRecord(r, 64)));
  const root = parseXml(svg);
  const t = [...walk(root)].find((e) => e.attrs.get('data-name') === 'a')!.children.find((c) => c.name === 'title')!;
  assert.match(t.text, /<b>x & "y"<\/b>/);
});

const HEADERS = ['sys/socket.h', 'netinet/ip.h', 'netinet/tcp.h', 'elf.h', 'signal.h', 'pthread.h', 'sys/stat.h'];
test(
  'system headers: every record against the JSON',
  { skip: !systemIncludeDirs() && 'no C compiler to find the system headers' },
  () => {
    const glibc = source(
      '/tmp/sys.c',
      '#define _GNU_SOURCE 1\n' + HEADERS.map((h) => `#include <${h}>`).join('\n') + '\n',
    );
    const uapi = source(
      '/tmp/uapi.c',
      '#include <linux/bpf.h>\n#include <linux/perf_event.h>\n#include <linux/ethtool.h>\n',
    );
    const n = compare(glibc) + compare(uapi) + compare(uapi, { expand: true });
    assert.ok(glibc.length > 50 && uapi.length > 100, `${glibc.length} + ${uapi.length} records`);
    console.log(`# system headers: ${glibc.length + uapi.length} records, ${n} member elements checked`);
  },
);

const BTF = '.cache/kernel-image-amd64/vmlinux.btf';
test(
  'a vmlinux BTF: a thousand records against the JSON',
  { skip: !existsSync(BTF) && `${BTF} missing (scripts/install-test-deps.sh)` },
  () => {
    const res = analyzeBinary(new Uint8Array(readFileSync(BTF)), { path: BTF });
    const named = res.records.filter((r) => r.name !== null && r.members.length > 0);
    // Every tenth record, and the large ones people look at.
    const pick = named.filter(
      (r, i) => i % 10 === 0 || ['task_struct', 'sk_buff', 'page', 'inode', 'net_device'].includes(r.name!),
    );
    const n =
      compare(pick) +
      compare(
        pick.filter((r) => r.name === 'sk_buff' || r.name === 'page'),
        { expand: true },
      );
    console.log(`# vmlinux BTF: ${pick.length} records, ${n} member elements checked`);
  },
);
