import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/core/errors.js'
import {loadManifest} from '../../src/core/manifest.js'
import {HAS_SHARED, NEEDS_SHARED, REFERENCE_MANIFEST, ROOT} from '../helpers/shared.js'
import {MINIMAL_MANIFEST as MINIMAL} from '../helpers/manifests.js'

const EXAMPLES = join(ROOT, 'examples')
const reference = HAS_SHARED ? readFileSync(REFERENCE_MANIFEST, 'utf8') : ''

function problems(text: string, file = 'agent.yaml'): InputError {
  try {
    loadManifest(text, file)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected the manifest to be refused')
}

describe('the manifest schema', () => {
  it(`accepts the reference example unchanged${NEEDS_SHARED}`, {skip: !HAS_SHARED}, () => {
    const {manifest} = loadManifest(reference, 'agent-manifest.example.yaml')
    expect(manifest.metadata.name).toBe('refactor-bot')
    expect(manifest.tools?.mcpServers?.[0].version).toBe('1.4.2')
  })

  it.each(readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')))('accepts examples/%s', (file) => {
    expect(() => loadManifest(readFileSync(join(EXAMPLES, file), 'utf8'), `examples/${file}`)).not.toThrow()
  })

  it('accepts a manifest with only the required fields', () => {
    expect(loadManifest(MINIMAL, 'tiny.yaml').manifest.agent.autonomy).toBe('supervised')
  })

  it('reads a YAML number given as an MCP server version as written', () => {
    const text = `${MINIMAL}tools:\n  mcpServers:\n    - name: a\n      version: 1.10\n`
    expect(loadManifest(text, 'v.yaml').manifest.tools?.mcpServers?.[0].version).toBe('1.10')
  })

  it('names every misspelt enum at once, with lines, the allowed values and the closest one', () => {
    const text = MINIMAL.replace('autonomy: supervised', 'autonomy: autonomus') + 'tools:\n  shell: unrestrictd\n'
    const e = problems(text)
    expect(e.diagnostics).toHaveLength(2)
    expect(e.diagnostics[0]).toMatchObject({
      line: 9,
      column: 13,
      path: 'agent.autonomy',
      allowed: ['suggest-only', 'supervised', 'autonomous'],
      suggestion: 'autonomous',
    })
    expect(e.message).toContain(
      'agent.yaml:9:13 agent.autonomy: "autonomus" is not one of suggest-only | supervised | autonomous (did you mean "autonomous"?)',
    )
    expect(e.diagnostics[1]).toMatchObject({line: 11, path: 'tools.shell', suggestion: 'unrestricted'})
  })

  it('names a missing required field at its parent', () => {
    const e = problems(MINIMAL.replace('  owner:\n    team: platform\n', ''))
    expect(e.diagnostics[0]).toMatchObject({path: 'metadata.owner', line: 3})
    expect(e.message).toContain('required field "owner" is missing')
  })

  it('rejects an unknown key with the closest known one', () => {
    const e = problems(MINIMAL + 'sandbox:\n  ephemeral: true\n  runsAsRooot: false\n')
    expect(e.diagnostics[0]).toMatchObject({path: 'sandbox.runsAsRooot', line: 12, column: 3, suggestion: 'runsAsRoot'})
  })

  it('allows free keys in metadata.labels only, as strings', () => {
    expect(() => loadManifest(MINIMAL.replace('  name: tiny', '  name: tiny\n  labels: {anything: "x"}'), 'l.yaml')).not.toThrow()
    expect(problems(MINIMAL.replace('  name: tiny', '  name: tiny\n  labels: {n: 3}')).diagnostics[0].path).toBe('metadata.labels.n')
  })

  it.each([
    ['metadata.name', MINIMAL.replace('name: tiny', 'name: Tiny_Bot'), 'lowercase letters'],
    ['metadata.reviewedAt', MINIMAL.replace('  name: tiny', '  name: tiny\n  reviewedAt: 2026-13-01'), 'a date'],
    ['metadata.owner.contact', MINIMAL.replace('team: platform', 'team: platform\n    contact: not an address'), 'e-mail'],
    [
      'identity.credentials[0].ttl',
      `${MINIMAL}identity:\n  credentials:\n    - {name: k, kind: static-api-key, ttl: 1 hour}\n`,
      'ISO 8601',
    ],
    ['identity.credentials[0].kind', `${MINIMAL}identity:\n  credentials:\n    - {name: k}\n`, 'required field "kind"'],
    ['oversight.requiredReviewers', `${MINIMAL}oversight:\n  requiredReviewers: -1\n`, '>= 0'],
    ['apiVersion', MINIMAL.replace('leash/v1', 'leash/v2'), '"leash/v1"'],
  ])('explains a bad %s', (path, text, words) => {
    const e = problems(text)
    expect(e.diagnostics.map((d) => d.path)).toContain(path)
    expect(e.message).toContain(words)
  })

  it('reports a YAML syntax error with its line, not a stack trace', () => {
    const e = problems('apiVersion: leash/v1\nmetadata: [\n')
    expect(e.diagnostics[0].code).toBe('syntax')
    expect(e.diagnostics[0].line).toBeGreaterThan(0)
    expect(e.message).not.toMatch(/\n\s+at /)
  })

  it('refuses a document that is not a mapping', () => {
    expect(problems('- a\n- b\n').message).toContain('expected a mapping, got a list')
  })
})
