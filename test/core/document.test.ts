import {describe, expect, it} from 'vitest'
import {decodeText, parseText, DEFAULT_LIMITS} from '../../src/core/document.js'
import {InputError} from '../../src/core/errors.js'

function problem(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('parseText', () => {
  it('reads YAML and locates values, keys and absent paths', () => {
    const doc = parseText('a:\n  b: [1, 2]\n  c: x\nd: 4\n', 'f.yaml')
    expect(doc.value).toEqual({a: {b: [1, 2], c: 'x'}, d: 4})
    expect(doc.locate(['a', 'b'])).toEqual({line: 2, column: 6, found: true})
    expect(doc.locate(['a', 'b', 1])).toEqual({line: 2, column: 10, found: true})
    expect(doc.locateKey(['a', 'c'])).toEqual({line: 3, column: 3})
    // absent: the closest present ancestor's key
    expect(doc.locate(['a', 'zz', 'y'])).toEqual({line: 1, column: 1, found: false})
    expect(doc.locate(['d', 'x'])).toMatchObject({line: 4, found: false})
    expect(doc.locate(['nothing'])).toEqual({line: 1, column: 1, found: false})
  })

  it('keeps dates and versions as text (YAML 1.2 core schema)', () => {
    const doc = parseText('when: 2026-11-27\nttl: PT1H\n', 'f.yaml')
    expect(doc.value).toEqual({when: '2026-11-27', ttl: 'PT1H'})
  })

  it('names a duplicate key and both of its lines', () => {
    const e = problem(() => parseText('a: 1\nb: 2\na: 3\n', 'dup.yaml'))
    expect(e.diagnostics[0]).toMatchObject({code: 'duplicate-key', file: 'dup.yaml', line: 3, path: 'a'})
    expect(e.message).toContain('the key "a" appears twice (lines 1 and 3)')
  })

  it('refuses duplicate keys in JSON, which JSON.parse would accept silently', () => {
    const e = problem(() => parseText('{"a": 1,\n "a": 2}', 'dup.json'))
    expect(e.diagnostics[0]).toMatchObject({code: 'duplicate-key', line: 2})
  })

  it.each([
    ['__proto__', 'a:\n  __proto__: {polluted: true}\n'],
    ['constructor', 'constructor: {prototype: {polluted: true}}\n'],
    ['prototype', 'x:\n  - prototype: 1\n'],
  ])('refuses the key %s and pollutes no prototype', (key, text) => {
    const e = problem(() => parseText(text, 'p.yaml'))
    expect(e.diagnostics[0].code).toBe('forbidden-key')
    expect(e.message).toContain(`"${key}"`)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses __proto__ in JSON', () => {
    expect(problem(() => parseText('{"__proto__": {"polluted": true}}', 'p.json')).diagnostics[0].code).toBe('forbidden-key')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('stops an alias bomb before expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    const start = performance.now()
    const e = problem(() => parseText(levels.join('\n'), 'bomb.yaml'))
    expect(performance.now() - start).toBeLessThan(1000)
    expect(e.diagnostics[0].code).toBe('limit-aliases')
  })

  it('limits the number of alias references', () => {
    const text = `base: &b {x: 1}\nlist:\n${Array.from({length: 150}, () => '  - *b').join('\n')}\n`
    expect(problem(() => parseText(text, 'many.yaml')).message).toContain('more than 100 alias references')
  })

  it('refuses a self-referencing alias', () => {
    const e = problem(() => parseText('a: &a\n  b: *a\n', 'cycle.yaml'))
    expect(['limit-aliases', 'syntax']).toContain(e.diagnostics[0].code)
  })

  it.each([
    ['flow YAML', 'deep.yaml', '['.repeat(50_000) + ']'.repeat(50_000)],
    ['compact block YAML', 'deep.yaml', '- '.repeat(50_000) + 'x\n'],
    ['indented block YAML', 'deep.yaml', Array.from({length: 200}, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'],
    ['JSON', 'deep.json', '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)],
  ])('refuses 50,000-deep nesting in %s quickly, without a stack overflow', (_kind, file, text) => {
    const start = performance.now()
    const e = problem(() => parseText(text, file))
    expect(performance.now() - start).toBeLessThan(1000)
    expect(e.diagnostics[0].code).toBe('limit-depth')
    expect(e.message).toContain(`deeper than the limit of ${DEFAULT_LIMITS.maxDepth} levels`)
  })

  it.each([
    ['too many nodes', 'list: [' + Array(3000).fill('1').join(', ') + ']\n', {maxNodes: 2000}],
    ['nesting over the limit', 'a:\n  b:\n    c:\n      d: [1]\n', {maxDepth: 3}],
    ['a forbidden key', 'a:\n  - x: 1\n  - constructor: 2\n', {}],
  ])('refuses %s in a tree without aliases exactly as the full walk does', (_problem, text, limits) => {
    // a `*` anywhere (here in a comment) makes the check take its full walk, which counts aliases
    const fast = problem(() => parseText(text, 'f.yaml', {...DEFAULT_LIMITS, ...limits}))
    const full = problem(() => parseText(`${text}# * \n`, 'f.yaml', {...DEFAULT_LIMITS, ...limits}))
    expect(fast.diagnostics).toEqual(full.diagnostics)
    expect(fast.diagnostics[0].line).toBeGreaterThan(0)
  })

  it('accepts a tree at the node limit', () => {
    const text = 'list: [' + Array(1998).fill('1').join(', ') + ']\n' // root, list and 1,998 items
    expect(() => parseText(text, 'f.yaml', {...DEFAULT_LIMITS, maxNodes: 2000})).not.toThrow()
    expect(() => parseText(text, 'f.yaml', {...DEFAULT_LIMITS, maxNodes: 1999})).toThrow(/more than 1999 nodes/)
  })

  it('accepts nesting up to the limit', () => {
    expect(() => parseText('['.repeat(60) + ']'.repeat(60), 'ok.yaml')).not.toThrow()
  })

  it('refuses text over the size limit', () => {
    expect(problem(() => parseText('a: 1\n', 'big.yaml', {...DEFAULT_LIMITS, maxBytes: 3})).diagnostics[0].code).toBe('limit-size')
  })

  it('reports a syntax error with its line', () => {
    const e = problem(() => parseText('a: [1, 2\nb: c\n', 'syn.yaml'))
    expect(e.diagnostics[0]).toMatchObject({code: 'syntax', file: 'syn.yaml'})
    expect(e.diagnostics[0].line).toBeGreaterThan(0)
  })

  it('accepts CRLF line endings with the same positions', () => {
    const doc = parseText('a: 1\r\nb:\r\n  c: 2\r\n', 'crlf.yaml')
    expect(doc.value).toEqual({a: 1, b: {c: 2}})
    expect(doc.locate(['b', 'c'])).toMatchObject({line: 3, column: 6})
  })
})

describe('decodeText', () => {
  it('drops a UTF-8 BOM', () => {
    expect(decodeText(Buffer.from('\uFEFFa: 1\n', 'utf8'), 'bom.yaml')).toBe('a: 1\n')
  })
  it('refuses binary content', () => {
    expect(problem(() => decodeText(Buffer.from([0x61, 0x00, 0x62]), 'bin.yaml')).diagnostics[0].code).toBe('binary')
  })
  it('refuses invalid UTF-8', () => {
    expect(problem(() => decodeText(Buffer.from([0x61, 0xff, 0xfe, 0x62]), 'latin.yaml')).diagnostics[0].code).toBe('encoding')
  })
})
