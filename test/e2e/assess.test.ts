import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import validateResult from '../../src/generated/validators/result.cjs'
import {leash, STACK} from '../helpers/cli.js'
import {HAS_SHARED, NEEDS_SHARED, REFERENCE_MANIFEST, REFERENCE_WAIVERS} from '../helpers/shared.js'

const DATE = ['--date', '2026-11-27']
const tmp = () => mkdtempSync(join(tmpdir(), 'leash-assess-'))

interface Finding {
  id: string
  severity: string
  residual: {score: number}
  because: {path: string; value: unknown; line: number}[]
  waiver: null | {status: string; approvedBy: string}
}

function assessJson(args: string[]) {
  const r = leash(['assess', ...args, '--json', ...DATE])
  expect(r.code, r.stderr).toBe(0)
  const doc = JSON.parse(r.stdout)
  expect(validateResult(doc), JSON.stringify(validateResult.errors)).toBe(true)
  return doc as {verdict: string; score: number; findings: Finding[]; waivers: {threat: string; status: string}[]; openQuestions: string[]}
}

describe('each example assesses to its verdict, for its reasons', () => {
  it('the anti-pattern is not-ready, with a critical finding about secrets because it can read env files and production secrets', () => {
    const r = assessJson(['examples/low-risk-assistant.yaml'])
    expect(r.verdict).toBe('not-ready')
    expect(r.score).toBe(25)
    const secrets = r.findings.find((f) => f.id === 'THR-SECRET-EXPOSURE')!
    expect(secrets.severity).toBe('critical')
    expect(secrets.because[0].path).toBe('secrets.readable')
    expect(secrets.because[0].value).toEqual(expect.arrayContaining(['env-files', 'production-secrets']))
    expect(secrets.because[0].line).toBeGreaterThan(1)
  })

  it('the mature deployment is ready: nothing above low', () => {
    const r = assessJson(['examples/mature-deployment.yaml'])
    expect(r.verdict).toBe('ready')
    expect(r.findings.every((f) => f.severity === 'low')).toBe(true)
  })

  it.each([
    ['refactoring-agent', 'ready', 'THR-UNTRUSTED-INPUT-HIJACK', 'agent.untrustedInputs', ['issue-bodies']],
    ['dependency-update-agent', 'conditional', 'THR-UNTRUSTED-INPUT-HIJACK', 'agent.untrustedInputs', ['dependency-metadata']],
    ['test-generation-agent', 'conditional', 'THR-UNTRUSTED-INPUT-HIJACK', 'agent.untrustedInputs', ['pr-comments']],
    ['build-fix-agent', 'ready', 'THR-UNTRUSTED-INPUT-HIJACK', 'agent.untrustedInputs', ['ci-logs']],
  ])('%s is %s; its top finding is %s because %s = %j', (name, verdict, top, path, value) => {
    const r = assessJson(['--example', name])
    expect(r.verdict).toBe(verdict)
    expect(r.findings.some((f) => f.severity === 'high' || f.severity === 'critical')).toBe(false)
    expect(r.findings[0].id).toBe(top)
    expect(r.findings[0].because[0]).toMatchObject({path, value})
  })

  it(
    `the reference manifest with the reference waivers carries that waiver, active, on its THR-UNTRUSTED-INPUT-HIJACK finding${NEEDS_SHARED}`,
    {skip: !HAS_SHARED},
    () => {
      const r = assessJson([REFERENCE_MANIFEST, '--waivers', REFERENCE_WAIVERS])
      const hijack = r.findings.find((f) => f.id === 'THR-UNTRUSTED-INPUT-HIJACK')!
      expect(hijack.waiver).toMatchObject({status: 'active', approvedBy: 'ciso@example.com'})
      expect(r.waivers).toEqual([expect.objectContaining({threat: 'THR-UNTRUSTED-INPUT-HIJACK', status: 'active'})])
      expect(r.verdict).toBe('ready')
    },
  )

  it('a manifest with only the required fields is not-ready with open questions (unknown is not safe)', () => {
    const dir = tmp()
    writeFileSync(
      join(dir, 'tiny.yaml'),
      'apiVersion: leash/v1\nkind: AgentDeployment\nmetadata: {name: tiny, owner: {team: t}}\nagent: {purpose: docs, autonomy: supervised}\n',
    )
    const r = assessJson([join(dir, 'tiny.yaml')])
    expect(r.verdict).toBe('not-ready')
    expect(r.openQuestions).toEqual(expect.arrayContaining(['secrets.readable', 'tools.shell', 'sandbox.type']))
    const finding = r.findings.find((f) => f.because.some((b) => b.path === 'tools.shell'))!
    expect(finding.because.find((b) => b.path === 'tools.shell')).toMatchObject({value: null, line: 1})
  })
})

describe('leash assess', () => {
  it('gives byte-identical reports for the same manifest and --date', () => {
    const a = tmp()
    const b = tmp()
    for (const dir of [a, b])
      expect(leash(['assess', '--example', 'refactoring-agent', '--format', 'md,html,json,sarif', '--out-dir', dir, ...DATE]).code).toBe(0)
    for (const f of ['report.md', 'report.html', 'report.json', 'report.sarif'])
      expect(readFileSync(join(a, f)), f).toEqual(readFileSync(join(b, f)))
  })

  it('writes the default md and html reports into ./leash-report', () => {
    const dir = tmp()
    writeFileSync(join(dir, 'agent.yaml'), readFileSync('examples/build-fix-agent.yaml'))
    const r = leash(['assess', ...DATE], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(join(dir, 'leash-report')).sort()).toEqual(['report.html', 'report.md'])
    expect(r.stdout).toContain('build-fix-agent: ready')
  })

  it('reads .leash/agent.yaml when there is no agent.yaml, and says how to start when neither exists', () => {
    const dir = tmp()
    const none = leash(['assess', ...DATE], {cwd: dir})
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('leash init')
    expect(none.stderr).toContain('leash assess --example refactoring-agent')
    mkdirSync(join(dir, '.leash'))
    writeFileSync(join(dir, '.leash', 'agent.yaml'), readFileSync('examples/mature-deployment.yaml'))
    expect(leash(['assess', '--format', 'json', ...DATE], {cwd: dir}).code).toBe(0)
    expect(existsSync(join(dir, 'leash-report', 'report.json'))).toBe(true)
  })

  it('refuses an unknown example and a bad format', () => {
    expect(leash(['assess', '--example', 'nope']).code).toBe(2)
    expect(leash(['assess', '--example', 'refactoring-agent', '--format', 'pdf']).stderr).toContain(
      '"pdf" is not one of md, html, json, sarif',
    )
  })

  it('lays several manifests out one folder each, with an index, and refuses a name used twice', () => {
    const dir = tmp()
    const r = leash([
      'assess',
      'examples/refactoring-agent.yaml',
      'examples/low-risk-assistant.yaml',
      '--format',
      'md,json',
      '--out-dir',
      dir,
      ...DATE,
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'index.md', 'low-risk-assistant', 'refactoring-agent'])
    expect(readdirSync(join(dir, 'refactoring-agent')).sort()).toEqual(['report.json', 'report.md'])
    const twice = leash(['assess', 'examples/refactoring-agent.yaml', 'examples/refactoring-agent.yaml', '--out-dir', tmp(), ...DATE])
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('metadata.name "refactoring-agent" is used by both')
  })

  it('prints one format on stdout with --out -, and the leash-results/v1 document for several manifests with --json', () => {
    const md = leash(['assess', '--example', 'refactoring-agent', '--format', 'md', '--out', '-', ...DATE])
    expect(md.code).toBe(0)
    expect(md.stdout.startsWith('# ')).toBe(true)
    expect(leash(['assess', '--example', 'refactoring-agent', '--format', 'md,json', '--out', '-']).code).toBe(2)
    const many = JSON.parse(leash(['assess', 'examples/refactoring-agent.yaml', 'examples/build-fix-agent.yaml', '--json', ...DATE]).stdout)
    expect(many.schemaVersion).toBe('leash-results/v1')
    expect(many.results.map((r: {subject: {name: string}}) => r.subject.name)).toEqual(['refactoring-agent', 'build-fix-agent'])
  })

  it('appends a short summary to GITHUB_STEP_SUMMARY', () => {
    const dir = tmp()
    const summary = join(dir, 'summary.md')
    writeFileSync(summary, '# earlier step\n')
    expect(
      leash(['assess', '--example', 'low-risk-assistant', '--out-dir', join(dir, 'r'), ...DATE], {env: {GITHUB_STEP_SUMMARY: summary}})
        .code,
    ).toBe(0)
    const text = readFileSync(summary, 'utf8')
    expect(text.startsWith('# earlier step\n')).toBe(true)
    expect(text).toContain('low-risk-assistant')
    expect(text).toMatch(/NOT READY/)
  })

  it('exits 2 when the output cannot be written', () => {
    const dir = tmp()
    writeFileSync(join(dir, 'file'), 'x')
    const r = leash(['assess', '--example', 'refactoring-agent', '--out-dir', join(dir, 'file', 'sub'), ...DATE])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cannot write')
    expect(r.stdout + r.stderr).not.toMatch(STACK)
  })
})

describe('secrets in a manifest', () => {
  const github = 'ghp_' + 'x7Kq2mP9vL4nR8tW1yZ3bC6dF0gH5jA2sE7u'
  const aws = 'AKIA' + 'Z4QR7TWX2MVB9KLP'
  const manifest = `apiVersion: leash/v1
kind: AgentDeployment
metadata:
  name: leaky
  owner: {team: platform}
  labels: {token: "${github}"}
agent: {purpose: docs, autonomy: supervised}
identity:
  credentials:
    - name: "${aws}"
      kind: static-api-key
`

  it.each([['validate'], ['assess'], ['diff']])(
    '%s refuses the file (exit 2), naming path, line and kind, and never prints or writes either value',
    (command) => {
      const dir = tmp()
      const file = join(dir, 'leaky.yaml')
      writeFileSync(file, manifest)
      const out = join(dir, 'out')
      const args =
        command === 'diff'
          ? ['diff', file, 'examples/refactoring-agent.yaml']
          : command === 'assess'
            ? ['assess', file, '--format', 'md,html,json,sarif', '--out-dir', out]
            : ['validate', file]
      const r = leash(args)
      expect(r.code).toBe(2)
      const all = r.stdout + r.stderr
      expect(all).toContain('metadata.labels.token')
      expect(all).toMatch(/:6:\d+ metadata\.labels\.token: looks like a GitHub token \(ghp_…\)/)
      expect(all).toContain('AWS')
      for (const secret of [github, aws, github.slice(4, 14), aws.slice(4)]) expect(all).not.toContain(secret)
      expect(existsSync(out)).toBe(false)
      expect(all).not.toMatch(STACK)
    },
  )
})
