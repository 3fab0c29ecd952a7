import type {AssessmentResult} from '../engine.js'

/** report.json: the result document itself (spec/cli.md), stable key order, trailing newline. */
export function renderJson(result: AssessmentResult): string {
  return `${JSON.stringify(result, null, 2)}\n`
}
