// What changed across a whole tree: `layoutof --every-header --diff A B [NAME...]`, each side a kernel
// tree (a directory), a compilation database (-p's: a directory holding compile_commands.json, or the
// file) or a saved JSON document (--every-header's, or any --format json layouts document); and
// `layoutof --diff A.json B.json`, both saved documents. Records are paired by tag (or typedef name),
// by header where a name has several definitions, and compared member by member as --diff compares
// two inputs (src/analyze/diff.ts), from the JSON records. Exit 0 identical, 1 different, 2 trouble.

import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { memberChanges, type LayoutDiff, type RecordDiff } from '../analyze/diff.js';
import { renderDiff } from '../render/diff.js';
import { UsageError, type CliOptions } from './args.js';
import { bareName } from './context.js';
import { DIFF_DIFFERENT, DIFF_SAME, DIFF_TROUBLE } from './diff.js';
import { sweep } from './every-header.js';
import { KernelTreeError } from '../kernel/kbuild.js';
import { CompDbError } from '../kernel/compdb.js';

interface JMember {
  name: string | null;
  offset: number | null;
  size: number | null;
  bitOffset?: number;
  bitSize?: number;
  members?: JMember[];
}
interface JRecord {
  name: string | null;
  typedef?: string;
  kind: 'struct' | 'union';
  size: number | string | null;
  file?: string;
  incomplete?: boolean;
  members: JMember[];
  holes: { offset: number; size: number }[];
  tailPadding: number | null;
}
interface Doc {
  target: string;
  records: JRecord[];
}

/** Whether the file looks like a saved JSON document (an object), not C, DWARF or a database. */
export function isJsonDocument(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    const fd = openSync(path, 'r');
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, 64, 0);
    closeSync(fd);
    return /^\s*\{/.test(head.toString('latin1', 0, n));
  } catch {
    return false;
  }
}

/** One side as a document: read, or swept (undefined after an error reported). */
async function side(o: CliOptions, input: string): Promise<Doc | undefined> {
  const isDir = existsSync(input) && statSync(input).isDirectory();
  const compdb = isDir ? existsSync(join(input, 'compile_commands.json')) : !isJsonDocument(input);
  if (!isDir && !compdb) {
    let doc: Doc;
    try {
      doc = JSON.parse(readFileSync(input, 'utf8')) as Doc;
    } catch (e) {
      process.stderr.write(`layoutof: error: ${input}: ${(e as Error).message.replace(/^ENOENT: /, '')}\n`);
      return undefined;
    }
    if (typeof doc?.target !== 'string' || !Array.isArray(doc.records) || doc.records.some((r) => !r?.members)) {
      process.stderr.write(
        `layoutof: error: ${input}: not a JSON document of layouts (--every-header --format json)\n`,
      );
      return undefined;
    }
    return doc;
  }
  if (!isDir && !existsSync(input)) {
    process.stderr.write(`layoutof: error: ${input}: no such file or directory\n`);
    return undefined;
  }
  const one: CliOptions = {
    ...o,
    kernel: compdb ? undefined : input,
    compdb: compdb ? input : undefined,
    diff: false,
    diffInputs: undefined,
    file: undefined,
    names: [],
    format: 'json',
    packable: false,
    expand: false,
  };
  let s;
  try {
    s = await sweep(one, {}, `${input}: `);
  } catch (e) {
    if (!(e instanceof KernelTreeError || e instanceof CompDbError)) throw e;
    process.stderr.write(`layoutof: error: ${input}: ${e.message}\n`);
    return undefined;
  }
  return { target: s.target, records: s.records.map((r) => JSON.parse(r.out) as JRecord) };
}

export async function everyHeaderDiff(o: CliOptions): Promise<number> {
  if (o.format === 'svg' || o.format === 'html')
    throw new UsageError(`--diff has no ${o.format} format (text, markdown or json)`);
  if (o.packable) throw new UsageError("'--packable' and '--diff' do not go together");
  const [a, b] = o.diffInputs!;
  const before = await side(o, a);
  const after = before && (await side(o, b));
  if (!before || !after) {
    if (o.format === 'json') process.stdout.write(JSON.stringify({ before: a, after: b }, null, 2) + '\n');
    return DIFF_TROUBLE;
  }
  const names = new Set(o.names.map(bareName));
  const pick = (d: Doc) =>
    names.size ? d.records.filter((r) => names.has(r.name ?? '') || names.has(r.typedef ?? '')) : d.records;
  const d = diffDocuments(pick(before), pick(after));
  const differs = d.changed.length > 0 || d.onlyBefore.length > 0 || d.onlyAfter.length > 0;
  process.stdout.write(renderDiff(d, a, b, o.format === 'json' || o.format === 'markdown' ? o.format : 'text'));
  return differs ? DIFF_DIFFERENT : DIFF_SAME;
}

const nameOf = (r: JRecord): string => (r.name !== null ? `${r.kind} ${r.name}` : (r.typedef ?? ''));
/** A header as both trees name it: the path after its last include/ (linux/x.h, asm/y.h), else the
 *  path below the directory that holds all of the side's files (two checkouts of one project). */
function headerName(records: readonly JRecord[]): (f: string | undefined) => string {
  let root: string | undefined;
  for (const r of records) {
    const dir = (r.file ?? '').slice(0, (r.file ?? '').lastIndexOf('/') + 1);
    if (root === undefined) root = dir;
    while (!dir.startsWith(root))
      root = root.length > 1 ? root.slice(0, root.lastIndexOf('/', root.length - 2) + 1) : '';
  }
  return (f = '') => (f.includes('/include/') ? f.replace(/^.*\/include\//, '') : f.slice(root?.length ?? 0));
}

/** Records by key: the name, and where a name has several definitions on a side, the name and header. */
function keyed(records: readonly JRecord[], dup: ReadonlySet<string>): Map<string, JRecord> {
  const out = new Map<string, JRecord>();
  const header = headerName(records);
  for (const r of records) {
    const n = nameOf(r);
    const k = dup.has(n) ? `${n} (${header(r.file)})` : n;
    if (n && !out.has(k)) out.set(k, r);
  }
  return out;
}

/** The two sides' records compared as diffLayouts compares RecordTypes. */
export function diffDocuments(before: readonly JRecord[], after: readonly JRecord[]): LayoutDiff {
  const dup = new Set<string>();
  for (const side of [before, after]) {
    const n = new Set<string>();
    for (const r of side) (n.has(nameOf(r)) ? dup : n).add(nameOf(r));
  }
  const a = keyed(before, dup);
  const b = keyed(after, dup);
  const changed: RecordDiff[] = [];
  let unchanged = 0;
  for (const [k, ra] of a) {
    const rb = b.get(k);
    if (!rb) continue;
    const size = (r: JRecord) => Number(r.size ?? 0);
    if (ra.incomplete || rb.incomplete) {
      const sides = (['before', 'after'] as const).filter((s, i) => [ra, rb][i]!.incomplete);
      changed.push({
        ...{ name: k, sizeBefore: size(ra), sizeAfter: size(rb), changes: [], holesOpened: [], holesClosed: [] },
        ...{ tailPaddingBefore: 0, tailPaddingAfter: 0, incomplete: sides },
      });
      continue;
    }
    const fa = flat(ra.members);
    const fb = flat(rb.members);
    const changes = memberChanges(fa, fb);
    const same = (h: { offset: number; size: number }, l: readonly { offset: number; size: number }[]) =>
      l.some((x) => x.offset === h.offset && x.size === h.size);
    const hole = (h: { offset: number; size: number }) => ({ offset: h.offset, size: h.size });
    const holesOpened = rb.holes.filter((h) => !same(h, ra.holes)).map(hole);
    const holesClosed = ra.holes.filter((h) => !same(h, rb.holes)).map(hole);
    const [ta, tb] = [ra.tailPadding ?? 0, rb.tailPadding ?? 0];
    if (size(ra) === size(rb) && changes.length === 0 && !holesOpened.length && !holesClosed.length && ta === tb) {
      unchanged++;
      continue;
    }
    changed.push({
      ...{ name: k, sizeBefore: size(ra), sizeAfter: size(rb), changes, holesOpened, holesClosed },
      ...{ tailPaddingBefore: ta, tailPaddingAfter: tb },
    });
  }
  return {
    changed,
    onlyBefore: [...a.keys()].filter((k) => !b.has(k)),
    onlyAfter: [...b.keys()].filter((k) => !a.has(k)),
    unchanged,
  };
}

type Place = { offset: number; size: number; bitOffset?: number };

/** Members by path, through anonymous members; unnamed bitfields are padding (as in diffLayouts). */
function flat(members: readonly JMember[], prefix = '', out = new Map<string, Place>()): Map<string, Place> {
  members.forEach((m, i) => {
    if (m.name === null && m.members) return void flat(m.members, prefix, out);
    if (m.name === null && m.bitSize !== undefined) return;
    const at = { offset: m.offset ?? 0, size: m.size ?? 0 };
    out.set(
      prefix + (m.name ?? `<anonymous ${i}>`),
      m.bitOffset !== undefined ? { ...at, bitOffset: m.bitOffset } : at,
    );
  });
  return out;
}
