/**
 * What the reports show, computed once from a result and the catalog: numbered findings, names
 * resolved from the framework files, the heat map grid, the blast-radius graph with its guard
 * states, coverage rows. Plain data (strings, numbers, booleans, lists); the templates and the
 * SVG drawings only lay it out, and every string is escaped where it is printed.
 */
import type {Catalog, Framework, FrameworkItem} from '../catalog.js'
import type {AssessmentResult, EdgeState, Finding, Severity, Verdict} from '../engine.js'
import {toText} from './escape.js'
import type {RenderContext} from './types.js'

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

export const VERDICT_LABEL: Record<Verdict, string> = {'not-ready': 'NOT READY', conditional: 'CONDITIONAL', ready: 'READY'}

const SHORT_NAMES: Record<string, string> = {
  'owasp-nhi': 'OWASP NHI Top 10',
  'owasp-agentic': 'OWASP Agentic Top 10',
  maestro: 'CSA MAESTRO',
  atlas: 'MITRE ATLAS',
  'nist-ai-rmf': 'NIST AI RMF',
  'owasp-llm': 'OWASP LLM Top 10',
}

/** The band of a 1-25 score, as in the engine: critical ≥ 20, high ≥ 12, medium ≥ 6. */
export function bandOf(score: number): Severity {
  if (score >= 20) return 'critical'
  if (score >= 12) return 'high'
  if (score >= 6) return 'medium'
  return 'low'
}

export function frameworkTitle(framework: Framework): string {
  return `${SHORT_NAMES[framework.id] ?? framework.name} (${framework.version})`
}

/** `NHI7:2025 Long-Lived Secrets`; ATLAS sub-techniques with their parent: `AML.T0051.000 LLM Prompt Injection: Direct`. */
export function itemLabel(framework: Framework | undefined, id: string): string {
  return `${id} ${itemName(framework, id)}`.trim()
}

export function itemName(framework: Framework | undefined, id: string): string {
  const item = framework?.items.find((i) => i.id === id)
  if (!item) return ''
  const parent = item.parent ? framework!.items.find((i) => i.id === item.parent) : undefined
  if (parent && isSubTechnique(item)) return `${parent.name}: ${item.name}`
  return item.name
}

function isSubTechnique(item: FrameworkItem): boolean {
  return item.kind === 'sub-technique' || (item.parent !== undefined && item.id.startsWith(`${item.parent}.`))
}

/** The frameworks a report shows, in catalog order (all loaded ones unless --frameworks). */
export function shownFrameworks(catalog: Catalog, context: RenderContext): Framework[] {
  const wanted = context.frameworks ? new Set(context.frameworks) : undefined
  return catalog.frameworks.filter((f) => !wanted || wanted.has(f.id))
}

/** A because value for people: text as it is, lists as `[a, b]` (named items by name), objects as short JSON, absent as ''. */
export function showValue(value: unknown, max = 120): string {
  const item = (v: unknown): string => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const named = (v as {name?: unknown; id?: unknown}).name ?? (v as {id?: unknown}).id
      if (typeof named === 'string') return named
    }
    return toText(v)
  }
  const text = Array.isArray(value) ? `[${value.map(item).join(', ')}]` : toText(value)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** F1–F3, F7: consecutive finding numbers as ranges. */
export function refRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length; i++) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    parts.push(j === i ? `F${sorted[i]}` : j === i + 1 ? `F${sorted[i]}, F${sorted[j]}` : `F${sorted[i]}–F${sorted[j]}`)
    i = j
  }
  return parts.join(', ')
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

export interface HeatCell {
  likelihood: number
  impact: number
  band: Severity
  count: number
  refs: string
}

export interface GraphView {
  nodes: {
    id: string
    mid: string
    label: string
    sublabel: string
    kind: string
    isAgent: boolean
    isInput: boolean
    isAsset: boolean
    exposed: boolean
  }[]
  edges: {
    n: number
    index: number
    from: string
    to: string
    fromMid: string
    toMid: string
    fromLabel: string
    toLabel: string
    label: string
    guard: EdgeState['guard']
    guardLabel: string
    dashed: boolean
    missingControls: string
  }[]
  missingLinks: string
  partialLinks: string
  guardedLinks: string
  uncontrolled: number
  edgeCount: number
}

export interface ReportView {
  html: boolean
  name: string
  file: string
  sha256: string
  sha256Short: string
  assessedAt: string
  toolVersion: string
  schemaVersion: string
  verdict: {id: Verdict; label: string; sentence: string}
  score: number
  scoreBand: string
  counts: {id: Severity; label: string; count: number; zero: boolean}[]
  countsLine: string
  totalFindings: number
  waivedCount: number
  openQuestionCount: number
  actions: {rank: number; control: string; title: string; effort: string; riskReduction: string; reduces: string}[]
  moreActions: string
  heat: {rows: {impact: number; cells: HeatCell[]}[]; empty: boolean}
  graph: GraphView
  findings: FindingView[]
  maestro: {layers: MaestroLayer[]; shown: boolean}
  coverage: CoverageView[]
  waivers: {
    threat: string
    agent: string
    status: string
    active: boolean
    approvedBy: string
    approvedAt: string
    expires: string
    ticket: string
    reason: string
  }[]
  warnings: string[]
  openQuestions: string[]
  controlsInPlace: {id: string; title: string; status: string; source: string}[]
  catalogs: {id: string; version: string}[]
}

export interface FindingView {
  ref: string
  anchor: string
  id: string
  title: string
  description: string
  severity: string
  severityId: Severity
  residual: {likelihood: number; impact: number; score: number}
  inherent: {likelihood: number; impact: number; score: number}
  waiver: {approvedBy: string; expires: string; ticket: string; reason: string} | null
  because: {path: string; value: string; declared: boolean; location: string; text: string}[]
  modifiers: {reason: string; effect: string}[]
  applied: {id: string; title: string; status: string}[]
  missing: {id: string; title: string; effort: string}[]
  mappings: {framework: string; items: {id: string; name: string}[]}[]
}

export interface MaestroLayer {
  id: string
  name: string
  findings: string
  worst: string
  worstId: Severity | 'none'
  open: string
}

export interface CoverageView {
  id: string
  title: string
  percent: string
  summary: string
  rows: {id: string; name: string; status: string; strong: boolean; findings: string}[]
  notApplicable: string
}

const VERDICT_SENTENCE = (verdict: Verdict, counts: Record<Severity, number>): string => {
  const open = counts.critical + counts.high
  if (verdict === 'not-ready') {
    return `${plural(open, 'critical or high finding is', 'critical or high findings are')} open. Do not deploy this agent until they are fixed or formally waived.`
  }
  if (verdict === 'conditional') {
    return `No critical or high finding is open, but ${plural(counts.medium, 'medium finding remains', 'medium findings remain')}: deploy with a dated plan for ${counts.medium === 1 ? 'it' : 'them'}.`
  }
  return 'No critical, high or medium finding is open. Keep the manifest current and review it when the agent’s access changes.'
}

export function buildReportView(result: AssessmentResult, context: RenderContext, options: {html: boolean}): ReportView {
  const {catalog} = context
  const frameworks = shownFrameworks(catalog, context)
  const refOf = new Map(result.findings.map((f, i) => [f.id, i + 1]))
  const open = result.findings.filter((f) => !f.waiver)
  const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, open.filter((f) => f.severity === s).length])) as Record<Severity, number>
  const controlTitle = (id: string) => catalog.controls.get(id)?.title ?? ''

  const shownCounts = SEVERITY_ORDER.filter((s) => s !== 'info' || counts.info > 0).map((s) => ({
    id: s,
    label: s,
    count: counts[s],
    zero: counts[s] === 0,
  }))
  const waivedCount = result.findings.length - open.length

  const actions = result.recommendations.slice(0, 5).map((r, i) => ({
    rank: i + 1,
    control: r.control,
    title: controlTitle(r.control),
    effort: r.effort,
    riskReduction: plural(r.riskReduction, 'risk point'),
    reduces: refRanges(r.reduces.flatMap((t) => (refOf.has(t) ? [refOf.get(t)!] : []))),
  }))
  const more = result.recommendations.length - actions.length

  return {
    html: options.html,
    name: result.subject.name,
    file: result.subject.file,
    sha256: result.subject.sha256,
    sha256Short: result.subject.sha256.slice(0, 12),
    assessedAt: result.assessedAt,
    toolVersion: result.tool.version,
    schemaVersion: result.schemaVersion,
    verdict: {id: result.verdict, label: VERDICT_LABEL[result.verdict], sentence: VERDICT_SENTENCE(result.verdict, counts)},
    score: result.score,
    scoreBand: result.score === 0 ? 'NONE' : bandOf(result.score).toUpperCase(),
    counts: shownCounts,
    countsLine: shownCounts.map((c) => `${c.count} ${c.label}`).join(' · '),
    totalFindings: result.findings.length,
    waivedCount,
    openQuestionCount: result.openQuestions.length,
    actions,
    moreActions: more > 0 ? `${plural(more, 'further control')} would also lower the risk; see the missing controls of each finding.` : '',
    heat: heatMap(result.findings),
    graph: graphView(result, catalog),
    findings: result.findings.map((f, i) => findingView(f, i + 1, catalog, frameworks, controlTitle)),
    maestro: maestroView(result, catalog, frameworks, refOf),
    coverage: frameworks.map((f) => coverageView(f, result, refOf)),
    waivers: result.waivers.map((w) => ({
      threat: w.threat,
      agent: w.agent,
      status: w.status.toUpperCase(),
      active: w.status === 'active',
      approvedBy: w.approvedBy,
      approvedAt: w.approvedAt ?? '',
      expires: w.expires,
      ticket: w.ticket ?? '',
      reason: w.reason,
    })),
    warnings: result.warnings,
    openQuestions: result.openQuestions,
    controlsInPlace: result.controls
      .filter((c) => c.status !== 'missing')
      .map((c) => ({
        id: c.id,
        title: controlTitle(c.id),
        status: c.status,
        source: c.source === 'declared' ? 'declared in controls:' : 'shown by manifest fields',
      })),
    catalogs: Object.entries(result.tool.catalogs).map(([id, version]) => ({id, version})),
  }
}

/** 5 × 5, impact 5 at the top, likelihood 1 on the left; each cell the findings at that residual. */
export function heatMap(findings: readonly Finding[]): ReportView['heat'] {
  const rows = [5, 4, 3, 2, 1].map((impact) => ({
    impact,
    cells: [1, 2, 3, 4, 5].map((likelihood): HeatCell => {
      const here = findings.flatMap((f, i) => (f.residual.likelihood === likelihood && f.residual.impact === impact ? [i + 1] : []))
      return {likelihood, impact, band: bandOf(likelihood * impact), count: here.length, refs: refRanges(here)}
    }),
  }))
  return {rows, empty: findings.length === 0}
}

const GUARD_LABEL: Record<EdgeState['guard'], string> = {missing: 'UNCONTROLLED', partial: 'PARTLY GUARDED', guarded: 'guarded'}

/** The blast-radius edges of this result, with their catalog nodes and the guarding controls still missing. */
export function graphView(result: AssessmentResult, catalog: Catalog): GraphView {
  const status = new Map(result.controls.map((c) => [c.id, c.status]))
  const used = new Set(result.blastRadius.flatMap((e) => [e.from, e.to]))
  const nodes = catalog.graph.nodes.filter((n) => used.has(n.id))
  const mid = new Map(nodes.map((n, i) => [n.id, `N${i + 1}`]))
  const label = new Map(nodes.map((n) => [n.id, n.label]))
  const exposed = new Set(result.blastRadius.filter((e) => e.guard === 'missing').map((e) => e.to))
  const edges = result.blastRadius.map((e, index) => {
    const def = catalog.graph.edges.find((g) => g.from === e.from && g.to === e.to && g.label === e.label)
    const missing = (def?.guardedBy ?? []).filter((id) => status.get(id) !== 'implemented')
    return {
      n: index + 1,
      index,
      from: e.from,
      to: e.to,
      fromMid: mid.get(e.from) ?? 'N0',
      toMid: mid.get(e.to) ?? 'N0',
      fromLabel: label.get(e.from) ?? e.from,
      toLabel: label.get(e.to) ?? e.to,
      label: e.label,
      guard: e.guard,
      guardLabel: GUARD_LABEL[e.guard],
      dashed: e.guard !== 'guarded',
      missingControls: missing.map((id) => (status.get(id) === 'partial' ? `${id} (partial)` : id)).join(', '),
    }
  })
  const indices = (g: EdgeState['guard']) =>
    edges
      .filter((e) => e.guard === g)
      .map((e) => e.index)
      .join(',')
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      mid: mid.get(n.id)!,
      label: n.label,
      sublabel: n.id === 'agent' ? result.subject.name : '',
      kind: n.kind,
      isAgent: n.id === 'agent' || (n.kind === 'agent' && !nodes.some((m) => m.id === 'agent')),
      isInput: n.kind === 'input',
      isAsset: ['secrets', 'cloud', 'production'].includes(n.kind),
      exposed: exposed.has(n.id),
    })),
    edges,
    missingLinks: indices('missing'),
    partialLinks: indices('partial'),
    guardedLinks: indices('guarded'),
    uncontrolled: edges.filter((e) => e.guard === 'missing').length,
    edgeCount: edges.length,
  }
}

function findingView(f: Finding, n: number, catalog: Catalog, frameworks: Framework[], controlTitle: (id: string) => string): FindingView {
  const effort = (id: string) => catalog.controls.get(id)?.effort ?? ''
  const applied = new Set((f.appliedControls ?? []).map((c) => c.id))
  return {
    ref: `F${n}`,
    anchor: `f${n}`,
    id: f.id,
    title: f.title,
    description: catalog.threats.get(f.id)?.description ?? '',
    severity: f.severity.toUpperCase(),
    severityId: f.severity,
    residual: f.residual,
    inherent: f.inherent,
    waiver: f.waiver
      ? {approvedBy: f.waiver.approvedBy, expires: f.waiver.expires, ticket: f.waiver.ticket ?? '', reason: f.waiver.reason}
      : null,
    because: f.because.map((b) => ({
      path: b.path,
      value: b.value === null || b.value === undefined ? '' : showValue(b.value),
      declared: b.value !== null && b.value !== undefined,
      location: `${b.file}:${b.line}:${b.column}`,
      text: b.text ?? '',
    })),
    modifiers: (f.modifiers ?? []).map((m) => ({
      reason: m.reason,
      effect: [
        m.likelihood ? `likelihood ${m.likelihood > 0 ? '+' : ''}${m.likelihood}` : '',
        m.impact ? `impact ${m.impact > 0 ? '+' : ''}${m.impact}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    })),
    applied: (f.appliedControls ?? []).map((c) => ({id: c.id, title: controlTitle(c.id), status: c.status})),
    missing: f.missingControls.filter((id) => !applied.has(id)).map((id) => ({id, title: controlTitle(id), effort: effort(id)})),
    mappings: frameworks.map((fw) => ({
      framework: frameworkTitle(fw),
      items: (f.mappings[fw.id] ?? []).map((id) => ({id, name: itemName(fw, id)})),
    })),
  }
}

function maestroView(
  result: AssessmentResult,
  catalog: Catalog,
  frameworks: Framework[],
  refOf: Map<string, number>,
): ReportView['maestro'] {
  const maestro = frameworks.find((f) => f.id === 'maestro')
  if (!maestro) return {layers: [], shown: false}
  const status = new Map((result.frameworks.find((f) => f.id === 'maestro')?.items ?? []).map((i) => [i.id, i.status]))
  const layers = maestro.items.filter((i) => i.kind === 'layer' || (!i.parent && !i.id.includes(':')))
  return {
    shown: layers.length > 0,
    layers: layers.map((layer): MaestroLayer => {
      const children = maestro.items.filter((i) => i.parent === layer.id)
      const threatIds = new Set([...layer.threats, ...children.flatMap((c) => c.threats)])
      for (const t of catalog.threats.values()) if (t.layers.includes(layer.id)) threatIds.add(t.id)
      const here = result.findings.filter((f) => threatIds.has(f.id))
      const worst = here.reduce<Finding | undefined>((w, f) => (!w || f.residual.score > w.residual.score ? f : w), undefined)
      const openItems = children.filter((c) => status.get(c.id) === 'gap' || status.get(c.id) === 'partial')
      return {
        id: layer.id,
        name: layer.name,
        findings: refRanges(here.map((f) => refOf.get(f.id)!)),
        worst: worst ? `${worst.severity.toUpperCase()} ${worst.residual.score}` : '',
        worstId: worst ? worst.severity : 'none',
        open: openItems.map((c) => `${c.name} (${status.get(c.id)})`).join('; '),
      }
    }),
  }
}

function coverageView(framework: Framework, result: AssessmentResult, refOf: Map<string, number>): CoverageView {
  const coverage = result.frameworks.find((f) => f.id === framework.id)
  const items = coverage?.items ?? []
  const byId = new Map(framework.items.map((i) => [i.id, i]))
  const applicable = items.filter((i) => i.status !== 'not-applicable')
  const count = (s: string) => items.filter((i) => i.status === s).length
  const na = items.filter((i) => i.status === 'not-applicable')
  return {
    id: framework.id,
    title: frameworkTitle(framework),
    percent: coverage ? `${Math.round(coverage.coverage * 100)}%` : 'n/a',
    summary: `${plural(applicable.length, 'applicable item')}: ${count('addressed')} addressed, ${count('partial')} partial, ${count('gap')} ${count('gap') === 1 ? 'gap' : 'gaps'}; ${na.length} not applicable.`,
    rows: applicable.map((i) => ({
      id: i.id,
      name: itemName(framework, i.id),
      status: i.status === 'addressed' ? 'addressed' : i.status.toUpperCase(),
      strong: i.status !== 'addressed',
      findings: refRanges((byId.get(i.id)?.threats ?? []).flatMap((t) => (refOf.has(t) ? [refOf.get(t)!] : []))),
    })),
    notApplicable: na.map((i) => itemLabel(framework, i.id)).join('; '),
  }
}

/** One agent in the GitHub Actions job summary: what summary.md shows, without the rest of the result. */
export interface StepSummaryRow {
  name: string
  verdict: string
  score: number
  counts: string
  waived: number
  top: string
  next: string
  file: string
  sha256: string
}

export function stepSummaryRow(r: AssessmentResult): StepSummaryRow {
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
}
