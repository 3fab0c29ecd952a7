import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv} from 'ajv'
import addFormats from 'ajv-formats'
import {describe, expect, it} from 'vitest'
import {band} from '../../../src/core/engine.js'
import {renderSarif, securitySeverity} from '../../../src/core/render/sarif.js'
import {HAS_SHARED, NEEDS_SHARED, SHARED} from '../../helpers/shared.js'
import {assessFile, catalog, EXAMPLES, example, golden, injection} from './setup.js'

interface SarifLog {
  version: string
  runs: {
    tool: {driver: {name: string; version: string; informationUri: string; rules: Rule[]}}
    results: Result[]
  }[]
}
interface Rule {
  id: string
  name: string
  shortDescription: {text: string}
  fullDescription: {text: string}
  help: {text: string; markdown: string}
  helpUri: string
  properties: {tags: string[]; 'security-severity': string; precision: string}
}
interface Location {
  physicalLocation: {artifactLocation: {uri: string}; region: {startLine: number; startColumn: number}}
}
interface Result {
  ruleId: string
  ruleIndex: number
  level: string
  message: {text: string}
  locations: Location[]
  relatedLocations?: Location[]
  partialFingerprints: Record<string, string>
  properties: {severity: string; score: number; verdict: string; agent: string}
  suppressions?: {kind: string; status: string; justification: string}[]
}

const sarif = (...names: string[]) =>
  JSON.parse(
    renderSarif(
      names.map((n) => example(n)),
      {catalog: catalog()},
    ),
  ) as SarifLog

function validator() {
  const schema = JSON.parse(readFileSync(join(SHARED, 'reference/sarif/sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>
  // The OASIS file is draft-04 (`id`); ajv 8 reads it as draft-07 once `id` is `$id`.
  const {id, $schema: _draft, ...rest} = schema
  const ajv = new Ajv({strict: false, allErrors: true})
  ;(addFormats as unknown as (a: Ajv) => void)(ajv)
  return ajv.compile({...rest, $id: id as string} as object)
}

describe('report.sarif', () => {
  it.each(EXAMPLES)('%s matches its golden file', (name) => {
    const text = renderSarif([example(name)], {catalog: catalog()})
    expect(renderSarif([example(name)], {catalog: catalog()})).toBe(text)
    golden(`${name}.sarif`, text)
  })

  it.skipIf(!HAS_SHARED)(`is valid SARIF 2.1.0 for every example, several at once, and the injection fixture${NEEDS_SHARED}`, () => {
    const validate = validator()
    const logs = [
      ...EXAMPLES.map((n) => renderSarif([example(n)], {catalog: catalog()})),
      renderSarif(
        EXAMPLES.map((n) => example(n)),
        {catalog: catalog()},
      ),
      renderSarif([injection()], {catalog: catalog()}),
    ]
    for (const text of logs) {
      const ok = validate(JSON.parse(text))
      expect(validate.errors ?? [], 'SARIF schema errors').toEqual([])
      expect(ok).toBe(true)
    }
  })

  it('has one run and one rule per threat with descriptions, help, tags and a security severity', () => {
    const log = sarif('low-risk-assistant')
    expect(log.version).toBe('2.1.0')
    expect(log.runs).toHaveLength(1)
    const {driver} = log.runs[0].tool
    expect(driver.name).toBe('leash')
    expect(driver.version).toBe('0.1.0')
    expect(driver.informationUri).toBeUndefined()
    expect(driver.rules.map((r) => r.id)).toEqual([...catalog().threats.keys()].sort())
    for (const rule of driver.rules) {
      const threat = catalog().threats.get(rule.id)!
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/)
      expect(rule.shortDescription.text).toBe(threat.title)
      expect(rule.fullDescription.text).toBe(threat.description)
      for (const m of threat.controls) expect(rule.help.text).toContain(m.id)
      expect(rule.help.markdown).toContain('**Mitigating controls**')
      expect(rule.helpUri).toMatch(/^https:\/\//)
      expect(rule.properties.tags).toContain('security')
      for (const [fw, ids] of Object.entries(catalog().threatMappings.get(rule.id)!))
        for (const id of ids) expect(rule.properties.tags).toContain(`external/${fw}/${id}`)
      expect(rule.properties['security-severity']).toMatch(/^(10\.0|\d\.\d)$/)
      expect(rule.properties.precision).toBe('high')
    }
  })

  it('maps residual bands onto the matching GitHub security-severity bands', () => {
    const github = (v: number) => (v >= 9 ? 'critical' : v >= 7 ? 'high' : v >= 4 ? 'medium' : 'low')
    let last = 0
    for (let s = 1; s <= 25; s++) {
      const v = Number(securitySeverity(s))
      expect(v).toBeGreaterThanOrEqual(last)
      expect(v).toBeLessThanOrEqual(10)
      expect(github(v)).toBe(band(s))
      last = v
    }
  })

  it.each(EXAMPLES)('%s: one result per finding, at its first because, the others related', (name) => {
    const r = example(name)
    const [run] = sarif(name).runs
    expect(run.results).toHaveLength(r.findings.length)
    run.results.forEach((res, i) => {
      const f = r.findings[i]
      expect(res.ruleId).toBe(f.id)
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(f.id)
      expect(res.level).toBe({critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note'}[f.severity])
      expect(res.message.text).toContain(f.title)
      const loc = res.locations[0].physicalLocation
      expect(loc.artifactLocation.uri).toBe(`examples/${name}.yaml`)
      expect(loc.region).toEqual({startLine: f.because[0].line, startColumn: f.because[0].column})
      expect(res.relatedLocations?.length ?? 0).toBe(f.because.length - 1)
      expect(res.properties).toMatchObject({severity: f.severity, score: f.residual.score, verdict: r.verdict, agent: r.subject.name})
      expect(res.suppressions).toBeUndefined()
    })
  })

  it('fingerprints findings without line numbers: moving the manifest down changes lines, not fingerprints', () => {
    const file = 'examples/low-risk-assistant.yaml'
    const text = readFileSync(join(import.meta.dirname, '../../..', file), 'utf8')
    const a = JSON.parse(renderSarif([assessFile(file)], {catalog: catalog()})) as SarifLog
    const b = JSON.parse(renderSarif([assessFile(file, [], `# one\n# two\n# three\n${text}`)], {catalog: catalog()})) as SarifLog
    const [ra, rb] = [a.runs[0].results, b.runs[0].results]
    expect(rb.map((r) => r.partialFingerprints)).toEqual(ra.map((r) => r.partialFingerprints))
    expect(rb.map((r) => r.locations[0].physicalLocation.region.startLine)).toEqual(
      ra.map((r) => r.locations[0].physicalLocation.region.startLine + 3),
    )
    expect(new Set(ra.map((r) => Object.values(r.partialFingerprints)[0])).size).toBe(ra.length)
  })

  it('marks waived findings as accepted external suppressions with the justification', () => {
    const r = example('low-risk-assistant', [
      {
        threat: 'THR-SECRET-EXPOSURE',
        agent: 'low-risk-*',
        reason: 'Pilot only.',
        approvedBy: 'ciso@example.com',
        expires: '2027-01-31',
        ticket: 'SEC-1',
      },
    ])
    const log = JSON.parse(renderSarif([r], {catalog: catalog()})) as SarifLog
    const waived = log.runs[0].results.filter((x) => x.suppressions)
    expect(waived.map((x) => x.ruleId)).toEqual(['THR-SECRET-EXPOSURE'])
    expect(waived[0].suppressions).toEqual([
      {kind: 'external', status: 'accepted', justification: 'Pilot only. (approved by ciso@example.com, expires 2027-01-31, SEC-1)'},
    ])
  })

  it('puts several manifests in one run, each result naming its agent', () => {
    const log = sarif('refactoring-agent', 'low-risk-assistant')
    expect(log.runs).toHaveLength(1)
    const agents = new Set(log.runs[0].results.map((r) => r.properties.agent))
    expect(agents).toEqual(new Set(['refactoring-agent', 'low-risk-assistant']))
    expect(log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri)).toContain(
      'examples/refactoring-agent.yaml',
    )
  })
})
