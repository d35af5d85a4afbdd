// --diff A B [NAME...]: two inputs' layouts compared, with diff(1)'s exit status (0 identical,
// 1 different, 2 trouble: an input unreadable or with errors, an unknown NAME). Each input is read
// with the whole command line's context (--kernel, -p, -I, --target), so a header name resolves on
// either side as FILE does; NAME may be a tag or a typedef name.

import { analyzeSource } from '../api.js';
import { analyzeBinary, isBinaryInput } from '../binary/index.js';
import { diffLayouts } from '../analyze/diff.js';
import { inexact, type RecordType } from '../model/model.js';
import { renderDiff } from '../render/diff.js';
import { UsageError, type CliOptions } from './args.js';
import { bareName, buildContext, closest, unreadable, nodeDecompress } from './context.js';
import type { NodeFileSystem } from './nodefs.js';
import { failureDocument, type Report } from './report.js';

/** One side's records, and NAME lookup that knows its typedefs. */
interface Side {
  readonly records: readonly RecordType[];
  find(name: string): RecordType | undefined;
}

export const DIFF_SAME = 0;
export const DIFF_DIFFERENT = 1;
export const DIFF_TROUBLE = 2;

export function loadSide(o: CliOptions, file: string, fs: NodeFileSystem, report: Report): Side | undefined {
  // A header name under --kernel is found as FILE is; a path is read as it is.
  const ctx = fs.isFile(file) && isBinaryInput(fs.readHead(file)) ? undefined : buildContext({ ...o, file }, fs);
  const path = ctx?.file ?? file;
  const why = unreadable(fs, ctx, file);
  if (why) {
    report.tool('error', why, file);
    return undefined;
  }
  if (!ctx) {
    const res = analyzeBinary(fs.openBytes(path)!, {
      path,
      preferBtf: o.btf,
      decompress: nodeDecompress,
      btfBase: o.btfBase ? fs.openBytes(o.btfBase) : undefined,
      btfBasePath: o.btfBase,
    });
    for (const d of res.diagnostics.list) report.binary(d);
    const records = res.records;
    return { records, find: (n) => records.find((r) => r.name === n) ?? records.find((r) => r.typedef === n) };
  }
  const res = analyzeSource(ctx.file, ctx.options);
  // (Every record laid out before the diagnostics are reported: laying out may report errors too.)
  const records = [
    ...res.records,
    ...[...res.typedefs].filter(([, r]) => r.name === null).map(([n, r]) => ({ ...r, typedef: n })),
  ];
  report.analysis(res, ctx.options);
  // (An anonymous record found by its typedef is keyed by that name, as in `records`.)
  const find = (n: string): RecordType | undefined => {
    const r = res.find(n);
    return r && r.name === null && r.typedef === undefined ? { ...r, typedef: n } : r;
  };
  return { records, find };
}

const label = (r: RecordType): string => r.name ?? r.typedef ?? '';

/** The diff's output and its exit status. */
export function diffInputs(o: CliOptions, fs: NodeFileSystem, report: Report): { out: string; code: number } {
  if (o.format === 'svg' || o.format === 'html')
    throw new UsageError(`--diff has no ${o.format} format (text, markdown or json)`);
  const [a, b] = o.diffInputs!;
  const before = loadSide(o, a, fs, report);
  const after = loadSide(o, b, fs, report);
  if (!before || !after) return { out: failureDocument(o, report), code: DIFF_TROUBLE };
  let trouble = report.errors > 0;
  // With NAMEs, only those records on each side.
  const pa: RecordType[] = [];
  const pb: RecordType[] = [];
  for (const n of o.names.map(bareName)) {
    // A typedef on one side names the record by its tag on the other (BTF keeps no typedef names
    // of tagged records).
    let ra = before.find(n);
    let rb = after.find(n);
    ra ??= rb?.name ? before.find(rb.name) : undefined;
    rb ??= ra?.name ? after.find(ra.name) : undefined;
    if (ra) pa.push(ra);
    if (rb) pb.push(rb);
    if (ra || rb) continue;
    trouble = true;
    const close = closest(n, [...before.records, ...after.records].map(label).filter(Boolean));
    report.tool(
      'error',
      `no struct, union or typedef named '${n}' in either ` +
        `input${close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : ''}`,
    );
  }
  // (A record past 2^50 bytes is compared in numbers: refused, located, as trouble.)
  const numeric = (rs: readonly RecordType[]): RecordType[] =>
    rs.filter((r) => {
      const huge = inexact(r, 'the diff');
      if (huge) report.tool('error', huge);
      trouble ||= !!huge;
      return !huge;
    });
  const d =
    o.names.length > 0
      ? diffLayouts(numeric(pa), numeric(pb), o.cacheline ?? 64)
      : diffLayouts(numeric(before.records), numeric(after.records), o.cacheline ?? 64);
  const differs = d.changed.length > 0 || d.onlyBefore.length > 0 || d.onlyAfter.length > 0;
  const code = trouble ? DIFF_TROUBLE : differs ? DIFF_DIFFERENT : DIFF_SAME;
  return { out: renderDiff(d, a, b, o.format, o.format === 'json' ? report.json() : {}), code };
}
