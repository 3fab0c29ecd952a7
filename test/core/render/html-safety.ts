/**
 * The exact tags and attributes the HTML reports emit. Sanitizing a page with this allowlist
 * (sanitize-html, the reference) must change nothing: then no manifest text became a tag, an
 * attribute or a link with another scheme. Shared by the unit and the browser tests.
 */
import sanitizeHtml from 'sanitize-html'

const SVG_PAINT = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap']
const SVG_TEXT = [
  'x',
  'y',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'transform',
  'fill',
  'fill-opacity',
]

export const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    // page
    'html',
    'head',
    'meta',
    'title',
    'style',
    'body',
    'main',
    'footer',
    'header',
    // Markdown through marked
    'h1',
    'h2',
    'h3',
    'h4',
    'p',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'blockquote',
    'div',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'figure',
    'pre',
    'code',
    'a',
    'span',
    'b',
    'small',
    // SVG drawings
    'svg',
    'defs',
    'pattern',
    'marker',
    'rect',
    'circle',
    'path',
    'text',
  ],
  allowedAttributes: {
    html: ['lang'],
    meta: ['charset', 'http-equiv', 'content', 'name'],
    main: ['class'],
    footer: ['class'],
    header: ['class'],
    div: ['class'],
    p: ['class'],
    ul: ['class'],
    li: ['class'],
    span: ['class'],
    strong: ['class'],
    h1: ['id'],
    h2: ['id'],
    h3: ['id', 'class'],
    h4: ['id'],
    th: ['class'],
    td: ['class'],
    figure: ['class'],
    code: ['class'],
    a: ['href', 'title'],
    title: ['id'],
    svg: ['xmlns', 'class', 'viewBox', 'width', 'height', 'role', 'aria-labelledby'],
    pattern: ['id', 'patternUnits', 'width', 'height', 'patternTransform'],
    marker: ['id', 'viewBox', 'refX', 'refY', 'markerWidth', 'markerHeight', 'markerUnits', 'orient'],
    rect: ['x', 'y', 'width', 'height', 'rx', ...SVG_PAINT],
    circle: ['cx', 'cy', 'r', ...SVG_PAINT],
    path: ['d', ...SVG_PAINT, 'marker-start', 'marker-end'],
    text: SVG_TEXT,
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowVulnerableTags: true,
  nonTextTags: ['script', 'textarea', 'option', 'noscript'],
  parser: {lowerCaseTags: false, lowerCaseAttributeNames: false, recognizeSelfClosing: true},
}

/** The same parse and serialization with nothing removed, to compare like with like. */
const EVERYTHING: sanitizeHtml.IOptions = {
  ...ALLOWED,
  allowedTags: false,
  allowedAttributes: false,
  allowedSchemesAppliedToAttributes: [],
  nonTextTags: [],
}

/** [what the allowlist keeps, what is there]: equal when the page emits nothing unexpected. */
export function sanitizeBoth(html: string): [string, string] {
  return [sanitizeHtml(html, ALLOWED), sanitizeHtml(html, EVERYTHING)]
}
