// clang 14's predefined macros for the MSVC target (`--target=x86_64-pc-windows-msvc`), derived from
// the target table as predefined.ts derives gcc's.

import type { IntKind, Target } from './target.js';

export /** clang 14's `--target=x86_64-pc-windows-msvc` set: no GNU or ISO-C markers (`__GNUC__`, `__STDC__`),
 *  MSVC's (`_MSC_VER`, `_WIN64`), decimal limits, and LLP64 types spelled as clang spells them. */
function windowsMacros(t: Target): string {
  const d: [string, string | number][] = [];
  const def = (n: string, v: string | number): void => void d.push([n, v]);
  for (const [n, v] of [
    ['_INTEGRAL_MAX_BITS', 64],
    ['_MSC_BUILD', 1],
    ['_MSC_EXTENSIONS', 1],
    ['_MSC_FULL_VER', 192000000],
    ['_MSC_VER', 1920],
    ['_MSVC_EXECUTION_CHARACTER_SET', 65001],
    ['_M_AMD64', 100],
    ['_M_X64', 100],
    ['_WIN32', 1],
    ['_WIN64', 1],
  ] as const)
    def(n, v);
  for (const [n, v] of [
    ['RELAXED', 0],
    ['CONSUME', 1],
    ['ACQUIRE', 2],
    ['RELEASE', 3],
    ['ACQ_REL', 4],
    ['SEQ_CST', 5],
  ] as const)
    def(`__ATOMIC_${n}`, v);
  def('__BIGGEST_ALIGNMENT__', t.biggestAlign);
  def('__ORDER_LITTLE_ENDIAN__', 1234);
  def('__ORDER_BIG_ENDIAN__', 4321);
  def('__ORDER_PDP_ENDIAN__', 3412);
  def('__BYTE_ORDER__', '__ORDER_LITTLE_ENDIAN__');
  def('__LITTLE_ENDIAN__', 1);
  def('__CHAR_BIT__', 8);
  def('__CHAR16_TYPE__', 'unsigned short');
  def('__CHAR32_TYPE__', 'unsigned int');
  for (const n of ['BOOL', 'CHAR', 'CHAR16_T', 'CHAR32_T', 'WCHAR_T', 'SHORT', 'INT', 'LONG', 'LLONG', 'POINTER'])
    def(`__CLANG_ATOMIC_${n}_LOCK_FREE`, 2);
  for (const n of [1, 2, 4, 8]) def(`__GCC_HAVE_SYNC_COMPARE_AND_SWAP_${n}`, 1);
  // Floating types: long double is double.
  const fl = (
    p: string,
    suf: string,
    mant: number,
    dig: number,
    dec: number,
    minExp: number,
    maxExp: number,
    min10: number,
    max10: number,
    max: string,
    min: string,
    eps: string,
    den: string,
  ): void => {
    def(`__${p}_MANT_DIG__`, mant);
    def(`__${p}_DIG__`, dig);
    def(`__${p}_DECIMAL_DIG__`, dec);
    def(`__${p}_MIN_EXP__`, `(${minExp})`);
    def(`__${p}_MAX_EXP__`, maxExp);
    def(`__${p}_MIN_10_EXP__`, `(${min10})`);
    def(`__${p}_MAX_10_EXP__`, max10);
    def(`__${p}_MAX__`, max + suf);
    def(`__${p}_MIN__`, min + suf);
    def(`__${p}_EPSILON__`, eps + suf);
    def(`__${p}_DENORM_MIN__`, den + suf);
    def(`__${p}_HAS_DENORM__`, 1);
    def(`__${p}_HAS_INFINITY__`, 1);
    def(`__${p}_HAS_QUIET_NAN__`, 1);
  };
  fl('FLT', 'F', 24, 6, 9, -125, 128, -37, 38, '3.40282347e+38', '1.17549435e-38', '1.19209290e-7', '1.40129846e-45');
  for (const [p, suf] of [
    ['DBL', ''],
    ['LDBL', 'L'],
  ] as const)
    fl(
      p,
      suf,
      53,
      15,
      17,
      -1021,
      1024,
      -307,
      308,
      '1.7976931348623157e+308',
      '2.2250738585072014e-308',
      '2.2204460492503131e-16',
      '4.9406564584124654e-324',
    );
  def('__DECIMAL_DIG__', '__LDBL_DECIMAL_DIG__');
  def('__FLT_EVAL_METHOD__', 0);
  def('__FLT_RADIX__', 2);
  def('__FINITE_MATH_ONLY__', 0);
  // Integer types and limits (LLP64: long is 32 bits, size_t and pointers 64).
  const name: Partial<Record<IntKind, string>> = {
    schar: 'signed char',
    uchar: 'unsigned char',
    short: 'short',
    ushort: 'unsigned short',
    int: 'int',
    uint: 'unsigned int',
    llong: 'long long int',
    ullong: 'long long unsigned int',
  };
  const sfx: Partial<Record<IntKind, string>> = { uint: 'U', llong: 'LL', ullong: 'ULL' };
  const max = (k: IntKind): string => {
    const bits = BigInt(t.ints[k].size * 8);
    const unsigned = k.startsWith('u');
    return ((unsigned ? 1n << bits : 1n << (bits - 1n)) - 1n).toString() + (sfx[k] ?? '');
  };
  const fmt = (k: IntKind): string =>
    (
      ({ schar: 'hh', uchar: 'hh', short: 'h', ushort: 'h', int: '', uint: '', llong: 'll', ullong: 'll' }) as Partial<
        Record<IntKind, string>
      >
    )[k]!;
  const typeMacros = (p: string, k: IntKind, u: IntKind, width = true): void => {
    def(`__${p}_TYPE__`, name[k]!);
    def(`__${p}_MAX__`, max(k));
    def(`__${p}_FMTd__`, `"${fmt(k)}d"`);
    def(`__${p}_FMTi__`, `"${fmt(k)}i"`);
    if (width) def(`__${p}_WIDTH__`, t.ints[k].size * 8);
    def(`__U${p}_TYPE__`, name[u]!);
    def(`__U${p}_MAX__`, max(u));
    for (const c of ['X', 'o', 'u', 'x']) def(`__U${p}_FMT${c}__`, `"${fmt(u)}${c}"`);
  };
  for (const [n, k, u] of [
    [8, 'schar', 'uchar'],
    [16, 'short', 'ushort'],
    [32, 'int', 'uint'],
    [64, 'llong', 'ullong'],
  ] as [number, IntKind, IntKind][]) {
    typeMacros(`INT${n}`, k, u, false);
    def(`__INT${n}_C_SUFFIX__`, sfx[k] ?? '');
    def(`__UINT${n}_C_SUFFIX__`, sfx[u] ?? '');
    typeMacros(`INT_LEAST${n}`, k, u);
    typeMacros(`INT_FAST${n}`, k, u);
  }
  typeMacros('INTMAX', 'llong', 'ullong');
  def('__INTMAX_C_SUFFIX__', 'LL');
  def('__UINTMAX_C_SUFFIX__', 'ULL');
  typeMacros('INTPTR', 'llong', 'ullong');
  def('__PTRDIFF_TYPE__', 'long long int');
  def('__PTRDIFF_MAX__', max('llong'));
  def('__PTRDIFF_FMTd__', '"lld"');
  def('__PTRDIFF_FMTi__', '"lli"');
  def('__PTRDIFF_WIDTH__', 64);
  def('__SIZE_TYPE__', 'long long unsigned int');
  def('__SIZE_MAX__', max('ullong'));
  for (const c of ['X', 'o', 'u', 'x']) def(`__SIZE_FMT${c}__`, `"ll${c}"`);
  def('__SIZE_WIDTH__', 64);
  def('__SCHAR_MAX__', 127);
  def('__SHRT_MAX__', 32767);
  def('__SHRT_WIDTH__', 16);
  def('__INT_MAX__', 2147483647);
  def('__INT_WIDTH__', 32);
  def('__LONG_MAX__', '2147483647L');
  def('__LONG_WIDTH__', 32);
  def('__LONG_LONG_MAX__', max('llong'));
  def('__LLONG_WIDTH__', 64);
  def('__BOOL_WIDTH__', 8);
  def('__POINTER_WIDTH__', 64);
  def('__SIG_ATOMIC_MAX__', 2147483647);
  def('__SIG_ATOMIC_WIDTH__', 32);
  def('__WCHAR_TYPE__', 'unsigned short');
  def('__WCHAR_MAX__', 65535);
  def('__WCHAR_WIDTH__', 16);
  def('__WCHAR_UNSIGNED__', 1);
  def('__WINT_TYPE__', 'unsigned short');
  def('__WINT_MAX__', 65535);
  def('__WINT_WIDTH__', 16);
  def('__WINT_UNSIGNED__', 1);
  for (const [n, v] of [
    ['INT', t.ints.int.size],
    ['LONG', t.ints.long.size],
    ['LONG_LONG', t.ints.llong.size],
    ['SHORT', t.ints.short.size],
    ['POINTER', t.pointer.size],
    ['FLOAT', 4],
    ['DOUBLE', 8],
    ['LONG_DOUBLE', t.floats.ldouble!.size],
    ['SIZE_T', 8],
    ['PTRDIFF_T', 8],
    ['WCHAR_T', 2],
    ['WINT_T', 2],
    ['INT128', 16],
  ] as const)
    def(`__SIZEOF_${n}__`, v);
  // Language, compiler and architecture.
  for (const [n, v] of [
    ['__STDC_HOSTED__', 1],
    ['__STDC_VERSION__', '201710L'],
    ['__STDC_UTF_16__', 1],
    ['__STDC_UTF_32__', 1],
    ['__STDC_NO_THREADS__', 1],
    ['__NO_INLINE__', 1],
    ['__NO_MATH_INLINES', 1],
    ['__PRAGMA_REDEFINE_EXTNAME', 1],
    ['__REGISTER_PREFIX__', ''],
    ['__USER_LABEL_PREFIX__', ''],
    ['__clang__', 1],
    ['__clang_major__', 14],
    ['__clang_minor__', 0],
    ['__clang_patchlevel__', 6],
    ['__clang_version__', '"14.0.6 "'],
    ['__llvm__', 1],
    ['__VERSION__', '"Clang 14.0.6"'],
    ['__pic__', 2],
    ['__PIC__', 2],
    ['__x86_64', 1],
    ['__x86_64__', 1],
    ['__amd64', 1],
    ['__amd64__', 1],
    ['__k8', 1],
    ['__k8__', 1],
    ['__code_model_small__', 1],
    ['__MMX__', 1],
    ['__SSE__', 1],
    ['__SSE2__', 1],
    ['__SSE_MATH__', 1],
    ['__SSE2_MATH__', 1],
    ['__FXSR__', 1],
    ['__SEG_FS', 1],
    ['__SEG_GS', 1],
    ['__GCC_ASM_FLAG_OUTPUTS__', 1],
  ] as const)
    def(n, v);
  return d.map(([n, v]) => `#define ${n} ${v}\n`).join('');
}
