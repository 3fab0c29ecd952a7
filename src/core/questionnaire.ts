/**
 * The questionnaire of `leash init`, as pure functions over the question bank
 * (frameworks/questions.json): which question comes next, which are skipped, what the default
 * is, how a typed or filed answer is checked, and how the answers become a manifest (with a
 * note per field naming the question that set it). No I/O, no prompts: src/cli/prompts.ts asks,
 * src/commands/init.ts reads and writes.
 *
 * Skip logic: a question's `skipWhen` is a condition of docs/rules.md evaluated over the manifest
 * built from the answers before it (inside a group, relative to the item). Only 'true' skips; an
 * unknown (an earlier "not sure") asks. A skipped question writes nothing, even when it was
 * answered before an earlier answer changed.
 */
import type {Pair, Scalar, YAMLMap} from 'yaml'
import {durationSeconds, evaluate, type Condition} from './conditions.js'
import {FORBIDDEN_KEYS, type ParsedDocument} from './document.js'
import {InputError, type Diagnostic} from './errors.js'
import {formatPath, parsePath, type PathSegment} from './paths.js'
import {show, suggest} from './schema-errors.js'
import {findSecretsInText} from './secrets.js'
import {compareIds} from './order.js'
import {yamlLib} from './yaml.js'

// ---------------------------------------------------------------------------------------------
// The bank
// ---------------------------------------------------------------------------------------------

/** An answer: text, number, boolean, null (not sure, or left blank), a list, or a map of text. */
export type Value = string | number | boolean | null | string[] | Record<string, string>
export type ItemAnswers = Record<string, Value>
export type PresetAnswer = Value | ItemAnswers[]

export interface Choice {
  value: string | boolean | null
  name: string
  description?: string
  also?: Record<string, unknown>
}

export type InputFormat = 'text' | 'name' | 'date' | 'duration' | 'contact' | 'integer' | 'list' | 'labels'

export interface Question {
  id: string
  kind: 'select' | 'checkbox' | 'confirm' | 'input'
  message: string
  short: string
  why: string
  threats: string[]
  writes: string[]
  choices?: Choice[]
  choicesFrom?: 'controls'
  default: Value
  defaultFrom?: 'folder-name'
  defaultWhen?: {when: Condition; value: Value}[]
  skipWhen?: Condition
  input?: {format: InputFormat; required?: boolean; maxLength?: number}
  empty?: 'omit' | 'empty'
  control?: string
}

export interface Group {
  id: string
  kind: 'group'
  path: string
  noun: string
  message: string
  another: string
  short: string
  why: string
  threats: string[]
  default: number
  /** What declaring no item writes: nothing (`omit`), or `[]` (a claim: there are none). */
  empty: 'omit' | 'empty'
  skipWhen?: Condition
  questions: Question[]
}

export type Entry = Question | Group

export interface Section {
  id: string
  title: string
  intro: string
  questions: Entry[]
}

export interface Preset {
  id: string
  title: string
  description: string
  answers: Record<string, PresetAnswer>
}

export interface QuestionBank {
  apiVersion: 'leash-questions/v1'
  version: string
  sections: Section[]
  presets: Preset[]
}

/** What the questionnaire knows so far; saved as is in .leash/init-state.json. */
export interface Answers {
  preset?: string
  answers: Record<string, Value>
  groups: Record<string, GroupState>
}

export interface GroupState {
  items: ItemAnswers[]
  /** No more items: the user answered no to "add another?". */
  complete: boolean
}

/** What only the caller knows: the folder's name, the control catalog. */
export interface Context {
  folderName?: string
  controls?: readonly {id: string; title: string}[]
}

export const CONTROL_STATUSES = ['implemented', 'partial', 'planned', 'not-applicable'] as const
const MANIFEST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/

export function isGroup(entry: Entry): entry is Group {
  return entry.kind === 'group'
}

export function emptyAnswers(preset?: string): Answers {
  return preset ? {preset, answers: {}, groups: {}} : {answers: {}, groups: {}}
}

export function findPreset(bank: QuestionBank, id: string | undefined): Preset | undefined {
  return id === undefined ? undefined : bank.presets.find((p) => p.id === id)
}

/** Every top-level question and group by id. */
export function entriesById(bank: QuestionBank): Map<string, Entry> {
  const map = new Map<string, Entry>()
  for (const section of bank.sections) for (const entry of section.questions) map.set(entry.id, entry)
  return map
}

/** The current folder's name made to fit metadata.name (`[a-z0-9-]`, 1-63 characters). */
export function nameFromFolder(folder: string): string {
  const slug = folder
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '')
  return MANIFEST_NAME.test(slug) ? slug : ''
}

// ---------------------------------------------------------------------------------------------
// Steps: the order questions are asked in
// ---------------------------------------------------------------------------------------------

export type Step =
  | {kind: 'question'; section: number; question: Question}
  /** "Add a credential?" before item `index`. */
  | {kind: 'add'; section: number; group: Group; index: number}
  | {kind: 'item'; section: number; group: Group; index: number; question: Question}

/** A step's id as used in messages and answers files: `name`, `credentials[1].kind`, `credentials[+2]`. */
export function stepId(step: Step): string {
  if (step.kind === 'question') return step.question.id
  if (step.kind === 'add') return `${step.group.id}[+${step.index + 1}]`
  return `${step.group.id}[${step.index}].${step.question.id}`
}

/** A field set while building: the question that set it, and whether it follows from another answer. */
export interface Note {
  entry: Question | Group
  implied: boolean
}

export interface Built {
  manifest: Record<string, unknown>
  /** container object → key → the question that set it (for the YAML comments). */
  notes: WeakMap<object, Map<string, Note>>
  /** Paths answered "not sure", in question order. */
  open: string[]
}

interface Visit {
  step: Step
  skipped: boolean
  answered: boolean
  /** The manifest built from the answers before this step. */
  manifest: Record<string, unknown>
  /** Where relative paths of this step start (an item of a group), else []. */
  base: PathSegment[]
}

function clone<T>(value: T): T {
  return value === null || typeof value !== 'object' ? value : (JSON.parse(JSON.stringify(value)) as T)
}

function note(built: Built, container: object, key: string, entry: Question | Group, implied: boolean): void {
  let map = built.notes.get(container)
  if (!map) built.notes.set(container, (map = new Map()))
  map.set(key, {entry, implied})
}

/** Set a value at a path below `root`, creating objects on the way; returns the container. */
function setAt(
  root: Record<string, unknown>,
  path: readonly PathSegment[],
  value: unknown,
): {container: Record<string, unknown>; key: string} {
  let node = root
  for (const seg of path.slice(0, -1)) {
    const key = String(seg)
    const next = node[key]
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  const key = String(path[path.length - 1])
  node[key] = value
  return {container: node, key}
}

function getAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[seg]
  }
  return node
}

function skipped(condition: Condition | undefined, manifest: unknown, base: PathSegment[]): boolean {
  return condition !== undefined && evaluate(condition, manifest, base).truth === 'true'
}

/** Write one answer of a question into `target` (the manifest, or a group item). */
function writeAnswer(built: Built, target: Record<string, unknown>, q: Question, value: Value, where: PathSegment[]): void {
  if (q.control) {
    if (typeof value === 'string' && (CONTROL_STATUSES as readonly string[]).includes(value)) {
      const list = Array.isArray(built.manifest.controls) ? (built.manifest.controls as unknown[]) : (built.manifest.controls = [])
      const entry = {id: q.control, status: value}
      list.push(entry)
      note(built, entry, 'id', q, false)
      note(built, entry, 'status', q, false)
    } else if (value === null) built.open.push(q.control)
    return
  }
  const path = parsePath(q.writes[0])
  if (value === null) {
    if (q.kind === 'select') built.open.push(formatPath([...where, ...path]))
  } else if (!(q.kind === 'checkbox' && q.empty === 'omit' && Array.isArray(value) && value.length === 0)) {
    const {container, key} = setAt(target, path, clone(value))
    note(built, container, key, q, false)
  }
  const chosen = q.kind === 'checkbox' && Array.isArray(value) ? value : [value]
  for (const choice of q.choices ?? []) {
    if (!choice.also || !chosen.some((v) => v === choice.value)) continue
    for (const [p, v] of Object.entries(choice.also)) {
      const {container, key} = setAt(target, parsePath(p), clone(v))
      note(built, container, key, q, true)
    }
  }
}

/**
 * Walk the bank in order, building the manifest from the answers; `visit` sees each step with
 * the manifest built before it and may stop the walk by returning true.
 */
export function walk(bank: QuestionBank, state: Answers, visit?: (v: Visit) => boolean | void): Built {
  const built: Built = {manifest: {apiVersion: 'leash/v1', kind: 'AgentDeployment'}, notes: new WeakMap(), open: []}
  const m = built.manifest
  let stopped = false
  const see = (v: Visit): boolean => (stopped = stopped || (visit?.(v) ?? false) === true)
  sections: for (const [section, s] of bank.sections.entries()) {
    for (const entry of s.questions) {
      if (!isGroup(entry)) {
        const skip = skipped(entry.skipWhen, m, [])
        const answered = Object.hasOwn(state.answers, entry.id)
        if (see({step: {kind: 'question', section, question: entry}, skipped: skip, answered, manifest: m, base: []})) break sections
        if (!skip && answered) writeAnswer(built, m, entry, state.answers[entry.id], [])
        continue
      }
      const g = entry
      const gs = state.groups[g.id]
      if (skipped(g.skipWhen, m, [])) continue
      if (!gs) {
        if (see({step: {kind: 'add', section, group: g, index: 0}, skipped: false, answered: false, manifest: m, base: []})) break sections
        continue
      }
      const groupPath = parsePath(g.path)
      let list = getAt(m, groupPath)
      if (gs.items.length === 0 && g.empty === 'omit') {
        if (!gs.complete && see({step: {kind: 'add', section, group: g, index: 0}, skipped: false, answered: false, manifest: m, base: []}))
          break sections
        continue
      }
      if (!Array.isArray(list)) {
        list = []
        const {container, key} = setAt(m, groupPath, list)
        note(built, container, key, g, false)
      }
      for (const [index, item] of gs.items.entries()) {
        const target: Record<string, unknown> = {}
        ;(list as unknown[]).push(target)
        const base = [...groupPath, (list as unknown[]).length - 1]
        for (const q of g.questions) {
          const skip = skipped(q.skipWhen, m, base)
          const answered = Object.hasOwn(item, q.id)
          if (see({step: {kind: 'item', section, group: g, index, question: q}, skipped: skip, answered, manifest: m, base})) break sections
          if (!skip && answered) writeAnswer(built, target, q, item[q.id], base)
        }
      }
      if (!gs.complete) {
        if (see({step: {kind: 'add', section, group: g, index: gs.items.length}, skipped: false, answered: false, manifest: m, base: []}))
          break sections
      }
    }
  }
  dedupeControls(m)
  return built
}

/** A control declared twice (by a question and in the controls group) keeps its last entry. */
function dedupeControls(m: Record<string, unknown>): void {
  const list = m.controls
  if (!Array.isArray(list)) return
  const last = new Map<unknown, unknown>()
  for (const c of list) last.set((c as {id?: unknown}).id, c)
  m.controls = list.filter((c) => last.get((c as {id?: unknown}).id) === c)
}

/** The first step not yet answered and not skipped, or undefined when the questionnaire is done. */
export function nextStep(bank: QuestionBank, state: Answers): Step | undefined {
  let found: Step | undefined
  walk(bank, state, (v) => {
    if (v.skipped || v.answered) return false
    found = v.step
    return true
  })
  return found
}

export function buildManifest(bank: QuestionBank, state: Answers): Built {
  return walk(bank, state)
}

/** The recorded answer of a step, if any (`add` steps: whether item `index` exists). */
export function answerOf(state: Answers, step: Step): {value: Value} | undefined {
  if (step.kind === 'question') return Object.hasOwn(state.answers, step.question.id) ? {value: state.answers[step.question.id]} : undefined
  const gs = state.groups[step.group.id]
  if (step.kind === 'add') {
    if (!gs) return undefined
    if (step.index < gs.items.length) return {value: true}
    return gs.complete ? {value: false} : undefined
  }
  const item = gs?.items[step.index]
  return item && Object.hasOwn(item, step.question.id) ? {value: item[step.question.id]} : undefined
}

/** Record an answer (mutates `state`). */
export function record(state: Answers, step: Step, value: Value): void {
  if (step.kind === 'question') {
    state.answers[step.question.id] = clone(value)
    return
  }
  const gs = (state.groups[step.group.id] ??= {items: [], complete: false})
  if (step.kind === 'add') {
    if (value === true) {
      while (gs.items.length <= step.index) gs.items.push({})
      gs.complete = false
    } else {
      gs.items.length = Math.min(gs.items.length, step.index)
      gs.complete = true
    }
    return
  }
  while (gs.items.length <= step.index) gs.items.push({})
  gs.items[step.index][step.question.id] = clone(value)
}

/** Drop item `index` of a group (an edit in the review). */
export function removeItem(state: Answers, group: Group, index: number): void {
  state.groups[group.id]?.items.splice(index, 1)
}

// ---------------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------------

function presetItems(bank: QuestionBank, state: Answers, group: Group): ItemAnswers[] | undefined {
  const value = findPreset(bank, state.preset)?.answers[group.id]
  return Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object') ? (value as ItemAnswers[]) : undefined
}

/** How many items a group gets by default: the preset's, else the bank's. */
export function defaultCount(bank: QuestionBank, state: Answers, group: Group): number {
  return presetItems(bank, state, group)?.length ?? group.default
}

/**
 * The default of a step (ignoring any recorded answer): the preset's value, else a value computed
 * from the context, else the first `defaultWhen` that holds, else the bank's default.
 */
export function defaultFor(bank: QuestionBank, state: Answers, step: Step, ctx: Context = {}): Value {
  if (step.kind === 'add') return step.index < defaultCount(bank, state, step.group)
  const q = step.question
  const n = step.kind === 'item' ? step.index + 1 : 1
  const fill = (v: Value): Value => (typeof v === 'string' ? v.replace(/\{n\}/g, String(n)) : clone(v))
  if (step.kind === 'question') {
    const preset = findPreset(bank, state.preset)
    if (preset && Object.hasOwn(preset.answers, q.id)) return clone(preset.answers[q.id] as Value)
    if (q.defaultFrom === 'folder-name') {
      const name = nameFromFolder(ctx.folderName ?? '')
      if (name) return name
    }
  } else {
    const item = presetItems(bank, state, step.group)?.[step.index]
    if (item && Object.hasOwn(item, q.id)) return clone(item[q.id])
  }
  if (q.defaultWhen) {
    let base: PathSegment[] = []
    let manifest: Record<string, unknown> = {}
    walk(bank, state, (v) => {
      if (v.step.kind !== step.kind || stepId(v.step) !== stepId(step)) return false
      base = v.base
      manifest = v.manifest
      return true
    })
    for (const d of q.defaultWhen) if (evaluate(d.when, manifest, base).truth === 'true') return fill(d.value)
  }
  return fill(q.default)
}

/** The value to offer: the recorded answer, else the default. */
export function offered(bank: QuestionBank, state: Answers, step: Step, ctx: Context = {}): Value {
  const recorded = answerOf(state, step)
  return recorded ? recorded.value : defaultFor(bank, state, step, ctx)
}

/** Answer every remaining question with its default (`--yes`, `--json`, answers without a TTY). */
export function fillDefaults(bank: QuestionBank, state: Answers, ctx: Context = {}): number {
  let filled = 0
  for (let step = nextStep(bank, state); step; step = nextStep(bank, state)) {
    record(state, step, defaultFor(bank, state, step, ctx))
    if (step.kind !== 'add') filled++
  }
  return filled
}

// ---------------------------------------------------------------------------------------------
// Checking answers
// ---------------------------------------------------------------------------------------------

export type Checked = {ok: true; value: Value} | {ok: false; message: string; allowed?: string[]; suggestion?: string}

const fail = (message: string, extra: {allowed?: string[]; suggestion?: string} = {}): Checked => ({ok: false, message, ...extra})

/** The choices of a select or checkbox (a catalog's, for `choicesFrom`). */
export function choicesFor(q: Question, ctx: Context = {}): Choice[] {
  if (q.choicesFrom === 'controls') return (ctx.controls ?? []).map((c) => ({value: c.id, name: `${c.id}  ${c.title}`}))
  return q.choices ?? []
}

function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

function secretIn(text: string): string | undefined {
  const hit = findSecretsInText(text)[0]
  return hit ? `that looks like a secret (${hit.label}); give its name only, never its value` : undefined
}

/** Check and convert typed text for an input question. Blank is null (nothing written) unless required. */
export function parseInput(q: Question, raw: string): Checked {
  const format = q.input?.format ?? 'text'
  const text = raw.trim()
  if (text === '') return q.input?.required ? fail('an answer is needed') : {ok: true, value: null}
  const secret = secretIn(text)
  if (secret) return fail(secret)
  const max = q.input?.maxLength
  if (max !== undefined && text.length > max) return fail(`at most ${max} characters`)
  switch (format) {
    case 'name':
      return MANIFEST_NAME.test(text)
        ? {ok: true, value: text}
        : fail('use 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit')
    case 'date':
      return isDate(text) ? {ok: true, value: text} : fail('a date as YYYY-MM-DD, such as 2027-06-30')
    case 'duration':
      return DURATION.test(text) && !Number.isNaN(durationSeconds(text))
        ? {ok: true, value: text}
        : fail('an ISO 8601 duration such as PT1H, PT30M or P90D')
    case 'contact':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) || /^https?:\/\/[^\s/]+\.[^\s]+$/.test(text)
        ? {ok: true, value: text}
        : fail('an e-mail address or an http(s):// URL')
    case 'integer': {
      const n = Number(text)
      return /^\d+$/.test(text) && Number.isSafeInteger(n) ? {ok: true, value: n} : fail('a whole number, 0 or more')
    }
    case 'list': {
      const items = [
        ...new Set(
          text
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ]
      return items.length === 0 ? {ok: true, value: null} : {ok: true, value: items}
    }
    case 'labels': {
      const map: Record<string, string> = {}
      for (const part of text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const eq = part.indexOf('=')
        const key = eq < 0 ? '' : part.slice(0, eq).trim()
        if (!key) return fail(`"${part}" is not key=value`)
        if (FORBIDDEN_KEYS.has(key)) return fail(`the key "${key}" is not allowed`)
        if (key.length > 128) return fail('label keys are at most 128 characters')
        map[key] = part.slice(eq + 1).trim()
      }
      return Object.keys(map).length === 0 ? {ok: true, value: null} : {ok: true, value: map}
    }
    default:
      return {ok: true, value: text}
  }
}

/** An answer shown as editable text (the default of an input prompt). */
export function inputText(value: Value): string {
  if (value === null) return ''
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')
  return String(value)
}

const YES = new Set(['yes', 'y', 'true'])
const NO = new Set(['no', 'n', 'false'])

function asBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw
  if (typeof raw === 'string' && YES.has(raw.toLowerCase())) return true
  if (typeof raw === 'string' && NO.has(raw.toLowerCase())) return false
  return undefined
}

const label = (v: unknown) => (v === null ? 'unknown' : String(v))

/** Check an answer given as data (an answers file, a preset, the state file) and normalise it. */
export function checkAnswer(q: Question, raw: unknown, ctx: Context = {}): Checked {
  switch (q.kind) {
    case 'confirm': {
      const b = asBoolean(raw)
      return b === undefined ? fail(`${show(raw)} is not true or false`) : {ok: true, value: b}
    }
    case 'select': {
      const choices = choicesFor(q, ctx)
      if (q.choicesFrom && choices.length === 0) {
        return typeof raw === 'string' && /^CTL-[A-Z0-9-]+$/.test(raw)
          ? {ok: true, value: raw}
          : fail(`${show(raw)} is not a control id (CTL-…)`)
      }
      const values = choices.map((c) => c.value)
      let v: unknown = raw
      if ((raw === 'unknown' || raw === undefined) && values.includes(null)) v = null
      if (values.some((x) => typeof x === 'boolean')) v = asBoolean(raw) ?? v
      if (values.some((x) => x === v)) return {ok: true, value: v as Value}
      const allowed = values.map(label)
      const suggestion = typeof raw === 'string' ? suggest(raw, allowed) : undefined
      return fail(`${show(raw)} is not one of ${allowed.join(' | ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, {
        allowed,
        ...(suggestion ? {suggestion} : {}),
      })
    }
    case 'checkbox': {
      const list = raw === null ? [] : typeof raw === 'string' ? [raw] : raw
      if (!Array.isArray(list)) return fail(`${show(raw)} is not a list`)
      const order = choicesFor(q, ctx).map((c) => c.value)
      const allowed = order.map(label)
      for (const item of list) {
        if (!order.includes(item as string)) {
          const suggestion = typeof item === 'string' ? suggest(item, allowed) : undefined
          return fail(`${show(item)} is not one of ${allowed.join(' | ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, {
            allowed,
            ...(suggestion ? {suggestion} : {}),
          })
        }
      }
      return {ok: true, value: order.filter((v) => list.includes(v)) as string[]}
    }
    case 'input': {
      if (raw === null || raw === undefined) return q.input?.required ? fail('an answer is needed') : {ok: true, value: null}
      const format = q.input?.format
      if (typeof raw === 'number')
        return format === 'integer' || format === 'text' ? parseInput(q, String(raw)) : fail(`${show(raw)} is not text`)
      if (Array.isArray(raw) && format === 'list') {
        if (!raw.every((s) => typeof s === 'string' && !s.includes(','))) return fail('a list of text items without commas')
        return parseInput(q, raw.join(','))
      }
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && format === 'labels') {
        if (!Object.values(raw).every((s) => typeof s === 'string' && !s.includes(','))) return fail('a map of text values without commas')
        return parseInput(q, inputText(raw as Record<string, string>))
      }
      if (typeof raw !== 'string') return fail(`${show(raw)} is not text`)
      return parseInput(q, raw)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Answers files (YAML or JSON by question id; a group id takes a list of item answers)
// ---------------------------------------------------------------------------------------------

/** Read answers from a parsed answers file; every problem is reported at once, located. */
export function readAnswersFile(bank: QuestionBank, doc: ParsedDocument, ctx: Context = {}): Answers {
  const out = emptyAnswers()
  const problems: Diagnostic[] = []
  const at = (path: PathSegment[], message: string, extra: {allowed?: string[]; suggestion?: string} = {}, key = false) => {
    const pos = key ? doc.locateKey(path) : doc.locate(path)
    problems.push({code: 'answers', file: doc.file, line: pos.line, column: pos.column, path: formatPath(path), message, ...extra})
  }
  const value = doc.value
  if (value === null || value === undefined) return out
  if (typeof value !== 'object' || Array.isArray(value)) {
    at([], 'an answers file is a mapping of question ids to answers')
    throw new InputError(problems)
  }
  const entries = entriesById(bank)
  const ids = [...entries.keys()]
  for (const [id, raw] of Object.entries(value as Record<string, unknown>)) {
    const entry = entries.get(id)
    if (!entry) {
      const suggestion = suggest(id, ids)
      at([id], `unknown question id "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, suggestion ? {suggestion} : {}, true)
      continue
    }
    if (!isGroup(entry)) {
      const checked = checkAnswer(entry, raw, ctx)
      if (checked.ok) out.answers[id] = checked.value
      else at([id], checked.message, {allowed: checked.allowed, suggestion: checked.suggestion})
      continue
    }
    if (!Array.isArray(raw)) {
      at([id], `a list of ${entry.noun}s, each a mapping of ${entry.questions.map((q) => q.id).join(', ')}`)
      continue
    }
    const items: ItemAnswers[] = []
    const itemIds = entry.questions.map((q) => q.id)
    raw.forEach((item: unknown, index) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        at([id, index], `a mapping of ${itemIds.join(', ')}`)
        return
      }
      const answers: ItemAnswers = {}
      for (const [qid, qraw] of Object.entries(item as Record<string, unknown>)) {
        const q = entry.questions.find((x) => x.id === qid)
        if (!q) {
          const suggestion = suggest(qid, itemIds)
          at(
            [id, index, qid],
            `unknown question id "${id}[].${qid}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
            suggestion ? {suggestion} : {},
            true,
          )
          continue
        }
        const checked = checkAnswer(q, qraw, ctx)
        if (checked.ok) answers[qid] = checked.value
        else
          at([id, index, qid], checked.message, {
            allowed: checked.allowed,
            suggestion: checked.suggestion,
          })
      }
      items.push(answers)
    })
    out.groups[id] = {items, complete: true}
  }
  if (problems.length > 0)
    throw new InputError(
      problems.map(({allowed, suggestion, ...d}) => ({...d, ...(allowed ? {allowed} : {}), ...(suggestion ? {suggestion} : {})})),
    )
  return out
}

/** Answers merged over a state: the later wins, groups are replaced whole. */
export function mergeAnswers(state: Answers, over: Answers): void {
  Object.assign(state.answers, over.answers)
  Object.assign(state.groups, over.groups)
}

/**
 * Keep only what the bank still accepts from a saved state (a newer bank may have dropped a
 * question or a choice); returns the ids that were dropped.
 */
export function sanitizeState(bank: QuestionBank, raw: unknown, ctx: Context = {}): {state: Answers; dropped: string[]} {
  const state = emptyAnswers()
  const dropped: string[] = []
  const src = (raw ?? {}) as Partial<Answers>
  if (typeof src.preset === 'string' && findPreset(bank, src.preset)) state.preset = src.preset
  const entries = entriesById(bank)
  for (const [id, v] of Object.entries(src.answers ?? {})) {
    const entry = entries.get(id)
    const checked = entry && !isGroup(entry) ? checkAnswer(entry, v, ctx) : undefined
    if (checked?.ok) state.answers[id] = checked.value
    else dropped.push(id)
  }
  for (const [id, gs] of Object.entries(src.groups ?? {})) {
    const entry = entries.get(id)
    if (!entry || !isGroup(entry) || !gs || !Array.isArray(gs.items)) {
      dropped.push(id)
      continue
    }
    const items = gs.items.map((item, index) => {
      const out: ItemAnswers = {}
      for (const [qid, v] of Object.entries(item ?? {})) {
        const q = entry.questions.find((x) => x.id === qid)
        const checked = q ? checkAnswer(q, v, ctx) : undefined
        if (checked?.ok) out[qid] = checked.value
        else dropped.push(`${id}[${index}].${qid}`)
      }
      return out
    })
    state.groups[id] = {items, complete: gs.complete === true}
  }
  return {state, dropped}
}

// ---------------------------------------------------------------------------------------------
// Showing answers
// ---------------------------------------------------------------------------------------------

/** An answer as the user chose it: a choice's name, a list, "not sure", "(blank)". */
export function describe(q: Question, value: Value, ctx: Context = {}): string {
  if (q.kind === 'confirm') return value === true ? 'Yes' : 'No'
  if (q.kind === 'select') {
    const choice = choicesFor(q, ctx).find((c) => c.value === value)
    if (value === null) return choice?.name ?? 'not sure'
    if (q.choicesFrom) return String(value)
    return choice ? choice.name : String(value)
  }
  if (q.kind === 'checkbox') {
    if (!Array.isArray(value) || value.length === 0) return q.empty === 'empty' ? 'none' : '(none selected)'
    return value.map((v) => choicesFor(q, ctx).find((c) => c.value === v)?.name ?? v).join(', ')
  }
  return value === null ? '(blank)' : inputText(value)
}

export interface ReviewLine {
  label: string
  answer: string
  /** 0 for a question, 1 for the fields of a group item. */
  depth: number
}

/** The answers of one section, as the review shows them (skipped questions left out). */
export function reviewSection(bank: QuestionBank, state: Answers, section: number, ctx: Context = {}): ReviewLine[] {
  const status = new Map<string, {skipped: boolean; answered: boolean}>()
  walk(bank, state, (v) => {
    if (v.step.section === section) status.set(stepId(v.step), {skipped: v.skipped, answered: v.answered})
    return v.step.section > section
  })
  const lines: ReviewLine[] = []
  const shown = (step: Step, depth: number, label: string) => {
    const st = status.get(stepId(step))
    if (!st || st.skipped) return
    const value = answerOf(state, step)
    if (step.kind !== 'add') lines.push({label, answer: value ? describe(step.question, value.value, ctx) : '(not answered)', depth})
  }
  for (const entry of bank.sections[section].questions) {
    if (!isGroup(entry)) {
      shown({kind: 'question', section, question: entry}, 0, entry.short)
      continue
    }
    const gs = state.groups[entry.id]
    if (!gs) {
      if (status.has(stepId({kind: 'add', section, group: entry, index: 0})))
        lines.push({label: entry.short, answer: '(not answered)', depth: 0})
      continue
    }
    lines.push({label: entry.short, answer: gs.items.length === 0 ? 'none' : String(gs.items.length), depth: 0})
    gs.items.forEach((_, index) => {
      entry.questions.forEach((question, i) =>
        shown({kind: 'item', section, group: entry, index, question}, 1, `${i === 0 ? `${index + 1}.` : '  '} ${question.short}`),
      )
    })
  }
  return lines
}

/**
 * The framework items a question bears on, from the catalog's threat mappings, as architects
 * quote them: OWASP NHI first, then the Agentic Top 10, then LLM; at most two of each family and
 * `limit` in all. `more` says whether other items (in any framework) were left out.
 */
export function frameworkRefs(
  threats: readonly string[],
  mappings: ReadonlyMap<string, Record<string, string[]>>,
  limit = 5,
): {shown: string[]; more: boolean} {
  const order = ['owasp-nhi', 'owasp-agentic', 'owasp-llm']
  const byFramework = new Map<string, Set<string>>()
  for (const t of threats) {
    for (const [fw, ids] of Object.entries(mappings.get(t) ?? {})) {
      const set = byFramework.get(fw) ?? new Set<string>()
      for (const id of ids) set.add(id)
      byFramework.set(fw, set)
    }
  }
  const shown: string[] = []
  for (const fw of order) {
    const ids = [...(byFramework.get(fw) ?? [])].sort(compareIds)
    shown.push(...ids.slice(0, 2))
  }
  const total = [...byFramework.values()].reduce((n, set) => n + set.size, 0)
  return {shown: shown.slice(0, limit), more: total > Math.min(limit, shown.length)}
}

// ---------------------------------------------------------------------------------------------
// The manifest as commented YAML
// ---------------------------------------------------------------------------------------------

interface SchemaNode {
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
}

/** Reorder object keys in place as the schema lists them (unknown keys keep their order, last). */
export function orderLikeSchema(value: unknown, schema: SchemaNode | undefined): void {
  if (value === null || typeof value !== 'object' || !schema) return
  if (Array.isArray(value)) {
    for (const item of value) orderLikeSchema(item, schema.items)
    return
  }
  const obj = value as Record<string, unknown>
  const props = schema.properties
  if (!props) return
  const keys = Object.keys(obj)
  const known = Object.keys(props).filter((k) => keys.includes(k))
  const rest = keys.filter((k) => !Object.hasOwn(props, k))
  const entries = [...known, ...rest].map((k) => [k, obj[k]] as const)
  for (const k of keys) delete obj[k]
  for (const [k, v] of entries) {
    obj[k] = v
    orderLikeSchema(v, props[k])
  }
}

/** A question as a comment: its message without the typing hint in parentheses. */
function commentText(n: Note): string {
  const message = n.entry.kind === 'group' ? n.entry.message : n.entry.message.replace(/\s*\([^)]*\)\s*$/, '')
  return n.implied ? `follows from: ${message}` : message
}

/** Words wrapped into comment lines of at most `width` characters; continuation lines indented. */
function wrap(first: string, words: readonly string[], width: number): string[] {
  const lines: string[] = []
  let line = first
  for (const w of words) {
    if (line.length + w.length + 1 > width) {
      lines.push(line)
      line = '   '
    }
    line += `${line.endsWith(' ') ? '' : ' '}${w}`
  }
  lines.push(line)
  return lines
}

/**
 * The manifest as YAML with each field's question as a comment (yaml's Document API), keys in
 * the schema's order, short lists in flow style, a header saying how to check it and which
 * answers were "not sure".
 */
export function manifestYaml(built: Built, options: {schema?: SchemaNode; file: string; bankVersion: string}): string {
  orderLikeSchema(built.manifest, options.schema)
  const {Document, isMap, isScalar, isSeq} = yamlLib()
  const doc = new Document(built.manifest)
  const annotate = (node: YAMLMap, obj: Record<string, unknown>) => {
    const notes = built.notes.get(obj)
    for (const pair of node.items as Pair<Scalar, unknown>[]) {
      const key = String(pair.key.value)
      const child = obj[key]
      const valueNode = pair.value
      const scalarList = Array.isArray(child) && child.every((v) => v === null || typeof v !== 'object')
      if (isSeq(valueNode) && scalarList) valueNode.flow = true
      if (isMap(valueNode) && key === 'labels') valueNode.flow = true
      const n = notes?.get(key)
      if (n) {
        const text = ` ${commentText(n)}`
        if (isScalar(valueNode) || ((isSeq(valueNode) || isMap(valueNode)) && valueNode.flow)) (valueNode as Scalar).comment = text
        else pair.key.commentBefore = text
      }
      if (isMap(valueNode) && child && typeof child === 'object') annotate(valueNode, child as Record<string, unknown>)
      else if (isSeq(valueNode) && Array.isArray(child)) {
        valueNode.items.forEach((item, i) => {
          if (isMap(item)) annotate(item, child[i] as Record<string, unknown>)
        })
      }
    }
  }
  const root = doc.contents as YAMLMap
  annotate(root, built.manifest)
  for (const pair of (root.items as Pair<Scalar, unknown>[]).slice(2)) pair.key.spaceBefore = true
  const header = [
    ` leash agent manifest, written by \`leash init\` (question bank ${options.bankVersion}).`,
    ' Each comment is the question that set the value. Check it with `leash validate ' + options.file + '`;',
    ' assess it with `leash assess ' + options.file + '`.',
  ]
  if (built.open.length > 0) {
    header.push('', ...wrap(' Answered "not sure" (open questions in the report):', built.open, 98))
  }
  doc.commentBefore = header.join('\n')
  return doc.toString({lineWidth: 0, flowCollectionPadding: false})
}
