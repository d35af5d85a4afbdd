// Every header of a Debian package (libc6-dev, linux-libc-dev, their -cross builds), laid out by
// layoutof and by the target's gcc: the headers, in their sorted order, are packed into translation
// units of up to 150 that gcc compiles; a unit that does not compile is halved until its parts do (a
// header that does not compile alone is left out, and so are parts that clash), and adjacent parts
// are joined again when they compile together.
import { spawnSync } from 'node:child_process';
import { analyzeSourceText } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import type { Target } from '../../src/target/target.js';
import { compareRecord, probesForTagged } from './compare.js';
import { gccTruth, type Toolchain } from './gcc-truth.js';

const UNIT = 150;

/** The headers a package installs, as `#include <...>` names (without glibc's internal bits/ and
 *  gnu/ headers, which refuse to be included directly); undefined when it is not installed. */
export function packageHeaders(pkg: string): string[] | undefined {
  const r = spawnSync('dpkg', ['-L', pkg], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const names = r.stdout.split('\n').filter((p) => p.endsWith('.h') && p.includes('/include/'))
    .map((p) => p.replace(/^.*?\/include\/(x86_64-linux-gnu\/)?/, ''))
    .filter((h) => !h.startsWith('bits/') && !h.startsWith('gnu/') && !h.includes('/bits/'));
  return [...new Set(names)].sort();
}

export interface SweepResult {
  /** Headers in units (of those listed). */
  readonly headers: number;
  readonly units: number;
  /** Named records compared, counted per unit. */
  readonly records: number;
  readonly diffs: string[];
  readonly errors: string[];
}

export function sweepHeaders(list: readonly string[], prelude: string, target: Target, tc: Toolchain, builtin: string[]): SweepResult {
  const source = (hs: readonly string[]): string => prelude + hs.map((h) => `#include <${h}>\n`).join('');
  const compiles = (hs: readonly string[]): boolean =>
    spawnSync(tc.cc, ['-fsyntax-only', '-w', ...tc.flags, '-x', 'c', '-'], { input: source(hs), stdio: ['pipe', 'ignore', 'ignore'] }).status === 0;
  const split = (hs: string[]): string[][] => {
    if (compiles(hs)) return [hs];
    if (hs.length === 1) return [];
    const m = hs.length >> 1;
    return [...split(hs.slice(0, m)), ...split(hs.slice(m))];
  };
  const units: string[][] = [];
  for (let i = 0; i < list.length; i += UNIT) {
    for (const part of split(list.slice(i, i + UNIT))) {
      const last = units[units.length - 1];
      if (last && last.length + part.length <= UNIT && compiles([...last, ...part])) last.push(...part);
      else units.push(part);
    }
  }
  const fs = new NodeFileSystem();
  let records = 0;
  const diffs: string[] = [];
  const errors: string[] = [];
  units.forEach((hs, u) => {
    const src = source(hs);
    const ours = analyzeSourceText(src, { target, fs, include: { quote: [], angled: [], system: [], builtin, after: [] } });
    for (const d of ours.diagnostics.list) if (d.severity === 'error') errors.push(formatDiagnostic(d, ours.sources));
    const { probes, ours: recs } = probesForTagged(ours.records);
    const truth = gccTruth(src, probes, tc);
    probes.forEach((p, i) => diffs.push(...compareRecord(recs[i], p, truth[i]!).map((d) => `unit ${u}: ${d}`)));
    records += probes.length;
  });
  return { headers: units.reduce((a, u) => a + u.length, 0), units: units.length, records, diffs, errors };
}
