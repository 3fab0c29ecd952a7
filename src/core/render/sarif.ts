/**
 * SARIF 2.1.0 for code scanning: one run; one rule per threat of the catalog (plus one per
 * drift finding id the catalog does not know); one result per finding, located at its first
 * `because` entry (the others as related locations), fingerprinted without line numbers, and
 * suppressed (accepted, with the justification) when a waiver covers it. Pure.
 */
import {createHash} from 'node:crypto'
import type {Catalog, Threat} from '../catalog.js'
import type {AssessmentResult, Because, Finding, Severity} from '../engine.js'
import type {DriftFinding} from '../observed.js'
import type {RenderContext} from './types.js'
import {bandOf, frameworkTitle, itemLabel, shownFrameworks, showValue} from './view.js'
import {escapeText} from './escape.js'
import {compareText} from '../order.js'

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
}

/**
 * GitHub reads `security-severity` (0.0-10.0) in bands: ≥ 9 critical, 7-8.9 high, 4-6.9 medium,
 * below 4 low. Map each of our residual bands (critical 20-25, high 12-19, medium 6-11, low 1-5)
 * linearly onto the matching GitHub band, so both tools name the same severity.
 */
export function securitySeverity(score: number): string {
  const s = Math.max(1, Math.min(25, score))
  let value: number
  if (s >= 20) value = 9 + (s - 20) / 5
  else if (s >= 12) value = 7 + ((s - 12) / 7) * 1.9
  else if (s >= 6) value = 4 + ((s - 6) / 5) * 2.9
  else value = 1 + ((s - 1) / 4) * 2.9
  return value.toFixed(1)
}

/**
 * Where to read more: the published page of the first framework item the threat maps to that has
 * one (OWASP NHI items link their page), else the home of the first framework with a source URL.
 */
function helpUri(mappings: Record<string, string[]>, catalog: Catalog): string | undefined {
  for (const f of catalog.frameworks) {
    for (const id of mappings[f.id] ?? []) {
      const url = f.items.find((i) => i.id === id)?.url
      if (typeof url === 'string' && /^https:\/\//.test(url)) return url
    }
  }
  return catalog.frameworks.find((f) => (mappings[f.id] ?? []).length > 0 && /^https:\/\//.test(f.source))?.source
}

/** `THR-SECRET-EXPOSURE` → `SecretExposure`. */
function ruleName(id: string): string {
  return id
    .replace(/^(THR|DRIFT)-/, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')
}

/** A manifest path as a SARIF artifact URI: relative, `/`-separated, percent-encoded. */
export function artifactUri(file: string): string {
  const path = file.replace(/\\/g, '/').replace(/^(\.\/)+/, '')
  return path
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/')
}

export function fingerprint(threat: string, agent: string, firstPath: string): string {
  return createHash('sha256').update(`${threat}\u0000${agent}\u0000${firstPath}`).digest('hex')
}

function describeBecause(b: Because): string {
  const value = b.value === null || b.value === undefined ? 'not declared' : showValue(b.value)
  return `${b.path} = ${value}${b.text ? ` (${b.text})` : ''}`
}

function location(b: Because) {
  return {
    physicalLocation: {
      artifactLocation: {uri: artifactUri(b.file)},
      region: {startLine: Math.max(1, b.line), startColumn: Math.max(1, b.column)},
    },
  }
}

interface RuleInput {
  id: string
  title: string
  description: string
  threat?: Threat
  score: number
  mappings: Record<string, string[]>
}

function rule(input: RuleInput, catalog: Catalog, context: RenderContext) {
  const frameworks = shownFrameworks(catalog, context)
  const mitigations = (input.threat?.controls ?? []).map((m) => catalog.controls.get(m.id)).filter((c) => c !== undefined)
  const mapped = frameworks.filter((f) => (input.mappings[f.id] ?? []).length > 0)
  const textLines = [
    input.description,
    '',
    mitigations.length > 0 ? 'Mitigating controls:' : 'No control of the catalog mitigates it.',
    ...mitigations.map((c) => `- ${c.id} ${c.title} (effort ${c.effort}): ${c.description}`),
    ...(mapped.length > 0
      ? [
          '',
          'Framework mappings:',
          ...mapped.map((f) => `- ${frameworkTitle(f)}: ${input.mappings[f.id].map((id) => itemLabel(f, id)).join('; ')}`),
        ]
      : []),
    '',
    `Details: leash threats ${input.id}`,
  ]
  const mdLines = [
    escapeText(input.description),
    '',
    mitigations.length > 0 ? '**Mitigating controls**' : 'No control of the catalog mitigates it.',
    '',
    ...mitigations.map(
      (c) => `- **${escapeText(c.id)}** ${escapeText(c.title)} (effort ${escapeText(c.effort)}): ${escapeText(c.description)}`,
    ),
    ...(mapped.length > 0
      ? [
          '',
          '**Framework mappings**',
          '',
          ...mapped.map(
            (f) => `- ${escapeText(frameworkTitle(f))}: ${escapeText(input.mappings[f.id].map((id) => itemLabel(f, id)).join('; '))}`,
          ),
        ]
      : []),
    '',
    `Details: run leash threats ${escapeText(input.id)}`,
  ]
  const uri = helpUri(input.mappings, catalog)
  const tags = ['security', 'ai-agent', ...frameworks.flatMap((f) => (input.mappings[f.id] ?? []).map((id) => `external/${f.id}/${id}`))]
  return {
    id: input.id,
    name: ruleName(input.id),
    shortDescription: {text: input.title},
    fullDescription: {text: input.description},
    help: {text: textLines.join('\n'), markdown: mdLines.join('\n')},
    ...(uri ? {helpUri: uri} : {}),
    defaultConfiguration: {level: LEVEL[bandOf(input.score)]},
    properties: {
      tags,
      'security-severity': securitySeverity(input.score),
      precision: 'high',
      'problem.severity': LEVEL[bandOf(input.score)] === 'note' ? 'recommendation' : LEVEL[bandOf(input.score)],
    },
  }
}

function message(result: AssessmentResult, f: Finding): string {
  const parts = [
    `${result.subject.name}: ${f.title} (${f.severity}, residual ${f.residual.score} = likelihood ${f.residual.likelihood} × impact ${f.residual.impact}).`,
    `Because ${f.because.map(describeBecause).join('; ')}.`,
  ]
  if (f.missingControls.length > 0) parts.push(`Missing controls: ${f.missingControls.join(', ')}.`)
  if (f.waiver) parts.push(`Waived until ${f.waiver.expires} by ${f.waiver.approvedBy}.`)
  return parts.join(' ')
}

/** Drift of one agent: where the repository grants more than its manifest declares. */
export interface AgentDrift {
  agent: string
  drift: DriftFinding[]
}

export const DRIFT_RULE_ID = 'leash/drift'

function driftRule() {
  return {
    id: DRIFT_RULE_ID,
    name: 'DeclaredVersusObservedDrift',
    shortDescription: {text: 'The repository grants the agent more than its manifest declares'},
    fullDescription: {
      text: "A field of the agent's real configuration in the repository (settings, MCP servers, workflows) is wider than the value the manifest declares, so the assessment of the manifest understates the agent's blast radius.",
    },
    help: {
      text: 'Narrow the configuration to what the manifest declares, or declare what the repository really grants and re-assess it.',
      markdown:
        'Narrow the configuration to what the manifest declares, or declare what the repository really grants and re-assess it (`leash detect --out` writes the manifest the repository implies).',
    },
    defaultConfiguration: {level: 'error'},
    properties: {
      tags: ['security', 'ai-agent', 'drift'],
      'security-severity': securitySeverity(12),
      precision: 'high',
      'problem.severity': 'error',
    },
  }
}

function driftResults(drifts: readonly AgentDrift[], ruleIndex: number) {
  return drifts.flatMap(({agent, drift}) =>
    drift.map((d) => {
      const [first, ...rest] = d.because
      const threats = d.threats.length > 0 ? ` It bears on ${d.threats.join(', ')}.` : ''
      return {
        ruleId: DRIFT_RULE_ID,
        ruleIndex,
        level: 'error',
        message: {text: `${agent}: ${d.title}.${threats}`},
        locations: [{...location(first), message: {text: describeBecause(first)}}],
        ...(rest.length > 0
          ? {relatedLocations: rest.map((b, i) => ({id: i + 1, ...location(b), message: {text: describeBecause(b)}}))}
          : {}),
        partialFingerprints: {'leashFinding/v1': fingerprint(DRIFT_RULE_ID, agent, d.path)},
        properties: {agent, path: d.path, declared: d.declared, observed: d.observed},
      }
    }),
  )
}

/** One SARIF log for any number of results (one run, results in argument order), and any drift. */
export function renderSarif(results: AssessmentResult[], context: RenderContext, drifts: readonly AgentDrift[] = []): string {
  const {catalog} = context
  const worst = new Map<string, number>()
  for (const r of results) for (const f of r.findings) worst.set(f.id, Math.max(worst.get(f.id) ?? 0, f.residual.score))

  const inputs: RuleInput[] = [...catalog.threats.values()]
    .sort((a, b) => compareText(a.id, b.id))
    .map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      threat: t,
      score: worst.get(t.id) ?? t.likelihood.base * t.impact.base,
      mappings: catalog.threatMappings.get(t.id) ?? {},
    }))
  const extra = new Map<string, Finding>()
  for (const r of results) for (const f of r.findings) if (!catalog.threats.has(f.id) && !extra.has(f.id)) extra.set(f.id, f)
  for (const f of [...extra.values()].sort((a, b) => compareText(a.id, b.id))) {
    inputs.push({id: f.id, title: f.title, description: f.title, score: worst.get(f.id) ?? f.residual.score, mappings: f.mappings})
  }
  const ruleIndex = new Map(inputs.map((r, i) => [r.id, i]))

  const sarifResults = results.flatMap((r) =>
    r.findings.map((f) => {
      const [first, ...rest] = f.because
      const out: Record<string, unknown> = {
        ruleId: f.id,
        ruleIndex: ruleIndex.get(f.id),
        level: LEVEL[f.severity],
        message: {text: message(r, f)},
        locations: first ? [{...location(first), message: {text: describeBecause(first)}}] : [],
        partialFingerprints: {'leashFinding/v1': fingerprint(f.id, r.subject.name, first?.path ?? '')},
        properties: {
          agent: r.subject.name,
          severity: f.severity,
          score: f.residual.score,
          inherentScore: f.inherent.score,
          verdict: r.verdict,
          missingControls: f.missingControls,
        },
      }
      if (rest.length > 0) out.relatedLocations = rest.map((b, i) => ({id: i + 1, ...location(b), message: {text: describeBecause(b)}}))
      if (f.waiver) {
        const w = f.waiver
        out.suppressions = [
          {
            kind: 'external',
            status: 'accepted',
            justification: `${w.reason} (approved by ${w.approvedBy}${w.approvedAt ? ` on ${w.approvedAt}` : ''}, expires ${w.expires}${w.ticket ? `, ${w.ticket}` : ''})`,
          },
        ]
      }
      return out
    }),
  )

  const driftCount = drifts.reduce((n, d) => n + d.drift.length, 0)
  const version = results[0]?.tool.version ?? '0.0.0'
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leash',
            version,
            semanticVersion: version,
            rules: [...inputs.map((input) => rule(input, catalog, context)), ...(driftCount > 0 ? [driftRule()] : [])],
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [...sarifResults, ...driftResults(drifts, inputs.length)],
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}
