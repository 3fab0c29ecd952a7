/**
 * The precompiled report templates (src/generated/templates.js, written by
 * scripts/precompile-templates.mjs) on an isolated handlebars runtime, with the two printing
 * helpers: `e` (escapeText, for Markdown and HTML) and `mermaid` (escapeMermaid, for labels in
 * a Mermaid diagram). Imported lazily with the renderers that need it.
 */
import type HandlebarsNamespace from 'handlebars'
import * as runtime from 'handlebars/runtime.js'
import {partials, templates} from '../../generated/templates.js'
import {escapeMermaid, escapeText} from './escape.js'

type Handlebars = typeof HandlebarsNamespace
type Spec = Parameters<Handlebars['template']>[0]
export type TemplateName = keyof typeof templates

const Handlebars = (runtime as unknown as {default: Handlebars}).default
let compiled: Map<TemplateName, (view: object) => string> | undefined

function setup(): Map<TemplateName, (view: object) => string> {
  const hb = Handlebars.create()
  hb.registerHelper('e', (value: unknown) => new hb.SafeString(escapeText(value)))
  hb.registerHelper('mermaid', (value: unknown) => new hb.SafeString(escapeMermaid(value)))
  for (const [name, spec] of Object.entries(partials)) hb.registerPartial(name, hb.template(spec as Spec))
  const map = new Map<TemplateName, (view: object) => string>()
  for (const [name, spec] of Object.entries(templates)) {
    const template = hb.template(spec as Spec)
    map.set(name as TemplateName, (view) => template(view, {allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false}))
  }
  return map
}

/** Run a template on a view; blank-line runs collapse and the text ends with one newline. */
export function runTemplate(name: TemplateName, view: object): string {
  compiled ??= setup()
  const template = compiled.get(name)
  if (!template) throw new Error(`no template ${name}`)
  return `${template(view)
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`
}
