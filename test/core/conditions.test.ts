import {describe, expect, it} from 'vitest'
import {durationSeconds, evaluate, conditionPaths, type Condition} from '../../src/core/conditions.js'

const m = {
  tools: {shell: 'unrestricted', mcpServers: [{name: 'a', pinned: true}, {name: 'b', pinned: false}, {name: 'c'}]},
  secrets: {readable: ['env-files', 'ci-secrets']},
  identity: {
    credentials: [
      {name: 'k', kind: 'static-api-key', ttl: 'P90D'},
      {name: 'j', kind: 'short-lived-token', ttl: 'PT1H'},
    ],
  },
  oversight: {requiredReviewers: 0},
  delivery: {},
}

const truth = (c: Condition, v: unknown = m) => evaluate(c, v).truth

describe('three-valued conditions', () => {
  it('compares present values', () => {
    expect(truth({path: 'tools.shell', equals: 'unrestricted'})).toBe('true')
    expect(truth({path: 'tools.shell', oneOf: ['none', 'allowlist']})).toBe('false')
    expect(truth({path: 'secrets.readable', contains: 'env-files'})).toBe('true')
    expect(truth({path: 'secrets.readable', containsAny: ['production-secrets', 'ci-secrets']})).toBe('true')
    expect(truth({path: 'secrets.readable', nonEmpty: true})).toBe('true')
    expect(truth({path: 'oversight.requiredReviewers', lt: 1})).toBe('true')
    expect(truth({path: 'oversight.requiredReviewers', gte: 1})).toBe('false')
    expect(truth({path: 'tools.shell', matches: '^unres'})).toBe('true')
  })

  it('answers unknown for an absent field, unless the leaf says what absence means', () => {
    expect(truth({path: 'sandbox.ephemeral', equals: true})).toBe('unknown')
    expect(truth({path: 'sandbox.ephemeral', equals: true, ifAbsent: false})).toBe('false')
    expect(truth({path: 'sandbox.ephemeral', absent: true})).toBe('true')
    expect(truth({path: 'tools.shell', present: true})).toBe('true')
  })

  it('uses Kleene logic for all, any and not', () => {
    const t: Condition = {path: 'tools.shell', equals: 'unrestricted'}
    const f: Condition = {path: 'tools.shell', equals: 'none'}
    const u: Condition = {path: 'sandbox.type', equals: 'none'}
    expect(truth({all: [t, u]})).toBe('unknown')
    expect(truth({all: [f, u]})).toBe('false')
    expect(truth({any: [t, u]})).toBe('true')
    expect(truth({any: [f, u]})).toBe('unknown')
    expect(truth({not: u})).toBe('unknown')
    expect(truth({not: t})).toBe('false')
  })

  it('finds the list items that satisfy a condition, with their index in the path', () => {
    const r = evaluate({anyItem: 'tools.mcpServers', where: {path: 'pinned', equals: false}}, m)
    expect(r.truth).toBe('true')
    expect(r.support.map((e) => e.path)).toEqual([['tools', 'mcpServers', 1, 'pinned']])
    const all = evaluate({anyItem: 'tools.mcpServers', where: {path: 'pinned', equals: false, ifAbsent: true}}, m)
    expect(all.support.map((e) => e.path.join('.'))).toEqual(['tools.mcpServers.1.pinned', 'tools.mcpServers.2.pinned'])
  })

  it('treats an absent list as unknown and an empty one as a fact', () => {
    expect(truth({anyItem: 'multiAgent.peers', where: {path: 'x', equals: 1}})).toBe('unknown')
    expect(truth({anyItem: 'multiAgent.peers', where: {path: 'x', equals: 1}}, {multiAgent: {peers: []}})).toBe('false')
    expect(truth({allItems: 'multiAgent.peers', where: {path: 'x', equals: 1}}, {multiAgent: {peers: []}})).toBe('true')
  })

  it('compares ISO 8601 durations', () => {
    expect(truth({anyItem: 'identity.credentials', where: {path: 'ttl', durationGt: 'P1D'}})).toBe('true')
    expect(truth({allItems: 'identity.credentials', where: {path: 'ttl', durationLte: 'PT1H'}})).toBe('false')
    expect(durationSeconds('PT1H')).toBe(3600)
    expect(durationSeconds('P1DT30M')).toBe(86_400 + 1800)
    expect(durationSeconds('P1Y')).toBe(365 * 86_400)
    expect(durationSeconds('nonsense')).toBeNaN()
  })

  it('lists the paths a condition reads', () => {
    expect(
      conditionPaths({
        all: [
          {path: 'a.b', equals: 1},
          {anyItem: 'c', where: {path: 'd', absent: true}},
        ],
      }),
    ).toEqual(['a.b', 'c', 'c[].d'])
  })
})

describe('truthOf', () => {
  it('answers as evaluate does, for every condition of the catalog on every example and calibration manifest', async () => {
    const {readdirSync, readFileSync} = await import('node:fs')
    const {join} = await import('node:path')
    const {parse} = await import('yaml')
    const {loadCatalog} = await import('../../src/cli/catalog.js')
    const {truthOf} = await import('../../src/core/conditions.js')
    const root = join(import.meta.dirname, '../..')
    const catalog = loadCatalog(root)
    const conditions: Condition[] = [
      ...[...catalog.threats.values()].flatMap((t) => [t.when, ...(t.modifiers ?? []).map((m) => m.when)]),
      ...[...catalog.controls.values()].flatMap((c) => [c.detectedBy, c.partialWhen].filter((x): x is Condition => x !== undefined)),
      ...catalog.graph.edges.map((e) => e.when),
    ]
    const manifests = ['examples', 'test/fixtures/calibration'].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => parse(readFileSync(join(root, dir, f), 'utf8'))),
    )
    let checked = 0
    for (const m of [...manifests, {}]) {
      for (const c of conditions) {
        expect(truthOf(c, m)).toBe(evaluate(c, m).truth)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(1000)
  })
})
