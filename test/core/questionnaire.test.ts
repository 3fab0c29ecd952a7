import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {loadCatalog} from '../../src/cli/catalog.js'
import {conditionPaths, type Condition} from '../../src/core/conditions.js'
import {parseText} from '../../src/core/document.js'
import {InputError} from '../../src/core/errors.js'
import {loadManifest} from '../../src/core/manifest.js'
import {
  answerOf,
  buildManifest,
  checkAnswer,
  choicesFor,
  defaultFor,
  emptyAnswers,
  fillDefaults,
  frameworkRefs,
  isGroup,
  manifestYaml,
  nameFromFolder,
  nextStep,
  parseInput,
  readAnswersFile,
  record,
  reviewSection,
  sanitizeState,
  stepId,
  type Answers,
  type Context,
  type Group,
  type Question,
  type QuestionBank,
  type Step,
  type Value,
} from '../../src/core/questionnaire.js'
import {questions as validateQuestions} from '../../src/generated/validators.cjs'
import {ROOT} from '../helpers/shared.js'

const bank = JSON.parse(readFileSync(join(ROOT, 'frameworks', 'questions.json'), 'utf8')) as QuestionBank
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'agent-manifest.schema.json'), 'utf8')) as SchemaNode
const catalog = loadCatalog(ROOT)
const ctx: Context = {folderName: 'My Project_2', controls: [...catalog.controls.values()].map((c) => ({id: c.id, title: c.title}))}

interface SchemaNode {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
  additionalProperties?: boolean | SchemaNode
  definitions?: Record<string, SchemaNode>
}

/** Every question with where it sits: top level, or inside a group. */
function allQuestions(): {question: Question; group?: Group; section: string}[] {
  const out: {question: Question; group?: Group; section: string}[] = []
  for (const s of bank.sections) {
    for (const e of s.questions) {
      if (isGroup(e)) for (const q of e.questions) out.push({question: q, group: e, section: s.id})
      else out.push({question: e, section: s.id})
    }
  }
  return out
}

/** A question's write paths, absolute, with `[]` for list items. */
function absoluteWrites(q: Question, group?: Group): string[] {
  return q.writes.map((w) => (group ? `${group.path}[].${w}` : w))
}

/** Every leaf of the manifest schema: scalars, scalar lists and maps, walking into objects and list items. */
function schemaLeaves(node: SchemaNode, prefix = ''): string[] {
  if (node.$ref) return schemaLeaves(schema.definitions![node.$ref.replace('#/definitions/', '')], prefix)
  if (node.properties) return Object.entries(node.properties).flatMap(([k, v]) => schemaLeaves(v, prefix ? `${prefix}.${k}` : k))
  if (node.items && (node.items.properties || node.items.$ref)) {
    const item = node.items.$ref ? schema.definitions![node.items.$ref.replace('#/definitions/', '')] : node.items
    if (item.properties) return schemaLeaves(item, `${prefix}[]`)
  }
  return [prefix]
}

function answerAll(state: Answers, pick: (step: Step) => Value): Answers {
  for (let step = nextStep(bank, state), n = 0; step; step = nextStep(bank, state), n++) {
    if (n > 1000) throw new Error('the questionnaire does not end')
    record(state, step, pick(step))
  }
  return state
}

function yamlOf(state: Answers): string {
  return manifestYaml(buildManifest(bank, state), {schema, file: 'agent.yaml', bankVersion: bank.version})
}

describe('the question bank', () => {
  it('matches schemas/questions.schema.json', () => {
    expect(validateQuestions(bank), JSON.stringify(validateQuestions.errors?.slice(0, 3))).toBe(true)
  })

  it('has the twelve sections in order, each with a title and an intro', () => {
    expect(bank.sections.map((s) => s.id)).toEqual([
      'purpose',
      'identity',
      'credentials',
      'access',
      'secrets',
      'tools',
      'sandbox',
      'memory',
      'multi-agent',
      'oversight',
      'observability',
      'delivery',
    ])
  })

  it('uses each question id once (top level, and within each group)', () => {
    const top = bank.sections.flatMap((s) => s.questions.map((e) => e.id))
    expect(new Set(top).size).toBe(top.length)
    for (const s of bank.sections) {
      for (const e of s.questions.filter(isGroup)) expect(new Set(e.questions.map((q) => q.id)).size).toBe(e.questions.length)
    }
  })

  it('names only threats of the catalog, and every question outside the controls group names one', () => {
    for (const {question, group} of allQuestions()) {
      for (const t of question.threats) expect(catalog.threats.has(t), `${question.id}: ${t}`).toBe(true)
      if (group?.id !== 'controls') expect(question.threats.length, question.id).toBeGreaterThan(0)
    }
    for (const s of bank.sections)
      for (const g of s.questions.filter(isGroup)) for (const t of g.threats) expect(catalog.threats.has(t)).toBe(true)
  })

  it('derives framework items for every question from the catalog (none typed in the bank)', () => {
    for (const {question, group} of allQuestions()) {
      if (group?.id === 'controls') continue
      const {shown} = frameworkRefs(question.threats, catalog.threatMappings)
      expect(shown.length, question.id).toBeGreaterThan(0)
    }
    expect(JSON.stringify(bank)).not.toMatch(/NHI\d+:2025|ASI\d\d|LLM\d\d:2025|AML\.T\d/)
  })

  it('lists in `writes` the answer path first, then exactly the paths its choices settle', () => {
    for (const {question} of allQuestions()) {
      const also = new Set((question.choices ?? []).flatMap((c) => Object.keys(c.also ?? {})))
      if (question.control) expect(question.writes).toEqual(['controls[].id', 'controls[].status'])
      else expect(new Set(question.writes.slice(1)), question.id).toEqual(also)
    }
  })

  it('writes only paths the manifest schema has', () => {
    const leaves = new Set(schemaLeaves(schema))
    for (const {question, group} of allQuestions()) {
      for (const w of absoluteWrites(question, group)) expect(leaves.has(w), `${question.id} writes ${w}`).toBe(true)
    }
  })

  it('covers every field of the manifest schema with a question, or derives it', () => {
    const derived = new Set(['apiVersion', 'kind'])
    const written = new Set([...derived, ...allQuestions().flatMap(({question, group}) => absoluteWrites(question, group))])
    const missing = schemaLeaves(schema).filter((leaf) => !written.has(leaf))
    expect(missing).toEqual([])
    // and the walk itself reaches into list items
    expect(schemaLeaves(schema)).toEqual(
      expect.arrayContaining(['identity.credentials[].ttl', 'tools.mcpServers[].pinned', 'controls[].due']),
    )
  })

  it('gives every question a default that passes its own validation', () => {
    const state = emptyAnswers()
    for (const {question, group} of allQuestions()) {
      const defaults: Value[] = [question.default, ...(question.defaultWhen ?? []).map((d) => d.value)]
      for (const d of defaults) {
        const value = typeof d === 'string' ? d.replace('{n}', '1') : d
        const checked = checkAnswer(question, value, ctx)
        expect(checked, `${group ? `${group.id}.` : ''}${question.id}`).toMatchObject({ok: true})
        if (question.kind === 'input' && typeof value === 'string') expect(parseInput(question, value).ok).toBe(true)
      }
    }
    // and the computed one: the folder's name made to fit
    const name = defaultFor(bank, state, {kind: 'question', section: 0, question: bank.sections[0].questions[0] as Question}, ctx)
    expect(name).toBe('my-project-2')
  })

  it('skips a question only on answers given before it', () => {
    const written = new Set<string>(['apiVersion', 'kind'])
    const check = (c: Condition | undefined, id: string, prefix = '') => {
      for (const p of c ? conditionPaths(c) : [])
        expect(written.has(prefix + p), `${id} reads ${prefix + p} before it is written`).toBe(true)
    }
    for (const s of bank.sections) {
      for (const e of s.questions) {
        if (!isGroup(e)) {
          check(e.skipWhen, e.id)
          for (const d of e.defaultWhen ?? []) check(d.when, e.id)
          absoluteWrites(e).forEach((w) => written.add(w))
          continue
        }
        check(e.skipWhen, e.id)
        for (const q of e.questions) {
          check(q.skipWhen, `${e.id}.${q.id}`, `${e.path}[].`)
          for (const d of q.defaultWhen ?? []) check(d.when, `${e.id}.${q.id}`, `${e.path}[].`)
          absoluteWrites(q, e).forEach((w) => written.add(w))
        }
      }
    }
  })

  it('has presets for the four archetypes whose answers pass validation', () => {
    expect(bank.presets.map((p) => p.id)).toEqual(
      expect.arrayContaining(['refactoring', 'dependency-update', 'test-generation', 'build-fix']),
    )
    const ids = new Map(bank.sections.flatMap((s) => s.questions.map((e) => [e.id, e] as const)))
    for (const p of bank.presets) {
      for (const [id, value] of Object.entries(p.answers)) {
        const entry = ids.get(id)
        expect(entry, `${p.id}: ${id}`).toBeDefined()
        if (!entry) continue
        if (!isGroup(entry)) {
          expect(checkAnswer(entry, value, ctx), `${p.id}: ${id}`).toEqual({ok: true, value})
          continue
        }
        for (const item of value as Record<string, Value>[]) {
          for (const [qid, v] of Object.entries(item)) {
            const q = entry.questions.find((x) => x.id === qid)
            expect(q, `${p.id}: ${id}.${qid}`).toBeDefined()
            expect(checkAnswer(q!, v, ctx), `${p.id}: ${id}.${qid}`).toEqual({ok: true, value: v})
          }
        }
      }
    }
  })
})

describe('answers to manifest', () => {
  it('writes a valid manifest on defaults alone, owner unassigned and the folder name', () => {
    const state = emptyAnswers()
    fillDefaults(bank, state, ctx)
    const text = yamlOf(state)
    const {manifest} = loadManifest(text, 'agent.yaml')
    expect(manifest.metadata.name).toBe('my-project-2')
    expect(manifest.metadata.owner.team).toBe('unassigned')
    expect(manifest.identity?.credentials).toHaveLength(1)
    expect(manifest.tools?.mcpServers).toEqual([])
    expect(manifest).not.toHaveProperty('controls') // no control declared: nothing written, not []
  })

  for (const preset of ['refactoring', 'dependency-update', 'test-generation', 'build-fix']) {
    it(`writes a valid manifest for the ${preset} preset with defaults`, () => {
      const state = emptyAnswers(preset)
      fillDefaults(bank, state, ctx)
      const {manifest} = loadManifest(yamlOf(state), 'agent.yaml')
      expect(manifest.agent.purpose).toBe(preset)
      expect(manifest.access?.repositories?.canMerge).toBe(false)
      expect(manifest.oversight?.mergeApproval).toBe('human-required')
      expect(manifest.identity?.credentials?.length).toBeGreaterThan(0)
    })
  }

  it('writes a valid manifest whatever valid answers are given (property)', () => {
    const pools: Record<string, string[]> = {
      text: ['', 'platform-team', 'Drafts pull requests.'],
      name: ['refactor-bot', 'a', 'x-1'],
      date: ['', '2027-06-30', '2024-02-29'],
      duration: ['', 'PT1H', 'P90D', 'PT30M'],
      contact: ['', 'team@example.com', 'https://wiki.example.com/team'],
      integer: ['', '0', '1', '365'],
      list: ['', 'npm test, git diff', 'a,a,b'],
      labels: ['', 'costCenter=4711', 'a=1, b=two'],
    }
    fc.assert(
      fc.property(fc.array(fc.nat(), {minLength: 200, maxLength: 200}), (dice) => {
        let i = 0
        const roll = (n: number) => dice[i++ % dice.length] % n
        const state = answerAll(emptyAnswers(), (step) => {
          if (step.kind === 'add') return step.index < 3 && roll(2) === 0
          const q = step.question
          const choices = choicesFor(q, ctx)
          if (q.kind === 'select') return choices[roll(choices.length)].value
          if (q.kind === 'confirm') return roll(2) === 0
          if (q.kind === 'checkbox') return choices.filter(() => roll(2) === 0).map((c) => c.value as string)
          const pool = pools[q.input!.format]
          const text = q.input?.required && q.input.format === 'text' ? 'x' : pool[roll(pool.length)] || (q.input?.required ? 'x' : '')
          const parsed = parseInput(q, text)
          if (!parsed.ok) throw new Error(`${q.id}: ${parsed.message}`)
          return parsed.value
        })
        loadManifest(yamlOf(state), 'agent.yaml')
      }),
      {numRuns: 60},
    )
  })

  it('comments each field with the question that set it, and lists "not sure" answers in the header', () => {
    const state = emptyAnswers()
    fillDefaults(bank, state, ctx)
    const text = yamlOf(state)
    expect(text).toMatch(/^ {2}name: my-project-2 # What is this agent deployment called\?$/m)
    expect(text).toMatch(/^ {4}team: unassigned # Which team is accountable for it\?$/m)
    expect(text).toMatch(/^ {2}autonomy: supervised # How much does it do without a person in the loop\?$/m)
    expect(text).toMatch(/^ {2}triggers: \[manual\] # What can start it\?$/m)
    expect(text).toMatch(/# Does the agent hold a credential of its own \(a token, key or password\)\?\n {2}credentials:/)
    expect(text).toMatch(/^# Answered "not sure" \(open questions in the report\): agent\.product/m)
    expect(text).toMatch(/^# {3}.*identity\.type/m)
    // keys follow the schema's order, not the order of the questions
    expect(text.indexOf('\nmetadata:')).toBeLessThan(text.indexOf('\nagent:'))
    expect(text.indexOf('  name:')).toBeLessThan(text.indexOf('  owner:'))
  })

  it('marks values implied by another answer', () => {
    const state = emptyAnswers()
    state.answers['identity-type'] = 'human-user-token'
    state.answers['cloud-access'] = 'none'
    fillDefaults(bank, state, ctx)
    const {manifest} = loadManifest(yamlOf(state), 'agent.yaml')
    expect(manifest.identity).toMatchObject({type: 'human-user-token', dedicated: false, humanUse: true})
    expect(manifest.access?.cloud).toEqual({access: 'none', production: 'none'})
    expect(yamlOf(state)).toMatch(/humanUse: true # follows from: Which identity does it act as\?/)
  })
})

describe('skip logic', () => {
  const askedIds = (state: Answers): string[] => {
    const ids: string[] = []
    answerAll(state, (step) => {
      ids.push(stepId(step))
      return defaultFor(bank, state, step, ctx)
    })
    return ids
  }

  it('skips identity questions when the agent holds no identity', () => {
    const state = emptyAnswers()
    state.answers['identity-type'] = 'none'
    const ids = askedIds(state)
    expect(ids).not.toContain('identity-dedicated')
    expect(ids).not.toContain('identity-offboarding')
    expect(ids).toContain('reviewed-at')
  })

  it('asks for an allow-list only when there is one, and treats "not sure" as a reason to ask, not to skip', () => {
    const allow = emptyAnswers()
    allow.answers.shell = 'allowlist'
    expect(askedIds(allow)).toContain('shell-allowlist')
    const none = emptyAnswers()
    none.answers.shell = 'unrestricted'
    expect(askedIds(none)).not.toContain('shell-allowlist')
    // trigger-actors: skipped for schedule only, asked when triggers are unknown
    const scheduled = emptyAnswers()
    scheduled.answers.triggers = ['schedule']
    expect(askedIds(scheduled)).not.toContain('trigger-actors')
    const unknown = emptyAnswers()
    unknown.answers.triggers = []
    expect(askedIds(unknown)).toContain('trigger-actors')
  })

  it('skips item questions on the item’s own answers', () => {
    const state = emptyAnswers()
    const ids = askedIds(state)
    expect(ids).toEqual(expect.arrayContaining(['credentials[+1]', 'credentials[0].kind', 'credentials[0].rotation', 'credentials[+2]']))
    const federated = emptyAnswers()
    record(federated, {kind: 'add', section: 2, group: group('credentials'), index: 0}, true)
    record(
      federated,
      {kind: 'item', section: 2, group: group('credentials'), index: 0, question: item('credentials', 'kind')},
      'oidc-federated',
    )
    const after = askedIds(federated)
    expect(after).not.toContain('credentials[0].rotation')
    expect(after).not.toContain('credentials[0].rotation-days')
    const {manifest} = loadManifest(yamlOf(federated), 'agent.yaml')
    expect(manifest.identity?.credentials?.[0]).toMatchObject({kind: 'oidc-federated', rotation: 'automatic', ttl: 'PT1H'})
  })

  it('drops an answer an earlier change made moot', () => {
    const state = emptyAnswers()
    state.answers.shell = 'allowlist'
    state.answers['shell-allowlist'] = ['npm test']
    fillDefaults(bank, state, ctx)
    expect(buildManifest(bank, state).manifest.tools).toMatchObject({shell: 'allowlist', shellAllowlist: ['npm test']})
    state.answers.shell = 'none'
    expect(buildManifest(bank, state).manifest.tools).not.toHaveProperty('shellAllowlist')
  })
})

function group(id: string): Group {
  return bank.sections.flatMap((s) => s.questions).find((e) => e.id === id) as Group
}
function item(groupId: string, id: string): Question {
  return group(groupId).questions.find((q) => q.id === id)!
}

describe('repeating groups', () => {
  it('adds items one after another until the user says no', () => {
    const state = emptyAnswers()
    const g = group('mcp-servers')
    const steps: string[] = []
    let added = 0
    answerAll(state, (step) => {
      if (step.kind === 'add' && step.group === g) {
        steps.push(stepId(step))
        return added++ < 2
      }
      if (step.kind === 'item' && step.group === g && step.question.id === 'name') return `server-${step.index}`
      return defaultFor(bank, state, step, ctx)
    })
    expect(steps).toEqual(['mcp-servers[+1]', 'mcp-servers[+2]', 'mcp-servers[+3]'])
    const {manifest} = loadManifest(yamlOf(state), 'agent.yaml')
    expect(manifest.tools?.mcpServers?.map((s) => s.name)).toEqual(['server-0', 'server-1'])
    expect(answerOf(state, {kind: 'add', section: 5, group: g, index: 2})).toEqual({value: false})
  })

  it('pre-fills items from a preset, numbering default names', () => {
    const state = emptyAnswers('build-fix')
    fillDefaults(bank, state, ctx)
    expect(state.groups.credentials.items).toHaveLength(1)
    expect(state.groups.credentials.items[0]).toMatchObject({name: 'github-app-installation-token', kind: 'short-lived-token', ttl: 'PT1H'})
    const plain = emptyAnswers()
    record(plain, {kind: 'add', section: 2, group: group('credentials'), index: 0}, true)
    record(plain, {kind: 'add', section: 2, group: group('credentials'), index: 1}, true)
    expect(
      defaultFor(
        bank,
        plain,
        {kind: 'item', section: 2, group: group('credentials'), index: 1, question: item('credentials', 'name')},
        ctx,
      ),
    ).toBe('credential-2')
  })

  it('merges a declared control with the prompt-injection question without duplicating it', () => {
    const state = emptyAnswers()
    state.answers['prompt-injection-guard'] = 'planned'
    state.groups.controls = {
      items: [{id: 'CTL-PROMPT-INJECTION-GUARD', status: 'partial', evidence: 'https://wiki.example.com/guard'}],
      complete: true,
    }
    fillDefaults(bank, state, ctx)
    const {manifest} = loadManifest(yamlOf(state), 'agent.yaml')
    expect(manifest.controls).toEqual([{id: 'CTL-PROMPT-INJECTION-GUARD', status: 'partial', evidence: 'https://wiki.example.com/guard'}])
  })
})

describe('checking answers', () => {
  const q = (id: string) => bank.sections.flatMap((s) => s.questions).find((e) => e.id === id) as Question

  it('refuses a value outside a select’s choices, naming the allowed ones and the closest', () => {
    expect(checkAnswer(q('autonomy'), 'autonomus')).toMatchObject({
      ok: false,
      suggestion: 'autonomous',
      allowed: ['suggest-only', 'supervised', 'autonomous'],
    })
    expect(checkAnswer(q('kill-switch'), 'unknown')).toEqual({ok: true, value: null})
    expect(checkAnswer(q('kill-switch'), 'yes')).toEqual({ok: true, value: true})
    expect(checkAnswer(q('triggers'), ['push', 'manual'])).toEqual({ok: true, value: ['manual', 'push']})
  })

  it('checks typed text by format, and refuses a pasted secret', () => {
    expect(parseInput(q('name'), 'Refactor Bot')).toMatchObject({ok: false})
    expect(parseInput(q('reviewed-at'), '2026-02-30')).toMatchObject({ok: false})
    expect(parseInput(q('session-timeout'), 'PT2H')).toEqual({ok: true, value: 'PT2H'})
    expect(parseInput(q('required-reviewers'), '2')).toEqual({ok: true, value: 2})
    expect(parseInput(q('labels'), 'costCenter=4711, team = a')).toEqual({ok: true, value: {costCenter: '4711', team: 'a'}})
    expect(parseInput(q('labels'), '__proto__=x')).toMatchObject({ok: false})
    expect(parseInput(q('owner-team'), '  ')).toMatchObject({ok: false})
    expect(parseInput(q('description'), 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789')).toMatchObject({
      ok: false,
      message: expect.stringContaining('secret'),
    })
  })

  it('reads an answers file, locating an unknown id and a bad value by line', () => {
    const text = [
      'name: refactor-bot',
      'autonomy: autonomus',
      'kill-swich: true',
      'credentials:',
      '  - name: gh',
      '    kind: pat',
      '',
    ].join('\n')
    let error: unknown
    try {
      readAnswersFile(bank, parseText(text, 'answers.yaml'), ctx)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const d = (error as InputError).diagnostics
    expect(d.map((x) => [x.line, x.path])).toEqual([
      [2, 'autonomy'],
      [3, 'kill-swich'],
      [6, 'credentials[0].kind'],
    ])
    expect(d[0]).toMatchObject({file: 'answers.yaml', suggestion: 'autonomous'})
    expect(d[1].message).toContain('did you mean "kill-switch"')
  })

  it('reads a valid answers file into answers and complete groups', () => {
    const text = JSON.stringify({name: 'x', autonomy: 'autonomous', 'mcp-servers': [], credentials: [{name: 'gh', kind: 'oidc-federated'}]})
    const answers = readAnswersFile(bank, parseText(text, 'a.json'), ctx)
    expect(answers.answers).toEqual({name: 'x', autonomy: 'autonomous'})
    expect(answers.groups.credentials).toEqual({items: [{name: 'gh', kind: 'oidc-federated'}], complete: true})
  })

  it('keeps from a saved state only what the bank still accepts', () => {
    const {state, dropped} = sanitizeState(
      bank,
      {
        preset: 'refactoring',
        answers: {name: 'ok', gone: 1, autonomy: 'sometimes'},
        groups: {credentials: {items: [{name: 'a', nope: 1}], complete: false}},
      },
      ctx,
    )
    expect(state).toEqual({preset: 'refactoring', answers: {name: 'ok'}, groups: {credentials: {items: [{name: 'a'}], complete: false}}})
    expect(dropped).toEqual(['gone', 'autonomy', 'credentials[0].nope'])
  })
})

describe('helpers', () => {
  it('makes a folder name fit metadata.name', () => {
    expect(nameFromFolder('My Project_2')).toBe('my-project-2')
    expect(nameFromFolder('--Ünïcode--')).toBe('unicode')
    expect(nameFromFolder('...')).toBe('')
    expect(nameFromFolder('a'.repeat(80))).toHaveLength(63)
  })

  it('shows framework items from the catalog, OWASP first', () => {
    const {shown} = frameworkRefs(['THR-LONG-LIVED-CREDENTIALS'], catalog.threatMappings)
    expect(shown[0]).toMatch(/^NHI\d+:2025$/)
    expect(shown).toContain('NHI7:2025')
  })

  it('reviews a section with labels and chosen names', () => {
    const state = emptyAnswers('refactoring')
    fillDefaults(bank, state, ctx)
    const lines = reviewSection(bank, state, 2, ctx)
    expect(lines[0]).toEqual({label: 'Credentials', answer: '1', depth: 0})
    expect(lines).toContainEqual({label: '1. Name', answer: 'github-app-installation-token', depth: 1})
    expect(lines).toContainEqual({label: '   Kind', answer: 'A short-lived token', depth: 1})
  })
})
