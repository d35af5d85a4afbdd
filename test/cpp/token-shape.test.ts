// Every token has token()'s fields in token()'s order (one hidden class for V8), also those the hot
// makers spell out as object literals: the lexer's, an expansion's (subst, the flat expansions'
// stamp) and a #define line's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../src/cpp/preprocess.js';
import { Diagnostics } from '../../src/core/diag.js';
import { MemoryFileSystem } from '../../src/core/fs.js';
import { SourceManager } from '../../src/core/source.js';
import { lex, lexDefineBody, Lexer } from '../../src/cpp/lexer.js';
import { TK, token, type Token } from '../../src/cpp/token.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';

const KEYS = Object.keys(token(TK.Ident, 'x', 0, 0, 0)).join();
const SRC =
  '#define ONE 1\n#define TWO ONE + ONE\n#define F(a, b) ((a) * (b) + TWO)\n#define /* lexed */ G(x) x ## 1\n' +
  'int v = F(2, 0x1f) + TWO + G(3) + .5e+1; char s[] = "s" L"w"; int w = \'c\';\n' +
  'struct q { int a; } ; x -> y ... ; <: :> %: @\n';

function shapes(toks: readonly Token[]): void {
  for (const t of toks) assert.equal(Object.keys(t).join(), KEYS, `${t.kind} ${t.text}`);
}

test("the lexer's tokens and a #define line's have token()'s shape", () => {
  const file = { id: 0, path: '/t.c', text: SRC };
  shapes(lex(file).tokens);
  const lx = new Lexer(file, 0, true, true);
  const out: Token[] = [];
  while (lx.line(out));
  assert.ok(out.some((t) => t.kind === TK.Define));
  shapes(out);
  shapes(lexDefineBody(file, { start: SRC.indexOf('((a)'), end: SRC.indexOf('\n#define /*') }));
});

test("a unit's output tokens (expansions, flat and stamped) have token()'s shape", () => {
  const r = preprocess('/t.c', {
    fs: new MemoryFileSystem({ '/t.c': SRC }),
    target: DEFAULT_TARGET,
    sources: new SourceManager(),
    diags: new Diagnostics(),
    macros: [],
    forcedIncludes: [],
    include: { quote: [], angled: [], system: [], builtin: [], after: [] },
  });
  assert.ok(r.tokens.some((t) => t.site !== undefined));
  shapes(r.tokens);
});
