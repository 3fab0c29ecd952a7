// Precompile the report templates (templates/*.hbs, partials in templates/partials/*.hbs) into
// src/generated/templates.js, so that run time needs only `handlebars/runtime`.
//
// Every template is compiled in strict mode (a missing field throws), and checked first: a value
// may be printed only through the escaping helpers `e` (Markdown/HTML text) and `mermaid`
// (Mermaid labels), each with exactly one argument; `{{{ }}}`, `{{& }}`, bare `{{value}}` and
// any other helper are refused. That is what makes every report escape every value.
//
// Usage: node scripts/precompile-templates.mjs  (build.mjs calls it with the `generate` step)
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import HandlebarsModule from 'handlebars'

const Handlebars = HandlebarsModule.default ?? HandlebarsModule
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const templatesDir = join(root, 'templates')
const outDir = join(root, 'src/generated')

/** The only helpers a template may print with. */
export const PRINT_HELPERS = new Set(['e', 'mermaid'])
/** The only block helpers a template may use. */
export const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with'])

/** Every problem with one template's use of mustaches, as `file:line:column message`. */
export function checkTemplate(source, file) {
  const problems = []
  const at = (node) => `${file}:${node.loc?.start.line ?? 0}:${(node.loc?.start.column ?? 0) + 1}`
  const visit = (node) => {
    if (!node || typeof node !== 'object') return
    switch (node.type) {
      case 'Program':
        node.body.forEach(visit)
        return
      case 'MustacheStatement': {
        if (!node.escaped) problems.push(`${at(node)} raw output ({{{ }}} or {{& }}) is not allowed; print with {{e value}}`)
        const name = node.path.type === 'PathExpression' ? node.path.original : String(node.path.value)
        if (!PRINT_HELPERS.has(name) || node.params.length !== 1 || (node.hash && node.hash.pairs.length > 0)) {
          problems.push(
            `${at(node)} {{${name}${node.params.length ? ' …' : ''}}} prints a value without escaping; use {{e value}} (or {{mermaid value}} in a Mermaid label)`,
          )
        }
        node.params.forEach(visitExpression)
        return
      }
      case 'BlockStatement': {
        const name = node.path.original
        if (!BLOCK_HELPERS.has(name))
          problems.push(`${at(node)} {{#${name}}} is not an allowed block helper (${[...BLOCK_HELPERS].join(', ')})`)
        node.params.forEach(visitExpression)
        visit(node.program)
        visit(node.inverse)
        return
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        if (node.name.type !== 'PathExpression') problems.push(`${at(node)} dynamic partials are not allowed`)
        visit(node.program)
        return
      case 'DecoratorBlock':
      case 'Decorator':
        problems.push(`${at(node)} decorators are not allowed`)
        return
      default:
        return // ContentStatement, CommentStatement
    }
  }
  const visitExpression = (node) => {
    if (node?.type === 'SubExpression') problems.push(`${at(node)} subexpressions are not allowed; compute the value in the view`)
  }
  visit(Handlebars.parse(source))
  return problems
}

function collect(dir) {
  return readdirSync(dir, {withFileTypes: true})
    .filter((d) => d.isFile() && d.name.endsWith('.hbs'))
    .map((d) => d.name)
    .sort()
}

/** The generated module and its declarations, as text; throws when a template breaks the escaping rule. */
export function compileTemplates() {
  const problems = []
  const compile = (dir, name) => {
    const path = join(dir, name)
    const source = readFileSync(path, 'utf8').replace(/\r\n?/g, '\n')
    const shown = relative(root, path).split('\\').join('/')
    problems.push(...checkTemplate(source, shown))
    return Handlebars.precompile(source, {strict: true, preventIndent: false})
  }
  const templates = collect(templatesDir).map((name) => [name.replace(/\.hbs$/, ''), compile(templatesDir, name)])
  const partialsDir = join(templatesDir, 'partials')
  const partials = collect(partialsDir).map((name) => [name.replace(/\.hbs$/, ''), compile(partialsDir, name)])
  if (problems.length > 0) {
    throw new Error(`templates/ breaks the escaping rule:\n  ${problems.join('\n  ')}`)
  }
  const entries = (list) => list.map(([name, spec]) => `  ${JSON.stringify(name)}: ${spec},`).join('\n')
  const js = `// Generated from templates/ by scripts/precompile-templates.mjs. Do not edit.
/* eslint-disable */
export const templates = {
${entries(templates)}
}
export const partials = {
${entries(partials)}
}
`
  const dts = `// Generated from templates/ by scripts/precompile-templates.mjs. Do not edit.
/** Precompiled template specifications, for Handlebars.template() of handlebars/runtime. */
export declare const templates: Record<${templates.map(([n]) => JSON.stringify(n)).join(' | ') || 'string'}, object>
export declare const partials: Record<string, object>
`
  return {js, dts, templates: templates.map(([n]) => n), partials: partials.map(([n]) => n)}
}

/** Write src/generated/templates.js and templates.d.ts. */
export function precompileAll() {
  const out = compileTemplates()
  mkdirSync(outDir, {recursive: true})
  writeFileSync(join(outDir, 'templates.js'), out.js)
  writeFileSync(join(outDir, 'templates.d.ts'), out.dts)
  return out
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    precompileAll()
  } catch (error) {
    process.stderr.write(`${error.message}\n`)
    process.exitCode = 1
  }
}
