/**
 * Generators for the property tests: the bundled examples, mutated (values, keys, types, text),
 * hostile free text (markup, Markdown, unicode), fake secrets built by concatenation from a seeded
 * PRNG (so this file holds nothing a secret scanner would flag), and the whole pipeline a command
 * runs in process: load → assess → md, html, json, sarif.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {stringify} from 'yaml'
import type {AssessmentResult} from '../../src/core/engine.js'
import {InputError} from '../../src/core/errors.js'
import {loadManifest} from '../../src/core/manifest.js'
import {formatPath, type Path, type PathSegment} from '../../src/core/paths.js'
import {renderHtml} from '../../src/core/render/html.js'
import {renderJson} from '../../src/core/render/json.js'
import {renderMarkdown} from '../../src/core/render/markdown.js'
import {renderSarif} from '../../src/core/render/sarif.js'
import type {Waiver} from '../../src/core/waivers.js'
import validateResult from '../../src/generated/validators/result.cjs'
import {assessFile, catalog, EXAMPLES} from '../core/render/setup.js'
import {BASE62, BASE64, BASE64URL, DIGITS, pick, prng, UPPER} from '../helpers/fake-secrets.js'
import {ROOT} from '../helpers/shared.js'

/** One seed for every property: a failure prints it with its path, and reproduces. */
export const SEED = 20261127

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}

export const examples = EXAMPLES.map((name) => {
  const text = readFileSync(join(ROOT, 'examples', `${name}.yaml`), 'utf8')
  return {name, text, value: loadManifest(text, `${name}.yaml`).doc.value as Json}
})

const clone = <T>(v: T): T => structuredClone(v)

/** Every node's path, the root included (document order). */
export function pathsOf(value: Json, path: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(path)
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out))
  else if (value && typeof value === 'object') for (const k of Object.keys(value)) pathsOf(value[k], [...path, k], out)
  return out
}

function parentOf(root: Json, path: Path): {parent: Json; key: PathSegment} | undefined {
  if (path.length === 0) return undefined
  let cur: Json = root
  for (const seg of path.slice(0, -1)) cur = (cur as Record<string | number, Json>)[seg]
  return {parent: cur, key: path[path.length - 1]}
}

/** Set an own property, even `__proto__` (an assignment would set the prototype instead). */
function define(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true})
}

export function setAt(root: Json, path: Path, value: Json): Json {
  const at = parentOf(root, path)
  if (!at) return value
  if (Array.isArray(at.parent)) at.parent[Number(at.key)] = value
  else define(at.parent as Record<string, Json>, String(at.key), value)
  return root
}

export function getAt(root: Json, path: Path): Json {
  let cur = root
  for (const seg of path) cur = (cur as Record<string | number, Json>)[seg]
  return cur
}

/** Values seen at the same (index-free) path across the examples: valid swaps that change findings. */
const seen = new Map<string, Set<Json>>()
for (const e of examples) {
  for (const path of pathsOf(e.value)) {
    const v = getAt(e.value, path)
    if (v !== null && typeof v === 'object') continue
    const key = formatPath(path.filter((s) => typeof s === 'string'))
    if (!seen.has(key)) seen.set(key, new Set())
    seen.get(key)!.add(v)
  }
}

/** Injection payloads for HTML, Markdown, SVG, Mermaid, templates and terminals. */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)></iframe>",
  '<a href="javascript:alert(1)">click</a>',
  '<style>*{display:none}</style>',
  '</textarea></title></style><script>alert(1)</script>',
  '<!-- <b>comment</b> -->',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<details open ontoggle=alert(1)>',
  '[x](javascript:alert(1))',
  '![x](https://evil.example/x.png)',
  '<https://evil.example>',
  '| a | b |\n|---|---|',
  '# heading\n\n---',
  '```html\n<script>\n```',
  '{{constructor.constructor("alert(1)")()}}',
  '${process.exit(1)}',
  'n1["x"] --> n2[(y)] %% click n1 call alert(1)',
  '\u001b[31mred\u001b[0m\u0007',
  '\u202eevil\u202c',
  'a\u0000b',
  '\u2028line\u2029para',
  'www.evil.example user@evil.example https://evil.example/?a=1&b=<i>',
  '&lt;script&gt; &#60;script&#62; &amp;',
  'Ω≈ç√ 👩‍💻 🏳️‍🌈 A\u0301 \u200b',
]

const MARKUP = '<>&"\'[]()*_\\`|#~@:/.!{}%;=\n\t -'
/** Free text an attacker might put in a manifest: payloads, markup soup, any unicode. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc
    .tuple(fc.string({unit: 'grapheme', maxLength: 12}), fc.constantFrom(...PAYLOADS), fc.string({unit: 'grapheme', maxLength: 12}))
    .map((parts) => parts.join('')),
  fc.string({unit: fc.constantFrom(...MARKUP.split('')), minLength: 1, maxLength: 40}),
  fc.string({unit: 'grapheme', minLength: 1, maxLength: 40}),
  fc.string({unit: 'binary', minLength: 1, maxLength: 40}),
)

/** Serialise a value as a manifest file could be written. */
export type Style = 'yaml' | 'json' | 'yaml-crlf-bom' | 'json-compact'
export function serialise(value: Json, style: Style): string {
  switch (style) {
    case 'yaml':
      return stringify(value)
    case 'json':
      return `${JSON.stringify(value, null, 2)}\n`
    case 'yaml-crlf-bom':
      return `\uFEFF${stringify(value).replace(/\n/g, '\r\n')}`
    case 'json-compact':
      return JSON.stringify(value)
  }
}

const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'then', '$ref', '']

/** A value of any type, to change a field's type. */
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  hostileText,
  fc.jsonValue({maxDepth: 2}) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, 25, '', [], {}),
)

type Mutation =
  | {op: 'set'; at: number; value: Json}
  | {op: 'swap'; at: number; choice: number}
  | {op: 'delete'; at: number}
  | {op: 'rename'; at: number; key: string}
  | {op: 'insert'; at: number; key: string; value: Json}

/** Gentle mutations (a field dropped, a value another example uses) keep many manifests valid, so the engine sees them too. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {weight: 3, arbitrary: fc.record({op: fc.constant('delete' as const), at: fc.nat()})},
  {weight: 3, arbitrary: fc.record({op: fc.constant('swap' as const), at: fc.nat(), choice: fc.nat()})},
  {weight: 2, arbitrary: fc.record({op: fc.constant('set' as const), at: fc.nat(), value: anyValue})},
  {
    weight: 1,
    arbitrary: fc.record({op: fc.constant('rename' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...SPECIAL_KEYS), hostileText)}),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...SPECIAL_KEYS), hostileText),
      value: anyValue,
    }),
  },
)

function apply(root: Json, m: Mutation): Json {
  const paths = pathsOf(root)
  const path = paths[m.at % paths.length]
  const at = parentOf(root, path)
  switch (m.op) {
    case 'set':
      return setAt(root, path, m.value)
    case 'swap': {
      const options = [...(seen.get(formatPath(path.filter((seg) => typeof seg === 'string'))) ?? [])]
      return options.length === 0 ? root : setAt(root, path, options[m.choice % options.length])
    }
    case 'delete':
      if (!at) return root
      if (Array.isArray(at.parent)) at.parent.splice(Number(at.key), 1)
      else delete (at.parent as Record<string, Json>)[String(at.key)]
      return root
    case 'rename': {
      if (!at || Array.isArray(at.parent)) return root
      const parent = at.parent as Record<string, Json>
      const value = parent[String(at.key)]
      delete parent[String(at.key)]
      define(parent, m.key, value)
      return root
    }
    case 'insert': {
      const target = getAt(root, path)
      if (Array.isArray(target)) target.push(m.value)
      else if (target && typeof target === 'object') define(target, m.key, m.value)
      return root
    }
  }
}

/** A text edit after serialising: what a careless or hostile editor does to a file. */
type TextEdit = {op: 'insert'; at: number; text: string} | {op: 'cut'; at: number; length: number} | {op: 'duplicate-line'; at: number}

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      hostileText,
      fc.constantFrom('&a ', '*a', '<<: *a', '!!binary ', '!!js/function ', '? ', ': ', '- ', '{', '[', '"', '\t', '%TAG ! x', '---\n'),
    ),
  }),
  fc.record({op: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({min: 1, max: 200})}),
  fc.record({op: fc.constant('duplicate-line' as const), at: fc.nat()}),
)

function edit(text: string, e: TextEdit): string {
  const at = text.length === 0 ? 0 : e.at % text.length
  switch (e.op) {
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at)
    case 'cut':
      return text.slice(0, at) + text.slice(at + e.length)
    case 'duplicate-line': {
      const lines = text.split('\n')
      const i = e.at % lines.length
      lines.splice(i, 0, lines[i])
      return lines.join('\n')
    }
  }
}

export interface Case {
  /** The example it started from. */
  from: string
  text: string
  /** Strings injected into the document (for the escaping checks). */
  injected: string[]
}

/** An example with its values, keys and types mutated, serialised, then possibly edited as text. */
export const mutatedManifest: fc.Arbitrary<Case> = fc
  .record({
    example: fc.nat({max: examples.length - 1}),
    mutations: fc.array(mutation, {minLength: 1, maxLength: 4}),
    style: fc.constantFrom<Style>('yaml', 'json', 'yaml-crlf-bom', 'json-compact'),
    edits: fc.oneof(
      {weight: 3, arbitrary: fc.constant<TextEdit[]>([])},
      {weight: 1, arbitrary: fc.array(textEdit, {minLength: 1, maxLength: 2})},
    ),
  })
  .map(({example, mutations, style, edits}) => {
    const e = examples[example]
    const value = mutations.reduce(apply, clone(e.value))
    const text = edits.reduce(edit, serialise(value, style))
    const injected = mutations.flatMap((m) => [
      ...('key' in m ? [m.key] : []),
      ...('value' in m && typeof m.value === 'string' ? [m.value] : []),
    ])
    return {from: e.name, text, injected}
  })

/** Any text at all, and YAML/JSON token soup. */
export const arbitraryText: fc.Arbitrary<string> = fc.oneof(
  fc.string({unit: 'binary', maxLength: 400}),
  fc.string({unit: 'grapheme', maxLength: 400}),
  fc
    .array(
      fc.constantFrom(
        'apiVersion: leash/v1\n',
        'kind: AgentDeployment\n',
        'metadata:\n',
        '  name: x\n',
        'a:',
        ' ',
        '\n',
        '  ',
        '- ',
        '[',
        ']',
        '{',
        '}',
        ',',
        '&x ',
        '*x',
        '<<: *x\n',
        '!!str ',
        '!!map ',
        '!custom ',
        '"',
        "'",
        '#',
        '|\n',
        '>-\n',
        '---\n',
        '...\n',
        '%YAML 1.2\n',
        '__proto__: ',
        'constructor: ',
        '? ',
        ': ',
        '\t',
        '\r\n',
        '\uFEFF',
        '1e999',
        '0x1F',
        '.nan',
        '~',
        'null',
      ),
      {maxLength: 60},
    )
    .map((parts) => parts.join('')),
)

/** Schema-valid free-text fields of each example: string leaves that accept text with markup in it. */
const PROBE = 'Probe <b>x</b> & "q" ü'
export const freeText = new Map<string, PathSegment[][]>(
  examples.map((e) => {
    const found = pathsOf(e.value).filter((path) => {
      if (typeof getAt(e.value, path) !== 'string') return false
      try {
        loadManifest(serialise(setAt(clone(e.value), path, PROBE), 'yaml'), 'probe.yaml')
        return true
      } catch {
        return false
      }
    })
    return [e.name, found]
  }),
)

/**
 * A valid manifest carrying hostile text: an example with some of its free-text fields replaced,
 * hostile labels added and some scalar fields swapped for values other examples use.
 */
export const hostileManifest: fc.Arbitrary<Case> = fc
  .record({
    example: fc.nat({max: examples.length - 1}),
    texts: fc.array(fc.tuple(fc.nat(), hostileText), {minLength: 1, maxLength: 8}),
    labels: fc.array(fc.tuple(hostileText, hostileText), {maxLength: 3}),
    swaps: fc.array(fc.tuple(fc.nat(), fc.nat()), {maxLength: 6}),
    style: fc.constantFrom<Style>('yaml', 'json', 'yaml-crlf-bom'),
  })
  .map(({example, texts, labels, swaps, style}) => {
    const e = examples[example]
    const value = clone(e.value)
    const paths = pathsOf(value)
    for (const [i, j] of swaps) {
      const path = paths[i % paths.length]
      const options = [...(seen.get(formatPath(path.filter((s) => typeof s === 'string'))) ?? [])]
      if (options.length > 1 && (getAt(value, path) === null || typeof getAt(value, path) !== 'object')) {
        setAt(value, path, options[j % options.length])
      }
    }
    const fields = freeText.get(e.name)!
    const injected: string[] = []
    for (const [i, text] of texts) {
      setAt(value, fields[i % fields.length], text)
      injected.push(text)
    }
    const metadata = value as {metadata: {labels?: Record<string, Json>}}
    for (const [k, v] of labels) {
      metadata.metadata.labels ??= {}
      define(metadata.metadata.labels, k.slice(0, 128), v)
      injected.push(k.slice(0, 128), v)
    }
    return {from: e.name, text: serialise(value, style), injected}
  })

/** Hostile waivers: free text in every field that takes it, one of each status. */
export const hostileWaivers: fc.Arbitrary<Waiver[]> = fc.array(
  fc.record({
    threat: fc.constantFrom(...catalog().threats.keys(), 'THR-NOT-A-FINDING'),
    agent: fc.constantFrom('*', '*-agent', 'nobody'),
    reason: hostileText,
    approvedBy: hostileText,
    expires: fc.constantFrom('2026-01-01', '2027-12-31'),
    ticket: hostileText,
  }),
  {maxLength: 3},
)

/** Outcomes per property, for the log and for scripts/reliability.mjs (LEASH_STATS=FILE writes them as JSON). */
export const stats: Record<string, Record<string, number>> = {}
export function count(property: string, outcome: string): void {
  stats[property] ??= {}
  stats[property][outcome] = (stats[property][outcome] ?? 0) + 1
}

export function saveStats(): void {
  const file = process.env.LEASH_STATS
  if (!file) return
  let all: Record<string, unknown> = {}
  try {
    all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    // first writer
  }
  writeFileSync(file, JSON.stringify({...all, ...stats}, null, 2))
}

export interface Outputs {
  result: AssessmentResult
  md: string
  html: string
  json: string
  sarif: string
}

/** Everything a command does with a loaded manifest, in process. Throws what the core throws. */
export async function pipeline(text: string, file: string, waivers: Waiver[] = []): Promise<Outputs> {
  const result = assessFile(file, waivers, text)
  const context = {catalog: catalog()}
  return {
    result,
    md: renderMarkdown(result, context),
    html: await renderHtml(result, context),
    json: renderJson(result),
    sarif: renderSarif([result], context),
  }
}

/** Load, and sort the outcome: a manifest, or an InputError (anything else is thrown on). */
export function tryLoad(text: string, file: string): {ok: true} | {ok: false; error: InputError} {
  try {
    loadManifest(text, file)
    return {ok: true}
  } catch (error) {
    if (error instanceof InputError) return {ok: false, error}
    throw error
  }
}

export function validResult(json: string): boolean {
  return validateResult(JSON.parse(json)) as boolean
}

export const resultErrors = () => (validateResult as {errors?: unknown}).errors

/** Format-valid fake secrets, built by concatenation from a seeded PRNG; `random` is what must never be shown. */
export interface FakeSecret {
  kind: string
  value: string
  random: string
}

const SECRETS: ((r: () => number) => FakeSecret)[] = [
  (r) => {
    const random = pick(r, BASE62, 36)
    return {kind: 'GitHub token', value: 'ghp' + '_' + random, random}
  },
  (r) => {
    const random = pick(r, BASE62, 22) + '_' + pick(r, BASE62, 59)
    return {kind: 'GitHub token', value: 'github' + '_pat_' + random, random}
  },
  (r) => {
    const random = pick(r, BASE62, 32)
    return {kind: 'GitLab token', value: 'glpat' + '-' + random, random}
  },
  (r) => {
    const random = pick(r, DIGITS, 12) + '-' + pick(r, DIGITS, 13) + '-' + pick(r, BASE62, 24)
    return {kind: 'Slack token', value: 'xoxb' + '-' + random, random}
  },
  (r) => {
    const random = pick(r, UPPER + DIGITS, 16)
    return {kind: 'AWS access key', value: 'AKIA' + random, random}
  },
  (r) => {
    const random = pick(r, BASE64URL, 35)
    return {kind: 'Google API key', value: 'AIza' + random, random}
  },
  (r) => {
    const random = pick(r, BASE64URL, 93) + 'AA'
    return {kind: 'Anthropic API key', value: 'sk-' + 'ant-api03-' + random, random}
  },
  (r) => {
    const a = pick(r, BASE64URL, 74)
    const b = pick(r, BASE64URL, 74)
    return {kind: 'OpenAI API key', value: 'sk-' + 'proj-' + a + 'T3Blbk' + 'FJ' + b, random: a + b}
  },
  (r) => {
    const random = pick(r, BASE62, 36)
    return {kind: 'npm token', value: 'npm' + '_' + random, random}
  },
  (r) => {
    const random = pick(r, BASE62, 99)
    return {kind: 'Stripe key', value: 'sk' + '_live_' + random, random}
  },
  (r) => {
    const random = pick(r, BASE64URL, 43)
    const b64 = (s: string) => Buffer.from(s).toString('base64url')
    return {kind: 'JWT', value: b64('{"alg":"HS256","typ":"JWT"}') + '.' + b64('{"sub":"bot"}') + '.' + random, random}
  },
  (r) => {
    const random = pick(r, BASE62, 24)
    return {kind: 'credentials in a URL', value: `https://deploy:${random}@git.internal.corp/repo.git`, random}
  },
  (r) => {
    const random = pick(r, BASE64, 256)
    const body = random.match(/.{1,64}/g)!.join('\n')
    return {kind: 'private key', value: '-----BEGIN ' + 'PRIVATE KEY-----\n' + body + '\n-----END ' + 'PRIVATE KEY-----\n', random}
  },
]

export const fakeSecret: fc.Arbitrary<FakeSecret> = fc
  .tuple(fc.nat({max: SECRETS.length - 1}), fc.integer())
  .map(([kind, seed]) => SECRETS[kind](prng(seed)))

/** Pieces of the random part a leak would show: every 8-character window. */
export function fragments(random: string): string[] {
  const clean = random.replace(/\n/g, '')
  const out: string[] = []
  for (let i = 0; i + 8 <= clean.length; i += 4) out.push(clean.slice(i, i + 8))
  return out
}

/** A manifest with a fake secret in one free-text field (alone, or inside a sentence). */
export const secretManifest: fc.Arbitrary<Case & {secret: FakeSecret; path: string}> = fc
  .record({
    example: fc.nat({max: examples.length - 1}),
    field: fc.nat(),
    secret: fakeSecret,
    sentence: fc.boolean(),
    style: fc.constantFrom<Style>('yaml', 'json', 'yaml-crlf-bom'),
  })
  .map(({example, field, secret, sentence, style}) => {
    const e = examples[example]
    const fields = freeText.get(e.name)!
    const path = fields[field % fields.length]
    const value = setAt(clone(e.value), path, sentence ? `use ${secret.value} for now` : secret.value)
    return {from: e.name, text: serialise(value, style), injected: [secret.value], secret, path: formatPath(path)}
  })
