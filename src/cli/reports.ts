/**
 * Rendering and writing report files: the layout of spec/cli.md (DIR/report.* for one manifest,
 * DIR/<name>/report.* plus index.md and index.html for several), `--out FILE|-` for one format,
 * and a short summary appended to GITHUB_STEP_SUMMARY when it is set. Renderers load lazily, so
 * a command pays only for the formats it writes.
 */
import {appendFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Catalog} from '../core/catalog.js'
import type {AssessmentResult} from '../core/engine.js'
import {inputError} from '../core/errors.js'
import type {Format, RenderContext} from '../core/render/types.js'
import type {StepSummaryRow} from '../core/render/view.js'
import {displayPath} from './io.js'
import {ensureDir, removeStaleTemporaries, writeFileAtomic} from './write.js'

export async function render(format: Format, result: AssessmentResult, context: RenderContext): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../core/render/json.js')).renderJson(result)
    case 'md':
      return (await import('../core/render/markdown.js')).renderMarkdown(result, context)
    case 'html':
      return (await import('../core/render/html.js')).renderHtml(result, context)
    case 'sarif':
      return (await import('../core/render/sarif.js')).renderSarif([result], context)
  }
}

export interface WriteOptions {
  formats: Format[]
  outDir: string
  out?: string
  catalog: Catalog
  frameworks?: string[]
}

/** Render every format of every result, then write them; returns the paths written. */
export async function writeReports(results: AssessmentResult[], options: WriteOptions): Promise<string[]> {
  const context: RenderContext = {catalog: options.catalog, ...(options.frameworks ? {frameworks: options.frameworks} : {})}
  if (options.out !== undefined) {
    if (options.formats.length !== 1) throw inputError('usage', '--out writes one format: give exactly one with --format')
    if (results.length !== 1 && options.formats[0] !== 'sarif')
      throw inputError('usage', '--out takes one manifest (or --format sarif); use --out-dir for several')
    const format = options.formats[0]
    const text =
      format === 'sarif'
        ? (await import('../core/render/sarif.js')).renderSarif(results, context)
        : await render(format, results[0], context)
    if (options.out === '-') {
      process.stdout.write(text)
      return []
    }
    writeFileAtomic(options.out, text)
    await summarize(results)
    return [displayPath(options.out)]
  }

  const names = new Map<string, string>()
  for (const r of results) {
    const first = names.get(r.subject.name)
    if (first !== undefined) {
      throw inputError(
        'duplicate-name',
        `metadata.name "${r.subject.name}" is used by both ${first} and ${r.subject.file}; report folders need distinct names`,
      )
    }
    names.set(r.subject.name, r.subject.file)
  }
  // Render everything before writing anything, so that a rendering error leaves no new file.
  const files: {path: string; text: string}[] = []
  for (const r of results) {
    const dir = results.length === 1 ? options.outDir : join(options.outDir, r.subject.name)
    for (const format of options.formats) {
      files.push({path: join(dir, `report.${format}`), text: await render(format, r, context)})
    }
  }
  if (results.length > 1) {
    const index = await import('../core/render/index-page.js')
    files.push({path: join(options.outDir, 'index.md'), text: index.renderIndexMarkdown(results, options.formats)})
    files.push({path: join(options.outDir, 'index.html'), text: await index.renderIndexHtml(results, options.formats)})
  }
  const dirs = [...new Set(files.map((f) => join(f.path, '..')))]
  for (const dir of dirs) {
    ensureDir(dir)
    removeStaleTemporaries(dir)
  }
  for (const f of files) writeFileAtomic(f.path, f.text)
  await summarize(results)
  return files.map((f) => displayPath(f.path))
}

/**
 * A result's row in the GitHub Actions job summary: a function when GITHUB_STEP_SUMMARY is set,
 * none otherwise. A batch keeps these rows, not its results.
 */
export async function stepSummaryRows(): Promise<((result: AssessmentResult) => StepSummaryRow) | undefined> {
  return process.env.GITHUB_STEP_SUMMARY ? (await import('../core/render/view.js')).stepSummaryRow : undefined
}

/** The job summary of these results, when GITHUB_STEP_SUMMARY is set. */
async function summarize(results: AssessmentResult[]): Promise<void> {
  const toRow = await stepSummaryRows()
  if (toRow) await appendStepSummary(results.map(toRow))
}

/** A few lines for the GitHub Actions job summary, when GITHUB_STEP_SUMMARY names a file. */
export async function appendStepSummary(rows: readonly StepSummaryRow[]): Promise<void> {
  const target = process.env.GITHUB_STEP_SUMMARY
  if (!target) return
  const {renderStepSummary} = await import('../core/render/summary.js')
  try {
    appendFileSync(target, renderStepSummary(rows))
  } catch (error) {
    process.stderr.write(`warning: cannot append to GITHUB_STEP_SUMMARY (${displayPath(target)}): ${(error as Error).message}\n`)
  }
}
