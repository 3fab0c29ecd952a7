/** The model behind an agent: provider, name, and whether the name pins a version. */
import type {Collector, Origin} from './collector.js'

/** Dated snapshots and numbered versions pin a model; aliases (`sonnet`, `…-latest`, `gpt-5`) follow upgrades. */
export function isPinnedModel(name: string): boolean {
  if (/latest|preview|^(opus|sonnet|haiku|default|best|auto)$/i.test(name)) return false
  return /\d{8}|\d{4}-\d{2}-\d{2}|@\d{8}|-\d{3}$|-v\d+:\d+$/.test(name)
}

const PROVIDERS: [RegExp, string][] = [
  [/^(anthropic|bedrock|vertex_ai|openai|azure|gemini|google|openrouter|ollama|deepseek|mistral|groq|xai)\//i, ''],
  [/claude|opus|sonnet|haiku/i, 'anthropic'],
  [/^(gpt|o\d|codex|chatgpt)/i, 'openai'],
  [/gemini|gemma/i, 'google'],
  [/deepseek/i, 'deepseek'],
  [/mistral|codestral/i, 'mistral'],
  [/grok/i, 'xai'],
  [/llama/i, 'meta'],
]

export function providerOf(name: string, fallback: string): string {
  for (const [re, provider] of PROVIDERS) {
    const m = re.exec(name)
    if (m) return provider || m[1].toLowerCase()
  }
  return fallback
}

export function modelFacts(c: Collector, fallbackProvider: string, rawName: string, at: Origin): void {
  const name = rawName.trim()
  if (!name || name.includes('${{')) return
  c.itemFact('agent.model', name, 'name', name, at)
  c.itemFact('agent.model', name, 'provider', providerOf(name, fallbackProvider), at)
  c.itemFact('agent.model', name, 'pinned', isPinnedModel(name), at)
}
