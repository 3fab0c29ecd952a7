/**
 * Properties of the whole in-process pipeline (loader → engine → md, html, json, sarif) over
 * arbitrary and mutated manifests. Fixed seed (SEED): a failure reproduces, and fast-check prints
 * the seed and path to replay it. Run counts are in the test names.
 */
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {decodeText} from '../../src/core/document.js'
import {InputError} from '../../src/core/errors.js'
import {loadManifest} from '../../src/core/manifest.js'
import {sanitizeBoth} from '../core/render/html-safety.js'
import {
  arbitraryText,
  count,
  fragments,
  hostileManifest,
  hostileWaivers,
  mutatedManifest,
  pipeline,
  resultErrors,
  saveStats,
  secretManifest,
  SEED,
  tryLoad,
  validResult,
  type Outputs,
} from './arbitraries.js'

afterAll(saveStats)

const RUNS = {text: 1500, bytes: 800, mutated: 200, hostile: 60, secrets: 500}

/** Only InputError may come out of loading, and each problem names the file. */
function expectInputError(error: InputError, file: string): void {
  expect(error).toBeInstanceOf(InputError)
  expect(error.diagnostics.length).toBeGreaterThan(0)
  for (const d of error.diagnostics) {
    expect(d.file).toBe(file)
    expect(d.message.length).toBeGreaterThan(0)
    expect(d.line).toBeGreaterThanOrEqual(0)
  }
}

/** Cheap checks that no markup came through (the allowlist check is in the hostile-text property). */
function expectNoActiveHtml(html: string): void {
  expect(html).not.toMatch(/<(script|img|iframe|object|embed|svg\s+onload|math|details|style[^>]*>\s*\*)/i)
  expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i)
  expect(html).not.toMatch(/href="(?!https?:|mailto:|#)/i)
}

function expectSame(a: Outputs, b: Outputs): void {
  expect(b.md).toBe(a.md)
  expect(b.html).toBe(a.html)
  expect(b.json).toBe(a.json)
  expect(b.sarif).toBe(a.sarif)
}

describe('the manifest loader', () => {
  it(`throws nothing but InputError on arbitrary text and YAML/JSON token soup (${RUNS.text} runs)`, () => {
    fc.assert(
      fc.property(arbitraryText, (text) => {
        const outcome = tryLoad(text, 'soup.yaml')
        count('text', outcome.ok ? 'loaded' : `InputError ${outcome.error.diagnostics[0].code}`)
        if (!outcome.ok) expectInputError(outcome.error, 'soup.yaml')
      }),
      {seed: SEED, numRuns: RUNS.text},
    )
  })

  it(`throws nothing but InputError on arbitrary bytes, decoded as the CLI does (${RUNS.bytes} runs)`, () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 600}), (bytes) => {
        try {
          loadManifest(decodeText(bytes, 'bytes.json'), 'bytes.json')
          count('bytes', 'loaded')
        } catch (error) {
          if (!(error instanceof InputError)) throw error
          count('bytes', `InputError ${error.diagnostics[0].code}`)
          expectInputError(error, 'bytes.json')
        }
      }),
      {seed: SEED, numRuns: RUNS.bytes},
    )
  })
})

describe('mutated examples', () => {
  it(`load or fail with InputError only; every loadable one is assessed and rendered in md, html, json and sarif without throwing, byte-identical twice, report.json valid against its schema (${RUNS.mutated} runs)`, async () => {
    let loaded = 0
    await fc.assert(
      fc.asyncProperty(mutatedManifest, async (c) => {
        const outcome = tryLoad(c.text, 'mutated.yaml')
        count('mutated', outcome.ok ? 'loaded, assessed and rendered' : `InputError ${outcome.error.diagnostics[0].code}`)
        if (!outcome.ok) return expectInputError(outcome.error, 'mutated.yaml')
        loaded++
        const first = await pipeline(c.text, 'mutated.yaml')
        expectSame(first, await pipeline(c.text, 'mutated.yaml'))
        expect(validResult(first.json), JSON.stringify(resultErrors())).toBe(true)
        JSON.parse(first.sarif)
        expectNoActiveHtml(first.html)
      }),
      {seed: SEED, numRuns: RUNS.mutated},
    )
    // the property is only worth something if mutations reach the engine and the renderers
    expect(loaded).toBeGreaterThan(RUNS.mutated / 5)
  })
})

describe('hostile free text in valid manifests and waivers', () => {
  it(`never reaches the HTML or Markdown as markup: no payload verbatim, and the sanitize-html allowlist changes nothing (${RUNS.hostile} runs)`, async () => {
    let rendered = 0
    await fc.assert(
      fc.asyncProperty(hostileManifest, hostileWaivers, async (c, waivers) => {
        const outcome = tryLoad(c.text, 'hostile.yaml')
        count('hostile', outcome.ok ? 'loaded, assessed and rendered' : `InputError ${outcome.error.diagnostics[0].code}`)
        // random text can look like a secret, or break a length limit: refused, as it should be
        if (!outcome.ok) return expectInputError(outcome.error, 'hostile.yaml')
        rendered++
        const out = await pipeline(c.text, 'hostile.yaml', waivers)
        const texts = [...c.injected, ...waivers.flatMap((w) => [w.reason, w.approvedBy, w.ticket ?? ''])]
        for (const text of texts) {
          // anything that could open a tag, a comment or a declaration must not appear as written
          if (!/<[A-Za-z!/?]/.test(text)) continue
          count('hostile', 'markup payloads checked')
          expect(out.html, `verbatim in report.html: ${JSON.stringify(text)}`).not.toContain(text)
          expect(out.md, `verbatim in report.md: ${JSON.stringify(text)}`).not.toContain(text)
        }
        const [kept, there] = sanitizeBoth(out.html)
        expect(kept).toBe(there)
        expectNoActiveHtml(out.html)
        expectSame(out, await pipeline(c.text, 'hostile.yaml', waivers))
      }),
      {seed: SEED, numRuns: RUNS.hostile},
    )
    expect(rendered).toBeGreaterThan(RUNS.hostile / 2)
  })
})

describe('secrets in a manifest', () => {
  it(`a format-valid fake token in any free-text field is refused at its path, and no message shows its random part (${RUNS.secrets} runs)`, () => {
    fc.assert(
      fc.property(secretManifest, (c) => {
        const outcome = tryLoad(c.text, 'leaky.yaml')
        count('secrets', outcome.ok ? 'ACCEPTED' : `refused: ${c.secret.kind}`)
        expect(outcome.ok, `${c.secret.kind} at ${c.path} was accepted`).toBe(false)
        if (outcome.ok) return
        expectInputError(outcome.error, 'leaky.yaml')
        const secrets = outcome.error.diagnostics.filter((d) => d.code === 'secret')
        expect(secrets.map((d) => d.path)).toContain(c.path)
        const shown = `${outcome.error.message}\n${JSON.stringify(outcome.error.diagnostics)}`
        for (const piece of fragments(c.secret.random)) expect(shown).not.toContain(piece)
      }),
      {seed: SEED, numRuns: RUNS.secrets},
    )
  })
})
