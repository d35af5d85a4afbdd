// Files given to the page: chosen (several, or a folder) or dropped (folders walked). Text files go
// into the in-memory file system under /files/ so that #include "..." finds them; an ELF or BTF file
// is a binary input.
export interface GivenFile {
  /** Relative path (a folder's files keep their folder). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export async function fromFileList(list: FileList | readonly File[]): Promise<GivenFile[]> {
  const out: GivenFile[] = [];
  for (const f of Array.from(list))
    out.push({
      path: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name,
      bytes: new Uint8Array(await f.arrayBuffer()),
    });
  return out;
}

/** The files of a drop, folders included. */
export async function fromDrop(dt: DataTransfer): Promise<GivenFile[]> {
  const entries = Array.from(dt.items)
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return fromFileList(dt.files);
  const out: GivenFile[] = [];
  const visit = async (e: FileSystemEntry, prefix: string): Promise<void> => {
    if (e.isFile) {
      const f = await new Promise<File>((res, rej) => (e as FileSystemFileEntry).file(res, rej));
      out.push({ path: prefix + f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
    } else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const c of batch) await visit(c, `${prefix}${e.name}/`);
      }
    }
  };
  for (const e of entries) await visit(e, '');
  return out;
}

export function decodeText(b: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return new TextDecoder('latin1').decode(b);
  }
}
