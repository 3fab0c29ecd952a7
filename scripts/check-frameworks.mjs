#!/usr/bin/env node
/**
 * Verifies the framework catalogs (frameworks/<id>.json) against the shared reference data:
 *
 * - each file validates against schemas/framework.schema.json and its id is its file name;
 * - every item id and official name equals the reference (MITRE ATLAS through ATLAS.yaml, the
 *   others through framework-ids.json), and nothing the reference lacks is invented;
 * - only known THR-/CTL- ids are referenced, and every catalog threat is mapped from
 *   owasp-agentic and at least one other framework;
 * - every pair of OWASP's published crosswalks (ASI -> LLM, NHI -> ASI) is either connected by a
 *   shared threat or listed, with a reason, under the `from` file's crosswalkExceptions;
 * - descriptions are leash's own words: none repeats a run of words from the reference text.
 *
 * Usage: node scripts/check-frameworks.mjs [path/to/shared]   (default: ../shared from the repo root)
 * Exit 0 and a one-line summary when clean; otherwise the problems, one a line, and exit 1.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import AjvModule from 'ajv'
import YAML from 'yaml'
import {REQUIRED_CONTROLS, REQUIRED_THREATS} from './check-catalogs.mjs'

/** The framework files leash ships, in display order. */
export const FRAMEWORK_FILES = ['owasp-nhi', 'owasp-agentic', 'maestro', 'atlas', 'nist-ai-rmf', 'owasp-llm']

/** The threat and control ids every catalog must keep (DESIGN.md, "Minimum catalog ids"). */
export const REQUIRED_ATLAS = [
  'AML.T0010',
  'AML.T0010.005',
  'AML.T0051',
  'AML.T0051.000',
  'AML.T0051.001',
  'AML.T0053',
  'AML.T0054',
  'AML.T0055',
  'AML.T0057',
  'AML.T0058',
  'AML.T0070',
  'AML.T0080',
  'AML.T0086',
]

const OWASP = {
  'owasp-nhi': {ref: 'owasp-nhi-top10-2025', version: '2025'},
  'owasp-agentic': {ref: 'owasp-agentic-top10-2026', version: '2026'},
  'owasp-llm': {ref: 'owasp-llm-top10-2025', version: '2025'},
}

const MIN_ATLAS_TECHNIQUES = 30
const MIN_NIST_SUBCATEGORIES = 25
/** A description may not repeat this many consecutive words of any reference text. */
const COPY_RUN = 6

/** MAESTRO threat id suffix: lowercase, runs of non-alphanumerics to one '-', trimmed. */
export const slugify = (name) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))
const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x))
const list = (xs) => xs.join(', ')

function words(text) {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

function ngrams(text, n) {
  const w = words(text)
  const out = []
  for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n).join(' '))
  return out
}

/** Every string under a key named `summary`, anywhere in the reference. */
function summaries(value, out = []) {
  if (Array.isArray(value)) for (const v of value) summaries(v, out)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'summary' && typeof v === 'string') out.push(v)
      else summaries(v, out)
    }
  }
  return out
}

/** Ids from a catalog file ({threats: [...]} / {controls: [...]}), or undefined if it is absent or unreadable. */
function catalogIds(path, key) {
  if (!existsSync(path)) return undefined
  try {
    const value = readJson(path)
    const entries = Array.isArray(value) ? value : value?.[key]
    if (!Array.isArray(entries)) return undefined
    return entries
  } catch {
    return undefined
  }
}

function loadAtlas(sharedDir) {
  const doc = YAML.parse(readFileSync(join(sharedDir, 'reference/atlas/ATLAS.yaml'), 'utf8'))
  const matrix = doc.matrices[0]
  const byId = new Map()
  for (const t of matrix.tactics) byId.set(t.id, {kind: 'tactic', name: t.name, text: t.description ?? ''})
  for (const t of matrix.techniques) {
    const sub = t['subtechnique-of']
    byId.set(t.id, {
      kind: sub ? 'sub-technique' : 'technique',
      name: t.name,
      parent: sub,
      tactics: t.tactics ?? [],
      text: t.description ?? '',
    })
  }
  for (const m of matrix.mitigations) {
    const techniques = [...new Set((m.techniques ?? []).map((x) => (typeof x === 'string' ? x : x.id)))]
    byId.set(m.id, {kind: 'mitigation', name: m.name, techniques, text: m.description ?? ''})
  }
  const indexPath = join(sharedDir, 'reference/atlas/atlas-index.json')
  const source = existsSync(indexPath) ? readJson(indexPath).source : undefined
  return {name: doc.name, version: String(doc.version), byId, source}
}

/**
 * Run every check. Returns the problems (data that is wrong), warnings (worth a look, not
 * failing) and per-framework counts for the summary line.
 */
export function runChecks(repoRoot, sharedDir = join(repoRoot, '..', 'shared')) {
  const problems = []
  const warnings = []
  const counts = {}
  const refPath = join(sharedDir, 'reference/frameworks/framework-ids.json')
  if (!existsSync(refPath)) return {problems: [`reference data not found: ${refPath}`], warnings, counts}
  const reference = readJson(refPath)
  const refs = reference.frameworks
  const atlas = loadAtlas(sharedDir)

  // Known ids: the minimum lists, plus whatever the shipped catalogs define.
  const threatCatalog = catalogIds(join(repoRoot, 'frameworks/threats.json'), 'threats')
  const controlCatalog = catalogIds(join(repoRoot, 'frameworks/controls.json'), 'controls')
  const knownThreats = new Set([...REQUIRED_THREATS, ...(threatCatalog ?? []).map((t) => t.id)])
  const knownControls = new Set([...REQUIRED_CONTROLS, ...(controlCatalog ?? []).map((c) => c.id)])
  const catalogThreatIds = new Set((threatCatalog ?? []).map((t) => t.id))
  const catalogControlIds = new Set((controlCatalog ?? []).map((c) => c.id))
  if (threatCatalog)
    for (const id of REQUIRED_THREATS) if (!catalogThreatIds.has(id)) problems.push(`frameworks/threats.json lacks minimum threat ${id}`)
  if (controlCatalog)
    for (const id of REQUIRED_CONTROLS)
      if (!catalogControlIds.has(id)) problems.push(`frameworks/controls.json lacks minimum control ${id}`)
  /** control id -> threats it mitigates, per threats.json */
  const mitigates = new Map()
  for (const t of threatCatalog ?? []) for (const m of t.controls ?? []) mitigates.set(m.id, [...(mitigates.get(m.id) ?? []), t.id])

  // Reference text that descriptions must not repeat.
  const copied = new Set()
  for (const s of summaries(reference)) for (const g of ngrams(s, COPY_RUN)) copied.add(g)
  for (const entry of atlas.byId.values()) for (const g of ngrams(entry.text, COPY_RUN)) copied.add(g)

  const schemaPath = join(repoRoot, 'schemas/framework.schema.json')
  const Ajv = AjvModule.default ?? AjvModule
  const ajv = new Ajv({allErrors: true, strict: false})
  let validate
  try {
    validate = ajv.compile(readJson(schemaPath))
  } catch (error) {
    problems.push(`schemas/framework.schema.json: ${error.message}`)
  }

  /** framework id -> parsed file */
  const files = new Map()
  for (const id of FRAMEWORK_FILES) {
    const rel = `frameworks/${id}.json`
    const path = join(repoRoot, rel)
    if (!existsSync(path)) {
      problems.push(`${rel}: missing`)
      continue
    }
    let doc
    try {
      doc = readJson(path)
    } catch (error) {
      problems.push(`${rel}: not valid JSON (${error.message})`)
      continue
    }
    if (validate && !validate(doc)) {
      for (const e of validate.errors) problems.push(`${rel}: schema: ${e.instancePath || '/'} ${e.message}`)
      continue
    }
    files.set(id, doc)
    counts[id] = doc.items.length
    const p = (msg) => problems.push(`${rel}: ${msg}`)
    if (doc.id !== id) p(`id "${doc.id}" must equal the file name "${id}"`)

    const ids = new Set()
    for (const item of doc.items) {
      if (ids.has(item.id)) p(`duplicate item id ${item.id}`)
      ids.add(item.id)
    }
    for (const item of doc.items) {
      const where = `${item.id}`
      if (item.parent !== undefined && (!ids.has(item.parent) || item.parent === item.id))
        p(`${where}: parent ${item.parent} is not an item of this file`)
      for (const t of item.threats) if (!knownThreats.has(t)) p(`${where}: unknown threat ${t}`)
      for (const c of item.controls) if (!knownControls.has(c)) p(`${where}: unknown control ${c}`)
      for (const [field, text] of [
        ['description', item.description],
        ['outOfScope', item.outOfScope],
      ]) {
        if (!text) continue
        const hit = ngrams(text, COPY_RUN).find((g) => copied.has(g))
        if (hit) p(`${where}: ${field} repeats reference wording ("${hit}…"); write it in leash's own words`)
      }
      if (mitigates.size > 0) {
        for (const c of item.controls) {
          const covered = mitigates.get(c) ?? []
          if (!item.threats.some((t) => covered.includes(t)))
            warnings.push(`${rel}: ${where}: ${c} mitigates none of the item's threats per threats.json`)
        }
      }
    }

    if (OWASP[id]) checkOwasp(doc, refs[OWASP[id].ref], OWASP[id].version, p)
    else if (id === 'maestro') checkMaestro(doc, refs['csa-maestro'], p)
    else if (id === 'atlas') checkAtlas(doc, atlas, p)
    else if (id === 'nist-ai-rmf') checkNist(doc, refs['nist-ai-rmf-1.0'], refs['nist-ai-600-1'], p)
  }

  // Threat coverage: every catalog threat from owasp-agentic and at least one other framework.
  const mappedBy = new Map()
  for (const [fid, doc] of files) {
    for (const item of doc.items) for (const t of item.threats) mappedBy.set(t, new Set([...(mappedBy.get(t) ?? []), fid]))
  }
  if (files.size === FRAMEWORK_FILES.length) {
    for (const t of knownThreats) {
      const by = mappedBy.get(t) ?? new Set()
      const strict = REQUIRED_THREATS.includes(t)
      if (strict && !by.has('owasp-agentic')) problems.push(`${t} is not mapped from owasp-agentic`)
      if (strict && [...by].filter((f) => f !== 'owasp-agentic').length === 0)
        problems.push(`${t} is mapped from no framework besides owasp-agentic`)
      if (!strict && by.size === 0) problems.push(`${t} (frameworks/threats.json) is mapped from no framework`)
    }
    const used = new Set([...files.values()].flatMap((doc) => doc.items.flatMap((i) => i.controls)))
    for (const c of REQUIRED_CONTROLS) if (!used.has(c)) problems.push(`${c} is listed on no framework item`)
    for (const c of catalogControlIds)
      if (!used.has(c) && !REQUIRED_CONTROLS.includes(c)) warnings.push(`${c} (frameworks/controls.json) is listed on no framework item`)
  }

  const crosswalk = checkCrosswalks(files, reference.official_crosswalks ?? {}, problems)
  return {problems, warnings, counts, crosswalk, threats: mappedBy.size}
}

/** The CLI and tests: the list of problems, empty when the catalogs are sound. */
export function checkFrameworks(repoRoot, sharedDir) {
  return runChecks(repoRoot, sharedDir).problems
}

function checkOwasp(doc, ref, version, p) {
  if (doc.version !== version) p(`version "${doc.version}" should be "${version}"`)
  if (!ref.title.startsWith(doc.name)) p(`name "${doc.name}" is not the official title "${ref.title}"`)
  if (doc.source !== ref.url && doc.source !== ref.source) p(`source ${doc.source} is neither ${ref.url} nor ${ref.source}`)
  const expected = ref.items.map((i) => i.id)
  const actual = doc.items.map((i) => i.id)
  if (expected.join('|') !== actual.join('|')) p(`items must be exactly ${list(expected)} in that order (found ${list(actual)})`)
  for (const item of doc.items) {
    const r = ref.items.find((i) => i.id === item.id)
    if (r && r.name !== item.name) p(`${item.id}: name "${item.name}" differs from the reference "${r.name}"`)
    if (item.parent !== undefined) p(`${item.id}: OWASP items have no parent`)
    if (r?.url && item.url !== undefined && item.url !== r.url) p(`${item.id}: url ${item.url} differs from the reference ${r.url}`)
  }
}

function checkMaestro(doc, ref, p) {
  if (doc.name !== ref.title) p(`name "${doc.name}" is not the reference title "${ref.title}"`)
  if (doc.source !== ref.url) p(`source ${doc.source} should be ${ref.url}`)
  const expected = new Map()
  for (const layer of ref.layers) {
    expected.set(layer.id, {name: layer.name})
    for (const name of layer.example_threats) expected.set(`${layer.id}:${slugify(name)}`, {name, parent: layer.id})
  }
  expected.set('CL', {name: 'Cross-Layer Threats'})
  for (const name of ref.cross_layer_threats) expected.set(`CL:${slugify(name)}`, {name, parent: 'CL'})
  const byId = new Map(doc.items.map((i) => [i.id, i]))
  for (const [id, want] of expected) {
    const item = byId.get(id)
    if (!item) {
      p(`missing MAESTRO item ${id} ("${want.name}")`)
      continue
    }
    if (item.name !== want.name) p(`${id}: name "${item.name}" differs from the reference "${want.name}"`)
    if (item.parent !== want.parent) p(`${id}: parent should be ${want.parent ?? 'absent'}`)
  }
  for (const item of doc.items) if (!expected.has(item.id)) p(`${item.id}: not a MAESTRO layer or named threat in the reference`)
}

function checkAtlas(doc, atlas, p) {
  if (doc.version !== atlas.version) p(`version "${doc.version}" should be the ATLAS.yaml version "${atlas.version}"`)
  if (!doc.name.includes(atlas.name)) p(`name "${doc.name}" should contain "${atlas.name}"`)
  const okSource = doc.source === atlas.source || doc.source.startsWith('https://github.com/mitre-atlas/atlas-data')
  if (!okSource) p(`source ${doc.source} is not the ATLAS data repository`)
  const ids = new Set(doc.items.map((i) => i.id))
  let techniques = 0
  for (const item of doc.items) {
    const ref = atlas.byId.get(item.id)
    if (!ref) {
      p(`${item.id}: not an id in ATLAS.yaml ${atlas.version}`)
      continue
    }
    if (item.name !== ref.name) p(`${item.id}: name "${item.name}" differs from ATLAS "${ref.name}"`)
    if (item.kind !== undefined && item.kind !== ref.kind) p(`${item.id}: kind "${item.kind}" should be "${ref.kind}"`)
    if (ref.kind === 'technique' || ref.kind === 'sub-technique') techniques++
    if (ref.kind === 'sub-technique') {
      if (item.parent !== ref.parent) p(`${item.id}: parent should be ${ref.parent}`)
      if (item.tactics !== undefined) p(`${item.id}: sub-techniques take their tactics from ${ref.parent}; remove "tactics"`)
    } else if (item.parent !== undefined) p(`${item.id}: only sub-techniques have a parent`)
    if (ref.kind === 'technique') {
      if (!item.tactics) p(`${item.id}: list its ATLAS tactics (${list(ref.tactics)})`)
      else if (!sameSet(item.tactics, ref.tactics)) p(`${item.id}: tactics ${list(item.tactics)} differ from ATLAS (${list(ref.tactics)})`)
      for (const t of item.tactics ?? []) if (!ids.has(t)) p(`${item.id}: tactic ${t} is not an item of this file`)
    } else if (item.tactics !== undefined) p(`${item.id}: only techniques list tactics`)
    if (ref.kind === 'mitigation') {
      const want = ref.techniques.filter((t) => ids.has(t))
      if (item.techniques !== undefined && !sameSet(item.techniques, want)) {
        p(`${item.id}: techniques ${list(item.techniques)} should be the ATLAS links present in this file (${list(want)})`)
      }
    } else if (item.techniques !== undefined) p(`${item.id}: only mitigations list techniques`)
  }
  if (techniques < MIN_ATLAS_TECHNIQUES) p(`only ${techniques} techniques and sub-techniques; at least ${MIN_ATLAS_TECHNIQUES} expected`)
  for (const id of REQUIRED_ATLAS) if (!ids.has(id)) p(`missing required ATLAS item ${id}`)
}

function checkNist(doc, rmf, gai, p) {
  if (doc.version !== '1.0') p(`version "${doc.version}" should be "1.0"`)
  if (!doc.name.includes('AI RMF 1.0')) p(`name "${doc.name}" should name the AI RMF 1.0`)
  if (doc.source !== rmf.url) p(`source ${doc.source} should be ${rmf.url}`)
  const known = new Set(Object.keys(rmf.functions))
  const summaryOf = new Map()
  for (const categories of Object.values(rmf.functions)) {
    for (const c of categories) {
      known.add(c.id)
      summaryOf.set(c.id, c.summary)
      for (const s of c.subcategories) {
        known.add(s.id)
        summaryOf.set(s.id, s.summary)
      }
    }
  }
  let subcategories = 0
  let lastGai = 0
  const gaiSeen = new Set()
  for (const item of doc.items) {
    const m = /^GAI-(\d+)$/.exec(item.id)
    if (m) {
      const n = Number(m[1])
      const risk = gai.risks.find((r) => r.n === n)
      if (!risk) p(`${item.id}: the Generative AI Profile has no risk ${n}`)
      else if (risk.name !== item.name) p(`${item.id}: name "${item.name}" differs from the reference "${risk.name}"`)
      if (n < lastGai) p(`${item.id}: GAI risks must follow the reference order`)
      lastGai = n
      gaiSeen.add(n)
      continue
    }
    if (!known.has(item.id)) {
      p(`${item.id}: not a function, category or subcategory id of the AI RMF 1.0`)
      continue
    }
    if (/^(GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+$/.test(item.id)) subcategories++
    // NIST gives subcategories no names: ours must be a paraphrase, not the reference's wording.
    const own = new Set(ngrams(summaryOf.get(item.id) ?? '', 4))
    const hit = ngrams(item.name, 4).find((g) => own.has(g))
    if (hit) p(`${item.id}: name "${item.name}" repeats the reference wording ("${hit}")`)
  }
  for (const r of gai.risks) if (!gaiSeen.has(r.n)) p(`missing GAI-${r.n} ("${r.name}")`)
  if (subcategories < MIN_NIST_SUBCATEGORIES) p(`only ${subcategories} subcategories; at least ${MIN_NIST_SUBCATEGORIES} expected`)
}

/** Published crosswalk pairs: from framework/item -> to framework/item. */
function crosswalkPairs(official) {
  const pairs = []
  for (const [asi, entry] of Object.entries(official.asi2026_appendix_A?.map ?? {})) {
    for (const llm of entry.llm ?? [])
      pairs.push({fromFw: 'owasp-agentic', from: asi, toFw: 'owasp-llm', to: llm, source: 'ASI 2026 appendix A'})
  }
  for (const [nhi, entry] of Object.entries(official.asi2026_appendix_C?.map ?? {})) {
    for (const asi of entry.asi ?? [])
      pairs.push({fromFw: 'owasp-nhi', from: nhi, toFw: 'owasp-agentic', to: asi, source: 'ASI 2026 appendix C'})
  }
  return pairs
}

function checkCrosswalks(files, official, problems) {
  const pairs = crosswalkPairs(official)
  const result = {pairs: pairs.length, shared: 0, excepted: 0}
  const item = (fw, id) => files.get(fw)?.items.find((i) => i.id === id)
  const seen = new Set()
  for (const pair of pairs) {
    const key = `${pair.from}->${pair.to}`
    seen.add(key)
    const a = item(pair.fromFw, pair.from)
    const b = item(pair.toFw, pair.to)
    if (!a || !b) {
      if (files.has(pair.fromFw) && files.has(pair.toFw)) problems.push(`crosswalk ${key} (${pair.source}): item missing`)
      continue
    }
    const shared = a.threats.filter((t) => b.threats.includes(t))
    const exception = (files.get(pair.fromFw).crosswalkExceptions ?? []).find((e) => e.from === pair.from && e.to === pair.to)
    if (shared.length > 0 && exception) {
      problems.push(`frameworks/${pair.fromFw}.json: crosswalk exception ${key} is stale: the items share ${list(shared)}`)
    } else if (shared.length > 0) result.shared++
    else if (exception) result.excepted++
    else
      problems.push(
        `crosswalk ${key} (${pair.source}): no shared threat and no crosswalkExceptions entry in frameworks/${pair.fromFw}.json`,
      )
  }
  for (const [fw, doc] of files) {
    for (const e of doc.crosswalkExceptions ?? []) {
      if (!seen.has(`${e.from}->${e.to}`))
        problems.push(`frameworks/${fw}.json: crosswalk exception ${e.from}->${e.to} is not a pair of a published crosswalk`)
      if (!doc.items.some((i) => i.id === e.from)) problems.push(`frameworks/${fw}.json: crosswalk exception from unknown item ${e.from}`)
    }
  }
  return result
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
  const sharedDir = process.argv[2] ? resolve(process.argv[2]) : join(repoRoot, '..', 'shared')
  const {problems, warnings, counts, crosswalk, threats} = runChecks(repoRoot, sharedDir)
  for (const w of warnings) console.error(`warning: ${w}`)
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem)
    console.error(`${problems.length} problem(s) in the framework catalogs`)
    process.exit(1)
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  const perFile = Object.entries(counts)
    .map(([id, n]) => `${id} ${n}`)
    .join(', ')
  console.log(
    `frameworks OK: ${total} items (${perFile}); ${threats} threats mapped; ` +
      `${crosswalk.pairs} crosswalk pairs (${crosswalk.shared} share a threat, ${crosswalk.excepted} excepted)`,
  )
}
