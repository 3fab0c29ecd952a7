import {existsSync} from 'node:fs'
import {join} from 'node:path'
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../cli/base-command.js'
import {assessContext, assessManifest} from '../cli/assessment.js'
import {catalogFlag, dateFlag, listOf, waiversFlag} from '../cli/flags.js'
import {loadManifestFile} from '../cli/load.js'
import {writeReports} from '../cli/reports.js'
import {inputError} from '../core/errors.js'
import {FORMATS, type Format} from '../core/render/types.js'

export default class Assess extends BaseCommand<typeof Assess> {
  static override summary = 'Assess agent manifests and write risk reports.'
  static override description = `Assesses each manifest against the threat catalog and the frameworks (OWASP NHI Top 10, OWASP Top 10 for Agentic Applications, CSA MAESTRO, MITRE ATLAS, NIST AI RMF) and writes reports: Markdown and HTML by default, JSON and SARIF on request.

With no manifest it reads agent.yaml, then .leash/agent.yaml. It exits 0 whenever it ran, whatever the verdict: the gate is \`leash validate\`.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --example refactoring-agent',
    '<%= config.bin %> <%= command.id %> agent.yaml --format md,html,json,sarif --out-dir reports',
    '<%= config.bin %> <%= command.id %> agent.yaml --format md --out - > report.md',
    '<%= config.bin %> <%= command.id %> agents/*.yaml --waivers .leash/waivers.yaml --date 2026-11-27',
    '<%= config.bin %> <%= command.id %> agent.yaml --json',
  ]
  static override strict = false
  static override args = {manifest: Args.string({description: 'manifest files (YAML or JSON)'})}
  static override flags = {
    example: Flags.string({description: 'assess a bundled example by name (refactoring-agent, low-risk-assistant, …)'}),
    format: Flags.string({description: `report formats, comma-separated: ${FORMATS.join(', ')}`, default: 'md,html'}),
    'out-dir': Flags.string({description: 'folder for the report files', default: 'leash-report'}),
    out: Flags.string({description: 'write the one format asked for to this file, or - for stdout'}),
    frameworks: Flags.string({
      description: 'frameworks to show in coverage tables and mappings (comma-separated ids); never changes findings or verdict',
    }),
    waivers: waiversFlag,
    date: dateFlag,
    catalog: catalogFlag,
  }

  async run(): Promise<void> {
    const {flags} = this
    const files = this.manifestPaths()
    const context = await assessContext({root: this.root, catalogDirs: flags.catalog, waivers: flags.waivers, today: flags.date})
    const known = context.catalog.frameworks.map((f) => f.id)
    const shown = flags.frameworks ? listOf('frameworks', flags.frameworks, known) : undefined
    const formats = listOf<Format>('format', flags.format, FORMATS)
    const results = files.map((f) => assessManifest(loadManifestFile(f.path, f.display), context))

    const explicitOutput = this.argv.some((a) => /^--(format|out-dir|out)(=|$)/.test(a))
    if (this.jsonEnabled()) {
      this.printJson(results.length === 1 ? results[0] : {schemaVersion: 'leash-results/v1', results})
      if (!explicitOutput) return
    }
    const written = await writeReports(results, {
      formats,
      outDir: flags['out-dir'],
      out: flags.out,
      catalog: context.catalog,
      frameworks: shown,
    })
    if (this.jsonEnabled() || flags.out === '-') return
    for (const r of results) {
      process.stdout.write(`${r.subject.name}: ${r.verdict} (score ${r.score}, ${r.findings.length} findings)\n`)
      for (const rec of r.recommendations.slice(0, 3)) {
        process.stdout.write(`  next: ${rec.control} (removes ${rec.riskReduction} risk points, ${rec.effort} effort)\n`)
      }
    }
    for (const path of written) process.stdout.write(`wrote ${path}\n`)
  }

  /** The manifests: arguments, else --example, else agent.yaml or .leash/agent.yaml. */
  private manifestPaths(): {path: string; display?: string}[] {
    const args = this.positionals
    if (this.flags.example) {
      if (args.length > 0) throw inputError('usage', 'give either manifest files or --example, not both')
      const path = join(this.root, 'examples', `${this.flags.example}.yaml`)
      if (!/^[a-z0-9-]+$/.test(this.flags.example) || !existsSync(path)) {
        throw inputError('usage', `no bundled example "${this.flags.example}"; see the examples/ folder of leash`)
      }
      return [{path, display: `examples/${this.flags.example}.yaml`}]
    }
    if (args.length > 0) return args.map((path) => ({path}))
    for (const candidate of ['agent.yaml', '.leash/agent.yaml']) if (existsSync(candidate)) return [{path: candidate}]
    throw inputError(
      'no-manifest',
      'no manifest given, and neither agent.yaml nor .leash/agent.yaml exists here. Start with `leash init` to write one, or try `leash assess --example refactoring-agent`.',
    )
  }
}
