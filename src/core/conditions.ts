/**
 * The condition language of docs/rules.md, evaluated with three-valued logic over a manifest.
 * No eval: a condition is data, matched by shape. Each result carries the leaves that support it,
 * which become a finding's `because` and a report's open questions.
 */
import {getAt, parsePath, valueAt, type Path, type PathSegment} from './paths.js'

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

/** Durations of manifest values, which repeat across a batch: parsed once each (bounded). */
const durations = new Map<string, number>()
function durationOf(text: string): number {
  let seconds = durations.get(text)
  if (seconds === undefined) {
    seconds = durationSeconds(text)
    if (durations.size < 10_000) durations.set(text, seconds)
  }
  return seconds
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

/** A leaf's test on a present value, chosen once per leaf. */
function leafTest(leaf: Leaf): (value: unknown) => Truth {
  if (leaf.equals !== undefined) {
    const want = leaf.equals
    return (v) => fromBool(v === want)
  }
  if (leaf.oneOf !== undefined) {
    const set = new Set<unknown>(leaf.oneOf)
    return (v) => fromBool(set.has(v))
  }
  if (leaf.contains !== undefined) {
    const want = leaf.contains
    return (v) => fromBool(Array.isArray(v) && v.includes(want))
  }
  if (leaf.containsAny !== undefined) {
    const wanted = leaf.containsAny
    return (v) => fromBool(Array.isArray(v) && wanted.some((w) => v.includes(w)))
  }
  if (leaf.nonEmpty !== undefined) {
    const want = leaf.nonEmpty
    return (v) => fromBool((Array.isArray(v) && v.length > 0) === want)
  }
  if (leaf.matches !== undefined) {
    const re = new RegExp(leaf.matches)
    return (v) => fromBool((Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && re.test(x)))
  }
  const numeric: [keyof Leaf, (a: number, b: number) => boolean][] = [
    ['gt', (a, b) => a > b],
    ['gte', (a, b) => a >= b],
    ['lt', (a, b) => a < b],
    ['lte', (a, b) => a <= b],
  ]
  for (const [key, cmp] of numeric) {
    const bound = leaf[key] as number | undefined
    if (bound !== undefined) return (v) => fromBool(typeof v === 'number' && cmp(v, bound))
  }
  const durations: [keyof Leaf, (a: number, b: number) => boolean][] = [
    ['durationGt', (a, b) => a > b],
    ['durationGte', (a, b) => a >= b],
    ['durationLt', (a, b) => a < b],
    ['durationLte', (a, b) => a <= b],
  ]
  for (const [key, cmp] of durations) {
    const bound = leaf[key] as string | undefined
    if (bound !== undefined) {
      const limit = durationSeconds(bound)
      return (v) => {
        const a = typeof v === 'string' ? durationOf(v) : Number.NaN
        return Number.isNaN(a) ? 'unknown' : fromBool(cmp(a, limit))
      }
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

type Compiled = (root: unknown, base: Path) => Evaluation

/** Conditions are compiled once into closures (the catalog is evaluated for every manifest). */
const compiled = new WeakMap<Condition, Compiled>()

function compile(condition: Condition): Compiled {
  const cached = compiled.get(condition)
  if (cached) return cached
  let fn: Compiled
  if ('all' in condition || 'any' in condition) {
    const op = 'all' in condition ? 'all' : 'any'
    const parts = ('all' in condition ? condition.all : condition.any).map(compile)
    fn = (root, base) =>
      combine(
        parts.map((p) => p(root, base)),
        op,
      )
  } else if ('not' in condition) {
    const inner = compile(condition.not)
    fn = (root, base) => {
      const r = inner(root, base)
      return {truth: not(r.truth), support: r.support}
    }
  } else if ('anyItem' in condition || 'allItems' in condition) {
    const any = 'anyItem' in condition
    const segs = segments(any ? condition.anyItem : condition.allItems)
    const where = compile(condition.where)
    const ifAbsent = condition.ifAbsent
    fn = (root, base) => {
      const listPath = base.length === 0 ? segs : [...base, ...segs]
      const got = getAt(root, listPath)
      if (!got.found || !Array.isArray(got.value)) {
        const truth: Truth = got.found ? 'false' : ifAbsent === undefined ? 'unknown' : fromBool(ifAbsent)
        return {truth, support: [{path: listPath, found: got.found, value: got.found ? got.value : null, truth}]}
      }
      if (got.value.length === 0) {
        const truth = fromBool(!any)
        return {truth, support: [{path: listPath, found: true, value: [], truth}]}
      }
      return combine(
        got.value.map((_, i) => where(root, [...listPath, i])),
        any ? 'any' : 'all',
      )
    }
  } else {
    const leaf = condition as Leaf
    const segs = segments(leaf.path)
    const {absent, present, ifAbsent} = leaf
    const test = absent === undefined && present === undefined ? leafTest(leaf) : undefined
    fn = (root, base) => {
      const path = base.length === 0 ? segs : [...base, ...segs]
      const got = getAt(root, path)
      let truth: Truth
      if (absent !== undefined) truth = fromBool(!got.found === absent)
      else if (present !== undefined) truth = fromBool(got.found === present)
      else if (!got.found) truth = ifAbsent === undefined ? 'unknown' : fromBool(ifAbsent)
      else truth = test!(got.value)
      return {truth, support: [{path, found: got.found, value: got.found ? got.value : null, truth}]}
    }
  }
  compiled.set(condition, fn)
  return fn
}

type CompiledTruth = (root: unknown, base: Path) => Truth
const NO_PATH: Path = []

/** The same logic without the supporting evidence, for callers that need only the answer. */
const compiledTruth = new WeakMap<Condition, CompiledTruth>()

function compileTruth(condition: Condition): CompiledTruth {
  const cached = compiledTruth.get(condition)
  if (cached) return cached
  let fn: CompiledTruth
  if ('all' in condition || 'any' in condition) {
    const all = 'all' in condition
    const parts = (all ? condition.all : condition.any).map(compileTruth)
    const decisive: Truth = all ? 'false' : 'true'
    fn = (root, base) => {
      let unknown = false
      for (const p of parts) {
        const t = p(root, base)
        if (t === decisive) return decisive
        if (t === 'unknown') unknown = true
      }
      return unknown ? 'unknown' : all ? 'true' : 'false'
    }
  } else if ('not' in condition) {
    const inner = compileTruth(condition.not)
    fn = (root, base) => not(inner(root, base))
  } else if ('anyItem' in condition || 'allItems' in condition) {
    const any = 'anyItem' in condition
    const segs = segments(any ? condition.anyItem : condition.allItems)
    const where = compileTruth(condition.where)
    const ifAbsent = condition.ifAbsent
    fn = (root, base) => {
      const list = valueAt(root, base, segs)
      if (list === undefined || !Array.isArray(list))
        return list !== undefined ? 'false' : ifAbsent === undefined ? 'unknown' : fromBool(ifAbsent)
      let unknown = false
      // an item's paths are relative to it: the item is the root of its own evaluation
      for (const item of list as unknown[]) {
        const t = where(item, NO_PATH)
        if (t === (any ? 'true' : 'false')) return t
        if (t === 'unknown') unknown = true
      }
      return unknown ? 'unknown' : fromBool(!any)
    }
  } else {
    const leaf = condition as Leaf
    const segs = segments(leaf.path)
    const {absent, present, ifAbsent} = leaf
    const test = absent === undefined && present === undefined ? leafTest(leaf) : undefined
    fn = (root, base) => {
      const value = valueAt(root, base, segs)
      if (absent !== undefined) return fromBool((value === undefined) === absent)
      if (present !== undefined) return fromBool((value !== undefined) === present)
      if (value === undefined) return ifAbsent === undefined ? 'unknown' : fromBool(ifAbsent)
      return test!(value)
    }
  }
  compiledTruth.set(condition, fn)
  return fn
}

/** Only the answer of a condition (what `evaluate(...).truth` gives, without building evidence). */
export function truthOf(condition: Condition, root: unknown, base: Path = []): Truth {
  return compileTruth(condition)(root, base)
}

/** Evaluate a condition against a value; paths are relative to `base` within `root`. */
export function evaluate(condition: Condition, root: unknown, base: Path = []): Evaluation {
  return compile(condition)(root, base)
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
