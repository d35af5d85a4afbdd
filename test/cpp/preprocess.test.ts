import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pp } from '../support/pp.js';
import { preprocess, type Shortcuts } from '../../src/cpp/preprocess.js';
import { Diagnostics, formatDiagnostic } from '../../src/core/diag.js';
import { MemoryFileSystem } from '../../src/core/fs.js';
import { SourceManager } from '../../src/core/source.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import type { Token } from '../../src/cpp/token.js';

const one = (src: string) => pp({ '/main.c': src }).text;

test('object- and function-like macros, rescanning, self-reference', () => {
  assert.equal(one('#define A B\n#define B A\nA B'), 'A B');
  assert.equal(one('#define f(x) x + 1\nf(f(2))'), '2 + 1 + 1');
  assert.equal(one('#define f(x) #x\nf( a  "b\\n" \'c\' )'), '"a \\"b\\\\n\\" \'c\'"');
  assert.equal(one('#define cat(a,b) a##b\ncat(x, y) cat(1, 2) cat(,z) cat(w,)'), 'xy 12 z w');
  assert.equal(one('#define f(a) a\n#define g f\ng(1)'), '1');
  assert.equal(one('#define f(x) x\nf'), 'f');
});

test('the C standard examples of macro replacement (C11 6.10.3.5)', () => {
  const src = `#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0,1
#define t(a) a
#define p() int
#define q(x) x
#define r(x,y) x ## y
#define str(x) # x
f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
g(x+(3,4)-w) | h 5) & m
(f)^m(m);
p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
char c[2][6] = { str(hello), str() };`;
  assert.equal(
    one(src),
    [
      'f ( 2 * ( y + 1 ) ) + f ( 2 * ( f ( 2 * ( z [ 0 ] ) ) ) ) % f ( 2 * ( 0 ) ) + t ( 1 ) ;',
      'f ( 2 * ( 2 + ( 3 , 4 ) - 0 , 1 ) ) | f ( 2 * ( ~ 5 ) ) & f ( 2 * ( 0 , 1 ) ) ^ m ( 0 , 1 ) ;',
      'int i [ ] = { 1 , 23 , 4 , 5 , } ;',
      'char c [ 2 ] [ 6 ] = { "hello" , "" } ;',
    ].join(' '),
  );
});

test('variadic macros, __VA_OPT__, GNU comma elision and named variadics', () => {
  assert.equal(one('#define e(fmt, ...) p(fmt, ## __VA_ARGS__)\ne(a) e(a, b, c)'), 'p ( a ) p ( a , b , c )');
  assert.equal(one('#define v(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)\nv(1) v(1, 2)'), 'f ( 1 ) f ( 1 , 2 )');
  assert.equal(one('#define n(args...) g(args)\nn(1, 2)'), 'g ( 1 , 2 )');
});

test('#if expressions: arithmetic, unsigned promotion, defined, short-circuit, char constants', () => {
  assert.equal(one('#if -1 > 0u\nyes\n#else\nno\n#endif'), 'yes');
  assert.equal(one('#define A\n#if defined(A) && defined B\n1\n#elif defined A\n2\n#endif'), '2');
  assert.equal(one("#if 'a' == 97 && (1 ? 2 : (1/0)) == 2 && 0x7fffffffffffffff + 0 > 0\nok\n#endif"), 'ok');
  assert.equal(one('#if 0\n#if garbage (\n#endif\n#else\nok\n#endif'), 'ok');
  assert.equal(
    one('#ifdef __has_include\n#if __has_attribute(packed) && !__has_attribute(nonsense)\nok\n#endif\n#endif'),
    'ok',
  );
});

test('includes: quote, angled, include_next, pragma once, include guards', () => {
  const files = {
    '/main.c': '#include "a.h"\n#include "a.h"\n#include <b.h>\n#include "o.h"\n#include "o.h"\nend',
    '/a.h': '#ifndef A_H\n#define A_H\nin_a\n#endif\n',
    '/d1/b.h': 'b1\n#include_next <b.h>\n',
    '/d2/b.h': 'b2\n',
    '/o.h': '#pragma once\nonce\n',
  };
  assert.equal(pp(files, '/main.c', ['/d1', '/d2']).text, 'in_a b1 b2 once end');
});

test('pragmas reach the parser as tokens; _Pragma too', () => {
  const r = pp({ '/main.c': '#pragma pack(push, 4)\n_Pragma("pack(pop)") int x;' });
  assert.deepEqual(r.pragmas, ['pack(push, 4)', 'pack(pop)']);
  assert.equal(r.text, 'int x ;');
});

test('errors carry file:line:col and the include chain', () => {
  const r = pp({ '/main.c': 'a\n#include "h.h"\n', '/h.h': '\n#error stop here\n#include "missing.h"\n' });
  assert.deepEqual(r.errors, [
    'In file included from /main.c:2:2:\n/h.h:2:2: error: #error stop here',
    'In file included from /main.c:2:2:\n/h.h:3:2: error: missing.h: No such file or directory',
  ]);
});

test('hostile input ends in an error, in bounded time', () => {
  let bomb = '#define a0 x x x x x x x x x x\n';
  for (let i = 1; i < 12; i++)
    bomb += `#define a${i} a${i - 1} a${i - 1} a${i - 1} a${i - 1} a${i - 1} a${i - 1} a${i - 1} a${i - 1} a${i - 1} a${i - 1}\n`;
  const t0 = Date.now();
  const r = pp({ '/main.c': bomb + 'a11\n' });
  assert.match(r.errors.join('\n'), /more than \d+ tokens/);
  assert.ok(Date.now() - t0 < 30000);
  const cyc = pp({ '/main.c': '#include "a.h"\n', '/a.h': '#include "b.h"\n', '/b.h': '#include "a.h"\n' });
  assert.match(cyc.errors.join('\n'), /#include nested depth 200 exceeds maximum of 200/);
  const unterminated = pp({ '/main.c': '#define f(x) x\nf(1, 2\n' });
  assert.match(unterminated.errors.join('\n'), /unterminated argument list invoking macro "f"/);
  // Arguments left open inside an argument that is expanded first end there (an internal error once).
  const inner = pp({ '/main.c': '#define S(x) #x\n#define XS(x) S(x))\n#define A XS(\nA)A\n#if 1\nA)\n#endif\n' });
  assert.match(inner.errors.join('\n'), /unterminated argument list invoking macro "XS"/);
  const open = pp({ '/main.c': '#if 1\nx\n' });
  assert.match(open.errors.join('\n'), /unterminated conditional directive/);
});

test('function bodies: balanced macros stay unexpanded, unbalanced ones are expanded, declarations are not affected', () => {
  const r = pp({
    '/main.c':
      '#define M(x) (x+1)\n#define B {\nstatic inline int f(int a) { return M(a); }\nstruct __attribute__((packed)) s { int v[M(2)]; };\nint g(void) { B } }\nint z = M(3);\n',
  });
  assert.equal(
    r.text,
    'static inline int f ( int a ) { return M ( a ) ; } struct __attribute__ ( ( packed ) ) s { int v [ ( 2 + 1 ) ] ; } ; int g ( void ) { { } } int z = ( 3 + 1 ) ;',
  );
});

test('function bodies over several lines: only brackets, directives and possibly unbalanced macros come out', () => {
  const src = [
    '#define OPEN <%',
    '#define W(x) (x)',
    'static inline int f(int a)',
    '{',
    '\tconst char *s = "} // {";',
    "\tchar c = '{', d = '}';",
    '\t/* } */ int e = 0x1e+5; // }',
    '\tif (a) <% a = W(a); %>',
    '#define LATE 3',
    '#if 0',
    '\t}',
    '#endif',
    '\tOPEN a++; }',
    '\t_Pragma("GCC diagnostic push") return L"}" [0];',
    "\tchar bad = 'x;",
    '}',
    '/* after */ struct s { int v[LATE]; char w[W(2)]; };',
    '',
  ].join('\n');
  const skip = pp({ '/main.c': src });
  // Literals, comments and numbers hide no brace; <% %> are braces; OPEN may open one, so it expands;
  // the #define inside the body still counts; the struct after it is untouched.
  assert.equal(
    skip.text,
    'static inline int f ( int a ) { ( ) { W ( ) } { a ++ ; } return L"}" [ 0 ] ; } struct s { int v [ 3 ] ; char w [ ( 2 ) ] ; } ;',
  );
  assert.deepEqual(skip.pragmas, ['GCC diagnostic push']);
  const keep = pp({ '/main.c': src }, '/main.c', [], 'keep');
  assert.match(
    keep.text,
    /^static inline int f \( int a \) \{ const char \* s = "\} \/\/ \{" ; char c = '\{' , d = '\}' ; int e = 0x1e\+5 ; if \( a \) \{ a = \( a \) ; \} \{ a \+\+ ; \}/,
  );
  // The same comments and the same warning (the unterminated 'x;) either way.
  assert.deepEqual(skip.comments, keep.comments);
  assert.deepEqual(skip.warnings, keep.warnings);
  assert.equal(skip.warnings.length, 1);
});

test('function bodies: a macro found balanced is looked at again once a name its expansion reaches is (re)defined', () => {
  // OUTER reaches INNER: balanced while INNER is 1 (or not a macro at all), not once INNER is '{'.
  for (const before of ['#define INNER 1', '']) {
    const src = [
      '#define U {',
      before,
      '#define OUTER INNER',
      'int f(void)',
      '{',
      '\treturn OUTER;',
      '}',
      '#undef INNER',
      '#define INNER {',
      'int g(void)',
      '{',
      '\tOUTER return 0;',
      '}',
      '}',
      'struct s { int v; };',
      '',
    ].join('\n');
    assert.equal(
      pp({ '/main.c': src }).text,
      'int f ( void ) { OUTER } int g ( void ) { { return 0 ; } } struct s { int v ; } ;',
    );
  }
});

test('a reused object-like expansion: leading spaces, empty and blocked macros on the way, redefinitions', () => {
  const src = [
    '#define S(x) #x',
    '#define XS(x) S(x)',
    '#define E',
    '#define A B C',
    '#define B D',
    '#define D',
    '#define I E C',
    '#define R R x',
    '#define P Q',
    '#define Q P y',
    '#define L W',
    // Each macro used twice, so that the second use is the reused one.
    'XS((A)) XS(( A)) XS((A)) XS(( A)) XS([I]) XS([I]) R R P P Q Q L L',
    '#define W 1',
    'L L',
    '#undef D',
    '#define D 2 +',
    'A A XS((A)) XS((A))',
    '#define F(x) [x]',
    '#define G F',
    'G(3) G(3) G G',
  ].join('\n');
  assert.equal(
    pp({ '/main.c': src }).text,
    [
      // (B is empty, so C keeps its own space, as gcc -E spells it.)
      '"( C)" "( C)" "( C)" "( C)" "[ C]" "[ C]" R x R x P y P y Q y Q y W W',
      '1 1',
      '2 + C 2 + C "(2 + C)" "(2 + C)"',
      '[ 3 ] [ 3 ] F F',
    ].join(' '),
  );
});

test('each shortcut changes nothing: random macro programs (#define lines spelled every way, expansions reused, function bodies) give the same tokens, hidesets, spaces, sites, macros and diagnostics with each accelerator alone, all or none', () => {
  const names = ['A', 'B', 'C', 'D'];
  const piece = fc.constantFrom(
    ...names,
    'F',
    'G',
    '(',
    ')',
    ',',
    '+',
    '1',
    'x',
    '_Pragma("p")',
    '__LINE__',
    'A ## B',
    '#',
    'XS(',
    'E',
    '{',
    '}',
  );
  const body = fc
    .array(fc.tuple(piece, fc.boolean()), { maxLength: 6 })
    .map((ps) => ps.map(([p, sp]) => (sp ? ' ' : '') + p).join(''));
  // #define lines spelled every way (those spelled plainly are read as text, the rest lexed).
  const directive = fc.constantFrom(
    '#define ',
    '# define ',
    '#\tdefine\t',
    '#  define  ',
    '#/**/define ',
    '%:define ',
    '#define\\\n ',
    '#define',
    '#define /* c */ ',
  );
  const params = fc.constantFrom(
    '',
    ' ',
    '(x)',
    '( x , y )',
    '(x,y)',
    '()',
    '( )',
    '(...)',
    '(x, ...)',
    '(x...)',
    '(x /*c*/)',
    '(x\\\n)',
    ' (x)',
    '(x,)',
    '(1)',
    '(x y)',
    '(x',
    '"s"',
    '\\\n(x)',
  );
  const defineName = fc.constantFrom(...names, 'F', 'G', 'L', 'defined', 'A\u00e9', '1', 'A$b');
  const line = fc.oneof(
    fc.tuple(fc.constantFrom(...names), body).map(([n, b]) => `#define ${n} ${b}`),
    fc.tuple(fc.constantFrom('F', 'G'), body).map(([n, b]) => `#define ${n}(x) ${b} x`),
    fc.tuple(directive, defineName, params, body).map(([d, n, p, b]) => `${d}${n}${p} ${b} x y __VA_ARGS__`),
    fc.constantFrom(...names, 'F').map((n) => `#undef ${n}`),
    body,
    body,
    fc.constantFrom('int f(void) {', 'void g(int a) { A F(', '}'),
  );
  const run = (src: string, shortcuts: boolean | Shortcuts): string[] => {
    const sources = new SourceManager();
    const diags = new Diagnostics();
    const r = preprocess('/main.c', {
      fs: new MemoryFileSystem({ '/main.c': src }),
      target: DEFAULT_TARGET,
      sources,
      diags,
      macros: [],
      forcedIncludes: [],
      include: { quote: [], angled: [], system: [], builtin: [], after: [] },
      shortcuts,
    });
    const spell = (t: Token): string =>
      `${t.kind}|${t.text}|${t.file}:${t.pos}|${t.flags}|${[...(t.hideset ?? [])].sort().join(',')}|${t.site ? `${t.site.file}:${t.site.pos}` : ''}|${t.cond?.text ?? ''}`;
    const macros = [...r.macros.values()].map(
      (m) =>
        `${m.name}|${m.funcLike}|${m.params.join(',')}|${m.variadic}|${m.loc?.file}:${m.loc?.pos}|${m.body.map(spell).join(' ')}`,
    );
    return [...r.tokens.map(spell), ...macros, ...diags.list.map((d) => formatDiagnostic(d, sources))];
  };
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 16 }), (lines) => {
      const src = [
        '#define S(x) #x',
        '#define XS(x) S(x)',
        '#define E',
        ...lines,
        '#if 1',
        ...lines,
        '#endif',
        '',
      ].join('\n');
      const general = run(src, false);
      assert.deepEqual(run(src, true), general);
      for (const only of ['flat', 'plainDefines', 'balances'] as const) {
        assert.deepEqual(run(src, { flat: false, plainDefines: false, balances: false, [only]: true }), general, only);
      }
    }),
    { numRuns: 1200 },
  );
});

test('#define bodies are lexed when first used: comments, literals, splices and digraphs inside them', () => {
  const r = pp({
    '/main.c': [
      '#define A /* a comment over',
      '   two lines */ 1 + 2',
      '#define S "/* no comment" x // a comment',
      "#define C '\\'' y",
      '#define L(x) x \\',
      '  + 1',
      '#define F(x)(x)',
      '#define G (y)',
      '#define B <% %> {',
      'int a = A; char *s = S; int c = C; int l = L(4); int f = F(5); int g = G; B',
      '',
    ].join('\n'),
  });
  assert.equal(
    r.text,
    "int a = 1 + 2 ; char * s = \"/* no comment\" x ; int c = '\\'' y ; int l = 4 + 1 ; int f = ( 5 ) ; int g = ( y ) ; { } {",
  );
  assert.equal(r.comments.length, 2);
  assert.deepEqual(r.errors, []);
});

test("#define lines inside a macro's arguments, read as text or lexed, define as gcc does", () => {
  // gcc -E: [1 2 (3) 4]
  const src = '#define f(x) [x]\nf(1\n#define Y 2\nY\n#define Z(a) (a)\nZ(3)\n# /**/ define W 4\nW)\n';
  assert.equal(one(src), '[ 1 2 ( 3 ) 4 ]');
  for (const shortcuts of [false, { plainDefines: false }]) {
    const r = preprocess('/main.c', {
      fs: new MemoryFileSystem({ '/main.c': src }),
      target: DEFAULT_TARGET,
      sources: new SourceManager(),
      diags: new Diagnostics(),
      macros: [],
      forcedIncludes: [],
      include: { quote: [], angled: [], system: [], builtin: [], after: [] },
      shortcuts,
    });
    assert.equal(
      r.tokens
        .filter((t) => t.text)
        .map((t) => t.text)
        .join(' '),
      '[ 1 2 ( 3 ) 4 ]',
    );
  }
});
