import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {compareIds, compareNames, compareText} from '../../src/core/order.js'
import {ROOT} from '../helpers/shared.js'

const sorted = (xs: string[], compare: (a: string, b: string) => number) => [...xs].sort(compare)

describe('output order', () => {
  it('puts framework ids in natural order', () => {
    expect(sorted(['NHI10:2025', 'NHI2:2025', 'NHI1:2025'], compareIds)).toEqual(['NHI1:2025', 'NHI2:2025', 'NHI10:2025'])
    expect(sorted(['GOVERN 1.10', 'GOVERN 1.2', 'GOVERN 1.1'], compareIds)).toEqual(['GOVERN 1.1', 'GOVERN 1.2', 'GOVERN 1.10'])
    expect(sorted(['AML.T0051.001', 'AML.T0051', 'AML.T0010.002', 'AML.T0010'], compareIds)).toEqual([
      'AML.T0010',
      'AML.T0010.002',
      'AML.T0051',
      'AML.T0051.001',
    ])
    expect(sorted(['ASI10', 'ASI01', 'ASI2'], compareIds)).toEqual(['ASI01', 'ASI2', 'ASI10'])
    // equal values with different zeros still have one order
    expect(sorted(['x1', 'x01', 'x001'], compareIds)).toEqual(['x001', 'x01', 'x1'])
  })

  it('orders every id of the shipped catalogs as a numeric collator does', () => {
    const ids = new Set<string>()
    const walk = (v: unknown, key?: string): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, key))
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k)
      else if (typeof v === 'string' && key === 'id') ids.add(v)
    }
    for (const f of readdirSync(join(ROOT, 'frameworks'))) walk(JSON.parse(readFileSync(join(ROOT, 'frameworks', f), 'utf8')))
    expect(ids.size).toBeGreaterThan(200)
    // within one case, as ids are written; the collator is the reference, not a dependency
    for (const group of [[...ids].filter((id) => /^[A-Z]/.test(id)), [...ids].filter((id) => /^[a-z]/.test(id))]) {
      const icu = new Intl.Collator('en', {numeric: true})
      expect(sorted(group, compareIds)).toEqual(sorted(group, icu.compare))
    }
  })

  it('sorts text by code point and names without regard to case', () => {
    expect(sorted(['b', 'B', 'a', '.claude', 'A'], compareText)).toEqual(['.claude', 'A', 'B', 'a', 'b'])
    expect(sorted(['GITHUB_TOKEN', 'anthropic-oidc', 'Zeta', 'github-app'], compareNames)).toEqual([
      'anthropic-oidc',
      'github-app',
      'GITHUB_TOKEN',
      'Zeta',
    ])
  })

  it('is a total order: antisymmetric, transitive, zero only for equal strings (fast-check)', () => {
    const text = fc.string({unit: fc.constantFrom('a', 'B', '0', '1', '9', '.', '-', '_', ' '), maxLength: 8})
    for (const compare of [compareIds, compareNames, compareText]) {
      fc.assert(
        fc.property(text, text, text, (a, b, c) => {
          expect(Math.sign(compare(a, b)) + Math.sign(compare(b, a))).toBe(0)
          expect(compare(a, b) === 0).toBe(a === b)
          if (compare(a, b) <= 0 && compare(b, c) <= 0) expect(compare(a, c)).toBeLessThanOrEqual(0)
        }),
        {seed: 20261127, numRuns: 2000},
      )
    }
  })
})
