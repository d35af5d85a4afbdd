// Fuzzing the lexer and the preprocessor from real headers: tokens deleted, duplicated and swapped,
// brackets, quotes, comments, splices and #if/#endif/#define lines thrown in unbalanced, the text
// cut short. Every run must end in a result or in diagnostics that each carry a location, never
// in an exception. A brief fixed-seed run by default; FUZZ_RUNS=n runs n cases per property
// (FUZZ_SEED=s for another seed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { lex } from '../../src/cpp/lexer.js';
import { preprocess } from '../../src/cpp/preprocess.js';
import { TK } from '../../src/cpp/token.js';
import { Diagnostics } from '../../src/core/diag.js';
import { MemoryFileSystem } from '../../src/core/fs.js';
import { SourceManager } from '../../src/core/source.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 23);

const SEEDS = [
  'examples/ip_vs_conn.h',
  '/usr/include/linux/tcp.h',
  '/usr/include/x86_64-linux-gnu/sys/cdefs.h',
  '/usr/include/x86_64-linux-gnu/bits/types.h',
]
  .filter((p) => existsSync(p))
  .map((p) => readFileSync(p, 'latin1'));

/** A seed cut into pieces, one per token (with the blanks and comments after it). */
function pieces(text: string): string[] {
  const toks = lex({ id: 0, path: 'seed', text }).tokens;
  const out = [text.slice(0, toks[0]?.pos ?? text.length)];
  for (let k = 0; k + 1 < toks.length; k++) out.push(text.slice(toks[k]!.pos, toks[k + 1]!.pos));
  return out;
}
const SEED_PIECES = SEEDS.map(pieces);

const FRAGMENTS = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '/*',
  '*/',
  '//',
  '\\\n',
  '\\',
  '\0',
  '#',
  '##',
  '...',
  ',',
  '\n#if 1\n',
  '\n#if 0\n',
  '\n#ifdef X\n',
  '\n#elif\n',
  '\n#else\n',
  '\n#endif\n',
  '\n#define X(a, ...) a ## __VA_ARGS__ #a\n',
  '\n#define Y Y X(\n',
  '\n#undef X\n',
  '\n#include "aux.h"\n',
  '\n#include <missing.h>\n',
  '\n#pragma pack(push, 2)\n',
  '_Pragma(',
  'defined(',
  '__VA_OPT__(',
  '__has_include(',
  '\n#line 7\n',
  '\n#error e\n',
  '\xef\xbb\xbf',
  'L"',
  "u8'",
  '0x1e+',
  '<%',
  '%:%:',
];

type Op =
  | { k: 'delete' | 'duplicate'; at: number; len: number }
  | { k: 'swap'; at: number; to: number }
  | { k: 'insert'; at: number; frag: number }
  | { k: 'truncate'; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    k: fc.constantFrom('delete' as const, 'duplicate' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ k: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ k: fc.constant('insert' as const), at: fc.nat(), frag: fc.nat({ max: FRAGMENTS.length - 1 }) }),
  fc.record({ k: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(seed: number, ops: Op[]): string {
  const p = [...SEED_PIECES[seed % SEED_PIECES.length]!];
  let cut = -1;
  for (const o of ops) {
    if (p.length === 0) break;
    const at = o.at % p.length;
    if (o.k === 'delete') p.splice(at, o.len);
    else if (o.k === 'duplicate') p.splice(at, 0, ...p.slice(at, at + o.len));
    else if (o.k === 'swap') [p[at], p[o.to % p.length]] = [p[o.to % p.length]!, p[at]!];
    else if (o.k === 'insert') p.splice(at, 0, FRAGMENTS[o.frag]!);
    else cut = o.at;
  }
  const text = p.join('');
  return cut >= 0 ? text.slice(0, cut % (text.length + 1)) : text;
}

const input = fc.record({
  seed: fc.nat(),
  ops: fc.array(op, { minLength: 1, maxLength: 12 }),
  aux: fc.array(op, { maxLength: 4 }),
});

test('lexer: mutated headers lex to in-order tokens inside the text, ending in EOF', () => {
  fc.assert(
    fc.property(input, ({ seed, ops }) => {
      const text = mutate(seed, ops);
      const r = lex({ id: 0, path: 'f.h', text });
      let last = -1;
      for (const t of r.tokens) {
        assert.ok(t.pos >= last && t.pos <= text.length, `token at ${t.pos}`);
        last = t.pos;
      }
      assert.equal(r.tokens[r.tokens.length - 1]!.kind, TK.EOF);
      for (const e of r.errors) assert.ok(e.pos >= 0 && e.pos <= text.length);
    }),
    { numRuns: RUNS * 4, seed: SEED },
  );
});

test('preprocessor: mutated headers end in tokens or located diagnostics, never an exception', () => {
  for (const functionBodies of ['skip', 'keep'] as const) {
    fc.assert(
      fc.property(input, ({ seed, ops, aux }) => {
        const files = { '/main.c': mutate(seed, ops), '/aux.h': mutate(seed + 1, aux) };
        const sources = new SourceManager();
        const diags = new Diagnostics();
        const r = preprocess('/main.c', {
          fs: new MemoryFileSystem(files),
          target: DEFAULT_TARGET,
          sources,
          diags,
          macros: [],
          forcedIncludes: [],
          functionBodies,
          include: { quote: [], angled: [], system: [], builtin: [], after: [] },
        });
        assert.equal(r.tokens[r.tokens.length - 1]!.kind, TK.EOF);
        for (const d of diags.list) {
          assert.ok(d.loc, `no location: ${d.severity}: ${d.message}`);
          assert.ok(d.loc.pos >= 0 && d.loc.pos <= sources.get(d.loc.file).text.length, `${d.message} at ${d.loc.pos}`);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }
});
