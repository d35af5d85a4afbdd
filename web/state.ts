// The page's state in the URL fragment, so that a link reproduces what was seen:
// #c=<base64url of the UTF-8 source>&t=<target>[&t=<target>...]&r=<record>[&l=<cacheline>][&x=1].

export interface PageState {
  readonly source?: string;
  readonly targets: readonly string[];
  readonly record?: string;
  readonly cacheline?: number;
  readonly expand?: boolean;
}

export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Undefined when `s` is not base64url of UTF-8 text. */
export function fromBase64Url(s: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function encodeState(s: PageState): string {
  const parts: string[] = [];
  if (s.source !== undefined) parts.push(`c=${toBase64Url(s.source)}`);
  for (const t of s.targets) parts.push(`t=${encodeURIComponent(t)}`);
  if (s.record) parts.push(`r=${encodeURIComponent(s.record)}`);
  if (s.cacheline !== undefined && s.cacheline !== 64) parts.push(`l=${s.cacheline}`);
  if (s.expand) parts.push('x=1');
  return parts.join('&');
}

export function decodeState(hash: string): PageState {
  const targets: string[] = [];
  let source: string | undefined;
  let record: string | undefined;
  let cacheline: number | undefined;
  let expand = false;
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq);
    let v: string;
    try {
      v = decodeURIComponent(part.slice(eq + 1));
    } catch {
      continue;
    }
    if (k === 'c') source = fromBase64Url(v);
    else if (k === 't' && v) targets.push(v);
    else if (k === 'r' && v) record = v;
    else if (k === 'l' && /^\d+$/.test(v) && Number(v) > 0) cacheline = Number(v);
    else if (k === 'x') expand = v === '1';
  }
  return { source, targets, record, cacheline, expand };
}
