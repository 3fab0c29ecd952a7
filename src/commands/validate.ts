import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {assessContext, assessManifest, type AssessContext} from '../cli/assessment.js'
import {BaseCommand} from '../cli/base-command.js'
import {EXIT} from '../cli/exit.js'
import {catalogFlag, dateFlag, waiversFlag} from '../cli/flags.js'
import {loadManifestFile} from '../cli/load.js'
import {appendStepSummary, stepSummaryRows} from '../cli/reports.js'
import {paint, printable} from '../cli/style.js'
import type {DetectResult} from '../core/detect/types.js'
import type {AssessmentResult} from '../core/engine.js'
import type {StepSummaryRow} from '../core/render/view.js'
import {drift, type DriftFinding} from '../core/observed.js'
import {formatDiagnostic, InputError, type Diagnostic} from '../core/errors.js'
import {FAIL_ON, gate, type FailOn, type GateResult} from '../core/gate.js'

interface FileResult {
  file: string
  agent?: string
  valid: boolean
  errors: Omit<Diagnostic, 'file'>[]
  verdict?: AssessmentResult['verdict']
  score?: number
  gate: 'pass' | 'fail' | 'skipped'
  blocking?: {id: string; severity: string; score: number; path: string; line: number}[]
  expiredWaivers?: {threat: string; agent: string; expires: string}[]
  drift: DriftFinding[]
}

export default class Validate extends BaseCommand<typeof Validate> {
  static override summary = 'The CI gate: check manifests, assess them, and fail on risk above a threshold.'
  static override description = `For each manifest: the schema, the input limits and secrets (exit 2 on any problem, every problem of a file reported at once with file:line:column), then the assessment as a gate: exit 1 when an unwaived finding is at or above --fail-on (default high) or a waiver has expired.

Many files in one call give a summary table; the exit code is the worst of them (2 over 1 over 0).`
  static override examples = [
    '<%= config.bin %> <%= command.id %> agent.yaml',
    '<%= config.bin %> <%= command.id %> agents/*.yaml --fail-on medium',
    '<%= config.bin %> <%= command.id %> agent.yaml --waivers .leash/waivers.yaml --date 2026-11-27',
    '<%= config.bin %> <%= command.id %> agent.yaml --format sarif > leash.sarif',
  ]
  static override strict = false
  static override args = {manifest: Args.string({description: 'manifest files (YAML or JSON)', required: true})}
  static override flags = {
    'fail-on': Flags.string({description: 'lowest residual severity that fails the gate', options: [...FAIL_ON], default: 'high'}),
    format: Flags.string({
      description: 'output: a text summary, the JSON document, or SARIF on stdout',
      options: ['text', 'json', 'sarif'],
      default: 'text',
    }),
    detect: Flags.string({
      description: "compare each manifest with the repository's real agent configuration in this folder: drift fails the gate",
    }),
    waivers: waiversFlag,
    date: dateFlag,
    catalog: catalogFlag,
  }

  async run(): Promise<void> {
    const failOn = this.flags['fail-on'] as FailOn
    const format = this.jsonEnabled() ? 'json' : this.flags.format
    // Catalog and waivers problems are input errors of the whole call (exit 2).
    const context = await assessContext({
      root: this.root,
      catalogDirs: this.flags.catalog,
      waivers: this.flags.waivers,
      today: this.flags.date,
    })
    // results are kept only for SARIF, and the job summary keeps a row each: a large batch does not hold every document
    const toRow = await stepSummaryRows()
    const assessed: AssessmentResult[] = []
    const rows: StepSummaryRow[] = []
    const keep =
      format === 'sarif' || toRow
        ? (result: AssessmentResult) => {
            if (format === 'sarif') assessed.push(result)
            if (toRow) rows.push(toRow(result))
          }
        : undefined
    const observed =
      this.flags.detect === undefined
        ? undefined
        : (await import('../cli/detect-run.js')).detectRepository(this.flags.detect, context).detected
    const results = this.positionals.map((path) => this.check(path, context, failOn, keep, observed))
    if (toRow) await appendStepSummary(rows)
    const exit = results.some((r) => !r.valid) ? EXIT.INPUT : results.some((r) => r.gate === 'fail') ? EXIT.GATE_FAILED : EXIT.OK
    process.exitCode = exit
    if (format === 'json') return this.printJson({schemaVersion: 'leash-validate/v1', files: results})
    if (format === 'sarif') {
      const {renderSarif} = await import('../core/render/sarif.js')
      const drifts = results.filter((r) => r.drift.length > 0).map((r) => ({agent: r.agent ?? r.file, drift: r.drift}))
      process.stdout.write(renderSarif(assessed, {catalog: context.catalog}, drifts))
    }
    const out = format === 'sarif' ? process.stderr : process.stdout
    out.write(this.summary(results, failOn, out))
  }

  private check(
    path: string,
    context: AssessContext,
    failOn: FailOn,
    keep?: (result: AssessmentResult) => void,
    observed?: DetectResult,
  ): FileResult {
    let loaded
    try {
      loaded = loadManifestFile(path)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      const errors = error.diagnostics.map(({file: _file, ...rest}) => rest)
      return {file: error.diagnostics[0]?.file || path, valid: false, errors, gate: 'skipped', drift: []}
    }
    const result = assessManifest(loaded, context, 'gate')
    keep?.(result)
    const g: GateResult = gate(result, failOn)
    const drifted = observed ? drift(loaded.manifest, observed, context.catalog) : []
    return {
      file: loaded.file,
      agent: result.subject.name,
      valid: true,
      errors: [],
      verdict: result.verdict,
      score: result.score,
      gate: g.pass && drifted.length === 0 ? 'pass' : 'fail',
      blocking: g.blocking.map((f) => ({
        id: f.id,
        severity: f.severity,
        score: f.residual.score,
        path: f.because[0]?.path ?? '',
        line: f.because[0]?.line ?? 1,
      })),
      expiredWaivers: g.expired.map((w) => ({threat: w.threat, agent: w.agent, expires: w.expires})),
      drift: drifted,
    }
  }

  private summary(results: FileResult[], failOn: FailOn, stream: NodeJS.WriteStream): string {
    const c = paint(stream)
    const lines: string[] = []
    for (const r of results) {
      if (!r.valid) {
        lines.push(`${c('red', 'invalid')} ${r.file}`)
        for (const e of r.errors) lines.push(`  ${formatDiagnostic({...e, file: r.file})}`)
        continue
      }
      const status = r.gate === 'pass' ? c('green', 'pass   ') : c('red', 'fail   ')
      lines.push(`${status} ${r.file}: ${r.verdict}, score ${r.score}`)
      for (const b of r.blocking ?? [])
        lines.push(`  ${b.severity.padEnd(8)} ${b.id} (residual ${b.score}) at ${r.file}:${b.line} ${b.path}`)
      for (const w of r.expiredWaivers ?? []) lines.push(`  expired waiver: ${w.threat} for ${w.agent} expired on ${w.expires}`)
      for (const d of r.drift) {
        const at = d.because[0]
        lines.push(`  drift    ${d.title}`)
        lines.push(
          `           at ${at.file}:${at.line}${at.text ? ` ${printable(at.text)}` : ''}${d.because.length > 1 ? ` (+${d.because.length - 1} more)` : ''}`,
        )
      }
    }
    const count = (g: string) => results.filter((r) => r.gate === g).length
    const invalid = results.filter((r) => !r.valid).length
    lines.push(
      `${results.length} file${results.length === 1 ? '' : 's'}: ${count('pass')} passed, ${count('fail')} failed at --fail-on ${failOn}${this.flags.detect === undefined ? '' : ' or on drift'}, ${invalid} invalid`,
    )
    return `${lines.join('\n')}\n`
  }
}
