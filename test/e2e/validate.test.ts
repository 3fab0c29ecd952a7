import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {leash, STACK} from '../helpers/cli.js'
import {HAS_SHARED, NEEDS_SHARED, REFERENCE_MANIFEST, REFERENCE_WAIVERS, ROOT} from '../helpers/shared.js'
import {MINIMAL_MANIFEST as MINIMAL} from '../helpers/manifests.js'

const tmp = mkdtempSync(join(tmpdir(), 'leash-validate-'))
const write = (name: string, text: string) => {
  const path = join(tmp, name)
  writeFileSync(path, text)
  return path
}
const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `examples/${f}`)
const DATE = ['--date', '2026-11-27']

describe('leash validate', () => {
  it('passes every example but the anti-pattern, which fails the default gate (exit 1)', () => {
    const r = leash(['validate', ...examples, ...DATE])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('')
    for (const f of examples) {
      const line = r.stdout.split('\n').find((l) => l.includes(f))!
      expect(line, f).toMatch(f.includes('low-risk-assistant') ? /^fail/ : /^pass/)
    }
    expect(r.stdout).toMatch(/6 files: 5 passed, 1 failed at --fail-on high, 0 invalid/)
  })

  it.each(examples.filter((f) => !f.includes('low-risk')))('%s passes the gate on its own (exit 0)', (f) => {
    expect(leash(['validate', f, ...DATE]).code).toBe(0)
  })

  it(`accepts the reference manifest${NEEDS_SHARED}`, {skip: !HAS_SHARED}, () => {
    const r = leash(['validate', REFERENCE_MANIFEST, '--waivers', REFERENCE_WAIVERS, ...DATE])
    expect(r.code).toBe(0)
  })

  it('names both misspelt enums with line numbers, allowed values and the suggestion (exit 2)', () => {
    const f = write('typos.yaml', MINIMAL.replace('autonomy: supervised', 'autonomy: autonomus') + 'tools:\n  shell: unrestrictd\n')
    const r = leash(['validate', f, ...DATE])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain(
      `${f}:9:13 agent.autonomy: "autonomus" is not one of suggest-only | supervised | autonomous (did you mean "autonomous"?)`,
    )
    expect(r.stdout).toContain(
      `${f}:11:10 tools.shell: "unrestrictd" is not one of none | allowlist | unrestricted (did you mean "unrestricted"?)`,
    )
    expect(r.stdout + r.stderr).not.toMatch(STACK)
  })

  it.each([
    ['a missing owner', MINIMAL.replace('  owner:\n    team: platform\n', ''), 'metadata.owner: required field "owner" is missing'],
    ['a YAML syntax error', 'apiVersion: leash/v1\nmetadata: [oops\n', 'not valid YAML'],
  ])('refuses %s with a clear message and exit 2', (_what, text, words) => {
    const r = leash(['validate', write(`bad-${_what.length}.yaml`, text), ...DATE])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain(words)
    expect(r.stdout + r.stderr).not.toMatch(STACK)
  })

  it('refuses a missing file with exit 2 and no stack trace', () => {
    const r = leash(['validate', join(tmp, 'nope.yaml')])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('nope.yaml cannot read: no such file')
    expect(r.stdout + r.stderr).not.toMatch(STACK)
  })

  it('gives the worst exit code of many files (2 over 1 over 0)', () => {
    const bad = write('worst.yaml', 'nope: [')
    expect(leash(['validate', 'examples/mature-deployment.yaml', 'examples/low-risk-assistant.yaml', bad, ...DATE]).code).toBe(2)
  })

  it('prints the leash-validate/v1 document with --json', () => {
    const f = write('typo-json.yaml', MINIMAL.replace('autonomy: supervised', 'autonomy: autonomus'))
    const r = leash(['validate', f, 'examples/mature-deployment.yaml', '--json', ...DATE])
    expect(r.code).toBe(2)
    const doc = JSON.parse(r.stdout)
    expect(doc.schemaVersion).toBe('leash-validate/v1')
    expect(doc.files[0]).toMatchObject({valid: false, gate: 'skipped'})
    expect(doc.files[0].errors[0]).toMatchObject({line: 9, column: 13, path: 'agent.autonomy', suggestion: 'autonomous'})
    expect(doc.files[1]).toMatchObject({file: 'examples/mature-deployment.yaml', valid: true, verdict: 'ready', gate: 'pass'})
  })

  it('fails the gate at a lower threshold', () => {
    expect(leash(['validate', 'examples/dependency-update-agent.yaml', '--fail-on', 'medium', ...DATE]).code).toBe(1)
  })

  it('fails on an expired waiver, naming its threat and agent', () => {
    const w = write(
      'expired.yaml',
      `apiVersion: leash-waivers/v1
waivers:
  - threat: THR-UNTRUSTED-INPUT-HIJACK
    agent: refactoring-*
    reason: Accepted while the injection guard is built.
    approvedBy: ciso@example.com
    expires: 2026-11-01
`,
    )
    const r = leash(['validate', 'examples/refactoring-agent.yaml', '--waivers', w, ...DATE])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('expired waiver: THR-UNTRUSTED-INPUT-HIJACK for refactoring-* expired on 2026-11-01')
  })

  it('refuses an incomplete waiver (exit 2), naming the missing field', () => {
    const w = write(
      'incomplete.yaml',
      'apiVersion: leash-waivers/v1\nwaivers:\n  - threat: THR-SELF-APPROVAL\n    agent: x\n    reason: because we said so\n',
    )
    const r = leash(['validate', 'examples/refactoring-agent.yaml', '--waivers', w, ...DATE])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('required field "approvedBy" is missing')
  })

  it('appends a job summary block per manifest, in argument order, when GITHUB_STEP_SUMMARY is set', () => {
    const summary = join(tmp, 'summary.md')
    writeFileSync(summary, '# earlier step\n')
    const files = ['examples/mature-deployment.yaml', 'examples/low-risk-assistant.yaml', 'examples/refactoring-agent.yaml']
    const r = leash(['validate', ...files, ...DATE], {env: {GITHUB_STEP_SUMMARY: summary}})
    expect(r.code).toBe(1)
    const text = readFileSync(summary, 'utf8')
    expect(text.startsWith('# earlier step\n')).toBe(true)
    expect([...text.matchAll(/^### leash: (\S+) is ([A-Z ]+) \(/gm)].map((m) => [m[1], m[2]])).toEqual([
      ['mature-deployment', 'READY'],
      ['low-risk-assistant', 'NOT READY'],
      ['refactoring-agent', 'READY'],
    ])
    expect(text).toContain('- Manifest: examples/low-risk-assistant.yaml (sha256 ')
  })

  it('refuses a bad --date and a bad --fail-on with exit 2', () => {
    expect(leash(['validate', 'examples/refactoring-agent.yaml', '--date', '2026-02-30']).code).toBe(2)
    expect(leash(['validate', 'examples/refactoring-agent.yaml', '--fail-on', 'severe']).code).toBe(2)
  })
})

describe('leash schema', () => {
  it('prints the manifest JSON Schema', () => {
    const r = leash(['schema'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).$id).toContain('agent-manifest.schema.json')
  })
})
