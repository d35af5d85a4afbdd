// DWARF from gcc -g, then damaged where readelf says an attribute is: a member whose type is its own
// struct, a reference to no DIE, a size too small for the members. Each is a located error and an
// incomplete record (members up to the bad one), and --expand ends. Typedef names of anonymous
// records are found as `pahole -C` finds them, and `--all` lists those records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeBinary } from '../../src/binary/index.js';
import { readElf } from '../../src/binary/elf.js';
import { haveTool } from '../support/gcc-truth.js';

const skip = (!haveTool('gcc') || !haveTool('readelf')) && 'gcc/readelf not installed';
const CLI = ['--import', 'tsx', 'src/cli/run.ts', '--no-cache'];

/** The .debug_info offset of attribute `attr` of the DIE (tag `tag`) named `name`, from readelf. */
function attrOffset(dump: string, tag: string, name: string, attr: string): number {
  const dies = dump.split(/\n(?= <\d+><)/);
  const die = dies.find((d) => d.includes(`(${tag})`) && new RegExp(`DW_AT_name\\s*:.*\\b${name}\\n`).test(d + '\n'));
  assert.ok(die, `${tag} ${name}`);
  const m = new RegExp(`<([0-9a-f]+)>\\s+${attr}\\s*:`).exec(die)!;
  return parseInt(m[1]!, 16);
}

test(
  'DWARF: a struct containing itself, a reference to nothing, a size too small: located, incomplete',
  { skip },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-dwv-'));
    try {
      writeFileSync(
        join(dir, 's.c'),
        'struct inner { int x; };\nstruct outer { int a; struct inner in; long b; };\nstruct outer o;\n',
      );
      const obj = join(dir, 's.o');
      assert.equal(spawnSync('gcc', ['-gdwarf-4', '-c', '-o', obj, join(dir, 's.c')]).status, 0);
      const bytes = new Uint8Array(readFileSync(obj));
      const dump = execFileSync('readelf', ['--debug-dump=info', obj], { encoding: 'utf8' });
      const info = readElf(bytes).sections.find((s) => s.name === '.debug_info')!;
      const outer = parseInt(
        /<1><([0-9a-f]+)>: Abbrev Number: \d+ \(DW_TAG_structure_type\)\n.*outer/.exec(dump)![1]!,
        16,
      );
      const inType = info.offset + attrOffset(dump, 'DW_TAG_member', 'in', 'DW_AT_type');
      const patched = (at: number, write: (dv: DataView) => void): string => {
        const b = bytes.slice();
        write(new DataView(b.buffer, at));
        const p = join(dir, `p${at}.o`);
        writeFileSync(p, b);
        return p;
      };
      const read = (p: string) => analyzeBinary(new Uint8Array(readFileSync(p)), { path: 'p.o' });

      // struct outer { ...; struct outer in; ... }: an error at the member, members up to it kept.
      const self = patched(inType, (dv) => dv.setUint32(0, outer, true));
      const r = read(self);
      const rec = r.records.find((x) => x.name === 'outer')!;
      assert.deepEqual(
        rec.members.map((m) => m.name),
        ['a'],
      );
      assert.equal(r.diagnostics.errors, 1);
      const where = `p.o+0x${(info.offset + attrOffset(dump, 'DW_TAG_member', 'in', 'DW_AT_name') - 1).toString(16)}`;
      assert.deepEqual(
        r.diagnostics.list.map((d) => `${d.where}: ${d.message}`),
        [
          `${where}: struct outer is incomplete: DWARF member 'in' at 0x${(attrOffset(dump, 'DW_TAG_member', 'in', 'DW_AT_name') - 1).toString(16)}: the struct at 0x${outer.toString(16)} contains itself`,
        ],
      );
      assert.deepEqual([...r.incomplete.keys()], [rec]);
      // The command line: exit 1, the error, no stack overflow with --expand.
      const cli = spawnSync(process.execPath, [...CLI, '--expand', self, 'outer'], { encoding: 'utf8' });
      assert.equal(cli.status, 1, cli.stderr);
      assert.match(cli.stderr, /contains itself/);
      assert.doesNotMatch(cli.stderr, /\n\s+at |Maximum call stack/);

      // A reference to an offset where no DIE is (printed as `void in` before).
      const none = read(patched(inType, (dv) => dv.setUint32(0, 0x7ff0, true)));
      assert.match(
        none.diagnostics.list[0]!.message,
        /^struct outer is incomplete: DWARF DIE 0x[0-9a-f]+ refers to 0x7ff0, where there is no DIE$/,
      );
      assert.deepEqual(
        none.records.find((x) => x.name === 'outer')!.members.map((m) => m.name),
        ['a'],
      );

      // struct outer claiming 6 bytes: `in` (bytes 4-8) is past its end.
      const small = read(
        patched(info.offset + attrOffset(dump, 'DW_TAG_structure_type', 'outer', 'DW_AT_byte_size'), (dv) =>
          dv.setUint8(0, 6),
        ),
      );
      assert.match(
        small.diagnostics.list[0]!.message,
        /^struct outer is incomplete: DWARF member 'in' at 0x[0-9a-f]+ at bit 32 \(32 bits\) is outside the 6-byte struct/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'DWARF: typedef names find anonymous records (as pahole -C), and --all lists them',
  { skip: (skip || !haveTool('pahole')) && 'gcc/pahole not installed' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-dwt-'));
    try {
      const src = join(dir, 'tu.c');
      writeFileSync(
        src,
        'typedef struct { char c; long l; } anon_t;\ntypedef union { int i; char b[6]; } anon_u;\nstruct named { int a; anon_t t; };\ntypedef struct named named_t;\nanon_t x; anon_u y; named_t z;\n',
      );
      const obj = join(dir, 'tu.o');
      assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, src]).status, 0);
      const ours = spawnSync(process.execPath, [...CLI, '--format', 'pahole', obj, 'anon_t'], { encoding: 'utf8' });
      assert.equal(ours.status, 0, ours.stderr);
      assert.equal(ours.stdout, execFileSync('pahole', ['-C', 'anon_t', obj], { encoding: 'utf8' }));
      // (pahole -C prints an anonymous union's typedef without its body: compared by size here.)
      const u = spawnSync(process.execPath, [...CLI, obj, 'anon_u'], { encoding: 'utf8' });
      assert.match(u.stdout, /^typedef union \{\n[^]*size: 8, cachelines: 1, members: 2 [^]*\} anon_u;\n$/);
      const all = spawnSync(process.execPath, [...CLI, obj, '--all', '--format', 'json'], { encoding: 'utf8' });
      const recs = (JSON.parse(all.stdout) as { records: { name: string | null; typedef?: string; size: number }[] })
        .records;
      assert.deepEqual(
        recs.map((r) => [r.name, r.typedef ?? null, r.size]),
        [
          [null, 'anon_t', 16],
          [null, 'anon_u', 8],
          ['named', null, 24],
        ],
      );
      const diff = spawnSync(process.execPath, [...CLI, '--diff', src, obj], { encoding: 'utf8' });
      assert.match(diff.stdout, /0 changed, 3 identical/);
      assert.doesNotMatch(diff.stdout, /missing|only in/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
