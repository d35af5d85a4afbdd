// Command-line parsing with gcc's spellings for the preprocessor options (-I DIR and -IDIR, -D, -U,
// -include, -isystem, -idirafter, -iquote, -nostdinc) and long options for everything else.

import { gccFlagArity } from '../kernel/gcc-flags.js';
export class UsageError extends Error {}

export type Format = 'text' | 'markdown' | 'json' | 'svg' | 'html';
export type ColorMode = 'auto' | 'always' | 'never';
/** Formats that turn the layout into code (src/cli/bindings.ts). */
export type BindingFormat = 'c-asserts' | 'ts' | 'ctypes' | 'koffi';
export const BINDING_FORMATS: readonly string[] = ['c-asserts', 'ts', 'ctypes', 'koffi'];
const PLAIN_FORMATS: readonly string[] = ['text', 'markdown', 'json', 'md', 'svg', 'html', 'c', 'pahole'];

export interface CliOptions {
  file?: string;
  names: string[];
  I: string[];
  isystem: string[];
  idirafter: string[];
  iquote: string[];
  macros: ['D' | 'U', string][];
  include: string[];
  nostdinc: boolean;
  target?: string;
  format: Format;
  cacheline?: number;
  all: boolean;
  /** Also the records defined inside function bodies. */
  functionBodies: boolean;
  expand: boolean;
  comments: boolean;
  count?: bigint;
  objectAlign?: bigint;
  hashBuckets?: bigint;
  bucketSize?: bigint;
  help: boolean;
  version: boolean;
  listTargets: boolean;
  kernel?: string;
  compdb?: string;
  compareTargets?: string[];
  btfBase?: string;
  btf: boolean;
  /** --diff: the first two operands are the inputs compared, the rest NAMEs. */
  diff: boolean;
  /** The two inputs of --diff, once the operands are read. */
  diffInputs?: [string, string];
  color: ColorMode;
  noCache: boolean;
  /** gcc's own flags (-pthread, -march=..., -fshort-enums, ...): see kernel/gcc-flags.ts. */
  gcc: string[];
  /** Where in argv each operand (FILE, then NAMEs) stood: by-name lookup rewrites them in place. */
  operandSlots: number[];
  source?: string;
  /** --format c-asserts|ts|ctypes|koffi (format stays text for anything else these runs print). */
  binding?: BindingFormat;
  /** Every --target given, in order (c-asserts makes a block for each). */
  targets: string[];
  assertStyle?: 'c11' | 'kernel';
  check?: string;
  checkOnly?: string[];
  decode?: string;
  rowBytes?: number;
  reorganize?: boolean;
  keep?: string[];
  keepFirst?: boolean;
  hot?: string[];
  patch?: boolean;
  packable?: boolean;
  minSavings?: number;
  counts?: string;
  /** --slabinfo[=FILE]: /proc/slabinfo unless a file is given. */
  slabinfo?: string;
  explain?: boolean;
  /** --format pahole: the text view as pahole prints it (holes without their causes). */
  pahole?: boolean;
  /** --format c (with --reorganize): the record's new C definition. */
  cSource?: boolean;
  /** --every-header, --jobs N, --shard I/N (every-header.ts). */
  everyHeader?: boolean;
  jobs?: number;
  shard?: [number, number];
}

export const HELP = `Usage: layoutof [options] FILE [NAME...]

Shows how C structs and unions sit in memory: every member's offset, size and alignment, holes,
padding, cacheline boundaries and source comments. FILE is C source (a header or .c file), or
compiled type info: a BTF blob (/sys/kernel/btf/vmlinux) or an ELF object with a .BTF section.
NAME is a struct/union tag or a typedef name; without NAME, every record defined in FILE itself.

Output:
  --format text|markdown|json   pahole-like text with each hole's cause (default), an annotated
                                markdown table, or JSON; --format pahole: the text as pahole prints it
  --format c-asserts|ts|ctypes|koffi   the layout as code: C11 static assertions, a TypeScript module of
                                DataView accessors, Python ctypes classes, koffi struct definitions
  --assert-style c11|kernel     c-asserts: _Static_assert (default) or the kernel's static_assert
  --check BASELINE.json         compare with a saved --format json output; exit 1 when a layout changed
  --check-only NAME,...         --check: only these records of the baseline
  --decode FILE[@OFFSET]        read FILE's bytes (from OFFSET) as NAME; --count N objects in a row
  --format svg|html             a picture of each layout (SVG), or a self-contained page with it
  --row-bytes N                 svg/html: bytes per row of the picture (default: a cacheline, or 8/16)
  --cacheline N                 cacheline size in bytes (default 64)
  --all                         every record of the translation unit, headers included
  --function-bodies             also the records defined inside functions (NAME finds them without it)
  --expand                      show nested struct/union member types inline
  --comments                    text format: show source comments
  --count N                     what N objects cost in memory
  --object-align A              round each object up to A bytes (e.g. 64 for SLAB_HWCACHE_ALIGN)
  --hash-buckets B              add a hash table of B buckets to --count
  --bucket-size S               bytes per hash bucket (default 8)

Advice (docs/advice.md):
  --explain                     the holes listed largest first, with their causes, under the summary
  --reorganize                  a smaller member order for NAME (with --compare-targets: one for all)
  --keep A,B,...                members that stay where they are; --keep-first: the first one does
  --hot A,B,...                 put these members first, in the fewest cachelines
  --packable                    every struct ranked by the bytes reordering saves (--all: headers too)
  --min-savings N               only those saving N bytes or more
  --counts FILE                 NAME COUNT lines: rank by bytes saved across the live objects
  --slabinfo[=FILE]             the same from /proc/slabinfo (or FILE); with --object-align, as allocated
  --patch                       the new order as a unified diff of the source (patch -p0, git apply)
  --format c                    the new order as the record's C definition

Preprocessor (as gcc spells them):
  -I DIR, -iquote DIR, -isystem DIR, -idirafter DIR, -D NAME[=VALUE], -U NAME, -include FILE, -nostdinc
  any other gcc flag            applied when it changes macros or layouts (-m32, -fshort-enums, -std=...),
                                ignored otherwise (docs/gcc-flags.md)
  --target TRIPLE               ABI to lay out for (default x86_64-linux-gnu; short names such as arm64,
                                i386, armhf, ppc64le, win64 too); --list-targets lists them
  --compare-targets A,B,...     lay NAME out on several targets side by side; differing members marked
  --diff A B [NAME...]          compare two inputs' layouts (source, DWARF or BTF), optionally only NAMEs;
                                exit 0 identical, 1 different, 2 trouble (as diff(1))

Compiled type info (FILE is an ELF object with a .BTF section, or a raw BTF blob):
  --btf                         read the .BTF section of an ELF file
  --btf-base FILE               base BTF for split BTF (default for /sys/kernel/btf/<module>: vmlinux)
  --source FILE                 take members' comments from this source (with -I/--kernel/-p as given)

Build context:
  --kernel DIR                  a prepared kernel build tree (Debian's /usr/src/linux-headers-*, an O= build,
                                /lib/modules/$(uname -r)/build): kbuild's include paths, config and flags;
                                FILE may then be a header name as in #include <FILE> (net/ip_vs.h)
  -p PATH                       take FILE's flags from a compile_commands.json (PATH is it or its directory)
  NAME alone (no FILE)          with --kernel, -p or -I: find the header that defines it (docs/trees.md)
  --every-header                every record of the --kernel tree, -p database or -I directories, each once; with
                                --packable ranked, with --diff A B two trees or saved JSON compared
  --jobs N                      worker processes for --every-header (default: the number of CPUs)
  --shard I/N                   only the I-th of N slices; 'layoutof merge A.json B.json...' joins them

  --color[=auto|always|never]   color the text view (auto: only on a terminal, and NO_COLOR unset)
  --no-cache                    do not use or fill the result cache (~/.cache/layoutof; LAYOUTOF_CACHE_DIR)
  -h, --help                    this help
  -V, --version                 the version

Exit status: 0 success, 1 input errors (still prints what could be analysed), 2 usage errors;
--diff: 0 identical, 1 different, 2 trouble. Options and operands may come in any order.
`;

/** Every option's spelling, for the closest-spelling suggestion after an unknown one. */
const OPTIONS = [
  '-I',
  '-D',
  '-U',
  '-isystem',
  '-idirafter',
  '-iquote',
  '-include',
  '-nostdinc',
  '--target',
  '--format',
  '--json',
  '--markdown',
  '--cacheline',
  '--all',
  '--function-bodies',
  '--expand',
  '--expand-types',
  '--comments',
  '--count',
  '--object-align',
  '--hash-buckets',
  '--bucket-size',
  '--help',
  '--version',
  '--list-targets',
  '--kernel',
  '--btf',
  '--no-cache',
  '--source',
  '--diff',
  '--btf-base',
  '--compare-targets',
  '--color',
  '-p',
  '--assert-style',
  '--check',
  '--check-only',
  '--decode',
  '--row-bytes',
  '--reorganize',
  '--keep',
  '--keep-first',
  '--hot',
  '--patch',
  '--packable',
  '--min-savings',
  '--counts',
  '--slabinfo',
  '--explain',
  '--every-header',
  '--jobs',
  '--shard',
];

/** The long options that take no value ('--all=1' is a mistake, not --all). */
const FLAGS = new Set([
  '--json',
  '--markdown',
  '--all',
  '--function-bodies',
  '--expand',
  '--expand-types',
  '--comments',
  '--help',
  '--version',
  '--list-targets',
  '--btf',
  '--no-cache',
  '--diff',
  '--reorganize',
  '--keep-first',
  '--patch',
  '--packable',
  '--explain',
  '--every-header',
]);

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = {
    names: [],
    I: [],
    isystem: [],
    idirafter: [],
    iquote: [],
    macros: [],
    include: [],
    nostdinc: false,
    gcc: [],
    operandSlots: [],
    format: 'text',
    targets: [],
    btf: false,
    noCache: false,
    all: false,
    functionBodies: false,
    expand: false,
    comments: false,
    help: false,
    version: false,
    listTargets: false,
    diff: false,
    color: 'auto',
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (name: string): string => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option '${name}' needs a value`);
      return v;
    };
    // (Exact at any magnitude: the memory estimate is computed in BigInt.)
    const whole = (name: string, min = 0): bigint => {
      const v = value(name);
      if (!/^\d+$/.test(v) || BigInt(v) < BigInt(min))
        throw new UsageError(`option '${name}' takes a whole number${min ? ` of at least ${min}` : ''}, not '${v}'`);
      return BigInt(v);
    };
    const int = (name: string, min = 0): number => {
      const n = whole(name, min);
      // Past 2^53 a double would round it without a word.
      if (n > BigInt(Number.MAX_SAFE_INTEGER))
        throw new UsageError(`option '${name}' takes a whole number up to ${Number.MAX_SAFE_INTEGER}, not '${n}'`);
      return Number(n);
    };
    const opt = a.replace(/=.*$/, '');
    if (opt !== a && FLAGS.has(opt)) throw new UsageError(`option '${opt}' takes no value`);
    // gcc-style joined forms: -IDIR -DNAME -UNAME.
    if (/^-[IDU]./.test(a)) {
      const kind = a[1]!;
      const rest = a.slice(2);
      if (kind === 'I') o.I.push(rest);
      else o.macros.push([kind as 'D' | 'U', rest]);
      continue;
    }
    switch (opt) {
      case '-I':
        o.I.push(value(a));
        continue;
      case '-D':
        o.macros.push(['D', value(a)]);
        continue;
      case '-U':
        o.macros.push(['U', value(a)]);
        continue;
      case '-isystem':
        o.isystem.push(value(a));
        continue;
      case '-idirafter':
        o.idirafter.push(value(a));
        continue;
      case '-iquote':
        o.iquote.push(value(a));
        continue;
      case '-include':
        o.include.push(value(a));
        continue;
      case '-nostdinc':
        o.nostdinc = true;
        continue;
      case '--target':
      case '-target':
        o.target = value(opt);
        o.targets.push(o.target);
        continue;
      case '--assert-style': {
        const s = value(opt);
        if (s !== 'c11' && s !== 'kernel') throw new UsageError(`unknown assert style '${s}' (c11 or kernel)`);
        o.assertStyle = s;
        continue;
      }
      case '--check':
        o.check = value(opt);
        continue;
      case '--check-only':
        o.checkOnly = value(opt)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        continue;
      case '--decode':
        o.decode = value(opt);
        continue;
      case '--format':
      case '-f': {
        const f = value(opt);
        if (BINDING_FORMATS.includes(f)) {
          o.binding = f as BindingFormat;
          continue;
        }
        if (!PLAIN_FORMATS.includes(f))
          throw new UsageError(
            `unknown format '${f}' (text, markdown, json, svg, html, ${BINDING_FORMATS.join(', ')}, pahole; ` +
              'c with --reorganize)',
          );
        o.cSource = f === 'c';
        if (f === 'c') continue;
        o.pahole = f === 'pahole';
        o.format = f === 'md' ? 'markdown' : f === 'pahole' ? 'text' : (f as Format);
        o.binding = undefined;
        continue;
      }
      case '--json':
        o.format = 'json';
        continue;
      case '--markdown':
        o.format = 'markdown';
        continue;
      case '--cacheline':
        o.cacheline = int(opt, 1);
        continue;
      case '--row-bytes':
        o.rowBytes = int(opt, 1);
        continue;
      case '--all':
        o.all = true;
        continue;
      case '--function-bodies':
        o.functionBodies = true;
        continue;
      case '--expand':
      case '--expand-types':
        o.expand = true;
        continue;
      case '--comments':
        o.comments = true;
        continue;
      case '--count':
        o.count = whole(opt);
        continue;
      case '--object-align':
        o.objectAlign = whole(opt, 1);
        continue;
      case '--hash-buckets':
        o.hashBuckets = whole(opt);
        continue;
      case '--bucket-size':
        o.bucketSize = whole(opt, 1);
        continue;
      case '-h':
      case '--help':
        o.help = true;
        continue;
      case '-V':
      case '--version':
        o.version = true;
        continue;
      case '--list-targets':
        o.listTargets = true;
        continue;
      case '--kernel':
        o.kernel = value(opt);
        continue;
      case '--btf':
        o.btf = true;
        continue;
      case '--no-cache':
        o.noCache = true;
        continue;
      case '--source':
        o.source = value(opt);
        continue;
      // A flag: its two inputs are the first two operands, wherever the options stand (as diff(1)'s).
      case '--diff':
        o.diff = true;
        continue;
      case '--color':
      case '--colour': {
        // GNU's spelling: a bare --color is 'always'; the value only after '='.
        const c = a.includes('=') ? a.slice(a.indexOf('=') + 1) : 'always';
        const mode =
          c === 'yes' || c === 'force'
            ? 'always'
            : c === 'no' || c === 'none'
              ? 'never'
              : c === 'tty' || c === 'if-tty'
                ? 'auto'
                : c;
        if (mode !== 'auto' && mode !== 'always' && mode !== 'never')
          throw new UsageError(`option '--color' takes auto, always or never, not '${c}'`);
        o.color = mode;
        continue;
      }
      case '--btf-base':
        o.btfBase = value(opt);
        continue;
      case '--compare-targets':
        o.compareTargets = value(opt)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        continue;
      case '-p':
        o.compdb = value(a);
        continue;
      case '--reorganize':
        o.reorganize = true;
        continue;
      case '--keep':
        o.keep = value(opt)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        continue;
      case '--keep-first':
        o.keepFirst = true;
        continue;
      case '--explain':
        o.explain = true;
        continue;
      case '--packable':
        o.packable = true;
        continue;
      case '--min-savings':
        o.minSavings = int(opt);
        continue;
      case '--counts':
        o.counts = value(opt);
        continue;
      case '--slabinfo':
        o.slabinfo = a.includes('=') ? value(opt) : '/proc/slabinfo';
        continue;
      case '--patch':
        o.reorganize = o.patch = true;
        continue;
      case '--hot':
        o.hot = value(opt)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        continue;
      case '--every-header':
        o.everyHeader = true;
        continue;
      case '--jobs':
      case '-j':
        o.jobs = int(opt, 1);
        continue;
      case '--shard': {
        const v = value(opt);
        const m = /^(\d+)\/(\d+)$/.exec(v);
        if (!m || +m[1]! < 1 || +m[1]! > +m[2]!)
          throw new UsageError(`option '--shard' takes I/N with 1 <= I <= N, not '${v}'`);
        o.shard = [+m[1]!, +m[2]!];
        continue;
      }
      case '--':
        for (let k = i + 1; k < argv.length; k++) o.operandSlots.push(k);
        positional.push(...argv.slice(i + 1));
        i = argv.length;
        continue;
    }
    const gccWords = gccFlagArity(argv, i);
    if (gccWords > 0) {
      o.gcc.push(...argv.slice(i, i + gccWords));
      i += gccWords - 1;
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'${suggestOption(opt)}`);
    o.operandSlots.push(i);
    positional.push(a);
  }
  if (o.diff && o.compareTargets)
    throw new UsageError(
      "'--diff' and '--compare-targets' do not go together (compare the targets one --diff at a time, with --target)",
    );
  if (o.diff) {
    const [x, y, ...names] = positional;
    if (!o.help && !o.version && !o.listTargets) {
      if (x === undefined || y === undefined)
        throw new UsageError(`option '--diff' needs two inputs: --diff A B [NAME...]`);
      o.diffInputs = [x, y];
    }
    o.file = x;
    o.names = names;
  } else {
    o.file = positional[0];
    o.names = positional.slice(1);
  }
  if (o.cSource && !o.reorganize) throw new UsageError('--format c needs --reorganize');
  if ((o.hashBuckets !== undefined || o.objectAlign !== undefined) && o.count === undefined && !o.packable)
    o.count = 1n;
  return o;
}

/** "; did you mean '--format'?" for a misspelt option (nothing when none is close). */
function suggestOption(opt: string): string {
  let best = '';
  let bestD = Infinity;
  for (const c of OPTIONS) {
    const d = editDistance(opt, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(1, Math.floor(opt.length / 4)) ? `; did you mean '${best}'?` : '';
}

/** Levenshtein distance (two rows); 99 when the lengths alone differ by more than 8. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return 99;
  const prev = new Array(b.length + 1).fill(0).map((_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
