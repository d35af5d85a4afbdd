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
  let r = spawnSync('dpkg', ['-L', pkg], { encoding: 'utf8' });
  // With the cross targets' -dev packages installed (multiarch), a bare name is ambiguous: the
  // machine's own architecture's instance is the one gcc reads.
  if (r.status !== 0 && /ambiguous package name/.test(r.stderr ?? '')) {
    const arch = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim();
    r = spawnSync('dpkg', ['-L', `${pkg}:${arch}`], { encoding: 'utf8' });
  }
  if (r.status !== 0) return undefined;
  const names = r.stdout
    .split('\n')
    .filter((p) => p.endsWith('.h') && p.includes('/include/'))
    .map((p) => p.replace(/^.*?\/include\/(x86_64-linux-gnu\/)?/, ''))
    .filter((h) => !h.startsWith('bits/') && !h.startsWith('gnu/') && !h.includes('/bits/'));
  return [...new Set(names)].sort();
}

/** `hs` as parts that compile: halved until they do; a header that does not compile alone goes to
 *  `dropped`. */
export function splitUntilCompiles(
  hs: readonly string[],
  compiles: (hs: readonly string[]) => boolean,
  dropped: string[],
): string[][] {
  if (compiles(hs)) return [[...hs]];
  if (hs.length === 1) {
    dropped.push(hs[0]!);
    return [];
  }
  const m = hs.length >> 1;
  return [
    ...splitUntilCompiles(hs.slice(0, m), compiles, dropped),
    ...splitUntilCompiles(hs.slice(m), compiles, dropped),
  ];
}

/** `list` in order as units of up to `size` that compile: each run of `size` split until its parts
 *  compile, and a part joined to the one before when they compile together. */
export function packUnits(
  list: readonly string[],
  size: number,
  compiles: (hs: readonly string[]) => boolean,
  dropped: string[],
): string[][] {
  const units: string[][] = [];
  for (let i = 0; i < list.length; i += size) {
    for (const part of splitUntilCompiles(list.slice(i, i + size), compiles, dropped)) {
      const last = units[units.length - 1];
      if (last && last.length + part.length <= size && compiles([...last, ...part])) last.push(...part);
      else units.push(part);
    }
  }
  return units;
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

export function sweepHeaders(
  list: readonly string[],
  prelude: string,
  target: Target,
  tc: Toolchain,
  builtin: string[],
): SweepResult {
  const source = (hs: readonly string[]): string => prelude + hs.map((h) => `#include <${h}>\n`).join('');
  const compiles = (hs: readonly string[]): boolean =>
    spawnSync(tc.cc, ['-fsyntax-only', '-w', ...tc.flags, '-x', 'c', '-'], {
      input: source(hs),
      stdio: ['pipe', 'ignore', 'ignore'],
    }).status === 0;
  const units = packUnits(list, UNIT, compiles, []);
  const fs = new NodeFileSystem();
  let records = 0;
  const diffs: string[] = [];
  const errors: string[] = [];
  units.forEach((hs, u) => {
    const src = source(hs);
    const ours = analyzeSourceText(src, {
      target,
      fs,
      include: { quote: [], angled: [], system: [], builtin, after: [] },
    });
    for (const d of ours.diagnostics.list) if (d.severity === 'error') errors.push(formatDiagnostic(d, ours.sources));
    const { probes, ours: recs } = probesForTagged(ours.records);
    const truth = gccTruth(src, probes, tc);
    probes.forEach((p, i) => diffs.push(...compareRecord(recs[i], p, truth[i]!).map((d) => `unit ${u}: ${d}`)));
    records += probes.length;
  });
  return { headers: units.reduce((a, u) => a + u.length, 0), units: units.length, records, diffs, errors };
}
