/**
 * The one escaper for text that reaches a report (Markdown, HTML, SVG), and the one for Mermaid
 * labels. Every value that comes from a manifest, a waiver file or a catalog goes through
 * escapeText before it meets Markdown or HTML; the templates can only print through it (see
 * scripts/precompile-templates.mjs, which refuses any other way of printing a value).
 *
 * escapeText turns the characters that could open markup into numeric character references,
 * which GitHub, marked and browsers all show as the character itself:
 *   - HTML: & < > " ' (so no tag, attribute or entity can be opened);
 *   - Markdown: [ ] ( ) * _ \ ` | # ~ (no link, image, emphasis, code span, table cell or heading);
 *   - autolinks: the ":" of "://", every "@" and the "." of "www." (no bare URL or e-mail becomes a link);
 *   - line breaks and other control characters become one space (no new block can start), and
 *     bidirectional overrides are dropped (no text can be made to read backwards).
 */

const ENTITIES: Record<string, string | undefined> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '*': '&#42;',
  _: '&#95;',
  '\\': '&#92;',
  '`': '&#96;',
  '|': '&#124;',
  '#': '&#35;',
  '~': '&#126;',
  '@': '&#64;',
}

// Bidirectional embeddings, overrides and isolates; zero-width joiners stay (emoji need them).
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g
// One pass: a run of two or more spaces and controls (line breaks, NEL, LS, PS, DEL and the C0/C1
// controls), a single control, a markup character, the `:` of `://`, the `.` of `www.`.
const SOURCE =
  '[\\u0000-\\u0020\\u007f-\\u009f\\u2028\\u2029]{2,}|[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]|[&<>"\'[\\]()*_\\\\`|#~@]|:(?=//)|(?<=\\b[wW]{3})\\.'
const SPECIAL = new RegExp(SOURCE, 'g')
const NEEDS = new RegExp(`${SOURCE}|[\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c]`)

function replacement(c: string): string {
  if (c.length > 1) return ' '
  return ENTITIES[c] ?? (c === ':' ? '&#58;' : c === '.' ? '&#46;' : ' ')
}

/** Any value as display text: strings as they are, null/undefined as '', others as JSON. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(value) ?? ''
}

/** Text that is inert in Markdown and HTML alike: see the file comment. */
export function escapeText(value: unknown): string {
  const text = toText(value)
  if (!NEEDS.test(text)) return text
  return text.replace(BIDI, '').replace(SPECIAL, replacement)
}

const MERMAID: Record<string, string> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '[': '#91;',
  ']': '#93;',
  '(': '#40;',
  ')': '#41;',
  '{': '#123;',
  '}': '#125;',
  '|': '#124;',
  ';': '#59;',
  '%': '#37;',
  '\\': '#92;',
  '*': '#42;',
  _: '#95;',
  '~': '#126;',
}

/**
 * Text for the inside of a quoted Mermaid label (`n1["…"]`, `-->|"…"|`): Mermaid's own entity
 * codes (`#quot;`, `#35;`), so that nothing can end the label, open a shape, a link or HTML.
 */
export function escapeMermaid(value: unknown): string {
  return toText(value)
    .replace(BIDI, '')
    .replace(/[\u0000-\u0020\u007f-\u009f\u2028\u2029]{2,}|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/["#&<>`[\](){}|;%\\*_~]/g, (c) => MERMAID[c])
}
