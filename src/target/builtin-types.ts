// The types gcc builds into the Arm compilers for <arm_neon.h>, declared as C for the preprocessor to
// read first (builtinTypes), and those gcc 12's `#pragma GCC aarch64 "arm_neon.h"` declares.

import type { Target } from './target.js';

export /** The vector and polynomial types gcc builds into the Arm compilers for <arm_neon.h> (aarch64's
 *  __Int32x4_t, arm's __simd128_int32_t, __builtin_neon_poly8, ...), declared as C typedefs. */
function builtinTypes(t: Target): string {
  const v = (name: string, elem: string, bytes: number): string =>
    `typedef ${elem} ${name} __attribute__((__vector_size__(${bytes})));\n`;
  let out = '';
  if (t.arch === 'aarch64') {
    const elems: [string, string, number][] = [
      ['Int8', 'signed char', 1],
      ['Int16', 'short', 2],
      ['Int32', 'int', 4],
      ['Int64', 'long', 8],
      ['Uint8', 'unsigned char', 1],
      ['Uint16', 'unsigned short', 2],
      ['Uint32', 'unsigned int', 4],
      ['Uint64', 'unsigned long', 8],
      ['Float16', '_Float16', 2],
      ['Float32', 'float', 4],
      ['Float64', 'double', 8],
      ['Bfloat16', '__bf16', 2],
      ['Poly8', 'unsigned char', 1],
      ['Poly16', 'unsigned short', 2],
      ['Poly64', 'unsigned long', 8],
    ];
    for (const [n, e, size] of elems) for (const bytes of [8, 16]) out += v(`__${n}x${bytes / size}_t`, e, bytes);
    out +=
      'typedef unsigned char __Poly8_t;\ntypedef unsigned short __Poly16_t;\n' +
      'typedef unsigned long __Poly64_t;\ntypedef unsigned __int128 __Poly128_t;\n';
  } else if (t.arch === 'arm') {
    const elems: [string, string][] = [
      ['int8', 'signed char'],
      ['int16', 'short'],
      ['int32', 'int'],
      ['int64', 'long long'],
      ['uint8', 'unsigned char'],
      ['uint16', 'unsigned short'],
      ['uint32', 'unsigned int'],
      ['uint64', 'unsigned long long'],
      ['float16', '_Float16'],
      ['float32', 'float'],
      ['poly8', 'unsigned char'],
      ['poly16', 'unsigned short'],
      ['bfloat16', '__bf16'],
    ];
    for (const [n, e] of elems)
      for (const bytes of [8, 16])
        if (bytes === 16 || !n.endsWith('64')) out += v(`__simd${bytes * 8}_${n}_t`, e, bytes);
    const scalars: [string, string][] = [
      ['qi', 'signed char'],
      ['hi', 'short'],
      ['si', 'int'],
      ['di', 'long long'],
      ['sf', 'float'],
      ['hf', '_Float16'],
      ['bf', '__bf16'],
      ['uqi', 'unsigned char'],
      ['uhi', 'unsigned short'],
      ['usi', 'unsigned int'],
      ['udi', 'unsigned long long'],
      ['poly8', 'unsigned char'],
      ['poly16', 'unsigned short'],
      ['poly64', 'unsigned long long'],
    ];
    for (const [n, e] of scalars) out += `typedef ${e} __builtin_neon_${n};\n`;
    // (TImode: 16 bytes, aligned as a long long on arm; a scalar to gcc, so not a struct here either:
    // a vector of the same size and alignment, which no listing shows as a record.)
    out += 'typedef unsigned long long __builtin_neon_poly128 __attribute__((__vector_size__(16)));\n';
  }
  return out;
}

/** What `#pragma GCC aarch64 "arm_neon.h"` declares (gcc 12): the tuple types int8x8x2_t ...
 *  float64x2x4_t, structs of 2 to 4 vectors named `val`, before the header's own typedefs. */
export function pragmaBuiltinTypes(t: Target, header: string): string {
  if (t.arch !== 'aarch64' || header !== '"arm_neon.h"') return '';
  const elems: [string, number][] = [
    ['int8', 1],
    ['int16', 2],
    ['int32', 4],
    ['int64', 8],
    ['uint8', 1],
    ['uint16', 2],
    ['uint32', 4],
    ['uint64', 8],
    ['float16', 2],
    ['float32', 4],
    ['float64', 8],
    ['poly8', 1],
    ['poly16', 2],
    ['poly64', 8],
    ['bfloat16', 2],
  ];
  let out = '';
  for (const [n, size] of elems) {
    const builtin = `__${n[0]!.toUpperCase()}${n.slice(1)}`;
    for (const bytes of [8, 16]) {
      for (const count of [2, 3, 4]) {
        const name = `${n}x${bytes / size}x${count}_t`;
        out += `typedef struct ${name} { ${builtin}x${bytes / size}_t val[${count}]; } ${name};\n`;
      }
    }
  }
  return out;
}
