import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {leash, STACK} from '../helpers/cli.js'

const DRIFT = 'test/fixtures/drift'
const DATE = ['--date', '2026-11-27']

describe('leash detect', () => {
  it('summarises agents, files, facts and findings located in the real files', () => {
    const r = leash(['detect', `${DRIFT}/repo`])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('claude-code')
    expect(r.stdout).toMatch(/critical\s+THR-ARBITRARY-CODE-EXECUTION\s+\d+\s+\.claude\/settings\.json:4 Bash\(npm run:\*\)/)
  })

  it('prints observed facts with their sources, and findings, with --json', () => {
    const r = leash(['detect', `${DRIFT}/repo`, '--json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.observed.tools.shell).toBe('unrestricted')
    expect(doc.sources).toContainEqual(
      expect.objectContaining({
        file: '.claude/settings.json',
        line: 4,
        fact: 'tools.shell',
        value: 'unrestricted',
        text: 'Bash(npm run:*)',
      }),
    )
    const finding = doc.findings.find((f: {id: string}) => f.id === 'THR-ARBITRARY-CODE-EXECUTION')
    expect(finding.because[0]).toMatchObject({file: '.claude/settings.json', line: 4})
    // what detect cannot see is an open question, never a finding's reason
    for (const f of doc.findings) for (const b of f.because) expect(b.file).toBe('.claude/settings.json')
    expect(doc.openQuestions).toContain('oversight.killSwitch')
  })

  it('writes the implied manifest, commented with its sources and valid, and refuses to overwrite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leash-detect-'))
    const out = join(dir, 'agent.yaml')
    expect(leash(['detect', `${DRIFT}/repo`, '--out', out]).code).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text).toContain('# .claude/settings.json:4 Bash(npm run:*)')
    expect(text).toMatch(/^ {2}shell: unrestricted$/m)
    expect(leash(['validate', out, ...DATE]).code).not.toBe(2)
    const again = leash(['detect', `${DRIFT}/repo`, '--out', out])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('already exists; use --force')
    expect(leash(['detect', `${DRIFT}/repo`, '--out', out, '--force']).code).toBe(0)
  })

  it('exits 0 with malformed configuration files, each reported with file and line', () => {
    const r = leash(['detect', 'test/fixtures/detect/claude-malformed-settings'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/\.claude\/settings\.json:\d+/)
    expect(r.stdout + r.stderr).not.toMatch(STACK)
  })

  it('exits 2 when the folder cannot be read', () => {
    const r = leash(['detect', join(tmpdir(), 'no-such-repository-here')])
    expect(r.code).toBe(2)
    expect(r.stdout + r.stderr).not.toMatch(STACK)
  })
})

describe('leash validate --detect (drift)', () => {
  it('fails a manifest that declares a shell allowlist of `npm test` and no network, naming the settings file and line', () => {
    const r = leash(['validate', `${DRIFT}/declared-narrow.yaml`, '--detect', `${DRIFT}/repo`, ...DATE])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('drift    tools.shell: the repository grants unrestricted, the manifest declares allowlist')
    expect(r.stdout).toContain('at .claude/settings.json:4 Bash(npm run:*)')
    expect(r.stdout).toContain('drift    tools.network: the repository grants unrestricted, the manifest declares none')
    const doc = JSON.parse(leash(['validate', `${DRIFT}/declared-narrow.yaml`, '--detect', `${DRIFT}/repo`, '--json', ...DATE]).stdout)
    const shell = doc.files[0].drift.find((d: {path: string}) => d.path === 'tools.shell')
    expect(shell).toMatchObject({declared: 'allowlist', observed: 'unrestricted'})
    expect(shell.because[0]).toMatchObject({file: '.claude/settings.json', line: 4, text: 'Bash(npm run:*)'})
    expect(shell.threats).toContain('THR-ARBITRARY-CODE-EXECUTION')
  })

  it('finds no drift in a manifest that declares what the repository grants, and passes once its one risk is waived', () => {
    const json = JSON.parse(leash(['validate', `${DRIFT}/declared-matching.yaml`, '--detect', `${DRIFT}/repo`, '--json', ...DATE]).stdout)
    expect(json.files[0].drift).toEqual([])
    const r = leash([
      'validate',
      `${DRIFT}/declared-matching.yaml`,
      '--detect',
      `${DRIFT}/repo`,
      '--waivers',
      `${DRIFT}/waivers.yaml`,
      ...DATE,
    ])
    expect(r.code, r.stdout).toBe(0)
  })

  it('locates drift in the real file in SARIF', () => {
    const r = leash(['validate', `${DRIFT}/declared-narrow.yaml`, '--detect', `${DRIFT}/repo`, '--format', 'sarif', ...DATE])
    expect(r.code).toBe(1)
    const sarif = JSON.parse(r.stdout)
    const drift = sarif.runs[0].results.filter((x: {ruleId: string}) => x.ruleId === 'leash/drift')
    expect(drift.length).toBeGreaterThan(0)
    expect(
      drift.map(
        (d: {locations: {physicalLocation: {artifactLocation: {uri: string}; region: {startLine: number}}}[]}) =>
          d.locations[0].physicalLocation.artifactLocation.uri,
      ),
    ).toContain('.claude/settings.json')
  })
})

describe('leash diff', () => {
  it('lists every widened field between two examples, and exits 1 with --fail-on-widening', () => {
    const r = leash(['diff', 'examples/mature-deployment.yaml', 'examples/low-risk-assistant.yaml', '--fail-on-widening', ...DATE])
    expect(r.code).toBe(1)
    for (const path of ['tools.shell', 'secrets.readable', 'access.repositories.permission', 'identity.type', 'oversight.killSwitch']) {
      expect(r.stdout).toMatch(new RegExp(`▲ widened\\s+${path.replace('.', '\\.')}`))
    }
    expect(r.stdout).toMatch(/verdict ready → not-ready/)
  })

  it('exits 0 with --fail-on-widening when privileges only narrow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leash-narrow-'))
    const narrowed = join(dir, 'narrowed.yaml')
    writeFileSync(
      narrowed,
      readFileSync('examples/refactoring-agent.yaml', 'utf8')
        .replace('  shell: allowlist\n', '  shell: none\n')
        .replace(/ {2}shellAllowlist: .*\n/, '')
        .replace('  network: allowlist\n', '  network: none\n')
        .replace(/ {2}networkAllowlist: .*\n/, '')
        .replace('triggers: [manual, issue-comment]', 'triggers: [manual]'),
    )
    const r = leash(['diff', 'examples/refactoring-agent.yaml', narrowed, '--fail-on-widening', ...DATE])
    expect(r.code, r.stdout).toBe(0)
    for (const path of ['tools.shell', 'tools.network', 'agent.triggers'])
      expect(r.stdout).toMatch(new RegExp(`▼ narrowed\\s+${path.replace('.', '\\.')}`))
    expect(r.stdout).not.toContain('▲ widened')
  })

  it('prints the leash-diff/v1 document with --json and a pull request comment with --format md', () => {
    const doc = JSON.parse(leash(['diff', 'examples/refactoring-agent.yaml', 'examples/build-fix-agent.yaml', '--json', ...DATE]).stdout)
    expect(doc.schemaVersion).toBe('leash-diff/v1')
    expect(doc.changes[0]).toHaveProperty('direction')
    expect(doc.old).toHaveProperty('verdict')
    const md = leash(['diff', 'examples/mature-deployment.yaml', 'examples/low-risk-assistant.yaml', '--format', 'md', ...DATE]).stdout
    expect(md).toContain('| change | field | from → to |')
  })

  it('compares with the manifest at a git ref', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leash-diff-'))
    const git = (...a: string[]) => leashGit(dir, a)
    writeFileSync(join(dir, 'agent.yaml'), readFileSync('examples/mature-deployment.yaml', 'utf8'))
    git('init', '-q')
    git('add', '.')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'base')
    writeFileSync(
      join(dir, 'agent.yaml'),
      readFileSync('examples/mature-deployment.yaml', 'utf8').replace('canMerge: false', 'canMerge: true'),
    )
    const r = leash(['diff', '--base', 'HEAD', 'agent.yaml', '--fail-on-widening', ...DATE], {cwd: dir})
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toContain('access.repositories.canMerge: false → true')
    expect(leash(['diff', '--base', 'no-such-ref', 'agent.yaml'], {cwd: dir}).code).toBe(2)
  })
})

function leashGit(cwd: string, args: string[]) {
  return spawnSync('git', args, {cwd, encoding: 'utf8'})
}
