// The web page's URL fragment (web/state.ts): what a link carries comes back unchanged, and a
// damaged fragment gives no source rather than a wrong one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeState, encodeState, fromBase64Url, toBase64Url } from '../../web/state.js';

test('source, targets, record and options survive the fragment', () => {
  const source = 'struct s { char c; /* naïve ✓ — 𝄞 */ long l; };\n'.repeat(50);
  const hash = encodeState({
    source,
    targets: ['x86_64-linux-gnu', 'i686-linux-gnu'],
    record: 's',
    cacheline: 128,
    expand: true,
  });
  assert.match(hash, /^c=[A-Za-z0-9_-]+&t=x86_64-linux-gnu&t=i686-linux-gnu&r=s&l=128&x=1$/);
  assert.deepEqual(decodeState('#' + hash), {
    source,
    targets: ['x86_64-linux-gnu', 'i686-linux-gnu'],
    record: 's',
    cacheline: 128,
    expand: true,
  });
  assert.deepEqual(decodeState(''), {
    source: undefined,
    targets: [],
    record: undefined,
    cacheline: undefined,
    expand: false,
  });
});

test('base64url: every length round-trips; damage is refused', () => {
  for (let n = 0; n < 40; n++) {
    const s = 'ab€'.repeat(n).slice(0, n);
    assert.equal(fromBase64Url(toBase64Url(s)), s);
  }
  assert.equal(fromBase64Url('a+b/'), undefined, 'not the URL alphabet');
  assert.equal(fromBase64Url(toBase64Url('é').slice(0, 1)), undefined, 'cut in the middle of a character');
  assert.equal(decodeState('#c=%E0%A4%A&t=x').source, undefined);
  assert.equal(decodeState('#l=0&l=abc').cacheline, undefined);
});
