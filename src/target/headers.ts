// Freestanding headers (stddef.h, stdint.h, stdbool.h, stdalign.h, stdarg.h, limits.h, float.h, ...)
// written from the predefined macros of the target, so they follow the target table. Served from a
// virtual directory searched last among the system directories when no system compiler is present.

import type { FileSystem } from '../core/fs.js';
import type { Target } from './target.js';

export const BUILTIN_INCLUDE_DIR = '/<layoutof>/include';

export function freestandingHeaders(t: Target): Record<string, string> {
  const intN = (n: number): string =>
    `typedef __INT${n}_TYPE__ int${n}_t;\ntypedef __UINT${n}_TYPE__ uint${n}_t;\n` +
    `typedef __INT_LEAST${n}_TYPE__ int_least${n}_t;\ntypedef __UINT_LEAST${n}_TYPE__ uint_least${n}_t;\n` +
    `typedef __INT_FAST${n}_TYPE__ int_fast${n}_t;\ntypedef __UINT_FAST${n}_TYPE__ uint_fast${n}_t;\n` +
    `#define INT${n}_MAX __INT${n}_MAX__\n#define UINT${n}_MAX __UINT${n}_MAX__\n#define INT${n}_MIN (-INT${n}_MAX - 1)\n` +
    `#define INT${n}_C(c) __INT${n}_C(c)\n#define UINT${n}_C(c) __UINT${n}_C(c)\n`;
  return {
    'stddef.h':
      `#ifndef _LAYOUTOF_STDDEF_H\n#define _LAYOUTOF_STDDEF_H\ntypedef __SIZE_TYPE__ size_t;\ntypedef __PTRDIFF_TYPE__ ptrdiff_t;\ntypedef __WCHAR_TYPE__ wchar_t;\n` +
      `typedef struct { long long __max_align_ll __attribute__((__aligned__(__alignof__(long long)))); long double __max_align_ld __attribute__((__aligned__(__alignof__(long double)))); } max_align_t;\n` +
      `#define NULL ((void *)0)\n#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)\n#endif\n`,
    'stdint.h':
      `#ifndef _LAYOUTOF_STDINT_H\n#define _LAYOUTOF_STDINT_H\n${[8, 16, 32, 64].map(intN).join('')}` +
      `typedef __INTPTR_TYPE__ intptr_t;\ntypedef __UINTPTR_TYPE__ uintptr_t;\ntypedef __INTMAX_TYPE__ intmax_t;\ntypedef __UINTMAX_TYPE__ uintmax_t;\n` +
      `#define INTPTR_MAX __INTPTR_MAX__\n#define UINTPTR_MAX __UINTPTR_MAX__\n#define SIZE_MAX __SIZE_MAX__\n#define PTRDIFF_MAX __PTRDIFF_MAX__\n#define INTMAX_MAX __INTMAX_MAX__\n#define UINTMAX_MAX __UINTMAX_MAX__\n#endif\n`,
    'stdbool.h': `#ifndef _LAYOUTOF_STDBOOL_H\n#define _LAYOUTOF_STDBOOL_H\n#define bool _Bool\n#define true 1\n#define false 0\n#define __bool_true_false_are_defined 1\n#endif\n`,
    'stdalign.h': `#ifndef _LAYOUTOF_STDALIGN_H\n#define _LAYOUTOF_STDALIGN_H\n#define alignas _Alignas\n#define alignof _Alignof\n#define __alignas_is_defined 1\n#define __alignof_is_defined 1\n#endif\n`,
    'stdnoreturn.h': `#ifndef _LAYOUTOF_STDNORETURN_H\n#define _LAYOUTOF_STDNORETURN_H\n#define noreturn _Noreturn\n#endif\n`,
    'stdarg.h': `#ifndef _LAYOUTOF_STDARG_H\n#define _LAYOUTOF_STDARG_H\ntypedef __builtin_va_list va_list;\ntypedef __builtin_va_list __gnuc_va_list;\n#define va_start(v, ...) __builtin_va_start(v, 0)\n#define va_end(v) __builtin_va_end(v)\n#define va_arg(v, l) __builtin_va_arg(v, l)\n#define va_copy(d, s) __builtin_va_copy(d, s)\n#endif\n`,
    'stdatomic.h': `#ifndef _LAYOUTOF_STDATOMIC_H\n#define _LAYOUTOF_STDATOMIC_H\ntypedef _Atomic _Bool atomic_bool;\ntypedef _Atomic int atomic_int;\ntypedef _Atomic unsigned int atomic_uint;\ntypedef _Atomic long atomic_long;\ntypedef _Atomic unsigned long atomic_ulong;\ntypedef _Atomic long long atomic_llong;\ntypedef _Atomic unsigned long long atomic_ullong;\ntypedef _Atomic __SIZE_TYPE__ atomic_size_t;\ntypedef _Atomic __INTPTR_TYPE__ atomic_intptr_t;\ntypedef _Atomic __UINTPTR_TYPE__ atomic_uintptr_t;\n#endif\n`,
    'limits.h':
      `#ifndef _LAYOUTOF_LIMITS_H\n#define _LAYOUTOF_LIMITS_H\n#define CHAR_BIT __CHAR_BIT__\n#define SCHAR_MAX __SCHAR_MAX__\n#define SCHAR_MIN (-SCHAR_MAX - 1)\n#define UCHAR_MAX (SCHAR_MAX * 2 + 1)\n` +
      (t.charSigned
        ? `#define CHAR_MIN SCHAR_MIN\n#define CHAR_MAX SCHAR_MAX\n`
        : `#define CHAR_MIN 0\n#define CHAR_MAX UCHAR_MAX\n`) +
      `#define SHRT_MAX __SHRT_MAX__\n#define SHRT_MIN (-SHRT_MAX - 1)\n#define USHRT_MAX (SHRT_MAX * 2 + 1)\n#define INT_MAX __INT_MAX__\n#define INT_MIN (-INT_MAX - 1)\n#define UINT_MAX (INT_MAX * 2U + 1U)\n` +
      `#define LONG_MAX __LONG_MAX__\n#define LONG_MIN (-LONG_MAX - 1L)\n#define ULONG_MAX (LONG_MAX * 2UL + 1UL)\n#define LLONG_MAX __LONG_LONG_MAX__\n#define LLONG_MIN (-LLONG_MAX - 1LL)\n#define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)\n#define MB_LEN_MAX 16\n#endif\n`,
    'float.h':
      `#ifndef _LAYOUTOF_FLOAT_H\n#define _LAYOUTOF_FLOAT_H\n#define FLT_RADIX __FLT_RADIX__\n` +
      ['FLT', 'DBL', 'LDBL']
        .map((p) =>
          ['MANT_DIG', 'DIG', 'MIN_EXP', 'MIN_10_EXP', 'MAX_EXP', 'MAX_10_EXP', 'MAX', 'MIN', 'EPSILON']
            .map((s) => `#define ${p}_${s} __${p}_${s}__\n`)
            .join(''),
        )
        .join('') +
      `#define FLT_EVAL_METHOD __FLT_EVAL_METHOD__\n#define DECIMAL_DIG __DECIMAL_DIG__\n#endif\n`,
    'iso646.h': `#ifndef _LAYOUTOF_ISO646_H\n#define _LAYOUTOF_ISO646_H\n#define and &&\n#define or ||\n#define not !\n#endif\n`,
  };
}

/** A FileSystem that also serves the target's freestanding headers under BUILTIN_INCLUDE_DIR. */
export function builtinHeaderFs(base: FileSystem, t: Target): FileSystem {
  let headers: Record<string, string> | undefined;
  const get = (path: string): string | undefined => {
    if (!path.startsWith(BUILTIN_INCLUDE_DIR + '/')) return undefined;
    headers ??= freestandingHeaders(t);
    return headers[path.slice(BUILTIN_INCLUDE_DIR.length + 1)];
  };
  return {
    readFile: (p) => get(p) ?? base.readFile(p),
    readBytes: base.readBytes?.bind(base),
    isFile: (p) => get(p) !== undefined || base.isFile(p),
    isDirectory: (p) => p === BUILTIN_INCLUDE_DIR || base.isDirectory(p),
    realPath: base.realPath?.bind(base),
    readError: base.readError?.bind(base),
  };
}
