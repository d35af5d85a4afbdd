// The target table: every ABI fact lives here and nowhere else. Layout, predefined macros and the
// freestanding headers all derive from an entry. Sources: the x86-64 System V psABI, gcc's
// -dM -E output for each triple, and GCC's manual on bitfield and attribute handling.

export type IntKind =
  | 'bool'
  | 'char'
  | 'schar'
  | 'uchar'
  | 'short'
  | 'ushort'
  | 'int'
  | 'uint'
  | 'long'
  | 'ulong'
  | 'llong'
  | 'ullong'
  | 'int128'
  | 'uint128';
export type FloatKind =
  'float' | 'double' | 'ldouble' | 'float128' | 'float16' | 'bfloat16' | 'decimal32' | 'decimal64' | 'decimal128';

export interface SizeAlign {
  readonly size: number;
  /** ABI alignment: _Alignof, and alignment as a struct member. */
  readonly align: number;
  /** gcc's preferred alignment (__alignof__) when it differs (i386: double and long long are 8). */
  readonly prefAlign?: number;
}

export interface Target {
  readonly triple: string;
  readonly arch: 'x86_64' | 'i386' | 'aarch64' | 'arm' | 'riscv64' | 'powerpc64le' | 's390x';
  readonly os: 'linux' | 'windows';
  readonly endian: 'little' | 'big';
  readonly charSigned: boolean;
  readonly ints: { readonly [K in IntKind]: SizeAlign };
  readonly floats: { readonly [K in FloatKind]?: SizeAlign };
  /** long double's format: the x87's 80-bit extended, IEEE binary64 or binary128, or IBM's
   *  double-double (gcc 12's default on ppc64le). */
  readonly ldoubleFormat: 'x87' | 'binary64' | 'binary128' | 'ibm128';
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
  /** True where gcc has no __int128 (32-bit targets). */
  readonly noInt128?: boolean;
  /** i386: struct members of scalar types are aligned to at most this many bytes unless the type has a
   *  user alignment (gcc's x86_field_alignment; _Atomic long long included since gcc 11). */
  readonly fieldAlignCap?: number;
  /** gcc's STRICT_ALIGNMENT (arm; riscv64 with its default tuning): a record that gets a scalar machine
   *  mode of its own alignment loses its TYPE_USER_ALIGN (so a member of it is not explicitly aligned). */
  readonly strictAlignment?: boolean;
  /** Largest alignment a vector_size type gets where the ABI caps it (AAPCS64: 16, AAPCS: 8); else
   *  its size. */
  readonly vectorAlign?: number;
  /** i386 with MMX (-mmmx, -msse..., most -march CPUs): an 8-byte vector has a vector mode, which
   *  keeps its 8-byte alignment in records (without MMX it is DImode, capped at 4 like long long). */
  readonly mmx?: boolean;
  /** _Alignof is the type's alignment, not capped at biggestAlign as gcc's min_align_of_type caps it
   *  (clang, the MSVC target's compiler). */
  readonly alignofUncapped?: boolean;
  /** -fshort-enums: every enum takes the smallest integer type that holds its values (as if packed). */
  readonly shortEnums?: boolean;
  /** -fpack-struct=N: the #pragma pack value in effect where no pragma says otherwise (bytes). */
  readonly defaultPack?: number;
  /** -fpack-struct: every struct and union is packed (and #pragma pack is ignored). */
  readonly packAll?: boolean;
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
    decimal32: { size: 4, align: 4 },
    decimal64: { size: 8, align: 8 },
    decimal128: { size: 16, align: 16 },
  },
  ldoubleFormat: 'x87',
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

const sa = (size: number, align = size, prefAlign?: number): SizeAlign =>
  prefAlign ? { size, align, prefAlign } : { size, align };

/** Integer sizes for ILP32 and LP64 targets; long double and __int128 vary per ABI. */
function ints(long: number, llAlign = 8, llPref?: number, i128Align = 16): Target['ints'] {
  return {
    bool: sa(1),
    char: sa(1),
    schar: sa(1),
    uchar: sa(1),
    short: sa(2),
    ushort: sa(2),
    int: sa(4),
    uint: sa(4),
    long: sa(long),
    ulong: sa(long),
    llong: sa(8, llAlign, llPref),
    ullong: sa(8, llAlign, llPref),
    int128: sa(16, i128Align),
    uint128: sa(16, i128Align),
  };
}

const LINUX_COMMON = {
  os: 'linux' as const,
  funcAlign: 1,
  bitfields: 'sysv' as const,
  minRecordAlign: 1,
  cacheline: 64,
};

const I686_LINUX: Target = {
  ...LINUX_COMMON,
  triple: 'i686-linux-gnu',
  arch: 'i386',
  endian: 'little',
  charSigned: true,
  ints: ints(4, 4, 8),
  floats: {
    float: sa(4),
    double: sa(8, 4, 8),
    ldouble: sa(12, 4),
    float128: sa(16),
    float16: sa(2),
    bfloat16: sa(2),
    decimal32: sa(4),
    decimal64: sa(8),
    decimal128: sa(16),
  },
  ldoubleFormat: 'x87',
  pointer: sa(4),
  biggestAlign: 16,
  unnamedBitfieldAffectsAlign: false,
  zeroWidthBitfieldAffectsAlign: false,
  wcharKind: 'long',
  sizeKind: 'uint',
  ptrdiffKind: 'int',
  noInt128: true,
  fieldAlignCap: 4,
};

const AARCH64_LINUX: Target = {
  ...LINUX_COMMON,
  triple: 'aarch64-linux-gnu',
  arch: 'aarch64',
  endian: 'little',
  charSigned: false,
  ints: ints(8),
  floats: { float: sa(4), double: sa(8), ldouble: sa(16), float128: sa(16), float16: sa(2), bfloat16: sa(2) },
  ldoubleFormat: 'binary128',
  pointer: sa(8),
  biggestAlign: 16,
  unnamedBitfieldAffectsAlign: true,
  zeroWidthBitfieldAffectsAlign: true,
  wcharKind: 'uint',
  sizeKind: 'ulong',
  ptrdiffKind: 'long',
  vectorAlign: 16,
};

const ARM_LINUX: Target = {
  ...LINUX_COMMON,
  triple: 'arm-linux-gnueabihf',
  arch: 'arm',
  endian: 'little',
  charSigned: false,
  ints: ints(4),
  floats: { float: sa(4), double: sa(8), ldouble: sa(8), float16: sa(2) },
  ldoubleFormat: 'binary64',
  pointer: sa(4),
  biggestAlign: 8,
  unnamedBitfieldAffectsAlign: true,
  zeroWidthBitfieldAffectsAlign: true,
  wcharKind: 'uint',
  sizeKind: 'uint',
  ptrdiffKind: 'int',
  noInt128: true,
  strictAlignment: true,
  vectorAlign: 8,
};

const RISCV64_LINUX: Target = {
  ...LINUX_COMMON,
  triple: 'riscv64-linux-gnu',
  arch: 'riscv64',
  endian: 'little',
  charSigned: false,
  ints: ints(8),
  floats: { float: sa(4), double: sa(8), ldouble: sa(16), float128: sa(16), float16: sa(2) },
  ldoubleFormat: 'binary128',
  pointer: sa(8),
  biggestAlign: 16,
  unnamedBitfieldAffectsAlign: false,
  zeroWidthBitfieldAffectsAlign: false,
  wcharKind: 'int',
  sizeKind: 'ulong',
  ptrdiffKind: 'long',
  strictAlignment: true,
};

const PPC64LE_LINUX: Target = {
  ...LINUX_COMMON,
  triple: 'powerpc64le-linux-gnu',
  arch: 'powerpc64le',
  endian: 'little',
  charSigned: false,
  ints: ints(8),
  floats: {
    float: sa(4),
    double: sa(8),
    ldouble: sa(16),
    float128: sa(16),
    decimal32: sa(4),
    decimal64: sa(8),
    decimal128: sa(16),
  },
  ldoubleFormat: 'ibm128',
  pointer: sa(8),
  biggestAlign: 16,
  unnamedBitfieldAffectsAlign: false,
  zeroWidthBitfieldAffectsAlign: false,
  wcharKind: 'int',
  sizeKind: 'ulong',
  ptrdiffKind: 'long',
};

const S390X_LINUX: Target = {
  ...LINUX_COMMON,
  triple: 's390x-linux-gnu',
  arch: 's390x',
  endian: 'big',
  charSigned: false,
  ints: ints(8, 8, undefined, 8),
  floats: {
    float: sa(4),
    double: sa(8),
    ldouble: sa(16, 8),
    float128: sa(16, 8),
    decimal32: sa(4),
    decimal64: sa(8),
    decimal128: sa(16, 8),
  },
  ldoubleFormat: 'binary128',
  pointer: sa(8),
  biggestAlign: 8,
  unnamedBitfieldAffectsAlign: false,
  zeroWidthBitfieldAffectsAlign: false,
  wcharKind: 'int',
  sizeKind: 'ulong',
  ptrdiffKind: 'long',
};

/** Windows x64 with MSVC's ABI (LLP64, Microsoft bitfield rules). */
const X86_64_WINDOWS: Target = {
  triple: 'x86_64-windows-msvc',
  arch: 'x86_64',
  os: 'windows',
  endian: 'little',
  charSigned: true,
  ints: ints(4),
  floats: { float: sa(4), double: sa(8), ldouble: sa(8) },
  ldoubleFormat: 'binary64',
  pointer: sa(8),
  funcAlign: 1,
  biggestAlign: 16,
  alignofUncapped: true,
  bitfields: 'msvc',
  unnamedBitfieldAffectsAlign: true,
  zeroWidthBitfieldAffectsAlign: false,
  minRecordAlign: 1,
  wcharKind: 'ushort',
  sizeKind: 'ullong',
  ptrdiffKind: 'llong',
  cacheline: 64,
};

export const TARGETS: readonly Target[] = [
  X86_64_LINUX,
  I686_LINUX,
  AARCH64_LINUX,
  ARM_LINUX,
  RISCV64_LINUX,
  PPC64LE_LINUX,
  S390X_LINUX,
  X86_64_WINDOWS,
];

// Other spellings of the triples: gcc's and clang's (vendor fields, i386/i586), Debian's architecture
// names (amd64, arm64, armhf, ppc64el) and the short names people type. Names that would pick one of
// several ABIs (x86, powerpc, s390, riscv, armel, windows: MinGW's differs from MSVC's) are left out.
const ALIASES: { [name: string]: string } = {
  'x86_64-pc-linux-gnu': 'x86_64-linux-gnu',
  'x86_64-unknown-linux-gnu': 'x86_64-linux-gnu',
  'x86_64-linux': 'x86_64-linux-gnu',
  x86_64: 'x86_64-linux-gnu',
  'x86-64': 'x86_64-linux-gnu',
  amd64: 'x86_64-linux-gnu',
  'i386-linux-gnu': 'i686-linux-gnu',
  'i586-linux-gnu': 'i686-linux-gnu',
  'i686-pc-linux-gnu': 'i686-linux-gnu',
  i386: 'i686-linux-gnu',
  i486: 'i686-linux-gnu',
  i586: 'i686-linux-gnu',
  i686: 'i686-linux-gnu',
  'arm64-linux-gnu': 'aarch64-linux-gnu',
  'aarch64-unknown-linux-gnu': 'aarch64-linux-gnu',
  'aarch64-linux': 'aarch64-linux-gnu',
  aarch64: 'aarch64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  'armhf-linux-gnu': 'arm-linux-gnueabihf',
  'armv7-linux-gnueabihf': 'arm-linux-gnueabihf',
  'armv7l-linux-gnueabihf': 'arm-linux-gnueabihf',
  armhf: 'arm-linux-gnueabihf',
  armv7: 'arm-linux-gnueabihf',
  armv7l: 'arm-linux-gnueabihf',
  arm: 'arm-linux-gnueabihf',
  'riscv64-unknown-linux-gnu': 'riscv64-linux-gnu',
  riscv64: 'riscv64-linux-gnu',
  'ppc64le-linux-gnu': 'powerpc64le-linux-gnu',
  'powerpc64le-unknown-linux-gnu': 'powerpc64le-linux-gnu',
  ppc64le: 'powerpc64le-linux-gnu',
  ppc64el: 'powerpc64le-linux-gnu',
  powerpc64le: 'powerpc64le-linux-gnu',
  's390x-ibm-linux-gnu': 's390x-linux-gnu',
  s390x: 's390x-linux-gnu',
  'x86_64-pc-windows-msvc': 'x86_64-windows-msvc',
  'x86_64-windows': 'x86_64-windows-msvc',
  win64: 'x86_64-windows-msvc',
  msvc: 'x86_64-windows-msvc',
};

export function findTarget(triple: string): Target | undefined {
  const lower = triple.toLowerCase();
  const t = ALIASES[lower] ?? lower;
  return TARGETS.find((x) => x.triple === t);
}

/** The other names findTarget accepts for `triple`. */
export function targetAliases(triple: string): string[] {
  return Object.keys(ALIASES).filter((a) => ALIASES[a] === triple);
}

export const DEFAULT_TARGET = X86_64_LINUX;
