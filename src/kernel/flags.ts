// What gcc's code-generation flags do to its predefined macros, as -D/-U entries applied after the
// target's defaults. Facts from `gcc-12 <flags> -dM -E` compared with plain `gcc -dM -E` on x86_64.

import type { Target } from '../target/target.js';

export type MacroOp = readonly ['D' | 'U', string];

const X86_VECTOR: Record<string, string[]> = {
  '-mno-sse': ['__SSE__', '__SSE_MATH__', '__SSE2__', '__SSE2_MATH__', '__MMX_WITH_SSE__'],
  '-mno-sse2': ['__SSE2__', '__SSE2_MATH__', '__MMX_WITH_SSE__'],
  '-mno-mmx': ['__MMX__', '__MMX_WITH_SSE__'],
};

/** Macro changes implied by compiler flags (unknown flags change nothing). */
export function flagMacroEffects(flags: readonly string[], t?: Target): MacroOp[] {
  const ops: MacroOp[] = [];
  const U = (n: string): void => void ops.push(['U', n]);
  const D = (n: string, v: string | number = 1): void => void ops.push(['D', `${n}=${v}`]);
  for (const f of flags) {
    if (f in X86_VECTOR) X86_VECTOR[f]!.forEach(U);
    else if (/^-O([1-3sz]|fast|g)?$/.test(f) && f !== '-O0') {
      D('__OPTIMIZE__');
      U('__NO_INLINE__');
      if (f === '-Os' || f === '-Oz') D('__OPTIMIZE_SIZE__');
    } else if (f === '-O0') {
      U('__OPTIMIZE__');
      D('__NO_INLINE__');
    } else if (f === '-fno-PIE' || f === '-fno-pie' || f === '-fno-PIC' || f === '-fno-pic')
      [
        '__pie__',
        '__PIE__',
        ...(f.endsWith('IC') || f.endsWith('ic') ? ['__pic__', '__PIC__'] : ['__pic__', '__PIC__']),
      ].forEach(U);
    else if (f === '-fstack-protector') D('__SSP__');
    else if (f === '-fstack-protector-strong') D('__SSP_STRONG__', 3);
    else if (f === '-fstack-protector-all') D('__SSP_ALL__', 2);
    else if (f === '-fshort-wchar') {
      D('__WCHAR_TYPE__', 'short unsigned int');
      D('__WCHAR_MAX__', '0xffff');
      D('__WCHAR_MIN__', 0);
      D('__WCHAR_WIDTH__', 16);
      D('__SIZEOF_WCHAR_T__', 2);
    } else if (f === '-funsigned-char') D('__CHAR_UNSIGNED__');
    else if (f === '-fsigned-char') U('__CHAR_UNSIGNED__');
    else if (f.startsWith('-mcmodel=')) {
      U('__code_model_small__');
      D(`__code_model_${f.slice(9)}__`);
    } else if (f === '-mno-80387' || f === '-msoft-float') {
      D('_SOFT_FLOAT');
      D('__GCC_IEC_559', 0);
      D('__GCC_IEC_559_COMPLEX', 0);
      U('__STDC_IEC_559__');
      U('__STDC_IEC_559_COMPLEX__');
    } else if (f.startsWith('-std=') || f === '-ansi')
      stdMacros(f === '-ansi' ? 'c90' : f.slice(5), t).forEach((op) => ops.push(op));
    else if (f === '-pthread') D('_REENTRANT');
    else if (f === '-fopenmp') {
      D('_OPENMP', 201511);
      D('_REENTRANT');
    } else if (f === '-fpic' || f === '-fpie') {
      // (Debian's gcc defaults to -fPIE: level 2.)
      ['__pic__', '__PIC__'].forEach((n) => D(n, 1));
      ['__pie__', '__PIE__'].forEach((n) => (f === '-fpie' ? D(n, 1) : U(n)));
    } else if (f === '-fPIC') ['__pie__', '__PIE__'].forEach(U);
    else if (f === '-fexceptions') D('__EXCEPTIONS');
    else if (f === '-fsanitize=address') D('__SANITIZE_ADDRESS__');
    else if (f === '-fsanitize=thread') D('__SANITIZE_THREAD__');
    else if (f === '-fgnu89-inline') {
      U('__GNUC_STDC_INLINE__');
      D('__GNUC_GNU_INLINE__');
    } else if (f === '-ffreestanding') {
      D('__STDC_HOSTED__', 0);
      [
        '_STDC_PREDEF_H',
        '__STDC_IEC_559__',
        '__STDC_IEC_559_COMPLEX__',
        '__STDC_IEC_60559_BFP__',
        '__STDC_IEC_60559_COMPLEX__',
        '__STDC_ISO_10646__',
      ].forEach(U);
    } else if (f === '-pg') {
      // no macro
    }
  }
  return ops;
}

/** -std=STD (gcc 12, whose default is gnu17): __STDC_VERSION__, __STRICT_ANSI__ and the macros that
 *  depend on them. Strict modes drop the unreserved `linux`, `unix` and `i386`. */
function stdMacros(std: string, t: Target | undefined): MacroOp[] {
  const ops: MacroOp[] = [];
  const iso = /^(c|iso9899:)/.test(std);
  const year = /(89|90|iso9899:1990)$/.test(std)
    ? 1990
    : /199409$/.test(std)
      ? 1994
      : /(99|9x)$/.test(std)
        ? 1999
        : /(11|1x)$/.test(std)
          ? 2011
          : /(17|18)$/.test(std)
            ? 2017
            : /(2x|23)$/.test(std)
              ? 2023
              : undefined;
  if (year === undefined) return ops;
  const version = {
    1990: undefined,
    1994: '199409L',
    1999: '199901L',
    2011: '201112L',
    2017: '201710L',
    2023: '202000L',
  }[year];
  ops.push(version ? ['D', `__STDC_VERSION__=${version}`] : ['U', '__STDC_VERSION__']);
  if (year < 2011) ops.push(['U', '__STDC_UTF_16__'], ['U', '__STDC_UTF_32__']);
  if (year < 1999) ops.push(['U', '__GNUC_STDC_INLINE__'], ['D', '__GNUC_GNU_INLINE__=1']);
  if (iso) {
    ops.push(['D', '__STRICT_ANSI__=1'], ['U', 'linux'], ['U', 'unix']);
    if (t?.arch === 'i386') ops.push(['U', 'i386']);
  }
  return ops;
}

/** __GNUC__/__GNUC_MINOR__/__GNUC_PATCHLEVEL__ for a CONFIG_GCC_VERSION such as 120200. */
export function gccVersionMacros(version: number): MacroOp[] {
  const major = Math.floor(version / 10000);
  const minor = Math.floor(version / 100) % 100;
  const patch = version % 100;
  return [
    ['D', `__GNUC__=${major}`],
    ['D', `__GNUC_MINOR__=${minor}`],
    ['D', `__GNUC_PATCHLEVEL__=${patch}`],
    ['D', `__VERSION__="${major}.${minor}.${patch}"`],
  ];
}
