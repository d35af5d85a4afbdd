// Type-feedback priming for a cold run. V8 optimises a hot function from the types and paths it has
// seen; a path first taken after that (a splice, a literal prefix, a token at the very end of a file,
// a rare directive) throws the optimised code away, and recompiling the lexer's or the preprocessor's
// main loop costs tens of milliseconds each time. So before a large source input, a small synthetic
// translation unit that takes every such path is run once, in memory (its results are dropped; nothing
// it does is kept but V8's feedback).
import { MemoryFileSystem } from '../core/fs.js';
import { analyzeSourceText } from '../api.js';
import type { Target } from '../target/target.js';

function primerText(): string {
  let s = '#pragma once\n#include "a.h"\n#include <b.h>\n#if defined(A_H) && __has_include(<b.h>) && __has_attribute(packed)\n#define OK 1\n#elif 0\n#else\n#endif\n';
  s += '#define CAT(a, b) a ## b\n#define STR(x) #x\n#define XSTR(x) STR(x)\n#define VA(f, ...) f(0, ##__VA_ARGS__)\n#define OPT(a, ...) a __VA_OPT__(+ __VA_ARGS__)\n';
  s += '#define EMPTY\n#define SELF SELF + 1\n#define OPEN <%\n#define LONG_NAME_FOR_A_MACRO_WITH_A_SPLICE 1 + \\\n 2\n_Pragma("GCC diagnostic push")\n#pragma pack(push, 4)\n#pragma pack(pop)\n';
  for (let i = 0; i < 3; i++) {
    s += `#ifndef G${i}\n#define G${i}\n#define M${i}(x, y) ((x) + (y) * ${i}UL)\n#define O${i} M${i}(1, CAT(0x, ${i}e+1))\n#endif\n`;
    s += `#ifdef G${i}\ntypedef unsigned long t${i}_t;\n#endif\n`;
    s += `static inline int f${i}(int a, const char *p)\n{\n\tconst char *s = "} // {" L"w" u8"x";\n\tchar c = '{', d = '\\'', e = u'x';\n`;
    s += `\t/* } */ int n = 0x1e+5 + 1.5e-3f + .5 + 07 + 0b1; // }\n\tif (a >= 1 && a <<= 2 || a->b ... [0] %: <: :>) <% a = M${i}(a, O${i}); %>\n`;
    s += `\tOPEN a++; }\n\tre\\\nturn STR(a) XSTR(O${i}) [0] + SELF + VA(f) + OPT(1) + OPT(1, 2) EMPTY;\n}\n`;
    s += `struct __attribute__((packed)) s${i} { int a : 3, : 0; unsigned b : ${(i % 30) + 1}; char c[O${i} & 7]; long d __attribute__((aligned(16)));\n`;
    s += `\tunion { short u; struct { char x, y; }; }; void (*fp)(int, struct s${i} *); t${i}_t e[]; };\n`;
    s += `enum e${i} { E${i}A = ${i}, E${i}B = sizeof(struct s${i}), E${i}C = _Alignof(long) };\n`;
    s += `extern int v${i}[E${i}B], *w${i}(void) __asm__("w");\ntypedef struct { int q; } anon${i}_t;\n_Static_assert(sizeof(int) == 4, "int");\n`;
  }
  return s + 'int last_identifier_at_eof';
}

let primed = false;

/** Runs the primer once per process (a few milliseconds). */
export function primeSourcePath(target: Target): void {
  if (primed) return;
  primed = true;
  const fs = new MemoryFileSystem({
    '/p/a.h': '#ifndef A_H\n#define A_H\nint a_h_ends_in_a_number = 1',
    '/p/inc/b.h': '#pragma once\nstruct b { int x; };\n#define B_ENDS_IN_A_PUNCTUATOR 1 +',
  });
  try {
    analyzeSourceText(primerText(), { path: '/p/primer.c', fs, target, include: { quote: [], angled: ['/p/inc'], system: [], builtin: [], after: [] } });
  } catch {
    // Priming is only ever an optimisation.
  }
}
