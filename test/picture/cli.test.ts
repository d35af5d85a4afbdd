// The built CLI's --format svg and html, from every front end (C source, DWARF, BTF), checked
// against its own --format json; --compare-targets side by side; --row-bytes; the usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml, walk, classes } from './xml.js';
import { checkSvg, type JRecord } from './check.js';
import { findKernelHeaders } from '../support/kernel.js';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

/** `args` as SVG and as JSON (with --expand when given), compared. */
function agree(...args: string[]): ReturnType<typeof parseXml> {
  const svg = run(...args, '--format', 'svg');
  assert.equal(svg.status, 0, svg.stderr);
  const json = run(...args, '--format', 'json');
  assert.equal(json.status, 0, json.stderr);
  const root = parseXml(svg.stdout);
  assert.deepEqual(checkSvg(root, JSON.parse(json.stdout) as { records: JRecord[] }), []);
  return root;
}

test('C source: the example, every record, stacked; --expand; --row-bytes', () => {
  const root = agree('examples/ip_vs_conn.h');
  assert.ok(
    [...walk(root)].filter((e) => classes(e).includes('record')).length >= 5,
    'several records stacked in one document',
  );
  agree('examples/ip_vs_conn.h', 'ip_vs_conn', '--expand');
  const r = agree('examples/ip_vs_conn.h', 'ip_vs_conn', '--row-bytes', '32', '--cacheline', '128');
  assert.equal([...walk(r)].find((e) => classes(e).includes('record'))!.attrs.get('data-row-bytes'), '32');
});

test(
  'DWARF: an object compiled with gcc -g',
  { skip: spawnSync('gcc', ['--version']).status !== 0 && 'gcc not installed' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-picture-'));
    writeFileSync(
      join(dir, 'a.c'),
      'struct s { char c; int i:5, j:11; union { long l; char b[3]; } u; short tail; } v;\nstruct t { struct s inner[2]; char z; } w;\n',
    );
    const cc = spawnSync('gcc', ['-g', '-c', '-o', join(dir, 'a.o'), join(dir, 'a.c')]);
    assert.equal(cc.status, 0);
    agree(join(dir, 'a.o'), 's', 't');
    agree(join(dir, 'a.o'), 's', 't', '--expand');
  },
);

const BTF = '.cache/kernel-image-amd64/vmlinux.btf';
test('BTF: task_struct and sk_buff from a vmlinux', { skip: !existsSync(BTF) && `${BTF} missing` }, () => {
  agree(BTF, 'task_struct', 'sk_buff');
});

test('--compare-targets: targets side by side, differing members marked', () => {
  const r = run(
    'examples/ip_vs_conn.h',
    'ip_vs_conn',
    '--compare-targets',
    'x86_64-linux-gnu,i686-linux-gnu',
    '--format',
    'svg',
  );
  assert.equal(r.status, 0, r.stderr);
  const root = parseXml(r.stdout);
  const recs = [...walk(root)].filter((e) => classes(e).includes('record'));
  assert.equal(recs.length, 2);
  assert.equal(recs[0]!.attrs.get('data-size'), '280');
  assert.ok(Number(recs[1]!.attrs.get('data-size')) < 280, 'i686 is smaller');
  const differs = [...walk(root)].filter((e) => classes(e).includes('differs')).map((e) => e.attrs.get('data-path'));
  assert.ok(differs.includes('timer'), `marked: ${differs.join(', ')}`);
  assert.ok(!differs.includes('c_list') || recs[0]!.attrs.get('data-size') !== recs[1]!.attrs.get('data-size'));
  const targets = [...walk(root)].filter((e) => classes(e).includes('target')).map((e) => e.text);
  assert.deepEqual(targets, ['x86_64-linux-gnu', 'i686-linux-gnu']);
  const html = run(
    'examples/ip_vs_conn.h',
    'ip_vs_conn',
    '--compare-targets',
    'x86_64-linux-gnu,i686-linux-gnu',
    '--format',
    'html',
  );
  assert.equal(html.status, 0, html.stderr);
  assert.match(html.stdout, /<table>/);
});

test('--format html: one self-contained page with the picture, the table and the summary', () => {
  const r = run('examples/ip_vs_conn.h', 'ip_vs_conn', 'seq_adjust', '--format', 'html');
  assert.equal(r.status, 0, r.stderr);
  const page = r.stdout;
  assert.match(page, /^<!DOCTYPE html>/);
  assert.doesNotMatch(
    page,
    /<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/,
    'nothing from the network, no script',
  );
  const svgs = page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.equal(svgs.length, 2);
  for (const s of svgs) parseXml(s);
  assert.equal((page.match(/<table>/g) ?? []).length, 2);
  const has = (re: RegExp, what: string) => assert.ok(re.test(page), what);
  has(
    /<td class="num">0<\/td><td class="num">16<\/td><td><code>struct list_link<\/code><\/td><td><code>c_list<\/code><\/td>/,
    'the table row of c_list',
  );
  has(/<p class="summary">280 bytes, align 8, 5 cachelines of 64/, 'the summary');
});

test('usage errors: --row-bytes 0, --diff as a picture, an unknown format', () => {
  assert.equal(run('examples/ip_vs_conn.h', '--format', 'svg', '--row-bytes', '0').status, 2);
  assert.equal(run('--diff', 'examples/ip_vs_conn.h', 'examples/ip_vs_conn.h', '--format', 'svg').status, 2);
  const bad = run('examples/ip_vs_conn.h', '--format', 'png');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown format .png. \(text, markdown, json, svg, html,/);
});

const KERNEL = findKernelHeaders();
test(
  'a kernel unit (net/ip_vs.h, --kernel): every record against the JSON',
  { skip: !KERNEL && 'no kernel headers in /usr/src' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-picture-k-'));
    writeFileSync(join(dir, 'probe.c'), '#include <linux/module.h>\n#include <net/ip_vs.h>\nMODULE_LICENSE("GPL");\n');
    const root = agree('--kernel', KERNEL!, join(dir, 'probe.c'), '--all');
    const n = [...walk(root)].filter((e) => classes(e).includes('record')).length;
    assert.ok(n > 1000, `${n} records`);
  },
);
