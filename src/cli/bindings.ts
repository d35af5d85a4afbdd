// The layout as code on the command line: --format c-asserts|ts|ctypes|koffi, --check BASELINE.json and
// --decode FILE[@OFFSET]. main.ts hands over its input helpers; this module picks the records, calls the
// analyses and renderers, and turns their answers into exit codes.

import { analyzeSource } from '../api.js';
import { formatDiagnostic } from '../core/diag.js';
import type { Record } from '../model/model.js';
import { renderCAsserts, type AssertBlock } from '../render/c-asserts.js';
import { DEFAULT_TARGET, findTarget, type Target } from '../target/target.js';
import { UsageError, type CliOptions } from './args.js';
import type { BuildContext, Found } from './main.js';
import type { NodeFileSystem } from './nodefs.js';

/** What main.ts lends: the build context of the command line, NAME selection and any input's records. */
export interface InputHelpers {
  buildContext(o: CliOptions, fs: NodeFileSystem): BuildContext;
  select(res: Found, o: CliOptions, target: Target): Record[] | undefined;
  loadRecords(o: CliOptions, file: string, fs: NodeFileSystem): readonly Record[] | undefined;
}

/** Runs the modes that need more than one analysis (several targets, a baseline, a data file); undefined
 *  when the command line asks for none of them. */
export function runBindings(o: CliOptions, fs: NodeFileSystem, h: InputHelpers): number | undefined {
  if (o.binding === 'c-asserts' && (o.targets.length > 1 || o.compareTargets)) return multiTargetAsserts(o, fs, h);
  return undefined;
}

/** The single-target binding formats, for the records main.ts selected. */
export function writeBinding(records: readonly Record[], o: CliOptions, target: Target, code: number): number {
  switch (o.binding) {
    case 'c-asserts':
      process.stdout.write(renderCAsserts([{ target, records }], o.assertStyle));
      return code;
    default:
      throw new UsageError(`--format ${o.binding} is not available yet`);
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
    blocks.push({ target, records });
  }
  process.stdout.write(renderCAsserts(blocks, o.assertStyle));
  return code;
}

export const defaultTarget = (o: CliOptions): Target => findTarget(o.target ?? '') ?? DEFAULT_TARGET;
