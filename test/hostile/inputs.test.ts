/**
 * Hostile files, through the binary, for every file leash reads: manifests (validate and assess),
 * waivers (--waivers), catalogs (--catalog), init answers (--answers) and agent configuration
 * (detect). Each must be refused with exit 2 (detect: exit 0 and a warning) and a message naming
 * the file and the problem, in under 5 seconds, without a stack trace, and without writing anything.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {aliasBomb, casesFor, lineNaming, READERS} from './cases.mjs'
import {DATE, EXAMPLE_FILES, LIMIT_MS, run, runAsync, STACK, tempDir} from './helpers.js'

const EXAMPLE = EXAMPLE_FILES.find((f) => f.endsWith('refactoring-agent.yaml'))!

let store = ''
beforeAll(() => {
  store = tempDir('hostile-store')
})

for (const reader of READERS) {
  describe(`hostile ${reader.id}`, () => {
    it.concurrent.each(casesFor(reader).map((h) => [h.title, h] as const))(
      `%s: ${reader.detect ? 'exit 0 with a warning' : 'exit 2'} naming the file and the problem, under 5 s, no stack`,
      async (_title, h) => {
        const dir = tempDir('hostile')
        const {args, shown, output} = reader.setup(store, dir, h, EXAMPLE)
        const r = await runAsync(args, {cwd: dir})
        const problem = reader.variant?.(h)?.problem ?? h.problem
        expect(r.signal, 'killed by the timeout: a hang').toBeNull()
        expect(r.code, r.stdout + r.stderr).toBe(reader.detect ? 0 : 2)
        expect(
          lineNaming(r.stdout + r.stderr, shown, problem),
          `no line names ${shown} and ${problem}:\n${r.stdout}${r.stderr}`,
        ).toBeDefined()
        expect(r.stdout + r.stderr).not.toMatch(STACK)
        expect(r.ms).toBeLessThan(LIMIT_MS)
        if (output) expect(existsSync(join(dir, output)), `${output} was written`).toBe(false)
        if (reader.detect) expect(r.stdout).toMatch(/^Warnings \(\d+\)$/m)
      },
    )
  })
}

describe('detect: a folder where a configuration file is expected', () => {
  // `.clinerules/` and `.cursor/rules/<sub>/` are legitimate folders, so a folder is skipped as
  // absent (never read, never a warning), as the agents themselves skip it.
  it('is skipped as absent: exit 0, not read, no stack', () => {
    const dir = tempDir('hostile')
    mkdirSync(join(dir, 'repo', '.claude', 'settings.json'), {recursive: true})
    const r = run(['detect', 'repo', '--json'], {cwd: dir})
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).files).toEqual([])
    expect(r.stderr).not.toMatch(STACK)
    expect(r.ms).toBeLessThan(LIMIT_MS)
  })
})

/** CRLF line endings and a UTF-8 BOM, as Windows editors write them. */
const windows = (text: string) => `\uFEFF${text.replace(/\r?\n/g, '\r\n')}`

describe('CRLF and a byte-order mark are accepted by every reader', () => {
  it('manifest: the same findings, scores and locations as the original', () => {
    const dir = tempDir('crlf')
    writeFileSync(join(dir, 'lf.yaml'), readFileSync(EXAMPLE, 'utf8'))
    writeFileSync(join(dir, 'crlf.yaml'), windows(readFileSync(EXAMPLE, 'utf8')))
    const doc = (f: string) => {
      const r = run(['assess', f, '--format', 'json', '--out', '-', ...DATE], {cwd: dir})
      expect(r.code, r.stderr).toBe(0)
      const result = JSON.parse(r.stdout)
      return {verdict: result.verdict, score: result.score, findings: JSON.stringify(result.findings).replaceAll('crlf.yaml', 'lf.yaml')}
    }
    expect(doc('crlf.yaml')).toEqual(doc('lf.yaml'))
    expect(run(['validate', 'crlf.yaml', ...DATE], {cwd: dir}).code).toBe(0)
  })

  it('waivers: the same waiver applies', () => {
    const dir = tempDir('crlf')
    const waivers = `apiVersion: leash-waivers/v1
waivers:
  - threat: THR-UNTRUSTED-INPUT-HIJACK
    agent: refactoring-*
    reason: Accepted while the injection guard is built.
    approvedBy: ciso@example.com
    expires: 2027-06-30
`
    writeFileSync(join(dir, 'w.yaml'), windows(waivers))
    const r = run(['assess', EXAMPLE, '--waivers', 'w.yaml', '--format', 'json', '--out', '-', ...DATE], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).waivers).toEqual([expect.objectContaining({threat: 'THR-UNTRUSTED-INPUT-HIJACK', status: 'active'})])
  })

  it('catalog: a team control from a CRLF + BOM file is loaded', () => {
    const dir = tempDir('crlf')
    mkdirSync(join(dir, 'cat'))
    writeFileSync(
      join(dir, 'cat', 'controls.yaml'),
      windows(
        'id: team-controls\nversion: "1"\ncontrols:\n  - id: CTL-TEAM-REVIEW\n    title: Team review\n    description: A second engineer reviews agent changes.\n    evidence: Branch protection settings.\n    effort: low\n',
      ),
    )
    const r = run(['controls', 'CTL-TEAM-REVIEW', '--catalog', 'cat'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Team review')
  })

  it('init answers: the same manifest as from the LF file', () => {
    const dir = tempDir('crlf')
    const answers = 'name: refactor-bot\nowner-team: platform\nautonomy: supervised\n'
    writeFileSync(join(dir, 'lf.yaml'), answers)
    writeFileSync(join(dir, 'crlf.yaml'), windows(answers))
    expect(run(['init', '--answers', 'lf.yaml', '--yes', '--out', 'lf-agent.yaml'], {cwd: dir}).code).toBe(0)
    const r = run(['init', '--answers', 'crlf.yaml', '--yes', '--out', 'crlf-agent.yaml'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    const body = (f: string) => readFileSync(join(dir, f), 'utf8').replaceAll('crlf-agent.yaml', 'lf-agent.yaml')
    expect(body('crlf-agent.yaml')).toBe(body('lf-agent.yaml'))
  })

  it('detect: the same facts from a CRLF + BOM settings.json and workflow', () => {
    const dir = tempDir('crlf')
    const settings = '{\n  "permissions": {\n    "allow": ["Bash(npm run:*)", "WebFetch"],\n    "defaultMode": "acceptEdits"\n  }\n}\n'
    const facts = (name: string, transform: (s: string) => string) => {
      mkdirSync(join(dir, name, '.claude'), {recursive: true})
      writeFileSync(join(dir, name, '.claude', 'settings.json'), transform(settings))
      const r = run(['detect', name, '--json'], {cwd: dir})
      expect(r.code, r.stderr).toBe(0)
      const doc = JSON.parse(r.stdout)
      expect(doc.warnings).toEqual([])
      return {observed: {...doc.observed, metadata: undefined}, sources: doc.sources}
    }
    const plain = facts('lf', (s) => s)
    expect(plain.sources.length).toBeGreaterThan(0)
    expect(facts('crlf', windows)).toEqual(plain)
  })
})

describe('hostile manifests from git (diff --base)', () => {
  it.each([
    ['a 30 MB base', 'apiVersion: leash/v1\n#' + 'x'.repeat(30 * 1024 * 1024) + '\n', /HEAD:agent\.yaml over the limit of 1048576 bytes/],
    ['a binary base', '\u0000\u0001binary\n', /HEAD:agent\.yaml the file holds binary data/],
    ['an alias-bomb base', aliasBomb(), /HEAD:agent\.yaml:6:1 .*alias bomb/],
  ])('%s is refused (exit 2), naming REF:FILE and the problem', (_title, base, message) => {
    const dir = tempDir('git')
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {cwd: dir})
    writeFileSync(join(dir, 'agent.yaml'), base)
    git('init', '-q')
    git('add', '.')
    git('commit', '-qm', 'base')
    writeFileSync(join(dir, 'agent.yaml'), readFileSync(EXAMPLE))
    const r = run(['diff', '--base', 'HEAD', 'agent.yaml'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout + r.stderr).not.toMatch(STACK)
    expect(r.ms).toBeLessThan(LIMIT_MS)
  })
})
