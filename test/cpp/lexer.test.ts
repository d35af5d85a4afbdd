// The lexer: line splices are removed before tokens are formed (C11 5.1.1.2 phase 2), so putting a
// backslash-newline anywhere must not change a single token's kind, spelling or line position. This
// holds the fast paths (punctuators decided on the next characters, identifiers hashed as they are
// scanned) to the general one that follows splices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commentText, lex, Lexer } from '../../src/cpp/lexer.js';
import { F_BOL, F_SPACE, type Token } from '../../src/cpp/token.js';

const pieces = [
  '.',
  '..',
  '...',
  '-',
  '->',
  '>',
  '>>=',
  '<',
  '<<=',
  '<:',
  '<%',
  '%',
  '%:',
  '%:%:',
  '%>',
  ':',
  ':>',
  '#',
  '##',
  '+',
  '++',
  '&',
  '&&',
  '|',
  '*',
  '/',
  '^',
  '!',
  '=',
  '==',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ';',
  ',',
  '?',
  '~',
  '@',
  '`',
  ' ',
  '\t',
  '\n',
  'a',
  'id_9',
  'L',
  'u8',
  '1',
  '0x1e',
  'e+',
  '.5',
  '"s"',
  "'c'",
  '"',
  "'",
  '$',
  '/* c */',
  '// c\n',
  '\\',
];

const spell = (text: string) => {
  const r = lex({ id: 0, path: 't.c', text });
  return r.tokens.map((t) => `${t.kind}:${t.text}:${t.flags & (F_BOL | F_SPACE) ? t.flags & (F_BOL | F_SPACE) : 0}`);
};

test('a backslash-newline anywhere changes no token', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 24 }), fc.nat(), (parts, at) => {
      const text = parts.join('');
      const cut = at % (text.length + 1);
      // (Not right after a backslash: that backslash would then start the splice.)
      fc.pre(text[cut - 1] !== '\\');
      assert.deepEqual(spell(text.slice(0, cut) + '\\\n' + text.slice(cut)), spell(text));
    }),
    { numRuns: 3000 },
  );
});

// Comments as C11 phase 3 finds them in the text with its splices removed: a block comment runs to
// the first '*/', a line comment to the end of its line. Written the plain way, to hold the lexer's
// (which finds each '*' and line end with indexOf) to it.
function referenceComments(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      out.push(text.slice(i + 2, end < 0 ? text.length : end));
      i = end < 0 ? text.length : end + 2;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      out.push(text.slice(i + 2, end < 0 ? text.length : end));
      i = end < 0 ? text.length : end;
    } else i++;
  }
  return out;
}

test('comments: each ends where phase 3 ends it, with backslash-newlines anywhere in or around it', () => {
  const commentPieces = ['/*', '*/', '*', '/', '//', '**', ' ', 'x', '\n', '\t', '#', ';'];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...commentPieces), { minLength: 1, maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.constantFrom('\\\n', '\\ \t\n', '\\\r\n'),
      (parts, cuts, splice) => {
        const plain = parts.join('');
        let text = plain;
        for (const c of [...cuts].map((k) => k % (plain.length + 1)).sort((a, b) => b - a))
          text = text.slice(0, c) + splice + text.slice(c);
        const { comments } = lex({ id: 0, path: 't.c', text });
        assert.deepEqual(
          comments.toArray().map((c) => commentText(text, c)),
          referenceComments(plain),
          JSON.stringify(text),
        );
      },
    ),
    { numRuns: 5000 },
  );
});

test('punctuators: the longest match, digraphs as their tokens, at the end of a file too', () => {
  const texts = (src: string) => lex({ id: 0, path: 't.c', text: src }).tokens.map((t) => t.text);
  assert.deepEqual(texts('a->b-->c>>=d<<=e...f..g<:h:><%i%>%:%:j%:k'), [
    'a',
    '->',
    'b',
    '--',
    '>',
    'c',
    '>>=',
    'd',
    '<<=',
    'e',
    '...',
    'f',
    '.',
    '.',
    'g',
    '[',
    'h',
    ']',
    '{',
    'i',
    '}',
    '##',
    'j',
    '#',
    'k',
    '',
  ]);
  assert.deepEqual(texts('x+'), ['x', '+', '']);
  assert.deepEqual(texts('x%:%'), ['x', '#', '%', '']);
  assert.deepEqual(texts('1e+5-0x1p-3'), ['1e+5', '-', '0x1p-3', '']);
});

test('comments are kept in order, however many a file has (the list grows)', () => {
  const src = Array.from({ length: 100 }, (_, i) => (i % 2 ? `/* c${i} */ int a${i};` : `int a${i}; // c${i}`)).join(
    '\n',
  );
  const { comments } = lex({ id: 0, path: 'many.c', text: src });
  assert.equal(comments.length, 100);
  const all = comments.toArray();
  all.forEach((c, i) => {
    assert.equal(commentText(src, c).trim(), `c${i}`);
    assert.equal(c.block, i % 2 === 1);
    assert.equal(comments.start(i), c.start);
  });
  assert.equal(comments.get(100), undefined);
  assert.equal(comments.get(-1), undefined);
});

test('a long line comes in pieces that join to the same tokens; a directive line comes whole', () => {
  const file = {
    id: 0,
    path: 'long.c',
    text:
      'int a = ' +
      Array.from({ length: 10_000 }, (_, k) => `x${k}`).join(' + ') +
      ';\n#pragma ' +
      'y '.repeat(10_000) +
      '\nint b;\n',
  };
  const lx = new Lexer(file, 0, true);
  const pieces: Token[][] = [];
  for (let more = true; more;) {
    const out: Token[] = [];
    more = lx.line(out);
    pieces.push(out);
  }
  assert.ok(pieces.length > 5);
  assert.ok(
    pieces.filter((p) => p.length > 4096).length === 1 && pieces.some((p) => p[0]!.text === '#' && p.length === 10_002),
  );
  const spell = (t: Token) => `${t.kind} ${t.text} ${t.pos} ${t.flags}`;
  assert.deepEqual(pieces.flat().map(spell), lex(file).tokens.map(spell));
});
