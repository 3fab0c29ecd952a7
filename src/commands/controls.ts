import * as Args from '@oclif/core/args'
import {BaseCommand} from '../cli/base-command.js'
import {loadCatalogWith} from '../cli/catalog.js'
import {catalogFlag} from '../cli/flags.js'
import {paint} from '../cli/style.js'
import {table, wrap} from '../cli/table.js'
import type {Catalog, Control} from '../core/catalog.js'
import {describeCondition} from '../core/describe.js'
import {findById} from './threats.js'

function controlJson(catalog: Catalog, c: Control) {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    evidence: c.evidence,
    effort: c.effort,
    threats: catalog.controlThreats.get(c.id) ?? [],
    frameworks: Object.fromEntries(
      catalog.frameworks.map((f) => [f.id, f.items.filter((i) => i.controls?.includes(c.id)).map((i) => i.id)]),
    ),
  }
}

export default class Controls extends BaseCommand<typeof Controls> {
  static override summary = 'List the control catalog, or show one control in full.'
  static override description =
    'Controls that bound a coding agent: what each is, how to evidence it, its effort, the manifest fields that show it is in place, and the threats it mitigates.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> CTL-EPHEMERAL-SANDBOX',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override args = {id: Args.string({description: 'a control id (CTL-…)'})}
  static override flags = {catalog: catalogFlag}

  async run(): Promise<void> {
    const catalog = await loadCatalogWith(this.root, this.flags.catalog)
    const controls = this.args.id ? [findById(catalog.controls, this.args.id, 'control')] : [...catalog.controls.values()]
    if (this.jsonEnabled()) {
      this.printJson({controls: controls.map((c) => controlJson(catalog, c))})
      return
    }
    if (!this.args.id) {
      process.stdout.write(
        table(
          ['ID', 'EFFORT', 'TITLE', 'THREATS', 'SHOWN BY FIELDS'],
          controls.map((c) => [
            c.id,
            c.effort,
            c.title,
            String(catalog.controlThreats.get(c.id)?.length ?? 0),
            c.detectedBy ? 'yes' : 'declare it',
          ]),
        ),
      )
      process.stdout.write(`\n${controls.length} controls. Show one with \`${this.config.bin} controls ID\`.\n`)
      return
    }
    const c = controls[0]
    const p = paint(process.stdout)
    const out = [
      `${p('bold', c.id)}  ${c.title}  (effort: ${c.effort})\n`,
      wrap(c.description),
      `\n${p('bold', 'Evidence')}\n`,
      wrap(c.evidence, undefined, '  '),
    ]
    out.push(`\n${p('bold', 'In place when')}\n`)
    out.push(
      c.detectedBy
        ? `${describeCondition(c.detectedBy, '  ').join('\n')}\n`
        : `  no manifest field shows it: declare it under controls: with its evidence\n`,
    )
    if (c.partialWhen) out.push(`\n${p('bold', 'Partly in place when')}\n${describeCondition(c.partialWhen, '  ').join('\n')}\n`)
    out.push(`\n${p('bold', 'Mitigates')}\n`)
    for (const id of catalog.controlThreats.get(c.id) ?? []) {
      const t = catalog.threats.get(id)!
      const m = t.controls.find((x) => x.id === c.id)!
      out.push(`  ${id.padEnd(32)} −${m.likelihood ?? 0} likelihood, −${m.impact ?? 0} impact  ${t.title}\n`)
    }
    process.stdout.write(out.join(''))
  }
}
