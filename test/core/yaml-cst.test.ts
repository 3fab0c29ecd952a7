/**
 * cstWalk reads positions from yaml's syntax tree; the composed Document is the reference. On
 * every path of every YAML file in the project, of hand-written edge cases and of generated
 * documents, it either agrees with the Document exactly or leaves the answer to it.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import jsYaml from 'js-yaml'
import {describe, expect, it} from 'vitest'
import {Parser, stringify} from 'yaml'
import {Locator} from '../../src/core/document.js'
import type {Path} from '../../src/core/paths.js'
import {cstWalk} from '../../src/core/yaml-cst.js'
import {ROOT} from '../helpers/shared.js'

/** Every path of a value (keys and indexes), and for each a missing key and index below it. */
function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at, [...at, 'no-such-key'], [...at, 99])
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out))
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out)
  return out
}

/** How many paths (of the value, and the extra ones) the syntax tree answered; throws on the first disagreement. */
function compare(text: string, label: string, extra: Path[] = []): {answered: number; total: number} {
  const tokens = [...new Parser().parse(text)]
  const locator = new Locator(text)
  let value: unknown
  try {
    value = jsYaml.load(text, {schema: jsYaml.CORE_SCHEMA})
  } catch {
    value = undefined
  }
  const all = [...pathsOf(value), ...extra]
  let answered = 0
  for (const path of all) {
    const fast = cstWalk(tokens, path)
    if (fast === undefined) continue
    answered++
    expect(fast, `${label} ${JSON.stringify(path)}`).toEqual(locator.composedWalk(path))
  }
  return {answered, total: all.length}
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yamlFiles(path, out)
    else if (/\.ya?ml$/.test(name)) out.push(path)
  }
  return out
}

describe('cstWalk', () => {
  it('agrees with the composed Document on every path of every YAML file of the project, and answers most', () => {
    let answered = 0
    let total = 0
    const files = [...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test', 'fixtures'))]
    expect(files.length).toBeGreaterThan(20)
    for (const file of files) {
      const r = compare(readFileSync(file, 'utf8'), file)
      answered += r.answered
      total += r.total
    }
    expect(answered / total).toBeGreaterThan(0.9)
  })

  it('answers the examples without composing a Document', () => {
    const text = readFileSync(join(ROOT, 'examples', 'refactoring-agent.yaml'), 'utf8')
    const {answered, total} = compare(text, 'refactoring-agent')
    expect(answered).toBe(total)
  })

  it.each([
    ['comments between items', 'a: 1\n# note\nb:\n  # inner\n  - x # trailing\n  # between\n  - y\nc: {p: 1, q: [2, 3]} # end\n'],
    ['flow collections over lines', 'a: {\n  p: 1,\n  q: [\n    2,\n    3,\n  ],\n}\nb: [x, {y: 1}]\n'],
    ['quoted keys', `"a": 1\n'b c': 2\n"d\\te": 3\n'it''s': 4\n"": 5\n`],
    ['an unclosed quoted key', "@: >: \"'b'`...true  "],
    ['an unclosed single-quoted key', "a: 1\n'b: 2\nc: 3\n"],
    ['keys YAML reads as other types', '1: a\n1.0: b\n0x1F: c\n~: d\nnull: e\ntrue: f\nFalse: g\n.inf: h\n-1: i\n+2: j\n'],
    ['empty values', 'a:\nb: ~\nc:\n  - \n  -\nd: {e: , f}\ng: []\nh: {}\n'],
    ['aliases and anchors', 'base: &b {x: 1, y: [2]}\nuse: *b\nlist: &l\n  - 1\nagain: *l\nkey: &k v\n*k : w\n'],
    ['explicit, tagged and anchored keys', '? a\n: 1\n!!str 2: 3\n&k c: 4\n? [x]\n: 5\nd: 6\n'],
    [
      'tags on values',
      'a: !!str 1\nb: !custom {x: 1}\nc: !!seq\n  - 1\nd: !!omap\n  - p: 1\n  - q: 2\ne: !!pairs\n  - [a, ]\n- !!set {x}\n',
    ],
    ['a tagged document', '--- !!omap\n- a: 1\n- b: 2\n'],
    ['block scalars', 'a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: |+\n\nd: x\n'],
    ['multi-line scalars', 'a: one\n  two\nb: "x\n  y"\nc: [p\n  q]\n'],
    ['a document start and end', '---\na: 1\nb: [2]\n...\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a %YAML 1.1 directive', '%YAML 1.1\n---\nyes: 1\non: 2\nx: 3\n'],
    ['CRLF line ends', 'a:\r\n  b: 1\r\n  c: [2, 3]\r\nd: "x"\r\n'],
    ['nested lists', '- - a\n  - b\n- - c\n-\n  - d\n'],
    ['a scalar document', 'just text\n'],
    ['an empty document', '# only a comment\n'],
    ['syntax errors', 'a: [1, 2\nb: 3\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n'],
    ['tabs and odd spacing', 'a:   1\nb:\t2\nc  : 3\n"d"  :  [ 4 ,5 ]\n'],
  ])('agrees on %s', (name, text) => {
    const extra: Path[] = [
      [],
      ["'b'`...true  "],
      ['b: 2'],
      ['b: 2\nc: 3\n'],
      ['@'],
      ['a'],
      ['a', 'b'],
      ['a', 0],
      ['a', 'p'],
      ['b'],
      ['c'],
      ['c', 0],
      ['d'],
      ['d', 0],
      ['d', 0, 'p'],
      ['e'],
      ['e', 0],
      ['1'],
      ['null'],
      ['true'],
      [0],
      [0, 0],
      [1, 0],
      [2, 0],
    ]
    compare(text, name, extra)
  })

  it('agrees on random soups of YAML tokens, broken ones included', () => {
    const piece = fc.constantFrom(
      ...['a', 'b', '"a"', "'b'", '"a\\nb"', "'it''s'", '1', '~', 'null', 'x y', '@', '`', '&x', '*x', '!!str', '!!omap', '!t'],
      ...['[', ']', '{', '}', ',', ': ', ':', '- ', '? ', '# c', '|', '>-', '|2', '"', "'", '...', '---', '%YAML 1.2'],
      ...['\t', ' ', '\n', '\r\n', 'v', 'true', '0x1', '.5'],
    )
    const line = fc.tuple(fc.constantFrom('', ' ', '  ', '    ', '\t'), fc.array(piece, {maxLength: 6}))
    const text = fc.array(line, {maxLength: 8}).map((lines) => lines.map(([indent, parts]) => indent + parts.join('')).join('\n'))
    const paths: Path[] = [[], [0], [1], [0, 'a'], [0, 0], [1, 'b']]
    for (const a of ['a', 'b', 'x y', "it's", '@', 'a\nb', 'v'])
      for (const b of [undefined, 'a', 'b', 0, 1]) paths.push(b === undefined ? [a] : [a, b])
    fc.assert(
      fc.property(text, (t) => {
        compare(t, JSON.stringify(t), paths)
      }),
      {numRuns: 3000, seed: 20261127},
    )
  })

  it('agrees on generated documents in every style', () => {
    const key = fc.oneof(
      fc.constantFrom(
        'name',
        'agent',
        'mode',
        'a b',
        'x-y',
        'café',
        '1',
        '1.5',
        'null',
        'true',
        '~',
        '#x',
        'a: b',
        '- a',
        '"q"',
        "it's",
        '',
      ),
      fc.string({maxLength: 6}),
    )
    const scalar = fc.oneof(fc.string({maxLength: 12}), fc.integer(), fc.double({noNaN: true}), fc.boolean(), fc.constant(null))
    const value = fc.letrec((tie) => ({
      node: fc.oneof({depthSize: 'small'}, scalar, tie('list'), tie('map')),
      list: fc.array(tie('node'), {maxLength: 4}),
      map: fc.dictionary(key, tie('node'), {maxKeys: 4}),
    })).map
    const options = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      indent: fc.integer({min: 1, max: 4}),
      indentSeq: fc.boolean(),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      lineWidth: fc.constantFrom(0, 20, 80),
    })
    // comment lines anywhere and CRLF line ends: the same text for both readers, whatever it means
    const variant = fc.record({comments: fc.array(fc.nat(), {maxLength: 3}), crlf: fc.boolean()})
    const dress = (text: string, {comments, crlf}: {comments: number[]; crlf: boolean}) => {
      const lines = text.split('\n')
      for (const at of comments) lines.splice(at % (lines.length + 1), 0, '# a comment')
      return lines.join(crlf ? '\r\n' : '\n')
    }
    let answered = 0
    let total = 0
    const count = (r: {answered: number; total: number}) => {
      answered += r.answered
      total += r.total
    }
    fc.assert(
      fc.property(value, options, variant, (v, o, d) => {
        const text = dress(stringify(v, null, o as Parameters<typeof stringify>[2]), d)
        count(compare(text, text))
      }),
      {numRuns: 400, seed: 20261127},
    )
    const dumpOptions = fc.record({
      flowLevel: fc.integer({min: -1, max: 3}),
      indent: fc.integer({min: 1, max: 4}),
      quotingType: fc.constantFrom("'", '"'),
      forceQuotes: fc.boolean(),
      noArrayIndent: fc.boolean(),
    })
    fc.assert(
      fc.property(value, dumpOptions, variant, (v, o, d) => {
        const text = dress(jsYaml.dump(v, {...o, quotingType: o.quotingType as "'" | '"'}), d)
        count(compare(text, text))
      }),
      {numRuns: 400, seed: 20261127},
    )
    // not a test that passes by answering nothing
    expect(answered / total).toBeGreaterThan(0.7)
  })
})
