// The prompts of `leash init`, rendered by @inquirer/testing: each test answers a few questions
// with keypresses and checks what was shown and what the state holds afterwards.
import {screen} from '@inquirer/testing/vitest'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {Interrupted} from '../../src/cli/base-command.js'
import {loadCatalog} from '../../src/cli/catalog.js'
import {
  askPreset,
  askRemaining,
  askStep,
  canPrompt,
  isExitPromptError,
  loadPrompts,
  reviewAndEdit,
  withInterrupt,
  type Session,
} from '../../src/cli/prompts.js'
import {
  buildManifest,
  emptyAnswers,
  fillDefaults,
  frameworkRefs,
  isGroup,
  nextStep,
  record,
  type Answers,
  type Group,
  type Question,
  type QuestionBank,
  type Step,
} from '../../src/core/questionnaire.js'
import {ROOT} from '../helpers/shared.js'

const bank = JSON.parse(readFileSync(join(ROOT, 'frameworks', 'questions.json'), 'utf8')) as QuestionBank
const catalog = loadCatalog(ROOT)
const ctx = {folderName: 'demo', controls: [...catalog.controls.values()].map((c) => ({id: c.id, title: c.title}))}

function question(id: string): {question: Question; section: number} {
  for (const [section, s] of bank.sections.entries()) {
    const q = s.questions.find((e) => e.id === id)
    if (q && !isGroup(q)) return {question: q, section}
  }
  throw new Error(id)
}
function group(id: string): {group: Group; section: number} {
  for (const [section, s] of bank.sections.entries()) {
    const g = s.questions.find((e) => e.id === id)
    if (g && isGroup(g)) return {group: g, section}
  }
  throw new Error(id)
}
const step = (id: string): Step => ({kind: 'question', ...question(id)})

async function session(state: Answers = emptyAnswers()): Promise<Session & {printed: () => string; saves: Answers[]}> {
  let text = ''
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk)
      done()
    },
  })
  const saves: Answers[] = []
  return {
    bank,
    state,
    ctx,
    prompts: await loadPrompts(),
    out,
    refs: (threats) => frameworkRefs(threats, catalog.threatMappings).shown.join(', '),
    save: (s) => saves.push(structuredClone(s)),
    file: 'agent.yaml',
    printed: () => text,
    saves,
  }
}

describe('one question at a time', () => {
  it('renders a select with its choices and the default highlighted, and says why it matters', async () => {
    const s = await session()
    const answer = askStep(s, step('autonomy'))
    const shown = screen.getScreen()
    expect(shown).toContain('How much does it do without a person in the loop?')
    expect(shown).toMatch(/❯ Supervised/)
    expect(shown).toContain('It acts, and a person reviews each change before it lands.')
    expect(s.printed()).toContain('autonomy multiplies every other risk')
    expect(s.printed()).toMatch(/\[(NHI\d+:2025|ASI\d\d)/)
    screen.keypress('down')
    screen.keypress('enter')
    await expect(answer).resolves.toBe('autonomous')
  })

  it('offers "not sure" and records it as null', async () => {
    const s = await session()
    const answer = askStep(s, step('kill-switch'))
    expect(screen.getScreen()).toMatch(/❯ Not sure yet/)
    screen.keypress('enter')
    const value = await answer
    expect(value).toBeNull()
    record(s.state, step('kill-switch'), value)
    expect(s.state.answers['kill-switch']).toBeNull()
    expect(buildManifest(bank, s.state).open).toContain('oversight.killSwitch')
  })

  it('renders a checkbox with the defaults checked', async () => {
    const s = await session()
    const answer = askStep(s, step('triggers'))
    expect(screen.getScreen()).toMatch(/◉ Someone starting it by hand/)
    screen.keypress('down')
    screen.keypress('space')
    screen.keypress('enter')
    await expect(answer).resolves.toEqual(['manual', 'issue-comment'])
  })

  it('validates typed text and converts it', async () => {
    const s = await session()
    const answer = askStep(s, step('name'))
    expect(screen.getScreen()).toContain('(demo)')
    screen.type('Refactor Bot')
    screen.keypress('enter')
    await screen.next()
    expect(screen.getScreen()).toContain('use 1-63 lowercase letters, digits and hyphens')
    for (let i = 0; i < 'Refactor Bot'.length; i++) screen.keypress('backspace')
    screen.type('refactor-bot')
    screen.keypress('enter')
    await expect(answer).resolves.toBe('refactor-bot')

    const list = askStep(s, step('shell-allowlist'))
    screen.type('npm test, git diff, npm test')
    screen.keypress('enter')
    await expect(list).resolves.toEqual(['npm test', 'git diff'])
  })

  it('refuses a pasted secret in a text answer', async () => {
    const s = await session()
    const answer = askStep(s, step('description'))
    screen.type('token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789')
    screen.keypress('enter')
    await screen.next()
    expect(screen.getScreen()).toContain('looks like a secret')
    screen.keypress({name: 'u', ctrl: true})
    screen.type('Drafts refactoring pull requests.')
    screen.keypress('enter')
    await expect(answer).resolves.toBe('Drafts refactoring pull requests.')
  })

  it('asks to add items of a group, then asks about each item', async () => {
    const s = await session()
    const {group: g, section} = group('credentials')
    const add = askStep(s, {kind: 'add', section, group: g, index: 0})
    expect(screen.getScreen()).toContain('Does the agent hold a credential of its own')
    screen.keypress('enter')
    await expect(add).resolves.toBe(true)
    record(s.state, {kind: 'add', section, group: g, index: 0}, true)
    const kind = askStep(s, {kind: 'item', section, group: g, index: 0, question: g.questions[1]})
    expect(screen.getScreen()).toContain('Credential 1 · What kind of credential is it?')
    screen.keypress('up')
    screen.keypress('up')
    screen.keypress('enter')
    await expect(kind).resolves.toBe('oidc-federated')
  })
})

describe('the flow', () => {
  it('asks only what is left, in order, saving after every answer and skipping what is moot', async () => {
    const state = emptyAnswers('refactoring')
    fillDefaults(bank, state, ctx)
    // Leave the memory section open: one confirm decides whether the next two are asked.
    delete state.answers['memory-persistent']
    delete state.answers['memory-sources']
    delete state.answers['memory-untrusted-writes']
    const s = await session(state)
    const done = askRemaining(s)
    expect(screen.getScreen()).toContain('Does it keep memory between sessions')
    expect(s.printed()).toContain('Section 8 of 12 · Memory')
    screen.type('y')
    screen.keypress('enter')
    await screen.next()
    expect(screen.getScreen()).toContain('Where does it keep that memory?')
    screen.keypress('space')
    screen.keypress('enter')
    await screen.next()
    expect(screen.getScreen()).toContain('Can content from outsiders end up in that memory?')
    screen.keypress('up') // from "not sure" to "no"
    screen.keypress('enter')
    await expect(done).resolves.toBe(3)
    expect(s.saves).toHaveLength(3)
    expect(s.saves[0].answers['memory-persistent']).toBe(true)
    expect(s.state.answers).toMatchObject({
      'memory-persistent': true,
      'memory-sources': ['conversation-history'],
      'memory-untrusted-writes': false,
    })
    expect(nextStep(bank, s.state)).toBeUndefined()
  })

  it('starts from a preset chosen at the first prompt', async () => {
    const s = await session()
    const done = askPreset(s)
    expect(screen.getScreen()).toContain('Start from an archetype?')
    screen.keypress('up')
    screen.keypress('up')
    screen.keypress('enter')
    await done
    expect(s.state.preset).toBe('test-generation')
    expect(s.saves).toHaveLength(1)
  })

  it('reviews every section, changes one, and asks what the change made relevant', async () => {
    const state = emptyAnswers()
    fillDefaults(bank, state, ctx)
    const s = await session(state)
    const done = reviewAndEdit(s)
    expect(s.printed()).toContain('Review your answers')
    expect(s.printed()).toMatch(/Persistent memory \.+ No/)
    expect(screen.getScreen()).toContain('❯ Write agent.yaml')
    for (let i = 0; i < 8; i++) screen.keypress('down') // to "Change 8. Memory"
    screen.keypress('enter')
    await screen.next()
    expect(screen.getScreen()).toContain('Does it keep memory between sessions')
    screen.type('y')
    screen.keypress('enter')
    await screen.next()
    expect(screen.getScreen()).toContain('Where does it keep that memory?')
    screen.keypress('enter') // none selected
    await screen.next()
    screen.keypress('enter') // not sure
    await screen.next()
    expect(screen.getScreen()).toContain('❯ Write agent.yaml')
    screen.keypress('enter')
    await done
    expect(s.state.answers['memory-persistent']).toBe(true)
    expect(s.state.answers['memory-untrusted-writes']).toBeNull()
    expect(buildManifest(bank, s.state).manifest.memory).toEqual({persistent: true})
  })
})

describe('guards', () => {
  it('prompts only on a terminal', () => {
    expect(canPrompt({isTTY: true})).toBe(true)
    expect(canPrompt({isTTY: false})).toBe(false)
    expect(canPrompt({})).toBe(false)
  })

  it('turns Ctrl-C in a prompt into Interrupted with the hint, and leaves other errors alone', async () => {
    const s = await session()
    const answer = withInterrupt(() => askStep(s, step('autonomy')), 'run leash init --resume')
    screen.keypress({name: 'c', ctrl: true})
    const error = await answer.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Interrupted)
    expect((error as Interrupted).hint).toBe('run leash init --resume')

    const other = new Error('boom')
    await expect(withInterrupt(() => Promise.reject(other), 'x')).rejects.toBe(other)
    expect(isExitPromptError(Object.assign(new Error('closed'), {name: 'ExitPromptError'}))).toBe(true)
  })

  it('does not load @inquirer/prompts when prompts.ts is imported', async () => {
    const source = readFileSync(join(ROOT, 'src', 'cli', 'prompts.ts'), 'utf8')
    expect(source).not.toMatch(/^import[^;]*from '@inquirer\//m)
    const init = readFileSync(join(ROOT, 'src', 'commands', 'init.ts'), 'utf8')
    expect(init).not.toMatch(/from '@inquirer\//)
  })
})
