// --kernel DIR and -p compile_commands.json from the command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceCli } from '../support/source-cli.js';
import { findKernelHeaders } from '../support/kernel.js';
import { splitCommand } from '../../src/kernel/compdb.js';
import { flagMacroEffects } from '../../src/kernel/flags.js';

const run = (args: string[], cwd?: string) => sourceCli(args, { cwd });
const headers = findKernelHeaders();

test(
  '--kernel: the ip_vs_conn answer as markdown, with both spellings and the comment headings',
  { skip: !headers && 'no kernel headers' },
  () => {
    const r = run(['--kernel', headers!, '--format', 'markdown', 'net/ip_vs.h', 'ip_vs_conn']);
    assert.equal(r.code, 0, r.err);
    for (const heading of [
      'Protocol, addresses and port numbers',
      'counter and timer',
      'Flags and state transition',
      'Control members',
    ]) {
      assert.match(r.out, new RegExp(`\\*\\*${heading}\\*\\*`));
    }
    // (struct rcu_head is declared aligned: the 7-byte hole before it is one pahole calls forced.)
    assert.match(
      r.out,
      /\| 265 \| 7 \| \| \| _7-byte hole: callback\\_head \(struct callback\\_head\) is explicitly aligned to 8 bytes_ \|/,
    );
    assert.match(
      r.out,
      /\| 272 \| 16 \| `struct callback_head` \| `callback_head` \| source: `struct rcu_head rcu_head`; explicitly aligned to 8 \|/,
    );
    assert.match(
      r.out,
      /\*\*288 bytes\*\*, alignment 8, 5 cachelines of 64, 32 members, 5 holes \(23 bytes\), 0 bytes of tail padding, 4 bytes of padding inside `timer`, 1 explicitly aligned member, with a 7-byte hole before it\./,
    );
  },
);

test(
  '--kernel: memory for a million connections with SLAB_HWCACHE_ALIGN and the IPVS hash table',
  { skip: !headers && 'no kernel headers' },
  () => {
    const r = run([
      '--kernel',
      headers!,
      'net/ip_vs.h',
      'ip_vs_conn',
      '--count',
      '1000000',
      '--object-align',
      '64',
      '--hash-buckets',
      '4096',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /struct ip_vs_conn: 1,000,000 objects × 320 bytes \(288 rounded up to 64\) = 320,000,000 bytes/,
    );
  },
);

test('--kernel: a tree that is not prepared says what is missing and how to make it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-ktree-'));
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  writeFileSync(join(dir, '.config'), 'CONFIG_X86_64=y\n');
  writeFileSync(join(dir, 'Makefile'), '# top\n');
  writeFileSync(join(dir, 'include/linux/kconfig.h'), '\n');
  const r = run(['--kernel', dir, 'linux/types.h']);
  assert.equal(r.code, 1);
  assert.match(r.err, /not prepared: include\/generated\/autoconf\.h is missing; run 'make modules_prepare'/);
});

test("-p compile_commands.json: the entry's include paths and macros apply", () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-cdb-'));
  mkdirSync(join(dir, 'inc'));
  writeFileSync(join(dir, 'inc/cfg.h'), '#ifdef WIDE\ntypedef long word_t;\n#else\ntypedef short word_t;\n#endif\n');
  writeFileSync(join(dir, 'a.c'), '#include <cfg.h>\nstruct rec { char c; word_t w; };\n');
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'a.c', command: 'cc -Iinc "-DWIDE=1" -O2 -c a.c -o a.o' }]),
  );
  const r = run(['-p', dir, '--format', 'json', 'a.c', 'rec'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).records[0].size, 16);
  const missing = run(['-p', dir, 'b.c'], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no compile command for b\.c/);
});

test('compiler flags change predefined macros as gcc does; shell words split as sh does', () => {
  assert.deepEqual(splitCommand(`gcc -DA='"x y"' "-DB=\\"q\\"" a\\ b.c`), ['gcc', '-DA="x y"', '-DB="q"', 'a b.c']);
  const ops = flagMacroEffects(['-mno-sse', '-O2', '-fshort-wchar', '-std=gnu11', '-mcmodel=kernel']);
  assert.ok(ops.some(([k, v]) => k === 'U' && v === '__SSE__'));
  assert.ok(ops.some(([k, v]) => k === 'D' && v === '__OPTIMIZE__=1'));
  assert.ok(ops.some(([k, v]) => k === 'D' && v === '__SIZEOF_WCHAR_T__=2'));
  assert.ok(ops.some(([k, v]) => k === 'D' && v === '__STDC_VERSION__=201112L'));
  assert.ok(ops.some(([k, v]) => k === 'D' && v === '__code_model_kernel__=1'));
});
