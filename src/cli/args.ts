// Command-line parsing with gcc's spellings for the preprocessor options (-I DIR and -IDIR, -D, -U,
// -include, -isystem, -idirafter, -iquote, -nostdinc) and long options for everything else.

export class UsageError extends Error {}

export type Format = 'text' | 'markdown' | 'json';

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
  expand: boolean;
  comments: boolean;
  count?: number;
  objectAlign?: number;
  hashBuckets?: number;
  bucketSize?: number;
  help: boolean;
  version: boolean;
  listTargets: boolean;
  kernel?: string;
  compdb?: string;
  compareTargets?: string[];
  btfBase?: string;
  btf: boolean;
  diff?: [string, string];
  noCache: boolean;
  source?: string;
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
  /** --format c (with --reorganize): the record's new C definition. */
  cSource?: boolean;
}

export const HELP = `Usage: layoutof [options] FILE [NAME...]

Shows how C structs and unions sit in memory: every member's offset, size and alignment, holes,
padding, cacheline boundaries and source comments. FILE is C source (a header or .c file), or
compiled type info: a BTF blob (/sys/kernel/btf/vmlinux) or an ELF object with a .BTF section.
NAME is a struct/union tag or a typedef name; without NAME, every record defined in FILE itself.

Output:
  --format text|markdown|json   pahole-like text (default), an annotated markdown table, or JSON
  --cacheline N                 cacheline size in bytes (default 64)
  --all                         every record of the translation unit, headers included
  --expand                      show nested struct/union member types inline
  --comments                    text format: show source comments
  --count N                     what N objects cost in memory
  --object-align A              round each object up to A bytes (e.g. 64 for SLAB_HWCACHE_ALIGN)
  --hash-buckets B              add a hash table of B buckets to --count
  --bucket-size S               bytes per hash bucket (default 8)

Advice (docs/advice.md):
  --explain                     each hole's cause in its note, and the holes listed largest first
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
  --target TRIPLE               ABI to lay out for (default x86_64-linux-gnu); --list-targets lists them
  --compare-targets A,B,...     lay NAME out on several targets side by side; differing members marked
  --diff A B                    compare two inputs' layouts (source, DWARF or BTF), optionally only NAMEs

Compiled type info (FILE is an ELF object with a .BTF section, or a raw BTF blob):
  --btf                         read the .BTF section of an ELF file
  --btf-base FILE               base BTF for split BTF (default for /sys/kernel/btf/<module>: vmlinux)
  --source FILE                 take members' comments from this source (with -I/--kernel/-p as given)

Build context:
  --kernel DIR                  a prepared kernel build tree (Debian's /usr/src/linux-headers-*, an O= build,
                                /lib/modules/$(uname -r)/build): kbuild's include paths, config and flags;
                                FILE may then be a header name as in #include <FILE> (net/ip_vs.h)
  -p PATH                       take FILE's flags from a compile_commands.json (PATH is it or its directory)

  --no-cache                    do not use or fill the result cache (~/.cache/layoutof; LAYOUTOF_CACHE_DIR)
  -h, --help                    this help
  --version                     the version

Exit status: 0 success, 1 input errors (still prints what could be analysed), 2 usage errors.
Color only on a terminal; NO_COLOR turns it off.
`;

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = {
    names: [], I: [], isystem: [], idirafter: [], iquote: [], macros: [], include: [], nostdinc: false,
    format: 'text', btf: false, noCache: false, all: false, expand: false, comments: false, help: false, version: false, listTargets: false,
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
    const int = (name: string, min = 0): number => {
      const v = value(name);
      if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`option '${name}' takes a whole number${min ? ` of at least ${min}` : ''}, not '${v}'`);
      return Number(v);
    };
    const opt = a.replace(/=.*$/, '');
    // gcc-style joined forms: -IDIR -DNAME -UNAME.
    if (/^-[IDU]./.test(a)) {
      const kind = a[1]!;
      const rest = a.slice(2);
      if (kind === 'I') o.I.push(rest);
      else o.macros.push([kind as 'D' | 'U', rest]);
      continue;
    }
    switch (opt) {
      case '-I': o.I.push(value(a)); continue;
      case '-D': o.macros.push(['D', value(a)]); continue;
      case '-U': o.macros.push(['U', value(a)]); continue;
      case '-isystem': o.isystem.push(value(a)); continue;
      case '-idirafter': o.idirafter.push(value(a)); continue;
      case '-iquote': o.iquote.push(value(a)); continue;
      case '-include': o.include.push(value(a)); continue;
      case '-nostdinc': o.nostdinc = true; continue;
      case '--target': case '-target': o.target = value(opt); continue;
      case '--format': case '-f': {
        const f = value(opt);
        if (f !== 'text' && f !== 'markdown' && f !== 'json' && f !== 'md' && f !== 'c') throw new UsageError(`unknown format '${f}' (text, markdown or json; c with --reorganize)`);
        o.cSource = f === 'c';
        if (f === 'c') continue;
        o.format = f === 'md' ? 'markdown' : f;
        continue;
      }
      case '--json': o.format = 'json'; continue;
      case '--markdown': o.format = 'markdown'; continue;
      case '--cacheline': o.cacheline = int(opt, 1); continue;
      case '--all': o.all = true; continue;
      case '--expand': case '--expand-types': o.expand = true; continue;
      case '--comments': o.comments = true; continue;
      case '--count': o.count = int(opt); continue;
      case '--object-align': o.objectAlign = int(opt, 1); continue;
      case '--hash-buckets': o.hashBuckets = int(opt); continue;
      case '--bucket-size': o.bucketSize = int(opt, 1); continue;
      case '-h': case '--help': o.help = true; continue;
      case '--version': o.version = true; continue;
      case '--list-targets': o.listTargets = true; continue;
      case '--kernel': o.kernel = value(opt); continue;
      case '--btf': o.btf = true; continue;
      case '--no-cache': o.noCache = true; continue;
      case '--source': o.source = value(opt); continue;
      case '--diff': {
        const x = argv[++i];
        const y = argv[++i];
        if (x === undefined || y === undefined) throw new UsageError("option '--diff' needs two inputs: --diff A B");
        o.diff = [x, y];
        continue;
      }
      case '--btf-base': o.btfBase = value(opt); continue;
      case '--compare-targets': o.compareTargets = value(opt).split(',').map((x) => x.trim()).filter(Boolean); continue;
      case '-p': o.compdb = value(a); continue;
      case '--reorganize': o.reorganize = true; continue;
      case '--keep': o.keep = value(opt).split(',').map((x) => x.trim()).filter(Boolean); continue;
      case '--keep-first': o.keepFirst = true; continue;
      case '--explain': o.explain = true; continue;
      case '--packable': o.packable = true; continue;
      case '--min-savings': o.minSavings = int(opt); continue;
      case '--counts': o.counts = value(opt); continue;
      case '--slabinfo': o.slabinfo = a.includes('=') ? value(opt) : '/proc/slabinfo'; continue;
      case '--patch': o.reorganize = o.patch = true; continue;
      case '--hot': o.hot = value(opt).split(',').map((x) => x.trim()).filter(Boolean); continue;
      case '--': positional.push(...argv.slice(i + 1)); i = argv.length; continue;
    }
    if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
    positional.push(a);
  }
  if (o.diff) {
    o.file = o.diff[0];
    o.names = positional;
  } else {
    o.file = positional[0];
    o.names = positional.slice(1);
  }
  if (o.cSource && !o.reorganize) throw new UsageError('--format c needs --reorganize');
  if ((o.hashBuckets !== undefined || o.objectAlign !== undefined) && o.count === undefined && !o.packable) o.count = 1;
  return o;
}
