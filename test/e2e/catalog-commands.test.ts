import {mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {leash, STACK} from '../helpers/cli.js'

describe('leash threats', () => {
  it('shows one threat in full: layers, conditions in words, controls and mappings across all five frameworks', () => {
    const r = leash(['threats', 'THR-SECRET-EXPOSURE'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('MAESTRO layers')
    expect(r.stdout).toMatch(/Applies when\n[\s\S]*secrets\.readable/)
    expect(r.stdout).toContain('CTL-JIT-SECRETS')
    for (const f of ['owasp-nhi', 'owasp-agentic', 'maestro', 'atlas', 'nist-ai-rmf'])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${f}\\s+\\S`))
    expect(r.stdout).toContain('NHI2:2025 Secret Leakage')
  })

  it('lists the catalog, and prints the threats document with --json', () => {
    expect(leash(['threats']).stdout).toMatch(/26 threats/)
    const doc = JSON.parse(leash(['threats', '--json']).stdout)
    expect(doc.threats).toHaveLength(26)
    const t = doc.threats.find((x: {id: string}) => x.id === 'THR-SECRET-EXPOSURE')
    expect(Object.keys(t.mappings)).toEqual(['owasp-nhi', 'owasp-agentic', 'maestro', 'atlas', 'nist-ai-rmf', 'owasp-llm'])
    expect(t.mappings['owasp-agentic'].length).toBeGreaterThan(0)
  })

  it('refuses an unknown id with the closest one (exit 2)', () => {
    const r = leash(['threats', 'THR-SECRET-EXPOSUR'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('did you mean THR-SECRET-EXPOSURE?')
    const json = leash(['threats', 'THR-NOPE', '--json'])
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout).error.code).toBe('unknown-id')
  })
})

describe('leash controls', () => {
  it('shows how a control is recognised from manifest fields and what it mitigates', () => {
    const r = leash(['controls', 'CTL-EPHEMERAL-SANDBOX'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('sandbox.ephemeral')
    expect(r.stdout).toMatch(/Mitigates\n\s+THR-/)
    const doc = JSON.parse(leash(['controls', '--json']).stdout)
    expect(doc.controls.find((c: {id: string}) => c.id === 'CTL-EPHEMERAL-SANDBOX')).toMatchObject({
      effort: expect.any(String),
      threats: expect.any(Array),
    })
  })
})

describe('leash frameworks', () => {
  it('lists the frameworks, one framework, and one item, accepting short item ids', () => {
    expect(leash(['frameworks']).stdout).toContain('owasp-agentic')
    expect(leash(['frameworks', 'owasp-nhi']).stdout).toContain('NHI7:2025')
    for (const id of ['NHI2', 'NHI-02', 'nhi2:2025']) {
      const r = leash(['frameworks', 'owasp-nhi', id])
      expect(r.code, id).toBe(0)
      expect(r.stdout).toContain('NHI2:2025  Secret Leakage')
    }
    const item = JSON.parse(leash(['frameworks', 'owasp-agentic', 'ASI03', '--json']).stdout)
    expect(item.frameworks[0].items).toHaveLength(1)
    expect(item.frameworks[0].items[0].threats.length).toBeGreaterThan(0)
  })

  it('refuses an unknown framework or item (exit 2)', () => {
    expect(leash(['frameworks', 'owasp-nh']).stderr).toContain('did you mean owasp-nhi?')
    expect(leash(['frameworks', 'owasp-nhi', 'NHI11']).code).toBe(2)
  })
})

describe('--catalog DIR', () => {
  const team = () => {
    const dir = mkdtempSync(join(tmpdir(), 'leash-catalog-'))
    writeFileSync(
      join(dir, 'team-policy.json'),
      JSON.stringify({
        id: 'team-policy',
        name: 'Team agent policy',
        version: '3',
        source: 'https://wiki.example.com/policy',
        license: 'Internal policy of the example organisation.',
        items: [
          {
            id: 'POL-1',
            name: 'No agent reads production secrets',
            description: 'Coding agents never hold or read production secrets, in any environment.',
            threats: ['THR-SECRET-EXPOSURE'],
            controls: [],
          },
        ],
      }),
    )
    return dir
  }

  it('names the file, line and field of an invalid catalog file (exit 2)', () => {
    const dir = team()
    writeFileSync(join(dir, 'team-policy.json'), readFileSync(join(dir, 'team-policy.json'), 'utf8').replace(/"license":"[^"]*",/, ''))
    const r = leash(['threats', '--catalog', dir])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/team-policy\.json:1:\d+ license: required field "license" is missing/)
  })

  it("adds a team's framework to the mappings of every finding", () => {
    const doc = JSON.parse(
      leash(['assess', '--example', 'low-risk-assistant', '--json', '--date', '2026-11-27', '--catalog', team()]).stdout,
    )
    const f = doc.findings.find((x: {id: string}) => x.id === 'THR-SECRET-EXPOSURE')
    expect(f.mappings['team-policy']).toEqual(['POL-1'])
    expect(doc.tool.catalogs['team-policy']).toBe('3')
  })

  it('refuses a duplicate id, an unknown reference, and a file outside the folder (exit 2)', () => {
    const dup = team()
    writeFileSync(join(dup, 'owasp-nhi.json'), readFileSync('frameworks/owasp-nhi.json'))
    expect(leash(['frameworks', '--catalog', dup]).stderr).toContain('framework owasp-nhi is defined twice')
    const unknown = team()
    writeFileSync(
      join(unknown, 'team-policy.json'),
      readFileSync(join(unknown, 'team-policy.json'), 'utf8').replace('THR-SECRET-EXPOSURE', 'THR-NOT-A-THREAT'),
    )
    expect(leash(['frameworks', '--catalog', unknown]).stderr).toContain('unknown threat THR-NOT-A-THREAT')
    const outside = mkdtempSync(join(tmpdir(), 'leash-catalog-'))
    mkdirSync(join(outside, 'pack'))
    symlinkSync(join(team(), 'team-policy.json'), join(outside, 'pack', 'team-policy.json'))
    const r = leash(['threats', '--catalog', join(outside, 'pack')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('points outside the catalog folder')
    expect(r.stdout + r.stderr).not.toMatch(STACK)
  })
})
