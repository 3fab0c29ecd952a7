/**
 * What the repository's real agent configuration implies, assessed and compared:
 * - findings on the observed manifest, keeping only what detect actually saw (each `because`
 *   entry located in the configuration file that shows it); what it cannot see is an open
 *   question, never a finding;
 * - drift: every fact where the repository grants more than the manifest declares.
 * The engine scores; signals never assign a severity.
 */
import type {Catalog} from './catalog.js'
import {conditionPaths} from './conditions.js'
import type {DetectResult, Source} from './detect/types.js'
import {diffManifests} from './diff.js'
import {assess, type AssessmentResult, type Because, type Finding} from './engine.js'
import {formatPath, type Path} from './paths.js'
import {compareText} from './order.js'

/** Sources by manifest path, in (file, line) order. */
function sourceIndex(sources: readonly Source[]): Map<string, Source[]> {
  const index = new Map<string, Source[]>()
  for (const s of [...sources].sort((a, b) => compareText(a.file, b.file) || a.line - b.line)) {
    const list = index.get(s.fact) ?? []
    list.push(s)
    index.set(s.fact, list)
  }
  return index
}

/** The sources behind a path: its own, else those of the fields below it (a list, an object). */
export function sourcesFor(index: Map<string, Source[]>, path: string): Source[] {
  const own = index.get(path)
  if (own) return own
  const below: Source[] = []
  for (const [fact, list] of index) if (fact.startsWith(`${path}.`) || fact.startsWith(`${path}[`)) below.push(...list)
  return below.sort((a, b) => compareText(a.file, b.file) || a.line - b.line)
}

export interface ObservedAssessment {
  result: AssessmentResult
  /** Findings with at least one observed fact in `because` (and only observed facts there). */
  findings: Finding[]
  openQuestions: string[]
}

export function assessObserved(detected: DetectResult, catalog: Catalog, today: string, toolVersion: string): ObservedAssessment {
  const index = sourceIndex(detected.sources)
  const locate = (path: Path) => {
    const hit = sourcesFor(index, formatPath(path))[0]
    return hit ? {file: hit.file, line: hit.line, column: hit.column ?? 1} : {line: 1, column: 1}
  }
  const result = assess({
    manifest: detected.observed,
    locate,
    file: '(not observed)',
    sha256: '0'.repeat(64),
    catalog,
    today,
    toolVersion,
  })
  const observedPath = (b: Because) => sourcesFor(index, b.path).length > 0
  const questions = new Set(result.openQuestions)
  const findings: Finding[] = []
  for (const f of result.findings) {
    const seen = f.because.filter(observedPath)
    for (const b of f.because) if (!observedPath(b)) questions.add(b.path)
    if (seen.length > 0) findings.push({...f, because: seen.map((b) => ({...b, text: sourcesFor(index, b.path)[0].text}))})
  }
  return {result, findings, openQuestions: [...questions].sort()}
}

export interface DriftFinding {
  id: 'DRIFT'
  title: string
  severity: 'high'
  path: string
  declared: unknown
  observed: unknown
  /** The configuration lines that grant more, in their real files. */
  because: Because[]
  /** Threats whose conditions read this field: why the drift matters. */
  threats: string[]
}

const shown = (v: unknown) =>
  v === null || v === undefined ? 'nothing' : Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v)

/** Where the repository grants more than the manifest declares, located in the real files. */
export function drift(declared: unknown, detected: DetectResult, catalog: Catalog): DriftFinding[] {
  const index = sourceIndex(detected.sources)
  const readers = new Map<string, string[]>()
  for (const t of catalog.threats.values()) {
    const paths = new Set(
      [t.when, ...(t.modifiers ?? []).map((m) => m.when)].flatMap((c) => conditionPaths(c)).map((p) => p.replace(/\[\]/g, '')),
    )
    for (const p of paths) readers.set(p, [...(readers.get(p) ?? []), t.id])
  }
  const generic = (path: string) => path.replace(/\[\d+\]/g, '')
  const out: DriftFinding[] = []
  for (const change of diffManifests(declared, detected.observed)) {
    if (change.direction !== 'widened' || change.new === null || change.new === undefined) continue
    const all = sourcesFor(index, change.path)
    // for an added list item, the sources that show that item
    const matching =
      change.item === undefined ? all : all.filter((s) => JSON.stringify(s.value).includes(JSON.stringify(change.item).slice(1, -1)))
    const sources = matching.length > 0 ? matching : all
    if (sources.length === 0) continue
    const observed = change.item ?? shown(change.new)
    out.push({
      id: 'DRIFT',
      title:
        change.item === undefined
          ? `${change.path}: the repository grants ${shown(change.new)}, the manifest declares ${shown(change.old)}`
          : `${change.path}: the repository grants ${change.item}, which the manifest does not declare (declared: ${shown(change.old)})`,
      severity: 'high',
      path: change.path,
      declared: change.old,
      observed: change.item === undefined ? change.new : observed,
      because: sources.map((s) => ({path: s.fact, value: s.value, file: s.file, line: s.line, column: s.column ?? 1, text: s.text})),
      threats: [...new Set(readers.get(generic(change.path)) ?? [])].sort(),
    })
  }
  return out
}
