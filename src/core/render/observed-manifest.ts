/**
 * The manifest a repository implies, as YAML for a person to review: every field commented with
 * the configuration lines that show it. Pure.
 */
import type {Node} from 'yaml'
import {yamlLib} from '../yaml.js'
import type {DetectResult, Source} from '../detect/types.js'
import {parsePath} from '../paths.js'
import {compareText} from '../order.js'

const MAX_SOURCES = 3

function describe(sources: readonly Source[]): string {
  const shown = sources.slice(0, MAX_SOURCES).map((s) => ` ${s.file}:${s.line} ${s.text.replace(/\s+/g, ' ').slice(0, 100)}`)
  if (sources.length > MAX_SOURCES) shown.push(` … and ${sources.length - MAX_SOURCES} more`)
  return shown.join('\n')
}

export function renderObservedManifest(detected: DetectResult, dir: string): string {
  const {Document, isMap, isSeq} = yamlLib()
  const doc = new Document(detected.observed)
  const byFact = new Map<string, Source[]>()
  for (const s of detected.sources) byFact.set(s.fact, [...(byFact.get(s.fact) ?? []), s])
  for (const [fact, sources] of [...byFact].sort(([a], [b]) => compareText(a, b))) {
    const path = parsePath(fact)
    const parent = doc.getIn(path.slice(0, -1), true) as Node | undefined
    if (!parent) continue
    const last = path[path.length - 1]
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as {value?: unknown})?.value === last)
      const key = pair?.key as Node | undefined
      if (key) key.commentBefore = describe(sources)
    } else if (isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last] as Node | undefined
      if (item) item.commentBefore = describe(sources)
    }
  }
  const agents = detected.agents.map((a) => ` - ${a.product}: ${a.description} (${a.file}:${a.line})`)
  doc.commentBefore = [
    ` Written by \`leash detect ${dir}\`: the agent deployment that the repository's configuration implies.`,
    ' Each field is commented with the configuration lines that show it. Fields that nothing in the',
    ' repository shows are left out: leash treats them as unknown (the worse case) until you declare them.',
    ' Review every value, fill in what only people know (owner, data classification, oversight), then',
    ' keep it as the declared manifest: `leash validate agent.yaml --detect .` fails when the repository',
    ' grants more than it declares.',
    ...(agents.length > 0 ? ['', ' Agents found:', ...agents] : []),
  ].join('\n')
  return doc.toString({lineWidth: 0})
}
