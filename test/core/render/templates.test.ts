import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {checkTemplate, compileTemplates} from '../../../scripts/precompile-templates.mjs'
import {ROOT} from '../../helpers/shared.js'

const check = checkTemplate as (source: string, file: string) => string[]

describe('precompiled templates', () => {
  it('src/generated/templates.js is current with templates/ (rebuild with node scripts/precompile-templates.mjs)', () => {
    const {js} = (compileTemplates as () => {js: string})()
    expect(readFileSync(join(ROOT, 'src/generated/templates.js'), 'utf8')).toBe(js)
  })

  it('every value is printed through the escaping helpers', () => {
    expect(check('{{e name}} {{mermaid label}} {{#each xs}}{{e this}}{{/each}} {{#if a}}{{> part}}{{/if}}', 't.hbs')).toEqual([])
  })

  it.each([
    ['{{{name}}}', 'raw output'],
    ['{{& name}}', 'raw output'],
    ['{{name}}', 'without escaping'],
    ['{{e}}', 'without escaping'],
    ['{{e a b}}', 'without escaping'],
    ['{{e a key=b}}', 'without escaping'],
    ['{{lookup a b}}', 'without escaping'],
    ['{{e (lookup a b)}}', 'subexpressions'],
    ['{{#custom a}}x{{/custom}}', 'not an allowed block helper'],
    ['{{> (dynamic)}}', 'dynamic partials'],
  ])('refuses %s', (source, problem) => {
    const problems = check(source, 't.hbs')
    expect(problems.join('\n')).toContain(problem)
    expect(problems[0]).toMatch(/^t\.hbs:1:\d+ /)
  })
})
