// A record by name alone: --kernel DIR NAME, -p DB NAME, -I DIR NAME with no FILE (src/cli/by-name.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceCli } from '../support/source-cli.js';
import { findKernelHeaders } from '../support/kernel.js';
import { scanDefinitions } from '../../src/kernel/index-scan.js';

const cache = mkdtempSync(join(tmpdir(), 'layoutof-byname-cache-'));
const run = (args: string[], cwd?: string) =>
  sourceCli(args, { cwd, env: { ...process.env, LAYOUTOF_CACHE_DIR: cache } });
const headers = findKernelHeaders();
const records = (json: string): { name: string; size: number; members: unknown[] }[] => JSON.parse(json).records;
/** A new directory with `files` (relative path: text) written, their directories made. */
function tree(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('the scan finds tags, typedef names and the #if around them, not include guards or #if 0', () => {
  const defs = scanDefinitions(
    [
      '#ifndef _A_H',
      '#define _A_H',
      '/* struct not_me { */',
      'struct a { int x; };',
      '#ifdef CONFIG_B',
      'union b {',
      ' int y;',
      '};',
      '#else',
      'typedef struct { int z; } c_t, *c_p;',
      '#endif',
      '#if 0',
      'struct dead { int q; };',
      '#endif',
      'typedef struct a a_t;',
      'struct fwd;',
      'struct __attribute__((packed)) p { char c; };',
      '#endif',
    ].join('\n'),
  );
  assert.deepEqual(
    defs.map((d) => [d.name, d.kind, d.line, d.conditions.join(' ; ')]),
    [
      ['a', 'struct', 4, ''],
      ['b', 'union', 6, 'defined(CONFIG_B)'],
      ['c_t', 'typedef', 10, '!(defined(CONFIG_B))'],
      ['a_t', 'typedef', 15, ''],
      ['p', 'struct', 17, ''],
    ],
  );
});

test(
  '--kernel NAME...: finds the headers of ip_vs_conn, task_struct, sk_buff and a typedef, as if named',
  { skip: !headers && 'no kernel headers', timeout: 300_000 },
  () => {
    const r = run([
      '--kernel',
      headers!,
      '--format',
      'json',
      'ip_vs_conn',
      'struct',
      'task_struct',
      'struct sk_buff',
      'skb_frag_t',
    ]);
    assert.equal(r.code, 0, r.err);
    const got = records(r.out);
    assert.deepEqual(
      got.map((x) => x.name),
      ['ip_vs_conn', 'task_struct', 'sk_buff', 'bio_vec'],
    );
    assert.equal(got[0]!.size, 288);
    // The same records as when the header is named (the sweep test checks those against gcc).
    const named = run(['--kernel', headers!, '--format', 'json', 'net/ip_vs.h', 'ip_vs_conn']);
    assert.deepEqual(records(named.out)[0], got[0]);
    const task = run(['--kernel', headers!, '--format', 'json', 'linux/sched.h', 'task_struct']);
    assert.deepEqual(records(task.out)[0], got[1]);
  },
);

test(
  '--kernel NAME: a name defined in two headers lists both with their conditions; a typo gets the closest',
  { skip: !headers && 'no kernel headers', timeout: 300_000 },
  () => {
    const r = run(['--kernel', headers!, 'ftrace_regs']);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.err,
      /'ftrace_regs' is defined in 2 places: struct ftrace_regs at arch\/x86\/include\/asm\/ftrace\.h:\d+ \(#if .*&& defined\(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS\)\); struct ftrace_regs at include\/linux\/ftrace\.h:\d+ \(#if .*!defined\(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS\)\)/,
    );
    assert.match(r.out, /^struct ftrace_regs \{/);
    const typo = run(['--kernel', headers!, 'ip_vs_con']);
    assert.equal(typo.code, 1);
    assert.match(
      typo.err,
      /no struct, union or typedef named 'ip_vs_con' in the kernel tree's headers; did you mean 'ip_vs_conn'/,
    );
  },
);

test('-I DIR NAME: the index is kept (0600 in a 0700 directory) and follows an edit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-byname-'));
  mkdirSync(join(dir, 'inc/sub'), { recursive: true });
  writeFileSync(join(dir, 'inc/sub/a.h'), 'struct alpha { char c; long l; };\n');
  writeFileSync(join(dir, 'inc/b.h'), '#include "sub/a.h"\ntypedef struct { struct alpha a; int i; } beta_t;\n');
  const first = run(['-I', 'inc', '--format', 'json', 'alpha', 'beta_t'], dir);
  assert.equal(first.code, 0, first.err);
  assert.deepEqual(
    records(first.out).map((x) => x.size),
    [16, 24],
  );
  const idx = join(cache, 'index');
  assert.equal(statSync(idx).mode & 0o777, 0o700);
  for (const f of readdirSync(idx)) assert.equal(statSync(join(idx, f)).mode & 0o777, 0o600);
  // The edit keeps the size (the identity still changes: ctime, and the racy rule rescans it).
  writeFileSync(join(dir, 'inc/sub/a.h'), 'struct alpha2 { char c; long l; };\n');
  const after = run(['-I', 'inc', 'alpha'], dir);
  assert.equal(after.code, 1);
  assert.match(
    after.err,
    /no struct, union or typedef named 'alpha' in the headers of the -I directories; did you mean 'alpha2'\?/,
  );
  assert.match(run(['-I', 'inc', 'alpha2'], dir).out, /size: 16,/);
  // A header added is found, and the tree keeps one index file (named by its directories).
  const before = readdirSync(idx).length;
  writeFileSync(join(dir, 'inc/sub/new.h'), 'union delta { char c[3]; short s; };\n');
  assert.match(run(['-I', 'inc', 'delta'], dir).out, /size: 4,/);
  assert.equal(readdirSync(idx).length, before);
  // A header removed is no longer offered; one moved to a new directory is found there.
  rmSync(join(dir, 'inc/sub/new.h'));
  const gone = run(['-I', 'inc', 'delta'], dir);
  assert.equal(gone.code, 1);
  assert.match(gone.err, /no struct, union or typedef named 'delta'/);
  mkdirSync(join(dir, 'inc/sub/later'));
  writeFileSync(join(dir, 'inc/sub/later/moved.h'), 'union delta { char c[5]; short s; };\n');
  assert.match(run(['-I', 'inc', 'delta'], dir).out, /size: 6,/);
});

test('-I DIR NAME: a name defined twice is analysed in the header a plain #include finds', () => {
  // (As /usr/include/zlib.h and /usr/include/node/zlib.h: the nested copy comes first by name.)
  const dir = tree('layoutof-byname-depth-', {
    'inc/aa/deeper/z.h': 'struct z { char c[3]; };\n',
    'inc/aa/z.h': 'struct z { char c[2]; };\n',
    'inc/z.h': 'struct z { char c[1]; };\n',
    'more/z.h': 'struct z { char c[4]; };\n',
  });
  const r = run(['-I', 'inc', '-I', 'more', 'z'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /size: 1,/);
  assert.match(
    r.err,
    /'z' is defined in 4 places: struct z at inc\/z\.h:1; struct z at more\/z\.h:1; struct z at inc\/aa\/z\.h:1; struct z at inc\/aa\/deeper\/z\.h:1; analysing inc\/z\.h/,
  );
  // The first -I directory comes first among headers of the same depth.
  assert.match(run(['-I', 'more', '-I', 'inc', 'z'], dir).out, /size: 4,/);
});

test("-I DIR NAME: another target's multiarch directory comes last", () => {
  // (As /usr/include/aarch64-linux-gnu/bits/ beside x86_64-linux-gnu/bits/ where cross compilers are.)
  const dir = tree('layoutof-byname-multiarch-', {
    'inc/aarch64-linux-gnu/bits/m.h': 'struct m { char c[8]; };\n',
    'inc/i386-linux-gnu/bits/m.h': 'struct m { char c[4]; };\n',
    'inc/x86_64-linux-gnu/bits/m.h': 'struct m { char c[2]; };\n',
  });
  assert.match(run(['-I', 'inc', 'm'], dir).out, /size: 2,/);
  assert.match(run(['-I', 'inc', '--target', 'aarch64', 'm'], dir).out, /size: 8,/);
  assert.match(run(['-I', 'inc', '--target', 'i686', 'm'], dir).out, /size: 4,/);
});

test('NAME: when the first header leaves the name undefined (#if), the next one is analysed', () => {
  const dir = tree('layoutof-byname-next-', {
    'inc/a.h': '#ifdef NOPE\nstruct q { int a; };\n#endif\nstruct other { char o; };\n',
    'inc/sub/b.h': 'struct q { char c; };\n',
  });
  const r = run(['-I', 'inc', 'q', 'other'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^struct q \{\n\tchar /);
  assert.match(r.out, /struct other \{/);
  assert.equal(
    r.err,
    "layoutof: note: 'q' is defined in 2 places: struct q at inc/a.h:2 (#if defined(NOPE)); struct q at " +
      'inc/sub/b.h:1; inc/a.h does not define it in this configuration; analysing inc/sub/b.h (name a header ' +
      'as FILE to choose another)\n',
  );
  // In JSON too, with the note first among the document's diagnostics and nothing of the first try.
  const j = run(['-I', 'inc', '--format', 'json', 'q'], dir);
  assert.equal(j.code, 0, j.err);
  const doc = JSON.parse(j.out) as { records: { size: number }[]; diagnostics: { message: string }[] };
  assert.deepEqual(
    doc.records.map((x) => x.size),
    [1],
  );
  assert.equal(doc.diagnostics.length, 1);
  assert.match(doc.diagnostics[0]!.message, /does not define it in this configuration; analysing inc\/sub\/b\.h/);
  // Where the first one does define it, it is the one analysed.
  const on = run(['-I', 'inc', '-DNOPE', 'q'], dir);
  assert.match(on.out, /^struct q \{\n\tint /);
  assert.match(on.err, /; analysing inc\/a\.h \(name/);
  // Defined nowhere in this configuration: the last header's answer, an error.
  writeFileSync(join(dir, 'inc/sub/b.h'), '#ifdef NOPE2\nstruct q { char c; };\n#endif\n');
  const none = run(['-I', 'inc', 'q'], dir);
  assert.equal(none.code, 1);
  assert.match(none.err, /inc\/a\.h does not define it in this configuration; analysing inc\/sub\/b\.h/);
  assert.match(none.err, /error: no struct, union or typedef named 'q'/);
});

test('-p DB NAME: the first entry that includes the header, with its flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-byname-db-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'include'));
  writeFileSync(
    join(dir, 'include/wide.h'),
    '#ifdef WIDE\nstruct w { char c; long v; };\n#else\nstruct w { char c; short v; };\n#endif\n',
  );
  writeFileSync(join(dir, 'src/other.c'), 'int other;\n');
  writeFileSync(join(dir, 'src/user.c'), '#include <wide.h>\nstruct local { int a, b, c; };\n');
  const db = [
    { directory: dir, file: 'src/other.c', arguments: ['cc', '-c', 'src/other.c'] },
    { directory: dir, file: 'src/user.c', arguments: ['cc', '-DWIDE', '-Iinclude', '-c', 'src/user.c'] },
  ];
  writeFileSync(join(dir, 'compile_commands.json'), JSON.stringify(db));
  const r = run(['-p', dir, '--format', 'json', 'w'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(records(r.out)[0]!.size, 16); // -DWIDE: the long member
  assert.match(
    r.err,
    /'w' is defined in 2 places: struct w at include\/wide\.h:2 \(#if defined\(WIDE\)\); struct w at include\/wide\.h:4 \(#if !\(defined\(WIDE\)\)\)/,
  );
  // A database that cannot be read is an input error, in JSON too.
  const missing = run(['-p', join(dir, 'nope'), '--format', 'json', 'w'], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^layoutof: error: .*nope: No such file or directory\n$/);
  assert.equal((JSON.parse(missing.out) as { records: unknown[] }).records.length, 0);
  // In JSON the lookup's note leads the document's diagnostics.
  const notes = (JSON.parse(r.out) as { diagnostics: { severity: string; message: string }[] }).diagnostics;
  assert.deepEqual(
    notes.map((d) => d.severity),
    ['note'],
  );
  assert.match(notes[0]!.message, /^'w' is defined in 2 places/);
  const local = run(['-p', dir, 'local'], dir);
  assert.equal(local.code, 0, local.err);
  assert.match(local.out, /size: 12,/);
});

test('-p DB NAME: a header the entry includes through other headers, or by -include', () => {
  const dir = tree('layoutof-byname-reach-', {
    'include/app.h': '#include "app/types.h"\nstruct top { int t; };\n',
    'include/app/types.h': '#ifdef WIDE\nstruct deep { char c; long l; };\n#endif\n',
    'include/lonely.h': 'struct lonely { int z; };\n',
    'forced/config.h': 'struct cfg { short s; };\n',
    'src/a.c': 'int a;\n',
    'src/b.c': '#include <app.h>\n',
  });
  const db = [
    { directory: dir, file: 'src/a.c', arguments: ['cc', '-Iinclude', '-c', 'src/a.c'] },
    {
      directory: dir,
      file: 'src/b.c',
      arguments: ['cc', '-DWIDE', '-Iinclude', '-include', 'forced/config.h', '-c', 'src/b.c'],
    },
  ];
  writeFileSync(join(dir, 'compile_commands.json'), JSON.stringify(db));
  // types.h is reached from b.c through app.h: b.c's unit, with its -DWIDE.
  const deep = run(['-p', dir, 'deep', 'top'], dir);
  assert.equal(deep.code, 0, deep.err);
  assert.match(deep.out, /^struct deep \{[^]*size: 16,[^]*struct top \{/);
  assert.match(run(['-p', dir, 'cfg'], dir).out, /size: 2,/);
  // A header no entry reaches: said, with the way out.
  const lonely = run(['-p', dir, 'lonely'], dir);
  assert.equal(lonely.code, 1);
  assert.match(lonely.err, /no entry of the compilation database includes include\/lonely\.h; name a source file/);
});
