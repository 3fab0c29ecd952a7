/** A few Markdown lines per agent for the GitHub Actions job summary (GITHUB_STEP_SUMMARY). Pure. */
import type {AssessmentResult} from '../engine.js'
import {runTemplate} from './templates.js'
import {SEVERITY_ORDER, VERDICT_LABEL} from './view.js'

export function renderStepSummary(results: AssessmentResult[]): string {
  const agents = results.map((r) => {
    const open = r.findings.filter((f) => !f.waiver)
    const top = open[0]
    const next = r.recommendations[0]
    return {
      name: r.subject.name,
      verdict: VERDICT_LABEL[r.verdict],
      score: r.score,
      counts: SEVERITY_ORDER.filter((s) => s !== 'info' || open.some((f) => f.severity === 'info'))
        .map((s) => `${open.filter((f) => f.severity === s).length} ${s}`)
        .join(' · '),
      waived: r.findings.length - open.length,
      top: top ? `${top.id} ${top.title} (${top.severity} ${top.residual.score})` : '',
      next: next
        ? `${next.control} (removes ${next.riskReduction} risk ${next.riskReduction === 1 ? 'point' : 'points'}, effort ${next.effort})`
        : '',
      file: r.subject.file,
      sha256: r.subject.sha256.slice(0, 12),
    }
  })
  return runTemplate('summary.md', {agents})
}
