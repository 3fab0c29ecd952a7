/**
 * Several agents, one observed manifest: for each field the widest grant among the facts seen
 * (enums by the schema's x-leash-risk-order, lists by union, booleans by their risky value,
 * durations by the longest), keyed list items merged by name, then every fact turned into a
 * source with its final manifest path. Rules come from the manifest schema itself.
 */
import {compareRisk as compareNodes, nodeAtManifestPath} from '../manifest-schema.js'
import {formatPath, parsePath} from '../paths.js'
import type {Fact, ListPath} from './collector.js'
import type {Source} from './types.js'
import {compareNames, compareText} from '../order.js'

/** The schema of a manifest path (list indexes skipped: tools.mcpServers.pinned). */
export const schemaAt = nodeAtManifestPath

/** Compare two values of a field: > 0 when `a` grants more than `b` (the schema's x-leash-risk-order). */
export function compareRisk(path: string, a: unknown, b: unknown): number {
  const s = schemaAt(path)
  if (typeof a === 'boolean' && typeof b === 'boolean' && a !== b && !Array.isArray(s?.['x-leash-risk-order'])) {
    throw new Error(`detect: no risk direction for boolean ${path}`)
  }
  const c = s ? compareNodes(s, a, b) : 0
  if (c !== 0 || a === b || typeof a !== 'string' || typeof b !== 'string') return c
  // unordered values: deterministic, the first in the schema's enum order (or alphabetically) wins
  if (s?.enum) return s.enum.indexOf(b) - s.enum.indexOf(a)
  return compareText(b, a)
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
  const sorted = [...groups].sort((a, b) => Number(pinned(a)) - Number(pinned(b)) || compareNames(a.key, b.key))
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
    let groups = [...lists.get(list)!.values()].sort((a, b) => compareNames(a.key, b.key))
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
      compareText(a.fact, b.fact) ||
      compareText(a.file, b.file) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(JSON.stringify(a.value), JSON.stringify(b.value)) ||
      compareText(a.text, b.text),
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
