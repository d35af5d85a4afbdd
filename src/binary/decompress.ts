// SHF_COMPRESSED sections (zlib, zstd) inflated under a limit: a section may not claim more than
// DECOMPRESS_RATIO times its compressed size (at least DECOMPRESS_FLOOR) nor more than DECOMPRESS_MAX,
// so that a bomb (1 MB claiming 1 GiB) is refused from its header, before anything is allocated.

import { Decompress as ZstdStream } from 'fzstd';
import { BinaryError, ByteReader } from './reader.js';
import type { ElfFile, ElfSection } from './elf.js';

/** zlib decompression for the host to supply (the Node CLI passes node:zlib's): `size` is the
 *  header's, and the result must not grow past it. */
export type Decompressor = (kind: 'zlib' | 'zstd', data: Uint8Array, size: number) => Uint8Array;

/** Real debug sections compress 3-10 times (zstd -19 on DWARF: about 12); 100 leaves room. */
export const DECOMPRESS_RATIO = 100;
export const DECOMPRESS_FLOOR = 1 << 20;
export const DECOMPRESS_MAX = 2 ** 31;

/** SHF_COMPRESSED: an Elf_Chdr (type, size, alignment) then the compressed stream. */
export function decompressSection(
  data: Uint8Array,
  elf: ElfFile,
  s: ElfSection,
  decompress?: Decompressor,
): Uint8Array {
  const name = s.name;
  const r = new ByteReader(data, elf.little, { section: name, fileOffset: s.offset });
  const type = r.u32(0);
  const size = elf.class64 ? r.u64(8) : r.u32(4);
  const hdr = elf.class64 ? 24 : 12;
  const kind = type === 1 ? 'zlib' : type === 2 ? 'zstd' : undefined;
  if (!kind) throw r.fail(`${name}: unknown compression type ${type}`, 0);
  const limit = Math.min(DECOMPRESS_MAX, Math.max(DECOMPRESS_FLOOR, DECOMPRESS_RATIO * data.length));
  if (size > limit) {
    const why =
      limit === DECOMPRESS_MAX
        ? `the limit is ${DECOMPRESS_MAX} bytes`
        : `the limit is ${limit} bytes, ${DECOMPRESS_RATIO} times its compressed size`;
    throw r.fail(
      `${name}: ${kind}-compressed section of ${data.length} bytes claims ${size} bytes decompressed; ` +
        `${why} (a decompression bomb?)`,
      0,
    );
  }
  // zstd through fzstd (pure JavaScript, so this works in a browser too); zlib through the host's.
  if (kind === 'zlib' && !decompress)
    throw r.fail(`${name} is ${kind}-compressed and no decompressor is available here`, 0);
  let out: Uint8Array;
  try {
    out = kind === 'zstd' ? zstdSection(data.subarray(hdr), size, r) : decompress!(kind, data.subarray(hdr), size);
  } catch (e) {
    if (e instanceof BinaryError) throw e;
    throw r.fail(`${name}: ${kind} decompression failed: ${(e as Error).message}`, 0);
  }
  if (out.length !== size) throw r.fail(`${name}: decompressed to ${out.length} bytes, header says ${size}`, 0);
  return out;
}

/** A zstd section through fzstd's streaming decoder (several frames, skippable ones, as lld writes
 *  them): decoded into the size the header gives and stopped as soon as it would exceed it, so a
 *  stream that expands without end costs no more time or memory than the header allows. */
function zstdSection(data: Uint8Array, size: number, r: ByteReader): Uint8Array {
  const name = r.origin!.section!;
  const out = new Uint8Array(size);
  let n = 0;
  const d = new ZstdStream((chunk: Uint8Array) => {
    if (n + chunk.length > size)
      throw r.fail(`${name}: decompressed to more than ${size} bytes, header says ${size}`, 0);
    out.set(chunk, n);
    n += chunk.length;
  });
  d.push(data, true);
  return n === size ? out : out.subarray(0, n);
}
