// BTF strings are read one char per byte, the same in Node and in a browser, whose TextDecoder reads
// the label 'latin1' as windows-1252 (0x80 is U+20AC there).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
const identity = String.fromCharCode(...bytes);

test("latin1: one char per byte with a browser-like TextDecoder, and with Node's", async () => {
  const real = globalThis.TextDecoder;
  class Windows1252 {
    decode(b: Uint8Array): string {
      return [...b].map((x) => (x === 0x80 ? '\u20ac' : String.fromCharCode(x))).join('');
    }
  }
  globalThis.TextDecoder = Windows1252 as unknown as typeof TextDecoder;
  try {
    const { latin1 } = await import('../../src/binary/btf.js');
    assert.equal(latin1(bytes), identity, 'a decoder that maps 0x80 elsewhere is not used');
  } finally {
    globalThis.TextDecoder = real;
  }
  assert.equal(
    new TextDecoder('latin1').decode(bytes),
    identity,
    "Node's decoder is the identity (the path taken in Node)",
  );
});
