import {execFileSync} from 'node:child_process'
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {assessContext, assessManifest} from '../cli/assessment.js'
import {BaseCommand} from '../cli/base-command.js'
import {EXIT} from '../cli/exit.js'
import {catalogFlag, dateFlag} from '../cli/flags.js'
import {loadManifestFile, manifestFromText, type ManifestFile} from '../cli/load.js'
import {paint} from '../cli/style.js'
import {diffManifests} from '../core/diff.js'
import {DEFAULT_LIMITS} from '../core/document.js'
import {inputError} from '../core/errors.js'
import {renderDiffMarkdown, renderDiffText, type DiffDocument} from '../core/render/diff.js'

export default class Diff extends BaseCommand<typeof Diff> {
  static override summary = "What changed in an agent's privileges and risk between two manifests."
  static override description = `Compares two manifests field by field using the risk order of the schema (x-leash-risk-order): each privilege that widened or narrowed, and the change in score and verdict. An undeclared field counts as the riskiest value.

With --base REF, the old manifest is NEW as it was at the git ref REF (for pull requests). With --fail-on-widening, exits 1 when anything widened.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> old/agent.yaml agent.yaml',
    '<%= config.bin %> <%= command.id %> --base origin/main agent.yaml --fail-on-widening',
    '<%= config.bin %> <%= command.id %> --base origin/main agent.yaml --format md > comment.md',
  ]
  static override strict = false
  static override args = {
    old: Args.string({description: 'the manifest before (or, with --base, the manifest to compare)', required: true}),
    new: Args.string({description: 'the manifest after'}),
  }
  static override flags = {
    base: Flags.string({description: 'git ref of the old version of the manifest (git show REF:FILE)'}),
    'fail-on-widening': Flags.boolean({description: 'exit 1 when any privilege widened'}),
    format: Flags.string({description: 'text, or Markdown for a pull request comment', options: ['text', 'md'], default: 'text'}),
    date: dateFlag,
    catalog: catalogFlag,
  }

  async run(): Promise<void> {
    const [first, second] = this.positionals
    let before: ManifestFile
    let after: ManifestFile
    if (this.flags.base) {
      if (second) throw inputError('usage', 'with --base, give one manifest: the version in the working tree')
      after = loadManifestFile(first)
      before = manifestFromText(gitShow(this.flags.base, first), `${this.flags.base}:${after.file}`)
    } else {
      if (!second) throw inputError('usage', 'give two manifests (OLD NEW), or --base REF NEW')
      before = loadManifestFile(first)
      after = loadManifestFile(second)
    }
    const context = await assessContext({root: this.root, catalogDirs: this.flags.catalog, today: this.flags.date})
    const oldResult = assessManifest(before, context)
    const newResult = assessManifest(after, context)
    const doc: DiffDocument = {
      schemaVersion: 'leash-diff/v1',
      changes: diffManifests(before.manifest, after.manifest),
      old: {file: before.file, verdict: oldResult.verdict, score: oldResult.score},
      new: {file: after.file, verdict: newResult.verdict, score: newResult.score},
    }
    if (this.flags['fail-on-widening'] && doc.changes.some((c) => c.direction === 'widened')) process.exitCode = EXIT.GATE_FAILED
    if (this.jsonEnabled()) return this.printJson(doc)
    if (this.flags.format === 'md') process.stdout.write(renderDiffMarkdown(doc))
    else {
      const c = paint(process.stdout)
      process.stdout.write(renderDiffText(doc, (dir, text) => c(dir === 'widened' ? 'red' : dir === 'narrowed' ? 'green' : 'yellow', text)))
    }
  }
}

/** The text of FILE at a git ref, within the input size limit. */
function gitShow(ref: string, file: string): string {
  if (ref.startsWith('-')) throw inputError('usage', `--base "${ref}" is not a git ref`)
  try {
    return execFileSync('git', ['show', `${ref}:./${file.replace(/^\.\//, '')}`], {
      encoding: 'utf8',
      maxBuffer: DEFAULT_LIMITS.maxBytes,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (error) {
    const stderr = String((error as {stderr?: string}).stderr ?? '')
      .trim()
      .split('\n')[0]
    if ((error as {code?: string}).code === 'ENOBUFS')
      throw inputError('limit-size', `over the limit of ${DEFAULT_LIMITS.maxBytes} bytes`, `${ref}:${file}`)
    throw inputError('git', `cannot read ${file} at ${ref}: ${stderr || (error as Error).message}`, `${ref}:${file}`)
  }
}
