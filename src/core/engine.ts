/**
 * The assessment: manifest + catalog + waivers + today → findings with their reasons, scores,
 * coverage per framework, recommendations and a verdict. Pure and deterministic: the same input
 * gives the same result, sorted as spec/cli.md says.
 */
import type {Catalog, Threat} from './catalog.js'
import {evaluate, truthOf, type Evaluation, type Evidence} from './conditions.js'
import type {Position} from './document.js'
import {formatPath, type Path} from './paths.js'
import {compareIds, compareText} from './order.js'
import {applyWaivers, type Waiver, type WaiverStatus} from './waivers.js'

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info'
export type Verdict = 'ready' | 'conditional' | 'not-ready'
export type ControlStatus = 'implemented' | 'partial' | 'missing'
export const EFFORT_WEIGHT = {low: 1, medium: 2, high: 4} as const

export interface Because {
  path: string
  value: unknown
  file: string
  line: number
  column: number
  /** Set on detect and drift entries: the configuration text that shows the fact. */
  text?: string
}

export interface Score {
  likelihood: number
  impact: number
  score: number
}

export interface Finding {
  id: string
  title: string
  severity: Severity
  inherent: Score
  residual: Score
  because: Because[]
  missingControls: string[]
  mappings: Record<string, string[]>
  waiver: WaiverStatus | null
  /** The fact modifiers that moved the inherent score, for the report. */
  modifiers: {reason: string; likelihood: number; impact: number}[]
  /** Controls in place (fully or partly) that lowered the residual score. */
  appliedControls: {id: string; status: 'implemented' | 'partial'}[]
}

export interface CoverageItem {
  id: string
  status: 'addressed' | 'partial' | 'gap' | 'not-applicable'
}

export interface FrameworkCoverage {
  id: string
  coverage: number
  items: CoverageItem[]
}

export interface Recommendation {
  control: string
  reduces: string[]
  riskReduction: number
  effort: 'low' | 'medium' | 'high'
}

export interface EdgeState {
  from: string
  to: string
  label: string
  /** missing: every guarding control is missing (uncontrolled); partial: some are in place. */
  guard: 'guarded' | 'partial' | 'missing'
}

export interface AssessmentResult {
  schemaVersion: 'leash-result/v1'
  tool: {name: 'leash'; version: string; catalogs: Record<string, string>}
  subject: {name: string; file: string; sha256: string}
  assessedAt: string
  verdict: Verdict
  score: number
  findings: Finding[]
  frameworks: FrameworkCoverage[]
  recommendations: Recommendation[]
  openQuestions: string[]
  waivers: WaiverStatus[]
  warnings: string[]
  controls: {id: string; status: ControlStatus; source: 'manifest-fields' | 'declared' | 'none'}[]
  blastRadius: EdgeState[]
}

export interface AssessInput {
  manifest: unknown
  /**
   * Where a path is: in the manifest file (value, else closest present ancestor key; 1:1 at
   * worst), or, for detected facts, in the configuration file that shows it (`file`).
   */
  locate: (path: Path) => Position & {file?: string}
  file: string
  sha256: string
  catalog: Catalog
  /** Today, YYYY-MM-DD: the core never reads the clock. */
  today: string
  toolVersion: string
  waivers?: Waiver[]
  /** `gate`: findings, scores, verdict and waivers only (no coverage, recommendations or blast radius), for batch gates. */
  scope?: 'full' | 'gate'
}

export function band(score: number): Severity {
  if (score >= 20) return 'critical'
  if (score >= 12) return 'high'
  if (score >= 6) return 'medium'
  return 'low'
}

const clamp = (n: number) => Math.min(5, Math.max(1, n))

interface DeclaredControl {
  id: string
  status: 'implemented' | 'partial' | 'planned' | 'not-applicable'
  due?: string
}

/** Which controls are in place: from manifest fields, then from the `controls:` list. */
export function controlStates(
  manifest: unknown,
  catalog: Catalog,
  questions = true,
): {states: Map<string, ControlStatus>; sources: Map<string, 'manifest-fields' | 'declared' | 'none'>; unknown: Map<string, Evidence[]>} {
  const states = new Map<string, ControlStatus>()
  const sources = new Map<string, 'manifest-fields' | 'declared' | 'none'>()
  const unknown = new Map<string, Evidence[]>()
  const declared = new Map<string, DeclaredControl>()
  for (const c of ((manifest as {controls?: DeclaredControl[]}).controls ?? []) as DeclaredControl[]) declared.set(c.id, c)
  for (const control of catalog.controls.values()) {
    let status: ControlStatus = 'missing'
    let source: 'manifest-fields' | 'declared' | 'none' = 'none'
    if (control.detectedBy) {
      const truth = truthOf(control.detectedBy, manifest)
      if (truth === 'true') status = 'implemented'
      else {
        if (truth === 'unknown' && questions) {
          unknown.set(
            control.id,
            evaluate(control.detectedBy, manifest).support.filter((e) => e.truth === 'unknown'),
          )
        }
        if (control.partialWhen && truthOf(control.partialWhen, manifest) === 'true') status = 'partial'
      }
      if (status !== 'missing') source = 'manifest-fields'
    }
    const claim = declared.get(control.id)
    if (claim && rank(claim.status) > rank(status)) {
      status = claim.status as ControlStatus
      source = 'declared'
    }
    states.set(control.id, status)
    sources.set(control.id, source)
  }
  return {states, sources, unknown}
}

function rank(status: string): number {
  return status === 'implemented' ? 2 : status === 'partial' ? 1 : 0
}

interface Scored {
  threat: Threat
  /** The evaluation with its evidence; left out of a gate, which reads it only for what it prints. */
  evaluation?: Evaluation
  inherent: {likelihood: number; impact: number}
  modifiers: {reason: string; likelihood: number; impact: number}[]
  questions: Evidence[]
}

function inherentScore(threat: Threat, manifest: unknown, withQuestions: boolean): Scored | undefined {
  if (truthOf(threat.when, manifest) === 'false') return undefined
  const evaluation = withQuestions ? evaluate(threat.when, manifest) : undefined
  const questions = evaluation?.truth === 'unknown' ? evaluation.support.filter((e) => e.truth === 'unknown') : []
  let likelihood = threat.likelihood.base
  let impact = threat.impact.base
  const modifiers: Scored['modifiers'] = []
  for (const m of threat.modifiers ?? []) {
    const raises = (m.likelihood ?? 0) > 0 || (m.impact ?? 0) > 0
    const truth = truthOf(m.when, manifest)
    const applies = truth === 'true' || (raises && truth === 'unknown')
    if (!applies) continue
    if (truth === 'unknown' && withQuestions) questions.push(...evaluate(m.when, manifest).support.filter((e) => e.truth === 'unknown'))
    likelihood += m.likelihood ?? 0
    impact += m.impact ?? 0
    modifiers.push({reason: m.reason, likelihood: m.likelihood ?? 0, impact: m.impact ?? 0})
  }
  return {threat, evaluation, inherent: {likelihood: clamp(likelihood), impact: clamp(impact)}, modifiers, questions}
}

function residualScore(threat: Threat, inherent: {likelihood: number; impact: number}, states: Map<string, ControlStatus>): Score {
  let likelihood = inherent.likelihood
  let impact = inherent.impact
  for (const m of threat.controls) {
    const status = states.get(m.id)
    if (status === 'missing' || status === undefined) continue
    const factor = (n: number | undefined) => (status === 'partial' ? Math.floor((n ?? 0) / 2) : (n ?? 0))
    likelihood -= factor(m.likelihood)
    impact -= factor(m.impact)
  }
  likelihood = clamp(likelihood)
  impact = clamp(impact)
  return {likelihood, impact, score: likelihood * impact}
}

/**
 * `because` entries, located lazily: a position costs a parse with positions, so it is computed
 * only when something reads it (a report, the JSON, a blocking finding), never for a manifest
 * that passes a batch gate unseen. Reading gives the same values as an eager location would.
 */
function toBecause(evidence: Evidence[], locate: AssessInput['locate'], file: string): Because[] {
  const seen = new Set<string>()
  const out: Because[] = []
  for (const e of evidence) {
    const path = formatPath(e.path)
    if (seen.has(path)) continue
    seen.add(path)
    let pos: ReturnType<AssessInput['locate']> | undefined
    const at = () => (pos ??= locate(e.path))
    const entry = {path, value: e.found ? e.value : null} as Because
    Object.defineProperties(entry, {
      file: {enumerable: true, get: () => at().file ?? file},
      line: {enumerable: true, get: () => at().line},
      column: {enumerable: true, get: () => at().column},
    })
    out.push(entry)
  }
  return out
}

const controlIds = new WeakMap<Threat, string[]>()
/** A threat's mitigating controls, in id order (the same for every manifest). */
function controlIdsOf(threat: Threat): string[] {
  let ids = controlIds.get(threat)
  if (!ids) {
    ids = threat.controls.map((m) => m.id).sort(compareText)
    controlIds.set(threat, ids)
  }
  return ids
}

/**
 * A finding whose `because` is built on first read: a gate prints it only for blocking findings,
 * and building it for every finding of a batch was most of a gate's cost. Readers and JSON see the
 * same finding either way (toJSON keeps the field order of the result schema).
 */
class AssessedFinding implements Finding {
  readonly id: string
  readonly title: string
  readonly severity: Severity
  readonly inherent: Score
  readonly residual: Score
  readonly missingControls: string[]
  readonly mappings: Record<string, string[]>
  waiver: WaiverStatus | null = null
  readonly modifiers: Finding['modifiers']
  readonly appliedControls: Finding['appliedControls']
  #because: Because[] | undefined
  readonly #explain: () => Because[]

  constructor(fields: Omit<Finding, 'because' | 'waiver'>, explain: () => Because[]) {
    this.id = fields.id
    this.title = fields.title
    this.severity = fields.severity
    this.inherent = fields.inherent
    this.residual = fields.residual
    this.missingControls = fields.missingControls
    this.mappings = fields.mappings
    this.modifiers = fields.modifiers
    this.appliedControls = fields.appliedControls
    this.#explain = explain
  }

  get because(): Because[] {
    return (this.#because ??= this.#explain())
  }

  toJSON(): Finding {
    return {
      id: this.id,
      title: this.title,
      severity: this.severity,
      inherent: this.inherent,
      residual: this.residual,
      because: this.because,
      missingControls: this.missingControls,
      mappings: this.mappings,
      waiver: this.waiver,
      modifiers: this.modifiers,
      appliedControls: this.appliedControls,
    }
  }
}

function verdictOf(findings: Finding[]): Verdict {
  const open = findings.filter((f) => !f.waiver)
  if (open.some((f) => f.severity === 'critical' || f.severity === 'high')) return 'not-ready'
  if (open.some((f) => f.severity === 'medium')) return 'conditional'
  return 'ready'
}

export function assess(input: AssessInput): AssessmentResult {
  const {manifest, catalog} = input
  // a gate needs findings and the verdict; open questions, coverage and advice are for reports
  const full = input.scope !== 'gate'
  const {states, sources, unknown: unknownControls} = controlStates(manifest, catalog, full)
  const warnings: string[] = []
  const questions = new Set<string>()

  for (const c of ((manifest as {controls?: DeclaredControl[]}).controls ?? []) as DeclaredControl[]) {
    if (!catalog.controls.has(c.id)) warnings.push(`${c.id} is not a control of the loaded catalogs; it counts for nothing`)
    if (c.status === 'planned' && c.due && c.due < input.today) warnings.push(`${c.id} is planned with due ${c.due}, which has passed`)
  }

  const scored = [...catalog.threats.values()].map((t) => inherentScore(t, manifest, full)).filter((s): s is Scored => s !== undefined)
  const findings: Finding[] = scored.map((s) => {
    for (const q of s.questions) questions.add(formatPath(q.path))
    for (const m of s.threat.controls) {
      if (states.get(m.id) !== 'missing') continue
      for (const e of unknownControls.get(m.id) ?? []) questions.add(formatPath(e.path))
    }
    const inherent = {...s.inherent, score: s.inherent.likelihood * s.inherent.impact}
    const residual = residualScore(s.threat, s.inherent, states)
    return new AssessedFinding(
      {
        id: s.threat.id,
        title: s.threat.title,
        severity: band(residual.score),
        inherent,
        residual,
        missingControls: controlIdsOf(s.threat).filter((id) => states.get(id) !== 'implemented'),
        mappings: catalog.threatMappings.get(s.threat.id) ?? {},
        modifiers: s.modifiers,
        appliedControls: controlIdsOf(s.threat)
          .filter((id) => states.get(id) === 'implemented' || states.get(id) === 'partial')
          .map((id) => ({id, status: states.get(id) as 'implemented' | 'partial'})),
      },
      () => toBecause((s.evaluation ?? evaluate(s.threat.when, manifest)).support, input.locate, input.file),
    )
  })
  findings.sort((a, b) => b.residual.score - a.residual.score || compareText(a.id, b.id))

  const name = String((manifest as {metadata?: {name?: string}}).metadata?.name ?? '')
  const waivers = applyWaivers(input.waivers ?? [], findings, name, input.today)
  for (const f of findings) f.waiver = waivers.find((w) => w.status === 'active' && w.threat === f.id) ?? null
  for (const w of waivers) if (w.status === 'expired') warnings.push(`the waiver for ${w.threat} on ${w.agent} expired on ${w.expires}`)

  const open = findings.filter((f) => !f.waiver)
  return {
    schemaVersion: 'leash-result/v1',
    tool: {name: 'leash', version: input.toolVersion, catalogs: versionsOf(catalog)},
    subject: {name, file: input.file, sha256: input.sha256},
    assessedAt: input.today,
    verdict: verdictOf(findings),
    score: open.reduce((max, f) => Math.max(max, f.residual.score), 0),
    findings,
    frameworks: full ? coverage(catalog, findings) : [],
    recommendations: full ? recommend(catalog, scored, states) : [],
    openQuestions: [...questions].sort(),
    waivers,
    warnings: warnings.sort(),
    controls: !full
      ? []
      : [...states.entries()].map(([id, status]) => ({id, status, source: sources.get(id)!})).sort((a, b) => compareText(a.id, b.id)),
    blastRadius: full ? blastRadius(catalog, manifest, states) : [],
  }
}

const catalogVersions = new WeakMap<Catalog, Record<string, string>>()
/** The catalog's versions by id, in order: the same for every manifest of a batch. */
function versionsOf(catalog: Catalog): Record<string, string> {
  let versions = catalogVersions.get(catalog)
  if (!versions) {
    versions = Object.fromEntries(Object.entries(catalog.versions).sort(([a], [b]) => compareText(a, b)))
    catalogVersions.set(catalog, versions)
  }
  return {...versions}
}

const sortedItems = new WeakMap<Catalog['frameworks'][number], Catalog['frameworks'][number]['items']>()
function itemsInOrder(framework: Catalog['frameworks'][number]) {
  let items = sortedItems.get(framework)
  if (!items) {
    items = [...framework.items].sort((a, b) => compareIds(a.id, b.id))
    sortedItems.set(framework, items)
  }
  return items
}

/** Per framework item: the worst residual severity among the findings of its threats. */
function coverage(catalog: Catalog, findings: Finding[]): FrameworkCoverage[] {
  const byThreat = new Map(findings.map((f) => [f.id, f]))
  return catalog.frameworks.map((framework) => {
    const items: CoverageItem[] = itemsInOrder(framework).map((item) => {
      if (item.outOfScope) return {id: item.id, status: 'not-applicable'}
      const related = item.threats.map((t) => byThreat.get(t)).filter((f): f is Finding => f !== undefined)
      const worst = related.reduce((max, f) => Math.max(max, f.residual.score), 0)
      const status = worst >= 12 ? 'gap' : worst >= 6 ? 'partial' : 'addressed'
      return {id: item.id, status}
    })
    const applicable = items.filter((i) => i.status !== 'not-applicable')
    const points = applicable.reduce((sum, i) => sum + (i.status === 'addressed' ? 1 : i.status === 'partial' ? 0.5 : 0), 0)
    const ratio = applicable.length === 0 ? 1 : points / applicable.length
    return {id: framework.id, coverage: Math.round(ratio * 100) / 100, items}
  })
}

/** For each control not fully in place: the residual it would remove, re-scored, per unit of effort. */
function recommend(catalog: Catalog, scored: Scored[], states: Map<string, ControlStatus>): Recommendation[] {
  const out: (Recommendation & {ratio: number})[] = []
  for (const control of catalog.controls.values()) {
    if (states.get(control.id) === 'implemented') continue
    const withIt = new Map(states)
    withIt.set(control.id, 'implemented')
    let reduction = 0
    const reduces: string[] = []
    for (const s of scored) {
      if (!s.threat.controls.some((m) => m.id === control.id)) continue
      const now = residualScore(s.threat, s.inherent, states).score
      const after = residualScore(s.threat, s.inherent, withIt).score
      if (after < now) {
        reduction += now - after
        reduces.push(s.threat.id)
      }
    }
    if (reduction === 0) continue
    out.push({
      control: control.id,
      reduces: reduces.sort(),
      riskReduction: reduction,
      effort: control.effort,
      ratio: reduction / EFFORT_WEIGHT[control.effort],
    })
  }
  out.sort((a, b) => b.ratio - a.ratio || compareText(a.control, b.control))
  return out.map(({ratio: _ratio, ...r}) => r)
}

function blastRadius(catalog: Catalog, manifest: unknown, states: Map<string, ControlStatus>): EdgeState[] {
  return catalog.graph.edges
    .filter((e) => truthOf(e.when, manifest) !== 'false')
    .map((e) => {
      const inPlace = e.guardedBy.filter((id) => states.get(id) !== 'missing')
      const guard: EdgeState['guard'] = inPlace.length === 0 ? 'missing' : inPlace.length < e.guardedBy.length ? 'partial' : 'guarded'
      return {from: e.from, to: e.to, label: e.label, guard}
    })
}
