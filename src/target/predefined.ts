// gcc 12's predefined macros for a Linux target (the set `gcc -dM -E - </dev/null` prints, -std=gnu11),
// derived from the target table: type sizes, limits and type names follow the entry; only the
// architecture's feature macros are listed per arch. The MSVC target gets clang 14's set for
// `--target=x86_64-pc-windows-msvc` instead (windowsMacros).

import type { IntKind, Target } from './target.js';
import { builtinTypes } from './builtin-types.js';
import { windowsMacros } from './windows-macros.js';

export { pragmaBuiltinTypes } from './builtin-types.js';

const C_NAME: Record<IntKind, string> = {
  bool: '_Bool',
  char: 'char',
  schar: 'signed char',
  uchar: 'unsigned char',
  short: 'short int',
  ushort: 'short unsigned int',
  int: 'int',
  uint: 'unsigned int',
  long: 'long int',
  ulong: 'long unsigned int',
  llong: 'long long int',
  ullong: 'long long unsigned int',
  int128: '__int128',
  uint128: '__int128 unsigned',
};
const SUFFIX: Partial<Record<IntKind, string>> = { long: 'L', ulong: 'UL', llong: 'LL', ullong: 'ULL', uint: 'U' };

/** The signed int kind of exactly `bytes` bytes, preferring int, then long, then long long. */
function signedOfSize(t: Target, bytes: number): IntKind {
  for (const k of ['schar', 'short', 'int', 'long', 'llong'] as IntKind[]) if (t.ints[k].size === bytes) return k;
  return 'llong';
}
const UNSIGNED: Partial<Record<IntKind, IntKind>> = {
  schar: 'uchar',
  short: 'ushort',
  int: 'uint',
  long: 'ulong',
  llong: 'ullong',
  char: 'uchar',
};

function maxHex(bits: number, signed: boolean): string {
  const v = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  return '0x' + v.toString(16);
}

/** Each target's text, made once (the targets are constants: the default target's text is made while
 *  the start-up snapshot is built, and every run starts with it). */
const made = new WeakMap<Target, string>();

export function predefinedMacros(t: Target): string {
  let s = made.get(t);
  if (s === undefined) {
    s = t.os === 'windows' ? windowsMacros(t) : gccMacros(t);
    made.set(t, s);
  }
  return s;
}

function gccMacros(t: Target): string {
  const d: [string, string][] = [];
  const def = (n: string, v: string | number): void => void d.push([n, String(v)]);
  const bits = (k: IntKind): number => t.ints[k].size * 8;
  const lp64 = t.ints.long.size === 8 && t.pointer.size === 8;

  def('__STDC__', 1);
  def('__STDC_VERSION__', '201710L');
  def('__STDC_HOSTED__', 1);
  def('__STDC_UTF_16__', 1);
  def('__STDC_UTF_32__', 1);
  def('__STDC_IEC_559__', 1);
  def('__STDC_IEC_559_COMPLEX__', 1);
  def('__STDC_ISO_10646__', '201706L');
  def('__GNUC__', 12);
  def('__GNUC_MINOR__', 2);
  def('__GNUC_PATCHLEVEL__', 0);
  def('__VERSION__', '"12.2.0"');
  def('__GNUC_STDC_INLINE__', 1);
  def('__NO_INLINE__', 1);
  def('__CHAR_BIT__', 8);
  def('__ORDER_LITTLE_ENDIAN__', 1234);
  def('__ORDER_BIG_ENDIAN__', 4321);
  def('__ORDER_PDP_ENDIAN__', 3412);
  const bo = t.endian === 'little' ? '__ORDER_LITTLE_ENDIAN__' : '__ORDER_BIG_ENDIAN__';
  def('__BYTE_ORDER__', bo);
  def('__FLOAT_WORD_ORDER__', bo);
  def('__BIGGEST_ALIGNMENT__', t.biggestAlign);
  if (!t.charSigned) def('__CHAR_UNSIGNED__', 1);
  if (lp64) {
    def('_LP64', 1);
    def('__LP64__', 1);
  } else if (t.arch === 'i386') {
    def('_ILP32', 1);
    def('__ILP32__', 1);
  }
  def('__ATOMIC_RELAXED', 0);
  def('__ATOMIC_SEQ_CST', 5);
  def('__ATOMIC_ACQUIRE', 2);
  def('__ATOMIC_RELEASE', 3);
  def('__ATOMIC_ACQ_REL', 4);
  def('__ATOMIC_CONSUME', 1);
  def('__FINITE_MATH_ONLY__', 0);
  def('__ELF__', 1);
  def('__REGISTER_PREFIX__', '');
  def('__USER_LABEL_PREFIX__', '');
  def('__GCC_IEC_559', 2);
  def('__GCC_IEC_559_COMPLEX', 2);
  // (arm unwinds with its EHABI tables, riscv64's gcc 12 writes no .cfi directives by default.)
  if (t.arch !== 'arm' && t.arch !== 'riscv64') def('__GCC_HAVE_DWARF2_CFI_ASM', 1);
  def('__PRAGMA_REDEFINE_EXTNAME', 1);
  if (!t.noInt128) def('__SIZEOF_INT128__', 16);

  // Sizes.
  def('__SIZEOF_INT__', t.ints.int.size);
  def('__SIZEOF_LONG__', t.ints.long.size);
  def('__SIZEOF_LONG_LONG__', t.ints.llong.size);
  def('__SIZEOF_SHORT__', t.ints.short.size);
  def('__SIZEOF_POINTER__', t.pointer.size);
  def('__SIZEOF_FLOAT__', t.floats.float!.size);
  def('__SIZEOF_DOUBLE__', t.floats.double!.size);
  def('__SIZEOF_LONG_DOUBLE__', t.floats.ldouble!.size);
  def('__SIZEOF_SIZE_T__', t.ints[t.sizeKind].size);
  def('__SIZEOF_WCHAR_T__', t.ints[t.wcharKind].size);
  def('__SIZEOF_WINT_T__', 4);
  def('__SIZEOF_PTRDIFF_T__', t.ints[t.ptrdiffKind].size);
  if (t.arch === 'x86_64' || t.arch === 'i386') def('__SIZEOF_FLOAT80__', t.arch === 'x86_64' ? 16 : 12);

  // Limits and type names.
  def('__SCHAR_MAX__', '0x7f');
  def('__SHRT_MAX__', '0x7fff');
  def('__INT_MAX__', '0x7fffffff');
  def('__LONG_MAX__', maxHex(bits('long'), true) + 'L');
  def('__LONG_LONG_MAX__', maxHex(bits('llong'), true) + 'LL');
  const wSigned = t.wcharKind === 'int' || t.wcharKind === 'long';
  def(
    '__WCHAR_MAX__',
    maxHex(bits(t.wcharKind), wSigned) + (t.wcharKind === 'ushort' ? '' : (SUFFIX[t.wcharKind] ?? '')),
  );
  def('__WCHAR_MIN__', wSigned ? '(-__WCHAR_MAX__ - 1)' : t.wcharKind === 'uint' ? '0U' : '0');
  def('__WINT_MAX__', '0xffffffffU');
  def('__WINT_MIN__', '0U');
  def('__PTRDIFF_MAX__', maxHex(bits(t.ptrdiffKind), true) + (SUFFIX[t.ptrdiffKind] ?? ''));
  def('__SIZE_MAX__', maxHex(bits(t.sizeKind), false) + (SUFFIX[t.sizeKind] ?? ''));
  def('__SCHAR_WIDTH__', 8);
  def('__SHRT_WIDTH__', 16);
  def('__INT_WIDTH__', 32);
  def('__LONG_WIDTH__', bits('long'));
  def('__LONG_LONG_WIDTH__', bits('llong'));
  def('__PTRDIFF_WIDTH__', bits(t.ptrdiffKind));
  def('__SIZE_WIDTH__', bits(t.sizeKind));
  def('__WCHAR_WIDTH__', bits(t.wcharKind));
  def('__WINT_WIDTH__', 32);
  def('__SIZE_TYPE__', C_NAME[t.sizeKind]);
  def('__PTRDIFF_TYPE__', C_NAME[t.ptrdiffKind]);
  def('__WCHAR_TYPE__', C_NAME[t.wcharKind]);
  def('__WINT_TYPE__', 'unsigned int');
  def('__CHAR16_TYPE__', 'short unsigned int');
  def('__CHAR32_TYPE__', 'unsigned int');
  const i64: IntKind = t.ints.long.size === 8 ? 'long' : 'llong';
  const intmax = i64;
  def('__INTMAX_TYPE__', C_NAME[intmax]);
  def('__UINTMAX_TYPE__', C_NAME[UNSIGNED[intmax]!]);
  def('__INTMAX_MAX__', maxHex(64, true) + SUFFIX[intmax]);
  def('__UINTMAX_MAX__', maxHex(64, false) + SUFFIX[UNSIGNED[intmax]!]);
  def('__INTMAX_C(c)', `c ## ${SUFFIX[intmax]}`);
  def('__UINTMAX_C(c)', `c ## ${SUFFIX[UNSIGNED[intmax]!]}`);
  def('__INTMAX_WIDTH__', 64);
  const ptrInt = signedOfSize(t, t.pointer.size);
  def('__INTPTR_TYPE__', C_NAME[ptrInt === 'int' && t.sizeKind === 'ulong' ? 'long' : ptrInt]);
  def('__UINTPTR_TYPE__', C_NAME[UNSIGNED[ptrInt === 'int' && t.sizeKind === 'ulong' ? 'long' : ptrInt]!]);
  def('__INTPTR_MAX__', maxHex(t.pointer.size * 8, true) + (SUFFIX[ptrInt] ?? ''));
  def('__UINTPTR_MAX__', maxHex(t.pointer.size * 8, false) + (SUFFIX[UNSIGNED[ptrInt]!] ?? ''));
  def('__INTPTR_WIDTH__', t.pointer.size * 8);
  for (const n of [8, 16, 32, 64]) {
    const k: IntKind = n === 8 ? 'schar' : n === 16 ? 'short' : n === 32 ? 'int' : i64;
    const u = UNSIGNED[k]!;
    def(`__INT${n}_TYPE__`, C_NAME[k]);
    def(`__UINT${n}_TYPE__`, C_NAME[u]);
    def(`__INT${n}_MAX__`, maxHex(n, true) + (n === 64 ? SUFFIX[k] : ''));
    def(`__UINT${n}_MAX__`, maxHex(n, false) + (n === 64 ? SUFFIX[u] : n === 32 ? 'U' : ''));
    def(`__INT${n}_C(c)`, n === 64 ? `c ## ${SUFFIX[k]}` : 'c');
    def(`__UINT${n}_C(c)`, n === 64 ? `c ## ${SUFFIX[u]}` : n === 32 ? 'c ## U' : 'c');
    def(`__INT_LEAST${n}_TYPE__`, C_NAME[k]);
    def(`__UINT_LEAST${n}_TYPE__`, C_NAME[u]);
    def(`__INT_LEAST${n}_MAX__`, maxHex(n, true) + (n === 64 ? SUFFIX[k] : ''));
    def(`__UINT_LEAST${n}_MAX__`, maxHex(n, false) + (n === 64 ? SUFFIX[u] : n === 32 ? 'U' : ''));
    def(`__INT_LEAST${n}_WIDTH__`, n);
    // Fast types: 8 is char; on LP64 Linux the rest are long.
    const fk: IntKind = n === 8 ? 'schar' : lp64 ? 'long' : n === 64 ? i64 : 'int';
    const fu = UNSIGNED[fk]!;
    def(`__INT_FAST${n}_TYPE__`, C_NAME[fk]);
    def(`__UINT_FAST${n}_TYPE__`, C_NAME[fu]);
    def(`__INT_FAST${n}_MAX__`, maxHex(t.ints[fk].size * 8, true) + (SUFFIX[fk] === 'U' ? '' : (SUFFIX[fk] ?? '')));
    def(`__UINT_FAST${n}_MAX__`, maxHex(t.ints[fk].size * 8, false) + (SUFFIX[fu] ?? ''));
    def(`__INT_FAST${n}_WIDTH__`, t.ints[fk].size * 8);
  }
  def('__SIG_ATOMIC_TYPE__', 'int');
  def('__SIG_ATOMIC_MAX__', '0x7fffffff');
  def('__SIG_ATOMIC_MIN__', '(-__SIG_ATOMIC_MAX__ - 1)');
  def('__SIG_ATOMIC_WIDTH__', 32);

  // Floating point (IEEE single/double; long double per format).
  def('__FLT_RADIX__', 2);
  // i386 evaluates in the x87's long double (glibc's float_t and double_t are long double there).
  def('__FLT_EVAL_METHOD__', t.arch === 'i386' ? 2 : 0);
  def('__FLT_EVAL_METHOD_TS_18661_3__', t.arch === 'i386' ? 2 : 0);
  def('__DEC_EVAL_METHOD__', 2);
  // gcc spells these with the digits of its widest floating mode: 36 where it has a 128-bit one, 17
  // where long double is double and there is no __float128 (arm).
  const short = t.ldoubleFormat === 'binary64' && !t.floats.float128;
  const [fMax, fMin, fEps, fDen] = short
    ? ['3.4028234663852886e+38', '1.1754943508222875e-38', '1.1920928955078125e-7', '1.4012984643248171e-45']
    : [
        '3.40282346638528859811704183484516925e+38',
        '1.17549435082228750796873653722224568e-38',
        '1.19209289550781250000000000000000000e-7',
        '1.40129846432481707092372958328991613e-45',
      ];
  const [dMax, dMin, dEps, dDen] = short
    ? ['1.7976931348623157e+308', '2.2250738585072014e-308', '2.2204460492503131e-16', '4.9406564584124654e-324']
    : [
        '1.79769313486231570814527423731704357e+308',
        '2.22507385850720138309023271733240406e-308',
        '2.22044604925031308084726333618164062e-16',
        '4.94065645841246544176568792868221372e-324',
      ];
  floatMacros(def, 'FLT', 'F', 24, 128, -125, 6, 9, 38, -37, fMax, fMin, fEps, fDen);
  floatMacros(def, 'DBL', '', 53, 1024, -1021, 15, 17, 308, -307, dMax, dMin, dEps, dDen, '(double)');
  if (t.ldoubleFormat === 'ibm128') {
    floatMacros(
      def,
      'LDBL',
      'L',
      106,
      1024,
      -968,
      31,
      33,
      308,
      -291,
      '1.79769313486231580793728971405301199e+308',
      '2.00416836000897277799610805135016205e-292',
      '4.94065645841246544176568792868221372e-324',
      '4.94065645841246544176568792868221372e-324',
      '',
      '8.98846567431157953864652595394501288e+307',
      0,
    );
    def('__DECIMAL_DIG__', 33);
  } else if (t.ldoubleFormat === 'x87') {
    floatMacros(
      def,
      'LDBL',
      'L',
      64,
      16384,
      -16381,
      18,
      21,
      4932,
      -4931,
      '1.18973149535723176502126385303097021e+4932',
      '3.36210314311209350626267781732175260e-4932',
      '1.08420217248550443400745280086994171e-19',
      '3.64519953188247460252840593361941982e-4951',
    );
    def('__DECIMAL_DIG__', 21);
  } else if (t.ldoubleFormat === 'binary64') {
    floatMacros(def, 'LDBL', 'L', 53, 1024, -1021, 15, 17, 308, -307, dMax, dMin, dEps, dDen);
    def('__DECIMAL_DIG__', 17);
  } else {
    floatMacros(
      def,
      'LDBL',
      'L',
      113,
      16384,
      -16381,
      33,
      36,
      4932,
      -4931,
      '1.18973149535723176508575932662800702e+4932',
      '3.36210314311209350626267781732175260e-4932',
      '1.92592994438723585305597794258492732e-34',
      '6.47517511943802511092443895822764655e-4966',
    );
    def('__DECIMAL_DIG__', 36);
  }

  // Lock-free atomics.
  // (riscv64's A extension has no byte or halfword atomics: gcc 12 calls those "sometimes" lock-free.)
  const narrow = t.arch === 'riscv64' ? 1 : 2;
  for (const n of ['BOOL', 'CHAR', 'CHAR16_T', 'CHAR32_T', 'WCHAR_T', 'SHORT', 'INT', 'LONG', 'LLONG', 'POINTER'])
    def(`__GCC_ATOMIC_${n}_LOCK_FREE`, ['BOOL', 'CHAR', 'CHAR16_T', 'SHORT'].includes(n) ? narrow : 2);
  def('__GCC_ATOMIC_TEST_AND_SET_TRUEVAL', 1);
  for (const n of [1, 2, 4, 8]) if (t.arch !== 'riscv64' || n >= 4) def(`__GCC_HAVE_SYNC_COMPARE_AND_SWAP_${n}`, 1);
  // Only where gcc 12 has a target hook for them (x86, arm, aarch64's 256).
  if (t.arch === 'x86_64' || t.arch === 'i386' || t.arch === 'arm' || t.arch === 'aarch64') {
    def('__GCC_CONSTRUCTIVE_SIZE', 64);
    def('__GCC_DESTRUCTIVE_SIZE', t.arch === 'aarch64' ? 256 : 64);
  }

  // OS and architecture.
  for (const n of ['__linux', '__linux__', 'linux', '__gnu_linux__', '__unix', '__unix__', 'unix']) def(n, 1);
  switch (t.arch) {
    case 'x86_64':
      for (const n of [
        '__x86_64',
        '__x86_64__',
        '__amd64',
        '__amd64__',
        '__k8',
        '__k8__',
        '__code_model_small__',
        '__MMX__',
        '__SSE__',
        '__SSE2__',
        '__FXSR__',
        '__SSE_MATH__',
        '__SSE2_MATH__',
        '__MMX_WITH_SSE__',
        '__SEG_FS',
        '__SEG_GS',
        '__GCC_ASM_FLAG_OUTPUTS__',
        '__HAVE_SPECULATION_SAFE_VALUE',
      ])
        def(n, 1);
      def('__ATOMIC_HLE_ACQUIRE', 65536);
      def('__ATOMIC_HLE_RELEASE', 131072);
      def('__GCC_HAVE_SYNC_COMPARE_AND_SWAP_16', 0);
      d.pop();
      def('__pic__', 2);
      def('__PIC__', 2);
      def('__pie__', 2);
      def('__PIE__', 2);
      def('__DECIMAL_BID_FORMAT__', 1);
      def('__SIZEOF_FLOAT128__', 16);
      break;
    case 'i386':
      for (const n of [
        '__i386',
        '__i386__',
        'i386',
        '__i686',
        '__i686__',
        '__pentiumpro',
        '__pentiumpro__',
        '__code_model_32__',
        '__LAHF_SAHF__',
        '__SEG_FS',
        '__SEG_GS',
        '__GCC_ASM_FLAG_OUTPUTS__',
        '__HAVE_SPECULATION_SAFE_VALUE',
      ])
        def(n, 1);
      def('__ATOMIC_HLE_ACQUIRE', 65536);
      def('__ATOMIC_HLE_RELEASE', 131072);
      def('__SIZEOF_FLOAT128__', 16);
      def('__DECIMAL_BID_FORMAT__', 1);
      break;
    case 'aarch64':
      for (const [n, v] of [
        ['__aarch64__', 1],
        ['__AARCH64EL__', 1],
        ['__AARCH64_CMODEL_SMALL__', 1],
        ['__ARM_64BIT_STATE', 1],
        ['__ARM_ARCH', 8],
        ['__ARM_ARCH_8A', 1],
        ['__ARM_ARCH_ISA_A64', 1],
        ['__ARM_ARCH_PROFILE', 65],
        ['__ARM_PCS_AAPCS64', 1],
        ['__ARM_FP', 14],
        ['__ARM_NEON', 1],
        ['__ARM_SIZEOF_WCHAR_T', t.ints[t.wcharKind].size],
        ['__ARM_SIZEOF_MINIMAL_ENUM', t.shortEnums ? 1 : 4],
        ['__ARM_ALIGN_MAX_PWR', 28],
        ['__ARM_ALIGN_MAX_STACK_PWR', 16],
        ['__ARM_FEATURE_IDIV', 1],
        ['__ARM_FEATURE_CLZ', 1],
        ['__ARM_FEATURE_FMA', 1],
        ['__ARM_FEATURE_UNALIGNED', 1],
        ['__ARM_FEATURE_NUMERIC_MAXMIN', 1],
        ['__ARM_FP16_FORMAT_IEEE', 1],
        ['__ARM_FP16_ARGS', 1],
        ['__FP_FAST_FMA', 1],
        ['__FP_FAST_FMAF', 1],
      ] as const)
        def(n, v);
      break;
    case 'arm':
      for (const [n, v] of [
        ['__arm__', 1],
        ['__ARMEL__', 1],
        ['__ARM_ARCH', 7],
        ['__ARM_ARCH_7A__', 1],
        ['__ARM_ARCH_PROFILE', 65],
        ['__ARM_ARCH_ISA_ARM', 1],
        ['__ARM_ARCH_ISA_THUMB', 2],
        ['__ARM_32BIT_STATE', 1],
        ['__ARM_EABI__', 1],
        ['__ARM_PCS_VFP', 1],
        ['__VFP_FP__', 1],
        ['__ARM_FP', 12],
        ['__APCS_32__', 1],
        ['__thumb__', 1],
        ['__thumb2__', 1],
        ['__THUMBEL__', 1],
        ['__THUMB_INTERWORK__', 1],
        ['__ARM_SIZEOF_WCHAR_T', t.ints[t.wcharKind].size],
        ['__ARM_SIZEOF_MINIMAL_ENUM', t.shortEnums ? 1 : 4],
        ['__ARM_FEATURE_CLZ', 1],
        ['__ARM_FEATURE_DSP', 1],
        ['__ARM_FEATURE_SIMD32', 1],
        ['__ARM_FEATURE_SAT', 1],
        ['__ARM_FEATURE_QBIT', 1],
        ['__ARM_FEATURE_UNALIGNED', 1],
        ['__ARM_FEATURE_LDREX', 15],
        ['__ARM_FEATURE_COPROC', 15],
        ['__ARM_ASM_SYNTAX_UNIFIED__', 1],
      ] as const)
        def(n, v);
      break;
    case 'riscv64':
      for (const [n, v] of [
        ['__riscv', 1],
        ['__riscv_xlen', 64],
        ['__riscv_flen', 64],
        ['__riscv_float_abi_double', 1],
        ['__riscv_atomic', 1],
        ['__riscv_mul', 1],
        ['__riscv_div', 1],
        ['__riscv_muldiv', 1],
        ['__riscv_fdiv', 1],
        ['__riscv_fsqrt', 1],
        ['__riscv_compressed', 1],
        ['__riscv_cmodel_medany', 1],
        ['__riscv_cmodel_pic', 1],
        ['__riscv_arch_test', 1],
        ['__riscv_i', 2001000],
        ['__riscv_m', 2000000],
        ['__riscv_a', 2001000],
        ['__riscv_f', 2002000],
        ['__riscv_d', 2002000],
        ['__riscv_c', 2000000],
        ['__riscv_zicsr', 2000000],
        ['__riscv_zifencei', 2000000],
        ['__FP_FAST_FMA', 1],
        ['__FP_FAST_FMAF', 1],
      ] as const)
        def(n, v);
      break;
    case 'powerpc64le':
      for (const [n, v] of [
        ['__powerpc__', 1],
        ['__powerpc64__', 1],
        ['__PPC__', 1],
        ['__PPC64__', 1],
        ['_ARCH_PPC', 1],
        ['_ARCH_PPC64', 1],
        ['_ARCH_PPCGR', 1],
        ['_ARCH_PPCSQ', 1],
        ['_ARCH_PWR4', 1],
        ['_ARCH_PWR5', 1],
        ['_ARCH_PWR5X', 1],
        ['_ARCH_PWR6', 1],
        ['_ARCH_PWR7', 1],
        ['_ARCH_PWR8', 1],
        ['__LITTLE_ENDIAN__', 1],
        ['_LITTLE_ENDIAN', 1],
        ['_CALL_ELF', 2],
        ['_CALL_LINUX', 1],
        ['__CMODEL_MEDIUM__', 1],
        ['__STRUCT_PARM_ALIGN__', 16],
        ['__LONG_DOUBLE_128__', 1],
        ['__LONG_DOUBLE_IBM128__', 1],
        ['__FLOAT128__', 1],
        ['__FLOAT128_TYPE__', 1],
        ['__HAVE_BSWAP__', 1],
        ['__QUAD_MEMORY_ATOMIC__', 1],
        ['__FP_FAST_FMA', 1],
        ['__FP_FAST_FMAF', 1],
        ['__float128', '__ieee128'],
        ['__SIZEOF_FLOAT128__', 16],
      ] as const)
        def(n, v);
      break;
    case 's390x':
      for (const [n, v] of [
        ['__s390__', 1],
        ['__s390x__', 1],
        ['__zarch__', 1],
        ['__ARCH__', 9],
        ['__LONG_DOUBLE_128__', 1],
        ['__FP_FAST_FMA', 1],
        ['__FP_FAST_FMAF', 1],
      ] as const)
        def(n, v);
      break;
  }
  const seen = new Set<string>();
  let s = '';
  for (const [n, v] of d) {
    const key = n.replace(/\(.*/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    s += `#define ${n} ${v}\n`;
  }
  return s + builtinTypes(t);
}

function floatMacros(
  def: (n: string, v: string | number) => void,
  p: string,
  suf: string,
  mant: number,
  maxExp: number,
  minExp: number,
  dig: number,
  decDig: number,
  max10: number,
  min10: number,
  max: string,
  min: string,
  eps: string,
  denorm: string,
  cast = '',
  normMax = max,
  iec = 2,
): void {
  const w = (v: string): string => (cast ? `(${cast}${v}L)` : v + suf);
  def(`__${p}_MANT_DIG__`, mant);
  def(`__${p}_DIG__`, dig);
  def(`__${p}_MIN_EXP__`, `(${minExp})`);
  def(`__${p}_MIN_10_EXP__`, `(${min10})`);
  def(`__${p}_MAX_EXP__`, maxExp);
  def(`__${p}_MAX_10_EXP__`, max10);
  def(`__${p}_DECIMAL_DIG__`, decDig);
  def(`__${p}_MAX__`, w(max));
  def(`__${p}_NORM_MAX__`, w(normMax));
  def(`__${p}_MIN__`, w(min));
  def(`__${p}_EPSILON__`, w(eps));
  def(`__${p}_DENORM_MIN__`, w(denorm));
  def(`__${p}_HAS_DENORM__`, 1);
  def(`__${p}_HAS_INFINITY__`, 1);
  def(`__${p}_HAS_QUIET_NAN__`, 1);
  def(`__${p}_IS_IEC_60559__`, iec);
}
