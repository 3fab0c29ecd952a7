/** A few Markdown lines per agent for the GitHub Actions job summary (GITHUB_STEP_SUMMARY). Pure. */
import {runTemplate} from './templates.js'
import type {StepSummaryRow} from './view.js'

export function renderStepSummary(rows: readonly StepSummaryRow[]): string {
  return runTemplate('summary.md', {agents: rows})
}
