/**
 * Paths that try to leave where they belong: symbolic links out of a --catalog folder or out of
 * a repository given to detect, `..` in flags, names and answers. Through the binary.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {DATE, EXAMPLE_FILES, LIMIT_MS, run, STACK, tempDir, type Timed} from './helpers.js'

const EXAMPLE = EXAMPLE_FILES.find((f) => f.endsWith('refactoring-agent.yaml'))!
const CONTROLS = JSON.stringify({
  id: 'team-controls',
  version: '1',
  controls: [
    {id: 'CTL-TEAM-REVIEW', title: 'Team review', description: 'A second engineer reviews.', evidence: 'Settings.', effort: 'low'},
  ],
})

function clean(r: Timed): void {
  expect(r.signal).toBeNull()
  expect(r.stdout + r.stderr).not.toMatch(STACK)
  expect(r.ms).toBeLessThan(LIMIT_MS)
}

describe('--catalog keeps to its folder', () => {
  it('refuses a relative symbolic link through .. to a valid catalog outside the folder (exit 2)', () => {
    const dir = tempDir('paths')
    mkdirSync(join(dir, 'outside'))
    writeFileSync(join(dir, 'outside', 'controls.json'), CONTROLS)
    mkdirSync(join(dir, 'cat'))
    symlinkSync('../outside/controls.json', join(dir, 'cat', 'controls.json'))
    const r = run(['controls', '--catalog', 'cat'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cat/controls.json points outside the catalog folder (a symbolic link?); refused')
    clean(r)
  })

  it('refuses an absolute symbolic link to a system file (exit 2), printing none of it', () => {
    const dir = tempDir('paths')
    mkdirSync(join(dir, 'cat'))
    symlinkSync('/etc/passwd', join(dir, 'cat', 'owasp-nhi.json'))
    const r = run(['threats', '--catalog', 'cat'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cat/owasp-nhi.json points outside the catalog folder')
    expect(r.stdout + r.stderr).not.toContain('root:')
    clean(r)
  })

  it('refuses a symbolic link to nothing (exit 2, was an internal error)', () => {
    const dir = tempDir('paths')
    mkdirSync(join(dir, 'cat'))
    symlinkSync(join(dir, 'gone.json'), join(dir, 'cat', 'controls.json'))
    const r = run(['controls', '--catalog', 'cat'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cat/controls.json cannot read: a symbolic link to nothing')
    clean(r)
  })

  it('follows a symbolic link that stays inside the folder, and a folder given through ..', () => {
    const dir = tempDir('paths')
    mkdirSync(join(dir, 'cat', 'kept'), {recursive: true})
    writeFileSync(join(dir, 'cat', 'kept', 'team.json'), CONTROLS)
    symlinkSync('kept/team.json', join(dir, 'cat', 'controls.json'))
    mkdirSync(join(dir, 'sub'))
    const r = run(['controls', 'CTL-TEAM-REVIEW', '--catalog', 'sub/../cat'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Team review')
    clean(r)
  })

  it('names the file as given when a catalog file is refused (not its resolved path)', () => {
    const dir = tempDir('paths')
    mkdirSync(join(dir, 'cat'))
    writeFileSync(join(dir, 'cat', 'controls.json'), Buffer.from([0x7b, 0x00, 0x7d]))
    const r = run(['controls', '--catalog', 'cat'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('error cat/controls.json the file holds binary data (a NUL byte), not YAML or JSON text\n')
  })
})

describe('detect keeps to the repository', () => {
  it('does not follow a settings file linked through .. out of the repository (exit 0, warning)', () => {
    const dir = tempDir('paths')
    mkdirSync(join(dir, 'outside'))
    writeFileSync(join(dir, 'outside', 'settings.json'), '{"permissions": {"allow": ["Bash"], "defaultMode": "bypassPermissions"}}')
    mkdirSync(join(dir, 'repo', '.claude'), {recursive: true})
    symlinkSync('../../outside/settings.json', join(dir, 'repo', '.claude', 'settings.json'))
    const r = run(['detect', 'repo', '--json'], {cwd: dir})
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.files).toEqual([])
    expect(doc.sources).toEqual([])
    expect(doc.warnings).toContainEqual(
      expect.objectContaining({file: '.claude/settings.json', message: expect.stringContaining('points outside the repository')}),
    )
    clean(r)
  })

  it('does not read workflows in a folder linked out of the repository', () => {
    const dir = tempDir('paths')
    mkdirSync(join(dir, 'elsewhere'))
    writeFileSync(
      join(dir, 'elsewhere', 'agent.yml'),
      'on: issue_comment\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n',
    )
    mkdirSync(join(dir, 'repo', '.github'), {recursive: true})
    symlinkSync('../../elsewhere', join(dir, 'repo', '.github', 'workflows'))
    const r = run(['detect', 'repo', '--json'], {cwd: dir})
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).files).toEqual([])
    clean(r)
    // the same workflow inside the repository is read
    mkdirSync(join(dir, 'inside', '.github', 'workflows'), {recursive: true})
    writeFileSync(join(dir, 'inside', '.github', 'workflows', 'agent.yml'), readFileSync(join(dir, 'elsewhere', 'agent.yml')))
    expect(JSON.parse(run(['detect', 'inside', '--json'], {cwd: dir}).stdout).files).toEqual(['.github/workflows/agent.yml'])
  })
})

describe('.. in names and flags', () => {
  it.each(['../examples/refactoring-agent', '../../../etc/passwd', 'refactoring-agent/../low-risk-assistant'])(
    '--example %s is no bundled example (exit 2)',
    (name) => {
      const r = run(['assess', '--example', name, '--out-dir', join(tempDir('paths'), 'out')])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`no bundled example "${name}"`)
      clean(r)
    },
  )

  it('a metadata.name of ../../escape is refused before any report folder is made from it (exit 2)', () => {
    const dir = tempDir('paths')
    const text = readFileSync(EXAMPLE, 'utf8')
    writeFileSync(join(dir, 'a.yaml'), text.replace('  name: refactoring-agent', '  name: "../../escape"'))
    writeFileSync(join(dir, 'b.yaml'), text)
    mkdirSync(join(dir, 'deep', 'er'), {recursive: true})
    const r = run(['assess', '../../a.yaml', '../../b.yaml', '--out-dir', 'out', ...DATE], {cwd: join(dir, 'deep', 'er')})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/a\.yaml:\d+:\d+ metadata\.name: "\.\.\/\.\.\/escape" is not valid/)
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml', 'deep'])
    expect(existsSync(join(dir, 'deep', 'er', 'out'))).toBe(false)
    clean(r)
  })

  it('an init answer of ../../escape for the name is refused (exit 2), and nothing is written', () => {
    const dir = tempDir('paths')
    writeFileSync(join(dir, 'answers.yaml'), 'name: ../../escape\n')
    const r = run(['init', '--answers', 'answers.yaml', '--yes', '--out', 'agent.yaml'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/answers\.yaml:1:7 name: /)
    expect(readdirSync(dir)).toEqual(['answers.yaml'])
    clean(r)
  })
})
