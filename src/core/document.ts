/**
 * Turning the bytes of a YAML or JSON file into a value, safely: strict UTF-8, size, nesting,
 * alias expansion, duplicate and prototype-polluting keys all bounded, and every problem located
 * at a line and column. Pure: the caller reads the file.
 *
 * Valid YAML takes a fast path (js-yaml, core schema, no positions); positions are computed with
 * the `yaml` package only for documents that have something to report (see locate()).
 */
import jsYaml from 'js-yaml'
import type {CST, Document, LineCounter, Node} from 'yaml'
import {InputError, type Diagnostic} from './errors.js'
import {formatPath, type Path, type PathSegment} from './paths.js'
import {cstWalk, type CstWalk} from './yaml-cst.js'
import {yamlLib, yamlParser} from './yaml.js'

export interface Limits {
  /** Largest file, in bytes. */
  maxBytes: number
  /** Deepest nesting of mappings and sequences. */
  maxDepth: number
  /** Most alias references (`*name`) in one document. */
  maxAliases: number
  /** Most nodes once aliases are expanded (what a consumer would walk). */
  maxNodes: number
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliases: 100,
  maxNodes: 100_000,
})

/** Keys that could reach an object's prototype in code that merges input into objects. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** The refusal of a forbidden key, for every reader. */
export function forbiddenKey(file: string, key: string, at: Position, path: string): InputError {
  return new InputError(diag('forbidden-key', file, `the key "${key}" is not allowed (it could reach an object prototype)`, at, path))
}

export interface Position {
  line: number
  column: number
}

export interface ParsedDocument {
  file: string
  text: string
  value: unknown
  /**
   * Where a path is: the value's position when present, else the key of the closest present
   * ancestor (1:1 when nothing of the path is present). `found` says whether the whole path was.
   */
  locate(path: Path): Position & {found: boolean}
  /** Where a mapping key is (for unknown or forbidden keys); falls back to locate(). */
  locateKey(path: Path): Position
  /** The source text of a scalar (to read `version: 1.10` as "1.10"), if present. */
  sourceOf(path: Path): string | undefined
}

const BOM = 0xfeff

/** Strict UTF-8 decode; refuses binary content. A UTF-8 BOM is dropped. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.includes(0)) {
    throw new InputError(diag('binary', file, 'the file holds binary data (a NUL byte), not YAML or JSON text'))
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(bytes)
  } catch {
    throw new InputError(diag('encoding', file, 'the file is not valid UTF-8 text'))
  }
  return text.charCodeAt(0) === BOM ? text.slice(1) : text
}

function diag(code: string, file: string, message: string, pos: Position = {line: 0, column: 0}, path = ''): Diagnostic {
  return {code, file, line: pos.line, column: pos.column, path, message}
}

/**
 * Quick scan for nesting, so that no parser recurses into a pathological document: flow
 * collections (`[[[…`) by their brackets, block collections by their indentation and compact
 * sequence indicators (`- - - …`).
 */
function checkDepth(text: string, file: string, limits: Limits): void {
  const fail = (line: number, column: number): never => {
    throw new InputError(diag('limit-depth', file, `nesting is deeper than the limit of ${limits.maxDepth} levels`, {line, column}))
  }
  let flow = 0
  let quote = ''
  const blocks: number[] = []
  let line = 0
  let lineStart = 0
  while (lineStart <= text.length) {
    line++
    let end = text.indexOf('\n', lineStart)
    if (end < 0) end = text.length
    // Block nesting: the indentation, then each compact `- ` or `? ` indicator opens a level.
    if (flow === 0 && !quote) {
      let i = lineStart
      while (i < end && text[i] === ' ') i++
      if (i < end && text[i] !== '#' && text[i] !== '\r') {
        const columns = [i - lineStart]
        while (i + 1 < end && (text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
          i += 2
          while (i < end && text[i] === ' ') i++
          columns.push(i - lineStart)
        }
        while (blocks.length > 0 && blocks[blocks.length - 1] >= columns[0]) blocks.pop()
        for (const column of columns) if (blocks.push(column) > limits.maxDepth) fail(line, column + 1)
      }
    }
    // Flow nesting: brackets outside quoted strings and comments.
    for (let i = lineStart; i < end; i++) {
      const c = text[i]
      if (quote) {
        if (c === '\\' && quote === '"') i++
        else if (c === quote) quote = ''
        continue
      }
      if (c === '"' || c === "'") {
        if (i === lineStart || /[\s[{,:]/.test(text[i - 1])) quote = c
      } else if (c === '#') {
        if (i === lineStart || /\s/.test(text[i - 1])) break
      } else if (c === '[' || c === '{') {
        if (++flow + blocks.length > limits.maxDepth) fail(line, i - lineStart + 1)
      } else if ((c === ']' || c === '}') && flow > 0) flow--
    }
    lineStart = end + 1
  }
}

/** A mapping or sequence being walked by checkValue; its path is built only for a message. */
interface Visit {
  node: object
  parent: Visit | undefined
  key: PathSegment | undefined
  depth: number
  /** Set once its children are pushed: popping it again closes it. */
  open: boolean
}

function pathOf(visit: Visit | undefined, last?: PathSegment): PathSegment[] {
  const path: PathSegment[] = last === undefined ? [] : [last]
  for (let v = visit; v?.key !== undefined; v = v.parent) path.push(v.key)
  return path.reverse()
}

const isNode = (v: unknown): v is object => v !== null && typeof v === 'object'

/**
 * Walk a parsed value: refuse forbidden keys, bound depth, count alias references (shared
 * objects) and the size the document would have once expanded. Scalars are not visited.
 */
function checkValue(value: unknown, file: string, limits: Limits, locateKey: (p: Path) => Position, tooDeep: () => void): void {
  if (!isNode(value)) return
  const fail = (code: string, message: string, path: PathSegment[]): never => {
    throw new InputError(diag(code, file, message, locateKey(path), formatPath(path)))
  }
  /** Expanded size of each closed node; 1 while it is open. */
  const sizes = new Map<object, number>()
  const active = new Set<object>()
  let aliases = 0
  const stack: Visit[] = [{node: value, parent: undefined, key: undefined, depth: 0, open: false}]
  while (stack.length > 0) {
    const visit = stack.pop()!
    const node = visit.node
    if (visit.open) {
      active.delete(node)
      let size = 1
      for (const child of Array.isArray(node) ? node : Object.values(node)) size += isNode(child) ? (sizes.get(child) ?? 1) : 1
      if (size > limits.maxNodes) {
        fail('limit-aliases', `the document expands to more than ${limits.maxNodes} nodes (an alias bomb?)`, pathOf(visit))
      }
      sizes.set(node, size)
      continue
    }
    if (sizes.has(node)) {
      if (active.has(node)) fail('limit-aliases', 'an alias refers to a node that contains it', pathOf(visit))
      if (++aliases > limits.maxAliases) fail('limit-aliases', `more than ${limits.maxAliases} alias references`, pathOf(visit))
      continue
    }
    if (visit.depth > limits.maxDepth) {
      tooDeep() // locates it in the text, without a parse that could recurse as deep
      fail('limit-depth', `nesting is deeper than the limit of ${limits.maxDepth} levels`, pathOf(visit))
    }
    sizes.set(node, 1) // visiting: a second reference is an alias
    active.add(node)
    visit.open = true
    stack.push(visit)
    const depth = visit.depth + 1
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        const child: unknown = node[i]
        if (isNode(child)) stack.push({node: child, parent: visit, key: i, depth, open: false})
      }
    } else {
      const keys = Object.keys(node)
      const forbidden = keys.find((key) => FORBIDDEN_KEYS.has(key))
      if (forbidden !== undefined) {
        const path = pathOf(visit, forbidden)
        throw forbiddenKey(file, forbidden, locateKey(path), formatPath(path))
      }
      for (let i = keys.length - 1; i >= 0; i--) {
        const child = (node as Record<string, unknown>)[keys[i]]
        if (isNode(child)) stack.push({node: child, parent: visit, key: keys[i], depth, open: false})
      }
    }
  }
}

/**
 * The common case of checkValue, without its bookkeeping: a tree (no `*` in the text, so no alias
 * and nothing shared) within the limits, no forbidden key. False sends the value to checkValue,
 * which finds and locates the problem.
 */
function plainTreeWithinLimits(value: object, limits: Limits): boolean {
  const nodes: object[] = [value]
  const depths: number[] = [0]
  let count = 0
  while (nodes.length > 0) {
    const node = nodes.pop()!
    const depth = depths.pop()!
    if (depth > limits.maxDepth) return false
    count++
    if (Array.isArray(node)) {
      for (const child of node as unknown[]) {
        if (isNode(child)) {
          nodes.push(child)
          depths.push(depth + 1)
        } else count++
      }
    } else {
      for (const key of Object.keys(node)) {
        if (FORBIDDEN_KEYS.has(key)) return false
        const child = (node as Record<string, unknown>)[key]
        if (isNode(child)) {
          nodes.push(child)
          depths.push(depth + 1)
        } else count++
      }
    }
    if (count > limits.maxNodes) return false
  }
  return true
}

/**
 * Lazily built position index: yaml's syntax tree first (cstWalk), the composed Document for what
 * the tree alone cannot answer and for the source of scalars. Both see the same lines.
 */
export class Locator {
  private tokens?: CST.Token[]
  private doc?: Document
  private lines?: LineCounter
  constructor(private readonly text: string) {}

  private document(): Document {
    if (!this.doc) {
      const {LineCounter, parseDocument} = yamlLib()
      const lines = new LineCounter()
      this.doc = parseDocument(this.text, {lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: false})
      this.lines ??= lines
    }
    return this.doc
  }

  private syntaxTree(): CST.Token[] {
    if (!this.tokens) {
      const {LineCounter, Parser} = yamlParser()
      const lines = new LineCounter()
      this.tokens = [...new Parser(lines.addNewLine).parse(this.text)]
      this.lines ??= lines
    }
    return this.tokens
  }

  pos(offset: number): Position {
    if (!this.lines) this.syntaxTree()
    const {line, col} = (this.lines as LineCounter).linePos(offset)
    return {line, column: col}
  }

  walk(path: Path): CstWalk {
    return (this.doc ? undefined : cstWalk(this.syntaxTree(), path)) ?? this.composedWalk(path)
  }

  /** The walk over the composed Document: what cstWalk must agree with. */
  composedWalk(path: Path): CstWalk {
    const r = this.nodeAt(path)
    return {...r, node: r.node?.range?.[0]}
  }

  /** The source text of the scalar at a path, if one is there. */
  scalarSource(path: Path): string | undefined {
    const r = this.nodeAt(path)
    if (!r.found || !r.node || !yamlLib().isScalar(r.node)) return undefined
    const [from, to] = r.node.range ?? [0, 0]
    return this.text.slice(from, to).trim()
  }

  /** Walk the composed Document as far as the path goes; returns the value node, or the last key found. */
  private nodeAt(path: Path): {node?: Node; keyOffset?: number; found: boolean; keyOf?: number} {
    const doc = this.document()
    const {isAlias, isMap, isPair, isScalar, isSeq} = yamlLib()
    let node = doc.contents as Node | null
    let keyOffset: number | undefined
    let lastKey: number | undefined
    for (const seg of path) {
      if (node && isAlias(node)) node = node.resolve(doc) ?? null
      if (node && isMap(node) && typeof seg === 'string') {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg)
        if (!pair) return {keyOffset, found: false}
        keyOffset = (pair.key as Node).range?.[0]
        lastKey = keyOffset
        node = (pair.value as Node | null) ?? null
        if (!node) return {keyOffset, found: true, keyOf: lastKey}
      } else if (node && isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined
        if (!item) return {keyOffset, found: false}
        node = item
        keyOffset = item.range?.[0]
      } else {
        return {keyOffset, found: false}
      }
    }
    return {node: node ?? undefined, keyOffset, found: true, keyOf: lastKey}
  }
}

function makeLocator(text: string): Pick<ParsedDocument, 'locate' | 'locateKey' | 'sourceOf'> {
  const locator = new Locator(text)
  const start = {line: 1, column: 1}
  return {
    locate(path) {
      const r = locator.walk(path)
      if (r.found) {
        const offset = r.node ?? r.keyOffset
        return {...(offset === undefined ? start : locator.pos(offset)), found: true}
      }
      return {...(r.keyOffset === undefined ? start : locator.pos(r.keyOffset)), found: false}
    },
    locateKey(path) {
      const r = locator.walk(path)
      if (r.found && r.keyOf !== undefined && typeof path[path.length - 1] === 'string') return locator.pos(r.keyOf)
      const offset = r.found ? (r.node ?? r.keyOffset) : r.keyOffset
      return offset === undefined ? start : locator.pos(offset)
    },
    sourceOf(path) {
      return locator.scalarSource(path)
    },
  }
}

/** Explain a parse failure with the `yaml` package, which gives positions and names duplicate keys. */
function explainSyntax(text: string, file: string): Diagnostic[] {
  const {LineCounter, parseDocument, isMap, isScalar, isSeq} = yamlLib()
  const lines = new LineCounter()
  let doc: Document
  try {
    doc = parseDocument(text, {lineCounter: lines, uniqueKeys: true, prettyErrors: false})
  } catch (error) {
    if (error instanceof RangeError) return [diag('limit-depth', file, 'nesting is too deep to parse')]
    throw error
  }
  const at = (offset: number): Position => {
    const {line, col} = lines.linePos(offset)
    return {line, column: col}
  }
  const out: Diagnostic[] = []
  for (const error of doc.errors) {
    if (error.code === 'DUPLICATE_KEY') continue
    out.push(diag('syntax', file, `not valid YAML or JSON: ${error.message.split('\n')[0]}`, at(error.pos[0])))
  }
  // Duplicate keys: name the key and both lines.
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      const seen = new Map<string, number>()
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue
        const key = String(pair.key.value)
        const offset = pair.key.range?.[0] ?? 0
        const first = seen.get(key)
        if (first === undefined) seen.set(key, offset)
        else {
          out.push(
            diag(
              'duplicate-key',
              file,
              `the key "${key}" appears twice (lines ${at(first).line} and ${at(offset).line})`,
              at(offset),
              formatPath([...path, key]),
            ),
          )
        }
        visit(pair.value, [...path, key])
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]))
    }
  }
  visit(doc.contents, [])
  if (out.length === 0 && doc.errors.length === 0 && doc.warnings.length === 0) return []
  out.sort((a, b) => a.line - b.line || a.column - b.column)
  return out
}

function looksLikeJson(text: string, file: string): boolean {
  if (file.toLowerCase().endsWith('.json')) return true
  const first = /\S/.exec(text)
  return first !== null && (text[first.index] === '{' || text[first.index] === '[')
}

/**
 * Parse YAML or JSON text into a value, within limits. Throws InputError with every located
 * problem: syntax, duplicate keys, depth, aliases, forbidden keys.
 */
export function parseText(text: string, file: string, limits: Limits = DEFAULT_LIMITS): ParsedDocument {
  const size = Buffer.byteLength(text, 'utf8')
  if (size > limits.maxBytes) {
    throw new InputError(diag('limit-size', file, `the file is ${size} bytes, over the limit of ${limits.maxBytes} bytes`))
  }
  const json = looksLikeJson(text, file)
  // The `yaml` package recurses as deep as the input: scan first. js-yaml's fast path needs no
  // scan (a stack overflow is caught, and depth is checked on the value), so the scan runs only
  // when something is wrong.
  if (json) checkDepth(text, file, limits)
  const locator = makeLocator(text)
  let value: unknown
  try {
    // JSON.parse keeps the last of duplicate keys silently; YAML 1.2 reads JSON and refuses them.
    value = json ? parseWithYaml(text, file, limits) : jsYaml.load(text, {schema: jsYaml.CORE_SCHEMA, filename: file})
  } catch (error) {
    if (error instanceof InputError) throw error
    checkDepth(text, file, limits)
    if (error instanceof RangeError) {
      throw new InputError(diag('limit-depth', file, `nesting is deeper than the limit of ${limits.maxDepth} levels`))
    }
    const found = explainSyntax(text, file)
    if (found.length > 0) throw new InputError(found)
    const mark = (error as {mark?: {line: number; column: number}}).mark
    const reason = (error as {reason?: string}).reason ?? (error as Error).message
    throw new InputError(
      diag('syntax', file, `not valid YAML: ${reason}`, mark ? {line: mark.line + 1, column: mark.column + 1} : undefined),
    )
  }
  if (isNode(value) && (text.includes('*') || !plainTreeWithinLimits(value, limits))) {
    checkValue(value, file, limits, locator.locateKey, () => checkDepth(text, file, limits))
  }
  return {file, text, value, ...locator}
}

function parseWithYaml(text: string, file: string, limits: Limits): unknown {
  const {LineCounter, parseDocument} = yamlLib()
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, uniqueKeys: true, prettyErrors: false})
  if (doc.errors.length > 0) {
    const found = explainSyntax(text, file)
    throw new InputError(found.length > 0 ? found : diag('syntax', file, 'not valid JSON or YAML'))
  }
  try {
    return doc.toJS({maxAliasCount: limits.maxAliases})
  } catch (error) {
    if (error instanceof RangeError) throw error
    throw new InputError(diag('limit-aliases', file, `alias expansion over the limit: ${(error as Error).message}`))
  }
}
