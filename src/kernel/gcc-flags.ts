// gcc's command-line flags, for compile_commands.json entries and for layoutof's own command line:
// those that change preprocessing or layout are applied (include paths, macros, the target and its
// layout variant), every other gcc flag is accepted and ignored. docs/gcc-flags.md lists both.

import { normalizePath } from '../core/fs.js';
import { findTarget, TARGETS, type Target } from '../target/target.js';
import { flagMacroEffects, type MacroOp } from './flags.js';
import { ISA_MACROS } from './gcc-isa.js';

/** Layout-changing flags, applied as a variant of the target (target facts stay in its table). */
export interface LayoutFlags {
  shortEnums?: boolean;
  /** -fpack-struct=N; 0 for -fpack-struct (every record packed). */
  pack?: number;
  msBitfields?: boolean;
  charSigned?: boolean;
  shortWchar?: boolean;
  /** -malign-double (i386: double and long long 8-aligned in records). */
  alignDouble?: boolean;
  /** -mlong-double-64 / -mlong-double-128 / -m96bit-long-double / -m128bit-long-double: bytes. */
  longDouble?: number;
  /** -m32 / -m64 / -mx32 */
  mode?: '32' | '64' | 'x32';
}

export interface GccArgs {
  readonly include: { quote: string[]; angled: string[]; system: string[]; after: string[] };
  /** Effects of code-generation flags on predefined macros, then -D/-U in order. */
  readonly macros: MacroOp[];
  readonly forcedIncludes: string[];
  nostdinc: boolean;
  /** --target= / -target */
  target?: string;
  readonly layout: LayoutFlags;
  /** Flags that change macros (-march, -std, -O, ...), in order; see flagMacroEffects. */
  readonly codegen: string[];
  /** Words that are not gcc flags (input files, or unknown options). */
  readonly rest: string[];
}

/** gcc flags whose value is the next word (when not joined). */
const SEPARATE = new Set([
  '-o',
  '-x',
  '-MF',
  '-MT',
  '-MQ',
  '-aux-info',
  '-dumpbase',
  '-dumpbase-ext',
  '-dumpdir',
  '-Xlinker',
  '-Xassembler',
  '-Xpreprocessor',
  '-T',
  '-u',
  '-z',
  '-e',
  '-B',
  '-L',
  '-l',
  '--param',
  '-imultilib',
  '-iprefix',
  '-iwithprefix',
  '-iwithprefixbefore',
  '-isysroot',
  '-imacros',
  '-include',
  '-I',
  '-D',
  '-U',
  '-isystem',
  '-idirafter',
  '-iquote',
  '-target',
  '--target',
  '-wrapper',
  '-imultiarch',
  '--dumpbase',
  '--dumpbase-ext',
  '--dumpdir',
  '-G',
  '-specs',
  '--sysroot',
  '-A',
  '-arch',
  '--include-directory',
  '--include-directory-after',
  '--define-macro',
  '--undefine-macro',
  '--include',
  '--imacros',
  '--output',
  '--language',
  '--assert',
  '--include-prefix',
  '--include-with-prefix',
  '--include-with-prefix-after',
  '--include-with-prefix-before',
  '--prefix',
  '--library-directory',
]);

/** gcc's long spellings (gcc.cc's option_map) of flags that are applied. */
const LONG: Record<string, string> = {
  '--include-directory': '-I',
  '--include-directory-after': '-idirafter',
  '--define-macro': '-D',
  '--undefine-macro': '-U',
  '--include': '-include',
  '--imacros': '-imacros',
  '--no-standard-includes': '-nostdinc',
  '--ansi': '-ansi',
  '--std': '-std=',
  '--pthread': '-pthread',
  '--include-prefix': '-iprefix',
  '--include-with-prefix': '-iwithprefix',
  '--include-with-prefix-after': '-iwithprefix',
  '--include-with-prefix-before': '-iwithprefixbefore',
};

/** Words a gcc flag at args[i] takes (1 or 2), or 0 when args[i] is not a gcc flag. */
export function gccFlagArity(args: readonly string[], i: number): number {
  const a = args[i]!;
  if (!a.startsWith('-') || a === '-') return 0;
  const name = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
  if (SEPARATE.has(name) && name === a) return i + 1 < args.length ? 2 : 1;
  if (isGccFlag(a)) return 1;
  return 0;
}

/** A regular expression for a word that `start` and then one of `alternatives` (regex sources) begin,
 *  or (with `whole`) that they spell entirely. */
function optionPattern(start: string, alternatives: string, whole = false): RegExp {
  return new RegExp(`^${start}(${alternatives.trim().split(/\s+/).join('|')})${whole ? '$' : ''}`);
}
// Every spelling gcc documents falls in one of these (isGccFlag).
const SHORT_OPTION_PREFIXES = optionPattern(
  '-',
  `f m W O g d M I D U L l B A e u z std= iquote isystem idirafter include imacros iprefix iwithprefix
   isysroot imultilib specs= print- dump x o Xlinker Xassembler Xpreprocessor T`,
);
const LONG_OPTION_PREFIXES = optionPattern(
  '--',
  `param sysroot target help version include- define-macro undefine-macro no-standard- ansi std pthread
   imacros include language output assert prefix library-directory verbose pedantic pipe save-temps
   no-warnings all-warnings extra-warnings optimize debug profile coverage no-line-commands trace-includes
   comments print- dump completion target-help`,
);
const SHORT_OPTIONS = optionPattern(
  '-',
  `c S E v w p pg s r Q H C CC P ansi pthread pthreads pipe pie no-pie static static-pie shared shared-libgcc
   static-libgcc static-libasan static-libstdc\\+\\+ symbolic rdynamic nostdinc nostdlib nostartfiles
   nodefaultlibs nolibc pedantic pedantic-errors pass-exit-codes save-temps.* time.* trigraphs traditional
   traditional-cpp undef remap no-canonical-prefixes no-integrated-cpp flto.* target wrapper G\\d* arch
   coverage ftime-report Ofast Og Os Oz gz.* X Z #{3} quiet imultiarch iplugindir=.* aux-info(=.*)?`,
  true,
);

/** Does `a` (one word) look like a gcc option? */
function isGccFlag(a: string): boolean {
  if (SHORT_OPTION_PREFIXES.test(a)) return true;
  if (a.startsWith('--')) return LONG_OPTION_PREFIXES.test(a);
  return SHORT_OPTIONS.test(a);
}

/** Parses gcc flags (without the compiler's name). `abs` resolves a directory argument. */
export function parseGccArgs(args: readonly string[], abs: (p: string) => string = (p) => p): GccArgs {
  const g: GccArgs = {
    include: { quote: [], angled: [], system: [], after: [] },
    macros: [],
    forcedIncludes: [],
    nostdinc: false,
    layout: {},
    codegen: [],
    rest: [],
  };
  let prefix = '';
  const words = [...args];
  for (let i = 0; i < words.length; i++) {
    let a = words[i]!;
    // --long=VALUE and --long VALUE become gcc's short spellings.
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const long = LONG[eq > 0 ? a.slice(0, eq) : a];
    if (long !== undefined)
      a = long.endsWith('=')
        ? long + (eq > 0 ? a.slice(eq + 1) : (words[++i] ?? ''))
        : eq > 0
          ? long + a.slice(eq + 1)
          : long;
    const take = (): string => words[++i] ?? '';
    const joined = (flag: string): string | undefined =>
      a === flag ? take() : a.startsWith(flag) ? a.slice(flag.length) : undefined;
    let v: string | undefined;
    if (a.startsWith('-Wp,') || a === '-Xpreprocessor') {
      // Preprocessor flags passed through: parsed as if given directly (gcc splits -Wp, at commas).
      const more = a === '-Xpreprocessor' ? [take()] : a.slice(4).split(',');
      words.splice(i + 1, 0, ...more);
    } else if ((v = joined('-isystem')) !== undefined) g.include.system.push(abs(v));
    else if ((v = joined('-idirafter')) !== undefined) g.include.after.push(abs(v));
    else if ((v = joined('-iquote')) !== undefined) g.include.quote.push(abs(v));
    else if ((v = joined('-imacros')) !== undefined) g.forcedIncludes.push(v);
    else if ((v = joined('-include')) !== undefined) g.forcedIncludes.push(v);
    else if ((v = joined('-iprefix')) !== undefined) prefix = v;
    else if ((v = joined('-iwithprefixbefore')) !== undefined) g.include.angled.push(abs(prefix + v));
    else if ((v = joined('-iwithprefix')) !== undefined) g.include.after.push(abs(prefix + v));
    else if ((v = joined('-isysroot')) !== undefined || (v = joined('-imultilib')) !== undefined) void v;
    else if ((v = joined('-I')) !== undefined) {
      if (v !== '-') g.include.angled.push(abs(v));
    } else if ((v = joined('-D')) !== undefined) g.macros.push(['D', v]);
    else if ((v = joined('-U')) !== undefined) g.macros.push(['U', v]);
    else if (a === '-nostdinc') g.nostdinc = true;
    else if (a.startsWith('--target=')) g.target = a.slice(9);
    else if (a === '-target' || a === '--target') g.target = take();
    else if (!layoutFlag(a, g.layout)) {
      if (SEPARATE.has(a)) i++;
      else if (a.startsWith('-')) g.codegen.push(a);
      else g.rest.push(a);
    }
  }
  return g;
}

/** Records a layout-changing flag; false when `a` is not one. */
function layoutFlag(a: string, l: LayoutFlags): boolean {
  let m: RegExpExecArray | null;
  if (a === '-fshort-enums' || a === '-fno-short-enums') l.shortEnums = a === '-fshort-enums';
  else if (a === '-fpack-struct') l.pack = 0;
  else if ((m = /^-fpack-struct=(\d+)$/.exec(a))) l.pack = Number(m[1]);
  else if (a === '-fno-pack-struct') delete l.pack;
  else if (a === '-mms-bitfields' || a === '-mno-ms-bitfields') l.msBitfields = a === '-mms-bitfields';
  else if (a === '-funsigned-char' || a === '-fno-signed-char') l.charSigned = false;
  else if (a === '-fsigned-char' || a === '-fno-unsigned-char') l.charSigned = true;
  else if (a === '-fshort-wchar' || a === '-fno-short-wchar') l.shortWchar = a === '-fshort-wchar';
  else if (a === '-malign-double' || a === '-mno-align-double') l.alignDouble = a === '-malign-double';
  else if ((m = /^-mlong-double-(64|80|128)$/.exec(a)))
    l.longDouble = m[1] === '64' ? 8 : m[1] === '128' ? 16 : undefined;
  else if (a === '-m96bit-long-double' || a === '-m128bit-long-double')
    l.longDouble = a === '-m96bit-long-double' ? 12 : 16;
  else if (a === '-m32' || a === '-m64' || a === '-mx32') l.mode = a === '-m32' ? '32' : a === '-m64' ? '64' : 'x32';
  else return false;
  // (Their macros, __CHAR_UNSIGNED__ and __WCHAR_TYPE__ among them, follow from the variant target.)
  return true;
}

export class TargetFlagError extends Error {}

/** A triple as compilers spell it, with or without a vendor (aarch64-unknown-linux-gnu, x86_64-pc-
 *  linux-gnu, riscv64-unknown-linux-gnu are clang's and crosstool's spellings of the targets here). */
function tripleTarget(triple: string): Target | undefined {
  const parts = triple.split('-');
  return (
    findTarget(triple) ??
    (parts.length === 4 && (parts[1] === 'unknown' || parts[1] === 'pc' || parts[1] === 'none')
      ? findTarget([parts[0], ...parts.slice(2)].join('-'))
      : undefined)
  );
}

const targetList = (): string => TARGETS.map((t) => t.triple).join(', ');

/** The target a compiler command names: --target=, then a cross compiler's triple prefix
 *  (aarch64-linux-gnu-gcc-12), then -m32/-m64 against it. Unknown triples are refused. */
export function commandTarget(compiler: string | undefined, g: GccArgs, fallback: Target): Target {
  let t = fallback;
  if (g.target !== undefined) {
    const found = tripleTarget(g.target);
    if (!found) throw new TargetFlagError(`unknown target '${g.target}' (targets: ${targetList()})`);
    t = found;
  } else if (compiler) {
    const base = compiler.slice(compiler.lastIndexOf('/') + 1);
    const m = /^(.+?)-(gcc|cc|clang|c\+\+|g\+\+|cpp)(-[\d.]+)?$/.exec(base);
    if (m && m[1] !== 'x86_64-linux-gnu' && !/^(clang|gcc|cc)$/.test(m[1]!)) {
      const found = tripleTarget(m[1]!);
      if (!found) throw new TargetFlagError(`${base} compiles for '${m[1]}', not one of the targets (${targetList()})`);
      t = found;
    } else if (m && m[1] === 'x86_64-linux-gnu') t = findTarget('x86_64-linux-gnu')!;
  }
  const mode = g.layout.mode;
  if (mode === 'x32') throw new TargetFlagError(`-mx32: the x32 ABI is not one of the targets (${targetList()})`);
  if (mode === '32' && t.arch === 'x86_64' && t.os === 'linux') t = findTarget('i686-linux-gnu')!;
  if (mode === '64' && t.arch === 'i386') t = findTarget('x86_64-linux-gnu')!;
  return t;
}

/** `t` as the layout flags and ISA flags change it (a variant: same triple, other facts). */
export function targetVariant(t: Target, l: LayoutFlags, codegen: readonly string[] = []): Target {
  const isa = isaLayout(t, codegen);
  if (Object.keys(l).every((k) => k === 'mode') && !isa) return t;
  const v: { -readonly [K in keyof Target]: Target[K] } = { ...t, ...isa };
  if (l.shortEnums) v.shortEnums = true;
  if (l.pack === 0) v.packAll = true;
  else if (l.pack !== undefined && l.pack > 0) v.defaultPack = l.pack;
  if (l.msBitfields) v.bitfields = 'msvc';
  if (l.charSigned !== undefined) v.charSigned = l.charSigned;
  if (l.shortWchar) v.wcharKind = 'ushort';
  // i386's cap of double and long long at 4 bytes in records is lifted by both (MSVC's rules have no cap).
  if (t.arch === 'i386' && (l.alignDouble || l.msBitfields)) {
    delete v.fieldAlignCap;
    v.ints = { ...t.ints, llong: { size: 8, align: 8 }, ullong: { size: 8, align: 8 } };
    v.floats = { ...t.floats, double: { size: 8, align: 8 } };
  }
  if (l.longDouble !== undefined && (t.arch === 'i386' || t.arch === 'x86_64')) {
    // (x86-64's 16-byte x87 long double as 8-byte binary64; i386's 16-byte spelling is not modelled.)
    if (l.longDouble === 8) {
      v.floats = { ...v.floats, ldouble: { size: 8, align: t.arch === 'i386' ? 4 : 8 } };
      v.ldoubleFormat = 'binary64';
    } else if (t.arch === 'i386' && l.longDouble === 16)
      throw new TargetFlagError('-m128bit-long-double / -mlong-double-128 on i686: not modelled');
  }
  return v;
}

/** i686's -march CPUs without MMX, and the -m<isa> flags that imply it (an explicit -mno-mmx wins). */
const I386_NO_MMX = /^-march=(i386|i486|i586|pentium|lakemont|pentiumpro|i686)$/;
const I386_MMX = /^-m(mmx|3dnow|sse|ssse3|avx|fma|aes|pclmul|sha|f16c|xop)/;

/** s390x's -march levels with the vector facility (z13 on): vectors are 8-aligned in records. */
const S390X_VX = /^-march=(z1[3-9]|arch1[1-9])$/;

/** What ISA flags change in a layout: BIGGEST_ALIGNMENT (x86's -mavx: 32, -mavx512f: 64), which caps
 *  _Alignof, and s390x's vector facility, which caps vectors at 8 bytes. */
function isaLayout(t: Target, codegen: readonly string[]): Partial<Target> | undefined {
  let out: { biggestAlign?: number; vectorAlign?: number; mmx?: boolean } | undefined;
  // (i686 takes x86-64's -march and -m<isa> values, and their BIGGEST_ALIGNMENT.)
  for (const [k, v] of isaMacroOps(t.arch === 'i386' ? { ...t, arch: 'x86_64' } : t, codegen))
    if (k === 'D' && v.startsWith('__BIGGEST_ALIGNMENT__=')) (out ??= {}).biggestAlign = Number(v.slice(22));
  if (t.arch === 'i386') {
    let march = false;
    for (const f of codegen) if (f.startsWith('-march=')) march = !I386_NO_MMX.test(f);
    if ((march || codegen.some((f) => I386_MMX.test(f))) && !codegen.includes('-mno-mmx')) (out ??= {}).mmx = true;
  }
  if (t.arch === 's390x') {
    let vx = false;
    for (const f of codegen)
      if (f.startsWith('-march=')) vx = S390X_VX.test(f);
      else if (f === '-mvx' || f === '-mno-vx') vx = f === '-mvx';
    if (vx) (out ??= {}).vectorAlign = 8;
  }
  return out;
}

/** Macro changes of -march=/-mcpu=/-mfpu=/-m<isa> flags on `t`'s architecture (gcc-isa.ts). */
export function isaMacroOps(t: Target, codegen: readonly string[]): MacroOp[] {
  const table = ISA_MACROS[t.arch];
  if (!table) return [];
  const ops: MacroOp[] = [];
  for (const f of codegen) {
    const e = table[f];
    if (e === undefined) continue;
    const words = e.split(/\s+/).filter(Boolean);
    for (const w of words) if (w.startsWith('-')) ops.push(['U', w.slice(1)]);
    for (const w of words) if (!w.startsWith('-')) ops.push(['D', w.includes('=') ? w : `${w}=1`]);
  }
  return ops;
}

/** Everything the flags do to predefined macros for target `t`, then their -D/-U, in gcc's order. */
export function gccMacros(t: Target, g: GccArgs): MacroOp[] {
  return [...flagMacroEffects(g.codegen, t), ...isaMacroOps(t, g.codegen), ...g.macros];
}

/** The include chains of api.ts's IncludePaths (kernel/ does not import api.ts). */
interface IncludeChains {
  readonly quote: readonly string[];
  readonly angled: readonly string[];
  readonly system: readonly string[];
  readonly builtin: readonly string[];
  readonly after: readonly string[];
}

/** gcc's merge of the include chains (incpath.c): a directory repeated within the system chain
 *  (-isystem, the compiler's own, -idirafter) is kept once, where it first appears; a -I or -iquote
 *  directory that repeats a system one is dropped ("ignoring duplicate directory"), as is one that
 *  repeats an earlier one of its own chain. So a header resolves to the file gcc finds. */
export function dropDuplicateDirs<T extends IncludeChains>(inc: T): T {
  const key = (d: string): string => normalizePath(d).replace(/\/+$/, '') || '/';
  const seen = new Set<string>();
  const keepFirst = (dirs: readonly string[], also: ReadonlySet<string> = new Set()): string[] => {
    const own = new Set<string>();
    return dirs.filter((d) => {
      const k = key(d);
      if (own.has(k) || also.has(k)) return false;
      own.add(k);
      return true;
    });
  };
  // The system chain in search order: -isystem, the builtin directories, then -idirafter.
  const system = inc.system.filter((d) => !seen.has(key(d)) && (seen.add(key(d)), true));
  const builtin = inc.builtin.filter((d) => !seen.has(key(d)) && (seen.add(key(d)), true));
  const after = inc.after.filter((d) => !seen.has(key(d)) && (seen.add(key(d)), true));
  return { ...inc, quote: keepFirst(inc.quote, seen), angled: keepFirst(inc.angled, seen), system, builtin, after };
}
