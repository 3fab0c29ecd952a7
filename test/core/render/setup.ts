/** Results to render: the bundled examples and the injection fixture, assessed as the CLI would. */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {expect} from 'vitest'
import {loadCatalog} from '../../../src/cli/catalog.js'
import type {Catalog} from '../../../src/core/catalog.js'
import {assess, type AssessmentResult} from '../../../src/core/engine.js'
import {loadManifest} from '../../../src/core/manifest.js'
import type {Waiver} from '../../../src/core/waivers.js'
import {ROOT} from '../../helpers/shared.js'

export const TODAY = '2026-11-27'
export const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort()
export const INJECTION = 'test/fixtures/injection.yaml'

let cached: Catalog | undefined
export function catalog(): Catalog {
  cached ??= loadCatalog(ROOT)
  return cached
}

/** Assess a manifest by its path relative to the project root, as `leash assess` does. */
export function assessFile(file: string, waivers: Waiver[] = [], text = readFileSync(join(ROOT, file), 'utf8')): AssessmentResult {
  const {doc, manifest} = loadManifest(text, file)
  return assess({
    manifest,
    locate: doc.locate,
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    catalog: catalog(),
    today: TODAY,
    toolVersion: '0.1.0',
    waivers,
  })
}

export const example = (name: string, waivers: Waiver[] = []) => assessFile(`examples/${name}.yaml`, waivers)

/** Waivers whose free text is hostile, for the injection fixture (active, expired, orphaned). */
/** An active waiver of the low-risk example's secret-exposure finding. */
export const PILOT_WAIVER: Waiver = {
  threat: 'THR-SECRET-EXPOSURE',
  agent: 'low-risk-*',
  reason: 'Accepted for the pilot.',
  approvedBy: 'ciso@example.com',
  approvedAt: '2026-11-20',
  expires: '2027-01-31',
  ticket: 'SEC-1234',
}

export const HOSTILE_WAIVERS: Waiver[] = [
  {
    threat: 'THR-SECRET-EXPOSURE',
    agent: 'injection-*',
    reason: '<script>alert("waiver")</script> | cell | [x](javascript:alert(1)) # heading',
    approvedBy: '<img src=x onerror=alert(1)>@example.com',
    approvedAt: '2026-11-01',
    expires: '2027-01-31',
    ticket: '`SEC-1` <b>bold</b>',
  },
  {
    threat: 'THR-RUNAWAY-AGENT',
    agent: 'injection-probe',
    reason: 'expired **bold** _it_',
    approvedBy: 'a@example.com',
    expires: '2026-01-01',
  },
  {threat: 'THR-NOT-A-FINDING', agent: '*', reason: '<iframe src=javascript:alert(1)>', approvedBy: 'b@example.com', expires: '2027-06-30'},
]

export const injection = () => assessFile(INJECTION, HOSTILE_WAIVERS)

/** Compare with test/golden/<name>, or write it when UPDATE_GOLDEN=1. */
export function golden(name: string, actual: string): void {
  const path = join(ROOT, 'test', 'golden', name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, actual)
    return
  }
  if (!existsSync(path)) throw new Error(`test/golden/${name} is missing: run the tests with UPDATE_GOLDEN=1 and review the new file`)
  expect(actual, `test/golden/${name} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)`).toBe(readFileSync(path, 'utf8'))
}
