// Generated C read back from a binary: compiled by gcc -g (one variable per record, so that its DWARF
// is emitted) and converted to BTF by pahole -J, both read by layoutof; and the test of whether a
// record read back holds the same facts as the source's.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeBinary } from '../../src/binary/index.js';
import { unnamedRecordOf, type RecordType } from '../../src/model/model.js';

export type BinaryFormat = 'DWARF' | 'BTF';

/** Records by name from the object's DWARF and from its BTF (none where pahole cannot encode it). */
export function readBack(
  source: string,
  ctypes: readonly string[],
): { DWARF: Map<string | null, RecordType>; BTF?: Map<string | null, RecordType> } {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-read-back-'));
  try {
    const c = join(dir, 'g.c');
    const o = join(dir, 'g.o');
    writeFileSync(c, source + ctypes.map((t, i) => `${t} v_${i};\n`).join(''));
    const cc = spawnSync('gcc', ['-g', '-c', '-w', c, '-o', o], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr.slice(0, 4000)}`);
    copyFileSync(o, `${o}.btf`);
    const read = (path: string, preferBtf: boolean) =>
      new Map(analyzeBinary(new Uint8Array(readFileSync(path)), { path, preferBtf }).records.map((r) => [r.name, r]));
    // (pahole 1.24 cannot encode some unions' bitfields of aligned typedefs: then there is no BTF.)
    const btf = spawnSync('pahole', ['-J', `${o}.btf`], { encoding: 'utf8' }).status === 0;
    return btf ? { DWARF: read(o, false), BTF: read(`${o}.btf`, true) } : { DWARF: read(o, false) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pahole 1.24 reads no DW_TAG_atomic_type: generated source without _Atomic. */
export const withoutAtomic = (source: string): string =>
  source.replace(/_Atomic\s*\(([^()]*)\)/g, '$1').replace(/_Atomic/g, '');

/** The same members at the same places with the same alignments, nested unnamed records too, and no
 *  rule the binary lost: a zero-width or unnamed bitfield (neither keeps one), an explicit alignment
 *  (BTF keeps none), a packed member whose offset happens to be aligned (the binary's alignment is
 *  then the type's). */
export function comparable(s: RecordType, b: RecordType, format: BinaryFormat): boolean {
  if (s.size !== b.size || s.align !== b.align || s.members.length !== b.members.length) return false;
  // (DWARF says a record is aligned() when gcc marks its alignment as the user's, e.g. through a
  // bitfield of an aligned typedef, which the source model does not call an aligned() on the record.)
  if (s.alignedAttr !== (format === 'BTF' ? undefined : b.alignedAttr)) return false;
  return s.members.every((m, i) => {
    const n = b.members[i]!;
    if (m.bitSize === 0 || m.name !== n.name || m.bitOffset !== n.bitOffset || m.align !== n.align) return false;
    if (m.forcedAlign !== (format === 'BTF' ? undefined : n.forcedAlign)) return false;
    const inner = unnamedRecordOf(m.type);
    const other = unnamedRecordOf(n.type);
    return !inner || (!!other && comparable(inner, other, format));
  });
}

/** The binary has the source's members, in order (no unnamed bitfield left out). */
export function sameMembers(s: RecordType, b: RecordType): boolean {
  return s.members.length === b.members.length && s.members.every((m, i) => m.name === b.members[i]!.name);
}
