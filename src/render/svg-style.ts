// What the SVG picture looks like apart from its geometry: the style sheet (Okabe–Ito's colour-blind-safe
// palette, light and dark through prefers-color-scheme), the hatch pattern of holes, the legend, XML
// escaping and labels elided to the width they are given.

/** Fill colours for members, cycled: Okabe–Ito's eight colours (less black), as light tints for light
 *  backgrounds and dark shades for dark ones, so the label text always contrasts. */
const LIGHT = ['#f6d9a3', '#bfe2f7', '#9fdcc8', '#f7f1a8', '#9cc4e3', '#f2b899', '#ecc3da'];
const DARK = ['#7a5200', '#1f5f80', '#00573f', '#6e6a10', '#003f63', '#7a3300', '#6e3a5a'];
export const PALETTE_SIZE = LIGHT.length;

/** Font size (px) and the advance of one character of the monospace font at that size. */
export const FONT = 11;
export const CHAR_W = FONT * 0.62;

export function styleSheet(): string {
  const fills = (p: string[]) => p.map((c, i) => `.c${i}>rect.seg{fill:${c}}`).join('');
  return `<style>
svg{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:${FONT}px}
.bg{fill:#ffffff}text{fill:#1b1b1b}.dim{fill:#5a5a5a}.heading{font-size:${FONT + 3}px;font-weight:bold}
.rowbg{fill:#f3f3f3}.tick{stroke:#d0d0d0;stroke-width:1}.tick8{stroke:#a8a8a8;stroke-width:1}
rect.seg{stroke:#3a3a3a;stroke-width:.75}.bitfield>rect.seg{stroke-dasharray:2 1}
.nested>rect.outline{fill:none;stroke:#1b1b1b;stroke-width:1.25}
.hole>rect.seg{fill:url(#layoutof-hatch);stroke:#8a8a8a;stroke-width:.75}.hatch{stroke:#8a8a8a;stroke-width:1.5}
.cacheline{stroke:#1b1b1b;stroke-width:2.5}.cl{font-weight:bold}
.differs>rect.seg,.differs>rect.outline{stroke:#d55e00;stroke-width:2.5;stroke-dasharray:5 2}
.zero{stroke:#1b1b1b;stroke-width:2}
${fills(LIGHT)}
@media (prefers-color-scheme:dark){
.bg{fill:#16181c}text{fill:#e8e8e8}.dim{fill:#a8a8a8}.rowbg{fill:#23262b}.tick{stroke:#3a3d42}.tick8{stroke:#5a5d62}
rect.seg{stroke:#c8c8c8}.nested>rect.outline{stroke:#e8e8e8}.hole>rect.seg{stroke:#777}.hatch{stroke:#777}
.cacheline{stroke:#f0f0f0}.zero{stroke:#e8e8e8}
${fills(DARK)}
}
</style>`;
}

export function defs(): string {
  return (
    `<defs><pattern id="layoutof-hatch" width="6" height="6" patternUnits="userSpaceOnUse" ` +
    `patternTransform="rotate(45)"><line class="hatch" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>`
  );
}

// Characters XML 1.0 does not allow at all (a comment from a binary may carry anything).
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text or attribute value escaped for XML. */
export function esc(s: string): string {
  return s
    .replace(INVALID_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** `text` cut to fit `width` pixels (an ellipsis marks the cut); '' when not even two characters fit. */
export function fit(text: string, width: number): string {
  const n = Math.floor((width - 4) / CHAR_W);
  if (text.length <= n) return text;
  if (n < 2) return '';
  return text.slice(0, n - 1) + '…';
}

/** A number printed without float noise (positions are multiples of a bit's width, exact binary
 *  fractions; a millionth of a pixel keeps them exact). */
export function num(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

/** The legend: one swatch per kind of mark the picture uses. */
export function legend(x: number, y: number): { svg: string; height: number } {
  const items: [string, string][] = [
    ['<g class="c0"><rect class="seg" x="0" y="0" width="22" height="12"/></g>', 'member'],
    ['<g class="c1 bitfield"><rect class="seg" x="0" y="0" width="22" height="12"/></g>', 'bitfield (bit-exact)'],
    ['<g class="hole"><rect class="seg" x="0" y="0" width="22" height="12"/></g>', 'hole or padding'],
    [
      '<g class="nested"><rect class="outline" x="0" y="0" width="22" height="12"/></g>',
      'nested record / union alternative',
    ],
    ['<line class="cacheline" x1="0" y1="6" x2="22" y2="6"/>', 'cacheline boundary'],
  ];
  let cx = x;
  let out = `<g class="legend" transform="translate(0 ${num(y)})">`;
  for (const [mark, label] of items) {
    out += `<g transform="translate(${num(cx)} 0)">${mark}<text x="28" y="10">${esc(label)}</text></g>`;
    cx += 36 + label.length * CHAR_W;
  }
  return { svg: out + '</g>', height: 18 };
}
