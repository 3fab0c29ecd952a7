/**
 * Parsed configuration files with positions: YAML and JSON through document.ts (the project's
 * input limits), JSONC (comments, trailing commas) through jsonc-parser with the same limits,
 * TOML through smol-toml with a line finder. A file that cannot be used throws InputError;
 * readers turn that into warnings.
 */
import {findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError} from 'jsonc-parser'
import {parse as parseToml, TomlError} from 'smol-toml'
import {DEFAULT_LIMITS, FORBIDDEN_KEYS, forbiddenKey, parseText, type Position} from '../document.js'
import {InputError, type Diagnostic} from '../errors.js'
import {formatPath, type Path, type PathSegment} from '../paths.js'
import type {Origin} from './collector.js'
import type {ConfigFile} from './types.js'

export interface SourceDoc {
  file: string
  text: string
  value: unknown
  /** Position of the value at `path`, else of its closest present ancestor (1:1 at worst). */
  at(path: Path): Position
  /** Position of the key of the last segment, when it is a key. */
  keyAt(path: Path): Position
  /** An origin at `path`; the text defaults to the source line there. */
  origin(path: Path, text?: string): Origin
  /** The trimmed source line (1-based). */
  line(n: number): string
}

function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1)
  return starts
}

function positionOf(starts: number[], offset: number): Position {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid] <= offset) lo = mid
    else hi = mid - 1
  }
  return {line: lo + 1, column: offset - starts[lo] + 1}
}

function makeDoc(file: string, text: string, value: unknown, at: SourceDoc['at'], keyAt: SourceDoc['keyAt']): SourceDoc {
  const lines = text.split(/\r?\n/)
  const line = (n: number): string => (lines[n - 1] ?? '').trim()
  return {
    file,
    text,
    value,
    at,
    keyAt,
    line,
    origin(path, shown) {
      const pos = typeof path[path.length - 1] === 'string' ? keyAt(path) : at(path)
      return {file, line: pos.line, column: pos.column, text: shown ?? line(pos.line)}
    },
  }
}

function diag(code: string, file: string, message: string, pos: Position = {line: 1, column: 1}, path = ''): Diagnostic {
  return {code, file, line: pos.line, column: pos.column, path, message}
}

/** YAML (or JSON written as YAML) through the project's safe parser. */
export function parseYamlDoc(file: ConfigFile): SourceDoc {
  const doc = parseText(file.text, file.path)
  return makeDoc(
    file.path,
    file.text,
    doc.value,
    (p) => doc.locate(p),
    (p) => doc.locateKey(p),
  )
}

/** JSON with comments and trailing commas, within the same limits as parseText. */
export function parseJsoncDoc(file: ConfigFile): SourceDoc {
  const {text, path} = file
  const size = Buffer.byteLength(text, 'utf8')
  if (size > DEFAULT_LIMITS.maxBytes) {
    throw new InputError(diag('limit-size', path, `the file is ${size} bytes, over the limit of ${DEFAULT_LIMITS.maxBytes} bytes`))
  }
  const starts = lineStarts(text)
  const pos = (offset: number): Position => positionOf(starts, offset)
  // bracket depth before parsing, so that the parser never recurses into a pathological file
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    else if (ch === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i)
      i = nl < 0 ? text.length : nl
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 1
    } else if (ch === '{' || ch === '[') {
      if (++depth > DEFAULT_LIMITS.maxDepth) {
        throw new InputError(diag('limit-depth', path, `nesting is deeper than the limit of ${DEFAULT_LIMITS.maxDepth} levels`, pos(i)))
      }
    } else if (ch === '}' || ch === ']') depth = Math.max(0, depth - 1)
  }
  const errors: ParseError[] = []
  const root = parseTree(text, errors, {allowTrailingComma: true, disallowComments: false})
  if (errors.length > 0 || !root) {
    const list = errors.map((e) =>
      diag('syntax', path, `not valid JSON: ${describeJsonError(printParseErrorCode(e.error))}`, pos(e.offset)),
    )
    throw new InputError(list.length > 0 ? list : diag('syntax', path, 'not valid JSON: the file is empty'))
  }
  const problems: Diagnostic[] = []
  let nodes = 0
  const toValue = (node: Node, trail: PathSegment[]): unknown => {
    if (++nodes > DEFAULT_LIMITS.maxNodes) {
      throw new InputError(diag('limit-size', path, `more than ${DEFAULT_LIMITS.maxNodes} values`, pos(node.offset)))
    }
    switch (node.type) {
      case 'object': {
        const out: Record<string, unknown> = {}
        const seen = new Map<string, number>()
        for (const prop of node.children ?? []) {
          const [keyNode, valueNode] = prop.children ?? []
          if (!keyNode) continue
          const key = String(keyNode.value)
          if (FORBIDDEN_KEYS.has(key)) {
            throw forbiddenKey(path, key, pos(keyNode.offset), formatPath([...trail, key]))
          }
          const first = seen.get(key)
          if (first !== undefined) {
            problems.push(
              diag(
                'duplicate-key',
                path,
                `the key "${key}" appears twice (lines ${pos(first).line} and ${pos(keyNode.offset).line}); the last one is used`,
                pos(keyNode.offset),
                formatPath([...trail, key]),
              ),
            )
          }
          seen.set(key, keyNode.offset)
          out[key] = valueNode ? toValue(valueNode, [...trail, key]) : null
        }
        return out
      }
      case 'array':
        return (node.children ?? []).map((child, i) => toValue(child, [...trail, i]))
      default:
        return node.value
    }
  }
  const value = toValue(root, [])
  const locate = (p: Path, key: boolean): Position => {
    for (let n = p.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, p.slice(0, n) as PathSegment[])
      if (!node) continue
      if (key && n === p.length && node.parent?.type === 'property' && node.parent.children?.[0]) {
        return pos(node.parent.children[0].offset)
      }
      if (n < p.length && node.parent?.type === 'property' && node.parent.children?.[0]) return pos(node.parent.children[0].offset)
      return pos(node.offset)
    }
    return {line: 1, column: 1}
  }
  const doc = makeDoc(
    path,
    text,
    value,
    (p) => locate(p, false),
    (p) => locate(p, true),
  )
  ;(doc as SourceDoc & {problems: Diagnostic[]}).problems = problems
  return doc
}

/** Non-fatal problems found while parsing (duplicate keys). */
export function problemsOf(doc: SourceDoc): Diagnostic[] {
  return (doc as SourceDoc & {problems?: Diagnostic[]}).problems ?? []
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

/** TOML (Codex config.toml) within the same limits; positions come from a line search. */
export function parseTomlDoc(file: ConfigFile): SourceDoc {
  const {text, path} = file
  const size = Buffer.byteLength(text, 'utf8')
  if (size > DEFAULT_LIMITS.maxBytes) {
    throw new InputError(diag('limit-size', path, `the file is ${size} bytes, over the limit of ${DEFAULT_LIMITS.maxBytes} bytes`))
  }
  let value: unknown
  try {
    value = parseToml(text, {maxDepth: DEFAULT_LIMITS.maxDepth})
  } catch (error) {
    if (error instanceof TomlError) {
      throw new InputError(
        diag('syntax', path, `not valid TOML: ${error.message.split('\n')[0].replace(/^Invalid TOML document: /, '')}`, {
          line: error.line || 1,
          column: error.column || 1,
        }),
      )
    }
    throw new InputError(diag('syntax', path, `not valid TOML: ${(error as Error).message.split('\n')[0]}`))
  }
  // forbidden keys and size, walking iteratively
  let nodes = 0
  const stack: {v: unknown; p: PathSegment[]}[] = [{v: value, p: []}]
  while (stack.length > 0) {
    const {v, p} = stack.pop()!
    if (++nodes > DEFAULT_LIMITS.maxNodes) throw new InputError(diag('limit-size', path, `more than ${DEFAULT_LIMITS.maxNodes} values`))
    if (p.length > DEFAULT_LIMITS.maxDepth)
      throw new InputError(diag('limit-depth', path, `nesting is deeper than the limit of ${DEFAULT_LIMITS.maxDepth} levels`))
    if (v === null || typeof v !== 'object' || v instanceof Date) continue
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({v: x, p: [...p, i]}))
    else {
      for (const key of Object.keys(v)) {
        if (FORBIDDEN_KEYS.has(key)) {
          const at = tomlLocate(text, [...p, key])
          throw new InputError(
            diag(
              'forbidden-key',
              path,
              `the key "${key}" is not allowed (it could reach an object prototype)`,
              at,
              formatPath([...p, key]),
            ),
          )
        }
        stack.push({v: (v as Record<string, unknown>)[key], p: [...p, key]})
      }
    }
  }
  // smol-toml may build objects without a prototype: copy into plain objects
  const plain = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(plain)
    if (v instanceof Date) return v.toISOString()
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[k] = plain(x)
      return out
    }
    return v
  }
  value = plain(value)
  const at = (p: Path): Position => tomlLocate(text, p)
  return makeDoc(path, text, value, at, at)
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? escapeRe(k) : `["']${escapeRe(k)}["']`
}

/**
 * Where a dotted TOML path is: a `[table]` header or `key =` inside the right table, also in
 * dotted-key and inline-table forms. Falls back to the closest table header, then 1:1.
 */
export function tomlLocate(text: string, path: Path): Position {
  const lines = text.split(/\r?\n/)
  const keys = path.filter((s): s is string => typeof s === 'string')
  if (keys.length === 0) return {line: 1, column: 1}
  let best: Position = {line: 1, column: 1}
  let bestDepth = 0
  let table: string[] = []
  const headerRe = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const header = headerRe.exec(line)
    if (header) {
      table = splitDotted(header[1])
      const n = commonPrefix(table, keys)
      if (n === table.length && n > bestDepth) {
        best = {line: i + 1, column: line.indexOf('[') + 1}
        bestDepth = n
      }
      continue
    }
    if (commonPrefix(table, keys) !== table.length) continue
    const rest = keys.slice(table.length)
    if (rest.length === 0) continue
    // key = … or a.b.c = … (dotted keys) inside this table
    const m = /^\s*([A-Za-z0-9_."' -]+?)\s*=/.exec(line)
    if (!m) continue
    const lhs = splitDotted(m[1])
    const n = commonPrefix(lhs, rest)
    if (n > 0 && table.length + n > bestDepth) {
      best = {line: i + 1, column: line.search(/\S/) + 1}
      bestDepth = table.length + n
      // inline tables: `github = { command = "npx" }` holds the rest of the path on this line
      if (n === lhs.length && n < rest.length) {
        let deeper = table.length + n
        for (const k of rest.slice(n)) {
          const km = new RegExp(`(?:^|[{,\\s])${tomlKey(k)}\\s*=`).exec(line.slice(m[0].length - 1))
          if (!km) break
          deeper++
        }
        bestDepth = deeper
      }
    }
  }
  return best
}

function splitDotted(s: string): string[] {
  const out: string[] = []
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy
  let m: RegExpExecArray | null
  while ((m = re.exec(s)) !== null && m[0] !== '') out.push(m[1] ?? m[2] ?? m[3])
  return out
}

function commonPrefix(a: string[], b: string[]): number {
  let n = 0
  while (n < a.length && n < b.length && a[n] === b[n]) n++
  return n
}

/** Small typed accessors for untyped parsed values. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined
}

export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  return []
}

export function obj(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {}
}
