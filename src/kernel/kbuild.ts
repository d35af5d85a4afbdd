// Kbuild emulation for an external module: from a prepared kernel build directory (in-tree, O=, Debian's
// split linux-headers, /lib/modules/<v>/build) derive what kbuild would pass to the compiler — source and
// object trees, arch and target from .config, LINUXINCLUDE/USERINCLUDE order, the forced includes,
// -D__KERNEL__ and friends, and the predefined-macro changes its flags make (scripts/Makefile and
// arch/x86/Makefile of Linux 6.x are the reference).

import type { IncludePaths, SourceOptions } from '../core/options.js';
import { joinPath, type FileSystem } from '../core/fs.js';
import { findTarget, type Target } from '../target/target.js';
import { flagMacroEffects, gccVersionMacros, type MacroOp } from './flags.js';

export interface KernelTree {
  readonly objTree: string;
  readonly srcTree: string;
  readonly srcArch: string;
  readonly target: Target;
  /** Every CONFIG_ option of .config (made on first use: the few options kernelTree needs are looked
   *  up in the text, since splitting a distribution's 10,000-line .config costs ~8 ms of a cold run). */
  readonly config: ReadonlyMap<string, string>;
  readonly include: IncludePaths;
  readonly macros: readonly MacroOp[];
  readonly forcedIncludes: readonly string[];
  /** The compiler flags kbuild adds that matter for macros (for display). */
  readonly flags: readonly string[];
}

export class KernelTreeError extends Error {}

/** Flags kbuild passes for an x86_64 module build (Linux 6.1, gcc 12). Other arches: the generic ones. */
const COMMON_FLAGS = [
  '-fno-strict-aliasing',
  '-fno-common',
  '-fshort-wchar',
  '-fno-PIE',
  '-std=gnu11',
  '-O2',
  '-fstack-protector-strong',
];
const ARCH_FLAGS: Record<string, string[]> = {
  x86: [
    '-mno-sse',
    '-mno-mmx',
    '-mno-sse2',
    '-mno-3dnow',
    '-mno-avx',
    '-m64',
    '-mno-80387',
    '-mno-fp-ret-in-387',
    '-mcmodel=kernel',
  ],
  arm64: ['-mgeneral-regs-only'],
  arm: ['-msoft-float'],
  riscv: [],
  powerpc: ['-msoft-float'],
  s390: ['-msoft-float'],
};

export function kernelTree(dir: string, fs: FileSystem, modname = 'layoutof'): KernelTree {
  const objTree = dir.replace(/\/+$/, '') || '/';
  if (!fs.isDirectory(objTree)) throw new KernelTreeError(`${objTree}: not a directory`);
  const dotConfig = fs.readFile(joinPath(objTree, '.config'));
  if (dotConfig === undefined)
    throw new KernelTreeError(
      `${objTree}: no .config here; configure the tree first ` +
        `('make defconfig' or copy a config and run 'make olddefconfig')`,
    );
  const option = (name: string): string | undefined => configOption(dotConfig, name);
  // Source tree: Debian's Makefile includes the -common tree's Makefile; O= builds have a 'source' link.
  let srcTree = objTree;
  const mk = fs.readFile(joinPath(objTree, 'Makefile')) ?? '';
  const inc = /^\s*include\s+(\S+)\/Makefile\s*$/m.exec(mk);
  if (inc && fs.isFile(joinPath(inc[1]!, 'include/linux/kconfig.h'))) srcTree = inc[1]!;
  else if (fs.isFile(joinPath(objTree, 'source/include/linux/kconfig.h')))
    srcTree = fs.realPath?.(joinPath(objTree, 'source')) ?? joinPath(objTree, 'source');
  else if (!fs.isFile(joinPath(objTree, 'include/linux/kconfig.h'))) {
    const m = /^\s*(?:MAKEARGS|KBUILD_SRC)\s*:?=.*?(?:-C\s*)?(\/\S+)/m.exec(mk);
    if (m && fs.isFile(joinPath(m[1]!, 'include/linux/kconfig.h'))) srcTree = m[1]!;
    else
      throw new KernelTreeError(
        `${objTree}: cannot find the kernel source tree ` +
          `(no include/linux/kconfig.h here, no 'source' link, no Makefile include)`,
      );
  }
  const { srcArch, triple } = archOf(option);
  const target = findTarget(triple);
  if (!target)
    throw new KernelTreeError(
      `${objTree}: architecture '${srcArch}' (${triple}) is not supported yet; see --list-targets`,
    );
  for (const gen of ['include/generated/autoconf.h', `arch/${srcArch}/include/generated/asm`]) {
    if (!fs.isFile(joinPath(objTree, gen)) && !fs.isDirectory(joinPath(objTree, gen))) {
      throw new KernelTreeError(
        `${objTree}: the tree is not prepared: ${gen} is missing; ` +
          `run 'make modules_prepare' (or 'make prepare') in ${objTree}`,
      );
    }
  }
  const s = (p: string): string => joinPath(srcTree, p);
  const o = (p: string): string => joinPath(objTree, p);
  const angled = [s(`arch/${srcArch}/include`), o(`arch/${srcArch}/include/generated`)];
  if (srcTree !== objTree) angled.push(s('include'));
  angled.push(
    o('include'),
    s(`arch/${srcArch}/include/uapi`),
    o(`arch/${srcArch}/include/generated/uapi`),
    s('include/uapi'),
    o('include/generated/uapi'),
  );
  const include: IncludePaths = { quote: [], angled, system: [], builtin: [], after: [] };
  const flags = [...COMMON_FLAGS, ...(ARCH_FLAGS[srcArch] ?? [])];
  const macros: MacroOp[] = [...flagMacroEffects(flags)];
  const gccVersion = Number(option('CONFIG_GCC_VERSION') ?? 0);
  if (gccVersion > 0) macros.push(...gccVersionMacros(gccVersion));
  macros.push(
    ['D', '__KERNEL__'],
    ['D', 'MODULE'],
    ['D', `KBUILD_BASENAME="${modname}"`],
    ['D', `KBUILD_MODNAME="${modname}"`],
    ['D', `__KBUILD_MODNAME=kmod_${modname}`],
  );
  if (srcArch === 'x86') macros.push(['D', 'CC_USING_FENTRY']);
  const forcedIncludes = [
    s('include/linux/compiler-version.h'),
    s('include/linux/kconfig.h'),
    s('include/linux/compiler_types.h'),
  ];
  let config: Map<string, string> | undefined;
  return {
    objTree,
    srcTree,
    srcArch,
    target,
    get config() {
      return (config ??= parseConfig(dotConfig));
    },
    include,
    macros,
    forcedIncludes,
    flags,
  };
}

export function kernelSourceOptions(tree: KernelTree, fs: FileSystem): SourceOptions {
  return {
    fs,
    target: tree.target,
    include: tree.include,
    macros: tree.macros,
    forcedIncludes: tree.forcedIncludes,
    nostdinc: true,
  };
}

/** FILE as `#include <FILE>` would find it in the tree, when it is not a path to an existing file. */
export function resolveKernelFile(tree: KernelTree, file: string, fs: FileSystem): string | undefined {
  if (fs.isFile(file)) return file;
  for (const d of tree.include.angled) {
    const p = joinPath(d, file);
    if (fs.isFile(p)) return p;
  }
  return undefined;
}

export function parseConfig(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const x = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (x) m.set(x[1]!, x[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return m;
}

/** One option's value in a .config's text (quotes removed), as parseConfig would give it. */
export function configOption(text: string, name: string): string | undefined {
  const key = `${name}=`;
  // The last line that sets it, as in the map.
  let i = text.lastIndexOf(`\n${key}`) + 1;
  if (i === 0 && !text.startsWith(key)) return undefined;
  i += key.length;
  let end = text.indexOf('\n', i);
  if (end < 0) end = text.length;
  const v = text.slice(i, end);
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function archOf(option: (name: string) => string | undefined): { srcArch: string; triple: string } {
  const y = (k: string): boolean => option(k) === 'y';
  if (y('CONFIG_X86_64')) return { srcArch: 'x86', triple: 'x86_64-linux-gnu' };
  if (y('CONFIG_X86_32') || y('CONFIG_X86')) return { srcArch: 'x86', triple: 'i686-linux-gnu' };
  if (y('CONFIG_ARM64')) return { srcArch: 'arm64', triple: 'aarch64-linux-gnu' };
  if (y('CONFIG_ARM')) return { srcArch: 'arm', triple: 'arm-linux-gnueabihf' };
  if (y('CONFIG_RISCV'))
    return { srcArch: 'riscv', triple: y('CONFIG_64BIT') ? 'riscv64-linux-gnu' : 'riscv32-linux-gnu' };
  if (y('CONFIG_PPC64'))
    return {
      srcArch: 'powerpc',
      triple: y('CONFIG_CPU_LITTLE_ENDIAN') ? 'powerpc64le-linux-gnu' : 'powerpc64-linux-gnu',
    };
  if (y('CONFIG_S390')) return { srcArch: 's390', triple: 's390x-linux-gnu' };
  return { srcArch: 'unknown', triple: 'unknown' };
}
