/**
 * The same generators through the real binary, for a bounded number of cases: exit codes stay in
 * {0, 1, 2}, no stack trace, validate and assess agree on what is usable, assess writes the same
 * bytes twice (or nothing at all), and a fake secret appears in no output and no file.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {DATE, EXAMPLE_FILES, runAsync, STACK, tempDir, tree} from '../hostile/helpers.js'
import {
  arbitraryText,
  count,
  fragments,
  hostileManifest,
  mutatedManifest,
  saveStats,
  secretManifest,
  SEED,
  type Case,
} from './arbitraries.js'

afterAll(saveStats)

const CASES = 30
const SECRET_CASES = 6
const WAIVER_CASES = 4

const FORMATS = ['--format', 'md,html,json,sarif']

const mixed: fc.Arbitrary<Case & {kind: string}> = fc.oneof(
  {weight: 3, arbitrary: hostileManifest.map((c) => ({...c, kind: 'hostile free text'}))},
  {weight: 3, arbitrary: mutatedManifest.map((c) => ({...c, kind: 'mutated example'}))},
  {weight: 1, arbitrary: arbitraryText.map((text) => ({from: '-', text, injected: [], kind: 'arbitrary text'}))},
)

describe('the binary on generated manifests', () => {
  it(`exits 0, 1 or 2 only, without a stack trace; validate and assess agree; assess writes byte-identical reports twice or nothing (${CASES} spawned cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(mixed, async (c) => {
        const dir = tempDir('fuzz')
        writeFileSync(join(dir, 'case.yaml'), c.text)
        const [validate, first] = await Promise.all([
          runAsync(['validate', 'case.yaml', ...DATE], {cwd: dir}),
          runAsync(['assess', 'case.yaml', ...FORMATS, '--out-dir', 'a', ...DATE], {cwd: dir}),
        ])
        const what = `${c.kind} from ${c.from}: validate ${validate.code}, assess ${first.code}\n${first.stderr}`
        count('binary', `${c.kind}: validate exit ${validate.code}, assess exit ${first.code}`)
        expect([0, 1, 2], what).toContain(validate.code)
        expect([0, 2], what).toContain(first.code)
        for (const r of [validate, first]) expect(r.stdout + r.stderr, what).not.toMatch(STACK)
        // usable for one is usable for the other
        expect(validate.code === 2, what).toBe(first.code === 2)
        if (first.code === 2) {
          expect(existsSync(join(dir, 'a')), what).toBe(false)
          return
        }
        const second = await runAsync(['assess', 'case.yaml', ...FORMATS, '--out-dir', 'b', ...DATE], {cwd: dir})
        expect(second.code, what).toBe(0)
        const [a, b] = [tree(join(dir, 'a')), tree(join(dir, 'b'))]
        expect([...a.keys()]).toEqual(['report.html', 'report.json', 'report.md', 'report.sarif'])
        expect([...b.keys()]).toEqual([...a.keys()])
        for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), `${name} differs between two runs`).toBe(true)
      }),
      {seed: SEED, numRuns: CASES, endOnFailure: true},
    )
  })

  it(`refuses a manifest with a fake secret (exit 2), and the secret is in no output and no file (${SECRET_CASES} spawned cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(secretManifest, async (c) => {
        const dir = tempDir('secret')
        writeFileSync(join(dir, 'leaky.yaml'), c.text)
        const runs = await Promise.all([
          runAsync(['assess', 'leaky.yaml', ...FORMATS, '--out-dir', 'out', ...DATE], {cwd: dir}),
          runAsync(['validate', 'leaky.yaml', '--json', ...DATE], {cwd: dir}),
          runAsync(['diff', EXAMPLE_FILES[0], 'leaky.yaml'], {cwd: dir}),
        ])
        count('binary secrets', `${c.secret.kind}: exits ${runs.map((r) => r.code).join('/')}`)
        for (const r of runs) {
          expect(r.code, `${c.secret.kind} at ${c.path}: ${r.stdout}${r.stderr}`).toBe(2)
          expect(r.stdout + r.stderr).toContain(c.path)
          for (const piece of fragments(c.secret.random)) expect(r.stdout + r.stderr).not.toContain(piece)
          expect(r.stdout + r.stderr).not.toMatch(STACK)
        }
        expect(existsSync(join(dir, 'out'))).toBe(false)
      }),
      {seed: SEED, numRuns: SECRET_CASES, endOnFailure: true},
    )
  })

  it(`refuses a waivers file with a fake secret (exit 2): its free text would reach every report (${WAIVER_CASES} spawned cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(secretManifest, async (c) => {
        const dir = tempDir('secret')
        mkdirSync(join(dir, '.leash'))
        // the default waivers file, read without --waivers
        writeFileSync(
          join(dir, '.leash', 'waivers.yaml'),
          `apiVersion: leash-waivers/v1\nwaivers:\n  - threat: THR-SECRET-EXPOSURE\n    agent: "*"\n    reason: ${JSON.stringify(`accepted; ${c.secret.value}`)}\n    approvedBy: ciso@example.com\n    expires: 2027-06-30\n`,
        )
        const r = await runAsync(['assess', EXAMPLE_FILES[0], ...FORMATS, '--out-dir', 'out', ...DATE], {cwd: dir})
        count('binary secrets', `waivers, ${c.secret.kind}: exit ${r.code}`)
        expect(r.code, r.stdout + r.stderr).toBe(2)
        expect(r.stderr).toMatch(
          /\.leash\/waivers\.yaml:5:\d+ waivers\[0\]\.reason: looks like an? .+ secrets never belong in a waivers file/,
        )
        for (const piece of fragments(c.secret.random)) expect(r.stdout + r.stderr).not.toContain(piece)
        expect(existsSync(join(dir, 'out'))).toBe(false)
        // and the same run without the secret writes its reports
        writeFileSync(
          join(dir, '.leash', 'waivers.yaml'),
          readFileSync(join(dir, '.leash', 'waivers.yaml'), 'utf8').replace(
            JSON.stringify(`accepted; ${c.secret.value}`),
            'accepted for now',
          ),
        )
        expect((await runAsync(['assess', EXAMPLE_FILES[0], '--out-dir', 'out', ...DATE], {cwd: dir})).code).toBe(0)
      }),
      {seed: SEED, numRuns: WAIVER_CASES, endOnFailure: true},
    )
  })
})
