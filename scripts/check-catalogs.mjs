#!/usr/bin/env node
// Checks the threat, control and blast-radius catalogs: schemas, ids, references, and every
// condition path against the manifest schema. To see how a manifest scores, run `leash assess`.
//
//   node scripts/check-catalogs.mjs        exit 1 on a problem
//
// Exports checkCatalogs(repoRoot) → problem strings.
import {readFileSync, readdirSync} from 'node:fs'
import {join, dirname, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import AjvModule from 'ajv'
import addFormatsModule from 'ajv-formats'

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

function main() {
  const problems = checkCatalogs(join(dirname(fileURLToPath(import.meta.url)), '..'))
  for (const p of problems) console.error(`problem: ${p}`)
  if (problems.length > 0) process.exitCode = 1
  else console.error('catalogs: ok')
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main()
}
