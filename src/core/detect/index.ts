/**
 * `leash detect`, pure: the repository's agent configuration files in, the manifest they imply
 * out, with the file and line behind each fact. Several agents give one manifest holding the
 * widest grant of each field. Malformed or unknown files, unknown keys and literal secrets are
 * warnings (never the secret's value); nothing here throws on bad input.
 */
import type {Diagnostic} from '../errors.js'
import {findSecretsInText} from '../secrets.js'
import {readAiderConfig} from './aider.js'
import {readClaudeSettings} from './claude.js'
import {readCodexConfig} from './codex.js'
import {Collector, redact, type Fact} from './collector.js'
import {readCursorCli, readCursorEnvironment} from './cursor.js'
import {readGeminiSettings} from './gemini.js'
import {globToRegExp, INSTRUCTION_FILES, readInstructionFile} from './instructions.js'
import {readMcpFile} from './mcp.js'
import {mergeFacts} from './merge.js'
import type {ConfigFile, DetectOptions, DetectResult, Source} from './types.js'
import {readWorkflow} from './workflows.js'
import {compareText} from '../order.js'

export type {ConfigFile, DetectOptions, DetectResult, DetectedAgent, Source} from './types.js'

type Reader = 'claude' | 'mcp' | 'workflow' | 'codex' | 'gemini' | 'aider' | 'cursor-environment' | 'cursor-cli' | 'instructions'

/** Configuration files by repository-relative pattern (`*` stays within one folder). */
const CONFIG_FILES: readonly {pattern: string; reader: Reader}[] = [
  {pattern: '.claude/settings.json', reader: 'claude'},
  {pattern: '.claude/settings.local.json', reader: 'claude'},
  {pattern: '.mcp.json', reader: 'mcp'},
  {pattern: '.cursor/mcp.json', reader: 'mcp'},
  {pattern: '.vscode/mcp.json', reader: 'mcp'},
  {pattern: '.github/workflows/*.yml', reader: 'workflow'},
  {pattern: '.github/workflows/*.yaml', reader: 'workflow'},
  {pattern: '.codex/config.toml', reader: 'codex'},
  {pattern: '.gemini/settings.json', reader: 'gemini'},
  {pattern: '.aider.conf.yml', reader: 'aider'},
  {pattern: '.aider.conf.yaml', reader: 'aider'},
  {pattern: '.cursor/environment.json', reader: 'cursor-environment'},
  {pattern: '.cursor/cli.json', reader: 'cursor-cli'},
  ...INSTRUCTION_FILES.map((f) => ({pattern: f.pattern, reader: 'instructions' as const})),
]

/** What the CLI's walker should read, relative to the repository root. */
export const DETECT_PATTERNS: string[] = CONFIG_FILES.map((f) => f.pattern)

const MATCHERS = CONFIG_FILES.map((f) => ({re: globToRegExp(f.pattern), reader: f.reader}))

export function readerFor(path: string): Reader | undefined {
  return MATCHERS.find((m) => m.re.test(path))?.reader
}

/** Literal secrets anywhere in a configuration file: a warning at the line, never the value. */
function scanSecrets(file: ConfigFile, c: Collector): void {
  const starts = [0]
  for (let i = 0; i < file.text.length; i++) if (file.text.charCodeAt(i) === 10) starts.push(i + 1)
  for (const hit of findSecretsInText(file.text)) {
    let line = 0
    while (line + 1 < starts.length && starts[line + 1] <= hit.index) line++
    c.warn(
      'literal-secret',
      {file: file.path, line: line + 1, column: hit.index - starts[line] + 1},
      `${hit.label} written into the file (${hit.preview}): move it to a secret store and reference it, and rotate it: it has been committed`,
    )
  }
}

/** CTL-PINNED-TOOLS from what was seen: every action, MCP server and agent CLI pinned, some, or none. */
function pinningControl(c: Collector): void {
  if (c.tools.length === 0) return
  const pinned = c.tools.filter((t) => t.pinned)
  const status = pinned.length === c.tools.length ? 'implemented' : pinned.length > 0 ? 'partial' : undefined
  if (!status) return
  const at = [...c.tools].sort((a, b) => compareText(a.file, b.file) || a.line - b.line)[0]
  const evidence = `${pinned.length} of ${c.tools.length} actions, MCP servers and agent CLIs seen are pinned to a commit, digest or exact version`
  c.itemFact('controls', 'CTL-PINNED-TOOLS', 'id', 'CTL-PINNED-TOOLS', {...at, text: evidence})
  c.itemFact('controls', 'CTL-PINNED-TOOLS', 'status', status, {...at, text: evidence})
  c.itemFact('controls', 'CTL-PINNED-TOOLS', 'evidence', evidence, {...at, text: evidence})
  for (const t of c.tools) {
    c.itemFact('controls', 'CTL-PINNED-TOOLS', 'status', status, {...t, text: `${t.text} (${t.pinned ? 'pinned' : 'not pinned'})`})
  }
}

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value)
  if (Array.isArray(value)) return value.map(redactDeep)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[redact(k)] = redactDeep(v)
    return out
  }
  return value
}

/** Turn the configuration files of one repository into the manifest they imply. */
export function detect(files: ConfigFile[], options: DetectOptions): DetectResult {
  const c = new Collector()
  const byReader = new Map<Reader, ConfigFile[]>()
  const seen = new Set<string>()
  const sorted = [...files]
    .map((f) => ({...f, path: f.path.replace(/\\/g, '/').replace(/^\.\//, '')}))
    .sort((a, b) => compareText(a.path, b.path))
  for (const file of sorted) {
    if (seen.has(file.path)) continue
    seen.add(file.path)
    scanSecrets(file, c)
    const reader = readerFor(file.path)
    if (!reader) {
      c.warn('unknown-file', {file: file.path, line: 1}, 'not an agent configuration file leash knows; it is ignored')
      continue
    }
    const list = byReader.get(reader) ?? []
    list.push(file)
    byReader.set(reader, list)
  }
  const guard = (file: string, run: () => void): void => {
    try {
      run()
    } catch (error) {
      // a bug must not take the whole detection down: report it on the file
      c.warn(
        'internal-error',
        {file, line: 1},
        `could not analyse this file (${(error as Error).message.split('\n')[0]}); please report it`,
      )
    }
  }
  const claude = byReader.get('claude') ?? []
  if (claude.length > 0) guard(claude[0].path, () => readClaudeSettings(claude, c))
  for (const [reader, list] of byReader) {
    for (const file of list) {
      guard(file.path, () => {
        switch (reader) {
          case 'mcp':
            return readMcpFile(file, c)
          case 'workflow':
            return readWorkflow(file, c)
          case 'codex':
            return readCodexConfig(file, c)
          case 'gemini':
            return readGeminiSettings(file, c)
          case 'aider':
            return readAiderConfig(file, c)
          case 'cursor-environment':
            return readCursorEnvironment(file, c)
          case 'cursor-cli':
            return readCursorCli(file, c)
          case 'instructions':
            return readInstructionFile(file, c)
          case 'claude':
            return undefined
        }
      })
    }
  }
  pinningControl(c)

  const facts: Fact[] = c.facts.filter((f) => f.value !== undefined && !(typeof f.value === 'string' && f.value === ''))
  const base: Record<string, unknown> = {
    apiVersion: 'leash/v1',
    kind: 'AgentDeployment',
    metadata: {name: options.name, owner: {team: options.ownerTeam}},
    agent: {purpose: 'other', autonomy: 'autonomous'},
  }
  const {manifest, sources} = mergeFacts(facts, base)
  const observed = order(redactDeep(manifest) as Record<string, unknown>)

  const warnings = dedupe(c.warnings)
  const agents = [...c.agents].sort(
    (a, b) =>
      compareText(a.file, b.file) || a.line - b.line || compareText(a.product, b.product) || compareText(a.description, b.description),
  )
  const surfaces = [...new Map(c.surfaces.map((s) => [s.file, s])).values()].sort((a, b) => compareText(a.file, b.file))
  return {
    observed,
    sources: sources.map((s) => redactDeep(s) as Source),
    agents: dedupeBy(agents, (a) => `${a.file}:${a.line}:${a.product}:${a.description}`),
    files: [...seen].sort(),
    instructionSurfaces: surfaces,
    warnings,
  }
}

/** Keys in the schema's order for the top level, the rest alphabetically: stable output. */
const TOP_ORDER = [
  'apiVersion',
  'kind',
  'metadata',
  'agent',
  'identity',
  'access',
  'secrets',
  'tools',
  'sandbox',
  'memory',
  'multiAgent',
  'oversight',
  'observability',
  'delivery',
  'controls',
]

function order(m: Record<string, unknown>): Record<string, unknown> {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys)
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k])
      return out
    }
    return v
  }
  const out: Record<string, unknown> = {}
  for (const k of TOP_ORDER) if (m[k] !== undefined) out[k] = k === 'apiVersion' || k === 'kind' ? m[k] : sortKeys(m[k])
  for (const k of Object.keys(m).sort()) if (out[k] === undefined) out[k] = sortKeys(m[k])
  return out
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const sorted = [...list].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  )
  return dedupeBy(sorted, (d) => `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`)
}

function dedupeBy<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>()
  return list.filter((x) => {
    const k = key(x)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
