/**
 * Instruction files: text that steers an agent (AGENTS.md, CLAUDE.md, GEMINI.md, Copilot and
 * Cursor rules). They are surfaces, not privileges: recorded, never turned into facts. Whoever can
 * change them (any pull request author, unless the agent restores them from the base branch)
 * can steer the agent.
 */
import type {Collector} from './collector.js'
import type {ConfigFile} from './types.js'

/** File patterns and the kind recorded for each; `*` matches within one path segment. */
export const INSTRUCTION_FILES: readonly {pattern: string; kind: string}[] = [
  {pattern: 'AGENTS.md', kind: 'agents-md'},
  {pattern: 'AGENT.md', kind: 'agents-md'},
  {pattern: 'CLAUDE.md', kind: 'claude-md'},
  {pattern: 'CLAUDE.local.md', kind: 'claude-md'},
  {pattern: '.claude/CLAUDE.md', kind: 'claude-md'},
  {pattern: '.claude/rules/*.md', kind: 'claude-rules'},
  {pattern: '.claude/commands/*.md', kind: 'claude-commands'},
  {pattern: '.claude/agents/*.md', kind: 'claude-subagents'},
  {pattern: 'GEMINI.md', kind: 'gemini-md'},
  {pattern: '.github/copilot-instructions.md', kind: 'copilot-instructions'},
  {pattern: '.github/instructions/*.instructions.md', kind: 'copilot-instructions'},
  {pattern: '.cursorrules', kind: 'cursor-rules'},
  {pattern: '.cursor/rules/*', kind: 'cursor-rules'},
  {pattern: '.clinerules', kind: 'cline-rules'},
  {pattern: '.windsurfrules', kind: 'windsurf-rules'},
  {pattern: 'CONVENTIONS.md', kind: 'aider-conventions'},
]

export function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*')
  return new RegExp(`^${source}$`)
}

const MATCHERS = INSTRUCTION_FILES.map((f) => ({re: globToRegExp(f.pattern), kind: f.kind}))

export function instructionKind(path: string): string | undefined {
  return MATCHERS.find((m) => m.re.test(path))?.kind
}

export function readInstructionFile(file: ConfigFile, c: Collector): void {
  const kind = instructionKind(file.path)
  if (kind) c.surface(file.path, kind)
}
