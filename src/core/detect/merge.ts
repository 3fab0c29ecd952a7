/**
 * Several agents, one observed manifest: for each field the widest grant among the facts seen
 * (enums by the schema's x-leash-risk-order, lists by union, booleans by their risky value,
 * durations by the longest), keyed list items merged by name, then every fact turned into a
 * source with its final manifest path. Rules come from the manifest schema itself.
 */
import manifestSchema from '../../../schemas/agent-manifest.schema.json' with {type: 'json'}
import {formatPath, parsePath} from '../paths.js'
import type {Fact, ListPath} from './collector.js'
import type {Source} from './types.js'

type JsonSchema = {
  type?: string
  enum?: string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  $ref?: string
  pattern?: string
  /** A list (least to most risky), or how to compare: ascending, descending, inclusion, pattern. */
  'x-leash-risk-order'?: unknown[] | string
}

const root = manifestSchema as unknown as JsonSchema & {definitions: Record<string, JsonSchema>}

function deref(s: JsonSchema | undefined): JsonSchema | undefined {
  if (!s?.$ref) return s
  const name = s.$ref.replace('#/definitions/', '')
  const {$ref: _ref, ...rest} = s
  void _ref
  return {...root.definitions[name], ...rest}
}

/** The schema of a dotted manifest path (list items via `[]`-free dotted names: tools.mcpServers.pinned). */
export function schemaAt(path: string): JsonSchema | undefined {
  let s: JsonSchema | undefined = root
  for (const seg of parsePath(path)) {
    if (typeof seg === 'number') continue
    s = deref(s)
    if (s?.type === 'array') s = deref(s.items)
    s = deref(s?.properties?.[seg])
    if (!s) return undefined
  }
  return deref(s)
}

/**
 * Fallback for booleans the schema gives no order: the value that grants more (or controls
 * less). The schema's x-leash-risk-order wins when present.
 */
const RISKY_BOOLEAN: Record<string, boolean> = {
  'access.repositories.canMerge': true,
  'access.repositories.canApproveOwnChanges': true,
  'access.repositories.canEditWorkflows': true,
  'access.repositories.canBypassBranchProtection': true,
  'access.cicd.triggerBuilds': true,
  'access.cicd.readLogs': true,
  'access.cicd.editPipelines': true,
  'tools.browser': true,
  'sandbox.runsAsRoot': true,
  'memory.persistent': true,
  'memory.writableByUntrusted': true,
  'identity.humanUse': true,
  'identity.dedicated': false,
  'secrets.envFilesBlocked': false,
  'secrets.redactedFromLogs': false,
  'sandbox.ephemeral': false,
  'sandbox.networkIsolated': false,
  'oversight.budgets': false,
  'observability.attribution': false,
  'tools.mcpServers.pinned': false,
  'agent.model.pinned': false,
}

/** The risky value of a boolean field, from the schema or the fallback table. */
function riskyBoolean(path: string): boolean | undefined {
  const order = schemaAt(path)?.['x-leash-risk-order']
  if (Array.isArray(order) && order.length === 2 && typeof order[1] === 'boolean') return order[1]
  return RISKY_BOOLEAN[path]
}

export function isKnownBoolean(path: string): boolean {
  return riskyBoolean(path) !== undefined
}

function durationSeconds(d: string): number {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(d)
  if (!m) return 0
  const n = (i: number): number => Number(m[i] ?? 0)
  return (((n(1) * 365 + n(2) * 30 + n(3) * 7 + n(4)) * 24 + n(5)) * 60 + n(6)) * 60 + n(7)
}

/** Compare two values of a field: > 0 when `a` grants more than `b`. */
export function compareRisk(path: string, a: unknown, b: unknown): number {
  const s = schemaAt(path)
  const order = s?.['x-leash-risk-order']
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (a === b) return 0
    const risky = riskyBoolean(path)
    if (risky === undefined) throw new Error(`detect: no risk direction for boolean ${path}`)
    return a === risky ? 1 : -1
  }
  const sign = order === 'descending' ? -1 : 1
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b)
  if (typeof a === 'string' && typeof b === 'string') {
    if (Array.isArray(order)) return order.indexOf(a) - order.indexOf(b)
    if (order === 'ascending' || order === 'descending' || s?.pattern?.startsWith('^P'))
      return sign * (durationSeconds(a) - durationSeconds(b))
    if (s?.enum) return s.enum.indexOf(b) - s.enum.indexOf(a) // unordered: the first in the schema's order wins
    return b.localeCompare(a) // free text: deterministic, the first alphabetically
  }
  return 0
}

/** Merge the values seen for one field. */
function mergeValues(path: string, values: unknown[]): unknown {
  const s = schemaAt(path)
  if (s?.type === 'array') {
    const all = new Set<string>()
    for (const v of values) for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string' && x !== '') all.add(x)
    return [...all].sort()
  }
  let best = values[0]
  for (const v of values.slice(1)) if (compareRisk(path, v, best) > 0) best = v
  return best
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.split('.')
  let cur = target
  for (const seg of segs.slice(0, -1)) {
    if (cur[seg] === undefined || cur[seg] === null || typeof cur[seg] !== 'object') cur[seg] = {}
    cur = cur[seg] as Record<string, unknown>
  }
  cur[segs[segs.length - 1]] = value
}

interface Group {
  key: string
  fields: Map<string, Fact[]>
}

/** The item that stands for a singleton group (one model): the riskiest, then by key. */
function pickSingleton(groups: Group[]): Group[] {
  if (groups.length <= 1) return groups
  const pinned = (g: Group): boolean => (g.fields.get('pinned') ?? []).every((f) => f.value === true)
  const sorted = [...groups].sort((a, b) => Number(pinned(a)) - Number(pinned(b)) || a.key.localeCompare(b.key))
  return sorted.slice(0, 1)
}

export interface Merged {
  manifest: Record<string, unknown>
  sources: Source[]
}

/** Merge facts into a manifest (on top of `base`) and list every fact as a source. */
export function mergeFacts(facts: Fact[], base: Record<string, unknown>): Merged {
  const manifest = structuredClone(base)
  const plain = new Map<string, Fact[]>()
  const lists = new Map<ListPath, Map<string, Group>>()
  for (const f of facts) {
    if (!f.item) {
      const list = plain.get(f.path) ?? []
      list.push(f)
      plain.set(f.path, list)
      continue
    }
    const groups = lists.get(f.item.list) ?? new Map<string, Group>()
    lists.set(f.item.list, groups)
    const g = groups.get(f.item.key) ?? {key: f.item.key, fields: new Map()}
    groups.set(f.item.key, g)
    const fl = g.fields.get(f.path) ?? []
    fl.push(f)
    g.fields.set(f.path, fl)
  }

  const sources: Source[] = []
  const toSource = (f: Fact, fact: string): Source => {
    const s: Source = {file: f.file, line: f.line, fact, value: f.value, text: f.text}
    if (f.column !== undefined) s.column = f.column
    return s
  }

  for (const path of [...plain.keys()].sort()) {
    const fs = plain.get(path)!
    setAt(
      manifest,
      path,
      mergeValues(
        path,
        fs.map((f) => f.value),
      ),
    )
    for (const f of fs) sources.push(toSource(f, path))
  }

  for (const list of [...lists.keys()].sort()) {
    let groups = [...lists.get(list)!.values()].sort((a, b) => a.key.localeCompare(b.key))
    const all = groups
    if (list === 'agent.model') groups = pickSingleton(groups)
    const items: Record<string, unknown>[] = []
    groups.forEach((g, index) => {
      const item: Record<string, unknown> = {}
      const schemaPrefix = list
      for (const field of [...g.fields.keys()].sort()) {
        const fs = g.fields.get(field)!
        item[field] = mergeValues(
          `${schemaPrefix}.${field}`,
          fs.map((f) => f.value),
        )
        const fact = list === 'agent.model' ? `${list}.${field}` : `${formatPath([...parsePath(list), index])}.${field}`
        for (const f of fs) sources.push(toSource(f, fact))
      }
      items.push(item)
    })
    // other models seen: kept as sources of agent.model, not as values
    if (list === 'agent.model') {
      for (const g of all) {
        if (groups.includes(g)) continue
        for (const [field, fs] of g.fields) for (const f of fs) sources.push(toSource(f, `agent.model.${field}`))
      }
      if (items[0]) setAt(manifest, 'agent.model', {...((manifest.agent as Record<string, unknown>)?.model as object), ...items[0]})
    } else {
      setAt(manifest, list, items)
    }
  }

  sources.sort(
    (a, b) =>
      a.fact.localeCompare(b.fact) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      JSON.stringify(a.value).localeCompare(JSON.stringify(b.value)) ||
      a.text.localeCompare(b.text),
  )
  const unique = sources.filter(
    (s, i) =>
      i === 0 ||
      !(
        s.fact === sources[i - 1].fact &&
        s.file === sources[i - 1].file &&
        s.line === sources[i - 1].line &&
        s.column === sources[i - 1].column &&
        JSON.stringify(s.value) === JSON.stringify(sources[i - 1].value) &&
        s.text === sources[i - 1].text
      ),
  )
  return {manifest, sources: unique}
}
