/** docs/crosswalk.md is generated from the framework files and must not go stale. */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {CROSSWALK_PATH, renderCrosswalk} from '../../scripts/crosswalk.mjs'
import {ROOT} from '../helpers/shared.js'

const path = join(ROOT, CROSSWALK_PATH)
const rendered: string = renderCrosswalk(ROOT)

describe('docs/crosswalk.md', () => {
  it('equals what scripts/crosswalk.mjs renders from the catalogs', () => {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '(missing)'
    expect(current === rendered, 'docs/crosswalk.md is stale: run node scripts/crosswalk.mjs').toBe(true)
  })

  it('renders the same bytes twice and carries no date', () => {
    expect(renderCrosswalk(ROOT)).toBe(rendered)
    expect(rendered).not.toContain(new Date().toISOString().slice(0, 10))
  })

  it('maps each threat to framework items by id and name', () => {
    const row = rendered.split('\n').find((l) => l.startsWith('| `THR-LONG-LIVED-CREDENTIALS` |'))
    expect(row).toBeDefined()
    expect(row).toContain('NHI7:2025 Long-Lived Secrets')
    expect(row).toContain('ASI03 Identity and Privilege Abuse')
    const injection = rendered.split('\n').find((l) => l.startsWith('| `THR-UNTRUSTED-INPUT-HIJACK` |'))
    expect(injection).toContain('AML.T0051.001 Indirect')
  })

  it('has one framework × framework table for each of the 15 pairs, and the OWASP exceptions', () => {
    expect(rendered.match(/^### .+ × .+$/gm)).toHaveLength(15)
    expect(rendered).toContain('NHI7:2025 Long-Lived Secrets → ASI08 Cascading Failures')
    expect(rendered).toContain('ASI01 Agent Goal Hijack → LLM06:2025 Excessive Agency')
  })
})
