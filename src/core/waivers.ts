/**
 * Accepted risks, from their own file (never the manifest): matched by threat id and an agent
 * glob, valid through their expiry date inclusive, judged against the assessment's date.
 */
import {compareText} from './order.js'

export interface Waiver {
  threat: string
  agent: string
  reason: string
  approvedBy: string
  expires: string
  ticket?: string
  approvedAt?: string
}

export interface WaiverStatus extends Waiver {
  status: 'active' | 'expired' | 'orphaned'
}

/** Whole-name glob with `*` and `?`. */
export function globMatches(glob: string, name: string): boolean {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`).test(name)
}

/** The waivers that concern this agent, each with its status; sorted by threat, then agent glob. */
export function applyWaivers(waivers: readonly Waiver[], findings: readonly {id: string}[], agent: string, today: string): WaiverStatus[] {
  const threats = new Set(findings.map((f) => f.id))
  return waivers
    .filter((w) => globMatches(w.agent, agent))
    .map((w): WaiverStatus => {
      const status = w.expires < today ? 'expired' : threats.has(w.threat) ? 'active' : 'orphaned'
      return {
        threat: w.threat,
        agent: w.agent,
        status,
        reason: w.reason,
        ...(w.ticket ? {ticket: w.ticket} : {}),
        approvedBy: w.approvedBy,
        ...(w.approvedAt ? {approvedAt: w.approvedAt} : {}),
        expires: w.expires,
      }
    })
    .sort((a, b) => compareText(a.threat, b.threat) || compareText(a.agent, b.agent))
}
