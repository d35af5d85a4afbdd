// Freestanding headers (stddef.h, stdint.h, stdbool.h, stdalign.h, stdarg.h, limits.h, float.h, ...)
// written from the predefined macros of the target, so they follow the target table. Served from a
// virtual directory searched last among the system directories when no system compiler is present.

import type { FileSystem } from '../core/fs.js';
import type { Target } from './target.js';

export const BUILTIN_INCLUDE_DIR = '/<layoutof>/include';

/** A header's text: its lines between an include guard. */
function guarded(name: string, lines: readonly string[]): string {
  const guard = `_LAYOUTOF_${name.replace('.', '_').toUpperCase()}`;
  return [`#ifndef ${guard}`, `#define ${guard}`, ...lines, '#endif', ''].join('\n');
}

export function freestandingHeaders(t: Target): Record<string, string> {
  const intN = (n: number): string[] => [
    `typedef __INT${n}_TYPE__ int${n}_t;`,
    `typedef __UINT${n}_TYPE__ uint${n}_t;`,
    `typedef __INT_LEAST${n}_TYPE__ int_least${n}_t;`,
    `typedef __UINT_LEAST${n}_TYPE__ uint_least${n}_t;`,
    `typedef __INT_FAST${n}_TYPE__ int_fast${n}_t;`,
    `typedef __UINT_FAST${n}_TYPE__ uint_fast${n}_t;`,
    `#define INT${n}_MAX __INT${n}_MAX__`,
    `#define UINT${n}_MAX __UINT${n}_MAX__`,
    `#define INT${n}_MIN (-INT${n}_MAX - 1)`,
    `#define INT${n}_C(c) __INT${n}_C(c)`,
    `#define UINT${n}_C(c) __UINT${n}_C(c)`,
  ];
  const float = (p: string): string[] =>
    ['MANT_DIG', 'DIG', 'MIN_EXP', 'MIN_10_EXP', 'MAX_EXP', 'MAX_10_EXP', 'MAX', 'MIN', 'EPSILON'].map(
      (s) => `#define ${p}_${s} __${p}_${s}__`,
    );
  const headers: Record<string, readonly string[]> = {
    'stddef.h': [
      'typedef __SIZE_TYPE__ size_t;',
      'typedef __PTRDIFF_TYPE__ ptrdiff_t;',
      'typedef __WCHAR_TYPE__ wchar_t;',
      'typedef struct { ' +
        'long long __max_align_ll __attribute__((__aligned__(__alignof__(long long)))); ' +
        'long double __max_align_ld __attribute__((__aligned__(__alignof__(long double)))); ' +
        '} max_align_t;',
      '#define NULL ((void *)0)',
      '#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)',
    ],
    'stdint.h': [
      ...[8, 16, 32, 64].flatMap(intN),
      'typedef __INTPTR_TYPE__ intptr_t;',
      'typedef __UINTPTR_TYPE__ uintptr_t;',
      'typedef __INTMAX_TYPE__ intmax_t;',
      'typedef __UINTMAX_TYPE__ uintmax_t;',
      '#define INTPTR_MAX __INTPTR_MAX__',
      '#define UINTPTR_MAX __UINTPTR_MAX__',
      '#define SIZE_MAX __SIZE_MAX__',
      '#define PTRDIFF_MAX __PTRDIFF_MAX__',
      '#define INTMAX_MAX __INTMAX_MAX__',
      '#define UINTMAX_MAX __UINTMAX_MAX__',
    ],
    'stdbool.h': ['#define bool _Bool', '#define true 1', '#define false 0', '#define __bool_true_false_are_defined 1'],
    'stdalign.h': [
      '#define alignas _Alignas',
      '#define alignof _Alignof',
      '#define __alignas_is_defined 1',
      '#define __alignof_is_defined 1',
    ],
    'stdnoreturn.h': ['#define noreturn _Noreturn'],
    'stdarg.h': [
      'typedef __builtin_va_list va_list;',
      'typedef __builtin_va_list __gnuc_va_list;',
      '#define va_start(v, ...) __builtin_va_start(v, 0)',
      '#define va_end(v) __builtin_va_end(v)',
      '#define va_arg(v, l) __builtin_va_arg(v, l)',
      '#define va_copy(d, s) __builtin_va_copy(d, s)',
    ],
    'stdatomic.h': [
      'typedef _Atomic _Bool atomic_bool;',
      'typedef _Atomic int atomic_int;',
      'typedef _Atomic unsigned int atomic_uint;',
      'typedef _Atomic long atomic_long;',
      'typedef _Atomic unsigned long atomic_ulong;',
      'typedef _Atomic long long atomic_llong;',
      'typedef _Atomic unsigned long long atomic_ullong;',
      'typedef _Atomic __SIZE_TYPE__ atomic_size_t;',
      'typedef _Atomic __INTPTR_TYPE__ atomic_intptr_t;',
      'typedef _Atomic __UINTPTR_TYPE__ atomic_uintptr_t;',
    ],
    'limits.h': [
      '#define CHAR_BIT __CHAR_BIT__',
      '#define SCHAR_MAX __SCHAR_MAX__',
      '#define SCHAR_MIN (-SCHAR_MAX - 1)',
      '#define UCHAR_MAX (SCHAR_MAX * 2 + 1)',
      ...(t.charSigned
        ? ['#define CHAR_MIN SCHAR_MIN', '#define CHAR_MAX SCHAR_MAX']
        : ['#define CHAR_MIN 0', '#define CHAR_MAX UCHAR_MAX']),
      '#define SHRT_MAX __SHRT_MAX__',
      '#define SHRT_MIN (-SHRT_MAX - 1)',
      '#define USHRT_MAX (SHRT_MAX * 2 + 1)',
      '#define INT_MAX __INT_MAX__',
      '#define INT_MIN (-INT_MAX - 1)',
      '#define UINT_MAX (INT_MAX * 2U + 1U)',
      '#define LONG_MAX __LONG_MAX__',
      '#define LONG_MIN (-LONG_MAX - 1L)',
      '#define ULONG_MAX (LONG_MAX * 2UL + 1UL)',
      '#define LLONG_MAX __LONG_LONG_MAX__',
      '#define LLONG_MIN (-LLONG_MAX - 1LL)',
      '#define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)',
      '#define MB_LEN_MAX 16',
    ],
    'float.h': [
      '#define FLT_RADIX __FLT_RADIX__',
      ...['FLT', 'DBL', 'LDBL'].flatMap(float),
      '#define FLT_EVAL_METHOD __FLT_EVAL_METHOD__',
      '#define DECIMAL_DIG __DECIMAL_DIG__',
    ],
    'iso646.h': ['#define and &&', '#define or ||', '#define not !'],
  };
  return Object.fromEntries(Object.entries(headers).map(([name, lines]) => [name, guarded(name, lines)]));
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
