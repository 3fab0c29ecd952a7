import * as Args from '@oclif/core/args'
import {BaseCommand} from '../cli/base-command.js'
import {loadCatalogWith} from '../cli/catalog.js'
import {catalogFlag} from '../cli/flags.js'
import {paint} from '../cli/style.js'
import {table, wrap} from '../cli/table.js'
import {resolveItemId, type Framework, type FrameworkItem} from '../core/catalog.js'
import {inputError} from '../core/errors.js'
import {suggest} from '../core/schema-errors.js'

function itemJson(item: FrameworkItem) {
  return {
    id: item.id,
    name: item.name,
    ...(item.parent ? {parent: item.parent} : {}),
    description: item.description,
    threats: item.threats,
    controls: item.controls ?? [],
    ...(item.outOfScope ? {outOfScope: item.outOfScope} : {}),
  }
}

function frameworkJson(f: Framework, items = f.items) {
  return {id: f.id, name: f.name, version: f.version, source: f.source, items: items.map(itemJson)}
}

export default class Frameworks extends BaseCommand<typeof Frameworks> {
  static override summary = 'Browse the frameworks and how their items map to threats and controls.'
  static override description =
    'Lists the frameworks leash assesses against, one framework with its items and the threats behind each, or one item in full. Item ids are accepted in their short forms too (NHI2, NHI-02, LLM01).'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> owasp-nhi',
    '<%= config.bin %> <%= command.id %> owasp-agentic ASI03',
    '<%= config.bin %> <%= command.id %> atlas --json',
  ]
  static override args = {
    id: Args.string({description: 'a framework id (owasp-nhi, owasp-agentic, maestro, atlas, nist-ai-rmf, owasp-llm, …)'}),
    item: Args.string({description: 'an item id within the framework (NHI7:2025, ASI03, AML.T0051, GOVERN 1.1, …)'}),
  }
  static override flags = {catalog: catalogFlag}

  async run(): Promise<void> {
    const catalog = await loadCatalogWith(this.root, this.flags.catalog)
    const p = paint(process.stdout)
    if (!this.args.id) {
      if (this.jsonEnabled()) return this.printJson({frameworks: catalog.frameworks.map((f) => frameworkJson(f))})
      process.stdout.write(
        table(
          ['ID', 'FRAMEWORK', 'VERSION', 'ITEMS', 'IN SCOPE'],
          catalog.frameworks.map((f) => [
            f.id,
            f.name,
            f.version,
            String(f.items.length),
            String(f.items.filter((i) => !i.outOfScope).length),
          ]),
        ),
      )
      process.stdout.write(
        `\nShow one with \`${this.config.bin} frameworks ID\`, one item with \`${this.config.bin} frameworks ID ITEM\`.\n`,
      )
      return
    }
    const framework = catalog.frameworks.find((f) => f.id === this.args.id)
    if (!framework) {
      const close = suggest(
        this.args.id,
        catalog.frameworks.map((f) => f.id),
      )
      throw inputError(
        'unknown-id',
        `no framework "${this.args.id}"${close ? ` (did you mean ${close}?)` : ''}; known: ${catalog.frameworks.map((f) => f.id).join(', ')}`,
      )
    }
    if (!this.args.item) {
      if (this.jsonEnabled()) return this.printJson({frameworks: [frameworkJson(framework)]})
      process.stdout.write(`${p('bold', framework.name)} (${framework.version})\n${framework.source}\n\n`)
      process.stdout.write(
        table(
          ['ID', 'NAME', 'THREATS'],
          framework.items.map((i) => [i.id, i.name, i.outOfScope ? `out of scope: ${i.outOfScope}` : i.threats.join(' ')]),
        ),
      )
      return
    }
    const id = resolveItemId(framework, this.args.item)
    const item = framework.items.find((i) => i.id === id)
    if (!item) {
      const close = suggest(
        this.args.item,
        framework.items.map((i) => i.id),
      )
      throw inputError('unknown-id', `no item "${this.args.item}" in ${framework.id}${close ? ` (did you mean ${close}?)` : ''}`)
    }
    if (this.jsonEnabled()) return this.printJson({frameworks: [frameworkJson(framework, [item])]})
    const out = [`${p('bold', item.id)}  ${item.name}  (${framework.name})\n`]
    if (item.parent) out.push(`part of ${item.parent} ${framework.items.find((i) => i.id === item.parent)?.name ?? ''}\n`)
    out.push(`\n${wrap(item.description)}`)
    if (item.outOfScope) out.push(`\n${p('bold', 'Out of scope')}: ${item.outOfScope}\n`)
    out.push(`\n${p('bold', 'Threats')}\n`)
    for (const t of item.threats) out.push(`  ${t.padEnd(32)} ${catalog.threats.get(t)?.title ?? ''}\n`)
    if (item.controls?.length) {
      out.push(`\n${p('bold', 'Controls')}\n`)
      for (const c of item.controls) out.push(`  ${c.padEnd(34)} ${catalog.controls.get(c)?.title ?? ''}\n`)
    }
    process.stdout.write(out.join(''))
  }
}
