/**
 * leash's own catalogs (threats, controls, blast radius): the ids the design fixes, conditions
 * that read real manifest fields, reference checks enforced by buildCatalog, and the calibration
 * manifests assessed by the real engine to the verdicts recorded in expected.json.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {checkCatalogs, REQUIRED_CONTROLS, REQUIRED_THREATS} from '../../scripts/check-catalogs.mjs'
import {loadCatalog} from '../../src/cli/catalog.js'
import {buildCatalog, type CatalogFiles, type Control, type Framework, type Threat} from '../../src/core/catalog.js'
import {conditionPaths, type Condition} from '../../src/core/conditions.js'
import {assess} from '../../src/core/engine.js'
import {InputError} from '../../src/core/errors.js'
import {loadManifest} from '../../src/core/manifest.js'
import {nodeAt} from '../../src/core/manifest-schema.js'
import {ROOT} from '../helpers/shared.js'

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T
const threatsFile = readJson<{version: string; threats: Threat[]}>(join(ROOT, 'frameworks/threats.json'))
const controlsFile = readJson<{version: string; controls: Control[]}>(join(ROOT, 'frameworks/controls.json'))
const graphFile = readJson<{edges: {from: string; to: string; when: Condition}[]}>(join(ROOT, 'frameworks/blast-radius.json'))

describe('the threat, control and blast-radius catalogs', () => {
  it('pass scripts/check-catalogs.mjs with no problem', () => {
    expect(checkCatalogs(ROOT)).toEqual([])
  })

  it('define every threat id DESIGN.md requires', () => {
    const ids = new Set(threatsFile.threats.map((t) => t.id))
    expect(REQUIRED_THREATS.filter((id) => !ids.has(id))).toEqual([])
  })

  it('define every control id DESIGN.md requires', () => {
    const ids = new Set(controlsFile.controls.map((c) => c.id))
    expect(REQUIRED_CONTROLS.filter((id) => !ids.has(id))).toEqual([])
  })

  it('define each id once', () => {
    const dupes = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i)
    expect(dupes(threatsFile.threats.map((t) => t.id))).toEqual([])
    expect(dupes(controlsFile.controls.map((c) => c.id))).toEqual([])
  })

  it('read only fields the manifest schema has, in every threat condition and modifier', () => {
    const missing: string[] = []
    for (const t of threatsFile.threats) {
      const conditions: [string, Condition][] = [
        ['when', t.when],
        ...(t.modifiers ?? []).map((m, i): [string, Condition] => [`modifiers[${i}]`, m.when]),
      ]
      for (const [where, c] of conditions)
        for (const path of conditionPaths(c)) if (!nodeAt(path)) missing.push(`${t.id} ${where}: ${path}`)
    }
    expect(missing).toEqual([])
  })

  it('read only fields the manifest schema has, in every control and blast-radius condition', () => {
    const missing: string[] = []
    for (const c of controlsFile.controls) {
      for (const [where, cond] of [
        ['detectedBy', c.detectedBy],
        ['partialWhen', c.partialWhen],
      ] as [string, Condition | undefined][]) {
        if (cond) for (const path of conditionPaths(cond)) if (!nodeAt(path)) missing.push(`${c.id} ${where}: ${path}`)
      }
    }
    for (const e of graphFile.edges)
      for (const path of conditionPaths(e.when)) if (!nodeAt(path)) missing.push(`edge ${e.from}->${e.to}: ${path}`)
    expect(missing).toEqual([])
  })

  it('give every threat base likelihood and impact within 1-5 and at least one mitigating control', () => {
    for (const t of threatsFile.threats) {
      expect(t.likelihood.base, t.id).toBeGreaterThanOrEqual(1)
      expect(t.likelihood.base, t.id).toBeLessThanOrEqual(5)
      expect(t.impact.base, t.id).toBeGreaterThanOrEqual(1)
      expect(t.impact.base, t.id).toBeLessThanOrEqual(5)
      expect(t.controls.length, t.id).toBeGreaterThan(0)
    }
  })

  it('load through loadCatalog and invert the framework mappings onto each threat', () => {
    const catalog = loadCatalog(ROOT)
    expect([...catalog.threats.keys()].sort()).toEqual(threatsFile.threats.map((t) => t.id).sort())
    const mapped = catalog.threatMappings.get('THR-LONG-LIVED-CREDENTIALS')!
    expect(Object.keys(mapped)).toEqual(['owasp-nhi', 'owasp-agentic', 'maestro', 'atlas', 'nist-ai-rmf', 'owasp-llm'])
    expect(mapped['owasp-nhi']).toContain('NHI7:2025')
    expect(mapped['owasp-agentic']).toContain('ASI03')
    expect(catalog.threatMappings.get('THR-NO-ROLLBACK')!.maestro).toContain('L4')
    expect(catalog.controlThreats.get('CTL-HUMAN-DEPLOY-APPROVAL')).toContain('THR-PRODUCTION-DEPLOYMENT')
  })
})

describe('buildCatalog refuses a catalog whose references do not resolve', () => {
  const when: Condition = {path: 'agent.autonomy', equals: 'autonomous'}
  const control = (id: string): Control => ({id, title: id, description: 'A test control.', evidence: 'None.', effort: 'low'})
  const threat = (id: string, controls: Threat['controls']): Threat => ({
    id,
    title: id,
    description: 'A test threat.',
    layers: ['L4'],
    likelihood: {base: 3, rationale: 'test'},
    impact: {base: 3, rationale: 'test'},
    when,
    controls,
  })
  const framework = (threats: string[], controls: string[] = []): Framework => ({
    id: 'test-fw',
    name: 'Test framework',
    version: '1',
    source: 'https://example.org/',
    items: [{id: 'T1', name: 'Item one', description: 'An item.', threats, controls}],
  })
  const files = (threats: Threat[], controls: Control[], frameworks: Framework[] = []): CatalogFiles => ({
    origin: 'memory',
    threats: {version: '1', threats},
    controls: {version: '1', controls},
    frameworks,
  })
  const refusal = (f: CatalogFiles): InputError => {
    try {
      buildCatalog(f)
    } catch (error) {
      if (error instanceof InputError) return error
      throw error
    }
    throw new Error('expected buildCatalog to refuse the catalog')
  }

  it('accepts a small sound catalog and inverts its framework mapping', () => {
    const catalog = buildCatalog(
      files([threat('THR-A', [{id: 'CTL-A', likelihood: 1}])], [control('CTL-A')], [framework(['THR-A'], ['CTL-A'])]),
    )
    expect(catalog.threatMappings.get('THR-A')).toEqual({'test-fw': ['T1']})
    expect(catalog.controlThreats.get('CTL-A')).toEqual(['THR-A'])
  })

  it('throws on a threat that no control mitigates', () => {
    const error = refusal(files([threat('THR-A', [])], [control('CTL-A')]))
    expect(error.message).toMatch(/THR-A has no control that mitigates it/)
  })

  it('throws on a threat that refers to an undefined control', () => {
    const error = refusal(files([threat('THR-A', [{id: 'CTL-UNDEFINED', impact: 1}])], [control('CTL-A')]))
    expect(error.message).toMatch(/THR-A refers to unknown control CTL-UNDEFINED/)
  })

  it('throws on a framework item that refers to an undefined threat or control', () => {
    const base = [threat('THR-A', [{id: 'CTL-A', likelihood: 1}])]
    expect(refusal(files(base, [control('CTL-A')], [framework(['THR-NOPE'])])).message).toMatch(/T1 refers to unknown threat THR-NOPE/)
    expect(refusal(files(base, [control('CTL-A')], [framework(['THR-A'], ['CTL-NOPE'])])).message).toMatch(
      /T1 refers to unknown control CTL-NOPE/,
    )
  })

  it("throws on a condition in a team's catalog that reads a field the manifest does not have", () => {
    const bad = {...threat('THR-A', [{id: 'CTL-A', likelihood: 1}]), when: {path: 'agent.nonsense', equals: true} as Condition}
    const team: CatalogFiles = {origin: 'team', threats: {version: '1', threats: [bad]}, frameworks: []}
    expect(() => buildCatalog(files([], [control('CTL-A')]), [team])).toThrow(/agent\.nonsense/)
  })

  it('throws when an extra catalog defines an id the built-in one already has', () => {
    const base = files([threat('THR-A', [{id: 'CTL-A', likelihood: 1}])], [control('CTL-A')])
    const extra: CatalogFiles = {origin: 'extra', controls: {version: '1', controls: [control('CTL-A')]}, frameworks: []}
    expect(() => buildCatalog(base, [extra])).toThrow(/CTL-A is defined twice/)
  })
})

describe('the calibration manifests (test/fixtures/calibration)', () => {
  const dir = join(ROOT, 'test/fixtures/calibration')
  interface Expected {
    verdict: string
    score: number
    critical: string[]
    high: string[]
    medium: string[]
    openQuestions: number
  }
  const expected = readJson<Record<string, Expected | string>>(join(dir, 'expected.json'))
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
  const catalog = loadCatalog(ROOT)

  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect(
      Object.keys(expected)
        .filter((k) => !k.startsWith('_'))
        .sort(),
    ).toEqual(fixtures)
  })

  it.each(fixtures)('%s assesses to its recorded verdict, score and severities', (file) => {
    const want = expected[file] as Expected
    const {doc, manifest} = loadManifest(readFileSync(join(dir, file), 'utf8'), file)
    const result = assess({
      manifest,
      locate: doc.locate,
      file,
      sha256: '0'.repeat(64),
      catalog,
      today: '2026-11-27',
      toolVersion: '0.1.0',
    })
    const ids = (severity: string) =>
      result.findings
        .filter((f) => f.severity === severity)
        .map((f) => f.id)
        .sort()
    expect(result.verdict).toBe(want.verdict)
    expect(result.score).toBe(want.score)
    expect({critical: ids('critical'), high: ids('high'), medium: ids('medium')}).toEqual({
      critical: want.critical,
      high: want.high,
      medium: want.medium,
    })
    expect(result.openQuestions).toHaveLength(want.openQuestions)
  })

  it.each(fixtures)('%s: the gate finds what the full assessment finds, with the same reasons and lines', (file) => {
    const {doc, manifest} = loadManifest(readFileSync(join(dir, file), 'utf8'), file)
    const input = {manifest, locate: doc.locate, file, sha256: '0'.repeat(64), catalog, today: '2026-11-27', toolVersion: '0.1.0'}
    const full = assess(input)
    const gate = assess({...input, scope: 'gate'})
    expect(JSON.parse(JSON.stringify(gate.findings))).toEqual(JSON.parse(JSON.stringify(full.findings)))
    expect(gate.findings.every((f) => f.because.length > 0)).toBe(true)
    expect([gate.verdict, gate.score]).toEqual([full.verdict, full.score])
    expect([gate.frameworks, gate.recommendations, gate.blastRadius, gate.controls]).toEqual([[], [], [], []])
  })
})
