// A typedef's aligned() on a record known only by that typedef: the listing (every record of a unit)
// shows the typedef's alignment, as a query by name does, and both agree with gcc's _Alignof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';

const SRC = `
typedef struct { void *p[3]; } T64 __attribute__((aligned(64)));
typedef struct { int a; char c; } T2 __attribute__((aligned(2)));
typedef struct { long x; } T __attribute__((aligned));
typedef struct named { void *p; } N32 __attribute__((aligned(32)));
#include <pthread.h>
`;

test(
  'listing and lookup give a typedef-aligned anonymous record the typedef alignment (gcc)',
  { skip: !haveTool('gcc') },
  () => {
    const names = ['T64', 'T2', 'T', '__pthread_unwind_buf_t'];
    const truth = gccTruth(
      SRC,
      names.map((ctype) => ({ ctype, fields: [], bitfields: [] })),
    );
    const builtin = systemIncludeDirs() ?? [];
    const res = analyzeSourceText(SRC, {
      fs: new NodeFileSystem(),
      include: { quote: [], angled: [], system: [], builtin, after: [] },
    });
    assert.equal(res.diagnostics.errors, 0);
    names.forEach((n, i) => {
      const listed = res.records.filter((r) => r.name === null && r.typedef === n);
      assert.equal(listed.length, 1, n);
      assert.deepEqual([listed[0]!.size, listed[0]!.align], [truth[i]!.size, truth[i]!.align], `${n} as listed`);
      const found = res.find(n)!;
      assert.deepEqual([found.size, found.align], [truth[i]!.size, truth[i]!.align], `${n} by name`);
    });
    assert.equal(truth[0]!.align, 64);
    assert.equal(truth[3]!.align, 16);
    // A tagged record keeps its own alignment in the listing: the typedef is another type.
    assert.equal(res.records.find((r) => r.name === 'named')!.align, 8);
    assert.equal(res.find('N32')!.align, 32);
  },
);
