// --format html: one self-contained page (no script, no network) for attaching to a review or a bug:
// for each record its picture (inline SVG), the annotated table and the summary. The table is the
// markdown renderer's, turned into HTML here, so the two never disagree about what a row says.

import type { RecordView } from '../analyze/layout-view.js';
import type { TargetComparison } from '../analyze/compare.js';
import type { HoleCauses } from '../analyze/hole-cause.js';
import { renderMarkdown } from './markdown.js';
import { renderComparison } from './compare.js';
import {
  comparisonPicture,
  recordTitle,
  summaryLine,
  svgDocument,
  svgPicture,
  type Picture,
  type SvgOptions,
} from './svg.js';
import { esc } from './svg-style.js';

export interface PictureOptions extends SvgOptions {
  /** The target triple the records were laid out for. */
  readonly target?: string;
  /** html: parallel to the views, each hole's cause for the table (src/analyze/hole-cause.ts). */
  readonly causes?: readonly (HoleCauses | undefined)[];
}

/** Markdown's inline marks in a table cell (code spans, **bold**, _emphasis_, backslash escapes) as HTML. */
export function inlineMarkdown(s: string): string {
  let out = '';
  let i = 0;
  let bold = false;
  let em = false;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      out += esc(s[i + 1]!);
      i += 2;
    } else if (c === '`') {
      // A code span: up to the next backtick; inside it only '\|' is an escape.
      const end = s.indexOf('`', i + 1);
      const stop = end < 0 ? s.length : end;
      out += `<code>${esc(s.slice(i + 1, stop).replace(/\\\|/g, '|'))}</code>`;
      i = stop + 1;
    } else if (s.startsWith('**', i)) {
      out += bold ? '</b>' : '<b>';
      bold = !bold;
      i += 2;
    } else if (c === '_' && (em || /[\s|(]/.test(s[i - 1] ?? ' '))) {
      out += em ? '</em>' : '<em>';
      em = !em;
      i++;
    } else if (s.startsWith('&nbsp;', i)) {
      out += '&#160;';
      i += 6;
    } else {
      out += esc(c);
      i++;
    }
  }
  return out + (em ? '</em>' : '') + (bold ? '</b>' : '');
}

/** Splits a markdown table row into its cells ('\|' stays inside a cell). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += c + line[++i]!;
    } else if (c === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  return out;
}

/** Cells aligned right: offsets, sizes, "3:5", "4 bits", "8 +4", "—" (escaped: the bundle stays ASCII). */
const NUMERIC = /^(\*\*)?(\d+(:\d+)?( bits?| \+\d+| \d+b)?|\u2014)(\*\*)?$/;

/** Markdown (as the markdown renderer writes it: headings, paragraphs, one table) as HTML. */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  let table = 0;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      const row = cells(line);
      if (row.every((c) => /^:?-+:?$/.test(c))) continue;
      if (table === 0)
        out.push(
          '<table><thead><tr>' + row.map((c) => `<th>${inlineMarkdown(c)}</th>`).join('') + '</tr></thead><tbody>',
        );
      else
        out.push(
          '<tr>' +
            row.map((c) => `<td${NUMERIC.test(c) ? ' class="num"' : ''}>${inlineMarkdown(c)}</td>`).join('') +
            '</tr>',
        );
      table++;
      continue;
    }
    if (table > 0) {
      out.push('</tbody></table>');
      table = 0;
    }
    if (line.startsWith('### ')) continue; // (the page has its own heading)
    if (line.trim()) out.push(`<p>${inlineMarkdown(line)}</p>`);
  }
  if (table > 0) out.push('</tbody></table>');
  return out.join('\n');
}

const PAGE_STYLE = `body{font-family:system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}
h1{font-size:1.3em}h2{font-size:1.15em;margin-top:2em}code{font-family:ui-monospace,Menlo,Consolas,monospace}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}.picture{overflow-x:auto}.summary{font-weight:bold}
@media (prefers-color-scheme:dark){body{color:#e8e8e8;background:#16181c}th,td{border-color:#444}}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="layoutof"><title>${esc(title)}</title><style>${PAGE_STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

/** --format html: every record's picture, table and summary in one page. */
export function renderHtml(views: readonly RecordView[], opts: PictureOptions = {}): string {
  const title = views.length === 1 ? recordTitle(views[0]!.record) : `${views.length} records`;
  const parts = [`<h1>${esc(title)}${opts.target ? ` <small>(${esc(opts.target)})</small>` : ''}</h1>`];
  for (const [i, v] of views.entries()) {
    const id = `rec-${esc(v.record.name ?? v.record.typedef ?? 'anonymous')}`;
    parts.push(`<section id="${id}"><h2>${esc(recordTitle(v.record))}</h2>`);
    parts.push(`<div class="picture">${svgDocument([svgPicture(v, opts)])}</div>`);
    parts.push(`<p class="summary">${esc(summaryLine(v))}</p>`);
    parts.push(markdownToHtml(renderMarkdown([v], { causes: opts.causes && [opts.causes[i]] })), '</section>');
  }
  return page(`layoutof: ${title}`, parts.join('\n'));
}

/** One record compared across targets. */
export interface ComparedRecord {
  readonly name: string;
  readonly views: readonly (RecordView | undefined)[];
  readonly comparison: TargetComparison;
}

const differing = (c: TargetComparison): Set<string> => new Set(c.members.filter((m) => m.differs).map((m) => m.path));

/** --compare-targets with --format svg or html. */
export function renderComparisonPicture(
  format: 'svg' | 'html',
  records: readonly ComparedRecord[],
  opts: SvgOptions = {},
): string {
  const pictures: Picture[] = records.map((c) =>
    comparisonPicture(c.comparison.targets, c.views, differing(c.comparison), opts),
  );
  if (format === 'svg') return svgDocument(pictures);
  const parts = records.map(
    (c, i) =>
      `<section><h2>${esc(c.name)} across targets</h2>` +
      `<div class="picture">${svgDocument([pictures[i]!])}</div>\n` +
      `${markdownToHtml(renderComparison(c.name, c.comparison, 'markdown'))}</section>`,
  );
  return page(`layoutof: ${records.map((c) => c.name).join(', ')} across targets`, parts.join('\n'));
}

/** --format svg or html for records of one target. */
export function renderPicture(format: 'svg' | 'html', views: readonly RecordView[], opts: PictureOptions = {}): string {
  return format === 'svg' ? svgDocument(views.map((v) => svgPicture(v, opts))) : renderHtml(views, opts);
}
