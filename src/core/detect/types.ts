/** The contract of `leash detect`: configuration files in, observed facts with provenance out. */
import type {Diagnostic} from '../errors.js'

/** One file of the repository, as read by the CLI (path relative to the repository, with `/`). */
export interface ConfigFile {
  path: string
  text: string
}

/** One observed fact: a manifest path, the value the configuration implies, and where it shows. */
export interface Source {
  file: string
  line: number
  column?: number
  /** Manifest path (`tools.shell`, `identity.credentials[0].kind`, `tools.mcpServers[1].pinned`). */
  fact: string
  value: unknown
  /** The configuration text that shows it (a rule, a step line), never a secret value. */
  text: string
}

export interface DetectedAgent {
  /** agent.product value (claude-code, codex, gemini-cli, copilot-coding-agent, aider, cursor, custom). */
  product: string
  file: string
  line: number
  /** e.g. "anthropics/claude-code-action@v1 in job 'review'" */
  description: string
}

export interface DetectResult {
  /** The manifest the repository implies: valid against schemas/agent-manifest.schema.json. */
  observed: Record<string, unknown>
  sources: Source[]
  agents: DetectedAgent[]
  /** Files read, sorted. */
  files: string[]
  /** Instruction files (AGENTS.md, CLAUDE.md, …): surfaces that steer an agent, not privileges. */
  instructionSurfaces: {file: string; kind: string}[]
  /** Malformed files, unknown keys, literal secrets (never the value): file and line, not fatal. */
  warnings: Diagnostic[]
}

export interface DetectOptions {
  /** metadata.name: the folder name made to fit [a-z0-9-]. */
  name: string
  /** metadata.owner.team: from CODEOWNERS when it names one, else 'unassigned'. */
  ownerTeam: string
}
