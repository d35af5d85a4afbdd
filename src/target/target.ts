// The target table: every ABI fact lives here and nowhere else. Layout, predefined macros and the
// freestanding headers all derive from an entry. Sources: the x86-64 System V psABI, gcc's
// -dM -E output for each triple, and GCC's manual on bitfield and attribute handling.

export type IntKind =
  | 'bool' | 'char' | 'schar' | 'uchar' | 'short' | 'ushort' | 'int' | 'uint'
  | 'long' | 'ulong' | 'llong' | 'ullong' | 'int128' | 'uint128';
export type FloatKind = 'float' | 'double' | 'ldouble' | 'float128' | 'float16' | 'bfloat16';

export interface SizeAlign {
  readonly size: number;
  /** Alignment as a standalone object / in _Alignof. */
  readonly align: number;
  /** Alignment when a struct member, if it differs (i386: double/long long are 4 in structs). */
  readonly fieldAlign?: number;
}

export interface Target {
  readonly triple: string;
  readonly arch: 'x86_64' | 'i386' | 'aarch64' | 'arm' | 'riscv64' | 'powerpc64le' | 's390x';
  readonly os: 'linux' | 'windows';
  readonly endian: 'little' | 'big';
  readonly charSigned: boolean;
  readonly ints: { readonly [K in IntKind]: SizeAlign };
  readonly floats: { readonly [K in FloatKind]?: SizeAlign };
  readonly pointer: SizeAlign;
  /** Alignment of a function type for __alignof__ (gcc answers 1 on most targets). */
  readonly funcAlign: number;
  /** Largest alignment `__attribute__((aligned))` without a number gives (__BIGGEST_ALIGNMENT__). */
  readonly biggestAlign: number;
  /** The bitfield rule family. 'sysv': gcc's Itanium/SysV rules; 'msvc': MSVC's storage-unit rules. */
  readonly bitfields: 'sysv' | 'msvc';
  /** Does an unnamed bitfield's declared type contribute to the record's alignment? */
  readonly unnamedBitfieldAffectsAlign: boolean;
  /** Does a zero-width bitfield's declared type contribute to the record's alignment? */
  readonly zeroWidthBitfieldAffectsAlign: boolean;
  /** Minimum struct/union alignment (arm's old APCS had 4; 1 on every target here). */
  readonly minRecordAlign: number;
  readonly wcharKind: IntKind;
  readonly sizeKind: IntKind;
  readonly ptrdiffKind: IntKind;
  /** Default cacheline for analysis (pahole's default is 64 for every target). */
  readonly cacheline: number;
}

const X86_64_LINUX: Target = {
  triple: 'x86_64-linux-gnu',
  arch: 'x86_64',
  os: 'linux',
  endian: 'little',
  charSigned: true,
  ints: {
    bool: { size: 1, align: 1 },
    char: { size: 1, align: 1 },
    schar: { size: 1, align: 1 },
    uchar: { size: 1, align: 1 },
    short: { size: 2, align: 2 },
    ushort: { size: 2, align: 2 },
    int: { size: 4, align: 4 },
    uint: { size: 4, align: 4 },
    long: { size: 8, align: 8 },
    ulong: { size: 8, align: 8 },
    llong: { size: 8, align: 8 },
    ullong: { size: 8, align: 8 },
    int128: { size: 16, align: 16 },
    uint128: { size: 16, align: 16 },
  },
  floats: {
    float: { size: 4, align: 4 },
    double: { size: 8, align: 8 },
    ldouble: { size: 16, align: 16 },
    float128: { size: 16, align: 16 },
    float16: { size: 2, align: 2 },
    bfloat16: { size: 2, align: 2 },
  },
  pointer: { size: 8, align: 8 },
  funcAlign: 1,
  biggestAlign: 16,
  bitfields: 'sysv',
  unnamedBitfieldAffectsAlign: false,
  zeroWidthBitfieldAffectsAlign: false,
  minRecordAlign: 1,
  wcharKind: 'int',
  sizeKind: 'ulong',
  ptrdiffKind: 'long',
  cacheline: 64,
};

export const TARGETS: readonly Target[] = [X86_64_LINUX];

const ALIASES: Record<string, string> = {
  'x86_64-pc-linux-gnu': 'x86_64-linux-gnu',
  'x86_64-unknown-linux-gnu': 'x86_64-linux-gnu',
  'x86_64-linux': 'x86_64-linux-gnu',
  x86_64: 'x86_64-linux-gnu',
};

export function findTarget(triple: string): Target | undefined {
  const t = ALIASES[triple] ?? triple;
  return TARGETS.find((x) => x.triple === t);
}

export const DEFAULT_TARGET = X86_64_LINUX;
