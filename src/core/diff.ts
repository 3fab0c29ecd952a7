/**
 * Privilege comparison between two manifests, read only from the risk order the schema declares
 * (`x-leash-risk-order` on each field, `x-leash-unordered` where no order makes sense):
 * enums by position, booleans and numbers by direction, durations by length, lists by
 * inclusion, allowlists by pattern containment, lists of named objects item by item.
 * An absent field is unknown, which counts as the riskiest value. `diff` and drift both use it.
 */
import {compareRisk, MANIFEST_SCHEMA as root, resolveNode as resolve, type SchemaNode} from './manifest-schema.js'
import {formatPath, type PathSegment} from './paths.js'

export type Direction = 'widened' | 'narrowed' | 'changed'

export interface Change {
  path: string
  old: unknown
  new: unknown
  direction: Direction
  /** For list items added or removed, the item's name or value. */
  item?: string
}

/** -1: a is less risky than b, 0: same, 1: riskier. `undefined` (unknown) is the riskiest. */
function compare(node: SchemaNode, a: unknown, b: unknown): number {
  if (a === undefined && b === undefined) return 0
  if (a === undefined) return 1
  if (b === undefined) return -1
  return compareRisk(node, a, b)
}

/** A command allowlist pattern as a literal or a prefix: `Bash(npm run:*)`, `npm run *`, `git diff`. */
function pattern(text: string): {prefix: string; wildcard: boolean} {
  let p = text.trim()
  const bash = /^Bash\((.*)\)$/.exec(p)
  if (bash) p = bash[1]
  if (p === '' || p === '*') return {prefix: '', wildcard: true}
  const wild = /(:\*|\s\*|\*)$/.exec(p)
  return wild ? {prefix: p.slice(0, wild.index).trim(), wildcard: true} : {prefix: p, wildcard: false}
}

/** Does allowlist entry `outer` allow everything `inner` allows? */
export function patternContains(outer: string, inner: string): boolean {
  const o = pattern(outer)
  const i = pattern(inner)
  if (!o.wildcard) return !i.wildcard && o.prefix === i.prefix
  if (o.prefix === '') return true
  return (
    i.prefix === o.prefix ||
    i.prefix.startsWith(`${o.prefix} `) ||
    i.prefix.startsWith(`${o.prefix}.`) ||
    (o.prefix.endsWith('.') && i.prefix.startsWith(o.prefix))
  )
}

function itemLabel(item: unknown, key?: string): string {
  if (key && item && typeof item === 'object') return String((item as Record<string, unknown>)[key])
  return typeof item === 'string' ? item : JSON.stringify(item)
}

function walk(node: SchemaNode, a: unknown, b: unknown, path: PathSegment[], out: Change[]): void {
  node = resolve(node)
  if (node['x-leash-unordered']) return
  const order = node['x-leash-risk-order']
  if (node.type === 'object' && node.properties) {
    if (a === undefined && b === undefined) return
    const ao = (a ?? {}) as Record<string, unknown>
    const bo = (b ?? {}) as Record<string, unknown>
    for (const [key, child] of Object.entries(node.properties)) {
      const onlyWhen = child['x-leash-only-when']
      const applies = (o: Record<string, unknown>) => !onlyWhen || Object.entries(onlyWhen).every(([k, v]) => o[k] === v)
      // an allowlist is compared only while both sides use it; a change of mode shows on the mode itself
      if (applies(ao) && applies(bo)) walk(child, ao[key], bo[key], [...path, key], out)
    }
    return
  }
  if (node.type === 'array') {
    if (a === undefined && b === undefined) return
    if (a === undefined || b === undefined) {
      const direction: Direction = a === undefined ? 'narrowed' : 'widened'
      out.push({path: formatPath(path), old: a ?? null, new: b ?? null, direction})
      return
    }
    const al = a as unknown[]
    const bl = b as unknown[]
    const key = node['x-leash-key']
    if (key && node.items) {
      const byKey = new Map(al.map((item) => [itemLabel(item, key), item]))
      bl.forEach((item, i) => {
        const label = itemLabel(item, key)
        if (!byKey.has(label)) out.push({path: formatPath([...path, i]), old: null, new: item, direction: 'widened', item: label})
        else walk(node.items!, byKey.get(label), item, [...path, i], out)
      })
      const names = new Set(bl.map((item) => itemLabel(item, key)))
      al.forEach((item, i) => {
        const label = itemLabel(item, key)
        if (!names.has(label)) out.push({path: formatPath([...path, i]), old: item, new: null, direction: 'narrowed', item: label})
      })
      return
    }
    if (order === 'max' && node.items) {
      // the list is as risky as its riskiest item (triggers: adding `manual` widens nothing)
      const items = resolve(node.items)['x-leash-risk-order'] as unknown[]
      const max = (list: unknown[]) => Math.max(-1, ...list.map((v) => items.indexOf(v)))
      const [ma, mb] = [max(al), max(bl)]
      if (ma !== mb)
        out.push({
          path: formatPath(path),
          old: al,
          new: bl,
          direction: mb > ma ? 'widened' : 'narrowed',
          item: String(items[Math.max(ma, mb)]),
        })
      else if (al.length !== bl.length || al.some((v) => !bl.includes(v)))
        out.push({path: formatPath(path), old: al, new: bl, direction: 'changed'})
      return
    }
    const contains =
      order === 'pattern'
        ? (list: unknown[], v: unknown) => list.some((x) => patternContains(String(x), String(v)))
        : (list: unknown[], v: unknown) => list.includes(v)
    for (const v of bl) if (!contains(al, v)) out.push({path: formatPath(path), old: al, new: bl, direction: 'widened', item: itemLabel(v)})
    for (const v of al)
      if (!contains(bl, v)) out.push({path: formatPath(path), old: al, new: bl, direction: 'narrowed', item: itemLabel(v)})
    return
  }
  if (order === undefined) {
    if (a !== b && a !== undefined && b !== undefined) out.push({path: formatPath(path), old: a, new: b, direction: 'changed'})
    return
  }
  const c = compare(node, a, b)
  if (c === 0) {
    if (a !== b) out.push({path: formatPath(path), old: a ?? null, new: b ?? null, direction: 'changed'})
    return
  }
  out.push({path: formatPath(path), old: a ?? null, new: b ?? null, direction: c < 0 ? 'widened' : 'narrowed'})
}

/** Every privilege that widened, narrowed or changed from `before` to `after`, in schema order. */
export function diffManifests(before: unknown, after: unknown): Change[] {
  const out: Change[] = []
  walk(root, before, after, [], out)
  return out
}

/** Every enum, boolean, number, duration and list of the schema has an order or is marked unordered. */
export function unorderedFields(): string[] {
  const missing: string[] = []
  const visit = (raw: SchemaNode, path: string) => {
    const node = resolve(raw)
    if (node['x-leash-unordered'] || node['x-leash-risk-order'] !== undefined) {
      if (node.type === 'array' && node.items) visit(node.items, `${path}[]`)
      else if (node.type === 'object' && node.properties) for (const [k, v] of Object.entries(node.properties)) visit(v, `${path}.${k}`)
      return
    }
    if (node.type === 'object' && node.properties) for (const [k, v] of Object.entries(node.properties)) visit(v, path ? `${path}.${k}` : k)
    else if (node.type === 'array' && node.items) visit(node.items, `${path}[]`)
    else if (!('const' in node)) missing.push(path)
  }
  visit(root, '')
  return missing
}
