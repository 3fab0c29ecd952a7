/**
 * Asking the question bank on a terminal, for `leash init`. @inquirer/prompts is loaded here with
 * `await import()` only when a prompt is about to be shown, never at module load (every command
 * imports the command table, and a cold `leash validate` must stay fast).
 *
 * Two guards live here (STYLE.md §3, conventions 5-6): no prompt without a TTY, and Ctrl-C in a
 * prompt (inquirer's ExitPromptError) becomes `Interrupted` → exit 130 with a one-line hint.
 */
import {
  answerOf,
  choicesFor,
  defaultFor,
  describe,
  inputText,
  isGroup,
  nextStep,
  offered,
  parseInput,
  record,
  removeItem,
  reviewSection,
  walk,
  type Answers,
  type Context,
  type Group,
  type Question,
  type QuestionBank,
  type Step,
  type Value,
} from '../core/questionnaire.js'
import {Interrupted} from './base-command.js'
import {paint} from './style.js'

export type Prompts = Pick<typeof import('@inquirer/prompts'), 'select' | 'checkbox' | 'confirm' | 'input'>

/** Prompts need a terminal on standard input. */
export function canPrompt(stdin: {isTTY?: boolean} = process.stdin): boolean {
  return stdin.isTTY === true
}

export function isExitPromptError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExitPromptError'
}

/** Run prompts; Ctrl-C (ExitPromptError) becomes Interrupted(hint), which exits 130. */
export async function withInterrupt<T>(run: () => Promise<T>, hint: string): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (isExitPromptError(error)) throw new Interrupted(hint)
    throw error
  }
}

/** The prompt functions, loaded on first use. */
export async function loadPrompts(): Promise<Prompts> {
  const {select, checkbox, confirm, input} = await import('@inquirer/prompts')
  return {select, checkbox, confirm, input}
}

export interface Session {
  bank: QuestionBank
  state: Answers
  ctx: Context
  prompts: Prompts
  /** Where section headers, "why" lines and the review go. */
  out: NodeJS.WritableStream & {isTTY?: boolean}
  /** The framework items behind a list of threats, e.g. "NHI7:2025, ASI03" ('' without a catalog). */
  refs: (threats: readonly string[]) => string
  /** Called after every answer (the command saves .leash/init-state.json). */
  save: (state: Answers) => void
  /** The file the manifest goes to, for the review's "Write …" choice. */
  file: string
}

function styler(session: Session) {
  return paint(session.out as NodeJS.WriteStream)
}

function sectionHeader(session: Session, index: number): void {
  const c = styler(session)
  const s = session.bank.sections[index]
  session.out.write(`\n${c('bold', `Section ${index + 1} of ${session.bank.sections.length} · ${s.title}`)}\n${c('dim', s.intro)}\n`)
}

/** "Why this matters", wrapped to the terminal, with the framework items it bears on. */
function whyLine(session: Session, why: string, threats: readonly string[]): void {
  const c = styler(session)
  const refs = session.refs(threats)
  const width = Math.min(Math.max((session.out as {columns?: number}).columns ?? 100, 40), 110) - 2
  const words = why.split(/\s+/)
  const lines: string[] = []
  let line = ''
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line)
      line = w
    } else line = line ? `${line} ${w}` : w
  }
  lines.push(line)
  const text = lines.map((l) => `  ${c('dim', l)}`).join('\n')
  const tail = refs ? (line.length + refs.length + 3 <= width ? ' ' : '\n  ') + c('cyan', `[${refs}]`) : ''
  session.out.write(`${text}${tail}\n`)
}

function itemMessage(group: Group, index: number, q: Question): string {
  return `${group.noun[0].toUpperCase()}${group.noun.slice(1)} ${index + 1} · ${q.message}`
}

/** Ask one question and return its answer, converted (list, number, null for blank). */
export async function askQuestion(session: Session, q: Question, message: string, current: Value): Promise<Value> {
  const {prompts, ctx} = session
  whyLine(session, q.why, q.threats)
  switch (q.kind) {
    case 'select': {
      if (q.choicesFrom && choicesFor(q, ctx).length === 0) {
        // The catalog could not be loaded: the id is typed instead of picked.
        const typed = await prompts.input({
          message: `${message} (a control id, CTL-…)`,
          default: typeof current === 'string' ? current : '',
          validate: (value: string) => /^CTL-[A-Z0-9-]+$/.test(value.trim()) || 'a control id such as CTL-KILL-SWITCH',
        })
        return typed.trim()
      }
      const choices = choicesFor(q, ctx).map((c) => ({
        value: c.value,
        name: c.name,
        ...(c.description ? {description: c.description} : {}),
      }))
      return prompts.select<string | boolean | null>({
        message,
        choices,
        default: current as string | boolean | null,
        pageSize: Math.min(choices.length, 12),
        loop: false,
      })
    }
    case 'checkbox': {
      const chosen = Array.isArray(current) ? current : []
      const choices = choicesFor(q, ctx).map((c) => ({
        value: c.value as string,
        name: c.name,
        checked: chosen.includes(c.value as string),
        ...(c.description ? {description: c.description} : {}),
      }))
      return prompts.checkbox<string>({message, choices, pageSize: Math.min(choices.length, 12), loop: false})
    }
    case 'confirm':
      return prompts.confirm({message, default: current === true})
    case 'input': {
      const text = await prompts.input({
        message,
        default: inputText(current),
        validate: (value: string) => {
          const checked = parseInput(q, value)
          return checked.ok ? true : checked.message
        },
      })
      const checked = parseInput(q, text)
      return checked.ok ? checked.value : null
    }
  }
}

/** Ask one step of the questionnaire with its recorded answer or default pre-selected. */
export async function askStep(session: Session, step: Step): Promise<Value> {
  const {bank, state, ctx} = session
  if (step.kind === 'add') {
    if (step.index === 0) whyLine(session, step.group.why, step.group.threats)
    const message = step.index === 0 ? step.group.message : step.group.another
    return session.prompts.confirm({message, default: defaultFor(bank, state, step, ctx) === true})
  }
  const current = offered(bank, state, step, ctx)
  const message = step.kind === 'item' ? itemMessage(step.group, step.index, step.question) : step.question.message
  return askQuestion(session, step.question, message, current)
}

/** The first pass: every question not answered yet, in order, saving after each answer. */
export async function askRemaining(session: Session): Promise<number> {
  let asked = 0
  let section = -1
  for (let step = nextStep(session.bank, session.state); step; step = nextStep(session.bank, session.state)) {
    if (step.section !== section) {
      section = step.section
      sectionHeader(session, section)
    }
    const value = await askStep(session, step)
    record(session.state, step, value)
    session.save(session.state)
    asked++
  }
  return asked
}

/** Offer the archetypes; the choice pre-fills defaults. */
export async function askPreset(session: Session): Promise<void> {
  const choices = [
    ...session.bank.presets.map((p) => ({value: p.id, name: p.title, description: p.description})),
    {value: '', name: 'No preset', description: 'Answer from scratch; defaults assume nothing about your controls.'},
  ]
  const preset = await session.prompts.select<string>({
    message: 'Start from an archetype? Its answers become the defaults; you still see every question.',
    choices,
    default: session.state.preset ?? '',
    loop: false,
  })
  if (preset) session.state.preset = preset
  else delete session.state.preset
  session.save(session.state)
}

function printReview(session: Session): void {
  const c = styler(session)
  const {bank, state, ctx} = session
  session.out.write(`\n${c('bold', 'Review your answers')}\n`)
  bank.sections.forEach((s, i) => {
    session.out.write(`\n${c('bold', `${i + 1}. ${s.title}`)}\n`)
    for (const line of reviewSection(bank, state, i, ctx)) {
      const indent = line.depth === 0 ? '   ' : '      '
      const width = Math.max(0, 28 - line.label.length - (line.depth === 0 ? 0 : 3))
      session.out.write(`${indent}${line.label} ${c('dim', '.'.repeat(width))} ${line.answer}\n`)
    }
  })
  const open = walk(bank, state).open
  if (open.length > 0)
    session.out.write(
      `\n${c('yellow', `${open.length} answered "not sure"`)}: leash reports them as open questions and assesses them pessimistically.\n`,
    )
}

/** The review: all answers by section, then write or change a section, until the user writes. */
export async function reviewAndEdit(session: Session): Promise<void> {
  for (;;) {
    printReview(session)
    const choice = await session.prompts.select<number>({
      message: 'Write the manifest, or change a section first?',
      choices: [
        {value: -1, name: `Write ${session.file}`},
        ...session.bank.sections.map((s, i) => ({value: i, name: `Change ${i + 1}. ${s.title}`})),
      ],
      default: -1,
      pageSize: session.bank.sections.length + 1,
      loop: false,
    })
    if (choice < 0) return
    await editSection(session, choice)
    // Anything the change made newly relevant (a question no longer skipped) is asked now.
    await askRemaining(session)
  }
}

/** Whether a step is skipped under the current answers. */
function isSkipped(session: Session, step: Step): boolean {
  let skipped = false
  walk(session.bank, session.state, (v) => {
    const same =
      v.step.kind === step.kind &&
      (step.kind === 'question'
        ? v.step.kind === 'question' && v.step.question === step.question
        : v.step.kind === 'item' &&
          step.kind === 'item' &&
          v.step.group === step.group &&
          v.step.index === step.index &&
          v.step.question === step.question)
    if (same) skipped = v.skipped
    return same
  })
  return skipped
}

/** Ask a section again, with the current answers as defaults. */
export async function editSection(session: Session, index: number): Promise<void> {
  sectionHeader(session, index)
  for (const entry of session.bank.sections[index].questions) {
    if (isGroup(entry)) {
      await editGroup(session, index, entry)
      continue
    }
    const step: Step = {kind: 'question', section: index, question: entry}
    if (isSkipped(session, step)) continue
    record(session.state, step, await askStep(session, step))
    session.save(session.state)
  }
}

async function askItem(session: Session, section: number, group: Group, index: number): Promise<void> {
  for (const question of group.questions) {
    const step: Step = {kind: 'item', section, group, index, question}
    if (isSkipped(session, step)) continue
    record(session.state, step, await askStep(session, step))
    session.save(session.state)
  }
}

function itemName(session: Session, group: Group, index: number): string {
  const first = group.questions[0]
  const value = answerOf(session.state, {kind: 'item', section: 0, group, index, question: first})
  return value ? describe(first, value.value, session.ctx) : `${group.noun} ${index + 1}`
}

/** A repeating group in the review: change, add or remove items. */
async function editGroup(session: Session, section: number, group: Group): Promise<void> {
  const gs = (session.state.groups[group.id] ??= {items: [], complete: true})
  gs.complete = true
  for (;;) {
    const items = gs.items.map((_, i) => ({value: `edit:${i}`, name: `Change ${group.noun} ${i + 1}: ${itemName(session, group, i)}`}))
    const removals = gs.items.map((_, i) => ({value: `remove:${i}`, name: `Remove ${group.noun} ${i + 1}: ${itemName(session, group, i)}`}))
    const choice = await session.prompts.select<string>({
      message: `${group.short}: ${gs.items.length} declared. What now?`,
      choices: [{value: 'done', name: 'Keep them as they are'}, ...items, {value: 'add', name: `Add a ${group.noun}`}, ...removals],
      default: 'done',
      pageSize: Math.min(12, 2 + items.length * 2),
      loop: false,
    })
    if (choice === 'done') break
    const [action, n] = choice.split(':')
    if (action === 'add') {
      record(session.state, {kind: 'add', section, group, index: gs.items.length}, true)
      await askItem(session, section, group, gs.items.length - 1)
    } else if (action === 'edit') await askItem(session, section, group, Number(n))
    else removeItem(session.state, group, Number(n))
    gs.complete = true
    session.save(session.state)
  }
}
