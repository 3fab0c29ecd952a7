import * as Flags from '@oclif/core/flags'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {BaseCommand} from '../cli/base-command.js'
import {loadCatalog} from '../cli/catalog.js'
import {displayPath, readInputFile} from '../cli/io.js'
import {askPreset, askRemaining, canPrompt, loadPrompts, reviewAndEdit, withInterrupt, type Prompts, type Session} from '../cli/prompts.js'
import {paint} from '../cli/style.js'
import {ensureDir, writeFileAtomic} from '../cli/write.js'
import type {Catalog} from '../core/catalog.js'
import {parseText} from '../core/document.js'
import {InputError, inputError} from '../core/errors.js'
import {loadManifest} from '../core/manifest.js'
import {
  buildManifest,
  checkAnswer,
  emptyAnswers,
  entriesById,
  fillDefaults,
  findPreset,
  frameworkRefs,
  manifestYaml,
  mergeAnswers,
  nextStep,
  readAnswersFile,
  sanitizeState,
  type Answers,
  type Context,
  type Question,
  type QuestionBank,
} from '../core/questionnaire.js'
import {suggest} from '../core/schema-errors.js'
import type {AssessmentResult} from '../core/engine.js'
import validateQuestions from '../generated/validators/questions.cjs'

/** Where answers are kept between runs, relative to the current folder. */
export const STATE_FILE = '.leash/init-state.json'
const STATE_VERSION = 'leash-init-state/v1'

interface SavedState extends Answers {
  schemaVersion: typeof STATE_VERSION
  bank: string
  out: string
}

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Answer a guided questionnaire and write an agent manifest.'
  static override description = `Asks what a security review of a coding agent asks (purpose, identity, credentials, access, secrets, tools, sandbox, memory, other agents, oversight, observability, delivery), each question with why it matters and the framework items it bears on. Earlier answers skip questions they make moot. Answers are kept in ${STATE_FILE} after every question, so Ctrl-C loses nothing and --resume continues. Writes a commented YAML manifest (default agent.yaml), validates it, and offers to assess it.

Without a terminal, pass --answers FILE (YAML or JSON answers by question id, as in frameworks/questions.json) or --yes (defaults for everything unanswered). A group takes a list; \`unknown\` answers "not sure":

  name: refactor-bot
  autonomy: supervised
  kill-switch: unknown
  credentials:
    - {name: github-app-token, kind: short-lived-token, ttl: PT1H}

init exits 0 once the manifest is written, whatever the verdict.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --preset refactoring',
    '<%= config.bin %> <%= command.id %> --resume',
    '<%= config.bin %> <%= command.id %> --preset build-fix --owner platform-engineering --yes --out agents/build-fix.yaml',
    '<%= config.bin %> <%= command.id %> --answers answers.yaml --yes --json',
  ]
  static override flags = {
    preset: Flags.string({description: 'start from an archetype: refactoring, dependency-update, test-generation or build-fix'}),
    out: Flags.string({description: 'the manifest to write [default: agent.yaml]'}),
    answers: Flags.string({description: 'answers by question id, in a YAML or JSON file'}),
    yes: Flags.boolean({char: 'y', description: 'take the default for every question not answered'}),
    resume: Flags.boolean({description: `continue the questionnaire interrupted earlier (${STATE_FILE})`}),
    force: Flags.boolean({description: 'overwrite the --out file if it exists'}),
    owner: Flags.string({description: 'the accountable team (metadata.owner.team)'}),
  }

  async run(): Promise<void> {
    const {flags} = this
    const json = this.jsonEnabled()
    const tty = canPrompt()
    if (!flags.yes && !flags.answers && (json || !tty)) {
      const why = json ? '--json never asks questions' : 'cannot ask questions: standard input is not a terminal'
      throw inputError(
        'no-tty',
        `${why}. Pass --answers FILE to answer from a file, or --yes to take the defaults (add --preset NAME for an archetype).`,
      )
    }
    const interactive = !json && !flags.yes && tty
    const bank = loadBank(this.root)
    const catalog = loadCatalogQuietly(this.root)
    const ctx: Context = {
      folderName: basename(process.cwd()),
      ...(catalog ? {controls: [...catalog.controls.values()].map((c) => ({id: c.id, title: c.title}))} : {}),
    }

    // Where we start: a saved state (--resume, or a yes to "continue?"), then flags and the answers file.
    const statePath = resolve(STATE_FILE)
    let saved: SavedState | undefined
    if (flags.resume) saved = readState(statePath, bank, ctx, true)
    let prompts: Prompts | undefined
    const hint = `Interrupted. Your answers are kept in ${STATE_FILE}; run \`${this.config.bin} init --resume\` to continue.`
    if (!saved && interactive && existsSync(statePath)) {
      prompts = await loadPrompts()
      const p = prompts
      const resume = await withInterrupt(
        () => p.confirm({message: `An unfinished questionnaire was found (${STATE_FILE}). Continue it?`, default: true}),
        hint,
      )
      if (resume) saved = readState(statePath, bank, ctx, false)
    }
    const out = flags.out ?? saved?.out ?? 'agent.yaml'
    if (existsSync(out) && !flags.force) {
      throw inputError(
        'exists',
        `${displayPath(out)} already exists; pass --force to overwrite it, or --out to write elsewhere`,
        displayPath(out),
      )
    }
    if (flags.preset !== undefined && !findPreset(bank, flags.preset)) {
      const ids = bank.presets.map((p) => p.id)
      const near = suggest(flags.preset, ids)
      throw inputError(
        'preset',
        `unknown preset "${flags.preset}": use one of ${ids.join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`,
      )
    }
    const state: Answers = saved ? {preset: saved.preset, answers: saved.answers, groups: saved.groups} : emptyAnswers()
    if (flags.preset !== undefined) state.preset = flags.preset
    if (state.preset === undefined) delete state.preset
    if (flags.answers) mergeAnswers(state, readAnswers(flags.answers, bank, ctx))
    if (flags.owner !== undefined) {
      const checked = checkAnswer(entriesById(bank).get('owner-team') as Question, flags.owner, ctx)
      if (!checked.ok) throw inputError('usage', `--owner: ${checked.message}`)
      state.answers['owner-team'] = checked.value
    }

    const save = (s: Answers) => {
      ensureDir(dirname(statePath))
      const doc: SavedState = {schemaVersion: STATE_VERSION, bank: bank.version, out, ...s}
      writeFileAtomic(statePath, `${JSON.stringify(doc, null, 2)}\n`)
    }

    if (interactive) {
      prompts ??= await loadPrompts()
      const session: Session = {
        bank,
        state,
        ctx,
        prompts,
        out: process.stdout,
        refs: (threats) => refsText(catalog, threats),
        save,
        file: displayPath(out),
      }
      const c = paint(process.stdout)
      await withInterrupt(async () => {
        if (saved) {
          const count = Object.keys(state.answers).length + Object.values(state.groups).reduce((n, g) => n + g.items.length, 0)
          const next = nextStep(bank, state)
          const where = next ? `section ${next.section + 1} of ${bank.sections.length}, ${bank.sections[next.section].title}` : 'the review'
          const preset = findPreset(bank, state.preset)
          process.stdout.write(
            `${c('dim', `Resuming: ${count} answers kept${preset ? ` (preset: ${preset.title})` : ''}; continuing at ${where}.`)}\n`,
          )
        } else {
          process.stdout.write(
            `${c('bold', 'leash init')}: a pre-deployment review of a coding agent, in ${bank.sections.length} sections.\n${c('dim', `Each answer is saved as you go (${STATE_FILE}); Ctrl-C to stop, \`${this.config.bin} init --resume\` to continue. "Not sure" is always a valid answer.`)}\n`,
          )
          if (flags.preset === undefined && !flags.answers) await askPreset(session)
          else save(state)
        }
        await askRemaining(session)
        await reviewAndEdit(session)
      }, hint)
    } else {
      const filled = fillDefaults(bank, state, ctx)
      if (flags.answers && !flags.yes && filled > 0) {
        process.stderr.write(`note: ${filled} question(s) not in ${displayPath(flags.answers)} took their defaults\n`)
      }
    }

    // The manifest: built, rendered, validated, written whole; then the saved answers go.
    const built = buildManifest(bank, state)
    const text = manifestYaml(built, {schema: readSchema(this.root), file: displayPath(out), bankVersion: bank.version})
    loadManifest(text, displayPath(out))
    ensureDir(dirname(resolve(out)) || '.')
    writeFileAtomic(out, text)
    // The saved answers are in the manifest now; a state this run did not use is left alone.
    if ((interactive || saved) && existsSync(statePath)) rmSync(statePath, {force: true})

    const c = paint(process.stdout)
    if (!json) {
      const unsure = built.open.length ? ` (${built.open.length} answered "not sure")` : ''
      process.stdout.write(`${interactive ? '\n' : ''}${c('green', '✔')} Wrote ${displayPath(out)}${unsure}\n`)
    }

    let assess = true
    if (interactive) {
      const p = prompts!
      assess = await withInterrupt(
        () => p.confirm({message: 'Assess it now?', default: true}),
        `Interrupted. ${displayPath(out)} is written; assess it with \`${this.config.bin} assess ${displayPath(out)}\`.`,
      )
    }
    const result = assess ? await this.assess(out) : undefined
    if (!json && result) this.printVerdict(result, out, catalog)
    else if (!json) process.stdout.write(`Assess it later with \`${this.config.bin} assess ${displayPath(out)}\`.\n`)
    const doc = {manifest: displayPath(out), verdict: result?.verdict ?? null}
    if (json) this.printJson(doc)
  }

  /** The assessment, loaded on demand; a failure is a warning (the manifest is written either way). */
  private async assess(file: string): Promise<AssessmentResult | undefined> {
    try {
      const {runAssessment} = await import('../cli/assessment.js')
      return await runAssessment({root: this.root, file})
    } catch (error) {
      const why = error instanceof InputError ? error.message : (error as Error).message.split('\n')[0]
      process.stderr.write(`${paint(process.stderr)('yellow', 'warning')} could not assess ${displayPath(file)}: ${why}\n`)
      return undefined
    }
  }

  private printVerdict(result: AssessmentResult, file: string, catalog: Catalog | undefined): void {
    const c = paint(process.stdout)
    const colour = result.verdict === 'ready' ? 'green' : result.verdict === 'conditional' ? 'yellow' : 'red'
    const findings = result.findings.length
    process.stdout.write(
      `\nVerdict: ${c(colour, c('bold', result.verdict))} · highest residual risk ${result.score}/25 · ${findings} finding${findings === 1 ? '' : 's'} · ${result.openQuestions.length} open question${result.openQuestions.length === 1 ? '' : 's'}\n`,
    )
    const top = result.recommendations.slice(0, 3)
    if (top.length > 0) {
      process.stdout.write('Top actions:\n')
      top.forEach((r, i) => {
        const title = catalog?.controls.get(r.control)?.title
        process.stdout.write(
          `  ${i + 1}. ${c('bold', r.control)}${title ? ` ${title}` : ''} ${c('dim', `(effort ${r.effort}, removes ${r.riskReduction} risk points)`)}\n`,
        )
      })
    }
    process.stdout.write(`Full report: \`${this.config.bin} assess ${displayPath(file)}\`\n`)
  }
}

function loadBank(root: string): QuestionBank {
  const path = join(root, 'frameworks', 'questions.json')
  const text = readFileSync(path, 'utf8')
  const value = JSON.parse(text) as unknown
  if (!validateQuestions(value)) {
    const first = validateQuestions.errors?.[0]
    throw new Error(
      `the question bank frameworks/questions.json is invalid at ${first?.instancePath || '/'}: ${first?.message ?? 'schema violation'}`,
    )
  }
  return value as QuestionBank
}

/** The catalog, for the framework items of each question and the control choices; optional. */
function loadCatalogQuietly(root: string): Catalog | undefined {
  try {
    return loadCatalog(root)
  } catch {
    return undefined
  }
}

function refsText(catalog: Catalog | undefined, threats: readonly string[]): string {
  if (!catalog || threats.length === 0) return ''
  const {shown, more} = frameworkRefs(threats, catalog.threatMappings)
  return `${shown.join(', ')}${more ? ', …' : ''}`
}

function readSchema(root: string): object | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'schemas', 'agent-manifest.schema.json'), 'utf8')) as object
  } catch {
    return undefined
  }
}

function readAnswers(path: string, bank: QuestionBank, ctx: Context): Answers {
  const input = readInputFile(path)
  return readAnswersFile(bank, parseText(input.text, input.file), ctx)
}

function readState(path: string, bank: QuestionBank, ctx: Context, required: boolean): SavedState | undefined {
  if (!existsSync(path)) {
    if (!required) return undefined
    throw inputError('resume', `nothing to resume: there is no ${STATE_FILE} here; run \`leash init\` to start`)
  }
  let raw: Partial<SavedState>
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<SavedState>
    if (raw.schemaVersion !== STATE_VERSION) throw new Error('not a state file')
  } catch {
    throw inputError('resume', `cannot resume: ${STATE_FILE} is not a saved questionnaire; delete it to start over`, STATE_FILE)
  }
  const {state, dropped} = sanitizeState(bank, raw, ctx)
  if (dropped.length > 0) {
    process.stderr.write(
      `${paint(process.stderr)('yellow', 'warning')} ${dropped.length} saved answer(s) no longer fit the question bank and will be asked again: ${dropped.join(', ')}\n`,
    )
  }
  return {schemaVersion: STATE_VERSION, bank: bank.version, out: typeof raw.out === 'string' ? raw.out : 'agent.yaml', ...state}
}
