// The layout as code on the command line: --format c-asserts|ts|ctypes|koffi, --check BASELINE.json and
// --decode FILE[@OFFSET]. main.ts hands over its input helpers; this module picks the records, calls the
// analyses and renderers, and turns their answers into exit codes.

import { analyzeSource } from '../api.js';
import { formatDiagnostic } from '../core/diag.js';
import type { RecordType } from '../model/model.js';
import { usableOnly } from '../analyze/exact.js';
import { renderCAsserts, type AssertBlock } from '../render/c-asserts.js';
import { findTarget, type Target } from '../target/target.js';
import { UsageError, type CliOptions } from './args.js';
import {
  BaselineError,
  checkLayouts,
  checkPassed,
  parseBaseline,
  recordFromJson,
  type CheckResult,
} from '../analyze/check.js';
import { analyzeRecord } from '../analyze/layout-view.js';
import { toJson } from '../render/json.js';
import { renderCheck } from '../render/check.js';
import { decodeRecord, DecodeError } from '../analyze/decode.js';
import { renderDecodedJson, renderDecodedText, type DecodedObject } from '../render/decode.js';
import { isBinaryInput } from '../binary/index.js';
import { renderTs } from '../render/ts-binding.js';
import { renderCtypes } from '../render/ctypes.js';
import { renderKoffi } from '../render/koffi.js';
import type { Found } from './main.js';
import { defaultTarget, type BuildContext } from './context.js';
import type { NodeFileSystem } from './nodefs.js';

/** What main.ts lends: the build context of the command line, NAME selection and any input's records. */
export interface InputHelpers {
  buildContext(o: CliOptions, fs: NodeFileSystem): BuildContext;
  select(res: Found, o: CliOptions, target: Target): RecordType[] | undefined;
  loadRecords(o: CliOptions, file: string, fs: NodeFileSystem): readonly RecordType[] | undefined;
}

/** Runs the modes that need more than one analysis (several targets, a baseline, a data file); undefined
 *  when the command line asks for none of them. */
export function runBindings(o: CliOptions, fs: NodeFileSystem, h: InputHelpers): number | undefined {
  if (o.check !== undefined) return checkBaseline(o, fs, h);
  if (o.decode !== undefined) return decodeFile(o, fs, h);
  const several = new Set(o.targets.map((t) => findTarget(t)?.triple ?? t)).size > 1 || o.compareTargets !== undefined;
  if (o.binding === 'c-asserts' && several) return multiTargetAsserts(o, fs, h);
  // A module of accessors is for one byte order and one set of sizes.
  if (o.binding && several) throw new UsageError(`--format ${o.binding} is for one target (c-asserts takes several)`);
  return undefined;
}

/** The single-target binding formats, for the records main.ts selected. */
export function writeBinding(records: readonly RecordType[], o: CliOptions, target: Target, code: number): number {
  switch (o.binding) {
    case 'c-asserts':
      process.stdout.write(renderCAsserts([{ target, records }], o.assertStyle));
      return code;
    case 'ts':
      process.stdout.write(renderTs(records, target));
      return code;
    case 'ctypes':
      process.stdout.write(renderCtypes(records, target));
      return code;
    case 'koffi':
      process.stdout.write(renderKoffi(records, target));
      return code;
    default:
      throw new UsageError(`--format ${o.binding}: unknown binding format`);
  }
}

function targetsOf(o: CliOptions): Target[] {
  const names = [...new Set([...(o.compareTargets ?? []), ...o.targets])];
  return names.map((n) => {
    const t = findTarget(n);
    if (!t) throw new UsageError(`unknown target '${n}' (see --list-targets)`);
    return t;
  });
}

/** One block of assertions per target, each from its own analysis of the input. */
function multiTargetAsserts(o: CliOptions, fs: NodeFileSystem, h: InputHelpers): number {
  let code = 0;
  const blocks: AssertBlock[] = [];
  for (const target of targetsOf(o)) {
    const ctx = h.buildContext({ ...o, target: target.triple }, fs);
    if (!fs.isFile(ctx.file)) {
      process.stderr.write(`layoutof: ${ctx.file}: No such file or directory\n`);
      return 1;
    }
    const res = analyzeSource(ctx.file, ctx.options);
    for (const d of res.diagnostics.list)
      process.stderr.write(`[${target.triple}] ${formatDiagnostic(d, res.sources)}\n`);
    if (res.diagnostics.errors) code = 1;
    const records = h.select(res, o, target);
    if (!records) return 1;
    const huge = refuseUnusable(records, `[${target.triple}] a binding`, true);
    if (huge.length < records.length) code = 1;
    blocks.push({ target, records: huge });
  }
  process.stdout.write(renderCAsserts(blocks, o.assertStyle));
  return code;
}

/** The records an analysis in numbers can take (with `whole`, complete ones only, as code and a
 *  decoding need); each other one is reported. */
function refuseUnusable(records: readonly RecordType[], analysis: string, whole = false): RecordType[] {
  const { records: usable, refused } = usableOnly(records, analysis, whole);
  for (const e of refused) process.stderr.write(`layoutof: error: ${e.message}\n`);
  return usable;
}

const keyOf = (r: RecordType): string => (r.name !== null ? `${r.kind} ${r.name}` : (r.typedef ?? ''));

/** --check BASELINE.json: exit 0 when every baseline record is unchanged on its target, 1 when one
 *  changed or is gone, 2 when the baseline or the input cannot be read. */
function checkBaseline(o: CliOptions, fs: NodeFileSystem, h: InputHelpers): number {
  const path = o.check!;
  const text = fs.readFile(path);
  if (text === undefined) {
    process.stderr.write(`layoutof: ${path}: cannot read the baseline\n`);
    return 2;
  }
  let docs;
  try {
    docs = parseBaseline(text);
  } catch (e) {
    if (!(e instanceof BaselineError)) throw e;
    process.stderr.write(`layoutof: ${path}: ${e.message}\n`);
    return 2;
  }
  const only =
    o.checkOnly || o.names.length
      ? [...(o.checkOnly ?? []), ...o.names].map((n) => n.replace(/^(struct|union)\s+/, ''))
      : undefined;
  const results: CheckResult[] = [];
  const head = fs.readHead(o.file!);
  const binary = head !== undefined && isBinaryInput(head);
  for (const doc of docs) {
    const target = findTarget(doc.target);
    if (!target) {
      process.stderr.write(`layoutof: ${path}: unknown target '${doc.target}'\n`);
      return 2;
    }
    const all = h.loadRecords({ ...o, target: target.triple, names: [] }, o.file!, fs);
    if (!all) return 2;
    const wanted = new Set(doc.records.map(keyOf));
    const current = all.filter((r) => wanted.has(keyOf(r)));
    if (refuseUnusable(current, '--check').length < current.length) return 2;
    // Compiled type info does not name a typedef'd anonymous record: such a record cannot be checked
    // there, which is neither a pass nor a change.
    if (binary) {
      const found = new Set(current.map(keyOf));
      const unnamed = doc.records.filter(
        (r) => r.name === null && !found.has(keyOf(r)) && (!only || only.includes(keyOf(r))),
      );
      if (unnamed.length) {
        process.stderr.write(
          `layoutof: ${o.file}: cannot check ${unnamed.map(keyOf).join(', ')}: typedef names of anonymous ` +
            `records are not known from compiled type info (check the source, or --check-only the tagged records)\n`,
        );
        return 2;
      }
    }
    // The input's records go through the same JSON as the baseline's, so both sides carry the same facts.
    const json = toJson(
      target.triple,
      current.map((r) => analyzeRecord(r, target.cacheline)),
    ) as { records: unknown[] };
    const back = json.records.map((r, i) => recordFromJson(r, `record ${i + 1}`));
    results.push(checkLayouts(target.triple, doc.records, back, only));
  }
  process.stdout.write(
    renderCheck(results, path, o.file!, o.format === 'json' || o.format === 'markdown' ? o.format : 'text'),
  );
  return checkPassed(results) ? 0 : 1;
}

/** --decode FILE[@OFFSET] [--count N]: FILE's bytes read as NAME on the target. */
function decodeFile(o: CliOptions, fs: NodeFileSystem, h: InputHelpers): number {
  const spec = o.decode!;
  const at = /^(.*)@(0x[0-9a-f]+|\d+)$/i.exec(spec);
  const path = at ? at[1]! : spec;
  const start = at ? Number(at[2]!) : 0;
  if (o.names.length !== 1) throw new UsageError('--decode needs the NAME of one record');
  const bytes = fs.readBytes(path);
  if (!bytes) {
    process.stderr.write(`layoutof: ${path}: cannot read\n`);
    return 1;
  }
  const input = o.file!;
  const head = fs.readHead(input);
  const target = head && isBinaryInput(head) ? defaultTarget(o) : h.buildContext(o, fs).target;
  const records = h.loadRecords({ ...o, target: target.triple }, input, fs);
  if (!records) return 1;
  const name = o.names[0]!.replace(/^(struct|union)\s+/, '');
  const record = records.find((r) => r.name === name) ?? records.find((r) => r.typedef === name);
  if (!record) {
    process.stderr.write(`layoutof: error: no struct, union or typedef named '${o.names[0]}'\n`);
    return 1;
  }
  if (refuseUnusable([record], '--decode', true).length === 0) return 1;
  const count = o.count ?? 1;
  const objects: DecodedObject[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const offset = start + i * record.size;
      objects.push({ name: o.names[0]!, offset, value: decodeRecord(record, bytes, offset, target) });
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    process.stderr.write(`layoutof: ${path}: object ${objects.length + 1} of ${o.names[0]}: ${e.message}\n`);
    return 1;
  }
  process.stdout.write(o.format === 'json' ? renderDecodedJson(target.triple, objects) : renderDecodedText(objects));
  return 0;
}
