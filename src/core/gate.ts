/** The CI gate: which findings block at a threshold, and whether the gate passes. */
import type {AssessmentResult, Finding, Severity} from './engine.js'
import type {WaiverStatus} from './waivers.js'

export const FAIL_ON = ['critical', 'high', 'medium', 'low'] as const
export type FailOn = (typeof FAIL_ON)[number]

const RANK: Record<Severity, number> = {critical: 4, high: 3, medium: 2, low: 1, info: 0}

export interface GateResult {
  pass: boolean
  /** Unwaived findings at or above the threshold. */
  blocking: Finding[]
  /** Waivers for this agent that have expired: each fails the gate by name. */
  expired: WaiverStatus[]
}

export function gate(result: AssessmentResult, failOn: FailOn): GateResult {
  const blocking = result.findings.filter((f) => !f.waiver && RANK[f.severity] >= RANK[failOn])
  const expired = result.waivers.filter((w) => w.status === 'expired')
  return {pass: blocking.length === 0 && expired.length === 0, blocking, expired}
}
