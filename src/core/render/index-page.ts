/**
 * index.md and index.html when several manifests are assessed at once: one row per agent with
 * its verdict, risk score and top finding, and links to its reports (<name>/report.<ext>). Pure.
 */
import type {AssessmentResult} from '../engine.js'
import {htmlPage, markdownToHtml} from './html.js'
import {runTemplate} from './templates.js'
import type {Format} from './types.js'
import {bandOf, VERDICT_LABEL} from './view.js'

const EXTENSION: Record<Format, string> = {md: 'md', html: 'html', json: 'json', sarif: 'sarif'}

/** A path segment for a Markdown link: percent-encoded, parentheses included. */
function segment(name: string): string {
  return encodeURIComponent(name).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function indexView(results: AssessmentResult[], formats: readonly Format[]) {
  const linked = formats.filter((f) => f in EXTENSION)
  const verdicts = results.map((r) => r.verdict)
  const count = (v: string) => verdicts.filter((x) => x === v).length
  const dates = [...new Set(results.map((r) => r.assessedAt))].sort()
  return {
    summary: `${results.length} ${results.length === 1 ? 'agent' : 'agents'} assessed on ${dates.join(', ')}: ${count('not-ready')} not ready, ${count('conditional')} conditional, ${count('ready')} ready.`,
    agents: results.map((r) => {
      const top = r.findings.find((f) => !f.waiver) ?? r.findings[0]
      return {
        name: r.subject.name,
        verdict: VERDICT_LABEL[r.verdict],
        score: r.score,
        band: r.score > 0 ? bandOf(r.score) : '',
        top: top ? `${top.id} ${top.title} (${top.severity} ${top.residual.score})` : '',
        links: linked.map((f) => ({label: `report.${EXTENSION[f]}`, href: `${segment(r.subject.name)}/report.${EXTENSION[f]}`})),
      }
    }),
  }
}

export function renderIndexMarkdown(results: AssessmentResult[], formats: readonly Format[]): string {
  return runTemplate('index.md', indexView(results, formats))
}

export async function renderIndexHtml(results: AssessmentResult[], formats: readonly Format[]): Promise<string> {
  const body = await markdownToHtml(renderIndexMarkdown(results, formats))
  const versions = [...new Set(results.map((r) => r.tool.version))].join(', ')
  return htmlPage('leash assessments', body, `leash ${versions}`)
}
