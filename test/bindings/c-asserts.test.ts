// --format c-asserts against real compilers: the assertions of generated records, of the example and of
// system headers compile with gcc and every cross gcc (one multi-target file, each compiler picking its
// own block), and fail once a member is moved in a copy of the header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { renderCAsserts, type AssertBlock } from '../../src/render/c-asserts.js';
import { findTarget } from '../../src/target/target.js';
import { haveTool } from '../support/gcc-truth.js';
import { generateProgram } from '../support/gen.js';
import { findKernelHeaders, kbuildProbe } from '../support/kernel.js';

const LINUX = [
  'x86_64-linux-gnu',
  'i686-linux-gnu',
  'aarch64-linux-gnu',
  'arm-linux-gnueabihf',
  'riscv64-linux-gnu',
  'powerpc64le-linux-gnu',
  's390x-linux-gnu',
];
const ccOf = (triple: string): string => (triple === 'x86_64-linux-gnu' ? 'gcc' : `${triple}-gcc`);
const installed = LINUX.filter((t) => haveTool(ccOf(t)));

/** Compiles `source` with `cc`; gcc's messages on failure. */
function compile(cc: string, source: string, flags: string[] = []): { ok: boolean; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-asserts-'));
  try {
    writeFileSync(join(dir, 'a.c'), source);
    const r = spawnSync(cc, ['-std=gnu11', '-w', '-fsyntax-only', ...flags, join(dir, 'a.c')], { encoding: 'utf8' });
    return { ok: r.status === 0, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function blocks(source: string, triples: readonly string[], sys = false): AssertBlock[] {
  return triples.map((triple) => {
    const target = findTarget(triple)!;
    const include = {
      quote: [],
      angled: [],
      system: [],
      builtin: sys ? (systemIncludeDirs(triple) ?? []) : [],
      after: [],
    };
    const res = analyzeSourceText(source, { target, fs: new NodeFileSystem(), include });
    assert.equal(res.diagnostics.errors, 0, `${triple}: ${res.diagnostics.list.map((d) => d.message).join('; ')}`);
    return { target, records: res.records.filter((r) => r.name !== null || r.typedef !== undefined) };
  });
}

const count = (s: string): number => s.split('\n').filter((l) => l.startsWith('_Static_assert')).length;

test('generated records: one multi-target file compiles with every installed gcc', () => {
  const failures: string[] = [];
  for (const seed of [7001, 7002]) {
    // Long is 64 bits on some targets and 32 on others: the generator's long bitfields keep to 32.
    const prog = generateProgram(seed, 40, { noInt128: true, longBits: 32 });
    const text = renderCAsserts(blocks(prog.source, installed));
    assert.ok(count(text) > 40 * installed.length * 3, `only ${count(text)} assertions`);
    for (const triple of installed) {
      const r = compile(ccOf(triple), prog.source + '\n' + text);
      if (!r.ok) failures.push(`${triple} seed ${seed}:\n${r.stderr.slice(0, 2000)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test(
  'x86_64-windows-msvc: the block compiles with clang in MSVC mode, beside a Linux block',
  { skip: !haveTool('clang') && 'clang not installed' },
  () => {
    const prog = generateProgram(7003, 40, { msvc: true, longBits: 32 });
    const text = renderCAsserts(blocks(prog.source, ['x86_64-windows-msvc', 'x86_64-linux-gnu']));
    const r = compile('clang', prog.source + '\n' + text, ['--target=x86_64-windows-msvc', '-fms-extensions']);
    assert.ok(r.ok, r.stderr.slice(0, 2000));
    // The Linux block is the one clang for Linux checks (and the MSVC records' layouts differ there).
    assert.ok(compile('clang', prog.source + '\n' + text, ['--target=x86_64-linux-gnu', '-fms-extensions']).ok);
  },
);

test('a block for another target fails on this compiler: the guards pick the right block', () => {
  const src = 'struct s { char c; long l; };\n';
  const [x86] = blocks(src, ['x86_64-linux-gnu']);
  const [i686] = blocks(src, ['i686-linux-gnu']);
  // The i686 answer labelled as x86_64's: gcc for x86_64 must reject it.
  const wrong = renderCAsserts([{ target: x86!.target, records: i686!.records }, i686!]);
  assert.equal(compile('gcc', src + wrong).ok, false);
  assert.equal(compile('gcc', src + renderCAsserts([x86!, i686!])).ok, true);
});

test('examples/ip_vs_conn.h: the asserts compile on every target, and moving a member breaks them', () => {
  const header = readFileSync('examples/ip_vs_conn.h', 'utf8');
  const triples = installed;
  const text = renderCAsserts(blocks(header, triples, true));
  for (const triple of triples) {
    const r = compile(ccOf(triple), header + '\n' + text);
    assert.ok(r.ok, `${triple}: ${r.stderr.slice(0, 2000)}`);
  }
  // Swap two adjacent members of struct list_link's user: move 'flags' below the next member.
  const moved = header.replace(/(\n\s*struct list_link \*next, \*\*pprev;)/, '\n\tchar moved_in;$1');
  assert.notEqual(moved, header);
  const r = compile('gcc', moved + '\n' + renderCAsserts(blocks(header, ['x86_64-linux-gnu'], true)));
  assert.equal(r.ok, false);
  assert.match(r.stderr, /static assertion failed: "offsetof\(struct list_link, next\) == 0"/);
});

test('system headers: every record of eight glibc headers, with gcc and each cross gcc', () => {
  const src =
    '#define _GNU_SOURCE 1\n' +
    ['sys/stat.h', 'netinet/in.h', 'termios.h', 'sys/time.h', 'elf.h', 'signal.h', 'ucontext.h', 'net/if.h']
      .map((h) => `#include <${h}>\n`)
      .join('');
  for (const triple of installed) {
    const text = renderCAsserts(blocks(src, [triple], true));
    assert.ok(count(text) > 500, `${triple}: only ${count(text)} assertions`);
    const r = compile(ccOf(triple), src + '\n' + text);
    assert.ok(r.ok, `${triple}: ${r.stderr.slice(0, 3000)}`);
  }
});

test('kernel style uses static_assert from <linux/build_bug.h>', () => {
  const src = 'struct k { int a; char b; };\n';
  const text = renderCAsserts(blocks(src, ['x86_64-linux-gnu']), 'kernel');
  assert.match(text, /#include <linux\/build_bug.h>/);
  assert.match(text, /^static_assert\(offsetof\(struct k, b\) == 4\);$/m);
  assert.doesNotMatch(text, /_Static_assert/);
  // Checked with a stand-in for the kernel's header (its one-argument form).
  const shim = '#define static_assert(e, ...) _Static_assert(e, #e)\n';
  assert.ok(compile('gcc', src + shim + text.replace(/#include <linux\/[^>]+>/g, '#include <stddef.h>')).ok);
});

test(
  'kernel: every record of an ip_vs unit, kernel style, compiles with kbuild flags',
  { skip: !findKernelHeaders() && 'no linux-headers' },
  () => {
    const headers = findKernelHeaders()!;
    const source = '#include <linux/module.h>\n#include <net/ip_vs.h>\n';
    const probe = kbuildProbe(headers, 'lo_asserts', source);
    const r = spawnSync(
      'bin/layoutof',
      ['--no-cache', '--kernel', headers, probe.file, '--all', '--format', 'c-asserts', '--assert-style', 'kernel'],
      { encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    assert.equal(r.status, 0, r.stderr.slice(0, 2000));
    const asserts = r.stdout.split('\n').filter((l) => l.startsWith('static_assert')).length;
    assert.ok(asserts > 10000, `only ${asserts} assertions`);
    const file = join(probe.dir, 'checked.c');
    writeFileSync(
      file,
      readFileSync(probe.file, 'utf8') + r.stdout.replace(/^#include <linux\/(build_bug|stddef)\.h>$/gm, ''),
    );
    const c = spawnSync(probe.cc, [...probe.flags, '-fsyntax-only', file], {
      encoding: 'utf8',
      cwd: probe.cwd,
      maxBuffer: 1 << 26,
    });
    assert.equal(c.status, 0, c.stderr.slice(0, 3000));
    // And one member moved in struct ip_vs_conn's copy fails them.
    const moved = readFileSync(probe.file, 'utf8').replace(
      '#include <net/ip_vs.h>',
      '#define fwmark fwmark; char lo_moved\n#include <net/ip_vs.h>\n#undef fwmark',
    );
    writeFileSync(file, moved + r.stdout.replace(/^#include <linux\/(build_bug|stddef)\.h>$/gm, ''));
    const m = spawnSync(probe.cc, [...probe.flags, '-fsyntax-only', file], {
      encoding: 'utf8',
      cwd: probe.cwd,
      maxBuffer: 1 << 26,
    });
    assert.notEqual(m.status, 0);
    assert.match(m.stderr, /static assertion failed/);
  },
);
