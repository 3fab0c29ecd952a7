import {describe, expect, it} from 'vitest'
import type {AssessmentResult} from '../../../src/core/engine.js'
import {CSP, markdownToHtml, renderHtml, safeHref} from '../../../src/core/render/html.js'
import {renderMarkdown} from '../../../src/core/render/markdown.js'
import {renderSarif} from '../../../src/core/render/sarif.js'
import {sanitizeBoth} from './html-safety.js'
import {catalog, EXAMPLES, example, golden, injection, PILOT_WAIVER} from './setup.js'

const html = (r: AssessmentResult) => renderHtml(r, {catalog: catalog()})

function expectInert(page: string): void {
  expect(page).not.toMatch(/<(script|img|iframe|object|embed|link|base|form|input|button|foreignObject|image|use|animate|set)\b/i)
  expect(page).not.toMatch(/<[^>]*\son[a-z]+\s*=/i)
  expect(page).not.toMatch(/href="(?!https?:|mailto:)[a-z][\w+.-]*:/i)
  for (const u of page.match(/url\([^)]*\)/g) ?? []) expect(u).toMatch(/^url\(#lr-[\w-]+\)$/)
  const [kept, there] = sanitizeBoth(page)
  expect(kept).toBe(there)
}

describe('report.html', () => {
  it.each(['refactoring-agent', 'low-risk-assistant'])('%s matches its golden file', async (name) => {
    const page = await html(example(name))
    expect(await html(example(name))).toBe(page)
    golden(`${name}.html`, page)
  })

  it("shows a waived finding's waiver as a quote, with a WAIVED tag and the waiver's terms", async () => {
    const r = example('low-risk-assistant', [PILOT_WAIVER])
    expect(await html(r)).toMatch(
      /<blockquote>\n<p><strong class="tag tag-waived">WAIVED<\/strong> until 2027-01-31, approved by ciso@example\.com \(SEC-1234\): Accepted for the pilot\.<\/p>\n<\/blockquote>/,
    )
  })

  it.each(EXAMPLES)('%s: one self-contained page, CSP first, no script, figures instead of Mermaid', async (name) => {
    const r = example(name)
    const page = await html(r)
    expect(page.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true)
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`)
    expect(CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'))
    expect(page).not.toMatch(/\b(src|href)=/)
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg")/)
    expect(page).toContain(`<header class="banner verdict-${r.verdict}">`)
    expect(page).toContain('<figure class="figure-heat-map">')
    expect(page).toContain(r.blastRadius.length > 0 ? '<figure class="figure-blast-radius">' : 'No path is uncontrolled.')
    expect(page).not.toMatch(/mermaid|leash-figure|```/)
    expect(page).toContain('@media print')
    expectInert(page)
    expect(page.match(/<h3 id="f\d+" class="finding sev-[a-z]+">/g) ?? []).toHaveLength(r.findings.length)
  })

  it('keeps the hostile fixture inert: every payload is shown as text', async () => {
    const r = injection()
    const worse: AssessmentResult = {
      ...r,
      subject: {...r.subject, name: '<script>alert(1)</script>', file: '"><img src=x onerror=alert(1)>.yaml'},
      warnings: [...r.warnings, '<style>*{display:none}</style>[x](javascript:alert(1))'],
    }
    for (const page of [await html(r), await html(worse)]) {
      expectInert(page)
      // marked turns the numeric references back into characters and escapes what HTML needs.
      expect(page).toContain('&lt;script&gt;alert(&#39;peer&#39;)&lt;/script&gt;')
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;@example.com')
      expect(page.match(/<style>/g)).toHaveLength(1)
    }
  })
})

describe('an empty result', () => {
  it('renders every format: no finding, no path, no recommendation', async () => {
    const r: AssessmentResult = {
      ...example('mature-deployment'),
      findings: [],
      blastRadius: [],
      recommendations: [],
      openQuestions: [],
      warnings: [],
      score: 0,
      verdict: 'ready',
    }
    const page = await html(r)
    expectInert(page)
    expect(page).toContain('No threat of the catalog applies to this manifest.')
    expect(page).toContain('No missing control would lower a residual score.')
    expect(page).not.toContain('figure-blast-radius')
    const md = renderMarkdown(r, {catalog: catalog()})
    expect(md).toContain('risk score **0** of 25 · assessed')
    const sarif = JSON.parse(renderSarif([r], {catalog: catalog()})) as {runs: {results: unknown[]}[]}
    expect(sarif.runs[0].results).toEqual([])
  })
})

describe('the sanitizer comparison', () => {
  it.each([
    '<p><img src=x onerror=alert(1)></p>',
    '<p><a href="javascript:alert(1)">x</a></p>',
    '<svg><rect onclick="alert(1)"/></svg>',
    '<p><script>alert(1)</script></p>',
    '<p style="color:red">x</p>',
  ])('notices %s', (fragment) => {
    const [kept, there] = sanitizeBoth(fragment)
    expect(kept).not.toBe(there)
  })
})

describe('the Markdown-to-HTML step', () => {
  it('escapes raw HTML, block and inline', async () => {
    const out = await markdownToHtml(
      '<div onclick="x()">block</div>\n\ntext <b onmouseover=x>bold</b> <!-- c --> <script>alert(1)</script>\n',
    )
    expect(out).not.toMatch(/<(div|b|script)\b|<!--/)
    expect(out).toContain('&lt;div onclick=&quot;x()&quot;&gt;block&lt;/div&gt;')
    expect(out).toContain('&lt;b onmouseover=x&gt;')
  })

  it('recognises only what the templates write: no autolink, bare URL, reference link, strikethrough, line break, indented code, rule or setext heading', async () => {
    const out = await markdownToHtml(
      'see www.example.com, https://example.com/x, <https://example.com/y> and a@b.example\n' +
        '[ref], [text][ref], ~~struck~~, a line  \nbroken\n\n[ref]: https://example.com/z\n\n    indented\n\n***\n\nTitle\n=====\n',
    )
    expect(out).not.toMatch(/<(a|del|br|hr|pre|code|h1)\b/)
    expect(out).toContain('~~struck~~')
    expect(out).toContain('&lt;https://example.com/y&gt;')
    expect(out).toContain('[ref]: https://example.com/z')
  })

  it('keeps http, https, mailto and relative links, drops any other and every image', async () => {
    const out = await markdownToHtml(
      '[a](https://ok.example/x) [b](http://ok.example) [c](mailto:a@b.example) [d](dir/report.html) [e](#f1) ' +
        '[f](javascript:alert(1)) [g](JAVASCRIPT:alert(1)) [h](data:text/html,x) [i](vbscript:x) [j](//evil.example) <javascript:alert(1)> ![k](https://evil.example/x.png)\n',
    )
    expect(out.match(/href="[^"]*"/g)).toEqual([
      'href="https://ok.example/x"',
      'href="http://ok.example"',
      'href="mailto:a@b.example"',
      'href="dir/report.html"',
      'href="#f1"',
    ])
    expect(out).not.toMatch(/<img|evil\.example\/x\.png"/)
    expect(out).toContain(' k')
  })

  it.each([
    ['https://a.example', true],
    ['mailto:x@y.example', true],
    ['name/report.html', true],
    ['#f1', true],
    ['javascript:alert(1)', false],
    [' javascript:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['data:text/html,x', false],
    ['//evil.example', false],
    ['file:///etc/passwd', false],
  ])('safeHref(%j) is %s', (href, ok) => {
    expect(safeHref(href)).toBe(ok)
  })

  it('shows code blocks as escaped text and unknown figures as code', async () => {
    const out = await markdownToHtml('```leash-figure\nunknown\n```\n\n```js\n</code><script>x</script>\n```\n', {verdict: '<p>v</p>'})
    expect(out).toContain('<pre><code class="language-leash-figure">unknown</code></pre>')
    expect(out).toContain('&lt;/code&gt;&lt;script&gt;x&lt;/script&gt;')
  })
})
