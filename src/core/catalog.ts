/**
 * leash's knowledge as one structure: the threat and control catalogs, the framework files and
 * the blast-radius graph, merged with a team's own (`--catalog DIR`), cross-checked, and with
 * the framework → threat mappings inverted onto each threat and control.
 */
import {conditionPaths, type Condition} from './conditions.js'
import {inputError} from './errors.js'
import {nodeAt} from './manifest-schema.js'
import {compareIds, compareText} from './order.js'

export type Effort = 'low' | 'medium' | 'high'

export interface Mitigation {
  id: string
  likelihood?: number
  impact?: number
}

export interface Modifier {
  when: Condition
  likelihood?: number
  impact?: number
  reason: string
}

export interface Threat {
  id: string
  title: string
  description: string
  layers: string[]
  likelihood: {base: number; rationale: string}
  impact: {base: number; rationale: string}
  when: Condition
  modifiers?: Modifier[]
  controls: Mitigation[]
  question?: string
}

export interface Control {
  id: string
  title: string
  description: string
  evidence: string
  effort: Effort
  detectedBy?: Condition
  partialWhen?: Condition
}

export interface FrameworkItem {
  id: string
  name: string
  parent?: string
  description: string
  threats: string[]
  controls?: string[]
  outOfScope?: string
  [extra: string]: unknown
}

export interface Framework {
  id: string
  name: string
  version: string
  source: string
  license?: string
  items: FrameworkItem[]
  crosswalkExceptions?: {from: string; to: string; reason: string}[]
  [extra: string]: unknown
}

export interface GraphNode {
  id: string
  label: string
  kind: string
}

export interface GraphEdge {
  from: string
  to: string
  label: string
  when: Condition
  guardedBy: string[]
}

export interface BlastRadiusGraph {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

/** The files of one catalog folder, parsed and schema-checked by the caller. */
export interface CatalogFiles {
  /** Where these files came from, for messages (`frameworks/` or the --catalog folder). */
  origin: string
  threats?: {version: string; threats: Threat[]}
  controls?: {version: string; controls: Control[]}
  graph?: {version: string} & BlastRadiusGraph
  frameworks: Framework[]
}

export interface Catalog {
  threats: Map<string, Threat>
  controls: Map<string, Control>
  frameworks: Framework[]
  graph: BlastRadiusGraph
  /** threat id → framework id → item ids (sorted), one key per loaded framework. */
  threatMappings: Map<string, Record<string, string[]>>
  /** control id → threat ids it mitigates (sorted). */
  controlThreats: Map<string, string[]>
  /** catalog id → version, for the result's tool.catalogs. */
  versions: Record<string, string>
}

/** The framework shown first; the rest follow alphabetically. */
export const FRAMEWORK_ORDER = ['owasp-nhi', 'owasp-agentic', 'maestro', 'atlas', 'nist-ai-rmf', 'owasp-llm']

function frameworkRank(id: string): number {
  const i = FRAMEWORK_ORDER.indexOf(id)
  return i < 0 ? FRAMEWORK_ORDER.length : i
}

/** Merge the built-in catalog with custom ones; every id must be new, every reference known. */
export function buildCatalog(base: CatalogFiles, extra: CatalogFiles[] = []): Catalog {
  const threats = new Map<string, Threat>()
  const controls = new Map<string, Control>()
  const frameworks = new Map<string, Framework>()
  const graph: BlastRadiusGraph = {nodes: [], edges: []}
  const versions: Record<string, string> = {}
  const origins = new Map<string, string>()

  const claim = (kind: string, id: string, origin: string) => {
    const key = `${kind}:${id}`
    const first = origins.get(key)
    if (first) throw inputError('catalog-duplicate', `${kind} ${id} is defined twice (in ${first} and ${origin})`, origin)
    origins.set(key, origin)
  }

  for (const files of [base, ...extra]) {
    for (const t of files.threats?.threats ?? []) {
      claim('threat', t.id, files.origin)
      threats.set(t.id, t)
    }
    for (const c of files.controls?.controls ?? []) {
      claim('control', c.id, files.origin)
      controls.set(c.id, c)
    }
    for (const f of files.frameworks) {
      claim('framework', f.id, files.origin)
      frameworks.set(f.id, f)
      versions[f.id] = f.version
    }
    if (files.graph) {
      graph.nodes.push(...files.graph.nodes)
      graph.edges.push(...files.graph.edges)
    }
  }
  versions.threats = [base.threats?.version, ...extra.filter((e) => e.threats).map((e) => `${e.origin}@${e.threats!.version}`)]
    .filter(Boolean)
    .join('+')
  versions.controls = [base.controls?.version, ...extra.filter((e) => e.controls).map((e) => `${e.origin}@${e.controls!.version}`)]
    .filter(Boolean)
    .join('+')
  if (base.graph) versions['blast-radius'] = base.graph.version

  const ordered = [...frameworks.values()].sort((a, b) => frameworkRank(a.id) - frameworkRank(b.id) || compareText(a.id, b.id))
  const problems: string[] = []
  const where = (id: string) => origins.get(`framework:${id}`) ?? ''

  // References must resolve.
  for (const t of threats.values()) {
    if (t.controls.length === 0) problems.push(`threat ${t.id} has no control that mitigates it`)
    for (const m of t.controls) if (!controls.has(m.id)) problems.push(`threat ${t.id} refers to unknown control ${m.id}`)
  }
  for (const f of ordered) {
    for (const item of f.items) {
      for (const id of item.threats)
        if (!threats.has(id)) problems.push(`${where(f.id)}: ${f.id} ${item.id} refers to unknown threat ${id}`)
      for (const id of item.controls ?? [])
        if (!controls.has(id)) problems.push(`${where(f.id)}: ${f.id} ${item.id} refers to unknown control ${id}`)
    }
  }
  // Conditions must read fields the manifest has, with regular expressions that compile. The
  // shipped catalog is checked by its tests (test/data/catalogs.test.ts); a team's is checked here.
  const conditions: [string, Condition | undefined][] =
    extra.length === 0
      ? []
      : [
          ...[...threats.values()].flatMap((t): [string, Condition | undefined][] => [
            [`threat ${t.id} when`, t.when],
            ...(t.modifiers ?? []).map((m, i): [string, Condition] => [`threat ${t.id} modifiers[${i}]`, m.when]),
          ]),
          ...[...controls.values()].flatMap((c): [string, Condition | undefined][] => [
            [`control ${c.id} detectedBy`, c.detectedBy],
            [`control ${c.id} partialWhen`, c.partialWhen],
          ]),
          ...graph.edges.map((e): [string, Condition] => [`blast-radius edge ${e.from} → ${e.to}`, e.when]),
        ]
  for (const [where, condition] of conditions) {
    if (!condition) continue
    for (const path of conditionPaths(condition))
      if (!nodeAt(path)) problems.push(`${where} reads "${path}", which is not a manifest field`)
    for (const re of conditionRegexes(condition)) {
      try {
        new RegExp(re)
      } catch {
        problems.push(`${where} has an invalid regular expression /${re}/`)
      }
    }
  }
  const nodeIds = new Set(graph.nodes.map((n) => n.id))
  for (const e of graph.edges) {
    if (!nodeIds.has(e.from) || !nodeIds.has(e.to)) problems.push(`blast-radius edge ${e.from} → ${e.to} refers to an unknown node`)
    for (const id of e.guardedBy)
      if (!controls.has(id)) problems.push(`blast-radius edge ${e.from} → ${e.to} refers to unknown control ${id}`)
  }
  if (problems.length > 0) throw inputError('catalog-reference', problems.join('\n'), extra[0]?.origin ?? base.origin)

  // Invert the framework files: threat → framework → item ids.
  const threatMappings = new Map<string, Record<string, string[]>>()
  for (const id of threats.keys()) threatMappings.set(id, Object.fromEntries(ordered.map((f) => [f.id, [] as string[]])))
  for (const f of ordered) {
    for (const item of f.items) for (const id of item.threats) threatMappings.get(id)![f.id].push(item.id)
  }
  for (const map of threatMappings.values()) for (const list of Object.values(map)) list.sort(compareIds)

  const controlThreats = new Map<string, string[]>()
  for (const id of controls.keys()) controlThreats.set(id, [])
  for (const t of threats.values()) for (const m of t.controls) controlThreats.get(m.id)!.push(t.id)
  for (const list of controlThreats.values()) list.sort()

  return {threats, controls, frameworks: ordered, graph, threatMappings, controlThreats, versions}
}

function conditionRegexes(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(conditionRegexes)
  if ('any' in c) return c.any.flatMap(conditionRegexes)
  if ('not' in c) return conditionRegexes(c.not)
  if ('where' in c) return conditionRegexes(c.where)
  return c.matches === undefined ? [] : [c.matches]
}

/**
 * Resolve a framework item id as users may type it: `NHI2`, `NHI-02`, `nhi2:2025`, `LLM01`,
 * `asi3`. Returns the canonical id, or undefined.
 */
export function resolveItemId(framework: Framework, input: string): string | undefined {
  const exact = framework.items.find((i) => i.id === input)
  if (exact) return exact.id
  const norm = (s: string) =>
    s
      .toUpperCase()
      .replace(/[\s_-]+/g, '')
      .replace(/:\d{4}$/, '')
      .replace(/([A-Z]+)0*(\d)/g, '$1$2')
  const wanted = norm(input)
  return framework.items.find((i) => norm(i.id) === wanted)?.id
}
