/**
 * What every format reader writes into: observed facts with their provenance, agents found,
 * instruction surfaces, tool references (for pinning) and warnings. Pure.
 */
import {InputError, type Diagnostic} from '../errors.js'
import {findSecretsInText} from '../secrets.js'
import type {DetectedAgent} from './types.js'

/** A keyed list in the manifest: facts about one item are grouped by key, then indexed after merging. */
export type ListPath = 'tools.mcpServers' | 'identity.credentials' | 'controls' | 'agent.model'

export interface ItemRef {
  list: ListPath
  /** Item identity: the server name, the credential name, the control id, the model name. */
  key: string
}

/** Where a fact shows in a configuration file. */
export interface Origin {
  file: string
  line: number
  column?: number
  /** The configuration text that shows it (a rule, a key and value, a step line). */
  text: string
}

export interface Fact extends Origin {
  /** Manifest path; for an item fact, the field inside the item (`pinned`). */
  path: string
  item?: ItemRef
  value: unknown
}

/** An action, MCP server or agent CLI whose version is (or is not) pinned. */
export interface ToolRef extends Origin {
  kind: 'action' | 'mcp-server' | 'agent-cli'
  name: string
  pinned: boolean
}

export interface InstructionSurface {
  file: string
  kind: string
}

const MAX_TEXT = 200

/** Replace anything that looks like a secret by its safe preview ("ghp_…"). */
export function redact(text: string): string {
  const hits = findSecretsInText(text)
  if (hits.length === 0) return text
  let out = ''
  let from = 0
  for (const hit of hits) {
    if (hit.index < from) continue
    const rest = /[^\s"'`,;(){}[\]<>]*/y
    rest.lastIndex = hit.index
    const m = rest.exec(text)
    let end = hit.index + Math.max(1, m ? m[0].length : 1)
    // a PEM block runs over several lines: drop up to its end marker, or the rest of the text
    if (hit.kind === 'private-key' || hit.kind === 'gcp-service-account-key') {
      const close = text.indexOf('PRIVATE KEY-----', hit.index + 12)
      end = close >= 0 ? close + 'PRIVATE KEY-----'.length : text.length
    }
    out += text.slice(from, hit.index) + hit.preview
    from = end
  }
  return out + text.slice(from)
}

/** One line of configuration text, trimmed and shortened, secrets removed. */
export function cleanText(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim()
  if (t.endsWith(',')) t = t.slice(0, -1).trimEnd()
  t = redact(t)
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t
}

export class Collector {
  readonly facts: Fact[] = []
  readonly warnings: Diagnostic[] = []
  readonly agents: DetectedAgent[] = []
  readonly surfaces: InstructionSurface[] = []
  readonly tools: ToolRef[] = []

  fact(path: string, value: unknown, at: Origin): void {
    this.facts.push({...at, text: cleanText(at.text), path, value})
  }

  itemFact(list: ListPath, key: string, field: string, value: unknown, at: Origin): void {
    this.facts.push({...at, text: cleanText(at.text), path: field, item: {list, key}, value})
  }

  /** Several facts at the same place. */
  many(at: Origin, entries: [string, unknown][]): void {
    for (const [path, value] of entries) this.fact(path, value, at)
  }

  warn(code: string, at: {file: string; line: number; column?: number}, message: string, path = ''): void {
    this.warnings.push({code, file: at.file, line: at.line, column: at.column ?? 1, path: redact(path), message: redact(message)})
  }

  /** Problems from a parser (InputError diagnostics) become warnings. */
  /** Parse a file with `parse`; one that cannot be used is reported, with its line, and skipped. */
  parseOrSkip<T>(parse: () => T): T | undefined {
    try {
      return parse()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.diagnostics(error.diagnostics.map((d) => ({...d, message: `${d.message}; the file is ignored`})))
      return undefined
    }
  }

  diagnostics(list: Diagnostic[]): void {
    for (const d of list) {
      this.warnings.push({...d, line: d.line || 1, column: d.column || 1, path: redact(d.path), message: redact(d.message)})
    }
  }

  agent(product: string, at: {file: string; line: number}, description: string): void {
    this.agents.push({product, file: at.file, line: at.line, description: cleanText(description)})
  }

  surface(file: string, kind: string): void {
    this.surfaces.push({file, kind})
  }

  tool(ref: ToolRef): void {
    this.tools.push({...ref, text: cleanText(ref.text)})
  }
}
