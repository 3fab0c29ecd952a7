// `leash init` driven as a user drives it: the real binary in a real terminal (tmux), keys sent,
// the screen read back. Needs the build (dist/); it is rebuilt here when missing or older than
// the sources of init. Without tmux the terminal tests are skipped, with a message.
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {loadManifest} from '../../src/core/manifest.js'
import {BIN, leash, STACK, staticModules} from '../helpers/cli.js'
import {ROOT} from '../helpers/shared.js'

const HAS_TMUX = spawnSync('which', ['tmux'], {encoding: 'utf8'}).status === 0
const NEEDS_TMUX = HAS_TMUX ? '' : ' (skipped: tmux is not installed; apt-get install -y tmux)'
if (!HAS_TMUX) console.warn('test/e2e/init.test.ts: tmux is not installed, so the terminal tests of leash init are skipped')

const tmp = mkdtempSync(join(tmpdir(), 'leash-init-'))
const SOCKET = `leash-e2e-${process.pid}`

/** Build unless dist/ is there and newer than everything init is made of. */
function ensureBuilt(): void {
  const built = join(ROOT, 'dist', 'commands', 'init.js')
  const sources = ['src/commands/init.ts', 'src/cli/prompts.ts', 'src/core/questionnaire.ts'].map((f) => join(ROOT, f))
  if (existsSync(built) && sources.every((f) => statSync(f).mtimeMs <= statSync(built).mtimeMs)) return
  execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: ROOT, stdio: 'inherit'})
}

/** A folder named `name` under a fresh parent (the manifest's default name is the folder's). */
function project(name = 'payments-refactor'): string {
  const dir = join(mkdtempSync(join(tmp, 'p-')), name)
  mkdirSync(dir)
  return dir
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One terminal: a tmux session of 200×50 running `leash init …`, then printing its exit code. */
class Terminal {
  private static count = 0
  readonly name = `t${++Terminal.count}`

  constructor(cwd: string, args: string[]) {
    const command = `env NO_COLOR=1 ${process.execPath} ${BIN} init ${args.join(' ')}; echo "[exit $?]"; sleep 3600`
    this.tmux('new-session', '-d', '-s', this.name, '-x', '200', '-y', '50', '-c', cwd, command)
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
  }

  /** Everything printed so far, wrapped lines joined. */
  history(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.name)
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys)
  }

  text(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text)
  }

  exitCode(screen = this.history()): number | undefined {
    const m = /^\[exit (\d+)\]$/m.exec(screen)
    return m ? Number(m[1]) : undefined
  }

  close(): void {
    this.tmux('kill-session', '-t', this.name)
  }
}

/** What to do at a prompt whose question matches; each rule is used once, in order. */
interface Rule {
  match: RegExp
  /** Text to type (literally), then `keys` (tmux key names, default Enter). */
  type?: string
  keys?: string[]
  /** Instead of answering: press Ctrl-C here. */
  interrupt?: boolean
}

const ANSWERED = /^[✔√] /
const PENDING = /^\? /

/**
 * Answer prompts as they appear until the program exits: a matching rule's keys, else Enter (the
 * default). A prompt is answered once: we wait for its "✔" line before looking for the next.
 */
async function drive(term: Terminal, rules: Rule[], timeoutMs = 60_000): Promise<{code: number; screen: string; prompts: string[]}> {
  const started = Date.now()
  let expected = 0
  const prompts: string[] = []
  for (;;) {
    if (Date.now() - started > timeoutMs) throw new Error(`no progress; last screen:\n${term.history().split('\n').slice(-30).join('\n')}`)
    const screen = term.history()
    const code = term.exitCode(screen)
    if (code !== undefined) return {code, screen, prompts}
    const lines = screen.split('\n')
    const done = lines.filter((l) => ANSWERED.test(l)).length
    let pending = -1
    for (let i = lines.length - 1; i >= 0; i--) {
      if (ANSWERED.test(lines[i])) break
      if (PENDING.test(lines[i])) {
        pending = i
        break
      }
    }
    if (pending < 0 || done < expected) {
      await sleep(15)
      continue
    }
    const question = lines[pending]
    prompts.push(question)
    const at = rules.findIndex((r) => r.match.test(question))
    const rule = at >= 0 ? rules.splice(at, 1)[0] : undefined
    if (rule?.interrupt) {
      term.keys('C-c')
      expected = Number.POSITIVE_INFINITY
      continue
    }
    if (rule?.type !== undefined) term.text(rule.type)
    term.keys(...(rule?.keys ?? ['Enter']))
    expected = done + 1
  }
}

/** A run with answers that differ from the defaults in every kind of prompt, groups included. */
function script(interruptAt?: RegExp): Rule[] {
  const rules: Rule[] = [
    {match: /Start from an archetype\?/, keys: ['Up', 'Up', 'Up', 'Up', 'Up', 'Enter']}, // refactoring
    {match: /In one sentence, what does it do\?/, type: 'Drafts refactoring pull requests for the payments service.'},
    {match: /How much does it do without a person/, keys: ['Down', 'Enter']}, // autonomous
    {match: /What can start it\?/, keys: ['Down', 'Down', 'space', 'Enter']}, // + a new issue
    {match: /Which team is accountable for it\?/, type: 'payments-platform'},
    {match: /How is that team reached\?/, type: 'payments@example.com'},
    {match: /Labels to record/, type: 'costCenter=4711'},
    {match: /Credential 1 · How long is it valid/, type: 'PT15M'},
    {match: /Add another credential\?/, type: 'y'},
    {match: /Credential 2 · What is it called\?/, type: 'model-api-key'},
    {match: /Credential 2 · How is it rotated\?/, keys: ['Up', 'Up', 'Enter']}, // from "not sure" to "by hand"
    {match: /Credential 2 · Every how many days\?/, type: '30'},
    {match: /Add another credential\?/, type: 'n'},
    {match: /Does it call MCP servers/, type: 'y'},
    {match: /MCP server 1 · What is the server called\?/, type: 'issue-tracker'},
    {match: /MCP server 1 · Which version\?/, type: '1.4'},
    {match: /Add another MCP server\?/, type: 'n'},
    {match: /Can it be stopped at once/, keys: ['Up', 'Up', 'Enter']}, // yes
  ]
  if (interruptAt) rules.unshift({match: interruptAt, interrupt: true})
  return rules
}

const sessions: Terminal[] = []
function terminal(cwd: string, args: string[]): Terminal {
  const t = new Terminal(cwd, args)
  sessions.push(t)
  return t
}

beforeAll(() => {
  ensureBuilt()
}, 240_000)

afterAll(() => {
  if (HAS_TMUX) spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
  rmSync(tmp, {recursive: true, force: true})
})

describe(`leash init in a terminal${NEEDS_TMUX}`, () => {
  it.skipIf(!HAS_TMUX)(
    'writes a valid manifest when Enter is pressed at every prompt',
    async () => {
      const dir = project()
      const run = await drive(terminal(dir, []), [])
      expect(run.code, run.screen).toBe(0)
      expect(run.screen).toContain('Section 1 of 12 · Purpose')
      expect(run.screen).toContain('Section 12 of 12 · Delivery and rollback')
      expect(run.screen).toContain('Review your answers')
      expect(run.screen).toMatch(/Verdict: (ready|conditional|not-ready)/)
      expect(run.screen).not.toMatch(STACK)
      const text = readFileSync(join(dir, 'agent.yaml'), 'utf8')
      const {manifest} = loadManifest(text, 'agent.yaml')
      expect(manifest.metadata).toMatchObject({name: 'payments-refactor', owner: {team: 'unassigned'}})
      expect(existsSync(join(dir, '.leash', 'init-state.json'))).toBe(false)
      // The binary agrees that it is valid.
      const v = leash(['validate', join(dir, 'agent.yaml'), '--json'])
      expect(JSON.parse(v.stdout).files[0].valid).toBe(true)
    },
    120_000,
  )

  it.skipIf(!HAS_TMUX)(
    'keeps every answer across Ctrl-C and --resume, and writes what an uninterrupted run writes',
    async () => {
      // Uninterrupted, with the scripted answers.
      const a = project()
      const straight = await drive(terminal(a, []), script())
      expect(straight.code, straight.screen).toBe(0)

      // Interrupted in the middle of a credential, then resumed.
      const b = project()
      const rules = script(/Credential 2 · Where is it stored\?/)
      const first = await drive(terminal(b, []), rules)
      expect(first.code, first.screen).toBe(130)
      expect(first.screen).toMatch(
        /^Interrupted\. Your answers are kept in \.leash\/init-state\.json; run `leash init --resume` to continue\.$/m,
      )
      expect(first.screen).not.toMatch(STACK)
      expect(existsSync(join(b, 'agent.yaml'))).toBe(false)
      const saved = JSON.parse(readFileSync(join(b, '.leash', 'init-state.json'), 'utf8'))
      expect(saved.preset).toBe('refactoring')
      expect(saved.answers['owner-team']).toBe('payments-platform')
      expect(saved.groups.credentials.items[1]).toMatchObject({name: 'model-api-key', rotation: 'manual', 'rotation-days': 30})

      const second = await drive(terminal(b, ['--resume']), rules)
      expect(second.code, second.screen).toBe(0)
      expect(second.screen).toContain('Resuming:')
      expect(second.prompts[0]).toMatch(/Credential 2 · Where is it stored\?/)
      expect(second.prompts.join('\n')).not.toMatch(/Which team is accountable/)

      const straightText = readFileSync(join(a, 'agent.yaml'), 'utf8')
      const resumedText = readFileSync(join(b, 'agent.yaml'), 'utf8')
      expect(resumedText).toBe(straightText)
      const {manifest} = loadManifest(resumedText, 'agent.yaml')
      expect(manifest.agent).toMatchObject({
        purpose: 'refactoring',
        autonomy: 'autonomous',
        triggers: ['manual', 'issue-comment', 'issue-opened'],
      })
      expect(manifest.metadata.owner).toEqual({team: 'payments-platform', contact: 'payments@example.com'})
      expect(manifest.identity?.credentials).toEqual([
        expect.objectContaining({name: 'github-app-installation-token', kind: 'short-lived-token', ttl: 'PT15M'}),
        expect.objectContaining({name: 'model-api-key', kind: 'static-api-key', rotation: 'manual', rotationDays: 30}),
      ])
      expect(manifest.tools?.mcpServers).toEqual([{name: 'issue-tracker', version: '1.4'}])
      expect(manifest.oversight?.killSwitch).toBe(true)
      expect(resumedText).toMatch(/ttl: PT15M # How long is it valid once issued\?/)
    },
    180_000,
  )
})

describe('leash init without a terminal', () => {
  it('writes a valid manifest with --preset refactoring --yes --out agent.yaml', () => {
    const dir = project('svc')
    const r = leash(['init', '--preset', 'refactoring', '--yes', '--out', 'agent.yaml'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Wrote agent.yaml')
    expect(r.stdout).toMatch(/Verdict: /)
    const {manifest} = loadManifest(readFileSync(join(dir, 'agent.yaml'), 'utf8'), 'agent.yaml')
    expect(manifest.agent.purpose).toBe('refactoring')
    expect(manifest.metadata.name).toBe('svc')
    expect(existsSync(join(dir, '.leash'))).toBe(false)
  })

  it('leaves an unfinished questionnaire alone unless it resumes it', () => {
    const dir = project()
    mkdirSync(join(dir, '.leash'))
    const state = {
      schemaVersion: 'leash-init-state/v1',
      bank: '1',
      out: 'bot.yaml',
      answers: {name: 'saved-bot', autonomy: 'autonomous'},
      groups: {},
    }
    writeFileSync(join(dir, '.leash', 'init-state.json'), JSON.stringify(state))
    expect(leash(['init', '--yes', '--out', 'other.yaml'], {cwd: dir}).code).toBe(0)
    expect(existsSync(join(dir, '.leash', 'init-state.json'))).toBe(true)
    const r = leash(['init', '--resume', '--yes'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Wrote bot.yaml')
    expect(loadManifest(readFileSync(join(dir, 'bot.yaml'), 'utf8'), 'bot.yaml').manifest).toMatchObject({
      metadata: {name: 'saved-bot'},
      agent: {autonomy: 'autonomous'},
    })
    expect(existsSync(join(dir, '.leash', 'init-state.json'))).toBe(false)
  })

  it('refuses to prompt without a TTY, naming --answers and --yes (exit 2)', () => {
    const r = leash(['init'], {cwd: project()})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--answers FILE/)
    expect(r.stderr).toMatch(/--yes/)
    expect(r.stderr).not.toMatch(STACK)
  })

  it('refuses to overwrite without --force (exit 2), and overwrites with it', () => {
    const dir = project()
    writeFileSync(join(dir, 'agent.yaml'), 'keep me\n')
    const r = leash(['init', '--yes'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('agent.yaml already exists; pass --force')
    expect(readFileSync(join(dir, 'agent.yaml'), 'utf8')).toBe('keep me\n')
    expect(leash(['init', '--yes', '--force', '--owner', 'platform'], {cwd: dir}).code).toBe(0)
    expect(loadManifest(readFileSync(join(dir, 'agent.yaml'), 'utf8'), 'agent.yaml').manifest.metadata.owner.team).toBe('platform')
  })

  it('reads answers from a file and prints the JSON document under --json', () => {
    const dir = project()
    writeFileSync(join(dir, 'answers.yaml'), 'name: billing-tests\npurpose: test-generation\nautonomy: suggest-only\ncredentials: []\n')
    const r = leash(['init', '--answers', 'answers.yaml', '--out', 'out/agent.yaml', '--json'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toEqual({manifest: 'out/agent.yaml', verdict: expect.stringMatching(/^(ready|conditional|not-ready)$/)})
    const {manifest} = loadManifest(readFileSync(join(dir, 'out', 'agent.yaml'), 'utf8'), 'agent.yaml')
    expect(manifest).toMatchObject({
      metadata: {name: 'billing-tests'},
      agent: {purpose: 'test-generation', autonomy: 'suggest-only'},
      identity: {credentials: []},
    })
  })

  it('names the file, the line and the question id of a bad answer (exit 2)', () => {
    const dir = project()
    writeFileSync(join(dir, 'answers.yaml'), 'name: x\nautonomy: autonomus\nshel: none\n')
    const r = leash(['init', '--answers', 'answers.yaml', '--yes'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /answers\.yaml:2:11 autonomy: "autonomus" is not one of suggest-only \| supervised \| autonomous \(did you mean "autonomous"\?\)/,
    )
    expect(r.stderr).toMatch(/answers\.yaml:3:1 shel: unknown question id "shel" \(did you mean "shell"\?\)/)
    expect(existsSync(join(dir, 'agent.yaml'))).toBe(false)
    const json = leash(['init', '--answers', 'answers.yaml', '--json'], {cwd: dir})
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout).error).toMatchObject({file: 'answers.yaml', line: 2, path: 'autonomy'})
  })

  it('refuses an unknown preset and a --resume with nothing to resume (exit 2)', () => {
    const dir = project()
    const p = leash(['init', '--preset', 'refactor', '--yes'], {cwd: dir})
    expect(p.code).toBe(2)
    expect(p.stderr).toContain('unknown preset "refactor"')
    expect(p.stderr).toContain('did you mean "refactoring"')
    const r = leash(['init', '--resume', '--yes'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('nothing to resume')
  })

  it('keeps @inquirer/prompts out of the modules every other command loads', () => {
    // each command is its own entry; prompts may only come in a lazy chunk of init
    const PROMPT = 'User force closed the prompt'
    for (const command of readdirSync(join(ROOT, 'dist', 'commands'))) {
      for (const file of staticModules(`commands/${command}`))
        expect(readFileSync(join(ROOT, 'dist', file), 'utf8'), `${command} → ${file}`).not.toContain(PROMPT)
    }
    const lazy = [...readFileSync(join(ROOT, 'dist', 'commands', 'init.js'), 'utf8').matchAll(/import\("\.\.\/(chunks\/[^"]+)"\)/g)].map(
      (m) => m[1],
    )
    expect(lazy.some((f) => readFileSync(join(ROOT, 'dist', f), 'utf8').includes(PROMPT))).toBe(true)
  })
})
