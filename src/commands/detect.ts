import {existsSync} from 'node:fs'
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {assessContext} from '../cli/assessment.js'
import {detectRepository} from '../cli/detect-run.js'
import {BaseCommand} from '../cli/base-command.js'
import {catalogFlag} from '../cli/flags.js'
import {paint, printable} from '../cli/style.js'
import {table} from '../cli/table.js'
import {writeFileAtomic} from '../cli/write.js'
import type {DetectResult} from '../core/detect/index.js'
import {inputError, formatDiagnostic} from '../core/errors.js'
import {loadManifest} from '../core/manifest.js'
import type {ObservedAssessment} from '../core/observed.js'
import {renderObservedManifest} from '../core/render/observed-manifest.js'

export default class Detect extends BaseCommand<typeof Detect> {
  static override summary = "Read a repository's real agent configuration and say what it grants."
  static override description = `Reads Claude Code settings, MCP server files, GitHub Actions workflows that run agents, Codex, Gemini CLI, Aider and Cursor configuration, turns them into observed facts (each with its file and line), and assesses the manifest they imply. What detect cannot see stays an open question, never a finding.

With --out it writes that manifest, commented with the source of every fact, to start a declared manifest from. Exits 0 whenever it ran, also when some files are malformed (each is reported); 2 only when the folder cannot be read.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> path/to/repo --out agent.yaml',
    '<%= config.bin %> <%= command.id %> . --json',
  ]
  static override args = {dir: Args.string({description: 'the repository folder', default: '.'})}
  static override flags = {
    out: Flags.string({description: 'write the manifest the repository implies to this file, or - for stdout'}),
    force: Flags.boolean({description: 'overwrite the --out file if it exists'}),
    format: Flags.string({
      description: 'text summary, or SARIF (findings located in the real files) on stdout',
      options: ['text', 'sarif'],
      default: 'text',
    }),
    catalog: catalogFlag,
  }

  async run(): Promise<void> {
    const dir = this.args.dir
    const context = await assessContext({root: this.root, catalogDirs: this.flags.catalog, waivers: false})
    const {detected, assessed, unreadable} = detectRepository(dir, context)
    const warnings = [
      ...detected.warnings.map((w) => ({...w})),
      ...unreadable.map((u) => ({code: 'unreadable', file: u.path, line: 0, column: 0, path: '', message: u.message})),
    ]

    if (this.flags.out !== undefined) {
      const text = renderObservedManifest(detected, dir)
      loadManifest(text, this.flags.out) // what detect writes must always be a valid manifest
      if (this.flags.out === '-') process.stdout.write(text)
      else {
        if (existsSync(this.flags.out) && !this.flags.force)
          throw inputError('exists', 'already exists; use --force to overwrite it', this.flags.out)
        writeFileAtomic(this.flags.out, text)
      }
    }
    if (this.jsonEnabled()) {
      return this.printJson({
        observed: detected.observed,
        sources: detected.sources,
        agents: detected.agents,
        files: detected.files,
        instructionSurfaces: detected.instructionSurfaces,
        findings: assessed.findings,
        openQuestions: assessed.openQuestions,
        warnings,
      })
    }
    if (this.flags.format === 'sarif') {
      const {renderSarif} = await import('../core/render/sarif.js')
      const result = {...assessed.result, findings: assessed.findings, openQuestions: assessed.openQuestions}
      process.stdout.write(renderSarif([result], {catalog: context.catalog}))
      return
    }
    if (this.flags.out === '-') return
    this.summary(detected, assessed, warnings)
  }

  private summary(
    detected: DetectResult,
    assessed: ObservedAssessment,
    warnings: {file: string; line: number; column: number; path: string; message: string; code: string}[],
  ): void {
    const c = paint(process.stdout)
    const out: string[] = []
    out.push(`${c('bold', 'Agents found')} (${detected.agents.length})`)
    for (const a of detected.agents) out.push(`  ${a.product.padEnd(22)} ${printable(a.description)}  ${a.file}:${a.line}`)
    if (detected.agents.length === 0) out.push('  none')
    out.push(`\n${c('bold', 'Files read')} (${detected.files.length}): ${detected.files.join(', ') || 'none'}`)
    if (detected.instructionSurfaces.length > 0) {
      out.push(
        `${c('bold', 'Instruction surfaces')} (steer an agent, grant nothing): ${detected.instructionSurfaces.map((s) => s.file).join(', ')}`,
      )
    }
    out.push(
      `${c('bold', 'Facts observed')}: ${new Set(detected.sources.map((s) => s.fact)).size} fields from ${detected.sources.length} configuration lines`,
    )
    out.push(`\n${c('bold', 'Findings')} (${assessed.findings.length}, scored on what the repository shows)`)
    if (assessed.findings.length > 0) {
      out.push(
        table(
          ['SEVERITY', 'THREAT', 'RESIDUAL', 'SHOWN BY'],
          assessed.findings.map((f) => [
            f.severity,
            f.id,
            String(f.residual.score),
            printable(`${f.because[0].file}:${f.because[0].line} ${f.because[0].text ?? f.because[0].path}`),
          ]),
        ).trimEnd(),
      )
    }
    if (warnings.length > 0) {
      out.push(`\n${c('bold', 'Warnings')} (${warnings.length})`)
      for (const w of warnings) out.push(`  ${printable(formatDiagnostic(w))}`)
    }
    out.push(
      `\n${assessed.openQuestions.length} fields are not shown by the repository (open questions). Write the implied manifest with --out agent.yaml.`,
    )
    process.stdout.write(`${out.join('\n')}\n`)
  }
}
