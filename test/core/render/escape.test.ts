import fc from 'fast-check'
import {Marked, type Tokens} from 'marked'
import {describe, expect, it} from 'vitest'
import {escapeMermaid, escapeText} from '../../../src/core/render/escape.js'

const marked = new Marked({gfm: true})
const SPECIAL = /[<>"'[\]()*_\\`|#~@]/

/** What a reader should see for a value: controls as spaces, bidi overrides gone, space runs single. */
function shown(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, '')
    .replace(/[ \t]{2,}/g, ' ')
}

const decode = (html: string) =>
  html
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

// Strings rich in the characters that matter, plus anything at all.
const hostile = fc.oneof(
  fc.string({unit: fc.constantFrom(...'<>&"\'[]()*_\\`|#~@:/.wW \n\r\t-=+!{}%;1a'.split('')), maxLength: 40}),
  fc.string({unit: 'grapheme', maxLength: 30}),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[x](javascript:alert(1))',
    '![x](https://evil.example/x.png)',
    '| a | b |',
    '# heading',
    '`code`',
    'https://evil.example/',
    'www.evil.example',
    'user@evil.example',
    '<https://evil.example>',
    '&lt;script&gt;',
    '**bold** _it_ ~~del~~',
    'a\n\n# heading\n| x |',
    '\u202eevil',
  ),
)

describe('escapeText, the one escaper for Markdown and HTML', () => {
  it('leaves no character that can open markup, and no line break', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeText(s)
        expect(out.replace(/&#?\w+;/g, '')).not.toMatch(SPECIAL)
        expect(out).not.toMatch(/[\r\n\u2028\u2029]/)
        expect(out).not.toMatch(/:\/\//)
        expect(out).not.toMatch(/\bwww\./i)
      }),
    )
  })

  it('renders through marked as exactly its text: no tag, no link, no emphasis, no code', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const html = marked.parseInline(`text: ${escapeText(s)}`) as string
        expect(html).not.toMatch(/</)
        expect(decode(html)).toBe(`text: ${shown(s)}`)
      }),
    )
  })

  it('stays inside its table cell', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const tokens = marked.lexer(`| a | b |\n|---|---|\n| ${escapeText(s)} | end |\n`)
        const table = tokens.find((t) => t.type === 'table') as Tokens.Table | undefined
        expect(table).toBeDefined()
        expect(table!.rows).toHaveLength(1)
        expect(table!.rows[0]).toHaveLength(2)
        expect(table!.rows[0][1].text).toBe('end')
        expect(decode(table!.rows[0][0].text)).toBe(shown(s).trim())
      }),
    )
  })

  it('keeps a heading or list item one line of text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const tokens = marked.lexer(`## Title ${escapeText(s)}\n\n- item ${escapeText(s)}\n`).filter((t) => t.type !== 'space')
        expect(tokens.map((t) => t.type)).toEqual(['heading', 'list'])
        expect((tokens[1] as Tokens.List).items).toHaveLength(1)
      }),
    )
  })

  it('escapes the characters the brief names, as numeric or named entities', () => {
    expect(escapeText(`<>&"'[]()*_\\\`|#`)).toBe('&lt;&gt;&amp;&quot;&#39;&#91;&#93;&#40;&#41;&#42;&#95;&#92;&#96;&#124;&#35;')
    expect(escapeText('a\nb\r\nc\u2028d')).toBe('a b c d')
    expect(escapeText('see https://x.example and www.y.example or me@z.example')).toBe(
      'see https&#58;//x.example and www&#46;y.example or me&#64;z.example',
    )
    expect(escapeText(null)).toBe('')
    expect(escapeText(3)).toBe('3')
    expect(escapeText(['a', 1])).toBe('&#91;&quot;a&quot;,1&#93;')
  })
})

describe('escapeMermaid, for quoted Mermaid labels', () => {
  it('leaves nothing that ends a label or opens a shape, link, comment or HTML', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeMermaid(s).replace(/#\w+;/g, '')
        expect(out).not.toMatch(/["#&<>`[\](){}|;%\\*_~\r\n]/)
      }),
    )
    expect(escapeMermaid('a"]) --> B["x <b>')).toBe('a#quot;#93;#41; --#gt; B#91;#quot;x #lt;b#gt;')
    expect(escapeMermaid('50% #1')).toBe('50#37; #35;1')
  })
})
