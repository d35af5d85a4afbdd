// Type-feedback priming for a cold run. V8 optimises a hot function from the types and paths it has
// seen; a path first taken after that (a splice, a literal prefix, a token at the very end of a file,
// a rare directive) throws the optimised code away, and recompiling the lexer's or the preprocessor's
// main loop costs tens of milliseconds each time. So before a large source input, a small synthetic
// translation unit that takes every such path is run once, in memory (its results are dropped; nothing
// it does is kept but V8's feedback).
import { setFlagsFromString } from 'node:v8';
import { MemoryFileSystem } from '../core/fs.js';
import { analyzeSourceText, type SourceResult } from '../api.js';
import { DEFAULT_TARGET, type Target } from '../target/target.js';
import { analyzeRecord } from '../analyze/layout-view.js';
import { renderJson } from '../render/json.js';
import { explainHoles } from '../analyze/hole-cause.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';

export function primerText(): string {
  let s =
    '#pragma once\n#include "a.h"\n#include <b.h>\n' +
    '#if defined(A_H) && __has_include(<b.h>) && __has_attribute(packed)\n#define OK 1\n#elif 0\n#else\n#endif\n';
  s +=
    '#define CAT(a, b) a ## b\n#define STR(x) #x\n#define XSTR(x) STR(x)\n' +
    '#define VA(f, ...) f(0, ##__VA_ARGS__)\n#define OPT(a, ...) a __VA_OPT__(+ __VA_ARGS__)\n';
  s +=
    '#define EMPTY\n#define SELF SELF + 1\n#define OPEN <%\n#define LONG_NAME_FOR_A_MACRO_WITH_A_SPLICE 1 + \\\n' +
    ' 2\n_Pragma("GCC diagnostic push")\n#pragma pack(push, 4)\n#pragma pack(pop)\n';
  // An object-like macro reaching only object-like ones, used again and again (the kernel's `inline`):
  // its expansion is made once and reused (Preprocessor.flatExpansion).
  s += '#define PRIMER_UNUSED __attribute__((__unused__))\n#define inline inline PRIMER_UNUSED EMPTY\n';
  for (let i = 0; i < 3; i++) {
    s +=
      `#ifndef G${i}\n#define G${i}\n#define M${i}(x, y) ((x) + (y) * ${i}UL)\n` +
      `#define O${i} M${i}(1, CAT(0x, ${i}e+1))\n#endif\n`;
    // Parameters longer than a character (one-character strings are V8's interned ones, others are
    // not: a compare that saw only the first kind is thrown away at the second), '%' and '%>' in
    // bodies, and a splice, comments and a '/' in a false group (after a token: comments right after
    // the #if line are stepped over by the lexer's look-ahead, not by skipToDirective).
    s +=
      `#define MOD${i}(value, modulus) ((value) % (modulus))\n#define NV${i}(fmt, args...) fmt(args)\n` +
      `#define CLOSE${i} %>\n#if 0\nskipped \\\n line ${i} /* c */ a / b // c\n#endif\n`;
    // #define lines of every shape: those read as text (empty, variadic and named variadic
    // parameters) and those lexed (a comment in the line, a splice).
    s +=
      `extern int vf${i}(const char *, ...);\n#define\tTB${i}\t1\n#define EF${i}( ) 1\n#define EG${i}() 1\n` +
      `#define PL${i}( a ,b ) a\n#define VX${i}(x...) x\n#define VY${i}(a, ...) a\n# define SP${i} 1\n` +
      `#define /* c */ SD${i} 1\n#define SS${i}\\\n(x) x\n`;
    s += `#ifdef G${i}\ntypedef unsigned long t${i}_t;\n#endif\n`;
    s +=
      `static inline int f${i}(int a, const char *p)\n{\n\tconst char *s = "} // {" L"w" u8"x";\n` +
      `\tchar c = '{', d = '\\'', e = u'x';\n`;
    s +=
      `\t/* } */ int q = a / 2; int n = 0x1e+5 + 1.5e-3f + .5 + 07 + 0b1; // }\n` +
      `\tif (a >= 1 && a <<= 2 || a->b ... [0] %: <: :>) <% a = M${i}(a, O${i}); %>\n`;
    s += `\tOPEN a++; }\n\tre\\\nturn STR(a) XSTR(O${i}) [0] + SELF + VA(f) + OPT(1) + OPT(1, 2) EMPTY;\n}\n`;
    s +=
      `struct __attribute__((packed)) s${i} { int a : 3, : 0; unsigned b : ${(i % 30) + 1}; ` +
      `char c[M${i}(1, 2) & 7]; long d __attribute__((aligned(16)));\n`;
    s += `\tunion { short u; struct { char x, y; }; }; void (*fp)(int, struct s${i} *); t${i}_t e[]; };\n`;
    s += `enum e${i} { E${i}A = ${i}, E${i}B = sizeof(struct s${i}), E${i}C = _Alignof(long) };\n`;
    s +=
      `extern int v${i}[E${i}B], *w${i}(void) __asm__("w");\ntypedef struct { int q; } anon${i}_t;\n` +
      `_Static_assert(sizeof(int) == 4, "int");\n`;
    // The same paths outside function bodies (whose text is mostly stepped over, see Lexer.bodyToken):
    // comments at file scope and in #define bodies, an #else after a taken group, operators and
    // exponents in constant expressions, builtin macros, a directive inside macro arguments,
    // initializers, typeof, typedef chains, and members and parameters of every kind of type.
    s +=
      `/* file scope ${i} */ // line comment\n#define CM${i}(a) /* in a body */ (a) // trailing\n` +
      `#define CB${i} 1 /* two\n lines */ + 2 \\ \n + 3\n#define DV${i} (4 / 2) <\\\n< 1\n#define BR${i} { 0 }\n` +
      `#if 0\n/* skipped */\n// comment\n#endif\n`;
    s +=
      `#ifdef G${i}\n#else\n#endif\n#ifndef NOT_DEFINED_${i}\n#else\n#endif\n#if 0\n# if 1\n# else\n# endif\n` +
      `#elif defined(G${i}) || ((1 ^ 2) | (3 >> 1) && 4 <= 5)\n#else\n#endif\n`;
    s +=
      `enum ops${i} { OA${i} = (1 || 0) ^ 3 | 4 >> 1, OB${i} = (1 << 2 >= 3) && !0, OC${i} = ~0 % 7 - 1, ` +
      `OD${i} = 0xffffffffffffffffULL > 0, OE${i} = (int)1e+1, OF${i} = __LINE__ + __COUNTER__ + CM${i}(CB${i}) };\n`;
    s +=
      `static const char str${i}[] = "abc" /* c */ "d";\n` +
      `int arr${i}[] = { 1, [3] = 2, VA(f, 1, 2), OPT(1, 2), M${i}(1, 2), DV${i}, 1e+1, 1E-1, 0x1p+1, 0x1P-1 };\n` +
      `int hash${i} = CM${i}(\n#ifdef G${i}\n1\n#else\n2\n#endif\n);\n`;
    s +=
      `typeof(1 + 2) tv${i}; __typeof__(arr${i}[0]) tw${i};\n` +
      `typedef t${i}_t t${i}b_t; typedef const t${i}b_t t${i}c_t;\n` +
      `typedef int (*cb${i}_t)(int a[], char (*b)[2], void (*c)(void), struct s${i} s, enum e${i} e, t${i}c_t t);\n`;
    s +=
      `struct m${i} { enum e${i} em; float fl; double db; long double ld; _Bool bo; void *vp; char (*pa)[4]; ` +
      `t${i}c_t tc; cb${i}_t cb; anon${i}_t an; struct s${i} *sp; union { int ui; } un; const struct { int cq; }; ` +
      `int; volatile int vo; __extension__ long ext;\n`;
    s +=
      `\tlong al __attribute__((aligned(sizeof(long) * 2))); char pk __attribute__((__packed__)); ` +
      `short ap __attribute__((aligned(4), packed)); int md __attribute__((mode(DI))); ` +
      `unsigned long long big : 40; } __attribute__((__aligned__(8)));\n`;
  }
  // A macro that a kept expansion and a brace balance read, redefined: both memos are dropped.
  s += '#undef PRIMER_UNUSED\n#define PRIMER_UNUSED __attribute__((unused))\n#undef M0\n#define M0(x, y) (x)\n';
  return s + 'int last_identifier_at_eof';
}

let primed = false;

/** The primer's analysis (exported for its test: a primer that stops parsing early primes little). */
export function runPrimer(target: Target): SourceResult {
  const fs = new MemoryFileSystem({
    '/p/a.h': '#ifndef A_H\n#define A_H\nint a_h_ends_in_a_number = 1',
    '/p/inc/b.h': '#pragma once\nstruct b { int x; };\n#define B_ENDS_IN_A_PUNCTUATOR 1 +',
  });
  return analyzeSourceText(primerText(), {
    path: '/p/primer.c',
    fs,
    target,
    include: { quote: [], angled: ['/p/inc'], system: [], builtin: [], after: [] },
  });
}

/** Runs the primer once per process: some 25 ms of a cold start, which a kernel unit more than gets
 *  back (without it the unit took 5% longer: the median of 24 interleaved pairs). */
export function primeSourcePath(target: Target): void {
  if (primed) return;
  primed = true;
  try {
    runPrimer(target);
  } catch {
    // Priming is only ever an optimisation.
  }
}

/** Run while the start-up snapshot is built (snapshot.ts): V8 keeps in the blob the bytecode of every
 *  function run before it is written, so the primer's lexer, preprocessor, parser, layout and the three
 *  renderers start compiled, instead of being compiled from their source on first call in every run
 *  (the kernel unit cold: pair-medians of 0.93-1.02 in five batches of 25-31 interleaved runs, about 3%
 *  in all). Nothing else is kept: the results are dropped and no module state changes. The run-time
 *  primer still runs (leaving it out with this blob was no faster: 1.00 in 25 pairs). */
export function compileAhead(): void {
  for (let k = 0; k < 3; k++) {
    const res = runPrimer(DEFAULT_TARGET);
    const views = res.records.map((r) => analyzeRecord(r, DEFAULT_TARGET.cacheline, { expand: k === 1 }));
    const causes = views.map((v) => explainHoles(v, DEFAULT_TARGET.bitfields));
    renderText(views, { comments: true, color: k === 2, causes });
    renderMarkdown(views, { causes });
    renderJson(DEFAULT_TARGET.triple, views, { expand: k === 1, causes });
  }
}

/** A source unit's run is spent mostly before V8's optimising compiler has caught up: its one
 *  background thread compiles some 130 functions of the preprocessor and the parser, which takes
 *  longer than the run itself (`--trace-opt`: 650-820 ms of compiling in a 700 ms kernel unit).
 *  Without inlining each compile is about a third shorter, the hot functions are optimised sooner,
 *  and a kernel unit takes about 10% less time (24 glibc headers 3-12%), though a warm loop would
 *  run some 10% slower. One translation unit is over in a second or two, so that trade is always won
 *  there; so it is for a binary input (libc's DWARF, a vmlinux BTF's --packable: 9-15% less CPU,
 *  docs/performance.md).
 *  (V8 reads the flag when it starts each compile, so setting it now applies to what follows. Node
 *  keeps V8's flags writable after start-up for v8.setFlagsFromString; LAYOUTOF_INLINING=1 opts out.) */
export function preferQuickCompiles(input: 'source' | 'binary'): void {
  if (process.env.LAYOUTOF_INLINING === '1') return;
  try {
    setFlagsFromString('--no-turbo-inlining');
    // A binary input's loops are few and run long, so they still optimise in time with a larger
    // interrupt budget, and fewer one-off functions go to TurboFan: less CPU, the same wall time. A
    // source unit's answer came later with it (docs/performance.md, session 18).
    if (input === 'binary') setFlagsFromString(`--interrupt-budget=${BINARY_INTERRUPT_BUDGET}`);
  } catch {
    // Only ever an optimisation.
  }
}

/** V8's interrupt budget (bytes of bytecode run before a function is considered for optimising; 135 KB
 *  by default) for a binary input's run. */
const BINARY_INTERRUPT_BUDGET = 300 * 1024;
