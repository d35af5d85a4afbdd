// kernelTree reads the few options it needs straight from .config's text (configOption) instead of
// splitting the whole file: any option's value must be exactly what the full parse (parseConfig) gives,
// for any mix of set, unset ("# ... is not set"), quoted, empty and repeated options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { configOption, parseConfig } from '../../src/kernel/kbuild.js';

const NAMES = [
  'CONFIG_X86_64',
  'CONFIG_X86',
  'CONFIG_64BIT',
  'CONFIG_GCC_VERSION',
  'CONFIG_CC_VERSION_TEXT',
  'CONFIG_X86_64_SMP',
];
const name = fc.constantFrom(...NAMES);
const value = fc.oneof(
  fc.constantFrom('y', 'm', '', '120200', '"gcc (Debian 12.2.0-14) 12.2.0"', '""', '"', '"a"b"'),
  fc.string({ unit: fc.constantFrom('a', '=', '"', ' ', '#', '_', '1') }),
);
const line = fc.oneof(
  fc.tuple(name, value).map(([n, v]) => `${n}=${v}`),
  name.map((n) => `# ${n} is not set`),
  fc.constantFrom('#', '', '# Automatically generated file; DO NOT EDIT.', ' CONFIG_X86_64=y', 'XCONFIG_X86_64=y'),
);

test('configOption(text, name) is parseConfig(text).get(name), for every option', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, trailingNewline) => {
      const text = lines.join('\n') + (trailingNewline ? '\n' : '');
      const all = parseConfig(text);
      // (And one that never occurs.)
      for (const n of [...NAMES, 'CONFIG_ARM64']) {
        assert.equal(configOption(text, n), all.get(n), `${n} in ${JSON.stringify(text)}`);
      }
    }),
    { numRuns: 5000 },
  );
  assert.equal(configOption('CONFIG_X86_64=y\nCONFIG_GCC_VERSION=120200\n', 'CONFIG_X86_64'), 'y');
  assert.equal(configOption('CONFIG_CC_VERSION_TEXT="gcc 12"', 'CONFIG_CC_VERSION_TEXT'), 'gcc 12');
  assert.equal(configOption('# CONFIG_X86_64 is not set\n', 'CONFIG_X86_64'), undefined);
});
