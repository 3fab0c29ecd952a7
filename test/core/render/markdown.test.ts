import {describe, expect, it} from 'vitest'
import type {AssessmentResult} from '../../../src/core/engine.js'
import {renderMarkdown} from '../../../src/core/render/markdown.js'
import {catalog, EXAMPLES, example, golden, HOSTILE_WAIVERS, injection, PILOT_WAIVER} from './setup.js'

const md = (r: AssessmentResult, frameworks?: string[]) => renderMarkdown(r, {catalog: catalog(), ...(frameworks ? {frameworks} : {})})

/** The Markdown tables of a document: each a list of rows, each row its cell count. */
function tables(text: string): {header: string; widths: number[]}[] {
  const out: {header: string; widths: number[]}[] = []
  let current: {header: string; widths: number[]} | undefined
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) {
      const cells = line.split('|').length - 2
      if (!current) out.push((current = {header: line, widths: []}))
      current.widths.push(cells)
    } else current = undefined
  }
  return out
}

const SECTIONS = [
  'Next actions',
  'Risk heat map',
  'Blast radius',
  'Findings',
  'MAESTRO layer by layer',
  'Framework coverage',
  'Accepted risks',
  'Warnings',
  'Open questions',
  'Appendix',
]

describe('report.md', () => {
  it.each(EXAMPLES)('%s matches its golden file and renders the same twice', (name) => {
    const text = md(example(name))
    expect(md(example(name))).toBe(text)
    golden(`${name}.md`, text)
  })

  it.each(EXAMPLES)('%s: verdict and score first, then the sections in order', (name) => {
    const r = example(name)
    const lines = md(r).split('\n')
    expect(lines[0]).toBe(`# leash assessment: ${r.subject.name}`)
    const label = {ready: 'READY', conditional: 'CONDITIONAL', 'not-ready': 'NOT READY'}[r.verdict]
    expect(lines[2]).toMatch(new RegExp(`^> \\*\\*${label}\\*\\* · risk score \\*\\*${r.score}\\*\\* of 25`))
    const h2 = lines.filter((l) => l.startsWith('## ')).map((l) => l.slice(3))
    expect(h2).toEqual(SECTIONS)
  })

  it.each(EXAMPLES)('%s: findings by residual score, each with because, missing controls and all framework mappings', (name) => {
    const r = example(name)
    const text = md(r)
    const headings = [...text.matchAll(/^### F(\d+) · \*\*([A-Z]+)\*\* (\d+) · /gm)]
    expect(headings.map((h) => Number(h[1]))).toEqual(r.findings.map((_f, i) => i + 1))
    expect(headings.map((h) => Number(h[3]))).toEqual(r.findings.map((f) => f.residual.score))
    expect(headings.map((h) => h[2].toLowerCase())).toEqual(r.findings.map((f) => f.severity))
    const first = r.findings[0]
    if (first) {
      const b = first.because[0]
      expect(text).toContain(`at ${b.file}:${b.line}:${b.column}`)
    }
    // One mapping row per loaded framework in every finding.
    for (const f of catalog().frameworks) {
      const rows = text.split('\n').filter((l) => l.startsWith(`| ${f.id === 'owasp-nhi' ? 'OWASP NHI Top 10' : ''}`))
      if (f.id === 'owasp-nhi') expect(rows).toHaveLength(r.findings.length)
    }
  })

  it.each(EXAMPLES)('%s: every table keeps its columns; the heat map counts every finding', (name) => {
    const r = example(name)
    const text = md(r)
    for (const t of tables(text)) expect(new Set(t.widths), t.header).toEqual(new Set([t.widths[0]]))
    const heat = text.slice(text.indexOf('## Risk heat map'), text.indexOf('## Blast radius'))
    const counted = [...heat.matchAll(/\*\*(\d+)\*\* · F/g)].reduce((n, m) => n + Number(m[1]), 0)
    expect(counted).toBe(r.findings.length)
  })

  it('names framework items from the catalog (ATLAS sub-techniques with their parent)', () => {
    const low = md(example('low-risk-assistant'))
    expect(low).toContain('**NHI7:2025** Long-Lived Secrets')
    expect(low).toMatch(/\| OWASP Agentic Top 10 &#40;2026&#41; \| .*\*\*ASI0\d\*\* [A-Z]/)
    const all = EXAMPLES.map((n) => md(example(n))).join('\n')
    expect(all).toContain('LLM Prompt Injection: Direct')
  })

  it('draws the blast radius as a Mermaid flowchart with uncontrolled edges styled and a legend', () => {
    const r = example('low-risk-assistant')
    const text = md(r)
    const block = text.slice(text.indexOf('```mermaid\n') + 11, text.indexOf('\n```', text.indexOf('```mermaid')))
    const lines = block.split('\n')
    expect(lines[0]).toBe('flowchart LR')
    expect(lines.filter((l) => / (-->|-\.->)\|/.test(l))).toHaveLength(r.blastRadius.length)
    const missing = r.blastRadius.flatMap((e, i) => (e.guard === 'missing' ? [i] : []))
    expect(missing.length).toBeGreaterThan(0)
    expect(lines).toContain(`  linkStyle ${missing.join(',')} stroke:#c62828,stroke-width:3px,stroke-dasharray:6 4,color:#c62828`)
    expect(text).toContain('Red dashed arrows are **UNCONTROLLED** paths')
  })

  it('has one coverage table per framework, MAESTRO layers, and an appendix with catalogs and the hash', () => {
    const r = example('refactoring-agent')
    const text = md(r)
    for (const f of r.frameworks)
      expect(text).toMatch(
        new RegExp(
          `^### .+ &#40;${catalog().frameworks.find((x) => x.id === f.id)!.version}&#41;: ${Math.round(f.coverage * 100)}% covered$`,
          'm',
        ),
      )
    for (const layer of ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7']) expect(text).toMatch(new RegExp(`^\\| \\*\\*${layer}\\*\\* `, 'm'))
    expect(text).toContain(`- sha256: ${r.subject.sha256}`)
    for (const [id, version] of Object.entries(r.tool.catalogs)) expect(text).toContain(`| ${id} | ${version} |`)
    expect(text).toContain('- leash 0.1.0, result schema leash-result/v1')
  })

  it('limits mappings and coverage tables to --frameworks, without changing findings', () => {
    const r = example('low-risk-assistant')
    const text = md(r, ['owasp-nhi'])
    expect(text.match(/% covered$/gm)).toHaveLength(1)
    expect(text).not.toContain('MITRE ATLAS')
    expect(text).not.toContain('## MAESTRO layer by layer')
    expect(text.match(/^### F\d+ /gm)).toHaveLength(r.findings.length)
  })

  it('shows waivers (active, expired, orphaned) with approver and expiry, and marks the waived finding', () => {
    const r = example('low-risk-assistant', [
      PILOT_WAIVER,
      {threat: 'THR-RUNAWAY-AGENT', agent: 'low-risk-assistant', reason: 'Old.', approvedBy: 'ciso@example.com', expires: '2026-01-01'},
      {threat: 'THR-NOTHING', agent: '*', reason: 'Stale.', approvedBy: 'ciso@example.com', expires: '2027-01-01'},
    ])
    const text = md(r)
    expect(text).toContain(
      '| THR-SECRET-EXPOSURE | low-risk-&#42; | ACTIVE | ciso&#64;example.com | 2026-11-20 | 2027-01-31 | SEC-1234 | Accepted for the pilot. |',
    )
    expect(text).toContain('| THR-RUNAWAY-AGENT | low-risk-assistant | **EXPIRED** |')
    expect(text).toContain('| THR-NOTHING | &#42; | **ORPHANED** |')
    expect(text).toMatch(/> \*\*WAIVED\*\* until 2027-01-31, approved by ciso&#64;example\.com \(SEC-1234\): Accepted for the pilot\./)
    expect(text).toMatch(/^\| \d+ \| \d+ \| \d+ \| \d+ \| 1 \| \d+ \|$/m)
  })
})

describe('report.md with hostile manifest text', () => {
  const r = injection()
  // Also what the schema would refuse, to prove the renderer does not rely on it.
  const worse: AssessmentResult = {
    ...r,
    subject: {...r.subject, name: 'x"]) --> Y["<script>alert(1)</script>', file: 'a|b/[x](javascript:alert(1))#.yaml'},
    warnings: [...r.warnings, '<img src=x onerror=alert(1)> | # heading\n\n- [x](javascript:alert(1))'],
  }
  const texts = [md(r), md(worse)]

  it('lets no manifest text become a tag, a link, a heading or a table cell', () => {
    expect(r.waivers.map((w) => w.status).sort()).toEqual(['active', 'expired', 'orphaned'])
    for (const text of texts) {
      expect(text).not.toMatch(/</)
      expect(text).not.toMatch(/\]\(|!\[/)
      expect(text).not.toMatch(/javascript&#58;|javascript:alert\(/)
      for (const t of tables(text)) expect(new Set(t.widths), t.header).toEqual(new Set([t.widths[0]]))
      const headings = text.split('\n').filter((l) => /^#{1,6}( |$)/.test(l))
      for (const h of headings)
        expect(h).toMatch(
          /^(# leash assessment: |## [A-Z][a-zA-Z ]+$|### F\d+ · \*\*[A-Z]+\*\* \d+ · |### (OWASP|CSA|MITRE|NIST)|### (Controls in place|Provenance)$)/,
        )
      expect(text).toContain('&lt;script&gt;alert&#40;&#39;peer&#39;&#41;&lt;/script&gt;')
      expect(text).toContain(
        '&lt;script&gt;alert&#40;&quot;waiver&quot;&#41;&lt;/script&gt; &#124; cell &#124; &#91;x&#93;&#40;javascript:alert&#40;1&#41;&#41; &#35; heading',
      )
    }
  })

  it('puts manifest text into Mermaid only as quoted, escaped labels', () => {
    const text = md(worse)
    const block = text.slice(text.indexOf('```mermaid\n') + 11, text.indexOf('\n```', text.indexOf('```mermaid')))
    const grammar = [
      /^flowchart LR$/,
      /^ {2}N\d+\["[^"\n]*"\]$/,
      /^ {2}N\d+\(\["[^"\n]*"\]\)$/,
      /^ {2}N\d+ (-->|-\.->)\|"[^"\n]*"\| N\d+$/,
      /^ {2}linkStyle [\d,]+ [a-z-]+:[#\w]+(,[a-z-]+:[#\w. ]+)*$/,
      /^ {2}classDef (agent|exposed) [a-z-]+:[#\w]+(,[a-z-]+:[#\w]+)*$/,
      /^ {2}class N\d+ (agent|exposed)$/,
    ]
    for (const line of block.split('\n'))
      expect(
        grammar.some((g) => g.test(line)),
        line,
      ).toBe(true)
    expect(block).toContain('Agent identity: x#quot;#93;#41; --#gt; Y#91;#quot;#lt;script#gt;alert#40;1#41;#lt;/script#gt;')
  })

  it('renders hostile waivers as text', () => {
    expect(HOSTILE_WAIVERS).toHaveLength(3)
    expect(texts[0]).toContain('&lt;img src=x onerror=alert&#40;1&#41;&gt;&#64;example.com')
    expect(texts[0]).toContain('&#96;SEC-1&#96; &lt;b&gt;bold&lt;/b&gt;')
  })
})
