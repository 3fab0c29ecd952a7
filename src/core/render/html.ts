/**
 * report.html: the Markdown report through marked, in one self-contained page (inline CSS and
 * SVG, no script, no network fetch, printable), safe by construction:
 *   - every value was escaped (escapeText) before it reached the Markdown;
 *   - the marked renderer escapes any raw HTML token, drops images and any link whose scheme
 *     is not http, https or mailto (relative links of the index page stay);
 *   - a strict Content-Security-Policy forbids scripts, fetches and foreign styles.
 * The template's `leash-figure` blocks become the verdict banner, the heat map and the
 * blast-radius graph (svg.ts) instead of the Markdown table and the Mermaid code.
 * marked is imported lazily, only when HTML is asked for. Pure.
 */
import type {Tokens} from 'marked'
import type {AssessmentResult} from '../engine.js'
import {escapeText} from './escape.js'
import {blastRadiusSvg, heatMapSvg} from './svg.js'
import {runTemplate} from './templates.js'
import type {RenderContext} from './types.js'
import {buildReportView, type ReportView} from './view.js'

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

export async function renderHtml(result: AssessmentResult, context: RenderContext): Promise<string> {
  const view = buildReportView(result, context, {html: true})
  const figures: Record<string, string> = {verdict: verdictBanner(view), 'heat-map': heatMapSvg(view.heat)}
  if (view.graph.edges.length > 0) figures['blast-radius'] = blastRadiusSvg(view.graph)
  const body = await markdownToHtml(runTemplate('report.md', view), figures)
  return htmlPage(
    `leash assessment: ${result.subject.name} (${view.verdict.label})`,
    body,
    `leash ${result.tool.version} · ${result.subject.file} · sha256 ${result.subject.sha256}`,
  )
}

/** Status words that the templates print in bold, shown as labelled pills. */
const TAGS: Record<string, string> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFO: 'info',
  NONE: 'none',
  WAIVED: 'waived',
  'NOT READY': 'not-ready',
  CONDITIONAL: 'conditional',
  READY: 'ready',
  GAP: 'gap',
  PARTIAL: 'partial',
  UNCONTROLLED: 'uncontrolled',
  'PARTLY GUARDED': 'partly-guarded',
  ACTIVE: 'active',
  EXPIRED: 'expired',
  ORPHANED: 'orphaned',
}

const HTML_ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}
/** For text marked hands over raw (code, raw HTML): every character that means something in HTML. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c])
/** For attribute values built from already-escaped text: keeps entities, escapes the rest. */
const escapeAttr = (text: string) => text.replace(/&(?!#?\w+;)|[<>"']/g, (c) => HTML_ESCAPES[c])

/** http, https and mailto links, and plain relative ones (the index page's `name/report.html`, `#f1`). */
export function safeHref(href: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)
  if (scheme) return ['http', 'https', 'mailto'].includes(scheme[1].toLowerCase())
  return !href.startsWith('//') && /^[\w./#?=%~-]*$/.test(href)
}

/** Plain text of inline Markdown, entities decoded, for heading ids and tag matching. */
function plain(text: string): string {
  return text
    .replace(/\*\*|__|\*|`/g, '')
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(amp|lt|gt|quot);/g, (_m, n: string) => ({amp: '&', lt: '<', gt: '>', quot: '"'})[n] ?? '')
    .trim()
}

function tagClass(text: string): string | undefined {
  const t = plain(text)
  return TAGS[t] ?? TAGS[t.replace(/ \d+$/, '')]
}

const UNUSED_RULES = ['lheading', 'code', 'hr', 'html', 'def', 'tag', 'reflink', 'autolink', 'url', 'del', 'br'] as const

/** The Markdown of a report as HTML, with `leash-figure` blocks replaced by the given figures. */
export async function markdownToHtml(markdown: string, figures: Record<string, string> = {}): Promise<string> {
  const {Marked} = await import('marked')
  const ids = new Set<string>()
  const uniqueId = (base: string) => {
    let id = base || 'section'
    for (let i = 2; ids.has(id); i++) id = `${base}-${i}`
    ids.add(id)
    return id
  }
  const marked = new Marked({
    gfm: true,
    async: false,
    // Only the Markdown that the templates write is recognised. The rules below are tried at every
    // block or inline position, and compiling and running them was a third of marked's time:
    // setext headings (the templates write `#`), indented code, thematic breaks, raw HTML, link
    // definitions and reference links, autolinks and bare URLs, strikethrough, hard line breaks.
    // Values cannot write them either: escapeText turns their characters into references.
    tokenizer: Object.fromEntries(UNUSED_RULES.map((rule) => [rule, () => undefined])),
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(token.text)
      },
      image(token: Tokens.Image): string {
        return escapeHtml(token.text)
      },
      link(token: Tokens.Link): string {
        const inner = this.parser.parseInline(token.tokens)
        if (!safeHref(token.href)) return inner
        const title = token.title ? ` title="${escapeAttr(token.title)}"` : ''
        return `<a href="${escapeAttr(token.href)}"${title}>${inner}</a>`
      },
      code(token: Tokens.Code): string {
        if (token.lang === 'leash-figure') {
          const name = token.text.trim()
          const figure = figures[name]
          if (figure !== undefined)
            return name === 'verdict' ? `${figure}\n` : `<figure class="figure-${escapeAttr(name)}">\n${figure}\n</figure>\n`
        }
        const lang = token.lang ? ` class="language-${escapeAttr(token.lang.replace(/[^\w-]/g, ''))}"` : ''
        return `<pre><code${lang}>${escapeHtml(token.text)}</code></pre>\n`
      },
      strong(token: Tokens.Strong): string {
        const inner = this.parser.parseInline(token.tokens)
        const tag = tagClass(token.text)
        return tag ? `<strong class="tag tag-${tag}">${inner}</strong>` : `<strong>${inner}</strong>`
      },
      heading(token: Tokens.Heading): string {
        const inner = this.parser.parseInline(token.tokens)
        const text = plain(token.text)
        const finding = /^F(\d+) · (\w+)/.exec(text)
        const id = uniqueId(
          finding
            ? `f${finding[1]}`
            : text
                .toLowerCase()
                .replace(/[^a-z0-9]+/g, '-')
                .replace(/^-|-$/g, ''),
        )
        const cls = finding ? ` class="finding sev-${escapeAttr(finding[2].toLowerCase())}"` : ''
        return `<h${token.depth} id="${id}"${cls}>${inner}</h${token.depth}>\n`
      },
      table(token: Tokens.Table): string {
        const cell = (c: Tokens.TableCell, tag: 'th' | 'td') =>
          `<${tag}${c.align ? ` class="align-${c.align}"` : ''}>${this.parser.parseInline(c.tokens)}</${tag}>`
        const head = `<tr>${token.header.map((c) => cell(c, 'th')).join('')}</tr>`
        const rows = token.rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('\n')
        return `<div class="table-wrap"><table>\n<thead>${head}</thead>\n<tbody>\n${rows}\n</tbody>\n</table></div>\n`
      },
    },
  })
  return marked.parse(markdown, {async: false})
}

function verdictBanner(view: ReportView): string {
  const counts = view.counts
    .map((c) => `<li class="count sev-${c.id}${c.zero ? ' zero' : ''}"><b>${c.count}</b> ${escapeText(c.label)}</li>`)
    .concat(
      `<li class="count${view.waivedCount === 0 ? ' zero' : ''}"><b>${view.waivedCount}</b> waived</li>`,
      `<li class="count${view.openQuestionCount === 0 ? ' zero' : ''}"><b>${view.openQuestionCount}</b> open ${view.openQuestionCount === 1 ? 'question' : 'questions'}</li>`,
    )
    .join('')
  const band = view.scoreBand.toLowerCase()
  return `<header class="banner verdict-${view.verdict.id}">
<div class="banner-head">
<div class="banner-title">
<p class="eyebrow">leash assessment</p>
<h1 id="top">${escapeText(view.name)}</h1>
<p class="meta">${escapeText(view.file)} · assessed ${escapeText(view.assessedAt)} · ${view.totalFindings} ${view.totalFindings === 1 ? 'finding' : 'findings'}</p>
</div>
<div class="verdict">
<span class="verdict-label">${escapeText(view.verdict.label)}</span>
<span class="score"><b>${view.score}</b><small>/25</small></span>
<span class="score-band tag tag-${band}">${escapeText(view.scoreBand)}</span>
</div>
</div>
<p class="sentence">${escapeText(view.verdict.sentence)}</p>
<ul class="counts">${counts}</ul>
</header>`
}

/** The page around a body: CSP first, inline CSS, no script. */
export function htmlPage(title: string, body: string, footer: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="report">
${body.trim()}
</main>
<footer class="page-footer">${escapeText(footer)}</footer>
</body>
</html>
`
}

const STYLE = `
:root{--ink:#1b2430;--muted:#5b6675;--line:#dde2ea;--soft:#f4f6f9;--critical:#b3261e;--high:#c25100;--medium:#8a6500;--low:#2e7d32;--accent:#1f2a44}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--soft);color:var(--ink);font:15px/1.55 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",system-ui,sans-serif}
main.report{max-width:1120px;margin:24px auto;padding:8px 40px 40px;background:#fff;border:1px solid var(--line);border-radius:14px;box-shadow:0 2px 14px rgba(20,30,50,.06)}
h1,h2,h3,h4{line-height:1.25;margin:1.6em 0 .6em}
h2{font-size:1.45em;padding-top:.9em;border-top:2px solid var(--line)}
h3{font-size:1.12em}
p{margin:.6em 0}
ul,ol{padding-left:1.6em}
li{margin:.25em 0}
blockquote{margin:.8em 0;padding:.6em 1em;border-left:4px solid #8a96a8;background:var(--soft);border-radius:0 8px 8px 0}
a{color:#1d4ed8}
pre{background:var(--soft);padding:12px;border-radius:8px;overflow:auto}
.table-wrap{overflow-x:auto;margin:.8em 0}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td:first-child,th:first-child{white-space:nowrap}
th{background:#eef1f6;font-weight:700;color:#2b3442;border-bottom:2px solid #c9d1dd}
tbody tr:nth-child(even) td{background:#fafbfd}
.align-center{text-align:center}.align-right{text-align:right;white-space:nowrap}
strong.tag{display:inline-block;padding:0 .6em;border:1.5px solid currentColor;border-radius:999px;font-size:.78em;letter-spacing:.05em;line-height:1.65;white-space:nowrap;vertical-align:.08em}
.tag-critical{background:var(--critical);color:#fff!important;border-color:#7d1410!important}
.tag-high{background:#fde6d4;color:#8f3a00}
.tag-medium{background:#fdf3c8;color:#6b4f00}
.tag-low{background:#e3f1e1;color:#24622a}
.tag-info,.tag-none,.tag-orphaned{background:#eef1f6;color:#4a5566}
.tag-waived,.tag-active{background:#fff;color:#3b4452;border-style:dashed!important}
.tag-not-ready,.tag-uncontrolled,.tag-gap,.tag-expired{background:#fdeceb;color:#9b1c1c}
.tag-uncontrolled{border-style:dashed!important}
.tag-conditional,.tag-partial,.tag-partly-guarded{background:#fff4d9;color:#7a5200;border-style:dotted!important}
.tag-ready{background:#e3f1e1;color:#24622a}
span.tag{display:inline-block;padding:0 .7em;border:1.5px solid currentColor;border-radius:999px;font-weight:700;font-size:.8em;letter-spacing:.06em;line-height:1.7}
h3.finding{margin-top:2em;padding:.55em .8em;background:var(--soft);border-left:7px solid #8a96a8;border-radius:4px 8px 8px 4px}
h3.finding.sev-critical{border-left:7px double var(--critical);background:#fcefee}
h3.finding.sev-high{border-left:7px solid var(--high);background:#fdf3ea}
h3.finding.sev-medium{border-left:4px solid var(--medium);background:#fdf8e6}
h3.finding.sev-low{border-left:2px solid var(--low);background:#f1f7f0}
figure{margin:1em -12px;padding:10px 6px;border:1px solid var(--line);border-radius:12px;background:#fff;text-align:center}
figure svg{max-width:100%;height:auto}
.banner{margin:28px 0 8px;padding:22px 26px;border-radius:14px;border:2px solid;color:var(--ink)}
.banner-head{display:flex;gap:24px;justify-content:space-between;align-items:flex-start;flex-wrap:wrap}
.banner h1{margin:0;font-size:1.9em;word-break:break-word}
.eyebrow{margin:0 0 4px;text-transform:uppercase;letter-spacing:.12em;font-size:.75em;font-weight:700;color:var(--muted)}
.banner .meta{margin:6px 0 0;color:var(--muted);font-size:.92em;word-break:break-all}
.verdict{display:flex;flex-direction:column;align-items:flex-end;gap:6px;text-align:right}
.verdict-label{display:inline-block;padding:6px 16px;border-radius:10px;font-size:1.45em;font-weight:800;letter-spacing:.08em;border:3px solid;color:#fff}
.score{font-size:1.2em}.score b{font-size:1.9em;line-height:1}.score small{color:var(--muted);margin-left:2px}
.sentence{font-size:1.06em;margin:14px 0 10px}
.counts{list-style:none;display:flex;flex-wrap:wrap;gap:8px;padding:0;margin:0}
.count{padding:4px 12px;border:1.5px solid #c9d1dd;border-radius:999px;background:#fff;font-size:.92em}
.count b{font-size:1.1em}
.count.zero{opacity:.55;border-style:solid;border-width:1.5px;border-color:#c9d1dd}
.count.sev-critical{border-color:var(--critical);border-width:2.5px}.count.sev-high{border-color:var(--high);border-width:2px}.count.sev-medium{border-color:var(--medium);border-style:dashed}.count.sev-low{border-color:var(--low);border-style:dotted}
.verdict-not-ready{background:#fdf0ef;border-color:var(--critical)}
.verdict-not-ready .verdict-label{background:var(--critical);border-color:#7d1410}
.verdict-conditional{background:#fff8e5;border-color:#d98200;border-style:dashed}
.verdict-conditional .verdict-label{background:#fff;color:#7a4d00;border-color:#d98200;border-style:dashed}
.verdict-ready{background:#eff7ee;border-color:var(--low)}
.verdict-ready .verdict-label{background:var(--low);border-color:#1d5a22}
.page-footer{max-width:1120px;margin:0 auto 32px;padding:0 40px;color:var(--muted);font-size:.8em;word-break:break-all}
@media (max-width:720px){main.report{margin:0;border-radius:0;padding:4px 16px 24px}.verdict{align-items:flex-start;text-align:left}}
@page{size:A4;margin:14mm 12mm}
@media print{
body{background:#fff;font-size:11pt}
main.report{max-width:none;margin:0;padding:0;border:0;box-shadow:none}
.banner,.tag,.count,h3.finding,figure,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
h2,h3{break-after:avoid}
tr,figure,.banner,blockquote{break-inside:avoid}
a{color:inherit;text-decoration:none}
.page-footer{padding:0}
}
`.trim()
