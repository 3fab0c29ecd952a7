/**
 * report.md: the assessment as Markdown from the handlebars templates in templates/ (verdict
 * and score first, next actions, heat map, blast radius as a Mermaid flowchart, findings,
 * MAESTRO layers, coverage per framework, accepted risks, open questions, appendix). Pure.
 */
import type {AssessmentResult} from '../engine.js'
import {runTemplate} from './templates.js'
import type {RenderContext} from './types.js'
import {buildReportView} from './view.js'

export function renderMarkdown(result: AssessmentResult, context: RenderContext): string {
  return runTemplate('report.md', buildReportView(result, context, {html: false}))
}
