#!/usr/bin/env node
// Checks the threat, control and blast-radius catalogs, and assesses manifests with a small
// reference evaluator of docs/rules.md and the scoring of DESIGN.md, for calibrating the numbers.
//
//   node scripts/check-catalogs.mjs                       check the catalogs; exit 1 on a problem
//   node scripts/check-catalogs.mjs agent.yaml [...]      check, then assess each manifest
//     --waivers FILE   apply a waivers file (leash-waivers/v1)   --date YYYY-MM-DD  (default today)
//     --verbose        also print modifiers, controls in place and open questions
//     --json           print one JSON document with the results instead of tables
//
// Exports checkCatalogs(repoRoot) → problem strings, and the evaluator for tests.
import {readFileSync, readdirSync, existsSync} from 'node:fs'
import {join, dirname, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import AjvModule from 'ajv'
import addFormatsModule from 'ajv-formats'
import {parse as parseYaml} from 'yaml'

const Ajv = AjvModule.default ?? AjvModule
const addFormats = addFormatsModule.default ?? addFormatsModule

/** Ids the design fixes (DESIGN.md, "Minimum catalog ids"): they must never disappear. */
export const REQUIRED_THREATS = [
  'THR-SECRET-EXPOSURE',
  'THR-SECRET-LEAK-OUTPUT',
  'THR-EXCESSIVE-REPO-PRIVILEGE',
  'THR-SELF-APPROVAL',
  'THR-UNTRUSTED-INPUT-HIJACK',
  'THR-UNTRUSTED-TRIGGER',
  'THR-ARBITRARY-CODE-EXECUTION',
  'THR-LONG-LIVED-CREDENTIALS',
  'THR-INSECURE-AUTHENTICATION',
  'THR-SHARED-IDENTITY',
  'THR-ORPHANED-IDENTITY',
  'THR-ENVIRONMENT-CROSSOVER',
  'THR-PIPELINE-TAMPERING',
  'THR-PRODUCTION-DEPLOYMENT',
  'THR-CLOUD-OVERPRIVILEGE',
  'THR-SUPPLY-CHAIN-TOOLS',
  'THR-DEPENDENCY-INSTALL',
  'THR-MODEL-DRIFT',
  'THR-DATA-EXFILTRATION',
  'THR-MEMORY-POISONING',
  'THR-INTER-AGENT-ABUSE',
  'THR-RUNAWAY-AGENT',
  'THR-NO-ROLLBACK',
  'THR-UNTRACEABLE-ACTIONS',
  'THR-UNSIGNED-ARTIFACTS',
  'THR-HUMAN-TRUST-EXPLOITATION',
]
export const REQUIRED_CONTROLS = [
  'CTL-DEDICATED-IDENTITY',
  'CTL-NO-HUMAN-USE',
  'CTL-NHI-INVENTORY-OWNER',
  'CTL-IDENTITY-EXPIRY-OFFBOARDING',
  'CTL-SHORT-LIVED-CREDENTIALS',
  'CTL-FEDERATED-AUTH',
  'CTL-CREDENTIAL-ROTATION',
  'CTL-JIT-SECRETS',
  'CTL-BLOCK-ENV-FILES',
  'CTL-LOG-REDACTION',
  'CTL-OUTPUT-SECRET-SCANNING',
  'CTL-LEAST-PRIVILEGE-REPO',
  'CTL-BRANCH-PROTECTION',
  'CTL-HUMAN-MERGE-APPROVAL',
  'CTL-PROTECTED-PIPELINES',
  'CTL-NO-DEPLOY-CREDENTIALS',
  'CTL-PER-ENVIRONMENT-CREDENTIALS',
  'CTL-EPHEMERAL-SANDBOX',
  'CTL-NON-ROOT',
  'CTL-EGRESS-ALLOWLIST',
  'CTL-SHELL-ALLOWLIST',
  'CTL-WORKSPACE-FS',
  'CTL-LOCKFILE-INSTALLS',
  'CTL-PINNED-TOOLS',
  'CTL-PINNED-MODEL',
  'CTL-TRUSTED-TRIGGERS',
  'CTL-PROMPT-INJECTION-GUARD',
  'CTL-MEMORY-ISOLATION',
  'CTL-AUTHENTICATED-AGENT-CHANNELS',
  'CTL-KILL-SWITCH',
  'CTL-BUDGETS-TIMEOUTS',
  'CTL-TRACE-LOGGING',
  'CTL-TAMPER-EVIDENT-AUDIT',
  'CTL-ATTRIBUTION',
  'CTL-ANOMALY-ALERTING',
  'CTL-SEPARATE-ROLLBACK',
  'CTL-ARTIFACT-SIGNING',
  'CTL-ACCESS-REVIEW',
]
const OWN_FILES = ['threats.json', 'controls.json', 'blast-radius.json']
const OPERATORS = [
  'equals',
  'oneOf',
  'contains',
  'containsAny',
  'nonEmpty',
  'absent',
  'present',
  'gt',
  'gte',
  'lt',
  'lte',
  'durationGt',
  'durationGte',
  'durationLt',
  'durationLte',
  'matches',
]

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))

// ---------------------------------------------------------------------------------------------
// Catalog checks
// ---------------------------------------------------------------------------------------------

function makeAjv(root) {
  const ajv = new Ajv({allErrors: true, strict: false})
  addFormats(ajv)
  ajv.addSchema(readJson(join(root, 'schemas/condition.schema.json')))
  return ajv
}

/** Load the three catalogs (no validation). */
export function loadCatalogs(root) {
  const dir = join(root, 'frameworks')
  return {
    threats: readJson(join(dir, 'threats.json')),
    controls: readJson(join(dir, 'controls.json')),
    graph: readJson(join(dir, 'blast-radius.json')),
  }
}

/** Resolve a local `$ref` (#/definitions/x) of the manifest schema. */
function deref(schema, node) {
  let n = node
  for (let i = 0; n && n.$ref && i < 10; i++) {
    const ref = n.$ref
    if (!ref.startsWith('#/')) return n
    const target = ref
      .slice(2)
      .split('/')
      .reduce((o, k) => (o ? o[k] : undefined), schema)
    n = target ? {...target, ...Object.fromEntries(Object.entries(n).filter(([k]) => k !== '$ref')), $refName: ref} : undefined
  }
  return n
}

/** The schema of a dotted path below `base`, or undefined. */
function schemaAt(schema, base, path) {
  let node = deref(schema, base)
  for (const seg of path.split('.')) {
    if (!node || !node.properties || !Object.prototype.hasOwnProperty.call(node.properties, seg)) return undefined
    node = deref(schema, node.properties[seg])
  }
  return node
}

const typeOf = (node) => node.type ?? (node.const !== undefined ? typeof node.const : node.enum ? typeof node.enum[0] : undefined)

/** Check every path and operator of a condition against the manifest schema; push problems. */
function checkCondition(cond, schema, base, where, problems, prefix = '') {
  if (!cond || typeof cond !== 'object') return problems.push(`${where}: not a condition`)
  if ('all' in cond || 'any' in cond) {
    for (const c of cond.all ?? cond.any) checkCondition(c, schema, base, where, problems, prefix)
    return
  }
  if ('not' in cond) return checkCondition(cond.not, schema, base, where, problems, prefix)
  if ('anyItem' in cond || 'allItems' in cond) {
    const p = cond.anyItem ?? cond.allItems
    const node = schemaAt(schema, base, p)
    if (!node) return problems.push(`${where}: path ${prefix}${p} is not in the manifest schema`)
    if (typeOf(node) !== 'array') return problems.push(`${where}: ${prefix}${p} is not a list (anyItem/allItems)`)
    return checkCondition(cond.where, schema, deref(schema, node.items), where, problems, `${prefix}${p}[].`)
  }
  const full = `${prefix}${cond.path}`
  const node = schemaAt(schema, base, cond.path)
  if (!node) return problems.push(`${where}: path ${full} is not in the manifest schema`)
  const ops = OPERATORS.filter((o) => o in cond)
  if (ops.length !== 1) return problems.push(`${where}: ${full} needs exactly one operator, has ${ops.join(', ') || 'none'}`)
  const op = ops[0]
  const type = typeOf(node)
  const item = node.items ? deref(schema, node.items) : undefined
  const checkValue = (v, target, label) => {
    const t = typeOf(target)
    if (target.enum && !target.enum.includes(v))
      problems.push(`${where}: ${label} ${JSON.stringify(v)} is not one of ${target.enum.join(' | ')}`)
    else if (t === 'boolean' && typeof v !== 'boolean') problems.push(`${where}: ${label} ${JSON.stringify(v)} is not a boolean`)
    else if ((t === 'integer' || t === 'number') && typeof v !== 'number')
      problems.push(`${where}: ${label} ${JSON.stringify(v)} is not a number`)
    else if (t === 'string' && typeof v !== 'string') problems.push(`${where}: ${label} ${JSON.stringify(v)} is not a string`)
    else if (t === 'array' || t === 'object') problems.push(`${where}: ${label} compares a scalar with a ${t}`)
  }
  switch (op) {
    case 'equals':
      checkValue(cond.equals, node, full)
      break
    case 'oneOf':
      for (const v of cond.oneOf) checkValue(v, node, full)
      break
    case 'contains':
    case 'containsAny':
    case 'nonEmpty':
      if (type !== 'array') problems.push(`${where}: ${op} on ${full}, which is not a list`)
      else if (op !== 'nonEmpty') for (const v of op === 'contains' ? [cond.contains] : cond.containsAny) checkValue(v, item, `${full}[]`)
      break
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (type !== 'integer' && type !== 'number') problems.push(`${where}: ${op} on ${full}, which is not a number`)
      break
    case 'durationGt':
    case 'durationGte':
    case 'durationLt':
    case 'durationLte':
      if (node.$refName !== '#/definitions/duration') problems.push(`${where}: ${op} on ${full}, which is not a duration`)
      break
    case 'matches':
      if (!(type === 'string' || (type === 'array' && typeOf(item) === 'string')))
        problems.push(`${where}: matches on ${full}, which is neither text nor a list of text`)
      try {
        new RegExp(cond.matches)
      } catch {
        problems.push(`${where}: matches ${JSON.stringify(cond.matches)} is not a valid regular expression`)
      }
      break
    default:
  }
  if ((op === 'absent' || op === 'present') && 'ifAbsent' in cond)
    problems.push(`${where}: ${full} has ifAbsent with ${op}, which never answers unknown`)
}

function schemaProblems(ajv, schemaFile, data, label) {
  const validate = ajv.compile(readJson(schemaFile))
  if (validate(data)) return []
  return validate.errors.map(
    (e) =>
      `${label}: schema: ${e.instancePath || '/'} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''}`,
  )
}

/** Every problem with the catalogs, as human-readable strings (empty when all is well). */
export function checkCatalogs(repoRoot) {
  const root = resolve(repoRoot)
  const problems = []
  let cat
  try {
    cat = loadCatalogs(root)
  } catch (error) {
    return [`cannot read the catalogs: ${error.message}`]
  }
  const ajv = makeAjv(root)
  problems.push(...schemaProblems(ajv, join(root, 'schemas/threats.schema.json'), cat.threats, 'frameworks/threats.json'))
  problems.push(...schemaProblems(ajv, join(root, 'schemas/controls.schema.json'), cat.controls, 'frameworks/controls.json'))
  problems.push(...schemaProblems(ajv, join(root, 'schemas/blast-radius.schema.json'), cat.graph, 'frameworks/blast-radius.json'))
  if (problems.length > 0) return problems

  const manifestSchema = readJson(join(root, 'schemas/agent-manifest.schema.json'))
  const threats = cat.threats.threats
  const controls = cat.controls.controls
  const threatIds = new Set()
  const controlIds = new Set()
  for (const t of threats) {
    if (threatIds.has(t.id)) problems.push(`threat ${t.id} is defined twice`)
    threatIds.add(t.id)
  }
  for (const c of controls) {
    if (controlIds.has(c.id)) problems.push(`control ${c.id} is defined twice`)
    controlIds.add(c.id)
  }
  for (const id of REQUIRED_THREATS) if (!threatIds.has(id)) problems.push(`required threat ${id} is missing`)
  for (const id of REQUIRED_CONTROLS) if (!controlIds.has(id)) problems.push(`required control ${id} is missing`)

  const mitigated = new Set()
  for (const t of threats) {
    const where = `threat ${t.id}`
    if (!t.controls || t.controls.length === 0) problems.push(`${where} has no mitigating control`)
    const seen = new Set()
    for (const m of t.controls ?? []) {
      if (!controlIds.has(m.id)) problems.push(`${where} refers to unknown control ${m.id}`)
      if (seen.has(m.id)) problems.push(`${where} lists control ${m.id} twice`)
      seen.add(m.id)
      if (!((m.likelihood ?? 0) > 0 || (m.impact ?? 0) > 0)) problems.push(`${where}: control ${m.id} has no strength`)
      mitigated.add(m.id)
    }
    checkCondition(t.when, manifestSchema, manifestSchema, `${where} when`, problems)
    ;(t.modifiers ?? []).forEach((m, i) => checkCondition(m.when, manifestSchema, manifestSchema, `${where} modifiers[${i}]`, problems))
  }
  for (const c of controls) {
    if (!mitigated.has(c.id)) problems.push(`control ${c.id} mitigates no threat`)
    if (c.detectedBy) checkCondition(c.detectedBy, manifestSchema, manifestSchema, `control ${c.id} detectedBy`, problems)
    if (c.partialWhen) checkCondition(c.partialWhen, manifestSchema, manifestSchema, `control ${c.id} partialWhen`, problems)
  }

  const nodeIds = new Set()
  for (const n of cat.graph.nodes) {
    if (nodeIds.has(n.id)) problems.push(`blast-radius node ${n.id} is defined twice`)
    nodeIds.add(n.id)
  }
  const connected = new Set()
  const edgeKeys = new Set()
  for (const e of cat.graph.edges) {
    const where = `blast-radius edge ${e.from} -> ${e.to}`
    if (edgeKeys.has(`${e.from}>${e.to}`)) problems.push(`${where} is defined twice`)
    edgeKeys.add(`${e.from}>${e.to}`)
    for (const id of [e.from, e.to]) if (!nodeIds.has(id)) problems.push(`${where} refers to unknown node ${id}`)
    for (const id of e.guardedBy) if (!controlIds.has(id)) problems.push(`${where} refers to unknown control ${id}`)
    connected.add(e.from).add(e.to)
    checkCondition(e.when, manifestSchema, manifestSchema, `${where} when`, problems)
  }
  for (const id of nodeIds) if (!connected.has(id)) problems.push(`blast-radius node ${id} has no edge`)

  // Other catalog files (framework files, the question bank) may only name ids that exist.
  const dir = join(root, 'frameworks')
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !OWN_FILES.includes(f))
    .sort()) {
    let data
    try {
      data = readJson(join(dir, file))
    } catch (error) {
      problems.push(`frameworks/${file}: not JSON (${error.message})`)
      continue
    }
    const unknown = new Set()
    const walk = (v) => {
      if (typeof v === 'string') {
        if (/^THR-[A-Z0-9-]+$/.test(v) && !threatIds.has(v)) unknown.add(v)
        if (/^CTL-[A-Z0-9-]+$/.test(v) && !controlIds.has(v)) unknown.add(v)
      } else if (Array.isArray(v)) v.forEach(walk)
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    walk(data)
    for (const id of [...unknown].sort()) problems.push(`frameworks/${file} refers to unknown id ${id}`)
  }
  return problems
}

// ---------------------------------------------------------------------------------------------
// Reference evaluator (docs/rules.md)
// ---------------------------------------------------------------------------------------------

const T = 'true'
const F = 'false'
const U = 'unknown'
const fromBool = (b) => (b ? T : F)

/** ISO 8601 duration in seconds (years 365 days, months 30 days), or NaN. */
export function durationSeconds(text) {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text)
  if (!m || text === 'P' || text.endsWith('T')) return Number.NaN
  const n = (x) => Number(x ?? 0)
  return n(m[1]) * 31536000 + n(m[2]) * 2592000 + n(m[3]) * 604800 + n(m[4]) * 86400 + n(m[5]) * 3600 + n(m[6]) * 60 + n(m[7])
}

function getAt(root, segments) {
  let cur = root
  for (const seg of segments) {
    if (cur === null || typeof cur !== 'object') return {found: false}
    if (Array.isArray(cur)) {
      if (typeof seg !== 'number' || seg >= cur.length) return {found: false}
      cur = cur[seg]
    } else {
      if (typeof seg !== 'string' || !Object.prototype.hasOwnProperty.call(cur, seg)) return {found: false}
      cur = cur[seg]
    }
  }
  return cur === undefined ? {found: false} : {found: true, value: cur}
}

const fmt = (segments) => segments.reduce((s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : s ? `${s}.${seg}` : seg), '')

function leafTruth(leaf, value) {
  if ('equals' in leaf) return fromBool(value === leaf.equals)
  if ('oneOf' in leaf) return fromBool(leaf.oneOf.includes(value))
  if ('contains' in leaf) return fromBool(Array.isArray(value) && value.includes(leaf.contains))
  if ('containsAny' in leaf) return fromBool(Array.isArray(value) && leaf.containsAny.some((v) => value.includes(v)))
  if ('nonEmpty' in leaf) return fromBool((Array.isArray(value) && value.length > 0) === leaf.nonEmpty)
  if ('matches' in leaf) {
    const re = new RegExp(leaf.matches)
    return fromBool((Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && re.test(v)))
  }
  for (const [op, cmp] of [
    ['gt', (a, b) => a > b],
    ['gte', (a, b) => a >= b],
    ['lt', (a, b) => a < b],
    ['lte', (a, b) => a <= b],
  ]) {
    if (op in leaf) return fromBool(typeof value === 'number' && cmp(value, leaf[op]))
  }
  for (const [op, cmp] of [
    ['durationGt', (a, b) => a > b],
    ['durationGte', (a, b) => a >= b],
    ['durationLt', (a, b) => a < b],
    ['durationLte', (a, b) => a <= b],
  ]) {
    if (op in leaf) {
      const a = typeof value === 'string' ? durationSeconds(value) : Number.NaN
      return Number.isNaN(a) ? U : fromBool(cmp(a, durationSeconds(leaf[op])))
    }
  }
  throw new Error(`condition on ${leaf.path} has no operator`)
}

function combine(children, op) {
  const decisive = op === 'all' ? F : T
  const pick = (t) => children.filter((c) => c.truth === t).flatMap((c) => c.leaves)
  if (children.some((c) => c.truth === decisive)) return {truth: decisive, leaves: pick(decisive)}
  if (children.some((c) => c.truth === U)) return {truth: U, leaves: pick(U)}
  return {truth: op === 'all' ? T : F, leaves: children.flatMap((c) => c.leaves)}
}

/**
 * Evaluate a condition: { truth: 'true'|'false'|'unknown', leaves: [{path, truth, value}] }, the
 * leaves being those that justify the truth (the engine's `because` and open questions).
 */
export function evaluate(cond, manifest, base = []) {
  if ('all' in cond)
    return combine(
      cond.all.map((c) => evaluate(c, manifest, base)),
      'all',
    )
  if ('any' in cond)
    return combine(
      cond.any.map((c) => evaluate(c, manifest, base)),
      'any',
    )
  if ('not' in cond) {
    const inner = evaluate(cond.not, manifest, base)
    return {truth: inner.truth === T ? F : inner.truth === F ? T : U, leaves: inner.leaves}
  }
  if ('anyItem' in cond || 'allItems' in cond) {
    const listPath = [...base, ...(cond.anyItem ?? cond.allItems).split('.')]
    const got = getAt(manifest, listPath)
    if (!got.found || !Array.isArray(got.value)) {
      const truth = got.found ? F : cond.ifAbsent === undefined ? U : fromBool(cond.ifAbsent)
      return {truth, leaves: [{path: fmt(listPath), truth, value: got.found ? got.value : null}]}
    }
    if (got.value.length === 0) {
      const truth = fromBool('allItems' in cond)
      return {truth, leaves: [{path: fmt(listPath), truth, value: []}]}
    }
    const items = got.value.map((_, i) => evaluate(cond.where, manifest, [...listPath, i]))
    return combine(items, 'anyItem' in cond ? 'any' : 'all')
  }
  const path = [...base, ...cond.path.split('.')]
  const got = getAt(manifest, path)
  let truth
  if ('absent' in cond) truth = fromBool(!got.found)
  else if ('present' in cond) truth = fromBool(got.found)
  else if (!got.found) truth = cond.ifAbsent === undefined ? U : fromBool(cond.ifAbsent)
  else truth = leafTruth(cond, got.value)
  return {truth, leaves: [{path: fmt(path), truth, value: got.found ? got.value : null}]}
}

// ---------------------------------------------------------------------------------------------
// Reference scoring (DESIGN.md, "The model", items 5-6)
// ---------------------------------------------------------------------------------------------

const clamp = (n) => Math.min(5, Math.max(1, n))
export const band = (score) => (score >= 20 ? 'critical' : score >= 12 ? 'high' : score >= 6 ? 'medium' : 'low')
const EFFORT = {low: 1, medium: 2, high: 4}

/** Control states: fields first (detectedBy, then partialWhen), then the manifest's controls: list if it claims more. */
export function controlStates(manifest, controls) {
  const declared = new Map((manifest.controls ?? []).map((c) => [c.id, c.status]))
  const rank = (s) => (s === 'implemented' ? 2 : s === 'partial' ? 1 : 0)
  const states = new Map()
  const questions = new Map()
  for (const c of controls) {
    let status = 'missing'
    let source = 'none'
    if (c.detectedBy) {
      const r = evaluate(c.detectedBy, manifest)
      if (r.truth === T) status = 'implemented'
      else {
        if (r.truth === U)
          questions.set(
            c.id,
            r.leaves.filter((l) => l.truth === U).map((l) => l.path),
          )
        if (c.partialWhen && evaluate(c.partialWhen, manifest).truth === T) status = 'partial'
      }
      if (status !== 'missing') source = 'fields'
    }
    const claim = declared.get(c.id)
    if (claim && rank(claim) > rank(status)) {
      status = claim
      source = 'declared'
    }
    states.set(c.id, {status, source})
  }
  return {states, questions}
}

function residualOf(threat, inherent, states) {
  let likelihood = inherent.likelihood
  let impact = inherent.impact
  for (const m of threat.controls) {
    const s = states.get(m.id)?.status
    if (s !== 'implemented' && s !== 'partial') continue
    const f = (n) => (s === 'partial' ? Math.floor((n ?? 0) / 2) : (n ?? 0))
    likelihood -= f(m.likelihood)
    impact -= f(m.impact)
  }
  likelihood = clamp(likelihood)
  impact = clamp(impact)
  return {likelihood, impact, score: likelihood * impact}
}

function globMatches(glob, name) {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`).test(name)
}

/** Assess one manifest object against the catalogs: findings, verdict, recommendations, open questions. */
export function assessManifest(manifest, catalogs, {waivers = [], today = new Date().toISOString().slice(0, 10)} = {}) {
  const {states, questions: controlQuestions} = controlStates(manifest, catalogs.controls.controls)
  const openQuestions = new Set()
  const scored = []
  for (const threat of catalogs.threats.threats) {
    const applies = evaluate(threat.when, manifest)
    if (applies.truth === F) continue
    if (applies.truth === U) for (const l of applies.leaves) if (l.truth === U) openQuestions.add(l.path)
    let likelihood = threat.likelihood.base
    let impact = threat.impact.base
    const modifiers = []
    for (const m of threat.modifiers ?? []) {
      const raises = (m.likelihood ?? 0) > 0 || (m.impact ?? 0) > 0
      const r = evaluate(m.when, manifest)
      if (!(r.truth === T || (raises && r.truth === U))) continue
      if (r.truth === U) for (const l of r.leaves) if (l.truth === U) openQuestions.add(l.path)
      likelihood += m.likelihood ?? 0
      impact += m.impact ?? 0
      modifiers.push({...m, truth: r.truth})
    }
    const inherent = {likelihood: clamp(likelihood), impact: clamp(impact)}
    inherent.score = inherent.likelihood * inherent.impact
    for (const m of threat.controls) {
      if (states.get(m.id).status === 'missing') for (const p of controlQuestions.get(m.id) ?? []) openQuestions.add(p)
    }
    scored.push({threat, applies, inherent, modifiers})
  }
  const name = manifest.metadata?.name ?? ''
  const findings = scored.map(({threat, applies, inherent, modifiers}) => {
    const residual = residualOf(threat, inherent, states)
    const waiver = waivers.find((w) => w.threat === threat.id && globMatches(w.agent, name) && w.expires >= today) ?? null
    return {
      id: threat.id,
      title: threat.title,
      severity: band(residual.score),
      inherent,
      residual,
      because: applies.leaves.filter((l) => l.truth !== F).map((l) => l.path),
      modifiers: modifiers.map(
        (m) =>
          `${m.likelihood ? `L${m.likelihood > 0 ? '+' : ''}${m.likelihood}` : `I${m.impact > 0 ? '+' : ''}${m.impact}`}${m.truth === U ? '?' : ''} ${m.reason}`,
      ),
      inPlace: threat.controls
        .filter((m) => states.get(m.id).status !== 'missing')
        .map((m) => `${m.id}${states.get(m.id).status === 'partial' ? ' (partial)' : ''}`),
      missingControls: threat.controls
        .filter((m) => states.get(m.id).status !== 'implemented')
        .map((m) => m.id)
        .sort(),
      waiver,
    }
  })
  findings.sort((a, b) => b.residual.score - a.residual.score || a.id.localeCompare(b.id))
  const open = findings.filter((f) => !f.waiver)
  const verdict = open.some((f) => f.severity === 'critical' || f.severity === 'high')
    ? 'not-ready'
    : open.some((f) => f.severity === 'medium')
      ? 'conditional'
      : 'ready'

  const recommendations = []
  for (const c of catalogs.controls.controls) {
    if (states.get(c.id).status === 'implemented') continue
    const withIt = new Map(states)
    withIt.set(c.id, {status: 'implemented', source: 'what-if'})
    let reduction = 0
    const reduces = []
    for (const s of scored) {
      if (!s.threat.controls.some((m) => m.id === c.id)) continue
      const diff = residualOf(s.threat, s.inherent, states).score - residualOf(s.threat, s.inherent, withIt).score
      if (diff > 0) {
        reduction += diff
        reduces.push(s.threat.id)
      }
    }
    if (reduction > 0)
      recommendations.push({
        control: c.id,
        reduces: reduces.sort(),
        riskReduction: reduction,
        effort: c.effort,
        ratio: reduction / EFFORT[c.effort],
      })
  }
  recommendations.sort((a, b) => b.ratio - a.ratio || a.control.localeCompare(b.control))

  const edges = catalogs.graph.edges
    .filter((e) => evaluate(e.when, manifest).truth !== F)
    .map((e) => {
      const inPlace = e.guardedBy.filter((id) => states.get(id).status !== 'missing')
      return {
        from: e.from,
        to: e.to,
        label: e.label,
        guard: inPlace.length === 0 ? 'missing' : inPlace.length < e.guardedBy.length ? 'partial' : 'guarded',
      }
    })

  return {
    name,
    verdict,
    score: open.reduce((max, f) => Math.max(max, f.residual.score), 0),
    findings,
    recommendations: recommendations.map(({ratio: _r, ...r}) => r),
    openQuestions: [...openQuestions].sort(),
    controls: Object.fromEntries([...states].map(([id, s]) => [id, s.status])),
    blastRadius: edges,
  }
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

function printResult(file, r, verbose) {
  const pad = (s, n) => String(s).padEnd(n)
  console.log(
    `\n${file}: ${r.name} -> ${r.verdict.toUpperCase()} (score ${r.score}, ${r.findings.length} findings, ${r.openQuestions.length} open questions)`,
  )
  console.log(`  ${pad('threat', 32)} ${pad('inherent', 10)} ${pad('residual', 10)} severity`)
  for (const f of r.findings) {
    const s = (x) => `${x.likelihood}x${x.impact}=${x.score}`
    console.log(`  ${pad(f.id, 32)} ${pad(s(f.inherent), 10)} ${pad(s(f.residual), 10)} ${f.severity}${f.waiver ? ' (waived)' : ''}`)
    if (verbose) {
      for (const m of f.modifiers) console.log(`      mod ${m}`)
      if (f.inPlace.length) console.log(`      in place: ${f.inPlace.join(', ')}`)
      if (f.missingControls.length) console.log(`      missing:  ${f.missingControls.join(', ')}`)
    }
  }
  console.log(
    `  top actions: ${
      r.recommendations
        .slice(0, 3)
        .map((x) => `${x.control} (-${x.riskReduction}, ${x.effort})`)
        .join('; ') || 'none'
    }`,
  )
  const uncontrolled = r.blastRadius.filter((e) => e.guard === 'missing')
  console.log(
    `  blast radius: ${r.blastRadius.length} edges, ${uncontrolled.length} uncontrolled${uncontrolled.length ? `: ${uncontrolled.map((e) => `${e.from}->${e.to}`).join(', ')}` : ''}`,
  )
  if (verbose && r.openQuestions.length) console.log(`  open questions: ${r.openQuestions.join(', ')}`)
}

async function main(argv) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const args = [...argv]
  const flag = (name) => {
    const i = args.indexOf(name)
    if (i < 0) return undefined
    const [, value] = args.splice(i, 2)
    return value
  }
  const bool = (name) => {
    const i = args.indexOf(name)
    if (i >= 0) args.splice(i, 1)
    return i >= 0
  }
  const waiversFile = flag('--waivers')
  const today = flag('--date') ?? new Date().toISOString().slice(0, 10)
  const verbose = bool('--verbose')
  const json = bool('--json')

  const problems = checkCatalogs(root)
  if (!json) {
    if (problems.length) for (const p of problems) console.error(`problem: ${p}`)
    else console.error('catalogs: ok')
  }
  if (problems.length) {
    process.exitCode = 1
    return
  }
  if (args.length === 0) return

  const catalogs = loadCatalogs(root)
  const waivers = waiversFile ? (parseYaml(readFileSync(waiversFile, 'utf8')).waivers ?? []) : []
  const ajv = new Ajv({allErrors: true, strict: false})
  addFormats(ajv)
  const validateManifest = ajv.compile(readJson(join(root, 'schemas/agent-manifest.schema.json')))
  const results = []
  for (const file of args) {
    if (!existsSync(file)) {
      console.error(`${file}: no such file`)
      process.exitCode = 2
      continue
    }
    const manifest = parseYaml(readFileSync(file, 'utf8'))
    if (!validateManifest(manifest)) {
      for (const e of validateManifest.errors) console.error(`${file}: schema: ${e.instancePath || '/'} ${e.message}`)
      process.exitCode = 2
    }
    const r = assessManifest(manifest, catalogs, {waivers, today})
    results.push({file, ...r})
    if (!json) printResult(file, r, verbose)
  }
  if (json) console.log(JSON.stringify({results}, null, 2))
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main(process.argv.slice(2))
}
