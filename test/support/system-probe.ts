// Lays out every record a set of system headers defines, with our engine and with gcc, and lists the
// differences. Shared by the real-header tests.
import { analyzeSource } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import type { RecordType } from '../../src/model/model.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { compareRecord, probeFor } from './compare.js';
import { gccTruth, type ProbeRecord } from './gcc-truth.js';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HeaderRun {
  compared: number;
  diffs: string[];
  errors: string[];
}

export function probeHeaders(source: string, macros: ['D' | 'U', string][] = []): HeaderRun {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-hdr-'));
  try {
    const file = join(dir, 'tu.c');
    writeFileSync(file, source);
    const res = analyzeSource(file, {
      fs: new NodeFileSystem(),
      target: DEFAULT_TARGET,
      macros,
      forcedIncludes: [],
      include: { quote: [], angled: [], system: [], builtin: systemIncludeDirs() ?? [], after: [] },
    });
    const errors = res.diagnostics.list
      .filter((d) => d.severity === 'error')
      .map((d) => formatDiagnostic(d, res.sources));
    const probes: ProbeRecord[] = [];
    const ours: RecordType[] = [];
    const seen = new Set<string>();
    const typedefOf = new Map<RecordType, string>();
    for (const [n, r] of res.typedefs) if (!typedefOf.has(r)) typedefOf.set(r, n);
    for (const r of res.records) {
      const ctype = r.name !== null ? `${r.kind} ${r.name}` : typedefOf.get(r);
      if (!ctype || seen.has(ctype)) continue;
      seen.add(ctype);
      probes.push(probeFor(r, ctype));
      ours.push(r);
    }
    // _Bool bitfields take 1, others -1: find _Bool ones from our model's member types.
    const truth = gccTruth(
      source.replace(
        /^/,
        macros.map(([k, v]) => (k === 'D' ? `#define ${v.replace('=', ' ')}\n` : `#undef ${v}\n`)).join(''),
      ),
      probes,
    );
    const diffs: string[] = [];
    probes.forEach((p, i) => diffs.push(...compareRecord(ours[i], p, truth[i]!)));
    return { compared: probes.length, diffs, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
