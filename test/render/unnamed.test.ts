// A record type with neither a tag nor a typedef name can be shown only by its members: every view
// inlines it wherever a member has it, directly, through qualifiers, or as an array's element (whose
// first element is then shown); a typedef'd one is a name and stays one. Source and DWARF of the same
// file render alike (the DWARF reading used to expand typedef'd ones in JSON, the source reading not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveTool } from '../support/gcc-truth.js';

const SRC = `typedef struct { int counter; } atomic_t;
struct outer {
\tint a;
\tconst struct { int x; char y; } q;
\tstruct { short s; } arr[2];
\tvolatile union { int i; float f; } vu;
\tconst struct { long l; };
\tatomic_t refs;
};
struct outer use_it;
`;

const run = (args: string[]) =>
  spawnSync(join(process.cwd(), 'bin/layoutof'), ['--no-cache', ...args], { encoding: 'utf8' });

function files(): { src: string; obj?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-unnamed-'));
  const src = join(dir, 'u.c');
  writeFileSync(src, SRC);
  if (!haveTool('gcc')) return { src };
  const obj = join(dir, 'u.o');
  assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, src]).status, 0);
  return { src, obj };
}

test('unnamed record types are inlined through qualifiers and arrays, in text, markdown and JSON', () => {
  const { src } = files();
  const text = run([src, 'outer']).stdout;
  assert.match(text, /\tconst struct \{\n\t\tint +x;.*\n\t\tchar +y;.*\n\t\} q; +\/\* +4 +8 \*\//);
  assert.match(text, /\tstruct \{\n\t\tshort +s; +\/\* +12 +2 \*\/\n\t\} arr\[2\]; +\/\* +12 +4 \*\//);
  assert.match(text, /\tvolatile union \{\n/);
  assert.match(text, /\tconst struct \{\n\t\tlong +l;.*\n\t\}; +\/\* +24 +8 \*\//);
  assert.match(text, /\tatomic_t +refs; +\/\* +32 +4 \*\//);
  const md = run(['--format', 'markdown', src, 'outer']).stdout;
  assert.match(md, /\| 12 \| 4 \| `struct \{` \| `arr\[2\]` \|/);
  assert.match(md, /\| 12 \| 2 \| &nbsp;&nbsp;`short` \| `arr\[0\]\.s` \|/);
  const json = JSON.parse(run(['--format', 'json', src, 'outer']).stdout);
  const byName = Object.fromEntries(json.records[0].members.map((x: { name: string | null }) => [x.name ?? '', x]));
  assert.deepEqual(
    byName.q.members.map((x: { name: string; offset: number }) => [x.name, x.offset]),
    [
      ['x', 4],
      ['y', 8],
    ],
  );
  assert.deepEqual(
    byName.arr.members.map((x: { name: string; offset: number }) => [x.name, x.offset]),
    [['s', 12]],
  );
  assert.equal(byName.vu.members.length, 2);
  assert.equal(byName[''].members[0].name, 'l');
  assert.equal(byName.refs.members, undefined);
});

test(
  'source and DWARF of one file render unnamed records alike',
  { skip: !haveTool('gcc') && 'gcc not installed' },
  () => {
    const { src, obj } = files();
    for (const format of ['text', 'markdown', 'json']) {
      const a = run(['--format', format, src, 'outer']).stdout;
      const b = run(['--format', format, obj!, 'outer']).stdout;
      // (Only what a binary cannot know differs: the source position, alignments it infers, and the
      // base types' spellings.)
      const norm = (s: string) =>
        s
          .replace(/Defined at .*\n\n/, '')
          .replace(/ *"(file|line|alignInferred)": .*\n/g, '')
          .replace(/ \(inferred\)/g, '')
          .replace(/,\n(\s*)\}/g, '\n$1}')
          .replace(/short int/g, 'short')
          .replace(/long int/g, 'long')
          .replace(/ +/g, ' ');
      assert.equal(norm(b), norm(a), format);
    }
  },
);

test("--expand in JSON lists a named record member's members too, as the text view inlines them", () => {
  const { src } = files();
  const plain = JSON.parse(run(['--format', 'json', src, 'outer']).stdout).records[0].members;
  const expanded = JSON.parse(run(['--format', 'json', '--expand', src, 'outer']).stdout).records[0].members;
  const refs = (ms: { name: string | null; members?: { name: string; offset: number }[] }[]) =>
    ms.find((x) => x.name === 'refs')!;
  assert.equal(refs(plain).members, undefined);
  assert.deepEqual(
    refs(expanded).members!.map((x) => [x.name, x.offset]),
    [['counter', 32]],
  );
  // Everything else is the same.
  const strip = (ms: unknown) =>
    JSON.stringify(ms, (k, v) =>
      k === 'members' && Array.isArray(v) && v.length === 1 && v[0].name === 'counter' ? undefined : v,
    );
  assert.equal(strip(expanded), strip(plain));
});
