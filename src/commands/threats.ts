import * as Args from '@oclif/core/args'
import {BaseCommand} from '../cli/base-command.js'
import {loadCatalogWith} from '../cli/catalog.js'
import {catalogFlag} from '../cli/flags.js'
import {paint} from '../cli/style.js'
import {table, wrap} from '../cli/table.js'
import type {Catalog, Threat} from '../core/catalog.js'
import {describeCondition} from '../core/describe.js'
import {inputError} from '../core/errors.js'
import {suggest} from '../core/schema-errors.js'

export function threatJson(catalog: Catalog, t: Threat) {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    layers: t.layers,
    likelihood: t.likelihood,
    impact: t.impact,
    mappings: catalog.threatMappings.get(t.id) ?? {},
    controls: t.controls.map((m) => ({id: m.id, likelihood: m.likelihood ?? 0, impact: m.impact ?? 0})),
  }
}

/** Find a catalog entry by id (case-insensitive), or explain with the closest id. */
export function findById<T>(map: Map<string, T>, id: string, kind: string): T {
  const found = map.get(id) ?? map.get(id.toUpperCase())
  if (found) return found
  const close = suggest(id.toUpperCase(), [...map.keys()])
  throw inputError('unknown-id', `no ${kind} "${id}"${close ? ` (did you mean ${close}?)` : ''}`)
}

export default class Threats extends BaseCommand<typeof Threats> {
  static override summary = 'List the threat catalog, or show one threat in full.'
  static override description =
    'Threats specific to coding agents as non-human identities: when each applies (conditions over manifest fields), how likely and how bad, the controls that mitigate it, and where it sits in each framework.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> THR-SECRET-EXPOSURE',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override args = {id: Args.string({description: 'a threat id (THR-…)'})}
  static override flags = {catalog: catalogFlag}

  async run(): Promise<void> {
    const catalog = await loadCatalogWith(this.root, this.flags.catalog)
    const threats = this.args.id ? [findById(catalog.threats, this.args.id, 'threat')] : [...catalog.threats.values()]
    if (this.jsonEnabled()) {
      this.printJson({threats: threats.map((t) => threatJson(catalog, t))})
      return
    }
    if (!this.args.id) {
      process.stdout.write(
        table(
          ['ID', 'TITLE', 'LAYERS', 'L×I', 'CONTROLS'],
          threats.map((t) => [t.id, t.title, t.layers.join(' '), `${t.likelihood.base}×${t.impact.base}`, String(t.controls.length)]),
        ),
      )
      process.stdout.write(`\n${threats.length} threats. Show one with \`${this.config.bin} threats ID\`.\n`)
      return
    }
    process.stdout.write(describeThreat(catalog, threats[0]))
  }
}

function describeThreat(catalog: Catalog, t: Threat): string {
  const c = paint(process.stdout)
  const out: string[] = []
  out.push(`${c('bold', t.id)}  ${t.title}\n`)
  out.push(wrap(t.description))
  out.push(
    `\n${c('bold', 'MAESTRO layers')}  ${t.layers.map((l) => `${l} ${catalog.frameworks.find((f) => f.id === 'maestro')?.items.find((i) => i.id === l)?.name ?? ''}`.trim()).join('; ')}\n`,
  )
  out.push(`${c('bold', 'Likelihood')}  ${t.likelihood.base}/5: ${t.likelihood.rationale}\n`)
  out.push(`${c('bold', 'Impact')}      ${t.impact.base}/5: ${t.impact.rationale}\n`)
  out.push(`\n${c('bold', 'Applies when')}\n${describeCondition(t.when, '  ').join('\n')}\n`)
  if (t.modifiers?.length) {
    out.push(`\n${c('bold', 'Raised or lowered by')}\n`)
    for (const m of t.modifiers) {
      const moves = [
        m.likelihood ? `likelihood ${m.likelihood > 0 ? '+' : ''}${m.likelihood}` : '',
        m.impact ? `impact ${m.impact > 0 ? '+' : ''}${m.impact}` : '',
      ]
        .filter(Boolean)
        .join(', ')
      out.push(`  ${moves}: ${m.reason}\n${describeCondition(m.when, '      ').join('\n')}\n`)
    }
  }
  out.push(`\n${c('bold', 'Mitigated by')}\n`)
  for (const m of t.controls) {
    const ctl = catalog.controls.get(m.id)
    out.push(`  ${m.id.padEnd(34)} −${m.likelihood ?? 0} likelihood, −${m.impact ?? 0} impact  ${ctl?.title ?? ''}\n`)
  }
  out.push(`\n${c('bold', 'Framework mappings')}\n`)
  const mappings = catalog.threatMappings.get(t.id) ?? {}
  for (const f of catalog.frameworks) {
    const ids = mappings[f.id] ?? []
    const names = ids.map((id) => `${id} ${f.items.find((i) => i.id === id)?.name ?? ''}`.trim())
    out.push(`  ${f.id.padEnd(14)} ${names.length ? names.join('; ') : '—'}\n`)
  }
  return out.join('')
}
