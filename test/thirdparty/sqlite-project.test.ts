// -p over a real project: the SQLite amalgamation (from the better-sqlite3 npm package, fetched into
// .cache/sqlite-amalgamation by scripts/install-test-deps.sh) with a compile_commands.json whose
// commands carry layout-changing flags and name a cross compiler; every record against that compiler
// compiling the unit with the same flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { compileFlagsFor } from '../../src/kernel/compdb.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { compareRecord, probeFor, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool, type ProbeRecord } from '../support/gcc-truth.js';
import type { RecordType } from '../../src/model/model.js';

const DIR = resolve('.cache/sqlite-amalgamation');
const have = existsSync(join(DIR, 'sqlite3.c'));

const FLAGS = [
  '-DSQLITE_THREADSAFE=1',
  '-DSQLITE_ENABLE_FTS5',
  '-DSQLITE_ENABLE_RTREE',
  '-fshort-enums',
  '-fpack-struct=4',
  '-funsigned-char',
  '-pthread',
  '-O2',
  '-g',
  '-Wall',
  '-I.',
];

for (const cc of ['gcc', 'i686-linux-gnu-gcc', 'aarch64-linux-gnu-gcc']) {
  test(
    `-p: sqlite3.c compiled by ${cc} ${FLAGS.slice(3, 7).join(' ')}: every record as the compiler has it`,
    {
      skip:
        (!have && 'no .cache/sqlite-amalgamation (scripts/install-test-deps.sh fetches it)') ||
        (!haveTool(cc) && `no ${cc}`),
      timeout: 300_000,
    },
    () => {
      const db = mkdtempSync(join(tmpdir(), 'layoutof-sqlite-'));
      writeFileSync(
        join(db, 'compile_commands.json'),
        JSON.stringify([
          {
            directory: DIR,
            file: 'sqlite3.c',
            arguments: [`/usr/bin/${cc}`, ...FLAGS, '-c', 'sqlite3.c', '-o', 'sqlite3.o'],
          },
        ]),
      );
      const fs = new NodeFileSystem();
      const cf = compileFlagsFor(db, join(DIR, 'sqlite3.c'), fs, DIR);
      const target = cf.target;
      assert.equal(target.triple, cc === 'gcc' ? 'x86_64-linux-gnu' : cc.replace(/-gcc$/, ''));
      assert.equal(target.defaultPack, 4);
      const builtin = systemIncludeDirs(target.triple === DEFAULT_TARGET.triple ? undefined : target.triple) ?? [];
      const res = analyzeSource(cf.file, {
        fs,
        target,
        include: { ...cf.include, builtin },
        macros: cf.macros,
        forcedIncludes: cf.forcedIncludes,
      });
      const errors = res.diagnostics.list
        .filter((d) => d.severity === 'error')
        .map((d) => formatDiagnostic(d, res.sources));
      assert.deepEqual(errors.slice(0, 10), []);
      const { probes, ours } = probesForTagged(res.records);
      const recs: RecordType[] = [...ours];
      const all: ProbeRecord[] = [...probes];
      for (const [name, r] of res.typedefs) {
        if (r.name !== null || r.incomplete) continue;
        all.push(probeFor(r, name));
        recs.push(r);
      }
      const truth = gccTruth(`#include "${join(DIR, 'sqlite3.c')}"\n`, all, {
        cc,
        nm: 'nm',
        objcopy: cc === 'gcc' ? 'objcopy' : cc.replace(/gcc$/, 'objcopy'),
        flags: FLAGS.filter((f) => f !== '-I.' && f !== '-O2' && f !== '-g').concat([`-I${DIR}`]),
        endian: 'little',
      });
      const diffs = all.flatMap((p, i) => compareRecord(recs[i], p, truth[i]!));
      assert.deepEqual(diffs.slice(0, 30), [], `${diffs.length} differences over ${all.length} records`);
      assert.ok(all.length > 150, `only ${all.length} records`);
      console.log(`# sqlite3.c, ${cc}: ${all.length} records match`);
    },
  );
}
