/**
 * The condition language of docs/rules.md, evaluated with three-valued logic over a manifest.
 * No eval: a condition is data, matched by shape. Each result carries the leaves that support it,
 * which become a finding's `because` and a report's open questions.
 */
import {getAt, parsePath, type Path, type PathSegment} from './paths.js'

export type Truth = 'true' | 'false' | 'unknown'

export type Leaf = {
  path: string
  ifAbsent?: boolean
  equals?: string | number | boolean
  oneOf?: (string | number | boolean)[]
  contains?: string
  containsAny?: string[]
  nonEmpty?: boolean
  absent?: boolean
  present?: boolean
  gt?: number
  gte?: number
  lt?: number
  lte?: number
  durationGt?: string
  durationGte?: string
  durationLt?: string
  durationLte?: string
  matches?: string
}

export type Condition =
  | {all: Condition[]}
  | {any: Condition[]}
  | {not: Condition}
  | {anyItem: string; where: Condition; ifAbsent?: boolean}
  | {allItems: string; where: Condition; ifAbsent?: boolean}
  | Leaf

/** A leaf as evaluated: where it looked, what it found, what it answered. */
export interface Evidence {
  path: PathSegment[]
  found: boolean
  value: unknown
  truth: Truth
}

export interface Evaluation {
  truth: Truth
  /** The leaves that justify `truth`. */
  support: Evidence[]
}

const SECONDS: Record<string, number> = {Y: 365 * 86_400, M: 30 * 86_400, W: 7 * 86_400, D: 86_400}
const TIME_SECONDS: Record<string, number> = {H: 3600, M: 60, S: 1}

/** ISO 8601 duration in seconds (years as 365 days, months as 30), or NaN. */
export function durationSeconds(text: string): number {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text)
  if (!m || text === 'P' || text.endsWith('T')) return Number.NaN
  const [, y, mo, w, d, h, mi, s] = m
  return (
    Number(y ?? 0) * SECONDS.Y +
    Number(mo ?? 0) * SECONDS.M +
    Number(w ?? 0) * SECONDS.W +
    Number(d ?? 0) * SECONDS.D +
    Number(h ?? 0) * TIME_SECONDS.H +
    Number(mi ?? 0) * TIME_SECONDS.M +
    Number(s ?? 0) * TIME_SECONDS.S
  )
}

const fromBool = (b: boolean): Truth => (b ? 'true' : 'false')

const parsedPaths = new Map<string, PathSegment[]>()
function segments(path: string): PathSegment[] {
  let p = parsedPaths.get(path)
  if (!p) {
    p = parsePath(path)
    parsedPaths.set(path, p)
  }
  return p
}

function evalLeaf(leaf: Leaf, value: unknown): Truth {
  if (leaf.equals !== undefined) return fromBool(value === leaf.equals)
  if (leaf.oneOf !== undefined) return fromBool(leaf.oneOf.includes(value as string))
  if (leaf.contains !== undefined) return fromBool(Array.isArray(value) ? value.includes(leaf.contains) : false)
  if (leaf.containsAny !== undefined) return fromBool(Array.isArray(value) && leaf.containsAny.some((v) => value.includes(v)))
  if (leaf.nonEmpty !== undefined) return fromBool((Array.isArray(value) && value.length > 0) === leaf.nonEmpty)
  if (leaf.matches !== undefined) {
    const re = new RegExp(leaf.matches)
    const values = Array.isArray(value) ? value : [value]
    return fromBool(values.some((v) => typeof v === 'string' && re.test(v)))
  }
  const numeric: [keyof Leaf, (a: number, b: number) => boolean][] = [
    ['gt', (a, b) => a > b],
    ['gte', (a, b) => a >= b],
    ['lt', (a, b) => a < b],
    ['lte', (a, b) => a <= b],
  ]
  for (const [key, cmp] of numeric) {
    const bound = leaf[key]
    if (bound !== undefined) return fromBool(typeof value === 'number' && cmp(value, bound as number))
  }
  const durations: [keyof Leaf, (a: number, b: number) => boolean][] = [
    ['durationGt', (a, b) => a > b],
    ['durationGte', (a, b) => a >= b],
    ['durationLt', (a, b) => a < b],
    ['durationLte', (a, b) => a <= b],
  ]
  for (const [key, cmp] of durations) {
    const bound = leaf[key]
    if (bound !== undefined) {
      const a = typeof value === 'string' ? durationSeconds(value) : Number.NaN
      return Number.isNaN(a) ? 'unknown' : fromBool(cmp(a, durationSeconds(bound as string)))
    }
  }
  throw new Error(`condition on "${leaf.path}" has no operator`)
}

function combine(children: Evaluation[], op: 'all' | 'any'): Evaluation {
  const decisive: Truth = op === 'all' ? 'false' : 'true'
  const pick = (t: Truth) => children.filter((c) => c.truth === t).flatMap((c) => c.support)
  if (children.some((c) => c.truth === decisive)) return {truth: decisive, support: pick(decisive)}
  if (children.some((c) => c.truth === 'unknown')) return {truth: 'unknown', support: pick('unknown')}
  return {truth: op === 'all' ? 'true' : 'false', support: children.flatMap((c) => c.support)}
}

const not = (t: Truth): Truth => (t === 'true' ? 'false' : t === 'false' ? 'true' : 'unknown')

/** Evaluate a condition against a value; paths are relative to `base` within `root`. */
export function evaluate(condition: Condition, root: unknown, base: Path = []): Evaluation {
  if ('all' in condition)
    return combine(
      condition.all.map((c) => evaluate(c, root, base)),
      'all',
    )
  if ('any' in condition)
    return combine(
      condition.any.map((c) => evaluate(c, root, base)),
      'any',
    )
  if ('not' in condition) {
    const inner = evaluate(condition.not, root, base)
    return {truth: not(inner.truth), support: inner.support}
  }
  if ('anyItem' in condition || 'allItems' in condition) {
    const listPath = [...base, ...segments('anyItem' in condition ? condition.anyItem : condition.allItems)]
    const got = getAt(root, listPath)
    if (!got.found || !Array.isArray(got.value)) {
      const truth: Truth = got.found ? 'false' : condition.ifAbsent === undefined ? 'unknown' : fromBool(condition.ifAbsent)
      return {truth, support: [{path: listPath, found: got.found, value: got.found ? got.value : null, truth}]}
    }
    if (got.value.length === 0) {
      const truth = fromBool('allItems' in condition)
      return {truth, support: [{path: listPath, found: true, value: [], truth}]}
    }
    const items = got.value.map((_, i) => evaluate(condition.where, root, [...listPath, i]))
    return combine(items, 'anyItem' in condition ? 'any' : 'all')
  }
  const leaf = condition as Leaf
  const path = [...base, ...segments(leaf.path)]
  const got = getAt(root, path)
  let truth: Truth
  if (leaf.absent !== undefined) truth = fromBool(!got.found === leaf.absent)
  else if (leaf.present !== undefined) truth = fromBool(got.found === leaf.present)
  else if (!got.found) truth = leaf.ifAbsent === undefined ? 'unknown' : fromBool(leaf.ifAbsent)
  else truth = evalLeaf(leaf, got.value)
  return {truth, support: [{path, found: got.found, value: got.found ? got.value : null, truth}]}
}

/** Every path a condition reads, as written (relative paths joined to their list with `[]`). */
export function conditionPaths(condition: Condition, prefix = ''): string[] {
  const join = (p: string) => (prefix ? `${prefix}[].${p}` : p)
  if ('all' in condition) return condition.all.flatMap((c) => conditionPaths(c, prefix))
  if ('any' in condition) return condition.any.flatMap((c) => conditionPaths(c, prefix))
  if ('not' in condition) return conditionPaths(condition.not, prefix)
  if ('anyItem' in condition) return [join(condition.anyItem), ...conditionPaths(condition.where, join(condition.anyItem))]
  if ('allItems' in condition) return [join(condition.allItems), ...conditionPaths(condition.where, join(condition.allItems))]
  return [join(condition.path)]
}
