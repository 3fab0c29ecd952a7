import {describe, expect, it} from 'vitest'
import type {AssessmentResult} from '../../../src/core/engine.js'
import {renderIndexHtml, renderIndexMarkdown} from '../../../src/core/render/index-page.js'
import {renderStepSummary} from '../../../src/core/render/summary.js'
import {stepSummaryRow} from '../../../src/core/render/view.js'
import {sanitizeBoth} from './html-safety.js'
import {EXAMPLES, example, injection} from './setup.js'

const results = () => EXAMPLES.map((n) => example(n))

describe('index.md and index.html', () => {
  it('has one row per agent with verdict, score, top finding and links to its reports', () => {
    const rs = results()
    const text = renderIndexMarkdown(rs, ['md', 'html', 'json'])
    expect(text.startsWith('# leash assessments\n')).toBe(true)
    const rows = text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| agent'))
    expect(rows).toHaveLength(rs.length)
    rs.forEach((r, i) => {
      expect(rows[i]).toContain(
        `| ${r.subject.name} | **${{ready: 'READY', conditional: 'CONDITIONAL', 'not-ready': 'NOT READY'}[r.verdict]}** | ${r.score}`,
      )
      expect(rows[i]).toContain(
        `[report.md](${r.subject.name}/report.md) · [report.html](${r.subject.name}/report.html) · [report.json](${r.subject.name}/report.json) |`,
      )
      if (r.findings[0]) expect(rows[i]).toContain(r.findings.find((f) => !f.waiver)!.id)
    })
    expect(renderIndexMarkdown(rs, ['md', 'html', 'json'])).toBe(text)
  })

  it('links only the formats written, percent-encoding the folder name', () => {
    const r = {...example('refactoring-agent'), subject: {name: 'a (b)[c]', file: 'x.yaml', sha256: '0'.repeat(64)}} as AssessmentResult
    const text = renderIndexMarkdown([r], ['sarif'])
    expect(text).toContain('[report.sarif](a%20%28b%29%5Bc%5D/report.sarif) |')
    expect(text).toContain('| a &#40;b&#41;&#91;c&#93; |')
  })

  it('is a safe page with relative links only', async () => {
    const page = await renderIndexHtml([...results(), injection()], ['md', 'html'])
    expect(page).toContain('<title>leash assessments</title>')
    expect(page.match(/href="[^"]*"/g)!.every((h) => /^href="[a-z0-9-]+\/report\.(md|html)"$/.test(h))).toBe(true)
    const [kept, there] = sanitizeBoth(page)
    expect(kept).toBe(there)
  })
})

describe('the GitHub step summary', () => {
  it('has a few Markdown lines per agent', () => {
    const rs = results()
    const text = renderStepSummary(rs.map(stepSummaryRow))
    expect(text.match(/^### leash: /gm)).toHaveLength(rs.length)
    const low = rs.find((r) => r.subject.name === 'low-risk-assistant')!
    expect(text).toContain(`### leash: low-risk-assistant is NOT READY (risk score ${low.score} of 25)`)
    expect(text).toContain(`- Top finding: ${low.findings[0].id}`)
    expect(text).toContain(`- Next action: ${low.recommendations[0].control}`)
    expect(text.split('\n').length).toBeLessThan(rs.length * 8)
  })

  it('escapes what it shows', () => {
    const r = {...injection(), subject: {name: '<b>x</b>', file: '[a](javascript:x).yaml', sha256: '0'.repeat(64)}} as AssessmentResult
    const text = renderStepSummary([stepSummaryRow(r)])
    expect(text).not.toMatch(/<|\]\(/)
  })
})
